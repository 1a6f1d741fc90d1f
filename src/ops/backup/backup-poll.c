/* SPDX-License-Identifier: MIT */
/* The backup side of a live view, on the loop and never waiting: the
 * catalogue read asynchronously (detect, /list, a get per backup a few at a
 * time) at most every list period while someone looks, backups still running
 * polled every refresh, and backups started here (backup_poll_create)
 * followed to their end. The RPO levels the view draws are here too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/config.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"

#define POLL_IN_FLIGHT	4	/* gets at once, as backup_catalog_load */
#define POLL_TASKS_KEPT	8	/* tasks shown; the oldest ended one goes first */
#define POLL_RUNNING_MAX 8	/* running backups of the catalogue polled per round */

/* ---- RPO levels (pure) ---------------------------------------------------- */

enum backup_rpo_level
backup_rpo_level(const struct backup_rpo *r, int64_t target_ms)
{
	if (r->status != BACKUP_RPO_OK || r->age_ms < 0)
		return BACKUP_RPO_LEVEL_BREACHED;
	/* Near: the last fifth of the target. A daily backup seen at 20 h is
	 * one missed run away from a breach; at 80 % there is still time to
	 * look at the schedule before the alert fires. */
	if (r->age_ms * 1000 > target_ms * BACKUP_RPO_NEAR_PERMILLE)
		return BACKUP_RPO_LEVEL_NEAR;
	return BACKUP_RPO_LEVEL_OK;
}

const char *
backup_rpo_level_name(enum backup_rpo_level l)
{
	static const char *const names[] = { "ok", "near", "breached" };

	return (unsigned)l <= BACKUP_RPO_LEVEL_BREACHED ? names[l] : "breached";
}

/* ---- the poll ----------------------------------------------------------- */

struct poll_task;

/* One catalogue read in flight. */
struct poll_load {
	struct backup_poll *bp;
	struct backup_catalog next;	/* being filled */
	bool *gone;			/* per entry: deleted since the list */
	struct poll_get {
		struct poll_load *ld;
		size_t i;
	} *gets;
	size_t start, in_flight, ended;
	int64_t started_ms;		/* wall */
};

/* A get of a running backup of the catalogue, to follow its progress. */
struct poll_refresh {
	struct backup_poll *bp;
	char *name;
	uint64_t gen;			/* the catalogue it was asked for */
};

struct poll_task {
	struct backup_poll_task pub;
	struct backup_poll *bp;
	struct backup_wait *w;
	struct backup_brief got;	/* its record after success (name NULL: none) */
	uint64_t reap_timer;		/* frees w outside its own callback */
	bool calling;			/* create or get in flight */
};

struct backup_poll {
	struct loop *loop;
	struct backup_api *a;
	struct backup_poll_state st;
	void (*changed)(void *);
	void *arg;
	int64_t list_every_ms, poll_ms, stall_ms, unreachable_ms;
	bool watched;
	uint64_t list_timer, poll_timer;
	struct poll_load *ld;		/* the read in flight, NULL none */
	uint64_t gen;			/* bumped when cat is replaced */
	struct poll_refresh *refresh[POLL_RUNNING_MAX];	/* gets in flight */
	size_t refreshing;
	bool freeing;
};

static void
poll_changed(struct backup_poll *bp)
{
	if (bp->changed != NULL && !bp->freeing)
		bp->changed(bp->arg);
}

static bool
task_running(enum backup_task_state s)
{
	return s == BACKUP_TASK_INITIAL || s == BACKUP_TASK_EXECUTING;
}

/* Put b into the catalogue (replacing a record of the same name): a backup
 * made here is shown with its size at once, not at the next /list. */
static void
poll_merge(struct backup_poll *bp, const struct backup_brief *b)
{
	struct backup_catalog *c = &bp->st.cat;
	size_t i;

	if (b->name == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		if (c->v[i].name != NULL && strcmp(c->v[i].name, b->name) == 0) {
			backup_brief_clear(&c->v[i]);
			backup_brief_copy(&c->v[i], b);
			backup_sort_newest(c->v, c->n);
			return;
		}
	}
	c->v = xreallocarray(c->v, c->n + 2, sizeof *c->v);
	backup_brief_copy(&c->v[c->n++], b);
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	backup_sort_newest(c->v, c->n);
}

static void poll_list_arm(struct backup_poll *bp);

static void
load_free(struct poll_load *ld)
{
	if (ld == NULL)
		return;
	backup_catalog_release(&ld->next);
	free(ld->gone);
	free(ld->gets);
	free(ld);
}

static void
load_fail(struct backup_poll *bp, const struct backup_result *r)
{
	struct poll_load *ld = bp->ld;

	bp->ld = NULL;
	load_free(ld);
	bp->st.loading = false;
	bp->st.err = r->err != BACKUP_OK ? r->err : BACKUP_EPROTO;
	snprintf(bp->st.error, sizeof bp->st.error, "%s", r->errmsg);
	if (bp->st.failing_since_ms == 0)
		bp->st.failing_since_ms = time_wall_ms();
	poll_list_arm(bp);
	poll_changed(bp);
}

static void
load_done(struct backup_poll *bp)
{
	struct poll_load *ld = bp->ld;
	struct backup_catalog *n = &ld->next;
	size_t i, k;

	for (i = k = 0; i < n->n; i++) {
		if (ld->gone[i]) {
			backup_brief_clear(&n->v[i]);
			continue;
		}
		n->v[k++] = n->v[i];
	}
	n->n = k;
	backup_sort_newest(n->v, n->n);
	backup_catalog_release(&bp->st.cat);
	bp->st.cat = *n;
	memset(n, 0, sizeof *n);
	bp->gen++;
	/* A backup of ours that ended after the list was read is not in it. */
	for (i = 0; i < bp->st.n_tasks; i++) {
		struct poll_task *t = (struct poll_task *)bp->st.tasks[i];

		if (t->got.name != NULL && t->pub.ended_ms >= ld->started_ms)
			poll_merge(bp, &t->got);
	}
	bp->ld = NULL;
	load_free(ld);
	bp->st.loaded = true;
	bp->st.loading = false;
	bp->st.read_ms = time_wall_ms();
	bp->st.err = BACKUP_OK;
	bp->st.error[0] = '\0';
	bp->st.failing_since_ms = 0;
	poll_list_arm(bp);
	poll_changed(bp);
}

static void load_next(struct poll_load *ld);

static void
load_got(const struct backup_result *r, void *arg)
{
	struct poll_get *g = arg;
	struct poll_load *ld = g->ld;
	struct backup_brief *b = &ld->next.v[g->i];

	if (r->err == BACKUP_OK && r->brief.name != NULL) {
		backup_brief_clear(b);
		backup_brief_copy(b, &r->brief);
	} else if (r->err == BACKUP_ENOTFOUND && !r->unsure) {
		ld->gone[g->i] = true;
	} else {
		/* Kept as listed, as backup_catalog_load keeps it. */
		ld->next.unreadable++;
		if (ld->next.unreadable_why == NULL)
			ld->next.unreadable_why = xstrdup(r->errmsg);
	}
	ld->in_flight--;
	ld->ended++;
	load_next(ld);
}

static void
load_next(struct poll_load *ld)
{
	struct poll_get *g;

	while (ld->in_flight < POLL_IN_FLIGHT && ld->start < ld->next.n) {
		g = &ld->gets[ld->start];
		g->ld = ld;
		g->i = ld->start++;
		if (backup_api_get(ld->bp->a, ld->next.v[g->i].name, load_got, g) != 0) {
			ld->next.unreadable++;
			if (ld->next.unreadable_why == NULL)
				ld->next.unreadable_why = xasprintf("backup name '%.64s' cannot be "
				    "asked for", ld->next.v[g->i].name);
			ld->ended++;
			continue;
		}
		ld->in_flight++;
	}
	/* Only from a callback or after the list: never inside a get call. */
	if (ld->ended == ld->next.n && ld->in_flight == 0)
		load_done(ld->bp);
}

static void
load_listed(const struct backup_result *r, void *arg)
{
	struct backup_poll *bp = arg;
	struct poll_load *ld = bp->ld;
	size_t i;

	if (r->err != BACKUP_OK) {
		load_fail(bp, r);
		return;
	}
	ld->next.skipped = r->list_skipped;
	ld->next.n = r->n_list;
	ld->next.v = xcalloc(r->n_list + 1, sizeof *ld->next.v);
	for (i = 0; i < r->n_list; i++)
		backup_brief_copy(&ld->next.v[i], &r->list[i]);
	ld->gone = xcalloc(r->n_list + 1, sizeof *ld->gone);
	ld->gets = xcalloc(r->n_list + 1, sizeof *ld->gets);
	load_next(ld);
}

static void
load_detected(const struct backup_result *r, void *arg)
{
	struct backup_poll *bp = arg;

	if (r->err != BACKUP_OK) {
		load_fail(bp, r);
		return;
	}
	bp->ld->next.flavour = r->flavour;
	if (backup_api_list(bp->a, load_listed, bp) != 0) {
		struct backup_result e;

		memset(&e, 0, sizeof e);
		e.err = BACKUP_EINVAL;
		snprintf(e.errmsg, sizeof e.errmsg, "the list could not be asked for");
		load_fail(bp, &e);
	}
}

static void
poll_load_start(struct backup_poll *bp)
{
	if (bp->a == NULL || bp->ld != NULL)
		return;
	if (bp->list_timer != 0) {
		loop_timer_cancel(bp->loop, bp->list_timer);
		bp->list_timer = 0;
	}
	bp->ld = xcalloc(1, sizeof *bp->ld);
	bp->ld->bp = bp;
	bp->ld->started_ms = time_wall_ms();
	bp->st.loading = true;
	/* Detection answers from memory after the first time. */
	if (backup_api_detect(bp->a, load_detected, bp) != 0) {
		struct backup_result e;

		memset(&e, 0, sizeof e);
		e.err = BACKUP_EINVAL;
		snprintf(e.errmsg, sizeof e.errmsg, "the server could not be asked");
		load_fail(bp, &e);
		return;
	}
	poll_changed(bp);
}

static void
poll_list_due(void *arg)
{
	struct backup_poll *bp = arg;

	bp->list_timer = 0;
	/* Nobody looks: read when someone does (backup_poll_watch). */
	if (bp->watched)
		poll_load_start(bp);
}

static void
poll_list_arm(struct backup_poll *bp)
{
	if (bp->list_timer != 0)
		loop_timer_cancel(bp->loop, bp->list_timer);
	bp->list_timer = loop_timer_add(bp->loop, bp->list_every_ms, poll_list_due, bp);
}

static void task_reap(void *arg);
static void task_end(struct poll_task *t, enum backup_wait_end e, const char *msg);

/* ---- running backups of the catalogue (started elsewhere) ----------------- */

static bool
poll_is_ours(const struct backup_poll *bp, const char *name)
{
	size_t i;

	for (i = 0; i < bp->st.n_tasks; i++)
		if (strcmp(bp->st.tasks[i]->name, name) == 0)
			return true;
	return false;
}

static void
refresh_got(const struct backup_result *r, void *arg)
{
	struct poll_refresh *pr = arg;
	struct backup_poll *bp = pr->bp;
	size_t i;

	for (i = 0; i < POLL_RUNNING_MAX; i++)
		if (bp->refresh[i] == pr)
			bp->refresh[i] = NULL;
	bp->refreshing--;
	/* The catalogue was read again meanwhile: that read is newer. */
	if (pr->gen == bp->gen && r->err == BACKUP_OK && r->brief.name != NULL &&
	    strcmp(r->brief.name, pr->name) == 0) {
		poll_merge(bp, &r->brief);
		poll_changed(bp);
	}
	free(pr->name);
	free(pr);
}

static void
poll_tick(void *arg)
{
	struct backup_poll *bp = arg;
	struct poll_refresh *pr;
	size_t i, asked = 0;

	bp->poll_timer = loop_timer_add(bp->loop, bp->poll_ms, poll_tick, bp);
	/* A wait that ended without an answer (its poll could not be sent)
	 * calls nobody: its end is read here. */
	for (i = 0; i < bp->st.n_tasks; i++) {
		struct poll_task *t = (struct poll_task *)bp->st.tasks[i];

		if (t->w != NULL && t->pub.end == BACKUP_WAIT_GOING && *backup_wait_done(t->w)) {
			task_end(t, backup_wait_result(t->w), backup_wait_message(t->w));
			task_reap(t);
			poll_changed(bp);
		}
	}
	if (!bp->watched || bp->ld != NULL || bp->refreshing > 0)
		return;
	for (i = 0; i < bp->st.cat.n && asked < POLL_RUNNING_MAX; i++) {
		const struct backup_brief *b = &bp->st.cat.v[i];

		if (b->name == NULL || !task_running(b->state) || poll_is_ours(bp, b->name))
			continue;
		pr = xcalloc(1, sizeof *pr);
		pr->bp = bp;
		pr->name = xstrdup(b->name);
		pr->gen = bp->gen;
		if (backup_api_get(bp->a, pr->name, refresh_got, pr) != 0) {
			free(pr->name);
			free(pr);
			continue;
		}
		bp->refresh[asked++] = pr;
		bp->refreshing++;
	}
}

/* ---- tasks started here ----------------------------------------------------- */

static void
task_reap(void *arg)
{
	struct poll_task *t = arg;

	t->reap_timer = 0;
	backup_wait_free(t->w);
	t->w = NULL;
}

static void
task_end(struct poll_task *t, enum backup_wait_end e, const char *msg)
{
	t->pub.end = e;
	t->pub.ended_ms = time_wall_ms();
	free(t->pub.message);
	t->pub.message = e == BACKUP_WAIT_SUCCESS || msg == NULL ? NULL :
	    xstrdup(msg[0] != '\0' ? msg : backup_wait_end_name(e));
}

static void
task_got(const struct backup_result *r, void *arg)
{
	struct poll_task *t = arg;
	struct backup_poll *bp = t->bp;

	t->calling = false;
	if (r->err == BACKUP_OK && r->brief.name != NULL) {
		backup_brief_clear(&t->got);
		backup_brief_copy(&t->got, &r->brief);
		poll_merge(bp, &t->got);
		poll_changed(bp);
	}
}

static void
task_polled(const struct backup_result *r, void *arg)
{
	struct poll_task *t = arg;
	struct backup_poll *bp = t->bp;
	enum backup_wait_end e = backup_wait_result(t->w);

	if (r != NULL && r->err == BACKUP_OK) {
		t->pub.state = r->brief.state;
		t->pub.progress = r->brief.progress;
	}
	if (e != BACKUP_WAIT_GOING) {
		task_end(t, e, backup_wait_message(t->w));
		if (e == BACKUP_WAIT_SUCCESS) {
			t->pub.state = BACKUP_TASK_SUCCESS;
			t->pub.progress = 100;
			/* Its size and collections, as storage has them now. */
			if (backup_api_get(bp->a, t->pub.name, task_got, t) == 0)
				t->calling = true;
		}
		/* Not from inside the wait's own callback. */
		t->reap_timer = loop_timer_add(bp->loop, 0, task_reap, t);
	}
	poll_changed(bp);
}

static void
task_created(const struct backup_result *r, void *arg)
{
	struct poll_task *t = arg;
	struct backup_poll *bp = t->bp;
	struct backup_wait_opts o;

	t->calling = false;
	if (r->err != BACKUP_OK) {
		task_end(t, BACKUP_WAIT_FAILED, r->errmsg);
		t->pub.state = BACKUP_TASK_FAIL;
		poll_changed(bp);
		return;
	}
	/* The task's id is the create's request_id (contract 0). */
	t->pub.id = xstrdup(r->brief.id != NULL ? r->brief.id : r->sent_id);
	t->pub.state = r->brief.state;
	t->pub.progress = r->brief.progress;
	memset(&o, 0, sizeof o);
	o.poll_ms = bp->poll_ms;
	o.stall_ms = bp->stall_ms;
	o.unreachable_ms = bp->unreachable_ms;
	t->w = backup_wait_start(bp->loop, bp->a, BACKUP_WAIT_CREATE, t->pub.id, &o,
	    task_polled, t);
	poll_changed(bp);
}

static void
task_free(struct poll_task *t)
{
	if (t->reap_timer != 0)
		loop_timer_cancel(t->bp->loop, t->reap_timer);
	/* A poll in flight keeps the wait until the client drops it. */
	backup_wait_free(t->w);
	backup_brief_clear(&t->got);
	free(t->pub.name);
	free(t->pub.what);
	free(t->pub.id);
	free(t->pub.message);
	free(t);
}

/* Room for one more: the oldest task that ended and has nothing in flight
 * goes. -1 when every kept task still runs. */
static int
tasks_make_room(struct backup_poll *bp)
{
	size_t i;

	if (bp->st.n_tasks < POLL_TASKS_KEPT)
		return 0;
	for (i = 0; i < bp->st.n_tasks; i++) {
		struct poll_task *t = (struct poll_task *)bp->st.tasks[i];

		if (t->pub.end != BACKUP_WAIT_GOING && !t->calling && t->w == NULL) {
			task_free(t);
			memmove(&bp->st.tasks[i], &bp->st.tasks[i + 1],
			    (bp->st.n_tasks - i - 1) * sizeof *bp->st.tasks);
			bp->st.n_tasks--;
			return 0;
		}
	}
	return -1;
}

int
backup_poll_create(struct backup_poll *bp, const char *spec, char *name, size_t namelen,
    char *err, size_t errlen)
{
	struct backup_create_req q;
	struct backup_sel sel;
	struct poll_task *t;
	char auto_name[64];

	if (bp->a == NULL) {
		snprintf(err, errlen, "%s", bp->st.why);
		return -1;
	}
	if (backup_sel_parse(spec, &sel, err, errlen) != 0)
		return -1;
	if (sel.n == 0 || backup_sel_has_wildcard(&sel)) {
		backup_sel_release(&sel);
		snprintf(err, errlen, "'%s' does not name one collection", spec);
		return -1;
	}
	if (tasks_make_room(bp) != 0) {
		backup_sel_release(&sel);
		snprintf(err, errlen, "%d backups started here are still running", POLL_TASKS_KEPT);
		return -1;
	}
	backup_auto_name(time_wall_ms(), auto_name, sizeof auto_name);
	/* Two starts within one millisecond would ask for one name twice. */
	if (bp->st.n_tasks > 0 && strcmp(bp->st.tasks[bp->st.n_tasks - 1]->name, auto_name) == 0) {
		backup_sel_release(&sel);
		snprintf(err, errlen, "a backup named '%s' was just started", auto_name);
		return -1;
	}
	t = xcalloc(1, sizeof *t);
	t->bp = bp;
	t->pub.name = xstrdup(auto_name);
	t->pub.what = xstrdup(sel.specs[0]);
	t->pub.state = BACKUP_TASK_INITIAL;
	t->pub.progress = -1;
	t->pub.end = BACKUP_WAIT_GOING;
	t->pub.started_ms = time_wall_ms();
	memset(&q, 0, sizeof q);
	q.name = t->pub.name;
	q.collections = (const char *const *)sel.specs;
	if (backup_api_create(bp->a, &q, task_created, t) != 0) {
		snprintf(err, errlen, "backup '%s' could not be asked for", auto_name);
		backup_sel_release(&sel);
		task_free(t);
		return -1;
	}
	backup_sel_release(&sel);
	t->calling = true;
	bp->st.tasks = xreallocarray(bp->st.tasks, bp->st.n_tasks + 1, sizeof *bp->st.tasks);
	bp->st.tasks[bp->st.n_tasks++] = &t->pub;
	snprintf(name, namelen, "%s", auto_name);
	poll_changed(bp);
	return 0;
}

/* ---- life ----------------------------------------------------------------- */

/* The URL without credentials ("http://user:pw@host" names a secret). */
static char *
url_for_display(const char *url)
{
	size_t n = strlen(url) + 1;
	char *out = xmalloc(n);

	url_strip_userinfo(url, out, n);
	return out;
}

struct backup_poll *
backup_poll_new(struct loop *l, const struct profile *p, int64_t list_every_ms,
    int64_t poll_ms, void (*changed)(void *arg), void *arg)
{
	struct backup_poll *bp = xcalloc(1, sizeof *bp);
	bool unset;

	bp->loop = l;
	bp->changed = changed;
	bp->arg = arg;
	bp->list_every_ms = list_every_ms > 0 ? list_every_ms : 60000;
	bp->poll_ms = poll_ms > 0 ? poll_ms : 5000;
	bp->stall_ms = p->backup_stall_after_ms;
	/* As `backup create --wait`: two request timeouts without an answer. */
	bp->unreachable_ms = 2 * (p->backup_timeout_ms > 0 ? p->backup_timeout_ms : 30000);
	bp->st.rpo_target_ms = p->guards_rpo_target_ms;
	bp->st.err = BACKUP_OK;
	bp->a = backup_open(l, p, &unset, bp->st.why, sizeof bp->st.why);
	bp->st.configured = !unset;
	bp->st.usable = bp->a != NULL;
	if (!unset)
		bp->st.url = url_for_display(p->backup_url);
	if (bp->a != NULL)
		bp->poll_timer = loop_timer_add(l, bp->poll_ms, poll_tick, bp);
	return bp;
}

void
backup_poll_watch(struct backup_poll *bp, bool on)
{
	bp->watched = on;
	/* No timer: nothing read yet, or the period ran out while nobody
	 * looked. */
	if (on && bp->list_timer == 0)
		poll_load_start(bp);
}

void
backup_poll_refresh(struct backup_poll *bp)
{
	/* Nobody looks: read when someone does, not now (r in another view
	 * must not cost the server a /list nobody sees). */
	if (!bp->watched) {
		if (bp->list_timer != 0)
			loop_timer_cancel(bp->loop, bp->list_timer);
		bp->list_timer = 0;
		return;
	}
	poll_load_start(bp);
}

const struct backup_poll_state *
backup_poll_state(const struct backup_poll *bp)
{
	return &bp->st;
}

void
backup_poll_free(struct backup_poll *bp)
{
	size_t i;

	if (bp == NULL)
		return;
	bp->freeing = true;
	if (bp->list_timer != 0)
		loop_timer_cancel(bp->loop, bp->list_timer);
	if (bp->poll_timer != 0)
		loop_timer_cancel(bp->loop, bp->poll_timer);
	for (i = 0; i < bp->st.n_tasks; i++)
		task_free((struct poll_task *)bp->st.tasks[i]);
	free(bp->st.tasks);
	/* Cancels every call still in flight: no callback runs after this. */
	backup_api_free(bp->a);
	for (i = 0; i < POLL_RUNNING_MAX; i++) {
		if (bp->refresh[i] != NULL) {
			free(bp->refresh[i]->name);
			free(bp->refresh[i]);
		}
	}
	load_free(bp->ld);
	backup_catalog_release(&bp->st.cat);
	free(bp->st.url);
	free(bp);
}
