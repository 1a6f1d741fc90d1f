/* SPDX-License-Identifier: MIT */
/* The rows a lab proxy is given, kept as Milvus keeps them: one insert binlog
 * per field under insert_log/<coll>/<part>/<seg>/<field>/<log> in Milvus's
 * object storage, listed in the segment's record, so that a backup server can
 * copy real rows and queries can read them (pure: the files are written and
 * read by labd-rest-io.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rest.h"

/* Milvus's system fields and where the dynamic field's ID comes from: the lab
 * numbers user fields 100, 101, ... (labd-rest.c), "$meta" takes the next. */
#define LBIN_TS_FIELD		1
#define LBIN_USER_BASE		100
#define LBIN_LOGICAL_BITS	18

struct lbin_col {
	int64_t field_id;
	const char *name;		/* NULL for the system and dynamic fields */
	bool auto_pk;
	struct buf data;
};

char *
lbin_coll_dir(int64_t coll_id)
{
	return xasprintf("insert_log/%lld", (long long)coll_id);
}

int64_t
lbin_meta_field(const struct lstore_coll *coll)
{
	return coll->dynamic ? LBIN_USER_BASE + (int64_t)coll->n_fields : 0;
}

char *
lbin_log_path(const struct lstore_seg *g, int64_t field, int64_t log_id)
{
	return xasprintf("insert_log/%lld/%lld/%lld/%lld/%lld", (long long)g->coll_id,
	    (long long)g->part_id, (long long)g->id, (long long)field, (long long)log_id);
}

/* The field's entry of a segment's binlog list, NULL when absent. */
static const cJSON *
lbin_list_field(const cJSON *list, int64_t field)
{
	const cJSON *fb;
	int64_t id;

	cJSON_ArrayForEach(fb, list) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(fb, "fieldID");

		if (cJSON_IsString(f) && jsonraw_parse_int64(f->valuestring, strlen(f->valuestring),
		    &id) == 0 && id == field)
			return fb;
	}
	return NULL;
}

size_t
lbin_n_logs(const cJSON *list, int64_t field)
{
	const cJSON *logs = cJSON_GetObjectItemCaseSensitive(lbin_list_field(list, field),
	    "binlogs");

	return cJSON_IsArray(logs) ? (size_t)cJSON_GetArraySize(logs) : 0;
}

/* A decimal string member of a binlog record (the list keeps int64s as strings). */
static int64_t
lbin_num(const cJSON *rec, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(rec, name);
	int64_t v;

	if (!cJSON_IsString(it) || jsonraw_parse_int64(it->valuestring, strlen(it->valuestring),
	    &v) != 0)
		return 0;
	return v;
}

int64_t
lbin_log_id(const cJSON *list, int64_t field, size_t k, int64_t *rows)
{
	const cJSON *logs = cJSON_GetObjectItemCaseSensitive(lbin_list_field(list, field),
	    "binlogs"), *rec;

	*rows = 0;
	if (!cJSON_IsArray(logs) || k >= (size_t)cJSON_GetArraySize(logs))
		return 0;
	rec = cJSON_GetArrayItem(logs, (int)k);
	*rows = lbin_num(rec, "entries_num");
	return lbin_num(rec, "logID");
}

void
lbin_files_release(struct lrest_out *out)
{
	size_t i;

	for (i = 0; i < out->n_files; i++) {
		free(out->files[i].path);
		free(out->files[i].data);
	}
	free(out->files);
	out->files = NULL;
	out->n_files = 0;
}

/* Whether key is one of the schema's field names (else it is dynamic). */
static bool
lbin_is_field(const struct lbin_col *cols, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (cols[i].name != NULL && strcmp(cols[i].name, key) == 0)
			return true;
	}
	return false;
}

/* The row's dynamic keys as one JSON object, the value of "$meta". */
static void
lbin_dynamic(struct buf *b, const struct lbin_col *cols, size_t n, const cJSON *row)
{
	const cJSON *e;
	char *txt;
	bool first = true;

	buf_addc(b, '{');
	cJSON_ArrayForEach(e, row) {
		if (e->string == NULL || lbin_is_field(cols, n, e->string))
			continue;
		if (!first)
			buf_addc(b, ',');
		first = false;
		buf_add_json_str(b, e->string);
		buf_addc(b, ':');
		txt = cJSON_PrintUnformatted(e);
		buf_adds(b, txt != NULL ? txt : "null");
		free(txt);
	}
	buf_addc(b, '}');
}

/* Append one binlog record to the field's entry of the segment's list. */
static void
lbin_list_add(cJSON *list, int64_t field_id, int64_t log_id, int64_t rows, size_t size)
{
	cJSON *fb = NULL, *e, *logs, *rec;
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)field_id);
	cJSON_ArrayForEach(e, list) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "fieldID");

		if (cJSON_IsString(f) && strcmp(f->valuestring, num) == 0)
			fb = e;
	}
	if (fb == NULL) {
		fb = cJSON_CreateObject();
		cJSON_AddStringToObject(fb, "fieldID", num);
		cJSON_AddArrayToObject(fb, "binlogs");
		cJSON_AddItemToArray(list, fb);
	}
	logs = cJSON_GetObjectItemCaseSensitive(fb, "binlogs");
	if (!cJSON_IsArray(logs)) {
		cJSON_DeleteItemFromObjectCaseSensitive(fb, "binlogs");
		logs = cJSON_AddArrayToObject(fb, "binlogs");
	}
	rec = cJSON_CreateObject();
	snprintf(num, sizeof num, "%lld", (long long)log_id);
	cJSON_AddStringToObject(rec, "logID", num);
	snprintf(num, sizeof num, "%lld", (long long)rows);
	cJSON_AddStringToObject(rec, "entries_num", num);
	snprintf(num, sizeof num, "%zu", size);
	cJSON_AddStringToObject(rec, "log_size", num);
	cJSON_AddItemToArray(logs, rec);
}

void
lbin_insert(const struct lstore *s, const struct lstore_coll *coll, const cJSON *rows,
    const int64_t *auto_ids, int64_t now_ms, struct lstore_seg *g, struct lstore_ops *ops,
    struct lrest_out *out)
{
	size_t n_cols = 0, i, c;
	struct lbin_col *cols = xcalloc(coll->n_fields + 3, sizeof *cols);
	cJSON **fields = xcalloc(coll->n_fields + 1, sizeof *fields);
	int64_t nrows = cJSON_GetArraySize(rows), rowid, ts, log_id;
	const cJSON *row;
	cJSON *list;
	char *txt;

	cols[n_cols++].field_id = LBIN_ROWID_FIELD;
	cols[n_cols++].field_id = LBIN_TS_FIELD;
	for (i = 0; i < coll->n_fields; i++) {
		const cJSON *nm, *id;

		fields[i] = cJSON_Parse(coll->fields[i]);
		nm = cJSON_GetObjectItemCaseSensitive(fields[i], "name");
		id = cJSON_GetObjectItemCaseSensitive(fields[i], "id");
		if (!cJSON_IsString(nm) || !cJSON_IsNumber(id))
			continue;
		cols[n_cols].field_id = (int64_t)id->valuedouble;
		cols[n_cols].name = nm->valuestring;
		cols[n_cols++].auto_pk = auto_ids != NULL &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fields[i], "primaryKey"));
	}
	if (coll->dynamic)
		cols[n_cols++].field_id = lbin_meta_field(coll);

	/* RowIDs are allocated IDs, as the proxy's rowID allocator hands them out. */
	rowid = lstore_alloc_id(s, ops);
	ops->gid_next += nrows - 1;
	ts = now_ms << LBIN_LOGICAL_BITS;
	for (c = 0; c < n_cols; c++)
		buf_addc(&cols[c].data, '[');
	i = 0;
	cJSON_ArrayForEach(row, rows) {
		for (c = 0; c < n_cols; c++) {
			struct buf *b = &cols[c].data;

			if (i > 0)
				buf_addc(b, ',');
			if (cols[c].field_id == LBIN_ROWID_FIELD)
				buf_printf(b, "%lld", (long long)(rowid + (int64_t)i));
			else if (cols[c].field_id == LBIN_TS_FIELD)
				buf_printf(b, "%lld", (long long)ts);
			else if (cols[c].auto_pk)
				buf_printf(b, "%lld", (long long)auto_ids[i]);
			else if (cols[c].name == NULL)
				lbin_dynamic(b, cols, n_cols, row);
			else {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, cols[c].name);

				txt = v != NULL ? cJSON_PrintUnformatted(v) : NULL;
				buf_adds(b, txt != NULL ? txt : "null");
				free(txt);
			}
		}
		i++;
	}

	list = g->binlogs != NULL ? cJSON_Parse(g->binlogs) : NULL;
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(list);
		list = cJSON_CreateArray();
	}
	out->files = xreallocarray(out->files, out->n_files + n_cols, sizeof *out->files);
	for (c = 0; c < n_cols; c++) {
		struct lrest_file *f = &out->files[out->n_files++];

		buf_addc(&cols[c].data, ']');
		log_id = lstore_alloc_id(s, ops);
		f->path = lbin_log_path(g, cols[c].field_id, log_id);
		f->data = buf_detach(&cols[c].data, &f->len);
		lbin_list_add(list, cols[c].field_id, log_id, nrows, f->len);
	}
	g->binlogs = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	for (i = 0; i < coll->n_fields; i++)
		cJSON_Delete(fields[i]);
	free(fields);
	free(cols);
}
