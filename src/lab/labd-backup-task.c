/* SPDX-License-Identifier: MIT */
/* The lab backup server's backup tasks (core/backup/task.go): prepare, read
 * the catalog at one revision, copy each collection's binlogs from Milvus's
 * storage into the backup bucket at a bounded rate (so progress moves), then
 * write the meta files. Tasks are kept in this process's memory only. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/fsutil.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-bucket.h"
#include "labd-store.h"

#define TICK_MS		100		/* copy pacing */
#define CHUNK		(64 * 1024)
#define META_DELAY_MS	300		/* DML done -> meta written: progress 100 is
					 * seen with state executing, as on the real one */
/* MinIO's XMinioStorageFull, what a full bucket answers a PUT with. */
#define STORAGE_FULL	"Storage backend has reached its minimum free drive threshold. " \
			"Please delete a few objects to proceed."

struct lbk_file {
	char *src;			/* absolute, in Milvus's storage */
	char *rel;			/* relative to the backup root */
	int64_t size;
	size_t coll;
};

struct lbk_copy {
	struct lbk_file *files;
	size_t n, cur;
	int64_t off;
	int src_fd, dst_fd;
	uint64_t timer;
	int64_t last_ms;
	double credit;			/* bytes the rate allows and not yet used */
};

struct lbk_task *
lbk_task_find(struct lbk_server *srv, const char *id)
{
	struct lbk_task *t;

	for (t = srv->tasks; t != NULL; t = t->next) {
		if (strcmp(t->id, id) == 0)
			return t;
	}
	return NULL;
}

struct lbk_task *
lbk_task_by_name(struct lbk_server *srv, const char *name)
{
	struct lbk_task *t;

	/* Newest first: the name's current task, as backupNameBackupID maps it. */
	for (t = srv->tasks; t != NULL; t = t->next) {
		if (strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

struct lbk_task *
lbk_task_add(struct lbk_server *srv, struct lbk_create *req, char *err, size_t errlen)
{
	struct lbk_task *t = lbk_task_by_name(srv, req->name);

	/* taskmgr.AddBackupTask: only a failed task gives its name back. A task
	 * stuck at initial (0.5) keeps it for ever, deleted backup or not. */
	if (t != NULL && t->state != LBK_T_FAIL) {
		snprintf(err, errlen, "backup: add backup task to manager: %s (existing task %s)",
		    req->name, t->id);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->srv = srv;
	t->id = xstrdup(req->rid);
	t->name = xstrdup(req->name);
	t->state = LBK_T_INITIAL;
	t->start_s = time_wall_ms() / 1000;
	t->req = req;
	t->next = srv->tasks;
	srv->tasks = t;
	return t;
}

static void
copy_close(struct lbk_copy *cp)
{
	if (cp->src_fd >= 0)
		close(cp->src_fd);
	if (cp->dst_fd >= 0)
		close(cp->dst_fd);
	cp->src_fd = cp->dst_fd = -1;
}

static void
copy_free(struct lbk_server *srv, struct lbk_copy *cp)
{
	size_t i;

	if (cp == NULL)
		return;
	copy_close(cp);
	if (cp->timer != 0)
		loop_timer_cancel(srv->d.loop, cp->timer);
	for (i = 0; i < cp->n; i++) {
		free(cp->files[i].src);
		free(cp->files[i].rel);
	}
	free(cp->files);
	free(cp);
}

/* The end of Execute: answer a synchronous create, which the real handler
 * does without a request id on success and with one on failure. */
static void
task_answer(struct lbk_task *t, const char *err)
{
	struct buf b = BUF_INIT;

	if (t->waiter == NULL)
		return;
	if (err == NULL)
		lbk_envelope(&b, NULL, LBK_OK, "success", NULL);
	else
		lbk_envelope(&b, t->waiter_rid, LBK_FAIL, err, NULL);
	lbk_answer_json(t->waiter, &b);
	t->waiter = NULL;
}

static void
task_fail(struct lbk_task *t, const char *err)
{
	struct lbk_server *srv = t->srv;
	size_t i;

	copy_free(srv, t->copy);
	t->copy = NULL;
	t->state = LBK_T_FAIL;
	free(t->error);
	t->error = xstrdup(err);
	t->end_s = time_wall_ms() / 1000;
	for (i = 0; i < t->n_colls; i++) {
		if (t->colls[i].state != LBK_C_SUCCESS)
			t->colls[i].state = LBK_C_FAIL;
	}
	log_warn("backup '%s' (task %s) failed: %s", t->name, t->id, err);
	labd_event(&srv->d, "backup-done", "name=%s id=%s state=fail", t->name, t->id);
	task_answer(t, err);
}

/* prepare() failed. 0.5 returns before SetBackupFail: the task stays at
 * state 0 and progress 1 for ever (§0.1); 0.6 marks it failed (#1189). */
static void
task_prepare_fail(struct lbk_task *t, const char *err)
{
	if (t->srv->version >= 6) {
		task_fail(t, err);
		return;
	}
	t->stuck = true;
	log_warn("backup '%s' (task %s): %s; as on 0.5 the task stays initial", t->name, t->id,
	    err);
	labd_event(&t->srv->d, "backup-stuck", "name=%s id=%s", t->name, t->id);
	task_answer(t, err);
}

/* writeMeta: the five files, then success. */
static void
write_meta(struct lbk_task *t)
{
	struct lbk_server *srv = t->srv;
	struct lbk_faults f;
	struct buf meta[LBK_META_FILES];
	char rel[1200], err[512], msg[1024], version[48];
	int64_t total = 0;
	size_t i;
	int rc = 0;

	/* GetVersion answers the build tag, "v2.5.27". */
	snprintf(version, sizeof version, "v%s", srv->d.v != NULL ? srv->d.v->semver : "");
	lbk_meta_build(t, version, meta);
	for (i = 0; i < LBK_META_FILES; i++)
		total += (int64_t)meta[i].len;
	lbk_faults_now(srv, &f);
	if (f.full_after >= 0 && srv->backup_bytes + total > f.full_after) {
		snprintf(msg, sizeof msg, "backup: write meta: meta: write full_meta.json: "
		    STORAGE_FULL);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < LBK_META_FILES; i++) {
		snprintf(rel, sizeof rel, "%s/meta/%s", t->name, lbk_meta_names[i]);
		if (lbk_put(srv->backup_root, rel, meta[i].data, meta[i].len, err, sizeof err) != 0) {
			snprintf(msg, sizeof msg, "backup: write meta: meta: write %s: %s",
			    lbk_meta_names[i], err);
			rc = -1;
		}
	}
	for (i = 0; i < LBK_META_FILES; i++)
		buf_release(&meta[i]);
	if (rc != 0) {
		task_fail(t, msg);
		return;
	}
	srv->backup_bytes += total;
	for (i = 0; i < t->n_colls; i++)
		t->colls[i].state = LBK_C_SUCCESS;
	t->state = LBK_T_SUCCESS;
	t->end_s = time_wall_ms() / 1000;
	log_info("backup '%s' (task %s) done: %zu collections", t->name, t->id, t->n_colls);
	labd_event(&srv->d, "backup-done", "name=%s id=%s state=success", t->name, t->id);
	task_answer(t, NULL);
}

/* BackupRBAC answered (the lab's store at one revision: rbac_meta) or
 * failed (s NULL, why says how). */
static void
on_rbac_snapshot(struct labd *d, struct lstore *s, const char *why, void *arg)
{
	struct lbk_task *t = arg;
	char msg[700];

	if (s == NULL) {
		snprintf(msg, sizeof msg, "backup: run rbac task: backup: execute rbac task: backup: "
		    "get RBAC info: client: backup rbac failed: %s", why);
		task_fail(t, msg);
		return;
	}
	free(t->rbac);
	t->rbac = lbk_rbac_json(s, d->v);
	lstore_free(s);
	log_info("backup '%s' (task %s): RBAC read", t->name, t->id);
	write_meta(t);
}

static void
on_meta_timer(void *arg)
{
	struct lbk_task *t = arg;
	struct lbk_server *srv = t->srv;
	char msg[1024];
	size_t i;

	t->copy->timer = 0;
	/* verify_task.go: every object copied is there with its size. */
	for (i = 0; i < t->copy->n; i++) {
		char *dst = xasprintf("%s/%s", srv->backup_root, t->copy->files[i].rel);
		int64_t got = lbk_size(dst);

		free(dst);
		if (got != t->copy->files[i].size) {
			snprintf(msg, sizeof msg, "backup: verify: object %s has size %lld, want %lld",
			    t->copy->files[i].rel, (long long)got, (long long)t->copy->files[i].size);
			task_fail(t, msg);
			return;
		}
	}
	copy_free(srv, t->copy);
	t->copy = NULL;
	if (!t->req->rbac) {
		write_meta(t);
		return;
	}
	/* Execute: the RBAC task runs after the collections, before the meta
	 * is written; a Milvus without BackupRBAC fails it. */
	if (lbk_rbac_unsupported(srv->d.v) != NULL) {
		on_rbac_snapshot(&srv->d, NULL, lbk_rbac_unsupported(srv->d.v), t);
		return;
	}
	labd_snapshot(&srv->d, on_rbac_snapshot, t);
}

/* Copy as much as the rate allows now; -1 with msg on a failure. */
static int
copy_some(struct lbk_task *t, int64_t budget, char *msg, size_t msglen)
{
	struct lbk_server *srv = t->srv;
	struct lbk_copy *cp = t->copy;
	struct lbk_faults f;
	char buf[CHUNK], *dst, err[256];
	ssize_t n;
	int64_t want, room;

	lbk_faults_now(srv, &f);
	while (budget > 0 && cp->cur < cp->n) {
		struct lbk_file *fl = &cp->files[cp->cur];
		struct lbk_coll *c = &t->colls[fl->coll];

		if (cp->src_fd < 0) {
			dst = xasprintf("%s/%s", srv->backup_root, fl->rel);
			cp->src_fd = open(fl->src, O_RDONLY | O_CLOEXEC);
			if (cp->src_fd >= 0 && fs_mkdirs_for(dst, err, sizeof err) == 0)
				cp->dst_fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			free(dst);
			if (cp->src_fd < 0 || cp->dst_fd < 0) {
				snprintf(msg, msglen, "backup: run collection task: backup collection "
				    "%s.%s: copy %s: %s", c->db, c->name, fl->rel, strerror(errno));
				return -1;
			}
		}
		want = fl->size - cp->off;
		if (want > budget)
			want = budget;
		if (want > CHUNK)
			want = CHUNK;
		n = want > 0 ? pread(cp->src_fd, buf, (size_t)want, cp->off) : 0;
		if (n < 0 || (n == 0 && want > 0)) {
			snprintf(msg, msglen, "backup: run collection task: backup collection %s.%s: "
			    "copy %s: short read", c->db, c->name, fl->rel);
			return -1;
		}
		room = f.full_after >= 0 ? f.full_after - srv->backup_bytes : n;
		if (room < n) {
			/* What fits is written, as a disk fills up mid-object. */
			if (room > 0 && pwrite(cp->dst_fd, buf, (size_t)room, cp->off) > 0)
				srv->backup_bytes += room;
			snprintf(msg, msglen, "backup: run collection task: backup collection %s.%s: "
			    "copy %s: %s", c->db, c->name, fl->rel, STORAGE_FULL);
			return -1;
		}
		if (n > 0 && pwrite(cp->dst_fd, buf, (size_t)n, cp->off) != n) {
			snprintf(msg, msglen, "backup: run collection task: backup collection %s.%s: "
			    "copy %s: %s", c->db, c->name, fl->rel, strerror(errno));
			return -1;
		}
		cp->off += n;
		c->copied += n;
		srv->backup_bytes += n;
		budget -= n;
		cp->credit -= (double)n;
		if (cp->off >= fl->size) {
			copy_close(cp);
			cp->cur++;
			cp->off = 0;
			if (c->copied >= c->total)
				c->state = LBK_C_DML_DONE;
		}
	}
	return 0;
}

static void
on_copy_timer(void *arg)
{
	struct lbk_task *t = arg;
	struct lbk_copy *cp = t->copy;
	int64_t now = time_mono_ms();
	char msg[1024];

	cp->timer = 0;
	cp->credit += (double)lbk_rate(t->srv) * (double)(now - cp->last_ms) / 1000.0;
	cp->last_ms = now;
	if (copy_some(t, (int64_t)cp->credit, msg, sizeof msg) != 0) {
		task_fail(t, msg);
		return;
	}
	if (cp->cur < cp->n) {
		cp->timer = loop_timer_add(t->srv->d.loop, TICK_MS, on_copy_timer, t);
		return;
	}
	cp->timer = loop_timer_add(t->srv->d.loop, META_DELAY_MS, on_meta_timer, t);
}

/* The copy plan: every binlog the catalog listed, with its real size. */
static int
plan_copy(struct lbk_task *t, char *msg, size_t msglen)
{
	struct lbk_server *srv = t->srv;
	struct lbk_copy *cp = t->copy;
	size_t i, k, l;

	for (i = 0; i < t->n_colls; i++) {
		struct lbk_coll *c = &t->colls[i];

		c->total = 0;
		for (k = 0; k < c->n_segs; k++) {
			struct lbk_seg *g = &c->segs[k];

			g->size = 0;
			for (l = 0; l < g->n_logs; l++) {
				struct lbk_log *lg = &g->logs[l];
				struct lbk_file *f;

				cp->files = xreallocarray(cp->files, cp->n + 1, sizeof *cp->files);
				f = &cp->files[cp->n++];
				f->coll = i;
				f->src = xasprintf("%s/insert_log/%lld/%lld/%lld/%lld/%lld",
				    srv->milvus_root, (long long)c->id, (long long)g->part_id,
				    (long long)g->id, (long long)lg->field_id, (long long)lg->log_id);
				f->rel = xasprintf("%s/binlogs/insert_log/%lld/%lld/%lld/%lld/%lld",
				    t->name, (long long)c->id, (long long)g->part_id, (long long)g->id,
				    (long long)lg->field_id, (long long)lg->log_id);
				if ((f->size = lbk_size(f->src)) < 0) {
					snprintf(msg, msglen, "backup: run collection task: backup "
					    "collection %s.%s: list binlogs of segment %lld: %s: object "
					    "not found", c->db, c->name, (long long)g->id, f->src +
					    strlen(srv->bucket) + 1);
					return -1;
				}
				lg->size = f->size;
				g->size += f->size;
			}
			c->total += g->size;
		}
		c->state = c->total > 0 ? LBK_C_DML : LBK_C_DML_DONE;
	}
	return 0;
}

static void
on_snapshot(struct labd *d, struct lstore *s, const char *why, void *arg)
{
	struct lbk_task *t = arg;
	char err[512], msg[700];
	size_t i;

	if (s == NULL) {
		snprintf(msg, sizeof msg, "backup: list db and collection: backup: list databases: "
		    "%s", why);
		task_fail(t, msg);
		return;
	}
	t->ts_ms = time_wall_ms();
	if (lbk_plan(s, t->req, t, err, sizeof err) != 0) {
		lstore_free(s);
		snprintf(msg, sizeof msg, "backup: list db and collection: %s", err);
		task_fail(t, msg);
		return;
	}
	lstore_free(s);
	/* DDL, then the DML prepare that lists the binlogs, then the copy. */
	t->state = LBK_T_COLL;
	for (i = 0; i < t->n_colls; i++) {
		t->colls[i].state = LBK_C_DML_PREPARE;
		/* meta_only: the collections' DDL, no segments and no data. */
		if (strcmp(t->req->strategy, "meta_only") == 0) {
			size_t k;

			for (k = 0; k < t->colls[i].n_segs; k++)
				free(t->colls[i].segs[k].logs);
			free(t->colls[i].segs);
			t->colls[i].segs = NULL;
			t->colls[i].n_segs = 0;
		}
	}
	log_info("backup '%s' (task %s): %zu collections planned", t->name, t->id, t->n_colls);
	if (plan_copy(t, msg, sizeof msg) != 0) {
		task_fail(t, msg);
		return;
	}
	t->copy->last_ms = time_mono_ms();
	t->copy->timer = loop_timer_add(t->srv->d.loop, TICK_MS, on_copy_timer, t);
}

static void
on_start(void *arg)
{
	struct lbk_task *t = arg;
	struct lbk_server *srv = t->srv;
	struct lbk_faults f;
	char msg[600], *dir;
	bool exists;

	t->copy->timer = 0;
	lbk_faults_now(srv, &f);
	/* prepare(): the backup directory must not exist, leftovers included. */
	if (f.not_ready) {
		snprintf(msg, sizeof msg, "backup: check whether exist backup with name: %s",
		    t->name);
		task_prepare_fail(t, msg);
		return;
	}
	dir = lbk_backup_dir(srv, t->name);
	exists = dir != NULL && lbk_exists(dir);
	free(dir);
	if (exists) {
		snprintf(msg, sizeof msg, "backup: backup with name %s already exist", t->name);
		task_prepare_fail(t, msg);
		return;
	}
	if (srv->version >= 6 && strcmp(t->req->format, "snapshot") == 0) {
		task_fail(t, "backup: the snapshot format needs a milvus 3.0 or newer server");
		return;
	}
	t->state = LBK_T_DB;
	labd_snapshot(&srv->d, on_snapshot, t);
}

void
lbk_task_start(struct lbk_task *t)
{
	/* Execute runs in a goroutine of its own: never inside the handler. */
	t->copy = xcalloc(1, sizeof *t->copy);
	t->copy->src_fd = t->copy->dst_fd = -1;
	t->copy->timer = loop_timer_add(t->srv->d.loop, 0, on_start, t);
}

void
lbk_tasks_free(struct lbk_server *srv)
{
	struct lbk_task *t;
	size_t i;

	while ((t = srv->tasks) != NULL) {
		srv->tasks = t->next;
		copy_free(srv, t->copy);
		for (i = 0; i < t->n_colls; i++)
			lbk_coll_release(&t->colls[i]);
		free(t->colls);
		lbk_create_free(t->req);
		free(t->req);
		free(t->id);
		free(t->name);
		free(t->error);
		free(t->dbs);
		free(t->rbac);
		free(t->waiter_rid);
		free(t);
	}
}
