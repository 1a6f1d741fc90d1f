/* SPDX-License-Identifier: MIT */
/* Unit tests for the Milvus 9091 and REST v2 clients against a libmicrohttpd
 * server on 127.65.0.1 (in its own thread) serving the contract's bodies. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/prom.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#include "milvus-canned.h"
#include "rest-fake.h"

static char last_body[4096];
static char last_auth[256];
static char last_role[64];

static const char *
rest_answer(const char *op, const char *body, unsigned *code)
{
	if (strstr(body, "\"dbName\":\"nodb\"") != NULL)
		return "{\"code\":800,\"message\":\"database not found[database=nodb]\"}";
	if (strcmp(op, "databases/list") == 0)
		return "{\"code\":0,\"data\":[\"default\",\"db2\"]}";
	if (strcmp(op, "collections/list") == 0)
		return "{\"code\":0,\"data\":[\"docs\",\"logs\"]}";
	if (strstr(body, "\"collectionName\":\"docs\"") == NULL &&
	    strcmp(op, "aliases/list") != 0 && strcmp(op, "aliases/describe") != 0)
		return "{\"code\":100,\"message\":\"collection not found[collection=gone]\"}";
	if (strcmp(op, "collections/has") == 0)
		return "{\"code\":0,\"data\":{\"has\":true}}";
	if (strcmp(op, "collections/describe") == 0)
		return "{\"code\":0,\"data\":{\"collectionName\":\"docs\",\"collectionID\":" BIG_ID ","
		    "\"description\":\"\",\"autoId\":false,\"fields\":[{\"name\":\"id\",\"id\":100,"
		    "\"type\":\"Int64\",\"primaryKey\":true,\"partitionKey\":false,\"autoId\":false,"
		    "\"description\":\"\",\"params\":[]},{\"name\":\"v\",\"id\":101,\"type\":"
		    "\"FloatVector\",\"primaryKey\":false,\"params\":[{\"key\":\"dim\",\"value\":\"8\"}]}],"
		    "\"aliases\":[\"d\"],\"indexes\":[],\"load\":\"LoadStateLoaded\",\"shardsNum\":2,"
		    "\"partitionsNum\":1,\"consistencyLevel\":\"Bounded\",\"enableDynamicField\":true,"
		    "\"properties\":[{\"key\":\"collection.ttl.seconds\",\"value\":\"86400\"}]},"
		    "\"message\":\"\"}";
	if (strcmp(op, "collections/get_stats") == 0)
		return "{\"code\":0,\"data\":{\"rowCount\":1000}}";
	if (strcmp(op, "entities/insert") == 0)
		return "{\"code\":0,\"data\":{\"insertCount\":1234,\"insertIds\":[7]}}";
	if (strcmp(op, "collections/get_load_state") == 0)
		return "{\"code\":0,\"data\":{\"loadState\":\"LoadStateLoading\",\"loadProgress\":42}}";
	if (strcmp(op, "collections/drop") == 0 || strcmp(op, "collections/load") == 0 ||
	    strcmp(op, "collections/release") == 0)
		return "{\"code\":0,\"data\":{}}";
	if (strcmp(op, "aliases/list") == 0)
		return "{\"code\":0,\"data\":[\"d\"]}";
	if (strcmp(op, "aliases/describe") == 0)
		return "{\"code\":0,\"data\":{\"dbName\":\"default\",\"collectionName\":\"docs\","
		    "\"aliasName\":\"d\"}}";
	if (strcmp(op, "entities/query") == 0)
		return "{\"code\":0,\"cost\":0,\"data\":[{\"count(*)\":1234}]}";
	*code = 404;
	return "404 page not found";
}

/* Every scenario by its path; runs in the fake's threads. */
static const char *
srv_answer(const char *url, const char *method, const char *upload, unsigned *status)
{
	const char *body = "", *ct, *auth, *role, *rest;
	unsigned code = 200;
	bool json;

	snprintf(last_body, sizeof last_body, "%s", upload);
	auth = rest_fake_header("Authorization");
	snprintf(last_auth, sizeof last_auth, "%s", auth != NULL ? auth : "");
	ct = rest_fake_header("Content-Type");
	json = ct != NULL && strcmp(ct, "application/json") == 0;
	role = rest_fake_arg("role");
	snprintf(last_role, sizeof last_role, "%s", role != NULL ? role : "");

	if (strncmp(url, "/slow/", 6) == 0 || strncmp(url, "/hang/", 6) == 0) {
		usleep(1200 * 1000);
		body = "{}";
	} else if (strcmp(url, "/healthy/healthz") == 0) {
		body = json ? "{\"state\":\"OK\",\"detail\":[{\"name\":\"querynode\",\"code\":1}]}" : "OK";
	} else if (strcmp(url, "/standby/healthz") == 0) {
		body = "{\"state\":\"OK\",\"detail\":[{\"name\":\"rootcoord\",\"code\":3}]}";
	} else if (strcmp(url, "/sick24/healthz") == 0) {
		code = 500;
		body = "{\"state\":\"Not all components are healthy, 1/2\",\"detail\":["
		    "{\"name\":\"rootcoord\",\"code\":1},{\"name\":\"datacoord\",\"code\":2}]}";
	} else if (strcmp(url, "/sick23/healthz") == 0) {
		code = 500;
		body = "component querynode state is Abnormal";
	} else if (strcmp(url, "/sick25/healthz") == 0) {
		code = 500;
		body = "Not all components are healthy, 0/1\n";
	} else if (strcmp(url, "/garbage/healthz") == 0) {
		body = "<html><body>hello</body></html>";
	} else if (strcmp(url, "/badjson/healthz") == 0) {
		body = "{\"state\":\"OK\",\"detail\":[{\"name\":1}]}";
	} else if (strcmp(url, "/healthy/management/check/ready") == 0) {
		body = "{\"msg\": \"OK\"}";
	} else if (strcmp(url, "/standby/management/check/ready") == 0) {
		code = 500;
		body = "{\"msg\": \"failed to to check component ready, state=StandBy\"}";
	} else if (strcmp(url, "/healthy/management/stop") == 0) {
		body = "{\"msg\": \"OK\"}";
	} else if (strcmp(url, "/standby/management/stop") == 0) {
		code = 500;
		body = "{\"msg\": \"failed to trigger component stop, no such role\"}";
	} else if (strcmp(url, "/healthy/metrics") == 0) {
		body = metrics_text;
	} else if (strncmp(url, "/auth/api/v1/", 13) == 0 &&
	    (auth == NULL || strcmp(auth, "Bearer root:Milvus") != 0)) {
		code = 401;
		body = "{\"code\":1800,\"message\":\"user hasn't authenticated\"}";
	} else if (strcmp(url, "/healthy/api/v1/replicas") == 0 ||
	    strcmp(url, "/auth/api/v1/replicas") == 0) {
		body = replicas_v1;
	} else if (strcmp(url, "/sick24/api/v1/replicas") == 0) {
		code = 500;
		body = "{\"error_code\":4,\"reason\":\"collection " BIG_ID " has not been loaded\"}";
	} else if (strcmp(url, "/healthy/api/v1/_qc/replica") == 0) {
		body = replicas_qc;
	} else if ((rest = strstr(url, "/v2/vectordb/")) != NULL) {
		rest += strlen("/v2/vectordb/");
		if (strcmp(method, "POST") != 0 || upload[0] == '\0') {
			body = "{\"code\":1801,\"message\":\"can only accept json format request\"}";
		} else if (strncmp(url, "/garbage/", 9) == 0) {
			body = "<html>oops</html>";
		} else if (strncmp(url, "/notready/", 10) == 0) {
			body = "{\"code\":1,\"message\":\"service not ready[Initializing]\"}";
		} else if (strncmp(url, "/bad502/", 8) == 0) {
			code = 502;
			body = "Bad Gateway";
		} else if (auth == NULL || strcmp(auth, "Bearer root:Milvus") != 0) {
			code = 401;
			body = "{\"code\":1800,\"message\":\"user hasn't authenticated\"}";
		} else
			body = rest_answer(rest, upload, &code);
	} else {
		code = 404;
		body = "404 page not found";
	}
	*status = code;
	return body;
}

static void
srv_start(void)
{
	(void)rest_fake_start("127.65.0.1", srv_answer);
}

static void
srv_stop(void)
{
	rest_fake_stop();
}

static char *
base(const char *scenario)
{
	static char b[128];

	snprintf(b, sizeof b, "http://127.65.0.1:%d/%s", rest_fake_port(), scenario);
	return b;
}

/* ---- 9091 client against the server --------------------------------------- */

static struct milvus_mgmt *
mgmt_client(struct loop *l, long timeout_ms, const char *token)
{
	struct milvus_mgmt_opts o;

	memset(&o, 0, sizeof o);
	o.timeout_ms = timeout_ms;
	o.token = token;
	return milvus_mgmt_new(l, &o);
}

START_TEST(test_mgmt_healthz)
{
	struct loop *l = loop_new();
	struct milvus_mgmt *m = mgmt_client(l, 500, NULL);
	struct milvus_mgmt_result *r;
	char want[256];
	int64_t t0;

	r = milvus_mgmt_healthz_sync(m, base("healthy"));
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert(r->healthz.healthy && r->healthz.json);
	ck_assert_uint_eq(r->healthz.n_detail, 1);
	ck_assert_str_eq(r->healthz.detail[0].name, "querynode");
	ck_assert_int_eq(r->healthz.detail[0].code, MILVUS_STATE_HEALTHY);
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("standby"));
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert(r->healthz.healthy);
	ck_assert_int_eq(r->healthz.http_status, 200);
	ck_assert_int_eq(r->healthz.detail[0].code, MILVUS_STATE_STANDBY);
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("sick24"));
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert(!r->healthz.healthy && r->healthz.json);
	ck_assert_str_eq(r->healthz.state, "Not all components are healthy, 1/2");
	ck_assert_uint_eq(r->healthz.n_detail, 2);
	ck_assert_int_eq(r->healthz.detail[1].code, MILVUS_STATE_ABNORMAL);
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("sick23"));
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert(!r->healthz.healthy && !r->healthz.json);
	ck_assert_str_eq(r->healthz.state, "component querynode state is Abnormal");
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("sick25"));
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_str_eq(r->healthz.state, "Not all components are healthy, 0/1");
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("garbage"));
	ck_assert_int_eq(r->err, MGMT_EPROTO);
	snprintf(want, sizeof want, "malformed healthz body from '%s/healthz'", base("garbage"));
	ck_assert_str_eq(r->errmsg, want);
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("badjson"));
	ck_assert_int_eq(r->err, MGMT_EPROTO);
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, base("nothing"));
	ck_assert_int_eq(r->err, MGMT_EHTTP);
	snprintf(want, sizeof want, "'%s/healthz' answered HTTP 404", base("nothing"));
	ck_assert_str_eq(r->errmsg, want);
	milvus_mgmt_result_free(r);

	t0 = time_mono_ms();
	r = milvus_mgmt_healthz_sync(m, base("slow"));
	ck_assert_int_lt(time_mono_ms() - t0, 1100);
	ck_assert_int_eq(r->err, MGMT_EUNREACHABLE);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "did not answer within 500 ms"));
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, "127.65.0.1:1");
	ck_assert_int_eq(r->err, MGMT_EUNREACHABLE);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "cannot reach 'http://127.65.0.1:1/healthz'"));
	ck_assert_ptr_null(strchr(r->errmsg, '\n'));
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_healthz_sync(m, "127.65.0.1:1/\x1b[2J");
	ck_assert_int_eq(r->err, MGMT_EINVAL);
	milvus_mgmt_result_free(r);
	milvus_mgmt_free(m);

	/* Bodies beyond the size limit fail the call instead of growing memory. */
	{
		struct milvus_mgmt_opts o;

		memset(&o, 0, sizeof o);
		o.max_response = 16;
		m = milvus_mgmt_new(l, &o);
	}
	r = milvus_mgmt_healthz_sync(m, base("sick24"));
	ck_assert_int_eq(r->err, MGMT_EPROTO);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "is larger than 16 bytes"));
	milvus_mgmt_result_free(r);
	milvus_mgmt_free(m);
	loop_free(l);
}
END_TEST

START_TEST(test_mgmt_ready_stop_metrics)
{
	static const char *const keep[] = { "milvus_num_node", NULL };
	struct loop *l = loop_new();
	struct milvus_mgmt *m = mgmt_client(l, 2000, NULL);
	struct milvus_mgmt_result *r;

	r = milvus_mgmt_check_ready_sync(m, base("healthy"), "rootcoord");
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert(r->ready);
	ck_assert_str_eq(last_role, "rootcoord");
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_check_ready_sync(m, base("standby"), "rootcoord");
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert(!r->ready);
	ck_assert_int_eq(r->http_status, 500);
	ck_assert_ptr_nonnull(strstr(r->msg, "StandBy"));
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_check_ready_sync(m, base("healthy"), "root coord");
	ck_assert_int_eq(r->err, MGMT_EINVAL);
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_stop_sync(m, base("healthy"), "proxy");
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_str_eq(last_role, "proxy");
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_stop_sync(m, base("standby"), "mixcoord");
	ck_assert_int_eq(r->err, MGMT_ESERVER);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "refused: failed to trigger component stop"));
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_metrics_sync(m, base("healthy"), keep);
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_uint_eq(r->metrics.n, 3);
	ck_assert_ptr_nonnull(prom_find(&r->metrics, "milvus_num_node", "role_name", "rootcoord"));
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_metrics_sync(m, base("nothing"), NULL);
	ck_assert_int_eq(r->err, MGMT_EHTTP);
	milvus_mgmt_result_free(r);

	milvus_mgmt_free(m);
	loop_free(l);
}
END_TEST

START_TEST(test_mgmt_replicas)
{
	struct loop *l = loop_new();
	struct milvus_mgmt *m = mgmt_client(l, 2000, NULL);
	struct milvus_mgmt *ma = mgmt_client(l, 2000, "root:Milvus");
	struct milvus_replica_query q;
	struct milvus_mgmt_result *r;

	memset(&q, 0, sizeof q);
	q.collection_id = BIG_ID_NUM;
	r = milvus_mgmt_replicas_sync(m, base("healthy"), &q);
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_uint_eq(r->n_replicas, 2);
	ck_assert(r->replicas[0].id == BIG_ID_NUM);
	/* The request body carries the exact ID, on a GET. */
	ck_assert_str_eq(last_body, "{\"collectionID\":" BIG_ID ",\"with_shard_nodes\":true}");
	ck_assert_str_eq(last_auth, "");
	milvus_mgmt_result_free(r);

	memset(&q, 0, sizeof q);
	q.collection_name = "docs";
	r = milvus_mgmt_replicas_sync(m, base("auth"), &q);
	ck_assert_int_eq(r->err, MGMT_EAUTH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "(HTTP 401)"));
	milvus_mgmt_result_free(r);
	r = milvus_mgmt_replicas_sync(ma, base("auth"), &q);
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_str_eq(last_body, "{\"collection_name\":\"docs\",\"db_name\":\"default\","
	    "\"with_shard_nodes\":true}");
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_replicas_sync(m, base("sick24"), &q);
	ck_assert_int_eq(r->err, MGMT_ESERVER);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "has not been loaded"));
	milvus_mgmt_result_free(r);

	r = milvus_mgmt_replicas_sync(m, base("healthy"), NULL);
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_uint_eq(r->n_replicas, 2);
	ck_assert_uint_eq(r->replicas[0].n_ro_nodes, 1);
	milvus_mgmt_result_free(r);

	/* A 2.4 proxy has no /_qc/replica. */
	memset(&q, 0, sizeof q);
	q.source = MILVUS_REPLICAS_QC;
	r = milvus_mgmt_replicas_sync(m, base("sick24"), &q);
	ck_assert_int_eq(r->err, MGMT_EHTTP);
	milvus_mgmt_result_free(r);

	milvus_mgmt_free(ma);
	milvus_mgmt_free(m);
	loop_free(l);
}
END_TEST

static int async_calls;

static void
async_cb(const struct milvus_mgmt_result *res, void *arg)
{
	ck_assert_int_eq(res->err, MGMT_OK);
	async_calls++;
	if (async_calls == 3)
		*(int *)arg = 1;
}

static void
never_cb(const struct milvus_mgmt_result *res, void *arg)
{
	ck_abort_msg("callback after free");
}

START_TEST(test_mgmt_async_and_cancel)
{
	struct loop *l = loop_new();
	struct milvus_mgmt *m = mgmt_client(l, 2000, NULL);
	int done = 0;

	async_calls = 0;
	ck_assert_int_eq(milvus_mgmt_healthz(m, base("healthy"), async_cb, &done), 0);
	ck_assert_int_eq(milvus_mgmt_healthz(m, base("standby"), async_cb, &done), 0);
	ck_assert_int_eq(milvus_mgmt_metrics(m, base("healthy"), NULL, async_cb, &done), 0);
	ck_assert_int_eq(async_calls, 0);	/* never from inside the call */
	ck_assert_int_eq(loop_run_until(l, &done, 5000), 0);
	ck_assert_int_eq(milvus_mgmt_healthz(m, base("slow"), never_cb, NULL), 0);
	ck_assert_int_eq(milvus_mgmt_healthz(m, NULL, never_cb, NULL), -1);
	milvus_mgmt_free(m);
	done = 0;
	loop_run_until(l, &done, 100);
	loop_free(l);
}
END_TEST

/* ---- REST v2 -------------------------------------------------------------- */

static struct milvus_rest *
rest_client(struct loop *l, const char *const *uris, const char *token, long timeout_ms)
{
	struct milvus_rest_opts o;
	struct milvus_rest *r;
	char err[128];

	memset(&o, 0, sizeof o);
	o.uris = uris;
	o.token = token;
	o.timeout_ms = timeout_ms;
	r = milvus_rest_new(l, &o, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_rest_calls)
{
	struct loop *l = loop_new();
	char ok[160];
	const char *uris[] = { ok, NULL };
	struct milvus_rest *r;
	struct milvus_rest_result *res;

	snprintf(ok, sizeof ok, "%s/", base("ok"));
	r = rest_client(l, uris, "root:Milvus", 2000);

	res = milvus_rest_databases_list_sync(r);
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_uint_eq(res->n_names, 2);
	ck_assert_str_eq(res->names[1], "db2");
	ck_assert_str_eq(last_body, "{}");
	ck_assert_str_eq(last_auth, "Bearer root:Milvus");
	milvus_rest_result_free(res);

	res = milvus_rest_collections_list_sync(r, "default");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_uint_eq(res->n_names, 2);
	ck_assert_str_eq(last_body, "{\"dbName\":\"default\"}");
	milvus_rest_result_free(res);

	res = milvus_rest_collection_has_sync(r, NULL, "docs");
	ck_assert(res->err == MREST_OK && res->has);
	ck_assert_str_eq(last_body, "{\"collectionName\":\"docs\"}");
	milvus_rest_result_free(res);

	res = milvus_rest_collection_describe_sync(r, "default", "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert(res->info.id == BIG_ID_NUM);
	ck_assert_str_eq(res->info.name, "docs");
	ck_assert_uint_eq(res->info.n_fields, 2);
	ck_assert(res->info.fields[0].primary_key);
	ck_assert_str_eq(res->info.fields[1].type, "FloatVector");
	ck_assert_int_eq(res->info.fields[1].dim, 8);
	ck_assert_int_eq(res->info.fields[0].dim, 0);
	ck_assert_uint_eq(res->info.n_aliases, 1);
	ck_assert_str_eq(res->info.load_state, "LoadStateLoaded");
	ck_assert_int_eq(res->info.shards_num, 2);
	ck_assert_str_eq(res->info.properties[0].value, "86400");
	milvus_rest_result_free(res);

	res = milvus_rest_collection_stats_sync(r, NULL, "docs");
	ck_assert(res->err == MREST_OK && res->row_count == 1000);
	milvus_rest_result_free(res);

	res = milvus_rest_collection_load_state_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(res->load_state, "LoadStateLoading");
	ck_assert_int_eq(res->load_progress, 42);
	milvus_rest_result_free(res);

	res = milvus_rest_collection_load_state_sync(r, NULL, "gone");
	ck_assert_int_eq(res->err, MREST_ESERVER);
	ck_assert_int_eq(res->code, MREST_CODE_COLLECTION_NOT_FOUND);
	ck_assert_str_eq(res->message, "collection not found[collection=gone]");
	ck_assert_str_eq(res->errmsg, "collection not found[collection=gone] (code 100)");
	milvus_rest_result_free(res);

	res = milvus_rest_collections_list_sync(r, "nodb");
	ck_assert_int_eq(res->code, MREST_CODE_DATABASE_NOT_FOUND);
	milvus_rest_result_free(res);

	res = milvus_rest_collection_load_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	milvus_rest_result_free(res);
	res = milvus_rest_collection_release_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	milvus_rest_result_free(res);
	res = milvus_rest_collection_drop_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	milvus_rest_result_free(res);

	res = milvus_rest_aliases_list_sync(r, NULL, NULL);
	ck_assert(res->err == MREST_OK && res->n_names == 1);
	milvus_rest_result_free(res);
	res = milvus_rest_alias_describe_sync(r, NULL, "d");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(res->alias, "d");
	ck_assert_str_eq(res->collection, "docs");
	milvus_rest_result_free(res);

	res = milvus_rest_count_sync(r, NULL, "docs", NULL);
	ck_assert(res->err == MREST_OK && res->row_count == 1234);
	ck_assert_str_eq(last_body, "{\"collectionName\":\"docs\",\"filter\":\"\","
	    "\"outputFields\":[\"count(*)\"]}");
	milvus_rest_result_free(res);

	res = milvus_rest_collection_has_sync(r, NULL, "");
	ck_assert_int_eq(res->err, MREST_EINVAL);
	milvus_rest_result_free(res);

	milvus_rest_free(r);
	loop_free(l);
}
END_TEST

START_TEST(test_rest_errors)
{
	struct loop *l = loop_new();
	char u[128], want[256];
	const char *uris[] = { u, NULL };
	struct milvus_rest *r;
	struct milvus_rest_result *res;
	int64_t t0;

	snprintf(u, sizeof u, "%s", base("ok"));
	r = rest_client(l, uris, NULL, 2000);
	res = milvus_rest_collections_list_sync(r, NULL);
	ck_assert_int_eq(res->err, MREST_EAUTH);
	ck_assert_int_eq(res->code, MREST_CODE_UNAUTHENTICATED);
	ck_assert_int_eq(res->http_status, 401);
	ck_assert_ptr_nonnull(strstr(res->errmsg, "user hasn't authenticated (HTTP 401, code 1800)"));
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	snprintf(u, sizeof u, "%s", base("garbage"));
	r = rest_client(l, uris, "root:Milvus", 2000);
	res = milvus_rest_collections_list_sync(r, NULL);
	ck_assert_int_eq(res->err, MREST_EPROTO);
	snprintf(want, sizeof want, "malformed collections/list answer from proxy '%s'", u);
	ck_assert_str_eq(res->errmsg, want);
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	snprintf(u, sizeof u, "%s", base("bad502"));
	r = rest_client(l, uris, "root:Milvus", 2000);
	res = milvus_rest_collections_list_sync(r, NULL);
	ck_assert_int_eq(res->err, MREST_EHTTP);
	snprintf(want, sizeof want, "proxy '%s' answered HTTP 502", u);
	ck_assert_str_eq(res->errmsg, want);
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	snprintf(u, sizeof u, "%s", base("hang"));
	r = rest_client(l, uris, "root:Milvus", 400);
	t0 = time_mono_ms();
	res = milvus_rest_collections_list_sync(r, NULL);
	ck_assert_int_lt(time_mono_ms() - t0, 1000);
	ck_assert_int_eq(res->err, MREST_EUNREACHABLE);
	snprintf(want, sizeof want, "proxy '%s' did not answer within 400 ms", u);
	ck_assert_str_eq(res->errmsg, want);
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	loop_free(l);
}
END_TEST

START_TEST(test_rest_failover)
{
	struct loop *l = loop_new();
	char ok[160];
	const char *uris[] = { "http://127.65.0.1:1", "127.65.0.1:2", ok, NULL };
	const char *dead[] = { "http://127.65.0.1:1", "http://user:secret@127.65.0.1:2", NULL };
	char bad[160], hang[160];
	const char *gw[] = { bad, ok, NULL };
	const char *hung[] = { hang, ok, NULL };
	struct milvus_rest *r;
	struct milvus_rest_result *res;
	char err[128];
	struct milvus_rest_opts o;

	snprintf(ok, sizeof ok, "%s", base("ok"));
	r = rest_client(l, uris, "root:Milvus", 2000);
	res = milvus_rest_collection_stats_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(res->uri, ok);
	ck_assert_str_eq(milvus_rest_uri(r), ok);
	milvus_rest_result_free(res);
	/* The proxy that answered is tried first from now on. */
	res = milvus_rest_collection_drop_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	r = rest_client(l, dead, "root:Milvus", 2000);
	res = milvus_rest_databases_list_sync(r);
	ck_assert_int_eq(res->err, MREST_EUNREACHABLE);
	ck_assert_ptr_null(strstr(res->errmsg, "secret"));
	ck_assert_ptr_null(strstr(res->errmsg, "Milvus"));
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	/* Reads move on past a gateway error and a hung proxy; a drop does not,
	 * since the first proxy may already have dropped. */
	snprintf(bad, sizeof bad, "%s", base("bad502"));
	snprintf(hang, sizeof hang, "%s", base("hang"));
	r = rest_client(l, gw, "root:Milvus", 300);
	res = milvus_rest_collections_list_sync(r, NULL);
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(res->uri, ok);
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	snprintf(bad, sizeof bad, "%s", base("notready"));
	r = rest_client(l, gw, "root:Milvus", 300);
	res = milvus_rest_collection_describe_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(res->uri, ok);
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	r = rest_client(l, gw, "root:Milvus", 300);
	res = milvus_rest_collection_release_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_ESERVER);
	ck_assert_int_eq(res->code, MREST_CODE_SERVICE_NOT_READY);
	ck_assert_str_eq(res->errmsg, "service not ready[Initializing] (code 1)");
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	r = rest_client(l, hung, "root:Milvus", 300);
	res = milvus_rest_collection_stats_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_OK);
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	r = rest_client(l, hung, "root:Milvus", 300);
	res = milvus_rest_collection_drop_sync(r, NULL, "docs");
	ck_assert_int_eq(res->err, MREST_EUNREACHABLE);
	ck_assert_str_eq(res->uri, hang);
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	memset(&o, 0, sizeof o);
	ck_assert_ptr_null(milvus_rest_new(l, &o, err, sizeof err));
	ck_assert_str_eq(err, "no proxy uri configured");
	loop_free(l);
}
END_TEST

static int rest_async_seen;

static void
rest_async_cb(const struct milvus_rest_result *res, void *arg)
{
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_int_eq(res->row_count, 1234);
	rest_async_seen++;
	*(int *)arg = 1;
}

static void
rest_never_cb(const struct milvus_rest_result *res, void *arg)
{
	ck_abort_msg("callback after free");
}

START_TEST(test_rest_async_and_cancel)
{
	struct loop *l = loop_new();
	char ok[160];
	const char *uris[] = { ok, NULL };
	struct milvus_rest *r;
	int done = 0;

	snprintf(ok, sizeof ok, "%s", base("ok"));
	r = rest_client(l, uris, "root:Milvus", 2000);
	rest_async_seen = 0;
	ck_assert_int_eq(milvus_rest_count(r, "default", "docs", "id > 0", rest_async_cb, &done), 0);
	ck_assert_int_eq(rest_async_seen, 0);
	ck_assert_int_eq(loop_run_until(l, &done, 5000), 0);
	ck_assert_int_eq(rest_async_seen, 1);
	ck_assert_str_eq(last_body, "{\"dbName\":\"default\",\"collectionName\":\"docs\","
	    "\"filter\":\"id > 0\",\"outputFields\":[\"count(*)\"]}");
	/* An insert: the rows as given under "data"; insertCount as row_count. */
	done = 0;
	ck_assert_int_eq(milvus_rest_insert(r, "default", "docs", "[{\"id\":7}]", rest_async_cb,
	    &done), 0);
	ck_assert_int_eq(loop_run_until(l, &done, 5000), 0);
	ck_assert_int_eq(rest_async_seen, 2);
	ck_assert_str_eq(last_body, "{\"dbName\":\"default\",\"collectionName\":\"docs\","
	    "\"data\":[{\"id\":7}]}");
	ck_assert_int_eq(milvus_rest_insert(r, NULL, "docs", "{}", rest_never_cb, NULL), -1);
	ck_assert_int_eq(milvus_rest_collection_stats(r, NULL, "docs", rest_never_cb, NULL), 0);
	ck_assert_int_eq(milvus_rest_collection_stats(r, NULL, NULL, rest_never_cb, NULL), -1);
	milvus_rest_free(r);
	done = 0;
	loop_run_until(l, &done, 100);
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("milvus-clients");
	TCase *net = tcase_create("clients");

	tcase_add_unchecked_fixture(net, srv_start, srv_stop);
	tcase_set_timeout(net, 30);
	tcase_add_test(net, test_mgmt_healthz);
	tcase_add_test(net, test_mgmt_ready_stop_metrics);
	tcase_add_test(net, test_mgmt_replicas);
	tcase_add_test(net, test_mgmt_async_and_cancel);
	tcase_add_test(net, test_rest_calls);
	tcase_add_test(net, test_rest_errors);
	tcase_add_test(net, test_rest_failover);
	tcase_add_test(net, test_rest_async_and_cancel);
	suite_add_tcase(s, net);
	return s;
}
