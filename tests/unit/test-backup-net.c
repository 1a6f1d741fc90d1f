/* SPDX-License-Identifier: MIT */
/* Unit tests for the milvus-backup client against a libmicrohttpd fake server
 * on 127.0.0.1 (in its own threads) serving the contract's bodies: version
 * detection once, request_id headers and bodies, 503 retries, errors. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backup_api.h"
#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"

#include "backup-canned.h"
#include "rest-fake.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char last_url[512], last_rid[160], last_body[2048], last_arg[256];
static int hits, busy_calls;

/* The answer of scenario scen ("v05", "v06", "busy", ...) to path. */
static const char *
scen_answer(const char *scen, const char *path, unsigned *code)
{
	const char *name = rest_fake_arg("backup_name");
	const char *id = rest_fake_arg("backup_id");

	if (strcmp(path, "/api/v1/hello") == 0) {
		if (strcmp(scen, "notbackup") != 0)
			return "Hello, This is backup service";
		*code = 404;
		return "404 page not found";
	}
	if (strcmp(path, "/api/v1/get_backup") == 0 && name != NULL &&
	    strncmp(name, "milvusadm_probe_", 16) == 0)
		return strcmp(scen, "v05early") == 0 ? get_404_05early :
		    strcmp(scen, "v05") == 0 ? get_empty_05 : get_3_06;
	if (strcmp(path, "/api/v1/get_backup") == 0 && id != NULL)
		return strcmp(id, "lost") == 0 ? task_lost : task_running;
	if (strcmp(path, "/api/v1/get_backup") == 0)
		return get_ok_05;
	if (strcmp(path, "/api/v1/create") == 0) {
		if (strcmp(scen, "crash") == 0) {
			*code = 500;
			return "";
		}
		if (strcmp(scen, "alwaysbusy") == 0 ||
		    (strcmp(scen, "busy") == 0 && busy_calls++ < 2))
			return create_503;
		return create_async;
	}
	if (strcmp(path, "/api/v1/list") == 0) {
		if (strcmp(scen, "gw503") == 0 && busy_calls++ < 1) {
			*code = 503;
			return "Service Unavailable";
		}
		return list_two;
	}
	if (strcmp(path, "/api/v1/delete") == 0)
		return delete_ok;
	if (strcmp(path, "/api/v1/restore") == 0 || strcmp(path, "/api/v1/get_restore") == 0)
		return restore_running;
	*code = 404;
	return "404 page not found";
}

/* Every request: recorded, then answered by its scenario (the first path
 * element). Runs in the fake's threads. */
static const char *
srv_answer(const char *url, const char *method, const char *upload, unsigned *code)
{
	const char *body, *rid, *arg, *slash;
	char scen[32];

	slash = strchr(url + 1, '/');
	snprintf(scen, sizeof scen, "%.*s", slash != NULL ? (int)(slash - url - 1) : 0, url + 1);
	rid = rest_fake_header("request_id");
	arg = rest_fake_arg("id");
	if (arg == NULL)
		arg = rest_fake_arg("backup_name");
	pthread_mutex_lock(&mu);
	hits++;
	snprintf(last_url, sizeof last_url, "%s %s", method, url);
	snprintf(last_rid, sizeof last_rid, "%s", rid != NULL ? rid : "");
	snprintf(last_arg, sizeof last_arg, "%s", arg != NULL ? arg : "");
	snprintf(last_body, sizeof last_body, "%s", upload);
	body = scen_answer(scen, slash != NULL ? slash : "", code);
	pthread_mutex_unlock(&mu);
	return body;
}
static void
srv_start(void)
{
	(void)rest_fake_start("127.0.0.1", srv_answer);
}

static void
srv_stop(void)
{
	rest_fake_stop();
}

static struct backup_api *
client(struct loop *l, const char *scen, long deadline_ms)
{
	struct backup_api_opts o;
	struct backup_api *a;
	char url[128], err[256];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/%s", rest_fake_port(), scen);
	memset(&o, 0, sizeof o);
	o.url = url;
	o.timeout_ms = 2000;
	o.retry_deadline_ms = deadline_ms;
	o.retry_backoff_ms = 20;
	a = backup_api_new(l, &o, err, sizeof err);
	ck_assert_msg(a != NULL, "%s", err);
	pthread_mutex_lock(&mu);
	hits = busy_calls = 0;
	pthread_mutex_unlock(&mu);
	return a;
}

static int
hits_now(void)
{
	int n;

	pthread_mutex_lock(&mu);
	n = hits;
	pthread_mutex_unlock(&mu);
	return n;
}

START_TEST(test_net_detect_once)
{
	static const struct { const char *scen; enum backup_flavour f; } cases[] = {
		{ "v05", BACKUP_FLAVOUR_05 }, { "v05early", BACKUP_FLAVOUR_05_EARLY },
		{ "v06", BACKUP_FLAVOUR_06 },
	};
	struct loop *l = loop_new();
	struct backup_result *r;
	struct backup_api *a;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		a = client(l, cases[i].scen, 1000);
		r = backup_api_detect_sync(a);
		ck_assert_msg(r->err == BACKUP_OK, "%s", r->errmsg);
		ck_assert_int_eq(r->flavour, cases[i].f);
		ck_assert(r->greeting);
		backup_result_free(r);
		ck_assert_int_eq(hits_now(), 2);
		r = backup_api_detect_sync(a);		/* from the cache */
		ck_assert_int_eq(r->flavour, cases[i].f);
		backup_result_free(r);
		ck_assert_int_eq(hits_now(), 2);
		ck_assert_int_eq(backup_api_flavour(a), cases[i].f);
		backup_api_free(a);
	}
	a = client(l, "notbackup", 1000);
	r = backup_api_detect_sync(a);
	ck_assert_int_eq(r->err, BACKUP_EHTTP);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "/api/v1/hello answered HTTP 404"));
	backup_result_free(r);
	backup_api_free(a);
	loop_free(l);
}
END_TEST

START_TEST(test_net_create_request_id)
{
	static const char *const one[] = { "db2.logs", NULL };
	struct backup_create_req q = { .name = "nightly_3", .collections = one };
	struct loop *l = loop_new();
	struct backup_api *a = client(l, "v06", 1000);
	struct backup_result *r;
	char want[128];

	r = backup_api_create_sync(a, &q);
	ck_assert_msg(r->err == BACKUP_OK, "%s", r->errmsg);
	ck_assert_int_eq(hits_now(), 3);		/* hello, probe, create */
	ck_assert_int_eq(r->attempts, 3);
	ck_assert_uint_eq(strlen(r->sent_id), 36);
	ck_assert_str_eq(last_rid, r->sent_id);	/* the header... */
	snprintf(want, sizeof want, "{\"requestId\":\"%s\",", r->sent_id);
	ck_assert_ptr_eq(strstr(last_body, want), last_body);	/* ...and the body */
	ck_assert_ptr_nonnull(strstr(last_body, "\"filter\":{\"db2\":{\"colls\":[\"logs\"]}}"));
	ck_assert_str_eq(r->brief.id, "c0ffee-3");
	backup_result_free(r);
	backup_api_free(a);

	a = client(l, "v05", 1000);
	q.request_id = "my-id-1";
	r = backup_api_create_sync(a, &q);
	ck_assert_int_eq(r->err, BACKUP_OK);
	ck_assert_str_eq(last_rid, "my-id-1");
	ck_assert_str_eq(r->sent_id, "my-id-1");
	ck_assert_ptr_nonnull(strstr(last_body, "\"db_collections\":{\"db2\":[\"logs\"]}"));
	backup_result_free(r);
	/* The flavour is known now: one request only. */
	r = backup_api_create_sync(a, &q);
	ck_assert_int_eq(hits_now(), 4);
	backup_result_free(r);
	backup_api_free(a);
	loop_free(l);
}
END_TEST

START_TEST(test_net_retry_503)
{
	struct backup_create_req q = { .name = "nightly_4" };
	struct loop *l = loop_new();
	struct backup_api *a = client(l, "busy", 5000);
	struct backup_result *r;

	r = backup_api_create_sync(a, &q);
	ck_assert_msg(r->err == BACKUP_OK, "%s", r->errmsg);
	ck_assert_int_eq(busy_calls, 3);		/* 503, 503, then registered */
	ck_assert_int_eq(r->attempts, 5);
	backup_result_free(r);
	backup_api_free(a);

	a = client(l, "alwaysbusy", 300);
	r = backup_api_create_sync(a, &q);
	ck_assert_int_eq(r->err, BACKUP_ENOTREADY);
	ck_assert(r->retryable);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "backup 'nightly_4': milvus-backup storage"));
	ck_assert_ptr_nonnull(strstr(r->errmsg, "(gave up after "));
	ck_assert_int_gt(hits_now(), 3);
	ck_assert_int_lt(hits_now(), 20);
	backup_result_free(r);
	backup_api_free(a);

	/* No deadline: no retry. */
	a = client(l, "alwaysbusy", -1);
	r = backup_api_create_sync(a, &q);
	ck_assert_int_eq(r->err, BACKUP_ENOTREADY);
	ck_assert_int_eq(hits_now(), 3);
	backup_result_free(r);
	backup_api_free(a);

	/* A gateway's bare 503 is retried for reads. */
	a = client(l, "gw503", 2000);
	r = backup_api_list_sync(a);
	ck_assert_msg(r->err == BACKUP_OK, "%s", r->errmsg);
	ck_assert_int_eq(r->attempts, 2);
	ck_assert_uint_eq(r->n_list, 2);
	backup_result_free(r);
	backup_api_free(a);
	loop_free(l);
}
END_TEST

static int async_calls;

static void
on_list(const struct backup_result *r, void *arg)
{
	async_calls++;
	*(int *)arg = r->err == BACKUP_OK ? 1 : -1;
}

START_TEST(test_net_calls)
{
	struct backup_restore_req q = { .backup_name = "nightly_1", .request_id = "rs-1" };
	struct loop *l = loop_new();
	struct backup_api *a = client(l, "v05", 1000);
	struct backup_result *r;
	int done = 0;

	r = backup_api_create_sync(a, &(struct backup_create_req){ .name = "n", .format =
	    BACKUP_FORMAT_SNAPSHOT });
	ck_assert_int_eq(r->err, BACKUP_EINVAL);	/* detected 0.5.x, which cannot */
	ck_assert_ptr_nonnull(strstr(r->errmsg, "offers no snapshot format"));
	backup_result_free(r);

	/* Known to be 0.5.x now: refused from the loop, not inside the call. */
	ck_assert_int_eq(backup_api_create(a, &(struct backup_create_req){ .name = "n",
	    .format = BACKUP_FORMAT_SNAPSHOT }, on_list, &done), 0);
	ck_assert_int_eq(async_calls, 0);
	loop_run_until(l, &done, 5000);
	ck_assert_int_eq(done, -1);
	ck_assert_int_eq(async_calls, 1);
	done = 0;
	async_calls = 0;

	r = backup_api_get_sync(a, "nightly_1");
	ck_assert_int_eq(r->err, BACKUP_OK);
	ck_assert_int_eq(r->brief.taken_ms, TAKEN_MS);
	backup_result_free(r);
	r = backup_api_get_task_sync(a, "lost");
	ck_assert_int_eq(r->err, BACKUP_ETASKLOST);
	ck_assert_ptr_eq(strstr(r->errmsg, "task 'lost': "), r->errmsg);
	backup_result_free(r);
	r = backup_api_restore_sync(a, &q);
	ck_assert_int_eq(r->err, BACKUP_OK);
	ck_assert_str_eq(last_rid, "rs-1");
	ck_assert_ptr_nonnull(strstr(last_body, "\"requestId\":\"rs-1\",\"id\":\"rs-1\""));
	backup_result_free(r);
	r = backup_api_get_restore_sync(a, "rs-1");
	ck_assert_int_eq(r->err, BACKUP_OK);
	ck_assert_str_eq(last_url, "GET /v05/api/v1/get_restore");
	ck_assert_str_eq(last_arg, "rs-1");
	ck_assert_uint_eq(strlen(last_rid), 36);	/* /get_restore makes none itself */
	backup_result_free(r);
	r = backup_api_delete_sync(a, "nightly_1");
	ck_assert_int_eq(r->err, BACKUP_OK);
	ck_assert_str_eq(last_url, "DELETE /v05/api/v1/delete");
	ck_assert_str_eq(last_arg, "nightly_1");
	backup_result_free(r);
	r = backup_api_get_sync(a, NULL);
	ck_assert_int_eq(r->err, BACKUP_EINVAL);
	backup_result_free(r);
	ck_assert_int_eq(backup_api_get(a, "", on_list, &done), -1);

	ck_assert_int_eq(backup_api_list(a, on_list, &done), 0);
	ck_assert_int_eq(async_calls, 0);		/* never from inside the call */
	loop_run_until(l, &done, 5000);
	ck_assert_int_eq(done, 1);
	ck_assert_int_eq(async_calls, 1);
	backup_api_free(a);

	a = client(l, "crash", 1000);
	r = backup_api_create_sync(a, &(struct backup_create_req){ .name = "dup", .synchronous =
	    true });
	ck_assert_int_eq(r->err, BACKUP_ECRASH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "backup 'dup': milvus-backup crashed on create"));
	backup_result_free(r);
	backup_api_free(a);
	loop_free(l);
}
END_TEST

START_TEST(test_net_unreachable)
{
	struct backup_api_opts o = { .url = "http://127.0.0.1:1", .timeout_ms = 1000 };
	struct loop *l = loop_new();
	struct backup_api *a;
	struct backup_result *r;
	char err[256];

	a = backup_api_new(l, &o, err, sizeof err);
	r = backup_api_list_sync(a);
	ck_assert_int_eq(r->err, BACKUP_EUNREACHABLE);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "cannot reach milvus-backup at "
	    "'http://127.0.0.1:1'"));
	backup_result_free(r);
	backup_api_free(a);
	o.url = "http://b:1/x y";
	ck_assert_ptr_null(backup_api_new(l, &o, err, sizeof err));
	o.url = "http://b";
	o.bearer = "t";
	o.basic_user = "u";
	ck_assert_ptr_null(backup_api_new(l, &o, err, sizeof err));
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-net");
	TCase *tc = tcase_create("net");

	tcase_add_unchecked_fixture(tc, srv_start, srv_stop);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_net_detect_once);
	tcase_add_test(tc, test_net_create_request_id);
	tcase_add_test(tc, test_net_retry_503);
	tcase_add_test(tc, test_net_calls);
	tcase_add_test(tc, test_net_unreachable);
	suite_add_tcase(s, tc);
	return s;
}

