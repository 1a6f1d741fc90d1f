/* SPDX-License-Identifier: MIT */
/* The view table (adding a view is a view-NAME.c and one line here) and the
 * line builder views share: styled spans, escaped as they are added. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "view.h"

const struct view_ops *const view_table[] = {
	&view_overview_ops,
	&view_leaders_ops,
	&view_replicas_ops,
	&view_collections_ops,
	&view_events_ops,
	&view_etcd_ops,
	NULL,
};

void
vlines_clear(struct vlines *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->v[i].n; j++)
			free(l->v[i].spans[j].text);
		free(l->v[i].spans);
		free(l->v[i].plain);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
vline_begin(struct vlines *l, bool heading)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	l->v[l->n].heading = heading;
	l->v[l->n].plain = xstrdup("");
	l->n++;
}

static void
vline_vadd(struct vlines *l, enum theme_role role, const char *fmt, va_list ap)
{
	struct vline *line;
	char *raw, *esc, *plain;

	if (l->n == 0)
		vline_begin(l, false);
	line = &l->v[l->n - 1];
	raw = xvasprintf(fmt, ap);
	/* Every span is escaped, ours too: it costs nothing and no caller can
	 * forget to for a string that came from the cluster. */
	esc = out_escape(raw);
	free(raw);
	line->spans = xreallocarray(line->spans, line->n + 1, sizeof *line->spans);
	line->spans[line->n].text = esc;
	line->spans[line->n].role = role;
	line->n++;
	plain = xasprintf("%s%s", line->plain, esc);
	free(line->plain);
	line->plain = plain;
}

void
vline_add(struct vlines *l, enum theme_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline_vadd(l, role, fmt, ap);
	va_end(ap);
}

void
vline_text(struct vlines *l, bool heading, enum theme_role role, const char *fmt, ...)
{
	va_list ap;

	vline_begin(l, heading);
	va_start(ap, fmt);
	vline_vadd(l, role, fmt, ap);
	va_end(ap);
}

bool
vline_match(const struct vline *line, const char *filter)
{
	const char *h;
	size_t n = strlen(filter), i;

	if (n == 0)
		return true;
	for (h = line->plain; *h != '\0'; h++) {
		for (i = 0; i < n && h[i] != '\0'; i++) {
			if (tolower((unsigned char)h[i]) != tolower((unsigned char)filter[i]))
				break;
		}
		if (i == n)
			return true;
	}
	return false;
}

size_t *
view_visible(const struct view *v, size_t *n)
{
	size_t *idx = xcalloc(v->lines.n + 1, sizeof *idx), i;

	*n = 0;
	for (i = 0; i < v->lines.n; i++) {
		/* Headings stay, so a filtered table keeps its column titles. */
		if (v->lines.v[i].heading || vline_match(&v->lines.v[i], v->filter))
			idx[(*n)++] = i;
	}
	return idx;
}

void
view_duration(int64_t ms, char *out, size_t len)
{
	if (ms < 0) {
		snprintf(out, len, "-");
		return;
	}
	time_format_duration(ms, out, len);
}

void
view_clock(int64_t wall_ms, char *out, size_t len)
{
	struct tm tm;
	time_t s = (time_t)(wall_ms / 1000);

	if (wall_ms <= 0 || localtime_r(&s, &tm) == NULL) {
		snprintf(out, len, "-");
		return;
	}
	strftime(out, len, "%H:%M:%S", &tm);
}

enum theme_role
view_health_role(int health)
{
	switch (health) {
	case HEALTH_HEALTHY:
		return THEME_OK;
	case HEALTH_STANDBY:
		return THEME_STANDBY;
	case HEALTH_INITIALIZING:
	case HEALTH_STOPPING:
		return THEME_WARN;
	case HEALTH_ABNORMAL:
		return THEME_CRITICAL;
	default:
		return THEME_STALE;
	}
}

const char *
view_branch(bool utf8, bool last)
{
	if (utf8)
		return last ? "\u2514\u2500 " : "\u251c\u2500 ";
	return last ? "`- " : "|- ";
}
