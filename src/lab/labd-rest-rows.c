/* SPDX-License-Identifier: MIT */
/* The rows an entities/query or get answers on a lab proxy, read from the
 * binlogs the inserts wrote (labd-binlog.c) insert by insert, in insert
 * order, written as Go's encoding/json writes Milvus's row maps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-backup.h"
#include "labd-rest.h"

/* The rows of one answer: the lab's own bound (Milvus bounds its internal
 * result size instead, quotaAndLimits.limits.maxOutputSize). */
#define QUERY_MAX_BYTES	(64 * 1024 * 1024)
#define BINLOG_MAX	(16 * 1024 * 1024)	/* one binlog: an insert body is <= 1 MiB */
#define BATCH_MAX_ROWS	1000000		/* one insert holds at most 100000 */
#define MAX_DEPTH	64		/* nesting sorted like Go's maps; deeper as stored */
#define MAX_COLS	80		/* a schema has at most 64 fields, plus "$meta" */

/* One insert into one segment: the k-th binlog of each of its fields. */
struct batch {
	const struct lstore_seg *g;
	const cJSON *list;		/* the segment's binlog list, parsed */
	size_t k;
	int64_t order;			/* the RowID binlog's log ID: IDs grow with inserts */
	int64_t rows;
};

/* A field's values in one batch, read once. */
struct column {
	int64_t field;
	cJSON *arr;			/* NULL when the batch has no binlog of the field */
	const cJSON **v;		/* b->rows of them, NULL entries when arr is NULL */
};

/* The columns of the batch being read. */
struct cols {
	struct lrest_query *q;
	const struct batch *b;
	struct column v[MAX_COLS];
	size_t n;
};

static void
cols_release(struct cols *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		cJSON_Delete(cs->v[i].arr);
		free(cs->v[i].v);
	}
	cs->n = 0;
}

/* The values of field in batch b, read and parsed once per batch. */
static const struct column *
column(struct cols *cs, int64_t field)
{
	struct lrest_query *q = cs->q;
	const struct batch *b = cs->b;
	struct column *col;
	char why[200], *path, *text;
	int64_t log_id, rows;
	const cJSON *e;
	size_t i, len;

	for (i = 0; i < cs->n; i++) {
		if (cs->v[i].field == field)
			return &cs->v[i];
	}
	if (cs->n == MAX_COLS) {
		lrest_query_fail(q, 65535, "too many fields in one query");
		return NULL;
	}
	col = &cs->v[cs->n++];
	memset(col, 0, sizeof *col);
	col->field = field;
	col->v = xcalloc((size_t)b->rows + 1, sizeof *col->v);
	/* A field without a binlog in this insert reads as nulls. */
	if ((log_id = lbin_log_id(b->list, field, b->k, &rows)) == 0)
		return col;
	path = lbin_log_path(b->g, field, log_id);
	text = q->c->rq->read(q->c->rq->read_arg, path, BINLOG_MAX, &len, why, sizeof why);
	/* Int64s of more than 15 digits (auto IDs) stay exact, as the backup
	 * server reads the same binlogs. */
	col->arr = text != NULL ? lbk_json_parse(text, len) : NULL;
	if (text == NULL)
		lrest_query_fail(q, 65535, "read binlog %s: %s", path, why);
	else if (!cJSON_IsArray(col->arr) || cJSON_GetArraySize(col->arr) != b->rows)
		lrest_query_fail(q, 65535, "binlog %s does not hold %lld rows", path,
		    (long long)b->rows);
	free(text);
	free(path);
	if (q->code != 0)
		return NULL;
	i = 0;
	cJSON_ArrayForEach(e, col->arr)
		col->v[i++] = e;
	return col;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* A value as Go's encoding/json writes what Milvus unmarshalled into maps:
 * object keys sorted at every level; numbers and strings as stored. */
static void
put_value(struct buf *b, const cJSON *v, int depth)
{
	const cJSON **kids, *e;
	size_t n = 0, i;
	char *txt;

	if ((cJSON_IsObject(v) || cJSON_IsArray(v)) && depth < MAX_DEPTH) {
		cJSON_ArrayForEach(e, v)
			n++;
		kids = xcalloc(n + 1, sizeof *kids);
		n = 0;
		cJSON_ArrayForEach(e, v) {
			if (!cJSON_IsObject(v) || e->string != NULL)
				kids[n++] = e;
		}
		if (cJSON_IsObject(v))
			qsort(kids, n, sizeof *kids, cmp_key);
		buf_addc(b, cJSON_IsObject(v) ? '{' : '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(b, ',');
			if (cJSON_IsObject(v)) {
				buf_add_json_str(b, kids[i]->string);
				buf_addc(b, ':');
			}
			put_value(b, kids[i], depth + 1);
		}
		buf_addc(b, cJSON_IsObject(v) ? '}' : ']');
		free(kids);
		return;
	}
	txt = v != NULL ? cJSON_PrintUnformatted(v) : NULL;
	buf_adds(b, txt != NULL ? txt : "null");
	free(txt);
}

struct pair {
	const char *key;
	const cJSON *v;
	bool json;
};

static int
cmp_pair(const void *a, const void *b)
{
	return strcmp(((const struct pair *)a)->key, ((const struct pair *)b)->key);
}

/* Row i of the batch: its output fields and dynamic keys, keys sorted. */
static void
put_row(struct lrest_query *q, const struct column *const *outs, const struct column *meta,
    size_t i)
{
	struct pair *p;
	size_t n = 0, k, cap = q->n_fields + q->n_dyn_keys + 1;
	const cJSON *m = meta != NULL ? meta->v[i] : NULL, *e;
	char *txt;

	if (q->dyn_all)
		cJSON_ArrayForEach(e, m)
			cap++;
	p = xcalloc(cap, sizeof *p);
	for (k = 0; k < q->n_fields; k++) {
		if (outs[k] == NULL)
			continue;
		p[n].key = q->fields[k].name;
		p[n].v = outs[k]->v[i];
		p[n++].json = q->fields[k].json;
	}
	cJSON_ArrayForEach(e, (cJSON_IsObject(m) ? m : NULL)) {
		bool want = q->dyn_all && e->string != NULL;

		for (k = 0; !want && k < q->n_dyn_keys; k++)
			want = e->string != NULL && strcmp(e->string, q->dyn_keys[k]) == 0;
		/* A schema field's name is never a dynamic key (labd-binlog.c). */
		if (want && lrest_query_field(q, e->string) == NULL && n < cap) {
			p[n].key = e->string;
			p[n++].v = e;
		}
	}
	qsort(p, n, sizeof *p, cmp_pair);
	buf_adds(&q->rows, q->n_rows > 0 ? ",{" : "{");
	for (k = 0; k < n; k++) {
		if (k > 0)
			buf_addc(&q->rows, ',');
		buf_add_json_str(&q->rows, p[k].key);
		buf_addc(&q->rows, ':');
		/* A JSON field is answered as the text Milvus stored (a string). */
		if (p[k].json && p[k].v != NULL && !cJSON_IsNull(p[k].v)) {
			txt = cJSON_PrintUnformatted(p[k].v);
			buf_add_json_str(&q->rows, txt != NULL ? txt : "null");
			free(txt);
		} else
			put_value(&q->rows, p[k].v, 0);
	}
	buf_addc(&q->rows, '}');
	q->n_rows++;
	free(p);
}

/* The rows of one batch that the filter takes, after the offset, up to the
 * limit. 1 when the limit is reached, -1 with q->code on an error. */
static int
run_batch(struct lrest_query *q, const struct batch *b)
{
	const struct column **outs = xcalloc(q->n_fields + 1, sizeof *outs), *fc = NULL;
	const struct column *meta = NULL;
	struct cols cs;
	size_t i, k;
	int rc = 0;

	cs.q = q;
	cs.b = b;
	cs.n = 0;

	if (q->filter.field != NULL)
		fc = column(&cs, q->ffield != NULL ? q->ffield->id : q->meta_id);
	if (q->code != 0)
		goto out;
	for (i = 0; i < (size_t)b->rows && rc == 0; i++) {
		const cJSON *v = fc == NULL ? NULL : q->ffield != NULL ? fc->v[i] :
		    cJSON_GetObjectItemCaseSensitive(fc->v[i], q->filter.field);

		if (fc != NULL && (v == NULL || !lrest_filter_match(&q->filter, v)))
			continue;
		if (q->skipped < q->offset) {
			q->skipped++;
			continue;
		}
		/* The columns of the answer, once a row of this batch is in it. */
		for (k = 0; k < q->n_fields && q->code == 0; k++) {
			if (q->fields[k].out && outs[k] == NULL)
				outs[k] = column(&cs, q->fields[k].id);
		}
		if (q->code == 0 && meta == NULL && (q->dyn_all || q->n_dyn_keys > 0))
			meta = column(&cs, q->meta_id);
		if (q->code != 0)
			break;
		put_row(q, outs, meta, i);
		if (q->rows.len > QUERY_MAX_BYTES)
			lrest_query_fail(q, 65535, "query results exceed the lab's answer limit "
			    "of %d bytes: use a limit", QUERY_MAX_BYTES);
		else if (q->limit > 0 && q->n_rows >= q->limit)
			rc = 1;
	}
out:
	free(outs);
	cols_release(&cs);
	return q->code != 0 ? -1 : rc;
}

static int
cmp_batch(const void *a, const void *b)
{
	int64_t x = ((const struct batch *)a)->order, y = ((const struct batch *)b)->order;

	return x < y ? -1 : x > y;
}

/* Every insert of the collection, in insert order (a segment takes inserts
 * while it grows, so segments alone do not give it), then its rows. */
void
lrest_query_rows(struct lrest_query *q)
{
	const struct lstore *s = q->c->s;
	struct batch *bs = NULL;
	cJSON **lists = xcalloc(s->n_segs + 1, sizeof *lists);
	size_t n = 0, i, k, nk;

	for (i = 0; i < s->n_segs && q->code == 0; i++) {
		const struct lstore_seg *g = &s->segs[i];

		if (g->coll_id != q->coll->id || g->rows == 0)
			continue;
		if (q->c->rq->read == NULL || g->binlogs == NULL) {
			lrest_query_fail(q, 65535, "segment %lld holds %lld rows the lab did not "
			    "keep (this proxy or the one that took them has no storage)",
			    (long long)g->id, (long long)g->rows);
			break;
		}
		lists[i] = cJSON_Parse(g->binlogs);
		nk = lbin_n_logs(lists[i], LBIN_ROWID_FIELD);
		bs = xreallocarray(bs, n + nk + 1, sizeof *bs);
		for (k = 0; k < nk; k++) {
			struct batch *b = &bs[n++];

			b->g = g;
			b->list = lists[i];
			b->k = k;
			b->order = lbin_log_id(lists[i], LBIN_ROWID_FIELD, k, &b->rows);
			if (b->rows < 0 || b->rows > BATCH_MAX_ROWS)
				lrest_query_fail(q, 65535, "segment %lld lists a binlog of %lld "
				    "rows", (long long)g->id, (long long)b->rows);
		}
	}
	if (n > 1)
		qsort(bs, n, sizeof *bs, cmp_batch);
	for (i = 0; i < n && q->code == 0 && run_batch(q, &bs[i]) == 0; i++)
		;
	for (i = 0; i < s->n_segs; i++)
		cJSON_Delete(lists[i]);
	free(lists);
	free(bs);
}

