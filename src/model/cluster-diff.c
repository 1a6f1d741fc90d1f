/* SPDX-License-Identifier: MIT */
/* Deriving components and leaders from the raw session keys, version-aware
 * (contract §1.2, §1.4, §2.3, §2.4), and diffing them against the previous
 * snapshot into flight-recorder events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/xalloc.h"
#include "cluster-int.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
session_copy(struct session *dst, const struct session *src)
{
	size_t i;

	*dst = *src;
	dst->key = dup_or_null(src->key);
	dst->server_name = dup_or_null(src->server_name);
	dst->address = dup_or_null(src->address);
	dst->version = dup_or_null(src->version);
	dst->host_name = dup_or_null(src->host_name);
	dst->labels = NULL;
	if (src->n_labels > 0) {
		dst->labels = xcalloc(src->n_labels, sizeof *dst->labels);
		for (i = 0; i < src->n_labels; i++) {
			dst->labels[i].name = dup_or_null(src->labels[i].name);
			dst->labels[i].value = dup_or_null(src->labels[i].value);
		}
	}
}

/* The role a key names: "querynode" for "querynode-12", the key itself when bare. */
static char *
key_role(const struct session *s)
{
	const char *dash;

	if (s->active_key)
		return xstrdup(s->key);
	dash = strrchr(s->key, '-');
	return dash != NULL ? xstrndup(s->key, (size_t)(dash - s->key)) : xstrdup(s->key);
}

/* Worker roles: a process hosting one of these and a coordinator is standalone. */
static bool
is_worker_role(const char *role)
{
	static const char *const w[] = { "proxy", "querynode", "datanode", "indexnode",
		"streamingnode", NULL };
	size_t i;

	for (i = 0; w[i] != NULL; i++) {
		if (strcmp(role, w[i]) == 0)
			return true;
	}
	return false;
}

/* Display order: coordinators first, then workers, then anything else. */
static int
role_rank(const char *role)
{
	static const char *const order[] = { "mixcoord", "rootcoord", "datacoord",
		"querycoord", "indexcoord", "streamingcoord", "proxy", "querynode",
		"streamingnode", "datanode", "indexnode", NULL };
	int i;

	for (i = 0; order[i] != NULL; i++) {
		if (strcmp(role, order[i]) == 0)
			return i;
	}
	return 100;
}

static int
component_cmp(const void *a, const void *b)
{
	const struct component *x = a, *y = b;
	int rx = role_rank(x->role), ry = role_rank(y->role), r;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if ((r = strcmp(x->role, y->role)) != 0)
		return r;
	if (x->server_id != y->server_id)
		return x->server_id < y->server_id ? -1 : 1;
	return 0;
}

struct derive {
	struct component *v;
	size_t n, cap;
};

static struct component *
derive_add(struct derive *d, const struct session_key *k, const char *role)
{
	struct component *comp;
	size_t i;

	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 32 : d->cap * 2;
		d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
	}
	comp = &d->v[d->n++];
	memset(comp, 0, sizeof *comp);
	session_copy(&comp->s, &k->s);
	comp->role = xstrdup(role);
	comp->server_id = k->s.server_id != 0 ? k->s.server_id : k->s.key_server_id;
	comp->exclusive = k->s.exclusive;
	comp->health = HEALTH_UNKNOWN;
	comp->lease_ttl_s = -1;
	comp->ready = -1;
	comp->create_revision = k->create_revision;
	comp->mod_revision = k->mod_revision;
	comp->lease_id = k->lease != 0 ? k->lease : k->s.lease_id;
	for (i = 0; i < k->s.n_labels; i++) {
		const char *name = k->s.labels[i].name;

		if (name != NULL && (strcmp(name, "STREAMING-EMBEDDED") == 0 ||
		    strcmp(name, "STANDALONE") == 0)) {
			comp->label = xstrdup(name);
			break;
		}
	}
	return comp;
}

static struct component *
derive_find(struct derive *d, const char *role, int64_t id)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->v[i].server_id == id && strcmp(d->v[i].role, role) == 0)
			return &d->v[i];
	}
	return NULL;
}

static bool
role_has_instances(const struct cluster_keys *ks, const char *role)
{
	size_t i, len = strlen(role);

	for (i = 0; i < ks->n; i++) {
		const char *k = ks->v[i].s.key;

		if (!ks->v[i].s.active_key && strncmp(k, role, len) == 0 && k[len] == '-')
			return true;
	}
	return false;
}

static bool
role_present(const struct cluster_keys *ks, const char *role)
{
	size_t i, len = strlen(role);

	for (i = 0; i < ks->n; i++) {
		const char *k = ks->v[i].s.key;

		if (strncmp(k, role, len) == 0 && (k[len] == '\0' || k[len] == '-'))
			return true;
	}
	return false;
}

/* Does role run active-standby? Its own -<id> keys say so; the 2.3-2.5
 * indexcoord session follows DataCoord, whose ForceActiveStandby may leave
 * only the bare indexcoord key. */
static bool
role_active_standby(const struct cluster_keys *ks, const char *role)
{
	if (role_has_instances(ks, role))
		return true;
	return strcmp(role, "indexcoord") == 0 && role_has_instances(ks, "datacoord");
}

static bool
is_legacy_role(const char *role)
{
	return strcmp(role, "rootcoord") == 0 || strcmp(role, "datacoord") == 0 ||
	    strcmp(role, "querycoord") == 0;
}

/* The bare key of a role: ACTIVE marker, legacy key of 2.6's mixcoord, or the
 * whole coordinator when active-standby is off. Mixcoord keys go first so that
 * legacy keys find their owner. */
static void
derive_bare(struct derive *d, const struct cluster_keys *ks, const struct session_key *k,
    bool mix)
{
	const char *role = k->s.key;
	int64_t id = k->s.server_id;
	struct component *comp;

	if (mix && is_legacy_role(role) && !role_has_instances(ks, role)) {
		comp = derive_find(d, "mixcoord", id);
		if (comp != NULL) {
			comp->legacy_keys = xreallocarray(comp->legacy_keys,
			    comp->n_legacy_keys + 1, sizeof *comp->legacy_keys);
			comp->legacy_keys[comp->n_legacy_keys++] = xstrdup(role);
		}
		/* Without an owner (mid-failover) it is still not a coordinator. */
		return;
	}
	if (role_active_standby(ks, role)) {
		comp = derive_find(d, role, id);
		if (comp == NULL)
			comp = derive_add(d, k, role);
		comp->ha = HA_ACTIVE;
		return;
	}
	comp = derive_add(d, k, role);
	comp->ha = HA_NONE;
}

/* Which process hosts each component (contract §1.2): DataCoord hosts the
 * indexcoord session, a 2.6 streamingnode an embedded querynode, and one
 * standalone (or mixture) process shares its ServerID among all its roles. */
static void
derive_process(struct derive *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		struct component *comp = &d->v[i];
		bool coord = false, worker = false, standalone = false;
		size_t ncoord = 0;

		for (j = 0; j < d->n; j++) {
			const struct component *o = &d->v[j];

			if (o->server_id != comp->server_id || comp->server_id == 0)
				continue;
			if (o->label != NULL && strcmp(o->label, "STANDALONE") == 0)
				standalone = true;
			if (is_worker_role(o->role))
				worker = true;
			else if (cluster_is_coord_role(o->role)) {
				coord = true;
				if (strcmp(o->role, "indexcoord") != 0)
					ncoord++;
			}
		}
		if (standalone || (coord && worker))
			comp->process = xstrdup("standalone");
		else if (ncoord >= 2 && strcmp(comp->role, "mixcoord") != 0)
			comp->process = xstrdup("mixture");
		else if (strcmp(comp->role, "indexcoord") == 0 &&
		    derive_find(d, "datacoord", comp->server_id) != NULL)
			comp->process = xstrdup("datacoord");
		else if (strcmp(comp->role, "querynode") == 0 &&
		    ((comp->label != NULL && strcmp(comp->label, "STREAMING-EMBEDDED") == 0) ||
		    derive_find(d, "streamingnode", comp->server_id) != NULL))
			comp->process = xstrdup("streamingnode");
		else
			comp->process = xstrdup(comp->role);
	}
}

/* The Version most sessions carry. */
static char *
derive_version(const struct derive *d)
{
	const char *best = NULL;
	size_t i, j, best_n = 0;

	for (i = 0; i < d->n; i++) {
		size_t n = 0;

		if (d->v[i].s.version == NULL)
			continue;
		for (j = 0; j < d->n; j++) {
			if (d->v[j].s.version != NULL &&
			    strcmp(d->v[j].s.version, d->v[i].s.version) == 0)
				n++;
		}
		if (n > best_n) {
			best_n = n;
			best = d->v[i].s.version;
		}
	}
	return dup_or_null(best);
}

static bool
version_at_least(const char *v, int major, int minor)
{
	int ma = 0, mi = 0;

	if (v == NULL)
		return false;
	if (*v == 'v')
		v++;
	if (sscanf(v, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* Carry what the model learned about a component across rebuilds. */
static void
derive_carry(struct component *comp, const struct cluster *c, int64_t now_ms, bool live)
{
	size_t i;

	for (i = 0; i < c->n_components; i++) {
		const struct component *o = &c->components[i];

		if (o->server_id != comp->server_id || strcmp(o->role, comp->role) != 0)
			continue;
		comp->health = o->health;
		comp->health_ms = o->health_ms;
		comp->health_error = dup_or_null(o->health_error);
		comp->health_from_host = o->health_from_host;
		/* What /healthz said of it; superseded is judged anew below. */
		if (o->gone != COMP_SUPERSEDED)
			comp->gone = o->gone;
		comp->ready = o->ready;
		comp->lease_ttl_s = o->lease_ttl_s;
		comp->first_seen_ms = o->first_seen_ms;
		comp->appeared_ms = o->appeared_ms;
		comp->started_ms = o->started_ms;
		return;
	}
	comp->first_seen_ms = now_ms;
	comp->appeared_ms = live ? now_ms : 0;
}

static void
last_active_set(struct cluster_keys *ks, const char *role, int64_t id)
{
	size_t i;

	for (i = 0; i < ks->n_last; i++) {
		if (strcmp(ks->last[i].role, role) == 0) {
			ks->last[i].id = id;
			return;
		}
	}
	ks->last = xreallocarray(ks->last, ks->n_last + 1, sizeof *ks->last);
	ks->last[ks->n_last].role = xstrdup(role);
	ks->last[ks->n_last++].id = id;
}

static int64_t
last_active_get(const struct cluster_keys *ks, const char *role)
{
	size_t i;

	for (i = 0; i < ks->n_last; i++) {
		if (strcmp(ks->last[i].role, role) == 0)
			return ks->last[i].id;
	}
	return 0;
}

static const struct leader *
old_leader(const struct cluster *c, const char *role)
{
	return cluster_leader(c, role);
}

static bool
strv_has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return true;
	}
	return false;
}

/* Per coordinator role: the expected ones for the version (2.6: mixcoord;
 * 2.3-2.5: rootcoord, datacoord, querycoord, indexcoord) plus any other
 * exclusive role seen. */
static void
derive_leaders(struct cluster *c, struct component *v, size_t n, bool mix,
    struct leader **out, size_t *nout)
{
	static const char *const old4[] = { "rootcoord", "datacoord", "querycoord",
		"indexcoord" };
	const char *roles[16];
	struct leader *ls;
	size_t nr = 0, i, j;

	if (mix || version_at_least(c->milvus_version, 2, 6))
		roles[nr++] = "mixcoord";
	else if (n > 0) {
		for (i = 0; i < 4; i++)
			roles[nr++] = old4[i];
	}
	for (i = 0; i < n && nr < 16; i++) {
		if ((v[i].exclusive || cluster_is_coord_role(v[i].role)) &&
		    !is_worker_role(v[i].role) && !strv_has(roles, nr, v[i].role))
			roles[nr++] = v[i].role;
	}
	ls = xcalloc(nr > 0 ? nr : 1, sizeof *ls);
	for (i = 0; i < nr; i++) {
		struct leader *l = &ls[i];
		size_t ns = 0;

		l->role = xstrdup(roles[i]);
		l->active_standby = role_active_standby(c->keys, roles[i]);
		for (j = 0; j < n; j++) {
			if (strcmp(v[j].role, roles[i]) != 0)
				continue;
			if (v[j].ha == HA_STANDBY)
				ns++;
			else if (l->active_id == 0) {
				l->active_id = v[j].server_id;
				l->active_address = dup_or_null(v[j].s.address);
			}
		}
		l->standby_ids = xcalloc(ns > 0 ? ns : 1, sizeof *l->standby_ids);
		for (j = 0; j < n; j++) {
			if (strcmp(v[j].role, roles[i]) == 0 && v[j].ha == HA_STANDBY)
				l->standby_ids[l->n_standby++] = v[j].server_id;
		}
		/* The bare key's revisions date the takeover. */
		for (j = 0; j < c->keys->n; j++) {
			const struct session_key *k = &c->keys->v[j];

			if (k->s.active_key && strcmp(k->s.key, roles[i]) == 0) {
				l->since_revision = k->mod_revision;
				l->active_create_revision = k->create_revision;
			}
		}
	}
	*out = ls;
	*nout = nr;
}

/* Events for what changed between the old snapshot (still in c) and the new. */
static void
diff_components(struct cluster *c, const struct component *v, size_t n, int64_t rev,
    int64_t now_ms)
{
	size_t i, j;

	for (i = 0; i < c->n_components; i++) {
		const struct component *o = &c->components[i];
		bool found = false;

		for (j = 0; j < n && !found; j++)
			found = v[j].server_id == o->server_id && strcmp(v[j].role, o->role) == 0;
		if (!found)
			events_add(c->events, now_ms, rev, EV_NODE_LEFT, o->role, o->server_id, 0,
			    "%s %lld left (%s)", o->role, (long long)o->server_id,
			    o->s.address != NULL ? o->s.address : "no address");
	}
	for (j = 0; j < n; j++) {
		const struct component *o = NULL;

		for (i = 0; i < c->n_components && o == NULL; i++) {
			if (c->components[i].server_id == v[j].server_id &&
			    strcmp(c->components[i].role, v[j].role) == 0)
				o = &c->components[i];
		}
		if (o == NULL)
			events_add(c->events, now_ms, rev, EV_NODE_JOINED, v[j].role,
			    v[j].server_id, 0, "%s %lld joined at %s%s%s", v[j].role,
			    (long long)v[j].server_id,
			    v[j].s.address != NULL ? v[j].s.address : "no address",
			    v[j].ha == HA_STANDBY ? " as standby" : "",
			    v[j].s.stopping ? " (stopping)" : "");
		else if (!o->s.stopping && v[j].s.stopping)
			events_add(c->events, now_ms, rev, EV_NODE_STOPPING, v[j].role,
			    v[j].server_id, 0, "%s %lld is stopping (graceful stop)", v[j].role,
			    (long long)v[j].server_id);
	}
}

static void
diff_leaders(struct cluster *c, struct leader *ls, size_t n, int64_t rev, int64_t now_ms,
    bool baseline)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct leader *l = &ls[i];
		const struct leader *o = old_leader(c, l->role);
		int64_t old_id = o != NULL ? o->active_id : 0;

		if (o != NULL) {
			l->prev_active_id = o->prev_active_id;
			l->changed_ms = o->changed_ms;
			l->changed_revision = o->changed_revision;
			l->since_ms = o->active_id == l->active_id ? o->since_ms : 0;
		}
		if (l->active_id == old_id || baseline) {
			if (l->active_id != 0)
				last_active_set(c->keys, l->role, l->active_id);
			continue;
		}
		l->changed_ms = now_ms;
		l->changed_revision = rev;
		l->since_ms = l->active_id != 0 ? now_ms : 0;
		if (l->active_id == 0) {
			l->prev_active_id = old_id;
			events_add(c->events, now_ms, rev, EV_LEADER_LOST, l->role, 0, old_id,
			    "%s: active %lld is gone, no active yet", l->role, (long long)old_id);
			continue;
		}
		if (old_id == 0)
			old_id = last_active_get(c->keys, l->role);
		l->prev_active_id = old_id;
		last_active_set(c->keys, l->role, l->active_id);
		if (old_id != 0)
			events_add(c->events, now_ms, rev, EV_LEADER_CHANGED, l->role, l->active_id,
			    old_id, "%s: active %lld -> %lld (%s)", l->role, (long long)old_id,
			    (long long)l->active_id,
			    l->active_address != NULL ? l->active_address : "no address");
		else
			events_add(c->events, now_ms, rev, EV_LEADER_CHANGED, l->role, l->active_id,
			    0, "%s: active none -> %lld (%s)", l->role, (long long)l->active_id,
			    l->active_address != NULL ? l->active_address : "no address");
	}
	/* A role that disappears entirely (no key left) loses its active too. */
	for (i = 0; i < c->n_leaders; i++) {
		const struct leader *o = &c->leaders[i];
		bool found = false;
		size_t j;

		for (j = 0; j < n && !found; j++)
			found = strcmp(ls[j].role, o->role) == 0;
		if (!found && o->active_id != 0 && !baseline)
			events_add(c->events, now_ms, rev, EV_LEADER_LOST, o->role, 0, o->active_id,
			    "%s: active %lld is gone, no active yet", o->role,
			    (long long)o->active_id);
	}
}

void
cluster_sessions_commit(struct cluster *c, int64_t revision, int64_t now_ms)
{
	struct cluster_keys *ks = c->keys;
	struct derive d = { NULL, 0, 0 };
	struct leader *ls;
	size_t i, nl;
	bool mix, baseline = !c->sessions_known;

	if (revision > c->sessions_revision)
		c->sessions_revision = revision;
	if (!ks->dirty && !baseline)
		return;
	ks->dirty = false;
	mix = role_present(ks, "mixcoord");
	/* Instance keys first, then bare mixcoord keys, then other bare keys. */
	for (i = 0; i < ks->n; i++) {
		char *role;

		if (ks->v[i].s.active_key)
			continue;
		role = key_role(&ks->v[i].s);
		derive_add(&d, &ks->v[i], role)->ha = ks->v[i].s.exclusive ? HA_STANDBY : HA_NONE;
		free(role);
	}
	for (i = 0; i < ks->n; i++) {
		if (ks->v[i].s.active_key && strcmp(ks->v[i].s.key, "mixcoord") == 0)
			derive_bare(&d, ks, &ks->v[i], mix);
	}
	for (i = 0; i < ks->n; i++) {
		if (ks->v[i].s.active_key && strcmp(ks->v[i].s.key, "mixcoord") != 0)
			derive_bare(&d, ks, &ks->v[i], mix);
	}
	derive_process(&d);
	for (i = 0; i < d.n; i++)
		derive_carry(&d.v[i], c, now_ms, !baseline && now_ms != 0);
	if (d.n > 1)
		qsort(d.v, d.n, sizeof *d.v, component_cmp);
	free(c->milvus_version);
	c->milvus_version = derive_version(&d);
	derive_leaders(c, d.v, d.n, mix, &ls, &nl);
	if (!baseline)
		diff_components(c, d.v, d.n, revision, now_ms);
	diff_leaders(c, ls, nl, revision, now_ms, baseline);
	cluster_components_free(c->components, c->n_components);
	cluster_leaders_free(c->leaders, c->n_leaders);
	c->components = d.v;
	c->n_components = d.n;
	c->leaders = ls;
	c->n_leaders = nl;
	c->sessions_known = true;
	cluster_mark_superseded(c, now_ms);
}
