/* SPDX-License-Identifier: MIT */
/* Helpers shared by config.c (loading) and config-write.c (editing). */
#ifndef MILVUSADM_CONFIG_INTERNAL_H
#define MILVUSADM_CONFIG_INTERNAL_H

#include <stddef.h>
#include <yaml.h>

#include "milvusadm/yamldoc.h"

/* The file is ours and small; refuse anything absurd rather than parse it. */
#define CONFIG_MAX_SIZE (1024 * 1024)

/* Levenshtein distance between two short names (64 when too long). */
size_t config_distance(const char *a, const char *b);
/* The closest candidate to name within a small edit distance, or NULL. */
const char *config_suggest(const char *name, const char *const *cands, size_t n);
/* Read a whole config file: 0 ok, 1 missing, -1 error. *text is NUL-terminated. */
int config_read_file(const char *path, char **text, size_t *len, char *err,
    size_t errlen);

#endif
