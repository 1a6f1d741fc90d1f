/* SPDX-License-Identifier: MIT */
/* The etcd-lease fault: revoke the target's session lease, which deletes every
 * key on it at once (the most faithful "session lost", contract §2.9, §5.2). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/fault.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

struct fault_backend {
	struct etcd *etcd;		/* borrowed from the drill's gatherer */
	fault_cb cb;
	void *arg;
};

static struct fault_backend *
lease_open(struct loop *l, const struct profile *p, struct etcd *e,
    const char *const *options, char *err, size_t errlen)
{
	struct fault_backend *b;

	if (e == NULL) {
		snprintf(err, errlen, "the etcd-lease backend needs etcd access");
		return NULL;
	}
	if (options != NULL && options[0] != NULL) {
		snprintf(err, errlen, "option '%s' is not known to the etcd-lease backend",
		    options[0]);
		return NULL;
	}
	b = xcalloc(1, sizeof *b);
	b->etcd = e;
	return b;
}

static void
lease_close(struct fault_backend *b)
{
	free(b);
}

static int
lease_plan(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	if (t->kind != NULL && strcmp(t->kind, "etcd-member") == 0) {
		snprintf(out, outlen, "an etcd member holds no session lease: use the lab, k8s, "
		    "docker or exec backend");
		return -1;
	}
	if (t->lease_id == 0) {
		snprintf(out, outlen, "no lease known for %s %" PRId64 ": nothing to revoke",
		    t->role, t->server_id);
		return -1;
	}
	snprintf(out, outlen, "POST %s/v3/lease/revoke {\"ID\":\"%" PRId64 "\"}: revoke lease "
	    "%" PRIx64 " of %s %" PRId64 " at %s, deleting every key on it at once",
	    etcd_endpoint(b->etcd), t->lease_id, (uint64_t)t->lease_id, t->role, t->server_id,
	    t->address != NULL ? t->address : "?");
	return 0;
}

static void
lease_revoked(const struct etcd_result *res, void *arg)
{
	struct fault_backend *b = arg;
	struct fault_result fr;

	memset(&fr, 0, sizeof fr);
	fr.injected_ms = time_wall_ms();
	if (res->err != ETCD_OK) {
		fr.err = -1;
		snprintf(fr.errmsg, sizeof fr.errmsg, "lease revoke failed: %.200s", res->errmsg);
	} else
		snprintf(fr.detail, sizeof fr.detail, "lease revoked at revision %" PRId64,
		    res->header.revision);
	b->cb(&fr, b->arg);
}

static int
lease_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	if (t->lease_id == 0)
		return -1;
	b->cb = cb;
	b->arg = arg;
	return etcd_lease_revoke(b->etcd, t->lease_id, lease_revoked, b);
}

const struct fault_ops fault_lease_ops = {
	.name = "etcd-lease",
	.open = lease_open,
	.close = lease_close,
	.plan = lease_plan,
	.inject = lease_inject,
	.restore = NULL,
	.restarts = NULL,	/* a lease has no process to count */
};
