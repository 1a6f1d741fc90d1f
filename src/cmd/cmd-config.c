/* SPDX-License-Identifier: MIT */
/* `config keys | show | check`: the options table, a resolved profile and a
 * validation of the file, all read from the one table in core/config-keys.c
 * so that they cannot drift from what loading accepts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/xalloc.h"
#include "cmd-handlers.h"

static const struct out_col config_keys_cols[] = {
	{ "key", "KEY", OCOL_STR },
	{ "type", "TYPE", OCOL_STR },
	{ "default", "DEFAULT", OCOL_STR },
	{ "values", "VALUES", OCOL_STR },
	{ "help", "HELP", OCOL_STR },
};

int
cmd_config_keys(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct config_key_info *k;
	struct out_doc *d;
	struct out_obj *row;
	struct out_tab *t;
	char values[256];
	size_t n, i;

	if (argc != 1)
		return cmd_usage(ctx, cmd_entry_by_name("config keys"));
	n = config_keys(&k);
	d = out_doc_new("config-keys");
	t = out_table(out_doc_root(d), "keys", "keys", config_keys_cols,
	    sizeof config_keys_cols / sizeof config_keys_cols[0]);
	for (i = 0; i < n; i++) {
		config_key_values(i, values, sizeof values);
		row = out_row(t);
		out_str(row, "key", k[i].name);
		out_str(row, "type", k[i].type);
		out_str(row, "default", *k[i].def != '\0' ? k[i].def : NULL);
		out_str(row, "values", *values != '\0' ? values : NULL);
		out_str(row, "help", k[i].help);
	}
	return cmd_emit(ctx, d);
}

/* The config file, or the error said once; NULL then. */
static struct config *
config_open(struct cmd_ctx *ctx, const char *path, int *rc)
{
	struct config *c;
	char err[1024];

	if ((c = config_load(path, err, sizeof err)) == NULL)
		*rc = cmd_error(ctx, CMD_FAILED, "%s", err);
	return c;
}

static const struct out_col config_show_cols[] = {
	{ "key", "KEY", OCOL_STR },
	{ "value", "VALUE", OCOL_STR },
	{ "source", "SOURCE", OCOL_STR },
};

int
cmd_config_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = ctx->profile;
	const struct config_key_info *k;
	const struct profile *p;
	struct out_doc *d;
	struct out_obj *root, *row;
	struct out_tab *t;
	struct config *c;
	size_t n, i;
	bool is_def;
	char *v;
	int rc = CMD_FAILED;

	for (i = 1; i < (size_t)argc; i++) {
		if ((strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "--profile") == 0) &&
		    i + 1 < (size_t)argc)
			name = argv[++i];
		else
			return cmd_usage(ctx, cmd_entry_by_name("config show"));
	}
	if ((c = config_open(ctx, NULL, &rc)) == NULL)
		return rc;
	if ((p = config_profile(c, name)) == NULL) {
		if (name != NULL)
			rc = cmd_error(ctx, CMD_USAGE, "profile '%s' not found in '%s'", name,
			    c->path != NULL ? c->path : "(no config file)");
		else
			rc = cmd_error(ctx, CMD_FAILED, "no profile to show in '%s': name one "
			    "with -p", c->path != NULL ? c->path : "(no config file)");
		config_free(c);
		return rc;
	}
	d = out_doc_new("config-show");
	root = out_doc_root(d);
	out_str(root, "profile", p->name);
	out_str(root, "file", c->path);
	t = out_table(root, "keys", "keys", config_show_cols,
	    sizeof config_show_cols / sizeof config_show_cols[0]);
	n = config_keys(&k);
	for (i = 0; i < n; i++) {
		/* *_file keys are paths: the secrets in them are never read here. */
		v = config_key_value(p, i, &is_def);
		row = out_row(t);
		out_str(row, "key", k[i].name);
		out_str(row, "value", v);
		out_str(row, "source", v == NULL ? "unset" : is_def ? "default" : "set");
		free(v);
	}
	config_free(c);
	return cmd_emit(ctx, d);
}

int
cmd_config_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *path = NULL;
	struct out_doc *d;
	struct out_obj *root;
	struct config *c;
	struct stat sb;
	char **names;
	size_t i;
	int rc = CMD_FAILED;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0'))
		return cmd_usage(ctx, cmd_entry_by_name("config check"));
	if (argc == 2) {
		path = argv[1];
		/* Loading treats a missing file as an empty config; a file named
		 * to be checked must be there. */
		if (stat(path, &sb) != 0)
			return cmd_error(ctx, CMD_FAILED, "cannot read '%s': %s", path,
			    strerror(errno));
	}
	if ((c = config_open(ctx, path, &rc)) == NULL)
		return rc;
	d = out_doc_new("config-check");
	root = out_doc_root(d);
	out_str(root, "file", c->path != NULL ? c->path : path);
	out_bool(root, "ok", true);
	out_bool(root, "exists", c->path != NULL);
	names = xcalloc(c->n_profiles + 1, sizeof *names);
	for (i = 0; i < c->n_profiles; i++)
		names[i] = c->profiles[i].name;
	out_strv(root, "profiles", (const char *const *)names, c->n_profiles);
	out_str(root, "default_profile", config_profile(c, NULL) != NULL ?
	    config_profile(c, NULL)->name : NULL);
	free(names);
	config_free(c);
	return cmd_emit(ctx, d);
}
