/* SPDX-License-Identifier: MIT */
/* An in-memory key space standing in for etcd in the lab's unit tests
 * (test-labd-rest, -query, -rbac): keys, values, mod revisions. */
#ifndef LABD_KV_H
#define LABD_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_KV	512

struct kvspace {
	char *key[MAX_KV];
	char *val[MAX_KV];
	int64_t mod[MAX_KV];
	size_t n;
	int64_t rev;
};

extern struct kvspace kv;

int kv_find(const char *key);		/* index, or -1 */
void kv_put(const char *key, const char *val);
void kv_del(const char *key, bool prefix);
size_t kv_count(const char *prefix);	/* keys starting with prefix */
void kv_reset(void);			/* empty, revision 1 */

#endif
