/* SPDX-License-Identifier: MIT */
/* The progress display of long tasks: bars redrawn in place on a terminal,
 * plain lines in a pipe, JSON lines; monotonic, stall-aware, and every string
 * from a server escaped (out_escape for text, the output engine for JSON). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/output.h"
#include "milvusadm/progress.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

/* Bounds on what a server can make us keep or draw. */
#define PROGRESS_MAX_ITEMS	256
#define PROGRESS_NAME_MAX	256	/* bytes of an item name kept */
#define PROGRESS_MSG_MAX	1024	/* bytes of a server message kept */
/* Units, rates and durations are kept below 2^53: exact in a double (so in
 * any JSON reader), and 256 items of them sum without overflow. */
#define PROGRESS_NUM_MAX	((int64_t)1 << 53)
/* Items drawn (TTY) or listed (plain): a 24-line terminal keeps the whole
 * block on screen, which cursor-up needs. */
#define PROGRESS_SHOW_ITEMS	8
/* Rate and ETA come from the samples of the last 10 s: long enough to smooth
 * a server that reports in bursts, short enough to follow a change of pace. */
#define PROGRESS_WINDOW_MS	10000
#define PROGRESS_SAMPLES	32
#define PROGRESS_BAR_MAX	40
#define PROGRESS_BAR_MIN	10
/* Room kept after the total's percent: "  59m59s  123456 rows/s  ETA 59m59s". */
#define PROGRESS_TAIL_W		35
#define PROGRESS_COLS_DEFAULT	80

/* One item as last seen. */
struct pitem {
	char *name;		/* raw, bounded: matched across updates */
	char *esc;		/* out_escape(name): what a terminal gets */
	int raw;		/* percent from the server (or done/total), -1 unknown */
	int shown;		/* monotonic and capped: what is displayed, -1 none yet */
	int64_t done;		/* -1 unknown */
	int64_t total;		/* -1 unknown */
};

/* The whole at one update, for rate and ETA. */
struct psample {
	int64_t t;
	int64_t done;		/* sum of the items' done, -1 unknown */
	int pct;		/* shown total percent, -1 unknown */
};

enum pstall_event { PSTALL_NONE, PSTALL_BEGIN, PSTALL_END };

struct progress {
	FILE *out;
	enum progress_mode mode;
	char *task;		/* raw: the JSON writer escapes it itself */
	char *task_esc;
	char *unit;
	char *hint;		/* NULL: none */
	char *hint_esc;
	bool bytes;
	int64_t start_ms;
	int64_t stall_ms;
	int64_t now_ms;		/* time of the last update */

	enum progress_state state;
	bool started;		/* a state was said */
	bool finished;		/* the last line was said: nothing more is drawn */
	char *msg;		/* raw, bounded, NULL none */

	int raw_total;		/* as reported or derived, -1 unknown */
	int shown;		/* monotonic and capped, -1 none yet */
	int plain_step;		/* the 10 % step the last plain line showed */
	struct pitem *items;
	size_t nitems;
	int64_t done_sum;	/* -1 unknown */
	int64_t total_sum;	/* -1 unless every item has done and total */

	struct psample samples[PROGRESS_SAMPLES];
	size_t nsamples;
	double rate;		/* units/s, < 0 unknown */
	int64_t eta_ms;		/* -1 unknown */

	int64_t moved_ms;	/* when anything last moved */
	bool stalled;

	size_t drawn;		/* TTY: lines of the live block; the cursor sits below it */
};

static bool
progress_final(enum progress_state st)
{
	return st == PROGRESS_SUCCESS || st == PROGRESS_FAILED || st == PROGRESS_LOST;
}

static const char *
progress_state_key(enum progress_state st)
{
	static const char *const keys[] = { "pending", "running", "success", "failed", "lost" };

	return (size_t)st < sizeof keys / sizeof keys[0] ? keys[st] : "unknown";
}

/* Out-of-range reports are clamped rather than trusted: 140 % is 100 %. */
static int
progress_clamp_pct(int v)
{
	if (v < 0)
		return -1;
	return v > 100 ? 100 : v;
}

static int64_t
progress_clamp_units(int64_t v)
{
	if (v < 0)
		return -1;
	return v > PROGRESS_NUM_MAX ? PROGRESS_NUM_MAX : v;
}

/*
 * What is displayed: never below what was shown (servers report going
 * backwards, and milvus-backup resets a failed task to 0), and 100 only with
 * the success state (its progress reaches 100 before the state says so).
 */
static int
progress_show(int last, int raw, bool success)
{
	int v = raw > last ? raw : last;

	if (success)
		return 100;
	return v > 99 ? 99 : v;
}

/* Rates and ETAs from a server's numbers and the caller's clock can be
 * absurd (2^53 units in 1 ms, a crawl over a day). */
static int64_t
progress_round(double v)
{
	if (!(v < (double)PROGRESS_NUM_MAX))
		return PROGRESS_NUM_MAX;
	return v > 0 ? llround(v) : 0;
}

static int64_t
progress_elapsed(const struct progress *p)
{
	return p->now_ms > p->start_ms ? p->now_ms - p->start_ms : 0;
}

enum progress_mode
progress_mode_for(FILE *out, bool json)
{
	const char *term = getenv("TERM");
	int fd = fileno(out);

	if (json)
		return PROGRESS_JSON;
	if (fd >= 0 && isatty(fd) && term != NULL && term[0] != '\0' &&
	    strcmp(term, "dumb") != 0)
		return PROGRESS_TTY;
	return PROGRESS_PLAIN;
}

struct progress *
progress_new(FILE *out, enum progress_mode mode, const char *task, const char *unit,
    int64_t start_ms, int64_t stall_ms, const char *stall_hint)
{
	struct progress *p = xcalloc(1, sizeof *p);

	p->out = out;
	p->mode = mode;
	p->task = xstrdup(task != NULL ? task : "");
	p->task_esc = out_escape(p->task);
	p->unit = xstrdup(unit != NULL ? unit : "");
	p->bytes = strcmp(p->unit, "B") == 0;
	if (stall_hint != NULL && stall_hint[0] != '\0') {
		p->hint = xstrdup(stall_hint);
		p->hint_esc = out_escape(p->hint);
	}
	p->start_ms = start_ms;
	p->stall_ms = stall_ms > 0 ? stall_ms : 0;
	p->now_ms = start_ms;
	p->moved_ms = start_ms;
	p->raw_total = -1;
	p->shown = -1;
	p->plain_step = -1;
	p->done_sum = -1;
	p->total_sum = -1;
	p->rate = -1;
	p->eta_ms = -1;
	return p;
}

static void
progress_items_free(struct pitem *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].esc);
	}
	free(v);
}

/* Replace the items with this update's; true when anything about them moved. */
static bool
progress_take_items(struct progress *p, const struct progress_item *items, size_t n)
{
	struct pitem *v;
	const struct pitem *old;
	bool moved, all_units = true, any_done = false;
	size_t i, k;

	if (items == NULL)
		n = 0;
	if (n > PROGRESS_MAX_ITEMS)
		n = PROGRESS_MAX_ITEMS;
	moved = n != p->nitems;
	v = xcalloc(n + 1, sizeof *v);
	p->done_sum = 0;
	p->total_sum = 0;
	for (i = 0; i < n; i++) {
		const struct progress_item *it = &items[i];

		v[i].name = xstrndup(it->name != NULL ? it->name : "", PROGRESS_NAME_MAX);
		v[i].esc = out_escape(v[i].name);
		v[i].done = progress_clamp_units(it->done);
		v[i].total = progress_clamp_units(it->total);
		v[i].raw = progress_clamp_pct(it->percent);
		if (v[i].raw < 0 && v[i].done >= 0 && v[i].total > 0)
			v[i].raw = progress_clamp_pct((int)((double)v[i].done * 100 / v[i].total));
		for (old = NULL, k = 0; k < p->nitems && old == NULL; k++) {
			if (strcmp(p->items[k].name, v[i].name) == 0)
				old = &p->items[k];
		}
		v[i].shown = old != NULL ? old->shown : -1;
		if (old == NULL || old->raw != v[i].raw || old->done != v[i].done)
			moved = true;
		if (v[i].done >= 0) {
			any_done = true;
			p->done_sum += v[i].done;
		}
		if (v[i].done < 0 || v[i].total < 0)
			all_units = false;
		else
			p->total_sum += v[i].total;
	}
	if (!any_done)
		p->done_sum = -1;
	if (!all_units || n == 0)
		p->total_sum = -1;
	progress_items_free(p->items, p->nitems);
	p->items = v;
	p->nitems = n;
	return moved;
}

/* The total when the server gives none: units if every item has them, else
 * the mean of the items' percents. */
static int
progress_derive_total(const struct progress *p)
{
	int sum = 0, known = 0;
	size_t i;

	if (p->total_sum > 0)
		return progress_clamp_pct((int)((double)p->done_sum * 100 / p->total_sum));
	for (i = 0; i < p->nitems; i++) {
		if (p->items[i].raw >= 0) {
			sum += p->items[i].raw;
			known++;
		}
	}
	return known > 0 ? sum / known : -1;
}

static void
progress_sample(struct progress *p)
{
	struct psample s = { p->now_ms, p->done_sum, p->shown };
	struct psample *last;

	if (p->nsamples > 0) {
		last = &p->samples[p->nsamples - 1];
		/* Units or the clock going back (a retried copy, an item gone)
		 * make the old samples lie: start over. */
		if (s.t < last->t || (s.done >= 0 && last->done > s.done))
			p->nsamples = 0;
		else if (last->t == s.t) {
			*last = s;
			return;
		}
	}
	if (p->nsamples == PROGRESS_SAMPLES) {
		memmove(p->samples, p->samples + 1, (PROGRESS_SAMPLES - 1) * sizeof *p->samples);
		p->nsamples--;
	}
	p->samples[p->nsamples++] = s;
}

/*
 * The sample to measure from: the oldest in the window that knows the value
 * (units done or percent), or else the newest before the latest, for a
 * caller that polls less often than the window.
 */
static const struct psample *
progress_base(const struct progress *p, bool units)
{
	const struct psample *cur = &p->samples[p->nsamples - 1], *s;
	size_t i;

	for (i = 0; i + 1 < p->nsamples; i++) {
		s = &p->samples[i];
		if ((units ? s->done >= 0 : s->pct >= 0) &&
		    cur->t - s->t <= PROGRESS_WINDOW_MS)
			return s;
	}
	for (i = p->nsamples - 1; i-- > 0;) {
		s = &p->samples[i];
		if (units ? s->done >= 0 : s->pct >= 0)
			return s;
	}
	return NULL;
}

/* Rate from the units done; ETA from the units left at that rate, or else
 * from the pace of the percent (a backup task reports only a percent). */
static void
progress_estimate(struct progress *p)
{
	const struct psample *cur, *base;

	p->rate = -1;
	p->eta_ms = -1;
	if (p->state != PROGRESS_RUNNING || p->nsamples < 2)
		return;
	cur = &p->samples[p->nsamples - 1];
	if (cur->done >= 0 && (base = progress_base(p, true)) != NULL) {
		p->rate = (double)(cur->done - base->done) * 1000 / (double)(cur->t - base->t);
		if (p->rate > 0 && p->total_sum >= p->done_sum)
			p->eta_ms = progress_round((double)(p->total_sum - p->done_sum) *
			    1000 / p->rate);
	}
	if (p->eta_ms < 0 && cur->pct >= 0 && (base = progress_base(p, false)) != NULL &&
	    cur->pct > base->pct)
		p->eta_ms = progress_round((double)(100 - cur->pct) *
		    (double)(cur->t - base->t) / (cur->pct - base->pct));
}

/*
 * Columns the character starting with byte c takes, counted high so that a
 * line may fall short but never wraps: from U+0800 on (CJK among them) two.
 * Escaped text is valid UTF-8; a continuation byte takes none.
 */
static size_t
progress_cw(char c)
{
	if (((unsigned char)c & 0xc0) == 0x80)
		return 0;
	return (unsigned char)c >= 0xe0 ? 2 : 1;
}

static size_t
progress_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		w += progress_cw(*s);
	return w;
}

/* Cut s to width columns, marking a cut with an ellipsis when asked; pad to
 * width when asked. */
static void
progress_add_fit(struct buf *b, const char *s, size_t width, bool ellipsis, bool pad)
{
	size_t n, cols = 0;

	ellipsis = ellipsis && width > 0 && progress_width(s) > width;
	if (ellipsis)
		width--;
	for (n = 0; s[n] != '\0' && cols + progress_cw(s[n]) <= width; n++)
		cols += progress_cw(s[n]);
	buf_add(b, s, n);
	if (ellipsis) {
		buf_adds(b, "\xe2\x80\xa6");
		cols++;
		width++;
	}
	for (; pad && cols < width; cols++)
		buf_addc(b, ' ');
}

static void
progress_fmt_rate(const struct progress *p, char *out, size_t len)
{
	if (p->bytes)
		snprintf(out, len, "%.1f MiB/s", p->rate / (1024.0 * 1024.0));
	else
		snprintf(out, len, "%.*f %s/s", p->rate < 10 ? 1 : 0, p->rate, p->unit);
}

/* Elapsed time, then rate and ETA when known, SEP between them:
 * "12.0s, 2.0 MiB/s, ETA 30.0s". */
static void
progress_add_times(const struct progress *p, struct buf *b, const char *sep)
{
	char t[48];

	time_format_duration(progress_elapsed(p), t, sizeof t);
	buf_adds(b, t);
	if (p->rate >= 0) {
		progress_fmt_rate(p, t, sizeof t);
		buf_printf(b, "%s%s", sep, t);
	}
	if (p->eta_ms >= 0) {
		time_format_duration(p->eta_ms, t, sizeof t);
		buf_printf(b, "%sETA %s", sep, t);
	}
}

/* "backup nightly-1: running 40% (default.archive 55%, …) 12.0s, ETA 30.0s: msg" */
static void
progress_add_line(const struct progress *p, struct buf *b, bool items, bool msg)
{
	char *esc;
	size_t i;

	buf_printf(b, "%s: %s", p->task_esc,
	    p->state == PROGRESS_LOST ? "task lost" : progress_state_key(p->state));
	if (p->shown >= 0)
		buf_printf(b, " %d%%", p->shown);
	if (items && p->nitems > 0) {
		buf_adds(b, " (");
		for (i = 0; i < p->nitems && i < PROGRESS_SHOW_ITEMS; i++) {
			buf_printf(b, "%s%s ", i > 0 ? ", " : "", p->items[i].esc);
			if (p->items[i].shown >= 0)
				buf_printf(b, "%d%%", p->items[i].shown);
			else
				buf_adds(b, "?%");
		}
		if (p->nitems > PROGRESS_SHOW_ITEMS)
			buf_printf(b, ", %zu more", p->nitems - PROGRESS_SHOW_ITEMS);
		buf_addc(b, ')');
	}
	buf_addc(b, ' ');
	progress_add_times(p, b, ", ");
	if (p->state == PROGRESS_LOST)
		buf_adds(b, " (the server no longer knows the task)");
	if (msg && p->msg != NULL && p->msg[0] != '\0') {
		esc = out_escape(p->msg);
		buf_printf(b, ": %s", esc);
		free(esc);
	}
}

/* The stall report, or the news that it moved again after DUR. */
static void
progress_add_stall(const struct progress *p, struct buf *b, enum pstall_event ev,
    int64_t dur)
{
	char t[32];

	time_format_duration(dur, t, sizeof t);
	if (ev == PSTALL_END) {
		buf_printf(b, "%s: moving again after %s without progress", p->task_esc, t);
		return;
	}
	buf_printf(b, "%s: stalled: no progress for %s", p->task_esc, t);
	if (p->hint_esc != NULL)
		buf_printf(b, " (likely: %s)", p->hint_esc);
}

/* Unknown (negative) is null, never a number that looks measured. */
static void
progress_out_int(struct out_obj *o, const char *key, int64_t v)
{
	if (v >= 0)
		out_int(o, key, v);
	else
		out_null(o, key);
}

static void
progress_emit_json(const struct progress *p)
{
	static const struct out_col cols[] = {
		{ "name", "NAME", OCOL_STR },
		{ "percent", "PERCENT", OCOL_INT },
		{ "done", "DONE", OCOL_INT },
		{ "total", "TOTAL", OCOL_INT },
	};
	struct out_doc *d = out_doc_new("progress");
	struct out_obj *o = out_doc_root(d), *r;
	struct out_tab *t;
	size_t i;

	/* The output engine's JSON: its one string escaper, and the versioned
	 * {"version":1,"kind":...} shape every -o json line has. */
	out_str(o, "task", p->task);
	out_str(o, "state", progress_state_key(p->state));
	progress_out_int(o, "percent", p->shown);
	out_int(o, "elapsed_ms", progress_elapsed(p));
	progress_out_int(o, "eta_ms", p->eta_ms);
	progress_out_int(o, "rate", p->rate >= 0 ? progress_round(p->rate) : -1);
	out_str(o, "unit", p->unit);
	t = out_table(o, "items", NULL, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < p->nitems; i++) {
		r = out_row(t);
		out_str(r, "name", p->items[i].name);
		progress_out_int(r, "percent", p->items[i].shown);
		progress_out_int(r, "done", p->items[i].done);
		progress_out_int(r, "total", p->items[i].total);
	}
	out_str(o, "message", p->msg);
	out_bool(o, "stalled", p->stalled);
	out_str(o, "stall_hint", p->stalled ? p->hint : NULL);
	out_doc_render(d, p->out, OUT_JSON, false);
	out_doc_free(d);
}

/* A line each for the state (when it changed or the total passed a 10 %
 * step) and for a stall or its end. */
static void
progress_emit_plain(struct progress *p, bool changed, bool last, enum pstall_event ev,
    int64_t dur)
{
	struct buf b = BUF_INIT;
	int step = p->shown >= 0 ? p->shown / 10 : -1;

	/* A stall never begins with a state change (that is movement). */
	if (ev != PSTALL_NONE) {
		progress_add_stall(p, &b, ev, dur);
		buf_addc(&b, '\n');
	}
	if (changed || last || step > p->plain_step) {
		progress_add_line(p, &b, true, changed || last);
		buf_addc(&b, '\n');
		p->plain_step = step;
	}
	if (b.len > 0)
		fwrite(b.data, 1, b.len, p->out);
	buf_release(&b);
}

/* $COLUMNS when set (the user's word), else the terminal's, else 80. */
static size_t
progress_columns(FILE *f)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;
	int fd = fileno(f);

	if (c != NULL && c[0] != '\0') {
		v = strtol(c, &end, 10);
		if (*end == '\0' && v > 0 && v <= 10000)
			return (size_t)v;
	}
	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return PROGRESS_COLS_DEFAULT;
}

/* "  name  [#####-----]  55%" into line (reset first). */
static void
progress_bar_line(struct buf *line, const char *name, size_t name_w, int pct, size_t bar_w)
{
	size_t fill, i;

	buf_reset(line);
	buf_adds(line, "  ");
	progress_add_fit(line, name, name_w, true, true);
	buf_addc(line, ' ');
	if (bar_w > 0) {
		fill = pct > 0 ? (size_t)pct * bar_w / 100 : 0;
		buf_addc(line, '[');
		for (i = 0; i < bar_w; i++)
			buf_addc(line, i < fill ? '#' : '-');
		buf_adds(line, "] ");
	}
	if (pct >= 0)
		buf_printf(line, "%3d%%", pct);
	else
		buf_adds(line, "  ?%");
}

/* Append one screen line cut to the width (a wrapped line would throw the
 * cursor-up count off), clearing what an older, longer line left. */
static void
progress_add_screen_line(struct buf *b, const char *s, size_t usable)
{
	progress_add_fit(b, s, usable, false, false);
	buf_adds(b, "\033[K\n");
}

/* The live block: a bar per item (the first few), then the total with rate,
 * elapsed time and ETA. Returns its number of lines. */
static size_t
progress_add_block(const struct progress *p, struct buf *b, size_t usable)
{
	struct buf line = BUF_INIT, tail = BUF_INIT;
	size_t i, n = p->nitems < PROGRESS_SHOW_ITEMS ? p->nitems : PROGRESS_SHOW_ITEMS;
	size_t name_w = 5, fixed, bar_w, lines = 0;

	for (i = 0; i < n; i++) {
		if (progress_width(p->items[i].esc) > name_w)
			name_w = progress_width(p->items[i].esc);
	}
	if (name_w > usable / 3)
		name_w = usable / 3 > 1 ? usable / 3 : 1;
	progress_add_times(p, &tail, "  ");
	/* One bar width on every line so the bars line up, kept from one redraw
	 * to the next whatever the tail says; on a narrow terminal the tail of
	 * the total line is cut rather than the bars shrunk below use. */
	fixed = 2 + name_w + 2 + 2 + 4;		/* "  " name " [" bar "] " "100%" */
	bar_w = usable > fixed + PROGRESS_TAIL_W ? usable - fixed - PROGRESS_TAIL_W : 0;
	if (bar_w > PROGRESS_BAR_MAX)
		bar_w = PROGRESS_BAR_MAX;
	if (bar_w < PROGRESS_BAR_MIN)
		bar_w = usable > fixed + PROGRESS_BAR_MIN ? PROGRESS_BAR_MIN : 0;
	for (i = 0; i < n; i++, lines++) {
		progress_bar_line(&line, p->items[i].esc, name_w, p->items[i].shown, bar_w);
		progress_add_screen_line(b, line.data, usable);
	}
	if (p->nitems > n) {
		buf_reset(&line);
		buf_printf(&line, "  \xe2\x80\xa6 and %zu more", p->nitems - n);
		progress_add_screen_line(b, line.data, usable);
		lines++;
	}
	progress_bar_line(&line, "total", name_w, p->shown, bar_w);
	buf_printf(&line, "  %s", tail.data);
	progress_add_screen_line(b, line.data, usable);
	buf_release(&line);
	buf_release(&tail);
	return lines + 1;
}

/*
 * Lines that stay (state changes, stalls) go above the live block, which is
 * redrawn in place: up to its top, every line rewritten and cleared to its
 * end, the rest of the screen cleared when the block shrank. The last line
 * goes below the block's final drawing, which then stays.
 */
static void
progress_emit_tty(struct progress *p, bool changed, bool last, enum pstall_event ev,
    int64_t dur)
{
	struct buf b = BUF_INIT, line = BUF_INIT;
	size_t cols = progress_columns(p->out);
	size_t usable = cols > 1 ? cols - 1 : 1;

	if (p->drawn > 0)
		buf_printf(&b, "\r\033[%zuA", p->drawn);
	if (ev != PSTALL_NONE) {
		progress_add_stall(p, &line, ev, dur);
		progress_add_screen_line(&b, line.data, usable);
	}
	if (changed && !last) {
		buf_reset(&line);
		progress_add_line(p, &line, false, true);
		progress_add_screen_line(&b, line.data, usable);
	}
	p->drawn = progress_add_block(p, &b, usable);
	if (last) {
		buf_reset(&line);
		progress_add_line(p, &line, false, true);
		progress_add_screen_line(&b, line.data, usable);
		p->drawn = 0;
	}
	buf_adds(&b, "\033[J");
	fwrite(b.data, 1, b.len, p->out);
	buf_release(&b);
	buf_release(&line);
}

/* Everything but taking the items: percent, estimates, stall, drawing. */
static void
progress_advance(struct progress *p, int64_t now_ms, enum progress_state st,
    int total_percent, bool moved, bool last)
{
	enum pstall_event ev = PSTALL_NONE;
	bool changed = !p->started || st != p->state;
	bool success = st == PROGRESS_SUCCESS;
	int64_t dur = 0;
	size_t i;

	last = last || progress_final(st);
	p->now_ms = now_ms;
	p->state = st;
	p->started = true;
	total_percent = total_percent >= 0 ? progress_clamp_pct(total_percent) :
	    progress_derive_total(p);
	if (total_percent != p->raw_total || changed)
		moved = true;
	p->raw_total = total_percent;
	p->shown = progress_show(p->shown, total_percent, success);
	for (i = 0; i < p->nitems; i++)
		p->items[i].shown = progress_show(p->items[i].shown, p->items[i].raw, success);
	progress_sample(p);
	progress_estimate(p);

	if (last) {
		/* The last line says how it ended; a stall no longer matters. */
		p->stalled = false;
	} else if (moved) {
		if (p->stalled) {
			ev = PSTALL_END;
			dur = now_ms - p->moved_ms;
			p->stalled = false;
		}
		p->moved_ms = now_ms;
	} else if (p->stall_ms > 0 && !p->stalled && now_ms - p->moved_ms >= p->stall_ms) {
		ev = PSTALL_BEGIN;
		dur = now_ms - p->moved_ms;
		p->stalled = true;
	}

	switch (p->mode) {
	case PROGRESS_JSON:
		progress_emit_json(p);
		break;
	case PROGRESS_PLAIN:
		progress_emit_plain(p, changed, last, ev, dur);
		break;
	case PROGRESS_TTY:
		progress_emit_tty(p, changed, last, ev, dur);
		break;
	}
	fflush(p->out);
	if (last)
		p->finished = true;
}

static void
progress_set_msg(struct progress *p, const char *msg)
{
	free(p->msg);
	p->msg = msg != NULL ? xstrndup(msg, PROGRESS_MSG_MAX) : NULL;
}

void
progress_update(struct progress *p, int64_t now_ms, enum progress_state st,
    int total_percent, const struct progress_item *items, size_t n, const char *msg)
{
	bool moved;

	if (p == NULL || p->finished)
		return;
	moved = progress_take_items(p, items, n);
	progress_set_msg(p, msg);
	progress_advance(p, now_ms, st, total_percent, moved, false);
}

bool
progress_stalled(const struct progress *p)
{
	return p != NULL && p->stalled;
}

void
progress_end(struct progress *p, int64_t now_ms, enum progress_state st, const char *msg)
{
	if (p == NULL || p->finished)
		return;
	if (msg != NULL)
		progress_set_msg(p, msg);
	/* The total as last reported: an unknown one is derived again. */
	progress_advance(p, now_ms, st, p->raw_total, false, true);
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	progress_items_free(p->items, p->nitems);
	free(p->task);
	free(p->task_esc);
	free(p->unit);
	free(p->hint);
	free(p->hint_esc);
	free(p->msg);
	free(p);
}
