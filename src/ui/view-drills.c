/* SPDX-License-Identifier: MIT */
/* The Drills view: the drill running in this TUI (or the last one saved) as
 * a phase timeline, a probe success sparkline and its verdict, then the
 * recent drills with their RTOs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/drill.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "view.h"

#define DRILLS_RECENT		10
#define DRILLS_SPARK_MIN	10	/* columns: below this no sparkline */
#define DRILLS_SERIES_MAX	3600

struct drills_data {
	int width;
};

/* The bounds of phase p: [*a, *b], 0 when not reached. */
static void
phase_bounds(const struct drill_fsm *f, enum drill_phase p, int64_t *a, int64_t *b)
{
	*a = *b = 0;
	switch (p) {
	case DRILL_INJECT:
		*a = f->started_ms, *b = f->injected_ms;
		break;
	case DRILL_DETECT:
		*a = f->injected_ms, *b = f->detected_ms;
		break;
	case DRILL_ELECT:
		*a = f->detected_ms, *b = f->elected_ms;
		break;
	case DRILL_RECOVER:
		*a = f->worker ? f->detected_ms : f->elected_ms, *b = f->recovered_ms;
		break;
	default:
		break;
	}
}

static enum theme_role
verdict_role(enum drill_verdict v)
{
	switch (v) {
	case DRILL_MET:
		return THEME_OK;
	case DRILL_RUNNING:
		return THEME_ACCENT;
	case DRILL_ABORTED:
		return THEME_WARN;
	default:
		return THEME_CRITICAL;
	}
}

/* One line per phase: when it began (from the injection), how long it took
 * (or has been running), and its state. */
static void
drills_phases(struct vlines *l, const struct drill_fsm *f, int64_t now)
{
	static const enum drill_phase ph[] = { DRILL_INJECT, DRILL_DETECT, DRILL_ELECT,
	    DRILL_RECOVER };
	const char *state;
	enum theme_role role;
	char at[40], dur[32];
	int64_t a, b;
	size_t i;

	vline_text(l, true, THEME_TITLE, "  %-9s %-10s %-10s %s", "PHASE", "AT", "TOOK",
	    "STATE");
	for (i = 0; i < sizeof ph / sizeof ph[0]; i++) {
		phase_bounds(f, ph[i], &a, &b);
		vline_begin(l, false);
		vline_add(l, THEME_ACCENT, "  %-9s ", drill_phase_name(ph[i]));
		if (f->worker && ph[i] == DRILL_ELECT) {
			vline_add(l, THEME_MUTED, "%-10s %-10s %s", "-", "-",
			    "not applicable (no election)");
			continue;
		}
		/* From the injection, as the RTO counts: inject itself began
		 * a little before it. */
		if (a > 0 && f->injected_ms > 0) {
			time_format_duration(a >= f->injected_ms ? a - f->injected_ms :
			    f->injected_ms - a, dur, sizeof dur);
			snprintf(at, sizeof at, "%s%s", a >= f->injected_ms ? "+" : "-", dur);
		} else
			snprintf(at, sizeof at, "%s", a > 0 ? "0ms" : "-");
		if (b > 0 && a > 0)
			time_format_duration(b - a, dur, sizeof dur);
		else if (a > 0 && f->verdict == DRILL_RUNNING)
			time_format_duration(now - a, dur, sizeof dur);
		else
			snprintf(dur, sizeof dur, "-");
		if (b > 0)
			state = "done", role = THEME_OK;
		else if (f->verdict == DRILL_RUNNING && a > 0)
			state = "running", role = THEME_ACCENT;
		else if (f->verdict != DRILL_RUNNING && f->stalled == ph[i])
			state = f->verdict == DRILL_ABORTED ? "aborted here" : "stalled here",
			    role = THEME_CRITICAL;
		else
			state = "-", role = THEME_MUTED;
		vline_add(l, THEME_TEXT, "%-10s %-10s ", at, dur);
		vline_add(l, role, "%s", state);
	}
}

/* The probes: counts, window, gap, and success per second as a sparkline
 * (the newest seconds when they do not all fit). */
static void
drills_probes(struct vlines *l, const struct drill_report *r, const struct view_env *env,
    int width)
{
	struct drill_probe_stats st;
	const struct drill_probe_stats *ps = &r->probes;
	const int16_t *series = r->series;
	int16_t *live = NULL;
	size_t n = r->n_series, cols;
	struct buf b = BUF_INIT;
	char win[32], gap[32];
	int64_t from;

	cols = width > DRILLS_SPARK_MIN + 12 ? (size_t)width - 12 : DRILLS_SPARK_MIN;
	if (r->fsm.verdict == DRILL_RUNNING && r->fsm.started_ms > 0) {
		drill_probe_stats(env->samples, env->n_samples, r->fsm.started_ms, env->now_ms,
		    &st);
		ps = &st;
		/* The newest seconds that fit, on the drill's own second grid. */
		from = r->fsm.started_ms;
		if (env->now_ms - from > (int64_t)cols * 1000)
			from += ((env->now_ms - from) / 1000 - (int64_t)cols) * 1000;
		live = xcalloc(DRILLS_SERIES_MAX, sizeof *live);
		n = drill_probe_series(env->samples, env->n_samples, from, env->now_ms, 1000,
		    live, DRILLS_SERIES_MAX);
		series = live;
	}
	vline_begin(l, false);
	vline_add(l, THEME_TITLE, "probes   ");
	vline_add(l, THEME_TEXT, "%" PRId64 "/s %s", r->probe_rate,
	    r->probe_calls != NULL ? r->probe_calls : "none");
	vline_begin(l, false);
	time_format_duration(ps->window_ms, win, sizeof win);
	time_format_duration(ps->longest_gap_ms, gap, sizeof gap);
	vline_add(l, THEME_TEXT, "         sent %" PRId64 ", ok %" PRId64 ", ", ps->sent, ps->ok);
	vline_add(l, ps->failed > 0 ? THEME_WARN : THEME_TEXT, "failed %" PRId64, ps->failed);
	vline_add(l, THEME_TEXT, " (%" PRId64 ".%" PRId64 "%%)  window %s  longest gap %s",
	    ps->success_permille / 10, ps->success_permille % 10, ps->failed > 0 ? win : "none",
	    gap);
	if (n > 0) {
		if (n > cols) {
			series += n - cols;
			n = cols;
		}
		drill_series_spark(series, n, env->utf8, &b);
		vline_begin(l, false);
		vline_add(l, THEME_MUTED, "%-9s", r->series_bucket_ms > 1000 ? "success" :
		    "per sec");
		vline_addn(l, ps->failed > 0 ? THEME_WARN : THEME_OK, b.data, b.len);
	}
	buf_release(&b);
	free(live);
}

static void
drills_current(struct vlines *l, const struct drill_report *r, const struct view_env *env,
    int width)
{
	const struct drill_fsm *f = &r->fsm;
	char rto[32], tgt[32], when[16];

	vline_begin(l, true);
	vline_add(l, THEME_TITLE, "%s ", f->verdict == DRILL_RUNNING ? "DRILL RUNNING" :
	    "LAST DRILL");
	vline_add(l, THEME_TEXT, "%s", r->id);
	vline_begin(l, false);
	vline_tag(l, r->target);
	vline_add(l, THEME_MUTED, "target   ");
	vline_add(l, THEME_ACCENT, "%s", r->target);
	vline_add(l, THEME_TEXT, " (%s", r->kind != NULL ? r->kind : "?");
	if (r->server_id > 0)
		vline_add(l, THEME_TEXT, " %" PRId64, r->server_id);
	vline_add(l, THEME_TEXT, " at %s)", r->address != NULL ? r->address : "?");
	if (r->new_server_id > 1 || (r->new_address != NULL && r->new_server_id == 0))
		vline_add(l, THEME_ACTIVE, "  -> %" PRId64 " at %s", r->new_server_id,
		    r->new_address != NULL ? r->new_address : "?");
	vline_begin(l, false);
	vline_add(l, THEME_MUTED, "backend  ");
	vline_add(l, THEME_TEXT, "%s (%s)", r->backend != NULL ? r->backend : "?",
	    r->signal != NULL ? r->signal : "?");
	if (r->session_ttl_s > 0)
		vline_add(l, THEME_MUTED, "  session TTL %" PRId64 "s", r->session_ttl_s);
	if (r->restarts_before >= 0 && r->restarts_after >= 0)
		vline_add(l, THEME_MUTED, "  restarts %" PRId64 " -> %" PRId64, r->restarts_before,
		    r->restarts_after);
	vline_begin(l, false);
	vline_add(l, THEME_MUTED, "verdict  ");
	time_format_duration(f->rto_target_ms, tgt, sizeof tgt);
	if (f->verdict == DRILL_RUNNING) {
		vline_add(l, THEME_ACCENT, "RUNNING");
		vline_add(l, THEME_TEXT, "  in %s, RTO target %s  (Ctrl-C stops probing)",
		    drill_phase_name(f->phase), tgt);
	} else {
		vline_add(l, verdict_role(f->verdict), "%s", f->verdict == DRILL_MET ? "MET" :
		    f->verdict == DRILL_MISSED ? "MISSED" : f->verdict == DRILL_FAILED ? "FAILED" :
		    "ABORTED");
		if (f->rto_ms >= 0) {
			time_format_duration(f->rto_ms, rto, sizeof rto);
			vline_add(l, THEME_TEXT, "  RTO %s %s target %s", rto,
			    f->rto_ms <= f->rto_target_ms ? "<=" : ">", tgt);
		}
		view_clock(f->ended_ms, when, sizeof when);
		vline_add(l, THEME_MUTED, "  ended %s", when);
	}
	if (f->reason[0] != '\0')
		vline_text(l, false, THEME_CRITICAL, "         %s (in %s)", f->reason,
		    drill_phase_name(f->stalled));
	drills_phases(l, f, env->now_ms);
	drills_probes(l, r, env, width);
	if (f->verdict != DRILL_RUNNING && r->advice != NULL)
		vline_text(l, false, THEME_TEXT, "advice   %s", r->advice);
}

/* The Drills view is about the cluster on screen: another profile's drills
 * (a staging cluster's RTOs) would pass for this one's. */
static bool
drills_mine(const struct drill_report *r, const struct view_env *env)
{
	if (env->profile == NULL || r->profile == NULL)
		return env->profile == r->profile;
	return strcmp(env->profile, r->profile) == 0;
}

static const struct drill_report *
drills_last_mine(const struct view_env *env)
{
	size_t i;

	for (i = env->n_history; i > 0; i--) {
		if (drills_mine(env->history[i - 1], env))
			return env->history[i - 1];
	}
	return NULL;
}

static void
drills_history(struct vlines *l, const struct view_env *env)
{
	const struct drill_report *r;
	char rto[32], when[16];
	size_t i, shown = 0;

	vline_text(l, true, THEME_TEXT, "%s", "");
	vline_text(l, true, THEME_TITLE, "recent drills of profile '%s' (drill history; "
	    "drill show ID)", env->profile != NULL ? env->profile : "default");
	vline_text(l, true, THEME_TITLE, "%-10s %-20s %-10s %-9s %s", "TIME", "TARGET",
	    "BACKEND", "RTO", "VERDICT");
	for (i = env->n_history; i > 0 && shown < DRILLS_RECENT; i--) {
		r = env->history[i - 1];
		if (!drills_mine(r, env))
			continue;
		shown++;
		view_clock(r->created_ms, when, sizeof when);
		if (r->fsm.rto_ms >= 0)
			time_format_duration(r->fsm.rto_ms, rto, sizeof rto);
		else
			snprintf(rto, sizeof rto, "-");
		vline_begin(l, false);
		vline_tag(l, r->target);
		vline_add(l, THEME_MUTED, "%-10s ", when);
		vline_add(l, THEME_ACCENT, "%-20s ", r->target);
		vline_add(l, THEME_TEXT, "%-10s %-9s ", r->backend != NULL ? r->backend : "?",
		    rto);
		vline_add(l, verdict_role(r->fsm.verdict), "%s",
		    drill_verdict_name(r->fsm.verdict));
	}
	if (shown == 0)
		vline_text(l, false, THEME_MUTED, "none saved yet");
}

static void
drills_update(struct view *v, const struct view_env *env)
{
	struct drills_data *dd = v->data;
	const struct drill_report *cur = env->drill;

	vlines_clear(&v->lines);
	if (cur == NULL)
		cur = drills_last_mine(env);
	if (cur == NULL) {
		vline_text(&v->lines, true, THEME_MUTED, "no drill has been run from here");
		vline_text(&v->lines, true, THEME_TEXT, "start one: select a role in Leaders "
		    "(2) and press D, or type :drill run TARGET");
	} else
		drills_current(&v->lines, cur, env, dd != NULL ? dd->width : 80);
	drills_history(&v->lines, env);
}

static void
drills_init(struct view *v)
{
	struct drills_data *dd = xcalloc(1, sizeof *dd);

	dd->width = 80;
	v->data = dd;
}

static void
drills_resize(struct view *v, int w, int h)
{
	struct drills_data *dd = v->data;

	(void)h;
	dd->width = w;
}

static void
drills_free(struct view *v)
{
	vlines_clear(&v->lines);
	free(v->data);
	v->data = NULL;
}

const struct view_ops view_drills_ops = {
	"drills", "Drills", drills_init, drills_free, drills_resize, drills_update, NULL, NULL,
};
