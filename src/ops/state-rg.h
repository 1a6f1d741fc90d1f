/* SPDX-License-Identifier: MIT */
/* The last source of replica health (contract §7.3, §10): REST v2 resource
 * groups, for a proxy whose 9091 answers neither /api/v1/replicas (gone in
 * 3.0.3) nor /api/v1/_qc/replica (404 before 2.5, 401/403 under
 * common.security.adminAuthEnabled without root's basic auth). Internal to
 * src/ops (state-replicas.c hands over to it). */
#ifndef MILVUSADM_OPS_STATE_RG_H
#define MILVUSADM_OPS_STATE_RG_H

#include <stdbool.h>
#include <stdint.h>

#include "state-int.h"

/* What state_replicas_via says after a read from resource groups. */
#define STATE_RG_VIA		"rest:resource_groups"

/* Whether querynode id serves: its session is there, not stopping, and
 * (once health was read) Healthy. state-replicas.c. */
bool state_node_serving(const struct cluster *c, int64_t id);

/* Read every resource group (resource_groups/list, then /describe of each)
 * through the REST v2 client and replace the model's replicas (all, or
 * those of collection "db.name" when collection is not NULL) with one
 * entry per collection and resource group: replica_id -1 (unknown), the
 * group's nodes as rw_nodes (the nodes that can serve its replicas; which
 * node serves which replica is not known), health from the model's
 * sessions; the collection's n_replicas is the sum of the groups'
 * num_loaded_replica. why (copied) says why the 9091 routes could not be
 * used; it goes into src_replicas.note with what the source cannot tell.
 * On success replicas_via becomes STATE_RG_VIA and src_replicas is ok; on
 * failure src_replicas fails with why and the REST error. done(st, rc,
 * arg) runs once, possibly before this returns, unless the state is freed
 * first. */
void state_rg_replicas_async(struct state *st, const char *collection, const char *why,
    state_done_cb done, void *arg);

#endif
