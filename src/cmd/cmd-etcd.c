/* SPDX-License-Identifier: MIT */
/* `milvusadm etcd`: the members, which one leads, raft term and index, db
 * size, alarms, and whether each member's client URL answers its status. */
#include <stdio.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

static const struct out_col etcd_cols[] = {
	{ "name", "NAME", OCOL_STR },
	{ "id", "ID", OCOL_STR },
	{ "client_url", "CLIENT URL", OCOL_STR },
	{ "leader", "LEADER", OCOL_BOOL },
	{ "reachable", "REACHABLE", OCOL_BOOL },
	{ "raft_term", "TERM", OCOL_INT },
	{ "raft_index", "INDEX", OCOL_INT },
	{ "db_size", "DB SIZE", OCOL_BYTES },
	{ "version", "VERSION", OCOL_STR },
	{ "alarms_text", "ALARMS", OCOL_STR },
	{ "error", "ERROR", OCOL_STR },
};

int
cmd_etcd(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct out_doc *d;
	struct out_obj *root;
	struct out_tab *t;
	struct cluster *c;
	struct state *st;
	char id[24];
	size_t i, k, n_up = 0;
	int rc = CMD_OK;

	if (argc != 1)
		return cmd_usage(ctx, cmd_entry_by_name("etcd"));
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	if (state_load_etcd(st) != 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s",
		    c->src_etcd.error != NULL ? c->src_etcd.error :
		    "etcd unreachable: no answer");
		state_free(st);
		return rc;
	}
	d = out_doc_new("etcd");
	root = out_doc_root(d);
	if (c->etcd_leader != 0) {
		snprintf(id, sizeof id, "%llx", (unsigned long long)c->etcd_leader);
		out_str(root, "leader_id", id);
	} else
		out_null(root, "leader_id");
	{
		const char *leader_name = NULL;

		for (i = 0; i < c->n_etcd; i++) {
			if (c->etcd[i].is_leader)
				leader_name = c->etcd[i].name;
		}
		out_str(root, "leader_name", leader_name);
	}
	t = out_table(root, "members", "etcd members", etcd_cols,
	    sizeof etcd_cols / sizeof etcd_cols[0]);
	for (i = 0; i < c->n_etcd; i++) {
		const struct etcd_member_state *m = &c->etcd[i];
		struct out_obj *r = out_row(t);
		char alarms[512] = "";

		/* Member IDs are 64-bit: hex text, as etcdctl prints them. */
		snprintf(id, sizeof id, "%llx", (unsigned long long)m->id);
		out_str(r, "name", m->name);
		out_str(r, "id", id);
		out_str(r, "client_url", m->client_url);
		out_bool(r, "leader", m->is_leader);
		out_bool(r, "learner", m->is_learner);
		out_bool(r, "reachable", m->reachable);
		if (m->reachable) {
			out_int(r, "raft_term", (int64_t)m->raft_term);
			out_int(r, "raft_index", (int64_t)m->raft_index);
			out_int(r, "db_size", m->db_size);
			out_int(r, "db_size_in_use", m->db_size_in_use);
			n_up++;
		} else {
			out_null(r, "raft_term");
			out_null(r, "raft_index");
			out_null(r, "db_size");
			out_null(r, "db_size_in_use");
		}
		out_str(r, "version", m->version);
		out_strv(r, "alarms", (const char *const *)m->alarms, m->n_alarms);
		for (k = 0; k < m->n_alarms; k++)
			snprintf(alarms + strlen(alarms), sizeof alarms - strlen(alarms), "%s%s",
			    k > 0 ? ", " : "", m->alarms[k]);
		out_str(r, "alarms_text", alarms);
		out_str(r, "error", m->error);
	}
	out_int(root, "members_total", (int64_t)c->n_etcd);
	out_int(root, "members_reachable", (int64_t)n_up);
	state_free(st);
	return cmd_emit(ctx, d);
}
