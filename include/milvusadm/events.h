/* SPDX-License-Identifier: MIT */
/* The flight recorder: a bounded ring of timestamped cluster events (leader
 * changes, nodes joining and leaving, health and replica changes, etcd leader
 * changes), oldest dropped first. Plain data: no I/O. */
#ifndef MILVUSADM_EVENTS_H
#define MILVUSADM_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum event_kind {
	EV_LEADER_CHANGED,		/* a coordinator role has a new active (old_id → server_id) */
	EV_LEADER_LOST,			/* the active key of a role is gone (old_id), none yet */
	EV_NODE_JOINED,
	EV_NODE_LEFT,
	EV_NODE_STOPPING,		/* its session turned Stopping:true (graceful stop) */
	EV_HEALTH_CHANGED,		/* old_health → health */
	EV_REPLICA_DEGRADED,		/* raised by the replica code (ops/), not the model */
	EV_REPLICA_RESTORED,
	EV_ETCD_LEADER_CHANGED,		/* member ids, old_id → server_id */
	EV_KIND_COUNT
};

/* Where an event's wall-clock time comes from. etcd keeps revisions, not
 * times: a replayed event is dated only by what else is known. */
enum event_time_source {
	EVT_UNKNOWN = 0,		/* no time: wall_ms is 0, revision says when */
	EVT_OBSERVED,			/* seen as it happened (the watch, a probe) */
	EVT_PROCESS_START,		/* the process start time of the server it is about
					   (process_start_time_seconds): it registered, or
					   took office unopposed, right after starting */
};

/* One event. Strings are owned by the recorder. wall_ms is 0 when the time is
 * unknown (replayed from etcd history, which keeps revisions, not times); then
 * revision says when. */
struct event {
	uint64_t seq;			/* 1, 2, ... in the order recorded; never reused */
	int64_t wall_ms;		/* wall clock, 0 = unknown */
	enum event_time_source time_source;	/* EVT_UNKNOWN exactly when wall_ms is 0 */
	bool local;			/* from the tool's own leader history only: etcd
					   no longer keeps that revision */
	int64_t revision;		/* etcd revision that caused it, 0 = none */
	enum event_kind kind;
	char *role;			/* "rootcoord", "querynode", "etcd", ... (may be NULL) */
	int64_t server_id;		/* the server it is about (new active for leader changes) */
	int64_t old_id;			/* previous active / previous etcd leader, 0 = none */
	int old_health, health;		/* EV_HEALTH_CHANGED: enum health values */
	char *text;			/* one line for people */
};

struct events;

/* A recorder keeping at most capacity events (0 = 1024). */
struct events *events_new(size_t capacity);
void events_free(struct events *ev);

/* Record an event and return it (valid until it is dropped from the ring or the
 * recorder is freed). text is a printf format for the one-line description. */
const struct event *events_add(struct events *ev, int64_t wall_ms, int64_t revision,
    enum event_kind kind, const char *role, int64_t server_id, int64_t old_id,
    const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* As events_add, for health changes (old_health/health filled in). */
const struct event *events_add_health(struct events *ev, int64_t wall_ms,
    const char *role, int64_t server_id, int old_health, int health,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* How many events are held, and the i-th, oldest first (NULL when out of range). */
size_t events_count(const struct events *ev);
const struct event *events_get(const struct events *ev, size_t i);
/* The seq of the newest event, 0 if none was ever recorded. */
uint64_t events_last_seq(const struct events *ev);
/* How many events were dropped because the ring was full. */
uint64_t events_dropped(const struct events *ev);

/* Called after every recorded event (e.g. to print it at once); NULL to stop. */
void events_set_listener(struct events *ev, void (*fn)(const struct event *e, void *arg),
    void *arg);

/* "leader_changed", "node_joined", ... (stable: used in JSON); "unknown" otherwise. */
const char *event_kind_name(enum event_kind kind);
/* "observed", "process_start", "unknown" (stable: used in JSON). */
const char *event_time_source_name(enum event_time_source src);
/* The kind named by event_kind_name, -1 for none. */
int event_kind_parse(const char *name);

/* Date event i (wall_ms > 0) unless it already has a time. */
void events_set_time(struct events *ev, size_t i, int64_t wall_ms, enum event_time_source src);

/* Merge events from elsewhere (the tool's leader history) into the ring, in
 * revision order. One that matches a held event by kind, role, server_id and
 * revision only gives it its time when it has none; with add_missing the others
 * are inserted (copied, marked local), else ignored. Events are numbered again
 * from 1 in the new order (only for a ring nobody follows by seq yet). Returns
 * how many were inserted. */
size_t events_merge(struct events *ev, const struct event *extra, size_t n, bool add_missing);

/* Keep only the events for which keep(e, arg) is true, in order (numbered
 * again from 1, as events_merge does). Returns how many were removed. */
size_t events_retain(struct events *ev, bool (*keep)(const struct event *e, void *arg),
    void *arg);

/* The --since rule for one sorted list, filling keep[i] for every event: an
 * event with a time is kept when it is not older than cutoff_ms; one without
 * a time is kept unless a later event (a higher revision) is known to be
 * older than cutoff_ms: it happened before that one, so it is provably
 * outside the window. Never is an event of unknown time dropped just for
 * lacking one. Returns how many events without a time were kept. */
size_t events_since(const struct events *ev, int64_t cutoff_ms, bool *keep);

struct cluster;
/* Date a replayed history from what the components expose (their
 * started_ms, from process_start_time_seconds): a server's first join is at
 * its process start; a leader change to a server that joined while its role
 * had no active and took office before any other change of the role is at its
 * process start too (it took office unopposed while starting). Leaders' since_ms
 * and changed_ms follow from the dated events. Returns how many events got a
 * time. (event-times.c) */
size_t cluster_date_events(struct cluster *c);

#endif
