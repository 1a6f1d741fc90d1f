/* SPDX-License-Identifier: MIT */
/* What the `milvusadm lab` verbs share: their options, the lab they name, a wait. */
#ifndef MILVUSADM_CMD_LAB_H
#define MILVUSADM_CMD_LAB_H

#include <stdbool.h>
#include <stdint.h>

#include "milvusadm/cmd.h"
#include "milvusadm/lab.h"

/* Options shared by the lab verbs; strings point into argv. */
struct lab_args {
	const char *name;
	const char *output;		/* "json" or NULL */
	const char *signal;
	int64_t timeout_ms;
	const char *member;		/* positional NAME of kill/restart/start */
	bool subnet_set, etcd_set;	/* given on the command line */
	char subnet_buf[32];		/* a stopped lab's subnet, reused */
	struct lab_opts up;
};

/* Parse argv of one verb (positional: it takes a member NAME); returns CMD_OK,
 * or CMD_USAGE after saying why. */
int lab_parse(struct cmd_ctx *ctx, int argc, char **argv, struct lab_args *a,
    bool positional);
/* Open the lab called name: its plan and, when present, its state. NULL (said
 * unless quiet) when it does not exist. */
struct lab *lab_open(struct cmd_ctx *ctx, const char *name, bool quiet);
/* Let the loop run for ms (timers and transfers go on meanwhile). */
void lab_sleep(struct cmd_ctx *ctx, int64_t ms);

#endif
