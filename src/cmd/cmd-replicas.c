/* SPDX-License-Identifier: MIT */
/* `replicas [COLLECTION]`: the replica groups of loaded collections, their RW
 * and RO nodes with each node's health, and shards whose leader node is gone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "cmd-cluster.h"
#include "cmd-gather.h"
#include "cmd-handlers.h"

static const struct out_col replica_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "replica_id", "REPLICA", OCOL_INT },
	{ "resource_group", "RESOURCE GROUP", OCOL_STR },
	{ "rw_nodes", "RW NODES", OCOL_STR },
	{ "ro_nodes", "RO NODES", OCOL_STR },
	{ "healthy", "SERVING", OCOL_INT },
	{ "degraded", "DEGRADED", OCOL_BOOL },
	{ "orphan_shards", "SHARDS WITHOUT LEADER", OCOL_STR },
};

static const struct out_col node_cols[] = {
	{ "node_id", "NODE", OCOL_INT },
	{ "replica_id", "REPLICA", OCOL_INT },
	{ "collection", "COLLECTION", OCOL_STR },
	{ "mode", "MODE", OCOL_STR },
	{ "health", "HEALTH", OCOL_STR },
	{ "address", "ADDRESS", OCOL_STR },
};

static const struct collection_state *
collection_of(const struct cluster *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->n_collections; i++) {
		if (c->collections[i].id != NULL && strcmp(c->collections[i].id, id) == 0)
			return &c->collections[i];
	}
	return NULL;
}

static const char *
node_address(const struct cluster *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n_components; i++) {
		if (c->components[i].server_id == id &&
		    strcmp(c->components[i].role, "querynode") == 0)
			return c->components[i].s.address;
	}
	return NULL;
}

static void
node_row(struct out_tab *t, const struct cluster *c, const struct replica_state *r,
    const char *name, int64_t id, const char *mode)
{
	struct out_obj *row = out_row(t);

	out_int(row, "node_id", id);
	out_int(row, "replica_id", r->replica_id);
	out_str(row, "collection", name);
	out_str(row, "mode", mode);
	out_str(row, "health", gather_node_health(c, id));
	out_str(row, "address", node_address(c, id));
}

static void
replicas_doc(struct out_doc *d, const struct cluster *c, const char *want)
{
	struct out_obj *root = out_doc_root(d), *row;
	struct out_tab *rt, *nt;
	size_t i, j;
	char name[512];

	out_str(root, "collection", want);
	rt = out_table(root, "replicas", "replicas", replica_cols,
	    sizeof replica_cols / sizeof replica_cols[0]);
	for (i = 0; i < c->n_replicas; i++) {
		const struct replica_state *r = &c->replicas[i];
		const struct collection_state *cs = collection_of(c, r->collection_id);

		if (cs != NULL)
			snprintf(name, sizeof name, "%s.%s", cs->db, cs->name);
		else
			snprintf(name, sizeof name, "%s", r->collection_id);
		row = out_row(rt);
		out_str(row, "collection", name);
		out_str(row, "collection_id", r->collection_id);
		out_int(row, "replica_id", r->replica_id);
		out_str(row, "resource_group", r->resource_group);
		out_intv(row, "rw_nodes", r->rw_nodes, r->n_rw);
		out_intv(row, "ro_nodes", r->ro_nodes, r->n_ro);
		if (c->sessions_known)
			out_int(row, "healthy", (int64_t)r->n_healthy);
		else
			out_null(row, "healthy");
		out_bool(row, "degraded", c->sessions_known &&
		    (r->n_rw == 0 || r->n_healthy < r->n_rw || r->n_orphan_shards > 0));
		out_strv(row, "orphan_shards", (const char *const *)r->orphan_shards,
		    r->n_orphan_shards);
	}
	nt = out_table(root, "nodes", "nodes", node_cols,
	    sizeof node_cols / sizeof node_cols[0]);
	for (i = 0; i < c->n_replicas; i++) {
		const struct replica_state *r = &c->replicas[i];
		const struct collection_state *cs = collection_of(c, r->collection_id);

		if (cs != NULL)
			snprintf(name, sizeof name, "%s.%s", cs->db, cs->name);
		else
			snprintf(name, sizeof name, "%s", r->collection_id);
		for (j = 0; j < r->n_rw; j++)
			node_row(nt, c, r, name, r->rw_nodes[j], "rw");
		for (j = 0; j < r->n_ro; j++)
			node_row(nt, c, r, name, r->ro_nodes[j], "ro");
	}
}

int
cmd_replicas(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *want = NULL, *dot;
	char db[256];
	struct state *st;
	struct cluster *c;
	struct out_doc *d;
	size_t i;
	bool found = false;
	int rc = CMD_OK;

	if (argc > 2 || (argc == 2 && (argv[1][0] == '-' || argv[1][0] == '\0')))
		return cmd_usage(ctx, e);
	if (argc == 2)
		want = argv[1];
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	/* Node health needs the sessions and /healthz; without them the nodes'
	 * health is shown as unknown rather than failing the listing. */
	if (state_load_sessions(st) == 0)
		(void)state_load_health(st);
	db[0] = '\0';
	if (want != NULL && (dot = strchr(want, '.')) != NULL)
		snprintf(db, sizeof db, "%.*s", (int)(dot - want), want);
	else if (want != NULL)
		snprintf(db, sizeof db, "default");
	if (state_load_collections(st, db[0] != '\0' ? db : NULL) == -1) {
		rc = gather_proxy_error(ctx, st, c->src_proxy.error);
		goto out;
	}
	if (want != NULL) {
		const char *name = strchr(want, '.') != NULL ? strchr(want, '.') + 1 : want;

		for (i = 0; i < c->n_collections && !found; i++)
			found = strcmp(c->collections[i].name, name) == 0 &&
			    strcmp(c->collections[i].db, db) == 0;
		if (!found) {
			rc = cmd_error(ctx, CMD_FAILED, "collection '%s' not found in database "
			    "'%s'", name, db);
			goto out;
		}
	}
	if (state_load_replicas(st, want) == -1) {
		rc = gather_proxy_error(ctx, st, c->src_replicas.error);
		goto out;
	}
	d = out_doc_new("replicas");
	replicas_doc(d, c, want);
	/* The proxy 9091 that answered, and the one that listed the collections. */
	out_str(out_doc_root(d), "via", state_replicas_via(st));
	out_str(out_doc_root(d), "collections_via", state_collections_via(st));
	rc = cmd_emit(ctx, d);
out:
	state_free(st);
	return rc;
}
