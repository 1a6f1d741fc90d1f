/* SPDX-License-Identifier: MIT */
/* The tool's own leader history, per profile, in
 * $XDG_STATE_HOME/milvusadm/leaders/<profile>.tsv: every leader change
 * (leader_changed, leader_lost) the tool saw or replayed, with its time when
 * one was known. etcd keeps revisions and no times, and forgets them at its
 * compaction; this file keeps both across restarts of the tool. Merged with
 * etcd's history by kind, role, server ID and revision; bounded to the newest
 * LEADER_HISTORY_MAX records. */
#ifndef MILVUSADM_LEADER_HISTORY_H
#define MILVUSADM_LEADER_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "milvusadm/events.h"

#define LEADER_HISTORY_MAX	512
/* A bigger file is not ours (or damaged): ignored, then replaced. */
#define LEADER_HISTORY_MAX_BYTES (1024 * 1024)

struct state;

/* The file of profile (NULL = "default"); NULL without a state directory.
 * Caller frees. */
char *leader_history_path(const char *profile);

/* Records of etcd root path root in text (a file's content); lines of another
 * root, a version it does not know, or that do not parse are skipped. The
 * events are owned by the caller (leader_history_free). */
struct event *leader_history_parse(const char *text, size_t len, const char *root,
    size_t *n);
void leader_history_free(struct event *v, size_t n);
/* The file's text for root and records v (sorted by revision). Caller frees. */
char *leader_history_format(const char *root, const struct event *v, size_t n);

/* The records to keep: the leader events of ev, and the old records it does
 * not hold. When complete (ev holds etcd's whole history from its first
 * revision on), an old record at a revision ev covers that matches nothing
 * there is another cluster's (the profile was pointed elsewhere, etcd was
 * restored) and is dropped. Sorted by revision, at most LEADER_HISTORY_MAX
 * (the newest); owned by the caller. */
struct event *leader_history_collect(const struct events *ev, const struct event *old,
    size_t n_old, bool complete, size_t *n);

/* For a command that replayed the history (history_rc from state_load_history:
 * 0 complete, 1 compacted): merge the profile's file into the model's events
 * (adding the changes etcd compacted away), date the events
 * (cluster_date_events, after state_load_start_times), and write the file back.
 * Returns 0, or -1 with a one-line reason in err when the file could not be
 * written (the events are merged and dated all the same). */
int leader_history_sync(struct state *st, int history_rc, char *err, size_t errlen);
/* Add one leader event seen live (events --follow) to the profile's file. */
int leader_history_note(struct state *st, const struct event *e, char *err, size_t errlen);

/* For a live view (the TUI): merge the profile's file into the model's events
 * now (the changes seen before it started), and add every leader change the
 * model records from then on to the file, until leader_history_detach. Uses
 * the events' listener. -1 with a reason in err when there is no state
 * directory (nothing is kept then). */
int leader_history_attach(struct state *st, char *err, size_t errlen);
void leader_history_detach(struct state *st);

#endif
