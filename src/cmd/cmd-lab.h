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
	const char *name;		/* --name, or the lab lab_find picked */
	char name_buf[64];		/* the name lab_find picked */
	const char *output;		/* "json" or NULL */
	const char *signal;
	int64_t timeout_ms;
	const char *member;		/* positional NAME of kill/restart/start */
	bool subnet_set, etcd_set;	/* given on the command line */
	char subnet_buf[32];		/* a stopped lab's subnet, reused */
	struct lab_opts up;
};

/* Parse argv of one verb (positional: it takes a member NAME) and, without
 * --name, pick the lab (lab_find; "default" for lab up); returns CMD_OK, or
 * the exit code after saying why. */
int lab_parse(struct cmd_ctx *ctx, int argc, char **argv, struct lab_args *a,
    bool positional);
/* Open the lab called name: its plan and, when present, its state. NULL (said
 * unless quiet) when it does not exist. */
struct lab *lab_open(struct cmd_ctx *ctx, const char *name, bool quiet);
/* Without --name: the lab behind -p or the config's default profile (lab
 * "default" is profile "lab", lab NAME "lab-NAME"), else the only running
 * lab, else the stopped profile's lab. CMD_OK with a->name set; CMD_USAGE
 * naming the labs when several run; CMD_FAILED when none runs. */
int lab_find(struct cmd_ctx *ctx, struct lab_args *a);
/* The labs under the state dir (only those whose supervisor is alive when
 * running), sorted by name, NULL-terminated; *n set. Free with lab_strv_free. */
char **lab_find_names(bool running, size_t *n);
/* Let the loop run for ms (timers and transfers go on meanwhile). */
void lab_sleep(struct cmd_ctx *ctx, int64_t ms);

#endif
