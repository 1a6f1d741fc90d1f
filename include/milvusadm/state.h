/* SPDX-License-Identifier: MIT */
/* Gathering the model from a cluster's real interfaces (etcd sessions and
 * watch, each component's 9091, the proxies' REST v2 and /api/v1) for one
 * profile. Every load fills struct cluster and its source_state; nothing here
 * prints. Used by the commands in script mode and, later, by the TUI live. */
#ifndef MILVUSADM_STATE_H
#define MILVUSADM_STATE_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct profile;
struct cluster;
struct etcd;

struct state;

/* A gatherer for profile p (copied as needed). NULL with err on bad settings
 * (no etcd endpoint, unreadable password file). */
struct state *state_new(struct loop *l, const struct profile *p, char *err, size_t errlen);
void state_free(struct state *st);
struct cluster *state_cluster(struct state *st);
struct etcd *state_etcd(struct state *st);

/* One-shot loads, run to completion on the loop (bounded by the profile's
 * timeouts). Each returns 0, or -1 when its source failed (the reason is in the
 * matching source_state.error, and the model marks that data unknown). */
int state_load_sessions(struct state *st);	/* range <root>/meta/session/ + lease TTLs */
int state_load_health(struct state *st);	/* /healthz of every component, in parallel */
int state_load_etcd(struct state *st);		/* member list + status per endpoint */
int state_load_collections(struct state *st, const char *db);	/* REST v2; db NULL = all */
int state_load_replicas(struct state *st, const char *collection); /* /api/v1 on a proxy's 9091 */

/* Live: watch <root>/meta/session/ and feed the model; changed(arg) is called
 * from the loop after each batch of changes (events already recorded). */
int state_watch_start(struct state *st, void (*changed)(void *arg), void *arg);
void state_watch_stop(struct state *st);

#endif
