/* SPDX-License-Identifier: MIT */
/* `milvusadm restore BACKUP` and `restore status ID`: restores through the
 * profile's milvus-backup server, with the task id set by this tool so that
 * it can be polled, and a typed confirmation naming what --drop-existing
 * drops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

/* The targets listed in a prompt; past this, a count. */
#define RESTORE_PROMPT_NAMES	20

struct restore_args {
	const char *backup, *collections, *suffix, *rename, *confirm;
	bool rbac, drop, wait, verify;
	struct backup_sel sel;
	struct backup_renames ren;
};

static void
restore_args_release(struct restore_args *a)
{
	backup_sel_release(&a->sel);
	backup_renames_release(&a->ren);
}

static int
restore_parse(struct cmd_ctx *ctx, int argc, char **argv, struct restore_args *a)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *v;
	bool missing = false;
	char err[256];
	int i;

	memset(a, 0, sizeof *a);
	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--collections", &missing)) != NULL)
			a->collections = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--suffix", &missing)) != NULL)
			a->suffix = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--rename", &missing)) != NULL)
			a->rename = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--confirm", &missing)) != NULL)
			a->confirm = v;
		else if (strcmp(argv[i], "--rbac") == 0)
			a->rbac = true;
		else if (strcmp(argv[i], "--drop-existing") == 0)
			a->drop = true;
		else if (strcmp(argv[i], "--wait") == 0)
			a->wait = true;
		else if (strcmp(argv[i], "--verify") == 0)
			a->verify = a->wait = true;	/* a restore is verified once done */
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && a->backup == NULL)
			a->backup = argv[++i];	/* a backup called "st": not "restore status" */
		else if (missing || argv[i][0] == '-' || a->backup != NULL)
			return cmd_usage(ctx, e);
		else
			a->backup = argv[i];
		if (missing)
			return cmd_usage(ctx, e);
	}
	if (a->backup == NULL)
		return cmd_usage(ctx, e);
	if (a->suffix != NULL && a->rename != NULL)
		return cmd_error(ctx, CMD_USAGE, "--suffix and --rename exclude each other");
	if (a->confirm != NULL && !a->drop)
		return cmd_error(ctx, CMD_USAGE, "--confirm is for --drop-existing");
	if (a->suffix != NULL && backup_suffix_check(a->suffix, err, sizeof err) != 0)
		return cmd_error(ctx, CMD_USAGE, "%s", err);
	if (a->collections != NULL && backup_sel_parse(a->collections, &a->sel, err,
	    sizeof err) != 0)
		return cmd_error(ctx, CMD_USAGE, "--collections: %s", err);
	if (a->rename != NULL && backup_renames_parse(a->rename, &a->ren, err, sizeof err) != 0) {
		backup_sel_release(&a->sel);
		return cmd_error(ctx, CMD_USAGE, "--rename: %s", err);
	}
	return CMD_OK;
}

/*
 * What --drop-existing would drop: each collection of the backup that the
 * selection takes, renamed as the restore will, that the cluster holds now.
 * Written into b as "db.c, db.c2"; unknown parts are said, not guessed away.
 */
static void
restore_drops(struct cmd_ctx *ctx, struct bk_session *s, struct restore_args *a,
    struct buf *b)
{
	struct backup_result *r = backup_api_get_sync(s->a, a->backup);
	const struct cluster *c = NULL;
	struct state *st = NULL;
	char target[600];
	size_t i, j, n = 0;

	/* Reported already when it fails; the prompt then says so too. */
	if (bk_cluster_names(ctx, s->p, &st) == CMD_OK)
		c = state_cluster(st);
	if (r->err != BACKUP_OK)
		buf_printf(b, "every collection the backup holds that exists (its record: %s)",
		    r->errmsg);
	else if (c == NULL)
		buf_adds(b, "every collection the backup holds that exists (the cluster's "
		    "collections could not be read)");
	for (i = 0; r->err == BACKUP_OK && c != NULL && i < r->brief.n_colls; i++) {
		const struct backup_collection *bc = &r->brief.colls[i];

		if (!backup_sel_match(&a->sel, bc->db, bc->name))
			continue;
		backup_restore_target(bc->db, bc->name, a->suffix, &a->ren, target,
		    sizeof target);
		for (j = 0; j < c->n_collections; j++) {
			char have[600];

			snprintf(have, sizeof have, "%s.%s", c->collections[j].db,
			    c->collections[j].name);
			if (strcmp(have, target) != 0)
				continue;
			if (n < RESTORE_PROMPT_NAMES)
				buf_printf(b, "%s'%s'", n > 0 ? ", " : "", target);
			n++;
		}
	}
	if (n > RESTORE_PROMPT_NAMES)
		buf_printf(b, " and %zu more", n - RESTORE_PROMPT_NAMES);
	if (r->err == BACKUP_OK && c != NULL && n == 0)
		buf_adds(b, "none now (a collection created before the restore runs would be)");
	backup_result_free(r);
	state_free(st);
}

static const struct out_col task_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "state", "STATE", OCOL_STR },
	{ "progress", "PROGRESS", OCOL_INT },
	{ "error", "ERROR", OCOL_STR },
};

static void
restore_members(struct out_obj *root, const struct backup_restore *t)
{
	struct out_obj *row;
	struct out_tab *tab;
	char full[600];
	size_t i;

	out_str(root, "id", t->id);
	out_str(root, "state", backup_task_state_name(t->state));
	out_int(root, "progress", t->progress);
	out_str(root, "error", t->error);
	t->start_ms > 0 ? out_int(root, "start_ms", t->start_ms) : out_null(root, "start_ms");
	t->end_ms > 0 ? out_int(root, "end_ms", t->end_ms) : out_null(root, "end_ms");
	tab = out_table(root, "collections", "collections", task_cols,
	    sizeof task_cols / sizeof task_cols[0]);
	for (i = 0; i < t->n_colls; i++) {
		const struct backup_restore_coll *c = &t->colls[i];

		row = out_row(tab);
		snprintf(full, sizeof full, "%s.%s", c->db, c->name != NULL ? c->name : "?");
		out_str(row, "collection", full);
		out_str(row, "state", backup_task_state_name(c->state));
		out_int(row, "progress", c->progress);
		out_str(row, "error", c->error);
	}
}

/* Every level on what the restore made: CMD_OK or 1 (4 when the cluster
 * cannot be reached). */
static int
restore_verify(struct cmd_ctx *ctx, struct bk_session *s, struct restore_args *a,
    struct out_obj *root)
{
	struct backup_check_report rep;
	struct backup_check_opts o;
	struct milvus_rest *rest;
	struct backup_result *g;
	struct state *st = NULL;
	char err[512];
	int rc;

	g = backup_api_get_sync(s->a, a->backup);
	if (g->err != BACKUP_OK) {
		rc = bk_fail(ctx, g);
		backup_result_free(g);
		return rc;
	}
	if ((rest = bk_rest_open(ctx, s->p, &st, err, sizeof err)) == NULL) {
		backup_result_free(g);
		return cmd_error(ctx, CMD_UNREACHABLE, "restore of %s: verify: %s", a->backup, err);
	}
	memset(&o, 0, sizeof o);
	o.storage_path = s->p->backup_storage_path;
	o.profile = s->p->name;
	o.targets = true;
	o.sel = &a->sel;
	o.suffix = a->suffix;
	o.ren = &a->ren;
	o.load = true;
	o.load_timeout_ms = s->p->backup_load_timeout_ms;
	backup_check_run(ctx->loop, rest, &g->brief, &o, &rep);
	bk_verify_members(out_obj(root, "verify"), &rep);
	rc = bk_verify_exit(ctx, a->backup, &rep);
	backup_check_release(&rep);
	backup_result_free(g);
	state_free(st);
	return rc;
}

int
cmd_restore(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backup_restore_req q;
	struct restore_args a;
	struct bk_session s;
	struct backup_result *r, *g;
	struct out_doc *doc;
	struct out_obj *root;
	enum backup_wait_end how;
	struct buf drops = BUF_INIT;
	struct guard_req gd;
	char title[200], id[160];
	int rc;

	if ((rc = restore_parse(ctx, argc, argv, &a)) != CMD_OK)
		return rc;
	if ((rc = bk_session_profile(ctx, &s)) != CMD_OK) {
		restore_args_release(&a);
		return rc;
	}
	/* A wrong --confirm is refused before anything is contacted. */
	memset(&gd, 0, sizeof gd);
	gd.p = s.p;
	gd.action = "restore with --drop-existing from backup";
	gd.name = a.backup;
	gd.confirm = a.confirm;
	if (a.drop && a.confirm != NULL && (rc = cmd_guard(ctx, &gd)) != CMD_OK)
		goto out;
	if ((rc = bk_session_connect(ctx, &s)) != CMD_OK)
		goto out;
	if (a.drop && a.confirm == NULL) {
		/* What would be dropped, named in the question. */
		restore_drops(ctx, &s, &a, &drops);
		gd.detail = drops.data != NULL ? drops.data : "";
		gd.irreversible = "the collections listed are dropped first and their data "
		    "cannot be recovered";
		rc = cmd_guard(ctx, &gd);
		buf_release(&drops);
		if (rc != CMD_OK)
			goto out;
	}
	memset(&q, 0, sizeof q);
	q.backup_name = a.backup;
	q.collections = a.sel.n > 0 ? (const char *const *)a.sel.specs : NULL;
	q.suffix = a.suffix;
	q.renames = a.ren.n > 0 ? (const char *const *)a.ren.pairs : NULL;
	q.rbac = a.rbac;
	q.drop_exist_collection = a.drop;
	r = backup_api_restore_sync(s.a, &q);
	if (r->err != BACKUP_OK) {
		rc = bk_fail(ctx, r);
		backup_result_free(r);
		goto out;
	}
	/* The id this client set (contract 0: set it yourself to poll). */
	snprintf(id, sizeof id, "%s", r->restore.id != NULL ? r->restore.id : r->sent_id);
	backup_result_free(r);
	doc = out_doc_new("restore");
	root = out_doc_root(doc);
	out_str(root, "backup", a.backup);
	if (a.wait) {
		snprintf(title, sizeof title, "restore of %s", a.backup);
		rc = bk_wait(ctx, &s, BACKUP_WAIT_RESTORE, id, title, &how);
		out_str(root, "result", backup_wait_end_name(how));
		if (rc == CMD_OK && a.verify)
			rc = restore_verify(ctx, &s, &a, root);
	} else
		out_str(root, "result", "started");
	/* The task as it stands now, with its collections. */
	g = backup_api_get_restore_sync(s.a, id);
	if (g->err == BACKUP_OK)
		restore_members(root, &g->restore);
	else
		out_str(root, "id", id);
	backup_result_free(g);
	out_strf(root, "next", "milvusadm restore status %s", id);
	(void)cmd_emit(ctx, doc);
out:
	bk_session_close(&s);
	restore_args_release(&a);
	return rc;
}

int
cmd_restore_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct bk_session s;
	struct backup_result *r;
	struct out_doc *doc;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	if ((rc = bk_session_open(ctx, &s)) != CMD_OK)
		return rc;
	r = backup_api_get_restore_sync(s.a, argv[1]);
	if (r->err == BACKUP_ETASKLOST)
		rc = cmd_error(ctx, CMD_FAILED, "restore '%s': task lost: %s", argv[1], r->errmsg);
	else if (r->err != BACKUP_OK)
		rc = bk_fail(ctx, r);
	else {
		doc = out_doc_new("restore-status");
		restore_members(out_doc_root(doc), &r->restore);
		rc = cmd_emit(ctx, doc);
		/* A script asking after a restore wants to know it failed. */
		if (r->restore.state == BACKUP_TASK_FAIL || r->restore.state == BACKUP_TASK_TIMEOUT)
			rc = cmd_error(ctx, CMD_FAILED, "restore '%s' failed: %s", argv[1],
			    r->restore.error != NULL ? r->restore.error : "no message");
	}
	backup_result_free(r);
	bk_session_close(&s);
	return rc;
}
