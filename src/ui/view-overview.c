/* SPDX-License-Identifier: MIT */
/* The Overview view: every component as a tree grouped by role,
 * coordinators first, with ACTIVE/STANDBY badges, health and lease TTL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/xalloc.h"
#include "view.h"

/* Roles in the order an operator reads them: coordinators, then the path of
 * a request (proxy), then the workers. */
static const char *const overview_order[] = {
	"mixcoord", "rootcoord", "datacoord", "querycoord", "indexcoord",
	"proxy", "querynode", "datanode", "indexnode", "streamingnode",
	"standalone", NULL,
};

static int
overview_rank(const char *role)
{
	int i;

	for (i = 0; overview_order[i] != NULL; i++) {
		if (strcmp(overview_order[i], role) == 0)
			return i;
	}
	return cluster_is_coord_role(role) ? 4 : 100;
}

static int
overview_cmp(const void *a, const void *b)
{
	const struct component *x = *(const struct component *const *)a;
	const struct component *y = *(const struct component *const *)b;
	int rx = overview_rank(x->role), ry = overview_rank(y->role), c;

	if (rx != ry)
		return rx - ry;
	if ((c = strcmp(x->role, y->role)) != 0)
		return c;
	/* The active one first, then by ID. */
	if (x->ha != y->ha)
		return x->ha == HA_ACTIVE ? -1 : y->ha == HA_ACTIVE ? 1 : 0;
	return x->server_id < y->server_id ? -1 : x->server_id > y->server_id;
}

static void
overview_component(struct vlines *l, const struct view_env *env,
    const struct component *k, bool last)
{
	const struct cluster *c = env->c;
	enum theme_role hr;
	const char *badge = "";
	enum theme_role br = THEME_TEXT;
	char ttl[32];

	vline_begin(l, false);
	vline_add(l, THEME_BORDER, "  %s", view_branch(env->utf8, last));
	vline_add(l, THEME_TEXT, "%-8lld ", (long long)k->server_id);
	if (k->ha == HA_ACTIVE) {
		badge = "ACTIVE";
		br = THEME_ACTIVE;
	} else if (k->ha == HA_STANDBY) {
		badge = "STANDBY";
		br = THEME_STANDBY;
	}
	vline_add(l, br, "%-8s ", badge);
	vline_add(l, THEME_TEXT, "%-21s ", k->s.address != NULL ? k->s.address : "-");
	vline_add(l, THEME_MUTED, "%-18s ", k->s.host_name != NULL ? k->s.host_name : "-");
	hr = view_health_role(k->health);
	/* Health read by a sweep that has since failed is not current. */
	if (c->src_health.failing_since_ms != 0 && k->health != HEALTH_UNKNOWN)
		hr = THEME_STALE;
	vline_add(l, hr, "%-12s ", k->s.stopping ? "Stopping" : health_name(k->health));
	if (k->lease_ttl_s >= 0)
		snprintf(ttl, sizeof ttl, "ttl %llds", (long long)k->lease_ttl_s);
	else
		snprintf(ttl, sizeof ttl, "ttl -");
	vline_add(l, k->lease_ttl_s >= 0 && k->lease_ttl_s <= 1 ? THEME_WARN : THEME_MUTED,
	    "%-9s", ttl);
	if (k->s.version != NULL)
		vline_add(l, THEME_MUTED, " %s", k->s.version);
}

static void
overview_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	const struct component **ks;
	size_t i, j, n = c->n_components, count;

	vlines_clear(&v->lines);
	if (!c->sessions_known) {
		vline_text(&v->lines, true, THEME_STALE, "sessions not read yet%s%s",
		    c->src_sessions.error != NULL ? ": " : "",
		    c->src_sessions.error != NULL ? c->src_sessions.error : "");
		return;
	}
	if (n == 0) {
		vline_text(&v->lines, true, THEME_WARN, "no component is registered in etcd");
		return;
	}
	ks = xcalloc(n, sizeof *ks);
	for (i = 0; i < n; i++)
		ks[i] = &c->components[i];
	qsort(ks, n, sizeof *ks, overview_cmp);
	vline_text(&v->lines, true, THEME_TITLE, "%-5s%-8s %-8s %-21s %-18s %-12s %s",
	    "", "ID", "STATE", "ADDRESS", "HOST", "HEALTH", "LEASE");
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(ks[j]->role, ks[i]->role) == 0; j++)
			;
		count = j - i;
		vline_begin(&v->lines, false);
		vline_add(&v->lines, THEME_ACCENT, "%s", ks[i]->role);
		vline_add(&v->lines, THEME_MUTED, " (%zu)", count);
		for (; i < j; i++)
			overview_component(&v->lines, env, ks[i], i + 1 == j);
	}
	free(ks);
}

static void
overview_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_overview_ops = {
	"overview", "Overview", NULL, overview_free, NULL, overview_update, NULL, NULL,
};
