/* SPDX-License-Identifier: MIT */
/* Deriving components and leaders from the raw session keys, version-aware
 * (contract §1.2, §1.4, §2.3, §2.4); cluster-diff.c diffs them against the
 * previous snapshot. */
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
int
cluster_role_rank(const char *role)
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

/* The model's order of components: rank, role, server ID. */
int
cluster_comp_key_cmp(int ox, const char *rx, int64_t ix, int oy, const char *ry, int64_t iy)
{
	int r;

	if (ox != oy)
		return ox < oy ? -1 : 1;
	if ((r = strcmp(rx, ry)) != 0)
		return r;
	if (ix != iy)
		return ix < iy ? -1 : 1;
	return 0;
}

static int
component_cmp(const void *a, const void *b)
{
	const struct component *x = a, *y = b;

	return cluster_comp_key_cmp(x->order, x->role, x->server_id, y->order, y->role, y->server_id);
}

/* ---- which roles the keys name ---- */

/* One role named by the keys: by instance keys (<role>-<id>), by a bare key,
 * or both. Sorted by name, so every question about a role is O(log n). */
struct role_info {
	const char *name;		/* borrowed from a key */
	size_t len;
	bool instances;
	bool bare;
};

struct roles {
	struct role_info *v;
	size_t n;
};

static int
role_info_cmp(const void *a, const void *b)
{
	const struct role_info *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->name, y->name, n);

	if (r != 0)
		return r;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void
roles_build(struct roles *r, const struct cluster_keys *ks)
{
	size_t i, j;

	r->v = xcalloc(ks->n + 1, sizeof *r->v);
	r->n = 0;
	for (i = 0; i < ks->n; i++) {
		const struct session *s = &ks->v[i].s;
		struct role_info *ri = &r->v[r->n];
		const char *dash;

		ri->name = s->key;
		if (s->active_key || (dash = strrchr(s->key, '-')) == NULL) {
			ri->len = strlen(s->key);
			ri->bare = true;
		} else {
			ri->len = (size_t)(dash - s->key);
			ri->instances = true;
		}
		r->n++;
	}
	if (r->n > 1)
		qsort(r->v, r->n, sizeof *r->v, role_info_cmp);
	for (i = 0, j = 0; i < r->n; i++) {
		if (j > 0 && role_info_cmp(&r->v[j - 1], &r->v[i]) == 0) {
			r->v[j - 1].instances |= r->v[i].instances;
			r->v[j - 1].bare |= r->v[i].bare;
		} else
			r->v[j++] = r->v[i];
	}
	r->n = j;
}

static const struct role_info *
roles_find(const struct roles *r, const char *role)
{
	struct role_info key = { role, strlen(role), false, false };

	return r->n > 0 ? bsearch(&key, r->v, r->n, sizeof *r->v, role_info_cmp) : NULL;
}

static bool
role_has_instances(const struct roles *r, const char *role)
{
	const struct role_info *ri = roles_find(r, role);

	return ri != NULL && ri->instances;
}

static bool
role_present(const struct roles *r, const char *role)
{
	return roles_find(r, role) != NULL;
}

/* Does role run active-standby? Its own -<id> keys say so; the 2.3-2.5
 * indexcoord session follows DataCoord, whose ForceActiveStandby may leave
 * only the bare indexcoord key. */
static bool
role_active_standby(const struct roles *r, const char *role)
{
	if (role_has_instances(r, role))
		return true;
	return strcmp(role, "indexcoord") == 0 && role_has_instances(r, "datacoord");
}

struct derive {
	struct component *v;
	size_t n, cap;
	/* derive_find: v's first n_sorted entries by role and ID (indices into
	 * v), then the few added by bare keys, searched one by one. */
	size_t *by_id;
	size_t n_sorted;
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

/* qsort has no argument: the array being sorted by index. */
static const struct component *by_id_base;

static int
by_id_cmp(const void *a, const void *b)
{
	const struct component *x = &by_id_base[*(const size_t *)a];
	const struct component *y = &by_id_base[*(const size_t *)b];
	int r = strcmp(x->role, y->role);

	if (r != 0)
		return r;
	if (x->server_id != y->server_id)
		return x->server_id < y->server_id ? -1 : 1;
	/* The first derived first, as a search one by one would find it. */
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void
derive_index(struct derive *d)
{
	size_t i;

	free(d->by_id);
	d->by_id = xcalloc(d->n + 1, sizeof *d->by_id);
	for (i = 0; i < d->n; i++)
		d->by_id[i] = i;
	by_id_base = d->v;
	if (d->n > 1)
		qsort(d->by_id, d->n, sizeof *d->by_id, by_id_cmp);
	d->n_sorted = d->n;
}

static struct component *
derive_find(struct derive *d, const char *role, int64_t id)
{
	size_t lo = 0, hi = d->n_sorted, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct component *m = &d->v[d->by_id[mid]];
		int r = strcmp(m->role, role);

		if (r < 0 || (r == 0 && m->server_id < id))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->n_sorted && d->v[d->by_id[lo]].server_id == id &&
	    strcmp(d->v[d->by_id[lo]].role, role) == 0)
		return &d->v[d->by_id[lo]];
	for (i = d->n_sorted; i < d->n; i++) {
		if (d->v[i].server_id == id && strcmp(d->v[i].role, role) == 0)
			return &d->v[i];
	}
	return NULL;
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
derive_bare(struct derive *d, const struct roles *roles, const struct session_key *k,
    bool mix)
{
	const char *role = k->s.key;
	int64_t id = k->s.server_id;
	struct component *comp;

	if (mix && is_legacy_role(role) && !role_has_instances(roles, role)) {
		comp = derive_find(d, "mixcoord", id);
		if (comp != NULL) {
			comp->legacy_keys = xreallocarray(comp->legacy_keys,
			    comp->n_legacy_keys + 1, sizeof *comp->legacy_keys);
			comp->legacy_keys[comp->n_legacy_keys++] = xstrdup(role);
		}
		/* Without an owner (mid-failover) it is still not a coordinator. */
		return;
	}
	if (role_active_standby(roles, role)) {
		comp = derive_find(d, role, id);
		if (comp == NULL)
			comp = derive_add(d, k, role);
		comp->ha = HA_ACTIVE;
		return;
	}
	comp = derive_add(d, k, role);
	comp->ha = HA_NONE;
}

static int
server_id_cmp(const void *a, const void *b)
{
	const struct component *x = *(const struct component *const *)a;
	const struct component *y = *(const struct component *const *)b;

	return x->server_id < y->server_id ? -1 : x->server_id > y->server_id;
}

/* Which process hosts each component (contract §1.2): DataCoord hosts the
 * indexcoord session, a 2.6 streamingnode an embedded querynode, and one
 * standalone (or mixture) process shares its ServerID among all its roles.
 * The components of one ServerID are judged together: O(n log n). */
static void
derive_process(struct derive *d)
{
	struct component **v = xcalloc(d->n + 1, sizeof *v);
	size_t i, j, k;

	for (i = 0; i < d->n; i++)
		v[i] = &d->v[i];
	if (d->n > 1)
		qsort(v, d->n, sizeof *v, server_id_cmp);
	for (i = 0; i < d->n; i = j) {
		bool coord = false, worker = false, standalone = false;
		bool has_datacoord = false, has_streamingnode = false;
		size_t ncoord = 0;

		for (j = i; j < d->n && v[j]->server_id == v[i]->server_id; j++) {
			const struct component *o = v[j];

			if (strcmp(o->role, "datacoord") == 0)
				has_datacoord = true;
			if (strcmp(o->role, "streamingnode") == 0)
				has_streamingnode = true;
			if (o->server_id == 0)
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
		for (k = i; k < j; k++) {
			struct component *comp = v[k];

			if (standalone || (coord && worker))
				comp->process = xstrdup("standalone");
			else if (ncoord >= 2 && strcmp(comp->role, "mixcoord") != 0)
				comp->process = xstrdup("mixture");
			else if (strcmp(comp->role, "indexcoord") == 0 && has_datacoord)
				comp->process = xstrdup("datacoord");
			else if (strcmp(comp->role, "querynode") == 0 &&
			    ((comp->label != NULL &&
			    strcmp(comp->label, "STREAMING-EMBEDDED") == 0) || has_streamingnode))
				comp->process = xstrdup("streamingnode");
			else
				comp->process = xstrdup(comp->role);
		}
	}
	free(v);
}

struct version_ref {
	const char *v;
	size_t first;			/* index of the first component carrying it */
};

static int
version_ref_cmp(const void *a, const void *b)
{
	const struct version_ref *x = a, *y = b;
	int r = strcmp(x->v, y->v);

	if (r != 0)
		return r;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* The Version most sessions carry; a tie goes to the one the first component
 * carries. */
static char *
derive_version(const struct derive *d)
{
	struct version_ref *v = xcalloc(d->n + 1, sizeof *v), best = { NULL, 0 };
	size_t i, j, n = 0, best_n = 0;

	for (i = 0; i < d->n; i++) {
		if (d->v[i].s.version != NULL) {
			v[n].v = d->v[i].s.version;
			v[n++].first = i;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, version_ref_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(v[j].v, v[i].v) == 0; j++)
			;
		if (j - i > best_n || (j - i == best_n && v[i].first < best.first)) {
			best_n = j - i;
			best = v[i];
		}
	}
	free(v);
	return dup_or_null(best.v);
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
carry_one(struct component *comp, const struct component *o, int64_t now_ms, bool live)
{
	if (o == NULL) {
		comp->first_seen_ms = now_ms;
		comp->appeared_ms = live ? now_ms : 0;
		return;
	}
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
}

/* Both arrays in the model's order: one walk (the first old one of a key
 * gives to every new one of it). */
static void
derive_carry(struct component *v, size_t n, const struct cluster *c, int64_t now_ms,
    bool live)
{
	const struct component *old = c->components;
	size_t i = 0, j;

	for (j = 0; j < n; j++) {
		int r = -1;

		while (i < c->n_components && (r = component_cmp(&old[i], &v[j])) < 0)
			i++;
		carry_one(&v[j], i < c->n_components && r == 0 ? &old[i] : NULL, now_ms, live);
	}
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
 * exclusive role seen. v is in the model's order, so a role's components are
 * one run. */
static void
derive_leaders(struct cluster *c, const struct roles *roles, struct component *v, size_t n,
    bool mix, struct leader **out, size_t *nout)
{
	static const char *const old4[] = { "rootcoord", "datacoord", "querycoord",
		"indexcoord" };
	const char *roles_v[16];
	const struct cluster_keys *ks = c->keys;
	struct leader *ls;
	size_t nr = 0, i, j;

	if (mix || version_at_least(c->milvus_version, 2, 6))
		roles_v[nr++] = "mixcoord";
	else if (n > 0) {
		for (i = 0; i < 4; i++)
			roles_v[nr++] = old4[i];
	}
	for (i = 0; i < n && nr < 16; i++) {
		if ((v[i].exclusive || cluster_is_coord_role(v[i].role)) &&
		    !is_worker_role(v[i].role) && !strv_has(roles_v, nr, v[i].role))
			roles_v[nr++] = v[i].role;
	}
	ls = xcalloc(nr > 0 ? nr : 1, sizeof *ls);
	for (i = 0; i < nr; i++) {
		struct leader *l = &ls[i];
		size_t ns = 0;

		l->role = xstrdup(roles_v[i]);
		l->active_standby = role_active_standby(roles, roles_v[i]);
		for (j = 0; j < n; j++) {
			if (strcmp(v[j].role, roles_v[i]) != 0)
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
			if (strcmp(v[j].role, roles_v[i]) == 0 && v[j].ha == HA_STANDBY)
				l->standby_ids[l->n_standby++] = v[j].server_id;
		}
	}
	/* The bare key's revisions date the takeover. */
	for (j = 0; j < ks->n; j++) {
		const struct session_key *k = &ks->v[j];

		if (!k->s.active_key)
			continue;
		for (i = 0; i < nr; i++) {
			if (strcmp(k->s.key, roles_v[i]) == 0) {
				ls[i].since_revision = k->mod_revision;
				ls[i].active_create_revision = k->create_revision;
			}
		}
	}
	*out = ls;
	*nout = nr;
}

/* Components and leaders from the keys (roles, instances, bare keys, hosting
 * process, the model's order, what the old snapshot knew of each, the
 * version, the leaders): O(n log n) in the keys. Sets c->milvus_version. */
void
cluster_derive(struct cluster *c, int64_t now_ms, bool baseline, struct cluster_derived *out)
{
	struct cluster_keys *ks = c->keys;
	struct derive d = { NULL, 0, 0, NULL, 0 };
	struct roles roles;
	size_t i;
	bool mix;

	roles_build(&roles, ks);
	mix = role_present(&roles, "mixcoord");
	/* Each key derives at most one component: no array grows twice. */
	d.cap = ks->n + 1;
	d.v = xcalloc(d.cap, sizeof *d.v);
	/* Instance keys first, then bare mixcoord keys, then other bare keys. */
	for (i = 0; i < ks->n; i++) {
		char *role;

		if (ks->v[i].s.active_key)
			continue;
		role = key_role(&ks->v[i].s);
		derive_add(&d, &ks->v[i], role)->ha = ks->v[i].s.exclusive ? HA_STANDBY : HA_NONE;
		free(role);
	}
	derive_index(&d);
	for (i = 0; i < ks->n; i++) {
		if (ks->v[i].s.active_key && strcmp(ks->v[i].s.key, "mixcoord") == 0)
			derive_bare(&d, &roles, &ks->v[i], mix);
	}
	for (i = 0; i < ks->n; i++) {
		if (ks->v[i].s.active_key && strcmp(ks->v[i].s.key, "mixcoord") != 0)
			derive_bare(&d, &roles, &ks->v[i], mix);
	}
	free(d.by_id);
	derive_process(&d);
	for (i = 0; i < d.n; i++)
		d.v[i].order = cluster_role_rank(d.v[i].role);
	if (d.n > 1)
		qsort(d.v, d.n, sizeof *d.v, component_cmp);
	derive_carry(d.v, d.n, c, now_ms, !baseline && now_ms != 0);
	free(c->milvus_version);
	c->milvus_version = derive_version(&d);
	derive_leaders(c, &roles, d.v, d.n, mix, &out->leaders, &out->n_leaders);
	out->v = d.v;
	out->n = d.n;
	free(roles.v);
}
