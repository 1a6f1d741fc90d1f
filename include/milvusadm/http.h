/* SPDX-License-Identifier: MIT */
/* Asynchronous HTTP client on the loop (libcurl easy handles in the loop's multi). */
#ifndef MILVUSADM_HTTP_H
#define MILVUSADM_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct loop;
struct http_req;

/* TLS settings; verification is on unless insecure is set. Strings are copied.
 * A *_pem (PEM text in memory, *_len bytes, copied too) is used instead of the
 * matching file, so secrets need not be written to disk; a ca_pem is then the
 * only trust, as a ca_file is. */
struct http_tls {
	const char *ca_file;
	const char *cert_file;
	const char *key_file;
	bool insecure;
	const char *ca_pem;
	size_t ca_pem_len;
	const char *cert_pem;
	size_t cert_pem_len;
	const char *key_pem;
	size_t key_pem_len;
};

/* Called with each piece of a streamed body (when opts.on_data is set, the body is
 * not accumulated). Return 0 to go on, -1 to abort the transfer. */
typedef int (*http_data_cb)(const char *p, size_t n, void *arg);

/* Everything is copied by http_start(); the caller may free it afterwards. */
struct http_opts {
	const char *method;		/* "GET" (default), "POST", "PUT", "DELETE" */
	const char *url;
	const char *body;		/* may be NULL */
	size_t body_len;		/* 0 with a body means strlen(body) */
	const char *content_type;	/* header, e.g. "application/json" */
	const char *const *headers;	/* extra "Name: value" lines, NULL-terminated */
	const char *bearer;		/* Authorization: Bearer <bearer> */
	const char *basic_user;		/* HTTP basic auth, with basic_pass */
	const char *basic_pass;
	const char *authorization;	/* raw Authorization header value (etcd tokens) */
	const char *unix_socket;	/* connect through this socket path */
	struct http_tls tls;
	long timeout_ms;		/* whole transfer; 0 = 10 s; -1 = none (streams) */
	long connect_timeout_ms;	/* 0 = 3 s */
	size_t max_response;		/* 0 = 16 MiB; larger bodies fail the request */
	http_data_cb on_data;		/* streaming: see above */
};

/* Outcome. err is 0 when the HTTP exchange completed (any status); otherwise a
 * libcurl-level failure (connect, timeout, TLS, too large) with a message. */
struct http_resp {
	int err;			/* 0, or one of HTTP_E* below */
	char errmsg[256];		/* one line, lowercase, no secrets */
	long status;			/* HTTP status, 0 if none */
	char *body;			/* NUL-terminated, owned by the request */
	size_t len;
	int64_t elapsed_ms;
};

enum {
	HTTP_OK = 0,
	HTTP_ECONNECT,			/* could not connect / resolve / refused */
	HTTP_ETIMEOUT,
	HTTP_ETLS,
	HTTP_ETOOBIG,
	HTTP_EABORTED,			/* on_data returned -1 */
	HTTP_EOTHER,
};

/* resp is valid only during the callback. */
typedef void (*http_done_cb)(const struct http_resp *resp, void *arg);

/* Start a request; done is called exactly once, from the loop, unless the request
 * is cancelled first. Returns a handle valid until done runs or http_cancel. */
struct http_req *http_start(struct loop *l, const struct http_opts *opts,
    http_done_cb done, void *arg);
/* Abort a request; its done callback is not called. */
void http_cancel(struct http_req *r);

/* Run a request to completion on the loop (script mode). Returns err; fills
 * *status and a malloc'd NUL-terminated *body (caller frees) when non-NULL. */
int http_sync(struct loop *l, const struct http_opts *opts, long *status,
    char **body, size_t *len, char *errmsg, size_t errlen);

/*
 * One request that any of n equivalent servers can answer (etcd members,
 * Milvus proxies): sent to server first, then, in turn, (first + 1) % n and
 * so on. The next server is asked at once when every attempt in flight has
 * been passed over, and also, when hedge_ms > 0, after hedge_ms without an
 * answer while fewer than HTTP_RACE_MAX_PARALLEL attempts are in flight: a
 * server that accepts connections but never answers (a stopped process)
 * then costs hedge_ms, not a whole timeout per server. Only requests that
 * change nothing may be hedged (hedge_ms 0 otherwise): a hedged write could
 * be done twice.
 */
#define HTTP_RACE_MAX_PARALLEL	3

struct http_race;

/* Fill o (zeroed) for server idx; url is a buffer of urllen bytes for it.
 * Everything o points to must live until this returns (http_start copies). */
typedef void (*http_race_build_cb)(size_t idx, struct http_opts *o, char *url, size_t urllen,
    void *arg);
/* The answer (or failure) of server idx. Return true to take it (the race
 * ends: the other attempts are cancelled), false to pass over it. last: no
 * attempt is left in flight nor server untried; the race is over whatever
 * this returns. Must not cancel its own race; it may free everything else. */
typedef bool (*http_race_done_cb)(const struct http_resp *resp, size_t idx, bool last,
    void *arg);

/* Start a race over n >= 1 servers from first. done runs at least once, from
 * the loop (a request that cannot start is an HTTP_EOTHER answer), until it
 * takes an answer or last is set, unless the race is cancelled first. A
 * hedged race (hedge_ms > 0) ends within the first attempt's timeout: later
 * attempts get only what is left of it, and none starts after it. */
struct http_race *http_race_start(struct loop *l, size_t n, size_t first, long hedge_ms,
    http_race_build_cb build, http_race_done_cb done, void *arg);
/* Abort a race; done is not called again. NULL is ignored. */
void http_race_cancel(struct http_race *race);

/* Global libcurl init/cleanup, once per process. */
void http_global_init(void);
void http_global_cleanup(void);

#endif
