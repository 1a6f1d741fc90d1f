/* SPDX-License-Identifier: MIT */
/* Private parts of the model shared by cluster.c and cluster-diff.c: the raw
 * session key store and the per-role memory of the last active server. */
#ifndef MILVUSADM_CLUSTER_INT_H
#define MILVUSADM_CLUSTER_INT_H

#include "milvusadm/cluster.h"
#include "milvusadm/strmap.h"

/* More worker session keys than this are dropped (bounded input). etcd
 * returns a range sorted by key, so the coordinators (bare keys and
 * <coord>-<id>) have a reserve of their own: thousands of datanode-* keys
 * must not push rootcoord out of the Leaders view. */
#define CLUSTER_MAX_KEYS	16384
#define CLUSTER_MAX_COORD_KEYS	256

struct cluster_last_active {
	char *role;
	int64_t id;
};

/* A worker key's change whose event is recorded before the components are
 * derived again (cluster_sessions_commit_batch): what the diff of the next
 * full derive must take as already reported. */
struct cluster_key_change {
	char *role;
	int64_t id;
	char *address;			/* NULL = none */
	bool present;			/* after the change */
	bool stopping;			/* after the change */
	bool existed;			/* before the change (a put of a known key) */
	bool was_stopping;		/* before the change */
	size_t seq;			/* order of the changes */
};

struct cluster_key_changes {
	struct cluster_key_change *v;
	size_t n, cap;
};

struct cluster_keys {
	struct session_key *v;		/* owned sessions, unordered */
	size_t n, cap;
	size_t n_coord;			/* of n, in the coordinator reserve */
	/* Index of v by key name: O(1) puts and deletes, so a range of 10,000
	 * keys or a replay of 10,000 events is linear. */
	struct strmap index;
	bool dirty;			/* changed since the last derive */
	/* Since the last commit: a change a worker-key shortcut cannot
	 * stand for (a coordinator key, a bare key, an exclusive session, a
	 * ServerID that moved between keys, a full replace). */
	bool complex;
	struct cluster_key_changes pend;	/* worker changes since the last commit */
	struct cluster_key_changes told;	/* reported, not derived yet (stale) */
	size_t seq;
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
void cluster_key_changes_clear(struct cluster_key_changes *v);
/* Display order of a role: coordinators first, then workers, then the rest. */
int cluster_role_rank(const char *role);
/* The model's order of components: rank, role, server ID. */
int cluster_comp_key_cmp(int ox, const char *rx, int64_t ix, int oy, const char *ry,
    int64_t iy);

/* cluster-derive.c: what the keys say now (owned by the caller). */
struct cluster_derived {
	struct component *v;
	size_t n;
	struct leader *leaders;
	size_t n_leaders;
};
void cluster_derive(struct cluster *c, int64_t now_ms, bool baseline,
    struct cluster_derived *out);

#endif
