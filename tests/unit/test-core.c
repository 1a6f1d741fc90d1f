/* SPDX-License-Identifier: MIT */
/* Unit tests for core: buffers, durations. */
#include <check.h>
#include <string.h>
#include <stdlib.h>

#include "milvusadm/buf.h"
#include "milvusadm/timeutil.h"

START_TEST(test_buf_json_str)
{
	struct buf b = BUF_INIT;

	buf_add_json_str(&b, "a\"b\\c\n\x01");
	ck_assert_str_eq(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
	buf_consume(&b, 1);
	ck_assert_int_eq(b.data[0], 'a');
	buf_release(&b);
}
END_TEST

START_TEST(test_duration)
{
	int64_t ms;

	ck_assert_int_eq(time_parse_duration("10s", &ms), 0);
	ck_assert_int_eq(ms, 10000);
	ck_assert_int_eq(time_parse_duration("250ms", &ms), 0);
	ck_assert_int_eq(ms, 250);
	ck_assert_int_eq(time_parse_duration("1h", &ms), 0);
	ck_assert_int_eq(ms, 3600000);
	ck_assert_int_eq(time_parse_duration("30", &ms), 0);
	ck_assert_int_eq(ms, 30000);
	ck_assert_int_eq(time_parse_duration("-1s", &ms), -1);
	ck_assert_int_eq(time_parse_duration("10x", &ms), -1);
	ck_assert_int_eq(time_parse_duration("", &ms), -1);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_buf_json_str);
	tcase_add_test(tc, test_duration);
	suite_add_tcase(s, tc);
	return s;
}
