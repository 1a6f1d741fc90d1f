/* SPDX-License-Identifier: MIT */
/* Worker drills: the client-visible outage apart from convergence, recovery
 * without the probes' spacing, exit 80 read as self-fencing, and the
 * history's trend key (target and backend). */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "milvusadm/drill.h"
#include "../../src/cmd/cmd-drill.h"

#define T0 1700000000000LL

static struct drill_sample
smp(int64_t sent, bool ok)
{
	struct drill_sample s = { sent, sent + 5, ok, NULL };

	return s;
}

START_TEST(outage_from_probes)
{
	/* Out of order, as answers come: the client saw failures from 1200
	 * until the success sent at 2600 after the last failure (2400). */
	struct drill_sample s[] = {
		smp(T0 + 1000, true), smp(T0 + 2400, false), smp(T0 + 1200, false),
		smp(T0 + 2600, true), smp(T0 + 1400, true), smp(T0 + 2800, true),
		smp(T0 - 500, false),	/* before the drill: not its outage */
	};

	ck_assert_int_eq(drill_probe_outage(s, 7, T0, T0 + 3000), 1400);
	/* No failure: no outage; no probe at all: unknown. */
	ck_assert_int_eq(drill_probe_outage(s, 2, T0 - 100, T0 + 1100), 0);
	ck_assert_int_eq(drill_probe_outage(s, 7, T0 + 5000, T0 + 6000), -1);
	/* Failing to the end: the outage lasts until the drill ended. */
	ck_assert_int_eq(drill_probe_outage(s, 2, T0 + 2000, T0 + 2500), 100);
}
END_TEST

static bool
probe(struct drill_fsm *f, int64_t sent, bool ok)
{
	struct drill_sample s = smp(sent, ok);

	return drill_fsm_event(f, DRILL_EV_PROBE, sent + 5, 0, &s, NULL);
}

START_TEST(recovery_without_spacing)
{
	struct drill_fsm f;

	/* A proxy: served by the others once its key went (ready = detect). */
	drill_fsm_init(&f, 7, true, 3, 30000, 0, 60000);
	drill_fsm_event(&f, DRILL_EV_START, T0, 0, NULL, NULL);
	drill_fsm_event(&f, DRILL_EV_INJECTED, T0 + 10, 0, NULL, NULL);
	drill_fsm_event(&f, DRILL_EV_ACTIVE_GONE, T0 + 1000, 0, NULL, NULL);
	ck_assert_int_eq(f.ready_ms, T0 + 1000);
	/* Nothing fails after ready: recovered at ready, not at the first
	 * probe 180 ms later (its turn at 5 per second). */
	ck_assert(!probe(&f, T0 + 1180, true));
	ck_assert(!probe(&f, T0 + 1380, true));
	ck_assert(probe(&f, T0 + 1580, true));
	ck_assert_int_eq(f.recovered_ms, T0 + 1000);
	ck_assert_int_eq(f.rto_ms, 990);

	/* A failure after ready: back after it, not at the next probe. */
	drill_fsm_init(&f, 7, true, 2, 30000, 0, 60000);
	drill_fsm_event(&f, DRILL_EV_START, T0, 0, NULL, NULL);
	drill_fsm_event(&f, DRILL_EV_INJECTED, T0, 0, NULL, NULL);
	drill_fsm_event(&f, DRILL_EV_ACTIVE_GONE, T0 + 1000, 0, NULL, NULL);
	ck_assert(!probe(&f, T0 + 1100, false));
	ck_assert(!probe(&f, T0 + 1300, true));
	ck_assert(probe(&f, T0 + 1500, true));
	ck_assert_int_eq(f.recovered_ms, T0 + 1100);
}
END_TEST

START_TEST(exit_80_is_self_fencing)
{
	ck_assert_str_eq(drill_exit_meaning("exit 80"),
	    "Milvus fenced itself after losing its etcd lease");
	/* Older Milvus exits 1 on a lost lease, like any other error. */
	ck_assert_ptr_null(drill_exit_meaning("exit 1"));
	ck_assert_ptr_null(drill_exit_meaning("exit 800"));
	ck_assert_ptr_null(drill_exit_meaning("signal 9"));
	ck_assert_ptr_null(drill_exit_meaning(NULL));
}
END_TEST

START_TEST(trend_key_is_target_and_backend)
{
	struct drill_report a, b;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.target = b.target = "rootcoord";
	a.backend = "lab";
	b.backend = "etcd-lease";
	ck_assert(!drill_trend_same(&a, &b));
	b.backend = "lab";
	ck_assert(drill_trend_same(&a, &b));
	b.target = "querycoord";
	ck_assert(!drill_trend_same(&a, &b));
	/* A report saved before backends were recorded groups with its like. */
	a.backend = NULL;
	b.target = "rootcoord";
	ck_assert(!drill_trend_same(&a, &b));
	b.backend = NULL;
	ck_assert(drill_trend_same(&a, &b));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill-outage");
	TCase *tc = tcase_create("drill-outage");

	tcase_add_test(tc, outage_from_probes);
	tcase_add_test(tc, recovery_without_spacing);
	tcase_add_test(tc, exit_80_is_self_fencing);
	tcase_add_test(tc, trend_key_is_target_and_backend);
	suite_add_tcase(s, tc);
	return s;
}
