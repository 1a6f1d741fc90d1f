/* SPDX-License-Identifier: MIT */
/* The theme precedence (--theme > `theme use` > profile ui.theme > default)
 * and the installed theme directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/config.h"
#include "milvusadm/theme.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "theme-choice.h"
#include "theme-int.h"

#ifndef MILVUSADM_THEMES_DIR
#define MILVUSADM_THEMES_DIR "/usr/local/share/milvusadm/themes"
#endif

static char *theme_flag;

void
theme_choice_set_flag(const char *name)
{
	free(theme_flag);
	theme_flag = name != NULL ? xstrdup(name) : NULL;
}

const char *
theme_choice_installed(void)
{
#if defined(MILVUSADM_BUILD_EXE_DIR) && defined(MILVUSADM_SOURCE_THEMES_DIR)
	char exe[PATH_MAX], *slash;
	ssize_t n;

	/* Run from the build tree (tests, development): the source themes, so
	 * nothing has to be installed first. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		if (strcmp(exe, MILVUSADM_BUILD_EXE_DIR) == 0)
			return MILVUSADM_SOURCE_THEMES_DIR;
	}
#endif
	return MILVUSADM_THEMES_DIR;
}

char **
theme_choice_dirs(void)
{
	return theme_dirs_default(theme_choice_installed());
}

char *
theme_choice_path(void)
{
	char *dir = config_state_dir(), *path;

	if (dir == NULL)
		return NULL;
	path = xasprintf("%s/theme", dir);
	free(dir);
	return path;
}

int
theme_choice_save(const char *name, char *err, size_t errlen)
{
	char *dir = config_state_dir(), *path, *tmp;
	FILE *f;
	int fd;

	if (dir == NULL) {
		snprintf(err, errlen, "no state directory (set HOME or XDG_STATE_HOME)");
		return -1;
	}
	if (fs_mkdirs(dir, NULL, 0) == -1) {
		snprintf(err, errlen, "cannot create '%s': %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	path = xasprintf("%s/theme", dir);
	tmp = xasprintf("%s/theme.tmp", dir);
	free(dir);
	/* Write and rename, so a reader never sees half a name. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		free(tmp);
		return -1;
	}
	fprintf(f, "%s\n", name);
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		free(path);
		free(tmp);
		return -1;
	}
	free(path);
	free(tmp);
	return 0;
}

/* The saved name, or NULL when there is none (or it is not a valid name). */
static char *
theme_choice_saved(void)
{
	char *path = theme_choice_path(), line[128];
	FILE *f;

	if (path == NULL)
		return NULL;
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	return theme_name_valid(line) ? xstrdup(line) : NULL;
}

char *
theme_choice_name(const char *profile_theme, enum theme_from *from)
{
	char *saved;

	if (theme_flag != NULL) {
		*from = THEME_FROM_FLAG;
		return xstrdup(theme_flag);
	}
	if ((saved = theme_choice_saved()) != NULL) {
		*from = THEME_FROM_SAVED;
		return saved;
	}
	if (profile_theme != NULL && profile_theme[0] != '\0') {
		*from = THEME_FROM_PROFILE;
		return xstrdup(profile_theme);
	}
	*from = THEME_FROM_DEFAULT;
	return xstrdup("default");
}

const char *
theme_from_name(enum theme_from from)
{
	switch (from) {
	case THEME_FROM_FLAG:
		return "--theme";
	case THEME_FROM_SAVED:
		return "theme use";
	case THEME_FROM_PROFILE:
		return "profile";
	default:
		return "default";
	}
}
