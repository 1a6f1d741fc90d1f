/* SPDX-License-Identifier: MIT */
/* Unit tests for the pure Milvus answer parsers: Prometheus text, /healthz,
 * both replica shapes and REST v2 envelopes (no I/O). */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/prom.h"

#include "milvus-canned.h"

/* ---- Prometheus text ---------------------------------------------------- */

START_TEST(test_prom_parse)
{
	struct prom_samples s;
	const struct prom_sample *p;
	size_t n;

	prom_parse(metrics_text, strlen(metrics_text), NULL, &s);
	ck_assert_uint_eq(s.skipped, 2);
	ck_assert(!s.truncated);
	ck_assert_uint_eq(s.n, 12);
	p = prom_find(&s, "milvus_num_node", "role_name", "rootcoord");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(prom_label(p, "node_id"), "1");
	ck_assert(p->value == 1.0 && !p->has_timestamp);
	p = prom_find(&s, "milvus_num_node", "role_name", "querynode");
	ck_assert(p->has_timestamp && p->timestamp_ms == 1700000000000LL);
	p = prom_find_next(&s, p, "milvus_num_node", "role_name", "querynode");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(prom_label(p, "node_id"), "6");
	ck_assert_ptr_null(prom_find_next(&s, p, "milvus_num_node", "role_name", "querynode"));
	ck_assert(prom_sum(&s, "milvus_num_node", NULL, NULL, &n) == 3.0 && n == 3);
	p = prom_find(&s, "milvus_escapes", NULL, NULL);
	ck_assert_str_eq(prom_label(p, "path"), "C:\\dir\\");
	ck_assert_str_eq(prom_label(p, "quote"), "say \"hi\"");
	ck_assert_str_eq(prom_label(p, "nl"), "a\nb");
	ck_assert(p->value == 3.5);
	ck_assert(isnan(prom_find(&s, "milvus_nan", NULL, NULL)->value));
	p = prom_find(&s, "milvus_inf", "x", "1");
	ck_assert(isinf(p->value) && p->value > 0);
	p = prom_find(&s, "milvus_neginf", NULL, NULL);
	ck_assert(isinf(p->value) && p->value < 0);
	ck_assert(prom_find(&s, "milvus_indented", NULL, NULL)->value == 7);
	ck_assert(prom_find(&s, "milvus_crlf", NULL, NULL)->value == 2);
	ck_assert(prom_find(&s, "milvus.utf8.name", "role", "x")->value == 9);
	ck_assert(prom_find(&s, "milvus_exp", NULL, NULL)->value == 1500);
	ck_assert_ptr_nonnull(prom_find(&s, "go_goroutines", NULL, NULL));
	ck_assert_ptr_null(prom_find(&s, "milvus_bad", NULL, NULL));
	prom_samples_release(&s);
}
END_TEST

START_TEST(test_prom_filter_and_bounds)
{
	static const char *const keep[] = { "milvus_num", NULL };
	struct prom_samples s;
	struct buf b = BUF_INIT;
	size_t i;

	prom_parse(metrics_text, strlen(metrics_text), keep, &s);
	ck_assert_uint_eq(s.n, 3);
	prom_samples_release(&s);

	/* Too many labels, an over-long label value, a NUL, an unterminated line. */
	buf_adds(&b, "m{");
	for (i = 0; i < PROM_MAX_LABELS + 1; i++)
		buf_printf(&b, "l%zu=\"v\",", i);
	buf_adds(&b, "} 1\nm2{a=\"");
	for (i = 0; i < PROM_MAX_LABEL_VALUE + 10; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\"} 1\nm3 1");
	buf_add(&b, "\0", 1);
	buf_adds(&b, "\nm4 0x10\nm5 1 2 3\nm6 1 # {trace_id=\"a\"} 1\nm7{a=\"b\"");
	prom_parse(b.data, b.len, NULL, &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.v[0].name, "m6");
	ck_assert_uint_eq(s.skipped, 6);
	prom_samples_release(&s);
	buf_release(&b);
}
END_TEST

START_TEST(test_prom_locale)
{
	struct prom_samples s;

	/* A decimal-comma locale must not change the meaning of "3.5". */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
		setlocale(LC_NUMERIC, "C");
	prom_parse(S("a 3.5\n"), NULL, &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(s.v[0].value == 3.5);
	prom_samples_release(&s);
	setlocale(LC_NUMERIC, "C");
}
END_TEST

/* ---- pure 9091 parsers --------------------------------------------------- */

START_TEST(test_healthz_parse)
{
	struct milvus_healthz h;
	char err[128];
	static const char *const bad[] = {
		"", "   ", "{", "[1]", "<html>x</html>", "{\"detail\":5}",
		"{\"detail\":[{\"name\":\"x\",\"code\":\"y\"}]}", "two\nlines", NULL,
	};
	size_t i;

	ck_assert_int_eq(milvus_healthz_parse(200, S("{\"state\":\"OK\",\"detail\":[]}"), &h,
	    err, sizeof err), 0);
	ck_assert(h.healthy && h.json && h.n_detail == 0);
	ck_assert_str_eq(h.state, "OK");
	milvus_healthz_release(&h);
	ck_assert_int_eq(milvus_healthz_parse(500, S("bad\x1b[31m"), &h, err, sizeof err), 0);
	ck_assert_str_eq(h.state, "bad?[31m");
	ck_assert(!h.healthy && !h.json);
	milvus_healthz_release(&h);
	ck_assert_int_eq(milvus_healthz_parse(200, S("OK\n"), &h, err, sizeof err), 0);
	ck_assert(h.healthy && !h.json && h.n_detail == 0);
	ck_assert_str_eq(h.state, "OK");
	milvus_healthz_release(&h);
	ck_assert_int_eq(milvus_healthz_parse(500, S("{\"state\":\"a\\u001bb\\nc\"}"), &h,
	    err, sizeof err), 0);
	ck_assert_str_eq(h.state, "a?b?c");
	milvus_healthz_release(&h);
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_int_eq(milvus_healthz_parse(200, bad[i], strlen(bad[i]), &h, err,
		    sizeof err), -1);
		ck_assert_str_eq(err, "malformed healthz body");
	}
	ck_assert_str_eq(milvus_state_name(MILVUS_STATE_STANDBY), "StandBy");
	ck_assert_str_eq(milvus_state_name(42), "Unknown");
}
END_TEST

/* 3.x (§10): Woodpecker's envelope has the code as a string ("Healthy"); a
 * quoted number is the number; the names are the StateCode names. */
START_TEST(test_healthz_code_strings)
{
	struct milvus_healthz h;
	char err[128];

	ck_assert_int_eq(milvus_healthz_parse(200, S("{\"state\":\"OK\",\"detail\":["
	    "{\"name\":\"woodpecker\",\"code\":\"Healthy\"},"
	    "{\"name\":\"mixcoord\",\"code\":\"StandBy\"},"
	    "{\"name\":\"querynode\",\"code\":\"stopping\"},"
	    "{\"name\":\"proxy\",\"code\":\"1\"},"
	    "{\"name\":\"datanode\",\"code\":0}]}"), &h, err, sizeof err), 0);
	ck_assert_uint_eq(h.n_detail, 5);
	ck_assert_int_eq(h.detail[0].code, MILVUS_STATE_HEALTHY);
	ck_assert_int_eq(h.detail[1].code, MILVUS_STATE_STANDBY);
	ck_assert_int_eq(h.detail[2].code, MILVUS_STATE_STOPPING);
	ck_assert_int_eq(h.detail[3].code, MILVUS_STATE_HEALTHY);
	ck_assert_int_eq(h.detail[4].code, MILVUS_STATE_INITIALIZING);
	milvus_healthz_release(&h);
	ck_assert_int_eq(milvus_healthz_parse(200, S("{\"detail\":[{\"name\":\"x\","
	    "\"code\":\"Healthyish\"}]}"), &h, err, sizeof err), -1);
}
END_TEST

START_TEST(test_replicas_parse)
{
	struct milvus_replica *r;
	size_t n;
	char err[128];

	ck_assert_int_eq(milvus_replicas_parse_v1(replicas_v1, strlen(replicas_v1), &r, &n,
	    err, sizeof err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(r[0].id == BIG_ID_NUM && r[0].collection_id == BIG_ID_NUM);
	ck_assert(r[1].id == BIG_ID_NUM + 1);
	ck_assert_int_eq(r[0].database_id, -1);
	ck_assert_uint_eq(r[0].n_rw_nodes, 2);
	ck_assert_uint_eq(r[0].n_ro_nodes, 0);
	ck_assert_str_eq(r[0].resource_group, "__default_resource_group");
	ck_assert_uint_eq(r[0].n_shards, 1);
	ck_assert_int_eq(r[0].shards[0].leader_id, 5);
	ck_assert_str_eq(r[0].shards[0].leader_addr, "10.0.0.5:21123");
	ck_assert_str_eq(r[0].shards[0].channel, "by-dev-rootcoord-dml_0_" BIG_ID "v0");
	ck_assert_uint_eq(r[0].shards[0].n_nodes, 2);
	ck_assert_ptr_null(r[1].resource_group);
	milvus_replicas_free(r, n);

	ck_assert_int_eq(milvus_replicas_parse_qc(replicas_qc, strlen(replicas_qc), 0, &r, &n,
	    err, sizeof err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(r[0].id == BIG_ID_NUM && r[0].collection_id == BIG_ID_NUM);
	ck_assert_int_eq(r[0].database_id, 1);
	ck_assert_uint_eq(r[0].n_ro_nodes, 1);
	ck_assert_int_eq(r[0].ro_nodes[0], 9);
	ck_assert_uint_eq(r[0].n_shards, 2);
	ck_assert_int_eq(r[0].shards[0].leader_id, -1);
	ck_assert_ptr_null(r[0].shards[0].leader_addr);
	ck_assert_str_eq(r[0].shards[1].channel, "by-dev-rootcoord-dml_1v1");
	milvus_replicas_free(r, n);
	ck_assert_int_eq(milvus_replicas_parse_qc(replicas_qc, strlen(replicas_qc), 8, &r, &n,
	    err, sizeof err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(r[0].id, 7);
	milvus_replicas_free(r, n);
	ck_assert_int_eq(milvus_replicas_parse_qc(S("null"), 0, &r, &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 0);

	/* A 2^53+1 that arrives as a bare number with few digits can't be rounded,
	 * but one too big for int64 is refused rather than wrapped. */
	ck_assert_int_eq(milvus_replicas_parse_qc(S("[{\"ID\":99999999999999999999}]"), 0,
	    &r, &n, err, sizeof err), -1);
	ck_assert_int_eq(milvus_replicas_parse_v1(S("{\"replicas\":[{\"replicaID\":1.5}]}"),
	    &r, &n, err, sizeof err), -1);
	ck_assert_int_eq(milvus_replicas_parse_v1(S("{\"replicas\":[{\"node_ids\":[]}]}"),
	    &r, &n, err, sizeof err), -1);
	ck_assert_int_eq(milvus_replicas_parse_v1(S("{\"status\":{\"error_code\":1,\"reason\":\"no\"}}"),
	    &r, &n, err, sizeof err), -1);
	ck_assert_str_eq(err, "replicas request failed: no");
	ck_assert_int_eq(milvus_replicas_parse_v1(S("{\"status\":{},\"replicas\":[]}"),
	    &r, &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_rest_parse_pure)
{
	struct milvus_rest_result res;
	static const char *const bodies[] = {
		"", "{}", "[]", "{\"code\":\"x\"}", "{\"code\":0}", "{\"code\":0,\"data\":5}",
		"{\"code\":1e400}", "{\"code\":0,\"data\":[1]}", NULL,
	};
	size_t i;
	int op;

	for (op = 0; op < MREST_OP_COUNT_; op++) {
		for (i = 0; bodies[i] != NULL; i++) {
			memset(&res, 0, sizeof res);
			milvus_rest_parse((enum milvus_rest_op)op, 200, bodies[i], strlen(bodies[i]),
			    &res);
			milvus_rest_result_release(&res);
		}
	}
	memset(&res, 0, sizeof res);
	milvus_rest_parse(MREST_OP_COLLECTIONS_LIST, 200, S("{\"code\":0,\"data\":null}"), &res);
	ck_assert_int_eq(res.err, MREST_OK);
	ck_assert_uint_eq(res.n_names, 0);
	milvus_rest_result_release(&res);
	memset(&res, 0, sizeof res);
	milvus_rest_parse(MREST_OP_COLLECTION_HAS, 200, S("{\"code\":0,\"data\":{}}"), &res);
	ck_assert_int_eq(res.err, MREST_EPROTO);
	milvus_rest_result_release(&res);
	memset(&res, 0, sizeof res);
	milvus_rest_parse(MREST_OP_COLLECTION_DROP, 200,
	    S("{\"code\":1807,\"message\":\"request is rejected by limiter\\nnow\"}"), &res);
	ck_assert_int_eq(res.err, MREST_ESERVER);
	ck_assert_str_eq(res.errmsg, "request is rejected by limiter?now (code 1807)");
	milvus_rest_result_release(&res);
}
END_TEST


Suite *
test_suite(void)
{
	Suite *s = suite_create("milvus-parse");
	TCase *tc = tcase_create("parsers");

	tcase_add_test(tc, test_prom_parse);
	tcase_add_test(tc, test_prom_filter_and_bounds);
	tcase_add_test(tc, test_prom_locale);
	tcase_add_test(tc, test_healthz_parse);
	tcase_add_test(tc, test_healthz_code_strings);
	tcase_add_test(tc, test_replicas_parse);
	tcase_add_test(tc, test_rest_parse_pure);
	suite_add_tcase(s, tc);
	return s;
}
