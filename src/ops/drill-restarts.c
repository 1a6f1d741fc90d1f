/* SPDX-License-Identifier: MIT */
/* Restart counts of what a drill's target runs in (pods of its role, its
 * container, its lab member), asked of the fault backend before the fault and
 * at the end, for the report. Bounded: a slow API never holds a drill. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"

#define DRILL_RESTARTS_WAIT_MS	3000

struct drill_restarts {
	struct loop *loop;
	const struct fault_ops *ops;
	struct fault_backend *fb;
	const struct fault_target *t;
	int64_t count[2];		/* before, after; -1 unknown */
	char what[160];
	char last_exit[32];		/* the newest answer's, "" unknown */
	char err[2][256];		/* why a count is unknown */
	bool after;			/* which one is being asked */
	bool pending;
	uint64_t timer;
	void (*then)(void *);
	void *arg;
};

struct drill_restarts *
drill_restarts_new(struct loop *l, const struct fault_ops *ops, struct fault_backend *fb,
    const struct fault_target *t)
{
	struct drill_restarts *rs;

	if (ops->restarts == NULL)
		return NULL;
	rs = xcalloc(1, sizeof *rs);
	rs->loop = l;
	rs->ops = ops;
	rs->fb = fb;
	rs->t = t;
	rs->count[0] = rs->count[1] = -1;
	return rs;
}

static void
restarts_end(struct drill_restarts *rs)
{
	void (*then)(void *) = rs->then;

	rs->pending = false;
	if (rs->timer != 0)
		loop_timer_cancel(rs->loop, rs->timer);
	rs->timer = 0;
	rs->then = NULL;
	if (then != NULL)
		then(rs->arg);
}

static void
restarts_answer(const struct fault_restarts *r, void *arg)
{
	struct drill_restarts *rs = arg;

	/* An answer after the wait gave up is one nobody waits for. */
	if (!rs->pending)
		return;
	if (r->err == 0 && r->count >= 0) {
		rs->count[rs->after] = r->count;
		if (r->what[0] != '\0')
			snprintf(rs->what, sizeof rs->what, "%s", r->what);
		if (r->last_exit[0] != '\0')
			snprintf(rs->last_exit, sizeof rs->last_exit, "%s", r->last_exit);
	} else
		snprintf(rs->err[rs->after], sizeof rs->err[0], "%s", r->errmsg[0] != '\0' ?
		    r->errmsg : "no reason given");
	restarts_end(rs);
}

static void
restarts_timeout(void *arg)
{
	struct drill_restarts *rs = arg;

	rs->timer = 0;
	snprintf(rs->err[rs->after], sizeof rs->err[0], "no answer within %d ms",
	    DRILL_RESTARTS_WAIT_MS);
	restarts_end(rs);
}

/* then() from the loop even when the backend refused at once. */
static void
restarts_soon(void *arg)
{
	struct drill_restarts *rs = arg;

	rs->timer = 0;
	restarts_end(rs);
}

void
drill_restarts_ask(struct drill_restarts *rs, bool after, void (*then)(void *), void *arg)
{
	/* A drill aborted while the first count was out: that one is dropped. */
	if (rs->timer != 0)
		loop_timer_cancel(rs->loop, rs->timer);
	rs->timer = 0;
	rs->after = after;
	rs->then = then;
	rs->arg = arg;
	rs->pending = true;
	if (rs->ops->restarts(rs->fb, rs->t, restarts_answer, rs) == -1) {
		/* The backend still waits on the first count: its late answer
		 * must not pass for this one. */
		rs->pending = false;
		snprintf(rs->err[after], sizeof rs->err[0], "the previous count had not "
		    "answered");
		rs->timer = loop_timer_add(rs->loop, 0, restarts_soon, rs);
		return;
	}
	rs->timer = loop_timer_add(rs->loop, DRILL_RESTARTS_WAIT_MS, restarts_timeout, rs);
}

void
drill_restarts_fill(const struct drill_restarts *rs, struct drill_report *r)
{
	free(r->restarts_what);
	r->restarts_what = rs->what[0] != '\0' ? xstrdup(rs->what) : NULL;
	r->restarts_before = rs->count[0];
	r->restarts_after = rs->count[1];
	free(r->last_exit);
	r->last_exit = rs->last_exit[0] != '\0' ? xstrdup(rs->last_exit) : NULL;
	if (rs->err[0][0] != '\0')
		drill_report_note(r, "restarts before the fault unknown: %s", rs->err[0]);
	if (rs->err[1][0] != '\0')
		drill_report_note(r, "restarts at the end unknown: %s", rs->err[1]);
}

void
drill_restarts_free(struct drill_restarts *rs)
{
	if (rs == NULL)
		return;
	if (rs->timer != 0)
		loop_timer_cancel(rs->loop, rs->timer);
	free(rs);
}
