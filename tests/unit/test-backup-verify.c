/* SPDX-License-Identifier: MIT */
/* Unit tests for verification's judgements (src/ops/backup/backup-verify.c)
 * and milvusadm's record of a backup's source (backup-record.c): every level
 * passes only with its numbers, a mismatch fails with them, and what cannot
 * be checked is never a pass. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"

static struct backup_collection
coll(const char *db, const char *name, int64_t size)
{
	struct backup_collection c;

	memset(&c, 0, sizeof c);
	c.db = (char *)db;
	c.name = (char *)name;
	c.size = size;
	c.rows = c.partitions = c.segments = -1;
	return c;
}

static struct backup_meta_coll
mcoll(const char *db, const char *name, int64_t size, int64_t rows)
{
	struct backup_meta_coll m;

	memset(&m, 0, sizeof m);
	m.db = (char *)db;
	m.name = (char *)name;
	m.size = m.part_size_sum = m.seg_size_sum = m.log_size_sum = size;
	m.rows = rows;
	m.partitions = 1;
	m.segments = 2;
	return m;
}

START_TEST(test_meta_pass_and_sums)
{
	struct backup_collection bc[2] = { coll("default", "a", 100), coll("db1", "b", 50) };
	struct backup_meta_coll mc[2] = { mcoll("default", "a", 100, 10),
	    mcoll("db1", "b", 50, 5) };
	struct backup_brief b = { .name = "bk", .size = 150, .colls = bc, .n_colls = 2 };
	struct backup_meta m = { .name = "bk", .size = 150, .format = BACKUP_FORMAT_BINLOG,
	    .colls = mc, .n_colls = 2 };
	struct backup_verify_coll out[2];
	struct backup_verdict top;

	memset(out, 0, sizeof out);
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(top.r, BACKUP_CHECK_PASS);
	ck_assert_ptr_nonnull(strstr(out[0].meta.detail, "10 rows"));

	/* Each level that does not add up is the finding, with its numbers. */
	mc[0].seg_size_sum = 90;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_FAIL);
	ck_assert_int_eq(out[0].meta.expected, 100);
	ck_assert_int_eq(out[0].meta.actual, 90);
	ck_assert_ptr_nonnull(strstr(out[0].meta.detail, "segments add up to 90"));
	mc[0].seg_size_sum = 100;
	mc[0].log_size_sum = 99;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_FAIL);
	ck_assert_ptr_nonnull(strstr(out[0].meta.detail, "binlogs add up to 99"));
	mc[0].log_size_sum = 100;
	mc[0].part_size_sum = 101;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_FAIL);
	mc[0].part_size_sum = 100;
	/* The server's size against the metadata's. */
	bc[1].size = 49;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_FAIL);
	bc[1].size = 50;
	/* The backup's total. */
	m.size = 151;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(top.r, BACKUP_CHECK_FAIL);
	ck_assert_int_eq(top.expected, 151);
	ck_assert_int_eq(top.actual, 150);
	m.size = 150;
	/* A segment with rows and no insert log; rows with no segment. */
	mc[1].empty_segments = 1;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_FAIL);
	mc[1].empty_segments = 0;
	mc[1].segments = 0;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_FAIL);
	mc[1].segments = 2;
	mc[1].partitions = 0;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_FAIL);
	mc[1].partitions = 1;
	/* Sizes absent at a level: not a pass. */
	mc[1].log_size_sum = -1;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_UNVERIFIED);
}
END_TEST

START_TEST(test_meta_missing_and_unread)
{
	struct backup_collection bc[2] = { coll("default", "a", 100), coll("default", "b", 1) };
	struct backup_meta_coll mc[1] = { mcoll("default", "a", 100, 10) };
	struct backup_brief b = { .name = "bk", .size = 101, .colls = bc, .n_colls = 2 };
	struct backup_meta m = { .name = "bk", .size = 100, .format = BACKUP_FORMAT_BINLOG,
	    .colls = mc, .n_colls = 1 };
	struct backup_verify_coll out[2];
	struct backup_verdict top;

	memset(out, 0, sizeof out);
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(out[1].meta.r, BACKUP_CHECK_FAIL);
	ck_assert_ptr_nonnull(strstr(out[1].meta.detail, "missing"));
	ck_assert_int_eq(top.r, BACKUP_CHECK_FAIL);
	/* No metadata and a server that lists no partitions: unverified, with why. */
	backup_verify_meta(&b, NULL, "backup.storage_path is not set", out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_UNVERIFIED);
	ck_assert_ptr_nonnull(strstr(out[0].meta.detail, "storage_path"));
	ck_assert_int_eq(top.r, BACKUP_CHECK_UNVERIFIED);
	/* An older server's record lists them: that much is checked. */
	bc[0].partitions = 1;
	bc[0].segments = 3;
	bc[0].rows = 7;
	backup_verify_meta(&b, NULL, "not set", out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_PASS);
	bc[0].segments = 0;
	backup_verify_meta(&b, NULL, "not set", out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_FAIL);
	/* A backup of nothing. */
	b.n_colls = 0;
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(top.r, BACKUP_CHECK_FAIL);
}
END_TEST

START_TEST(test_meta_snapshot)
{
	struct backup_collection bc[1] = { coll("default", "a", 0) };
	struct backup_meta_coll mc[1] = { mcoll("default", "a", -1, -1) };
	struct backup_brief b = { .name = "s", .size = 0, .colls = bc, .n_colls = 1 };
	struct backup_meta m = { .name = "s", .size = -1, .format = BACKUP_FORMAT_SNAPSHOT,
	    .colls = mc, .n_colls = 1 };
	struct backup_verify_coll out[1];
	struct backup_verdict top;

	memset(out, 0, sizeof out);
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_FAIL);	/* no manifest */
	mc[0].snapshot_path = "bundle/a/manifest.json";
	backup_verify_meta(&b, &m, NULL, out, &top);
	ck_assert_int_eq(out[0].meta.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(top.r, BACKUP_CHECK_PASS);
}
END_TEST

START_TEST(test_rows)
{
	struct backup_meta_coll mc = mcoll("default", "a", 10, 1000);
	struct backup_collection bc = coll("default", "a", 10);
	struct backup_source_coll sc;
	struct backup_verdict v;

	memset(&sc, 0, sizeof sc);
	sc.rows = 990;
	backup_verify_rows(&mc, &bc, &sc, 1000, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(v.expected, 1000);
	backup_verify_rows(&mc, &bc, &sc, 999, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_FAIL);
	ck_assert_int_eq(v.actual, 999);
	ck_assert_ptr_nonnull(strstr(v.detail, "999 rows restored, 1000"));
	/* Delete logs: the segments' rows are an upper bound; milvusadm's count rules. */
	mc.delta_logs = 2;
	backup_verify_rows(&mc, &bc, &sc, 990, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(v.expected, 990);
	backup_verify_rows(&mc, &bc, NULL, 990, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_UNVERIFIED);
	/* Only the server's record (older servers). */
	bc.rows = 5;
	backup_verify_rows(NULL, &bc, NULL, 5, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_PASS);
	/* Nothing to compare with, or nothing counted: never a pass. */
	bc.rows = -1;
	backup_verify_rows(NULL, &bc, NULL, 5, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_UNVERIFIED);
	backup_verify_rows(NULL, NULL, &sc, -1, "not loaded", &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_UNVERIFIED);
	ck_assert_ptr_nonnull(strstr(v.detail, "not loaded"));
}
END_TEST

START_TEST(test_sample)
{
	char *keys[3] = { "1", "2", "\"x\"" };
	uint64_t hash[3] = { 11, 22, 33 };
	char *got[3] = { "\"x\"", "1", "2" };
	uint64_t got_hash[3] = { 33, 11, 22 };
	struct backup_source_coll sc;
	struct backup_verdict v;

	memset(&sc, 0, sizeof sc);
	sc.sample_pks = keys;
	sc.sample_hash = hash;
	sc.n_sample = 3;
	backup_verify_sample(&sc, got, got_hash, 3, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_PASS);
	ck_assert_int_eq(v.actual, 3);
	got_hash[2] = 23;		/* key 2 came back different */
	backup_verify_sample(&sc, got, got_hash, 2, NULL, &v);	/* and key 2 missing */
	ck_assert_int_eq(v.r, BACKUP_CHECK_FAIL);
	ck_assert_ptr_nonnull(strstr(v.detail, "2 of 3 sampled rows match: 1 missing"));
	backup_verify_sample(&sc, got, got_hash, 3, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_FAIL);
	ck_assert_ptr_nonnull(strstr(v.detail, "1 differ (first: key 2)"));
	backup_verify_sample(&sc, NULL, NULL, 0, "timeout", &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_UNVERIFIED);
	backup_verify_sample(NULL, NULL, NULL, 0, NULL, &v);
	ck_assert_int_eq(v.r, BACKUP_CHECK_UNVERIFIED);
	ck_assert_uint_ne(backup_row_hash("{\"a\":1}"), backup_row_hash("{\"a\":2}"));
	ck_assert_uint_eq(backup_row_hash(""), 0xcbf29ce484222325ull);
	ck_assert_int_eq(backup_check_worst(BACKUP_CHECK_PASS, BACKUP_CHECK_SKIPPED),
	    BACKUP_CHECK_PASS);
	ck_assert_int_eq(backup_check_worst(BACKUP_CHECK_UNVERIFIED, BACKUP_CHECK_PASS),
	    BACKUP_CHECK_UNVERIFIED);
	ck_assert_int_eq(backup_check_worst(BACKUP_CHECK_UNVERIFIED, BACKUP_CHECK_FAIL),
	    BACKUP_CHECK_FAIL);
}
END_TEST

START_TEST(test_record_round_trip)
{
	struct backup_source s, back;
	char tmp[] = "/tmp/milvusadm-record-XXXXXX", err[512], path[600];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	setenv("XDG_STATE_HOME", tmp, 1);
	memset(&s, 0, sizeof s);
	s.backup = strdup("nightly_1");
	s.profile = strdup("prod");
	s.taken_ms = 1800000000000LL;
	s.v = calloc(1, sizeof *s.v);
	s.n = 1;
	s.v[0].db = strdup("default");
	s.v[0].name = strdup("c\"1");
	s.v[0].pk = strdup("id");
	s.v[0].rows = 42;
	s.v[0].changed = 3;
	s.v[0].n_sample = 2;
	s.v[0].sample_pks = calloc(2, sizeof (char *));
	s.v[0].sample_hash = calloc(2, sizeof (uint64_t));
	s.v[0].sample_pks[0] = strdup("7");
	s.v[0].sample_pks[1] = strdup("\"k\\\"\"");
	s.v[0].sample_hash[0] = 0xfedcba9876543210ull;	/* beyond 2^53 */
	s.v[0].sample_hash[1] = 1;
	ck_assert_int_eq(backup_source_save(&s, err, sizeof err), 0);
	ck_assert_int_eq(backup_source_load("prod", "nightly_1", &back, err, sizeof err), 0);
	ck_assert_uint_eq(back.n, 1);
	ck_assert_str_eq(back.v[0].name, "c\"1");
	ck_assert_int_eq(back.v[0].rows, 42);
	ck_assert_uint_eq(back.v[0].changed, 3);
	ck_assert_uint_eq(back.v[0].n_sample, 2);
	ck_assert_str_eq(back.v[0].sample_pks[1], "\"k\\\"\"");
	ck_assert_uint_eq(back.v[0].sample_hash[0], 0xfedcba9876543210ull);
	ck_assert_ptr_nonnull(backup_source_find(&back, "default", "c\"1"));
	ck_assert_ptr_null(backup_source_find(&back, "default", "c"));
	backup_source_release(&back);
	/* None saved; a name that would leave the directory; a broken file. */
	ck_assert_int_eq(backup_source_load("prod", "other", &back, err, sizeof err), 1);
	ck_assert_int_eq(backup_source_load("../x", "y", &back, err, sizeof err), -1);
	snprintf(path, sizeof path, "%s/milvusadm/backups/prod/bad.json", tmp);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"collections\":[{\"db\":\"d\",\"name\":\"n\",\"sample\":[[1,2]]}]}", f);
	fclose(f);
	ck_assert_int_eq(backup_source_load("prod", "bad", &back, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad sample"));
	backup_source_release(&s);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-verify");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, test_meta_pass_and_sums);
	tcase_add_test(tc, test_meta_missing_and_unread);
	tcase_add_test(tc, test_meta_snapshot);
	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_sample);
	tcase_add_test(tc, test_record_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
