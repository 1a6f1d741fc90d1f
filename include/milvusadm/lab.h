/* SPDX-License-Identifier: MIT */
/* The lab's plan (lab.json: which members run where) and state (state.json: pids,
 * restarts), shared by the lab supervisor and `milvusadm lab`. */
#ifndef MILVUSADM_LAB_H
#define MILVUSADM_LAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>

enum lab_state {
	LAB_STARTING = 0,
	LAB_RUNNING,
	LAB_BACKOFF,
	LAB_STOPPED,
};

/* One process of the lab: an etcd member or a labd component. Strings owned. */
struct lab_member {
	char *name;			/* "etcd-1", "rootcoord-1", "querynode-3" */
	char *role;			/* "etcd", "rootcoord", "standalone", ... */
	char *ip;			/* "127.77.0.10" */
	bool active_standby;		/* coordinators only */
	/* state, kept by the supervisor */
	pid_t pid;			/* 0 when not running */
	enum lab_state state;
	int restarts;
	char *last_exit;		/* "exit 1", "signal 9", NULL before the first exit */
	char *hostname;			/* "rootcoord-1-x7k2p"; changes on every restart */
	int64_t started_ms;		/* wall clock of the last start, 0 if none */
};

/* What `lab up` asks for; the plan is computed from it. */
struct lab_opts {
	const char *name;		/* "default" */
	const char *subnet;		/* "127.77.0.0/24" */
	const char *milvus;		/* "2.4", "2.5", "2.6" */
	bool standalone;
	bool no_standby;
	int n_etcd;			/* 1 or 3 */
	int ttl;			/* session TTL, seconds */
	int64_t backoff_ms;		/* first restart delay */
	const char *labd;		/* milvusadm-labd to run */
	const char *etcd;		/* etcd binary */
	int extra_workers;		/* extra querynode/datanode sessions (large-lab
					   benchmark), 0 = none; see labd-extra.c */
	int extra_churn;		/* restarts of extra workers after they are all
					   registered (delete + new session), 0 = none */
	bool backup;			/* run a milvus-backup server (member backup-1) */
	const char *backup_version;	/* "0.5" or "0.6" (NULL: "0.6") */
};

/* A lab: the plan plus, once read from state.json, the members' state. */
struct lab {
	char *name;
	char *dir;			/* $XDG_STATE_HOME/milvusadm/lab/<name> */
	char *subnet;			/* "127.77.0.0/24" */
	char *net;			/* "127.77.0", the first three octets */
	char *milvus;
	char *root;			/* etcd root path, "by-dev" */
	bool standalone;
	bool standby;
	int ttl;
	int64_t backoff_ms;
	char *labd;
	char *etcd;
	pid_t supervisor_pid;		/* from state.json, 0 if unknown */
	int extra_workers;		/* sessions the extra-workers member registers */
	int extra_churn;		/* worker restarts it performs after that */
	char *backup_version;		/* "0.5" or "0.6": what the backup member plays */
	struct lab_member *members;
	size_t n_members;
};

#define LAB_BACKOFF_MAX_MS	30000
#define LAB_BACKOFF_RESET_MS	60000
#define LAB_STOP_TIMEOUT_MS	5000
#define LAB_ETCD_CLIENT_PORT	2379
#define LAB_ETCD_PEER_PORT	2380
#define LAB_METRICS_PORT	9091
#define LAB_PROXY_PORT		19530
/* Extra worker sessions: at most this many, LAB_EXTRA_PER_NET addresses in each
 * /24 after the lab's own (127.A.B+1.2, ...), one lease per LAB_EXTRA_PER_LEASE. */
#define LAB_EXTRA_MAX		10000
#define LAB_EXTRA_PER_NET	250
#define LAB_EXTRA_PER_LEASE	100
#define LAB_EXTRA_ROLE		"extra-workers"
/* At most this many restarts (history churn) of the extra workers. */
#define LAB_EXTRA_CHURN_MAX	100000
/* The milvus-backup server: one member, on host .8 of the lab's /24, on the
 * real server's port, with its bucket in LABDIR/minio/a-bucket (Milvus's
 * rows under "files", backups under "backup", as backup.yaml's defaults). */
#define LAB_BACKUP_ROLE		"backup"
#define LAB_BACKUP_HOST		8
#define LAB_BACKUP_PORT		8080
#define LAB_BUCKET_DIR		"minio/a-bucket"
/* The backup member's lab-only switches (milvusadm-labd(8)): LABDIR/<member>.faults. */
#define LAB_FAULTS_SUFFIX	".faults"
/* common.security.adminAuthEnabled in a lab: while LABDIR/admin-auth holds
 * "user:password", every component wants that root's basic auth where Milvus
 * does (milvusadm-labd(8) --admin-auth-file). */
#define LAB_ADMIN_AUTH_FILE	"admin-auth"

/* Check "127.A.B.0/24" (only loopback /24s are allowed); fills net with "127.A.B". */
int lab_parse_subnet(const char *subnet, char *net, size_t netlen, char *err, size_t errlen);
/* Check a lab name: letters, digits, '-', '_', at most 32. */
int lab_check_name(const char *name, char *err, size_t errlen);
/* $XDG_STATE_HOME/milvusadm/lab/<name> (falling back to ~/.local/state). Caller frees. */
char *lab_dir_path(const char *name);

/* The address of extra worker i of a lab whose net is "127.A.B"; -1 when it
 * would leave 127.A.255. */
int lab_extra_ip(const char *net, int i, char *ip, size_t iplen);
/* Build the plan for opts into a new lab; NULL with err on a bad option. */
struct lab *lab_plan(const struct lab_opts *opts, char *err, size_t errlen);
void lab_free(struct lab *lab);

/* lab.json: write the plan, read it back (dir is the lab's directory). */
int lab_write_plan(const struct lab *lab, char *err, size_t errlen);
struct lab *lab_read_plan(const char *dir, char *err, size_t errlen);
/* state.json: written atomically (temp file + rename); reading it overlays the
 * state of members found by name onto lab. */
int lab_write_state(const struct lab *lab, char *err, size_t errlen);
int lab_read_state(struct lab *lab, char *err, size_t errlen);

struct lab_member *lab_member_find(struct lab *lab, const char *name);
/* Client URLs of the etcd members, NULL-terminated; free with lab_strv_free. */
char **lab_etcd_endpoints(const struct lab *lab);
void lab_strv_free(char **v);
/* How many session keys of role a ready lab has (<role>-<id> keys), and whether it
 * must have the bare active key of role. Roles not in the plan give 0/false. */
int lab_expected_sessions(const struct lab *lab, const char *role, bool *active_key);
/* The roles lab_expected_sessions knows for this lab, NULL-terminated, static. */
const char *const *lab_session_roles(const struct lab *lab);

const char *lab_state_name(enum lab_state s);
/* Write text to path through PATH.tmp.PID and rename(2): readers never see half. */
int lab_write_atomic(const char *path, const char *text, char *err, size_t errlen);
/* The lab's own files: LABDIR/lab.json, state.json, supervisor.pid, supervisor.log,
 * logs/<member>.log, etcd data in <member>.etcd. Caller frees. */
char *lab_path(const struct lab *lab, const char *file);
/* pid of the running supervisor from supervisor.pid, or 0 if none is alive. */
pid_t lab_supervisor_pid(const char *dir);
/* Is pid alive and one of this lab's processes (its command line names dir)? */
bool lab_pid_is_ours(pid_t pid, const char *dir);
/* /proc/PID/NAME ("cmdline", "status") into buf, NUL-terminated (a cmdline
 * keeps its inner NULs): the bytes read, 0 when it cannot be read. */
size_t lab_proc_read(pid_t pid, const char *name, char *buf, size_t len);

/*
 * Start requests (`milvusadm lab start`, lab-request.c): LABDIR/start.MEMBER holds
 * the member's name. The supervisor, woken by SIGUSR1, takes every request: a
 * member waiting out its back-off (or not started yet) is started at once.
 */
#define LAB_START_REQUEST_PREFIX	"start."
/* LABDIR/start.MEMBER. Caller frees. */
char *lab_start_request_path(const struct lab *lab, const char *member);
/* Leave a request to start member (written atomically; one per member). */
int lab_start_request_write(const struct lab *lab, const char *member, char *err,
    size_t errlen);
/* Take the request for member: 1 if there was one, 0 if none, -1 if the file
 * did not name member (it is removed all the same). */
int lab_start_request_take(const struct lab *lab, const char *member);
/* Does a /proc/PID/status text say signo is caught (its SigCgt mask)? */
bool lab_status_catches(const char *status, int signo);
/* Does process pid catch signo (a handler, not the default action)? false when
 * it cannot be told, so that a signal whose default kills is never sent blind. */
bool lab_pid_catches(pid_t pid, int signo);

/*
 * LABDIR/events.log, the lab's ground truth for drills (milvusadm-labd(8)): one
 * line per event, "<RFC 3339 UTC with ms> <member> <event> key=value ...", e.g.
 * "2026-11-27T10:35:43.123Z rootcoord-2 active-gained role=rootcoord server_id=7
 * revision=42". Values are single tokens (no spaces).
 */
#define LAB_EVENTS_FILE		"events.log"
#define LAB_EVENT_LINE_MAX	1024
/* Append one event line to path, timestamped now, with a single write(2) on an
 * O_APPEND descriptor so lines of concurrent writers never interleave. fmt
 * (may be NULL) gives the key=value fields; a NULL or empty path does nothing.
 * Control characters become '?', and a line is cut at LAB_EVENT_LINE_MAX. */
int lab_event_append(const char *path, const char *member, const char *event,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int lab_event_vappend(const char *path, const char *member, const char *event,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

#endif
