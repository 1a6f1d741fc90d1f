/* SPDX-License-Identifier: MIT */
/* Client probes during a drill: REST v2 calls that exercise the drilled role,
 * sent at a fixed rate through the proxies (moving on to the next proxy as a
 * client with retries would), each answer recorded as a sample. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"
#include "state-int.h"

/* A probe that takes longer than this is a failure the client would see. */
#define PROBE_TIMEOUT_MS	2000
/* Answers still awaited at once; past it the tick is skipped (and counted as
 * a failure: a client would be waiting too). */
#define PROBE_MAX_INFLIGHT	32
/* Bound the samples kept (an hour at 50 per second). */
#define PROBE_MAX_SAMPLES	180000
/* Distinct proxy URIs remembered for the samples (the client has at most as
 * many as the model has proxies, plus milvus.uri). */
#define PROBE_MAX_URIS		16

enum probe_call { PC_LIST, PC_DESCRIBE, PC_LOAD_STATE, PC_COUNT, PC_STATS, PC_INSERT };

static const char *const call_paths[] = {
	"collections/list", "collections/describe", "collections/get_load_state",
	"entities/query count(*)", "collections/get_stats", "entities/insert",
};

struct probe_req {
	struct drill_probes *p;
	int64_t sent_ms;
	enum probe_call call;
	bool live;
};

struct drill_probes {
	struct loop *loop;
	struct milvus_rest *rest;	/* owned */
	char *db, *name;
	int interval_ms;
	enum probe_call calls[6];
	size_t n_calls, next;
	const struct drill_insert *ins;	/* borrowed from the drill; name NULL: none */
	int64_t inserted, seq;
	int64_t insert_sent, insert_answered;
	char *calls_text;
	bool running;
	uint64_t timer;
	size_t inflight;
	struct drill_sample *samples;
	size_t n_samples;
	void (*sample)(const struct drill_sample *, void *);
	void *arg;
	/* Requests whose answers may still come: freed with p; their live flag
	 * is cleared when probing stops so late answers are dropped. */
	struct probe_req **reqs;
	size_t n_reqs;
	char *uris[PROBE_MAX_URIS];	/* what samples' uri point to */
	size_t n_uris;
};

static void
probes_pick(struct drill_probes *p, const char *role, bool have_coll)
{
	static const enum probe_call root[] = { PC_LIST, PC_DESCRIBE };
	static const enum probe_call query[] = { PC_LOAD_STATE, PC_COUNT };
	static const enum probe_call data[] = { PC_STATS, PC_LIST };
	static const enum probe_call mix[] = { PC_LIST, PC_DESCRIBE, PC_LOAD_STATE, PC_COUNT,
	    PC_STATS };
	static const enum probe_call other[] = { PC_LIST, PC_COUNT };
	const enum probe_call *v = other;
	struct buf b = BUF_INIT;
	size_t n = 2, i, j;

	if (strcmp(role, "rootcoord") == 0)
		v = root, n = 2;
	else if (strcmp(role, "querycoord") == 0 || strcmp(role, "querynode") == 0)
		v = query, n = 2;
	else if (strcmp(role, "datacoord") == 0 || strcmp(role, "datanode") == 0)
		v = data, n = 2;
	else if (strcmp(role, "mixcoord") == 0)
		v = mix, n = 5;
	p->n_calls = 0;
	for (i = 0; i < n; i++) {
		enum probe_call c = v[i];

		/* Without a loaded collection only the list can be asked. */
		if (!have_coll)
			c = PC_LIST;
		for (j = 0; j < p->n_calls && p->calls[j] != c; j++)
			;
		if (j == p->n_calls)
			p->calls[p->n_calls++] = c;
	}
	/* The operator named a collection to write into: every drill inserts. */
	if (p->ins != NULL && p->ins->name != NULL)
		p->calls[p->n_calls++] = PC_INSERT;
	for (i = 0; i < p->n_calls; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", call_paths[p->calls[i]]);
	if (p->ins != NULL && p->ins->name != NULL)
		buf_printf(&b, " (into %s%s%s)", p->ins->db != NULL ? p->ins->db : "",
		    p->ins->db != NULL ? "." : "", p->ins->name);
	p->calls_text = buf_detach(&b, NULL);
}

struct drill_probes *
drill_probes_new(struct loop *l, struct state *st, const char *role, const char *db,
    const char *name, const struct drill_insert *ins, int rate,
    void (*sample)(const struct drill_sample *, void *),
    void *arg, char *err, size_t errlen)
{
	struct cluster *c = state_cluster(st);
	struct milvus_rest_opts ro;
	struct drill_probes *p;
	char **uris;
	size_t i, n = 0;

	uris = xcalloc(c->n_components + 2, sizeof *uris);
	if (st->milvus_uri != NULL && st->milvus_uri[0] != '\0')
		uris[n++] = xstrdup(st->milvus_uri);
	/* Every proxy too: a client with retries moves on when one is down. The
	 * session has the internal port; REST v2 is on 19530. */
	for (i = 0; i < c->n_components; i++) {
		const char *a = c->components[i].s.address, *colon;

		if (strcmp(c->components[i].role, "proxy") != 0 || a == NULL ||
		    (colon = strrchr(a, ':')) == NULL)
			continue;
		uris[n++] = xasprintf("http://%.*s:19530", (int)(colon - a), a);
	}
	if (n == 0) {
		snprintf(err, errlen, "no milvus.uri in the profile and no proxy session: "
		    "nothing to probe through");
		free(uris);
		return NULL;
	}
	memset(&ro, 0, sizeof ro);
	ro.uris = (const char *const *)uris;
	ro.token = st->milvus_token;
	ro.tls.ca_file = st->milvus_ca_file;
	ro.tls.insecure = st->milvus_insecure;
	ro.timeout_ms = PROBE_TIMEOUT_MS;
	p = xcalloc(1, sizeof *p);
	p->loop = l;
	p->rest = milvus_rest_new(l, &ro, err, errlen);
	for (i = 0; i < n; i++)
		free(uris[i]);
	free(uris);
	if (p->rest == NULL) {
		free(p);
		return NULL;
	}
	p->db = db != NULL ? xstrdup(db) : NULL;
	p->name = name != NULL ? xstrdup(name) : NULL;
	p->interval_ms = 1000 / (rate > 0 ? rate : 5);
	if (p->interval_ms < 10)
		p->interval_ms = 10;
	p->sample = sample;
	p->arg = arg;
	p->ins = ins;
	/* Primary keys of probe rows: unique across drills, in time order. */
	p->seq = time_wall_ms() * 1000;
	probes_pick(p, role, name != NULL);
	return p;
}

const char *
drill_probes_calls(const struct drill_probes *p)
{
	return p->calls_text;
}

/* The stored copy of uri, so samples can point at it; NULL past the bound. */
static const char *
probes_intern(struct drill_probes *p, const char *uri)
{
	size_t i;

	if (uri == NULL || uri[0] == '\0')
		return NULL;
	for (i = 0; i < p->n_uris; i++) {
		if (strcmp(p->uris[i], uri) == 0)
			return p->uris[i];
	}
	if (p->n_uris == PROBE_MAX_URIS)
		return NULL;
	p->uris[p->n_uris] = xstrdup(uri);
	return p->uris[p->n_uris++];
}

static void
probes_record(struct drill_probes *p, int64_t sent_ms, bool ok, const char *uri)
{
	struct drill_sample s;

	s.sent_ms = sent_ms;
	s.done_ms = time_wall_ms();
	s.ok = ok;
	s.uri = probes_intern(p, uri);
	if (p->n_samples < PROBE_MAX_SAMPLES) {
		p->samples = xreallocarray(p->samples, p->n_samples + 1, sizeof *p->samples);
		p->samples[p->n_samples++] = s;
	}
	p->sample(&s, p->arg);
}

static void
probe_answered(const struct milvus_rest_result *res, void *arg)
{
	struct probe_req *r = arg;
	struct drill_probes *p = r->p;

	p->inflight--;
	/* An insert counts even when it answers after probing stopped: it
	 * wrote. One row per probe, whatever the answer says. */
	if (r->call == PC_INSERT) {
		p->insert_answered++;
		if (res->err == MREST_OK && res->row_count > 0)
			p->inserted++;
	}
	if (!r->live)
		return;
	r->live = false;
	probes_record(p, r->sent_ms, res->err == MREST_OK, res->uri);
}

static void probes_tick(void *arg);

static void
probes_send(struct drill_probes *p)
{
	struct probe_req *r;
	enum probe_call c = p->calls[p->next++ % p->n_calls];
	char *row;
	int rc = -1;

	if (p->inflight >= PROBE_MAX_INFLIGHT) {
		probes_record(p, time_wall_ms(), false, NULL);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->p = p;
	r->sent_ms = time_wall_ms();
	r->call = c;
	r->live = true;
	p->reqs = xreallocarray(p->reqs, p->n_reqs + 1, sizeof *p->reqs);
	p->reqs[p->n_reqs++] = r;
	switch (c) {
	case PC_LIST:
		rc = milvus_rest_collections_list(p->rest, p->db, probe_answered, r);
		break;
	case PC_DESCRIBE:
		rc = milvus_rest_collection_describe(p->rest, p->db, p->name, probe_answered, r);
		break;
	case PC_LOAD_STATE:
		rc = milvus_rest_collection_load_state(p->rest, p->db, p->name, probe_answered, r);
		break;
	case PC_COUNT:
		rc = milvus_rest_count(p->rest, p->db, p->name, NULL, probe_answered, r);
		break;
	case PC_STATS:
		rc = milvus_rest_collection_stats(p->rest, p->db, p->name, probe_answered, r);
		break;
	case PC_INSERT:
		row = drill_row(p->ins->head, p->ins->tail, ++p->seq);
		rc = milvus_rest_insert(p->rest, p->ins->db, p->ins->name, row, probe_answered, r);
		free(row);
		p->insert_sent += rc == 0;
		break;
	}
	if (rc == 0)
		p->inflight++;
	else {
		r->live = false;
		probes_record(p, r->sent_ms, false, NULL);
	}
}

static void
probes_tick(void *arg)
{
	struct drill_probes *p = arg;

	p->timer = 0;
	if (!p->running)
		return;
	p->timer = loop_timer_add(p->loop, p->interval_ms, probes_tick, p);
	probes_send(p);
}

void
drill_probes_start(struct drill_probes *p)
{
	if (p->running)
		return;
	p->running = true;
	p->timer = loop_timer_add(p->loop, 0, probes_tick, p);
}

void
drill_probes_stop(struct drill_probes *p)
{
	size_t i;

	p->running = false;
	if (p->timer != 0)
		loop_timer_cancel(p->loop, p->timer);
	p->timer = 0;
	for (i = 0; i < p->n_reqs; i++)
		p->reqs[i]->live = false;
}

int64_t
drill_probes_inserted(const struct drill_probes *p, int64_t *unanswered)
{
	*unanswered = p->insert_sent - p->insert_answered;
	return p->inserted;
}

const struct drill_sample *
drill_probes_samples(const struct drill_probes *p, size_t *n)
{
	*n = p->n_samples;
	return p->samples;
}

void
drill_probes_free(struct drill_probes *p)
{
	size_t i;

	if (p == NULL)
		return;
	drill_probes_stop(p);
	/* Freeing the client cancels what is in flight without callbacks. */
	milvus_rest_free(p->rest);
	for (i = 0; i < p->n_reqs; i++)
		free(p->reqs[i]);
	free(p->reqs);
	free(p->samples);
	for (i = 0; i < p->n_uris; i++)
		free(p->uris[i]);
	free(p->calls_text);
	free(p->db);
	free(p->name);
	free(p);
}
