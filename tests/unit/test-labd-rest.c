/* SPDX-License-Identifier: MIT */
/* Unit tests for the lab's catalog, REST v2 answers and replica plan: requests
 * run against an in-memory key space that applies the operations like etcd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "milvusadm/xalloc.h"
#include "../../src/lab/labd.h"
#include "../../src/lab/labd-rest.h"
#include "labd-kv.h"

static const struct labd_version *ver;
static int64_t now = 1000000;

static struct lstore *
snapshot(void)
{
	struct lstore *s = lstore_new("by-dev");
	size_t i;

	for (i = 0; i < kv.n; i++)
		lstore_add_kv(s, kv.key[i], strlen(kv.key[i]), kv.val[i], strlen(kv.val[i]),
		    kv.mod[i]);
	lstore_sort(s);
	s->rev = kv.rev;
	return s;
}

/* Apply ops like an etcd txn: all compares hold, or nothing happens. */
static bool
commit(const struct lstore_ops *o)
{
	size_t i;
	int k;

	for (i = 0; i < o->n; i++) {
		const struct lstore_op *op = &o->v[i];

		k = kv_find(op->key);
		if (op->kind == LSTORE_CMP_ABSENT && k >= 0)
			return false;
		if (op->kind == LSTORE_CMP_MOD && (k < 0 ? 0 : kv.mod[k]) != op->n)
			return false;
		if (op->kind == LSTORE_CMP_GID && (k < 0 ? 0 : atoll(kv.val[k])) != op->n)
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
	ck_assert_str_eq(g_, want);				\
	free(g_);						\
} while (0)

#define CALL_HAS(path, body, want) do {				\
	char *g_ = call(path, body);				\
	if (strstr(g_, want) == NULL)				\
		ck_abort_msg("%s: '%s' lacks '%s'", path, g_, want);	\
	free(g_);						\
} while (0)

static void
add_querynode(int64_t id, bool stopping)
{
	char key[64], val[256];

	snprintf(key, sizeof key, "by-dev/meta/session/querynode-%lld", (long long)id);
	snprintf(val, sizeof val, "{\"ServerID\":%lld,\"ServerName\":\"querynode\","
	    "\"Address\":\"127.0.0.%lld:21123\",\"Stopping\":%s}", (long long)id, (long long)id,
	    stopping ? "true" : "false");
	kv_put(key, val);
}

/* Run the querycoord until it has nothing more to write. */
static void
plan_settle(void)
{
	struct lstore_ops ops;
	struct lstore *s;
	int i;

	for (i = 0; i < 10; i++) {
		s = snapshot();
		memset(&ops, 0, sizeof ops);
		lreplica_plan(s, now, &ops);
		lstore_free(s);
		if (ops.n == 0) {
			lstore_ops_release(&ops);
			return;
		}
		ck_assert(commit(&ops));
		lstore_ops_release(&ops);
	}
	ck_abort_msg("the replica plan does not settle");
}

static void
setup(void)
{
	ver = labd_version_find("2.5");
	kv_reset();
	now = 1000000;
}

START_TEST(test_envelopes)
{
	CALL_EQ("collections/list", NULL, "{\"code\":1801,\"message\":\"can only accept json "
	    "format request, the request body should be nil, however {} is valid\"}");
	CALL_HAS("collections/list", "[1", "\"code\":1801");
	CALL_EQ("collections/list", "{}", "{\"code\":0,\"data\":[]}");
	CALL_EQ("collections/describe", "{}", "{\"code\":1802,\"message\":\"missing required "
	    "parameters, error: Key: 'CollectionNameReq.CollectionName' Error:Field validation "
	    "for 'CollectionName' failed on the 'required' tag\"}");
	CALL_EQ("collections/describe", "{\"collectionName\":\"c1\"}",
	    "{\"code\":100,\"message\":\"collection not found[collection=c1]\"}");
	CALL_EQ("collections/get_load_state", "{\"collectionName\":\"c1\"}",
	    "{\"code\":100,\"message\":\"collection not found[collection=c1]\"}");
	CALL_EQ("collections/list", "{\"dbName\":\"nope\"}",
	    "{\"code\":800,\"message\":\"database not found[database=nope]\"}");
	CALL_EQ("collections/has", "{\"collectionName\":\"c1\"}",
	    "{\"code\":0,\"data\":{\"has\":false}}");
	CALL_EQ("collections/nothing", "{}", "404 404 page not found");
	CALL_EQ("databases/list", "{}", "{\"code\":0,\"data\":[\"default\"]}");
	/* 2.4 has no databases/ routes (§5.3) and 2.3 no REST v2 at all. */
	ver = labd_version_find("2.4");
	CALL_EQ("databases/list", "{}", "404 404 page not found");
	CALL_EQ("collections/list", "{}", "{\"code\":0,\"data\":[]}");
	ver = labd_version_find("2.3");
	CALL_EQ("collections/list", "{}", "404 404 page not found");
}
END_TEST

START_TEST(test_collections)
{
	char *desc;

	add_querynode(4, false);
	add_querynode(7, false);
	add_querynode(9, false);
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":8}",
	    "{\"code\":0,\"data\":{}}");
	CALL_EQ("collections/list", "{}", "{\"code\":0,\"data\":[\"docs\"]}");
	desc = call("collections/describe", "{\"collectionName\":\"docs\"}");
	/* An int64 above 2^53, a bare number. */
	ck_assert_ptr_nonnull(strstr(desc, "\"collectionID\":450000000000000001,"));
	ck_assert_ptr_nonnull(strstr(desc, "{\"key\":\"dim\",\"value\":\"8\"}"));
	ck_assert_ptr_nonnull(strstr(desc, "\"load\":\"LoadStateLoading\""));
	ck_assert_ptr_nonnull(strstr(desc, "},\"message\":\"\"}"));
	free(desc);
	CALL_EQ("collections/get_load_state", "{\"collectionName\":\"docs\"}",
	    "{\"code\":0,\"data\":{\"loadProgress\":0,\"loadState\":\"LoadStateLoading\","
	    "\"message\":\"\"}}");
	now += LSTORE_LOAD_MS;
	plan_settle();
	CALL_EQ("collections/get_load_state", "{\"collectionName\":\"docs\"}",
	    "{\"code\":0,\"data\":{\"loadProgress\":100,\"loadState\":\"LoadStateLoaded\","
	    "\"message\":\"\"}}");
	CALL_EQ("entities/insert", "{\"collectionName\":\"docs\",\"data\":[{\"id\":5,"
	    "\"vector\":[1]},{\"id\":6,\"vector\":[2]}]}",
	    "{\"code\":0,\"data\":{\"insertCount\":2,\"insertIds\":[5,6]}}");
	CALL_EQ("entities/insert", "{\"collectionName\":\"docs\",\"data\":[{\"id\":7}]}",
	    "{\"code\":0,\"data\":{\"insertCount\":1,\"insertIds\":[7]}}");
	CALL_EQ("entities/query", "{\"collectionName\":\"docs\",\"filter\":\"\","
	    "\"outputFields\":[\"count(*)\"]}", "{\"code\":0,\"data\":[{\"count(*)\":3}]}");
	CALL_EQ("collections/get_stats", "{\"collectionName\":\"docs\"}",
	    "{\"code\":0,\"data\":{\"rowCount\":3}}");
	CALL_EQ("collections/load", "{\"collectionName\":\"docs\",\"replicaNumber\":2}",
	    "{\"code\":1100,\"message\":\"can't change the replica number for loaded collection: "
	    "expected=1, actual=2: invalid parameter\"}");
	CALL_EQ("collections/release", "{\"collectionName\":\"docs\"}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("entities/query", "{\"collectionName\":\"docs\",\"outputFields\":[\"count(*)\"]}",
	    "{\"code\":101,\"message\":\"collection not loaded[collection=docs]\"}");
	CALL_EQ("collections/get_load_state", "{\"collectionName\":\"docs\"}",
	    "{\"code\":0,\"data\":{\"loadState\":\"LoadStateNotLoad\"}}");
	CALL_EQ("collections/load", "{\"collectionName\":\"docs\",\"replicaNumber\":4}",
	    "{\"code\":65535,\"message\":\"failed to spawn replica for collection "
	    "450000000000000001: nodes not enough[expected=4][actual=3]\"}");
	CALL_EQ("collections/create", "{\"collectionName\":\"s\",\"schema\":{\"fields\":["
	    "{\"fieldName\":\"pk\",\"dataType\":\"VarChar\",\"isPrimary\":true,"
	    "\"elementTypeParams\":{\"max_length\":64}},{\"fieldName\":\"v\",\"dataType\":"
	    "\"FloatVector\",\"elementTypeParams\":{\"dim\":\"4\"}}]}}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("collections/get_load_state", "{\"collectionName\":\"s\"}",
	    "{\"code\":0,\"data\":{\"loadState\":\"LoadStateNotLoad\"}}");
	CALL_HAS("collections/describe", "{\"collectionName\":\"s\"}",
	    "\"params\":[{\"key\":\"max_length\",\"value\":\"64\"}],\"partitionKey\":false,"
	    "\"primaryKey\":true,\"type\":\"VarChar\"");
	CALL_EQ("collections/drop", "{\"collectionName\":\"s\"}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("collections/drop", "{\"collectionName\":\"s\"}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("collections/list", "{}", "{\"code\":0,\"data\":[\"docs\"]}");
	ck_assert_int_lt(kv_find("by-dev/meta/root-coord/fields/450000000000000005/100"), 0);
	ck_assert_int_ge(kv_find("by-dev/meta/root-coord/fields/450000000000000001/101"), 0);
	ck_assert_int_ge(kv_find("by-dev/kv/gid/idTimestamp"), 0);
}
END_TEST

START_TEST(test_aliases_databases)
{
	add_querynode(1, false);
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}",
	    "{\"code\":0,\"data\":{}}");
	CALL_EQ("aliases/create", "{\"collectionName\":\"docs\"}", "{\"code\":1802,\"message\":"
	    "\"missing required parameters, error: Key: 'AliasCollectionReq.AliasName' "
	    "Error:Field validation for 'AliasName' failed on the 'required' tag\"}");
	CALL_EQ("aliases/create", "{\"collectionName\":\"docs\",\"aliasName\":\"cur\"}",
	    "{\"code\":0,\"data\":{}}");
	CALL_HAS("aliases/create", "{\"collectionName\":\"docs\",\"aliasName\":\"cur\"}",
	    "\"code\":1602");
	CALL_EQ("aliases/list", "{}", "{\"code\":0,\"data\":[\"cur\"]}");
	CALL_EQ("aliases/describe", "{\"aliasName\":\"cur\"}", "{\"code\":0,\"data\":{"
	    "\"aliasName\":\"cur\",\"collectionName\":\"docs\",\"dbName\":\"default\"}}");
	CALL_EQ("collections/has", "{\"collectionName\":\"cur\"}",
	    "{\"code\":0,\"data\":{\"has\":true}}");
	CALL_HAS("collections/drop", "{\"collectionName\":\"docs\"}", "associated aliases [cur]");
	CALL_HAS("collections/drop", "{\"collectionName\":\"cur\"}", "via alias");
	CALL_HAS("aliases/describe", "{\"aliasName\":\"x\"}", "\"code\":1600");
	CALL_EQ("aliases/drop", "{\"aliasName\":\"cur\"}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("aliases/list", "{}", "{\"code\":0,\"data\":[]}");

	CALL_EQ("databases/create", "{\"dbName\":\"analytics\",\"properties\":"
	    "{\"database.replica.number\":1}}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("databases/create", "{\"dbName\":\"analytics\"}",
	    "{\"code\":65535,\"message\":\"database already exist: analytics\"}");
	CALL_EQ("databases/list", "{}", "{\"code\":0,\"data\":[\"default\",\"analytics\"]}");
	CALL_HAS("databases/describe", "{\"dbName\":\"analytics\"}", "\"dbName\":\"analytics\","
	    "\"properties\":[{\"key\":\"database.replica.number\",\"value\":\"1\"}]}");
	CALL_HAS("databases/describe", "{}", "\"code\":1802");
	CALL_EQ("collections/create", "{\"dbName\":\"analytics\",\"collectionName\":\"events\","
	    "\"dimension\":4}", "{\"code\":0,\"data\":{}}");
	CALL_HAS("databases/drop", "{\"dbName\":\"analytics\"}", "not empty");
	CALL_EQ("collections/drop", "{\"dbName\":\"analytics\",\"collectionName\":\"events\"}",
	    "{\"code\":0,\"data\":{}}");
	CALL_EQ("databases/drop", "{\"dbName\":\"analytics\"}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("databases/drop", "{\"dbName\":\"default\"}",
	    "{\"code\":65535,\"message\":\"can not drop default database\"}");
}
END_TEST

static char *
render_qc(void)
{
	struct lstore *s = snapshot();
	struct lrest_out out;
	char *r;

	memset(&out, 0, sizeof out);
	lrest_replicas_qc(s, &out);
	r = xstrdup(out.body.data);
	lrest_out_release(&out);
	lstore_free(s);
	return r;
}

static char *
render_v1(const char *body)
{
	struct lstore *s = snapshot();
	struct lrest_out out;
	char *r;

	memset(&out, 0, sizeof out);
	lrest_replicas_v1(s, body, strlen(body), &out);
	r = xasprintf("%u %s", out.status, out.body.data);
	lrest_out_release(&out);
	lstore_free(s);
	return r;
}

START_TEST(test_replica_plan)
{
	char *r;

	add_querynode(4, false);
	add_querynode(7, false);
	add_querynode(9, false);
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":4}",
	    "{\"code\":0,\"data\":{}}");
	CALL_EQ("collections/release", "{\"collectionName\":\"docs\"}", "{\"code\":0,\"data\":{}}");
	CALL_EQ("collections/load", "{\"collectionName\":\"docs\",\"replicaNumber\":2}",
	    "{\"code\":0,\"data\":{}}");
	plan_settle();
	/* Two groups on distinct nodes (all nodes spread), one shard leader each. */
	r = render_qc();
	ck_assert_str_eq(r, "[{\"ID\":\"450000000000000003\",\"collectionID\":"
	    "\"450000000000000001\",\"database_id\":\"1\",\"rw_nodes\":[4,9],\"resource_group\":"
	    "\"__default_resource_group\",\"channel_to_rw_nodes\":{\"by-dev-rootcoord-dml_0_"
	    "450000000000000001v0\":[4]}},{\"ID\":\"450000000000000004\",\"collectionID\":"
	    "\"450000000000000001\",\"database_id\":\"1\",\"rw_nodes\":[7],\"resource_group\":"
	    "\"__default_resource_group\",\"channel_to_rw_nodes\":{\"by-dev-rootcoord-dml_0_"
	    "450000000000000001v0\":[7]}}]");
	free(r);
	r = render_v1("{\"collectionID\":450000000000000001,\"with_shard_nodes\":true}");
	ck_assert_ptr_nonnull(strstr(r, "200 {\"status\":{},\"replicas\":[{\"replicaID\":"
	    "450000000000000003,\"collectionID\":450000000000000001,\"partition_ids\":"
	    "[450000000000000002],\"shard_replicas\":[{\"leaderID\":4,\"leader_addr\":"
	    "\"127.0.0.4:21123\",\"dm_channel_name\":\"by-dev-rootcoord-dml_0_450000000000000001v0\","
	    "\"node_ids\":[4,9]}],\"node_ids\":[4,9]"));
	free(r);
	r = render_v1("{\"collection_name\":\"nope\"}");
	ck_assert_ptr_nonnull(strstr(r, "\"code\":100}}"));
	free(r);

	/* The node of the one-node group dies: a node of the other group moves over. */
	kv_del("by-dev/meta/session/querynode-7", false);
	plan_settle();
	r = render_qc();
	ck_assert_ptr_null(strstr(r, "[7]"));
	ck_assert_ptr_nonnull(strstr(r, "\"rw_nodes\":[4]"));
	ck_assert_ptr_nonnull(strstr(r, "\"rw_nodes\":[9]"));
	free(r);
	/* Then one more: a degraded group without nodes nor shard leader. */
	kv_del("by-dev/meta/session/querynode-9", false);
	plan_settle();
	r = render_qc();
	ck_assert_ptr_nonnull(strstr(r, "\"database_id\":\"1\",\"resource_group\""));
	ck_assert_ptr_nonnull(strstr(r, "v0\":[]}"));
	free(r);
	/* A stopping node is read-only until its session goes. */
	add_querynode(11, false);
	plan_settle();
	kv_put("by-dev/meta/session/querynode-11", "{\"ServerID\":11,\"Address\":\"x:1\","
	    "\"Stopping\":true}");
	plan_settle();
	r = render_qc();
	ck_assert_ptr_nonnull(strstr(r, "\"ro_nodes\":[11]"));
	free(r);
	/* Dropping the collection ends its load and its replicas. */
	CALL_EQ("collections/drop", "{\"collectionName\":\"docs\"}", "{\"code\":0,\"data\":{}}");
	plan_settle();
	r = render_qc();
	ck_assert_str_eq(r, "[]");
	free(r);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("labd-rest");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_envelopes);
	tcase_add_test(tc, test_collections);
	tcase_add_test(tc, test_aliases_databases);
	tcase_add_test(tc, test_replica_plan);
	suite_add_tcase(s, tc);
	return s;
}
