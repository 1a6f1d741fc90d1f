/* SPDX-License-Identifier: MIT */
/* Pure parsers for the REST v2 admin answers (contract §5.3, §5.5): a user's
 * roles, a role's grants, the privilege groups and a database's properties,
 * from the whole envelope into the plain structs of milvus_admin.h. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_admin.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"
#include "milvus-rest-int.h"

/* The root of a code-0 envelope (caller deletes) and its "data" member
 * (NULL when absent); NULL when body is anything else. */
static cJSON *
admin_envelope(const char *body, size_t len, const cJSON **data)
{
	cJSON *root;
	int64_t code;

	if (body == NULL || len == 0)
		return NULL;
	root = mj_parse(body, len);
	if (!cJSON_IsObject(root) ||
	    mj_int64(cJSON_GetObjectItemCaseSensitive(root, "code"), &code) != 0 || code != 0) {
		cJSON_Delete(root);
		return NULL;
	}
	*data = cJSON_GetObjectItemCaseSensitive(root, "data");
	return root;
}

/* An array, null or absent (then *n = 0); -1 for another type or more than
 * MJ_MAX_ITEMS elements. */
static int
admin_array(const cJSON *item, size_t *n)
{
	*n = 0;
	if (item == NULL || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsArray(item))
		return -1;
	*n = (size_t)cJSON_GetArraySize(item);
	return *n > MJ_MAX_ITEMS ? -1 : 0;
}

int
milvus_parse_user_roles(const char *body, size_t len, struct milvus_user *out)
{
	const cJSON *data = NULL;
	cJSON *root = admin_envelope(body, len, &data);
	int rc;

	out->roles = NULL;
	out->n_roles = 0;
	if (root == NULL)
		return -1;
	rc = mrest_names(data, &out->roles, &out->n_roles);
	cJSON_Delete(root);
	return rc;
}

/* Member name of obj as a bounded copy: a string, or "" when absent or null
 * and not required; -1 for another type. */
static int
admin_str(const cJSON *obj, const char *name, bool required, char **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (it == NULL || cJSON_IsNull(it)) {
		if (required)
			return -1;
		*out = xstrdup("");
		return 0;
	}
	if (!cJSON_IsString(it))
		return -1;
	*out = xstrndup(it->valuestring, MJ_MAX_STR);
	return 0;
}

static void
admin_grants_free(struct milvus_grant *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].object_type);
		free(g[i].object_name);
		free(g[i].privilege);
		free(g[i].db_name);
		free(g[i].grantor);
	}
	free(g);
}

int
milvus_parse_role_grants(const char *body, size_t len, struct milvus_role *out)
{
	const cJSON *data = NULL, *e;
	cJSON *root = admin_envelope(body, len, &data);
	struct milvus_grant *g = NULL;
	size_t count, n = 0;
	int rc = -1;

	out->grants = NULL;
	out->n_grants = 0;
	if (root == NULL || admin_array(data, &count) != 0)
		goto out;
	if (count > 0)
		g = xcalloc(count, sizeof *g);
	cJSON_ArrayForEach(e, data) {
		struct milvus_grant *p = &g[n];

		if (!cJSON_IsObject(e) || n >= count)
			goto out;
		n++;
		/* Every string set, "" when the server left it out, so that the
		 * pure logic never meets NULL; a grant names at least what it
		 * grants and on what. */
		if (admin_str(e, "privilege", true, &p->privilege) != 0 ||
		    admin_str(e, "objectName", true, &p->object_name) != 0 ||
		    admin_str(e, "objectType", false, &p->object_type) != 0 ||
		    admin_str(e, "dbName", false, &p->db_name) != 0 ||
		    admin_str(e, "grantor", false, &p->grantor) != 0 || p->privilege[0] == '\0')
			goto out;
	}
	out->grants = g;
	out->n_grants = n;
	g = NULL;
	n = 0;
	rc = 0;
out:
	admin_grants_free(g, n);
	cJSON_Delete(root);
	return rc;
}

/* "A,B, C" as listed by privilege_groups/list (strings.Join(names, ","));
 * blanks around names and empty names are dropped. */
static int
admin_split(const char *s, char ***out, size_t *n)
{
	const char *p, *end;
	size_t count = 1;

	for (p = s; *p != '\0'; p++)
		count += *p == ',';
	if (count > MJ_MAX_ITEMS)
		return -1;
	*out = xcalloc(count, sizeof **out);
	for (p = s; ; p = end + 1) {
		const char *a = p, *b;

		end = strchr(p, ',');
		b = end != NULL ? end : p + strlen(p);
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a)
			(*out)[(*n)++] = xstrndup(a, (size_t)(b - a) < MJ_MAX_STR ?
			    (size_t)(b - a) : MJ_MAX_STR);
		if (end == NULL)
			break;
	}
	return 0;
}

static void
admin_groups_free(struct milvus_privilege_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].name);
		mrest_free_names(g[i].privileges, g[i].n_privileges);
	}
	free(g);
}

int
milvus_parse_privilege_groups(const char *body, size_t len,
    struct milvus_privilege_group **out, size_t *nout)
{
	const cJSON *data = NULL, *list, *e, *privs;
	cJSON *root = admin_envelope(body, len, &data);
	struct milvus_privilege_group *g = NULL;
	size_t count, n = 0;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (root == NULL)
		goto out;
	/* data {"privilegeGroups":[...]} as the handler answers; a bare list
	 * is taken too. */
	list = cJSON_IsArray(data) ? data :
	    cJSON_IsObject(data) ? cJSON_GetObjectItemCaseSensitive(data, "privilegeGroups") :
	    data;
	if (admin_array(list, &count) != 0)
		goto out;
	if (count > 0)
		g = xcalloc(count, sizeof *g);
	cJSON_ArrayForEach(e, list) {
		struct milvus_privilege_group *p = &g[n];

		if (!cJSON_IsObject(e) || n >= count)
			goto out;
		n++;
		if (admin_str(e, "privilegeGroupName", true, &p->name) != 0 || p->name[0] == '\0')
			goto out;
		/* A comma-separated string (the REST handler's), or a list. */
		privs = cJSON_GetObjectItemCaseSensitive(e, "privileges");
		if (cJSON_IsString(privs)) {
			if (admin_split(privs->valuestring, &p->privileges, &p->n_privileges) != 0)
				goto out;
		} else if (mrest_names(privs, &p->privileges, &p->n_privileges) != 0)
			goto out;
	}
	*out = g;
	*nout = n;
	g = NULL;
	n = 0;
	rc = 0;
out:
	admin_groups_free(g, n);
	cJSON_Delete(root);
	return rc;
}

int
milvus_parse_database(const char *body, size_t len, struct milvus_collection_info *out)
{
	const cJSON *data = NULL;
	cJSON *root = admin_envelope(body, len, &data);
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (root == NULL || !cJSON_IsObject(data))
		goto out;
	out->name = mj_get_str(data, "dbName");
	out->id = mj_get_int64(data, "dbID", 0);
	if (mrest_properties(cJSON_GetObjectItemCaseSensitive(data, "properties"),
	    &out->properties, &out->n_properties) == 0)
		rc = 0;
out:
	if (rc != 0)
		mrest_info_release(out);
	cJSON_Delete(root);
	return rc;
}

void
milvus_rbac_free(struct milvus_rbac *rb)
{
	size_t i;

	if (rb == NULL)
		return;
	for (i = 0; i < rb->n_users; i++) {
		free(rb->users[i].name);
		mrest_free_names(rb->users[i].roles, rb->users[i].n_roles);
	}
	free(rb->users);
	for (i = 0; i < rb->n_roles; i++) {
		free(rb->roles[i].name);
		admin_grants_free(rb->roles[i].grants, rb->roles[i].n_grants);
	}
	free(rb->roles);
	admin_groups_free(rb->groups, rb->n_groups);
	memset(rb, 0, sizeof *rb);
}
