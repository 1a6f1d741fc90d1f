/* SPDX-License-Identifier: MIT */
/* `milvusadm backup verify NAME`, and what create, restore --verify and the
 * restore drill share: the cluster's REST client opened without noise, the
 * record of a backup's source taken around `backup create --wait`, and the
 * verification report (pass/fail/unverified per level, with numbers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

struct milvus_rest *
bk_rest_open(struct cmd_ctx *ctx, const struct profile *p, struct state **st, char *why,
    size_t whylen)
{
	struct milvus_rest *r;

	/* p is the caller's profile: the config is not read again. */
	*st = state_new(ctx->loop, p, why, whylen);
	if (*st == NULL)
		return NULL;
	/* Without milvus.uri the proxies come from the sessions. */
	if ((p->milvus_uri == NULL || p->milvus_uri[0] == '\0') && state_load_sessions(*st) != 0)
		snprintf(why, whylen, "no milvus.uri and etcd did not answer");
	if ((r = state_rest(*st, why, whylen)) == NULL) {
		state_free(*st);
		*st = NULL;
	}
	return r;
}

void
bk_source_begin(struct cmd_ctx *ctx, const struct profile *p, const struct backup_coll_name *names,
    size_t n, struct bk_source_take *t)
{
	char why[512];

	memset(t, 0, sizeof *t);
	if ((t->rest = bk_rest_open(ctx, p, &t->st, why, sizeof why)) == NULL) {
		bk_warn(ctx, "no record of the source for verification: %s", why);
		return;
	}
	backup_source_begin(t->rest, names, n, (size_t)p->backup_verify_sample, &t->src);
}

void
bk_source_finish(struct cmd_ctx *ctx, const struct profile *p, const char *backup,
    bool success, struct bk_source_take *t)
{
	char err[512];

	if (t->rest != NULL && success) {
		backup_source_finish(t->rest, &t->src);
		t->src.backup = xstrdup(backup);
		t->src.profile = xstrdup(p->name);
		t->src.taken_ms = time_wall_ms();
		if (backup_source_save(&t->src, err, sizeof err) != 0)
			bk_warn(ctx, "no record of the source for verification: %s", err);
	}
	backup_source_release(&t->src);
	state_free(t->st);
	memset(t, 0, sizeof *t);
}

static const struct out_col verify_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "target", "RESTORED AS", OCOL_STR },
	{ "meta", "META", OCOL_STR },
	{ "rows", "ROWS", OCOL_STR },
	{ "sample", "SAMPLE", OCOL_STR },
	{ "detail", "DETAIL", OCOL_STR },
};

static void
verdict_members(struct out_obj *row, const char *key, const struct backup_verdict *v)
{
	char k[64];

	out_str(row, key, backup_check_name(v->r));
	snprintf(k, sizeof k, "%s_expected", key);
	v->expected >= 0 ? out_int(row, k, v->expected) : out_null(row, k);
	snprintf(k, sizeof k, "%s_actual", key);
	v->actual >= 0 ? out_int(row, k, v->actual) : out_null(row, k);
	snprintf(k, sizeof k, "%s_detail", key);
	out_str(row, k, v->r == BACKUP_CHECK_SKIPPED ? NULL : v->detail);
}

/* The detail a terminal shows: the first level that did not pass, else the
 * rows line (it has the numbers). */
static const char *
verdict_detail(const struct backup_verify_coll *c)
{
	if (c->meta.r == BACKUP_CHECK_FAIL || c->meta.r == BACKUP_CHECK_UNVERIFIED)
		return c->meta.detail;
	if (c->rows.r == BACKUP_CHECK_FAIL || c->rows.r == BACKUP_CHECK_UNVERIFIED)
		return c->rows.detail;
	if (c->sample.r == BACKUP_CHECK_FAIL || c->sample.r == BACKUP_CHECK_UNVERIFIED)
		return c->sample.detail;
	return c->rows.r == BACKUP_CHECK_PASS ? c->rows.detail : c->meta.detail;
}

void
bk_verify_members(struct out_obj *o, const struct backup_check_report *r)
{
	struct out_obj *row, *top;
	struct out_tab *tab;
	size_t i;

	out_str(o, "result", backup_check_name(r->worst));
	out_str(o, "metadata", r->meta_from);
	out_str(o, "source_record", r->source_from);
	top = out_obj(o, "backup");
	out_str(top, "meta", backup_check_name(r->top.r));
	out_str(top, "detail", r->top.detail);
	tab = out_table(o, "collections", "verification", verify_cols,
	    sizeof verify_cols / sizeof verify_cols[0]);
	for (i = 0; i < r->n; i++) {
		const struct backup_verify_coll *c = &r->v[i];

		row = out_row(tab);
		out_str(row, "collection", c->source);
		out_str(row, "target", c->target[0] != '\0' ? c->target : NULL);
		verdict_members(row, "meta", &c->meta);
		verdict_members(row, "rows", &c->rows);
		verdict_members(row, "sample", &c->sample);
		out_str(row, "detail", verdict_detail(c));
	}
}

int
bk_verify_exit(struct cmd_ctx *ctx, const char *what, const struct backup_check_report *r)
{
	size_t i, bad = 0;

	if (r->worst == BACKUP_CHECK_PASS)
		return CMD_OK;
	for (i = 0; i < r->n; i++) {
		const struct backup_verify_coll *c = &r->v[i];

		bad += backup_check_worst(backup_check_worst(c->meta.r, c->rows.r),
		    c->sample.r) != BACKUP_CHECK_PASS;
	}
	return cmd_error(ctx, CMD_FAILED, "%s: verification %s: %zu of %zu collections did not "
	    "pass%s%s", what, r->worst == BACKUP_CHECK_FAIL ? "failed" : "incomplete", bad, r->n,
	    r->top.r != BACKUP_CHECK_PASS ? "; backup: " : "",
	    r->top.r != BACKUP_CHECK_PASS ? r->top.detail : "");
}

int
cmd_backup_verify(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *name = NULL, *suffix = NULL, *rename = NULL, *colls = NULL, *v;
	struct backup_check_report rep;
	struct backup_check_opts o;
	struct backup_renames ren;
	struct backup_sel sel;
	struct milvus_rest *rest = NULL;
	struct state *st = NULL;
	struct backup_result *g;
	struct bk_session s;
	struct out_doc *doc;
	bool missing = false;
	char err[512];
	int i, rc;

	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--suffix", &missing)) != NULL)
			suffix = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--rename", &missing)) != NULL)
			rename = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--collections", &missing)) != NULL)
			colls = v;
		else if (missing || argv[i][0] == '-' || name != NULL)
			return cmd_usage(ctx, e);
		else
			name = argv[i];
	}
	if (name == NULL)
		return cmd_usage(ctx, e);
	if (suffix != NULL && rename != NULL)
		return cmd_error(ctx, CMD_USAGE, "--suffix and --rename exclude each other");
	if (colls != NULL && suffix == NULL && rename == NULL)
		return cmd_error(ctx, CMD_USAGE, "--collections names restored collections: give "
		    "--suffix or --rename too");
	if (suffix != NULL && backup_suffix_check(suffix, err, sizeof err) != 0)
		return cmd_error(ctx, CMD_USAGE, "%s", err);
	memset(&sel, 0, sizeof sel);
	memset(&ren, 0, sizeof ren);
	if (colls != NULL && backup_sel_parse(colls, &sel, err, sizeof err) != 0)
		return cmd_error(ctx, CMD_USAGE, "--collections: %s", err);
	if (rename != NULL && backup_renames_parse(rename, &ren, err, sizeof err) != 0) {
		backup_sel_release(&sel);
		return cmd_error(ctx, CMD_USAGE, "--rename: %s", err);
	}
	if ((rc = bk_session_open(ctx, &s)) != CMD_OK)
		goto out_args;
	g = backup_api_get_sync(s.a, name);
	if (g->err != BACKUP_OK) {
		rc = bk_fail(ctx, g);
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.storage_path = s.p->backup_storage_path;
	o.profile = s.p->name;
	/* Without a restored copy named, only the backup itself is checked. */
	o.targets = suffix != NULL || rename != NULL;
	o.sel = &sel;
	o.suffix = suffix;
	o.ren = &ren;
	o.load = true;
	o.load_timeout_ms = s.p->backup_load_timeout_ms;
	if (o.targets && (rest = bk_rest_open(ctx, s.p, &st, err, sizeof err)) == NULL) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "backup verify %s: %s", name, err);
		goto out;
	}
	backup_check_run(ctx->loop, rest, &g->brief, &o, &rep);
	doc = out_doc_new("backup-verify");
	out_str(out_doc_root(doc), "backup", name);
	bk_verify_members(out_doc_root(doc), &rep);
	(void)cmd_emit(ctx, doc);
	rc = bk_verify_exit(ctx, name, &rep);
	backup_check_release(&rep);
out:
	backup_result_free(g);
	state_free(st);
	bk_session_close(&s);
out_args:
	backup_sel_release(&sel);
	backup_renames_release(&ren);
	return rc;
}
