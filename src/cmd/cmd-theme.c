/* SPDX-License-Identifier: MIT */
/* `theme list | use NAME | show [NAME]`: the themes found, the saved choice,
 * and a theme's roles resolved to this terminal's colour depth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/theme.h"
#include "milvusadm/xalloc.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"
#include "../ui/theme-choice.h"
#include "../ui/theme-int.h"

/* A name no theme can have is a mistake in the command (2), not a missing theme (1). */
static int
theme_check_arg(struct cmd_ctx *ctx, const char *name)
{
	if (theme_name_valid(name))
		return CMD_OK;
	return cmd_error(ctx, CMD_USAGE, "theme name '%s' is not valid (letters, digits, "
	    "'.', '_', '-'; not starting with '.')", name);
}

/* The profile's ui.theme and ui.banner (copies, NULL when there is no
 * usable config: themes work without a cluster). */
static void
theme_profile(struct cmd_ctx *ctx, char **theme, char **banner)
{
	const struct profile *p;
	struct config *c;
	char err[256];

	*theme = *banner = NULL;
	if ((c = config_load(NULL, err, sizeof err)) == NULL)
		return;
	if ((p = config_profile(c, ctx->profile)) != NULL) {
		if (p->ui_theme != NULL)
			*theme = xstrdup(p->ui_theme);
		if (p->ui_banner != NULL)
			*banner = xstrdup(p->ui_banner);
	}
	config_free(c);
}

static const struct out_col theme_list_cols[] = {
	{ "name", "NAME", OCOL_STR },
	{ "source", "SOURCE", OCOL_STR },
	{ "current", "CURRENT", OCOL_BOOL },
	{ "overrides", "OVERRIDES", OCOL_BOOL },
	{ "path", "PATH", OCOL_STR },
};

int
cmd_theme_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct theme_list l;
	struct out_doc *d;
	struct out_obj *root, *row;
	struct out_tab *t;
	enum theme_from from;
	char **dirs, *pt, *pb, *cur;
	size_t i;

	if (argc != 1)
		return cmd_usage(ctx, cmd_entry_by_name("theme list"));
	theme_profile(ctx, &pt, &pb);
	cur = theme_choice_name(pt, &from);
	dirs = theme_choice_dirs();
	theme_list((const char *const *)dirs, &l);
	d = out_doc_new("themes");
	root = out_doc_root(d);
	out_str(root, "current", cur);
	out_str(root, "chosen_by", theme_from_name(from));
	out_strv(root, "dirs", (const char *const *)dirs, dirs[1] != NULL ? 2 : 1);
	t = out_table(root, "themes", "themes", theme_list_cols,
	    sizeof theme_list_cols / sizeof theme_list_cols[0]);
	for (i = 0; i < l.n; i++) {
		/* The last directory is the installed one; earlier ones are the
		 * user's. */
		bool installed = dirs[l.v[i].dir + 1] == NULL;

		row = out_row(t);
		out_str(row, "name", l.v[i].name);
		out_str(row, "source", installed ? "installed" : "user");
		out_bool(row, "current", strcmp(l.v[i].name, cur) == 0);
		out_bool(row, "overrides", l.v[i].overrides);
		out_str(row, "path", l.v[i].path);
	}
	theme_list_release(&l);
	theme_dirs_free(dirs);
	free(cur);
	free(pt);
	free(pb);
	return cmd_emit(ctx, d);
}

int
cmd_theme_use(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct theme *th;
	struct out_doc *d;
	struct out_obj *root;
	char **dirs, err[512], *path;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(ctx, cmd_entry_by_name("theme use"));
	if (theme_check_arg(ctx, argv[1]) != CMD_OK)
		return CMD_USAGE;
	dirs = theme_choice_dirs();
	/* Only a theme that loads may be saved: a typo would otherwise show up
	 * as the fallback theme at the next start. */
	th = theme_load(argv[1], (const char *const *)dirs, err, sizeof err);
	theme_dirs_free(dirs);
	if (th == NULL)
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	theme_free(th);
	if (theme_choice_save(argv[1], err, sizeof err) == -1)
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	path = theme_choice_path();
	d = out_doc_new("theme_use");
	root = out_doc_root(d);
	out_str(root, "theme", argv[1]);
	out_str(root, "saved_in", path);
	free(path);
	return cmd_emit(ctx, d);
}

static const struct out_col theme_show_cols[] = {
	{ "role", "ROLE", OCOL_STR },
	{ "fg", "FG", OCOL_STR },
	{ "bg", "BG", OCOL_STR },
	{ "attrs", "ATTRS", OCOL_STR },
};

static int
theme_parse_depth(const char *s, enum theme_depth *depth)
{
	enum theme_depth d;

	for (d = THEME_DEPTH_MONO; d <= THEME_DEPTH_TRUECOLOR; d++) {
		if (strcmp(theme_depth_name(d), s) == 0) {
			*depth = d;
			return 0;
		}
	}
	return -1;
}

int
cmd_theme_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct theme_row rows[THEME_NROLES];
	struct theme_resolved r;
	struct theme *th;
	struct out_doc *d;
	struct out_obj *root, *row;
	struct out_tab *t;
	enum theme_from from = THEME_FROM_FLAG;
	enum theme_depth depth;
	const char *v, *name = NULL;
	char **dirs, err[512], *pt, *pb, *chosen;
	bool missing = false, have_depth = false;
	size_t i, n;
	int a;

	for (a = 1; a < argc; a++) {
		if ((v = cmd_opt_value(argc, argv, &a, "--depth", &missing)) != NULL) {
			if (theme_parse_depth(v, &depth) == -1)
				return cmd_error(ctx, CMD_USAGE, "depth '%s' is not one of "
				    "mono, 8, 16, 256, truecolor", v);
			have_depth = true;
		} else if (missing || argv[a][0] == '-' || name != NULL)
			return cmd_usage(ctx, cmd_entry_by_name("theme show"));
		else if (theme_check_arg(ctx, argv[a]) != CMD_OK)
			return CMD_USAGE;
		else
			name = argv[a];
	}
	if (!have_depth)
		depth = theme_detect_depth(getenv("TERM"), getenv("COLORTERM"), -1,
		    getenv("NO_COLOR"));
	theme_profile(ctx, &pt, &pb);
	chosen = name != NULL ? xstrdup(name) : theme_choice_name(pt, &from);
	dirs = theme_choice_dirs();
	th = theme_load(chosen, (const char *const *)dirs, err, sizeof err);
	theme_dirs_free(dirs);
	if (th == NULL) {
		free(chosen);
		free(pt);
		free(pb);
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	}
	theme_resolve(th, depth, &r);
	/* The profile's banner colour is part of what the TUI draws. */
	if (pb != NULL && depth != THEME_DEPTH_MONO)
		theme_set_banner(&r, pb);
	n = theme_describe(&r, rows);
	d = out_doc_new("theme");
	root = out_doc_root(d);
	out_str(root, "name", theme_name(th));
	out_str(root, "description", theme_description(th));
	out_str(root, "chosen_by", name != NULL ? "argument" : theme_from_name(from));
	out_str(root, "depth", theme_depth_name(depth));
	t = out_table(root, "roles", "roles", theme_show_cols,
	    sizeof theme_show_cols / sizeof theme_show_cols[0]);
	for (i = 0; i < n; i++) {
		row = out_row(t);
		out_str(row, "role", rows[i].role);
		out_str(row, "fg", rows[i].fg);
		out_str(row, "bg", rows[i].bg);
		out_str(row, "attrs", rows[i].attrs);
	}
	theme_free(th);
	free(chosen);
	free(pt);
	free(pb);
	return cmd_emit(ctx, d);
}
