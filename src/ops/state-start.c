/* SPDX-License-Identifier: MIT */
/* When each component's process started: process_start_time_seconds from the
 * /metrics of every process (the Go client's process collector, served by
 * every Milvus process on 9091). etcd keeps no times: this is what dates ages,
 * first joins and a leader's time in office. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/prom.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

#define START_METRIC	"process_start_time_seconds"
/* In flight at once: a start time is one small answer per process (or a fast
 * refusal from a dead one), as the floor script's curl --parallel-max 64. */
#define START_INFLIGHT	64

/* One process (one 9091 base, shared by the components it hosts). */
struct start_job {
	char *base;
	int64_t started_ms;		/* 0 = no answer or no such metric */
};

/* A component asked about, by identity: the watch may change the model
 * while the calls are out. */
struct start_target {
	char *role;
	int64_t server_id;
	char *base;			/* until the jobs are made, then NULL */
	size_t job;
	size_t idx;			/* its index when asked: still it unless the
					   model changed (then looked up) */
};

struct start_sweep {
	struct state_op op;
	struct state *st;
	struct start_job *jobs;
	size_t n, next, inflight, finished;
	struct start_target *targets;
	size_t n_targets;
	state_done_cb done;
	void *arg;
};

struct start_call {
	struct start_sweep *sw;
	size_t i;
};

static void start_next(struct start_sweep *sw);

static void
start_release(struct state_op *op)
{
	struct start_sweep *sw = (struct start_sweep *)op;
	size_t i;

	for (i = 0; i < sw->n; i++)
		free(sw->jobs[i].base);
	free(sw->jobs);
	for (i = 0; i < sw->n_targets; i++) {
		free(sw->targets[i].role);
		free(sw->targets[i].base);
	}
	free(sw->targets);
	free(sw);
}

static void
start_finish(struct start_sweep *sw)
{
	struct state *st = sw->st;
	state_done_cb done = sw->done;
	void *arg = sw->arg;
	size_t i, known = 0;

	for (i = 0; i < sw->n_targets; i++) {
		const struct start_target *t = &sw->targets[i];
		struct cluster *c = st->cluster;
		struct component *comp = t->idx < c->n_components &&
		    c->components[t->idx].server_id == t->server_id &&
		    strcmp(c->components[t->idx].role, t->role) == 0 ?
		    &c->components[t->idx] : cluster_find(c, t->role, t->server_id);

		if (comp == NULL || sw->jobs[t->job].started_ms <= 0)
			continue;
		comp->started_ms = sw->jobs[t->job].started_ms;
		known++;
	}
	state_op_unlink(st, &sw->op);
	start_release(&sw->op);
	if (done != NULL)
		done(st, known > 0 || sw->n_targets == 0 ? 0 : -1, arg);
}

static void
start_done(const struct milvus_mgmt_result *res, void *arg)
{
	struct start_call *sc = arg;
	struct start_sweep *sw = sc->sw;
	const struct prom_sample *s;

	if (res->err == MGMT_OK &&
	    (s = prom_find(&res->metrics, START_METRIC, NULL, NULL)) != NULL &&
	    isfinite(s->value) && s->value > 0 && s->value < 1e11)
		sw->jobs[sc->i].started_ms = (int64_t)llround(s->value * 1000.0);
	free(sc);
	sw->inflight--;
	sw->finished++;
	start_next(sw);
}

static void
start_next(struct start_sweep *sw)
{
	static const char *const keep[] = { START_METRIC, NULL };
	struct milvus_mgmt *m = state_mgmt(sw->st);

	while (sw->inflight < START_INFLIGHT && sw->next < sw->n) {
		struct start_call *sc = xmalloc(sizeof *sc);

		sc->sw = sw;
		sc->i = sw->next++;
		if (milvus_mgmt_metrics(m, sw->jobs[sc->i].base, keep, start_done, sc) == 0) {
			sw->inflight++;
		} else {
			free(sc);
			sw->finished++;
		}
	}
	if (sw->finished == sw->n)
		start_finish(sw);
}

static int
start_base_cmp(const void *a, const void *b)
{
	const struct start_target *const *x = a, *const *y = b;

	return strcmp((*x)->base, (*y)->base);
}

/* One job per distinct base: sorted, so O(n log n) at 10,000 components. */
static void
start_jobs_make(struct start_sweep *sw)
{
	struct start_target **by = xcalloc(sw->n_targets + 1, sizeof *by);
	size_t i;

	for (i = 0; i < sw->n_targets; i++)
		by[i] = &sw->targets[i];
	qsort(by, sw->n_targets, sizeof *by, start_base_cmp);
	sw->jobs = xcalloc(sw->n_targets + 1, sizeof *sw->jobs);
	for (i = 0; i < sw->n_targets; i++) {
		if (sw->n == 0 || strcmp(sw->jobs[sw->n - 1].base, by[i]->base) != 0) {
			sw->jobs[sw->n].base = by[i]->base;
			sw->n++;
		} else
			free(by[i]->base);
		by[i]->base = NULL;
		by[i]->job = sw->n - 1;
	}
	free(by);
}

void
state_start_times_async(struct state *st, bool coords_only, state_done_cb done, void *arg)
{
	struct cluster *c = st->cluster;
	struct start_sweep *sw = xcalloc(1, sizeof *sw);
	size_t i;

	sw->st = st;
	sw->done = done;
	sw->arg = arg;
	sw->targets = xcalloc(c->n_components + 1, sizeof *sw->targets);
	for (i = 0; i < c->n_components; i++) {
		const struct component *comp = &c->components[i];
		char *base;

		/* Known already (a start time never changes), or its process is
		 * gone: whatever answers at its address now is another one. */
		if (comp->started_ms > 0 || comp->gone == COMP_SUPERSEDED ||
		    (coords_only && !comp->exclusive && !cluster_is_coord_role(comp->role)) ||
		    (base = state_metrics_base(st, comp->s.address)) == NULL)
			continue;
		sw->targets[sw->n_targets].role = xstrdup(comp->role);
		sw->targets[sw->n_targets].server_id = comp->server_id;
		sw->targets[sw->n_targets].base = base;
		sw->targets[sw->n_targets].idx = i;
		sw->n_targets++;
	}
	start_jobs_make(sw);
	state_op_link(st, &sw->op, start_release);
	if (sw->n == 0)
		start_finish(sw);
	else
		start_next(sw);
}

int
state_load_start_times(struct state *st, bool coords_only)
{
	struct state_wait *w = state_wait_new();
	int64_t n = (int64_t)st->cluster->n_components;

	state_start_times_async(st, coords_only, state_wait_cb, w);
	return state_wait_run(st, w, (int64_t)st->timeout_ms *
	    (n / START_INFLIGHT + 2) + 1000);
}

int
state_load_health_starts(struct state *st)
{
	struct state_wait *wh = state_wait_new(), *ws = state_wait_new();
	int64_t n = (int64_t)st->cluster->n_components * 3;
	int64_t bound = (int64_t)st->timeout_ms * (n / STATE_MAX_INFLIGHT + 2) + 1000;
	int rc;

	/* Both sweeps at once: the start times cost no extra wall time. */
	state_health_async(st, NULL, NULL, (size_t)-1, state_wait_cb, wh);
	state_start_times_async(st, false, state_wait_cb, ws);
	rc = state_wait_run(st, wh, bound);
	state_wait_run(st, ws, bound);
	return rc;
}
