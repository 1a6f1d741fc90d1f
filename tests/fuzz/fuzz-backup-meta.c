/* SPDX-License-Identifier: MIT */
/* libFuzzer target for a backup's full metadata (meta/full_meta.json): any
 * bytes, parsed twice into the same struct (released in between, as a caller
 * that reuses one would), then the result checked for what the API promises. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "milvusadm/backup_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct backup_meta *m, int rc, const char *err, size_t errlen)
{
	size_t i;

	/* A message always fits; a failure leaves nothing behind. */
	if (memchr(err, '\0', errlen) == NULL)
		__builtin_trap();
	if (rc != BACKUP_OK && (rc != BACKUP_EPROTO || err[0] == '\0' || m->colls != NULL ||
	    m->n_colls != 0 || m->name != NULL))
		__builtin_trap();
	if (m->size < -1 || m->taken_ms < 0 || m->n_colls > 100000)
		__builtin_trap();
	for (i = 0; i < m->n_colls; i++) {
		const struct backup_meta_coll *c = &m->colls[i];

		if (c->db == NULL || c->name == NULL || c->size < -1 || c->part_size_sum < -1 ||
		    c->seg_size_sum < -1 || c->log_size_sum < -1 || c->rows < -1 ||
		    c->partitions < 0 || c->segments < 0 || c->delta_logs < 0 ||
		    c->empty_segments < 0 || c->empty_segments > c->segments)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct backup_meta m;
	char err[256];
	int rc;

	rc = backup_parse_full_meta((const char *)data, size, &m, err, sizeof err);
	check(&m, rc, err, sizeof err);
	backup_meta_release(&m);
	rc = backup_parse_full_meta((const char *)data, size, &m, err, sizeof err);
	check(&m, rc, err, sizeof err);
	backup_meta_release(&m);
	return 0;
}
