/* SPDX-License-Identifier: MIT */
/* `replicas [COLLECTION]`: the replica groups of loaded collections, their RW
 * and RO nodes with each node's health, and shards whose leader node is gone;
 * or, when only REST v2 resource groups could be read, each collection's
 * replica count per group and the group's nodes, saying that per-replica
 * detail is not available. */
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

/* From resource groups: no replica IDs, no RO nodes, no shards. */
static const struct out_col rg_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "resource_group", "RESOURCE GROUP", OCOL_STR },
	{ "replicas", "REPLICAS", OCOL_INT },
	{ "rw_nodes", "GROUP NODES", OCOL_STR },
	{ "healthy", "SERVING", OCOL_INT },
	{ "degraded", "DEGRADED", OCOL_BOOL },
};

/* What state_replicas_via says after a read from resource groups. */
#define VIA_RG		"rest:resource_groups"

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
	if (r->replica_id >= 0)
		out_int(row, "replica_id", r->replica_id);
	else
		out_null(row, "replica_id");
	out_str(row, "collection", name);
	out_str(row, "mode", mode);
	out_str(row, "health", gather_node_health(c, id));
	out_str(row, "address", node_address(c, id));
}

static int
row_coll_cmp(const void *a, const void *b)
{
	const struct replica_state *x = *(const struct replica_state *const *)a;
	const struct replica_state *y = *(const struct replica_state *const *)b;

	return strcmp(x->collection_id, y->collection_id);
}

/* Per entry from resource groups (replica_id < 0), how many replicas it
 * stands for: the collection's count when one group holds them all, else -1
 * (the model keeps only the sum over groups). Caller frees. */
static int64_t *
rg_counts(const struct cluster *c)
{
	const struct replica_state **by = xcalloc(c->n_replicas + 1, sizeof *by);
	int64_t *n = xcalloc(c->n_replicas + 1, sizeof *n);
	size_t i, j, k;

	for (i = 0; i < c->n_replicas; i++)
		by[i] = &c->replicas[i];
	qsort(by, c->n_replicas, sizeof *by, row_coll_cmp);
	for (i = 0; i < c->n_replicas; i = j) {
		const struct collection_state *cs = collection_of(c, by[i]->collection_id);

		for (j = i + 1; j < c->n_replicas &&
		    strcmp(by[j]->collection_id, by[i]->collection_id) == 0; j++)
			;
		for (k = i; k < j; k++)
			n[by[k] - c->replicas] = j - i == 1 && cs != NULL ? cs->n_replicas : -1;
	}
	free(by);
	return n;
}

static void
replicas_doc(struct out_doc *d, const struct cluster *c, const char *want, bool from_rg)
{
	struct out_obj *root = out_doc_root(d), *row;
	struct out_tab *rt, *nt;
	int64_t *counts = rg_counts(c);
	size_t i, j;
	char name[512];

	out_str(root, "collection", want);
	/* Where the replicas came from, and what that source cannot tell. */
	out_str(root, "source", from_rg ? "resource_groups" : "replicas");
	out_bool(root, "replica_detail", !from_rg);
	out_str(root, "note", c->src_replicas.note);
	if (from_rg)
		rt = out_table(root, "replicas", "replicas (from resource groups)", rg_cols,
		    sizeof rg_cols / sizeof rg_cols[0]);
	else
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
		if (r->replica_id >= 0) {
			out_int(row, "replica_id", r->replica_id);
			out_int(row, "replicas", 1);
		} else {
			out_null(row, "replica_id");
			if (counts[i] >= 0)
				out_int(row, "replicas", counts[i]);
			else
				out_null(row, "replicas");
		}
		out_str(row, "resource_group", r->resource_group);
		out_intv(row, "rw_nodes", r->rw_nodes, r->n_rw);
		/* Resource groups say nothing of RO nodes nor of shards. */
		if (r->replica_id >= 0)
			out_intv(row, "ro_nodes", r->ro_nodes, r->n_ro);
		else
			out_null(row, "ro_nodes");
		if (c->sessions_known)
			out_int(row, "healthy", (int64_t)r->n_healthy);
		else
			out_null(row, "healthy");
		out_bool(row, "degraded", c->sessions_known &&
		    (r->n_rw == 0 || r->n_healthy < r->n_rw || r->n_orphan_shards > 0));
		if (r->replica_id >= 0)
			out_strv(row, "orphan_shards", (const char *const *)r->orphan_shards,
			    r->n_orphan_shards);
		else
			out_null(row, "orphan_shards");
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
		/* A group's node can serve the collection's replicas there:
		 * which one it serves is not known. */
		for (j = 0; j < r->n_rw; j++)
			node_row(nt, c, r, name, r->rw_nodes[j], r->replica_id >= 0 ? "rw" :
			    "rg");
		for (j = 0; j < r->n_ro; j++)
			node_row(nt, c, r, name, r->ro_nodes[j], "ro");
	}
	free(counts);
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
	bool found = false, from_rg;
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
	from_rg = state_replicas_via(st) != NULL && strcmp(state_replicas_via(st), VIA_RG) == 0;
	/* Less than asked for: why, and what this source cannot tell. */
	if (from_rg && c->src_replicas.note != NULL) {
		char *esc = out_escape(c->src_replicas.note);

		fprintf(ctx->err, "milvusadm: warning: replicas %s\n", esc);
		free(esc);
	}
	d = out_doc_new("replicas");
	replicas_doc(d, c, want, from_rg);
	/* The proxy 9091 that answered, and the one that listed the collections. */
	out_str(out_doc_root(d), "via", state_replicas_via(st));
	out_str(out_doc_root(d), "collections_via", state_collections_via(st));
	rc = cmd_emit(ctx, d);
out:
	state_free(st);
	return rc;
}
