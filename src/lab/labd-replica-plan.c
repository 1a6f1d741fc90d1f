/* SPDX-License-Identifier: MIT */
/* The active querycoord's replica plan: from the load infos and the live
 * querynode sessions, the replica groups each loaded collection should have,
 * written as etcd operations (contract §7.1, §7.2). Pure, for unit tests. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rest.h"

#define PLAN_MAX_REPLICAS	16

/* A replica being planned: the stored one (old, NULL if new) and the target. */
struct plan_rep {
	const struct lstore_replica *old;
	int64_t id;
	int64_t rw[64], ro[64];
	size_t n_rw, n_ro;
	int64_t leaders[64];		/* per shard, 0 = none */
};

static bool
has_id(const int64_t *v, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == id)
			return true;
	}
	return false;
}

static int
cmp_i64(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static bool
node_in_plan(const struct plan_rep *p, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (has_id(p[i].rw, p[i].n_rw, id))
			return true;
	}
	return false;
}

/* The replica with the fewest (most, when most) RW nodes; ties go to the lowest ID. */
static struct plan_rep *
pick(struct plan_rep *p, size_t n, bool most)
{
	struct plan_rep *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (best == NULL || (most ? p[i].n_rw > best->n_rw : p[i].n_rw < best->n_rw))
			best = &p[i];
	}
	return best;
}

static void
rw_remove(struct plan_rep *r, int64_t id)
{
	size_t i;

	for (i = 0; i < r->n_rw; i++) {
		if (r->rw[i] == id) {
			memmove(&r->rw[i], &r->rw[i + 1], (r->n_rw - i - 1) * sizeof r->rw[0]);
			r->n_rw--;
			return;
		}
	}
}

/* Shard leaders: keep a leader that still serves, else the RW node leading
 * the fewest shards of this replica. */
static void
plan_leaders(struct plan_rep *r, const struct lstore *s, int shards, int64_t coll_id)
{
	size_t i, j, k, load[64];
	char *name;

	memset(load, 0, sizeof load);
	for (i = 0; i < (size_t)shards; i++) {
		r->leaders[i] = 0;
		if (r->old == NULL)
			continue;
		name = lstore_vchannel(s, coll_id, (int)i);
		for (j = 0; j < r->old->n_chans; j++) {
			if (strcmp(r->old->chans[j].name, name) == 0 &&
			    has_id(r->rw, r->n_rw, r->old->chans[j].leader))
				r->leaders[i] = r->old->chans[j].leader;
		}
		free(name);
		for (k = 0; k < r->n_rw; k++)
			load[k] += r->rw[k] == r->leaders[i];
	}
	for (i = 0; i < (size_t)shards; i++) {
		size_t best = 0;

		if (r->leaders[i] != 0 || r->n_rw == 0)
			continue;
		for (k = 1; k < r->n_rw; k++) {
			if (load[k] < load[best])
				best = k;
		}
		r->leaders[i] = r->rw[best];
		load[best]++;
	}
}

/* Did anything change from what is stored? */
static bool
plan_changed(const struct plan_rep *r, const struct lstore *s, int shards, int64_t coll_id)
{
	size_t i;
	bool changed = false;
	char *name;

	if (r->old == NULL || r->old->n_rw != r->n_rw || r->old->n_ro != r->n_ro ||
	    r->old->n_chans != (size_t)shards)
		return true;
	if ((r->n_rw > 0 && memcmp(r->old->rw, r->rw, r->n_rw * sizeof r->rw[0]) != 0) ||
	    (r->n_ro > 0 && memcmp(r->old->ro, r->ro, r->n_ro * sizeof r->ro[0]) != 0))
		return true;
	for (i = 0; i < (size_t)shards && !changed; i++) {
		name = lstore_vchannel(s, coll_id, (int)i);
		changed = strcmp(r->old->chans[i].name, name) != 0 ||
		    r->old->chans[i].leader != r->leaders[i];
		free(name);
	}
	return changed;
}

static void
plan_write(const struct lstore *s, const struct lstore_coll *coll, struct plan_rep *r,
    struct lstore_ops *ops)
{
	struct lstore_replica out;
	struct lstore_chan chans[64];
	char *key;
	int i;

	memset(&out, 0, sizeof out);
	out.id = r->id;
	out.coll_id = coll->id;
	out.db_id = coll->db_id;
	out.rw = r->rw;
	out.n_rw = r->n_rw;
	out.ro = r->ro;
	out.n_ro = r->n_ro;
	for (i = 0; i < coll->shards; i++) {
		chans[i].name = lstore_vchannel(s, coll->id, i);
		chans[i].leader = r->leaders[i];
	}
	out.chans = chans;
	out.n_chans = (size_t)coll->shards;
	key = lstore_replica_key(s, coll->id, r->id);
	lstore_op_cmp(ops, r->old != NULL ? LSTORE_CMP_MOD : LSTORE_CMP_ABSENT, xstrdup(key),
	    r->old != NULL ? r->old->mod_rev : 0);
	lstore_op_put(ops, key, lstore_replica_json(&out));
	for (i = 0; i < coll->shards; i++)
		free(chans[i].name);
}

static void
plan_collection(const struct lstore *s, const struct lstore_load *l,
    const struct lstore_coll *coll, int64_t now_ms, struct lstore_ops *ops)
{
	struct plan_rep p[PLAN_MAX_REPLICAS];
	size_t n = 0, i, j, want = (size_t)l->replicas;
	struct plan_rep *lo, *hi;
	bool all_served = true;

	if (want > PLAN_MAX_REPLICAS)
		want = PLAN_MAX_REPLICAS;
	memset(p, 0, sizeof p);
	/* Stored replicas: dead nodes leave; stopping ones become RO until gone. */
	for (i = 0; i < s->n_replicas; i++) {
		const struct lstore_replica *r = &s->replicas[i];

		if (r->coll_id != coll->id)
			continue;
		if (n == want) {
			lstore_op_del(ops, lstore_replica_key(s, coll->id, r->id), false);
			continue;
		}
		p[n].old = r;
		p[n].id = r->id;
		for (j = 0; j < r->n_rw; j++) {
			const struct lstore_node *nd = lstore_node_find(s, r->rw[j]);

			if (nd == NULL || node_in_plan(p, n + 1, nd->id) || p[n].n_rw >= 64)
				continue;
			if (nd->stopping && p[n].n_ro < 64)
				p[n].ro[p[n].n_ro++] = nd->id;
			else if (!nd->stopping)
				p[n].rw[p[n].n_rw++] = nd->id;
		}
		for (j = 0; j < r->n_ro; j++) {
			const struct lstore_node *nd = lstore_node_find(s, r->ro[j]);

			if (nd != NULL && nd->stopping && !has_id(p[n].ro, p[n].n_ro, nd->id) &&
			    p[n].n_ro < 64)
				p[n].ro[p[n].n_ro++] = nd->id;
		}
		n++;
	}
	while (n < want)
		p[n++].id = lstore_alloc_id(s, ops);
	/* Every live node serves one replica group of each loaded collection. */
	for (i = 0; i < s->n_nodes; i++) {
		if (s->nodes[i].stopping || node_in_plan(p, n, s->nodes[i].id))
			continue;
		lo = pick(p, n, false);
		if (lo->n_rw < 64)
			lo->rw[lo->n_rw++] = s->nodes[i].id;
	}
	/* Balance: a group left without nodes takes one from the largest group. */
	for (;;) {
		lo = pick(p, n, false);
		hi = pick(p, n, true);
		if (hi->n_rw < lo->n_rw + 2)
			break;
		lo->rw[lo->n_rw++] = hi->rw[hi->n_rw - 1];
		rw_remove(hi, hi->rw[hi->n_rw - 1]);
	}
	for (i = 0; i < n; i++) {
		qsort(p[i].rw, p[i].n_rw, sizeof p[i].rw[0], cmp_i64);
		qsort(p[i].ro, p[i].n_ro, sizeof p[i].ro[0], cmp_i64);
		plan_leaders(&p[i], s, coll->shards, coll->id);
		if (p[i].n_rw == 0)
			all_served = false;
		if (plan_changed(&p[i], s, coll->shards, coll->id))
			plan_write(s, coll, &p[i], ops);
	}
	if (l->status != LSTORE_LOADED && all_served && now_ms - l->since >= LSTORE_LOAD_MS) {
		struct lstore_load nl = *l;

		nl.status = LSTORE_LOADED;
		lstore_op_cmp(ops, LSTORE_CMP_MOD, lstore_load_key(s, l->coll_id), l->mod_rev);
		lstore_op_put(ops, lstore_load_key(s, l->coll_id), lstore_load_json(&nl));
	}
}

void
lreplica_plan(const struct lstore *s, int64_t now_ms, struct lstore_ops *ops)
{
	const struct lstore_coll *coll;
	size_t i;

	for (i = 0; i < s->n_loads; i++) {
		coll = lstore_coll_by_id(s, s->loads[i].coll_id);
		if (coll == NULL) {
			/* The collection was dropped: its load is over. */
			lstore_op_del(ops, lstore_load_key(s, s->loads[i].coll_id), false);
			continue;
		}
		plan_collection(s, &s->loads[i], coll, now_ms, ops);
	}
	/* Replicas of collections that are no longer loaded. */
	for (i = 0; i < s->n_replicas; i++) {
		if (lstore_load_find(s, s->replicas[i].coll_id) == NULL)
			lstore_op_del(ops, lstore_replica_key(s, s->replicas[i].coll_id,
			    s->replicas[i].id), false);
	}
	lstore_ops_finish(s, ops);
}
