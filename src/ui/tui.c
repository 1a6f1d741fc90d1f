/* SPDX-License-Identifier: MIT */
/* The TUI's setup and loop: the terminal (newterm on the tty), the theme,
 * the views, the live model (state_live_start), keys through the loop, and
 * SIGWINCH/SIGINT/SIGTERM through its self-pipe. Redraws once per pass when
 * something marked the screen dirty. */
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "milvusadm/alerts.h"
#include "milvusadm/backups.h"
#include "milvusadm/cluster.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/drill.h"
#include "milvusadm/leader_history.h"
#include "milvusadm/loop.h"
#include "milvusadm/state.h"
#include "milvusadm/theme.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/tui.h"
#include "milvusadm/xalloc.h"
#include "theme-choice.h"
#include "tui-int.h"

#define TUI_TICK_MS	1000		/* the header's clock: "stale 12s" */
#define TUI_DRILLS_KEPT	20		/* saved drill reports read for the Drills view */
/* The backup catalogue (/list reads every backup's metadata on the server):
 * at most this often, or on r in the Backups view. It is read whatever view
 * is shown: the RPO alerts come from it, and the header must count what
 * `status` counts. */
#define TUI_BACKUP_LIST_MS	60000
/* A model change is drawn this much later, so that the answers of one refresh
 * round (which finish within a few tens of ms of each other) cost one rebuild
 * of the view, not one each: a large cluster's Overview is thousands of rows.
 * A key is drawn at once. */
#define TUI_SETTLE_MS	200

const char *
tui_unavailable(void)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return "not a terminal";
	if (term == NULL || term[0] == '\0')
		return "TERM is not set";
	if (strcmp(term, "dumb") == 0)
		return "TERM=dumb";
	return NULL;
}

static void tui_on_draw(void *arg);

void
tui_dirty(struct tui *t)
{
	if (t->dirty && !t->settling)
		return;
	if (t->dirty)
		loop_timer_cancel(t->loop, t->draw_timer);
	t->dirty = true;
	t->settling = false;
	/* One redraw per loop pass, however many changes marked it. */
	t->draw_timer = loop_timer_add(t->loop, 0, tui_on_draw, t);
}

void
tui_model_changed(struct tui *t)
{
	t->model_changed = true;
	if (t->dirty)
		return;
	t->dirty = true;
	t->settling = true;
	t->draw_timer = loop_timer_add(t->loop, TUI_SETTLE_MS, tui_on_draw, t);
}

static uint64_t tui_gen;

static void
tui_on_changed(void *arg)
{
	tui_gen++;
	/* Here, once per change, so that the header and the Alerts view read
	 * one list and first-seen times are those of the change. */
	tui_alerts_update(arg);
	tui_model_changed(arg);
}

static void
tui_view_update(struct tui *t, struct view *v)
{
	struct view_env env;

	env.c = state_cluster(t->st);
	env.now_ms = time_wall_ms();
	env.utf8 = t->utf8;
	env.refresh_ms = t->refresh_ms;
	env.drill = t->drill != NULL ? drill_report(t->drill) : NULL;
	env.samples = t->drill != NULL ? drill_samples(t->drill, &env.n_samples) : NULL;
	if (t->drill == NULL)
		env.n_samples = 0;
	env.history = t->drills;
	env.n_history = t->n_drills;
	env.backups = t->backups != NULL ? backup_poll_state(t->backups) : NULL;
	env.restore_drill = t->n_rdrill > 0 ? &t->rdrill[0] : NULL;
	env.profile = t->p->name;
	env.alerts = t->alerts;
	v->ops->update(v, &env);
	v->gen = tui_gen;
}

void
tui_view_fresh(struct tui *t)
{
	struct view *v = &t->views[t->cur];

	/* Only the view on screen is rebuilt; the others catch up when shown. */
	if (t->model_changed || v->gen != tui_gen || v->lines.n == 0) {
		tui_view_update(t, v);
		t->model_changed = false;
	}
}

static void
tui_on_draw(void *arg)
{
	struct tui *t = arg;

	t->dirty = false;
	t->settling = false;
	t->draw_timer = 0;
	tui_view_fresh(t);
	tui_draw(t);
}

static void
tui_on_tick(void *arg)
{
	struct tui *t = arg;
	char now[sizeof t->last_header];

	t->tick_timer = loop_timer_add(t->loop, TUI_TICK_MS, tui_on_tick, t);
	/* Redraw only when the header would read differently (idle CPU). */
	tui_header_text(t, now, sizeof now);
	if (strcmp(now, t->last_header) != 0)
		tui_dirty(t);
	/* Other processes append to the audit log: its view reads it again
	 * (from where it stopped) while it is shown. */
	if (!t->pane && strcmp(t->views[t->cur].ops->name, "audit") == 0)
		tui_model_changed(t);
}

/* The saved drill reports, for the Drills view. */
static void
tui_drills_reload(struct tui *t)
{
	drill_history_free(t->drills, t->n_drills);
	t->drills = drill_history_load(TUI_DRILLS_KEPT, &t->n_drills, NULL, NULL);
}

/* The newest restore drill of the profile, for the Backups view. */
static void
tui_rdrill_reload(struct tui *t)
{
	restore_drill_history_free(t->rdrill, t->n_rdrill);
	t->rdrill = restore_drill_history(t->p->name, 1, &t->n_rdrill, NULL, NULL);
}

void
tui_backups_refresh(struct tui *t)
{
	backup_poll_refresh(t->backups);
	tui_rdrill_reload(t);
}

/* The backup side changed: a read ended, a task moved. */
static void
tui_on_backups(void *arg)
{
	struct tui *t = arg;
	bool loading = backup_poll_state(t->backups)->loading;

	/* A restore drill may have run since the last read. */
	if (t->backups_loading && !loading)
		tui_rdrill_reload(t);
	t->backups_loading = loading;
	tui_on_changed(t);
}

/* The end of the drill, from the drill itself (its report may not be saved). */
static void
tui_drill_ended(struct tui *t, const struct drill_report *r)
{
	char rto[32] = "-";

	if (r->fsm.rto_ms >= 0)
		time_format_duration(r->fsm.rto_ms, rto, sizeof rto);
	snprintf(t->drill_end, sizeof t->drill_end, "drill %s %s: RTO %s (drill show %s)",
	    r->target, drill_verdict_name(r->fsm.verdict), rto, r->id);
	t->drill_failed = r->fsm.verdict != DRILL_MET;
}

bool
tui_drill_running(const struct tui *t)
{
	return t->drill != NULL && drill_report(t->drill)->fsm.verdict == DRILL_RUNNING;
}

/* A drill run by a command typed here (or bound to D): follow it live. */
static void
tui_drill_seen(struct drill *d, enum drill_seen what, void *arg)
{
	struct tui *t = arg;
	int i;

	switch (what) {
	case DRILL_SEEN_STARTED:
		t->drill = d;
		t->drill_ran = true;
		t->drill_end[0] = '\0';
		if ((i = tui_view_find(t, "drills")) >= 0) {
			t->pane = false;
			tui_view_switch(t, (size_t)i);
		}
		break;
	case DRILL_SEEN_CHANGED:
		break;
	case DRILL_SEEN_ENDED:
		tui_drill_ended(t, drill_report(d));
		break;
	case DRILL_SEEN_FREED:
		/* Saved by now: the view goes on from the saved report. */
		t->drill = NULL;
		tui_drills_reload(t);
		break;
	}
	tui_on_changed(t);
}

int
tui_view_find(const struct tui *t, const char *name)
{
	size_t i, len = strlen(name);
	int found = -1;

	for (i = 0; i < t->nviews; i++) {
		if (strcmp(t->views[i].ops->name, name) == 0)
			return (int)i;
		if (len > 0 && strncmp(t->views[i].ops->name, name, len) == 0)
			found = found == -1 ? (int)i : -2;
	}
	return found >= 0 ? found : -1;
}

void
tui_view_switch(struct tui *t, size_t i)
{
	if (i >= t->nviews)
		return;
	t->cur = i;
	tui_dirty(t);
}

static void
tui_resize(struct tui *t)
{
	struct winsize ws;
	size_t i;

	if (ioctl(fileno(t->tty_out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	t->rows = LINES;
	t->cols = COLS;
	for (i = 0; i < t->nviews; i++) {
		if (t->views[i].ops->resize != NULL)
			t->views[i].ops->resize(&t->views[i], t->cols, t->rows - 3);
	}
	clearok(curscr, TRUE);
	tui_dirty(t);
}

static void
tui_on_signal(int signo, void *arg)
{
	struct tui *t = arg;

	if (signo == SIGWINCH)
		tui_resize(t);
	else
		t->quit = true;
}

static void
tui_key(struct tui *t, int key)
{
	const struct tui_binding *b;
	struct view *v = &t->views[t->cur];

	if (key == KEY_RESIZE) {
		tui_resize(t);
		return;
	}
	if (t->mode == TUI_HELP) {
		t->mode = TUI_NORMAL;
		tui_dirty(t);
		return;
	}
	if (t->mode == TUI_PROMPT || t->mode == TUI_FILTER || t->mode == TUI_ASK) {
		tui_prompt_key(t, key);
		return;
	}
	if (t->msg[0] != '\0') {
		t->msg[0] = '\0';
		tui_dirty(t);
	}
	if (key == 27) {
		if (t->pane)
			t->pane = false;
		else
			v->filter[0] = '\0';
		tui_dirty(t);
		return;
	}
	/* As in a pager: q closes the output pane before it quits. */
	if (key == 'q' && t->pane) {
		t->pane = false;
		tui_dirty(t);
		return;
	}
	for (b = tui_bindings; b->command != NULL; b++) {
		if (b->key == key) {
			tui_command(t, b->command, false);
			return;
		}
	}
	if (v->ops->key != NULL && v->ops->key(v, key))
		tui_dirty(t);
}

static void
tui_on_stdin(int fd, int revents, void *arg)
{
	struct tui *t = arg;
	int key, n = 0;

	/* Drain what is there; a paste is bounded so the loop stays fair. Keys
	 * after quit are read and dropped: left unread they would wake the loop
	 * on every pass while a running command finishes. */
	while (n++ < 256 && (key = getch()) != ERR) {
		if (!t->quit)
			tui_key(t, key);
	}
}

/* Whether the theme leaves every role at the terminal's colours: then it
 * is drawn as mono, with no colour escapes at all. */
static bool
tui_theme_colourless(const struct theme_resolved *r)
{
	int i;

	for (i = 0; i < THEME_NROLES; i++) {
		if (r->roles[i].fg.kind != THEME_COLOUR_DEFAULT ||
		    r->roles[i].bg.kind != THEME_COLOUR_DEFAULT)
			return false;
	}
	return true;
}

static void
tui_theme(struct tui *t, char *warn, size_t warnlen)
{
	enum theme_depth depth;
	enum theme_from from;
	struct theme *th;
	char **dirs, *name, err[400];
	int colors = tigetnum("colors");

	dirs = theme_choice_dirs();
	name = theme_choice_name(t->p->ui_theme, &from);
	th = theme_load(name, (const char *const *)dirs, err, sizeof err);
	if (th == NULL) {
		snprintf(warn, warnlen, "theme '%.64s' (from %s): %.400s; using the built-in one", name,
		    theme_from_name(from), err);
		th = theme_builtin();
	}
	theme_dirs_free(dirs);
	free(name);
	depth = theme_detect_depth(getenv("TERM"), getenv("COLORTERM"),
	    colors > 0 ? colors : 0, getenv("NO_COLOR"));
	theme_resolve(th, depth, &t->theme);
	if (depth != THEME_DEPTH_MONO && tui_theme_colourless(&t->theme)) {
		depth = THEME_DEPTH_MONO;
		theme_resolve(th, depth, &t->theme);
	}
	theme_free(th);
	t->colour = depth != THEME_DEPTH_MONO && has_colors();
	if (t->colour) {
		if (t->p->ui_banner != NULL && theme_set_banner(&t->theme, t->p->ui_banner) == -1)
			snprintf(warn, warnlen, "banner colour '%s' is not a colour",
			    t->p->ui_banner);
		start_color();
	} else
		t->theme.depth = THEME_DEPTH_MONO;
	theme_curses_init(&t->tc, &t->theme, 1);
	bkgdset(theme_curses_attr(&t->tc, THEME_TEXT) | ' ');
}

static int
tui_open(struct tui *t, char *err, size_t errlen)
{
	const char *codeset;

	t->tty_out = stdout;
	t->tty_in = stdin;
	t->scr = newterm(NULL, t->tty_out, t->tty_in);
	if (t->scr == NULL) {
		snprintf(err, errlen, "cannot drive the terminal '%s'",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		return -1;
	}
	set_term(t->scr);
	codeset = nl_langinfo(CODESET);
	t->utf8 = codeset != NULL && strcmp(codeset, "UTF-8") == 0;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	t->rows = LINES;
	t->cols = COLS;
	return 0;
}

static void
tui_close(struct tui *t)
{
	if (t->scr == NULL)
		return;
	endwin();
	delscreen(t->scr);
	t->scr = NULL;
}

static void
tui_free(struct tui *t)
{
	size_t i;

	for (i = 0; i < t->nviews; i++) {
		if (t->views[i].ops->free != NULL)
			t->views[i].ops->free(&t->views[i]);
		vlines_clear(&t->views[i].lines);
	}
	tui_output_clear(t);
	tui_history_close(t);
	drill_history_free(t->drills, t->n_drills);
	backup_poll_free(t->backups);
	restore_drill_history_free(t->rdrill, t->n_rdrill);
	alerts_free(t->alerts);
	free(t->pending);
	if (t->st != NULL)
		state_free(t->st);
	config_free(t->cfg);
}

int
tui_run(struct cmd_ctx *ctx)
{
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
	struct tui tt, *t = &tt;
	char err[512], warn[1024] = "";
	size_t i;
	int rc = CMD_OK;

	memset(t, 0, sizeof *t);
	t->ctx = ctx;
	t->loop = ctx->loop;
	t->hist_pos = -1;
	if ((t->cfg = config_load(NULL, err, sizeof err)) == NULL)
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	if ((t->p = config_profile(t->cfg, ctx->profile)) == NULL) {
		config_free(t->cfg);
		/* The same codes as command mode (cmd_check_flags): 2 and 4. */
		if (ctx->profile != NULL)
			return cmd_error(ctx, CMD_USAGE, "profile '%s' not found",
			    ctx->profile);
		return cmd_error(ctx, CMD_UNREACHABLE, "no cluster is configured: start "
		    "the practice lab with 'milvusadm lab up', or add a profile");
	}
	t->refresh_ms = t->p->ui_refresh_ms > 0 ? t->p->ui_refresh_ms : 5000;
	if ((t->st = state_new(t->loop, t->p, err, sizeof err)) == NULL) {
		config_free(t->cfg);
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	}
	for (i = 0; view_table[i] != NULL && i < TUI_MAX_VIEWS; i++) {
		t->views[i].ops = view_table[i];
		if (view_table[i]->init != NULL)
			view_table[i]->init(&t->views[i]);
	}
	t->nviews = i;
	t->alerts = alerts_new();
	if (tui_open(t, err, sizeof err) == -1) {
		tui_free(t);
		return cmd_error(ctx, CMD_USAGE, "%s", err);
	}
	tui_theme(t, warn, sizeof warn);
	tui_history_open(t);
	tui_drills_reload(t);
	t->backups = backup_poll_new(t->loop, t->p, TUI_BACKUP_LIST_MS, t->refresh_ms,
	    tui_on_backups, t);
	backup_poll_watch(t->backups, true);
	tui_rdrill_reload(t);
	for (i = 0; i < t->nviews; i++) {
		if (t->views[i].ops->resize != NULL)
			t->views[i].ops->resize(&t->views[i], t->cols, t->rows - 3);
	}
	drill_watch_set(tui_drill_seen, t);
	if (warn[0] != '\0')
		tui_message(t, true, "%s", warn);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		loop_signal(t->loop, sigs[i], tui_on_signal, t);
	loop_fd_add(t->loop, STDIN_FILENO, LOOP_READ, tui_on_stdin, t);
	tui_on_draw(t);

	/* The leader changes seen before (the Leaders view's "recent leader
	 * changes"), and those seen from now on, kept per profile. */
	if (leader_history_attach(t->st, err, sizeof err) != 0)
		tui_message(t, true, "%s", err);
	/* Everything is read asynchronously from here on: the loop never waits. */
	if (state_live_start(t->st, t->refresh_ms, tui_on_changed, t) == -1)
		tui_message(t, true, "cannot watch etcd: the screen is not live");
	tui_on_changed(t);
	t->tick_timer = loop_timer_add(t->loop, TUI_TICK_MS, tui_on_tick, t);

	while (!t->quit) {
		loop_once(t->loop, -1);
		if (t->pending != NULL && !t->quit)
			tui_run_pending(t);
	}

	drill_watch_set(NULL, NULL);
	state_live_stop(t->st);
	leader_history_detach(t->st);
	loop_fd_del(t->loop, STDIN_FILENO);
	if (t->draw_timer != 0)
		loop_timer_cancel(t->loop, t->draw_timer);
	loop_timer_cancel(t->loop, t->tick_timer);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		loop_signal(t->loop, sigs[i], NULL, NULL);
	tui_close(t);
	tui_free(t);
	return rc;
}
