/* SPDX-License-Identifier: MIT */
/* The Leaders view: per coordinator role the active server, its standbys,
 * time in office, and the recent leader changes from the flight recorder. */
#include <stdio.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "view.h"

#define LEADERS_RECENT	10

static void
leaders_role(struct vlines *l, const struct view_env *env, const struct leader *ld)
{
	char since[32], when[16];
	size_t k;

	/* Both lines of a role name it: `D` drills the selected role. */
	vline_begin(l, false);
	vline_tag(l, ld->role);
	vline_add(l, THEME_ACCENT, "%-12s ", ld->role);
	if (ld->active_id == 0) {
		vline_add(l, THEME_CRITICAL, "NO ACTIVE");
	} else {
		vline_add(l, THEME_ACTIVE, "%-8lld ", (long long)ld->active_id);
		vline_add(l, THEME_TEXT, "%-21s ",
		    ld->active_address != NULL ? ld->active_address : "-");
		if (ld->since_ms > 0)
			view_duration(env->now_ms - ld->since_ms, since, sizeof since);
		else
			strcpy(since, "unknown");
		vline_add(l, THEME_TEXT, "%-9s ", since);
	}
	vline_begin(l, false);
	vline_tag(l, ld->role);
	vline_add(l, THEME_MUTED, "%13s", "standby: ");
	if (ld->n_standby == 0)
		vline_add(l, ld->active_standby ? THEME_WARN : THEME_MUTED, "%s",
		    ld->active_standby ? "none" : "none (active-standby off)");
	for (k = 0; k < ld->n_standby; k++)
		vline_add(l, THEME_STANDBY, "%s%lld", k > 0 ? ", " : "",
		    (long long)ld->standby_ids[k]);
	if (ld->changed_ms > 0 || ld->prev_active_id != 0) {
		view_clock(ld->changed_ms, when, sizeof when);
		vline_add(l, THEME_MUTED, "   last change %s: %lld -> %lld", when,
		    (long long)ld->prev_active_id, (long long)ld->active_id);
	}
}

static void
leaders_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	const struct event *e;
	char when[16];
	size_t i, n, shown = 0;

	vlines_clear(&v->lines);
	if (!c->sessions_known) {
		vline_text(&v->lines, true, THEME_STALE, "sessions not read yet");
		return;
	}
	vline_text(&v->lines, true, THEME_TITLE, "%-12s %-8s %-21s %-9s", "ROLE", "ACTIVE",
	    "ADDRESS", "IN OFFICE");
	if (c->n_leaders == 0)
		vline_text(&v->lines, false, THEME_WARN, "no coordinator is registered");
	for (i = 0; i < c->n_leaders; i++)
		leaders_role(&v->lines, env, &c->leaders[i]);
	vline_text(&v->lines, true, THEME_TEXT, "%s", "");
	vline_text(&v->lines, true, THEME_TITLE, "recent leader changes");
	n = c->events != NULL ? events_count(c->events) : 0;
	for (i = n; i > 0 && shown < LEADERS_RECENT; i--) {
		e = events_get(c->events, i - 1);
		if (e == NULL || (e->kind != EV_LEADER_CHANGED && e->kind != EV_LEADER_LOST))
			continue;
		shown++;
		view_event_time(e, when, sizeof when);
		vline_begin(&v->lines, false);
		vline_add(&v->lines, THEME_MUTED, "%-10s ", when);
		vline_add(&v->lines, e->kind == EV_LEADER_LOST ? THEME_CRITICAL : THEME_WARN,
		    "%s", e->text != NULL ? e->text : "");
	}
	if (shown == 0)
		vline_text(&v->lines, false, THEME_MUTED, "none seen since start");
}

static void
leaders_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_leaders_ops = {
	"leaders", "Leaders", NULL, leaders_free, NULL, leaders_update, NULL, NULL,
};
