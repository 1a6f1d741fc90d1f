/* SPDX-License-Identifier: MIT */
/* Live names for the shell's completion: server IDs from the etcd sessions,
 * databases and "db.collection" names from a proxy, gathered with a short
 * timeout and cached, so a slow or dead cluster costs the prompt a moment at
 * most and never prints anything. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/drill.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "../ops/state-int.h"
#include "repl-int.h"

/* Completion waits on the user's keystroke: one second per request at most,
 * whatever the profile's own timeout is. */
#define NAMES_TIMEOUT_MS	1000
/* Gather again on a tab press only when the names are older than this. */
#define NAMES_MAX_AGE_MS	10000
/* Names kept per kind: completion lists are for people, not for a dump. */
#define NAMES_MAX		2000

struct names_list {
	char **v;
	size_t n;
};

struct repl_cache {
	struct loop *loop;
	char *profile;			/* NULL = the default profile */
	int64_t tried_ms;		/* monotonic time of the last attempt, 0 = never */
	struct names_list ids, dbs, colls, targets;
};

/* The sessions alone: completion needs their names, not one lease
 * timetolive per session (thousands of calls on a Tab press). */
static int
names_load_sessions(struct state *st)
{
	struct state_wait *w = state_wait_new();

	state_sessions_async(st, false, state_wait_cb, w);
	/* One range, tried on each etcd endpoint in turn at worst. */
	return state_wait_run(st, w, (state_timeout_ms(st) + 1000) * 8 + 1000);
}

static void
names_clear(struct names_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Add s unless it is there already or the list is full. */
static void
names_add(struct names_list *l, const char *s)
{
	size_t i;

	if (l->n >= NAMES_MAX)
		return;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return;
	}
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

struct repl_cache *
repl_names_new(struct loop *l, const char *profile)
{
	struct repl_cache *rn = xcalloc(1, sizeof *rn);

	rn->loop = l;
	rn->profile = profile != NULL ? xstrdup(profile) : NULL;
	return rn;
}

void
repl_names_free(struct repl_cache *rn)
{
	if (rn == NULL)
		return;
	names_clear(&rn->ids);
	names_clear(&rn->dbs);
	names_clear(&rn->colls);
	names_clear(&rn->targets);
	free(rn->profile);
	free(rn);
}

bool
repl_names_stale(const struct repl_cache *rn)
{
	return rn->tried_ms == 0 || time_mono_ms() - rn->tried_ms >= NAMES_MAX_AGE_MS;
}

/* A gatherer for the shell's profile with the short timeout; NULL when there
 * is no usable profile (yet: `lab up` in the shell may add one). The profile
 * is read again each time for that reason. */
static struct state *
names_open(struct repl_cache *rn)
{
	const struct profile *p;
	struct profile copy;
	struct config *c;
	struct state *st;
	char err[256];

	if ((c = config_load(NULL, err, sizeof err)) == NULL)
		return NULL;
	if ((p = config_profile(c, rn->profile)) == NULL) {
		config_free(c);
		return NULL;
	}
	/* state_new copies what it keeps, so a shallow copy is enough. */
	copy = *p;
	copy.timeout_ms = NAMES_TIMEOUT_MS;
	st = state_new(rn->loop, &copy, err, sizeof err);
	config_free(c);
	return st;
}

void
repl_names_refresh(struct repl_cache *rn)
{
	struct state *st;
	struct cluster *c;
	char id[32], *full;
	size_t i;

	rn->tried_ms = time_mono_ms();
	/* Unreachable or unknown now means no candidates, not old ones. */
	names_clear(&rn->ids);
	names_clear(&rn->dbs);
	names_clear(&rn->colls);
	names_clear(&rn->targets);
	if ((st = names_open(rn)) == NULL)
		return;
	c = state_cluster(st);
	/* Without etcd the cluster is unreachable: do not wait on the proxies too. */
	if (names_load_sessions(st) != 0) {
		state_free(st);
		return;
	}
	for (i = 0; i < c->n_components; i++) {
		snprintf(id, sizeof id, "%lld", (long long)c->components[i].server_id);
		names_add(&rn->ids, id);
		full = xasprintf("%s/%lld", c->components[i].role,
		    (long long)c->components[i].server_id);
		names_add(&rn->targets, full);
		free(full);
	}
	/* What `drill run` takes besides ROLE/ID: the roles with an active. */
	for (i = 0; i < c->n_leaders; i++) {
		if (c->leaders[i].active_id != 0)
			names_add(&rn->targets, c->leaders[i].role);
	}
	names_add(&rn->targets, "proxy");
	names_add(&rn->targets, "etcd-leader");
	if (state_load_collection_names(st, NULL) == 0) {
		for (i = 0; i < c->n_collections; i++) {
			const struct collection_state *cs = &c->collections[i];

			names_add(&rn->dbs, cs->db);
			full = xasprintf("%s.%s", cs->db, cs->name);
			names_add(&rn->colls, full);
			free(full);
			/* The default database's collections go by their bare names too. */
			if (strcmp(cs->db, "default") == 0)
				names_add(&rn->colls, cs->name);
		}
	}
	state_free(st);
}

/* The saved reports' IDs (file names: no need to parse them), newest last. */
static size_t
names_drill_ids(char ***names)
{
	char *dir = drill_dir(false);
	struct dirent *de;
	size_t n = 0, len;
	DIR *dp;

	*names = NULL;
	if ((dp = opendir(dir)) != NULL) {
		while ((de = readdir(dp)) != NULL && n < NAMES_MAX) {
			len = strlen(de->d_name);
			if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
				continue;
			*names = xreallocarray(*names, n + 2, sizeof **names);
			(*names)[n++] = xstrndup(de->d_name, len - 5);
			(*names)[n] = NULL;
		}
		closedir(dp);
	}
	free(dir);
	return n;
}

size_t
repl_names_copy(const struct repl_cache *rn, enum repl_names kind, char ***names)
{
	const struct names_list *l;
	size_t i;

	switch (kind) {
	case REPL_NAMES_SERVER_ID:
		l = &rn->ids;
		break;
	case REPL_NAMES_COLLECTION:
		l = &rn->colls;
		break;
	case REPL_NAMES_DATABASE:
		l = &rn->dbs;
		break;
	case REPL_NAMES_DRILL_TARGET:
		l = &rn->targets;
		break;
	case REPL_NAMES_DRILL_ID:
		return names_drill_ids(names);
	default:
		/* Roles are built into the completion. */
		*names = NULL;
		return 0;
	}
	*names = xcalloc(l->n + 1, sizeof **names);
	for (i = 0; i < l->n; i++)
		(*names)[i] = xstrdup(l->v[i]);
	return l->n;
}
