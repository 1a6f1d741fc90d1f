/* SPDX-License-Identifier: MIT */
/* `protect list` (the shared list, the profile's own list, and where the
 * server-side guards are in place), `protect database DB [--off]` (the
 * database property database.force.deny.collectionDDL, which also refuses
 * create, load and release) and `protect who-can-drop` (RBAC). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/milvus_admin.h"
#include "milvusadm/output.h"
#include "milvusadm/protect.h"
#include "milvusadm/state.h"
#include "milvusadm/xalloc.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"
#include "cmd-protect.h"

#define DENY_KEY	"database.force.deny.collectionDDL"

/* ---- protect list ---- */

static const struct out_col list_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "source", "LIST", OCOL_STR },
	{ "server_guard", "SERVER GUARD", OCOL_STR },
	{ "by", "BY", OCOL_STR },
	{ "since_ms", "SINCE", OCOL_TIME_MS },
};

static const struct out_col db_cols[] = {
	{ "database", "DATABASE", OCOL_STR },
	{ "collection_ddl_denied", "COLLECTION DDL DENIED", OCOL_BOOL },
};

/* The aliases of each database that holds a listed collection: one
 * aliases/list per database, not one describe per collection. */
struct db_aliases {
	char *db;
	bool read;			/* false: aliases/list failed */
	char **names;
	size_t n;
};

static const struct db_aliases *
db_aliases_get(struct prot *pr, struct db_aliases **cache, size_t *n, const char *db)
{
	struct milvus_rest_result *res;
	struct db_aliases *d;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*cache)[i].db, db) == 0)
			return &(*cache)[i];
	*cache = xreallocarray(*cache, *n + 1, sizeof **cache);
	d = &(*cache)[(*n)++];
	memset(d, 0, sizeof *d);
	d->db = xstrdup(db);
	res = milvus_rest_aliases_list_sync(pr->rest, db, NULL);
	if (res->err == MREST_OK) {
		d->read = true;
		d->names = res->names;
		d->n = res->n_names;
		res->names = NULL;
		res->n_names = 0;
	}
	milvus_rest_result_free(res);
	return d;
}

static void
db_aliases_free(struct db_aliases *cache, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(cache[i].db);
		prot_strv_free(cache[i].names, cache[i].n);
	}
	free(cache);
}

/* Where the guard alias stands for one listed collection. The guard alias
 * is looked up in its database's aliases; only a collection without it is
 * described (does it exist, do other aliases block its drop). */
static const char *
guard_state(struct prot *pr, const struct protect_entry *en, struct db_aliases **cache,
    size_t *n_cache)
{
	const struct db_aliases *d;
	char name[300], **aliases = NULL;
	size_t n = 0;
	int found;
	const char *s;

	if (pr->rest == NULL)
		return "unknown (no proxy answered)";
	protect_alias_name(en->coll, name, sizeof name);
	d = db_aliases_get(pr, cache, n_cache, en->db);
	if (d->read && prot_has(d->names, d->n, name))
		return protect_alias_guard_works(pr->version) == 0 ? "alias (not enforced "
		    "before 2.5.5)" : "in place";
	snprintf(pr->db, sizeof pr->db, "%s", en->db);
	snprintf(pr->coll, sizeof pr->coll, "%s", en->coll);
	snprintf(pr->full, sizeof pr->full, "%s.%s", en->db, en->coll);
	if ((found = prot_describe(pr, &aliases, &n)) < 0)
		return "unknown";
	if (found == 0)
		return "no such collection";
	if (prot_has(aliases, n, name))
		s = protect_alias_guard_works(pr->version) == 0 ? "alias (not enforced before "
		    "2.5.5)" : "in place";
	else if (n > 0 && protect_alias_guard_works(pr->version) == 1)
		s = "other aliases block drops";
	else
		s = "none";
	prot_strv_free(aliases, n);
	return s;
}

/* Databases with collection DDL denied (2.5+ REST has databases/). */
static void
list_databases(struct prot *pr, struct out_obj *root)
{
	struct milvus_rest_result *dbs, *d;
	struct out_tab *t;
	struct out_obj *row;
	size_t i, k;

	if (pr->rest == NULL)
		return;
	dbs = milvus_rest_databases_list_sync(pr->rest);
	if (dbs->err != MREST_OK) {
		milvus_rest_result_free(dbs);
		return;
	}
	t = out_table(root, "databases", "databases", db_cols, sizeof db_cols /
	    sizeof db_cols[0]);
	for (i = 0; i < dbs->n_names; i++) {
		bool denied = false;

		d = milvus_rest_database_describe_sync(pr->rest, dbs->names[i]);
		for (k = 0; d->err == MREST_OK && k < d->info.n_properties; k++)
			if (strcmp(d->info.properties[k].key, DENY_KEY) == 0 &&
			    strcmp(d->info.properties[k].value, "true") == 0)
				denied = true;
		milvus_rest_result_free(d);
		row = out_row(t);
		out_str(row, "database", dbs->names[i]);
		out_bool(row, "collection_ddl_denied", denied);
	}
	milvus_rest_result_free(dbs);
}

int
cmd_protect_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct protect_entry *v = NULL;
	struct db_aliases *dba = NULL;
	struct prot pr;
	struct out_doc *doc;
	struct out_obj *root, *row;
	struct out_tab *t;
	char err[512];
	size_t i, n = 0, skipped = 0, n_dba = 0;
	int rc;

	memset(&pr, 0, sizeof pr);
	pr.ctx = ctx;
	if (argc > 1)
		return cmd_usage(ctx, e);
	if ((rc = prot_open(&pr, false)) != CMD_OK)
		goto out;
	if (protect_store_list(pr.etcd, pr.prefix, &v, &n, &skipped, err, sizeof err) != 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s", err);
		goto out;
	}
	if (skipped > 0)
		bk_warn(ctx, "%zu key(s) under %sprotect/ are not protect records: skipped",
		    skipped, pr.prefix);
	pr.rest = state_rest(pr.st, err, sizeof err);	/* NULL: guards unknown */
	doc = out_doc_new("protect-list");
	root = out_doc_root(doc);
	out_str(root, "profile", pr.s.p->name);
	out_strf(root, "etcd_prefix", "%sprotect/", pr.prefix);
	out_str(root, "milvus_version", pr.version);
	t = out_table(root, "collections", "protected collections", list_cols,
	    sizeof list_cols / sizeof list_cols[0]);
	for (i = 0; i < n; i++) {
		row = out_row(t);
		out_strf(row, "collection", "%s.%s", v[i].db, v[i].coll);
		out_str(row, "source", guard_protected(pr.s.p, v[i].db, v[i].coll) ?
		    "shared+config" : "shared");
		out_str(row, "server_guard", guard_state(&pr, &v[i], &dba, &n_dba));
		v[i].alias[0] != '\0' ? out_str(row, "alias", v[i].alias) : out_null(row, "alias");
		out_str(row, "by", v[i].by);
		v[i].at_ms > 0 ? out_int(row, "since_ms", v[i].at_ms) : out_null(row, "since_ms");
	}
	/* The profile's own names: patterns stay patterns. */
	for (i = 0; i < pr.s.p->n_guards_protected; i++) {
		const char *c = pr.s.p->guards_protected[i];
		const char *dot = strchr(c, '.');
		size_t k;
		bool dup = false;

		for (k = 0; k < n && !dup; k++)
			dup = dot != NULL ? (strncmp(c, v[k].db, (size_t)(dot - c)) == 0 &&
			    v[k].db[dot - c] == '\0' && strcmp(dot + 1, v[k].coll) == 0) :
			    (strcmp(v[k].db, "default") == 0 && strcmp(c, v[k].coll) == 0);
		if (dup)
			continue;
		row = out_row(t);
		out_strf(row, "collection", "%s%s", dot != NULL ? "" : "default.", c);
		out_str(row, "source", "config");
		out_str(row, "server_guard", "none (config only: give protect add for one)");
		out_null(row, "alias");
		out_str(row, "by", "config");
		out_null(row, "since_ms");
	}
	list_databases(&pr, root);
	rc = cmd_emit(ctx, doc);
out:
	db_aliases_free(dba, n_dba);
	free(v);
	prot_close(&pr);
	return rc;
}

/* ---- protect database DB [--off] ---- */

/* The property's value now: 1 true, 0 not set or false, -1 after reporting
 * (*rc set). */
static int
deny_now(struct prot *pr, int *rc)
{
	struct milvus_rest_result *d = milvus_rest_database_describe_sync(pr->rest, pr->db);
	size_t k;
	int on = 0;

	if (d->err != MREST_OK) {
		*rc = cmd_error(pr->ctx, d->err == MREST_EUNREACHABLE ? CMD_UNREACHABLE :
		    CMD_FAILED, "database %s: %s", pr->db, d->errmsg);
		milvus_rest_result_free(d);
		return -1;
	}
	for (k = 0; k < d->info.n_properties; k++)
		if (strcmp(d->info.properties[k].key, DENY_KEY) == 0)
			on = strcmp(d->info.properties[k].value, "true") == 0;
	milvus_rest_result_free(d);
	return on;
}

int
cmd_protect_database(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct milvus_rest_result *res;
	struct guard_req g;
	struct prot pr;
	struct out_doc *doc;
	struct out_obj *root;
	const char *name = NULL, *confirm = NULL, *v;
	bool missing = false, off = false;
	int i, rc, on, works;

	memset(&pr, 0, sizeof pr);
	pr.ctx = ctx;
	for (i = 1; i < argc; i++) {
		if ((v = cmd_opt_value(argc, argv, &i, "--confirm", &missing)) != NULL)
			confirm = v;
		else if (strcmp(argv[i], "--off") == 0)
			off = true;
		else if (missing || argv[i][0] == '-' || name != NULL)
			return cmd_usage(ctx, e);
		else
			name = argv[i];
	}
	if (name == NULL || missing)
		return cmd_usage(ctx, e);
	if ((rc = prot_name(&pr, name, true)) != CMD_OK || (rc = prot_open(&pr, true)) != CMD_OK)
		goto out;
	works = protect_force_deny_works(pr.version);
	if (works == 0 && !off) {
		rc = cmd_error(ctx, CMD_REFUSED, "Milvus %s has no %s (2.4.24+, 2.5.8+): protect "
		    "the collections one by one with protect add", pr.version, DENY_KEY);
		goto out;
	}
	if ((on = deny_now(&pr, &rc)) < 0)
		goto out;
	if (on != off) {
		/* Already as asked. */
	} else if (off) {
		res = milvus_rest_database_drop_properties_sync(pr.rest, pr.db, DENY_KEY);
		if (res->err != MREST_OK)
			rc = cmd_error(ctx, CMD_FAILED, "database %s: %s", pr.db, res->errmsg);
		milvus_rest_result_free(res);
	} else {
		memset(&g, 0, sizeof g);
		g.p = pr.s.p;
		g.action = "deny collection DDL in database";
		g.name = pr.db;
		g.detail = DENY_KEY "=true";
		g.confirm = confirm;
		g.irreversible = "every client (not only this tool) is then refused create "
		    "collection, drop collection, load and release in this database until "
		    "protect database --off; applications that load or release collections "
		    "there will fail";
		if ((rc = cmd_guard(ctx, &g)) != CMD_OK)
			goto out;
		res = milvus_rest_database_alter_sync(pr.rest, pr.db, DENY_KEY, "true");
		if (res->err != MREST_OK)
			rc = cmd_error(ctx, CMD_FAILED, "database %s: %s", pr.db, res->errmsg);
		milvus_rest_result_free(res);
	}
	if (rc != CMD_OK)
		goto out;
	doc = out_doc_new("protect-database");
	root = out_doc_root(doc);
	out_str(root, "database", pr.db);
	out_str(root, "property", DENY_KEY);
	out_bool(root, "collection_ddl_denied", !off);
	out_str(root, "result", on != off ? (off ? "was not denied" : "already denied") :
	    off ? "allowed" : "denied");
	out_str(root, "blocks", "create collection, drop collection, load, release");
	/* QuotaCenter applies it on its next refresh (quotaCenterCollectInterval). */
	out_str(root, "takes_effect", "within quotaAndLimits.quotaCenterCollectInterval "
	    "(default 3 s)");
	rc = cmd_emit(ctx, doc);
out:
	prot_close(&pr);
	return rc;
}

/* ---- protect who-can-drop [DB.]NAME ---- */

static const struct out_col who_cols[] = {
	{ "role", "ROLE", OCOL_STR },
	{ "via", "VIA", OCOL_STR },
	{ "database", "DATABASE", OCOL_STR },
	{ "object", "OBJECT", OCOL_STR },
	{ "users", "USERS", OCOL_STR },
};

int
cmd_protect_who_can_drop(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct milvus_rbac rb;
	struct drop_right *d = NULL;
	struct prot pr;
	struct out_doc *doc;
	struct out_obj *root, *row;
	struct out_tab *t;
	char err[512];
	size_t i, n = 0;
	int rc, rerr = MREST_OK;

	memset(&pr, 0, sizeof pr);
	memset(&rb, 0, sizeof rb);
	pr.ctx = ctx;
	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(ctx, e);
	if ((rc = prot_name(&pr, argv[1], false)) != CMD_OK ||
	    (rc = prot_open(&pr, true)) != CMD_OK)
		goto out;
	if (milvus_rbac_read(pr.rest, &rb, &rerr, err, sizeof err) != 0) {
		rc = cmd_error(ctx, rerr == MREST_EUNREACHABLE ? CMD_UNREACHABLE : CMD_FAILED,
		    "who can drop %s: %s", pr.full, err);
		goto out;
	}
	n = milvus_who_can_drop(&rb, pr.db, pr.coll, &d);
	doc = out_doc_new("who-can-drop");
	root = out_doc_root(doc);
	out_str(root, "collection", pr.full);
	out_str(root, "superuser", "root");
	out_bool(root, "privilege_groups_known", rb.groups_known);
	out_str(root, "note", "root can always drop; with common.security."
	    "authorizationEnabled false every client can; TruncateCollection needs the "
	    "same privilege");
	t = out_table(root, "rights", "roles that can drop it", who_cols,
	    sizeof who_cols / sizeof who_cols[0]);
	for (i = 0; i < n; i++) {
		char *users = NULL;
		size_t k, len = 1;

		for (k = 0; k < d[i].n_users; k++)
			len += strlen(d[i].users[k]) + 1;
		users = xcalloc(1, len);
		for (k = 0; k < d[i].n_users; k++) {
			if (k > 0)
				strcat(users, ",");
			strcat(users, d[i].users[k]);
		}
		row = out_row(t);
		out_str(row, "role", d[i].role);
		out_str(row, "via", d[i].via);
		out_str(row, "database", d[i].db_name);
		out_str(row, "object", d[i].object_name);
		out_str(row, "users", users);
		out_strv(row, "user_list", (const char *const *)d[i].users, d[i].n_users);
		free(users);
	}
	rc = cmd_emit(ctx, doc);
out:
	drop_rights_free(d, d != NULL ? n : 0);
	milvus_rbac_free(&rb);
	prot_close(&pr);
	return rc;
}
