/* SPDX-License-Identifier: MIT */
/* `milvusadm lab kill|restart|start`: the verbs on one member of a running lab,
 * which the lab supervisor (src/lab/supervisor.c) runs and restarts. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "milvusadm/cmd.h"
#include "milvusadm/lab.h"
#include "milvusadm/timeutil.h"
#include "cmd-handlers.h"
#include "cmd-lab.h"

static int
lab_signal_number(const char *name)
{
	static const struct { const char *name; int signo; } sigs[] = {
		{ "KILL", SIGKILL }, { "TERM", SIGTERM }, { "INT", SIGINT },
		{ "STOP", SIGSTOP }, { "CONT", SIGCONT },
	};
	size_t i;

	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		if (strcasecmp(name, sigs[i].name) == 0)
			return sigs[i].signo;
	}
	return -1;
}

/* " --name LAB" when the lab is not the default one, for the hints. */
static const char *
lab_name_opt(const struct lab *lab, char *buf, size_t len)
{
	if (strcmp(lab->name, "default") == 0)
		return "";
	snprintf(buf, len, " --name %s", lab->name);
	return buf;
}

/* The running member called name, checked against pid reuse; NULL after
 * reporting, with *rc (a name the lab does not have is a usage error, as in
 * lab start). */
static struct lab_member *
lab_live_member(struct cmd_ctx *ctx, struct lab *lab, const char *name, int *rc)
{
	struct lab_member *m;

	*rc = CMD_FAILED;
	if (lab_supervisor_pid(lab->dir) == 0) {
		cmd_error(ctx, CMD_FAILED, "lab '%s' is not running", lab->name);
		return NULL;
	}
	m = lab_member_find(lab, name);
	if (m == NULL) {
		*rc = cmd_error(ctx, CMD_USAGE, "member '%s' not found in lab '%s'", name,
		    lab->name);
		return NULL;
	}
	if (m->pid <= 0 || !lab_pid_is_ours(m->pid, lab->dir)) {
		char opt[64];

		cmd_error(ctx, CMD_FAILED, "member '%s' is not running (%s; 'milvusadm lab "
		    "start %s%s' starts it now)", name, lab_state_name(m->state), name,
		    lab_name_opt(lab, opt, sizeof opt));
		return NULL;
	}
	return m;
}

int
cmd_lab_kill(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct lab_args a;
	struct lab_member *m;
	struct lab *lab;
	char *path;
	int rc, signo;

	if ((rc = lab_parse(ctx, argc, argv, &a, true)) != CMD_OK)
		return rc;
	signo = lab_signal_number(a.signal);
	if (signo == -1)
		return cmd_error(ctx, CMD_USAGE, "signal '%s' is not one of KILL, TERM, INT, "
		    "STOP, CONT", a.signal);
	lab = lab_open(ctx, a.name, false);
	if (lab == NULL)
		return CMD_FAILED;
	m = lab_live_member(ctx, lab, a.member, &rc);
	if (m == NULL) {
		lab_free(lab);
		return rc;
	}
	/* The drills' ground truth: logged just before the signal is sent. */
	path = lab_path(lab, LAB_EVENTS_FILE);
	lab_event_append(path, m->name, "killed", "signal=%d by=lab-kill pid=%ld", signo,
	    (long)m->pid);
	free(path);
	if (kill(m->pid, signo) == -1) {
		cmd_error(ctx, CMD_FAILED, "cannot signal '%s' (pid %ld): %s", m->name,
		    (long)m->pid, strerror(errno));
		lab_free(lab);
		return CMD_FAILED;
	}
	fprintf(ctx->out, "sent SIG%s to '%s' (pid %ld)\n", a.signal, m->name, (long)m->pid);
	lab_free(lab);
	return CMD_OK;
}

int
cmd_lab_restart(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct lab_args a;
	struct lab_member *m;
	struct lab *lab;
	int64_t deadline;
	char err[256];
	pid_t old;
	int rc;

	if ((rc = lab_parse(ctx, argc, argv, &a, true)) != CMD_OK)
		return rc;
	lab = lab_open(ctx, a.name, false);
	if (lab == NULL)
		return CMD_FAILED;
	m = lab_live_member(ctx, lab, a.member, &rc);
	if (m == NULL) {
		lab_free(lab);
		return rc;
	}
	old = m->pid;
	kill(old, SIGTERM);
	deadline = time_mono_ms() + a.timeout_ms;
	while (time_mono_ms() < deadline) {
		lab_sleep(ctx, 100);
		if (lab_read_state(lab, err, sizeof err) == -1)
			continue;
		m = lab_member_find(lab, a.member);
		if (m != NULL && m->pid > 0 && m->pid != old && m->state == LAB_RUNNING) {
			fprintf(ctx->out, "'%s' restarted: pid %ld (was %ld)\n", m->name,
			    (long)m->pid, (long)old);
			lab_free(lab);
			return CMD_OK;
		}
	}
	cmd_error(ctx, CMD_FAILED, "member '%s' did not come back in time", a.member);
	lab_free(lab);
	return CMD_FAILED;
}


/* Is pid stopped by a signal (SIGSTOP, `lab kill --signal STOP`)? */
static bool
lab_pid_stopped(pid_t pid)
{
	char path[64], text[512], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold anything, so from the last ')'. */
	p = strrchr(text, ')');
	return p != NULL && (p[1] == ' ' && (p[2] == 'T' || p[2] == 't'));
}

/* Wait until member runs with a pid other than old; CMD_OK once it does. */
static int
lab_wait_started(struct cmd_ctx *ctx, struct lab *lab, const char *member, pid_t old,
    int64_t timeout_ms)
{
	int64_t deadline = time_mono_ms() + timeout_ms;
	struct lab_member *m = NULL;
	char err[256], d[32], *req;
	bool pending;

	for (;;) {
		lab_sleep(ctx, 100);
		if (lab_read_state(lab, err, sizeof err) == 0 &&
		    (m = lab_member_find(lab, member)) != NULL && m->pid > 0 &&
		    m->pid != old && m->state == LAB_RUNNING) {
			fprintf(ctx->out, "'%s' started: pid %ld\n", m->name, (long)m->pid);
			return CMD_OK;
		}
		if (lab_supervisor_pid(lab->dir) == 0)
			return cmd_error(ctx, CMD_FAILED, "the supervisor of lab '%s' exited "
			    "before '%s' started (see '%s/supervisor.log')", lab->name, member,
			    lab->dir);
		if (time_mono_ms() >= deadline)
			break;
	}
	/* A request left behind would start the member at some later signal. */
	req = lab_start_request_path(lab, member);
	pending = unlink(req) == 0;
	free(req);
	time_format_duration(timeout_ms, d, sizeof d);
	if (pending)
		return cmd_error(ctx, CMD_FAILED, "member '%s' did not start within %s: the "
		    "supervisor of lab '%s' did not take the request (see '%s/supervisor.log')",
		    member, d, lab->name, lab->dir);
	return cmd_error(ctx, CMD_FAILED, "member '%s' did not start within %s (it is %s; "
	    "see '%s/logs/%s.log')", member, d, m != NULL ? lab_state_name(m->state) :
	    "unknown", lab->dir, member);
}

/*
 * Start a member that is not running now, as `docker start` starts a stopped
 * container: a request file for the supervisor, then SIGUSR1 to wake it (its
 * back-off may be minutes long, and it alone may spawn a member: it is the
 * parent that reaps it).
 */
int
cmd_lab_start(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct lab_args a;
	struct lab_member *m;
	struct lab *lab;
	char err[512], opt[64];
	pid_t sup, old;
	int rc;

	if ((rc = lab_parse(ctx, argc, argv, &a, true)) != CMD_OK)
		return rc;
	lab = lab_open(ctx, a.name, false);
	if (lab == NULL)
		return CMD_FAILED;
	m = lab_member_find(lab, a.member);
	if (m == NULL) {
		cmd_error(ctx, CMD_USAGE, "member '%s' not found in lab '%s' (see 'milvusadm "
		    "lab status%s')", a.member, lab->name, lab_name_opt(lab, opt, sizeof opt));
		lab_free(lab);
		return CMD_USAGE;
	}
	sup = lab_supervisor_pid(lab->dir);
	if (sup == 0) {
		cmd_error(ctx, CMD_FAILED, "lab '%s' is not running (start it with 'milvusadm "
		    "lab up%s')", lab->name, lab_name_opt(lab, opt, sizeof opt));
		lab_free(lab);
		return CMD_FAILED;
	}
	old = m->pid;
	if (m->pid > 0 && lab_pid_is_ours(m->pid, lab->dir)) {
		if (lab_pid_stopped(m->pid))
			cmd_error(ctx, CMD_FAILED, "member '%s' is stopped by a signal (pid %ld); "
			    "resume it with 'milvusadm lab kill %s%s --signal CONT'", m->name,
			    (long)m->pid, m->name, lab_name_opt(lab, opt, sizeof opt));
		else
			cmd_error(ctx, CMD_FAILED, "member '%s' is already running (pid %ld%s%s)",
			    m->name, (long)m->pid, m->state == LAB_RUNNING ? "" : ", ",
			    m->state == LAB_RUNNING ? "" : lab_state_name(m->state));
		lab_free(lab);
		return CMD_FAILED;
	}
	/* SIGUSR1's default action ends a process: never send it to a supervisor
	 * (of an older milvusadm-labd) that does not take requests. */
	if (!lab_pid_catches(sup, SIGUSR1)) {
		const char *o = lab_name_opt(lab, opt, sizeof opt);

		cmd_error(ctx, CMD_FAILED, "the supervisor of lab '%s' (pid %ld) takes no start "
		    "requests; restart the lab with 'milvusadm lab down%s' and 'lab up%s'",
		    lab->name, (long)sup, o, o);
		lab_free(lab);
		return CMD_FAILED;
	}
	if (lab_start_request_write(lab, m->name, err, sizeof err) == -1) {
		cmd_error(ctx, CMD_FAILED, "%s", err);
		lab_free(lab);
		return CMD_FAILED;
	}
	if (kill(sup, SIGUSR1) == -1) {
		char *req = lab_start_request_path(lab, m->name);

		unlink(req);
		free(req);
		cmd_error(ctx, CMD_FAILED, "cannot wake the supervisor of lab '%s' (pid %ld): %s",
		    lab->name, (long)sup, strerror(errno));
		lab_free(lab);
		return CMD_FAILED;
	}
	rc = lab_wait_started(ctx, lab, a.member, old, a.timeout_ms);
	lab_free(lab);
	return rc;
}
