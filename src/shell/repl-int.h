/* SPDX-License-Identifier: MIT */
/* What the shell's line loop shares with its completion. */
#ifndef MILVUSADM_REPL_INT_H
#define MILVUSADM_REPL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "milvusadm/repl.h"

/* Compute the candidates for text, the word that starts at start in line. */
void repl_candidates(const char *line, int start, const char *text);
/* readline's generator over those candidates. */
char *repl_generator(const char *text, int state);
/* Free the last candidates. */
void repl_complete_release(void);

/* The live names of the shell's profile, cached (repl-names.c). */
struct loop;
struct repl_cache;

struct repl_cache *repl_names_new(struct loop *l, const char *profile);
void repl_names_free(struct repl_cache *rn);
/* Never gathered, or longer ago than completion should trust. */
bool repl_names_stale(const struct repl_cache *rn);
/* Gather again (runs the loop, about a second at most per request); on any
 * failure the names are empty. */
void repl_names_refresh(struct repl_cache *rn);
/* A malloc'ed copy of one kind's names, for repl_set_completer's callback. */
size_t repl_names_copy(const struct repl_cache *rn, enum repl_names kind, char ***names);

#endif
