/* SPDX-License-Identifier: MIT */
/* `collections [--db D]`: per database, each collection's load state and
 * progress, row count, replica count and aliases (REST v2 and a proxy's 9091). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/xalloc.h"
#include "cmd-cluster.h"
#include "cmd-gather.h"
#include "cmd-handlers.h"

static const struct out_col collections_cols[] = {
	{ "db", "DB", OCOL_STR },
	{ "name", "COLLECTION", OCOL_STR },
	{ "load", "LOAD", OCOL_STR },
	{ "load_progress", "PROGRESS", OCOL_INT },
	{ "rows", "ROWS", OCOL_INT },
	{ "replicas", "REPLICAS", OCOL_INT },
	{ "degraded", "DEGRADED", OCOL_BOOL },
	{ "aliases", "ALIASES", OCOL_STR },
};

static void
int_or_null(struct out_obj *o, const char *key, int64_t v)
{
	if (v < 0)
		out_null(o, key);
	else
		out_int(o, key, v);
}

static void
collections_doc(struct out_doc *d, const struct cluster *c, const char *db)
{
	struct out_obj *root = out_doc_root(d), *row;
	struct out_tab *t;
	const char **dbs;
	size_t i, j, n = 0;

	out_str(root, "db", db);
	dbs = xcalloc(c->n_collections + 1, sizeof *dbs);
	for (i = 0; i < c->n_collections; i++) {
		for (j = 0; j < n && strcmp(dbs[j], c->collections[i].db) != 0; j++)
			;
		if (j == n)
			dbs[n++] = c->collections[i].db;
	}
	out_strv(root, "databases", dbs, n);
	free(dbs);
	t = out_table(root, "collections", "collections", collections_cols,
	    sizeof collections_cols / sizeof collections_cols[0]);
	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];

		row = out_row(t);
		out_str(row, "db", cs->db);
		out_str(row, "name", cs->name);
		out_str(row, "id", cs->id);
		out_str(row, "load", cluster_load_word(cs->load_state));
		out_str(row, "load_state", cs->load_state);
		int_or_null(row, "load_progress", cs->load_progress);
		int_or_null(row, "rows", cs->rows);
		int_or_null(row, "replicas", cs->n_replicas);
		out_bool(row, "degraded", cs->degraded);
		out_strv(row, "aliases", (const char *const *)cs->aliases, cs->n_aliases);
	}
	/* Replica counts come from another source (a proxy's 9091): say when it
	 * failed instead of failing the whole listing. */
	out_str(root, "replicas_error", c->src_replicas.error);
}

int
cmd_collections(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *db = NULL;
	struct state *st;
	struct cluster *c;
	struct out_doc *d;
	int i, rc = CMD_OK;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc && db == NULL)
			db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0 && db == NULL)
			db = argv[i] + 5;
		else
			return cmd_usage(ctx, e);
	}
	if (db != NULL && *db == '\0')
		return cmd_usage(ctx, e);
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	/* Sessions give the proxies' 9091 and node health; without etcd the
	 * listing still works from milvus.uri. */
	(void)state_load_sessions(st);
	if (state_load_collections(st, db) == -1) {
		rc = gather_proxy_error(ctx, st, c->src_proxy.error);
		state_free(st);
		return rc;
	}
	(void)state_load_replicas(st, NULL);
	d = out_doc_new("collections");
	collections_doc(d, c, db);
	/* Which proxy the listing and the replica counts came from: not
	 * milvus.uri's when it hung (src_proxy.note then says so). */
	out_str(out_doc_root(d), "via", state_collections_via(st));
	out_str(out_doc_root(d), "replicas_via", state_replicas_via(st));
	if (c->src_proxy.note != NULL) {
		/* It holds a session's address: escaped like every cluster string. */
		char *esc = out_escape(c->src_proxy.note);

		fprintf(ctx->err, "milvusadm: warning: %s\n", esc);
		free(esc);
	}
	rc = cmd_emit(ctx, d);
	state_free(st);
	return rc;
}
