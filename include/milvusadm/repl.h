/* SPDX-License-Identifier: MIT */
/* The interactive shell (milvusadm shell): GNU readline on the one loop, with
 * completion from the command table and from live names, and a private history. */
#ifndef MILVUSADM_REPL_H
#define MILVUSADM_REPL_H

#include <stddef.h>

struct cmd_ctx;

/* Kinds of live names the shell can complete. */
enum repl_names {
	REPL_NAMES_ROLE,		/* built in: the Milvus component roles */
	REPL_NAMES_SERVER_ID,
	REPL_NAMES_COLLECTION,		/* "db.collection" or "collection" */
	REPL_NAMES_DATABASE,
	REPL_NAMES_DRILL_TARGET,	/* coordinator roles, proxy, etcd-leader, ROLE/ID */
	REPL_NAMES_DRILL_ID,		/* saved drill reports */
};

/* Return the names of a kind for completion: *names gets an array of strings,
 * every one and the array allocated with malloc (the shell frees them). */
typedef size_t (*repl_names_fn)(enum repl_names kind, char ***names, void *arg);

/* Feed completion with live names (server IDs, collections, databases); roles
 * are built in and fn's roles are added to them. fn NULL removes the hook. */
void repl_set_completer(repl_names_fn fn, void *arg);

/* Run the shell on ctx until end of input or "exit"; returns the exit code of
 * the last command (or 0). */
int repl_run(struct cmd_ctx *ctx);

/* Would this line leak a secret into the history file? (exposed for tests) */
int repl_line_is_secret(const char *line);

#endif
