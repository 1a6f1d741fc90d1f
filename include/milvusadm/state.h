/* SPDX-License-Identifier: MIT */
/* Gathering the model from a cluster's real interfaces (etcd sessions and
 * watch, each component's 9091, the proxies' REST v2 and /api/v1) for one
 * profile. Every load fills struct cluster and its source_state; nothing here
 * prints. Used by the commands in script mode and, later, by the TUI live. */
#ifndef MILVUSADM_STATE_H
#define MILVUSADM_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct loop;
struct profile;
struct cluster;
struct etcd;

struct state;

/* A gatherer for profile p (copied as needed). NULL with err on bad settings
 * (no etcd endpoint, unreadable password file). */
struct state *state_new(struct loop *l, const struct profile *p, char *err, size_t errlen);
/* Load the config and make a gatherer for the profile called name (NULL = the
 * default one). NULL with err when there is no such profile or it is bad. */
struct state *state_open(struct loop *l, const char *name, char *err, size_t errlen);
/* The profile's per-request timeout in ms. */
long state_timeout_ms(const struct state *st);
void state_free(struct state *st);
struct cluster *state_cluster(struct state *st);
struct etcd *state_etcd(struct state *st);

/* One-shot loads, run to completion on the loop (bounded by the profile's
 * timeouts). Each returns 0, or -1 when its source failed (the reason is in the
 * matching source_state.error, and the model marks that data unknown). */
int state_load_sessions(struct state *st);	/* range <root>/meta/session/ + lease TTLs */
int state_load_health(struct state *st);	/* /healthz of every component, in parallel */
/* Health, etcd and the collections side by side, then the replicas (what
 * status and ha check read); returns the health sweep's result. */
int state_load_all(struct state *st);
int state_load_etcd(struct state *st);		/* member list + status per endpoint */
int state_load_collections(struct state *st, const char *db);	/* REST v2; db NULL = all */
/* Only the databases' and collections' names (one REST call per database):
 * the rest of each collection_state is unknown. For completion. */
int state_load_collection_names(struct state *st, const char *db);
int state_load_replicas(struct state *st, const char *collection); /* /api/v1 on a proxy's 9091 */
/* After state_load_collections or state_load_replicas failed: true when no
 * proxy answered at all (refused, timed out, none to ask), false when one
 * answered wrongly (garbage, an error). Commands map it to exit 4 or 1. */
bool state_proxy_unreachable(const struct state *st);
/* The sessions' history as far as etcd keeps it (a watch from revision 1 until
 * it goes quiet; a compaction leaves only the current state): the model starts
 * empty and the flight recorder gets joined/left/leader events dated by
 * revision (etcd keeps no times). Ends with the current sessions applied,
 * like state_load_sessions but without lease TTLs. Returns 0, 1 when etcd had
 * compacted the history away (current state only), -1 when etcd failed.
 * coords_only: replay only the coordinators' keys (what leader changes derive
 * from; a few events where all sessions' history has one per worker start
 * and stop), the workers coming in with the current state as a baseline. */
int state_load_history(struct state *st, bool coords_only);

/* When each component's process started (process_start_time_seconds in the
 * /metrics of its process) into component.started_ms; known ones are not
 * asked again; coords_only: only the exclusive coordinators (time in office).
 * Returns 0, or -1 when no process said (ages stay unknown). */
int state_load_start_times(struct state *st, bool coords_only);
/* state_load_health and state_load_start_times at once; state_load_health's
 * result. */
int state_load_health_starts(struct state *st);

/* Live: watch <root>/meta/session/ and feed the model; changed(arg) is called
 * from the loop after each batch of changes (events already recorded). */
int state_watch_start(struct state *st, void (*changed)(void *arg), void *arg);
void state_watch_stop(struct state *st);

/* Keep the model current on the loop without ever blocking it: the session
 * watch (changes appear as they happen), and every refresh_ms a health sweep,
 * etcd status, collections and replicas, each asynchronous with its own
 * timeout. changed(arg) runs after every update of the model. A failing
 * source is marked in its source_state (error, failing_since_ms) and retried
 * with back-off; the data it had stays, marked stale by updated_ms. */
int state_live_start(struct state *st, int64_t refresh_ms, void (*changed)(void *arg), void *arg);
void state_live_refresh(struct state *st);	/* refresh everything now ('r') */
void state_live_stop(struct state *st);

/* The proxy that answered the last good collections load (its REST URI) or
 * replicas load (its 9091 base), without credentials; NULL when none has. */
const char *state_collections_via(const struct state *st);
const char *state_replicas_via(const struct state *st);

/* The REST v2 client of the state's cluster (milvus.uri, then every proxy of
 * the sessions loaded), made on first use; NULL with err. Owned by st. */
struct milvus_rest *state_rest(struct state *st, char *err, size_t errlen);

#endif
