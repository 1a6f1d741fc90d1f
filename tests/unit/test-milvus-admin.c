/* SPDX-License-Identifier: MIT */
/* Unit tests for the REST v2 admin calls (milvus_admin.h): the parsers of a
 * user's roles, a role's grants, the privilege groups and a database against
 * canned answers shaped like the lab's (src/lab/labd-rest-rbac.c,
 * labd-rest-db.c), and the calls and the whole RBAC read (with who can drop
 * over it) against a fake proxy on 127.113.0.1. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_admin.h"
#include "milvusadm/xalloc.h"

#include "milvus-canned.h"
#include "rest-fake.h"

#define SRV_IP	"127.113.0.1"

/* ---- parsers ---- */

/* A body of n names (users/list, users/describe) or n grants. */
static char *
big_list(size_t n, const char *item)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "{\"code\":0,\"data\":[");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i > 0 ? "," : "", item);
	buf_adds(&b, "]}");
	return buf_detach(&b, NULL);
}

START_TEST(test_parse_user_roles)
{
	static const char *const bad[] = {
		"", "not json", "[]", "{\"data\":[\"a\"]}", "{\"code\":\"zero\",\"data\":[]}",
		"{\"code\":1800,\"message\":\"user hasn't authenticated\"}",
		"{\"code\":0,\"data\":{}}", "{\"code\":0,\"data\":\"admin\"}",
		"{\"code\":0,\"data\":[\"a\",1]}", "{\"code\":0,\"data\":[[\"a\"]]}",
		"{\"code\":0,\"data\":[\"a\"", NULL,
	};
	struct milvus_user u;
	char *body, *name;
	size_t i;

	memset(&u, 0, sizeof u);
	ck_assert_int_eq(milvus_parse_user_roles(S("{\"code\":0,\"data\":[\"admin\",\"ops\"]}"),
	    &u), 0);
	ck_assert_uint_eq(u.n_roles, 2);
	ck_assert_str_eq(u.roles[0], "admin");
	ck_assert_str_eq(u.roles[1], "ops");
	ck_assert_ptr_null(u.name);
	free(u.roles[0]);
	free(u.roles[1]);
	free(u.roles);
	/* Empty, null and absent lists are empty. */
	ck_assert_int_eq(milvus_parse_user_roles(S("{\"code\":0,\"data\":[]}"), &u), 0);
	ck_assert_uint_eq(u.n_roles, 0);
	ck_assert_int_eq(milvus_parse_user_roles(S("{\"code\":0,\"data\":null}"), &u), 0);
	ck_assert_uint_eq(u.n_roles, 0);
	ck_assert_int_eq(milvus_parse_user_roles(S("{\"code\":0}"), &u), 0);
	ck_assert_uint_eq(u.n_roles, 0);
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(milvus_parse_user_roles(S(bad[i]), &u) == -1, "taken: %s", bad[i]);
		ck_assert_ptr_null(u.roles);
		ck_assert_uint_eq(u.n_roles, 0);
	}
	ck_assert_int_eq(milvus_parse_user_roles(NULL, 0, &u), -1);
	/* Bounds: names kept to 1024 bytes, lists to 100000. */
	name = xmalloc(5002);
	memset(name, 'r', 5001);
	name[5001] = '\0';
	body = xasprintf("{\"code\":0,\"data\":[\"%s\"]}", name);
	ck_assert_int_eq(milvus_parse_user_roles(S(body), &u), 0);
	ck_assert_uint_eq(strlen(u.roles[0]), 1024);
	free(u.roles[0]);
	free(u.roles);
	free(body);
	free(name);
	body = big_list(100001, "\"r\"");
	ck_assert_int_eq(milvus_parse_user_roles(S(body), &u), -1);
	ck_assert_ptr_null(u.roles);
	free(body);
}
END_TEST

static void
role_release(struct milvus_role *ro)
{
	struct milvus_rbac rb;

	memset(&rb, 0, sizeof rb);
	rb.roles = xmalloc(sizeof *ro);
	rb.roles[0] = *ro;
	rb.n_roles = 1;
	milvus_rbac_free(&rb);
	memset(ro, 0, sizeof *ro);
}

START_TEST(test_parse_role_grants)
{
	static const char *const bad[] = {
		"{\"code\":0,\"data\":{}}", "{\"code\":0,\"data\":[1]}",
		"{\"code\":0,\"data\":[{\"objectName\":\"*\"}]}",
		"{\"code\":0,\"data\":[{\"privilege\":\"DropCollection\"}]}",
		"{\"code\":0,\"data\":[{\"privilege\":\"\",\"objectName\":\"*\"}]}",
		"{\"code\":0,\"data\":[{\"privilege\":7,\"objectName\":\"*\"}]}",
		"{\"code\":0,\"data\":[{\"privilege\":\"All\",\"objectName\":[\"*\"]}]}",
		"{\"code\":0,\"data\":[{\"privilege\":\"All\",\"objectName\":\"*\",\"dbName\":1}]}",
		"{\"code\":0,\"data\":[{\"privilege\":\"All\",\"objectName\":\"*\"},null]}",
		"{\"code\":65535,\"message\":\"not found the role\"}", NULL,
	};
	struct milvus_role ro;
	char *body;
	size_t i;

	memset(&ro, 0, sizeof ro);
	/* As the lab (and handler_v2.go) answers: keys sorted, 2.6.19's
	 * description beside data. */
	ck_assert_int_eq(milvus_parse_role_grants(S("{\"code\":0,\"data\":[{\"dbName\":\"*\","
	    "\"grantor\":\"root\",\"objectName\":\"*\",\"objectType\":\"Global\",\"privilege\":"
	    "\"DropCollection\"},{\"dbName\":\"db2\",\"grantor\":\"root\",\"objectName\":\"docs\","
	    "\"objectType\":\"Collection\",\"privilege\":\"Query\"}],\"description\":\"ops\"}"),
	    &ro), 0);
	ck_assert_uint_eq(ro.n_grants, 2);
	ck_assert_str_eq(ro.grants[0].privilege, "DropCollection");
	ck_assert_str_eq(ro.grants[0].db_name, "*");
	ck_assert_str_eq(ro.grants[0].object_name, "*");
	ck_assert_str_eq(ro.grants[0].object_type, "Global");
	ck_assert_str_eq(ro.grants[0].grantor, "root");
	ck_assert_str_eq(ro.grants[1].db_name, "db2");
	ck_assert_str_eq(ro.grants[1].object_name, "docs");
	role_release(&ro);
	/* The optional strings are "" when absent or null, never NULL. */
	ck_assert_int_eq(milvus_parse_role_grants(S("{\"code\":0,\"data\":[{\"privilege\":"
	    "\"All\",\"objectName\":\"*\",\"dbName\":null}]}"), &ro), 0);
	ck_assert_uint_eq(ro.n_grants, 1);
	ck_assert_str_eq(ro.grants[0].db_name, "");
	ck_assert_str_eq(ro.grants[0].object_type, "");
	ck_assert_str_eq(ro.grants[0].grantor, "");
	role_release(&ro);
	ck_assert_int_eq(milvus_parse_role_grants(S("{\"code\":0,\"data\":[]}"), &ro), 0);
	ck_assert_uint_eq(ro.n_grants, 0);
	ck_assert_int_eq(milvus_parse_role_grants(S("{\"code\":0,\"data\":null}"), &ro), 0);
	ck_assert_uint_eq(ro.n_grants, 0);
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(milvus_parse_role_grants(S(bad[i]), &ro) == -1, "taken: %s", bad[i]);
		ck_assert_ptr_null(ro.grants);
		ck_assert_uint_eq(ro.n_grants, 0);
	}
	body = big_list(100001, "{\"privilege\":\"All\",\"objectName\":\"*\"}");
	ck_assert_int_eq(milvus_parse_role_grants(S(body), &ro), -1);
	free(body);
	body = big_list(3000, "{\"privilege\":\"All\",\"objectName\":\"*\"}");
	ck_assert_int_eq(milvus_parse_role_grants(S(body), &ro), 0);
	ck_assert_uint_eq(ro.n_grants, 3000);
	role_release(&ro);
	free(body);
}
END_TEST

static void
groups_free(struct milvus_privilege_group *g, size_t n)
{
	struct milvus_rbac rb;

	memset(&rb, 0, sizeof rb);
	rb.groups = g;
	rb.n_groups = n;
	milvus_rbac_free(&rb);
}

START_TEST(test_parse_privilege_groups)
{
	static const char *const bad[] = {
		"{\"code\":0,\"data\":\"x\"}", "{\"code\":0,\"data\":{\"privilegeGroups\":{}}}",
		"{\"code\":0,\"data\":{\"privilegeGroups\":[\"dropper\"]}}",
		"{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privileges\":\"Query\"}]}}",
		"{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privilegeGroupName\":\"\"}]}}",
		"{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privilegeGroupName\":\"g\","
		    "\"privileges\":7}]}}",
		"{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privilegeGroupName\":\"g\","
		    "\"privileges\":[\"Query\",{}]}]}}",
		"{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privilegeGroupName\":[\"g\"]}]}}",
		"{\"code\":1100,\"message\":\"x\"}", NULL,
	};
	struct milvus_privilege_group *g;
	struct buf b = BUF_INIT;
	size_t n, i;

	/* The lab's (and handler_v2.go's) shape: privileges joined by ",". */
	ck_assert_int_eq(milvus_parse_privilege_groups(S("{\"code\":0,\"data\":{\"privilegeGroups\":"
	    "[{\"privilegeGroupName\":\"dropper\",\"privileges\":\"DropCollection,Query\"},"
	    "{\"privilegeGroupName\":\"empty\",\"privileges\":\"\"},"
	    "{\"privilegeGroupName\":\"DatabaseAdmin\",\"privileges\":\"ShowCollections,"
	    "DescribeDatabase,AlterDatabase,CreateCollection,DropCollection\"}]}}"), &g, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(g[0].name, "dropper");
	ck_assert_uint_eq(g[0].n_privileges, 2);
	ck_assert_str_eq(g[0].privileges[0], "DropCollection");
	ck_assert_str_eq(g[0].privileges[1], "Query");
	ck_assert_uint_eq(g[1].n_privileges, 0);
	ck_assert_uint_eq(g[2].n_privileges, 5);
	ck_assert_str_eq(g[2].privileges[4], "DropCollection");
	groups_free(g, n);
	/* A list of names too; blanks and empty names dropped; a bare list. */
	ck_assert_int_eq(milvus_parse_privilege_groups(S("{\"code\":0,\"data\":[{"
	    "\"privilegeGroupName\":\"a\",\"privileges\":[\"Query\",\"Search\"]},"
	    "{\"privilegeGroupName\":\"b\",\"privileges\":\" Query , ,\\tSearch,\"},"
	    "{\"privilegeGroupName\":\"c\"}]}"), &g, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(g[0].n_privileges, 2);
	ck_assert_str_eq(g[0].privileges[1], "Search");
	ck_assert_uint_eq(g[1].n_privileges, 2);
	ck_assert_str_eq(g[1].privileges[0], "Query");
	ck_assert_str_eq(g[1].privileges[1], "Search");
	ck_assert_uint_eq(g[2].n_privileges, 0);
	groups_free(g, n);
	ck_assert_int_eq(milvus_parse_privilege_groups(S("{\"code\":0,\"data\":"
	    "{\"privilegeGroups\":[]}}"), &g, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(milvus_parse_privilege_groups(S("{\"code\":0,\"data\":{}}"), &g, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(milvus_parse_privilege_groups(S("{\"code\":0,\"data\":null}"), &g, &n), 0);
	ck_assert_uint_eq(n, 0);
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(milvus_parse_privilege_groups(S(bad[i]), &g, &n) == -1, "taken: %s",
		    bad[i]);
		ck_assert_ptr_null(g);
		ck_assert_uint_eq(n, 0);
	}
	/* More than 100000 privileges in one string. */
	buf_adds(&b, "{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privilegeGroupName\":\"g\","
	    "\"privileges\":\"");
	for (i = 0; i < 100001; i++)
		buf_adds(&b, "Q,");
	buf_adds(&b, "\"}]}}");
	ck_assert_int_eq(milvus_parse_privilege_groups(b.data, b.len, &g, &n), -1);
	buf_release(&b);
}
END_TEST

START_TEST(test_parse_database)
{
	struct milvus_rest_result res;
	struct milvus_collection_info info;

	memset(&res, 0, sizeof res);
	ck_assert_int_eq(milvus_parse_database(S("{\"code\":0,\"data\":{\"dbID\":" BIG_ID ","
	    "\"dbName\":\"db2\",\"properties\":[{\"key\":\"database.force.deny.collectionDDL\","
	    "\"value\":\"true\"}]}}"), &res.info), 0);
	ck_assert_str_eq(res.info.name, "db2");
	ck_assert(res.info.id == BIG_ID_NUM);
	ck_assert_uint_eq(res.info.n_properties, 1);
	ck_assert_str_eq(res.info.properties[0].key, "database.force.deny.collectionDDL");
	ck_assert_str_eq(res.info.properties[0].value, "true");
	milvus_rest_result_release(&res);
	ck_assert_int_eq(milvus_parse_database(S("{\"code\":0,\"data\":{\"properties\":[]}}"),
	    &info), 0);
	ck_assert_ptr_null(info.name);
	ck_assert_uint_eq(info.n_properties, 0);
	ck_assert_int_eq(milvus_parse_database(S("{\"code\":0,\"data\":[]}"), &info), -1);
	ck_assert_int_eq(milvus_parse_database(S("{\"code\":0,\"data\":{\"dbName\":\"d\","
	    "\"properties\":[{\"key\":\"k\",\"value\":\"v\"},{\"key\":\"k\",\"value\":1}]}}"),
	    &info), -1);
	ck_assert_ptr_null(info.name);
	ck_assert_ptr_null(info.properties);
	ck_assert_int_eq(milvus_parse_database(S("{\"code\":800,\"message\":\"database not "
	    "found[database=x]\"}"), &info), -1);
}
END_TEST

/* ---- the calls, against a fake proxy ---- */

struct seen {
	char path[128];
	char body[512];
};

/* The requests the proxy saw since the last srv_forget. */
static struct seen seen[64];
static size_t n_seen;

static void
srv_forget(void)
{
	n_seen = 0;
}

/* What requests with path p had in their body, in order, joined by '|'. */
static const char *
bodies(const char *p)
{
	static char out[2048];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n_seen && len < sizeof out; i++) {
		if (strcmp(seen[i].path, p) == 0)
			len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len > 0 ? "|" : "",
			    seen[i].body);
	}
	return out;
}

static const char *
users_describe(const char *body)
{
	if (strstr(body, "\"alice\"") != NULL)
		return "{\"code\":0,\"data\":[\"admin\"]}";
	if (strstr(body, "\"bob\"") != NULL)
		return "{\"code\":0,\"data\":[\"ops\"]}";
	if (strstr(body, "\"carol\"") != NULL)
		return "{\"code\":0,\"data\":[\"reader\",\"ops\"]}";
	return "{\"code\":0,\"data\":[]}";
}

static const char *
roles_describe(const char *scenario, const char *body)
{
	/* Only dbName "*" shows the grants in every database. */
	if (strstr(body, "\"dbName\":\"*\"") == NULL)
		return "{\"code\":0,\"data\":[]}";
	if (strcmp(scenario, "badrole") == 0)
		return "{\"code\":0,\"data\":{\"objectName\":\"*\"}}";
	if (strstr(body, "\"public\"") != NULL)
		return "{\"code\":0,\"data\":[{\"dbName\":\"*\",\"grantor\":\"root\",\"objectName\":"
		    "\"*\",\"objectType\":\"Global\",\"privilege\":\"DescribeCollection\"}]}";
	if (strstr(body, "\"ops\"") != NULL)
		return "{\"code\":0,\"data\":[{\"dbName\":\"*\",\"grantor\":\"root\",\"objectName\":"
		    "\"*\",\"objectType\":\"Global\",\"privilege\":\"DropCollection\"}]}";
	if (strstr(body, "\"reader\"") != NULL)
		return "{\"code\":0,\"data\":[{\"dbName\":\"db2\",\"grantor\":\"root\",\"objectName\":"
		    "\"*\",\"objectType\":\"Global\",\"privilege\":\"dropper\"}]}";
	return "{\"code\":0,\"data\":[]}";
}

static const char *many_users;

static const char *
answer(const char *scenario, const char *op, const char *body, unsigned *code)
{
	if (strcmp(scenario, "notready") == 0)
		return "{\"code\":1,\"message\":\"service not ready[Initializing]\"}";
	if (strcmp(op, "users/list") == 0)
		return strcmp(scenario, "many") == 0 ? many_users :
		    "{\"code\":0,\"data\":[\"root\",\"alice\",\"bob\",\"carol\"]}";
	if (strcmp(op, "users/describe") == 0 && strcmp(scenario, "deny") == 0) {
		*code = 403;
		return "{\"code\":65535,\"message\":\"PrivilegeSelectUser: permission deny to bob\"}";
	}
	if (strcmp(op, "users/describe") == 0)
		return users_describe(body);
	if (strcmp(op, "roles/list") == 0)
		return "{\"code\":0,\"data\":[\"admin\",\"public\",\"ops\",\"reader\"]}";
	if (strcmp(op, "roles/describe") == 0)
		return roles_describe(scenario, body);
	if (strcmp(op, "privilege_groups/list") == 0 && strcmp(scenario, "v25") == 0)
		return "{\"code\":0,\"data\":{\"privilegeGroups\":[{\"privilegeGroupName\":"
		    "\"dropper\",\"privileges\":\"Query,DropCollection\"},{\"privilegeGroupName\":"
		    "\"ClusterReadOnly\",\"privileges\":\"ListDatabases,SelectOwnership\"}]}}";
	if (strcmp(op, "databases/describe") == 0 && strcmp(scenario, "v25") == 0)
		return "{\"code\":0,\"data\":{\"dbID\":" BIG_ID ",\"dbName\":\"db2\",\"properties\":"
		    "[{\"key\":\"database.force.deny.collectionDDL\",\"value\":\"true\"}]}}";
	if (strcmp(op, "databases/describe") == 0)
		return "{\"code\":0,\"data\":[\"db2\"]}";
	if (strcmp(op, "aliases/create") == 0 && strstr(body, "\"taken\"") != NULL)
		return "{\"code\":1602,\"message\":\"alias already exist[database=default]"
		    "[alias=taken]\"}";
	if (strncmp(op, "aliases/", 8) == 0 || strncmp(op, "databases/", 10) == 0)
		return "{\"code\":0,\"data\":{}}";
	*code = 404;
	return "404 page not found";
}

/* URL /<scenario>/v2/vectordb/<op>: answer() of it, the request seen. */
static const char *
srv_answer(const char *url, const char *method, const char *body, unsigned *status)
{
	const char *op = strstr(url, "/v2/vectordb/");
	char scenario[32];

	snprintf(scenario, sizeof scenario, "%.*s", op != NULL ? (int)(op - url - 1) : 0, url + 1);
	op = op != NULL ? op + strlen("/v2/vectordb/") : "";
	if (n_seen < sizeof seen / sizeof seen[0]) {
		snprintf(seen[n_seen].path, sizeof seen[n_seen].path, "%s/%s", scenario, op);
		snprintf(seen[n_seen].body, sizeof seen[n_seen].body, "%s", body);
		n_seen++;
	}
	return answer(scenario, op, body, status);
}

static void
srv_start(void)
{
	struct buf b = BUF_INIT;
	int i;

	rest_fake_start(SRV_IP, srv_answer);
	buf_adds(&b, "{\"code\":0,\"data\":[");
	for (i = 0; i <= 4096; i++)
		buf_printf(&b, "%s\"u%d\"", i > 0 ? "," : "", i);
	buf_adds(&b, "]}");
	many_users = buf_detach(&b, NULL);
}

static void
srv_stop(void)
{
	rest_fake_stop();
	free((char *)many_users);
}

static struct milvus_rest *
client(struct loop *l, const char *const *scenarios, const char *db)
{
	return rest_fake_client(l, scenarios, db, 0);
}

#define RES_OK(call) do {						\
	struct milvus_rest_result *res_ = (call);			\
	ck_assert_msg(res_->err == MREST_OK, "%s", res_->errmsg);	\
	milvus_rest_result_free(res_);					\
} while (0)

#define RES_ERR(call, want) do {					\
	struct milvus_rest_result *res_ = (call);			\
	ck_assert_int_eq(res_->err, (want));				\
	milvus_rest_result_free(res_);					\
} while (0)

START_TEST(test_calls)
{
	static const char *const v25[] = { "v25", NULL };
	static const char *const v24[] = { "v24", NULL };
	static const char *const failover[] = { "down", "notready", "v25", NULL };
	struct loop *l = loop_new();
	struct milvus_rest *r = client(l, v25, "db1");
	struct milvus_rest_result *res;

	srv_forget();
	RES_OK(milvus_rest_alias_create_sync(r, "default", "docs_guard", "docs"));
	ck_assert_str_eq(bodies("v25/aliases/create"), "{\"dbName\":\"default\",\"aliasName\":"
	    "\"docs_guard\",\"collectionName\":\"docs\"}");
	/* db NULL: the client's default database. */
	RES_OK(milvus_rest_alias_drop_sync(r, NULL, "docs_guard"));
	ck_assert_str_eq(bodies("v25/aliases/drop"), "{\"dbName\":\"db1\",\"aliasName\":"
	    "\"docs_guard\"}");
	res = milvus_rest_alias_create_sync(r, NULL, "taken", "docs");
	ck_assert_int_eq(res->err, MREST_ESERVER);
	ck_assert_int_eq(res->code, 1602);
	ck_assert_ptr_null(res->body);
	milvus_rest_result_free(res);
	RES_OK(milvus_rest_database_alter_sync(r, "db2", "database.force.deny.collectionDDL",
	    "true"));
	ck_assert_str_eq(bodies("v25/databases/alter"), "{\"dbName\":\"db2\",\"properties\":"
	    "{\"database.force.deny.collectionDDL\":\"true\"}}");
	RES_OK(milvus_rest_database_drop_properties_sync(r, "db2", "database.force.deny.ddl"));
	ck_assert_str_eq(bodies("v25/databases/drop_properties"), "{\"dbName\":\"db2\","
	    "\"propertyKeys\":[\"database.force.deny.ddl\"]}");
	RES_OK(milvus_rest_database_drop_sync(r, "db\"3"));
	ck_assert_str_eq(bodies("v25/databases/drop"), "{\"dbName\":\"db\\\"3\"}");
	res = milvus_rest_database_describe_sync(r, "db2");
	ck_assert_msg(res->err == MREST_OK, "%s", res->errmsg);
	ck_assert_str_eq(res->info.name, "db2");
	ck_assert(res->info.id == BIG_ID_NUM);
	ck_assert_uint_eq(res->info.n_properties, 1);
	ck_assert_str_eq(res->info.properties[0].value, "true");
	milvus_rest_result_free(res);
	ck_assert_str_eq(bodies("v25/databases/describe"), "{\"dbName\":\"db2\"}");

	/* Bad arguments: nothing sent. */
	srv_forget();
	RES_ERR(milvus_rest_alias_create_sync(r, NULL, "", "docs"), MREST_EINVAL);
	RES_ERR(milvus_rest_alias_create_sync(r, NULL, "a", NULL), MREST_EINVAL);
	RES_ERR(milvus_rest_alias_drop_sync(NULL, NULL, "a"), MREST_EINVAL);
	RES_ERR(milvus_rest_database_drop_sync(r, NULL), MREST_EINVAL);
	RES_ERR(milvus_rest_database_describe_sync(r, ""), MREST_EINVAL);
	RES_ERR(milvus_rest_database_alter_sync(r, "db2", "k", NULL), MREST_EINVAL);
	RES_ERR(milvus_rest_database_alter_sync(r, "db2", NULL, "v"), MREST_EINVAL);
	RES_ERR(milvus_rest_database_drop_properties_sync(r, "db2", ""), MREST_EINVAL);
	ck_assert_uint_eq(n_seen, 0);
	milvus_rest_free(r);

	/* An answer of another shape. */
	r = client(l, v24, NULL);
	res = milvus_rest_database_describe_sync(r, "db2");
	ck_assert_int_eq(res->err, MREST_EPROTO);
	ck_assert_ptr_nonnull(strstr(res->errmsg, "malformed databases/describe answer"));
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	/* A read moves past a refused and a not-ready proxy; a change of
	 * state is not sent again after a not-ready answer. */
	r = client(l, failover, NULL);
	srv_forget();
	res = milvus_rest_database_describe_sync(r, "db2");
	ck_assert_msg(res->err == MREST_OK, "%s", res->errmsg);
	ck_assert_ptr_nonnull(strstr(res->uri, "/v25"));
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	r = client(l, failover + 1, NULL);
	srv_forget();
	res = milvus_rest_alias_create_sync(r, "default", "g", "docs");
	ck_assert_int_eq(res->err, MREST_ESERVER);
	ck_assert_int_eq(res->code, 1);
	milvus_rest_result_free(res);
	ck_assert_str_eq(bodies("v25/aliases/create"), "");
	ck_assert_uint_eq(n_seen, 1);
	milvus_rest_free(r);
	loop_free(l);
}
END_TEST

START_TEST(test_rbac_read)
{
	static const char *const v25[] = { "v25", NULL };
	static const char *const v24[] = { "v24", NULL };
	static const char *const failover[] = { "notready", "v25", NULL };
	struct loop *l = loop_new();
	struct milvus_rest *r = client(l, v25, "db1");
	struct milvus_rbac rd;
	struct drop_right *d;
	char err[256];
	size_t n;
	int rc;

	srv_forget();
	ck_assert_int_eq(milvus_rbac_read(r, &rd, &rc, err, sizeof err), 0);
	ck_assert_int_eq(rc, MREST_OK);
	ck_assert_uint_eq(rd.n_users, 4);
	ck_assert_str_eq(rd.users[3].name, "carol");
	ck_assert_uint_eq(rd.users[3].n_roles, 2);
	ck_assert_str_eq(rd.users[3].roles[1], "ops");
	ck_assert_uint_eq(rd.users[0].n_roles, 0);
	ck_assert_uint_eq(rd.n_roles, 4);
	ck_assert_str_eq(rd.roles[2].name, "ops");
	ck_assert_uint_eq(rd.roles[2].n_grants, 1);
	ck_assert_str_eq(rd.roles[2].grants[0].privilege, "DropCollection");
	ck_assert(rd.groups_known);
	ck_assert_uint_eq(rd.n_groups, 2);
	ck_assert_str_eq(rd.groups[0].privileges[1], "DropCollection");
	/* The bodies sent: lists bare, describes by name, grants of every
	 * database (not the client's default one). */
	ck_assert_str_eq(bodies("v25/users/list"), "{}");
	ck_assert_str_eq(bodies("v25/users/describe"), "{\"userName\":\"root\"}|"
	    "{\"userName\":\"alice\"}|{\"userName\":\"bob\"}|{\"userName\":\"carol\"}");
	ck_assert_str_eq(bodies("v25/roles/describe"), "{\"dbName\":\"*\",\"roleName\":\"admin\"}|"
	    "{\"dbName\":\"*\",\"roleName\":\"public\"}|{\"dbName\":\"*\",\"roleName\":\"ops\"}|"
	    "{\"dbName\":\"*\",\"roleName\":\"reader\"}");
	ck_assert_str_eq(bodies("v25/privilege_groups/list"), "{}");
	/* Read and logic together: reader drops in db2 through the custom
	 * group only. */
	n = milvus_who_can_drop(&rd, "db2", "docs", &d);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(d[1].role, "ops");
	ck_assert_str_eq(d[2].role, "reader");
	ck_assert_str_eq(d[2].via, "group dropper");
	ck_assert_uint_eq(d[2].n_users, 1);
	ck_assert_str_eq(d[2].users[0], "carol");
	drop_rights_free(d, n);
	ck_assert_uint_eq((n = milvus_who_can_drop(&rd, "default", "docs", &d)), 2);
	drop_rights_free(d, n);
	milvus_rbac_free(&rd);
	milvus_rbac_free(&rd);

	/* The roles alone (what drop's impact needs): no user is asked. */
	srv_forget();
	ck_assert_int_eq(milvus_rbac_read_roles(r, &rd, &rc, err, sizeof err), 0);
	ck_assert_uint_eq(rd.n_users, 0);
	ck_assert_uint_eq(rd.n_roles, 4);
	ck_assert_uint_eq(rd.roles[2].n_grants, 1);
	ck_assert_str_eq(bodies("v25/users/list"), "");
	ck_assert_str_eq(bodies("v25/users/describe"), "");
	ck_assert_str_eq(bodies("v25/privilege_groups/list"), "");
	ck_assert_str_eq(bodies("v25/roles/describe"), "{\"dbName\":\"*\",\"roleName\":\"admin\"}|"
	    "{\"dbName\":\"*\",\"roleName\":\"public\"}|{\"dbName\":\"*\",\"roleName\":\"ops\"}|"
	    "{\"dbName\":\"*\",\"roleName\":\"reader\"}");
	milvus_rbac_free(&rd);
	milvus_rest_free(r);

	/* Before 2.5: no privilege groups, not an error. */
	r = client(l, v24, NULL);
	ck_assert_int_eq(milvus_rbac_read(r, &rd, &rc, err, sizeof err), 0);
	ck_assert(!rd.groups_known);
	ck_assert_uint_eq(rd.n_groups, 0);
	ck_assert_uint_eq(rd.n_users, 4);
	milvus_rbac_free(&rd);
	milvus_rest_free(r);

	/* Reads move on past a not-ready proxy. */
	r = client(l, failover, NULL);
	ck_assert_int_eq(milvus_rbac_read(r, &rd, &rc, err, sizeof err), 0);
	ck_assert(rd.groups_known);
	milvus_rbac_free(&rd);
	milvus_rest_free(r);
	loop_free(l);
}
END_TEST

/* milvus_rbac_read fails with rc and an err holding want; out is empty. */
static void
read_fails(const char *scenario, int rc_want, const char *want)
{
	const char *const scenarios[] = { scenario, NULL };
	struct loop *l = loop_new();
	struct milvus_rest *r = client(l, scenarios, NULL);
	struct milvus_rbac rd;
	char err[256];
	int rc = -7;

	ck_assert_int_eq(milvus_rbac_read(r, &rd, &rc, err, sizeof err), -1);
	ck_assert_int_eq(rc, rc_want);
	ck_assert_msg(strstr(err, want) != NULL, "%s: '%s' lacks '%s'", scenario, err, want);
	ck_assert_ptr_null(rd.users);
	ck_assert_ptr_null(rd.roles);
	ck_assert_ptr_null(rd.groups);
	ck_assert_uint_eq(rd.n_users + rd.n_roles + rd.n_groups, 0);
	milvus_rest_free(r);
	loop_free(l);
}

START_TEST(test_rbac_read_errors)
{
	struct milvus_rbac rd;

	read_fails("down", MREST_EUNREACHABLE, "users/list: cannot reach proxy");
	read_fails("deny", MREST_EAUTH, "users/describe 'root': proxy '");
	read_fails("badrole", MREST_EPROTO, "roles/describe 'admin': malformed answer from proxy");
	read_fails("many", MREST_EPROTO, "users/list: proxy '");
	read_fails("many", MREST_EPROTO, "listed 4097 names, more than the 4096 read");
	read_fails("notready", MREST_ESERVER, "users/list: service not ready");
	ck_assert_int_eq(milvus_rbac_read(NULL, &rd, NULL, NULL, 0), -1);
	ck_assert_ptr_null(rd.users);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("milvus-admin");
	TCase *parse = tcase_create("parse");
	TCase *call = tcase_create("call");

	tcase_add_test(parse, test_parse_user_roles);
	tcase_add_test(parse, test_parse_role_grants);
	tcase_add_test(parse, test_parse_privilege_groups);
	tcase_add_test(parse, test_parse_database);
	suite_add_tcase(s, parse);
	tcase_add_unchecked_fixture(call, srv_start, srv_stop);
	tcase_set_timeout(call, 30);
	tcase_add_test(call, test_calls);
	tcase_add_test(call, test_rbac_read);
	tcase_add_test(call, test_rbac_read_errors);
	suite_add_tcase(s, call);
	return s;
}
