/* SPDX-License-Identifier: MIT */
/* Unit tests for who can drop a collection (src/ops/guard/who-can-drop.c)
 * over RBAC reads built here: direct grants, All, built-in and custom
 * privilege groups (listed or not), the scope of a grant, the roles admin
 * and public. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_admin.h"
#include "milvusadm/xalloc.h"

static struct milvus_rbac rb;

static char **
split(const char *list, size_t *n)
{
	char *copy = xstrdup(list), *save = NULL, *t;
	char **v = NULL;

	*n = 0;
	for (t = strtok_r(copy, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(t);
	}
	free(copy);
	return v;
}

static void
add_user(const char *name, const char *roles)
{
	struct milvus_user *u;

	rb.users = xreallocarray(rb.users, rb.n_users + 1, sizeof *rb.users);
	u = &rb.users[rb.n_users++];
	u->name = xstrdup(name);
	u->roles = split(roles, &u->n_roles);
}

static void
add_grant(const char *role, const char *privilege, const char *db, const char *obj)
{
	struct milvus_role *ro = NULL;
	struct milvus_grant *g;
	size_t i;

	for (i = 0; i < rb.n_roles; i++) {
		if (strcmp(rb.roles[i].name, role) == 0)
			ro = &rb.roles[i];
	}
	if (ro == NULL) {
		rb.roles = xreallocarray(rb.roles, rb.n_roles + 1, sizeof *rb.roles);
		ro = &rb.roles[rb.n_roles++];
		memset(ro, 0, sizeof *ro);
		ro->name = xstrdup(role);
	}
	if (privilege == NULL)
		return;
	ro->grants = xreallocarray(ro->grants, ro->n_grants + 1, sizeof *ro->grants);
	g = &ro->grants[ro->n_grants++];
	g->privilege = xstrdup(privilege);
	g->db_name = xstrdup(db);
	g->object_name = xstrdup(obj);
	g->object_type = xstrdup("Global");
	g->grantor = xstrdup("root");
}

static void
add_group(const char *name, const char *privileges)
{
	struct milvus_privilege_group *g;

	rb.groups = xreallocarray(rb.groups, rb.n_groups + 1, sizeof *rb.groups);
	g = &rb.groups[rb.n_groups++];
	g->name = xstrdup(name);
	g->privileges = split(privileges, &g->n_privileges);
	rb.groups_known = true;
}

/* The right of role through via, or NULL. */
static const struct drop_right *
right(const struct drop_right *d, size_t n, const char *role, const char *via)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(d[i].role, role) == 0 && strcmp(d[i].via, via) == 0)
			return &d[i];
	}
	return NULL;
}

/* How many rights of role there are for db.coll. */
static size_t
rights_of(const char *db, const char *coll, const char *role)
{
	struct drop_right *d;
	size_t n = milvus_who_can_drop(&rb, db, coll, &d), i, k = 0;

	for (i = 0; i < n; i++)
		k += strcmp(d[i].role, role) == 0;
	drop_rights_free(d, n);
	return k;
}

static void
who_setup(void)
{
	memset(&rb, 0, sizeof rb);
	add_user("root", "");
	add_user("alice", "admin");
	add_user("bob", "ops");
	add_user("carol", "reader,ops");
	add_user("dave", "reader");
}

static void
who_teardown(void)
{
	milvus_rbac_free(&rb);
}

START_TEST(test_who_direct)
{
	struct drop_right *d;
	const struct drop_right *r;
	size_t n;

	add_grant("admin", NULL, NULL, NULL);
	add_grant("ops", "DropCollection", "*", "*");
	add_grant("reader", "DescribeCollection", "*", "*");
	n = milvus_who_can_drop(&rb, "default", "docs", &d);
	ck_assert_uint_eq(n, 2);
	/* admin first, built in, with its users. */
	ck_assert_str_eq(d[0].role, "admin");
	ck_assert_str_eq(d[0].via, "role admin");
	ck_assert_str_eq(d[0].db_name, "*");
	ck_assert_str_eq(d[0].object_name, "*");
	ck_assert_uint_eq(d[0].n_users, 1);
	ck_assert_str_eq(d[0].users[0], "alice");
	r = right(d, n, "ops", "DropCollection");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->db_name, "*");
	ck_assert_str_eq(r->object_name, "*");
	ck_assert_uint_eq(r->n_users, 2);
	ck_assert_str_eq(r->users[0], "bob");
	ck_assert_str_eq(r->users[1], "carol");
	drop_rights_free(d, n);
	/* The role admin holds it even unlisted, and listed grants of its
	 * own are not repeated. */
	add_grant("admin", "All", "*", "*");
	ck_assert_uint_eq(rights_of("db2", "x", "admin"), 1);
	ck_assert_uint_eq(milvus_who_can_drop(NULL, "default", "docs", &d), 0);
	ck_assert_ptr_null(d);
}
END_TEST

START_TEST(test_who_scope)
{
	struct drop_right *d;
	size_t n;

	/* Another database: not counted; its own: counted. */
	add_grant("ops", "DropCollection", "analytics", "*");
	ck_assert_uint_eq(rights_of("default", "docs", "ops"), 0);
	ck_assert_uint_eq(rights_of("analytics", "docs", "ops"), 1);
	/* "" is "default", on either side. */
	add_grant("reader", "DropCollection", "", "*");
	ck_assert_uint_eq(rights_of("default", "docs", "reader"), 1);
	ck_assert_uint_eq(rights_of(NULL, "docs", "reader"), 1);
	ck_assert_uint_eq(rights_of("", "docs", "reader"), 1);
	ck_assert_uint_eq(rights_of("db2", "docs", "reader"), 0);
	n = milvus_who_can_drop(&rb, "default", "docs", &d);
	ck_assert_str_eq(right(d, n, "reader", "DropCollection")->db_name, "default");
	drop_rights_free(d, n);
	/* A grant on another collection is not counted; on this one it is. */
	add_grant("auditor", "DropCollection", "db2", "logs");
	ck_assert_uint_eq(rights_of("db2", "docs", "auditor"), 0);
	ck_assert_uint_eq(rights_of("db2", "logs", "auditor"), 1);
	ck_assert_uint_eq(rights_of("db3", "logs", "auditor"), 0);
	/* Privileges that do not drop. */
	add_grant("viewer", "DescribeCollection", "*", "*");
	add_grant("viewer", "ClusterAdmin", "*", "*");
	add_grant("viewer", "CollectionAdmin", "*", "*");
	add_grant("viewer", "DropDatabase", "*", "*");
	ck_assert_uint_eq(rights_of("default", "docs", "viewer"), 0);
}
END_TEST

START_TEST(test_who_all_and_groups)
{
	struct drop_right *d;
	const struct drop_right *r;
	size_t n;

	add_grant("ops", "All", "*", "*");
	add_grant("legacy", "Admin", "default", "*");
	add_grant("dba", "DatabaseAdmin", "*", "*");
	add_grant("meta", "PrivilegeDropCollection", "*", "*");
	add_grant("custom", "dropper", "*", "*");
	n = milvus_who_can_drop(&rb, "default", "docs", &d);
	ck_assert_ptr_nonnull(right(d, n, "ops", "All"));
	/* No groups listed (2.4): the built-in ones from the contract. */
	ck_assert_ptr_nonnull(right(d, n, "legacy", "group Admin"));
	ck_assert_ptr_nonnull(right(d, n, "dba", "group DatabaseAdmin"));
	ck_assert_ptr_nonnull(right(d, n, "meta", "PrivilegeDropCollection"));
	/* A custom group the server did not list is not known to hold it. */
	ck_assert_ptr_null(right(d, n, "custom", "group dropper"));
	ck_assert_uint_eq(n, 5);
	drop_rights_free(d, n);

	/* Listed groups are taken as listed; the legacy Admin (never listed)
	 * still from the contract. */
	add_group("dropper", "Query,DropCollection");
	add_group("DatabaseAdmin", "ShowCollections,DescribeDatabase,AlterDatabase,"
	    "CreateCollection,DropCollection");
	add_group("ClusterAdmin", "ListDatabases,DropDatabase,CreateDatabase");
	add_grant("cluster", "ClusterAdmin", "*", "*");
	add_grant("reader", "readers", "*", "*");
	add_group("readers", "Query,Search");
	n = milvus_who_can_drop(&rb, "default", "docs", &d);
	r = right(d, n, "custom", "group dropper");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n_users, 0);
	ck_assert_ptr_nonnull(right(d, n, "dba", "group DatabaseAdmin"));
	ck_assert_ptr_nonnull(right(d, n, "legacy", "group Admin"));
	ck_assert_ptr_null(right(d, n, "cluster", "group ClusterAdmin"));
	ck_assert_ptr_null(right(d, n, "reader", "group readers"));
	ck_assert_uint_eq(n, 6);
	drop_rights_free(d, n);
}
END_TEST

START_TEST(test_who_nested_and_public)
{
	struct drop_right *d;
	const struct drop_right *r;
	size_t n;

	/* A group naming a group that holds it; a loop ends. */
	add_group("outer", "Query,inner");
	add_group("inner", "DropCollection");
	add_group("loop1", "loop2");
	add_group("loop2", "loop1");
	add_grant("ops", "outer", "*", "*");
	add_grant("reader", "loop1", "*", "*");
	ck_assert_uint_eq(rights_of("default", "docs", "ops"), 1);
	ck_assert_uint_eq(rights_of("default", "docs", "reader"), 0);
	/* Every user has the role public. */
	add_grant("public", "DropCollection", "default", "docs");
	n = milvus_who_can_drop(&rb, "default", "docs", &d);
	r = right(d, n, "public", "DropCollection");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n_users, 5);
	ck_assert_str_eq(r->users[0], "root");
	ck_assert_str_eq(r->users[4], "dave");
	drop_rights_free(d, n);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("who-can-drop");
	TCase *tc = tcase_create("who-can-drop");

	tcase_add_checked_fixture(tc, who_setup, who_teardown);
	tcase_add_test(tc, test_who_direct);
	tcase_add_test(tc, test_who_scope);
	tcase_add_test(tc, test_who_all_and_groups);
	tcase_add_test(tc, test_who_nested_and_public);
	suite_add_tcase(s, tc);
	return s;
}
