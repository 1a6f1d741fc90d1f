/* SPDX-License-Identifier: MIT */
/* The one command table: every command of every mode is an entry here. Help,
 * completion, the man page check and key bindings all read it. */
#include <stddef.h>

#include "milvusadm/cmd.h"
#include "cmd-handlers.h"

const struct cmd_entry cmd_entries[] = {
	{ "help", NULL, "[COMMAND]", "list the commands, or show one command's usage",
	    0, cmd_help },
	{ "lab up", NULL, "[--name NAME] [--subnet 127.A.B.0/24] [--milvus 2.4|2.5|2.6|3.0] "
	    "[--standalone] [--no-standby] [--etcd 1|3] [--ttl S] [--backoff DURATION] "
	    "[--extra-workers N] [--no-backup] [--backup-version 0.5|0.6] [--timeout DURATION]",
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
	{ "lab start", NULL, "NAME [--name LAB] [--timeout DURATION]",
	    "start a lab member that is not running now (killed, in back-off)",
	    CMD_MUTATES | CMD_LONG, cmd_lab_start },
	{ "shell", NULL, "", "an interactive shell with completion and history",
	    0, cmd_shell },
	{ "version", NULL, "", "print the version", 0, cmd_version },
	{ "watch", NULL, "[--once] [-o json]", "show the cluster's components every second",
	    CMD_NEEDS_ETCD, cmd_watch },
	{ "topology", NULL, "[--role ROLE] [--id ID] [-o json]",
	    "every component: role, ID, address, ACTIVE/STANDBY, health, lease TTL, age",
	    CMD_NEEDS_ETCD, cmd_topology },
	{ "leaders", NULL, "[-o json]",
	    "per coordinator role: the active server, its standbys, since when, last changes",
	    CMD_NEEDS_ETCD, cmd_leaders },
	{ "etcd", NULL, "[-o json]",
	    "etcd members: leader, raft term and index, db size, alarms, reachability",
	    CMD_NEEDS_ETCD, cmd_etcd },
	{ "health", NULL, "[--role ROLE] [-o json]",
	    "/healthz of every component and check/ready of the active coordinators",
	    CMD_NEEDS_ETCD, cmd_health },
	{ "events", NULL, "[--follow] [--since DURATION] [-o json]",
	    "the flight recorder: leader changes, nodes joining and leaving, health",
	    CMD_NEEDS_ETCD, cmd_events },
	{ "status", NULL, "[-o json]",
	    "one screen: version, etcd, coordinators, workers, degraded collections, alerts",
	    CMD_NEEDS_ETCD, cmd_status },
	{ "collections", NULL, "[--db DB] [-o json]",
	    "per database: load state and progress, rows, replica count, aliases",
	    CMD_NEEDS_ETCD, cmd_collections },
	{ "replicas", NULL, "[[DB.]COLLECTION] [-o json]",
	    "replica groups: RW and RO nodes, node health, shards without a leader",
	    CMD_NEEDS_ETCD, cmd_replicas },
	{ "ha check", NULL, "[-o json]",
	    "the no-single-point-of-failure checklist (exit 5 when an item fails)",
	    CMD_NEEDS_ETCD, cmd_ha_check },
	{ "ha estimate", NULL, "[--ttl S] [--probe-period S] [--probe-failures N] "
	    "[--probe-timeout S] [--init DURATION] [--retry DURATION] [-o json]",
	    "expected failover time: detection + election + recovery, now and tuned",
	    CMD_NEEDS_ETCD, cmd_ha_estimate },
	{ "config keys", NULL, "[-o json]",
	    "every config key: type, default, accepted values, what it does", 0,
	    cmd_config_keys },
	{ "config show", NULL, "[-p PROFILE] [-o json]",
	    "a profile with every key resolved (set or default); secrets never shown", 0,
	    cmd_config_show },
	{ "config check", NULL, "[FILE] [-o json]",
	    "validate the config file (exit 1 with file:line:column on the first error)", 0,
	    cmd_config_check },
	{ "theme list", NULL, "[-o json]", "the themes found, where each comes from, which is in use",
	    0, cmd_theme_list },
	{ "theme use", NULL, "NAME", "draw the TUI with theme NAME from now on (saved per user)",
	    0, cmd_theme_use },
	{ "theme show", NULL, "[NAME] [--depth mono|8|16|256|truecolor] [-o json]",
	    "a theme's roles resolved to this terminal's colour depth", 0, cmd_theme_show },
	{ "drill run", NULL, "TARGET --confirm TARGET [--backend etcd-lease|stop|lab|k8s|docker|exec] "
	    "[--signal KILL|TERM] [--option KEY=VALUE]... [--rto DURATION] [--timeout DURATION] "
	    "[--phase-timeout DURATION] [--rate N] [-k N] [--collection [DB.]NAME] "
	    "[--insert-into [DB.]NAME] [-o json]",
	    "inject a fault into TARGET (ROLE, ROLE/ID, etcd-leader, etcd/NAME) and "
	    "measure detection, election, recovery and RTO",
	    CMD_NEEDS_ETCD | CMD_MUTATES | CMD_DESTRUCTIVE | CMD_LONG, cmd_drill_run },
	{ "drill plan", NULL, "TARGET [--backend B] [--signal KILL|TERM] [--option KEY=VALUE]... "
	    "[--rto DURATION] [--timeout DURATION] [--phase-timeout DURATION] [--rate N] [-k N] "
	    "[--collection [DB.]NAME] [--insert-into [DB.]NAME] [-o json]",
	    "dry run: what each phase of a drill will do and what the backend will send",
	    CMD_NEEDS_ETCD, cmd_drill_plan },
	{ "drill history", NULL, "[--target TARGET] [-o json]",
	    "past drills with their RTO and verdict, and the trend per target", 0,
	    cmd_drill_history },
	{ "drill show", NULL, "DRILL_ID|last [--markdown] [-o json]", "one saved drill report", 0,
	    cmd_drill_show },
	{ "backup create", NULL, "[--collections DB.C,DB.*,...] [--name NAME] [--rbac] "
	    "[--strategy auto|meta_only|skip_flush|bulk_flush|serial_flush] [--wait] "
	    "[--if-older-than DURATION] [-o json]",
	    "take a backup through milvus-backup (--if-older-than: only when none is that "
	    "recent)",
	    CMD_MUTATES | CMD_LONG, cmd_backup_create },
	{ "backup list", NULL, "[-o json]",
	    "the backups, newest first: taken at, age, size, collections, state", 0,
	    cmd_backup_list },
	{ "backup show", NULL, "NAME [-o json]", "one backup: state, time, size, collections",
	    0, cmd_backup_show },
	{ "backup delete", NULL, "NAME [--confirm NAME]",
	    "delete a backup from the backup bucket (typed confirmation)",
	    CMD_MUTATES | CMD_DESTRUCTIVE, cmd_backup_delete },
	{ "backup verify", NULL, "NAME [--suffix S | --rename A:B,... [--collections DB.C,...]] "
	    "[-o json]",
	    "check a backup's metadata; with where it was restored, its rows and a sample too "
	    "(exit 1 unless every level passes)", 0, cmd_backup_verify },
	{ "restore", NULL, "BACKUP [--collections DB.C,DB.*,...] [--suffix S | --rename "
	    "A:B,...] [--rbac] [--drop-existing [--confirm BACKUP]] [--wait] [--verify] "
	    "[-o json]",
	    "restore a backup's collections (--drop-existing: typed confirmation)",
	    CMD_MUTATES | CMD_LONG, cmd_restore },
	{ "restore status", NULL, "ID [-o json]", "a restore task's state and progress per "
	    "collection", 0, cmd_restore_status },
	{ "restore drill", NULL, "[BACKUP|latest] [--collections DB.C,...] [--suffix S] [--keep] "
	    "[-o json]",
	    "restore into scratch collections, verify every level, measure the backup tier's "
	    "RTO and RPO, drop the scratch collections", CMD_MUTATES | CMD_LONG,
	    cmd_restore_drill },
	{ "restore drill history", NULL, "[-n N] [-o json]",
	    "the saved restore drills, newest first: RTO, RPO, verdict", 0,
	    cmd_restore_drill_history },
	{ "drop collection", NULL, "[DB.]NAME [--confirm [PROFILE/]DB.NAME] [-o json]",
	    "drop a collection after making sure a verified backup holds it; prints the "
	    "restore that undoes it", CMD_MUTATES | CMD_DESTRUCTIVE | CMD_LONG,
	    cmd_drop_collection },
	{ "drop database", NULL, "DB [--confirm [PROFILE/]DB] [-o json]",
	    "drop an empty database (refused while it holds collections: drop each with "
	    "drop collection first)", CMD_MUTATES | CMD_DESTRUCTIVE, cmd_drop_database },
	{ "protect add", NULL, "[DB.]NAME [--no-alias] [-o json]",
	    "put a collection on the shared protect list (etcd) and make the server-side "
	    "guard alias", CMD_MUTATES, cmd_protect_add },
	{ "protect remove", NULL, "[DB.]NAME [--confirm [PROFILE/]DB.NAME] [-o json]",
	    "take a collection off the protect list and remove the guard alias this tool made",
	    CMD_MUTATES | CMD_DESTRUCTIVE, cmd_protect_remove },
	{ "protect list", NULL, "[-o json]",
	    "protected collections (shared and this profile's), their server-side guards, "
	    "databases with collection DDL denied", 0, cmd_protect_list },
	{ "protect database", NULL, "DB [--off] [--confirm [PROFILE/]DB] [-o json]",
	    "set (or with --off clear) database.force.deny.collectionDDL: also refuses "
	    "create, load and release", CMD_MUTATES, cmd_protect_database },
	{ "protect who-can-drop", NULL, "[DB.]NAME [-o json]",
	    "the roles and users whose grants let them drop the collection (RBAC)", 0,
	    cmd_protect_who_can_drop },
	{ "audit", NULL, "[--since DURATION] [--follow | --shared] [--profile PROFILE] [-o json]",
	    "the trail of mutating actions: who, where, confirmed how, outcome", 0, cmd_audit },
	{ "rpo", NULL, "[--target DURATION] [-o json|prom]",
	    "per collection, the age of its newest backup against the RPO target (exit 5 on "
	    "a breach)", CMD_PROM, cmd_rpo },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};
