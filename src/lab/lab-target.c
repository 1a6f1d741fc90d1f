/* SPDX-License-Identifier: MIT */
/* The lab fault backend's view of a lab (milvusadm/lab-target.h): the plan and
 * state files are read here, next to the code that writes them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/lab.h"
#include "milvusadm/lab-target.h"

static struct lab *
target_lab(const char *name, bool state, char *err, size_t errlen)
{
	char lerr[256];
	struct lab *lab;
	char *dir;

	if (lab_check_name(name, lerr, sizeof lerr) == -1) {
		snprintf(err, errlen, "%s", lerr);
		return NULL;
	}
	dir = lab_dir_path(name);
	lab = lab_read_plan(dir, lerr, sizeof lerr);
	free(dir);
	if (lab == NULL) {
		snprintf(err, errlen, "lab '%s': %s", name, lerr);
		return NULL;
	}
	if (state && lab_read_state(lab, lerr, sizeof lerr) == -1) {
		snprintf(err, errlen, "lab '%s': %s", name, lerr);
		lab_free(lab);
		return NULL;
	}
	return lab;
}

int
lab_target_check(const char *name, char *err, size_t errlen)
{
	struct lab *lab = target_lab(name, false, err, errlen);

	if (lab == NULL)
		return -1;
	lab_free(lab);
	return 0;
}

int
lab_target_find(const char *name, const char *ip, struct lab_target *t, char *err,
    size_t errlen)
{
	struct lab *lab = target_lab(name, true, err, errlen);
	size_t i;

	memset(t, 0, sizeof *t);
	if (lab == NULL)
		return -1;
	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];

		if (ip == NULL || m->ip == NULL || strcmp(m->ip, ip) != 0)
			continue;
		snprintf(t->lab, sizeof t->lab, "%s", name);
		snprintf(t->member, sizeof t->member, "%s", m->name);
		snprintf(t->ip, sizeof t->ip, "%s", m->ip);
		t->pid = m->pid;
		t->restarts = m->restarts;
		if (m->last_exit != NULL)
			snprintf(t->last_exit, sizeof t->last_exit, "%s", m->last_exit);
		t->ttl = lab->ttl;
		lab_free(lab);
		return 0;
	}
	snprintf(err, errlen, "no member of lab '%s' has address '%s'", name,
	    ip != NULL ? ip : "");
	lab_free(lab);
	return -1;
}

int
lab_target_signal(const char *name, const struct lab_target *t, int signo, const char *by,
    char *err, size_t errlen)
{
	struct lab *lab = target_lab(name, false, err, errlen);
	char *path;
	int rc = -1;

	if (lab == NULL)
		return -1;
	if (lab_supervisor_pid(lab->dir) == 0)
		snprintf(err, errlen, "lab '%s' is not running", name);
	else if (t->pid <= 0 || !lab_pid_is_ours(t->pid, lab->dir))
		snprintf(err, errlen, "member '%s' is not running", t->member);
	else if (kill(t->pid, signo) == -1)
		snprintf(err, errlen, "cannot signal '%s' (pid %ld): %s", t->member, (long)t->pid,
		    strerror(errno));
	else {
		path = lab_path(lab, LAB_EVENTS_FILE);
		lab_event_append(path, t->member, "killed", "signal=%d by=%s pid=%ld", signo, by,
		    (long)t->pid);
		free(path);
		rc = 0;
	}
	lab_free(lab);
	return rc;
}
