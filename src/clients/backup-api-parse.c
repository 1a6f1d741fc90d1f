/* SPDX-License-Identifier: MIT */
/* Pure parsers for milvus-backup's answers: every quirk of its 0.5.x and 0.6.x
 * servers is normalised here, in one place, into backup_api.h's structs. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/backup_api.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

/* Go's zero time.Time in Unix seconds: a running task's end_time (contract
 * 0.1), "not ended" rather than a date. */
#define BK_GO_ZERO_TIME		(-62135596800LL)
/* 9999-12-31T23:59:59Z: later seconds are garbage, not a time. */
#define BK_MAX_SECONDS		253402300799LL
/* The physical part of a hybrid timestamp sits above its 18 logical bits. */
#define BK_LOGICAL_BITS		18
#define BK_HELLO		"Hello, This is backup service"

enum {
	BK_CODE_FAIL = 3,
	BK_CODE_PARAM = 400,
	BK_CODE_NOT_FOUND = 404,
	BK_CODE_STORAGE_NOT_READY = 503,
};

static void
bk_brief_release(struct backup_brief *b)
{
	size_t i;

	free(b->name);
	free(b->id);
	free(b->error);
	free(b->milvus_version);
	for (i = 0; i < b->n_colls; i++) {
		free(b->colls[i].db);
		free(b->colls[i].name);
	}
	free(b->colls);
	memset(b, 0, sizeof *b);
}

static void
bk_restore_release(struct backup_restore *r)
{
	size_t i;

	free(r->id);
	free(r->error);
	for (i = 0; i < r->n_colls; i++) {
		free(r->colls[i].db);
		free(r->colls[i].name);
		free(r->colls[i].error);
	}
	free(r->colls);
	memset(r, 0, sizeof *r);
}

/* Drop half-filled data after a failure; the envelope facts stay. */
static void
bk_drop_payload(struct backup_result *out)
{
	size_t i;

	bk_brief_release(&out->brief);
	for (i = 0; i < out->n_list; i++)
		bk_brief_release(&out->list[i]);
	free(out->list);
	out->list = NULL;
	out->n_list = 0;
	out->list_skipped = 0;
	bk_restore_release(&out->restore);
	out->no_data = false;
}

void
backup_result_release(struct backup_result *res)
{
	if (res == NULL)
		return;
	bk_drop_payload(res);
	free(res->msg);
	free(res->request_id);
	memset(res, 0, sizeof *res);
}

static int __attribute__((format(printf, 5, 6)))
bk_fail(struct backup_result *out, int e, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	out->err = e;
	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return e;
}

static int
bk_ok(struct backup_result *out, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	out->err = BACKUP_OK;
	return BACKUP_OK;
}

/* The member under its proto name, else under the other spelling: the
 * server's bodies mix requestId with state_code (Go encoding/json over the
 * proto names), and a protojson encoder would write stateCode. */
static const cJSON *
bk_item(const cJSON *obj, const char *name)
{
	const cJSON *it;
	char alt[64];
	size_t i, j = 0;
	bool snake = strchr(name, '_') != NULL;

	if (!cJSON_IsObject(obj))
		return NULL;
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, name)) != NULL)
		return it;
	for (i = 0; name[i] != '\0' && j + 3 < sizeof alt; i++) {
		if (snake && name[i] == '_' && name[i + 1] != '\0')
			alt[j++] = (char)toupper((unsigned char)name[++i]);
		else if (!snake && isupper((unsigned char)name[i])) {
			alt[j++] = '_';
			alt[j++] = (char)tolower((unsigned char)name[i]);
		} else
			alt[j++] = name[i];
	}
	alt[j] = '\0';
	return cJSON_GetObjectItemCaseSensitive(obj, alt);
}

/* A bounded copy of a string member; NULL when absent, not a string or "" (Go
 * omits empty strings, so "" and absent mean the same). */
static char *
bk_str(const cJSON *obj, const char *name)
{
	const cJSON *it = bk_item(obj, name);

	if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
		return NULL;
	return xstrndup(it->valuestring, MJ_MAX_STR);
}

/* An int64 member (a number, or digits in a string as protojson writes
 * int64s); dflt when absent or not an integer. */
static int64_t
bk_int(const cJSON *obj, const char *name, int64_t dflt)
{
	int64_t v;

	if (mj_int64(bk_item(obj, name), &v) != 0)
		return dflt;
	return v;
}

/* A uint64 read from its digits: backup_timestamp exceeds 2^53, and
 * mj_parse has kept it as a string so no double rounds it. */
static int
bk_uint64(const cJSON *it, uint64_t *out)
{
	int64_t v;

	if (cJSON_IsString(it))
		return jsonraw_parse_uint64(it->valuestring, strlen(it->valuestring), out);
	if (mj_int64(it, &v) != 0 || v < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* Unix seconds to epoch ms; 0 for Go's zero time, 0, negatives and garbage. */
static int64_t
bk_time_ms(const cJSON *obj, const char *name)
{
	int64_t s = bk_int(obj, name, 0);

	if (s == BK_GO_ZERO_TIME || s <= 0 || s > BK_MAX_SECONDS)
		return 0;
	return s * 1000;
}

/* Task states come as integers (Go encoding/json); a protojson encoder would
 * write the enum's name, with or without BACKUP_. Absent is 0, as proto3
 * encoders omit zero. */
static enum backup_task_state
bk_state(const cJSON *it)
{
	static const char *const names[] = { "INITIAL", "EXECUTING", "SUCCESS", "FAIL",
	    "TIMEOUT" };
	const char *s;
	int64_t v;
	size_t i;

	if (it == NULL || cJSON_IsNull(it))
		return BACKUP_TASK_INITIAL;
	if (cJSON_IsString(it)) {
		s = it->valuestring;
		if (strncasecmp(s, "BACKUP_", 7) == 0)
			s += 7;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcasecmp(s, names[i]) == 0)
				return (enum backup_task_state)i;
	}
	if (mj_int64(it, &v) == 0 && v >= 0 && v <= BACKUP_TASK_TIMEOUT)
		return (enum backup_task_state)v;
	return BACKUP_TASK_UNKNOWN;
}

/* Progress reaches 100 before the state says success (backup: every
 * collection DMLDone; restore: every import job at 100; older restores showed
 * 100 while running, milvus-backup#305), so 100 is shown only with SUCCESS. */
static int
bk_progress(const cJSON *obj, enum backup_task_state st)
{
	int64_t p = bk_int(obj, "progress", 0);

	if (st == BACKUP_TASK_SUCCESS)
		return 100;
	if (p < 0)
		return 0;
	return p >= 100 ? 99 : (int)p;
}

/* ResponseCode as an integer (Go), or its enum name (protojson). */
static int
bk_code(const cJSON *it, int *code)
{
	static const struct { const char *name; int code; } names[] = {
		{ "Success", 0 }, { "Not_Support", 1 }, { "No_Permission", 2 }, { "Fail", 3 },
		{ "Parameter_Error", 400 }, { "Request_Object_Not_Found", 404 },
		{ "Storage_Not_Ready", 503 },
	};
	int64_t v;
	size_t i;

	if (it == NULL) {
		/* omitempty drops code 0: a missing code is success. */
		*code = 0;
		return 0;
	}
	if (cJSON_IsString(it))
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcmp(it->valuestring, names[i].name) == 0) {
				*code = names[i].code;
				return 0;
			}
	if (mj_int64(it, &v) != 0 || v < -1000000000 || v > 1000000000)
		return -1;
	*code = (int)v;
	return 0;
}

static bool
bk_msg_has(const struct backup_result *out, const char *needle)
{
	return out->msg != NULL && strcasestr(out->msg, needle) != NULL;
}

/* The server's msg as one safe line, for messages. */
static const char *
bk_msg(const struct backup_result *out, char *tmp, size_t tmplen)
{
	const char *m = out->msg != NULL ? out->msg : "";

	mj_oneline(tmp, tmplen, m, strlen(m));
	return tmp;
}

static bool
bk_blank(const char *body, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr(" \t\r\n", body[i]) == NULL || body[i] == '\0')
			return false;
	return true;
}

/* An answer without the envelope: a proxy's, Gin's own {"error": ...} (a
 * body that did not bind: 400; /check: 500), or not milvus-backup at all. */
static int
bk_http(struct backup_result *out, int status, const cJSON *root, const char *what,
    char *err, size_t errlen)
{
	const cJSON *e = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "error") :
	    NULL;
	char tmp[160];

	if (status == 401 || status == 403)
		return bk_fail(out, BACKUP_EAUTH, err, errlen, "the backup server's proxy refused "
		    "the credentials (HTTP %d)", status);
	if (cJSON_IsString(e)) {
		mj_oneline(tmp, sizeof tmp, e->valuestring, strlen(e->valuestring));
		return bk_fail(out, BACKUP_EHTTP, err, errlen, "milvus-backup refused the "
		    "request: %s (HTTP %d)", tmp, status);
	}
	if (status == 200)
		return bk_fail(out, BACKUP_EPROTO, err, errlen, "%s", what);
	out->retryable = status == 502 || status == 503 || status == 504;
	return bk_fail(out, BACKUP_EHTTP, err, errlen, "milvus-backup answered HTTP %d", status);
}

/* The envelope {"requestId","code","msg","data"} every answer shares. Returns
 * out->err: BACKUP_OK with out->code to map (and *data when the code is 0),
 * or the settled failure. *root is for the caller to delete. */
static int
bk_envelope(const char *body, size_t len, int status, struct backup_result *out,
    cJSON **root, const cJSON **data, char *err, size_t errlen)
{
	char tmp[160];

	*root = NULL;
	*data = NULL;
	if (body == NULL)
		len = 0;
	/* Contract 0: "Treat an empty 500 as this known failure, not as a
	 * transport error" (a handler that dereferenced a null pointer). */
	if (status == 500 && bk_blank(body, len))
		return bk_fail(out, BACKUP_ECRASH, err, errlen,
		    "milvus-backup crashed handling the request (HTTP 500, empty body)");
	*root = len > 0 ? mj_parse(body, len) : NULL;
	if (!cJSON_IsObject(*root) || status == 401 || status == 403 ||
	    (bk_item(*root, "code") == NULL && bk_item(*root, "msg") == NULL &&
	    bk_item(*root, "data") == NULL && bk_item(*root, "requestId") == NULL))
		return bk_http(out, status, *root, "malformed answer from milvus-backup", err,
		    errlen);
	if (bk_code(bk_item(*root, "code"), &out->code) != 0)
		return bk_fail(out, BACKUP_EPROTO, err, errlen,
		    "malformed code in a milvus-backup answer");
	out->msg = bk_str(*root, "msg");
	out->request_id = bk_str(*root, "requestId");
	if (out->code == BK_CODE_STORAGE_NOT_READY) {
		/* Contract 0 (#1233): create lists the source bucket first; on
		 * failure nothing is registered and the same request may be retried. */
		out->retryable = true;
		return bk_fail(out, BACKUP_ENOTREADY, err, errlen, "milvus-backup storage is not "
		    "ready: %s (code 503); nothing was registered", bk_msg(out, tmp, sizeof tmp));
	}
	if (out->code == 0 && status != 200)
		return bk_http(out, status, NULL, "", err, errlen);
	*data = bk_item(*root, "data");
	if (cJSON_IsNull(*data))
		*data = NULL;
	return BACKUP_OK;
}

/* A nonzero code that no rule of the call explains. */
static int
bk_server_fail(struct backup_result *out, char *err, size_t errlen)
{
	char tmp[160];

	if (out->msg == NULL)
		return bk_fail(out, BACKUP_ESERVER, err, errlen, "milvus-backup reported code %d",
		    out->code);
	return bk_fail(out, BACKUP_ESERVER, err, errlen, "%s (code %d)",
	    bk_msg(out, tmp, sizeof tmp), out->code);
}

static const cJSON *
bk_array(const cJSON *obj, const char *name, size_t *n, int *bad)
{
	const cJSON *it = bk_item(obj, name);

	*n = 0;
	if (it == NULL || cJSON_IsNull(it))
		return NULL;
	if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) > MJ_MAX_ITEMS) {
		*bad = 1;
		return NULL;
	}
	*n = (size_t)cJSON_GetArraySize(it);
	return it;
}

/* Per-collection counts. Servers that sent whole CollectionBackupInfo records
 * (older ones) list partition_backups[].segment_backups[] with num_of_rows;
 * the brief of later servers and the snapshot format have none: -1. */
static void
bk_coll_counts(const cJSON *c, struct backup_collection *bc)
{
	const cJSON *parts, *p, *segs, *s;
	size_t np, ns;
	int bad = 0;
	int64_t rows;

	bc->rows = bc->partitions = bc->segments = -1;
	parts = bk_array(c, "partition_backups", &np, &bad);
	if (parts == NULL || bad)
		return;
	bc->partitions = (int64_t)np;
	bc->segments = 0;
	bc->rows = 0;
	cJSON_ArrayForEach(p, parts) {
		segs = bk_array(p, "segment_backups", &ns, &bad);
		if (bad)
			break;
		bc->segments += (int64_t)ns;
		cJSON_ArrayForEach(s, segs) {
			rows = bk_int(s, "num_of_rows", -1);
			if (rows < 0 || bc->rows < 0 || rows > INT64_MAX - bc->rows)
				bc->rows = -1;
			else
				bc->rows += rows;
		}
	}
	if (bad)
		bc->rows = bc->segments = -1;
}

/* BackupInfoBrief (or an older BackupInfo) into b; -1 when data is not an
 * object or a list in it is not a list. */
static int
bk_brief(const cJSON *data, struct backup_brief *b)
{
	const cJSON *colls, *c, *fmt;
	uint64_t ts;
	int64_t phys, newest = 0;
	size_t n;
	int bad = 0;

	if (!cJSON_IsObject(data))
		return -1;
	b->name = bk_str(data, "name");
	b->id = bk_str(data, "id");
	b->error = bk_str(data, "errorMessage");
	b->milvus_version = bk_str(data, "milvus_version");
	b->state = bk_state(bk_item(data, "state_code"));
	b->start_ms = bk_time_ms(data, "start_time");
	b->end_ms = bk_time_ms(data, "end_time");
	b->progress = bk_progress(data, b->state);
	b->size = bk_int(data, "size", -1);
	fmt = bk_item(data, "format");
	/* 0.5.x has no format (contract 0.1); "" means binlog on 0.6. */
	if (fmt == NULL || cJSON_IsNull(fmt) || (cJSON_IsString(fmt) &&
	    (fmt->valuestring[0] == '\0' || strcasecmp(fmt->valuestring, "binlog") == 0)))
		b->format = BACKUP_FORMAT_BINLOG;
	else if (cJSON_IsString(fmt) && strcasecmp(fmt->valuestring, "snapshot") == 0)
		b->format = BACKUP_FORMAT_SNAPSHOT;
	else
		b->format = BACKUP_FORMAT_UNKNOWN;
	/* The server's size checks cover the binlog format only (contract 0). */
	b->size_checked = b->format == BACKUP_FORMAT_BINLOG;

	colls = bk_array(data, "collection_backups", &n, &bad);
	if (bad)
		return -1;
	if (n > 0)
		b->colls = xcalloc(n, sizeof *b->colls);
	cJSON_ArrayForEach(c, colls) {
		struct backup_collection *bc;
		char *name = bk_str(c, "collection_name");

		if (name == NULL)
			continue;
		bc = &b->colls[b->n_colls++];
		bc->name = name;
		bc->db = bk_str(c, "db_name");
		if (bc->db == NULL)
			bc->db = xstrdup("default");
		bc->size = bk_int(c, "size", -1);
		bk_coll_counts(c, bc);
		phys = bk_int(c, "backup_physical_timestamp", 0);
		if (phys > newest && phys <= BK_MAX_SECONDS)
			newest = phys;
	}
	/* backup_timestamp is a hybrid TS (physical ms << 18) past 2^53. */
	if (bk_uint64(bk_item(data, "backup_timestamp"), &ts) == 0 && ts > 0 &&
	    (ts >> BK_LOGICAL_BITS) <= (uint64_t)BK_MAX_SECONDS * 1000)
		b->taken_ms = (int64_t)(ts >> BK_LOGICAL_BITS);
	else if (newest > 0)
		b->taken_ms = newest * 1000;

	/* Contract 0.1: on 0.6, a backup known only from storage answers code 0
	 * with state_code 0, progress 0 and no id or times: "a complete backup
	 * reads as initial". Its meta was found, which is the server's own test
	 * of a backup's existence, so it reads as stored, not as a task. */
	if (b->name != NULL && b->id == NULL && b->state == BACKUP_TASK_INITIAL &&
	    b->start_ms == 0) {
		b->state = BACKUP_TASK_STORED;
		b->progress = -1;
	}
	return 0;
}

/* RestoreBackupTaskResponse into r; -1 when its shape is wrong. */
static int
bk_restore(const cJSON *data, struct backup_restore *r)
{
	const cJSON *tasks, *t;
	size_t n;
	int bad = 0;

	if (!cJSON_IsObject(data))
		return -1;
	r->id = bk_str(data, "id");
	r->state = bk_state(bk_item(data, "state_code"));
	r->progress = bk_progress(data, r->state);
	r->error = bk_str(data, "errorMessage");
	r->start_ms = bk_time_ms(data, "start_time");
	r->end_ms = bk_time_ms(data, "end_time");
	tasks = bk_array(data, "collection_restore_tasks", &n, &bad);
	if (bad)
		return -1;
	if (n > 0)
		r->colls = xcalloc(n, sizeof *r->colls);
	cJSON_ArrayForEach(t, tasks) {
		struct backup_restore_coll *rc;

		if (!cJSON_IsObject(t))
			return -1;
		rc = &r->colls[r->n_colls++];
		rc->db = bk_str(t, "target_db_name");
		if (rc->db == NULL)
			rc->db = xstrdup("default");
		rc->name = bk_str(t, "target_collection_name");
		rc->state = bk_state(bk_item(t, "state_code"));
		rc->progress = bk_progress(t, rc->state);
		rc->error = bk_str(t, "errorMessage");
		rc->start_ms = bk_time_ms(t, "start_time");
		rc->end_ms = bk_time_ms(t, "end_time");
	}
	return 0;
}

static void
bk_start(struct backup_result *out, int status)
{
	bk_drop_payload(out);
	free(out->msg);
	free(out->request_id);
	out->msg = out->request_id = NULL;
	out->err = BACKUP_OK;
	out->code = 0;
	out->http_status = status;
	out->retryable = out->unsure = out->greeting = false;
	out->flavour = BACKUP_FLAVOUR_UNKNOWN;
}

int
backup_parse_hello(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	size_t i = 0, hl = strlen(BK_HELLO);

	bk_start(out, http_status);
	if (body == NULL)
		len = 0;
	while (i < len && body[i] != '\0' && strchr(" \t\r\n\"", body[i]) != NULL)
		i++;
	if (http_status == 200 && len - i >= hl && memcmp(body + i, BK_HELLO, hl) == 0) {
		out->greeting = true;
		return bk_ok(out, err, errlen);
	}
	if (http_status == 200 || http_status == 401 || http_status == 403)
		return bk_http(out, http_status, NULL, "not a milvus-backup server: /api/v1/hello "
		    "did not answer its greeting", err, errlen);
	out->retryable = http_status == 502 || http_status == 503 || http_status == 504;
	return bk_fail(out, BACKUP_EHTTP, err, errlen, "not a milvus-backup server: "
	    "/api/v1/hello answered HTTP %d", http_status);
}

/* What each call's answer means beyond the envelope. */
enum bk_kind { BK_NONE, BK_BRIEF, BK_LIST, BK_RESTORE };
struct bk_rule {
	enum bk_kind kind;
	int not_found;		/* what a "not found" code means: ENOTFOUND, ETASKLOST, 0 */
	bool null_ok;		/* "data": null is a success without a record */
};

static const struct bk_rule bk_create = { BK_BRIEF, 0, true };
static const struct bk_rule bk_get = { BK_BRIEF, BACKUP_ENOTFOUND, false };
static const struct bk_rule bk_get_task = { BK_BRIEF, BACKUP_ETASKLOST, false };
static const struct bk_rule bk_list = { BK_LIST, 0, true };
static const struct bk_rule bk_delete = { BK_NONE, BACKUP_ENOTFOUND, true };
static const struct bk_rule bk_restore_start = { BK_RESTORE, BACKUP_ENOTFOUND, true };
static const struct bk_rule bk_get_restore = { BK_RESTORE, BACKUP_ETASKLOST, false };

/* "Not found" in every form the contract lists: get_backup by name, code 3
 * "server: backup NAME not found" (0.6) or code 404 (0.5.0-0.5.9); by id,
 * code 3 "... task not found"; delete, code 3; restore, code 400 "backup
 * NAME not found" (0.6: "app: backup NAME: backup not found"); get_restore,
 * code 3 "task not found". */
static bool
bk_is_not_found(const struct backup_result *out)
{
	return out->code == BK_CODE_NOT_FOUND || ((out->code == BK_CODE_FAIL ||
	    out->code == BK_CODE_PARAM) && bk_msg_has(out, "not found"));
}

static int
bk_not_found(struct backup_result *out, int e, char *err, size_t errlen)
{
	char tmp[160];

	bk_msg(out, tmp, sizeof tmp);
	if (e == BACKUP_ETASKLOST)
		return bk_fail(out, e, err, errlen, "milvus-backup has no such task: tasks "
		    "live only in its memory, so it restarted or another instance answered%s%s%s",
		    tmp[0] != '\0' ? " (" : "", tmp, tmp[0] != '\0' ? ")" : "");
	return bk_fail(out, e, err, errlen, "backup not found%s%s%s",
	    tmp[0] != '\0' ? " (" : "", tmp, tmp[0] != '\0' ? ")" : "");
}

/* The data of a successful answer, per the call's rule. */
static int
bk_data(const cJSON *data, const struct bk_rule *r, struct backup_result *out, char *err,
    size_t errlen)
{
	const cJSON *e;
	size_t n;

	if (data == NULL) {
		if (!r->null_ok && r->kind != BK_NONE)
			return bk_fail(out, BACKUP_EPROTO, err, errlen,
			    "milvus-backup answered no record");
		out->no_data = r->kind != BK_NONE && r->kind != BK_LIST;
		return bk_ok(out, err, errlen);
	}
	switch (r->kind) {
	case BK_NONE:
		break;
	case BK_BRIEF:
		if (bk_brief(data, &out->brief) != 0)
			goto bad;
		if (out->brief.name != NULL || out->brief.id != NULL)
			break;		/* not the empty record */
		bk_drop_payload(out);
		if (r->not_found == 0) {
			out->no_data = true;
			break;
		}
		/* 0.5.10+ answers code 0 and an empty brief for a name whose task
		 * this server process does not hold (made by the CLI, another
		 * server, or before a restart): not found here, maybe in storage. */
		out->unsure = true;
		if (r->not_found == BACKUP_ETASKLOST)
			return bk_fail(out, BACKUP_ETASKLOST, err, errlen,
			    "milvus-backup has no such task (an empty record)");
		return bk_fail(out, BACKUP_ENOTFOUND, err, errlen, "backup not known to this "
		    "milvus-backup server (0.5.x answers an empty record for backups it did "
		    "not run); it may still be in storage: see the list");
	case BK_LIST:
		if (!cJSON_IsArray(data) || cJSON_GetArraySize(data) > MJ_MAX_ITEMS)
			goto bad;
		n = (size_t)cJSON_GetArraySize(data);
		if (n > 0)
			out->list = xcalloc(n, sizeof *out->list);
		cJSON_ArrayForEach(e, data) {
			struct backup_brief *b = &out->list[out->n_list];

			if (bk_brief(e, b) != 0 || b->name == NULL) {
				bk_brief_release(b);
				out->list_skipped++;
				continue;
			}
			/* Entries come from storage meta, with no task and no times. */
			b->state = BACKUP_TASK_STORED;
			b->progress = -1;
			out->n_list++;
		}
		break;
	case BK_RESTORE:
		if (bk_restore(data, &out->restore) != 0)
			goto bad;
		break;
	}
	return bk_ok(out, err, errlen);
bad:
	bk_drop_payload(out);
	return bk_fail(out, BACKUP_EPROTO, err, errlen, "malformed %s from milvus-backup",
	    r->kind == BK_LIST ? "backup list" : "record");
}

static int
bk_parse(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen, const struct bk_rule *r)
{
	cJSON *root;
	const cJSON *data;

	bk_start(out, http_status);
	if (bk_envelope(body, len, http_status, out, &root, &data, err, errlen) == BACKUP_OK) {
		if (out->code == 0)
			bk_data(data, r, out, err, errlen);
		else if (r->not_found != 0 && bk_is_not_found(out))
			bk_not_found(out, r->not_found, err, errlen);
		else
			bk_server_fail(out, err, errlen);
	}
	cJSON_Delete(root);
	return out->err;
}

int
backup_parse_create(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	char tmp[160];

	bk_parse(body, len, http_status, out, err, errlen, &bk_create);
	/* Contract 0: "Synchronous /create reusing a name still running or
	 * finished in the same server process can dereference a null pointer on
	 * f81df44: HTTP 500 with an empty body"; 0.1: so does an empty name. */
	if (out->err == BACKUP_ECRASH)
		bk_fail(out, BACKUP_ECRASH, err, errlen, "milvus-backup crashed on create "
		    "(HTTP 500, empty body): its known failure when a synchronous create "
		    "reuses a name this server process already ran; use a fresh name");
	/* Contract 0.1: async "backup: add backup task to manager: NAME (...)". */
	if (out->err == BACKUP_ESERVER && out->code == BK_CODE_FAIL &&
	    bk_msg_has(out, "add backup task to manager"))
		bk_fail(out, BACKUP_ENAMETAKEN, err, errlen, "the backup name was already used in "
		    "this server process, even if deleted since: %s", bk_msg(out, tmp, sizeof tmp));
	return out->err;
}

int
backup_parse_get(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	return bk_parse(body, len, http_status, out, err, errlen, &bk_get);
}

/* The same unknown name, three answers (contract 0 and 0.1): code 3 "server:
 * backup NAME not found" on 0.6; an empty record from 0.5.10 on; code 404
 * "not found" on 0.5.0-0.5.9. */
int
backup_parse_probe(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	bk_parse(body, len, http_status, out, err, errlen, &bk_get);
	bk_drop_payload(out);
	if (out->err == BACKUP_ENOTFOUND && out->unsure)
		out->flavour = BACKUP_FLAVOUR_05;
	else if (out->err == BACKUP_ENOTFOUND && out->code == BK_CODE_NOT_FOUND)
		out->flavour = BACKUP_FLAVOUR_05_EARLY;
	else if (out->err == BACKUP_ENOTFOUND && out->code == BK_CODE_FAIL)
		out->flavour = BACKUP_FLAVOUR_06;
	else if (out->err == BACKUP_OK || out->err == BACKUP_ENOTFOUND ||
	    out->err == BACKUP_ESERVER)
		return bk_fail(out, BACKUP_EPROTO, err, errlen, "cannot tell the milvus-backup "
		    "version from its get_backup answer (code %d)", out->code);
	else
		return out->err;
	out->unsure = false;
	return bk_ok(out, err, errlen);
}

int
backup_parse_get_task(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen)
{
	return bk_parse(body, len, http_status, out, err, errlen, &bk_get_task);
}

int
backup_parse_list(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	return bk_parse(body, len, http_status, out, err, errlen, &bk_list);
}

int
backup_parse_delete(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	return bk_parse(body, len, http_status, out, err, errlen, &bk_delete);
}

int
backup_parse_restore(const char *body, size_t len, int http_status, struct backup_result *out,
    char *err, size_t errlen)
{
	return bk_parse(body, len, http_status, out, err, errlen, &bk_restore_start);
}

int
backup_parse_get_restore(const char *body, size_t len, int http_status,
    struct backup_result *out, char *err, size_t errlen)
{
	return bk_parse(body, len, http_status, out, err, errlen, &bk_get_restore);
}
