/* SPDX-License-Identifier: MIT */
/* Unit tests for logging: levels, the file sink and secret redaction. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/config.h"
#include "milvusadm/log.h"

static void
check_redact(const char *in, const char *want)
{
	char *got = log_redact(in);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_secrets)
{
	log_clear_secrets();
	log_add_secret("");
	log_add_secret(NULL);
	check_redact("nothing to hide", "nothing to hide");
	log_add_secret("s3cret");
	log_add_secret("s3cret-longer");
	check_redact("pw=s3cret and s3cret-longer!", "pw=*** and ***!");
	check_redact("s3crets3cret", "******");
	log_clear_secrets();
	check_redact("s3cret", "s3cret");
}
END_TEST

/* Every secret a profile names reaches the redactor as it is read: the
 * whole token and, for "user:password", the password alone. */
START_TEST(test_config_secrets_registered)
{
	char path[] = "/tmp/milvusadm-token-XXXXXX", e[512], *s, *got;
	FILE *f;
	int fd;

	log_clear_secrets();
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("root:Pa55-from-file\n", f);
	fclose(f);
	s = config_read_secret(path, "milvus token", e, sizeof e);
	unlink(path);
	ck_assert_msg(s != NULL, "%s", e);
	ck_assert_str_eq(s, "root:Pa55-from-file");
	got = log_redact("token root:Pa55-from-file; password Pa55-from-file");
	ck_assert_str_eq(got, "token ***; password ***");
	free(got);
	free(s);
	log_clear_secrets();
}
END_TEST

START_TEST(test_urls_and_headers)
{
	log_clear_secrets();
	check_redact("GET http://user:pass@host:2379/v3/kv",
	    "GET http://user:***@host:2379/v3/kv");
	check_redact("https://root:p%40ss@etcd-0:2379 and etcd://a:b@c",
	    "https://root:***@etcd-0:2379 and etcd://a:***@c");
	/* Ports and times are not passwords. */
	check_redact("http://host:2379/x at 10:35:43 user@host",
	    "http://host:2379/x at 10:35:43 user@host");
	check_redact("Authorization: Bearer abc.def", "Authorization: Bearer ***");
	check_redact("authorization:tok123\nnext", "authorization:***\nnext");
	check_redact("hdr Authorization: Basic dXNlcjpwYXNz\r\n",
	    "hdr Authorization: Basic ***\r\n");
}
END_TEST

START_TEST(test_file_and_levels)
{
	char path[] = "/tmp/test-log-XXXXXX", buf[1024];
	FILE *f;
	size_t n;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(log_open(path), 0);
	log_set_ident("labd rootcoord-1");
	log_set_level(LOG_INFO);
	ck_assert_int_eq(log_get_level(), LOG_INFO);
	log_clear_secrets();
	log_add_secret("hunter2");
	log_info("password is %s", "hunter2");
	log_debug("not shown");
	log_error("two\nlines\x1b[31m");
	ck_assert_int_eq(log_open(NULL), 0);

	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(buf, " labd rootcoord-1 info: password is ***\n"));
	ck_assert_ptr_null(strstr(buf, "hunter2"));
	ck_assert_ptr_null(strstr(buf, "not shown"));
	ck_assert_ptr_nonnull(strstr(buf, "error: two\\nlines\\x1b[31m\n"));
	ck_assert_int_eq(log_open("/nonexistent-dir/x.log"), -1);
	log_set_ident(NULL);
	log_set_level(LOG_WARN);
	log_clear_secrets();
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, test_secrets);
	tcase_add_test(tc, test_config_secrets_registered);
	tcase_add_test(tc, test_urls_and_headers);
	tcase_add_test(tc, test_file_and_levels);
	suite_add_tcase(s, tc);
	return s;
}
