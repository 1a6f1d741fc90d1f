/* SPDX-License-Identifier: MIT */
/* The audit log (src/ops/guard/audit.c): one JSON line per mutating action,
 * in $XDG_STATE_HOME/milvusadm/audit.log, appended with O_APPEND and fsync.
 * A "begin" line is written before the action is sent and an "end" line
 * before it is reported done, so an interrupted action is visible as a
 * begin without its end. Secrets never reach a line: the command line is
 * redacted and only user names are recorded. With audit.etcd_mirror each
 * line is also written into etcd under <guards.etcd_prefix>audit/, so that a
 * team shares one bounded trail (src/ops/guard/audit-etcd.c). */
#ifndef MILVUSADM_AUDIT_H
#define MILVUSADM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct etcd_kv;
struct loop;
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

/* The OS user and host name running the tool ("?" when unknown). */
void audit_os_who(char *user, size_t ulen, char *host, size_t hlen);
/* The file: <state>/milvusadm/audit.log (malloc'd). */
char *audit_path(void);
/* A fresh id for an action: "<ms>-<pid>-<n>". */
void audit_new_id(char *out, size_t len);
/* Append e as one line; 0, or -1 with err (the caller warns: an action is
 * never refused because the log could not be written, but it is said). */
int audit_append(const struct audit_entry *e, char *err, size_t errlen);
/* Append a line made by audit_line as it is (the hook mirrors the same
 * text into etcd); 0, or -1 with err. */
int audit_append_line(const char *line, char *err, size_t errlen);
/* The line for e (malloc'd, ends with '\n'). */
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

/* Parse one line (len bytes, no newline needed) into r: 0, or -1 when it is
 * not an audit record (then r holds nothing). The file reader and the etcd
 * reader both use it. Free with audit_record_free. */
int audit_parse_line(const char *line, size_t len, struct audit_record *r);
void audit_record_free(struct audit_record *r);

/* Read the log from byte offset *off (0: the start), calling each for every
 * line at or after since_ms of profile (NULL: any); a line that does not
 * parse goes to skip with its line number, never fatal. *off is left after
 * the last whole line (for --follow). 0, or -1 with err when the file cannot
 * be read (a missing file is 0 lines). */
int audit_read(const char *path, int64_t *off, int64_t since_ms, const char *profile,
    void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(long line, const char *why, void *arg), void *arg, char *err, size_t errlen);

/* ---- The shared trail in etcd (src/ops/guard/audit-etcd.c) ----
 * One key per line, <prefix>audit/<time_ms, 13 digits>-<id>-<phase>, so that
 * keys sort by time; its value is the line. After each write the oldest keys
 * beyond audit.etcd_keep are deleted. */

/* "<prefix>audit/" (malloc'd; prefix NULL: "milvusadm/"), or NULL with err
 * when it and Milvus's root path (NULL: "by-dev") overlap: a trim would
 * delete Milvus's keys. */
char *audit_etcd_dir(const char *prefix, const char *root_path, char *err, size_t errlen);
/* The key of one line (malloc'd). */
char *audit_etcd_key(const char *dir, int64_t time_ms, const char *id, const char *phase);
/* How many of the oldest keys a write deletes when count are there and keep
 * are kept (at most AUDIT_ETCD_TRIM_MAX: a lowered keep is reached over a
 * few writes, never with one huge range). */
#define AUDIT_ETCD_TRIM_MAX	10000
int64_t audit_etcd_trim_count(int64_t count, int64_t keep);
/* Write line (made from e by audit_line, with e->time_ms set) into p's etcd
 * and trim the trail, waiting on the loop at most p's timeout in all. 0, or
 * -1 with a one-line err (the caller warns; the action goes on). */
int audit_etcd_mirror(struct loop *l, const struct profile *p, const struct audit_entry *e,
    const char *line, char *err, size_t errlen);
/* Each of kvs that parses and passes since_ms and profile (NULL: any) goes
 * to each, the others to skip with their key (a corrupt value is never
 * fatal). Returns how many were skipped. */
size_t audit_etcd_records(const struct etcd_kv *kvs, size_t n, int64_t since_ms,
    const char *profile, void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(const char *key, const char *why, void *arg), void *arg);
/* Read p's trail from since_ms on, oldest first, as audit_etcd_records does.
 * 0, or -1 with err and *unreachable set when no etcd endpoint answered. */
int audit_etcd_read(struct loop *l, const struct profile *p, int64_t since_ms,
    const char *profile, void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(const char *key, const char *why, void *arg), void *arg,
    bool *unreachable, char *err, size_t errlen);

#endif
