/* SPDX-License-Identifier: MIT */
/* Helpers shared by the read-side commands (topology, leaders, etcd, health,
 * events): open the profile's gatherer and report failures the same way. */
#ifndef MILVUSADM_CMD_CLUSTER_H
#define MILVUSADM_CMD_CLUSTER_H

#include <stdbool.h>

#include "milvusadm/cmd.h"

struct state;
struct cluster;

/* The gatherer for ctx's profile; NULL after reporting the error (*rc set). */
struct state *cmd_cluster_open(struct cmd_ctx *ctx, int *rc);
/* Load the sessions (and lease TTLs); on failure report "etcd unreachable" and
 * return CMD_UNREACHABLE, else CMD_OK. */
int cmd_cluster_sessions(struct cmd_ctx *ctx, struct state *st);
/* Warnings on stderr when the model shows only part of the cluster: more
 * session keys than it keeps, session keys that cannot be read (key and
 * reason), a session/version ahead of a coordinator. */
void cmd_cluster_warn(struct cmd_ctx *ctx, struct state *st);
/* In -o json only: "unparsable": [{"key","reason"}] (the full etcd key, raw
 * text escaped by the JSON writer) and "unparsable_more" (past the model's
 * bound), so that a script sees every key it was not shown. */
struct out_obj;
void cmd_cluster_unparsable_out(struct cmd_ctx *ctx, struct out_obj *root,
    const struct cluster *c);
/* The session/version key is ahead (major.minor) of a coordinator's binary:
 * that coordinator refuses to start, and a 2.6.18 one panics (#50694, contract
 * §1.4, §10). Writes one line naming the first such coordinator into msg and
 * returns true; false when none is behind (or the key is absent). */
bool cmd_cluster_version_ahead(const struct cluster *c, char *msg, size_t len);
/* Open and read everything (sessions, health, etcd, collections, replicas)
 * for a whole-cluster report: NULL after reporting when the profile or etcd
 * fails (*rc set); a later source that fails is left in the model, marked,
 * for the report to say so. */
struct state *cmd_cluster_gather_all(struct cmd_ctx *ctx, int *rc);
/* Parse "--role R" style options: returns the value for name at argv[*i] and
 * advances *i, or NULL when argv[*i] is not name (or its value is missing, then
 * *missing is set). */
const char *cmd_opt_value(int argc, char **argv, int *i, const char *name, bool *missing);

#endif
