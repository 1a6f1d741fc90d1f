/* SPDX-License-Identifier: MIT */
/* etcd unary operations (kv, txn, leases, cluster) and their synchronous forms. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "etcd-int.h"

/* Ranges may be a whole subtree (a watch resync): allow more than the default. */
#define ETCD_MAX_RANGE_RESPONSE (64u * 1024 * 1024)

int
etcd_range(struct etcd *e, const char *key, const char *range_end, int64_t limit,
    int flags, etcd_cb cb, void *arg)
{
	if (key == NULL)
		return -1;
	etcd_call_start(e, "/v3/kv/range", etcd_encode_range(key, range_end, limit, flags),
	    NULL, ETCD_MAX_RANGE_RESPONSE, cb, arg);
	return 0;
}

int
etcd_range_prefix(struct etcd *e, const char *prefix, int flags, etcd_cb cb, void *arg)
{
	char *end;
	int rc;

	if (prefix == NULL)
		return -1;
	end = etcd_prefix_end(prefix, strlen(prefix), NULL);
	rc = etcd_range(e, prefix, end, 0, flags, cb, arg);
	free(end);
	return rc;
}

int
etcd_put(struct etcd *e, const char *key, const char *value, size_t value_len,
    int64_t lease, etcd_cb cb, void *arg)
{
	if (key == NULL || (value == NULL && value_len > 0))
		return -1;
	etcd_call_start(e, "/v3/kv/put", etcd_encode_put(key, value != NULL ? value : "",
	    value_len, lease), NULL, 0, cb, arg);
	return 0;
}

int
etcd_delete(struct etcd *e, const char *key, const char *range_end, bool prev_kv,
    etcd_cb cb, void *arg)
{
	if (key == NULL)
		return -1;
	etcd_call_start(e, "/v3/kv/deleterange", etcd_encode_delete(key, range_end, prev_kv),
	    NULL, prev_kv ? ETCD_MAX_RANGE_RESPONSE : 0, cb, arg);
	return 0;
}

int
etcd_txn_commit(struct etcd *e, struct etcd_txn *t, etcd_cb cb, void *arg)
{
	char *body;

	if (t == NULL)
		return -1;
	body = etcd_txn_encode(t);
	etcd_txn_free(t);
	etcd_call_start(e, "/v3/kv/txn", body, NULL, ETCD_MAX_RANGE_RESPONSE, cb, arg);
	return 0;
}

int
etcd_lease_grant(struct etcd *e, int64_t ttl, etcd_cb cb, void *arg)
{
	etcd_call_start(e, "/v3/lease/grant", etcd_encode_lease("TTL", ttl, false), NULL, 0,
	    cb, arg);
	return 0;
}

int
etcd_lease_keepalive(struct etcd *e, int64_t id, etcd_cb cb, void *arg)
{
	/* One POST is one keepalive: etcd answers one {"result":..} line and ends. */
	etcd_call_start(e, "/v3/lease/keepalive", etcd_encode_lease("ID", id, false), NULL, 0,
	    cb, arg);
	return 0;
}

int
etcd_lease_revoke(struct etcd *e, int64_t id, etcd_cb cb, void *arg)
{
	etcd_call_start(e, "/v3/lease/revoke", etcd_encode_lease("ID", id, false), NULL, 0,
	    cb, arg);
	return 0;
}

int
etcd_lease_timetolive(struct etcd *e, int64_t id, bool keys, etcd_cb cb, void *arg)
{
	etcd_call_start(e, "/v3/lease/timetolive", etcd_encode_lease("ID", id, keys), NULL,
	    keys ? ETCD_MAX_RANGE_RESPONSE : 0, cb, arg);
	return 0;
}

int
etcd_status(struct etcd *e, const char *endpoint, etcd_cb cb, void *arg)
{
	if (endpoint != NULL && strncmp(endpoint, "http://", 7) != 0 &&
	    strncmp(endpoint, "https://", 8) != 0)
		return -1;
	etcd_call_start(e, "/v3/maintenance/status", NULL, endpoint, 0, cb, arg);
	return 0;
}

int
etcd_member_list(struct etcd *e, etcd_cb cb, void *arg)
{
	etcd_call_start(e, "/v3/cluster/member/list", NULL, NULL, 0, cb, arg);
	return 0;
}

/* Synchronous forms: the same calls, with the loop run until they finish. */

struct etcd_sync {
	int done;
	struct etcd_result *r;
};

static void
sync_cb(const struct etcd_result *res, void *arg)
{
	struct etcd_sync *s = arg;

	/* Take the result over: res is the call's own (non-const) storage, which is
	 * cleared after this callback, so moving it out leaves nothing to free. */
	s->r = xmalloc(sizeof *s->r);
	*s->r = *res;
	memset((struct etcd_result *)res, 0, sizeof *res);
	s->done = 1;
}

static struct etcd_result *
sync_fail(const char *msg)
{
	struct etcd_result *r = xcalloc(1, sizeof *r);

	r->err = ETCD_EPROTO;
	etcd_copy_msg(r->errmsg, sizeof r->errmsg, msg);
	return r;
}

static struct etcd_result *
sync_wait(struct etcd *e, struct etcd_call *c, struct etcd_sync *s)
{
	int64_t bound;
	struct etcd_result *r;

	/* Each attempt is bounded by the request timeout; allow every endpoint
	 * twice (a re-authentication) plus authenticate calls. This bound only
	 * catches a bug: the calls time out by themselves well before it. */
	bound = (int64_t)(e->timeout_ms + 1000) * (int64_t)(4 * e->n_endpoints + 2);
	if (loop_run_until(e->loop, &s->done, bound) != 0 && !s->done) {
		etcd_call_cancel(c);
		r = xcalloc(1, sizeof *r);
		r->err = ETCD_EUNREACHABLE;
		etcd_copy_msg(r->errmsg, sizeof r->errmsg, "etcd call timed out");
		return r;
	}
	return s->r;
}

static struct etcd_result *
sync_call(struct etcd *e, const char *path, char *body, const char *fixed, size_t max)
{
	struct etcd_sync s = { 0, NULL };
	struct etcd_call *c;

	c = etcd_call_start(e, path, body, fixed, max, sync_cb, &s);
	return sync_wait(e, c, &s);
}

struct etcd_result *
etcd_range_sync(struct etcd *e, const char *key, const char *range_end, int64_t limit,
    int flags)
{
	if (key == NULL)
		return sync_fail("no key given");
	return sync_call(e, "/v3/kv/range", etcd_encode_range(key, range_end, limit, flags),
	    NULL, ETCD_MAX_RANGE_RESPONSE);
}

struct etcd_result *
etcd_range_prefix_sync(struct etcd *e, const char *prefix, int flags)
{
	struct etcd_result *r;
	char *end;

	if (prefix == NULL)
		return sync_fail("no prefix given");
	end = etcd_prefix_end(prefix, strlen(prefix), NULL);
	r = etcd_range_sync(e, prefix, end, 0, flags);
	free(end);
	return r;
}

struct etcd_result *
etcd_put_sync(struct etcd *e, const char *key, const char *value, size_t value_len,
    int64_t lease)
{
	if (key == NULL || (value == NULL && value_len > 0))
		return sync_fail("no key given");
	return sync_call(e, "/v3/kv/put", etcd_encode_put(key, value != NULL ? value : "",
	    value_len, lease), NULL, 0);
}

struct etcd_result *
etcd_delete_sync(struct etcd *e, const char *key, const char *range_end)
{
	if (key == NULL)
		return sync_fail("no key given");
	return sync_call(e, "/v3/kv/deleterange", etcd_encode_delete(key, range_end, false),
	    NULL, 0);
}

struct etcd_result *
etcd_txn_commit_sync(struct etcd *e, struct etcd_txn *t)
{
	char *body;

	if (t == NULL)
		return sync_fail("no transaction given");
	body = etcd_txn_encode(t);
	etcd_txn_free(t);
	return sync_call(e, "/v3/kv/txn", body, NULL, ETCD_MAX_RANGE_RESPONSE);
}

struct etcd_result *
etcd_lease_grant_sync(struct etcd *e, int64_t ttl)
{
	return sync_call(e, "/v3/lease/grant", etcd_encode_lease("TTL", ttl, false), NULL, 0);
}

struct etcd_result *
etcd_lease_keepalive_sync(struct etcd *e, int64_t id)
{
	return sync_call(e, "/v3/lease/keepalive", etcd_encode_lease("ID", id, false), NULL, 0);
}

struct etcd_result *
etcd_lease_revoke_sync(struct etcd *e, int64_t id)
{
	return sync_call(e, "/v3/lease/revoke", etcd_encode_lease("ID", id, false), NULL, 0);
}

struct etcd_result *
etcd_lease_timetolive_sync(struct etcd *e, int64_t id, bool keys)
{
	return sync_call(e, "/v3/lease/timetolive", etcd_encode_lease("ID", id, keys), NULL,
	    keys ? ETCD_MAX_RANGE_RESPONSE : 0);
}

struct etcd_result *
etcd_status_sync(struct etcd *e, const char *endpoint)
{
	struct etcd_result *r;

	if (endpoint != NULL && strncmp(endpoint, "http://", 7) != 0 &&
	    strncmp(endpoint, "https://", 8) != 0)
		return sync_fail("etcd endpoint is not an http:// or https:// URL");
	r = sync_call(e, "/v3/maintenance/status", NULL, endpoint, 0);
	/* The call's copy of endpoint is gone; the caller's string is not. */
	if (endpoint != NULL)
		r->endpoint = endpoint;
	return r;
}

struct etcd_result *
etcd_member_list_sync(struct etcd *e)
{
	return sync_call(e, "/v3/cluster/member/list", NULL, NULL, 0);
}

void
etcd_result_free(struct etcd_result *r)
{
	if (r == NULL)
		return;
	etcd_result_clear(r);
	free(r);
}
