/* SPDX-License-Identifier: MIT */
/* A temporary config.yaml for the command tests (see unit-config.h). */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit-config.h"

static char cfg_dir[] = "/tmp/test-cfg-XXXXXX";

static void
unit_config_remove(void)
{
	char path[128];

	snprintf(path, sizeof path, "%s/milvusadm/config.yaml", cfg_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/milvusadm", cfg_dir);
	rmdir(path);
	rmdir(cfg_dir);
}

void
unit_config_write(const char *text)
{
	static bool made;
	char path[128];
	FILE *f;

	if (!made) {
		ck_assert_ptr_nonnull(mkdtemp(cfg_dir));
		atexit(unit_config_remove);
		made = true;
	}
	setenv("XDG_CONFIG_HOME", cfg_dir, 1);
	snprintf(path, sizeof path, "%s/milvusadm", cfg_dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/milvusadm/config.yaml", cfg_dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}
