/* SPDX-License-Identifier: MIT */
/* What the fault backends share (fault.c): a result reported from the loop
 * rather than inside the call that produced it, as every backend promises,
 * and the callback `plan` uses to keep an error. */
#ifndef MILVUSADM_FAULT_INT_H
#define MILVUSADM_FAULT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/fault.h"

struct loop;
struct docker_inspect;
struct k8s_pod;

/* One result waiting for the next loop pass. */
struct fault_later {
	struct loop *loop;
	uint64_t timer;			/* 0: nothing waits */
	fault_cb cb;
	void *arg;
	struct fault_result res;	/* what cb gets */
};

/* cb(&fl->res, arg) on the next loop pass; the caller filled fl->res (use
 * fault_later_fail for an error). */
void fault_later_post(struct fault_later *fl, struct loop *l, fault_cb cb, void *arg);
/* An error result with fl->res.errmsg as given (may be fl->res.errmsg itself). */
void fault_later_fail(struct fault_later *fl, struct loop *l, fault_cb cb, void *arg,
    const char *errmsg);
void fault_later_cancel(struct fault_later *fl);

/* For plan, which runs a backend's lookups synchronously: a fault_cb that
 * keeps the error message of a failed result in *(char **)arg. */
void fault_keep_error(const struct fault_result *res, void *arg);

/* How a target's process last ended, as fault_restarts.last_exit says it
 * ("exit 80"), from what a real backend exposes (contracts/fault-backends.md):
 * docker's State.ExitCode of a container that is not running (a running one
 * reads 0 whatever ended before), and k8s's lastState.terminated.exitCode of
 * the pod's first container that has one. "" (false) when unknown. */
bool fault_docker_last_exit(const struct docker_inspect *c, char *out, size_t outlen);
bool fault_k8s_last_exit(const struct k8s_pod *pod, char *out, size_t outlen);

#endif
