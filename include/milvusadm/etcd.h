/* SPDX-License-Identifier: MIT */
/* etcd v3 client over the JSON gRPC gateway (/v3/...), asynchronous on the loop.
 * Keys and values are byte strings (base64 on the wire); 64-bit numbers travel
 * as decimal strings and are kept exact as int64_t / uint64_t.
 *
 * Conventions:
 *  - Keys are C strings. A range_end of NULL means the single key; a range_end
 *    of "" means the one byte "\0" (every key >= key), and with it a key of ""
 *    also means "\0" (the whole keyspace), since etcd has no empty key.
 *  - Every async call returns 0 when started (-1 on a bad argument, and then
 *    the callback never runs) and calls cb exactly once, always from the loop,
 *    never from inside the call itself, unless the client is freed first.
 *  - Unary calls try the preferred endpoint first and, on a connection error,
 *    timeout, TLS failure or gRPC Unavailable, the next ones in turn; the one
 *    that answers becomes the preferred endpoint.
 *  - With username/password the client authenticates before its first call and
 *    sends the token as the raw Authorization header; when etcd rejects the
 *    token (expired, invalid, auth store changed) it authenticates again once
 *    and retries. If etcd has auth disabled, calls go without a token. */
#ifndef MILVUSADM_ETCD_H
#define MILVUSADM_ETCD_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "milvusadm/http.h"

struct loop;
struct etcd;
struct etcd_watch;

struct etcd_opts {
	const char *const *endpoints;	/* "http://127.0.0.1:2379", ...; NULL-terminated */
	const char *username;		/* auth: both set => /v3/auth/authenticate */
	const char *password;
	struct http_tls tls;
	long timeout_ms;		/* per unary request; 0 = 5 s */
};
/* etcd_new copies everything in opts. */

struct etcd_header {
	uint64_t cluster_id;
	uint64_t member_id;
	int64_t revision;
	uint64_t raft_term;
};

/* key and value are NUL-terminated copies (values may also contain NULs; use the
 * lengths). Owned by whatever holds the kv (a result, an event array). */
struct etcd_kv {
	char *key;
	size_t key_len;
	char *value;
	size_t value_len;
	int64_t create_revision;
	int64_t mod_revision;
	int64_t version;
	int64_t lease;			/* 0 = none */
};

enum etcd_event_type { ETCD_EV_PUT = 0, ETCD_EV_DELETE = 1 };

struct etcd_event {
	enum etcd_event_type type;
	struct etcd_kv kv;
	bool has_prev;
	struct etcd_kv prev_kv;
};

struct etcd_member {
	uint64_t id;
	char *name;
	char **peer_urls;
	size_t n_peer_urls;
	char **client_urls;
	size_t n_client_urls;
	bool is_learner;
};

/* One response inside a txn. */
struct etcd_txn_resp {
	enum { ETCD_TXN_RANGE, ETCD_TXN_PUT, ETCD_TXN_DELETE, ETCD_TXN_TXN } type;
	struct etcd_kv *kvs;		/* range */
	size_t n_kvs;
	int64_t deleted;		/* delete */
};

/* The result of any unary call; which fields are filled depends on the call.
 * Zero values are what etcd omits (count 0, no kvs, succeeded false...).
 * Ownership: in an async callback the result and everything it points to are
 * the client's and valid only during the callback (copy what you keep). A
 * _sync variant hands the whole result to the caller: free it with
 * etcd_result_free(). All arrays and strings inside are freed with it, except
 * endpoint, which points into the client (valid until etcd_free) or, for
 * etcd_status_sync with an explicit endpoint, is that caller's string. */
struct etcd_result {
	int err;			/* 0 ok; else ETCD_E* (then only errmsg, http_status,
					   grpc_code and endpoint are meaningful) */
	char errmsg[256];		/* one line, never a secret */
	long http_status;
	int grpc_code;			/* from an error body, 0 if none */
	const char *endpoint;		/* the endpoint that answered */
	struct etcd_header header;
	/* range */
	struct etcd_kv *kvs;
	size_t n_kvs;
	int64_t count;
	bool more;
	/* deleterange */
	int64_t deleted;
	struct etcd_kv *prev_kvs;
	size_t n_prev_kvs;
	/* txn */
	bool succeeded;
	struct etcd_txn_resp *responses;
	size_t n_responses;
	/* lease grant / keepalive / timetolive */
	int64_t lease_id;
	int64_t ttl;			/* keepalive: 0 = lease gone; timetolive: -1 = unknown lease */
	int64_t granted_ttl;
	char **lease_keys;		/* timetolive with keys (decoded, NUL-terminated) */
	size_t n_lease_keys;
	/* maintenance status */
	char *version;
	int64_t db_size;
	int64_t db_size_in_use;
	uint64_t leader;
	uint64_t raft_index;
	uint64_t raft_term;
	uint64_t raft_applied_index;
	char **errors;			/* alarms as reported by status */
	size_t n_errors;
	bool is_learner;
	/* member list */
	struct etcd_member *members;
	size_t n_members;
};

enum {
	ETCD_OK = 0,
	ETCD_EUNREACHABLE,		/* no endpoint answered (connect error, timeout) */
	ETCD_ESERVER,			/* etcd answered with an error */
	ETCD_EPROTO,			/* the answer was not what the gateway sends */
	ETCD_EAUTH,			/* authentication failed, or needed and no credentials */
};

typedef void (*etcd_cb)(const struct etcd_result *res, void *arg);

/* Create a client; no I/O yet. Returns NULL with a message in err if opts are bad. */
struct etcd *etcd_new(struct loop *l, const struct etcd_opts *opts, char *err, size_t errlen);
/* Cancel every call (their callbacks never run), stop every watch, free. Not
 * from inside one of this client's callbacks. */
void etcd_free(struct etcd *e);
/* The endpoint currently preferred (after fail-over). */
const char *etcd_endpoint(const struct etcd *e);

/* The exclusive end of the range of keys that start with prefix (last byte +1,
 * carrying; "\0" when the prefix is all 0xff). Caller frees. */
char *etcd_prefix_end(const char *prefix, size_t len, size_t *end_len);

/* Range: range_end NULL = the single key. limit 0 = no limit. */
#define ETCD_RANGE_KEYS_ONLY   0x1
#define ETCD_RANGE_COUNT_ONLY  0x2
#define ETCD_RANGE_SERIALIZABLE 0x4
int etcd_range(struct etcd *e, const char *key, const char *range_end, int64_t limit,
    int flags, etcd_cb cb, void *arg);
int etcd_range_prefix(struct etcd *e, const char *prefix, int flags, etcd_cb cb, void *arg);
/* value may hold NULs (value_len bytes); lease 0 = none. */
int etcd_put(struct etcd *e, const char *key, const char *value, size_t value_len,
    int64_t lease, etcd_cb cb, void *arg);
int etcd_delete(struct etcd *e, const char *key, const char *range_end, bool prev_kv,
    etcd_cb cb, void *arg);

/* Transactions: build, then etcd_txn_commit (which frees the builder, also on
 * failure), or etcd_txn_free to drop it. Ops and compares are sent in order. */
struct etcd_txn;
enum etcd_cmp_target { ETCD_CMP_VERSION, ETCD_CMP_CREATE, ETCD_CMP_MOD, ETCD_CMP_VALUE, ETCD_CMP_LEASE };
enum etcd_cmp_result { ETCD_CMP_EQUAL, ETCD_CMP_GREATER, ETCD_CMP_LESS, ETCD_CMP_NOT_EQUAL };
struct etcd_txn *etcd_txn_new(void);
void etcd_txn_free(struct etcd_txn *t);
/* Compare an integer target (VERSION, CREATE, MOD, LEASE) of key with n. */
void etcd_txn_cmp_int(struct etcd_txn *t, const char *key, enum etcd_cmp_target target,
    enum etcd_cmp_result result, int64_t n);
void etcd_txn_cmp_value(struct etcd_txn *t, const char *key, enum etcd_cmp_result result,
    const char *value, size_t value_len);
/* Operations for the success (on_success = true) or failure branch. */
void etcd_txn_put(struct etcd_txn *t, bool on_success, const char *key, const char *value,
    size_t value_len, int64_t lease);
void etcd_txn_delete(struct etcd_txn *t, bool on_success, const char *key, const char *range_end);
void etcd_txn_range(struct etcd_txn *t, bool on_success, const char *key, const char *range_end);
int etcd_txn_commit(struct etcd *e, struct etcd_txn *t, etcd_cb cb, void *arg);

/* Leases. A keepalive is one POST (etcd answers one message and ends the
 * stream): call it again every TTL/3. res.ttl 0 means the lease is gone. */
int etcd_lease_grant(struct etcd *e, int64_t ttl, etcd_cb cb, void *arg);
int etcd_lease_keepalive(struct etcd *e, int64_t id, etcd_cb cb, void *arg);
int etcd_lease_revoke(struct etcd *e, int64_t id, etcd_cb cb, void *arg);
int etcd_lease_timetolive(struct etcd *e, int64_t id, bool keys, etcd_cb cb, void *arg);

/* Cluster. */
int etcd_status(struct etcd *e, const char *endpoint, etcd_cb cb, void *arg); /* endpoint NULL = current */
int etcd_member_list(struct etcd *e, etcd_cb cb, void *arg);

/* Synchronous variants for script mode: run the loop until the call completes and
 * return a result the caller frees with etcd_result_free (never NULL). */
struct etcd_result *etcd_range_sync(struct etcd *e, const char *key, const char *range_end,
    int64_t limit, int flags);
struct etcd_result *etcd_range_prefix_sync(struct etcd *e, const char *prefix, int flags);
struct etcd_result *etcd_put_sync(struct etcd *e, const char *key, const char *value,
    size_t value_len, int64_t lease);
struct etcd_result *etcd_delete_sync(struct etcd *e, const char *key, const char *range_end);
struct etcd_result *etcd_txn_commit_sync(struct etcd *e, struct etcd_txn *t);
struct etcd_result *etcd_lease_grant_sync(struct etcd *e, int64_t ttl);
struct etcd_result *etcd_lease_keepalive_sync(struct etcd *e, int64_t id);
struct etcd_result *etcd_lease_revoke_sync(struct etcd *e, int64_t id);
struct etcd_result *etcd_lease_timetolive_sync(struct etcd *e, int64_t id, bool keys);
struct etcd_result *etcd_status_sync(struct etcd *e, const char *endpoint);
struct etcd_result *etcd_member_list_sync(struct etcd *e);
void etcd_result_free(struct etcd_result *r);

/* Watch: a long-lived stream. The client reconnects by itself (trying the next
 * endpoint, backing off from 200 ms to 5 s) from the last revision it delivered
 * + 1; after a compaction it re-ranges the watched range and delivers
 * ETCD_WATCH_RESYNC with the full current set, then goes on watching from that
 * range's revision + 1. Every message is delivered from the loop (never from
 * inside libcurl), so the callback may start other etcd calls. */
enum etcd_watch_kind {
	ETCD_WATCH_CREATED,		/* the stream is established */
	ETCD_WATCH_EVENTS,		/* events[] in revision order */
	ETCD_WATCH_RESYNC,		/* kvs[] is the complete current state of the range */
	ETCD_WATCH_DOWN,		/* the stream broke; retrying (errmsg says why) */
};
/* Everything a message points to is valid only during the callback. */
struct etcd_watch_msg {
	enum etcd_watch_kind kind;
	struct etcd_header header;
	const struct etcd_event *events;
	size_t n_events;
	const struct etcd_kv *kvs;
	size_t n_kvs;
	const char *errmsg;
};
typedef void (*etcd_watch_cb)(const struct etcd_watch_msg *msg, void *arg);
#define ETCD_WATCH_PREV_KV 0x1
/* start_revision 0 = from now. range_end NULL = the single key. The first
 * message comes from the loop, after this returns. NULL on a bad argument. */
struct etcd_watch *etcd_watch_start(struct etcd *e, const char *key, const char *range_end,
    int64_t start_revision, int flags, etcd_watch_cb cb, void *arg);
/* Stop and free; no callback after this returns. Safe to call from the callback. */
void etcd_watch_stop(struct etcd_watch *w);
/* The last revision delivered (for resuming elsewhere). */
int64_t etcd_watch_revision(const struct etcd_watch *w);

/* Codec, exposed for unit tests and fuzzing: build request bodies and parse
 * responses without any I/O. Encoders return a malloc'd JSON body. */
char *etcd_encode_range(const char *key, const char *range_end, int64_t limit, int flags);
char *etcd_encode_put(const char *key, const char *value, size_t value_len, int64_t lease);
char *etcd_encode_delete(const char *key, const char *range_end, bool prev_kv);
char *etcd_encode_watch_create(const char *key, const char *range_end,
    int64_t start_revision, bool prev_kv);
/* The body of /v3/kv/txn for a builder (which stays the caller's). */
char *etcd_txn_encode(const struct etcd_txn *t);
/* Parse any unary response body (also an error body, or a {"result":..}
 * stream line) into out, which is zeroed first (not freed: clear it before
 * reuse). Returns 0, or -1 with out->err/errmsg/grpc_code set. Either way
 * free what it holds with etcd_result_clear(). */
int etcd_decode_result(const char *json, size_t len, struct etcd_result *out);
/* Free what a result holds and zero it (the struct itself stays). */
void etcd_result_clear(struct etcd_result *r);
/* Stream framing for watch: feed bytes as they arrive, get whole JSON objects. */
struct etcd_stream;
struct etcd_stream *etcd_stream_new(size_t max_object);
void etcd_stream_free(struct etcd_stream *s);
/* Append data; returns -1 if an object grows past max_object. */
int etcd_stream_feed(struct etcd_stream *s, const char *p, size_t n);
/* Next complete top-level JSON object (malloc'd, NUL-terminated) or NULL. */
char *etcd_stream_next(struct etcd_stream *s, size_t *len);
/* Parse one watch stream object {"result":{...}}. Returns 0 with msg filled
 * (kind CREATED or EVENTS; n_events 0 for a progress notification) and the
 * events array in *events (caller frees with etcd_events_free(*events,
 * msg->n_events)); *canceled set when etcd canceled the watch, with the reason
 * in errbuf and *compact_revision > 0 for a compaction. Returns -1 with a
 * message in errbuf for an error object or a malformed message. */
int etcd_decode_watch(const char *json, size_t len, struct etcd_watch_msg *msg,
    struct etcd_event **events, char *errbuf, size_t errlen, int64_t *compact_revision,
    bool *canceled);
void etcd_events_free(struct etcd_event *ev, size_t n);
/* Free a kv's key and value and zero it. */
void etcd_kv_clear(struct etcd_kv *kv);

#endif
