/* SPDX-License-Identifier: MIT */
/* `status`: one screen of the cluster: Milvus version, etcd health and leader,
 * each coordinator instance ACTIVE/STANDBY, worker counts healthy/total,
 * loaded collections with degraded replicas, the backups' RPO, and alerts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-alerts.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-gather.h"
#include "cmd-handlers.h"

/* A screen, not a log: past this many alert lines only the count grows
 * (alert_list has them all). */
#define MAX_ALERT_LINES	32

static const struct out_col alert_cols[] = {
	{ "severity", "SEVERITY", OCOL_STR, OFIT_KEEP },
	{ "since_ms", "SINCE", OCOL_TIME_MS, OFIT_AUTO },
	{ "message", "ALERT", OCOL_STR, OFIT_FIRST },
	{ "fix", "FIX", OCOL_STR, OFIT_FIRST },
};

static const struct out_col coord_cols[] = {
	{ "role", "COORDINATOR", OCOL_STR },
	{ "server_id", "ID", OCOL_INT },
	{ "state", "STATE", OCOL_STR },
	{ "health", "HEALTH", OCOL_STR },
	{ "address", "ADDRESS", OCOL_STR },
};

static const struct out_col worker_cols[] = {
	{ "role", "WORKER", OCOL_STR },
	{ "healthy", "HEALTHY", OCOL_INT },
	{ "total", "TOTAL", OCOL_INT },
};

static const struct out_col degraded_cols[] = {
	{ "collection", "DEGRADED COLLECTION", OCOL_STR },
	{ "replicas", "REPLICAS", OCOL_INT },
	{ "serving_replicas", "SERVING", OCOL_INT },
	{ "orphan_shards", "SHARDS WITHOUT LEADER", OCOL_INT },
};

static void
status_etcd(struct out_obj *root, const struct cluster *c)
{
	struct out_obj *o = out_obj(root, "etcd");
	const char *leader = NULL;
	size_t i, up = 0;

	for (i = 0; i < c->n_etcd; i++) {
		const struct etcd_member_state *m = &c->etcd[i];

		if (!m->reachable)
			continue;
		up++;
		if (m->is_leader)
			leader = m->name;
	}
	out_int(o, "members", (int64_t)c->n_etcd);
	out_int(o, "healthy", (int64_t)up);
	out_str(o, "leader", leader);
	out_str(o, "error", c->src_etcd.error);
}

static void
status_coords(struct out_obj *root, const struct cluster *c)
{
	struct out_tab *t;
	struct out_obj *row;
	size_t i, j;

	t = out_table(root, "coordinators", "coordinators", coord_cols,
	    sizeof coord_cols / sizeof coord_cols[0]);
	for (i = 0; i < c->n_leaders; i++) {
		const struct leader *l = &c->leaders[i];

		for (j = 0; j < c->n_components; j++) {
			const struct component *k = &c->components[j];

			if (strcmp(k->role, l->role) != 0)
				continue;
			row = out_row(t);
			out_str(row, "role", k->role);
			out_int(row, "server_id", k->server_id);
			out_str(row, "state", k->ha == HA_ACTIVE ? "ACTIVE" :
			    k->ha == HA_STANDBY ? "STANDBY" :
			    k->server_id == l->active_id ? "ACTIVE" : "-");
			out_str(row, "health", health_name(k->health));
			out_str(row, "address", k->s.address);
			out_bool(row, "stopping", k->s.stopping);
		}
	}
}

static void
status_workers(struct out_obj *root, const struct cluster *c)
{
	struct out_tab *t;
	struct out_obj *row;
	const char **roles;
	size_t i, j, n = 0, healthy, total;

	roles = xcalloc(c->n_components + 1, sizeof *roles);
	for (i = 0; i < c->n_components; i++) {
		const char *r = c->components[i].role;

		if (cluster_is_coord_role(r) || c->components[i].exclusive)
			continue;
		for (j = 0; j < n && strcmp(roles[j], r) != 0; j++)
			;
		if (j == n)
			roles[n++] = r;
	}
	t = out_table(root, "workers", "workers", worker_cols,
	    sizeof worker_cols / sizeof worker_cols[0]);
	for (j = 0; j < n; j++) {
		healthy = total = 0;
		for (i = 0; i < c->n_components; i++) {
			const struct component *k = &c->components[i];

			if (strcmp(k->role, roles[j]) != 0)
				continue;
			total++;
			if (k->health == HEALTH_HEALTHY && !k->s.stopping)
				healthy++;
		}
		row = out_row(t);
		out_str(row, "role", roles[j]);
		if (c->src_health.updated_ms != 0)
			out_int(row, "healthy", (int64_t)healthy);
		else
			out_null(row, "healthy");
		out_int(row, "total", (int64_t)total);
	}
	free(roles);
}

static void
status_collections(struct out_obj *root, const struct cluster *c)
{
	struct out_obj *o = out_obj(root, "collections"), *row;
	struct out_tab *t;
	size_t i, j, loaded = 0, degraded = 0;
	char name[512];

	t = out_table(root, "degraded", "degraded collections", degraded_cols,
	    sizeof degraded_cols / sizeof degraded_cols[0]);
	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];
		int64_t serving = 0, orphans = 0;

		if (cs->load_state == NULL || strcmp(cs->load_state, "LoadStateNotLoad") == 0)
			continue;
		loaded++;
		if (!cs->degraded)
			continue;
		degraded++;
		for (j = 0; j < c->n_replicas; j++) {
			const struct replica_state *r = &c->replicas[j];

			if (cs->id == NULL || strcmp(r->collection_id, cs->id) != 0)
				continue;
			if (r->n_healthy > 0)
				serving++;
			orphans += (int64_t)r->n_orphan_shards;
		}
		snprintf(name, sizeof name, "%s.%s", cs->db, cs->name);
		row = out_row(t);
		out_str(row, "collection", name);
		out_int(row, "replicas", cs->n_replicas);
		out_int(row, "serving_replicas", serving);
		out_int(row, "orphan_shards", orphans);
	}
	out_int(o, "total", (int64_t)c->n_collections);
	out_int(o, "loaded", (int64_t)loaded);
	out_int(o, "degraded", (int64_t)degraded);
	out_str(o, "error", c->src_proxy.error != NULL ? c->src_proxy.error :
	    c->src_replicas.error);
}

void
cmd_rpo_read(struct cmd_ctx *ctx, const struct cluster *c, struct cmd_rpo *r)
{
	const struct profile *p;
	struct bk_rpo_view v;
	struct config *cfg;
	char err[512];
	bool known = c->src_proxy.error == NULL && c->src_proxy.updated_ms != 0;

	memset(r, 0, sizeof *r);
	r->verdict = 2;
	cfg = config_load(NULL, err, sizeof err);
	p = config_profile(cfg, ctx->profile);
	if (p == NULL) {
		snprintf(r->line, sizeof r->line, "RPO unknown: no profile");
		config_free(cfg);
		return;
	}
	bk_rpo_load(ctx, p, known ? c : NULL, p->guards_rpo_target_ms, true, &v);
	r->verdict = bk_rpo_line(&v, known, r->line, sizeof r->line);
	r->configured = v.configured;
	r->loaded = v.loaded;
	r->target_ms = v.target_ms;
	r->counted = v.loaded && known;
	r->collections = v.n;
	r->breached = v.missed;
	bk_rpo_release(&v);
	config_free(cfg);
}

struct alerts *
cmd_alerts(const struct cluster *c, const struct cmd_rpo *r)
{
	struct alerts *a = alerts_new();
	struct alert_rpo rpo;

	/* A profile without a backup server is a choice the rpo line states; a
	 * breach or a server that fails is a condition to act on. */
	memset(&rpo, 0, sizeof rpo);
	rpo.breached = r != NULL && r->configured && r->verdict == 1;
	rpo.unknown = r != NULL && r->configured && r->verdict == 2;
	rpo.line = r != NULL ? r->line : NULL;
	alerts_update(a, c, &rpo, time_wall_ms());
	return a;
}

void
cmd_alerts_out(struct out_obj *root, const struct alerts *a, bool list)
{
	const char *lines[MAX_ALERT_LINES];
	struct out_tab *t;
	struct out_obj *row;
	size_t i, n = alerts_count(a), nl = 0;
	char *more = NULL;

	for (i = 0; i < n && nl < MAX_ALERT_LINES; i++) {
		/* The last line is kept for the "N more" line. */
		if (nl == MAX_ALERT_LINES - 1 && n > MAX_ALERT_LINES) {
			more = xasprintf("%zu more alerts", n - i);
			lines[nl++] = more;
			break;
		}
		lines[nl++] = alerts_get(a, i)->message;
	}
	out_strv(root, "alerts", lines, nl);
	free(more);
	out_int(root, "alert_count", (int64_t)n);
	if (!list)
		return;
	t = out_table(root, "alert_list", "alerts", alert_cols,
	    sizeof alert_cols / sizeof alert_cols[0]);
	for (i = 0; i < n; i++) {
		const struct alert *al = alerts_get(a, i);

		row = out_row(t);
		out_str(row, "severity", alert_severity_name(al->severity));
		out_str(row, "kind", al->kind);
		out_str(row, "object", al->object);
		out_str(row, "role", al->role);
		if (al->server_id != 0)
			out_int(row, "server_id", al->server_id);
		else
			out_null(row, "server_id");
		out_int(row, "since_ms", al->first_seen_ms);
		out_str(row, "message", al->message);
		out_str(row, "fix", al->fix);
	}
}

/* The recovery point of the backup tier: one line (an unset or unreachable
 * backup server is said). */
static void
status_rpo(struct out_obj *root, const struct cmd_rpo *r)
{
	struct out_obj *o = out_obj(root, "rpo");

	out_str(o, "status", r->verdict == 0 ? "ok" : r->verdict == 1 ? "breached" :
	    !r->configured ? "unconfigured" : !r->loaded ? "unreachable" : "unknown");
	out_int(o, "target_ms", r->target_ms);
	if (r->counted) {
		out_int(o, "collections", (int64_t)r->collections);
		out_int(o, "breached", (int64_t)r->breached);
	} else {
		out_null(o, "collections");
		out_null(o, "breached");
	}
	out_str(o, "line", r->line);
}

int
cmd_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct cmd_rpo rpo;
	struct alerts *a;
	struct state *st;
	struct cluster *c;
	struct out_doc *d;
	struct out_obj *root;
	int rc = CMD_OK;

	if (argc != 1)
		return cmd_usage(ctx, e);
	/* Each source that fails becomes an alert; the screen still shows the rest. */
	if ((st = cmd_cluster_gather_all(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	cmd_rpo_read(ctx, c, &rpo);
	a = cmd_alerts(c, &rpo);

	d = out_doc_new("status");
	root = out_doc_root(d);
	out_str(root, "milvus_version", c->milvus_version);
	out_str(root, "root_path", c->root);
	if (c->session_ttl_s >= 0)
		out_int(root, "session_ttl_s", c->session_ttl_s);
	else
		out_null(root, "session_ttl_s");
	status_etcd(root, c);
	status_coords(root, c);
	status_workers(root, c);
	status_collections(root, c);
	status_rpo(root, &rpo);
	cmd_alerts_out(root, a, true);
	cmd_cluster_unparsable_out(ctx, root, c);
	rc = cmd_emit(ctx, d);
	alerts_free(a);
	state_free(st);
	return rc;
}
