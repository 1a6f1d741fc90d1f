/* SPDX-License-Identifier: MIT */
/* Unit tests for the milvus-backup client's pure parts: every quirk of the
 * contract's 0.5.x and 0.6.x answers, and the requests of every call. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backup_api.h"

#include "backup-canned.h"

typedef int (*parse_fn)(const char *, size_t, int, struct backup_result *, char *, size_t);

static int
parse(parse_fn fn, const char *body, int status, struct backup_result *r, char *err)
{
	memset(r, 0, sizeof *r);
	return fn(body, strlen(body), status, r, err, 256);
}

/* ---- quirks ----------------------------------------------------------------- */

START_TEST(test_code_omitted_and_times)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get, get_ok_05, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(r.request_id, "r-1");
	ck_assert_str_eq(r.brief.name, "nightly_1");
	ck_assert_str_eq(r.brief.id, "c0ffee-1");
	ck_assert_int_eq(r.brief.state, BACKUP_TASK_SUCCESS);
	ck_assert_int_eq(r.brief.progress, 100);
	ck_assert_int_eq(r.brief.taken_ms, TAKEN_MS);
	ck_assert_int_eq(r.brief.start_ms, 1766000000000LL);
	ck_assert_int_eq(r.brief.end_ms, 1766000042000LL);
	ck_assert_int_eq(r.brief.size, 1024);
	ck_assert_int_eq(r.brief.format, BACKUP_FORMAT_BINLOG);	/* 0.5.x: no format */
	ck_assert(r.brief.size_checked);
	ck_assert_uint_eq(r.brief.n_colls, 2);
	ck_assert_str_eq(r.brief.colls[0].db, "default");
	ck_assert_str_eq(r.brief.colls[0].name, "docs");
	ck_assert_int_eq(r.brief.colls[0].size, 1000);
	ck_assert_int_eq(r.brief.colls[0].rows, -1);	/* the brief carries none */
	ck_assert_str_eq(r.brief.colls[1].db, "db2");
	backup_result_release(&r);
}
END_TEST

START_TEST(test_snake_and_camel)
{
	struct backup_result a, b;
	char err[256];
	size_t i;

	ck_assert_int_eq(parse(backup_parse_get, get_ok_05, 200, &a, err), BACKUP_OK);
	ck_assert_int_eq(parse(backup_parse_get, get_ok_camel, 200, &b, err), BACKUP_OK);
	ck_assert_str_eq(a.brief.name, b.brief.name);
	ck_assert_int_eq(a.brief.state, b.brief.state);
	ck_assert_int_eq(a.brief.taken_ms, b.brief.taken_ms);
	ck_assert_int_eq(a.brief.start_ms, b.brief.start_ms);
	ck_assert_int_eq(a.brief.end_ms, b.brief.end_ms);
	ck_assert_int_eq(a.brief.size, b.brief.size);
	ck_assert_str_eq(a.brief.milvus_version, b.brief.milvus_version);
	ck_assert_uint_eq(a.brief.n_colls, b.brief.n_colls);
	for (i = 0; i < a.brief.n_colls; i++) {
		ck_assert_str_eq(a.brief.colls[i].db, b.brief.colls[i].db);
		ck_assert_str_eq(a.brief.colls[i].name, b.brief.colls[i].name);
		ck_assert_int_eq(a.brief.colls[i].size, b.brief.colls[i].size);
	}
	backup_result_release(&a);
	backup_result_release(&b);
}
END_TEST

START_TEST(test_states_int_and_string)
{
	static const struct { const char *v; enum backup_task_state s; } cases[] = {
		{ "0", BACKUP_TASK_INITIAL }, { "1", BACKUP_TASK_EXECUTING },
		{ "2", BACKUP_TASK_SUCCESS }, { "3", BACKUP_TASK_FAIL },
		{ "4", BACKUP_TASK_TIMEOUT }, { "9", BACKUP_TASK_UNKNOWN },
		{ "\"BACKUP_EXECUTING\"", BACKUP_TASK_EXECUTING }, { "\"SUCCESS\"", BACKUP_TASK_SUCCESS },
		{ "\"fail\"", BACKUP_TASK_FAIL }, { "\"2\"", BACKUP_TASK_SUCCESS },
		{ "\"DONE\"", BACKUP_TASK_UNKNOWN }, { "true", BACKUP_TASK_UNKNOWN },
	};
	struct backup_result r;
	char body[256], err[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(body, sizeof body, "{\"data\":{\"id\":\"t\",\"name\":\"n\",\"state_code\":%s,"
		    "\"progress\":5}}", cases[i].v);
		ck_assert_int_eq(parse(backup_parse_get_task, body, 200, &r, err), BACKUP_OK);
		ck_assert_msg(r.brief.state == cases[i].s, "state %s read as %d", cases[i].v,
		    r.brief.state);
		backup_result_release(&r);
		snprintf(body, sizeof body, "{\"data\":{\"id\":\"t\",\"state_code\":%s}}",
		    cases[i].v);
		ck_assert_int_eq(parse(backup_parse_get_restore, body, 200, &r, err), BACKUP_OK);
		ck_assert_int_eq(r.restore.state, cases[i].s);
		backup_result_release(&r);
	}
	/* The code as an enum name (protojson) means what its number means. */
	ck_assert_int_eq(parse(backup_parse_get_task, "{\"code\":\"Fail\",\"msg\":\"task not "
	    "found\"}", 200, &r, err), BACKUP_ETASKLOST);
	ck_assert_int_eq(r.code, 3);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_get_unknown_name)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get, get_empty_05, 200, &r, err), BACKUP_ENOTFOUND);
	ck_assert(r.unsure);
	ck_assert_ptr_null(r.brief.name);
	ck_assert_ptr_nonnull(strstr(err, "may still be in storage"));
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_get, get_404_05early, 200, &r, err), BACKUP_ENOTFOUND);
	ck_assert(!r.unsure);
	ck_assert_int_eq(r.code, 404);
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_get, get_3_06, 200, &r, err), BACKUP_ENOTFOUND);
	ck_assert(!r.unsure);
	ck_assert_str_eq(err, "backup not found (server: backup nightly_9 not found)");
	backup_result_release(&r);

	/* Another code 3 is a failure, not "not found". */
	ck_assert_int_eq(parse(backup_parse_get, "{\"code\":3,\"msg\":\"list storage: timeout\"}",
	    200, &r, err), BACKUP_ESERVER);
	ck_assert_str_eq(err, "list storage: timeout (code 3)");
	backup_result_release(&r);
}
END_TEST

START_TEST(test_stored_reads_as_stored)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get, get_stored_06, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.brief.state, BACKUP_TASK_STORED);
	ck_assert_int_eq(r.brief.progress, -1);
	ck_assert_ptr_null(r.brief.id);
	ck_assert_int_eq(r.brief.taken_ms, TAKEN_MS);
	ck_assert_int_eq(r.brief.format, BACKUP_FORMAT_BINLOG);	/* "" on 0.6 */
	backup_result_release(&r);
}
END_TEST

START_TEST(test_snapshot_format)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get, get_snapshot_06, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.brief.format, BACKUP_FORMAT_SNAPSHOT);
	ck_assert(!r.brief.size_checked);
	ck_assert_str_eq(r.brief.milvus_version, "v3.0.1");
	ck_assert_int_eq(r.brief.colls[0].rows, -1);
	ck_assert_int_eq(r.brief.colls[0].segments, -1);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_get, "{\"data\":{\"name\":\"x\",\"id\":\"i\","
	    "\"format\":\"parquet\"}}", 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.brief.format, BACKUP_FORMAT_UNKNOWN);
	ck_assert(!r.brief.size_checked);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_older_full_records)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get, get_ok_old_full, 200, &r, err), BACKUP_OK);
	ck_assert_uint_eq(r.brief.n_colls, 1);
	ck_assert_int_eq(r.brief.colls[0].rows, 1000);
	ck_assert_int_eq(r.brief.colls[0].partitions, 2);
	ck_assert_int_eq(r.brief.colls[0].segments, 2);
	ck_assert_int_eq(r.brief.taken_ms, 0);		/* no timestamp given */
	backup_result_release(&r);
}
END_TEST

START_TEST(test_progress_100_only_on_success)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get_task, task_running, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.brief.state, BACKUP_TASK_EXECUTING);
	ck_assert_int_eq(r.brief.progress, 99);
	ck_assert_int_eq(r.brief.end_ms, 0);		/* Go's zero time */
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_get_restore, restore_running, 200, &r, err),
	    BACKUP_OK);
	ck_assert_int_eq(r.restore.state, BACKUP_TASK_EXECUTING);
	ck_assert_int_eq(r.restore.progress, 99);
	ck_assert_int_eq(r.restore.end_ms, 0);
	ck_assert_uint_eq(r.restore.n_colls, 2);
	ck_assert_int_eq(r.restore.colls[0].state, BACKUP_TASK_SUCCESS);
	ck_assert_int_eq(r.restore.colls[0].progress, 100);
	ck_assert_int_eq(r.restore.colls[0].end_ms, 1766000160000LL);
	ck_assert_str_eq(r.restore.colls[1].db, "db2");
	ck_assert_str_eq(r.restore.colls[1].name, "logs_r");
	ck_assert_int_eq(r.restore.colls[1].progress, 70);
	ck_assert_int_eq(r.restore.colls[1].end_ms, 0);
	ck_assert_ptr_null(r.restore.colls[1].error);	/* "" is no error */
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_get_restore, restore_failed, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.restore.state, BACKUP_TASK_FAIL);
	ck_assert_str_eq(r.restore.error, "import failed: no binlog");
	backup_result_release(&r);
}
END_TEST

START_TEST(test_create_answers)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_create, create_async, 200, &r, err), BACKUP_OK);
	ck_assert(!r.no_data);
	ck_assert_str_eq(r.brief.id, "c0ffee-3");
	ck_assert_str_eq(r.request_id, "c0ffee-3");
	ck_assert_int_eq(r.brief.state, BACKUP_TASK_INITIAL);
	ck_assert_int_eq(r.brief.progress, 1);
	ck_assert_int_eq(r.brief.end_ms, 0);
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_create, create_sync, 200, &r, err), BACKUP_OK);
	ck_assert(r.no_data);
	ck_assert_ptr_null(r.request_id);
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_create, create_taken, 200, &r, err),
	    BACKUP_ENAMETAKEN);
	ck_assert(!r.retryable);
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_create, bad_json_400, 400, &r, err), BACKUP_EHTTP);
	ck_assert_ptr_nonnull(strstr(err, "invalid character"));
	backup_result_release(&r);
}
END_TEST

START_TEST(test_storage_not_ready)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_create, create_503, 200, &r, err), BACKUP_ENOTREADY);
	ck_assert(r.retryable);
	ck_assert_int_eq(r.code, 503);
	ck_assert_ptr_nonnull(strstr(err, "nothing was registered"));
	backup_result_release(&r);
	/* The same code with HTTP 503 is the same answer. */
	ck_assert_int_eq(parse(backup_parse_create, create_503, 503, &r, err), BACKUP_ENOTREADY);
	ck_assert(r.retryable);
	backup_result_release(&r);
	/* A bare 503 from a proxy: retryable, but not Storage_Not_Ready. */
	ck_assert_int_eq(parse(backup_parse_list, "Service Unavailable", 503, &r, err),
	    BACKUP_EHTTP);
	ck_assert(r.retryable);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_list, "nope", 404, &r, err), BACKUP_EHTTP);
	ck_assert(!r.retryable);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_empty_500_is_the_crash)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_create, "", 500, &r, err), BACKUP_ECRASH);
	ck_assert_ptr_nonnull(strstr(err, "synchronous create reuses a name"));
	ck_assert(!r.retryable);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_get, "\n", 500, &r, err), BACKUP_ECRASH);
	backup_result_release(&r);
	/* A 500 with a body is the server's /check style error, not the crash. */
	ck_assert_int_eq(parse(backup_parse_create, "{\"error\":\"boom\"}", 500, &r, err),
	    BACKUP_EHTTP);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_create, "", 200, &r, err), BACKUP_EPROTO);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_task_lost_vs_not_found)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_get_task, task_lost, 200, &r, err), BACKUP_ETASKLOST);
	ck_assert_ptr_nonnull(strstr(err, "tasks live only in its memory"));
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_get_restore, task_lost, 200, &r, err),
	    BACKUP_ETASKLOST);
	backup_result_release(&r);
	/* The same body asked by name is a missing backup, not a lost task. */
	ck_assert_int_eq(parse(backup_parse_get, task_lost, 200, &r, err), BACKUP_ENOTFOUND);
	backup_result_release(&r);
	/* An empty record for an id: the server holds no such task. */
	ck_assert_int_eq(parse(backup_parse_get_task, get_empty_05, 200, &r, err),
	    BACKUP_ETASKLOST);
	ck_assert(r.unsure);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_restore_answers)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_restore, restore_missing_05, 200, &r, err),
	    BACKUP_ENOTFOUND);
	ck_assert_ptr_null(r.request_id);		/* early errors carry none */
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_restore, restore_missing_06, 200, &r, err),
	    BACKUP_ENOTFOUND);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_restore, "{\"code\":400,\"msg\":\"suffix and "
	    "renames are exclusive\"}", 200, &r, err), BACKUP_ESERVER);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_restore, restore_running, 200, &r, err), BACKUP_OK);
	ck_assert_str_eq(r.restore.id, "rs-1");
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_get_restore, "{\"data\":null}", 200, &r, err),
	    BACKUP_EPROTO);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_list_and_delete)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_list, list_two, 200, &r, err), BACKUP_OK);
	ck_assert_uint_eq(r.n_list, 2);
	ck_assert_uint_eq(r.list_skipped, 1);
	ck_assert_str_eq(r.list[0].name, "nightly_1");
	ck_assert_int_eq(r.list[0].state, BACKUP_TASK_STORED);
	ck_assert_int_eq(r.list[0].size, 1024);
	ck_assert_int_eq(r.list[0].taken_ms, 0);	/* list has no times */
	ck_assert_str_eq(r.list[1].name, "nightly_2");
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_list, list_empty, 200, &r, err), BACKUP_OK);
	ck_assert_uint_eq(r.n_list, 0);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_list, "{\"data\":null}", 200, &r, err), BACKUP_OK);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_list, "{\"data\":{}}", 200, &r, err), BACKUP_EPROTO);
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_delete, delete_ok, 200, &r, err), BACKUP_OK);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_delete, delete_missing, 200, &r, err),
	    BACKUP_ENOTFOUND);
	backup_result_release(&r);
}
END_TEST

START_TEST(test_probe_and_hello)
{
	struct backup_result r;
	char err[256];

	ck_assert_int_eq(parse(backup_parse_probe, get_empty_05, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.flavour, BACKUP_FLAVOUR_05);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_probe, get_404_05early, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.flavour, BACKUP_FLAVOUR_05_EARLY);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_probe, get_3_06, 200, &r, err), BACKUP_OK);
	ck_assert_int_eq(r.flavour, BACKUP_FLAVOUR_06);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_probe, get_ok_05, 200, &r, err), BACKUP_EPROTO);
	ck_assert_int_eq(r.flavour, BACKUP_FLAVOUR_UNKNOWN);
	backup_result_release(&r);

	ck_assert_int_eq(parse(backup_parse_hello, "Hello, This is backup service", 200, &r, err),
	    BACKUP_OK);
	ck_assert(r.greeting);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_hello, "404 page not found", 404, &r, err),
	    BACKUP_EHTTP);
	backup_result_release(&r);
	ck_assert_int_eq(parse(backup_parse_hello, "{\"code\":0}", 200, &r, err), BACKUP_EPROTO);
	backup_result_release(&r);
}
END_TEST

/* Odd inputs to every parser: an error, never a crash (ASan checks the rest). */
START_TEST(test_garbage)
{
	static const char *const bodies[] = { "", "{", "[]", "null", "\"x\"", "{\"code\":1e400}",
	    "{\"code\":\"nope\"}", "{\"data\":[1,2]}", "{\"data\":{\"collection_backups\":7}}",
	    "{\"data\":{\"collection_restore_tasks\":[1]}}", "{\"data\":{\"backup_timestamp\":"
	    "\"99999999999999999999999\"}}", "<html>502</html>" };
	static const parse_fn fns[] = { backup_parse_hello, backup_parse_probe,
	    backup_parse_create, backup_parse_get, backup_parse_get_task, backup_parse_list,
	    backup_parse_delete, backup_parse_restore, backup_parse_get_restore };
	static const int statuses[] = { 200, 400, 500, 503, 0 };
	struct backup_result r;
	char err[256];
	size_t i, j, k;

	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
		for (j = 0; j < sizeof fns / sizeof fns[0]; j++)
			for (k = 0; k < sizeof statuses / sizeof statuses[0]; k++) {
				parse(fns[j], bodies[i], statuses[k], &r, err);
				ck_assert_ptr_null(strchr(err, '\n'));
				backup_result_release(&r);
			}
	/* A NULL body with a length is treated as empty. */
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(backup_parse_get(NULL, 5, 200, &r, err, sizeof err), BACKUP_EPROTO);
	backup_result_release(&r);
}
END_TEST

/* ---- request building ------------------------------------------------------- */

static const char *const colls[] = { "docs", "db2.logs", "db2.events", "db3.*", NULL };

START_TEST(test_build_create)
{
	struct backup_create_req q = { .name = "nightly_1", .request_id = "rid-1",
	    .collections = colls, .strategy = BACKUP_STRATEGY_META_ONLY, .rbac = true };
	struct backup_request rq;
	char err[256];

	ck_assert_int_eq(backup_build_create("http://b:8080/", BACKUP_FLAVOUR_06, &q, &rq, err,
	    sizeof err), 0);
	ck_assert_str_eq(rq.method, "POST");
	ck_assert_str_eq(rq.url, "http://b:8080/api/v1/create");
	ck_assert_str_eq(rq.request_id, "rid-1");
	ck_assert_str_eq(rq.body, "{\"requestId\":\"rid-1\",\"backup_name\":\"nightly_1\","
	    "\"async\":true,\"filter\":{\"default\":{\"colls\":[\"docs\"]},\"db2\":{\"colls\":"
	    "[\"logs\",\"events\"]},\"db3\":{\"colls\":[\"*\"]}},\"strategy\":\"meta_only\","
	    "\"rbac\":true}");
	backup_request_release(&rq);

	ck_assert_int_eq(backup_build_create("b:8080", BACKUP_FLAVOUR_05, &q, &rq, err,
	    sizeof err), 0);
	ck_assert_str_eq(rq.url, "http://b:8080/api/v1/create");
	ck_assert_str_eq(rq.body, "{\"requestId\":\"rid-1\",\"backup_name\":\"nightly_1\","
	    "\"async\":true,\"db_collections\":{\"default\":[\"docs\"],\"db2\":[\"logs\","
	    "\"events\"],\"db3\":[]},\"meta_only\":true,\"rbac\":true}");
	backup_request_release(&rq);

	/* No request_id given: a UUID is made, and it is in the body too. */
	q.request_id = NULL;
	q.collections = NULL;
	q.strategy = BACKUP_STRATEGY_AUTO;
	q.format = BACKUP_FORMAT_SNAPSHOT;
	q.synchronous = true;
	ck_assert_int_eq(backup_build_create("b", BACKUP_FLAVOUR_06, &q, &rq, err, sizeof err), 0);
	ck_assert_uint_eq(strlen(rq.request_id), 36);
	ck_assert_int_eq(rq.request_id[14], '4');
	ck_assert_ptr_nonnull(strstr(rq.body, rq.request_id));
	ck_assert_ptr_nonnull(strstr(rq.body, "\"async\":false,\"format\":\"snapshot\""));
	backup_request_release(&rq);
	ck_assert_int_eq(backup_build_create("b", BACKUP_FLAVOUR_05, &q, &rq, err, sizeof err), -1);
	ck_assert_str_eq(err, "milvus-backup 0.5.x offers no snapshot format");

	q.format = BACKUP_FORMAT_AUTO;
	q.name = "";
	ck_assert_int_eq(backup_build_create("b", BACKUP_FLAVOUR_06, &q, &rq, err, sizeof err), -1);
	q.name = "9lives";
	ck_assert_int_eq(backup_build_create("b", BACKUP_FLAVOUR_06, &q, &rq, err, sizeof err), -1);
	q.name = "two words";
	ck_assert_int_eq(backup_build_create("b", BACKUP_FLAVOUR_06, &q, &rq, err, sizeof err), -1);
	q.name = "ok_name";
	q.request_id = "bad id";
	ck_assert_int_eq(backup_build_create("b", BACKUP_FLAVOUR_06, &q, &rq, err, sizeof err), -1);
	ck_assert_int_eq(backup_name_check("_a1", err, sizeof err), 0);
	ck_assert_int_eq(backup_name_check("a-b", err, sizeof err), -1);
}
END_TEST

START_TEST(test_build_restore)
{
	static const char *const renames[] = { "docs", "db2.docs_r", NULL };
	struct backup_restore_req q = { .backup_name = "nightly_1", .request_id = "rid-2",
	    .collections = colls, .renames = renames, .rebuild_index = true,
	    .drop_exist_index = true };
	struct backup_request rq;
	char err[256];

	ck_assert_int_eq(backup_build_restore("http://b", &q, &rq, err, sizeof err), 0);
	ck_assert_str_eq(rq.url, "http://b/api/v1/restore");
	ck_assert_str_eq(rq.body, "{\"requestId\":\"rid-2\",\"id\":\"rid-2\",\"backup_name\":"
	    "\"nightly_1\",\"async\":true,\"db_collections\":{\"default\":[\"docs\"],\"db2\":"
	    "[\"logs\",\"events\"],\"db3\":[]},\"collection_renames\":{\"docs\":\"db2.docs_r\"},"
	    "\"restoreIndex\":true,\"dropExistIndex\":true}");
	backup_request_release(&rq);

	q.id = "restore_7";
	q.renames = NULL;
	q.collections = NULL;
	q.suffix = "_r";
	ck_assert_int_eq(backup_build_restore("http://b", &q, &rq, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(rq.body, "\"id\":\"restore_7\""));
	ck_assert_ptr_nonnull(strstr(rq.body, "\"collection_suffix\":\"_r\""));
	backup_request_release(&rq);

	q.renames = renames;
	ck_assert_int_eq(backup_build_restore("http://b", &q, &rq, err, sizeof err), -1);
	q.renames = NULL;
	q.suffix = "a-b";
	ck_assert_int_eq(backup_build_restore("http://b", &q, &rq, err, sizeof err), -1);
	q.suffix = NULL;
	q.drop_exist_collection = q.skip_create_collection = true;
	ck_assert_int_eq(backup_build_restore("http://b", &q, &rq, err, sizeof err), -1);
}
END_TEST

START_TEST(test_build_gets)
{
	struct backup_request rq;
	char err[256];

	ck_assert_int_eq(backup_build_get("http://b", "nightly_1", "g1", &rq, err, sizeof err), 0);
	ck_assert_str_eq(rq.method, "GET");
	ck_assert_str_eq(rq.url, "http://b/api/v1/get_backup?backup_name=nightly_1");
	ck_assert_str_eq(rq.request_id, "g1");
	ck_assert_ptr_null(rq.body);
	backup_request_release(&rq);
	/* Names made by the CLI may hold any letters: escaped. */
	ck_assert_int_eq(backup_build_get("http://b", "n\xc3\xa4&x", NULL, &rq, err, sizeof err), 0);
	ck_assert_str_eq(rq.url, "http://b/api/v1/get_backup?backup_name=n%C3%A4%26x");
	ck_assert_uint_eq(strlen(rq.request_id), 36);
	backup_request_release(&rq);
	ck_assert_int_eq(backup_build_get("http://b", "a\nb", NULL, &rq, err, sizeof err), -1);

	ck_assert_int_eq(backup_build_get_task("http://b", "c0ffee-1", "g2", &rq, err,
	    sizeof err), 0);
	ck_assert_str_eq(rq.url, "http://b/api/v1/get_backup?backup_id=c0ffee-1");
	backup_request_release(&rq);
	ck_assert_int_eq(backup_build_list("http://b", "g3", &rq, err, sizeof err), 0);
	ck_assert_str_eq(rq.url, "http://b/api/v1/list");
	ck_assert_str_eq(rq.request_id, "g3");
	backup_request_release(&rq);
	ck_assert_int_eq(backup_build_delete("http://b", "nightly_1", "g4", &rq, err,
	    sizeof err), 0);
	ck_assert_str_eq(rq.method, "DELETE");
	ck_assert_str_eq(rq.url, "http://b/api/v1/delete?backup_name=nightly_1");
	backup_request_release(&rq);
	ck_assert_int_eq(backup_build_get_restore("http://b", "rs-1", "g5", &rq, err,
	    sizeof err), 0);
	ck_assert_str_eq(rq.url, "http://b/api/v1/get_restore?id=rs-1");
	backup_request_release(&rq);
	/* An empty id is code 3 on the server: refused here. */
	ck_assert_int_eq(backup_build_get_restore("http://b", "", "g6", &rq, err, sizeof err), -1);
	ck_assert_int_eq(backup_build_probe("http://b", NULL, &rq, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(rq.url, "/api/v1/get_backup?backup_name=milvusadm_probe_"));
	backup_request_release(&rq);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-api");
	TCase *quirks = tcase_create("quirks"), *build = tcase_create("build");

	tcase_add_test(quirks, test_code_omitted_and_times);
	tcase_add_test(quirks, test_snake_and_camel);
	tcase_add_test(quirks, test_states_int_and_string);
	tcase_add_test(quirks, test_get_unknown_name);
	tcase_add_test(quirks, test_stored_reads_as_stored);
	tcase_add_test(quirks, test_snapshot_format);
	tcase_add_test(quirks, test_older_full_records);
	tcase_add_test(quirks, test_progress_100_only_on_success);
	tcase_add_test(quirks, test_create_answers);
	tcase_add_test(quirks, test_storage_not_ready);
	tcase_add_test(quirks, test_empty_500_is_the_crash);
	tcase_add_test(quirks, test_task_lost_vs_not_found);
	tcase_add_test(quirks, test_restore_answers);
	tcase_add_test(quirks, test_list_and_delete);
	tcase_add_test(quirks, test_probe_and_hello);
	tcase_add_test(quirks, test_garbage);
	suite_add_tcase(s, quirks);
	tcase_add_test(build, test_build_create);
	tcase_add_test(build, test_build_restore);
	tcase_add_test(build, test_build_gets);
	suite_add_tcase(s, build);
	return s;
}
