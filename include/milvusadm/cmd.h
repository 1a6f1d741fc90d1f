/* SPDX-License-Identifier: MIT */
/* The command table: every command is one entry (name, alias, usage, summary,
 * flags, handler), looked up by noun-verb words with unique-prefix matching. */
#ifndef MILVUSADM_CMD_H
#define MILVUSADM_CMD_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

struct loop;

/* Exit codes (DESIGN.md §4). */
enum {
	CMD_OK = 0,
	CMD_FAILED = 1,
	CMD_USAGE = 2,
	CMD_REFUSED = 3,
	CMD_UNREACHABLE = 4,
	CMD_MISSED = 5,
};

/* Prerequisites the dispatcher will enforce (only recorded for now). */
#define CMD_NEEDS_ETCD		0x01
#define CMD_NEEDS_PROXY		0x02
#define CMD_MUTATES		0x04
#define CMD_DESTRUCTIVE		0x08
#define CMD_LONG		0x10
#define CMD_HIDDEN		0x20	/* not listed by help */

/* Where a command writes. Handlers never touch stdout/stderr directly. */
struct cmd_ctx {
	FILE *out;			/* results */
	FILE *err;			/* one-line errors and progress */
	bool out_tty;			/* out is a terminal: tables, else TSV */
	const char *profile;		/* -p PROFILE, NULL = the default one */
	struct loop *loop;		/* the one loop, owned by main */
};

struct cmd_entry {
	const char *name;		/* "lab up": noun and verb, or one word */
	const char *alias;		/* another full name, or NULL */
	const char *usage;		/* arguments after the name */
	const char *summary;		/* one line for help */
	int flags;			/* CMD_* above */
	/* argv[0] is the command's full name; returns an exit code. */
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
};

/* Set up a context writing to out and err, running on loop. */
void cmd_ctx_init(struct cmd_ctx *ctx, struct loop *loop, FILE *out, FILE *err);

/* The whole table, terminated by an entry with a NULL name. */
const struct cmd_entry *cmd_table(void);

/* Find the command named by the first words of argv. Returns the entry and sets
 * *nwords to how many words it took; NULL with a message in err (unknown,
 * ambiguous with the candidates listed, or a noun without its verb). */
const struct cmd_entry *cmd_find(int argc, char **argv, int *nwords, char *err, size_t errlen);

/* Look up and run one command line; returns its exit code. */
int cmd_run(struct cmd_ctx *ctx, int argc, char **argv);

/* Print "usage: milvusadm NAME USAGE" to ctx->err and return CMD_USAGE. */
int cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *e);
/* The entry called exactly name (for handlers printing their usage). */
const struct cmd_entry *cmd_entry_by_name(const char *name);

/* A small table for results: a padded table on a terminal, TSV in a pipe.
 * Cells are copied; control characters are escaped before they are printed. */
struct cmd_table;
struct cmd_table *cmd_table_new(const char *const *headers, size_t ncols);
void cmd_table_row(struct cmd_table *t, const char *const *cells);
void cmd_table_print(struct cmd_ctx *ctx, const struct cmd_table *t);
void cmd_table_free(struct cmd_table *t);

#endif
