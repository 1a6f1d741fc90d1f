/* SPDX-License-Identifier: MIT */
/* Running scripts of commands (-c text, runbooks, piped stdin, shell lines):
 * stop at the first failure with "file:line:", or keep going and keep the worst. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/xalloc.h"

/* A runbook line longer than this is not a command; it is refused, not run. */
#define SCRIPT_MAX_LINE 65536

static void
script_record(struct cmd_script *s, int rc)
{
	if (rc > s->worst)
		s->worst = rc;
	if (rc != CMD_OK && !s->keep_going)
		s->stopped = true;
}

static int
script_result(const struct cmd_script *s)
{
	return s->worst;
}

/* A failure of the script itself (not of a command): one line, exit 2. */
static void
script_fail(struct cmd_ctx *ctx, struct cmd_script *s, int line, const char *msg)
{
	if (s->name != NULL)
		fprintf(ctx->err, "%s:%d: %s\n", s->name, line, msg);
	else
		fprintf(ctx->err, "milvusadm: %s\n", msg);
	fflush(ctx->err);
	script_record(s, CMD_USAGE);
}

/*
 * Lex and run text. With final false, text that ends inside a quote or after
 * a backslash returns CMD_LEX_MORE and runs nothing, so the caller can add
 * the next line.
 */
static int
script_run(struct cmd_ctx *ctx, struct cmd_script *s, const char *text, int line,
    bool final)
{
	struct cmd_list list;
	char err[256];
	unsigned int before;
	size_t i;
	int rc, errline = line;

	if (s->stopped)
		return script_result(s);
	rc = cmd_lex(text, line, 0, &list, err, sizeof err, &errline);
	if (rc == CMD_LEX_MORE && !final)
		return CMD_LEX_MORE;
	if (rc != 0) {
		script_fail(ctx, s, errline, err);
		return script_result(s);
	}
	for (i = 0; i < list.n && !s->stopped; i++) {
		const struct cmd_words *w = &list.v[i];

		ctx->script = s->name;
		ctx->script_line = w->line;
		before = ctx->errors;
		rc = cmd_run(ctx, w->argc, w->argv);
		/* Handlers that report their own way still get the place named. */
		if (rc != CMD_OK && s->name != NULL && ctx->errors == before)
			fprintf(ctx->err, "%s:%d: '%s' failed with exit code %d\n", s->name,
			    w->line, w->argv[0], rc);
		ctx->script = NULL;
		ctx->script_line = 0;
		script_record(s, rc);
	}
	cmd_list_free(&list);
	return script_result(s);
}

int
cmd_script_text(struct cmd_ctx *ctx, struct cmd_script *s, const char *text, int line)
{
	return script_run(ctx, s, text, line, true);
}

int
cmd_script_file(struct cmd_ctx *ctx, struct cmd_script *s, FILE *f)
{
	struct buf pending = BUF_INIT;
	char *line = xmalloc(SCRIPT_MAX_LINE + 2);
	int lineno = 0, start = 1, rc;
	size_t n;

	buf_adds(&pending, "");
	while (!s->stopped && fgets(line, SCRIPT_MAX_LINE + 2, f) != NULL) {
		lineno++;
		n = strlen(line);
		if (n > SCRIPT_MAX_LINE && line[n - 1] != '\n') {
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			script_fail(ctx, s, lineno, "line longer than 65536 bytes");
			buf_reset(&pending);
			buf_adds(&pending, "");
			continue;
		}
		if (pending.len == 0)
			start = lineno;
		buf_add(&pending, line, n);
		if (pending.len > CMD_LEX_MAX_TEXT) {
			script_fail(ctx, s, start, "command longer than 262144 bytes");
			buf_reset(&pending);
			buf_adds(&pending, "");
			continue;
		}
		rc = script_run(ctx, s, pending.data, start, false);
		if (rc == CMD_LEX_MORE)
			continue;
		buf_reset(&pending);
		buf_adds(&pending, "");
	}
	/* The input ended inside a quote: now that is an error. */
	if (!s->stopped && pending.len > 0)
		script_run(ctx, s, pending.data, start, true);
	buf_release(&pending);
	free(line);
	return script_result(s);
}
