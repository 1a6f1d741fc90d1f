/* SPDX-License-Identifier: MIT */
/* `milvusadm events [--follow] [--since DURATION]`: the flight recorder.
 * Without --follow: the session history etcd still keeps, replayed into the
 * model and merged with the tool's own leader history; etcd keeps revisions,
 * not times, so an event is dated by what is known (the tool saw it, or the
 * process start time of the server it is about) and says "unknown" otherwise.
 * With --follow: the live etcd watch of the sessions, each event printed and
 * flushed the moment it is recorded (leader changes also kept in the leader
 * history), plus an etcd member and /healthz refresh every few seconds for
 * etcd leader and health changes, until SIGINT or SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/leader_history.h"
#include "milvusadm/loop.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

/* --follow: how often etcd members and /healthz are read again. */
#define EVENTS_PROBE_MS 5000

static const struct out_col events_cols[] = {
	{ "time", "TIME", OCOL_STR, OFIT_KEEP },
	{ "revision", "REV", OCOL_INT },
	{ "kind", "KIND", OCOL_STR },
	{ "text", "EVENT", OCOL_STR },
};

static void
events_fill(struct out_obj *r, const struct event *e)
{
	char ts[40];

	out_int(r, "seq", (int64_t)e->seq);
	/* Never a blank: a time, or the word "unknown" (etcd keeps no times). */
	if (e->wall_ms > 0) {
		time_format_rfc3339(e->wall_ms, ts, sizeof ts);
		out_int(r, "time_ms", e->wall_ms);
		out_str(r, "time", ts);
	} else {
		out_null(r, "time_ms");
		out_str(r, "time", "unknown");
	}
	out_str(r, "time_source", event_time_source_name(e->time_source));
	out_bool(r, "local", e->local);
	if (e->revision > 0)
		out_int(r, "revision", e->revision);
	else
		out_null(r, "revision");
	out_str(r, "kind", event_kind_name(e->kind));
	out_str(r, "role", e->role);
	if (e->server_id != 0)
		out_int(r, "server_id", e->server_id);
	else
		out_null(r, "server_id");
	if (e->old_id != 0)
		out_int(r, "old_id", e->old_id);
	else
		out_null(r, "old_id");
	if (e->kind == EV_HEALTH_CHANGED) {
		out_str(r, "old_health", health_name((enum health)e->old_health));
		out_str(r, "health", health_name((enum health)e->health));
	}
	out_str(r, "text", e->text);
}

/* ---- --follow ---- */

struct follow {
	struct cmd_ctx *ctx;
	struct state *st;
	int stop;
	bool history_warned;
};

static void
follow_json_int(struct buf *b, const char *key, int64_t v, bool null)
{
	buf_printf(b, ",\"%s\":", key);
	if (null)
		buf_adds(b, "null");
	else
		buf_printf(b, "%lld", (long long)v);
}

/* One event, one line, flushed at once: a JSON object with -o json. */
static void
follow_print(const struct event *e, void *arg)
{
	struct follow *f = arg;
	FILE *out = f->ctx->out;
	struct buf b = BUF_INIT;
	char ts[40], err[300];

	if (f->ctx->format == OUT_JSON) {
		buf_printf(&b, "{\"version\":1,\"kind\":\"event\",\"seq\":%llu",
		    (unsigned long long)e->seq);
		follow_json_int(&b, "time_ms", e->wall_ms, e->wall_ms <= 0);
		buf_adds(&b, ",\"time_source\":");
		buf_add_json_str(&b, event_time_source_name(e->time_source));
		follow_json_int(&b, "revision", e->revision, e->revision <= 0);
		buf_adds(&b, ",\"event\":");
		buf_add_json_str(&b, event_kind_name(e->kind));
		buf_adds(&b, ",\"role\":");
		if (e->role != NULL)
			buf_add_json_str(&b, e->role);
		else
			buf_adds(&b, "null");
		follow_json_int(&b, "server_id", e->server_id, e->server_id == 0);
		follow_json_int(&b, "old_id", e->old_id, e->old_id == 0);
		buf_adds(&b, ",\"text\":");
		buf_add_json_str(&b, e->text);
		buf_adds(&b, "}\n");
		fputs(b.data, out);
	} else {
		char *text = out_escape(e->text);

		if (e->wall_ms > 0)
			time_format_rfc3339(e->wall_ms, ts, sizeof ts);
		else
			snprintf(ts, sizeof ts, "unknown (rev %lld)", (long long)e->revision);
		fprintf(out, "%s\t%s\t%s\n", ts, event_kind_name(e->kind), text);
		free(text);
	}
	fflush(out);
	buf_release(&b);
	/* Seen live, so dated: kept for the next run (leaders, events). */
	if (leader_history_note(f->st, e, err, sizeof err) != 0 && !f->history_warned) {
		fprintf(f->ctx->err, "milvusadm: warning: %s\n", err);
		f->history_warned = true;
	}
}

static void
follow_signal(int signo, void *arg)
{
	struct follow *f = arg;

	f->stop = 1;
}

static void
follow_changed(void *arg)
{
	/* Events are printed by the listener as they are recorded. */
}

static int
events_follow(struct cmd_ctx *ctx, struct state *st)
{
	struct cluster *c = state_cluster(st);
	struct follow f;
	int64_t next_probe;

	memset(&f, 0, sizeof f);
	f.ctx = ctx;
	f.st = st;
	/* The current state is the baseline; only what happens next is printed. */
	state_load_etcd(st);
	state_load_health(st);
	events_set_listener(c->events, follow_print, &f);
	if (state_watch_start(st, follow_changed, NULL) != 0)
		return cmd_error(ctx, CMD_FAILED, "cannot watch '%s/meta/session/'", c->root);
	loop_signal(ctx->loop, SIGINT, follow_signal, &f);
	loop_signal(ctx->loop, SIGTERM, follow_signal, &f);
	/* A quiet cluster prints nothing for a long time: a person at a
	 * terminal is told it is waiting, not hung (a pipe gets only events). */
	if (fileno(ctx->err) >= 0 && isatty(fileno(ctx->err))) {
		fprintf(ctx->err, "milvusadm: following events of '%s' from now on "
		    "(Ctrl-C stops)\n", c->root);
		fflush(ctx->err);
	}
	next_probe = time_mono_ms() + EVENTS_PROBE_MS;
	while (!f.stop) {
		loop_once(ctx->loop, 200);
		if (!f.stop && time_mono_ms() >= next_probe) {
			/* Sync calls run the loop: the watch keeps delivering meanwhile. */
			state_load_etcd(st);
			if (!f.stop)
				state_load_health(st);
			next_probe = time_mono_ms() + EVENTS_PROBE_MS;
		}
	}
	loop_signal(ctx->loop, SIGINT, NULL, NULL);
	loop_signal(ctx->loop, SIGTERM, NULL, NULL);
	events_set_listener(c->events, NULL, NULL);
	state_watch_stop(st);
	return CMD_OK;
}

int
cmd_events(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *since_text = NULL;
	struct out_doc *d;
	struct out_obj *root;
	struct out_tab *t;
	struct cluster *c;
	struct state *st;
	int64_t since_ms = -1, now;
	bool follow = false, missing = false, *keep;
	size_t i, n, shown = 0, untimed = 0, unknown_kept = 0;
	char err[300];
	int rc = CMD_OK, h;

	for (int a = 1; a < argc; a++) {
		const char *v;

		if (strcmp(argv[a], "--follow") == 0 || strcmp(argv[a], "-f") == 0) {
			follow = true;
			continue;
		}
		v = cmd_opt_value(argc, argv, &a, "--since", &missing);
		if (v == NULL)
			return cmd_usage(ctx, cmd_entry_by_name("events"));
		since_text = v;
		if (time_parse_duration(v, &since_ms) != 0)
			return cmd_error(ctx, CMD_USAGE, "bad duration '%s' for --since", v);
	}
	if ((st = cmd_cluster_open(ctx, &rc)) == NULL)
		return rc;
	c = state_cluster(st);
	if (follow) {
		if ((rc = cmd_cluster_sessions(ctx, st)) == CMD_OK)
			rc = events_follow(ctx, st);
		state_free(st);
		return rc;
	}
	if ((h = state_load_history(st, false)) < 0) {
		rc = cmd_error(ctx, CMD_UNREACHABLE, "%s",
		    c->src_sessions.error != NULL ? c->src_sessions.error :
		    "etcd unreachable: no answer");
		state_free(st);
		return rc;
	}
	/* Start times date joins and unopposed takeovers; the leader history
	 * dates changes seen live and brings back those etcd compacted away. */
	state_load_start_times(st, false);
	if (leader_history_sync(st, h, err, sizeof err) != 0)
		fprintf(ctx->err, "milvusadm: warning: %s\n", err);
	now = time_wall_ms();
	n = events_count(c->events);
	keep = xcalloc(n + 1, sizeof *keep);
	for (i = 0; i < n; i++)
		keep[i] = true;
	if (since_ms >= 0)
		unknown_kept = events_since(c->events, now - since_ms, keep);
	d = out_doc_new("events");
	root = out_doc_root(d);
	out_str(root, "history", h == 1 ? "compacted" : "etcd");
	out_int(root, "revision", c->sessions_revision);
	out_str(root, "since", since_text);
	out_int(root, "dropped", (int64_t)events_dropped(c->events));
	t = out_table(root, "events", "events", events_cols,
	    sizeof events_cols / sizeof events_cols[0]);
	for (i = 0; i < n; i++) {
		const struct event *e = events_get(c->events, i);

		if (!keep[i])
			continue;
		events_fill(out_row(t), e);
		shown++;
		untimed += e->wall_ms <= 0;
	}
	out_int(root, "count", (int64_t)shown);
	out_int(root, "unknown_time", (int64_t)untimed);
	/* --since: events of unknown time are kept unless a later event is known
	 * to be older than the window (then they are too); never dropped for
	 * want of a time. How many of them the window holds this way: */
	if (since_ms >= 0)
		out_int(root, "since_unknown_kept", (int64_t)unknown_kept);
	else
		out_null(root, "since_unknown_kept");
	if (since_ms >= 0 && unknown_kept > 0 && ctx->format != OUT_JSON)
		fprintf(ctx->err, "milvusadm: note: %zu event%s of unknown time kept: "
		    "--since cannot place %s\n", unknown_kept, unknown_kept == 1 ? "" : "s",
		    unknown_kept == 1 ? "it" : "them");
	free(keep);
	state_free(st);
	return cmd_emit(ctx, d);
}
