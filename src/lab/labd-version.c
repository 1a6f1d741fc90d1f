/* SPDX-License-Identifier: MIT */
/* The version profiles the lab can play and the role table (contract §2, §3, §9, §10). */
#include <string.h>

#include "labd.h"

/*
 * One row per release line; the numbers of the querynode index engine
 * versions are illustrative (the contract's examples), the flags are §1.5,
 * §2.3-§2.7, §4.1-§4.2 and §9 read for the patch release named in semver.
 */
static const struct labd_version versions[] = {
	{
		.name = "2.3", .semver = "2.3.4", .major = 2, .minor = 3, .patch = 4,
		.real_ttl = 30, .lease_lost_exit = 1,
		.split_coords = true, .indexcoord_session = true, .indexnode = true,
		.indexnode_stopping = true,
		.fence_on_delete = true, .handle_restart = true, .mixcoord_port = 53100,
		.enable_disk = true,
		.healthz = LABD_HEALTHZ_23,
		.qn_index_cur = 3,
	},
	{
		.name = "2.4", .semver = "2.4.13", .major = 2, .minor = 4, .patch = 13,
		.real_ttl = 30, .lease_lost_exit = 1,
		.split_coords = true, .indexcoord_session = true, .indexnode = true,
		.indexnode_stopping = true,
		.fence_on_delete = true, .handle_restart = true, .mixcoord_port = 53100,
		.enable_disk = true, .management = true,
		/* 2.4.13: no databases/ routes, no force-deny DDL keys (2.4.24+),
		 * no RBAC v2 nor privilege groups. */
		.rest_v2 = true,
		.healthz = LABD_HEALTHZ_24,
		.qn_index_cur = 5,
	},
	{
		/* 2.5.27 is "late 2.5": scalar index version and IndexNonEncoding
		 * present, EnableDisk gone (§1.5). */
		.name = "2.5", .semver = "2.5.27", .major = 2, .minor = 5, .patch = 27,
		.real_ttl = 30, .lease_lost_exit = 1,
		.split_coords = true, .indexcoord_session = true, .indexnode = true,
		.fence_on_delete = true, .handle_restart = true, .mixcoord_port = 53100,
		.scalar_index = true, .index_non_encoding = true, .server_labels = true,
		.management = true,
		.rest_v2 = true, .rest_databases = true, .webui = true, .drop_alias_check = true,
		.force_deny_ddl = true, .privilege_groups = true,
		.healthz = LABD_HEALTHZ_24,
		.qn_index_cur = 6, .qn_scalar_cur = 2,
	},
	{
		.name = "2.6", .semver = "2.6.18", .major = 2, .minor = 6, .patch = 18,
		.real_ttl = 15, .lease_lost_exit = 1,
		.streamingnode = true,
		.lease_exit = true, .mix_legacy = true, .mixcoord_port = 22125,
		.scalar_index = true, .index_non_encoding = true, .index_max = true,
		.server_labels = true, .labels_all_roles = true,
		.management = true, .livez = true,
		.rest_v2 = true, .rest_databases = true, .webui = true, .drop_alias_check = true,
		.force_deny_ddl = true, .privilege_groups = true, .drop_deletes_grants = true,
		.healthz = LABD_HEALTHZ_24,
		.qn_index_cur = 7, .qn_index_max = 7, .qn_scalar_cur = 2, .qn_scalar_max = 2,
	},
	{
		/*
		 * 3.0.4 (§10): the 2.6.8+ roles, keys and election, TTL 15 s;
		 * what §10 is silent on (ports, index engine versions, REST v2,
		 * RBAC, drop rules) is played as 2.6. 3.x source has no
		 * TriggerKill, a lost lease exits 80, and 3.0.3 removed the
		 * legacy /api/v1 routes from 9091 (the WebUI's /api/v1/_* stay).
		 */
		.name = "3.0", .semver = "3.0.4", .major = 3, .minor = 0, .patch = 4,
		.real_ttl = 15, .lease_lost_exit = 80,
		.streamingnode = true,
		.lease_exit = true, .mix_legacy = true, .mixcoord_port = 22125,
		.scalar_index = true, .index_non_encoding = true, .index_max = true,
		.server_labels = true, .labels_all_roles = true,
		.management = true, .livez = true,
		.rest_v2 = true, .rest_databases = true, .webui = true, .drop_alias_check = true,
		.force_deny_ddl = true, .privilege_groups = true, .drop_deletes_grants = true,
		.no_trigger_kill = true, .no_api_v1_legacy = true,
		.healthz = LABD_HEALTHZ_24,
		.qn_index_cur = 7, .qn_index_max = 7, .qn_scalar_cur = 2, .qn_scalar_max = 2,
	},
};

const struct labd_version *
labd_version_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		if (strcmp(versions[i].name, name) == 0 ||
		    strcmp(versions[i].semver, name) == 0)
			return &versions[i];
	}
	return NULL;
}

const struct labd_version *
labd_version_all(size_t *n)
{
	*n = sizeof versions / sizeof versions[0];
	return versions;
}

static const struct {
	const char *name;
	int port;
	bool exclusive;
	int stop_phase;
} roles[LABD_NROLES] = {
	[LABD_ROOTCOORD] = { "rootcoord", 53100, true, 0 },
	[LABD_QUERYCOORD] = { "querycoord", 19531, true, 0 },
	[LABD_DATACOORD] = { "datacoord", 13333, true, 0 },
	/* indexcoord has no port of its own: its session carries DataCoord's. */
	[LABD_INDEXCOORD] = { "indexcoord", 13333, true, 0 },
	[LABD_MIXCOORD] = { "mixcoord", 0, true, 0 },
	[LABD_PROXY] = { "proxy", 19529, false, 2 },
	[LABD_QUERYNODE] = { "querynode", 21123, false, 1 },
	[LABD_DATANODE] = { "datanode", 21124, false, 1 },
	[LABD_INDEXNODE] = { "indexnode", 21121, false, 1 },
	[LABD_STREAMINGNODE] = { "streamingnode", 22222, false, 1 },
	[LABD_STANDALONE] = { "standalone", 0, false, 0 },
};

const char *
labd_role_name(enum labd_role r)
{
	return r < LABD_NROLES ? roles[r].name : "unknown";
}

int
labd_role_parse(const char *s)
{
	int i;

	for (i = 0; i < LABD_NROLES; i++) {
		if (strcmp(roles[i].name, s) == 0)
			return i;
	}
	return -1;
}

bool
labd_role_valid(enum labd_role r, const struct labd_version *v)
{
	switch (r) {
	case LABD_ROOTCOORD:
	case LABD_QUERYCOORD:
	case LABD_DATACOORD:
		return v->split_coords;
	case LABD_INDEXCOORD:
		/* Only as DataCoord's session and the standalone stub, never a
		 * process role the lab starts. */
		return false;
	case LABD_MIXCOORD:
		return !v->split_coords;
	case LABD_INDEXNODE:
		return v->indexnode;
	case LABD_STREAMINGNODE:
		return v->streamingnode;
	case LABD_PROXY:
	case LABD_QUERYNODE:
	case LABD_DATANODE:
	case LABD_STANDALONE:
		return true;
	default:
		return false;
	}
}

bool
labd_role_exclusive(enum labd_role r)
{
	return r < LABD_NROLES && roles[r].exclusive;
}

int
labd_role_port(enum labd_role r, const struct labd_version *v)
{
	if (r == LABD_MIXCOORD)
		return v->mixcoord_port;
	return r < LABD_NROLES ? roles[r].port : 0;
}

int
labd_role_stop_phase(enum labd_role r)
{
	return r < LABD_NROLES ? roles[r].stop_phase : 0;
}

bool
labd_role_drains(enum labd_role r, const struct labd_version *v)
{
	switch (r) {
	case LABD_QUERYNODE:
	case LABD_STREAMINGNODE:
		return true;
	case LABD_INDEXNODE:
		return v->indexnode_stopping;
	default:
		return false;
	}
}

const char *
labd_state_name(enum labd_state s)
{
	switch (s) {
	case LABD_ST_INITIALIZING: return "Initializing";
	case LABD_ST_HEALTHY: return "Healthy";
	case LABD_ST_ABNORMAL: return "Abnormal";
	case LABD_ST_STANDBY: return "StandBy";
	case LABD_ST_STOPPING: return "Stopping";
	}
	return "Abnormal";
}
