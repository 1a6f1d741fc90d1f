/* SPDX-License-Identifier: MIT */
/* Unit tests for the REST v2 resource_groups/list and /describe parsers
 * (contract §5.4): describe's answer without an envelope code, the same in
 * an envelope, error envelopes and HTTP errors, wrong shapes (no I/O). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_rest.h"

#define S(x)	x, strlen(x)

static const char describe_bare[] =
    "{\"resource_group\":{\"name\":\"__default_resource_group\",\"capacity\":1000000,"
    "\"num_available_node\":2,\"num_loaded_replica\":{\"docs\":2,\"logs\":1},"
    "\"num_outgoing_node\":{},\"num_incoming_node\":null,"
    "\"config\":{\"requests\":{},\"limits\":{\"node_num\":1000000}},"
    "\"nodes\":[{\"node_id\":5,\"address\":\"127.0.0.5:21123\",\"hostname\":\"qn-0\"},"
    "{\"node_id\":450000000000000123,\"address\":\"127.0.0.6:21123\"}]}}";

static void
parse(enum milvus_rest_op op, long status, const char *body, size_t len,
    struct milvus_rest_result *res)
{
	memset(res, 0, sizeof *res);
	milvus_rest_parse(op, status, body, len, res);
}

START_TEST(test_rg_paths)
{
	ck_assert_str_eq(milvus_rest_op_path(MREST_OP_RG_LIST), "resource_groups/list");
	ck_assert_str_eq(milvus_rest_op_path(MREST_OP_RG_DESCRIBE), "resource_groups/describe");
}
END_TEST

START_TEST(test_rg_list)
{
	struct milvus_rest_result res;

	parse(MREST_OP_RG_LIST, 200, S("{\"code\":0,\"data\":[\"__default_resource_group\","
	    "\"rg1\"]}"), &res);
	ck_assert_int_eq(res.err, MREST_OK);
	ck_assert_uint_eq(res.n_names, 2);
	ck_assert_str_eq(res.names[0], "__default_resource_group");
	ck_assert_str_eq(res.names[1], "rg1");
	milvus_rest_result_release(&res);
	/* A proxy before 2.5: gin's 404 page. */
	parse(MREST_OP_RG_LIST, 404, S("404 page not found"), &res);
	ck_assert_int_eq(res.err, MREST_EHTTP);
	ck_assert_int_eq(res.http_status, 404);
	milvus_rest_result_release(&res);
	parse(MREST_OP_RG_LIST, 200, S("{\"code\":0,\"data\":{\"x\":1}}"), &res);
	ck_assert_int_eq(res.err, MREST_EPROTO);
	milvus_rest_result_release(&res);
}
END_TEST

START_TEST(test_rg_describe_bare)
{
	struct milvus_rest_result res;
	const struct milvus_resource_group *g = &res.rg;

	parse(MREST_OP_RG_DESCRIBE, 200, S(describe_bare), &res);
	ck_assert_int_eq(res.err, MREST_OK);
	ck_assert_int_eq(res.code, 0);
	ck_assert_str_eq(g->name, "__default_resource_group");
	ck_assert_int_eq(g->capacity, 1000000);
	ck_assert_int_eq(g->num_available_node, 2);
	ck_assert_uint_eq(g->n_loaded_replicas, 2);
	ck_assert_str_eq(g->loaded_replicas[0].name, "docs");
	ck_assert_int_eq(g->loaded_replicas[0].n, 2);
	ck_assert_str_eq(g->loaded_replicas[1].name, "logs");
	ck_assert_int_eq(g->loaded_replicas[1].n, 1);
	ck_assert_uint_eq(g->n_outgoing_nodes, 0);
	ck_assert_uint_eq(g->n_incoming_nodes, 0);
	ck_assert_int_eq(g->requests_node_num, -1);
	ck_assert_int_eq(g->limits_node_num, 1000000);
	ck_assert_uint_eq(g->n_nodes, 2);
	ck_assert_int_eq(g->nodes[0].node_id, 5);
	ck_assert_str_eq(g->nodes[0].address, "127.0.0.5:21123");
	ck_assert_str_eq(g->nodes[0].hostname, "qn-0");
	/* Exact above 2^53. */
	ck_assert(g->nodes[1].node_id == 450000000000000123LL);
	ck_assert_ptr_null(g->nodes[1].hostname);
	milvus_rest_result_release(&res);
	ck_assert_ptr_null(res.rg.name);
}
END_TEST

START_TEST(test_rg_describe_envelope)
{
	struct milvus_rest_result res;

	/* A server that wraps it: code 0 and the group under data... */
	parse(MREST_OP_RG_DESCRIBE, 200, S("{\"code\":0,\"data\":{\"resource_group\":"
	    "{\"name\":\"rg1\",\"nodes\":[]}}}"), &res);
	ck_assert_int_eq(res.err, MREST_OK);
	ck_assert_str_eq(res.rg.name, "rg1");
	ck_assert_int_eq(res.rg.num_available_node, -1);
	ck_assert_uint_eq(res.rg.n_nodes, 0);
	milvus_rest_result_release(&res);
	/* ... or beside the code. */
	parse(MREST_OP_RG_DESCRIBE, 200, S("{\"code\":0,\"resource_group\":{\"name\":\"rg2\"}}"),
	    &res);
	ck_assert_int_eq(res.err, MREST_OK);
	ck_assert_str_eq(res.rg.name, "rg2");
	milvus_rest_result_release(&res);
	/* An error envelope is an error, not an empty group. */
	parse(MREST_OP_RG_DESCRIBE, 200, S("{\"code\":300,\"message\":\"resource group not "
	    "found[rg=nosuch]\"}"), &res);
	ck_assert_int_eq(res.err, MREST_ESERVER);
	ck_assert_int_eq(res.code, 300);
	ck_assert_str_eq(res.errmsg, "resource group not found[rg=nosuch] (code 300)");
	ck_assert_ptr_null(res.rg.name);
	milvus_rest_result_release(&res);
	parse(MREST_OP_RG_DESCRIBE, 401, S("{\"code\":1800,\"message\":\"user hasn't "
	    "authenticated\"}"), &res);
	ck_assert_int_eq(res.err, MREST_EAUTH);
	milvus_rest_result_release(&res);
	parse(MREST_OP_RG_DESCRIBE, 200, S("{\"code\":1802,\"message\":\"missing required "
	    "parameters\",\"resource_group\":{\"name\":\"x\"}}"), &res);
	ck_assert_int_eq(res.err, MREST_ESERVER);
	ck_assert_ptr_null(res.rg.name);
	milvus_rest_result_release(&res);
}
END_TEST

START_TEST(test_rg_describe_bad)
{
	static const char *const bad[] = {
		"{}",
		"{\"resource_group\":null}",
		"{\"resource_group\":{\"capacity\":1}}",
		"{\"resource_group\":{\"name\":\"g\",\"nodes\":{}}}",
		"{\"resource_group\":{\"name\":\"g\",\"nodes\":[{\"address\":\"a\"}]}}",
		"{\"resource_group\":{\"name\":\"g\",\"nodes\":[7]}}",
		"{\"resource_group\":{\"name\":\"g\",\"num_loaded_replica\":[1]}}",
		"{\"resource_group\":{\"name\":\"g\",\"num_loaded_replica\":{\"c\":\"x\"}}}",
		"{\"resource_group\":{\"name\":\"g\",\"num_loaded_replica\":{\"c\":-1}}}",
		"{\"resource_group\":{\"name\":\"g\",\"config\":[]}}",
		"[]",
		"not json",
	};
	struct milvus_rest_result res;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		parse(MREST_OP_RG_DESCRIBE, 200, bad[i], strlen(bad[i]), &res);
		ck_assert_msg(res.err == MREST_EPROTO, "%s: err %d", bad[i], res.err);
		ck_assert_ptr_null(res.rg.name);
		ck_assert_uint_eq(res.rg.n_nodes, 0);
		milvus_rest_result_release(&res);
	}
	/* Without an envelope, an HTTP error stays one. */
	parse(MREST_OP_RG_DESCRIBE, 404, S("404 page not found"), &res);
	ck_assert_int_eq(res.err, MREST_EHTTP);
	milvus_rest_result_release(&res);
	parse(MREST_OP_RG_DESCRIBE, 403, S(describe_bare), &res);
	ck_assert_int_eq(res.err, MREST_EAUTH);
	ck_assert_ptr_null(res.rg.name);
	milvus_rest_result_release(&res);
	parse(MREST_OP_RG_DESCRIBE, 500, S(describe_bare), &res);
	ck_assert_int_eq(res.err, MREST_EHTTP);
	milvus_rest_result_release(&res);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("rest-rg");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_rg_paths);
	tcase_add_test(tc, test_rg_list);
	tcase_add_test(tc, test_rg_describe_bare);
	tcase_add_test(tc, test_rg_describe_envelope);
	tcase_add_test(tc, test_rg_describe_bad);
	suite_add_tcase(s, tc);
	return s;
}
