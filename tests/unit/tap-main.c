/* SPDX-License-Identifier: MIT */
/* Shared main for unit tests: runs the file's suite and reports TAP on stdout. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* nftw, mkdtemp, setenv when built outside the project */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <check.h>
#include <ftw.h>
#include <sys/stat.h>

Suite *test_suite(void);

/*
 * A suite that cannot run here (etcd-live without etcd) defines test_skip()
 * and returns why. It is weak so that the other suites need not define it.
 * A skip must be said, not passed: "1..0 # SKIP reason" is TAP's way, and
 * Meson and ./run count it as skipped.
 */
const char *test_skip(void) __attribute__((weak));

static char state_dir[] = "/tmp/milvusadm-unit-state-XXXXXX";

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
state_dir_remove(void)
{
	(void)nftw(state_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	SRunner *sr;
	const char *why;
	int failed;

	if (test_skip != NULL && (why = test_skip()) != NULL) {
		printf("1..0 # SKIP %s\n", why);
		return EXIT_SUCCESS;
	}
	/* Whatever a suite writes to the state directory (audit log, reports,
	 * records) goes to a directory of its own, never the user's. */
	if (mkdtemp(state_dir) != NULL) {
		setenv("XDG_STATE_HOME", state_dir, 1);
		atexit(state_dir_remove);
	}
	sr = srunner_create(test_suite());
	/* TAP on stdout for Meson; no fork so sanitizers and valgrind see everything. */
	srunner_set_tap(sr, "-");
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
