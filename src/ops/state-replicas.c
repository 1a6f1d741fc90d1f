/* SPDX-License-Identifier: MIT */
/* Replicas through a proxy's 9091 (/api/v1/_qc/replica on 2.5+, one
 * /api/v1/replicas per loaded collection on 2.3/2.4), asked asynchronously
 * and mapped onto the model's nodes for health, or handed over as they came
 * (state_replicas_fetch, for drills); replica degraded/restored events go to
 * the flight recorder. When neither route answers (404, or 401/403 under
 * adminAuthEnabled), the model's replicas come from REST v2 resource groups
 * (state-rg.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"
#include "state-rg.h"

#define MAX_PROXIES		8


/* The querynode session of node id (2.6 streamingnodes register their embedded
 * querynode under the same ServerID). */
static const struct component *
query_node(const struct cluster *c, int64_t id)
{
	return cluster_find((struct cluster *)c, "querynode", id);
}

/* Serving: its session is there, not stopping, and (once health was read)
 * Healthy. */
bool
state_node_serving(const struct cluster *c, int64_t id)
{
	const struct component *k = query_node(c, id);

	if (k == NULL || k->s.stopping)
		return false;
	if (c->src_health.updated_ms == 0)
		return true;
	return k->health == HEALTH_HEALTHY;
}

static bool
replica_degraded(const struct replica_state *r)
{
	return r->n_rw == 0 || r->n_healthy < r->n_rw || r->n_orphan_shards > 0;
}

static void
replica_from(const struct cluster *c, const struct milvus_replica *m, struct replica_state *r)
{
	size_t i, j;
	bool known = c->sessions_known;

	memset(r, 0, sizeof *r);
	r->replica_id = m->id;
	r->collection_id = xasprintf("%lld", (long long)m->collection_id);
	if (m->resource_group != NULL)
		r->resource_group = xstrdup(m->resource_group);
	if (m->n_rw_nodes > 0) {
		r->rw_nodes = xcalloc(m->n_rw_nodes, sizeof *r->rw_nodes);
		memcpy(r->rw_nodes, m->rw_nodes, m->n_rw_nodes * sizeof *r->rw_nodes);
		r->n_rw = m->n_rw_nodes;
	}
	if (m->n_ro_nodes > 0) {
		r->ro_nodes = xcalloc(m->n_ro_nodes, sizeof *r->ro_nodes);
		memcpy(r->ro_nodes, m->ro_nodes, m->n_ro_nodes * sizeof *r->ro_nodes);
		r->n_ro = m->n_ro_nodes;
	}
	/* Without sessions nothing can be said about nodes: n_healthy stays 0 and
	 * the commands show the nodes' health as unknown. */
	if (!known)
		return;
	for (i = 0; i < r->n_rw; i++) {
		if (state_node_serving(c, r->rw_nodes[i]))
			r->n_healthy++;
	}
	for (i = 0; i < m->n_shards; i++) {
		const struct milvus_shard *sh = &m->shards[i];
		bool gone;

		if (sh->leader_id >= 0)
			gone = query_node(c, sh->leader_id) == NULL;
		else {
			/* /_qc/replica names no leader: the shard is lost when
			 * none of its nodes is still registered. */
			gone = true;
			for (j = 0; j < sh->n_nodes && gone; j++)
				gone = query_node(c, sh->nodes[j]) == NULL;
		}
		if (!gone || sh->channel == NULL)
			continue;
		r->orphan_shards = xreallocarray(r->orphan_shards, r->n_orphan_shards + 1,
		    sizeof *r->orphan_shards);
		r->orphan_shards[r->n_orphan_shards++] = xstrdup(sh->channel);
	}
}

static const struct collection_state *
collection_by_id(const struct cluster *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->n_collections; i++) {
		if (c->collections[i].id != NULL && strcmp(c->collections[i].id, id) == 0)
			return &c->collections[i];
	}
	return NULL;
}

/* Degraded/restored events against the previous snapshot of the same replica.
 * The first read is a baseline, except that a degraded replica is news. */
static void
replica_events(struct cluster *c, const struct replica_state *old, size_t n_old,
    const struct replica_state *r, bool baseline, int64_t now)
{
	const struct collection_state *cs = collection_by_id(c, r->collection_id);
	const struct replica_state *prev = NULL;
	bool was, is = replica_degraded(r);
	char name[256];
	size_t i;

	if (c->events == NULL || !c->sessions_known)
		return;
	for (i = 0; i < n_old; i++) {
		if (old[i].replica_id == r->replica_id) {
			prev = &old[i];
			break;
		}
	}
	was = prev != NULL ? replica_degraded(prev) : false;
	if (prev == NULL && baseline && !is)
		return;
	if (cs != NULL)
		snprintf(name, sizeof name, "%s.%s", cs->db, cs->name);
	else
		snprintf(name, sizeof name, "%s", r->collection_id);
	if (is && !was)
		events_add(c->events, now, 0, EV_REPLICA_DEGRADED, "replica", r->replica_id, 0,
		    "replica %lld of '%s' degraded: %zu of %zu nodes serving, %zu shard%s "
		    "without leader", (long long)r->replica_id, name, r->n_healthy, r->n_rw,
		    r->n_orphan_shards, r->n_orphan_shards == 1 ? "" : "s");
	else if (!is && was)
		events_add(c->events, now, 0, EV_REPLICA_RESTORED, "replica", r->replica_id, 0,
		    "replica %lld of '%s' restored: %zu of %zu nodes serving",
		    (long long)r->replica_id, name, r->n_healthy, r->n_rw);
}

/* Replace the model's replicas (all, or those of collection coll_id) with the
 * answer, record events, and recount per collection. */
static void
replicas_apply(struct cluster *c, const struct milvus_replica *v, size_t n,
    const char *coll_id)
{
	struct replica_state *old = c->replicas, *nv;
	size_t i, j, n_old = c->n_replicas, m = 0;
	bool baseline = c->src_replicas.updated_ms == 0;
	int64_t now = time_wall_ms();

	nv = xcalloc(n_old + n + 1, sizeof *nv);
	if (coll_id != NULL) {
		for (j = 0; j < n_old; j++) {
			if (strcmp(old[j].collection_id, coll_id) != 0) {
				nv[m++] = old[j];
				memset(&old[j], 0, sizeof old[j]);
			}
		}
	}
	for (i = 0; i < n; i++) {
		replica_from(c, &v[i], &nv[m]);
		replica_events(c, old, n_old, &nv[m], baseline, now);
		m++;
	}
	for (j = 0; j < n_old; j++) {
		if (old[j].collection_id != NULL)
			replica_state_clear(&old[j]);
	}
	free(old);
	c->replicas = nv;
	c->n_replicas = m;

	for (i = 0; i < c->n_collections; i++) {
		struct collection_state *cs = &c->collections[i];

		if (cs->id == NULL || (coll_id != NULL && strcmp(cs->id, coll_id) != 0))
			continue;
		cs->n_replicas = 0;
		cs->degraded = false;
		for (j = 0; j < c->n_replicas; j++) {
			if (strcmp(c->replicas[j].collection_id, cs->id) != 0)
				continue;
			cs->n_replicas++;
			if (c->sessions_known && replica_degraded(&c->replicas[j]))
				cs->degraded = true;
		}
	}
}

/* Where to ask: each registered proxy's 9091 (healthy ones first), else the
 * host of milvus.uri. */
static size_t
proxy_bases(struct state *st, char **out, size_t max)
{
	const struct cluster *c = st->cluster;
	size_t i, n = 0;
	char *want;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->n_components && n < max; i++) {
			const struct component *k = &c->components[i];
			bool good = k->health == HEALTH_HEALTHY || k->health == HEALTH_UNKNOWN;
			char *b;

			if (k->role == NULL || strcmp(k->role, "proxy") != 0 || k->s.stopping ||
			    good != (pass == 0))
				continue;
			b = state_metrics_base(st, k->s.address);
			if (b != NULL)
				out[n++] = b;
		}
	}
	if (n == 0 && st->milvus_uri != NULL && st->milvus_uri[0] != '\0') {
		const char *h = strstr(st->milvus_uri, "://");
		const char *end;
		char *hostport;

		h = h != NULL ? h + 3 : st->milvus_uri;
		if (*h == '[')
			end = strchr(h, ']') != NULL ? strchr(h, ']') + 1 : h + strlen(h);
		else
			end = h + strcspn(h, ":/");
		if (end > h) {
			hostport = xasprintf("%.*s:19530", (int)(end - h), h);
			out[n] = state_metrics_base(st, hostport);
			if (out[n] != NULL)
				n++;
			free(hostport);
		}
	}
	/* The proxy that answered last goes first (else the one whose REST
	 * answered the collections): a hung one that came first would cost a
	 * whole timeout on every load. */
	want = st->replicas_via != NULL && strcmp(st->replicas_via, STATE_RG_VIA) != 0 ?
	    xstrdup(st->replicas_via) : NULL;
	if (want == NULL && st->collections_via[0] != '\0') {
		const char *h = strstr(st->collections_via, "://");

		want = state_metrics_base(st, h != NULL ? h + 3 : st->collections_via);
	}
	for (i = 1; i < n && want != NULL; i++) {
		if (strcmp(out[i], want) == 0) {
			char *b = out[i];

			memmove(&out[1], &out[0], i * sizeof *out);
			out[0] = b;
			break;
		}
	}
	free(want);
	return n;
}

/* "db.name" or "name" (Milvus names have no dots). */
static void
split_collection(const char *spec, char *db, size_t dblen, const char **name)
{
	const char *dot = strchr(spec, '.');

	if (dot == NULL) {
		snprintf(db, dblen, "default");
		*name = spec;
	} else {
		snprintf(db, dblen, "%.*s", (int)(dot - spec), spec);
		*name = dot + 1;
	}
}

static const struct collection_state *
collection_by_name(const struct cluster *c, const char *db, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_collections; i++) {
		if (strcmp(c->collections[i].db, db) == 0 &&
		    strcmp(c->collections[i].name, name) == 0)
			return &c->collections[i];
	}
	return NULL;
}

static void *
memdup_n(const void *p, size_t n, size_t size)
{
	void *q;

	if (n == 0 || p == NULL)
		return NULL;
	q = xcalloc(n, size);
	memcpy(q, p, n * size);
	return q;
}

/* A deep copy: answers are only lent to the callback. */
static void
replica_copy(struct milvus_replica *d, const struct milvus_replica *s)
{
	size_t i;

	*d = *s;
	d->resource_group = s->resource_group != NULL ? xstrdup(s->resource_group) : NULL;
	d->rw_nodes = memdup_n(s->rw_nodes, s->n_rw_nodes, sizeof *s->rw_nodes);
	d->ro_nodes = memdup_n(s->ro_nodes, s->n_ro_nodes, sizeof *s->ro_nodes);
	d->shards = s->n_shards > 0 ? xcalloc(s->n_shards, sizeof *d->shards) : NULL;
	for (i = 0; i < s->n_shards; i++) {
		const struct milvus_shard *ss = &s->shards[i];
		struct milvus_shard *ds = &d->shards[i];

		ds->channel = ss->channel != NULL ? xstrdup(ss->channel) : NULL;
		ds->leader_id = ss->leader_id;
		ds->leader_addr = ss->leader_addr != NULL ? xstrdup(ss->leader_addr) : NULL;
		ds->nodes = memdup_n(ss->nodes, ss->n_nodes, sizeof *ss->nodes);
		ds->n_nodes = ss->n_nodes;
	}
}

enum rep_phase {
	REP_FIRST,			/* the query as asked */
	REP_FALLBACK,			/* a named collection by ID on /_qc/replica */
	REP_PER_COLLECTION,		/* 2.3/2.4: one /api/v1/replicas per collection */
};

struct rep_load {
	struct state_op op;
	struct state *st;
	char *collection;		/* as asked, NULL = all */
	char *coll_id;			/* the named collection's ID when known */
	char db[256];
	char *name;
	struct milvus_replica_query q;
	char *bases[MAX_PROXIES];
	size_t n_bases, bi;
	enum rep_phase phase;
	char **ids;			/* per collection: the loaded collections' IDs */
	size_t n_ids, ii;
	struct milvus_replica *acc;
	size_t n_acc;
	char *why;			/* the first route's refusal, for the next source */
	size_t calls;			/* HTTP calls started */
	state_done_cb done;
	void *arg;
	/* state_replicas_fetch: hand the answer over instead of applying it */
	state_replicas_cb raw;
	void *raw_arg;
	bool raw_called;
};

static void rep_ask(struct rep_load *rl);

static void
rep_release(struct state_op *op)
{
	struct rep_load *rl = (struct rep_load *)op;
	struct state_replicas_answer a;
	size_t i;

	/* Released with the state before it answered: a fetch's caller still
	 * hears of it once (it may own memory it waits to free). */
	if (rl->raw != NULL && !rl->raw_called) {
		rl->raw_called = true;
		memset(&a, 0, sizeof a);
		a.err = MGMT_EUNREACHABLE;
		snprintf(a.errmsg, sizeof a.errmsg, "cancelled: the state was freed");
		rl->raw(&a, rl->raw_arg);
	}

	free(rl->collection);
	free(rl->coll_id);
	free(rl->name);
	free(rl->why);
	for (i = 0; i < rl->n_bases; i++)
		free(rl->bases[i]);
	for (i = 0; i < rl->n_ids; i++)
		free(rl->ids[i]);
	free(rl->ids);
	milvus_replicas_free(rl->acc, rl->n_acc);
	free(rl);
}

static void
rep_finish(struct rep_load *rl, int rc)
{
	struct state *st = rl->st;
	state_done_cb done = rl->done;
	void *arg = rl->arg;

	if (rc == 0) {
		source_ok(&st->cluster->src_replicas, time_wall_ms());
		/* The 9091 routes answered: no resource-group note stays. */
		free(st->cluster->src_replicas.note);
		st->cluster->src_replicas.note = NULL;
	}
	state_op_unlink(st, &rl->op);
	rep_release(&rl->op);
	if (done != NULL)
		done(st, rc, arg);
}

/* The end of a state_replicas_fetch: v lent to the callback, or the error
 * (err MGMT_*, msg). The model is left alone. */
static void
rep_raw_done(struct rep_load *rl, int err, const char *msg, const struct milvus_replica *v,
    size_t n)
{
	struct state_replicas_answer a;

	memset(&a, 0, sizeof a);
	a.err = err;
	if (err != MGMT_OK)
		snprintf(a.errmsg, sizeof a.errmsg, "%s", msg != NULL ? msg : "failed");
	a.replicas = v;
	a.n_replicas = n;
	a.per_collection = rl->phase == REP_PER_COLLECTION;
	a.calls = rl->calls;
	/* Unlinked first: whatever the callback frees, rl is still ours. */
	state_op_unlink(rl->st, &rl->op);
	rl->raw_called = true;
	rl->raw(&a, rl->raw_arg);
	rep_release(&rl->op);
}

static void
rep_fail(struct rep_load *rl, const struct milvus_mgmt_result *res)
{
	struct source_state *src = &rl->st->cluster->src_replicas;

	if (rl->raw != NULL) {
		rep_raw_done(rl, res->err, res->errmsg, NULL, 0);
		return;
	}
	if (rl->collection != NULL && res->err == MGMT_ESERVER)
		(void)state_proxy_fail(src, "collection '%s': %s", rl->collection, res->errmsg);
	else
		(void)state_proxy_fail(src, "%s", res->errmsg);
	rep_finish(rl, -1);
}

/* The next loaded collection of a per-collection walk, or the end. */
static void
rep_per_next(struct rep_load *rl)
{
	if (rl->ii >= rl->n_ids) {
		if (rl->raw != NULL) {
			rep_raw_done(rl, MGMT_OK, NULL, rl->acc, rl->n_acc);
			return;
		}
		replicas_apply(rl->st->cluster, rl->acc, rl->n_acc, NULL);
		rep_finish(rl, 0);
		return;
	}
	memset(&rl->q, 0, sizeof rl->q);
	rl->q.source = MILVUS_REPLICAS_V1;
	rl->q.collection_id = strtoll(rl->ids[rl->ii], NULL, 10);
	rl->bi = 0;
	rep_ask(rl);
}

static void
rep_per_collection(struct rep_load *rl)
{
	struct cluster *c = rl->st->cluster;
	size_t i;

	rl->phase = REP_PER_COLLECTION;
	rl->ids = xcalloc(c->n_collections + 1, sizeof *rl->ids);
	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];

		if (cs->id == NULL || cs->load_state == NULL ||
		    strcmp(cs->load_state, "LoadStateNotLoad") == 0)
			continue;
		rl->ids[rl->n_ids++] = xstrdup(cs->id);
	}
	rep_per_next(rl);
}

static void
rep_colls_loaded(struct state *st, int rc, void *arg)
{
	struct rep_load *rl = arg;
	const struct source_state *src = &st->cluster->src_proxy;
	char msg[300];

	/* A fetch must not pass "no collection known" off as "no replica
	 * left": a drill would take it for recovered. */
	if (rc == -1 && rl->raw != NULL && src->updated_ms == 0) {
		rl->phase = REP_PER_COLLECTION;
		snprintf(msg, sizeof msg, "loaded collections unknown: %.250s",
		    src->error != NULL ? src->error : "no answer");
		rep_raw_done(rl, MGMT_EUNREACHABLE, msg, NULL, 0);
		return;
	}
	rep_per_collection(rl);
}

/* 2.3/2.4: per loaded collection, from the model's list (read first when
 * the collections were never read). */
static void
rep_walk(struct rep_load *rl)
{
	if (rl->st->cluster->src_proxy.updated_ms == 0)
		state_collections_async(rl->st, NULL, true, rep_colls_loaded, rl);
	else
		rep_per_collection(rl);
}

/* Neither 9091 route can answer (404: /api/v1/replicas is gone in 3.0.3 and
 * /_qc/replica before 2.5; 401/403: /_qc/replica under adminAuthEnabled
 * without root's basic auth): hand over to the resource groups, which the
 * normal token reads. False when res is not such an answer. */
static bool
rep_to_rg(struct rep_load *rl, const struct milvus_mgmt_result *res)
{
	struct state *st = rl->st;
	state_done_cb done = rl->done;
	void *arg = rl->arg;
	char *coll, *why;

	if (rl->raw != NULL || !((res->err == MGMT_EHTTP && res->http_status == 404) ||
	    (res->err == MGMT_EAUTH && rl->q.source == MILVUS_REPLICAS_QC)))
		return false;
	why = rl->why != NULL ? xasprintf("%s; %s", rl->why, res->errmsg) :
	    xstrdup(res->errmsg);
	coll = rl->collection;
	rl->collection = NULL;
	state_op_unlink(st, &rl->op);
	rep_release(&rl->op);
	state_rg_replicas_async(st, coll, why, done, arg);
	free(coll);
	free(why);
	return true;
}

static void
rep_answer(const struct milvus_mgmt_result *res, void *arg)
{
	struct rep_load *rl = arg;
	struct state *st = rl->st;
	struct cluster *c = st->cluster;
	size_t i;

	/* Ask each base in turn until one answers (an answer that is an error
	 * counts: another proxy would say the same). */
	if (res->err == MGMT_EUNREACHABLE && rl->bi + 1 < rl->n_bases) {
		rl->bi++;
		rep_ask(rl);
		return;
	}
	if (res->err != MGMT_EUNREACHABLE && rl->raw == NULL) {
		free(st->replicas_via);
		st->replicas_via = xstrdup(rl->bases[rl->bi]);
	}
	if (rl->phase == REP_FIRST && res->err == MGMT_EHTTP && res->http_status == 404) {
		/* Before 2.5 there is no /_qc/replica; a proxy without the
		 * GetReplicas route: try the other source. */
		if (rl->collection == NULL) {
			rep_walk(rl);
			return;
		}
		if (rl->q.collection_id != 0) {
			rl->phase = REP_FALLBACK;
			rl->q.source = MILVUS_REPLICAS_QC;
			rl->bi = 0;
			rep_ask(rl);
			return;
		}
	}
	/* /_qc/replica refused without admin auth: /api/v1/replicas needs
	 * none (until 3.0.3 removed it), one call per loaded collection. */
	if (rl->phase == REP_FIRST && rl->collection == NULL && rl->raw == NULL &&
	    res->err == MGMT_EAUTH) {
		rl->why = xstrdup(res->errmsg);
		rep_walk(rl);
		return;
	}
	if (res->err != MGMT_OK && rep_to_rg(rl, res))
		return;
	if (res->err != MGMT_OK) {
		rep_fail(rl, res);
		return;
	}
	if (rl->phase == REP_PER_COLLECTION) {
		rl->acc = xreallocarray(rl->acc, rl->n_acc + res->n_replicas + 1,
		    sizeof *rl->acc);
		for (i = 0; i < res->n_replicas; i++)
			replica_copy(&rl->acc[rl->n_acc++], &res->replicas[i]);
		rl->ii++;
		rep_per_next(rl);
		return;
	}
	if (rl->raw != NULL) {
		rep_raw_done(rl, MGMT_OK, NULL, res->replicas, res->n_replicas);
		return;
	}
	if (rl->collection != NULL) {
		if (rl->coll_id == NULL && res->n_replicas > 0)
			rl->coll_id = xasprintf("%lld", (long long)res->replicas[0].collection_id);
		/* An unknown, unloaded collection: nothing to replace. */
		if (rl->coll_id != NULL)
			replicas_apply(c, res->replicas, res->n_replicas, rl->coll_id);
	} else
		replicas_apply(c, res->replicas, res->n_replicas, NULL);
	rep_finish(rl, 0);
}

static void
rep_ask(struct rep_load *rl)
{
	struct milvus_mgmt_result res;

	rl->calls++;
	if (milvus_mgmt_replicas(state_mgmt(rl->st), rl->bases[rl->bi], &rl->q, rep_answer,
	    rl) == 0)
		return;
	memset(&res, 0, sizeof res);
	res.err = MGMT_EUNREACHABLE;
	snprintf(res.errmsg, sizeof res.errmsg, "cannot start a request to '%.100s'",
	    rl->bases[rl->bi]);
	rep_answer(&res, rl);
}

void
state_replicas_async(struct state *st, const char *collection, state_done_cb done, void *arg)
{
	struct cluster *c = st->cluster;
	const struct collection_state *cs = NULL;
	struct rep_load *rl;
	const char *name;

	rl = xcalloc(1, sizeof *rl);
	rl->st = st;
	rl->done = done;
	rl->arg = arg;
	state_op_link(st, &rl->op, rep_release);
	if (collection != NULL) {
		rl->collection = xstrdup(collection);
		split_collection(collection, rl->db, sizeof rl->db, &name);
		rl->name = xstrdup(name);
		cs = collection_by_name(c, rl->db, rl->name);
		if (cs != NULL && cs->id != NULL)
			rl->coll_id = xstrdup(cs->id);
		if (cs != NULL && cs->id != NULL && cs->load_state != NULL &&
		    strcmp(cs->load_state, "LoadStateNotLoad") == 0) {
			/* Not loaded: it has no replicas, nothing to ask. */
			replicas_apply(c, NULL, 0, rl->coll_id);
			rep_finish(rl, 0);
			return;
		}
		rl->q.source = MILVUS_REPLICAS_V1;
		rl->q.collection_name = rl->name;
		rl->q.db_name = rl->db;
		if (rl->coll_id != NULL)
			rl->q.collection_id = strtoll(rl->coll_id, NULL, 10);
	} else
		rl->q.source = MILVUS_REPLICAS_QC;

	rl->n_bases = proxy_bases(st, rl->bases, MAX_PROXIES);
	if (rl->n_bases == 0) {
		(void)state_proxy_fail(&c->src_replicas, "no proxy to ask: no proxy session "
		    "and no milvus.uri in profile '%s'", st->profile_name);
		rep_finish(rl, -1);
		return;
	}
	rep_ask(rl);
}

void
state_replicas_fetch(struct state *st, const char *base, bool per_collection,
    state_replicas_cb cb, void *arg)
{
	struct rep_load *rl = xcalloc(1, sizeof *rl);

	rl->st = st;
	rl->raw = cb;
	rl->raw_arg = arg;
	state_op_link(st, &rl->op, rep_release);
	rl->bases[0] = xstrdup(base);
	rl->n_bases = 1;
	if (per_collection) {
		rep_walk(rl);
		return;
	}
	rl->q.source = MILVUS_REPLICAS_QC;
	rep_ask(rl);
}

int
state_load_replicas(struct state *st, const char *collection)
{
	struct state_wait *w = state_wait_new();
	int64_t n = (int64_t)st->cluster->n_collections * MAX_PROXIES + 64;

	state_replicas_async(st, collection, state_wait_cb, w);
	return state_wait_run(st, w, (int64_t)(st->timeout_ms + 1000) * n);
}
