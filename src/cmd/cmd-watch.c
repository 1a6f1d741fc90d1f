/* SPDX-License-Identifier: MIT */
/* `milvusadm watch`: the profile's components from etcd sessions, redrawn
 * every second on a terminal (one snapshot in a pipe or with --once), for a
 * terminal where the TUI cannot run (a serial console, `watch`-style tmux
 * panes). Rendered by the output engine like every other command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/etcd.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/output.h"
#include "milvusadm/session.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#define WATCH_MAX_SESSIONS 256

static int
watch_cmp(const void *a, const void *b)
{
	const struct session *x = a, *y = b;

	return strverscmp(x->key, y->key);
}

/* Is s the coordinator that owns its role's bare key? */
static bool
watch_is_active(const struct session *s, const struct session *all, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		if (!all[i].active_key || all[i].server_id != s->server_id)
			continue;
		len = strlen(all[i].key);
		if (strncmp(s->key, all[i].key, len) == 0 && s->key[len] == '-')
			return true;
	}
	return false;
}

/* Session keys whose value cannot be read: never skipped silently. Said as
 * topology says them (cmd_cluster_warn): one escaped warning line each, the
 * first WATCH_WARN_MAX of them, then how many more. */
#define WATCH_WARN_MAX	8

struct watch_bad {
	char line[WATCH_WARN_MAX][512];
	size_t n, more;
};

static void
watch_unreadable(struct watch_bad *b, const char *key, const char *reason)
{
	if (b->n >= WATCH_WARN_MAX) {
		b->more++;
		return;
	}
	snprintf(b->line[b->n++], sizeof b->line[0], "session key '%.200s' cannot be read: "
	    "%.200s", key, reason);
}

static void
watch_unreadable_warn(struct cmd_ctx *ctx, const struct watch_bad *b)
{
	char *esc;
	size_t i;

	for (i = 0; i < b->n; i++) {
		/* Key and reason come from etcd: escaped, on one line. */
		esc = out_escape(b->line[i]);
		fprintf(ctx->err, "milvusadm: warning: %s\n", esc);
		free(esc);
	}
	if (b->more > 0)
		fprintf(ctx->err, "milvusadm: warning: %zu more session keys cannot be read\n",
		    b->more);
	fflush(ctx->err);
}

static const struct out_col watch_cols[] = {
	{ "component", "COMPONENT", OCOL_STR },
	{ "server_id", "ID", OCOL_INT },
	{ "address", "ADDRESS", OCOL_STR },
	{ "host_name", "HOST", OCOL_STR },
	{ "state", "ROLE", OCOL_STR },
	{ "version", "VERSION", OCOL_STR },
};

static void
watch_row(struct out_tab *t, const struct session *s, const char *state)
{
	struct out_obj *row = out_row(t);

	/* Raw strings: the output engine escapes them (out_escape) for the
	 * terminal and TSV, and writes valid JSON whatever they hold. */
	out_str(row, "component", s->key);
	out_int(row, "server_id", s->server_id);
	out_str(row, "address", s->address);
	out_str(row, "host_name", s->host_name);
	out_str(row, "state", state);
	out_str(row, "version", s->version);
}

/* One screen; returns CMD_OK or CMD_UNREACHABLE. Every string from etcd
 * reaches the terminal through the output engine, never printf: a host name
 * may hold C1 controls (U+009B is a one-byte CSI) or bidi overrides. */
static int
watch_draw(struct cmd_ctx *ctx, struct etcd *e, const struct profile *p)
{
	struct session *ss = NULL;
	struct etcd_result *r;
	struct out_doc *d;
	struct out_obj *root;
	struct out_tab *t;
	struct watch_bad bad = { .n = 0, .more = 0 };
	char *prefix, err[256], now[40], *ep;
	size_t i, n = 0;

	prefix = xasprintf("%s/meta/session/", p->etcd_root_path);
	r = etcd_range_prefix_sync(e, prefix, 0);
	free(prefix);
	time_format_rfc3339(time_wall_ms(), now, sizeof now);
	/* The endpoint as configured may carry user:password@. */
	ep = log_redact(r->endpoint != NULL ? r->endpoint : "-");
	/* Redrawn in place: home and clear, then the new screen. */
	if (ctx->out_tty && ctx->format == OUT_TABLE)
		fputs("\033[H\033[J", ctx->out);
	if (r->err != ETCD_OK) {
		/* As cmd_cluster_sessions: errmsg already says "etcd unreachable". */
		cmd_error(ctx, CMD_UNREACHABLE, "%s", r->errmsg);
		etcd_result_free(r);
		free(ep);
		return CMD_UNREACHABLE;
	}
	ss = xcalloc(r->n_kvs + 1, sizeof *ss);
	for (i = 0; i < r->n_kvs && n < WATCH_MAX_SESSIONS; i++) {
		int pr = session_parse(r->kvs[i].key, r->kvs[i].value, r->kvs[i].value_len,
		    &ss[n], err, sizeof err);

		if (pr == 1)
			n++;
		else if (pr == -1)
			watch_unreadable(&bad, r->kvs[i].key,
			    session_parse_reason(r->kvs[i].key, err));
	}
	etcd_result_free(r);
	qsort(ss, n, sizeof *ss, watch_cmp);
	d = out_doc_new("watch");
	root = out_doc_root(d);
	out_str(root, "profile", p->name);
	out_str(root, "etcd", ep);
	out_str(root, "time", now);
	free(ep);
	t = out_table(root, "components", "components", watch_cols,
	    sizeof watch_cols / sizeof watch_cols[0]);
	for (i = 0; i < n; i++) {
		const char *state = "";

		if (ss[i].active_key)
			continue;
		if (ss[i].exclusive)
			state = watch_is_active(&ss[i], ss, n) ? "ACTIVE" : "STANDBY";
		if (ss[i].stopping)
			state = "STOPPING";
		watch_row(t, &ss[i], state);
	}
	/* Without active-standby a coordinator has only its bare key. */
	for (i = 0; i < n; i++) {
		bool has_own = false;
		size_t j, len = strlen(ss[i].key);

		if (!ss[i].active_key)
			continue;
		for (j = 0; j < n; j++)
			has_own |= !ss[j].active_key && strncmp(ss[j].key, ss[i].key, len) == 0 &&
			    ss[j].key[len] == '-';
		if (!has_own)
			watch_row(t, &ss[i], "ACTIVE");
	}
	(void)cmd_emit(ctx, d);
	/* After the screen, so that a redraw does not wipe them at once. */
	watch_unreadable_warn(ctx, &bad);
	for (i = 0; i < n; i++)
		session_clear(&ss[i]);
	free(ss);
	return CMD_OK;
}

static void
watch_tick(void *arg)
{
	*(int *)arg = 1;
}

int
cmd_watch(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct profile *p;
	struct config *c;
	struct state *st;
	struct etcd *e;
	char err[512];
	bool once = false;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--once") == 0)
		once = true;
	else if (argc != 1)
		return cmd_usage(ctx, cmd_entry_by_name("watch"));
	/* Redrawing only makes sense on a terminal; a pipe gets one snapshot. */
	if (!isatty(fileno(ctx->out)))
		once = true;
	/* cmd_check_flags has vouched for the profile; this only reports the same way. */
	c = config_load(NULL, err, sizeof err);
	if (c == NULL)
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	p = config_profile(c, ctx->profile);
	if (p == NULL) {
		config_free(c);
		return cmd_error(ctx, CMD_UNREACHABLE, "no cluster is configured; start "
		    "the local lab with 'milvusadm lab up' or add a profile");
	}
	/* The etcd client every other command gets: TLS, auth and timeout as configured. */
	st = state_new(ctx->loop, p, err, sizeof err);
	if (st == NULL) {
		config_free(c);
		return cmd_error(ctx, CMD_FAILED, "%s", err);
	}
	e = state_etcd(st);
	for (;;) {
		int done = 0;

		rc = watch_draw(ctx, e, p);
		if (once)
			break;
		loop_timer_add(ctx->loop, 1000, watch_tick, &done);
		loop_run_until(ctx->loop, &done, 5000);
	}
	state_free(st);
	config_free(c);
	return rc;
}
