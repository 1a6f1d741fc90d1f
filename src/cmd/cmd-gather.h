/* SPDX-License-Identifier: MIT */
/* What the collection and replica commands (collections, replicas, status,
 * ha) share beyond cmd-cluster.h: proxy failures as exit codes, node and
 * load-state words, counts. */
#ifndef MILVUSADM_CMD_GATHER_H
#define MILVUSADM_CMD_GATHER_H

#include <stdint.h>

#include "milvusadm/cmd.h"

struct state;
struct cluster;

/* Report the proxy source's error: exit 4 when no proxy answered, else 1. */
int gather_proxy_error(struct cmd_ctx *ctx, struct state *st, const char *error);
/* A querynode's state as seen from the model: "healthy", "unhealthy",
 * "stopping", "gone" (no session), "registered" (a session, health not read)
 * or "unknown" (sessions not read, or its probe failed). */
const char *gather_node_health(const struct cluster *c, int64_t id);
/* Parse a non-negative integer option value; -1 when it is not one. */
int gather_parse_count(const char *s, int64_t *v);

#endif
