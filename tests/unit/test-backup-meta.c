/* SPDX-License-Identifier: MIT */
/* Unit tests for a backup's full metadata (meta/full_meta.json, contract §3 and
 * §0.1): the lab's own file, Go's omitempty, the sums and counts a check of a
 * backup relies on, exact hybrid timestamps, the snapshot format, garbage and
 * the bounds. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backup_api.h"

/* What the lab's backup server writes (src/lab/labd-backup-meta.c: meta_top,
 * meta_coll, meta_part, meta_seg): two collections, the first with two
 * segments of four fields each (the RowID field 0 has no fieldID, omitempty),
 * the second with an empty partition. IDs are past 2^53, as Milvus's are. */
static const char lab_meta[] =
    "{\"id\":\"c0ffee-1\",\"state_code\":0,\"name\":\"nightly_1\","
    "\"backup_timestamp\":462946304032243712,\"collection_backups\":["
    "{\"id\":\"c0ffee-1\",\"collection_id\":449577000000000001,\"db_name\":\"default\","
    "\"collection_name\":\"docs\",\"schema\":{\"name\":\"docs\",\"fields\":["
    "{\"fieldID\":100,\"name\":\"id\",\"is_primary_key\":true,\"data_type\":5},"
    "{\"fieldID\":101,\"name\":\"vec\",\"data_type\":101,\"type_params\":"
    "[{\"key\":\"dim\",\"value\":\"4\"}]}]},\"shards_num\":1,\"consistency_level\":2,"
    "\"partition_backups\":[{\"partition_id\":449577000000000002,"
    "\"partition_name\":\"_default\",\"collection_id\":449577000000000001,"
    "\"segment_backups\":["
    "{\"segment_id\":449577000000000010,\"collection_id\":449577000000000001,"
    "\"partition_id\":449577000000000002,\"num_of_rows\":3,\"binlogs\":["
    "{\"binlogs\":[{\"entries_num\":3,\"log_size\":40,\"log_id\":1}]},"
    "{\"fieldID\":1,\"binlogs\":[{\"entries_num\":3,\"log_size\":40,\"log_id\":2}]},"
    "{\"fieldID\":100,\"binlogs\":[{\"entries_num\":3,\"log_size\":50,\"log_id\":3}]},"
    "{\"fieldID\":101,\"binlogs\":[{\"entries_num\":3,\"log_size\":70,\"log_id\":4}]}],"
    "\"size\":200,\"v_channel\":\"by-dev-rootcoord-dml_0_449577000000000001v0\"},"
    "{\"segment_id\":449577000000000011,\"collection_id\":449577000000000001,"
    "\"partition_id\":449577000000000002,\"num_of_rows\":2,\"binlogs\":["
    "{\"binlogs\":[{\"entries_num\":2,\"log_size\":30,\"log_id\":5}]},"
    "{\"fieldID\":1,\"binlogs\":[{\"entries_num\":2,\"log_size\":30,\"log_id\":6}]},"
    "{\"fieldID\":100,\"binlogs\":[{\"entries_num\":2,\"log_size\":40,\"log_id\":7}]},"
    "{\"fieldID\":101,\"binlogs\":[{\"entries_num\":2,\"log_size\":60,\"log_id\":8}]}],"
    "\"size\":160,\"v_channel\":\"by-dev-rootcoord-dml_0_449577000000000001v0\"}],"
    "\"size\":360,\"load_state\":\"Loaded\"}],"
    "\"backup_timestamp\":462946304032243712,\"size\":360,\"has_index\":true,"
    "\"index_infos\":[{\"field_name\":\"vec\",\"index_name\":\"vec_idx\","
    "\"index_type\":\"AUTOINDEX\",\"params\":{\"index_type\":\"AUTOINDEX\","
    "\"metric_type\":\"L2\"}}],\"load_state\":\"Loaded\","
    "\"backup_physical_timestamp\":1766000000,\"db_id\":1,"
    "\"virtual_channel_names\":[\"by-dev-rootcoord-dml_0_449577000000000001v0\"]},"
    "{\"id\":\"c0ffee-1\",\"collection_id\":449577000000000020,\"db_name\":\"db2\","
    "\"collection_name\":\"empty\",\"schema\":{\"name\":\"empty\",\"fields\":["
    "{\"fieldID\":100,\"name\":\"id\",\"is_primary_key\":true,\"data_type\":5}]},"
    "\"shards_num\":1,\"consistency_level\":2,\"partition_backups\":["
    "{\"partition_id\":449577000000000021,\"partition_name\":\"_default\","
    "\"collection_id\":449577000000000020,\"size\":0,\"load_state\":\"NotLoad\"}],"
    "\"backup_timestamp\":462946304032243712,\"size\":0,\"has_index\":false,"
    "\"load_state\":\"NotLoad\",\"backup_physical_timestamp\":1766000000,\"db_id\":2,"
    "\"virtual_channel_names\":[\"by-dev-rootcoord-dml_1_449577000000000020v0\"]}],"
    "\"size\":360,\"milvus_version\":\"v2.5.4\",\"database_backups\":["
    "{\"db_name\":\"default\",\"db_id\":1},{\"db_name\":\"db2\",\"db_id\":2}]}";

static int
parse(const char *body, struct backup_meta *m, char *err)
{
	return backup_parse_full_meta(body, strlen(body), m, err, 256);
}

/* One collection {...} in a meta with nothing else, parsed; OK expected. */
static void
parse_coll(const char *coll, struct backup_meta *m)
{
	char *body, err[256];
	size_t n = strlen(coll) + 64;

	body = malloc(n);
	ck_assert_ptr_nonnull(body);
	snprintf(body, n, "{\"name\":\"b\",\"collection_backups\":[%s]}", coll);
	ck_assert_msg(parse(body, m, err) == BACKUP_OK, "%s: %s", coll, err);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(m->n_colls, 1);
	free(body);
}

static void
assert_refused(const char *body, size_t len)
{
	struct backup_meta m;
	char err[256] = "untouched";

	memset(&m, 0x5a, sizeof m);	/* out is zeroed first */
	ck_assert_msg(backup_parse_full_meta(body, len, &m, err, sizeof err) == BACKUP_EPROTO,
	    "accepted: %.*s", (int)(len < 80 ? len : 80), body != NULL ? body : "(null)");
	ck_assert_msg(err[0] != '\0' && strcmp(err, "untouched") != 0, "no reason given");
	ck_assert_ptr_null(strchr(err, '\n'));
	/* Nothing half-filled is left behind. */
	ck_assert_ptr_null(m.name);
	ck_assert_ptr_null(m.colls);
	ck_assert_uint_eq(m.n_colls, 0);
	backup_meta_release(&m);
}

START_TEST(test_lab_meta)
{
	struct backup_meta m;
	const struct backup_meta_coll *c;
	char err[256];

	ck_assert_int_eq(parse(lab_meta, &m, err), BACKUP_OK);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(m.name, "nightly_1");
	ck_assert_str_eq(m.id, "c0ffee-1");
	ck_assert_int_eq(m.size, 360);
	ck_assert_int_eq(m.taken_ms, 1766000000123LL);
	ck_assert_int_eq(m.format, BACKUP_FORMAT_BINLOG);
	ck_assert_str_eq(m.milvus_version, "v2.5.4");
	ck_assert_uint_eq(m.n_colls, 2);
	c = &m.colls[0];
	ck_assert_str_eq(c->db, "default");
	ck_assert_str_eq(c->name, "docs");
	ck_assert_int_eq(c->id, 449577000000000001LL);	/* past 2^53, exact */
	ck_assert_int_eq(c->size, 360);
	ck_assert_int_eq(c->part_size_sum, 360);
	ck_assert_int_eq(c->seg_size_sum, 360);
	ck_assert_int_eq(c->log_size_sum, 360);
	ck_assert_int_eq(c->rows, 5);
	ck_assert_int_eq(c->partitions, 1);
	ck_assert_int_eq(c->segments, 2);
	ck_assert_int_eq(c->delta_logs, 0);
	ck_assert_int_eq(c->empty_segments, 0);
	ck_assert_ptr_null(c->snapshot_path);
	c = &m.colls[1];
	ck_assert_str_eq(c->db, "db2");
	ck_assert_str_eq(c->name, "empty");
	ck_assert_int_eq(c->id, 449577000000000020LL);
	ck_assert_int_eq(c->size, 0);
	ck_assert_int_eq(c->part_size_sum, 0);
	ck_assert_int_eq(c->seg_size_sum, 0);
	ck_assert_int_eq(c->log_size_sum, 0);
	ck_assert_int_eq(c->rows, 0);
	ck_assert_int_eq(c->partitions, 1);
	ck_assert_int_eq(c->segments, 0);
	backup_meta_release(&m);
	/* Released twice, and the struct reused: both fine. */
	backup_meta_release(&m);
	ck_assert_int_eq(parse(lab_meta, &m, err), BACKUP_OK);
	backup_meta_release(&m);
}
END_TEST

/* Go encoding/json's omitempty (contract §0.1): empty strings, zero ints and
 * empty lists are absent; a nil list without omitempty is null. */
START_TEST(test_omitempty)
{
	struct backup_meta m;
	const struct backup_meta_coll *c;
	char err[256];

	ck_assert_int_eq(parse("{\"size\":0,\"collection_backups\":[{\"collection_name\":\"c\","
	    "\"size\":10,\"partition_backups\":[{\"size\":10,\"segment_backups\":["
	    "{\"binlogs\":[{\"binlogs\":[{\"log_size\":10}]}],\"size\":10},"
	    "{\"num_of_rows\":4,\"binlogs\":[{\"fieldID\":100,\"binlogs\":[{\"log_size\":0}]}],"
	    "\"deltalogs\":null,\"size\":0}]}]}],\"format\":\"\"}", &m, err), BACKUP_OK);
	ck_assert_ptr_null(m.name);
	ck_assert_ptr_null(m.id);
	ck_assert_ptr_null(m.milvus_version);
	ck_assert_int_eq(m.size, 0);
	ck_assert_int_eq(m.taken_ms, 0);		/* absent */
	ck_assert_int_eq(m.format, BACKUP_FORMAT_BINLOG);	/* "" */
	c = &m.colls[0];
	ck_assert_str_eq(c->db, "default");		/* db_name omitted */
	ck_assert_int_eq(c->id, 0);
	ck_assert_int_eq(c->rows, 4);			/* num_of_rows omitted: 0 */
	ck_assert_int_eq(c->seg_size_sum, 10);
	ck_assert_int_eq(c->log_size_sum, 10);
	ck_assert_int_eq(c->segments, 2);
	ck_assert_int_eq(c->empty_segments, 0);	/* no rows, nothing to miss */
	backup_meta_release(&m);

	/* No collection_backups at all (omitempty), or null. */
	ck_assert_int_eq(parse("{\"name\":\"b\"}", &m, err), BACKUP_OK);
	ck_assert_uint_eq(m.n_colls, 0);
	ck_assert_int_eq(m.size, -1);
	backup_meta_release(&m);
	ck_assert_int_eq(parse("{\"collection_backups\":null}", &m, err), BACKUP_OK);
	ck_assert_uint_eq(m.n_colls, 0);
	backup_meta_release(&m);
	/* A collection record without a name keeps its place. */
	parse_coll("{\"db_name\":\"\"}", &m);
	ck_assert_str_eq(m.colls[0].name, "");
	ck_assert_str_eq(m.colls[0].db, "default");
	ck_assert_int_eq(m.colls[0].size, -1);
	ck_assert_int_eq(m.colls[0].partitions, 0);
	backup_meta_release(&m);
}
END_TEST

START_TEST(test_sums)
{
	struct backup_meta m;
	const struct backup_meta_coll *c;

	/* Two partitions, three segments, binlogs and deltalogs in both. */
	parse_coll("{\"collection_name\":\"c\",\"size\":1000,\"partition_backups\":["
	    "{\"size\":600,\"segment_backups\":["
	    "{\"num_of_rows\":10,\"binlogs\":[{\"fieldID\":100,\"binlogs\":[{\"log_size\":100},"
	    "{\"log_size\":200}]},{\"fieldID\":101,\"binlogs\":[{\"log_size\":50}]}],"
	    "\"deltalogs\":[{\"binlogs\":[{\"log_size\":25}]}],\"size\":375},"
	    "{\"num_of_rows\":1,\"binlogs\":[{\"binlogs\":[{\"log_size\":225}]}],\"size\":225}]},"
	    "{\"size\":400,\"segment_backups\":[{\"num_of_rows\":100,\"binlogs\":"
	    "[{\"binlogs\":[{\"log_size\":399}]}],\"deltalogs\":[{\"binlogs\":[{\"log_size\":1}]}],"
	    "\"size\":400}]}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->size, 1000);
	ck_assert_int_eq(c->part_size_sum, 1000);
	ck_assert_int_eq(c->seg_size_sum, 1000);
	ck_assert_int_eq(c->log_size_sum, 1000);
	ck_assert_int_eq(c->rows, 111);
	ck_assert_int_eq(c->partitions, 2);
	ck_assert_int_eq(c->segments, 3);
	ck_assert_int_eq(c->delta_logs, 2);
	ck_assert_int_eq(c->empty_segments, 0);
	backup_meta_release(&m);
}
END_TEST

/* "size" and "log_size" are never omitted by Go: a missing one is -1, and so
 * is the sum it belonged to; the others stay. */
START_TEST(test_missing_size)
{
	struct backup_meta m;
	const struct backup_meta_coll *c;

	parse_coll("{\"partition_backups\":[{\"segment_backups\":[{\"num_of_rows\":1,"
	    "\"binlogs\":[{\"binlogs\":[{\"log_size\":7}]}],\"size\":7}]},{\"size\":3}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->size, -1);
	ck_assert_int_eq(c->part_size_sum, -1);	/* the first partition has none */
	ck_assert_int_eq(c->seg_size_sum, 7);
	ck_assert_int_eq(c->log_size_sum, 7);
	backup_meta_release(&m);

	parse_coll("{\"size\":5,\"partition_backups\":[{\"size\":5,\"segment_backups\":["
	    "{\"binlogs\":[{\"binlogs\":[{\"log_size\":5}]}]},{\"size\":0}]}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->size, 5);
	ck_assert_int_eq(c->part_size_sum, 5);
	ck_assert_int_eq(c->seg_size_sum, -1);	/* the first segment has none */
	ck_assert_int_eq(c->log_size_sum, 5);
	backup_meta_release(&m);

	/* A binlog without log_size, in the deltalogs. */
	parse_coll("{\"size\":5,\"partition_backups\":[{\"size\":5,\"segment_backups\":["
	    "{\"binlogs\":[{\"binlogs\":[{\"log_size\":5}]}],\"deltalogs\":[{\"binlogs\":"
	    "[{\"log_id\":9}]}],\"size\":5}]}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->seg_size_sum, 5);
	ck_assert_int_eq(c->log_size_sum, -1);
	ck_assert_int_eq(c->delta_logs, 1);
	backup_meta_release(&m);

	/* Top level. */
	parse_coll("{}", &m);
	ck_assert_int_eq(m.size, -1);
	backup_meta_release(&m);
}
END_TEST

START_TEST(test_empty_segment)
{
	struct backup_meta m;
	const struct backup_meta_coll *c;

	parse_coll("{\"partition_backups\":[{\"size\":0,\"segment_backups\":["
	    /* rows, no binlogs at all */
	    "{\"num_of_rows\":7,\"size\":0},"
	    /* rows, a field with an empty list */
	    "{\"num_of_rows\":3,\"binlogs\":[{\"fieldID\":100,\"binlogs\":[]}],\"size\":0},"
	    /* rows, deltalogs only: still no insert binlog */
	    "{\"num_of_rows\":2,\"deltalogs\":[{\"binlogs\":[{\"log_size\":1}]}],\"size\":1},"
	    /* no rows, no binlogs (an L0 segment): nothing missing */
	    "{\"deltalogs\":[{\"binlogs\":[{\"log_size\":4}]}],\"size\":4},"
	    /* rows with binlogs, twice */
	    "{\"num_of_rows\":1,\"binlogs\":[{\"binlogs\":[{\"log_size\":1}]}],\"size\":1},"
	    "{\"num_of_rows\":1,\"binlogs\":[{\"binlogs\":[{\"log_size\":1}]}],\"size\":1}"
	    "]}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->segments, 6);
	ck_assert_int_eq(c->empty_segments, 3);
	ck_assert_int_eq(c->rows, 14);
	ck_assert_int_eq(c->delta_logs, 2);
	ck_assert_int_eq(c->log_size_sum, 7);
	ck_assert_int_eq(c->seg_size_sum, 7);
	backup_meta_release(&m);
}
END_TEST

START_TEST(test_deltalogs)
{
	struct backup_meta m;
	const struct backup_meta_coll *c;

	parse_coll("{\"partition_backups\":[{\"size\":60,\"segment_backups\":[{\"num_of_rows\":5,"
	    "\"binlogs\":[{\"fieldID\":100,\"binlogs\":[{\"log_size\":30}]}],"
	    "\"deltalogs\":[{\"binlogs\":[{\"entries_num\":1,\"log_size\":10,\"log_id\":1},"
	    "{\"entries_num\":2,\"log_size\":20,\"log_id\":2}]}],\"size\":60}]},"
	    "{\"size\":5,\"segment_backups\":[{\"deltalogs\":[{\"binlogs\":[{\"log_size\":5}]},"
	    "{\"fieldID\":0,\"binlogs\":[{\"log_size\":0}]}],\"size\":5}]}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->delta_logs, 4);
	ck_assert_int_eq(c->log_size_sum, 65);
	ck_assert_int_eq(c->seg_size_sum, 65);
	ck_assert_int_eq(c->part_size_sum, 65);
	ck_assert_int_eq(c->empty_segments, 0);
	backup_meta_release(&m);
}
END_TEST

/* backup_timestamp is a hybrid TS (ms << 18 | logical) past 2^53: read from
 * its digits. Through a double, 462946304032505855 rounds up to the next
 * millisecond. */
START_TEST(test_timestamp_exact)
{
	static const struct { const char *ts; int64_t ms; } cases[] = {
		{ "462946304032505855", 1766000000123LL },	/* logical bits all set */
		{ "462946304032243712", 1766000000123LL },
		{ "18446744073709551615", 70368744177663LL },	/* UINT64_MAX */
		{ "262143", 0 },
		{ "262144", 1 },
		{ "18446744073709551616", 0 },		/* past uint64 */
		{ "-462946304032505855", 0 },
		{ "4.6e17", 0 },
		{ "\"462946304032505855\"", 1766000000123LL },	/* digits in a string */
		{ "\"soon\"", 0 },
		{ "null", 0 },
		{ "true", 0 },
	};
	struct backup_meta m;
	char body[128], err[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(body, sizeof body, "{\"backup_timestamp\":%s}", cases[i].ts);
		ck_assert_msg(parse(body, &m, err) == BACKUP_OK, "%s: %s", body, err);
		ck_assert_msg(m.taken_ms == cases[i].ms, "%s: %lld", cases[i].ts,
		    (long long)m.taken_ms);
		backup_meta_release(&m);
	}
}
END_TEST

START_TEST(test_snapshot_format)
{
	struct backup_meta m;
	char err[256];

	/* 0.6 snapshot format: no partition_backups, the bundle's metadata path. */
	ck_assert_int_eq(parse("{\"name\":\"s\",\"format\":\"snapshot\",\"size\":4096,"
	    "\"collection_backups\":[{\"collection_id\":449577,\"db_name\":\"default\","
	    "\"collection_name\":\"docs\",\"size\":4096,\"snapshot_backup\":{\"metadata_path\":"
	    "\"bundle/snapshots/449577/metadata/449580.json\",\"total_files\":3,"
	    "\"total_bytes\":8192}},{\"collection_name\":\"other\",\"size\":0}]}", &m, err),
	    BACKUP_OK);
	ck_assert_int_eq(m.format, BACKUP_FORMAT_SNAPSHOT);
	ck_assert_uint_eq(m.n_colls, 2);
	ck_assert_str_eq(m.colls[0].snapshot_path, "bundle/snapshots/449577/metadata/449580.json");
	ck_assert_int_eq(m.colls[0].size, 4096);
	ck_assert_int_eq(m.colls[0].partitions, 0);
	ck_assert_int_eq(m.colls[0].segments, 0);
	ck_assert_int_eq(m.colls[0].part_size_sum, 0);
	ck_assert_ptr_null(m.colls[1].snapshot_path);
	backup_meta_release(&m);

	/* Only "" and "snapshot" are formats (internal/meta); a snapshot_backup
	 * that is not an object, or a path that is not a string, gives none. */
	ck_assert_int_eq(parse("{\"format\":\"binlog\"}", &m, err), BACKUP_OK);
	ck_assert_int_eq(m.format, BACKUP_FORMAT_UNKNOWN);
	backup_meta_release(&m);
	ck_assert_int_eq(parse("{\"format\":\"Snapshot\"}", &m, err), BACKUP_OK);
	ck_assert_int_eq(m.format, BACKUP_FORMAT_UNKNOWN);
	backup_meta_release(&m);
	ck_assert_int_eq(parse("{\"format\":1}", &m, err), BACKUP_OK);
	ck_assert_int_eq(m.format, BACKUP_FORMAT_UNKNOWN);
	backup_meta_release(&m);
	parse_coll("{\"snapshot_backup\":\"bundle/x.json\"}", &m);
	ck_assert_ptr_null(m.colls[0].snapshot_path);
	backup_meta_release(&m);
	parse_coll("{\"snapshot_backup\":{\"metadata_path\":7}}", &m);
	ck_assert_ptr_null(m.colls[0].snapshot_path);
	backup_meta_release(&m);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bodies[] = {
		"", " ", "[]", "[{}]", "\"{}\"", "42", "null", "true", "{", "{\"name\":",
		"not json", "{\"name\" \"a\"}", "{\"a\":1,}",
		/* collection_backups not a list */
		"{\"collection_backups\":{}}", "{\"collection_backups\":\"docs\"}",
		"{\"collection_backups\":7}", "{\"collection_backups\":true}",
		/* deeper shapes */
		"{\"collection_backups\":[7]}", "{\"collection_backups\":[{},[]]}",
		"{\"collection_backups\":[{\"partition_backups\":{}}]}",
		"{\"collection_backups\":[{\"partition_backups\":[null]}]}",
		"{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":\"x\"}]}]}",
		"{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":[1]}]}]}",
		"{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":"
		    "[{\"binlogs\":{}}]}]}]}",
		"{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":"
		    "[{\"binlogs\":[3]}]}]}]}",
		"{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":"
		    "[{\"deltalogs\":[{\"binlogs\":{}}]}]}]}]}",
		"{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":"
		    "[{\"deltalogs\":[{\"binlogs\":[\"x\"]}]}]}]}]}",
	};
	struct backup_meta m;
	char err[4];
	size_t i;

	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
		assert_refused(bodies[i], strlen(bodies[i]));
	assert_refused(NULL, 0);
	assert_refused(NULL, 10);
	/* A NUL inside, and a body cut short. */
	assert_refused("{\"name\":\"a\0\"}", 12);
	assert_refused(lab_meta, sizeof lab_meta - 2);
	/* A small err buffer, or none, still works. */
	ck_assert_int_eq(backup_parse_full_meta("[]", 2, &m, err, sizeof err), BACKUP_EPROTO);
	ck_assert_uint_eq(strlen(err), sizeof err - 1);
	ck_assert_int_eq(backup_parse_full_meta("[]", 2, &m, NULL, 0), BACKUP_EPROTO);
	ck_assert_int_eq(backup_parse_full_meta("{}", 2, &m, NULL, 0), BACKUP_OK);
	backup_meta_release(&m);
	backup_meta_release(NULL);
}
END_TEST

/* Numbers no int64 holds, fractions, negatives, strings where numbers go,
 * and sums past INT64_MAX: -1 (or 0 for an id), never a wrapped value. */
START_TEST(test_huge_numbers)
{
	static const char *const bad[] = {
		"9223372036854775808", "99999999999999999999", "999999999999999999999999",
		"1e400", "-1e400", "1.5", "-1", "-9223372036854775809", "\"12\"x", "\"ten\"",
		"true", "[]", "{}", "null",
	};
	struct backup_meta m;
	const struct backup_meta_coll *c;
	char body[1024], err[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(body, sizeof body, "{\"size\":%s,\"collection_backups\":[{"
		    "\"collection_id\":%s,\"size\":%s,\"partition_backups\":[{\"size\":%s,"
		    "\"segment_backups\":[{\"num_of_rows\":%s,\"binlogs\":[{\"binlogs\":"
		    "[{\"log_size\":%s}]}],\"size\":%s}]}]}]}", bad[i], bad[i], bad[i], bad[i],
		    bad[i], bad[i], bad[i]);
		if (parse(body, &m, err) != BACKUP_OK) {
			/* Not JSON at all ("12"x): refused whole, which is fine too. */
			ck_assert_msg(strcmp(bad[i], "\"12\"x") == 0, "%s: %s", bad[i], err);
			backup_meta_release(&m);
			continue;
		}
		c = &m.colls[0];
		ck_assert_msg(m.size == -1, "%s: size %lld", bad[i], (long long)m.size);
		ck_assert_msg(c->id == 0, "%s: id %lld", bad[i], (long long)c->id);
		ck_assert_msg(c->size == -1 && c->part_size_sum == -1 && c->seg_size_sum == -1 &&
		    c->log_size_sum == -1, "%s: a size survived", bad[i]);
		ck_assert_msg(c->rows == -1, "%s: rows %lld", bad[i], (long long)c->rows);
		ck_assert_int_eq(c->empty_segments, 0);
		backup_meta_release(&m);
	}

	/* Each value fits; their sums do not. */
	parse_coll("{\"partition_backups\":[{\"size\":9223372036854775807,\"segment_backups\":["
	    "{\"num_of_rows\":9223372036854775807,\"binlogs\":[{\"binlogs\":["
	    "{\"log_size\":9223372036854775807},{\"log_size\":1}]}],\"size\":9223372036854775807},"
	    "{\"num_of_rows\":1,\"binlogs\":[{\"binlogs\":[{\"log_size\":0}]}],\"size\":1}]},"
	    "{\"size\":1}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->part_size_sum, -1);
	ck_assert_int_eq(c->seg_size_sum, -1);
	ck_assert_int_eq(c->log_size_sum, -1);
	ck_assert_int_eq(c->rows, -1);
	ck_assert_int_eq(c->segments, 2);
	backup_meta_release(&m);

	/* INT64_MAX itself is a value, not an overflow. */
	parse_coll("{\"size\":9223372036854775807,\"partition_backups\":[{\"size\":"
	    "9223372036854775807,\"segment_backups\":[{\"num_of_rows\":9223372036854775807,"
	    "\"size\":0}]}]}", &m);
	c = &m.colls[0];
	ck_assert_int_eq(c->size, INT64_MAX);
	ck_assert_int_eq(c->part_size_sum, INT64_MAX);
	ck_assert_int_eq(c->rows, INT64_MAX);
	ck_assert_int_eq(c->empty_segments, 1);
	backup_meta_release(&m);
}
END_TEST

static char *
nested(size_t depth, const char *head, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + 2 * depth + tl + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	memset(s + hl, '[', depth);
	memset(s + hl + depth, ']', depth);
	memcpy(s + hl + 2 * depth, tail, tl + 1);
	return s;
}

START_TEST(test_deep_nesting)
{
	struct backup_meta m;
	char err[256], *s;

	/* Past cJSON's nesting limit: refused, not a stack overflow. */
	s = nested(100000, "", "");
	assert_refused(s, strlen(s));
	free(s);
	s = nested(5000, "{\"name\":\"b\",\"x\":", "}");
	assert_refused(s, strlen(s));
	free(s);
	s = nested(5000, "{\"collection_backups\":[{\"partition_backups\":[{\"segment_backups\":"
	    "[{\"binlogs\":", "}]}]}]}");
	assert_refused(s, strlen(s));
	free(s);
	/* Within it, an unknown deep member is only skipped. */
	s = nested(200, "{\"name\":\"b\",\"x\":", "}");
	ck_assert_int_eq(parse(s, &m, err), BACKUP_OK);
	ck_assert_str_eq(m.name, "b");
	backup_meta_release(&m);
	free(s);
}
END_TEST

/* n copies of item joined by commas inside head ... tail. */
static char *
repeated(const char *head, const char *item, size_t n, const char *tail)
{
	size_t hl = strlen(head), il = strlen(item), tl = strlen(tail), i;
	char *s = malloc(hl + n * (il + 1) + tl + 1), *p;

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	p = s + hl;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		memcpy(p, item, il);
		p += il;
	}
	memcpy(p, tail, tl + 1);
	return s;
}

START_TEST(test_collection_bound)
{
	struct backup_meta m;
	char err[256], *s;

	s = repeated("{\"collection_backups\":[", "{}", 100000, "]}");
	ck_assert_int_eq(parse(s, &m, err), BACKUP_OK);
	ck_assert_uint_eq(m.n_colls, 100000);
	backup_meta_release(&m);
	free(s);
	s = repeated("{\"collection_backups\":[", "{}", 100001, "]}");
	assert_refused(s, strlen(s));
	ck_assert_int_eq(parse(s, &m, err), BACKUP_EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "100000 collections"));
	free(s);
}
END_TEST

/* 10,000,000 segments in total, over collections: the last one past it is
 * refused. Ten collections of a million empty segment records each. */
START_TEST(test_segment_bound)
{
	struct backup_meta m;
	char err[256], *seg, *coll, *s;

	seg = repeated("{\"partition_backups\":[{\"segment_backups\":[", "{}", 1000000, "]}]}");
	coll = repeated("{\"collection_backups\":[", seg, 10, "");
	free(seg);
	s = malloc(strlen(coll) + 64);
	ck_assert_ptr_nonnull(s);
	sprintf(s, "%s]}", coll);
	ck_assert_int_eq(parse(s, &m, err), BACKUP_OK);
	ck_assert_uint_eq(m.n_colls, 10);
	ck_assert_int_eq(m.colls[9].segments, 1000000);
	backup_meta_release(&m);
	sprintf(s, "%s,{\"partition_backups\":[{\"segment_backups\":[{}]}]}]}", coll);
	ck_assert_int_eq(parse(s, &m, err), BACKUP_EPROTO);
	ck_assert_ptr_nonnull(strstr(err, "10000000 segments"));
	ck_assert_ptr_null(m.colls);
	free(coll);
	free(s);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-meta");
	TCase *tc = tcase_create("full_meta");
	TCase *big = tcase_create("bounds");

	tcase_add_test(tc, test_lab_meta);
	tcase_add_test(tc, test_omitempty);
	tcase_add_test(tc, test_sums);
	tcase_add_test(tc, test_missing_size);
	tcase_add_test(tc, test_empty_segment);
	tcase_add_test(tc, test_deltalogs);
	tcase_add_test(tc, test_timestamp_exact);
	tcase_add_test(tc, test_snapshot_format);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_huge_numbers);
	tcase_add_test(tc, test_deep_nesting);
	suite_add_tcase(s, tc);
	tcase_add_test(big, test_collection_bound);
	tcase_add_test(big, test_segment_bound);
	tcase_set_timeout(big, 60);
	suite_add_tcase(s, big);
	return s;
}
