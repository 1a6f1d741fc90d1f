/* SPDX-License-Identifier: MIT */
/* The lab backup server's RBAC (pure): what milvus-backup's RBAC tasks do
 * (core/backup/rbac.go on create, core/restore/task.go restoreRBAC with
 * core/restore/conv/conv.go on restore), with the lab's store standing for
 * Milvus's BackupRBAC and RestoreRBAC RPCs: the lab has no gRPC, and those
 * RPCs read and write rootcoord's credential keys directly
 * (internal/metastore/kv/rootcoord/kv_catalog.go), as this does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-rbac.h"
#include "labd-store.h"

const char *
lbk_rbac_unsupported(const struct labd_version *v)
{
	/* BackupRBAC/RestoreRBAC came with 2.4.10. */
	if (v == NULL || v->major > 2 || (v->major == 2 && (v->minor > 4 ||
	    (v->minor == 4 && v->patch >= 10))))
		return NULL;
	return "rpc error: code = Unimplemented desc = unknown method BackupRBAC for service "
	    "milvus.proto.milvus.MilvusService";
}

/* ---- create: BackupRBAC as backuppb.RBACMeta, Go's encoding/json ---- */

static bool
builtin_role(const char *name)
{
	/* BackupRBAC leaves out the roles rootcoord makes itself. */
	return strcmp(name, "admin") == 0 || strcmp(name, "public") == 0;
}

/* {"name":...}, or {} for "" (omitempty). */
static void
entity(struct buf *b, const char *name)
{
	if (name == NULL || name[0] == '\0') {
		buf_adds(b, "{}");
		return;
	}
	buf_adds(b, "{\"name\":");
	labd_json_str(b, name);
	buf_addc(b, '}');
}

static void
sep(struct buf *b, size_t *n, const char *open)
{
	buf_adds(b, (*n)++ > 0 ? "," : open);
}

static void
users_json(struct buf *b, const struct lstore *s, size_t *members)
{
	size_t i, k, n = 0, r;

	for (i = 0; i < s->n_users; i++) {
		const struct lstore_user *u = &s->users[i];

		if (strcmp(u->name, "root") == 0)
			continue;
		if (n++ == 0)
			buf_adds(b, (*members)++ > 0 ? ",\"users\":[" : "\"users\":[");
		else
			buf_addc(b, ',');
		buf_adds(b, "{\"user\":");
		labd_json_str(b, u->name);
		/* The stored (encrypted) form, all BackupRBAC gives: no secret
		 * beyond what the cluster itself keeps. */
		if (u->password != NULL && u->password[0] != '\0') {
			buf_adds(b, ",\"password\":");
			labd_json_str(b, u->password);
		}
		for (k = 0, r = 0; k < s->n_user_roles; k++) {
			if (strcmp(s->user_roles[k].user, u->name) != 0)
				continue;
			sep(b, &r, ",\"roles\":[");
			entity(b, s->user_roles[k].role);
		}
		buf_adds(b, r > 0 ? "]}" : "}");
	}
	if (n > 0)
		buf_addc(b, ']');
}

static void
grants_json(struct buf *b, const struct lstore *s, size_t *members)
{
	size_t i, k, l, n = 0;

	/* ListGrant role by role (roles in key order), each grantee key's
	 * privileges in key order. */
	for (i = 0; i < s->n_roles; i++) {
		const char *role = s->roles[i];

		if (builtin_role(role))
			continue;
		for (k = 0; k < s->n_grants; k++) {
			const struct lstore_grant *g = &s->grants[k];

			if (strcmp(g->role, role) != 0)
				continue;
			for (l = 0; l < s->n_grant_privs; l++) {
				const struct lstore_grant_priv *p = &s->grant_privs[l];

				if (strcmp(p->id, g->id) != 0)
					continue;
				if (n++ == 0)
					buf_adds(b, (*members)++ > 0 ? ",\"grants\":[" : "\"grants\":[");
				else
					buf_addc(b, ',');
				buf_adds(b, "{\"role\":");
				entity(b, role);
				buf_adds(b, ",\"object\":");
				entity(b, g->type);
				if (g->obj[0] != '\0') {
					buf_adds(b, ",\"object_name\":");
					labd_json_str(b, g->obj);
				}
				buf_adds(b, ",\"grantor\":{\"user\":");
				entity(b, p->grantor);
				buf_adds(b, ",\"privilege\":");
				entity(b, strcmp(p->priv, "*") == 0 ? "*" : lrbac_api_name(p->priv));
				buf_addc(b, '}');
				if (g->db[0] != '\0') {
					buf_adds(b, ",\"db_name\":");
					labd_json_str(b, g->db);
				}
				buf_addc(b, '}');
			}
		}
	}
	if (n > 0)
		buf_addc(b, ']');
}

char *
lbk_rbac_json(const struct lstore *s, const struct labd_version *v)
{
	struct buf b = BUF_INIT;
	size_t i, k, n, members = 0;

	buf_addc(&b, '{');
	users_json(&b, s, &members);
	for (i = 0, n = 0; i < s->n_roles; i++) {
		if (builtin_role(s->roles[i]))
			continue;
		if (n++ == 0)
			buf_adds(&b, members++ > 0 ? ",\"roles\":[" : "\"roles\":[");
		else
			buf_addc(&b, ',');
		entity(&b, s->roles[i]);
	}
	if (n > 0)
		buf_addc(&b, ']');
	grants_json(&b, s, &members);
	/* Privilege groups exist from 2.5 (RBAC v2); 2.4's RBACMeta has none. */
	for (i = 0, n = 0; (v == NULL || v->privilege_groups) && i < s->n_pgroups; i++) {
		const struct lstore_pgroup *g = &s->pgroups[i];
		size_t p = 0;

		if (n++ == 0)
			buf_adds(&b, members++ > 0 ? ",\"privilege_groups\":[" :
			    "\"privilege_groups\":[");
		else
			buf_addc(&b, ',');
		buf_adds(&b, "{\"group_name\":");
		labd_json_str(&b, g->name);
		for (k = 0; k < g->n_privs; k++) {
			sep(&b, &p, ",\"privileges\":[");
			entity(&b, g->privs[k]);
		}
		buf_adds(&b, p > 0 ? "]}" : "}");
	}
	if (n > 0)
		buf_addc(&b, ']');
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

/* ---- restore: conv.Users/Roles/Grants/PrivilegeGroups, RestoreRBAC ---- */

/* A name the credential keys can hold as one key segment. */
static const char *
seg_name(const cJSON *o, const char *member)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, member));

	if (s == NULL || s[0] == '\0' || strchr(s, '/') != NULL || strlen(s) > LSTORE_MAX_NAME)
		return NULL;
	return s;
}

/* entity.name of a nested {"name":...}; "" when absent (Go's getters). */
static const char *
nested(const cJSON *o, const char *member, const char *inner)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, member);
	const char *s;

	if (inner != NULL)
		e = cJSON_GetObjectItemCaseSensitive(e, inner);
	s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "name"));
	return s != NULL ? s : "";
}

/* Write one credential key and show it to s, so that later entries of the
 * same restore see it (and no txn names a key twice). */
static void
put(struct lstore *s, struct lstore_ops *o, const char *rest, const char *val)
{
	lstore_rbac_add_kv(s, rest, strlen(rest), val, strlen(val), 0);
	lstore_op_put(o, lstore_cred_key(s, rest), xstrdup(val));
}

static void
restore_roles(struct lstore *s, const cJSON *meta, struct lstore_ops *o, size_t *n)
{
	const cJSON *e;
	char *rest;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(meta, "roles")) {
		const char *name = seg_name(e, "name");

		/* conv.Roles: a role that exists is left out. */
		if (name == NULL || lstore_role_exists(s, name))
			continue;
		rest = xasprintf("roles/%s", name);
		put(s, o, rest, "");
		free(rest);
		(*n)++;
	}
}

static void
restore_groups(struct lstore *s, const struct labd_version *v, const cJSON *meta,
    struct lstore_ops *o, size_t *n)
{
	const cJSON *e, *p;
	const char **privs;
	char *rest, *val;
	size_t k;

	if (v != NULL && !v->privilege_groups)
		return;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(meta, "privilege_groups")) {
		const char *name = seg_name(e, "group_name");

		/* conv.PrivilegeGroups: by name. */
		if (name == NULL || lstore_pgroup_find(s, name) != NULL)
			continue;
		privs = xcalloc((size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e,
		    "privileges")) + 1, sizeof *privs);
		k = 0;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(e, "privileges")) {
			const char *pn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p,
			    "name"));

			privs[k++] = pn != NULL ? pn : "";
		}
		val = lstore_pgroup_json(name, privs, k);
		rest = xasprintf("privilege-groups/%s", name);
		put(s, o, rest, val);
		free(rest);
		free(val);
		free(privs);
		(*n)++;
	}
}

/* One grant: 0 added or there already (same grantor), -1 with err. */
static int
restore_grant(struct lstore *s, const struct labd_version *v, const cJSON *e, struct lstore_ops *o,
    size_t *n, char *err, size_t errlen)
{
	const char *role = nested(e, "role", NULL), *type = nested(e, "object", NULL);
	const char *grantor = nested(e, "grantor", "user");
	const char *pname = nested(e, "grantor", "privilege");
	const char *obj = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "object_name"));
	const char *db = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "db_name"));
	const struct lstore_grant *g;
	const struct lstore_grant_priv *had;
	char *priv, *rest;

	if (obj == NULL || db == NULL || role[0] == '\0' || type[0] == '\0' || pname[0] == '\0' ||
	    obj[0] == '\0' || db[0] == '\0' || strchr(role, '/') != NULL ||
	    strchr(type, '/') != NULL || strchr(obj, '/') != NULL || strchr(db, '/') != NULL ||
	    strchr(db, '.') != NULL || strchr(pname, '/') != NULL)
		return 0;		/* no key can hold it */
	/* RestoreRBAC's name for the metastore: "*" as is, a privilege or
	 * built-in group of this version, else a custom group. */
	priv = lrbac_meta_name(v, pname, !lrbac_defined(v, pname));
	g = lstore_grant_find(s, role, type, db, obj);
	had = g != NULL ? lstore_grant_priv_find(s, g->id, priv) : NULL;
	if (had != NULL) {
		int rc = 0;

		/* conv.Grants keys a grant by its grantor too: the same one is
		 * left out; another makes AlterGrant refuse. */
		if (strcmp(had->grantor, grantor) != 0) {
			snprintf(err, errlen, "failed to alter grant: the privilege[%s] has been "
			    "granted", priv);
			rc = -1;
		}
		free(priv);
		return rc;
	}
	lstore_grant_op(s, o, true, role, type, db, obj, priv, grantor);
	if (g == NULL) {
		char *id = lstore_grant_id(role, type, db, obj);

		rest = xasprintf("grantee-privileges/%s/%s/%s.%s", role, type, db, obj);
		lstore_rbac_add_kv(s, rest, strlen(rest), id, strlen(id), 0);
		free(rest);
		free(id);
		g = lstore_grant_find(s, role, type, db, obj);
	}
	if (g != NULL) {
		rest = xasprintf("grantee-id/%s/%s", g->id, priv);
		lstore_rbac_add_kv(s, rest, strlen(rest), grantor, strlen(grantor), 0);
		free(rest);
	}
	free(priv);
	(*n)++;
	return 0;
}

static void
restore_users(struct lstore *s, const cJSON *meta, struct lstore_ops *o, size_t *n)
{
	const cJSON *e, *r;
	struct buf val = BUF_INIT;
	char *rest;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(meta, "users")) {
		const char *name = seg_name(e, "user");
		const char *pw = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e,
		    "password"));

		/* conv.Users: a user that exists is left out, roles and all. */
		if (name == NULL || lstore_user_find(s, name) != NULL)
			continue;
		buf_reset(&val);
		buf_adds(&val, "{\"encrypted_password\":");
		buf_add_json_str(&val, pw != NULL ? pw : "");
		buf_addc(&val, '}');
		rest = xasprintf("users/%s", name);
		put(s, o, rest, val.data);
		free(rest);
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(e, "roles")) {
			const char *role = seg_name(r, "name");

			if (role == NULL || lstore_user_has_role(s, name, role))
				continue;
			rest = xasprintf("user-role-mapping/%s/%s", name, role);
			put(s, o, rest, "");
			free(rest);
		}
		(*n)++;
	}
	buf_release(&val);
}

int
lbk_rbac_restore_ops(struct lstore *s, const struct labd_version *v, const cJSON *meta,
    struct lstore_ops *o, struct lbk_rbac_counts *n, char *err, size_t errlen)
{
	const cJSON *e;

	memset(n, 0, sizeof *n);
	/* RestoreRBAC's order: roles, groups, grants, users with their roles. */
	restore_roles(s, meta, o, &n->roles);
	restore_groups(s, v, meta, o, &n->groups);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(meta, "grants")) {
		if (restore_grant(s, v, e, o, &n->grants, err, errlen) != 0)
			return -1;
	}
	restore_users(s, meta, o, &n->users);
	/* On a cluster whose built-ins were never stored, they go first. */
	lstore_rbac_finish(s, o);
	return 0;
}
