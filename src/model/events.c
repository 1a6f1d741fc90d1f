/* SPDX-License-Identifier: MIT */
/* The flight recorder: a fixed-size ring of events, oldest overwritten first. */
#include <stdarg.h>
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
