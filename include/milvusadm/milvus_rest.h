/* SPDX-License-Identifier: MIT */
/* Client for the Milvus proxy's RESTful API v2 (POST /v2/vectordb/...):
 * databases, collections, aliases, count(*) and row queries, asynchronous on
 * the loop.
 *
 * Conventions (as in etcd.h):
 *  - Every call is a POST with a JSON body ({} at least). The envelope
 *    {"code":0,"data":...} is checked; a nonzero code becomes res.code and
 *    res.message (MREST_ESERVER, or MREST_EAUTH for 1800 / HTTP 401 / 403).
 *    resource_groups/describe answers without an envelope code (contract
 *    §5.4); an envelope with a nonzero code is still an error.
 *  - Calls go to the preferred URI first and, on a connection error, to the
 *    next ones in turn; the one that answers becomes the preferred URI.
 *    Read-only calls also move on after a timeout, HTTP 502/503/504 or
 *    envelope code 1/2 (proxy not ready); calls that change state (load,
 *    release, drop) do not, as the first proxy may have acted.
 *  - db NULL means the client's default database (opts.db_name, else the
 *    server's "default").
 *  - Every async call returns 0 when started (-1 on a bad argument; then cb
 *    never runs) and calls cb exactly once, from the loop, never from inside
 *    the call, unless the client is freed first.
 *  - The result given to cb belongs to the client and is valid only during
 *    the callback; a _sync variant hands it over (milvus_rest_result_free). */
#ifndef MILVUSADM_MILVUS_REST_H
#define MILVUSADM_MILVUS_REST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/http.h"

struct loop;
struct milvus_rest;

struct milvus_rest_opts {
	const char *const *uris;	/* "http://proxy-0:19530", ...; NULL-terminated */
	const char *token;		/* "user:password" or an API key: Bearer <token> */
	const char *db_name;		/* default database; NULL = the server's default */
	struct http_tls tls;
	long timeout_ms;		/* per attempt; 0 = 10 s */
	size_t max_response;		/* 0 = 4 MiB */
};

/* Frequent envelope codes (pkg/util/merr/errors.go). */
enum {
	MREST_CODE_SERVICE_NOT_READY = 1,
	MREST_CODE_SERVICE_UNAVAILABLE = 2,
	MREST_CODE_COLLECTION_NOT_FOUND = 100,
	MREST_CODE_COLLECTION_NOT_LOADED = 101,
	MREST_CODE_DATABASE_NOT_FOUND = 800,
	MREST_CODE_INVALID_PARAMETER = 1100,
	MREST_CODE_UNAUTHENTICATED = 1800,
};

enum {
	MREST_OK = 0,
	MREST_EUNREACHABLE,		/* no proxy answered (connect error, timeout, TLS) */
	MREST_EHTTP,			/* an HTTP status without an envelope (502, 404...) */
	MREST_EPROTO,			/* malformed or oversized answer */
	MREST_ESERVER,			/* envelope code != 0: see code and message */
	MREST_EAUTH,			/* code 1800, HTTP 401 or 403 */
	MREST_EINVAL,			/* a bad argument to a _sync call */
};

struct milvus_property {
	char *key;
	char *value;
};

struct milvus_field {
	char *name;
	int64_t id;
	char *type;			/* "Int64", "FloatVector", ... */
	bool primary_key;
	bool partition_key;
	bool auto_id;
	bool nullable;
	bool function_output;		/* filled by a function (BM25): not inserted */
	int64_t dim;			/* vectors: "dim" of params, 0 when none */
	int64_t max_length;		/* VarChar: "max_length" of params, 0 when none */
	char *element_type;		/* Array: "elementType", NULL otherwise */
};

/* collections/describe. IDs exact. */
struct milvus_collection_info {
	char *name;
	int64_t id;
	char *description;
	bool auto_id;
	bool enable_dynamic_field;
	int shards_num;
	int partitions_num;
	char *consistency_level;
	char *load_state;		/* "LoadStateLoaded", ... */
	char **aliases;
	size_t n_aliases;
	struct milvus_field *fields;
	size_t n_fields;
	struct milvus_property *properties;
	size_t n_properties;
};

/* resource_groups/describe (2.5+): one resource group. The maps are keyed
 * by collection name (Milvus keys them by bare name, so two databases'
 * collections of one name share an entry). */
struct milvus_rg_count {
	char *name;
	int64_t n;
};

struct milvus_rg_node {
	int64_t node_id;
	char *address;			/* "10.0.0.7:21123", NULL when not given */
	char *hostname;			/* NULL when not given */
};

struct milvus_resource_group {
	char *name;
	int64_t capacity;		/* -1 when not given (deprecated field) */
	int64_t num_available_node;	/* -1 when not given */
	struct milvus_rg_count *loaded_replicas;	/* num_loaded_replica */
	size_t n_loaded_replicas;
	struct milvus_rg_count *outgoing_nodes;		/* num_outgoing_node */
	size_t n_outgoing_nodes;
	struct milvus_rg_count *incoming_nodes;		/* num_incoming_node */
	size_t n_incoming_nodes;
	int64_t requests_node_num;	/* config.requests.node_num, -1 when not given */
	int64_t limits_node_num;	/* config.limits.node_num, -1 when not given */
	struct milvus_rg_node *nodes;
	size_t n_nodes;
};

/* Which fields are filled depends on the call. Owns every string and array. */
struct milvus_rest_result {
	int err;			/* MREST_* */
	char errmsg[256];		/* one line, no secrets */
	long http_status;
	int code;			/* envelope code, 0 ok */
	char *message;			/* envelope message (bounded, may be NULL) */
	char uri[128];			/* the proxy that answered (no credentials) */
	/* databases/list, collections/list, aliases/list, resource_groups/list */
	char **names;
	size_t n_names;
	/* collections/has */
	bool has;
	/* collections/describe */
	struct milvus_collection_info info;
	/* collections/get_stats; entities/query count(*); entities/insert's
	 * insertCount */
	int64_t row_count;
	/* collections/get_load_state */
	char *load_state;		/* "LoadStateNotLoad", "LoadStateLoading", "LoadStateLoaded" */
	int load_progress;		/* 0..100, -1 when not reported */
	/* aliases/describe */
	char *alias;
	char *collection;
	char *db_name;
	/* resource_groups/describe */
	struct milvus_resource_group rg;
	/* entities/query rows (milvus_rest_query): each row as canonical JSON
	 * (object keys sorted by byte order at every level, no whitespace,
	 * numbers as cJSON prints them, integers of more than 15 digits as
	 * sent); row_pks[i] the canonical JSON of the pk field's value in
	 * rows[i], NULL when the row lacks it or no pk field was named.
	 * n_rows <= MREST_MAX_QUERY_ROWS. */
	char **rows;
	char **row_pks;
	size_t n_rows;
	/* MREST_OP_RAW (the admin calls of milvus_admin.h): the whole answer
	 * as the proxy sent it, NUL-terminated (body_len without the NUL),
	 * kept only when the envelope's code is 0; bounded by max_response. */
	char *body;
	size_t body_len;
};

/* Most rows one entities/query answers (quotaAndLimits maxQueryResultWindow). */
#define MREST_MAX_QUERY_ROWS	16384

typedef void (*milvus_rest_cb)(const struct milvus_rest_result *res, void *arg);

/* Create a client (no I/O). NULL with a message in err when opts are bad. */
struct milvus_rest *milvus_rest_new(struct loop *l, const struct milvus_rest_opts *opts,
    char *err, size_t errlen);
/* Cancel every call (callbacks never run) and free. Not from a callback. */
void milvus_rest_free(struct milvus_rest *r);
/* The preferred proxy URI: the last that answered (after fail-over). */
const char *milvus_rest_uri(const struct milvus_rest *r);
/* Whether the preferred proxy is not the first of the list (the first did
 * not answer the last time it was asked). */
bool milvus_rest_failed_over(const struct milvus_rest *r);
/* Replace the proxy list (as milvus_rest_opts.uris; duplicates dropped) for
 * the calls started from now on; calls in flight keep theirs. The preferred
 * proxy stays preferred while it is on the list. -1 with err when the list
 * is bad (nothing changes). */
int milvus_rest_set_uris(struct milvus_rest *r, const char *const *uris, char *err,
    size_t errlen);

int milvus_rest_databases_list(struct milvus_rest *r, milvus_rest_cb cb, void *arg);
int milvus_rest_collections_list(struct milvus_rest *r, const char *db,
    milvus_rest_cb cb, void *arg);
int milvus_rest_collection_has(struct milvus_rest *r, const char *db, const char *name,
    milvus_rest_cb cb, void *arg);
int milvus_rest_collection_describe(struct milvus_rest *r, const char *db, const char *name,
    milvus_rest_cb cb, void *arg);
int milvus_rest_collection_stats(struct milvus_rest *r, const char *db, const char *name,
    milvus_rest_cb cb, void *arg);
int milvus_rest_collection_load_state(struct milvus_rest *r, const char *db,
    const char *name, milvus_rest_cb cb, void *arg);
int milvus_rest_collection_load(struct milvus_rest *r, const char *db, const char *name,
    milvus_rest_cb cb, void *arg);
int milvus_rest_collection_release(struct milvus_rest *r, const char *db, const char *name,
    milvus_rest_cb cb, void *arg);
/* Only the call: guards (confirmation, protection, backup) live in ops/. */
int milvus_rest_collection_drop(struct milvus_rest *r, const char *db, const char *name,
    milvus_rest_cb cb, void *arg);
/* collection NULL = every alias of the database. */
int milvus_rest_aliases_list(struct milvus_rest *r, const char *db, const char *collection,
    milvus_rest_cb cb, void *arg);
int milvus_rest_alias_describe(struct milvus_rest *r, const char *db, const char *alias,
    milvus_rest_cb cb, void *arg);
/* resource_groups/list (names) and resource_groups/describe (rg), 2.5+; a
 * proxy without them answers HTTP 404 (MREST_EHTTP). */
int milvus_rest_rg_list(struct milvus_rest *r, milvus_rest_cb cb, void *arg);
int milvus_rest_rg_describe(struct milvus_rest *r, const char *name, milvus_rest_cb cb,
    void *arg);
/* entities/insert of rows (a JSON array of row objects, as built for the
 * collection's schema); row_count = insertCount. Not repeated on another
 * proxy after a timeout: the first may have written. */
int milvus_rest_insert(struct milvus_rest *r, const char *db, const char *name,
    const char *rows_json, milvus_rest_cb cb, void *arg);
/* entities/query with outputFields ["count(*)"]; filter NULL = "". */
int milvus_rest_count(struct milvus_rest *r, const char *db, const char *name,
    const char *filter, milvus_rest_cb cb, void *arg);
/* entities/query returning rows: filter "" (then limit > 0 is required) or an
 * expression; output_fields NULL = ["*"]; limit 0 = none sent. Each row is
 * given as canonical JSON text (object keys sorted by byte order at every
 * level, no whitespace, numbers as cJSON prints them) in res->rows, and the
 * value of pk_field in that row as JSON text in res->row_pks (e.g. `12` or
 * `"a"`; NULL when the row lacks it; pk_field NULL: all NULL). A limit above
 * MREST_MAX_QUERY_ROWS or below 0 is a bad argument; an answer of more rows,
 * or over the client's max_response, is MREST_EPROTO. */
int milvus_rest_query(struct milvus_rest *r, const char *db, const char *name,
    const char *filter, long limit, const char *const *output_fields,
    const char *pk_field, milvus_rest_cb cb, void *arg);

/* Synchronous variants: run the loop until done; never NULL; caller frees. */
struct milvus_rest_result *milvus_rest_databases_list_sync(struct milvus_rest *r);
struct milvus_rest_result *milvus_rest_collections_list_sync(struct milvus_rest *r,
    const char *db);
struct milvus_rest_result *milvus_rest_collection_has_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_collection_describe_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_collection_stats_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_collection_load_state_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_collection_load_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_collection_release_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_collection_drop_sync(struct milvus_rest *r,
    const char *db, const char *name);
struct milvus_rest_result *milvus_rest_aliases_list_sync(struct milvus_rest *r,
    const char *db, const char *collection);
struct milvus_rest_result *milvus_rest_alias_describe_sync(struct milvus_rest *r,
    const char *db, const char *alias);
struct milvus_rest_result *milvus_rest_rg_list_sync(struct milvus_rest *r);
struct milvus_rest_result *milvus_rest_rg_describe_sync(struct milvus_rest *r,
    const char *name);
struct milvus_rest_result *milvus_rest_count_sync(struct milvus_rest *r, const char *db,
    const char *name, const char *filter);
struct milvus_rest_result *milvus_rest_query_sync(struct milvus_rest *r, const char *db,
    const char *name, const char *filter, long limit, const char *const *output_fields,
    const char *pk_field);
void milvus_rest_result_free(struct milvus_rest_result *res);

/* The pure answer parser, exposed for unit tests and fuzzing. */
enum milvus_rest_op {
	MREST_OP_DATABASES_LIST,
	MREST_OP_COLLECTIONS_LIST,
	MREST_OP_COLLECTION_HAS,
	MREST_OP_COLLECTION_DESCRIBE,
	MREST_OP_COLLECTION_STATS,
	MREST_OP_COLLECTION_LOAD_STATE,
	MREST_OP_COLLECTION_LOAD,
	MREST_OP_COLLECTION_RELEASE,
	MREST_OP_COLLECTION_DROP,
	MREST_OP_ALIASES_LIST,
	MREST_OP_ALIAS_DESCRIBE,
	MREST_OP_COUNT,
	MREST_OP_INSERT,
	MREST_OP_QUERY,			/* entities/query returning rows */
	MREST_OP_RAW,			/* any path, a body built by the caller: body kept */
	MREST_OP_RG_LIST,		/* resource_groups/list */
	MREST_OP_RG_DESCRIBE,		/* resource_groups/describe: no envelope code */
	MREST_OP_COUNT_
};
/* The path after /v2/vectordb/ ("collections/list"); "" for MREST_OP_RAW,
 * whose path each call gives. */
const char *milvus_rest_op_path(enum milvus_rest_op op);
/* Fill res (zeroed by the caller, uri already set if wanted) from an HTTP
 * answer: sets err, errmsg, code, message and the op's fields. */
void milvus_rest_parse(enum milvus_rest_op op, long http_status, const char *body,
    size_t len, struct milvus_rest_result *res);
/* milvus_rest_parse for MREST_OP_QUERY, also filling row_pks from pk_field
 * (NULL: all NULL; milvus_rest_parse passes NULL). */
void milvus_rest_parse_query(long http_status, const char *body, size_t len,
    const char *pk_field, struct milvus_rest_result *res);
/* Free what res points to (not res itself) and zero it. */
void milvus_rest_result_release(struct milvus_rest_result *res);

#endif
