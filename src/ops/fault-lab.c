/* SPDX-License-Identifier: MIT */
/* The lab fault: a signal to the lab member hosting the target, with `milvusadm
 * lab kill` semantics (the supervisor restarts it). Built into the front end,
 * not the library. What it knows of the lab comes through the lab's own
 * interface (milvusadm/lab-target.h, src/lab/lab-target.c), as a docker or k8s
 * backend knows a container through its API.
 *
 * signal=STOP freezes the member instead: its lease runs out (the TTL), the
 * cluster fails over, and restore thaws it; a process that then confirms its
 * lease lost exits by itself (80 on Milvus 3.0, 1 on 2.6.7+; contract §10,
 * fault-backends §5.3), which the restarts answer reports as its last exit. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/lab-target.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

/* How long restore waits for a thawed member to end and be started again. */
#define LAB_THAW_WAIT_MS	15000
#define LAB_THAW_POLL_MS	100

struct fault_backend {
	struct loop *loop;
	char *lab;			/* lab name */
	int signo;
	const char *signame;		/* "KILL", "TERM", "STOP" */
	fault_cb cb;
	void *arg;
	struct fault_result res;
	uint64_t timer;
	/* signal=STOP: the frozen member, until restore thaws it */
	struct lab_target frozen;
	bool is_frozen;
	fault_cb thaw_cb;
	void *thaw_arg;
	struct fault_result thaw_res;
	uint64_t thaw_timer;
	int64_t thaw_deadline;
	/* restarts, answered from the loop like inject; may overlap with it */
	fault_restarts_cb rcb;
	void *rarg;
	struct fault_restarts rres;
	uint64_t rtimer;
};

static struct fault_backend *
lab_fault_open(struct loop *l, const struct profile *p, struct etcd *e,
    const char *const *options, char *err, size_t errlen)
{
	struct fault_backend *b;
	const char *name = fault_option(options, "lab"), *sig = fault_option(options, "signal");
	const char *const *o;

	(void)e;
	for (o = options; o != NULL && *o != NULL; o++) {
		if (strncmp(*o, "lab=", 4) != 0 && strncmp(*o, "signal=", 7) != 0) {
			snprintf(err, errlen, "option '%s' is not known to the lab backend "
			    "(lab=NAME, signal=KILL|TERM|STOP)", *o);
			return NULL;
		}
	}
	/* `lab up --name N` writes profile lab-N; the default lab's profile is "lab". */
	if (name == NULL && p != NULL && p->name != NULL) {
		if (strncmp(p->name, "lab-", 4) == 0)
			name = p->name + 4;
		else if (strcmp(p->name, "lab") == 0)
			name = "default";
	}
	if (name == NULL) {
		snprintf(err, errlen, "profile '%s' is not a lab's (lab-NAME): give the lab "
		    "with --option lab=NAME", p != NULL && p->name != NULL ? p->name : "");
		return NULL;
	}
	b = xcalloc(1, sizeof *b);
	b->loop = l;
	b->lab = xstrdup(name);
	if (sig == NULL)
		sig = "KILL";
	if (strncasecmp(sig, "SIG", 3) == 0)
		sig += 3;
	if (strcasecmp(sig, "KILL") == 0)
		b->signo = SIGKILL, b->signame = "KILL";
	else if (strcasecmp(sig, "TERM") == 0)
		b->signo = SIGTERM, b->signame = "TERM";
	else if (strcasecmp(sig, "STOP") == 0)
		b->signo = SIGSTOP, b->signame = "STOP";
	else {
		snprintf(err, errlen, "signal '%s' is not KILL, TERM or STOP", sig);
		goto fail;
	}
	if (lab_target_check(name, err, errlen) == -1)
		goto fail;
	return b;
fail:
	free(b->lab);
	free(b);
	return NULL;
}

static void
lab_fault_close(struct fault_backend *b)
{
	char err[256];

	if (b == NULL)
		return;
	if (b->timer != 0)
		loop_timer_cancel(b->loop, b->timer);
	if (b->rtimer != 0)
		loop_timer_cancel(b->loop, b->rtimer);
	if (b->thaw_timer != 0)
		loop_timer_cancel(b->loop, b->thaw_timer);
	/* Never leave a member frozen behind a drill that ended early. */
	if (b->is_frozen)
		(void)lab_target_signal(b->lab, &b->frozen, SIGCONT, "drill", err, sizeof err);
	free(b->lab);
	free(b);
}

static int
lab_fault_plan(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	struct lab_target m;
	char err[256], what[200];

	if (lab_target_find(b->lab, t->host, &m, err, sizeof err) == -1) {
		snprintf(out, outlen, "%s", err);
		return -1;
	}
	if (t->etcd_member_name != NULL)
		snprintf(what, sizeof what, "etcd member '%s' at %s", t->etcd_member_name,
		    t->address);
	else
		snprintf(what, sizeof what, "hosting %s %" PRId64, t->role, t->server_id);
	if (b->signo == SIGSTOP)
		snprintf(out, outlen, "kill(%ld, SIGSTOP): lab member '%s' of lab '%s' %s, "
		    "frozen (as `milvusadm lab kill --name %s %s --signal STOP`) while its "
		    "lease runs out (TTL %d s); once the drill ends, SIGCONT: a process that "
		    "confirms its lease lost exits by itself (80 on Milvus 3.0) and the lab "
		    "supervisor restarts it", (long)m.pid, m.member, b->lab, what, b->lab,
		    m.member, m.ttl);
	else
		snprintf(out, outlen, "kill(%ld, SIG%s): lab member '%s' of lab '%s' %s (as "
		    "`milvusadm lab kill --name %s %s --signal %s`; the lab supervisor restarts "
		    "it)", (long)m.pid, b->signame, m.member, b->lab, what, b->lab, m.member,
		    b->signame);
	return 0;
}

static void
lab_fault_fire(void *arg)
{
	struct fault_backend *b = arg;

	b->timer = 0;
	b->cb(&b->res, b->arg);
}

static int
lab_fault_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	struct lab_target m;
	char err[256];

	memset(&b->res, 0, sizeof b->res);
	b->cb = cb;
	b->arg = arg;
	if (lab_target_find(b->lab, t->host, &m, err, sizeof err) == -1 ||
	    lab_target_signal(b->lab, &m, b->signo, "drill", err, sizeof err) == -1) {
		b->res.err = -1;
		snprintf(b->res.errmsg, sizeof b->res.errmsg, "%s", err);
	} else {
		b->res.injected_ms = time_wall_ms();
		snprintf(b->res.detail, sizeof b->res.detail, "sent SIG%s to '%s' (pid %ld)",
		    b->signame, m.member, (long)m.pid);
		if (b->signo == SIGSTOP) {
			b->frozen = m;
			b->is_frozen = true;
		}
	}
	/* The callback comes from the loop, as for every other backend. */
	b->timer = loop_timer_add(b->loop, 0, lab_fault_fire, b);
	return 0;
}

static void
lab_thaw_answer(struct fault_backend *b)
{
	fault_cb cb = b->thaw_cb;

	b->thaw_cb = NULL;
	cb(&b->thaw_res, b->thaw_arg);
}

/* A thawed member: wait until it has ended and the supervisor has started it
 * again (or the wait runs out), so that the restarts answer after restore
 * sees how it ended. */
static void
lab_thaw_poll(void *arg)
{
	struct fault_backend *b = arg;
	struct lab_target m;
	char err[256];
	bool again;

	b->thaw_timer = 0;
	if (lab_target_find(b->lab, b->frozen.ip, &m, err, sizeof err) == -1) {
		snprintf(b->thaw_res.detail, sizeof b->thaw_res.detail, "sent SIGCONT to '%.60s' "
		    "(pid %ld); then: %.120s", b->frozen.member, (long)b->frozen.pid, err);
		lab_thaw_answer(b);
		return;
	}
	again = m.pid > 0 && m.pid != b->frozen.pid;
	if (again || time_mono_ms() >= b->thaw_deadline) {
		if (m.pid != b->frozen.pid && m.last_exit[0] != '\0')
			snprintf(b->thaw_res.detail, sizeof b->thaw_res.detail, "sent SIGCONT to "
			    "'%s' (pid %ld): it ended (%s)%s", b->frozen.member,
			    (long)b->frozen.pid, m.last_exit, again ? " and the lab supervisor "
			    "started it again" : "");
		else
			snprintf(b->thaw_res.detail, sizeof b->thaw_res.detail, "sent SIGCONT to "
			    "'%s' (pid %ld): it is still running %d s later", b->frozen.member,
			    (long)b->frozen.pid, LAB_THAW_WAIT_MS / 1000);
		lab_thaw_answer(b);
		return;
	}
	b->thaw_timer = loop_timer_add(b->loop, LAB_THAW_POLL_MS, lab_thaw_poll, b);
}

static void
lab_nothing_to_undo(void *arg)
{
	struct fault_backend *b = arg;

	b->thaw_timer = 0;
	lab_thaw_answer(b);
}

/* STOP: SIGCONT to the frozen member; else nothing to undo (the supervisor
 * restarts what was killed). */
static int
lab_fault_restore(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	char err[256];

	(void)t;
	if (b->thaw_cb != NULL)
		return -1;
	memset(&b->thaw_res, 0, sizeof b->thaw_res);
	b->thaw_cb = cb;
	b->thaw_arg = arg;
	if (!b->is_frozen) {
		snprintf(b->thaw_res.detail, sizeof b->thaw_res.detail, "nothing to undo: the "
		    "lab supervisor restarts what was %s", b->signo == SIGSTOP ? "frozen" :
		    "signalled");
		b->thaw_timer = loop_timer_add(b->loop, 0, lab_nothing_to_undo, b);
		return 0;
	}
	b->is_frozen = false;
	if (lab_target_signal(b->lab, &b->frozen, SIGCONT, "drill", err, sizeof err) == -1) {
		b->thaw_res.err = -1;
		snprintf(b->thaw_res.errmsg, sizeof b->thaw_res.errmsg, "%s", err);
		b->thaw_timer = loop_timer_add(b->loop, 0, lab_nothing_to_undo, b);
		return 0;
	}
	b->thaw_res.injected_ms = time_wall_ms();
	b->thaw_deadline = time_mono_ms() + LAB_THAW_WAIT_MS;
	b->thaw_timer = loop_timer_add(b->loop, LAB_THAW_POLL_MS, lab_thaw_poll, b);
	return 0;
}

static void
lab_fault_restarts_fire(void *arg)
{
	struct fault_backend *b = arg;

	b->rtimer = 0;
	b->rcb(&b->rres, b->rarg);
}

/*
 * The supervisor counts a member's restarts (the count `lab status` shows),
 * adding one when it starts the member again; the member keeps its address
 * across restarts, so the target's IP finds it before the fault and after the
 * recovery alike.
 */
static int
lab_fault_restarts(struct fault_backend *b, const struct fault_target *t, fault_restarts_cb cb,
    void *arg)
{
	struct lab_target m;
	char err[256];

	if (b->rtimer != 0)
		return -1;
	memset(&b->rres, 0, sizeof b->rres);
	b->rcb = cb;
	b->rarg = arg;
	if (lab_target_find(b->lab, t->host, &m, err, sizeof err) == -1) {
		b->rres.err = -1;
		b->rres.count = -1;
		snprintf(b->rres.errmsg, sizeof b->rres.errmsg, "%s", err);
	} else {
		b->rres.count = m.restarts;
		snprintf(b->rres.what, sizeof b->rres.what, "lab supervisor restarts of %s",
		    m.member);
		snprintf(b->rres.last_exit, sizeof b->rres.last_exit, "%s", m.last_exit);
	}
	b->rtimer = loop_timer_add(b->loop, 0, lab_fault_restarts_fire, b);
	return 0;
}

const struct fault_ops fault_lab_ops = {
	.name = "lab",
	.open = lab_fault_open,
	.close = lab_fault_close,
	.plan = lab_fault_plan,
	.inject = lab_fault_inject,
	.restore = lab_fault_restore,
	.restarts = lab_fault_restarts,
};
