/* SPDX-License-Identifier: MIT */
/* The audit log (src/ops/guard/audit.c): one JSON line per mutating action,
 * in $XDG_STATE_HOME/milvusadm/audit.log, appended with O_APPEND and fsync.
 * A "begin" line is written before the action is sent and an "end" line
 * before it is reported done, so an interrupted action is visible as a
 * begin without its end. Secrets never reach a line: the command line is
 * redacted and only user names are recorded. */
#ifndef MILVUSADM_AUDIT_H
#define MILVUSADM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct profile;

struct audit_entry {
	int64_t time_ms;		/* 0: now */
	const char *phase;		/* "begin" or "end" */
	const char *id;			/* one action's begin and end share it */
	const struct profile *p;	/* NULL: no profile (lab commands) */
	const char *command;		/* the table's name: "backup delete" */
	int argc;			/* the words as typed (redacted when written) */
	char *const *argv;
	const char *target;		/* what the guard named, or NULL */
	const char *guard;		/* how it was confirmed, or NULL (not asked) */
	const char *outcome;		/* end: "ok", "failed", "refused", ... */
	int exit_code;			/* end */
	const char *backup;		/* a backup made or used for it, or NULL */
	const char *undo;		/* the command that undoes it, or NULL */
};

/* The file: <state>/milvusadm/audit.log (malloc'd). */
char *audit_path(void);
/* A fresh id for an action: "<ms>-<pid>-<n>". */
void audit_new_id(char *out, size_t len);
/* Append e as one line; 0, or -1 with err (the caller warns: an action is
 * never refused because the log could not be written, but it is said). */
int audit_append(const struct audit_entry *e, char *err, size_t errlen);
/* The line for e (malloc'd, ends with '\n'): for tests. */
char *audit_line(const struct audit_entry *e);
/* A command line's words with secrets replaced by "***": values of options
 * named like password, token, secret, key, and user:password@ in URLs.
 * Returns a malloc'd, space-joined string. */
char *audit_redact(int argc, char *const *argv);

/* One line read back. */
struct audit_record {
	int64_t time_ms;
	char *phase, *id, *os_user, *host, *milvus_user, *profile, *command, *args;
	char *target, *guard, *outcome, *backup, *undo;
	int exit_code;
};

/* Read the log from byte offset *off (0: the start), calling each for every
 * line at or after since_ms of profile (NULL: any); a line that does not
 * parse goes to skip with its line number, never fatal. *off is left after
 * the last whole line (for --follow). 0, or -1 with err when the file cannot
 * be read (a missing file is 0 lines). */
int audit_read(const char *path, int64_t *off, int64_t since_ms, const char *profile,
    void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(long line, const char *why, void *arg), void *arg, char *err, size_t errlen);

#endif
