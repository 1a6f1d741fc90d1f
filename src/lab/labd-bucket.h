/* SPDX-License-Identifier: MIT */
/* The lab's object storage: a bucket is a directory (LABDIR/minio/a-bucket),
 * an object a file under it. Milvus's proxies keep rows under its "files"
 * root, the backup server copies them under its "backup" root. */
#ifndef MILVUSADM_LAB_LABD_BUCKET_H
#define MILVUSADM_LAB_LABD_BUCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* milvus.yaml's minio.rootPath and backup.yaml's backupRootPath defaults. */
#define LBK_MILVUS_ROOT		"files"
#define LBK_BACKUP_ROOT		"backup"

/* Put an object: root/rel with its directories, written to a temporary name
 * and renamed, so a reader never sees half of one. 0, or -1 with err. */
int lbk_put(const char *root, const char *rel, const void *data, size_t len, char *err,
    size_t errlen);
/* Read a whole object of at most max bytes; NULL with err (missing: ENOENT). */
char *lbk_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);
bool lbk_exists(const char *path);
/* Size of one object, -1 when missing. */
int64_t lbk_size(const char *path);
/* Total size of the objects under path (0 when missing). */
int64_t lbk_du(const char *path);
/* Remove path and everything under it; a missing path is fine. */
int lbk_remove_tree(const char *path);
/* The directory names right under path, sorted, NULL-terminated (never NULL;
 * lab_strv_free). */
char **lbk_list_dirs(const char *path);

#endif
