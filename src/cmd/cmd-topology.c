/* SPDX-License-Identifier: MIT */
/* `milvusadm topology [--role R] [--id ID]`: every component from the etcd sessions,
 * with ACTIVE/STANDBY, stopping, /healthz code, lease TTL left and age. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

/* On a narrow terminal: host names and process notes give way first; role,
 * ACTIVE/STANDBY and health are what the table is for, and stay. */
static const struct out_col topology_cols[] = {
	{ "role", "ROLE", OCOL_STR, OFIT_KEEP },
	{ "server_id", "ID", OCOL_INT },
	{ "address", "ADDRESS", OCOL_STR },
	{ "host_name", "HOST", OCOL_STR, OFIT_FIRST },
	{ "version", "VERSION", OCOL_STR },
	{ "ha_text", "HA", OCOL_STR, OFIT_KEEP },
	{ "stopping", "STOPPING", OCOL_BOOL },
	{ "health", "HEALTH", OCOL_STR, OFIT_KEEP },
	{ "lease_ttl_s", "TTL", OCOL_INT },
	{ "age_ms", "AGE", OCOL_DURATION_MS },
	{ "process", "PROCESS", OCOL_STR, OFIT_FIRST },
};

/* One component as a row (topology) — also used by nothing else, kept here. */
static void
topology_row(struct out_obj *r, const struct component *comp, int64_t now)
{
	char lease[24];
	const char *ha = comp->ha == HA_NONE ? NULL : ha_state_name(comp->ha);

	out_str(r, "role", comp->role);
	out_int(r, "server_id", comp->server_id);
	out_str(r, "key", comp->s.key);
	out_str(r, "address", comp->s.address);
	out_str(r, "host_name", comp->s.host_name);
	out_str(r, "version", comp->s.version);
	out_str(r, "ha", ha);
	out_str(r, "ha_text", ha != NULL ? ha : "-");
	out_bool(r, "exclusive", comp->exclusive);
	out_bool(r, "stopping", comp->s.stopping);
	if (comp->health == HEALTH_UNKNOWN)
		out_null(r, "health_code");
	else
		out_int(r, "health_code", comp->health);
	out_str(r, "health", health_name(comp->health));
	out_str(r, "health_error", comp->health_error);
	out_bool(r, "health_from_host", comp->health_from_host);
	if (comp->ready < 0)
		out_null(r, "ready");
	else
		out_bool(r, "ready", comp->ready == 1);
	out_str(r, "process", comp->process);
	out_str(r, "label", comp->label);
	out_strv(r, "legacy_keys", (const char *const *)comp->legacy_keys, comp->n_legacy_keys);
	/* Lease IDs pass 2^53: a string keeps them exact for every JSON reader. */
	if (comp->lease_id != 0) {
		snprintf(lease, sizeof lease, "%" PRId64, comp->lease_id);
		out_str(r, "lease_id", lease);
	} else
		out_null(r, "lease_id");
	if (comp->lease_ttl_s >= 0)
		out_int(r, "lease_ttl_s", comp->lease_ttl_s);
	else
		out_null(r, "lease_ttl_s");
	out_int(r, "create_revision", comp->create_revision);
	out_int(r, "mod_revision", comp->mod_revision);
	/* etcd keeps revisions, not times: the age is the process's (its
	 * process_start_time_seconds), else the key's when the model saw it
	 * appear, else null and says so. */
	if (comp->started_ms > 0) {
		char ts[40];

		time_format_rfc3339(comp->started_ms, ts, sizeof ts);
		out_int(r, "started_ms", comp->started_ms);
		out_str(r, "started", ts);
	} else {
		out_null(r, "started_ms");
		out_null(r, "started");
	}
	if (comp->started_ms > 0 && now >= comp->started_ms) {
		out_int(r, "age_ms", now - comp->started_ms);
		out_str(r, "age_source", "process_start");
	} else if (comp->appeared_ms > 0) {
		out_int(r, "age_ms", now - comp->appeared_ms);
		out_str(r, "age_source", "watch");
	} else {
		out_null(r, "age_ms");
		out_str(r, "age_source", "unknown");
	}
}

/* A server ID: a non-negative decimal integer. */
static int
topology_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0)
		return -1;
	*id = n;
	return 0;
}

int
cmd_topology(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *role = NULL, *v;
	int64_t id = -1;
	struct out_doc *d;
	struct out_obj *root;
	struct out_tab *t;
	struct cluster *c;
	struct state *st;
	int64_t now;
	size_t i, shown = 0;
	bool missing = false;
	int rc = CMD_OK;

	for (int i_arg = 1; i_arg < argc; i_arg++) {
		if ((v = cmd_opt_value(argc, argv, &i_arg, "--role", &missing)) != NULL)
			role = v;
		else if ((v = cmd_opt_value(argc, argv, &i_arg, "--id", &missing)) != NULL &&
		    topology_parse_id(v, &id) == 0)
			continue;
		else
			return cmd_usage(ctx, cmd_entry_by_name("topology"));
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
	state_load_health_starts(st);
	now = time_wall_ms();
	d = out_doc_new("topology");
	root = out_doc_root(d);
	out_str(root, "root_path", c->root);
	out_str(root, "milvus_version", c->milvus_version);
	/* session/version (2.6.8+, 3.x): null when the key is absent. */
	out_str(root, "cluster_version", c->cluster_version);
	out_int(root, "revision", c->sessions_revision);
	if (c->session_ttl_s > 0)
		out_int(root, "session_ttl_s", c->session_ttl_s);
	else
		out_null(root, "session_ttl_s");
	out_str(root, "role_filter", role);
	if (id >= 0)
		out_int(root, "id_filter", id);
	else
		out_null(root, "id_filter");
	t = out_table(root, "components", "components", topology_cols,
	    sizeof topology_cols / sizeof topology_cols[0]);
	for (i = 0; i < c->n_components; i++) {
		if (role != NULL && strcmp(c->components[i].role, role) != 0)
			continue;
		if (id >= 0 && c->components[i].server_id != id)
			continue;
		topology_row(out_row(t), &c->components[i], now);
		shown++;
	}
	cmd_cluster_unparsable_out(ctx, root, c);
	out_int(root, "count", (int64_t)shown);
	state_free(st);
	/* An ID names one component: none is an answer a script must not take
	 * for an empty cluster (a role filter may match nothing, and says so
	 * with an empty table). */
	if (id >= 0 && shown == 0) {
		out_doc_free(d);
		return cmd_error(ctx, CMD_FAILED, "no component with server ID %lld%s%s%s",
		    (long long)id, role != NULL ? " and role '" : "", role != NULL ? role : "",
		    role != NULL ? "'" : "");
	}
	return cmd_emit(ctx, d);
}
