/* SPDX-License-Identifier: MIT */
/* Shared main for unit tests: runs the file's suite and reports TAP on stdout. */
#include <stdlib.h>
#include <check.h>

Suite *test_suite(void);

int
main(void)
{
	SRunner *sr = srunner_create(test_suite());
	int failed;

	/* TAP on stdout for Meson; no fork so sanitizers and valgrind see everything. */
	srunner_set_tap(sr, "-");
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
