/* SPDX-License-Identifier: MIT */
/* `milvusadm restore drill [BACKUP|latest]`: the backup tier's RTO and RPO,
 * measured. It restores into scratch collections (a suffix chosen here; the
 * drill refuses to start when a scratch name exists), loads and verifies them
 * at every level, then drops exactly the scratch collections it created. RTO
 * is the time from the start to verified, loaded, queryable collections; RPO
 * is the backup's age at the start. The report is saved beside the failover
 * drills' (doc/restore-drill-report.schema.json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "milvusadm/backups.h"
#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

struct rd_target {
	char db[260], coll[260], full[520];
	bool dropped;
	char drop_err[256];
};

struct rd {
	struct cmd_ctx *ctx;
	struct bk_session s;
	struct state *st;
	struct milvus_rest *rest;
	struct backup_sel sel;
	struct backup_result *g;	/* the backup's record */
	struct rd_target *t;
	size_t n_t;
	char backup[160], suffix[40], id[64], restore_id[160];
	const char *result, *user_suffix;
	char verdict[512];
	bool keep, restored, verified;
	enum backup_wait_end how;
	struct backup_check_report rep;
	int64_t start_wall, t0, t_restored, t_verified, t_end, rpo_ms, taken_ms;
};

/* The newest usable backup holding every named collection. */
static int
rd_latest(struct rd *d)
{
	struct backup_coll_name *want;
	struct backup_catalog cat;
	char err[512];
	size_t i, n = 0;
	long k;
	int e;

	if (backup_catalog_load(d->ctx->loop, d->s.a, &cat, &e, err, sizeof err) != 0)
		return cmd_error(d->ctx, bk_exit_code(e), "%s", err);
	want = xcalloc(d->sel.n + 1, sizeof *want);
	for (i = 0; i < d->sel.n; i++) {
		if (strcmp(d->sel.v[i].coll, "*") == 0)
			continue;
		want[n].db = d->sel.v[i].db;
		want[n++].coll = d->sel.v[i].coll;
	}
	k = backup_find_fresh(cat.v, cat.n, want, n, time_wall_ms(), INT64_MAX / 2);
	free(want);
	if (k < 0) {
		backup_catalog_release(&cat);
		return cmd_error(d->ctx, CMD_FAILED, "restore drill: no successful backup%s on "
		    "the backup server (milvusadm backup list)", n > 0 ? " holds every named "
		    "collection" : "");
	}
	snprintf(d->backup, sizeof d->backup, "%s", cat.v[k].name);
	backup_catalog_release(&cat);
	return CMD_OK;
}

/* The scratch names: every collection of the backup the selection takes,
 * with the suffix. None may exist: the drill drops what it made, and only
 * that. */
static int
rd_targets(struct rd *d)
{
	const struct cluster *c = state_cluster(d->st);
	const struct backup_brief *b = &d->g->brief;
	struct tm tm;
	time_t now = (time_t)(d->start_wall / 1000);
	size_t i, j;

	gmtime_r(&now, &tm);
	if (d->user_suffix != NULL)
		snprintf(d->suffix, sizeof d->suffix, "%s", d->user_suffix);
	else
		snprintf(d->suffix, sizeof d->suffix, "_rd%04d%02d%02d%02d%02d%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	d->t = xcalloc(b->n_colls + 1, sizeof *d->t);
	for (i = 0; i < b->n_colls; i++) {
		struct rd_target *t = &d->t[d->n_t];

		if (!backup_sel_match(&d->sel, b->colls[i].db, b->colls[i].name))
			continue;
		snprintf(t->db, sizeof t->db, "%s", b->colls[i].db);
		snprintf(t->coll, sizeof t->coll, "%s%s", b->colls[i].name, d->suffix);
		snprintf(t->full, sizeof t->full, "%s.%s", t->db, t->coll);
		d->n_t++;
		for (j = 0; j < c->n_collections; j++) {
			if (strcmp(c->collections[j].db, t->db) == 0 &&
			    strcmp(c->collections[j].name, t->coll) == 0)
				return cmd_error(d->ctx, CMD_REFUSED, "restore drill not started: "
				    "scratch collection '%s' exists; drop it or run the drill "
				    "again in a second", t->full);
		}
	}
	for (i = 0; i < d->sel.n; i++) {
		if (strcmp(d->sel.v[i].coll, "*") != 0 && !backup_holds(b, d->sel.v[i].db,
		    d->sel.v[i].coll))
			return cmd_error(d->ctx, CMD_USAGE, "restore drill: backup '%s' does not "
			    "hold %s.%s", d->backup, d->sel.v[i].db, d->sel.v[i].coll);
	}
	if (d->n_t == 0)
		return cmd_error(d->ctx, CMD_USAGE, "restore drill: backup '%s' holds no "
		    "collection the selection names", d->backup);
	return CMD_OK;
}

static int
rd_restore(struct rd *d)
{
	struct backup_restore_req q;
	struct backup_result *r;
	char title[200];
	int rc;

	memset(&q, 0, sizeof q);
	q.backup_name = d->backup;
	q.collections = d->sel.n > 0 ? (const char *const *)d->sel.specs : NULL;
	q.suffix = d->suffix;
	r = backup_api_restore_sync(d->s.a, &q);
	if (r->err != BACKUP_OK) {
		rc = bk_fail(d->ctx, r);
		snprintf(d->verdict, sizeof d->verdict, "restore not started: %s", r->errmsg);
		backup_result_free(r);
		return rc;
	}
	snprintf(d->restore_id, sizeof d->restore_id, "%s", r->restore.id != NULL ?
	    r->restore.id : r->sent_id);
	backup_result_free(r);
	snprintf(title, sizeof title, "restore drill of %s", d->backup);
	rc = bk_wait(d->ctx, &d->s, BACKUP_WAIT_RESTORE, d->restore_id, title, &d->how);
	d->t_restored = time_mono_ms();
	d->restored = rc == CMD_OK;
	if (!d->restored)
		snprintf(d->verdict, sizeof d->verdict, "restore %s", backup_wait_end_name(d->how));
	return rc;
}

/* Drop each scratch collection that exists now: only names this drill
 * chose and found free before it began. */
static int
rd_cleanup(struct rd *d)
{
	struct milvus_rest_result *res;
	const struct rd_target *first = NULL;
	size_t i, left = 0;

	for (i = 0; i < d->n_t; i++) {
		struct rd_target *t = &d->t[i];

		res = milvus_rest_collection_has_sync(d->rest, t->db, t->coll);
		if (res->err == MREST_OK && !res->has) {
			milvus_rest_result_free(res);
			continue;
		}
		milvus_rest_result_free(res);
		res = milvus_rest_collection_drop_sync(d->rest, t->db, t->coll);
		if (res->err != MREST_OK)
			snprintf(t->drop_err, sizeof t->drop_err, "%s", res->errmsg);
		milvus_rest_result_free(res);
		res = milvus_rest_collection_has_sync(d->rest, t->db, t->coll);
		t->dropped = res->err == MREST_OK && !res->has;
		if (!t->dropped && t->drop_err[0] == '\0')
			snprintf(t->drop_err, sizeof t->drop_err, "still there after the drop%s%.200s",
			    res->err != MREST_OK ? ": " : "", res->err != MREST_OK ? res->errmsg : "");
		milvus_rest_result_free(res);
		if (!t->dropped && left++ == 0)
			first = t;
	}
	if (first != NULL)
		return cmd_error(d->ctx, CMD_FAILED, "restore drill: %zu scratch collections were "
		    "not dropped (first: %s: %s)", left, first->full, first->drop_err);
	return CMD_OK;
}

static void
ms_or_null(struct out_obj *o, const char *key, int64_t v)
{
	v >= 0 ? out_int(o, key, v) : out_null(o, key);
}

static int64_t
rd_rows(const struct rd *d)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < d->rep.n; i++) {
		if (d->rep.v[i].rows.actual < 0 && d->rep.v[i].rows.r != BACKUP_CHECK_SKIPPED)
			return -1;
		n += d->rep.v[i].rows.actual > 0 ? d->rep.v[i].rows.actual : 0;
	}
	return d->verified ? n : -1;
}

/* One line with the two numbers the drill is for. */
static const char *
rd_summary(const struct rd *d, int64_t rto, char *out, size_t len)
{
	char a[32] = "not reached", b[32] = "unknown", r[32] = "-", v[32] = "-", n[32] = "?";
	int64_t rows = rd_rows(d);

	if (rto >= 0)
		time_format_duration(rto, a, sizeof a);
	if (d->rpo_ms >= 0)
		time_format_duration(d->rpo_ms, b, sizeof b);
	if (d->t_restored > 0)
		time_format_duration(d->t_restored - d->t0, r, sizeof r);
	if (d->t_verified > 0 && d->t_restored > 0)
		time_format_duration(d->t_verified - d->t_restored, v, sizeof v);
	if (rows >= 0)
		snprintf(n, sizeof n, "%lld", (long long)rows);
	snprintf(out, len, "%s: RTO %s (restore %s, load and verify %s), RPO %s, %s rows in "
	    "%zu collections", d->result, a, r, v, b, n, d->n_t);
	return out;
}

static struct out_doc *
rd_doc(struct rd *d)
{
	static const struct out_col cols[] = {
		{ "collection", "SCRATCH", OCOL_STR },
		{ "dropped", "DROPPED", OCOL_BOOL },
		{ "error", "ERROR", OCOL_STR },
	};
	struct out_doc *doc = out_doc_new("restore-drill-report");
	struct out_obj *root = out_doc_root(doc), *ph, *row;
	struct out_tab *tab;
	int64_t rto = d->result != NULL && strcmp(d->result, "pass") == 0 ?
	    d->t_verified - d->t0 : -1;
	char summary[300];
	size_t i;

	out_str(root, "id", d->id);
	out_str(root, "profile", d->s.p->name);
	out_str(root, "backup", d->backup);
	ms_or_null(root, "backup_taken_ms", d->taken_ms > 0 ? d->taken_ms : -1);
	out_int(root, "started_ms", d->start_wall);
	out_int(root, "ended_ms", d->start_wall + (d->t_end - d->t0));
	out_str(root, "result", d->result);
	out_str(root, "verdict", d->verdict);
	out_str(root, "summary", rd_summary(d, rto, summary, sizeof summary));
	ms_or_null(root, "rto_ms", rto);
	ms_or_null(root, "rpo_ms", d->rpo_ms);
	ms_or_null(root, "rows", rd_rows(d));
	out_str(root, "suffix", d->suffix);
	out_bool(root, "kept", d->keep);
	out_str(root, "restore_id", d->restore_id[0] != '\0' ? d->restore_id : NULL);
	ph = out_obj(root, "phases");
	ms_or_null(ph, "restore_ms", d->t_restored > 0 ? d->t_restored - d->t0 : -1);
	ms_or_null(ph, "load_verify_ms", d->t_verified > 0 && d->t_restored > 0 ?
	    d->t_verified - d->t_restored : -1);
	ms_or_null(ph, "cleanup_ms", d->keep || d->t_verified <= 0 ? -1 :
	    d->t_end - d->t_verified);
	if (d->rep.v != NULL)
		bk_verify_members(out_obj(root, "verify"), &d->rep);
	tab = out_table(root, "scratch", "scratch collections", cols,
	    sizeof cols / sizeof cols[0]);
	for (i = 0; i < d->n_t; i++) {
		row = out_row(tab);
		out_str(row, "collection", d->t[i].full);
		out_bool(row, "dropped", d->t[i].dropped);
		out_str(row, "error", d->t[i].drop_err[0] != '\0' ? d->t[i].drop_err : NULL);
	}
	return doc;
}

static void
rd_markdown(const struct rd *d, const struct out_doc *doc, struct buf *b)
{
	char rto[32] = "not reached", rpo[32] = "unknown", when[40];
	FILE *f;
	char *text = NULL;
	size_t len = 0;

	if (strcmp(d->result, "pass") == 0)
		time_format_duration(d->t_verified - d->t0, rto, sizeof rto);
	if (d->rpo_ms >= 0)
		time_format_duration(d->rpo_ms, rpo, sizeof rpo);
	time_format_rfc3339(d->start_wall, when, sizeof when);
	buf_printf(b, "# Restore drill %s\n\n", d->id);
	buf_printf(b, "- profile: %s\n- backup: %s\n- started: %s\n- result: **%s** (%s)\n",
	    d->s.p->name, d->backup, when, d->result, d->verdict);
	buf_printf(b, "- RTO (start to verified, loaded, queryable): **%s**\n", rto);
	buf_printf(b, "- RPO (the backup's age at the start): **%s**\n\n", rpo);
	buf_adds(b, "```\n");
	if ((f = open_memstream(&text, &len)) != NULL) {
		out_doc_render(doc, f, OUT_TABLE, false);
		fclose(f);
		buf_add(b, text, len);
		free(text);
	}
	buf_adds(b, "```\n");
}

static void
rd_save(struct rd *d, const struct out_doc *doc)
{
	struct buf md = BUF_INIT;
	char *json = NULL, err[512];
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&json, &len)) == NULL)
		return;
	out_doc_render(doc, f, OUT_JSON, false);
	fclose(f);
	rd_markdown(d, doc, &md);
	if (restore_drill_save(d->id, json, len, md.data, md.len, err, sizeof err) != 0)
		bk_warn(d->ctx, "report not saved: %s", err);
	free(json);
	buf_release(&md);
}

static int
rd_parse(struct rd *d, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *v, *colls = NULL, *name = NULL;
	bool missing = false;
	char err[256];
	int i;

	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--collections", &missing)) != NULL)
			colls = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--suffix", &missing)) != NULL)
			d->user_suffix = v;
		else if (strcmp(argv[i], "--keep") == 0)
			d->keep = true;
		else if (missing || argv[i][0] == '-' || name != NULL)
			return cmd_usage(d->ctx, e);
		else
			name = argv[i];
	}
	snprintf(d->backup, sizeof d->backup, "%s", name != NULL ? name : "latest");
	if (d->user_suffix != NULL && backup_suffix_check(d->user_suffix, err, sizeof err) != 0)
		return cmd_error(d->ctx, CMD_USAGE, "--suffix: %s", err);
	if (colls != NULL && backup_sel_parse(colls, &d->sel, err, sizeof err) != 0)
		return cmd_error(d->ctx, CMD_USAGE, "--collections: %s", err);
	return CMD_OK;
}

/* The first level that did not pass, named: what an operator reads first. */
static void
rd_verdict(struct rd *d)
{
	const struct backup_verdict *v = NULL;
	const char *level = NULL, *coll = "the backup";
	size_t i;

	if (d->rep.top.r != BACKUP_CHECK_PASS) {
		v = &d->rep.top;
		level = "meta";
	}
	for (i = 0; v == NULL && i < d->rep.n; i++) {
		const struct backup_verify_coll *c = &d->rep.v[i];

		coll = c->source;
		if (c->meta.r == BACKUP_CHECK_FAIL || c->meta.r == BACKUP_CHECK_UNVERIFIED)
			v = &c->meta, level = "meta";
		else if (c->rows.r == BACKUP_CHECK_FAIL || c->rows.r == BACKUP_CHECK_UNVERIFIED)
			v = &c->rows, level = "rows";
		else if (c->sample.r == BACKUP_CHECK_FAIL ||
		    c->sample.r == BACKUP_CHECK_UNVERIFIED)
			v = &c->sample, level = "sample";
	}
	snprintf(d->verdict, sizeof d->verdict, "verification %s: %.200s %s %s: %.200s",
	    d->rep.worst == BACKUP_CHECK_FAIL ? "failed" : "incomplete", coll,
	    level != NULL ? level : "?", v != NULL ? backup_check_name(v->r) : "?",
	    v != NULL ? v->detail : "");
}

static void
rd_run(struct rd *d, int *rc)
{
	struct backup_check_opts o;
	char err[512];
	int64_t when;

	if (strcmp(d->backup, "latest") == 0 && (*rc = rd_latest(d)) != CMD_OK)
		return;
	d->g = backup_api_get_sync(d->s.a, d->backup);
	if (d->g->err != BACKUP_OK) {
		*rc = bk_fail(d->ctx, d->g);
		return;
	}
	if (!backup_usable(&d->g->brief) && d->g->brief.state != BACKUP_TASK_INITIAL) {
		*rc = cmd_error(d->ctx, CMD_FAILED, "restore drill: backup '%s' is %s", d->backup,
		    backup_task_state_name(d->g->brief.state));
		return;
	}
	when = backup_when_ms(&d->g->brief);
	d->taken_ms = when;
	d->rpo_ms = when > 0 ? (d->start_wall > when ? d->start_wall - when : 0) : -1;
	if ((*rc = bk_cluster_names(d->ctx, d->s.p, &d->st)) != CMD_OK)
		return;
	if ((d->rest = state_rest(d->st, err, sizeof err)) == NULL) {
		*rc = cmd_error(d->ctx, CMD_UNREACHABLE, "restore drill: %s", err);
		return;
	}
	if ((*rc = rd_targets(d)) != CMD_OK) {
		d->n_t = 0;	/* nothing was made: nothing to drop */
		return;
	}
	restore_drill_id(d->start_wall, d->id, sizeof d->id);
	d->result = "fail";
	if ((*rc = rd_restore(d)) == CMD_OK) {
		memset(&o, 0, sizeof o);
		o.storage_path = d->s.p->backup_storage_path;
		o.profile = d->s.p->name;
		o.targets = true;
		o.sel = &d->sel;
		o.suffix = d->suffix;
		o.load = true;
		o.load_timeout_ms = d->s.p->backup_load_timeout_ms;
		backup_check_run(d->ctx->loop, d->rest, &d->g->brief, &o, &d->rep);
		d->t_verified = time_mono_ms();
		d->verified = true;
		if (d->rep.worst == BACKUP_CHECK_PASS) {
			d->result = "pass";
			snprintf(d->verdict, sizeof d->verdict, "restored, loaded and verified at "
			    "every level");
		} else {
			rd_verdict(d);
			*rc = bk_verify_exit(d->ctx, d->backup, &d->rep);
		}
	}
	/* Stopped by the operator, the restore runs on in the server and would
	 * create collections after a drop: leave them, named in the report. */
	if (!d->restored && d->how == BACKUP_WAIT_STOPPED) {
		snprintf(d->verdict, sizeof d->verdict, "stopped: the restore runs on; drop the "
		    "scratch collections (suffix %s) once it has ended", d->suffix);
		bk_warn(d->ctx, "the restore runs on: drop the collections named *%s once it "
		    "has ended", d->suffix);
	} else if (!d->keep) {
		int crc = rd_cleanup(d);

		if (crc != CMD_OK) {
			*rc = crc;
			d->result = "fail";
			snprintf(d->verdict, sizeof d->verdict, "scratch collections left behind");
		}
	}
	d->t_end = time_mono_ms();
}

int
cmd_restore_drill(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct out_doc *doc;
	struct rd d;
	int rc;

	memset(&d, 0, sizeof d);
	d.ctx = ctx;
	d.rpo_ms = -1;
	if ((rc = rd_parse(&d, argc, argv)) != CMD_OK) {
		backup_sel_release(&d.sel);
		return rc;
	}
	if ((rc = bk_session_open(ctx, &d.s)) != CMD_OK) {
		backup_sel_release(&d.sel);
		return rc;
	}
	d.start_wall = time_wall_ms();
	d.t0 = time_mono_ms();
	rd_run(&d, &rc);
	/* A report exists once a scratch name was chosen: from then on
	 * something may have been made. */
	if (d.id[0] != '\0') {
		doc = rd_doc(&d);
		rd_save(&d, doc);
		(void)cmd_emit(ctx, doc);
	}
	backup_check_release(&d.rep);
	backup_result_free(d.g);
	free(d.t);
	state_free(d.st);
	bk_session_close(&d.s);
	backup_sel_release(&d.sel);
	return rc;
}

static const struct out_col hist_cols[] = {
	{ "id", "ID", OCOL_STR },
	{ "started_ms", "STARTED", OCOL_TIME_MS },
	{ "backup", "BACKUP", OCOL_STR },
	{ "result", "RESULT", OCOL_STR },
	{ "rto_ms", "RTO", OCOL_DURATION_MS },
	{ "rpo_ms", "RPO", OCOL_DURATION_MS },
	{ "rows", "ROWS", OCOL_INT },
	{ "verdict", "VERDICT", OCOL_STR },
};

static void
hist_skip(const char *why, void *arg)
{
	bk_warn(arg, "%s", why);
}

int
cmd_restore_drill_history(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct restore_drill_brief *v;
	struct bk_session s;
	struct out_tab *tab;
	struct out_obj *row;
	struct out_doc *doc;
	size_t n, i;
	long max = 20;
	char *end;
	int rc;

	if (argc == 3 && strcmp(argv[1], "-n") == 0) {
		max = strtol(argv[2], &end, 10);
		if (*end != '\0' || max < 1 || max > 100000)
			return cmd_error(ctx, CMD_USAGE, "-n: a count from 1 to 100000");
	} else if (argc != 1)
		return cmd_usage(ctx, e);
	if ((rc = bk_session_profile(ctx, &s)) != CMD_OK)
		return rc;
	v = restore_drill_history(s.p->name, (size_t)max, &n, hist_skip, ctx);
	doc = out_doc_new("restore-drill-history");
	out_str(out_doc_root(doc), "profile", s.p->name);
	tab = out_table(out_doc_root(doc), "drills", "restore drills", hist_cols,
	    sizeof hist_cols / sizeof hist_cols[0]);
	for (i = 0; i < n; i++) {
		row = out_row(tab);
		out_str(row, "id", v[i].id);
		out_int(row, "started_ms", v[i].started_ms);
		out_str(row, "backup", v[i].backup);
		out_str(row, "result", v[i].passed ? "pass" : "fail");
		ms_or_null(row, "rto_ms", v[i].rto_ms);
		ms_or_null(row, "rpo_ms", v[i].rpo_ms);
		ms_or_null(row, "rows", v[i].rows);
		out_str(row, "verdict", v[i].verdict);
	}
	restore_drill_history_free(v, n);
	rc = cmd_emit(ctx, doc);
	bk_session_close(&s);
	return rc;
}
