/* SPDX-License-Identifier: MIT */
/* The TUI's command and filter line: editing, the shell's history file and
 * its completion (repl_candidates), and the pane that shows a command's
 * captured output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/repl.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "tui-int.h"
#include "../shell/repl-int.h"

#undef CTRL
#define CTRL(c)		((c) & 0x1f)
#define TUI_HISTORY_MAX	1000		/* as the shell keeps */
#define TUI_MAX_CANDS	200

/* Names completed at the start of a line besides the engine's commands. */
static const char *const tui_local_words[] = {
	"view", "quit", "refresh", "help-overlay", "filter", "select", NULL,
};

static void
tui_cands_clear(struct tui *t)
{
	size_t i;

	for (i = 0; i < t->ncands; i++)
		free(t->cands[i]);
	free(t->cands);
	t->cands = NULL;
	t->ncands = 0;
}

static void
tui_cands_add(struct tui *t, const char *s)
{
	size_t i;

	if (t->ncands >= TUI_MAX_CANDS)
		return;
	for (i = 0; i < t->ncands; i++) {
		if (strcmp(t->cands[i], s) == 0)
			return;
	}
	t->cands = xreallocarray(t->cands, t->ncands + 1, sizeof *t->cands);
	t->cands[t->ncands++] = xstrdup(s);
}

void
tui_history_open(struct tui *t)
{
	char *dir = config_state_dir();
	int fd;

	using_history();
	stifle_history(TUI_HISTORY_MAX);
	if (dir == NULL || fs_mkdirs(dir, NULL, 0) == -1) {
		free(dir);
		return;
	}
	/* The shell's file: what was typed there is here, and back. */
	t->history = xasprintf("%s/history", dir);
	free(dir);
	fd = open(t->history, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1) {
		free(t->history);
		t->history = NULL;
		return;
	}
	fchmod(fd, 0600);
	close(fd);
	read_history(t->history);
}

void
tui_history_close(struct tui *t)
{
	clear_history();
	free(t->history);
	t->history = NULL;
	free(t->hist_saved);
	t->hist_saved = NULL;
	tui_cands_clear(t);
	repl_complete_release();
}

static void
tui_history_add(struct tui *t, const char *line)
{
	/* Same rule as the shell: nothing that could hold a secret is kept. */
	if (line[strspn(line, " \t")] == '\0' || repl_line_is_secret(line))
		return;
	add_history(line);
	if (t->history != NULL) {
		append_history(1, t->history);
		history_truncate_file(t->history, TUI_HISTORY_MAX);
	}
}

static void
tui_line_set(struct tui *t, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof t->line)
		n = sizeof t->line - 1;
	memcpy(t->line, s, n);
	t->line[n] = '\0';
	t->len = t->pos = n;
}

void
tui_prompt_open(struct tui *t, enum tui_mode mode)
{
	t->mode = mode;
	t->msg[0] = '\0';
	t->hist_pos = -1;
	tui_cands_clear(t);
	if (mode == TUI_FILTER)
		tui_line_set(t, t->views[t->cur].filter);
	else
		tui_line_set(t, "");
	tui_dirty(t);
}

static void tui_prompt_close(struct tui *t);

int
tui_ask(void *arg, const char *prompt, char *answer, size_t len)
{
	struct tui *t = arg;

	snprintf(t->ask_prompt, sizeof t->ask_prompt, "%s", prompt);
	tui_prompt_open(t, TUI_ASK);
	t->ask_state = 0;
	/* The loop goes on (the screen stays live) until a key answers. */
	while (t->ask_state == 0 && !t->quit)
		loop_once(t->loop, -1);
	if (t->mode == TUI_ASK)
		tui_prompt_close(t);
	snprintf(answer, len, "%s", t->ask_state == 1 ? t->line : "");
	t->line[0] = '\0';
	t->len = t->pos = 0;
	return t->ask_state == 1 ? 0 : -1;
}

static void
tui_filter_apply(struct tui *t)
{
	struct view *v = &t->views[t->cur];

	size_t n = strlen(t->line);

	if (n >= sizeof v->filter)
		n = sizeof v->filter - 1;
	memcpy(v->filter, t->line, n);
	v->filter[n] = '\0';
	v->sel = v->top = 0;
}

static void
tui_history_move(struct tui *t, int dir)
{
	HIST_ENTRY *h;
	int n = history_length, pos;

	if (n == 0)
		return;
	if (t->hist_pos == -1) {
		if (dir > 0)
			return;
		free(t->hist_saved);
		t->hist_saved = xstrdup(t->line);
		pos = n - 1;
	} else
		pos = t->hist_pos + dir;
	if (pos < 0)
		return;
	if (pos >= n) {
		t->hist_pos = -1;
		tui_line_set(t, t->hist_saved != NULL ? t->hist_saved : "");
		return;
	}
	if ((h = history_get(history_base + pos)) == NULL)
		return;
	t->hist_pos = pos;
	tui_line_set(t, h->line);
}

/* Insert s at the cursor. */
static void
tui_insert(struct tui *t, const char *s, size_t n)
{
	if (t->len + n >= sizeof t->line)
		return;
	memmove(t->line + t->pos + n, t->line + t->pos, t->len - t->pos + 1);
	memcpy(t->line + t->pos, s, n);
	t->pos += n;
	t->len += n;
}

static void
tui_complete(struct tui *t)
{
	char *text, *c;
	size_t start = t->pos, i, common;
	int state;

	while (start > 0 && strchr(" \t;", t->line[start - 1]) == NULL)
		start--;
	text = xstrndup(t->line + start, t->pos - start);
	tui_cands_clear(t);
	/* The shell's candidates: command words, options, values, live names. */
	repl_candidates(t->line, (int)start, text);
	for (state = 0; (c = repl_generator(text, state)) != NULL; state++) {
		tui_cands_add(t, c);
		free(c);
	}
	if (t->line[strspn(t->line, " \t")] == '\0' || start == strspn(t->line, " \t")) {
		for (i = 0; tui_local_words[i] != NULL; i++) {
			if (strncmp(tui_local_words[i], text, strlen(text)) == 0)
				tui_cands_add(t, tui_local_words[i]);
		}
	} else if (strncmp(t->line + strspn(t->line, " \t"), "view ", 5) == 0) {
		for (i = 0; i < t->nviews; i++) {
			if (strncmp(t->views[i].ops->name, text, strlen(text)) == 0)
				tui_cands_add(t, t->views[i].ops->name);
		}
	}
	if (t->ncands == 0) {
		free(text);
		return;
	}
	common = strlen(t->cands[0]);
	for (i = 1; i < t->ncands; i++) {
		size_t k = 0;

		while (k < common && t->cands[i][k] == t->cands[0][k])
			k++;
		common = k;
	}
	if (common > strlen(text))
		tui_insert(t, t->cands[0] + strlen(text), common - strlen(text));
	if (t->ncands == 1) {
		tui_insert(t, " ", 1);
		tui_cands_clear(t);
	}
	free(text);
}

static void
tui_prompt_close(struct tui *t)
{
	t->mode = TUI_NORMAL;
	tui_cands_clear(t);
	tui_dirty(t);
}

void
tui_prompt_key(struct tui *t, int key)
{
	size_t k;
	char ch;

	switch (key) {
	case 27:
		if (t->mode == TUI_ASK)
			t->ask_state = -1;
		if (t->mode == TUI_FILTER) {
			t->line[0] = '\0';
			t->len = t->pos = 0;
			tui_filter_apply(t);
		}
		tui_prompt_close(t);
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (t->mode == TUI_FILTER) {
			tui_filter_apply(t);
			tui_prompt_close(t);
			return;
		}
		if (t->mode == TUI_ASK) {
			t->ask_state = 1;
			tui_prompt_close(t);
			return;
		}
		tui_prompt_close(t);
		tui_history_add(t, t->line);
		if (t->line[strspn(t->line, " \t")] != '\0')
			tui_command(t, t->line, true);
		return;
	case '\t':
		if (t->mode == TUI_PROMPT)
			tui_complete(t);
		break;
	case KEY_BACKSPACE:
	case 127:
	case CTRL('h'):
		if (t->pos == 0) {
			/* An empty question is not a cancelled one: keep asking. */
			if (t->len == 0 && t->mode != TUI_ASK)
				tui_prompt_close(t);
			break;
		}
		/* A whole UTF-8 character. */
		k = t->pos - 1;
		while (k > 0 && (t->line[k] & 0xc0) == 0x80)
			k--;
		memmove(t->line + k, t->line + t->pos, t->len - t->pos + 1);
		t->len -= t->pos - k;
		t->pos = k;
		break;
	case KEY_DC:
	case CTRL('d'):
		if (t->pos < t->len) {
			k = t->pos + 1;
			while (k < t->len && (t->line[k] & 0xc0) == 0x80)
				k++;
			memmove(t->line + t->pos, t->line + k, t->len - k + 1);
			t->len -= k - t->pos;
		}
		break;
	case KEY_LEFT:
		while (t->pos > 0) {
			t->pos--;
			if ((t->line[t->pos] & 0xc0) != 0x80)
				break;
		}
		break;
	case KEY_RIGHT:
		while (t->pos < t->len) {
			t->pos++;
			if ((t->line[t->pos] & 0xc0) != 0x80)
				break;
		}
		break;
	case KEY_HOME:
	case CTRL('a'):
		t->pos = 0;
		break;
	case KEY_END:
	case CTRL('e'):
		t->pos = t->len;
		break;
	case CTRL('u'):
		memmove(t->line, t->line + t->pos, t->len - t->pos + 1);
		t->len -= t->pos;
		t->pos = 0;
		break;
	case CTRL('k'):
		t->line[t->pos] = '\0';
		t->len = t->pos;
		break;
	case CTRL('w'):
		k = t->pos;
		while (k > 0 && t->line[k - 1] == ' ')
			k--;
		while (k > 0 && t->line[k - 1] != ' ')
			k--;
		memmove(t->line + k, t->line + t->pos, t->len - t->pos + 1);
		t->len -= t->pos - k;
		t->pos = k;
		break;
	case KEY_UP:
		if (t->mode == TUI_PROMPT)
			tui_history_move(t, -1);
		break;
	case KEY_DOWN:
		if (t->mode == TUI_PROMPT)
			tui_history_move(t, 1);
		break;
	default:
		if (key < 32 || key > 255 || key == 127)
			break;
		ch = (char)key;
		tui_insert(t, &ch, 1);
		break;
	}
	if (key != '\t')
		tui_cands_clear(t);
	if (t->mode == TUI_FILTER)
		tui_filter_apply(t);
	tui_dirty(t);
}

void
tui_output_clear(struct tui *t)
{
	size_t i;

	for (i = 0; i < t->nout; i++)
		free(t->out[i]);
	free(t->out);
	t->out = NULL;
	t->nout = t->out_top = 0;
	free(t->out_title);
	t->out_title = NULL;
}

void
tui_output_set(struct tui *t, const char *title, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	char *line, *esc;

	tui_output_clear(t);
	t->out_title = out_escape(title);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line = xstrndup(p, (size_t)(nl - p));
		/* Command output quotes the cluster: escape it for the screen. */
		esc = out_escape(line);
		free(line);
		t->out = xreallocarray(t->out, t->nout + 1, sizeof *t->out);
		t->out[t->nout++] = esc;
		p = nl + 1;
	}
}
