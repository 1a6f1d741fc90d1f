/* SPDX-License-Identifier: MIT */
/* Dating a replayed session history: etcd keeps revisions, not times, so the
 * only clocks are what the components expose (their process start time) and
 * what the tool saw itself. The rules are in events.h (cluster_date_events). */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/xalloc.h"

/* One server whose process start time is known, and what the scan saw of it. */
struct start_ref {
	const char *role;
	int64_t id;
	int64_t started_ms;
	bool joined;			/* its first join was seen */
	bool join_vacant;		/* its role had no active when it joined */
	uint64_t join_gen;		/* the role's leader generation at its join */
};

/* Per coordinator role during the scan: the active and a count of changes. */
struct role_ref {
	const char *role;
	int64_t active;
	uint64_t gen;
};

static int
start_cmp(const void *a, const void *b)
{
	const struct start_ref *x = a, *y = b;
	int c = strcmp(x->role, y->role);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct start_ref *
start_find(struct start_ref *v, size_t n, const char *role, int64_t id)
{
	struct start_ref key = { role, id, 0, false, false, 0 };

	if (role == NULL)
		return NULL;
	return bsearch(&key, v, n, sizeof *v, start_cmp);
}

static struct role_ref *
role_get(struct role_ref **v, size_t *n, const char *role)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i].role, role) == 0)
			return &(*v)[i];
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].role = role;
	(*v)[*n].active = 0;
	(*v)[*n].gen = 0;
	return &(*v)[(*n)++];
}

/* Leaders' since_ms (the takeover of the current active) and changed_ms (the
 * role's last change) from the dated events. */
static void
date_leaders(struct cluster *c, struct start_ref *starts, size_t ns)
{
	size_t i, k, n = events_count(c->events);

	for (i = 0; i < c->n_leaders; i++) {
		struct leader *l = &c->leaders[i];
		const struct event *took = NULL, *last = NULL;

		for (k = n; k > 0 && (took == NULL || last == NULL); k--) {
			const struct event *e = events_get(c->events, k - 1);

			if ((e->kind != EV_LEADER_CHANGED && e->kind != EV_LEADER_LOST) ||
			    e->role == NULL || strcmp(e->role, l->role) != 0)
				continue;
			if (last == NULL)
				last = e;
			if (took == NULL && e->kind == EV_LEADER_CHANGED &&
			    e->server_id == l->active_id)
				took = e;
		}
		if (l->changed_ms <= 0 && last != NULL && last->wall_ms > 0)
			l->changed_ms = last->wall_ms;
		if (l->active_id == 0 || l->since_ms > 0)
			continue;
		if (took != NULL && took->wall_ms > 0)
			l->since_ms = took->wall_ms;
		else if (!l->active_standby) {
			/* Without active-standby the one server writes the bare key
			 * as it registers (§2.2): in office since its process began. */
			struct start_ref *s = start_find(starts, ns, l->role, l->active_id);

			if (s != NULL)
				l->since_ms = s->started_ms;
		}
	}
}

size_t
cluster_date_events(struct cluster *c)
{
	struct start_ref *starts;
	struct role_ref *roles = NULL;
	size_t i, ns = 0, nr = 0, dated = 0, n = events_count(c->events);

	starts = xcalloc(c->n_components + 1, sizeof *starts);
	for (i = 0; i < c->n_components; i++) {
		const struct component *comp = &c->components[i];

		/* A session whose process is gone must not borrow the start time
		 * of whatever answers at its address now. */
		if (comp->started_ms <= 0 || comp->gone != COMP_PRESENT)
			continue;
		starts[ns].role = comp->role;
		starts[ns].id = comp->server_id;
		starts[ns].started_ms = comp->started_ms;
		ns++;
	}
	if (ns > 1)
		qsort(starts, ns, sizeof *starts, start_cmp);
	for (i = 0; i < n; i++) {
		const struct event *e = events_get(c->events, i);
		struct start_ref *s;
		struct role_ref *r;

		switch (e->kind) {
		case EV_NODE_JOINED:
			s = start_find(starts, ns, e->role, e->server_id);
			/* Server IDs are never reused (§1.3): the first join of one
			 * is its process registering right after it started; a later
			 * one (re-registration) is at an unknown time after. */
			if (s == NULL || s->joined)
				break;
			s->joined = true;
			r = role_get(&roles, &nr, e->role);
			s->join_vacant = r->active == 0;
			s->join_gen = r->gen;
			if (e->wall_ms <= 0) {
				events_set_time(c->events, i, s->started_ms, EVT_PROCESS_START);
				dated++;
			}
			break;
		case EV_LEADER_CHANGED:
			if (e->role == NULL)
				break;
			r = role_get(&roles, &nr, e->role);
			s = start_find(starts, ns, e->role, e->server_id);
			/* Joined with nobody in office and nothing changed since:
			 * it took office as it started. A standby promoted later
			 * (after a loss) has no clock of its own. */
			if (s != NULL && s->joined && s->join_vacant && s->join_gen == r->gen &&
			    e->wall_ms <= 0) {
				events_set_time(c->events, i, s->started_ms, EVT_PROCESS_START);
				dated++;
			}
			r->active = e->server_id;
			r->gen++;
			break;
		case EV_LEADER_LOST:
			if (e->role == NULL)
				break;
			r = role_get(&roles, &nr, e->role);
			r->active = 0;
			r->gen++;
			break;
		default:
			break;
		}
	}
	date_leaders(c, starts, ns);
	free(roles);
	free(starts);
	return dated;
}
