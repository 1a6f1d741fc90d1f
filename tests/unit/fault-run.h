/* SPDX-License-Identifier: MIT */
/* Shared by the fault backend tests (test-fault-http.c, test-fault-exec.c): a
 * coordinator to aim at, and one inject or restore run on the loop until its
 * callback, which must never come from inside the call. */
#ifndef MILVUSADM_TEST_FAULT_RUN_H
#define MILVUSADM_TEST_FAULT_RUN_H

#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "milvusadm/fault.h"
#include "milvusadm/loop.h"

#ifndef POD
#define POD "my-release-milvus-mixcoord-7d9f8b6c4-x2k9p"
#endif

struct got {
	int done;
	struct fault_result res;
};

static inline void
fault_run_res(const struct fault_result *res, void *arg)
{
	struct got *g = arg;

	g->res = *res;
	g->done = 1;
}

static const struct fault_target mix_target = {
	.kind = "coordinator", .role = "mixcoord", .server_id = 7, .address = "10.0.0.7:19530",
	.host = "10.0.0.7", .host_name = POD, .metrics_port = 9091,
};

static inline struct got
fault_run(struct loop *l, const struct fault_ops *ops, struct fault_backend *b,
    const struct fault_target *t, bool restore)
{
	struct got g;

	memset(&g, 0, sizeof g);
	if (restore)
		ck_assert_int_eq(ops->restore(b, t, fault_run_res, &g), 0);
	else
		ck_assert_int_eq(ops->inject(b, t, fault_run_res, &g), 0);
	ck_assert_int_eq(g.done, 0);
	ck_assert_int_eq(loop_run_until(l, &g.done, 20000), 0);
	return g;
}

#endif
