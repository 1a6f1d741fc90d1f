/* SPDX-License-Identifier: MIT */
/* What the lab fault backend needs of a lab, kept with the lab's own files
 * (src/lab/lab-target.c): the member at an address, its process, restarts and
 * last exit as the supervisor records them, and a signal sent to it the way
 * `milvusadm lab kill` sends one. src/ops sees only this interface, never the
 * lab's plan or state files. */
#ifndef MILVUSADM_LAB_TARGET_H
#define MILVUSADM_LAB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One member as the lab's supervisor last recorded it. */
struct lab_target {
	char lab[64];			/* lab name */
	char member[64];		/* "mixcoord-1" */
	char ip[64];			/* its address */
	pid_t pid;			/* 0 when not running */
	int restarts;			/* the supervisor's restarts of it */
	char last_exit[32];		/* "exit 80", "signal 9", "" before the first exit */
	int ttl;			/* the lab's session TTL, seconds */
};

/* Is there a lab `name` with a readable plan? 0, or -1 with err. */
int lab_target_check(const char *name, char *err, size_t errlen);
/* The member of lab `name` whose address is ip, as recorded now: 0, or -1
 * with err (no such lab, no member at ip). */
int lab_target_find(const char *name, const char *ip, struct lab_target *t, char *err,
    size_t errlen);
/* Send signo to t's process (its supervisor must run and the pid be the lab's
 * own), then log "<member> killed signal=N by=BY pid=P" in the lab's events.log
 * (the drill's ground truth). 0, or -1 with err. */
int lab_target_signal(const char *name, const struct lab_target *t, int signo, const char *by,
    char *err, size_t errlen);

#endif
