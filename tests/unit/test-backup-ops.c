/* SPDX-License-Identifier: MIT */
/* Unit tests for the pure parts of src/ops/backup: selections and renames,
 * the names the tool makes, which backups count and how old they are, the
 * --if-older-than decision, RPO per collection, and the wait's judge. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"

#define H	3600000LL
#define NOW	1800000000000LL		/* 2027-01-15T08:00:00Z */

START_TEST(test_sel_parse)
{
	struct backup_sel s;
	char err[256];

	ck_assert_int_eq(backup_sel_parse("db.c1,db2.*,c2,db.c1", &s, err, sizeof err), 0);
	ck_assert_uint_eq(s.n, 3);		/* the repeated db.c1 kept once */
	ck_assert_str_eq(s.specs[0], "db.c1");
	ck_assert_str_eq(s.specs[1], "db2.*");
	ck_assert_str_eq(s.specs[2], "default.c2");
	ck_assert_ptr_null(s.specs[3]);
	ck_assert(backup_sel_match(&s, "db", "c1"));
	ck_assert(!backup_sel_match(&s, "db", "c2"));
	ck_assert(backup_sel_match(&s, "db2", "anything"));
	ck_assert(backup_sel_match(&s, "default", "c2"));
	ck_assert(!backup_sel_match(&s, "other", "c2"));
	ck_assert(backup_sel_has_wildcard(&s));
	backup_sel_release(&s);
	ck_assert_int_eq(backup_sel_parse("db.c1", &s, err, sizeof err), 0);
	ck_assert(!backup_sel_has_wildcard(&s));
	backup_sel_release(&s);

	/* An empty selection takes everything. */
	memset(&s, 0, sizeof s);
	ck_assert(backup_sel_match(&s, "x", "y"));

	static const char *const bad[] = { "", "db.", ".c", "a,,b", "a,", "db.c.d", "*",
	    "db.c*", "d b.c", "db.\"x", "db.c\x1b", "*.c", NULL };
	for (size_t i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(backup_sel_parse(bad[i], &s, err, sizeof err) == -1, "%s", bad[i]);
		ck_assert_ptr_null(s.v);
	}
	ck_assert_int_eq(backup_sel_parse("db.c\x1b", &s, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "invalid collection"));
}
END_TEST

START_TEST(test_renames_targets)
{
	struct backup_renames r;
	char err[256], out[600];

	ck_assert_int_eq(backup_renames_parse("db1.c1:db2.c9,c2:c3,db1.*:db3.*", &r, err,
	    sizeof err), 0);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(r.pairs[0], "db1.c1");
	ck_assert_str_eq(r.pairs[1], "db2.c9");
	ck_assert_ptr_null(r.pairs[6]);
	/* An exact rule wins over the database rule, wherever it stands. */
	backup_restore_target("db1", "c1", NULL, &r, out, sizeof out);
	ck_assert_str_eq(out, "db2.c9");
	backup_restore_target("db1", "c7", NULL, &r, out, sizeof out);
	ck_assert_str_eq(out, "db3.c7");
	backup_restore_target("default", "c2", NULL, &r, out, sizeof out);
	ck_assert_str_eq(out, "default.c3");
	backup_restore_target("db4", "c2", NULL, &r, out, sizeof out);
	ck_assert_str_eq(out, "db4.c2");
	backup_renames_release(&r);
	ck_assert_int_eq(backup_renames_parse("db1.:db2.", &r, err, sizeof err), 0);
	backup_restore_target("db1", "x", NULL, &r, out, sizeof out);
	ck_assert_str_eq(out, "db2.x");
	backup_renames_release(&r);

	backup_restore_target("db", "c", "_r", NULL, out, sizeof out);
	ck_assert_str_eq(out, "db.c_r");
	backup_restore_target("db", "c", NULL, NULL, out, sizeof out);
	ck_assert_str_eq(out, "db.c");

	static const char *const bad[] = { "a", "a:", ":b", "db.*:c", "c:db.*", "a:b,", "a:b:c",
	    "a b:c", NULL };
	for (size_t i = 0; bad[i] != NULL; i++)
		ck_assert_msg(backup_renames_parse(bad[i], &r, err, sizeof err) == -1, "%s",
		    bad[i]);
	ck_assert_int_eq(backup_suffix_check("_restored2", err, sizeof err), 0);
	ck_assert_int_eq(backup_suffix_check("a-b", err, sizeof err), -1);
	ck_assert_int_eq(backup_suffix_check("a$", err, sizeof err), -1);
	ck_assert_int_eq(backup_suffix_check("", err, sizeof err), -1);
}
END_TEST

START_TEST(test_auto_name)
{
	char name[64], err[128];

	backup_auto_name(1765132210123LL, name, sizeof name);	/* 2025-12-07T18:30:10.123Z */
	ck_assert_str_eq(name, "milvusadm_20251207_183010_123");
	ck_assert_int_eq(backup_name_check(name, err, sizeof err), 0);
	backup_auto_name(1765132210005LL, name, sizeof name);
	ck_assert_str_eq(name, "milvusadm_20251207_183010_005");
}
END_TEST

static struct backup_collection c_docs = { "default", "docs", 10, -1, -1, -1 };
static struct backup_collection c_logs = { "db2", "logs", 10, -1, -1, -1 };

static struct backup_brief
mk(const char *name, enum backup_task_state st, int64_t taken, struct backup_collection *c,
    size_t n)
{
	struct backup_brief b;

	memset(&b, 0, sizeof b);
	b.name = (char *)name;
	b.state = st;
	b.taken_ms = taken;
	b.colls = c;
	b.n_colls = n;
	return b;
}

START_TEST(test_catalog_basics)
{
	struct backup_collection both[] = { c_docs, c_logs };
	struct backup_brief v[5];

	v[0] = mk("a", BACKUP_TASK_SUCCESS, NOW - 5 * H, both, 2);
	v[1] = mk("b", BACKUP_TASK_STORED, NOW - 1 * H, &c_docs, 1);
	v[2] = mk("c", BACKUP_TASK_FAIL, NOW - 0 * H + 1, both, 2);
	v[3] = mk("d", BACKUP_TASK_STORED, 0, NULL, 0);	/* unreadable: no time */
	v[4] = mk("e", BACKUP_TASK_SUCCESS, 0, both, 2);
	v[4].end_ms = NOW - 2 * H;			/* no backup timestamp: its end */
	ck_assert(backup_usable(&v[0]) && backup_usable(&v[1]) && !backup_usable(&v[2]));
	ck_assert_int_eq(backup_when_ms(&v[4]), NOW - 2 * H);
	v[4].start_ms = NOW - 3 * H;
	ck_assert_int_eq(backup_when_ms(&v[4]), NOW - 2 * H);
	ck_assert(backup_holds(&v[0], "db2", "logs"));
	ck_assert(!backup_holds(&v[1], "db2", "logs"));
	ck_assert(!backup_holds(&v[0], "default", "logs"));
	backup_sort_newest(v, 5);
	ck_assert_str_eq(v[0].name, "c");
	ck_assert_str_eq(v[1].name, "b");
	ck_assert_str_eq(v[2].name, "e");
	ck_assert_str_eq(v[3].name, "a");
	ck_assert_str_eq(v[4].name, "d");		/* unknown time last */
}
END_TEST

START_TEST(test_find_fresh)
{
	struct backup_collection both[] = { c_docs, c_logs };
	struct backup_coll_name want_both[] = { { "default", "docs" }, { "db2", "logs" } };
	struct backup_coll_name want_docs[] = { { "default", "docs" } };
	struct backup_brief v[5];

	v[0] = mk("failed", BACKUP_TASK_FAIL, NOW - 1000, both, 2);
	v[1] = mk("docs_only", BACKUP_TASK_SUCCESS, NOW - 2 * H, &c_docs, 1);
	v[2] = mk("both_old", BACKUP_TASK_SUCCESS, NOW - 30 * H, both, 2);
	v[3] = mk("both_older", BACKUP_TASK_STORED, NOW - 50 * H, both, 2);
	v[4] = mk("running", BACKUP_TASK_EXECUTING, 0, both, 2);
	v[4].start_ms = NOW - 1000;
	/* docs alone: the 2 h old backup is younger than 24 h. */
	ck_assert_int_eq(backup_find_fresh(v, 5, want_docs, 1, NOW, 24 * H), 1);
	/* both: the only backup holding both is 30 h old; the failed and the
	 * running ones do not count. */
	ck_assert_int_eq(backup_find_fresh(v, 5, want_both, 2, NOW, 24 * H), -1);
	ck_assert_int_eq(backup_find_fresh(v, 5, want_both, 2, NOW, 31 * H), 2);
	/* At exactly the limit it is not younger. */
	ck_assert_int_eq(backup_find_fresh(v, 5, want_both, 2, NOW, 30 * H), -1);
	ck_assert_int_eq(backup_find_fresh(v, 5, want_both, 2, NOW, 30 * H + 1), 2);
	/* The stored form counts: its meta is in storage. */
	ck_assert_int_eq(backup_find_fresh(v + 3, 1, want_both, 2, NOW, 51 * H), 0);
	/* Nothing named: any usable backup younger than the limit. */
	ck_assert_int_eq(backup_find_fresh(v, 5, NULL, 0, NOW, 3 * H), 1);
	ck_assert_int_eq(backup_find_fresh(v, 5, NULL, 0, NOW, 1 * H), -1);
	/* A time ahead of ours (clock skew) is fresh, an unknown one is not. */
	v[1].taken_ms = NOW + 5000;
	ck_assert_int_eq(backup_find_fresh(v, 5, want_docs, 1, NOW, 1 * H), 1);
	v[1].taken_ms = 0;
	ck_assert_int_eq(backup_find_fresh(v, 5, want_docs, 1, NOW, 24 * H), -1);
}
END_TEST

START_TEST(test_rpo)
{
	struct backup_collection both[] = { c_docs, c_logs };
	struct backup_coll_name colls[] = { { "default", "docs" }, { "db2", "logs" },
	    { "db3", "new" } };
	struct backup_rpo out[3];
	struct backup_brief v[3];

	v[0] = mk("old_both", BACKUP_TASK_SUCCESS, NOW - 30 * H, both, 2);
	v[1] = mk("docs", BACKUP_TASK_STORED, NOW - 2 * H, &c_docs, 1);
	v[2] = mk("failed_new", BACKUP_TASK_FAIL, NOW - 1 * H, both, 2);
	ck_assert_uint_eq(backup_rpo(colls, 3, v, 3, 0, NOW, 24 * H, out), 2);
	ck_assert_int_eq(out[0].status, BACKUP_RPO_OK);
	ck_assert_int_eq(out[0].backup, 1);
	ck_assert_int_eq(out[0].age_ms, 2 * H);
	ck_assert_int_eq(out[0].last_ms, NOW - 2 * H);
	ck_assert_int_eq(out[1].status, BACKUP_RPO_OLD);	/* the failed one is newer */
	ck_assert_int_eq(out[1].backup, 0);
	ck_assert_int_eq(out[1].age_ms, 30 * H);
	ck_assert_int_eq(out[2].status, BACKUP_RPO_NONE);
	ck_assert_int_eq(out[2].backup, -1);
	ck_assert_int_eq(out[2].age_ms, -1);
	/* At exactly the target it is met; a millisecond more is not. */
	ck_assert_uint_eq(backup_rpo(colls, 1, v, 3, 0, NOW, 2 * H, out), 0);
	ck_assert_uint_eq(backup_rpo(colls, 1, v, 3, 0, NOW, 2 * H - 1, out), 1);
	/* Unreadable backups: what is shown within target stays ok; the rest
	 * is unknown, and counts as missed. */
	ck_assert_uint_eq(backup_rpo(colls, 3, v, 3, 2, NOW, 24 * H, out), 2);
	ck_assert_int_eq(out[0].status, BACKUP_RPO_OK);
	ck_assert_int_eq(out[1].status, BACKUP_RPO_UNKNOWN);
	ck_assert_int_eq(out[2].status, BACKUP_RPO_UNKNOWN);
	/* A clock ahead of ours is age 0, not negative. */
	v[1].taken_ms = NOW + 5000;
	backup_rpo(colls, 1, v, 3, 0, NOW, 24 * H, out);
	ck_assert_int_eq(out[0].age_ms, 0);
	ck_assert_str_eq(backup_rpo_status_name(BACKUP_RPO_OLD), "old");
}
END_TEST

static struct backup_result
res_task(int err, enum backup_task_state st, int progress, const char *error)
{
	struct backup_result r;

	memset(&r, 0, sizeof r);
	r.err = err;
	r.brief.state = st;
	r.brief.progress = progress;
	r.brief.error = (char *)error;
	r.restore.state = st;
	r.restore.progress = progress;
	r.restore.error = (char *)error;
	snprintf(r.errmsg, sizeof r.errmsg, "%s", error != NULL ? error : "");
	return r;
}

START_TEST(test_wait_judge)
{
	struct backup_wait_opts o = { .stall_ms = 10000, .unreachable_ms = 5000 };
	struct backup_wait_track t;
	struct backup_result r;
	char msg[512];

	memset(&t, 0, sizeof t);
	r = res_task(BACKUP_OK, BACKUP_TASK_INITIAL, 1, NULL);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 1000, &o, msg,
	    sizeof msg), BACKUP_WAIT_GOING);
	/* Initial for the stall time: never started, with the contract's cause. */
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 11000, &o, msg,
	    sizeof msg), BACKUP_WAIT_NEVER_STARTED);
	ck_assert_ptr_nonnull(strstr(msg, "still initial after 10.0s"));
	ck_assert_ptr_nonnull(strstr(msg, "pick a fresh name"));

	/* Executing never ends by itself; failure ends with the server's words. */
	memset(&t, 0, sizeof t);
	r = res_task(BACKUP_OK, BACKUP_TASK_EXECUTING, 40, NULL);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_RESTORE, &r, 0, &o, msg, sizeof msg),
	    BACKUP_WAIT_GOING);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_RESTORE, &r, 100000, &o, msg,
	    sizeof msg), BACKUP_WAIT_GOING);
	r = res_task(BACKUP_OK, BACKUP_TASK_FAIL, 0, "storage full");
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_RESTORE, &r, 100500, &o, msg,
	    sizeof msg), BACKUP_WAIT_FAILED);
	ck_assert_str_eq(msg, "storage full");

	/* No answer: tolerated for unreachable_ms after the last answer. */
	memset(&t, 0, sizeof t);
	r = res_task(BACKUP_OK, BACKUP_TASK_EXECUTING, 40, NULL);
	backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 0, &o, msg, sizeof msg);
	r = res_task(BACKUP_EUNREACHABLE, 0, 0, "cannot reach");
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 4999, &o, msg,
	    sizeof msg), BACKUP_WAIT_GOING);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, NULL, 4999, &o, msg,
	    sizeof msg), BACKUP_WAIT_GOING);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 5000, &o, msg,
	    sizeof msg), BACKUP_WAIT_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(msg, "may still run"));
	/* ...then it comes back without the task: lost. */
	memset(&t, 0, sizeof t);
	r = res_task(BACKUP_ETASKLOST, 0, 0, "milvus-backup has no such task");
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 3000, &o, msg,
	    sizeof msg), BACKUP_WAIT_LOST);
	ck_assert_str_eq(msg, "milvus-backup has no such task");
	/* Success and the stored form both end well. */
	r = res_task(BACKUP_OK, BACKUP_TASK_SUCCESS, 100, NULL);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 3000, &o, msg,
	    sizeof msg), BACKUP_WAIT_SUCCESS);
	r = res_task(BACKUP_OK, BACKUP_TASK_STORED, -1, NULL);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 3000, &o, msg,
	    sizeof msg), BACKUP_WAIT_SUCCESS);
	/* Another error from the server ends it with that error. */
	r = res_task(BACKUP_ESERVER, 0, 0, "code 2: no permission");
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 3000, &o, msg,
	    sizeof msg), BACKUP_WAIT_FAILED);
	ck_assert_str_eq(msg, "code 2: no permission");
	/* stall 0: initial forever never ends the wait by itself. */
	o.stall_ms = 0;
	memset(&t, 0, sizeof t);
	r = res_task(BACKUP_OK, BACKUP_TASK_INITIAL, 1, NULL);
	ck_assert_int_eq(backup_wait_judge(&t, BACKUP_WAIT_CREATE, &r, 1 << 30, &o, msg,
	    sizeof msg), BACKUP_WAIT_GOING);
	ck_assert_ptr_nonnull(strstr(backup_stall_hint(BACKUP_WAIT_RESTORE,
	    BACKUP_TASK_EXECUTING), "building indexes"));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-ops");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, test_sel_parse);
	tcase_add_test(tc, test_renames_targets);
	tcase_add_test(tc, test_auto_name);
	tcase_add_test(tc, test_catalog_basics);
	tcase_add_test(tc, test_find_fresh);
	tcase_add_test(tc, test_rpo);
	tcase_add_test(tc, test_wait_judge);
	suite_add_tcase(s, tc);
	return s;
}
