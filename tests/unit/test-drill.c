/* SPDX-License-Identifier: MIT */
/* Unit tests for the drill phase machine (synthetic timelines: order of
 * signals, timeouts and the stalled phase), the probe arithmetic, the
 * comparison with the estimate, and the report document validated against
 * doc/drill-report.schema.json with a small validator of the subset it uses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/drill.h"
#include "milvusadm/fault.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/output.h"
#include "milvusadm/xalloc.h"
#include "../../src/cmd/cmd-drill.h"
#include "../../src/ops/drill-int.h"
#include "schema-check.h"

#define T0 1700000000000LL

static struct drill_sample
sample(int64_t sent, int64_t done, bool ok)
{
	struct drill_sample s = { sent, done, ok, NULL };

	return s;
}

static bool
ev(struct drill_fsm *f, enum drill_ev e, int64_t at, int64_t id)
{
	return drill_fsm_event(f, e, at, id, NULL, NULL);
}

static bool
probe(struct drill_fsm *f, int64_t sent, bool ok)
{
	struct drill_sample s = sample(sent, sent + 5, ok);

	return drill_fsm_event(f, DRILL_EV_PROBE, sent + 5, 0, &s, NULL);
}

START_TEST(fsm_happy_path)
{
	struct drill_fsm f;

	drill_fsm_init(&f, 7, false, 3, 30000, 0, 60000);
	ck_assert_int_eq(f.phase, DRILL_PRECHECK);
	ck_assert(!ev(&f, DRILL_EV_START, T0, 0));
	ck_assert_int_eq(f.phase, DRILL_INJECT);
	ck_assert(!ev(&f, DRILL_EV_INJECTED, T0 + 10, 0));
	ck_assert_int_eq(f.phase, DRILL_DETECT);
	/* A PUT by the old owner is no election. */
	ck_assert(!ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 50, 7));
	ck_assert_int_eq(f.phase, DRILL_DETECT);
	ck_assert(!ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 4000, 0));
	ck_assert_int_eq(f.phase, DRILL_ELECT);
	ck_assert(!ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 4100, 9));
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
	ck_assert_int_eq(f.new_server_id, 9);
	/* Probes before ready do not count. */
	ck_assert(!probe(&f, T0 + 4150, true));
	ck_assert(!ev(&f, DRILL_EV_READY, T0 + 4200, 0));
	ck_assert(!probe(&f, T0 + 4300, true));
	ck_assert(!probe(&f, T0 + 4500, false));	/* breaks the streak */
	ck_assert(!probe(&f, T0 + 4700, true));
	ck_assert(!probe(&f, T0 + 4900, true));
	ck_assert(probe(&f, T0 + 5100, true));
	ck_assert_int_eq(f.phase, DRILL_REPORT);
	ck_assert_int_eq(f.verdict, DRILL_MET);
	/* Back after the last failure, not when the next probe's turn came:
	 * probe spacing is not recovery time. */
	ck_assert_int_eq(f.recovered_ms, T0 + 4500);
	ck_assert_int_eq(f.rto_ms, 4490);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_DETECT), 3990);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_ELECT), 100);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_RECOVER), 400);
	/* Nothing moves after the end. */
	ck_assert(ev(&f, DRILL_EV_ABORT, T0 + 9000, 0));
	ck_assert_int_eq(f.verdict, DRILL_MET);
}
END_TEST

START_TEST(fsm_signal_before_answer)
{
	struct drill_fsm f;

	/* A lease revoke: the watch sees the DELETE before the revoke's answer. */
	drill_fsm_init(&f, 7, false, 1, 30000, 0, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 3, 0);
	ck_assert_int_eq(f.phase, DRILL_INJECT);
	ev(&f, DRILL_EV_INJECTED, T0 + 8, 0);
	ck_assert_int_eq(f.injected_ms, T0);
	ck_assert_int_eq(f.phase, DRILL_ELECT);
	/* Taken over without a DELETE is detection and election at once. */
	drill_fsm_init(&f, 7, false, 1, 30000, 0, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0 + 1, 0);
	ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 500, 8);
	ck_assert_int_eq(f.detected_ms, T0 + 500);
	ck_assert_int_eq(f.elected_ms, T0 + 500);
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
}
END_TEST

START_TEST(fsm_missed_target)
{
	struct drill_fsm f;

	drill_fsm_init(&f, 7, false, 1, 2000, 0, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 2500, 0);
	ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 2600, 8);
	ev(&f, DRILL_EV_READY, T0 + 2700, 0);
	ck_assert(probe(&f, T0 + 2800, true));
	ck_assert_int_eq(f.verdict, DRILL_MISSED);
	/* Nothing failed after ready: back at ready, not at the probe's turn. */
	ck_assert_int_eq(f.rto_ms, 2700);
}
END_TEST

START_TEST(fsm_timeouts_name_the_phase)
{
	struct drill_fsm f;

	/* The whole-drill timeout in ELECT: nobody took over. */
	drill_fsm_init(&f, 7, false, 3, 30000, 0, 10000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0 + 1, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 4000, 0);
	ck_assert_int_eq(drill_fsm_next_timeout(&f, T0 + 4000), 6000);
	ck_assert(!ev(&f, DRILL_EV_TICK, T0 + 9999, 0));
	ck_assert(ev(&f, DRILL_EV_TICK, T0 + 10000, 0));
	ck_assert_int_eq(f.verdict, DRILL_FAILED);
	ck_assert_int_eq(f.stalled, DRILL_ELECT);
	ck_assert_int_eq(f.rto_ms, -1);
	ck_assert_ptr_nonnull(strstr(f.reason, "'elect'"));
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_ELECT), -1);
	/* The per-phase timeout in DETECT, counted from the phase's start. */
	drill_fsm_init(&f, 7, false, 3, 30000, 3000, 0);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0 + 1000, 0);
	ck_assert(!ev(&f, DRILL_EV_TICK, T0 + 3999, 0));
	ck_assert(ev(&f, DRILL_EV_TICK, T0 + 4000, 0));
	ck_assert_int_eq(f.stalled, DRILL_DETECT);
	ck_assert_ptr_nonnull(strstr(f.reason, "phase timeout"));
	/* Recovery that never gets K good probes stalls in RECOVER. */
	drill_fsm_init(&f, 7, false, 3, 30000, 0, 5000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 100, 8);
	ev(&f, DRILL_EV_READY, T0 + 200, 0);
	probe(&f, T0 + 300, true);
	probe(&f, T0 + 400, false);
	ck_assert(ev(&f, DRILL_EV_TICK, T0 + 5000, 0));
	ck_assert_int_eq(f.stalled, DRILL_RECOVER);
	/* Inject failure and abort. */
	drill_fsm_init(&f, 7, false, 3, 30000, 0, 5000);
	ev(&f, DRILL_EV_START, T0, 0);
	ck_assert(drill_fsm_event(&f, DRILL_EV_INJECT_FAILED, T0 + 5, 0, NULL, "no such pod"));
	ck_assert_int_eq(f.stalled, DRILL_INJECT);
	ck_assert_str_eq(f.reason, "inject failed: no such pod");
	drill_fsm_init(&f, 7, false, 3, 30000, 0, 5000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ck_assert(ev(&f, DRILL_EV_ABORT, T0 + 100, 0));
	ck_assert_int_eq(f.verdict, DRILL_ABORTED);
	ck_assert_int_eq(f.stalled, DRILL_DETECT);
}
END_TEST

START_TEST(fsm_worker)
{
	struct drill_fsm f;

	/* A worker: no election; recovery counts from the key's deletion. */
	drill_fsm_init(&f, 12, true, 2, 30000, 0, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ck_assert(!ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 10, 13));
	ck_assert_int_eq(f.phase, DRILL_DETECT);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 3000, 0);
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
	ck_assert(!probe(&f, T0 + 3100, true));
	ck_assert(probe(&f, T0 + 3300, true));
	ck_assert_int_eq(f.rto_ms, 3000);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_ELECT), 0);
}
END_TEST

START_TEST(fsm_worker_waits_served)
{
	struct drill_fsm f;

	/* A querynode: after its key went, probes count only once its replicas
	 * are served elsewhere. */
	drill_fsm_init(&f, 12, true, 2, 30000, 0, 60000);
	f.wait_served = true;
	ck_assert(!ev(&f, DRILL_EV_SERVED, T0 - 5, 0));
	ck_assert_int_eq(f.ready_ms, 0);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ck_assert(!ev(&f, DRILL_EV_SERVED, T0 + 100, 0));
	ck_assert_int_eq(f.ready_ms, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 3000, 0);
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
	ck_assert_int_eq(f.ready_ms, 0);
	ck_assert(!probe(&f, T0 + 3100, true));
	ck_assert(!probe(&f, T0 + 3300, true));
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
	ck_assert(!ev(&f, DRILL_EV_SERVED, T0 + 3500, 0));
	ck_assert_int_eq(f.ready_ms, T0 + 3500);
	/* A second signal does not move ready. */
	ev(&f, DRILL_EV_SERVED, T0 + 3700, 0);
	ck_assert_int_eq(f.ready_ms, T0 + 3500);
	ck_assert(!probe(&f, T0 + 3600, true));
	ck_assert(!probe(&f, T0 + 3800, false));
	ck_assert(!probe(&f, T0 + 4000, true));
	ck_assert(probe(&f, T0 + 4200, true));
	ck_assert_int_eq(f.verdict, DRILL_MET);
	ck_assert_int_eq(f.recovered_ms, T0 + 3800);
	ck_assert_int_eq(f.rto_ms, 3800);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_RECOVER), 800);
	/* Never served: the drill times out in RECOVER. */
	drill_fsm_init(&f, 12, true, 2, 30000, 0, 5000);
	f.wait_served = true;
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 3000, 0);
	probe(&f, T0 + 3100, true);
	probe(&f, T0 + 3300, true);
	ck_assert(ev(&f, DRILL_EV_TICK, T0 + 5000, 0));
	ck_assert_int_eq(f.verdict, DRILL_FAILED);
	ck_assert_int_eq(f.stalled, DRILL_RECOVER);
	/* Coordinators ignore the signal. */
	drill_fsm_init(&f, 7, false, 2, 30000, 0, 5000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 100, 8);
	ev(&f, DRILL_EV_SERVED, T0 + 200, 0);
	ck_assert_int_eq(f.ready_ms, 0);
}
END_TEST

START_TEST(replicas_served)
{
	int64_t a[] = { 4, 12 }, b[] = { 6 }, c[] = { 12 }, none[1] = { 0 };
	struct milvus_shard sh[1];
	struct milvus_replica r[2];

	memset(r, 0, sizeof r);
	memset(sh, 0, sizeof sh);
	r[0].rw_nodes = a, r[0].n_rw_nodes = 2;
	r[1].rw_nodes = b, r[1].n_rw_nodes = 1;
	ck_assert(drill_replicas_served(r, 0, 6));
	ck_assert(!drill_replicas_served(r, 2, 6));	/* still listed */
	ck_assert(!drill_replicas_served(r, 2, 12));
	ck_assert(drill_replicas_served(r, 2, 5));
	/* Moved: 12 went to the second replica, 6 is gone from both. */
	r[0].rw_nodes = a, r[0].n_rw_nodes = 1;
	r[1].rw_nodes = c, r[1].n_rw_nodes = 1;
	ck_assert(drill_replicas_served(r, 2, 6));
	/* A replica left with no RW node is not served. */
	r[1].rw_nodes = none, r[1].n_rw_nodes = 0;
	ck_assert(!drill_replicas_served(r, 2, 6));
	/* Draining (RO) or still leading a shard counts as still there. */
	r[1].rw_nodes = c, r[1].n_rw_nodes = 1;
	r[1].ro_nodes = b, r[1].n_ro_nodes = 1;
	ck_assert(!drill_replicas_served(r, 2, 6));
	r[1].ro_nodes = NULL, r[1].n_ro_nodes = 0;
	sh[0].leader_id = 6;
	r[1].shards = sh, r[1].n_shards = 1;
	ck_assert(!drill_replicas_served(r, 2, 6));
	sh[0].leader_id = -1;
	sh[0].nodes = b, sh[0].n_nodes = 1;
	ck_assert(!drill_replicas_served(r, 2, 6));
	sh[0].nodes = c;
	ck_assert(drill_replicas_served(r, 2, 6));
}
END_TEST

START_TEST(probe_arithmetic)
{
	struct drill_probe_stats st;
	/* Out of order on purpose: answers come back out of order. */
	struct drill_sample s[] = {
		sample(T0 + 1000, T0 + 1010, false),
		sample(T0 + 0, T0 + 10, true),
		sample(T0 + 200, T0 + 300, true),
		sample(T0 + 400, T0 + 2400, false),
		sample(T0 + 600, T0 + 610, false),
		sample(T0 + 1400, T0 + 1410, true),
		sample(T0 + 800, T0 + 810, false),
	};

	drill_probe_stats(s, 7, T0, T0 + 2000, &st);
	ck_assert_int_eq(st.sent, 7);
	ck_assert_int_eq(st.ok, 3);
	ck_assert_int_eq(st.failed, 4);
	ck_assert_int_eq(st.success_permille, 428);
	ck_assert_int_eq(st.first_fail_ms, T0 + 400);
	ck_assert_int_eq(st.last_fail_ms, T0 + 1000);
	ck_assert_int_eq(st.window_ms, 600);
	ck_assert_int_eq(st.longest_gap_ms, 1200);	/* 200 → 1400 */
	/* The tail after the last success counts too. */
	drill_probe_stats(s, 7, T0, T0 + 5000, &st);
	ck_assert_int_eq(st.longest_gap_ms, 3600);
	/* None at all. */
	drill_probe_stats(NULL, 0, T0, T0 + 700, &st);
	ck_assert_int_eq(st.success_permille, 1000);
	ck_assert_int_eq(st.window_ms, 0);
	ck_assert_int_eq(st.longest_gap_ms, 700);
	/* One failure: a window of zero length, but a failure. */
	drill_probe_stats(s + 4, 1, T0 + 600, T0 + 600, &st);
	ck_assert_int_eq(st.failed, 1);
	ck_assert_int_eq(st.window_ms, 0);
	ck_assert_int_eq(st.success_permille, 0);
}
END_TEST

/* Probes run from drill_start; the fault can come seconds later (restart
 * counts first): what was sent before started_ms is not the drill's, in the
 * statistics as in the per-proxy counts. */
START_TEST(probe_stats_from_start)
{
	struct drill_probe_stats st;
	struct drill_report *r = xcalloc(1, sizeof *r);
	struct drill_sample s[] = {
		sample(T0 - 3000, T0 - 2990, false),
		sample(T0 - 200, T0 + 10, true),
		sample(T0 + 200, T0 + 210, true),
		sample(T0 + 400, T0 + 410, false),
		sample(T0 + 600, T0 + 610, true),
	};
	int64_t via = 0;
	size_t i;

	for (i = 0; i < 5; i++)
		s[i].uri = "http://10.0.0.5:19530";
	drill_probe_stats(s, 5, T0, T0 + 1000, &st);
	ck_assert_int_eq(st.sent, 3);
	ck_assert_int_eq(st.ok, 2);
	ck_assert_int_eq(st.failed, 1);
	ck_assert_int_eq(st.success_permille, 666);
	ck_assert_int_eq(st.first_fail_ms, T0 + 400);
	ck_assert_int_eq(st.window_ms, 0);
	ck_assert_int_eq(st.longest_gap_ms, 400);
	r->fsm.started_ms = T0;
	drill_count_via(r, s, 5);
	for (i = 0; i < r->n_via; i++)
		via += r->via[i].ok + r->via[i].failed;
	ck_assert_int_eq(via, st.sent);
	/* A failure before the fault opens no failure window. */
	drill_probe_stats(s, 1, T0, T0 + 1000, &st);
	ck_assert_int_eq(st.sent, 0);
	ck_assert_int_eq(st.failed, 0);
	ck_assert_int_eq(st.first_fail_ms, 0);
	ck_assert_int_eq(st.success_permille, 1000);
	ck_assert_int_eq(st.longest_gap_ms, 1000);
	drill_report_free(r);
}
END_TEST

/* A finished SIGKILL drill with its estimate. */
static struct drill_report *
report_fixture(void)
{
	struct drill_report *r = xcalloc(1, sizeof *r);
	struct drill_fsm *f = &r->fsm;

	r->id = xstrdup("20231114T221320Z-rootcoord");
	r->created_ms = T0;
	r->target = xstrdup("rootcoord");
	r->role = xstrdup("rootcoord");
	r->kind = xstrdup("coordinator");
	r->server_id = 7;
	r->address = xstrdup("10.0.0.5:53100");
	r->backend = xstrdup("lab");
	r->signal = xstrdup("SIGKILL");
	r->milvus_version = xstrdup("2.5.27");
	r->session_ttl_s = 10;
	r->probe_rate = 5;
	r->probe_calls = xstrdup("collections/list");
	r->est_ms[0] = 10000, r->est_ms[1] = 100, r->est_ms[2] = 2000;
	r->est_total_ms = 12100;
	drill_fsm_init(f, 7, false, 1, 30000, 0, 60000);
	ev(f, DRILL_EV_START, T0, 0);
	ev(f, DRILL_EV_INJECTED, T0, 0);
	ev(f, DRILL_EV_ACTIVE_GONE, T0 + 9000, 0);
	ev(f, DRILL_EV_ACTIVE_PUT, T0 + 9050, 8);
	ev(f, DRILL_EV_READY, T0 + 9500, 0);
	probe(f, T0 + 9600, true);
	r->new_server_id = 8;
	drill_report_note(r, "a note with \"quotes\"");
	return r;
}

START_TEST(probe_series_and_spark)
{
	struct drill_sample s[] = {
		{ T0 + 100, T0 + 150, true, NULL },
		{ T0 + 300, T0 + 350, true, NULL },
		{ T0 + 1100, T0 + 1150, false, NULL },
		{ T0 + 1500, T0 + 1550, true, NULL },
		/* nothing sent in [T0 + 2000, T0 + 3000) */
		{ T0 + 3999, T0 + 4100, false, NULL },
		{ T0 - 10, T0, false, NULL },		/* before the start: not counted */
		{ T0 + 5000, T0 + 5100, false, NULL },	/* at the end: not counted */
	};
	int16_t out[8];
	struct buf b = BUF_INIT;
	size_t n;

	n = drill_probe_series(s, 7, T0, T0 + 5000, 1000, out, 8);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(out[0], 1000);
	ck_assert_int_eq(out[1], 500);
	ck_assert_int_eq(out[2], -1);
	ck_assert_int_eq(out[3], 0);
	ck_assert_int_eq(out[4], -1);
	/* At most max buckets; none for an empty span. */
	ck_assert_uint_eq(drill_probe_series(s, 7, T0, T0 + 5000, 1000, out, 2), 2);
	ck_assert_uint_eq(drill_probe_series(s, 7, T0, T0, 1000, out, 8), 0);
	/* A bucket with a failure never reaches full height. */
	drill_series_spark(out, 5, false, &b);
	ck_assert_str_eq(b.data, "#-_._");
	buf_reset(&b);
	out[1] = 999;
	drill_series_spark(out, 3, true, &b);
	ck_assert_str_eq(b.data, "\u2588\u2587\u00b7");
	buf_release(&b);
}
END_TEST

/* Insert probe rows from a schema (as collections/describe gives it). */
START_TEST(insert_row_template)
{
	struct milvus_field f[] = {
		{ .name = "id", .type = "Int64", .primary_key = true },
		{ .name = "vector", .type = "FloatVector", .dim = 3 },
		{ .name = "title", .type = "VarChar", .max_length = 7 },
		{ .name = "n", .type = "Int32" },
		{ .name = "meta", .type = "JSON" },
		{ .name = "maybe", .type = "Float", .nullable = true },
		{ .name = "sparse", .type = "SparseFloatVector", .function_output = true },
		{ .name = "bits", .type = "BinaryVector", .dim = 16 },
	};
	struct milvus_collection_info ci = { .fields = f, .n_fields = 8 };
	char *head, *tail, *row, err[256];
	cJSON *j;

	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), 0);
	row = drill_row(head, tail, 1795780000000007LL);
	ck_assert_str_eq(row, "[{\"id\":1795780000000007,\"vector\":[0.5,0.5,0.5],"
	    "\"title\":\"milvusa\",\"n\":0,\"meta\":{\"milvusadm_drill\":true},"
	    "\"bits\":[0,0]}]");
	j = cJSON_Parse(row);
	ck_assert(cJSON_IsArray(j));
	cJSON_Delete(j);
	free(row);
	free(head);
	free(tail);
	/* An automatic key is left to Milvus: the row is the same every time. */
	f[0].auto_id = true;
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), 0);
	ck_assert_ptr_null(tail);
	row = drill_row(head, tail, 5);
	ck_assert_ptr_null(strstr(row, "\"id\""));
	free(row);
	free(head);
	/* A VarChar key is quoted around the number. */
	f[0].auto_id = false;
	f[0].type = "VarChar";
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), 0);
	row = drill_row(head, tail, 42);
	ck_assert_ptr_nonnull(strstr(row, "[{\"id\":\"milvusadm-drill-42\",\"vector\""));
	free(row);
	free(head);
	free(tail);
	/* A short key still fits its max_length (19 digits at most)... */
	f[0].max_length = 20;
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), 0);
	row = drill_row(head, tail, 1795780000000007LL);
	ck_assert_ptr_nonnull(strstr(row, "[{\"id\":\"d1795780000000007\","));
	free(row);
	free(head);
	free(tail);
	/* ... or is refused when it cannot. */
	f[0].max_length = 12;
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "too few for a probe key"));
	f[0].max_length = 0;
	/* What cannot be filled is refused with the field named. */
	f[1].dim = 0;
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'vector'"));
	f[1].dim = 3;
	f[3].type = "Geometry";
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'n' of type Geometry"));
	f[3].type = "Int32";
	f[0].type = "Int32";
	ck_assert_int_eq(drill_row_template(&ci, &head, &tail, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "primary key 'id'"));
}
END_TEST

START_TEST(compare_names_dominant)
{
	struct drill_report *r = report_fixture();
	struct buf md = BUF_INIT;

	drill_report_compare(r);
	ck_assert_str_eq(r->dominant, "detection");
	ck_assert_ptr_nonnull(strstr(r->advice, "session TTL 10s"));
	ck_assert_ptr_nonnull(strstr(r->advice, "lower common.session.ttl or use graceful stop"));
	drill_report_markdown(r, &md);
	ck_assert_ptr_nonnull(strstr(md.data, "verdict: **met**"));
	ck_assert_ptr_nonnull(strstr(md.data, "| detect | 9.0s |"));
	ck_assert_ptr_nonnull(strstr(md.data, " | +9000 ms |"));
	buf_release(&md);
	/* Inject asked before the backend acted: a negative offset, signed once. */
	r->fsm.started_ms = T0 - 1;
	drill_report_markdown(r, &md);
	ck_assert_ptr_nonnull(strstr(md.data, " | -1 ms |"));
	ck_assert_ptr_null(strstr(md.data, "+-"));
	buf_release(&md);
	r->fsm.started_ms = T0;
	free(r->signal);
	r->signal = xstrdup("lease revoke");
	drill_report_compare(r);
	ck_assert_ptr_null(strstr(r->advice, "session TTL"));
	drill_report_free(r);
}
END_TEST

/* ---- the report against doc/drill-report.schema.json (schema-check.c) ---- */

static cJSON *
load_schema(void)
{
	FILE *f = fopen(SCHEMA_PATH, "r");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	cJSON *j;

	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	j = cJSON_ParseWithLength(b.data, b.len);
	buf_release(&b);
	ck_assert_ptr_nonnull(j);
	return j;
}

static cJSON *
render_json(const struct drill_report *r)
{
	struct out_doc *d = drill_report_doc(r);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cJSON *j;

	out_doc_render(d, f, OUT_JSON, false);
	fclose(f);
	out_doc_free(d);
	j = cJSON_ParseWithLength(text, len);
	free(text);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* The fixture with every optional member filled: proxies, series, restarts. */
static struct drill_report *
report_full(void)
{
	struct drill_report *r = report_fixture();

	r->recovered_via = xstrdup("http://10.0.0.2:19530");
	r->via = xcalloc(2, sizeof *r->via);
	r->via[0].uri = xstrdup("http://10.0.0.1:19530");
	r->via[0].failed = 3;
	r->via[1].uri = xstrdup("http://10.0.0.2:19530");
	r->via[1].ok = 20;
	r->n_via = 2;
	r->series = xcalloc(3, sizeof *r->series);
	r->series[0] = 1000, r->series[1] = -1, r->series[2] = 400;
	r->n_series = 3;
	r->series_bucket_ms = 1000;
	r->restarts_before = 0;
	r->restarts_after = 1;
	r->restarts_what = xstrdup("lab supervisor restarts of rootcoord-1");
	drill_report_compare(r);
	return r;
}

START_TEST(report_matches_schema)
{
	struct drill_report *r = report_full(), *back;
	cJSON *schema = load_schema(), *j;
	char why[256] = "", path[] = "/tmp/test-drill-XXXXXX", *text;
	struct drill_fsm *f;
	FILE *fp;
	int fd;

	j = render_json(r);
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == 0, "%s", why);
	/* Saved and read back, the report is the same. */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	text = cJSON_PrintUnformatted(j);
	fputs(text, fp);
	fclose(fp);
	free(text);
	back = drill_report_load(path, why, sizeof why);
	ck_assert_msg(back != NULL, "%s", why);
	ck_assert_str_eq(back->id, r->id);
	ck_assert_int_eq(back->fsm.rto_ms, r->fsm.rto_ms);
	ck_assert_int_eq(back->fsm.detected_ms, r->fsm.detected_ms);
	ck_assert_int_eq(back->new_server_id, 8);
	ck_assert_str_eq(back->advice, r->advice);
	ck_assert_uint_eq(back->n_notes, 1);
	ck_assert_str_eq(back->recovered_via, "http://10.0.0.2:19530");
	ck_assert_uint_eq(back->n_via, 2);
	ck_assert_str_eq(back->via[1].uri, "http://10.0.0.2:19530");
	ck_assert_int_eq(back->via[1].ok, 20);
	ck_assert_int_eq(back->via[0].failed, 3);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "election_applicable")));
	ck_assert_uint_eq(back->n_series, 3);
	ck_assert_int_eq(back->series[0], 1000);
	ck_assert_int_eq(back->series[1], -1);
	ck_assert_int_eq(back->series[2], 400);
	ck_assert_int_eq(back->series_bucket_ms, 1000);
	ck_assert_int_eq(back->restarts_before, 0);
	ck_assert_int_eq(back->restarts_after, 1);
	ck_assert_str_eq(back->restarts_what, "lab supervisor restarts of rootcoord-1");
	drill_report_free(back);
	unlink(path);
	cJSON_Delete(j);
	/* A failed drill validates too (nulls where nothing was reached). */
	f = &r->fsm;
	drill_fsm_init(f, 7, false, 3, 30000, 0, 1000);
	ev(f, DRILL_EV_START, T0, 0);
	ev(f, DRILL_EV_INJECTED, T0, 0);
	ev(f, DRILL_EV_TICK, T0 + 1000, 0);
	r->new_server_id = 0;
	drill_report_compare(r);
	j = render_json(r);
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == 0, "%s", why);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "stalled_phase")->valuestring, "detect");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "rto_ms")));
	cJSON_Delete(j);
	cJSON_Delete(schema);
	drill_report_free(r);
}
END_TEST

/*
 * One violation planted into the valid full report: member KEY of the object
 * (or element KEY of the array) at dotted path IN becomes JSON, or goes when
 * JSON is NULL; the refusal must say WHY, path first.
 */
static const struct planted {
	const char *in, *key, *json, *why;
} planted[] = {
	{ "probes.series_permille", "2", "1001",
	    "$.probes.series_permille[2]: 1001 above the maximum 1000" },
	{ "probes.series_permille", "1", "-2",
	    "$.probes.series_permille[1]: -2 below the minimum -1" },
	{ "", "rto_ms", "-1", "$.rto_ms: -1 below the minimum 0" },
	{ "probes.by_proxy.1", "ok", "-20", "$.probes.by_proxy[1].ok: -20 below the minimum 0" },
	{ "", "verdict", "\"ok\"", "$.verdict: not in the enum" },
	{ "", "stalled_phase", "\"nowhere\"", "$.stalled_phase: not in the enum" },
	{ "", "version", "2", "$.version: not the const 1" },
	{ "", "version", "true", "$.version: not the const 1" },
	{ "target", "role", NULL, "$.target: missing 'role'" },
	{ "", "notes", NULL, "$: missing 'notes'" },
	{ "", "created_ms", "\"1700000000000\"", "$.created_ms: not integer" },
	{ "", "created_ms", "1700000000000.5", "$.created_ms: not integer" },
	{ "probes", "sent", "true", "$.probes.sent: not integer" },
	{ "target", "name", "null", "$.target.name: not string" },
	{ "", "rto_ms", "\"4690\"", "$.rto_ms: not integer|null" },
	{ "", "election_applicable", "0", "$.election_applicable: not boolean" },
	{ "notes", "0", "{}", "$.notes[0]: not string" },
	{ "", "phases", "{}", "$.phases: not array" },
	{ "times", "extra_ms", "1", "$.times.extra_ms: not allowed" },
	{ "", "extra", "null", "$.extra: not allowed" },
	{ "probes.by_proxy.0", "extra", "1", "$.probes.by_proxy[0].extra: not allowed" },
};

/* The node at dotted path IN ("probes.by_proxy.1"; "" is the document). */
static cJSON *
node_at(cJSON *doc, const char *in)
{
	char *copy = xstrdup(in), *part, *save = NULL;

	for (part = strtok_r(copy, ".", &save); part != NULL; part = strtok_r(NULL, ".", &save))
		doc = cJSON_IsArray(doc) ? cJSON_GetArrayItem(doc, atoi(part)) :
		    cJSON_GetObjectItemCaseSensitive(doc, part);
	free(copy);
	ck_assert_msg(doc != NULL, "no '%s' in the report", in);
	return doc;
}

START_TEST(schema_refuses_planted)
{
	const struct planted *pl = &planted[_i];
	struct drill_report *r = report_full();
	cJSON *schema = load_schema(), *j = render_json(r), *in, *with, *gone;
	char why[256] = "";

	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == 0, "%s", why);
	in = node_at(j, pl->in);
	with = pl->json != NULL ? cJSON_Parse(pl->json) : NULL;
	ck_assert(pl->json == NULL || with != NULL);
	/* Each call says whether it planted: a no-op would pass for the wrong reason. */
	if (with == NULL) {
		gone = cJSON_DetachItemFromObjectCaseSensitive(in, pl->key);
		ck_assert_ptr_nonnull(gone);
		cJSON_Delete(gone);
	} else if (cJSON_IsArray(in))
		ck_assert(cJSON_ReplaceItemInArray(in, atoi(pl->key), with));
	else if (cJSON_GetObjectItemCaseSensitive(in, pl->key) != NULL)
		ck_assert(cJSON_ReplaceItemInObjectCaseSensitive(in, pl->key, with));
	else
		ck_assert(cJSON_AddItemToObject(in, pl->key, with));
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == -1, "%s.%s = %s passed",
	    pl->in, pl->key, pl->json != NULL ? pl->json : "(removed)");
	ck_assert_msg(strstr(why, pl->why) != NULL, "'%s', not '%s'", why, pl->why);
	cJSON_Delete(j);
	cJSON_Delete(schema);
	drill_report_free(r);
}
END_TEST

/* probes.series_permille has maxItems 3600: at it passes, one more does not. */
START_TEST(schema_refuses_long_series)
{
	struct drill_report *r = report_full();
	cJSON *schema = load_schema(), *j = render_json(r), *series;
	char why[256] = "";

	series = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "probes"), "series_permille");
	while (cJSON_GetArraySize(series) < 3600)
		cJSON_AddItemToArray(series, cJSON_CreateNumber(-1));
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == 0, "%s", why);
	cJSON_AddItemToArray(series, cJSON_CreateNumber(-1));
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == -1, "3601 buckets passed");
	ck_assert_str_eq(why, "$.probes.series_permille: 3601 items, over maxItems 3600");
	cJSON_Delete(j);
	cJSON_Delete(schema);
	drill_report_free(r);
}
END_TEST

/* A keyword the validator does not implement, anywhere in the schema, makes
 * it refuse the schema rather than pass documents it never checked. */
START_TEST(schema_refuses_unknown_keyword)
{
	static const struct {
		const char *in, *key, *json, *why;
	} added[] = {
		{ "properties.id", "pattern", "\"^[0-9]\"",
		    "schema #/properties/id: unknown keyword 'pattern'" },
		{ "properties.notes", "uniqueItems", "true",
		    "schema #/properties/notes: unknown keyword 'uniqueItems'" },
		{ "properties.probes.properties.series_permille.items", "exclusiveMaximum", "1001",
		    "schema #/properties/probes/properties/series_permille/items: "
		    "unknown keyword 'exclusiveMaximum'" },
		{ "properties.probes.properties.series_permille", "minItems", "1",
		    "schema #/properties/probes/properties/series_permille: unknown keyword 'minItems'" },
		{ "", "if", "{}", "schema #: unknown keyword 'if'" },
		{ "properties.times", "additionalProperties", "{\"type\": \"integer\"}",
		    "schema #/properties/times: unsupported 'additionalProperties' value" },
		{ "properties.created_ms", "type", "\"int\"",
		    "schema #/properties/created_ms: unsupported 'type' value" },
	};
	struct drill_report *r = report_full();
	cJSON *schema = load_schema(), *j = render_json(r), *copy, *in;
	char why[256] = "";
	size_t i;

	for (i = 0; i < sizeof added / sizeof *added; i++) {
		copy = cJSON_Duplicate(schema, true);
		in = node_at(copy, added[i].in);
		cJSON_DeleteItemFromObjectCaseSensitive(in, added[i].key);
		ck_assert(cJSON_AddItemToObject(in, added[i].key, cJSON_Parse(added[i].json)));
		ck_assert_msg(schema_validate(copy, j, why, sizeof why) == -1, "%s passed", added[i].key);
		ck_assert_str_eq(why, added[i].why);
		cJSON_Delete(copy);
	}
	/* Annotations are no keywords to implement; a property named like one is
	 * no keyword at all. */
	copy = cJSON_Duplicate(schema, true);
	cJSON_AddStringToObject(node_at(copy, "properties.id"), "$comment", "ignored");
	cJSON_AddItemToObject(node_at(copy, "properties"), "pattern", cJSON_CreateObject());
	ck_assert_msg(schema_validate(copy, j, why, sizeof why) == 0, "%s", why);
	cJSON_Delete(copy);
	cJSON_Delete(j);
	cJSON_Delete(schema);
	drill_report_free(r);
}
END_TEST

/* ---- etcd targets ---- */

static void
members(struct etcd_member_state *m, size_t n, size_t leader)
{
	static char *const names[] = { "etcd-1", "etcd-2", "etcd-3", "etcd-4" };
	static char *const urls[] = { "http://127.0.0.2:2379", "http://127.0.0.3:2379",
	    "http://127.0.0.4:2379", "http://127.0.0.5:2379" };
	size_t i;

	memset(m, 0, n * sizeof *m);
	for (i = 0; i < n; i++) {
		m[i].id = 0x100 + i;
		m[i].name = names[i];
		m[i].client_url = urls[i];
		m[i].reachable = true;
		m[i].is_leader = i == leader;
		m[i].raft_term = 4;
	}
}

START_TEST(etcd_precheck)
{
	struct etcd_member_state m[4];
	char err[256];
	size_t idx = 99;

	ck_assert(drill_etcd_is_target("etcd-leader"));
	ck_assert(drill_etcd_is_target("etcd/etcd-2"));
	ck_assert(!drill_etcd_is_target("etcd"));
	ck_assert(!drill_etcd_is_target("rootcoord"));
	/* One member: the drill would take etcd down. */
	members(m, 1, 0);
	ck_assert_int_eq(drill_etcd_pick(m, 1, "etcd-leader", &idx, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "1 member") != NULL, "%s", err);
	members(m, 2, 0);
	ck_assert_int_eq(drill_etcd_pick(m, 2, "etcd/etcd-2", &idx, err, sizeof err), -1);
	/* Three, all healthy: the leader, or the one named. */
	members(m, 3, 1);
	ck_assert_int_eq(drill_etcd_pick(m, 3, "etcd-leader", &idx, err, sizeof err), 0);
	ck_assert_uint_eq(idx, 1);
	ck_assert_int_eq(drill_etcd_pick(m, 3, "etcd/etcd-3", &idx, err, sizeof err), 0);
	ck_assert_uint_eq(idx, 2);
	ck_assert_int_eq(drill_etcd_pick(m, 3, "etcd/etcd-9", &idx, err, sizeof err), -1);
	ck_assert_str_eq(err, "no etcd member 'etcd-9'");
	/* One down of three: losing another loses quorum. */
	m[2].reachable = false;
	m[2].error = "connection refused";
	ck_assert_int_eq(drill_etcd_pick(m, 3, "etcd/etcd-1", &idx, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "'etcd-3' is not healthy") != NULL, "%s", err);
	/* A learner does not vote. */
	members(m, 4, 0);
	m[3].is_learner = true;
	ck_assert_int_eq(drill_etcd_pick(m, 4, "etcd-leader", &idx, err, sizeof err), -1);
	/* No leader reported. */
	members(m, 3, 9);
	ck_assert_int_eq(drill_etcd_pick(m, 3, "etcd-leader", &idx, err, sizeof err), -1);
	ck_assert_int_eq(drill_etcd_pick(m, 3, "etcd/etcd-1", &idx, err, sizeof err), 0);
}
END_TEST

START_TEST(etcd_elect_and_sessions)
{
	char *before[] = { "s/rootcoord@11", "s/proxy-3@12", "s/querynode-5@13" };
	char *same[] = { "s/querynode-5@13", "s/rootcoord@11", "s/proxy-3@12" };
	char *renewed[] = { "s/rootcoord@21", "s/proxy-3@12", "s/querynode-5@13",
	    "s/querynode-6@14" };
	char *fewer[] = { "s/proxy-3@12" };

	/* A new leader in a later term; not the old one, not the same term. */
	ck_assert(drill_etcd_elected(0x100, 4, 0x101, 5));
	ck_assert(!drill_etcd_elected(0x100, 4, 0x100, 5));
	ck_assert(!drill_etcd_elected(0x100, 4, 0x101, 4));
	ck_assert(!drill_etcd_elected(0x100, 4, 0, 6));
	/* Sessions: same set in another order; a re-registration (new lease)
	 * counts as lost, an extra session does not; nothing read = all lost. */
	ck_assert_uint_eq(drill_etcd_lost(before, 3, same, 3), 0);
	ck_assert_uint_eq(drill_etcd_lost(before, 3, renewed, 4), 1);
	ck_assert_uint_eq(drill_etcd_lost(before, 3, fewer, 1), 2);
	ck_assert_uint_eq(drill_etcd_lost(before, 3, NULL, 0), 3);
	ck_assert_uint_eq(drill_etcd_lost(NULL, 0, NULL, 0), 0);
}
END_TEST

/* The events drill-etcd.c feeds: GONE when the member stops answering,
 * PUT (id 1) and READY together when a new leader is reported, then ranges. */
START_TEST(fsm_etcd_leader)
{
	struct drill_fsm f;

	drill_fsm_init(&f, 0, false, 3, 30000, 0, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0 + 5, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 105, 0);
	ck_assert_int_eq(f.phase, DRILL_ELECT);
	/* Ranges before the election do not count. */
	ck_assert(!probe(&f, T0 + 200, true));
	ev(&f, DRILL_EV_ACTIVE_PUT, T0 + 1300, 1);
	ev(&f, DRILL_EV_READY, T0 + 1300, 0);
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
	ck_assert_int_eq(f.new_server_id, 1);
	ck_assert(!probe(&f, T0 + 1300, false));
	ck_assert(!probe(&f, T0 + 1400, true));
	ck_assert(!probe(&f, T0 + 1500, true));
	ck_assert(probe(&f, T0 + 1600, true));
	ck_assert_int_eq(f.verdict, DRILL_MET);
	/* Back after the range that failed at 1300. */
	ck_assert_int_eq(f.rto_ms, 1300 - 5);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_DETECT), 100);
	ck_assert_int_eq(drill_fsm_phase_ms(&f, DRILL_ELECT), 1195);
	/* A follower: no election, ranges count from its loss. */
	drill_fsm_init(&f, 0, true, 2, 30000, 0, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0 + 5, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 105, 0);
	ck_assert_int_eq(f.phase, DRILL_RECOVER);
	ck_assert(!probe(&f, T0 + 200, true));
	ck_assert(probe(&f, T0 + 300, true));
	ck_assert_int_eq(f.rto_ms, 100);
	/* No leader ever reported: ELECT times out and says so. */
	drill_fsm_init(&f, 0, false, 3, 30000, 2000, 60000);
	ev(&f, DRILL_EV_START, T0, 0);
	ev(&f, DRILL_EV_INJECTED, T0, 0);
	ev(&f, DRILL_EV_ACTIVE_GONE, T0 + 100, 0);
	ck_assert(ev(&f, DRILL_EV_TICK, T0 + 2100, 0));
	ck_assert_int_eq(f.stalled, DRILL_ELECT);
}
END_TEST

START_TEST(report_etcd_matches_schema)
{
	struct drill_report *r = report_fixture(), *back;
	cJSON *schema = load_schema(), *j, *e;
	char why[256] = "", path[] = "/tmp/test-drill-XXXXXX", *text;
	FILE *fp;
	int fd;

	free(r->kind);
	r->kind = xstrdup("etcd-member");
	r->etcd_member = xstrdup("etcd-1");
	r->etcd_was_leader = true;
	r->etcd_old_leader = xstrdup("etcd-1");
	r->etcd_new_leader = xstrdup("etcd-3");
	r->etcd_term_before = 2;
	r->etcd_term_after = 3;
	r->sessions_before = 9;
	r->sessions_lost = 0;
	drill_report_compare(r);
	j = render_json(r);
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == 0, "%s", why);
	e = cJSON_GetObjectItem(j, "etcd");
	ck_assert_str_eq(cJSON_GetObjectItem(e, "leader_after")->valuestring, "etcd-3");
	ck_assert_int_eq(cJSON_GetObjectItem(e, "term_after")->valueint, 3);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	text = cJSON_PrintUnformatted(j);
	fputs(text, fp);
	fclose(fp);
	free(text);
	back = drill_report_load(path, why, sizeof why);
	ck_assert_msg(back != NULL, "%s", why);
	ck_assert_str_eq(back->etcd_new_leader, "etcd-3");
	ck_assert_int_eq(back->etcd_term_before, 2);
	ck_assert_int_eq(back->sessions_lost, 0);
	ck_assert(back->etcd_was_leader);
	drill_report_free(back);
	unlink(path);
	cJSON_Delete(j);
	/* Unknown after a failed drill: nulls, still valid. */
	r->sessions_lost = -1;
	r->etcd_term_after = -1;
	j = render_json(r);
	ck_assert_msg(schema_validate(schema, j, why, sizeof why) == 0, "%s", why);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "etcd"),
	    "sessions_lost")));
	cJSON_Delete(j);
	cJSON_Delete(schema);
	drill_report_free(r);
}
END_TEST

START_TEST(backends_listed)
{
	const char *opts[] = { "signal=TERM", "lab=x", NULL };

	ck_assert_ptr_nonnull(fault_backend_find("etcd-lease"));
	ck_assert_ptr_nonnull(fault_backend_find("stop"));
	ck_assert_ptr_null(fault_backend_find("nope"));
	ck_assert_str_eq(fault_option(opts, "signal"), "TERM");
	ck_assert_str_eq(fault_option(opts, "lab"), "x");
	ck_assert_ptr_null(fault_option(opts, "sig"));
	ck_assert_ptr_null(fault_option(NULL, "sig"));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill");
	TCase *tc = tcase_create("drill");

	tcase_add_test(tc, fsm_happy_path);
	tcase_add_test(tc, fsm_signal_before_answer);
	tcase_add_test(tc, fsm_missed_target);
	tcase_add_test(tc, fsm_timeouts_name_the_phase);
	tcase_add_test(tc, fsm_worker);
	tcase_add_test(tc, fsm_worker_waits_served);
	tcase_add_test(tc, replicas_served);
	tcase_add_test(tc, probe_arithmetic);
	tcase_add_test(tc, probe_stats_from_start);
	tcase_add_test(tc, probe_series_and_spark);
	tcase_add_test(tc, insert_row_template);
	tcase_add_test(tc, compare_names_dominant);
	tcase_add_test(tc, report_matches_schema);
	tcase_add_loop_test(tc, schema_refuses_planted, 0, sizeof planted / sizeof *planted);
	tcase_add_test(tc, schema_refuses_long_series);
	tcase_add_test(tc, schema_refuses_unknown_keyword);
	tcase_add_test(tc, backends_listed);
	tcase_add_test(tc, etcd_precheck);
	tcase_add_test(tc, etcd_elect_and_sessions);
	tcase_add_test(tc, fsm_etcd_leader);
	tcase_add_test(tc, report_etcd_matches_schema);
	suite_add_tcase(s, tc);
	return s;
}
