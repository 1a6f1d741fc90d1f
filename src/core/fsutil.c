/* SPDX-License-Identifier: MIT */
/* mkdir -p and whole-file replacement, private: one implementation for every
 * state and config file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/buf.h"
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

char *
fs_read_all(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	struct stat sb;
	char *data;
	size_t got = 0;
	ssize_t n;
	int fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (err != NULL)
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	/* A file is input like any other: a FIFO or a huge file is refused. */
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > max) {
		if (err != NULL)
			snprintf(err, errlen, "cannot read '%s': %s", path, !S_ISREG(sb.st_mode) ?
			    "not a regular file" : "larger than the limit");
		close(fd);
		return NULL;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	    (n = read(fd, data + got, (size_t)sb.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (err != NULL)
				snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
			free(data);
			close(fd);
			return NULL;
		}
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*len = got;
	return data;
}

static int
name_cmp_desc(const void *a, const void *b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

char **
fs_dir_names_desc(const char *dir, const char *suffix, size_t max, size_t *n)
{
	size_t len, slen = strlen(suffix);
	struct dirent *de;
	char **names = NULL;
	DIR *dp;

	*n = 0;
	if ((dp = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(dp)) != NULL && *n < max) {
		len = strlen(de->d_name);
		if (len <= slen || strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (*n > 1)
		qsort(names, *n, sizeof *names, name_cmp_desc);
	return names;
}

void
fs_name_part(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || (c == '.' && b->len > 0))
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}
