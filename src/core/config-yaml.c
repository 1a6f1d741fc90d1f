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

/* Line and column (1-based) of a byte offset, for reader errors libyaml
 * reports by offset only. */
static void
config_offset_mark(const char *text, size_t len, size_t off, size_t *line,
    size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

void
config_yaml_error(const char *name, const yaml_parser_t *parser,
    const char *text, size_t len, char *err, size_t errlen)
{
	size_t line, col;

	if (errlen == 0)
		return;
	if (parser->error == YAML_READER_ERROR) {
		config_offset_mark(text, len, parser->problem_offset, &line, &col);
		snprintf(err, errlen, "%s:%zu:%zu: %s", name, line, col,
		    parser->problem != NULL ? parser->problem : "cannot read");
	} else if (parser->error == YAML_MEMORY_ERROR)
		snprintf(err, errlen, "%s: out of memory", name);
	else if (parser->context != NULL)
		snprintf(err, errlen, "%s:%lu:%lu: %s (%s at line %lu)", name,
		    (unsigned long)parser->problem_mark.line + 1,
		    (unsigned long)parser->problem_mark.column + 1,
		    parser->problem != NULL ? parser->problem : "syntax error",
		    parser->context,
		    (unsigned long)parser->context_mark.line + 1);
	else
		snprintf(err, errlen, "%s:%lu:%lu: %s", name,
		    (unsigned long)parser->problem_mark.line + 1,
		    (unsigned long)parser->problem_mark.column + 1,
		    parser->problem != NULL ? parser->problem : "syntax error");
}

int
config_yaml_load(const char *name, const char *text, size_t len,
    yaml_document_t *doc, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *root;

	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc)) {
		config_yaml_error(name, &parser, text, len, err, errlen);
		yaml_parser_delete(&parser);
		return -1;
	}
	if (yaml_document_get_root_node(doc) != NULL) {
		if (!yaml_parser_load(&parser, &extra)) {
			config_yaml_error(name, &parser, text, len, err, errlen);
			yaml_document_delete(doc);
			yaml_parser_delete(&parser);
			return -1;
		}
		root = yaml_document_get_root_node(&extra);
		if (root != NULL) {
			snprintf(err, errlen, "%s:%lu:%lu: only one YAML document is allowed",
			    name, (unsigned long)root->start_mark.line + 1,
			    (unsigned long)root->start_mark.column + 1);
			yaml_document_delete(&extra);
			yaml_document_delete(doc);
			yaml_parser_delete(&parser);
			return -1;
		}
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	return 0;
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
