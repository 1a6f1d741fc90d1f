/* SPDX-License-Identifier: MIT */
/*
 * One progress display for every long task (backup create and restore
 * --wait now, drills next). The caller polls its task and hands each answer
 * to progress_update(); this module decides what to draw:
 *  - PROGRESS_TTY: a bar per item and a total (percent, rate, elapsed, ETA),
 *    redrawn in place; state changes as lines that stay;
 *  - PROGRESS_PLAIN (a pipe): one line per state change or per 10 % of the
 *    total, no bar characters, no escape sequences;
 *  - PROGRESS_JSON: one JSON object per update (JSON lines), the output
 *    engine's {"version":1,"kind":"progress",...} documents.
 * Progress that does not move for stall_ms is reported once as stalled, with
 * the caller's likely cause. Names and messages from the server are escaped
 * (out_escape) before they reach a terminal. Time is passed in, never read,
 * so that tests can drive it.
 */
#ifndef MILVUSADM_PROGRESS_H
#define MILVUSADM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum progress_mode {
	PROGRESS_TTY,
	PROGRESS_PLAIN,
	PROGRESS_JSON,
};

enum progress_state {
	PROGRESS_PENDING,	/* asked, not started by the server yet */
	PROGRESS_RUNNING,
	PROGRESS_SUCCESS,
	PROGRESS_FAILED,	/* msg: the server's message */
	PROGRESS_LOST,		/* the server no longer knows the task (restarted) */
};

/* One line of the display: a collection, say. */
struct progress_item {
	const char *name;
	int percent;		/* 0-100, -1 unknown */
	int64_t done;		/* units done (bytes or rows), -1 unknown */
	int64_t total;		/* -1 unknown */
};

struct progress;

/* JSON when asked for; bars only on a terminal that can move the cursor
 * (TERM set and not "dumb"); plain lines otherwise. */
enum progress_mode progress_mode_for(FILE *out, bool json);

/* TASK names the whole ("backup nightly-1"); UNIT is "B" (bytes: rates in
 * MiB/s) or "rows". STALL_MS 0 turns stall reports off. */
struct progress *progress_new(FILE *out, enum progress_mode mode, const char *task,
    const char *unit, int64_t start_ms, int64_t stall_ms, const char *stall_hint);
/* TOTAL_PERCENT -1: derived from the items. MSG may be NULL. A final state
 * (success, failed, lost) is said here once and ends the display: later
 * updates are ignored, and progress_end has nothing more to say. Items are
 * matched by name from one update to the next; the arrays are copied. */
void progress_update(struct progress *p, int64_t now_ms, enum progress_state st,
    int total_percent, const struct progress_item *items, size_t n, const char *msg);
/* True once no progress was seen for stall_ms (reported once); movement
 * clears it. A state change counts as movement. */
bool progress_stalled(const struct progress *p);
/* The last line: the final state, elapsed time, the message (NULL: the last
 * one given). Says nothing when an update already said a final state; a
 * non-final ST (the caller stops watching) is said as the last line too. */
void progress_end(struct progress *p, int64_t now_ms, enum progress_state st, const char *msg);
void progress_free(struct progress *p);

#endif
