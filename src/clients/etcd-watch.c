/* SPDX-License-Identifier: MIT */
/* etcd watch: a streamed /v3/watch that reconnects, resumes and resyncs by itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "etcd-int.h"

#define WATCH_MAX_OBJECT (64u * 1024 * 1024)
#define WATCH_BACKOFF_MIN_MS 200
#define WATCH_BACKOFF_MAX_MS 5000

/*
 * Messages are never delivered from inside libcurl's write callback (libcurl
 * refuses new transfers from there, and a callback may want to start one):
 * on_data only frames bytes and arms a zero-delay timer; the timer, the
 * stream's done callback and unary-call callbacks deliver. etcd_watch_stop()
 * can therefore free at once, except from inside this watch's own callback,
 * where the delivering code frees after the callback returns.
 */
enum watch_end {
	WATCH_GOING,			/* stream healthy */
	WATCH_END_BROKEN,		/* reconnect after a back-off */
	WATCH_END_COMPACTED,		/* re-range, then watch on */
	WATCH_END_REAUTH,		/* token rejected: authenticate, reconnect */
};

struct etcd_watch {
	struct etcd *e;
	struct etcd_watch *prev, *next;
	char *key;
	char *range_end;		/* NULL = the single key; "" = "\0" */
	int flags;
	etcd_watch_cb cb;
	void *arg;
	int64_t start_rev;		/* as asked; 0 = from now */
	int64_t last_rev;		/* everything up to here delivered; 0 = none */
	size_t ep;
	struct http_req *req;
	struct etcd_stream *stream;
	struct etcd_call *call;		/* authenticate or resync range in flight */
	uint64_t timer;			/* back-off */
	uint64_t drain_timer;
	int64_t backoff_ms;
	bool need_resync;
	bool reauthed;			/* one re-authentication per broken stream */
	bool stopped;
	int in_cb;
	enum watch_end end;
	char reason[256];
};

static void watch_connect(struct etcd_watch *w);

static void
watch_destroy(struct etcd_watch *w)
{
	struct etcd *e = w->e;

	if (w->req != NULL)
		http_cancel(w->req);
	if (w->call != NULL)
		etcd_call_cancel(w->call);
	if (w->timer != 0)
		loop_timer_cancel(e->loop, w->timer);
	if (w->drain_timer != 0)
		loop_timer_cancel(e->loop, w->drain_timer);
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		e->watches = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	etcd_stream_free(w->stream);
	free(w->key);
	free(w->range_end);
	free(w);
}

/* Run the user's callback. Returns false when the watch was stopped in it
 * (and is freed by now): the caller must not touch w then. */
static bool
watch_deliver(struct etcd_watch *w, const struct etcd_watch_msg *msg)
{
	w->in_cb++;
	w->cb(msg, w->arg);
	w->in_cb--;
	if (w->stopped && w->in_cb == 0) {
		watch_destroy(w);
		return false;
	}
	return !w->stopped;
}

static void
watch_retry_timer(void *arg)
{
	struct etcd_watch *w = arg;

	w->timer = 0;
	watch_connect(w);
}

/* The stream is gone: say so, move to the next endpoint, retry after a back-off. */
static void
watch_broken(struct etcd_watch *w, const char *why)
{
	struct etcd_watch_msg msg;
	char shown[300];

	/* why may name the endpoint: through the client's one message filter. */
	if (why != NULL)
		etcd_copy_msg(shown, sizeof shown, why);
	memset(&msg, 0, sizeof msg);
	msg.kind = ETCD_WATCH_DOWN;
	msg.errmsg = why != NULL ? shown : NULL;
	if (!watch_deliver(w, &msg))
		return;
	w->ep = (w->ep + 1) % w->e->n_endpoints;
	w->timer = loop_timer_add(w->e->loop, w->backoff_ms, watch_retry_timer, w);
	w->backoff_ms *= 2;
	if (w->backoff_ms > WATCH_BACKOFF_MAX_MS)
		w->backoff_ms = WATCH_BACKOFF_MAX_MS;
}

static void
watch_auth_done(const struct etcd_result *res, void *arg)
{
	struct etcd_watch *w = arg;

	w->call = NULL;
	if (res->err != 0) {
		watch_broken(w, res->errmsg);
		return;
	}
	w->ep = w->e->cur;
	watch_connect(w);
}

static void
watch_resync_done(const struct etcd_result *res, void *arg)
{
	struct etcd_watch *w = arg;
	struct etcd_watch_msg msg;

	w->call = NULL;
	if (res->err != 0) {
		watch_broken(w, res->errmsg);
		return;
	}
	w->need_resync = false;
	w->last_rev = res->header.revision;
	memset(&msg, 0, sizeof msg);
	msg.kind = ETCD_WATCH_RESYNC;
	msg.header = res->header;
	msg.kvs = res->kvs;
	msg.n_kvs = res->n_kvs;
	if (!watch_deliver(w, &msg))
		return;
	w->ep = w->e->cur;
	watch_connect(w);
}

/* Handle one object of the stream. Returns false when the watch is gone. */
static bool
watch_handle(struct etcd_watch *w, const char *obj, size_t len)
{
	struct etcd_watch_msg msg;
	struct etcd_event *events;
	int64_t compact;
	bool canceled, alive = true;
	char err[256];
	size_t i;

	if (etcd_decode_watch(obj, len, &msg, &events, err, sizeof err, &compact,
	    &canceled) != 0) {
		w->end = etcd_is_auth_error(0, err) ? WATCH_END_REAUTH : WATCH_END_BROKEN;
		snprintf(w->reason, sizeof w->reason, "%s", err);
		return true;
	}
	if (canceled) {
		if (compact > 0) {
			w->end = WATCH_END_COMPACTED;
			snprintf(w->reason, sizeof w->reason, "watched revisions were compacted "
			    "(compact revision %lld)", (long long)compact);
		} else {
			w->end = etcd_is_auth_error(0, err) ? WATCH_END_REAUTH : WATCH_END_BROKEN;
			snprintf(w->reason, sizeof w->reason, "watch canceled by etcd: %.200s", err);
		}
		etcd_events_free(events, msg.n_events);
		return true;
	}
	if (msg.kind == ETCD_WATCH_CREATED) {
		/* Watching "from now": everything up to the creation is seen. */
		if (w->last_rev == 0 && w->start_rev == 0)
			w->last_rev = msg.header.revision;
		w->backoff_ms = WATCH_BACKOFF_MIN_MS;
		w->reauthed = false;
		w->e->cur = w->ep;
		alive = watch_deliver(w, &msg);
	} else if (msg.n_events > 0) {
		for (i = 0; i < msg.n_events; i++)
			if (events[i].kv.mod_revision > w->last_rev)
				w->last_rev = events[i].kv.mod_revision;
		alive = watch_deliver(w, &msg);
	} else if (msg.header.revision > w->last_rev && w->last_rev > 0) {
		/* A progress notification: nothing is pending up to its revision. */
		w->last_rev = msg.header.revision;
	}
	etcd_events_free(events, msg.n_events);
	return alive;
}

/* Deliver what the stream holds until it ends. Returns false when w is gone. */
static bool
watch_drain(struct etcd_watch *w)
{
	char *obj;
	size_t len;
	bool alive;

	while (w->end == WATCH_GOING && (obj = etcd_stream_next(w->stream, &len)) != NULL) {
		alive = watch_handle(w, obj, len);
		free(obj);
		if (!alive)
			return false;
	}
	return true;
}

/* Act on how the stream ended (w->end, w->reason); the request is gone. */
static void
watch_after_end(struct etcd_watch *w, const char *fallback)
{
	enum watch_end end = w->end;

	w->end = WATCH_GOING;
	switch (end) {
	case WATCH_END_COMPACTED:
		w->need_resync = true;
		watch_connect(w);
		break;
	case WATCH_END_REAUTH:
		if (w->e->username != NULL && !w->reauthed) {
			w->reauthed = true;
			etcd_auth_reset(w->e);
			watch_connect(w);
			break;
		}
		watch_broken(w, w->reason);
		break;
	case WATCH_END_BROKEN:
		watch_broken(w, w->reason);
		break;
	case WATCH_GOING:
	default:
		watch_broken(w, fallback);
		break;
	}
}

static void
watch_drain_timer(void *arg)
{
	struct etcd_watch *w = arg;

	w->drain_timer = 0;
	if (!watch_drain(w))
		return;
	if (w->end != WATCH_GOING) {
		http_cancel(w->req);
		w->req = NULL;
		watch_after_end(w, NULL);
	}
}

static int
watch_on_data(const char *p, size_t n, void *arg)
{
	struct etcd_watch *w = arg;

	if (w->end != WATCH_GOING)
		return 0;
	if (etcd_stream_feed(w->stream, p, n) != 0) {
		w->end = WATCH_END_BROKEN;
		snprintf(w->reason, sizeof w->reason, "watch message larger than %u bytes",
		    WATCH_MAX_OBJECT);
		return -1;
	}
	if (w->drain_timer == 0)
		w->drain_timer = loop_timer_add(w->e->loop, 0, watch_drain_timer, w);
	return 0;
}

static void
watch_done(const struct http_resp *resp, void *arg)
{
	struct etcd_watch *w = arg;
	char why[300];

	w->req = NULL;
	if (w->drain_timer != 0) {
		loop_timer_cancel(w->e->loop, w->drain_timer);
		w->drain_timer = 0;
	}
	if (!watch_drain(w))
		return;
	if (resp->err != HTTP_OK && resp->err != HTTP_EABORTED)
		snprintf(why, sizeof why, "watch stream lost: %.250s", resp->errmsg);
	else
		snprintf(why, sizeof why, "watch stream from '%.200s' ended (http %ld)",
		    w->e->endpoints[w->ep], resp->status);
	watch_after_end(w, why);
}

static void
watch_connect(struct etcd_watch *w)
{
	struct etcd *e = w->e;
	struct http_opts o;
	char url[1024], *body;
	int64_t from;

	if ((w->call = etcd_call_auth(e, watch_auth_done, w)) != NULL)
		return;
	if (w->need_resync) {
		w->call = etcd_call_start(e, "/v3/kv/range",
		    etcd_encode_range(w->key, w->range_end, 0, 0), NULL, WATCH_MAX_OBJECT,
		    watch_resync_done, w);
		return;
	}
	from = w->last_rev > 0 ? w->last_rev + 1 : w->start_rev;
	body = etcd_encode_watch_create(w->key, w->range_end, from,
	    (w->flags & ETCD_WATCH_PREV_KV) != 0);
	etcd_stream_free(w->stream);
	w->stream = etcd_stream_new(WATCH_MAX_OBJECT);
	w->end = WATCH_GOING;
	etcd_http_opts(e, w->ep, "/v3/watch", body, url, sizeof url, &o);
	o.timeout_ms = -1;
	o.on_data = watch_on_data;
	w->req = http_start(e->loop, &o, watch_done, w);
	free(body);
	if (w->req == NULL) {
		/* Not from inside etcd_watch_start's caller: retry from the loop. */
		w->timer = loop_timer_add(e->loop, w->backoff_ms, watch_retry_timer, w);
		w->backoff_ms = WATCH_BACKOFF_MAX_MS;
	}
}

static void
watch_start_timer(void *arg)
{
	struct etcd_watch *w = arg;

	w->timer = 0;
	watch_connect(w);
}

struct etcd_watch *
etcd_watch_start(struct etcd *e, const char *key, const char *range_end,
    int64_t start_revision, int flags, etcd_watch_cb cb, void *arg)
{
	struct etcd_watch *w;

	if (key == NULL || cb == NULL || start_revision < 0)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->e = e;
	w->key = xstrdup(key);
	w->range_end = range_end != NULL ? xstrdup(range_end) : NULL;
	w->flags = flags;
	w->cb = cb;
	w->arg = arg;
	w->start_rev = start_revision;
	w->ep = e->cur;
	w->backoff_ms = WATCH_BACKOFF_MIN_MS;
	w->next = e->watches;
	if (e->watches != NULL)
		e->watches->prev = w;
	e->watches = w;
	/* Connect from the loop so that no callback runs before this returns. */
	w->timer = loop_timer_add(e->loop, 0, watch_start_timer, w);
	return w;
}

void
etcd_watch_stop(struct etcd_watch *w)
{
	if (w == NULL || w->stopped)
		return;
	w->stopped = true;
	if (w->in_cb == 0)
		watch_destroy(w);
}

int64_t
etcd_watch_revision(const struct etcd_watch *w)
{
	return w->last_rev;
}

void
etcd_watch_free_all(struct etcd *e)
{
	while (e->watches != NULL)
		watch_destroy(e->watches);
}
