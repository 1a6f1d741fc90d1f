/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the milvus-backup answer parsers: the first byte picks
 * the parser (low nibble) and the HTTP status (high nibble); the rest is the
 * body. Each parse is run twice into the same result, as a caller that reuses
 * one would, and released. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "milvusadm/backup_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*parse_fn)(const char *, size_t, int, struct backup_result *, char *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const parse_fn parsers[] = { backup_parse_hello, backup_parse_probe,
	    backup_parse_create, backup_parse_get, backup_parse_get_task, backup_parse_list,
	    backup_parse_delete, backup_parse_restore, backup_parse_get_restore };
	static const int statuses[16] = { 200, 200, 200, 200, 500, 503, 400, 404, 401, 403,
	    502, 504, 0, 201, 999, -1 };
	struct backup_result res;
	const char *body = (const char *)data + 1;
	char err[256] = "";
	parse_fn fn;
	int status;

	if (size < 1)
		return 0;
	fn = parsers[(data[0] & 0x0f) % (sizeof parsers / sizeof parsers[0])];
	status = statuses[data[0] >> 4];
	memset(&res, 0, sizeof res);
	fn(body, size - 1, status, &res, err, sizeof err);
	fn(body, size - 1, status, &res, err, sizeof err);
	/* A message always fits and is one line. */
	if (memchr(err, '\0', sizeof err) == NULL || strchr(err, '\n') != NULL)
		__builtin_trap();
	backup_result_release(&res);
	return 0;
}
