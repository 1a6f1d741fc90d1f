/* SPDX-License-Identifier: MIT */
/* Key bindings as command strings (one table; the help overlay is generated
 * from it), the TUI's own commands, and running engine commands with their
 * output captured into the pane. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/cluster.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/drill.h"
#include "milvusadm/output.h"
#include "milvusadm/protect.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "tui-int.h"

#undef CTRL
#define CTRL(c)	((c) & 0x1f)

const struct tui_binding tui_bindings[] = {
	{ '1', "view overview", "components by role, ACTIVE/STANDBY, health" },
	{ '2', "view leaders", "coordinators: active, standbys, changes" },
	{ '3', "view replicas", "replica groups of loaded collections" },
	{ '4', "view collections", "load state, rows, replicas, aliases" },
	{ '5', "view events", "the flight recorder, newest first" },
	{ '6', "view etcd", "members, leader, raft term, db size" },
	{ '7', "view drills", "the running or last drill, recent drills" },
	{ '8', "view backups", "backups, tasks, RPO per collection, restore drill" },
	{ '9', "view audit", "the audit log's newest actions: guard, outcome" },
	{ '0', "view alerts", "alerts: severity, since when, the cause and the fix" },
	{ 'D', "drill-selected", "drill the selected role (asks you to type it)" },
	{ 'b', "backup-selected", "back up the selected collection (no question)" },
	{ 'p', "protect-selected", "protect the selected collection, or unprotect it (asks "
	    "you to type it)" },
	{ '\t', "view next", "next view" },
	{ KEY_BTAB, "view prev", "previous view" },
	{ 'j', "select down", "move down" },
	{ KEY_DOWN, "select down", "move down" },
	{ 'k', "select up", "move up" },
	{ KEY_UP, "select up", "move up" },
	{ KEY_NPAGE, "select page-down", "a page down" },
	{ KEY_PPAGE, "select page-up", "a page up" },
	{ KEY_HOME, "select first", "to the top" },
	{ KEY_END, "select last", "to the bottom" },
	{ '/', "filter", "filter this view (Esc clears)" },
	{ ':', "prompt", "run a command, as in the shell" },
	{ 'r', "refresh", "refresh everything now" },
	{ CTRL('l'), "redraw", "redraw the screen" },
	{ '?', "help-overlay", "this help" },
	{ 'q', "quit", "leave (the terminal is restored)" },
	{ 0, NULL, NULL },
};

const char *
tui_key_name(int key, char *buf, size_t len)
{
	switch (key) {
	case '\t':
		return "Tab";
	case KEY_BTAB:
		return "S-Tab";
	case KEY_DOWN:
		return "Down";
	case KEY_UP:
		return "Up";
	case KEY_NPAGE:
		return "PgDn";
	case KEY_PPAGE:
		return "PgUp";
	case KEY_HOME:
		return "Home";
	case KEY_END:
		return "End";
	}
	if (key > 0 && key < 32)
		snprintf(buf, len, "C-%c", key + 'a' - 1);
	else if (key >= 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "#%d", key);
	return buf;
}

void
tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
	tui_dirty(t);
}

void
tui_select(struct tui *t, const char *how)
{
	struct view *v = &t->views[t->cur];
	size_t *idx = NULL, n, page = t->rows > 4 ? (size_t)t->rows - 4 : 1;
	size_t *pos = t->pane ? &t->out_top : &v->sel;

	if (t->pane)
		n = t->nout;
	else
		idx = view_visible(v, &n);
	if (strcmp(how, "down") == 0)
		*pos += *pos + 1 < n;
	else if (strcmp(how, "up") == 0) {
		size_t old = *pos;

		*pos -= *pos > 0;
		/* Over headings, but not onto one at the top. */
		while (!t->pane && *pos > 0 && v->lines.v[idx[*pos]].heading)
			(*pos)--;
		if (!t->pane && n > 0 && v->lines.v[idx[*pos]].heading)
			*pos = old;
	}
	else if (strcmp(how, "page-down") == 0)
		*pos = *pos + page < n ? *pos + page : (n > 0 ? n - 1 : 0);
	else if (strcmp(how, "page-up") == 0)
		*pos = *pos > page ? *pos - page : 0;
	else if (strcmp(how, "first") == 0)
		*pos = 0;
	else if (strcmp(how, "last") == 0)
		*pos = n > 0 ? n - 1 : 0;
	else
		tui_message(t, true, "select '%s': not one of up, down, page-up, page-down, "
		    "first, last", how);
	free(idx);
	tui_dirty(t);
}

/* The TUI's own commands (bindings name them; ':' runs them too). */
static int
tui_cmd_view(struct tui *t, int argc, char **argv)
{
	int i;

	if (argc != 2) {
		tui_message(t, true, "usage: view NAME|next|prev");
		return -1;
	}
	if (strcmp(argv[1], "next") == 0)
		i = (int)((t->cur + 1) % t->nviews);
	else if (strcmp(argv[1], "prev") == 0)
		i = (int)((t->cur + t->nviews - 1) % t->nviews);
	else if ((i = tui_view_find(t, argv[1])) < 0) {
		tui_message(t, true, "view '%s' not found", argv[1]);
		return -1;
	}
	t->pane = false;
	tui_view_switch(t, (size_t)i);
	/* A view shown is rebuilt: one that reads its own file (Audit) shows
	 * what the file gained since, whatever the cluster did. */
	tui_model_changed(t);
	return 0;
}

static int
tui_cmd_simple(struct tui *t, int argc, char **argv)
{
	const char *c = argv[0];

	if ((strcmp(c, "quit") == 0 || strcmp(c, "exit") == 0) && tui_drill_running(t))
		tui_message(t, true, "a drill is running: Ctrl-C stops its probes first");
	else if ((strcmp(c, "quit") == 0 || strcmp(c, "exit") == 0) && t->busy)
		tui_message(t, true, "a command is running: Ctrl-C stops it");
	else if (strcmp(c, "quit") == 0 || strcmp(c, "exit") == 0)
		t->quit = true;
	else if (strcmp(c, "refresh") == 0) {
		state_live_refresh(t->st);
		tui_backups_refresh(t);
		/* ... and the views that read files (Audit) read them again. */
		tui_model_changed(t);
		tui_message(t, false, "refreshing");
	} else if (strcmp(c, "help-overlay") == 0)
		t->mode = TUI_HELP;
	else if (strcmp(c, "prompt") == 0)
		tui_prompt_open(t, TUI_PROMPT);
	else if (strcmp(c, "filter") == 0) {
		t->pane = false;
		tui_prompt_open(t, TUI_FILTER);
	} else if (strcmp(c, "redraw") == 0)
		clearok(curscr, TRUE);
	else if (strcmp(c, "select") == 0) {
		if (argc != 2) {
			tui_message(t, true, "usage: select up|down|page-up|page-down|first|last");
			return -1;
		}
		tui_select(t, argv[1]);
	}
	tui_dirty(t);
	return 0;
}

/* D: `drill run` on what the selected line is about (a role in Leaders, the
 * target of a past drill in Drills); the engine asks for the typed
 * confirmation through tui_ask. */
static int
tui_cmd_drill_selected(struct tui *t, int argc, char **argv)
{
	const char *tag, *view = t->views[t->cur].ops->name;
	char line[160];

	(void)argc;
	(void)argv;
	tui_view_fresh(t);
	tag = t->pane ? NULL : view_selected_tag(&t->views[t->cur]);
	/* Other views tag their lines with collections, not drill targets. */
	if (strcmp(view, "leaders") != 0 && strcmp(view, "drills") != 0)
		tag = NULL;
	if (tag == NULL) {
		tui_message(t, true, "select a coordinator role in Leaders (2) to drill it");
		return -1;
	}
	/* Names from the cluster go back into a command line: only plain ones. */
	if (tag[strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	    "_-./")] != '\0' || strlen(tag) > 100) {
		tui_message(t, true, "'%s' cannot be drilled from here: type :drill run", tag);
		return -1;
	}
	snprintf(line, sizeof line, "drill run %s", tag);
	tui_command(t, line, false);
	return 0;
}

/* p: `protect add` the selected collection in Collections, or `protect
 * remove` it when the shared list has it (a destructive command: the guard
 * asks for the name on the status line). The engine's commands do the work,
 * so the refusals (read-only, a pattern, a wrong name) are theirs. */
static int
tui_cmd_protect_selected(struct tui *t, int argc, char **argv)
{
	const struct cluster *c = state_cluster(t->st);
	const char *tag, *dot;
	char line[600], db[256];

	(void)argc;
	(void)argv;
	tui_view_fresh(t);
	tag = t->pane ? NULL : view_selected_tag(&t->views[t->cur]);
	if (strcmp(t->views[t->cur].ops->name, "collections") != 0)
		tag = NULL;
	if (tag == NULL || (dot = strchr(tag, '.')) == NULL) {
		tui_message(t, true, "select a collection in Collections (4) to protect it");
		return -1;
	}
	/* Names from the cluster go back into a command line: only plain ones. */
	if (tag[strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	    "_.")] != '\0' || strlen(tag) > 520) {
		tui_message(t, true, "this name cannot be protected from here: type :protect add");
		return -1;
	}
	if (!c->protected_known) {
		tui_message(t, true, "the protect list has not been read from etcd yet");
		return -1;
	}
	snprintf(db, sizeof db, "%.*s", (int)(dot - tag), tag);
	snprintf(line, sizeof line, "protect %s %s",
	    protect_list_match(c->protected_names, c->n_protected, db, dot + 1) ?
	    "remove" : "add", tag);
	tui_command(t, line, false);
	state_live_refresh(t->st);
	return 0;
}

/* b: `backup create --collections DB.COLL` of the selected collection (in
 * Collections, or the RPO list of Backups), with an automatic name and no
 * question: a backup adds, it destroys nothing. It runs on the loop and is
 * followed in the Backups view. Refused as `backup create` is (MUTATES)
 * under --read-only or on a read-only profile. */
static int
tui_cmd_backup_selected(struct tui *t, int argc, char **argv)
{
	const char *tag, *view = t->views[t->cur].ops->name;
	char name[96], err[512], *esc, *why;
	int rc;

	(void)argc;
	(void)argv;
	tui_view_fresh(t);
	tag = t->pane ? NULL : view_selected_tag(&t->views[t->cur]);
	if (strcmp(view, "collections") != 0 && strcmp(view, "backups") != 0)
		tag = NULL;
	if (tag == NULL) {
		tui_message(t, true, "select a collection in Collections (4) or in the RPO list "
		    "of Backups (8) to back it up");
		return -1;
	}
	if (t->ctx->read_only) {
		tui_message(t, true, "'backup create' changes things and is refused under "
		    "--read-only");
		return -1;
	}
	if (t->p->read_only) {
		tui_message(t, true, "profile '%s' is read-only: 'backup create' is refused",
		    t->p->name);
		return -1;
	}
	/* The tag and the reason may quote the cluster: escaped for the line. */
	esc = out_escape(tag);
	rc = backup_poll_create(t->backups, tag, name, sizeof name, err, sizeof err);
	if (rc != 0) {
		why = out_escape(err);
		tui_message(t, true, "backup of '%s': %s", esc, why);
		free(why);
	} else
		tui_message(t, false, "backup %s of %s started: its progress is in Backups (8)",
		    name, esc);
	free(esc);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(struct tui *, int, char **);
} tui_commands[] = {
	{ "drill-selected", tui_cmd_drill_selected },
	{ "backup-selected", tui_cmd_backup_selected },
	{ "protect-selected", tui_cmd_protect_selected },
	{ "view", tui_cmd_view },
	{ "quit", tui_cmd_simple },
	{ "exit", tui_cmd_simple },
	{ "refresh", tui_cmd_simple },
	{ "help-overlay", tui_cmd_simple },
	{ "prompt", tui_cmd_simple },
	{ "filter", tui_cmd_simple },
	{ "redraw", tui_cmd_simple },
	{ "select", tui_cmd_simple },
};

/* Commands that take the terminal or never end: not inside the TUI. */
static const char *
tui_refused(const struct cmd_list *list)
{
	const struct cmd_entry *e;
	char err[256];
	size_t i;
	int j, n;

	for (i = 0; i < list->n; i++) {
		e = cmd_find(list->v[i].argc, list->v[i].argv, &n, err, sizeof err);
		if (e == NULL)
			continue;
		if (strcmp(e->name, "shell") == 0 || strcmp(e->name, "watch") == 0)
			return e->name;
		for (j = n; j < list->v[i].argc; j++) {
			if (strcmp(list->v[i].argv[j], "--follow") == 0)
				return "events --follow";
		}
	}
	return NULL;
}

void
tui_command(struct tui *t, const char *line, bool typed)
{
	struct cmd_list list;
	const char *refused;
	char err[256];
	size_t i;

	if (cmd_lex(line, 1, 0, &list, err, sizeof err, NULL) != 0) {
		tui_message(t, true, "%s", err);
		return;
	}
	if (list.n == 0) {
		cmd_list_free(&list);
		return;
	}
	for (i = 0; i < sizeof tui_commands / sizeof tui_commands[0]; i++) {
		if (list.n == 1 && strcmp(list.v[0].argv[0], tui_commands[i].name) == 0) {
			tui_commands[i].fn(t, list.v[0].argc, list.v[0].argv);
			cmd_list_free(&list);
			return;
		}
	}
	refused = tui_refused(&list);
	cmd_list_free(&list);
	if (refused != NULL) {
		tui_message(t, true, "'%s' does not run inside the TUI: use 'milvusadm %s'",
		    refused, refused);
		return;
	}
	if (t->busy || t->pending != NULL) {
		tui_message(t, true, "a command is running");
		return;
	}
	/* Engine commands wait on the loop: run it from the top of the loop,
	 * never from inside this key callback. */
	t->pending = xstrdup(line);
	(void)typed;
}

static void
tui_drill_message(struct tui *t, int rc)
{
	if (t->drill_end[0] == '\0')
		tui_message(t, true, "drill stopped before it ended (exit %d)", rc);
	else
		tui_message(t, rc != 0 || t->drill_failed, "%s; exit %d", t->drill_end, rc);
}

void
tui_run_pending(struct tui *t)
{
	struct cmd_script s = { NULL, true, 0, false };
	struct cmd_ctx sub;
	char *text = t->pending, *out = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	t->pending = NULL;
	if ((f = open_memstream(&out, &len)) == NULL) {
		tui_message(t, true, "cannot capture the output");
		free(text);
		return;
	}
	/* Tables as on a terminal, but no colour: the pane draws plain text. */
	sub = *t->ctx;
	sub.out = f;
	sub.err = f;
	sub.out_tty = true;
	sub.format = OUT_TABLE;
	sub.color = false;
	sub.script = NULL;
	sub.errors = 0;
	/* The terminal is ours: questions go through the status line. */
	sub.ask = tui_ask;
	sub.ask_arg = t;
	sub.stop = &t->quit;
	t->drill_ran = false;
	t->busy = true;
	t->msg[0] = '\0';
	tui_draw(t);
	rc = cmd_script_text(&sub, &s, text, 1);
	fclose(f);
	t->busy = false;
	if (len > TUI_OUT_MAX)
		len = TUI_OUT_MAX;
	tui_output_set(t, text, out, len);
	/* A drill was followed in the Drills view: stay there, with its end
	 * on the status line (the pane is one ':' away in the history). */
	t->pane = !t->drill_ran;
	if (t->drill_ran)
		tui_drill_message(t, rc);
	else if (rc != 0)
		tui_message(t, true, "exit %d", rc);
	if (rc == 0 && strncmp(text, "theme use", 9) == 0)
		tui_message(t, false, "theme saved: it applies at the next start");
	free(out);
	free(text);
	tui_dirty(t);
}
