/* SPDX-License-Identifier: MIT */
/* The lab unit tests' stand-in for etcd (labd-kv.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/xalloc.h"
#include "labd-kv.h"

struct kvspace kv;

int
kv_find(const char *key)
{
	size_t i;

	for (i = 0; i < kv.n; i++) {
		if (strcmp(kv.key[i], key) == 0)
			return (int)i;
	}
	return -1;
}

void
kv_put(const char *key, const char *val)
{
	int i = kv_find(key);

	kv.rev++;
	if (i < 0) {
		ck_assert_uint_lt(kv.n, MAX_KV);
		i = (int)kv.n++;
		kv.key[i] = xstrdup(key);
	} else
		free(kv.val[i]);
	kv.val[i] = xstrdup(val);
	kv.mod[i] = kv.rev;
}

void
kv_del(const char *key, bool prefix)
{
	size_t i = 0;

	while (i < kv.n) {
		if (prefix ? strncmp(kv.key[i], key, strlen(key)) == 0 : strcmp(kv.key[i], key) == 0) {
			free(kv.key[i]);
			free(kv.val[i]);
			kv.key[i] = kv.key[kv.n - 1];
			kv.val[i] = kv.val[kv.n - 1];
			kv.mod[i] = kv.mod[kv.n - 1];
			kv.n--;
		} else
			i++;
	}
}

size_t
kv_count(const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < kv.n; i++)
		n += strncmp(kv.key[i], prefix, strlen(prefix)) == 0;
	return n;
}

void
kv_reset(void)
{
	kv_del("", true);
	kv.rev = 1;
}
