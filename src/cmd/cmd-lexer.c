/* SPDX-License-Identifier: MIT */
/* The command lexer: one or more command lines split into words, shell-like
 * enough for runbooks and the shell, bounded in every dimension. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/xalloc.h"

struct lexer {
	struct cmd_list *list;
	char **words;			/* the command being built */
	int nwords;
	int cmd_line;			/* line of its first word */
	struct buf word;
	bool in_word;			/* a word has started (even an empty "") */
	int line;
	char *err;
	size_t errlen;
	int *errline;
};

static int
lex_fail(struct lexer *lx, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
lex_fail(struct lexer *lx, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lx->err, lx->errlen, fmt, ap);
	va_end(ap);
	if (lx->errline != NULL)
		*lx->errline = line;
	return -1;
}

static int
lex_addc(struct lexer *lx, char c)
{
	if (!lx->in_word && lx->nwords == 0)
		lx->cmd_line = lx->line;
	lx->in_word = true;
	if (lx->word.len >= CMD_LEX_MAX_WORD)
		return lex_fail(lx, lx->line, "word longer than %d bytes", CMD_LEX_MAX_WORD);
	buf_addc(&lx->word, c);
	return 0;
}

/* An empty quoted word ("" or '') still counts as a word. */
static void
lex_open(struct lexer *lx)
{
	if (!lx->in_word && lx->nwords == 0)
		lx->cmd_line = lx->line;
	lx->in_word = true;
}

static int
lex_end_word(struct lexer *lx)
{
	if (!lx->in_word)
		return 0;
	if (lx->nwords >= CMD_LEX_MAX_WORDS)
		return lex_fail(lx, lx->cmd_line, "more than %d words in one command",
		    CMD_LEX_MAX_WORDS);
	lx->words = xreallocarray(lx->words, (size_t)lx->nwords + 2, sizeof *lx->words);
	buf_adds(&lx->word, "");
	lx->words[lx->nwords++] = buf_detach(&lx->word, NULL);
	lx->words[lx->nwords] = NULL;
	lx->in_word = false;
	return 0;
}

static int
lex_end_cmd(struct lexer *lx)
{
	struct cmd_list *l = lx->list;

	if (lex_end_word(lx) == -1)
		return -1;
	if (lx->nwords == 0)
		return 0;
	if (l->n >= CMD_LEX_MAX_CMDS)
		return lex_fail(lx, lx->cmd_line, "more than %d commands", CMD_LEX_MAX_CMDS);
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].argc = lx->nwords;
	l->v[l->n].argv = lx->words;
	l->v[l->n].line = lx->cmd_line;
	l->n++;
	lx->words = NULL;
	lx->nwords = 0;
	return 0;
}

/* The character a backslash stands for inside double quotes, or 0 to keep both. */
static char
lex_dq_escape(char c)
{
	switch (c) {
	case '"': return '"';
	case '\\': return '\\';
	case '$': return '$';
	case 'n': return '\n';
	case 't': return '\t';
	default: return 0;
	}
}

/* A double-quoted string from just after the opening quote; *pp ends after the
 * closing one. Returns 0, -1 or CMD_LEX_MORE (no closing quote yet). */
static int
lex_dquote(struct lexer *lx, const char **pp, int flags)
{
	const char *p = *pp;
	int start = lx->line;
	char e;

	lex_open(lx);
	for (;;) {
		if (*p == '\0') {
			*pp = p;
			if (flags & CMD_LEX_PARTIAL)
				return 0;
			lex_fail(lx, start, "unterminated double quote");
			return CMD_LEX_MORE;
		}
		if (*p == '"') {
			*pp = p + 1;
			return 0;
		}
		if (*p == '\\' && p[1] == '\n') {
			/* A continued line inside quotes, as in sh. */
			lx->line++;
			p += 2;
			continue;
		}
		if (*p == '\\' && p[1] != '\0' && (e = lex_dq_escape(p[1])) != 0) {
			if (lex_addc(lx, e) == -1)
				return -1;
			p += 2;
			continue;
		}
		if (*p == '\n')
			lx->line++;
		if (lex_addc(lx, *p) == -1)
			return -1;
		p++;
	}
}

static int
lex_squote(struct lexer *lx, const char **pp, int flags)
{
	const char *p = *pp;
	int start = lx->line;

	lex_open(lx);
	for (;;) {
		if (*p == '\0') {
			*pp = p;
			if (flags & CMD_LEX_PARTIAL)
				return 0;
			lex_fail(lx, start, "unterminated single quote");
			return CMD_LEX_MORE;
		}
		if (*p == '\'') {
			*pp = p + 1;
			return 0;
		}
		if (*p == '\n')
			lx->line++;
		if (lex_addc(lx, *p) == -1)
			return -1;
		p++;
	}
}

void
cmd_list_free(struct cmd_list *list)
{
	size_t i;
	int j;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		for (j = 0; j < list->v[i].argc; j++)
			free(list->v[i].argv[j]);
		free(list->v[i].argv);
	}
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

static int
lex_run(struct lexer *lx, const char *p, int flags)
{
	int rc;

	for (;;) {
		switch (*p) {
		case '\0':
			return lex_end_cmd(lx);
		case '\n':
			if (lex_end_cmd(lx) == -1)
				return -1;
			lx->line++;
			p++;
			break;
		case ';':
			if (lex_end_cmd(lx) == -1)
				return -1;
			p++;
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\v':
		case '\f':
			if (lex_end_word(lx) == -1)
				return -1;
			p++;
			break;
		case '#':
			if (lx->in_word) {
				if (lex_addc(lx, *p++) == -1)
					return -1;
				break;
			}
			p += strcspn(p, "\n");
			break;
		case '"':
			p++;
			if ((rc = lex_dquote(lx, &p, flags)) != 0)
				return rc;
			break;
		case '\'':
			p++;
			if ((rc = lex_squote(lx, &p, flags)) != 0)
				return rc;
			break;
		case '\\':
			p++;
			if (*p == '\0') {
				if (flags & CMD_LEX_PARTIAL)
					return lex_end_cmd(lx);
				lex_fail(lx, lx->line, "backslash at the end of the input");
				return CMD_LEX_MORE;
			}
			if (*p == '\n') {
				/* A continued line needs the next one before it ends. */
				if (p[1] == '\0' && !(flags & CMD_LEX_PARTIAL)) {
					lex_fail(lx, lx->line, "backslash at the end of the input");
					return CMD_LEX_MORE;
				}
				lx->line++;
				p++;
				break;
			}
			if (lex_addc(lx, *p++) == -1)
				return -1;
			break;
		default:
			if (lex_addc(lx, *p++) == -1)
				return -1;
		}
	}
}

int
cmd_lex(const char *text, int line, int flags, struct cmd_list *list, char *err,
    size_t errlen, int *errline)
{
	struct lexer lx;
	int rc, i;

	memset(list, 0, sizeof *list);
	memset(&lx, 0, sizeof lx);
	lx.list = list;
	lx.line = line;
	lx.cmd_line = line;
	lx.err = err;
	lx.errlen = errlen;
	lx.errline = errline;
	buf_init(&lx.word);
	if (strlen(text) > CMD_LEX_MAX_TEXT)
		rc = lex_fail(&lx, line, "command text longer than %d bytes",
		    CMD_LEX_MAX_TEXT);
	else
		rc = lex_run(&lx, text, flags);
	for (i = 0; i < lx.nwords; i++)
		free(lx.words[i]);
	free(lx.words);
	buf_release(&lx.word);
	if (rc != 0)
		cmd_list_free(list);
	return rc;
}
