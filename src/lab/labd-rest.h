/* SPDX-License-Identifier: MIT */
/* The proxy's REST v2 (contract §5) and /api/v1 replica routes (§4.5, §7.3),
 * and the querycoord's replica plan (§7), as pure functions of a catalog
 * snapshot: each request gives a response and the etcd writes to commit first. */
#ifndef MILVUSADM_LAB_LABD_REST_H
#define MILVUSADM_LAB_LABD_REST_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "milvusadm/buf.h"
#include "labd-store.h"

struct cJSON;
struct labd;
struct labd_version;

/* The coordinators a proxy call may need (labd-forward.c); bit 1 << c. */
enum lrest_coord { LREST_ROOTCOORD, LREST_QUERYCOORD, LREST_DATACOORD, LREST_NCOORDS };

struct lrest_req {
	const char *path;		/* after "/v2/vectordb/": "collections/list" */
	const char *body;		/* may be NULL when empty */
	size_t len;
	const char *db_header;		/* the DB-Name header, NULL if none */
	const struct labd_version *v;
	int64_t now_ms;			/* wall clock */
	/* Why a coordinator that the call tolerates losing could not be
	 * reached ("service unavailable: ..."), else NULL (describe). */
	const char *coord_err[LREST_NCOORDS];
	bool keep_rows;			/* the proxy has storage: inserts write binlogs */
	/* Read one object of Milvus's storage (rel as an lrest_file's path),
	 * at most max bytes: a new NUL-terminated string of *len bytes, or NULL
	 * with err. NULL when the proxy keeps no rows (queries read binlogs). */
	char *(*read)(void *arg, const char *rel, size_t max, size_t *len, char *err,
	    size_t errlen);
	void *read_arg;
	bool by_id;			/* entities/get, routed as entities/query (lrest_serve) */
};

/* A binlog an insert writes into Milvus's storage before its commit; path is
 * relative to the storage root: insert_log/<coll>/<part>/<seg>/<field>/<log>. */
struct lrest_file {
	char *path;
	char *data;
	size_t len;
};

struct lrest_out {
	unsigned int status;		/* HTTP status */
	const char *ctype;		/* Content-Type */
	struct buf body;
	struct lstore_ops ops;		/* commit these (all or nothing) before replying */
	struct lrest_file *files;	/* write these first (labd-rest-io.c) */
	size_t n_files;
	int64_t gc_coll;		/* after the commit: remove this collection's
					 * binlogs, as datacoord's GC does after a drop */
};

/* Answer one REST v2 call from the snapshot s. */
void lrest_handle(const struct lstore *s, const struct lrest_req *rq, struct lrest_out *out);
/* lrest_handle plus entities/get, which labd-rest.c's router does not list:
 * it is answered as entities/query with rq->by_id (what the proxy serves). */
void lrest_serve(const struct lstore *s, const struct lrest_req *rq, struct lrest_out *out);
void lrest_out_release(struct lrest_out *o);
/* A JSON object's pairs as Milvus stores them: [{"key","value"}] with string
 * values, at most max. Caller frees. */
char *lrest_kv_array(const struct cJSON *obj, size_t max);

/* GET /api/v1/replicas: body {"collectionID":N} or {"collection_name","db_name"}. */
void lrest_replicas_v1(const struct lstore *s, const char *body, size_t len,
    struct lrest_out *out);
/* GET /api/v1/_qc/replica (2.5+): every replica, IDs as strings. */
void lrest_replicas_qc(const struct lstore *s, struct lrest_out *out);

/* The active querycoord's job: the writes that bring replicas in line with
 * the load infos and the live querynodes (labd-replica-plan.c). */
void lreplica_plan(const struct lstore *s, int64_t now_ms, struct lstore_ops *ops);

/* Shared by the labd-rest*.c files. */
struct lrest_ctx {
	const struct lstore *s;
	const struct lrest_req *rq;
	struct lrest_out *out;
	struct cJSON *j;		/* the parsed body (an object) */
	const struct lstore_db *db;	/* resolved dbName */
	const char *db_name;
};
void lrest_ok(struct lrest_ctx *c, const char *data_json);
void lrest_err(struct lrest_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The string member name of the body, NULL when absent or not a string. */
const char *lrest_str(struct lrest_ctx *c, const char *name);
/* 1802 for a missing required member (struct/field as Go's validator names them). */
void lrest_missing(struct lrest_ctx *c, const char *req_struct, const char *field);
/* Whether dbName exists; if not, answer code 800 and return false. */
bool lrest_db(struct lrest_ctx *c);
/* The named collection (or alias) or a code 100 answer and NULL. */
struct lstore_coll *lrest_coll(struct lrest_ctx *c, const char *name);

/* labd-rest-db.c */
void lrest_databases(struct lrest_ctx *c, const char *verb);
/* labd-rest-v1.c: REST v2 resource_groups/list and /describe (2.5+; verb
 * "list" or "describe"): the one default group of the live querynodes. */
void lrest_resource_groups(struct lrest_ctx *c, const char *verb);
/* The value of key in a raw [{"key","value"}] array, or NULL (caller frees). */
char *lrest_prop(const char *props, const char *key);
/* The properties the rate limiters act on at now_ms: the previous ones until
 * LSTORE_QUOTA_MS after an alter (QuotaCenter's refresh), then the new. */
const char *lrest_db_props_effective(const struct lstore_db *db, int64_t now_ms);
/* Whether database db refuses collection DDL (create, drop, load, release)
 * at now_ms: database.force.deny.ddl or .collectionDDL true (ParseBool) on a
 * version that has them (v->force_deny_ddl). */
bool lrest_coll_ddl_denied(const struct labd_version *v, const struct lstore_db *db,
    int64_t now_ms);
/* Answer the proxy rate limiter's refusal of a force-denied call. */
void lrest_quota_denied(struct lrest_ctx *c);

/* labd-rest-rbac.c: users/, roles/, privilege_groups/ (§5.5); path is the
 * whole "roles/describe". */
void lrest_rbac(struct lrest_ctx *c, const char *path);
void lrest_aliases(struct lrest_ctx *c, const char *verb);
void lrest_entities(struct lrest_ctx *c, const char *verb);

/* labd-rest-query.c: entities/query and entities/get (verb "query"). */
void lrest_query(struct lrest_ctx *c);

/* A filter the lab can answer: "" (every row) or FIELD in [v1, v2, ...] with
 * ints or double-quoted strings (Milvus's other expressions are refused). */
struct lrest_filter {
	char *field;			/* NULL: every row */
	int64_t *ints;			/* sorted, exact */
	size_t n_ints;
	char **strs;			/* sorted by byte order */
	size_t n_strs;
};
/* Parse text into f: 0, or -1 with err saying what the lab supports. */
int lrest_filter_parse(const char *text, struct lrest_filter *f, char *err, size_t errlen);
void lrest_filter_release(struct lrest_filter *f);
/* Whether the value v of f's field (NULL when the row lacks it) is in f's
 * list: an integer (a number or a raw int64) or a string, compared exactly. */
bool lrest_filter_match(const struct lrest_filter *f, const struct cJSON *v);

/* One query being answered: labd-rest-query.c reads the request into it,
 * labd-rest-rows.c the rows from the binlogs. Owns its strings and rows. */
struct lrest_qfield {
	char *name;
	int64_t id;
	bool pk;
	bool json;			/* a JSON field: answered as the text stored */
	bool str;			/* VarChar: its keys are strings */
	bool out;			/* in the answer */
};
struct lrest_query {
	struct lrest_ctx *c;
	const struct lstore_coll *coll;
	struct lrest_qfield *fields;	/* the schema's */
	size_t n_fields;
	int64_t meta_id;		/* "$meta", 0 when the collection has none */
	bool dyn_all;			/* every dynamic key ("*") */
	char **dyn_keys;		/* else these */
	size_t n_dyn_keys;
	struct lrest_filter filter;
	const struct lrest_qfield *ffield;	/* the filter's field; NULL: a dynamic key */
	int64_t offset, limit;		/* limit 0 = none */
	struct buf rows;		/* the answer's rows so far: "{...},{...}" */
	int64_t n_rows, skipped;
	int code;			/* 0, or the error answer's code and err */
	char err[400];
};
/* Make q's answer the error code with that message (the envelope's). */
void lrest_query_fail(struct lrest_query *q, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The schema field of that name, NULL when it is none. */
const struct lrest_qfield *lrest_query_field(const struct lrest_query *q, const char *name);
/* labd-rest-rows.c: append the rows the filter takes, after the offset, up
 * to the limit, in insert order; q->code set on an error. */
void lrest_query_rows(struct lrest_query *q);

/* labd-binlog.c */
/* The binlogs of one insert (rows is the request's data array, ids the primary
 * keys the answer gives, NULL unless auto_id): one file per field, system
 * fields 0 (RowID) and 1 (Timestamp) and the dynamic "$meta" field included,
 * and g->binlogs (a new string the caller frees) listing them after the old
 * ones. Log IDs come from the ID counter through ops. */
void lbin_insert(const struct lstore *s, const struct lstore_coll *coll, const struct cJSON *rows,
    const int64_t *auto_ids, int64_t now_ms, struct lstore_seg *g, struct lstore_ops *ops,
    struct lrest_out *out);
/* The insert_log directory of a collection, relative to the storage root. */
char *lbin_coll_dir(int64_t coll_id);
/* The field ID of the collection's dynamic field "$meta" (0 when it has none). */
int64_t lbin_meta_field(const struct lstore_coll *coll);
/* A segment's binlog list (g->binlogs, parsed) holds, per field, one binlog
 * per insert, in insert order. The field's binlog count, and the log ID and
 * rows of its k-th (0 when there is none). */
size_t lbin_n_logs(const struct cJSON *list, int64_t field);
int64_t lbin_log_id(const struct cJSON *list, int64_t field, size_t k, int64_t *rows);
/* A binlog's path relative to the storage root (caller frees). */
char *lbin_log_path(const struct lstore_seg *g, int64_t field, int64_t log_id);
/* The system field whose log IDs give the inserts' order (RowID). */
#define LBIN_ROWID_FIELD	0
/* Free out's files. */
void lbin_files_release(struct lrest_out *out);

/* labd-forward.c */
/* The coordinators url (with its body) needs on version v: hard ones fail the
 * call, soft ones only degrade its answer; bits 1 << LREST_*. */
void lfwd_need(const struct labd_version *v, const char *url, const char *body, size_t len,
    unsigned *hard, unsigned *soft);
/* The role string of coordinator c on version v ("mixcoord" on 2.6). */
const char *lfwd_name(const struct labd_version *v, enum lrest_coord c);
/* Reach the active coordinator of each bit in roles (session key, then its
 * 9091 /healthz); cb gets the bits that could not be reached. Never calls cb
 * before returning unless roles needs no call. */
typedef void (*lfwd_cb)(struct labd *d, unsigned down, void *arg);
void lfwd_check(struct labd *d, unsigned roles, lfwd_cb cb, void *arg);

#endif
