/* SPDX-License-Identifier: MIT */
/* Helpers shared by config.c (loading), config-keys.c (the options table)
 * and config-write.c (editing). */
#ifndef MILVUSADM_CONFIG_INTERNAL_H
#define MILVUSADM_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "milvusadm/config.h"
#include "milvusadm/yamldoc.h"

/* The file is ours and small; refuse anything absurd rather than parse it. */
#define CONFIG_MAX_SIZE (1024 * 1024)

/* One key of the options table (config-keys.c). */
enum config_type { CT_STRING, CT_BOOL, CT_INT, CT_DURATION, CT_LIST };

#define CF_PATH		0x1	/* a file path: "~" and "~/" expand to $HOME */
#define CF_URL		0x2	/* every item an http:// or https:// URL */

struct config_key {
	struct config_key_info	 info;
	enum config_type	 type;
	int			 flags;
	int64_t			 min, max;	/* CT_INT, CT_DURATION (ms) */
	const char *const	*choices;	/* CT_STRING, NULL-terminated */
	size_t			 off;		/* into struct profile */
	size_t			 n_off;		/* CT_LIST: its size_t count */
};

/* The options table and its size. */
extern const struct config_key config_keys_table[];
extern const size_t config_n_keys;
/* The key section.name (section NULL: a top-level key of a profile), or NULL. */
const struct config_key *config_find_key(const char *section, const char *name);
/* Is name the section part of some key ("etcd")? */
bool config_is_section(const char *name);
/* A known key close to name (in section, else anywhere), or NULL. */
const char *config_suggest_key(const char *section, const char *name);

/* Levenshtein distance between two short names (64 when too long). */
size_t config_distance(const char *a, const char *b);
/* The closest candidate to name within a small edit distance, or NULL. */
const char *config_suggest(const char *name, const char *const *cands, size_t n);
/* A duration in ms as the config writes it ("30s", "5m", "1h", "2d", "250ms"). */
void config_format_ms(int64_t ms, char *out, size_t len);
/* Read a whole config file: 0 ok, 1 missing, -1 error. *text is NUL-terminated. */
int config_read_file(const char *path, char **text, size_t *len, char *err,
    size_t errlen);

#endif
