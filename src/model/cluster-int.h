/* SPDX-License-Identifier: MIT */
/* Private parts of the model shared by cluster.c and cluster-diff.c: the raw
 * session key store and the per-role memory of the last active server. */
#ifndef MILVUSADM_CLUSTER_INT_H
#define MILVUSADM_CLUSTER_INT_H

#include "milvusadm/cluster.h"

/* More worker session keys than this are dropped (bounded input). etcd
 * returns a range sorted by key, so the coordinators (bare keys and
 * <coord>-<id>) have a reserve of their own: thousands of datanode-* keys
 * must not push rootcoord out of the Leaders view. */
#define CLUSTER_MAX_KEYS	4096
#define CLUSTER_MAX_COORD_KEYS	256

struct cluster_last_active {
	char *role;
	int64_t id;
};

struct cluster_keys {
	struct session_key *v;		/* owned sessions, unordered */
	size_t n, cap;
	size_t n_coord;			/* of n, in the coordinator reserve */
	bool dirty;			/* changed since the last commit */
	/* The last active server per role, kept across gaps with no active key,
	 * so "lost" then "changed" still says from whom. */
	struct cluster_last_active *last;
	size_t n_last;
};

/* The name a session key is stored under (its last path element, *len
 * long), NULL for a key nested deeper below <root>/meta/session/. */
const char *cluster_key_name(const struct cluster *c, const char *key, size_t *len);
void component_clear(struct component *comp);
void leader_clear(struct leader *l);
void cluster_components_free(struct component *v, size_t n);
void cluster_leaders_free(struct leader *v, size_t n);

#endif
