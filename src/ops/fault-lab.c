/* SPDX-License-Identifier: MIT */
/* The lab fault: a signal to the lab member hosting the target, with `milvusadm
 * lab kill` semantics (the supervisor restarts it). Built into the front end,
 * not the library, because it reads the lab's own state files through lablib:
 * the lab is the one place where such files are the real interface. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/lab.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

struct fault_backend {
	struct loop *loop;
	char *lab;			/* lab name */
	char *dir;			/* its state directory */
	int signo;
	const char *signame;		/* "KILL", "TERM" */
	fault_cb cb;
	void *arg;
	struct fault_result res;
	uint64_t timer;
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
	struct lab *lab;
	char lerr[256];

	for (o = options; o != NULL && *o != NULL; o++) {
		if (strncmp(*o, "lab=", 4) != 0 && strncmp(*o, "signal=", 7) != 0) {
			snprintf(err, errlen, "option '%s' is not known to the lab backend "
			    "(lab=NAME, signal=KILL|TERM)", *o);
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
	if (lab_check_name(name, lerr, sizeof lerr) == -1) {
		snprintf(err, errlen, "%s", lerr);
		return NULL;
	}
	b = xcalloc(1, sizeof *b);
	b->loop = l;
	b->lab = xstrdup(name);
	b->dir = lab_dir_path(name);
	if (sig == NULL)
		sig = "KILL";
	if (strncasecmp(sig, "SIG", 3) == 0)
		sig += 3;
	if (strcasecmp(sig, "KILL") == 0)
		b->signo = SIGKILL, b->signame = "KILL";
	else if (strcasecmp(sig, "TERM") == 0)
		b->signo = SIGTERM, b->signame = "TERM";
	else {
		snprintf(err, errlen, "signal '%s' is not KILL or TERM", sig);
		goto fail;
	}
	lab = lab_read_plan(b->dir, lerr, sizeof lerr);
	if (lab == NULL) {
		snprintf(err, errlen, "lab '%s': %s", name, lerr);
		goto fail;
	}
	lab_free(lab);
	return b;
fail:
	free(b->lab);
	free(b->dir);
	free(b);
	return NULL;
}

static void
lab_fault_close(struct fault_backend *b)
{
	if (b == NULL)
		return;
	if (b->timer != 0)
		loop_timer_cancel(b->loop, b->timer);
	if (b->rtimer != 0)
		loop_timer_cancel(b->loop, b->rtimer);
	free(b->lab);
	free(b->dir);
	free(b);
}

/* The running member at the target's IP (each member has its own address). */
static struct lab_member *
lab_fault_member(struct fault_backend *b, struct lab **labp, const struct fault_target *t,
    char *err, size_t errlen)
{
	struct lab *lab;
	size_t i;

	*labp = NULL;
	lab = lab_read_plan(b->dir, err, errlen);
	if (lab == NULL)
		return NULL;
	if (lab_read_state(lab, err, errlen) == -1) {
		lab_free(lab);
		return NULL;
	}
	*labp = lab;
	for (i = 0; i < lab->n_members; i++) {
		if (t->host != NULL && lab->members[i].ip != NULL &&
		    strcmp(lab->members[i].ip, t->host) == 0)
			return &lab->members[i];
	}
	snprintf(err, errlen, "no member of lab '%s' has address '%s'", b->lab,
	    t->host != NULL ? t->host : "");
	return NULL;
}

static int
lab_fault_plan(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	struct lab_member *m;
	struct lab *lab;
	char err[256];

	m = lab_fault_member(b, &lab, t, err, sizeof err);
	if (m == NULL) {
		snprintf(out, outlen, "%s", err);
		lab_free(lab);
		return -1;
	}
	if (t->etcd_member_name != NULL)
		snprintf(out, outlen, "kill(%ld, SIG%s): lab member '%s' of lab '%s', etcd "
		    "member '%s' at %s (as `milvusadm lab kill --name %s %s --signal %s`; the lab "
		    "supervisor restarts it)", (long)m->pid, b->signame, m->name, b->lab,
		    t->etcd_member_name, t->address, b->lab, m->name, b->signame);
	else
		snprintf(out, outlen, "kill(%ld, SIG%s): lab member '%s' of lab '%s' hosting "
		    "%s %" PRId64 " (as `milvusadm lab kill --name %s %s --signal %s`; the lab "
		    "supervisor restarts it)", (long)m->pid, b->signame, m->name, b->lab, t->role,
		    t->server_id, b->lab, m->name, b->signame);
	lab_free(lab);
	return 0;
}

static void
lab_fault_fire(void *arg)
{
	struct fault_backend *b = arg;

	b->timer = 0;
	b->cb(&b->res, b->arg);
}

/* The lab's ground truth, as `lab kill` writes it (but only once the signal
 * was sent), so the drill's injected time can be checked against it. */
static void
lab_fault_log(struct lab *lab, const struct lab_member *m, int signo)
{
	char *path = lab_path(lab, LAB_EVENTS_FILE);

	lab_event_append(path, m->name, "killed", "signal=%d by=drill pid=%ld", signo,
	    (long)m->pid);
	free(path);
}

static int
lab_fault_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	struct lab_member *m;
	struct lab *lab;
	char err[256];

	memset(&b->res, 0, sizeof b->res);
	b->cb = cb;
	b->arg = arg;
	m = lab_fault_member(b, &lab, t, err, sizeof err);
	if (m == NULL) {
		b->res.err = -1;
		snprintf(b->res.errmsg, sizeof b->res.errmsg, "%s", err);
	} else if (lab_supervisor_pid(lab->dir) == 0) {
		b->res.err = -1;
		snprintf(b->res.errmsg, sizeof b->res.errmsg, "lab '%s' is not running", b->lab);
	} else if (m->pid <= 0 || !lab_pid_is_ours(m->pid, lab->dir)) {
		b->res.err = -1;
		snprintf(b->res.errmsg, sizeof b->res.errmsg, "member '%s' is not running",
		    m->name);
	} else {
		if (kill(m->pid, b->signo) == -1) {
			b->res.err = -1;
			snprintf(b->res.errmsg, sizeof b->res.errmsg, "cannot signal '%s' (pid "
			    "%ld): %s", m->name, (long)m->pid, strerror(errno));
		} else {
			lab_fault_log(lab, m, b->signo);
			b->res.injected_ms = time_wall_ms();
			snprintf(b->res.detail, sizeof b->res.detail, "sent SIG%s to '%s' (pid "
			    "%ld)", b->signame, m->name, (long)m->pid);
		}
	}
	lab_free(lab);
	/* The callback comes from the loop, as for every other backend. */
	b->timer = loop_timer_add(b->loop, 0, lab_fault_fire, b);
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
 * The supervisor counts a member's restarts in state.json (the count `lab
 * status` shows), adding one when it starts the member again; the member
 * keeps its address across restarts, so the target's IP finds it before the
 * fault and after the recovery alike.
 */
static int
lab_fault_restarts(struct fault_backend *b, const struct fault_target *t, fault_restarts_cb cb,
    void *arg)
{
	struct lab_member *m;
	struct lab *lab;
	char err[256];

	if (b->rtimer != 0)
		return -1;
	memset(&b->rres, 0, sizeof b->rres);
	b->rcb = cb;
	b->rarg = arg;
	m = lab_fault_member(b, &lab, t, err, sizeof err);
	if (m == NULL) {
		b->rres.err = -1;
		b->rres.count = -1;
		snprintf(b->rres.errmsg, sizeof b->rres.errmsg, "%s", err);
	} else {
		b->rres.count = m->restarts;
		snprintf(b->rres.what, sizeof b->rres.what, "lab supervisor restarts of %s",
		    m->name);
		if (m->last_exit != NULL)
			snprintf(b->rres.last_exit, sizeof b->rres.last_exit, "%s", m->last_exit);
	}
	lab_free(lab);
	b->rtimer = loop_timer_add(b->loop, 0, lab_fault_restarts_fire, b);
	return 0;
}

const struct fault_ops fault_lab_ops = {
	.name = "lab",
	.open = lab_fault_open,
	.close = lab_fault_close,
	.plan = lab_fault_plan,
	.inject = lab_fault_inject,
	.restore = NULL,
	.restarts = lab_fault_restarts,
};
