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

/* A component with its rank worked out once, not in every comparison. */
struct overview_key {
	int rank;
	const struct component *k;
};

static int
overview_cmp(const void *a, const void *b)
{
	const struct overview_key *kx = a, *ky = b;
	const struct component *x = kx->k, *y = ky->k;
	int c;

	if (kx->rank != ky->rank)
		return kx->rank - ky->rank;
	if (x->role != y->role && (c = strcmp(x->role, y->role)) != 0)
		return c;
	/* The active one first, then by ID. */
	if (x->ha != y->ha)
		return x->ha == HA_ACTIVE ? -1 : y->ha == HA_ACTIVE ? 1 : 0;
	return x->server_id < y->server_id ? -1 : x->server_id > y->server_id;
}

/* s padded with blanks to width, as "%-*s" would, plus blank trailing ones:
 * by hand, as the rows of thousands of components are built after every
 * change of the model and printf is most of the cost of a row. */
static void
overview_field(struct vlines *l, enum theme_role role, const char *s, size_t width,
    size_t blank)
{
	char buf[160];
	size_t len = strlen(s);

	if (len + width + blank >= sizeof buf) {
		vline_add(l, role, "%-*s%*s", (int)width, s, (int)blank, "");
		return;
	}
	memcpy(buf, s, len);
	while (len < width)
		buf[len++] = ' ';
	while (blank-- > 0)
		buf[len++] = ' ';
	vline_addn(l, role, buf, len);
}

/* Decimal v into out (at least 24 bytes). */
static const char *
overview_int(int64_t v, char *out)
{
	char *p = out + 23;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return p;
}

static void
overview_component(struct vlines *l, const struct view_env *env,
    const struct component *k, bool last)
{
	const struct cluster *c = env->c;
	enum theme_role hr;
	const char *badge = "";
	enum theme_role br = THEME_TEXT;
	char ttl[48], num[24], branch[16];
	size_t len;

	strcpy(branch, "  ");
	strcat(branch, view_branch(env->utf8, last));
	vline_begin(l, false);
	overview_field(l, THEME_BORDER, branch, 0, 0);
	overview_field(l, THEME_TEXT, overview_int(k->server_id, num), 8, 1);
	if (k->ha == HA_ACTIVE) {
		badge = "ACTIVE";
		br = THEME_ACTIVE;
	} else if (k->ha == HA_STANDBY) {
		badge = "STANDBY";
		br = THEME_STANDBY;
	}
	overview_field(l, br, badge, 8, 1);
	overview_field(l, THEME_TEXT, k->s.address != NULL ? k->s.address : "-", 21, 1);
	hr = view_health_role(k->health);
	/* Health read by a sweep that has since failed is not current. */
	if (c->src_health.failing_since_ms != 0 && k->health != HEALTH_UNKNOWN)
		hr = THEME_STALE;
	overview_field(l, hr, k->s.stopping ? "Stopping" : health_name(k->health), 12, 1);
	if (k->lease_ttl_s >= 0) {
		len = strlen(strcpy(ttl, "ttl "));
		strcpy(ttl + len, overview_int(k->lease_ttl_s, num));
		strcat(ttl, "s");
	} else
		strcpy(ttl, "ttl -");
	overview_field(l, k->lease_ttl_s >= 0 && k->lease_ttl_s <= 1 ? THEME_WARN : THEME_MUTED,
	    ttl, 8, 1);
	/* The host name, often long (a pod's), goes last: at 80 columns the
	 * screen's edge cuts it, never the lease. */
	overview_field(l, THEME_MUTED, k->s.version != NULL ? k->s.version : "-", 10, 1);
	overview_field(l, THEME_MUTED, k->s.host_name != NULL ? k->s.host_name : "-", 0, 0);
}

static void
overview_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	const struct component **ks;
	struct overview_key *keys;
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
	/* More session keys than the model keeps: say that this is not all. */
	if (c->src_sessions.note != NULL)
		vline_text(&v->lines, true, THEME_WARN, "%s", c->src_sessions.note);
	keys = xcalloc(n, sizeof *keys);
	for (i = 0; i < n; i++) {
		keys[i].k = &c->components[i];
		/* Components of one role mostly sit together: rank once per run. */
		keys[i].rank = i > 0 && strcmp(keys[i - 1].k->role, keys[i].k->role) == 0 ?
		    keys[i - 1].rank : overview_rank(keys[i].k->role);
	}
	qsort(keys, n, sizeof *keys, overview_cmp);
	ks = xcalloc(n, sizeof *ks);
	for (i = 0; i < n; i++)
		ks[i] = keys[i].k;
	free(keys);
	vline_text(&v->lines, true, THEME_TITLE, "%-5s%-8s %-8s %-21s %-12s %-8s %-10s %s",
	    "", "ID", "STATE", "ADDRESS", "HEALTH", "LEASE", "VERSION", "HOST");
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
