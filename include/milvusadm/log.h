/* SPDX-License-Identifier: MIT */
/* Logging to stderr or a file, with levels; never prints secrets. */
#ifndef MILVUSADM_LOG_H
#define MILVUSADM_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };

/* Messages at or below level are written; default LOG_WARN to stderr. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Send log lines to path (appended); NULL means stderr. Returns -1 if it can't be opened. */
int log_open(const char *path);
/* Prefix every line with this name (e.g. "labd rootcoord-1"); copied. */
void log_set_ident(const char *ident);
/* Register a secret (a password, token): any later log line containing it prints
 * "***" in its place. Copied; empty strings are ignored. */
void log_add_secret(const char *secret);
/* Forget every registered secret (tests). */
void log_clear_secrets(void);
/* Replace every registered secret in s, in place or into a new string: returns a
 * string the caller frees. Also used for history and audit lines. */
char *log_redact(const char *s);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
