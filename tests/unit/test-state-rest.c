/* SPDX-License-Identifier: MIT */
/* Unit tests for the proxy REST client the state gatherer builds from the
 * model's proxy sessions (state_rest, proxy_rest_uris). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/xalloc.h"

#include "../../src/ops/proxy-uri.h"
#include "../../src/ops/state-int.h"

#define N_PROXIES	100

/* A model with N_PROXIES proxies (the last ten healthy, one with an address
 * far too long for a URI, one with no port) and a querynode. Only what the
 * URI building reads is filled in. */
static struct component comps[N_PROXIES + 1];
static struct cluster model;

static void
setup(void)
{
	char addr[64], *lng;
	size_t i;

	memset(comps, 0, sizeof comps);
	memset(&model, 0, sizeof model);
	for (i = 0; i < N_PROXIES; i++) {
		comps[i].role = xstrdup("proxy");
		comps[i].health = i >= N_PROXIES - 10 ? HEALTH_HEALTHY : HEALTH_UNKNOWN;
		snprintf(addr, sizeof addr, "10.0.%zu.%zu:19529", i / 200, i % 200 + 1);
		comps[i].s.address = xstrdup(addr);
	}
	lng = xmalloc(700);
	memset(lng, 'a', 600);
	strcpy(lng + 600, ":19529");
	free(comps[3].s.address);
	comps[3].s.address = lng;
	free(comps[4].s.address);
	comps[4].s.address = xstrdup("10.0.0.5");
	comps[N_PROXIES].role = xstrdup("querynode");
	comps[N_PROXIES].health = HEALTH_HEALTHY;
	comps[N_PROXIES].s.address = xstrdup("10.9.9.9:21123");
	model.components = comps;
	model.n_components = N_PROXIES + 1;
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < N_PROXIES + 1; i++) {
		free(comps[i].role);
		free(comps[i].s.address);
	}
}

START_TEST(test_uris_capped_healthy_first)
{
	char *uris[65], err[256];
	struct milvus_rest_opts ro;
	struct milvus_rest *r;
	struct loop *l;
	size_t i, n;

	memset(uris, 0, sizeof uris);
	n = proxy_rest_uris(&model, false, uris, 64);
	ck_assert_uint_eq(n, 64);
	/* The healthy ten first, in model order. */
	ck_assert_str_eq(uris[0], "http://10.0.0.91:19530");
	ck_assert_str_eq(uris[9], "http://10.0.0.100:19530");
	ck_assert_str_eq(uris[10], "http://10.0.0.1:19530");
	for (i = 0; i < n; i++) {
		ck_assert_uint_le(strlen(uris[i]), 512);
		ck_assert_ptr_null(strstr(uris[i], "10.0.0.5:"));
		ck_assert_ptr_null(strstr(uris[i], "10.9.9.9"));
	}
	/* What the REST client takes: the list is not refused whole. */
	l = loop_new();
	memset(&ro, 0, sizeof ro);
	ro.uris = (const char *const *)uris;
	r = milvus_rest_new(l, &ro, err, sizeof err);
	ck_assert_msg(r != NULL, "milvus_rest_new: %s", err);
	milvus_rest_free(r);
	loop_free(l);
	for (i = 0; i < n; i++)
		free(uris[i]);

	/* Fewer proxies than room: all usable ones, in https when asked. */
	model.n_components = 6;
	n = proxy_rest_uris(&model, true, uris, 64);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(uris[0], "https://10.0.0.1:19530");
	ck_assert_str_eq(uris[3], "https://10.0.0.6:19530");
	for (i = 0; i < n; i++)
		free(uris[i]);
}
END_TEST

static struct state *
state_fake(struct loop *l)
{
	struct state *st = xcalloc(1, sizeof *st);

	st->loop = l;
	st->cluster = &model;
	st->profile_name = xstrdup("lab");
	st->timeout_ms = 1000;
	return st;
}

START_TEST(test_state_rest_many_proxies)
{
	struct loop *l = loop_new();
	struct state *st = state_fake(l);
	struct milvus_rest *r;
	char err[256] = "";

	/* 100 proxy sessions used to make the client refuse them all. */
	r = state_rest(st, err, sizeof err);
	ck_assert_msg(r != NULL, "state_rest: %s", err);
	ck_assert_str_eq(milvus_rest_uri(r), "http://10.0.0.91:19530");
	milvus_rest_free(r);
	free(st->profile_name);
	free(st);
	loop_free(l);
}
END_TEST

START_TEST(test_state_rest_no_usable_proxy)
{
	struct loop *l = loop_new();
	struct state *st = state_fake(l);
	char err[256] = "";

	/* Only the two unusable addresses: said so, not "no proxy session". */
	model.components = &comps[3];
	model.n_components = 2;
	ck_assert_ptr_null(state_rest(st, err, sizeof err));
	ck_assert_str_eq(err, "no milvus.uri in profile 'lab' and no usable address "
	    "among 2 proxy sessions");
	model.n_components = 0;
	ck_assert_ptr_null(state_rest(st, err, sizeof err));
	ck_assert_str_eq(err, "no milvus.uri in profile 'lab' and no proxy session");
	free(st->profile_name);
	free(st);
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("state-rest");
	TCase *tc = tcase_create("uris");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_uris_capped_healthy_first);
	tcase_add_test(tc, test_state_rest_many_proxies);
	tcase_add_test(tc, test_state_rest_no_usable_proxy);
	suite_add_tcase(s, tc);
	return s;
}
