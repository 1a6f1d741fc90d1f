/* SPDX-License-Identifier: MIT */
/* milvusadm-labd internals: version profiles, roles, session records, and the
 * process that hosts simulated Milvus components (contract §1-§4). */
#ifndef MILVUSADM_LAB_LABD_H
#define MILVUSADM_LAB_LABD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "milvusadm/buf.h"

struct loop;
struct etcd;
struct etcd_watch;

/* How /healthz words an unhealthy state (§4.2). */
enum labd_healthz_style {
	LABD_HEALTHZ_23,	/* "component <name> state is <StateName>" */
	LABD_HEALTHZ_24,	/* "Not all components are healthy, h/t" */
};

/* One Milvus release line as the lab plays it; every behaviour that differs
 * between versions is a flag here, never a version comparison in the code. */
struct labd_version {
	const char *name;		/* "2.5", as given to --milvus */
	const char *semver;		/* "2.5.27", the session Version */
	int major, minor, patch;
	int real_ttl;			/* common.session.ttl shipped in milvus.yaml (§2.5) */
	bool split_coords;		/* rootcoord/querycoord/datacoord (≤2.5) vs mixcoord (2.6) */
	bool indexcoord_session;	/* datacoord also registers indexcoord (≤2.5) */
	bool indexnode;			/* indexnode role exists (≤2.5) */
	bool indexnode_stopping;	/* indexnode has a Stopping phase (≤2.4) */
	bool streamingnode;		/* streamingnode role + embedded querynode (2.6) */
	bool fence_on_delete;		/* own-key DELETE => exit(1) (≤2.6.6) */
	bool lease_exit;		/* TimeToLive-based exit, no own-key watch (2.6.7+) */
	bool handle_restart;		/* register retries delete a same-address older key (≤2.6.7) */
	bool mix_legacy;		/* 2.6.8+: legacy keys, session/version, polled election,
					 * active-standby forced, standby aborts on errors */
	int mixcoord_port;		/* 53100 (2.6.0-2.6.7) or 22125 (2.6.8+) */
	bool scalar_index;		/* ScalarIndexEngineVersion present (late 2.5, 2.6) */
	bool index_non_encoding;	/* querynode IndexNonEncoding:true (late 2.5, 2.6) */
	bool index_max;			/* IndexEngineVersion has MaximumIndexVersion (2.6) */
	bool server_labels;		/* ServerLabels exists (2.5+) */
	bool labels_all_roles;		/* 2.6 label env rules (all roles, ROLE_ prefixes) */
	bool enable_disk;		/* indexnode EnableDisk (2.3, 2.4, early 2.5) */
	bool management;		/* /management/stop, /check/ready (2.4+) */
	bool livez;			/* /livez (2.6.7+) */
	bool rest_v2;			/* REST v2 on 19530 (2.4+; 2.3 has only v1) */
	bool rest_databases;		/* v2 databases/ routes (2.5+, §5.3) */
	bool webui;			/* /api/v1/_qc/... WebUI routes on 9091 (2.5+) */
	bool drop_alias_check;		/* drop refused while aliases exist (2.5.5+, §6.2) */
	bool force_deny_ddl;		/* database.force.deny.ddl / .collectionDDL enforced
					 * (2.4.24+, 2.5.8+, 2.6; §6.0, §6.2) */
	bool privilege_groups;		/* RBAC v2: grant_privilege_v2, privilege_groups/,
					 * the built-in groups (2.5+, §5.5) */
	bool drop_deletes_grants;	/* a collection's drop deletes its grants (2.6, §6.0) */
	bool no_trigger_kill;		/* session JSON without TriggerKill (3.x source, §10) */
	bool no_api_v1_legacy;		/* the legacy /api/v1 proto-JSON routes (replicas, health)
					 * are gone from 9091 (3.0.3+, §10) */
	int lease_lost_exit;		/* exit status when the lease is confirmed lost:
					 * 1 (§2.6), 80 on 3.x (§10) */
	enum labd_healthz_style healthz;
	int32_t qn_index_min, qn_index_cur, qn_index_max;	/* querynode IndexEngineVersion */
	int32_t qn_scalar_min, qn_scalar_cur, qn_scalar_max;	/* querynode ScalarIndexEngineVersion */
};

/* Look a profile up by "2.3".."2.6", "3.0" (or its semver); NULL if unknown. */
const struct labd_version *labd_version_find(const char *name);
/* All profiles, for tests and usage text; *n gets the count. */
const struct labd_version *labd_version_all(size_t *n);

enum labd_role {
	LABD_ROOTCOORD,
	LABD_QUERYCOORD,
	LABD_DATACOORD,
	LABD_INDEXCOORD,
	LABD_MIXCOORD,
	LABD_PROXY,
	LABD_QUERYNODE,
	LABD_DATANODE,
	LABD_INDEXNODE,
	LABD_STREAMINGNODE,
	LABD_STANDALONE,
	LABD_NROLES
};

/* The role string Milvus uses (ServerName, healthz indicator, key prefix). */
const char *labd_role_name(enum labd_role r);
/* Parse a role string; -1 if unknown. */
int labd_role_parse(const char *s);
/* Whether the role exists as a process/component in this version. */
bool labd_role_valid(enum labd_role r, const struct labd_version *v);
bool labd_role_exclusive(enum labd_role r);
/* The gRPC port published in Address (§3); proxy gives its internal 19529. */
int labd_role_port(enum labd_role r, const struct labd_version *v);
/* Shutdown phase (cmd/roles/roles.go): 0 coordinators, 1 nodes, 2 proxy. */
int labd_role_stop_phase(enum labd_role r);
/* Whether graceful stop first puts Stopping:true and drains (§2.7). */
bool labd_role_drains(enum labd_role r, const struct labd_version *v);

/* One ServerLabels entry. */
struct labd_label {
	char name[64];
	char value[128];
};
#define LABD_MAX_LABELS 8

/* Everything one session value holds (SessionRaw, §1.5). Zero fields that are
 * omitempty are left out of the JSON. */
struct labd_session_info {
	int64_t server_id;
	char server_name[32];
	char address[64];
	bool exclusive;
	bool stopping;
	char version[32];
	bool no_trigger_kill;		/* 3.x: the field does not exist (§10) */
	int32_t idx_min, idx_cur, idx_max;
	bool has_scalar;
	int32_t sc_min, sc_cur, sc_max;
	bool index_non_encoding;
	int64_t lease_id;
	char host_name[256];
	bool enable_disk;
	struct labd_label labels[LABD_MAX_LABELS];
	size_t n_labels;
};

/* Fill info for role as version v would register it (lease_id left 0).
 * ip is the bare address; labels come from the MILVUS_SERVER_LABEL_* variables
 * in envp (NULL-terminated, may be NULL) plus embedded=true adds 2.6's
 * STREAMING-EMBEDDED label of a querynode inside a streamingnode. */
void labd_session_describe(struct labd_session_info *info, const struct labd_version *v,
    enum labd_role role, int64_t server_id, const char *ip, const char *host,
    char *const *envp, bool embedded);
/* Append the session JSON exactly as Go's encoding/json or sonic would write it. */
void labd_session_json(struct buf *b, const struct labd_session_info *info);
/* Append s as a JSON string the way Go escapes it (HTML-safe: <, >, & as \u00XX). */
void labd_json_str(struct buf *b, const char *s);

/* Component state codes (milvus-proto StateCode, §4.2). */
enum labd_state {
	LABD_ST_INITIALIZING = 0,
	LABD_ST_HEALTHY = 1,
	LABD_ST_ABNORMAL = 2,
	LABD_ST_STANDBY = 3,
	LABD_ST_STOPPING = 4,
};
const char *labd_state_name(enum labd_state s);

/* ---- the running process (labd.c, labd-session.c, labd-http.c) ---- */

struct labd;
struct labd_comp;
struct labd_http;
struct labd_http_req;
struct labd_qc;
struct labd_rest_job;
struct lstore;
struct lstore_ops;

/* One etcd session: a key (plus the active key for a coordinator) on its own lease. */
struct labd_sess {
	struct labd *d;
	struct labd_comp *comp;		/* the component whose state it drives */
	enum labd_role role;		/* ServerName */
	bool active_standby;		/* registered as <role>-<id> and elects */
	bool elects;			/* runs the election itself (not indexcoord) */
	bool fences;			/* liveness failure => exit(1) (not indexcoord) */
	bool embedded;			/* querynode inside a 2.6 streamingnode */
	struct labd_session_info info;
	char key[256];			/* the instance key (complete key) */
	char active_key[256];		/* <root>/meta/session/<role> */
	int64_t lease;
	int64_t ttl;
	bool registered;
	bool active;			/* holds the active key (or bare key without active-standby) */
	bool stopping;			/* we are revoking; ignore liveness */
	bool revoked;
	int register_tries;
	unsigned int elect_errors;	/* to log only some of a run of election errors */
	int64_t last_ka_ok;		/* monotonic ms of the last good keepalive */
	int64_t ka_backoff;
	int64_t elect_rev;		/* header revision of the last failed election txn */
	int poll_step;			/* 2.6.8+ election: which legacy prefix is being listed */
	int64_t version_ver;		/* 2.6.8+: etcd Version of session/version as last read */
	uint64_t ka_timer;
	uint64_t retry_timer;
	struct etcd_watch *elect_watch;
	struct etcd_watch *live_watch;
	void (*revoked_cb)(struct labd_sess *s);
};

/* One component: one /healthz indicator, its sessions and its metric. */
struct labd_comp {
	struct labd *d;
	enum labd_role role;
	enum labd_state state;
	bool stopped;			/* gone from /healthz (after a stop) */
	bool stop_started;
	bool counted;			/* milvus_num_node is 1 */
	bool ever_counted;		/* the series exists */
	struct labd_sess *sess[2];	/* main session, and datacoord's indexcoord */
	size_t n_sess;
	size_t pending_revokes;
	uint64_t drain_timer;
	void (*stopped_cb)(struct labd_comp *c);
	struct labd_http_req *stop_req;	/* a suspended /management/stop waiting */
};

#define LABD_MAX_COMPS 10

struct labd {
	struct loop *loop;
	struct etcd *etcd;
	const struct labd_version *v;
	enum labd_role role;		/* the process role */
	char ip[64];
	char root[128];			/* "by-dev" */
	char session_root[192];		/* "by-dev/meta/session/" */
	char host[256];
	int64_t ttl;
	int active_standby;		/* -1 default, 0 off, 1 on */
	int64_t drain_ms;
	int64_t server_id;
	void *idalloc;			/* the ServerID allocation in flight, freed on exit */
	struct labd_comp *comps[LABD_MAX_COMPS];
	size_t n_comps;
	struct labd_http *http9091;
	struct labd_http *http19530;
	struct labd_qc *qc;		/* the active querycoord's replica job, or NULL */
	const char *event_log;		/* --event-log PATH (argv), NULL for none */
	const char *storage;		/* --storage DIR: Milvus's object storage root
					 * ("files" in the lab's bucket), where a proxy
					 * writes the rows it is given; NULL: keep counts only */
	const char *admin_auth_file;	/* --admin-auth-file: adminAuthEnabled's root
					 * "user:password" while it exists (labd-http.c) */
	char member[64];		/* --member: the lab member name in event lines */
	int done;
	int exit_code;
	bool shutting_down;
	int stop_phase;
	uint64_t shutdown_timer;
};

/* labd-extra.c: `component --role extra-workers` (the large-lab benchmark). */
bool labd_extra_wanted(int argc, char **argv);
int labd_extra_main(int argc, char **argv);
/* labd-backup-main.c: `component --role backup` (a milvus-backup server). */
bool labd_backup_wanted(int argc, char **argv);
int labd_backup_main(int argc, char **argv);

/* labd-session.c */
/* Allocate the ServerID from the session/id counter (§1.3), then call cb. */
void labd_alloc_server_id(struct labd *d, void (*cb)(struct labd *d));
/* Grant, register, keep alive, elect (§2.2-§2.4). */
void labd_sess_start(struct labd_sess *s);
/* Put Stopping:true on the same lease (GoingStop, §2.7). */
void labd_sess_going_stop(struct labd_sess *s);
/* Stop liveness and election, revoke the lease; cb when etcd answered. */
void labd_sess_revoke(struct labd_sess *s, void (*cb)(struct labd_sess *s));
/* Self-fence: end the process with code 1 as Milvus's os.Exit(1) would; reason
 * is the one-word cause for the event log ("key-deleted"), why the log text. */
void labd_fence(struct labd *d, const char *reason, const char *why);
/* The same with the exit status the version uses for that cause. */
void labd_fence_code(struct labd *d, int code, const char *reason, const char *why);
/* Called by the session when its component becomes active/registered. */
void labd_comp_activated(struct labd_comp *c);

/* Shared by labd-session.c and labd-elect.c. */
/* The session JSON (current lease, Stopping) written as role as; caller frees. */
char *labd_sess_json(struct labd_sess *s, enum labd_role as, size_t *len);
/* Retry the step the session is in (grant, register, elect) after ms. */
void labd_sess_retry(struct labd_sess *s, int64_t ms);
/* The session won the election at revision rev: activate, start liveness. */
void labd_sess_became_active(struct labd_sess *s, int64_t rev);

/* labd-elect.c */
/* Run the version's election until the session holds the active key. */
void labd_elect(struct labd_sess *s);
/* DataCoord's ForceActiveStandby on its indexcoord session. */
void labd_force_active(struct labd_sess *s);

/* labd-http.c */
struct labd_http;
/* Serve the 9091 routes on ip:9091; NULL with err on failure. */
struct labd_http *labd_http_start_metrics(struct labd *d, char *err, size_t errlen);
/* Serve the proxy's REST port ip:19530. */
struct labd_http *labd_http_start_rest(struct labd *d, char *err, size_t errlen);
void labd_http_stop(struct labd_http *h);
/* Answer a /management/stop request that waited for its component to stop. */
void labd_http_stop_done(struct labd_http_req *r);

/* Answer a request with this response, copied: a suspended one (REST, app)
 * is resumed. ctype NULL sends no Content-Type (a crashed handler's 500). */
void labd_http_answer(struct labd_http_req *r, unsigned int status, const char *ctype,
    const char *body, size_t len);

/* A server of its own on ip:port (the backup server's 8080): fn gets every
 * request once its body is in, and answers it with labd_http_answer, at once
 * or later from the loop (the request waits suspended meanwhile). */
typedef void (*labd_http_app_fn)(struct labd_http_req *r, const char *method, const char *url,
    void *arg);
struct labd_http *labd_http_start_app(struct labd *d, int port, labd_http_app_fn fn, void *arg,
    char *err, size_t errlen);
/* A query parameter, decoded; "" when absent or empty (gin's c.Query). */
const char *labd_http_query(struct labd_http_req *r, const char *name);
bool labd_http_has_query(struct labd_http_req *r, const char *name);
/* A request header, NULL when absent. */
const char *labd_http_header(struct labd_http_req *r, const char *name);
/* The request body (never NULL; "" when empty). */
const char *labd_http_body(struct labd_http_req *r, size_t *len);
/* Call gone(arg) if the client leaves before the request is answered. */
void labd_http_on_gone(struct labd_http_req *r, void (*gone)(void *arg), void *arg);

/* labd-rest-io.c */
/* Read <root>/meta/ and the ID counter at one revision; s (NULL with err on
 * failure) is the callback's to free. */
typedef void (*labd_snap_cb)(struct labd *d, struct lstore *s, const char *err, void *arg);
void labd_snapshot(struct labd *d, labd_snap_cb cb, void *arg);
/* Commit ops as one txn: rc 0 done, 1 a compare failed (re-read), -1 error. */
typedef void (*labd_commit_cb)(struct labd *d, int rc, const char *err, void *arg);
void labd_commit(struct labd *d, const struct lstore_ops *ops, labd_commit_cb cb, void *arg);
/* Serve url (/v2/vectordb/..., /api/v1/replicas, /api/v1/_qc/replica) from
 * the catalog; answers req through labd_http_answer. */
struct labd_rest_job *labd_rest_start(struct labd *d, struct labd_http_req *req,
    const char *url, const char *body, size_t len, const char *db_header);
/* The request went away: the job finishes without answering. */
void labd_rest_detach(struct labd_rest_job *j);

/* labd-replica.c */
/* A component became active: rootcoord writes the default database,
 * querycoord (mixcoord) starts assigning replicas. */
void labd_duties_start(struct labd_comp *c);
/* The component stops (or the process ends): stop its duties. */
void labd_duties_stop(struct labd_comp *c);

/* labd.c */
/* Append an event line to --event-log (lab_event_append) as this member. */
void labd_event(struct labd *d, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The active key was lost (session s held it): log active-lost with reason. */
void labd_event_active_lost(struct labd_sess *s, const char *reason);
/* Stop one component (graceful, §2.7); cb when its leases are revoked. */
void labd_comp_stop(struct labd_comp *c, void (*cb)(struct labd_comp *c));
struct labd_comp *labd_comp_find(struct labd *d, const char *role);

#endif
