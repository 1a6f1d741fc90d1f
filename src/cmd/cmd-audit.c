/* SPDX-License-Identifier: MIT */
/* `milvusadm audit [--since DURATION] [--follow] [--shared] [--profile P]`:
 * the trail of mutating actions (src/ops/guard/audit.c), as a table, TSV or
 * JSON. With --follow new lines are printed as they are appended (a line
 * each, JSON lines with -o json) until Ctrl-C. With --shared the trail the
 * team shares is read from the profile's etcd instead (audit-etcd.c). A
 * line that does not parse is skipped with a warning, never fatal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/audit.h"
#include "milvusadm/config.h"
#include "milvusadm/loop.h"
#include "milvusadm/output.h"
#include "milvusadm/timeutil.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

#define AUDIT_FOLLOW_MS		500

static const struct out_col audit_cols[] = {
	{ "time_ms", "TIME", OCOL_TIME_MS },
	{ "phase", "PHASE", OCOL_STR },
	{ "who", "WHO", OCOL_STR },
	{ "profile", "PROFILE", OCOL_STR },
	{ "command", "COMMAND", OCOL_STR },
	{ "target", "TARGET", OCOL_STR },
	{ "guard", "GUARD", OCOL_STR },
	{ "outcome", "OUTCOME", OCOL_STR },
};

struct audit_view {
	struct cmd_ctx *ctx;
	struct out_tab *tab;		/* the listing; NULL while following */
	unsigned skipped;
};

static void
record_members(struct out_obj *row, const struct audit_record *r)
{
	out_int(row, "time_ms", r->time_ms);
	out_str(row, "phase", r->phase);
	out_strf(row, "who", "%s@%s", r->os_user != NULL ? r->os_user : "?",
	    r->host != NULL ? r->host : "?");
	out_str(row, "profile", r->profile);
	out_str(row, "command", r->command);
	out_str(row, "target", r->target);
	out_str(row, "guard", r->guard);
	out_str(row, "outcome", r->outcome);
	r->outcome != NULL ? out_int(row, "exit_code", r->exit_code) : out_null(row, "exit_code");
	out_str(row, "id", r->id);
	out_str(row, "os_user", r->os_user);
	out_str(row, "host", r->host);
	out_str(row, "milvus_user", r->milvus_user);
	out_str(row, "args", r->args);
	out_str(row, "backup", r->backup);
	out_str(row, "undo", r->undo);
}

static void
each_row(const struct audit_record *r, void *arg)
{
	struct audit_view *v = arg;
	struct out_doc *doc;

	if (v->tab != NULL) {
		record_members(out_row(v->tab), r);
		return;
	}
	/* Following: one document per record, a line each. */
	doc = out_doc_new("audit-record");
	record_members(out_doc_root(doc), r);
	(void)cmd_emit(v->ctx, doc);
	fflush(v->ctx->out);
}

static void
skip_line(long line, const char *why, void *arg)
{
	struct audit_view *v = arg;

	v->skipped++;
	fprintf(v->ctx->err, "milvusadm: warning: audit log line %ld skipped: %s\n", line, why);
}

static void
skip_key(const char *key, const char *why, void *arg)
{
	struct audit_view *v = arg;
	char *esc = out_escape(key);

	/* The key is etcd's: anyone who can write there chose it. */
	v->skipped++;
	fprintf(v->ctx->err, "milvusadm: warning: audit trail key '%s' skipped: %s\n", esc, why);
	free(esc);
}

/* The shared trail, from the etcd of the profile chosen with -p (--profile
 * only filters: teammates may name the same cluster differently). Takes
 * doc: emitted, or freed on failure. */
static int
audit_shared(struct cmd_ctx *ctx, struct audit_view *view, struct out_doc *doc,
    int64_t since_ms, const char *profile)
{
	const struct profile *p;
	struct config *c;
	char err[512], *dir;
	bool unreachable = false;
	int rc;

	if ((c = config_load(NULL, err, sizeof err)) == NULL) {
		out_doc_free(doc);
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	}
	if ((p = config_profile(c, ctx->profile)) == NULL) {
		config_free(c);
		out_doc_free(doc);
		if (ctx->profile != NULL)
			return cmd_error(ctx, CMD_USAGE, "profile '%s' not found", ctx->profile);
		return cmd_error(ctx, CMD_UNREACHABLE, "no cluster is configured: --shared reads "
		    "the trail from a profile's etcd");
	}
	if (p->n_etcd_endpoints == 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "no etcd endpoint in profile '%s'", p->name);
		config_free(c);
		out_doc_free(doc);
		return rc;
	}
	if ((dir = audit_etcd_dir(p->guards_etcd_prefix, p->etcd_root_path, err,
	    sizeof err)) == NULL) {
		config_free(c);
		out_doc_free(doc);
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	}
	out_null(out_doc_root(doc), "path");
	out_str(out_doc_root(doc), "prefix", dir);
	out_bool(out_doc_root(doc), "shared", true);
	free(dir);
	view->tab = out_table(out_doc_root(doc), "records", "audit", audit_cols,
	    sizeof audit_cols / sizeof audit_cols[0]);
	rc = audit_etcd_read(ctx->loop, p, since_ms, profile, each_row, skip_key, view,
	    &unreachable, err, sizeof err);
	config_free(c);
	if (rc != 0) {
		out_doc_free(doc);
		return cmd_error(ctx, unreachable ? CMD_UNREACHABLE : CMD_FAILED, "%s", err);
	}
	out_int(out_doc_root(doc), "skipped", view->skipped);
	return cmd_emit(ctx, doc);
}

struct follow {
	struct audit_view *v;
	char *path;
	int64_t off, since;
	const char *profile;
	int done;
	uint64_t timer;
	struct loop *l;
};

static void
follow_tick(void *arg)
{
	struct follow *f = arg;
	char err[512];

	if (audit_read(f->path, &f->off, f->since, f->profile, each_row, skip_line, f->v, err,
	    sizeof err) != 0)
		fprintf(f->v->ctx->err, "milvusadm: warning: %s\n", err);
	if (f->v->ctx->stop != NULL && *f->v->ctx->stop)
		f->done = 1;
	else
		f->timer = loop_timer_add(f->l, AUDIT_FOLLOW_MS, follow_tick, f);
}

static void
follow_sigint(int signo, void *arg)
{
	(void)signo;
	((struct follow *)arg)->done = 1;
}

int
cmd_audit(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *since = NULL, *profile = NULL, *v;
	struct audit_view view;
	struct out_doc *doc;
	struct follow f;
	bool follow = false, shared = false, missing = false;
	int64_t since_ms = 0, off = 0, d;
	char err[512], *path;
	loop_signal_cb old;
	void *old_arg;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--since", &missing)) != NULL)
			since = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--profile", &missing)) != NULL)
			profile = v;
		else if (strcmp(argv[i], "--follow") == 0)
			follow = true;
		else if (strcmp(argv[i], "--shared") == 0)
			shared = true;
		else
			return cmd_usage(ctx, e);
	}
	if (missing)
		return cmd_usage(ctx, e);
	if (since != NULL) {
		if (time_parse_duration(since, &d) != 0)
			return cmd_error(ctx, CMD_USAGE, "--since '%s' is not a duration (30m, 24h, "
			    "7d)", since);
		since_ms = time_wall_ms() - d;
	}
	/* etcd keeps no order of arrival to follow: a watch would be needed. */
	if (shared && follow)
		return cmd_error(ctx, CMD_USAGE, "--follow reads the local log only: not with "
		    "--shared");
	memset(&view, 0, sizeof view);
	view.ctx = ctx;
	doc = out_doc_new("audit");
	if (shared)
		return audit_shared(ctx, &view, doc, since_ms, profile);
	path = audit_path();
	out_str(out_doc_root(doc), "path", path);
	out_null(out_doc_root(doc), "prefix");
	out_bool(out_doc_root(doc), "shared", false);
	view.tab = out_table(out_doc_root(doc), "records", "audit", audit_cols,
	    sizeof audit_cols / sizeof audit_cols[0]);
	if (audit_read(path, &off, since_ms, profile, each_row, skip_line, &view, err,
	    sizeof err) != 0) {
		out_doc_free(doc);
		free(path);
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	}
	out_int(out_doc_root(doc), "skipped", view.skipped);
	rc = cmd_emit(ctx, doc);
	if (!follow) {
		free(path);
		return rc;
	}
	fflush(ctx->out);
	view.tab = NULL;
	memset(&f, 0, sizeof f);
	f.v = &view;
	f.path = path;
	f.off = off;
	f.since = since_ms;
	f.profile = profile;
	f.l = ctx->loop;
	f.timer = loop_timer_add(ctx->loop, AUDIT_FOLLOW_MS, follow_tick, &f);
	old = loop_signal_get(ctx->loop, SIGINT, &old_arg);
	loop_signal(ctx->loop, SIGINT, follow_sigint, &f);
	(void)loop_run_until(ctx->loop, &f.done, -1);
	loop_signal(ctx->loop, SIGINT, old, old != NULL ? old_arg : NULL);
	loop_timer_cancel(ctx->loop, f.timer);
	free(path);
	return CMD_OK;
}
