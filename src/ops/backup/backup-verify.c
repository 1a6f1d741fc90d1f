/* SPDX-License-Identifier: MIT */
/* The three verification levels as pure judgements: what the backup says it
 * holds (meta), how many rows came back (rows), and whether sampled rows came
 * back unchanged (sample). Every verdict carries its numbers; a level that
 * cannot be checked says why and never passes. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "milvusadm/backups.h"

uint64_t
backup_row_hash(const char *canonical)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const unsigned char *p;

	for (p = (const unsigned char *)canonical; p != NULL && *p != '\0'; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return h;
}

const char *
backup_check_name(enum backup_check c)
{
	switch (c) {
	case BACKUP_CHECK_PASS: return "pass";
	case BACKUP_CHECK_FAIL: return "fail";
	case BACKUP_CHECK_UNVERIFIED: return "unverified";
	case BACKUP_CHECK_SKIPPED: return "skipped";
	}
	return "unknown";
}

enum backup_check
backup_check_worst(enum backup_check a, enum backup_check b)
{
	if (a == BACKUP_CHECK_FAIL || b == BACKUP_CHECK_FAIL)
		return BACKUP_CHECK_FAIL;
	if (a == BACKUP_CHECK_UNVERIFIED || b == BACKUP_CHECK_UNVERIFIED)
		return BACKUP_CHECK_UNVERIFIED;
	if (a == BACKUP_CHECK_PASS || b == BACKUP_CHECK_PASS)
		return BACKUP_CHECK_PASS;
	return BACKUP_CHECK_SKIPPED;
}

static void verdict(struct backup_verdict *v, enum backup_check r, int64_t expected,
    int64_t actual, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
verdict(struct backup_verdict *v, enum backup_check r, int64_t expected, int64_t actual,
    const char *fmt, ...)
{
	va_list ap;

	v->r = r;
	v->expected = expected;
	v->actual = actual;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof v->detail, fmt, ap);
	va_end(ap);
}

static const struct backup_meta_coll *
meta_find(const struct backup_meta *m, const char *db, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n_colls; i++) {
		if (m->colls[i].db != NULL && m->colls[i].name != NULL &&
		    strcmp(m->colls[i].db, db) == 0 && strcmp(m->colls[i].name, name) == 0)
			return &m->colls[i];
	}
	return NULL;
}

/*
 * A binlog-format collection's record adds up when the collection's size is
 * its partitions' sum, which is their segments' sum, which is the sum of the
 * logs they list; and every segment with rows lists its insert logs. The
 * first level that does not add up is the finding.
 */
static void
meta_binlog(const struct backup_collection *bc, const struct backup_meta_coll *mc,
    struct backup_verdict *v)
{
	if (mc->partitions <= 0) {
		verdict(v, BACKUP_CHECK_FAIL, -1, 0, "no partition listed");
		return;
	}
	if (mc->rows > 0 && mc->segments <= 0) {
		verdict(v, BACKUP_CHECK_FAIL, mc->rows, 0, "%" PRId64 " rows recorded but no "
		    "segment listed", mc->rows);
		return;
	}
	if (mc->empty_segments > 0) {
		verdict(v, BACKUP_CHECK_FAIL, 0, mc->empty_segments, "%" PRId64 " segments with "
		    "rows list no insert binlog", mc->empty_segments);
		return;
	}
	if (mc->size < 0 || mc->part_size_sum < 0 || mc->seg_size_sum < 0 ||
	    mc->log_size_sum < 0) {
		verdict(v, BACKUP_CHECK_UNVERIFIED, -1, -1, "%" PRId64 " partitions, %" PRId64
		    " segments listed; sizes not recorded at every level", mc->partitions,
		    mc->segments);
		return;
	}
	if (mc->part_size_sum != mc->size) {
		verdict(v, BACKUP_CHECK_FAIL, mc->size, mc->part_size_sum, "collection size %"
		    PRId64 " B, its partitions add up to %" PRId64 " B", mc->size,
		    mc->part_size_sum);
		return;
	}
	if (mc->seg_size_sum != mc->part_size_sum) {
		verdict(v, BACKUP_CHECK_FAIL, mc->part_size_sum, mc->seg_size_sum, "partitions "
		    "%" PRId64 " B, their segments add up to %" PRId64 " B", mc->part_size_sum,
		    mc->seg_size_sum);
		return;
	}
	if (mc->log_size_sum != mc->seg_size_sum) {
		verdict(v, BACKUP_CHECK_FAIL, mc->seg_size_sum, mc->log_size_sum, "segments %"
		    PRId64 " B, their binlogs add up to %" PRId64 " B", mc->seg_size_sum,
		    mc->log_size_sum);
		return;
	}
	if (bc->size >= 0 && bc->size != mc->size) {
		verdict(v, BACKUP_CHECK_FAIL, mc->size, bc->size, "the server reports %" PRId64
		    " B, the metadata %" PRId64 " B", bc->size, mc->size);
		return;
	}
	verdict(v, BACKUP_CHECK_PASS, mc->size, mc->log_size_sum, "%" PRId64 " partitions, %"
	    PRId64 " segments, %" PRId64 " rows, %" PRId64 " B: sizes add up", mc->partitions,
	    mc->segments, mc->rows, mc->size);
}

/* Without the meta files only an older server's record lists partitions. */
static void
meta_brief_only(const struct backup_collection *bc, const char *why, struct backup_verdict *v)
{
	if (bc->partitions < 0 || bc->segments < 0) {
		verdict(v, BACKUP_CHECK_UNVERIFIED, -1, -1, "partitions and segments are listed "
		    "only in the backup's metadata, not read: %s", why != NULL ? why : "unknown");
		return;
	}
	if (bc->partitions == 0) {
		verdict(v, BACKUP_CHECK_FAIL, -1, 0, "no partition listed");
		return;
	}
	if (bc->rows > 0 && bc->segments == 0) {
		verdict(v, BACKUP_CHECK_FAIL, bc->rows, 0, "%" PRId64 " rows recorded but no "
		    "segment listed", bc->rows);
		return;
	}
	verdict(v, BACKUP_CHECK_PASS, -1, -1, "%" PRId64 " partitions, %" PRId64 " segments "
	    "listed by the server (sizes per segment need the metadata: %s)", bc->partitions,
	    bc->segments, why != NULL ? why : "unknown");
}

void
backup_verify_meta(const struct backup_brief *b, const struct backup_meta *m,
    const char *m_why, struct backup_verify_coll *out, struct backup_verdict *top)
{
	const struct backup_meta_coll *mc;
	int64_t sum = 0;
	bool sizes = true;
	size_t i;

	for (i = 0; i < b->n_colls; i++) {
		const struct backup_collection *bc = &b->colls[i];
		struct backup_verdict *v = &out[i].meta;

		if (m == NULL) {
			meta_brief_only(bc, m_why, v);
			continue;
		}
		if ((mc = meta_find(m, bc->db, bc->name)) == NULL) {
			verdict(v, BACKUP_CHECK_FAIL, 1, 0, "listed by the server, missing from "
			    "the backup's metadata");
			continue;
		}
		if (m->format == BACKUP_FORMAT_SNAPSHOT) {
			/* No partition or segment files: Milvus's own manifest is the record. */
			if (mc->snapshot_path == NULL)
				verdict(v, BACKUP_CHECK_FAIL, 1, 0, "snapshot format without a "
				    "manifest path");
			else
				verdict(v, BACKUP_CHECK_PASS, -1, -1, "snapshot manifest %s",
				    mc->snapshot_path);
			continue;
		}
		meta_binlog(bc, mc, v);
	}
	if (top == NULL)
		return;
	if (b->n_colls == 0) {
		verdict(top, BACKUP_CHECK_FAIL, -1, 0, "the backup lists no collection");
		return;
	}
	if (m == NULL) {
		verdict(top, BACKUP_CHECK_UNVERIFIED, -1, -1, "the backup's metadata was not "
		    "read: %s", m_why != NULL ? m_why : "unknown");
		return;
	}
	if (m->n_colls != b->n_colls) {
		verdict(top, BACKUP_CHECK_FAIL, (int64_t)b->n_colls, (int64_t)m->n_colls,
		    "the server lists %zu collections, the metadata %zu", b->n_colls, m->n_colls);
		return;
	}
	if (m->format == BACKUP_FORMAT_SNAPSHOT) {
		verdict(top, BACKUP_CHECK_PASS, -1, -1, "%zu collections (snapshot format)",
		    m->n_colls);
		return;
	}
	for (i = 0; i < m->n_colls; i++) {
		if (m->colls[i].size < 0 || m->colls[i].size > INT64_MAX - sum)
			sizes = false;
		else
			sum += m->colls[i].size;
	}
	if (!sizes || m->size < 0)
		verdict(top, BACKUP_CHECK_UNVERIFIED, m->size, -1, "%zu collections; sizes not "
		    "recorded", m->n_colls);
	else if (sum != m->size)
		verdict(top, BACKUP_CHECK_FAIL, m->size, sum, "backup size %" PRId64 " B, its "
		    "collections add up to %" PRId64 " B", m->size, sum);
	else if (b->size >= 0 && b->size != m->size)
		verdict(top, BACKUP_CHECK_FAIL, m->size, b->size, "the server reports %" PRId64
		    " B, the metadata %" PRId64 " B", b->size, m->size);
	else
		verdict(top, BACKUP_CHECK_PASS, m->size, sum, "%zu collections, %" PRId64 " B: "
		    "sizes add up", m->n_colls, m->size);
}

void
backup_verify_rows(const struct backup_meta_coll *mc, const struct backup_collection *bc,
    const struct backup_source_coll *sc, int64_t actual, const char *why,
    struct backup_verdict *out)
{
	int64_t want = -1;
	const char *from = NULL;

	/* A delete log makes the segments' rows an upper bound, not the count. */
	if (mc != NULL && mc->rows >= 0 && mc->delta_logs == 0) {
		want = mc->rows;
		from = "the backup's segment records";
	} else if (bc != NULL && bc->rows >= 0 && (mc == NULL || mc->delta_logs == 0)) {
		want = bc->rows;
		from = "the server's record";
	} else if (sc != NULL && sc->rows >= 0) {
		want = sc->rows;
		from = "milvusadm's count at backup time";
	}
	if (want < 0) {
		if (mc != NULL && mc->delta_logs > 0)
			verdict(out, BACKUP_CHECK_UNVERIFIED, -1, actual, "the backup holds %" PRId64
			    " delete logs (its rows count before deletes) and no count from "
			    "backup time", mc->delta_logs);
		else
			verdict(out, BACKUP_CHECK_UNVERIFIED, -1, actual, "no record of the "
			    "source's rows: %s", sc != NULL && sc->rows_why != NULL ? sc->rows_why :
			    "the backup was not taken by milvusadm --wait and its metadata was "
			    "not read");
		return;
	}
	if (actual < 0) {
		verdict(out, BACKUP_CHECK_UNVERIFIED, want, -1, "restored rows not counted: %s",
		    why != NULL ? why : "unknown");
		return;
	}
	if (actual != want)
		verdict(out, BACKUP_CHECK_FAIL, want, actual, "%" PRId64 " rows restored, %" PRId64
		    " in %s", actual, want, from);
	else
		verdict(out, BACKUP_CHECK_PASS, want, actual, "%" PRId64 " rows, as in %s",
		    actual, from);
}

void
backup_verify_sample(const struct backup_source_coll *sc, char *const *got_pks,
    const uint64_t *got_hash, size_t n_got, const char *got_why, struct backup_verdict *out)
{
	size_t i, j, same = 0, differ = 0, missing = 0;
	const char *first = NULL;

	if (sc == NULL || sc->n_sample == 0) {
		verdict(out, BACKUP_CHECK_UNVERIFIED, -1, -1, "no sample of the source: %s",
		    sc == NULL ? "the backup was not taken by milvusadm --wait" :
		    sc->sample_why != NULL ? sc->sample_why : "no row was stable during the "
		    "backup");
		return;
	}
	if (got_why != NULL) {
		verdict(out, BACKUP_CHECK_UNVERIFIED, (int64_t)sc->n_sample, -1, "the sampled "
		    "rows were not read back: %s", got_why);
		return;
	}
	for (i = 0; i < sc->n_sample; i++) {
		for (j = 0; j < n_got; j++) {
			if (got_pks[j] != NULL && strcmp(got_pks[j], sc->sample_pks[i]) == 0)
				break;
		}
		if (j == n_got)
			missing++;
		else if (got_hash[j] != sc->sample_hash[i])
			differ++;
		else
			same++;
		if (j == n_got || got_hash[j] != sc->sample_hash[i])
			first = first != NULL ? first : sc->sample_pks[i];
	}
	if (same != sc->n_sample)
		verdict(out, BACKUP_CHECK_FAIL, (int64_t)sc->n_sample, (int64_t)same, "%zu of %zu "
		    "sampled rows match: %zu missing, %zu differ (first: key %.64s)", same,
		    sc->n_sample, missing, differ, first != NULL ? first : "?");
	else
		verdict(out, BACKUP_CHECK_PASS, (int64_t)sc->n_sample, (int64_t)same, "%zu of %zu "
		    "sampled rows match%s", same, sc->n_sample, sc->changed > 0 ?
		    " (rows that changed during the backup were not sampled)" : "");
}
