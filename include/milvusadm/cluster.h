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
#include "milvusadm/events.h"

struct cluster_keys;

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

/* Whether the process behind a session is still the one it names. A session
 * outlives its process by up to the lease TTL, and addresses are reused (a
 * StatefulSet pod, host networking): a session whose process is gone must
 * never be shown healthy. */
enum comp_gone {
	COMP_PRESENT = 0,
	COMP_SUPERSEDED,		/* a newer session of its role registered at its
					   address (superseded_by): its process is dead */
	COMP_ROLE_STOPPED,		/* its process answers /healthz without its role:
					   stopped in place (/management/stop, a drill),
					   the process is still up */
	COMP_FOREIGN,			/* an ACTIVE whose /healthz answers as a standby
					   of its role: another process holds its address */
};

/* Where a piece of data came from and how fresh it is. */
struct source_state {
	int64_t updated_ms;		/* wall clock of the last good answer, 0 = never */
	int64_t failing_since_ms;	/* 0 while it answers */
	char *error;			/* last error, NULL while it answers */
	/* Added: a one-line warning about what it answered, kept while it
	 * answers ("showing 4096 of 5000 session keys"), NULL if none. */
	char *note;
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
	/* Added for version awareness and age (all owned). */
	char *process;			/* role of the process hosting it: its own role, or
					   "datacoord" (2.3-2.5 indexcoord), "streamingnode"
					   (2.6 embedded querynode), "standalone", "mixture" */
	char *label;			/* notable ServerLabel ("STREAMING-EMBEDDED",
					   "STANDALONE"), NULL if none */
	char **legacy_keys;		/* 2.6 mixcoord: its legacy bare keys ("rootcoord"...) */
	size_t n_legacy_keys;
	int64_t mod_revision;		/* of its key */
	int64_t lease_id;		/* etcd lease of its key (exact), 0 = none */
	int64_t appeared_ms;		/* wall clock its key appeared, seen live by the
					   watch; 0 = it was there at the first load (unknown) */
	int ready;			/* /management/check/ready: 1 ready, 0 not, -1 not asked */
	bool health_from_host;		/* /healthz has no entry of its own: the code is
					   its host process's (indexcoord in datacoord) */
	/* Added: set from the sessions (COMP_SUPERSEDED, at every commit) and
	 * by the /healthz sweep (the others, carried across commits). Health
	 * is then HEALTH_UNKNOWN with health_error saying why. */
	enum comp_gone gone;
	int64_t superseded_by;		/* COMP_SUPERSEDED: the newer session's server ID */
	/* Added: wall clock its process started (process_start_time_seconds
	 * in its /metrics), 0 = unknown. Carried across commits. */
	int64_t started_ms;
	int order;			/* display rank of its role (the model sorts by
					   order, role, server_id) */
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
	/* Added: the last change the model saw. */
	int64_t prev_active_id;		/* the active before the last change, 0 = none known */
	int64_t changed_ms;		/* wall clock of the last change seen live, 0 = unknown */
	int64_t changed_revision;	/* revision of the last change seen, 0 = unknown */
	int64_t active_create_revision;	/* create revision of the active key (when it took over) */
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
	char *cluster_version;		/* the session/version key's text (2.6.8+, 3.x;
					   §1.4, §10), NULL when absent */
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
	/* Added. */
	bool sessions_known;		/* a full set was applied (or history replay began) */
	int64_t sessions_revision;	/* etcd revision the sessions reflect */
	uint64_t etcd_leader;		/* member id of the etcd leader, 0 = unknown */
	struct cluster_keys *keys;	/* raw session keys the components derive from (private) */
	size_t sessions_dropped;	/* session keys past the limit, not in the model
					   (since the last full set; src_sessions.note says so) */
	/* Added: what is protected from a drop: the shared list in etcd
	 * ("db.coll") and the profile's guards.protected ("db.coll", "coll",
	 * "db.*"); protected_known once the list was read. */
	char **protected_names;
	size_t n_protected;
	bool protected_known;
	/* Added: session keys whose value could not be read, so that none is
	 * dropped silently (sorted by key, at most CLUSTER_MAX_UNPARSABLE;
	 * unparsable_more counts the rest). */
	struct session_unparsable *unparsable;
	size_t n_unparsable;
	size_t unparsable_more;
};

/* A session key that looks like a session (its value is a JSON object, or
 * meant to be) but cannot be read: not JSON, too large, a field of the wrong
 * type, no ServerName. Both strings are owned and bounded
 * (CLUSTER_UNPARSABLE_KEY_MAX); key is the full etcd key as etcd gave it. */
struct session_unparsable {
	char *key;
	char *reason;			/* session_parse's message */
};

#define CLUSTER_MAX_UNPARSABLE		256
#define CLUSTER_UNPARSABLE_KEY_MAX	512

/* One session key as read from etcd: the parsed record and the key's metadata. */
struct session_key {
	struct session s;
	int64_t create_revision;
	int64_t mod_revision;
	int64_t lease;			/* the kv's lease, 0 = none */
	/* Added: the full etcd key (borrowed, only for the put), NULL = unknown.
	 * When set, a key nested deeper than one level below <root>/meta/session/
	 * is not a Milvus session and is ignored. */
	const char *etcd_key;
};

struct cluster *cluster_new(const char *root);
void cluster_free(struct cluster *c);

/* Sessions. Components and leaders are derived from the set of session keys
 * after each change and diffed against what was there, recording events
 * (joined, left, stopping, leader changed/lost) with wall_ms now_ms (0 when
 * replaying history: then the revision dates them). Functions that take a
 * session_key move its session out (k->s is left empty). */
/* Replace the whole set (a full range or a watch resync). The first full set
 * is a baseline: it records no join events. */
void cluster_sessions_replace(struct cluster *c, struct session_key *keys, size_t n,
    int64_t revision, int64_t now_ms);
/* Start from "nothing was registered" (history replay from revision 1): later
 * puts record join events. */
void cluster_sessions_assume_empty(struct cluster *c);
/* Stage one PUT or DELETE (key: the full etcd key or the name after session/);
 * cluster_sessions_commit derives, diffs and records. Commit once per etcd
 * revision so that the events carry the revision that caused them. Both name
 * a key by its last path element (as session_parse does) and ignore keys
 * nested deeper below <root>/meta/session/. Past CLUSTER_MAX_KEYS worker keys
 * new ones are dropped (coordinator keys have a reserve of their own) and
 * counted in sessions_dropped and src_sessions.note. */
void cluster_session_put(struct cluster *c, struct session_key *k);
void cluster_session_delete(struct cluster *c, const char *key);
void cluster_sessions_commit(struct cluster *c, int64_t revision, int64_t now_ms);
/* For a batch of etcd events (a watch message, a history replay): like
 * cluster_sessions_commit, except that a revision changing only workers' own
 * keys records its events at once and leaves the components to be derived
 * again by cluster_sessions_settle, which must follow the batch before the
 * components are read. A replay of E events over n sessions costs
 * O(E + (commits that touch coordinators + 1) * n log n), not O(E * n). */
void cluster_sessions_commit_batch(struct cluster *c, int64_t revision, int64_t now_ms);
void cluster_sessions_settle(struct cluster *c, int64_t now_ms);

/* Unparsable session keys: a full set starts with _reset; a put whose value
 * cannot be read is recorded by _put (key: the full etcd key; a key nested
 * deeper below <root>/meta/session/ is not a session and is ignored); a put
 * that parses, or a delete, removes it with _delete. O(log n) per key. */
void cluster_unparsable_reset(struct cluster *c);
void cluster_unparsable_put(struct cluster *c, const char *key, const char *reason);
void cluster_unparsable_delete(struct cluster *c, const char *key);

/* The one word the CLI and the TUI use for a collection's load state:
 * "loaded", "loading", "not loaded", "gone" (LoadStateNotExist), "unknown"
 * for NULL; a state it does not know is returned as is (untrusted: escape it
 * when printing). Pure. */
const char *cluster_load_word(const char *load_state);

/* Lookups (NULL when absent). */
struct component *cluster_find(struct cluster *c, const char *role, int64_t server_id);
const struct leader *cluster_leader(const struct cluster *c, const char *role);
/* The active component of a coordinator role, NULL if none. */
const struct component *cluster_active(const struct cluster *c, const char *role);

/* Health of component i (records EV_HEALTH_CHANGED when it changes from a
 * probed value). error: why unknown, else NULL. */
void cluster_set_health(struct cluster *c, size_t i, enum health h, const char *error,
    int64_t now_ms);
/* Replace the etcd members (takes the array and its strings); records
 * EV_ETCD_LEADER_CHANGED when the leader differs from a known one. */
void cluster_set_etcd(struct cluster *c, struct etcd_member_state *m, size_t n,
    int64_t now_ms);

/* Replace the protected names (takes the array and its strings) and say
 * whether they are known (read from etcd). */
void cluster_protected_set(struct cluster *c, char **names, size_t n, bool known);

/* Source bookkeeping: it answered at now_ms, or it failed (error copied). */
void source_ok(struct source_state *s, int64_t now_ms);
void source_fail(struct source_state *s, int64_t now_ms, const char *error);

/* Free what one element holds (for code that fills these arrays). */
void etcd_member_state_clear(struct etcd_member_state *m);
void collection_state_clear(struct collection_state *cs);
void replica_state_clear(struct replica_state *r);

/* Mark every session superseded by a newer one of its role at the same
 * address (COMP_SUPERSEDED, health Unknown). cluster_sessions_commit does it;
 * O(n log n). */
void cluster_mark_superseded(struct cluster *c, int64_t now_ms);

/* "Healthy", "StandBy", ..., "Unknown"; "ACTIVE", "STANDBY", "-". */
const char *health_name(enum health h);
const char *ha_state_name(enum ha_state ha);
/* Is role an exclusive coordinator role ("rootcoord", "mixcoord"...)? */
bool cluster_is_coord_role(const char *role);
/* Is role one that runs as many instances ("proxy", "querynode"...)? */
bool cluster_is_worker_role(const char *role);

#endif
