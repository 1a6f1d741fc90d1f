/* SPDX-License-Identifier: MIT */
/* Session keys whose value cannot be read, kept by key so that none is ever
 * dropped silently: commands warn about them, status and topology list them,
 * and the alert model raises "session-unparsable". */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "milvusadm/cluster.h"
#include "milvusadm/session.h"
#include "milvusadm/xalloc.h"
#include "cluster-int.h"

/* A reason is one line from session_parse; more is not a reason. */
#define UNPARSABLE_REASON_MAX	256

/* Binary search in the sorted list: the index of key, or -(insert point)-1. */
static ssize_t
unparsable_find(const struct cluster *c, const char *key)
{
	size_t lo = 0, hi = c->n_unparsable, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(c->unparsable[mid].key, key);
		if (r == 0)
			return (ssize_t)mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(ssize_t)lo - 1;
}

void
cluster_unparsable_reset(struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->n_unparsable; i++) {
		free(c->unparsable[i].key);
		free(c->unparsable[i].reason);
	}
	free(c->unparsable);
	c->unparsable = NULL;
	c->n_unparsable = 0;
	c->unparsable_more = 0;
}

void
cluster_unparsable_put(struct cluster *c, const char *key, const char *reason)
{
	struct session_unparsable *u;
	size_t len;
	ssize_t at;
	char *k;
	bool cut;

	if (key == NULL || cluster_key_name(c, key, &len) == NULL)
		return;
	/* Stored cut as it is looked up, so that a later delete of a hostile
	 * key of megabytes still finds it. */
	k = session_strndup_bounded(key, strlen(key), CLUSTER_UNPARSABLE_KEY_MAX, &cut);
	at = unparsable_find(c, k);
	if (at >= 0) {
		u = &c->unparsable[at];
		free(k);
		free(u->reason);
	} else if (c->n_unparsable >= CLUSTER_MAX_UNPARSABLE) {
		c->unparsable_more++;
		free(k);
		return;
	} else {
		at = -at - 1;
		c->unparsable = xreallocarray(c->unparsable, c->n_unparsable + 1,
		    sizeof *c->unparsable);
		memmove(&c->unparsable[at + 1], &c->unparsable[at],
		    (c->n_unparsable - (size_t)at) * sizeof *c->unparsable);
		c->n_unparsable++;
		u = &c->unparsable[at];
		u->key = k;
	}
	u->reason = session_strndup_bounded(reason != NULL ? reason : "unreadable",
	    strlen(reason != NULL ? reason : "unreadable"), UNPARSABLE_REASON_MAX, &cut);
}

void
cluster_unparsable_delete(struct cluster *c, const char *key)
{
	ssize_t at;
	size_t i;
	char *k;
	bool cut;

	if (key == NULL || c->n_unparsable == 0)
		return;
	k = session_strndup_bounded(key, strlen(key), CLUSTER_UNPARSABLE_KEY_MAX, &cut);
	at = unparsable_find(c, k);
	free(k);
	if (at < 0)
		return;
	i = (size_t)at;
	free(c->unparsable[i].key);
	free(c->unparsable[i].reason);
	memmove(&c->unparsable[i], &c->unparsable[i + 1],
	    (c->n_unparsable - i - 1) * sizeof *c->unparsable);
	c->n_unparsable--;
}
