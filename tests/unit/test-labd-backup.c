/* SPDX-License-Identifier: MIT */
/* Unit tests for the lab's milvus-backup server, pure parts: /create requests,
 * name rules, taskmgr's progress, the answers' JSON read back by the tool's own
 * client (backup-api-parse.c), the meta of a backup planned from a catalog
 * whose rows a proxy wrote as binlogs, and those rows turned back into REST v2
 * insert rows for a restore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <cjson/cJSON.h>

#include "milvusadm/backup_api.h"
#include "milvusadm/xalloc.h"
#include "../../src/lab/labd.h"
#include "../../src/lab/labd-rest.h"
#include "../../src/lab/labd-backup.h"

/* ---- a small etcd and object store, as the proxies see them ---- */

#define S(lit)		lit, strlen(lit)
#define MAX_KV		256
#define MAX_OBJ		256

static struct { char *key[MAX_KV], *val[MAX_KV]; int64_t mod[MAX_KV]; size_t n; int64_t rev; } kv;
static struct { char *path[MAX_OBJ], *data[MAX_OBJ]; size_t n; } obj;
static const struct labd_version *ver;

static void
kv_put(const char *key, const char *val)
{
	size_t i;

	kv.rev++;
	for (i = 0; i < kv.n && strcmp(kv.key[i], key) != 0; i++)
		;
	if (i == kv.n) {
		ck_assert_uint_lt(kv.n, MAX_KV);
		kv.key[kv.n++] = xstrdup(key);
	} else
		free(kv.val[i]);
	kv.val[i] = xstrdup(val);
	kv.mod[i] = kv.rev;
}

static struct lstore *
snapshot(void)
{
	struct lstore *s = lstore_new("by-dev");
	size_t i;

	for (i = 0; i < kv.n; i++)
		lstore_add_kv(s, kv.key[i], strlen(kv.key[i]), kv.val[i], strlen(kv.val[i]),
		    kv.mod[i]);
	lstore_sort(s);
	return s;
}

/* One REST v2 call on a proxy that keeps rows: puts and binlogs applied. */
static char *
rest(const char *path, const char *body)
{
	struct lstore *s = snapshot();
	struct lrest_req rq;
	struct lrest_out out;
	char *r;
	size_t i;

	memset(&rq, 0, sizeof rq);
	memset(&out, 0, sizeof out);
	rq.path = path;
	rq.body = body;
	rq.len = strlen(body);
	rq.v = ver;
	rq.now_ms = 1766000000123LL;
	rq.keep_rows = true;
	lrest_handle(s, &rq, &out);
	for (i = 0; i < out.ops.n; i++) {
		if (out.ops.v[i].kind == LSTORE_PUT)
			kv_put(out.ops.v[i].key, out.ops.v[i].val);
	}
	for (i = 0; i < out.n_files; i++) {
		ck_assert_uint_lt(obj.n, MAX_OBJ);
		obj.path[obj.n] = xstrdup(out.files[i].path);
		obj.data[obj.n++] = xstrdup(out.files[i].data);
	}
	r = xstrdup(out.body.data);
	lrest_out_release(&out);
	lstore_free(s);
	return r;
}

static const char *
obj_get(const char *path)
{
	size_t i;

	for (i = 0; i < obj.n; i++) {
		if (strcmp(obj.path[i], path) == 0)
			return obj.data[i];
	}
	return NULL;
}

static void
setup(void)
{
	size_t i;

	for (i = 0; i < kv.n; i++) {
		free(kv.key[i]);
		free(kv.val[i]);
	}
	for (i = 0; i < obj.n; i++) {
		free(obj.path[i]);
		free(obj.data[i]);
	}
	memset(&kv, 0, sizeof kv);
	memset(&obj, 0, sizeof obj);
	ver = labd_version_find("2.5");
	/* A querynode, so that collections/create can load what it creates. */
	kv_put("by-dev/meta/session/querynode-5", "{\"ServerID\":5,\"ServerName\":"
	    "\"querynode\",\"Address\":\"127.0.0.5:21123\"}");
}

static void
teardown(void)
{
	setup();
}

/* ---- requests, names, faults ---- */

START_TEST(test_faults)
{
	struct lbk_faults f;

	lbk_faults_parse("", &f);
	ck_assert(!f.not_ready);
	ck_assert_int_eq(f.full_after, -1);
	ck_assert_int_eq(f.copy_rate, 0);
	lbk_faults_parse("# lab switches\nstorage_not_ready\nstorage_full_after 12345\n"
	    "copy_rate 65536\nbogus 7\n", &f);
	ck_assert(f.not_ready);
	ck_assert_int_eq(f.full_after, 12345);
	ck_assert_int_eq(f.copy_rate, 65536);
	lbk_faults_parse("#storage_not_ready\nstorage_full_after 0", &f);
	ck_assert(!f.not_ready);
	ck_assert_int_eq(f.full_after, 0);
}
END_TEST

START_TEST(test_names)
{
	char longname[200];

	memset(longname, 'a', 129);
	longname[129] = '\0';
	ck_assert_ptr_null(lbk_name_error("nightly_1"));
	ck_assert_ptr_null(lbk_name_error("_x9"));
	ck_assert_str_eq(lbk_name_error("a b"), "backup name should not contain whitespace");
	ck_assert_str_eq(lbk_name_error(longname), "backup name length should not exceed 128");
	ck_assert_str_eq(lbk_name_error("9lives"),
	    "backup name should start with an underscore or letter");
	ck_assert_str_eq(lbk_name_error("a-b"),
	    "backup name should only contain numbers, letters and underscores");
}
END_TEST

START_TEST(test_create_parse)
{
	struct lbk_create c;
	char err[256];
	static const char body[] = "{\"requestId\":\"from-body\",\"backup_name\":\"b1\","
	    "\"async\":true,\"filter\":{\"default\":{\"colls\":[\"docs\"]},\"db2\":{\"colls\":"
	    "[\"*\"]}},\"strategy\":\"skip_flush\"}";

	/* The header replaces the body's requestId (contract §0). */
	ck_assert_int_eq(lbk_create_parse(body, strlen(body), "hdr-1", &c, err, sizeof err), 0);
	ck_assert_str_eq(c.rid, "hdr-1");
	ck_assert_str_eq(c.name, "b1");
	ck_assert(c.async && c.has_name);
	ck_assert_str_eq(c.strategy, "skip_flush");
	ck_assert_uint_eq(c.n_sel, 4);
	ck_assert_str_eq(c.sel[0], "default");
	ck_assert_str_eq(c.sel[1], "docs");
	ck_assert_str_eq(c.sel[3], "*");
	lbk_create_free(&c);
	/* Without the header: a new UUID, never the body's. */
	ck_assert_int_eq(lbk_create_parse(body, strlen(body), NULL, &c, err, sizeof err), 0);
	ck_assert_uint_eq(strlen(c.rid), 36);
	ck_assert_str_ne(c.rid, "from-body");
	lbk_create_free(&c);
	ck_assert_int_eq(lbk_create_parse(S("{\"backup_name\":\"x\",\"db_collections\":"
	    "\"{\\\"db1\\\":[]}\",\"collection_names\":[\"a.b\"]}"), NULL, &c, err, sizeof err), 0);
	ck_assert_uint_eq(c.n_sel, 2);
	ck_assert_str_eq(c.sel[0], "db1");
	ck_assert_str_eq(c.sel[1], "*");
	lbk_create_free(&c);
	ck_assert_int_eq(lbk_create_parse(S("{\"collection_names\":[\"a.b\",\"c\"]}"), NULL, &c,
	    err, sizeof err), 0);
	ck_assert(!c.has_name);
	ck_assert_str_eq(c.sel[0], "a");
	ck_assert_str_eq(c.sel[3], "c");
	ck_assert_str_eq(c.sel[2], "default");
	lbk_create_free(&c);
	ck_assert_int_eq(lbk_create_parse(S("{\"backup_name\":5}"), NULL, &c, err, sizeof err), -1);
	ck_assert_str_eq(err, "Invalid request body");
	ck_assert_int_eq(lbk_create_parse(S("[1]"), NULL, &c, err, sizeof err), -1);
	ck_assert_int_eq(lbk_create_parse(S(""), NULL, &c, err, sizeof err), -1);
	ck_assert_int_eq(lbk_create_parse(S("{\"backup_name\":\"x\",\"db_collections\":"
	    "\"{oops\"}"), NULL, &c, err, sizeof err), 1);
	lbk_create_free(&c);
}
END_TEST

/* ---- progress (taskmgr) ---- */

START_TEST(test_progress)
{
	struct lbk_coll colls[2];
	struct lbk_task t;
	struct lrs_coll rc[2];
	struct lrs_task rt;

	memset(&t, 0, sizeof t);
	memset(colls, 0, sizeof colls);
	ck_assert_int_eq(lbk_task_progress(&t), 1);	/* initial: 1, not 0 */
	t.state = LBK_T_DB;
	ck_assert_int_eq(lbk_task_progress(&t), 5);
	t.state = LBK_T_COLL;
	t.colls = colls;
	t.n_colls = 2;
	colls[0].state = LBK_C_DML;
	colls[0].total = 100;
	colls[0].copied = 50;
	ck_assert_int_eq(lbk_coll_progress(&colls[0]), 57);	/* 15 + 0.85 * 50 */
	ck_assert_int_eq(lbk_coll_progress(&colls[1]), 1);
	ck_assert_int_eq(lbk_task_progress(&t), 32);		/* 5 + 0.95 * 29 */
	colls[0].state = colls[1].state = LBK_C_DML_DONE;
	ck_assert_int_eq(lbk_task_progress(&t), 100);		/* 100 before success */
	ck_assert_int_eq(lbk_task_state_code(&t), LBK_EXECUTING);
	t.state = LBK_T_FAIL;
	ck_assert_int_eq(lbk_task_progress(&t), 0);
	ck_assert_int_eq(lbk_task_state_code(&t), LBK_FAILED);

	memset(&rt, 0, sizeof rt);
	memset(rc, 0, sizeof rc);
	rt.colls = rc;
	rt.n_colls = 2;
	ck_assert_int_eq(lrs_task_progress(&rt), 1);
	rc[0].total = 300;
	rc[0].done = 300;
	rc[1].total = 100;
	ck_assert_int_eq(lrs_coll_progress(&rc[0]), 100);
	ck_assert_int_eq(lrs_coll_progress(&rc[1]), 1);		/* never 0 */
	ck_assert_int_eq(lrs_task_progress(&rt), 75);
	rt.state = LBK_SUCCESS;
	ck_assert_int_eq(lrs_task_progress(&rt), 100);
}
END_TEST

/* ---- answers, read by the tool's own client ---- */

START_TEST(test_envelope)
{
	struct buf b = BUF_INIT;

	lbk_envelope(&b, NULL, 0, NULL, NULL);
	ck_assert_str_eq(b.data, "{\"data\":null}");
	buf_reset(&b);
	lbk_envelope(&b, "r1", 0, "success", "");
	ck_assert_str_eq(b.data, "{\"requestId\":\"r1\",\"msg\":\"success\"}");
	buf_reset(&b);
	lbk_envelope(&b, "", 503, "storage <x>", NULL);
	ck_assert_str_eq(b.data, "{\"code\":503,\"msg\":\"storage \\u003cx\\u003e\",\"data\":null}");
	buf_release(&b);
}
END_TEST

START_TEST(test_brief_client)
{
	struct lbk_coll coll;
	struct lbk_task t;
	struct backup_result res;
	struct buf b = BUF_INIT;
	char err[256];

	memset(&t, 0, sizeof t);
	memset(&coll, 0, sizeof coll);
	memset(&res, 0, sizeof res);
	t.id = "c0ffee-1";
	t.name = "nightly_1";
	t.state = LBK_T_COLL;
	t.start_s = 1766000000;
	t.colls = &coll;
	t.n_colls = 1;
	coll.state = LBK_C_DML_DONE;
	lbk_brief_json(&b, &t, NULL, 0, 6);
	/* Go's zero time for a running task's end (contract §0.1). */
	ck_assert_ptr_nonnull(strstr(b.data, "\"end_time\":-62135596800"));
	ck_assert_ptr_nonnull(strstr(b.data, "\"progress\":100"));
	buf_reset(&b);
	{
		struct buf d = BUF_INIT;

		lbk_brief_json(&d, &t, NULL, 0, 6);
		lbk_envelope(&b, "x", 0, "success", d.data);
		buf_release(&d);
	}
	ck_assert_int_eq(backup_parse_get_task(b.data, b.len, 200, &res, err, sizeof err),
	    BACKUP_OK);
	ck_assert_int_eq(res.brief.state, BACKUP_TASK_EXECUTING);
	ck_assert_int_eq(res.brief.progress, 99);	/* 100 is shown with success only */
	ck_assert_int_eq(res.brief.end_ms, 0);
	ck_assert_str_eq(res.brief.id, "c0ffee-1");
	backup_result_release(&res);

	/* 0.5 and an unknown name: the empty brief, which the client tells apart. */
	buf_reset(&b);
	{
		struct buf d = BUF_INIT;

		lbk_brief_json(&d, NULL, NULL, 0, 5);
		ck_assert_str_eq(d.data, "{\"state_code\":0,\"progress\":0,\"size\":0,\"meta_size\":0}");
		lbk_envelope(&b, NULL, 0, "success", d.data);
		buf_release(&d);
	}
	ck_assert_int_eq(backup_parse_probe(b.data, b.len, 200, &res, err, sizeof err), BACKUP_OK);
	ck_assert_int_eq(res.flavour, BACKUP_FLAVOUR_05);
	backup_result_release(&res);
	buf_reset(&b);
	lbk_envelope(&b, NULL, 3, "server: backup milvusadm_probe_x not found", NULL);
	ck_assert_int_eq(backup_parse_probe(b.data, b.len, 200, &res, err, sizeof err), BACKUP_OK);
	ck_assert_int_eq(res.flavour, BACKUP_FLAVOUR_06);
	backup_result_release(&res);
	buf_release(&b);
}
END_TEST

START_TEST(test_json_exact)
{
	static const char text[] = "{\"ts\":462946304032505855,\"small\":[1,-2,2.5],"
	    "\"s\":\"12345678901234567890\",\"neg\":-450000000000000001}";
	cJSON *j = lbk_json_parse(text, strlen(text));
	char *back;

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(lbk_json_int(j, "ts", 0), 462946304032505855LL);
	ck_assert_int_eq(lbk_json_int(j, "neg", 0), -450000000000000001LL);
	ck_assert(cJSON_IsString(cJSON_GetObjectItem(j, "s")));
	back = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(back, "{\"ts\":462946304032505855,\"small\":[1,-2,2.5],"
	    "\"s\":\"12345678901234567890\",\"neg\":-450000000000000001}");
	free(back);
	cJSON_Delete(j);
	ck_assert_ptr_null(lbk_json_parse("{\"a\":", 5));
}
END_TEST

/* ---- a backup of rows a proxy wrote, and its restore rows ---- */

static char *
free_later(char *s)
{
	static char *last;

	free(last);
	last = s;
	return s;
}

static cJSON *
free_later_json(cJSON *j)
{
	static cJSON *last;

	cJSON_Delete(last);
	last = j;
	return j;
}

START_TEST(test_backup_roundtrip)
{
	struct lbk_create c;
	struct lbk_task t;
	struct lstore *s;
	struct buf meta[LBK_META_FILES], rows = BUF_INIT;
	struct backup_result res;
	cJSON *full, *cm, *seg, *fb, *cols[8];
	int64_t fids[8];
	char err[256], path[512], *body;
	size_t i, n, next;

	ck_assert_str_eq(free_later(rest("collections/create", "{\"collectionName\":\"docs\","
	    "\"dimension\":2}")), "{\"code\":0,\"data\":{}}");
	free_later(rest("entities/insert", "{\"collectionName\":\"docs\",\"data\":["
	    "{\"id\":1,\"vector\":[0.5,0.25],\"color\":\"red\"},"
	    "{\"id\":2,\"vector\":[1,2],\"n\":{\"k\":[1,2]}}]}"));
	free_later(rest("entities/insert", "{\"collectionName\":\"docs\",\"data\":["
	    "{\"id\":3,\"vector\":[3,4]}]}"));
	/* RowID, Timestamp, id, vector, $meta: five binlogs per insert. */
	ck_assert_uint_eq(obj.n, 10);

	memset(&c, 0, sizeof c);
	memset(&t, 0, sizeof t);
	t.id = "task-1";
	t.name = "b1";
	t.ts_ms = 1766000000123LL;
	s = snapshot();
	ck_assert_int_eq(lbk_plan(s, &c, &t, err, sizeof err), 0);
	lstore_free(s);
	ck_assert_uint_eq(t.n_colls, 1);
	ck_assert_str_eq(t.colls[0].name, "docs");
	ck_assert_str_eq(t.colls[0].load_state, "Loading");
	ck_assert_uint_eq(t.colls[0].n_segs, 1);
	ck_assert_uint_eq(t.colls[0].segs[0].rows, 3);
	ck_assert_uint_eq(t.colls[0].segs[0].n_logs, 10);
	for (i = 0, n = 0; i < obj.n; i++)
		n += strlen(obj.data[i]);
	ck_assert_int_eq(t.colls[0].total, (int64_t)n);	/* every binlog byte counted */

	lbk_meta_build(&t, "v2.5.27", meta);
	full = lbk_json_parse(meta[0].data, meta[0].len);
	ck_assert_ptr_nonnull(full);
	/* backup_timestamp is a hybrid TS above 2^53, written as its digits. */
	ck_assert_ptr_nonnull(strstr(meta[0].data, "\"backup_timestamp\":462946304032243712"));
	ck_assert_ptr_null(strstr(meta[1].data, "collection_backups"));
	ck_assert_ptr_nonnull(strstr(meta[1].data, "\"state_code\":0"));
	ck_assert_ptr_nonnull(strstr(meta[4].data, "\"segment_id\":"));

	/* A backup only in storage, as 0.6 answers for it: "stored" to the client. */
	{
		struct buf d = BUF_INIT, e = BUF_INIT;

		memset(&res, 0, sizeof res);
		lbk_brief_json(&d, NULL, full, 4242, 6);
		lbk_envelope(&e, NULL, 0, "success", d.data);
		ck_assert_int_eq(backup_parse_get(e.data, e.len, 200, &res, err, sizeof err),
		    BACKUP_OK);
		ck_assert_int_eq(res.brief.state, BACKUP_TASK_STORED);
		ck_assert_str_eq(res.brief.name, "b1");
		ck_assert_int_eq(res.brief.taken_ms, 1766000000123LL);
		ck_assert_int_eq(res.brief.size, (int64_t)n);
		ck_assert_uint_eq(res.brief.n_colls, 1);
		ck_assert_str_eq(res.brief.colls[0].db, "default");
		backup_result_release(&res);
		buf_release(&d);
		buf_release(&e);
	}

	/* The rows again, from the binlogs the meta lists (batch 0 of segment 0). */
	cm = cJSON_GetArrayItem(cJSON_GetObjectItem(full, "collection_backups"), 0);
	seg = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cm, "partition_backups"), 0), "segment_backups"), 0);
	n = 0;
	cJSON_ArrayForEach(fb, cJSON_GetObjectItem(seg, "binlogs")) {
		const cJSON *lg = cJSON_GetArrayItem(cJSON_GetObjectItem(fb, "binlogs"), 0);

		fids[n] = lbk_json_int(fb, "fieldID", 0);
		snprintf(path, sizeof path, "insert_log/%lld/%lld/%lld/%lld/%lld",
		    (long long)lbk_json_int(cm, "collection_id", 0),
		    (long long)lbk_json_int(seg, "partition_id", 0),
		    (long long)lbk_json_int(seg, "segment_id", 0), (long long)fids[n],
		    (long long)lbk_json_int(lg, "log_id", 0));
		ck_assert_msg(obj_get(path) != NULL, "no binlog %s", path);
		cols[n++] = cJSON_Parse(obj_get(path));
	}
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(lbk_rows_json(&rows, cJSON_GetObjectItem(cm, "schema"), fids, cols, n, 0,
	    1 << 20, &next, err, sizeof err), 0);
	ck_assert_uint_eq(next, 2);
	ck_assert_str_eq(rows.data, "{\"id\":1,\"vector\":[0.5,0.25],\"color\":\"red\"},"
	    "{\"id\":2,\"vector\":[1,2],\"n\":{\"k\":[1,2]}}");
	/* Split by size: one row at a time, resuming where it stopped. */
	buf_reset(&rows);
	ck_assert_int_eq(lbk_rows_json(&rows, cJSON_GetObjectItem(cm, "schema"), fids, cols, n, 1,
	    1, &next, err, sizeof err), 0);
	ck_assert_uint_eq(next, 2);
	ck_assert_str_eq(rows.data, "{\"id\":2,\"vector\":[1,2],\"n\":{\"k\":[1,2]}}");
	cJSON_Delete(cols[1]);
	cols[1] = cJSON_Parse("[1]");
	ck_assert_int_eq(lbk_rows_json(&rows, cJSON_GetObjectItem(cm, "schema"), fids, cols, n, 0,
	    100, &next, err, sizeof err), -1);
	for (i = 0; i < n; i++)
		cJSON_Delete(cols[i]);

	/* The same schema again through collections/create. */
	body = lbk_create_body("default", "docs_r", cm);
	ck_assert_ptr_nonnull(strstr(body, "\"enableDynamicField\":true"));
	ck_assert_ptr_null(strstr(body, "$meta"));
	ck_assert_str_eq(free_later(rest("collections/create", body)), "{\"code\":0,\"data\":{}}");
	free(body);
	ck_assert_ptr_nonnull(strstr(free_later(rest("collections/describe",
	    "{\"collectionName\":\"docs_r\"}")), "\"params\":[{\"key\":\"dim\",\"value\":\"2\"}]"));

	for (i = 0; i < LBK_META_FILES; i++)
		buf_release(&meta[i]);
	buf_release(&rows);
	cJSON_Delete(full);
	lbk_coll_release(&t.colls[0]);
	free(t.colls);
	free(t.dbs);
	free_later(NULL);
}
END_TEST

START_TEST(test_plan_errors)
{
	struct lbk_create c;
	struct lbk_task t;
	struct lstore *s;
	char err[256];

	free(rest("collections/create", "{\"collectionName\":\"docs\",\"dimension\":2}"));
	ck_assert_int_eq(lbk_create_parse(S("{\"backup_name\":\"b\",\"collection_names\":"
	    "[\"nope\"]}"), NULL, &c, err, sizeof err), 0);
	memset(&t, 0, sizeof t);
	s = snapshot();
	ck_assert_int_eq(lbk_plan(s, &c, &t, err, sizeof err), -1);
	ck_assert_str_eq(err, "backup: filter collection default.nope not found in milvus");
	free(t.dbs);
	lbk_create_free(&c);
	lstore_free(s);
}
END_TEST

START_TEST(test_restore_json)
{
	struct lrs_coll rc;
	struct lrs_task t;
	struct backup_result res;
	struct buf d = BUF_INIT, b = BUF_INIT;
	char err[256];

	memset(&t, 0, sizeof t);
	memset(&rc, 0, sizeof rc);
	memset(&res, 0, sizeof res);
	t.id = "rs-1";
	t.state = LBK_EXECUTING;
	t.start_s = 1766000100;
	t.colls = &rc;
	t.n_colls = 1;
	rc.db = "default";
	rc.name = "docs_r";
	rc.state = LBK_EXECUTING;
	rc.start_s = 1766000100;
	rc.total = 10;
	lrs_task_json(&d, &t);
	ck_assert_ptr_null(strstr(d.data, "\"collection_restore_tasks\":[{\"id\""));
	lbk_envelope(&b, "rs-1", 0, "success", d.data);
	ck_assert_int_eq(backup_parse_get_restore(b.data, b.len, 200, &res, err, sizeof err),
	    BACKUP_OK);
	ck_assert_str_eq(res.restore.id, "rs-1");
	ck_assert_int_eq(res.restore.progress, 1);
	ck_assert_uint_eq(res.restore.n_colls, 1);
	ck_assert_str_eq(res.restore.colls[0].name, "docs_r");
	ck_assert_int_eq(res.restore.colls[0].end_ms, 0);
	backup_result_release(&res);
	buf_release(&d);
	buf_release(&b);
}
END_TEST

/* ---- RBAC: rbac_meta on create, conv's filter and RestoreRBAC on restore ---- */

static void
apply_puts(const struct lstore_ops *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (o->v[i].kind == LSTORE_PUT)
			kv_put(o->v[i].key, o->v[i].val);
	}
}

static const char *const rbac_calls[][2] = {
	{ "roles/create", "{\"roleName\":\"reader\"}" },
	{ "roles/grant_privilege", "{\"roleName\":\"reader\",\"objectType\":\"Collection\","
	    "\"objectName\":\"images\",\"privilege\":\"Query\",\"dbName\":\"default\"}" },
	{ "privilege_groups/create", "{\"privilegeGroupName\":\"pg1\"}" },
	{ "privilege_groups/add_privileges_to_group", "{\"privilegeGroupName\":\"pg1\","
	    "\"privileges\":[\"Query\",\"Search\"]}" },
	{ "roles/grant_privilege_v2", "{\"roleName\":\"reader\",\"privilege\":\"pg1\","
	    "\"dbName\":\"default\",\"collectionName\":\"images\"}" },
	{ "users/create", "{\"userName\":\"u1\",\"password\":\"secret-pw1\"}" },
	{ "users/grant_role", "{\"userName\":\"u1\",\"roleName\":\"reader\"}" },
};

START_TEST(test_rbac)
{
	struct lbk_create c;
	struct lbk_task t;
	struct lbk_rbac_counts n;
	struct lstore_ops o;
	struct lstore *s;
	struct buf meta[LBK_META_FILES];
	char err[256], *want, *pw = lstore_password_hash("secret-pw1"), *json, *again;
	size_t i;

	ver = labd_version_find("2.6");
	ck_assert_int_eq(lbk_create_parse(S("{\"backup_name\":\"b\",\"rbac\":true}"), NULL, &c, err,
	    sizeof err), 0);
	ck_assert(c.rbac);
	lbk_create_free(&c);
	ck_assert_int_eq(lbk_create_parse(S("{\"backup_name\":\"b\",\"rbac\":\"yes\"}"), NULL, &c,
	    err, sizeof err), -1);
	ck_assert_ptr_null(lbk_rbac_unsupported(ver));
	ck_assert_ptr_null(lbk_rbac_unsupported(labd_version_find("2.4")));
	ck_assert_ptr_nonnull(strstr(lbk_rbac_unsupported(labd_version_find("2.3")),
	    "Unimplemented"));
	for (i = 0; i < sizeof rbac_calls / sizeof rbac_calls[0]; i++)
		ck_assert_str_eq(free_later(rest(rbac_calls[i][0], rbac_calls[i][1])),
		    "{\"code\":0,\"data\":{}}");

	/* BackupRBAC: no root, admin or public; the stored password form; a
	 * custom group's v2 grant is kept under Global (GetObjectType). */
	s = snapshot();
	json = lbk_rbac_json(s, ver);
	lstore_free(s);
	want = xasprintf("{\"users\":[{\"user\":\"u1\",\"password\":\"%s\",\"roles\":[{\"name\":"
	    "\"reader\"}]}],\"roles\":[{\"name\":\"reader\"}],\"grants\":[{\"role\":{\"name\":"
	    "\"reader\"},\"object\":{\"name\":\"Collection\"},\"object_name\":\"images\","
	    "\"grantor\":{\"user\":{\"name\":\"root\"},\"privilege\":{\"name\":\"Query\"}},"
	    "\"db_name\":\"default\"},{\"role\":{\"name\":\"reader\"},\"object\":{\"name\":"
	    "\"Global\"},\"object_name\":\"images\",\"grantor\":{\"user\":{\"name\":\"root\"},"
	    "\"privilege\":{\"name\":\"pg1\"}},\"db_name\":\"default\"}],\"privilege_groups\":"
	    "[{\"group_name\":\"pg1\",\"privileges\":[{\"name\":\"Query\"},{\"name\":\"Search\"}]}]}",
	    pw);
	ck_assert_str_eq(json, want);
	ck_assert_ptr_null(strstr(json, "secret-pw1"));

	/* In both top-level meta files; absent when not asked for. */
	memset(&t, 0, sizeof t);
	t.id = "task-r";
	t.name = "b";
	t.rbac = json;
	lbk_meta_build(&t, "v2.6.18", meta);
	for (i = 0; i < 2; i++) {
		ck_assert_ptr_nonnull(strstr(meta[i].data, "\"milvus_version\":\"v2.6.18\","
		    "\"rbac_meta\":{\"users\":"));
		ck_assert_ptr_nonnull(cJSON_GetObjectItem(free_later_json(lbk_json_parse(meta[i].data,
		    meta[i].len)), "rbac_meta"));
	}
	for (i = 0; i < LBK_META_FILES; i++)
		buf_release(&meta[i]);
	t.rbac = NULL;
	lbk_meta_build(&t, "v2.6.18", meta);
	ck_assert_ptr_null(strstr(meta[0].data, "rbac_meta"));
	for (i = 0; i < LBK_META_FILES; i++)
		buf_release(&meta[i]);

	/* A cluster with role reader only (the built-ins stored with it): the
	 * restore adds the rest, not the role; RBAC reads back the same. */
	setup();
	ver = labd_version_find("2.6");
	free_later(rest(rbac_calls[0][0], rbac_calls[0][1]));
	s = snapshot();
	memset(&o, 0, sizeof o);
	ck_assert_int_eq(lbk_rbac_restore_ops(s, ver, free_later_json(cJSON_Parse(json)), &o, &n,
	    err, sizeof err), 0);
	lstore_free(s);
	ck_assert_uint_eq(n.roles, 0);
	ck_assert_uint_eq(n.users, 1);
	ck_assert_uint_eq(n.grants, 2);
	ck_assert_uint_eq(n.groups, 1);
	apply_puts(&o);
	lstore_ops_release(&o);
	s = snapshot();
	again = lbk_rbac_json(s, ver);
	ck_assert_str_eq(again, json);
	free(again);
	/* The same restore again: everything there, nothing written. */
	ck_assert_int_eq(lbk_rbac_restore_ops(s, ver, free_later_json(cJSON_Parse(json)), &o, &n,
	    err, sizeof err), 0);
	lstore_free(s);
	ck_assert_uint_eq(o.n + n.users + n.roles + n.grants + n.groups, 0);
	lstore_ops_release(&o);
	/* A grant held by another grantor is not left out: AlterGrant refuses. */
	again = xstrdup(json);
	memcpy(strstr(again, "{\"name\":\"root\"},\"privilege\":{\"name\":\"Query\"}") + 9, "toor",
	    4);
	s = snapshot();
	ck_assert_int_eq(lbk_rbac_restore_ops(s, ver, free_later_json(cJSON_Parse(again)), &o, &n,
	    err, sizeof err), -1);
	ck_assert_str_eq(err, "failed to alter grant: the privilege[PrivilegeQuery] has been granted");
	lstore_free(s);
	lstore_ops_release(&o);
	free(again);
	free(want);
	free(json);
	free(pw);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("labd-backup");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_faults);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_create_parse);
	tcase_add_test(tc, test_progress);
	tcase_add_test(tc, test_envelope);
	tcase_add_test(tc, test_brief_client);
	tcase_add_test(tc, test_json_exact);
	tcase_add_test(tc, test_backup_roundtrip);
	tcase_add_test(tc, test_plan_errors);
	tcase_add_test(tc, test_restore_json);
	tcase_add_test(tc, test_rbac);
	suite_add_tcase(s, tc);
	return s;
}
