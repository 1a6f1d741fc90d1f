/* SPDX-License-Identifier: MIT */
/* Between the files of a drill: drill.c (the phases on the loop),
 * drill-plan.c (what it will do), drill-probe.c (the client probes through
 * the proxies), drill-worker.c, drill-etcd.c, drill-restarts.c and
 * drill-lock.c. */
#ifndef MILVUSADM_DRILL_INT_H
#define MILVUSADM_DRILL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "milvusadm/drill.h"
#include "milvusadm/fault.h"

struct drill_etcd;
struct drill_probes;
struct drill_restarts;
struct drill_served;
struct etcd_watch;
struct loop;
struct profile;
struct state;

#define DRILL_READY_EVERY_MS	100	/* check/ready on the new active */
#define DRILL_MAX_OPTIONS	16
/* docker wait (30 s at most) + start after the drill. */
#define DRILL_RESTORE_WAIT_MS	40000
/* Probes must succeed before the fault within this long (drill_start). */
#define DRILL_BASELINE_MS	10000

/* Insert probes: the operator's collection and the row template (a probe's
 * row is head + sequence number + tail; tail NULL: head is the whole row). */
struct drill_insert {
	char *db, *name;		/* name NULL: no insert probes */
	char *head, *tail;
};

/* One drill: what drill_new resolved, and the machinery on the loop. */
struct drill {
	struct loop *loop;
	struct state *st;		/* borrowed */
	const struct profile *profile;	/* borrowed */
	struct drill_report *rep;	/* owned */
	struct fault_target tgt;	/* strings point into rep */
	char *watch_key;		/* the key whose fate we follow */
	char *inject_plan;		/* what the backend will do (checked in PRECHECK) */
	char *probe_db, *probe_name;
	struct drill_insert ins;	/* --insert-into */
	const struct fault_ops *ops;
	struct fault_backend *fb;
	char **options;
	struct drill_probes *probes;
	struct etcd_watch *watch;
	int64_t watch_from;		/* revision the sessions were read at + 1 */
	uint64_t tick, inject_timer;
	bool injecting, finished, ready_inflight;
	bool watch_up;			/* the watch said it was created */
	bool seen;			/* the watcher was told it started */
	int64_t next_ready_ms;
	struct drill_served *served;	/* querynode: replicas without it */
	struct drill_etcd *etcd;	/* etcd member targets */
	struct drill_restarts *restarts;	/* NULL: the backend cannot count */
	bool counting;			/* restarts before the fault: inject waits */
	bool inject_wanted;		/* ... and was asked for meanwhile */
	uint64_t restore_timer;		/* the backend's restore, bounded at the end */
	char *lock_path;
	bool locked;
	void (*done)(void *);
	void *done_arg;
};

/* PRECHECK (drill-precheck.c). Refusals set *refused and fill err (exit 3);
 * other failures leave *refused alone. */
int drill_refuse(bool *refused, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Resolve target to one component of d's cluster with someone to take over. */
int drill_precheck_target(struct drill *d, const char *target, bool *refused, char *err,
    size_t errlen);
/* etcd has quorum (every member answers status). */
int drill_precheck_etcd(struct drill *d, bool *refused, char *err, size_t errlen);
/* The probe collection: want, else the first loaded one (none: lists only). */
void drill_precheck_collection(struct drill *d, const char *want);
/* ha estimate for the same fault, kept in the report for the comparison. */
void drill_precheck_estimate(struct drill *d);
/* "<UTC time>-<target>" with '/', '.' and ' ' made '-'. Caller frees. */
char *drill_make_id(const char *target, int64_t now_ms);
/* What the backend's fault is called in the report ("lease revoke", "SIGKILL"). */
const char *drill_backend_signal(const char *backend, const char *const *options);

/* A report ID not yet saved in dir: ID, else ID-2, ID-3... (IDs have
 * one-second resolution and a drill that fails at once can follow another). */
void drill_id_unique(char **id, const char *dir);

/* Probes for a drill of role: calls that exercise it, through every proxy the
 * model knows (the profile's milvus.uri first), rate per second. db/name: a
 * loaded collection for the calls that need one, or NULL (then only lists).
 * sample(s, arg) runs from the loop after each answer. */
struct drill_probes *drill_probes_new(struct loop *l, struct state *st, const char *role,
    const char *db, const char *name, const struct drill_insert *ins, int rate,
    void (*sample)(const struct drill_sample *s, void *arg), void *arg,
    char *err, size_t errlen);
/* Proxy drills: besides the probes with failover, a list per tick aimed at
 * the proxy at address alone (a client pinned to it), recorded as pinned
 * samples that the phases never see. 0, or -1 with err. */
int drill_probes_pin(struct drill_probes *p, struct state *st, const char *address,
    char *err, size_t errlen);
/* The calls made, "collections/list, collections/describe" (static storage of p). */
const char *drill_probes_calls(const struct drill_probes *p);
void drill_probes_start(struct drill_probes *p);
/* Stop sending; answers of calls in flight are dropped. */
void drill_probes_stop(struct drill_probes *p);
const struct drill_sample *drill_probes_samples(const struct drill_probes *p, size_t *n);
void drill_probes_free(struct drill_probes *p);
/* Insert probes answered with success so far; *unanswered: those sent
 * whose answer has not come (they may have written). */
int64_t drill_probes_inserted(const struct drill_probes *p, int64_t *unanswered);
/* Before the fault (before drill_probes_start): the drill's calls in turn, one
 * at a time at its rate, until max(k, number of calls) in a row succeed (every
 * call worked once): 0. -1 with err ("probe 'collections/describe default.docs'
 * through 'http://...' failed: ...") at deadline_ms (time_wall_ms()), or at
 * once when the token is refused or the collection or database is missing.
 * Records no sample; the rows its insert probes write count in
 * drill_probes_inserted. */
int drill_probes_baseline(struct drill_probes *p, int k, int64_t deadline_ms, char *err,
    size_t errlen);

/* ---- drill-insert.c: --insert-into ---- */

/* Describe the collection spec ("db.name" or "name") names and build its row
 * template into d->ins; -1 with err (*refused: the collection is missing or a
 * field cannot be filled). */
int drill_insert_precheck(struct drill *d, const char *spec, bool *refused, char *err,
    size_t errlen);
void drill_insert_clear(struct drill_insert *ins);

/* ---- drill-worker.c: what worker drills need beyond the phases ---- */

struct component;
struct drill_served;

/* Replicas are asked for this often while a querynode drill waits. */
#define DRILL_SERVED_EVERY_MS	250

/* `drill run ROLE` for a worker role (proxy, querynode, ...): the healthy
 * proxy milvus.uri points at, else the healthy one with the lowest ServerID;
 * NULL when none. */
const struct component *drill_pick_worker(struct state *st, const char *role);
/* Per proxy URI, the probes it answered (or failed last) from started_ms on;
 * pinned probes count in own_ok/own_failed instead. */
void drill_count_via(struct drill_report *r, const struct drill_sample *s, size_t n);
/* Polls of the replicas through the proxies (state_replicas_fetch:
 * /api/v1/_qc/replica, or on 2.3/2.4 /api/v1/replicas per loaded collection),
 * round robin past errors, until no replica lists dead_id and each has a RW
 * node: then served(at, arg). */
struct drill_served *drill_served_new(struct state *st, int64_t dead_id,
    void (*served)(int64_t at, void *arg), void *arg);
/* Ask again when the last answer came and DRILL_SERVED_EVERY_MS passed. */
void drill_served_poll(struct drill_served *sv, int64_t now_ms);
/* A note for the report: how many polls, how many failed and why. */
void drill_served_note(const struct drill_served *sv, struct drill_report *r);
void drill_served_free(struct drill_served *sv);

/* ---- drill-restarts.c: restart counts before and after, for the report ---- */

/* NULL when the backend cannot count (ops->restarts NULL). */
struct drill_restarts *drill_restarts_new(struct loop *l, const struct fault_ops *ops,
    struct fault_backend *fb, const struct fault_target *t);
/* Count now (before the fault, or after when after); then(arg) once, from the
 * loop, when the backend answered or gave up, at most DRILL_RESTARTS_WAIT_MS. */
void drill_restarts_ask(struct drill_restarts *rs, bool after, void (*then)(void *),
    void *arg);
/* The counts (-1 unknown), what was counted, and a note when a count failed. */
void drill_restarts_fill(const struct drill_restarts *rs, struct drill_report *r);
void drill_restarts_free(struct drill_restarts *rs);

/* ---- drill-etcd.c: etcd member targets ---- */

struct state;
struct fault_target;
struct drill_etcd;

/* Statuses and session ranges are asked this often while a phase waits. */
#define DRILL_ETCD_EVERY_MS	100

/* PRECHECK of `etcd-leader` or `etcd/NAME` from the members' status, and the
 * Milvus session keys before the fault; fills the report's target and etcd
 * fields and t (strings point into r). NULL with err, *refused set when the
 * drill may not run. ev(ev, at, sample, arg) feeds the phase machine:
 * ACTIVE_GONE when the member stops answering, ACTIVE_PUT (server id 1) and
 * READY when another member reports a new leader in a later term, PROBE per
 * range of the session prefix through the remaining endpoints. */
struct drill_etcd *drill_etcd_new(struct state *st, const char *target, struct drill_report *r,
    struct fault_target *t, void (*ev)(enum drill_ev ev, int64_t at,
    const struct drill_sample *s, void *arg), void *arg, bool *refused, char *err,
    size_t errlen);
/* Ask what the phase f is in waits for (one request of each kind at a time). */
void drill_etcd_poll(struct drill_etcd *de, const struct drill_fsm *f, int64_t now_ms);
/* detect/elect/recover lines for drill plan. */
void drill_etcd_plan(const struct drill_etcd *de, const struct drill_fsm *f, struct buf *out);
/* At the end: new leader, term after, sessions lost (a recovery that lost
 * sessions fails the drill). */
void drill_etcd_finish(struct drill_etcd *de, struct drill_report *r);
void drill_etcd_free(struct drill_etcd *de);

/* The drill lock (drill-lock.c), a flock held for the whole drill (the kernel
 * drops it when the process dies): the pid of the drill holding path (0 if
 * none, -1 if held but its pid is not written yet); take it (-1 with *refused
 * set when another drill holds it, or an error); release it (removes the
 * file). */
pid_t drill_lock_holder(const char *path);
int drill_lock_take(const char *path, bool *refused, char *err, size_t errlen);
void drill_lock_release(const char *path);

#endif
