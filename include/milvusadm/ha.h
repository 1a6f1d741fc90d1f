/* SPDX-License-Identifier: MIT */
/* The no-single-point-of-failure checklist over the model (struct cluster) and
 * the expected failover time (RTO = detection + election + recovery) from the
 * real settings. Pure functions: no I/O, no curl, no cJSON. */
#ifndef MILVUSADM_HA_H
#define MILVUSADM_HA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct alerts;
struct cluster;

enum ha_verdict { HA_CHECK_PASS = 0, HA_CHECK_WARN, HA_CHECK_FAIL };

/* "pass", "warn", "fail". */
const char *ha_verdict_name(enum ha_verdict v);

/* One checklist item. id is stable for scripts ("coord.rootcoord",
 * "workers.querynode", "etcd.members", "collection.default.docs",
 * "session.ttl"); object names what it is about for a reader ("rootcoord",
 * "querynode", "etcd", "etcd member 'etcd-1'", "collection 'default.docs'",
 * "sessions"); fix is NULL when there is nothing to do. */
struct ha_item {
	char *id;
	char *object;
	char *title;
	enum ha_verdict status;
	char *reason;
	char *fix;
};

/* Owns its items; ha_report_free frees all. */
struct ha_report {
	struct ha_item *items;
	size_t n_items;
	size_t n_pass, n_warn, n_fail;
};

/* The checklist for c, in a fixed order: coordinators, workers, etcd, loaded
 * collections, session TTL. Data whose source failed gives a warn item that
 * says why (never a pass). Never NULL. */
struct ha_report *ha_check(const struct cluster *c);
/* The same with the alert list of c (alerts.h) already computed: the items
 * that are alerts (no active, a dead active, no standby, etcd members down,
 * alarms, no leader) take their verdict and fix from it, so the two never
 * disagree. */
struct ha_report *ha_check_alerts(const struct cluster *c, const struct alerts *a);
void ha_report_free(struct ha_report *r);

/* Session TTL range that passes the check, and the value the estimate's
 * "tuned" line assumes (the 2.6.7+ shipped default: 10 was too eager, upstream
 * went 10 → 30 → 15). */
#define HA_TTL_MIN_S		10
#define HA_TTL_MAX_S		30
#define HA_TTL_TUNED_S		15

/* The ttl a release ships in configs/milvus.yaml (contract §2.5), -1 when the
 * version does not parse. */
int64_t ha_default_ttl(const char *version);

/* Split "2.6.8", "v2.5.16-rc1" into numbers; -1 when it does not parse. */
int ha_version_parse(const char *version, int *major, int *minor, int *patch);

/* A Kubernetes liveness probe (0 in a field = the Kubernetes default: period
 * 10 s, failureThreshold 3, timeout 1 s). */
struct ha_probe {
	int64_t period_s;
	int64_t failure_threshold;
	int64_t timeout_s;
};

/* What the estimate is computed from. ha_estimate_input fills the first three
 * from the model; the rest are settings or stated assumptions. */
struct ha_estimate_in {
	int64_t session_ttl_s;		/* -1 unknown: the version's shipped default is assumed */
	const char *milvus_version;	/* NULL unknown; borrowed */
	bool standby;			/* every coordinator role has a standby */
	bool have_probe;		/* liveness probe settings are known */
	struct ha_probe liveness;
	int64_t init_ms;		/* coordinator activation; 0 = 2000 (assumed) */
	int64_t retry_ms;		/* client retry interval; 0 = 2000 (the seed's sleep(2)) */
	int64_t restart_ms;		/* supervisor restart without a standby; 0 = 10000 */
};

void ha_estimate_input(const struct cluster *c, struct ha_estimate_in *in);

enum { HA_PHASE_DETECT, HA_PHASE_ELECT, HA_PHASE_RECOVER, HA_PHASES };

struct ha_phase {
	const char *name;		/* "detection", "election", "recovery" (static) */
	int64_t ms;
	char *basis;			/* how the number was reached, one line */
};

/* One way a failover happens, with one set of settings. */
struct ha_rto {
	const char *settings;		/* "current" or "tuned" (static) */
	const char *fault;		/* "crash" or "hang" (static) */
	struct ha_phase phase[HA_PHASES];
	int64_t total_ms;
};

/* Owns everything; ha_estimate_free frees all. Lines come in the order:
 * current crash, [current hang], tuned crash, [tuned hang] (hang lines only
 * when a liveness probe is known). */
struct ha_estimate {
	int64_t ttl_s;			/* the TTL used (read or assumed) */
	bool ttl_assumed;
	struct ha_rto *lines;
	size_t n_lines;
	char **assumptions;
	size_t n_assumptions;
};

struct ha_estimate *ha_estimate(const struct ha_estimate_in *in);
void ha_estimate_free(struct ha_estimate *e);

#endif
