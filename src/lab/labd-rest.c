/* SPDX-License-Identifier: MIT */
/* REST v2 on the lab's proxies: routing, the envelope and error codes of
 * handler_v2.go (contract §5.1), and the collections/ calls (§5.2). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rest.h"

#define JSON_CT		"application/json; charset=utf-8"
#define MAX_DIM		32768
#define MAX_FIELDS	64

/* ---- envelope ---- */

void
lrest_ok(struct lrest_ctx *c, const char *data_json)
{
	buf_reset(&c->out->body);
	buf_printf(&c->out->body, "{\"code\":0,\"data\":%s}", data_json);
}

void
lrest_err(struct lrest_ctx *c, int code, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	buf_reset(&c->out->body);
	lbin_files_release(c->out);
	c->out->gc_coll = 0;
	/* Errors are HTTP 200 with the merr code in the body; no writes happen. */
	buf_printf(&c->out->body, "{\"code\":%d,\"message\":", code);
	buf_add_json_str(&c->out->body, m.data != NULL ? m.data : "");
	buf_addc(&c->out->body, '}');
	buf_release(&m);
	lstore_ops_release(&c->out->ops);
}

const char *
lrest_str(struct lrest_ctx *c, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(c->j, name);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

void
lrest_missing(struct lrest_ctx *c, const char *req_struct, const char *field)
{
	lrest_err(c, 1802, "missing required parameters, error: Key: '%s.%s' Error:Field "
	    "validation for '%s' failed on the 'required' tag", req_struct, field, field);
}

bool
lrest_db(struct lrest_ctx *c)
{
	if ((c->db = lstore_db_by_name(c->s, c->db_name)) != NULL)
		return true;
	lrest_err(c, 800, "database not found[database=%s]", c->db_name);
	return false;
}

struct lstore_coll *
lrest_coll(struct lrest_ctx *c, const char *name)
{
	struct lstore_coll *coll = lstore_coll_resolve(c->s, c->db->id, name);

	if (coll == NULL)
		lrest_err(c, 100, "collection not found[collection=%s]", name);
	return coll;
}

/* A required non-empty string member, or a 1802 answer and NULL. */
static const char *
need_str(struct lrest_ctx *c, const char *req_struct, const char *member, const char *field)
{
	const char *v = lrest_str(c, member);

	if (v == NULL || *v == '\0' || strlen(v) > LSTORE_MAX_NAME) {
		lrest_missing(c, req_struct, field);
		return NULL;
	}
	return v;
}

/* The collection named by collectionName in an existing database, or NULL
 * with the answer written (1802, 800 or 100). */
static struct lstore_coll *
need_coll(struct lrest_ctx *c, const char **name)
{
	if ((*name = need_str(c, "CollectionNameReq", "collectionName", "CollectionName")) == NULL ||
	    !lrest_db(c))
		return NULL;
	return lrest_coll(c, *name);
}

static const char *
load_state_name(const struct lstore_load *l)
{
	if (l == NULL)
		return "LoadStateNotLoad";
	return l->status == LSTORE_LOADED ? "LoadStateLoaded" : "LoadStateLoading";
}

static int
load_progress(const struct lrest_ctx *c, const struct lstore_load *l)
{
	int64_t p;

	if (l == NULL || l->status == LSTORE_LOADED)
		return 100;
	p = (c->rq->now_ms - l->since) * 100 / LSTORE_LOAD_MS;
	return p < 0 ? 0 : p > 99 ? 99 : (int)p;
}

/* ---- collections/ ---- */

static void
coll_list(struct lrest_ctx *c)
{
	struct buf b = BUF_INIT;
	size_t i, n = 0;

	if (!lrest_db(c))
		return;
	buf_addc(&b, '[');
	for (i = 0; i < c->s->n_colls; i++) {
		if (c->s->colls[i].db_id != c->db->id)
			continue;
		if (n++ > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, c->s->colls[i].name);
	}
	buf_addc(&b, ']');
	lrest_ok(c, b.data);
	buf_release(&b);
}

static void
coll_has(struct lrest_ctx *c)
{
	const char *name = need_str(c, "CollectionNameReq", "collectionName", "CollectionName");

	if (name == NULL || !lrest_db(c))
		return;
	lrest_ok(c, lstore_coll_resolve(c->s, c->db->id, name) != NULL ?
	    "{\"has\":true}" : "{\"has\":false}");
}

static void
coll_describe(struct lrest_ctx *c)
{
	const struct lstore_load *l;
	struct lstore_coll *coll;
	struct buf b = BUF_INIT, msg = BUF_INIT;
	const char *name, *qerr, *derr;
	size_t i, n = 0;

	if ((coll = need_coll(c, &name)) == NULL)
		return;
	l = lstore_load_find(c->s, coll->id);
	buf_adds(&b, "{\"code\":0,\"data\":{\"aliases\":[");
	for (i = 0; i < c->s->n_aliases; i++) {
		if (c->s->aliases[i].coll_id != coll->id)
			continue;
		if (n++ > 0)
			buf_addc(&b, ',');
		buf_add_json_str(&b, c->s->aliases[i].name);
	}
	buf_printf(&b, "],\"autoId\":%s,\"collectionID\":%lld,\"collectionName\":",
	    coll->auto_id ? "true" : "false", (long long)coll->id);
	buf_add_json_str(&b, coll->name);
	buf_adds(&b, ",\"consistencyLevel\":");
	buf_add_json_str(&b, coll->consistency);
	buf_adds(&b, ",\"description\":");
	buf_add_json_str(&b, coll->desc);
	buf_printf(&b, ",\"enableDynamicField\":%s,\"fields\":[", coll->dynamic ? "true" : "false");
	for (i = 0; i < coll->n_fields; i++)
		buf_printf(&b, "%s%s", i ? "," : "", coll->fields[i]);
	buf_adds(&b, "]");
	if (c->rq->v->rest_databases)
		buf_adds(&b, ",\"functions\":[]");
	/* GetLoadState (querycoord) and DescribeIndex (datacoord) run with
	 * ignoreErr: a coordinator the proxy cannot reach leaves load "" or
	 * indexes [] and its error in the message (handler_v2.go). */
	qerr = c->rq->coord_err[LREST_QUERYCOORD];
	derr = c->rq->coord_err[LREST_DATACOORD];
	buf_printf(&b, ",\"indexes\":%s,\"load\":\"%s\",\"partitionsNum\":1,\"properties\":%s,"
	    "\"shardsNum\":%d},\"message\":", derr != NULL ? "[]" : coll->indexes,
	    qerr != NULL ? "" : load_state_name(l), coll->props, coll->shards);
	if (qerr != NULL)
		buf_printf(&msg, "%s;", qerr);
	if (derr != NULL)
		buf_printf(&msg, "%s;", derr);
	buf_add_json_str(&b, msg.data != NULL ? msg.data : "");
	buf_addc(&b, '}');
	buf_release(&msg);
	buf_release(&c->out->body);
	c->out->body = b;
}

static void
coll_stats(struct lrest_ctx *c)
{
	struct lstore_coll *coll;
	const char *name;
	char data[64];

	if ((coll = need_coll(c, &name)) == NULL)
		return;
	snprintf(data, sizeof data, "{\"rowCount\":%lld}", (long long)lstore_rows(c->s, coll->id));
	lrest_ok(c, data);
}

static void
coll_load_state(struct lrest_ctx *c)
{
	const struct lstore_load *l;
	struct lstore_coll *coll;
	const char *name;

	if ((coll = need_coll(c, &name)) == NULL)
		return;
	l = lstore_load_find(c->s, coll->id);
	buf_reset(&c->out->body);
	if (l == NULL)
		buf_adds(&c->out->body, "{\"code\":0,\"data\":{\"loadState\":\"LoadStateNotLoad\"}}");
	else
		buf_printf(&c->out->body, "{\"code\":0,\"data\":{\"loadProgress\":%d,"
		    "\"loadState\":\"%s\",\"message\":\"\"}}", load_progress(c, l),
		    load_state_name(l));
}

/* The value of a {"key","value"} property in a raw JSON array, or NULL. */
static int
prop_int(const char *props, const char *key)
{
	cJSON *arr = cJSON_Parse(props), *e;
	int v = 0;

	cJSON_ArrayForEach(e, arr) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(e, "value");

		if (cJSON_IsString(k) && strcmp(k->valuestring, key) == 0 && cJSON_IsString(val))
			v = atoi(val->valuestring);
	}
	cJSON_Delete(arr);
	return v;
}

static size_t
live_nodes(const struct lstore *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_nodes; i++)
		n += !s->nodes[i].stopping;
	return n;
}

/* Put the load info that the active querycoord acts on (LoadCollection). */
static int
coll_do_load(struct lrest_ctx *c, const struct lstore_coll *coll, int replicas)
{
	const struct lstore_load *l = lstore_load_find(c->s, coll->id);
	struct lstore_load nl;

	if (replicas <= 0)
		replicas = prop_int(coll->props, "collection.replica.number");
	if (replicas <= 0)
		replicas = prop_int(c->db->props, "database.replica.number");
	if (replicas <= 0)
		replicas = 1;
	if (l != NULL) {
		if (l->replicas != replicas) {
			lrest_err(c, 1100, "can't change the replica number for loaded collection: "
			    "expected=%d, actual=%d: invalid parameter", l->replicas, replicas);
			return -1;
		}
		return 0;
	}
	if ((size_t)replicas > live_nodes(c->s)) {
		lrest_err(c, 65535, "failed to spawn replica for collection %lld: nodes not "
		    "enough[expected=%d][actual=%zu]", (long long)coll->id, replicas,
		    live_nodes(c->s));
		return -1;
	}
	memset(&nl, 0, sizeof nl);
	nl.coll_id = coll->id;
	nl.db_id = coll->db_id;
	nl.replicas = replicas;
	nl.status = LSTORE_LOADING;
	nl.since = c->rq->now_ms;
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_ABSENT, lstore_load_key(c->s, coll->id), 0);
	lstore_op_put(&c->out->ops, lstore_load_key(c->s, coll->id), lstore_load_json(&nl));
	return 0;
}

static void
coll_load(struct lrest_ctx *c)
{
	const cJSON *rn = cJSON_GetObjectItemCaseSensitive(c->j, "replicaNumber");
	struct lstore_coll *coll;
	const char *name;

	if ((coll = need_coll(c, &name)) == NULL)
		return;
	if (lrest_coll_ddl_denied(c->rq->v, c->db, c->rq->now_ms)) {
		lrest_quota_denied(c);
		return;
	}
	if (coll_do_load(c, coll, cJSON_IsNumber(rn) ? rn->valueint : 0) == 0)
		lrest_ok(c, "{}");
}

static void
coll_release(struct lrest_ctx *c)
{
	struct lstore_coll *coll;
	const char *name;

	if ((coll = need_coll(c, &name)) == NULL)
		return;
	if (lrest_coll_ddl_denied(c->rq->v, c->db, c->rq->now_ms)) {
		lrest_quota_denied(c);
		return;
	}
	/* ReleaseCollection removes the load info and the replicas at once. */
	lstore_op_del(&c->out->ops, lstore_load_key(c->s, coll->id), false);
	lstore_op_del(&c->out->ops, xasprintf("%s/meta/querycoord-replica/%lld/", c->s->root,
	    (long long)coll->id), true);
	lrest_ok(c, "{}");
}

/*
 * DropCollection: the proxy's rate limiter first (a database's force-deny
 * keys; a name that resolves to no collection skips it, as GetRequestInfo
 * fails), then rootcoord's drop_collection_task.go validate. Its refusals are
 * plain errors (fmt.Errorf): code 65535 on every version (§6.0), the aliases
 * as Go prints a []string.
 */
static void
coll_drop(struct lrest_ctx *c)
{
	struct lstore_coll *coll;
	struct buf names = BUF_INIT;
	const char *name;
	size_t i, n = 0;

	if ((name = need_str(c, "CollectionNameReq", "collectionName", "CollectionName")) == NULL ||
	    !lrest_db(c))
		return;
	if (lstore_coll_resolve(c->s, c->db->id, name) != NULL &&
	    lrest_coll_ddl_denied(c->rq->v, c->db, c->rq->now_ms)) {
		lrest_quota_denied(c);
		return;
	}
	if (lstore_alias_find(c->s, c->db->id, name) != NULL) {
		lrest_err(c, 65535, "cannot drop the collection via alias = %s", name);
		return;
	}
	/* Dropping a missing collection succeeds (rootcoord's drop is idempotent). */
	if ((coll = lstore_coll_by_name(c->s, c->db->id, name)) == NULL) {
		lrest_ok(c, "{}");
		return;
	}
	for (i = 0; i < c->s->n_aliases; i++) {
		if (c->s->aliases[i].coll_id == coll->id)
			buf_printf(&names, "%s%s", n++ ? " " : "", c->s->aliases[i].name);
	}
	if (n > 0 && c->rq->v->drop_alias_check) {
		lrest_err(c, 65535, "unable to drop the collection [%s] because it has associated "
		    "aliases [%s], please remove all aliases before dropping the collection",
		    name, names.data);
		buf_release(&names);
		return;
	}
	buf_release(&names);
	lstore_op_cmp(&c->out->ops, LSTORE_CMP_MOD, lstore_coll_key(c->s, coll->db_id, coll->id),
	    coll->mod_rev);
	lstore_drop_coll(c->s, coll, &c->out->ops);
	/* 2.6: the collection's grants go with it (§6.0). */
	if (c->rq->v->drop_deletes_grants)
		lstore_coll_grants_drop_ops(c->s, &c->out->ops, c->db->name, coll->name);
	c->out->gc_coll = coll->id;
	lrest_ok(c, "{}");
}

/* ---- collections/create ---- */

static const char *const data_types[] = {
	"Bool", "Int8", "Int16", "Int32", "Int64", "Float", "Double", "String", "VarChar",
	"Array", "JSON", "BinaryVector", "FloatVector", "Float16Vector", "BFloat16Vector",
	"SparseFloatVector", NULL,
};

static bool
type_known(const char *t)
{
	size_t i;

	for (i = 0; data_types[i] != NULL; i++) {
		if (strcmp(data_types[i], t) == 0)
			return true;
	}
	return false;
}

/* One field as collections/describe shows it. params is a raw JSON array. */
static char *
field_json(const char *name, int64_t id, const char *type, bool pk, bool auto_id,
    bool part_key, bool nullable, const char *desc, const char *params)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"autoId\":");
	buf_adds(&b, auto_id ? "true" : "false");
	buf_adds(&b, ",\"clusteringKey\":false,\"description\":");
	buf_add_json_str(&b, desc);
	buf_printf(&b, ",\"id\":%lld,\"name\":", (long long)id);
	buf_add_json_str(&b, name);
	buf_printf(&b, ",\"nullable\":%s,\"params\":%s,\"partitionKey\":%s,\"primaryKey\":%s,"
	    "\"type\":", nullable ? "true" : "false", params, part_key ? "true" : "false",
	    pk ? "true" : "false");
	buf_add_json_str(&b, type);
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

/* {"dim":"8","max_length":256} (elementTypeParams, a database's properties)
 * as Milvus stores and describes them: [{"key","value"}] with string values;
 * at most max pairs. */
char *
lrest_kv_array(const cJSON *obj, size_t max)
{
	struct buf b = BUF_INIT;
	const cJSON *e;
	size_t n = 0;
	char num[32];

	buf_addc(&b, '[');
	cJSON_ArrayForEach(e, obj) {
		if (e->string == NULL || n >= max)
			continue;
		buf_adds(&b, n++ ? ",{\"key\":" : "{\"key\":");
		buf_add_json_str(&b, e->string);
		buf_adds(&b, ",\"value\":");
		if (cJSON_IsString(e))
			buf_add_json_str(&b, e->valuestring);
		else if (cJSON_IsNumber(e)) {
			snprintf(num, sizeof num, "%lld", (long long)e->valuedouble);
			buf_add_json_str(&b, num);
		} else if (cJSON_IsBool(e))
			buf_adds(&b, cJSON_IsTrue(e) ? "\"true\"" : "\"false\"");
		else
			buf_adds(&b, "\"\"");
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');
	return buf_detach(&b, NULL);
}

/* Fields from the schema form; returns the count, or -1 with the answer written. */
static int
schema_fields(struct lrest_ctx *c, const cJSON *schema, char **fields, bool *auto_id)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(schema, "fields"), *f;
	bool has_pk = false, has_vec = false;
	int n = 0;

	*auto_id = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "autoId"));
	cJSON_ArrayForEach(f, arr) {
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(f, "fieldName");
		const cJSON *dt = cJSON_GetObjectItemCaseSensitive(f, "dataType");
		const cJSON *desc = cJSON_GetObjectItemCaseSensitive(f, "description");
		bool pk = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "isPrimary"));
		char *params;

		if (n >= MAX_FIELDS || !cJSON_IsString(fn) || !cJSON_IsString(dt) ||
		    *fn->valuestring == '\0' || strlen(fn->valuestring) > LSTORE_MAX_NAME) {
			lrest_missing(c, "FieldSchema", "FieldName");
			return -1;
		}
		if (!type_known(dt->valuestring)) {
			lrest_err(c, 1100, "invalid data type: %s: invalid parameter", dt->valuestring);
			return -1;
		}
		has_pk = has_pk || pk;
		has_vec = has_vec || strstr(dt->valuestring, "Vector") != NULL;
		params = lrest_kv_array(cJSON_GetObjectItemCaseSensitive(f, "elementTypeParams"), 16);
		fields[n] = field_json(fn->valuestring, 100 + n, dt->valuestring, pk,
		    pk && *auto_id,
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "isPartitionKey")),
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "nullable")),
		    cJSON_IsString(desc) ? desc->valuestring : "", params);
		free(params);
		n++;
	}
	if (!has_pk || !has_vec) {
		while (n > 0)
			free(fields[--n]);
		lrest_err(c, 1100, "schema does not contain %s: invalid parameter",
		    has_pk ? "vector field" : "primary key field");
		return -1;
	}
	return n;
}

/* indexParams [{"fieldName","metricType","indexName"}] as describe shows them. */
static char *
index_list(const cJSON *ip)
{
	struct buf b = BUF_INIT;
	const cJSON *e;
	size_t n = 0;

	buf_addc(&b, '[');
	cJSON_ArrayForEach(e, ip) {
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(e, "fieldName");
		const cJSON *mt = cJSON_GetObjectItemCaseSensitive(e, "metricType");
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(e, "indexName");

		if (!cJSON_IsString(fn) || n >= 16)
			continue;
		buf_adds(&b, n++ ? ",{\"fieldName\":" : "{\"fieldName\":");
		buf_add_json_str(&b, fn->valuestring);
		buf_adds(&b, ",\"indexName\":");
		buf_add_json_str(&b, cJSON_IsString(in) ? in->valuestring : fn->valuestring);
		buf_adds(&b, ",\"metricType\":");
		buf_add_json_str(&b, cJSON_IsString(mt) ? mt->valuestring : "COSINE");
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');
	return buf_detach(&b, NULL);
}

static void
coll_create(struct lrest_ctx *c)
{
	const cJSON *dim = cJSON_GetObjectItemCaseSensitive(c->j, "dimension");
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(c->j, "schema");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(c->j, "params");
	const cJSON *desc = cJSON_GetObjectItemCaseSensitive(c->j, "description");
	const cJSON *it;
	struct lstore_coll nc;
	char *fields[MAX_FIELDS], *p;
	const char *name;
	int n, i;

	if ((name = need_str(c, "CollectionReq", "collectionName", "CollectionName")) == NULL ||
	    !lrest_db(c))
		return;
	if (lrest_coll_ddl_denied(c->rq->v, c->db, c->rq->now_ms)) {
		lrest_quota_denied(c);
		return;
	}
	/* Creating a collection that exists answers success, as with an equal schema. */
	if (lstore_coll_by_name(c->s, c->db->id, name) != NULL) {
		lrest_ok(c, "{}");
		return;
	}
	if (lstore_alias_find(c->s, c->db->id, name) != NULL) {
		lrest_err(c, 65535, "collection name [%s] conflicts with an existing alias, please "
		    "choose a unique name", name);
		return;
	}
	memset(&nc, 0, sizeof nc);
	if (cJSON_IsObject(schema)) {
		if ((n = schema_fields(c, schema, fields, &nc.auto_id)) < 0)
			return;
		nc.dynamic = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema,
		    "enableDynamicField"));
		nc.indexes = index_list(cJSON_GetObjectItemCaseSensitive(c->j, "indexParams"));
	} else if (cJSON_IsNumber(dim)) {
		if (dim->valueint < 1 || dim->valueint > MAX_DIM) {
			lrest_err(c, 1100, "invalid dimension: %d. should be in range 2 ~ %d: "
			    "invalid parameter", dim->valueint, MAX_DIM);
			return;
		}
		/* Quick setup: Int64 "id", FloatVector "vector", COSINE index, dynamic. */
		fields[0] = field_json("id", 100, "Int64", true, false, false, false, "", "[]");
		p = xasprintf("[{\"key\":\"dim\",\"value\":\"%d\"}]", dim->valueint);
		fields[1] = field_json("vector", 101, "FloatVector", false, false, false, false,
		    "", p);
		free(p);
		n = 2;
		nc.dynamic = true;
		it = cJSON_GetObjectItemCaseSensitive(c->j, "metricType");
		nc.indexes = xasprintf("[{\"fieldName\":\"vector\",\"indexName\":\"vector\","
		    "\"metricType\":\"%s\"}]", cJSON_IsString(it) && strlen(it->valuestring) < 32 ?
		    it->valuestring : "COSINE");
	} else {
		lrest_missing(c, "CollectionReq", "Dimension");
		return;
	}
	nc.name = (char *)name;
	nc.db_id = c->db->id;
	nc.desc = cJSON_IsString(desc) ? desc->valuestring : "";
	nc.consistency = "Bounded";
	nc.shards = 1;
	if ((it = cJSON_GetObjectItemCaseSensitive(params, "shardsNum")) != NULL) {
		if (cJSON_IsNumber(it) && it->valueint >= 1 && it->valueint <= 16)
			nc.shards = it->valueint;
		else if (cJSON_IsString(it) && atoi(it->valuestring) >= 1 &&
		    atoi(it->valuestring) <= 16)
			nc.shards = atoi(it->valuestring);
	}
	it = cJSON_GetObjectItemCaseSensitive(params, "consistencyLevel");
	if (cJSON_IsString(it) && strlen(it->valuestring) < 32)
		nc.consistency = it->valuestring;
	nc.props = xstrdup("[]");
	nc.created = c->rq->now_ms;
	nc.id = lstore_alloc_id(c->s, &c->out->ops);
	nc.part_id = lstore_alloc_id(c->s, &c->out->ops);
	lstore_op_put(&c->out->ops, lstore_coll_key(c->s, nc.db_id, nc.id), lstore_coll_json(&nc));
	for (i = 0; i < n; i++)
		lstore_op_put(&c->out->ops, lstore_field_key(c->s, nc.id, 100 + i), fields[i]);
	lstore_op_put(&c->out->ops, lstore_part_key(c->s, nc.id, nc.part_id),
	    xasprintf("{\"partitionID\":\"%lld\",\"partitionName\":\"_default\","
	    "\"collection_id\":\"%lld\"}", (long long)nc.part_id, (long long)nc.id));
	/* With an index (always in quick setup) the v2 handler loads it too. */
	if (strcmp(nc.indexes, "[]") != 0 && coll_do_load(c, &nc, 0) != 0) {
		free(nc.props);
		free(nc.indexes);
		return;
	}
	lstore_ops_finish(c->s, &c->out->ops);
	free(nc.props);
	free(nc.indexes);
	lrest_ok(c, "{}");
}

/* ---- routing ---- */

static const struct {
	const char *path;
	void (*fn)(struct lrest_ctx *c);
} coll_routes[] = {
	{ "collections/list", coll_list },
	{ "collections/has", coll_has },
	{ "collections/describe", coll_describe },
	{ "collections/get_stats", coll_stats },
	{ "collections/get_load_state", coll_load_state },
	{ "collections/create", coll_create },
	{ "collections/load", coll_load },
	{ "collections/release", coll_release },
	{ "collections/drop", coll_drop },
};

static const char *const db_verbs[] = { "list", "describe", "create", "drop", "alter",
	"alter_properties", "drop_properties", NULL };
static const char *const user_verbs[] = { "list", "describe", "create", "drop", "grant_role",
	"revoke_role", "update_password", NULL };
static const char *const role_verbs[] = { "list", "describe", "create", "drop",
	"grant_privilege", "revoke_privilege", "grant_privilege_v2", "revoke_privilege_v2", NULL };
static const char *const pgroup_verbs[] = { "create", "drop", "list", "add_privileges_to_group",
	"remove_privileges_from_group", NULL };
static const char *const alias_verbs[] = { "list", "describe", "create", "drop", "alter", NULL };
static const char *const entity_verbs[] = { "insert", "query", NULL };
/* Read-only: the lab's one resource group cannot be changed. */
static const char *const rg_verbs[] = { "list", "describe", NULL };

static bool
verb_in(const char *verb, const char *const *verbs)
{
	size_t i;

	for (i = 0; verbs[i] != NULL; i++) {
		if (strcmp(verbs[i], verb) == 0)
			return true;
	}
	return false;
}

static void
not_found(struct lrest_out *out)
{
	/* gin's answer for a route that does not exist in this version. */
	out->status = 404;
	out->ctype = "text/plain";
	buf_reset(&out->body);
	buf_adds(&out->body, "404 page not found");
}

void
lrest_out_release(struct lrest_out *o)
{
	buf_release(&o->body);
	lstore_ops_release(&o->ops);
	lbin_files_release(o);
}

void
lrest_handle(const struct lstore *s, const struct lrest_req *rq, struct lrest_out *out)
{
	void (*fn)(struct lrest_ctx *) = NULL;
	void (*verb_fn)(struct lrest_ctx *, const char *) = NULL;
	struct lrest_ctx c;
	const char *verb = NULL, *db;
	size_t i;

	out->status = 200;
	out->ctype = JSON_CT;
	for (i = 0; i < sizeof coll_routes / sizeof coll_routes[0]; i++) {
		if (strcmp(rq->path, coll_routes[i].path) == 0)
			fn = coll_routes[i].fn;
	}
	if (strncmp(rq->path, "databases/", 10) == 0 && rq->v->rest_databases &&
	    verb_in(rq->path + 10, db_verbs)) {
		verb = rq->path + 10;
		verb_fn = lrest_databases;
	} else if (strncmp(rq->path, "aliases/", 8) == 0 && verb_in(rq->path + 8, alias_verbs)) {
		verb = rq->path + 8;
		verb_fn = lrest_aliases;
	} else if (strncmp(rq->path, "entities/", 9) == 0 && verb_in(rq->path + 9, entity_verbs)) {
		verb = rq->path + 9;
		verb_fn = lrest_entities;
	} else if (strncmp(rq->path, "users/", 6) == 0 && verb_in(rq->path + 6, user_verbs)) {
		verb = rq->path;
		verb_fn = lrest_rbac;
	} else if (strncmp(rq->path, "roles/", 6) == 0 && verb_in(rq->path + 6, role_verbs) &&
	    (strstr(rq->path, "_v2") == NULL || rq->v->privilege_groups)) {
		verb = rq->path;
		verb_fn = lrest_rbac;
	} else if (strncmp(rq->path, "resource_groups/", 16) == 0 &&
	    (rq->v->major > 2 || rq->v->minor >= 5) && verb_in(rq->path + 16, rg_verbs)) {
		verb = rq->path + 16;
		verb_fn = lrest_resource_groups;
	} else if (strncmp(rq->path, "privilege_groups/", 17) == 0 && rq->v->privilege_groups &&
	    verb_in(rq->path + 17, pgroup_verbs)) {
		verb = rq->path;
		verb_fn = lrest_rbac;
	}
	if (!rq->v->rest_v2 || (fn == NULL && verb_fn == NULL)) {
		not_found(out);
		return;
	}
	memset(&c, 0, sizeof c);
	c.s = s;
	c.rq = rq;
	c.out = out;
	if (rq->len == 0) {
		lrest_err(&c, 1801, "can only accept json format request, the request body should "
		    "be nil, however {} is valid");
		return;
	}
	c.j = cJSON_ParseWithLength(rq->body, rq->len);
	if (!cJSON_IsObject(c.j)) {
		lrest_err(&c, 1801, "can only accept json format request, error: %s",
		    c.j == NULL ? "invalid character in the request body" :
		    "json: cannot unmarshal into Go value of type object");
		cJSON_Delete(c.j);
		return;
	}
	/* dbName from the body, else the DB-Name header, else "default" (§5.1). */
	db = lrest_str(&c, "dbName");
	if (db == NULL || *db == '\0')
		db = rq->db_header;
	c.db_name = db != NULL && *db != '\0' ? db : "default";
	if (fn != NULL)
		fn(&c);
	else
		verb_fn(&c, verb);
	cJSON_Delete(c.j);
}
