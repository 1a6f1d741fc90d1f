/* SPDX-License-Identifier: MIT */
/* Start requests: the files `milvusadm lab start` leaves for the lab supervisor,
 * and the check that a supervisor can be woken for them without killing it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/lab.h"
#include "milvusadm/xalloc.h"

/* A request names one member: far less than this, whatever else is there. */
#define LAB_REQUEST_MAX		256

char *
lab_start_request_path(const struct lab *lab, const char *member)
{
	return xasprintf("%s/%s%s", lab->dir, LAB_START_REQUEST_PREFIX, member);
}

int
lab_start_request_write(const struct lab *lab, const char *member, char *err,
    size_t errlen)
{
	char *path = lab_start_request_path(lab, member), *text;
	int rc;

	/* The name inside, not only in the file name: a request is checked whole. */
	text = xasprintf("%s\n", member);
	rc = lab_write_atomic(path, text, err, errlen);
	free(text);
	free(path);
	return rc;
}

int
lab_start_request_take(const struct lab *lab, const char *member)
{
	char *path = lab_start_request_path(lab, member), text[LAB_REQUEST_MAX];
	ssize_t n;
	size_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		free(path);
		return 0;
	}
	do
		n = read(fd, text, sizeof text - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	/* Taken before it is acted on: one request starts a member once. */
	unlink(path);
	free(path);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	len = strcspn(text, "\n");
	return len == strlen(member) && strncmp(text, member, len) == 0 ? 1 : -1;
}

bool
lab_status_catches(const char *status, int signo)
{
	const char *p = status;
	uint64_t mask;
	char *end;

	if (status == NULL || signo < 1 || signo > 64)
		return false;
	while (p != NULL) {
		if (strncmp(p, "SigCgt:", 7) == 0) {
			p += 7;
			p += strspn(p, " \t");
			errno = 0;
			mask = strtoull(p, &end, 16);
			if (errno != 0 || end == p)
				return false;
			return (mask >> (signo - 1)) & 1;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return false;
}

bool
lab_pid_catches(pid_t pid, int signo)
{
	char text[4096];

	if (lab_proc_read(pid, "status", text, sizeof text) == 0)
		return false;
	return lab_status_catches(text, signo);
}
