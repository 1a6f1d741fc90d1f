/* SPDX-License-Identifier: MIT */
/* Everything `status` and `ha check` judge, read at once: the /healthz sweep,
 * etcd's members and the proxy's collections (then their replicas) do not
 * depend on one another, so they run side by side on the loop instead of one
 * after another (at 10,000 sessions the sweep alone takes most of a second,
 * and the proxy calls as long again). */
#include "milvusadm/cluster.h"
#include "milvusadm/state.h"
#include "state-int.h"

int
state_load_all(struct state *st)
{
	struct state_wait *wh = state_wait_new(), *we = state_wait_new();
	struct state_wait *wc = state_wait_new();
	int64_t n = (int64_t)st->cluster->n_components * 2;
	int rc;

	state_health_async(st, NULL, NULL, (size_t)-1, state_wait_cb, wh);
	state_etcd_async(st, state_wait_cb, we);
	state_collections_async(st, NULL, true, state_wait_cb, wc);
	/* Each wait keeps the bound its own load has (state_load_*); while one
	 * is waited for, the loop runs the others too. */
	rc = state_wait_run(st, wh, (int64_t)st->timeout_ms * (n / STATE_MAX_INFLIGHT + 2) +
	    1000);
	(void)state_wait_run(st, we, (int64_t)(st->timeout_ms + 1000) * 16 + 1000);
	/* The replicas last: whether their nodes serve is judged from the
	 * health just read. */
	if (state_wait_run(st, wc, (int64_t)(st->timeout_ms + 1000) *
	    ((int64_t)st->cluster->n_collections * 3 + 64)) == 0)
		(void)state_load_replicas(st, NULL);
	return rc;
}
