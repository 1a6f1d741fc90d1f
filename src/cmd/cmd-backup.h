/* SPDX-License-Identifier: MIT */
/* What the backup, restore and rpo commands share (cmd-backup-util.c): the
 * profile's backup server, exit codes for its errors, waiting for a task
 * with the progress display, and the RPO view that rpo, status and ha check
 * read. */
#ifndef MILVUSADM_CMD_BACKUP_H
#define MILVUSADM_CMD_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/backups.h"
#include "milvusadm/cmd.h"

struct config;
struct profile;
struct cluster;
struct state;

/* The profile and its backup server. */
struct bk_session {
	struct config *cfg;
	const struct profile *p;
	struct backup_api *a;
};

/* Load the config and find ctx's profile (no I/O beyond the file). CMD_OK,
 * or the exit code after reporting: 4 without a profile, 1 on a bad config. */
int bk_session_profile(struct cmd_ctx *ctx, struct bk_session *s);
/* Then open its backup server: 4 without backup.url (no server to reach), 1
 * on a bad setting or secret file. */
int bk_session_connect(struct cmd_ctx *ctx, struct bk_session *s);
/* Both. */
int bk_session_open(struct cmd_ctx *ctx, struct bk_session *s);
/* The cluster's collection names (REST v2; the proxies come from the
 * sessions when the profile has no milvus.uri): CMD_OK with *st set, or the
 * exit code after reporting (4 when no proxy answered). */
int bk_cluster_names(struct cmd_ctx *ctx, const struct profile *p, struct state **st);
void bk_session_close(struct bk_session *s);
/* The exit code of a client error: 4 when the server did not answer. */
int bk_exit_code(int backup_err);
/* Report a failed call (its message says what) and return its exit code. */
int bk_fail(struct cmd_ctx *ctx, const struct backup_result *r);
/* "milvusadm: warning: ..." on ctx->err, escaped (it quotes the server). */
void bk_warn(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Wait for task id with the progress display (a bar on a terminal, plain
 * lines in a pipe, JSON lines on stdout with -o json); TITLE names the task
 * ("backup nightly_1"). Returns the exit code: 0 success; 1 failed (the
 * server's message), lost, never started or stopped; 4 when the server
 * stopped answering. *how gets how it ended. */
int bk_wait(struct cmd_ctx *ctx, struct bk_session *s, enum backup_wait_kind kind,
    const char *id, const char *title, enum backup_wait_end *how);

/* Per collection of the cluster, the age of its newest backup against a
 * target: what rpo, status and ha check show. */
struct bk_rpo_view {
	bool configured;		/* backup.url is set */
	bool loaded;			/* the catalogue was read */
	int err;			/* enum backup_err when not loaded */
	char why[512];			/* why not configured or not loaded */
	struct backup_catalog cat;
	struct backup_coll_name *names;	/* the cluster's collections (borrowed strings) */
	struct backup_rpo *rows;
	size_t n;
	size_t missed;			/* rows not ok */
	int64_t target_ms, now_ms;	/* wall clock */
};

/* Fill v for the collections of c (already loaded) against target_ms, from
 * profile p's backup server. Never fails: v says what is unknown. quick (a
 * glance: status, ha check) bounds each request by the profile's timeout
 * rather than backup.timeout. */
void bk_rpo_load(struct cmd_ctx *ctx, const struct profile *p, const struct cluster *c,
    int64_t target_ms, bool quick, struct bk_rpo_view *v);
void bk_rpo_release(struct bk_rpo_view *v);
/* One line on the view: "12 collections within 24h" or why not; returns 0
 * when met, 1 when a collection misses the target, 2 when it is unknown
 * (no server, unreachable, collections unknown). */
int bk_rpo_line(const struct bk_rpo_view *v, bool colls_known, char *out, size_t len);

/* ---- verification (cmd-backup-verify.c) ---- */

struct milvus_rest;
struct backup_check_report;
struct out_obj;

/* The REST client of the profile's cluster, quietly: NULL with why (then
 * nothing to free). *st owns the client. */
struct milvus_rest *bk_rest_open(struct cmd_ctx *ctx, const struct profile *p,
    struct state **st, char *why, size_t whylen);

/* The record of a backup's source taken around `backup create --wait`. */
struct bk_source_take {
	struct state *st;
	struct milvus_rest *rest;
	struct backup_source src;
};

/* Before the create: counts and samples (a warning when the cluster cannot
 * be read: the backup goes on without a record). */
void bk_source_begin(struct cmd_ctx *ctx, const struct profile *p,
    const struct backup_coll_name *names, size_t n, struct bk_source_take *t);
/* After it: on success read again and save; always release. */
void bk_source_finish(struct cmd_ctx *ctx, const struct profile *p, const char *backup,
    bool success, struct bk_source_take *t);
/* The report into o: result, where the records came from, one row per
 * collection with each level's verdict and numbers. */
void bk_verify_members(struct out_obj *o, const struct backup_check_report *r);
/* CMD_OK when every level passed, else 1 with a one-line error naming what. */
int bk_verify_exit(struct cmd_ctx *ctx, const char *what, const struct backup_check_report *r);

#endif
