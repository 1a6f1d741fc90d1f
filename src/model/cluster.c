/* SPDX-License-Identifier: MIT */
/* The cluster snapshot: its lifecycle, the raw session key store the
 * components derive from, lookups, and the health and etcd setters. */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "milvusadm/cluster.h"
#include "milvusadm/session.h"
#include "milvusadm/strmap.h"
#include "milvusadm/xalloc.h"
#include "cluster-int.h"

static const char *const coord_roles[] = {
	"rootcoord", "datacoord", "querycoord", "indexcoord", "mixcoord", "streamingcoord",
	NULL
};

/* Roles of which any number run side by side (no active/standby). */
static const char *const worker_roles[] = {
	"proxy", "querynode", "datanode", "indexnode", "streamingnode", NULL
};

static bool
role_in(const char *role, const char *const *v)
{
	size_t i;

	for (i = 0; role != NULL && v[i] != NULL; i++) {
		if (strcmp(role, v[i]) == 0)
			return true;
	}
	return false;
}

bool
cluster_is_worker_role(const char *role)
{
	return role_in(role, worker_roles);
}

bool
cluster_is_coord_role(const char *role)
{
	return role_in(role, coord_roles);
}

const char *
health_name(enum health h)
{
	switch (h) {
	case HEALTH_INITIALIZING:
		return "Initializing";
	case HEALTH_HEALTHY:
		return "Healthy";
	case HEALTH_ABNORMAL:
		return "Abnormal";
	case HEALTH_STANDBY:
		return "StandBy";
	case HEALTH_STOPPING:
		return "Stopping";
	default:
		return "Unknown";
	}
}

const char *
ha_state_name(enum ha_state ha)
{
	switch (ha) {
	case HA_ACTIVE:
		return "ACTIVE";
	case HA_STANDBY:
		return "STANDBY";
	default:
		return "-";
	}
}

const char *
cluster_load_word(const char *s)
{
	if (s == NULL)
		return "unknown";
	if (strcmp(s, "LoadStateLoaded") == 0)
		return "loaded";
	if (strcmp(s, "LoadStateLoading") == 0)
		return "loading";
	if (strcmp(s, "LoadStateNotLoad") == 0)
		return "not loaded";
	if (strcmp(s, "LoadStateNotExist") == 0)
		return "gone";
	return s;
}

struct cluster *
cluster_new(const char *root)
{
	struct cluster *c = xcalloc(1, sizeof *c);

	c->root = xstrdup(root != NULL ? root : "by-dev");
	c->session_ttl_s = -1;
	c->events = events_new(0);
	c->keys = xcalloc(1, sizeof *c->keys);
	return c;
}

void
component_clear(struct component *comp)
{
	size_t i;

	session_clear(&comp->s);
	free(comp->role);
	free(comp->health_error);
	free(comp->process);
	free(comp->label);
	for (i = 0; i < comp->n_legacy_keys; i++)
		free(comp->legacy_keys[i]);
	free(comp->legacy_keys);
	memset(comp, 0, sizeof *comp);
}

void
leader_clear(struct leader *l)
{
	free(l->role);
	free(l->active_address);
	free(l->standby_ids);
	memset(l, 0, sizeof *l);
}

void
etcd_member_state_clear(struct etcd_member_state *m)
{
	size_t i;

	free(m->name);
	free(m->client_url);
	free(m->version);
	for (i = 0; i < m->n_alarms; i++)
		free(m->alarms[i]);
	free(m->alarms);
	free(m->error);
	memset(m, 0, sizeof *m);
}

void
collection_state_clear(struct collection_state *cs)
{
	size_t i;

	free(cs->db);
	free(cs->name);
	free(cs->id);
	free(cs->load_state);
	for (i = 0; i < cs->n_aliases; i++)
		free(cs->aliases[i]);
	free(cs->aliases);
	memset(cs, 0, sizeof *cs);
}

void
replica_state_clear(struct replica_state *r)
{
	size_t i;

	free(r->collection_id);
	free(r->resource_group);
	free(r->rw_nodes);
	free(r->ro_nodes);
	for (i = 0; i < r->n_orphan_shards; i++)
		free(r->orphan_shards[i]);
	free(r->orphan_shards);
	memset(r, 0, sizeof *r);
}

void
cluster_components_free(struct component *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		component_clear(&v[i]);
	free(v);
}

void
cluster_leaders_free(struct leader *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		leader_clear(&v[i]);
	free(v);
}

static void
source_clear(struct source_state *s)
{
	free(s->error);
	s->error = NULL;
	free(s->note);
	s->note = NULL;
}

void
cluster_free(struct cluster *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->root);
	free(c->milvus_version);
	free(c->cluster_version);
	cluster_components_free(c->components, c->n_components);
	cluster_leaders_free(c->leaders, c->n_leaders);
	for (i = 0; i < c->n_etcd; i++)
		etcd_member_state_clear(&c->etcd[i]);
	free(c->etcd);
	for (i = 0; i < c->n_collections; i++)
		collection_state_clear(&c->collections[i]);
	free(c->collections);
	for (i = 0; i < c->n_replicas; i++)
		replica_state_clear(&c->replicas[i]);
	free(c->replicas);
	source_clear(&c->src_sessions);
	source_clear(&c->src_health);
	source_clear(&c->src_etcd);
	source_clear(&c->src_proxy);
	source_clear(&c->src_replicas);
	events_free(c->events);
	cluster_protected_set(c, NULL, 0, false);
	cluster_unparsable_reset(c);
	if (c->keys != NULL) {
		for (i = 0; i < c->keys->n; i++)
			session_clear(&c->keys->v[i].s);
		free(c->keys->v);
		strmap_free(&c->keys->index);
		cluster_key_changes_clear(&c->keys->pend);
		free(c->keys->pend.v);
		cluster_key_changes_clear(&c->keys->told);
		free(c->keys->told.v);
		for (i = 0; i < c->keys->n_last; i++)
			free(c->keys->last[i].role);
		free(c->keys->last);
		free(c->keys);
	}
	free(c);
}

/* ---- the raw key store ---- */

/* The name a key is stored under: exactly as session_parse names a put
 * (session_key_name(): its last path element), so a delete finds what its put
 * stored whatever the root path holds; *len is its length. NULL for a key
 * nested deeper than one
 * level below <root>/meta/session/: not a Milvus session, and taking its last
 * element would replace (or delete) a real one. A key outside that prefix (the
 * bare name, another root) is named by its last element. */
const char *
cluster_key_name(const struct cluster *c, const char *key, size_t *len)
{
	static const char sub[] = "/meta/session/";
	size_t rl = strlen(c->root);
	const char *name;

	name = session_key_name(key, len);
	if (*len == 0)
		return NULL;
	if (strncmp(key, c->root, rl) == 0 &&
	    strncmp(key + rl, sub, sizeof sub - 1) == 0 &&
	    key + rl + sizeof sub - 1 != name)
		return NULL;
	return name;
}

static ssize_t
keys_find(const struct cluster_keys *k, const char *name, size_t len)
{
	size_t i;

	return strmap_get(&k->index, name, len, &i) ? (ssize_t)i : -1;
}

/* In the coordinator reserve: a bare key or <coord>-<id>. */
static bool
key_reserved(const struct session *s)
{
	const char *dash;
	size_t i, n;

	if (s->active_key)
		return true;
	dash = strrchr(s->key, '-');
	if (dash == NULL)
		return false;
	n = (size_t)(dash - s->key);
	for (i = 0; coord_roles[i] != NULL; i++) {
		if (strlen(coord_roles[i]) == n && strncmp(coord_roles[i], s->key, n) == 0)
			return true;
	}
	return false;
}

/* Tell the operator the view is cut short: the callers show src_sessions. */
static void
keys_note(struct cluster *c)
{
	free(c->src_sessions.note);
	c->src_sessions.note = NULL;
	if (c->sessions_dropped > 0) {
		c->src_sessions.note = xasprintf("showing %zu of %zu session keys "
		    "(limit %d)", c->keys->n, c->keys->n + c->sessions_dropped,
		    CLUSTER_MAX_KEYS);
	}
}

/* The role of an instance key ("querynode" for "querynode-12"), *len long;
 * NULL for a bare key. */
static const char *
key_instance_role(const struct session *s, size_t *len)
{
	const char *dash;

	if (s->active_key || s->key == NULL || (dash = strrchr(s->key, '-')) == NULL)
		return NULL;
	*len = (size_t)(dash - s->key);
	return s->key;
}

/* A worker's own key (querynode-12, not exclusive): its change is one
 * component joining, leaving or stopping and touches no leader, so a batch
 * commit may report it without deriving everything again. */
static bool
key_simple(const struct session *s)
{
	const char *role;
	size_t len, i;

	if (s->exclusive || (role = key_instance_role(s, &len)) == NULL)
		return false;
	for (i = 0; worker_roles[i] != NULL; i++) {
		if (strlen(worker_roles[i]) == len && strncmp(worker_roles[i], role, len) == 0)
			return true;
	}
	return false;
}

static int64_t
key_component_id(const struct session *s)
{
	return s->server_id != 0 ? s->server_id : s->key_server_id;
}

void
cluster_key_changes_clear(struct cluster_key_changes *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->v[i].role);
		free(v->v[i].address);
	}
	v->n = 0;
}

/* Note a worker key's change for the batch commit; old: the session before
 * (NULL if new), now: after (NULL if deleted). */
static void
key_change_note(struct cluster_keys *ks, const struct session *old, const struct session *now)
{
	const struct session *s = now != NULL ? now : old;
	struct cluster_key_change *ch;
	size_t len = 0;

	if (ks->complex)
		return;
	/* A ServerID that moves within one key is a leave and a join of two
	 * components: let the full derive say so. */
	if (old != NULL && now != NULL && key_component_id(old) != key_component_id(now)) {
		ks->complex = true;
		return;
	}
	if (ks->pend.n == ks->pend.cap) {
		ks->pend.cap = ks->pend.cap == 0 ? 16 : ks->pend.cap * 2;
		ks->pend.v = xreallocarray(ks->pend.v, ks->pend.cap, sizeof *ks->pend.v);
	}
	ch = &ks->pend.v[ks->pend.n++];
	memset(ch, 0, sizeof *ch);
	key_instance_role(s, &len);
	ch->role = xstrndup(s->key, len);
	ch->id = key_component_id(s);
	ch->address = s->address != NULL ? xstrdup(s->address) : NULL;
	ch->present = now != NULL;
	ch->stopping = now != NULL && now->stopping;
	ch->existed = old != NULL;
	ch->was_stopping = old != NULL && old->stopping;
	ch->seq = ks->seq++;
}

void
cluster_session_put(struct cluster *c, struct session_key *k)
{
	struct cluster_keys *ks = c->keys;
	const char *etcd_key = k->etcd_key;
	size_t len;
	ssize_t i;
	bool coord, simple;

	k->etcd_key = NULL;	/* borrowed: never stored */
	if (k->s.key == NULL ||
	    (etcd_key != NULL && cluster_key_name(c, etcd_key, &len) == NULL)) {
		session_clear(&k->s);
		memset(&k->s, 0, sizeof k->s);
		return;
	}
	coord = key_reserved(&k->s);
	i = keys_find(ks, k->s.key, strlen(k->s.key));
	simple = key_simple(&k->s) && (i < 0 || key_simple(&ks->v[i].s));
	if (i >= 0) {
		if (simple)
			key_change_note(ks, &ks->v[i].s, &k->s);
		session_clear(&ks->v[i].s);
		ks->v[i] = *k;
	} else if (coord ? ks->n_coord < CLUSTER_MAX_COORD_KEYS :
	    ks->n - ks->n_coord < CLUSTER_MAX_KEYS) {
		if (simple)
			key_change_note(ks, NULL, &k->s);
		if (ks->n == ks->cap) {
			ks->cap = ks->cap == 0 ? 32 : ks->cap * 2;
			ks->v = xreallocarray(ks->v, ks->cap, sizeof *ks->v);
		}
		strmap_put(&ks->index, k->s.key, strlen(k->s.key), ks->n);
		ks->v[ks->n++] = *k;
		if (coord)
			ks->n_coord++;
	} else {
		/* Nothing stored, nothing to derive: only the count changes. */
		session_clear(&k->s);
		memset(&k->s, 0, sizeof k->s);
		c->sessions_dropped++;
		keys_note(c);
		return;
	}
	memset(&k->s, 0, sizeof k->s);
	if (!simple)
		ks->complex = true;
	ks->dirty = true;
	if (c->sessions_dropped > 0)
		keys_note(c);
}

void
cluster_session_delete(struct cluster *c, const char *key)
{
	struct cluster_keys *ks = c->keys;
	const char *name;
	size_t len, last;
	ssize_t i;

	if ((name = cluster_key_name(c, key, &len)) == NULL)
		return;
	if ((i = keys_find(ks, name, len)) < 0)
		return;
	if (key_simple(&ks->v[i].s))
		key_change_note(ks, &ks->v[i].s, NULL);
	else
		ks->complex = true;
	if (key_reserved(&ks->v[i].s))
		ks->n_coord--;
	strmap_del(&ks->index, name, len);
	session_clear(&ks->v[i].s);
	last = ks->n - 1;
	if ((size_t)i != last) {
		ks->v[i] = ks->v[last];
		strmap_put(&ks->index, ks->v[i].s.key, strlen(ks->v[i].s.key), (size_t)i);
	}
	ks->n--;
	ks->dirty = true;
	if (c->sessions_dropped > 0)
		keys_note(c);
}

void
cluster_sessions_replace(struct cluster *c, struct session_key *keys, size_t n,
    int64_t revision, int64_t now_ms)
{
	struct cluster_keys *ks = c->keys;
	size_t i;

	for (i = 0; i < ks->n; i++)
		session_clear(&ks->v[i].s);
	ks->n = 0;
	ks->n_coord = 0;
	strmap_clear(&ks->index);
	c->sessions_dropped = 0;
	ks->complex = true;	/* a full set: derive it all */
	if (ks->cap < n + 1) {
		ks->cap = n + 1;
		ks->v = xreallocarray(ks->v, ks->cap, sizeof *ks->v);
	}
	for (i = 0; i < n; i++)
		cluster_session_put(c, &keys[i]);
	keys_note(c);
	ks->dirty = true;
	cluster_sessions_commit(c, revision, now_ms);
}

void
cluster_sessions_assume_empty(struct cluster *c)
{
	c->sessions_known = true;
}

/* ---- lookups ---- */

/* The components are in the model's order (rank, role, server ID): a binary
 * search, the first of equals. */
struct component *
cluster_find(struct cluster *c, const char *role, int64_t server_id)
{
	int order = cluster_role_rank(role);
	size_t lo = 0, hi = c->n_components;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct component *m = &c->components[mid];
		int r = m->order != order ? (m->order < order ? -1 : 1) : strcmp(m->role, role);

		if (r < 0 || (r == 0 && m->server_id < server_id))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n_components && c->components[lo].server_id == server_id &&
	    strcmp(c->components[lo].role, role) == 0)
		return &c->components[lo];
	return NULL;
}

const struct leader *
cluster_leader(const struct cluster *c, const char *role)
{
	size_t i;

	for (i = 0; i < c->n_leaders; i++) {
		if (strcmp(c->leaders[i].role, role) == 0)
			return &c->leaders[i];
	}
	return NULL;
}

const struct component *
cluster_active(const struct cluster *c, const char *role)
{
	const struct leader *l = cluster_leader(c, role);
	const struct component *first;
	size_t i;

	if (l == NULL || l->active_id == 0 ||
	    (first = cluster_find((struct cluster *)c, role, l->active_id)) == NULL)
		return NULL;
	/* Equals are adjacent: the first of them that is not a standby. */
	for (i = (size_t)(first - c->components); i < c->n_components; i++) {
		const struct component *comp = &c->components[i];

		if (comp->server_id != l->active_id || strcmp(comp->role, role) != 0)
			break;
		if (comp->ha != HA_STANDBY)
			return comp;
	}
	return NULL;
}

/* ---- health, etcd, sources ---- */

void
cluster_set_health(struct cluster *c, size_t i, enum health h, const char *error,
    int64_t now_ms)
{
	struct component *comp;

	if (i >= c->n_components)
		return;
	comp = &c->components[i];
	if (comp->health_ms != 0 && comp->health != h) {
		events_add_health(c->events, now_ms, comp->role, comp->server_id,
		    comp->health, h, "%s %lld: health %s -> %s%s%s", comp->role,
		    (long long)comp->server_id, health_name(comp->health), health_name(h),
		    error != NULL ? ": " : "", error != NULL ? error : "");
	}
	comp->health = h;
	comp->health_ms = now_ms;
	free(comp->health_error);
	comp->health_error = error != NULL ? xstrndup(error, 256) : NULL;
}

void
cluster_protected_set(struct cluster *c, char **names, size_t n, bool known)
{
	size_t i;

	for (i = 0; i < c->n_protected; i++)
		free(c->protected_names[i]);
	free(c->protected_names);
	c->protected_names = names;
	c->n_protected = n;
	c->protected_known = known;
}

void
cluster_set_etcd(struct cluster *c, struct etcd_member_state *m, size_t n, int64_t now_ms)
{
	uint64_t leader = 0;
	const char *name = NULL, *old_name = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (m[i].is_leader) {
			leader = m[i].id;
			name = m[i].name;
		}
	}
	for (i = 0; i < c->n_etcd; i++) {
		if (c->etcd[i].id == c->etcd_leader)
			old_name = c->etcd[i].name;
	}
	if (leader != 0 && c->etcd_leader != 0 && leader != c->etcd_leader) {
		events_add(c->events, now_ms, 0, EV_ETCD_LEADER_CHANGED, "etcd",
		    (int64_t)leader, (int64_t)c->etcd_leader,
		    "etcd: leader %s (%llx) -> %s (%llx)", old_name != NULL ? old_name : "?",
		    (unsigned long long)c->etcd_leader, name != NULL ? name : "?",
		    (unsigned long long)leader);
	}
	if (leader != 0)
		c->etcd_leader = leader;
	for (i = 0; i < c->n_etcd; i++)
		etcd_member_state_clear(&c->etcd[i]);
	free(c->etcd);
	c->etcd = m;
	c->n_etcd = n;
}

void
source_ok(struct source_state *s, int64_t now_ms)
{
	s->updated_ms = now_ms;
	s->failing_since_ms = 0;
	free(s->error);
	s->error = NULL;
}

void
source_fail(struct source_state *s, int64_t now_ms, const char *error)
{
	if (s->failing_since_ms == 0)
		s->failing_since_ms = now_ms;
	free(s->error);
	s->error = xstrndup(error != NULL ? error : "failed", 256);
}
