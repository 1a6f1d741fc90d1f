/* SPDX-License-Identifier: MIT */
/* Keeping the model live on the loop: the session watch plus timed,
 * asynchronous refreshes of health, lease TTLs, etcd, collections and replicas,
 * each retried with back-off when it fails and never two of a kind in flight. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
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
	size_t health_cursor;		/* rotation over the workers */
	size_t ttl_cursor;		/* rotation over the leases */
	size_t n_unreachable;		/* etcd members unreachable at the last status */
};

static void live_schedule(struct state_live *lv);
static void live_start_kind(struct state_live *lv, enum live_kind k);

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

static void
live_changed(struct state_live *lv)
{
	if (!lv->stopped && lv->changed != NULL)
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
		s->due_ms = now + lv->refresh_ms;
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
	live_changed(lv);
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
