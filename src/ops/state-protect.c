/* SPDX-License-Identifier: MIT */
/* The model's protected names, on the loop: the shared protect list read
 * from etcd (<guards.etcd_prefix>protect/<db>/<coll>) joined with the
 * profile's guards.protected, so the TUI can mark what a drop refuses. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/etcd.h"
#include "milvusadm/protect.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

struct protect_load {
	struct state_op op;
	struct state *st;
	state_done_cb done;
	void *arg;
};

static void
protect_release(struct state_op *op)
{
	free(op);
}

static void
protect_listed(const struct etcd_result *res, void *arg)
{
	struct protect_load *pl = arg;
	struct state *st = pl->st;
	struct protect_entry en;
	state_done_cb done = pl->done;
	void *darg = pl->arg;
	char **names;
	size_t i, n = 0;
	int rc = -1;

	if (res->err == ETCD_OK) {
		names = xcalloc(res->n_kvs + st->n_protect_config + 1, sizeof *names);
		for (i = 0; i < res->n_kvs; i++)
			if (protect_entry_parse(st->protect_prefix, res->kvs[i].key,
			    res->kvs[i].value, res->kvs[i].value_len, &en) == 0)
				names[n++] = xasprintf("%s.%s", en.db, en.coll);
		for (i = 0; i < st->n_protect_config; i++)
			names[n++] = xstrdup(st->protect_config[i]);
		cluster_protected_set(st->cluster, names, n, true);
		rc = 0;
	}
	state_op_unlink(st, &pl->op);
	protect_release(&pl->op);
	if (done != NULL)
		done(st, rc, darg);
}

void
state_protect_async(struct state *st, state_done_cb done, void *arg)
{
	struct protect_load *pl = xcalloc(1, sizeof *pl);
	char *prefix = xasprintf("%sprotect/", st->protect_prefix);
	int rc;

	pl->st = st;
	pl->done = done;
	pl->arg = arg;
	state_op_link(st, &pl->op, protect_release);
	rc = etcd_range_prefix(st->etcd, prefix, 0, protect_listed, pl);
	free(prefix);
	if (rc != 0) {
		state_op_unlink(st, &pl->op);
		protect_release(&pl->op);
		if (done != NULL)
			done(st, -1, arg);
	}
}
