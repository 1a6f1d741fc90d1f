/* SPDX-License-Identifier: MIT */
/* Waiting for a backup or restore task: a poll on the loop by the task's id,
 * and the judge that decides from each answer whether the wait goes on or
 * ends (success, the server's failure, a task the server lost, one that never
 * started, a server that stopped answering). Never a hang: every end has a
 * bound. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#define WAIT_POLL_MS		1000
#define WAIT_UNREACHABLE_MS	60000

const char *
backup_wait_end_name(enum backup_wait_end e)
{
	static const char *const names[] = { "going", "success", "failed", "lost",
	    "never started", "unreachable", "stopped" };

	return (unsigned)e <= BACKUP_WAIT_STOPPED ? names[e] : "unknown";
}

const char *
backup_stall_hint(enum backup_wait_kind kind, enum backup_task_state st)
{
	if (st == BACKUP_TASK_INITIAL)
		return kind == BACKUP_WAIT_CREATE ?
		    "a 0.5.x server keeps a create whose backup directory already exists "
		    "(leftovers of a failed or interrupted try) at state 0 forever, and older "
		    "servers leave a create that failed at start there: pick a fresh name" :
		    "the restore has not started: see the milvus-backup log";
	if (kind == BACKUP_WAIT_RESTORE)
		return "a restore stuck near 70% usually means Milvus is building indexes "
		    "after the import (milvus-backup#414, #640)";
	return "copying to the backup bucket is slow or stuck: see the milvus-backup log "
	    "and the storage's health";
}

/* The state and progress an answer reports, by kind. */
static void
wait_observed(enum backup_wait_kind kind, const struct backup_result *r,
    enum backup_task_state *st, int *progress, const char **error)
{
	if (kind == BACKUP_WAIT_RESTORE) {
		*st = r->restore.state;
		*progress = r->restore.progress;
		*error = r->restore.error;
	} else {
		*st = r->brief.state;
		*progress = r->brief.progress;
		*error = r->brief.error;
	}
}

enum backup_wait_end
backup_wait_judge(struct backup_wait_track *t, enum backup_wait_kind kind,
    const struct backup_result *r, int64_t now_ms, const struct backup_wait_opts *o,
    char *msg, size_t msglen)
{
	int64_t unreach = o->unreachable_ms > 0 ? o->unreachable_ms : WAIT_UNREACHABLE_MS;
	enum backup_task_state st;
	const char *error;
	char d[32];
	int progress;

	msg[0] = '\0';
	if (!t->seen) {
		t->first_ms = t->answer_ms = t->change_ms = now_ms;
		t->state = BACKUP_TASK_INITIAL;
		t->progress = -1;
		t->seen = true;
	}
	/* No usable answer: a server restarting, a network blip. Tolerated
	 * for a while; then the wait ends and says the task may still run. */
	if (r == NULL || r->err == BACKUP_EUNREACHABLE || r->err == BACKUP_EHTTP ||
	    r->err == BACKUP_EPROTO || r->err == BACKUP_ECRASH || r->err == BACKUP_ENOTREADY) {
		if (now_ms - t->answer_ms < unreach)
			return BACKUP_WAIT_GOING;
		time_format_duration(now_ms - t->answer_ms, d, sizeof d);
		snprintf(msg, msglen, "no answer from milvus-backup for %s (the task may still "
		    "run): %s", d, r != NULL ? r->errmsg : "the poll could not be sent");
		return BACKUP_WAIT_UNREACHABLE;
	}
	if (r->err == BACKUP_ETASKLOST) {
		snprintf(msg, msglen, "%s", r->errmsg);
		return BACKUP_WAIT_LOST;
	}
	if (r->err != BACKUP_OK) {
		snprintf(msg, msglen, "%s", r->errmsg);
		return BACKUP_WAIT_FAILED;
	}
	t->answer_ms = now_ms;
	wait_observed(kind, r, &st, &progress, &error);
	if (st != t->state || progress != t->progress) {
		t->change_ms = now_ms;
		t->state = st;
		t->progress = progress;
	}
	switch (st) {
	case BACKUP_TASK_SUCCESS:
	case BACKUP_TASK_STORED:	/* its meta is in storage: complete */
		return BACKUP_WAIT_SUCCESS;
	case BACKUP_TASK_FAIL:
	case BACKUP_TASK_TIMEOUT:
		snprintf(msg, msglen, "%s", error != NULL && *error != '\0' ? error :
		    "the server reports failure without a message");
		return BACKUP_WAIT_FAILED;
	case BACKUP_TASK_INITIAL:
		/* Contract 0 and 0.1: a task can stay initial forever. */
		if (o->stall_ms > 0 && now_ms - t->first_ms >= o->stall_ms) {
			time_format_duration(now_ms - t->first_ms, d, sizeof d);
			snprintf(msg, msglen, "still initial after %s: %s", d,
			    backup_stall_hint(kind, st));
			return BACKUP_WAIT_NEVER_STARTED;
		}
		return BACKUP_WAIT_GOING;
	default:
		return BACKUP_WAIT_GOING;
	}
}

struct backup_wait {
	struct loop *loop;
	struct backup_api *a;
	enum backup_wait_kind kind;
	char *id;
	struct backup_wait_opts o;
	struct backup_wait_track track;
	backup_wait_cb update;
	void *arg;
	uint64_t timer;
	bool in_flight;
	bool orphan;			/* freed while a poll was in flight */
	enum backup_wait_end end;
	char msg[512];
	int done;
};

static void wait_poll(void *arg);

static void
wait_finish(struct backup_wait *w, enum backup_wait_end e)
{
	w->end = e;
	w->done = 1;
	if (w->timer != 0) {
		loop_timer_cancel(w->loop, w->timer);
		w->timer = 0;
	}
}

static void
wait_free_now(struct backup_wait *w)
{
	if (w->timer != 0)
		loop_timer_cancel(w->loop, w->timer);
	free(w->id);
	free(w);
}

static void
wait_answer(const struct backup_result *r, void *arg)
{
	struct backup_wait *w = arg;
	enum backup_wait_end e;

	w->in_flight = false;
	if (w->orphan) {
		wait_free_now(w);
		return;
	}
	if (w->done)
		return;		/* stopped meanwhile */
	e = backup_wait_judge(&w->track, w->kind, r, time_mono_ms(), &w->o, w->msg,
	    sizeof w->msg);
	if (e != BACKUP_WAIT_GOING)
		wait_finish(w, e);
	if (w->update != NULL)
		w->update(r, w->arg);
	if (e == BACKUP_WAIT_GOING && !w->done)
		w->timer = loop_timer_add(w->loop, w->o.poll_ms, wait_poll, w);
}

static void
wait_poll(void *arg)
{
	struct backup_wait *w = arg;
	enum backup_wait_end e;
	int rc;

	w->timer = 0;
	if (w->o.stop != NULL && *w->o.stop) {
		backup_wait_stop(w);
		return;
	}
	rc = w->kind == BACKUP_WAIT_RESTORE ?
	    backup_api_get_restore(w->a, w->id, wait_answer, w) :
	    backup_api_get_task(w->a, w->id, wait_answer, w);
	if (rc == 0) {
		w->in_flight = true;
		return;
	}
	e = backup_wait_judge(&w->track, w->kind, NULL, time_mono_ms(), &w->o, w->msg,
	    sizeof w->msg);
	if (e != BACKUP_WAIT_GOING)
		wait_finish(w, e);
	else
		w->timer = loop_timer_add(w->loop, w->o.poll_ms, wait_poll, w);
}

struct backup_wait *
backup_wait_start(struct loop *l, struct backup_api *a, enum backup_wait_kind kind,
    const char *task_id, const struct backup_wait_opts *o, backup_wait_cb update, void *arg)
{
	struct backup_wait *w = xcalloc(1, sizeof *w);

	w->loop = l;
	w->a = a;
	w->kind = kind;
	w->id = xstrdup(task_id != NULL ? task_id : "");
	if (o != NULL)
		w->o = *o;
	if (w->o.poll_ms <= 0)
		w->o.poll_ms = WAIT_POLL_MS;
	w->update = update;
	w->arg = arg;
	w->end = BACKUP_WAIT_GOING;
	/* Counted from the caller's start (its progress display's), so that
	 * "never started" ends the wait no later than a stall would be drawn. */
	w->track.first_ms = w->track.answer_ms = w->track.change_ms =
	    w->o.start_ms > 0 ? w->o.start_ms : time_mono_ms();
	w->track.state = BACKUP_TASK_INITIAL;
	w->track.progress = -1;
	w->track.seen = true;
	w->timer = loop_timer_add(l, 0, wait_poll, w);
	return w;
}

const int *
backup_wait_done(const struct backup_wait *w)
{
	return &w->done;
}

void
backup_wait_stop(struct backup_wait *w)
{
	if (w->done)
		return;
	snprintf(w->msg, sizeof w->msg, "stopped waiting; the task goes on on the server");
	wait_finish(w, BACKUP_WAIT_STOPPED);
}

enum backup_wait_end
backup_wait_result(const struct backup_wait *w)
{
	return w->end;
}

const char *
backup_wait_message(const struct backup_wait *w)
{
	return w->msg;
}

void
backup_wait_free(struct backup_wait *w)
{
	if (w == NULL)
		return;
	if (w->in_flight) {
		if (w->timer != 0)
			loop_timer_cancel(w->loop, w->timer);
		w->timer = 0;
		w->orphan = true;
		return;
	}
	wait_free_now(w);
}
