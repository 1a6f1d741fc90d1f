/* SPDX-License-Identifier: MIT */
/* The TUI's alert list: the model's alerts (alerts.h) with the backup tier's
 * RPO from the catalogue the TUI read, kept across changes so that each
 * alert keeps the time it was first seen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/backups.h"
#include "milvusadm/cluster.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "../cmd/cmd-backup.h"
#include "tui-int.h"

/* The RPO facts as `status` states them (bk_rpo_line), from the catalogue
 * the Backups view read: NULL while it was never read, so the TUI says
 * nothing of backups rather than a guess. */
static const struct alert_rpo *
tui_alerts_rpo(struct tui *t, const struct cluster *c, int64_t now, struct alert_rpo *out,
    char *line, size_t len)
{
	const struct backup_poll_state *s;
	struct backup_coll_name *names;
	struct bk_rpo_view v;
	bool known = c->src_proxy.error == NULL && c->src_proxy.updated_ms != 0;
	size_t i;
	int verdict;

	if (t->backups == NULL || !(s = backup_poll_state(t->backups))->configured)
		return NULL;
	memset(&v, 0, sizeof v);
	v.configured = true;
	v.target_ms = s->rpo_target_ms;
	v.now_ms = now;
	if (s->loaded) {
		v.loaded = true;
	} else if (s->failing_since_ms != 0) {
		v.err = s->err;
		snprintf(v.why, sizeof v.why, "%s", s->error);
	} else
		return NULL;
	names = xcalloc(c->n_collections + 1, sizeof *names);
	v.rows = xcalloc(c->n_collections + 1, sizeof *v.rows);
	if (v.loaded && known) {
		for (i = 0; i < c->n_collections; i++) {
			names[i].db = c->collections[i].db != NULL ? c->collections[i].db :
			    "default";
			names[i].coll = c->collections[i].name != NULL ?
			    c->collections[i].name : "";
		}
		v.n = c->n_collections;
		v.missed = backup_rpo(names, v.n, s->cat.v, s->cat.n, s->cat.unreadable, now,
		    s->rpo_target_ms, v.rows);
	}
	verdict = bk_rpo_line(&v, known, line, len);
	free(names);
	free(v.rows);
	memset(out, 0, sizeof *out);
	out->breached = verdict == 1;
	out->unknown = verdict == 2;
	out->line = line;
	return out;
}

void
tui_alerts_update(struct tui *t)
{
	const struct cluster *c = state_cluster(t->st);
	struct alert_rpo rpo;
	char line[700];
	int64_t now = time_wall_ms();

	alerts_update(t->alerts, c, tui_alerts_rpo(t, c, now, &rpo, line, sizeof line), now);
}
