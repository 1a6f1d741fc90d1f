/* SPDX-License-Identifier: MIT */
/* The one alert model: every condition an operator must act on, computed from
 * the model (struct cluster) and the backup tier's RPO facts, each with a
 * severity, a stable kind, the object, a first-seen time, a one-line message
 * naming the cause and the fix. `status`, `ha check`, the TUI header and its
 * Alerts view all read this list, so they cannot disagree. Pure: no I/O. */
#ifndef MILVUSADM_ALERTS_H
#define MILVUSADM_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cluster;

enum alert_severity { ALERT_CRITICAL = 0, ALERT_WARNING, ALERT_INFO };

/* One alert. kind is static; the strings are owned by the list. kind and
 * object together name the condition (first_seen_ms is kept by them). */
struct alert {
	enum alert_severity severity;
	const char *kind;		/* "no-active", "active-gone", ... (stable) */
	char *object;			/* "rootcoord", "proxy 12 at 10.0.0.5:19529",
					   "etcd member 'etcd-1'", "collection 'db.c'" */
	char *role;			/* the component role it is about, NULL if none */
	int64_t server_id;		/* the server it is about, 0 if none */
	int64_t first_seen_ms;		/* wall clock it was first seen */
	char *message;			/* one line naming the cause */
	char *fix;			/* what to do, NULL when nothing is */
};

/* The backup tier's recovery point as far as it is known: the model does not
 * read the backup server; whoever did fills this in. */
struct alert_rpo {
	bool breached;			/* a collection's newest backup misses the target */
	bool unknown;			/* a configured backup server could not be read */
	const char *line;		/* one line saying which (borrowed) */
};

struct alerts;

/* An empty list with an empty first-seen table. Never NULL. */
struct alerts *alerts_new(void);
void alerts_free(struct alerts *a);

/* Recompute the list from c and rpo (NULL: nothing known of backups) at
 * now_ms. An alert present before keeps its first-seen time; one that is no
 * longer raised is dropped with its time. Sorted by severity, then in the
 * order of the model (sources, coordinators, standbys and workers, etcd,
 * collections, backups).
 * O(n log n) in the alerts. */
void alerts_update(struct alerts *a, const struct cluster *c, const struct alert_rpo *rpo,
    int64_t now_ms);

size_t alerts_count(const struct alerts *a);
/* The i-th alert, NULL when out of range; valid until the next update. */
const struct alert *alerts_get(const struct alerts *a, size_t i);
/* How many of the list have severity s. */
size_t alerts_count_severity(const struct alerts *a, enum alert_severity s);
/* The first alert of kind about role (any role when NULL), NULL if none. */
const struct alert *alerts_find(const struct alerts *a, const char *kind, const char *role);

/* "critical", "warning", "info". */
const char *alert_severity_name(enum alert_severity s);

#endif
