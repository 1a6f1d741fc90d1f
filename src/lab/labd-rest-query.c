/* SPDX-License-Identifier: MIT */
/* REST v2 entities/query and entities/get on the lab's proxies: the filters
 * "" and FIELD in [...] (no other expression), the request's checks in
 * Milvus's order, count(*) from the segments' row counts; the rows come from
 * labd-rest-rows.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-backup.h"
#include "labd-rest.h"

#define QUERY_WINDOW	16384		/* quotaAndLimits.limits.maxQueryResultWindow */
#define FILTER_MAX_VALUES 65536

/* ---- the filter ---- */

static bool
is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static const char *
skip_ws(const char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

static bool
ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	    (ch >= '0' && ch <= '9');
}

static int
cmp_int(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char ch = p[i];

		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v |= ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v |= ch - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* A double-quoted string literal at *pp (Go's escapes, \u of the BMP without
 * NUL or surrogates): the decoded bytes, or NULL. */
static char *
parse_string(const char **pp)
{
	const char *p = *pp + 1;
	struct buf b = BUF_INIT;
	int u;

	buf_add(&b, "", 0);
	for (; *p != '"'; p++) {
		if (*p == '\0')
			goto bad;
		if (*p != '\\') {
			buf_addc(&b, *p);
			continue;
		}
		switch (*++p) {
		case '"': case '\\': case '/': case '\'': buf_addc(&b, *p); break;
		case 'b': buf_addc(&b, '\b'); break;
		case 'f': buf_addc(&b, '\f'); break;
		case 'n': buf_addc(&b, '\n'); break;
		case 'r': buf_addc(&b, '\r'); break;
		case 't': buf_addc(&b, '\t'); break;
		case 'u':
			if ((u = hex4(p + 1)) <= 0 || (u >= 0xd800 && u <= 0xdfff))
				goto bad;
			p += 4;
			if (u < 0x80)
				buf_addc(&b, (char)u);
			else if (u < 0x800) {
				buf_addc(&b, (char)(0xc0 | (u >> 6)));
				buf_addc(&b, (char)(0x80 | (u & 0x3f)));
			} else {
				buf_addc(&b, (char)(0xe0 | (u >> 12)));
				buf_addc(&b, (char)(0x80 | ((u >> 6) & 0x3f)));
				buf_addc(&b, (char)(0x80 | (u & 0x3f)));
			}
			break;
		default:
			goto bad;
		}
	}
	*pp = p + 1;
	return buf_detach(&b, NULL);
bad:
	buf_release(&b);
	return NULL;
}

/* An integer literal at *pp ([+-]digits, in int64): 0, else -1. */
static int
parse_int(const char **pp, int64_t *out)
{
	const char *p = *pp, *digits;

	if (*p == '+')
		p++;
	digits = p;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		p++;
	/* 1.5, 1e3 and 12ab are not the ints the lab compares. */
	if (*p == '.' || ident_char(*p) ||
	    jsonraw_parse_int64(digits, (size_t)(p - digits), out) != 0)
		return -1;
	*pp = p;
	return 0;
}

void
lrest_filter_release(struct lrest_filter *f)
{
	size_t i;

	free(f->field);
	free(f->ints);
	for (i = 0; i < f->n_strs; i++)
		free(f->strs[i]);
	free(f->strs);
	memset(f, 0, sizeof *f);
}

static void
filter_add_int(struct lrest_filter *f, int64_t v)
{
	f->ints = xreallocarray(f->ints, f->n_ints + 1, sizeof *f->ints);
	f->ints[f->n_ints++] = v;
}

static void
filter_add_str(struct lrest_filter *f, char *s)
{
	f->strs = xreallocarray(f->strs, f->n_strs + 1, sizeof *f->strs);
	f->strs[f->n_strs++] = s;
}

static void
filter_sort(struct lrest_filter *f)
{
	if (f->n_ints > 1)
		qsort(f->ints, f->n_ints, sizeof *f->ints, cmp_int);
	if (f->n_strs > 1)
		qsort(f->strs, f->n_strs, sizeof *f->strs, cmp_str);
}

int
lrest_filter_parse(const char *text, struct lrest_filter *f, char *err, size_t errlen)
{
	const char *p = skip_ws(text), *start;
	int64_t v;
	char *s;

	memset(f, 0, sizeof *f);
	if (*p == '\0')
		return 0;
	for (start = p; ident_char(*p); p++)
		;
	if (p == start || (*start >= '0' && *start <= '9') || p - start > LSTORE_MAX_NAME ||
	    !is_ws(*p))
		goto unsupported;
	f->field = xstrndup(start, (size_t)(p - start));
	p = skip_ws(p);
	if (!((p[0] == 'i' && p[1] == 'n') || (p[0] == 'I' && p[1] == 'N')) || ident_char(p[2]))
		goto unsupported;
	p = skip_ws(p + 2);
	if (*p != '[')
		goto unsupported;
	p = skip_ws(p + 1);
	while (*p != ']') {
		if (f->n_ints + f->n_strs >= FILTER_MAX_VALUES) {
			snprintf(err, errlen, "more than %d values in the filter's list",
			    FILTER_MAX_VALUES);
			lrest_filter_release(f);
			return -1;
		}
		if (*p == '"') {
			if ((s = parse_string(&p)) == NULL)
				goto unsupported;
			filter_add_str(f, s);
		} else if (parse_int(&p, &v) == 0)
			filter_add_int(f, v);
		else
			goto unsupported;
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p != ']')
			goto unsupported;
	}
	if (*skip_ws(p + 1) != '\0')
		goto unsupported;
	filter_sort(f);
	return 0;
unsupported:
	lrest_filter_release(f);
	snprintf(err, errlen, "the lab supports only the filters \"\" and \"FIELD in [v1, v2, "
	    "...]\" with ints or double-quoted strings, not '%.200s'", text);
	return -1;
}

bool
lrest_filter_match(const struct lrest_filter *f, const cJSON *v)
{
	int64_t i;
	double d;

	if (f->field == NULL)
		return true;
	if (cJSON_IsString(v))
		return f->n_strs > 0 && bsearch(&v->valuestring, f->strs, f->n_strs,
		    sizeof *f->strs, cmp_str) != NULL;
	if (cJSON_IsRaw(v)) {
		if (jsonraw_parse_int64(v->valuestring, strlen(v->valuestring), &i) != 0)
			return false;
	} else if (cJSON_IsNumber(v)) {
		/* A double is exact up to 2^53; longer ints come raw (lbk_json_parse). */
		d = v->valuedouble;
		if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
		    (double)(int64_t)d != d)
			return false;
		i = (int64_t)d;
	} else
		return false;
	return f->n_ints > 0 && bsearch(&i, f->ints, f->n_ints, sizeof *f->ints,
	    cmp_int) != NULL;
}

/* ---- the request ---- */

void
lrest_query_fail(struct lrest_query *q, int code, const char *fmt, ...)
{
	va_list ap;

	q->code = code;
	va_start(ap, fmt);
	vsnprintf(q->err, sizeof q->err, fmt, ap);
	va_end(ap);
}

static void
query_release(struct lrest_query *q)
{
	size_t i;

	for (i = 0; i < q->n_fields; i++)
		free(q->fields[i].name);
	free(q->fields);
	for (i = 0; i < q->n_dyn_keys; i++)
		free(q->dyn_keys[i]);
	free(q->dyn_keys);
	lrest_filter_release(&q->filter);
	buf_release(&q->rows);
}

/* The schema's fields from the catalog (collections/describe form). */
static void
query_fields(struct lrest_query *q)
{
	size_t i;

	q->fields = xcalloc(q->coll->n_fields + 1, sizeof *q->fields);
	for (i = 0; i < q->coll->n_fields; i++) {
		cJSON *f = cJSON_Parse(q->coll->fields[i]);
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "type");
		struct lrest_qfield *qf;

		if (cJSON_IsString(n)) {
			qf = &q->fields[q->n_fields++];
			qf->name = xstrdup(n->valuestring);
			qf->id = lbk_json_int(f, "id", q->coll->field_ids[i]);
			qf->pk = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "primaryKey"));
			qf->json = cJSON_IsString(t) && strcmp(t->valuestring, "JSON") == 0;
			qf->str = cJSON_IsString(t) && (strcmp(t->valuestring, "VarChar") == 0 ||
			    strcmp(t->valuestring, "String") == 0);
		}
		cJSON_Delete(f);
	}
	q->meta_id = lbin_meta_field(q->coll);
}

const struct lrest_qfield *
lrest_query_field(const struct lrest_query *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->n_fields; i++) {
		if (strcmp(q->fields[i].name, name) == 0)
			return &q->fields[i];
	}
	return NULL;
}

/* The same, to change: q->fields is the query's own. */
static struct lrest_qfield *
field_named(struct lrest_query *q, const char *name)
{
	return (struct lrest_qfield *)lrest_query_field(q, name);
}

static struct lrest_qfield *
pk_of(struct lrest_query *q)
{
	size_t i;

	for (i = 0; i < q->n_fields; i++) {
		if (q->fields[i].pk)
			return &q->fields[i];
	}
	return NULL;
}

/* outputFields: none = the primary key; "*" = every field and dynamic key;
 * a name the schema lacks is a dynamic key when the collection has them.
 * The primary key is always given (translateToOutputFieldIDs). */
static int
query_outputs(struct lrest_query *q, const cJSON *out)
{
	struct lrest_qfield *pk = pk_of(q), *f;
	const cJSON *e;
	size_t i;

	if (pk != NULL)
		pk->out = true;
	cJSON_ArrayForEach(e, out) {
		const char *name = e->valuestring;

		if (strcmp(name, "*") == 0) {
			for (i = 0; i < q->n_fields; i++)
				q->fields[i].out = true;
			q->dyn_all = q->meta_id != 0;
		} else if ((f = field_named(q, name)) != NULL) {
			f->out = true;
		} else if (q->meta_id != 0) {
			for (i = 0; i < q->n_dyn_keys && strcmp(q->dyn_keys[i], name) != 0; i++)
				;
			if (i == q->n_dyn_keys) {
				q->dyn_keys = xreallocarray(q->dyn_keys, q->n_dyn_keys + 1,
				    sizeof *q->dyn_keys);
				q->dyn_keys[q->n_dyn_keys++] = xstrndup(name, LSTORE_MAX_NAME);
			}
		} else {
			lrest_query_fail(q, 65535, "field %.255s not exist", name);
			return -1;
		}
	}
	return 0;
}

/* One key of entities/get's id into the filter: Int64 keys from numbers or
 * decimal strings, VarChar keys from strings (convertRange). */
static const char *
query_id(struct lrest_query *q, const struct lrest_qfield *pk, const cJSON *e)
{
	int64_t v;

	if (pk->str) {
		if (!cJSON_IsString(e))
			return "a VarChar primary key is a string";
		filter_add_str(&q->filter, xstrdup(e->valuestring));
		return NULL;
	}
	if ((cJSON_IsRaw(e) || cJSON_IsString(e)) &&
	    jsonraw_parse_int64(e->valuestring, strlen(e->valuestring), &v) == 0)
		filter_add_int(&q->filter, v);
	else if (cJSON_IsNumber(e) && e->valuedouble >= -9007199254740992.0 &&
	    e->valuedouble <= 9007199254740992.0 &&
	    (double)(int64_t)e->valuedouble == e->valuedouble)
		filter_add_int(&q->filter, (int64_t)e->valuedouble);
	else
		return "an Int64 primary key is an integer";
	return NULL;
}

/* entities/get: id (a value or a list) becomes the filter "pk in [...]", as
 * checkGetPrimaryKey builds it. The body is read again with exact int64s
 * (auto IDs are above 2^53). */
static int
query_ids(struct lrest_query *q)
{
	const struct lrest_req *rq = q->c->rq;
	cJSON *body = lbk_json_parse(rq->body, rq->len);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(body, "id"), *e;
	const struct lrest_qfield *pk = pk_of(q);
	const char *why = NULL;

	if (id == NULL || cJSON_IsNull(id)) {
		cJSON_Delete(body);
		lrest_missing(q->c, "CollectionIDReq", "ID");
		return 1;
	}
	if (pk == NULL)
		why = "collection has no primary field";
	else {
		q->filter.field = xstrdup(pk->name);
		q->ffield = pk;
		if (!cJSON_IsArray(id))
			why = query_id(q, pk, id);
		cJSON_ArrayForEach(e, (cJSON_IsArray(id) ? id : NULL)) {
			if (why != NULL)
				break;
			if (q->filter.n_ints + q->filter.n_strs >= FILTER_MAX_VALUES)
				why = "too many ids";
			else
				why = query_id(q, pk, e);
		}
	}
	cJSON_Delete(body);
	if (why != NULL) {
		lrest_query_fail(q, 1806, "please check the primary key and its' type can only "
		    "in [int, string], error: %s", why);
		return -1;
	}
	filter_sort(&q->filter);
	return 0;
}

/* An int32 member as Go binds it (absent = 0); -1 with a 1801 answer. */
static int
query_int(struct lrest_query *q, const char *name, int64_t *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(q->c->j, name);

	*out = 0;
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsNumber(it) || !(it->valuedouble >= INT32_MIN &&
	    it->valuedouble <= INT32_MAX) || (double)(int32_t)it->valuedouble != it->valuedouble) {
		lrest_query_fail(q, 1801, "can only accept json format request, error: json: "
		    "cannot unmarshal %s into Go struct field QueryReqV2.%s of type int32",
		    cJSON_IsNumber(it) ? "number" : "value", name);
		return -1;
	}
	*out = (int64_t)it->valuedouble;
	return 0;
}

/* The request's members, then the checks in queryTask.PreExecute's order. */
static int
query_prepare(struct lrest_query *q, const cJSON *out, const char *filter)
{
	const cJSON *e;
	char why[320];

	cJSON_ArrayForEach(e, out) {
		if (!cJSON_IsString(e)) {
			lrest_query_fail(q, 1801, "can only accept json format request, error: "
			    "json: cannot unmarshal value into Go struct field of type string");
			return -1;
		}
	}
	if (out != NULL && !cJSON_IsNull(out) && !cJSON_IsArray(out)) {
		lrest_query_fail(q, 1801, "can only accept json format request, error: json: "
		    "cannot unmarshal value into Go struct field .outputFields of type []string");
		return -1;
	}
	if (!q->c->rq->by_id) {
		/* The handler sends limit and offset only when positive. */
		if (query_int(q, "limit", &q->limit) != 0 ||
		    query_int(q, "offset", &q->offset) != 0)
			return -1;
		if (q->limit <= 0)
			q->limit = q->offset = 0;
		if (q->offset < 0)
			q->offset = 0;
		if (q->limit > 0 && q->limit + q->offset > QUERY_WINDOW) {
			lrest_query_fail(q, 1100, "invalid max query result window, (offset+limit) "
			    "should be in range [1, %d], but got %lld: invalid parameter",
			    QUERY_WINDOW, (long long)(q->limit + q->offset));
			return -1;
		}
		if (lrest_filter_parse(filter, &q->filter, why, sizeof why) != 0) {
			lrest_query_fail(q, 1100, "%s: invalid parameter", why);
			return -1;
		}
		if (q->filter.field != NULL &&
		    (q->ffield = lrest_query_field(q, q->filter.field)) == NULL && q->meta_id == 0) {
			lrest_query_fail(q, 1100, "failed to create query plan: cannot parse "
			    "expression: %.200s, error: field %s not exist: invalid parameter",
			    filter, q->filter.field);
			return -1;
		}
		if (q->filter.field == NULL && q->limit == 0) {
			lrest_query_fail(q, 1100, "empty expression should be used with limit: invalid "
			    "parameter");
			return -1;
		}
	}
	return query_outputs(q, out);
}

void
lrest_query(struct lrest_ctx *c)
{
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(c->j, "outputFields"), *f;
	const cJSON *filter = cJSON_GetObjectItemCaseSensitive(c->j, "filter");
	const char *rs = c->rq->by_id ? "CollectionIDReq" : "QueryReqV2", *name;
	const struct lstore_coll *coll;
	struct lrest_query q;
	bool count = false;
	char data[64];

	name = lrest_str(c, "collectionName");
	if (name == NULL || *name == '\0' || strlen(name) > LSTORE_MAX_NAME) {
		lrest_missing(c, rs, "CollectionName");
		return;
	}
	if (!lrest_db(c) || (coll = lrest_coll(c, name)) == NULL)
		return;
	cJSON_ArrayForEach(f, (c->rq->by_id ? NULL : out)) {
		if (cJSON_IsString(f) && strcmp(f->valuestring, "count(*)") == 0)
			count = true;
	}
	/* count(*) reads the segments' counts, not the rows: exact, and the
	 * filter is not applied. */
	if (count) {
		if (lstore_load_find(c->s, coll->id) == NULL) {
			lrest_err(c, 101, "collection not loaded[collection=%s]", name);
			return;
		}
		snprintf(data, sizeof data, "[{\"count(*)\":%lld}]",
		    (long long)lstore_rows(c->s, coll->id));
		lrest_ok(c, data);
		return;
	}
	memset(&q, 0, sizeof q);
	q.c = c;
	q.coll = coll;
	query_fields(&q);
	if (filter != NULL && !cJSON_IsNull(filter) && !cJSON_IsString(filter))
		lrest_query_fail(&q, 1801, "can only accept json format request, error: json: "
		    "cannot unmarshal value into Go struct field QueryReqV2.filter of type string");
	else if ((c->rq->by_id ? query_ids(&q) : 0) == 0 && query_prepare(&q, out,
	    cJSON_IsString(filter) ? filter->valuestring : "") == 0) {
		/* Checked after the request, as the shard leaders are (Execute). */
		if (lstore_load_find(c->s, coll->id) == NULL)
			lrest_query_fail(&q, 101, "collection not loaded[collection=%s]", name);
		else
			lrest_query_rows(&q);
		if (q.code == 0) {
			buf_reset(&c->out->body);
			buf_adds(&c->out->body, "{\"code\":0,\"data\":[");
			if (q.rows.len > 0)
				buf_add(&c->out->body, q.rows.data, q.rows.len);
			buf_adds(&c->out->body, "]}");
		}
	}
	if (q.code != 0)
		lrest_err(c, q.code, "%s", q.err);
	query_release(&q);
}

void
lrest_serve(const struct lstore *s, const struct lrest_req *rq, struct lrest_out *out)
{
	struct lrest_req r = *rq;

	if (strcmp(rq->path, "entities/get") == 0) {
		r.path = "entities/query";
		r.by_id = true;
	}
	lrest_handle(s, &r, out);
}
