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

#endif
