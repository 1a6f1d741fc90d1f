/* SPDX-License-Identifier: MIT */
/* The model: the latest snapshot of a cluster as plain structs (no curl, no
 * curses, no cJSON). Updates are diffed against what was there and produce
 * timestamped events in the flight recorder (events.h). Unknown is a state:
 * every source records when it last answered and its last error. */
#ifndef MILVUSADM_CLUSTER_H
#define MILVUSADM_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "milvusadm/session.h"

struct events;

/* StateCode from milvus-proto (contract §4.2); HEALTH_UNKNOWN when not probed or
 * unreachable. */
enum health {
	HEALTH_UNKNOWN = -1,
	HEALTH_INITIALIZING = 0,
	HEALTH_HEALTHY = 1,
	HEALTH_ABNORMAL = 2,
	HEALTH_STANDBY = 3,
	HEALTH_STOPPING = 4,
};

/* ACTIVE/STANDBY for exclusive coordinators; HA_NONE for workers, and for
 * coordinators when active-standby is off (bare key only). */
enum ha_state { HA_NONE = 0, HA_ACTIVE, HA_STANDBY };

/* Where a piece of data came from and how fresh it is. */
struct source_state {
	int64_t updated_ms;		/* wall clock of the last good answer, 0 = never */
	int64_t failing_since_ms;	/* 0 while it answers */
	char *error;			/* last error, NULL while it answers */
};

/* One Milvus component instance: one <role>-<id> key, or a bare coordinator key
 * when active-standby is off. Owns its session. */
struct component {
	struct session s;
	char *role;			/* ServerName */
	int64_t server_id;
	enum ha_state ha;
	bool exclusive;
	enum health health;		/* from /healthz detail for this role */
	int64_t health_ms;		/* when health was read */
	char *health_error;		/* why unknown, NULL otherwise */
	int64_t lease_ttl_s;		/* seconds left from timetolive, -1 unknown */
	int64_t create_revision;	/* of its key */
	int64_t first_seen_ms;		/* wall clock when the model first saw it */
};

/* Per coordinator role: who is active, since when, and standbys. */
struct leader {
	char *role;			/* "rootcoord", "mixcoord", ... */
	int64_t active_id;		/* 0 = no active key */
	char *active_address;
	int64_t since_ms;		/* wall clock of the active key's appearance (watch) or first seen */
	int64_t since_revision;		/* mod revision of the active key */
	int64_t *standby_ids;
	size_t n_standby;
	bool active_standby;		/* false when only a bare key exists */
};

struct etcd_member_state {
	uint64_t id;
	char *name;
	char *client_url;
	bool reachable;
	bool is_leader;
	bool is_learner;
	uint64_t raft_term;
	uint64_t raft_index;
	int64_t db_size;
	int64_t db_size_in_use;
	char *version;
	char **alarms;
	size_t n_alarms;
	char *error;			/* why unreachable */
};

struct replica_state {
	int64_t replica_id;
	char *collection_id;		/* decimal text (IDs exceed 2^53) */
	char *resource_group;
	int64_t *rw_nodes;
	size_t n_rw;
	int64_t *ro_nodes;
	size_t n_ro;
	size_t n_healthy;		/* RW nodes that are live and healthy */
	char **orphan_shards;		/* channels whose leader node is gone */
	size_t n_orphan_shards;
};

struct collection_state {
	char *db;
	char *name;
	char *id;			/* decimal text */
	char *load_state;		/* "LoadStateLoaded", ... */
	int64_t load_progress;		/* -1 unknown */
	int64_t rows;			/* -1 unknown */
	int64_t n_replicas;		/* -1 unknown */
	char **aliases;
	size_t n_aliases;
	bool degraded;			/* a replica with fewer healthy nodes than it had */
};

/* The whole snapshot. Owned by whoever created it; cluster_free frees all. */
struct cluster {
	char *root;			/* etcd root path, "by-dev" */
	char *milvus_version;		/* from sessions (most common Version) */
	int64_t session_ttl_s;		/* from a session lease's granted TTL, -1 unknown */
	struct component *components;
	size_t n_components;
	struct leader *leaders;
	size_t n_leaders;
	struct etcd_member_state *etcd;
	size_t n_etcd;
	struct collection_state *collections;
	size_t n_collections;
	struct replica_state *replicas;
	size_t n_replicas;
	struct source_state src_sessions, src_health, src_etcd, src_proxy, src_replicas;
	struct events *events;		/* flight recorder; owned */
};

struct cluster *cluster_new(const char *root);
void cluster_free(struct cluster *c);

#endif
