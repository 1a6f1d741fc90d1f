/* SPDX-License-Identifier: MIT */
/* The lab's object storage as files: put, read, size, list and remove. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/fsutil.h"
#include "milvusadm/xalloc.h"
#include "labd-bucket.h"

#define LBK_MAX_DIRS	100000	/* entries listed from one directory */

int
lbk_put(const char *root, const char *rel, const void *data, size_t len, char *err,
    size_t errlen)
{
	char *path = xasprintf("%s/%s", root, rel), *tmp;
	const char *p = data;
	size_t done = 0;
	ssize_t w;
	int fd, rc = -1;

	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if (fs_mkdirs_for(path, err, errlen) != 0)
		goto out;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "cannot write '%s': %s", rel, strerror(errno));
		goto out;
	}
	while (done < len) {
		if ((w = write(fd, p + done, len - done)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot write '%s': %s", rel,
			    w == -1 ? strerror(errno) : "short write");
			close(fd);
			unlink(tmp);
			goto out;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", rel, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(path);
	return rc;
}

char *
lbk_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *data;
	ssize_t r;
	size_t done = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		snprintf(err, errlen, "not an object of at most %zu bytes", max);
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (done < (size_t)st.st_size) {
		if ((r = read(fd, data + done, (size_t)st.st_size - done)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			break;
		}
		done += (size_t)r;
	}
	close(fd);
	data[done] = '\0';
	if (len != NULL)
		*len = done;
	return data;
}

bool
lbk_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int64_t
lbk_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

/* Walk path: sum sizes (rm false) or remove everything (rm true). */
static int64_t
lbk_walk(const char *path, bool rm)
{
	struct dirent *de;
	struct stat st;
	int64_t total = 0;
	char *sub;
	DIR *d;

	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		if (rm)
			(void)unlink(path);
		return S_ISREG(st.st_mode) ? (int64_t)st.st_size : 0;
	}
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		total += lbk_walk(sub, rm);
		free(sub);
	}
	closedir(d);
	if (rm)
		(void)rmdir(path);
	return total;
}

int64_t
lbk_du(const char *path)
{
	return lbk_walk(path, false);
}

int
lbk_remove_tree(const char *path)
{
	(void)lbk_walk(path, true);
	return lbk_exists(path) ? -1 : 0;
}

static int
lbk_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
lbk_list_dirs(const char *path)
{
	struct dirent *de;
	struct stat st;
	char **v = xcalloc(1, sizeof *v), *sub;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(path)) == NULL)
		return v;
	while ((de = readdir(d)) != NULL && n < LBK_MAX_DIRS) {
		if (de->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = xstrdup(de->d_name);
			v[n] = NULL;
		}
		free(sub);
	}
	closedir(d);
	qsort(v, n, sizeof *v, lbk_cmp);
	return v;
}
