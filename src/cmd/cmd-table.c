/* SPDX-License-Identifier: MIT */
/* The one command table: every command of every mode is an entry here. Help,
 * completion, the man page check and key bindings all read it. */
#include <stddef.h>

#include "milvusadm/cmd.h"
#include "cmd-handlers.h"

const struct cmd_entry cmd_entries[] = {
	{ "help", NULL, "[COMMAND]", "list the commands, or show one command's usage",
	    0, cmd_help },
	{ "lab up", NULL, "[--name NAME] [--subnet 127.A.B.0/24] [--milvus 2.4|2.5|2.6] "
	    "[--standalone] [--no-standby] [--etcd 1|3] [--ttl S] [--backoff DURATION] "
	    "[--timeout DURATION]",
	    "start a local practice cluster and wait until it is ready",
	    CMD_MUTATES | CMD_LONG, cmd_lab_up },
	{ "lab down", NULL, "[--name NAME]", "stop the lab and every process it started",
	    CMD_MUTATES | CMD_LONG, cmd_lab_down },
	{ "lab status", NULL, "[--name NAME] [-o json]",
	    "show each lab member's address, pid and state", 0, cmd_lab_status },
	{ "lab kill", NULL, "NAME [--name LAB] [--signal KILL|TERM|INT|STOP|CONT]",
	    "send a signal to one lab member (the supervisor restarts it)",
	    CMD_MUTATES, cmd_lab_kill },
	{ "lab restart", NULL, "NAME [--name LAB] [--timeout DURATION]",
	    "stop one lab member gracefully and wait until it is back",
	    CMD_MUTATES | CMD_LONG, cmd_lab_restart },
	{ "version", NULL, "", "print the version", 0, cmd_version },
	{ "watch", NULL, "[--once]", "show the cluster's components every second",
	    CMD_NEEDS_ETCD, cmd_watch },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};
