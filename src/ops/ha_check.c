/* SPDX-License-Identifier: MIT */
/* The no-single-point-of-failure checklist (the seed's HA design): standbys per
 * coordinator, two or more of each worker role, an odd etcd quorum of three or
 * more, two or more replicas per loaded collection, a known session TTL. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/ha.h"
#include "milvusadm/xalloc.h"

const char *
ha_verdict_name(enum ha_verdict v)
{
	switch (v) {
	case HA_CHECK_PASS:
		return "pass";
	case HA_CHECK_WARN:
		return "warn";
	case HA_CHECK_FAIL:
		return "fail";
	}
	return "unknown";
}

int
ha_version_parse(const char *version, int *major, int *minor, int *patch)
{
	long v[3] = { 0, 0, 0 };
	const char *p = version;
	char *end;
	int i;

	if (p == NULL)
		return -1;
	if (*p == 'v' || *p == 'V')
		p++;
	for (i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			break;
		v[i] = strtol(p, &end, 10);
		if (v[i] > 100000)
			return -1;
		p = end;
		if (*p != '.') {
			i++;
			break;
		}
		p++;
	}
	if (i < 2)
		return -1;
	*major = (int)v[0];
	*minor = (int)v[1];
	*patch = (int)v[2];
	return 0;
}

int64_t
ha_default_ttl(const char *version)
{
	int ma, mi, pa;

	if (ha_version_parse(version, &ma, &mi, &pa) == -1)
		return -1;
	/* 3.x ships 15 s (contract §10). */
	if (ma == 3)
		return 15;
	if (ma != 2)
		return -1;
	/* configs/milvus.yaml per release (contract §2.5). */
	if (mi == 3 && pa <= 2)
		return 60;
	if (mi >= 3 && mi <= 5)
		return 30;
	if (mi == 6 && pa <= 5)
		return 10;
	if (mi == 6 && pa == 6)
		return 30;
	if (mi >= 6)
		return 15;
	return 60;
}

static struct ha_item *
item_add(struct ha_report *r, enum ha_verdict v, const char *object, const char *title,
    const char *idfmt, ...) __attribute__((format(printf, 5, 6)));

static struct ha_item *
item_add(struct ha_report *r, enum ha_verdict v, const char *object, const char *title,
    const char *idfmt, ...)
{
	struct ha_item *it;
	va_list ap;

	r->items = xreallocarray(r->items, r->n_items + 1, sizeof *r->items);
	it = &r->items[r->n_items++];
	memset(it, 0, sizeof *it);
	va_start(ap, idfmt);
	it->id = xvasprintf(idfmt, ap);
	va_end(ap);
	it->title = xstrdup(title);
	it->object = xstrdup(object);
	it->status = v;
	return it;
}

static void
item_reason(struct ha_item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
item_reason(struct ha_item *it, const char *fmt, ...)
{
	va_list ap;

	free(it->reason);
	va_start(ap, fmt);
	it->reason = xvasprintf(fmt, ap);
	va_end(ap);
}

/* The one etcd member an item is about, when it is about one. */
static void
item_object(struct ha_item *it, const char *member)
{
	if (member == NULL)
		return;
	free(it->object);
	it->object = xasprintf("etcd member '%s'", member);
}

static void
item_fix(struct ha_item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
item_fix(struct ha_item *it, const char *fmt, ...)
{
	va_list ap;

	free(it->fix);
	va_start(ap, fmt);
	it->fix = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Milvus 2.6 merged the coordinators into mixcoord and indexnode into datanode,
 * and added streamingnode. Unknown version: judge by which sessions exist. */
static int
cluster_generation(const struct cluster *c)
{
	int ma, mi, pa;
	size_t i;

	if (ha_version_parse(c->milvus_version, &ma, &mi, &pa) == 0)
		return ma > 2 || (ma == 2 && mi >= 6) ? 26 : 25;
	for (i = 0; i < c->n_leaders; i++) {
		if (strcmp(c->leaders[i].role, "mixcoord") == 0)
			return 26;
	}
	for (i = 0; i < c->n_components; i++) {
		if (c->components[i].role != NULL &&
		    strcmp(c->components[i].role, "streamingnode") == 0)
			return 26;
	}
	return 25;
}

static const struct component *
component_find(const struct cluster *c, const char *role, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (k->role != NULL && strcmp(k->role, role) == 0 && k->server_id == id)
			return k;
	}
	return NULL;
}

static bool
has_label(const struct component *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->s.n_labels; i++) {
		if (k->s.labels[i].name != NULL && strcmp(k->s.labels[i].name, name) == 0)
			return true;
	}
	return false;
}

/* Standalone: one process registers every role under one ServerID. */
static bool
cluster_standalone(const struct cluster *c)
{
	int64_t id = 0;
	size_t i, n = 0;

	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (has_label(k, "STANDALONE") ||
		    (k->role != NULL && strcmp(k->role, "standalone") == 0) ||
		    (k->process != NULL && strcmp(k->process, "standalone") == 0))
			return true;
		if (k->server_id == 0)
			continue;
		if (n++ == 0)
			id = k->server_id;
		else if (k->server_id != id)
			return false;
	}
	return n > 1;
}

static const struct leader *
leader_find(const struct cluster *c, const char *role)
{
	size_t i;

	for (i = 0; i < c->n_leaders; i++) {
		if (c->leaders[i].role != NULL && strcmp(c->leaders[i].role, role) == 0)
			return &c->leaders[i];
	}
	return NULL;
}

static void
check_coord(struct ha_report *r, const struct cluster *c, const struct alerts *a,
    const char *role)
{
	const struct leader *l = leader_find(c, role);
	const struct alert *al;
	struct ha_item *it;
	size_t i, usable = 0;
	char title[96];

	snprintf(title, sizeof title, "%s has a standby (3 instances recommended)", role);
	it = item_add(r, HA_CHECK_FAIL, role, title, "coord.%s", role);
	if ((l == NULL || l->active_id == 0) && c->src_sessions.error != NULL) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "sessions unknown: %s", c->src_sessions.error);
		item_fix(it, "start %s instances and check why none registered", role);
		return;
	}
	if ((al = alerts_find(a, "no-active", role)) != NULL ||
	    (al = alerts_find(a, "active-gone", role)) != NULL) {
		item_reason(it, "%s", al->message);
		if (al->fix != NULL)
			item_fix(it, "%s", al->fix);
		return;
	}
	if (l == NULL || l->active_id == 0) {
		/* No alert for it: a role the alerts do not judge (indexcoord). */
		item_reason(it, "no active %s session", role);
		item_fix(it, "start %s instances and check why none registered", role);
		return;
	}
	al = alerts_find(a, "no-standby", role);
	if (!l->active_standby && al != NULL) {
		item_reason(it, "active-standby is off (bare key only): a crash stops %s "
		    "until the process is restarted", role);
		item_fix(it, "%s", al->fix);
		return;
	}
	/* A standby that reports itself unhealthy will not take over. */
	for (i = 0; i < l->n_standby; i++) {
		const struct component *k = component_find(c, role, l->standby_ids[i]);

		if (k == NULL || k->health == HEALTH_UNKNOWN || k->health == HEALTH_STANDBY ||
		    k->health == HEALTH_HEALTHY)
			usable++;
	}
	if (al != NULL) {
		item_reason(it, "no standby: a crash of %s %lld stops %s until it is "
		    "restarted", role, (long long)l->active_id, role);
		item_fix(it, "%s", al->fix);
		return;
	}
	if (usable == 0) {
		item_reason(it, "%zu standby but none healthy", l->n_standby);
		item_fix(it, "restart the standbys of %s (milvusadm health --role %s)", role,
		    role);
		return;
	}
	if (usable + 1 < 3) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "1 active + %zu standby: after one failure there is none left",
		    usable);
		item_fix(it, "run a third %s instance", role);
		return;
	}
	it->status = HA_CHECK_PASS;
	item_reason(it, "1 active (%lld) + %zu standby", (long long)l->active_id, usable);
}

static void
check_coords(struct ha_report *r, const struct cluster *c, const struct alerts *a, int gen)
{
	static const char *const v25[] = { "rootcoord", "querycoord", "datacoord", NULL };
	static const char *const v26[] = { "mixcoord", NULL };
	const char *const *roles = gen == 26 ? v26 : v25;
	size_t i;

	/* indexcoord (2.3–2.5) lives inside datacoord and follows its election. */
	for (i = 0; roles[i] != NULL; i++)
		check_coord(r, c, a, roles[i]);
}

struct worker_rule {
	const char *role;
	const char *plural;
	bool serving;		/* on the query/write path: fewer than 2 fails */
	int gen;		/* 0 = every version, else only that generation */
};

static const struct worker_rule worker_rules[] = {
	{ "proxy", "proxies", true, 0 },
	{ "querynode", "querynodes", true, 0 },
	{ "datanode", "datanodes", true, 0 },
	/* Losing the only indexnode stops index builds, not search or insert:
	 * datacoord hands the task to the next indexnode that registers. */
	{ "indexnode", "indexnodes", false, 25 },
	{ "streamingnode", "streamingnodes", true, 26 },
};

static void
check_worker(struct ha_report *r, const struct cluster *c, const struct worker_rule *w)
{
	struct ha_item *it;
	size_t i, total = 0, healthy = 0, unknown = 0, embedded = 0;
	enum ha_verdict bad = w->serving ? HA_CHECK_FAIL : HA_CHECK_WARN;
	char title[96], emb[64] = "";

	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (k->role == NULL || strcmp(k->role, w->role) != 0 || k->s.stopping)
			continue;
		total++;
		if (has_label(k, "STREAMING-EMBEDDED"))
			embedded++;
		if (k->health == HEALTH_HEALTHY)
			healthy++;
		else if (k->health == HEALTH_UNKNOWN)
			unknown++;
	}
	if (embedded > 0)
		snprintf(emb, sizeof emb, " (%zu embedded in streamingnodes)", embedded);
	snprintf(title, sizeof title, "2 or more %s", w->plural);
	it = item_add(r, bad, w->role, title, "workers.%s", w->role);
	if (total == 0 && c->src_sessions.error != NULL) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "sessions unknown: %s", c->src_sessions.error);
		return;
	}
	if (total < 2) {
		item_reason(it, "%zu %s%s%s", total, total == 1 ? w->role : w->plural, emb,
		    w->serving ? ": a single failure stops the service it gives" :
		    ": index builds stop while it is down");
		item_fix(it, "run at least 2 %s (replicas: 2 in the Helm values)", w->plural);
		return;
	}
	if (healthy + unknown < 2) {
		item_reason(it, "%zu of %zu %s healthy%s", healthy, total, w->plural, emb);
		item_fix(it, "look at the unhealthy %s (milvusadm health --role %s)",
		    w->plural, w->role);
		return;
	}
	if (healthy < 2) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "%zu %s%s, health of %zu unknown", total, w->plural, emb,
		    unknown);
		item_fix(it, "run milvusadm health --role %s", w->role);
		return;
	}
	it->status = HA_CHECK_PASS;
	item_reason(it, "%zu of %zu %s healthy%s", healthy, total, w->plural, emb);
}

static void
check_workers(struct ha_report *r, const struct cluster *c, int gen)
{
	size_t i;

	for (i = 0; i < sizeof worker_rules / sizeof worker_rules[0]; i++) {
		if (worker_rules[i].gen == 0 || worker_rules[i].gen == gen)
			check_worker(r, c, &worker_rules[i]);
	}
}

static void
check_etcd(struct ha_report *r, const struct cluster *c, const struct alerts *a)
{
	const struct alert *al;
	struct ha_item *it;
	size_t i, voters = 0, down = 0, leaders = 0, alarms = 0;
	const char *first_down = NULL, *first_alarm = NULL, *alarm_member = NULL;
	const char *leader = NULL;

	it = item_add(r, HA_CHECK_FAIL, "etcd", "etcd has 3 or more members, an odd number",
	    "etcd.members");
	if (c->n_etcd == 0) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "etcd members unknown%s%s",
		    c->src_etcd.error != NULL ? ": " : "",
		    c->src_etcd.error != NULL ? c->src_etcd.error : "");
		item_fix(it, "run milvusadm etcd");
		it = item_add(r, HA_CHECK_WARN, "etcd", "etcd members all healthy",
		    "etcd.health");
		item_reason(it, "etcd members unknown");
		return;
	}
	for (i = 0; i < c->n_etcd; i++) {
		const struct etcd_member_state *m = &c->etcd[i];
		const char *name = m->name != NULL && *m->name != '\0' ? m->name :
		    m->client_url != NULL ? m->client_url : "?";

		if (!m->is_learner)
			voters++;
		if (!m->reachable) {
			if (down++ == 0)
				first_down = name;
			continue;
		}
		if (m->is_leader) {
			leaders++;
			leader = name;
		}
		if (m->n_alarms > 0 && alarms++ == 0) {
			first_alarm = m->alarms[0];
			alarm_member = name;
		}
	}
	if (voters < 3) {
		item_reason(it, "%zu voting member%s: losing %s stops every coordinator "
		    "and worker", voters, voters == 1 ? "" : "s",
		    voters == 1 ? "it" : "one loses the quorum and");
		item_fix(it, "run 3 (or 5) etcd members (replicaCount: 3)");
	} else if (voters % 2 == 0) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "%zu voting members tolerate %zu failure%s, no more than %zu "
		    "would", voters, (voters - 1) / 2, (voters - 1) / 2 == 1 ? "" : "s",
		    voters - 1);
		item_fix(it, "use an odd number of members (%zu or %zu)", voters - 1,
		    voters + 1);
	} else {
		it->status = HA_CHECK_PASS;
		item_reason(it, "%zu voting members tolerate %zu failure%s", voters,
		    (voters - 1) / 2, (voters - 1) / 2 == 1 ? "" : "s");
	}

	it = item_add(r, HA_CHECK_FAIL, "etcd", "etcd members all healthy", "etcd.health");
	if ((al = alerts_find(a, "etcd-member-down", NULL)) != NULL) {
		item_reason(it, "%zu of %zu members unreachable (first '%s')%s", down,
		    c->n_etcd, first_down,
		    2 * (c->n_etcd - down) <= c->n_etcd ? ": no quorum" : "");
		item_fix(it, "%s", al->fix);
		item_object(it, first_down);
	} else if ((al = alerts_find(a, "etcd-alarm", NULL)) != NULL) {
		item_reason(it, "alarm %s on '%s'", first_alarm, alarm_member);
		item_fix(it, "%s", al->fix);
		item_object(it, alarm_member);
	} else if ((al = alerts_find(a, "etcd-no-leader", NULL)) != NULL) {
		item_reason(it, "no member is leader");
		item_fix(it, "%s", al->fix);
	} else if (leaders > 1) {
		item_reason(it, "more than one member claims to be leader");
		item_fix(it, "check etcd's logs and network between members");
	} else {
		it->status = HA_CHECK_PASS;
		item_reason(it, "%zu members healthy, leader '%s'", c->n_etcd, leader);
	}
}

static bool
load_state_loaded(const char *s)
{
	return s != NULL && (strcmp(s, "LoadStateLoaded") == 0 ||
	    strcmp(s, "LoadStateLoading") == 0);
}

/* Replicas of one loaded collection: at least 2, each with a live node, none
 * sharing a node with another, no shard without its leader. */
static void
check_collection(struct ha_report *r, const struct cluster *c,
    const struct collection_state *col)
{
	struct ha_item *it;
	const struct replica_state *rs;
	int64_t nrep = col->n_replicas, shared = 0;
	size_t i, j, k, l, seen = 0, empty = 0, dead = 0, orphans = 0;
	int64_t dead_id = 0;
	const char *orphan = NULL;
	char object[420];

	snprintf(object, sizeof object, "collection '%.200s.%.200s'",
	    col->db != NULL ? col->db : "default", col->name);
	it = item_add(r, HA_CHECK_FAIL, object, "2 or more replicas on distinct nodes",
	    "collection.%s.%s", col->db != NULL ? col->db : "default", col->name);
	for (i = 0; i < c->n_replicas; i++) {
		rs = &c->replicas[i];
		if (col->id == NULL || rs->collection_id == NULL ||
		    strcmp(rs->collection_id, col->id) != 0)
			continue;
		seen++;
		if (rs->n_rw == 0)
			empty++;
		else if (rs->n_healthy == 0 && dead++ == 0)
			dead_id = rs->replica_id;
		if (rs->n_orphan_shards > 0 && orphans++ == 0)
			orphan = rs->orphan_shards[0];
		/* A node in two replicas of one collection is one failure for both. */
		for (j = i + 1; j < c->n_replicas && shared == 0; j++) {
			const struct replica_state *o = &c->replicas[j];

			if (o->collection_id == NULL || strcmp(o->collection_id, col->id) != 0)
				continue;
			for (k = 0; k < rs->n_rw && shared == 0; k++) {
				for (l = 0; l < o->n_rw; l++) {
					if (rs->rw_nodes[k] == o->rw_nodes[l]) {
						shared = rs->rw_nodes[k];
						break;
					}
				}
			}
		}
	}
	if (nrep < 0 && seen > 0)
		nrep = (int64_t)seen;
	if (nrep < 0) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "replica count unknown%s%s",
		    c->src_replicas.error != NULL ? ": " : "",
		    c->src_replicas.error != NULL ? c->src_replicas.error : "");
		item_fix(it, "run milvusadm replicas %s", col->name);
		return;
	}
	if (nrep < 2) {
		item_reason(it, "%lld replica: losing its querynode makes it unsearchable "
		    "until it is loaded elsewhere", (long long)nrep);
		item_fix(it, "release it and load it again with 2 replicas "
		    "(replica_number=2; needs 2 or more querynodes)");
		return;
	}
	if (shared != 0) {
		item_reason(it, "node %lld serves two replicas", (long long)shared);
		item_fix(it, "add querynodes so each replica has its own nodes");
		return;
	}
	if (empty > 0 || dead > 0) {
		if (empty > 0)
			item_reason(it, "%zu of %lld replicas have no node", empty,
			    (long long)nrep);
		else
			item_reason(it, "replica %lld has no healthy node", (long long)dead_id);
		item_fix(it, "restart or replace the querynodes (milvusadm replicas %s)",
		    col->name);
		return;
	}
	if (orphans > 0) {
		item_reason(it, "shard '%s' has lost its leader node", orphan);
		item_fix(it, "wait for querycoord to reassign it, or restart the querynode "
		    "(milvusadm replicas %s)", col->name);
		return;
	}
	if (col->degraded) {
		it->status = HA_CHECK_WARN;
		item_reason(it, "%lld replicas, degraded: fewer healthy nodes than it had",
		    (long long)nrep);
		item_fix(it, "milvusadm replicas %s", col->name);
		return;
	}
	it->status = HA_CHECK_PASS;
	if (seen == 0)
		item_reason(it, "%lld replicas (placement not read)", (long long)nrep);
	else
		item_reason(it, "%lld replicas on distinct nodes", (long long)nrep);
}

static void
check_collections(struct ha_report *r, const struct cluster *c)
{
	struct ha_item *it;
	size_t i, loaded = 0;

	if (c->n_collections == 0 && c->src_proxy.error != NULL) {
		it = item_add(r, HA_CHECK_WARN, "collections",
		    "loaded collections have 2 or more replicas", "collections");
		item_reason(it, "collections unknown: %s", c->src_proxy.error);
		item_fix(it, "check milvus.uri (milvusadm collections)");
		return;
	}
	for (i = 0; i < c->n_collections; i++) {
		if (!load_state_loaded(c->collections[i].load_state))
			continue;
		loaded++;
		check_collection(r, c, &c->collections[i]);
	}
	if (loaded == 0) {
		it = item_add(r, HA_CHECK_PASS, "collections",
		    "loaded collections have 2 or more replicas", "collections");
		item_reason(it, "no loaded collection (%zu in all)", c->n_collections);
	}
}

static void
check_ttl(struct ha_report *r, const struct cluster *c)
{
	struct ha_item *it;
	int64_t ttl = c->session_ttl_s, def = ha_default_ttl(c->milvus_version);
	char ship[64] = "";

	if (def > 0)
		snprintf(ship, sizeof ship, "; %s ships %lld s", c->milvus_version,
		    (long long)def);
	it = item_add(r, HA_CHECK_WARN, "sessions",
	    "session TTL known and between 10 s and 30 s", "session.ttl");
	if (ttl < 0) {
		item_reason(it, "session TTL unknown: no session lease could be read%s%s",
		    c->src_sessions.error != NULL ? ": " : "",
		    c->src_sessions.error != NULL ? c->src_sessions.error : "");
		item_fix(it, "check etcd access (milvusadm topology shows lease TTLs)");
		return;
	}
	if (ttl > HA_TTL_MAX_S) {
		item_reason(it, "%lld s: a crashed coordinator is replaced only after up to "
		    "%lld s%s", (long long)ttl, (long long)ttl, ship);
		item_fix(it, "set common.session.ttl to %d", HA_TTL_TUNED_S);
		return;
	}
	if (ttl < HA_TTL_MIN_S) {
		item_reason(it, "%lld s: an etcd stall that long expires every lease and "
		    "fails over needlessly%s", (long long)ttl, ship);
		item_fix(it, "set common.session.ttl to %d", HA_TTL_TUNED_S);
		return;
	}
	it->status = HA_CHECK_PASS;
	item_reason(it, "%lld s: failover detection takes up to %lld s%s", (long long)ttl,
	    (long long)ttl, ship);
}

struct ha_report *
ha_check(const struct cluster *c)
{
	struct alerts *a = alerts_new();
	struct ha_report *r;

	alerts_update(a, c, NULL, 0);
	r = ha_check_alerts(c, a);
	alerts_free(a);
	return r;
}

struct ha_report *
ha_check_alerts(const struct cluster *c, const struct alerts *a)
{
	struct ha_report *r = xcalloc(1, sizeof *r);
	struct ha_item *it;
	int gen = cluster_generation(c);
	size_t i;

	if (cluster_standalone(c)) {
		it = item_add(r, HA_CHECK_FAIL, "deployment", "cluster mode (not standalone)",
		    "deploy.mode");
		item_reason(it, "standalone: one process hosts every role");
		item_fix(it, "deploy in cluster mode (Helm chart or operator) with standbys");
	}
	check_coords(r, c, a, gen);
	check_workers(r, c, gen);
	check_etcd(r, c, a);
	check_collections(r, c);
	check_ttl(r, c);
	for (i = 0; i < r->n_items; i++) {
		if (r->items[i].status == HA_CHECK_PASS)
			r->n_pass++;
		else if (r->items[i].status == HA_CHECK_WARN)
			r->n_warn++;
		else
			r->n_fail++;
	}
	return r;
}

void
ha_report_free(struct ha_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_items; i++) {
		free(r->items[i].id);
		free(r->items[i].object);
		free(r->items[i].title);
		free(r->items[i].reason);
		free(r->items[i].fix);
	}
	free(r->items);
	free(r);
}
