/* SPDX-License-Identifier: MIT */
/* The sessions' history as far as etcd keeps it (state_load_history): a watch
 * from revision 1 of all session keys, or of the coordinators' keys only
 * (six watches, their events sorted by revision), replayed into the model,
 * then the current range as the truth at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/etcd.h"
#include "milvusadm/loop.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

/* The replay is over once etcd has been quiet this long. */
#define STATE_HISTORY_IDLE_MS	300

/* The coordinator roles whose keys `leaders` replays (each a key prefix: the
 * bare key and <role>-<id>). */
static const char *const history_coord_roles[] = {
	"rootcoord", "datacoord", "querycoord", "indexcoord", "mixcoord", "streamingcoord",
};
#define HISTORY_MAX_STREAMS	6

struct history;

/* One watch of the replay. */
struct history_stream {
	struct history *h;
	struct etcd_watch *w;
	int64_t target;			/* the newest revision its keys hold now */
	bool created;
	bool done;
};

struct history {
	struct state *st;
	struct history_stream s[HISTORY_MAX_STREAMS];
	size_t n_streams;
	bool collect;			/* several streams: gather, sort, then apply */
	struct etcd_event *buf;		/* collected events (owned copies) */
	size_t n_buf, cap_buf;
	int64_t last_msg_ms;		/* monotonic time of the last message */
	bool resynced;
	int done;
	uint64_t timer;
	char err[256];
};

static void
history_check_done(struct history *h)
{
	size_t i;

	for (i = 0; i < h->n_streams; i++) {
		if (!h->s[i].done)
			return;
	}
	h->done = 1;
}

static char *
history_dup(const char *p, size_t n)
{
	char *d = xmalloc(n + 1);

	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

/* Keep a copy of the events: the streams interleave, and the model must see
 * them in revision order. */
static void
history_collect(struct history *h, const struct etcd_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct etcd_event *e;

		if (h->n_buf == h->cap_buf) {
			h->cap_buf = h->cap_buf == 0 ? 64 : h->cap_buf * 2;
			h->buf = xreallocarray(h->buf, h->cap_buf, sizeof *h->buf);
		}
		e = &h->buf[h->n_buf++];
		memset(e, 0, sizeof *e);
		e->type = ev[i].type;
		e->kv = ev[i].kv;
		e->kv.key = history_dup(ev[i].kv.key, ev[i].kv.key_len);
		e->kv.value = ev[i].kv.value != NULL ?
		    history_dup(ev[i].kv.value, ev[i].kv.value_len) : NULL;
		/* The version is not used by the replay: it keeps the arrival
		 * order, so a sort keeps one revision's events as etcd sent them. */
		e->kv.version = (int64_t)h->n_buf;
	}
}

static int
history_event_cmp(const void *a, const void *b)
{
	const struct etcd_event *x = a, *y = b;

	if (x->kv.mod_revision != y->kv.mod_revision)
		return x->kv.mod_revision < y->kv.mod_revision ? -1 : 1;
	return x->kv.version < y->kv.version ? -1 : x->kv.version > y->kv.version;
}

static void
history_cb(const struct etcd_watch_msg *msg, void *arg)
{
	struct history_stream *hs = arg;
	struct history *h = hs->h;
	struct cluster *c = h->st->cluster;

	h->last_msg_ms = time_mono_ms();
	switch (msg->kind) {
	case ETCD_WATCH_CREATED:
		hs->created = true;
		break;
	case ETCD_WATCH_EVENTS:
		if (h->collect)
			history_collect(h, msg->events, msg->n_events);
		else
			state_apply_events(c, msg->events, msg->n_events, 0, false);
		if (msg->n_events > 0 &&
		    msg->events[msg->n_events - 1].kv.mod_revision >= hs->target)
			hs->done = true;
		break;
	case ETCD_WATCH_RESYNC:
		/* History was compacted: only the current state is left (the
		 * range at the end). */
		if (!h->collect)
			state_apply_resync(c, msg, 0);
		h->resynced = true;
		hs->done = true;
		break;
	case ETCD_WATCH_DOWN:
		snprintf(h->err, sizeof h->err, "%s", msg->errmsg != NULL ? msg->errmsg :
		    "watch failed");
		hs->done = true;
		break;
	}
	history_check_done(h);
}

static void
history_tick(void *arg)
{
	struct history *h = arg;
	bool created = true;
	size_t i;

	for (i = 0; i < h->n_streams; i++)
		created = created && h->s[i].created;
	if (created && time_mono_ms() - h->last_msg_ms >= STATE_HISTORY_IDLE_MS)
		h->done = 1;
	else if (!h->done)
		h->timer = loop_timer_add(h->st->loop, 50, history_tick, h);
}

/* The newest revision of the keys under prefix (len bytes) in the range. */
static int64_t
history_target(const struct etcd_result *r, const char *prefix, size_t len)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < r->n_kvs; i++) {
		if ((prefix == NULL || (r->kvs[i].key_len >= len &&
		    memcmp(r->kvs[i].key, prefix, len) == 0)) && r->kvs[i].mod_revision > t)
			t = r->kvs[i].mod_revision;
	}
	return t;
}

static void
history_start(struct history *h, const char *key, int64_t target)
{
	struct history_stream *hs = &h->s[h->n_streams];
	char *end = etcd_prefix_end(key, strlen(key), NULL);

	hs->h = h;
	hs->target = target;
	/* Revision 1: everything etcd still keeps (until its compaction). No
	 * previous values: the model keeps what a key held, and they would
	 * double what etcd sends. */
	hs->w = etcd_watch_start(h->st->etcd, key, end, 1, 0, history_cb, hs);
	free(end);
	if (hs->w != NULL)
		h->n_streams++;
}

int
state_load_history(struct state *st, bool coords_only)
{
	struct cluster *c = st->cluster;
	struct etcd_result *r;
	struct session_key *keys;
	struct history h;
	size_t n, i;

	/* The current state first: it bounds the replay and is the truth at the end. */
	r = etcd_range_prefix_sync(st->etcd, st->session_prefix, 0);
	if (r->err != ETCD_OK) {
		source_fail(&c->src_sessions, time_wall_ms(), r->errmsg);
		etcd_result_free(r);
		return -1;
	}
	memset(&h, 0, sizeof h);
	h.st = st;
	h.last_msg_ms = time_mono_ms();
	cluster_sessions_assume_empty(c);
	if (!coords_only)
		history_start(&h, st->session_prefix, history_target(r, NULL, 0));
	else {
		/* Only the coordinators' keys: their history is a few events,
		 * where all sessions' is one per worker start and stop. */
		h.collect = true;
		for (i = 0; i < HISTORY_MAX_STREAMS; i++) {
			char *key = xasprintf("%s%s", st->session_prefix, history_coord_roles[i]);

			history_start(&h, key, history_target(r, key, strlen(key)));
			free(key);
		}
	}
	if (h.n_streams > 0) {
		h.timer = loop_timer_add(st->loop, 50, history_tick, &h);
		loop_run_until(st->loop, &h.done, (int64_t)st->timeout_ms * 2);
		for (i = 0; i < h.n_streams; i++)
			etcd_watch_stop(h.s[i].w);
		loop_timer_cancel(st->loop, h.timer);
	}
	if (h.collect) {
		if (h.n_buf > 1)
			qsort(h.buf, h.n_buf, sizeof *h.buf, history_event_cmp);
		state_apply_events(c, h.buf, h.n_buf, 0, false);
		for (i = 0; i < h.n_buf; i++) {
			free(h.buf[i].kv.key);
			free(h.buf[i].kv.value);
		}
		free(h.buf);
		/* The workers were not replayed: the range brings them in as the
		 * baseline they are, not as thousands of joins. */
		c->sessions_known = false;
	}
	/* Whatever the replay missed (deletes after the last put, a cut-short
	 * stream) is reconciled against the range, dated by its revision. */
	state_version_range(c, r->kvs, r->n_kvs);
	keys = state_parse_kvs(c, r->kvs, r->n_kvs, &n);
	cluster_sessions_replace(c, keys, n, r->header.revision, 0);
	state_keys_free(keys, n);
	etcd_result_free(r);
	source_ok(&c->src_sessions, time_wall_ms());
	return h.resynced ? 1 : 0;
}
