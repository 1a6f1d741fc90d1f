/* SPDX-License-Identifier: MIT */
/* The Events view: the flight recorder, newest first (filter with '/'). */
#include <stdio.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "view.h"

static enum theme_role
events_role(const struct event *e)
{
	switch (e->kind) {
	case EV_LEADER_LOST:
	case EV_REPLICA_DEGRADED:
	case EV_NODE_LEFT:
		return THEME_CRITICAL;
	case EV_LEADER_CHANGED:
	case EV_NODE_STOPPING:
	case EV_ETCD_LEADER_CHANGED:
		return THEME_WARN;
	case EV_HEALTH_CHANGED:
		return view_health_role(e->health);
	case EV_NODE_JOINED:
	case EV_REPLICA_RESTORED:
		return THEME_OK;
	default:
		return THEME_TEXT;
	}
}

/* The same words as `events`: a time, "~" before one that is a process's
 * start (the event came right after it), or "unknown". */
void
view_event_time(const struct event *e, char *out, size_t len)
{
	char clock[16];

	if (e->wall_ms <= 0) {
		snprintf(out, len, "unknown");
		return;
	}
	view_clock(e->wall_ms, clock, sizeof clock);
	snprintf(out, len, "%s%s", e->time_source == EVT_PROCESS_START ? "~" : "", clock);
}

static void
events_view_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	const struct event *e;
	char when[32];
	size_t i, n;

	vlines_clear(&v->lines);
	n = c->events != NULL ? events_count(c->events) : 0;
	vline_text(&v->lines, true, THEME_TITLE, "%-10s %-20s %s", "TIME", "EVENT", "WHAT");
	if (n == 0)
		vline_text(&v->lines, false, THEME_MUTED, "no events since start");
	for (i = n; i > 0; i--) {
		if ((e = events_get(c->events, i - 1)) == NULL)
			continue;
		view_event_time(e, when, sizeof when);
		vline_begin(&v->lines, false);
		vline_add(&v->lines, THEME_MUTED, "%-10s ", when);
		vline_add(&v->lines, events_role(e), "%-20s ", event_kind_name(e->kind));
		vline_add(&v->lines, THEME_TEXT, "%s", e->text != NULL ? e->text : "");
	}
	if (c->events != NULL && events_dropped(c->events) > 0)
		vline_text(&v->lines, false, THEME_MUTED, "(%llu older events dropped)",
		    (unsigned long long)events_dropped(c->events));
}

static void
events_view_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_events_ops = {
	"events", "Events", NULL, events_view_free, NULL, events_view_update, NULL, NULL,
};
