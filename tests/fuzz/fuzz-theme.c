/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the theme YAML loader, resolution and description. */
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The shipped themes, so that inherit: is exercised too. */
	static const char *const dirs[] = { THEMES_DIR, NULL };
	struct theme_row rows[THEME_NROLES];
	struct theme_resolved r;
	struct theme *t;
	char err[512];
	int d;

	if (size > THEME_MAX_SIZE)
		return 0;
	t = theme_load_string("fuzz.yaml", (const char *)data, size, dirs, err,
	    sizeof err);
	if (t == NULL)
		return 0;
	for (d = THEME_DEPTH_MONO; d <= THEME_DEPTH_TRUECOLOR; d++) {
		theme_resolve(t, (enum theme_depth)d, &r);
		theme_describe(&r, rows);
		(void)theme_set_banner(&r, theme_description(t));
	}
	theme_free(t);
	return 0;
}
