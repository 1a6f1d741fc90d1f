/* SPDX-License-Identifier: MIT */
/* Fault-injection backends for drills: one struct of operations per backend
 * (etcd-lease, stop, k8s, docker, exec, lab), chosen per profile or per run.
 * Each can say what it would do (plan) before doing it (inject), and does its
 * work asynchronously on the loop. Facts: contracts/fault-backends.md. */
#ifndef MILVUSADM_FAULT_H
#define MILVUSADM_FAULT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct loop;
struct profile;
struct etcd;

/* What a drill aims at, resolved from the model before INJECT. Strings owned by
 * the caller and valid for the whole drill. */
struct fault_target {
	const char *kind;		/* "coordinator", "worker", "etcd-member" */
	const char *role;		/* "rootcoord", "querynode", "etcd" */
	int64_t server_id;		/* 0 for etcd members */
	const char *address;		/* session Address "ip:port" (or etcd client URL) */
	const char *host;		/* IP of address */
	const char *host_name;		/* session HostName: pod name / container hostname */
	int64_t lease_id;		/* the session's lease (etcd-lease backend) */
	int metrics_port;		/* 9091 */
	uint64_t etcd_member_id;	/* etcd-member targets */
	const char *etcd_member_name;
	const char *version;		/* session Version ("2.5.4"), may be NULL */
};

/* Outcome of inject (and of the optional restore). */
struct fault_result {
	int err;			/* 0 ok */
	char errmsg[256];
	int64_t injected_ms;		/* wall clock when the fault took effect (request answered) */
	char detail[256];		/* what was done, one line */
};
typedef void (*fault_cb)(const struct fault_result *res, void *arg);

/* Restarts of what the target runs in (when the backend can know). */
struct fault_restarts {
	int err;			/* 0 ok */
	char errmsg[256];
	int64_t count;			/* restarts counted, -1 unknown */
	/* What was counted, one line: "restartCount of 2 pods
	 * app.kubernetes.io/instance=r,component=querynode", "RestartCount of
	 * container 'milvus-standalone' (3f2a...)", "lab supervisor restarts of
	 * querynode-1". Set on success; may be set on error too. */
	char what[160];
	/* How the target's process last ended where the backend records it
	 * (the lab's state file: "exit 80", "signal 9"); "" unknown. */
	char last_exit[32];
};
typedef void (*fault_restarts_cb)(const struct fault_restarts *r, void *arg);

struct fault_backend;

struct fault_ops {
	const char *name;		/* "etcd-lease", "stop", "k8s", "docker", "exec", "lab" */
	/* Settings from the profile and per-run options ("signal=TERM", "grace=0"),
	 * validated; NULL with err on bad settings. */
	struct fault_backend *(*open)(struct loop *l, const struct profile *p, struct etcd *e,
	    const char *const *options, char *err, size_t errlen);
	void (*close)(struct fault_backend *b);
	/* One or more lines: exactly what inject will do (drill plan). */
	int (*plan)(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen);
	/* Do it; cb once, from the loop. */
	int (*inject)(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg);
	/* Undo what can be undone (docker start without a restart policy), or NULL. */
	int (*restore)(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg);
	/*
	 * How often what the target runs in has restarted, or NULL when the
	 * backend cannot know (etcd-lease, stop, exec). Counts for the drill
	 * report, read before inject and after recovery. cb once, always from
	 * the loop (never inside the call), with err 0 and count >= 0, or err -1
	 * with errmsg and count -1. Returns 0 when cb will come, -1 when it
	 * will not (a restarts request is already pending on this backend).
	 * May overlap with inject or restore; close cancels it without cb.
	 */
	int (*restarts)(struct fault_backend *b, const struct fault_target *t,
	    fault_restarts_cb cb, void *arg);
};

/* The backends, one file each in src/ops/ (fault-<name>.c). */
extern const struct fault_ops fault_lease_ops;	/* "etcd-lease" */
extern const struct fault_ops fault_stop_ops;	/* "stop" */
extern const struct fault_ops fault_lab_ops;	/* "lab" */
extern const struct fault_ops fault_k8s_ops;	/* "k8s" */
extern const struct fault_ops fault_docker_ops;	/* "docker" */
extern const struct fault_ops fault_exec_ops;	/* "exec" */

/* The backends, NULL-terminated; and lookup by name. */
const struct fault_ops *const *fault_backends(void);
const struct fault_ops *fault_backend_find(const char *name);

/* The value of "key=value" in a NULL-terminated options list (NULL list ok), or
 * NULL when absent. For backends parsing their per-run options. */
const char *fault_option(const char *const *options, const char *key);

#endif
