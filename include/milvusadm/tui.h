/* SPDX-License-Identifier: MIT */
/* The live TUI (ncursesw): header, views, key bindings, the ':' command
 * line, themes. What `milvusadm` with no command opens on a terminal. */
#ifndef MILVUSADM_TUI_H
#define MILVUSADM_TUI_H

#include <stddef.h>

struct cmd_ctx;

/* Why the TUI cannot run here (no terminal on stdin/stdout, TERM unset or
 * "dumb"), or NULL when it can. */
const char *tui_unavailable(void);
/* Run the TUI for ctx's profile until quit; returns an exit code (cmd.h). */
int tui_run(struct cmd_ctx *ctx);

#endif
