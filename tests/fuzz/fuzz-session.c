/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the session parser and the raw JSON integer reader:
 * the input is "key\nvalue". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/session.h"
#include "milvusadm/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	struct session s;
	char err[256], *key;
	const char *value;
	size_t klen, vlen;
	int64_t v;

	klen = nl != NULL ? (size_t)(nl - (const char *)data) : 0;
	key = xstrndup((const char *)data, klen);
	value = nl != NULL ? nl + 1 : (const char *)data;
	vlen = size - (size_t)(value - (const char *)data);
	if (session_parse(key, value, vlen, &s, err, sizeof err) == 1)
		session_clear(&s);
	(void)jsonraw_top_int64(value, vlen, "LeaseID", &v);
	(void)jsonraw_parse_int64(value, vlen, &v);
	free(key);
	return 0;
}
