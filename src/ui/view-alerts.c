/* SPDX-License-Identifier: MIT */
/* The Alerts view: the list the header counts (alerts.h), most severe first,
 * each with the time it was first seen, its kind, the cause and the fix. */
#include <stdio.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "view.h"

static enum theme_role
alerts_role(enum alert_severity s)
{
	switch (s) {
	case ALERT_CRITICAL:
		return THEME_CRITICAL;
	case ALERT_WARNING:
		return THEME_WARN;
	case ALERT_INFO:
		break;
	}
	return THEME_TEXT;
}

static void
alerts_view_update(struct view *v, const struct view_env *env)
{
	const struct alert *al;
	char when[32], age[32];
	size_t i, n = env->alerts != NULL ? alerts_count(env->alerts) : 0;

	vlines_clear(&v->lines);
	if (!env->c->sessions_known) {
		vline_text(&v->lines, true, THEME_STALE, "sessions not read yet");
		return;
	}
	vline_text(&v->lines, true, THEME_TITLE, "%-9s %-9s %-7s %-18s %s", "SEVERITY", "SINCE",
	    "FOR", "KIND", "ALERT");
	if (n == 0)
		vline_text(&v->lines, false, THEME_OK, "no alerts");
	for (i = 0; i < n; i++) {
		al = alerts_get(env->alerts, i);
		view_clock(al->first_seen_ms, when, sizeof when);
		view_duration(al->first_seen_ms > 0 && env->now_ms >= al->first_seen_ms ?
		    env->now_ms - al->first_seen_ms : -1, age, sizeof age);
		vline_begin(&v->lines, false);
		if (al->role != NULL)
			vline_tag(&v->lines, al->role);
		vline_add(&v->lines, alerts_role(al->severity), "%-9s ",
		    alert_severity_name(al->severity));
		vline_add(&v->lines, THEME_MUTED, "%-9s %-7s ", when, age);
		vline_add(&v->lines, THEME_ACCENT, "%-18s ", al->kind);
		vline_add(&v->lines, THEME_TEXT, "%s", al->message);
		/* The fix under it, tagged alike (a filter shows it only when it
		 * matches the fix itself). */
		if (al->fix != NULL) {
			vline_begin(&v->lines, false);
			if (al->role != NULL)
				vline_tag(&v->lines, al->role);
			vline_add(&v->lines, THEME_MUTED, "%-47s fix: %s", "", al->fix);
		}
	}
}

static void
alerts_view_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_alerts_ops = {
	"alerts", "Alerts", NULL, alerts_view_free, NULL, alerts_view_update, NULL, NULL,
};
