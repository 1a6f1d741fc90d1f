/* SPDX-License-Identifier: MIT */
/* Unit tests for core: buffers, durations, directories, URLs. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"

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

START_TEST(test_mkdirs)
{
	char base[] = "/tmp/test-core-XXXXXX", path[256], file[256], err[512];
	struct stat st;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(base));
	/* Every missing level, private, and again without complaint. */
	snprintf(path, sizeof path, "%s/a/b/c", base);
	ck_assert_int_eq(fs_mkdirs(path, err, sizeof err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(fs_mkdirs(path, err, sizeof err), 0);
	/* The directory of a file path. */
	snprintf(file, sizeof file, "%s/x/y/config.yaml", base);
	ck_assert_int_eq(fs_mkdirs_for(file, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/x/y", base);
	ck_assert_int_eq(stat(path, &st), 0);
	snprintf(path, sizeof path, "%s/x/y/config.yaml", base);
	ck_assert_int_eq(stat(path, &st), -1);
	/* A file where a directory should be: one line naming it. */
	snprintf(file, sizeof file, "%s/plain", base);
	ck_assert_ptr_nonnull(f = fopen(file, "w"));
	fclose(f);
	snprintf(path, sizeof path, "%s/plain/sub", base);
	ck_assert_int_eq(fs_mkdirs(path, err, sizeof err), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_ptr_nonnull(strstr(err, "cannot create '"));
	ck_assert_ptr_nonnull(strstr(err, "/plain/sub'"));
	snprintf(path, sizeof path, "rm -rf '%s'", base);
	ck_assert_int_eq(system(path), 0);
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
	ck_assert_int_eq(time_parse_duration("1.5m", &ms), 0);
	ck_assert_int_eq(ms, 90000);
	ck_assert_int_eq(time_parse_duration(".5s", &ms), 0);
	ck_assert_int_eq(ms, 500);
	ck_assert_int_eq(time_parse_duration("36500d", &ms), 0);
	ck_assert_int_eq(ms, TIME_DURATION_MAX_MS);
}
END_TEST

/* What strtod takes but no one means as a duration, and results too large for int64. */
START_TEST(test_duration_rejects)
{
	static const char *bad[] = {
		"nan", "NAN", "nans", "inf", "infinity", "-inf", "0x10s", "0x10",
		"1e3", "1e3s", " 5s", "+5s", ".", ".s", "s", "5 s", "5s ", "1..2s",
		"200000000000d", "1000000000000", "36501d", "99999999999999999999h",
	};
	int64_t ms = 42;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(time_parse_duration(bad[i], &ms) == -1,
		    "'%s' was accepted as %lld ms", bad[i], (long long)ms);
	ck_assert_int_eq(ms, 42);
}
END_TEST

/* The one userinfo parser behind every place that shows a URL. */
START_TEST(test_url_userinfo)
{
	char out[128], *r;

	url_strip_userinfo("http://user:pw@backup:8080/api/v1", out, sizeof out);
	ck_assert_str_eq(out, "http://backup:8080/api/v1");
	url_strip_userinfo("http://backup:8080/a@b", out, sizeof out);
	ck_assert_str_eq(out, "http://backup:8080/a@b");
	/* A raw '@' in the password is hidden whole (the last '@' ends it). */
	url_strip_userinfo("https://root:p@ss@etcd-0:2379", out, sizeof out);
	ck_assert_str_eq(out, "https://etcd-0:2379");
	url_strip_userinfo("root:pw@etcd-0:2379", out, sizeof out);
	ck_assert_str_eq(out, "etcd-0:2379");
	url_strip_userinfo(NULL, out, sizeof out);
	ck_assert_str_eq(out, "");

	url_origin("https://root:pw@etcd-0:2379/v3/kv?x#y", out, sizeof out);
	ck_assert_str_eq(out, "https://etcd-0:2379");
	url_origin("10.0.0.1:19530", out, sizeof out);
	ck_assert_str_eq(out, "10.0.0.1:19530");

	r = url_redact_password("http://root:s3cret@etcd:2379/x");
	ck_assert_str_eq(r, "http://root:***@etcd:2379/x");
	free(r);
	r = url_redact_password("http://root@etcd:2379");
	ck_assert_str_eq(r, "http://root@etcd:2379");
	free(r);
	r = url_redact_password("--force");
	ck_assert_str_eq(r, "--force");
	free(r);
	/* Address literals skip libcurl's DNS cache (http.c); names do not. */
	ck_assert(url_host_is_ip("http://10.0.0.1:9091/healthz"));
	ck_assert(url_host_is_ip("http://u:p@127.0.0.1:2379"));
	ck_assert(url_host_is_ip("http://[::1]:9091/healthz"));
	ck_assert(!url_host_is_ip("http://etcd-0:2379"));
	ck_assert(!url_host_is_ip("http://10.0.0.1.nip.io:2379"));
	ck_assert(!url_host_is_ip("no scheme"));
	ck_assert(!url_host_is_ip(NULL));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_buf_json_str);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_duration_rejects);
	tcase_add_test(tc, test_mkdirs);
	tcase_add_test(tc, test_url_userinfo);
	suite_add_tcase(s, tc);
	return s;
}
