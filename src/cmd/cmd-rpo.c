/* SPDX-License-Identifier: MIT */
/* `milvusadm rpo [--target D]`: per collection of the cluster, the age of the
 * newest successful backup that holds it against the RPO target (exit 5 on a
 * breach), as a table, JSON or Prometheus text for node_exporter's textfile
 * collector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/output.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "cmd-backup.h"
#include "cmd-cluster.h"
#include "cmd-handlers.h"

static const struct out_col rpo_cols[] = {
	{ "collection", "COLLECTION", OCOL_STR },
	{ "backup", "NEWEST BACKUP", OCOL_STR },
	{ "taken_ms", "TAKEN", OCOL_TIME_MS },
	{ "age_ms", "AGE", OCOL_DURATION_MS },
	{ "status", "STATUS", OCOL_STR },
};

static void
rpo_doc(struct out_doc *d, const struct bk_rpo_view *v)
{
	struct out_obj *root = out_doc_root(d), *row;
	struct out_metric *last, *breach, *target;
	struct out_tab *t;
	char full[600];
	size_t i;

	out_int(root, "target_ms", v->target_ms);
	out_int(root, "now_ms", v->now_ms);
	out_str(root, "server", backup_flavour_name(v->cat.flavour));
	out_int(root, "backups", (int64_t)v->cat.n);
	out_int(root, "unreadable", (int64_t)v->cat.unreadable);
	out_str(root, "unreadable_why", v->cat.unreadable_why);
	out_int(root, "collections", (int64_t)v->n);
	out_int(root, "breached", (int64_t)v->missed);
	t = out_table(root, "rows", "recovery points", rpo_cols,
	    sizeof rpo_cols / sizeof rpo_cols[0]);
	last = out_metric(d, "milvusadm_backup_last_success_timestamp_seconds", "gauge",
	    "Unix time of the newest successful backup holding the collection (0: none known)");
	breach = out_metric(d, "milvusadm_rpo_breach", "gauge",
	    "1 when the collection's newest backup is older than the RPO target or unknown");
	for (i = 0; i < v->n; i++) {
		const struct backup_rpo *r = &v->rows[i];
		const char *labels[] = { "collection", full, NULL };

		snprintf(full, sizeof full, "%s.%s", r->db, r->coll);
		row = out_row(t);
		out_str(row, "collection", full);
		out_str(row, "db", r->db);
		out_str(row, "name", r->coll);
		out_str(row, "backup", r->backup >= 0 ? v->cat.v[r->backup].name : NULL);
		r->last_ms > 0 ? out_int(row, "taken_ms", r->last_ms) : out_null(row, "taken_ms");
		r->age_ms >= 0 ? out_int(row, "age_ms", r->age_ms) : out_null(row, "age_ms");
		out_str(row, "status", backup_rpo_status_name(r->status));
		out_bool(row, "breach", r->status != BACKUP_RPO_OK);
		out_sample(last, labels, r->last_ms > 0 ? (double)(r->last_ms / 1000) : 0);
		out_sample(breach, labels, r->status != BACKUP_RPO_OK ? 1 : 0);
	}
	target = out_metric(d, "milvusadm_rpo_target_seconds", "gauge",
	    "The RPO target the breach gauge is measured against");
	out_sample(target, NULL, (double)(v->target_ms / 1000));
}

int
cmd_rpo(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	struct bk_rpo_view v;
	struct bk_session s;
	struct state *st;
	struct cluster *c;
	struct out_doc *d;
	const char *target = NULL, *val;
	bool missing = false;
	int64_t target_ms;
	char tgt[32];
	int i, rc;

	for (i = 1; i < argc; i++) {
		if ((val = cmd_opt_value(argc, argv, &i, "--target", &missing)) != NULL)
			target = val;
		else
			return cmd_usage(ctx, e);
	}
	if (missing)
		return cmd_usage(ctx, e);
	if (target != NULL && (time_parse_duration(target, &target_ms) != 0 || target_ms <= 0))
		return cmd_error(ctx, CMD_USAGE, "--target '%s' is not a duration", target);
	if ((rc = bk_session_profile(ctx, &s)) != CMD_OK)
		return rc;
	if (target == NULL)
		target_ms = s.p->guards_rpo_target_ms;
	/* The collections come from the cluster (REST v2), the backups from the
	 * backup server: either one missing leaves nothing to measure. */
	if ((rc = bk_cluster_names(ctx, s.p, &st)) != CMD_OK)
		goto out;
	c = state_cluster(st);
	bk_rpo_load(ctx, s.p, c, target_ms, false, &v);
	if (!v.loaded) {
		rc = cmd_error(ctx, v.configured ? bk_exit_code(v.err) : CMD_UNREACHABLE, "%s",
		    v.why);
		bk_rpo_release(&v);
		state_free(st);
		goto out;
	}
	d = out_doc_new("rpo");
	rpo_doc(d, &v);
	rc = cmd_emit(ctx, d);
	if (v.missed > 0) {
		time_format_duration(target_ms, tgt, sizeof tgt);
		rc = cmd_error(ctx, CMD_MISSED, "RPO target %s missed by %zu of %zu collections",
		    tgt, v.missed, v.n);
	}
	if (v.cat.unreadable > 0)
		bk_warn(ctx, "%zu backups could not be described: %s", v.cat.unreadable,
		    v.cat.unreadable_why);
	bk_rpo_release(&v);
	state_free(st);
out:
	bk_session_close(&s);
	return rc;
}
