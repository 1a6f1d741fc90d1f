/* SPDX-License-Identifier: MIT */
/* `milvusadm backup create|list|show|delete`: backups through the profile's
 * milvus-backup server, with a scheduling primitive (--if-older-than) for
 * cron and systemd timers and a typed confirmation before a delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/guard.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

struct create_args {
	const char *collections, *name, *strategy, *older;
	bool rbac, wait;
	struct backup_sel sel;
	enum backup_strategy strat;
	int64_t older_ms;		/* 0: no --if-older-than */
};

static int
create_parse(struct cmd_ctx *ctx, int argc, char **argv, struct create_args *a)
{
	static const char *const strategies[] = { "auto", "meta_only", "skip_flush",
	    "bulk_flush", "serial_flush", NULL };
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *v;
	bool missing = false;
	char err[256];
	int i;

	memset(a, 0, sizeof *a);
	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--collections", &missing)) != NULL)
			a->collections = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--name", &missing)) != NULL)
			a->name = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--strategy", &missing)) != NULL)
			a->strategy = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--if-older-than", &missing)) != NULL)
			a->older = v;
		else if (strcmp(argv[i], "--rbac") == 0)
			a->rbac = true;
		else if (strcmp(argv[i], "--wait") == 0)
			a->wait = true;
		else
			return cmd_usage(ctx, e);
		if (missing)
			return cmd_usage(ctx, e);
	}
	if (a->name != NULL && backup_name_check(a->name, err, sizeof err) != 0)
		return cmd_error(ctx, CMD_USAGE, "--name '%s': %s", a->name, err);
	if (a->strategy != NULL) {
		for (i = 0; strategies[i] != NULL && strcmp(strategies[i], a->strategy) != 0; i++)
			;
		if (strategies[i] == NULL)
			return cmd_error(ctx, CMD_USAGE, "strategy '%s' is not one of auto, "
			    "meta_only, skip_flush, bulk_flush, serial_flush", a->strategy);
		a->strat = (enum backup_strategy)i;
	}
	if (a->older != NULL && (time_parse_duration(a->older, &a->older_ms) != 0 ||
	    a->older_ms <= 0))
		return cmd_error(ctx, CMD_USAGE, "--if-older-than '%s' is not a duration", a->older);
	if (a->collections != NULL && backup_sel_parse(a->collections, &a->sel, err,
	    sizeof err) != 0)
		return cmd_error(ctx, CMD_USAGE, "--collections: %s", err);
	return CMD_OK;
}

/* Is db.coll named by a "db.*" of the selection (or is the selection empty)? */
static bool
create_by_wildcard(const struct backup_sel *sel, const char *db, const char *coll)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (strcmp(sel->v[i].coll, "*") == 0 && strcmp(sel->v[i].db, db) == 0)
			return true;
	return sel->n == 0;
}

/*
 * The collections a scheduled run must find in one backup: the names given,
 * plus, for each "db.*" (or for an empty selection), what the cluster holds
 * there now. *names borrows from *st and a->sel; CMD_OK or an exit code.
 */
static int
create_wanted(struct cmd_ctx *ctx, struct bk_session *s, struct create_args *a,
    struct state **st, struct backup_coll_name **names, size_t *n)
{
	const struct cluster *c = NULL;
	size_t i, j;
	int rc;

	*n = 0;
	if (a->sel.n == 0 || backup_sel_has_wildcard(&a->sel)) {
		if ((rc = bk_cluster_names(ctx, s->p, st)) != CMD_OK)
			return rc;
		c = state_cluster(*st);
	}
	*names = xcalloc(a->sel.n + (c != NULL ? c->n_collections : 0) + 1, sizeof **names);
	for (i = 0; i < a->sel.n; i++) {
		if (strcmp(a->sel.v[i].coll, "*") == 0)
			continue;
		(*names)[*n].db = a->sel.v[i].db;
		(*names)[(*n)++].coll = a->sel.v[i].coll;
	}
	for (i = 0; c != NULL && i < c->n_collections; i++) {
		const char *db = c->collections[i].db, *coll = c->collections[i].name;

		if (!create_by_wildcard(&a->sel, db, coll))
			continue;
		for (j = 0; j < *n; j++)
			if (strcmp((*names)[j].db, db) == 0 && strcmp((*names)[j].coll, coll) == 0)
				break;
		if (j == *n) {
			(*names)[*n].db = db;
			(*names)[(*n)++].coll = coll;
		}
	}
	return CMD_OK;
}

/* --if-older-than: CMD_OK with *skip set when a fresh enough backup holds
 * every wanted collection; its story goes into root. */
static int
create_check_fresh(struct cmd_ctx *ctx, struct bk_session *s, struct create_args *a,
    struct out_obj *root, bool *skip)
{
	struct backup_coll_name *names = NULL;
	struct backup_catalog cat;
	struct state *st = NULL;
	char err[512], age[32];
	long i;
	size_t n;
	int rc, e;
	int64_t now = time_wall_ms();

	*skip = false;
	if ((rc = create_wanted(ctx, s, a, &st, &names, &n)) != CMD_OK)
		goto out;
	if (backup_catalog_load(ctx->loop, s->a, &cat, &e, err, sizeof err) != 0) {
		rc = cmd_error(ctx, bk_exit_code(e), "%s", err);
		goto out;
	}
	i = backup_find_fresh(cat.v, cat.n, names, n, now, a->older_ms);
	if (i >= 0) {
		const struct backup_brief *b = &cat.v[i];
		int64_t t = backup_when_ms(b);

		*skip = true;
		time_format_duration(now > t ? now - t : 0, age, sizeof age);
		out_str(root, "result", "skipped");
		out_str(root, "name", b->name);
		out_str(root, "state", backup_task_state_name(b->state));
		out_int(root, "taken_ms", t);
		out_int(root, "age_ms", now > t ? now - t : 0);
		out_int(root, "if_older_than_ms", a->older_ms);
		out_strf(root, "reason", "backup '%s' (taken %s ago) holds every selected "
		    "collection (%zu) and is younger than %s: nothing to do", b->name, age, n,
		    a->older);
	} else if (cat.unreadable > 0)
		/* Said, so that a backup every run on a 0.5.x server is explained. */
		bk_warn(ctx, "%zu backups could not be described and do not count: %s",
		    cat.unreadable, cat.unreadable_why);
	backup_catalog_release(&cat);
out:
	free(names);
	state_free(st);
	return rc;
}

static void
brief_members(struct out_obj *o, const struct backup_brief *b, int64_t now)
{
	int64_t t = backup_when_ms(b);
	const char **colls = xcalloc(b->n_colls + 1, sizeof *colls);
	char **own = xcalloc(b->n_colls + 1, sizeof *own);
	size_t i;

	out_str(o, "name", b->name);
	out_str(o, "id", b->id);
	out_str(o, "state", backup_task_state_name(b->state));
	b->progress >= 0 ? out_int(o, "progress", b->progress) : out_null(o, "progress");
	t > 0 ? out_int(o, "taken_ms", t) : out_null(o, "taken_ms");
	t > 0 ? out_int(o, "age_ms", now > t ? now - t : 0) : out_null(o, "age_ms");
	b->size >= 0 ? out_int(o, "size", b->size) : out_null(o, "size");
	for (i = 0; i < b->n_colls; i++)
		colls[i] = own[i] = xasprintf("%s.%s", b->colls[i].db, b->colls[i].name);
	out_strv(o, "collections", colls, b->n_colls);
	for (i = 0; i < b->n_colls; i++)
		free(own[i]);
	free(own);
	free(colls);
	out_str(o, "milvus_version", b->milvus_version);
	out_str(o, "format", backup_format_name(b->format));
	out_str(o, "error", b->error);
}

int
cmd_backup_create(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backup_create_req q;
	struct create_args a;
	struct bk_session s;
	struct backup_result *r, *g;
	struct out_doc *doc;
	struct out_obj *root;
	enum backup_wait_end how;
	char name[160], title[200];
	const char *id;
	bool skip = false, emit = false, taking = false;
	struct backup_coll_name *names = NULL;
	struct bk_source_take take;
	struct state *wst = NULL;
	size_t n_names = 0;
	int rc;

	if ((rc = create_parse(ctx, argc, argv, &a)) != CMD_OK)
		return rc;
	if ((rc = bk_session_open(ctx, &s)) != CMD_OK) {
		backup_sel_release(&a.sel);
		return rc;
	}
	doc = out_doc_new("backup-create");
	root = out_doc_root(doc);
	if (a.older_ms > 0 && ((rc = create_check_fresh(ctx, &s, &a, root, &skip)) != CMD_OK ||
	    skip)) {
		emit = skip;
		goto out;
	}
	if (a.name != NULL)
		snprintf(name, sizeof name, "%s", a.name);
	else
		backup_auto_name(time_wall_ms(), name, sizeof name);
	/* A record of the source for verification, when the backup is waited
	 * for (its end is when the sample is read again). */
	if (a.wait) {
		if (create_wanted(ctx, &s, &a, &wst, &names, &n_names) != CMD_OK) {
			bk_warn(ctx, "no record of the source for verification: the cluster's "
			    "collections could not be read");
			rc = CMD_OK;
		} else {
			bk_source_begin(ctx, s.p, names, n_names, &take);
			taking = true;
		}
	}
	memset(&q, 0, sizeof q);
	q.name = name;
	q.collections = a.sel.n > 0 ? (const char *const *)a.sel.specs : NULL;
	q.strategy = a.strat;
	q.rbac = a.rbac;
	r = backup_api_create_sync(s.a, &q);
	if (r->err != BACKUP_OK) {
		rc = bk_fail(ctx, r);
		backup_result_free(r);
		goto out;
	}
	/* The task's id is the create's request_id (contract 0). */
	id = r->brief.id != NULL ? r->brief.id : r->sent_id;
	emit = true;
	out_str(root, "name", name);
	out_str(root, "id", id);
	out_str(root, "server", backup_flavour_name(backup_api_flavour(s.a)));
	if (!a.wait) {
		out_str(root, "result", "started");
		out_str(root, "state", backup_task_state_name(r->brief.state));
		out_strf(root, "next", "milvusadm backup show %s", name);
		backup_result_free(r);
		goto out;
	}
	snprintf(title, sizeof title, "backup %s", name);
	rc = bk_wait(ctx, &s, BACKUP_WAIT_CREATE, id, title, &how);
	backup_result_free(r);
	bk_source_finish(ctx, s.p, name, how == BACKUP_WAIT_SUCCESS, &take);
	taking = false;
	out_str(root, "result", backup_wait_end_name(how));
	/* The record as storage has it now: size, collections, time. */
	if (how == BACKUP_WAIT_SUCCESS) {
		g = backup_api_get_sync(s.a, name);
		if (g->err == BACKUP_OK)
			brief_members(out_obj(root, "backup"), &g->brief, time_wall_ms());
		backup_result_free(g);
	}
out:
	/* A started task is said even when waiting for it failed: its name
	 * and id are what the operator looks for next. */
	if (emit)
		(void)cmd_emit(ctx, doc);
	else
		out_doc_free(doc);
	if (taking)
		bk_source_finish(ctx, s.p, name, false, &take);
	free(names);
	state_free(wst);
	bk_session_close(&s);
	backup_sel_release(&a.sel);
	return rc;
}

/* ---- list / show ---- */

static const struct out_col list_cols[] = {
	{ "name", "NAME", OCOL_STR },
	{ "taken_ms", "TAKEN", OCOL_TIME_MS },
	{ "age_ms", "AGE", OCOL_DURATION_MS },
	{ "size", "SIZE", OCOL_BYTES },
	{ "collections", "COLLECTIONS", OCOL_STR },
	{ "state", "STATE", OCOL_STR },
};

int
cmd_backup_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backup_catalog cat;
	struct bk_session s;
	struct out_doc *doc;
	struct out_obj *root;
	struct out_tab *t;
	char err[512];
	int64_t now = time_wall_ms();
	size_t i;
	int rc, e;

	if (argc != 1)
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	if ((rc = bk_session_open(ctx, &s)) != CMD_OK)
		return rc;
	if (backup_catalog_load(ctx->loop, s.a, &cat, &e, err, sizeof err) != 0) {
		rc = cmd_error(ctx, bk_exit_code(e), "%s", err);
		bk_session_close(&s);
		return rc;
	}
	doc = out_doc_new("backup-list");
	root = out_doc_root(doc);
	out_str(root, "server", backup_flavour_name(cat.flavour));
	out_int(root, "count", (int64_t)cat.n);
	out_int(root, "unreadable", (int64_t)cat.unreadable);
	out_str(root, "unreadable_why", cat.unreadable_why);
	t = out_table(root, "backups", "backups", list_cols, sizeof list_cols / sizeof list_cols[0]);
	for (i = 0; i < cat.n; i++)
		brief_members(out_row(t), &cat.v[i], now);
	rc = cmd_emit(ctx, doc);
	if (cat.unreadable > 0)
		bk_warn(ctx, "%zu backups listed but not described (no time, no collections): "
		    "%s", cat.unreadable, cat.unreadable_why);
	backup_catalog_release(&cat);
	bk_session_close(&s);
	return rc;
}

static const struct out_col coll_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "size", "SIZE", OCOL_BYTES },
	{ "rows", "ROWS", OCOL_INT },
	{ "partitions", "PARTITIONS", OCOL_INT },
	{ "segments", "SEGMENTS", OCOL_INT },
};

static void
int_or_null(struct out_obj *o, const char *key, int64_t v)
{
	if (v < 0)
		out_null(o, key);
	else
		out_int(o, key, v);
}

/* A 0.5.x server describes only the backups its own process ran: a name it
 * lists is still shown, as what the list knows. */
static int
show_listed(struct cmd_ctx *ctx, struct bk_session *s, const char *name,
    const struct backup_result *first)
{
	struct backup_result *l = backup_api_list_sync(s->a);
	struct out_doc *doc;
	struct out_obj *root;
	size_t i;
	int rc;

	if (l->err != BACKUP_OK) {
		rc = bk_fail(ctx, l);
		backup_result_free(l);
		return rc;
	}
	for (i = 0; i < l->n_list && strcmp(l->list[i].name, name) != 0; i++)
		;
	if (i == l->n_list) {
		backup_result_free(l);
		return cmd_error(ctx, CMD_FAILED, "backup '%s' not found", name);
	}
	doc = out_doc_new("backup-show");
	root = out_doc_root(doc);
	brief_members(root, &l->list[i], time_wall_ms());
	out_str(root, "note", first->errmsg);
	backup_result_free(l);
	return cmd_emit(ctx, doc);
}

int
cmd_backup_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct bk_session s;
	struct backup_result *r;
	struct out_doc *doc;
	struct out_obj *root, *row;
	struct out_tab *t;
	char full[600];
	size_t i;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(ctx, cmd_entry_by_name(argv[0]));
	if ((rc = bk_session_open(ctx, &s)) != CMD_OK)
		return rc;
	r = backup_api_get_sync(s.a, argv[1]);
	if (r->err == BACKUP_ENOTFOUND && r->unsure)
		rc = show_listed(ctx, &s, argv[1], r);
	else if (r->err != BACKUP_OK)
		rc = bk_fail(ctx, r);
	else {
		doc = out_doc_new("backup-show");
		root = out_doc_root(doc);
		brief_members(root, &r->brief, time_wall_ms());
		out_bool(root, "size_checked", r->brief.size_checked);
		out_int(root, "start_ms", r->brief.start_ms);
		out_int(root, "end_ms", r->brief.end_ms);
		t = out_table(root, "collection_details", "collections", coll_cols,
		    sizeof coll_cols / sizeof coll_cols[0]);
		for (i = 0; i < r->brief.n_colls; i++) {
			const struct backup_collection *c = &r->brief.colls[i];

			row = out_row(t);
			snprintf(full, sizeof full, "%s.%s", c->db, c->name);
			out_str(row, "collection", full);
			int_or_null(row, "size", c->size);
			int_or_null(row, "rows", c->rows);
			int_or_null(row, "partitions", c->partitions);
			int_or_null(row, "segments", c->segments);
		}
		rc = cmd_emit(ctx, doc);
	}
	backup_result_free(r);
	bk_session_close(&s);
	return rc;
}

/* ---- delete ---- */

int
cmd_backup_delete(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *name = NULL, *confirm = NULL, *v;
	struct bk_session s;
	struct backup_result *r;
	struct out_doc *doc;
	struct guard_req g;
	char url[600], *detail;
	bool missing = false;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--confirm", &missing)) != NULL)
			confirm = v;
		else if (missing || argv[i][0] == '-' || name != NULL)
			return cmd_usage(ctx, e);
		else
			name = argv[i];
	}
	if (name == NULL || missing)
		return cmd_usage(ctx, e);
	if ((rc = bk_session_profile(ctx, &s)) != CMD_OK)
		return rc;
	/* The guard refuses a wrong --confirm before anything is contacted:
	 * it is a typo in a script, and nobody to ask is no confirmation. */
	url_strip_userinfo(s.p->backup_url, url, sizeof url);
	detail = xasprintf("in the bucket of milvus-backup at '%s'", url);
	memset(&g, 0, sizeof g);
	g.p = s.p;
	g.action = "delete backup";
	g.name = name;
	g.detail = detail;
	g.irreversible = "nothing can be restored from it afterwards";
	g.confirm = confirm;
	rc = cmd_guard(ctx, &g);
	free(detail);
	if (rc != CMD_OK) {
		bk_session_close(&s);
		return rc;
	}
	if ((rc = bk_session_connect(ctx, &s)) != CMD_OK)
		return rc;
	r = backup_api_delete_sync(s.a, name);
	if (r->err != BACKUP_OK)
		rc = bk_fail(ctx, r);
	else {
		doc = out_doc_new("backup-delete");
		out_str(out_doc_root(doc), "name", name);
		out_str(out_doc_root(doc), "result", "deleted");
		rc = cmd_emit(ctx, doc);
	}
	backup_result_free(r);
	bk_session_close(&s);
	return rc;
}
