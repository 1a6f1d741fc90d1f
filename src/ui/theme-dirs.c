/* SPDX-License-Identifier: MIT */
/* Theme directories: the default lookup order and listing the themes in it. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "milvusadm/theme.h"
#include "milvusadm/xalloc.h"
#include "theme-int.h"

#define THEME_MAX_LISTED	1024

char **
theme_dirs_default(const char *installed)
{
	char **dirs = xcalloc(3, sizeof *dirs);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	size_t n = 0;

	/* The XDG spec says relative values are invalid and must be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		dirs[n++] = xasprintf("%s/milvusadm/themes", xdg);
	else if (home != NULL && home[0] != '\0')
		dirs[n++] = xasprintf("%s/.config/milvusadm/themes", home);
	if (installed != NULL)
		dirs[n++] = xstrdup(installed);
	return dirs;
}

void
theme_dirs_free(char **dirs)
{
	size_t i;

	if (dirs == NULL)
		return;
	for (i = 0; dirs[i] != NULL; i++)
		free(dirs[i]);
	free(dirs);
}

static int
theme_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct theme_entry *)a)->name,
	    ((const struct theme_entry *)b)->name);
}

void
theme_list(const char *const *dirs, struct theme_list *out)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	char *path, stem[THEME_NAME_MAX];
	size_t i, j, n;

	memset(out, 0, sizeof *out);
	for (i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		if ((d = opendir(dirs[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL && out->n < THEME_MAX_LISTED) {
			n = strlen(de->d_name);
			if (n <= 5 || n - 5 >= sizeof stem ||
			    strcmp(de->d_name + n - 5, ".yaml") != 0)
				continue;
			memcpy(stem, de->d_name, n - 5);
			stem[n - 5] = '\0';
			if (!theme_name_valid(stem))
				continue;
			path = xasprintf("%s/%s", dirs[i], de->d_name);
			if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
				free(path);
				continue;
			}
			for (j = 0; j < out->n; j++) {
				if (strcmp(out->v[j].name, stem) == 0)
					break;
			}
			if (j < out->n) {
				if (out->v[j].dir < i)
					out->v[j].overrides = true;
				free(path);
				continue;
			}
			out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
			out->v[out->n].name = xstrdup(stem);
			out->v[out->n].path = path;
			out->v[out->n].dir = i;
			out->v[out->n].overrides = false;
			out->n++;
		}
		closedir(d);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, theme_entry_cmp);
}

void
theme_list_release(struct theme_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].path);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
