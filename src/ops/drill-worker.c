/* SPDX-License-Identifier: MIT */
/* What drills of workers need beyond the phase machine: which proxy `drill
 * run proxy` means, which proxy answered the probes, and for a querynode the
 * signal that querycoord moved its replicas (served again without it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/drill.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"
#include "state-int.h"

struct drill_served {
	struct state *st;		/* borrowed */
	int64_t dead_id;
	void (*served)(int64_t, void *);
	void *arg;
	bool inflight;
	bool orphan;			/* freed while a call was in flight */
	bool done;
	int64_t next_ms;
	size_t proxy;			/* which proxy to ask next (round robin) */
	bool per_collection;		/* /_qc/replica said 404: 2.3/2.4 */
	int64_t polls, errors;
	int64_t polls_v1, calls_v1;	/* of them, by /api/v1/replicas */
	char err[300];			/* as long as state_replicas_answer.errmsg */
};

/* True when the host of uri ("http://10.0.0.5:19530") is the host of a
 * session address ("10.0.0.5:19529"). */
static bool
uri_host_is(const char *uri, const char *address)
{
	const char *h, *colon;
	size_t n;

	if (uri == NULL || address == NULL || (colon = strrchr(address, ':')) == NULL)
		return false;
	h = strstr(uri, "://");
	h = h != NULL ? h + 3 : uri;
	n = (size_t)(colon - address);
	return strncmp(h, address, n) == 0 && (h[n] == ':' || h[n] == '/' || h[n] == '\0');
}

/* `drill run ROLE` for a worker role: one healthy instance. For proxies the
 * one milvus.uri names (clients reach it first, so losing it exercises their
 * failover); otherwise the lowest ServerID, so that repeated drills of a
 * stable cluster aim at the same server and their RTOs compare. */
const struct component *
drill_pick_worker(struct state *st, const char *role)
{
	struct cluster *c = state_cluster(st);
	const struct component *first = NULL, *o;
	bool proxy = strcmp(role, "proxy") == 0;
	size_t i;

	for (i = 0; i < c->n_components; i++) {
		o = &c->components[i];
		if (strcmp(o->role, role) != 0 || o->health != HEALTH_HEALTHY)
			continue;
		if (proxy && uri_host_is(st->milvus_uri, o->s.address))
			return o;
		if (first == NULL || o->server_id < first->server_id)
			first = o;
	}
	return first;
}

void
drill_count_via(struct drill_report *r, const struct drill_sample *s, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (s[i].sent_ms < r->fsm.started_ms)
			continue;
		/* The proxy's own clients: apart, they never fail over. */
		if (s[i].pinned) {
			if (s[i].ok)
				r->own_ok++;
			else
				r->own_failed++;
			continue;
		}
		if (s[i].uri == NULL)
			continue;
		for (j = 0; j < r->n_via && strcmp(r->via[j].uri, s[i].uri) != 0; j++)
			;
		if (j == r->n_via) {
			r->via = xreallocarray(r->via, r->n_via + 1, sizeof *r->via);
			r->via[j].uri = xstrdup(s[i].uri);
			r->via[j].ok = r->via[j].failed = 0;
			r->n_via++;
		}
		if (s[i].ok)
			r->via[j].ok++;
		else
			r->via[j].failed++;
	}
}

struct drill_served *
drill_served_new(struct state *st, int64_t dead_id, void (*served)(int64_t, void *),
    void *arg)
{
	struct drill_served *sv = xcalloc(1, sizeof *sv);

	sv->st = st;
	sv->dead_id = dead_id;
	sv->served = served;
	sv->arg = arg;
	return sv;
}

static void
served_cb(const struct state_replicas_answer *a, void *arg)
{
	struct drill_served *sv = arg;

	sv->inflight = false;
	if (sv->orphan) {
		free(sv);
		return;
	}
	sv->polls++;
	if (a->per_collection) {
		/* Before 2.5: no need to ask /_qc/replica again. */
		sv->per_collection = true;
		sv->polls_v1++;
		sv->calls_v1 += (int64_t)a->calls;
	}
	if (a->err != MGMT_OK) {
		sv->errors++;
		snprintf(sv->err, sizeof sv->err, "%s", a->errmsg);
		sv->proxy++;
		return;
	}
	if (!sv->done && drill_replicas_served(a->replicas, a->n_replicas, sv->dead_id)) {
		sv->done = true;
		sv->served(time_wall_ms(), sv->arg);
	}
}

void
drill_served_poll(struct drill_served *sv, int64_t now)
{
	struct cluster *c = state_cluster(sv->st);
	const struct component *o;
	char *base = NULL;
	size_t i, n = 0, want;

	if (sv->inflight || sv->done || now < sv->next_ms)
		return;
	sv->next_ms = now + DRILL_SERVED_EVERY_MS;
	for (i = 0; i < c->n_components; i++) {
		o = &c->components[i];
		if (strcmp(o->role, "proxy") == 0 && o->s.address != NULL)
			n++;
	}
	if (n == 0)
		return;
	want = sv->proxy % n;
	for (i = 0, n = 0; i < c->n_components && base == NULL; i++) {
		o = &c->components[i];
		if (strcmp(o->role, "proxy") != 0 || o->s.address == NULL)
			continue;
		if (n++ == want)
			base = state_metrics_base(sv->st, o->s.address);
	}
	if (base == NULL)
		return;
	/* Set first: the answer may come before the call returns. */
	sv->inflight = true;
	state_replicas_fetch(sv->st, base, sv->per_collection, served_cb, sv);
	free(base);
}

void
drill_served_note(const struct drill_served *sv, struct drill_report *r)
{
	int64_t qc = sv->polls - sv->polls_v1;
	char earlier[64] = "";

	if (sv->polls_v1 > 0) {
		/* Polls of /_qc/replica that failed before one showed its 404. */
		if (qc > 0)
			snprintf(earlier, sizeof earlier, "; %lld earlier polls of "
			    "/api/v1/_qc/replica", (long long)qc);
		drill_report_note(r, "recover waited for the replicas to leave querynode %lld "
		    "(%lld polls of /api/v1/replicas, one call per loaded collection, %lld "
		    "calls, as /api/v1/_qc/replica answered 404 (before 2.5)%s; %lld "
		    "failed%s%.200s)", (long long)sv->dead_id, (long long)sv->polls_v1,
		    (long long)sv->calls_v1, earlier, (long long)sv->errors,
		    sv->errors > 0 ? ": " : "", sv->errors > 0 ? sv->err : "");
		return;
	}
	drill_report_note(r, "recover waited for the replicas to leave querynode %lld (%lld "
	    "polls of /api/v1/_qc/replica, %lld failed%s%.200s)", (long long)sv->dead_id,
	    (long long)sv->polls, (long long)sv->errors, sv->errors > 0 ? ": " : "",
	    sv->errors > 0 ? sv->err : "");
}

void
drill_served_free(struct drill_served *sv)
{
	if (sv == NULL)
		return;
	/* Its answer may still come: the callback frees it then. */
	if (sv->inflight)
		sv->orphan = true;
	else
		free(sv);
}
