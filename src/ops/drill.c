/* SPDX-License-Identifier: MIT */
/* One failover drill on the loop: PRECHECK from the model, INJECT through a
 * fault backend, DETECT and ELECT from an etcd watch on the target's key,
 * RECOVER from check/ready on the new active plus K good probes, then the
 * report. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/etcd.h"
#include "milvusadm/fault.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/session.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"
#include "state-int.h"

#define DRILL_TICK_MS		50	/* timeouts and the ready poll */
#define DRILL_WATCH_WAIT_MS	2000	/* inject anyway if the watch is slow to start */
#define DRILL_DEFAULT_TIMEOUT_MS 120000
#define DRILL_SERIES_MAX	3600	/* buckets of probe success kept in a report */

/* The one watcher of this process's drills (drill_watch_set). */
static void (*drill_seen_fn)(struct drill *, enum drill_seen, void *);
static void *drill_seen_arg;

static void drill_sample(const struct drill_sample *s, void *arg);
static void drill_restore(struct drill *d);
static void drill_count_after(struct drill *d);
static void drill_seen(struct drill *d, enum drill_seen what);
static void drill_served(int64_t at, void *arg);
static void drill_etcd_ev(enum drill_ev ev, int64_t at, const struct drill_sample *s,
    void *arg);

struct drill *
drill_new(struct loop *l, struct state *st, const struct profile *p,
    const struct drill_opts *o, enum drill_why *why, char *err, size_t errlen)
{
	struct cluster *c = state_cluster(st);
	bool refused_ = false, *refused = &refused_;
	enum drill_why kind = DRILL_WHY_FAILED;
	const char *backend = o->backend;
	struct drill_report *r;
	struct drill *d;
	char *dir;
	size_t i, n = 0;
	pid_t holder;

	if (drill_target_check(o->target, err, errlen) == -1) {
		*why = DRILL_WHY_USAGE;
		return NULL;
	}
	if (backend == NULL && p != NULL && p->drill_backend != NULL && p->drill_backend[0])
		backend = p->drill_backend;
	if (backend == NULL)
		backend = "etcd-lease";
	d = xcalloc(1, sizeof *d);
	d->loop = l;
	d->st = st;
	d->profile = p;
	d->rep = r = xcalloc(1, sizeof *r);
	r->restarts_before = r->restarts_after = -1;
	r->outage_ms = r->converged_ms = -1;
	d->ops = fault_backend_find(backend);
	if (d->ops == NULL) {
		snprintf(err, errlen, "backend '%s' is not known", backend);
		kind = DRILL_WHY_USAGE;
		goto fail;
	}
	d->options = xcalloc(DRILL_MAX_OPTIONS + 1, sizeof *d->options);
	for (i = 0; o->backend_options != NULL && o->backend_options[i] != NULL; i++) {
		if (n == DRILL_MAX_OPTIONS)
			break;
		d->options[n++] = xstrdup(o->backend_options[i]);
	}
	r->created_ms = time_wall_ms();
	r->target = xstrdup(o->target);
	r->id = drill_make_id(o->target, r->created_ms);
	r->backend = xstrdup(backend);
	r->signal = xstrdup(drill_backend_signal(backend, (const char *const *)d->options));
	r->profile = p != NULL && p->name != NULL ? xstrdup(p->name) : NULL;
	r->probe_rate = o->probe_rate > 0 ? o->probe_rate : 5;
	/* PRECHECK: sessions, target, standby health, etcd quorum, the lock. */
	if (state_load_sessions(st) == -1) {
		/* The error names the endpoint and says it is unreachable. */
		snprintf(err, errlen, "%s", c->src_sessions.error != NULL ?
		    c->src_sessions.error : "etcd unreachable: no answer");
		kind = DRILL_WHY_UNREACHABLE;
		goto fail;
	}
	(void)state_load_health(st);
	if (drill_etcd_is_target(o->target)) {
		d->etcd = drill_etcd_new(st, o->target, r, &d->tgt, drill_etcd_ev, d, refused,
		    err, errlen);
		if (d->etcd == NULL)
			goto fail;
	} else if (drill_precheck_target(d, o->target, refused, err, errlen) == -1)
		goto fail;
	if (d->etcd == NULL && drill_precheck_etcd(d, refused, err, errlen) == -1)
		goto fail;
	dir = drill_dir(false);
	d->lock_path = xasprintf("%s/lock", dir);
	drill_id_unique(&r->id, dir);
	free(dir);
	if ((holder = drill_lock_holder(d->lock_path)) != 0 && holder != getpid()) {
		if (holder > 0)
			drill_refuse(refused, err, errlen, "another drill is running (pid %ld)",
			    (long)holder);
		else
			drill_refuse(refused, err, errlen, "another drill is running");
		goto fail;
	}
	r->milvus_version = c->milvus_version != NULL ? xstrdup(c->milvus_version) : NULL;
	r->session_ttl_s = c->session_ttl_s;
	d->watch_from = c->sessions_revision > 0 ? c->sessions_revision + 1 : 0;
	d->tgt.kind = r->kind;
	d->tgt.role = r->role;
	d->tgt.server_id = r->server_id;
	d->tgt.address = r->address;
	d->tgt.host_name = r->host_name;
	d->tgt.metrics_port = (int)st->metrics_port;
	d->tgt.version = r->milvus_version;
	if (r->address != NULL) {
		/* etcd members: the host of the client URL ("http://IP:2379"). */
		const char *a = strstr(r->address, "://") != NULL ?
		    strstr(r->address, "://") + 3 : r->address;
		const char *colon = strrchr(a, ':');

		d->tgt.host = colon != NULL ? xstrndup(a, (size_t)(colon - a)) : xstrdup(a);
	}
	/* Open fails on the backend's settings or options: the operator's input. */
	d->fb = d->ops->open(l, p, state_etcd(st), (const char *const *)d->options, err, errlen);
	if (d->fb == NULL) {
		kind = DRILL_WHY_USAGE;
		goto fail;
	}
	/* A backend that cannot reach this target (no lease to revoke for an etcd
	 * member, no pod or container by its host name) is refused now, before
	 * anything is injected, with the backend's own reason. */
	{
		char line[1024];

		if (d->ops->plan(d->fb, &d->tgt, line, sizeof line) == -1) {
			drill_refuse(refused, err, errlen, "backend '%s' cannot drill %s: %s", backend,
			    o->target, line);
			goto fail;
		}
		while (line[0] != '\0' && line[strlen(line) - 1] == '\n')
			line[strlen(line) - 1] = '\0';
		d->inject_plan = xstrdup(line);
	}
	d->restarts = drill_restarts_new(l, d->ops, d->fb, &d->tgt);
	drill_precheck_collection(d, o->collection);
	if (d->probe_name != NULL)
		r->probe_collection = xasprintf("%s.%s", d->probe_db != NULL ? d->probe_db :
		    "default", d->probe_name);
	r->inserted = r->insert_unanswered = -1;
	if (o->insert_into != NULL) {
		if (drill_insert_precheck(d, o->insert_into, refused, err, errlen) == -1)
			goto fail;
		r->insert_collection = xstrdup(o->insert_into);
	} else if (strcmp(r->role, "datacoord") == 0 || strcmp(r->role, "mixcoord") == 0)
		drill_report_note(r, "no insert probe: the write path was not exercised (name a "
		    "collection the drill may write into with --insert-into)");
	d->probes = drill_probes_new(l, st, r->role, d->probe_db, d->probe_name, &d->ins,
	    (int)r->probe_rate, drill_sample, d, err, errlen);
	if (d->probes == NULL)
		goto fail;
	/* Clients pinned to the drilled proxy see an outage the failover
	 * probes hide: probe its own address too. */
	if (strcmp(r->role, "proxy") == 0 && r->address != NULL) {
		if (drill_probes_pin(d->probes, st, r->address, err, errlen) == -1)
			goto fail;
		r->own_uri = xstrdup(r->address);
	}
	r->probe_calls = xstrdup(drill_probes_calls(d->probes));
	drill_precheck_estimate(d);
	/* An etcd follower's loss elects nobody: it drills like a worker. */
	drill_fsm_init(&r->fsm, r->server_id, strcmp(r->kind, "worker") == 0 ||
	    (d->etcd != NULL && !r->etcd_was_leader),
	    o->recover_k > 0 ? o->recover_k : 3,
	    o->rto_target_ms > 0 ? o->rto_target_ms : p != NULL ? p->drill_rto_target_ms : 30000,
	    o->phase_timeout_ms, o->timeout_ms > 0 ? o->timeout_ms : DRILL_DEFAULT_TIMEOUT_MS);
	/* A querynode's segments are served again once querycoord moved its
	 * replicas' work elsewhere: probes before that prove little. */
	r->fsm.wait_served = strcmp(r->role, "querynode") == 0;
	if (r->fsm.wait_served)
		d->served = drill_served_new(st, r->server_id, drill_served, d);
	return d;
fail:
	*why = refused_ ? DRILL_WHY_REFUSED : kind;
	drill_free(d);
	return NULL;
}

/* ---- the phases on the loop ---- */

static void
drill_ended(void *arg)
{
	struct drill *d = arg;

	if (d->restarts != NULL)
		drill_restarts_fill(d->restarts, d->rep);
	drill_seen(d, DRILL_SEEN_ENDED);
	if (d->done != NULL)
		d->done(d->done_arg);
}

void
drill_watch_set(void (*seen)(struct drill *, enum drill_seen, void *), void *arg)
{
	drill_seen_fn = seen;
	drill_seen_arg = arg;
}

static void
drill_seen(struct drill *d, enum drill_seen what)
{
	if (what == DRILL_SEEN_STARTED)
		d->seen = true;
	if (drill_seen_fn != NULL)
		drill_seen_fn(d, what, drill_seen_arg);
}

/* Per second, or coarser so that a long drill keeps at most DRILL_SERIES_MAX. */
static void
drill_finish_series(struct drill_report *r, const struct drill_sample *s, size_t n)
{
	int64_t span = r->fsm.ended_ms - r->fsm.started_ms, bucket = 1000;

	if (r->fsm.started_ms == 0 || span <= 0)
		return;
	while (span / bucket >= DRILL_SERIES_MAX)
		bucket *= 2;
	free(r->series);
	r->series = xcalloc(DRILL_SERIES_MAX, sizeof *r->series);
	r->n_series = drill_probe_series(s, n, r->fsm.started_ms, r->fsm.ended_ms, bucket,
	    r->series, DRILL_SERIES_MAX);
	r->series_bucket_ms = bucket;
}

static void
drill_finish(struct drill *d)
{
	struct drill_report *r = d->rep;
	const struct drill_sample *s;
	size_t n;

	if (d->finished)
		return;
	d->finished = true;
	drill_probes_stop(d->probes);
	if (d->watch != NULL)
		etcd_watch_stop(d->watch);
	d->watch = NULL;
	if (d->tick != 0)
		loop_timer_cancel(d->loop, d->tick);
	if (d->inject_timer != 0)
		loop_timer_cancel(d->loop, d->inject_timer);
	d->tick = d->inject_timer = 0;
	s = drill_probes_samples(d->probes, &n);
	drill_probe_stats(s, n, r->fsm.started_ms, r->fsm.ended_ms, &r->probes);
	/* Clients and the cluster recover at different moments (a proxy's
	 * own clients fail until it is back; the others never notice): both. */
	r->outage_ms = drill_probe_outage(s, n, r->fsm.started_ms, r->fsm.ended_ms);
	r->converged_ms = r->fsm.ready_ms > 0 && r->fsm.injected_ms > 0 ?
	    r->fsm.ready_ms - r->fsm.injected_ms : -1;
	if (r->converged_ms < -1)
		r->converged_ms = 0;
	/* A graceful stop leaves the process up without a session: nothing
	 * restarts it, and `status` shows it until someone does. */
	if (r->backend != NULL && strcmp(r->backend, "stop") == 0 && r->aftermath == NULL)
		r->aftermath = xasprintf("the stopped process is still running without a "
		    "session: restart %s %lld%s%s", r->role != NULL ? r->role : "it",
		    (long long)r->server_id, r->address != NULL ? " at " : "",
		    r->address != NULL ? r->address : "");
	if (d->ins.name != NULL) {
		r->inserted = drill_probes_inserted(d->probes, &r->insert_unanswered);
		if (r->insert_unanswered > 0)
			drill_report_note(r, "%lld insert probes had no answer when the drill "
			    "ended: they may have written too", (long long)r->insert_unanswered);
	}
	drill_finish_series(r, s, n);
	drill_count_via(r, s, n);
	if (d->served != NULL)
		drill_served_note(d->served, r);
	r->new_server_id = r->fsm.new_server_id;
	if (d->etcd != NULL)
		drill_etcd_finish(d->etcd, r);
	drill_report_compare(r);
	/* The lock stays until drill_free, after the restore and the saved
	 * report: no other drill may start on a half-restored cluster or take
	 * this report's ID. */
	drill_restore(d);
}

/* The restart count at the end, then the report is complete. */
static void
drill_count_after(struct drill *d)
{
	if (d->restarts != NULL)
		drill_restarts_ask(d->restarts, true, drill_ended, d);
	else
		drill_ended(d);
}

static void
drill_restored(const struct fault_result *res, void *arg)
{
	struct drill *d = arg;

	if (d->restore_timer == 0)
		return;		/* timed out: already noted and went on */
	loop_timer_cancel(d->loop, d->restore_timer);
	d->restore_timer = 0;
	if (res->err != 0)
		drill_report_note(d->rep, "restore failed: %s: what was killed is still down",
		    res->errmsg);
	else
		drill_report_note(d->rep, "restore: %s", res->detail[0] != '\0' ? res->detail :
		    "done");
	drill_count_after(d);
}

static void
drill_restore_timeout(void *arg)
{
	struct drill *d = arg;

	d->restore_timer = 0;
	drill_report_note(d->rep, "restore did not answer within %d s: check that what was "
	    "killed runs again", DRILL_RESTORE_WAIT_MS / 1000);
	drill_count_after(d);
}

/*
 * Put back what the backend can (docker: start a killed container that has no
 * restart policy, as the contract's §3.4 asks) once the measurement is over,
 * so that the drill measures the fault alone and leaves the cluster as it
 * found it. Only after a fault that took effect.
 */
static void
drill_restore(struct drill *d)
{
	if (d->ops->restore == NULL || d->rep->fsm.injected_ms <= 0 || d->fb == NULL) {
		drill_count_after(d);
		return;
	}
	d->restore_timer = loop_timer_add(d->loop, DRILL_RESTORE_WAIT_MS,
	    drill_restore_timeout, d);
	if (d->ops->restore(d->fb, &d->tgt, drill_restored, d) == -1) {
		loop_timer_cancel(d->loop, d->restore_timer);
		d->restore_timer = 0;
		drill_report_note(d->rep, "restore could not start: what was killed is still "
		    "down");
		drill_count_after(d);
	}
}

static void
drill_event(struct drill *d, enum drill_ev ev, int64_t at, int64_t id,
    const struct drill_sample *s, const char *reason)
{
	if (d->finished)
		return;
	if (drill_fsm_event(&d->rep->fsm, ev, at, id, s, reason))
		drill_finish(d);
	else if (ev != DRILL_EV_TICK)
		drill_seen(d, DRILL_SEEN_CHANGED);
}

static void
drill_sample(const struct drill_sample *s, void *arg)
{
	struct drill *d = arg;
	struct drill_report *r = d->rep;
	bool ended = d->finished;

	/* etcd drills recover by etcd ranges; the Milvus probes are only measured. */
	if (d->etcd != NULL)
		return;
	/* done() only flags the waiter, so d is still here: when this probe was
	 * the K-th good one in a row, its proxy served the recovery. */
	drill_event(d, DRILL_EV_PROBE, s->done_ms, 0, s, NULL);
	if (!ended && r->fsm.recovered_ms > 0 && r->recovered_via == NULL && s->uri != NULL)
		r->recovered_via = xstrdup(s->uri);
}

static void
drill_injected(const struct fault_result *res, void *arg)
{
	struct drill *d = arg;

	if (res->detail[0] != '\0')
		d->rep->inject_detail = xstrdup(res->detail);
	if (res->err != 0)
		drill_event(d, DRILL_EV_INJECT_FAILED, time_wall_ms(), 0, NULL, res->errmsg);
	else
		drill_event(d, DRILL_EV_INJECTED, res->injected_ms > 0 ? res->injected_ms :
		    time_wall_ms(), 0, NULL, NULL);
}

static void
drill_inject(struct drill *d)
{
	if (d->injecting || d->finished)
		return;
	/* The restart count before the fault comes first (bounded). */
	if (d->counting) {
		d->inject_wanted = true;
		return;
	}
	d->injecting = true;
	if (d->inject_timer != 0)
		loop_timer_cancel(d->loop, d->inject_timer);
	d->inject_timer = 0;
	drill_event(d, DRILL_EV_START, time_wall_ms(), 0, NULL, NULL);
	if (d->ops->inject(d->fb, &d->tgt, drill_injected, d) == -1)
		drill_event(d, DRILL_EV_INJECT_FAILED, time_wall_ms(), 0, NULL,
		    "the backend could not start");
}

static void
drill_counted(void *arg)
{
	struct drill *d = arg;

	d->counting = false;
	if (d->inject_wanted)
		drill_inject(d);
}

static void
drill_inject_timer(void *arg)
{
	struct drill *d = arg;

	d->inject_timer = 0;
	/* (A watch that is up only waited for the restart count.) */
	if (d->etcd == NULL && !d->watch_up)
		drill_report_note(d->rep, "the watch was not established within %d ms; "
		    "injected anyway", DRILL_WATCH_WAIT_MS);
	drill_inject(d);
}

/* A PUT of the watched key: a new owner when its ServerID differs. */
static void
drill_key_put(struct drill *d, const struct etcd_kv *kv, int64_t at)
{
	struct session s;
	char err[128];

	memset(&s, 0, sizeof s);
	if (session_parse(kv->key, kv->value, kv->value_len, &s, err, sizeof err) != 1) {
		session_clear(&s);
		return;
	}
	if (s.server_id != 0 && s.server_id != d->rep->server_id && d->rep->fsm.elected_ms == 0) {
		free(d->rep->new_address);
		d->rep->new_address = s.address != NULL ? xstrdup(s.address) : NULL;
	}
	drill_event(d, DRILL_EV_ACTIVE_PUT, at, s.server_id, NULL, NULL);
	session_clear(&s);
}

static void
drill_watch_cb(const struct etcd_watch_msg *msg, void *arg)
{
	struct drill *d = arg;
	int64_t at = time_wall_ms();
	size_t i;

	switch (msg->kind) {
	case ETCD_WATCH_CREATED:
		d->watch_up = true;
		drill_inject(d);
		break;
	case ETCD_WATCH_EVENTS:
		for (i = 0; i < msg->n_events && !d->finished; i++) {
			if (msg->events[i].type == ETCD_EV_DELETE)
				drill_event(d, DRILL_EV_ACTIVE_GONE, at, 0, NULL, NULL);
			else
				drill_key_put(d, &msg->events[i].kv, at);
		}
		break;
	case ETCD_WATCH_RESYNC:
		if (msg->n_kvs == 0)
			drill_event(d, DRILL_EV_ACTIVE_GONE, at, 0, NULL, NULL);
		else
			drill_key_put(d, &msg->kvs[0], at);
		drill_report_note(d->rep, "the watch resynced after a compaction: times are "
		    "from the resync, not the events");
		break;
	case ETCD_WATCH_DOWN:
		drill_report_note(d->rep, "the watch broke (%s) and was resumed",
		    msg->errmsg != NULL ? msg->errmsg : "no reason");
		break;
	}
}

static void
drill_ready_cb(const struct milvus_mgmt_result *res, void *arg)
{
	struct drill *d = arg;

	d->ready_inflight = false;
	if (res->err == MGMT_OK && res->ready)
		drill_event(d, DRILL_EV_READY, time_wall_ms(), 0, NULL, NULL);
}

static void
drill_served(int64_t at, void *arg)
{
	drill_event(arg, DRILL_EV_SERVED, at, 0, NULL, NULL);
}

static void
drill_etcd_ev(enum drill_ev ev, int64_t at, const struct drill_sample *s, void *arg)
{
	/* Server id 1 stands for "another member leads": etcd ids are not Milvus ids. */
	drill_event(arg, ev, at, ev == DRILL_EV_ACTIVE_PUT ? 1 : 0, s, NULL);
}

static void
drill_tick(void *arg)
{
	struct drill *d = arg;
	struct drill_fsm *f = &d->rep->fsm;
	int64_t now = time_wall_ms();
	char *base;

	d->tick = 0;
	drill_event(d, DRILL_EV_TICK, now, 0, NULL, NULL);
	if (d->finished)
		return;
	if (f->phase == DRILL_RECOVER && f->ready_ms == 0 && !d->ready_inflight &&
	    d->etcd == NULL &&
	    now >= d->next_ready_ms && d->rep->new_address != NULL) {
		base = state_metrics_base(d->st, d->rep->new_address);
		if (base != NULL && milvus_mgmt_check_ready(state_mgmt(d->st), base, d->rep->role,
		    drill_ready_cb, d) == 0)
			d->ready_inflight = true;
		free(base);
		d->next_ready_ms = now + DRILL_READY_EVERY_MS;
	}
	if (f->phase == DRILL_RECOVER && d->served != NULL && f->ready_ms == 0)
		drill_served_poll(d->served, now);
	if (d->etcd != NULL)
		drill_etcd_poll(d->etcd, f, now);
	d->tick = loop_timer_add(d->loop, DRILL_TICK_MS, drill_tick, d);
}

int
drill_start(struct drill *d, void (*done)(void *), void *arg, bool *refused, char *err,
    size_t errlen)
{
	char *dir;

	*refused = false;
	dir = drill_dir(true);
	free(dir);
	if (drill_lock_take(d->lock_path, refused, err, errlen) == -1)
		return -1;
	d->locked = true;
	/* The probes must work before the fault: with a typo in --collection or
	 * an expired token every probe would fail and the drill would time out
	 * in RECOVER blaming the cluster. etcd drills recover by etcd ranges. */
	/* Every call once in a row: K (up to 100) at a slow rate would not fit. */
	if (d->etcd == NULL && drill_probes_baseline(d->probes, 1,
	    time_wall_ms() + DRILL_BASELINE_MS, err, errlen) == -1) {
		drill_lock_release(d->lock_path);
		d->locked = false;
		*refused = true;
		return -1;
	}
	d->done = done;
	d->done_arg = arg;
	if (d->restarts != NULL) {
		d->counting = true;
		drill_restarts_ask(d->restarts, false, drill_counted, d);
	}
	if (d->etcd != NULL) {
		/* No key to watch: the member's status tells. */
		drill_probes_start(d->probes);
		d->inject_timer = loop_timer_add(d->loop, 0, drill_inject_timer, d);
		d->tick = loop_timer_add(d->loop, DRILL_TICK_MS, drill_tick, d);
		drill_seen(d, DRILL_SEEN_STARTED);
		return 0;
	}
	d->watch = etcd_watch_start(state_etcd(d->st), d->watch_key, NULL, d->watch_from,
	    ETCD_WATCH_PREV_KV, drill_watch_cb, d);
	if (d->watch == NULL) {
		snprintf(err, errlen, "cannot watch '%s'", d->watch_key);
		drill_lock_release(d->lock_path);
		d->locked = false;
		return -1;
	}
	drill_probes_start(d->probes);
	d->inject_timer = loop_timer_add(d->loop, DRILL_WATCH_WAIT_MS, drill_inject_timer, d);
	d->tick = loop_timer_add(d->loop, DRILL_TICK_MS, drill_tick, d);
	drill_seen(d, DRILL_SEEN_STARTED);
	return 0;
}

void
drill_abort(struct drill *d)
{
	/* A second Ctrl-C while the backend restores: stop waiting for it. */
	if (d->finished && d->restore_timer != 0) {
		loop_timer_cancel(d->loop, d->restore_timer);
		d->restore_timer = 0;
		drill_report_note(d->rep, "restore interrupted: what was killed may still be "
		    "down");
		drill_count_after(d);
		return;
	}
	if (d->rep->fsm.phase == DRILL_PRECHECK)
		drill_event(d, DRILL_EV_START, time_wall_ms(), 0, NULL, NULL);
	drill_event(d, DRILL_EV_ABORT, time_wall_ms(), 0, NULL, d->ops->restore != NULL ?
	    "interrupted: probing stopped; the backend puts back what it can" :
	    "interrupted: probing stopped; the fault is not undone");
}

struct drill_report *
drill_report(struct drill *d)
{
	return d->rep;
}

const struct drill_sample *
drill_samples(const struct drill *d, size_t *n)
{
	return drill_probes_samples(d->probes, n);
}

void
drill_free(struct drill *d)
{
	size_t i;

	if (d == NULL)
		return;
	/* Only a drill that started was seen. */
	if (d->seen)
		drill_seen(d, DRILL_SEEN_FREED);
	if (d->watch != NULL)
		etcd_watch_stop(d->watch);
	if (d->tick != 0)
		loop_timer_cancel(d->loop, d->tick);
	if (d->inject_timer != 0)
		loop_timer_cancel(d->loop, d->inject_timer);
	if (d->restore_timer != 0)
		loop_timer_cancel(d->loop, d->restore_timer);
	if (d->locked)
		drill_lock_release(d->lock_path);
	d->locked = false;
	drill_probes_free(d->probes);
	drill_served_free(d->served);
	drill_restarts_free(d->restarts);
	drill_insert_clear(&d->ins);
	drill_etcd_free(d->etcd);
	if (d->fb != NULL)
		d->ops->close(d->fb);
	for (i = 0; d->options != NULL && d->options[i] != NULL; i++)
		free(d->options[i]);
	free(d->options);
	free((char *)d->tgt.host);
	free(d->watch_key);
	free(d->inject_plan);
	free(d->probe_db);
	free(d->probe_name);
	free(d->lock_path);
	drill_report_free(d->rep);
	free(d);
}
