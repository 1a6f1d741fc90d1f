/* SPDX-License-Identifier: MIT */
/* The proxy's 9091 replica routes read from the catalog: GET /api/v1/replicas
 * (GetReplicasResponse, int64s as numbers, §7.3) and the 2.5+ WebUI
 * GET /api/v1/_qc/replica (IDs as strings, §4.5); and the same catalog seen
 * as resource groups through REST v2 resource_groups/list and /describe
 * (2.5+, §5.4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rest.h"

#define JSON_CT		"application/json; charset=utf-8"

/* A failed GetReplicas: the status of the response, as gin writes the proto. */
static void
v1_status(struct lrest_out *out, int code, const char *fmt, const char *arg)
{
	struct buf m = BUF_INIT;

	buf_printf(&m, fmt, arg);
	buf_reset(&out->body);
	buf_printf(&out->body, "{\"status\":{\"error_code\":%d,\"reason\":", code == 100 ? 4 : 1);
	buf_add_json_str(&out->body, m.data);
	buf_printf(&out->body, ",\"code\":%d}}", code);
	buf_release(&m);
}

static void
v1_replica(const struct lstore *s, const struct lstore_coll *coll,
    const struct lstore_replica *r, bool shard_nodes, struct buf *b)
{
	size_t i;

	buf_printf(b, "{\"replicaID\":%lld,\"collectionID\":%lld,\"partition_ids\":[%lld]",
	    (long long)r->id, (long long)r->coll_id, (long long)coll->part_id);
	if (r->n_chans > 0)
		buf_adds(b, ",\"shard_replicas\":[");
	for (i = 0; i < r->n_chans; i++) {
		const struct lstore_node *leader = lstore_node_find(s, r->chans[i].leader);

		buf_adds(b, i ? ",{" : "{");
		/* No leader: the fields are zero and so left out (omitempty). */
		if (r->chans[i].leader != 0 && leader != NULL) {
			buf_printf(b, "\"leaderID\":%lld,\"leader_addr\":", (long long)leader->id);
			buf_add_json_str(b, leader->addr);
			buf_addc(b, ',');
		}
		buf_adds(b, "\"dm_channel_name\":");
		buf_add_json_str(b, r->chans[i].name);
		if (shard_nodes && r->n_rw > 0) {
			buf_adds(b, ",\"node_ids\":");
			lstore_json_ids(b, r->rw, r->n_rw, false);
		}
		buf_addc(b, '}');
	}
	if (r->n_chans > 0)
		buf_addc(b, ']');
	if (r->n_rw > 0) {
		buf_adds(b, ",\"node_ids\":");
		lstore_json_ids(b, r->rw, r->n_rw, false);
	}
	buf_adds(b, ",\"resource_group_name\":\"" LSTORE_DEFAULT_RG "\"}");
}

void
lrest_replicas_v1(const struct lstore *s, const char *body, size_t len, struct lrest_out *out)
{
	const struct lstore_coll *coll = NULL;
	const struct lstore_db *db;
	const cJSON *it;
	cJSON *j = NULL;
	const char *dbname = "default";
	int64_t id = 0;
	bool shard_nodes;
	size_t i, n = 0;
	int rc;

	out->status = 200;
	out->ctype = JSON_CT;
	/* The collectionID is above 2^53: read it from the text, not as a double. */
	rc = body != NULL && len > 0 ? jsonraw_top_int64(body, len, "collectionID", &id) : 1;
	if (body != NULL && len > 0)
		j = cJSON_ParseWithLength(body, len);
	if (rc == -1 || (len > 0 && !cJSON_IsObject(j))) {
		out->status = 400;
		buf_reset(&out->body);
		buf_adds(&out->body, "{\"error_code\":5,\"reason\":\"request body is not a "
		    "GetReplicasRequest\"}");
		cJSON_Delete(j);
		return;
	}
	shard_nodes = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "with_shard_nodes"));
	it = cJSON_GetObjectItemCaseSensitive(j, "db_name");
	if (cJSON_IsString(it) && *it->valuestring != '\0')
		dbname = it->valuestring;
	if (id != 0)
		coll = lstore_coll_by_id(s, id);
	else if ((it = cJSON_GetObjectItemCaseSensitive(j, "collection_name")) != NULL &&
	    cJSON_IsString(it) && (db = lstore_db_by_name(s, dbname)) != NULL)
		coll = lstore_coll_resolve(s, db->id, it->valuestring);
	if (coll == NULL) {
		char what[300];

		if (id != 0)
			snprintf(what, sizeof what, "%lld", (long long)id);
		else
			snprintf(what, sizeof what, "%s", cJSON_IsString(it) ? it->valuestring : "");
		v1_status(out, 100, "collection not found[collection=%s]", what);
		cJSON_Delete(j);
		return;
	}
	cJSON_Delete(j);
	if (lstore_load_find(s, coll->id) == NULL) {
		v1_status(out, 101, "collection not loaded[collection=%s]", coll->name);
		return;
	}
	buf_reset(&out->body);
	buf_adds(&out->body, "{\"status\":{},\"replicas\":[");
	for (i = 0; i < s->n_replicas; i++) {
		if (s->replicas[i].coll_id != coll->id)
			continue;
		if (n++ > 0)
			buf_addc(&out->body, ',');
		v1_replica(s, coll, &s->replicas[i], shard_nodes, &out->body);
	}
	buf_adds(&out->body, "]}");
}

void
lrest_replicas_qc(const struct lstore *s, struct lrest_out *out)
{
	struct buf *b = &out->body;
	size_t i, j;

	out->status = 200;
	out->ctype = JSON_CT;
	buf_reset(b);
	buf_addc(b, '[');
	for (i = 0; i < s->n_replicas; i++) {
		const struct lstore_replica *r = &s->replicas[i];

		buf_printf(b, "%s{\"ID\":\"%lld\",\"collectionID\":\"%lld\",\"database_id\":\"%lld\"",
		    i ? "," : "", (long long)r->id, (long long)r->coll_id, (long long)r->db_id);
		/* Go's omitempty: empty node lists are left out. */
		if (r->n_rw > 0) {
			buf_adds(b, ",\"rw_nodes\":");
			lstore_json_ids(b, r->rw, r->n_rw, false);
		}
		buf_adds(b, ",\"resource_group\":\"" LSTORE_DEFAULT_RG "\"");
		if (r->n_ro > 0) {
			buf_adds(b, ",\"ro_nodes\":");
			lstore_json_ids(b, r->ro, r->n_ro, false);
		}
		if (r->n_chans > 0) {
			buf_adds(b, ",\"channel_to_rw_nodes\":{");
			for (j = 0; j < r->n_chans; j++) {
				if (j > 0)
					buf_addc(b, ',');
				buf_add_json_str(b, r->chans[j].name);
				if (r->chans[j].leader != 0)
					buf_printf(b, ":[%lld]", (long long)r->chans[j].leader);
				else
					buf_adds(b, ":[]");
			}
			buf_addc(b, '}');
		}
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* ---- REST v2 resource_groups/ (§5.4): the lab has one resource group ---- */

/* Milvus's default resource group's config (requests 0, limits
 * DefaultResourceGroupCapacity) as encoding/json writes the proto: a zero
 * node_num is left out (omitempty). */
#define RG_DEFAULT_CAPACITY	1000000

static void
rg_describe(struct lrest_ctx *c)
{
	const struct lstore *s = c->s;
	const char *name = lrest_str(c, "name");
	struct buf *b = &c->out->body;
	size_t i, n = 0;

	if (name == NULL || *name == '\0') {
		lrest_missing(c, "ResourceGroupReq", "Name");
		return;
	}
	if (strcmp(name, LSTORE_DEFAULT_RG) != 0) {
		/* merr.ErrResourceGroupNotFound, in the envelope. */
		lrest_err(c, 300, "resource group not found[rg=%s]", name);
		return;
	}
	for (i = 0; i < s->n_nodes; i++)
		n += !s->nodes[i].stopping;
	/* No envelope code: handler_v2.go writes {"resource_group": ...} alone. */
	buf_reset(b);
	buf_printf(b, "{\"resource_group\":{\"name\":\"" LSTORE_DEFAULT_RG "\","
	    "\"capacity\":%d,\"num_available_node\":%zu,\"num_loaded_replica\":{",
	    RG_DEFAULT_CAPACITY, n);
	/* Per loaded collection, its load info's replica number, keyed by the
	 * bare collection name as the proxy's describeResourceGroupTask does. */
	for (i = 0, n = 0; i < s->n_loads; i++) {
		const struct lstore_coll *coll = lstore_coll_by_id(s, s->loads[i].coll_id);

		if (coll == NULL)
			continue;
		if (n++ > 0)
			buf_addc(b, ',');
		buf_add_json_str(b, coll->name);
		buf_printf(b, ":%d", s->loads[i].replicas);
	}
	buf_printf(b, "},\"num_outgoing_node\":{},\"num_incoming_node\":{},"
	    "\"config\":{\"requests\":{},\"limits\":{\"node_num\":%d}},\"nodes\":[",
	    RG_DEFAULT_CAPACITY);
	/* The live querynodes (a stopping one has left the group). */
	for (i = 0, n = 0; i < s->n_nodes; i++) {
		if (s->nodes[i].stopping)
			continue;
		buf_printf(b, "%s{\"node_id\":%lld,\"address\":", n++ > 0 ? "," : "",
		    (long long)s->nodes[i].id);
		buf_add_json_str(b, s->nodes[i].addr != NULL ? s->nodes[i].addr : "");
		buf_addc(b, '}');
	}
	buf_adds(b, "]}}");
}

void
lrest_resource_groups(struct lrest_ctx *c, const char *verb)
{
	if (strcmp(verb, "list") == 0)
		lrest_ok(c, "[\"" LSTORE_DEFAULT_RG "\"]");
	else
		rg_describe(c);
}
