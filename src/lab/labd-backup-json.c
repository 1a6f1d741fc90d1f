/* SPDX-License-Identifier: MIT */
/* The lab backup server's pure parts: reading /create requests, milvus-backup's
 * name rules, task progress as taskmgr computes it, and the answers' JSON as Go
 * encoding/json writes the backuppb structs (omitempty, integer enums). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"

#define LBK_MAX_NAME	128	/* core/backup/func.go _maxNameLength */
#define LBK_MAX_SEL	4096	/* collections one request may name */

void
lbk_faults_parse(const char *text, struct lbk_faults *f)
{
	char line[256], key[64];
	const char *p = text, *nl;
	long long v;
	int n;

	memset(f, 0, sizeof *f);
	f->full_after = -1;
	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = snprintf(line, sizeof line, "%.*s", nl != NULL ? (int)(nl - p) : (int)strlen(p),
		    p);
		p = nl != NULL ? nl + 1 : NULL;
		if (n <= 0 || line[0] == '#')
			continue;
		v = -1;
		if (sscanf(line, "%63s %lld", key, &v) < 1)
			continue;
		if (strcmp(key, "storage_not_ready") == 0)
			f->not_ready = true;
		else if (strcmp(key, "storage_full_after") == 0 && v >= 0)
			f->full_after = v;
		else if (strcmp(key, "copy_rate") == 0 && v > 0)
			f->copy_rate = v;
	}
}

void
lbk_uuid(char out[37])
{
	unsigned char r[16];
	int64_t t = time_mono_ms();
	size_t i;

	if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		/* Unique is all a request id needs to be. */
		for (i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)((t >> (i % 8)) ^ (getpid() >> (i % 3)) ^ (int)i * 37);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
	    r[13], r[14], r[15]);
}

/* core/backup/func.go ValidateName (an empty name never gets here: it
 * crashes the real handler first). ASCII letters only in the lab. */
const char *
lbk_name_error(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)name[i]))
			return "backup name should not contain whitespace";
	}
	if (n > LBK_MAX_NAME)
		return "backup name length should not exceed 128";
	if (name[0] != '_' && !isalpha((unsigned char)name[0]))
		return "backup name should start with an underscore or letter";
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return "backup name should only contain numbers, letters and underscores";
	}
	return NULL;
}

static void
sel_add(struct lbk_create *c, const char *db, const char *coll)
{
	if (c->n_sel >= 2 * LBK_MAX_SEL)
		return;
	c->sel = xreallocarray(c->sel, c->n_sel + 2, sizeof *c->sel);
	c->sel[c->n_sel++] = xstrdup(db);
	c->sel[c->n_sel++] = xstrdup(coll);
}

/* filter: {"db":{"colls":["c1"]}}; "*" the whole database, none its DDL only. */
static void
sel_filter(struct lbk_create *c, const cJSON *filter)
{
	const cJSON *db, *colls, *e;

	cJSON_ArrayForEach(db, filter) {
		colls = cJSON_GetObjectItemCaseSensitive(db, "colls");
		if (db->string == NULL)
			continue;
		if (cJSON_GetArraySize(colls) == 0)
			sel_add(c, db->string, "");
		cJSON_ArrayForEach(e, colls) {
			if (cJSON_IsString(e))
				sel_add(c, db->string, e->valuestring);
		}
	}
}

/* db_collections: {"db1":["c1"],"db2":[]} as an object or a string of it;
 * [] is the whole database. */
static int
sel_db_collections(struct lbk_create *c, const cJSON *v)
{
	cJSON *own = NULL;
	const cJSON *db, *e;

	if (cJSON_IsString(v)) {
		if (v->valuestring[0] == '\0')
			return 0;
		v = own = cJSON_Parse(v->valuestring);
	}
	if (!cJSON_IsObject(v)) {
		cJSON_Delete(own);
		return -1;
	}
	cJSON_ArrayForEach(db, v) {
		if (db->string == NULL)
			continue;
		if (cJSON_GetArraySize(db) == 0)
			sel_add(c, db->string, "*");
		cJSON_ArrayForEach(e, db) {
			if (cJSON_IsString(e))
				sel_add(c, db->string, e->valuestring);
		}
	}
	cJSON_Delete(own);
	return 0;
}

/* Members gin's binding would refuse: a string where one is declared, etc. */
static bool
bad_type(const cJSON *o, const char *name, cJSON_bool (*is)(const cJSON *))
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	return it != NULL && !cJSON_IsNull(it) && !is(it);
}

int
lbk_create_parse(const char *body, size_t len, const char *hdr_rid, struct lbk_create *c,
    char *err, size_t errlen)
{
	const cJSON *it, *e;
	cJSON *j;
	char id[37];

	memset(c, 0, sizeof *c);
	j = len > 0 ? cJSON_ParseWithLength(body, len) : NULL;
	if (!cJSON_IsObject(j) || bad_type(j, "backup_name", cJSON_IsString) ||
	    bad_type(j, "async", cJSON_IsBool) || bad_type(j, "requestId", cJSON_IsString) ||
	    bad_type(j, "collection_names", cJSON_IsArray) ||
	    bad_type(j, "filter", cJSON_IsObject) || bad_type(j, "strategy", cJSON_IsString) ||
	    bad_type(j, "format", cJSON_IsString) || bad_type(j, "rbac", cJSON_IsBool)) {
		snprintf(err, errlen, "Invalid request body");
		cJSON_Delete(j);
		return -1;
	}
	/* The header replaces the body's requestId, even when it is absent. */
	if (hdr_rid != NULL && hdr_rid[0] != '\0')
		c->rid = xstrndup(hdr_rid, 256);
	else {
		lbk_uuid(id);
		c->rid = xstrdup(id);
	}
	it = cJSON_GetObjectItemCaseSensitive(j, "backup_name");
	c->has_name = cJSON_IsString(it) && it->valuestring[0] != '\0';
	c->name = xstrndup(cJSON_IsString(it) ? it->valuestring : "", 1024);
	c->async = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "async"));
	c->rbac = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "rbac"));
	it = cJSON_GetObjectItemCaseSensitive(j, "strategy");
	c->strategy = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
	it = cJSON_GetObjectItemCaseSensitive(j, "format");
	c->format = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
	/* toFilter: filter, else db_collections, else collection_names. */
	it = cJSON_GetObjectItemCaseSensitive(j, "filter");
	if (cJSON_GetArraySize(it) > 0)
		sel_filter(c, it);
	else if ((it = cJSON_GetObjectItemCaseSensitive(j, "db_collections")) != NULL &&
	    !cJSON_IsNull(it) && !(cJSON_IsString(it) && it->valuestring[0] == '\0')) {
		if (sel_db_collections(c, it) != 0) {
			snprintf(err, errlen, "server: build option: server: build filter: server: "
			    "unmarshal dbCollections: invalid character");
			cJSON_Delete(j);
			return 1;
		}
	} else {
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "collection_names")) {
			const char *dot;

			if (!cJSON_IsString(e))
				continue;
			dot = strchr(e->valuestring, '.');
			if (dot == NULL)
				sel_add(c, "default", e->valuestring);
			else {
				char *db = xstrndup(e->valuestring, (size_t)(dot - e->valuestring));

				sel_add(c, db, dot + 1);
				free(db);
			}
		}
	}
	cJSON_Delete(j);
	return 0;
}

void
lbk_create_free(struct lbk_create *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->rid);
	free(c->name);
	free(c->strategy);
	free(c->format);
	for (i = 0; i < c->n_sel; i++)
		free(c->sel[i]);
	free(c->sel);
	memset(c, 0, sizeof *c);
}

/* ---- progress (internal/taskmgr) ---- */

int
lbk_coll_progress(const struct lbk_coll *c)
{
	switch (c->state) {
	case LBK_C_PENDING: return 1;
	case LBK_C_DDL: return 5;
	case LBK_C_DDL_DONE: return 10;
	case LBK_C_DML_PREPARE: return 15;
	case LBK_C_DML:
		if (c->total == 0)
			return 15;
		/* [0, 100] mapped to [15, 100], truncated as Go's int32() does. */
		return (int)((double)c->copied / (double)c->total * 100 * 0.85) + 15;
	case LBK_C_DML_DONE: case LBK_C_SUCCESS: return 100;
	case LBK_C_FAIL: break;
	}
	return 0;
}

int
lbk_task_progress(const struct lbk_task *t)
{
	int64_t sum = 0;
	size_t i;

	switch (t->state) {
	case LBK_T_INITIAL: return 1;
	case LBK_T_DB: return 5;
	case LBK_T_COLL:
		if (t->n_colls == 0)
			return 5;
		for (i = 0; i < t->n_colls; i++)
			sum += lbk_coll_progress(&t->colls[i]);
		return (int)((double)sum / (double)t->n_colls * 0.95) + 5;
	case LBK_T_SUCCESS: return 100;
	case LBK_T_FAIL: break;
	}
	return 0;
}

int
lbk_task_state_code(const struct lbk_task *t)
{
	switch (t->state) {
	case LBK_T_INITIAL: return LBK_INITIAL;
	case LBK_T_DB: case LBK_T_COLL: return LBK_EXECUTING;
	case LBK_T_SUCCESS: return LBK_SUCCESS;
	case LBK_T_FAIL: break;
	}
	return LBK_FAILED;
}

int
lrs_coll_progress(const struct lrs_coll *c)
{
	int p;

	if (c->state == LBK_SUCCESS)
		return 100;
	if (c->total == 0)
		return 1;
	p = (int)((double)c->done / (double)c->total * 100);
	return p == 0 ? 1 : p;
}

int
lrs_task_progress(const struct lrs_task *t)
{
	int64_t total = 0, restored = 0;
	size_t i;
	int p;

	if (t->state == LBK_SUCCESS)
		return 100;
	for (i = 0; i < t->n_colls; i++) {
		total += t->colls[i].total;
		restored += t->colls[i].total * lrs_coll_progress(&t->colls[i]) / 100;
	}
	if (total == 0)
		return 1;
	p = (int)((double)restored / (double)total * 100);
	return p == 0 ? 1 : p;
}

/* ---- answers ---- */

void
lbk_envelope(struct buf *b, const char *rid, int code, const char *msg, const char *data)
{
	const char *sep = "";

	buf_addc(b, '{');
	if (rid != NULL && rid[0] != '\0') {
		buf_adds(b, "\"requestId\":");
		labd_json_str(b, rid);
		sep = ",";
	}
	if (code != 0) {
		buf_printf(b, "%s\"code\":%d", sep, code);
		sep = ",";
	}
	if (msg != NULL && msg[0] != '\0') {
		buf_printf(b, "%s\"msg\":", sep);
		labd_json_str(b, msg);
		sep = ",";
	}
	/* DeleteBackupResponse has no data member: "" leaves it out. */
	if (data == NULL || data[0] != '\0')
		buf_printf(b, "%s\"data\":%s", sep, data != NULL ? data : "null");
	buf_addc(b, '}');
}

/* A task's times as Go's time.Time.Unix(): a zero time is -62135596800. */
static int64_t
go_unix(int64_t s)
{
	return s != 0 ? s : LBK_GO_ZERO_TIME;
}

static void
add_member(struct buf *b, const cJSON *o, const char *name, const char *dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
	char *txt;

	if (it == NULL || cJSON_IsNull(it) || (cJSON_IsArray(it) && cJSON_GetArraySize(it) == 0) ||
	    (cJSON_IsString(it) && it->valuestring[0] == '\0')) {
		if (dflt != NULL)
			buf_printf(b, ",\"%s\":%s", name, dflt);
		return;
	}
	txt = cJSON_PrintUnformatted(it);
	buf_printf(b, ",\"%s\":%s", name, txt != NULL ? txt : "null");
	free(txt);
}

/* CollectionBackupInfoBrief from a CollectionBackupInfo of the meta. */
static void
coll_brief(struct buf *b, const cJSON *c)
{
	static const char *const names[] = { "collection_id", "db_name", "collection_name",
	    "schema", "shards_num", "backup_timestamp", NULL };
	static const char *const tail[] = { "index_infos", "load_state",
	    "backup_physical_timestamp", "channel_checkpoints", "properties", NULL };
	size_t i;

	buf_adds(b, "{\"id\":");
	labd_json_str(b, cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "id")) ?
	    cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring : "");
	for (i = 0; names[i] != NULL; i++)
		add_member(b, c, names[i], NULL);
	add_member(b, c, "size", "0");
	add_member(b, c, "has_index", "false");
	for (i = 0; tail[i] != NULL; i++)
		add_member(b, c, tail[i], NULL);
	buf_addc(b, '}');
}

void
lbk_brief_json(struct buf *b, const struct lbk_task *t, const cJSON *meta, int64_t meta_size,
    int version)
{
	const cJSON *colls, *c;
	const char *name = NULL;
	bool first = true;

	buf_addc(b, '{');
	if (t != NULL) {
		buf_adds(b, "\"id\":");
		labd_json_str(b, t->id);
		buf_adds(b, ",");
		name = t->name;
	}
	buf_printf(b, "\"state_code\":%d", t != NULL ? lbk_task_state_code(t) : 0);
	if (t != NULL && t->error != NULL && t->error[0] != '\0') {
		buf_adds(b, ",\"errorMessage\":");
		labd_json_str(b, t->error);
	}
	if (t != NULL)
		buf_printf(b, ",\"start_time\":%lld,\"end_time\":%lld", (long long)t->start_s,
		    (long long)go_unix(t->end_s));
	buf_printf(b, ",\"progress\":%d", t != NULL ? lbk_task_progress(t) : 0);
	if (meta != NULL && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(meta, "name")))
		name = cJSON_GetObjectItemCaseSensitive(meta, "name")->valuestring;
	if (name != NULL && name[0] != '\0') {
		buf_adds(b, ",\"name\":");
		labd_json_str(b, name);
	}
	if (meta != NULL) {
		add_member(b, meta, "backup_timestamp", NULL);
		colls = cJSON_GetObjectItemCaseSensitive(meta, "collection_backups");
		if (cJSON_GetArraySize(colls) > 0) {
			buf_adds(b, ",\"collection_backups\":[");
			cJSON_ArrayForEach(c, colls) {
				if (!first)
					buf_addc(b, ',');
				first = false;
				coll_brief(b, c);
			}
			buf_addc(b, ']');
		}
	}
	buf_printf(b, ",\"size\":%lld", (long long)(meta != NULL ?
	    lbk_json_int(meta, "size", 0) : 0));
	if (meta != NULL) {
		add_member(b, meta, "milvus_version", NULL);
		add_member(b, meta, "rpc_channel_info", NULL);
		add_member(b, meta, "database_backups", NULL);
	}
	buf_printf(b, ",\"meta_size\":%lld", (long long)meta_size);
	/* 0.5.x has no format; 0.6 omits the binlog format's "" (omitempty). */
	if (version >= 6 && meta != NULL)
		add_member(b, meta, "format", NULL);
	buf_addc(b, '}');
}

static void
restore_coll_json(struct buf *b, const struct lrs_coll *c)
{
	/* No "id": the server never assigns one (contract §0.1). */
	buf_printf(b, "{\"state_code\":%d", c->state);
	if (c->error != NULL && c->error[0] != '\0') {
		buf_adds(b, ",\"errorMessage\":");
		labd_json_str(b, c->error);
	}
	buf_printf(b, ",\"start_time\":%lld,\"end_time\":%lld,\"progress\":%d",
	    (long long)c->start_s, (long long)go_unix(c->end_s), lrs_coll_progress(c));
	buf_adds(b, ",\"target_db_name\":");
	labd_json_str(b, c->db);
	buf_adds(b, ",\"target_collection_name\":");
	labd_json_str(b, c->name);
	buf_addc(b, '}');
}

void
lrs_task_json(struct buf *b, const struct lrs_task *t)
{
	size_t i;

	buf_adds(b, "{\"id\":");
	labd_json_str(b, t->id);
	buf_printf(b, ",\"state_code\":%d", t->state);
	if (t->error != NULL && t->error[0] != '\0') {
		buf_adds(b, ",\"errorMessage\":");
		labd_json_str(b, t->error);
	}
	buf_printf(b, ",\"start_time\":%lld,\"end_time\":%lld,\"progress\":%d",
	    (long long)t->start_s, (long long)go_unix(t->end_s), lrs_task_progress(t));
	if (t->n_colls > 0) {
		buf_adds(b, ",\"collection_restore_tasks\":[");
		for (i = 0; i < t->n_colls; i++) {
			if (i > 0)
				buf_addc(b, ',');
			restore_coll_json(b, &t->colls[i]);
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}
