/* SPDX-License-Identifier: MIT */
/* A map from a string (bytes and a length) to a size_t, for the read path's
 * lookups over thousands of sessions and calls: open addressing, O(1) per
 * operation on average, keys copied. */
#ifndef MILVUSADM_STRMAP_H
#define MILVUSADM_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_ent;

struct strmap {
	struct strmap_ent *v;
	size_t cap;			/* a power of two, 0 = nothing allocated */
	size_t n, n_tomb;
};

#define STRMAP_INIT { NULL, 0, 0, 0 }

/* Is key there? Its value in *val (val may be NULL). */
bool strmap_get(const struct strmap *m, const char *key, size_t len, size_t *val);
/* Set key to val (added or replaced). */
void strmap_put(struct strmap *m, const char *key, size_t len, size_t val);
/* Remove key; false when it was not there. */
bool strmap_del(struct strmap *m, const char *key, size_t len);
/* Remove everything (the memory is kept for reuse). */
void strmap_clear(struct strmap *m);
void strmap_free(struct strmap *m);

#endif
