/* SPDX-License-Identifier: MIT */
/* Replicas from REST v2 resource groups (contract §5.4, §7.3, §10): what is
 * left when a proxy's 9091 answers neither /api/v1/replicas nor
 * /api/v1/_qc/replica. A group tells how many replicas of each collection it
 * holds (by bare collection name) and which querynodes it has, not the
 * replicas' IDs nor which node serves which replica: the model gets one
 * entry per collection and group, and a note that says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-rg.h"

/* Most groups read (a cluster has a handful). */
#define RG_MAX_GROUPS		256

/* What is kept of one resource_groups/describe answer. */
struct rg_group {
	char *name;
	int64_t *nodes;
	size_t n_nodes;
	struct milvus_rg_count *loaded;	/* collection name -> replicas */
	size_t n_loaded;
};

struct rg_load {
	struct state_op op;
	struct state *st;
	struct milvus_rest *r;
	char *collection;		/* "db.name" as asked, NULL = all */
	char *why;			/* why the 9091 routes were not used */
	char **names;			/* from resource_groups/list */
	size_t n_names, next;
	struct rg_group *groups;
	size_t n_groups;
	char via[128];			/* the proxy that answered */
	state_done_cb done;
	void *arg;
};

static void rg_next(struct rg_load *rl);

static void
rg_release(struct state_op *op)
{
	struct rg_load *rl = (struct rg_load *)op;
	size_t i, j;

	for (i = 0; i < rl->n_names; i++)
		free(rl->names[i]);
	free(rl->names);
	for (i = 0; i < rl->n_groups; i++) {
		free(rl->groups[i].name);
		free(rl->groups[i].nodes);
		for (j = 0; j < rl->groups[i].n_loaded; j++)
			free(rl->groups[i].loaded[j].name);
		free(rl->groups[i].loaded);
	}
	free(rl->groups);
	free(rl->collection);
	free(rl->why);
	free(rl);
}

static int
cs_name_cmp(const void *a, const void *b)
{
	const struct collection_state *x = *(const struct collection_state *const *)a;
	const struct collection_state *y = *(const struct collection_state *const *)b;

	return strcmp(x->name, y->name);
}

/* The collection of by_name (sorted by name) that a group's count of name
 * belongs to: the only one of that name, else NULL (*ambiguous when several
 * databases have one loaded: Milvus keys the count by bare name, so it
 * cannot be told whose it is). */
static struct collection_state *
rg_place(struct collection_state **by_name, size_t n, const char *name, bool *ambiguous)
{
	size_t lo = 0, hi = n, mid;

	*ambiguous = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= n || strcmp(by_name[lo]->name, name) != 0)
		return NULL;
	if (lo + 1 < n && strcmp(by_name[lo + 1]->name, name) == 0) {
		*ambiguous = true;
		return NULL;
	}
	return by_name[lo];
}

/* The entry of collection coll_id in group g: its nodes, their health. */
static void
rg_entry(const struct cluster *c, const struct rg_group *g, const char *coll_id,
    struct replica_state *r)
{
	size_t i;

	memset(r, 0, sizeof *r);
	r->replica_id = -1;
	r->collection_id = xstrdup(coll_id);
	r->resource_group = xstrdup(g->name);
	if (g->n_nodes > 0) {
		r->rw_nodes = xcalloc(g->n_nodes, sizeof *r->rw_nodes);
		memcpy(r->rw_nodes, g->nodes, g->n_nodes * sizeof *r->rw_nodes);
		r->n_rw = g->n_nodes;
	}
	/* Without sessions nothing is known of the nodes (as for the other
	 * sources): n_healthy stays 0 and the health is shown as unknown. */
	if (!c->sessions_known)
		return;
	for (i = 0; i < r->n_rw; i++)
		r->n_healthy += state_node_serving(c, r->rw_nodes[i]);
}

/* The asked collection ("db.name"), NULL when the model has no such one. */
static struct collection_state *
rg_asked(struct cluster *c, const char *spec)
{
	const char *dot = strchr(spec, '.'), *name = dot != NULL ? dot + 1 : spec;
	size_t i, dblen = dot != NULL ? (size_t)(dot - spec) : 7;
	const char *db = dot != NULL ? spec : "default";

	for (i = 0; i < c->n_collections; i++) {
		struct collection_state *cs = &c->collections[i];

		if (cs->id != NULL && strcmp(cs->name, name) == 0 &&
		    strlen(cs->db) == dblen && strncmp(cs->db, db, dblen) == 0)
			return cs;
	}
	return NULL;
}

/* Replace the model's replicas (all, or the asked collection's) with the
 * groups' entries and recount per collection; the note says what the source
 * cannot tell and the counts that could not be placed. O(n log n) in the
 * collections and the groups' counts. */
static void
rg_apply(struct rg_load *rl)
{
	struct cluster *c = rl->st->cluster;
	struct collection_state **by_name, *asked = NULL;
	struct replica_state *nv;
	int64_t *sums;
	bool *degraded, amb;
	size_t i, j, k, m = 0, nb = 0, cap = 0, unplaced = 0, ambiguous = 0;
	struct buf note = BUF_INIT;

	by_name = xcalloc(c->n_collections + 1, sizeof *by_name);
	if (rl->collection != NULL) {
		if ((asked = rg_asked(c, rl->collection)) != NULL)
			by_name[nb++] = asked;
	} else {
		for (i = 0; i < c->n_collections; i++) {
			struct collection_state *cs = &c->collections[i];

			if (cs->id != NULL && cs->load_state != NULL &&
			    strcmp(cs->load_state, "LoadStateNotLoad") != 0)
				by_name[nb++] = cs;
		}
		qsort(by_name, nb, sizeof *by_name, cs_name_cmp);
	}
	sums = xcalloc(c->n_collections + 1, sizeof *sums);
	degraded = xcalloc(c->n_collections + 1, sizeof *degraded);
	for (i = 0; i < rl->n_groups; i++)
		cap += rl->groups[i].n_loaded;
	nv = xcalloc(c->n_replicas + cap + 1, sizeof *nv);
	/* A collection's read keeps the other collections' entries. */
	for (j = 0; j < c->n_replicas; j++) {
		if (rl->collection != NULL && (asked == NULL ||
		    strcmp(c->replicas[j].collection_id, asked->id) != 0))
			nv[m++] = c->replicas[j];
		else
			replica_state_clear(&c->replicas[j]);
	}
	for (i = 0; i < rl->n_groups; i++) {
		const struct rg_group *g = &rl->groups[i];

		for (k = 0; k < g->n_loaded; k++) {
			struct collection_state *cs;
			size_t idx;

			if (g->loaded[k].n <= 0)
				continue;
			cs = rg_place(by_name, nb, g->loaded[k].name, &amb);
			if (cs == NULL) {
				/* Another collection's count, when one was asked. */
				unplaced += rl->collection == NULL;
				ambiguous += amb;
				continue;
			}
			idx = (size_t)(cs - c->collections);
			rg_entry(c, g, cs->id, &nv[m]);
			sums[idx] += g->loaded[k].n;
			if (c->sessions_known && (nv[m].n_rw == 0 || nv[m].n_healthy < nv[m].n_rw))
				degraded[idx] = true;
			m++;
		}
	}
	free(c->replicas);
	c->replicas = nv;
	c->n_replicas = m;
	for (i = 0; i < c->n_collections; i++) {
		struct collection_state *cs = &c->collections[i];

		if (cs->id == NULL || (rl->collection != NULL && cs != asked))
			continue;
		cs->n_replicas = sums[i];
		cs->degraded = degraded[i];
	}
	free(sums);
	free(degraded);
	free(by_name);

	buf_printf(&note, "read from REST v2 resource groups through proxy '%s': replica IDs "
	    "and which node serves which replica are not known, only each group's replica "
	    "count per collection and its nodes", rl->via);
	if (unplaced > 0)
		buf_printf(&note, "; %zu count%s not tied to a listed collection%s", unplaced,
		    unplaced == 1 ? "" : "s", ambiguous > 0 ? " (a name loaded in several "
		    "databases: Milvus counts by bare name)" : "");
	buf_printf(&note, " (the proxy's 9091: %.600s)", rl->why);
	free(c->src_replicas.note);
	c->src_replicas.note = buf_detach(&note, NULL);
}

static void
rg_finish(struct rg_load *rl, int rc, const char *err)
{
	struct state *st = rl->st;
	state_done_cb done = rl->done;
	void *arg = rl->arg;

	if (rc == 0) {
		rg_apply(rl);
		source_ok(&st->cluster->src_replicas, time_wall_ms());
		free(st->replicas_via);
		st->replicas_via = xstrdup(STATE_RG_VIA);
	} else
		(void)state_proxy_fail(&st->cluster->src_replicas, "%.200s; resource groups "
		    "through REST v2: %.200s", rl->why, err);
	state_op_unlink(st, &rl->op);
	rg_release(&rl->op);
	if (done != NULL)
		done(st, rc, arg);
}

static void
rg_described(const struct milvus_rest_result *res, void *arg)
{
	struct rg_load *rl = arg;
	const struct milvus_resource_group *src = &res->rg;
	struct rg_group *g;
	size_t i;

	if (res->err != MREST_OK) {
		char err[400];

		snprintf(err, sizeof err, "resource_groups/describe '%.100s': %s",
		    rl->names[rl->next], res->errmsg);
		rg_finish(rl, -1, err);
		return;
	}
	g = &rl->groups[rl->n_groups++];
	g->name = xstrdup(src->name);
	if (src->n_nodes > 0) {
		g->nodes = xcalloc(src->n_nodes, sizeof *g->nodes);
		for (i = 0; i < src->n_nodes; i++)
			g->nodes[g->n_nodes++] = src->nodes[i].node_id;
	}
	if (src->n_loaded_replicas > 0) {
		g->loaded = xcalloc(src->n_loaded_replicas, sizeof *g->loaded);
		for (i = 0; i < src->n_loaded_replicas; i++) {
			g->loaded[g->n_loaded].name = xstrdup(src->loaded_replicas[i].name);
			g->loaded[g->n_loaded++].n = src->loaded_replicas[i].n;
		}
	}
	rl->next++;
	rg_next(rl);
}

/* Describe the next group, or apply. */
static void
rg_next(struct rg_load *rl)
{
	if (rl->next >= rl->n_names) {
		rg_finish(rl, 0, NULL);
		return;
	}
	if (milvus_rest_rg_describe(rl->r, rl->names[rl->next], rg_described, rl) != 0)
		rg_finish(rl, -1, "cannot start resource_groups/describe (a bad group name)");
}

static void
rg_listed(const struct milvus_rest_result *res, void *arg)
{
	struct rg_load *rl = arg;
	size_t i;

	if (res->err != MREST_OK) {
		char err[400];

		snprintf(err, sizeof err, "resource_groups/list: %s", res->errmsg);
		rg_finish(rl, -1, err);
		return;
	}
	if (res->n_names > RG_MAX_GROUPS) {
		rg_finish(rl, -1, "resource_groups/list: more groups than the tool reads");
		return;
	}
	snprintf(rl->via, sizeof rl->via, "%s", res->uri);
	rl->names = xcalloc(res->n_names + 1, sizeof *rl->names);
	for (i = 0; i < res->n_names; i++)
		rl->names[rl->n_names++] = xstrdup(res->names[i]);
	rl->groups = xcalloc(res->n_names + 1, sizeof *rl->groups);
	rg_next(rl);
}

void
state_rg_replicas_async(struct state *st, const char *collection, const char *why,
    state_done_cb done, void *arg)
{
	struct rg_load *rl = xcalloc(1, sizeof *rl);
	char err[256];

	rl->st = st;
	rl->collection = collection != NULL ? xstrdup(collection) : NULL;
	rl->why = xstrdup(why != NULL ? why : "the 9091 replica routes failed");
	rl->done = done;
	rl->arg = arg;
	state_op_link(st, &rl->op, rg_release);
	if ((rl->r = state_rest(st, err, sizeof err)) == NULL) {
		rg_finish(rl, -1, err);
		return;
	}
	if (milvus_rest_rg_list(rl->r, rg_listed, rl) != 0)
		rg_finish(rl, -1, "cannot start resource_groups/list");
}
