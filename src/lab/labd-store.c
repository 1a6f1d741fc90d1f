/* SPDX-License-Identifier: MIT */
/* The lab's catalog in etcd: reading a snapshot of <root>/meta/ into a store,
 * and the operations that change it (see labd-store.h; the keys and JSON
 * values it writes are built in labd-store-keys.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-store.h"

#define MAX_ITEMS	4096	/* of each kind; a lab never gets near it */

/* A field kv seen before (or without) its collection; attached by lstore_sort. */
struct lstore_pending {
	int64_t coll_id, id;
	char *json;
};

#define GROW(arr, n) do {						\
	(arr) = xreallocarray((arr), (n) + 1, sizeof *(arr));		\
	memset(&(arr)[(n)], 0, sizeof *(arr));				\
} while (0)

struct lstore *
lstore_new(const char *root)
{
	struct lstore *s = xcalloc(1, sizeof *s);

	s->root = xstrdup(root);
	return s;
}

static void
coll_release(struct lstore_coll *c)
{
	size_t i;

	free(c->name);
	free(c->desc);
	free(c->consistency);
	free(c->props);
	free(c->indexes);
	for (i = 0; i < c->n_fields; i++)
		free(c->fields[i]);
	free(c->fields);
	free(c->field_ids);
}

void
lstore_free(struct lstore *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_dbs; i++) {
		free(s->dbs[i].name);
		free(s->dbs[i].props);
		free(s->dbs[i].props_prev);
	}
	lstore_rbac_free(s);
	for (i = 0; i < s->n_colls; i++)
		coll_release(&s->colls[i]);
	for (i = 0; i < s->n_aliases; i++)
		free(s->aliases[i].name);
	for (i = 0; i < s->n_replicas; i++) {
		size_t j;

		free(s->replicas[i].rw);
		free(s->replicas[i].ro);
		for (j = 0; j < s->replicas[i].n_chans; j++)
			free(s->replicas[i].chans[j].name);
		free(s->replicas[i].chans);
	}
	for (i = 0; i < s->n_nodes; i++)
		free(s->nodes[i].addr);
	for (i = 0; i < s->n_segs; i++)
		free(s->segs[i].binlogs);
	for (i = 0; i < s->n_pending; i++)
		free(s->pending[i].json);
	free(s->pending);
	free(s->dbs);
	free(s->colls);
	free(s->aliases);
	free(s->loads);
	free(s->replicas);
	free(s->segs);
	free(s->nodes);
	free(s->root);
	free(s);
}

/* ---- small JSON readers (IDs are decimal strings in the lab's values) ---- */

static int64_t
j_id(const cJSON *o, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
	int64_t v;

	if (cJSON_IsString(it) &&
	    jsonraw_parse_int64(it->valuestring, strlen(it->valuestring), &v) == 0)
		return v;
	/* Out of int64's range the conversion is undefined: the file is input. */
	if (cJSON_IsNumber(it) && it->valuedouble > -9.2e18 && it->valuedouble < 9.2e18)
		return (int64_t)it->valuedouble;
	return 0;
}

static char *
j_str(const cJSON *o, const char *name, const char *dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	if (cJSON_IsString(it))
		return xstrndup(it->valuestring, 4096);
	return dflt != NULL ? xstrdup(dflt) : NULL;
}

static char *
j_raw(const cJSON *o, const char *name, const char *dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	if (it == NULL)
		return xstrdup(dflt);
	return cJSON_PrintUnformatted(it);
}

static int
j_ids(const cJSON *arr, int64_t **out, size_t *n)
{
	const cJSON *e;
	int64_t v;

	*out = NULL;
	*n = 0;
	cJSON_ArrayForEach(e, arr) {
		if (*n >= MAX_ITEMS)
			break;
		if (cJSON_IsString(e)) {
			if (jsonraw_parse_int64(e->valuestring, strlen(e->valuestring), &v) != 0)
				continue;
		} else if (cJSON_IsNumber(e))
			v = (int64_t)e->valuedouble;
		else
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = v;
	}
	return 0;
}

/* Parse the decimal path segments after prefix: "12/34" into ids[0..2]. */
static int
key_ids(const char *rest, int64_t *ids, int want)
{
	const char *p = rest, *slash;
	int i;

	for (i = 0; i < want; i++) {
		slash = strchr(p, '/');
		if ((slash == NULL) != (i == want - 1))
			return -1;
		if (jsonraw_parse_int64(p, slash != NULL ? (size_t)(slash - p) : strlen(p),
		    &ids[i]) != 0)
			return -1;
		if (slash != NULL)
			p = slash + 1;
	}
	return 0;
}

/* ---- reading ---- */

static void
add_db(struct lstore *s, const cJSON *o, int64_t id, int64_t mod)
{
	struct lstore_db *db;
	char *name = j_str(o, "name", NULL);
	size_t i;

	if (name == NULL || s->n_dbs >= MAX_ITEMS) {
		free(name);
		return;
	}
	for (i = 0; i < s->n_dbs; i++) {
		if (s->dbs[i].id == id) {
			free(name);
			return;
		}
	}
	GROW(s->dbs, s->n_dbs);
	db = &s->dbs[s->n_dbs++];
	db->id = id;
	db->name = name;
	db->created = j_id(o, "created");
	db->props = j_raw(o, "properties", "[]");
	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "properties_prev")))
		db->props_prev = j_raw(o, "properties_prev", "[]");
	db->props_at = j_id(o, "properties_at");
	db->mod_rev = mod;
}

static void
add_coll(struct lstore *s, const cJSON *o, int64_t db_id, int64_t id, int64_t mod)
{
	struct lstore_coll *c;
	char *name = j_str(o, "name", NULL);
	const cJSON *it;

	if (name == NULL || s->n_colls >= MAX_ITEMS) {
		free(name);
		return;
	}
	GROW(s->colls, s->n_colls);
	c = &s->colls[s->n_colls++];
	c->id = id;
	c->db_id = db_id;
	c->name = name;
	c->desc = j_str(o, "description", "");
	c->consistency = j_str(o, "consistency_level", "Bounded");
	it = cJSON_GetObjectItemCaseSensitive(o, "shards_num");
	c->shards = cJSON_IsNumber(it) && it->valueint > 0 && it->valueint <= 64 ?
	    it->valueint : 1;
	c->dynamic = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "enable_dynamic_field"));
	c->auto_id = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "auto_id"));
	c->created = j_id(o, "created");
	c->part_id = j_id(o, "partition_id");
	c->props = j_raw(o, "properties", "[]");
	c->indexes = j_raw(o, "indexes", "[]");
	c->mod_rev = mod;
}

static void
add_replica(struct lstore *s, const cJSON *o, int64_t coll_id, int64_t id, int64_t mod)
{
	struct lstore_replica *r;
	const cJSON *chans, *ch;

	if (s->n_replicas >= MAX_ITEMS)
		return;
	GROW(s->replicas, s->n_replicas);
	r = &s->replicas[s->n_replicas++];
	r->id = id;
	r->coll_id = coll_id;
	r->db_id = j_id(o, "db_id");
	r->mod_rev = mod;
	j_ids(cJSON_GetObjectItemCaseSensitive(o, "nodes"), &r->rw, &r->n_rw);
	j_ids(cJSON_GetObjectItemCaseSensitive(o, "ro_nodes"), &r->ro, &r->n_ro);
	chans = cJSON_GetObjectItemCaseSensitive(o, "channels");
	cJSON_ArrayForEach(ch, chans) {
		char *name = j_str(ch, "name", NULL);

		if (name == NULL || r->n_chans >= 64) {
			free(name);
			continue;
		}
		GROW(r->chans, r->n_chans);
		r->chans[r->n_chans].name = name;
		r->chans[r->n_chans++].leader = j_id(ch, "leader");
	}
}

static void
add_session(struct lstore *s, const char *name, const cJSON *o)
{
	struct lstore_node *n;
	int64_t id;

	if (strncmp(name, "querynode-", 10) != 0 ||
	    jsonraw_parse_int64(name + 10, strlen(name + 10), &id) != 0 ||
	    s->n_nodes >= MAX_ITEMS)
		return;
	GROW(s->nodes, s->n_nodes);
	n = &s->nodes[s->n_nodes++];
	n->id = id;
	n->addr = j_str(o, "Address", "");
	n->stopping = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "Stopping"));
}

void
lstore_add_kv(struct lstore *s, const char *key, size_t key_len, const char *val,
    size_t val_len, int64_t mod_rev)
{
	size_t rl = strlen(s->root);
	const char *k;
	int64_t ids[3];
	cJSON *o;

	if (key_len <= rl || strncmp(key, s->root, rl) != 0 || key[rl] != '/')
		return;
	k = key + rl + 1;
	if (strcmp(k, "kv/gid/idTimestamp") == 0) {
		if (jsonraw_parse_int64(val, val_len, &ids[0]) == 0)
			s->gid = ids[0];
		return;
	}
	if (strncmp(k, "meta/", 5) != 0)
		return;
	k += 5;
	/* Roles and mappings have empty values, grants plain IDs: not JSON. */
	if (strncmp(k, "root-coord/credential/", 22) == 0) {
		lstore_rbac_add_kv(s, k + 22, key_len - (size_t)(k + 22 - key), val, val_len,
		    mod_rev);
		return;
	}
	if ((o = cJSON_ParseWithLength(val, val_len)) == NULL)
		return;
	if (strncmp(k, "root-coord/database/db-info/", 28) == 0) {
		if (key_ids(k + 28, ids, 1) == 0)
			add_db(s, o, ids[0], mod_rev);
	} else if (strncmp(k, "root-coord/database/collection-info/", 36) == 0) {
		if (key_ids(k + 36, ids, 2) == 0)
			add_coll(s, o, ids[0], ids[1], mod_rev);
	} else if (strncmp(k, "root-coord/fields/", 18) == 0) {
		if (key_ids(k + 18, ids, 2) == 0 && s->n_pending < MAX_ITEMS) {
			GROW(s->pending, s->n_pending);
			s->pending[s->n_pending].coll_id = ids[0];
			s->pending[s->n_pending].id = ids[1];
			s->pending[s->n_pending++].json = cJSON_PrintUnformatted(o);
		}
	} else if (strncmp(k, "root-coord/database/aliases/", 28) == 0) {
		const char *slash = strchr(k + 28, '/');

		if (slash != NULL && jsonraw_parse_int64(k + 28, (size_t)(slash - k - 28),
		    &ids[0]) == 0 && slash[1] != '\0' && s->n_aliases < MAX_ITEMS) {
			GROW(s->aliases, s->n_aliases);
			s->aliases[s->n_aliases].name = xstrdup(slash + 1);
			s->aliases[s->n_aliases].db_id = ids[0];
			s->aliases[s->n_aliases].coll_id = j_id(o, "collection_id");
			s->aliases[s->n_aliases++].mod_rev = mod_rev;
		}
	} else if (strncmp(k, "querycoord-collection-loadinfo/", 31) == 0) {
		if (key_ids(k + 31, ids, 1) == 0 && s->n_loads < MAX_ITEMS) {
			struct lstore_load *l;
			const cJSON *it;

			GROW(s->loads, s->n_loads);
			l = &s->loads[s->n_loads++];
			l->coll_id = ids[0];
			l->db_id = j_id(o, "db_id");
			it = cJSON_GetObjectItemCaseSensitive(o, "replica_number");
			l->replicas = cJSON_IsNumber(it) && it->valueint > 0 ? it->valueint : 1;
			it = cJSON_GetObjectItemCaseSensitive(o, "status");
			l->status = cJSON_IsNumber(it) ? it->valueint : LSTORE_LOADING;
			l->since = j_id(o, "since");
			l->mod_rev = mod_rev;
		}
	} else if (strncmp(k, "querycoord-replica/", 19) == 0) {
		if (key_ids(k + 19, ids, 2) == 0)
			add_replica(s, o, ids[0], ids[1], mod_rev);
	} else if (strncmp(k, "datacoord-meta/s/", 17) == 0) {
		if (key_ids(k + 17, ids, 3) == 0 && s->n_segs < MAX_ITEMS) {
			struct lstore_seg *g;

			GROW(s->segs, s->n_segs);
			g = &s->segs[s->n_segs++];
			g->coll_id = ids[0];
			g->part_id = ids[1];
			g->id = ids[2];
			g->rows = j_id(o, "num_of_rows");
			g->growing = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "growing"));
			if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "binlogs")))
				g->binlogs = j_raw(o, "binlogs", "[]");
			g->mod_rev = mod_rev;
		}
	} else if (strncmp(k, "session/", 8) == 0)
		add_session(s, k + 8, o);
	cJSON_Delete(o);
}

#define CMP_BY_ID(fname, type)						\
static int								\
fname(const void *a, const void *b)					\
{									\
	const type *x = a, *y = b;					\
	return x->id < y->id ? -1 : x->id > y->id;			\
}
CMP_BY_ID(cmp_db, struct lstore_db)
CMP_BY_ID(cmp_coll, struct lstore_coll)
CMP_BY_ID(cmp_replica, struct lstore_replica)
CMP_BY_ID(cmp_node, struct lstore_node)
CMP_BY_ID(cmp_field, struct lstore_pending)

static int
cmp_alias(const void *a, const void *b)
{
	const struct lstore_alias *x = a, *y = b;

	return strcmp(x->name, y->name);
}

void
lstore_sort(struct lstore *s)
{
	struct lstore_coll *c;
	size_t i;

	/* The default database exists even before rootcoord writes its key. */
	if (lstore_db_by_id(s, LSTORE_DEFAULT_DB_ID) == NULL) {
		GROW(s->dbs, s->n_dbs);
		s->dbs[s->n_dbs].id = LSTORE_DEFAULT_DB_ID;
		s->dbs[s->n_dbs].name = xstrdup("default");
		s->dbs[s->n_dbs++].props = xstrdup("[]");
	}
	qsort(s->dbs, s->n_dbs, sizeof *s->dbs, cmp_db);
	if (s->n_colls > 0)
		qsort(s->colls, s->n_colls, sizeof *s->colls, cmp_coll);
	if (s->n_replicas > 0)
		qsort(s->replicas, s->n_replicas, sizeof *s->replicas, cmp_replica);
	if (s->n_nodes > 0)
		qsort(s->nodes, s->n_nodes, sizeof *s->nodes, cmp_node);
	if (s->n_aliases > 0)
		qsort(s->aliases, s->n_aliases, sizeof *s->aliases, cmp_alias);
	if (s->n_pending > 0)
		qsort(s->pending, s->n_pending, sizeof *s->pending, cmp_field);
	for (i = 0; i < s->n_pending; i++) {
		struct lstore_pending *pf = &s->pending[i];

		if ((c = lstore_coll_by_id(s, pf->coll_id)) == NULL) {
			free(pf->json);
			continue;
		}
		c->fields = xreallocarray(c->fields, c->n_fields + 1, sizeof *c->fields);
		c->field_ids = xreallocarray(c->field_ids, c->n_fields + 1, sizeof *c->field_ids);
		c->fields[c->n_fields] = pf->json;
		c->field_ids[c->n_fields++] = pf->id;
	}
	free(s->pending);
	s->pending = NULL;
	s->n_pending = 0;
	lstore_rbac_sort(s);
}

/* ---- lookups ---- */

const struct lstore_db *
lstore_db_by_name(const struct lstore *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_dbs; i++) {
		if (strcmp(s->dbs[i].name, name) == 0)
			return &s->dbs[i];
	}
	return NULL;
}

const struct lstore_db *
lstore_db_by_id(const struct lstore *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n_dbs; i++) {
		if (s->dbs[i].id == id)
			return &s->dbs[i];
	}
	return NULL;
}

struct lstore_coll *
lstore_coll_by_name(const struct lstore *s, int64_t db_id, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_colls; i++) {
		if (s->colls[i].db_id == db_id && strcmp(s->colls[i].name, name) == 0)
			return &s->colls[i];
	}
	return NULL;
}

struct lstore_coll *
lstore_coll_by_id(const struct lstore *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n_colls; i++) {
		if (s->colls[i].id == id)
			return &s->colls[i];
	}
	return NULL;
}

const struct lstore_alias *
lstore_alias_find(const struct lstore *s, int64_t db_id, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_aliases; i++) {
		if (s->aliases[i].db_id == db_id && strcmp(s->aliases[i].name, name) == 0)
			return &s->aliases[i];
	}
	return NULL;
}

struct lstore_coll *
lstore_coll_resolve(const struct lstore *s, int64_t db_id, const char *name)
{
	struct lstore_coll *c = lstore_coll_by_name(s, db_id, name);
	const struct lstore_alias *a;

	if (c == NULL && (a = lstore_alias_find(s, db_id, name)) != NULL)
		c = lstore_coll_by_id(s, a->coll_id);
	return c;
}

struct lstore_load *
lstore_load_find(const struct lstore *s, int64_t coll_id)
{
	size_t i;

	for (i = 0; i < s->n_loads; i++) {
		if (s->loads[i].coll_id == coll_id)
			return &s->loads[i];
	}
	return NULL;
}

const struct lstore_node *
lstore_node_find(const struct lstore *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n_nodes; i++) {
		if (s->nodes[i].id == id)
			return &s->nodes[i];
	}
	return NULL;
}

int64_t
lstore_rows(const struct lstore *s, int64_t coll_id)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < s->n_segs; i++) {
		if (s->segs[i].coll_id == coll_id)
			n += s->segs[i].rows;
	}
	return n;
}

char *
lstore_vchannel(const struct lstore *s, int64_t coll_id, int shard)
{
	return xasprintf("%s-rootcoord-dml_%d_%lldv%d", s->root, shard % 16,
	    (long long)coll_id, shard);
}

/* ---- operations ---- */

static struct lstore_op *
op_add(struct lstore_ops *o, enum lstore_op_kind kind, char *key)
{
	struct lstore_op *op;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->v = xreallocarray(o->v, o->cap, sizeof *o->v);
	}
	op = &o->v[o->n++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->key = key;
	return op;
}

void
lstore_ops_release(struct lstore_ops *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].key);
		free(o->v[i].val);
	}
	free(o->v);
	memset(o, 0, sizeof *o);
}

void
lstore_op_put(struct lstore_ops *o, char *key, char *val)
{
	op_add(o, LSTORE_PUT, key)->val = val;
}

void
lstore_op_del(struct lstore_ops *o, char *key, bool prefix)
{
	op_add(o, LSTORE_DEL, key)->prefix = prefix;
}

void
lstore_op_cmp(struct lstore_ops *o, enum lstore_op_kind k, char *key, int64_t n)
{
	op_add(o, k, key)->n = n;
}

int64_t
lstore_alloc_id(const struct lstore *s, struct lstore_ops *o)
{
	if (o->gid_next == 0)
		o->gid_next = s->gid > LSTORE_ID_BASE ? s->gid : LSTORE_ID_BASE;
	return ++o->gid_next;
}

void
lstore_ops_finish(const struct lstore *s, struct lstore_ops *o)
{
	if (o->gid_next == 0)
		return;
	/* Two proxies allocating at once: one txn fails its compare and retries. */
	lstore_op_cmp(o, LSTORE_CMP_GID, lstore_gid_key(s), s->gid);
	lstore_op_put(o, lstore_gid_key(s), xasprintf("%lld", (long long)o->gid_next));
}

void
lstore_drop_coll(const struct lstore *s, const struct lstore_coll *c, struct lstore_ops *o)
{
	size_t i;

	lstore_op_del(o, lstore_coll_key(s, c->db_id, c->id), false);
	lstore_op_del(o, xasprintf("%s/meta/root-coord/fields/%lld/", s->root,
	    (long long)c->id), true);
	lstore_op_del(o, xasprintf("%s/meta/root-coord/partitions/%lld/", s->root,
	    (long long)c->id), true);
	for (i = 0; i < s->n_aliases; i++) {
		if (s->aliases[i].coll_id == c->id)
			lstore_op_del(o, lstore_alias_key(s, s->aliases[i].db_id,
			    s->aliases[i].name), false);
	}
	lstore_op_del(o, lstore_load_key(s, c->id), false);
	lstore_op_del(o, xasprintf("%s/meta/querycoord-replica/%lld/", s->root,
	    (long long)c->id), true);
	lstore_op_del(o, xasprintf("%s/meta/datacoord-meta/s/%lld/", s->root,
	    (long long)c->id), true);
}
