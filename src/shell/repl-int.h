/* SPDX-License-Identifier: MIT */
/* What the shell's line loop shares with its completion. */
#ifndef MILVUSADM_REPL_INT_H
#define MILVUSADM_REPL_INT_H

/* Compute the candidates for text, the word that starts at start in line. */
void repl_candidates(const char *line, int start, const char *text);
/* readline's generator over those candidates. */
char *repl_generator(const char *text, int state);
/* Free the last candidates. */
void repl_complete_release(void);

#endif
