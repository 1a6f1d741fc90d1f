/* SPDX-License-Identifier: MIT */
/* `drill plan`: what each phase of a resolved drill will do and what its
 * backend will send, before anything happens. */
#include <inttypes.h>
#include <stdio.h>

#include "milvusadm/buf.h"
#include "milvusadm/timeutil.h"
#include "drill-int.h"

void
drill_plan(struct drill *d, struct buf *out)
{
	struct drill_report *r = d->rep;
	const struct drill_fsm *f = &r->fsm;
	char t1[32], t2[32];

	if (r->etcd_member != NULL)
		buf_printf(out, "target: %s = etcd member '%s' at %s (%s)\n", r->target,
		    r->etcd_member, r->address, r->etcd_was_leader ? "the leader" : "a follower");
	else
		buf_printf(out, "target: %s = %s %" PRId64 " at %s (%s)\n", r->target, r->role,
	    r->server_id, r->address != NULL ? r->address : "?",
	    r->host_name != NULL ? r->host_name : "no host name");
	buf_printf(out, "precheck: passed (%s, no other drill)\n", d->etcd != NULL ?
	    "at least 3 etcd members, all healthy" : f->worker ?
	    "another healthy worker of the role, etcd quorum" : "standby healthy, etcd quorum");
	/* drill_new asked the backend and refused when it could not. */
	buf_printf(out, "inject (%s, %s): %s\n", r->backend, r->signal, d->inject_plan);
	if (d->etcd != NULL)
		drill_etcd_plan(d->etcd, f, out);
	else if (f->worker)
		buf_printf(out, "detect: watch %s until it is deleted\n"
		    "elect: none (a worker)\n", d->watch_key);
	else
		buf_printf(out, "detect: watch %s until server %" PRId64 " no longer owns it\n"
		    "elect: the same watch, until another server writes it\n", d->watch_key,
		    r->server_id);
	if (d->etcd != NULL) {
		/* drill_etcd_plan said how etcd drills recover. */
	} else if (f->wait_served)
		buf_printf(out, "recover: /api/v1/_qc/replica (before 2.5: /api/v1/replicas per "
		    "loaded collection) on a proxy every %d ms until no replica lists server %"
		    PRId64 " and each has a RW node, then %d probes in a row succeed\n",
		    DRILL_SERVED_EVERY_MS, r->server_id, f->recover_k);
	else if (f->worker)
		buf_printf(out, "recover: %d probes in a row succeed through the remaining "
		    "proxies\n", f->recover_k);
	else
		buf_printf(out, "recover: /management/check/ready?role=%s on the new active "
		    "every %d ms, then %d probes in a row succeed\n", r->role,
		    DRILL_READY_EVERY_MS, f->recover_k);
	if (d->restarts != NULL)
		buf_printf(out, "restarts: counted through %s before the fault and at the end\n",
		    r->backend);
	buf_printf(out, "probes: %" PRId64 "/s through the proxies: %s%s%s\n", r->probe_rate,
	    r->probe_calls, r->probe_collection != NULL ? " on " : "",
	    r->probe_collection != NULL ? r->probe_collection : "");
	time_format_duration(f->rto_target_ms, t1, sizeof t1);
	time_format_duration(f->timeout_ms, t2, sizeof t2);
	buf_printf(out, "verdict: RTO (recovered - injected) against %s; the drill fails "
	    "after %s", t1, t2);
	if (f->phase_timeout_ms > 0) {
		time_format_duration(f->phase_timeout_ms, t2, sizeof t2);
		buf_printf(out, " or %s in one phase", t2);
	}
	buf_adds(out, "\n");
}
