/* SPDX-License-Identifier: MIT */
/* Collections through the proxies' REST v2 (databases, list, describe, stats,
 * load state) and replicas through a proxy's 9091 (/api/v1/_qc/replica on
 * 2.5+, /api/v1/replicas on 2.3+), mapped onto the model's nodes for health;
 * replica degraded/restored events go to the flight recorder. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

/* Milvus's own limits are 64 databases and 65536 collections (rootCoord.
 * maxDatabaseNum, maxCollectionNum); more is a broken or hostile answer. */
#define MAX_DATABASES		1024
#define MAX_COLLECTIONS		65536
#define MAX_PROXIES		8

struct coll_vec {
	struct collection_state *v;
	size_t n;
};

static int
proxy_fail(struct source_state *src, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
proxy_fail(struct source_state *src, const char *fmt, ...)
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
static bool
msg_unreachable(const char *m)
{
	return m != NULL && (strstr(m, "did not answer within") != NULL ||
	    strstr(m, "cannot reach") != NULL || strstr(m, "cannot start a request") != NULL ||
	    strstr(m, "no proxy to ask") != NULL || strstr(m, "and no proxy session") != NULL);
}

bool
state_proxy_unreachable(const struct state *st)
{
	const struct cluster *c = st->cluster;

	return msg_unreachable(c->src_proxy.error) || msg_unreachable(c->src_replicas.error);
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

/* One collection: describe (ID, aliases), get_stats (rows), get_load_state.
 * Returns 1 kept, 0 dropped meanwhile, -1 when no proxy answers any more. */
static int
load_one(struct milvus_rest *r, const char *db, const char *name, struct collection_state *cs,
    char *err, size_t errlen)
{
	struct milvus_rest_result *res;
	size_t i;

	memset(cs, 0, sizeof *cs);
	cs->db = xstrdup(db);
	cs->name = xstrdup(name);
	cs->load_progress = -1;
	cs->rows = -1;
	cs->n_replicas = -1;

	res = milvus_rest_collection_describe_sync(r, db, name);
	if (res->err == MREST_EUNREACHABLE) {
		snprintf(err, errlen, "%s", res->errmsg);
		milvus_rest_result_free(res);
		return -1;
	}
	if (rest_collection_gone(res)) {
		milvus_rest_result_free(res);
		return 0;
	}
	if (res->err == MREST_OK) {
		cs->id = xasprintf("%lld", (long long)res->info.id);
		if (res->info.load_state != NULL)
			cs->load_state = xstrdup(res->info.load_state);
		if (res->info.n_aliases > 0) {
			cs->aliases = xcalloc(res->info.n_aliases, sizeof *cs->aliases);
			for (i = 0; i < res->info.n_aliases; i++)
				cs->aliases[i] = xstrdup(res->info.aliases[i]);
			cs->n_aliases = res->info.n_aliases;
		}
	}
	milvus_rest_result_free(res);

	res = milvus_rest_collection_stats_sync(r, db, name);
	if (res->err == MREST_EUNREACHABLE) {
		snprintf(err, errlen, "%s", res->errmsg);
		milvus_rest_result_free(res);
		return -1;
	}
	if (res->err == MREST_OK && res->row_count >= 0)
		cs->rows = res->row_count;
	milvus_rest_result_free(res);

	res = milvus_rest_collection_load_state_sync(r, db, name);
	if (res->err == MREST_EUNREACHABLE) {
		snprintf(err, errlen, "%s", res->errmsg);
		milvus_rest_result_free(res);
		return -1;
	}
	if (res->err == MREST_OK && res->load_state != NULL) {
		free(cs->load_state);
		cs->load_state = xstrdup(res->load_state);
		cs->load_progress = res->load_progress;
		if (cs->load_progress < 0 && strcmp(cs->load_state, "LoadStateLoaded") == 0)
			cs->load_progress = 100;
		if (strcmp(cs->load_state, "LoadStateNotLoad") == 0)
			cs->load_progress = 0;
	}
	milvus_rest_result_free(res);
	return 1;
}

/* The database names to walk. REST v2 has no databases/list before 2.5: a
 * 404 or a server error there means "only default". */
static char **
list_databases(struct milvus_rest *r, const char *db, size_t *n, char *err, size_t errlen)
{
	struct milvus_rest_result *res;
	char **v;
	size_t i;

	if (db != NULL) {
		v = xcalloc(1, sizeof *v);
		v[0] = xstrdup(db);
		*n = 1;
		return v;
	}
	res = milvus_rest_databases_list_sync(r);
	if (res->err == MREST_OK) {
		*n = res->n_names < MAX_DATABASES ? res->n_names : MAX_DATABASES;
		v = xcalloc(*n + 1, sizeof *v);
		for (i = 0; i < *n; i++)
			v[i] = xstrdup(res->names[i]);
		milvus_rest_result_free(res);
		return v;
	}
	if ((res->err == MREST_EHTTP && res->http_status == 404) ||
	    (res->err == MREST_ESERVER && res->code != MREST_CODE_SERVICE_NOT_READY &&
	    res->code != MREST_CODE_SERVICE_UNAVAILABLE)) {
		milvus_rest_result_free(res);
		v = xcalloc(1, sizeof *v);
		v[0] = xstrdup("default");
		*n = 1;
		return v;
	}
	snprintf(err, errlen, "%s", res->errmsg);
	milvus_rest_result_free(res);
	return NULL;
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

int
state_load_collections(struct state *st, const char *db)
{
	struct cluster *c = st->cluster;
	struct milvus_rest *r;
	struct milvus_rest_result *res;
	struct coll_vec cv = { NULL, 0 };
	char err[512], **dbs;
	size_t i, j, n_dbs = 0;
	int rc;

	r = state_rest(st, err, sizeof err);
	if (r == NULL)
		return proxy_fail(&c->src_proxy, "no proxy to ask: %s", err);
	dbs = list_databases(r, db, &n_dbs, err, sizeof err);
	if (dbs == NULL)
		return proxy_fail(&c->src_proxy, "%s", err);
	for (i = 0; i < n_dbs; i++) {
		res = milvus_rest_collections_list_sync(r, dbs[i]);
		if (res->err != MREST_OK) {
			if (res->err == MREST_ESERVER &&
			    res->code == MREST_CODE_DATABASE_NOT_FOUND)
				snprintf(err, sizeof err, "database '%s' not found", dbs[i]);
			else
				snprintf(err, sizeof err, "%s", res->errmsg);
			milvus_rest_result_free(res);
			goto fail;
		}
		for (j = 0; j < res->n_names && cv.n < MAX_COLLECTIONS; j++) {
			cv.v = xreallocarray(cv.v, cv.n + 1, sizeof *cv.v);
			rc = load_one(r, dbs[i], res->names[j], &cv.v[cv.n], err, sizeof err);
			if (rc == 1) {
				cv.n++;
				continue;
			}
			collection_state_clear(&cv.v[cv.n]);
			if (rc == -1) {
				milvus_rest_result_free(res);
				goto fail;
			}
		}
		milvus_rest_result_free(res);
	}
	for (i = 0; i < n_dbs; i++)
		free(dbs[i]);
	free(dbs);
	collections_apply(c, &cv, db);
	source_ok(&c->src_proxy, time_wall_ms());
	return 0;

fail:
	for (i = 0; i < n_dbs; i++)
		free(dbs[i]);
	free(dbs);
	coll_vec_free(&cv);
	return proxy_fail(&c->src_proxy, "%s", err);
}

/* ---- replicas ---- */

/* The querynode session of node id (2.6 streamingnodes register their embedded
 * querynode under the same ServerID). */
static const struct component *
query_node(const struct cluster *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (k->server_id == id && k->role != NULL && strcmp(k->role, "querynode") == 0)
			return k;
	}
	return NULL;
}

/* Serving: its session is there, not stopping, and (once health was read)
 * Healthy. */
static bool
node_serving(const struct cluster *c, int64_t id)
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
		if (node_serving(c, r->rw_nodes[i]))
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
	return n;
}

/* Ask each base in turn until one answers (an answer that is an error counts:
 * another proxy would say the same). */
static struct milvus_mgmt_result *
ask_replicas(struct state *st, char **bases, size_t n_bases,
    const struct milvus_replica_query *q)
{
	struct milvus_mgmt_result *res = NULL;
	size_t i;

	for (i = 0; i < n_bases; i++) {
		if (res != NULL)
			milvus_mgmt_result_free(res);
		res = milvus_mgmt_replicas_sync(state_mgmt(st), bases[i], q);
		if (res->err != MGMT_EUNREACHABLE)
			break;
	}
	return res;
}

/* 2.3/2.4 have no /_qc/replica: one /api/v1/replicas per loaded collection. */
static struct milvus_mgmt_result *
replicas_per_collection(struct state *st, char **bases, size_t n_bases)
{
	struct cluster *c = st->cluster;
	struct milvus_mgmt_result *all = xcalloc(1, sizeof *all), *res;
	struct milvus_replica_query q;
	size_t i, j;

	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];

		if (cs->id == NULL || cs->load_state == NULL ||
		    strcmp(cs->load_state, "LoadStateNotLoad") == 0)
			continue;
		memset(&q, 0, sizeof q);
		q.source = MILVUS_REPLICAS_V1;
		q.collection_id = strtoll(cs->id, NULL, 10);
		res = ask_replicas(st, bases, n_bases, &q);
		if (res->err != MGMT_OK) {
			milvus_mgmt_result_free(all);
			return res;
		}
		all->replicas = xreallocarray(all->replicas, all->n_replicas + res->n_replicas,
		    sizeof *all->replicas);
		for (j = 0; j < res->n_replicas; j++)
			all->replicas[all->n_replicas++] = res->replicas[j];
		free(res->replicas);
		res->replicas = NULL;
		res->n_replicas = 0;
		milvus_mgmt_result_free(res);
	}
	return all;
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

int
state_load_replicas(struct state *st, const char *collection)
{
	struct cluster *c = st->cluster;
	struct milvus_mgmt_result *res;
	struct milvus_replica_query q;
	const struct collection_state *cs = NULL;
	char *bases[MAX_PROXIES], db[256], *coll_id = NULL;
	const char *name = NULL;
	size_t i, n_bases;
	int rc = 0;

	memset(&q, 0, sizeof q);
	if (collection != NULL) {
		split_collection(collection, db, sizeof db, &name);
		cs = collection_by_name(c, db, name);
		if (cs != NULL && cs->id != NULL && cs->load_state != NULL &&
		    strcmp(cs->load_state, "LoadStateNotLoad") == 0) {
			/* Not loaded: it has no replicas, nothing to ask. */
			coll_id = xstrdup(cs->id);
			replicas_apply(c, NULL, 0, coll_id);
			free(coll_id);
			source_ok(&c->src_replicas, time_wall_ms());
			return 0;
		}
		q.source = MILVUS_REPLICAS_V1;
		q.collection_name = name;
		q.db_name = db;
		if (cs != NULL && cs->id != NULL)
			q.collection_id = strtoll(cs->id, NULL, 10);
	} else
		q.source = MILVUS_REPLICAS_QC;

	n_bases = proxy_bases(st, bases, MAX_PROXIES);
	if (n_bases == 0)
		return proxy_fail(&c->src_replicas, "no proxy to ask: no proxy session and "
		    "no milvus.uri in profile '%s'", st->profile_name);
	res = ask_replicas(st, bases, n_bases, &q);
	if (res->err == MGMT_EHTTP && res->http_status == 404) {
		/* Before 2.5 there is no /_qc/replica; a proxy without the
		 * GetReplicas route: try the other source. */
		milvus_mgmt_result_free(res);
		if (collection == NULL) {
			if (c->src_proxy.updated_ms == 0)
				(void)state_load_collections(st, NULL);
			res = replicas_per_collection(st, bases, n_bases);
		} else if (q.collection_id != 0) {
			q.source = MILVUS_REPLICAS_QC;
			res = ask_replicas(st, bases, n_bases, &q);
		} else
			res = ask_replicas(st, bases, n_bases, &q);
	}
	if (res->err != MGMT_OK) {
		if (collection != NULL && res->err == MGMT_ESERVER)
			rc = proxy_fail(&c->src_replicas, "collection '%s': %s", collection,
			    res->errmsg);
		else
			rc = proxy_fail(&c->src_replicas, "%s", res->errmsg);
		goto out;
	}
	if (collection != NULL) {
		if (cs != NULL && cs->id != NULL)
			coll_id = xstrdup(cs->id);
		else if (res->n_replicas > 0)
			coll_id = xasprintf("%lld", (long long)res->replicas[0].collection_id);
		/* An unknown, unloaded collection: nothing to replace. */
		if (coll_id != NULL)
			replicas_apply(c, res->replicas, res->n_replicas, coll_id);
	} else
		replicas_apply(c, res->replicas, res->n_replicas, NULL);
	source_ok(&c->src_replicas, time_wall_ms());
out:
	milvus_mgmt_result_free(res);
	free(coll_id);
	for (i = 0; i < n_bases; i++)
		free(bases[i]);
	return rc;
}
