/* SPDX-License-Identifier: MIT */
/* Client for a Milvus component's metrics/management port (9091): /healthz,
 * /management/check/ready, /management/stop, /metrics, and the proxy's
 * /api/v1/replicas and /api/v1/_qc/replica, asynchronous on the loop.
 *
 * Conventions (as in etcd.h):
 *  - base is the component's 9091 address, "http://10.0.0.5:9091" or
 *    "10.0.0.5:9091" (http:// is then assumed).
 *  - Every async call returns 0 when started (-1 on a bad argument; then cb
 *    never runs) and calls cb exactly once, from the loop, never from inside
 *    the call, unless the client is freed first.
 *  - The result given to cb belongs to the client and is valid only during
 *    the callback; a _sync variant hands it over (milvus_mgmt_result_free). */
#ifndef MILVUSADM_MILVUS_MGMT_H
#define MILVUSADM_MILVUS_MGMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/http.h"
#include "milvusadm/prom.h"

struct loop;
struct milvus_mgmt;

/* Component StateCode (milvus-proto common.proto), as /healthz reports it. */
enum milvus_state {
	MILVUS_STATE_INITIALIZING = 0,
	MILVUS_STATE_HEALTHY = 1,
	MILVUS_STATE_ABNORMAL = 2,
	MILVUS_STATE_STANDBY = 3,
	MILVUS_STATE_STOPPING = 4,
};
/* "Initializing", "Healthy", ... or "Unknown" for other codes. */
const char *milvus_state_name(int code);

struct milvus_mgmt_opts {
	const char *token;		/* "user:password" or an API key, sent as Bearer to
					   /api/v1 only (2.5.27+ / 2.6.10+ authenticate it) */
	/* Root's HTTP basic auth for the routes common.security.adminAuthEnabled
	 * protects (3.0+: every /management/ route but /check/ready, and /api/v1/_...); NULL
	 * user: none sent. A 401/403 there is MGMT_EAUTH saying what to set,
	 * a 503 (the component cannot check it now) MGMT_EUNREACHABLE. */
	const char *admin_user;
	const char *admin_password;
	struct http_tls tls;
	long timeout_ms;		/* per request; 0 = 3 s */
	size_t max_response;		/* 0 = 1 MiB (metrics: 32 MiB) */
};

struct milvus_health_detail {
	char *name;			/* role: "rootcoord", "querynode", ... */
	int code;			/* enum milvus_state (or what the server sent) */
};

/* /healthz. HTTP 200 = all healthy (StandBy counts as healthy), 500 = not. */
struct milvus_healthz {
	long http_status;
	bool healthy;			/* http_status == 200 */
	bool json;			/* the body was JSON (detail is then meaningful) */
	char *state;			/* "OK", or the server's unhealthy text (bounded) */
	struct milvus_health_detail *detail;
	size_t n_detail;
};

/* One shard (DML channel) of a replica. */
struct milvus_shard {
	char *channel;
	int64_t leader_id;		/* -1 when the source does not say (/_qc/replica) */
	char *leader_addr;		/* NULL when unknown */
	int64_t *nodes;
	size_t n_nodes;
};

/* A replica from either source, normalised. IDs are exact (int64 above 2^53). */
struct milvus_replica {
	int64_t id;
	int64_t collection_id;
	int64_t database_id;		/* -1 when unknown (/api/v1/replicas) */
	char *resource_group;		/* NULL when unknown */
	int64_t *rw_nodes;
	size_t n_rw_nodes;
	int64_t *ro_nodes;		/* being drained; /api/v1/replicas never reports them */
	size_t n_ro_nodes;
	struct milvus_shard *shards;
	size_t n_shards;
};

enum milvus_replica_source {
	MILVUS_REPLICAS_AUTO = 0,	/* V1 when a collection is named, else QC */
	MILVUS_REPLICAS_V1,		/* GET /api/v1/replicas (2.3+, one collection) */
	MILVUS_REPLICAS_QC,		/* GET /api/v1/_qc/replica (2.5+, all collections) */
};

struct milvus_replica_query {
	enum milvus_replica_source source;
	int64_t collection_id;		/* 0 = by name (or, for QC, all) */
	const char *collection_name;
	const char *db_name;		/* NULL = "default" */
};

enum {
	MGMT_OK = 0,
	MGMT_EUNREACHABLE,		/* connect error, timeout, TLS */
	MGMT_EHTTP,			/* an HTTP status the call does not expect */
	MGMT_EPROTO,			/* malformed or oversized body */
	MGMT_ESERVER,			/* the component reported a failure ({"msg": ...}) */
	MGMT_EAUTH,			/* HTTP 401 / 403 (see admin_user) */
	MGMT_EINVAL,			/* a bad argument to a _sync call */
};

/* Which fields are filled depends on the call. Owns every string and array. */
struct milvus_mgmt_result {
	int err;			/* MGMT_* */
	char errmsg[256];		/* one line, no secrets */
	long http_status;
	char url[160];			/* what was asked (no credentials) */
	struct milvus_healthz healthz;
	bool ready;			/* check_ready: 200 {"msg":"OK"}; stop: accepted */
	char *msg;			/* check_ready / stop: the server's msg */
	struct prom_samples metrics;
	struct milvus_replica *replicas;
	size_t n_replicas;
};

typedef void (*milvus_mgmt_cb)(const struct milvus_mgmt_result *res, void *arg);

/* Create a client (no I/O); copies opts. */
struct milvus_mgmt *milvus_mgmt_new(struct loop *l, const struct milvus_mgmt_opts *opts);
/* Cancel every call (callbacks never run) and free. Not from a callback. */
void milvus_mgmt_free(struct milvus_mgmt *m);

/* GET /healthz with Content-Type: application/json (so 2.3+ answer JSON). A
 * 200 or 500 is success (see res.healthz); other statuses are MGMT_EHTTP. */
int milvus_mgmt_healthz(struct milvus_mgmt *m, const char *base, milvus_mgmt_cb cb, void *arg);
/* GET /management/check/ready?role= (2.4+): res.ready is true only for an
 * active, Healthy component; a standby answers 500 (ready false, no error). */
int milvus_mgmt_check_ready(struct milvus_mgmt *m, const char *base, const char *role,
    milvus_mgmt_cb cb, void *arg);
/* GET /management/stop?role= (2.4+). Only the call: guards live in ops/. */
int milvus_mgmt_stop(struct milvus_mgmt *m, const char *base, const char *role,
    milvus_mgmt_cb cb, void *arg);
/* GET /metrics, parsed; keep as in prom_parse (NULL = every sample). */
int milvus_mgmt_metrics(struct milvus_mgmt *m, const char *base, const char *const *keep,
    milvus_mgmt_cb cb, void *arg);
/* Replicas from a proxy's 9091, per q (see enum milvus_replica_source). */
int milvus_mgmt_replicas(struct milvus_mgmt *m, const char *base,
    const struct milvus_replica_query *q, milvus_mgmt_cb cb, void *arg);

/* Synchronous variants: run the loop until done; never NULL; caller frees. */
struct milvus_mgmt_result *milvus_mgmt_healthz_sync(struct milvus_mgmt *m, const char *base);
struct milvus_mgmt_result *milvus_mgmt_check_ready_sync(struct milvus_mgmt *m,
    const char *base, const char *role);
struct milvus_mgmt_result *milvus_mgmt_stop_sync(struct milvus_mgmt *m, const char *base,
    const char *role);
struct milvus_mgmt_result *milvus_mgmt_metrics_sync(struct milvus_mgmt *m, const char *base,
    const char *const *keep);
struct milvus_mgmt_result *milvus_mgmt_replicas_sync(struct milvus_mgmt *m, const char *base,
    const struct milvus_replica_query *q);
void milvus_mgmt_result_free(struct milvus_mgmt_result *r);

/* Pure parsers, exposed for unit tests and fuzzing. Each returns 0, or -1 with
 * a one-line reason in err; on -1 the output holds nothing to free. */
int milvus_healthz_parse(long http_status, const char *body, size_t len,
    struct milvus_healthz *out, char *err, size_t errlen);
void milvus_healthz_release(struct milvus_healthz *h);
/* The GetReplicasResponse JSON of /api/v1/replicas. */
int milvus_replicas_parse_v1(const char *body, size_t len, struct milvus_replica **out,
    size_t *n, char *err, size_t errlen);
/* The array of /api/v1/_qc/replica; collection_id != 0 keeps only that one. */
int milvus_replicas_parse_qc(const char *body, size_t len, int64_t collection_id,
    struct milvus_replica **out, size_t *n, char *err, size_t errlen);
void milvus_replicas_free(struct milvus_replica *v, size_t n);
/* {"msg": "..."} of /management/...; a copy of msg, or NULL when not that shape. */
char *milvus_mgmt_parse_msg(const char *body, size_t len);

#endif
