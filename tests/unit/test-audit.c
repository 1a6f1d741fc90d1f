/* SPDX-License-Identifier: MIT */
/* Unit tests for the audit log (src/ops/guard/audit.c): secrets redacted
 * from the command line and never read from the token file, lines appended
 * whole and read back, a corrupt line skipped, --since and --profile
 * filters, and following from an offset. The etcd trail (audit-etcd.c):
 * key names that sort by time, the trim arithmetic, a refused prefix, a
 * corrupt value skipped, and a mirror that never outlasts the timeout. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/audit.h"
#include "milvusadm/config.h"
#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "hung-server.h"

START_TEST(test_redact)
{
	char *a1[] = { "backup", "create", "--password", "hunter2", "--token=tok-SECRET",
	    "--option", "api_key=KEY123", "http://u:pw-SECRET@h:1/x", "--name", "n1" };
	char *r = audit_redact(10, a1);

	ck_assert_ptr_null(strstr(r, "hunter2"));
	ck_assert_ptr_null(strstr(r, "SECRET"));
	ck_assert_ptr_null(strstr(r, "KEY123"));
	ck_assert_str_eq(r, "backup create --password *** --token=*** --option api_key=*** "
	    "http://u:***@h:1/x --name n1");
	free(r);
	r = audit_redact(0, NULL);
	ck_assert_str_eq(r, "");
	free(r);
}
END_TEST

static unsigned n_each, n_skip;
static char last_cmd[64], last_user[64];

static void
each(const struct audit_record *r, void *arg)
{
	(void)arg;
	n_each++;
	snprintf(last_cmd, sizeof last_cmd, "%s", r->command);
	snprintf(last_user, sizeof last_user, "%s", r->milvus_user != NULL ? r->milvus_user : "");
}

static void
skip(long line, const char *why, void *arg)
{
	(void)line;
	(void)why;
	(void)arg;
	n_skip++;
}

START_TEST(test_append_read)
{
	char dir[] = "/tmp/milvusadm-audit-XXXXXX", tok[300], err[512], *path, *line;
	struct profile p;
	struct audit_entry e;
	struct stat sb;
	int64_t off = 0;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	snprintf(tok, sizeof tok, "%s/token", dir);
	f = fopen(tok, "w");
	fputs("alice:pass-SECRET-9", f);
	fclose(f);
	memset(&p, 0, sizeof p);
	p.name = "prod";
	p.milvus_token_file = tok;
	memset(&e, 0, sizeof e);
	e.phase = "begin";
	e.id = "1-2-3";
	e.p = &p;
	e.command = "backup delete";
	e.time_ms = 1000;
	ck_assert_int_eq(audit_append(&e, err, sizeof err), 0);
	e.phase = "end";
	e.outcome = "ok";
	e.target = "prod/bk1";
	e.guard = "--confirm";
	e.time_ms = 2000;
	ck_assert_int_eq(audit_append(&e, err, sizeof err), 0);
	path = audit_path();
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	/* The Milvus user, never its password. */
	line = audit_line(&e);
	ck_assert_ptr_nonnull(strstr(line, "\"milvus_user\":\"alice\""));
	ck_assert_ptr_null(strstr(line, "SECRET"));
	free(line);
	/* A corrupt line in the middle is skipped, the rest read. */
	f = fopen(path, "a");
	fputs("{not json\n", f);
	fclose(f);
	e.p = NULL;
	e.command = "lab kill";
	e.time_ms = 3000;
	ck_assert_int_eq(audit_append(&e, err, sizeof err), 0);
	n_each = n_skip = 0;
	ck_assert_int_eq(audit_read(path, &off, 0, NULL, each, skip, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n_each, 3);
	ck_assert_uint_eq(n_skip, 1);
	ck_assert_str_eq(last_cmd, "lab kill");
	/* Following: nothing new from the offset, then the new line only. */
	n_each = 0;
	ck_assert_int_eq(audit_read(path, &off, 0, NULL, each, skip, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n_each, 0);
	e.command = "restore";
	ck_assert_int_eq(audit_append(&e, err, sizeof err), 0);
	ck_assert_int_eq(audit_read(path, &off, 0, NULL, each, skip, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n_each, 1);
	ck_assert_str_eq(last_cmd, "restore");
	/* Filters: since and profile. */
	off = 0;
	n_each = 0;
	ck_assert_int_eq(audit_read(path, &off, 1500, "prod", each, NULL, NULL, err,
	    sizeof err), 0);
	ck_assert_uint_eq(n_each, 1);
	ck_assert_str_eq(last_user, "alice");
	/* No file: no lines, no error. */
	off = 0;
	n_each = 0;
	ck_assert_int_eq(audit_read("/nonexistent/audit.log", &off, 0, NULL, each, NULL, NULL,
	    err, sizeof err), 0);
	ck_assert_uint_eq(n_each, 0);
	free(path);
}
END_TEST

START_TEST(test_etcd_key)
{
	char *k1 = audit_etcd_key("milvusadm/audit/", 1712345678901LL, "1712345678900-42-0",
	    "begin");
	char *k2 = audit_etcd_key("t/audit/", 999, "9-1-0", "end");
	char *k3 = audit_etcd_key("t/audit/", 1000, "1-1-0", "begin");

	ck_assert_str_eq(k1, "milvusadm/audit/1712345678901-1712345678900-42-0-begin");
	/* Zero-padded to 13 digits: the key order is the time order. */
	ck_assert_str_eq(k2, "t/audit/0000000000999-9-1-0-end");
	ck_assert_int_lt(strcmp(k2, k3), 0);
	free(k1);
	free(k2);
	free(k3);
	/* begin sorts before end within one millisecond and action. */
	k1 = audit_etcd_key("t/audit/", 5, "5-7-1", "begin");
	k2 = audit_etcd_key("t/audit/", 5, "5-7-1", "end");
	ck_assert_int_lt(strcmp(k1, k2), 0);
	free(k1);
	free(k2);
}
END_TEST

START_TEST(test_etcd_trim)
{
	ck_assert_int_eq(audit_etcd_trim_count(0, 10), 0);
	ck_assert_int_eq(audit_etcd_trim_count(10, 10), 0);
	ck_assert_int_eq(audit_etcd_trim_count(11, 10), 1);
	ck_assert_int_eq(audit_etcd_trim_count(1003, 1000), 3);
	/* A lowered keep is reached over several writes. */
	ck_assert_int_eq(audit_etcd_trim_count(50000, 10), AUDIT_ETCD_TRIM_MAX);
	/* The line just written always stays. */
	ck_assert_int_eq(audit_etcd_trim_count(4, 0), 3);
}
END_TEST

START_TEST(test_etcd_dir)
{
	char err[256] = "", *d;

	d = audit_etcd_dir(NULL, NULL, err, sizeof err);
	ck_assert_str_eq(d, "milvusadm/audit/");
	free(d);
	d = audit_etcd_dir("team/", "by-dev", err, sizeof err);
	ck_assert_str_eq(d, "team/audit/");
	free(d);
	/* Inside the root path, with or without its slash, or the root inside
	 * the prefix: a trim would delete Milvus's keys. */
	ck_assert_ptr_null(audit_etcd_dir("by-dev/tool/", "by-dev", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "'by-dev/tool/' is not outside etcd.root_path "
	    "'by-dev'"));
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_ptr_null(audit_etcd_dir("by-dev/", "by-dev/", err, sizeof err));
	ck_assert_ptr_null(audit_etcd_dir("prod/", "prod/milvus", err, sizeof err));
	ck_assert_ptr_null(audit_etcd_dir("", "by-dev", err, sizeof err));
}
END_TEST

static unsigned n_rec;
static char skipped_key[128];

static void
each_rec(const struct audit_record *r, void *arg)
{
	(void)arg;
	n_rec++;
	snprintf(last_cmd, sizeof last_cmd, "%s", r->command);
}

static void
skip_key(const char *key, const char *why, void *arg)
{
	(void)why;
	(void)arg;
	snprintf(skipped_key, sizeof skipped_key, "%s", key);
}

START_TEST(test_etcd_records)
{
	char v1[] = "{\"time_ms\":1000,\"phase\":\"begin\",\"id\":\"a\",\"profile\":\"prod\","
	    "\"command\":\"backup delete\"}";
	char v2[] = "{not json";
	char v3[] = "{\"time_ms\":2000,\"phase\":\"end\",\"id\":\"a\",\"profile\":\"dev\","
	    "\"command\":\"restore\",\"outcome\":\"ok\",\"exit_code\":0}";
	char v4[] = "{\"time_ms\":\"soon\",\"phase\":\"end\",\"command\":\"x\"}";
	char *keys[] = { "t/audit/0000000001000-a-begin", "t/audit/0000000001500-planted",
	    "t/audit/0000000002000-a-end", "t/audit/0000000003000-bad-time" };
	char *values[] = { v1, v2, v3, v4 };
	struct etcd_kv kvs[4];
	size_t i;

	memset(kvs, 0, sizeof kvs);
	for (i = 0; i < 4; i++) {
		kvs[i].key = keys[i];
		kvs[i].value = values[i];
		kvs[i].value_len = strlen(values[i]);
	}
	/* A corrupt value is skipped with its key, never fatal. */
	n_rec = 0;
	ck_assert_uint_eq(audit_etcd_records(kvs, 4, 0, NULL, each_rec, skip_key, NULL), 2);
	ck_assert_uint_eq(n_rec, 2);
	ck_assert_str_eq(last_cmd, "restore");
	ck_assert_str_eq(skipped_key, "t/audit/0000000003000-bad-time");
	/* The filters of the file reader apply. */
	n_rec = 0;
	(void)audit_etcd_records(kvs, 4, 1500, NULL, each_rec, NULL, NULL);
	ck_assert_uint_eq(n_rec, 1);
	n_rec = 0;
	(void)audit_etcd_records(kvs, 4, 0, "prod", each_rec, NULL, NULL);
	ck_assert_uint_eq(n_rec, 1);
	ck_assert_str_eq(last_cmd, "backup delete");
}
END_TEST

START_TEST(test_etcd_mirror_bounded)
{
	char url[64], err[512] = "", *eps[4], *line;
	struct audit_entry e;
	struct profile p;
	struct loop *l;
	int64_t t0, took;
	int fd;

	http_global_init();
	l = loop_new();
	fd = hung_server(url, sizeof url);
	/* Three endpoints that hang: the client alone would try each for the
	 * per-request timeout in turn; the action waits one timeout in all. */
	eps[0] = eps[1] = eps[2] = url;
	eps[3] = NULL;
	memset(&p, 0, sizeof p);
	p.name = "hung";
	p.etcd_endpoints = eps;
	p.n_etcd_endpoints = 3;
	p.timeout_ms = 400;
	p.audit_etcd_mirror = true;
	p.audit_etcd_keep = 10;
	memset(&e, 0, sizeof e);
	e.phase = "begin";
	e.id = "1-2-3";
	e.p = &p;
	e.command = "backup delete";
	e.time_ms = time_wall_ms();
	line = audit_line(&e);
	t0 = time_mono_ms();
	ck_assert_int_eq(audit_etcd_mirror(l, &p, &e, line, err, sizeof err), -1);
	took = time_mono_ms() - t0;
	ck_assert_msg(took < 1000, "the mirror took %lld ms", (long long)took);
	ck_assert_str_ne(err, "");
	/* A prefix inside the root path is refused before any call. */
	p.guards_etcd_prefix = "by-dev/audit-here/";
	ck_assert_int_eq(audit_etcd_mirror(l, &p, &e, line, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not outside etcd.root_path"));
	free(line);
	close(fd);
	loop_free(l);
	http_global_cleanup();
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_append_read);
	tcase_add_test(tc, test_etcd_key);
	tcase_add_test(tc, test_etcd_trim);
	tcase_add_test(tc, test_etcd_dir);
	tcase_add_test(tc, test_etcd_records);
	tcase_add_test(tc, test_etcd_mirror_bounded);
	suite_add_tcase(s, tc);
	return s;
}
