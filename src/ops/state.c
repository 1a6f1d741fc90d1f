/* SPDX-License-Identifier: MIT */
/* Gathering the model for one profile: the gatherer's lifecycle, sessions and
 * their lease TTLs from etcd and the live session watch. The history replay
 * is in state-history.c, health and etcd members in state-probe.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/etcd.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/session.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"


struct state *
state_new(struct loop *l, const struct profile *p, char *err, size_t errlen)
{
	struct etcd_opts eo;
	struct state *st;
	char *password = NULL;

	if (p->n_etcd_endpoints == 0) {
		snprintf(err, errlen, "no etcd endpoint in profile '%s'", p->name);
		return NULL;
	}
	if (p->etcd_username != NULL && p->etcd_password_file != NULL) {
		password = config_read_secret(p->etcd_password_file, "etcd password", err,
		    errlen);
		if (password == NULL)
			return NULL;
	}
	st = xcalloc(1, sizeof *st);
	st->loop = l;
	st->profile_name = xstrdup(p->name);
	st->root = xstrdup(p->etcd_root_path != NULL ? p->etcd_root_path : "by-dev");
	st->session_prefix = xasprintf("%s/meta/session/", st->root);
	st->milvus_uri = p->milvus_uri != NULL ? xstrdup(p->milvus_uri) : NULL;
	st->milvus_ca_file = p->milvus_ca_file != NULL ? xstrdup(p->milvus_ca_file) : NULL;
	st->milvus_insecure = p->milvus_insecure;
	st->metrics_port = p->milvus_metrics_port > 0 ? p->milvus_metrics_port : 9091;
	st->timeout_ms = p->timeout_ms > 0 ? (long)p->timeout_ms : 5000;
	st->protect_prefix = xstrdup(p->guards_etcd_prefix != NULL ? p->guards_etcd_prefix :
	    "milvusadm/");
	if (p->n_guards_protected > 0) {
		size_t i;

		st->protect_config = xcalloc(p->n_guards_protected, sizeof *st->protect_config);
		for (i = 0; i < p->n_guards_protected; i++)
			st->protect_config[i] = xstrdup(p->guards_protected[i]);
		st->n_protect_config = p->n_guards_protected;
	}
	if (p->milvus_token_file != NULL) {
		st->milvus_token = config_read_secret(p->milvus_token_file, "milvus token", err,
		    errlen);
		if (st->milvus_token == NULL) {
			free(password);
			state_free(st);
			return NULL;
		}
	}
	/* adminAuthEnabled guards /management and /api/v1/_* (contract §4.4). */
	if (p->milvus_admin_password_file != NULL) {
		st->milvus_admin_password = config_read_secret(p->milvus_admin_password_file,
		    "milvus admin password", err, errlen);
		if (st->milvus_admin_password == NULL) {
			free(password);
			state_free(st);
			return NULL;
		}
		st->milvus_admin_user = xstrdup(p->milvus_admin_user != NULL ?
		    p->milvus_admin_user : "root");
	}
	memset(&eo, 0, sizeof eo);
	eo.endpoints = (const char *const *)p->etcd_endpoints;
	eo.username = p->etcd_username;
	eo.password = password;
	eo.tls.ca_file = p->etcd_ca_file;
	eo.tls.cert_file = p->etcd_cert_file;
	eo.tls.key_file = p->etcd_key_file;
	eo.tls.insecure = p->etcd_insecure;
	eo.timeout_ms = st->timeout_ms;
	st->etcd = etcd_new(l, &eo, err, errlen);
	if (password != NULL) {
		memset(password, 0, strlen(password));
		free(password);
	}
	if (st->etcd == NULL) {
		state_free(st);
		return NULL;
	}
	st->cluster = cluster_new(st->root);
	return st;
}

struct state *
state_open(struct loop *l, const char *profile_name, char *err, size_t errlen)
{
	const struct profile *p;
	struct config *c;
	struct state *st;

	c = config_load(NULL, err, errlen);
	if (c == NULL)
		return NULL;
	p = config_profile(c, profile_name);
	if (p == NULL) {
		if (profile_name != NULL)
			snprintf(err, errlen, "profile '%s' not found", profile_name);
		else
			snprintf(err, errlen, "no cluster is configured; start the local lab "
			    "with 'milvusadm lab up' or add a profile");
		config_free(c);
		return NULL;
	}
	st = state_new(l, p, err, errlen);
	config_free(c);
	return st;
}

void
state_free(struct state *st)
{
	if (st == NULL)
		return;
	state_live_free(st);
	state_watch_stop(st);
	/* Freeing the clients cancels their calls without callbacks: the loads
	 * that were waiting on them are freed after. */
	if (st->rest != NULL)
		milvus_rest_free(st->rest);
	if (st->mgmt != NULL)
		milvus_mgmt_free(st->mgmt);
	if (st->etcd != NULL)
		etcd_free(st->etcd);
	while (st->ops != NULL) {
		struct state_op *op = st->ops;

		state_op_unlink(st, op);
		op->release(op);
	}
	cluster_free(st->cluster);
	free(st->profile_name);
	free(st->root);
	free(st->session_prefix);
	free(st->milvus_uri);
	free(st->replicas_via);
	if (st->milvus_token != NULL) {
		memset(st->milvus_token, 0, strlen(st->milvus_token));
		free(st->milvus_token);
	}
	if (st->milvus_admin_password != NULL) {
		memset(st->milvus_admin_password, 0, strlen(st->milvus_admin_password));
		free(st->milvus_admin_password);
	}
	free(st->milvus_admin_user);
	free(st->milvus_ca_file);
	free(st->protect_prefix);
	while (st->n_protect_config > 0)
		free(st->protect_config[--st->n_protect_config]);
	free(st->protect_config);
	free(st);
}

struct cluster *
state_cluster(struct state *st)
{
	return st->cluster;
}

struct etcd *
state_etcd(struct state *st)
{
	return st->etcd;
}

long
state_timeout_ms(const struct state *st)
{
	return st->timeout_ms;
}

void
state_op_link(struct state *st, struct state_op *op, void (*release)(struct state_op *))
{
	op->release = release;
	op->prev = NULL;
	op->next = st->ops;
	if (st->ops != NULL)
		st->ops->prev = op;
	st->ops = op;
}

void
state_op_unlink(struct state *st, struct state_op *op)
{
	if (op->prev != NULL)
		op->prev->next = op->next;
	else if (st->ops == op)
		st->ops = op->next;
	if (op->next != NULL)
		op->next->prev = op->prev;
	op->next = op->prev = NULL;
}

struct state_wait {
	int done;
	int rc;
	bool abandoned;
};

struct state_wait *
state_wait_new(void)
{
	return xcalloc(1, sizeof(struct state_wait));
}

void
state_wait_cb(struct state *st, int rc, void *arg)
{
	struct state_wait *w = arg;

	(void)st;
	if (w->abandoned) {
		free(w);
		return;
	}
	w->rc = rc;
	w->done = 1;
}

int
state_wait_run(struct state *st, struct state_wait *w, int64_t bound_ms)
{
	int rc;

	if (!w->done && loop_run_until(st->loop, &w->done, bound_ms) != 0 && !w->done) {
		/* Every call times out by itself; this only guards the loop. */
		w->abandoned = true;
		return -1;
	}
	rc = w->rc;
	free(w);
	return rc;
}

struct milvus_mgmt *
state_mgmt(struct state *st)
{
	struct milvus_mgmt_opts mo;

	if (st->mgmt == NULL) {
		memset(&mo, 0, sizeof mo);
		mo.token = st->milvus_token;
		mo.admin_user = st->milvus_admin_user;
		mo.admin_password = st->milvus_admin_password;
		mo.tls.ca_file = st->milvus_ca_file;
		mo.tls.insecure = st->milvus_insecure;
		mo.timeout_ms = st->timeout_ms;
		st->mgmt = milvus_mgmt_new(st->loop, &mo);
	}
	return st->mgmt;
}

char *
state_metrics_base(const struct state *st, const char *addr)
{
	const char *colon;

	if (addr == NULL || addr[0] == '\0')
		return NULL;
	colon = strrchr(addr, ':');
	if (colon == NULL)
		return xasprintf("http://%s:%lld", addr, (long long)st->metrics_port);
	if (colon == addr)
		return NULL;
	return xasprintf("http://%.*s:%lld", (int)(colon - addr), addr,
	    (long long)st->metrics_port);
}

/* ---- sessions ---- */

/* Parse kvs into session keys, once each; non-JSON keys ("id", "version")
 * are skipped, a key that cannot be read goes to c->unparsable (after
 * state_version_range cleared it). */
struct session_key *
state_parse_kvs(struct cluster *c, const struct etcd_kv *kvs, size_t n, size_t *nout)
{
	struct session_key *keys = xcalloc(n + 1, sizeof *keys);
	char err[256];
	size_t i, k = 0;
	int rc;

	for (i = 0; i < n; i++) {
		rc = session_parse(kvs[i].key, kvs[i].value, kvs[i].value_len, &keys[k].s, err,
		    sizeof err);
		if (rc == -1)
			state_unparsable_note(c, kvs[i].key, err);
		if (rc != 1)
			continue;
		keys[k].create_revision = kvs[i].create_revision;
		keys[k].mod_revision = kvs[i].mod_revision;
		keys[k].lease = kvs[i].lease;
		keys[k].etcd_key = kvs[i].key;	/* borrowed for the replace */
		k++;
	}
	*nout = k;
	return keys;
}

void
state_keys_free(struct session_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		session_clear(&keys[i].s);
	free(keys);
}

/* Lease TTLs, STATE_MAX_INFLIGHT at a time. */
struct ttl_sweep {
	struct state_op op;
	struct state *st;
	int64_t *leases;
	int64_t *ttl;
	int64_t *granted;
	size_t n, next, inflight, finished;
	state_done_cb done;
	void *arg;
};

static void ttl_start_next(struct ttl_sweep *sw);

static void
ttl_release(struct state_op *op)
{
	struct ttl_sweep *sw = (struct ttl_sweep *)op;

	free(sw->leases);
	free(sw->ttl);
	free(sw->granted);
	free(sw);
}

static void
ttl_done(const struct etcd_result *res, void *arg)
{
	struct ttl_sweep *sw = arg;
	size_t i;

	for (i = 0; i < sw->n; i++) {
		if (res->err == ETCD_OK && sw->leases[i] == res->lease_id &&
		    sw->ttl[i] == -2) {
			sw->ttl[i] = res->ttl;
			sw->granted[i] = res->granted_ttl;
			break;
		}
	}
	sw->inflight--;
	sw->finished++;
	ttl_start_next(sw);
}

/* Put the answers in the model: components are matched by lease, so changes
 * to the set meanwhile do no harm. */
static void
ttl_apply(struct ttl_sweep *sw)
{
	struct cluster *c = sw->st->cluster;
	int64_t best = -1;
	size_t i, j, answered = 0;

	for (j = 0; j < sw->n; j++)
		answered += sw->ttl[j] != -2;
	/* etcd did not answer at all: what the model had stays. */
	if (answered == 0 && sw->n > 0)
		return;
	for (i = 0; i < c->n_components; i++) {
		struct component *comp = &c->components[i];

		for (j = 0; j < sw->n; j++) {
			if (sw->leases[j] == comp->lease_id)
				comp->lease_ttl_s = sw->ttl[j] >= 0 ? sw->ttl[j] : -1;
		}
	}
	/* Every session is granted the same common.session.ttl: take the largest
	 * answer (a lease just renewed shows it whole). */
	for (j = 0; j < sw->n; j++) {
		if (sw->ttl[j] >= 0 && sw->granted[j] > best)
			best = sw->granted[j];
	}
	if (best > 0)
		c->session_ttl_s = best;
}

static void
ttl_start_next(struct ttl_sweep *sw)
{
	while (sw->inflight < STATE_MAX_INFLIGHT && sw->next < sw->n) {
		size_t i = sw->next++;

		if (etcd_lease_timetolive(sw->st->etcd, sw->leases[i], false, ttl_done, sw) == 0)
			sw->inflight++;
		else
			sw->finished++;
	}
	if (sw->finished == sw->n) {
		struct state *st = sw->st;
		state_done_cb done = sw->done;
		void *arg = sw->arg;

		ttl_apply(sw);
		state_op_unlink(st, &sw->op);
		ttl_release(&sw->op);
		if (done != NULL)
			done(st, 0, arg);
	}
}

void
state_ttls_async(struct state *st, const int64_t *leases, size_t n, state_done_cb done,
    void *arg)
{
	struct cluster *c = st->cluster;
	struct ttl_sweep *sw;
	size_t i, j, max = leases != NULL ? n : c->n_components;

	sw = xcalloc(1, sizeof *sw);
	sw->st = st;
	sw->done = done;
	sw->arg = arg;
	sw->leases = xcalloc(max + 1, sizeof *sw->leases);
	for (i = 0; i < max; i++) {
		int64_t id = leases != NULL ? leases[i] : c->components[i].lease_id;
		bool seen = false;

		for (j = 0; j < sw->n && !seen; j++)
			seen = sw->leases[j] == id;
		if (id != 0 && !seen)
			sw->leases[sw->n++] = id;
	}
	sw->ttl = xcalloc(sw->n + 1, sizeof *sw->ttl);
	sw->granted = xcalloc(sw->n + 1, sizeof *sw->granted);
	for (i = 0; i < sw->n; i++)
		sw->ttl[i] = -2;		/* not answered */
	if (leases == NULL) {
		/* A full sweep: what is not asked is unknown. */
		for (i = 0; i < c->n_components; i++)
			c->components[i].lease_ttl_s = -1;
	}
	state_op_link(st, &sw->op, ttl_release);
	ttl_start_next(sw);
}

struct sessions_load {
	struct state_op op;
	struct state *st;
	bool ttls;
	state_done_cb done;
	void *arg;
};

static void
sessions_release(struct state_op *op)
{
	free(op);
}

static void
sessions_ranged(const struct etcd_result *r, void *arg)
{
	struct sessions_load *sl = arg;
	struct state *st = sl->st;
	struct cluster *c = st->cluster;
	state_done_cb done = sl->done;
	void *darg = sl->arg;
	bool ttls = sl->ttls;
	struct session_key *keys;
	size_t n;

	state_op_unlink(st, &sl->op);
	free(sl);
	if (r->err != ETCD_OK) {
		source_fail(&c->src_sessions, time_wall_ms(), r->errmsg);
		if (done != NULL)
			done(st, -1, darg);
		return;
	}
	state_version_range(c, r->kvs, r->n_kvs);
	keys = state_parse_kvs(c, r->kvs, r->n_kvs, &n);
	cluster_sessions_replace(c, keys, n, r->header.revision, time_wall_ms());
	state_keys_free(keys, n);
	source_ok(&c->src_sessions, time_wall_ms());
	if (ttls)
		state_ttls_async(st, NULL, 0, done, darg);
	else if (done != NULL)
		done(st, 0, darg);
}

void
state_sessions_async(struct state *st, bool ttls, state_done_cb done, void *arg)
{
	struct sessions_load *sl = xcalloc(1, sizeof *sl);

	sl->st = st;
	sl->ttls = ttls;
	sl->done = done;
	sl->arg = arg;
	state_op_link(st, &sl->op, sessions_release);
	if (etcd_range_prefix(st->etcd, st->session_prefix, 0, sessions_ranged, sl) != 0) {
		state_op_unlink(st, &sl->op);
		free(sl);
		source_fail(&st->cluster->src_sessions, time_wall_ms(),
		    "cannot start an etcd request");
		if (done != NULL)
			done(st, -1, arg);
	}
}

/* Bounds for the waits of script mode; every call times out by itself. */
static int64_t
state_bound(const struct state *st, int64_t calls)
{
	return (int64_t)(st->timeout_ms + 1000) * calls + 1000;
}

int
state_load_sessions(struct state *st)
{
	struct state_wait *w = state_wait_new();

	state_sessions_async(st, true, state_wait_cb, w);
	/* The range, then lease TTLs 16 at a time. */
	return state_wait_run(st, w, state_bound(st, 8 + (int64_t)
	    st->cluster->n_components / STATE_MAX_INFLIGHT * 2) * 4);
}

/* ---- watch: live and history ---- */

/* Apply a batch of events, committing once per revision so each event carries
 * the revision that caused it (a revision that only touches workers' own keys
 * is reported without deriving the components again: the settle at the end
 * derives them once). now_ms 0 = replayed history (time unknown). */
void
state_apply_events(struct cluster *c, const struct etcd_event *ev, size_t n, int64_t now_ms,
    bool settle)
{
	int64_t rev = 0;
	char err[256];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct etcd_kv *kv = &ev[i].kv;

		if (rev != 0 && kv->mod_revision != rev)
			cluster_sessions_commit_batch(c, rev, now_ms);
		rev = kv->mod_revision;
		if (state_version_kv(c, kv->key, ev[i].type == ETCD_EV_DELETE ? NULL : kv->value,
		    kv->value_len))
			continue;
		if (ev[i].type == ETCD_EV_DELETE) {
			cluster_unparsable_delete(c, kv->key);
			cluster_session_delete(c, kv->key);
		} else {
			struct session_key k;
			int rc;

			memset(&k, 0, sizeof k);
			rc = session_parse(kv->key, kv->value, kv->value_len, &k.s, err,
			    sizeof err);
			if (rc == -1) {
				/* What the key held before is no longer what
				 * etcd holds. */
				state_unparsable_note(c, kv->key, err);
				cluster_session_delete(c, kv->key);
				continue;
			}
			cluster_unparsable_delete(c, kv->key);
			if (rc != 1)
				continue;
			k.create_revision = kv->create_revision;
			k.mod_revision = kv->mod_revision;
			k.lease = kv->lease;
			k.etcd_key = kv->key;	/* nested keys are not sessions */
			cluster_session_put(c, &k);
		}
	}
	if (rev != 0)
		cluster_sessions_commit_batch(c, rev, now_ms);
	/* The live model is read after every batch; a history replay is read
	 * once it is over (its end is a full derive: cluster_sessions_replace). */
	if (settle)
		cluster_sessions_settle(c, now_ms);
}

void
state_apply_resync(struct cluster *c, const struct etcd_watch_msg *msg, int64_t now_ms)
{
	struct session_key *keys;
	size_t n;

	state_version_range(c, msg->kvs, msg->n_kvs);
	keys = state_parse_kvs(c, msg->kvs, msg->n_kvs, &n);
	cluster_sessions_replace(c, keys, n, msg->header.revision, now_ms);
	state_keys_free(keys, n);
}

static void
state_watch_cb(const struct etcd_watch_msg *msg, void *arg)
{
	struct state *st = arg;
	struct cluster *c = st->cluster;
	int64_t now = time_wall_ms();

	switch (msg->kind) {
	case ETCD_WATCH_CREATED:
		st->watch_down = false;
		source_ok(&c->src_sessions, now);
		break;
	case ETCD_WATCH_DOWN:
		st->watch_down = true;
		source_fail(&c->src_sessions, now, msg->errmsg);
		break;
	case ETCD_WATCH_EVENTS:
		if (msg->n_events == 0)
			return;
		state_apply_events(c, msg->events, msg->n_events, now, true);
		st->watch_down = false;
		source_ok(&c->src_sessions, now);
		break;
	case ETCD_WATCH_RESYNC:
		state_apply_resync(c, msg, now);
		st->watch_down = false;
		source_ok(&c->src_sessions, now);
		break;
	}
	if (st->changed != NULL)
		st->changed(st->changed_arg);
}

int
state_watch_start(struct state *st, void (*changed)(void *arg), void *arg)
{
	char *end;
	size_t end_len;
	int64_t from = 0;

	state_watch_stop(st);
	st->changed = changed;
	st->changed_arg = arg;
	/* Go on from what the model already has, so nothing falls in between. */
	if (st->cluster->sessions_known && st->cluster->sessions_revision > 0)
		from = st->cluster->sessions_revision + 1;
	end = etcd_prefix_end(st->session_prefix, strlen(st->session_prefix), &end_len);
	st->watch = etcd_watch_start(st->etcd, st->session_prefix, end, from,
	    ETCD_WATCH_PREV_KV, state_watch_cb, st);
	free(end);
	return st->watch != NULL ? 0 : -1;
}

void
state_watch_stop(struct state *st)
{
	if (st->watch != NULL) {
		etcd_watch_stop(st->watch);
		st->watch = NULL;
	}
}
