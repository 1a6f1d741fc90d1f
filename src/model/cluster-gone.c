/* SPDX-License-Identifier: MIT */
/* Sessions whose process is gone: a newer session of the same role at the
 * same address means the old process died (its lease has not expired yet),
 * as a restarted StatefulSet pod or a host-networked process registers again
 * at the address it had. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/xalloc.h"

static int
gone_cmp(const void *a, const void *b)
{
	const struct component *x = *(const struct component *const *)a;
	const struct component *y = *(const struct component *const *)b;
	int r;

	if ((r = strcmp(x->role, y->role)) != 0)
		return r;
	if ((r = strcmp(x->s.address, y->s.address)) != 0)
		return r;
	/* Newest last: the create revision orders registrations; the server
	 * ID (from etcd's counter, only ever growing) breaks a tie. */
	if (x->create_revision != y->create_revision)
		return x->create_revision < y->create_revision ? -1 : 1;
	return x->server_id < y->server_id ? -1 : x->server_id > y->server_id;
}

void
cluster_mark_superseded(struct cluster *c, int64_t now_ms)
{
	struct component **v;
	size_t i, j, n = 0;
	char why[300];

	v = xcalloc(c->n_components + 1, sizeof *v);
	for (i = 0; i < c->n_components; i++) {
		struct component *k = &c->components[i];

		if (k->gone == COMP_SUPERSEDED) {
			k->gone = COMP_PRESENT;
			k->superseded_by = 0;
		}
		if (k->s.address != NULL && k->s.address[0] != '\0' && k->role != NULL)
			v[n++] = k;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, gone_cmp);
	for (i = 0; i < n; i = j) {
		const struct component *newest;

		for (j = i + 1; j < n && strcmp(v[j]->role, v[i]->role) == 0 &&
		    strcmp(v[j]->s.address, v[i]->s.address) == 0; j++)
			;
		newest = v[j - 1];
		for (; i < j - 1; i++) {
			struct component *k = v[i];

			/* One process serves several sessions under one ServerID
			 * (standalone, the bare key): that is not a newer one. */
			if (k->server_id == newest->server_id)
				continue;
			k->gone = COMP_SUPERSEDED;
			k->superseded_by = newest->server_id;
			snprintf(why, sizeof why, "gone: a newer %s session (%lld) registered "
			    "at %s; this one's lease has not expired yet", k->role,
			    (long long)newest->server_id, k->s.address);
			cluster_set_health(c, (size_t)(k - c->components), HEALTH_UNKNOWN, why,
			    now_ms);
		}
	}
	free(v);
}
