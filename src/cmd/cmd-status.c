/* SPDX-License-Identifier: MIT */
/* `status`: one screen of the cluster: Milvus version, etcd health and leader,
 * each coordinator instance ACTIVE/STANDBY, worker counts healthy/total,
 * loaded collections with degraded replicas, the backups' RPO, and alerts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-gather.h"
#include "cmd-handlers.h"

/* A screen, not a log: past this many alerts only the count grows. */
#define MAX_ALERTS	32

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

struct alerts {
	char *v[MAX_ALERTS];
	size_t n;
	size_t dropped;
};

static void
alert(struct alerts *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
alert(struct alerts *a, const char *fmt, ...)
{
	va_list ap;

	/* The last slot is kept for the "N more" line. */
	if (a->n >= MAX_ALERTS - 1) {
		a->dropped++;
		return;
	}
	va_start(ap, fmt);
	a->v[a->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

static void
status_etcd(struct out_obj *root, const struct cluster *c, struct alerts *a)
{
	struct out_obj *o = out_obj(root, "etcd");
	const char *leader = NULL;
	size_t i, up = 0;

	for (i = 0; i < c->n_etcd; i++) {
		const struct etcd_member_state *m = &c->etcd[i];

		if (!m->reachable) {
			alert(a, "etcd member '%s' unreachable%s%s", m->name != NULL ? m->name :
			    "?", m->error != NULL ? ": " : "", m->error != NULL ? m->error : "");
			continue;
		}
		up++;
		if (m->is_leader)
			leader = m->name;
		if (m->n_alarms > 0)
			alert(a, "etcd member '%s' raised alarm %s", m->name, m->alarms[0]);
	}
	out_int(o, "members", (int64_t)c->n_etcd);
	out_int(o, "healthy", (int64_t)up);
	out_str(o, "leader", leader);
	out_str(o, "error", c->src_etcd.error);
	if (c->src_etcd.error != NULL)
		alert(a, "etcd status unknown: %s", c->src_etcd.error);
	else if (leader == NULL && c->n_etcd > 0)
		alert(a, "etcd has no leader");
}

static void
status_coords(struct out_obj *root, const struct cluster *c, struct alerts *a)
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
			if (k->health == HEALTH_ABNORMAL)
				alert(a, "%s %lld is abnormal", k->role, (long long)k->server_id);
		}
		/* indexcoord (2.3-2.5) lives in datacoord and follows its election:
		 * its standby is datacoord's. */
		if (strcmp(l->role, "indexcoord") == 0)
			continue;
		if (l->active_id == 0)
			alert(a, "no active %s", l->role);
		else if (!l->active_standby || l->n_standby == 0)
			alert(a, "%s has no standby", l->role);
	}
}

static void
status_workers(struct out_obj *root, const struct cluster *c, struct alerts *a)
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
			else if (c->src_health.updated_ms != 0)
				alert(a, "%s %lld is %s", k->role, (long long)k->server_id,
				    k->s.stopping ? "stopping" : health_name(k->health));
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
status_collections(struct out_obj *root, const struct cluster *c, struct alerts *a)
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
		if (strcmp(cs->load_state, "LoadStateLoading") == 0)
			alert(a, "collection '%s.%s' is loading (%lld%%)", cs->db, cs->name,
			    (long long)cs->load_progress);
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
		alert(a, "collection '%s' has a degraded replica", name);
	}
	out_int(o, "total", (int64_t)c->n_collections);
	out_int(o, "loaded", (int64_t)loaded);
	out_int(o, "degraded", (int64_t)degraded);
	out_str(o, "error", c->src_proxy.error != NULL ? c->src_proxy.error :
	    c->src_replicas.error);
	if (c->src_proxy.error != NULL)
		alert(a, "collections unknown: %s", c->src_proxy.error);
	else if (c->src_replicas.error != NULL)
		alert(a, "replicas unknown: %s", c->src_replicas.error);
}

/* The recovery point of the backup tier: one line (an unset or unreachable
 * backup server is said), and an alert when it is missed or cannot be shown. */
static void
status_rpo(struct cmd_ctx *ctx, struct out_obj *root, const struct cluster *c,
    struct alerts *a)
{
	struct out_obj *o = out_obj(root, "rpo");
	const struct profile *p;
	struct bk_rpo_view v;
	struct config *cfg;
	char err[512], line[700];
	bool known = c->src_proxy.error == NULL && c->src_proxy.updated_ms != 0;
	int verdict;

	cfg = config_load(NULL, err, sizeof err);
	p = config_profile(cfg, ctx->profile);
	if (p == NULL) {
		out_str(o, "status", "unknown");
		out_str(o, "line", "RPO unknown: no profile");
		config_free(cfg);
		return;
	}
	bk_rpo_load(ctx, p, known ? c : NULL, p->guards_rpo_target_ms, true, &v);
	verdict = bk_rpo_line(&v, known, line, sizeof line);
	out_str(o, "status", verdict == 0 ? "ok" : verdict == 1 ? "breached" :
	    !v.configured ? "unconfigured" : !v.loaded ? "unreachable" : "unknown");
	out_int(o, "target_ms", v.target_ms);
	if (v.loaded && known) {
		out_int(o, "collections", (int64_t)v.n);
		out_int(o, "breached", (int64_t)v.missed);
	} else {
		out_null(o, "collections");
		out_null(o, "breached");
	}
	out_str(o, "line", line);
	/* A profile without a backup server is a choice the line states; a
	 * breach or a server that fails is a condition to act on. */
	if (verdict != 0 && v.configured)
		alert(a, "%s", line);
	bk_rpo_release(&v);
	config_free(cfg);
}

int
cmd_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct alerts a;
	struct state *st;
	struct cluster *c;
	struct out_doc *d;
	struct out_obj *root;
	size_t i;
	int rc = CMD_OK;

	if (argc != 1)
		return cmd_usage(ctx, e);
	/* Each source that fails becomes an alert; the screen still shows the rest. */
	if ((st = cmd_cluster_gather_all(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);

	memset(&a, 0, sizeof a);
	d = out_doc_new("status");
	root = out_doc_root(d);
	out_str(root, "milvus_version", c->milvus_version);
	out_str(root, "root_path", c->root);
	if (c->session_ttl_s >= 0)
		out_int(root, "session_ttl_s", c->session_ttl_s);
	else
		out_null(root, "session_ttl_s");
	status_etcd(root, c, &a);
	status_coords(root, c, &a);
	status_workers(root, c, &a);
	status_collections(root, c, &a);
	status_rpo(ctx, root, c, &a);
	if (c->src_health.error != NULL)
		alert(&a, "health unknown: %s", c->src_health.error);
	if (a.dropped > 0)
		a.v[a.n++] = xasprintf("%zu more alerts", a.dropped);
	out_strv(root, "alerts", (const char *const *)a.v, a.n);
	for (i = 0; i < a.n; i++)
		free(a.v[i]);
	rc = cmd_emit(ctx, d);
	state_free(st);
	return rc;
}
