/* SPDX-License-Identifier: MIT */
/* Client probes during a drill: REST v2 calls that exercise the drilled role,
 * sent at a fixed rate through the proxies (moving on to the next proxy as a
 * client with retries would), each answer recorded as a sample; and before
 * the fault, a baseline of the same calls that must succeed. */
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
#include "proxy-uri.h"
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
	bool baseline;		/* answers drill_probes_baseline, not a sample */
	bool pinned;		/* through p->pin: the drilled proxy alone */
};

struct drill_probes {
	struct loop *loop;
	struct milvus_rest *rest;	/* owned */
	struct milvus_rest *pin;	/* owned, NULL: no pinned probes */
	size_t pin_inflight;
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
	/* The baseline's answer awaited (one call at a time). */
	int base_done;
	bool base_ok;
	bool base_fatal;		/* waiting will not mend it (auth, not found) */
	char base_err[640];
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

/* A REST client for the probes through uris (NULL-terminated), with the
 * profile's token and TLS, each attempt bounded. */
static struct milvus_rest *
probes_rest_new(struct loop *l, struct state *st, const char *const *uris, char *err,
    size_t errlen)
{
	struct milvus_rest_opts ro;

	memset(&ro, 0, sizeof ro);
	ro.uris = uris;
	ro.token = st->milvus_token;
	ro.tls.ca_file = st->milvus_ca_file;
	ro.tls.insecure = st->milvus_insecure;
	ro.timeout_ms = PROBE_TIMEOUT_MS;
	return milvus_rest_new(l, &ro, err, errlen);
}

struct drill_probes *
drill_probes_new(struct loop *l, struct state *st, const char *role, const char *db,
    const char *name, const struct drill_insert *ins, int rate,
    void (*sample)(const struct drill_sample *, void *),
    void *arg, char *err, size_t errlen)
{
	struct cluster *c = state_cluster(st);
	struct drill_probes *p;
	char **uris;
	size_t i, n = 0;

	uris = xcalloc(c->n_components + 2, sizeof *uris);
	if (st->milvus_uri != NULL && st->milvus_uri[0] != '\0')
		uris[n++] = xstrdup(st->milvus_uri);
	/* Every proxy too: a client with retries moves on when one is down. It
	 * reaches them as it reaches milvus.uri: a proxy drill stops the proxy
	 * milvus.uri names, and falling back from https to http would send the
	 * token in plain text (and never recover against a TLS port). */
	for (i = 0; i < c->n_components; i++) {
		if (strcmp(c->components[i].role, "proxy") != 0)
			continue;
		uris[n] = proxy_rest_uri(st->milvus_uri, (st->milvus_ca_file != NULL &&
		    st->milvus_ca_file[0] != '\0') || st->milvus_insecure,
		    c->components[i].s.address);
		n += uris[n] != NULL;
	}
	if (n == 0) {
		snprintf(err, errlen, "no milvus.uri in the profile and no proxy session: "
		    "nothing to probe through");
		free(uris);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->loop = l;
	p->rest = probes_rest_new(l, st, (const char *const *)uris, err, errlen);
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

int
drill_probes_pin(struct drill_probes *p, struct state *st, const char *address, char *err,
    size_t errlen)
{
	const char *uris[2] = { NULL, NULL };
	char *uri;

	/* Reached as milvus.uri is reached (scheme, TLS), at the proxy's host. */
	uri = proxy_rest_uri(st->milvus_uri, (st->milvus_ca_file != NULL &&
	    st->milvus_ca_file[0] != '\0') || st->milvus_insecure, address);
	if (uri == NULL) {
		snprintf(err, errlen, "no REST address for proxy '%.200s'", address);
		return -1;
	}
	uris[0] = uri;
	milvus_rest_free(p->pin);
	p->pin = probes_rest_new(p->loop, st, uris, err, errlen);
	free(uri);
	return p->pin != NULL ? 0 : -1;
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
probes_record(struct drill_probes *p, int64_t sent_ms, bool ok, const char *uri, bool pinned)
{
	struct drill_sample s;

	s.sent_ms = sent_ms;
	s.done_ms = time_wall_ms();
	s.ok = ok;
	s.uri = probes_intern(p, uri);
	s.pinned = pinned;
	if (p->n_samples < PROBE_MAX_SAMPLES) {
		p->samples = xreallocarray(p->samples, p->n_samples + 1, sizeof *p->samples);
		p->samples[p->n_samples++] = s;
	}
	/* A pinned probe measures the outage of the proxy's own clients, not
	 * the service: the phases never see it. */
	if (!pinned)
		p->sample(&s, p->arg);
}

/* What a call asks, for messages: "collections/describe default.docs". */
static void
probes_what(const struct drill_probes *p, enum probe_call c, char *out, size_t len)
{
	const char *db = p->db, *name = p->name;

	if (c == PC_INSERT)
		db = p->ins->db, name = p->ins->name;
	if (c == PC_LIST)
		snprintf(out, len, "%s%s%s", call_paths[c], db != NULL ? " " : "",
		    db != NULL ? db : "");
	else
		snprintf(out, len, "%s %s.%s", call_paths[c], db != NULL ? db : "default",
		    name != NULL ? name : "");
}

static void
probes_base_answer(struct drill_probes *p, const struct probe_req *r,
    const struct milvus_rest_result *res)
{
	char what[200], through[160] = "";

	p->base_done = 1;
	p->base_ok = res->err == MREST_OK;
	if (p->base_ok)
		return;
	/* A refused token or a missing collection stays so until the
	 * operator acts: no use waiting for the deadline. */
	p->base_fatal = res->err == MREST_EAUTH || (res->err == MREST_ESERVER &&
	    (res->code == MREST_CODE_COLLECTION_NOT_FOUND ||
	    res->code == MREST_CODE_DATABASE_NOT_FOUND));
	probes_what(p, r->call, what, sizeof what);
	if (res->uri[0] != '\0')
		snprintf(through, sizeof through, " through '%s'", res->uri);
	/* errmsg is one line without secrets; a server's says its code. */
	snprintf(p->base_err, sizeof p->base_err, "probe '%s'%s failed: %s", what, through,
	    res->errmsg);
}

static void
probe_answered(const struct milvus_rest_result *res, void *arg)
{
	struct probe_req *r = arg;
	struct drill_probes *p = r->p;

	if (r->pinned)
		p->pin_inflight--;
	else
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
	if (r->baseline) {
		probes_base_answer(p, r, res);
		return;
	}
	probes_record(p, r->sent_ms, res->err == MREST_OK, res->uri, r->pinned);
}

/* A request for the next call, kept until p is freed (its answer may come
 * after probing stopped). */
static struct probe_req *
probes_req_new(struct drill_probes *p, bool baseline)
{
	struct probe_req *r = xcalloc(1, sizeof *r);

	r->p = p;
	r->sent_ms = time_wall_ms();
	r->call = p->calls[p->next++ % p->n_calls];
	r->live = true;
	r->baseline = baseline;
	p->reqs = xreallocarray(p->reqs, p->n_reqs + 1, sizeof *p->reqs);
	p->reqs[p->n_reqs++] = r;
	return r;
}

/* Start r's call: 0, or -1 when it could not start (no answer will come). */
static int
probes_call(struct drill_probes *p, struct probe_req *r)
{
	char *row;
	int rc = -1;

	switch (r->call) {
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
	else
		r->live = false;
	return rc;
}

static void
probes_send(struct drill_probes *p)
{
	struct probe_req *r;

	if (p->inflight >= PROBE_MAX_INFLIGHT) {
		p->next++;
		probes_record(p, time_wall_ms(), false, NULL, false);
	} else {
		r = probes_req_new(p, false);
		if (probes_call(p, r) == -1)
			probes_record(p, r->sent_ms, false, NULL, false);
	}
	if (p->pin == NULL)
		return;
	/* The same rate on the proxy alone: a list, the call every proxy
	 * answers itself. A hung proxy holds at most as many as the others. */
	if (p->pin_inflight >= PROBE_MAX_INFLIGHT) {
		probes_record(p, time_wall_ms(), false, NULL, true);
		return;
	}
	r = probes_req_new(p, false);
	p->next--;			/* the pinned call is not the rotation's */
	r->call = PC_LIST;
	r->pinned = true;
	if (milvus_rest_collections_list(p->pin, p->db, probe_answered, r) == 0)
		p->pin_inflight++;
	else {
		r->live = false;
		probes_record(p, r->sent_ms, false, NULL, true);
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

int
drill_probes_baseline(struct drill_probes *p, int k, int64_t deadline_ms, char *err,
    size_t errlen)
{
	struct probe_req *r;
	char what[200];
	int64_t now, pause;
	int streak = 0, need = k > 0 ? k : 1, idle = 0;

	/* K in a row of the calls in turn: every call the drill will make
	 * worked at least once, so a typo in the collection cannot pass. */
	if ((size_t)need < p->n_calls)
		need = (int)p->n_calls;
	if (p->running) {
		snprintf(err, errlen, "the probes are running: no baseline now");
		return -1;
	}
	p->next = 0;
	p->base_err[0] = '\0';
	while (streak < need) {
		if ((now = time_wall_ms()) >= deadline_ms)
			goto fail;
		r = probes_req_new(p, true);
		probes_what(p, r->call, what, sizeof what);
		p->base_done = 0;
		if (probes_call(p, r) == -1) {
			snprintf(err, errlen, "probe '%s' could not be sent", what);
			return -1;
		}
		if (loop_run_until(p->loop, &p->base_done, deadline_ms - now) != 0) {
			/* Its answer, when it comes, is dropped. */
			r->live = false;
			if (p->base_err[0] == '\0')
				snprintf(p->base_err, sizeof p->base_err, "probe '%s' had no "
				    "answer before the deadline", what);
			goto fail;
		}
		if (!p->base_ok && p->base_fatal)
			goto fail;
		streak = p->base_ok ? streak + 1 : 0;
		/* At the drill's rate: the baseline is no load test. */
		pause = deadline_ms - time_wall_ms();
		if (streak < need && pause > 0)
			(void)loop_run_until(p->loop, &idle, pause < p->interval_ms ? pause :
			    p->interval_ms);
	}
	/* The drill's probes start from the first call again. */
	p->next = 0;
	return 0;
fail:
	if (p->base_err[0] != '\0')
		snprintf(err, errlen, "%s", p->base_err);
	else
		snprintf(err, errlen, "no probe succeeded %d times in a row before the deadline",
		    need);
	return -1;
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
	milvus_rest_free(p->pin);
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
