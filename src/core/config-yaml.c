/* SPDX-License-Identifier: MIT */
/* The config's plumbing: file locations, reading, loading one YAML document
 * with positioned errors, and "did you mean" suggestions. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "milvusadm/config.h"
#include "milvusadm/xalloc.h"
#include "config-internal.h"

/* Levenshtein distance, capped: names are short. */
size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev, tmp;

	if (la >= 63 || lb >= 63)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
config_suggest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd = (size_t)-1, limit;

	limit = strlen(name) < 4 ? 1 : strlen(name) < 9 ? 2 : 3;
	for (i = 0; i < n; i++) {
		d = config_distance(name, cands[i]);
		if (d <= limit && d < bestd) {
			best = cands[i];
			bestd = d;
		}
	}
	return best;
}

int
config_read_file(const char *path, char **text, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;
	FILE *f;
	size_t n;

	*text = NULL;
	*len = 0;
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	if (st.st_size > CONFIG_MAX_SIZE) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, CONFIG_MAX_SIZE);
		fclose(f);
		return -1;
	}
	*text = xmalloc((size_t)st.st_size + 1);
	n = fread(*text, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(*text);
		*text = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	(*text)[n] = '\0';
	*len = n;
	return 0;
}

static char *
config_xdg_dir(const char *env, const char *fallback)
{
	const char *v = getenv(env), *home;
	struct passwd *pw;

	/* The XDG spec says relative values are invalid and must be ignored. */
	if (v != NULL && v[0] == '/')
		return xasprintf("%s/milvusadm", v);
	home = getenv("HOME");
	if ((home == NULL || *home == '\0') && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	if (home == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/%s/milvusadm", home, fallback);
}

char *
config_default_path(void)
{
	char *dir = config_xdg_dir("XDG_CONFIG_HOME", ".config"), *p;

	p = xasprintf("%s/config.yaml", dir);
	free(dir);
	return p;
}

char *
config_state_dir(void)
{
	return config_xdg_dir("XDG_STATE_HOME", ".local/state");
}
