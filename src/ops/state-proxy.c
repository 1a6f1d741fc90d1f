/* SPDX-License-Identifier: MIT */
/* Collections through the proxies' REST v2 (databases, list, describe, stats,
 * load state), one request at a time on the loop, and the REST client they
 * go through (milvus.uri, then the sessions' proxies). Replicas are in
 * state-replicas.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "proxy-uri.h"
#include "state-int.h"

/* Milvus's own limits are 64 databases and 65536 collections (rootCoord.
 * maxDatabaseNum, maxCollectionNum); more is a broken or hostile answer. */
#define MAX_DATABASES		1024
#define MAX_COLLECTIONS		65536
/* What milvus_rest_new accepts (REST_MAX_URIS, and each URI's length): one
 * URI past either makes it refuse the whole list. */
#define STATE_REST_MAX_URIS	64

struct coll_vec {
	struct collection_state *v;
	size_t n;
};

struct milvus_rest *
state_rest(struct state *st, char *err, size_t errlen)
{
	struct milvus_rest_opts ro;
	char **uris;
	size_t i, n = 0;
	bool tls;

	uris = xcalloc(STATE_REST_MAX_URIS + 1, sizeof *uris);
	if (st->milvus_uri != NULL && st->milvus_uri[0] != '\0') {
		uris[n++] = xstrdup(st->milvus_uri);
		/* The other proxies are reached as milvus.uri is: https stays https. */
		tls = strncasecmp(st->milvus_uri, "https://", 8) == 0;
	} else {
		/* In https when the profile has a CA file or skips verification: it
		 * expects TLS, and the token with it. */
		tls = (st->milvus_ca_file != NULL && st->milvus_ca_file[0] != '\0') ||
		    st->milvus_insecure;
	}
	/* Then every proxy of the sessions, so that reads go on through another
	 * when milvus.uri's proxy hangs or is gone (the client prefers the one
	 * that answered last, and drops a duplicate of milvus.uri). Rebuilt on
	 * every use: the sessions change. */
	n += proxy_rest_uris(st->cluster, tls, uris + n, STATE_REST_MAX_URIS - n);
	if (n == 0) {
		for (i = 0; i < st->cluster->n_components; i++)
			n += strcmp(st->cluster->components[i].role, "proxy") == 0;
		/* Proxies whose addresses make no URI are not "no proxy". */
		if (n > 0)
			snprintf(err, errlen, "no milvus.uri in profile '%s' and no usable "
			    "address among %zu proxy sessions", st->profile_name, n);
		else
			snprintf(err, errlen, "no milvus.uri in profile '%s' and no proxy "
			    "session", st->profile_name);
		free(uris);
		return st->rest;
	}
	if (st->rest != NULL) {
		/* A bad list keeps the old one: it answered before. */
		(void)milvus_rest_set_uris(st->rest, (const char *const *)uris, err, errlen);
	} else {
		memset(&ro, 0, sizeof ro);
		ro.uris = (const char *const *)uris;
		ro.token = st->milvus_token;
		ro.tls.ca_file = st->milvus_ca_file;
		ro.tls.insecure = st->milvus_insecure;
		ro.timeout_ms = st->timeout_ms;
		st->rest = milvus_rest_new(st->loop, &ro, err, errlen);
	}
	for (i = 0; i < n; i++)
		free(uris[i]);
	free(uris);
	return st->rest;
}

const char *
state_collections_via(const struct state *st)
{
	return st->collections_via[0] != '\0' ? st->collections_via : NULL;
}

const char *
state_replicas_via(const struct state *st)
{
	return st->replicas_via;
}

int
state_proxy_fail(struct source_state *src, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	source_fail(src, time_wall_ms(), msg);
	return -1;
}

/* The clients' wording for "nobody answered" (connect error, timeout, no
 * request possible) and ours for "nobody to ask". */
bool
state_msg_unreachable(const char *m)
{
	return m != NULL && (strstr(m, "did not answer within") != NULL ||
	    strstr(m, "cannot reach") != NULL || strstr(m, "cannot start a request") != NULL ||
	    strstr(m, "no proxy to ask") != NULL || strstr(m, "and no proxy session") != NULL);
}

bool
state_proxy_unreachable(const struct state *st)
{
	const struct cluster *c = st->cluster;

	return state_msg_unreachable(c->src_proxy.error) ||
	    state_msg_unreachable(c->src_replicas.error);
}

static int
coll_cmp(const void *a, const void *b)
{
	const struct collection_state *x = a, *y = b;
	int r = strcmp(x->db, y->db);

	return r != 0 ? r : strcmp(x->name, y->name);
}

static bool
rest_collection_gone(const struct milvus_rest_result *res)
{
	return res->err == MREST_ESERVER && res->code == MREST_CODE_COLLECTION_NOT_FOUND;
}

/* A collection known by name only: everything else unknown. */
static void
names_one(const char *db, const char *name, struct collection_state *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->db = xstrdup(db);
	cs->name = xstrdup(name);
	cs->load_progress = -1;
	cs->rows = -1;
	cs->n_replicas = -1;
}

static void
coll_vec_free(struct coll_vec *cv)
{
	size_t i;

	for (i = 0; i < cv->n; i++)
		collection_state_clear(&cv->v[i]);
	free(cv->v);
	cv->v = NULL;
	cv->n = 0;
}

/* Put the new list in the model: all of it, or only database db's part. The
 * replica counts carry over by collection ID until replicas are read again. */
static void
collections_apply(struct cluster *c, struct coll_vec *cv, const char *db)
{
	struct collection_state *old = c->collections;
	size_t i, j, n_old = c->n_collections, keep = 0;

	for (i = 0; i < cv->n; i++) {
		for (j = 0; j < n_old; j++) {
			if (old[j].id != NULL && cv->v[i].id != NULL &&
			    strcmp(old[j].id, cv->v[i].id) == 0) {
				cv->v[i].n_replicas = old[j].n_replicas;
				cv->v[i].degraded = old[j].degraded;
				break;
			}
		}
	}
	for (j = 0; j < n_old; j++) {
		if (db != NULL && strcmp(old[j].db, db) != 0)
			keep++;
	}
	c->collections = xcalloc(keep + cv->n + 1, sizeof *c->collections);
	c->n_collections = 0;
	for (j = 0; j < n_old; j++) {
		if (db != NULL && strcmp(old[j].db, db) != 0)
			c->collections[c->n_collections++] = old[j];
		else
			collection_state_clear(&old[j]);
	}
	free(old);
	for (i = 0; i < cv->n; i++)
		c->collections[c->n_collections++] = cv->v[i];
	free(cv->v);
	cv->v = NULL;
	cv->n = 0;
	qsort(c->collections, c->n_collections, sizeof *c->collections, coll_cmp);
}

/* Collections whose details are asked at once (three calls each). */
#define COLL_INFLIGHT		8

/* A collections load: databases, then per database the names, then (with
 * details) per collection describe, get_stats and get_load_state, all three
 * at once and COLL_INFLIGHT collections at a time: a round trip each, not
 * three per collection one after another. */
struct coll_load {
	struct state_op op;
	struct state *st;
	struct milvus_rest *r;
	char *db;			/* only this database, NULL = all */
	bool details;
	char **dbs;
	size_t n_dbs, di;
	char **names;			/* of database dbs[di] */
	size_t n_names, ni;
	struct coll_vec cv;		/* every collection named, in order */
	struct coll_job *jobs;		/* per cv entry, with details */
	size_t next;			/* the next cv entry to ask about */
	size_t calls;			/* detail calls in flight */
	char *err;			/* the first unreachable answer: stop */
	char via[128];			/* the proxy that answered last */
	state_done_cb done;
	void *arg;
};

/* One detail call: which collection, which answer. */
struct coll_call {
	struct coll_load *cl;
	size_t i;
};

struct coll_job {
	struct coll_call describe, stats, load;
	bool gone;			/* dropped meanwhile */
	bool state_known;		/* get_load_state answered */
};

static void coll_next_db(struct coll_load *cl);
static void coll_next(struct coll_load *cl);

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
coll_release(struct state_op *op)
{
	struct coll_load *cl = (struct coll_load *)op;

	free(cl->db);
	strv_free(cl->dbs, cl->n_dbs);
	strv_free(cl->names, cl->n_names);
	coll_vec_free(&cl->cv);
	free(cl->jobs);
	free(cl->err);
	free(cl);
}

/* The end: apply (rc 0) or mark the source failing with err (rc -1). */
static void
coll_finish(struct coll_load *cl, int rc, const char *err)
{
	struct state *st = cl->st;
	state_done_cb done = cl->done;
	void *arg = cl->arg;

	if (rc == 0) {
		struct source_state *src = &st->cluster->src_proxy;

		collections_apply(st->cluster, &cl->cv, cl->db);
		source_ok(src, time_wall_ms());
		snprintf(st->collections_via, sizeof st->collections_via, "%s", cl->via);
		/* The client lists milvus.uri first: another proxy answering means
		 * it did not, and an operator should know whom the numbers are from. */
		free(src->note);
		src->note = NULL;
		if (st->milvus_uri != NULL && st->milvus_uri[0] != '\0' &&
		    milvus_rest_failed_over(cl->r))
			src->note = xasprintf("milvus.uri did not answer: read through proxy "
			    "'%s'", cl->via);
	} else
		(void)state_proxy_fail(&st->cluster->src_proxy, "%s", err);
	state_op_unlink(st, &cl->op);
	coll_release(&cl->op);
	if (done != NULL)
		done(st, rc, arg);
}

static void
coll_start_failed(struct coll_load *cl)
{
	coll_finish(cl, -1, "cannot start a request to the proxy");
}

/* Remember who answered res (for "via"); an unreachable proxy did not. */
static void
coll_via(struct coll_load *cl, const struct milvus_rest_result *res)
{
	if (res->err != MREST_EUNREACHABLE && res->uri[0] != '\0')
		snprintf(cl->via, sizeof cl->via, "%s", res->uri);
}

static void coll_details_next(struct coll_load *cl);

/* One detail answer is in: note an unreachable proxy (no new call starts,
 * the load ends once those in flight are back), then go on. */
static bool
coll_answer(struct coll_load *cl, const struct milvus_rest_result *res)
{
	cl->calls--;
	coll_via(cl, res);
	if (res->err == MREST_EUNREACHABLE && cl->err == NULL)
		cl->err = xstrdup(res->errmsg);
	return cl->err == NULL;
}

static void
coll_load_state_cb(const struct milvus_rest_result *res, void *arg)
{
	struct coll_call *cc = arg;
	struct coll_load *cl = cc->cl;
	struct collection_state *cs = &cl->cv.v[cc->i];

	if (coll_answer(cl, res) && res->err == MREST_OK && res->load_state != NULL) {
		free(cs->load_state);
		cs->load_state = xstrdup(res->load_state);
		cs->load_progress = res->load_progress;
		if (cs->load_progress < 0 && strcmp(cs->load_state, "LoadStateLoaded") == 0)
			cs->load_progress = 100;
		if (strcmp(cs->load_state, "LoadStateNotLoad") == 0)
			cs->load_progress = 0;
		cl->jobs[cc->i].state_known = true;
	}
	coll_details_next(cl);
}

static void
coll_stats_cb(const struct milvus_rest_result *res, void *arg)
{
	struct coll_call *cc = arg;
	struct coll_load *cl = cc->cl;

	if (coll_answer(cl, res) && res->err == MREST_OK && res->row_count >= 0)
		cl->cv.v[cc->i].rows = res->row_count;
	coll_details_next(cl);
}

static void
coll_describe_cb(const struct milvus_rest_result *res, void *arg)
{
	struct coll_call *cc = arg;
	struct coll_load *cl = cc->cl;
	struct collection_state *cs = &cl->cv.v[cc->i];
	size_t i;

	if (!coll_answer(cl, res)) {
		coll_details_next(cl);
		return;
	}
	if (rest_collection_gone(res))
		cl->jobs[cc->i].gone = true;	/* dropped meanwhile */
	else if (res->err == MREST_OK) {
		cs->id = xasprintf("%lld", (long long)res->info.id);
		/* get_load_state's word wins when it answered. */
		if (res->info.load_state != NULL && !cl->jobs[cc->i].state_known)
			cs->load_state = xstrdup(res->info.load_state);
		if (res->info.n_aliases > 0) {
			cs->aliases = xcalloc(res->info.n_aliases, sizeof *cs->aliases);
			for (i = 0; i < res->info.n_aliases; i++)
				cs->aliases[i] = xstrdup(res->info.aliases[i]);
			cs->n_aliases = res->info.n_aliases;
		}
	}
	coll_details_next(cl);
}

/* Drop the collections found gone, then finish. */
static void
coll_details_done(struct coll_load *cl)
{
	size_t i, k = 0;

	if (cl->err != NULL) {
		char err[512];

		snprintf(err, sizeof err, "%s", cl->err);
		coll_finish(cl, -1, err);
		return;
	}
	for (i = 0; i < cl->cv.n; i++) {
		if (cl->jobs[i].gone)
			collection_state_clear(&cl->cv.v[i]);
		else
			cl->cv.v[k++] = cl->cv.v[i];
	}
	cl->cv.n = k;
	coll_finish(cl, 0, NULL);
}

/* Start the next collections' three calls while fewer than COLL_INFLIGHT
 * collections are out; finish when all are back. */
static void
coll_details_next(struct coll_load *cl)
{
	while (cl->err == NULL && cl->next < cl->cv.n && cl->calls < COLL_INFLIGHT * 3) {
		size_t i = cl->next++;
		struct coll_job *j = &cl->jobs[i];
		const struct collection_state *cs = &cl->cv.v[i];

		j->describe = j->stats = j->load = (struct coll_call){ cl, i };
		if (milvus_rest_collection_describe(cl->r, cs->db, cs->name, coll_describe_cb,
		    &j->describe) == 0)
			cl->calls++;
		if (milvus_rest_collection_stats(cl->r, cs->db, cs->name, coll_stats_cb,
		    &j->stats) == 0)
			cl->calls++;
		if (milvus_rest_collection_load_state(cl->r, cs->db, cs->name,
		    coll_load_state_cb, &j->load) == 0)
			cl->calls++;
	}
	if (cl->calls == 0)
		coll_details_done(cl);
}

/* Every name of the current database into cv, then the next database. */
static void
coll_next(struct coll_load *cl)
{
	const char *db = cl->dbs[cl->di];

	while (cl->ni < cl->n_names && cl->cv.n < MAX_COLLECTIONS) {
		cl->cv.v = xreallocarray(cl->cv.v, cl->cv.n + 1, sizeof *cl->cv.v);
		names_one(db, cl->names[cl->ni], &cl->cv.v[cl->cv.n++]);
		cl->ni++;
	}
	cl->di++;
	coll_next_db(cl);
}

static void
coll_listed(const struct milvus_rest_result *res, void *arg)
{
	struct coll_load *cl = arg;
	char err[512];
	size_t i;

	coll_via(cl, res);
	if (res->err != MREST_OK) {
		if (res->err == MREST_ESERVER && res->code == MREST_CODE_DATABASE_NOT_FOUND)
			snprintf(err, sizeof err, "database '%s' not found", cl->dbs[cl->di]);
		else
			snprintf(err, sizeof err, "%s", res->errmsg);
		coll_finish(cl, -1, err);
		return;
	}
	strv_free(cl->names, cl->n_names);
	cl->n_names = res->n_names < MAX_COLLECTIONS ? res->n_names : MAX_COLLECTIONS;
	cl->names = xcalloc(cl->n_names + 1, sizeof *cl->names);
	for (i = 0; i < cl->n_names; i++)
		cl->names[i] = xstrdup(res->names[i]);
	cl->ni = 0;
	coll_next(cl);
}

static void
coll_next_db(struct coll_load *cl)
{
	if (cl->di >= cl->n_dbs) {
		if (!cl->details || cl->cv.n == 0) {
			coll_finish(cl, 0, NULL);
			return;
		}
		cl->jobs = xcalloc(cl->cv.n, sizeof *cl->jobs);
		coll_details_next(cl);
		return;
	}
	if (milvus_rest_collections_list(cl->r, cl->dbs[cl->di], coll_listed, cl) != 0)
		coll_start_failed(cl);
}

/* The database names to walk. REST v2 has no databases/list before 2.5: a
 * 404 or a server error there means "only default". */
static void
coll_dbs_listed(const struct milvus_rest_result *res, void *arg)
{
	struct coll_load *cl = arg;
	size_t i;

	coll_via(cl, res);
	if (res->err == MREST_OK) {
		cl->n_dbs = res->n_names < MAX_DATABASES ? res->n_names : MAX_DATABASES;
		cl->dbs = xcalloc(cl->n_dbs + 1, sizeof *cl->dbs);
		for (i = 0; i < cl->n_dbs; i++)
			cl->dbs[i] = xstrdup(res->names[i]);
	} else if ((res->err == MREST_EHTTP && res->http_status == 404) ||
	    (res->err == MREST_ESERVER && res->code != MREST_CODE_SERVICE_NOT_READY &&
	    res->code != MREST_CODE_SERVICE_UNAVAILABLE)) {
		cl->dbs = xcalloc(1, sizeof *cl->dbs);
		cl->dbs[0] = xstrdup("default");
		cl->n_dbs = 1;
	} else {
		coll_finish(cl, -1, res->errmsg);
		return;
	}
	coll_next_db(cl);
}

void
state_collections_async(struct state *st, const char *db, bool details, state_done_cb done,
    void *arg)
{
	struct coll_load *cl;
	char err[512], msg[600];

	cl = xcalloc(1, sizeof *cl);
	cl->st = st;
	cl->details = details;
	cl->done = done;
	cl->arg = arg;
	cl->db = db != NULL ? xstrdup(db) : NULL;
	state_op_link(st, &cl->op, coll_release);
	cl->r = state_rest(st, err, sizeof err);
	if (cl->r == NULL) {
		snprintf(msg, sizeof msg, "no proxy to ask: %s", err);
		coll_finish(cl, -1, msg);
		return;
	}
	if (db != NULL) {
		cl->dbs = xcalloc(1, sizeof *cl->dbs);
		cl->dbs[0] = xstrdup(db);
		cl->n_dbs = 1;
		coll_next_db(cl);
	} else if (milvus_rest_databases_list(cl->r, coll_dbs_listed, cl) != 0)
		coll_start_failed(cl);
}

static int
load_collections(struct state *st, const char *db, bool details)
{
	struct state_wait *w = state_wait_new();
	int64_t n = (int64_t)st->cluster->n_collections * 3 + 64;

	state_collections_async(st, db, details, state_wait_cb, w);
	return state_wait_run(st, w, (int64_t)(st->timeout_ms + 1000) * n);
}

int
state_load_collections(struct state *st, const char *db)
{
	return load_collections(st, db, true);
}

int
state_load_collection_names(struct state *st, const char *db)
{
	return load_collections(st, db, false);
}
