/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the Prometheus text parser and its lookups. */
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keep[] = { "milvus_", "go_", NULL };
	struct prom_samples s;
	const struct prom_sample *p = NULL;
	size_t n;

	prom_parse((const char *)data, size, NULL, &s);
	while ((p = prom_find_next(&s, p, NULL, "role_name", NULL)) != NULL)
		(void)prom_label(p, "node_id");
	(void)prom_sum(&s, "milvus_num_node", "role_name", "rootcoord", &n);
	prom_samples_release(&s);
	prom_parse((const char *)data, size, keep, &s);
	(void)prom_find(&s, "milvus_num_node", NULL, NULL);
	prom_samples_release(&s);
	return 0;
}
