/* SPDX-License-Identifier: MIT */
/* The command table, noun-verb lookup with unique prefixes, help and version,
 * and the small result table every command prints through. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build-config.h"
#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/xalloc.h"
#include "cmd-handlers.h"



void
cmd_ctx_init(struct cmd_ctx *ctx, struct loop *loop, FILE *out, FILE *err)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->loop = loop;
	ctx->out = out;
	ctx->err = err;
	ctx->out_tty = isatty(fileno(out));
}

const struct cmd_entry *
cmd_table(void)
{
	return cmd_entries;
}

const struct cmd_entry *
cmd_entry_by_name(const char *name)
{
	const struct cmd_entry *e;

	for (e = cmd_entries; e->name != NULL; e++) {
		if (strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

/*
 * How the words of name match argv: -1 not at all, 0 by prefixes, 1 exactly.
 * *nwords gets the number of words in name.
 */
static int
cmd_match(const char *name, int argc, char **argv, int *nwords)
{
	const char *p = name;
	int i = 0, exact = 1;

	while (*p != '\0') {
		size_t wlen = strcspn(p, " ");

		if (i >= argc)
			return -1;
		if (strlen(argv[i]) > wlen || strncmp(p, argv[i], strlen(argv[i])) != 0 ||
		    argv[i][0] == '\0')
			return -1;
		if (strlen(argv[i]) != wlen)
			exact = 0;
		i++;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	*nwords = i;
	return exact;
}

/* The verbs of a noun, for "lab" typed alone. Returns how many were found. */
static int
cmd_list_verbs(const char *noun, struct buf *b)
{
	const struct cmd_entry *e;
	size_t n = strlen(noun);
	int found = 0;

	for (e = cmd_entries; e->name != NULL; e++) {
		if (strncmp(e->name, noun, n) == 0 && e->name[n] == ' ') {
			buf_printf(b, "%s%s", found ? ", " : "", e->name + n + 1);
			found++;
		}
	}
	return found;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *nwords, char *err, size_t errlen)
{
	const struct cmd_entry *e, *prefix = NULL;
	struct buf cands = BUF_INIT;
	int n = 0, prefix_words = 0, nprefix = 0, m;

	if (argc < 1) {
		snprintf(err, errlen, "no command given");
		return NULL;
	}
	for (e = cmd_entries; e->name != NULL; e++) {
		m = cmd_match(e->name, argc, argv, &n);
		if (m == -1 && e->alias != NULL)
			m = cmd_match(e->alias, argc, argv, &n);
		if (m == 1) {
			/* An exact name wins over any prefix match. */
			buf_release(&cands);
			*nwords = n;
			return e;
		}
		if (m == 0) {
			if (nprefix++ == 0) {
				prefix = e;
				prefix_words = n;
			}
			buf_printf(&cands, "%s%s", cands.len ? ", " : "", e->name);
		}
	}
	if (nprefix == 1) {
		buf_release(&cands);
		*nwords = prefix_words;
		return prefix;
	}
	if (nprefix > 1) {
		snprintf(err, errlen, "ambiguous command '%s%s%s': %s", argv[0],
		    argc > 1 ? " " : "", argc > 1 ? argv[1] : "", cands.data);
		buf_release(&cands);
		return NULL;
	}
	buf_release(&cands);
	if (cmd_list_verbs(argv[0], &cands) > 0) {
		if (argc > 1)
			snprintf(err, errlen, "unknown command '%s %s': '%s' takes %s", argv[0],
			    argv[1], argv[0], cands.data);
		else
			snprintf(err, errlen, "command '%s' needs one of: %s", argv[0], cands.data);
	} else
		snprintf(err, errlen, "unknown command '%s' (try 'milvusadm help')", argv[0]);
	buf_release(&cands);
	return NULL;
}

int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e;
	char err[512], **args;
	int nwords = 0, rc, i, nargs;

	e = cmd_find(argc, argv, &nwords, err, sizeof err);
	if (e == NULL) {
		fprintf(ctx->err, "milvusadm: %s\n", err);
		return CMD_USAGE;
	}
	/* The handler sees its full name as argv[0], then its own arguments. */
	nargs = argc - nwords + 1;
	args = xcalloc((size_t)nargs + 1, sizeof *args);
	args[0] = (char *)e->name;
	for (i = 1; i < nargs; i++)
		args[i] = argv[nwords + i - 1];
	rc = e->run(ctx, nargs, args);
	free(args);
	return rc;
}

int
cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	fprintf(ctx->err, "usage: milvusadm %s%s%s\n", e->name, e->usage[0] ? " " : "",
	    e->usage);
	return CMD_USAGE;
}

int
cmd_help(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e;
	struct buf verbs = BUF_INIT;
	char err[512];
	int nwords;

	if (argc == 2 && cmd_list_verbs(argv[1], &verbs) > 0) {
		/* "help lab": every verb of the noun. */
		size_t n = strlen(argv[1]);

		buf_release(&verbs);
		for (e = cmd_entries; e->name != NULL; e++) {
			if (strncmp(e->name, argv[1], n) == 0 && e->name[n] == ' ')
				fprintf(ctx->out, "  %-14s %s\n", e->name, e->summary);
		}
		return CMD_OK;
	}
	buf_release(&verbs);
	if (argc > 1) {
		e = cmd_find(argc - 1, argv + 1, &nwords, err, sizeof err);
		if (e == NULL) {
			fprintf(ctx->err, "milvusadm: %s\n", err);
			return CMD_USAGE;
		}
		fprintf(ctx->out, "usage: milvusadm %s%s%s\n  %s\n", e->name,
		    e->usage[0] ? " " : "", e->usage, e->summary);
		return CMD_OK;
	}
	fprintf(ctx->out, "usage: milvusadm [--version] [COMMAND [ARGS...]]\n\n"
	    "With no command, milvusadm shows the default cluster's live status.\n\n"
	    "commands:\n");
	for (e = cmd_entries; e->name != NULL; e++) {
		if (e->flags & CMD_HIDDEN)
			continue;
		fprintf(ctx->out, "  %-14s %s\n", e->name, e->summary);
	}
	return CMD_OK;
}

int
cmd_version(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return cmd_usage(ctx, cmd_entry_by_name("version"));
	fprintf(ctx->out, "milvusadm %s\n", MILVUSADM_VERSION);
	return CMD_OK;
}

struct cmd_table {
	size_t ncols;
	char **cells;			/* rows * ncols; row 0 is the header */
	size_t nrows;
};

struct cmd_table *
cmd_table_new(const char *const *headers, size_t ncols)
{
	struct cmd_table *t = xcalloc(1, sizeof *t);

	t->ncols = ncols;
	cmd_table_row(t, headers);
	return t;
}

/* Escape what a terminal or a TSV reader would misread; strings may come from the cluster. */
static char *
cmd_cell_clean(const char *s)
{
	struct buf b = BUF_INIT;

	if (s == NULL)
		s = "-";
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			buf_printf(&b, "\\x%02x", ch);
		else
			buf_addc(&b, (char)ch);
	}
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

void
cmd_table_row(struct cmd_table *t, const char *const *cells)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols, sizeof *t->cells);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = cmd_cell_clean(cells[i]);
	t->nrows++;
}

void
cmd_table_print(struct cmd_ctx *ctx, const struct cmd_table *t)
{
	size_t *w = xcalloc(t->ncols, sizeof *w), r, c;

	if (!ctx->out_tty) {
		/* TSV for scripts: no header, one record per line. */
		for (r = 1; r < t->nrows; r++) {
			for (c = 0; c < t->ncols; c++)
				fprintf(ctx->out, "%s%s", c ? "\t" : "", t->cells[r * t->ncols + c]);
			fputc('\n', ctx->out);
		}
		free(w);
		return;
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			size_t len = strlen(t->cells[r * t->ncols + c]);
			if (len > w[c])
				w[c] = len;
		}
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c + 1 == t->ncols)
				fprintf(ctx->out, "%s", t->cells[r * t->ncols + c]);
			else
				fprintf(ctx->out, "%-*s  ", (int)w[c], t->cells[r * t->ncols + c]);
		}
		fputc('\n', ctx->out);
	}
	free(w);
}

void
cmd_table_free(struct cmd_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
