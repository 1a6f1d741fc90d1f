/* SPDX-License-Identifier: MIT */
/* etcd gateway codec: request bodies out, response and watch objects in (no I/O). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "milvusadm/b64.h"
#include "milvusadm/buf.h"
#include "milvusadm/etcd.h"
#include "milvusadm/log.h"
#include "milvusadm/xalloc.h"
#include "etcd-int.h"

/*
 * What etcd 3.4.23 (Debian) was seen to send, probed with curl on loopback:
 *  - unary errors: non-2xx with {"error":"<msg>","message":"<msg>","code":<grpc>};
 *    e.g. 404 code 5 "etcdserver: requested lease not found" (revoke),
 *    401 code 16 "etcdserver: invalid auth token" (bad, expired or "Bearer "
 *    token, also a token sent while auth is off), 400 code 3 "etcdserver: user
 *    name is empty" (auth on, no token), 412 code 9 "etcdserver: authentication
 *    is not enabled" (authenticate while auth is off), 400 code 3 for bad
 *    base64 or JSON.  A streaming RPC that fails before streaming (watch,
 *    keepalive with a bad body) answers 500 with the same flat shape, code 2.
 *  - one POST to /v3/lease/keepalive returns exactly one line
 *    {"result":{"header":{..},"ID":"..","TTL":"30"}} and ends the stream; an
 *    unknown lease gives the same without "TTL" (so ttl 0 = gone); a bad token
 *    is not reported there at all.
 *  - /v3/lease/timetolive on an unknown lease: 200 with "TTL":"-1".
 *  - /v3/watch: 200, chunked, one JSON object per line ending in "\n":
 *    {"result":{"header":{..},"created":true}} first, then event batches;
 *    DELETE events carry only key and mod_revision in kv. After a compaction
 *    past start_revision: created, then {"result":{"header":{..},"canceled":true,
 *    "compact_revision":"6"}} and the stream stays open (we close it). With a
 *    missing or bad token: {"result":{..,"watch_id":"-1","created":true,
 *    "canceled":true,"cancel_reason":"rpc error: code = Unauthenticated desc =
 *    etcdserver: invalid auth token"}}.
 *  - when etcd shuts down under a watch, the stream's last object is the
 *    streaming error shape {"error":{..,"message":"transport is closing"}}.
 *  - member IDs exceed INT64_MAX ("14693099913860118000"): they are uint64.
 */

/* Rewrite every bare JSON number as a string, so that cJSON (which keeps only
 * a double) never sees one; 64-bit values are then read exactly with strtoll. */
char *
etcd_json_quote_numbers(const char *json, size_t len, size_t *out_len)
{
	struct buf b = BUF_INIT;
	size_t i = 0, start;

	buf_add(&b, "", 0);
	/* Copied in runs, not a byte at a time: a watch of 10,000 events is
	 * megabytes of JSON. */
	while (i < len) {
		char c = json[i];

		if (c == '"') {
			/* A string, escapes and all, up to its closing quote. */
			start = i++;
			while (i < len && json[i] != '"')
				i += json[i] == '\\' && i + 1 < len ? 2 : 1;
			if (i < len)
				i++;
			buf_add(&b, json + start, i - start);
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9')) {
			start = i;
			while (i < len && (json[i] == '-' || json[i] == '+' || json[i] == '.' ||
			    json[i] == 'e' || json[i] == 'E' || (json[i] >= '0' && json[i] <= '9')))
				i++;
			buf_addc(&b, '"');
			buf_add(&b, json + start, i - start);
			buf_addc(&b, '"');
			continue;
		}
		start = i;
		while (i < len && json[i] != '"' && json[i] != '-' &&
		    (json[i] < '0' || json[i] > '9'))
			i++;
		buf_add(&b, json + start, i - start);
	}
	return buf_detach(&b, out_len);
}

int
etcd_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
etcd_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	/* strtoull would accept "-1" as ULLONG_MAX. */
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Copy a message into a fixed buffer as one printable line. Every error
 * of the client passes here: an endpoint written "http://user:pass@..."
 * and any registered secret leave as "user:***@" and "***". */
void
etcd_copy_msg(char *dst, size_t dstlen, const char *src)
{
	char *red;
	size_t i;

	if (dstlen == 0)
		return;
	red = log_redact(src);
	for (i = 0; red[i] != '\0' && i + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)red[i];

		dst[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	dst[i] = '\0';
	free(red);
}

/* Members are absent when zero: absent is 0, a malformed one is -1. */
static int
get_i64(const cJSON *o, const char *name, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	return etcd_parse_i64(v->valuestring, out);
}

static int
get_u64(const cJSON *o, const char *name, uint64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	return etcd_parse_u64(v->valuestring, out);
}

static bool
get_bool(const cJSON *o, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* An array member, or NULL when absent; *bad is set when present but not an array. */
static const cJSON *
get_array(const cJSON *o, const char *name, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsArray(v)) {
		*bad = 1;
		return NULL;
	}
	return v;
}

/* A base64 member decoded into a NUL-terminated copy ("" when absent). */
static int
get_bytes(const cJSON *o, const char *name, char **out, size_t *out_len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	size_t n = 0;

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		*out = xstrdup("");
		n = 0;
	} else if (!cJSON_IsString(v) ||
	    (*out = b64_decode(v->valuestring, strlen(v->valuestring), &n)) == NULL)
		return -1;
	if (out_len != NULL)
		*out_len = n;
	return 0;
}

static int
decode_header(const cJSON *o, struct etcd_header *h)
{
	const cJSON *hdr = cJSON_GetObjectItemCaseSensitive(o, "header");

	memset(h, 0, sizeof *h);
	if (hdr == NULL)
		return 0;
	if (!cJSON_IsObject(hdr))
		return -1;
	if (get_u64(hdr, "cluster_id", &h->cluster_id) != 0 ||
	    get_u64(hdr, "member_id", &h->member_id) != 0 ||
	    get_i64(hdr, "revision", &h->revision) != 0 ||
	    get_u64(hdr, "raft_term", &h->raft_term) != 0)
		return -1;
	return 0;
}

void
etcd_kv_clear(struct etcd_kv *kv)
{
	free(kv->key);
	free(kv->value);
	memset(kv, 0, sizeof *kv);
}

static int
decode_kv(const cJSON *o, struct etcd_kv *kv)
{
	memset(kv, 0, sizeof *kv);
	if (!cJSON_IsObject(o))
		return -1;
	if (get_bytes(o, "key", &kv->key, &kv->key_len) != 0 ||
	    get_bytes(o, "value", &kv->value, &kv->value_len) != 0 ||
	    get_i64(o, "create_revision", &kv->create_revision) != 0 ||
	    get_i64(o, "mod_revision", &kv->mod_revision) != 0 ||
	    get_i64(o, "version", &kv->version) != 0 ||
	    get_i64(o, "lease", &kv->lease) != 0) {
		etcd_kv_clear(kv);
		return -1;
	}
	return 0;
}

static void
kvs_free(struct etcd_kv *kvs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		etcd_kv_clear(&kvs[i]);
	free(kvs);
}

static int
decode_kvs(const cJSON *o, const char *name, struct etcd_kv **out, size_t *n_out)
{
	int bad = 0;
	const cJSON *arr = get_array(o, name, &bad), *it;
	size_t n = 0;

	*out = NULL;
	*n_out = 0;
	if (bad)
		return -1;
	if (arr == NULL)
		return 0;
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out);
	cJSON_ArrayForEach(it, arr) {
		if (decode_kv(it, &(*out)[n]) != 0) {
			*n_out = n;
			return -1;
		}
		n++;
	}
	*n_out = n;
	return 0;
}

static int
decode_strings(const cJSON *o, const char *name, bool base64, char ***out, size_t *n_out)
{
	int bad = 0;
	const cJSON *arr = get_array(o, name, &bad), *it;
	size_t n = 0;

	*out = NULL;
	*n_out = 0;
	if (bad)
		return -1;
	if (arr == NULL)
		return 0;
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			goto bad;
		if (base64) {
			(*out)[n] = b64_decode(it->valuestring, strlen(it->valuestring), NULL);
			if ((*out)[n] == NULL)
				goto bad;
		} else
			(*out)[n] = xstrdup(it->valuestring);
		n++;
	}
	*n_out = n;
	return 0;
bad:
	*n_out = n;
	return -1;
}

static void
strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
decode_members(const cJSON *o, struct etcd_result *r)
{
	int bad = 0;
	const cJSON *arr = get_array(o, "members", &bad), *it, *name;
	struct etcd_member *m;

	if (bad)
		return -1;
	if (arr == NULL)
		return 0;
	r->members = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *r->members);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			return -1;
		m = &r->members[r->n_members++];
		name = cJSON_GetObjectItemCaseSensitive(it, "name");
		/* A member added but not started yet has no name. */
		m->name = xstrdup(cJSON_IsString(name) ? name->valuestring : "");
		m->is_learner = get_bool(it, "isLearner");
		if (get_u64(it, "ID", &m->id) != 0 ||
		    decode_strings(it, "peerURLs", false, &m->peer_urls, &m->n_peer_urls) != 0 ||
		    decode_strings(it, "clientURLs", false, &m->client_urls, &m->n_client_urls) != 0)
			return -1;
	}
	return 0;
}

static int
decode_txn_responses(const cJSON *o, struct etcd_result *r)
{
	int bad = 0;
	const cJSON *arr = get_array(o, "responses", &bad), *it, *v;
	struct etcd_txn_resp *t;

	if (bad)
		return -1;
	if (arr == NULL)
		return 0;
	r->responses = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *r->responses);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			return -1;
		t = &r->responses[r->n_responses++];
		if ((v = cJSON_GetObjectItemCaseSensitive(it, "response_range")) != NULL) {
			t->type = ETCD_TXN_RANGE;
			if (!cJSON_IsObject(v) || decode_kvs(v, "kvs", &t->kvs, &t->n_kvs) != 0)
				return -1;
		} else if ((v = cJSON_GetObjectItemCaseSensitive(it, "response_put")) != NULL)
			t->type = ETCD_TXN_PUT;
		else if ((v = cJSON_GetObjectItemCaseSensitive(it,
		    "response_delete_range")) != NULL) {
			t->type = ETCD_TXN_DELETE;
			if (!cJSON_IsObject(v) || get_i64(v, "deleted", &t->deleted) != 0)
				return -1;
		} else if ((v = cJSON_GetObjectItemCaseSensitive(it, "response_txn")) != NULL)
			t->type = ETCD_TXN_TXN;
		else
			return -1;
	}
	return 0;
}

/* The flat unary error {"error":"..","code":N,"message":".."} or the streaming
 * one {"error":{"grpc_code":N,"message":".."}}. Returns 1 when o is an error. */
static int
decode_error(const cJSON *o, int *grpc_code, char *msg, size_t msglen)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(o, "error"), *m, *src = o;
	const char *code_name = "code";
	int64_t code = 0;

	if (err == NULL || cJSON_IsNull(err))
		return 0;
	if (cJSON_IsObject(err)) {
		src = err;
		code_name = "grpc_code";
	}
	m = cJSON_GetObjectItemCaseSensitive(src, "message");
	if (!cJSON_IsString(m) || m->valuestring[0] == '\0')
		m = cJSON_IsString(err) ? err : NULL;
	etcd_copy_msg(msg, msglen, m != NULL ? m->valuestring : "etcd returned an error");
	if (get_i64(src, code_name, &code) != 0 || code < 0 || code > 1000)
		code = 0;
	*grpc_code = (int)code;
	return 1;
}

static int
proto_error(struct etcd_result *out, const char *what)
{
	out->err = ETCD_EPROTO;
	snprintf(out->errmsg, sizeof out->errmsg, "malformed etcd response: %s", what);
	return -1;
}

static int
decode_status(const cJSON *o, struct etcd_result *r)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "version");

	/* Top-level "version" is the server version string (status only). */
	if (cJSON_IsString(v))
		r->version = xstrdup(v->valuestring);
	r->is_learner = get_bool(o, "isLearner");
	if (get_i64(o, "dbSize", &r->db_size) != 0 ||
	    get_i64(o, "dbSizeInUse", &r->db_size_in_use) != 0 ||
	    get_u64(o, "leader", &r->leader) != 0 ||
	    get_u64(o, "raftIndex", &r->raft_index) != 0 ||
	    get_u64(o, "raftTerm", &r->raft_term) != 0 ||
	    get_u64(o, "raftAppliedIndex", &r->raft_applied_index) != 0 ||
	    decode_strings(o, "errors", false, &r->errors, &r->n_errors) != 0)
		return -1;
	return 0;
}

int
etcd_decode_result(const char *json, size_t len, struct etcd_result *out)
{
	cJSON *root;
	const cJSON *o, *res;
	char *text;
	size_t tlen;
	int rc = 0;

	memset(out, 0, sizeof *out);
	text = etcd_json_quote_numbers(json, len, &tlen);
	root = cJSON_ParseWithLength(text, tlen);
	free(text);
	if (root == NULL || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return proto_error(out, "not a JSON object");
	}
	o = root;
	if (decode_error(o, &out->grpc_code, out->errmsg, sizeof out->errmsg)) {
		out->err = ETCD_ESERVER;
		rc = -1;
		goto done;
	}
	/* Server-streaming calls (keepalive) wrap each message in "result". */
	res = cJSON_GetObjectItemCaseSensitive(o, "result");
	if (cJSON_IsObject(res))
		o = res;
	if (decode_header(o, &out->header) != 0) {
		rc = proto_error(out, "bad header");
		goto done;
	}
	out->more = get_bool(o, "more");
	out->succeeded = get_bool(o, "succeeded");
	if (decode_kvs(o, "kvs", &out->kvs, &out->n_kvs) != 0 ||
	    get_i64(o, "count", &out->count) != 0 ||
	    get_i64(o, "deleted", &out->deleted) != 0 ||
	    decode_kvs(o, "prev_kvs", &out->prev_kvs, &out->n_prev_kvs) != 0) {
		rc = proto_error(out, "bad key-values");
		goto done;
	}
	if (decode_txn_responses(o, out) != 0) {
		rc = proto_error(out, "bad txn responses");
		goto done;
	}
	if (get_i64(o, "ID", &out->lease_id) != 0 ||
	    get_i64(o, "TTL", &out->ttl) != 0 ||
	    get_i64(o, "grantedTTL", &out->granted_ttl) != 0 ||
	    decode_strings(o, "keys", true, &out->lease_keys, &out->n_lease_keys) != 0) {
		rc = proto_error(out, "bad lease fields");
		goto done;
	}
	if (decode_status(o, out) != 0) {
		rc = proto_error(out, "bad status fields");
		goto done;
	}
	if (decode_members(o, out) != 0) {
		rc = proto_error(out, "bad member list");
		goto done;
	}
done:
	cJSON_Delete(root);
	return rc;
}

void
etcd_result_clear(struct etcd_result *r)
{
	size_t i;

	kvs_free(r->kvs, r->n_kvs);
	kvs_free(r->prev_kvs, r->n_prev_kvs);
	for (i = 0; i < r->n_responses; i++)
		kvs_free(r->responses[i].kvs, r->responses[i].n_kvs);
	free(r->responses);
	strings_free(r->lease_keys, r->n_lease_keys);
	free(r->version);
	strings_free(r->errors, r->n_errors);
	for (i = 0; i < r->n_members; i++) {
		free(r->members[i].name);
		strings_free(r->members[i].peer_urls, r->members[i].n_peer_urls);
		strings_free(r->members[i].client_urls, r->members[i].n_client_urls);
	}
	free(r->members);
	memset(r, 0, sizeof *r);
}

void
etcd_events_free(struct etcd_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		etcd_kv_clear(&ev[i].kv);
		etcd_kv_clear(&ev[i].prev_kv);
	}
	free(ev);
}

static int
decode_event(const cJSON *o, struct etcd_event *ev)
{
	const cJSON *type, *prev;

	memset(ev, 0, sizeof *ev);
	if (!cJSON_IsObject(o))
		return -1;
	type = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (type == NULL || cJSON_IsNull(type))
		ev->type = ETCD_EV_PUT;
	else if (cJSON_IsString(type) && (strcmp(type->valuestring, "PUT") == 0 ||
	    strcmp(type->valuestring, "0") == 0))
		ev->type = ETCD_EV_PUT;
	else if (cJSON_IsString(type) && (strcmp(type->valuestring, "DELETE") == 0 ||
	    strcmp(type->valuestring, "1") == 0))
		ev->type = ETCD_EV_DELETE;
	else
		return -1;
	if (decode_kv(cJSON_GetObjectItemCaseSensitive(o, "kv"), &ev->kv) != 0)
		return -1;
	prev = cJSON_GetObjectItemCaseSensitive(o, "prev_kv");
	if (prev != NULL && !cJSON_IsNull(prev)) {
		if (decode_kv(prev, &ev->prev_kv) != 0)
			return -1;
		ev->has_prev = true;
	}
	return 0;
}

int
etcd_decode_watch(const char *json, size_t len, struct etcd_watch_msg *msg,
    struct etcd_event **events, char *errbuf, size_t errlen, int64_t *compact_revision,
    bool *canceled)
{
	cJSON *root;
	const cJSON *res, *arr, *it, *reason;
	char *text;
	size_t tlen, n = 0;
	int bad = 0, code = 0, rc = -1;
	char msgbuf[256];

	memset(msg, 0, sizeof *msg);
	*events = NULL;
	*compact_revision = 0;
	*canceled = false;
	if (errlen > 0)
		errbuf[0] = '\0';
	text = etcd_json_quote_numbers(json, len, &tlen);
	root = cJSON_ParseWithLength(text, tlen);
	free(text);
	if (root == NULL || !cJSON_IsObject(root)) {
		snprintf(errbuf, errlen, "malformed etcd watch message");
		goto done;
	}
	if (decode_error(root, &code, msgbuf, sizeof msgbuf)) {
		snprintf(errbuf, errlen, "etcd watch error: %s", msgbuf);
		goto done;
	}
	res = cJSON_GetObjectItemCaseSensitive(root, "result");
	if (!cJSON_IsObject(res) || decode_header(res, &msg->header) != 0) {
		snprintf(errbuf, errlen, "malformed etcd watch message");
		goto done;
	}
	msg->kind = get_bool(res, "created") ? ETCD_WATCH_CREATED : ETCD_WATCH_EVENTS;
	if (get_bool(res, "canceled")) {
		*canceled = true;
		reason = cJSON_GetObjectItemCaseSensitive(res, "cancel_reason");
		etcd_copy_msg(errbuf, errlen, cJSON_IsString(reason) ?
		    reason->valuestring : "watch canceled by etcd");
	}
	if (get_i64(res, "compact_revision", compact_revision) != 0) {
		snprintf(errbuf, errlen, "malformed etcd watch message");
		goto done;
	}
	arr = get_array(res, "events", &bad);
	if (bad) {
		snprintf(errbuf, errlen, "malformed etcd watch events");
		goto done;
	}
	if (arr != NULL) {
		*events = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **events);
		cJSON_ArrayForEach(it, arr) {
			if (decode_event(it, &(*events)[n]) != 0) {
				etcd_events_free(*events, n + 1);
				*events = NULL;
				snprintf(errbuf, errlen, "malformed etcd watch event");
				goto done;
			}
			n++;
		}
	}
	msg->events = *events;
	msg->n_events = n;
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}
