/* SPDX-License-Identifier: MIT */
/* `protect add|remove|list`: the shared protect list in etcd (every operator
 * of the tool sees it; `drop collection` refuses what is on it) and the
 * server-side guard, an alias named milvusadm_guard_<collection> that makes
 * Milvus 2.5.5+ itself refuse a drop from any client. The alias is taken away
 * only when the list's record says this tool made it. `protect database` and
 * `protect who-can-drop` are in cmd-protect-db.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/audit.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/milvus_admin.h"
#include "milvusadm/output.h"
#include "milvusadm/protect.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"
#include "cmd-protect.h"

int
prot_name(struct prot *pr, const char *name, bool db_only)
{
	const char *dot = db_only ? NULL : strchr(name, '.');

	if (db_only)
		snprintf(pr->db, sizeof pr->db, "%s", name);
	else {
		snprintf(pr->db, sizeof pr->db, "%.*s", dot != NULL ? (int)(dot - name) : 7,
		    dot != NULL ? name : "default");
		snprintf(pr->coll, sizeof pr->coll, "%s", dot != NULL ? dot + 1 : name);
	}
	if (!protect_name_ok(pr->db) || (!db_only && !protect_name_ok(pr->coll)))
		return cmd_error(pr->ctx, CMD_USAGE, "'%s' is not a %s name (letters, digits and "
		    "'_', one exact name, no pattern)", name, db_only ? "database" : "collection");
	snprintf(pr->full, sizeof pr->full, "%s%s%s", pr->db, db_only ? "" : ".",
	    db_only ? "" : pr->coll);
	return CMD_OK;
}

int
prot_open(struct prot *pr, bool need_rest)
{
	const struct profile *p;
	struct cluster *c;
	char err[512];
	int rc;

	if ((rc = bk_session_profile(pr->ctx, &pr->s)) != CMD_OK)
		return rc;
	p = pr->s.p;
	pr->prefix = p->guards_etcd_prefix;
	if (!protect_prefix_ok(pr->prefix, p->etcd_root_path))
		return cmd_error(pr->ctx, CMD_FAILED, "guards.etcd_prefix '%s' of profile '%s' is "
		    "empty or inside Milvus's root path '%s': the tool keeps its keys apart",
		    pr->prefix, p->name, p->etcd_root_path);
	/* The profile just loaded, not the config read a second time. */
	if ((pr->st = state_new(pr->ctx->loop, p, err, sizeof err)) == NULL)
		return cmd_error(pr->ctx, CMD_FAILED, "%s", err);
	pr->etcd = state_etcd(pr->st);
	c = state_cluster(pr->st);
	if (state_load_sessions(pr->st) != 0)
		return cmd_error(pr->ctx, CMD_UNREACHABLE, "etcd unreachable: %s (the protect "
		    "list lives there)", c->src_sessions.error != NULL ? c->src_sessions.error :
		    "no answer");
	pr->version = c->milvus_version;
	if (need_rest && (pr->rest = state_rest(pr->st, err, sizeof err)) == NULL)
		return cmd_error(pr->ctx, CMD_UNREACHABLE, "%s", err);
	return CMD_OK;
}

void
prot_close(struct prot *pr)
{
	state_free(pr->st);
	bk_session_close(&pr->s);
}

/* The collection's aliases (describe): 1 found, 0 no such collection, or
 * the exit code's negative after reporting. */
int
prot_describe(struct prot *pr, char ***aliases, size_t *n)
{
	struct milvus_rest_result *res;
	size_t i;
	int rc;

	*aliases = NULL;
	*n = 0;
	res = milvus_rest_collection_describe_sync(pr->rest, pr->db, pr->coll);
	if (res->err == MREST_ESERVER && res->code == MREST_CODE_COLLECTION_NOT_FOUND) {
		milvus_rest_result_free(res);
		return 0;
	}
	if (res->err != MREST_OK) {
		rc = cmd_error(pr->ctx, res->err == MREST_EUNREACHABLE ? CMD_UNREACHABLE :
		    CMD_FAILED, "collection %s: %s", pr->full, res->errmsg);
		milvus_rest_result_free(res);
		return -rc;
	}
	if (res->info.n_aliases > 0) {
		*aliases = xcalloc(res->info.n_aliases, sizeof **aliases);
		for (i = 0; i < res->info.n_aliases; i++)
			(*aliases)[i] = xstrdup(res->info.aliases[i]);
		*n = res->info.n_aliases;
	}
	milvus_rest_result_free(res);
	return 1;
}

void
prot_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool
prot_has(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* ---- protect add ---- */

/* Make the guard alias; the state said in *guard. CMD_OK, or CMD_FAILED
 * after a warning (the list still protects). */
static int
add_alias(struct prot *pr, char *const *aliases, size_t n, struct protect_entry *en,
    const char **guard)
{
	struct milvus_rest_result *res;
	char name[300];
	int works = protect_alias_guard_works(pr->version);

	protect_alias_name(pr->coll, name, sizeof name);
	if (prot_has(aliases, n, name)) {
		*guard = en->alias[0] != '\0' ? "in place" : "in place (alias not made by this "
		    "tool: it is never removed by it)";
		return CMD_OK;
	}
	if (works == 0) {
		*guard = "not possible on this version (a drop refuses aliases from Milvus 2.5.5)";
		return CMD_OK;
	}
	res = milvus_rest_alias_create_sync(pr->rest, pr->db, name, pr->coll);
	if (res->err != MREST_OK) {
		*guard = "failed";
		bk_warn(pr->ctx, "the guard alias %s could not be made: %s", name, res->errmsg);
		milvus_rest_result_free(res);
		return CMD_FAILED;
	}
	milvus_rest_result_free(res);
	snprintf(en->alias, sizeof en->alias, "%s", name);
	*guard = works == 1 ? "made now" : "made now (whether Milvus enforces it depends on "
	    "the version: 2.5.5+)";
	return CMD_OK;
}

int
cmd_protect_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct protect_entry en, old;
	struct prot pr;
	struct out_doc *doc;
	struct out_obj *root;
	const char *name = NULL, *guard = "skipped (--no-alias)";
	char err[512], user[128], host[128], **aliases = NULL, *key;
	size_t n = 0;
	bool no_alias = false;
	int i, rc, found, arc = CMD_OK;

	memset(&pr, 0, sizeof pr);
	pr.ctx = ctx;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-alias") == 0)
			no_alias = true;
		else if (argv[i][0] == '-' || name != NULL)
			return cmd_usage(ctx, e);
		else
			name = argv[i];
	}
	if (name == NULL)
		return cmd_usage(ctx, e);
	if ((rc = prot_name(&pr, name, false)) != CMD_OK || (rc = prot_open(&pr, true)) != CMD_OK)
		goto out;
	if ((found = prot_describe(&pr, &aliases, &n)) <= 0) {
		rc = found == 0 ? cmd_error(ctx, CMD_FAILED, "no collection %s", pr.full) : -found;
		goto out;
	}
	if ((found = protect_store_get(pr.etcd, pr.prefix, pr.db, pr.coll, &old, err,
	    sizeof err)) < 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s", err);
		goto out;
	}
	memset(&en, 0, sizeof en);
	if (found)
		en = old;
	else {
		snprintf(en.db, sizeof en.db, "%s", pr.db);
		snprintf(en.coll, sizeof en.coll, "%s", pr.coll);
		audit_os_who(user, sizeof user, host, sizeof host);
		snprintf(en.by, sizeof en.by, "%s@%s", user, host);
		en.at_ms = time_wall_ms();
	}
	snprintf(ctx->guard_target, sizeof ctx->guard_target, "%.250s", pr.full);
	if (!no_alias)
		arc = add_alias(&pr, aliases, n, &en, &guard);
	if (protect_store_put(pr.etcd, pr.prefix, &en, err, sizeof err) != 0) {
		/* Not on the list: an alias made just now would be one nobody
		 * knows the tool made; take it back. */
		if (!found && en.alias[0] != '\0')
			milvus_rest_result_free(milvus_rest_alias_drop_sync(pr.rest, pr.db,
			    en.alias));
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s", err);
		goto out;
	}
	key = protect_key(pr.prefix, pr.db, pr.coll);
	doc = out_doc_new("protect");
	root = out_doc_root(doc);
	out_str(root, "collection", pr.full);
	out_str(root, "result", found ? "already protected" : "protected");
	out_str(root, "etcd_key", key);
	out_str(root, "by", en.by);
	out_str(root, "server_guard", guard);
	en.alias[0] != '\0' ? out_str(root, "alias", en.alias) : out_null(root, "alias");
	out_str(root, "milvus_version", pr.version);
	free(key);
	rc = cmd_emit(ctx, doc);
	if (arc != CMD_OK)
		rc = arc;
out:
	prot_strv_free(aliases, n);
	prot_close(&pr);
	return rc;
}

/* ---- protect remove ---- */

/* Drop the guard alias the record names, only while it still points at this
 * collection. */
static const char *
remove_alias(struct prot *pr, const struct protect_entry *en, char *const *aliases, size_t n)
{
	struct milvus_rest_result *res;

	if (en->alias[0] == '\0')
		return "none made by this tool (any other alias is left alone)";
	if (!prot_has(aliases, n, en->alias))
		return "already gone";
	res = milvus_rest_alias_drop_sync(pr->rest, pr->db, en->alias);
	if (res->err != MREST_OK) {
		bk_warn(pr->ctx, "the guard alias %s could not be removed: %s", en->alias,
		    res->errmsg);
		milvus_rest_result_free(res);
		return NULL;
	}
	milvus_rest_result_free(res);
	return "removed";
}

int
cmd_protect_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct protect_entry en;
	struct guard_req g;
	struct prot pr;
	struct out_doc *doc;
	struct out_obj *root;
	const char *name = NULL, *confirm = NULL, *v, *how;
	char err[512], detail[900], when[40], **aliases = NULL;
	size_t n = 0;
	bool missing = false, in_config;
	int i, rc, found;

	memset(&pr, 0, sizeof pr);
	pr.ctx = ctx;
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
	if ((rc = prot_name(&pr, name, false)) != CMD_OK || (rc = prot_open(&pr, true)) != CMD_OK)
		goto out;
	in_config = guard_protected(pr.s.p, pr.db, pr.coll);
	if ((found = protect_store_get(pr.etcd, pr.prefix, pr.db, pr.coll, &en, err,
	    sizeof err)) < 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s", err);
		goto out;
	}
	if (!found) {
		rc = in_config ? cmd_error(ctx, CMD_REFUSED, "%s is protected by profile '%s''s "
		    "guards.protected in the config file, not the shared list: take it off there",
		    pr.full, pr.s.p->name) : cmd_error(ctx, CMD_FAILED, "%s is not protected",
		    pr.full);
		goto out;
	}
	if ((found = prot_describe(&pr, &aliases, &n)) < 0) {
		rc = -found;
		goto out;
	}
	time_format_rfc3339(en.at_ms, when, sizeof when);
	snprintf(detail, sizeof detail, "protected by %s since %s%s%s", en.by[0] ? en.by : "?",
	    en.at_ms > 0 ? when : "?", en.alias[0] != '\0' ? ", guard alias " : "", en.alias);
	memset(&g, 0, sizeof g);
	g.p = pr.s.p;
	g.action = "unprotect collection";
	g.name = pr.full;
	g.detail = detail;
	g.confirm = confirm;
	g.irreversible = "after this a drop from any client is no longer refused";
	if ((rc = cmd_guard(ctx, &g)) != CMD_OK)
		goto out;
	how = found ? remove_alias(&pr, &en, aliases, n) : "the collection is gone";
	if (how == NULL) {
		rc = CMD_FAILED;	/* still on the list: it still protects */
		goto out;
	}
	if (protect_store_delete(pr.etcd, pr.prefix, pr.db, pr.coll, err, sizeof err) != 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s", err);
		goto out;
	}
	doc = out_doc_new("unprotect");
	root = out_doc_root(doc);
	out_str(root, "collection", pr.full);
	out_str(root, "result", "unprotected");
	out_str(root, "alias", how);
	out_bool(root, "still_in_config", in_config);
	rc = cmd_emit(ctx, doc);
	if (in_config)
		bk_warn(ctx, "%s is still protected by profile '%s''s guards.protected in the "
		    "config file", pr.full, pr.s.p->name);
out:
	prot_strv_free(aliases, n);
	prot_close(&pr);
	return rc;
}
