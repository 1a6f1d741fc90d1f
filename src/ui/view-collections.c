/* SPDX-License-Identifier: MIT */
/* The Collections view: per database, load state and progress, rows,
 * replica count, protection and aliases, degraded ones highlighted. */
#include <stdio.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/protect.h"
#include "view.h"

/* "yes+guard": on a protect list and the server-side guard alias is there;
 * "yes": listed only (a drop by another client is not refused); "guard":
 * the alias without the list; "-" neither; "?" the list not read yet. */
static const char *
collections_protection(const struct cluster *c, const struct collection_state *cs,
    enum theme_role *role)
{
	char alias[300];
	bool listed, guard = false;
	size_t k;

	if (cs->db == NULL || cs->name == NULL) {
		*role = THEME_MUTED;
		return "-";
	}
	protect_alias_name(cs->name, alias, sizeof alias);
	for (k = 0; k < cs->n_aliases; k++)
		guard = guard || strcmp(cs->aliases[k], alias) == 0;
	listed = protect_list_match(c->protected_names, c->n_protected, cs->db, cs->name);
	*role = listed && guard ? THEME_OK : listed || guard ? THEME_WARN : THEME_MUTED;
	if (listed)
		return guard ? "yes+guard" : "yes";
	if (guard)
		return "guard";
	return c->protected_known ? "-" : "?";
}

static void
collections_update(struct view *v, const struct view_env *env)
{
	const struct cluster *c = env->c;
	const struct collection_state *cs;
	char rows[24], reps[24], prog[24], spec[520];
	bool stale = c->src_proxy.failing_since_ms != 0;
	size_t i, k;

	vlines_clear(&v->lines);
	if (c->src_proxy.updated_ms == 0) {
		vline_text(&v->lines, true, THEME_STALE, "collections not read yet%s%s",
		    c->src_proxy.error != NULL ? ": " : "",
		    c->src_proxy.error != NULL ? c->src_proxy.error : "");
		return;
	}
	if (stale)
		vline_text(&v->lines, true, THEME_STALE, "stale: %s",
		    c->src_proxy.error != NULL ? c->src_proxy.error : "the proxy failed");
	else if (c->src_proxy.note != NULL)
		vline_text(&v->lines, true, THEME_WARN, "%s", c->src_proxy.note);
	vline_text(&v->lines, true, THEME_TITLE, "%-12s %-24s %-11s %5s %12s %8s  %-9s  %s",
	    "DB", "COLLECTION", "LOAD", "%", "ROWS", "REPLICAS", "PROTECTED", "ALIASES");
	if (c->n_collections == 0)
		vline_text(&v->lines, false, THEME_MUTED, "no collections");
	for (i = 0; i < c->n_collections; i++) {
		enum theme_role lr, pr;
		const char *w, *prot;

		cs = &c->collections[i];
		w = cluster_load_word(cs->load_state);
		lr = strcmp(w, "loaded") == 0 ? THEME_OK : strcmp(w, "loading") == 0 ?
		    THEME_WARN : THEME_MUTED;
		if (cs->rows >= 0)
			snprintf(rows, sizeof rows, "%lld", (long long)cs->rows);
		else
			snprintf(rows, sizeof rows, "-");
		if (cs->n_replicas >= 0)
			snprintf(reps, sizeof reps, "%lld", (long long)cs->n_replicas);
		else
			snprintf(reps, sizeof reps, "-");
		if (cs->load_progress >= 0)
			snprintf(prog, sizeof prog, "%lld", (long long)cs->load_progress);
		else
			snprintf(prog, sizeof prog, "-");
		vline_begin(&v->lines, false);
		/* What b backs up. */
		snprintf(spec, sizeof spec, "%s.%s", cs->db != NULL ? cs->db : "default",
		    cs->name != NULL ? cs->name : "");
		vline_tag(&v->lines, spec);
		vline_add(&v->lines, stale ? THEME_STALE : THEME_TEXT, "%-12s %-24s ",
		    cs->db != NULL ? cs->db : "-", cs->name != NULL ? cs->name : "-");
		vline_add(&v->lines, stale ? THEME_STALE : lr, "%-11s ", w);
		vline_add(&v->lines, stale ? THEME_STALE : THEME_TEXT, "%5s %12s ", prog, rows);
		vline_add(&v->lines, cs->degraded ? THEME_CRITICAL : stale ? THEME_STALE :
		    THEME_TEXT, "%8s  ", reps);
		prot = collections_protection(c, cs, &pr);
		vline_add(&v->lines, stale ? THEME_STALE : pr, "%-9s  ", prot);
		for (k = 0; k < cs->n_aliases; k++)
			vline_add(&v->lines, THEME_MUTED, "%s%s", k > 0 ? "," : "",
			    cs->aliases[k]);
		if (cs->n_aliases == 0)
			vline_add(&v->lines, THEME_MUTED, "-");
		if (cs->degraded)
			vline_add(&v->lines, THEME_CRITICAL, "  DEGRADED");
	}
}

static void
collections_free(struct view *v)
{
	vlines_clear(&v->lines);
}

const struct view_ops view_collections_ops = {
	"collections", "Collections", NULL, collections_free, NULL, collections_update,
	NULL, NULL,
};
