/* SPDX-License-Identifier: MIT */
/* milvusadm's own record of a backup's source (struct backup_source): saved
 * as JSON in the state directory, one file per backup and profile, read back
 * by verification. The file is ours, but read back it is input: bounded and
 * checked. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/backups.h"
#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/xalloc.h"

#define RECORD_MAX_BYTES	(16 * 1024 * 1024)
#define RECORD_MAX_COLLS	100000
#define RECORD_MAX_SAMPLE	10000

void
backup_source_release(struct backup_source *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		struct backup_source_coll *c = &s->v[i];

		free(c->db);
		free(c->name);
		free(c->pk);
		free(c->rows_why);
		for (j = 0; j < c->n_sample; j++)
			free(c->sample_pks[j]);
		free(c->sample_pks);
		free(c->sample_hash);
		free(c->sample_why);
	}
	free(s->v);
	free(s->backup);
	free(s->profile);
	memset(s, 0, sizeof *s);
}

const struct backup_source_coll *
backup_source_find(const struct backup_source *s, const char *db, const char *coll)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++) {
		if (strcmp(s->v[i].db, db) == 0 && strcmp(s->v[i].name, coll) == 0)
			return &s->v[i];
	}
	return NULL;
}

/* A profile or backup name becomes a file name: nothing that leaves the
 * directory (milvus-backup's names cannot, a profile's might). */
static bool
record_name_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL &&
	    strlen(s) < 200;
}

static char *
record_path(const char *profile, const char *backup, char *err, size_t errlen)
{
	char *state, *path;

	if (!record_name_ok(profile) || !record_name_ok(backup)) {
		snprintf(err, errlen, "cannot name a record for profile '%.64s' and backup "
		    "'%.64s'", profile != NULL ? profile : "", backup != NULL ? backup : "");
		return NULL;
	}
	state = config_state_dir();
	path = xasprintf("%s/backups/%s/%s.json", state, profile, backup);
	free(state);
	return path;
}

static void
json_str(struct buf *b, const char *s)
{
	char *t;
	cJSON *j = cJSON_CreateString(s != NULL ? s : "");

	t = cJSON_PrintUnformatted(j);
	buf_adds(b, t);
	free(t);
	cJSON_Delete(j);
}

int
backup_source_save(const struct backup_source *s, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	char *path;
	size_t i, j;
	int rc;

	if ((path = record_path(s->profile, s->backup, err, errlen)) == NULL)
		return -1;
	buf_adds(&b, "{\"kind\":\"backup-source\",\"schema\":1,\"backup\":");
	json_str(&b, s->backup);
	buf_adds(&b, ",\"profile\":");
	json_str(&b, s->profile);
	buf_printf(&b, ",\"taken_ms\":%" PRId64 ",\"collections\":[", s->taken_ms);
	for (i = 0; i < s->n; i++) {
		const struct backup_source_coll *c = &s->v[i];

		buf_adds(&b, i > 0 ? ",{\"db\":" : "{\"db\":");
		json_str(&b, c->db);
		buf_adds(&b, ",\"name\":");
		json_str(&b, c->name);
		if (c->pk != NULL) {
			buf_adds(&b, ",\"pk\":");
			json_str(&b, c->pk);
		}
		buf_printf(&b, ",\"rows\":%" PRId64, c->rows);
		if (c->rows_why != NULL) {
			buf_adds(&b, ",\"rows_why\":");
			json_str(&b, c->rows_why);
		}
		if (c->sample_why != NULL) {
			buf_adds(&b, ",\"sample_why\":");
			json_str(&b, c->sample_why);
		}
		buf_printf(&b, ",\"changed\":%zu,\"sample\":[", c->changed);
		/* Keys as JSON text in a string; hashes in hex (beyond 2^53). */
		for (j = 0; j < c->n_sample; j++) {
			buf_adds(&b, j > 0 ? ",[" : "[");
			json_str(&b, c->sample_pks[j]);
			buf_printf(&b, ",\"%016" PRIx64 "\"]", c->sample_hash[j]);
		}
		buf_adds(&b, "]}");
	}
	buf_adds(&b, "]}\n");
	rc = fs_mkdirs_for(path, err, errlen);
	if (rc == 0)
		rc = fs_write_atomic(path, b.data, b.len, err, errlen);
	buf_release(&b);
	free(path);
	return rc;
}

static char *
j_dup(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static int64_t
j_int(const cJSON *o, const char *name, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < -1 || v->valuedouble > 9.0e15)
		return dflt;
	return (int64_t)v->valuedouble;
}

static int
load_sample(const cJSON *arr, struct backup_source_coll *c)
{
	const cJSON *e, *k, *h;
	size_t n = (size_t)cJSON_GetArraySize(arr);

	if (!cJSON_IsArray(arr) || n > RECORD_MAX_SAMPLE)
		return -1;
	c->sample_pks = xcalloc(n + 1, sizeof *c->sample_pks);
	c->sample_hash = xcalloc(n + 1, sizeof *c->sample_hash);
	cJSON_ArrayForEach(e, arr) {
		k = cJSON_GetArrayItem(e, 0);
		h = cJSON_GetArrayItem(e, 1);
		if (!cJSON_IsString(k) || !cJSON_IsString(h) || strlen(h->valuestring) != 16)
			return -1;
		c->sample_hash[c->n_sample] = strtoull(h->valuestring, NULL, 16);
		c->sample_pks[c->n_sample++] = xstrdup(k->valuestring);
	}
	return 0;
}

int
backup_source_load(const char *profile, const char *backup, struct backup_source *out,
    char *err, size_t errlen)
{
	const cJSON *colls, *e;
	char *path, *data;
	size_t len;
	cJSON *j;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if ((path = record_path(profile, backup, err, errlen)) == NULL)
		return -1;
	data = fs_read_all(path, RECORD_MAX_BYTES, &len, err, errlen);
	if (data == NULL) {
		rc = errno == ENOENT ? 1 : -1;
		free(path);
		return rc;
	}
	j = cJSON_ParseWithLength(data, len);
	free(data);
	colls = cJSON_GetObjectItemCaseSensitive(j, "collections");
	if (!cJSON_IsObject(j) || !cJSON_IsArray(colls) ||
	    cJSON_GetArraySize(colls) > RECORD_MAX_COLLS) {
		snprintf(err, errlen, "'%s' is not a backup source record", path);
		goto out;
	}
	out->backup = j_dup(j, "backup");
	out->profile = j_dup(j, "profile");
	out->taken_ms = j_int(j, "taken_ms", 0);
	out->v = xcalloc((size_t)cJSON_GetArraySize(colls) + 1, sizeof *out->v);
	cJSON_ArrayForEach(e, colls) {
		struct backup_source_coll *c = &out->v[out->n];

		c->db = j_dup(e, "db");
		c->name = j_dup(e, "name");
		out->n++;
		if (c->db == NULL || c->name == NULL) {
			snprintf(err, errlen, "'%s': a collection without a name", path);
			goto out;
		}
		c->pk = j_dup(e, "pk");
		c->rows = j_int(e, "rows", -1);
		c->rows_why = j_dup(e, "rows_why");
		c->sample_why = j_dup(e, "sample_why");
		c->changed = (size_t)j_int(e, "changed", 0);
		if (load_sample(cJSON_GetObjectItemCaseSensitive(e, "sample"), c) != 0) {
			snprintf(err, errlen, "'%s': a bad sample", path);
			goto out;
		}
	}
	rc = 0;
out:
	cJSON_Delete(j);
	free(path);
	if (rc != 0)
		backup_source_release(out);
	return rc;
}
