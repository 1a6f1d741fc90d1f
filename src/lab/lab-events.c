/* SPDX-License-Identifier: MIT */
/* The lab's event log (LABDIR/events.log): one line per thing that happened to a
 * member, appended by the supervisor, `lab kill` and every labd process. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/lab.h"
#include "milvusadm/timeutil.h"

/*
 * Several processes append to the same file. With O_APPEND every write(2) lands
 * at the end as one piece (regular files on a local file system), so a line
 * written in a single call never interleaves with another process's line.
 * The file is opened for each event: events are rare, and a lab dir removed
 * under a running member then costs one failed open, not a stale descriptor.
 */
int
lab_event_vappend(const char *path, const char *member, const char *event,
    const char *fmt, va_list ap)
{
	char line[LAB_EVENT_LINE_MAX], ts[40];
	size_t len, i;
	ssize_t w;
	int fd, n;

	if (path == NULL || *path == '\0')
		return 0;
	/* The time of the event is now: take it before any I/O. */
	time_format_rfc3339(time_wall_ms(), ts, sizeof ts);
	n = snprintf(line, sizeof line, "%s %s %s", ts, member, event);
	if (n < 0)
		return -1;
	len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	if (fmt != NULL && *fmt != '\0' && len + 2 < sizeof line) {
		line[len++] = ' ';
		n = vsnprintf(line + len, sizeof line - len, fmt, ap);
		if (n > 0)
			len += (size_t)n < sizeof line - len ? (size_t)n : sizeof line - len - 1;
	}
	/* One event, one line: no control character may split or forge one. */
	for (i = 0; i < len; i++) {
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	}
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	do
		w = write(fd, line, len);
	while (w == -1 && errno == EINTR);
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

int
lab_event_append(const char *path, const char *member, const char *event,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = lab_event_vappend(path, member, event, fmt, ap);
	va_end(ap);
	return rc;
}
