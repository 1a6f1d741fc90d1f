/* SPDX-License-Identifier: MIT */
/* `milvusadm drop database DB`: only an empty database. While it holds
 * collections it is refused and each collection is named: every one must go
 * through `drop collection` (its protection, its backup, its confirmation)
 * first, so no collection is ever dropped here without its own backup. A
 * database on the profile's guards.protected list ("DB.*") is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/milvus_admin.h"
#include "milvusadm/output.h"
#include "milvusadm/protect.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"
#include "cmd-protect.h"

/* 1 the database is listed, 0 not, -1 after reporting (*rc). */
static int
db_listed(struct prot *pr, int *rc)
{
	struct milvus_rest_result *res = milvus_rest_databases_list_sync(pr->rest);
	size_t i;
	int found = 0;

	if (res->err != MREST_OK) {
		*rc = cmd_error(pr->ctx, res->err == MREST_EUNREACHABLE ? CMD_UNREACHABLE :
		    CMD_FAILED, "databases: %s", res->errmsg);
		milvus_rest_result_free(res);
		return -1;
	}
	for (i = 0; i < res->n_names; i++)
		if (strcmp(res->names[i], pr->db) == 0)
			found = 1;
	milvus_rest_result_free(res);
	return found;
}

int
cmd_drop_database(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct milvus_rest_result *res;
	struct guard_req g;
	struct prot pr;
	struct out_doc *doc;
	struct out_obj *root;
	const char *name = NULL, *confirm = NULL, *v;
	char names[600];
	bool missing = false;
	size_t i, k;
	int a, rc = CMD_OK, listed;

	memset(&pr, 0, sizeof pr);
	pr.ctx = ctx;
	for (a = 1; a < argc; a++) {
		if ((v = cmd_opt_value(argc, argv, &a, "--confirm", &missing)) != NULL)
			confirm = v;
		else if (missing || argv[a][0] == '-' || name != NULL)
			return cmd_usage(ctx, e);
		else
			name = argv[a];
	}
	if (name == NULL || missing)
		return cmd_usage(ctx, e);
	if ((rc = prot_name(&pr, name, true)) != CMD_OK)
		return rc;
	if (strcmp(pr.db, "default") == 0)
		return cmd_error(ctx, CMD_REFUSED, "Milvus cannot drop the default database");
	if ((rc = prot_open(&pr, true)) != CMD_OK)
		goto out;
	if (guard_protected(pr.s.p, pr.db, "*")) {
		rc = cmd_error(ctx, CMD_REFUSED, "database %s is protected in profile '%s' "
		    "(guards.protected has %s.*): take it off that list to drop it", pr.db,
		    pr.s.p->name, pr.db);
		goto out;
	}
	if ((listed = db_listed(&pr, &rc)) < 0)
		goto out;
	if (!listed) {
		rc = cmd_error(ctx, CMD_FAILED, "no database %s", pr.db);
		goto out;
	}
	res = milvus_rest_collections_list_sync(pr.rest, pr.db);
	if (res->err != MREST_OK) {
		rc = cmd_error(ctx, res->err == MREST_EUNREACHABLE ? CMD_UNREACHABLE : CMD_FAILED,
		    "database %s: %s", pr.db, res->errmsg);
		milvus_rest_result_free(res);
		goto out;
	}
	if (res->n_names > 0) {
		for (i = 0, k = 0; i < res->n_names && i < 5; i++)
			k += (size_t)snprintf(names + k, k < sizeof names ? sizeof names - k : 0,
			    "%s%.100s", i > 0 ? ", " : "", res->names[i]);
		rc = cmd_error(ctx, CMD_REFUSED, "database %s holds %zu collection%s (%s%s): drop "
		    "each with 'drop collection %s.NAME' first (each is backed up and confirmed "
		    "on its own)", pr.db, res->n_names, res->n_names == 1 ? "" : "s", names,
		    res->n_names > 5 ? ", ..." : "", pr.db);
		milvus_rest_result_free(res);
		goto out;
	}
	milvus_rest_result_free(res);
	memset(&g, 0, sizeof g);
	g.p = pr.s.p;
	g.action = "drop database";
	g.name = pr.db;
	g.detail = "empty";
	g.confirm = confirm;
	g.irreversible = "its properties (replica number, resource groups, quotas, "
	    "force-deny keys) are lost; a restore makes the database again without them";
	if ((rc = cmd_guard(ctx, &g)) != CMD_OK)
		goto out;
	res = milvus_rest_database_drop_sync(pr.rest, pr.db);
	if (res->err != MREST_OK)
		rc = cmd_error(ctx, CMD_FAILED, "drop database %s: %s", pr.db, res->errmsg);
	milvus_rest_result_free(res);
	if (rc != CMD_OK)
		goto out;
	if ((listed = db_listed(&pr, &rc)) != 0) {
		if (listed > 0)
			rc = cmd_error(ctx, CMD_FAILED, "drop database %s: sent, but it is still "
			    "listed", pr.db);
		goto out;
	}
	doc = out_doc_new("drop-database");
	root = out_doc_root(doc);
	out_str(root, "database", pr.db);
	out_str(root, "result", "dropped");
	rc = cmd_emit(ctx, doc);
out:
	prot_close(&pr);
	return rc;
}
