/* SPDX-License-Identifier: MIT */
/* milvusadm shell: GNU readline through its callback interface on the one
 * loop, running each line through the command engine, with a private history
 * that never records a secret. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/repl.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "repl-int.h"

#define REPL_HISTORY_MAX 1000

struct repl {
	struct cmd_ctx *ctx;
	struct buf pending;		/* lines of a command continued after a quote */
	char *line;			/* handed over by readline, run outside its callback */
	bool have_line;
	bool reading;			/* readline owns the terminal */
	bool quit;
	int rc;
	char *history;			/* NULL when there is no state directory */
	struct repl_cache *names;	/* live names for completion */
	char prompt[160];
};

/* readline's callbacks take no argument: the one shell running. */
static struct repl *repl_cur;

int
repl_line_is_secret(const char *line)
{
	char *r;
	int secret;

	if (strcasestr(line, "password") != NULL || strcasestr(line, "token") != NULL)
		return 1;
	/* Registered secrets and credentials in URLs: log_redact knows them. */
	r = log_redact(line);
	secret = strcmp(r, line) != 0;
	free(r);
	return secret;
}

static void
repl_history_open(struct repl *r)
{
	char *dir = config_state_dir();
	int fd;

	if (dir == NULL || fs_mkdirs(dir, NULL, 0) == -1) {
		free(dir);
		return;
	}
	r->history = xasprintf("%s/history", dir);
	free(dir);
	fd = open(r->history, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1) {
		free(r->history);
		r->history = NULL;
		return;
	}
	/* An older file may have been created with looser permissions. */
	fchmod(fd, 0600);
	close(fd);
	using_history();
	stifle_history(REPL_HISTORY_MAX);
	read_history(r->history);
}

static void
repl_history_add(struct repl *r, const char *text)
{
	char *line = xstrdup(text), *nl;

	/* One history entry per command text, continued lines joined. */
	while ((nl = strchr(line, '\n')) != NULL)
		*nl = ' ';
	if (line[strspn(line, " \t")] == '\0' || repl_line_is_secret(line)) {
		free(line);
		return;
	}
	add_history(line);
	if (r->history != NULL) {
		append_history(1, r->history);
		history_truncate_file(r->history, REPL_HISTORY_MAX);
	}
	free(line);
}

static void
repl_prompt(struct repl *r, const char *profile)
{
	if (r->pending.len > 0)
		snprintf(r->prompt, sizeof r->prompt, "> ");
	else
		snprintf(r->prompt, sizeof r->prompt, "milvusadm(%s%s)> ", profile,
		    r->ctx->read_only ? ",read-only" : "");
}

static void
repl_on_line(char *line)
{
	struct repl *r = repl_cur;

	if (line == NULL) {
		/* Ctrl-D: leave on a fresh line. */
		fputc('\n', stdout);
		r->quit = true;
		return;
	}
	r->line = line;
	r->have_line = true;
}

static void
repl_on_stdin(int fd, int revents, void *arg)
{
	rl_callback_read_char();
}

static void
repl_on_sigint(int signo, void *arg)
{
	struct repl *r = arg;

	/* Commands cannot be cancelled yet: Ctrl-C during one is ignored rather
	 * than killing the shell. At the prompt it drops the line, as in a shell. */
	if (!r->reading)
		return;
	buf_reset(&r->pending);
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	fputc('\n', stdout);
	rl_on_new_line();
	rl_redisplay();
}

static void
repl_on_sigwinch(int signo, void *arg)
{
	rl_resize_terminal();
}

/* Gather the live names again, with the keyboard out of the loop meanwhile:
 * readline is in the middle of a completion (or not yet reading), and keys
 * typed now must wait in the terminal rather than reach it re-entrantly. */
static void
repl_names_update(struct repl *r)
{
	bool reading = r->reading;

	if (reading)
		loop_fd_del(r->ctx->loop, STDIN_FILENO);
	/* Ctrl-C meanwhile is ignored, as during a command. */
	r->reading = false;
	repl_names_refresh(r->names);
	r->reading = reading;
	if (reading)
		loop_fd_add(r->ctx->loop, STDIN_FILENO, LOOP_READ, repl_on_stdin, NULL);
}

/* The completer's source of server IDs, databases and collections: the cache,
 * gathered again at most every few seconds. */
static size_t
repl_live_names(enum repl_names kind, char ***names, void *arg)
{
	struct repl *r = arg;

	if (kind != REPL_NAMES_ROLE && kind != REPL_NAMES_DRILL_ID && repl_names_stale(r->names))
		repl_names_update(r);
	return repl_names_copy(r->names, kind, names);
}

static char **
repl_attempt(const char *text, int start, int end)
{
	/* No file-name completion: every word is a command, option or name. */
	rl_attempted_completion_over = 1;
	repl_candidates(rl_line_buffer, start, text);
	return rl_completion_matches(text, repl_generator);
}

/* Run one line typed at the prompt (or collect it when a quote is still open). */
static void
repl_line(struct repl *r, const char *line)
{
	struct cmd_script s = { NULL, true, 0, false };
	struct cmd_list list;
	char err[256];
	const char *t;
	int rc;

	if (r->pending.len > 0)
		buf_addc(&r->pending, '\n');
	buf_adds(&r->pending, line);
	rc = cmd_lex(r->pending.data, 1, 0, &list, err, sizeof err, NULL);
	if (rc == CMD_LEX_MORE)
		return;
	if (rc == 0)
		cmd_list_free(&list);
	repl_history_add(r, r->pending.data);
	t = r->pending.data + strspn(r->pending.data, " \t");
	if (strncmp(t, "exit", 4) == 0 || strncmp(t, "quit", 4) == 0) {
		if (t[4 + strspn(t + 4, " \t")] == '\0') {
			r->quit = true;
			buf_reset(&r->pending);
			return;
		}
	}
	r->rc = cmd_script_text(r->ctx, &s, r->pending.data, 1);
	buf_reset(&r->pending);
}

static char *
repl_profile_name(const struct cmd_ctx *ctx)
{
	const struct profile *p;
	struct config *c;
	char err[256], *name;

	if (ctx->profile != NULL)
		return xstrdup(ctx->profile);
	c = config_load(NULL, err, sizeof err);
	p = c != NULL ? config_profile(c, NULL) : NULL;
	name = xstrdup(p != NULL ? p->name : "no cluster");
	config_free(c);
	return name;
}

int
repl_run(struct cmd_ctx *ctx)
{
	struct repl r;
	struct cmd_script s = { "<stdin>", false, 0, false };
	char *profile;

	/* Not a terminal: the lines are a script, with its rules. */
	if (!isatty(STDIN_FILENO))
		return cmd_script_file(ctx, &s, stdin);
	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	buf_init(&r.pending);
	buf_adds(&r.pending, "");
	repl_cur = &r;
	profile = repl_profile_name(ctx);

	rl_readline_name = "milvusadm";
	rl_attempted_completion_function = repl_attempt;
	rl_completer_word_break_characters = " \t\n;";
	/* Signals come through the loop's self-pipe, not readline's handlers. */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	repl_history_open(&r);
	r.names = repl_names_new(ctx->loop, ctx->profile);
	repl_set_completer(repl_live_names, &r);
	loop_signal(ctx->loop, SIGINT, repl_on_sigint, &r);
	loop_signal(ctx->loop, SIGWINCH, repl_on_sigwinch, &r);

	while (!r.quit) {
		repl_prompt(&r, profile);
		rl_callback_handler_install(r.prompt, repl_on_line);
		/* The first names are gathered with the prompt already shown. */
		if (repl_names_stale(r.names) && r.pending.len == 0)
			repl_names_update(&r);
		loop_fd_add(ctx->loop, STDIN_FILENO, LOOP_READ, repl_on_stdin, NULL);
		r.reading = true;
		while (!r.quit && !r.have_line)
			loop_once(ctx->loop, -1);
		r.reading = false;
		/* Commands run with the terminal back in its normal mode and stdin
		 * out of the loop, so a command waiting on the loop reads no keys. */
		loop_fd_del(ctx->loop, STDIN_FILENO);
		rl_callback_handler_remove();
		if (r.have_line) {
			repl_line(&r, r.line);
			free(r.line);
			r.line = NULL;
			r.have_line = false;
		}
	}
	loop_signal(ctx->loop, SIGINT, NULL, NULL);
	loop_signal(ctx->loop, SIGWINCH, NULL, NULL);
	repl_complete_release();
	repl_set_completer(NULL, NULL);
	repl_names_free(r.names);
	clear_history();
	free(r.history);
	free(profile);
	buf_release(&r.pending);
	repl_cur = NULL;
	return r.rc;
}
