/* SPDX-License-Identifier: MIT */
/* Diffing the derived components and leaders (cluster-derive.c) against the
 * previous snapshot into flight-recorder events, and the commits: a full
 * derive, or for a batch of worker-only revisions the events at once and
 * one derive at the settle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/xalloc.h"
#include "cluster-int.h"

static void
last_active_set(struct cluster_keys *ks, const char *role, int64_t id)
{
	size_t i;

	for (i = 0; i < ks->n_last; i++) {
		if (strcmp(ks->last[i].role, role) == 0) {
			ks->last[i].id = id;
			return;
		}
	}
	ks->last = xreallocarray(ks->last, ks->n_last + 1, sizeof *ks->last);
	ks->last[ks->n_last].role = xstrdup(role);
	ks->last[ks->n_last++].id = id;
}

static int64_t
last_active_get(const struct cluster_keys *ks, const char *role)
{
	size_t i;

	for (i = 0; i < ks->n_last; i++) {
		if (strcmp(ks->last[i].role, role) == 0)
			return ks->last[i].id;
	}
	return 0;
}

static const struct leader *
old_leader(const struct cluster *c, const char *role)
{
	return cluster_leader(c, role);
}

/* ---- the diff ---- */

/* A component as the diff sees it: before (old components with the changes
 * already reported laid over them) or after. */
struct cview {
	int order;
	const char *role;
	int64_t id;
	const char *address;
	bool stopping;
	bool present;
	size_t seq;			/* 0: an old component; a reported change after */
};

static int
cview_cmp(const void *a, const void *b)
{
	const struct cview *x = a, *y = b;
	int r = cluster_comp_key_cmp(x->order, x->role, x->id, y->order, y->role, y->id);

	if (r != 0)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The components before this commit: c->components, where a change reported
 * by a batch commit (told) since the last derive replaces what they say. */
static struct cview *
cview_before(const struct cluster *c, size_t *nout)
{
	const struct cluster_key_changes *t = &c->keys->told;
	struct cview *v = xcalloc(c->n_components + t->n + 1, sizeof *v);
	size_t i, j, k, n = 0;

	for (i = 0; i < c->n_components; i++) {
		const struct component *o = &c->components[i];

		v[n++] = (struct cview){ o->order, o->role, o->server_id, o->s.address,
		    o->s.stopping, true, 0 };
	}
	if (t->n == 0) {
		*nout = n;
		return v;
	}
	for (i = 0; i < t->n; i++) {
		const struct cluster_key_change *ch = &t->v[i];

		v[n++] = (struct cview){ cluster_role_rank(ch->role), ch->role, ch->id,
		    ch->address, ch->stopping, ch->present, ch->seq + 1 };
	}
	qsort(v, n, sizeof *v, cview_cmp);
	/* Per key: the last reported change if there is one, else the old ones. */
	for (i = 0, k = 0; i < n; i = j) {
		for (j = i + 1; j < n && cluster_comp_key_cmp(v[i].order, v[i].role, v[i].id,
		    v[j].order, v[j].role, v[j].id) == 0; j++)
			;
		if (v[j - 1].seq == 0) {
			for (; i < j; i++)
				v[k++] = v[i];
		} else if (v[j - 1].present)
			v[k++] = v[j - 1];
	}
	*nout = k;
	return v;
}

static void
event_left(struct cluster *c, int64_t now_ms, int64_t rev, const char *role, int64_t id,
    const char *address)
{
	events_add(c->events, now_ms, rev, EV_NODE_LEFT, role, id, 0, "%s %lld left (%s)",
	    role, (long long)id, address != NULL ? address : "no address");
}

static void
event_joined(struct cluster *c, int64_t now_ms, int64_t rev, const char *role, int64_t id,
    const char *address, bool standby, bool stopping)
{
	events_add(c->events, now_ms, rev, EV_NODE_JOINED, role, id, 0,
	    "%s %lld joined at %s%s%s", role, (long long)id,
	    address != NULL ? address : "no address", standby ? " as standby" : "",
	    stopping ? " (stopping)" : "");
}

static void
event_stopping(struct cluster *c, int64_t now_ms, int64_t rev, const char *role, int64_t id)
{
	events_add(c->events, now_ms, rev, EV_NODE_STOPPING, role, id, 0,
	    "%s %lld is stopping (graceful stop)", role, (long long)id);
}

/* Events for what changed between the components before (see cview_before)
 * and v (the model's order): one walk for those that left, one for those that
 * joined or began to stop. */
static void
diff_components(struct cluster *c, const struct component *v, size_t n, int64_t rev,
    int64_t now_ms)
{
	struct cview *o;
	size_t no, i, j;

	o = cview_before(c, &no);
	for (i = 0, j = 0; i < no; i++) {
		int r = 1;

		while (j < n && (r = cluster_comp_key_cmp(v[j].order, v[j].role, v[j].server_id,
		    o[i].order, o[i].role, o[i].id)) < 0)
			j++;
		if (j >= n || r != 0)
			event_left(c, now_ms, rev, o[i].role, o[i].id, o[i].address);
	}
	for (j = 0, i = 0; j < n; j++) {
		int r = -1;

		while (i < no && (r = cluster_comp_key_cmp(o[i].order, o[i].role, o[i].id,
		    v[j].order, v[j].role, v[j].server_id)) < 0)
			i++;
		if (i >= no || r != 0)
			event_joined(c, now_ms, rev, v[j].role, v[j].server_id, v[j].s.address,
			    v[j].ha == HA_STANDBY, v[j].s.stopping);
		else if (!o[i].stopping && v[j].s.stopping)
			event_stopping(c, now_ms, rev, v[j].role, v[j].server_id);
	}
	free(o);
}

static void
diff_leaders(struct cluster *c, struct leader *ls, size_t n, int64_t rev, int64_t now_ms,
    bool baseline)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct leader *l = &ls[i];
		const struct leader *o = old_leader(c, l->role);
		int64_t old_id = o != NULL ? o->active_id : 0;

		if (o != NULL) {
			l->prev_active_id = o->prev_active_id;
			l->changed_ms = o->changed_ms;
			l->changed_revision = o->changed_revision;
			l->since_ms = o->active_id == l->active_id ? o->since_ms : 0;
		}
		if (l->active_id == old_id || baseline) {
			if (l->active_id != 0)
				last_active_set(c->keys, l->role, l->active_id);
			continue;
		}
		l->changed_ms = now_ms;
		l->changed_revision = rev;
		l->since_ms = l->active_id != 0 ? now_ms : 0;
		if (l->active_id == 0) {
			l->prev_active_id = old_id;
			events_add(c->events, now_ms, rev, EV_LEADER_LOST, l->role, 0, old_id,
			    "%s: active %lld is gone, no active yet", l->role, (long long)old_id);
			continue;
		}
		if (old_id == 0)
			old_id = last_active_get(c->keys, l->role);
		l->prev_active_id = old_id;
		last_active_set(c->keys, l->role, l->active_id);
		if (old_id != 0)
			events_add(c->events, now_ms, rev, EV_LEADER_CHANGED, l->role, l->active_id,
			    old_id, "%s: active %lld -> %lld (%s)", l->role, (long long)old_id,
			    (long long)l->active_id,
			    l->active_address != NULL ? l->active_address : "no address");
		else
			events_add(c->events, now_ms, rev, EV_LEADER_CHANGED, l->role, l->active_id,
			    0, "%s: active none -> %lld (%s)", l->role, (long long)l->active_id,
			    l->active_address != NULL ? l->active_address : "no address");
	}
	/* A role that disappears entirely (no key left) loses its active too. */
	for (i = 0; i < c->n_leaders; i++) {
		const struct leader *o = &c->leaders[i];
		bool found = false;
		size_t j;

		for (j = 0; j < n && !found; j++)
			found = strcmp(ls[j].role, o->role) == 0;
		if (!found && o->active_id != 0 && !baseline)
			events_add(c->events, now_ms, rev, EV_LEADER_LOST, o->role, 0, o->active_id,
			    "%s: active %lld is gone, no active yet", o->role,
			    (long long)o->active_id);
	}
}

void
cluster_sessions_commit(struct cluster *c, int64_t revision, int64_t now_ms)
{
	struct cluster_keys *ks = c->keys;
	struct cluster_derived d;
	bool baseline = !c->sessions_known;

	if (revision > c->sessions_revision)
		c->sessions_revision = revision;
	if (!ks->dirty && !baseline)
		return;
	cluster_derive(c, now_ms, baseline, &d);
	if (!baseline)
		diff_components(c, d.v, d.n, revision, now_ms);
	diff_leaders(c, d.leaders, d.n_leaders, revision, now_ms, baseline);
	cluster_components_free(c->components, c->n_components);
	cluster_leaders_free(c->leaders, c->n_leaders);
	c->components = d.v;
	c->n_components = d.n;
	c->leaders = d.leaders;
	c->n_leaders = d.n_leaders;
	c->sessions_known = true;
	ks->dirty = false;
	ks->complex = false;
	cluster_key_changes_clear(&ks->pend);
	cluster_key_changes_clear(&ks->told);
	cluster_mark_superseded(c, now_ms);
}

void
cluster_sessions_commit_batch(struct cluster *c, int64_t revision, int64_t now_ms)
{
	struct cluster_keys *ks = c->keys;
	size_t i;

	if (!c->sessions_known || ks->complex || ks->pend.n == 0) {
		cluster_sessions_commit(c, revision, now_ms);
		return;
	}
	if (revision > c->sessions_revision)
		c->sessions_revision = revision;
	/* Only workers' own keys changed: each change is one event, as the
	 * diff would record it; the components wait for the settle. */
	for (i = 0; i < ks->pend.n; i++) {
		const struct cluster_key_change *ch = &ks->pend.v[i];

		if (!ch->present)
			event_left(c, now_ms, revision, ch->role, ch->id, ch->address);
		else if (!ch->existed)
			event_joined(c, now_ms, revision, ch->role, ch->id, ch->address, false,
			    ch->stopping);
		else if (!ch->was_stopping && ch->stopping)
			event_stopping(c, now_ms, revision, ch->role, ch->id);
	}
	if (ks->told.cap < ks->told.n + ks->pend.n) {
		ks->told.cap = (ks->told.n + ks->pend.n) * 2;
		ks->told.v = xreallocarray(ks->told.v, ks->told.cap, sizeof *ks->told.v);
	}
	memcpy(ks->told.v + ks->told.n, ks->pend.v, ks->pend.n * sizeof *ks->pend.v);
	ks->told.n += ks->pend.n;
	ks->pend.n = 0;		/* moved: the strings belong to told now */
}

void
cluster_sessions_settle(struct cluster *c, int64_t now_ms)
{
	if (c->keys->told.n > 0 || c->keys->pend.n > 0)
		cluster_sessions_commit(c, c->sessions_revision, now_ms);
}
