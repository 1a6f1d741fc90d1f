/* SPDX-License-Identifier: MIT */
/* Failover drills: the phase machine (PRECHECK → INJECT → DETECT → ELECT →
 * RECOVER → REPORT) on the loop, client probes through the proxies, and the
 * report (phase times, RTO verdict, probe statistics, the ha estimate beside
 * the measurement). The machine itself (struct drill_fsm) is pure so that it
 * can be driven by synthetic events in tests. */
#ifndef MILVUSADM_DRILL_H
#define MILVUSADM_DRILL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct loop;
struct state;
struct profile;
struct buf;
struct milvus_collection_info;
struct milvus_replica;

enum drill_phase {
	DRILL_PRECHECK = 0,
	DRILL_INJECT,
	DRILL_DETECT,
	DRILL_ELECT,
	DRILL_RECOVER,
	DRILL_REPORT,
	DRILL_PHASES
};
/* "precheck", "inject", "detect", "elect", "recover", "report". */
const char *drill_phase_name(enum drill_phase p);

enum drill_verdict {
	DRILL_RUNNING = 0,
	DRILL_MET,			/* recovered within the RTO target */
	DRILL_MISSED,			/* recovered, but later than the target */
	DRILL_FAILED,			/* a phase timed out, or the fault could not be injected */
	DRILL_ABORTED,			/* stopped by the operator (Ctrl-C) */
};
/* "running", "met", "missed", "failed", "aborted". */
const char *drill_verdict_name(enum drill_verdict v);

/* ---- probes ---- */

/* One client request made during the drill. */
struct drill_sample {
	int64_t sent_ms;		/* wall clock when sent */
	int64_t done_ms;		/* wall clock when answered (or failed) */
	bool ok;
	const char *uri;		/* the proxy that answered or failed last, NULL
					   unknown; owned by the probes */
	bool pinned;			/* aimed only at the drilled proxy's own
					   address, as a client without failover:
					   counts in the outage only, never in the
					   statistics or the recovery */
};

struct drill_probe_stats {
	int64_t sent, ok, failed;
	int64_t success_permille;	/* ok * 1000 / (ok + failed); 1000 when none */
	int64_t first_fail_ms;		/* sent time of the first failure, 0 = none */
	int64_t last_fail_ms;		/* sent time of the last failure, 0 = none */
	int64_t window_ms;		/* client-perceived window: last - first failure */
	int64_t longest_gap_ms;		/* longest time between two successes (sent
					   times); before the first and after the last
					   success counts from/to the ends given */
};
/* Insert probes: a row for the collection's schema as head + the probe's
 * sequence number (its primary key) + tail (tail NULL when Milvus makes the
 * key: head is the whole row). Auto IDs, function outputs and nullable fields
 * are left out. -1 with err when a field cannot be filled. Pure. */
int drill_row_template(const struct milvus_collection_info *ci, char **head, char **tail,
    char *err, size_t errlen);
/* The JSON array of one row for seq. Caller frees. */
char *drill_row(const char *head, const char *tail, int64_t seq);

/* The client-visible outage in samples (any order, pinned ones included)
 * sent in [start_ms, end_ms]: from the first failure to the first success sent after the last
 * failure (to end_ms when none came); 0 when none failed, -1 when no probe
 * was sent. Pure. */
int64_t drill_probe_outage(const struct drill_sample *s, size_t n, int64_t start_ms,
    int64_t end_ms);
/* What a process's last exit ("exit 80", "signal 9") means for a drill, NULL
 * when nothing particular: exit 80 is Milvus fencing itself. Pure. */
const char *drill_exit_meaning(const char *last_exit);

/* Statistics of samples (any order) over [start_ms, end_ms]. Pure. */
void drill_probe_stats(const struct drill_sample *s, size_t n, int64_t start_ms,
    int64_t end_ms, struct drill_probe_stats *out);

/* The success rate over time, for a sparkline: out[i] is the permille of the
 * probes sent in [start_ms + i * bucket_ms, + bucket_ms) that succeeded, -1
 * when none was sent then. Fills the buckets up to end_ms, at most max;
 * returns how many. Pure. */
size_t drill_probe_series(const struct drill_sample *s, size_t n, int64_t start_ms,
    int64_t end_ms, int64_t bucket_ms, int16_t *out, size_t max);
/* A sparkline of such a series: one glyph per bucket, "▁".."█" (or ".,:-=+*#"
 * without UTF-8), "·" / "_" for a bucket with no probe; a bucket with any
 * failure never draws full height. Appended to out. */
void drill_series_spark(const int16_t *v, size_t n, bool utf8, struct buf *out);

/* ---- the phase machine ---- */

enum drill_ev {
	DRILL_EV_START,			/* precheck passed: inject now */
	DRILL_EV_INJECTED,		/* the backend acted (at = its injected_ms) */
	DRILL_EV_INJECT_FAILED,
	DRILL_EV_ACTIVE_GONE,		/* the old active key was deleted */
	DRILL_EV_ACTIVE_PUT,		/* the active key was written; server_id = its owner */
	DRILL_EV_READY,			/* the new active answered check/ready */
	DRILL_EV_PROBE,			/* a probe finished; sample */
	DRILL_EV_TICK,			/* time passes: timeouts */
	DRILL_EV_ABORT,			/* Ctrl-C */
	DRILL_EV_SERVED,		/* a worker's work is served again elsewhere
					   (querynode: replicas without it) */
};

struct drill_fsm {
	enum drill_phase phase;
	enum drill_verdict verdict;
	bool worker;			/* no election: DETECT → RECOVER */
	bool wait_served;		/* worker: RECOVER's probes count only after
					   DRILL_EV_SERVED (set after init) */
	int64_t old_server_id;
	int64_t new_server_id;		/* 0 until ELECT ends */
	int recover_k;			/* consecutive successful probes needed */
	int64_t phase_timeout_ms;	/* per phase, 0 = none */
	int64_t timeout_ms;		/* whole drill from inject, 0 = none */
	int64_t rto_target_ms;
	/* Wall-clock times, 0 = not reached. */
	int64_t started_ms;		/* precheck passed, inject asked */
	int64_t injected_ms;
	int64_t detected_ms;
	int64_t elected_ms;
	int64_t ready_ms;
	int64_t recovered_ms;
	int64_t ended_ms;
	int64_t phase_ms;		/* when the current phase began */
	int64_t rto_ms;			/* recovered - injected, -1 unknown */
	enum drill_phase stalled;	/* the phase a timeout or an abort ended */
	char reason[256];		/* why it failed or was aborted */
	/* Probes: a streak of successes sent after ready_ms. */
	int streak;
	int64_t streak_first_ms;
	int64_t fail_after_ready_ms;	/* sent time of the last failed probe
					   sent after ready_ms, 0 none */
};

void drill_fsm_init(struct drill_fsm *f, int64_t old_server_id, bool worker, int recover_k,
    int64_t rto_target_ms, int64_t phase_timeout_ms, int64_t timeout_ms);
/* Feed one event at wall time at_ms. Returns true when the drill has ended
 * (f->verdict is then final and f->phase is DRILL_REPORT). */
bool drill_fsm_event(struct drill_fsm *f, enum drill_ev ev, int64_t at_ms, int64_t server_id,
    const struct drill_sample *sample, const char *reason);
/* Querynode drills: true when no replica lists dead_id (RW, RO or in a
 * shard) and each replica has at least one RW node. Pure. */
bool drill_replicas_served(const struct milvus_replica *r, size_t n, int64_t dead_id);
/* Milliseconds until the next timeout, -1 when none is pending. */
int64_t drill_fsm_next_timeout(const struct drill_fsm *f, int64_t now_ms);
/* Duration of phase p in ms (DETECT, ELECT, RECOVER), -1 when not complete. */
int64_t drill_fsm_phase_ms(const struct drill_fsm *f, enum drill_phase p);

/* ---- etcd targets: `drill run etcd-leader`, `drill run etcd/NAME` ---- */

struct etcd_member_state;

/* True when target names an etcd member rather than a Milvus server. */
bool drill_etcd_is_target(const char *target);
/* PRECHECK of an etcd target against the members' status: at least 3
 * members, every one reachable and not a learner (quorum survives losing
 * one), a leader, and the named member present. *idx = the member drilled.
 * -1 with err (always a refusal). Pure. */
int drill_etcd_pick(const struct etcd_member_state *m, size_t n, const char *target,
    size_t *idx, char *err, size_t errlen);
/* ELECT: a member's status names a leader other than the old one in a term
 * after the one before the fault. Pure. */
bool drill_etcd_elected(uint64_t old_leader, uint64_t term_before, uint64_t leader,
    uint64_t term);
/* Sessions lost: entries of before ("key@lease", any order) missing from
 * after. A session that re-registered has a new lease, so it counts. Pure. */
size_t drill_etcd_lost(char *const *before, size_t n_before, char *const *after,
    size_t n_after);

/* ---- the report ---- */

struct drill_report {
	char *id;			/* "20261127T120638Z-rootcoord" */
	int64_t created_ms;
	char *target;			/* as given: "rootcoord", "querynode/12" */
	char *role;
	char *kind;			/* "coordinator", "worker" */
	int64_t server_id;
	char *address;
	char *host_name;
	int64_t new_server_id;
	char *new_address;
	char *backend;
	char *signal;			/* "SIGKILL", "lease revoke", "graceful stop" */
	char *inject_detail;		/* the backend's one line */
	char *milvus_version;
	int64_t session_ttl_s;		/* -1 unknown */
	char *profile;
	struct drill_fsm fsm;		/* times, verdict, stalled phase */
	char *probe_calls;		/* "collections/list, collections/describe" */
	char *probe_collection;		/* NULL when none loaded */
	int64_t probe_rate;		/* per second */
	struct drill_probe_stats probes;
	int64_t inserted;		/* insert probes that succeeded, -1 none made */
	int64_t insert_unanswered;	/* sent without an answer by the end, -1 none */
	char *insert_collection;	/* --insert-into, NULL none */
	int16_t *series;		/* probe success per series_bucket_ms from
					   started_ms (drill_probe_series), NULL none */
	size_t n_series;
	int64_t series_bucket_ms;
	/* ha estimate for this fault, -1 unknown */
	int64_t est_ms[3];		/* detection, election, recovery */
	int64_t est_total_ms;
	char *dominant;			/* "detection", "election", "recovery", NULL */
	char *advice;			/* one line, NULL if none */
	char **notes;
	size_t n_notes;
	/* Which proxies answered the probes (all workers; the point of a proxy
	 * drill): per URI, and the one that answered the K recovering probes. */
	struct drill_via {
		char *uri;
		int64_t ok, failed;
	} *via;
	size_t n_via;
	char *recovered_via;
	/* etcd targets (kind "etcd-member"): the member's fate and the sessions;
	 * etcd_member NULL for Milvus targets. */
	char *etcd_member;		/* the drilled member's name */
	bool etcd_was_leader;		/* it led when injected (an election follows) */
	char *etcd_old_leader;		/* leader names before and after, NULL unknown */
	char *etcd_new_leader;
	int64_t etcd_term_before;	/* raft term before and after, -1 unknown */
	int64_t etcd_term_after;
	int64_t sessions_before;	/* Milvus session keys before the fault, -1 unknown */
	int64_t sessions_lost;		/* of those, gone or re-registered at recovery, -1 unknown */
	/* Restarts of what the target runs in, from the backend (pods of its
	 * role, its container, its lab member) before the fault and at the
	 * end; -1 unknown (etcd-lease, stop and exec cannot count). */
	int64_t restarts_before;
	int64_t restarts_after;
	char *restarts_what;
	/* What clients saw apart from when the cluster settled: outage_ms from
	 * the probes (first failure to the first success sent after the last
	 * one, 0 none failed, -1 no probe), converged_ms = ready - injected
	 * (the new active ready, the replicas served elsewhere, -1 unknown). */
	int64_t outage_ms;
	int64_t converged_ms;
	/* Proxy drills: the probes aimed only at the proxy's own address
	 * (own_uri NULL for other targets). */
	char *own_uri;
	int64_t own_ok, own_failed;
	/* How the target's process last ended, as its backend knows it ("exit
	 * 80", "signal 9"), NULL unknown; aftermath: what an operator must do
	 * after this drill, NULL nothing. */
	char *last_exit;
	char *aftermath;
};

void drill_report_free(struct drill_report *r);
void drill_report_note(struct drill_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Fill dominant and advice from the measured phases and the estimate. */
void drill_report_compare(struct drill_report *r);
/* The report as Markdown. */
void drill_report_markdown(const struct drill_report *r, struct buf *out);
/* Read a saved report (JSON written by `drill run`); NULL with err. */
struct drill_report *drill_report_load(const char *path, char *err, size_t errlen);
/* $XDG_STATE_HOME/milvusadm/drills (created 0700 when create). Caller frees. */
char *drill_dir(bool create);
/* The newest max saved reports, oldest first; a file that does not load
 * is passed to skip(err, arg) (may be NULL) and left out. Caller frees with
 * drill_history_free. */
struct drill_report **drill_history_load(size_t max, size_t *n,
    void (*skip)(const char *err, void *arg), void *arg);
void drill_history_free(struct drill_report **v, size_t n);

/* ---- one drill on the loop ---- */

struct drill_opts {
	const char *target;		/* "rootcoord", "mixcoord", "querynode/12" */
	const char *backend;		/* NULL = the profile's drill.backend, else etcd-lease */
	const char *const *backend_options;	/* "signal=TERM", NULL-terminated, or NULL */
	int64_t rto_target_ms;		/* 0 = the profile's drill.rto_target */
	int64_t timeout_ms;		/* whole drill after inject; 0 = 120 s */
	int64_t phase_timeout_ms;	/* each phase; 0 = the whole-drill timeout */
	int probe_rate;			/* probes per second; 0 = 5 */
	int recover_k;			/* 0 = 3 */
	const char *collection;		/* probe collection; NULL = the first loaded */
	const char *insert_into;	/* [db.]name the insert probes write to, NULL none */
};

struct drill;

/* Why drill_new gave no drill: the command's exit code follows from it. */
enum drill_why {
	DRILL_WHY_FAILED,		/* something failed (exit 1) */
	DRILL_WHY_REFUSED,		/* the precheck refused (exit 3) */
	DRILL_WHY_USAGE,		/* a bad target or backend setting (exit 2) */
	DRILL_WHY_UNREACHABLE,		/* etcd did not answer (exit 4) */
};

/* The target's form alone (ROLE, ROLE/SERVER_ID, etcd-leader, etcd/NAME with a
 * known role and a positive decimal ID): 0, or -1 with err. No cluster needed. */
int drill_target_check(const char *target, char *err, size_t errlen);

/* Resolve the target from the model and check that a drill may run
 * (PRECHECK); runs loads on the loop. NULL with err and *why when it may not
 * or cannot. Does not take the lock: drill_start does. */
struct drill *drill_new(struct loop *l, struct state *st, const struct profile *p,
    const struct drill_opts *o, enum drill_why *why, char *err, size_t errlen);
/* What each phase will do and what the backend will send (drill plan). */
void drill_plan(struct drill *d, struct buf *out);
/* Take the lock, start probes and the watch, inject, and run the phases;
 * done(arg) from the loop when the drill ended. 0 started, -1 with err (the
 * lock is held by another drill: *refused). */
int drill_start(struct drill *d, void (*done)(void *arg), void *arg, bool *refused,
    char *err, size_t errlen);
/* Ctrl-C: stop probing and end with what was measured (verdict aborted). */
void drill_abort(struct drill *d);
/* The report (complete once done ran). */
struct drill_report *drill_report(struct drill *d);
/* Stop everything, release the lock, free. */
void drill_free(struct drill *d);
/* The probes sent so far (for a live sparkline). */
const struct drill_sample *drill_samples(const struct drill *d, size_t *n);

/* Whoever draws drills as they run (the TUI) sees every drill of this
 * process: seen(d, what, arg) from the loop when it started, after each event
 * that may have changed it (phase, probe), when it ended (the report is
 * complete) and just before it is freed. One watcher; NULL clears it. */
enum drill_seen {
	DRILL_SEEN_STARTED,
	DRILL_SEEN_CHANGED,
	DRILL_SEEN_ENDED,
	DRILL_SEEN_FREED,
};
void drill_watch_set(void (*seen)(struct drill *d, enum drill_seen what, void *arg),
    void *arg);

#endif
