/* SPDX-License-Identifier: MIT */
/* The drill report as an output document: what `drill run -o json` prints and
 * what is saved as <id>.json (doc/drill-report.schema.json describes it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/drill.h"
#include "milvusadm/output.h"
#include "milvusadm/xalloc.h"
#include "cmd-drill.h"

static const struct out_col phase_cols[] = {
	{ "phase", "PHASE", OCOL_STR },
	{ "start_ms", "START", OCOL_TIME_MS },
	{ "end_ms", "END", OCOL_TIME_MS },
	{ "ms", "DURATION", OCOL_DURATION_MS },
};

static const struct out_col via_cols[] = {
	{ "uri", "PROXY", OCOL_STR },
	{ "ok", "OK", OCOL_INT },
	{ "failed", "FAILED", OCOL_INT },
};

/* Times and durations: null when not reached. */
static void
int_or_null(struct out_obj *o, const char *key, int64_t v, int64_t unknown)
{
	if (v == unknown)
		out_null(o, key);
	else
		out_int(o, key, v);
}

static void
phase_row(struct out_tab *t, const struct drill_fsm *f, enum drill_phase p, int64_t a,
    int64_t b)
{
	struct out_obj *row = out_row(t);

	out_str(row, "phase", drill_phase_name(p));
	int_or_null(row, "start_ms", a, 0);
	int_or_null(row, "end_ms", b, 0);
	int_or_null(row, "ms", drill_fsm_phase_ms(f, p), -1);
}

struct out_doc *
drill_report_doc(const struct drill_report *r)
{
	const struct drill_fsm *f = &r->fsm;
	struct out_doc *d = out_doc_new("drill-report");
	struct out_obj *root = out_doc_root(d), *o, *row;
	struct out_tab *t;
	int64_t *series;
	size_t i;

	out_str(root, "id", r->id);
	out_int(root, "created_ms", r->created_ms);
	out_str(root, "profile", r->profile);
	out_str(root, "verdict", drill_verdict_name(f->verdict));
	int_or_null(root, "rto_ms", f->rto_ms, -1);
	out_int(root, "rto_target_ms", f->rto_target_ms);
	if (f->verdict == DRILL_FAILED || f->verdict == DRILL_ABORTED) {
		out_str(root, "stalled_phase", drill_phase_name(f->stalled));
		out_str(root, "reason", f->reason);
	} else {
		out_null(root, "stalled_phase");
		out_null(root, "reason");
	}
	o = out_obj(root, "target");
	out_str(o, "name", r->target);
	out_str(o, "kind", r->kind);
	out_str(o, "role", r->role);
	out_int(o, "server_id", r->server_id);
	out_str(o, "address", r->address);
	out_str(o, "host_name", r->host_name);
	o = out_obj(root, "new_active");
	int_or_null(o, "server_id", r->new_server_id, 0);
	out_str(o, "address", r->new_address);
	o = out_obj(root, "backend");
	out_str(o, "name", r->backend);
	out_str(o, "signal", r->signal);
	out_str(o, "detail", r->inject_detail);
	out_str(root, "milvus_version", r->milvus_version);
	int_or_null(root, "session_ttl_s", r->session_ttl_s, -1);
	/* Workers have no active/standby: the elect phase does not apply. */
	out_bool(root, "election_applicable", !f->worker);
	o = out_obj(root, "times");
	int_or_null(o, "started_ms", f->started_ms, 0);
	int_or_null(o, "injected_ms", f->injected_ms, 0);
	int_or_null(o, "detected_ms", f->detected_ms, 0);
	int_or_null(o, "elected_ms", f->elected_ms, 0);
	int_or_null(o, "ready_ms", f->ready_ms, 0);
	int_or_null(o, "recovered_ms", f->recovered_ms, 0);
	int_or_null(o, "ended_ms", f->ended_ms, 0);
	t = out_table(root, "phases", "phases", phase_cols,
	    sizeof phase_cols / sizeof phase_cols[0]);
	phase_row(t, f, DRILL_INJECT, f->started_ms, f->injected_ms);
	phase_row(t, f, DRILL_DETECT, f->injected_ms, f->detected_ms);
	phase_row(t, f, DRILL_ELECT, f->worker ? 0 : f->detected_ms, f->worker ? 0 : f->elected_ms);
	phase_row(t, f, DRILL_RECOVER, f->worker ? f->detected_ms : f->elected_ms,
	    f->recovered_ms);
	o = out_obj(root, "probes");
	out_int(o, "rate_per_s", r->probe_rate);
	out_str(o, "calls", r->probe_calls);
	out_str(o, "collection", r->probe_collection);
	out_int(o, "sent", r->probes.sent);
	out_int(o, "ok", r->probes.ok);
	out_int(o, "failed", r->probes.failed);
	out_int(o, "success_permille", r->probes.success_permille);
	int_or_null(o, "first_fail_ms", r->probes.first_fail_ms, 0);
	int_or_null(o, "last_fail_ms", r->probes.last_fail_ms, 0);
	out_int(o, "window_ms", r->probes.window_ms);
	out_int(o, "longest_gap_ms", r->probes.longest_gap_ms);
	out_str(o, "recovered_via", r->recovered_via);
	int_or_null(o, "inserted", r->inserted, -1);
	int_or_null(o, "insert_unanswered", r->insert_unanswered, -1);
	out_str(o, "insert_collection", r->insert_collection);
	out_int(o, "series_bucket_ms", r->series_bucket_ms);
	series = xcalloc(r->n_series + 1, sizeof *series);
	for (i = 0; i < r->n_series; i++)
		series[i] = r->series[i];
	out_intv(o, "series_permille", series, r->n_series);
	free(series);
	t = out_table(o, "by_proxy", "probes by proxy", via_cols,
	    sizeof via_cols / sizeof via_cols[0]);
	for (i = 0; i < r->n_via; i++) {
		row = out_row(t);
		out_str(row, "uri", r->via[i].uri);
		out_int(row, "ok", r->via[i].ok);
		out_int(row, "failed", r->via[i].failed);
	}
	o = out_obj(root, "restarts");
	int_or_null(o, "before", r->restarts_before, -1);
	int_or_null(o, "after", r->restarts_after, -1);
	out_str(o, "what", r->restarts_what);
	o = out_obj(root, "outage");
	int_or_null(o, "client_visible_ms", r->outage_ms, -1);
	int_or_null(o, "converged_ms", r->converged_ms, -1);
	out_str(o, "own_address", r->own_uri);
	if (r->own_uri != NULL) {
		out_int(o, "own_address_ok", r->own_ok);
		out_int(o, "own_address_failed", r->own_failed);
	} else {
		out_null(o, "own_address_ok");
		out_null(o, "own_address_failed");
	}
	o = out_obj(root, "aftermath");
	out_str(o, "last_exit", r->last_exit);
	out_bool(o, "self_fenced", drill_exit_meaning(r->last_exit) != NULL);
	out_str(o, "meaning", drill_exit_meaning(r->last_exit));
	out_str(o, "operator_action", r->aftermath);
	o = out_obj(root, "estimate");
	int_or_null(o, "detection_ms", r->est_ms[0], -1);
	int_or_null(o, "election_ms", r->est_ms[1], -1);
	int_or_null(o, "recovery_ms", r->est_ms[2], -1);
	int_or_null(o, "total_ms", r->est_total_ms, -1);
	out_str(o, "dominant_phase", r->dominant);
	out_str(o, "advice", r->advice);
	out_strv(root, "notes", (const char *const *)r->notes, r->n_notes);
	if (r->etcd_member != NULL) {
		o = out_obj(root, "etcd");
		out_str(o, "member", r->etcd_member);
		out_bool(o, "was_leader", r->etcd_was_leader);
		out_str(o, "leader_before", r->etcd_old_leader);
		out_str(o, "leader_after", r->etcd_new_leader);
		int_or_null(o, "term_before", r->etcd_term_before, -1);
		int_or_null(o, "term_after", r->etcd_term_after, -1);
		int_or_null(o, "sessions_before", r->sessions_before, -1);
		int_or_null(o, "sessions_lost", r->sessions_lost, -1);
	}
	return d;
}

/* NULL fields (reports saved before they existed) compare equal to each
 * other only. */
static bool
str_same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

bool
drill_trend_same(const struct drill_report *a, const struct drill_report *b)
{
	return str_same(a->target, b->target) && str_same(a->backend, b->backend);
}
