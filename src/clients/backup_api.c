/* SPDX-License-Identifier: MIT */
/* milvus-backup REST client: detects the server's flavour once, sends each
 * call's request (built by backup-api-build.c) with its request_id header,
 * retries Storage_Not_Ready with a bounded back-off, over http.h on the loop.
 * Answers go to backup-api-parse.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backup_api.h"
#include "milvusadm/http.h"
#include "milvusadm/http_call.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

/* /create first lists the source bucket with a 10 s limit (contract 0), so a
 * request needs well over 10 s before it counts as lost. */
#define BK_TIMEOUT_MS		30000L
#define BK_DEADLINE_MS		60000L
#define BK_BACKOFF_MS		500L
#define BK_BACKOFF_MAX_MS	8000L
#define BK_MAX_RESPONSE		(16u * 1024 * 1024)

enum bk_op {
	BK_OP_DETECT, BK_OP_CREATE, BK_OP_GET, BK_OP_GET_TASK, BK_OP_LIST, BK_OP_DELETE,
	BK_OP_RESTORE, BK_OP_GET_RESTORE,
};
/* A call first runs the detection steps when it needs the flavour. */
enum bk_step { BK_STEP_HELLO, BK_STEP_PROBE, BK_STEP_MAIN };

typedef int (*bk_parse_fn)(const char *, size_t, int, struct backup_result *, char *,
    size_t);

static const bk_parse_fn bk_parsers[] = {
	[BK_OP_DETECT] = NULL,
	[BK_OP_CREATE] = backup_parse_create,
	[BK_OP_GET] = backup_parse_get,
	[BK_OP_GET_TASK] = backup_parse_get_task,
	[BK_OP_LIST] = backup_parse_list,
	[BK_OP_DELETE] = backup_parse_delete,
	[BK_OP_RESTORE] = backup_parse_restore,
	[BK_OP_GET_RESTORE] = backup_parse_get_restore,
};

struct bk_call {
	struct http_call hc;		/* first: the shared bookkeeping */
	struct backup_api *a;
	enum bk_op op;
	enum bk_step step;
	struct backup_request rq;	/* the main request (create: 0.6 fields) */
	struct backup_request rq05;	/* create: the 0.5.x fields */
	char why05[160];		/* create: why 0.5.x cannot take the request */
	char subject[160];		/* "backup 'NAME'", for messages */
	int64_t t0;
	long backoff;
	int attempts;			/* requests made, detection included */
	int tries;			/* requests of the current step */
};

struct backup_api {
	struct loop *loop;
	char *base;
	char url_safe[128];
	char *basic_user, *basic_pass, *bearer;
	struct http_tls tls;
	long timeout_ms, deadline_ms, backoff_ms;
	size_t max_response;
	enum backup_flavour flavour;
	struct http_calls calls;
};

static void bk_call_release(struct http_call *hc);
static void bk_invoke(http_call_fn cb, void *res, void *arg);
static void bk_result_free(void *res);

static const struct http_call_ops bk_ops = {
	bk_call_release, bk_invoke, bk_result_free,
};

static char *
bk_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
bk_wipe_free(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

struct backup_api *
backup_api_new(struct loop *l, const struct backup_api_opts *o, char *err, size_t errlen)
{
	struct backup_api *a;
	size_t n;

	if (o == NULL || o->url == NULL || *o->url == '\0') {
		snprintf(err, errlen, "no backup.url configured");
		return NULL;
	}
	for (n = 0; o->url[n] != '\0'; n++)
		if ((unsigned char)o->url[n] <= 0x20 || o->url[n] == '?' || o->url[n] == '#')
			break;
	if (o->url[n] != '\0' || n > 512) {
		snprintf(err, errlen, "invalid backup.url");
		return NULL;
	}
	if (o->bearer != NULL && o->basic_user != NULL) {
		snprintf(err, errlen, "backup: basic and bearer authentication exclude each other");
		return NULL;
	}
	a = xcalloc(1, sizeof *a);
	a->loop = l;
	http_calls_init(&a->calls, l, &bk_ops);
	a->base = xstrdup(o->url);
	/* Checked above: one line, so only the userinfo is to go. */
	url_strip_userinfo(o->url, a->url_safe, sizeof a->url_safe);
	a->basic_user = bk_dup(o->basic_user);
	a->basic_pass = bk_dup(o->basic_pass);
	a->bearer = bk_dup(o->bearer);
	a->tls.ca_file = bk_dup(o->tls.ca_file);
	a->tls.cert_file = bk_dup(o->tls.cert_file);
	a->tls.key_file = bk_dup(o->tls.key_file);
	a->tls.insecure = o->tls.insecure;
	a->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : BK_TIMEOUT_MS;
	a->deadline_ms = o->retry_deadline_ms > 0 ? o->retry_deadline_ms :
	    o->retry_deadline_ms < 0 ? 0 : BK_DEADLINE_MS;
	a->backoff_ms = o->retry_backoff_ms > 0 ? o->retry_backoff_ms : BK_BACKOFF_MS;
	a->max_response = o->max_response ? o->max_response : BK_MAX_RESPONSE;
	return a;
}

static void
bk_call_release(struct http_call *hc)
{
	struct bk_call *c = (struct bk_call *)hc;

	backup_request_release(&c->rq);
	backup_request_release(&c->rq05);
	free(c);
}

void
backup_api_free(struct backup_api *a)
{
	if (a == NULL)
		return;
	http_calls_cancel(&a->calls);
	free(a->base);
	free(a->basic_user);
	bk_wipe_free(a->basic_pass);
	bk_wipe_free(a->bearer);
	free((char *)a->tls.ca_file);
	free((char *)a->tls.cert_file);
	free((char *)a->tls.key_file);
	free(a);
}

enum backup_flavour
backup_api_flavour(const struct backup_api *a)
{
	return a->flavour;
}

void
backup_result_free(struct backup_result *res)
{
	if (res == NULL)
		return;
	backup_result_release(res);
	free(res);
}

static void
bk_invoke(http_call_fn cb, void *res, void *arg)
{
	((backup_api_cb)cb)(res, arg);
}

static void
bk_result_free(void *res)
{
	backup_result_free(res);
}

/* Set res->errmsg, cut to its size on purpose (its args may be errmsg). */
static void __attribute__((format(printf, 2, 3)))
bk_msgf(struct backup_result *res, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	mj_oneline(res->errmsg, sizeof res->errmsg, m, strlen(m));
	free(m);
}

/* What every result of c says about c; filled before delivering. */
static struct backup_result *
bk_finish(struct bk_call *c, struct backup_result *res)
{
	res->attempts = c->attempts;
	if (res->sent_id[0] == '\0')
		memcpy(res->sent_id, c->rq.request_id, sizeof res->sent_id);
	if (res->err != BACKUP_OK && c->subject[0] != '\0')
		bk_msgf(res, "%s: %s", c->subject, res->errmsg);
	return res;
}

static void
bk_deliver(struct bk_call *c, struct backup_result *res)
{
	http_call_deliver(&c->hc, bk_finish(c, res));
}

/* From the loop: for answers known at the start (a call never answers from
 * inside the function that starts it). */
static void
bk_deliver_later(struct bk_call *c, struct backup_result *res)
{
	http_call_deliver_later(&c->hc, bk_finish(c, res));
}

static struct backup_result *
bk_result_fail(int e, const char *what)
{
	struct backup_result *res = xcalloc(1, sizeof *res);

	res->err = e;
	bk_msgf(res, "%s", what);
	return res;
}

static void bk_attempt(struct bk_call *c);

static void
bk_retry_timer(struct http_call *hc)
{
	bk_attempt((struct bk_call *)hc);
}

/* Only an answer that says nothing happened is sent again: code 503 (create
 * registered nothing) always; a gateway's 502/503/504 only for reads. */
static bool
bk_may_retry(const struct bk_call *c, const struct backup_result *res)
{
	bool read = c->step != BK_STEP_MAIN || c->op == BK_OP_GET || c->op == BK_OP_GET_TASK ||
	    c->op == BK_OP_LIST || c->op == BK_OP_GET_RESTORE;

	return res->retryable && (res->err == BACKUP_ENOTREADY || read);
}

static void
bk_http_done(const struct http_resp *hr, void *arg)
{
	struct bk_call *c = arg;
	struct backup_api *a = c->a;
	struct backup_result *res = xcalloc(1, sizeof *res);
	int64_t left;

	c->hc.req = NULL;
	c->attempts++;
	c->tries++;
	if (hr->err == HTTP_ETIMEOUT) {
		res->err = BACKUP_EUNREACHABLE;
		bk_msgf(res, "milvus-backup at '%s' did not answer within %ld ms", a->url_safe,
		    a->timeout_ms);
	} else if (hr->err == HTTP_ETOOBIG) {
		res->err = BACKUP_EPROTO;
		bk_msgf(res, "milvus-backup's answer exceeds %zu bytes", a->max_response);
	} else if (hr->err != HTTP_OK) {
		res->err = BACKUP_EUNREACHABLE;
		bk_msgf(res, "cannot reach milvus-backup at '%s': %.*s", a->url_safe,
		    (int)sizeof hr->errmsg, hr->errmsg);
	} else if (c->step == BK_STEP_HELLO)
		backup_parse_hello(hr->body, hr->len, (int)hr->status, res, res->errmsg,
		    sizeof res->errmsg);
	else if (c->step == BK_STEP_PROBE)
		backup_parse_probe(hr->body, hr->len, (int)hr->status, res, res->errmsg,
		    sizeof res->errmsg);
	else
		bk_parsers[c->op](hr->body, hr->len, (int)hr->status, res, res->errmsg,
		    sizeof res->errmsg);

	left = c->t0 + a->deadline_ms - time_mono_ms();
	if (bk_may_retry(c, res) && left > c->backoff) {
		backup_result_free(res);
		http_call_after(&c->hc, c->backoff, bk_retry_timer);
		c->backoff = c->backoff * 2 > BK_BACKOFF_MAX_MS ? BK_BACKOFF_MAX_MS : c->backoff * 2;
		return;
	}
	if (res->retryable && c->tries > 1)
		bk_msgf(res, "%s (gave up after %d tries)", res->errmsg, c->tries);
	if (res->err == BACKUP_OK && c->step == BK_STEP_HELLO) {
		backup_result_free(res);
		c->step = BK_STEP_PROBE;
		c->tries = 0;
		c->backoff = a->backoff_ms;
		bk_attempt(c);
		return;
	}
	if (res->err == BACKUP_OK && c->step == BK_STEP_PROBE) {
		a->flavour = res->flavour;
		if (c->op == BK_OP_DETECT) {
			res->greeting = true;
			bk_deliver(c, res);
			return;
		}
		backup_result_free(res);
		c->step = BK_STEP_MAIN;
		c->tries = 0;
		c->backoff = a->backoff_ms;
		bk_attempt(c);
		return;
	}
	if (res->err != BACKUP_OK && c->step != BK_STEP_MAIN && c->op != BK_OP_DETECT)
		bk_msgf(res, "not sent: cannot tell the server's version: %s", res->errmsg);
	bk_deliver(c, res);
}


static void
bk_attempt(struct bk_call *c)
{
	struct backup_api *a = c->a;
	struct backup_request probe, *rq = &c->rq;
	struct http_opts o;
	char hdr[160], err[160];
	const char *headers[2] = { hdr, NULL };

	memset(&probe, 0, sizeof probe);
	if (c->step != BK_STEP_MAIN) {
		(c->step == BK_STEP_HELLO ? backup_build_hello : backup_build_probe)(a->base, NULL,
		    &probe, err, sizeof err);
		rq = &probe;
	} else if (c->op == BK_OP_CREATE && a->flavour != BACKUP_FLAVOUR_06) {
		/* 0.5.x and unknown servers get the fields 0.5.x documents. From
		 * a timer: this may run inside backup_api_create itself. */
		if (c->rq05.url == NULL) {
			bk_deliver_later(c, bk_result_fail(BACKUP_EINVAL, c->why05));
			return;
		}
		rq = &c->rq05;
	}
	snprintf(hdr, sizeof hdr, "request_id: %s", rq->request_id);
	memset(&o, 0, sizeof o);
	o.method = rq->method;
	o.url = rq->url;
	o.body = rq->body;
	o.content_type = rq->body != NULL ? "application/json" : NULL;
	o.headers = headers;
	o.bearer = a->bearer;
	o.basic_user = a->basic_user;
	o.basic_pass = a->basic_pass;
	o.tls = a->tls;
	o.timeout_ms = a->timeout_ms;
	o.max_response = a->max_response;
	c->hc.req = http_start(a->loop, &o, bk_http_done, c);
	backup_request_release(&probe);
	if (c->hc.req == NULL)
		bk_deliver_later(c, bk_result_fail(BACKUP_EUNREACHABLE, "cannot start a request "
		    "to milvus-backup"));
}

/* Start a call whose request(s) are built; takes rq (and rq05). */
static int
bk_begin(struct backup_api *a, enum bk_op op, struct bk_call *c, backup_api_cb cb, void *arg,
    struct http_sync *take)
{
	c->a = a;
	c->op = op;
	c->t0 = time_mono_ms();
	c->backoff = a->backoff_ms;
	http_call_add(&a->calls, &c->hc, (http_call_fn)cb, arg, take);
	if (op == BK_OP_DETECT && a->flavour != BACKUP_FLAVOUR_UNKNOWN) {
		struct backup_result *res = xcalloc(1, sizeof *res);

		res->flavour = a->flavour;
		res->greeting = true;
		bk_deliver_later(c, res);
		return 0;
	}
	c->step = (op == BK_OP_DETECT || op == BK_OP_CREATE) &&
	    a->flavour == BACKUP_FLAVOUR_UNKNOWN ? BK_STEP_HELLO : BK_STEP_MAIN;
	bk_attempt(c);
	return 0;
}

/* Build the call's request for op from its arguments; -1 on a bad one. */
static struct bk_call *
bk_prepare(struct backup_api *a, enum bk_op op, const void *req, const char *s)
{
	struct bk_call *c;
	char err[160];
	int rc = 0;

	if (a == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	switch (op) {
	case BK_OP_DETECT:
		break;
	case BK_OP_CREATE: {
		struct backup_create_req same;

		/* Both flavours' requests now, with one request_id, so that the
		 * caller's req need not outlive the call. 0.6 takes every valid
		 * request; 0.5.x may not (why05 then says why). */
		rc = backup_build_create(a->base, BACKUP_FLAVOUR_06, req, &c->rq, err, sizeof err);
		if (rc != 0)
			break;
		same = *(const struct backup_create_req *)req;
		same.request_id = c->rq.request_id;
		backup_build_create(a->base, BACKUP_FLAVOUR_05, &same, &c->rq05, c->why05,
		    sizeof c->why05);
		snprintf(c->subject, sizeof c->subject, "backup '%.64s'", same.name);
		break;
	}
	case BK_OP_GET:
	case BK_OP_DELETE:
		rc = (op == BK_OP_GET ? backup_build_get : backup_build_delete)(a->base, s, NULL,
		    &c->rq, err, sizeof err);
		snprintf(c->subject, sizeof c->subject, "backup '%.64s'", s != NULL ? s : "");
		break;
	case BK_OP_GET_TASK:
	case BK_OP_GET_RESTORE:
		rc = (op == BK_OP_GET_TASK ? backup_build_get_task : backup_build_get_restore)(
		    a->base, s, NULL, &c->rq, err, sizeof err);
		snprintf(c->subject, sizeof c->subject, "task '%.64s'", s != NULL ? s : "");
		break;
	case BK_OP_LIST:
		rc = backup_build_list(a->base, NULL, &c->rq, err, sizeof err);
		break;
	case BK_OP_RESTORE:
		rc = backup_build_restore(a->base, req, &c->rq, err, sizeof err);
		if (rc == 0)
			snprintf(c->subject, sizeof c->subject, "restore of '%.64s'",
			    ((const struct backup_restore_req *)req)->backup_name);
		break;
	}
	if (rc != 0) {
		backup_request_release(&c->rq);
		backup_request_release(&c->rq05);
		free(c);
		return NULL;
	}
	return c;
}

static struct backup_result *
bk_wait(struct backup_api *a, struct bk_call *c, struct http_sync *s)
{
	/* Attempts have timeouts and retries a deadline, so this ends. */
	struct backup_result *res = http_call_wait(a != NULL ? a->loop : NULL, c == NULL, s);

	return res != NULL ? res : bk_result_fail(BACKUP_EINVAL,
	    "invalid argument to a backup call");
}

static int
bk_async(struct backup_api *a, enum bk_op op, const void *req, const char *s,
    backup_api_cb cb, void *arg)
{
	struct bk_call *c = bk_prepare(a, op, req, s);

	if (c == NULL)
		return -1;
	return bk_begin(a, op, c, cb, arg, NULL);
}

static struct backup_result *
bk_sync(struct backup_api *a, enum bk_op op, const void *req, const char *s)
{
	struct http_sync sy = { 0, NULL };
	struct bk_call *c = bk_prepare(a, op, req, s);

	if (c != NULL)
		bk_begin(a, op, c, NULL, NULL, &sy);
	return bk_wait(a, c, &sy);
}

int
backup_api_detect(struct backup_api *a, backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_DETECT, NULL, NULL, cb, arg);
}

int
backup_api_create(struct backup_api *a, const struct backup_create_req *req,
    backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_CREATE, req, NULL, cb, arg);
}

int
backup_api_get(struct backup_api *a, const char *name, backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_GET, NULL, name, cb, arg);
}

int
backup_api_get_task(struct backup_api *a, const char *request_id, backup_api_cb cb,
    void *arg)
{
	return bk_async(a, BK_OP_GET_TASK, NULL, request_id, cb, arg);
}

int
backup_api_list(struct backup_api *a, backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_LIST, NULL, NULL, cb, arg);
}

int
backup_api_delete(struct backup_api *a, const char *name, backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_DELETE, NULL, name, cb, arg);
}

int
backup_api_restore(struct backup_api *a, const struct backup_restore_req *req,
    backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_RESTORE, req, NULL, cb, arg);
}

int
backup_api_get_restore(struct backup_api *a, const char *id, backup_api_cb cb, void *arg)
{
	return bk_async(a, BK_OP_GET_RESTORE, NULL, id, cb, arg);
}

struct backup_result *
backup_api_detect_sync(struct backup_api *a)
{
	return bk_sync(a, BK_OP_DETECT, NULL, NULL);
}

struct backup_result *
backup_api_create_sync(struct backup_api *a, const struct backup_create_req *req)
{
	return bk_sync(a, BK_OP_CREATE, req, NULL);
}

struct backup_result *
backup_api_get_sync(struct backup_api *a, const char *name)
{
	return bk_sync(a, BK_OP_GET, NULL, name);
}

struct backup_result *
backup_api_get_task_sync(struct backup_api *a, const char *request_id)
{
	return bk_sync(a, BK_OP_GET_TASK, NULL, request_id);
}

struct backup_result *
backup_api_list_sync(struct backup_api *a)
{
	return bk_sync(a, BK_OP_LIST, NULL, NULL);
}

struct backup_result *
backup_api_delete_sync(struct backup_api *a, const char *name)
{
	return bk_sync(a, BK_OP_DELETE, NULL, name);
}

struct backup_result *
backup_api_restore_sync(struct backup_api *a, const struct backup_restore_req *req)
{
	return bk_sync(a, BK_OP_RESTORE, req, NULL);
}

struct backup_result *
backup_api_get_restore_sync(struct backup_api *a, const char *id)
{
	return bk_sync(a, BK_OP_GET_RESTORE, NULL, id);
}
