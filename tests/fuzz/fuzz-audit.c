/* SPDX-License-Identifier: MIT */
/* libFuzzer target for what the tool reads back from etcd under its own
 * prefix, written by any operator's tool (or by hand): an audit line
 * (audit_parse_line, the whole input) and a protect record (the input as
 * "key\nvalue", protect_entry_parse). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/audit.h"
#include "milvusadm/protect.h"
#include "milvusadm/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	struct audit_record r;
	struct protect_entry e;
	char *key;
	const char *value;
	size_t klen;

	if (audit_parse_line((const char *)data, size, &r) == 0)
		audit_record_free(&r);
	klen = nl != NULL ? (size_t)(nl - (const char *)data) : 0;
	key = xstrndup((const char *)data, klen);
	value = nl != NULL ? nl + 1 : (const char *)data;
	(void)protect_entry_parse("milvusadm/", key, value,
	    size - (size_t)(value - (const char *)data), &e);
	free(key);
	return 0;
}
