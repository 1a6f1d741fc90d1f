/* SPDX-License-Identifier: MIT */
/* The Backups view: the backup server and how fresh its catalogue is, the
 * running tasks with their progress (ours started with b, and those the
 * catalogue shows running), per collection of the cluster its recovery point
 * against guards.rpo_target (ok, near, breached), the last restore drill's
 * RTO, and the backups, newest first, with age and size. Only lines about a
 * task, a collection or a backup can be selected (the rest are headings), and
 * only a collection's line is tagged: b backs up what it names. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "milvusadm/backups.h"
#include "milvusadm/cluster.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "view.h"

#define BACKUPS_BAR	10		/* cells of a progress bar */

static enum theme_role
backups_level_role(enum backup_rpo_level l)
{
	/* The roles the Overview gives healthy, degraded and failed. */
	switch (l) {
	case BACKUP_RPO_LEVEL_OK:
		return THEME_OK;
	case BACKUP_RPO_LEVEL_NEAR:
		return THEME_WARN;
	default:
		return THEME_CRITICAL;
	}
}

static enum theme_role
backups_state_role(enum backup_task_state st)
{
	switch (st) {
	case BACKUP_TASK_SUCCESS:
		return THEME_OK;
	case BACKUP_TASK_STORED:
		return THEME_TEXT;
	case BACKUP_TASK_INITIAL:
	case BACKUP_TASK_EXECUTING:
		return THEME_ACCENT;
	case BACKUP_TASK_FAIL:
	case BACKUP_TASK_TIMEOUT:
		return THEME_CRITICAL;
	default:
		return THEME_MUTED;
	}
}

/* "12-07 21:01" local time of wall_ms, "-" for 0. */
static void
backups_when(int64_t wall_ms, char *out, size_t len)
{
	struct tm tm;
	time_t s = (time_t)(wall_ms / 1000);

	if (wall_ms <= 0 || localtime_r(&s, &tm) == NULL) {
		snprintf(out, len, "-");
		return;
	}
	strftime(out, len, "%m-%d %H:%M", &tm);
}

static void
backups_age(int64_t now, int64_t when, char *out, size_t len)
{
	view_duration(when > 0 ? (now > when ? now - when : 0) : -1, out, len);
}

/* "db.c1,db.c2" of a backup, at most len bytes. */
static void
backups_colls(const struct backup_brief *b, char *out, size_t len)
{
	size_t i, at = 0;
	int n;

	out[0] = '\0';
	for (i = 0; i < b->n_colls && at + 1 < len; i++) {
		n = snprintf(out + at, len - at, "%s%s.%s", i > 0 ? "," : "",
		    b->colls[i].db != NULL ? b->colls[i].db : "default",
		    b->colls[i].name != NULL ? b->colls[i].name : "?");
		if (n < 0)
			break;
		at += (size_t)n;
	}
	if (b->n_colls == 0)
		snprintf(out, len, "-");
}

static void
backups_bar(struct vlines *l, bool utf8, int progress, enum theme_role role)
{
	char bar[BACKUPS_BAR * 3 + 3];
	int i, full = progress > 0 ? progress * BACKUPS_BAR / 100 : 0;
	size_t at = 0;

	bar[at++] = '[';
	for (i = 0; i < BACKUPS_BAR; i++) {
		const char *c = i < full ? (utf8 ? "\u2588" : "#") : (utf8 ? "\u2591" : ".");

		memcpy(bar + at, c, strlen(c));
		at += strlen(c);
	}
	bar[at++] = ']';
	bar[at] = '\0';
	vline_add(l, role, "%s", bar);
	if (progress >= 0)
		vline_add(l, role, " %3d%%", progress);
	else
		vline_add(l, THEME_MUTED, "   ?%%");
}

/* The first line: which server, how fresh, or why there is none. */
static bool
backups_source(struct vlines *l, const struct backup_poll_state *s, const char *profile)
{
	char when[16], since[16];

	if (!s->configured) {
		vline_text(l, true, THEME_MUTED, "no backup server in profile '%s': set "
		    "backup.url (backup: { url: http://HOST:8080 }, see milvusadm.conf(5))",
		    profile);
		return false;
	}
	if (!s->usable) {
		vline_text(l, true, THEME_CRITICAL, "backup server: %s", s->why);
		return false;
	}
	view_clock(s->read_ms, when, sizeof when);
	view_clock(s->failing_since_ms, since, sizeof since);
	vline_begin(l, true);
	vline_add(l, THEME_TITLE, "backup server ");
	vline_add(l, THEME_TEXT, "%s", s->url != NULL ? s->url : "?");
	if (s->loaded)
		vline_add(l, THEME_MUTED, "  read %s%s (r reads again)", when,
		    s->loading ? ", reading" : "");
	else if (s->loading)
		vline_add(l, THEME_STALE, "  reading the catalogue...");
	if (s->failing_since_ms != 0) {
		/* The last data stays, marked stale, with when it was good. */
		vline_text(l, true, THEME_STALE, "%s: backup server %s since %s%s%s: %s",
		    s->loaded ? "stale" : "unknown", s->err == BACKUP_EUNREACHABLE ?
		    "does not answer" : "fails", since, s->loaded ? ", last good read " : "",
		    s->loaded ? when : "", s->error);
	}
	return true;
}

static void
backups_tasks(struct vlines *l, const struct backup_poll_state *s, const struct view_env *env)
{
	const struct backup_poll_task *t;
	char d[32], colls[200];
	size_t i, shown = 0;
	enum theme_role role;

	vline_text(l, true, THEME_TEXT, "%s", "");
	vline_text(l, true, THEME_TITLE, "TASKS (b on a collection backs it up)");
	vline_text(l, true, THEME_TITLE, "%-30s %-22s %-9s %-16s %s", "NAME", "COLLECTIONS",
	    "STATE", "PROGRESS", "TOOK");
	for (i = s->n_tasks; i > 0; i--) {
		t = s->tasks[i - 1];
		role = t->end == BACKUP_WAIT_GOING ? THEME_ACCENT :
		    t->end == BACKUP_WAIT_SUCCESS ? THEME_OK : THEME_CRITICAL;
		view_duration((t->ended_ms > 0 ? t->ended_ms : env->now_ms) - t->started_ms, d,
		    sizeof d);
		vline_begin(l, false);
		vline_add(l, THEME_TEXT, "%-30s %-22s ", t->name, t->what);
		vline_add(l, role, "%-9s ", t->end == BACKUP_WAIT_GOING ?
		    backup_task_state_name(t->state) : backup_wait_end_name(t->end));
		backups_bar(l, env->utf8, t->progress, role);
		vline_add(l, THEME_TEXT, " %s", d);
		if (t->message != NULL)
			vline_add(l, THEME_CRITICAL, "  %s", t->message);
		shown++;
	}
	/* Running elsewhere (a cron job, another operator): as the catalogue
	 * has them, polled every refresh. */
	for (i = 0; i < s->cat.n; i++) {
		const struct backup_brief *b = &s->cat.v[i];
		bool ours = false;
		size_t k;

		if (b->name == NULL || (b->state != BACKUP_TASK_INITIAL &&
		    b->state != BACKUP_TASK_EXECUTING))
			continue;
		for (k = 0; k < s->n_tasks && !ours; k++)
			ours = strcmp(s->tasks[k]->name, b->name) == 0;
		if (ours)
			continue;
		backups_colls(b, colls, sizeof colls);
		backups_age(env->now_ms, b->start_ms, d, sizeof d);
		vline_begin(l, false);
		vline_add(l, THEME_TEXT, "%-30s %-22s ", b->name, colls);
		vline_add(l, THEME_ACCENT, "%-9s ", backup_task_state_name(b->state));
		backups_bar(l, env->utf8, b->progress, THEME_ACCENT);
		vline_add(l, THEME_TEXT, " %s", d);
		shown++;
	}
	if (shown == 0)
		vline_text(l, true, THEME_MUTED, "none running");
}

static void
backups_rpo(struct vlines *l, const struct backup_poll_state *s, const struct view_env *env,
    bool stale)
{
	const struct cluster *c = env->c;
	struct backup_coll_name *names;
	struct backup_rpo *rows;
	enum backup_rpo_level lv;
	char tgt[32], age[32], spec[520];
	size_t i;

	time_format_duration(s->rpo_target_ms, tgt, sizeof tgt);
	vline_text(l, true, THEME_TEXT, "%s", "");
	vline_text(l, true, THEME_TITLE, "RPO target %s (guards.rpo_target; near: older than "
	    "%d%% of it)", tgt, BACKUP_RPO_NEAR_PERMILLE / 10);
	if (c->src_proxy.updated_ms == 0) {
		vline_text(l, true, THEME_STALE, "the cluster's collections are not read yet");
		return;
	}
	if (!s->loaded) {
		vline_text(l, true, THEME_STALE, "unknown until the catalogue is read");
		return;
	}
	vline_text(l, true, THEME_TITLE, "%-28s %-30s %8s  %s", "COLLECTION", "NEWEST BACKUP",
	    "AGE", "RPO");
	if (c->n_collections == 0) {
		vline_text(l, true, THEME_MUTED, "no collections");
		return;
	}
	names = xcalloc(c->n_collections, sizeof *names);
	rows = xcalloc(c->n_collections, sizeof *rows);
	for (i = 0; i < c->n_collections; i++) {
		names[i].db = c->collections[i].db != NULL ? c->collections[i].db : "default";
		names[i].coll = c->collections[i].name != NULL ? c->collections[i].name : "";
	}
	(void)backup_rpo(names, c->n_collections, s->cat.v, s->cat.n, s->cat.unreadable,
	    env->now_ms, s->rpo_target_ms, rows);
	for (i = 0; i < c->n_collections; i++) {
		const struct backup_rpo *r = &rows[i];

		lv = backup_rpo_level(r, s->rpo_target_ms);
		snprintf(spec, sizeof spec, "%s.%s", r->db, r->coll);
		view_duration(r->age_ms, age, sizeof age);
		vline_begin(l, false);
		vline_tag(l, spec);
		vline_add(l, stale ? THEME_STALE : THEME_TEXT, "%-28s %-30s %8s  ", spec,
		    r->backup >= 0 && s->cat.v[r->backup].name != NULL ?
		    s->cat.v[r->backup].name : "-", age);
		vline_add(l, backups_level_role(lv), "%s", backup_rpo_level_name(lv));
		if (r->status == BACKUP_RPO_NONE)
			vline_add(l, THEME_MUTED, " (no backup)");
		else if (r->status == BACKUP_RPO_UNKNOWN)
			vline_add(l, THEME_MUTED, " (%zu backups unreadable)", s->cat.unreadable);
	}
	free(names);
	free(rows);
}

static void
backups_drill(struct vlines *l, const struct restore_drill_brief *d, int64_t now)
{
	char rto[32], when[16], age[32];

	vline_text(l, true, THEME_TEXT, "%s", "");
	vline_text(l, true, THEME_TITLE, "LAST RESTORE DRILL (restore drill history)");
	if (d == NULL) {
		vline_text(l, true, THEME_MUTED, "no restore drill yet (milvusadm restore drill "
		    "latest)");
		return;
	}
	view_duration(d->rto_ms, rto, sizeof rto);
	backups_when(d->started_ms, when, sizeof when);
	backups_age(now, d->started_ms, age, sizeof age);
	vline_begin(l, true);
	vline_add(l, THEME_MUTED, "RTO ");
	vline_add(l, d->rto_ms < 0 ? THEME_CRITICAL : THEME_TEXT, "%s",
	    d->rto_ms < 0 ? "not reached" : rto);
	vline_add(l, d->passed ? THEME_OK : THEME_CRITICAL, "  %s", d->passed ? "pass" : "fail");
	vline_add(l, THEME_MUTED, "  %s (%s ago)  %s", when, age, d->id != NULL ? d->id : "?");
	vline_begin(l, true);
	vline_add(l, THEME_MUTED, "backup %s: ", d->backup != NULL ? d->backup : "?");
	vline_add(l, d->passed ? THEME_TEXT : THEME_CRITICAL, "%s", d->verdict != NULL ?
	    d->verdict : "-");
}

static void
backups_list(struct vlines *l, const struct backup_poll_state *s, const struct view_env *env,
    bool stale)
{
	const struct backup_brief *b;
	char when[16], age[32], size[32], colls[400];
	size_t i;

	vline_text(l, true, THEME_TEXT, "%s", "");
	vline_text(l, true, THEME_TITLE, "BACKUPS (newest first; backup show NAME)");
	if (!s->loaded) {
		vline_text(l, true, THEME_STALE, "%s", s->loading ? "reading..." :
		    "not read yet");
		return;
	}
	vline_text(l, true, THEME_TITLE, "%-30s %-11s %8s %10s %-9s %s", "NAME", "TAKEN", "AGE",
	    "SIZE", "STATE", "COLLECTIONS");
	if (s->cat.n == 0)
		vline_text(l, true, THEME_MUTED, "no backups");
	for (i = 0; i < s->cat.n; i++) {
		b = &s->cat.v[i];
		backups_when(backup_when_ms(b), when, sizeof when);
		backups_age(env->now_ms, backup_when_ms(b), age, sizeof age);
		if (b->size >= 0)
			view_bytes(b->size, size, sizeof size);
		else
			snprintf(size, sizeof size, "-");
		backups_colls(b, colls, sizeof colls);
		vline_begin(l, false);
		vline_add(l, stale ? THEME_STALE : THEME_TEXT, "%-30s %-11s %8s %10s ",
		    b->name != NULL ? b->name : "?", when, age, size);
		vline_add(l, backups_state_role(b->state), "%-9s ",
		    backup_task_state_name(b->state));
		vline_add(l, THEME_MUTED, "%s", colls);
	}
	if (s->cat.unreadable > 0)
		vline_text(l, true, THEME_WARN, "%zu listed but not described: %s",
		    s->cat.unreadable, s->cat.unreadable_why != NULL ? s->cat.unreadable_why : "?");
}

static void
backups_update(struct view *v, const struct view_env *env)
{
	const struct backup_poll_state *s = env->backups;
	bool stale;

	vlines_clear(&v->lines);
	/* No server: one line saying how to set one, nothing else. */
	if (s == NULL || !backups_source(&v->lines, s, env->profile != NULL ? env->profile : "?"))
		return;
	stale = s->failing_since_ms != 0;
	backups_tasks(&v->lines, s, env);
	/* Either side of an RPO may be old: the catalogue or the collections. */
	backups_rpo(&v->lines, s, env, stale || env->c->src_proxy.failing_since_ms != 0);
	backups_drill(&v->lines, env->restore_drill, env->now_ms);
	backups_list(&v->lines, s, env, stale);
}

static void
backups_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_backups_ops = {
	"backups", "Backups", NULL, backups_free, NULL, backups_update, NULL, NULL,
};
