/* SPDX-License-Identifier: MIT */
/* Views of the TUI: each is one view-NAME.c with a table of callbacks and one
 * entry in the view table (view.c). Views only read the model; most build a
 * list of styled lines that the generic list drawer shows, scrolls and
 * filters. Private to src/ui. */
#ifndef MILVUSADM_VIEW_H
#define MILVUSADM_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "milvusadm/theme.h"

struct alerts;
struct backup_poll_state;
struct cluster;
struct drill_report;
struct drill_sample;
struct restore_drill_brief;
struct tui;
struct view;

/* One run of text drawn with one role. text is already escaped. */
struct vspan {
	char *text;
	enum theme_role role;
};

/* One line: spans side by side. A heading is never filtered out or selected. */
struct vline {
	struct vspan *spans;
	size_t n;
	bool heading;
	char *plain;			/* the spans joined, for the filter; NULL until
					   a filter first needs it */
	char *tag;			/* what the line is about, for commands on the
					   selection ("rootcoord"), NULL none */
};

struct vlines {
	struct vline *v;
	size_t n;
};

/* What a view gets to build its lines from: the model, read only. */
struct view_env {
	const struct cluster *c;
	int64_t now_ms;
	bool utf8;			/* box characters allowed */
	int64_t refresh_ms;
	/* Drills: the one running in this TUI (its report fills in as it
	 * goes, samples are its probes so far), else NULL; and the saved
	 * reports, oldest first. */
	const struct drill_report *drill;
	const struct drill_sample *samples;
	size_t n_samples;
	struct drill_report *const *history;
	size_t n_history;
	/* Backups: the backup server's catalogue and the tasks started here
	 * (NULL: none); the newest restore drill of the profile (NULL: none). */
	const struct backup_poll_state *backups;
	const struct restore_drill_brief *restore_drill;
	const char *profile;		/* its name, for messages */
	/* The alerts the header counts (the same list, never NULL). */
	const struct alerts *alerts;
};

struct view_ops {
	const char *name;		/* for ":view NAME" */
	const char *title;		/* in the tab bar */
	void (*init)(struct view *v);
	void (*free)(struct view *v);
	void (*resize)(struct view *v, int w, int h);
	/* Rebuild v->lines from the model (after every change). */
	void (*update)(struct view *v, const struct view_env *env);
	/* A key the bindings did not take; 1 if used. */
	int (*key)(struct view *v, int key);
	/* Draw the body (NULL: the generic list of v->lines). */
	void (*draw)(struct tui *t, struct view *v, int y, int h, int w);
};

struct view {
	const struct view_ops *ops;
	void *data;			/* the view's own, freed by ops->free */
	struct vlines lines;
	size_t sel;			/* index among the visible lines */
	size_t top;			/* first visible line on screen */
	char filter[128];		/* "" = none */
	uint64_t gen;			/* model generation the lines were built from */
};

/* The views, in tab order (terminated by NULL). */
extern const struct view_ops *const view_table[];

extern const struct view_ops view_overview_ops;
extern const struct view_ops view_leaders_ops;
extern const struct view_ops view_replicas_ops;
extern const struct view_ops view_collections_ops;
extern const struct view_ops view_events_ops;
extern const struct view_ops view_etcd_ops;
extern const struct view_ops view_drills_ops;
extern const struct view_ops view_backups_ops;
extern const struct view_ops view_audit_ops;
extern const struct view_ops view_alerts_ops;

/* Building lines: start one, then add spans (printf-formatted, then escaped
 * so no control character from the cluster reaches the terminal). */
void vlines_clear(struct vlines *l);
void vline_begin(struct vlines *l, bool heading);
void vline_add(struct vlines *l, enum theme_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A span of len bytes of s as they are (no format; escaped the same way). */
void vline_addn(struct vlines *l, enum theme_role role, const char *s, size_t len);
/* Tag the line being built (what a command on the selection acts on). */
void vline_tag(struct vlines *l, const char *tag);
/* The tag of the selected line, NULL when it has none. */
const char *view_selected_tag(const struct view *v);
/* A whole line of one role. */
void vline_text(struct vlines *l, bool heading, enum theme_role role,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Does line match the filter (case-insensitive substring; "" matches all)? */
bool vline_match(const struct vline *line, const char *filter);
/* Indexes of the lines shown under the current filter; *n set. Caller frees. */
size_t *view_visible(const struct view *v, size_t *n);

/* Helpers shared by views. */
/* "12s", "3m04s" for a duration; "-" when ms < 0. */
void view_duration(int64_t ms, char *out, size_t len);
/* "512 B", "1.5 MiB" for a size in bytes (as `backup list` prints it). */
void view_bytes(int64_t bytes, char *out, size_t len);
/* "10:42:03" local time of wall_ms, "-" for 0. */
void view_clock(int64_t wall_ms, char *out, size_t len);
struct event;
/* An event's time for a view: "HH:MM:SS", "~HH:MM:SS" when it is the process
 * start of the server it is about, or "unknown" (view-events.c). */
void view_event_time(const struct event *e, char *out, size_t len);
/* The role for a health value. */
enum theme_role view_health_role(int health);
/* Tree branch glyphs ("├─ ", "└─ ") or their ASCII forms. */
const char *view_branch(bool utf8, bool last);

#endif
