/* SPDX-License-Identifier: MIT */
/* REST v2 users/, roles/ and privilege_groups/ on the lab's proxies (contract
 * §5.5): handler_v2.go's answers, the proxy's checks and rootcoord's (its
 * root_coord.go and meta_table.go), over the credential keys in etcd. The
 * lab authorizes nothing: every call acts as root, the grantor it records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rbac.h"
#include "labd-rest.h"

#define MAX_USERS	100	/* proxy.maxUserNum */
#define MAX_ROLES	10	/* proxy.maxRoleNum, admin and public included */
#define MAX_USERNAME	32	/* proxy.maxUsernameLength */
#define MIN_PASSWORD	6
#define MAX_PASSWORD	256
#define GRANTOR		"root"

#define NO_ROLE		"not found the role, maybe the role isn't existed or internal system error"
#define NO_USER		"not found the user, maybe the user isn't existed or internal system error"

static const char *
need(struct lrest_ctx *c, const char *req_struct, const char *member, const char *field)
{
	const char *v = lrest_str(c, member);

	if (v == NULL || *v == '\0') {
		lrest_missing(c, req_struct, field);
		return NULL;
	}
	return v;
}

static bool
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* proxy ValidateUsername. */
static bool
valid_user(struct lrest_ctx *c, const char *u)
{
	size_t i, n = strlen(u);

	if (n > MAX_USERNAME) {
		lrest_err(c, 1100, "invalid username %s with length %zu, the length of username must "
		    "be less than %d: invalid parameter", u, n, MAX_USERNAME);
		return false;
	}
	if (!is_alpha(u[0])) {
		lrest_err(c, 1100, "invalid user name %s, the first character must be a letter, but "
		    "got %c: invalid parameter", u, u[0]);
		return false;
	}
	for (i = 1; i < n; i++) {
		if (u[i] != '_' && u[i] != '.' && u[i] != '-' && !is_alpha(u[i]) && !is_digit(u[i])) {
			lrest_err(c, 1100, "invalid user name %s, username must contain only numbers, "
			    "letters and underscores, but got %c: invalid parameter", u, u[i]);
			return false;
		}
	}
	return true;
}

/* proxy validateName (role and privilege group names). */
static bool
valid_name(struct lrest_ctx *c, const char *name, const char *what)
{
	size_t i, n = strlen(name);

	if (n > LSTORE_MAX_NAME) {
		lrest_err(c, 1100, "the length of %s must be not greater than limit: invalid "
		    "parameter", what);
		return false;
	}
	if (name[0] != '_' && !is_alpha(name[0])) {
		lrest_err(c, 1100, "the first character of %s must be an underscore or letter: "
		    "invalid parameter", what);
		return false;
	}
	for (i = 1; i < n; i++) {
		if (name[i] != '_' && name[i] != '$' && !is_alpha(name[i]) && !is_digit(name[i])) {
			lrest_err(c, 1100, "%s can only contain numbers, letters and underscores: "
			    "invalid parameter", what);
			return false;
		}
	}
	return true;
}

/* proxy ValidateObjectName: "*" or a name (of an object, a database). */
static bool
valid_object(struct lrest_ctx *c, const char *name, const char *what)
{
	return strcmp(name, "*") == 0 || valid_name(c, name, what);
}

static bool
valid_password(struct lrest_ctx *c, const char *pw)
{
	size_t n = strlen(pw);

	if (n < MIN_PASSWORD || n > MAX_PASSWORD) {
		lrest_err(c, 1100, "invalid password length: invalid parameter[%d <= %zu <= %d]",
		    MIN_PASSWORD, n, MAX_PASSWORD);
		return false;
	}
	return true;
}

static void
list_answer(struct lrest_ctx *c, bool users)
{
	struct buf b = BUF_INIT;
	size_t i, n = users ? c->s->n_users : c->s->n_roles;

	buf_addc(&b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, users ? c->s->users[i].name : c->s->roles[i]);
	}
	buf_addc(&b, ']');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static char *
key2(struct lrest_ctx *c, const char *dir, const char *a, const char *b)
{
	char rest[600];

	if (b != NULL)
		snprintf(rest, sizeof rest, "%s/%s/%s", dir, a, b);
	else
		snprintf(rest, sizeof rest, "%s/%s", dir, a);
	return lstore_cred_key(c->s, rest);
}

/* ---- users/ ---- */

static void
user_describe(struct lrest_ctx *c)
{
	const char *u = need(c, "UserReq", "userName", "UserName");
	struct buf b = BUF_INIT;
	size_t i, n = 0;

	if (u == NULL)
		return;
	/* SelectUser of a missing user answers success with no results. */
	buf_addc(&b, '[');
	for (i = 0; i < c->s->n_user_roles; i++) {
		if (strcmp(c->s->user_roles[i].user, u) != 0 || lstore_user_find(c->s, u) == NULL)
			continue;
		if (n++ > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, c->s->user_roles[i].role);
	}
	buf_addc(&b, ']');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
user_create(struct lrest_ctx *c)
{
	const char *u, *pw;
	char *hash;

	if ((u = need(c, "PasswordReq", "userName", "UserName")) == NULL ||
	    (pw = need(c, "PasswordReq", "password", "Password")) == NULL ||
	    !valid_user(c, u) || !valid_password(c, pw))
		return;
	if (c->s->n_users >= MAX_USERS) {
		lrest_err(c, 65535, "unable to add user because the number of users has reached the "
		    "limit");
		return;
	}
	if (lstore_user_find(c->s, u) != NULL) {
		lrest_err(c, 65535, "user already exists: %s", u);
		return;
	}
	hash = lstore_password_hash(pw);
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_ABSENT, key2(c, "users", u, NULL), 0);
	lstore_op_put(&c->out->ops, key2(c, "users", u, NULL),
	    xasprintf("{\"encrypted_password\":\"%s\"}", hash));
	free(hash);
	lrest_ok(c, "{}");
}

static void
user_update_password(struct lrest_ctx *c)
{
	const struct lstore_user *user;
	const char *u, *old, *nw;
	char *hash;

	if ((u = need(c, "NewPasswordReq", "userName", "UserName")) == NULL ||
	    (old = need(c, "NewPasswordReq", "password", "Password")) == NULL ||
	    (nw = need(c, "NewPasswordReq", "newPassword", "NewPassword")) == NULL ||
	    !valid_user(c, u) || !valid_password(c, nw))
		return;
	hash = lstore_password_hash(old);
	user = lstore_user_find(c->s, u);
	if (user == NULL || strcmp(user->password, hash) != 0) {
		free(hash);
		lrest_err(c, 1400, "old password not correct for %s: privilege not authenticated", u);
		return;
	}
	free(hash);
	hash = lstore_password_hash(nw);
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD, key2(c, "users", u, NULL), user->mod_rev);
	lstore_op_put(&c->out->ops, key2(c, "users", u, NULL),
	    xasprintf("{\"encrypted_password\":\"%s\"}", hash));
	free(hash);
	lrest_ok(c, "{}");
}

static void
user_drop(struct lrest_ctx *c)
{
	const char *u = need(c, "UserReq", "userName", "UserName");

	if (u == NULL)
		return;
	if (strcmp(u, "root") == 0) {
		lrest_err(c, 1401, "root user cannot be deleted: privilege not permitted");
		return;
	}
	if (lstore_user_find(c->s, u) != NULL)
		lstore_user_drop_ops(c->s, &c->out->ops, u);
	lrest_ok(c, "{}");
}

static void
user_role(struct lrest_ctx *c, bool grant)
{
	const char *u, *r;

	if ((u = need(c, "UserRoleReq", "userName", "UserName")) == NULL ||
	    (r = need(c, "UserRoleReq", "roleName", "RoleName")) == NULL ||
	    !valid_user(c, u) || !valid_name(c, r, "role name"))
		return;
	if (!lstore_role_exists(c->s, r)) {
		lrest_err(c, 65535, NO_ROLE);
		return;
	}
	if (grant && lstore_user_find(c->s, u) == NULL) {
		lrest_err(c, 65535, NO_USER);
		return;
	}
	/* Granting twice or revoking what is not granted: ignorable, success. */
	if (grant && !lstore_user_has_role(c->s, u, r)) {
		lstore_op_cmp(&c->out->ops, LSTORE_CMP_ABSENT, key2(c, "user-role-mapping", u, r), 0);
		lstore_op_put(&c->out->ops, key2(c, "user-role-mapping", u, r), xstrdup(""));
	} else if (!grant && lstore_user_has_role(c->s, u, r))
		lstore_op_del(&c->out->ops, key2(c, "user-role-mapping", u, r), false);
	lrest_ok(c, "{}");
}

/* ---- roles/ ---- */

/* The grants of role visible from database db (ListGrant: a grant of db,
 * of "*", or every grant when db is "*"), in the order etcd lists them; each
 * of its privileges is one entry. */
static void
grants_json(const struct lstore *s, const char *role, const char *db, struct buf *b,
    size_t *count)
{
	size_t i, j;

	for (i = 0; i < s->n_grants; i++) {
		const struct lstore_grant *g = &s->grants[i];

		if (strcmp(g->role, role) != 0)
			continue;
		if (strcmp(g->db, db) != 0 && strcmp(g->db, "*") != 0 && strcmp(db, "*") != 0)
			continue;
		for (j = 0; j < s->n_grant_privs; j++) {
			const struct lstore_grant_priv *p = &s->grant_privs[j];

			if (strcmp(p->id, g->id) != 0)
				continue;
			/* A map[string]string: encoding/json sorts the keys. */
			buf_adds(b, (*count)++ ? ",{\"dbName\":" : "{\"dbName\":");
			buf_add_json_str(b, g->db);
			buf_adds(b, ",\"grantor\":");
			buf_add_json_str(b, p->grantor);
			buf_adds(b, ",\"objectName\":");
			buf_add_json_str(b, g->obj);
			buf_adds(b, ",\"objectType\":");
			buf_add_json_str(b, g->type);
			buf_adds(b, ",\"privilege\":");
			buf_add_json_str(b, lrbac_api_name(p->priv));
			buf_addc(b, '}');
		}
	}
}

static void
role_describe(struct lrest_ctx *c)
{
	const char *r = need(c, "RoleReq", "roleName", "RoleName");
	struct buf b = BUF_INIT;
	size_t n = 0;

	if (r == NULL)
		return;
	if (!lstore_role_exists(c->s, r)) {
		lrest_err(c, 65535, NO_ROLE);
		return;
	}
	buf_addc(&b, '[');
	grants_json(c->s, r, c->db_name, &b, &n);
	buf_addc(&b, ']');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
role_create(struct lrest_ctx *c)
{
	const char *r = need(c, "RoleReq", "roleName", "RoleName");

	if (r == NULL || !valid_name(c, r, "role name"))
		return;
	if (lstore_role_exists(c->s, r)) {
		lrest_err(c, 65535, "role [%s] already exists", r);
		return;
	}
	if (c->s->n_roles >= MAX_ROLES) {
		lrest_err(c, 65535, "unable to create role because the number of roles has reached "
		    "the limit");
		return;
	}
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_ABSENT, key2(c, "roles", r, NULL), 0);
	lstore_op_put(&c->out->ops, key2(c, "roles", r, NULL), xstrdup(""));
	lrest_ok(c, "{}");
}

static void
role_drop(struct lrest_ctx *c)
{
	const char *r = need(c, "RoleReq", "roleName", "RoleName");
	struct buf b = BUF_INIT;
	size_t n = 0;

	if (r == NULL)
		return;
	if (strcmp(r, "admin") == 0 || strcmp(r, "public") == 0) {
		lrest_err(c, 1401, "the role[%s] is a default role, which can't be dropped: "
		    "privilege not permitted", r);
		return;
	}
	if (!lstore_role_exists(c->s, r)) {
		lrest_err(c, 65535, NO_ROLE);
		return;
	}
	/* The REST call has no forceDrop: a role with grants in any database stays. */
	grants_json(c->s, r, "*", &b, &n);
	buf_release(&b);
	if (n > 0) {
		lrest_err(c, 65535, "fail to drop the role that it has privileges. Use REVOKE API to "
		    "revoke privileges");
		return;
	}
	lstore_role_drop_ops(c->s, &c->out->ops, r);
	lrest_ok(c, "{}");
}

static bool
custom_group(const struct lrest_ctx *c, const char *name)
{
	return c->rq->v->privilege_groups && lstore_pgroup_find(c->s, name) != NULL;
}

/* roles/grant_privilege and revoke_privilege: OperatePrivilege v1. */
static void
role_privilege(struct lrest_ctx *c, bool grant)
{
	const struct labd_version *v = c->rq->v;
	const char *r, *type, *obj, *priv;
	char *meta;

	if ((r = need(c, "GrantReq", "roleName", "RoleName")) == NULL ||
	    (type = need(c, "GrantReq", "objectType", "ObjectType")) == NULL ||
	    (obj = need(c, "GrantReq", "objectName", "ObjectName")) == NULL ||
	    (priv = need(c, "GrantReq", "privilege", "Privilege")) == NULL ||
	    !valid_object(c, obj, "object name") || !valid_object(c, c->db_name, "database name"))
		return;
	if (!lrbac_type_valid(type)) {
		lrest_err(c, 65535, "the object entity in the request is nil or invalid");
		return;
	}
	if (!lstore_role_exists(c->s, r)) {
		lrest_err(c, 65535, NO_ROLE);
		return;
	}
	if (strcmp(priv, "*") != 0) {
		if (custom_group(c, priv)) {
			lrest_err(c, 65535, "can not operate the custom privilege group [%s]", priv);
			return;
		}
		if (lrbac_builtin_group(v, priv, false)) {
			lrest_err(c, 65535, "can not operate the built-in privilege group [%s]", priv);
			return;
		}
		if (!lrbac_on_type(v, priv, type)) {
			lrest_err(c, 65535, "not found the privilege name[%s] in object[%s]", priv,
			    type);
			return;
		}
	}
	/* A Global grant is on every object (rootcoord sets the name to "*"),
	 * but for a built-in group. */
	if (strcmp(type, "Global") == 0 && !lrbac_builtin_group(v, priv, true))
		obj = "*";
	meta = lrbac_meta_name(v, priv, false);
	lstore_grant_op(c->s, &c->out->ops, grant, r, type, c->db_name, obj, meta, GRANTOR);
	free(meta);
	lrest_ok(c, "{}");
}

/* validatePrivilegeGroupParams: a group's level (its first privilege's)
 * bounds the names it may be granted on; 0 or -1 with the answer written. */
static int
group_params(struct lrest_ctx *c, const char *name, const char *db, const char *coll)
{
	const char *const *list = lrbac_group_privs(c->rq->v, name);
	const struct lstore_pgroup *g = NULL;
	const char *first;

	if (list != NULL && lrbac_builtin_group(c->rq->v, name, true))
		return 0;	/* the legacy groups are not in the group map */
	if (list == NULL && (g = custom_group(c, name) ? lstore_pgroup_find(c->s, name) : NULL) ==
	    NULL)
		return 0;
	if (g != NULL && g->n_privs == 0)
		return 0;
	first = list != NULL ? list[0] : g->privs[0];
	switch (lrbac_level(first)) {
	case LRBAC_CLUSTER:
		if (strcmp(db, "*") != 0 || strcmp(coll, "*") != 0) {
			lrest_err(c, 1100, "dbName and collectionName should be * for the cluster "
			    "level privilege: %s: invalid parameter", name);
			return -1;
		}
		return 0;
	case LRBAC_DATABASE:
		if (*coll != '\0' && strcmp(coll, "*") != 0) {
			lrest_err(c, 1100, "collectionName should be * for the database level "
			    "privilege: %s: invalid parameter", name);
			return -1;
		}
		return 0;
	case LRBAC_COLLECTION:
		if (strcmp(db, "*") == 0 && strcmp(coll, "*") != 0 && *coll != '\0') {
			lrest_err(c, 1100, "please specify database name for the collection level "
			    "privilege: %s: invalid parameter", name);
			return -1;
		}
		return 0;
	default:
		lrest_err(c, 65535, "not found the privilege level");
		return -1;
	}
}

/* roles/grant_privilege_v2 and revoke_privilege_v2 (2.5+): OperatePrivilegeV2. */
static void
role_privilege_v2(struct lrest_ctx *c, bool grant)
{
	const struct labd_version *v = c->rq->v;
	const char *r, *priv, *db, *coll;
	bool custom;
	char *meta;

	if ((r = need(c, "GrantV2Req", "roleName", "RoleName")) == NULL ||
	    (priv = need(c, "GrantV2Req", "privilege", "Privilege")) == NULL)
		return;
	db = lrest_str(c, "dbName");
	coll = lrest_str(c, "collectionName");
	if (db == NULL || *db == '\0' || coll == NULL || *coll == '\0') {
		lrest_err(c, 1100, "ObjectName should be not empty: invalid parameter[expected=not "
		    "empty][actual=]");
		return;
	}
	if (!valid_object(c, db, "database name") || !valid_object(c, coll, "object name"))
		return;
	if (!lstore_role_exists(c->s, r)) {
		lrest_err(c, 65535, NO_ROLE);
		return;
	}
	custom = custom_group(c, priv);
	if (strcmp(priv, "*") != 0 && !custom && !lrbac_defined(v, priv)) {
		lrest_err(c, 65535, "not found the privilege name[%s]", priv);
		return;
	}
	if (group_params(c, priv, db, coll) != 0)
		return;
	meta = lrbac_meta_name(v, priv, custom);
	lstore_grant_op(c->s, &c->out->ops, grant, r, lrbac_object_type(v, priv), db, coll, meta,
	    GRANTOR);
	free(meta);
	lrest_ok(c, "{}");
}

/* ---- privilege_groups/ (2.5+) ---- */

static const char *const builtin_groups[] = {
	"ClusterReadOnly", "ClusterReadWrite", "ClusterAdmin", "DatabaseReadOnly",
	"DatabaseReadWrite", "DatabaseAdmin", "CollectionReadOnly", "CollectionReadWrite",
	"CollectionAdmin", NULL,
};

static void
group_entry(struct buf *b, const char *name, const char *const *privs, size_t n, bool first)
{
	size_t i;

	buf_adds(b, first ? "{\"privilegeGroupName\":" : ",{\"privilegeGroupName\":");
	buf_add_json_str(b, name);
	buf_adds(b, ",\"privileges\":\"");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		/* Privilege names are plain identifiers. */
		buf_adds(b, privs[i]);
	}
	buf_adds(b, "\"}");
}

static void
pgroup_list(struct lrest_ctx *c)
{
	struct buf b = BUF_INIT;
	size_t i, n = 0;

	/* ListPrivilegeGroups: the custom groups, then the built-in ones. */
	buf_adds(&b, "{\"privilegeGroups\":[");
	for (i = 0; i < c->s->n_pgroups; i++, n++)
		group_entry(&b, c->s->pgroups[i].name, (const char *const *)c->s->pgroups[i].privs,
		    c->s->pgroups[i].n_privs, n == 0);
	for (i = 0; builtin_groups[i] != NULL; i++, n++) {
		const char *const *list = lrbac_group_privs(c->rq->v, builtin_groups[i]);
		size_t k = 0;

		while (list[k] != NULL)
			k++;
		group_entry(&b, builtin_groups[i], list, k, n == 0);
	}
	buf_adds(&b, "]}");
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
pgroup_create(struct lrest_ctx *c, const char *name)
{
	if (!valid_name(c, name, "privilege group name"))
		return;
	if (lstore_pgroup_find(c->s, name) != NULL) {
		lrest_err(c, 1100, "privilege group name [%s] is defined by users: invalid parameter",
		    name);
		return;
	}
	if (lrbac_defined(c->rq->v, name)) {
		lrest_err(c, 1100, "privilege group name [%s] is defined by built in privileges or "
		    "privilege groups in system: invalid parameter", name);
		return;
	}
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_ABSENT, key2(c, "privilege-groups", name, NULL), 0);
	lstore_op_put(&c->out->ops, key2(c, "privilege-groups", name, NULL),
	    lstore_pgroup_json(name, NULL, 0));
	lrest_ok(c, "{}");
}

static void
pgroup_drop(struct lrest_ctx *c, const char *name)
{
	size_t i, j;

	if (lrbac_defined(c->rq->v, name)) {
		lrest_err(c, 1100, "privilege group name [%s] is defined by built in privileges or "
		    "privilege groups in system: invalid parameter", name);
		return;
	}
	if (lstore_pgroup_find(c->s, name) == NULL) {
		lrest_ok(c, "{}");
		return;
	}
	for (i = 0; i < c->s->n_grants; i++) {
		for (j = 0; j < c->s->n_grant_privs; j++) {
			const struct lstore_grant_priv *p = &c->s->grant_privs[j];

			if (strcmp(p->id, c->s->grants[i].id) == 0 &&
			    strncmp(p->priv, "PrivilegeGroup", 14) == 0 &&
			    strcmp(p->priv + 14, name) == 0) {
				lrest_err(c, 65535, "privilege group [%s] is used by role [%s], Use "
				    "REVOKE API to revoke it first", name, c->s->grants[i].role);
				return;
			}
		}
	}
	lstore_op_del(&c->out->ops, key2(c, "privilege-groups", name, NULL), false);
	lrest_ok(c, "{}");
}

/* add_privileges_to_group / remove_privileges_from_group: OperatePrivilegeGroup. */
static void
pgroup_operate(struct lrest_ctx *c, const char *name, bool add)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(c->j, "privileges"), *e;
	const struct lstore_pgroup *g = lstore_pgroup_find(c->s, name);
	const char **out = NULL;
	size_t i, n = 0;
	enum lrbac_level level = LRBAC_NONE;
	bool have_level = false;

	if (g == NULL) {
		lrest_err(c, 1100, "there is no privilege group name [%s] defined in system to "
		    "operate: invalid parameter", name);
		return;
	}
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		lrest_err(c, 1100, "privileges is empty when alter the privilege group: invalid "
		    "parameter");
		return;
	}
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e) || (!lrbac_defined(c->rq->v, e->valuestring) &&
		    lstore_pgroup_find(c->s, e->valuestring) == NULL)) {
			lrest_err(c, 1100, "there is no privilege name or privilege group name [%s] "
			    "defined in system to operate: invalid parameter",
			    cJSON_IsString(e) ? e->valuestring : "");
			return;
		}
	}
	/* The result: the group's privileges with these added or removed. */
	out = xcalloc(g->n_privs + (size_t)cJSON_GetArraySize(arr) + 1, sizeof *out);
	for (i = 0; i < g->n_privs; i++) {
		bool removed = false;

		cJSON_ArrayForEach(e, arr)
			removed = removed || (!add && strcmp(e->valuestring, g->privs[i]) == 0);
		if (!removed)
			out[n++] = g->privs[i];
	}
	if (add) {
		cJSON_ArrayForEach(e, arr) {
			bool dup = false;

			for (i = 0; i < n; i++)
				dup = dup || strcmp(out[i], e->valuestring) == 0;
			if (!dup)
				out[n++] = e->valuestring;
		}
		/* All of a group's privileges are of one level. */
		for (i = 0; i < n; i++) {
			enum lrbac_level l = lrbac_level(out[i]);

			if (have_level && l != level) {
				free(out);
				lrest_err(c, 1100, "privileges are not the same privilege level: "
				    "invalid parameter");
				return;
			}
			level = l;
			have_level = true;
		}
	}
	lstore_op_put(&c->out->ops, key2(c, "privilege-groups", name, NULL),
	    lstore_pgroup_json(name, out, n));
	free(out);
	lrest_ok(c, "{}");
}

static void
pgroups(struct lrest_ctx *c, const char *verb)
{
	const char *name;

	if (strcmp(verb, "list") == 0) {
		pgroup_list(c);
		return;
	}
	if ((name = need(c, "PrivilegeGroupReq", "privilegeGroupName", "PrivilegeGroupName")) ==
	    NULL)
		return;
	if (strcmp(verb, "create") == 0)
		pgroup_create(c, name);
	else if (strcmp(verb, "drop") == 0)
		pgroup_drop(c, name);
	else
		pgroup_operate(c, name, strcmp(verb, "add_privileges_to_group") == 0);
}

void
lrest_rbac(struct lrest_ctx *c, const char *path)
{
	if (strcmp(path, "users/list") == 0)
		list_answer(c, true);
	else if (strcmp(path, "users/describe") == 0)
		user_describe(c);
	else if (strcmp(path, "users/create") == 0)
		user_create(c);
	else if (strcmp(path, "users/update_password") == 0)
		user_update_password(c);
	else if (strcmp(path, "users/drop") == 0)
		user_drop(c);
	else if (strcmp(path, "users/grant_role") == 0)
		user_role(c, true);
	else if (strcmp(path, "users/revoke_role") == 0)
		user_role(c, false);
	else if (strcmp(path, "roles/list") == 0)
		list_answer(c, false);
	else if (strcmp(path, "roles/describe") == 0)
		role_describe(c);
	else if (strcmp(path, "roles/create") == 0)
		role_create(c);
	else if (strcmp(path, "roles/drop") == 0)
		role_drop(c);
	else if (strcmp(path, "roles/grant_privilege") == 0)
		role_privilege(c, true);
	else if (strcmp(path, "roles/revoke_privilege") == 0)
		role_privilege(c, false);
	else if (strcmp(path, "roles/grant_privilege_v2") == 0)
		role_privilege_v2(c, true);
	else if (strcmp(path, "roles/revoke_privilege_v2") == 0)
		role_privilege_v2(c, false);
	else
		pgroups(c, path + 17);
	/* The built-ins go in first when rootcoord has not stored them yet. */
	if (c->out->ops.n > 0)
		lstore_rbac_finish(c->s, &c->out->ops);
}
