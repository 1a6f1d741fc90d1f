/* SPDX-License-Identifier: MIT */
/* `milvusadm drill run|plan|history|show`: failover drills with measured
 * phases, RTO verdicts and saved reports. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/drill.h"
#include "milvusadm/fault.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/loop.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-cluster.h"
#include "cmd-drill.h"
#include "cmd-handlers.h"

#define DRILL_MAX_OPTS		16
#define DRILL_HISTORY_MAX	1000

struct drill_args {
	struct drill_opts o;
	const char *confirm;
	const char *options[DRILL_MAX_OPTS + 1];
	size_t n_options;
	const char *target_filter;	/* history --target */
	bool markdown;			/* show --markdown */
	const char *pos;		/* TARGET or ID */
};

static int
parse_duration_opt(struct cmd_ctx *ctx, const char *name, const char *v, int64_t *ms)
{
	if (time_parse_duration(v, ms) == -1 || *ms <= 0)
		return cmd_error(ctx, CMD_USAGE, "%s '%s' is not a duration", name, v);
	return CMD_OK;
}

static int
parse_int_opt(struct cmd_ctx *ctx, const char *name, const char *v, int lo, int hi, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < lo || n > hi)
		return cmd_error(ctx, CMD_USAGE, "%s '%s' is not a number from %d to %d", name, v,
		    lo, hi);
	*out = (int)n;
	return CMD_OK;
}

/* Which verb parses: an option another verb takes is a usage error here,
 * not silently ignored (`drill history --rto 1s` would mislead). */
enum {
	V_RUN = 1, V_PLAN = 2, V_HISTORY = 4, V_SHOW = 8,
	V_DRILL = V_RUN | V_PLAN,
};

static int
drill_parse(struct cmd_ctx *ctx, int argc, char **argv, unsigned verb, struct drill_args *a)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *v, *opt;
	bool missing = false;
	unsigned takes;
	int i, rc;

	memset(a, 0, sizeof *a);
	for (i = 1; i < argc; i++) {
		opt = argv[i];
		takes = V_DRILL;
		if ((v = cmd_opt_value(argc, argv, &i, "--confirm", &missing)) != NULL) {
			takes = V_RUN;
			a->confirm = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--backend", &missing)) != NULL)
			a->o.backend = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--option", &missing)) != NULL) {
			if (strchr(v, '=') == NULL || a->n_options == DRILL_MAX_OPTS)
				return cmd_error(ctx, CMD_USAGE, "option '%s' is not KEY=VALUE", v);
			a->options[a->n_options++] = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--signal", &missing)) != NULL) {
			if (a->n_options == DRILL_MAX_OPTS)
				return cmd_usage(ctx, e);
			a->options[a->n_options++] = strcmp(v, "TERM") == 0 ||
			    strcmp(v, "SIGTERM") == 0 ? "signal=TERM" : strcmp(v, "KILL") == 0 ||
			    strcmp(v, "SIGKILL") == 0 ? "signal=KILL" : NULL;
			if (a->options[a->n_options - 1] == NULL)
				return cmd_error(ctx, CMD_USAGE, "signal '%s' is not KILL or TERM", v);
		} else if ((v = cmd_opt_value(argc, argv, &i, "--rto", &missing)) != NULL) {
			if ((rc = parse_duration_opt(ctx, "rto", v, &a->o.rto_target_ms)) != CMD_OK)
				return rc;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--timeout", &missing)) != NULL) {
			if ((rc = parse_duration_opt(ctx, "timeout", v, &a->o.timeout_ms)) != CMD_OK)
				return rc;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--phase-timeout", &missing)) !=
		    NULL) {
			if ((rc = parse_duration_opt(ctx, "phase timeout", v,
			    &a->o.phase_timeout_ms)) != CMD_OK)
				return rc;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--rate", &missing)) != NULL) {
			if ((rc = parse_int_opt(ctx, "rate", v, 1, 50, &a->o.probe_rate)) != CMD_OK)
				return rc;
		} else if ((v = cmd_opt_value(argc, argv, &i, "-k", &missing)) != NULL) {
			if ((rc = parse_int_opt(ctx, "k", v, 1, 100, &a->o.recover_k)) != CMD_OK)
				return rc;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--collection", &missing)) != NULL)
			a->o.collection = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--insert-into", &missing)) != NULL)
			a->o.insert_into = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--target", &missing)) != NULL) {
			takes = V_HISTORY;
			a->target_filter = v;
		} else if (strcmp(argv[i], "--markdown") == 0) {
			takes = V_SHOW;
			a->markdown = true;
		} else if (missing || argv[i][0] == '-' || a->pos != NULL)
			return cmd_usage(ctx, e);
		else {
			takes = V_RUN | V_PLAN | V_SHOW;
			a->pos = argv[i];
		}
		if (missing)
			return cmd_usage(ctx, e);
		if ((takes & verb) == 0) {
			if (opt[0] != '-')
				return cmd_usage(ctx, e);
			return cmd_error(ctx, CMD_USAGE, "option '%s' does not apply to '%s'", opt,
			    e->name);
		}
	}
	if (a->o.backend != NULL && fault_backend_find(a->o.backend) == NULL)
		return cmd_error(ctx, CMD_USAGE, "backend '%s' is not one of etcd-lease, stop, "
		    "lab, k8s, docker, exec", a->o.backend);
	/* A malformed target is a usage error before anything is contacted. */
	if ((verb & V_DRILL) && a->pos != NULL) {
		char err[256];

		if (drill_target_check(a->pos, err, sizeof err) == -1)
			return cmd_error(ctx, CMD_USAGE, "drill %s", err);
	}
	a->options[a->n_options] = NULL;
	a->o.backend_options = a->options;
	a->o.target = a->pos;
	return CMD_OK;
}

/* drill_new's refusal or failure: one line, and the exit code its kind means. */
static int
drill_new_error(struct cmd_ctx *ctx, const char *target, enum drill_why why,
    const char *failed, const char *err)
{
	switch (why) {
	case DRILL_WHY_REFUSED:
		return cmd_error(ctx, CMD_REFUSED, "drill '%s' refused in precheck: %s", target,
		    err);
	case DRILL_WHY_USAGE:
		return cmd_error(ctx, CMD_USAGE, "drill '%s': %s", target, err);
	case DRILL_WHY_UNREACHABLE:
		return cmd_error(ctx, CMD_UNREACHABLE, "drill '%s' %s: %s", target, failed, err);
	case DRILL_WHY_FAILED:
		break;
	}
	return cmd_error(ctx, CMD_FAILED, "drill '%s' %s: %s", target, failed, err);
}

/* The profile and a gatherer for it; NULL after reporting (*rc set). */
static struct state *
drill_open(struct cmd_ctx *ctx, struct config **cfg, const struct profile **p, int *rc)
{
	struct state *st;
	char err[512];

	*cfg = config_load(NULL, err, sizeof err);
	if (*cfg == NULL) {
		*rc = cmd_error(ctx, CMD_FAILED, "%s", err);
		return NULL;
	}
	*p = config_profile(*cfg, ctx->profile);
	if (*p == NULL) {
		*rc = cmd_error(ctx, CMD_UNREACHABLE, "no profile '%s'", ctx->profile != NULL ?
		    ctx->profile : "(default)");
		config_free(*cfg);
		return NULL;
	}
	st = state_new(ctx->loop, *p, err, sizeof err);
	if (st == NULL) {
		*rc = cmd_error(ctx, CMD_FAILED, "%s", err);
		config_free(*cfg);
	}
	return st;
}

/* ---- drill plan ---- */

static const struct out_col plan_cols[] = {
	{ "step", "STEP", OCOL_STR },
	{ "action", "ACTION", OCOL_STR },
};

int
cmd_drill_plan(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct drill_args a;
	struct config *cfg;
	const struct profile *p;
	struct state *st;
	struct drill *d;
	struct out_doc *doc;
	struct out_obj *root, *row;
	struct out_tab *t;
	struct buf b = BUF_INIT;
	char err[512], *line, *next, *colon;
	enum drill_why why;
	int rc = CMD_OK;

	if ((rc = drill_parse(ctx, argc, argv, V_PLAN, &a)) != CMD_OK)
		return rc;
	if (a.pos == NULL)
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	if ((st = drill_open(ctx, &cfg, &p, &rc)) == NULL)
		return rc;
	d = drill_new(ctx->loop, st, p, &a.o, &why, err, sizeof err);
	if (d == NULL) {
		rc = drill_new_error(ctx, a.pos, why, "cannot be planned", err);
		goto out;
	}
	drill_plan(d, &b);
	doc = out_doc_new("drill-plan");
	root = out_doc_root(doc);
	out_str(root, "target", a.pos);
	out_str(root, "backend", drill_report(d)->backend);
	out_str(root, "signal", drill_report(d)->signal);
	t = out_table(root, "steps", "plan", plan_cols, sizeof plan_cols / sizeof plan_cols[0]);
	for (line = b.data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		colon = strstr(line, ": ");
		row = out_row(t);
		if (colon != NULL) {
			*colon = '\0';
			out_str(row, "step", line);
			out_str(row, "action", colon + 2);
		} else {
			out_str(row, "step", "");
			out_str(row, "action", line);
		}
	}
	buf_release(&b);
	rc = cmd_emit(ctx, doc);
	drill_free(d);
out:
	state_free(st);
	config_free(cfg);
	return rc;
}

/* ---- drill run ---- */

struct drill_wait {
	int done;
	struct drill *d;
};

static void
drill_done(void *arg)
{
	((struct drill_wait *)arg)->done = 1;
}

static void
drill_sigint(int signo, void *arg)
{
	struct drill_wait *w = arg;

	drill_abort(w->d);
}

/* The Markdown form with every line escaped: host names, versions, notes and
 * errors come from the cluster and must not drive the terminal (DESIGN §6). */
static void
drill_markdown(const struct drill_report *r, struct buf *out)
{
	struct buf md = BUF_INIT;
	char *line, *next, *e;

	drill_report_markdown(r, &md);
	buf_adds(out, "");
	for (line = md.data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		e = out_escape(line);
		buf_adds(out, e);
		buf_addc(out, '\n');
		free(e);
	}
	buf_release(&md);
}

/* The report as JSON and Markdown, each file replaced whole (a crash or a
 * full disk never leaves half a report for `drill history` to trip on). */
static void
drill_save(struct cmd_ctx *ctx, const struct drill_report *r)
{
	char *dir = drill_dir(true), *path, err[512];
	struct out_doc *doc;
	struct buf b = BUF_INIT;
	FILE *f;
	char *data = NULL;
	size_t len = 0;

	path = xasprintf("%s/%s.json", dir, r->id);
	if ((f = open_memstream(&data, &len)) != NULL) {
		doc = drill_report_doc(r);
		out_doc_render(doc, f, OUT_JSON, false);
		out_doc_free(doc);
		fclose(f);
		if (fs_write_atomic(path, data, len, err, sizeof err) == -1)
			fprintf(ctx->err, "milvusadm: %s\n", err);
		free(data);
	}
	free(path);
	path = xasprintf("%s/%s.md", dir, r->id);
	drill_markdown(r, &b);
	if (fs_write_atomic(path, b.data != NULL ? b.data : "", b.len, err, sizeof err) == -1)
		fprintf(ctx->err, "milvusadm: %s\n", err);
	buf_release(&b);
	free(path);
	free(dir);
}

static int
drill_exit_code(const struct drill_report *r)
{
	switch (r->fsm.verdict) {
	case DRILL_MET:
		return CMD_OK;
	case DRILL_MISSED:
		return CMD_MISSED;
	case DRILL_FAILED:
		/* A fault that could not be injected measured nothing. */
		return r->fsm.stalled == DRILL_INJECT ? CMD_FAILED : CMD_MISSED;
	default:
		return CMD_FAILED;
	}
}

/* What the precheck resolved, for the guard's question: "rootcoord 15 at
 * 10.0.3.7:53100 (milvus-rootcoord-6c9...); backend k8s sends SIGKILL". */
static void
drill_guard_detail(const struct drill_report *r, char *out, size_t len)
{
	if (r->etcd_member != NULL)
		snprintf(out, len, "etcd member '%.100s' at %.200s%s; backend %s sends %s",
		    r->etcd_member, r->address != NULL ? r->address : "?",
		    r->etcd_was_leader ? ", the leader" : "", r->backend, r->signal);
	else
		snprintf(out, len, "%s %lld at %.200s (%.150s); backend %s sends %s", r->role,
		    (long long)r->server_id, r->address != NULL ? r->address : "?",
		    r->host_name != NULL ? r->host_name : "no host name", r->backend, r->signal);
}

/* The exec backend's command line as it will run, placeholders filled, for
 * the question: the operator confirms the argv, not a template. */
static void
drill_guard_argv(struct drill *d, char *out, size_t len)
{
	struct buf b = BUF_INIT;
	const char *line, *end;
	size_t n = strlen(out);

	if (strcmp(drill_report(d)->backend, "exec") != 0)
		return;
	drill_plan(d, &b);
	if (b.data != NULL && (line = strstr(b.data, "): exec: ")) != NULL) {
		line += strlen("): exec: ");
		end = line + strcspn(line, "\n");
		snprintf(out + n, len - n, "; runs %.*s", (int)(end - line), line);
	}
	buf_release(&b);
}

int
cmd_drill_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct drill_args a;
	struct drill_wait w;
	struct config *cfg;
	const struct profile *p;
	struct drill_report *r;
	struct drill_live *live;
	struct state *st;
	loop_signal_cb old_int;
	void *old_arg;
	struct guard_req g;
	char err[512], detail[700];
	enum drill_why why;
	bool refused;
	int rc;

	if ((rc = drill_parse(ctx, argc, argv, V_RUN, &a)) != CMD_OK)
		return rc;
	if (a.pos == NULL)
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	if ((st = drill_open(ctx, &cfg, &p, &rc)) == NULL)
		return rc;
	memset(&g, 0, sizeof g);
	g.p = p;
	g.action = "inject a real fault into";
	g.name = a.pos;
	snprintf(detail, sizeof detail, "backend %s", a.o.backend != NULL ? a.o.backend :
	    p != NULL && p->drill_backend != NULL ? p->drill_backend : "etcd-lease");
	g.detail = detail;
	g.irreversible = "the process is killed or its session revoked; clients see the "
	    "outage until the standby takes over";
	g.confirm = a.confirm;
	/* --confirm, or nobody to ask: decided before the cluster is touched.
	 * Else the question waits for the precheck, to name what it resolved. */
	if ((a.confirm != NULL || !cmd_can_ask(ctx)) && (rc = cmd_guard(ctx, &g)) != CMD_OK) {
		state_free(st);
		config_free(cfg);
		return rc;
	}
	memset(&w, 0, sizeof w);
	w.d = drill_new(ctx->loop, st, p, &a.o, &why, err, sizeof err);
	if (w.d == NULL) {
		rc = drill_new_error(ctx, a.pos, why, "failed", err);
		goto out;
	}
	if (a.confirm == NULL) {
		drill_guard_detail(drill_report(w.d), detail, sizeof detail);
		drill_guard_argv(w.d, detail, sizeof detail);
		if ((rc = cmd_guard(ctx, &g)) != CMD_OK) {
			drill_free(w.d);
			goto out;
		}
	}
	/* The precheck waited on the loop: in the TUI the operator may have
	 * asked to stop meanwhile, and nothing has been done yet. */
	if (ctx->stop != NULL && *ctx->stop) {
		rc = cmd_error(ctx, CMD_REFUSED, "drill '%s' not run: stopped before the fault",
		    a.pos);
		drill_free(w.d);
		goto out;
	}
	if (drill_start(w.d, drill_done, &w, &refused, err, sizeof err) == -1) {
		rc = cmd_error(ctx, refused ? CMD_REFUSED : CMD_FAILED, "drill '%s' %s: %s",
		    a.pos, refused ? "refused in precheck" : "failed", err);
		drill_free(w.d);
		goto out;
	}
	/* The baseline probes ran the loop too; the fault waits for the loop's
	 * next turn, so a stop asked meanwhile still injects nothing. */
	if (ctx->stop != NULL && *ctx->stop) {
		rc = cmd_error(ctx, CMD_REFUSED, "drill '%s' not run: stopped before the fault",
		    a.pos);
		drill_free(w.d);
		goto out;
	}
	/* Ctrl-C ends the drill with what was measured; the fault stays. The
	 * TUI's own Ctrl-C handler is given back afterwards. */
	old_int = loop_signal_get(ctx->loop, SIGINT, &old_arg);
	loop_signal(ctx->loop, SIGINT, drill_sigint, &w);
	/* Progress goes to stderr, beside the result on stdout, as backups
	 * do; the TUI (ctx->stop set) draws the drill in its own view. */
	live = ctx->stop == NULL ? drill_live_new(ctx->loop, ctx->err,
	    ctx->format == OUT_JSON, w.d) : NULL;
	(void)loop_run_until(ctx->loop, &w.done, -1);
	drill_live_end(live);
	loop_signal(ctx->loop, SIGINT, old_int, old_int != NULL ? old_arg : NULL);
	r = drill_report(w.d);
	drill_save(ctx, r);
	(void)cmd_emit(ctx, drill_report_doc(r));
	/* A person at a terminal gets the saved Markdown summary's words too,
	 * not only the report's fields. */
	if (ctx->out_tty && ctx->format == OUT_TABLE && ctx->stop == NULL) {
		struct buf md = BUF_INIT;

		drill_markdown(r, &md);
		fputc('\n', ctx->out);
		fwrite(md.data != NULL ? md.data : "", 1, md.len, ctx->out);
		buf_release(&md);
	}
	rc = drill_exit_code(r);
	if (rc != CMD_OK)
		cmd_error(ctx, rc, "drill '%s' %s%s%s", r->id, drill_verdict_name(r->fsm.verdict),
		    r->fsm.reason[0] != '\0' ? ": " : "", r->fsm.reason);
	drill_free(w.d);
out:
	state_free(st);
	config_free(cfg);
	return rc;
}

/* ---- drill history / show ---- */

static void
reports_skip(const char *err, void *arg)
{
	fprintf(((struct cmd_ctx *)arg)->err, "milvusadm: skipping %s\n", err);
}

static const struct out_col hist_cols[] = {
	{ "id", "ID", OCOL_STR },
	{ "created_ms", "TIME", OCOL_TIME_MS },
	{ "profile", "PROFILE", OCOL_STR },
	{ "target", "TARGET", OCOL_STR },
	{ "backend", "BACKEND", OCOL_STR },
	{ "rto_ms", "RTO", OCOL_DURATION_MS },
	{ "verdict", "VERDICT", OCOL_STR },
};

static const struct out_col trend_cols[] = {
	{ "target", "TARGET", OCOL_STR },
	{ "backend", "BACKEND", OCOL_STR },
	{ "drills", "DRILLS", OCOL_INT },
	{ "last_rto_ms", "LAST", OCOL_DURATION_MS },
	{ "best_rto_ms", "BEST", OCOL_DURATION_MS },
	{ "worst_rto_ms", "WORST", OCOL_DURATION_MS },
	{ "trend", "TREND", OCOL_STR },
};

/* Per target and backend: RTOs over time and whether the last one beat the
 * one before. */
static void
history_trend(struct out_tab *t, struct drill_report **v, size_t n)
{
	struct out_obj *row;
	int64_t last, prev, best, worst, count;
	size_t i, j;
	bool seen;

	for (i = 0; i < n; i++) {
		seen = false;
		for (j = 0; j < i && !seen; j++)
			seen = drill_trend_same(v[j], v[i]);
		if (seen)
			continue;
		last = prev = best = worst = -1;
		count = 0;
		for (j = i; j < n; j++) {
			int64_t rto = v[j]->fsm.rto_ms;

			if (!drill_trend_same(v[j], v[i]))
				continue;
			count++;
			if (rto < 0)
				continue;
			prev = last;
			last = rto;
			if (best < 0 || rto < best)
				best = rto;
			if (rto > worst)
				worst = rto;
		}
		row = out_row(t);
		out_str(row, "target", v[i]->target);
		out_str(row, "backend", v[i]->backend);
		out_int(row, "drills", count);
		last < 0 ? out_null(row, "last_rto_ms") : out_int(row, "last_rto_ms", last);
		best < 0 ? out_null(row, "best_rto_ms") : out_int(row, "best_rto_ms", best);
		worst < 0 ? out_null(row, "worst_rto_ms") : out_int(row, "worst_rto_ms", worst);
		/* Within 10% is noise on a loaded host. */
		out_str(row, "trend", prev < 0 ? "-" : last * 10 < prev * 9 ? "better" :
		    last * 10 > prev * 11 ? "worse" : "steady");
	}
}

int
cmd_drill_history(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct drill_report **v;
	struct drill_args a;
	struct out_doc *doc;
	struct out_obj *root, *row;
	struct out_tab *t;
	size_t i, n, k = 0;
	int rc;

	if ((rc = drill_parse(ctx, argc, argv, V_HISTORY, &a)) != CMD_OK)
		return rc;
	if (a.pos != NULL)
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	v = drill_history_load(DRILL_HISTORY_MAX, &n, reports_skip, ctx);
	if (a.target_filter != NULL) {
		for (i = 0; i < n; i++) {
			if (strcmp(v[i]->target, a.target_filter) == 0)
				v[k++] = v[i];
			else
				drill_report_free(v[i]);
		}
		n = k;
	}
	doc = out_doc_new("drill-history");
	root = out_doc_root(doc);
	t = out_table(root, "drills", "drills", hist_cols, sizeof hist_cols / sizeof hist_cols[0]);
	for (i = 0; i < n; i++) {
		row = out_row(t);
		out_str(row, "id", v[i]->id);
		out_int(row, "created_ms", v[i]->created_ms);
		out_str(row, "profile", v[i]->profile);
		out_str(row, "target", v[i]->target);
		out_str(row, "backend", v[i]->backend);
		if (v[i]->fsm.rto_ms < 0)
			out_null(row, "rto_ms");
		else
			out_int(row, "rto_ms", v[i]->fsm.rto_ms);
		out_str(row, "verdict", drill_verdict_name(v[i]->fsm.verdict));
	}
	t = out_table(root, "trend", "trend per target and backend", trend_cols,
	    sizeof trend_cols / sizeof trend_cols[0]);
	history_trend(t, v, n);
	drill_history_free(v, n);
	return cmd_emit(ctx, doc);
}

int
cmd_drill_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct drill_report **v, *r = NULL;
	struct drill_args a;
	struct buf md = BUF_INIT;
	size_t i, n, hits = 0;
	int rc;

	if ((rc = drill_parse(ctx, argc, argv, V_SHOW, &a)) != CMD_OK)
		return rc;
	if (a.pos == NULL)
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	v = drill_history_load(DRILL_HISTORY_MAX, &n, reports_skip, ctx);
	/* An exact ID, a unique prefix, or "last". */
	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->id, a.pos) == 0) {
			r = v[i];
			hits = 1;
			break;
		}
		if (strncmp(v[i]->id, a.pos, strlen(a.pos)) == 0) {
			r = v[i];
			hits++;
		}
	}
	if (strcmp(a.pos, "last") == 0 && n > 0) {
		r = v[n - 1];
		hits = 1;
	}
	if (hits != 1) {
		drill_history_free(v, n);
		return cmd_error(ctx, CMD_FAILED, "drill '%s' %s", a.pos, hits == 0 ?
		    "not found" : "is ambiguous");
	}
	if (a.markdown) {
		drill_markdown(r, &md);
		fwrite(md.data, 1, md.len, ctx->out);
		buf_release(&md);
		rc = CMD_OK;
	} else
		rc = cmd_emit(ctx, drill_report_doc(r));
	drill_history_free(v, n);
	return rc;
}
