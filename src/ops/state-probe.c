/* SPDX-License-Identifier: MIT */
/* Probing the cluster for the model: the /healthz sweep of every component's
 * process (and /management/check/ready of active coordinators), and etcd's
 * members with each one's status. Calls run in parallel, a bounded number at a
 * time, each with the profile's timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/etcd.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/strmap.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

/* At most this many /healthz detail entries are kept per process. */
#define PROBE_MAX_DETAIL	32
/* How long a new active may still report StandBy while it activates. */
#define PROBE_ACTIVATE_MS	5000

struct probe_detail {
	char name[32];
	int code;
};

struct probe_job {
	bool ready;			/* check/ready rather than /healthz */
	char *base;			/* http://IP:9091 */
	char *role;			/* check/ready: the role asked */
	/* outcome (err and detail allocated as answered: a sweep of 10,000
	 * sessions has 10,000 jobs) */
	bool answered;
	char *err;			/* why not, NULL = no answer yet */
	bool healthy;			/* HTTP 200 */
	bool json;
	struct probe_detail *detail;
	size_t n_detail;
	bool is_ready;
};

/* The components a sweep is for, by identity: the model may change while
 * the calls are out (the watch), so answers are matched back by role and id. */
struct probe_target {
	char *role;
	int64_t server_id;
	size_t hz, rd;			/* job indexes, (size_t)-1 = none */
};

struct probe_sweep {
	struct state_op op;
	struct state *st;
	struct probe_job *jobs;
	size_t n, cap, next, inflight, finished;
	struct strmap seen;		/* job by URL (and role): index into jobs */
	struct probe_target *targets;
	size_t n_targets;
	bool all;			/* every component was asked */
	state_done_cb done;
	void *arg;
};

static void health_finish(struct probe_sweep *sw);

static void probe_start_next(struct probe_sweep *sw);

struct probe_call {
	struct probe_sweep *sw;
	size_t i;
};

static void
probe_done(const struct milvus_mgmt_result *res, void *arg)
{
	struct probe_call *pc = arg;
	struct probe_sweep *sw = pc->sw;
	struct probe_job *j = &sw->jobs[pc->i];
	size_t k;

	free(pc);
	if (res->err != MGMT_OK) {
		free(j->err);
		j->err = xstrndup(res->errmsg, 255);
	} else {
		j->answered = true;
		j->is_ready = res->ready;
		j->healthy = res->healthz.healthy;
		j->json = res->healthz.json;
		j->detail = xcalloc(res->healthz.n_detail < PROBE_MAX_DETAIL ?
		    res->healthz.n_detail + 1 : PROBE_MAX_DETAIL, sizeof *j->detail);
		for (k = 0; k < res->healthz.n_detail && k < PROBE_MAX_DETAIL; k++) {
			snprintf(j->detail[k].name, sizeof j->detail[k].name, "%s",
			    res->healthz.detail[k].name != NULL ? res->healthz.detail[k].name : "");
			j->detail[k].code = res->healthz.detail[k].code;
		}
		j->n_detail = k;
	}
	sw->inflight--;
	sw->finished++;
	probe_start_next(sw);
}

static void
probe_start_next(struct probe_sweep *sw)
{
	struct milvus_mgmt *m = state_mgmt(sw->st);

	while (sw->inflight < STATE_MAX_INFLIGHT && sw->next < sw->n) {
		size_t i = sw->next++;
		struct probe_call *pc = xmalloc(sizeof *pc);
		int rc;

		pc->sw = sw;
		pc->i = i;
		if (sw->jobs[i].ready)
			rc = milvus_mgmt_check_ready(m, sw->jobs[i].base, sw->jobs[i].role,
			    probe_done, pc);
		else
			rc = milvus_mgmt_healthz(m, sw->jobs[i].base, probe_done, pc);
		if (rc == 0) {
			sw->inflight++;
		} else {
			free(pc);
			free(sw->jobs[i].err);
			sw->jobs[i].err = xasprintf("bad address '%.64s'", sw->jobs[i].base);
			sw->finished++;
		}
	}
	if (sw->finished == sw->n)
		health_finish(sw);
}

static void
probe_release(struct state_op *op)
{
	struct probe_sweep *sw = (struct probe_sweep *)op;
	size_t i;

	for (i = 0; i < sw->n; i++) {
		free(sw->jobs[i].base);
		free(sw->jobs[i].role);
		free(sw->jobs[i].err);
		free(sw->jobs[i].detail);
	}
	free(sw->jobs);
	strmap_free(&sw->seen);
	for (i = 0; i < sw->n_targets; i++)
		free(sw->targets[i].role);
	free(sw->targets);
	free(sw);
}

static size_t
probe_add(struct probe_sweep *sw, char *base, const char *role, bool ready)
{
	/* "r" or "h", the URL, a NUL (no URL holds one), the role. */
	char *key = xasprintf("%c%s%c%s", ready ? 'r' : 'h', base, '\0', ready ? role : "");
	size_t keylen = 1 + strlen(base) + 1 + (ready ? strlen(role) : 0), i;

	/* One call per URL (and role for check/ready), however many components
	 * share a process. */
	if (strmap_get(&sw->seen, key, keylen, &i)) {
		free(key);
		free(base);
		return i;
	}
	strmap_put(&sw->seen, key, keylen, sw->n);
	free(key);
	if (sw->n == sw->cap) {
		sw->cap = sw->cap == 0 ? 16 : sw->cap * 2;
		sw->jobs = xreallocarray(sw->jobs, sw->cap, sizeof *sw->jobs);
	}
	memset(&sw->jobs[sw->n], 0, sizeof sw->jobs[sw->n]);
	sw->jobs[sw->n].base = base;
	sw->jobs[sw->n].role = role != NULL ? xstrdup(role) : NULL;
	sw->jobs[sw->n].ready = ready;
	return sw->n++;
}

static const struct probe_detail *
probe_find(const struct probe_job *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->n_detail; i++) {
		if (strcmp(j->detail[i].name, name) == 0)
			return &j->detail[i];
	}
	return NULL;
}

static bool
version_ge_24(const char *v)
{
	int ma = 0, mi = 0;

	if (v == NULL)
		return false;
	if (*v == 'v')
		v++;
	if (sscanf(v, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > 2 || (ma == 2 && mi >= 4);
}

/* Active coordinators that answer /management/check/ready themselves (the
 * indexcoord session lives inside DataCoord and has no component to ask). */
static bool
probe_ready_role(const struct component *comp)
{
	return comp->ha != HA_STANDBY && (strcmp(comp->role, "rootcoord") == 0 ||
	    strcmp(comp->role, "datacoord") == 0 || strcmp(comp->role, "querycoord") == 0 ||
	    strcmp(comp->role, "mixcoord") == 0) && version_ge_24(comp->s.version);
}

/* An ACTIVE coordinator whose address answers StandBy for its role is not
 * the process its session names: a standby (a restarted process) holds the
 * address. A takeover seen in the last few seconds is spared: the new active
 * says StandBy until it has activated. */
static bool
probe_foreign(const struct cluster *c, const struct component *comp, int code, int64_t now)
{
	const struct leader *l;

	if (comp->ha != HA_ACTIVE || code != HEALTH_STANDBY)
		return false;
	l = cluster_leader(c, comp->role);
	return l == NULL || l->changed_ms == 0 || now - l->changed_ms > PROBE_ACTIVATE_MS;
}

/* The component a target names, as the model has it now (NULL when gone). */
static struct component *
probe_target_find(struct cluster *c, const struct probe_target *t, size_t *idx)
{
	struct component *comp = cluster_find(c, t->role, t->server_id);

	if (comp != NULL)
		*idx = (size_t)(comp - c->components);
	return comp;
}

static void
health_apply_one(struct probe_sweep *sw, const struct probe_target *t, size_t *n_ok,
    size_t *n_bad, int64_t now)
{
	struct state *st = sw->st;
	struct cluster *c = st->cluster;
	struct component *comp;
	const struct probe_job *j;
	const struct probe_detail *d;
	char err[300];
	size_t i;

	if ((comp = probe_target_find(c, t, &i)) == NULL)
		return;
	comp->ready = -1;
	if (t->hz == (size_t)-1) {
		cluster_set_health(c, i, HEALTH_UNKNOWN, "no address in its session", now);
		(*n_bad)++;
		return;
	}
	j = &sw->jobs[t->hz];
	/* The sessions said so already (cluster_mark_superseded: a newer
	 * session of its role at its address); /healthz there speaks for the
	 * newest only. */
	if (comp->gone == COMP_SUPERSEDED)
		return;
	comp->gone = COMP_PRESENT;
	if (!j->answered) {
		cluster_set_health(c, i, HEALTH_UNKNOWN, j->err != NULL ? j->err : "no answer", now);
		(*n_bad)++;
		return;
	}
	(*n_ok)++;
	comp->health_from_host = false;
	if (!j->json) {
		/* Before 2.3 /healthz is text only: all or nothing. */
		cluster_set_health(c, i, j->healthy ? HEALTH_HEALTHY : HEALTH_ABNORMAL, NULL, now);
	} else if ((d = probe_find(j, comp->role)) != NULL) {
		if (probe_foreign(c, comp, d->code, now)) {
			comp->gone = COMP_FOREIGN;
			snprintf(err, sizeof err, "gone: it is ACTIVE but %s answers as a "
			    "standby %s (another process holds its address)", j->base,
			    comp->role);
			cluster_set_health(c, i, HEALTH_UNKNOWN, err, now);
		} else
			cluster_set_health(c, i, (enum health)d->code, NULL, now);
	} else if (comp->process != NULL && strcmp(comp->process, comp->role) != 0 &&
	    (d = probe_find(j, comp->process)) != NULL) {
		/* 2.3-2.5 DataCoord reports no indexcoord entry of its own. */
		comp->health_from_host = true;
		cluster_set_health(c, i, (enum health)d->code, NULL, now);
	} else {
		/* The process answers but no longer runs the role: /management/stop
		 * (a stop drill) ends the role and leaves the process up. */
		comp->gone = COMP_ROLE_STOPPED;
		snprintf(err, sizeof err, "'%s' is not in /healthz of %s: stopped, its "
		    "process still up", comp->role, j->base);
		cluster_set_health(c, i, HEALTH_UNKNOWN, err, now);
	}
	if (t->rd != (size_t)-1 && sw->jobs[t->rd].answered)
		comp->ready = sw->jobs[t->rd].is_ready ? 1 : 0;
}

static void
health_finish(struct probe_sweep *sw)
{
	struct state *st = sw->st;
	struct cluster *c = st->cluster;
	state_done_cb done = sw->done;
	void *arg = sw->arg;
	size_t i, n_ok = 0, n_bad = 0;
	int64_t now = time_wall_ms();
	int rc = 0;

	for (i = 0; i < sw->n_targets; i++)
		health_apply_one(sw, &sw->targets[i], &n_ok, &n_bad, now);
	if (n_ok == 0 && n_bad > 0) {
		/* A partial sweep (live, in rotation) may hit only dead workers:
		 * that says nothing of the source as a whole. */
		if (sw->all)
			source_fail(&c->src_health, now, "no component answered /healthz");
		rc = -1;
	} else
		source_ok(&c->src_health, now);
	state_op_unlink(st, &sw->op);
	probe_release(&sw->op);
	if (done != NULL)
		done(st, rc, arg);
}

void
state_health_async(struct state *st, char *const *roles, const int64_t *ids, size_t n,
    state_done_cb done, void *arg)
{
	struct cluster *c = st->cluster;
	struct probe_sweep *sw;
	size_t i, k;

	sw = xcalloc(1, sizeof *sw);
	sw->st = st;
	sw->done = done;
	sw->arg = arg;
	sw->all = n == (size_t)-1;
	if (sw->all)
		n = c->n_components;
	sw->targets = xcalloc(n + 1, sizeof *sw->targets);
	for (k = 0; k < n; k++) {
		const struct component *comp = NULL;
		struct probe_target *t = &sw->targets[sw->n_targets];
		char *base;

		if (sw->all)
			comp = &c->components[k];
		else {
			struct probe_target want = { roles[k], ids[k], 0, 0 };

			comp = probe_target_find(c, &want, &i);
		}
		if (comp == NULL)
			continue;
		t->role = xstrdup(comp->role);
		t->server_id = comp->server_id;
		t->hz = t->rd = (size_t)-1;
		sw->n_targets++;
		base = state_metrics_base(st, comp->s.address);
		if (base == NULL)
			continue;
		if (probe_ready_role(comp))
			t->rd = probe_add(sw, xstrdup(base), comp->role, true);
		t->hz = probe_add(sw, base, NULL, false);
	}
	state_op_link(st, &sw->op, probe_release);
	if (sw->n == 0)
		health_finish(sw);
	else
		probe_start_next(sw);
}

int
state_load_health(struct state *st)
{
	struct state_wait *w = state_wait_new();
	int64_t n = (int64_t)st->cluster->n_components * 2;

	state_health_async(st, NULL, NULL, (size_t)-1, state_wait_cb, w);
	return state_wait_run(st, w, (int64_t)st->timeout_ms *
	    (n / STATE_MAX_INFLIGHT + 2) + 1000);
}

/* ---- etcd members ---- */

struct status_job {
	char *url;
	bool answered;
	char err[256];
	uint64_t member_id, leader, raft_term, raft_index;
	int64_t db_size, db_size_in_use;
	char *version;
	char **alarms;
	size_t n_alarms;
};

/* What is kept of the member list while the statuses are out. */
struct member_copy {
	uint64_t id;
	char *name;
	char *url;			/* first client URL, NULL if none */
	bool is_learner;
};

struct status_sweep {
	struct state_op op;
	struct state *st;
	struct member_copy *members;	/* the member list */
	struct status_job *jobs;
	size_t n, nm, next, inflight, finished;
	state_done_cb done;
	void *arg;
};

struct status_call {
	struct status_sweep *sw;
	size_t i;
};

static void status_start_next(struct status_sweep *sw);
static void etcd_finish(struct status_sweep *sw);

static void
status_done(const struct etcd_result *res, void *arg)
{
	struct status_call *sc = arg;
	struct status_sweep *sw = sc->sw;
	struct status_job *j = &sw->jobs[sc->i];
	size_t k;

	free(sc);
	if (res->err != ETCD_OK) {
		snprintf(j->err, sizeof j->err, "%s", res->errmsg);
	} else {
		j->answered = true;
		j->member_id = res->header.member_id;
		j->leader = res->leader;
		j->raft_term = res->raft_term;
		j->raft_index = res->raft_index;
		j->db_size = res->db_size;
		j->db_size_in_use = res->db_size_in_use;
		j->version = res->version != NULL ? xstrndup(res->version, 64) : NULL;
		j->n_alarms = res->n_errors < 16 ? res->n_errors : 16;
		j->alarms = xcalloc(j->n_alarms + 1, sizeof *j->alarms);
		for (k = 0; k < j->n_alarms; k++)
			j->alarms[k] = xstrndup(res->errors[k], 256);
	}
	sw->inflight--;
	sw->finished++;
	status_start_next(sw);
}

static void
status_start_next(struct status_sweep *sw)
{
	while (sw->inflight < STATE_MAX_INFLIGHT && sw->next < sw->n) {
		size_t i = sw->next++;
		struct status_call *sc = xmalloc(sizeof *sc);

		sc->sw = sw;
		sc->i = i;
		if (etcd_status(sw->st->etcd, sw->jobs[i].url, status_done, sc) == 0) {
			sw->inflight++;
		} else {
			free(sc);
			snprintf(sw->jobs[i].err, sizeof sw->jobs[i].err,
			    "client URL '%.64s' is not http:// or https://", sw->jobs[i].url);
			sw->finished++;
		}
	}
	if (sw->finished == sw->n)
		etcd_finish(sw);
}

static void
status_release(struct state_op *op)
{
	struct status_sweep *sw = (struct status_sweep *)op;
	size_t i, k;

	for (i = 0; i < sw->nm; i++) {
		free(sw->jobs[i].url);
		free(sw->jobs[i].version);
		for (k = 0; k < sw->jobs[i].n_alarms; k++)
			free(sw->jobs[i].alarms[k]);
		free(sw->jobs[i].alarms);
	}
	free(sw->jobs);
	for (i = 0; i < sw->nm; i++) {
		free(sw->members[i].name);
		free(sw->members[i].url);
	}
	free(sw->members);
	free(sw);
}

static void
etcd_finish(struct status_sweep *sw)
{
	struct state *st = sw->st;
	struct cluster *c = st->cluster;
	struct etcd_member_state *ms;
	state_done_cb done = sw->done;
	void *arg = sw->arg;
	uint64_t leader = 0, term = 0;
	size_t i, k, nm = sw->nm;
	int64_t now = time_wall_ms();

	/* The leader as the reachable members see it (the highest term wins). */
	for (i = 0; i < nm; i++) {
		if (sw->jobs[i].answered && sw->jobs[i].raft_term >= term &&
		    sw->jobs[i].leader != 0) {
			term = sw->jobs[i].raft_term;
			leader = sw->jobs[i].leader;
		}
	}
	ms = xcalloc(nm + 1, sizeof *ms);
	for (i = 0; i < nm; i++) {
		const struct member_copy *m = &sw->members[i];
		struct etcd_member_state *e = &ms[i];
		struct status_job *j = NULL;

		for (k = 0; k < nm; k++) {
			if (sw->jobs[k].url[0] != '\0' && m->url != NULL &&
			    strcmp(sw->jobs[k].url, m->url) == 0)
				j = &sw->jobs[k];
		}
		e->id = m->id;
		e->name = xstrndup(m->name != NULL ? m->name : "", 128);
		e->client_url = m->url != NULL ? xstrndup(m->url, 256) : NULL;
		e->is_learner = m->is_learner;
		e->is_leader = leader != 0 && m->id == leader;
		if (j != NULL && j->answered) {
			e->reachable = true;
			e->raft_term = j->raft_term;
			e->raft_index = j->raft_index;
			e->db_size = j->db_size;
			e->db_size_in_use = j->db_size_in_use;
			e->version = j->version;
			j->version = NULL;
			e->alarms = j->alarms;
			e->n_alarms = j->n_alarms;
			j->alarms = NULL;
			j->n_alarms = 0;
		} else {
			e->reachable = false;
			e->error = xstrdup(j != NULL && j->err[0] ? j->err : "no client URL");
		}
	}
	cluster_set_etcd(c, ms, nm, now);
	source_ok(&c->src_etcd, now);
	state_op_unlink(st, &sw->op);
	status_release(&sw->op);
	if (done != NULL)
		done(st, 0, arg);
}

static void
members_listed(const struct etcd_result *res, void *arg)
{
	struct status_sweep *sw = arg;
	struct state *st = sw->st;
	struct status_job tmp;
	size_t i, a = 0, nm;

	if (res->err != ETCD_OK) {
		state_done_cb done = sw->done;
		void *darg = sw->arg;

		source_fail(&st->cluster->src_etcd, time_wall_ms(), res->errmsg);
		state_op_unlink(st, &sw->op);
		status_release(&sw->op);
		if (done != NULL)
			done(st, -1, darg);
		return;
	}
	nm = sw->nm = res->n_members < 64 ? res->n_members : 64;
	sw->members = xcalloc(nm + 1, sizeof *sw->members);
	sw->jobs = xcalloc(nm + 1, sizeof *sw->jobs);
	for (i = 0; i < nm; i++) {
		const struct etcd_member *m = &res->members[i];

		sw->members[i].id = m->id;
		sw->members[i].name = m->name != NULL ? xstrdup(m->name) : NULL;
		sw->members[i].url = m->n_client_urls > 0 ? xstrdup(m->client_urls[0]) : NULL;
		sw->members[i].is_learner = m->is_learner;
		/* A learner or a member not yet started has no client URL. */
		if (m->n_client_urls > 0)
			sw->jobs[i].url = xstrdup(m->client_urls[0]);
		else {
			sw->jobs[i].url = xstrdup("");
			snprintf(sw->jobs[i].err, sizeof sw->jobs[i].err, "no client URL");
		}
	}
	/* URL-less members last: nothing to ask them. */
	for (i = 0; i < nm; i++) {
		if (sw->jobs[i].url[0] != '\0') {
			tmp = sw->jobs[a];
			sw->jobs[a] = sw->jobs[i];
			sw->jobs[i] = tmp;
			a++;
		}
	}
	sw->n = a;
	status_start_next(sw);
}

void
state_etcd_async(struct state *st, state_done_cb done, void *arg)
{
	struct status_sweep *sw = xcalloc(1, sizeof *sw);

	sw->st = st;
	sw->done = done;
	sw->arg = arg;
	state_op_link(st, &sw->op, status_release);
	if (etcd_member_list(st->etcd, members_listed, sw) != 0) {
		source_fail(&st->cluster->src_etcd, time_wall_ms(),
		    "cannot start an etcd request");
		state_op_unlink(st, &sw->op);
		status_release(&sw->op);
		if (done != NULL)
			done(st, -1, arg);
	}
}

int
state_load_etcd(struct state *st)
{
	struct state_wait *w = state_wait_new();

	state_etcd_async(st, state_wait_cb, w);
	/* The list (which may try every endpoint), then the statuses in parallel. */
	return state_wait_run(st, w, (int64_t)(st->timeout_ms + 1000) * 16 + 1000);
}
