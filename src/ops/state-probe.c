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
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

/* At most this many /healthz detail entries are kept per process. */
#define PROBE_MAX_DETAIL	32

struct probe_detail {
	char name[32];
	int code;
};

struct probe_job {
	bool ready;			/* check/ready rather than /healthz */
	char *base;			/* http://IP:9091 */
	char *role;			/* check/ready: the role asked */
	/* outcome */
	bool answered;
	char err[256];
	bool healthy;			/* HTTP 200 */
	bool json;
	struct probe_detail detail[PROBE_MAX_DETAIL];
	size_t n_detail;
	bool is_ready;
};

struct probe_sweep {
	struct state *st;
	struct probe_job *jobs;
	size_t n, next, inflight, finished;
	int done;
};

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
		snprintf(j->err, sizeof j->err, "%s", res->errmsg);
	} else {
		j->answered = true;
		j->is_ready = res->ready;
		j->healthy = res->healthz.healthy;
		j->json = res->healthz.json;
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
			snprintf(sw->jobs[i].err, sizeof sw->jobs[i].err, "bad address '%.64s'",
			    sw->jobs[i].base);
			sw->finished++;
		}
	}
	if (sw->finished == sw->n)
		sw->done = 1;
}

static void
probe_run(struct probe_sweep *sw)
{
	if (sw->n == 0)
		return;
	probe_start_next(sw);
	/* Each call times out by itself; this bound only guards the loop. */
	loop_run_until(sw->st->loop, &sw->done,
	    (int64_t)sw->st->timeout_ms * (int64_t)(sw->n / STATE_MAX_INFLIGHT + 2) + 1000);
}

static void
probe_free(struct probe_sweep *sw)
{
	size_t i;

	for (i = 0; i < sw->n; i++) {
		free(sw->jobs[i].base);
		free(sw->jobs[i].role);
	}
	free(sw->jobs);
}

static size_t
probe_add(struct probe_sweep *sw, char *base, const char *role, bool ready)
{
	size_t i;

	for (i = 0; i < sw->n; i++) {
		if (sw->jobs[i].ready == ready && strcmp(sw->jobs[i].base, base) == 0 &&
		    (!ready || strcmp(sw->jobs[i].role, role) == 0)) {
			free(base);
			return i;
		}
	}
	sw->jobs = xreallocarray(sw->jobs, sw->n + 1, sizeof *sw->jobs);
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

/* A killed process restarted at the same address registers a new session
 * while the old one waits for its lease to expire: /healthz there speaks for
 * the newest session of the role only. */
static bool
probe_superseded(const struct cluster *c, size_t i, char *err, size_t errlen)
{
	const struct component *comp = &c->components[i];
	const char *colon = comp->s.address != NULL ? strrchr(comp->s.address, ':') : NULL;
	size_t k, hostlen;

	if (colon == NULL)
		return false;
	hostlen = (size_t)(colon - comp->s.address);
	for (k = 0; k < c->n_components; k++) {
		const struct component *o = &c->components[k];

		if (k == i || o->s.address == NULL || strcmp(o->role, comp->role) != 0 ||
		    o->create_revision <= comp->create_revision)
			continue;
		if (strncmp(o->s.address, comp->s.address, hostlen) == 0 &&
		    o->s.address[hostlen] == ':') {
			snprintf(err, errlen, "a newer %s session (%lld) registered at this "
			    "address: this one is likely dead, its lease not yet expired",
			    comp->role, (long long)o->server_id);
			return true;
		}
	}
	return false;
}

int
state_load_health(struct state *st)
{
	struct cluster *c = st->cluster;
	struct probe_sweep sw;
	size_t *hz, *rd, i, n_ok = 0, n_bad = 0;
	int64_t now;
	char err[300];

	memset(&sw, 0, sizeof sw);
	sw.st = st;
	hz = xcalloc(c->n_components + 1, sizeof *hz);
	rd = xcalloc(c->n_components + 1, sizeof *rd);
	for (i = 0; i < c->n_components; i++) {
		const struct component *comp = &c->components[i];
		char *base = state_metrics_base(st, comp->s.address);

		hz[i] = rd[i] = (size_t)-1;
		if (base == NULL)
			continue;
		if (probe_ready_role(comp))
			rd[i] = probe_add(&sw, xstrdup(base), comp->role, true);
		hz[i] = probe_add(&sw, base, NULL, false);
	}
	probe_run(&sw);
	now = time_wall_ms();
	for (i = 0; i < c->n_components; i++) {
		struct component *comp = &c->components[i];
		const struct probe_job *j;
		const struct probe_detail *d;

		comp->ready = -1;
		if (hz[i] == (size_t)-1) {
			cluster_set_health(c, i, HEALTH_UNKNOWN, "no address in its session", now);
			n_bad++;
			continue;
		}
		j = &sw.jobs[hz[i]];
		if (probe_superseded(c, i, err, sizeof err)) {
			cluster_set_health(c, i, HEALTH_UNKNOWN, err, now);
			n_bad++;
			continue;
		}
		if (!j->answered) {
			cluster_set_health(c, i, HEALTH_UNKNOWN, j->err[0] ? j->err :
			    "no answer", now);
			n_bad++;
			continue;
		}
		n_ok++;
		comp->health_from_host = false;
		if (!j->json) {
			/* Before 2.3 /healthz is text only: all or nothing. */
			cluster_set_health(c, i, j->healthy ? HEALTH_HEALTHY : HEALTH_ABNORMAL,
			    NULL, now);
		} else if ((d = probe_find(j, comp->role)) != NULL) {
			cluster_set_health(c, i, (enum health)d->code, NULL, now);
		} else if (comp->process != NULL && strcmp(comp->process, comp->role) != 0 &&
		    (d = probe_find(j, comp->process)) != NULL) {
			/* 2.3-2.5 DataCoord reports no indexcoord entry of its own. */
			comp->health_from_host = true;
			cluster_set_health(c, i, (enum health)d->code, NULL, now);
		} else {
			snprintf(err, sizeof err, "'%s' is not in /healthz of %s (stopped?)",
			    comp->role, j->base);
			cluster_set_health(c, i, HEALTH_UNKNOWN, err, now);
		}
		if (rd[i] != (size_t)-1 && sw.jobs[rd[i]].answered)
			comp->ready = sw.jobs[rd[i]].is_ready ? 1 : 0;
	}
	if (n_ok == 0 && n_bad > 0)
		source_fail(&c->src_health, now, "no component answered /healthz");
	else
		source_ok(&c->src_health, now);
	probe_free(&sw);
	free(hz);
	free(rd);
	return n_ok == 0 && n_bad > 0 ? -1 : 0;
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

struct status_sweep {
	struct state *st;
	struct status_job *jobs;
	size_t n, next, inflight, finished;
	int done;
};

struct status_call {
	struct status_sweep *sw;
	size_t i;
};

static void status_start_next(struct status_sweep *sw);

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
		sw->done = 1;
}

int
state_load_etcd(struct state *st)
{
	struct cluster *c = st->cluster;
	struct etcd_result *r;
	struct etcd_member_state *ms;
	struct status_sweep sw;
	uint64_t leader = 0;
	size_t i, k, nm;
	int64_t now;

	r = etcd_member_list_sync(st->etcd);
	if (r->err != ETCD_OK) {
		source_fail(&c->src_etcd, time_wall_ms(), r->errmsg);
		etcd_result_free(r);
		return -1;
	}
	nm = r->n_members < 64 ? r->n_members : 64;
	memset(&sw, 0, sizeof sw);
	sw.st = st;
	sw.n = nm;
	sw.jobs = xcalloc(nm + 1, sizeof *sw.jobs);
	for (i = 0; i < nm; i++) {
		const struct etcd_member *m = &r->members[i];

		sw.jobs[i].url = m->n_client_urls > 0 ? xstrdup(m->client_urls[0]) : NULL;
	}
	/* A learner or a member not yet started has no client URL: nothing to ask. */
	for (i = 0; i < nm; i++) {
		if (sw.jobs[i].url == NULL) {
			sw.jobs[i].url = xstrdup("");
			snprintf(sw.jobs[i].err, sizeof sw.jobs[i].err, "no client URL");
		}
	}
	{
		/* Skip URL-less members in the start order. */
		struct status_job tmp;
		size_t a = 0, b;

		for (b = 0; b < nm; b++) {
			if (sw.jobs[b].url[0] != '\0') {
				tmp = sw.jobs[a];
				sw.jobs[a] = sw.jobs[b];
				sw.jobs[b] = tmp;
				a++;
			}
		}
		sw.n = a;
		status_start_next(&sw);
		loop_run_until(st->loop, &sw.done, (int64_t)st->timeout_ms * 2 + 1000);
		sw.n = nm;
	}
	now = time_wall_ms();
	/* The leader as the reachable members see it (the highest term wins). */
	{
		uint64_t term = 0;

		for (i = 0; i < nm; i++) {
			if (sw.jobs[i].answered && sw.jobs[i].raft_term >= term &&
			    sw.jobs[i].leader != 0) {
				term = sw.jobs[i].raft_term;
				leader = sw.jobs[i].leader;
			}
		}
	}
	ms = xcalloc(nm + 1, sizeof *ms);
	for (i = 0; i < nm; i++) {
		const struct etcd_member *m = &r->members[i];
		struct etcd_member_state *e = &ms[i];
		struct status_job *j = NULL;

		for (k = 0; k < nm; k++) {
			if (sw.jobs[k].url[0] != '\0' && m->n_client_urls > 0 &&
			    strcmp(sw.jobs[k].url, m->client_urls[0]) == 0)
				j = &sw.jobs[k];
		}
		e->id = m->id;
		e->name = xstrndup(m->name != NULL ? m->name : "", 128);
		e->client_url = m->n_client_urls > 0 ? xstrndup(m->client_urls[0], 256) : NULL;
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
	for (i = 0; i < nm; i++) {
		free(sw.jobs[i].url);
		free(sw.jobs[i].version);
		for (k = 0; k < sw.jobs[i].n_alarms; k++)
			free(sw.jobs[i].alarms[k]);
		free(sw.jobs[i].alarms);
	}
	free(sw.jobs);
	etcd_result_free(r);
	source_ok(&c->src_etcd, now);
	return 0;
}
