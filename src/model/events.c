/* SPDX-License-Identifier: MIT */
/* The flight recorder: a fixed-size ring of events, oldest overwritten first. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/events.h"
#include "milvusadm/xalloc.h"

#define EVENTS_DEFAULT_CAPACITY	1024
/* Event text is built from cluster strings; keep one event to a line's worth. */
#define EVENTS_MAX_TEXT		512

struct events {
	struct event *ring;
	size_t cap;
	size_t head;			/* index of the oldest */
	size_t n;
	uint64_t seq;
	uint64_t dropped;
	void (*listener)(const struct event *, void *);
	void *listener_arg;
};

static const char *const event_kind_names[EV_KIND_COUNT] = {
	[EV_LEADER_CHANGED] = "leader_changed",
	[EV_LEADER_LOST] = "leader_lost",
	[EV_NODE_JOINED] = "node_joined",
	[EV_NODE_LEFT] = "node_left",
	[EV_NODE_STOPPING] = "node_stopping",
	[EV_HEALTH_CHANGED] = "health_changed",
	[EV_REPLICA_DEGRADED] = "replica_degraded",
	[EV_REPLICA_RESTORED] = "replica_restored",
	[EV_ETCD_LEADER_CHANGED] = "etcd_leader_changed",
};

const char *
event_kind_name(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EV_KIND_COUNT)
		return "unknown";
	return event_kind_names[kind];
}

const char *
event_time_source_name(enum event_time_source src)
{
	switch (src) {
	case EVT_OBSERVED:
		return "observed";
	case EVT_PROCESS_START:
		return "process_start";
	default:
		return "unknown";
	}
}

int
event_kind_parse(const char *name)
{
	int k;

	for (k = 0; k < EV_KIND_COUNT; k++) {
		if (strcmp(event_kind_names[k], name) == 0)
			return k;
	}
	return -1;
}

struct events *
events_new(size_t capacity)
{
	struct events *ev = xcalloc(1, sizeof *ev);

	ev->cap = capacity == 0 ? EVENTS_DEFAULT_CAPACITY : capacity;
	ev->ring = xcalloc(ev->cap, sizeof *ev->ring);
	return ev;
}

static void
event_clear(struct event *e)
{
	free(e->role);
	free(e->text);
	memset(e, 0, sizeof *e);
}

void
events_free(struct events *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n; i++)
		event_clear(&ev->ring[(ev->head + i) % ev->cap]);
	free(ev->ring);
	free(ev);
}

static struct event *
events_slot(struct events *ev)
{
	struct event *e;

	if (ev->n == ev->cap) {
		e = &ev->ring[ev->head];
		event_clear(e);
		ev->head = (ev->head + 1) % ev->cap;
		ev->n--;
		ev->dropped++;
	}
	e = &ev->ring[(ev->head + ev->n) % ev->cap];
	ev->n++;
	e->seq = ++ev->seq;
	return e;
}

static const struct event *
events_vadd(struct events *ev, int64_t wall_ms, int64_t revision, enum event_kind kind,
    const char *role, int64_t server_id, int64_t old_id, int old_health, int health,
    const char *fmt, va_list ap)
{
	struct event *e = events_slot(ev);
	char *text;

	e->wall_ms = wall_ms;
	e->time_source = wall_ms > 0 ? EVT_OBSERVED : EVT_UNKNOWN;
	e->local = false;
	e->revision = revision;
	e->kind = kind;
	e->role = role != NULL ? xstrndup(role, 64) : NULL;
	e->server_id = server_id;
	e->old_id = old_id;
	e->old_health = old_health;
	e->health = health;
	text = xvasprintf(fmt, ap);
	if (strlen(text) > EVENTS_MAX_TEXT)
		text[EVENTS_MAX_TEXT] = '\0';
	e->text = text;
	if (ev->listener != NULL)
		ev->listener(e, ev->listener_arg);
	return e;
}

const struct event *
events_add(struct events *ev, int64_t wall_ms, int64_t revision, enum event_kind kind,
    const char *role, int64_t server_id, int64_t old_id, const char *fmt, ...)
{
	const struct event *e;
	va_list ap;

	va_start(ap, fmt);
	/* -1 is HEALTH_UNKNOWN: these kinds carry no health. */
	e = events_vadd(ev, wall_ms, revision, kind, role, server_id, old_id, -1, -1, fmt, ap);
	va_end(ap);
	return e;
}

const struct event *
events_add_health(struct events *ev, int64_t wall_ms, const char *role, int64_t server_id,
    int old_health, int health, const char *fmt, ...)
{
	const struct event *e;
	va_list ap;

	va_start(ap, fmt);
	e = events_vadd(ev, wall_ms, 0, EV_HEALTH_CHANGED, role, server_id, 0, old_health,
	    health, fmt, ap);
	va_end(ap);
	return e;
}

size_t
events_count(const struct events *ev)
{
	return ev->n;
}

const struct event *
events_get(const struct events *ev, size_t i)
{
	if (i >= ev->n)
		return NULL;
	return &ev->ring[(ev->head + i) % ev->cap];
}

uint64_t
events_last_seq(const struct events *ev)
{
	return ev->seq;
}

uint64_t
events_dropped(const struct events *ev)
{
	return ev->dropped;
}

void
events_set_listener(struct events *ev, void (*fn)(const struct event *, void *), void *arg)
{
	ev->listener = fn;
	ev->listener_arg = arg;
}

void
events_set_time(struct events *ev, size_t i, int64_t wall_ms, enum event_time_source src)
{
	struct event *e;

	if (i >= ev->n || wall_ms <= 0 || src == EVT_UNKNOWN)
		return;
	e = &ev->ring[(ev->head + i) % ev->cap];
	if (e->wall_ms > 0)
		return;
	e->wall_ms = wall_ms;
	e->time_source = src;
}

static bool
event_same(const struct event *a, const struct event *b)
{
	return a->kind == b->kind && a->revision == b->revision &&
	    a->server_id == b->server_id && (a->role == NULL) == (b->role == NULL) &&
	    (a->role == NULL || strcmp(a->role, b->role) == 0);
}

/* Order for the merge: by revision; an event without one (a probe's) keeps
 * its place after the event recorded before it, so it sorts by that key. */
struct merge_item {
	struct event e;
	int64_t key;
	size_t pos;
};

static int
merge_cmp(const void *a, const void *b)
{
	const struct merge_item *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
event_order_cmp(const void *a, const void *b)
{
	const struct event *const *x = a, *const *y = b;
	int c;

	if ((*x)->revision != (*y)->revision)
		return (*x)->revision < (*y)->revision ? -1 : 1;
	if ((*x)->kind != (*y)->kind)
		return (*x)->kind < (*y)->kind ? -1 : 1;
	c = strcmp((*x)->role != NULL ? (*x)->role : "", (*y)->role != NULL ? (*y)->role : "");
	if (c != 0)
		return c;
	return (*x)->server_id < (*y)->server_id ? -1 : (*x)->server_id > (*y)->server_id;
}

size_t
events_merge(struct events *ev, const struct event *extra, size_t n, bool add_missing)
{
	const struct event **held, **probe;
	struct merge_item *v;
	size_t i, nv = 0, added = 0, cap, start;
	int64_t key = 0;

	/* Matching through a sorted index keeps it O((n + m) log n) at 10,000
	 * events (a scan per extra event was quadratic). */
	held = xcalloc(ev->n + 1, sizeof *held);
	for (i = 0; i < ev->n; i++)
		held[i] = &ev->ring[(ev->head + i) % ev->cap];
	qsort(held, ev->n, sizeof *held, event_order_cmp);
	v = xcalloc(ev->n + n + 1, sizeof *v);
	for (i = 0; i < ev->n; i++) {
		struct event *e = &ev->ring[(ev->head + i) % ev->cap];

		if (e->revision > 0)
			key = e->revision;
		v[nv].e = *e;
		v[nv].key = key;
		v[nv].pos = nv;
		nv++;
	}
	for (i = 0; i < n; i++) {
		const struct event *x = &extra[i], *xp = x;

		if (x->revision <= 0)
			continue;
		probe = bsearch(&xp, held, ev->n, sizeof *held, event_order_cmp);
		if (probe != NULL && event_same(*probe, x)) {
			struct event *h = (struct event *)*probe;

			if (h->wall_ms <= 0 && x->wall_ms > 0) {
				h->wall_ms = x->wall_ms;
				h->time_source = x->time_source != EVT_UNKNOWN ? x->time_source :
				    EVT_OBSERVED;
			}
			continue;
		}
		if (!add_missing)
			continue;
		v[nv].e = *x;
		v[nv].e.role = x->role != NULL ? xstrndup(x->role, 64) : NULL;
		v[nv].e.text = xstrndup(x->text != NULL ? x->text : "", EVENTS_MAX_TEXT);
		v[nv].e.local = true;
		if (v[nv].e.wall_ms <= 0)
			v[nv].e.time_source = EVT_UNKNOWN;
		v[nv].key = x->revision;
		/* Held events first at an equal revision: etcd's order wins. */
		v[nv].pos = ev->n + i;
		nv++;
		added++;
	}
	free(held);
	if (added == 0) {
		/* Only times changed: the ring already holds them, in place. */
		free(v);
		return 0;
	}
	/* The ring held copies of the pointers: refresh times from it. */
	for (i = 0; i < ev->n; i++)
		v[i].e = ev->ring[(ev->head + i) % ev->cap];
	qsort(v, nv, sizeof *v, merge_cmp);
	cap = ev->cap;
	start = nv > cap ? nv - cap : 0;
	for (i = 0; i < start; i++) {
		free(v[i].e.role);
		free(v[i].e.text);
	}
	ev->dropped += start;
	memset(ev->ring, 0, cap * sizeof *ev->ring);
	ev->head = 0;
	ev->n = nv - start;
	for (i = start; i < nv; i++) {
		ev->ring[i - start] = v[i].e;
		ev->ring[i - start].seq = i - start + 1;
	}
	ev->seq = ev->n;
	free(v);
	return added;
}

size_t
events_retain(struct events *ev, bool (*keep)(const struct event *, void *), void *arg)
{
	size_t i, out = 0, n = ev->n;

	/* Compact into a linear ring from slot 0: every slot is visited once. */
	struct event *v = xcalloc(ev->cap, sizeof *v);

	for (i = 0; i < n; i++) {
		struct event *e = &ev->ring[(ev->head + i) % ev->cap];

		if (keep(e, arg)) {
			v[out] = *e;
			v[out].seq = out + 1;
			out++;
		} else
			event_clear(e);
	}
	free(ev->ring);
	ev->ring = v;
	ev->head = 0;
	ev->n = out;
	ev->seq = out;
	return n - out;
}

size_t
events_since(const struct events *ev, int64_t cutoff_ms, bool *keep)
{
	size_t i, kept_unknown = 0;
	int64_t later_min = INT64_MAX, group_min = INT64_MAX, group_rev = -1;

	/* From the newest back (the ring is in revision order): later_min is the
	 * earliest known time of the events at a higher revision than the one
	 * looked at. Events of one revision happened together and do not bound
	 * each other, hence the group. */
	for (i = ev->n; i > 0; i--) {
		const struct event *e = events_get(ev, i - 1);

		if (e->revision > 0 && e->revision != group_rev) {
			if (group_min < later_min)
				later_min = group_min;
			group_min = INT64_MAX;
			group_rev = e->revision;
		}
		if (e->wall_ms > 0) {
			keep[i - 1] = e->wall_ms >= cutoff_ms;
			if (e->revision > 0 && e->wall_ms < group_min)
				group_min = e->wall_ms;
		} else {
			bool older = e->revision > 0 && later_min < cutoff_ms;

			keep[i - 1] = !older;
			kept_unknown += !older;
		}
	}
	return kept_unknown;
}
