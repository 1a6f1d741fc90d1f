/* SPDX-License-Identifier: MIT */
/* Internals shared by the etcd client's files (etcd*.c); not part of the API. */
#ifndef MILVUSADM_ETCD_INT_H
#define MILVUSADM_ETCD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/etcd.h"
#include "milvusadm/http.h"

/* gRPC status codes the client acts on. */
#define ETCD_GRPC_FAILED_PRECONDITION 9
#define ETCD_GRPC_UNAVAILABLE 14
#define ETCD_GRPC_UNAUTHENTICATED 16

enum etcd_auth_state {
	ETCD_AUTH_NEEDED,		/* credentials set, no token yet */
	ETCD_AUTH_TOKEN,		/* token holds a token */
	ETCD_AUTH_OFF,			/* no credentials, or etcd has auth disabled */
};

struct etcd_call;

struct etcd {
	struct loop *loop;
	char **endpoints;		/* without a trailing '/' */
	size_t n_endpoints;
	size_t cur;			/* preferred endpoint: the last that answered */
	char *username;
	char *password;
	char *token;			/* never logged nor put in a message */
	enum etcd_auth_state auth;
	uint64_t auth_gen;		/* bumped with every new token */
	struct etcd_call *auth_call;	/* the one authenticate in flight */
	struct etcd_call *auth_waiters;	/* calls waiting for it, in order */
	bool *freed;			/* set by etcd_free while callbacks run */
	struct http_tls tls;		/* owned copies */
	long timeout_ms;
	struct etcd_call *calls;	/* in flight, for etcd_free */
	struct etcd_watch *watches;	/* alive, for etcd_free */
};

/* Start a unary POST with fail-over and authentication; body is taken. The
 * callback runs once from the loop unless the call is cancelled. */
struct etcd_call *etcd_call_start(struct etcd *e, const char *path, char *body,
    const char *fixed_endpoint, size_t max_response, etcd_cb cb, void *arg);
void etcd_call_cancel(struct etcd_call *c);
/* Make sure a token is held (authenticating if credentials are set and there
 * is none). Returns NULL when nothing is to be done; else cb runs later with
 * err 0 (token ready or auth off) or the failure. */
struct etcd_call *etcd_call_auth(struct etcd *e, etcd_cb cb, void *arg);
/* Whether an etcd error says the token is missing, invalid or stale. */
bool etcd_is_auth_error(int grpc_code, const char *msg);
/* Forget the token so the next call authenticates again (credentials only). */
void etcd_auth_reset(struct etcd *e);
/* Fill opts for a POST of body to endpoint index ep + path; url is a buffer. */
void etcd_http_opts(struct etcd *e, size_t ep, const char *path, const char *body,
    char *url, size_t urllen, struct http_opts *o);

/* Watch bookkeeping for etcd_free. */
void etcd_watch_free_all(struct etcd *e);

/* Codec helpers. */
char *etcd_json_quote_numbers(const char *json, size_t len, size_t *out_len);
int etcd_parse_i64(const char *s, int64_t *out);
int etcd_parse_u64(const char *s, uint64_t *out);
void etcd_copy_msg(char *dst, size_t dstlen, const char *src);
char *etcd_encode_lease(const char *name, int64_t v, bool keys);
char *etcd_encode_auth(const char *user, const char *password);

#endif
