/* SPDX-License-Identifier: MIT */
/* Pure request building for the milvus-backup client: URLs, JSON bodies and
 * request_ids of every call, with the client-side checks the server lacks. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "milvusadm/backup_api.h"
#include "milvusadm/buf.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

#define BK_MAX_NAME		128	/* milvus-backup's own limit on backup names */
#define BK_MAX_ID		128
#define BK_MAX_COLLS		1024	/* collection specs in one request */

/* ASCII only, whatever the locale: these decide what goes unescaped into URLs. */
static bool
bk_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
bk_alnum(int c)
{
	return bk_alpha(c) || (c >= '0' && c <= '9');
}

const char *
backup_flavour_name(enum backup_flavour f)
{
	static const char *const names[] = { "unknown", "0.5.0-0.5.9", "0.5.x", "0.6.x" };

	if ((unsigned)f > BACKUP_FLAVOUR_06)
		return "unknown";
	return names[f];
}

const char *
backup_task_state_name(enum backup_task_state s)
{
	static const char *const names[] = { "initial", "executing", "success", "fail",
	    "timeout", "stored", "unknown" };

	if ((unsigned)s > BACKUP_TASK_UNKNOWN)
		return "unknown";
	return names[s];
}

const char *
backup_format_name(enum backup_format f)
{
	static const char *const names[] = { "auto", "binlog", "snapshot", "unknown" };

	if ((unsigned)f > BACKUP_FORMAT_UNKNOWN)
		return "unknown";
	return names[f];
}

/* core/backup/func.go: at most 128 characters, the first a letter or '_',
 * then letters, digits and '_' (so no whitespace). The server also takes
 * non-ASCII letters; this client does not create such names. An empty name
 * crashes the server's handler (contract 0.1), so it never goes out. */
int
backup_name_check(const char *name, char *err, size_t errlen)
{
	size_t i, n = name != NULL ? strlen(name) : 0;

	if (n == 0) {
		snprintf(err, errlen, "backup name is empty");
		return -1;
	}
	if (n > BK_MAX_NAME) {
		snprintf(err, errlen, "backup name is longer than %d characters", BK_MAX_NAME);
		return -1;
	}
	if (!bk_alpha((unsigned char)name[0]) && name[0] != '_') {
		snprintf(err, errlen, "backup name '%.64s' must start with a letter or '_'", name);
		return -1;
	}
	for (i = 1; i < n; i++)
		if (!bk_alnum((unsigned char)name[i]) && name[i] != '_') {
			snprintf(err, errlen, "backup name '%.64s' may hold only letters, digits "
			    "and '_'", name);
			return -1;
		}
	return 0;
}

/* Ids go into headers and URLs: a conservative alphabet avoids escaping. */
static int
bk_id_check(const char *what, const char *id, char *err, size_t errlen)
{
	size_t i, n = strlen(id);

	for (i = 0; i < n; i++)
		if (!bk_alnum((unsigned char)id[i]) && strchr("-_.", id[i]) == NULL)
			break;
	if (n == 0 || n > BK_MAX_ID || i < n) {
		snprintf(err, errlen, "%s '%.64s' must be 1-%d letters, digits, '-', '_' or '.'",
		    what, id, BK_MAX_ID);
		return -1;
	}
	return 0;
}

/* A random UUID (version 4), the form the server generates itself. */
static void
bk_gen_id(char out[37])
{
	static unsigned counter;
	unsigned char r[16];
	size_t i;
	int64_t t;

	if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		/* Uniqueness is all that matters here, not secrecy. */
		t = time_wall_ms();
		for (i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)((t >> (8 * (i % 8))) ^ (getpid() >> (i % 4)) ^
			    (counter * 131u + i));
		counter++;
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
	    r[13], r[14], r[15]);
}

static int
bk_rid(const char *given, char out[129], char *err, size_t errlen)
{
	if (given == NULL) {
		bk_gen_id(out);
		return 0;
	}
	if (bk_id_check("request_id", given, err, errlen) != 0)
		return -1;
	snprintf(out, 129, "%s", given);
	return 0;
}

/* RFC 3986 percent-encoding of a query value (names made elsewhere may hold
 * any letters). */
static void
bk_query(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (bk_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* A name of an existing backup: any text the server may have, bounded and
 * without control characters (they would reach logs and terminals). */
static int
bk_existing_name(const char *name, char *err, size_t errlen)
{
	size_t i, n = name != NULL ? strlen(name) : 0;

	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			break;
	if (n == 0 || n > 1024 || i < n) {
		snprintf(err, errlen, "invalid backup name");
		return -1;
	}
	return 0;
}

static int
bk_get_req(const char *base, const char *path, const char *key, const char *value,
    const char *rid, struct backup_request *out, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;

	memset(out, 0, sizeof *out);
	if (bk_rid(rid, out->request_id, err, errlen) != 0)
		return -1;
	buf_printf(&b, "/api/v1/%s", path);
	if (key != NULL) {
		buf_printf(&b, "?%s=", key);
		bk_query(&b, value);
	}
	out->method = strcmp(path, "delete") == 0 ? "DELETE" : "GET";
	out->url = mj_url(base, b.data);
	buf_release(&b);
	return 0;
}

int
backup_build_hello(const char *base, const char *rid, struct backup_request *out, char *err,
    size_t errlen)
{
	return bk_get_req(base, "hello", NULL, NULL, rid, out, err, errlen);
}

/* A valid name that no one picks: the answer for it tells versions apart. */
int
backup_build_probe(const char *base, const char *rid, struct backup_request *out, char *err,
    size_t errlen)
{
	char id[37], name[64];

	bk_gen_id(id);
	snprintf(name, sizeof name, "milvusadm_probe_%.8s%.4s", id, id + 9);
	return bk_get_req(base, "get_backup", "backup_name", name, rid, out, err, errlen);
}

int
backup_build_get(const char *base, const char *name, const char *rid,
    struct backup_request *out, char *err, size_t errlen)
{
	if (bk_existing_name(name, err, errlen) != 0)
		return -1;
	return bk_get_req(base, "get_backup", "backup_name", name, rid, out, err, errlen);
}

int
backup_build_get_task(const char *base, const char *task_id, const char *rid,
    struct backup_request *out, char *err, size_t errlen)
{
	if (task_id == NULL || bk_id_check("task id", task_id, err, errlen) != 0)
		return -1;
	return bk_get_req(base, "get_backup", "backup_id", task_id, rid, out, err, errlen);
}

int
backup_build_list(const char *base, const char *rid, struct backup_request *out, char *err,
    size_t errlen)
{
	return bk_get_req(base, "list", NULL, NULL, rid, out, err, errlen);
}

int
backup_build_delete(const char *base, const char *name, const char *rid,
    struct backup_request *out, char *err, size_t errlen)
{
	if (bk_existing_name(name, err, errlen) != 0)
		return -1;
	return bk_get_req(base, "delete", "backup_name", name, rid, out, err, errlen);
}

int
backup_build_get_restore(const char *base, const char *id, const char *rid,
    struct backup_request *out, char *err, size_t errlen)
{
	/* An empty id is code 3 on the server, not 400 (contract 0): refuse it. */
	if (id == NULL || bk_id_check("restore id", id, err, errlen) != 0)
		return -1;
	return bk_get_req(base, "get_restore", "id", id, rid, out, err, errlen);
}

void
backup_request_release(struct backup_request *rq)
{
	free(rq->url);
	free(rq->body);
	memset(rq, 0, sizeof *rq);
}

/* "db.coll", "coll" or "db.*" into its database and collection ("*" = all). */
static int
bk_split(const char *spec, char *db, size_t dblen, const char **coll, char *err,
    size_t errlen)
{
	const char *dot = strchr(spec, '.');
	size_t i, n = strlen(spec);

	for (i = 0; i < n; i++)
		if ((unsigned char)spec[i] < 0x20 || spec[i] == '"' || spec[i] == '\\')
			break;
	if (n == 0 || n > 512 || i < n || (dot != NULL && (dot == spec || dot[1] == '\0' ||
	    (size_t)(dot - spec) >= dblen || strchr(dot + 1, '.') != NULL))) {
		snprintf(err, errlen, "invalid collection '%.64s': use db.coll, coll or db.*", spec);
		return -1;
	}
	if (dot == NULL) {
		snprintf(db, dblen, "default");
		*coll = spec;
	} else {
		snprintf(db, dblen, "%.*s", (int)(dot - spec), spec);
		*coll = dot + 1;
	}
	return 0;
}

struct bk_spec {
	char db[256];
	const char *coll;
	bool done;
};

/* The selection as a JSON object keyed by database. as_filter (0.6 "filter"):
 * {"db":{"colls":["c"]}}, "*" for a whole database; otherwise (db_collections,
 * understood by 0.5.x and by restore): {"db":["c"]}, [] for a whole database
 * as in the contract's example {"db1":["c1"],"db2":[]}. */
static int
bk_selection(struct buf *b, const char *key, const char *const *specs, bool as_filter,
    char *err, size_t errlen)
{
	struct bk_spec *sp;
	size_t i, j, n = 0;
	bool whole, first;

	while (specs[n] != NULL)
		if (++n > BK_MAX_COLLS) {
			snprintf(err, errlen, "more than %d collections", BK_MAX_COLLS);
			return -1;
		}
	sp = xcalloc(n + 1, sizeof *sp);
	for (i = 0; i < n; i++)
		if (bk_split(specs[i], sp[i].db, sizeof sp[i].db, &sp[i].coll, err, errlen) != 0) {
			free(sp);
			return -1;
		}
	buf_printf(b, ",\"%s\":{", key);
	for (i = 0, first = true; i < n; i++) {
		if (sp[i].done)
			continue;
		buf_adds(b, first ? "" : ",");
		first = false;
		buf_add_json_str(b, sp[i].db);
		for (j = i, whole = false; j < n; j++)
			whole |= strcmp(sp[j].db, sp[i].db) == 0 && strcmp(sp[j].coll, "*") == 0;
		buf_adds(b, as_filter ? ":{\"colls\":[" : ":[");
		if (whole && as_filter)
			buf_adds(b, "\"*\"");
		for (j = i; j < n; j++) {
			if (sp[j].done || strcmp(sp[j].db, sp[i].db) != 0)
				continue;
			sp[j].done = true;
			if (whole)
				continue;
			buf_adds(b, j > i ? "," : "");
			buf_add_json_str(b, sp[j].coll);
		}
		buf_adds(b, as_filter ? "]}" : "]");
	}
	buf_addc(b, '}');
	free(sp);
	return 0;
}

static void
bk_flag(struct buf *b, const char *key, bool on)
{
	if (on)
		buf_printf(b, ",\"%s\":true", key);
}

static int
bk_post_req(const char *base, const char *path, struct buf *body,
    struct backup_request *out)
{
	buf_addc(body, '}');
	out->method = "POST";
	out->url = mj_url(base, path);
	out->body = buf_detach(body, NULL);
	return 0;
}

int
backup_build_create(const char *base, enum backup_flavour fl,
    const struct backup_create_req *req, struct backup_request *out, char *err, size_t errlen)
{
	static const char *const strategies[] = { NULL, "meta_only", "skip_flush",
	    "bulk_flush", "serial_flush" };
	struct buf b = BUF_INIT;
	bool v06 = fl == BACKUP_FLAVOUR_06;

	memset(out, 0, sizeof *out);
	if (req == NULL || backup_name_check(req->name, err, errlen) != 0 ||
	    bk_rid(req->request_id, out->request_id, err, errlen) != 0)
		return -1;
	if ((unsigned)req->strategy > BACKUP_STRATEGY_SERIAL_FLUSH ||
	    (unsigned)req->format > BACKUP_FORMAT_SNAPSHOT) {
		snprintf(err, errlen, "invalid backup strategy or format");
		return -1;
	}
	/* 0.5.x has no format field and only the meta_only and force flags. */
	if (!v06 && (req->format == BACKUP_FORMAT_SNAPSHOT ||
	    req->strategy >= BACKUP_STRATEGY_BULK_FLUSH)) {
		snprintf(err, errlen, "milvus-backup %s offers no %s", backup_flavour_name(fl),
		    req->format == BACKUP_FORMAT_SNAPSHOT ? "snapshot format" : "such strategy");
		return -1;
	}
	/* /create takes the request_id header and overwrites this field with it:
	 * both carry the same id, which becomes the task's id. */
	buf_adds(&b, "{\"requestId\":");
	buf_add_json_str(&b, out->request_id);
	buf_adds(&b, ",\"backup_name\":");
	buf_add_json_str(&b, req->name);
	buf_printf(&b, ",\"async\":%s", req->synchronous ? "false" : "true");
	if (req->collections != NULL && bk_selection(&b, v06 ? "filter" : "db_collections",
	    req->collections, v06, err, errlen) != 0) {
		buf_release(&b);
		return -1;
	}
	if (v06 && req->strategy != BACKUP_STRATEGY_AUTO)
		buf_printf(&b, ",\"strategy\":\"%s\"", strategies[req->strategy]);
	if (v06 && req->format != BACKUP_FORMAT_AUTO)
		buf_printf(&b, ",\"format\":\"%s\"", backup_format_name(req->format));
	bk_flag(&b, "meta_only", !v06 && req->strategy == BACKUP_STRATEGY_META_ONLY);
	bk_flag(&b, "force", !v06 && req->strategy == BACKUP_STRATEGY_SKIP_FLUSH);
	bk_flag(&b, "rbac", req->rbac);
	return bk_post_req(base, "/api/v1/create", &b, out);
}

int
backup_build_restore(const char *base, const struct backup_restore_req *req,
    struct backup_request *out, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	const char *id;
	size_t i;

	memset(out, 0, sizeof *out);
	if (req == NULL || bk_existing_name(req->backup_name, err, errlen) != 0 ||
	    bk_rid(req->request_id, out->request_id, err, errlen) != 0)
		return -1;
	id = req->id != NULL ? req->id : out->request_id;
	if (bk_id_check("restore id", id, err, errlen) != 0)
		return -1;
	if (req->suffix != NULL && req->renames != NULL) {
		snprintf(err, errlen, "a restore takes a suffix or renames, not both");
		return -1;
	}
	if (req->drop_exist_collection && req->skip_create_collection) {
		snprintf(err, errlen, "drop_exist_collection and skip_create_collection exclude "
		    "each other");
		return -1;
	}
	for (i = 0; req->suffix != NULL && req->suffix[i] != '\0'; i++)
		if (!bk_alnum((unsigned char)req->suffix[i]) && req->suffix[i] != '_')
			break;
	if (req->suffix != NULL && (i == 0 || req->suffix[i] != '\0' || i > BK_MAX_NAME)) {
		snprintf(err, errlen, "restore suffix '%.64s' may hold only letters, digits and "
		    "'_'", req->suffix);
		return -1;
	}
	/* /restore ignores the request_id header: requestId in the body is the
	 * one it uses, and id is the task to poll (contract 0). */
	buf_adds(&b, "{\"requestId\":");
	buf_add_json_str(&b, out->request_id);
	buf_adds(&b, ",\"id\":");
	buf_add_json_str(&b, id);
	buf_adds(&b, ",\"backup_name\":");
	buf_add_json_str(&b, req->backup_name);
	buf_printf(&b, ",\"async\":%s", req->synchronous ? "false" : "true");
	if (req->collections != NULL && bk_selection(&b, "db_collections", req->collections,
	    false, err, errlen) != 0)
		goto bad;
	if (req->suffix != NULL) {
		buf_adds(&b, ",\"collection_suffix\":");
		buf_add_json_str(&b, req->suffix);
	}
	if (req->renames != NULL) {
		buf_adds(&b, ",\"collection_renames\":{");
		for (i = 0; req->renames[i] != NULL; i += 2) {
			if (req->renames[i + 1] == NULL || req->renames[i][0] == '\0' ||
			    req->renames[i + 1][0] == '\0' || i >= 2 * BK_MAX_COLLS) {
				snprintf(err, errlen, "renames must be pairs of non-empty names");
				goto bad;
			}
			buf_adds(&b, i > 0 ? "," : "");
			buf_add_json_str(&b, req->renames[i]);
			buf_addc(&b, ':');
			buf_add_json_str(&b, req->renames[i + 1]);
		}
		buf_addc(&b, '}');
	}
	bk_flag(&b, "metaOnly", req->meta_only);
	bk_flag(&b, "restoreIndex", req->rebuild_index);
	bk_flag(&b, "useAutoIndex", req->use_auto_index);
	bk_flag(&b, "dropExistCollection", req->drop_exist_collection);
	bk_flag(&b, "dropExistIndex", req->drop_exist_index);
	bk_flag(&b, "skipCreateCollection", req->skip_create_collection);
	bk_flag(&b, "rbac", req->rbac);
	return bk_post_req(base, "/api/v1/restore", &b, out);
bad:
	buf_release(&b);
	return -1;
}

