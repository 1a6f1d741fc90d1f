/* SPDX-License-Identifier: MIT */
/* Open addressing with linear probing; a deleted slot is a tombstone until the
 * table is rebuilt, which happens when used and deleted slots pass half. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/strmap.h"
#include "milvusadm/xalloc.h"

struct strmap_ent {
	char *key;			/* NULL = empty */
	size_t len;
	size_t val;
	bool dead;			/* a tombstone (key freed) */
};

static size_t
strmap_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 29));
}

/* The slot of key, or (found false) the slot where it would go. cap > 0. */
static size_t
strmap_probe(const struct strmap *m, const char *key, size_t len, bool *found)
{
	size_t mask = m->cap - 1, i = strmap_hash(key, len) & mask, free_at = (size_t)-1;

	*found = false;
	for (;; i = (i + 1) & mask) {
		const struct strmap_ent *e = &m->v[i];

		if (e->dead) {
			if (free_at == (size_t)-1)
				free_at = i;
			continue;
		}
		if (e->key == NULL)
			return free_at != (size_t)-1 ? free_at : i;
		if (e->len == len && memcmp(e->key, key, len) == 0) {
			*found = true;
			return i;
		}
	}
}

static void
strmap_grow(struct strmap *m)
{
	struct strmap_ent *old = m->v;
	size_t oldcap = m->cap, i, cap;

	if ((m->n + m->n_tomb + 1) * 2 <= m->cap)
		return;
	for (cap = 16; cap < (m->n + 1) * 4; cap *= 2)
		;
	m->v = xcalloc(cap, sizeof *m->v);
	m->cap = cap;
	m->n_tomb = 0;
	for (i = 0; i < oldcap; i++) {
		bool found;

		if (old[i].key != NULL && !old[i].dead)
			m->v[strmap_probe(m, old[i].key, old[i].len, &found)] = old[i];
	}
	free(old);
}

bool
strmap_get(const struct strmap *m, const char *key, size_t len, size_t *val)
{
	bool found;
	size_t i;

	if (m->cap == 0)
		return false;
	i = strmap_probe(m, key, len, &found);
	if (found && val != NULL)
		*val = m->v[i].val;
	return found;
}

void
strmap_put(struct strmap *m, const char *key, size_t len, size_t val)
{
	struct strmap_ent *e;
	bool found;

	strmap_grow(m);
	e = &m->v[strmap_probe(m, key, len, &found)];
	if (!found) {
		if (e->dead)
			m->n_tomb--;
		e->key = xmalloc(len + 1);
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		e->len = len;
		e->dead = false;
		m->n++;
	}
	e->val = val;
}

bool
strmap_del(struct strmap *m, const char *key, size_t len)
{
	bool found;
	size_t i;

	if (m->cap == 0)
		return false;
	i = strmap_probe(m, key, len, &found);
	if (!found)
		return false;
	free(m->v[i].key);
	m->v[i].key = NULL;
	m->v[i].dead = true;
	m->n--;
	m->n_tomb++;
	return true;
}

void
strmap_clear(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->v[i].key);
	if (m->cap > 0)
		memset(m->v, 0, m->cap * sizeof *m->v);
	m->n = 0;
	m->n_tomb = 0;
}

void
strmap_free(struct strmap *m)
{
	strmap_clear(m);
	free(m->v);
	m->v = NULL;
	m->cap = 0;
}
