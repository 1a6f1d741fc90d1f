/* SPDX-License-Identifier: MIT */
/* The lab's milvus-backup server (`milvusadm-labd component --role backup`):
 * its tasks, which live only in this process's memory as milvus-backup's do,
 * the bucket layout it writes (contract milvus-backup.md §3) and the REST
 * answers of 0.5.x and 0.6.x (§0, §0.1, §2). */
#ifndef MILVUSADM_LAB_LABD_BACKUP_H
#define MILVUSADM_LAB_LABD_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/buf.h"
#include "labd.h"

struct cJSON;
struct lstore;
struct http_req;

/* ResponseCode (backup.proto) and the 0.6 addition #1233. */
enum { LBK_OK = 0, LBK_FAIL = 3, LBK_PARAM = 400, LBK_NOT_READY = 503 };
/* BackupTaskStateCode and RestoreTaskStateCode share these numbers. */
enum { LBK_INITIAL = 0, LBK_EXECUTING = 1, LBK_SUCCESS = 2, LBK_FAILED = 3 };
/* A task's own steps (taskmgr/backup.go), which give its progress. */
enum lbk_tstate { LBK_T_INITIAL, LBK_T_DB, LBK_T_COLL, LBK_T_SUCCESS, LBK_T_FAIL };
enum lbk_cstate { LBK_C_PENDING, LBK_C_DDL, LBK_C_DDL_DONE, LBK_C_DML_PREPARE, LBK_C_DML,
	LBK_C_DML_DONE, LBK_C_SUCCESS, LBK_C_FAIL };

#define LBK_PORT		8080
#define LBK_GO_ZERO_TIME	(-62135596800LL)	/* time.Time{}.Unix() */
#define LBK_META_MAX		(64 * 1024 * 1024)	/* largest meta file read */
#define LBK_DEFAULT_RATE	(4 * 1024 * 1024)	/* bytes/s when nothing says */

/* The lab-only switches, read from the faults file (--faults) at each use;
 * the tool never reads it. Lines "key [value]", '#' starts a comment. */
struct lbk_faults {
	bool not_ready;			/* storage_not_ready: listing the bucket fails */
	int64_t full_after;		/* storage_full_after N: the backup root takes at
					 * most N bytes, then writes fail; -1 none */
	int64_t copy_rate;		/* copy_rate N: bytes/s, 0 = the --copy-rate */
};
void lbk_faults_parse(const char *text, struct lbk_faults *f);

/* One segment of a backup: its rows and binlogs as the catalog listed them. */
struct lbk_seg {
	int64_t id, part_id, rows, size;
	struct lbk_log *logs;		/* every field's binlogs, field by field */
	size_t n_logs;
};
struct lbk_log {
	int64_t field_id, log_id, rows, size;
};

/* One collection of a backup task, with what its meta needs. */
struct lbk_coll {
	char *db, *name;
	int64_t db_id, id, part_id;
	char *schema;			/* CollectionSchema JSON (Go field names) */
	char *index_infos;		/* [IndexInfo] JSON, "[]" when none */
	char *props;			/* [{"key","value"}] JSON */
	char *load_state;		/* "Loaded", "Loading", "NotLoad" */
	char *vchan;			/* its first virtual channel */
	int shards, consistency;
	struct lbk_seg *segs;
	size_t n_segs;
	enum lbk_cstate state;
	int64_t total, copied;		/* bytes */
};

struct lbk_server;

/* A backup task, keyed by its id (the create request_id). */
struct lbk_task {
	struct lbk_server *srv;
	struct lbk_task *next;
	char *id, *name;
	enum lbk_tstate state;
	bool stuck;			/* 0.5: failed at start, initial for ever */
	char *error;
	int64_t start_s, end_s;		/* unix seconds; end 0 = not ended */
	struct lbk_coll *colls;
	size_t n_colls;
	char *dbs;			/* database_backups JSON */
	char *rbac;			/* rbac_meta JSON (rbac requested), else NULL */
	int64_t ts_ms;			/* the backup's wall clock (hybrid TS >> 18) */
	struct lbk_create *req;		/* owned until the task starts copying */
	struct lbk_copy *copy;		/* the copy in progress (labd-backup-task.c) */
	struct labd_http_req *waiter;	/* a synchronous /create waiting for the end */
	char *waiter_rid;
};

/* A restore task and its collections (taskmgr/restore.go). */
struct lrs_coll {
	char *src_db, *src_name, *db, *name;	/* source and target */
	int state;			/* LBK_INITIAL .. LBK_FAILED */
	char *error;
	int64_t start_s, end_s, total, done;
	bool exists;			/* the target existed when checked */
};
struct lrs_task {
	struct lbk_server *srv;
	struct lrs_task *next;
	char *id, *rid, *backup;
	int state;
	char *error;
	int64_t start_s, end_s;
	bool rbac;			/* restoreRBAC runs first (set before lrs_start) */
	struct lrs_coll *colls;
	size_t n_colls;
	struct lrs_run *run;		/* labd-backup-restore.c */
	struct labd_http_req *waiter;	/* a synchronous /restore */
};

/* The server: one per process. */
struct lbk_server {
	struct labd d;			/* loop, etcd, ip, root, v, event log */
	struct labd_http *http;
	int version;			/* 5 or 6: which milvus-backup it plays */
	char *bucket;			/* LABDIR/minio/a-bucket */
	char *milvus_root, *backup_root;
	char **proxies;			/* REST v2 bases, NULL-terminated */
	const char *faults_path;
	int64_t copy_rate;
	int64_t backup_bytes;		/* what the backup root holds (full-storage fault) */
	struct lbk_task *tasks;
	struct lrs_task *restores;
};

/* ---- pure parts (labd-backup-json.c, labd-backup-meta.c) ---- */

/* A create request as the server read it. */
struct lbk_create {
	char *rid;			/* header request_id, else the body's, else new */
	char *name;
	bool has_name;			/* backup_name was present and a string */
	bool async;
	char *strategy, *format;
	bool rbac;			/* BackupRBAC: users, roles, grants, groups */
	/* The selection: pairs db, collection ("*" = the whole database);
	 * n_sel 0 = everything. */
	char **sel;
	size_t n_sel;
};
/* Parse a /create body: 0 ok; -1 with err when it does not bind (HTTP 400);
 * 1 with err when its selection cannot be read (code 3). */
int lbk_create_parse(const char *body, size_t len, const char *hdr_rid, struct lbk_create *c,
    char *err, size_t errlen);
void lbk_create_free(struct lbk_create *c);
/* milvus-backup's ValidateName; NULL when fine, else its message. */
const char *lbk_name_error(const char *name);
/* A new UUID (v4) in out[37]. */
void lbk_uuid(char out[37]);

/* Progress as taskmgr computes it. */
int lbk_coll_progress(const struct lbk_coll *c);
int lbk_task_progress(const struct lbk_task *t);
int lbk_task_state_code(const struct lbk_task *t);
int lrs_coll_progress(const struct lrs_coll *c);
int lrs_task_progress(const struct lrs_task *t);

/* The envelope {"requestId","code","msg","data"}; rid/msg NULL or "" are
 * left out (omitempty), code 0 too; data NULL writes null. */
void lbk_envelope(struct buf *b, const char *rid, int code, const char *msg, const char *data);
/* BackupInfoBrief: task fields from t (may be NULL), the rest from the parsed
 * full meta (may be NULL) and meta_size. */
void lbk_brief_json(struct buf *b, const struct lbk_task *t, const struct cJSON *meta,
    int64_t meta_size, int version);
/* RestoreBackupTaskResponse. */
void lrs_task_json(struct buf *b, const struct lrs_task *t);

/* The backup's meta files (§3), from a task whose collections are planned and
 * copied: full_meta.json, backup_meta.json, collection_meta.json,
 * partition_meta.json, segment_meta.json, in that order. */
#define LBK_META_FILES 5
extern const char *const lbk_meta_names[LBK_META_FILES];
void lbk_meta_build(const struct lbk_task *t, const char *milvus_version, struct buf out[5]);
/* Plan a backup of the snapshot: the collections the selection names, their
 * segments and binlogs. -1 with err (milvus-backup's words) when a named
 * collection or database does not exist. */
int lbk_plan(const struct lstore *s, const struct lbk_create *c, struct lbk_task *t, char *err,
    size_t errlen);
void lbk_coll_release(struct lbk_coll *c);
/* JSON text with every bare integer above 15 digits kept exact: such numbers
 * become cJSON raw items, printed back as they came. NULL when malformed. */
struct cJSON *lbk_json_parse(const char *text, size_t len);
/* An integer member (number or raw), dflt when absent. */
int64_t lbk_json_int(const struct cJSON *o, const char *name, int64_t dflt);
/* Rows of one binlog batch of a segment as REST v2 insert rows appended to b
 * ("{...},{...}"), from its field columns (parsed JSON arrays; field_ids[i]
 * is the field of cols[i]): from row `from` on, until b has grown by max
 * bytes; *next is the first row left. The dynamic field's keys are merged,
 * an auto-ID primary key and the system fields left out. -1 with err when
 * the columns disagree. */
int lbk_rows_json(struct buf *b, const struct cJSON *schema, const int64_t *field_ids,
    struct cJSON *const *cols, size_t n_cols, size_t from, size_t max, size_t *next, char *err,
    size_t errlen);
/* The collections/create body that makes a collection of this schema. */
char *lbk_create_body(const char *db, const char *name, const struct cJSON *coll_meta);

/* labd-backup-rbac.c: milvus-backup's RBAC task against the lab's store,
 * which stands for Milvus's BackupRBAC and RestoreRBAC RPCs (rootcoord's
 * catalog). NULL when version v has those RPCs (2.4.10+), else the gRPC
 * error an older Milvus answers them with. */
const char *lbk_rbac_unsupported(const struct labd_version *v);
/* The rbac_meta milvus-backup writes from BackupRBAC: users but root (their
 * stored password form and roles), roles but admin and public, those roles'
 * grants, custom privilege groups (2.5+), in etcd key order. */
char *lbk_rbac_json(const struct lstore *s, const struct labd_version *v);
/* What one restore adds. */
struct lbk_rbac_counts {
	size_t users, roles, grants, groups;
};
/* restoreRBAC: rbac_meta (may be NULL) less what s holds already (users,
 * roles and groups by name, grants by object type, name, role, grantor,
 * privilege and database), written as RestoreRBAC writes it (roles, groups,
 * grants, then users and their roles) into o. -1 with Milvus's error in err
 * when RestoreRBAC refuses (a privilege granted already by another
 * grantor). s is updated as the writes go, so later entries see them. */
int lbk_rbac_restore_ops(struct lstore *s, const struct labd_version *v, const struct cJSON *meta,
    struct lstore_ops *o, struct lbk_rbac_counts *n, char *err, size_t errlen);

/* ---- the running server ---- */

/* labd-backup-main.c */
void lbk_faults_now(struct lbk_server *srv, struct lbk_faults *f);
int64_t lbk_rate(struct lbk_server *srv);
char *lbk_backup_dir(struct lbk_server *srv, const char *name);
/* The parsed full meta of backup name (NULL if absent: *exists false) and
 * the size of its meta directory. */
struct cJSON *lbk_meta_read(struct lbk_server *srv, const char *name, bool *exists,
    int64_t *meta_size);

/* labd-backup-api.c */
void lbk_serve(struct labd_http_req *r, const char *method, const char *url, void *arg);
void lbk_answer_json(struct labd_http_req *r, struct buf *b);

/* labd-backup-task.c */
struct lbk_task *lbk_task_find(struct lbk_server *srv, const char *id);
struct lbk_task *lbk_task_by_name(struct lbk_server *srv, const char *name);
/* Register a task (AddBackupTask): NULL with err when the name is taken. */
struct lbk_task *lbk_task_add(struct lbk_server *srv, struct lbk_create *req, char *err,
    size_t errlen);
/* Run it: prepare, plan, copy, write meta; done(t) when it ends (sync). */
void lbk_task_start(struct lbk_task *t);
void lbk_tasks_free(struct lbk_server *srv);

/* labd-backup-restore-req.c: the pure part of /restore, also fuzzed. The
 * collections request j picks from a backup's full meta, with their targets
 * (renames, suffix) in t->colls, (*cm)[i] the meta's record of t->colls[i]
 * (pointing into meta; the array is the caller's to free) and the databases
 * to create in *dbs (NULL-terminated, lab_strv_free). -1 with err when
 * nothing matches; t->backup names the backup in it. */
int lrs_plan(struct lrs_task *t, const struct cJSON *j, struct cJSON *meta, struct cJSON ***cm,
    char ***dbs, char *err, size_t errlen);

/* labd-backup-restore.c */
/* Handle POST /restore (parsing, checks, task, answer). */
void lrs_handle(struct lbk_server *srv, struct labd_http_req *r, const char *body, size_t len);
/* Run a planned task: meta (its full meta), cm (each collection's record in
 * it), dir (the backup's directory) and dbs (to create, NULL-terminated, may
 * be NULL) are the task's from here. */
void lrs_start(struct lrs_task *t, struct cJSON *meta, struct cJSON **cm, char *dir, bool drop,
    bool skip_create, bool meta_only, char **dbs);
struct lrs_task *lrs_task_find(struct lbk_server *srv, const char *id);
void lrs_task_free(struct lbk_server *srv, struct lrs_task *t);
void lrs_tasks_free(struct lbk_server *srv);

#endif
