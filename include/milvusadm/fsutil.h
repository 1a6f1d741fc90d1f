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

#endif
