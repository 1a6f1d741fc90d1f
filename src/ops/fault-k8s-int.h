/* SPDX-License-Identifier: MIT */
/* Between fault-k8s.c (the pod delete) and fault-k8s-count.c (the restarts of
 * the target's role): the backend's state and the request helpers both use. */
#ifndef MILVUSADM_FAULT_K8S_INT_H
#define MILVUSADM_FAULT_K8S_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/fault.h"
#include "fault-int.h"

struct http_opts;
struct http_resp;
struct k8s_pod;

/* A pod object with all its status is a few KiB; a list is bounded by items. */
#define K8S_MAX_BODY	(4u * 1024 * 1024)

struct fault_backend {
	struct loop *loop;
	struct kube_auth *auth;
	char *namespace;
	char *release;			/* NULL: the instance label is not checked */
	int64_t grace;			/* seconds, always sent */
	bool check_labels;
	long timeout_ms;
	struct k8s_op *op;		/* the one request chain in flight */
	struct fault_later later;	/* a failure waiting to be reported */
	struct k8s_count *count;	/* the restarts request chain in flight */
	/* The target pod's role selector, learnt from its labels: after the
	 * drill that pod is gone, but its role's pods are still what to count. */
	char *count_pod;
	char *count_sel;
};

/* Options for a request to url with the backend's credentials and bounds. */
void k8s_fault_http_opts(struct fault_backend *b, struct http_opts *o, const char *url);
/* One line for an HTTP failure on pod (NULL: the role's pod list). */
void k8s_fault_http_error(struct fault_backend *b, const char *pod, const struct http_resp *r,
    const char *what, char *out, size_t outlen);
/* The Helm or Operator labels of pod fit t and the release; which matched into scheme. */
int k8s_fault_check_labels(struct fault_backend *b, const struct fault_target *t,
    const struct k8s_pod *pod, char *scheme, size_t slen, char *err, size_t errlen);
/* The pod a target runs in (may be NULL or invalid: check it). */
const char *k8s_fault_target_pod(const struct fault_target *t);

/* fault_ops.restarts of the k8s backend; and what close does with it. */
int k8s_fault_restarts(struct fault_backend *b, const struct fault_target *t,
    fault_restarts_cb cb, void *arg);
void k8s_fault_count_cancel(struct fault_backend *b);

#endif
