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
	&view_drills_ops,
	&view_backups_ops,
	&view_audit_ops,
	&view_alerts_ops,
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
		free(l->v[i].tag);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
vline_begin(struct vlines *l, bool heading)
{
	/* Grow by doubling: a large cluster's Overview has thousands of lines,
	 * rebuilt after every change of the model. */
	if ((l->n & (l->n - 1)) == 0 && l->n >= 16)
		l->v = xreallocarray(l->v, l->n * 2, sizeof *l->v);
	else if (l->n == 0)
		l->v = xreallocarray(l->v, 16, sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	l->v[l->n].heading = heading;
	l->n++;
}

void
vline_tag(struct vlines *l, const char *tag)
{
	if (l->n == 0)
		return;
	free(l->v[l->n - 1].tag);
	l->v[l->n - 1].tag = tag != NULL ? xstrdup(tag) : NULL;
}

const char *
view_selected_tag(const struct view *v)
{
	const char *tag = NULL;
	size_t *idx, n, i;

	idx = view_visible(v, &n);
	/* Where the list drawer puts the selection (off a heading, forward
	 * first): lines rebuilt since the last draw may have moved it. */
	i = v->sel < n ? v->sel : (n > 0 ? n - 1 : 0);
	while (i + 1 < n && v->lines.v[idx[i]].heading)
		i++;
	while (i > 0 && v->lines.v[idx[i]].heading)
		i--;
	if (i < n && !v->lines.v[idx[i]].heading)
		tag = v->lines.v[idx[i]].tag;
	free(idx);
	return tag;
}

/* Is s printed as is by out_escape: printable ASCII but the backslash, and
 * the box drawing characters U+2500-U+257F of the tree branches? Most spans
 * are: skipping the escaper for them is much of a rebuild's saving. */
static bool
view_plain_ascii(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == 0xe2 && i + 2 < len && (p[i + 1] == 0x94 || p[i + 1] == 0x95) &&
		    p[i + 2] >= 0x80 && p[i + 2] <= 0xbf) {
			i += 2;
			continue;
		}
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
			return false;
	}
	return true;
}

/* Add len bytes of s (no NUL needed) as a span, escaped. */
static void
vline_put(struct vlines *l, enum theme_role role, const char *s, size_t len)
{
	struct vline *line;
	char *esc, *tmp;

	if (l->n == 0)
		vline_begin(l, false);
	line = &l->v[l->n - 1];
	/* Every span is escaped, ours too: it costs nothing and no caller can
	 * forget to for a string that came from the cluster. */
	if (view_plain_ascii(s, len)) {
		esc = xmalloc(len + 1);
		memcpy(esc, s, len);
		esc[len] = '\0';
	} else {
		tmp = xstrndup(s, len);
		esc = out_escape(tmp);
		free(tmp);
	}
	/* Room for 8 spans at first, doubling after: rows have about that many. */
	if (line->n == 0 || (line->n >= 8 && (line->n & (line->n - 1)) == 0))
		line->spans = xreallocarray(line->spans, line->n == 0 ? 8 : line->n * 2,
		    sizeof *line->spans);
	line->spans[line->n].text = esc;
	line->spans[line->n].role = role;
	line->n++;
	/* The joined text is made when a filter first needs it (vline_plain). */
	free(line->plain);
	line->plain = NULL;
}

static void
vline_vadd(struct vlines *l, enum theme_role role, const char *fmt, va_list ap)
{
	char small[256], *raw = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0)
		small[0] = '\0';
	else if ((size_t)n >= sizeof small)
		raw = xvasprintf(fmt, aq);
	va_end(aq);
	vline_put(l, role, raw, strlen(raw));
	if (raw != small)
		free(raw);
}

void
vline_addn(struct vlines *l, enum theme_role role, const char *s, size_t len)
{
	vline_put(l, role, s, len);
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

/* The spans joined (made once, on the first filter that needs it). */
static const char *
vline_plain(struct vline *line)
{
	size_t k, len = 0, at = 0, sl;

	if (line->plain != NULL)
		return line->plain;
	for (k = 0; k < line->n; k++)
		len += strlen(line->spans[k].text);
	line->plain = xmalloc(len + 1);
	for (k = 0; k < line->n; k++) {
		sl = strlen(line->spans[k].text);
		memcpy(line->plain + at, line->spans[k].text, sl);
		at += sl;
	}
	line->plain[at] = '\0';
	return line->plain;
}

bool
vline_match(const struct vline *line, const char *filter)
{
	const char *h;
	char *joined = NULL;
	size_t n = strlen(filter), i;
	bool found = false;

	if (n == 0)
		return true;
	h = line->plain;
	if (h == NULL) {
		struct vline tmp = *line;

		tmp.plain = NULL;
		h = joined = (char *)vline_plain(&tmp);
	}
	for (; *h != '\0' && !found; h++) {
		for (i = 0; i < n && h[i] != '\0'; i++) {
			if (tolower((unsigned char)h[i]) != tolower((unsigned char)filter[i]))
				break;
		}
		found = i == n;
	}
	free(joined);
	return found;
}

size_t *
view_visible(const struct view *v, size_t *n)
{
	size_t *idx = xcalloc(v->lines.n + 1, sizeof *idx), i;

	*n = 0;
	for (i = 0; i < v->lines.n; i++) {
		struct vline *line = &v->lines.v[i];

		/* Headings stay, so a filtered table keeps its column titles. */
		if (line->heading) {
			idx[(*n)++] = i;
			continue;
		}
		if (v->filter[0] != '\0')
			(void)vline_plain(line);
		if (vline_match(line, v->filter))
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
view_bytes(int64_t v, char *out, size_t len)
{
	/* The rule of the command tables' byte columns, so that the view and
	 * `backup list` read the same. */
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	int u = -1;

	if (v < 1024 && v > -1024) {
		snprintf(out, len, "%lld B", (long long)v);
		return;
	}
	while ((d >= 1024 || d <= -1024) && u < 5) {
		d /= 1024;
		u++;
	}
	snprintf(out, len, "%.1f %s", d, units[u]);
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
