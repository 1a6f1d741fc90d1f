/* SPDX-License-Identifier: MIT */
/* Opening the profile's state gatherer for the read-side commands, with one
 * way of reporting an unusable profile or an unreachable etcd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/output.h"
#include "milvusadm/session.h"
#include "milvusadm/state.h"
#include "cmd-cluster.h"

struct state *
cmd_cluster_open(struct cmd_ctx *ctx, int *rc)
{
	struct state *st;
	char err[512];

	st = state_open(ctx->loop, ctx->profile, err, sizeof err);
	if (st == NULL)
		*rc = cmd_error(ctx, CMD_FAILED, "%s", err);
	return st;
}

int
cmd_cluster_sessions(struct cmd_ctx *ctx, struct state *st)
{
	struct cluster *c = state_cluster(st);

	if (state_load_sessions(st) != 0)
		return cmd_error(ctx, CMD_UNREACHABLE, "%s",
		    c->src_sessions.error != NULL ? c->src_sessions.error :
		    "etcd unreachable: no answer");
	cmd_cluster_warn(ctx, st);
	return CMD_OK;
}

bool
cmd_cluster_version_ahead(const struct cluster *c, char *msg, size_t len)
{
	const struct component *k;
	char raw[512], *esc;
	size_t i;

	if (c->cluster_version == NULL)
		return false;
	for (i = 0; i < c->n_components; i++) {
		k = &c->components[i];
		if (!k->exclusive || k->s.version == NULL || k->role == NULL ||
		    session_version_ahead(c->cluster_version, k->s.version) != 1)
			continue;
		snprintf(raw, sizeof raw, "session/version is %.40s, ahead of %.40s %lld's "
		    "%.40s: a coordinator of that version refuses to start, and 2.6.18 "
		    "panics (a rollback?): upgrade it, or fix the key", c->cluster_version,
		    k->role, (long long)k->server_id, k->s.version);
		/* The version texts and the role come from etcd. */
		esc = out_escape(raw);
		snprintf(msg, len, "%s", esc);
		free(esc);
		return true;
	}
	return false;
}

/* One warning line per unreadable key: fits a terminal, so the key and the
 * reason are cut (the full key is in -o json). */
#define CMD_WARN_UNPARSABLE_MAX	8

void
cmd_cluster_warn(struct cmd_ctx *ctx, struct state *st)
{
	const struct cluster *c = state_cluster(st);
	char msg[512], raw[512], *esc;
	size_t i, more;

	/* Not an error (the command goes on), but what is shown is not all. */
	if (c->src_sessions.note != NULL)
		fprintf(ctx->err, "milvusadm: warning: %s\n", c->src_sessions.note);
	if (cmd_cluster_version_ahead(c, msg, sizeof msg))
		fprintf(ctx->err, "milvusadm: warning: %s\n", msg);
	for (i = 0; i < c->n_unparsable && i < CMD_WARN_UNPARSABLE_MAX; i++) {
		/* Key and reason come from etcd: escaped, on one line. */
		snprintf(raw, sizeof raw, "session key '%.200s' cannot be read: %.200s",
		    c->unparsable[i].key, c->unparsable[i].reason);
		esc = out_escape(raw);
		fprintf(ctx->err, "milvusadm: warning: %s\n", esc);
		free(esc);
	}
	more = c->n_unparsable - i + c->unparsable_more;
	if (more > 0)
		fprintf(ctx->err, "milvusadm: warning: %zu more session keys cannot be "
		    "read (see -o json)\n", more);
}

void
cmd_cluster_unparsable_out(struct cmd_ctx *ctx, struct out_obj *root,
    const struct cluster *c)
{
	static const struct out_col cols[] = {
		{ "key", "KEY", OCOL_STR },
		{ "reason", "REASON", OCOL_STR },
	};
	struct out_obj *row;
	struct out_tab *t;
	size_t i;

	/* A table or TSV reader of the components must not meet a second table:
	 * there the warning lines on stderr say it. */
	if (ctx->format != OUT_JSON)
		return;
	t = out_table(root, "unparsable", "unparsable session keys", cols,
	    sizeof cols / sizeof cols[0]);
	for (i = 0; i < c->n_unparsable; i++) {
		row = out_row(t);
		out_str(row, "key", c->unparsable[i].key);
		out_str(row, "reason", c->unparsable[i].reason);
	}
	out_int(root, "unparsable_more", (int64_t)c->unparsable_more);
}

struct state *
cmd_cluster_gather_all(struct cmd_ctx *ctx, int *rc)
{
	struct state *st;

	if ((st = cmd_cluster_open(ctx, rc)) == NULL)
		return NULL;
	if ((*rc = cmd_cluster_sessions(ctx, st)) != CMD_OK) {
		state_free(st);
		return NULL;
	}
	(void)state_load_all(st);
	return st;
}

const char *
cmd_opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t len = strlen(name);

	if (strcmp(argv[*i], name) == 0) {
		if (*i + 1 >= argc) {
			*missing = true;
			return NULL;
		}
		*i += 1;
		return argv[*i];
	}
	/* --role=R as well as --role R. */
	if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=')
		return argv[*i] + len + 1;
	return NULL;
}
