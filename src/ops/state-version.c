/* SPDX-License-Identifier: MIT */
/* The session keys that are not sessions. The session/version key (2.6.8+,
 * 3.x; contract §1.4, §10): plain text the active coordinator writes without a
 * lease, under the session prefix but not a session, kept in the model,
 * bounded, so that topology and status can show it and warn when it is ahead
 * of a coordinator's binary. And the keys whose value cannot be read, kept in
 * the model by key and reason so that none is dropped silently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/etcd.h"
#include "milvusadm/session.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

/* A version is a few characters; more is not a version and is cut. */
#define STATE_VERSION_MAX	64

void
state_unparsable_note(struct cluster *c, const char *key, const char *err)
{
	cluster_unparsable_put(c, key, session_parse_reason(key, err));
}

static bool
state_version_key(const struct cluster *c, const char *key)
{
	size_t rl = strlen(c->root);

	return strncmp(key, c->root, rl) == 0 && strcmp(key + rl, "/meta/session/version") == 0;
}

bool
state_version_kv(struct cluster *c, const char *key, const char *value, size_t len)
{
	size_t n;

	if (!state_version_key(c, key))
		return false;
	free(c->cluster_version);
	c->cluster_version = NULL;
	if (value != NULL) {
		for (n = 0; n < len && n < STATE_VERSION_MAX && value[n] != '\0'; n++)
			;
		c->cluster_version = xstrndup(value, n);
	}
	return true;
}

void
state_version_range(struct cluster *c, const struct etcd_kv *kvs, size_t n)
{
	size_t i;

	free(c->cluster_version);
	c->cluster_version = NULL;
	cluster_unparsable_reset(c);
	for (i = 0; i < n; i++)
		(void)state_version_kv(c, kvs[i].key, kvs[i].value, kvs[i].value_len);
}
