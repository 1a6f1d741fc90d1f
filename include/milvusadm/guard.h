/* SPDX-License-Identifier: MIT */
/* The one guard every destructive command goes through (src/ops/guard/):
 * it names precisely what will be destroyed and where (the profile and its
 * cluster), what cannot be undone, and what must be typed back; it refuses
 * wildcards in a target, `--yes` in place of the name, and anything under
 * read-only. It never reads a terminal itself: asking is the caller's
 * callback (cmd_confirm), so the shell, the TUI and one-command mode ask the
 * same question the same way. */
#ifndef MILVUSADM_GUARD_H
#define MILVUSADM_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct profile;

struct guard_req {
	const struct profile *p;	/* may be NULL (no profile: the lab) */
	const char *action;		/* "delete backup", "drop collection", ... */
	const char *name;		/* the target as typed back: "db.coll", a backup */
	const char *detail;		/* more about it ("3,000 rows, 1 replica"), or NULL */
	const char *irreversible;	/* what cannot be undone, one clause */
	const char *confirm;		/* --confirm's value, NULL when not given */
	bool yes;			/* --yes was given (not a confirmation here) */
	bool read_only;			/* --read-only or a read-only profile */
};

/* How the decision was made: for the audit log. */
enum guard_how {
	GUARD_HOW_NONE,			/* refused before any confirmation */
	GUARD_HOW_FLAG,			/* --confirm matched */
	GUARD_HOW_TYPED,		/* typed back on a terminal */
};

struct guard_result {
	bool pass;
	enum guard_how how;
	char expected[512];		/* what had to be typed: NAME or PROFILE/NAME */
	char why[1024];			/* refused: one line saying why and what to do */
};

/* Ask: show prompt, read a line; 1 it equals expected, 0 not, -1 nobody to
 * ask (no terminal). */
typedef int (*guard_ask_fn)(void *arg, const char *prompt, const char *expected);

/* Decide. Fills res; returns res->pass. */
bool guard_check(const struct guard_req *r, guard_ask_fn ask, void *arg,
    struct guard_result *res);

/* What must be typed for name in profile p: "NAME", or "PROFILE/NAME" when
 * the profile is marked production. */
void guard_expected(const struct profile *p, const char *name, char *out, size_t len);
/* "profile 'prod' (etcd http://10.0.0.1:2379 +2, milvus http://10.0.0.9:19530)":
 * the cluster a profile reaches, without credentials. */
void guard_where(const struct profile *p, char *out, size_t len);
/* The prompt the guard shows (exposed for tests). */
void guard_prompt(const struct guard_req *r, const char *expected, char *out, size_t len);
const char *guard_how_name(enum guard_how h);

/* ---- the guarded drop's pure parts (drop-plan.c) ---- */

/* Is db.coll in the profile's guards.protected ("db.coll", "coll" in the
 * default database, or "db.*")? */
bool guard_protected(const struct profile *p, const char *db, const char *coll);
/* "predrop_<db>_<coll>_<UTC time>_<ms>Z" (characters milvus-backup refuses become '_'). */
void guard_predrop_name(const char *db, const char *coll, int64_t wall_ms, char *out,
    size_t len);
/* The command that brings the collection back. */
void guard_undo_command(const char *profile, const char *backup, const char *db,
    const char *coll, char *out, size_t len);

/* ---- the drop flow's journal (journal.c) ---- */

/* Steps, in order: started, backup-started, backup-done, backup-verified,
 * confirmed, drop-sent, gone. */
struct journal {
	char profile[128];
	char collection[520];
	char backup[160];		/* set once chosen */
	char undo[512];			/* set once known */
	char *path;
	int64_t started_ms;
};

/* The journal of profile's drop of collection ("db.coll"); no I/O. */
void journal_open(struct journal *j, const char *profile, const char *collection);
/* Record step (the file replaced whole): 0, or -1 with err. With
 * MILVUSADM_CRASH_AT=step in the environment the process is killed with
 * SIGKILL right after (tests). */
int journal_step(struct journal *j, const char *step, char *err, size_t errlen);
/* done: the flow ended (dropped, or refused with nothing changed): remove the
 * file. Not done: leave it to be reported. Frees j's path either way. */
void journal_close(struct journal *j, bool done);
/* One line saying what a step means for the collection. */
const char *journal_step_said(const char *step);

struct journal_entry {
	const char *path, *profile, *collection, *backup, *undo, *step;
	int64_t step_ms;
};
/* Call each for every unfinished flow; returns how many. */
size_t journal_pending(void (*each)(const struct journal_entry *e, void *arg), void *arg);

#endif
