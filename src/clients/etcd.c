/* SPDX-License-Identifier: MIT */
/* etcd client core: endpoints and fail-over, authentication, unary calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "etcd-int.h"

#define ETCD_DEFAULT_TIMEOUT_MS 5000
#define ETCD_CONNECT_TIMEOUT_MS 2000
#define ETCD_MAX_TOKEN 4096
/* A read not answered after this long is also sent to the next endpoint (a
 * quarter of the timeout, at most this): a stopped member accepts connections
 * and never answers, so only a second request finds out in time. */
#define ETCD_HEDGE_MAX_MS 1000

struct etcd_call {
	struct etcd *e;
	struct etcd_call *prev, *next;
	char *path;
	char *body;
	char *fixed;			/* only this endpoint (status of one member) */
	size_t max_response;
	size_t ep;			/* endpoint index of the last answer */
	size_t tries;			/* answers passed over so far */
	bool reauthed;			/* re-authenticated once already */
	bool is_auth;			/* this is /v3/auth/authenticate itself */
	bool waiting;			/* on e->auth_waiters */
	struct etcd_call *auth_next;	/* next on e->auth_waiters */
	uint64_t sent_gen;		/* e->auth_gen of the token it was sent with */
	struct http_race *race;		/* the request in flight */
	char lasterr[200];
	etcd_cb cb;
	void *arg;
	struct etcd_result res;
};

static void call_send(struct etcd_call *c);
static struct etcd_call *call_new(struct etcd *e, const char *path, char *body,
    const char *fixed, size_t max_response, etcd_cb cb, void *arg);

static const char *
call_endpoint(const struct etcd_call *c)
{
	return c->fixed != NULL ? c->fixed : c->e->endpoints[c->ep];
}

static char *
dup_opt(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct etcd *
etcd_new(struct loop *l, const struct etcd_opts *opts, char *err, size_t errlen)
{
	struct etcd *e;
	size_t n, i, len;
	const char *ep;

	for (n = 0; opts->endpoints != NULL && opts->endpoints[n] != NULL; n++) {
		ep = opts->endpoints[n];
		if (strncmp(ep, "http://", 7) != 0 && strncmp(ep, "https://", 8) != 0) {
			char msg[256];

			snprintf(msg, sizeof msg, "etcd endpoint '%.100s' is not an http:// or "
			    "https:// URL", ep);
			etcd_copy_msg(err, errlen, msg);
			return NULL;
		}
	}
	if (n == 0) {
		snprintf(err, errlen, "no etcd endpoints configured");
		return NULL;
	}
	if ((opts->username != NULL) != (opts->password != NULL)) {
		snprintf(err, errlen, "etcd username and password must be given together");
		return NULL;
	}
	e = xcalloc(1, sizeof *e);
	e->loop = l;
	e->endpoints = xcalloc(n + 1, sizeof *e->endpoints);
	for (i = 0; i < n; i++) {
		e->endpoints[i] = xstrdup(opts->endpoints[i]);
		len = strlen(e->endpoints[i]);
		while (len > 0 && e->endpoints[i][len - 1] == '/')
			e->endpoints[i][--len] = '\0';
	}
	e->n_endpoints = n;
	e->username = dup_opt(opts->username);
	e->password = dup_opt(opts->password);
	e->auth = e->username != NULL ? ETCD_AUTH_NEEDED : ETCD_AUTH_OFF;
	e->tls.ca_file = dup_opt(opts->tls.ca_file);
	e->tls.cert_file = dup_opt(opts->tls.cert_file);
	e->tls.key_file = dup_opt(opts->tls.key_file);
	e->tls.insecure = opts->tls.insecure;
	e->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : ETCD_DEFAULT_TIMEOUT_MS;
	return e;
}

static void
call_free(struct etcd_call *c)
{
	etcd_result_clear(&c->res);
	free(c->path);
	free(c->body);
	free(c->fixed);
	free(c);
}

static void
call_unlink(struct etcd_call *c)
{
	if (c->e == NULL)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->e->calls = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
}

void
etcd_call_cancel(struct etcd_call *c)
{
	if (c == NULL)
		return;
	if (c->waiting) {
		struct etcd_call **pp = &c->e->auth_waiters;

		while (*pp != c)
			pp = &(*pp)->auth_next;
		*pp = c->auth_next;
	}
	if (c->e != NULL && c->e->auth_call == c)
		c->e->auth_call = NULL;
	http_race_cancel(c->race);
	call_unlink(c);
	call_free(c);
}

void
etcd_free(struct etcd *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->freed != NULL)
		*e->freed = true;
	etcd_watch_free_all(e);
	while (e->calls != NULL)
		etcd_call_cancel(e->calls);
	for (i = 0; i < e->n_endpoints; i++)
		free(e->endpoints[i]);
	free(e->endpoints);
	free(e->username);
	if (e->password != NULL)
		explicit_bzero(e->password, strlen(e->password));
	free(e->password);
	if (e->token != NULL)
		explicit_bzero(e->token, strlen(e->token));
	free(e->token);
	free((char *)e->tls.ca_file);
	free((char *)e->tls.cert_file);
	free((char *)e->tls.key_file);
	free(e);
}

const char *
etcd_endpoint(const struct etcd *e)
{
	return e->endpoints[e->cur];
}

void
etcd_http_opts(struct etcd *e, size_t ep, const char *path, const char *body,
    char *url, size_t urllen, struct http_opts *o)
{
	memset(o, 0, sizeof *o);
	snprintf(url, urllen, "%s%s", e->endpoints[ep], path);
	o->method = "POST";
	o->url = url;
	o->body = body;
	o->content_type = "application/json";
	/* etcd wants the bare token, not "Bearer <token>" (that is rejected as invalid). */
	if (e->auth == ETCD_AUTH_TOKEN)
		o->authorization = e->token;
	o->tls = e->tls;
	o->timeout_ms = e->timeout_ms;
	o->connect_timeout_ms = e->timeout_ms < ETCD_CONNECT_TIMEOUT_MS ?
	    e->timeout_ms : ETCD_CONNECT_TIMEOUT_MS;
}

bool
etcd_is_auth_error(int grpc_code, const char *msg)
{
	return grpc_code == ETCD_GRPC_UNAUTHENTICATED ||
	    strstr(msg, "invalid auth token") != NULL ||
	    strstr(msg, "auth store is old") != NULL ||
	    strstr(msg, "user name is empty") != NULL;
}

void
etcd_auth_reset(struct etcd *e)
{
	if (e->username == NULL)
		return;
	if (e->token != NULL)
		explicit_bzero(e->token, strlen(e->token));
	free(e->token);
	e->token = NULL;
	e->auth = ETCD_AUTH_NEEDED;
}

/* Hand the result to the caller; the call is gone afterwards. The callback may
 * free the client, so nothing here touches e after it. */
static void
call_finish(struct etcd_call *c)
{
	call_unlink(c);
	c->e = NULL;
	if (c->cb != NULL)
		c->cb(&c->res, c->arg);
	call_free(c);
}

static void
call_fail(struct etcd_call *c, int err, const char *msg)
{
	int code = c->res.grpc_code;
	long status = c->res.http_status;
	const char *ep = c->res.endpoint;

	etcd_result_clear(&c->res);
	c->res.err = err;
	c->res.grpc_code = code;
	c->res.http_status = status;
	c->res.endpoint = ep;
	etcd_copy_msg(c->res.errmsg, sizeof c->res.errmsg, msg);
	call_finish(c);
}

/* Pass over this endpoint's answer (why): the race asks the others; when it
 * was the last, give up. Returns what the race's done callback returns. */
static bool
call_pass(struct etcd_call *c, struct http_race *race, bool last, const char *why)
{
	char msg[256];

	etcd_copy_msg(c->lasterr, sizeof c->lasterr, why);
	c->tries++;
	if (!last) {
		c->race = race;
		etcd_result_clear(&c->res);
		return false;
	}
	if (c->fixed != NULL || c->e->n_endpoints == 1)
		snprintf(msg, sizeof msg, "etcd unreachable: %s", c->lasterr);
	else
		snprintf(msg, sizeof msg, "no etcd endpoint answered (%zu tried), last: %s",
		    c->tries, c->lasterr);
	call_fail(c, ETCD_EUNREACHABLE, msg);
	return true;
}

/* An authenticate answer: keep the token, or learn that auth is off. */
static void
auth_answer(struct etcd_call *c, const struct http_resp *resp)
{
	struct etcd *e = c->e;
	cJSON *root;
	const cJSON *tok;

	if (c->res.err == ETCD_ESERVER &&
	    (c->res.grpc_code == ETCD_GRPC_FAILED_PRECONDITION ||
	    strstr(c->res.errmsg, "authentication is not enabled") != NULL)) {
		e->auth = ETCD_AUTH_OFF;
		etcd_result_clear(&c->res);
		return;
	}
	if (c->res.err != 0) {
		char msg[256];

		snprintf(msg, sizeof msg, "etcd authentication as '%.40s' failed: %.180s",
		    e->username, c->res.errmsg);
		c->res.err = ETCD_EAUTH;
		etcd_copy_msg(c->res.errmsg, sizeof c->res.errmsg, msg);
		return;
	}
	root = cJSON_ParseWithLength(resp->body, resp->len);
	tok = cJSON_GetObjectItemCaseSensitive(root, "token");
	if (!cJSON_IsString(tok) || tok->valuestring[0] == '\0' ||
	    strlen(tok->valuestring) > ETCD_MAX_TOKEN) {
		c->res.err = ETCD_EPROTO;
		snprintf(c->res.errmsg, sizeof c->res.errmsg,
		    "malformed etcd response: no token from authenticate");
	} else {
		etcd_auth_reset(e);
		e->token = xstrdup(tok->valuestring);
		e->auth = ETCD_AUTH_TOKEN;
		e->auth_gen++;
	}
	cJSON_Delete(root);
}

/* One endpoint's answer; true when the call is done with it (see
 * http_race_done_cb). */
static bool
call_done(const struct http_resp *resp, size_t idx, bool last, void *arg)
{
	struct etcd_call *c = arg;
	struct etcd *e = c->e;
	struct http_race *race = c->race;
	char msg[256];

	/* The race ends unless call_pass keeps it; a re-send makes a new one. */
	c->race = NULL;
	if (c->fixed == NULL)
		c->ep = idx;
	etcd_result_clear(&c->res);
	if (resp->err == HTTP_ECONNECT || resp->err == HTTP_ETIMEOUT || resp->err == HTTP_ETLS)
		return call_pass(c, race, last, resp->errmsg);
	if (resp->err != HTTP_OK) {
		call_fail(c, ETCD_EPROTO, resp->errmsg);
		return true;
	}
	if (etcd_decode_result(resp->body, resp->len, &c->res) != 0 &&
	    c->res.err == ETCD_EPROTO && (resp->status < 200 || resp->status > 299)) {
		/*
		 * Not the gateway talking (a proxy's error page, a 404 from something
		 * that is no etcd): name what answered, and another endpoint may do.
		 */
		snprintf(msg, sizeof msg, "'%.100s' answered http %ld", call_endpoint(c),
		    resp->status);
		return call_pass(c, race, last, msg);
	}
	c->res.endpoint = call_endpoint(c);
	c->res.http_status = resp->status;
	if (c->res.err == 0 && (resp->status < 200 || resp->status > 299)) {
		c->res.err = ETCD_ESERVER;
		snprintf(c->res.errmsg, sizeof c->res.errmsg, "etcd answered http %ld",
		    resp->status);
	}
	if (c->is_auth) {
		auth_answer(c, resp);
		if (c->res.err == 0 && c->fixed == NULL)
			e->cur = c->ep;
		call_finish(c);
		return true;
	}
	if (c->res.err == ETCD_ESERVER && c->res.grpc_code == ETCD_GRPC_UNAVAILABLE) {
		/* "no leader", "too many requests", shutting down: ask another member. */
		snprintf(msg, sizeof msg, "'%.100s': %.150s", call_endpoint(c), c->res.errmsg);
		return call_pass(c, race, last, msg);
	}
	if (c->res.err == ETCD_ESERVER && etcd_is_auth_error(c->res.grpc_code, c->res.errmsg)) {
		if (e->username != NULL && !c->reauthed) {
			c->reauthed = true;
			/* Unless another call got a new token meanwhile. */
			if (e->auth != ETCD_AUTH_TOKEN || c->sent_gen == e->auth_gen)
				etcd_auth_reset(e);
			etcd_result_clear(&c->res);
			call_send(c);
			return true;
		}
		snprintf(msg, sizeof msg, "%s: %.200s", e->username != NULL ?
		    "etcd rejected the token" : "etcd requires authentication", c->res.errmsg);
		c->res.err = ETCD_EAUTH;
		etcd_copy_msg(c->res.errmsg, sizeof c->res.errmsg, msg);
	}
	if (c->fixed == NULL)
		e->cur = c->ep;
	call_finish(c);
	return true;
}

/* The shared authenticate finished: send every call that waited for it. */
static void
auth_shared_done(const struct etcd_result *res, void *arg)
{
	struct etcd *e = arg;
	struct etcd_call *c;
	bool freed = false;

	e->auth_call = NULL;
	/* A callback below may free the client (and with it the waiters). */
	e->freed = &freed;
	while ((c = e->auth_waiters) != NULL) {
		e->auth_waiters = c->auth_next;
		c->auth_next = NULL;
		c->waiting = false;
		if (res->err != 0)
			call_fail(c, res->err, res->errmsg);
		else {
			/* Start where authentication found a live endpoint. */
			if (c->fixed == NULL && c->tries == 0)
				c->ep = e->cur;
			call_send(c);
		}
		if (freed)
			return;
	}
	e->freed = NULL;
}

/* Queue c behind the one authenticate in flight, starting it if needed:
 * a burst of calls costs etcd one password check, not one each. */
static void
auth_wait(struct etcd_call *c)
{
	struct etcd *e = c->e;
	struct etcd_call **pp = &e->auth_waiters;

	while (*pp != NULL)
		pp = &(*pp)->auth_next;
	*pp = c;
	c->waiting = true;
	if (e->auth_call != NULL)
		return;
	e->auth_call = call_new(e, "/v3/auth/authenticate",
	    etcd_encode_auth(e->username, e->password), NULL, 0, auth_shared_done, e);
	e->auth_call->is_auth = true;
	call_send(e->auth_call);
}

static struct etcd_call *
call_new(struct etcd *e, const char *path, char *body, const char *fixed,
    size_t max_response, etcd_cb cb, void *arg)
{
	struct etcd_call *c = xcalloc(1, sizeof *c);

	c->e = e;
	c->path = path != NULL ? xstrdup(path) : NULL;
	c->body = body != NULL ? body : xstrdup("{}");
	c->fixed = dup_opt(fixed);
	if (c->fixed != NULL) {
		size_t len = strlen(c->fixed);

		while (len > 0 && c->fixed[len - 1] == '/')
			c->fixed[--len] = '\0';
	}
	c->max_response = max_response;
	c->ep = e->cur;
	c->cb = cb;
	c->arg = arg;
	c->next = e->calls;
	if (e->calls != NULL)
		e->calls->prev = c;
	e->calls = c;
	return c;
}

/* Only these change nothing, so only these may go to two members at once. */
static bool
call_is_read(const struct etcd_call *c)
{
	static const char *const reads[] = {
		"/v3/kv/range", "/v3/maintenance/status", "/v3/cluster/member/list",
		"/v3/lease/timetolive", "/v3/lease/leases", "/v3/auth/authenticate",
	};
	size_t i;

	for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		if (strcmp(c->path, reads[i]) == 0)
			return true;
	}
	return false;
}

static void
call_build(size_t idx, struct http_opts *o, char *url, size_t urllen, void *arg)
{
	struct etcd_call *c = arg;

	etcd_http_opts(c->e, c->fixed != NULL ? 0 : idx, c->path, c->body, url, urllen, o);
	if (c->fixed != NULL)
		snprintf(url, urllen, "%s%s", c->fixed, c->path);
	o->max_response = c->max_response;
}

static void
call_send(struct etcd_call *c)
{
	struct etcd *e = c->e;
	long hedge = 0;

	if (!c->is_auth && e->auth == ETCD_AUTH_NEEDED) {
		auth_wait(c);
		return;
	}
	if (c->path == NULL) {
		/* etcd_call_auth's call: the token is there (or auth is off). */
		call_finish(c);
		return;
	}
	c->sent_gen = e->auth_gen;
	if (call_is_read(c))
		hedge = e->timeout_ms / 4 < ETCD_HEDGE_MAX_MS ? e->timeout_ms / 4 :
		    ETCD_HEDGE_MAX_MS;
	c->race = http_race_start(e->loop, c->fixed != NULL ? 1 : e->n_endpoints, c->ep, hedge,
	    call_build, call_done, c);
}

struct etcd_call *
etcd_call_start(struct etcd *e, const char *path, char *body, const char *fixed_endpoint,
    size_t max_response, etcd_cb cb, void *arg)
{
	struct etcd_call *c = call_new(e, path, body, fixed_endpoint, max_response, cb, arg);

	call_send(c);
	return c;
}

struct etcd_call *
etcd_call_auth(struct etcd *e, etcd_cb cb, void *arg)
{
	struct etcd_call *c;

	if (e->auth != ETCD_AUTH_NEEDED)
		return NULL;
	/* A call without a path: it only waits for the token. */
	c = call_new(e, NULL, NULL, NULL, 0, cb, arg);
	call_send(c);
	return c;
}
