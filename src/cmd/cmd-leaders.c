/* SPDX-License-Identifier: MIT */
/* `milvusadm leaders`: per coordinator role the active server, its standbys,
 * since when it is active and the last changes. etcd keeps no times, only
 * revisions and (until compaction) the history of the session keys: the
 * history is replayed from revision 1 into the flight recorder and merged
 * with the tool's own leader history (changes seen live keep their time, and
 * outlive etcd's compaction); a takeover is also dated by the new active's
 * process start when it took office unopposed while starting. Otherwise the
 * time is "unknown" and the revision says when. */
#include <stdio.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/leader_history.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

/* How many past changes per role are listed. */
#define LEADERS_CHANGES 5

static const struct out_col leaders_cols[] = {
	{ "role", "ROLE", OCOL_STR },
	{ "active_id", "ACTIVE", OCOL_INT },
	{ "active_address", "ADDRESS", OCOL_STR },
	{ "mode", "MODE", OCOL_STR },
	{ "standbys_text", "STANDBYS", OCOL_STR },
	{ "since", "SINCE", OCOL_STR, OFIT_KEEP },
	{ "since_revision", "SINCE REV", OCOL_INT },
	{ "last_change", "LAST CHANGE", OCOL_STR },
};

static bool
is_leader_event(const struct event *e, const char *role)
{
	return (e->kind == EV_LEADER_CHANGED || e->kind == EV_LEADER_LOST) &&
	    e->role != NULL && strcmp(e->role, role) == 0;
}

static void
leaders_changes(struct out_obj *r, const struct cluster *c, const char *role)
{
	const struct event *last = NULL;
	struct out_tab *t;
	char ts[40];
	size_t i, n = 0, total = events_count(c->events), skip;
	static const struct out_col cols[] = {
		{ "time", "TIME", OCOL_STR },
		{ "revision", "REV", OCOL_INT },
		{ "text", "CHANGE", OCOL_STR },
	};

	for (i = 0; i < total; i++)
		n += is_leader_event(events_get(c->events, i), role);
	skip = n > LEADERS_CHANGES ? n - LEADERS_CHANGES : 0;
	t = out_table(r, "changes", NULL, cols, 3);
	for (i = 0; i < total; i++) {
		const struct event *e = events_get(c->events, i);
		struct out_obj *row;

		if (!is_leader_event(e, role))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		row = out_row(t);
		out_str(row, "kind", event_kind_name(e->kind));
		if (e->wall_ms > 0) {
			time_format_rfc3339(e->wall_ms, ts, sizeof ts);
			out_int(row, "time_ms", e->wall_ms);
			out_str(row, "time", ts);
		} else {
			out_null(row, "time_ms");
			out_str(row, "time", "unknown");
		}
		out_str(row, "time_source", event_time_source_name(e->time_source));
		out_bool(row, "local", e->local);
		out_int(row, "revision", e->revision);
		if (e->old_id != 0)
			out_int(row, "old_id", e->old_id);
		else
			out_null(row, "old_id");
		if (e->server_id != 0)
			out_int(row, "new_id", e->server_id);
		else
			out_null(row, "new_id");
		out_str(row, "text", e->text);
		last = e;
	}
	if (last != NULL && last->wall_ms > 0) {
		time_format_rfc3339(last->wall_ms, ts, sizeof ts);
		out_strf(r, "last_change", "%s (rev %lld): %s", ts, (long long)last->revision,
		    last->text);
	} else if (last != NULL)
		out_strf(r, "last_change", "rev %lld: %s", (long long)last->revision, last->text);
	else
		out_str(r, "last_change", "-");
}

/* Since when the active is in office: the time of its takeover (seen live,
 * kept in the leader history, or its process start when it took office
 * unopposed while starting), or "unknown". */
static void
leaders_since(struct out_obj *r, const struct cluster *c, const struct leader *l)
{
	enum event_time_source src = EVT_PROCESS_START;
	char ts[40];
	size_t i;

	if (l->active_id == 0 || l->since_ms <= 0) {
		out_null(r, "since_ms");
		out_str(r, "since", l->active_id == 0 ? "-" : "unknown");
		out_str(r, "since_source", "unknown");
		return;
	}
	for (i = events_count(c->events); i > 0; i--) {
		const struct event *e = events_get(c->events, i - 1);

		if (e->kind == EV_LEADER_CHANGED && e->role != NULL &&
		    strcmp(e->role, l->role) == 0 && e->server_id == l->active_id &&
		    e->wall_ms == l->since_ms) {
			src = e->time_source;
			break;
		}
	}
	time_format_rfc3339(l->since_ms, ts, sizeof ts);
	out_int(r, "since_ms", l->since_ms);
	out_str(r, "since", ts);
	out_str(r, "since_source", event_time_source_name(src));
}

int
cmd_leaders(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct out_doc *d;
	struct out_obj *root;
	struct out_tab *t;
	struct cluster *c;
	struct state *st;
	size_t i, k;
	char err[300];
	int rc = CMD_OK, h;

	if (argc != 1)
		return cmd_usage(ctx, cmd_entry_by_name("leaders"));
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	if ((h = state_load_history(st, true)) < 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s",
		    c->src_sessions.error != NULL ? c->src_sessions.error :
		    "etcd unreachable: no answer");
		state_free(st);
		return rc;
	}
	/* Only coordinators: a takeover is dated by the new active's start. */
	state_load_start_times(st, true);
	if (leader_history_sync(st, h, err, sizeof err) != 0)
		fprintf(ctx->err, "milvusadm: warning: %s\n", err);
	cmd_cluster_warn(ctx, st);
	d = out_doc_new("leaders");
	root = out_doc_root(d);
	out_str(root, "milvus_version", c->milvus_version);
	out_int(root, "revision", c->sessions_revision);
	/* "etcd": changes replayed from etcd's kept history; "compacted": etcd
	 * compacted it away, only the current state is known. */
	out_str(root, "history", h == 1 ? "compacted" : "etcd");
	t = out_table(root, "leaders", "coordinators", leaders_cols,
	    sizeof leaders_cols / sizeof leaders_cols[0]);
	for (i = 0; i < c->n_leaders; i++) {
		const struct leader *l = &c->leaders[i];
		const struct component *act = cluster_active(c, l->role);
		struct out_obj *r = out_row(t);
		char sb[256] = "";

		out_str(r, "role", l->role);
		out_bool(r, "active_standby", l->active_standby);
		out_str(r, "mode", l->active_standby ? "active-standby" : "single");
		if (l->active_id != 0) {
			out_int(r, "active_id", l->active_id);
			out_str(r, "active_address", l->active_address);
			out_str(r, "active_host", act != NULL ? act->s.host_name : NULL);
			out_int(r, "since_revision", l->active_create_revision);
		} else {
			out_null(r, "active_id");
			out_null(r, "active_address");
			out_null(r, "active_host");
			out_null(r, "since_revision");
		}
		leaders_since(r, c, l);
		out_intv(r, "standby_ids", l->standby_ids, l->n_standby);
		for (k = 0; k < l->n_standby; k++)
			snprintf(sb + strlen(sb), sizeof sb - strlen(sb), "%s%lld", k > 0 ? "," : "",
			    (long long)l->standby_ids[k]);
		out_str(r, "standbys_text", l->n_standby > 0 ? sb : "-");
		if (act != NULL && act->n_legacy_keys > 0)
			out_strv(r, "legacy_keys", (const char *const *)act->legacy_keys,
			    act->n_legacy_keys);
		leaders_changes(r, c, l->role);
	}
	state_free(st);
	return cmd_emit(ctx, d);
}
