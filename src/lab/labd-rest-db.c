/* SPDX-License-Identifier: MIT */
/* REST v2 databases/ (2.5+, contract §5.3), aliases/ and entities/insert on
 * the lab's proxies (entities/query and get: labd-rest-query.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rbac.h"
#include "labd-rest.h"

#define SEG_MAX_ROWS	100000	/* a growing segment is sealed past this */
#define MAX_INSERT_ROWS	100000
/* A segment whose binlog list grows past this starts a new one, as Milvus
 * seals by size: the list lives in one etcd value, limited to 1.5 MiB. */
#define SEG_MAX_LIST	(256 * 1024)

static const char *
need(struct lrest_ctx *c, const char *req_struct, const char *member, const char *field)
{
	const char *v = lrest_str(c, member);

	if (v == NULL || *v == '\0' || strlen(v) > LSTORE_MAX_NAME) {
		lrest_missing(c, req_struct, field);
		return NULL;
	}
	return v;
}

/* ---- database properties and the force-deny keys (§6.2) ---- */

char *
lrest_prop(const char *props, const char *key)
{
	cJSON *arr = cJSON_Parse(props != NULL ? props : "[]"), *e;
	char *v = NULL;

	cJSON_ArrayForEach(e, arr) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(e, "value");

		if (cJSON_IsString(k) && strcmp(k->valuestring, key) == 0 && cJSON_IsString(val)) {
			free(v);
			v = xstrdup(val->valuestring);
		}
	}
	cJSON_Delete(arr);
	return v;
}

const char *
lrest_db_props_effective(const struct lstore_db *db, int64_t now_ms)
{
	if (db->props_prev != NULL && now_ms < db->props_at + LSTORE_QUOTA_MS)
		return db->props_prev;
	return db->props;
}

static bool
prop_true(const char *props, const char *key)
{
	char *v = lrest_prop(props, key);
	bool yes = lrbac_parse_bool(v) == 1;

	free(v);
	return yes;
}

bool
lrest_coll_ddl_denied(const struct labd_version *v, const struct lstore_db *db, int64_t now_ms)
{
	const char *props;

	/* QuotaCenter calculateDBDDLRates: the DDLCollection rate of the
	 * database is 0 with either key (the unknown keys of older releases are
	 * stored and ignored). */
	if (!v->force_deny_ddl || db == NULL)
		return false;
	props = lrest_db_props_effective(db, now_ms);
	return prop_true(props, "database.force.deny.ddl") ||
	    prop_true(props, "database.force.deny.collectionDDL");
}

void
lrest_quota_denied(struct lrest_ctx *c)
{
	/* handler_v2.go wrapperProxyWithLimit: CheckLimiter's error goes out as
	 * ErrHTTPRateLimit (1807) with the limiter's error (the quota error, code
	 * 9 over gRPC) after ", error: ". */
	lrest_err(c, 1807, "request is rejected by limiter, error: quota exceeded[reason=access "
	    "has been disabled by the administrator]");
}

/* ---- databases/ ---- */

static void
db_list(struct lrest_ctx *c)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addc(&b, '[');
	for (i = 0; i < c->s->n_dbs; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, c->s->dbs[i].name);
	}
	buf_addc(&b, ']');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
db_describe(struct lrest_ctx *c, const char *name)
{
	struct buf b = BUF_INIT;

	c->db_name = name;
	if (!lrest_db(c))
		return;
	buf_adds(&b, "{\"dbID\":");
	buf_printf(&b, "%lld,\"dbName\":", (long long)c->db->id);
	buf_add_json_str(&b, c->db->name);
	buf_printf(&b, ",\"properties\":%s}", c->db->props);
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
db_create(struct lrest_ctx *c, const char *name)
{
	struct lstore_db db;

	if (lstore_db_by_name(c->s, name) != NULL) {
		lrest_err(c, 65535, "database already exist: %s", name);
		return;
	}
	memset(&db, 0, sizeof db);
	db.id = lstore_alloc_id(c->s, &c->out->ops);
	db.name = (char *)name;
	db.created = c->rq->now_ms;
	db.props = lrest_kv_array(cJSON_GetObjectItemCaseSensitive(c->j, "properties"), 64);
	/* The rate limiters learn of the new database at QuotaCenter's next pass. */
	db.props_prev = (char *)"[]";
	db.props_at = db.created;
	lstore_op_put(&c->out->ops, lstore_db_key(c->s, db.id), lstore_db_json(&db));
	lstore_ops_finish(c->s, &c->out->ops);
	free(db.props);
	lrest_ok(c, "{}");
}

static void
db_drop(struct lrest_ctx *c, const char *name)
{
	const struct lstore_db *db = lstore_db_by_name(c->s, name);
	size_t i;

	if (strcmp(name, "default") == 0) {
		lrest_err(c, 65535, "can not drop default database");
		return;
	}
	if (db == NULL) {
		lrest_ok(c, "{}");
		return;
	}
	for (i = 0; i < c->s->n_colls; i++) {
		if (c->s->colls[i].db_id == db->id) {
			lrest_err(c, 65535, "database:%s not empty, must drop all collections before "
			    "drop database", name);
			return;
		}
	}
	lstore_op_del(&c->out->ops, lstore_db_key(c->s, db->id), false);
	lrest_ok(c, "{}");
}

/* MergeProperties: a key given again takes its new value in place, new keys
 * follow in the order given; or DeleteProperties. NULL when nothing changes
 * (rootcoord's alter then skips: "no changes were detected"). */
static char *
props_alter(const char *old, const cJSON *set, const cJSON *del)
{
	cJSON *arr = cJSON_Parse(old != NULL ? old : "[]"), *e, *next;
	const cJSON *it;
	char *kv, *out;
	bool changed = false;

	if (!cJSON_IsArray(arr)) {
		cJSON_Delete(arr);
		arr = cJSON_CreateArray();
	}
	cJSON_ArrayForEach(it, del) {
		for (e = arr->child; e != NULL; e = next) {
			const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");

			next = e->next;
			if (cJSON_IsString(it) && cJSON_IsString(k) &&
			    strcmp(k->valuestring, it->valuestring) == 0) {
				cJSON_Delete(cJSON_DetachItemViaPointer(arr, e));
				changed = true;
			}
		}
	}
	/* The values as REST gives them to the proxy: fmt.Sprintf("%v", v). */
	kv = lrest_kv_array(set, 64);
	{
		cJSON *pairs = cJSON_Parse(kv);

		cJSON_ArrayForEach(it, pairs) {
			const char *key = cJSON_GetObjectItemCaseSensitive(it, "key")->valuestring;
			const char *val = cJSON_GetObjectItemCaseSensitive(it, "value")->valuestring;
			bool found = false;

			cJSON_ArrayForEach(e, arr) {
				cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
				cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");

				if (!cJSON_IsString(k) || strcmp(k->valuestring, key) != 0)
					continue;
				found = true;
				if (!cJSON_IsString(v) || strcmp(v->valuestring, val) != 0) {
					cJSON_ReplaceItemInObjectCaseSensitive(e, "value",
					    cJSON_CreateString(val));
					changed = true;
				}
			}
			if (!found && cJSON_GetArraySize(arr) < 64) {
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "key", key);
				cJSON_AddStringToObject(e, "value", val);
				cJSON_AddItemToArray(arr, e);
				changed = true;
			}
		}
		cJSON_Delete(pairs);
	}
	free(kv);
	out = changed ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return out;
}

/* databases/alter, alter_properties (properties) and drop_properties
 * (propertyKeys): AlterDatabase. The rate limiters see the change
 * LSTORE_QUOTA_MS later (lrest_db_props_effective). */
static void
db_alter(struct lrest_ctx *c, const char *name, bool drop)
{
	const cJSON *set = drop ? NULL : cJSON_GetObjectItemCaseSensitive(c->j, "properties");
	const cJSON *del = drop ? cJSON_GetObjectItemCaseSensitive(c->j, "propertyKeys") : NULL;
	struct lstore_db db;
	char *props;

	c->db_name = name;
	if (!lrest_db(c))
		return;
	if ((set == NULL || cJSON_GetArraySize(set) == 0) &&
	    (del == NULL || cJSON_GetArraySize(del) == 0)) {
		lrest_err(c, 65535, "alter database with empty properties and delete keys, expected "
		    "to set either properties or delete keys");
		return;
	}
	if ((props = props_alter(c->db->props, set, del)) == NULL) {
		lrest_ok(c, "{}");
		return;
	}
	db = *c->db;
	db.props = props;
	db.props_prev = (char *)lrest_db_props_effective(c->db, c->rq->now_ms);
	db.props_at = c->rq->now_ms;
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD, lstore_db_key(c->s, db.id), db.mod_rev);
	lstore_op_put(&c->out->ops, lstore_db_key(c->s, db.id), lstore_db_json(&db));
	free(props);
	lrest_ok(c, "{}");
}

void
lrest_databases(struct lrest_ctx *c, const char *verb)
{
	const char *name, *req = "DatabaseReqRequiredName";

	if (strcmp(verb, "list") == 0) {
		db_list(c);
		return;
	}
	if (strcmp(verb, "create") == 0 || strncmp(verb, "alter", 5) == 0)
		req = "DatabaseReqWithProperties";
	else if (strcmp(verb, "drop_properties") == 0)
		req = "DropDatabasePropertiesReq";
	if ((name = need(c, req, "dbName", "DbName")) == NULL)
		return;
	if (strcmp(verb, "describe") == 0)
		db_describe(c, name);
	else if (strcmp(verb, "create") == 0)
		db_create(c, name);
	else if (strcmp(verb, "alter") == 0 || strcmp(verb, "alter_properties") == 0)
		db_alter(c, name, false);
	else if (strcmp(verb, "drop_properties") == 0)
		db_alter(c, name, true);
	else
		db_drop(c, name);
}

/* ---- aliases/ ---- */

static void
alias_list(struct lrest_ctx *c)
{
	const char *cname = lrest_str(c, "collectionName");
	const struct lstore_coll *coll = NULL;
	struct buf b = BUF_INIT;
	size_t i, n = 0;

	if (!lrest_db(c))
		return;
	if (cname != NULL && *cname != '\0' && (coll = lrest_coll(c, cname)) == NULL)
		return;
	buf_addc(&b, '[');
	for (i = 0; i < c->s->n_aliases; i++) {
		const struct lstore_alias *a = &c->s->aliases[i];

		if (a->db_id != c->db->id || (coll != NULL && a->coll_id != coll->id))
			continue;
		if (n++ > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, a->name);
	}
	buf_addc(&b, ']');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static const struct lstore_alias *
alias_need(struct lrest_ctx *c, const char *alias)
{
	const struct lstore_alias *a = lstore_alias_find(c->s, c->db->id, alias);

	if (a == NULL)
		lrest_err(c, 1600, "alias not found[database=%s][alias=%s]", c->db_name, alias);
	return a;
}

static void
alias_describe(struct lrest_ctx *c, const char *alias)
{
	const struct lstore_alias *a;
	const struct lstore_coll *coll;
	struct buf b = BUF_INIT;

	if ((a = alias_need(c, alias)) == NULL)
		return;
	coll = lstore_coll_by_id(c->s, a->coll_id);
	buf_adds(&b, "{\"aliasName\":");
	buf_add_json_str(&b, a->name);
	buf_adds(&b, ",\"collectionName\":");
	buf_add_json_str(&b, coll != NULL ? coll->name : "");
	buf_adds(&b, ",\"dbName\":");
	buf_add_json_str(&b, c->db->name);
	buf_addc(&b, '}');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
alias_put(struct lrest_ctx *c, const char *alias, const struct lstore_coll *coll, bool create)
{
	const struct lstore_alias *old = lstore_alias_find(c->s, c->db->id, alias);
	struct lstore_alias a;

	if (create && old != NULL) {
		lrest_err(c, 1602, "alias already exist[database=%s][alias=%s]", c->db_name, alias);
		return;
	}
	if (!create && old == NULL) {
		alias_need(c, alias);
		return;
	}
	if (lstore_coll_by_name(c->s, c->db->id, alias) != NULL) {
		lrest_err(c, 1601, "alias and collection name conflict[database=%s][alias=%s]",
		    c->db_name, alias);
		return;
	}
	memset(&a, 0, sizeof a);
	a.name = (char *)alias;
	a.db_id = c->db->id;
	a.coll_id = coll->id;
	if (create)
		lstore_op_cmp(&c->out->ops, LSTORE_CMP_ABSENT,
		    lstore_alias_key(c->s, c->db->id, alias), 0);
	else
		lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD,
		    lstore_alias_key(c->s, c->db->id, alias), old->mod_rev);
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD, lstore_coll_key(c->s, coll->db_id, coll->id),
	    coll->mod_rev);
	lstore_op_put(&c->out->ops, lstore_alias_key(c->s, c->db->id, alias), lstore_alias_json(&a));
	lrest_ok(c, "{}");
}

void
lrest_aliases(struct lrest_ctx *c, const char *verb)
{
	const struct lstore_coll *coll;
	const char *alias, *cname = NULL;

	if (strcmp(verb, "list") == 0) {
		alias_list(c);
		return;
	}
	if (strcmp(verb, "create") == 0 || strcmp(verb, "alter") == 0) {
		if ((cname = need(c, "AliasCollectionReq", "collectionName", "CollectionName")) == NULL ||
		    (alias = need(c, "AliasCollectionReq", "aliasName", "AliasName")) == NULL)
			return;
	} else if ((alias = need(c, "AliasReq", "aliasName", "AliasName")) == NULL)
		return;
	if (!lrest_db(c))
		return;
	if (strcmp(verb, "describe") == 0) {
		alias_describe(c, alias);
	} else if (strcmp(verb, "drop") == 0) {
		/* Dropping an alias that does not exist succeeds, as in rootcoord. */
		if (lstore_alias_find(c->s, c->db->id, alias) != NULL)
			lstore_op_del(&c->out->ops, lstore_alias_key(c->s, c->db->id, alias), false);
		lrest_ok(c, "{}");
	} else {
		if ((coll = lstore_coll_by_name(c->s, c->db->id, cname)) == NULL) {
			lrest_err(c, 100, "collection not found[collection=%s]", cname);
			return;
		}
		alias_put(c, alias, coll, strcmp(verb, "create") == 0);
	}
}

/* ---- entities/ ---- */

/* The primary key field's name, and whether it is auto_id, from the fields. */
static char *
pk_field(const struct lstore_coll *coll, bool *auto_id)
{
	char *name = NULL;
	size_t i;

	*auto_id = false;
	for (i = 0; i < coll->n_fields && name == NULL; i++) {
		cJSON *f = cJSON_Parse(coll->fields[i]);

		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "primaryKey"))) {
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");

			name = xstrdup(cJSON_IsString(n) ? n->valuestring : "id");
			*auto_id = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "autoId"));
		}
		cJSON_Delete(f);
	}
	return name;
}

/* The rows are counted into a growing segment and, on a proxy with storage,
 * written as that segment's binlogs (labd-binlog.c). */
static void
entities_insert(struct lrest_ctx *c)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(c->j, "data"), *row;
	struct lstore_seg *grow = NULL, g;
	struct lstore_coll *coll;
	struct buf b = BUF_INIT;
	const char *name;
	int64_t n = 0, base = 0;
	bool auto_id;
	char *pk;
	size_t i;

	if ((name = need(c, "CollectionDataReq", "collectionName", "CollectionName")) == NULL)
		return;
	if (!cJSON_IsArray(data) || cJSON_GetArraySize(data) == 0) {
		lrest_missing(c, "CollectionDataReq", "Data");
		return;
	}
	if (!lrest_db(c) || (coll = lrest_coll(c, name)) == NULL)
		return;
	if (cJSON_GetArraySize(data) > MAX_INSERT_ROWS) {
		lrest_err(c, 1100, "too many rows in one insert: invalid parameter");
		return;
	}
	pk = pk_field(coll, &auto_id);
	buf_adds(&b, "{\"insertCount\":");
	n = cJSON_GetArraySize(data);
	buf_printf(&b, "%lld,\"insertIds\":[", (long long)n);
	if (auto_id) {
		base = lstore_alloc_id(c->s, &c->out->ops);
		c->out->ops.gid_next += n - 1;
	}
	i = 0;
	cJSON_ArrayForEach(row, data) {
		const cJSON *id = pk != NULL ? cJSON_GetObjectItemCaseSensitive(row, pk) : NULL;
		char *txt;

		if (i > 0)
			buf_addc(&b, ',');
		if (auto_id || id == NULL)
			buf_printf(&b, "%lld", (long long)(base != 0 ? base + (int64_t)i : (int64_t)i));
		else {
			txt = cJSON_PrintUnformatted(id);
			buf_adds(&b, txt);
			free(txt);
		}
		i++;
	}
	buf_adds(&b, "]}");
	free(pk);
	for (i = 0; i < c->s->n_segs; i++) {
		if (c->s->segs[i].coll_id == coll->id && c->s->segs[i].growing &&
		    c->s->segs[i].rows + n <= SEG_MAX_ROWS && (c->s->segs[i].binlogs == NULL ||
		    strlen(c->s->segs[i].binlogs) < SEG_MAX_LIST))
			grow = &c->s->segs[i];
	}
	if (grow != NULL) {
		g = *grow;
		lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD, lstore_seg_key(c->s, g.coll_id,
		    g.part_id, g.id), g.mod_rev);
	} else {
		memset(&g, 0, sizeof g);
		g.id = lstore_alloc_id(c->s, &c->out->ops);
		g.coll_id = coll->id;
		g.part_id = coll->part_id;
		g.growing = true;
	}
	g.rows += n;
	if (c->rq->keep_rows) {
		int64_t *ids = NULL;

		if (auto_id) {
			ids = xcalloc((size_t)n, sizeof *ids);
			for (i = 0; i < (size_t)n; i++)
				ids[i] = base + (int64_t)i;
		}
		/* g.binlogs was the store's; from here it is a string of our own. */
		lbin_insert(c->s, coll, data, ids, c->rq->now_ms, &g, &c->out->ops, c->out);
		free(ids);
	}
	lstore_op_put(&c->out->ops, lstore_seg_key(c->s, g.coll_id, g.part_id, g.id),
	    lstore_seg_json(&g));
	if (c->rq->keep_rows)
		free(g.binlogs);
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD, lstore_coll_key(c->s, coll->db_id, coll->id),
	    coll->mod_rev);
	lstore_ops_finish(c->s, &c->out->ops);
	lrest_ok(c, b.data);
	buf_release(&b);
}

void
lrest_entities(struct lrest_ctx *c, const char *verb)
{
	/* query and get (labd-rest-query.c); get comes as query with rq->by_id
	 * until the router lists it. */
	if (strcmp(verb, "insert") == 0)
		entities_insert(c);
	else {
		const struct lrest_req *saved = c->rq;
		struct lrest_req rq = *c->rq;

		rq.by_id = rq.by_id || strcmp(verb, "get") == 0;
		c->rq = &rq;
		lrest_query(c);
		c->rq = saved;
	}
}
