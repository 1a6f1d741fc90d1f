/* SPDX-License-Identifier: MIT */
/* What the protect commands share (cmd-protect.c, cmd-protect-db.c): the
 * profile, its etcd (the shared list) and its REST client. */
#ifndef MILVUSADM_CMD_PROTECT_H
#define MILVUSADM_CMD_PROTECT_H

#include <stdbool.h>
#include <stddef.h>

#include "milvusadm/cmd.h"
#include "cmd-backup.h"

struct etcd;
struct milvus_rest;
struct state;

struct prot {
	struct cmd_ctx *ctx;
	struct bk_session s;		/* the profile (no backup server) */
	struct state *st;
	struct etcd *etcd;		/* the shared protect list */
	struct milvus_rest *rest;
	const char *prefix;		/* guards.etcd_prefix */
	const char *version;		/* Milvus's, from the sessions; NULL unknown */
	char db[256], coll[256], full[520];
};

/* "[DB.]NAME" (or a database name alone) into pr: CMD_OK or CMD_USAGE after
 * reporting a name Milvus would refuse (patterns included). */
int prot_name(struct prot *pr, const char *name, bool db_only);
/* The profile, its sessions (Milvus's version) and, with need_rest, the
 * REST client: CMD_OK or the exit code after reporting. */
int prot_open(struct prot *pr, bool need_rest);
void prot_close(struct prot *pr);
/* The collection's aliases: 1, 0 when there is no such collection, or the
 * negated exit code after reporting. */
int prot_describe(struct prot *pr, char ***aliases, size_t *n);
void prot_strv_free(char **v, size_t n);
bool prot_has(char *const *v, size_t n, const char *s);

#endif
