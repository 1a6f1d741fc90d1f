/* SPDX-License-Identifier: MIT */
/* Unit tests for the lab proxies' entities/query and entities/get: the filter
 * parser, and rows read back from the binlogs that inserts wrote, against an
 * in-memory key space (applied like etcd) and an in-memory object storage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "../../src/lab/labd.h"
#include "../../src/lab/labd-rest.h"
#include "labd-kv.h"

#define MAX_OBJ		512

static struct {
	char *path[MAX_OBJ], *data[MAX_OBJ];
	size_t len[MAX_OBJ], n;
} objs;

static const struct labd_version *ver;
static bool no_storage;

/* Apply ops like an etcd txn: all compares hold, or nothing happens. */
static bool
commit(const struct lstore_ops *o)
{
	size_t i;
	int k;

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

static char *
obj_read(void *arg, const char *rel, size_t max, size_t *len, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < objs.n; i++) {
		if (strcmp(objs.path[i], rel) == 0) {
			*len = objs.len[i];
			return xstrndup(objs.data[i], objs.len[i]);
		}
	}
	snprintf(err, errlen, "%s", strerror(ENOENT));
	return NULL;
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
	size_t i, k, ord[MAX_KV];

	for (i = 0; i < kv.n; i++)
		ord[i] = i;
	qsort(ord, kv.n, sizeof *ord, cmp_kv);
	for (i = 0; i < kv.n; i++) {
		k = ord[i];
		lstore_add_kv(s, kv.key[k], strlen(kv.key[k]), kv.val[k], strlen(kv.val[k]),
		    kv.mod[k]);
	}
	lstore_sort(s);
	s->rev = kv.rev;
	return s;
}

/* One REST v2 call through lrest_serve; the insert's binlogs are stored
 * before its commit, as labd-rest-io.c does. Returns the body (caller frees). */
static char *
call(const char *path, const char *body)
{
	struct lstore *s = snapshot();
	struct lrest_req rq;
	struct lrest_out out;
	size_t i;
	char *r;

	memset(&rq, 0, sizeof rq);
	memset(&out, 0, sizeof out);
	rq.path = path;
	rq.body = body;
	rq.len = strlen(body);
	rq.v = ver;
	rq.now_ms = 1000000;
	rq.keep_rows = !no_storage;
	rq.read = no_storage ? NULL : obj_read;
	lrest_serve(s, &rq, &out);
	for (i = 0; i < out.n_files; i++) {
		ck_assert_uint_lt(objs.n, MAX_OBJ);
		objs.path[objs.n] = xstrdup(out.files[i].path);
		objs.data[objs.n] = xstrndup(out.files[i].data, out.files[i].len);
		objs.len[objs.n++] = out.files[i].len;
	}
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

#define QUERY(body, want)	CALL_EQ("entities/query", body, want)

static void
setup(void)
{
	size_t i;

	ver = labd_version_find("2.5");
	no_storage = false;
	kv_reset();
	for (i = 0; i < objs.n; i++) {
		free(objs.path[i]);
		free(objs.data[i]);
	}
	objs.n = 0;
	kv_put("by-dev/meta/session/querynode-1", "{\"ServerID\":1,\"ServerName\":\"querynode\","
	    "\"Address\":\"127.0.0.1:21123\"}");
}

static void
teardown(void)
{
	setup();
	kv_del("", true);
}

/* ---- the filter ---- */

static char *
parse_ok(const char *text)
{
	struct lrest_filter f;
	struct buf b = BUF_INIT;
	char err[400];
	size_t i;

	if (lrest_filter_parse(text, &f, err, sizeof err) != 0)
		ck_abort_msg("'%s' refused: %s", text, err);
	buf_adds(&b, f.field != NULL ? f.field : "*");
	for (i = 0; i < f.n_ints; i++)
		buf_printf(&b, " %lld", (long long)f.ints[i]);
	for (i = 0; i < f.n_strs; i++)
		buf_printf(&b, " '%s'", f.strs[i]);
	lrest_filter_release(&f);
	return buf_detach(&b, NULL);
}

#define PARSE_EQ(text, want) do {				\
	char *g_ = parse_ok(text);				\
	ck_assert_str_eq(g_, want);				\
	free(g_);						\
} while (0)

#define PARSE_BAD(text) do {					\
	struct lrest_filter f_;					\
	char e_[400];						\
	if (lrest_filter_parse(text, &f_, e_, sizeof e_) == 0)	\
		ck_abort_msg("'%s' was taken", text);		\
	ck_assert_ptr_nonnull(strstr(e_, "the lab supports only"));	\
	ck_assert_ptr_null(f_.field);				\
} while (0)

START_TEST(test_filter_parse)
{
	PARSE_EQ("", "*");
	PARSE_EQ(" \t\n", "*");
	PARSE_EQ("id in [3, 1,2]", "id 1 2 3");
	PARSE_EQ("  id   IN[ -5 ,+7,]  ", "id -5 7");
	PARSE_EQ("id in []", "id");
	PARSE_EQ("id in [450000000000000001, -9223372036854775808]",
	    "id -9223372036854775808 450000000000000001");
	PARSE_EQ("name in [\"b\", \"a\\\"q\", \"\\u00e9\\n\"]", "name 'a\"q' 'b' '\xc3\xa9\n'");
	PARSE_EQ("x_1 in [1, \"1\"]", "x_1 1 '1'");
	PARSE_BAD("id > 1");
	PARSE_BAD("id == 1");
	PARSE_BAD("id in 1");
	PARSE_BAD("id in [1");
	PARSE_BAD("id in [1.5]");
	PARSE_BAD("id in [1e3]");
	PARSE_BAD("id in [1,,2]");
	PARSE_BAD("id in [,]");
	PARSE_BAD("id in ['a']");
	PARSE_BAD("id in [\"a]");
	PARSE_BAD("id in [\"\\x41\"]");
	PARSE_BAD("id in [\"\\u0000\"]");
	PARSE_BAD("id in [99999999999999999999]");
	PARSE_BAD("id in [1] and id in [2]");
	PARSE_BAD("id not in [1]");
	PARSE_BAD("idin [1]");
	PARSE_BAD("id inx [1]");
	PARSE_BAD("1d in [1]");
	PARSE_BAD("in [1]");
	PARSE_BAD("$meta[\"k\"] in [1]");
	PARSE_BAD("id in [1] ]");
}
END_TEST

START_TEST(test_filter_match)
{
	struct lrest_filter f;
	char err[400];
	cJSON *v;

	ck_assert_int_eq(lrest_filter_parse("id in [5, 450000000000000001, \"a\"]", &f, err,
	    sizeof err), 0);
	v = cJSON_CreateNumber(5);
	ck_assert(lrest_filter_match(&f, v));
	cJSON_Delete(v);
	v = cJSON_CreateNumber(5.5);
	ck_assert(!lrest_filter_match(&f, v));
	cJSON_Delete(v);
	v = cJSON_CreateNumber(6);
	ck_assert(!lrest_filter_match(&f, v));
	cJSON_Delete(v);
	/* A double would round it to 450000000000000000: raw stays exact. */
	v = cJSON_CreateRaw("450000000000000001");
	ck_assert(lrest_filter_match(&f, v));
	cJSON_Delete(v);
	v = cJSON_CreateRaw("450000000000000000");
	ck_assert(!lrest_filter_match(&f, v));
	cJSON_Delete(v);
	v = cJSON_CreateString("a");
	ck_assert(lrest_filter_match(&f, v));
	cJSON_Delete(v);
	v = cJSON_CreateString("5");
	ck_assert(!lrest_filter_match(&f, v));
	cJSON_Delete(v);
	v = cJSON_CreateNull();
	ck_assert(!lrest_filter_match(&f, v));
	cJSON_Delete(v);
	ck_assert(!lrest_filter_match(&f, NULL));
	lrest_filter_release(&f);
}
END_TEST

/* ---- rows ---- */

/* docs: quick setup (id Int64, vector, dynamic), loaded, three inserts. */
static void
make_docs(void)
{
	CALL_EQ("collections/create", "{\"collectionName\":\"docs\",\"dimension\":2}",
	    "{\"code\":0,\"data\":{}}");
	CALL_HAS("entities/insert", "{\"collectionName\":\"docs\",\"data\":["
	    "{\"id\":5,\"vector\":[1,2],\"color\":\"red\"},"
	    "{\"id\":7,\"vector\":[0.5,-1],\"color\":\"blue\",\"n\":{\"b\":1,\"a\":[{\"z\":1,\"y\":2}]}}]}",
	    "\"insertCount\":2");
	CALL_HAS("entities/insert", "{\"collectionName\":\"docs\",\"data\":["
	    "{\"id\":3,\"vector\":[3,3],\"color\":\"red\"}]}", "\"insertCount\":1");
	CALL_HAS("entities/insert", "{\"collectionName\":\"docs\",\"data\":["
	    "{\"id\":1,\"vector\":[4,4]}]}", "\"insertCount\":1");
}

START_TEST(test_query_rows)
{
	make_docs();
	/* count(*) keeps its semantics: the segments' count, the filter unused. */
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"id in [5]\",\"outputFields\":[\"count(*)\"]}",
	    "{\"code\":0,\"data\":[{\"count(*)\":4}]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"\",\"outputFields\":[\"*\"]}",
	    "{\"code\":1100,\"message\":\"empty expression should be used with limit: invalid "
	    "parameter\"}");
	QUERY("{\"collectionName\":\"docs\",\"outputFields\":[\"*\"]}",
	    "{\"code\":1100,\"message\":\"empty expression should be used with limit: invalid "
	    "parameter\"}");
	/* Insert order across inserts, keys sorted, dynamic keys flattened and
	 * sorted at every level, vectors as arrays. */
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":10,\"outputFields\":[\"*\"]}",
	    "{\"code\":0,\"data\":[{\"color\":\"red\",\"id\":5,\"vector\":[1,2]},"
	    "{\"color\":\"blue\",\"id\":7,\"n\":{\"a\":[{\"y\":2,\"z\":1}],\"b\":1},"
	    "\"vector\":[0.5,-1]},{\"color\":\"red\",\"id\":3,\"vector\":[3,3]},"
	    "{\"id\":1,\"vector\":[4,4]}]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":2,\"offset\":1}",
	    "{\"code\":0,\"data\":[{\"id\":7},{\"id\":3}]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"id in [1, 7, 99]\",\"outputFields\":"
	    "[\"color\"]}", "{\"code\":0,\"data\":[{\"color\":\"blue\",\"id\":7},{\"id\":1}]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"id in [3,5]\",\"limit\":1}",
	    "{\"code\":0,\"data\":[{\"id\":5}]}");
	/* A dynamic key in the filter. */
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"color in [\\\"red\\\"]\"}",
	    "{\"code\":0,\"data\":[{\"id\":5},{\"id\":3}]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"id in [42]\"}", "{\"code\":0,\"data\":[]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"id > 1\",\"limit\":5}",
	    "{\"code\":1100,\"message\":\"the lab supports only the filters \\\"\\\" and \\\"FIELD "
	    "in [v1, v2, ...]\\\" with ints or double-quoted strings, not 'id > 1': invalid "
	    "parameter\"}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":16385}",
	    "{\"code\":1100,\"message\":\"invalid max query result window, (offset+limit) should "
	    "be in range [1, 16384], but got 16385: invalid parameter\"}");
	CALL_HAS("entities/query", "{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":\"x\"}",
	    "\"code\":1801");
	CALL_HAS("entities/query", "{\"collectionName\":\"docs\",\"filter\":7}", "\"code\":1801");
	CALL_HAS("entities/query", "{\"filter\":\"\"}", "'QueryReqV2.CollectionName'");
	CALL_HAS("entities/query", "{\"collectionName\":\"nope\",\"filter\":\"\",\"limit\":1}",
	    "\"code\":100,");
	/* Not loaded: code 101, for rows as for count(*). */
	CALL_EQ("collections/release", "{\"collectionName\":\"docs\"}", "{\"code\":0,\"data\":{}}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":1}",
	    "{\"code\":101,\"message\":\"collection not loaded[collection=docs]\"}");
	QUERY("{\"collectionName\":\"docs\",\"outputFields\":[\"count(*)\"]}",
	    "{\"code\":101,\"message\":\"collection not loaded[collection=docs]\"}");
}
END_TEST

START_TEST(test_get)
{
	make_docs();
	CALL_EQ("entities/get", "{\"collectionName\":\"docs\",\"id\":7,\"outputFields\":"
	    "[\"vector\"]}", "{\"code\":0,\"data\":[{\"id\":7,\"vector\":[0.5,-1]}]}");
	CALL_EQ("entities/get", "{\"collectionName\":\"docs\",\"id\":[\"1\",5,404]}",
	    "{\"code\":0,\"data\":[{\"id\":5},{\"id\":1}]}");
	CALL_EQ("entities/get", "{\"collectionName\":\"docs\"}", "{\"code\":1802,\"message\":"
	    "\"missing required parameters, error: Key: 'CollectionIDReq.ID' Error:Field "
	    "validation for 'ID' failed on the 'required' tag\"}");
	CALL_HAS("entities/get", "{\"collectionName\":\"docs\",\"id\":{\"a\":1}}",
	    "{\"code\":1806,\"message\":\"please check the primary key");
	CALL_HAS("entities/get", "{\"collectionName\":\"docs\",\"id\":[1.5]}", "\"code\":1806");
	/* 2.3 has no REST v2, so neither get. */
	ver = labd_version_find("2.3");
	CALL_EQ("entities/get", "{\"collectionName\":\"docs\",\"id\":7}", "404 404 page not found");
}
END_TEST

/* Auto IDs above 2^53 stay exact from the binlog to the answer and back. */
START_TEST(test_auto_id_varchar_json)
{
	char *r, *id, *body, *want;

	CALL_EQ("collections/create", "{\"collectionName\":\"a\",\"schema\":{\"autoId\":true,"
	    "\"fields\":[{\"fieldName\":\"pk\",\"dataType\":\"Int64\",\"isPrimary\":true},"
	    "{\"fieldName\":\"v\",\"dataType\":\"FloatVector\",\"elementTypeParams\":{\"dim\":1}},"
	    "{\"fieldName\":\"doc\",\"dataType\":\"JSON\"}]},\"indexParams\":[{\"fieldName\":"
	    "\"v\",\"metricType\":\"L2\"}]}", "{\"code\":0,\"data\":{}}");
	r = call("entities/insert", "{\"collectionName\":\"a\",\"data\":[{\"v\":[1],"
	    "\"doc\":{\"k\":[1,2],\"b\":true}},{\"v\":[2]}]}");
	id = strstr(r, "\"insertIds\":[");
	ck_assert_ptr_nonnull(id);
	id += 13;
	ck_assert_int_eq(id[18], ',');
	id[18] = '\0';
	ck_assert(strncmp(id, "4500000000000000", 16) == 0);
	body = xasprintf("{\"collectionName\":\"a\",\"filter\":\"pk in [%s]\","
	    "\"outputFields\":[\"*\"]}", id);
	/* A JSON field is answered as the text stored, a string. */
	CALL_HAS("entities/query", body, "\"doc\":\"{\\\"k\\\":[1,2],\\\"b\\\":true}\",\"pk\":");
	CALL_HAS("entities/query", body, id);
	free(body);
	body = xasprintf("{\"collectionName\":\"a\",\"id\":[%s]}", id);
	want = xasprintf("{\"code\":0,\"data\":[{\"pk\":%s}]}", id);
	CALL_EQ("entities/get", body, want);
	free(body);
	free(want);
	free(r);

	/* VarChar keys with escapes; a schema without dynamic fields. */
	CALL_EQ("collections/create", "{\"collectionName\":\"s\",\"schema\":{\"fields\":["
	    "{\"fieldName\":\"k\",\"dataType\":\"VarChar\",\"isPrimary\":true,"
	    "\"elementTypeParams\":{\"max_length\":64}},{\"fieldName\":\"v\",\"dataType\":"
	    "\"FloatVector\",\"elementTypeParams\":{\"dim\":1}}]},\"indexParams\":[{\"fieldName\":"
	    "\"v\",\"metricType\":\"L2\"}]}", "{\"code\":0,\"data\":{}}");
	CALL_HAS("entities/insert", "{\"collectionName\":\"s\",\"data\":[{\"k\":\"a\\\"b\","
	    "\"v\":[1]},{\"k\":\"c\",\"v\":[2]}]}", "\"insertCount\":2");
	CALL_EQ("entities/get", "{\"collectionName\":\"s\",\"id\":\"a\\\"b\"}",
	    "{\"code\":0,\"data\":[{\"k\":\"a\\\"b\"}]}");
	QUERY("{\"collectionName\":\"s\",\"filter\":\"k in [\\\"a\\\\\\\"b\\\", \\\"zz\\\"]\"}",
	    "{\"code\":0,\"data\":[{\"k\":\"a\\\"b\"}]}");
	CALL_HAS("entities/get", "{\"collectionName\":\"s\",\"id\":[5]}", "\"code\":1806");
	QUERY("{\"collectionName\":\"s\",\"filter\":\"k in [\\\"c\\\"]\",\"outputFields\":"
	    "[\"nope\"]}", "{\"code\":65535,\"message\":\"field nope not exist\"}");
	QUERY("{\"collectionName\":\"s\",\"filter\":\"x in [1]\"}", "{\"code\":1100,\"message\":"
	    "\"failed to create query plan: cannot parse expression: x in [1], error: field x "
	    "not exist: invalid parameter\"}");
}
END_TEST

/* The answer follows insert order, not segment IDs: a segment of a lower ID
 * that took a later insert (its binlogs' log IDs are higher) comes last. */
START_TEST(test_insert_order)
{
	struct lstore *s;
	struct lstore_seg g;
	struct buf list = BUF_INIT;
	char *path, *rel;
	size_t i, n = objs.n;
	int64_t fields[] = { 0, 1, 100, 101, 102 };

	make_docs();
	n = objs.n;
	s = snapshot();
	ck_assert_uint_eq(s->n_segs, 1);
	g = s->segs[0];
	g.id = 17;
	g.rows = 2;
	buf_addc(&list, '[');
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		int64_t log = 900000000000000000LL + (int64_t)i;
		size_t k;

		/* The first insert's binlog of this field, copied to the new segment. */
		rel = lbin_log_path(&s->segs[0], fields[i], 0);
		*strrchr(rel, '/') = '\0';
		for (k = 0; k < n && strncmp(objs.path[k], rel, strlen(rel)) != 0; k++)
			;
		ck_assert_uint_lt(k, n);
		path = lbin_log_path(&g, fields[i], log);
		objs.path[objs.n] = path;
		objs.data[objs.n] = xstrndup(objs.data[k], objs.len[k]);
		objs.len[objs.n++] = objs.len[k];
		buf_printf(&list, "%s{\"fieldID\":\"%lld\",\"binlogs\":[{\"logID\":\"%lld\","
		    "\"entries_num\":\"2\",\"log_size\":\"1\"}]}", i > 0 ? "," : "",
		    (long long)fields[i], (long long)log);
		free(rel);
	}
	buf_addc(&list, ']');
	g.binlogs = list.data;
	path = lstore_seg_key(s, g.coll_id, g.part_id, g.id);
	rel = lstore_seg_json(&g);
	kv_put(path, rel);
	free(path);
	free(rel);
	buf_release(&list);
	lstore_free(s);
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":10}",
	    "{\"code\":0,\"data\":[{\"id\":5},{\"id\":7},{\"id\":3},{\"id\":1},{\"id\":5},"
	    "{\"id\":7}]}");
	QUERY("{\"collectionName\":\"docs\",\"filter\":\"id in [7]\",\"outputFields\":"
	    "[\"color\"]}", "{\"code\":0,\"data\":[{\"color\":\"blue\",\"id\":7},"
	    "{\"color\":\"blue\",\"id\":7}]}");
}
END_TEST

/* Rows the lab cannot read are an error, never an empty answer. */
START_TEST(test_storage_errors)
{
	size_t i;

	make_docs();
	for (i = 0; i < objs.n; i++) {
		free(objs.path[i]);
		objs.path[i] = xstrdup("gone");
	}
	CALL_HAS("entities/query", "{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":9}",
	    "{\"code\":65535,\"message\":\"read binlog insert_log/");
	no_storage = true;
	CALL_HAS("entities/query", "{\"collectionName\":\"docs\",\"filter\":\"\",\"limit\":9}",
	    "rows the lab did not keep");
	CALL_EQ("entities/query", "{\"collectionName\":\"docs\",\"outputFields\":[\"count(*)\"]}",
	    "{\"code\":0,\"data\":[{\"count(*)\":4}]}");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("labd-query");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_filter_parse);
	tcase_add_test(tc, test_filter_match);
	tcase_add_test(tc, test_query_rows);
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_auto_id_varchar_json);
	tcase_add_test(tc, test_insert_order);
	tcase_add_test(tc, test_storage_errors);
	suite_add_tcase(s, tc);
	return s;
}
