/* SPDX-License-Identifier: MIT */
/* Milvus sessions on etcd for the lab: ServerID counter, registration, keepalive,
 * self-fencing and stop (contract §1.3, §2.2, §2.5-§2.7); elections are in labd-elect.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd.h"

#define RETRY_MS	100	/* Milvus's sleep between election attempts */
#define REGISTER_TRIES	30	/* common.session.retryTimes */
#define REGISTER_WAIT_MS 200

static void sess_grant(struct labd_sess *s);
static void sess_register(struct labd_sess *s);
static void sess_keepalive(void *arg);

void
labd_fence_code(struct labd *d, int code, const char *reason, const char *why)
{
	if (d->done)
		return;
	log_error("exiting with status %d: %s", code, why);
	labd_event(d, "fenced", "reason=%s status=%d", reason, code);
	d->exit_code = code;
	d->done = 1;
	loop_break(d->loop);
}

void
labd_fence(struct labd *d, const char *reason, const char *why)
{
	labd_fence_code(d, 1, reason, why);
}

void
labd_comp_activated(struct labd_comp *c)
{
	if (c->stop_started)
		return;
	c->state = LABD_ST_HEALTHY;
	c->counted = c->ever_counted = true;
	log_info("%s is healthy", labd_role_name(c->role));
	labd_duties_start(c);
}

/* The session JSON with the current lease and Stopping flag, as role name. */
char *
labd_sess_json(struct labd_sess *s, enum labd_role as, size_t *len)
{
	struct labd_session_info info = s->info;
	struct buf b = BUF_INIT;

	if (as != s->role)
		snprintf(info.server_name, sizeof info.server_name, "%s", labd_role_name(as));
	labd_session_json(&b, &info);
	return buf_detach(&b, len);
}

static void
retry_fire(void *arg)
{
	struct labd_sess *s = arg;
	void (*fn)(struct labd_sess *) = NULL;

	s->retry_timer = 0;
	if (s->stopping || s->d->done)
		return;
	if (!s->registered)
		fn = s->lease == 0 ? sess_grant : sess_register;
	else if (s->elects && !s->active)
		fn = labd_elect;
	else if (s->role == LABD_INDEXCOORD && !s->active)
		fn = labd_force_active;
	if (fn != NULL)
		fn(s);
}

/* Retry whatever step the session is in after ms. */
void
labd_sess_retry(struct labd_sess *s, int64_t ms)
{
	if (s->retry_timer != 0)
		loop_timer_cancel(s->d->loop, s->retry_timer);
	s->retry_timer = loop_timer_add(s->d->loop, ms, retry_fire, s);
}

/* The key LivenessCheck watches: <role> for coordinators, <role>-<id> for workers. */
static const char *
sess_live_key(struct labd_sess *s)
{
	return labd_role_exclusive(s->role) ? s->active_key : s->key;
}

static void
on_live_watch(const struct etcd_watch_msg *m, void *arg)
{
	struct labd_sess *s = arg;
	size_t i;

	if (s->stopping)
		return;
	if (m->kind == ETCD_WATCH_EVENTS) {
		for (i = 0; i < m->n_events; i++) {
			if (m->events[i].type == ETCD_EV_DELETE) {
				char why[320];

				snprintf(why, sizeof why, "session key '%s' was deleted",
				    m->events[i].kv.key);
				labd_event_active_lost(s, "key-deleted");
				labd_fence(s->d, "key-deleted", why);
				return;
			}
		}
	} else if (m->kind == ETCD_WATCH_RESYNC && m->n_kvs == 0) {
		labd_event_active_lost(s, "compacted");
		labd_fence(s->d, "compacted", "session key is gone after a compaction");
	}
}

/* 2.3-2.6.6 LivenessCheck; 2.6.7+ relies on the lease alone (§2.6). */
static void
sess_liveness(struct labd_sess *s, int64_t from_rev)
{
	if (!s->fences || !s->d->v->fence_on_delete || s->live_watch != NULL)
		return;
	s->live_watch = etcd_watch_start(s->d->etcd, sess_live_key(s), NULL,
	    from_rev, 0, on_live_watch, s);
}

void
labd_sess_became_active(struct labd_sess *s, int64_t rev)
{
	struct labd_comp *c = s->comp;
	size_t i;

	s->active = true;
	log_info("'%s' is active (ServerID %lld, lease %lld)", s->active_key,
	    (long long)s->info.server_id, (long long)s->lease);
	labd_event(s->d, "active-gained", "role=%s server_id=%lld revision=%lld lease=%lld",
	    labd_role_name(s->role), (long long)s->info.server_id, (long long)rev,
	    (long long)s->lease);
	if (c->sess[0] == s)
		labd_comp_activated(c);
	/* 2.3-2.5 DataCoord takes the indexcoord session over once active. */
	for (i = 1; i < c->n_sess; i++) {
		if (c->sess[i]->role == LABD_INDEXCOORD && c->sess[i]->registered &&
		    c->sess[i]->active_standby && !c->sess[i]->active)
			labd_force_active(c->sess[i]);
	}
	sess_liveness(s, rev + 1);
}

/* ---- ServerID counter (§1.3) ---- */

struct idalloc {
	struct labd *d;
	void (*cb)(struct labd *d);
	char key[256];
	char value[32];
	unsigned int errors;		/* log one retry in 50 (every 5 s) */
};

static void id_check(void *arg);
static void id_get(void *arg);

static void
on_id_incr(const struct etcd_result *r, void *arg)
{
	struct idalloc *a = arg;
	void (*cb)(struct labd *) = a->cb;
	struct labd *d = a->d;

	if (r->err != 0) {
		if (a->errors++ % 50 == 0)
			log_warn("server id: %s", r->errmsg);
		loop_timer_add(d->loop, RETRY_MS, id_get, a);
		return;
	}
	if (!r->succeeded) {
		id_get(a);
		return;
	}
	jsonraw_parse_int64(a->value, strlen(a->value), &d->server_id);
	d->idalloc = NULL;
	free(a);
	log_info("server id %lld", (long long)d->server_id);
	cb(d);
}

static void
on_id_get(const struct etcd_result *r, void *arg)
{
	struct idalloc *a = arg;
	struct etcd_txn *t;
	int64_t v;
	char next[32];

	if (r->err != 0 || r->n_kvs != 1 || r->kvs[0].value_len >= sizeof a->value ||
	    jsonraw_parse_int64(r->kvs[0].value, r->kvs[0].value_len, &v) != 0 || v < 0) {
		if (a->errors++ % 50 == 0)
			log_warn("server id: cannot read '%s'%s%s", a->key,
			    r->err ? ": " : "", r->err ? r->errmsg : "");
		loop_timer_add(a->d->loop, RETRY_MS, r->n_kvs == 0 ? id_check : id_get, a);
		return;
	}
	memcpy(a->value, r->kvs[0].value, r->kvs[0].value_len);
	a->value[r->kvs[0].value_len] = '\0';
	snprintf(next, sizeof next, "%lld", (long long)v + 1);
	t = etcd_txn_new();
	etcd_txn_cmp_value(t, a->key, ETCD_CMP_EQUAL, a->value, strlen(a->value));
	etcd_txn_put(t, true, a->key, next, strlen(next), 0);
	etcd_txn_commit(a->d->etcd, t, on_id_incr, a);
}

static void
id_get(void *arg)
{
	struct idalloc *a = arg;

	etcd_range(a->d->etcd, a->key, NULL, 0, 0, on_id_get, a);
}

static void
on_id_check(const struct etcd_result *r, void *arg)
{
	struct idalloc *a = arg;

	if (r->err != 0) {
		if (a->errors++ % 50 == 0)
			log_warn("server id: %s", r->errmsg);
		loop_timer_add(a->d->loop, RETRY_MS, id_check, a);
		return;
	}
	id_get(a);
}

static void
id_check(void *arg)
{
	struct idalloc *a = arg;
	struct etcd_txn *t = etcd_txn_new();

	/* checkIDExist: create the counter at "1" if it is absent. */
	etcd_txn_cmp_int(t, a->key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	etcd_txn_put(t, true, a->key, "1", 1, 0);
	etcd_txn_commit(a->d->etcd, t, on_id_check, a);
}

void
labd_alloc_server_id(struct labd *d, void (*cb)(struct labd *d))
{
	struct idalloc *a = xcalloc(1, sizeof *a);

	a->d = d;
	a->cb = cb;
	d->idalloc = a;
	snprintf(a->key, sizeof a->key, "%sid", d->session_root);
	id_check(a);
}

/* ---- lease and keepalive (§2.2, §2.5, §2.6) ---- */

static void
sess_schedule_keepalive(struct labd_sess *s, int64_t ms)
{
	if (s->ka_timer != 0)
		loop_timer_cancel(s->d->loop, s->ka_timer);
	s->ka_timer = loop_timer_add(s->d->loop, ms, sess_keepalive, s);
}

/* reason is the event log's word for why ("lease-gone", "keepalive-timeout"). */
static void
sess_lost(struct labd_sess *s, const char *reason, const char *why)
{
	char msg[512];

	snprintf(msg, sizeof msg, "lease %lld of '%s': %s", (long long)s->lease, s->key, why);
	/* The active key lives on this lease, so it is gone (or going) with it. */
	labd_event_active_lost(s, reason);
	/* 2.3-2.6.6: a standby coordinator runs no LivenessCheck (§2.7 note). */
	if (s->fences && (s->active || s->d->v->lease_exit)) {
		/* os.Exit(1) up to 2.6; 3.x exits 80 on a confirmed lost lease. */
		labd_fence_code(s->d, s->d->v->lease_lost_exit, reason, msg);
		return;
	}
	log_warn("%s; not fencing (%s)", msg, s->fences ? "standby" : "no liveness check");
	if (s->ka_timer != 0)
		loop_timer_cancel(s->d->loop, s->ka_timer);
	s->ka_timer = 0;
}

static void
on_timetolive(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err == 0 && r->ttl <= 0) {
		sess_lost(s, "lease-gone", "lease not found (TimeToLive)");
		return;
	}
	if (time_mono_ms() - s->last_ka_ok > s->ttl * 1000) {
		sess_lost(s, "keepalive-timeout", "no keepalive within the TTL");
		return;
	}
	/* Re-establish with exponential backoff, 10 ms to 100 s (2.6.7+). */
	s->ka_backoff = s->ka_backoff == 0 ? 10 : s->ka_backoff * 2;
	if (s->ka_backoff > 100000)
		s->ka_backoff = 100000;
	sess_schedule_keepalive(s, s->ka_backoff);
}

static void
on_keepalive(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err == 0 && r->ttl > 0) {
		s->last_ka_ok = time_mono_ms();
		s->ka_backoff = 0;
		sess_schedule_keepalive(s, s->ttl * 1000 / 3);
		return;
	}
	if (r->err != 0)
		log_warn("keepalive of lease %lld: %s", (long long)s->lease, r->errmsg);
	if (s->d->v->lease_exit) {
		etcd_lease_timetolive(s->d->etcd, s->lease, false, on_timetolive, s);
		return;
	}
	if (r->err == 0) {
		sess_lost(s, "lease-gone", "keepalive says the lease is gone");
		return;
	}
	if (time_mono_ms() - s->last_ka_ok > s->ttl * 1000) {
		sess_lost(s, "keepalive-timeout", "no keepalive within the TTL");
		return;
	}
	sess_schedule_keepalive(s, 1000);
}

static void
sess_keepalive(void *arg)
{
	struct labd_sess *s = arg;

	s->ka_timer = 0;
	if (s->stopping || s->d->done)
		return;
	etcd_lease_keepalive(s->d->etcd, s->lease, on_keepalive, s);
}

static void
on_grant(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err != 0 || r->lease_id == 0) {
		log_warn("lease grant for '%s': %s", s->key, r->err ? r->errmsg : "no lease id");
		labd_sess_retry(s, 1000);
		return;
	}
	s->lease = r->lease_id;
	s->info.lease_id = r->lease_id;
	s->last_ka_ok = time_mono_ms();
	sess_schedule_keepalive(s, s->ttl * 1000 / 3);
	sess_register(s);
}

static void
sess_grant(struct labd_sess *s)
{
	etcd_lease_grant(s->d->etcd, s->ttl, on_grant, s);
}

/* ---- registration (§2.2) ---- */

static void
sess_registered(struct labd_sess *s, int64_t rev)
{
	struct labd_comp *c = s->comp;

	s->registered = true;
	log_info("registered '%s' on lease %lld", s->key, (long long)s->lease);
	labd_event(s->d, "registered", "server_id=%lld role=%s lease=%lld revision=%lld",
	    (long long)s->info.server_id, labd_role_name(s->role), (long long)s->lease,
	    (long long)rev);
	if (s->active_standby && s->elects) {
		if (c->sess[0] == s && !c->stop_started)
			c->state = LABD_ST_STANDBY;
		labd_elect(s);
		return;
	}
	if (s->role == LABD_INDEXCOORD && s->active_standby) {
		/* Waits for DataCoord to become active (ForceActiveStandby). */
		if (c->sess[0]->active)
			labd_force_active(s);
		return;
	}
	s->active = true;
	/* Without active-standby a coordinator's only key is the active key. */
	if (labd_role_exclusive(s->role))
		labd_event(s->d, "active-gained", "role=%s server_id=%lld revision=%lld "
		    "lease=%lld", labd_role_name(s->role), (long long)s->info.server_id,
		    (long long)rev, (long long)s->lease);
	if (c->sess[0] == s)
		labd_comp_activated(c);
	sess_liveness(s, rev + 1);
}

/* handleRestart: a same-address session with a smaller ServerID is a previous
 * incarnation of this process; delete it and try again (2.3-2.6.7). */
static void
on_restart_delete(const struct etcd_result *r, void *arg)
{
	labd_sess_retry(arg, r->err != 0 ? REGISTER_WAIT_MS : 0);
}

static void
on_restart_range(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;
	char want[80];
	int64_t id;

	if (s->stopping || s->d->done)
		return;
	snprintf(want, sizeof want, "\"Address\":\"%s\"", s->info.address);
	if (r->err == 0 && r->n_kvs == 1 && strstr(r->kvs[0].value, want) != NULL &&
	    jsonraw_top_int64(r->kvs[0].value, r->kvs[0].value_len, "ServerID", &id) == 0 &&
	    id < s->info.server_id) {
		log_info("deleting '%s' of an earlier ServerID %lld at the same address",
		    s->key, (long long)id);
		etcd_delete(s->d->etcd, s->key, NULL, false, on_restart_delete, s);
		return;
	}
	labd_sess_retry(s, REGISTER_WAIT_MS);
}

static void
on_register(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err == 0 && r->succeeded) {
		sess_registered(s, r->header.revision);
		return;
	}
	if (++s->register_tries >= REGISTER_TRIES) {
		char why[640];

		snprintf(why, sizeof why, "cannot register '%s': %s", s->key,
		    r->err ? r->errmsg : "the key exists");
		labd_fence(s->d, "register-failed", why);
		return;
	}
	if (r->err != 0)
		log_warn("register '%s': %s", s->key, r->errmsg);
	else
		log_warn("register '%s': the key exists", s->key);
	if (r->err == 0 && s->d->v->handle_restart)
		etcd_range(s->d->etcd, s->key, NULL, 0, 0, on_restart_range, s);
	else
		labd_sess_retry(s, REGISTER_WAIT_MS);
}

static void
sess_register(struct labd_sess *s)
{
	struct etcd_txn *t = etcd_txn_new();
	size_t len;
	char *json = labd_sess_json(s, s->role, &len);

	etcd_txn_cmp_int(t, s->key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	etcd_txn_put(t, true, s->key, json, len, s->lease);
	free(json);
	etcd_txn_commit(s->d->etcd, t, on_register, s);
}

/* ---- start and stop ---- */

void
labd_sess_start(struct labd_sess *s)
{
	const char *name = labd_role_name(s->role);

	snprintf(s->active_key, sizeof s->active_key, "%s%s", s->d->session_root, name);
	if (labd_role_exclusive(s->role) && !s->active_standby)
		snprintf(s->key, sizeof s->key, "%s", s->active_key);
	else
		snprintf(s->key, sizeof s->key, "%s%s-%lld", s->d->session_root, name,
		    (long long)s->info.server_id);
	sess_grant(s);
}

void
labd_sess_going_stop(struct labd_sess *s)
{
	size_t len;
	char *json;

	if (!s->registered || s->revoked)
		return;
	s->info.stopping = true;
	json = labd_sess_json(s, s->role, &len);
	etcd_put(s->d->etcd, s->key, json, len, s->lease, NULL, NULL);
	free(json);
}

static void
on_revoke(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	/* The key goes when etcd has revoked the lease; a failed revoke leaves it
	 * to expire with the TTL, which the event says. */
	labd_event_active_lost(s, r->err != 0 ? "stopping-revoke-failed" : "stopping");
	if (r->err != 0)
		log_warn("revoke lease %lld: %s", (long long)s->lease, r->errmsg);
	else
		log_info("revoked lease %lld ('%s')", (long long)s->lease, s->key);
	if (s->revoked_cb != NULL)
		s->revoked_cb(s);
}

void
labd_sess_revoke(struct labd_sess *s, void (*cb)(struct labd_sess *s))
{
	s->stopping = true;
	s->revoked_cb = cb;
	if (s->ka_timer != 0)
		loop_timer_cancel(s->d->loop, s->ka_timer);
	if (s->retry_timer != 0)
		loop_timer_cancel(s->d->loop, s->retry_timer);
	s->ka_timer = s->retry_timer = 0;
	if (s->elect_watch != NULL)
		etcd_watch_stop(s->elect_watch);
	if (s->live_watch != NULL)
		etcd_watch_stop(s->live_watch);
	s->elect_watch = s->live_watch = NULL;
	if (s->lease == 0 || s->revoked) {
		s->revoked = true;
		if (cb != NULL)
			cb(s);
		return;
	}
	s->revoked = true;
	etcd_lease_revoke(s->d->etcd, s->lease, on_revoke, s);
}
