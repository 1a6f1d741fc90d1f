/* SPDX-License-Identifier: MIT */
/* The 9091 client under common.security.adminAuthEnabled (contract 4.4, 10):
 * root's basic auth goes to the routes it protects and nowhere else, and
 * 401, 403 and 503 there become errors that say what to do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <microhttpd.h>

#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_mgmt.h"

static struct MHD_Daemon *srv;
static char base_buf[8][96];
static char last_auth[256];
static unsigned port;

/* Answers with the status the path's first segment names ("/s401/..."). */
static enum MHD_Result
on_req(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	const char *body = strstr(url, "_qc/replica") != NULL ? "[]" : "{\"msg\": \"OK\"}";
	struct MHD_Response *r;
	unsigned status = 200;
	enum MHD_Result ret;

	(void)cls, (void)method, (void)version, (void)upload;
	if (*ctx == NULL) {
		*ctx = conn;
		return MHD_YES;
	}
	if (*upload_len != 0) {
		*upload_len = 0;	/* a GET's JSON body: read, not needed */
		return MHD_YES;
	}
	snprintf(last_auth, sizeof last_auth, "%s", auth != NULL ? auth : "");
	if (strncmp(url, "/s", 2) == 0)
		status = (unsigned)atoi(url + 2);
	if (status != 200)
		body = "{\"msg\": \"denied\"}";
	r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void
setup(void)
{
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_req, NULL,
	    MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	port = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT)->port;
}

static void
teardown(void)
{
	MHD_stop_daemon(srv);
}

static const char *
base(int i, const char *prefix)
{
	snprintf(base_buf[i], sizeof base_buf[i], "http://127.0.0.1:%u%s", port, prefix);
	return base_buf[i];
}

static struct milvus_mgmt *
client(struct loop *l, const char *user, const char *pass, const char *token)
{
	struct milvus_mgmt_opts o;

	memset(&o, 0, sizeof o);
	o.admin_user = user;
	o.admin_password = pass;
	o.token = token;
	o.timeout_ms = 2000;
	return milvus_mgmt_new(l, &o);
}

START_TEST(test_no_credentials)
{
	struct loop *l = loop_new();
	struct milvus_mgmt *m = client(l, NULL, NULL, NULL);
	struct milvus_mgmt_result *r;

	r = milvus_mgmt_stop_sync(m, base(0, "/s401"), "querynode");
	ck_assert_int_eq(r->err, MGMT_EAUTH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "requires authentication "
	    "(common.security.adminAuthEnabled, HTTP 401): set milvus.admin_user and "
	    "milvus.admin_password_file"));
	ck_assert_str_eq(last_auth, "");
	milvus_mgmt_result_free(r);
	r = milvus_mgmt_replicas_sync(m, base(1, "/s403"), NULL);
	ck_assert_int_eq(r->err, MGMT_EAUTH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "HTTP 403): set milvus.admin_user"));
	milvus_mgmt_result_free(r);
	milvus_mgmt_free(m);
	loop_free(l);
}
END_TEST

START_TEST(test_credentials_where_protected)
{
	struct loop *l = loop_new();
	struct milvus_mgmt *m = client(l, "root", "s3cret", "tok");
	struct milvus_mgmt_result *r;
	struct milvus_replica_query q;

	/* root:s3cret */
	r = milvus_mgmt_stop_sync(m, base(0, ""), "querynode");
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_str_eq(last_auth, "Basic cm9vdDpzM2NyZXQ=");
	milvus_mgmt_result_free(r);
	r = milvus_mgmt_replicas_sync(m, base(0, ""), NULL);
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_str_eq(last_auth, "Basic cm9vdDpzM2NyZXQ=");
	milvus_mgmt_result_free(r);
	/* Open routes get no password; the legacy /api/v1 keeps the token. */
	r = milvus_mgmt_check_ready_sync(m, base(0, ""), "querynode");
	ck_assert_int_eq(r->err, MGMT_OK);
	ck_assert_str_eq(last_auth, "");
	milvus_mgmt_result_free(r);
	r = milvus_mgmt_healthz_sync(m, base(0, "/s500"));
	ck_assert_str_eq(last_auth, "");
	milvus_mgmt_result_free(r);
	memset(&q, 0, sizeof q);
	q.collection_id = 7;
	r = milvus_mgmt_replicas_sync(m, base(0, "/s401"), &q);
	ck_assert_str_eq(last_auth, "Bearer tok");
	ck_assert_int_eq(r->err, MGMT_EAUTH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "refused the credentials (HTTP 401)"));
	milvus_mgmt_result_free(r);
	milvus_mgmt_free(m);
	loop_free(l);
}
END_TEST

START_TEST(test_refused_and_unavailable)
{
	struct loop *l = loop_new();
	struct milvus_mgmt *m = client(l, "root", "s3cret", NULL);
	struct milvus_mgmt_result *r;

	r = milvus_mgmt_stop_sync(m, base(0, "/s401"), "querynode");
	ck_assert_int_eq(r->err, MGMT_EAUTH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "refused the credentials of "
	    "milvus.admin_user 'root' (HTTP 401)"));
	ck_assert_ptr_null(strstr(r->errmsg, "s3cret"));
	milvus_mgmt_result_free(r);
	r = milvus_mgmt_stop_sync(m, base(0, "/s403"), "querynode");
	ck_assert_int_eq(r->err, MGMT_EAUTH);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "(HTTP 403): it needs the root user"));
	milvus_mgmt_result_free(r);
	/* A worker that cannot reach mixcoord to check the password. */
	r = milvus_mgmt_stop_sync(m, base(0, "/s503"), "querynode");
	ck_assert_int_eq(r->err, MGMT_EUNREACHABLE);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "cannot check the admin credentials now "
	    "(HTTP 503"));
	milvus_mgmt_result_free(r);
	milvus_mgmt_free(m);
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("mgmt-auth");
	TCase *tc = tcase_create("mgmt-auth");

	http_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_no_credentials);
	tcase_add_test(tc, test_credentials_where_protected);
	tcase_add_test(tc, test_refused_and_unavailable);
	suite_add_tcase(s, tc);
	return s;
}
