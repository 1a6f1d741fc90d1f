/* SPDX-License-Identifier: MIT */
/* The keys and JSON values the lab's catalog writes to etcd, as Milvus's
 * rootcoord, datacoord and querycoord do (see labd-store.h). Pure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-store.h"

/* ---- keys and values ---- */

char *
lstore_gid_key(const struct lstore *s)
{
	return xasprintf("%s/kv/gid/idTimestamp", s->root);
}

char *
lstore_meta_prefix(const struct lstore *s)
{
	return xasprintf("%s/meta/", s->root);
}

char *
lstore_db_key(const struct lstore *s, int64_t db_id)
{
	return xasprintf("%s/meta/root-coord/database/db-info/%lld", s->root, (long long)db_id);
}

char *
lstore_coll_key(const struct lstore *s, int64_t db_id, int64_t coll_id)
{
	return xasprintf("%s/meta/root-coord/database/collection-info/%lld/%lld", s->root,
	    (long long)db_id, (long long)coll_id);
}

char *
lstore_field_key(const struct lstore *s, int64_t coll_id, int64_t field_id)
{
	return xasprintf("%s/meta/root-coord/fields/%lld/%lld", s->root, (long long)coll_id,
	    (long long)field_id);
}

char *
lstore_part_key(const struct lstore *s, int64_t coll_id, int64_t part_id)
{
	return xasprintf("%s/meta/root-coord/partitions/%lld/%lld", s->root,
	    (long long)coll_id, (long long)part_id);
}

char *
lstore_alias_key(const struct lstore *s, int64_t db_id, const char *alias)
{
	return xasprintf("%s/meta/root-coord/database/aliases/%lld/%s", s->root,
	    (long long)db_id, alias);
}

char *
lstore_load_key(const struct lstore *s, int64_t coll_id)
{
	return xasprintf("%s/meta/querycoord-collection-loadinfo/%lld", s->root,
	    (long long)coll_id);
}

char *
lstore_replica_key(const struct lstore *s, int64_t coll_id, int64_t replica_id)
{
	return xasprintf("%s/meta/querycoord-replica/%lld/%lld", s->root, (long long)coll_id,
	    (long long)replica_id);
}

char *
lstore_seg_key(const struct lstore *s, int64_t coll_id, int64_t part_id, int64_t seg_id)
{
	return xasprintf("%s/meta/datacoord-meta/s/%lld/%lld/%lld", s->root,
	    (long long)coll_id, (long long)part_id, (long long)seg_id);
}

void
lstore_json_ids(struct buf *b, const int64_t *v, size_t n, bool strings)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++)
		buf_printf(b, strings ? "%s\"%lld\"" : "%s%lld", i ? "," : "", (long long)v[i]);
	buf_addc(b, ']');
}

char *
lstore_db_json(const struct lstore_db *db)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"id\":\"%lld\",\"name\":", (long long)db->id);
	buf_add_json_str(&b, db->name);
	buf_printf(&b, ",\"created\":\"%lld\",\"properties\":%s", (long long)db->created,
	    db->props != NULL ? db->props : "[]");
	if (db->props_prev != NULL)
		buf_printf(&b, ",\"properties_prev\":%s", db->props_prev);
	if (db->props_at != 0)
		buf_printf(&b, ",\"properties_at\":\"%lld\"", (long long)db->props_at);
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

char *
lstore_coll_json(const struct lstore_coll *c)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"id\":\"%lld\",\"db_id\":\"%lld\",\"name\":", (long long)c->id,
	    (long long)c->db_id);
	buf_add_json_str(&b, c->name);
	buf_adds(&b, ",\"description\":");
	buf_add_json_str(&b, c->desc != NULL ? c->desc : "");
	buf_adds(&b, ",\"consistency_level\":");
	buf_add_json_str(&b, c->consistency != NULL ? c->consistency : "Bounded");
	buf_printf(&b, ",\"shards_num\":%d,\"enable_dynamic_field\":%s,\"auto_id\":%s,"
	    "\"created\":\"%lld\",\"partition_id\":\"%lld\",\"properties\":%s,"
	    "\"indexes\":%s}", c->shards,
	    c->dynamic ? "true" : "false", c->auto_id ? "true" : "false",
	    (long long)c->created, (long long)c->part_id, c->props != NULL ? c->props : "[]",
	    c->indexes != NULL ? c->indexes : "[]");
	return buf_detach(&b, NULL);
}

char *
lstore_alias_json(const struct lstore_alias *a)
{
	return xasprintf("{\"collection_id\":\"%lld\",\"db_id\":\"%lld\"}",
	    (long long)a->coll_id, (long long)a->db_id);
}

char *
lstore_load_json(const struct lstore_load *l)
{
	return xasprintf("{\"collectionID\":\"%lld\",\"db_id\":\"%lld\",\"replica_number\":%d,"
	    "\"status\":%d,\"since\":\"%lld\"}", (long long)l->coll_id, (long long)l->db_id,
	    l->replicas, l->status, (long long)l->since);
}

char *
lstore_replica_json(const struct lstore_replica *r)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_printf(&b, "{\"ID\":\"%lld\",\"collectionID\":\"%lld\",\"db_id\":\"%lld\","
	    "\"resource_group\":\"" LSTORE_DEFAULT_RG "\",\"nodes\":", (long long)r->id,
	    (long long)r->coll_id, (long long)r->db_id);
	lstore_json_ids(&b, r->rw, r->n_rw, true);
	buf_adds(&b, ",\"ro_nodes\":");
	lstore_json_ids(&b, r->ro, r->n_ro, true);
	buf_adds(&b, ",\"channels\":[");
	for (i = 0; i < r->n_chans; i++) {
		buf_adds(&b, i ? ",{\"name\":" : "{\"name\":");
		buf_add_json_str(&b, r->chans[i].name);
		buf_printf(&b, ",\"leader\":\"%lld\"}", (long long)r->chans[i].leader);
	}
	buf_adds(&b, "]}");
	return buf_detach(&b, NULL);
}

char *
lstore_seg_json(const struct lstore_seg *g)
{
	return xasprintf("{\"id\":\"%lld\",\"collectionID\":\"%lld\",\"partitionID\":\"%lld\","
	    "\"num_of_rows\":\"%lld\",\"growing\":%s%s%s}", (long long)g->id, (long long)g->coll_id,
	    (long long)g->part_id, (long long)g->rows, g->growing ? "true" : "false",
	    g->binlogs != NULL ? ",\"binlogs\":" : "", g->binlogs != NULL ? g->binlogs : "");
}
