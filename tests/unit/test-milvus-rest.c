/* SPDX-License-Identifier: MIT */
/* Unit tests for entities/query rows in the REST v2 client: the canonical row
 * text and pk values from canned answers, and the call itself (its body,
 * fail-over, bounds) against a libmicrohttpd server on 127.112.0.1. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/xalloc.h"
#include "rest-fake.h"

#define SRV_IP	"127.112.0.1"

/* ---- canned answers ---- */

static struct milvus_rest_result *
parse(const char *body, const char *pk)
{
	struct milvus_rest_result *res = xcalloc(1, sizeof *res);

	snprintf(res->uri, sizeof res->uri, "http://proxy:19530");
	milvus_rest_parse_query(200, body, strlen(body), pk, res);
	return res;
}

static void
release(struct milvus_rest_result *res)
{
	milvus_rest_result_release(res);
	free(res);
}

/* One row's canonical text and pk value (NULL for none). */
static void
row_eq(const char *body, const char *pk, const char *want, const char *want_pk)
{
	struct milvus_rest_result *r = parse(body, pk);

	ck_assert_msg(r->err == MREST_OK, "%s: %s", body, r->errmsg);
	ck_assert_uint_eq(r->n_rows, 1);
	ck_assert_str_eq(r->rows[0], want);
	if (want_pk == NULL)
		ck_assert_ptr_null(r->row_pks[0]);
	else
		ck_assert_str_eq(r->row_pks[0], want_pk);
	release(r);
}

#define ROW_EQ(body, pk, want, want_pk)	row_eq(body, pk, want, want_pk)

#define BAD(body) do {							\
	struct milvus_rest_result *r_ = parse(body, "id");		\
	ck_assert_msg(r_->err == MREST_EPROTO, "%s taken", body);	\
	ck_assert_uint_eq(r_->n_rows, 0);				\
	ck_assert_ptr_null(r_->rows);					\
	ck_assert_str_eq(r_->uri, "http://proxy:19530");		\
	release(r_);							\
} while (0)

START_TEST(test_rows_canonical)
{
	struct milvus_rest_result *r;
	const char *body;

	/* Keys by byte order, no whitespace, numbers as cJSON prints them. */
	ROW_EQ("{\"code\":0,\"cost\":0,\"data\":[{\"vector\":[0.5, 1e2, -0.0, 1.5e-7],"
	    " \"id\" : 12, \"color\":\"red\", \"Z\":1, \"_\":2}]}", "id",
	    "{\"Z\":1,\"_\":2,\"color\":\"red\",\"id\":12,\"vector\":[0.5,100,-0,1.5e-07]}", "12");
	/* Nested objects sorted at every level, arrays kept in order. */
	ROW_EQ("{\"code\":0,\"data\":[{\"b\":{\"z\":1,\"a\":[{\"y\":true,\"x\":null},[3,2]]},"
	    "\"a\":\"s\",\"c\":{}}]}", "a",
	    "{\"a\":\"s\",\"b\":{\"a\":[{\"x\":null,\"y\":true},[3,2]],\"z\":1},\"c\":{}}", "\"s\"");
	/* Int64 keys above 2^53 digit for digit, never through a double. */
	ROW_EQ("{\"data\":[{\"id\":450000000000000001,\"n\":-9223372036854775808}],\"code\":0}",
	    "id", "{\"id\":450000000000000001,\"n\":-9223372036854775808}",
	    "450000000000000001");
	/* A string key with escapes: decoded, then escaped as cJSON does. */
	ROW_EQ("{\"code\":0,\"data\":[{\"pk\":\"a\\\"b\\\\c\\u00e9\\u0001\\/\\ud83d\\ude00\\t\"}]}",
	    "pk", "{\"pk\":\"a\\\"b\\\\c\xc3\xa9\\u0001/\xf0\x9f\x98\x80\\t\"}",
	    "\"a\\\"b\\\\c\xc3\xa9\\u0001/\xf0\x9f\x98\x80\\t\"");
	/* Keys compare as decoded bytes: "\u0041" is "A". */
	ROW_EQ("{\"code\":0,\"data\":[{\"b\":1,\"\\u0041\":2}]}", "A", "{\"A\":2,\"b\":1}", "2");
	/* A row without the key, or no key asked for: NULL. */
	ROW_EQ("{\"code\":0,\"data\":[{\"id\":1}]}", "pk", "{\"id\":1}", NULL);
	ROW_EQ("{\"code\":0,\"data\":[{\"id\":1}]}", NULL, "{\"id\":1}", NULL);
	/* Only the row's own member is its key, not a nested one. */
	ROW_EQ("{\"code\":0,\"data\":[{\"x\":{\"id\":3}}]}", "id", "{\"x\":{\"id\":3}}", NULL);

	r = parse("{\"code\":0,\"data\":[]}", "id");
	ck_assert_int_eq(r->err, MREST_OK);
	ck_assert_uint_eq(r->n_rows, 0);
	release(r);
	r = parse("{\"code\":0,\"data\":null}", "id");
	ck_assert_int_eq(r->err, MREST_OK);
	ck_assert_uint_eq(r->n_rows, 0);
	release(r);
	r = parse("{\"code\":0,\"data\":[{\"id\":1},{\"id\":\"2\"},{}]}", "id");
	ck_assert_int_eq(r->err, MREST_OK);
	ck_assert_uint_eq(r->n_rows, 3);
	ck_assert_str_eq(r->row_pks[0], "1");
	ck_assert_str_eq(r->row_pks[1], "\"2\"");
	ck_assert_ptr_null(r->row_pks[2]);
	ck_assert_str_eq(r->rows[2], "{}");
	release(r);
	/* The generic parser reaches the same path, without pks. */
	r = xcalloc(1, sizeof *r);
	body = "{\"code\":0,\"data\":[{\"b\":1,\"a\":2}]}";
	milvus_rest_parse(MREST_OP_QUERY, 200, body, strlen(body), r);
	ck_assert_int_eq(r->err, MREST_OK);
	ck_assert_str_eq(r->rows[0], "{\"a\":2,\"b\":1}");
	ck_assert_ptr_null(r->row_pks[0]);
	ck_assert_str_eq(milvus_rest_op_path(MREST_OP_QUERY), "entities/query");
	release(r);
}
END_TEST

START_TEST(test_rows_errors)
{
	struct milvus_rest_result *r;
	struct buf b = BUF_INIT;
	int i;

	r = parse("{\"code\":1100,\"message\":\"empty expression should be used with limit: "
	    "invalid parameter\"}", "id");
	ck_assert_int_eq(r->err, MREST_ESERVER);
	ck_assert_int_eq(r->code, MREST_CODE_INVALID_PARAMETER);
	ck_assert_str_eq(r->errmsg, "empty expression should be used with limit: invalid "
	    "parameter (code 1100)");
	ck_assert_uint_eq(r->n_rows, 0);
	release(r);
	r = parse("{\"code\":101,\"message\":\"collection not loaded[collection=docs]\"}", "id");
	ck_assert_int_eq(r->err, MREST_ESERVER);
	ck_assert_int_eq(r->code, MREST_CODE_COLLECTION_NOT_LOADED);
	release(r);

	BAD("{\"code\":0}");
	BAD("{\"code\":0,\"data\":{}}");
	BAD("{\"code\":0,\"data\":[1]}");
	BAD("{\"code\":0,\"data\":[{\"id\":1},2]}");
	BAD("{\"code\":0,\"data\":[{\"id\":1}{\"id\":2}]}");
	BAD("{\"code\":0,\"data\":[{\"id\":1},]}");
	BAD("{\"code\":0,\"data\":[{\"id\":1,}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":1,\"a\":2}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":01}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":1.}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":tru}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":\"\\ud800\"}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":\"\\q\"}]}");
	BAD("{\"code\":0,\"data\":[{\"a\":\"x\ty\"}]}");
	BAD("{\"code\":0,\"data\":[{\"id\":1}");
	BAD("{\"code\":0,\"data\":[{\"id\":");
	/* Nesting deeper than the parser follows. */
	buf_adds(&b, "{\"code\":0,\"data\":[{\"a\":");
	for (i = 0; i < 100; i++)
		buf_addc(&b, '[');
	for (i = 0; i < 100; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "}]}");
	BAD(b.data);
	/* More rows than a query can answer. */
	buf_reset(&b);
	buf_adds(&b, "{\"code\":0,\"data\":[");
	for (i = 0; i <= MREST_MAX_QUERY_ROWS; i++)
		buf_adds(&b, i > 0 ? ",{}" : "{}");
	buf_adds(&b, "]}");
	r = parse(b.data, "id");
	ck_assert_int_eq(r->err, MREST_EPROTO);
	ck_assert_str_eq(r->errmsg, "entities/query answer from proxy 'http://proxy:19530' has "
	    "more than 16384 rows");
	ck_assert_uint_eq(r->n_rows, 0);
	release(r);
	buf_release(&b);
}
END_TEST

/* ---- the call ---- */

static char last_body[4096];
static char *big_answer;

/* entities/query under the scenarios ok, notready and big; the body kept. */
static const char *
srv_answer(const char *url, const char *method, const char *body, unsigned *status)
{
	(void)method;
	snprintf(last_body, sizeof last_body, "%s", body);
	if (strcmp(url, "/ok/v2/vectordb/entities/query") == 0)
		return "{\"code\":0,\"cost\":0,\"data\":[{\"id\":7,\"color\":\"blue\"},"
		    "{\"color\":\"red\",\"id\":9}]}";
	if (strcmp(url, "/notready/v2/vectordb/entities/query") == 0)
		return "{\"code\":1,\"message\":\"service not ready[Initializing]\"}";
	if (strcmp(url, "/big/v2/vectordb/entities/query") == 0)
		return big_answer;
	*status = 404;
	return "404 page not found";
}

static void
srv_start(void)
{
	struct buf b = BUF_INIT;
	int i;

	buf_adds(&b, "{\"code\":0,\"data\":[");
	for (i = 0; i < 2000; i++)
		buf_printf(&b, "%s{\"id\":%d,\"vector\":[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]}",
		    i > 0 ? "," : "", i);
	buf_adds(&b, "]}");
	big_answer = buf_detach(&b, NULL);
	(void)rest_fake_start(SRV_IP, srv_answer);
}

static void
srv_stop(void)
{
	rest_fake_stop();
	free(big_answer);
}

static struct milvus_rest *
client(struct loop *l, const char *const *paths, size_t max_response)
{
	return rest_fake_client(l, paths, NULL, max_response);
}

static int cb_calls;

static void
on_rows(const struct milvus_rest_result *res, void *arg)
{
	cb_calls++;
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_uint_eq(res->n_rows, 2);
	ck_assert_str_eq(res->rows[0], "{\"color\":\"blue\",\"id\":7}");
	ck_assert_str_eq(res->row_pks[1], "9");
	*(int *)arg = 1;
}

START_TEST(test_query_call)
{
	static const char *const fields[] = { "id", "color", NULL };
	static const char *const ok[] = { "ok", NULL };
	static const char *const failover[] = { "down", "notready", "ok", NULL };
	static const char *const big[] = { "big", NULL };
	struct loop *l = loop_new();
	struct milvus_rest *r = client(l, ok, 0);
	struct milvus_rest_result *res;
	int done = 0;

	res = milvus_rest_query_sync(r, "db1", "docs", "id in [7, 9]", 5, fields, "id");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(last_body, "{\"dbName\":\"db1\",\"collectionName\":\"docs\",\"filter\":"
	    "\"id in [7, 9]\",\"outputFields\":[\"id\",\"color\"],\"limit\":5}");
	ck_assert_uint_eq(res->n_rows, 2);
	ck_assert_str_eq(res->rows[1], "{\"color\":\"red\",\"id\":9}");
	ck_assert_str_eq(res->row_pks[0], "7");
	milvus_rest_result_free(res);
	/* output_fields NULL is ["*"]; limit 0 is not sent; pk_field NULL: no pks. */
	res = milvus_rest_query_sync(r, NULL, "docs", "id in [7]", 0, NULL, NULL);
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_str_eq(last_body, "{\"collectionName\":\"docs\",\"filter\":\"id in [7]\","
	    "\"outputFields\":[\"*\"]}");
	ck_assert_ptr_null(res->row_pks[0]);
	milvus_rest_result_free(res);
	/* Bad arguments: nothing is sent. */
	res = milvus_rest_query_sync(r, NULL, "docs", "", 0, NULL, "id");
	ck_assert_int_eq(res->err, MREST_EINVAL);
	milvus_rest_result_free(res);
	res = milvus_rest_query_sync(r, NULL, "docs", "", MREST_MAX_QUERY_ROWS + 1, NULL, "id");
	ck_assert_int_eq(res->err, MREST_EINVAL);
	milvus_rest_result_free(res);
	res = milvus_rest_query_sync(r, NULL, "docs", NULL, 1, NULL, "id");
	ck_assert_int_eq(res->err, MREST_EINVAL);
	milvus_rest_result_free(res);
	ck_assert_int_eq(milvus_rest_query(r, NULL, "", "", 1, NULL, "id", on_rows, &done), -1);
	/* Asynchronous: the callback runs once, from the loop. */
	ck_assert_int_eq(milvus_rest_query(r, NULL, "docs", "", 2, NULL, "id", on_rows, &done), 0);
	ck_assert_int_eq(cb_calls, 0);
	loop_run_until(l, &done, 5000);
	ck_assert_int_eq(cb_calls, 1);
	ck_assert_str_eq(last_body, "{\"collectionName\":\"docs\",\"filter\":\"\",\"outputFields\":"
	    "[\"*\"],\"limit\":2}");
	milvus_rest_free(r);

	/* A query is a read: it moves past a refused and a not-ready proxy. */
	r = client(l, failover, 0);
	res = milvus_rest_query_sync(r, NULL, "docs", "id in [7]", 0, NULL, "id");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_uint_eq(res->n_rows, 2);
	ck_assert_ptr_nonnull(strstr(res->uri, "/ok"));
	ck_assert_ptr_nonnull(strstr(milvus_rest_uri(r), "/ok"));
	milvus_rest_result_free(res);
	milvus_rest_free(r);

	/* An answer over the client's max response is refused, named as such. */
	r = client(l, big, 4096);
	res = milvus_rest_query_sync(r, NULL, "docs", "", 2000, NULL, "id");
	ck_assert_int_eq(res->err, MREST_EPROTO);
	ck_assert_ptr_nonnull(strstr(res->errmsg, "is over 4096 bytes (the client's max "
	    "response)"));
	ck_assert_uint_eq(res->n_rows, 0);
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	r = client(l, big, 0);
	res = milvus_rest_query_sync(r, NULL, "docs", "", 2000, NULL, "id");
	ck_assert_int_eq(res->err, MREST_OK);
	ck_assert_uint_eq(res->n_rows, 2000);
	ck_assert_str_eq(res->rows[1999], "{\"id\":1999,\"vector\":[0.1,0.2,0.3,0.4,0.5,0.6,0.7,"
	    "0.8]}");
	ck_assert_str_eq(res->row_pks[1999], "1999");
	milvus_rest_result_free(res);
	milvus_rest_free(r);
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("milvus-rest");
	TCase *tc = tcase_create("rows");
	TCase *call = tcase_create("call");

	tcase_add_test(tc, test_rows_canonical);
	tcase_add_test(tc, test_rows_errors);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(call, srv_start, srv_stop);
	tcase_set_timeout(call, 30);
	tcase_add_test(call, test_query_call);
	suite_add_tcase(s, call);
	return s;
}
