/* SPDX-License-Identifier: MIT */
/* Small file-system helpers shared by the config, the state files (history,
 * theme choice, drill reports) and the lab. */
#ifndef MILVUSADM_FSUTIL_H
#define MILVUSADM_FSUTIL_H

#include <stddef.h>

/* mkdir -p: path and every missing directory above it, mode 0700 (they hold
 * cluster names, histories and reports). 0, or -1 with errno set and, when
 * err is given, "cannot create 'DIR': reason". */
int fs_mkdirs(const char *path, char *err, size_t errlen);
/* The same for the directory that holds the file path. */
int fs_mkdirs_for(const char *path, char *err, size_t errlen);
/* Replace path with data as one step: write "path.tmp" (mode 0600), fsync,
 * rename. A crash or a full disk leaves the old file or none, never half of
 * one. 0, or -1 with "cannot write 'PATH': reason" in err. */
int fs_write_atomic(const char *path, const void *data, size_t len, char *err,
    size_t errlen);
/* The whole of a regular file of at most max bytes, NUL-terminated, its
 * length in *len; NULL with "cannot read 'PATH': reason" in err. */
char *fs_read_all(const char *path, size_t max, size_t *len, char *err, size_t errlen);
/* The names in dir ending in suffix (at most max), sorted descending: report
 * ids begin with their UTC time, so the newest come first. NULL with *n 0
 * when there are none or dir cannot be read. Free each name and the array. */
char **fs_dir_names_desc(const char *dir, const char *suffix, size_t max, size_t *n);

struct buf;
/* Append s to b as (part of) one file name: anything but [A-Za-z0-9._-], and a
 * '.' that would begin the name, as %XX, so that no name (a profile's, a
 * collection's) can leave its folder or hide. */
void fs_name_part(struct buf *b, const char *s);

#endif
