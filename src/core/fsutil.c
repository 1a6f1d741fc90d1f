/* SPDX-License-Identifier: MIT */
/* mkdir -p, private: one implementation for every state and config file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
