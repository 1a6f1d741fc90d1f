/* SPDX-License-Identifier: MIT */
/* Drawing the TUI: the header (profile on its banner colour, version, etcd,
 * alerts, freshness), the tab bar, the current view or the output pane, the
 * status or prompt line, and the help overlay built from the bindings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "tui-int.h"

/* Decode s for drawing: invalid bytes and unprintable characters become '?',
 * so nothing but printable text reaches curses. */
static size_t
tui_decode(const char *s, wchar_t *out, size_t max, int w, int *used)
{
	mbstate_t ps;
	size_t n = 0, len = strlen(s), k;
	wchar_t wc;
	int cw;

	memset(&ps, 0, sizeof ps);
	*used = 0;
	while (len > 0 && n < max) {
		k = mbrtowc(&wc, s, len, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			k = 1;
		}
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (*used + cw > w)
			break;
		out[n++] = wc;
		*used += cw;
		s += k;
		len -= k;
	}
	return n;
}

int
tui_width(const char *s)
{
	wchar_t buf[1024];
	int used;

	tui_decode(s, buf, 1024, 1 << 20, &used);
	return used;
}

int
tui_put(struct tui *t, int y, int x, int w, enum theme_role role, const char *s)
{
	wchar_t buf[1024];
	size_t n;
	int used;

	if (w <= 0 || y < 0 || y >= t->rows || x >= t->cols)
		return 0;
	if (x + w > t->cols)
		w = t->cols - x;
	n = tui_decode(s, buf, sizeof buf / sizeof buf[0], w, &used);
	theme_curses_set(&t->tc, stdscr, role);
	if (n > 0)
		mvaddnwstr(y, x, buf, (int)n);
	return used;
}

/* Fill the rest of row y from x with blanks in role. */
static void
tui_fill(struct tui *t, int y, int x, enum theme_role role)
{
	theme_curses_set(&t->tc, stdscr, role);
	/* One call per row, not one per cell (it is every row of every frame). */
	if (x < t->cols)
		mvhline(y, x, ' ', t->cols - x);
}

/* The header's parts: text and role each. */
struct hdr {
	char text[6][160];
	enum theme_role role[6];
	int n;
};

static void
tui_header_parts(struct tui *t, struct hdr *h)
{
	const struct cluster *c = state_cluster(t->st);
	int64_t now = time_wall_ms(), oldest = 0, limit;
	const char *leader = NULL;
	char when[16], *esc;
	size_t i, up = 0, alerts;

	memset(h, 0, sizeof *h);
	esc = out_escape(t->p->name);
	snprintf(h->text[0], sizeof h->text[0], " %s ", esc);
	free(esc);
	h->role[0] = THEME_BANNER;
	esc = out_escape(c->milvus_version != NULL ? c->milvus_version : "?");
	snprintf(h->text[1], sizeof h->text[1], " Milvus %s ", esc);
	free(esc);
	h->role[1] = THEME_HEADER;
	for (i = 0; i < c->n_etcd; i++) {
		up += c->etcd[i].reachable;
		if (c->etcd[i].id == c->etcd_leader && c->etcd_leader != 0)
			leader = c->etcd[i].name;
	}
	esc = out_escape(leader != NULL ? leader : "none");
	if (c->n_etcd == 0)
		snprintf(h->text[2], sizeof h->text[2], " etcd ? ");
	else
		snprintf(h->text[2], sizeof h->text[2], " etcd %s %zu/%zu ", esc, up, c->n_etcd);
	free(esc);
	h->role[2] = c->n_etcd > 0 && (leader == NULL || up * 2 <= c->n_etcd) ? THEME_CRITICAL :
	    c->n_etcd > 0 && up < c->n_etcd ? THEME_WARN : THEME_HEADER;
	/* The list `status` and the Alerts view show (tui-alerts.c). */
	alerts = alerts_count(t->alerts);
	snprintf(h->text[3], sizeof h->text[3], " %zu alert%s ", alerts, alerts == 1 ? "" : "s");
	h->role[3] = alerts_count_severity(t->alerts, ALERT_CRITICAL) > 0 ? THEME_CRITICAL :
	    alerts_count_severity(t->alerts, ALERT_WARNING) > 0 ? THEME_WARN : THEME_HEADER;
	/* Freshness: the watch keeps sessions live; the timed sources are stale
	 * once they missed two refreshes. */
	h->role[4] = THEME_OK;
	if (c->src_sessions.failing_since_ms != 0) {
		view_clock(c->src_sessions.failing_since_ms, when, sizeof when);
		snprintf(h->text[4], sizeof h->text[4], " etcd unreachable since %s ", when);
		h->role[4] = THEME_CRITICAL;
	} else if (!c->sessions_known) {
		snprintf(h->text[4], sizeof h->text[4], " loading ");
		h->role[4] = THEME_STALE;
	} else if (c->src_proxy.failing_since_ms != 0 && c->src_proxy.updated_ms > 0) {
		view_clock(c->src_proxy.failing_since_ms, when, sizeof when);
		snprintf(h->text[4], sizeof h->text[4], " proxy unreachable since %s ", when);
		h->role[4] = THEME_WARN;
	} else {
		const struct source_state *ss[] = { &c->src_health, &c->src_etcd };

		for (i = 0; i < 2; i++) {
			if (ss[i]->updated_ms > 0 && (oldest == 0 || ss[i]->updated_ms < oldest))
				oldest = ss[i]->updated_ms;
		}
		limit = 2 * t->refresh_ms + 2000;
		if (oldest > 0 && now - oldest > limit) {
			snprintf(h->text[4], sizeof h->text[4], " stale %llds ",
			    (long long)((now - oldest) / 1000));
			h->role[4] = THEME_STALE;
		} else
			snprintf(h->text[4], sizeof h->text[4], " live ");
	}
	h->n = 5;
}

void
tui_header_text(struct tui *t, char *out, size_t len)
{
	struct hdr h;
	int i;

	tui_header_parts(t, &h);
	out[0] = '\0';
	for (i = 0; i < h.n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s|%d|", h.text[i], h.role[i]);
}

static void
tui_draw_header(struct tui *t)
{
	struct hdr h;
	int i, x = 0;

	tui_header_parts(t, &h);
	tui_fill(t, 0, 0, THEME_HEADER);
	for (i = 0; i < h.n && x < t->cols; i++) {
		if (i > 0)
			x += tui_put(t, 0, x, t->cols - x, THEME_HEADER, t->utf8 ? "\u2502" : "|");
		x += tui_put(t, 0, x, t->cols - x, h.role[i], h.text[i]);
	}
	tui_header_text(t, t->last_header, sizeof t->last_header);
}

static void
tui_draw_tabs(struct tui *t)
{
	char tab[64];
	size_t i;
	int x = 0, need = 0;
	bool compact, tight;

	tui_fill(t, 1, 0, THEME_TEXT);
	/* " 1 Overview " each; "1Overview " when that does not fit (eight
	 * views at 80 columns), and "1Overview" (the key's colour parts them)
	 * when even that does not (ten), so that every tab stays on screen. */
	for (i = 0; i < t->nviews; i++)
		need += 4 + tui_width(t->views[i].ops->title);
	compact = need > t->cols;
	tight = need - 2 * (int)t->nviews > t->cols;
	for (i = 0; i < t->nviews && x < t->cols; i++) {
		/* The tenth view's key is '0'. */
		snprintf(tab, sizeof tab, "%zu", (i + 1) % 10);
		if (!compact)
			x += tui_put(t, 1, x, t->cols - x, THEME_KEY, " ");
		x += tui_put(t, 1, x, t->cols - x, THEME_KEY, tab);
		snprintf(tab, sizeof tab, tight ? "%s" : compact ? "%s " : " %s ",
		    t->views[i].ops->title);
		x += tui_put(t, 1, x, t->cols - x, i == t->cur ? THEME_SELECTION : THEME_TEXT,
		    tab);
	}
	if (t->views[t->cur].filter[0] != '\0' && x + 4 < t->cols) {
		char *esc = out_escape(t->views[t->cur].filter);

		snprintf(tab, sizeof tab, "  /%s", esc);
		free(esc);
		tui_put(t, 1, x, t->cols - x, THEME_ACCENT, tab);
	}
}

/* Keep the selection inside the visible lines and on screen. */
static void
tui_clamp(struct view *v, const size_t *idx, size_t n, int h)
{
	if (n == 0) {
		v->sel = v->top = 0;
		return;
	}
	if (v->sel >= n)
		v->sel = n - 1;
	/* The selection rests on a line, not on a heading, when there is one. */
	while (v->sel + 1 < n && v->lines.v[idx[v->sel]].heading)
		v->sel++;
	while (v->sel > 0 && v->lines.v[idx[v->sel]].heading)
		v->sel--;
	if (v->sel < v->top)
		v->top = v->sel;
	if (h > 0 && v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
	if (v->top + (size_t)h > n)
		v->top = n > (size_t)h ? n - (size_t)h : 0;
}

static void
tui_draw_list(struct tui *t, struct view *v, int y, int h, int w)
{
	size_t *idx, n, i;
	int row, x;

	idx = view_visible(v, &n);
	tui_clamp(v, idx, n, h);
	for (row = 0; row < h; row++) {
		tui_fill(t, y + row, 0, THEME_TEXT);
		if (v->top + (size_t)row >= n)
			continue;
		i = idx[v->top + (size_t)row];
		const struct vline *l = &v->lines.v[i];
		bool sel = v->top + (size_t)row == v->sel && !l->heading;
		size_t k;

		if (sel)
			tui_fill(t, y + row, 0, THEME_SELECTION);
		for (k = 0, x = 0; k < l->n && x < w; k++)
			x += tui_put(t, y + row, x, w - x, sel ? THEME_SELECTION : l->spans[k].role,
			    l->spans[k].text);
	}
	if (n == 0 && h > 0)
		tui_put(t, y, 0, w, THEME_MUTED, "nothing matches the filter");
	free(idx);
}

static void
tui_draw_output(struct tui *t, int y, int h, int w)
{
	char title[256];
	size_t i;
	int row;

	if (h <= 0)
		return;
	if (t->out_top + 1 > t->nout)
		t->out_top = t->nout > 0 ? t->nout - 1 : 0;
	tui_fill(t, y, 0, THEME_TITLE);
	snprintf(title, sizeof title, ":%s  (%zu line%s; Esc closes, j/k PgUp/PgDn scroll)",
	    t->out_title != NULL ? t->out_title : "", t->nout, t->nout == 1 ? "" : "s");
	tui_put(t, y, 0, w, THEME_TITLE, title);
	for (row = 1; row < h; row++) {
		tui_fill(t, y + row, 0, THEME_TEXT);
		i = t->out_top + (size_t)row - 1;
		if (i < t->nout)
			tui_put(t, y + row, 0, w, THEME_TEXT, t->out[i]);
	}
}

static void
tui_draw_status(struct tui *t)
{
	int y = t->rows - 1, x;
	char *esc, views[16];
	size_t i;

	tui_fill(t, y, 0, THEME_TEXT);
	if (t->mode == TUI_PROMPT || t->mode == TUI_FILTER || t->mode == TUI_ASK) {
		char *head = xstrndup(t->line, t->pos);
		const char *nl = strrchr(t->ask_prompt, '\n');

		esc = out_escape(head);
		if (t->mode == TUI_ASK) {
			/* What will happen above, the question on the line. */
			if (nl != NULL && y > 2) {
				char *what = xstrndup(t->ask_prompt, (size_t)(nl - t->ask_prompt));

				tui_fill(t, y - 1, 0, THEME_WARN);
				tui_put(t, y - 1, 0, t->cols, THEME_WARN, what);
				free(what);
			}
			x = tui_put(t, y, 0, t->cols, THEME_CRITICAL, nl != NULL ? nl + 1 :
			    t->ask_prompt);
		} else
			x = tui_put(t, y, 0, t->cols, THEME_KEY, t->mode == TUI_PROMPT ? ":" : "/");
		x += tui_put(t, y, x, t->cols - x - 1, THEME_TEXT, esc);
		free(esc);
		free(head);
		esc = out_escape(t->line + t->pos);
		tui_put(t, y, x, t->cols - x, THEME_TEXT, esc);
		free(esc);
		move(y, x < t->cols ? x : t->cols - 1);
		curs_set(1);
		/* Completion candidates on the line above. */
		if (t->ncands > 1 && y > 2) {
			tui_fill(t, y - 1, 0, THEME_MUTED);
			for (i = 0, x = 0; i < t->ncands && x < t->cols; i++) {
				esc = out_escape(t->cands[i]);
				x += tui_put(t, y - 1, x, t->cols - x, THEME_MUTED, esc);
				x += tui_put(t, y - 1, x, t->cols - x, THEME_MUTED, "  ");
				free(esc);
			}
			move(y, 1 + tui_width(t->line) < t->cols ? 1 + (int)t->pos : t->cols - 1);
		}
		return;
	}
	curs_set(0);
	if (t->msg[0] != '\0') {
		tui_put(t, y, 0, t->cols, t->msg_error ? THEME_CRITICAL : THEME_ACCENT, t->msg);
		return;
	}
	if (t->busy) {
		tui_put(t, y, 0, t->cols, THEME_WARN, "running...");
		return;
	}
	x = 0;
	x += tui_put(t, y, x, t->cols - x, THEME_KEY, "?");
	x += tui_put(t, y, x, t->cols - x, THEME_MUTED, " help  ");
	x += tui_put(t, y, x, t->cols - x, THEME_KEY, ":");
	x += tui_put(t, y, x, t->cols - x, THEME_MUTED, " command  ");
	x += tui_put(t, y, x, t->cols - x, THEME_KEY, "/");
	x += tui_put(t, y, x, t->cols - x, THEME_MUTED, " filter  ");
	/* The tenth view's key is '0'. */
	if (t->nviews >= 10)
		snprintf(views, sizeof views, "0-9");
	else
		snprintf(views, sizeof views, "1-%zu", t->nviews);
	x += tui_put(t, y, x, t->cols - x, THEME_KEY, views);
	x += tui_put(t, y, x, t->cols - x, THEME_MUTED, " views  ");
	x += tui_put(t, y, x, t->cols - x, THEME_KEY, "r");
	x += tui_put(t, y, x, t->cols - x, THEME_MUTED, " refresh  ");
	x += tui_put(t, y, x, t->cols - x, THEME_KEY, "q");
	tui_put(t, y, x, t->cols - x, THEME_MUTED, " quit");
}

/* The help overlay: one line per binding, generated from the table. */
static void
tui_draw_help(struct tui *t)
{
	const struct tui_binding *b;
	char line[160], key[16];
	int n = 0, w = 78, h, y0, x0, row;
	const char *hz = t->utf8 ? "\u2500" : "-", *vt = t->utf8 ? "\u2502" : "|";

	for (b = tui_bindings; b->command != NULL; b++)
		n++;
	h = n + 4;
	if (h > t->rows - 2)
		h = t->rows - 2;
	if (w > t->cols - 2)
		w = t->cols - 2;
	if (h < 4 || w < 20)
		return;
	y0 = (t->rows - h) / 2;
	x0 = (t->cols - w) / 2;
	for (row = 0; row < h; row++) {
		int x;

		theme_curses_set(&t->tc, stdscr, THEME_TEXT);
		for (x = 0; x < w; x++)
			mvaddch(y0 + row, x0 + x, ' ');
		if (row == 0 || row == h - 1) {
			for (x = 0; x < w; x++)
				tui_put(t, y0 + row, x0 + x, 1, THEME_BORDER,
				    (x == 0 || x == w - 1) ? (t->utf8 ? (row == 0 ? (x == 0 ?
				    "\u250c" : "\u2510") : (x == 0 ? "\u2514" : "\u2518")) : "+") : hz);
		} else {
			tui_put(t, y0 + row, x0, 1, THEME_BORDER, vt);
			tui_put(t, y0 + row, x0 + w - 1, 1, THEME_BORDER, vt);
		}
	}
	tui_put(t, y0, x0 + 2, w - 4, THEME_TITLE, " keys (any key closes) ");
	row = 1;
	for (b = tui_bindings; b->command != NULL && row < h - 1; b++, row++) {
		tui_put(t, y0 + row, x0 + 2, 9, THEME_KEY, tui_key_name(b->key, key, sizeof key));
		snprintf(line, sizeof line, "%-20s %s", b->command, b->help);
		tui_put(t, y0 + row, x0 + 11, w - 13, THEME_TEXT, line);
	}
}

void
tui_draw(struct tui *t)
{
	struct view *v = &t->views[t->cur];
	int body = t->rows - 3;

	erase();
	if (t->rows < 4 || t->cols < 20) {
		tui_put(t, 0, 0, t->cols, THEME_WARN, "terminal too small");
		refresh();
		return;
	}
	tui_draw_header(t);
	tui_draw_tabs(t);
	if (t->pane)
		tui_draw_output(t, 2, body, t->cols);
	else if (v->ops->draw != NULL)
		v->ops->draw(t, v, 2, body, t->cols);
	else
		tui_draw_list(t, v, 2, body, t->cols);
	tui_draw_status(t);
	if (t->mode == TUI_HELP)
		tui_draw_help(t);
	refresh();
}
