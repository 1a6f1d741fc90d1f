/* SPDX-License-Identifier: MIT */
/* The drop flow's journal: one small file per profile and collection in
 * <state>/journal/, replaced whole (fs_write_atomic) at each step, removed
 * when the flow ends. A run killed at any step leaves the last step written,
 * and the next run of any command reports it (journal_pending). The steps
 * are ordered so that a drop is only ever sent after its backup was
 * verified. MILVUSADM_CRASH_AT=STEP kills the process with SIGKILL right
 * after STEP is written: the tests' way to stop the flow at each step. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/guard.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#define JOURNAL_MAX_BYTES	65536
#define JOURNAL_MAX_FILES	1000

static const struct {
	const char *step;
	const char *said;
} steps[] = {
	{ "started", "nothing done yet: the collection is intact" },
	{ "backup-started", "its backup was started, the drop not sent: the collection is intact" },
	{ "backup-done", "its backup succeeded but was not verified, the drop not sent: the "
	    "collection is intact" },
	{ "backup-verified", "backup verified, drop not sent: the collection is intact" },
	{ "confirmed", "confirmed, drop not sent: the collection is intact" },
	{ "drop-sent", "the drop was sent and not confirmed: check whether the collection "
	    "still exists; its verified backup restores it" },
	{ "gone", "dropped; its verified backup restores it" },
};

const char *
journal_step_said(const char *step)
{
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (strcmp(steps[i].step, step) == 0)
			return steps[i].said;
	return "an unknown step";
}

static char *
journal_dir(void)
{
	char *state = config_state_dir(), *d = xasprintf("%s/journal", state);

	free(state);
	return d;
}

void
journal_open(struct journal *j, const char *profile, const char *collection)
{
	struct buf b = BUF_INIT;
	char *dir = journal_dir();

	memset(j, 0, sizeof *j);
	snprintf(j->profile, sizeof j->profile, "%s", profile);
	snprintf(j->collection, sizeof j->collection, "%s", collection);
	buf_printf(&b, "%s/drop-", dir);
	fs_name_part(&b, profile);
	buf_addc(&b, '@');
	fs_name_part(&b, collection);
	buf_adds(&b, ".json");
	j->path = buf_detach(&b, NULL);
	j->started_ms = time_wall_ms();
	free(dir);
}

static void
json_str(struct buf *b, const char *s)
{
	buf_add_json_str(b, s != NULL ? s : "");
}

int
journal_step(struct journal *j, const char *step, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	const char *crash = getenv("MILVUSADM_CRASH_AT");
	int rc;

	buf_adds(&b, "{\"kind\":\"drop-journal\",\"profile\":");
	json_str(&b, j->profile);
	buf_adds(&b, ",\"collection\":");
	json_str(&b, j->collection);
	buf_adds(&b, ",\"backup\":");
	json_str(&b, j->backup);
	buf_adds(&b, ",\"undo\":");
	json_str(&b, j->undo);
	buf_adds(&b, ",\"step\":");
	json_str(&b, step);
	buf_printf(&b, ",\"started_ms\":%" PRId64 ",\"step_ms\":%" PRId64 ",\"pid\":%ld}\n",
	    j->started_ms, time_wall_ms(), (long)getpid());
	rc = fs_mkdirs_for(j->path, err, errlen);
	if (rc == 0)
		rc = fs_write_atomic(j->path, b.data, b.len, err, errlen);
	buf_release(&b);
	if (crash != NULL && strcmp(crash, step) == 0)
		raise(SIGKILL);
	return rc;
}

void
journal_close(struct journal *j, bool done)
{
	if (done && j->path != NULL)
		(void)unlink(j->path);
	free(j->path);
	j->path = NULL;
}

size_t
journal_pending(void (*each)(const struct journal_entry *e, void *arg), void *arg)
{
	char *dir = journal_dir(), *path, *data, **names;
	struct journal_entry e;
	size_t n, i, found = 0, len;
	const cJSON *t;
	cJSON *j;

	names = fs_dir_names_desc(dir, ".json", JOURNAL_MAX_FILES, &n);
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		data = fs_read_all(path, JOURNAL_MAX_BYTES, &len, NULL, 0);
		j = data != NULL ? cJSON_ParseWithLength(data, len) : NULL;
		memset(&e, 0, sizeof e);
		e.path = path;
#define J(k) ((t = cJSON_GetObjectItemCaseSensitive(j, k)) != NULL && cJSON_IsString(t) ? \
	t->valuestring : "?")
		e.profile = J("profile");
		e.collection = J("collection");
		e.backup = J("backup");
		e.undo = J("undo");
		e.step = J("step");
#undef J
		t = cJSON_GetObjectItemCaseSensitive(j, "step_ms");
		e.step_ms = cJSON_IsNumber(t) ? (int64_t)t->valuedouble : 0;
		/* A file that does not parse is still an unfinished flow: said. */
		each(&e, arg);
		found++;
		cJSON_Delete(j);
		free(data);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return found;
}
