/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the YAML config loader. */
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c;
	char err[512];
	size_t i;

	c = config_load_string("fuzz.yaml", (const char *)data, size, err, sizeof err);
	if (c != NULL) {
		/* Touch every profile so that the sanitizers see the strings. */
		for (i = 0; i < c->n_profiles; i++)
			(void)config_profile(c, c->profiles[i].name);
		(void)config_profile(c, NULL);
	}
	config_free(c);
	return 0;
}
