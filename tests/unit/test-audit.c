/* SPDX-License-Identifier: MIT */
/* Unit tests for the audit log (src/ops/guard/audit.c): secrets redacted
 * from the command line and never read from the token file, lines appended
 * whole and read back, a corrupt line skipped, --since and --profile
 * filters, and following from an offset. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/audit.h"
#include "milvusadm/config.h"

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

Suite *
test_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_append_read);
	suite_add_tcase(s, tc);
	return s;
}
