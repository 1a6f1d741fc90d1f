/* SPDX-License-Identifier: MIT */
/* Keeping the model live on the loop: the session watch plus timed,
 * asynchronous refreshes of health, lease TTLs, etcd, collections and replicas,
 * each retried with back-off when it fails and never two of a kind in flight. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

/* Per tick, at most this many worker processes get a /healthz and at most this
 * many leases a timetolive: a cluster of thousands is swept in rotation (its
 * health_ms shows how old each answer is) so that an idle screen stays cheap.
 * Coordinators and proxies are probed every tick. See README "Performance". */
#define LIVE_HEALTH_WORKERS_PER_TICK	48
#define LIVE_TTLS_PER_TICK		32
#define LIVE_BACKOFF_MIN_MS		1000

enum live_kind {
	LIVE_SESSIONS,			/* the first range, then the watch */
	LIVE_HEALTH,
	LIVE_TTL,
	LIVE_ETCD,
	LIVE_COLLECTIONS,
	LIVE_REPLICAS,
	LIVE_PROTECT,			/* the protect list (etcd, the tool's prefix) */
	LIVE_N
};

struct state_live;

struct live_src {
	struct state_live *live;
	enum live_kind kind;
	bool inflight;
	bool again;			/* a refresh was asked for while in flight */
	int64_t due_ms;			/* monotonic; INT64_MAX = not scheduled */
	int64_t backoff_ms;		/* 0 while it answers */
	uint64_t deadline;		/* timer while in flight */
};

struct state_live {
	struct state *st;
	int64_t refresh_ms;
	void (*changed)(void *);
	void *arg;
	struct live_src src[LIVE_N];
	uint64_t timer;
	int64_t timer_due;		/* monotonic time the timer fires, 0 = none */
	bool stopped;
	bool watching;
	int64_t epoch_ms;		/* monotonic origin of the refresh rounds */
	uint64_t print;			/* live_print when changed() last ran */
	size_t health_cursor;		/* rotation over the workers */
	size_t ttl_cursor;		/* rotation over the leases */
	size_t n_unreachable;		/* etcd members unreachable at the last status */
};

static void live_schedule(struct state_live *lv);
static void live_start_kind(struct state_live *lv, enum live_kind k);

/* The start of the next refresh round after now. Every timed source answering
 * in time is due on the same rounds, so their loads start in one loop pass and
 * finish close together: the screen redraws once for them, not once each. */
static int64_t
live_next_round(const struct state_live *lv, int64_t now)
{
	int64_t since = now - lv->epoch_ms;

	if (since < 0)
		since = 0;
	return lv->epoch_ms + (since / lv->refresh_ms + 1) * lv->refresh_ms;
}

static struct source_state *
live_source(struct state_live *lv, enum live_kind k)
{
	struct cluster *c = lv->st->cluster;

	switch (k) {
	case LIVE_SESSIONS:
	case LIVE_TTL:
		return &c->src_sessions;
	case LIVE_HEALTH:
		return &c->src_health;
	case LIVE_ETCD:
	case LIVE_PROTECT:		/* the list lives in etcd */
		return &c->src_etcd;
	case LIVE_COLLECTIONS:
		return &c->src_proxy;
	case LIVE_REPLICAS:
		return &c->src_replicas;
	case LIVE_N:
		break;
	}
	return NULL;
}

/* ---- did a refresh change anything? ---- */

/* FNV-1a over what the timed refreshes write and a screen shows. Most rounds
 * of an idle cluster change nothing (dead workers stay dead, the collections
 * stay as they were); they do not call changed(), so that the TUI does not
 * rebuild thousands of rows for nothing. When a source last answered is left
 * out: whatever shows its age reads the clock anyway. */
static uint64_t
live_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static uint64_t
live_mix_int(uint64_t h, int64_t v)
{
	/* One step for the whole word: most of what is mixed is numbers. */
	h = (h ^ (uint64_t)v) * 1099511628211ull;
	return h ^ (h >> 29);
}

static uint64_t
live_mix_str(uint64_t h, const char *s)
{
	uint64_t w;
	size_t n, i;

	/* The length too, so that "a","bc" and "ab","c" differ; NULL differs
	 * from "". Eight bytes a step: error strings make most of the bytes. */
	if (s == NULL)
		return live_mix_int(h, -7);
	n = strlen(s);
	h = live_mix_int(h, (int64_t)n);
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211ull;
		h ^= h >> 29;
	}
	return live_mix(h, s + i, n - i);
}

static uint64_t
live_mix_src(uint64_t h, const struct source_state *s)
{
	h = live_mix_int(h, s->updated_ms != 0);
	h = live_mix_int(h, s->failing_since_ms);
	return live_mix_str(h, s->error);
}

static uint64_t
live_print(const struct cluster *c)
{
	uint64_t h = 14695981039346656037ull;
	size_t i, j;

	h = live_mix_int(h, (int64_t)c->n_components);
	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		h = live_mix_int(h, k->server_id);
		h = live_mix_int(h, k->health);
		h = live_mix_str(h, k->health_error);
		h = live_mix_int(h, k->ready);
		h = live_mix_int(h, k->health_from_host);
		h = live_mix_int(h, k->lease_ttl_s);
	}
	h = live_mix_int(h, c->session_ttl_s);
	h = live_mix_int(h, (int64_t)c->etcd_leader);
	h = live_mix_int(h, (int64_t)c->n_etcd);
	for (i = 0; i < c->n_etcd; i++) {
		const struct etcd_member_state *m = &c->etcd[i];

		h = live_mix_int(h, (int64_t)m->id);
		h = live_mix_str(h, m->name);
		h = live_mix_str(h, m->client_url);
		h = live_mix_int(h, m->reachable | m->is_leader << 1 | m->is_learner << 2);
		h = live_mix_int(h, (int64_t)m->raft_term);
		h = live_mix_int(h, (int64_t)m->raft_index);
		h = live_mix_int(h, m->db_size);
		h = live_mix_int(h, m->db_size_in_use);
		h = live_mix_str(h, m->version);
		for (j = 0; j < m->n_alarms; j++)
			h = live_mix_str(h, m->alarms[j]);
		h = live_mix_str(h, m->error);
	}
	h = live_mix_int(h, (int64_t)c->n_collections);
	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];

		h = live_mix_str(h, cs->db);
		h = live_mix_str(h, cs->name);
		h = live_mix_str(h, cs->id);
		h = live_mix_str(h, cs->load_state);
		h = live_mix_int(h, cs->load_progress);
		h = live_mix_int(h, cs->rows);
		h = live_mix_int(h, cs->n_replicas);
		for (j = 0; j < cs->n_aliases; j++)
			h = live_mix_str(h, cs->aliases[j]);
		h = live_mix_int(h, cs->degraded);
	}
	h = live_mix_int(h, (int64_t)c->n_protected);
	for (i = 0; i < c->n_protected; i++)
		h = live_mix_str(h, c->protected_names[i]);
	h = live_mix_int(h, (int64_t)c->n_replicas);
	for (i = 0; i < c->n_replicas; i++) {
		const struct replica_state *r = &c->replicas[i];

		h = live_mix_int(h, r->replica_id);
		h = live_mix_str(h, r->collection_id);
		h = live_mix_str(h, r->resource_group);
		h = live_mix(h, r->rw_nodes, r->n_rw * sizeof *r->rw_nodes);
		h = live_mix_int(h, (int64_t)r->n_rw);
		h = live_mix(h, r->ro_nodes, r->n_ro * sizeof *r->ro_nodes);
		h = live_mix_int(h, (int64_t)r->n_ro);
		h = live_mix_int(h, (int64_t)r->n_healthy);
		for (j = 0; j < r->n_orphan_shards; j++)
			h = live_mix_str(h, r->orphan_shards[j]);
	}
	h = live_mix_src(h, &c->src_sessions);
	h = live_mix_src(h, &c->src_health);
	h = live_mix_src(h, &c->src_etcd);
	h = live_mix_src(h, &c->src_proxy);
	h = live_mix_src(h, &c->src_replicas);
	h = live_mix_str(h, c->milvus_version);
	if (c->events != NULL)
		h = live_mix_int(h, (int64_t)events_last_seq(c->events));
	return h;
}

/* changed(), remembering the model it was told about (print: live_print of
 * it, already worked out). */
static void
live_changed_print(struct state_live *lv, uint64_t print)
{
	if (lv->stopped || lv->changed == NULL)
		return;
	lv->print = print;
	lv->changed(lv->arg);
}

static void
live_changed(struct state_live *lv)
{
	if (lv->stopped || lv->changed == NULL)
		return;
	lv->print = live_print(lv->st->cluster);
	lv->changed(lv->arg);
}

static void
live_maybe_free(struct state_live *lv)
{
	size_t k;

	if (!lv->stopped)
		return;
	for (k = 0; k < LIVE_N; k++) {
		if (lv->src[k].inflight)
			return;
	}
	if (lv->st->live == lv)
		lv->st->live = NULL;
	free(lv);
}

/* ---- the session watch ---- */

static void
live_watch_changed(void *arg)
{
	live_changed(arg);
}

static void
live_watch_restart(struct state_live *lv)
{
	/* state_watch_start goes on from the revision the model has. */
	if (state_watch_start(lv->st, live_watch_changed, lv) == 0)
		lv->watching = true;
	else
		lv->watching = false;
}

/* ---- completion ---- */

static void
live_done(struct state *st, int rc, void *arg)
{
	struct live_src *s = arg;
	struct state_live *lv = s->live;
	int64_t now = time_mono_ms();
	uint64_t print;

	(void)st;
	s->inflight = false;
	if (s->deadline != 0) {
		loop_timer_cancel(lv->st->loop, s->deadline);
		s->deadline = 0;
	}
	if (lv->stopped) {
		live_maybe_free(lv);
		return;
	}
	if (rc == 0 || s->kind == LIVE_HEALTH || s->kind == LIVE_TTL) {
		/* A partial health sweep or TTL batch that found only dead
		 * processes is news about them, not a failing source. */
		s->backoff_ms = 0;
		s->due_ms = live_next_round(lv, now);
	} else {
		s->backoff_ms = s->backoff_ms == 0 ? LIVE_BACKOFF_MIN_MS : s->backoff_ms * 2;
		if (s->backoff_ms > lv->refresh_ms)
			s->backoff_ms = lv->refresh_ms;
		s->due_ms = now + s->backoff_ms;
	}
	if (s->kind == LIVE_SESSIONS) {
		if (rc == 0) {
			live_watch_restart(lv);
			s->due_ms = INT64_MAX;
		}
	} else if (s->kind == LIVE_ETCD) {
		struct cluster *c = lv->st->cluster;
		size_t i, unreachable = 0;

		if (rc != 0) {
			/* A stopped etcd leaves the watch stream open and silent:
			 * the sessions can no longer be trusted to be current. */
			if (!lv->st->watch_down && c->src_etcd.error != NULL)
				source_fail(&c->src_sessions, time_wall_ms(), c->src_etcd.error);
		} else {
			for (i = 0; i < c->n_etcd; i++)
				unreachable += !c->etcd[i].reachable;
			/* etcd answers again, or a member went away (the watch may
			 * hang on it): watch afresh from the model's revision. */
			if (lv->watching && (c->src_sessions.failing_since_ms != 0 ||
			    unreachable > lv->n_unreachable))
				live_watch_restart(lv);
			lv->n_unreachable = unreachable;
		}
	}
	if (s->again) {
		s->again = false;
		s->due_ms = now;
	}
	/* The first sessions are always news; a refresh only when it changed
	 * something (the watch reports its own changes). */
	print = live_print(lv->st->cluster);
	if (s->kind == LIVE_SESSIONS || print != lv->print)
		live_changed_print(lv, print);
	live_schedule(lv);
}

static void
live_deadline(void *arg)
{
	struct live_src *s = arg;
	struct state_live *lv = s->live;
	char msg[128];

	s->deadline = 0;
	if (lv->stopped || !s->inflight)
		return;
	/* The calls end by themselves; until then the data is marked stale. */
	snprintf(msg, sizeof msg, "no complete answer within %lld ms",
	    (long long)(lv->refresh_ms + lv->st->timeout_ms));
	source_fail(live_source(lv, s->kind), time_wall_ms(), msg);
	live_changed(lv);
}

/* ---- what each kind asks ---- */

static bool
worker_role(const char *role)
{
	return strcmp(role, "querynode") == 0 || strcmp(role, "datanode") == 0 ||
	    strcmp(role, "indexnode") == 0 || strcmp(role, "streamingnode") == 0;
}

/* Every coordinator and proxy, and the next workers in rotation. */
static void
live_health(struct state_live *lv)
{
	struct cluster *c = lv->st->cluster;
	size_t i, n = 0, n_workers = 0, w = 0, taken = 0;
	char **roles;
	int64_t *ids;

	roles = xcalloc(c->n_components + 1, sizeof *roles);
	ids = xcalloc(c->n_components + 1, sizeof *ids);
	for (i = 0; i < c->n_components; i++) {
		if (worker_role(c->components[i].role))
			n_workers++;
		else {
			roles[n] = c->components[i].role;
			ids[n++] = c->components[i].server_id;
		}
	}
	if (lv->health_cursor >= n_workers)
		lv->health_cursor = 0;
	for (i = 0; i < c->n_components && taken < LIVE_HEALTH_WORKERS_PER_TICK; i++) {
		if (!worker_role(c->components[i].role))
			continue;
		if (w++ < lv->health_cursor)
			continue;
		roles[n] = c->components[i].role;
		ids[n++] = c->components[i].server_id;
		taken++;
	}
	/* Wrap around to fill the batch. */
	for (i = 0, w = 0; i < c->n_components && taken < LIVE_HEALTH_WORKERS_PER_TICK &&
	    taken < n_workers; i++) {
		if (!worker_role(c->components[i].role))
			continue;
		if (w++ >= lv->health_cursor)
			break;
		roles[n] = c->components[i].role;
		ids[n++] = c->components[i].server_id;
		taken++;
	}
	lv->health_cursor = n_workers > 0 ? (lv->health_cursor + taken) % n_workers : 0;
	/* state_health_async copies what it needs before returning. */
	state_health_async(lv->st, roles, ids, n, live_done, &lv->src[LIVE_HEALTH]);
	free(roles);
	free(ids);
}

/* Leases whose TTL is unknown first (new sessions), then the next in rotation. */
static void
live_ttls(struct state_live *lv)
{
	struct cluster *c = lv->st->cluster;
	int64_t *all, *pick;
	size_t i, j, n_all = 0, n = 0, k;

	all = xcalloc(c->n_components + 1, sizeof *all);
	pick = xcalloc(LIVE_TTLS_PER_TICK + 1, sizeof *pick);
	for (i = 0; i < c->n_components; i++) {
		int64_t id = c->components[i].lease_id;
		bool seen = false;

		for (j = 0; j < n_all && !seen; j++)
			seen = all[j] == id;
		if (id == 0 || seen)
			continue;
		all[n_all++] = id;
		if (c->components[i].lease_ttl_s < 0 && n < LIVE_TTLS_PER_TICK / 2)
			pick[n++] = id;
	}
	if (lv->ttl_cursor >= n_all)
		lv->ttl_cursor = 0;
	for (k = 0; k < n_all && n < LIVE_TTLS_PER_TICK; k++) {
		int64_t id = all[(lv->ttl_cursor + k) % n_all];
		bool seen = false;

		for (j = 0; j < n && !seen; j++)
			seen = pick[j] == id;
		if (!seen)
			pick[n++] = id;
	}
	lv->ttl_cursor = n_all > 0 ? (lv->ttl_cursor + k) % n_all : 0;
	state_ttls_async(lv->st, pick, n, live_done, &lv->src[LIVE_TTL]);
	free(all);
	free(pick);
}

static void
live_start_kind(struct state_live *lv, enum live_kind k)
{
	struct live_src *s = &lv->src[k];
	struct state *st = lv->st;

	s->inflight = true;
	s->due_ms = INT64_MAX;
	s->deadline = loop_timer_add(st->loop, lv->refresh_ms + st->timeout_ms, live_deadline, s);
	switch (k) {
	case LIVE_SESSIONS:
		state_sessions_async(st, false, live_done, s);
		break;
	case LIVE_HEALTH:
		live_health(lv);
		break;
	case LIVE_TTL:
		live_ttls(lv);
		break;
	case LIVE_ETCD:
		state_etcd_async(st, live_done, s);
		break;
	case LIVE_COLLECTIONS:
		state_collections_async(st, NULL, true, live_done, s);
		break;
	case LIVE_REPLICAS:
		state_replicas_async(st, NULL, live_done, s);
		break;
	case LIVE_PROTECT:
		state_protect_async(st, live_done, s);
		break;
	case LIVE_N:
		break;
	}
}

/* ---- the scheduler ---- */

static void
live_tick(void *arg)
{
	struct state_live *lv = arg;
	int64_t now = time_mono_ms();
	size_t k;

	lv->timer = 0;
	lv->timer_due = 0;
	if (lv->stopped)
		return;
	for (k = 0; k < LIVE_N; k++) {
		struct live_src *s = &lv->src[k];

		/* Until the first range worked there is nothing to probe. */
		if (k != LIVE_SESSIONS && k != LIVE_ETCD && !lv->st->cluster->sessions_known)
			continue;
		if (!s->inflight && s->due_ms <= now)
			live_start_kind(lv, (enum live_kind)k);
		if (lv->stopped)
			return;
	}
	live_schedule(lv);
}

/* One timer, at the earliest due source. */
static void
live_schedule(struct state_live *lv)
{
	int64_t now = time_mono_ms(), due = INT64_MAX;
	size_t k;

	for (k = 0; k < LIVE_N; k++) {
		if (!lv->src[k].inflight && lv->src[k].due_ms < due)
			due = lv->src[k].due_ms;
	}
	if (due == INT64_MAX)
		return;
	if (lv->timer != 0) {
		if (lv->timer_due <= due)
			return;
		loop_timer_cancel(lv->st->loop, lv->timer);
	}
	lv->timer_due = due > now ? due : now;
	lv->timer = loop_timer_add(lv->st->loop, lv->timer_due - now, live_tick, lv);
}

int
state_live_start(struct state *st, int64_t refresh_ms, void (*changed)(void *arg), void *arg)
{
	struct state_live *lv = st->live;
	int64_t now = time_mono_ms();
	size_t k;

	if (lv != NULL && !lv->stopped)
		state_live_stop(st);
	lv = st->live;
	if (lv == NULL) {
		lv = xcalloc(1, sizeof *lv);
		lv->st = st;
		st->live = lv;
		for (k = 0; k < LIVE_N; k++) {
			lv->src[k].live = lv;
			lv->src[k].kind = (enum live_kind)k;
		}
	}
	lv->stopped = false;
	lv->refresh_ms = refresh_ms >= 200 ? refresh_ms : 200;
	lv->changed = changed;
	lv->arg = arg;
	lv->epoch_ms = now;
	for (k = 0; k < LIVE_N; k++) {
		lv->src[k].due_ms = now;
		lv->src[k].backoff_ms = 0;
		lv->src[k].again = false;
	}
	if (st->cluster->sessions_known) {
		/* Loaded already: watch on from its revision. */
		lv->src[LIVE_SESSIONS].due_ms = INT64_MAX;
		live_watch_restart(lv);
		if (!lv->watching)
			lv->src[LIVE_SESSIONS].due_ms = now;
	}
	/* The first round from the loop, never from inside this call. */
	lv->timer_due = now;
	lv->timer = loop_timer_add(st->loop, 0, live_tick, lv);
	return 0;
}

void
state_live_refresh(struct state *st)
{
	struct state_live *lv = st->live;
	int64_t now = time_mono_ms();
	size_t k;

	if (lv == NULL || lv->stopped)
		return;
	for (k = 0; k < LIVE_N; k++) {
		struct live_src *s = &lv->src[k];

		if (k == LIVE_SESSIONS && lv->watching)
			continue;
		s->backoff_ms = 0;
		if (s->inflight)
			s->again = true;
		else
			s->due_ms = now;
	}
	if (lv->timer != 0)
		loop_timer_cancel(st->loop, lv->timer);
	lv->timer_due = now;
	lv->timer = loop_timer_add(st->loop, 0, live_tick, lv);
}

void
state_live_stop(struct state *st)
{
	struct state_live *lv = st->live;
	size_t k;

	if (lv == NULL || lv->stopped)
		return;
	lv->stopped = true;
	if (lv->timer != 0)
		loop_timer_cancel(st->loop, lv->timer);
	lv->timer = 0;
	lv->timer_due = 0;
	for (k = 0; k < LIVE_N; k++) {
		if (lv->src[k].deadline != 0)
			loop_timer_cancel(st->loop, lv->src[k].deadline);
		lv->src[k].deadline = 0;
	}
	if (lv->watching)
		state_watch_stop(st);
	lv->watching = false;
	/* Loads in flight finish on their own and free lv with the last one. */
	live_maybe_free(lv);
}

void
state_live_free(struct state *st)
{
	if (st->live == NULL)
		return;
	state_live_stop(st);
	/* state_free is next: the clients go, and with them every callback. */
	free(st->live);
	st->live = NULL;
}
