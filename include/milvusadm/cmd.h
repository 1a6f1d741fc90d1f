/* SPDX-License-Identifier: MIT */
/* The command table: every command is one entry (name, alias, usage, summary,
 * flags, handler), looked up by noun-verb words with unique-prefix matching. */
#ifndef MILVUSADM_CMD_H
#define MILVUSADM_CMD_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

#include "milvusadm/output.h"

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

/* Prerequisites the dispatcher enforces before calling the handler. */
#define CMD_NEEDS_ETCD		0x01
#define CMD_NEEDS_PROXY		0x02
#define CMD_MUTATES		0x04
#define CMD_DESTRUCTIVE		0x08
#define CMD_LONG		0x10
#define CMD_HIDDEN		0x20	/* not listed by help */
#define CMD_PROM		0x40	/* has a Prometheus text form (-o prom) */

/* Where a command writes. Handlers never touch stdout/stderr directly. */
struct cmd_ctx {
	FILE *out;			/* results */
	FILE *err;			/* one-line errors and progress */
	bool out_tty;			/* out is a terminal: tables, else TSV */
	const char *profile;		/* -p PROFILE, NULL = the default one */
	struct loop *loop;		/* the one loop, owned by main */
	enum out_format format;		/* -o: table on a terminal, else TSV */
	bool color;			/* ANSI styling allowed (tty, no NO_COLOR, TERM) */
	bool read_only;			/* --read-only or a read_only profile */
	const char *script;		/* runbook name for "file:line:" errors, or NULL */
	int script_line;		/* line of the command being run in script */
	unsigned int errors;		/* lines written by cmd_error and cmd_usage */
	/* Who owns the terminal when it is not the plain tty (the TUI): ask
	 * shows prompt and puts the line typed into answer; -1 when the
	 * operator cancelled. NULL: cmd_confirm reads the tty itself. */
	int (*ask)(void *arg, const char *prompt, char *answer, size_t len);
	void *ask_arg;
	/* Set by the owner of the terminal (the TUI) when the operator asked to
	 * stop (Ctrl-C, q): a command checks it before what cannot be undone.
	 * NULL: Ctrl-C ends the process as usual. */
	const bool *stop;
	/* What the guard decided in this command, for the audit log ("" when
	 * it was not asked). Set by cmd_guard. */
	char guard_target[256];
	char guard_how[32];
	/* A backup made or used for the action and the command that undoes
	 * it, for the audit log ("" when none). */
	char audit_backup[160];
	char audit_undo[512];
	/* The running handler's words (argv[0] its name), set by cmd_run, so
	 * that cmd_usage can name an option the command does not have. */
	int run_argc;
	char **run_argv;
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

/* One command of a script: its words and the line it started on. */
struct cmd_words {
	int argc;
	char **argv;			/* argc words, then NULL; owned */
	int line;
};

/* The commands of a text, in order. */
struct cmd_list {
	struct cmd_words *v;
	size_t n;
};

/* Bounds on what the lexer accepts (a runbook line is not a file). */
#define CMD_LEX_MAX_TEXT	(256 * 1024)
#define CMD_LEX_MAX_WORD	8192
#define CMD_LEX_MAX_WORDS	256
#define CMD_LEX_MAX_CMDS	4096

#define CMD_LEX_PARTIAL		0x01	/* accept an unterminated quote (completion) */
#define CMD_LEX_MORE		(-2)

/*
 * Split text into commands: words separated by blanks, 'single' quotes taken
 * literally, "double" quotes with \" \\ \n \t \$ escapes, a backslash outside
 * quotes escaping the next character (backslash-newline joins lines), '#'
 * starting a comment at the start of a word, ';' and newlines ending a command.
 * line is the number of text's first line. Returns 0; -1 with a one-line
 * message in err and the failing line in *errline (list is then empty); or
 * CMD_LEX_MORE when text ends inside a quote or after a backslash (a reader
 * of lines appends the next line and tries again; at the end of input that
 * is an error, whose message is in err).
 */
int cmd_lex(const char *text, int line, int flags, struct cmd_list *list, char *err,
    size_t errlen, int *errline);
void cmd_list_free(struct cmd_list *list);

/* A script being run: -c text, a runbook, piped stdin or shell lines. */
struct cmd_script {
	const char *name;		/* for "name:line:" errors; NULL: "milvusadm:" */
	bool keep_going;		/* run on after a failure */
	int worst;			/* the highest exit code so far */
	bool stopped;			/* a command failed and keep_going is off */
};

/* Run every command of text (its first line is numbered line). Returns the
 * exit code the script has so far: the failing command's code when it
 * stopped, else the worst code seen. */
int cmd_script_text(struct cmd_ctx *ctx, struct cmd_script *s, const char *text,
    int line);
/* Run f line by line (continuing lines that end inside a quote or after a
 * backslash) until its end or the first failure. Returns like cmd_script_text. */
int cmd_script_file(struct cmd_ctx *ctx, struct cmd_script *s, FILE *f);

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

/* Render doc to ctx->out in ctx->format, free it, and return CMD_OK. */
int cmd_emit(struct cmd_ctx *ctx, struct out_doc *doc);
/* Write one error line to ctx->err ("milvusadm: ..." or, in a runbook,
 * "file:line: ...") and return code. */
int cmd_error(struct cmd_ctx *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Print "usage: milvusadm NAME USAGE" to ctx->err and return CMD_USAGE; when
 * the command's words hold an option its usage does not list, one line
 * naming that option first ("unknown option '--bogus' for 'topology'"). */
int cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *e);
/* A typed confirmation before something that cannot be taken back: the
 * operator must type expected exactly. prompt says what will happen. 1
 * confirmed, 0 typed something else or cancelled, -1 nobody to ask (a
 * script, a pipe): the caller refuses and names its --confirm option. */
int cmd_confirm(struct cmd_ctx *ctx, const char *prompt, const char *expected);
/* Would cmd_confirm have someone to ask (the TUI, or a terminal outside a
 * script)? Checked before slow work a script could never confirm. */
bool cmd_can_ask(const struct cmd_ctx *ctx);
struct guard_req;
/* The one guard (src/ops/guard) with cmd_confirm as its question: CMD_OK
 * when the destruction may go ahead, else the refusal reported and
 * CMD_REFUSED. req->read_only is or-ed with ctx's. */
int cmd_guard(struct cmd_ctx *ctx, struct guard_req *req);
/* The entry called exactly name (for handlers printing their usage). */
const struct cmd_entry *cmd_entry_by_name(const char *name);

#endif
