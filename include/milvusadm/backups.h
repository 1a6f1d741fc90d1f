/* SPDX-License-Identifier: MIT */
/* Backups, restores and RPO over the milvus-backup client (src/ops/backup/):
 * which collections a selection names, which backups count and how old they
 * are, where a restore puts each collection, opening the profile's server,
 * loading its catalogue and waiting for a task on the loop. No curses, curl or
 * cJSON here: the client's plain structs (backup_api.h) are the data. */
#ifndef MILVUSADM_BACKUPS_H
#define MILVUSADM_BACKUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/backup_api.h"

struct loop;
struct profile;

/* ---- selections and names (backup-select.c, pure) ------------------------- */

/* One part of "--collections db.c1,db.*,c2": a database and a collection,
 * "*" for the whole database; a bare "c2" is in database "default". */
struct backup_sel_item {
	char *db;
	char *coll;
};

/* A parsed selection. Owns everything; n == 0 selects every collection. */
struct backup_sel {
	struct backup_sel_item *v;
	size_t n;
	char **specs;		/* "db.coll" / "db.*", NULL-terminated: what the client takes */
};

/* Parse a comma-separated selection. Names are Milvus names (letters, digits,
 * '_', '$', '-'; at most 255 bytes); '*' only as a whole collection part.
 * 0, or -1 with the reason in err (nothing to release then). */
int backup_sel_parse(const char *text, struct backup_sel *out, char *err, size_t errlen);
void backup_sel_release(struct backup_sel *s);
/* Does the selection take db.coll? An empty selection takes everything. */
bool backup_sel_match(const struct backup_sel *s, const char *db, const char *coll);
/* Does it hold a "db.*" (so that it means what the cluster has now)? */
bool backup_sel_has_wildcard(const struct backup_sel *s);

/* "--rename a:b,c:d": pairs as milvus-backup takes them (db1.c1:db2.c2,
 * c1:c2 in the default database, db1.*:db2.*). Owns its strings. */
struct backup_renames {
	char **pairs;		/* old, new, old, new, ..., NULL */
	size_t n;		/* pairs */
};

int backup_renames_parse(const char *text, struct backup_renames *out, char *err,
    size_t errlen);
void backup_renames_release(struct backup_renames *r);
/* A restore suffix: letters, digits and '_' (milvus-backup's rule). */
int backup_suffix_check(const char *suffix, char *err, size_t errlen);
/* Where a restore puts db.coll: the collection renamed by the first rule that
 * names it exactly, else moved by a database rule (db1.*:db2.*), else with
 * the suffix appended, else unchanged. Writes "db.coll" into out. */
void backup_restore_target(const char *db, const char *coll, const char *suffix,
    const struct backup_renames *r, char *out, size_t outlen);

/* The name `backup create` makes without --name: milvusadm_YYYYMMDD_HHMMSS_mmm
 * in UTC (milvus-backup's rules; sorts by time; a name is never used twice by
 * one server, so milliseconds keep two runs in one second apart). */
void backup_auto_name(int64_t wall_ms, char *out, size_t outlen);

/* ---- the catalogue's arithmetic (backup-catalog.c, pure) ------------------ */

/* Does b count as a backup to restore from: a task that succeeded, or a
 * record found in storage (its meta exists: the server's own test)? */
bool backup_usable(const struct backup_brief *b);
/* When the backup's data was taken, epoch ms: its backup timestamp, else the
 * task's end, else its start; 0 unknown. */
int64_t backup_when_ms(const struct backup_brief *b);
/* Does b list db.coll among its collections? */
bool backup_holds(const struct backup_brief *b, const char *db, const char *coll);
/* Newest first; unknown times last; ties by name, descending. */
void backup_sort_newest(struct backup_brief *v, size_t n);

struct backup_coll_name {
	const char *db;
	const char *coll;
};

/* The newest usable backup that holds every one of want (n_want 0: any)
 * and is younger than max_age_ms at now_ms: its index, or -1. A task still
 * running does not count (milvus-backup lists a backup once its meta is
 * written, so a running one may not be seen at all). v sorted by
 * backup_sort_newest. */
long backup_find_fresh(const struct backup_brief *v, size_t n,
    const struct backup_coll_name *want, size_t n_want, int64_t now_ms,
    int64_t max_age_ms);

enum backup_rpo_status {
	BACKUP_RPO_OK,		/* its newest backup is within the target */
	BACKUP_RPO_OLD,		/* its newest backup is older than the target */
	BACKUP_RPO_NONE,	/* no backup holds it */
	BACKUP_RPO_UNKNOWN,	/* not shown within target, and some backups
				 * could not be read (one of them might hold it) */
};

/* One collection's recovery point. Points into the inputs. */
struct backup_rpo {
	const char *db, *coll;
	long backup;			/* index into v of its newest backup, -1 none */
	int64_t last_ms;		/* that backup's time, 0 none or unknown */
	int64_t age_ms;			/* now - last_ms (never negative), -1 unknown */
	enum backup_rpo_status status;
};

/* For each of colls, its newest usable backup with a known time, against
 * target_ms; n_unreadable backups were listed but not described. out has n
 * entries. Returns how many are not BACKUP_RPO_OK (each counts as a breach:
 * a recovery point that cannot be shown is not met). */
size_t backup_rpo(const struct backup_coll_name *colls, size_t n, const struct backup_brief *v,
    size_t nb, size_t n_unreadable, int64_t now_ms, int64_t target_ms, struct backup_rpo *out);
/* "ok", "old", "none", "unknown". */
const char *backup_rpo_status_name(enum backup_rpo_status s);

/* ---- the profile's server and its catalogue (backup-open.c, backup-load.c) */

/* A client for p's backup.* keys (url, username/password_file or token_file,
 * ca_file, insecure, timeout; retries end after twice the timeout); secrets
 * are read from their files now and wiped after the client copied them. NULL
 * with err; *unset is true when the profile has no backup.url. */
struct backup_api *backup_open(struct loop *l, const struct profile *p, bool *unset,
    char *err, size_t errlen);

/* Every backup the server lists, each described by a get_backup (a few at a
 * time), newest first. Owns v and every string in it. */
struct backup_catalog {
	struct backup_brief *v;
	size_t n;
	size_t unreadable;		/* listed, not described: no time, no collections */
	char *unreadable_why;		/* the first reason, NULL when none */
	size_t skipped;			/* list entries without a name */
	enum backup_flavour flavour;
};

/* Load the catalogue, running the loop until done. 0, or -1 with *e (enum
 * backup_err of the list call) and the reason in err. */
int backup_catalog_load(struct loop *l, struct backup_api *a, struct backup_catalog *out,
    int *e, char *err, size_t errlen);
void backup_catalog_release(struct backup_catalog *c);
/* A deep copy of a brief (a callback's result belongs to the client), and
 * freeing what one owns (then zeroed). */
void backup_brief_copy(struct backup_brief *dst, const struct backup_brief *src);
void backup_brief_clear(struct backup_brief *b);

/* ---- waiting for a task (backup-wait.c) ----------------------------------- */

enum backup_wait_kind { BACKUP_WAIT_CREATE, BACKUP_WAIT_RESTORE };

enum backup_wait_end {
	BACKUP_WAIT_GOING,
	BACKUP_WAIT_SUCCESS,
	BACKUP_WAIT_FAILED,		/* the server said so: message */
	BACKUP_WAIT_LOST,		/* the server no longer knows the task */
	BACKUP_WAIT_NEVER_STARTED,	/* still initial after stall_ms */
	BACKUP_WAIT_UNREACHABLE,	/* no answer for unreachable_ms */
	BACKUP_WAIT_STOPPED,		/* the operator stopped waiting */
};

struct backup_wait_opts {
	int64_t poll_ms;		/* between polls; 0 = 1 s */
	int64_t stall_ms;		/* initial this long ends the wait; 0 = never */
	int64_t unreachable_ms;		/* no usable answer this long ends it; 0 = 60 s */
	const bool *stop;		/* set by the owner of the terminal, or NULL */
	int64_t start_ms;		/* time_mono_ms() the wait counts from; 0 = now */
};

/* What the judge remembers between polls (zero it before the first). */
struct backup_wait_track {
	int64_t first_ms;		/* first poll */
	int64_t answer_ms;		/* last usable answer */
	int64_t change_ms;		/* last change of state or progress */
	enum backup_task_state state;
	int progress;
	bool seen;
};

/* Judge one poll's result (NULL: the poll could not be made) at now_ms:
 * whether the wait goes on or how it ends, with the reason in msg. Pure. */
enum backup_wait_end backup_wait_judge(struct backup_wait_track *t, enum backup_wait_kind kind,
    const struct backup_result *r, int64_t now_ms, const struct backup_wait_opts *o, char *msg,
    size_t msglen);
/* The likely cause of a task whose progress stopped moving in state st, from
 * the contract: for the progress display's stall report. */
const char *backup_stall_hint(enum backup_wait_kind kind, enum backup_task_state st);
const char *backup_wait_end_name(enum backup_wait_end e);

struct backup_wait;

/* Poll task_id (a create's request_id or a restore's id) on the loop until
 * it ends. update runs after each answer (r valid only during the call),
 * after the judge: backup_wait_result() already says whether it ended. */
typedef void (*backup_wait_cb)(const struct backup_result *r, void *arg);
struct backup_wait *backup_wait_start(struct loop *l, struct backup_api *a,
    enum backup_wait_kind kind, const char *task_id, const struct backup_wait_opts *o,
    backup_wait_cb update, void *arg);
/* Non-zero once the wait has ended: for loop_run_until. */
const int *backup_wait_done(const struct backup_wait *w);
/* Stop waiting now (Ctrl-C): ends as STOPPED; the task goes on. */
void backup_wait_stop(struct backup_wait *w);
enum backup_wait_end backup_wait_result(const struct backup_wait *w);
/* Why it ended (one line), "" while going. */
const char *backup_wait_message(const struct backup_wait *w);
/* Free; a poll still in flight (only after a stop) keeps the wait alive
 * until it answers, and backup_api_free drops it unanswered (a small leak at
 * exit, never a use after free). */
void backup_wait_free(struct backup_wait *w);

/* ---- verification (backup-verify.c, pure; backup-record.c, backup-check.c) */

/* The source as milvusadm saw it around a backup it took: per collection its
 * row count and a sample of rows (primary key and a hash of the row), read
 * before the backup started and again after it succeeded; rows that changed
 * in between are left out. Saved in the state directory per profile. */
struct backup_source_coll {
	char *db, *name;
	char *pk;			/* primary key field, NULL when unknown */
	int64_t rows;			/* count(*), the same before and after; -1 unknown */
	char *rows_why;			/* why unknown, NULL when known */
	char **sample_pks;		/* each row's primary key as JSON text */
	uint64_t *sample_hash;		/* backup_row_hash of each row */
	size_t n_sample;
	size_t changed;			/* sampled rows that changed during the backup */
	char *sample_why;		/* why there is no sample, NULL when there is */
};

struct backup_source {
	char *backup;
	char *profile;
	int64_t taken_ms;		/* wall clock when the record was completed */
	struct backup_source_coll *v;
	size_t n;
};

void backup_source_release(struct backup_source *s);
/* The record of db.coll, or NULL. */
const struct backup_source_coll *backup_source_find(const struct backup_source *s,
    const char *db, const char *coll);
/* Save it as <state>/backups/<profile>/<backup>.json (written whole, then
 * renamed); load it back: 0, 1 when there is none, -1 with err. */
int backup_source_save(const struct backup_source *s, char *err, size_t errlen);
int backup_source_load(const char *profile, const char *backup, struct backup_source *out,
    char *err, size_t errlen);

/* FNV-1a 64 of a row's canonical JSON text (milvus_rest_query's form). */
uint64_t backup_row_hash(const char *canonical);

enum backup_check {
	BACKUP_CHECK_PASS,
	BACKUP_CHECK_FAIL,		/* a mismatch: the numbers are in detail */
	BACKUP_CHECK_UNVERIFIED,	/* it could not be checked: detail says why */
	BACKUP_CHECK_SKIPPED,		/* not asked for (backup verify without a target) */
};

/* One level's verdict for one collection. expected/actual -1 when none. */
struct backup_verdict {
	enum backup_check r;
	int64_t expected, actual;
	char detail[320];
};

/* The levels for one collection of a backup. */
struct backup_verify_coll {
	char source[520];		/* db.coll as backed up */
	char target[520];		/* db.coll restored; "" when there is none */
	struct backup_verdict meta, rows, sample;
};

/* meta: out[i] for each b->colls[i] (the server's record), against m, the
 * backup's full metadata (NULL when it could not be read: m_why says why),
 * and top for the backup as a whole (its collections, its size). */
void backup_verify_meta(const struct backup_brief *b, const struct backup_meta *m,
    const char *m_why, struct backup_verify_coll *out, struct backup_verdict *top);
/* rows: the restored count (actual, -1 when it could not be read: why) against
 * the backup's record: the meta's segment rows (mc, when it lists no delete
 * logs), else the server's (bc->rows), else milvusadm's own (sc). */
void backup_verify_rows(const struct backup_meta_coll *mc, const struct backup_collection *bc,
    const struct backup_source_coll *sc, int64_t actual, const char *why,
    struct backup_verdict *out);
/* sample: the rows read back from the target by the sample's keys (n_got rows
 * with their keys and hashes; got_why when the read failed) against sc. */
void backup_verify_sample(const struct backup_source_coll *sc, char *const *got_pks,
    const uint64_t *got_hash, size_t n_got, const char *got_why, struct backup_verdict *out);
/* The worst of a verdict list: FAIL over UNVERIFIED over PASS (SKIPPED
 * counts as nothing). */
enum backup_check backup_check_worst(enum backup_check a, enum backup_check b);
const char *backup_check_name(enum backup_check c);

/* ---- reading the source and the target (backup-sample.c) ------------------ */

struct milvus_rest;

/* count(*) of db.coll, or -1 with *why (malloc'd). */
int64_t backup_count_rows(struct milvus_rest *r, const char *db, const char *coll,
    char **why);
/* The rows of db.coll whose primary key pk is one of keys (JSON text): each
 * row's key and hash. 0, or -1 with *why. Free with backup_rows_free. */
int backup_read_rows(struct milvus_rest *r, const char *db, const char *coll, const char *pk,
    char *const *keys, size_t n, char ***got_pks, uint64_t **got_hash, size_t *n_got,
    char **why);
void backup_rows_free(char **pks, uint64_t *hash, size_t n);
/* Before a backup: each collection's count, primary key and up to sample
 * rows (out zeroed; n entries). After it succeeded: count and read the
 * sample again, keeping only what did not change. Never fail: what could
 * not be read is said in rows_why / sample_why. */
void backup_source_begin(struct milvus_rest *r, const struct backup_coll_name *colls, size_t n,
    size_t sample, struct backup_source *out);
void backup_source_finish(struct milvus_rest *r, struct backup_source *s);
/* Load db.coll and wait until it is loaded, at most timeout_ms: 0, or -1
 * with *why. */
int backup_load_wait(struct loop *l, struct milvus_rest *r, const char *db, const char *coll,
    int64_t timeout_ms, char **why);

/* ---- verification as run (backup-check.c) --------------------------------- */

struct backup_check_opts {
	const char *storage_path;	/* backup.storage_path; NULL: metadata not read */
	const char *profile;		/* whose record of the source to read */
	bool targets;			/* check rows and sample on restored collections */
	const struct backup_sel *sel;	/* which were restored (NULL or empty: all) */
	const char *suffix;		/* where: as the restore named them */
	const struct backup_renames *ren;
	bool load;			/* load each target first (a count needs it) */
	int64_t load_timeout_ms;
};

struct backup_check_report {
	struct backup_verify_coll *v;	/* one per collection of the backup */
	size_t n;
	struct backup_verdict top;	/* the backup as a whole (meta) */
	enum backup_check worst;	/* over every verdict */
	bool have_source;		/* milvusadm's record was found */
	char meta_from[700];		/* the metadata file read, or why none */
	char source_from[300];		/* milvusadm's record, or why none */
};

/* Verify backup b (its record from get_backup) on the loop; r reaches the
 * cluster the targets are in (may be NULL when !o->targets). */
void backup_check_run(struct loop *l, struct milvus_rest *r, const struct backup_brief *b,
    const struct backup_check_opts *o, struct backup_check_report *out);
void backup_check_release(struct backup_check_report *r);

/* ---- restore drills' saved reports (restore-drill-report.c) --------------- */

/* What `restore drill history` and the TUI show of one saved report. */
struct restore_drill_brief {
	char *id;			/* "rd-20261207T210102Z-..." (the file's name) */
	char *profile;
	char *backup;
	int64_t started_ms;		/* wall clock, epoch ms */
	bool passed;			/* restored, verified at every level, cleaned up */
	int64_t rto_ms;			/* start to verified, loaded, queryable; -1 not reached */
	int64_t rpo_ms;			/* the backup's age at the start; -1 unknown */
	int64_t rows;			/* rows restored and counted; -1 unknown */
	char *verdict;			/* one line: "pass" or what failed */
};

/* <state>/restore-drills, made when create. */
char *restore_drill_dir(bool create);
/* "rd-20261207T210102.123Z": a new report's id, sorting by time. */
void restore_drill_id(int64_t wall_ms, char *out, size_t outlen);
/* Write <dir>/<id>.json and <id>.md, each replaced whole: 0 or -1 with err. */
int restore_drill_save(const char *id, const char *json, size_t json_len, const char *md,
    size_t md_len, char *err, size_t errlen);

/* The saved restore drills of profile (NULL: every profile), newest first, at
 * most max; a file that cannot be read is passed to skip (may be NULL) and
 * left out. NULL with *n 0 when there are none. */
struct restore_drill_brief *restore_drill_history(const char *profile, size_t max, size_t *n,
    void (*skip)(const char *why, void *arg), void *arg);
void restore_drill_history_free(struct restore_drill_brief *v, size_t n);

/* ---- the Backups view's data, read on the loop (backup-poll.c) ----------- */

/* How a collection's recovery point is drawn: ok; near, within the target
 * but older than BACKUP_RPO_NEAR_PERMILLE of it (time to act before it
 * breaches); breached, older than the target or not shown at all (no
 * backup, or backups that could not be read). */
enum backup_rpo_level {
	BACKUP_RPO_LEVEL_OK,
	BACKUP_RPO_LEVEL_NEAR,
	BACKUP_RPO_LEVEL_BREACHED,
};
#define BACKUP_RPO_NEAR_PERMILLE	800

/* The level of r (from backup_rpo) against target_ms. Pure. */
enum backup_rpo_level backup_rpo_level(const struct backup_rpo *r, int64_t target_ms);
/* "ok", "near", "breached". */
const char *backup_rpo_level_name(enum backup_rpo_level l);

/* A backup started with backup_poll_create, followed until it ends. */
struct backup_poll_task {
	char *name;			/* its backup name (backup_auto_name) */
	char *what;			/* the selection asked for: "db.coll" */
	char *id;			/* the task id; NULL until the create answered */
	enum backup_task_state state;	/* as the last poll said */
	int progress;			/* 0-100; -1 not said yet */
	enum backup_wait_end end;	/* BACKUP_WAIT_GOING while it runs */
	char *message;			/* why it did not succeed; NULL otherwise */
	int64_t started_ms, ended_ms;	/* wall clock; ended 0 while going */
};

/* What the poll knows now. Owned by the poll; valid until control returns
 * to the loop (each change calls the poll's callback). */
struct backup_poll_state {
	bool configured;		/* the profile has backup.url */
	bool usable;			/* a client was opened; else why says why not */
	char why[512];
	char *url;			/* backup.url without credentials, for display */
	int64_t rpo_target_ms;		/* guards.rpo_target */
	struct backup_catalog cat;	/* the last catalogue read (empty before one) */
	bool loaded;			/* cat is from a read */
	int64_t read_ms;		/* wall clock of the last good read; 0 none */
	bool loading;			/* a read is under way */
	int err;			/* enum backup_err of the last read (BACKUP_OK) */
	char error[512];		/* its reason; "" after a good read */
	int64_t failing_since_ms;	/* first failed read since the last good one; 0 */
	struct backup_poll_task **tasks;	/* started here, oldest first */
	size_t n_tasks;
};

struct backup_poll;

/* The backup side of a live view of profile p (copied what it needs; the
 * client is opened now, no request is sent until backup_poll_watch). The
 * catalogue (/list, expensive on the server) is read at most every
 * list_every_ms while watched, or on backup_poll_refresh; running tasks
 * are polled every poll_ms. changed(arg) runs on the loop after each change.
 * Never NULL: the state says what is missing. */
struct backup_poll *backup_poll_new(struct loop *l, const struct profile *p,
    int64_t list_every_ms, int64_t poll_ms, void (*changed)(void *arg), void *arg);
/* Someone looks (on: reads now when the last read is older than
 * list_every_ms, then keeps reading) or stopped looking (off: only tasks
 * are polled). */
void backup_poll_watch(struct backup_poll *bp, bool on);
/* Read the catalogue now (unless a read is under way) when watched, else as
 * soon as it is. */
void backup_poll_refresh(struct backup_poll *bp);
/* Start `backup create --collections SPEC` with an automatic name, without
 * waiting: 0 with the name in name, or -1 with the reason in err. The task
 * shows in the state and is polled until it ends. */
int backup_poll_create(struct backup_poll *bp, const char *spec, char *name, size_t namelen,
    char *err, size_t errlen);
const struct backup_poll_state *backup_poll_state(const struct backup_poll *bp);
/* Stop everything (no callback after this) and free. Not from a callback. */
void backup_poll_free(struct backup_poll *bp);

#endif
