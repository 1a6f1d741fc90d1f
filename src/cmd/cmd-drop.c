/* SPDX-License-Identifier: MIT */
/* `milvusadm drop collection [db.]NAME`: a drop that can be undone. A
 * collection on the profile's guards.protected list is refused. Otherwise a
 * successful backup holding the collection (with RBAC: a drop deletes grants
 * on 2.6) must exist within guards.drop_backup_within, or one is taken now
 * and checked to hold the collection with its current row count; only then
 * is the guard asked, the drop sent, the collection seen gone, and the
 * restore command that brings it back printed. Any failure before the drop
 * leaves the collection as it was. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/backups.h"
#include "milvusadm/config.h"
#include "milvusadm/cluster.h"
#include "milvusadm/guard.h"
#include "milvusadm/milvus_admin.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/protect.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

struct drop {
	struct cmd_ctx *ctx;
	struct bk_session s;
	struct state *st;
	struct milvus_rest *rest;
	char db[256], coll[256], full[520];
	const char *confirm;
	int64_t rows;			/* count(*) now, -1 unknown (not loaded) */
	char aliases[512];
	char loaded[96];		/* "loaded, 2 replicas", "not loaded", "" unknown */
	char grants[256];		/* grants naming it, "" none or unknown */
	char backup[160];
	int64_t backup_age_ms;
	bool made;			/* the backup was taken by this drop */
	struct journal j;		/* the flow's durable steps */
};

static void
drop_step(struct drop *d, const char *step)
{
	char err[512];

	snprintf(d->j.backup, sizeof d->j.backup, "%s", d->backup);
	if (journal_step(&d->j, step, err, sizeof err) != 0)
		fprintf(d->ctx->err, "milvusadm: warning: drop journal: %s\n", err);
}

/* The shared protect list (etcd): a collection on it is refused, and a list
 * that cannot be read refuses too: safety over convenience. */
static int
drop_listed(struct drop *d)
{
	struct protect_entry en;
	char err[512], when[40];
	int found;

	if (!protect_prefix_ok(d->s.p->guards_etcd_prefix, d->s.p->etcd_root_path))
		return cmd_error(d->ctx, CMD_FAILED, "collection %s not dropped: guards.etcd_prefix "
		    "'%s' is empty or inside Milvus's root path", d->full,
		    d->s.p->guards_etcd_prefix);
	found = protect_store_get(state_etcd(d->st), d->s.p->guards_etcd_prefix, d->db,
	    d->coll, &en, err, sizeof err);
	if (found < 0)
		return cmd_error(d->ctx, CMD_UNREACHABLE, "collection %s not dropped: the shared "
		    "protect list cannot be read: %s", d->full, err);
	if (found == 0)
		return CMD_OK;
	time_format_rfc3339(en.at_ms, when, sizeof when);
	return cmd_error(d->ctx, CMD_REFUSED, "collection %s is protected (shared list, by %s "
	    "since %s): 'milvusadm protect remove %s' first", d->full, en.by[0] ? en.by : "?",
	    en.at_ms > 0 ? when : "?", d->full);
}

/* Loaded replicas (from the model's collections) and the grants naming the
 * collection, for the guard's question: what a drop takes away. */
static void
drop_impact(struct drop *d)
{
	const struct cluster *c;
	struct milvus_rbac rb;
	size_t i, k, n = 0, roles = 0;
	char err[256];
	int rerr;

	/* Replicas come from a proxy's 9091, found in the sessions. */
	(void)state_load_sessions(d->st);
	if (state_load_collections(d->st, d->db) == 0) {
		(void)state_load_replicas(d->st, NULL);
		c = state_cluster(d->st);
		for (i = 0; i < c->n_collections; i++) {
			const struct collection_state *cs = &c->collections[i];

			if (strcmp(cs->db, d->db) != 0 || strcmp(cs->name, d->coll) != 0)
				continue;
			if (cs->load_state != NULL && strcmp(cs->load_state, "LoadStateNotLoad") == 0)
				snprintf(d->loaded, sizeof d->loaded, "not loaded");
			else if (cs->n_replicas >= 0)
				snprintf(d->loaded, sizeof d->loaded, "loaded, %" PRId64 " replica%s",
				    cs->n_replicas, cs->n_replicas == 1 ? "" : "s");
			else if (cs->load_state != NULL)
				snprintf(d->loaded, sizeof d->loaded, "loaded (replicas unknown)");
		}
	}
	memset(&rb, 0, sizeof rb);
	/* The grants on it: the roles are enough, no call per user. */
	if (milvus_rbac_read_roles(d->rest, &rb, &rerr, err, sizeof err) != 0)
		return;
	for (i = 0; i < rb.n_roles; i++) {
		size_t before = n;

		for (k = 0; k < rb.roles[i].n_grants; k++) {
			const struct milvus_grant *g = &rb.roles[i].grants[k];
			const char *gdb = g->db_name[0] != '\0' ? g->db_name : "default";

			if (strcmp(g->object_name, d->coll) == 0 && (strcmp(gdb, d->db) == 0 ||
			    strcmp(gdb, "*") == 0))
				n++;
		}
		roles += n > before;
	}
	if (n > 0)
		snprintf(d->grants, sizeof d->grants, "%zu grant%s on it (%zu role%s)", n,
		    n == 1 ? "" : "s", roles, roles == 1 ? "" : "s");
	milvus_rbac_free(&rb);
}

static int
drop_inspect(struct drop *d)
{
	struct milvus_rest_result *res;
	char err[512], *why = NULL, guard_alias[300];
	size_t i, n = 0;
	int rc;

	if ((d->rest = bk_rest_open(d->ctx, d->s.p, &d->st, err, sizeof err)) == NULL)
		return cmd_error(d->ctx, CMD_UNREACHABLE, "drop collection %s: %s", d->full, err);
	if ((rc = drop_listed(d)) != CMD_OK)
		return rc;
	res = milvus_rest_collection_describe_sync(d->rest, d->db, d->coll);
	if (res->err != MREST_OK) {
		rc = cmd_error(d->ctx, res->err == MREST_EUNREACHABLE ? CMD_UNREACHABLE :
		    CMD_FAILED, "drop collection %s: %s", d->full, res->errmsg);
		milvus_rest_result_free(res);
		return rc;
	}
	for (i = 0; i < res->info.n_aliases; i++)
		n += (size_t)snprintf(d->aliases + n, n < sizeof d->aliases ? sizeof d->aliases - n :
		    0, "%s%s", i > 0 ? "," : "", res->info.aliases[i]);
	protect_alias_name(d->coll, guard_alias, sizeof guard_alias);
	for (i = 0; i < res->info.n_aliases; i++)
		if (strcmp(res->info.aliases[i], guard_alias) == 0) {
			milvus_rest_result_free(res);
			return cmd_error(d->ctx, CMD_REFUSED, "collection %s has the server-side guard "
			    "alias %s: 'milvusadm protect remove %s' first", d->full, guard_alias,
			    d->full);
		}
	milvus_rest_result_free(res);
	d->rows = backup_count_rows(d->rest, d->db, d->coll, &why);
	free(why);
	drop_impact(d);
	/* Milvus 2.5.5+ would refuse the drop: say so before a backup is taken. */
	if (d->aliases[0] != '\0' &&
	    protect_alias_guard_works(state_cluster(d->st)->milvus_version) == 1)
		return cmd_error(d->ctx, CMD_REFUSED, "collection %s has aliases (%s): Milvus %s "
		    "refuses to drop it; drop those aliases first (nothing was done)", d->full,
		    d->aliases, state_cluster(d->st)->milvus_version);
	return CMD_OK;
}

/* A backup holding the collection within the window, or a new one checked
 * to hold it with the rows counted now. */
static int
drop_backup(struct drop *d)
{
	struct backup_coll_name want = { d->db, d->coll };
	struct backup_create_req q;
	struct bk_source_take take;
	struct backup_catalog cat;
	struct backup_result *r;
	enum backup_wait_end how;
	char err[512], title[200];
	int64_t now = time_wall_ms();
	long k;
	int rc, e;

	if ((rc = bk_session_connect(d->ctx, &d->s)) != CMD_OK)
		return cmd_error(d->ctx, CMD_REFUSED, "collection %s not dropped: a drop needs "
		    "a backup and the backup server cannot be used", d->full);
	if (backup_catalog_load(d->ctx->loop, d->s.a, &cat, &e, err, sizeof err) != 0)
		return cmd_error(d->ctx, CMD_REFUSED, "collection %s not dropped: the backups "
		    "cannot be read: %s", d->full, err);
	k = backup_find_fresh(cat.v, cat.n, &want, 1, now, d->s.p->guards_drop_backup_within_ms);
	if (k >= 0) {
		snprintf(d->backup, sizeof d->backup, "%s", cat.v[k].name);
		d->backup_age_ms = now - backup_when_ms(&cat.v[k]);
		backup_catalog_release(&cat);
		return CMD_OK;
	}
	backup_catalog_release(&cat);
	guard_predrop_name(d->db, d->coll, now, d->backup, sizeof d->backup);
	d->made = true;
	bk_source_begin(d->ctx, d->s.p, &want, 1, &take);
	memset(&q, 0, sizeof q);
	q.name = d->backup;
	q.collections = (const char *const[]){ d->full, NULL };
	q.rbac = true;
	r = backup_api_create_sync(d->s.a, &q);
	if (r->err != BACKUP_OK) {
		backup_result_free(r);
		bk_source_finish(d->ctx, d->s.p, d->backup, false, &take);
		return cmd_error(d->ctx, CMD_FAILED, "collection %s not dropped: the backup "
		    "before it could not start", d->full);
	}
	drop_step(d, "backup-started");
	snprintf(title, sizeof title, "backup %s", d->backup);
	rc = bk_wait(d->ctx, &d->s, BACKUP_WAIT_CREATE, r->brief.id != NULL ? r->brief.id :
	    r->sent_id, title, &how);
	backup_result_free(r);
	/* Read again after success: the rows the backup holds are these. */
	bk_source_finish(d->ctx, d->s.p, d->backup, how == BACKUP_WAIT_SUCCESS, &take);
	if (rc != CMD_OK)
		return cmd_error(d->ctx, CMD_FAILED, "collection %s not dropped: its backup %s did "
		    "not succeed", d->full, d->backup);
	drop_step(d, "backup-done");
	return CMD_OK;
}

/* The new backup lists the collection, its metadata adds up (where it can
 * be read) and milvusadm's record has the rows counted before the drop. */
static int
drop_verify(struct drop *d)
{
	struct backup_check_report rep;
	struct backup_check_opts o;
	struct backup_source src;
	const struct backup_source_coll *sc;
	struct backup_result *g = backup_api_get_sync(d->s.a, d->backup);
	char err[512];
	int rc = CMD_OK;

	if (g->err != BACKUP_OK || !backup_holds(&g->brief, d->db, d->coll)) {
		rc = cmd_error(d->ctx, CMD_FAILED, "collection %s not dropped: backup %s does not "
		    "list it", d->full, d->backup);
		backup_result_free(g);
		return rc;
	}
	memset(&o, 0, sizeof o);
	o.storage_path = d->s.p->backup_storage_path;
	o.profile = d->s.p->name;
	backup_check_run(d->ctx->loop, NULL, &g->brief, &o, &rep);
	if (rep.worst == BACKUP_CHECK_FAIL)
		rc = cmd_error(d->ctx, CMD_FAILED, "collection %s not dropped: backup %s does not "
		    "add up: %s", d->full, d->backup, rep.n > 0 ? rep.v[0].meta.detail :
		    rep.top.detail);
	backup_check_release(&rep);
	if (rc == CMD_OK && d->made && d->rows >= 0) {
		if (backup_source_load(d->s.p->name, d->backup, &src, err, sizeof err) != 0 ||
		    (sc = backup_source_find(&src, d->db, d->coll)) == NULL || sc->rows != d->rows)
			rc = cmd_error(d->ctx, CMD_FAILED, "collection %s not dropped: backup %s "
			    "does not record its %" PRId64 " rows (rows changed during the backup, "
			    "or were not counted)", d->full, d->backup, d->rows);
		backup_source_release(&src);
	}
	backup_result_free(g);
	return rc;
}

static int
drop_send(struct drop *d)
{
	struct milvus_rest_result *res;
	int rc = CMD_OK;

	res = milvus_rest_collection_drop_sync(d->rest, d->db, d->coll);
	/* Milvus 2.5.5+ refuses a collection with aliases; the code differs by
	 * version, the message does not. Nothing was dropped. */
	if (res->err == MREST_ESERVER && protect_refusal_is_alias(res->message))
		rc = cmd_error(d->ctx, CMD_REFUSED, "drop collection %s: refused by Milvus: it has "
		    "aliases (%s); the server-side guard. Nothing was dropped", d->full, d->aliases);
	else if (res->err != MREST_OK)
		rc = cmd_error(d->ctx, CMD_FAILED, "drop collection %s: %s", d->full, res->errmsg);
	milvus_rest_result_free(res);
	if (rc != CMD_OK)
		return rc;
	res = milvus_rest_collection_has_sync(d->rest, d->db, d->coll);
	if (res->err != MREST_OK || res->has)
		rc = cmd_error(d->ctx, CMD_FAILED, "drop collection %s: sent, but the collection "
		    "is %s", d->full, res->err != MREST_OK ? "not confirmed gone" : "still there");
	milvus_rest_result_free(res);
	return rc;
}

int
cmd_drop_collection(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	const char *name = NULL, *v, *dot;
	struct guard_req g;
	struct out_doc *doc;
	struct out_obj *root;
	struct drop d;
	bool missing = false, sent = false;
	char detail[1024], age[32], undo[512] = "", rows[64];
	int i, rc;

	memset(&d, 0, sizeof d);
	d.ctx = ctx;
	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--confirm", &missing)) != NULL)
			d.confirm = v;
		else if (missing || argv[i][0] == '-' || name != NULL)
			return cmd_usage(ctx, e);
		else
			name = argv[i];
	}
	if (name == NULL || missing)
		return cmd_usage(ctx, e);
	dot = strchr(name, '.');
	snprintf(d.db, sizeof d.db, "%.*s", dot != NULL ? (int)(dot - name) : 7,
	    dot != NULL ? name : "default");
	snprintf(d.coll, sizeof d.coll, "%s", dot != NULL ? dot + 1 : name);
	snprintf(d.full, sizeof d.full, "%s.%s", d.db, d.coll);
	if ((rc = bk_session_profile(ctx, &d.s)) != CMD_OK)
		return rc;
	memset(&g, 0, sizeof g);
	g.p = d.s.p;
	g.action = "drop collection";
	g.name = d.full;
	g.confirm = d.confirm;
	g.irreversible = "Milvus has no undrop: only the backup named above brings it back";
	/* Refusals that need nothing from the cluster come first. */
	if (guard_protected(d.s.p, d.db, d.coll)) {
		rc = cmd_error(ctx, CMD_REFUSED, "collection %s is protected in profile '%s' "
		    "(guards.protected): take it off that list to drop it", d.full, d.s.p->name);
		goto out;
	}
	if (d.confirm != NULL && (rc = cmd_guard(ctx, &g)) != CMD_OK)
		goto out;
	if (d.confirm == NULL && !cmd_can_ask(ctx)) {
		rc = cmd_guard(ctx, &g);	/* says: nobody to ask, give --confirm */
		goto out;
	}
	journal_open(&d.j, d.s.p->name, d.full);
	drop_step(&d, "started");
	if ((rc = drop_inspect(&d)) != CMD_OK || (rc = drop_backup(&d)) != CMD_OK ||
	    (rc = drop_verify(&d)) != CMD_OK)
		goto out;
	guard_undo_command(d.s.p->name, d.backup, d.db, d.coll, undo, sizeof undo);
	snprintf(d.j.undo, sizeof d.j.undo, "%s", undo);
	drop_step(&d, "backup-verified");
	time_format_duration(d.backup_age_ms > 0 ? d.backup_age_ms : 0, age, sizeof age);
	if (d.rows >= 0)
		snprintf(rows, sizeof rows, "%" PRId64 " rows", d.rows);
	else
		snprintf(rows, sizeof rows, "rows unknown (not loaded)");
	snprintf(detail, sizeof detail, "%s%s%s%s%s%s%.300s; backup %s %s%s%s", rows,
	    d.loaded[0] != '\0' ? ", " : "", d.loaded, d.grants[0] != '\0' ? ", " : "",
	    d.grants, d.aliases[0] != '\0' ? ", aliases " : "", d.aliases, d.backup,
	    d.made ? "taken now" : "taken ", d.made ? "" : age, d.made ? "" : " ago");
	g.detail = detail;
	if (d.confirm == NULL && (rc = cmd_guard(ctx, &g)) != CMD_OK)
		goto out;
	drop_step(&d, "confirmed");
	snprintf(ctx->audit_backup, sizeof ctx->audit_backup, "%s", d.backup);
	snprintf(ctx->audit_undo, sizeof ctx->audit_undo, "%s", undo);
	/* Written before the call: a run killed during it is reported. */
	drop_step(&d, "drop-sent");
	if ((rc = drop_send(&d)) != CMD_OK) {
		sent = rc != CMD_REFUSED;
		goto out;
	}
	drop_step(&d, "gone");
	doc = out_doc_new("drop-collection");
	root = out_doc_root(doc);
	out_str(root, "collection", d.full);
	out_str(root, "result", "dropped");
	d.rows >= 0 ? out_int(root, "rows", d.rows) : out_null(root, "rows");
	out_str(root, "backup", d.backup);
	out_bool(root, "backup_taken_now", d.made);
	out_str(root, "undo", undo);
	rc = cmd_emit(ctx, doc);
out:
	/* Kept only when the drop was sent and its end is not known. */
	if (d.j.path != NULL)
		journal_close(&d.j, !sent);
	state_free(d.st);
	bk_session_close(&d.s);
	return rc;
}
