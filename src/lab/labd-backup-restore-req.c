/* SPDX-License-Identifier: MIT */
/* POST /api/v1/restore on the lab backup server: the request, its checks in
 * restoreHandler's order, the selection and renames, and the task it starts
 * (core/server/restore.go; contract milvus-backup.md §0, §2). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "milvusadm/lab.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-bucket.h"

#define JSON_CT		"application/json; charset=utf-8"

static const char *
str_of(const cJSON *o, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(it) ? it->valuestring : "";
}

static void
answer(struct labd_http_req *r, const char *rid, int code, const char *msg, const char *data)
{
	struct buf b = BUF_INIT;

	lbk_envelope(&b, rid, code, msg, data);
	lbk_answer_json(r, &b);
}

/* Is (db, coll) picked by collection_names / db_collections (pre-rename)? */
static bool
selected(const cJSON *j, const char *db, const char *coll, bool *any)
{
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(j, "collection_names");
	const cJSON *dbc = cJSON_GetObjectItemCaseSensitive(j, "db_collections"), *e, *d;
	cJSON *own = NULL;
	char full[600];
	bool hit = false;

	*any = false;
	snprintf(full, sizeof full, "%s.%s", db, coll);
	if (cJSON_IsString(dbc) && dbc->valuestring[0] != '\0')
		dbc = own = cJSON_Parse(dbc->valuestring);
	if (cJSON_GetArraySize(dbc) > 0) {
		*any = true;
		cJSON_ArrayForEach(d, dbc) {
			if (d->string == NULL || strcmp(d->string, db) != 0)
				continue;
			if (cJSON_GetArraySize(d) == 0)
				hit = true;
			cJSON_ArrayForEach(e, d) {
				if (cJSON_IsString(e) && strcmp(e->valuestring, coll) == 0)
					hit = true;
			}
		}
	} else if (cJSON_GetArraySize(names) > 0) {
		*any = true;
		cJSON_ArrayForEach(e, names) {
			if (cJSON_IsString(e) && (strcmp(e->valuestring, full) == 0 ||
			    (strcmp(db, "default") == 0 && strcmp(e->valuestring, coll) == 0)))
				hit = true;
		}
	}
	cJSON_Delete(own);
	return hit;
}

/* The target of (db, coll): collection_renames (db1.c1:db2.c2, c1:c2,
 * db1.*:db2.*, db1.:db2.), else the suffix. */
static void
target(const cJSON *j, const char *db, const char *coll, char **tdb, char **tcoll)
{
	const cJSON *ren = cJSON_GetObjectItemCaseSensitive(j, "collection_renames"), *e;
	const char *suffix = str_of(j, "collection_suffix"), *dot, *v;
	char full[600];

	snprintf(full, sizeof full, "%s.%s", db, coll);
	cJSON_ArrayForEach(e, ren) {
		if (e->string == NULL || !cJSON_IsString(e))
			continue;
		v = e->valuestring;
		dot = strchr(v, '.');
		if (strcmp(e->string, full) == 0 ||
		    (strcmp(db, "default") == 0 && strcmp(e->string, coll) == 0)) {
			*tdb = dot != NULL ? xstrndup(v, (size_t)(dot - v)) : xstrdup(db);
			*tcoll = xstrdup(dot != NULL ? dot + 1 : v);
			return;
		}
	}
	cJSON_ArrayForEach(e, ren) {
		size_t n;

		if (e->string == NULL || !cJSON_IsString(e))
			continue;
		n = strlen(e->string);
		v = e->valuestring;
		dot = strchr(v, '.');
		/* db1.* or db1.: the whole database moves, names kept. */
		if (dot != NULL && ((n >= 2 && strcmp(e->string + n - 2, ".*") == 0 &&
		    strlen(db) == n - 2 && strncmp(e->string, db, n - 2) == 0) ||
		    (n >= 1 && e->string[n - 1] == '.' && strlen(db) == n - 1 &&
		    strncmp(e->string, db, n - 1) == 0))) {
			*tdb = xstrndup(v, (size_t)(dot - v));
			*tcoll = xstrdup(coll);
			return;
		}
	}
	*tdb = xstrdup(db);
	*tcoll = xasprintf("%s%s", coll, suffix);
}

static void
restore_id(char *out, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char when[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y_%m_%d_%H_%M_%S_", &tm);
	snprintf(out, len, "restore_%s%ld", when, (long)ts.tv_nsec);
}

static bool
in_list(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return true;
	}
	return false;
}

/* The collections to restore, their targets and the databases to make. */
int
lrs_plan(struct lrs_task *t, const cJSON *j, cJSON *meta, cJSON ***cm, char ***dbs, char *err,
    size_t errlen)
{
	const cJSON *colls = cJSON_GetObjectItemCaseSensitive(meta, "collection_backups"), *c;
	size_t n_dbs = 0;
	bool any;

	*cm = xcalloc((size_t)cJSON_GetArraySize(colls) + 1, sizeof **cm);
	*dbs = xcalloc(1, sizeof **dbs);
	cJSON_ArrayForEach(c, colls) {
		const char *db = str_of(c, "db_name"), *name = str_of(c, "collection_name");
		struct lrs_coll *rc;

		if (db[0] == '\0')
			db = "default";
		if (!selected(j, db, name, &any) && any)
			continue;
		t->colls = xreallocarray(t->colls, t->n_colls + 1, sizeof *t->colls);
		rc = &t->colls[t->n_colls];
		memset(rc, 0, sizeof *rc);
		(*cm)[t->n_colls++] = (cJSON *)c;
		rc->src_db = xstrdup(db);
		rc->src_name = xstrdup(name);
		target(j, db, name, &rc->db, &rc->name);
		rc->state = LBK_INITIAL;
		rc->start_s = time_wall_ms() / 1000;
		rc->total = lbk_json_int(c, "size", 0);
		if (strcmp(rc->db, "default") != 0 && !in_list(*dbs, n_dbs, rc->db)) {
			*dbs = xreallocarray(*dbs, n_dbs + 2, sizeof **dbs);
			(*dbs)[n_dbs++] = xstrdup(rc->db);
			(*dbs)[n_dbs] = NULL;
		}
	}
	(void)any;
	if (t->n_colls == 0 && cJSON_GetArraySize(colls) > 0) {
		snprintf(err, errlen, "server: create restore plan: no collection of backup %s "
		    "matches the selection", t->backup);
		return -1;
	}
	return 0;
}

static void
restore_gone(void *arg)
{
	struct lrs_task *t = arg;

	t->waiter = NULL;
}

void
lrs_handle(struct lbk_server *srv, struct labd_http_req *r, const char *body, size_t len)
{
	cJSON *j = len > 0 ? cJSON_ParseWithLength(body, len) : NULL, *meta = NULL, **cm = NULL;
	const char *name, *suffix, *s;
	char rid[300], id[300], msg[700], err[600], **dbs = NULL;
	struct lrs_task *t;
	struct buf data = BUF_INIT;
	int64_t msize;
	bool exists;

	if (!cJSON_IsObject(j)) {
		labd_http_answer(r, 400, JSON_CT, "{\"error\":\"invalid request body: invalid "
		    "character\"}", 48);
		cJSON_Delete(j);
		return;
	}
	/* complete(): the body's requestId (the header is not read) and id. */
	if (str_of(j, "requestId")[0] != '\0')
		snprintf(rid, sizeof rid, "%.255s", str_of(j, "requestId"));
	else
		lbk_uuid(rid);
	if (str_of(j, "id")[0] != '\0')
		snprintf(id, sizeof id, "%.255s", str_of(j, "id"));
	else
		restore_id(id, sizeof id);
	name = str_of(j, "backup_name");
	suffix = str_of(j, "collection_suffix");
	/* Early errors carry no requestId (§0). */
	if (name[0] == '\0') {
		answer(r, NULL, LBK_PARAM, "backup name is required", NULL);
		goto out;
	}
	for (s = suffix; *s != '\0' && (isalnum((unsigned char)*s) || *s == '_'); s++)
		;
	if (*s != '\0') {
		answer(r, NULL, LBK_PARAM, "only alphanumeric characters and underscores are "
		    "allowed in collection suffix", NULL);
		goto out;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "dropExistCollection")) &&
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "skipCreateCollection"))) {
		answer(r, NULL, LBK_PARAM, "drop_exist_collection and skip_create_collection cannot "
		    "be true at the same time", NULL);
		goto out;
	}
	{
		struct lbk_faults f;

		lbk_faults_now(srv, &f);
		if (f.not_ready) {
			answer(r, NULL, LBK_FAIL, "meta: check backup exist dial tcp: connect: "
			    "connection refused", NULL);
			goto out;
		}
	}
	meta = lbk_meta_read(srv, name, &exists, &msize);
	if (!exists) {
		if (srv->version >= 6)
			snprintf(msg, sizeof msg, "app: backup %s: backup not found", name);
		else
			snprintf(msg, sizeof msg, "backup %s not found", name);
		answer(r, NULL, LBK_PARAM, msg, NULL);
		goto out;
	}
	if (meta == NULL) {
		answer(r, NULL, LBK_FAIL, "server: read backup: meta: unmarshal meta", NULL);
		goto out;
	}
	t = xcalloc(1, sizeof *t);
	t->srv = srv;
	t->id = xstrdup(id);
	t->rid = xstrdup(rid);
	t->backup = xstrdup(name);
	t->state = LBK_INITIAL;
	t->start_s = time_wall_ms() / 1000;
	if (lrs_plan(t, j, meta, &cm, &dbs, err, sizeof err) != 0) {
		/* newTask failed: no task is registered. */
		answer(r, NULL, LBK_FAIL, err, NULL);
		free(cm);
		lab_strv_free(dbs);
		lrs_task_free(srv, t);
		goto out;
	}
	/* AddRestoreTask replaces a task of the same id; the newest is found first. */
	t->next = srv->restores;
	srv->restores = t;
	t->rbac = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "rbac"));
	lrs_start(t, meta, cm, lbk_backup_dir(srv, name),
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "dropExistCollection")),
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "skipCreateCollection")),
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "metaOnly")), dbs);
	meta = NULL;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "async"))) {
		lrs_task_json(&data, t);
		answer(r, rid, LBK_OK, "restore backup is executing asynchronously", data.data);
		buf_release(&data);
	} else {
		t->waiter = r;
		labd_http_on_gone(r, restore_gone, t);
	}
out:
	cJSON_Delete(meta);
	cJSON_Delete(j);
}
