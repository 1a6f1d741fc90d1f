/* SPDX-License-Identifier: MIT */
/* `milvusadm health [--role R]`: the /healthz sweep of every component's
 * process (in parallel, bounded, with per-request timeouts) and
 * /management/check/ready of the active coordinators. A report: exit 0 when
 * the sweep ran, 4 when etcd cannot be read. */
#include <stdio.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

static const struct out_col health_cols[] = {
	{ "role", "ROLE", OCOL_STR },
	{ "server_id", "ID", OCOL_INT },
	{ "address", "ADDRESS", OCOL_STR },
	{ "ha_text", "HA", OCOL_STR },
	{ "health", "HEALTH", OCOL_STR },
	{ "ready_text", "READY", OCOL_STR },
	{ "error", "ERROR", OCOL_STR },
};

static bool
health_ok(enum health h)
{
	return h == HEALTH_HEALTHY || h == HEALTH_STANDBY;
}

int
cmd_health(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *role = NULL;
	struct out_doc *d;
	struct out_obj *root, *sum;
	struct out_tab *t;
	struct cluster *c;
	struct state *st;
	size_t i, n_ok = 0, n_bad = 0, n_unknown = 0;
	bool missing = false;
	int rc = CMD_OK;

	for (int a = 1; a < argc; a++) {
		const char *v = cmd_opt_value(argc, argv, &a, "--role", &missing);

		if (v == NULL)
			return cmd_usage(ctx, cmd_entry_by_name("health"));
		role = v;
	}
	/* A mistyped role would filter everything out and still exit 0. */
	if (role != NULL && !cluster_is_coord_role(role) && !cluster_is_worker_role(role))
		return cmd_error(ctx, CMD_USAGE, "unknown role '%s' (e.g. querynode, "
		    "querycoord, mixcoord, proxy)", role);
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	if ((rc = cmd_cluster_sessions(ctx, st)) != CMD_OK) {
		state_free(st);
		return rc;
	}
	c = state_cluster(st);
	state_load_health(st);
	d = out_doc_new("health");
	root = out_doc_root(d);
	out_str(root, "role_filter", role);
	t = out_table(root, "components", "health", health_cols,
	    sizeof health_cols / sizeof health_cols[0]);
	for (i = 0; i < c->n_components; i++) {
		const struct component *comp = &c->components[i];
		const char *ha = comp->ha == HA_NONE ? NULL : ha_state_name(comp->ha);
		struct out_obj *r;

		if (role != NULL && strcmp(comp->role, role) != 0)
			continue;
		r = out_row(t);
		out_str(r, "role", comp->role);
		out_int(r, "server_id", comp->server_id);
		out_str(r, "address", comp->s.address);
		out_str(r, "process", comp->process);
		out_str(r, "ha", ha);
		out_str(r, "ha_text", ha != NULL ? ha : "-");
		if (comp->health == HEALTH_UNKNOWN)
			out_null(r, "health_code");
		else
			out_int(r, "health_code", comp->health);
		out_str(r, "health", health_name(comp->health));
		out_bool(r, "health_from_host", comp->health_from_host);
		if (comp->ready < 0) {
			out_null(r, "ready");
			out_str(r, "ready_text", "-");
		} else {
			out_bool(r, "ready", comp->ready == 1);
			out_str(r, "ready_text", comp->ready == 1 ? "yes" : "no");
		}
		out_str(r, "error", comp->health_error);
		if (comp->health == HEALTH_UNKNOWN)
			n_unknown++;
		else if (health_ok(comp->health))
			n_ok++;
		else
			n_bad++;
	}
	sum = out_obj(root, "summary");
	out_int(sum, "healthy", (int64_t)n_ok);
	out_int(sum, "unhealthy", (int64_t)n_bad);
	out_int(sum, "unknown", (int64_t)n_unknown);
	state_free(st);
	return cmd_emit(ctx, d);
}
