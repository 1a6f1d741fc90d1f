/* SPDX-License-Identifier: MIT */
/* `drill run`'s live display in one-command mode: the phase lines the TUI
 * Drills view draws (phase, elapsed since the fault, probes ok/failed), with
 * the progress module's conventions: one line redrawn in place on a terminal,
 * one plain line per phase change in a pipe, nothing with -o json. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/drill.h"
#include "milvusadm/loop.h"
#include "milvusadm/output.h"
#include "milvusadm/progress.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-drill.h"

/* Often enough that elapsed time visibly moves; the line is cheap. */
#define DRILL_LIVE_EVERY_MS	250

struct drill_live {
	struct loop *loop;
	FILE *f;
	enum progress_mode mode;
	struct drill *d;
	uint64_t timer;
	enum drill_phase said;		/* the last phase given its own line */
	bool drawn;			/* TTY: a live line is on screen, no newline yet */
};

/* When phase p began, 0 not reached (the TUI's phase bounds). */
static int64_t
live_phase_start(const struct drill_fsm *f, enum drill_phase p)
{
	switch (p) {
	case DRILL_INJECT:
		return f->started_ms;
	case DRILL_DETECT:
		return f->injected_ms;
	case DRILL_ELECT:
		return f->detected_ms;
	case DRILL_RECOVER:
		return f->worker ? f->detected_ms : f->elected_ms;
	case DRILL_REPORT:
		return f->ended_ms;
	default:
		return 0;
	}
}

/* "drill rootcoord: detect   +1.2s    probes ok 34, failed 2": at, the time
 * since the injection as the RTO counts it (since the start while the fault
 * is being injected). The end names the verdict, as the Drills view does. */
static void
live_line(const struct drill_live *lv, enum drill_phase ph, int64_t at, struct buf *b)
{
	const struct drill_report *r = drill_report(lv->d);
	const struct drill_fsm *f = &r->fsm;
	struct drill_probe_stats ps;
	const struct drill_sample *s;
	int64_t from = f->injected_ms > 0 ? f->injected_ms : f->started_ms;
	char el[32];
	size_t n;
	char *tgt = out_escape(r->target);

	s = drill_samples(lv->d, &n);
	drill_probe_stats(s, n, f->started_ms, time_wall_ms(), &ps);
	time_format_duration(from > 0 && at > from ? at - from : 0, el, sizeof el);
	buf_printf(b, "drill %s: %-8s %s%-8s probes ok %" PRId64 ", failed %" PRId64, tgt,
	    ph == DRILL_REPORT ? drill_verdict_name(f->verdict) : drill_phase_name(ph),
	    f->injected_ms > 0 ? "+" : " ", el, ps.ok, ps.failed);
	free(tgt);
}

static void
live_draw(struct drill_live *lv)
{
	const struct drill_fsm *f = &drill_report(lv->d)->fsm;
	int64_t now = time_wall_ms(), at;
	struct buf b = BUF_INIT;
	enum drill_phase ph;

	/* Phases passed within one event (a takeover without a DELETE ends
	 * detect and elect at once) still get their line, in order. */
	for (ph = lv->said + 1; ph < f->phase; ph++) {
		if ((f->worker && ph == DRILL_ELECT) || (at = live_phase_start(f, ph)) == 0)
			continue;
		buf_reset(&b);
		live_line(lv, ph, at, &b);
		if (lv->mode == PROGRESS_TTY)
			fprintf(lv->f, "\r\033[K%s\n", b.data);
		else
			fprintf(lv->f, "%s\n", b.data);
		lv->drawn = false;
	}
	if (lv->mode == PROGRESS_PLAIN && f->phase == lv->said) {
		buf_release(&b);
		fflush(lv->f);
		return;
	}
	buf_reset(&b);
	live_line(lv, f->phase, f->phase == DRILL_REPORT ? f->ended_ms : now, &b);
	if (lv->mode == PROGRESS_TTY) {
		/* The phase that just ended keeps its last line on screen, as
		 * the progress module keeps state changes. */
		if (f->phase != lv->said && lv->drawn)
			fputc('\n', lv->f);
		fprintf(lv->f, "\r\033[K%s", b.data);
		lv->drawn = true;
	} else
		fprintf(lv->f, "%s\n", b.data);
	fflush(lv->f);
	lv->said = f->phase;
	buf_release(&b);
}

static void
live_tick(void *arg)
{
	struct drill_live *lv = arg;

	lv->timer = 0;
	if (drill_report(lv->d)->fsm.phase == DRILL_REPORT)
		return;
	live_draw(lv);
	lv->timer = loop_timer_add(lv->loop, DRILL_LIVE_EVERY_MS, live_tick, lv);
}

/* A phase change is said when it happens, not at the next tick: a lease
 * revoke's detect can last less than one. */
static void
live_seen(struct drill *d, enum drill_seen what, void *arg)
{
	struct drill_live *lv = arg;

	if (d != lv->d || what != DRILL_SEEN_CHANGED)
		return;
	if (drill_report(d)->fsm.phase != lv->said && drill_report(d)->fsm.phase != DRILL_REPORT)
		live_draw(lv);
}

struct drill_live *
drill_live_new(struct loop *l, FILE *f, bool json, struct drill *d)
{
	struct drill_live *lv;

	if (json)
		return NULL;
	lv = xcalloc(1, sizeof *lv);
	lv->loop = l;
	lv->f = f;
	lv->mode = progress_mode_for(f, false);
	lv->d = d;
	lv->said = DRILL_PRECHECK;
	lv->timer = loop_timer_add(l, 0, live_tick, lv);
	/* The TUI is the only other watcher, and it never runs this. */
	drill_watch_set(live_seen, lv);
	return lv;
}

void
drill_live_end(struct drill_live *lv)
{
	if (lv == NULL)
		return;
	drill_watch_set(NULL, NULL);
	if (lv->timer != 0)
		loop_timer_cancel(lv->loop, lv->timer);
	lv->timer = 0;
	/* The last phase's line, then the end, so a pipe sees every phase. */
	live_draw(lv);
	if (lv->mode == PROGRESS_TTY && lv->drawn)
		fputc('\n', lv->f);
	fflush(lv->f);
	free(lv);
}
