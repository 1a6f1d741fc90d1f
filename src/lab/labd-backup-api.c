/* SPDX-License-Identifier: MIT */
/* The lab backup server's REST API (/api/v1/...): each handler answers as
 * core/server/ does on the version played, quirks included (contract
 * milvus-backup.md §0, §0.1, §2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/lab.h"
#include "milvusadm/log.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-bucket.h"

#define JSON_CT		"application/json; charset=utf-8"
#define HELLO		"Hello, This is backup service"

/* What a bucket that does not answer makes every storage call say. */
#define NOT_READY_WHY	"dial tcp: connect: connection refused"

void
lbk_answer_json(struct labd_http_req *r, struct buf *b)
{
	labd_http_answer(r, 200, JSON_CT, b->data != NULL ? b->data : "", b->len);
	buf_release(b);
}

static void
answer(struct labd_http_req *r, const char *rid, int code, const char *msg, const char *data)
{
	struct buf b = BUF_INIT;

	lbk_envelope(&b, rid, code, msg, data);
	lbk_answer_json(r, &b);
}

static bool
not_ready(struct lbk_server *srv)
{
	struct lbk_faults f;

	lbk_faults_now(srv, &f);
	return f.not_ready;
}

/* ---- /create ---- */

static void
create_gone(void *arg)
{
	struct lbk_task *t = arg;

	t->waiter = NULL;
}

static void
api_create(struct lbk_server *srv, struct labd_http_req *r)
{
	struct lbk_create *c = xcalloc(1, sizeof *c);
	const char *body, *why;
	struct lbk_task *t;
	char err[512], msg[600];
	size_t len;
	int rc;

	body = labd_http_body(r, &len);
	rc = lbk_create_parse(body, len, labd_http_header(r, "request_id"), c, err, sizeof err);
	if (rc == -1) {
		/* ShouldBindJSON failed: gin's own 400, not the envelope. */
		labd_http_answer(r, 400, JSON_CT, "{\"error\":\"Invalid request body\"}", 32);
		goto out;
	}
	/* ValidateName indexes the first rune of an empty name: the handler
	 * panics, gin's recovery answers 500 with no body (§0.1). */
	if (!c->has_name) {
		log_warn("create: empty backup name: the real handler panics here");
		labd_http_answer(r, 500, NULL, "", 0);
		goto out;
	}
	if ((why = lbk_name_error(c->name)) != NULL) {
		answer(r, c->rid, LBK_PARAM, why, NULL);
		goto out;
	}
	/* 0.6 lists the source bucket first (#1233): nothing is registered. */
	if (srv->version >= 6 && not_ready(srv)) {
		answer(r, c->rid, LBK_NOT_READY, "storage not ready: list source bucket a-bucket: "
		    NOT_READY_WHY, NULL);
		goto out;
	}
	if (rc == 1) {
		answer(r, c->rid, LBK_FAIL, err, NULL);
		goto out;
	}
	if (c->strategy[0] != '\0' && strcmp(c->strategy, "meta_only") != 0 &&
	    strcmp(c->strategy, "skip_flush") != 0 && strcmp(c->strategy, "bulk_flush") != 0 &&
	    strcmp(c->strategy, "serial_flush") != 0) {
		snprintf(msg, sizeof msg, "server: build option: server: build strategy: backup: "
		    "invalid strategy %s", c->strategy);
		answer(r, c->rid, LBK_FAIL, msg, NULL);
		goto out;
	}
	if ((t = lbk_task_add(srv, c, err, sizeof err)) == NULL) {
		if (!c->async && srv->version < 6) {
			/* runSync calls Execute on the nil task NewTask refused (§0). */
			log_warn("create: name '%s' is taken and the request is synchronous: the "
			    "real 0.5 handler dereferences a nil task here", c->name);
			labd_http_answer(r, 500, NULL, "", 0);
		} else
			answer(r, c->rid, LBK_FAIL, err, NULL);
		goto out;
	}
	labd_event(&srv->d, "backup-created", "name=%s id=%s async=%s", t->name, t->id,
	    c->async ? "yes" : "no");
	if (c->async) {
		answer(r, c->rid, LBK_OK, "create backup is executing asynchronously", NULL);
		lbk_task_start(t);
	} else {
		t->waiter = r;
		t->waiter_rid = xstrdup(c->rid);
		labd_http_on_gone(r, create_gone, t);
		lbk_task_start(t);
	}
	return;	/* the task owns c now */
out:
	lbk_create_free(c);
	free(c);
}

/* ---- /get_backup ---- */

static void
api_get(struct lbk_server *srv, struct labd_http_req *r)
{
	/* The response takes the header's request_id, made before complete()
	 * generates one: without the header there is none. */
	const char *rid = labd_http_header(r, "request_id");
	const char *name = labd_http_query(r, "backup_name");
	const char *id = labd_http_query(r, "backup_id");
	struct lbk_task *t;
	struct buf data = BUF_INIT;
	cJSON *meta = NULL;
	int64_t meta_size = 0;
	bool exists = false, by_id = id[0] != '\0';
	char msg[600];

	if (name[0] == '\0' && !by_id) {
		answer(r, rid, LBK_PARAM, "server: empty backup name and backup id, please set a "
		    "backup name or id", NULL);
		return;
	}
	t = by_id ? lbk_task_find(srv, id) : lbk_task_by_name(srv, name);
	if (by_id && t == NULL) {
		answer(r, rid, LBK_FAIL, "server: get backup by id server: get backup task task "
		    "not found", NULL);
		return;
	}
	/* 0.5 reads storage only for a task of its own that succeeded; 0.6
	 * reads it always, storage being the truth (#1203). */
	if ((t != NULL && t->state == LBK_T_SUCCESS) || (srv->version >= 6 && !by_id)) {
		if (not_ready(srv)) {
			snprintf(msg, sizeof msg, "server: get backup by %s server: check backup exist "
			    "meta: check backup exist %s", by_id ? "id" : "name", NOT_READY_WHY);
			answer(r, rid, LBK_FAIL, msg, NULL);
			return;
		}
		meta = lbk_meta_read(srv, t != NULL ? t->name : name, &exists, &meta_size);
		if (!exists && (t == NULL || t->state == LBK_T_SUCCESS)) {
			if (srv->version >= 6 && !by_id)
				snprintf(msg, sizeof msg, "server: backup %s not found", name);
			else
				snprintf(msg, sizeof msg, "server: get backup by %s server: %s server: "
				    "backup %s not found", by_id ? "id" : "name", by_id ?
				    "read backup meta" : "get backup by name", t->name);
			answer(r, rid, LBK_FAIL, msg, NULL);
			cJSON_Delete(meta);
			return;
		}
	}
	/* 0.5 with no task of that name: an empty brief, success (§0). */
	lbk_brief_json(&data, t, meta, meta_size, srv->version);
	answer(r, rid, LBK_OK, "success", data.data);
	buf_release(&data);
	cJSON_Delete(meta);
}

/* ---- /list ---- */

static void
api_list(struct lbk_server *srv, struct labd_http_req *r)
{
	const char *rid = labd_http_header(r, "request_id");
	struct buf data = BUF_INIT;
	char **dirs;
	int64_t msize;
	size_t i, n = 0;
	bool exists;

	if (labd_http_query(r, "collection_name")[0] != '\0') {
		answer(r, rid, LBK_PARAM, "collection_name is deprecated", NULL);
		return;
	}
	if (not_ready(srv)) {
		answer(r, rid, LBK_FAIL, "meta: list backup root backup: " NOT_READY_WHY, NULL);
		return;
	}
	/* Expensive on purpose, as the real one: every backup's meta is read. */
	dirs = lbk_list_dirs(srv->backup_root);
	buf_addc(&data, '[');
	for (i = 0; dirs[i] != NULL; i++) {
		cJSON *meta = lbk_meta_read(srv, dirs[i], &exists, &msize);
		const cJSON *it;

		if (meta == NULL) {
			log_warn("can not read backup info, skip it: backup_dir=%s/", dirs[i]);
			continue;
		}
		buf_adds(&data, n++ > 0 ? ",{" : "{");
		it = cJSON_GetObjectItemCaseSensitive(meta, "id");
		if (cJSON_IsString(it) && it->valuestring[0] != '\0') {
			buf_adds(&data, "\"id\":");
			labd_json_str(&data, it->valuestring);
			buf_addc(&data, ',');
		}
		buf_adds(&data, "\"name\":");
		it = cJSON_GetObjectItemCaseSensitive(meta, "name");
		labd_json_str(&data, cJSON_IsString(it) ? it->valuestring : dirs[i]);
		buf_printf(&data, ",\"size\":%lld", (long long)lbk_json_int(meta, "size", 0));
		it = cJSON_GetObjectItemCaseSensitive(meta, "milvus_version");
		if (cJSON_IsString(it) && it->valuestring[0] != '\0') {
			buf_adds(&data, ",\"milvus_version\":");
			labd_json_str(&data, it->valuestring);
		}
		buf_addc(&data, '}');
		cJSON_Delete(meta);
	}
	buf_addc(&data, ']');
	lab_strv_free(dirs);
	answer(r, rid, LBK_OK, NULL, data.data);
	buf_release(&data);
}

/* ---- /delete ---- */

static void
api_delete(struct lbk_server *srv, struct labd_http_req *r)
{
	const char *hdr = labd_http_header(r, "request_id");
	const char *name = labd_http_query(r, "backup_name");
	char rid[40], msg[600], *dir;
	cJSON *meta;
	int64_t msize, size;
	bool exists;

	if (hdr != NULL && hdr[0] != '\0')
		snprintf(rid, sizeof rid, "%.39s", hdr);
	else
		lbk_uuid(rid);
	if (name[0] == '\0') {
		answer(r, hdr != NULL && hdr[0] != '\0' ? hdr : rid, LBK_PARAM,
		    "backup name is required", "");
		return;
	}
	if (not_ready(srv)) {
		answer(r, hdr != NULL && hdr[0] != '\0' ? hdr : rid, LBK_FAIL,
		    "delete: read backup info: meta: check full meta exist " NOT_READY_WHY, "");
		return;
	}
	meta = lbk_meta_read(srv, name, &exists, &msize);
	if (!exists || meta == NULL || (dir = lbk_backup_dir(srv, name)) == NULL) {
		snprintf(msg, sizeof msg, "delete: read backup info: meta: read level meta "
		    "backup %s: backup_meta.json not found", name);
		answer(r, hdr != NULL && hdr[0] != '\0' ? hdr : rid, LBK_FAIL, msg, "");
		cJSON_Delete(meta);
		return;
	}
	cJSON_Delete(meta);
	size = lbk_du(dir);
	/* No confirmation, as the real server: the guard is the client's. */
	(void)lbk_remove_tree(dir);
	srv->backup_bytes -= size - lbk_du(dir);
	free(dir);
	labd_event(&srv->d, "backup-deleted", "name=%s", name);
	answer(r, hdr != NULL && hdr[0] != '\0' ? hdr : rid, LBK_OK, "success", "");
}

/* ---- /get_restore ---- */

static void
api_get_restore(struct lbk_server *srv, struct labd_http_req *r)
{
	const char *hdr = labd_http_header(r, "request_id");
	const char *id = labd_http_query(r, "id");
	const char *rid = hdr;
	struct lrs_task *t;
	struct buf data = BUF_INIT;
	char gen[40];

	/* f81df44 overwrote its UUID with the absent header; 0.6 keeps one. */
	if ((hdr == NULL || hdr[0] == '\0') && srv->version >= 6) {
		lbk_uuid(gen);
		rid = gen;
	}
	if (id[0] == '\0') {
		answer(r, rid, LBK_FAIL, "empty restore id", NULL);
		return;
	}
	if ((t = lrs_task_find(srv, id)) == NULL) {
		answer(r, rid, LBK_FAIL, "task not found", NULL);
		return;
	}
	lrs_task_json(&data, t);
	answer(r, rid, LBK_OK, "success", data.data);
	buf_release(&data);
}

/* ---- routing (gin: an unknown path or a wrong method is a 404) ---- */

void
lbk_serve(struct labd_http_req *r, const char *method, const char *url, void *arg)
{
	static const char nf[] = "404 page not found";
	struct lbk_server *srv = arg;
	const char *body;
	size_t len;

	if (strcmp(url, "/") == 0 ||
	    (strcmp(url, "/api/v1/hello") == 0 && strcmp(method, "GET") == 0)) {
		labd_http_answer(r, 200, "text/plain; charset=utf-8", HELLO, sizeof HELLO - 1);
		return;
	}
	if (strcmp(method, "POST") == 0 && strcmp(url, "/api/v1/create") == 0)
		api_create(srv, r);
	else if (strcmp(method, "GET") == 0 && strcmp(url, "/api/v1/get_backup") == 0)
		api_get(srv, r);
	else if (strcmp(method, "GET") == 0 && strcmp(url, "/api/v1/list") == 0)
		api_list(srv, r);
	else if (strcmp(method, "DELETE") == 0 && strcmp(url, "/api/v1/delete") == 0)
		api_delete(srv, r);
	else if (strcmp(method, "POST") == 0 && strcmp(url, "/api/v1/restore") == 0) {
		body = labd_http_body(r, &len);
		lrs_handle(srv, r, body, len);
	} else if (strcmp(method, "GET") == 0 && strcmp(url, "/api/v1/get_restore") == 0)
		api_get_restore(srv, r);
	else
		labd_http_answer(r, 404, "text/plain", nf, sizeof nf - 1);
}
