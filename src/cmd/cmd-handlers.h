/* SPDX-License-Identifier: MIT */
/* Handlers of the command table (src/cmd/cmd-table.c), one file per family. */
#ifndef MILVUSADM_CMD_HANDLERS_H
#define MILVUSADM_CMD_HANDLERS_H

#include "milvusadm/cmd.h"

/* The table itself, terminated by an entry with a NULL name. */
extern const struct cmd_entry cmd_entries[];

int cmd_help(struct cmd_ctx *, int, char **);
int cmd_version(struct cmd_ctx *, int, char **);

int cmd_lab_up(struct cmd_ctx *, int, char **);
int cmd_lab_down(struct cmd_ctx *, int, char **);
int cmd_lab_status(struct cmd_ctx *, int, char **);
int cmd_lab_kill(struct cmd_ctx *, int, char **);
int cmd_lab_restart(struct cmd_ctx *, int, char **);
int cmd_watch(struct cmd_ctx *, int, char **);

#endif
