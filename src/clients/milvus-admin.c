/* SPDX-License-Identifier: MIT */
/* REST v2 admin calls on the milvus_rest client (contract §5.3, §5.5):
 * aliases create and drop, database describe, properties and drop, and the
 * whole RBAC read, as MREST_OP_RAW calls parsed by milvus-admin-parse.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/milvus_admin.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"
#include "milvus-rest-int.h"

/* Most users, and roles, read one by one: far above Milvus's own limits
 * (proxy.maxUserNum 100, proxy.maxRoleNum 10), low enough that a hostile
 * list cannot make thousands of calls more. */
#define ADMIN_MAX_PRINCIPALS	4096
/* A property value (resource group lists are the longest real ones). */
#define ADMIN_MAX_VALUE		65536

struct milvus_rest_result *
milvus_rest_alias_create_sync(struct milvus_rest *r, const char *db, const char *alias,
    const char *collection)
{
	struct milvus_rest_result *res;
	struct buf extra = BUF_INIT;
	char *body = NULL;

	if (r != NULL && mrest_name_ok(collection)) {
		buf_adds(&extra, "\"collectionName\":");
		buf_add_json_str(&extra, collection);
		body = mrest_body(mrest_db(r, db), "aliasName", alias, extra.data);
	}
	res = mrest_call_sync(r, "aliases/create", body, false);
	buf_release(&extra);
	free(body);
	return res;
}

struct milvus_rest_result *
milvus_rest_alias_drop_sync(struct milvus_rest *r, const char *db, const char *alias)
{
	struct milvus_rest_result *res;
	char *body = r != NULL ? mrest_body(mrest_db(r, db), "aliasName", alias, NULL) : NULL;

	res = mrest_call_sync(r, "aliases/drop", body, false);
	free(body);
	return res;
}

/* A databases/ call on database db, which must be named: the client's
 * default database is no implicit target here (a drop of the wrong one
 * cannot be undone). */
static struct milvus_rest_result *
admin_db_call(struct milvus_rest *r, const char *path, const char *db, const char *extra,
    bool read)
{
	struct milvus_rest_result *res;
	char *body = mrest_body(NULL, "dbName", db, extra);

	res = mrest_call_sync(r, path, body, read);
	free(body);
	return res;
}

struct milvus_rest_result *
milvus_rest_database_describe_sync(struct milvus_rest *r, const char *db)
{
	struct milvus_rest_result *res = admin_db_call(r, "databases/describe", db, NULL, true);

	if (res->err != MREST_OK)
		return res;
	if (milvus_parse_database(res->body, res->body_len, &res->info) != 0) {
		res->err = MREST_EPROTO;
		snprintf(res->errmsg, sizeof res->errmsg, "malformed databases/describe answer "
		    "from proxy '%s'", res->uri);
		return res;
	}
	if (res->info.name == NULL)
		res->info.name = xstrdup(db);
	return res;
}

struct milvus_rest_result *
milvus_rest_database_alter_sync(struct milvus_rest *r, const char *db, const char *key,
    const char *value)
{
	struct milvus_rest_result *res;
	struct buf extra = BUF_INIT;
	const char *members = NULL;

	/* Values go as strings: the proxy turns any value into one anyway. */
	if (mrest_name_ok(key) && value != NULL && strlen(value) <= ADMIN_MAX_VALUE) {
		buf_adds(&extra, "\"properties\":{");
		buf_add_json_str(&extra, key);
		buf_addc(&extra, ':');
		buf_add_json_str(&extra, value);
		buf_addc(&extra, '}');
		members = extra.data;
	}
	res = members != NULL ? admin_db_call(r, "databases/alter", db, members, false) :
	    mrest_call_sync(r, "databases/alter", NULL, false);
	buf_release(&extra);
	return res;
}

struct milvus_rest_result *
milvus_rest_database_drop_properties_sync(struct milvus_rest *r, const char *db,
    const char *key)
{
	struct milvus_rest_result *res;
	struct buf extra = BUF_INIT;

	if (!mrest_name_ok(key))
		return mrest_call_sync(r, "databases/drop_properties", NULL, false);
	buf_adds(&extra, "\"propertyKeys\":[");
	buf_add_json_str(&extra, key);
	buf_addc(&extra, ']');
	res = admin_db_call(r, "databases/drop_properties", db, extra.data, false);
	buf_release(&extra);
	return res;
}

struct milvus_rest_result *
milvus_rest_database_drop_sync(struct milvus_rest *r, const char *db)
{
	return admin_db_call(r, "databases/drop", db, NULL, false);
}

/* ---- the RBAC read ---- */

struct rbac_read {
	struct milvus_rest *r;
	int *rc_err;
	char *err;
	size_t errlen;
};

static int
rbac_fail(struct rbac_read *rd, int rc, const char *what, const char *name, const char *why)
{
	char safe[80];

	if (rd->rc_err != NULL)
		*rd->rc_err = rc;
	if (name == NULL) {
		snprintf(rd->err, rd->errlen, "%s: %s", what, why);
		return -1;
	}
	/* Names come from the server: one line, bounded. */
	mj_oneline(safe, sizeof safe, name, strlen(name));
	snprintf(rd->err, rd->errlen, "%s '%s': %s", what, safe, why);
	return -1;
}

/* One read call (body NULL: a name the client cannot send); the answer when
 * it succeeded (caller frees), else NULL with the error set. */
static struct milvus_rest_result *
rbac_call(struct rbac_read *rd, const char *path, const char *name, char *body)
{
	struct milvus_rest_result *res = mrest_call_sync(rd->r, path, body, true);

	free(body);
	if (res->err == MREST_OK)
		return res;
	rbac_fail(rd, res->err, path, name, res->errmsg);
	milvus_rest_result_free(res);
	return NULL;
}

static int
rbac_malformed(struct rbac_read *rd, struct milvus_rest_result *res, const char *path,
    const char *name)
{
	char why[200];

	snprintf(why, sizeof why, "malformed answer from proxy '%s'", res->uri);
	milvus_rest_result_free(res);
	return rbac_fail(rd, MREST_EPROTO, path, name, why);
}

/* users/list or roles/list: their names (taken over), at most
 * ADMIN_MAX_PRINCIPALS. */
static int
rbac_list(struct rbac_read *rd, const char *path, char ***names, size_t *n)
{
	struct milvus_rest_result *res = rbac_call(rd, path, NULL, xstrdup("{}"));
	struct milvus_user list;
	char why[200];

	if (res == NULL)
		return -1;
	/* A list of names has the shape of a user's roles. */
	if (milvus_parse_user_roles(res->body, res->body_len, &list) != 0)
		return rbac_malformed(rd, res, path, NULL);
	if (list.n_roles > ADMIN_MAX_PRINCIPALS) {
		snprintf(why, sizeof why, "proxy '%s' listed %zu names, more than the %d read",
		    res->uri, list.n_roles, ADMIN_MAX_PRINCIPALS);
		mrest_free_names(list.roles, list.n_roles);
		milvus_rest_result_free(res);
		return rbac_fail(rd, MREST_EPROTO, path, NULL, why);
	}
	milvus_rest_result_free(res);
	*names = list.roles;
	*n = list.n_roles;
	return 0;
}

/* users/list and users/describe of each (users true), or roles/list and
 * roles/describe of each. */
static int
rbac_principals(struct rbac_read *rd, struct milvus_rbac *out, bool users)
{
	const char *what = users ? "users/describe" : "roles/describe";
	struct milvus_rest_result *res;
	char **names, *body;
	size_t n, i;
	int rc = 0;

	if (rbac_list(rd, users ? "users/list" : "roles/list", &names, &n) != 0)
		return -1;
	if (users)
		out->users = n > 0 ? xcalloc(n, sizeof *out->users) : NULL;
	else
		out->roles = n > 0 ? xcalloc(n, sizeof *out->roles) : NULL;
	for (i = 0; i < n && rc == 0; i++) {
		const char *name = names[i];

		/* Owned by out from here on, so that a failure frees it. */
		if (users) {
			out->users[out->n_users++].name = names[i];
			body = mrest_body(NULL, "userName", name, NULL);
		} else {
			out->roles[out->n_roles++].name = names[i];
			/* dbName "*": the role's grants in every database, not
			 * only in the default one. */
			body = mrest_body("*", "roleName", name, NULL);
		}
		names[i] = NULL;
		if ((res = rbac_call(rd, what, name, body)) == NULL)
			rc = -1;
		else if ((users ? milvus_parse_user_roles(res->body, res->body_len, &out->users[i]) :
		    milvus_parse_role_grants(res->body, res->body_len, &out->roles[i])) != 0)
			rc = rbac_malformed(rd, res, what, name);
		else
			milvus_rest_result_free(res);
	}
	for (; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int
rbac_groups(struct rbac_read *rd, struct milvus_rbac *out)
{
	struct milvus_rest_result *res = mrest_call_sync(rd->r, "privilege_groups/list", "{}",
	    true);

	/* Before 2.5 the route does not exist: gin's plain 404. */
	if (res->err == MREST_EHTTP && res->http_status == 404) {
		milvus_rest_result_free(res);
		return 0;
	}
	if (res->err != MREST_OK) {
		rbac_fail(rd, res->err, "privilege_groups/list", NULL, res->errmsg);
		milvus_rest_result_free(res);
		return -1;
	}
	if (milvus_parse_privilege_groups(res->body, res->body_len, &out->groups,
	    &out->n_groups) != 0)
		return rbac_malformed(rd, res, "privilege_groups/list", NULL);
	milvus_rest_result_free(res);
	out->groups_known = true;
	return 0;
}

static int
rbac_read(struct milvus_rest *r, struct milvus_rbac *out, int *rc_err, char *err,
    size_t errlen, bool users_and_groups)
{
	char scratch[1];
	struct rbac_read rd = { r, rc_err, err != NULL && errlen > 0 ? err : scratch,
		err != NULL && errlen > 0 ? errlen : sizeof scratch };

	memset(out, 0, sizeof *out);
	rd.err[0] = '\0';
	if (rc_err != NULL)
		*rc_err = MREST_OK;
	if (r == NULL) {
		rbac_fail(&rd, MREST_EINVAL, "rbac read", NULL, "no client");
		return -1;
	}
	if ((users_and_groups && rbac_principals(&rd, out, true) != 0) ||
	    rbac_principals(&rd, out, false) != 0 ||
	    (users_and_groups && rbac_groups(&rd, out) != 0)) {
		milvus_rbac_free(out);
		return -1;
	}
	return 0;
}

int
milvus_rbac_read(struct milvus_rest *r, struct milvus_rbac *out, int *rc_err, char *err,
    size_t errlen)
{
	return rbac_read(r, out, rc_err, err, errlen, true);
}

int
milvus_rbac_read_roles(struct milvus_rest *r, struct milvus_rbac *out, int *rc_err, char *err,
    size_t errlen)
{
	return rbac_read(r, out, rc_err, err, errlen, false);
}
