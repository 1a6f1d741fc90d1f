/* SPDX-License-Identifier: MIT */
/* The Kubernetes API objects the drill reads and writes: a Pod (get / list
 * items), a Status error, and the DeleteOptions body, converted to and from
 * plain structs here so that cJSON stays in the client layer. */
#ifndef MILVUSADM_K8S_H
#define MILVUSADM_K8S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most labels and containers kept from one pod; more fail the parse. */
#define K8S_MAX_LABELS		256
#define K8S_MAX_CONTAINERS	64
#define K8S_MAX_ITEMS		5000

struct k8s_label {
	char *key;
	char *value;
};

struct k8s_container_status {
	char *name;
	bool ready;
	int64_t restart_count;
	int64_t last_exit_code;		/* lastState.terminated.exitCode, -1 if none */
};

/* One pod. Owns every string; release with k8s_pod_release. */
struct k8s_pod {
	char *name;
	char *namespace;
	char *uid;
	char *phase;			/* "Running", ...; "" when absent */
	char *pod_ip;			/* NULL when absent */
	char *node_name;
	bool deleting;			/* metadata.deletionTimestamp set */
	struct k8s_label *labels;
	size_t n_labels;
	struct k8s_container_status *containers;
	size_t n_containers;
	int64_t restarts;		/* sum of containerStatuses[].restartCount */
};

/* A Pod object (GET .../pods/NAME). 0, or -1 with a reason; nothing to free on -1. */
int k8s_pod_parse(const char *body, size_t len, struct k8s_pod *out, char *err, size_t errlen);
/* A PodList (GET .../pods?labelSelector=...): items into *out (caller releases
 * each and frees the array). */
int k8s_pod_list_parse(const char *body, size_t len, struct k8s_pod **out, size_t *n,
    char *err, size_t errlen);
void k8s_pod_release(struct k8s_pod *p);
/* The value of label key, or NULL. */
const char *k8s_pod_label(const struct k8s_pod *p, const char *key);

/* The message of a Status error body ({"kind":"Status","message":...}), as one
 * bounded line; NULL when body is not a Status. Caller frees. */
char *k8s_status_message(const char *body, size_t len);

/* The DeleteOptions JSON the drill sends: explicit grace period and a uid
 * precondition. Caller frees. */
char *k8s_delete_options(int64_t grace_seconds, const char *uid);

/* A DNS-1123 name (pods, namespaces): lowercase alphanumerics, '-' and '.',
 * at most 253 characters, alphanumeric at both ends. Safe in a URL path. */
bool k8s_name_valid(const char *s);

#endif
