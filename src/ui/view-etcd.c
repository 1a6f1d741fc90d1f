/* SPDX-License-Identifier: MIT */
/* The etcd view: members, which leads, raft term and index, db size, and
 * whether each endpoint answers. */
#include <stdio.h>

#include "milvusadm/cluster.h"
#include "view.h"

static void
etcd_size(int64_t n, char *out, size_t len)
{
	if (n < 0)
		snprintf(out, len, "-");
	else if (n >= 1024 * 1024)
		snprintf(out, len, "%.1f MiB", (double)n / (1024 * 1024));
	else if (n >= 1024)
		snprintf(out, len, "%.1f KiB", (double)n / 1024);
	else
		snprintf(out, len, "%lld B", (long long)n);
}

static void
etcd_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	const struct etcd_member_state *m;
	bool stale = c->src_etcd.failing_since_ms != 0;
	char size[24], when[16];
	size_t i, up = 0;

	vlines_clear(&v->lines);
	if (c->src_etcd.updated_ms == 0 && c->n_etcd == 0) {
		vline_text(&v->lines, true, THEME_STALE, "etcd status not read yet%s%s",
		    c->src_etcd.error != NULL ? ": " : "",
		    c->src_etcd.error != NULL ? c->src_etcd.error : "");
		return;
	}
	for (i = 0; i < c->n_etcd; i++)
		up += c->etcd[i].reachable;
	vline_begin(&v->lines, true);
	vline_add(&v->lines, up * 2 > c->n_etcd ? THEME_OK : THEME_CRITICAL,
	    "%zu of %zu members answer", up, c->n_etcd);
	vline_add(&v->lines, c->etcd_leader != 0 ? THEME_TEXT : THEME_CRITICAL, "   leader %s",
	    c->etcd_leader != 0 ? "" : "unknown");
	for (i = 0; i < c->n_etcd; i++) {
		if (c->etcd[i].id == c->etcd_leader && c->etcd_leader != 0)
			vline_add(&v->lines, THEME_ACTIVE, "%s",
			    c->etcd[i].name != NULL ? c->etcd[i].name : "?");
	}
	if (stale) {
		view_clock(c->src_etcd.failing_since_ms, when, sizeof when);
		vline_add(&v->lines, THEME_STALE, "   stale since %s: %s", when,
		    c->src_etcd.error != NULL ? c->src_etcd.error : "");
	}
	/* Health right after what a member is, so 80 columns keep it; the
	 * 16-digit ID, needed only to match `etcdctl member list`, goes last. */
	vline_text(&v->lines, true, THEME_TITLE, "%-10s %-8s %-11s %-26s %6s %9s %10s %-8s %s",
	    "NAME", "ROLE", "HEALTH", "CLIENT URL", "TERM", "INDEX", "DB SIZE", "VERSION", "ID");
	for (i = 0; i < c->n_etcd; i++) {
		m = &c->etcd[i];
		etcd_size(m->db_size, size, sizeof size);
		vline_begin(&v->lines, false);
		vline_add(&v->lines, stale ? THEME_STALE : THEME_TEXT, "%-10s ",
		    m->name != NULL ? m->name : "-");
		vline_add(&v->lines, m->is_leader ? THEME_ACTIVE : THEME_STANDBY, "%-8s ",
		    m->is_leader ? "leader" : m->is_learner ? "learner" : "follower");
		if (!m->reachable)
			vline_add(&v->lines, THEME_CRITICAL, "%-11s ", "unreachable");
		else if (m->n_alarms > 0)
			vline_add(&v->lines, THEME_CRITICAL, "%-11s ", "alarm");
		else
			vline_add(&v->lines, stale ? THEME_STALE : THEME_OK, "%-11s ", "ok");
		vline_add(&v->lines, stale ? THEME_STALE : THEME_TEXT, "%-26s %6llu %9llu %10s "
		    "%-8s %llx", m->client_url != NULL ? m->client_url : "-",
		    (unsigned long long)m->raft_term, (unsigned long long)m->raft_index, size,
		    m->version != NULL ? m->version : "-", (unsigned long long)m->id);
		/* The why, after the columns: an error text has no fixed width. */
		if (!m->reachable && m->error != NULL)
			vline_add(&v->lines, THEME_CRITICAL, "  %s", m->error);
		if (m->n_alarms > 0)
			vline_add(&v->lines, THEME_CRITICAL, "  alarm %s", m->alarms[0]);
	}
}

static void
etcd_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_etcd_ops = {
	"etcd", "etcd", NULL, etcd_free, NULL, etcd_update, NULL, NULL,
};
