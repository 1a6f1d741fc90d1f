/* SPDX-License-Identifier: MIT */
/* The drill lock: one drill at a time per user, a file holding the pid. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drill-int.h"

static bool
pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

pid_t
drill_lock_holder(const char *path)
{
	char b[32];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return 0;
	n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	return pid_alive((pid_t)atol(b)) ? (pid_t)atol(b) : 0;
}

int
drill_lock_take(const char *path, bool *refused, char *err, size_t errlen)
{
	char b[32];
	pid_t holder;
	int fd, tries;

	for (tries = 0; tries < 2; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd != -1) {
			snprintf(b, sizeof b, "%ld\n", (long)getpid());
			if (write(fd, b, strlen(b)) < 0) {
				/* An empty lock still excludes; its pid is only a hint. */
			}
			close(fd);
			return 0;
		}
		if (errno != EEXIST)
			break;
		if ((holder = drill_lock_holder(path)) != 0) {
			*refused = true;
			snprintf(err, errlen, "another drill is running (pid %ld, lock '%s')",
			    (long)holder, path);
			return -1;
		}
		/* A stale lock from a drill that died. */
		(void)unlink(path);
	}
	snprintf(err, errlen, "cannot create lock '%s': %s", path, strerror(errno));
	return -1;
}

void
drill_lock_release(const char *path)
{
	(void)unlink(path);
}
