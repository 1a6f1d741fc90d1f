/* SPDX-License-Identifier: MIT */
/* What every HTTP client on the loop (milvus_mgmt, milvus_rest, backup_api)
 * does around its requests, in one place: the list of its calls in flight,
 * handing a result to the caller's callback and then to a synchronous waiter
 * (or freeing it), a result delivered from the loop rather than from inside
 * the call that made it, timers, and the synchronous wait itself. */
#ifndef MILVUSADM_HTTP_CALL_H
#define MILVUSADM_HTTP_CALL_H

#include <stdint.h>

#include "milvusadm/http.h"

struct loop;
struct http_call;

/* The caller's callback, of the client's own type, kept generically: only the
 * client's invoke casts it back (to its real type) and calls it. */
typedef void (*http_call_fn)(void);

struct http_call_ops {
	/* Free a call: the client's struct that embeds struct http_call. */
	void (*release)(struct http_call *c);
	/* Call cb, cast back to the client's callback type, with res and arg. */
	void (*invoke)(http_call_fn cb, void *res, void *arg);
	/* Free a result that nobody takes. */
	void (*result_free)(void *res);
};

/* A synchronous call's waiter: res is handed over when done is set. */
struct http_sync {
	int done;
	void *res;
};

/* One client's calls in flight. */
struct http_calls {
	struct loop *loop;
	const struct http_call_ops *ops;
	struct http_call *head;
};

/* Embedded in each client's call struct. A client sets req or race while a
 * request is in flight and clears it when the answer comes. */
struct http_call {
	struct http_calls *set;
	struct http_call *prev, *next;
	struct http_req *req;
	struct http_race *race;
	uint64_t timer;			/* a timer pending on the loop, 0 if none */
	void (*on_timer)(struct http_call *c);
	void *later;			/* http_call_deliver_later's result */
	http_call_fn cb;
	void *arg;
	struct http_sync *take;
};

void http_calls_init(struct http_calls *s, struct loop *l, const struct http_call_ops *ops);
/* Cancel every call: requests, races and timers stop, no callback runs,
 * pending results are freed, and each call is released. */
void http_calls_cancel(struct http_calls *s);

/* Link c (the client's call, its http_call zeroed) into s; cb (may be NULL)
 * gets the result, then take (may be NULL) is handed it. */
void http_call_add(struct http_calls *s, struct http_call *c, http_call_fn cb, void *arg,
    struct http_sync *take);
/* Finish c with res: unlink and release c first (the callback may free the
 * client or start calls), then the callback, then hand res to the waiter,
 * or free it when there is none. */
void http_call_deliver(struct http_call *c, void *res);
/* The same, from the loop: a call never answers from inside the function
 * that started it. */
void http_call_deliver_later(struct http_call *c, void *res);
/* fn(c) after ms milliseconds (c->timer is 0 again when fn runs). */
void http_call_after(struct http_call *c, int64_t ms, void (*fn)(struct http_call *c));

/* Run the loop until s is done and return its result (each request has its
 * own timeout, so this ends). NULL when rc != 0: nothing was started. */
void *http_call_wait(struct loop *l, int rc, struct http_sync *s);

#endif
