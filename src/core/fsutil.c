/* SPDX-License-Identifier: MIT */
/* mkdir -p and whole-file replacement, private: one implementation for every
 * state and config file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/fsutil.h"
#include "milvusadm/xalloc.h"

int
fs_mkdirs(const char *path, char *err, size_t errlen)
{
	char *p = xstrdup(path), *s, saved;
	int rc = 0, e;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		saved = *s;
		*s = '\0';
		if (p[0] != '\0' && mkdir(p, 0700) == -1 && errno != EEXIST) {
			e = errno;
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "cannot create '%s': %s", p, strerror(e));
			errno = e;
			rc = -1;
		}
		*s = saved;
		if (saved == '\0')
			break;
	}
	free(p);
	return rc;
}

int
fs_mkdirs_for(const char *path, char *err, size_t errlen)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		rc = fs_mkdirs(dir, err, errlen);
	}
	free(dir);
	return rc;
}

int
fs_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.tmp", path);
	const char *p = data;
	ssize_t n;
	int fd, e = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		e = errno;
	while (e == 0 && len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n == -1 ? errno : EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (e == 0 && fsync(fd) == -1)
		e = errno;
	if (fd != -1 && close(fd) == -1 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) == -1)
		e = errno;
	if (e != 0) {
		if (fd != -1)
			unlink(tmp);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
		errno = e;
	}
	free(tmp);
	return e == 0 ? 0 : -1;
}
