/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the lab backup server's readers of untrusted text:
 * /create bodies and backup names (from clients), /restore bodies planned
 * against a backup's full meta, the meta's brief and collections/create
 * bodies, binlog columns turned into insert rows (all from the bucket), and
 * the faults file. The first byte picks the reader; for /restore the rest is
 * "REQUEST\n====\nFULL_META". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/lab.h"
#include "milvusadm/xalloc.h"
#include "../../src/lab/labd-backup.h"
#include "../../src/lab/labd-store.h"
#include "../../src/lab/labd.h"

#define SEP		"\n====\n"
#define MAX_COLS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The restore handler's I/O, linked with the pure part it shares a file
 * with: never reached from here. */
void labd_http_answer(struct labd_http_req *r, unsigned int status, const char *ctype,
    const char *body, size_t len) { abort(); }
void labd_http_on_gone(struct labd_http_req *r, void (*gone)(void *arg), void *arg) { abort(); }
void lbk_answer_json(struct labd_http_req *r, struct buf *b) { abort(); }
void lbk_faults_now(struct lbk_server *srv, struct lbk_faults *f) { abort(); }
struct cJSON *lbk_meta_read(struct lbk_server *srv, const char *name, bool *exists,
    int64_t *meta_size) { abort(); }
char *lbk_backup_dir(struct lbk_server *srv, const char *name) { abort(); }
void lrs_start(struct lrs_task *t, struct cJSON *meta, struct cJSON **cm, char *dir, bool drop,
    bool skip_create, bool meta_only, char **dbs) { abort(); }
void lrs_task_free(struct lbk_server *srv, struct lrs_task *t) { abort(); }

void
lab_strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
fuzz_create(const char *text, size_t len, bool header)
{
	struct lbk_create c;
	char err[512];

	/* 1 (a selection it cannot read) still fills c: the server answers
	 * with its request id. */
	if (lbk_create_parse(text, len, header ? "hdr-rid-1" : NULL, &c, err, sizeof err) >= 0)
		(void)lbk_name_error(c.name);
	lbk_create_free(&c);
}

/* A full meta as lbk_meta_read gives it: the brief, and each collection's
 * create body as a restore builds it. */
static void
fuzz_meta(const char *text, size_t len, int version)
{
	cJSON *meta = lbk_json_parse(text, len);
	const cJSON *c;
	struct buf b = BUF_INIT;

	if (meta == NULL)
		return;
	lbk_brief_json(&b, NULL, meta, (int64_t)len, version);
	buf_release(&b);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(meta, "collection_backups"))
		free(lbk_create_body("db", "coll", c));
	cJSON_Delete(meta);
}

/* {"schema":CollectionSchema,"field_ids":[...],"cols":[[...],...],"from":N}:
 * the binlog columns of one batch, parsed as the restore parses them. */
static void
fuzz_rows(const char *text, size_t len)
{
	cJSON *j = lbk_json_parse(text, len), *cols[MAX_COLS];
	const cJSON *ids, *e;
	int64_t field_ids[MAX_COLS];
	struct buf b = BUF_INIT;
	size_t n = 0, next, i;
	char err[256], *txt;

	ids = cJSON_GetObjectItemCaseSensitive(j, "field_ids");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "cols")) {
		if (n == MAX_COLS)
			break;
		field_ids[n] = lbk_json_int(cJSON_GetArrayItem(ids, (int)n), NULL, 0);
		txt = cJSON_PrintUnformatted(e);
		cols[n++] = txt != NULL ? cJSON_Parse(txt) : NULL;
		free(txt);
	}
	(void)lbk_rows_json(&b, cJSON_GetObjectItemCaseSensitive(j, "schema"), field_ids, cols, n,
	    (size_t)(lbk_json_int(j, "from", 0) & 0xffff), 64 * 1024, &next, err, sizeof err);
	buf_release(&b);
	for (i = 0; i < n; i++)
		cJSON_Delete(cols[i]);
	cJSON_Delete(j);
}

/* A backup's rbac_meta restored (restoreRBAC's filter and writes) into an
 * empty store, and the store's RBAC written back out. */
static void
fuzz_rbac(const char *text, size_t len, bool v25)
{
	const struct labd_version *v = labd_version_find(v25 ? "2.5" : "2.6");
	struct lbk_rbac_counts n;
	struct lstore_ops o;
	struct lstore *s = lstore_new("by-dev");
	cJSON *meta = lbk_json_parse(text, len);
	char err[256];

	memset(&o, 0, sizeof o);
	(void)lbk_rbac_restore_ops(s, v, meta, &o, &n, err, sizeof err);
	lstore_ops_release(&o);
	free(lbk_rbac_json(s, v));
	cJSON_Delete(meta);
	lstore_free(s);
}

/* A /restore body (parsed as lrs_handle parses it) planned against a meta. */
static void
fuzz_restore(const char *text, size_t len)
{
	const char *sep = memmem(text, len, SEP, strlen(SEP));
	size_t rlen = sep != NULL ? (size_t)(sep - text) : len;
	cJSON *req = cJSON_ParseWithLength(text, rlen), *meta, **cm = NULL;
	char **dbs = NULL, err[600];
	struct lrs_task t;
	size_t i;

	meta = sep != NULL ? lbk_json_parse(sep + strlen(SEP), len - rlen - strlen(SEP)) : NULL;
	if (cJSON_IsObject(req) && meta != NULL) {
		memset(&t, 0, sizeof t);
		t.backup = (char *)"b1";
		(void)lrs_plan(&t, req, meta, &cm, &dbs, err, sizeof err);
		for (i = 0; i < t.n_colls; i++) {
			free(t.colls[i].src_db);
			free(t.colls[i].src_name);
			free(t.colls[i].db);
			free(t.colls[i].name);
			free(t.colls[i].error);
		}
		free(t.colls);
		free(cm);
		lab_strv_free(dbs);
	}
	cJSON_Delete(req);
	cJSON_Delete(meta);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lbk_faults f;
	char *text;
	size_t len;

	if (size < 1)
		return 0;
	/* The readers take NUL-terminated text too: give them a copy that is. */
	len = size - 1;
	text = xmalloc(len + 1);
	memcpy(text, data + 1, len);
	text[len] = '\0';
	switch (data[0] % 7) {
	case 0: fuzz_create(text, len, data[0] & 8); break;
	case 1: lbk_faults_parse(text, &f); break;
	case 2: fuzz_meta(text, len, data[0] & 8 ? 6 : 5); break;
	case 3: fuzz_rows(text, len); break;
	case 4: fuzz_restore(text, len); break;
	case 5: fuzz_rbac(text, len, data[0] & 8); break;
	default: (void)lbk_name_error(text); break;
	}
	free(text);
	return 0;
}
