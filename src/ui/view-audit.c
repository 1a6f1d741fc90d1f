/* SPDX-License-Identifier: MIT */
/* The Audit view: the newest actions of the local audit log first, one line
 * per action (its begin and end lines joined by id), read incrementally from
 * the file each time the view is rebuilt and kept to the newest
 * AUDIT_VIEW_KEEP, so memory stays bounded however long the log grows. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "milvusadm/audit.h"
#include "milvusadm/xalloc.h"
#include "view.h"

#define AUDIT_VIEW_KEEP		500
/* The first read starts this far from the end: the newest actions are in
 * it, and a log of years is not parsed on the loop to show 500 lines. */
#define AUDIT_VIEW_TAIL		((int64_t)2 << 20)

/* One action: its begin line, and its end line once read. */
struct audit_act {
	int64_t time_ms;		/* the begin's (the end's without a begin) */
	char *id, *host, *profile, *command, *target, *guard, *outcome;
	int exit_code;
	bool begun, ended;
};

struct audit_vdata {
	struct audit_act acts[AUDIT_VIEW_KEEP];	/* a ring, oldest at head */
	size_t head, n;
	uint64_t dropped;		/* actions pushed out of the ring */
	char *path;
	int64_t off;			/* read up to here */
	bool started;
	bool cut;			/* the first read skipped the log's older part */
	char err[256];			/* the last read's failure, "" none */
	char host[256];
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
act_clear(struct audit_act *a)
{
	free(a->id);
	free(a->host);
	free(a->profile);
	free(a->command);
	free(a->target);
	free(a->guard);
	free(a->outcome);
	memset(a, 0, sizeof *a);
}

static struct audit_act *
act_at(struct audit_vdata *d, size_t i)
{
	return &d->acts[(d->head + i) % AUDIT_VIEW_KEEP];
}

static void
acts_clear(struct audit_vdata *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		act_clear(act_at(d, i));
	d->head = d->n = 0;
	d->dropped = 0;
}

/* A new newest action, pushing the oldest out when the ring is full. */
static struct audit_act *
act_push(struct audit_vdata *d)
{
	struct audit_act *a;

	if (d->n == AUDIT_VIEW_KEEP) {
		act_clear(act_at(d, 0));
		d->head = (d->head + 1) % AUDIT_VIEW_KEEP;
		d->n--;
		d->dropped++;
	}
	a = act_at(d, d->n++);
	memset(a, 0, sizeof *a);
	return a;
}

static void
act_end(struct audit_act *a, const struct audit_record *r)
{
	a->ended = true;
	a->exit_code = r->exit_code;
	free(a->outcome);
	a->outcome = dup_or_null(r->outcome);
	/* The guard decides between the two lines. */
	if (r->target != NULL) {
		free(a->target);
		a->target = xstrdup(r->target);
	}
	free(a->guard);
	a->guard = dup_or_null(r->guard);
}

static void
audit_view_each(const struct audit_record *r, void *arg)
{
	struct audit_vdata *d = arg;
	struct audit_act *a;
	size_t i;

	if (strcmp(r->phase, "end") == 0 && r->id != NULL) {
		/* Its begin is near the newest: an action's lines are close. */
		for (i = d->n; i > 0; i--) {
			a = act_at(d, i - 1);
			if (a->begun && !a->ended && a->id != NULL && strcmp(a->id, r->id) == 0) {
				act_end(a, r);
				return;
			}
		}
	}
	a = act_push(d);
	a->time_ms = r->time_ms;
	a->id = dup_or_null(r->id);
	a->host = dup_or_null(r->host);
	a->profile = dup_or_null(r->profile);
	a->command = xstrdup(r->command);
	a->target = dup_or_null(r->target);
	/* The guard names the target between the two lines: until the end
	 * comes (or if it never does), the words after the command say what
	 * it was about. */
	if (a->target == NULL && r->args != NULL && strncmp(r->args, r->command,
	    strlen(r->command)) == 0 && r->args[strlen(r->command)] == ' ')
		a->target = xstrdup(r->args + strlen(r->command) + 1);
	a->guard = dup_or_null(r->guard);
	if (strcmp(r->phase, "end") == 0)
		act_end(a, r);
	else
		a->begun = true;
}

/* Read what the log gained since the last time. */
static void
audit_view_read(struct audit_vdata *d)
{
	struct stat sb;

	d->err[0] = '\0';
	if (stat(d->path, &sb) != 0) {
		if (errno != ENOENT)
			snprintf(d->err, sizeof d->err, "cannot read '%s': %s", d->path,
			    strerror(errno));
		return;
	}
	if (!d->started) {
		d->started = true;
		/* Mid-line: the first, partial line does not parse and is
		 * skipped like any corrupt one. */
		d->off = sb.st_size > AUDIT_VIEW_TAIL ? sb.st_size - AUDIT_VIEW_TAIL : 0;
		d->cut = d->off > 0;
	} else if (sb.st_size < d->off) {
		/* Rotated or cut: a new log from its start. */
		acts_clear(d);
		d->off = 0;
		d->cut = false;
	}
	if (sb.st_size == d->off)
		return;
	(void)audit_read(d->path, &d->off, 0, NULL, audit_view_each, NULL, d, d->err,
	    sizeof d->err);
}

/* A begin without its end: still running when its process (the id is
 * "<ms>-<pid>-<n>") lives on this host, else it was interrupted. */
static bool
act_running(const struct audit_vdata *d, const struct audit_act *a)
{
	const char *p;
	long pid;

	if (a->host == NULL || strcmp(a->host, d->host) != 0 || a->id == NULL ||
	    (p = strchr(a->id, '-')) == NULL)
		return false;
	pid = strtol(p + 1, NULL, 10);
	if (pid <= 0)
		return false;
	return (pid_t)pid == getpid() || kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

static void
act_outcome(const struct audit_vdata *d, const struct audit_act *a, char *out, size_t len,
    enum theme_role *role)
{
	if (!a->ended) {
		bool running = act_running(d, a);

		snprintf(out, len, "%s", running ? "running" : "interrupted?");
		*role = running ? THEME_ACCENT : THEME_WARN;
		return;
	}
	if (a->outcome == NULL) {
		snprintf(out, len, "exit %d", a->exit_code);
		*role = THEME_TEXT;
		return;
	}
	if (strcmp(a->outcome, "ok") == 0)
		snprintf(out, len, "ok");
	else
		snprintf(out, len, "%s %d", a->outcome, a->exit_code);
	*role = strcmp(a->outcome, "ok") == 0 ? THEME_OK :
	    strcmp(a->outcome, "refused") == 0 || strcmp(a->outcome, "usage") == 0 ? THEME_WARN :
	    THEME_CRITICAL;
}

/* "05-14 10:42:03", local time: an audit trail spans days. */
static void
act_time(int64_t ms, char *out, size_t len)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&s, &tm) == NULL)
		snprintf(out, len, "-");
	else
		strftime(out, len, "%m-%d %H:%M:%S", &tm);
}

static void
audit_view_update(struct view *v, const struct view_env *env)
{
	struct audit_vdata *d = v->data;
	const struct audit_act *a;
	enum theme_role role;
	char when[32], outcome[48];
	size_t i;

	(void)env;
	audit_view_read(d);
	vlines_clear(&v->lines);
	/* Fits 80 columns; values longer than their column are cut. */
	vline_text(&v->lines, true, THEME_TITLE, "%-14s %-8s %-16s %-14s %-9s %s", "TIME",
	    "PROFILE", "COMMAND", "TARGET", "GUARD", "OUTCOME");
	if (d->err[0] != '\0')
		vline_text(&v->lines, false, THEME_CRITICAL, "%s", d->err);
	if (d->n == 0)
		vline_text(&v->lines, false, THEME_MUTED, "no audited action in %s yet", d->path);
	for (i = d->n; i > 0; i--) {
		a = act_at(d, i - 1);
		act_time(a->time_ms, when, sizeof when);
		act_outcome(d, a, outcome, sizeof outcome, &role);
		vline_begin(&v->lines, false);
		vline_add(&v->lines, THEME_MUTED, "%-14s ", when);
		vline_add(&v->lines, THEME_ACCENT, "%-8.8s ", a->profile != NULL ? a->profile : "-");
		vline_add(&v->lines, THEME_TEXT, "%-16.16s ", a->command);
		vline_add(&v->lines, THEME_TEXT, "%-14.14s ", a->target != NULL ? a->target : "-");
		vline_add(&v->lines, THEME_MUTED, "%-9.9s ", a->guard != NULL ? a->guard : "-");
		vline_add(&v->lines, role, "%s", outcome);
	}
	if (d->dropped > 0 || d->cut)
		vline_text(&v->lines, false, THEME_MUTED, "(the newest %d actions are shown; "
		    "'milvusadm audit' lists them all)", AUDIT_VIEW_KEEP);
}

static void
audit_view_init(struct view *v)
{
	struct audit_vdata *d = xcalloc(1, sizeof *d);

	d->path = audit_path();
	if (gethostname(d->host, sizeof d->host) != 0)
		d->host[0] = '\0';
	d->host[sizeof d->host - 1] = '\0';
	v->data = d;
}

static void
audit_view_free(struct view *v)
{
	struct audit_vdata *d = v->data;

	vlines_clear(&v->lines);
	if (d == NULL)
		return;
	acts_clear(d);
	free(d->path);
	free(d);
	v->data = NULL;
}

const struct view_ops view_audit_ops = {
	"audit", "Audit", audit_view_init, audit_view_free, NULL, audit_view_update, NULL, NULL,
};
