/* SPDX-License-Identifier: MIT */
/* The TUI's insides, shared by tui.c (setup, loop, keys), tui-draw.c (header,
 * tabs, lists, overlays), tui-prompt.c (the ':' and '/' line, history,
 * completion, the output pane) and tui-bind.c (bindings and TUI commands). */
#ifndef MILVUSADM_TUI_INT_H
#define MILVUSADM_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "milvusadm/theme.h"
#include "theme-curses.h"
#include "view.h"

struct alerts;
struct backup_poll;
struct cmd_ctx;
struct config;
struct drill;
struct drill_report;
struct loop;
struct profile;
struct restore_drill_brief;
struct state;

#define TUI_MAX_VIEWS	16
#define TUI_LINE_MAX	1024		/* the ':' line */
#define TUI_OUT_MAX	(1024 * 1024)	/* captured command output kept */

enum tui_mode {
	TUI_NORMAL,
	TUI_PROMPT,			/* ':' command line */
	TUI_FILTER,			/* '/' filter line */
	TUI_HELP,			/* the bindings overlay */
	TUI_ASK,			/* a command's question (a typed confirmation) */
};

/* One key binding: a key and the command string it runs. */
struct tui_binding {
	int key;
	const char *command;
	const char *help;
};

struct tui {
	struct cmd_ctx *ctx;
	struct loop *loop;
	struct state *st;
	struct config *cfg;		/* owned */
	const struct profile *p;	/* in cfg */
	SCREEN *scr;
	FILE *tty_out, *tty_in;
	bool utf8;
	bool colour;
	struct theme_resolved theme;
	struct theme_curses tc;

	struct view views[TUI_MAX_VIEWS];
	size_t nviews, cur;
	bool model_changed;		/* views must rebuild their lines */
	bool dirty;			/* the screen must be redrawn */
	bool settling;			/* ... after TUI_SETTLE_MS (a model change) */
	uint64_t draw_timer;
	uint64_t tick_timer;
	char last_header[512];		/* what the header said at the last draw */
	int rows, cols;

	enum tui_mode mode;
	/* the ':' or '/' line */
	char line[TUI_LINE_MAX];
	size_t len, pos;
	int hist_pos;			/* -1: not browsing history */
	char *hist_saved;		/* the line being typed before browsing */
	char *history;			/* the shell's history file, NULL if none */
	char msg[256];			/* status line message until the next key */
	bool msg_error;
	char **cands;			/* completion candidates shown */
	size_t ncands;
	/* the output pane (shown instead of the view while pane is set) */
	bool pane;
	char **out;
	size_t nout, out_top;
	char *out_title;

	/* a command's question (cmd_confirm through ctx->ask) */
	char ask_prompt[512];
	int ask_state;			/* 0 waiting, 1 answered, -1 cancelled */
	/* drills */
	struct drill *drill;		/* running in this TUI, NULL none */
	bool drill_ran;			/* one started during the running command */
	char drill_end[256];		/* how it ended, for the status line */
	bool drill_failed;
	struct drill_report **drills;	/* saved reports, oldest first */
	size_t n_drills;
	/* backups: the server's catalogue and tasks started here (b), read
	 * while the Backups view is shown; the newest restore drill */
	struct backup_poll *backups;
	bool backups_loading;		/* a read was under way at the last change */
	struct restore_drill_brief *rdrill;
	size_t n_rdrill;

	/* The alert list the header counts and the Alerts view shows: one
	 * list, recomputed after every change of the model (tui-alerts.c). */
	struct alerts *alerts;

	char *pending;			/* a command to run outside callbacks */
	bool busy;			/* a command is running */
	bool quit;
	int64_t refresh_ms;
};

/* tui.c */
void tui_dirty(struct tui *t);
void tui_model_changed(struct tui *t);
/* The view called name (unique prefix), or -1. */
int tui_view_find(const struct tui *t, const char *name);
void tui_view_switch(struct tui *t, size_t i);
/* Rebuild the current view's lines now if they are behind: a key that acts
 * on the selection ("4b" in one read) may come before the redraw. */
void tui_view_fresh(struct tui *t);

/* tui-bind.c */
extern const struct tui_binding tui_bindings[];
/* "q", "1", "PgDn", "C-l" for a key code. */
const char *tui_key_name(int key, char *buf, size_t len);
/* Run a command line typed at ':' or bound to a key: TUI commands here,
 * the rest queued for the command engine. */
void tui_command(struct tui *t, const char *line, bool typed);
/* Run the queued command with its output captured into the pane (called at
 * the top of the loop, never from a callback, as commands wait on the loop). */
void tui_run_pending(struct tui *t);
void tui_message(struct tui *t, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Move the selection (or scroll the output pane): "up", "down", ... */
void tui_select(struct tui *t, const char *how);

/* tui.c: a drill started in this TUI ends; the view shows its report. */
bool tui_drill_running(const struct tui *t);
/* tui.c: read the backup catalogue and the restore drills again now. */
void tui_backups_refresh(struct tui *t);

/* tui-alerts.c */
/* Recompute t->alerts from the model and what the TUI read of backups. */
void tui_alerts_update(struct tui *t);

/* tui-prompt.c */
/* ctx->ask for commands run in the TUI: the question on the status line,
 * the loop kept running until the operator answers (0) or cancels (-1). */
int tui_ask(void *arg, const char *prompt, char *answer, size_t len);
void tui_prompt_open(struct tui *t, enum tui_mode mode);
/* A key while the ':' or '/' line is open. */
void tui_prompt_key(struct tui *t, int key);
void tui_history_open(struct tui *t);
void tui_history_close(struct tui *t);
void tui_output_set(struct tui *t, const char *title, const char *text, size_t len);
void tui_output_clear(struct tui *t);

/* tui-draw.c */
void tui_draw(struct tui *t);
/* The header's text parts (also used to see whether it changed). */
void tui_header_text(struct tui *t, char *out, size_t len);
/* Draw s (UTF-8) at y,x in role, at most w columns; returns columns used. */
int tui_put(struct tui *t, int y, int x, int w, enum theme_role role, const char *s);
/* Columns s takes on screen. */
int tui_width(const char *s);

#endif
