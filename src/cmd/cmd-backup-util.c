/* SPDX-License-Identifier: MIT */
/* Shared by the backup, restore and rpo commands (and status, ha check): the
 * profile's backup server, its errors as exit codes, waiting for a task with
 * the progress display, and the RPO view of the cluster's collections. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/loop.h"
#include "milvusadm/progress.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-gather.h"

int
bk_session_profile(struct cmd_ctx *ctx, struct bk_session *s)
{
	char err[512];

	memset(s, 0, sizeof *s);
	if ((s->cfg = config_load(NULL, err, sizeof err)) == NULL)
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	s->p = config_profile(s->cfg, ctx->profile);
	if (s->p == NULL) {
		bk_session_close(s);
		if (ctx->profile != NULL)
			return cmd_error(ctx, CMD_USAGE, "profile '%s' not found", ctx->profile);
		return cmd_error(ctx, CMD_UNREACHABLE, "no cluster is configured; start the "
		    "local lab with 'milvusadm lab up' or add a profile");
	}
	return CMD_OK;
}

int
bk_session_connect(struct cmd_ctx *ctx, struct bk_session *s)
{
	char err[512];
	bool unset;

	s->a = backup_open(ctx->loop, s->p, &unset, err, sizeof err);
	if (s->a == NULL) {
		bk_session_close(s);
		return cmd_error(ctx, unset ? CMD_UNREACHABLE : CMD_FAILED, "%s", err);
	}
	return CMD_OK;
}

int
bk_session_open(struct cmd_ctx *ctx, struct bk_session *s)
{
	int rc;

	if ((rc = bk_session_profile(ctx, s)) != CMD_OK)
		return rc;
	return bk_session_connect(ctx, s);
}

int
bk_cluster_names(struct cmd_ctx *ctx, const struct profile *p, struct state **st)
{
	char err[512];
	int rc = CMD_OK;

	/* p is the caller's profile: the config is not read again. */
	if ((*st = state_new(ctx->loop, p, err, sizeof err)) == NULL)
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	if (p->milvus_uri == NULL || p->milvus_uri[0] == '\0')
		(void)state_load_sessions(*st);
	if (state_load_collection_names(*st, NULL) == -1) {
		rc = gather_proxy_error(ctx, *st, state_cluster(*st)->src_proxy.error);
		state_free(*st);
		*st = NULL;
	}
	return rc;
}

void
bk_session_close(struct bk_session *s)
{
	backup_api_free(s->a);
	config_free(s->cfg);
	memset(s, 0, sizeof *s);
}

int
bk_exit_code(int e)
{
	return e == BACKUP_EUNREACHABLE ? CMD_UNREACHABLE : CMD_FAILED;
}

int
bk_fail(struct cmd_ctx *ctx, const struct backup_result *r)
{
	return cmd_error(ctx, bk_exit_code(r->err), "%s", r->errmsg);
}

void
bk_warn(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *m, *e;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	e = out_escape(m);
	fprintf(ctx->err, "milvusadm: warning: %s\n", e);
	fflush(ctx->err);
	free(e);
	free(m);
}

/* ---- waiting with progress ---- */

struct bk_waiting {
	struct progress *p;
	struct backup_wait *w;
	enum backup_wait_kind kind;
};

static enum progress_state
bk_progress_state(enum backup_task_state st)
{
	switch (st) {
	case BACKUP_TASK_INITIAL:
		return PROGRESS_PENDING;
	case BACKUP_TASK_SUCCESS:
	case BACKUP_TASK_STORED:
		return PROGRESS_SUCCESS;
	case BACKUP_TASK_FAIL:
	case BACKUP_TASK_TIMEOUT:
		return PROGRESS_FAILED;
	default:
		return PROGRESS_RUNNING;
	}
}

/* Each answer to the display; the end is drawn once, by bk_wait. */
static void
bk_wait_update(const struct backup_result *r, void *arg)
{
	struct bk_waiting *bw = arg;
	struct progress_item *items = NULL;
	char **names = NULL;
	size_t i, n = 0;

	if (r->err != BACKUP_OK || backup_wait_result(bw->w) != BACKUP_WAIT_GOING)
		return;
	if (bw->kind == BACKUP_WAIT_CREATE) {
		progress_update(bw->p, time_mono_ms(), bk_progress_state(r->brief.state),
		    r->brief.progress, NULL, 0, NULL);
		return;
	}
	n = r->restore.n_colls;
	if (n > 0) {
		items = xcalloc(n, sizeof *items);
		names = xcalloc(n, sizeof *names);
	}
	for (i = 0; i < n; i++) {
		const struct backup_restore_coll *c = &r->restore.colls[i];

		names[i] = xasprintf("%s.%s", c->db, c->name != NULL ? c->name : "?");
		items[i].name = names[i];
		items[i].percent = c->progress;
		items[i].done = items[i].total = -1;
	}
	progress_update(bw->p, time_mono_ms(), bk_progress_state(r->restore.state),
	    r->restore.progress, items, n, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(items);
}

static void
bk_wait_sigint(int signo, void *arg)
{
	(void)signo;
	backup_wait_stop(((struct bk_waiting *)arg)->w);
}

int
bk_wait(struct cmd_ctx *ctx, struct bk_session *s, enum backup_wait_kind kind,
    const char *id, const char *title, enum backup_wait_end *how)
{
	struct backup_wait_opts o;
	struct bk_waiting bw;
	enum progress_mode mode;
	enum progress_state end;
	loop_signal_cb old_int;
	void *old_arg;
	const char *term = getenv("TERM");
	FILE *f = ctx->err;
	char msg[512];
	int64_t t0 = time_mono_ms(), stall = s->p->backup_stall_after_ms;
	int rc;

	/* JSON lines go with the result on stdout; a bar or plain lines go to
	 * stderr, a bar only when that is a terminal able to redraw. */
	if (ctx->format == OUT_JSON) {
		mode = PROGRESS_JSON;
		f = ctx->out;
	} else if (fileno(f) >= 0 && isatty(fileno(f)) && term != NULL && *term != '\0' &&
	    strcmp(term, "dumb") != 0)
		mode = PROGRESS_TTY;
	else
		mode = PROGRESS_PLAIN;
	memset(&o, 0, sizeof o);
	o.stall_ms = stall;
	/* A server restarting answers again within seconds (then "task
	 * lost"); one gone for two request timeouts is not coming back soon. */
	o.unreachable_ms = 2 * (s->p->backup_timeout_ms > 0 ? s->p->backup_timeout_ms : 30000);
	o.stop = ctx->stop;
	o.start_ms = t0;
	memset(&bw, 0, sizeof bw);
	bw.kind = kind;
	bw.p = progress_new(f, mode, title, "B", t0, stall, backup_stall_hint(kind,
	    BACKUP_TASK_EXECUTING));
	bw.w = backup_wait_start(ctx->loop, s->a, kind, id, &o, bk_wait_update, &bw);
	/* Ctrl-C stops the waiting, not the task; the TUI's handler comes back. */
	old_int = loop_signal_get(ctx->loop, SIGINT, &old_arg);
	loop_signal(ctx->loop, SIGINT, bk_wait_sigint, &bw);
	(void)loop_run_until(ctx->loop, backup_wait_done(bw.w), -1);
	loop_signal(ctx->loop, SIGINT, old_int, old_int != NULL ? old_arg : NULL);

	*how = backup_wait_result(bw.w);
	switch (*how) {
	case BACKUP_WAIT_SUCCESS:
		end = PROGRESS_SUCCESS;
		rc = CMD_OK;
		break;
	case BACKUP_WAIT_LOST:
		end = PROGRESS_LOST;
		rc = CMD_FAILED;
		break;
	case BACKUP_WAIT_UNREACHABLE:
		end = PROGRESS_FAILED;
		rc = CMD_UNREACHABLE;
		break;
	case BACKUP_WAIT_STOPPED:
		/* Not failed: the task runs on; the line says so. */
		end = PROGRESS_RUNNING;
		rc = CMD_FAILED;
		break;
	default:
		end = PROGRESS_FAILED;
		rc = CMD_FAILED;
		break;
	}
	snprintf(msg, sizeof msg, "%s", backup_wait_message(bw.w));
	progress_end(bw.p, time_mono_ms(), end, *how == BACKUP_WAIT_SUCCESS ? NULL : msg);
	progress_free(bw.p);
	backup_wait_free(bw.w);
	/* The display's last line may be a bar on a terminal: the one-line
	 * error is what a runbook's "file:line:" report needs. */
	if (rc != CMD_OK)
		cmd_error(ctx, rc, "%s: %s: %s", title, *how == BACKUP_WAIT_LOST ? "task lost" :
		    backup_wait_end_name(*how), msg);
	return rc;
}

/* ---- the RPO view ---- */

void
bk_rpo_load(struct cmd_ctx *ctx, const struct profile *p, const struct cluster *c,
    int64_t target_ms, bool quick, struct bk_rpo_view *v)
{
	struct profile pq = *p;
	struct backup_api *a;
	bool unset;
	size_t i;

	memset(v, 0, sizeof *v);
	v->target_ms = target_ms;
	v->now_ms = time_wall_ms();
	/* A one-screen summary must not wait 30 s on a backup server that
	 * swallows packets. */
	if (quick && p->timeout_ms > 0 && p->timeout_ms < pq.backup_timeout_ms)
		pq.backup_timeout_ms = p->timeout_ms;
	a = backup_open(ctx->loop, &pq, &unset, v->why, sizeof v->why);
	v->configured = !unset;
	if (a == NULL)
		return;
	if (backup_catalog_load(ctx->loop, a, &v->cat, &v->err, v->why, sizeof v->why) == 0)
		v->loaded = true;
	backup_api_free(a);
	if (!v->loaded || c == NULL)
		return;
	v->n = c->n_collections;
	v->names = xcalloc(v->n + 1, sizeof *v->names);
	v->rows = xcalloc(v->n + 1, sizeof *v->rows);
	for (i = 0; i < v->n; i++) {
		v->names[i].db = c->collections[i].db;
		v->names[i].coll = c->collections[i].name;
	}
	v->missed = backup_rpo(v->names, v->n, v->cat.v, v->cat.n, v->cat.unreadable, v->now_ms,
	    target_ms, v->rows);
}

void
bk_rpo_release(struct bk_rpo_view *v)
{
	backup_catalog_release(&v->cat);
	free(v->names);
	free(v->rows);
	memset(v, 0, sizeof *v);
}

int
bk_rpo_line(const struct bk_rpo_view *v, bool colls_known, char *out, size_t len)
{
	char tgt[32], age[32];
	int64_t oldest = -1;
	size_t i;

	time_format_duration(v->target_ms, tgt, sizeof tgt);
	if (!v->configured) {
		snprintf(out, len, "RPO unknown: no backup server (backup.url) in the profile");
		return 2;
	}
	if (!v->loaded) {
		snprintf(out, len, "RPO unknown: backup server %s: %s", v->err ==
		    BACKUP_EUNREACHABLE ? "unreachable" : "failed", v->why);
		return 2;
	}
	if (!colls_known) {
		snprintf(out, len, "RPO unknown: the cluster's collections could not be read");
		return 2;
	}
	for (i = 0; i < v->n; i++)
		if (v->rows[i].status == BACKUP_RPO_OK && v->rows[i].age_ms > oldest)
			oldest = v->rows[i].age_ms;
	if (v->missed > 0) {
		for (i = 0; i < v->n && v->rows[i].status == BACKUP_RPO_OK; i++)
			;
		snprintf(out, len, "RPO target %s missed by %zu of %zu collections (first: "
		    "'%s.%s', %s)", tgt, v->missed, v->n, v->rows[i].db, v->rows[i].coll,
		    v->rows[i].status == BACKUP_RPO_NONE ? "no backup" :
		    v->rows[i].status == BACKUP_RPO_UNKNOWN ? "backups unreadable" : "too old");
		return 1;
	}
	if (oldest < 0)
		snprintf(out, len, "RPO target %s: no collections", tgt);
	else {
		time_format_duration(oldest, age, sizeof age);
		snprintf(out, len, "RPO target %s met by %zu collections (oldest backup %s)",
		    tgt, v->n, age);
	}
	return 0;
}
