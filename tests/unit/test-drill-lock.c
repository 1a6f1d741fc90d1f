/* SPDX-License-Identifier: MIT */
/* Unit tests for the drill lock (drill-lock.c): a flock, never a stale file. */
#include <check.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "milvusadm/xalloc.h"

#include "../../src/ops/drill-int.h"

static char dir[64];
static char *path;

static void
setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/test-drill-lock-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/lock", dir);
}

static void
teardown(void)
{
	(void)unlink(path);
	(void)rmdir(dir);
	free(path);
}

static void
write_file(const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

/* Another drill in the window between its lock and its pid: held, empty. */
static int
hold_empty(void)
{
	int fd = open(path, O_RDWR | O_CREAT, 0600);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	return fd;
}

START_TEST(test_lock_two_takes_conflict)
{
	char err[256], want[64];
	bool refused = false;

	ck_assert_int_eq(drill_lock_holder(path), 0);
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	ck_assert(!refused);
	ck_assert_int_eq(drill_lock_holder(path), getpid());
	/* A second open file description: the flocks conflict in one process. */
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), -1);
	ck_assert(refused);
	snprintf(want, sizeof want, "pid %ld", (long)getpid());
	ck_assert_msg(strstr(err, want) != NULL, "%s", err);
	drill_lock_release(path);
	ck_assert_int_eq(drill_lock_holder(path), 0);
	/* A drill that ends leaves no file behind. */
	ck_assert_int_ne(access(path, F_OK), 0);
	refused = false;
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	drill_lock_release(path);
}
END_TEST

START_TEST(test_lock_held_before_pid_written)
{
	char err[256];
	bool refused = false;
	int fd;

	fd = hold_empty();
	ck_assert_int_ne(drill_lock_holder(path), 0);
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), -1);
	ck_assert(refused);
	ck_assert_msg(strstr(err, "another drill is running") != NULL, "%s", err);
	/* A release by a drill that does not hold it leaves the lock alone. */
	drill_lock_release(path);
	ck_assert_int_ne(drill_lock_holder(path), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	close(fd);
	ck_assert_int_eq(drill_lock_holder(path), 0);
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	drill_lock_release(path);
}
END_TEST

START_TEST(test_lock_dead_holder_taken)
{
	char err[256], want[64], c;
	bool refused = false;
	pid_t child;
	int p[2], st;

	/* A drill in another process holds the lock, then is killed. */
	ck_assert_int_eq(pipe(p), 0);
	if ((child = fork()) == 0) {
		bool r = false;
		char e[256];

		close(p[0]);
		if (drill_lock_take(path, &r, e, sizeof e) == 0 && write(p[1], "y", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ck_assert_int_gt(child, 0);
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	ck_assert_int_eq(drill_lock_holder(path), child);
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), -1);
	ck_assert(refused);
	snprintf(want, sizeof want, "pid %ld", (long)child);
	ck_assert_msg(strstr(err, want) != NULL, "%s", err);
	ck_assert_int_eq(kill(child, SIGKILL), 0);
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	/* Its file and pid are still there; its flock is not. */
	ck_assert_int_eq(drill_lock_holder(path), 0);
	refused = false;
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	ck_assert_int_eq(drill_lock_holder(path), getpid());
	drill_lock_release(path);
	ck_assert_int_ne(access(path, F_OK), 0);

	/* A file naming someone else's live pid (reused, or init, EPERM to
	 * signal) is not a lock either. */
	write_file("1\n");
	ck_assert_int_eq(drill_lock_holder(path), 0);
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	ck_assert(!refused);
	drill_lock_release(path);
	ck_assert_int_eq(drill_lock_holder(path), 0);
}
END_TEST

/* A release unlinks the file it holds: a descriptor opened before and locked
 * after holds a file no longer at the path, which blocks nobody (fails if
 * release leaves the file). The taker's own check for this race, between its
 * open and its flock, cannot be timed from a test and is not covered. */
START_TEST(test_lock_unlinked_file_is_no_lock)
{
	char err[256];
	bool refused = false;
	int old;

	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	old = open(path, O_RDWR);
	ck_assert_int_ne(old, -1);
	drill_lock_release(path);
	ck_assert_int_eq(flock(old, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(drill_lock_holder(path), 0);
	ck_assert_int_eq(drill_lock_take(path, &refused, err, sizeof err), 0);
	ck_assert(!refused);
	ck_assert_int_eq(drill_lock_holder(path), getpid());
	drill_lock_release(path);
	close(old);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill-lock");
	TCase *tc = tcase_create("lock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lock_two_takes_conflict);
	tcase_add_test(tc, test_lock_held_before_pid_written);
	tcase_add_test(tc, test_lock_dead_holder_taken);
	tcase_add_test(tc, test_lock_unlinked_file_is_no_lock);
	suite_add_tcase(s, tc);
	return s;
}
