/* SPDX-License-Identifier: MIT */
/* The Replicas view: per loaded collection, its replica groups with RW and
 * RO nodes; unhealthy nodes and shards without a leader highlighted. */
#include <stdbool.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "view.h"

/* How a querynode looks from the model, and the role to draw it with. */
static const char *
replicas_node(const struct cluster *c, int64_t id, enum theme_role *role)
{
	size_t i;

	*role = THEME_STALE;
	if (!c->sessions_known)
		return "unknown";
	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (k->server_id != id || strcmp(k->role, "querynode") != 0)
			continue;
		if (k->s.stopping) {
			*role = THEME_WARN;
			return "stopping";
		}
		if (k->health == HEALTH_HEALTHY) {
			*role = THEME_OK;
			return "";
		}
		if (k->health == HEALTH_UNKNOWN)
			return "?";
		*role = THEME_CRITICAL;
		return "unhealthy";
	}
	*role = THEME_CRITICAL;
	return "gone";
}

static void
replicas_nodes(struct vlines *l, const struct cluster *c, const char *what,
    const int64_t *ids, size_t n)
{
	enum theme_role r;
	const char *s;
	size_t i;

	vline_add(l, THEME_MUTED, " %s:", what);
	if (n == 0)
		vline_add(l, THEME_MUTED, " -");
	for (i = 0; i < n; i++) {
		s = replicas_node(c, ids[i], &r);
		vline_add(l, r, " %lld%s%s%s", (long long)ids[i], s[0] != '\0' ? "(" : "", s,
		    s[0] != '\0' ? ")" : "");
	}
}

static void
replicas_group(struct vlines *l, const struct view_env *env, const struct replica_state *r,
    bool last)
{
	const struct cluster *c = env->c;
	bool bad = r->n_healthy < r->n_rw || r->n_orphan_shards > 0 || r->n_rw == 0;
	size_t i;

	vline_begin(l, false);
	vline_add(l, THEME_BORDER, "  %s", view_branch(env->utf8, last));
	/* Read from REST v2 resource groups, a row has no replica ID. */
	if (r->replica_id >= 0)
		vline_add(l, THEME_TEXT, "replica %lld ", (long long)r->replica_id);
	else
		vline_add(l, THEME_TEXT, "replicas of ");
	vline_add(l, THEME_MUTED, "[%s] ", r->resource_group != NULL ? r->resource_group : "-");
	vline_add(l, bad ? THEME_CRITICAL : THEME_OK, "%zu/%zu healthy", r->n_healthy, r->n_rw);
	replicas_nodes(l, c, "RW", r->rw_nodes, r->n_rw);
	if (r->n_ro > 0)
		replicas_nodes(l, c, "RO", r->ro_nodes, r->n_ro);
	if (r->n_orphan_shards > 0) {
		vline_begin(l, false);
		vline_add(l, THEME_BORDER, "  %s   ", env->utf8 && !last ? "\u2502" :
		    !last ? "|" : " ");
		vline_add(l, THEME_CRITICAL, "unserviceable shards:");
		for (i = 0; i < r->n_orphan_shards; i++)
			vline_add(l, THEME_CRITICAL, " %s", r->orphan_shards[i]);
	}
}

static void
replicas_collection(struct vlines *l, const struct view_env *env, const char *db,
    const char *name, const char *id, bool degraded)
{
	const struct cluster *c = env->c;
	size_t i, n = 0, seen = 0;

	for (i = 0; i < c->n_replicas; i++)
		n += c->replicas[i].collection_id != NULL &&
		    strcmp(c->replicas[i].collection_id, id) == 0;
	vline_begin(l, false);
	if (name != NULL)
		vline_add(l, THEME_ACCENT, "%s.%s", db != NULL ? db : "default", name);
	else
		vline_add(l, THEME_WARN, "collection %s (not in the catalog)", id);
	vline_add(l, THEME_MUTED, "  %zu replica%s", n, n == 1 ? "" : "s");
	if (degraded)
		vline_add(l, THEME_CRITICAL, "  DEGRADED");
	for (i = 0; i < c->n_replicas; i++) {
		const struct replica_state *r = &c->replicas[i];

		if (r->collection_id == NULL || strcmp(r->collection_id, id) != 0)
			continue;
		seen++;
		replicas_group(l, env, r, seen == n);
	}
	if (n == 0)
		vline_text(l, false, THEME_WARN, "  no replica reported");
}

static void
replicas_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	size_t i, j, shown = 0;

	vlines_clear(&v->lines);
	if (c->src_replicas.updated_ms == 0 && c->src_proxy.updated_ms == 0) {
		vline_text(&v->lines, true, THEME_STALE, "replicas not read yet%s%s",
		    c->src_replicas.error != NULL ? ": " : "",
		    c->src_replicas.error != NULL ? c->src_replicas.error : "");
		return;
	}
	if (c->src_replicas.failing_since_ms != 0)
		vline_text(&v->lines, true, THEME_STALE, "stale: %s",
		    c->src_replicas.error != NULL ? c->src_replicas.error : "replicas failed");
	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];

		if (cs->load_state == NULL || cs->id == NULL ||
		    (strcmp(cs->load_state, "LoadStateLoaded") != 0 &&
		    strcmp(cs->load_state, "LoadStateLoading") != 0))
			continue;
		replicas_collection(&v->lines, env, cs->db, cs->name, cs->id, cs->degraded);
		shown++;
	}
	/* Replicas of collections the catalog did not list: orphans. */
	for (i = 0; i < c->n_replicas; i++) {
		const char *id = c->replicas[i].collection_id;
		bool known = false;

		if (id == NULL)
			continue;
		for (j = 0; j < c->n_collections && !known; j++)
			known = c->collections[j].id != NULL && strcmp(c->collections[j].id, id) == 0;
		for (j = 0; j < i && !known; j++)
			known = c->replicas[j].collection_id != NULL &&
			    strcmp(c->replicas[j].collection_id, id) == 0;
		if (!known) {
			replicas_collection(&v->lines, env, NULL, NULL, id, false);
			shown++;
		}
	}
	if (shown == 0)
		vline_text(&v->lines, false, THEME_MUTED, "no loaded collection");
}

static void
replicas_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_replicas_ops = {
	"replicas", "Replicas", NULL, replicas_free, NULL, replicas_update, NULL, NULL,
};
