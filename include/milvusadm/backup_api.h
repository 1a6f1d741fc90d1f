/* SPDX-License-Identifier: MIT */
/* Client for the milvus-backup REST server (/api/v1/...): create, list, get,
 * delete, restore and restore progress, asynchronous on the loop, with the
 * 0.5.x and 0.6.x answers normalised into the plain structs below.
 *
 * Conventions (as in milvus_rest.h):
 *  - Every request carries a request_id header, given by the caller or
 *    generated (a UUID). POST bodies carry it as "requestId" too: /create
 *    takes the header, /restore only the body field. A backup task's id is
 *    its create request_id (poll it with backup_api_get_task); a restore's
 *    task id is the "id" this client sets (the request_id unless given).
 *  - The contract documents no authentication for the REST server itself:
 *    basic_* and bearer are for a reverse proxy in front of it.
 *  - Every async call returns 0 when started (-1 on a bad argument; then cb
 *    never runs) and calls cb exactly once, from the loop, never from inside
 *    the call, unless the client is freed first.
 *  - The result given to cb belongs to the client and is valid only during
 *    the callback; a _sync variant hands it over (backup_result_free). */
#ifndef MILVUSADM_BACKUP_API_H
#define MILVUSADM_BACKUP_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/http.h"

struct loop;
struct backup_api;

/* Which answers the server gives; it reports no version number of its own. */
enum backup_flavour {
	BACKUP_FLAVOUR_UNKNOWN = 0,	/* not detected yet */
	BACKUP_FLAVOUR_05_EARLY,	/* 0.5.0-0.5.9: an unknown name is code 404 */
	BACKUP_FLAVOUR_05,		/* 0.5.10 up to 0.6: an unknown name is an empty record */
	BACKUP_FLAVOUR_06,		/* 0.6.x: storage is the truth; an unknown name is code 3 */
};

/* Task states, numbered as the server numbers them, plus two of ours. */
enum backup_task_state {
	BACKUP_TASK_INITIAL = 0,
	BACKUP_TASK_EXECUTING = 1,
	BACKUP_TASK_SUCCESS = 2,
	BACKUP_TASK_FAIL = 3,
	BACKUP_TASK_TIMEOUT = 4,	/* defined by the server, never set by it */
	/* The record came from storage with no task: a list entry, or a
	 * get_backup answer with a name but no id and no times (what 0.6 gives
	 * for a backup this server process did not run). */
	BACKUP_TASK_STORED,
	BACKUP_TASK_UNKNOWN,		/* a state value this client does not know */
};

enum backup_format {
	BACKUP_FORMAT_AUTO = 0,		/* requests only: the server picks */
	BACKUP_FORMAT_BINLOG,		/* "" or absent (0.5.x has only this one) */
	BACKUP_FORMAT_SNAPSHOT,		/* "snapshot": Milvus 3.x, copied by Milvus itself */
	BACKUP_FORMAT_UNKNOWN,
};

enum backup_strategy {
	BACKUP_STRATEGY_AUTO = 0,
	BACKUP_STRATEGY_META_ONLY,
	BACKUP_STRATEGY_SKIP_FLUSH,
	BACKUP_STRATEGY_BULK_FLUSH,	/* 0.6.x only */
	BACKUP_STRATEGY_SERIAL_FLUSH,	/* 0.6.x only */
};

enum backup_err {
	BACKUP_OK = 0,
	BACKUP_EUNREACHABLE,		/* no answer: connect error, timeout, TLS */
	BACKUP_EHTTP,			/* an HTTP status without the JSON envelope */
	BACKUP_EAUTH,			/* HTTP 401/403, from a proxy in front */
	BACKUP_EPROTO,			/* malformed or oversized answer */
	BACKUP_ESERVER,			/* a nonzero code none below fits: see code, msg */
	BACKUP_ENOTFOUND,		/* no such backup (see unsure) */
	BACKUP_ETASKLOST,		/* the server does not know this task id */
	BACKUP_ENOTREADY,		/* code 503 Storage_Not_Ready: retry the same request */
	BACKUP_ECRASH,			/* HTTP 500 with an empty body: the handler crashed */
	BACKUP_ENAMETAKEN,		/* the name was already used in this server process */
	BACKUP_EINVAL,			/* refused before sending */
};

/* One collection of a backup. -1 = the server did not say. */
struct backup_collection {
	char *db;			/* "default" when the server sent none */
	char *name;
	int64_t size;			/* bytes */
	int64_t rows;			/* from segment records, given only by older servers */
	int64_t partitions;
	int64_t segments;
};

/* A backup as get_backup, create or list describe it. Owns every string. */
struct backup_brief {
	char *name;			/* NULL only in an empty record */
	char *id;			/* the task id (create request_id), NULL when none */
	enum backup_task_state state;
	int progress;			/* 0-100, 100 only with SUCCESS; -1 with STORED */
	char *error;			/* errorMessage, NULL when empty */
	int64_t taken_ms;		/* epoch ms of the backup's timestamp; 0 unknown */
	int64_t start_ms;		/* task start, epoch ms; 0 unknown */
	int64_t end_ms;			/* task end, epoch ms; 0 while running or unknown */
	int64_t size;			/* bytes; -1 unknown */
	char *milvus_version;
	enum backup_format format;
	/* The server checked the copied objects' sizes (binlog format only):
	 * a snapshot-format backup needs a manifest check or a test restore. */
	bool size_checked;
	struct backup_collection *colls;
	size_t n_colls;
};

/* One collection of a restore; the server gives these no id. */
struct backup_restore_coll {
	char *db;			/* target database */
	char *name;			/* target collection; NULL when not sent */
	enum backup_task_state state;
	int progress;			/* 0-100, 100 only with SUCCESS */
	char *error;
	int64_t start_ms, end_ms;	/* epoch ms; 0 unknown or still running */
};

struct backup_restore {
	char *id;
	enum backup_task_state state;
	int progress;			/* 0-100, 100 only with SUCCESS */
	char *error;
	int64_t start_ms, end_ms;
	struct backup_restore_coll *colls;
	size_t n_colls;
};

/* The outcome of a call; which payload is filled depends on the call.
 * Owns every string and array (backup_result_release). */
struct backup_result {
	int err;			/* enum backup_err */
	char errmsg[256];		/* one line, no secrets */
	long http_status;
	int code;			/* the server's code; 0 also when it was omitted */
	char *msg;			/* the server's msg, NULL when none */
	char *request_id;		/* requestId echoed by the server, NULL when none */
	char sent_id[129];		/* the request_id this client sent ("" before) */
	bool retryable;			/* the same request may be sent again */
	bool unsure;			/* ENOTFOUND from a 0.5.x empty record: the backup
					 * may still be in storage (see list) */
	bool no_data;			/* success with no record (synchronous create) */
	int attempts;			/* requests made, retries included */
	/* detect */
	enum backup_flavour flavour;
	bool greeting;			/* /api/v1/hello gave milvus-backup's greeting */
	/* create, get, get_task */
	struct backup_brief brief;
	/* list (states are STORED; progress -1) */
	struct backup_brief *list;
	size_t n_list;
	size_t list_skipped;		/* entries without a name, left out */
	/* restore, get_restore */
	struct backup_restore restore;
};

struct backup_api_opts {
	const char *url;		/* profile key backup.url: "http://milvus-backup:8080" */
	const char *basic_user;		/* for a proxy in front, with basic_pass */
	const char *basic_pass;
	const char *bearer;		/* for a proxy in front */
	struct http_tls tls;		/* ca_file, cert_file, key_file, insecure */
	long timeout_ms;		/* per request; 0 = 30 s */
	long retry_deadline_ms;		/* no retry starts later in a call; 0 = 60 s, -1 = none */
	long retry_backoff_ms;		/* first pause, doubled up to 8 s; 0 = 500 ms */
	size_t max_response;		/* 0 = 16 MiB */
};

struct backup_create_req {
	const char *name;		/* required; milvus-backup's name rules, ASCII */
	const char *request_id;		/* NULL: generated; it becomes the task id */
	/* "db.coll", "coll" (default database) or "db.*"; NULL-terminated;
	 * NULL = everything. */
	const char *const *collections;
	enum backup_strategy strategy;
	enum backup_format format;	/* SNAPSHOT is refused for 0.5.x */
	bool rbac;
	bool synchronous;		/* answers no record; 0.5.x crashes on a reused name */
};

struct backup_restore_req {
	const char *backup_name;
	const char *request_id;		/* NULL: generated */
	const char *id;			/* the task id; NULL: the request_id */
	const char *const *collections;	/* "db.coll" or "coll" before renaming; NULL = all */
	const char *suffix;		/* letters, digits, '_' */
	const char *const *renames;	/* pairs "old", "new", ...; NULL-terminated */
	bool meta_only;
	bool rebuild_index;
	bool use_auto_index;
	bool drop_exist_collection;	/* destructive: the guard is the caller's */
	bool drop_exist_index;
	bool skip_create_collection;
	bool rbac;
	bool synchronous;
};

typedef void (*backup_api_cb)(const struct backup_result *res, void *arg);

/* Create a client (no I/O). NULL with a message in err when opts are bad. */
struct backup_api *backup_api_new(struct loop *l, const struct backup_api_opts *opts,
    char *err, size_t errlen);
/* Cancel every call (callbacks never run) and free. Not from a callback. */
void backup_api_free(struct backup_api *a);
/* The detected flavour; UNKNOWN until a detect (or a create) has run. */
enum backup_flavour backup_api_flavour(const struct backup_api *a);

/* GET /hello then a get_backup of a name that cannot exist, once per client:
 * later calls answer from what was found. Fills flavour and greeting. */
int backup_api_detect(struct backup_api *a, backup_api_cb cb, void *arg);
/* POST /create; detects the flavour first when unknown (the request fields
 * differ). Retried on code 503 until the deadline. */
int backup_api_create(struct backup_api *a, const struct backup_create_req *req,
    backup_api_cb cb, void *arg);
/* GET /get_backup?backup_name= */
int backup_api_get(struct backup_api *a, const char *name, backup_api_cb cb, void *arg);
/* GET /get_backup?backup_id=: a create's progress, by its request_id. */
int backup_api_get_task(struct backup_api *a, const char *request_id, backup_api_cb cb,
    void *arg);
/* GET /list: expensive on the server (it reads every backup's metadata) and
 * without times; read times with get, not by polling list. */
int backup_api_list(struct backup_api *a, backup_api_cb cb, void *arg);
/* Only the call: the guard lives in ops/. */
int backup_api_delete(struct backup_api *a, const char *name, backup_api_cb cb, void *arg);
int backup_api_restore(struct backup_api *a, const struct backup_restore_req *req,
    backup_api_cb cb, void *arg);
int backup_api_get_restore(struct backup_api *a, const char *id, backup_api_cb cb,
    void *arg);

/* Synchronous variants: run the loop until done; never NULL; caller frees. */
struct backup_result *backup_api_detect_sync(struct backup_api *a);
struct backup_result *backup_api_create_sync(struct backup_api *a,
    const struct backup_create_req *req);
struct backup_result *backup_api_get_sync(struct backup_api *a, const char *name);
struct backup_result *backup_api_get_task_sync(struct backup_api *a, const char *request_id);
struct backup_result *backup_api_list_sync(struct backup_api *a);
struct backup_result *backup_api_delete_sync(struct backup_api *a, const char *name);
struct backup_result *backup_api_restore_sync(struct backup_api *a,
    const struct backup_restore_req *req);
struct backup_result *backup_api_get_restore_sync(struct backup_api *a, const char *id);
void backup_result_free(struct backup_result *res);
/* Free what res points to (not res itself) and zero it. */
void backup_result_release(struct backup_result *res);

/* milvus-backup's backup-name rules (ASCII letters only here): 0 ok, -1 with
 * the reason in err. */
int backup_name_check(const char *name, char *err, size_t errlen);
const char *backup_flavour_name(enum backup_flavour f);
const char *backup_task_state_name(enum backup_task_state s);
const char *backup_format_name(enum backup_format f);

/* ---- pure parts, exposed for unit tests and fuzzing ------------------------ */

/* A request as built: method, the URL (base + /api/v1/... + query), the JSON
 * body (NULL for GET and DELETE) and the request_id for the header. */
struct backup_request {
	const char *method;
	char *url;
	char *body;
	char request_id[129];
};

/* 0 ok; -1 with the reason in err (nothing to release then). rid NULL:
 * generated. fl picks the create fields (UNKNOWN builds the 0.5.x ones). */
int backup_build_create(const char *base, enum backup_flavour fl,
    const struct backup_create_req *req, struct backup_request *out, char *err, size_t errlen);
/* GET /api/v1/hello, and a get_backup of a fresh random name (detection). */
int backup_build_hello(const char *base, const char *rid, struct backup_request *out,
    char *err, size_t errlen);
int backup_build_probe(const char *base, const char *rid, struct backup_request *out,
    char *err, size_t errlen);
int backup_build_get(const char *base, const char *name, const char *rid,
    struct backup_request *out, char *err, size_t errlen);
int backup_build_get_task(const char *base, const char *task_id, const char *rid,
    struct backup_request *out, char *err, size_t errlen);
int backup_build_list(const char *base, const char *rid, struct backup_request *out,
    char *err, size_t errlen);
int backup_build_delete(const char *base, const char *name, const char *rid,
    struct backup_request *out, char *err, size_t errlen);
int backup_build_restore(const char *base, const struct backup_restore_req *req,
    struct backup_request *out, char *err, size_t errlen);
int backup_build_get_restore(const char *base, const char *id, const char *rid,
    struct backup_request *out, char *err, size_t errlen);
void backup_request_release(struct backup_request *rq);

/* Parsers: each fills a zeroed (or released) out from one HTTP answer and
 * returns out->err (enum backup_err), with the message in err. Any bytes,
 * any status: never crash, bounded copies. */
int backup_parse_hello(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
/* A get_backup of a name that cannot exist: fills out->flavour. */
int backup_parse_probe(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_create(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_get(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_get_task(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_list(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_delete(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_restore(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);
int backup_parse_get_restore(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen);

/* ---- a backup's full metadata (meta/full_meta.json in the backup's directory) ---- */
/* Go encoding/json over backuppb.BackupInfo (contract §3, §0.1): int64s are
 * numbers, "size" and "log_size" are always written, num_of_rows and the
 * lists are omitempty. Counts cover partition_backups[].segment_backups[]
 * only (not the collection-level l0_segments). Strings are bounded copies. */
struct backup_meta_coll {
	char *db;			/* db_name; "default" when empty */
	char *name;			/* collection_name */
	int64_t id;			/* collection_id, 0 unknown */
	int64_t size;			/* the collection's "size", -1 absent */
	int64_t part_size_sum;		/* sum of its partitions' "size" (-1 when any is absent) */
	int64_t seg_size_sum;		/* sum of its segments' "size" (-1 when any is absent) */
	int64_t log_size_sum;		/* sum of log_size over the segments' binlogs and deltalogs (-1 when any absent) */
	int64_t rows;			/* sum of segments' num_of_rows (absent counts 0: omitempty), -1 when a value is bad */
	int64_t partitions;		/* partition_backups listed */
	int64_t segments;		/* segment_backups listed */
	int64_t delta_logs;		/* deltalogs entries (binlog records) listed */
	int64_t empty_segments;		/* segments with rows > 0 but no insert binlog listed */
	char *snapshot_path;		/* snapshot format: snapshot_backup.metadata_path (or the field the contract names), NULL otherwise */
};
struct backup_meta {
	char *name;
	char *id;
	int64_t size;			/* top-level "size", -1 absent */
	int64_t taken_ms;		/* backup_timestamp >> 18, exact from digits; 0 absent */
	enum backup_format format;	/* "" or absent = BINLOG, "snapshot" = SNAPSHOT, else UNKNOWN */
	char *milvus_version;
	struct backup_meta_coll *colls;
	size_t n_colls;
};
/* Parse full_meta.json (any bytes: never crash; bounded: refuse more than
 * 100000 collections or 10,000,000 segments in total with BACKUP_EPROTO).
 * Returns BACKUP_OK or BACKUP_EPROTO with the reason in err; out is zeroed first
 * and needs backup_meta_release either way. */
int backup_parse_full_meta(const char *body, size_t len, struct backup_meta *out,
    char *err, size_t errlen);
void backup_meta_release(struct backup_meta *m);
/* ---- end of a backup's full metadata ---- */

#endif
