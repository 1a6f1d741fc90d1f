/* SPDX-License-Identifier: MIT */
/* Asynchronous REST v2 client for Milvus proxies: one POST per call, raced
 * over the configured proxies (http_race_start) until one answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/http_call.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"
#include "milvus-rest-int.h"

#define REST_TIMEOUT_MS		10000L
#define REST_MAX_RESPONSE	(4u * 1024 * 1024)
#define REST_MAX_URIS		64
#define REST_MAX_NAME		1024
#define REST_MAX_FIELDS		1024	/* outputFields of one query */
/* A read not answered after this long also goes to the next proxy (a quarter
 * of the timeout, at most this): a stopped proxy accepts connections and
 * never answers. */
#define REST_HEDGE_MAX_MS	1000L

/* The proxy list; calls hold a reference, so that a new list (the sessions
 * changed) never moves the servers of a call in flight. */
struct rest_uris {
	size_t refs;
	size_t n;
	char *v[];
};

struct rest_call {
	struct http_call hc;		/* first: the shared bookkeeping */
	struct milvus_rest *r;
	enum milvus_rest_op op;
	char *path;			/* MREST_OP_RAW: the caller's path */
	bool read;			/* changes nothing: may be repeated elsewhere */
	char *body;
	struct rest_uris *uris;		/* a reference */
	char *pk_field;			/* entities/query rows: whose value row_pks holds */
};

struct milvus_rest {
	struct loop *loop;
	struct rest_uris *uris;		/* a reference */
	size_t preferred;		/* index in uris: the last that answered */
	char *token;
	char *db;
	struct http_tls tls;
	long timeout_ms;
	size_t max_response;
	struct http_calls calls;
};

static void rest_call_release(struct http_call *hc);
static void rest_invoke(http_call_fn cb, void *res, void *arg);
static void rest_result_free(void *res);

static const struct http_call_ops rest_ops = {
	rest_call_release, rest_invoke, rest_result_free,
};

static char *
rest_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
rest_uris_unref(struct rest_uris *u)
{
	size_t i;

	if (u == NULL || --u->refs > 0)
		return;
	for (i = 0; i < u->n; i++)
		free(u->v[i]);
	free(u);
}

/* The list as the client uses it: no trailing '/', a scheme (http:// when
 * none), no duplicates. NULL with err on a bad list. */
static struct rest_uris *
rest_uris_new(const char *const *uris, char *err, size_t errlen)
{
	struct rest_uris *u;
	size_t n = 0, i, j;

	while (uris != NULL && uris[n] != NULL)
		n++;
	if (n == 0) {
		snprintf(err, errlen, "no proxy uri configured");
		return NULL;
	}
	if (n > REST_MAX_URIS) {
		snprintf(err, errlen, "too many proxy uris (%zu, at most %d)", n, REST_MAX_URIS);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (*uris[i] == '\0' || strlen(uris[i]) > 512) {
			snprintf(err, errlen, "invalid proxy uri '%.64s'", uris[i]);
			return NULL;
		}
	}
	u = xcalloc(1, sizeof *u + n * sizeof u->v[0]);
	u->refs = 1;
	for (i = 0; i < n; i++) {
		size_t len = strlen(uris[i]);
		char *v;

		while (len > 0 && uris[i][len - 1] == '/')
			len--;
		v = strstr(uris[i], "://") != NULL ?
		    xstrndup(uris[i], len) : xasprintf("http://%.*s", (int)len, uris[i]);
		for (j = 0; j < u->n && strcmp(u->v[j], v) != 0; j++)
			;
		if (j < u->n)
			free(v);
		else
			u->v[u->n++] = v;
	}
	return u;
}

struct milvus_rest *
milvus_rest_new(struct loop *l, const struct milvus_rest_opts *o, char *err, size_t errlen)
{
	struct milvus_rest *r;
	struct rest_uris *u;

	if ((u = rest_uris_new(o != NULL ? o->uris : NULL, err, errlen)) == NULL)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->loop = l;
	http_calls_init(&r->calls, l, &rest_ops);
	r->uris = u;
	r->token = rest_strdup(o->token);
	r->db = o->db_name != NULL && *o->db_name != '\0' ? xstrdup(o->db_name) : NULL;
	r->tls.ca_file = rest_strdup(o->tls.ca_file);
	r->tls.cert_file = rest_strdup(o->tls.cert_file);
	r->tls.key_file = rest_strdup(o->tls.key_file);
	r->tls.insecure = o->tls.insecure;
	r->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : REST_TIMEOUT_MS;
	r->max_response = o->max_response ? o->max_response : REST_MAX_RESPONSE;
	return r;
}

/* Make uri (one of some list) the preferred proxy when it is on r's list. */
static void
rest_prefer(struct milvus_rest *r, const char *uri)
{
	size_t i;

	for (i = 0; i < r->uris->n; i++) {
		if (strcmp(r->uris->v[i], uri) == 0) {
			r->preferred = i;
			return;
		}
	}
}

bool
milvus_rest_failed_over(const struct milvus_rest *r)
{
	return r->preferred != 0;
}

int
milvus_rest_set_uris(struct milvus_rest *r, const char *const *uris, char *err, size_t errlen)
{
	struct rest_uris *u = rest_uris_new(uris, err, errlen);
	char *pref;

	if (u == NULL)
		return -1;
	pref = xstrdup(r->uris->v[r->preferred]);
	rest_uris_unref(r->uris);
	r->uris = u;
	r->preferred = 0;
	rest_prefer(r, pref);
	free(pref);
	return 0;
}

static void
rest_call_release(struct http_call *hc)
{
	struct rest_call *c = (struct rest_call *)hc;

	rest_uris_unref(c->uris);
	free(c->body);
	free(c->path);
	free(c->pk_field);
	free(c);
}

void
milvus_rest_free(struct milvus_rest *r)
{
	if (r == NULL)
		return;
	http_calls_cancel(&r->calls);
	rest_uris_unref(r->uris);
	if (r->token != NULL)
		memset(r->token, 0, strlen(r->token));
	free(r->token);
	free(r->db);
	free((char *)r->tls.ca_file);
	free((char *)r->tls.cert_file);
	free((char *)r->tls.key_file);
	free(r);
}

const char *
milvus_rest_uri(const struct milvus_rest *r)
{
	return r->uris->v[r->preferred];
}

void
milvus_rest_result_free(struct milvus_rest_result *res)
{
	if (res == NULL)
		return;
	milvus_rest_result_release(res);
	free(res);
}

static void
rest_invoke(http_call_fn cb, void *res, void *arg)
{
	((milvus_rest_cb)cb)(res, arg);
}

static void
rest_result_free(void *res)
{
	milvus_rest_result_free(res);
}

/* Calls that change state are not repeated on another proxy after a timeout
 * or a gateway error: the first one may already have done it. */
static bool
rest_op_is_read(enum milvus_rest_op op)
{
	return op != MREST_OP_COLLECTION_LOAD && op != MREST_OP_COLLECTION_RELEASE &&
	    op != MREST_OP_COLLECTION_DROP && op != MREST_OP_INSERT;
}

/* One proxy's answer; true when the call is done with it (see
 * http_race_done_cb): a read passes over a proxy that did not answer in
 * time, a gateway error or a proxy that is not ready, while another is left. */
static bool
rest_http_done(const struct http_resp *hr, size_t idx, bool last, void *arg)
{
	struct rest_call *c = arg;
	struct milvus_rest *r = c->r;
	struct milvus_rest_result *res;
	bool retry;

	if (hr->err != HTTP_OK)
		retry = hr->err == HTTP_ECONNECT || hr->err == HTTP_ETLS ||
		    (hr->err == HTTP_ETIMEOUT && c->read);
	else
		retry = c->read &&
		    (hr->status == 502 || hr->status == 503 || hr->status == 504);
	if (retry && !last)
		return false;

	res = xcalloc(1, sizeof *res);
	url_strip_userinfo(c->uris->v[idx], res->uri, sizeof res->uri);
	mj_oneline(res->uri, sizeof res->uri, res->uri, sizeof res->uri);
	res->load_progress = -1;
	res->http_status = hr->status;
	if (hr->err == HTTP_ETIMEOUT) {
		res->err = MREST_EUNREACHABLE;
		snprintf(res->errmsg, sizeof res->errmsg, "proxy '%s' did not answer within %ld ms",
		    res->uri, r->timeout_ms);
	} else if (hr->err == HTTP_ETOOBIG && c->op == MREST_OP_QUERY) {
		res->err = MREST_EPROTO;
		snprintf(res->errmsg, sizeof res->errmsg, "entities/query answer from proxy '%s' is "
		    "over %zu bytes (the client's max response): ask for fewer rows or fields",
		    res->uri, r->max_response);
	} else if (hr->err == HTTP_ETOOBIG) {
		res->err = MREST_EPROTO;
		mj_oneline(res->errmsg, sizeof res->errmsg, hr->errmsg, sizeof hr->errmsg);
	} else if (hr->err != HTTP_OK) {
		char why[200];

		mj_oneline(why, sizeof why, hr->errmsg, sizeof hr->errmsg);
		res->err = MREST_EUNREACHABLE;
		snprintf(res->errmsg, sizeof res->errmsg, "cannot reach proxy %s", why);
	} else {
		if (c->op == MREST_OP_QUERY)
			milvus_rest_parse_query(hr->status, hr->body, hr->len, c->pk_field, res);
		else if (c->op == MREST_OP_RAW)
			mrest_parse_raw(c->path, hr->status, hr->body, hr->len, res);
		else
			milvus_rest_parse(c->op, hr->status, hr->body, hr->len, res);
		/* A proxy that is starting or stopping says so with code 1 or 2. */
		if (res->err == MREST_ESERVER && (res->code == MREST_CODE_SERVICE_NOT_READY ||
		    res->code == MREST_CODE_SERVICE_UNAVAILABLE) && c->read && !last) {
			milvus_rest_result_free(res);
			return false;
		}
		/* The next call goes straight to the proxy that answered. */
		rest_prefer(r, c->uris->v[idx]);
	}
	c->hc.race = NULL;
	http_call_deliver(&c->hc, res);
	return true;
}

static void
rest_build(size_t idx, struct http_opts *o, char *url, size_t urllen, void *arg)
{
	struct rest_call *c = arg;
	struct milvus_rest *r = c->r;

	snprintf(url, urllen, "%s/v2/vectordb/%s", c->uris->v[idx],
	    c->path != NULL ? c->path : milvus_rest_op_path(c->op));
	o->method = "POST";
	o->url = url;
	o->body = c->body;
	o->content_type = "application/json";
	o->bearer = r->token;
	o->tls = r->tls;
	o->timeout_ms = r->timeout_ms;
	o->max_response = r->max_response;
}

bool
mrest_name_ok(const char *s)
{
	return s != NULL && *s != '\0' && strlen(s) <= REST_MAX_NAME;
}

const char *
mrest_db(const struct milvus_rest *r, const char *db)
{
	return db != NULL ? db : r->db;
}

/* Start call op with body (taken over); path NULL: the op's. */
static void
rest_start(struct milvus_rest *r, enum milvus_rest_op op, char *body, const char *path,
    bool read, const char *pk_field, milvus_rest_cb cb, void *arg, struct http_sync *take)
{
	struct rest_call *c = xcalloc(1, sizeof *c);

	c->r = r;
	c->op = op;
	c->path = rest_strdup(path);
	c->read = read;
	c->body = body;
	c->uris = r->uris;
	c->uris->refs++;
	c->pk_field = rest_strdup(pk_field);
	http_call_add(&r->calls, &c->hc, (http_call_fn)cb, arg, take);
	/* Only a read may be hedged: a write sent twice could be done twice. */
	c->hc.race = http_race_start(r->loop, c->uris->n, r->preferred, !read ? 0 :
	    r->timeout_ms / 4 < REST_HEDGE_MAX_MS ? r->timeout_ms / 4 : REST_HEDGE_MAX_MS,
	    rest_build, rest_http_done, c);
}

char *
mrest_body(const char *db, const char *name_key, const char *name, const char *extra)
{
	struct buf b = BUF_INIT;
	const char *sep = "";

	if ((name_key != NULL && !mrest_name_ok(name)) || (db != NULL && !mrest_name_ok(db)))
		return NULL;
	buf_addc(&b, '{');
	if (db != NULL) {
		buf_adds(&b, "\"dbName\":");
		buf_add_json_str(&b, db);
		sep = ",";
	}
	if (name_key != NULL) {
		buf_printf(&b, "%s\"%s\":", sep, name_key);
		buf_add_json_str(&b, name);
		sep = ",";
	}
	if (extra != NULL)
		buf_printf(&b, "%s%s", sep, extra);
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

/* Build the body (mrest_body; db NULL: the client's default) and start. */
static int
rest_begin_pk(struct milvus_rest *r, enum milvus_rest_op op, const char *db,
    const char *name_key, const char *name, const char *extra, const char *pk_field,
    milvus_rest_cb cb, void *arg, struct http_sync *take)
{
	char *body;

	if (r == NULL)
		return -1;
	if (db == NULL && op != MREST_OP_DATABASES_LIST && op != MREST_OP_RG_LIST &&
	    op != MREST_OP_RG_DESCRIBE)
		db = r->db;
	if ((body = mrest_body(db, name_key, name, extra)) == NULL)
		return -1;
	rest_start(r, op, body, NULL, rest_op_is_read(op), pk_field, cb, arg, take);
	return 0;
}

static int
rest_begin(struct milvus_rest *r, enum milvus_rest_op op, const char *db,
    const char *name_key, const char *name, const char *extra, milvus_rest_cb cb,
    void *arg, struct http_sync *take)
{
	return rest_begin_pk(r, op, db, name_key, name, extra, NULL, cb, arg, take);
}

/* The body of a rows query; -1 on a bad argument (nothing sent). */
static int
rest_query_begin(struct milvus_rest *r, const char *db, const char *name, const char *filter,
    long limit, const char *const *output_fields, const char *pk_field, milvus_rest_cb cb,
    void *arg, struct http_sync *take)
{
	struct buf extra = BUF_INIT;
	size_t i;
	int rc;

	if (filter == NULL || strlen(filter) > 65536 || limit < 0 ||
	    limit > MREST_MAX_QUERY_ROWS || (filter[0] == '\0' && limit == 0) ||
	    (pk_field != NULL && !mrest_name_ok(pk_field)))
		return -1;
	for (i = 0; output_fields != NULL && output_fields[i] != NULL; i++) {
		if (i >= REST_MAX_FIELDS || !mrest_name_ok(output_fields[i]))
			return -1;
	}
	buf_adds(&extra, "\"filter\":");
	buf_add_json_str(&extra, filter);
	buf_adds(&extra, ",\"outputFields\":[");
	for (i = 0; output_fields != NULL && output_fields[i] != NULL; i++) {
		if (i > 0)
			buf_addc(&extra, ',');
		buf_add_json_str(&extra, output_fields[i]);
	}
	buf_adds(&extra, output_fields == NULL ? "\"*\"]" : "]");
	if (limit > 0)
		buf_printf(&extra, ",\"limit\":%ld", limit);
	rc = rest_begin_pk(r, MREST_OP_QUERY, db, "collectionName", name, extra.data, pk_field,
	    cb, arg, take);
	buf_release(&extra);
	return rc;
}

static int
rest_count_begin(struct milvus_rest *r, const char *db, const char *name, const char *filter,
    milvus_rest_cb cb, void *arg, struct http_sync *take)
{
	struct buf extra = BUF_INIT;
	int rc;

	if (filter != NULL && strlen(filter) > 65536)
		return -1;
	buf_adds(&extra, "\"filter\":");
	buf_add_json_str(&extra, filter != NULL ? filter : "");
	buf_adds(&extra, ",\"outputFields\":[\"count(*)\"]");
	rc = rest_begin(r, MREST_OP_COUNT, db, "collectionName", name, extra.data, cb, arg, take);
	buf_release(&extra);
	return rc;
}

static struct milvus_rest_result *
rest_wait(struct milvus_rest *r, int rc, struct http_sync *s)
{
	struct milvus_rest_result *res = http_call_wait(r != NULL ? r->loop : NULL, rc, s);

	if (res == NULL) {
		res = xcalloc(1, sizeof *res);
		res->err = MREST_EINVAL;
		res->load_progress = -1;
		snprintf(res->errmsg, sizeof res->errmsg, "invalid argument to a proxy call");
	}
	return res;
}

/* databases/list gets the bare {} it expects, never the default dbName. */
int
milvus_rest_databases_list(struct milvus_rest *r, milvus_rest_cb cb, void *arg)
{
	return rest_begin(r, MREST_OP_DATABASES_LIST, NULL, NULL, NULL, NULL, cb, arg, NULL);
}

#define REST_COLL_OP(fn, op)						\
int									\
fn(struct milvus_rest *r, const char *db, const char *name,		\
    milvus_rest_cb cb, void *arg)					\
{									\
	return rest_begin(r, op, db, "collectionName", name, NULL, cb, arg, NULL); \
}									\
struct milvus_rest_result *						\
fn##_sync(struct milvus_rest *r, const char *db, const char *name)	\
{									\
	struct http_sync s = { 0, NULL };				\
									\
	return rest_wait(r, rest_begin(r, op, db, "collectionName", name, NULL, \
	    NULL, NULL, &s), &s);					\
}

REST_COLL_OP(milvus_rest_collection_has, MREST_OP_COLLECTION_HAS)
REST_COLL_OP(milvus_rest_collection_describe, MREST_OP_COLLECTION_DESCRIBE)
REST_COLL_OP(milvus_rest_collection_stats, MREST_OP_COLLECTION_STATS)
REST_COLL_OP(milvus_rest_collection_load_state, MREST_OP_COLLECTION_LOAD_STATE)
REST_COLL_OP(milvus_rest_collection_load, MREST_OP_COLLECTION_LOAD)
REST_COLL_OP(milvus_rest_collection_release, MREST_OP_COLLECTION_RELEASE)
REST_COLL_OP(milvus_rest_collection_drop, MREST_OP_COLLECTION_DROP)

int
milvus_rest_collections_list(struct milvus_rest *r, const char *db, milvus_rest_cb cb,
    void *arg)
{
	return rest_begin(r, MREST_OP_COLLECTIONS_LIST, db, NULL, NULL, NULL, cb, arg, NULL);
}

int
milvus_rest_aliases_list(struct milvus_rest *r, const char *db, const char *collection,
    milvus_rest_cb cb, void *arg)
{
	return rest_begin(r, MREST_OP_ALIASES_LIST, db, collection != NULL ?
	    "collectionName" : NULL, collection, NULL, cb, arg, NULL);
}

int
milvus_rest_alias_describe(struct milvus_rest *r, const char *db, const char *alias,
    milvus_rest_cb cb, void *arg)
{
	return rest_begin(r, MREST_OP_ALIAS_DESCRIBE, db, "aliasName", alias, NULL, cb, arg,
	    NULL);
}

/* Resource groups belong to no database: bare {} and {"name"}. */
int
milvus_rest_rg_list(struct milvus_rest *r, milvus_rest_cb cb, void *arg)
{
	return rest_begin(r, MREST_OP_RG_LIST, NULL, NULL, NULL, NULL, cb, arg, NULL);
}

int
milvus_rest_rg_describe(struct milvus_rest *r, const char *name, milvus_rest_cb cb, void *arg)
{
	return rest_begin(r, MREST_OP_RG_DESCRIBE, NULL, "name", name, NULL, cb, arg, NULL);
}

struct milvus_rest_result *
milvus_rest_rg_list_sync(struct milvus_rest *r)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_begin(r, MREST_OP_RG_LIST, NULL, NULL, NULL, NULL, NULL, NULL,
	    &s), &s);
}

struct milvus_rest_result *
milvus_rest_rg_describe_sync(struct milvus_rest *r, const char *name)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_begin(r, MREST_OP_RG_DESCRIBE, NULL, "name", name, NULL, NULL,
	    NULL, &s), &s);
}

int
milvus_rest_insert(struct milvus_rest *r, const char *db, const char *name,
    const char *rows_json, milvus_rest_cb cb, void *arg)
{
	struct buf extra = BUF_INIT;
	int rc;

	if (rows_json == NULL || rows_json[0] != '[' || strlen(rows_json) > 1024 * 1024)
		return -1;
	buf_printf(&extra, "\"data\":%s", rows_json);
	rc = rest_begin(r, MREST_OP_INSERT, db, "collectionName", name, extra.data, cb, arg,
	    NULL);
	buf_release(&extra);
	return rc;
}

int
milvus_rest_count(struct milvus_rest *r, const char *db, const char *name,
    const char *filter, milvus_rest_cb cb, void *arg)
{
	return rest_count_begin(r, db, name, filter, cb, arg, NULL);
}

struct milvus_rest_result *
milvus_rest_databases_list_sync(struct milvus_rest *r)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_begin(r, MREST_OP_DATABASES_LIST, NULL, NULL, NULL, NULL,
	    NULL, NULL, &s), &s);
}

struct milvus_rest_result *
milvus_rest_collections_list_sync(struct milvus_rest *r, const char *db)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_begin(r, MREST_OP_COLLECTIONS_LIST, db, NULL, NULL, NULL,
	    NULL, NULL, &s), &s);
}

struct milvus_rest_result *
milvus_rest_aliases_list_sync(struct milvus_rest *r, const char *db, const char *collection)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_begin(r, MREST_OP_ALIASES_LIST, db, collection != NULL ?
	    "collectionName" : NULL, collection, NULL, NULL, NULL, &s), &s);
}

struct milvus_rest_result *
milvus_rest_alias_describe_sync(struct milvus_rest *r, const char *db, const char *alias)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_begin(r, MREST_OP_ALIAS_DESCRIBE, db, "aliasName", alias,
	    NULL, NULL, NULL, &s), &s);
}

int
milvus_rest_query(struct milvus_rest *r, const char *db, const char *name, const char *filter,
    long limit, const char *const *output_fields, const char *pk_field, milvus_rest_cb cb,
    void *arg)
{
	return rest_query_begin(r, db, name, filter, limit, output_fields, pk_field, cb, arg,
	    NULL);
}

struct milvus_rest_result *
milvus_rest_query_sync(struct milvus_rest *r, const char *db, const char *name,
    const char *filter, long limit, const char *const *output_fields, const char *pk_field)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_query_begin(r, db, name, filter, limit, output_fields,
	    pk_field, NULL, NULL, &s), &s);
}

struct milvus_rest_result *
milvus_rest_count_sync(struct milvus_rest *r, const char *db, const char *name,
    const char *filter)
{
	struct http_sync s = { 0, NULL };

	return rest_wait(r, rest_count_begin(r, db, name, filter, NULL, NULL, &s), &s);
}

struct milvus_rest_result *
mrest_call_sync(struct milvus_rest *r, const char *path, const char *body, bool read)
{
	struct http_sync s = { 0, NULL };

	if (r == NULL || body == NULL || !mrest_name_ok(path))
		return rest_wait(r, -1, &s);
	rest_start(r, MREST_OP_RAW, xstrdup(body), path, read, NULL, NULL, NULL, &s);
	return rest_wait(r, 0, &s);
}
