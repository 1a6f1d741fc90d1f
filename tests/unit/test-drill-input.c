/* SPDX-License-Identifier: MIT */
/* Unit tests for what a drill takes from outside: the target's form (checked
 * before any cluster is contacted), saved reports edited into nonsense, and
 * the whole-file writes that keep a crash from leaving half a report. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/drill.h"
#include "milvusadm/fsutil.h"
#include "../../src/ops/drill-int.h"

START_TEST(test_target_forms)
{
	static const char *good[] = {
		"rootcoord", "querycoord", "datacoord", "mixcoord", "querynode", "proxy",
		"querynode/12", "streamingnode/7", "etcd-leader", "etcd/etcd-1",
	};
	static const char *bad[] = {
		"", "foo", "foo/1", "/3", "querynode/", "querynode/12x", "querynode/+12",
		"querynode/ 12", "querynode/-1", "querynode/0", "querynode/0x10",
		"querynode/99999999999999999999", "etcd", "etcd/", "etcd/a/b", "rootcoord/1/2",
		"ROOTCOORD",
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(drill_target_check(good[i], err, sizeof err) == 0, "'%s': %s",
		    good[i], err);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		ck_assert_msg(drill_target_check(bad[i], err, sizeof err) == -1,
		    "'%s' was taken", bad[i]);
		/* One line that names what was wrong. */
		ck_assert_ptr_nonnull(strstr(err, "target '"));
		ck_assert_ptr_null(strchr(err, '\n'));
	}
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A saved report edited by hand: out-of-range numbers are not cast (UB). */
START_TEST(test_report_numbers_out_of_range)
{
	char dir[] = "/tmp/test-drill-input-XXXXXX", path[300], err[256];
	struct drill_report *r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.json", dir);
	write_file(path, "{\"kind\":\"drill-report\",\"version\":1,\"id\":\"x\","
	    "\"created_ms\":1e30,\"target\":{\"name\":\"rootcoord\"},\"verdict\":\"met\","
	    "\"rto_ms\":-1e300,\"phases\":{}}");
	r = drill_report_load(path, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	/* The defaults, not whatever a cast of 1e30 gives. */
	ck_assert(r->created_ms == 0);
	ck_assert(r->fsm.rto_ms == -1);
	drill_report_free(r);
	unlink(path);
	rmdir(dir);
}
END_TEST

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

START_TEST(test_write_atomic)
{
	char dir[] = "/tmp/test-drill-input-XXXXXX", path[300], bad[350], err[512], got[64];
	struct stat st;
	FILE *f;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.json", dir);
	ck_assert_int_eq(fs_write_atomic(path, "first", 5, err, sizeof err), 0);
	ck_assert_int_eq(fs_write_atomic(path, "second!", 7, err, sizeof err), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	ck_assert_str_eq(got, "second!");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* No temporary file is left beside it. */
	ck_assert_uint_eq(count_entries(dir), 1);
	/* A directory that is not there: one line naming the file, nothing left. */
	snprintf(bad, sizeof bad, "%s/missing/r.json", dir);
	ck_assert_int_eq(fs_write_atomic(bad, "x", 1, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot write '"));
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	ck_assert_uint_eq(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_id_unique)
{
	char dir[] = "/tmp/test-drill-input-XXXXXX", path[300];
	char *id = strdup("20261127T154818Z-rootcoord");

	ck_assert_ptr_nonnull(mkdtemp(dir));
	drill_id_unique(&id, dir);
	ck_assert_str_eq(id, "20261127T154818Z-rootcoord");
	snprintf(path, sizeof path, "%s/%s.json", dir, id);
	write_file(path, "{}");
	drill_id_unique(&id, dir);
	ck_assert_str_eq(id, "20261127T154818Z-rootcoord-2");
	snprintf(path, sizeof path, "%s/%s.json", dir, id);
	write_file(path, "{}");
	free(id);
	id = strdup("20261127T154818Z-rootcoord");
	drill_id_unique(&id, dir);
	ck_assert_str_eq(id, "20261127T154818Z-rootcoord-3");
	free(id);
	snprintf(path, sizeof path, "%s/20261127T154818Z-rootcoord.json", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/20261127T154818Z-rootcoord-2.json", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill-input");
	TCase *tc = tcase_create("input");

	tcase_add_test(tc, test_target_forms);
	tcase_add_test(tc, test_report_numbers_out_of_range);
	tcase_add_test(tc, test_write_atomic);
	tcase_add_test(tc, test_id_unique);
	suite_add_tcase(s, tc);
	return s;
}
