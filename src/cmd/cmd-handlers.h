/* SPDX-License-Identifier: MIT */
/* Handlers of the command table (src/cmd/cmd-table.c), one file per family. */
#ifndef MILVUSADM_CMD_HANDLERS_H
#define MILVUSADM_CMD_HANDLERS_H

#include "milvusadm/cmd.h"

/* The table itself, terminated by an entry with a NULL name. */
extern const struct cmd_entry cmd_entries[];

int cmd_help(struct cmd_ctx *, int, char **);
int cmd_version(struct cmd_ctx *, int, char **);
int cmd_shell(struct cmd_ctx *, int, char **);

int cmd_lab_up(struct cmd_ctx *, int, char **);
int cmd_lab_down(struct cmd_ctx *, int, char **);
int cmd_lab_status(struct cmd_ctx *, int, char **);
int cmd_lab_kill(struct cmd_ctx *, int, char **);
int cmd_lab_restart(struct cmd_ctx *, int, char **);
int cmd_lab_start(struct cmd_ctx *, int, char **);
int cmd_watch(struct cmd_ctx *, int, char **);
int cmd_topology(struct cmd_ctx *, int, char **);
int cmd_leaders(struct cmd_ctx *, int, char **);
int cmd_etcd(struct cmd_ctx *, int, char **);
int cmd_health(struct cmd_ctx *, int, char **);
int cmd_events(struct cmd_ctx *, int, char **);
int cmd_status(struct cmd_ctx *, int, char **);
int cmd_collections(struct cmd_ctx *, int, char **);
int cmd_replicas(struct cmd_ctx *, int, char **);
int cmd_ha_check(struct cmd_ctx *, int, char **);
int cmd_ha_estimate(struct cmd_ctx *, int, char **);
int cmd_theme_list(struct cmd_ctx *, int, char **);
int cmd_theme_use(struct cmd_ctx *, int, char **);
int cmd_theme_show(struct cmd_ctx *, int, char **);
int cmd_drill_run(struct cmd_ctx *, int, char **);
int cmd_drill_plan(struct cmd_ctx *, int, char **);
int cmd_drill_history(struct cmd_ctx *, int, char **);
int cmd_drill_show(struct cmd_ctx *, int, char **);
int cmd_backup_create(struct cmd_ctx *, int, char **);
int cmd_backup_list(struct cmd_ctx *, int, char **);
int cmd_backup_show(struct cmd_ctx *, int, char **);
int cmd_backup_delete(struct cmd_ctx *, int, char **);
int cmd_restore(struct cmd_ctx *, int, char **);
int cmd_restore_status(struct cmd_ctx *, int, char **);
int cmd_backup_verify(struct cmd_ctx *, int, char **);
int cmd_audit(struct cmd_ctx *, int, char **);
int cmd_drop_collection(struct cmd_ctx *, int, char **);
int cmd_drop_database(struct cmd_ctx *, int, char **);
int cmd_protect_add(struct cmd_ctx *, int, char **);
int cmd_protect_remove(struct cmd_ctx *, int, char **);
int cmd_protect_list(struct cmd_ctx *, int, char **);
int cmd_protect_database(struct cmd_ctx *, int, char **);
int cmd_protect_who_can_drop(struct cmd_ctx *, int, char **);
int cmd_restore_drill(struct cmd_ctx *, int, char **);
int cmd_restore_drill_history(struct cmd_ctx *, int, char **);
int cmd_rpo(struct cmd_ctx *, int, char **);
int cmd_config_keys(struct cmd_ctx *, int, char **);
int cmd_config_show(struct cmd_ctx *, int, char **);
int cmd_config_check(struct cmd_ctx *, int, char **);

#endif
