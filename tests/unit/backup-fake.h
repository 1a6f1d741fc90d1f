/* SPDX-License-Identifier: MIT */
/* The fake milvus-backup server of the command tests (backup-fake.c). */
#ifndef BACKUP_FAKE_H
#define BACKUP_FAKE_H

#include <stddef.h>

#define H_MS	3600000LL

/* Start the server and write a config whose profiles point at it: "t" (the
 * default: backup, etcd and milvus.uri here, stall_after 2s, timeout 2s),
 * "ro" (read_only), "nobackup" (no backup.url), "down" (nothing answers). */
void fake_start(void);
void fake_stop(void);
/* Back to two backups: "fresh_docs" (a task of this process, 1 h old,
 * default.docs) and "old_all" (known from storage, 30 h old, default.docs
 * and db2.logs); the cluster has default.docs and db2.logs. */
void fake_reset(void);

enum fake_counter { FAKE_CREATE, FAKE_DELETE, FAKE_RESTORE };
/* Requests that changed something since the reset. */
int fake_count(enum fake_counter which);
/* The body of the last /restore request. */
void fake_last_restore(char *out, size_t len);

#endif
