/* SPDX-License-Identifier: MIT */
/* A backup's full metadata, meta/full_meta.json (contract §3): backuppb.BackupInfo
 * as Go encoding/json writes it (§0.1: int64s as numbers, backup_timestamp past
 * 2^53, omitempty fields absent), summed per collection for a check of what
 * the backup holds. Pure: any bytes in, bounded work, never a crash. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backup_api.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

#define BM_MAX_COLLS		100000
#define BM_MAX_SEGS		10000000
/* The physical part of a hybrid timestamp sits above its 18 logical bits. */
#define BM_LOGICAL_BITS		18

/* Where the walk is, for the limits and the messages. */
struct bm_walk {
	int64_t segs;			/* segment records seen, over every collection */
	size_t coll;			/* index in collection_backups */
	char *err;
	size_t errlen;
};

void
backup_meta_release(struct backup_meta *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->name);
	free(m->id);
	free(m->milvus_version);
	for (i = 0; i < m->n_colls; i++) {
		free(m->colls[i].db);
		free(m->colls[i].name);
		free(m->colls[i].snapshot_path);
	}
	free(m->colls);
	memset(m, 0, sizeof *m);
}

static int __attribute__((format(printf, 2, 3)))
bm_fail(struct bm_walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err != NULL && w->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(w->err, w->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A bounded copy of a string member; NULL when absent, not a string or ""
 * (Go omits empty strings, so "" and absent mean the same). */
static char *
bm_str(const cJSON *obj, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
		return NULL;
	return xstrndup(it->valuestring, MJ_MAX_STR);
}

/* A count or size member: the value (>= 0), -1 when absent, -2 when it is
 * there but not a non-negative int64 (a fraction, a string, past 2^63). */
static int64_t
bm_count(const cJSON *obj, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
	int64_t v;

	if (it == NULL)
		return -1;
	if (mj_int64(it, &v) != 0 || v < 0)
		return -2;
	return v;
}

/* *acc += v, where a negative *acc or v (absent, bad) or an overflow leaves
 * -1 for good. */
static void
bm_add(int64_t *acc, int64_t v)
{
	if (*acc < 0 || v < 0 || v > INT64_MAX - *acc)
		*acc = -1;
	else
		*acc += v;
}

/* A list member: 0 with *arr the array, or NULL when absent or null (Go writes
 * a nil slice without omitempty as null); -1 when it is something else. */
static int
bm_list(const cJSON *obj, const char *name, const cJSON **arr)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	*arr = NULL;
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsArray(it))
		return -1;
	*arr = it;
	return 0;
}

/* A segment's binlogs or deltalogs, [{fieldID, binlogs:[{log_size, ...}]}]:
 * the records listed, their log_size added to c->log_size_sum; -1 when the
 * shape is wrong. */
static int64_t
bm_logs(const cJSON *seg, const char *name, struct backup_meta_coll *c)
{
	const cJSON *fields, *f, *logs, *l;
	int64_t n = 0;

	if (bm_list(seg, name, &fields) != 0)
		return -1;
	cJSON_ArrayForEach(f, fields) {
		if (!cJSON_IsObject(f) || bm_list(f, "binlogs", &logs) != 0)
			return -1;
		cJSON_ArrayForEach(l, logs) {
			if (!cJSON_IsObject(l))
				return -1;
			bm_add(&c->log_size_sum, bm_count(l, "log_size"));
			n++;
		}
	}
	return n;
}

static int
bm_seg(const cJSON *s, struct backup_meta_coll *c, struct bm_walk *w)
{
	const cJSON *rows_it = cJSON_GetObjectItemCaseSensitive(s, "num_of_rows");
	int64_t rows = 0, inserts, deltas;

	if (!cJSON_IsObject(s))
		return bm_fail(w, "collection_backups[%zu]: a segment is not an object", w->coll);
	/* num_of_rows is omitempty: absent is 0 rows, not unknown. */
	if (rows_it != NULL && (mj_int64(rows_it, &rows) != 0 || rows < 0))
		rows = -1;
	bm_add(&c->rows, rows);
	bm_add(&c->seg_size_sum, bm_count(s, "size"));
	inserts = bm_logs(s, "binlogs", c);
	deltas = bm_logs(s, "deltalogs", c);
	if (inserts < 0 || deltas < 0)
		return bm_fail(w, "collection_backups[%zu]: a segment's binlogs are malformed",
		    w->coll);
	c->delta_logs += deltas;
	/* Rows with no insert binlog to hold them: nothing to restore them from. */
	if (rows > 0 && inserts == 0)
		c->empty_segments++;
	return 0;
}

static int
bm_part(const cJSON *p, struct backup_meta_coll *c, struct bm_walk *w)
{
	const cJSON *segs, *s;

	if (!cJSON_IsObject(p))
		return bm_fail(w, "collection_backups[%zu]: a partition is not an object", w->coll);
	bm_add(&c->part_size_sum, bm_count(p, "size"));
	if (bm_list(p, "segment_backups", &segs) != 0)
		return bm_fail(w, "collection_backups[%zu]: segment_backups is not a list",
		    w->coll);
	cJSON_ArrayForEach(s, segs) {
		if (++w->segs > BM_MAX_SEGS)
			return bm_fail(w, "more than %d segments in the backup", BM_MAX_SEGS);
		c->segments++;
		if (bm_seg(s, c, w) != 0)
			return -1;
	}
	return 0;
}

static int
bm_coll(const cJSON *o, struct backup_meta_coll *c, struct bm_walk *w)
{
	const cJSON *parts, *p, *snap;
	int64_t v;

	if (!cJSON_IsObject(o))
		return bm_fail(w, "collection_backups[%zu] is not an object", w->coll);
	c->db = bm_str(o, "db_name");
	if (c->db == NULL)
		c->db = xstrdup("default");
	c->name = bm_str(o, "collection_name");
	if (c->name == NULL)
		c->name = xstrdup("");
	if (mj_int64(cJSON_GetObjectItemCaseSensitive(o, "collection_id"), &v) == 0 && v > 0)
		c->id = v;
	v = bm_count(o, "size");
	c->size = v >= 0 ? v : -1;
	snap = cJSON_GetObjectItemCaseSensitive(o, "snapshot_backup");
	if (cJSON_IsObject(snap))
		c->snapshot_path = bm_str(snap, "metadata_path");
	if (bm_list(o, "partition_backups", &parts) != 0)
		return bm_fail(w, "collection_backups[%zu]: partition_backups is not a list",
		    w->coll);
	cJSON_ArrayForEach(p, parts) {
		c->partitions++;
		if (bm_part(p, c, w) != 0)
			return -1;
	}
	return 0;
}

/* BackupInfo's top-level fields. */
static void
bm_top(const cJSON *root, struct backup_meta *out)
{
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "backup_timestamp");
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	uint64_t u = 0;
	int64_t v;

	out->name = bm_str(root, "name");
	out->id = bm_str(root, "id");
	out->milvus_version = bm_str(root, "milvus_version");
	v = bm_count(root, "size");
	out->size = v >= 0 ? v : -1;
	/* A hybrid TS (physical ms << 18) past 2^53: mj_parse kept its digits as
	 * a string, so no double has rounded it. */
	if (cJSON_IsString(ts))
		(void)jsonraw_parse_uint64(ts->valuestring, strlen(ts->valuestring), &u);
	else if (mj_int64(ts, &v) == 0 && v > 0)
		u = (uint64_t)v;
	out->taken_ms = (int64_t)(u >> BM_LOGICAL_BITS);
	/* internal/meta: FormatBinlog is "", FormatSnapshot "snapshot"; restore
	 * refuses anything else. */
	if (fmt == NULL || cJSON_IsNull(fmt) ||
	    (cJSON_IsString(fmt) && fmt->valuestring[0] == '\0'))
		out->format = BACKUP_FORMAT_BINLOG;
	else if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, "snapshot") == 0)
		out->format = BACKUP_FORMAT_SNAPSHOT;
	else
		out->format = BACKUP_FORMAT_UNKNOWN;
}

int
backup_parse_full_meta(const char *body, size_t len, struct backup_meta *out, char *err,
    size_t errlen)
{
	struct bm_walk w = { 0, 0, err, errlen };
	const cJSON *colls, *c;
	cJSON *root;
	int n = 0, rc = 0;

	memset(out, 0, sizeof *out);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	root = body != NULL && len > 0 ? mj_parse(body, len) : NULL;
	if (!cJSON_IsObject(root)) {
		bm_fail(&w, "full_meta.json is not a JSON object");
		cJSON_Delete(root);
		return BACKUP_EPROTO;
	}
	bm_top(root, out);
	if (bm_list(root, "collection_backups", &colls) != 0)
		rc = bm_fail(&w, "collection_backups in full_meta.json is not a list");
	else if ((n = cJSON_GetArraySize(colls)) > BM_MAX_COLLS)
		rc = bm_fail(&w, "more than %d collections in full_meta.json", BM_MAX_COLLS);
	else if (n > 0)
		out->colls = xcalloc((size_t)n, sizeof *out->colls);
	if (rc == 0) {
		cJSON_ArrayForEach(c, colls) {
			/* Counted first, so that a release frees what a failure left. */
			w.coll = out->n_colls;
			if ((rc = bm_coll(c, &out->colls[out->n_colls++], &w)) != 0)
				break;
		}
	}
	cJSON_Delete(root);
	if (rc != 0) {
		backup_meta_release(out);
		return BACKUP_EPROTO;
	}
	return BACKUP_OK;
}
