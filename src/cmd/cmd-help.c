/* SPDX-License-Identifier: MIT */
/* help and version, generated from the command table. */
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/xalloc.h"
#include "cmd-handlers.h"

/* Is e one of noun's verbs ("lab up" for "lab")? */
static bool
help_is_verb(const struct cmd_entry *e, const char *noun)
{
	size_t n = strlen(noun);

	return strncmp(e->name, noun, n) == 0 && e->name[n] == ' ';
}

static int
help_width(const char *noun)
{
	const struct cmd_entry *e;
	int w = 0;

	for (e = cmd_entries; e->name != NULL; e++) {
		if ((e->flags & CMD_HIDDEN) || (noun != NULL && !help_is_verb(e, noun)))
			continue;
		if ((int)strlen(e->name) > w)
			w = (int)strlen(e->name);
	}
	return w;
}

/* What the dispatcher will check before running e, for "help COMMAND". */
static void
help_flags(struct buf *b, int flags)
{
	static const struct { int flag; const char *what; } notes[] = {
		{ CMD_NEEDS_ETCD, "needs the profile's etcd" },
		{ CMD_NEEDS_PROXY, "needs the profile's milvus.uri" },
		{ CMD_MUTATES, "changes things (refused under --read-only)" },
		{ CMD_DESTRUCTIVE, "destructive (needs --confirm NAME)" },
		{ CMD_LONG, "long-running (shows progress)" },
	};
	size_t i;

	for (i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		if (flags & notes[i].flag)
			buf_printf(b, "%s%s", b->len ? "; " : "", notes[i].what);
	}
}

static int
help_json(struct cmd_ctx *ctx, const char *noun)
{
	static const struct out_col cols[] = {
		{ "name", "COMMAND", OCOL_STR },
		{ "summary", "SUMMARY", OCOL_STR },
	};
	struct out_doc *d = out_doc_new("help");
	struct out_tab *t = out_table(out_doc_root(d), "commands", NULL, cols, 2);
	const struct cmd_entry *e;
	struct out_obj *r;

	for (e = cmd_entries; e->name != NULL; e++) {
		if ((e->flags & CMD_HIDDEN) || (noun != NULL && !help_is_verb(e, noun)))
			continue;
		r = out_row(t);
		out_str(r, "name", e->name);
		out_str(r, "alias", e->alias);
		out_str(r, "usage", e->usage);
		out_str(r, "summary", e->summary);
		out_bool(r, "needs_etcd", e->flags & CMD_NEEDS_ETCD);
		out_bool(r, "needs_proxy", e->flags & CMD_NEEDS_PROXY);
		out_bool(r, "mutates", e->flags & (CMD_MUTATES | CMD_DESTRUCTIVE));
		out_bool(r, "destructive", e->flags & CMD_DESTRUCTIVE);
	}
	return cmd_emit(ctx, d);
}

static void
help_list(struct cmd_ctx *ctx, const char *noun)
{
	const struct cmd_entry *e;
	int w = help_width(noun);

	for (e = cmd_entries; e->name != NULL; e++) {
		if ((e->flags & CMD_HIDDEN) || (noun != NULL && !help_is_verb(e, noun)))
			continue;
		fprintf(ctx->out, "  %-*s  %s\n", w, e->name, e->summary);
	}
}

int
cmd_help(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e;
	struct buf notes = BUF_INIT;
	char err[512];
	int nwords;
	bool noun = false;

	for (e = cmd_entries; argc == 2 && e->name != NULL; e++) {
		if (help_is_verb(e, argv[1]))
			noun = true;
	}
	if (ctx->format == OUT_JSON && (argc == 1 || noun))
		return help_json(ctx, noun ? argv[1] : NULL);
	if (noun) {
		/* "help lab": every verb of the noun. */
		help_list(ctx, argv[1]);
		return CMD_OK;
	}
	if (argc > 1) {
		e = cmd_find(argc - 1, argv + 1, &nwords, err, sizeof err);
		if (e == NULL)
			return cmd_error(ctx, CMD_USAGE, "%s", err);
		fprintf(ctx->out, "usage: milvusadm %s%s%s\n  %s\n", e->name,
		    e->usage[0] ? " " : "", e->usage, e->summary);
		if (e->alias != NULL)
			fprintf(ctx->out, "  also called '%s'\n", e->alias);
		help_flags(&notes, e->flags);
		if (notes.len > 0)
			fprintf(ctx->out, "  %s\n", notes.data);
		buf_release(&notes);
		return CMD_OK;
	}
	fprintf(ctx->out,
	    "usage: milvusadm [-p PROFILE] [-o json|table|tsv] [--read-only] COMMAND [ARGS...]\n"
	    "       milvusadm [-p PROFILE] [--keep-going] -c 'COMMAND; COMMAND...'\n"
	    "       milvusadm [-p PROFILE] [--keep-going] -f RUNBOOK\n"
	    "       milvusadm [-p PROFILE] shell\n\n"
	    "With no command on a terminal, milvusadm shows the cluster's live status;\n"
	    "commands piped on standard input run as a runbook.\n\n"
	    "commands:\n");
	help_list(ctx, NULL);
	fprintf(ctx->out, "\nEvery command takes -o json|table|tsv and --read-only. "
	    "'milvusadm help COMMAND'\nshows one command's usage; man milvusadm has "
	    "the details.\n");
	return CMD_OK;
}

int
cmd_version(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct out_doc *d;

	if (argc > 1)
		return cmd_usage(ctx, cmd_entry_by_name("version"));
	if (ctx->format == OUT_JSON) {
		d = out_doc_new("version");
		out_str(out_doc_root(d), "milvusadm", MILVUSADM_VERSION);
		return cmd_emit(ctx, d);
	}
	fprintf(ctx->out, "milvusadm %s\n", MILVUSADM_VERSION);
	return CMD_OK;
}

/* The shell is a mode main() starts; as a command inside a script or the
 * shell itself it can only explain that. */
int
cmd_shell(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_error(ctx, CMD_USAGE, "'shell' starts the interactive shell and only "
	    "works as 'milvusadm shell'");
}
