/* SPDX-License-Identifier: MIT */
/* `ha check` (the no-single-point-of-failure checklist, exit 5 when an item
 * fails) and `ha estimate` (expected failover time, phase by phase). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/ha.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-alerts.h"
#include "cmd-cluster.h"
#include "cmd-gather.h"
#include "cmd-handlers.h"

static const struct out_col item_cols[] = {
	{ "status", "STATUS", OCOL_STR },
	{ "object", "OBJECT", OCOL_STR },
	{ "title", "CHECK", OCOL_STR },
	{ "reason", "REASON", OCOL_STR },
	{ "fix", "FIX", OCOL_STR },
};

/*
 * The backup tier's item: every collection's newest backup within the RPO
 * target. A failed source is a warning that says why (never a pass), as for
 * the other items. A breach is a warning too: this checklist's verdict (and
 * exit 5) is about the service's single points of failure; the data's
 * recovery point has its own check, `rpo`, which exits 5 on a breach.
 */
static void
ha_rpo_item(struct ha_report *r, const struct cmd_rpo *rpo, const struct alerts *a)
{
	const struct alert *al;
	struct ha_item *it;

	r->items = xreallocarray(r->items, r->n_items + 1, sizeof *r->items);
	it = &r->items[r->n_items++];
	memset(it, 0, sizeof *it);
	it->id = xstrdup("backup.rpo");
	it->object = xstrdup("backups");
	it->title = xstrdup("every collection has a backup within the RPO target");
	it->status = rpo->verdict == 0 ? HA_CHECK_PASS : HA_CHECK_WARN;
	it->reason = xstrdup(rpo->line);
	if ((al = alerts_find(a, "rpo-breached", NULL)) != NULL ||
	    (al = alerts_find(a, "rpo-unknown", NULL)) != NULL)
		it->fix = xstrdup(al->fix);
	else if (rpo->verdict == 2 && !rpo->configured)
		it->fix = xstrdup("set backup.url in the profile to a milvus-backup server");
	if (rpo->verdict == 0)
		r->n_pass++;
	else
		r->n_warn++;
}

int
cmd_ha_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct cmd_rpo rpo;
	struct alerts *a;
	struct ha_report *r;
	struct state *st;
	struct cluster *c;
	struct out_doc *d;
	struct out_obj *root, *row;
	struct out_tab *t;
	size_t i;
	int rc = CMD_OK;

	if (argc != 1)
		return cmd_usage(ctx, e);
	/* A source that fails turns its items into warnings that say why. */
	if ((st = cmd_cluster_gather_all(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	cmd_rpo_read(ctx, c, &rpo);
	a = cmd_alerts(c, &rpo);
	r = ha_check_alerts(c, a);
	ha_rpo_item(r, &rpo, a);

	d = out_doc_new("ha-check");
	root = out_doc_root(d);
	out_str(root, "verdict", ha_verdict_name(r->n_fail > 0 ? HA_CHECK_FAIL :
	    r->n_warn > 0 ? HA_CHECK_WARN : HA_CHECK_PASS));
	out_int(root, "passed", (int64_t)r->n_pass);
	out_int(root, "warnings", (int64_t)r->n_warn);
	out_int(root, "failures", (int64_t)r->n_fail);
	t = out_table(root, "items", "checks", item_cols,
	    sizeof item_cols / sizeof item_cols[0]);
	for (i = 0; i < r->n_items; i++) {
		row = out_row(t);
		out_str(row, "id", r->items[i].id);
		out_str(row, "object", r->items[i].object);
		out_str(row, "title", r->items[i].title);
		out_str(row, "status", ha_verdict_name(r->items[i].status));
		out_str(row, "reason", r->items[i].reason);
		out_str(row, "fix", r->items[i].fix);
	}
	/* In a pipe the checklist stays one TSV line per item (no table
	 * name in front), as scripts read it; the list is in JSON and on a
	 * terminal. */
	cmd_alerts_out(root, a, ctx->format != OUT_TSV);
	rc = cmd_emit(ctx, d);
	if (r->n_fail > 0)
		rc = CMD_MISSED;
	ha_report_free(r);
	alerts_free(a);
	state_free(st);
	return rc;
}

static const struct out_col line_cols[] = {
	{ "settings", "SETTINGS", OCOL_STR },
	{ "fault", "FAULT", OCOL_STR },
	{ "detection_ms", "DETECTION", OCOL_DURATION_MS },
	{ "election_ms", "ELECTION", OCOL_DURATION_MS },
	{ "recovery_ms", "RECOVERY", OCOL_DURATION_MS },
	{ "total_ms", "RTO", OCOL_DURATION_MS },
};

static const struct out_col phase_cols[] = {
	{ "settings", "SETTINGS", OCOL_STR },
	{ "fault", "FAULT", OCOL_STR },
	{ "phase", "PHASE", OCOL_STR },
	{ "ms", "TIME", OCOL_DURATION_MS },
	{ "basis", "BASIS", OCOL_STR },
};

static void
estimate_doc(struct out_doc *d, const struct ha_estimate_in *in, const struct ha_estimate *e)
{
	struct out_obj *root = out_doc_root(d), *row, *p;
	struct out_tab *t;
	size_t i, j;

	out_str(root, "milvus_version", in->milvus_version);
	out_int(root, "session_ttl_s", e->ttl_s);
	out_bool(root, "ttl_assumed", e->ttl_assumed);
	out_bool(root, "standby", in->standby);
	if (in->have_probe) {
		p = out_obj(root, "liveness_probe");
		out_int(p, "period_s", in->liveness.period_s > 0 ? in->liveness.period_s : 10);
		out_int(p, "failure_threshold", in->liveness.failure_threshold > 0 ?
		    in->liveness.failure_threshold : 3);
		out_int(p, "timeout_s", in->liveness.timeout_s > 0 ? in->liveness.timeout_s : 1);
	} else
		out_null(root, "liveness_probe");
	t = out_table(root, "lines", "expected RTO", line_cols,
	    sizeof line_cols / sizeof line_cols[0]);
	for (i = 0; i < e->n_lines; i++) {
		const struct ha_rto *l = &e->lines[i];

		row = out_row(t);
		out_str(row, "settings", l->settings);
		out_str(row, "fault", l->fault);
		out_int(row, "detection_ms", l->phase[HA_PHASE_DETECT].ms);
		out_int(row, "election_ms", l->phase[HA_PHASE_ELECT].ms);
		out_int(row, "recovery_ms", l->phase[HA_PHASE_RECOVER].ms);
		out_int(row, "total_ms", l->total_ms);
	}
	t = out_table(root, "phases", "phases", phase_cols,
	    sizeof phase_cols / sizeof phase_cols[0]);
	for (i = 0; i < e->n_lines; i++) {
		for (j = 0; j < HA_PHASES; j++) {
			row = out_row(t);
			out_str(row, "settings", e->lines[i].settings);
			out_str(row, "fault", e->lines[i].fault);
			out_str(row, "phase", e->lines[i].phase[j].name);
			out_int(row, "ms", e->lines[i].phase[j].ms);
			out_str(row, "basis", e->lines[i].phase[j].basis);
		}
	}
	out_strv(root, "assumptions", (const char *const *)e->assumptions, e->n_assumptions);
}

/* --name VALUE or --name=VALUE at argv[*i]; NULL when argv[*i] is not it. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

int
cmd_ha_estimate(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct ha_estimate_in in;
	struct ha_estimate *est;
	struct state *st;
	struct out_doc *d;
	const char *v;
	int64_t ttl = -1, n;
	struct ha_probe probe = { 0, 0, 0 };
	bool have_probe = false;
	int64_t init_ms = 0, retry_ms = 0;
	int i, rc = CMD_OK;

	for (i = 1; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, "--ttl")) != NULL) {
			if (gather_parse_count(v, &ttl) == -1 || ttl < 1)
				return cmd_error(ctx, CMD_USAGE, "ttl '%s' is not a number of "
				    "seconds", v);
		} else if ((v = opt_value(argc, argv, &i, "--probe-period")) != NULL) {
			if (gather_parse_count(v, &n) == -1 || n < 1)
				return cmd_error(ctx, CMD_USAGE, "probe period '%s' is not a "
				    "number of seconds", v);
			probe.period_s = n;
			have_probe = true;
		} else if ((v = opt_value(argc, argv, &i, "--probe-failures")) != NULL) {
			if (gather_parse_count(v, &n) == -1 || n < 1)
				return cmd_error(ctx, CMD_USAGE, "failure threshold '%s' is "
				    "not a count", v);
			probe.failure_threshold = n;
			have_probe = true;
		} else if ((v = opt_value(argc, argv, &i, "--probe-timeout")) != NULL) {
			if (gather_parse_count(v, &n) == -1 || n < 1)
				return cmd_error(ctx, CMD_USAGE, "probe timeout '%s' is not a "
				    "number of seconds", v);
			probe.timeout_s = n;
			have_probe = true;
		} else if ((v = opt_value(argc, argv, &i, "--init")) != NULL) {
			if (time_parse_duration(v, &init_ms) == -1 || init_ms < 1)
				return cmd_error(ctx, CMD_USAGE, "init '%s' is not a duration", v);
		} else if ((v = opt_value(argc, argv, &i, "--retry")) != NULL) {
			if (time_parse_duration(v, &retry_ms) == -1 || retry_ms < 1)
				return cmd_error(ctx, CMD_USAGE, "retry '%s' is not a duration", v);
		} else
			return cmd_usage(ctx, e);
	}
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	if ((rc = cmd_cluster_sessions(ctx, st)) != CMD_OK) {
		state_free(st);
		return rc;
	}
	ha_estimate_input(state_cluster(st), &in);
	if (ttl > 0)
		in.session_ttl_s = ttl;
	in.have_probe = have_probe;
	in.liveness = probe;
	in.init_ms = init_ms;
	in.retry_ms = retry_ms;
	est = ha_estimate(&in);
	d = out_doc_new("ha-estimate");
	estimate_doc(d, &in, est);
	rc = cmd_emit(ctx, d);
	ha_estimate_free(est);
	state_free(st);
	return rc;
}
