/* SPDX-License-Identifier: MIT */
/* Asynchronous HTTP on the loop: one libcurl easy handle per request, all in
 * the loop's multi handle; bounded bodies, timeouts, TLS verified by default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/buf.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"

#define HTTP_DEFAULT_MAX (16u * 1024 * 1024)

struct http_req {
	CURL *easy;
	struct loop *loop;
	struct curl_slist *headers;
	struct buf body;
	size_t max;
	http_data_cb on_data;
	http_done_cb done;
	void *arg;
	char *url_safe;		/* the URL without user:password, for messages */
	int too_big;
	int aborted;
	int64_t started;
	char errbuf[CURL_ERROR_SIZE];
};

void
http_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}



static size_t
http_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct http_req *r = arg;
	size_t n = size * nmemb;

	if (r->on_data != NULL) {
		if (r->on_data(p, n, r->arg) != 0) {
			r->aborted = 1;
			return 0;
		}
		return n;
	}
	if (r->body.len + n > r->max) {
		r->too_big = 1;
		return 0;
	}
	buf_add(&r->body, p, n);
	return n;
}

static void
http_free(struct http_req *r)
{
	curl_slist_free_all(r->headers);
	buf_release(&r->body);
	free(r->url_safe);
	free(r);
}

static int
http_map_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return HTTP_ECONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ETIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return HTTP_ETLS;
	default:
		return HTTP_EOTHER;
	}
}

/* Reap finished transfers; called by the loop after every curl_multi_perform. */
static void
http_reap(struct loop *l)
{
	CURLM *multi = loop_curl_multi(l);
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
		struct http_req *r = NULL;
		struct http_resp resp;
		const char *why;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		memset(&resp, 0, sizeof resp);
		resp.err = http_map_error(msg->data.result);
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp.status);
		if (r->too_big)
			resp.err = HTTP_ETOOBIG;
		else if (r->aborted)
			resp.err = HTTP_EABORTED;
		if (resp.err != HTTP_OK) {
			why = r->errbuf[0] != '\0' ? r->errbuf : curl_easy_strerror(msg->data.result);
			if (resp.err == HTTP_ETOOBIG)
				snprintf(resp.errmsg, sizeof resp.errmsg,
				    "response from '%.120s' is larger than %zu bytes", r->url_safe, r->max);
			else if (resp.err == HTTP_EABORTED)
				snprintf(resp.errmsg, sizeof resp.errmsg, "transfer from '%.120s' aborted",
				    r->url_safe);
			else
				snprintf(resp.errmsg, sizeof resp.errmsg, "'%.120s': %.120s", r->url_safe, why);
		}
		if (r->body.data == NULL)
			buf_add(&r->body, "", 0);
		resp.body = r->body.data;
		resp.len = r->body.len;
		resp.elapsed_ms = time_mono_ms() - r->started;
		curl_multi_remove_handle(multi, r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		if (r->done != NULL)
			r->done(&resp, r->arg);
		http_free(r);
	}
}

/* libcurl copies the blob (CURL_BLOB_COPY), as it copies strings. */
static void
http_blob(CURL *e, CURLoption opt, const char *p, size_t len)
{
	struct curl_blob b;

	b.data = (void *)p;
	b.len = len;
	b.flags = CURL_BLOB_COPY;
	curl_easy_setopt(e, opt, &b);
}

struct http_req *
http_start(struct loop *l, const struct http_opts *o, http_done_cb done, void *arg)
{
	struct http_req *r = xcalloc(1, sizeof *r);
	const char *method = o->method != NULL ? o->method : "GET";
	char *hdr;
	size_t i;
	CURL *e;

	loop_set_curl_done(l, http_reap);
	r->loop = l;
	r->done = done;
	r->arg = arg;
	r->on_data = o->on_data;
	r->max = o->max_response ? o->max_response : HTTP_DEFAULT_MAX;
	r->url_safe = xmalloc(strlen(o->url) + 1);
	url_strip_userinfo(o->url, r->url_safe, strlen(o->url) + 1);
	r->started = time_mono_ms();
	r->easy = e = curl_easy_init();
	if (e == NULL) {
		http_free(r);
		return NULL;
	}

	curl_easy_setopt(e, CURLOPT_URL, o->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* libcurl keeps an address literal in its DNS cache too, and prunes that
	 * cache by walking all of it for every transfer: a sweep of 10,000
	 * sessions, each at its own IP, was quadratic (8.6 s, not 1.4 s). */
	if (url_host_is_ip(o->url))
		curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 3000L);
	if (o->timeout_ms >= 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 10000L);

	if (o->body != NULL || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
		const char *body = o->body != NULL ? o->body : "";
		size_t len = o->body_len ? o->body_len : strlen(body);

		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, body);
	}
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0 && o->body == NULL)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);

	/* A 100-continue round trip only adds latency on loopback and in-cluster. */
	r->headers = curl_slist_append(r->headers, "Expect:");
	if (o->content_type != NULL) {
		hdr = xasprintf("Content-Type: %s", o->content_type);
		r->headers = curl_slist_append(r->headers, hdr);
		free(hdr);
	}
	if (o->bearer != NULL) {
		hdr = xasprintf("Authorization: Bearer %s", o->bearer);
		r->headers = curl_slist_append(r->headers, hdr);
		free(hdr);
	} else if (o->authorization != NULL) {
		hdr = xasprintf("Authorization: %s", o->authorization);
		r->headers = curl_slist_append(r->headers, hdr);
		free(hdr);
	}
	for (i = 0; o->headers != NULL && o->headers[i] != NULL; i++)
		r->headers = curl_slist_append(r->headers, o->headers[i]);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	if (o->basic_user != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, o->basic_user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, o->basic_pass != NULL ? o->basic_pass : "");
	}
	if (o->unix_socket != NULL)
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, o->unix_socket);
	if (o->tls.ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->tls.ca_file);
	if (o->tls.cert_file != NULL)
		curl_easy_setopt(e, CURLOPT_SSLCERT, o->tls.cert_file);
	if (o->tls.key_file != NULL)
		curl_easy_setopt(e, CURLOPT_SSLKEY, o->tls.key_file);
	if (o->tls.ca_pem != NULL) {
		/* Without this the built-in bundle would be trusted as well. */
		curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
		http_blob(e, CURLOPT_CAINFO_BLOB, o->tls.ca_pem, o->tls.ca_pem_len);
	}
	if (o->tls.cert_pem != NULL)
		http_blob(e, CURLOPT_SSLCERT_BLOB, o->tls.cert_pem, o->tls.cert_pem_len);
	if (o->tls.key_pem != NULL)
		http_blob(e, CURLOPT_SSLKEY_BLOB, o->tls.key_pem, o->tls.key_pem_len);
	if (o->tls.insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}

	if (curl_multi_add_handle(loop_curl_multi(l), e) != CURLM_OK) {
		curl_easy_cleanup(e);
		http_free(r);
		return NULL;
	}
	return r;
}

void
http_cancel(struct http_req *r)
{
	if (r == NULL)
		return;
	if (r->easy != NULL) {
		curl_multi_remove_handle(loop_curl_multi(r->loop), r->easy);
		curl_easy_cleanup(r->easy);
	}
	http_free(r);
}

/* ---- races: one request that any of several equivalent servers answers ---- */

#define HTTP_RACE_URL_MAX	2048

struct http_race_try {
	struct http_race *race;
	struct http_req *req;		/* NULL once answered */
	uint64_t timer;			/* reports a request that could not start */
	size_t idx;			/* the server */
};

struct http_race {
	struct loop *loop;
	size_t n, first;
	size_t started;			/* tries[0..started) were launched */
	size_t inflight;
	long hedge_ms;
	uint64_t hedge_timer;
	/* A hedged race ends within the first attempt's timeout, however many
	 * servers hang: monotonic ms, 0 until the first launch. */
	int64_t deadline_ms;
	http_race_build_cb build;
	http_race_done_cb done;
	void *arg;
	bool in_done;			/* done runs: a cancel only marks the race */
	bool cancelled;
	struct http_race_try tries[];	/* n */
};

static void race_launch(struct http_race *rc);

/* A hedged race whose time is up starts no other server. */
static bool
race_out_of_time(const struct http_race *rc)
{
	return rc->hedge_ms > 0 && rc->deadline_ms != 0 && time_mono_ms() >= rc->deadline_ms;
}

static void
race_free(struct http_race *rc)
{
	size_t i;

	if (rc->hedge_timer != 0)
		loop_timer_cancel(rc->loop, rc->hedge_timer);
	for (i = 0; i < rc->started; i++) {
		http_cancel(rc->tries[i].req);
		if (rc->tries[i].timer != 0)
			loop_timer_cancel(rc->loop, rc->tries[i].timer);
	}
	free(rc);
}

static void
race_answer(const struct http_resp *resp, void *arg)
{
	struct http_race_try *t = arg;
	struct http_race *rc = t->race;
	bool last, taken;

	t->req = NULL;
	rc->inflight--;
	last = rc->inflight == 0 && (rc->started == rc->n || race_out_of_time(rc));
	/* The race stays allocated while done runs, so that done may cancel it
	 * (freeing its client) without pulling it from under this frame. */
	rc->in_done = true;
	taken = rc->done(resp, t->idx, last, rc->arg);
	rc->in_done = false;
	if (taken || last || rc->cancelled) {
		race_free(rc);
		return;
	}
	/* Passed over and nothing else in flight: the next server, now. */
	if (rc->inflight == 0)
		race_launch(rc);
}

static void
race_start_failed(void *arg)
{
	struct http_race_try *t = arg;
	struct http_resp resp;

	t->timer = 0;
	memset(&resp, 0, sizeof resp);
	resp.err = HTTP_ECONNECT;
	snprintf(resp.errmsg, sizeof resp.errmsg, "cannot start an http request");
	resp.body = (char *)"";
	race_answer(&resp, t);
}

static void
race_hedge(void *arg)
{
	struct http_race *rc = arg;

	rc->hedge_timer = 0;
	if (rc->started >= rc->n || race_out_of_time(rc))
		return;
	if (rc->inflight < HTTP_RACE_MAX_PARALLEL)
		race_launch(rc);
	else
		rc->hedge_timer = loop_timer_add(rc->loop, rc->hedge_ms, race_hedge, rc);
}

static void
race_launch(struct http_race *rc)
{
	struct http_race_try *t = &rc->tries[rc->started];
	struct http_opts o;
	char url[HTTP_RACE_URL_MAX];

	t->race = rc;
	t->idx = (rc->first + rc->started) % rc->n;
	rc->started++;
	rc->inflight++;
	memset(&o, 0, sizeof o);
	url[0] = '\0';
	rc->build(t->idx, &o, url, sizeof url, rc->arg);
	if (rc->hedge_ms > 0) {
		int64_t now = time_mono_ms(), left;

		if (rc->deadline_ms == 0)
			rc->deadline_ms = now + (o.timeout_ms > 0 ? o.timeout_ms : 10000);
		left = rc->deadline_ms - now;
		if (left < 1)
			left = 1;
		if (o.timeout_ms <= 0 || o.timeout_ms > left)
			o.timeout_ms = (long)left;
		if (o.connect_timeout_ms <= 0 || o.connect_timeout_ms > left)
			o.connect_timeout_ms = (long)left;
	}
	t->req = http_start(rc->loop, &o, race_answer, t);
	/* Never call back from inside the caller's own call: fail from the loop. */
	if (t->req == NULL)
		t->timer = loop_timer_add(rc->loop, 0, race_start_failed, t);
	if (rc->hedge_timer != 0)
		loop_timer_cancel(rc->loop, rc->hedge_timer);
	rc->hedge_timer = 0;
	if (rc->hedge_ms > 0 && rc->started < rc->n)
		rc->hedge_timer = loop_timer_add(rc->loop, rc->hedge_ms, race_hedge, rc);
}

struct http_race *
http_race_start(struct loop *l, size_t n, size_t first, long hedge_ms,
    http_race_build_cb build, http_race_done_cb done, void *arg)
{
	struct http_race *rc;

	if (n == 0)
		return NULL;
	rc = xcalloc(1, sizeof *rc + n * sizeof rc->tries[0]);
	rc->loop = l;
	rc->n = n;
	rc->first = first % n;
	rc->hedge_ms = hedge_ms;
	rc->build = build;
	rc->done = done;
	rc->arg = arg;
	race_launch(rc);
	return rc;
}

void
http_race_cancel(struct http_race *rc)
{
	if (rc == NULL)
		return;
	if (rc->in_done)
		rc->cancelled = true;
	else
		race_free(rc);
}

struct http_sync_state {
	int done;
	int err;
	long status;
	char *body;
	size_t len;
	char errmsg[256];
};

static void
http_sync_done(const struct http_resp *resp, void *arg)
{
	struct http_sync_state *s = arg;

	s->err = resp->err;
	s->status = resp->status;
	s->body = xmalloc(resp->len + 1);
	memcpy(s->body, resp->body, resp->len);
	s->body[resp->len] = '\0';
	s->len = resp->len;
	memcpy(s->errmsg, resp->errmsg, sizeof s->errmsg);
	s->done = 1;
}

int
http_sync(struct loop *l, const struct http_opts *o, long *status, char **body,
    size_t *len, char *errmsg, size_t errlen)
{
	struct http_sync_state s;

	memset(&s, 0, sizeof s);
	if (http_start(l, o, http_sync_done, &s) == NULL) {
		if (errmsg != NULL)
			snprintf(errmsg, errlen, "cannot start a request");
		return HTTP_EOTHER;
	}
	/* The request's own timeout bounds this wait; streams are not for http_sync. */
	loop_run_until(l, &s.done, -1);
	if (status != NULL)
		*status = s.status;
	if (len != NULL)
		*len = s.len;
	if (body != NULL)
		*body = s.body;
	else
		free(s.body);
	if (errmsg != NULL)
		snprintf(errmsg, errlen, "%.*s", (int)sizeof s.errmsg - 1, s.errmsg);
	return s.err;
}
