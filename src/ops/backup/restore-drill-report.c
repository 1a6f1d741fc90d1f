/* SPDX-License-Identifier: MIT */
/* Restore drills' saved reports: where they live (<state>/restore-drills,
 * beside the failover drills' <state>/drills), an id for a new one, saving
 * its JSON and Markdown whole, and reading the JSON back for `restore drill
 * history` and the TUI (doc/restore-drill-report.schema.json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "milvusadm/backups.h"
#include "milvusadm/config.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/xalloc.h"

#define RD_MAX_BYTES		(4 * 1024 * 1024)
#define RD_MAX_FILES		100000

char *
restore_drill_dir(bool create)
{
	char *state = config_state_dir(), *dir;

	dir = xasprintf("%s/restore-drills", state);
	if (create)
		(void)fs_mkdirs(dir, NULL, 0);
	free(state);
	return dir;
}

void
restore_drill_id(int64_t wall_ms, char *out, size_t outlen)
{
	struct tm tm;
	time_t t = (time_t)(wall_ms / 1000);

	gmtime_r(&t, &tm);
	/* The UTC time first: names sort by time, newest last. */
	snprintf(out, outlen, "rd-%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(wall_ms % 1000));
}

int
restore_drill_save(const char *id, const char *json, size_t json_len, const char *md,
    size_t md_len, char *err, size_t errlen)
{
	char *dir = restore_drill_dir(true), *path;
	int rc;

	path = xasprintf("%s/%s.json", dir, id);
	rc = fs_write_atomic(path, json, json_len, err, errlen);
	free(path);
	if (rc == 0) {
		path = xasprintf("%s/%s.md", dir, id);
		rc = fs_write_atomic(path, md, md_len, err, errlen);
		free(path);
	}
	free(dir);
	return rc;
}

static char *
j_dup(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static int64_t
j_int(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9.0e15)
		return -1;
	return (int64_t)v->valuedouble;
}

static int
brief_load(const char *path, struct restore_drill_brief *b, char *err, size_t errlen)
{
	const cJSON *k, *res;
	size_t len;
	char *data;
	cJSON *j;

	memset(b, 0, sizeof *b);
	if ((data = fs_read_all(path, RD_MAX_BYTES, &len, err, errlen)) == NULL)
		return -1;
	j = cJSON_ParseWithLength(data, len);
	free(data);
	k = cJSON_GetObjectItemCaseSensitive(j, "kind");
	res = cJSON_GetObjectItemCaseSensitive(j, "result");
	if (!cJSON_IsObject(j) || !cJSON_IsString(k) ||
	    strcmp(k->valuestring, "restore-drill-report") != 0 || !cJSON_IsString(res)) {
		snprintf(err, errlen, "'%s' is not a restore drill report", path);
		cJSON_Delete(j);
		return -1;
	}
	b->id = j_dup(j, "id");
	b->profile = j_dup(j, "profile");
	b->backup = j_dup(j, "backup");
	b->verdict = j_dup(j, "verdict");
	b->started_ms = j_int(j, "started_ms");
	b->rto_ms = j_int(j, "rto_ms");
	b->rpo_ms = j_int(j, "rpo_ms");
	b->rows = j_int(j, "rows");
	b->passed = strcmp(res->valuestring, "pass") == 0;
	cJSON_Delete(j);
	if (b->id == NULL || b->profile == NULL) {
		snprintf(err, errlen, "'%s' has no id or profile", path);
		free(b->id);
		free(b->profile);
		free(b->backup);
		free(b->verdict);
		return -1;
	}
	return 0;
}

struct restore_drill_brief *
restore_drill_history(const char *profile, size_t max, size_t *n,
    void (*skip)(const char *why, void *arg), void *arg)
{
	char *dir = restore_drill_dir(false), *path, err[512], **names;
	struct restore_drill_brief *v = NULL, b;
	size_t n_names, i;

	*n = 0;
	/* Ids begin with the UTC time: newest first by name. */
	names = fs_dir_names_desc(dir, ".json", RD_MAX_FILES, &n_names);
	for (i = 0; i < n_names; i++) {
		if (*n < max) {
			path = xasprintf("%s/%s", dir, names[i]);
			if (brief_load(path, &b, err, sizeof err) != 0) {
				if (skip != NULL)
					skip(err, arg);
			} else if (profile != NULL && strcmp(b.profile, profile) != 0) {
				free(b.id);
				free(b.profile);
				free(b.backup);
				free(b.verdict);
			} else {
				v = xreallocarray(v, *n + 1, sizeof *v);
				v[(*n)++] = b;
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	return v;
}

void
restore_drill_history_free(struct restore_drill_brief *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].profile);
		free(v[i].backup);
		free(v[i].verdict);
	}
	free(v);
}
