/* SPDX-License-Identifier: MIT */
/* Unit tests for the lab proxies' database properties (the force-deny keys
 * per version and QuotaCenter's delay), the alias drop guard's answer, and
 * RBAC (contract §5.3, §5.5, §6): the privilege and group tables, users,
 * roles, grants v1 and v2, privilege groups, and a drop deleting the
 * collection's grants on 2.6 only. Requests run against an in-memory key
 * space that applies the operations like an etcd txn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "milvusadm/xalloc.h"
#include "../../src/lab/labd.h"
#include "../../src/lab/labd-rbac.h"
#include "../../src/lab/labd-rest.h"
#include "labd-kv.h"

static const struct labd_version *ver;
static int64_t now = 1000000;

static bool
overlaps(const struct lstore_op *a, const struct lstore_op *b)
{
	if (a->prefix && strncmp(b->key, a->key, strlen(a->key)) == 0)
		return true;
	if (b->prefix && strncmp(a->key, b->key, strlen(b->key)) == 0)
		return true;
	return strcmp(a->key, b->key) == 0;
}

/* Apply ops like an etcd txn: all compares hold, or nothing happens; a txn
 * that writes one key twice is refused, as etcd refuses it. */
static bool
commit(const struct lstore_ops *o)
{
	size_t i, j;
	int k;

	for (i = 0; i < o->n; i++) {
		for (j = i + 1; j < o->n; j++) {
			bool wi = o->v[i].kind == LSTORE_PUT || o->v[i].kind == LSTORE_DEL;
			bool wj = o->v[j].kind == LSTORE_PUT || o->v[j].kind == LSTORE_DEL;

			if (wi && wj && overlaps(&o->v[i], &o->v[j]))
				ck_abort_msg("duplicate key given in txn request: %s", o->v[j].key);
		}
	}
	for (i = 0; i < o->n; i++) {
		const struct lstore_op *op = &o->v[i];

		k = kv_find(op->key);
		if ((op->kind == LSTORE_CMP_ABSENT && k >= 0) ||
		    (op->kind == LSTORE_CMP_MOD && (k < 0 ? 0 : kv.mod[k]) != op->n) ||
		    (op->kind == LSTORE_CMP_GID && (k < 0 ? 0 : atoll(kv.val[k])) != op->n))
			return false;
	}
	for (i = 0; i < o->n; i++) {
		if (o->v[i].kind == LSTORE_PUT)
			kv_put(o->v[i].key, o->v[i].val);
		else if (o->v[i].kind == LSTORE_DEL)
			kv_del(o->v[i].key, o->v[i].prefix);
	}
	return true;
}

static int
cmp_kv(const void *a, const void *b)
{
	return strcmp(kv.key[*(const size_t *)a], kv.key[*(const size_t *)b]);
}

/* The key space read as etcd ranges it: in key order. */
static struct lstore *
snapshot(void)
{
	struct lstore *s = lstore_new("by-dev");
	size_t i, ord[MAX_KV];

	for (i = 0; i < kv.n; i++)
		ord[i] = i;
	qsort(ord, kv.n, sizeof *ord, cmp_kv);
	for (i = 0; i < kv.n; i++)
		lstore_add_kv(s, kv.key[ord[i]], strlen(kv.key[ord[i]]), kv.val[ord[i]],
		    strlen(kv.val[ord[i]]), kv.mod[ord[i]]);
	lstore_sort(s);
	s->rev = kv.rev;
	return s;
}

/* One REST v2 call; returns the body (caller frees) after committing. */
static char *
call(const char *path, const char *body)
{
	struct lstore *s = snapshot();
	struct lrest_req rq;
	struct lrest_out out;
	char *r;

	memset(&rq, 0, sizeof rq);
	memset(&out, 0, sizeof out);
	rq.path = path;
	rq.body = body;
	rq.len = body != NULL ? strlen(body) : 0;
	rq.v = ver;
	rq.now_ms = now;
	lrest_handle(s, &rq, &out);
	ck_assert(out.ops.n == 0 || commit(&out.ops));
	r = out.status == 200 ? xstrdup(out.body.data) : xasprintf("%u %s", out.status,
	    out.body.data);
	lrest_out_release(&out);
	lstore_free(s);
	return r;
}

#define CALL_EQ(path, body, want) do {				\
	char *g_ = call(path, body);				\
	if (strcmp(g_, want) != 0)				\
		ck_abort_msg("%s %s:\n got '%s'\nwant '%s'", path, body, g_, want);	\
	free(g_);						\
} while (0)

#define CALL_HAS(path, body, want) do {				\
	char *g_ = call(path, body);				\
	if (strstr(g_, want) == NULL)				\
		ck_abort_msg("%s: '%s' lacks '%s'", path, g_, want);	\
	free(g_);						\
} while (0)

#define CALL_LACKS(path, body, want) do {			\
	char *g_ = call(path, body);				\
	if (strstr(g_, want) != NULL)				\
		ck_abort_msg("%s: '%s' has '%s'", path, g_, want);	\
	free(g_);						\
} while (0)

#define OK		"{\"code\":0,\"data\":{}}"
#define DENIED		"{\"code\":1807,\"message\":\"request is rejected by limiter, error: " \
	"quota exceeded[reason=access has been disabled by the administrator]\"}"
#define CRED		"by-dev/meta/root-coord/credential/"

static void
add_querynode(int64_t id)
{
	char key[64], val[256];

	snprintf(key, sizeof key, "by-dev/meta/session/querynode-%lld", (long long)id);
	snprintf(val, sizeof val, "{\"ServerID\":%lld,\"ServerName\":\"querynode\","
	    "\"Address\":\"127.0.0.%lld:21123\"}", (long long)id, (long long)id);
	kv_put(key, val);
}

static void
setup(void)
{
	ver = labd_version_find("2.5");
	kv_reset();
	now = 1000000;
	add_querynode(4);
}

static void
teardown(void)
{
	kv_del("", true);
}

/* ---- the tables ---- */

START_TEST(test_tables)
{
	const struct labd_version *v24 = labd_version_find("2.4");
	const struct labd_version *v25 = labd_version_find("2.5");
	static const char *const without[] = { "ClusterAdmin", "ClusterReadWrite",
		"ClusterReadOnly", "CollectionAdmin", "CollectionReadWrite", "CollectionReadOnly",
		"DatabaseReadOnly", "DatabaseReadWrite", "ReadOnly", "ReadWrite", "Query", NULL };
	size_t i;
	char *m;

	/* DropCollection: Global, database level, in DatabaseAdmin, All, Admin. */
	ck_assert_str_eq(lrbac_object_type(v25, "DropCollection"), "Global");
	ck_assert(lrbac_on_type(v25, "DropCollection", "Global"));
	ck_assert(!lrbac_on_type(v25, "DropCollection", "Collection"));
	ck_assert_int_eq(lrbac_level("DropCollection"), LRBAC_DATABASE);
	ck_assert(lrbac_includes(v25, NULL, "DatabaseAdmin", "DropCollection"));
	ck_assert(lrbac_includes(v25, NULL, "All", "DropCollection"));
	ck_assert(lrbac_includes(v25, NULL, "Admin", "DropCollection"));
	ck_assert(lrbac_includes(v25, NULL, "DropCollection", "DropCollection"));
	for (i = 0; without[i] != NULL; i++) {
		if (lrbac_includes(v25, NULL, without[i], "DropCollection"))
			ck_abort_msg("%s must not include DropCollection", without[i]);
	}
	/* Collection-level privileges and groups. */
	ck_assert_str_eq(lrbac_object_type(v25, "Query"), "Collection");
	ck_assert_str_eq(lrbac_object_type(v25, "CollectionAdmin"), "Global");
	ck_assert_int_eq(lrbac_level("Query"), LRBAC_COLLECTION);
	ck_assert_int_eq(lrbac_level("ListDatabases"), LRBAC_CLUSTER);
	ck_assert_int_eq(lrbac_level("ShowCollections"), LRBAC_DATABASE);
	ck_assert(lrbac_includes(v25, NULL, "CollectionAdmin", "DropAlias"));
	/* The built-in groups are 2.5+; the legacy ones and All are older. */
	ck_assert(lrbac_builtin_group(v25, "DatabaseAdmin", false));
	ck_assert(!lrbac_builtin_group(v25, "Admin", false));
	ck_assert(lrbac_builtin_group(v25, "Admin", true));
	ck_assert(!lrbac_defined(v24, "DatabaseAdmin"));
	ck_assert(!lrbac_includes(v24, NULL, "DatabaseAdmin", "DropCollection"));
	ck_assert(lrbac_defined(v24, "Admin"));
	ck_assert(lrbac_defined(v24, "DropCollection"));
	ck_assert(!lrbac_defined(v24, "CreatePrivilegeGroup"));
	/* Stored names and back. */
	m = lrbac_meta_name(v25, "DropCollection", false);
	ck_assert_str_eq(m, "PrivilegeDropCollection");
	free(m);
	m = lrbac_meta_name(v25, "DatabaseAdmin", false);
	ck_assert_str_eq(m, "PrivilegeGroupDatabaseAdmin");
	free(m);
	m = lrbac_meta_name(v25, "mine", true);
	ck_assert_str_eq(m, "PrivilegeGroupmine");
	free(m);
	ck_assert_ptr_null(lrbac_meta_name(v25, "Nope", false));
	ck_assert_str_eq(lrbac_api_name("PrivilegeGroupDatabaseAdmin"), "DatabaseAdmin");
	ck_assert_str_eq(lrbac_api_name("PrivilegeIndexDetail"), "IndexDetail");
	ck_assert_str_eq(lrbac_api_name("*"), "*");
	/* strconv.ParseBool. */
	ck_assert_int_eq(lrbac_parse_bool("true"), 1);
	ck_assert_int_eq(lrbac_parse_bool("True"), 1);
	ck_assert_int_eq(lrbac_parse_bool("1"), 1);
	ck_assert_int_eq(lrbac_parse_bool("false"), 0);
	ck_assert_int_eq(lrbac_parse_bool("yes"), -1);
	ck_assert_int_eq(lrbac_parse_bool(NULL), -1);
	/* The version table: enforcement from 2.5 (2.5.27) on, grants deleted
	 * with their collection on 2.6 only. */
	ck_assert(!v24->force_deny_ddl && v25->force_deny_ddl &&
	    labd_version_find("2.6")->force_deny_ddl);
	ck_assert(!v25->drop_deletes_grants && labd_version_find("2.6")->drop_deletes_grants);
}
END_TEST

/* ---- database properties and force-deny ---- */

START_TEST(test_db_properties)
{
	CALL_EQ("databases/create", "{\"dbName\":\"d1\"}", OK);
	CALL_EQ("databases/describe", "{\"dbName\":\"d1\"}",
	    "{\"code\":0,\"data\":{\"dbID\":450000000000000001,\"dbName\":\"d1\",\"properties\":[]}}");
	CALL_EQ("databases/alter", "{\"dbName\":\"d1\",\"properties\":{\"database.max.collections\":"
	    "10,\"database.force.deny.collectionDDL\":true}}", OK);
	CALL_EQ("databases/describe", "{\"dbName\":\"d1\"}", "{\"code\":0,\"data\":{\"dbID\":"
	    "450000000000000001,\"dbName\":\"d1\",\"properties\":[{\"key\":"
	    "\"database.max.collections\",\"value\":\"10\"},{\"key\":"
	    "\"database.force.deny.collectionDDL\",\"value\":\"true\"}]}}");
	/* A key given again changes in place; alter_properties is the same call. */
	CALL_EQ("databases/alter_properties", "{\"dbName\":\"d1\",\"properties\":{"
	    "\"database.max.collections\":\"20\",\"x\":\"y\"}}", OK);
	CALL_HAS("databases/describe", "{\"dbName\":\"d1\"}", "\"properties\":[{\"key\":"
	    "\"database.max.collections\",\"value\":\"20\"},{\"key\":"
	    "\"database.force.deny.collectionDDL\",\"value\":\"true\"},{\"key\":\"x\",\"value\":"
	    "\"y\"}]");
	CALL_EQ("databases/drop_properties", "{\"dbName\":\"d1\",\"propertyKeys\":[\"x\","
	    "\"database.max.collections\"]}", OK);
	CALL_HAS("databases/describe", "{\"dbName\":\"d1\"}", "\"properties\":[{\"key\":"
	    "\"database.force.deny.collectionDDL\",\"value\":\"true\"}]");
	CALL_EQ("databases/alter", "{\"dbName\":\"d1\"}", "{\"code\":65535,\"message\":\"alter "
	    "database with empty properties and delete keys, expected to set either properties or "
	    "delete keys\"}");
	CALL_EQ("databases/alter", "{\"dbName\":\"nope\",\"properties\":{\"a\":1}}",
	    "{\"code\":800,\"message\":\"database not found[database=nope]\"}");
	CALL_HAS("databases/alter", "{}", "'DatabaseReqWithProperties.DbName'");
	/* The default database takes properties too (its key is written). */
	CALL_EQ("databases/alter", "{\"dbName\":\"default\",\"properties\":{\"k\":\"v\"}}", OK);
	CALL_HAS("databases/describe", "{\"dbName\":\"default\"}",
	    "\"properties\":[{\"key\":\"k\",\"value\":\"v\"}]");
	/* 2.4.13 has no databases/ routes at all. */
	ver = labd_version_find("2.4");
	CALL_EQ("databases/alter", "{\"dbName\":\"d1\",\"properties\":{\"a\":1}}",
	    "404 404 page not found");
}
END_TEST

/* Force-deny on a version that has it: refused QuotaCenter's interval after
 * the alter, in that database only, allowed again as long after unsetting. */
static void
force_deny(const char *version, const char *key, const char *yes)
{
	char body[256];

	setup();
	ver = labd_version_find(version);
	CALL_EQ("databases/create", "{\"dbName\":\"d1\"}", OK);
	CALL_EQ("collections/create", "{\"dbName\":\"d1\",\"collectionName\":\"c1\","
	    "\"dimension\":4}", OK);
	CALL_EQ("collections/create", "{\"dbName\":\"d1\",\"collectionName\":\"c2\","
	    "\"dimension\":4}", OK);
	CALL_EQ("collections/create", "{\"collectionName\":\"c9\",\"dimension\":4}", OK);
	CALL_EQ("aliases/create", "{\"dbName\":\"d1\",\"collectionName\":\"c2\","
	    "\"aliasName\":\"a2\"}", OK);
	snprintf(body, sizeof body, "{\"dbName\":\"d1\",\"properties\":{\"%s\":%s}}", key, yes);
	CALL_EQ("databases/alter", body, OK);
	/* Not yet: the proxies' limiters learn it at QuotaCenter's next pass. */
	now += LSTORE_QUOTA_MS - 1;
	CALL_EQ("collections/release", "{\"dbName\":\"d1\",\"collectionName\":\"c1\"}", OK);
	now += 1;
	CALL_EQ("collections/drop", "{\"dbName\":\"d1\",\"collectionName\":\"c1\"}", DENIED);
	CALL_EQ("collections/drop", "{\"dbName\":\"d1\",\"collectionName\":\"a2\"}", DENIED);
	CALL_EQ("collections/create", "{\"dbName\":\"d1\",\"collectionName\":\"c3\","
	    "\"dimension\":4}", DENIED);
	CALL_EQ("collections/load", "{\"dbName\":\"d1\",\"collectionName\":\"c1\"}", DENIED);
	CALL_EQ("collections/release", "{\"dbName\":\"d1\",\"collectionName\":\"c2\"}", DENIED);
	CALL_EQ("collections/has", "{\"dbName\":\"d1\",\"collectionName\":\"c1\"}",
	    "{\"code\":0,\"data\":{\"has\":true}}");
	/* A name that is no collection skips the limiter: rootcoord's no-op drop. */
	CALL_EQ("collections/drop", "{\"dbName\":\"d1\",\"collectionName\":\"nope\"}", OK);
	CALL_EQ("collections/load", "{\"dbName\":\"d1\",\"collectionName\":\"nope\"}",
	    "{\"code\":100,\"message\":\"collection not found[collection=nope]\"}");
	/* Another database is not concerned. */
	CALL_EQ("collections/release", "{\"collectionName\":\"c9\"}", OK);
	CALL_EQ("collections/drop", "{\"collectionName\":\"c9\"}", OK);
	/* Unset (alter to false): allowed again an interval later. */
	snprintf(body, sizeof body, "{\"dbName\":\"d1\",\"properties\":{\"%s\":false}}", key);
	CALL_EQ("databases/alter", body, OK);
	now += LSTORE_QUOTA_MS - 1;
	CALL_EQ("collections/drop", "{\"dbName\":\"d1\",\"collectionName\":\"c1\"}", DENIED);
	now += 1;
	CALL_EQ("collections/drop", "{\"dbName\":\"d1\",\"collectionName\":\"c1\"}", OK);
	CALL_EQ("collections/list", "{\"dbName\":\"d1\"}", "{\"code\":0,\"data\":[\"c2\"]}");
	teardown();
}

START_TEST(test_force_deny)
{
	force_deny("2.5", "database.force.deny.collectionDDL", "true");
	force_deny("2.6", "database.force.deny.collectionDDL", "\"True\"");
	force_deny("2.5", "database.force.deny.ddl", "\"1\"");
	force_deny("2.6", "database.force.deny.ddl", "true");
}
END_TEST

START_TEST(test_force_deny_created_and_other_keys)
{
	/* Properties given at creation count from then on. */
	CALL_EQ("databases/create", "{\"dbName\":\"d2\",\"properties\":{"
	    "\"database.force.deny.collectionDDL\":\"true\"}}", OK);
	CALL_EQ("collections/create", "{\"dbName\":\"d2\",\"collectionName\":\"c\","
	    "\"dimension\":4}", OK);
	now += LSTORE_QUOTA_MS;
	CALL_EQ("collections/drop", "{\"dbName\":\"d2\",\"collectionName\":\"c\"}", DENIED);
	/* Keys that are not the collection-DDL ones: stored, nothing refused. */
	CALL_EQ("databases/create", "{\"dbName\":\"d3\",\"properties\":{"
	    "\"database.force.deny.writing\":true,\"database.force.deny.index\":true,"
	    "\"database.force.deny.collectionDDL\":\"maybe\"}}", OK);
	CALL_EQ("collections/create", "{\"dbName\":\"d3\",\"collectionName\":\"c\","
	    "\"dimension\":4}", OK);
	now += LSTORE_QUOTA_MS;
	CALL_EQ("collections/drop", "{\"dbName\":\"d3\",\"collectionName\":\"c\"}", OK);
}
END_TEST

START_TEST(test_force_deny_24_stored_only)
{
	/* 2.4.13 predates the keys (2.4.24+): a database that has them (written
	 * as rootcoord keeps it) refuses nothing. */
	ver = labd_version_find("2.4");
	kv_put("by-dev/meta/root-coord/database/db-info/7", "{\"id\":\"7\",\"name\":\"old\","
	    "\"created\":\"1\",\"properties\":[{\"key\":\"database.force.deny.ddl\","
	    "\"value\":\"true\"},{\"key\":\"database.force.deny.collectionDDL\","
	    "\"value\":\"true\"}]}");
	CALL_EQ("collections/create", "{\"dbName\":\"old\",\"collectionName\":\"c\","
	    "\"dimension\":4}", OK);
	now += 10 * LSTORE_QUOTA_MS;
	CALL_EQ("collections/release", "{\"dbName\":\"old\",\"collectionName\":\"c\"}", OK);
	CALL_EQ("collections/drop", "{\"dbName\":\"old\",\"collectionName\":\"c\"}", OK);
	/* The same key space on 2.5 refuses at once (no alter pending). */
	ver = labd_version_find("2.5");
	CALL_EQ("collections/create", "{\"dbName\":\"old\",\"collectionName\":\"c\","
	    "\"dimension\":4}", DENIED);
}
END_TEST

/* ---- the alias guard ---- */

START_TEST(test_alias_guard)
{
	static const char *const versions[] = { "2.5", "2.6" };
	size_t i;

	for (i = 0; i < 2; i++) {
		setup();
		ver = labd_version_find(versions[i]);
		CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}", OK);
		CALL_EQ("aliases/create", "{\"collectionName\":\"docs\",\"aliasName\":\"a1\"}", OK);
		CALL_EQ("aliases/create", "{\"collectionName\":\"docs\",\"aliasName\":\"a2\"}", OK);
		/* A plain error: 65535 on 2.5 and 2.6 alike (§6.0); Go's %v of a []string. */
		CALL_EQ("collections/drop", "{\"collectionName\":\"docs\"}", "{\"code\":65535,"
		    "\"message\":\"unable to drop the collection [docs] because it has associated "
		    "aliases [a1 a2], please remove all aliases before dropping the collection\"}");
		CALL_EQ("collections/drop", "{\"collectionName\":\"a1\"}", "{\"code\":65535,"
		    "\"message\":\"cannot drop the collection via alias = a1\"}");
		CALL_EQ("aliases/drop", "{\"aliasName\":\"a1\"}", OK);
		CALL_EQ("aliases/drop", "{\"aliasName\":\"a2\"}", OK);
		CALL_EQ("collections/drop", "{\"collectionName\":\"docs\"}", OK);
		teardown();
	}
	/* 2.4.13 has no guard: the drop takes the aliases with it. */
	setup();
	ver = labd_version_find("2.4");
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}", OK);
	CALL_EQ("aliases/create", "{\"collectionName\":\"docs\",\"aliasName\":\"a1\"}", OK);
	CALL_EQ("collections/drop", "{\"collectionName\":\"docs\"}", OK);
	CALL_EQ("aliases/list", "{}", "{\"code\":0,\"data\":[]}");
}
END_TEST

/* ---- RBAC ---- */

#define PUBLIC_GRANTS \
	"{\"dbName\":\"*\",\"grantor\":\"root\",\"objectName\":\"*\",\"objectType\":" \
	"\"Collection\",\"privilege\":\"IndexDetail\"},{\"dbName\":\"*\",\"grantor\":\"root\"," \
	"\"objectName\":\"*\",\"objectType\":\"Global\",\"privilege\":\"DescribeCollection\"}," \
	"{\"dbName\":\"*\",\"grantor\":\"root\",\"objectName\":\"*\",\"objectType\":\"Global\"," \
	"\"privilege\":\"ShowCollections\"}"

START_TEST(test_rbac_builtins)
{
	struct lstore *s;
	struct lstore_ops ops;

	/* Shown before rootcoord stored them, stored by the first change. */
	CALL_EQ("users/list", "{}", "{\"code\":0,\"data\":[\"root\"]}");
	CALL_EQ("roles/list", "{}", "{\"code\":0,\"data\":[\"admin\",\"public\"]}");
	CALL_EQ("roles/describe", "{\"roleName\":\"public\"}", "{\"code\":0,\"data\":["
	    PUBLIC_GRANTS "]}");
	CALL_EQ("roles/describe", "{\"roleName\":\"admin\"}", "{\"code\":0,\"data\":[]}");
	ck_assert_uint_eq(kv_count(CRED), 0);
	CALL_EQ("roles/create", "{\"roleName\":\"r1\"}", OK);
	ck_assert_int_ge(kv_find(CRED "roles/public"), 0);
	ck_assert_int_ge(kv_find(CRED "roles/admin"), 0);
	ck_assert_int_ge(kv_find(CRED "users/root"), 0);
	ck_assert_uint_eq(kv_count(CRED "grantee-id/"), 3);
	CALL_EQ("roles/list", "{}", "{\"code\":0,\"data\":[\"admin\",\"public\",\"r1\"]}");
	CALL_EQ("roles/describe", "{\"roleName\":\"public\"}", "{\"code\":0,\"data\":["
	    PUBLIC_GRANTS "]}");
	/* rootcoord's own write at start: once only (its compare fails after). */
	s = snapshot();
	ck_assert(s->rbac_init);
	memset(&ops, 0, sizeof ops);
	lstore_rbac_init_ops(s, &ops);
	ck_assert_uint_eq(ops.n, 0);
	lstore_ops_release(&ops);
	lstore_free(s);
	teardown();
	setup();
	s = snapshot();
	memset(&ops, 0, sizeof ops);
	lstore_rbac_init_ops(s, &ops);
	ck_assert(commit(&ops));
	ck_assert(!commit(&ops));
	lstore_ops_release(&ops);
	lstore_free(s);
	CALL_EQ("roles/describe", "{\"roleName\":\"public\"}", "{\"code\":0,\"data\":["
	    PUBLIC_GRANTS "]}");
	/* Revoking one of public's defaults before they were stored: one txn. */
	teardown();
	setup();
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"public\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"ShowCollections\",\"dbName\":\"*\"}", OK);
	CALL_LACKS("roles/describe", "{\"roleName\":\"public\"}", "ShowCollections");
	CALL_HAS("roles/describe", "{\"roleName\":\"public\"}", "DescribeCollection");
}
END_TEST

START_TEST(test_rbac_users)
{
	CALL_EQ("users/create", "{\"userName\":\"alice\",\"password\":\"secret1\"}", OK);
	CALL_EQ("users/create", "{\"userName\":\"alice\",\"password\":\"secret1\"}",
	    "{\"code\":65535,\"message\":\"user already exists: alice\"}");
	CALL_HAS("users/create", "{\"userName\":\"bob\",\"password\":\"short\"}",
	    "\"code\":1100,\"message\":\"invalid password length");
	CALL_HAS("users/create", "{\"userName\":\"1bob\",\"password\":\"secret1\"}",
	    "the first character must be a letter");
	CALL_HAS("users/create", "{\"userName\":\"bob\"}", "'PasswordReq.Password'");
	CALL_EQ("users/list", "{}", "{\"code\":0,\"data\":[\"alice\",\"root\"]}");
	/* The password is not stored in the clear. */
	ck_assert_ptr_null(strstr(kv.val[kv_find(CRED "users/alice")], "secret1"));
	CALL_EQ("roles/create", "{\"roleName\":\"ops\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"dev\"}", OK);
	CALL_EQ("users/grant_role", "{\"userName\":\"alice\",\"roleName\":\"ops\"}", OK);
	CALL_EQ("users/grant_role", "{\"userName\":\"alice\",\"roleName\":\"ops\"}", OK);
	CALL_EQ("users/grant_role", "{\"userName\":\"alice\",\"roleName\":\"dev\"}", OK);
	CALL_EQ("users/grant_role", "{\"userName\":\"alice\",\"roleName\":\"nope\"}",
	    "{\"code\":65535,\"message\":\"not found the role, maybe the role isn't existed or "
	    "internal system error\"}");
	CALL_EQ("users/grant_role", "{\"userName\":\"carol\",\"roleName\":\"ops\"}",
	    "{\"code\":65535,\"message\":\"not found the user, maybe the user isn't existed or "
	    "internal system error\"}");
	CALL_EQ("users/describe", "{\"userName\":\"alice\"}",
	    "{\"code\":0,\"data\":[\"dev\",\"ops\"]}");
	CALL_EQ("users/describe", "{\"userName\":\"carol\"}", "{\"code\":0,\"data\":[]}");
	CALL_EQ("users/revoke_role", "{\"userName\":\"alice\",\"roleName\":\"dev\"}", OK);
	CALL_EQ("users/describe", "{\"userName\":\"alice\"}", "{\"code\":0,\"data\":[\"ops\"]}");
	CALL_EQ("users/update_password", "{\"userName\":\"alice\",\"password\":\"wrong12\","
	    "\"newPassword\":\"secret2\"}", "{\"code\":1400,\"message\":\"old password not "
	    "correct for alice: privilege not authenticated\"}");
	CALL_EQ("users/update_password", "{\"userName\":\"alice\",\"password\":\"secret1\","
	    "\"newPassword\":\"secret2\"}", OK);
	CALL_EQ("users/update_password", "{\"userName\":\"root\",\"password\":\"Milvus\","
	    "\"newPassword\":\"Milvus2\"}", OK);
	CALL_EQ("users/update_password", "{\"userName\":\"root\",\"password\":\"Milvus\","
	    "\"newPassword\":\"Milvus3\"}", "{\"code\":1400,\"message\":\"old password not "
	    "correct for root: privilege not authenticated\"}");
	CALL_EQ("users/drop", "{\"userName\":\"root\"}", "{\"code\":1401,\"message\":\"root user "
	    "cannot be deleted: privilege not permitted\"}");
	/* Dropping a user drops its mappings; a role drops its users' mappings. */
	CALL_EQ("users/drop", "{\"userName\":\"alice\"}", OK);
	CALL_EQ("users/drop", "{\"userName\":\"alice\"}", OK);
	ck_assert_uint_eq(kv_count(CRED "user-role-mapping/"), 0);
	CALL_EQ("users/list", "{}", "{\"code\":0,\"data\":[\"root\"]}");
	CALL_EQ("roles/drop", "{\"roleName\":\"dev\"}", OK);
	CALL_EQ("roles/drop", "{\"roleName\":\"dev\"}", "{\"code\":65535,\"message\":\"not found "
	    "the role, maybe the role isn't existed or internal system error\"}");
	CALL_EQ("roles/drop", "{\"roleName\":\"admin\"}", "{\"code\":1401,\"message\":\"the "
	    "role[admin] is a default role, which can't be dropped: privilege not permitted\"}");
	CALL_HAS("roles/create", "{\"roleName\":\"a-b\"}", "\"code\":1100");
	CALL_EQ("roles/create", "{\"roleName\":\"ops\"}",
	    "{\"code\":65535,\"message\":\"role [ops] already exists\"}");
	/* proxy.maxRoleNum is 10, admin and public included. */
	CALL_EQ("roles/create", "{\"roleName\":\"r3\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r4\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r5\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r6\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r7\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r8\"}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r9\"}", OK);
	CALL_HAS("roles/create", "{\"roleName\":\"r10\"}", "reached the limit");
}
END_TEST

#define G(db, obj, type, priv) "{\"dbName\":\"" db "\",\"grantor\":\"root\",\"objectName\":\"" \
	obj "\",\"objectType\":\"" type "\",\"privilege\":\"" priv "\"}"

START_TEST(test_rbac_grants_v1)
{
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"ops\"}", OK);
	CALL_EQ("roles/describe", "{\"roleName\":\"ops\"}", "{\"code\":0,\"data\":[]}");
	/* A Global privilege is granted on every object: its name becomes "*". */
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"docs\",\"privilege\":\"DropCollection\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"docs\",\"privilege\":\"Load\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"docs\",\"privilege\":\"Load\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"*\",\"privilege\":\"Query\",\"dbName\":\"analytics\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"x\",\"privilege\":\"All\",\"dbName\":\"*\"}", OK);
	/* describe shows the grants of dbName (default), and of "*". */
	CALL_EQ("roles/describe", "{\"roleName\":\"ops\"}", "{\"code\":0,\"data\":["
	    G("default", "docs", "Collection", "Load") ","
	    G("*", "*", "Global", "All") ","
	    G("default", "*", "Global", "DropCollection") "]}");
	CALL_EQ("roles/describe", "{\"roleName\":\"ops\",\"dbName\":\"analytics\"}",
	    "{\"code\":0,\"data\":[" G("analytics", "*", "Collection", "Query") ","
	    G("*", "*", "Global", "All") "]}");
	CALL_HAS("roles/describe", "{\"roleName\":\"ops\",\"dbName\":\"*\"}",
	    G("analytics", "*", "Collection", "Query"));
	CALL_EQ("roles/describe", "{\"roleName\":\"nope\"}", "{\"code\":65535,\"message\":\"not "
	    "found the role, maybe the role isn't existed or internal system error\"}");
	/* The checks. */
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"docs\",\"privilege\":\"DropCollection\"}", "{\"code\":65535,"
	    "\"message\":\"not found the privilege name[DropCollection] in object[Collection]\"}");
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Table\","
	    "\"objectName\":\"docs\",\"privilege\":\"Load\"}", "{\"code\":65535,\"message\":"
	    "\"the object entity in the request is nil or invalid\"}");
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"DatabaseAdmin\"}", "{\"code\":65535,"
	    "\"message\":\"can not operate the built-in privilege group [DatabaseAdmin]\"}");
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"nope\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"DropCollection\"}", "{\"code\":65535,"
	    "\"message\":\"not found the role, maybe the role isn't existed or internal system "
	    "error\"}");
	CALL_HAS("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"privilege\":\"DropCollection\"}", "'GrantReq.ObjectName'");
	/* Names go into etcd keys: the proxy's name rules keep them plain. */
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"a/b\",\"privilege\":\"Load\"}", "{\"code\":1100,\"message\":"
	    "\"object name can only contain numbers, letters and underscores: invalid parameter\"}");
	CALL_HAS("roles/grant_privilege_v2", "{\"roleName\":\"ops\",\"privilege\":\"Load\","
	    "\"dbName\":\"x/y\",\"collectionName\":\"docs\"}", "\"code\":1100");
	/* The legacy Admin group keeps its object name. */
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"docs\",\"privilege\":\"Admin\"}", OK);
	CALL_HAS("roles/describe", "{\"roleName\":\"ops\"}", G("default", "docs", "Global", "Admin"));
	/* A role with grants stays; revoked (twice: no error), it goes. */
	CALL_EQ("roles/drop", "{\"roleName\":\"ops\"}", "{\"code\":65535,\"message\":\"fail to "
	    "drop the role that it has privileges. Use REVOKE API to revoke privileges\"}");
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"DropCollection\"}", OK);
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"DropCollection\"}", OK);
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"docs\",\"privilege\":\"Load\"}", OK);
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Collection\","
	    "\"objectName\":\"*\",\"privilege\":\"Query\",\"dbName\":\"analytics\"}", OK);
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"All\",\"dbName\":\"*\"}", OK);
	CALL_EQ("roles/revoke_privilege", "{\"roleName\":\"ops\",\"objectType\":\"Global\","
	    "\"objectName\":\"docs\",\"privilege\":\"Admin\"}", OK);
	CALL_EQ("roles/describe", "{\"roleName\":\"ops\",\"dbName\":\"*\"}",
	    "{\"code\":0,\"data\":[]}");
	CALL_EQ("roles/drop", "{\"roleName\":\"ops\"}", OK);
	CALL_EQ("roles/list", "{}", "{\"code\":0,\"data\":[\"admin\",\"public\"]}");
	/* 2.4 has v1 grants and the legacy groups, no built-in v2 group. */
	ver = labd_version_find("2.4");
	CALL_EQ("roles/create", "{\"roleName\":\"old\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"old\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"DatabaseAdmin\"}", "{\"code\":65535,"
	    "\"message\":\"not found the privilege name[DatabaseAdmin] in object[Global]\"}");
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"old\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"DropCollection\"}", OK);
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"old\",\"privilege\":\"Load\","
	    "\"dbName\":\"default\",\"collectionName\":\"docs\"}", "404 404 page not found");
	CALL_EQ("privilege_groups/list", "{}", "404 404 page not found");
}
END_TEST

START_TEST(test_rbac_grants_v2_groups)
{
	char *r;

	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"dba\"}", OK);
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":"
	    "\"DatabaseAdmin\",\"dbName\":\"default\",\"collectionName\":\"*\"}", OK);
	/* v2 keeps the collection's name, even for a Global privilege. */
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":"
	    "\"DropCollection\",\"dbName\":\"default\",\"collectionName\":\"docs\"}", OK);
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":"
	    "\"CollectionAdmin\",\"dbName\":\"default\",\"collectionName\":\"docs\"}", OK);
	CALL_EQ("roles/describe", "{\"roleName\":\"dba\"}", "{\"code\":0,\"data\":["
	    G("default", "*", "Global", "DatabaseAdmin") ","
	    G("default", "docs", "Global", "DropCollection") ","
	    G("default", "docs", "Global", "CollectionAdmin") "]}");
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":"
	    "\"DatabaseAdmin\",\"dbName\":\"default\",\"collectionName\":\"docs\"}",
	    "{\"code\":1100,\"message\":\"collectionName should be * for the database level "
	    "privilege: DatabaseAdmin: invalid parameter\"}");
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":"
	    "\"ClusterAdmin\",\"dbName\":\"default\",\"collectionName\":\"*\"}",
	    "{\"code\":1100,\"message\":\"dbName and collectionName should be * for the cluster "
	    "level privilege: ClusterAdmin: invalid parameter\"}");
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":"
	    "\"CollectionReadOnly\",\"dbName\":\"*\",\"collectionName\":\"docs\"}",
	    "{\"code\":1100,\"message\":\"please specify database name for the collection level "
	    "privilege: CollectionReadOnly: invalid parameter\"}");
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":\"Nope\","
	    "\"dbName\":\"*\",\"collectionName\":\"*\"}", "{\"code\":65535,\"message\":\"not "
	    "found the privilege name[Nope]\"}");
	CALL_HAS("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"dbName\":\"*\"}",
	    "'GrantV2Req.Privilege'");
	/* Built-in groups: listed after the custom ones, privileges joined by ",". */
	r = call("privilege_groups/list", "{}");
	ck_assert_ptr_nonnull(strstr(r, "{\"code\":0,\"data\":{\"privilegeGroups\":[{"
	    "\"privilegeGroupName\":\"ClusterReadOnly\",\"privileges\":\"ListDatabases,"));
	ck_assert_ptr_nonnull(strstr(r, "{\"privilegeGroupName\":\"DatabaseAdmin\","
	    "\"privileges\":\"ShowCollections,DescribeDatabase,AlterDatabase,CreateCollection,"
	    "DropCollection\"}"));
	ck_assert_ptr_null(strstr(r, "\"ClusterAdmin\",\"privileges\":\"DropCollection"));
	free(r);
	/* A custom group. */
	CALL_EQ("privilege_groups/create", "{\"privilegeGroupName\":\"dropper\"}", OK);
	CALL_EQ("privilege_groups/create", "{\"privilegeGroupName\":\"dropper\"}",
	    "{\"code\":1100,\"message\":\"privilege group name [dropper] is defined by users: "
	    "invalid parameter\"}");
	CALL_EQ("privilege_groups/create", "{\"privilegeGroupName\":\"DatabaseAdmin\"}",
	    "{\"code\":1100,\"message\":\"privilege group name [DatabaseAdmin] is defined by "
	    "built in privileges or privilege groups in system: invalid parameter\"}");
	CALL_EQ("privilege_groups/add_privileges_to_group", "{\"privilegeGroupName\":"
	    "\"dropper\",\"privileges\":[\"DropCollection\",\"CreateCollection\"]}", OK);
	CALL_EQ("privilege_groups/add_privileges_to_group", "{\"privilegeGroupName\":"
	    "\"dropper\",\"privileges\":[\"Query\"]}", "{\"code\":1100,\"message\":\"privileges "
	    "are not the same privilege level: invalid parameter\"}");
	CALL_EQ("privilege_groups/add_privileges_to_group", "{\"privilegeGroupName\":"
	    "\"dropper\",\"privileges\":[\"Nope\"]}", "{\"code\":1100,\"message\":\"there is no "
	    "privilege name or privilege group name [Nope] defined in system to operate: invalid "
	    "parameter\"}");
	CALL_EQ("privilege_groups/add_privileges_to_group", "{\"privilegeGroupName\":"
	    "\"nope\",\"privileges\":[\"Query\"]}", "{\"code\":1100,\"message\":\"there is no "
	    "privilege group name [nope] defined in system to operate: invalid parameter\"}");
	CALL_HAS("privilege_groups/list", "{}", "{\"code\":0,\"data\":{\"privilegeGroups\":[{"
	    "\"privilegeGroupName\":\"dropper\",\"privileges\":\"DropCollection,CreateCollection\"},"
	    "{\"privilegeGroupName\":\"ClusterReadOnly\"");
	CALL_EQ("privilege_groups/remove_privileges_from_group", "{\"privilegeGroupName\":"
	    "\"dropper\",\"privileges\":[\"CreateCollection\"]}", OK);
	CALL_HAS("privilege_groups/list", "{}", "{\"privilegeGroupName\":\"dropper\","
	    "\"privileges\":\"DropCollection\"}");
	{
		struct lstore *s = snapshot();

		ck_assert(lrbac_includes(ver, s, "dropper", "DropCollection"));
		ck_assert(!lrbac_includes(ver, s, "dropper", "CreateCollection"));
		lstore_free(s);
	}
	/* A custom group through v1 is refused; through v2 it is stored as one. */
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"dba\",\"objectType\":\"Global\","
	    "\"objectName\":\"*\",\"privilege\":\"dropper\"}", "{\"code\":65535,\"message\":"
	    "\"can not operate the custom privilege group [dropper]\"}");
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":\"dropper\","
	    "\"dbName\":\"default\",\"collectionName\":\"*\"}", OK);
	ck_assert_int_ge(kv_count(CRED "grantee-id/"), 1);
	CALL_HAS("roles/describe", "{\"roleName\":\"dba\"}", G("default", "*", "Global", "dropper"));
	CALL_EQ("privilege_groups/drop", "{\"privilegeGroupName\":\"dropper\"}", "{\"code\":65535,"
	    "\"message\":\"privilege group [dropper] is used by role [dba], Use REVOKE API to "
	    "revoke it first\"}");
	CALL_EQ("roles/revoke_privilege_v2", "{\"roleName\":\"dba\",\"privilege\":\"dropper\","
	    "\"dbName\":\"default\",\"collectionName\":\"*\"}", OK);
	CALL_EQ("privilege_groups/drop", "{\"privilegeGroupName\":\"dropper\"}", OK);
	CALL_EQ("privilege_groups/drop", "{\"privilegeGroupName\":\"dropper\"}", OK);
	CALL_LACKS("privilege_groups/list", "{}", "dropper");
}
END_TEST

/* A drop deletes the collection's grants on 2.6 (§6.0), not before. */
static void
drop_grants(const char *version, bool deleted)
{
	setup();
	ver = labd_version_find(version);
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}", OK);
	CALL_EQ("collections/create", "{\"collectionName\":\"keep\",\"dimension\":4}", OK);
	CALL_EQ("roles/create", "{\"roleName\":\"r\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"r\",\"objectType\":\"Collection\","
	    "\"objectName\":\"docs\",\"privilege\":\"Load\"}", OK);
	CALL_EQ("roles/grant_privilege", "{\"roleName\":\"r\",\"objectType\":\"Collection\","
	    "\"objectName\":\"keep\",\"privilege\":\"Load\"}", OK);
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"r\",\"privilege\":"
	    "\"DropCollection\",\"dbName\":\"default\",\"collectionName\":\"docs\"}", OK);
	CALL_EQ("roles/grant_privilege_v2", "{\"roleName\":\"r\",\"privilege\":"
	    "\"DatabaseAdmin\",\"dbName\":\"default\",\"collectionName\":\"*\"}", OK);
	CALL_EQ("collections/drop", "{\"collectionName\":\"docs\"}", OK);
	if (deleted) {
		CALL_EQ("roles/describe", "{\"roleName\":\"r\"}", "{\"code\":0,\"data\":["
		    G("default", "keep", "Collection", "Load") ","
		    G("default", "*", "Global", "DatabaseAdmin") "]}");
		ck_assert_int_lt(kv_find(CRED "grantee-privileges/r/Collection/default.docs"), 0);
		ck_assert_uint_eq(kv_count(CRED "grantee-id/"), 3 + 2);
	} else {
		CALL_EQ("roles/describe", "{\"roleName\":\"r\"}", "{\"code\":0,\"data\":["
		    G("default", "docs", "Collection", "Load") ","
		    G("default", "keep", "Collection", "Load") ","
		    G("default", "*", "Global", "DatabaseAdmin") ","
		    G("default", "docs", "Global", "DropCollection") "]}");
	}
	teardown();
}

START_TEST(test_drop_deletes_grants)
{
	drop_grants("2.6", true);
	drop_grants("2.5", false);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("labd-rbac");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test_db_properties);
	tcase_add_test(tc, test_force_deny);
	tcase_add_test(tc, test_force_deny_created_and_other_keys);
	tcase_add_test(tc, test_force_deny_24_stored_only);
	tcase_add_test(tc, test_alias_guard);
	tcase_add_test(tc, test_rbac_builtins);
	tcase_add_test(tc, test_rbac_users);
	tcase_add_test(tc, test_rbac_grants_v1);
	tcase_add_test(tc, test_rbac_grants_v2_groups);
	tcase_add_test(tc, test_drop_deletes_grants);
	suite_add_tcase(s, tc);
	return s;
}
