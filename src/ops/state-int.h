/* SPDX-License-Identifier: MIT */
/* The state gatherer's insides, shared by state.c (sessions, leases, watch),
 * state-probe.c (health, etcd), state-proxy.c and state-replicas.c (through the
 * proxies) and state-live.c (the timed refreshes). Every load is asynchronous
 * underneath; the state_load_* functions wait for one on the loop. */
#ifndef MILVUSADM_STATE_INT_H
#define MILVUSADM_STATE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "milvusadm/state.h"

struct loop;
struct etcd;
struct etcd_watch;
struct cluster;
struct milvus_rest;
struct milvus_mgmt;
struct state_live;
struct source_state;

/* Completion of an asynchronous load: rc 0, or -1 when its source failed (the
 * reason is in the matching source_state). Runs from the loop, or at once
 * when the load could not start. */
typedef void (*state_done_cb)(struct state *st, int rc, void *arg);

/* A load in flight. Linked into its state so that state_free, after freeing
 * the clients (which cancels their calls without callbacks), can free it. */
struct state_op {
	struct state_op *next;
	struct state_op *prev;
	void (*release)(struct state_op *op);	/* free it (its calls are gone) */
};

/* At most this many HTTP/etcd calls of one sweep in flight at once. */
#define STATE_MAX_INFLIGHT	16

struct state {
	struct loop *loop;
	struct cluster *cluster;	/* owned */
	struct etcd *etcd;		/* owned, created by state_new */
	char *profile_name;
	char *root;			/* etcd root path, "by-dev" */
	char *session_prefix;		/* "<root>/meta/session/" */
	/* milvus: from the profile (copies) */
	char *milvus_uri;		/* NULL when the profile names none */
	char *milvus_token;		/* read from token_file, NULL if none; never logged */
	char *milvus_admin_user;	/* basic auth for adminAuthEnabled, NULL if none */
	char *milvus_admin_password;	/* read from admin_password_file; never logged */
	char *milvus_ca_file;
	bool milvus_insecure;
	int64_t metrics_port;		/* 9091 */
	long timeout_ms;		/* per request (the profile's timeout) */
	char *protect_prefix;		/* guards.etcd_prefix */
	char **protect_config;		/* the profile's guards.protected (copies) */
	size_t n_protect_config;
	/* Created on first use by state_rest() / state_mgmt(); owned. */
	struct milvus_rest *rest;
	struct milvus_mgmt *mgmt;
	/* Which proxy answered the last good load (no credentials; "" = none):
	 * a REST URI for collections, a 9091 base for replicas. The replicas
	 * load asks its base first next time, so a hung proxy costs one timeout
	 * once, not on every refresh. */
	char collections_via[128];
	char *replicas_via;		/* owned */
	/* live watch */
	struct etcd_watch *watch;
	void (*changed)(void *);
	void *changed_arg;
	bool watch_down;		/* the watch said ETCD_WATCH_DOWN last */
	struct state_op *ops;		/* loads in flight */
	struct state_live *live;	/* state-live.c, NULL when not live */
};

void state_op_link(struct state *st, struct state_op *op, void (*release)(struct state_op *));
void state_op_unlink(struct state *st, struct state_op *op);

/* Wait on the loop for an asynchronous load (script mode): start it with
 * state_wait_cb and w, then state_wait_run returns its rc, or -1 when bound_ms
 * passed first (the load then finishes on its own and frees w). */
struct state_wait;
struct state_wait *state_wait_new(void);
void state_wait_cb(struct state *st, int rc, void *arg);
int state_wait_run(struct state *st, struct state_wait *w, int64_t bound_ms);

/* The asynchronous loads behind state_load_*. leases/ids NULL = all. */
void state_sessions_async(struct state *st, bool ttls, state_done_cb done, void *arg);
void state_ttls_async(struct state *st, const int64_t *leases, size_t n,
    state_done_cb done, void *arg);
/* Probe the components whose (role, server_id) are given (roles[i] NULL-free),
 * or all when n is (size_t)-1. */
void state_health_async(struct state *st, char *const *roles, const int64_t *ids, size_t n,
    state_done_cb done, void *arg);
void state_etcd_async(struct state *st, state_done_cb done, void *arg);
/* state-start.c: the processes' start times (state_load_start_times). */
void state_start_times_async(struct state *st, bool coords_only, state_done_cb done,
    void *arg);
/* The shared protect list (etcd) and the profile's: cluster->protected_names. */
void state_protect_async(struct state *st, state_done_cb done, void *arg);
void state_collections_async(struct state *st, const char *db, bool details,
    state_done_cb done, void *arg);
void state_replicas_async(struct state *st, const char *collection, state_done_cb done,
    void *arg);

/* state.c, shared with state-history.c: parse a range's kvs into session
 * keys (unreadable ones noted in c->unparsable) and free them; apply a watch
 * batch (committing per revision; settle: derive the components at the end)
 * or a resync. */
struct etcd_kv;
struct etcd_event;
struct etcd_watch_msg;
struct session_key;
struct session_key *state_parse_kvs(struct cluster *c, const struct etcd_kv *kvs, size_t n,
    size_t *nout);
void state_keys_free(struct session_key *keys, size_t n);
void state_apply_events(struct cluster *c, const struct etcd_event *ev, size_t n,
    int64_t now_ms, bool settle);
void state_apply_resync(struct cluster *c, const struct etcd_watch_msg *msg, int64_t now_ms);

struct milvus_replica;

/* One answer of state_replicas_fetch. */
struct state_replicas_answer {
	int err;			/* MGMT_OK, or the MGMT_* of what failed */
	char errmsg[300];		/* one line when err != MGMT_OK */
	const struct milvus_replica *replicas;	/* lent to the callback */
	size_t n_replicas;
	bool per_collection;		/* /api/v1/replicas (2.3/2.4), else /api/v1/_qc/replica */
	size_t calls;			/* HTTP calls it took */
};
typedef void (*state_replicas_cb)(const struct state_replicas_answer *a, void *arg);
/* The replicas of every loaded collection through the one proxy 9091 base,
 * the way state_replicas_async asks (/api/v1/_qc/replica; on its 404 one
 * /api/v1/replicas per loaded collection of the model, read first if never
 * read), handed over instead of applied to the model. per_collection skips
 * straight to /api/v1/replicas (an earlier answer showed 2.3/2.4). Collections
 * that cannot be read are an error, not "no replica". cb runs exactly once,
 * possibly before this returns, unless the state is freed first. */
void state_replicas_fetch(struct state *st, const char *base, bool per_collection,
    state_replicas_cb cb, void *arg);
/* Mark a proxy source failing with a formatted one-line error; returns -1. */
int state_proxy_fail(struct source_state *src, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Is m the clients' wording for "nobody answered" or ours for "nobody to ask"? */
bool state_msg_unreachable(const char *m);
/* Stop the live refreshes (state-live.c); safe when not live. */
void state_live_free(struct state *st);


/* The proxy REST client (lazily created from milvus_uri, or, with no uri, from
 * the proxies in the model's sessions at port 19530). NULL with err when there
 * is none to ask. */
struct milvus_rest *state_rest(struct state *st, char *err, size_t errlen);
/* The 9091 client, created on first use. */
struct milvus_mgmt *state_mgmt(struct state *st);
/* "http://IP:metrics_port" for a session address "IP:port" (IPv6 "[a::b]:p"
 * kept bracketed). Caller frees; NULL when addr has no host part. */
char *state_metrics_base(const struct state *st, const char *addr);

/* state-version.c: the session keys that are not sessions. The
 * session/version key of key/value (value NULL: it was deleted) into
 * c->cluster_version: true; any other key: false (the caller parses it). A
 * full range sets it, clearing it when the range does not hold the key, and
 * clears c->unparsable for the caller's parse to fill again. */
struct etcd_kv;
bool state_version_kv(struct cluster *c, const char *key, const char *value, size_t len);
void state_version_range(struct cluster *c, const struct etcd_kv *kvs, size_t n);
/* session_parse said -1 of key (err): keep it in c->unparsable with the
 * reason, so that it is never dropped silently. */
void state_unparsable_note(struct cluster *c, const char *key, const char *err);

#endif
