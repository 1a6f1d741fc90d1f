/* SPDX-License-Identifier: MIT */
/* The drill's phase machine and probe arithmetic: pure functions of the events
 * fed to them, so that tests can drive them with synthetic timelines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/drill.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/xalloc.h"

static const char *const phase_names[DRILL_PHASES] = {
	"precheck", "inject", "detect", "elect", "recover", "report",
};

const char *
drill_phase_name(enum drill_phase p)
{
	if ((int)p < 0 || p >= DRILL_PHASES)
		return "unknown";
	return phase_names[p];
}

const char *
drill_verdict_name(enum drill_verdict v)
{
	switch (v) {
	case DRILL_RUNNING:
		return "running";
	case DRILL_MET:
		return "met";
	case DRILL_MISSED:
		return "missed";
	case DRILL_FAILED:
		return "failed";
	case DRILL_ABORTED:
		return "aborted";
	}
	return "unknown";
}

static int
sample_cmp(const void *a, const void *b)
{
	const struct drill_sample *x = a, *y = b;

	return x->sent_ms < y->sent_ms ? -1 : x->sent_ms > y->sent_ms;
}

void
drill_probe_stats(const struct drill_sample *s, size_t n, int64_t start_ms, int64_t end_ms,
    struct drill_probe_stats *out)
{
	struct drill_sample *v;
	int64_t prev_ok = start_ms, gap;
	size_t i;

	memset(out, 0, sizeof *out);
	out->success_permille = 1000;
	if (n == 0) {
		out->longest_gap_ms = end_ms > start_ms ? end_ms - start_ms : 0;
		return;
	}
	/* Answers arrive out of order; the client saw them in the order it sent. */
	v = xcalloc(n, sizeof *v);
	memcpy(v, s, n * sizeof *v);
	qsort(v, n, sizeof *v, sample_cmp);
	for (i = 0; i < n; i++) {
		/* Probes run before the fault (restart counts delay it): those
		 * measure nothing of it, and drill_count_via leaves them out too. */
		if (v[i].sent_ms < start_ms || v[i].pinned)
			continue;
		out->sent++;
		if (v[i].ok) {
			out->ok++;
			gap = v[i].sent_ms - prev_ok;
			if (gap > out->longest_gap_ms)
				out->longest_gap_ms = gap;
			prev_ok = v[i].sent_ms;
		} else {
			out->failed++;
			if (out->first_fail_ms == 0)
				out->first_fail_ms = v[i].sent_ms;
			out->last_fail_ms = v[i].sent_ms;
		}
	}
	if (end_ms > prev_ok && end_ms - prev_ok > out->longest_gap_ms)
		out->longest_gap_ms = end_ms - prev_ok;
	if (out->ok + out->failed > 0)
		out->success_permille = out->ok * 1000 / (out->ok + out->failed);
	if (out->failed > 0)
		out->window_ms = out->last_fail_ms - out->first_fail_ms;
	free(v);
}

int64_t
drill_probe_outage(const struct drill_sample *s, size_t n, int64_t start_ms, int64_t end_ms)
{
	int64_t first = 0, last = 0, back = 0;
	size_t i, sent = 0;

	for (i = 0; i < n; i++) {
		if (s[i].sent_ms < start_ms || s[i].sent_ms > end_ms)
			continue;
		sent++;
		if (!s[i].ok) {
			if (first == 0 || s[i].sent_ms < first)
				first = s[i].sent_ms;
			if (s[i].sent_ms > last)
				last = s[i].sent_ms;
		}
	}
	if (sent == 0)
		return -1;
	if (first == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i].ok && s[i].sent_ms > last && s[i].sent_ms <= end_ms &&
		    (back == 0 || s[i].sent_ms < back))
			back = s[i].sent_ms;
	}
	return (back != 0 ? back : end_ms) - first;
}

const char *
drill_exit_meaning(const char *last_exit)
{
	/* Milvus 3.0 exits 80 when it loses its etcd session lease (2.x exits 1),
	 * rather than serve as a stale active: the fault worked as designed. */
	if (last_exit != NULL && strcmp(last_exit, "exit 80") == 0)
		return "Milvus fenced itself after losing its etcd lease";
	return NULL;
}

size_t
drill_probe_series(const struct drill_sample *s, size_t n, int64_t start_ms, int64_t end_ms,
    int64_t bucket_ms, int16_t *out, size_t max)
{
	int64_t *ok, *sent, b;
	size_t nb, i;

	if (bucket_ms <= 0 || end_ms <= start_ms || max == 0)
		return 0;
	b = (end_ms - start_ms + bucket_ms - 1) / bucket_ms;
	nb = (size_t)b < max ? (size_t)b : max;
	ok = xcalloc(nb, sizeof *ok);
	sent = xcalloc(nb, sizeof *sent);
	for (i = 0; i < n; i++) {
		if (s[i].sent_ms < start_ms || s[i].sent_ms >= end_ms || s[i].pinned)
			continue;
		b = (s[i].sent_ms - start_ms) / bucket_ms;
		if ((size_t)b >= nb)
			continue;
		sent[b]++;
		ok[b] += s[i].ok;
	}
	for (i = 0; i < nb; i++)
		out[i] = sent[i] == 0 ? -1 : (int16_t)(ok[i] * 1000 / sent[i]);
	free(ok);
	free(sent);
	return nb;
}

void
drill_series_spark(const int16_t *v, size_t n, bool utf8, struct buf *out)
{
	static const char *const bars[] = { "\u2581", "\u2582", "\u2583", "\u2584",
	    "\u2585", "\u2586", "\u2587", "\u2588" };
	/* A second of nothing but failures must show: '.' not ' '. */
	static const char ascii[] = ".,:-=+*#";
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		if (v[i] < 0) {
			buf_adds(out, utf8 ? "\u00b7" : "_");
			continue;
		}
		/* 1000 alone is full height: one failure in a second must show. */
		k = v[i] >= 1000 ? 7 : v[i] * 7 / 1000;
		if (utf8)
			buf_adds(out, bars[k]);
		else
			buf_addc(out, ascii[k]);
	}
}

void
drill_fsm_init(struct drill_fsm *f, int64_t old_server_id, bool worker, int recover_k,
    int64_t rto_target_ms, int64_t phase_timeout_ms, int64_t timeout_ms)
{
	memset(f, 0, sizeof *f);
	f->phase = DRILL_PRECHECK;
	f->verdict = DRILL_RUNNING;
	f->worker = worker;
	f->old_server_id = old_server_id;
	f->recover_k = recover_k > 0 ? recover_k : 3;
	f->rto_target_ms = rto_target_ms;
	f->phase_timeout_ms = phase_timeout_ms;
	f->timeout_ms = timeout_ms;
	f->rto_ms = -1;
	f->stalled = DRILL_REPORT;
}

static bool
fsm_end(struct drill_fsm *f, enum drill_verdict v, int64_t at_ms, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool
fsm_end(struct drill_fsm *f, enum drill_verdict v, int64_t at_ms, const char *fmt, ...)
{
	va_list ap;

	if (v == DRILL_FAILED || v == DRILL_ABORTED)
		f->stalled = f->phase;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(f->reason, sizeof f->reason, fmt, ap);
		va_end(ap);
	}
	if (f->recovered_ms > 0 && f->injected_ms > 0)
		f->rto_ms = f->recovered_ms - f->injected_ms;
	if (v == DRILL_MET && f->rto_target_ms > 0 && f->rto_ms > f->rto_target_ms)
		v = DRILL_MISSED;
	f->verdict = v;
	f->phase = DRILL_REPORT;
	f->ended_ms = at_ms;
	return true;
}

/* Move on as far as the times known allow (signals can arrive before the
 * phase that waits for them: a lease revoke's DELETE can beat its answer). */
static void
fsm_advance(struct drill_fsm *f)
{
	if (f->phase == DRILL_INJECT && f->injected_ms > 0) {
		f->phase = DRILL_DETECT;
		f->phase_ms = f->injected_ms;
	}
	if (f->phase == DRILL_DETECT && f->detected_ms > 0) {
		f->phase = f->worker ? DRILL_RECOVER : DRILL_ELECT;
		f->phase_ms = f->detected_ms;
		/* A worker's work is served again at once (a proxy: the others
		 * answer) unless the drill waits for a signal that it moved. */
		if (f->worker && !f->wait_served)
			f->ready_ms = f->detected_ms;
	}
	if (f->phase == DRILL_ELECT && f->elected_ms > 0) {
		f->phase = DRILL_RECOVER;
		f->phase_ms = f->elected_ms;
	}
}

static bool
fsm_probe(struct drill_fsm *f, const struct drill_sample *s)
{
	if (f->phase != DRILL_RECOVER || f->ready_ms == 0 || s == NULL || s->pinned ||
	    s->sent_ms < f->ready_ms)
		return false;
	if (!s->ok) {
		f->streak = 0;
		if (s->sent_ms > f->fail_after_ready_ms)
			f->fail_after_ready_ms = s->sent_ms;
		return false;
	}
	if (f->streak++ == 0)
		f->streak_first_ms = s->sent_ms;
	if (f->streak < f->recover_k)
		return false;
	/* Service was back once nothing failed any more: from ready when no
	 * probe failed after it, else from the last failure. The wait for the
	 * next probe's turn (probe spacing) is the probes' resolution, not
	 * the cluster's recovery. */
	f->recovered_ms = f->fail_after_ready_ms > f->ready_ms ? f->fail_after_ready_ms :
	    f->ready_ms;
	if (f->recovered_ms > f->streak_first_ms)
		f->recovered_ms = f->streak_first_ms;
	return fsm_end(f, DRILL_MET, s->done_ms, NULL);
}

static bool
fsm_tick(struct drill_fsm *f, int64_t now)
{
	char d[32];

	if (f->phase == DRILL_PRECHECK || f->phase == DRILL_REPORT)
		return false;
	if (f->phase_timeout_ms > 0 && now - f->phase_ms >= f->phase_timeout_ms) {
		snprintf(d, sizeof d, "%lld ms", (long long)f->phase_timeout_ms);
		return fsm_end(f, DRILL_FAILED, now, "timed out in phase '%s' (phase timeout %s)",
		    drill_phase_name(f->phase), d);
	}
	if (f->timeout_ms > 0 && now - f->started_ms >= f->timeout_ms) {
		snprintf(d, sizeof d, "%lld ms", (long long)f->timeout_ms);
		return fsm_end(f, DRILL_FAILED, now, "timed out in phase '%s' (drill timeout %s)",
		    drill_phase_name(f->phase), d);
	}
	return false;
}

bool
drill_fsm_event(struct drill_fsm *f, enum drill_ev ev, int64_t at, int64_t server_id,
    const struct drill_sample *sample, const char *reason)
{
	if (f->phase == DRILL_REPORT)
		return true;
	switch (ev) {
	case DRILL_EV_START:
		if (f->phase != DRILL_PRECHECK)
			return false;
		f->started_ms = at;
		f->phase = DRILL_INJECT;
		f->phase_ms = at;
		return false;
	case DRILL_EV_INJECTED:
		if (f->phase == DRILL_PRECHECK || f->injected_ms > 0)
			return false;
		/* When the watch saw the effect before the backend's answer came,
		 * the fault took effect between asking and that signal. */
		f->injected_ms = at;
		if (f->detected_ms > 0 && f->detected_ms < at)
			f->injected_ms = f->started_ms;
		fsm_advance(f);
		return false;
	case DRILL_EV_INJECT_FAILED:
		return fsm_end(f, DRILL_FAILED, at, "inject failed: %s",
		    reason != NULL ? reason : "unknown error");
	case DRILL_EV_ACTIVE_GONE:
		if (f->phase == DRILL_PRECHECK || f->detected_ms > 0)
			return false;
		f->detected_ms = at;
		fsm_advance(f);
		return false;
	case DRILL_EV_ACTIVE_PUT:
		if (f->phase == DRILL_PRECHECK || f->worker || f->elected_ms > 0 ||
		    server_id == 0 || server_id == f->old_server_id)
			return false;
		/* Taken over without a DELETE first: detection and election at once. */
		if (f->detected_ms == 0)
			f->detected_ms = at;
		f->elected_ms = at;
		f->new_server_id = server_id;
		fsm_advance(f);
		return false;
	case DRILL_EV_READY:
		if (f->phase == DRILL_RECOVER && f->ready_ms == 0) {
			f->ready_ms = at;
			f->streak = 0;
			f->fail_after_ready_ms = 0;
		}
		return false;
	case DRILL_EV_SERVED:
		if (f->phase == DRILL_RECOVER && f->worker && f->ready_ms == 0) {
			f->ready_ms = at;
			f->streak = 0;
			f->fail_after_ready_ms = 0;
		}
		return false;
	case DRILL_EV_PROBE:
		return fsm_probe(f, sample);
	case DRILL_EV_TICK:
		return fsm_tick(f, at);
	case DRILL_EV_ABORT:
		return fsm_end(f, DRILL_ABORTED, at, "%s",
		    reason != NULL ? reason : "interrupted");
	}
	return false;
}

static bool
ids_have(const int64_t *v, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == id)
			return true;
	}
	return false;
}

bool
drill_replicas_served(const struct milvus_replica *r, size_t n, int64_t dead_id)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (r[i].n_rw_nodes == 0 || ids_have(r[i].rw_nodes, r[i].n_rw_nodes, dead_id) ||
		    ids_have(r[i].ro_nodes, r[i].n_ro_nodes, dead_id))
			return false;
		for (j = 0; j < r[i].n_shards; j++) {
			if (r[i].shards[j].leader_id == dead_id ||
			    ids_have(r[i].shards[j].nodes, r[i].shards[j].n_nodes, dead_id))
				return false;
		}
	}
	return true;
}

int64_t
drill_fsm_next_timeout(const struct drill_fsm *f, int64_t now)
{
	int64_t next = -1, t;

	if (f->phase == DRILL_PRECHECK || f->phase == DRILL_REPORT)
		return -1;
	if (f->phase_timeout_ms > 0)
		next = f->phase_ms + f->phase_timeout_ms - now;
	if (f->timeout_ms > 0) {
		t = f->started_ms + f->timeout_ms - now;
		if (next == -1 || t < next)
			next = t;
	}
	return next < 0 && next != -1 ? 0 : next;
}

int64_t
drill_fsm_phase_ms(const struct drill_fsm *f, enum drill_phase p)
{
	int64_t a = 0, b = 0;

	switch (p) {
	case DRILL_INJECT:
		a = f->started_ms, b = f->injected_ms;
		break;
	case DRILL_DETECT:
		a = f->injected_ms, b = f->detected_ms;
		break;
	case DRILL_ELECT:
		if (f->worker)
			return 0;
		a = f->detected_ms, b = f->elected_ms;
		break;
	case DRILL_RECOVER:
		a = f->worker ? f->detected_ms : f->elected_ms, b = f->recovered_ms;
		break;
	default:
		return -1;
	}
	if (a == 0 || b == 0)
		return -1;
	return b > a ? b - a : 0;
}
