/* SPDX-License-Identifier: MIT */
/* The alert list for the one-shot commands (`status`, `ha check`): the model's
 * alerts (alerts.h) with the backup tier's RPO read from the profile's backup
 * server, and their one rendering into a document. Defined in cmd-status.c. */
#ifndef MILVUSADM_CMD_ALERTS_H
#define MILVUSADM_CMD_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/cmd.h"

struct alerts;
struct cluster;
struct out_obj;

/* The backup tier as one glance reads it. */
struct cmd_rpo {
	int verdict;			/* 0 met, 1 missed, 2 unknown (bk_rpo_line) */
	bool configured;		/* the profile has backup.url */
	bool loaded;			/* the catalogue was read */
	bool counted;			/* collections and breached are known */
	int64_t target_ms;
	size_t collections, breached;
	char line[700];
};

/* Read the RPO facts for c (never fails: r says what is unknown). */
void cmd_rpo_read(struct cmd_ctx *ctx, const struct cluster *c, struct cmd_rpo *r);
/* The alerts of c with r's facts (a profile without backup.url raises none),
 * first seen now: a one-shot command has no earlier sighting. */
struct alerts *cmd_alerts(const struct cluster *c, const struct cmd_rpo *r);
/* Members `alerts` (the messages, at most 32, the last saying how many more),
 * `alert_count` and, with list, the table `alert_list` (every alert) of root.
 * A document whose TSV is one table per line shape leaves list out there. */
void cmd_alerts_out(struct out_obj *root, const struct alerts *a, bool list);

#endif
