/* SPDX-License-Identifier: MIT */
/* Helpers shared by the collection and replica commands: exit codes for an
 * unreachable proxy, node words (the load-state word is
 * cluster_load_word, shared with the TUI). */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/state.h"
#include "cmd-gather.h"

int
gather_proxy_error(struct cmd_ctx *ctx, struct state *st, const char *error)
{
	return cmd_error(ctx, state_proxy_unreachable(st) ? CMD_UNREACHABLE : CMD_FAILED,
	    "%s", error != NULL ? error : "the proxy failed");
}

const char *
gather_node_health(const struct cluster *c, int64_t id)
{
	size_t i;

	if (!c->sessions_known)
		return "unknown";
	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (k->server_id != id || strcmp(k->role, "querynode") != 0)
			continue;
		if (k->s.stopping)
			return "stopping";
		if (k->health == HEALTH_HEALTHY)
			return "healthy";
		if (k->health == HEALTH_UNKNOWN)
			return c->src_health.updated_ms == 0 ? "registered" : "unknown";
		return "unhealthy";
	}
	return "gone";
}

int
gather_parse_count(const char *s, int64_t *v)
{
	char *end;
	long long n;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || n < 0 || n > 1000000)
		return -1;
	*v = n;
	return 0;
}
