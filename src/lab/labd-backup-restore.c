/* SPDX-License-Identifier: MIT */
/* The lab backup server's restores (core/server/restore.go, core/restore):
 * checks, a task with the id the client set, then each collection written
 * back through the lab proxies' REST v2 as milvus-backup goes through Milvus:
 * databases, the collection with its schema and indexes, its rows read from
 * the backup's binlogs at the copy rate, and its load state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "milvusadm/http.h"
#include "milvusadm/lab.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-bucket.h"
#include "labd-store.h"

#define JSON_CT		"application/json; charset=utf-8"
#define INSERT_MAX	(512 * 1024)	/* one entities/insert body, under the proxy's 1 MiB */
#define CALL_TRIES	3		/* a call goes to the next proxy this many times */
#define BINLOG_MAX	(8 * 1024 * 1024)
#define RBAC_TRIES	5		/* re-reads when the RBAC keys changed meanwhile */
#define TXN_OPS		100		/* per etcd txn, under etcd's --max-txn-ops 128 */

enum lrs_step { ST_RBAC, ST_DBS, ST_CHECK, ST_DROP, ST_CREATE, ST_DATA, ST_LOAD, ST_DONE };

struct lrs_run {
	cJSON *meta;			/* the backup's full meta */
	cJSON **cm;			/* each collection's CollectionBackupInfo */
	char *dir;			/* the backup's directory */
	bool drop, skip_create, meta_only;
	enum lrs_step step;
	size_t coll, seg, batch, db;
	char **dbs;			/* databases to create (NULL-terminated) */
	/* the batch being inserted: its rows from row on, its bytes */
	cJSON **cols;
	int64_t *field_ids;
	size_t n_cols, row;
	int64_t batch_bytes;
	struct http_req *call;
	char *path, *body;		/* the call in flight, for a retry */
	int tries;
	size_t proxy;
	uint64_t timer;
	struct lstore_ops rbac;		/* RestoreRBAC's writes, committed in parts */
	size_t rbac_off;		/* the first of them not committed yet */
	int rbac_tries;
	void (*done)(struct lrs_task *t, int code, const char *msg, const cJSON *data);
};

static void lrs_next(struct lrs_task *t);

struct lrs_task *
lrs_task_find(struct lbk_server *srv, const char *id)
{
	struct lrs_task *t;

	for (t = srv->restores; t != NULL; t = t->next) {
		if (strcmp(t->id, id) == 0)
			return t;
	}
	return NULL;
}

static void
run_free_batch(struct lrs_run *run)
{
	size_t i;

	for (i = 0; i < run->n_cols; i++)
		cJSON_Delete(run->cols[i]);
	free(run->cols);
	free(run->field_ids);
	run->cols = NULL;
	run->field_ids = NULL;
	run->n_cols = 0;
	run->row = 0;
}

static void
run_free(struct lbk_server *srv, struct lrs_run *run)
{
	if (run == NULL)
		return;
	if (run->call != NULL)
		http_cancel(run->call);
	if (run->timer != 0)
		loop_timer_cancel(srv->d.loop, run->timer);
	run_free_batch(run);
	lstore_ops_release(&run->rbac);
	lab_strv_free(run->dbs);
	cJSON_Delete(run->meta);
	free(run->cm);
	free(run->dir);
	free(run->path);
	free(run->body);
	free(run);
}

void
lrs_task_free(struct lbk_server *srv, struct lrs_task *t)
{
	size_t i;

	run_free(srv, t->run);
	for (i = 0; i < t->n_colls; i++) {
		free(t->colls[i].src_db);
		free(t->colls[i].src_name);
		free(t->colls[i].db);
		free(t->colls[i].name);
		free(t->colls[i].error);
	}
	free(t->colls);
	free(t->id);
	free(t->rid);
	free(t->backup);
	free(t->error);
	free(t);
}

void
lrs_tasks_free(struct lbk_server *srv)
{
	struct lrs_task *t;

	while ((t = srv->restores) != NULL) {
		srv->restores = t->next;
		lrs_task_free(srv, t);
	}
}

/* ---- the end ---- */

static void
lrs_finish(struct lrs_task *t, const char *err)
{
	struct lbk_server *srv = t->srv;
	struct buf b = BUF_INIT, data = BUF_INIT;
	char msg[1200];

	run_free(srv, t->run);
	t->run = NULL;
	t->state = err == NULL ? LBK_SUCCESS : LBK_FAILED;
	t->end_s = time_wall_ms() / 1000;
	if (err != NULL)
		t->error = xstrdup(err);
	log_info("restore %s of '%s': %s", t->id, t->backup, err != NULL ? err : "success");
	labd_event(&srv->d, "restore-done", "id=%s backup=%s state=%s", t->id, t->backup,
	    err == NULL ? "success" : "fail");
	if (t->waiter == NULL)
		return;
	/* runSync: a failure is the bare code and message, no request id. */
	if (err != NULL) {
		snprintf(msg, sizeof msg, "restore: execute %s", err);
		lbk_envelope(&b, NULL, LBK_FAIL, msg, NULL);
	} else {
		lrs_task_json(&data, t);
		lbk_envelope(&b, t->rid, LBK_OK, "success", data.data);
		buf_release(&data);
	}
	lbk_answer_json(t->waiter, &b);
	t->waiter = NULL;
}

static void
lrs_fail_coll(struct lrs_task *t, const char *err)
{
	struct lrs_coll *c = t->run->coll < t->n_colls ? &t->colls[t->run->coll] : NULL;

	if (c != NULL && t->run->step >= ST_DROP) {
		c->state = LBK_FAILED;
		c->error = xstrdup(err);
		c->end_s = time_wall_ms() / 1000;
	}
	lrs_finish(t, err);
}

/* ---- REST v2 calls to the lab's proxies ---- */

static void lrs_send(struct lrs_task *t);

static void
on_call(const struct http_resp *resp, void *arg)
{
	struct lrs_task *t = arg;
	struct lrs_run *run = t->run;
	cJSON *j = NULL;
	const cJSON *msg;
	char why[512];
	int code;

	run->call = NULL;
	if (resp->err != HTTP_OK || resp->status != 200) {
		/* The next proxy, as a client behind a load balancer would reach. */
		if (++run->tries < CALL_TRIES) {
			run->proxy++;
			lrs_send(t);
			return;
		}
		snprintf(why, sizeof why, "%s", resp->err != HTTP_OK ? resp->errmsg :
		    "the proxy answered an HTTP error");
		run->done(t, -1, why, NULL);
		return;
	}
	j = cJSON_ParseWithLength(resp->body, resp->len);
	code = (int)lbk_json_int(j, "code", -1);
	msg = cJSON_GetObjectItemCaseSensitive(j, "message");
	run->done(t, code, cJSON_IsString(msg) ? msg->valuestring : "malformed answer",
	    cJSON_GetObjectItemCaseSensitive(j, "data"));
	cJSON_Delete(j);
}

static void
lrs_send(struct lrs_task *t)
{
	struct lrs_run *run = t->run;
	char **p = t->srv->proxies;
	size_t n = 0;
	struct http_opts o;
	char *url;

	while (p[n] != NULL)
		n++;
	url = xasprintf("%s/v2/vectordb/%s", p[run->proxy % n], run->path);
	memset(&o, 0, sizeof o);
	o.method = "POST";
	o.url = url;
	o.body = run->body;
	o.content_type = "application/json";
	o.timeout_ms = 30000;
	o.max_response = 1024 * 1024;
	run->call = http_start(t->srv->d.loop, &o, on_call, t);
	free(url);
}

/* One call; done(t, code, message, data) with code -1 when no proxy answered. */
static void
lrs_call(struct lrs_task *t, const char *path, char *body,
    void (*done)(struct lrs_task *, int, const char *, const cJSON *))
{
	struct lrs_run *run = t->run;

	free(run->path);
	free(run->body);
	run->path = xstrdup(path);
	run->body = body;
	run->tries = 0;
	run->done = done;
	lrs_send(t);
}

static char *
name_body(const char *db, const char *coll)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"dbName\":");
	labd_json_str(&b, db);
	if (coll != NULL) {
		buf_adds(&b, ",\"collectionName\":");
		labd_json_str(&b, coll);
	}
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

/* ---- the steps ---- */

static void
on_step(struct lrs_task *t, int code, const char *msg, const cJSON *data)
{
	struct lrs_run *run = t->run;
	struct lrs_coll *c = run->coll < t->n_colls ? &t->colls[run->coll] : NULL;
	char err[1200];

	/* A database that is there already is what prepareDB wants. */
	if (code > 0 && run->step == ST_DBS && strstr(msg, "already exist") != NULL)
		code = 0;
	if (code != 0) {
		switch (run->step) {
		case ST_DBS:
			snprintf(err, sizeof err, "restore: prepare database restore: create database "
			    "%s", msg);
			break;
		case ST_CHECK:
			snprintf(err, sizeof err, "restore: check collection exist restore: check "
			    "collection %s", msg);
			break;
		case ST_DROP:
			snprintf(err, sizeof err, "restore: run collection task restore: restore "
			    "collection restore_collection: restore collection ddl: restore: drop "
			    "exist collection: collection: drop collection: %s", msg);
			break;
		case ST_CREATE:
			snprintf(err, sizeof err, "restore: run collection task restore: restore "
			    "collection restore_collection: restore collection ddl: restore: create "
			    "collection: %s", msg);
			break;
		default:
			snprintf(err, sizeof err, "restore: run collection task restore: restore "
			    "collection restore_collection: restore data: %s", msg);
			break;
		}
		lrs_fail_coll(t, err);
		return;
	}
	switch (run->step) {
	case ST_DBS:
		run->db++;
		break;
	case ST_CHECK:
		c->exists = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "has"));
		if (c->exists && !run->drop && !run->skip_create) {
			snprintf(err, sizeof err, "restore: check collection exist restore: collection "
			    "already exist, database %s collection %s", c->db, c->name);
			lrs_finish(t, err);
			return;
		}
		if (!c->exists && run->skip_create) {
			snprintf(err, sizeof err, "restore: check collection exist restore: collection "
			    "not exist, database %s collection %s", c->db, c->name);
			lrs_finish(t, err);
			return;
		}
		run->coll++;
		break;
	case ST_DROP:
		run->step = ST_CREATE;
		break;
	case ST_CREATE:
		run->step = ST_DATA;
		break;
	case ST_RBAC:		/* not a proxy call: never here */
	case ST_DATA:
		break;
	case ST_LOAD:
		c->state = LBK_SUCCESS;
		c->end_s = time_wall_ms() / 1000;
		run->coll++;
		run->step = ST_DROP;
		break;
	case ST_DONE:
		break;
	}
	lrs_next(t);
}

/* Read batch k of the current segment: every field's k-th binlog. 1 when the
 * segment has no such batch, -1 with err. */
static int
batch_read(struct lrs_task *t, const cJSON *seg, char *err, size_t errlen)
{
	struct lrs_run *run = t->run;
	const cJSON *fbs = cJSON_GetObjectItemCaseSensitive(seg, "binlogs"), *fb, *lg;
	const cJSON *cm = run->cm[run->coll];
	char *path, *text, why[256];
	size_t len, n = (size_t)cJSON_GetArraySize(fbs), i = 0;

	if (n == 0 || run->batch >= (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    fbs->child, "binlogs")))
		return 1;
	run->cols = xcalloc(n, sizeof *run->cols);
	run->field_ids = xcalloc(n, sizeof *run->field_ids);
	run->n_cols = n;
	run->batch_bytes = 0;
	cJSON_ArrayForEach(fb, fbs) {
		lg = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(fb, "binlogs"),
		    (int)run->batch);
		run->field_ids[i] = lbk_json_int(fb, "fieldID", 0);
		path = xasprintf("%s/binlogs/insert_log/%lld/%lld/%lld/%lld/%lld", run->dir,
		    (long long)lbk_json_int(cm, "collection_id", 0),
		    (long long)lbk_json_int(seg, "partition_id", 0),
		    (long long)lbk_json_int(seg, "segment_id", 0), (long long)run->field_ids[i],
		    (long long)lbk_json_int(lg, "log_id", 0));
		text = lg != NULL ? lbk_read(path, BINLOG_MAX, &len, why, sizeof why) : NULL;
		if (text == NULL) {
			snprintf(err, errlen, "read binlog %s: %s", path + strlen(t->srv->bucket) + 1,
			    lg != NULL ? why : "missing");
			free(path);
			return -1;
		}
		free(path);
		run->batch_bytes += (int64_t)len;
		run->cols[i++] = cJSON_ParseWithLength(text, len);
		free(text);
	}
	return 0;
}

static void
on_insert(struct lrs_task *t, int code, const char *msg, const cJSON *data)
{
	struct lrs_run *run = t->run;

	if (code == 0 && run->cols != NULL &&
	    (run->n_cols == 0 || run->row >= (size_t)cJSON_GetArraySize(run->cols[0]))) {
		/* The whole batch is in: it counts towards the progress. */
		t->colls[run->coll].done += run->batch_bytes;
		run_free_batch(run);
		run->batch++;
	}
	on_step(t, code, msg, data);
}

/* Send the next insert of the current batch: rows from run->row on. */
static void
insert_next(void *arg)
{
	struct lrs_task *t = arg;
	struct lrs_run *run = t->run;
	struct lrs_coll *c = &t->colls[run->coll];
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(run->cm[run->coll], "schema");
	struct buf b = BUF_INIT;
	char err[512], msg[700];
	size_t total = (size_t)cJSON_GetArraySize(run->cols[0]), next;

	run->timer = 0;
	buf_adds(&b, "{\"dbName\":");
	labd_json_str(&b, c->db);
	buf_adds(&b, ",\"collectionName\":");
	labd_json_str(&b, c->name);
	buf_adds(&b, ",\"data\":[");
	if (lbk_rows_json(&b, schema, run->field_ids, run->cols, run->n_cols, run->row,
	    INSERT_MAX, &next, err, sizeof err) != 0) {
		buf_release(&b);
		snprintf(msg, sizeof msg, "restore: run collection task restore: restore collection "
		    "restore_collection: restore data: %s", err);
		lrs_fail_coll(t, msg);
		return;
	}
	buf_adds(&b, "]}");
	run->row = next > run->row ? next : total;
	lrs_call(t, "entities/insert", buf_detach(&b, NULL), on_insert);
}

static void
step_data(struct lrs_task *t)
{
	struct lrs_run *run = t->run;
	const cJSON *parts = cJSON_GetObjectItemCaseSensitive(run->cm[run->coll],
	    "partition_backups");
	const cJSON *segs = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(parts, 0),
	    "segment_backups");
	char err[600], msg[800];
	int64_t rate, delay;
	int rc;

	if (run->cols != NULL) {
		insert_next(t);
		return;
	}
	for (;;) {
		if (run->meta_only || run->seg >= (size_t)cJSON_GetArraySize(segs)) {
			run->step = ST_LOAD;
			lrs_next(t);
			return;
		}
		rc = batch_read(t, cJSON_GetArrayItem(segs, (int)run->seg), err, sizeof err);
		if (rc == 0)
			break;
		run_free_batch(run);
		if (rc < 0) {
			snprintf(msg, sizeof msg, "restore: run collection task restore: restore "
			    "collection restore_collection: restore data: %s", err);
			lrs_fail_coll(t, msg);
			return;
		}
		run->seg++;
		run->batch = 0;
	}
	/* Reading the backup bucket goes at the copy rate too. */
	rate = lbk_rate(t->srv);
	delay = run->batch_bytes * 1000 / (rate > 0 ? rate : 1);
	run->timer = loop_timer_add(t->srv->d.loop, delay, insert_next, t);
}

/* ---- restoreRBAC: BackupRBAC, conv's filter, RestoreRBAC ---- */

static void rbac_begin(struct lrs_task *t);

static void
rbac_fail(struct lrs_task *t, const char *why)
{
	char err[1200];

	snprintf(err, sizeof err, "restore: restore rbac restore: restore rbac: client: restore "
	    "rbac failed: %s", why);
	lrs_finish(t, err);
}

static void rbac_commit(struct lrs_task *t);

static void
on_rbac_commit(struct labd *d, int rc, const char *why, void *arg)
{
	struct lrs_task *t = arg;
	struct lrs_run *run = t->run;

	(void)d;
	if (rc == 1 && ++run->rbac_tries < RBAC_TRIES) {
		/* Another writer came between: read again, filter again. */
		rbac_begin(t);
		return;
	}
	if (rc != 0) {
		rbac_fail(t, rc == 1 ? "the RBAC keys kept changing" : why);
		return;
	}
	rbac_commit(t);
}

/* The next part of the writes (RestoreRBAC saves key by key, so parts are
 * no less atomic), or the databases once all are in. */
static void
rbac_commit(struct lrs_task *t)
{
	struct lrs_run *run = t->run;
	struct lstore_ops part;
	size_t n = run->rbac.n - run->rbac_off;

	if (n == 0) {
		lstore_ops_release(&run->rbac);
		run->step = ST_DBS;
		lrs_next(t);
		return;
	}
	if (n > TXN_OPS) {
		n = TXN_OPS;
		/* A compare stays with the put it guards. */
		while (n > 1 && run->rbac.v[run->rbac_off + n - 1].kind != LSTORE_PUT &&
		    run->rbac.v[run->rbac_off + n - 1].kind != LSTORE_DEL)
			n--;
	}
	memset(&part, 0, sizeof part);
	part.v = run->rbac.v + run->rbac_off;
	part.n = n;
	run->rbac_off += n;
	labd_commit(&t->srv->d, &part, on_rbac_commit, t);
}

/* BackupRBAC answered (s) or failed (s NULL): conv's filter, RestoreRBAC. */
static void
on_rbac_snapshot(struct labd *d, struct lstore *s, const char *why, void *arg)
{
	struct lrs_task *t = arg;
	struct lrs_run *run = t->run;
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(run->meta, "rbac_meta");
	struct lbk_rbac_counts n;
	char err[600];

	if (s == NULL) {
		snprintf(err, sizeof err, "restore: restore rbac restore: get current rbac: client: "
		    "backup rbac failed: %s", why);
		lrs_finish(t, err);
		return;
	}
	lstore_ops_release(&run->rbac);
	run->rbac_off = 0;
	if (lbk_rbac_restore_ops(s, d->v, meta, &run->rbac, &n, err, sizeof err) != 0) {
		lstore_free(s);
		rbac_fail(t, err);
		return;
	}
	lstore_free(s);
	log_info("restore %s: insert rbac: %zu users, %zu roles, %zu grants, %zu privilege groups",
	    t->id, n.users, n.roles, n.grants, n.groups);
	rbac_commit(t);
}

static void
rbac_begin(struct lrs_task *t)
{
	struct lbk_server *srv = t->srv;
	const char *no = lbk_rbac_unsupported(srv->d.v);

	if (no != NULL) {
		on_rbac_snapshot(&srv->d, NULL, no, t);
		return;
	}
	/* BackupRBAC: what the cluster holds now, to leave out of the restore. */
	labd_snapshot(&srv->d, on_rbac_snapshot, t);
}

static void
lrs_next(struct lrs_task *t)
{
	struct lrs_run *run = t->run;
	struct lrs_coll *c;
	const char *ls;

	switch (run->step) {
	case ST_RBAC:
		/* privateExecute: RBAC before databases and collections. */
		if (t->rbac) {
			rbac_begin(t);
			return;
		}
		run->step = ST_DBS;
		/* fall through */
	case ST_DBS:
		if (run->dbs != NULL && run->dbs[run->db] != NULL) {
			lrs_call(t, "databases/create", name_body(run->dbs[run->db], NULL), on_step);
			return;
		}
		run->step = ST_CHECK;
		run->coll = 0;
		/* fall through */
	case ST_CHECK:
		if (run->coll < t->n_colls) {
			c = &t->colls[run->coll];
			lrs_call(t, "collections/has", name_body(c->db, c->name), on_step);
			return;
		}
		run->step = ST_DROP;
		run->coll = 0;
		/* fall through */
	default:
		break;
	}
	if (run->coll >= t->n_colls) {
		lrs_finish(t, NULL);
		return;
	}
	c = &t->colls[run->coll];
	switch (run->step) {
	case ST_DROP:
		c->state = LBK_EXECUTING;
		run->seg = run->batch = 0;
		if (run->drop && c->exists) {
			lrs_call(t, "collections/drop", name_body(c->db, c->name), on_step);
			return;
		}
		run->step = ST_CREATE;
		/* fall through */
	case ST_CREATE:
		if (!run->skip_create) {
			lrs_call(t, "collections/create", lbk_create_body(c->db, c->name,
			    run->cm[run->coll]), on_step);
			return;
		}
		run->step = ST_DATA;
		/* fall through */
	case ST_DATA:
		step_data(t);
		return;
	case ST_LOAD:
		/* As it was when backed up: collections/create with an index loads
		 * it at once, so one not loaded then is released again. */
		ls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(run->cm[run->coll],
		    "load_state"));
		lrs_call(t, ls != NULL && strcmp(ls, "NotLoad") != 0 ? "collections/load" :
		    "collections/release", name_body(c->db, c->name), on_step);
		return;
	default:
		lrs_finish(t, NULL);
		return;
	}
}

static void
on_begin(void *arg)
{
	struct lrs_task *t = arg;

	t->run->timer = 0;
	t->state = LBK_EXECUTING;
	labd_event(&t->srv->d, "restore-started", "id=%s backup=%s", t->id, t->backup);
	lrs_next(t);
}

void
lrs_start(struct lrs_task *t, cJSON *meta, cJSON **cm, char *dir, bool drop, bool skip_create,
    bool meta_only, char **dbs)
{
	struct lrs_run *run = xcalloc(1, sizeof *run);

	run->meta = meta;
	run->cm = cm;
	run->dir = dir;
	run->drop = drop;
	run->skip_create = skip_create;
	run->meta_only = meta_only;
	run->dbs = dbs;
	run->step = ST_RBAC;
	t->run = run;
	/* Execute runs after the handler has answered (a goroutine). */
	run->timer = loop_timer_add(t->srv->d.loop, 0, on_begin, t);
}
