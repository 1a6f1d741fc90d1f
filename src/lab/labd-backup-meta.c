/* SPDX-License-Identifier: MIT */
/* The lab backup server's meta (pure): planning a backup from a catalog
 * snapshot, the five meta files of §3 as Go marshals backuppb.BackupInfo,
 * reading them back with int64s exact, and turning a backup's binlog columns
 * into REST v2 rows and collections/create bodies for a restore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-store.h"

#define LBK_LOGICAL_BITS	18
#define LBK_DYNAMIC_TYPE	23	/* JSON */

const char *const lbk_meta_names[LBK_META_FILES] = {
	"full_meta.json", "backup_meta.json", "collection_meta.json", "partition_meta.json",
	"segment_meta.json",
};

/* schemapb.DataType numbers, as the meta's integer enums carry them. */
static const struct { const char *name; int num; } data_types[] = {
	{ "Bool", 1 }, { "Int8", 2 }, { "Int16", 3 }, { "Int32", 4 }, { "Int64", 5 },
	{ "Float", 10 }, { "Double", 11 }, { "String", 20 }, { "VarChar", 21 }, { "Array", 22 },
	{ "JSON", 23 }, { "BinaryVector", 100 }, { "FloatVector", 101 },
	{ "Float16Vector", 102 }, { "BFloat16Vector", 103 }, { "SparseFloatVector", 104 },
};
static const char *const consistency_names[] = { "Strong", "Session", "Bounded", "Eventually",
	"Customized" };

static int
type_num(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof data_types / sizeof data_types[0]; i++) {
		if (strcmp(data_types[i].name, name) == 0)
			return data_types[i].num;
	}
	return 0;
}

static const char *
type_name(int num)
{
	size_t i;

	for (i = 0; i < sizeof data_types / sizeof data_types[0]; i++) {
		if (data_types[i].num == num)
			return data_types[i].name;
	}
	return "None";
}

/* ---- reading JSON with exact int64s ---- */

/* Bare integers of more than 15 digits become strings "\u0001digits" before
 * cJSON sees them (its doubles would round them), then raw items after. */
static void
raw_fix(cJSON *it)
{
	cJSON *c;

	for (; it != NULL; it = it->next) {
		if (cJSON_IsString(it) && it->valuestring[0] == '\x01') {
			memmove(it->valuestring, it->valuestring + 1, strlen(it->valuestring));
			it->type = cJSON_Raw;
		}
		if ((c = it->child) != NULL)
			raw_fix(c);
	}
}

cJSON *
lbk_json_parse(const char *text, size_t len)
{
	struct buf b = BUF_INIT;
	bool in_str = false, esc = false;
	size_t i = 0, j, digits;
	cJSON *j_out;

	while (i < len) {
		char ch = text[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			buf_addc(&b, ch);
			i++;
			continue;
		}
		if (ch == '"') {
			in_str = true;
			buf_addc(&b, ch);
			i++;
			continue;
		}
		if (ch == '-' || (ch >= '0' && ch <= '9')) {
			for (j = i + (ch == '-'), digits = 0; j < len && text[j] >= '0' &&
			    text[j] <= '9'; j++)
				digits++;
			if (digits > 15 && (j == len || strchr(".eE", text[j]) == NULL)) {
				buf_adds(&b, "\"\\u0001");
				buf_add(&b, text + i, j - i);
				buf_addc(&b, '"');
				i = j;
				continue;
			}
		}
		buf_addc(&b, ch);
		i++;
	}
	j_out = cJSON_ParseWithLength(b.data != NULL ? b.data : "", b.len);
	buf_release(&b);
	if (j_out != NULL)
		raw_fix(j_out);
	return j_out;
}

int64_t
lbk_json_int(const cJSON *o, const char *name, int64_t dflt)
{
	const cJSON *it = name != NULL ? cJSON_GetObjectItemCaseSensitive(o, name) : o;
	int64_t v;

	if (it == NULL)
		return dflt;
	if ((cJSON_IsRaw(it) || cJSON_IsString(it)) &&
	    jsonraw_parse_int64(it->valuestring, strlen(it->valuestring), &v) == 0)
		return v;
	/* A number beyond int64 (1e40 in a meta file) has no value: converting
	 * it would be undefined. */
	if (cJSON_IsNumber(it) && it->valuedouble >= -9223372036854775808.0 &&
	    it->valuedouble < 9223372036854775808.0)
		return (int64_t)it->valuedouble;
	return dflt;
}

/* ---- planning ---- */

void
lbk_coll_release(struct lbk_coll *c)
{
	size_t i;

	free(c->db);
	free(c->name);
	free(c->schema);
	free(c->index_infos);
	free(c->props);
	free(c->load_state);
	free(c->vchan);
	for (i = 0; i < c->n_segs; i++)
		free(c->segs[i].logs);
	free(c->segs);
	memset(c, 0, sizeof *c);
}

static bool
jbool(const cJSON *o, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}

static const char *
jstr(const cJSON *o, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(it) ? it->valuestring : "";
}

/* CollectionSchema from the catalog's fields (collections/describe form). */
static char *
schema_json(const struct lstore_coll *lc)
{
	struct buf b = BUF_INIT;
	const cJSON *params;
	char *txt;
	size_t i;

	buf_adds(&b, "{\"name\":");
	labd_json_str(&b, lc->name);
	if (lc->desc != NULL && lc->desc[0] != '\0') {
		buf_adds(&b, ",\"description\":");
		labd_json_str(&b, lc->desc);
	}
	if (lc->auto_id)
		buf_adds(&b, ",\"autoID\":true");
	buf_adds(&b, ",\"fields\":[");
	for (i = 0; i < lc->n_fields; i++) {
		cJSON *f = cJSON_Parse(lc->fields[i]);

		buf_printf(&b, "%s{\"fieldID\":%lld,\"name\":", i > 0 ? "," : "",
		    (long long)lbk_json_int(f, "id", lc->field_ids[i]));
		labd_json_str(&b, jstr(f, "name"));
		if (jbool(f, "primaryKey"))
			buf_adds(&b, ",\"is_primary_key\":true");
		if (jstr(f, "description")[0] != '\0') {
			buf_adds(&b, ",\"description\":");
			labd_json_str(&b, jstr(f, "description"));
		}
		buf_printf(&b, ",\"data_type\":%d", type_num(jstr(f, "type")));
		params = cJSON_GetObjectItemCaseSensitive(f, "params");
		if (cJSON_GetArraySize(params) > 0) {
			txt = cJSON_PrintUnformatted(params);
			buf_printf(&b, ",\"type_params\":%s", txt);
			free(txt);
		}
		if (jbool(f, "autoId"))
			buf_adds(&b, ",\"autoID\":true");
		if (jbool(f, "partitionKey"))
			buf_adds(&b, ",\"is_partition_key\":true");
		if (jbool(f, "nullable"))
			buf_adds(&b, ",\"nullable\":true");
		buf_addc(&b, '}');
		cJSON_Delete(f);
	}
	/* Milvus's hidden JSON field that holds a dynamic schema's extra keys. */
	if (lc->dynamic)
		buf_printf(&b, "%s{\"fieldID\":%lld,\"name\":\"$meta\",\"description\":\"dynamic "
		    "schema\",\"data_type\":%d,\"is_dynamic\":true}", lc->n_fields > 0 ? "," : "",
		    (long long)(100 + lc->n_fields), LBK_DYNAMIC_TYPE);
	buf_adds(&b, "]");
	if (lc->dynamic)
		buf_adds(&b, ",\"enable_dynamic_field\":true");
	if (lc->props != NULL && strcmp(lc->props, "[]") != 0)
		buf_printf(&b, ",\"properties\":%s", lc->props);
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

/* [IndexInfo] from the catalog's [{"fieldName","indexName","metricType"}]. */
static char *
index_json(const char *indexes)
{
	cJSON *arr = cJSON_Parse(indexes != NULL ? indexes : "[]"), *e;
	struct buf b = BUF_INIT;
	bool first = true;

	buf_addc(&b, '[');
	cJSON_ArrayForEach(e, arr) {
		buf_adds(&b, first ? "{\"field_name\":" : ",{\"field_name\":");
		first = false;
		labd_json_str(&b, jstr(e, "fieldName"));
		buf_adds(&b, ",\"index_name\":");
		labd_json_str(&b, jstr(e, "indexName"));
		buf_adds(&b, ",\"index_type\":\"AUTOINDEX\",\"params\":{\"index_type\":\"AUTOINDEX\","
		    "\"metric_type\":");
		labd_json_str(&b, jstr(e, "metricType"));
		buf_adds(&b, "}}");
	}
	buf_addc(&b, ']');
	cJSON_Delete(arr);
	return buf_detach(&b, NULL);
}

static int
consistency_num(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof consistency_names / sizeof consistency_names[0]; i++) {
		if (strcmp(consistency_names[i], name) == 0)
			return (int)i;
	}
	return 2;
}

/* A segment's binlogs, field by field, from the catalog's record. */
static void
seg_logs(struct lbk_seg *g, const char *binlogs)
{
	cJSON *arr = binlogs != NULL ? cJSON_Parse(binlogs) : NULL, *fb, *l;

	cJSON_ArrayForEach(fb, arr) {
		int64_t field = lbk_json_int(fb, "fieldID", 0);

		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(fb, "binlogs")) {
			struct lbk_log *lg;

			g->logs = xreallocarray(g->logs, g->n_logs + 1, sizeof *g->logs);
			lg = &g->logs[g->n_logs++];
			lg->field_id = field;
			lg->log_id = lbk_json_int(l, "logID", 0);
			lg->rows = lbk_json_int(l, "entries_num", 0);
			lg->size = lbk_json_int(l, "log_size", 0);
			g->size += lg->size;
		}
	}
	cJSON_Delete(arr);
}

static void
plan_coll(const struct lstore *s, const struct lstore_coll *lc, struct lbk_task *t)
{
	const struct lstore_load *l = lstore_load_find(s, lc->id);
	const struct lstore_db *db = lstore_db_by_id(s, lc->db_id);
	struct lbk_coll *c;
	size_t i;

	t->colls = xreallocarray(t->colls, t->n_colls + 1, sizeof *t->colls);
	c = &t->colls[t->n_colls++];
	memset(c, 0, sizeof *c);
	c->db = xstrdup(db != NULL ? db->name : "default");
	c->name = xstrdup(lc->name);
	c->db_id = lc->db_id;
	c->id = lc->id;
	c->part_id = lc->part_id;
	c->schema = schema_json(lc);
	c->index_infos = index_json(lc->indexes);
	c->props = xstrdup(lc->props != NULL ? lc->props : "[]");
	c->load_state = xstrdup(l == NULL ? "NotLoad" : l->status == LSTORE_LOADED ? "Loaded" :
	    "Loading");
	c->vchan = lstore_vchannel(s, lc->id, 0);
	c->shards = lc->shards;
	c->consistency = consistency_num(lc->consistency != NULL ? lc->consistency : "Bounded");
	for (i = 0; i < s->n_segs; i++) {
		const struct lstore_seg *sg = &s->segs[i];
		struct lbk_seg *g;

		if (sg->coll_id != lc->id)
			continue;
		c->segs = xreallocarray(c->segs, c->n_segs + 1, sizeof *c->segs);
		g = &c->segs[c->n_segs++];
		memset(g, 0, sizeof *g);
		g->id = sg->id;
		g->part_id = sg->part_id;
		g->rows = sg->rows;
		seg_logs(g, sg->binlogs);
		c->total += g->size;
	}
}

static bool
planned(const struct lbk_task *t, int64_t id)
{
	size_t i;

	for (i = 0; i < t->n_colls; i++) {
		if (t->colls[i].id == id)
			return true;
	}
	return false;
}

static void
plan_db(struct buf *dbs, const struct lstore_db *db)
{
	buf_adds(dbs, dbs->len > 1 ? ",{\"db_name\":" : "{\"db_name\":");
	labd_json_str(dbs, db->name);
	buf_printf(dbs, ",\"db_id\":%lld", (long long)db->id);
	if (db->props != NULL && strcmp(db->props, "[]") != 0)
		buf_printf(dbs, ",\"properties\":%s", db->props);
	buf_addc(dbs, '}');
}

int
lbk_plan(const struct lstore *s, const struct lbk_create *c, struct lbk_task *t, char *err,
    size_t errlen)
{
	struct buf dbs = BUF_INIT;
	const struct lstore_db *db;
	const struct lstore_coll *lc;
	int64_t *seen = xcalloc(c->n_sel / 2 + 1, sizeof *seen);
	size_t i, k, n_seen = 0;

	buf_addc(&dbs, '[');
	/* Everything: every database and its collections (listAllDBAndNSS). */
	for (i = 0; c->n_sel == 0 && i < s->n_dbs; i++) {
		plan_db(&dbs, &s->dbs[i]);
		for (k = 0; k < s->n_colls; k++) {
			if (s->colls[k].db_id == s->dbs[i].id)
				plan_coll(s, &s->colls[k], t);
		}
	}
	for (i = 0; i + 1 < c->n_sel; i += 2) {
		const char *dbn = c->sel[i], *cn = c->sel[i + 1];

		if ((db = lstore_db_by_name(s, dbn)) == NULL) {
			snprintf(err, errlen, strcmp(cn, "*") == 0 ? "backup: list collections for "
			    "db %s: database not found[database=%s]" : "backup: check collection "
			    "%s.%s: database not found", dbn, strcmp(cn, "*") == 0 ? dbn : cn);
			buf_release(&dbs);
			free(seen);
			return -1;
		}
		for (k = 0; k < n_seen && seen[k] != db->id; k++)
			;
		if (k == n_seen) {
			seen[n_seen++] = db->id;
			plan_db(&dbs, db);
		}
		for (k = 0; strcmp(cn, "*") == 0 && k < s->n_colls; k++) {
			if (s->colls[k].db_id == db->id && !planned(t, s->colls[k].id))
				plan_coll(s, &s->colls[k], t);
		}
		if (strcmp(cn, "*") == 0 || cn[0] == '\0')
			continue;
		if ((lc = lstore_coll_by_name(s, db->id, cn)) == NULL) {
			snprintf(err, errlen, "backup: filter collection %s.%s not found in milvus",
			    dbn, cn);
			buf_release(&dbs);
			free(seen);
			return -1;
		}
		if (!planned(t, lc->id))
			plan_coll(s, lc, t);
	}
	buf_addc(&dbs, ']');
	t->dbs = buf_detach(&dbs, NULL);
	free(seen);
	return 0;
}

/* ---- the meta files ---- */

static void
meta_seg(struct buf *b, const struct lbk_coll *c, const struct lbk_seg *g)
{
	int64_t field = -1;
	size_t i;

	buf_printf(b, "{\"segment_id\":%lld,\"collection_id\":%lld,\"partition_id\":%lld,"
	    "\"num_of_rows\":%lld", (long long)g->id, (long long)c->id, (long long)g->part_id,
	    (long long)g->rows);
	if (g->n_logs > 0)
		buf_adds(b, ",\"binlogs\":[");
	for (i = 0; i < g->n_logs; i++) {
		const struct lbk_log *l = &g->logs[i];

		if (l->field_id != field) {
			if (field != -1)
				buf_adds(b, "]},");
			field = l->field_id;
			/* fieldID is omitempty: the RowID field (0) has none. */
			if (field != 0)
				buf_printf(b, "{\"fieldID\":%lld,\"binlogs\":[", (long long)field);
			else
				buf_adds(b, "{\"binlogs\":[");
		} else
			buf_addc(b, ',');
		buf_printf(b, "{\"entries_num\":%lld,\"log_size\":%lld,\"log_id\":%lld}",
		    (long long)l->rows, (long long)l->size, (long long)l->log_id);
	}
	if (g->n_logs > 0)
		buf_adds(b, "]}]");
	buf_printf(b, ",\"size\":%lld,\"v_channel\":", (long long)g->size);
	labd_json_str(b, c->vchan);
	buf_addc(b, '}');
}

static void
meta_part(struct buf *b, const struct lbk_coll *c, bool segs)
{
	size_t i;

	buf_printf(b, "{\"partition_id\":%lld,\"partition_name\":\"_default\","
	    "\"collection_id\":%lld", (long long)c->part_id, (long long)c->id);
	if (segs && c->n_segs > 0) {
		buf_adds(b, ",\"segment_backups\":[");
		for (i = 0; i < c->n_segs; i++) {
			if (i > 0)
				buf_addc(b, ',');
			meta_seg(b, c, &c->segs[i]);
		}
		buf_addc(b, ']');
	}
	buf_printf(b, ",\"size\":%lld,\"load_state\":", (long long)c->total);
	labd_json_str(b, c->load_state);
	buf_addc(b, '}');
}

static void
meta_coll(struct buf *b, const struct lbk_task *t, const struct lbk_coll *c, bool parts)
{
	uint64_t ts = (uint64_t)t->ts_ms << LBK_LOGICAL_BITS;

	buf_adds(b, "{\"id\":");
	labd_json_str(b, t->id);
	buf_printf(b, ",\"collection_id\":%lld,\"db_name\":", (long long)c->id);
	labd_json_str(b, c->db);
	buf_adds(b, ",\"collection_name\":");
	labd_json_str(b, c->name);
	buf_printf(b, ",\"schema\":%s,\"shards_num\":%d", c->schema, c->shards);
	if (c->consistency != 0)
		buf_printf(b, ",\"consistency_level\":%d", c->consistency);
	if (parts) {
		buf_adds(b, ",\"partition_backups\":[");
		meta_part(b, c, true);
		buf_addc(b, ']');
	}
	buf_printf(b, ",\"backup_timestamp\":%llu,\"size\":%lld,\"has_index\":%s",
	    (unsigned long long)ts, (long long)c->total,
	    strcmp(c->index_infos, "[]") != 0 ? "true" : "false");
	if (strcmp(c->index_infos, "[]") != 0)
		buf_printf(b, ",\"index_infos\":%s", c->index_infos);
	buf_adds(b, ",\"load_state\":");
	labd_json_str(b, c->load_state);
	buf_printf(b, ",\"backup_physical_timestamp\":%lld", (long long)(t->ts_ms / 1000));
	if (strcmp(c->props, "[]") != 0)
		buf_printf(b, ",\"properties\":%s", c->props);
	if (c->db_id != 0)
		buf_printf(b, ",\"db_id\":%lld", (long long)c->db_id);
	buf_adds(b, ",\"virtual_channel_names\":[");
	labd_json_str(b, c->vchan);
	buf_adds(b, "]}");
}

static void
meta_top(struct buf *b, const struct lbk_task *t, const char *version, bool colls)
{
	int64_t size = 0;
	size_t i;

	for (i = 0; i < t->n_colls; i++)
		size += t->colls[i].total;
	buf_adds(b, "{\"id\":");
	labd_json_str(b, t->id);
	/* The deprecated state_code is not omitempty: a zero still shows. */
	buf_adds(b, ",\"state_code\":0,\"name\":");
	labd_json_str(b, t->name);
	buf_printf(b, ",\"backup_timestamp\":%llu",
	    (unsigned long long)((uint64_t)t->ts_ms << LBK_LOGICAL_BITS));
	if (colls && t->n_colls > 0) {
		buf_adds(b, ",\"collection_backups\":[");
		for (i = 0; i < t->n_colls; i++) {
			if (i > 0)
				buf_addc(b, ',');
			meta_coll(b, t, &t->colls[i], true);
		}
		buf_addc(b, ']');
	}
	buf_printf(b, ",\"size\":%lld,\"milvus_version\":", (long long)size);
	labd_json_str(b, version);
	/* rbac_meta (field 12) only when the create asked for it: a nil
	 * pointer otherwise, left out by omitempty. */
	if (t->rbac != NULL)
		buf_printf(b, ",\"rbac_meta\":%s", t->rbac);
	if (t->dbs != NULL && strcmp(t->dbs, "[]") != 0)
		buf_printf(b, ",\"database_backups\":%s", t->dbs);
	buf_addc(b, '}');
}

void
lbk_meta_build(const struct lbk_task *t, const char *milvus_version, struct buf out[5])
{
	size_t i, n = 0;

	for (i = 0; i < LBK_META_FILES; i++)
		buf_init(&out[i]);
	meta_top(&out[0], t, milvus_version, true);
	meta_top(&out[1], t, milvus_version, false);
	buf_adds(&out[2], "{\"infos\":[");
	buf_adds(&out[3], "{\"infos\":[");
	buf_adds(&out[4], "{\"infos\":[");
	for (i = 0; i < t->n_colls; i++) {
		const struct lbk_coll *c = &t->colls[i];
		size_t k;

		buf_adds(&out[2], i > 0 ? "," : "");
		meta_coll(&out[2], t, c, false);
		buf_adds(&out[3], i > 0 ? "," : "");
		meta_part(&out[3], c, false);
		for (k = 0; k < c->n_segs; k++) {
			buf_adds(&out[4], n++ > 0 ? "," : "");
			meta_seg(&out[4], c, &c->segs[k]);
		}
	}
	for (i = 2; i < LBK_META_FILES; i++)
		buf_adds(&out[i], "]}");
}

/* ---- restoring: create bodies and rows ---- */

char *
lbk_create_body(const char *db, const char *name, const cJSON *cm)
{
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(cm, "schema"), *f, *p;
	struct buf b = BUF_INIT;
	int64_t cl = lbk_json_int(cm, "consistency_level", 0);
	bool first = true;

	buf_adds(&b, "{\"dbName\":");
	labd_json_str(&b, db);
	buf_adds(&b, ",\"collectionName\":");
	labd_json_str(&b, name);
	if (jstr(schema, "description")[0] != '\0') {
		buf_adds(&b, ",\"description\":");
		labd_json_str(&b, jstr(schema, "description"));
	}
	buf_printf(&b, ",\"schema\":{\"autoId\":%s,\"enableDynamicField\":%s,\"fields\":[",
	    jbool(schema, "autoID") ? "true" : "false",
	    jbool(schema, "enable_dynamic_field") ? "true" : "false");
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(schema, "fields")) {
		if (jbool(f, "is_dynamic"))
			continue;
		buf_adds(&b, first ? "{\"fieldName\":" : ",{\"fieldName\":");
		first = false;
		labd_json_str(&b, jstr(f, "name"));
		buf_printf(&b, ",\"dataType\":\"%s\",\"isPrimary\":%s",
		    type_name((int)lbk_json_int(f, "data_type", 0)),
		    jbool(f, "is_primary_key") ? "true" : "false");
		if (jstr(f, "description")[0] != '\0') {
			buf_adds(&b, ",\"description\":");
			labd_json_str(&b, jstr(f, "description"));
		}
		if (jbool(f, "is_partition_key"))
			buf_adds(&b, ",\"isPartitionKey\":true");
		if (jbool(f, "nullable"))
			buf_adds(&b, ",\"nullable\":true");
		buf_adds(&b, ",\"elementTypeParams\":{");
		p = NULL;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(f, "type_params")) {
			if (p != cJSON_GetObjectItemCaseSensitive(f, "type_params")->child)
				buf_addc(&b, ',');
			labd_json_str(&b, jstr(p, "key"));
			buf_addc(&b, ':');
			labd_json_str(&b, jstr(p, "value"));
		}
		buf_adds(&b, "}}");
	}
	buf_adds(&b, "]},\"indexParams\":[");
	first = true;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(cm, "index_infos")) {
		p = cJSON_GetObjectItemCaseSensitive(f, "params");
		buf_adds(&b, first ? "{\"fieldName\":" : ",{\"fieldName\":");
		first = false;
		labd_json_str(&b, jstr(f, "field_name"));
		buf_adds(&b, ",\"indexName\":");
		labd_json_str(&b, jstr(f, "index_name"));
		buf_adds(&b, ",\"metricType\":");
		labd_json_str(&b, jstr(p, "metric_type")[0] != '\0' ? jstr(p, "metric_type") :
		    "COSINE");
		buf_addc(&b, '}');
	}
	buf_printf(&b, "],\"params\":{\"shardsNum\":%lld,\"consistencyLevel\":\"%s\"}}",
	    (long long)lbk_json_int(cm, "shards_num", 1),
	    cl >= 0 && cl <= 4 ? consistency_names[cl] : "Bounded");
	return buf_detach(&b, NULL);
}

static const cJSON *
schema_field(const cJSON *schema, int64_t id)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(schema, "fields")) {
		if (lbk_json_int(f, "fieldID", 0) == id)
			return f;
	}
	return NULL;
}

static void
add_value(struct buf *b, const cJSON *v)
{
	char *txt = cJSON_PrintUnformatted(v);

	buf_adds(b, txt != NULL ? txt : "null");
	free(txt);
}

int
lbk_rows_json(struct buf *b, const cJSON *schema, const int64_t *field_ids,
    cJSON *const *cols, size_t n_cols, size_t from, size_t max, size_t *next, char *err,
    size_t errlen)
{
	size_t start = b->len, row = from, k;
	const cJSON **fields = xcalloc(n_cols + 1, sizeof *fields), *e;
	cJSON **cur = xcalloc(n_cols + 1, sizeof *cur);
	bool auto_id = jbool(schema, "autoID"), first_row = true, first;
	int n = -1;
	size_t i;

	for (i = 0; i < n_cols; i++) {
		if (!cJSON_IsArray(cols[i]) || (n >= 0 && cJSON_GetArraySize(cols[i]) != n)) {
			snprintf(err, errlen, "binlog of field %lld holds %d rows, not %d",
			    (long long)field_ids[i], cJSON_GetArraySize(cols[i]), n);
			free(fields);
			free(cur);
			return -1;
		}
		n = cJSON_GetArraySize(cols[i]);
		fields[i] = schema_field(schema, field_ids[i]);
		/* The system fields and an auto-ID key are Milvus's to fill. */
		if (fields[i] != NULL && auto_id && jbool(fields[i], "is_primary_key"))
			fields[i] = NULL;
		cur[i] = cols[i]->child;
		for (k = 0; k < from && cur[i] != NULL; k++)
			cur[i] = cur[i]->next;
	}
	while (n_cols > 0 && cur[0] != NULL && b->len - start < max) {
		buf_adds(b, first_row ? "{" : ",{");
		first_row = false;
		first = true;
		for (i = 0; i < n_cols; i++) {
			if (fields[i] != NULL && jbool(fields[i], "is_dynamic")) {
				cJSON_ArrayForEach(e, cur[i]) {
					buf_adds(b, first ? "" : ",");
					first = false;
					labd_json_str(b, e->string != NULL ? e->string : "");
					buf_addc(b, ':');
					add_value(b, e);
				}
			} else if (fields[i] != NULL) {
				buf_adds(b, first ? "" : ",");
				first = false;
				labd_json_str(b, jstr(fields[i], "name"));
				buf_addc(b, ':');
				add_value(b, cur[i]);
			}
			cur[i] = cur[i]->next;
		}
		buf_addc(b, '}');
		row++;
	}
	*next = row;
	free(fields);
	free(cur);
	return 0;
}
