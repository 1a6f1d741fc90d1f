/* SPDX-License-Identifier: MIT */
/* Tab completion for the shell: command names and options from the command
 * table's usage strings, option values, roles and live names from a hook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "milvusadm/cmd.h"
#include "milvusadm/repl.h"
#include "milvusadm/xalloc.h"
#include "repl-int.h"

static repl_names_fn complete_fn;
static void *complete_arg;

static const char *const complete_roles[] = {
	"rootcoord", "datacoord", "querycoord", "indexcoord", "mixcoord", "proxy",
	"querynode", "datanode", "indexnode", "streamingnode", "standalone", NULL,
};

/* The candidates of the completion in progress (readline asks one at a time). */
struct cands {
	char **v;
	size_t n;
};

static struct cands complete_cands;
static size_t complete_next;

void
repl_set_completer(repl_names_fn fn, void *arg)
{
	complete_fn = fn;
	complete_arg = arg;
}

static void
cands_clear(struct cands *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Add s if it starts with prefix and is not there yet. */
static void
cands_add(struct cands *c, const char *s, size_t slen, const char *prefix)
{
	size_t i;

	if (slen < strlen(prefix) || strncmp(s, prefix, strlen(prefix)) != 0)
		return;
	for (i = 0; i < c->n; i++) {
		if (strlen(c->v[i]) == slen && strncmp(c->v[i], s, slen) == 0)
			return;
	}
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->v[c->n++] = xstrndup(s, slen);
}

static void
cands_add_names(struct cands *c, enum repl_names kind, const char *prefix)
{
	char **names = NULL;
	size_t i, n;

	if (kind == REPL_NAMES_ROLE) {
		for (i = 0; complete_roles[i] != NULL; i++)
			cands_add(c, complete_roles[i], strlen(complete_roles[i]), prefix);
	}
	if (complete_fn == NULL)
		return;
	n = complete_fn(kind, &names, complete_arg);
	for (i = 0; i < n; i++) {
		if (names[i] != NULL)
			cands_add(c, names[i], strlen(names[i]), prefix);
		free(names[i]);
	}
	free(names);
}

/* Word number `word` (0-based) of each command name whose earlier words are
 * words[0..word-1] exactly or by prefix. */
static void
complete_command_words(struct cands *c, char **words, int word, const char *prefix)
{
	const struct cmd_entry *e;
	const char *names[2];
	int k, i;

	for (e = cmd_table(); e->name != NULL; e++) {
		if (e->flags & CMD_HIDDEN)
			continue;
		names[0] = e->name;
		names[1] = e->alias;
		for (k = 0; k < 2 && names[k] != NULL; k++) {
			const char *p = names[k];
			size_t len;

			for (i = 0; i < word; i++) {
				len = strcspn(p, " ");
				if (len == 0 || strlen(words[i]) > len ||
				    strncmp(p, words[i], strlen(words[i])) != 0)
					break;
				p += len;
				p += strspn(p, " ");
			}
			if (i < word || *p == '\0')
				continue;
			cands_add(c, p, strcspn(p, " "), prefix);
		}
	}
}

/* What the usage says follows opt: its metavariable ("R", "KILL|TERM"), or NULL
 * when opt takes no value or is not in usage. */
static char *
complete_opt_meta(const char *usage, const char *opt)
{
	char *u = xstrdup(usage), *tok, *save = NULL, *prev = NULL, *meta = NULL;
	char *p;

	for (p = u; *p != '\0'; p++) {
		if (*p == '[' || *p == ']')
			*p = ' ';
	}
	for (tok = strtok_r(u, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if (prev != NULL && strcmp(prev, opt) == 0 && tok[0] != '-') {
			meta = xstrdup(tok);
			break;
		}
		prev = tok;
	}
	free(u);
	return meta;
}

/* The metavariables complete_meta knows (others are literal words). */
static bool
meta_known(const char *meta)
{
	static const char *const known[] = { "R", "ROLE", "ID", "SERVER_ID", "SERVERID",
	    "COLLECTION", "C", "DB.COLLECTION", "D", "DB", "COMMAND", "TARGET", "DRILL_ID",
	    NULL };
	size_t i;

	for (i = 0; known[i] != NULL; i++) {
		if (strcmp(meta, known[i]) == 0)
			return true;
	}
	return false;
}

/* Candidates for a value whose metavariable is meta. */
static void
complete_meta(struct cands *c, const char *meta, const char *prefix)
{
	const char *p;

	if (strchr(meta, '|') != NULL) {
		for (p = meta; *p != '\0'; p += strspn(p, "|")) {
			size_t len = strcspn(p, "|");
			char *alt = xstrndup(p, len);

			/* "DRILL_ID|last": a metavariable among the literal words
			 * (but "KILL|TERM" are words). */
			if (meta_known(alt))
				complete_meta(c, alt, prefix);
			else
				cands_add(c, p, len, prefix);
			free(alt);
			p += len;
		}
		return;
	}
	if (strcmp(meta, "R") == 0 || strcmp(meta, "ROLE") == 0)
		cands_add_names(c, REPL_NAMES_ROLE, prefix);
	else if (strcmp(meta, "ID") == 0 || strcmp(meta, "SERVER_ID") == 0 ||
	    strcmp(meta, "SERVERID") == 0)
		cands_add_names(c, REPL_NAMES_SERVER_ID, prefix);
	else if (strcmp(meta, "COLLECTION") == 0 || strcmp(meta, "C") == 0 ||
	    strcmp(meta, "DB.COLLECTION") == 0)
		cands_add_names(c, REPL_NAMES_COLLECTION, prefix);
	else if (strcmp(meta, "D") == 0 || strcmp(meta, "DB") == 0)
		cands_add_names(c, REPL_NAMES_DATABASE, prefix);
	else if (strcmp(meta, "TARGET") == 0)
		cands_add_names(c, REPL_NAMES_DRILL_TARGET, prefix);
	else if (strcmp(meta, "DRILL_ID") == 0)
		cands_add_names(c, REPL_NAMES_DRILL_ID, prefix);
	else if (strcmp(meta, "COMMAND") == 0)
		complete_command_words(c, NULL, 0, prefix);
}

/* Options of e (from its usage) and the global ones. */
static void
complete_options(struct cands *c, const struct cmd_entry *e, const char *prefix)
{
	const char *p = e->usage;
	size_t len;

	while (*p != '\0') {
		p += strspn(p, " []|");
		len = strcspn(p, " []|=");
		if (len > 1 && p[0] == '-')
			cands_add(c, p, len, prefix);
		p += len;
		p += strspn(p, "=");
	}
	cands_add(c, "-o", 2, prefix);
	cands_add(c, "--read-only", 11, prefix);
}

/* Positional values: the first metavariable of usage that is not an option's. */
static void
complete_positional(struct cands *c, const struct cmd_entry *e, const char *prefix)
{
	char *u = xstrdup(e->usage), *tok, *save = NULL, *p;
	bool after_opt = false;

	for (p = u; *p != '\0'; p++) {
		if (*p == '[' || *p == ']')
			*p = ' ';
	}
	for (tok = strtok_r(u, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if (tok[0] == '-') {
			after_opt = true;
			continue;
		}
		if (!after_opt && strcmp(tok, "...") != 0)
			complete_meta(c, tok, prefix);
		after_opt = false;
	}
	free(u);
}

void
repl_candidates(const char *line, int start, const char *text)
{
	struct cmd_list list;
	const struct cmd_entry *e;
	char *head = xstrndup(line, (size_t)start), err[128], *meta;
	int nwords = 0, argc = 0;
	char **argv = NULL;
	size_t len;

	cands_clear(&complete_cands);
	complete_next = 0;
	if (cmd_lex(head, 1, CMD_LEX_PARTIAL, &list, err, sizeof err, NULL) != 0) {
		free(head);
		return;
	}
	/* Only the last command counts ("lab status; lab k<TAB>"), and none when
	 * the text before the word ends with ';'. */
	len = strlen(head);
	while (len > 0 && strchr(" \t", head[len - 1]) != NULL)
		len--;
	if (list.n > 0 && (len == 0 || head[len - 1] != ';')) {
		argc = list.v[list.n - 1].argc;
		argv = list.v[list.n - 1].argv;
	}
	if (argc == 0)
		complete_command_words(&complete_cands, NULL, 0, text);
	else if ((e = cmd_find(argc, argv, &nwords, err, sizeof err)) == NULL)
		/* An unfinished noun: "lab <TAB>" completes its verbs. */
		complete_command_words(&complete_cands, argv, argc, text);
	else if (text[0] == '-')
		complete_options(&complete_cands, e, text);
	else if (argc > nwords && argv[argc - 1][0] == '-') {
		const char *opt = argv[argc - 1];

		if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0)
			complete_meta(&complete_cands, "json|table|tsv", text);
		else if ((meta = complete_opt_meta(e->usage, opt)) != NULL) {
			complete_meta(&complete_cands, meta, text);
			free(meta);
		} else
			complete_positional(&complete_cands, e, text);
	} else
		complete_positional(&complete_cands, e, text);
	cmd_list_free(&list);
	free(head);
}

/* readline's generator: one candidate per call, malloc'ed. */
char *
repl_generator(const char *text, int state)
{
	if (state == 0)
		complete_next = 0;
	if (complete_next < complete_cands.n)
		return xstrdup(complete_cands.v[complete_next++]);
	return NULL;
}

void
repl_complete_release(void)
{
	cands_clear(&complete_cands);
}
