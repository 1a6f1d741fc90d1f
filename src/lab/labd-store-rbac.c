/* SPDX-License-Identifier: MIT */
/* The lab's RBAC in etcd under rootcoord's credential keys (see labd-store.h):
 * reading them into a store, the built-ins Milvus creates at start, and the
 * operations that change them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "labd-store.h"

#define MAX_ITEMS	4096
#define MAX_KEY		1100	/* role/type/db.obj: four names of at most 255 */

#define GROW(arr, n) do {						\
	(arr) = xreallocarray((arr), (n) + 1, sizeof *(arr));		\
	memset(&(arr)[(n)], 0, sizeof *(arr));				\
} while (0)

/* ---- reading ---- */

/* The segments of rest separated by '/': exactly want of them, none empty. */
static int
split(const char *rest, size_t len, char **seg, int want)
{
	const char *p = rest, *end = rest + len, *slash;
	int i;

	for (i = 0; i < want; i++) {
		slash = i == want - 1 ? NULL : memchr(p, '/', (size_t)(end - p));
		if (i < want - 1 && slash == NULL)
			goto bad;
		if (slash == NULL)
			slash = end;
		if (slash == p || memchr(p, '/', (size_t)(slash - p)) != NULL)
			goto bad;
		seg[i] = xstrndup(p, (size_t)(slash - p));
		p = slash + 1;
	}
	return 0;
bad:
	while (i > 0)
		free(seg[--i]);
	return -1;
}

static char *
val_str(const char *val, size_t len)
{
	return xstrndup(val != NULL ? val : "", len);
}

static void
add_pgroup(struct lstore *s, char *name, const char *val, size_t val_len)
{
	cJSON *o = cJSON_ParseWithLength(val, val_len);
	const cJSON *e;
	struct lstore_pgroup *g;

	GROW(s->pgroups, s->n_pgroups);
	g = &s->pgroups[s->n_pgroups++];
	g->name = name;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "privileges")) {
		if (!cJSON_IsString(e) || g->n_privs >= 256)
			continue;
		g->privs = xreallocarray(g->privs, g->n_privs + 1, sizeof *g->privs);
		g->privs[g->n_privs++] = xstrndup(e->valuestring, 255);
	}
	cJSON_Delete(o);
}

void
lstore_rbac_add_kv(struct lstore *s, const char *rest, size_t len, const char *val,
    size_t val_len, int64_t mod_rev)
{
	char *seg[3];

	if (len > 6 && strncmp(rest, "users/", 6) == 0) {
		cJSON *o;
		const cJSON *pw;

		if (s->n_users >= MAX_ITEMS || split(rest + 6, len - 6, seg, 1) != 0)
			return;
		o = cJSON_ParseWithLength(val, val_len);
		pw = cJSON_GetObjectItemCaseSensitive(o, "encrypted_password");
		GROW(s->users, s->n_users);
		s->users[s->n_users].name = seg[0];
		s->users[s->n_users].password = xstrdup(cJSON_IsString(pw) ? pw->valuestring : "");
		s->users[s->n_users++].mod_rev = mod_rev;
		cJSON_Delete(o);
	} else if (len > 6 && strncmp(rest, "roles/", 6) == 0) {
		if (s->n_roles >= MAX_ITEMS || split(rest + 6, len - 6, seg, 1) != 0)
			return;
		if (strcmp(seg[0], "public") == 0)
			s->rbac_init = true;
		GROW(s->roles, s->n_roles);
		s->roles[s->n_roles++] = seg[0];
	} else if (len > 18 && strncmp(rest, "user-role-mapping/", 18) == 0) {
		if (s->n_user_roles >= MAX_ITEMS || split(rest + 18, len - 18, seg, 2) != 0)
			return;
		GROW(s->user_roles, s->n_user_roles);
		s->user_roles[s->n_user_roles].user = seg[0];
		s->user_roles[s->n_user_roles++].role = seg[1];
	} else if (len > 19 && strncmp(rest, "grantee-privileges/", 19) == 0) {
		struct lstore_grant *g;
		char *dot;

		if (s->n_grants >= MAX_ITEMS || split(rest + 19, len - 19, seg, 3) != 0)
			return;
		GROW(s->grants, s->n_grants);
		g = &s->grants[s->n_grants++];
		g->role = seg[0];
		g->type = seg[1];
		/* funcutil.SplitObjectName: "db.obj", or a bare name of default. */
		if ((dot = strchr(seg[2], '.')) != NULL) {
			g->db = xstrndup(seg[2], (size_t)(dot - seg[2]));
			g->obj = xstrdup(dot + 1);
		} else {
			g->db = xstrdup("default");
			g->obj = xstrdup(seg[2]);
		}
		free(seg[2]);
		g->id = val_str(val, val_len);
	} else if (len > 11 && strncmp(rest, "grantee-id/", 11) == 0) {
		if (s->n_grant_privs >= MAX_ITEMS || split(rest + 11, len - 11, seg, 2) != 0)
			return;
		GROW(s->grant_privs, s->n_grant_privs);
		s->grant_privs[s->n_grant_privs].id = seg[0];
		s->grant_privs[s->n_grant_privs].priv = seg[1];
		s->grant_privs[s->n_grant_privs++].grantor = val_str(val, val_len);
	} else if (len > 17 && strncmp(rest, "privilege-groups/", 17) == 0) {
		if (s->n_pgroups >= MAX_ITEMS || split(rest + 17, len - 17, seg, 1) != 0)
			return;
		add_pgroup(s, seg[0], val, val_len);
	}
}

/* ---- the built-ins (rootcoord initCredentials, initRbac,
 * initPublicRolePrivilege with proxy.enablePublicPrivilege on) ---- */

static const struct {
	const char *type, *priv;
} public_grants[] = {
	{ "Global", "PrivilegeDescribeCollection" },
	{ "Global", "PrivilegeShowCollections" },
	{ "Collection", "PrivilegeIndexDetail" },
};

static void
synth_grant(struct lstore *s, const char *role, const char *type, const char *db,
    const char *obj, const char *priv)
{
	struct lstore_grant *g;
	char *id = lstore_grant_id(role, type, db, obj);

	if (lstore_grant_find(s, role, type, db, obj) == NULL) {
		GROW(s->grants, s->n_grants);
		g = &s->grants[s->n_grants++];
		g->role = xstrdup(role);
		g->type = xstrdup(type);
		g->db = xstrdup(db);
		g->obj = xstrdup(obj);
		g->id = xstrdup(id);
	}
	GROW(s->grant_privs, s->n_grant_privs);
	s->grant_privs[s->n_grant_privs].id = id;
	s->grant_privs[s->n_grant_privs].priv = xstrdup(priv);
	s->grant_privs[s->n_grant_privs++].grantor = xstrdup("root");
}

static void
synthesize(struct lstore *s)
{
	static const char *const roles[] = { "admin", "public" };
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!lstore_role_exists(s, roles[i])) {
			GROW(s->roles, s->n_roles);
			s->roles[s->n_roles++] = xstrdup(roles[i]);
		}
	}
	if (lstore_user_find(s, "root") == NULL) {
		GROW(s->users, s->n_users);
		s->users[s->n_users].name = xstrdup("root");
		s->users[s->n_users++].password = lstore_password_hash(LSTORE_ROOT_PASSWORD);
	}
	for (i = 0; i < sizeof public_grants / sizeof public_grants[0]; i++)
		synth_grant(s, "public", public_grants[i].type, "*", "*", public_grants[i].priv);
}

/* ---- sorting: as etcd lists the keys (byte order of the whole key) ---- */

static void
grant_path(const struct lstore_grant *g, char *out, size_t n)
{
	snprintf(out, n, "%s/%s/%s.%s", g->role, g->type, g->db, g->obj);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct lstore_user *)a)->name, ((const struct lstore_user *)b)->name);
}

static int
cmp_user_role(const void *a, const void *b)
{
	const struct lstore_user_role *x = a, *y = b;
	char kx[600], ky[600];

	snprintf(kx, sizeof kx, "%s/%s", x->user, x->role);
	snprintf(ky, sizeof ky, "%s/%s", y->user, y->role);
	return strcmp(kx, ky);
}

static int
cmp_grant(const void *a, const void *b)
{
	char kx[MAX_KEY], ky[MAX_KEY];

	grant_path(a, kx, sizeof kx);
	grant_path(b, ky, sizeof ky);
	return strcmp(kx, ky);
}

static int
cmp_grant_priv(const void *a, const void *b)
{
	const struct lstore_grant_priv *x = a, *y = b;
	char kx[600], ky[600];

	snprintf(kx, sizeof kx, "%s/%s", x->id, x->priv);
	snprintf(ky, sizeof ky, "%s/%s", y->id, y->priv);
	return strcmp(kx, ky);
}

static int
cmp_pgroup(const void *a, const void *b)
{
	return strcmp(((const struct lstore_pgroup *)a)->name,
	    ((const struct lstore_pgroup *)b)->name);
}

void
lstore_rbac_sort(struct lstore *s)
{
	if (!s->rbac_init)
		synthesize(s);
	if (s->n_users > 0)
		qsort(s->users, s->n_users, sizeof *s->users, cmp_user);
	if (s->n_roles > 0)
		qsort(s->roles, s->n_roles, sizeof *s->roles, cmp_str);
	if (s->n_user_roles > 0)
		qsort(s->user_roles, s->n_user_roles, sizeof *s->user_roles, cmp_user_role);
	if (s->n_grants > 0)
		qsort(s->grants, s->n_grants, sizeof *s->grants, cmp_grant);
	if (s->n_grant_privs > 0)
		qsort(s->grant_privs, s->n_grant_privs, sizeof *s->grant_privs, cmp_grant_priv);
	if (s->n_pgroups > 0)
		qsort(s->pgroups, s->n_pgroups, sizeof *s->pgroups, cmp_pgroup);
}

void
lstore_rbac_free(struct lstore *s)
{
	size_t i, j;

	for (i = 0; i < s->n_users; i++) {
		free(s->users[i].name);
		free(s->users[i].password);
	}
	for (i = 0; i < s->n_roles; i++)
		free(s->roles[i]);
	for (i = 0; i < s->n_user_roles; i++) {
		free(s->user_roles[i].user);
		free(s->user_roles[i].role);
	}
	for (i = 0; i < s->n_grants; i++) {
		free(s->grants[i].role);
		free(s->grants[i].type);
		free(s->grants[i].db);
		free(s->grants[i].obj);
		free(s->grants[i].id);
	}
	for (i = 0; i < s->n_grant_privs; i++) {
		free(s->grant_privs[i].id);
		free(s->grant_privs[i].priv);
		free(s->grant_privs[i].grantor);
	}
	for (i = 0; i < s->n_pgroups; i++) {
		for (j = 0; j < s->pgroups[i].n_privs; j++)
			free(s->pgroups[i].privs[j]);
		free(s->pgroups[i].privs);
		free(s->pgroups[i].name);
	}
	free(s->users);
	free(s->roles);
	free(s->user_roles);
	free(s->grants);
	free(s->grant_privs);
	free(s->pgroups);
}

/* ---- lookups ---- */

const struct lstore_user *
lstore_user_find(const struct lstore *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_users; i++) {
		if (strcmp(s->users[i].name, name) == 0)
			return &s->users[i];
	}
	return NULL;
}

bool
lstore_role_exists(const struct lstore *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_roles; i++) {
		if (strcmp(s->roles[i], name) == 0)
			return true;
	}
	return false;
}

bool
lstore_user_has_role(const struct lstore *s, const char *user, const char *role)
{
	size_t i;

	for (i = 0; i < s->n_user_roles; i++) {
		if (strcmp(s->user_roles[i].user, user) == 0 &&
		    strcmp(s->user_roles[i].role, role) == 0)
			return true;
	}
	return false;
}

const struct lstore_pgroup *
lstore_pgroup_find(const struct lstore *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_pgroups; i++) {
		if (strcmp(s->pgroups[i].name, name) == 0)
			return &s->pgroups[i];
	}
	return NULL;
}

const struct lstore_grant *
lstore_grant_find(const struct lstore *s, const char *role, const char *type, const char *db,
    const char *obj)
{
	size_t i;

	for (i = 0; i < s->n_grants; i++) {
		const struct lstore_grant *g = &s->grants[i];

		if (strcmp(g->role, role) == 0 && strcmp(g->type, type) == 0 &&
		    strcmp(g->db, db) == 0 && strcmp(g->obj, obj) == 0)
			return g;
	}
	return NULL;
}

const struct lstore_grant_priv *
lstore_grant_priv_find(const struct lstore *s, const char *id, const char *priv)
{
	size_t i;

	for (i = 0; i < s->n_grant_privs; i++) {
		if (strcmp(s->grant_privs[i].id, id) == 0 &&
		    strcmp(s->grant_privs[i].priv, priv) == 0)
			return &s->grant_privs[i];
	}
	return NULL;
}

/* ---- keys and values ---- */

char *
lstore_cred_key(const struct lstore *s, const char *rest)
{
	return xasprintf("%s/meta/root-coord/credential/%s", s->root, rest);
}

static uint64_t
fnv1a(const char *a, const char *b)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)a; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	for (p = (const unsigned char *)b; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

char *
lstore_password_hash(const char *password)
{
	return xasprintf("lab-fnv1a64:%016llx",
	    (unsigned long long)fnv1a("milvusadm-lab:", password));
}

char *
lstore_grant_id(const char *role, const char *type, const char *db, const char *obj)
{
	char key[MAX_KEY];

	snprintf(key, sizeof key, "root-coord/credential/grantee-privileges/%s/%s/%s.%s", role,
	    type, db, obj);
	return xasprintf("%016llx%016llx", (unsigned long long)fnv1a("grant:", key),
	    (unsigned long long)fnv1a("id:", key));
}

char *
lstore_pgroup_json(const char *name, const char *const *privs, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "{\"group_name\":");
	buf_add_json_str(&b, name);
	buf_adds(&b, ",\"privileges\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, privs[i]);
	}
	buf_adds(&b, "]}");
	return buf_detach(&b, NULL);
}

static char *
grantee_key(const struct lstore *s, const char *role, const char *type, const char *db,
    const char *obj)
{
	char rest[MAX_KEY + 32];

	snprintf(rest, sizeof rest, "grantee-privileges/%s/%s/%s.%s", role, type, db, obj);
	return lstore_cred_key(s, rest);
}

static char *
grantee_id_key(const struct lstore *s, const char *id, const char *priv)
{
	char rest[600];

	snprintf(rest, sizeof rest, "grantee-id/%s/%s", id, priv != NULL ? priv : "");
	return lstore_cred_key(s, rest);
}

static char *
cred_key2(const struct lstore *s, const char *dir, const char *a, const char *b)
{
	char rest[600];

	if (b != NULL)
		snprintf(rest, sizeof rest, "%s/%s/%s", dir, a, b);
	else
		snprintf(rest, sizeof rest, "%s/%s", dir, a);
	return lstore_cred_key(s, rest);
}

/* ---- operations ---- */

void
lstore_rbac_init_ops(const struct lstore *s, struct lstore_ops *o)
{
	const struct lstore_user *root;
	size_t i;

	if (s->rbac_init)
		return;
	lstore_op_cmp(o, LSTORE_CMP_ABSENT, cred_key2(s, "roles", "public", NULL), 0);
	lstore_op_put(o, cred_key2(s, "roles", "admin", NULL), xstrdup(""));
	lstore_op_put(o, cred_key2(s, "roles", "public", NULL), xstrdup(""));
	root = lstore_user_find(s, "root");
	if (root != NULL && root->mod_rev == 0)
		lstore_op_put(o, cred_key2(s, "users", "root", NULL),
		    xasprintf("{\"encrypted_password\":\"%s\"}", root->password));
	for (i = 0; i < sizeof public_grants / sizeof public_grants[0]; i++) {
		char *id = lstore_grant_id("public", public_grants[i].type, "*", "*");

		/* One grantee key per object, one grantee-id key per privilege. */
		if (i == 0 || strcmp(public_grants[i - 1].type, public_grants[i].type) != 0)
			lstore_op_put(o, grantee_key(s, "public", public_grants[i].type, "*", "*"),
			    xstrdup(id));
		lstore_op_put(o, grantee_id_key(s, id, public_grants[i].priv), xstrdup("root"));
		free(id);
	}
}

bool
lstore_grant_op(const struct lstore *s, struct lstore_ops *o, bool grant, const char *role,
    const char *type, const char *db, const char *obj, const char *priv, const char *grantor)
{
	const struct lstore_grant *g = lstore_grant_find(s, role, type, db, obj);
	char *id = g != NULL ? xstrdup(g->id) : lstore_grant_id(role, type, db, obj);
	bool has = lstore_grant_priv_find(s, id, priv) != NULL;

	if (grant == has) {
		/* Granted already, or not granted: Milvus's ignorable errors. */
		free(id);
		return false;
	}
	if (grant) {
		if (g == NULL)
			lstore_op_put(o, grantee_key(s, role, type, db, obj), xstrdup(id));
		lstore_op_cmp(o, LSTORE_CMP_ABSENT, grantee_id_key(s, id, priv), 0);
		lstore_op_put(o, grantee_id_key(s, id, priv), xstrdup(grantor));
	} else {
		/* AlterGrant's revoke removes the privilege; the grantee key stays. */
		lstore_op_del(o, grantee_id_key(s, id, priv), false);
	}
	free(id);
	return true;
}

void
lstore_role_drop_ops(const struct lstore *s, struct lstore_ops *o, const char *role)
{
	size_t i;

	lstore_op_del(o, cred_key2(s, "roles", role, NULL), false);
	for (i = 0; i < s->n_user_roles; i++) {
		if (strcmp(s->user_roles[i].role, role) == 0)
			lstore_op_del(o, cred_key2(s, "user-role-mapping", s->user_roles[i].user,
			    role), false);
	}
}

void
lstore_user_drop_ops(const struct lstore *s, struct lstore_ops *o, const char *user)
{
	size_t i;

	lstore_op_del(o, cred_key2(s, "users", user, NULL), false);
	for (i = 0; i < s->n_user_roles; i++) {
		if (strcmp(s->user_roles[i].user, user) == 0)
			lstore_op_del(o, cred_key2(s, "user-role-mapping", user,
			    s->user_roles[i].role), false);
	}
}

size_t
lstore_coll_grants_drop_ops(const struct lstore *s, struct lstore_ops *o, const char *db,
    const char *obj)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_grants; i++) {
		const struct lstore_grant *g = &s->grants[i];

		if (strcmp(g->db, db) != 0 || strcmp(g->obj, obj) != 0)
			continue;
		lstore_op_del(o, grantee_key(s, g->role, g->type, g->db, g->obj), false);
		lstore_op_del(o, grantee_id_key(s, g->id, NULL), true);
		n++;
	}
	return n;
}

void
lstore_rbac_finish(const struct lstore *s, struct lstore_ops *o)
{
	struct lstore_ops init, merged;
	bool *gone;
	size_t i, j;

	if (s->rbac_init || o->n == 0)
		return;
	memset(&init, 0, sizeof init);
	memset(&merged, 0, sizeof merged);
	lstore_rbac_init_ops(s, &init);
	gone = xcalloc(o->n + 1, sizeof *gone);
	for (i = 0; i < init.n; i++) {
		struct lstore_op *a = &init.v[i];
		bool keep = true;

		for (j = 0; j < o->n && keep; j++) {
			struct lstore_op *b = &o->v[j];

			if (b->prefix || strcmp(a->key, b->key) != 0)
				continue;
			if (b->kind == LSTORE_PUT)
				keep = false;	/* the change's value wins */
			else if (b->kind == LSTORE_DEL) {
				keep = false;	/* never stored: neither */
				gone[j] = true;
			}
		}
		if (!keep)
			continue;
		if (a->kind == LSTORE_PUT)
			lstore_op_put(&merged, a->key, a->val);
		else
			lstore_op_cmp(&merged, a->kind, a->key, a->n);
		a->key = a->val = NULL;
	}
	for (j = 0; j < o->n; j++) {
		struct lstore_op *b = &o->v[j];

		if (gone[j])
			continue;
		if (b->kind == LSTORE_PUT)
			lstore_op_put(&merged, b->key, b->val);
		else if (b->kind == LSTORE_DEL)
			lstore_op_del(&merged, b->key, b->prefix);
		else
			lstore_op_cmp(&merged, b->kind, b->key, b->n);
		b->key = b->val = NULL;
	}
	merged.gid_next = o->gid_next;
	free(gone);
	lstore_ops_release(&init);
	lstore_ops_release(o);
	*o = merged;
}
