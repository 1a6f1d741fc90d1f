/* SPDX-License-Identifier: MIT */
/* Pure parser for REST v2 answers: the {"code","message","data"} envelope and
 * each call's data, into plain structs with exact int64 IDs; query rows as
 * canonical JSON text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_rest.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"
#include "milvus-rest-int.h"
#include "milvus-rest-rows.h"

static const char *const op_paths[MREST_OP_COUNT_] = {
	[MREST_OP_DATABASES_LIST] = "databases/list",
	[MREST_OP_COLLECTIONS_LIST] = "collections/list",
	[MREST_OP_COLLECTION_HAS] = "collections/has",
	[MREST_OP_COLLECTION_DESCRIBE] = "collections/describe",
	[MREST_OP_COLLECTION_STATS] = "collections/get_stats",
	[MREST_OP_COLLECTION_LOAD_STATE] = "collections/get_load_state",
	[MREST_OP_COLLECTION_LOAD] = "collections/load",
	[MREST_OP_COLLECTION_RELEASE] = "collections/release",
	[MREST_OP_COLLECTION_DROP] = "collections/drop",
	[MREST_OP_ALIASES_LIST] = "aliases/list",
	[MREST_OP_ALIAS_DESCRIBE] = "aliases/describe",
	[MREST_OP_COUNT] = "entities/query",
	[MREST_OP_INSERT] = "entities/insert",
	[MREST_OP_QUERY] = "entities/query",
	[MREST_OP_RAW] = "",
	[MREST_OP_RG_LIST] = "resource_groups/list",
	[MREST_OP_RG_DESCRIBE] = "resource_groups/describe",
};

const char *
milvus_rest_op_path(enum milvus_rest_op op)
{
	if ((unsigned)op >= MREST_OP_COUNT_)
		return "";
	return op_paths[op];
}

void
mrest_free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
mrest_info_release(struct milvus_collection_info *c)
{
	size_t i;

	free(c->name);
	free(c->description);
	free(c->consistency_level);
	free(c->load_state);
	mrest_free_names(c->aliases, c->n_aliases);
	for (i = 0; i < c->n_fields; i++) {
		free(c->fields[i].name);
		free(c->fields[i].type);
		free(c->fields[i].element_type);
	}
	free(c->fields);
	for (i = 0; i < c->n_properties; i++) {
		free(c->properties[i].key);
		free(c->properties[i].value);
	}
	free(c->properties);
	memset(c, 0, sizeof *c);
}

static void
rg_counts_free(struct milvus_rg_count *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static void
rg_release(struct milvus_resource_group *g)
{
	size_t i;

	free(g->name);
	rg_counts_free(g->loaded_replicas, g->n_loaded_replicas);
	rg_counts_free(g->outgoing_nodes, g->n_outgoing_nodes);
	rg_counts_free(g->incoming_nodes, g->n_incoming_nodes);
	for (i = 0; i < g->n_nodes; i++) {
		free(g->nodes[i].address);
		free(g->nodes[i].hostname);
	}
	free(g->nodes);
	memset(g, 0, sizeof *g);
}

void
milvus_rest_result_release(struct milvus_rest_result *res)
{
	size_t i;

	free(res->message);
	mrest_free_names(res->names, res->n_names);
	mrest_info_release(&res->info);
	free(res->load_state);
	free(res->alias);
	free(res->collection);
	free(res->db_name);
	rg_release(&res->rg);
	for (i = 0; i < res->n_rows; i++) {
		free(res->rows[i]);
		free(res->row_pks[i]);
	}
	free(res->rows);
	free(res->row_pks);
	free(res->body);
	memset(res, 0, sizeof *res);
}

static void
rest_fail(struct milvus_rest_result *res, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
rest_fail(struct milvus_rest_result *res, int err, const char *fmt, ...)
{
	va_list ap;

	res->err = err;
	va_start(ap, fmt);
	vsnprintf(res->errmsg, sizeof res->errmsg, fmt, ap);
	va_end(ap);
}

int
mrest_names(const cJSON *item, char ***out, size_t *n)
{
	const cJSON *e;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (item == NULL || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsArray(item))
		return -1;
	cJSON_ArrayForEach(e, item) {
		if (!cJSON_IsString(e))
			return -1;
		count++;
	}
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count == 0)
		return 0;
	*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, item)
		(*out)[(*n)++] = xstrndup(e->valuestring, MJ_MAX_STR);
	return 0;
}

static int
rest_int(const cJSON *obj, const char *name, int dflt)
{
	int64_t v = mj_get_int64(obj, name, dflt);

	return v < -1000000000 || v > 1000000000 ? dflt : (int)v;
}

/* A field's params: [{"key":"dim","value":"128"}, {"key":"max_length",...}]
 * (values are strings; bounded, a bad one is left at 0). */
static void
rest_field_params(const cJSON *params, struct milvus_field *f)
{
	const cJSON *p, *k, *v;
	int64_t n;
	char *end;

	cJSON_ArrayForEach(p, params) {
		k = cJSON_GetObjectItemCaseSensitive(p, "key");
		v = cJSON_GetObjectItemCaseSensitive(p, "value");
		if (!cJSON_IsString(k) || v == NULL)
			continue;
		if (cJSON_IsString(v)) {
			n = strtoll(v->valuestring, &end, 10);
			if (*end != '\0' || end == v->valuestring)
				continue;
		} else if (mj_int64(v, &n) != 0)
			continue;
		if (n <= 0 || n > 1 << 20)
			continue;
		if (strcmp(k->valuestring, "dim") == 0)
			f->dim = n;
		else if (strcmp(k->valuestring, "max_length") == 0)
			f->max_length = n;
	}
}

static int
rest_describe(const cJSON *data, struct milvus_collection_info *c)
{
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(data, "fields");
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(data, "properties");
	const cJSON *e;
	size_t count;

	if (!cJSON_IsObject(data) || (c->name = mj_get_str(data, "collectionName")) == NULL)
		return -1;
	if (mj_int64(cJSON_GetObjectItemCaseSensitive(data, "collectionID"), &c->id) != 0)
		return -1;
	c->description = mj_get_str(data, "description");
	c->auto_id = mj_get_bool(data, "autoId", false);
	c->enable_dynamic_field = mj_get_bool(data, "enableDynamicField", false);
	c->shards_num = rest_int(data, "shardsNum", 0);
	c->partitions_num = rest_int(data, "partitionsNum", 0);
	c->consistency_level = mj_get_str(data, "consistencyLevel");
	c->load_state = mj_get_str(data, "load");
	if (mrest_names(cJSON_GetObjectItemCaseSensitive(data, "aliases"), &c->aliases,
	    &c->n_aliases) != 0)
		return -1;
	if (fields != NULL && !cJSON_IsNull(fields) && !cJSON_IsArray(fields))
		return -1;
	count = (size_t)cJSON_GetArraySize(fields);
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count > 0)
		c->fields = xcalloc(count, sizeof *c->fields);
	cJSON_ArrayForEach(e, fields) {
		struct milvus_field *f;

		if (!cJSON_IsObject(e) || c->n_fields >= count)
			return -1;
		f = &c->fields[c->n_fields++];
		f->name = mj_get_str(e, "name");
		f->id = mj_get_int64(e, "id", -1);
		f->type = mj_get_str(e, "type");
		f->primary_key = mj_get_bool(e, "primaryKey", false);
		f->partition_key = mj_get_bool(e, "partitionKey", false);
		f->auto_id = mj_get_bool(e, "autoId", false);
		f->nullable = mj_get_bool(e, "nullable", false);
		f->function_output = mj_get_bool(e, "isFunctionOutput", false);
		f->element_type = mj_get_str(e, "elementType");
		if (f->name == NULL)
			return -1;
		rest_field_params(cJSON_GetObjectItemCaseSensitive(e, "params"), f);
	}
	return mrest_properties(props, &c->properties, &c->n_properties);
}

int
mrest_properties(const cJSON *props, struct milvus_property **out, size_t *n)
{
	const cJSON *e;
	size_t count;

	if (props != NULL && !cJSON_IsNull(props) && !cJSON_IsArray(props))
		return -1;
	count = (size_t)cJSON_GetArraySize(props);
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count > 0)
		*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, props) {
		struct milvus_property *p;

		if (!cJSON_IsObject(e) || *n >= count)
			return -1;
		p = &(*out)[(*n)++];
		p->key = mj_get_str(e, "key");
		p->value = mj_get_str(e, "value");
		if (p->key == NULL || p->value == NULL)
			return -1;
	}
	return 0;
}

/* entities/query with count(*): data = [{"count(*)": N}]. */
static int
rest_count(const cJSON *data, int64_t *out)
{
	const cJSON *first = cJSON_GetArrayItem(data, 0);

	if (!cJSON_IsArray(data) || !cJSON_IsObject(first))
		return -1;
	return mj_int64(cJSON_GetObjectItemCaseSensitive(first, "count(*)"), out);
}

/* {"<name>": n, ...} (null or absent = empty; at most MJ_MAX_ITEMS); -1 on
 * another shape, with *n counting what was taken so that the caller frees it. */
static int
rg_counts(const cJSON *obj, struct milvus_rg_count **out, size_t *n)
{
	const cJSON *e;
	size_t count;

	if (obj == NULL || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return -1;
	count = (size_t)cJSON_GetArraySize(obj);
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count > 0)
		*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, obj) {
		struct milvus_rg_count *c;

		if (*n >= count || e->string == NULL)
			return -1;
		c = &(*out)[(*n)++];
		c->name = xstrndup(e->string, MJ_MAX_STR);
		if (mj_int64(e, &c->n) != 0 || c->n < 0)
			return -1;
	}
	return 0;
}

/* config.<which>.node_num, -1 when not given. */
static int64_t
rg_node_num(const cJSON *config, const char *which)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(config, which);

	return cJSON_IsObject(o) ? mj_get_int64(o, "node_num", -1) : -1;
}

/* {"resource_group":{"name","capacity","num_available_node",
 * "num_loaded_replica":{..},"num_outgoing_node":{..},"num_incoming_node":{..},
 * "config":{..},"nodes":[{"node_id","address","hostname"}]}} (contract §5.4). */
static int
rest_rg(const cJSON *obj, struct milvus_resource_group *g)
{
	const cJSON *rg = cJSON_GetObjectItemCaseSensitive(obj, "resource_group");
	const cJSON *config, *nodes, *e;
	size_t count;

	g->capacity = g->num_available_node = -1;
	g->requests_node_num = g->limits_node_num = -1;
	if (!cJSON_IsObject(rg) || (g->name = mj_get_str(rg, "name")) == NULL)
		return -1;
	g->capacity = mj_get_int64(rg, "capacity", -1);
	g->num_available_node = mj_get_int64(rg, "num_available_node", -1);
	if (rg_counts(cJSON_GetObjectItemCaseSensitive(rg, "num_loaded_replica"),
	    &g->loaded_replicas, &g->n_loaded_replicas) != 0 ||
	    rg_counts(cJSON_GetObjectItemCaseSensitive(rg, "num_outgoing_node"),
	    &g->outgoing_nodes, &g->n_outgoing_nodes) != 0 ||
	    rg_counts(cJSON_GetObjectItemCaseSensitive(rg, "num_incoming_node"),
	    &g->incoming_nodes, &g->n_incoming_nodes) != 0)
		return -1;
	config = cJSON_GetObjectItemCaseSensitive(rg, "config");
	if (config != NULL && !cJSON_IsNull(config) && !cJSON_IsObject(config))
		return -1;
	g->requests_node_num = rg_node_num(config, "requests");
	g->limits_node_num = rg_node_num(config, "limits");
	nodes = cJSON_GetObjectItemCaseSensitive(rg, "nodes");
	if (nodes != NULL && !cJSON_IsNull(nodes) && !cJSON_IsArray(nodes))
		return -1;
	count = (size_t)cJSON_GetArraySize(nodes);
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count > 0)
		g->nodes = xcalloc(count, sizeof *g->nodes);
	cJSON_ArrayForEach(e, nodes) {
		struct milvus_rg_node *nd;

		if (!cJSON_IsObject(e) || g->n_nodes >= count)
			return -1;
		nd = &g->nodes[g->n_nodes++];
		if (mj_int64(cJSON_GetObjectItemCaseSensitive(e, "node_id"), &nd->node_id) != 0)
			return -1;
		nd->address = mj_get_str(e, "address");
		nd->hostname = mj_get_str(e, "hostname");
	}
	return 0;
}

/* The op's data; -1 when its shape is not what the call returns. */
static int
rest_data(enum milvus_rest_op op, const cJSON *data, struct milvus_rest_result *res)
{
	const cJSON *it;
	int64_t v;

	switch (op) {
	case MREST_OP_DATABASES_LIST:
	case MREST_OP_COLLECTIONS_LIST:
	case MREST_OP_ALIASES_LIST:
	case MREST_OP_RG_LIST:
		return mrest_names(data, &res->names, &res->n_names);
	case MREST_OP_COLLECTION_HAS:
		it = cJSON_GetObjectItemCaseSensitive(data, "has");
		if (!cJSON_IsBool(it))
			return -1;
		res->has = cJSON_IsTrue(it);
		return 0;
	case MREST_OP_COLLECTION_DESCRIBE:
		return rest_describe(data, &res->info);
	case MREST_OP_COLLECTION_STATS:
		if (!cJSON_IsObject(data))
			return -1;
		return mj_int64(cJSON_GetObjectItemCaseSensitive(data, "rowCount"), &res->row_count);
	case MREST_OP_COLLECTION_LOAD_STATE:
		if (!cJSON_IsObject(data) || (res->load_state = mj_get_str(data, "loadState")) == NULL)
			return -1;
		v = mj_get_int64(data, "loadProgress", -1);
		res->load_progress = v < 0 || v > 100 ? -1 : (int)v;
		return 0;
	case MREST_OP_COLLECTION_LOAD:
	case MREST_OP_COLLECTION_RELEASE:
	case MREST_OP_COLLECTION_DROP:
		return 0;
	case MREST_OP_ALIAS_DESCRIBE:
		if (!cJSON_IsObject(data) || (res->alias = mj_get_str(data, "aliasName")) == NULL)
			return -1;
		res->collection = mj_get_str(data, "collectionName");
		res->db_name = mj_get_str(data, "dbName");
		return 0;
	case MREST_OP_COUNT:
		return rest_count(data, &res->row_count);
	case MREST_OP_INSERT:
		if (!cJSON_IsObject(data))
			return -1;
		return mj_int64(cJSON_GetObjectItemCaseSensitive(data, "insertCount"),
		    &res->row_count);
	case MREST_OP_RG_DESCRIBE:	/* the answer itself: rest_parse */
	case MREST_OP_QUERY:		/* from the text: rest_rows */
	case MREST_OP_RAW:		/* the caller's: rest_parse keeps the body */
	case MREST_OP_COUNT_:
		break;
	}
	return -1;
}

/* path names the call in messages. */
static void
rest_parse(enum milvus_rest_op op, const char *path, long http_status, const char *body,
    size_t len, const char *pk, struct milvus_rest_result *res)
{
	const char *uri = res->uri[0] != '\0' ? res->uri : "?";
	cJSON *root = mj_parse(body, len), *code;
	char msg[160], why[80] = "";
	int64_t c;
	int rc;

	res->http_status = http_status;
	res->load_progress = -1;
	code = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "code") : NULL;
	/* resource_groups/describe answers {"resource_group":{...}} with no code
	 * (contract §5.4); one that sends an envelope is read as any other. */
	if (op == MREST_OP_RG_DESCRIBE && code == NULL && http_status == 200 &&
	    cJSON_IsObject(root)) {
		rc = rest_rg(root, &res->rg);
		goto data;
	}
	if (code == NULL || mj_int64(code, &c) != 0 || c < INT32_MIN || c > INT32_MAX) {
		if (http_status == 401 || http_status == 403)
			rest_fail(res, MREST_EAUTH, "proxy '%s' refused the credentials (HTTP %ld)",
			    uri, http_status);
		else if (http_status != 200)
			rest_fail(res, MREST_EHTTP, "proxy '%s' answered HTTP %ld", uri, http_status);
		else
			rest_fail(res, MREST_EPROTO, "malformed %s answer from proxy '%s'", path,
			    uri);
		goto out;
	}
	res->code = (int)c;
	res->message = mj_get_str(root, "message");
	if (c != 0) {
		mj_oneline(msg, sizeof msg, res->message != NULL ? res->message : "",
		    res->message != NULL ? strlen(res->message) : 0);
		if (c == MREST_CODE_UNAUTHENTICATED || http_status == 401 || http_status == 403)
			rest_fail(res, MREST_EAUTH, "proxy '%s' refused the credentials: %s "
			    "(HTTP %ld, code %d)", uri, msg, http_status, res->code);
		else if (msg[0] == '\0')
			rest_fail(res, MREST_ESERVER, "proxy '%s' reported code %d", uri, res->code);
		else
			rest_fail(res, MREST_ESERVER, "%s (code %d)", msg, res->code);
		goto out;
	}
	if (http_status != 200) {
		rest_fail(res, MREST_EHTTP, "proxy '%s' answered HTTP %ld", uri, http_status);
		goto out;
	}
	if (op == MREST_OP_QUERY)
		rc = mrest_rows_parse(body, len, pk, res, why, sizeof why);
	else if (op == MREST_OP_RG_DESCRIBE) {
		/* With a code 0: {"code":0,"data":{"resource_group":...}} or the
		 * group beside the code. */
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "data");

		rc = rest_rg(cJSON_GetObjectItemCaseSensitive(d, "resource_group") != NULL ?
		    d : root, &res->rg);
	} else if (op == MREST_OP_RAW) {
		res->body = xmalloc(len + 1);
		memcpy(res->body, body, len);
		res->body[len] = '\0';
		res->body_len = len;
		rc = 0;
	} else
		rc = rest_data(op, cJSON_GetObjectItemCaseSensitive(root, "data"), res);
data:
	if (rc != 0) {
		char keep[sizeof res->uri];

		/* Drop half-filled data but keep who answered. */
		memcpy(keep, res->uri, sizeof keep);
		milvus_rest_result_release(res);
		memcpy(res->uri, keep, sizeof keep);
		res->http_status = http_status;
		res->load_progress = -1;
		if (why[0] != '\0')
			rest_fail(res, MREST_EPROTO, "%s answer from proxy '%s' has %s", path, uri,
			    why);
		else
			rest_fail(res, MREST_EPROTO, "malformed %s answer from proxy '%s'", path,
			    uri);
	}
out:
	cJSON_Delete(root);
}

void
milvus_rest_parse(enum milvus_rest_op op, long http_status, const char *body, size_t len,
    struct milvus_rest_result *res)
{
	rest_parse(op, milvus_rest_op_path(op), http_status, body, len, NULL, res);
}

void
mrest_parse_raw(const char *path, long http_status, const char *body, size_t len,
    struct milvus_rest_result *res)
{
	rest_parse(MREST_OP_RAW, path, http_status, body, len, NULL, res);
}

void
milvus_rest_parse_query(long http_status, const char *body, size_t len, const char *pk_field,
    struct milvus_rest_result *res)
{
	rest_parse(MREST_OP_QUERY, milvus_rest_op_path(MREST_OP_QUERY), http_status, body, len,
	    pk_field, res);
}
