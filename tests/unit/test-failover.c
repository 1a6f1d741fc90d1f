/* SPDX-License-Identifier: MIT */
/* Fail-over past hung servers (a socket that accepts and never answers, as a
 * SIGSTOPped etcd member or proxy does): etcd and the REST client answer
 * through the third of three servers within about one timeout, not one
 * timeout per hung server, and then keep to the one that answered. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/etcd.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/timeutil.h"
#include "hung-server.h"
#include "rest-fake.h"

#define SRV_IP		"127.66.0.1"
/* Each attempt's timeout. Sequential fail-over takes two of them before the
 * third server is asked; the bound sits halfway between one and two, with
 * room for a loaded two-core machine. */
#define TIMEOUT_MS	1000
#define BOUND_MS	(TIMEOUT_MS * 3 / 2)

static int srv_port;

/* etcd's range answer, or REST v2's collections/list, by path. */
static const char *
srv_answer(const char *url, const char *method, const char *body, unsigned *status)
{
	(void)method;
	(void)body;
	*status = 200;
	if (strstr(url, "/v3/kv/range") != NULL)
		return "{\"header\":{\"revision\":\"7\"},\"kvs\":[{\"key\":\"Zm9v\","
		    "\"value\":\"YmFy\",\"create_revision\":\"2\",\"mod_revision\":\"7\","
		    "\"version\":\"1\"}],\"count\":\"1\"}";
	if (strstr(url, "/v2/vectordb/collections/list") != NULL)
		return "{\"code\":0,\"data\":[\"docs\"]}";
	*status = 404;
	return "not found";
}

static void
srv_start(void)
{
	srv_port = rest_fake_start(SRV_IP, srv_answer);
}

static void
srv_stop(void)
{
	rest_fake_stop();
}

/* Three servers: two hung, then the fake answering under path. */
struct three {
	char h1[64], h2[64], ok[96];
	const char *list[4];
	int fd1, fd2;
};

static void
three_open(struct three *t, const char *path)
{
	t->fd1 = hung_server(t->h1, sizeof t->h1);
	t->fd2 = hung_server(t->h2, sizeof t->h2);
	snprintf(t->ok, sizeof t->ok, "http://%s:%d%s", SRV_IP, srv_port, path);
	t->list[0] = t->h1;
	t->list[1] = t->h2;
	t->list[2] = t->ok;
	t->list[3] = NULL;
}

static void
three_close(struct three *t)
{
	close(t->fd1);
	close(t->fd2);
}

START_TEST(test_etcd_hung_endpoints)
{
	struct three t;
	struct loop *l = loop_new();
	char err[256];
	struct etcd_opts o;
	struct etcd_result *res;
	struct etcd *e;
	int64_t t0, took;

	three_open(&t, "");
	memset(&o, 0, sizeof o);
	o.endpoints = t.list;
	o.timeout_ms = TIMEOUT_MS;
	e = etcd_new(l, &o, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	t0 = time_mono_ms();
	res = etcd_range_sync(e, "foo", NULL, 0, 0);
	took = time_mono_ms() - t0;
	ck_assert_msg(res->err == 0, "range failed: %s", res->errmsg);
	ck_assert_uint_eq(res->n_kvs, 1);
	ck_assert_str_eq(res->endpoint, t.ok);
	printf("# etcd: range past two hung endpoints in %lld ms (timeout %d ms)\n",
	    (long long)took, TIMEOUT_MS);
	ck_assert_msg(took < BOUND_MS, "two hung endpoints cost %lld ms (bound %d ms)",
	    (long long)took, BOUND_MS);
	etcd_result_free(res);
	/* The endpoint that answered is asked first from now on. */
	ck_assert_str_eq(etcd_endpoint(e), t.ok);
	t0 = time_mono_ms();
	res = etcd_range_sync(e, "foo", NULL, 0, 0);
	took = time_mono_ms() - t0;
	ck_assert_int_eq(res->err, 0);
	ck_assert_msg(took < TIMEOUT_MS / 4, "the second range took %lld ms", (long long)took);
	etcd_result_free(res);
	etcd_free(e);
	loop_free(l);
	three_close(&t);
}
END_TEST

/* A write is never hedged (two members could both do it): it waits out the
 * hung endpoint's timeout before the next one is asked. */
START_TEST(test_etcd_write_not_hedged)
{
	struct three t;
	struct loop *l = loop_new();
	char err[256];
	struct etcd_opts o;
	struct etcd_result *res;
	struct etcd *e;
	int64_t t0, took;

	three_open(&t, "");
	t.list[1] = t.ok;		/* one hung endpoint, then the good one */
	t.list[2] = NULL;
	memset(&o, 0, sizeof o);
	o.endpoints = t.list;
	o.timeout_ms = 500;
	e = etcd_new(l, &o, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	t0 = time_mono_ms();
	res = etcd_put_sync(e, "foo", "bar", 3, 0);
	took = time_mono_ms() - t0;
	ck_assert_int_ge(took, 450);
	etcd_result_free(res);
	etcd_free(e);
	loop_free(l);
	three_close(&t);
}
END_TEST

START_TEST(test_rest_hung_proxies)
{
	struct three t;
	char err[256];
	struct loop *l = loop_new();
	struct milvus_rest_opts o;
	struct milvus_rest_result *res;
	struct milvus_rest *r;
	int64_t t0, took;

	three_open(&t, "/ok");
	memset(&o, 0, sizeof o);
	o.uris = t.list;
	o.timeout_ms = TIMEOUT_MS;
	r = milvus_rest_new(l, &o, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	t0 = time_mono_ms();
	res = milvus_rest_collections_list_sync(r, NULL);
	took = time_mono_ms() - t0;
	ck_assert_msg(res->err == MREST_OK, "list failed: %s", res->errmsg);
	ck_assert_str_eq(res->uri, t.ok);
	printf("# rest: collections/list past two hung proxies in %lld ms (timeout %d ms)\n",
	    (long long)took, TIMEOUT_MS);
	ck_assert_msg(took < BOUND_MS, "two hung proxies cost %lld ms (bound %d ms)",
	    (long long)took, BOUND_MS);
	milvus_rest_result_free(res);
	ck_assert_str_eq(milvus_rest_uri(r), t.ok);
	ck_assert(milvus_rest_failed_over(r));
	t0 = time_mono_ms();
	res = milvus_rest_collections_list_sync(r, NULL);
	took = time_mono_ms() - t0;
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_msg(took < TIMEOUT_MS / 4, "the second list took %lld ms", (long long)took);
	milvus_rest_result_free(res);
	/* A new list keeps the proxy that answered preferred, and drops the
	 * duplicate. */
	t.list[0] = t.ok;
	t.list[1] = t.h1;
	t.list[2] = t.ok;
	ck_assert_int_eq(milvus_rest_set_uris(r, t.list, err, sizeof err), 0);
	ck_assert_str_eq(milvus_rest_uri(r), t.ok);
	ck_assert(!milvus_rest_failed_over(r));
	milvus_rest_free(r);
	loop_free(l);
	three_close(&t);
}
END_TEST

/* Every proxy hangs: the read gives up within one timeout from its start,
 * not one timeout after the last hedge (1 s + 250 ms + 250 ms). */
START_TEST(test_rest_all_hung)
{
	struct three t;
	char err[256];
	struct loop *l = loop_new();
	struct milvus_rest_opts o;
	struct milvus_rest_result *res;
	struct milvus_rest *r;
	const char *hung[4];
	int64_t t0, took;

	three_open(&t, "/ok");
	hung[0] = t.h1;
	hung[1] = t.h2;
	hung[2] = t.h1;		/* a third entry: a duplicate, dropped */
	hung[3] = NULL;
	memset(&o, 0, sizeof o);
	o.uris = hung;
	o.timeout_ms = TIMEOUT_MS;
	r = milvus_rest_new(l, &o, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	t0 = time_mono_ms();
	res = milvus_rest_collections_list_sync(r, NULL);
	took = time_mono_ms() - t0;
	printf("# rest: collections/list with every proxy hung gave up in %lld ms (timeout %d "
	    "ms)\n", (long long)took, TIMEOUT_MS);
	ck_assert_int_eq(res->err, MREST_EUNREACHABLE);
	ck_assert_msg(took < TIMEOUT_MS + TIMEOUT_MS / 8, "hung proxies cost %lld ms (bound "
	    "%d ms)", (long long)took, TIMEOUT_MS + TIMEOUT_MS / 8);
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	loop_free(l);
	three_close(&t);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("failover");
	TCase *tc = tcase_create("hung");

	tcase_add_unchecked_fixture(tc, srv_start, srv_stop);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_etcd_hung_endpoints);
	tcase_add_test(tc, test_etcd_write_not_hedged);
	tcase_add_test(tc, test_rest_hung_proxies);
	tcase_add_test(tc, test_rest_all_hung);
	suite_add_tcase(s, tc);
	return s;
}
