/* SPDX-License-Identifier: MIT */
/* The one alert model: conditions judged from struct cluster, each with the
 * cause in its message and a fix that names the object, and a first-seen
 * table keyed by kind and object that survives recomputation. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/xalloc.h"

/* Distinct worker roles counted for "N of M serve"; more are hostile input
 * and are counted as one role each time (still alerted, just less said). */
#define ALERTS_MAX_ROLES	32

struct seen {
	char *key;			/* kind "\037" object */
	int64_t ms;
};

struct alerts {
	struct alert *v;
	size_t n, cap;
	struct seen *seen;		/* sorted by key */
	size_t n_seen;
	/* during an update */
	int64_t now_ms;
};

static struct alert *
alert_add(struct alerts *a, enum alert_severity sev, const char *kind, const char *role,
    int64_t server_id)
{
	struct alert *al;

	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
	}
	al = &a->v[a->n++];
	memset(al, 0, sizeof *al);
	al->severity = sev;
	al->kind = kind;
	al->role = role != NULL ? xstrdup(role) : NULL;
	al->server_id = server_id;
	return al;
}

static void
alert_set(char **field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
alert_set(char **field, const char *fmt, ...)
{
	va_list ap;

	free(*field);
	va_start(ap, fmt);
	*field = xvasprintf(fmt, ap);
	va_end(ap);
}

static void
alert_clear(struct alert *al)
{
	free(al->object);
	free(al->role);
	free(al->message);
	free(al->fix);
}

static const char *
str_or(const char *s, const char *dflt)
{
	return s != NULL && *s != '\0' ? s : dflt;
}

/* "within 15 s" from the session TTL, or a vaguer word when unknown. */
static void
ttl_phrase(const struct cluster *c, char *out, size_t len)
{
	if (c->session_ttl_s > 0)
		snprintf(out, len, "within %lld s", (long long)c->session_ttl_s);
	else
		snprintf(out, len, "within the session TTL");
}

/* ---- components ---- */

static const char *
component_addr(const struct component *k)
{
	return str_or(k->s.address, "no address");
}

/* Why a probed component does not serve, or NULL when it does. */
static const char *
component_trouble(const struct component *k, char *buf, size_t len)
{
	if (k->s.stopping)
		return "is stopping (graceful stop)";
	switch (k->health) {
	case HEALTH_HEALTHY:
	case HEALTH_STANDBY:
		return NULL;
	case HEALTH_ABNORMAL:
		return "reports Abnormal";
	case HEALTH_INITIALIZING:
		return "is still initializing";
	case HEALTH_STOPPING:
		return "is stopping";
	case HEALTH_UNKNOWN:
		break;
	}
	if (k->health_ms == 0)
		return NULL;		/* not probed yet: nothing known */
	snprintf(buf, len, "is not answering (%s)", str_or(k->health_error, "no answer"));
	return buf;
}

static void
gone_alert(struct alerts *a, const struct cluster *c, const struct component *k,
    bool active)
{
	enum alert_severity sev = active ? ALERT_CRITICAL : ALERT_WARNING;
	const char *kind = active ? "active-gone" : "session-gone";
	const char *who = active ? "active " : "";
	struct alert *al = alert_add(a, sev, kind, k->role, k->server_id);
	char ttl[48];

	ttl_phrase(c, ttl, sizeof ttl);
	alert_set(&al->object, "%s %lld at %s", k->role, (long long)k->server_id,
	    component_addr(k));
	switch (k->gone) {
	case COMP_SUPERSEDED:
		alert_set(&al->message, "%s%s %lld at %s is gone: a newer %s session (%lld) "
		    "registered at its address", who, k->role, (long long)k->server_id,
		    component_addr(k), k->role, (long long)k->superseded_by);
		break;
	case COMP_FOREIGN:
		alert_set(&al->message, "%s%s %lld at %s is gone: its address answers as a "
		    "standby %s", who, k->role, (long long)k->server_id, component_addr(k),
		    k->role);
		break;
	default:
		alert_set(&al->message, "%s%s %lld at %s was stopped in place and its process "
		    "is still up (no %s in its /healthz)", who, k->role,
		    (long long)k->server_id, component_addr(k), k->role);
		if (active)
			alert_set(&al->fix, "restart the process of %s %lld (a stop leaves it "
			    "running without the role; its session blocks the standbys)",
			    k->role, (long long)k->server_id);
		else
			alert_set(&al->fix, "restart the process of %s %lld (a stop leaves it "
			    "running without the role)", k->role, (long long)k->server_id);
		return;
	}
	if (active && k->lease_id != 0)
		alert_set(&al->fix, "its lease expires %s and a standby takes over; to fail "
		    "over now revoke it: etcdctl lease revoke %llx", ttl,
		    (unsigned long long)k->lease_id);
	else if (active)
		alert_set(&al->fix, "its lease expires %s and a standby takes over", ttl);
	else
		alert_set(&al->fix, "nothing: its session expires %s", ttl);
}

static const char *
coord_config_key(const char *role)
{
	if (strcmp(role, "rootcoord") == 0)
		return "rootCoord.enableActiveStandby";
	if (strcmp(role, "querycoord") == 0)
		return "queryCoord.enableActiveStandby";
	if (strcmp(role, "datacoord") == 0)
		return "dataCoord.enableActiveStandby";
	if (strcmp(role, "mixcoord") == 0)
		return "mixCoord.enableActiveStandby (always on from 2.6.8)";
	return "enableActiveStandby";
}

/* Per coordinator role: an active that is there and alive, and a standby. */
static void
alerts_coords(struct alerts *a, const struct cluster *c, bool probed)
{
	char ttl[48], buf[320];
	size_t i;

	ttl_phrase(c, ttl, sizeof ttl);
	for (i = 0; i < c->n_leaders; i++) {
		const struct leader *l = &c->leaders[i];
		const struct component *k;
		const char *why;
		struct alert *al;

		/* indexcoord (2.3-2.5) lives in datacoord and follows its election:
		 * datacoord's alerts speak for it. */
		if (strcmp(l->role, "indexcoord") == 0)
			continue;
		if (l->active_id == 0) {
			al = alert_add(a, ALERT_CRITICAL, "no-active", l->role, 0);
			al->first_seen_ms = l->changed_ms;
			alert_set(&al->object, "%s", l->role);
			if (l->n_standby > 0) {
				alert_set(&al->message, "no active %s: %zu standby registered, "
				    "none has taken over", l->role, l->n_standby);
				alert_set(&al->fix, "a standby takes over %s of the old active's "
				    "end; if none does, read the standbys' logs (etcd access)",
				    ttl);
			} else {
				alert_set(&al->message, "no active %s: no %s session is "
				    "registered", l->role, l->role);
				alert_set(&al->fix, "start %s: its process is down or cannot "
				    "reach etcd", l->role);
			}
			continue;
		}
		k = cluster_active(c, l->role);
		if (k != NULL && k->gone != COMP_PRESENT)
			gone_alert(a, c, k, true);
		else if (k != NULL && probed && (why = component_trouble(k, buf, sizeof buf))) {
			al = alert_add(a, ALERT_CRITICAL, "active-unhealthy", k->role, k->server_id);
			alert_set(&al->object, "%s %lld at %s", k->role, (long long)k->server_id,
			    component_addr(k));
			alert_set(&al->message, "active %s %lld at %s %s", k->role,
			    (long long)k->server_id, component_addr(k), why);
			alert_set(&al->fix, "look at %s %lld's log; restarting it hands over to "
			    "a standby", k->role, (long long)k->server_id);
		}
		if (!l->active_standby || l->n_standby == 0) {
			al = alert_add(a, ALERT_WARNING, "no-standby", l->role, 0);
			alert_set(&al->object, "%s", l->role);
			alert_set(&al->message, "%s has no standby", l->role);
			if (!l->active_standby)
				alert_set(&al->fix, "set %s=true and run 3 %s instances: a crash "
				    "of %s %lld stops it until it is restarted",
				    coord_config_key(l->role), l->role, l->role,
				    (long long)l->active_id);
			else
				alert_set(&al->fix, "start another %s (3 recommended): a crash of "
				    "%s %lld at %s stops it until it is restarted", l->role,
				    l->role, (long long)l->active_id,
				    str_or(l->active_address, "?"));
		}
	}
}

struct role_count {
	const char *role;
	size_t total, serving;
};

static struct role_count *
role_count_find(struct role_count *rc, size_t *n, const char *role)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp(rc[i].role, role) == 0)
			return &rc[i];
	}
	if (*n == ALERTS_MAX_ROLES)
		return NULL;
	rc[*n].role = role;
	rc[*n].total = rc[*n].serving = 0;
	return &rc[(*n)++];
}

/* Standbys and workers: gone sessions, and instances that do not serve, with
 * how many of their role still do. */
static void
alerts_instances(struct alerts *a, const struct cluster *c, bool probed)
{
	struct role_count rc[ALERTS_MAX_ROLES], *r;
	size_t i, nrc = 0;
	char buf[320];

	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];

		if (k->ha == HA_ACTIVE || (r = role_count_find(rc, &nrc, k->role)) == NULL)
			continue;
		r->total++;
		r->serving += k->gone == COMP_PRESENT &&
		    component_trouble(k, buf, sizeof buf) == NULL;
	}
	for (i = 0; i < c->n_components; i++) {
		const struct component *k = &c->components[i];
		bool standby = k->ha == HA_STANDBY;
		const char *why, *kind;
		struct alert *al;

		if (k->ha == HA_ACTIVE)
			continue;
		/* A coordinator without active-standby is the role's only
		 * instance: alerts_coords judged it as the active. */
		if (k->ha == HA_NONE && cluster_leader(c, k->role) != NULL &&
		    cluster_leader(c, k->role)->active_id == k->server_id)
			continue;
		if (k->gone != COMP_PRESENT) {
			gone_alert(a, c, k, false);
			continue;
		}
		if (!probed || (why = component_trouble(k, buf, sizeof buf)) == NULL)
			continue;
		r = role_count_find(rc, &nrc, k->role);
		kind = standby ? "standby-unhealthy" : strcmp(k->role, "proxy") == 0 ?
		    "proxy-down" : "worker-down";
		al = alert_add(a, k->s.stopping ? ALERT_INFO : r != NULL && r->serving == 0 &&
		    !standby ? ALERT_CRITICAL : ALERT_WARNING, kind, k->role, k->server_id);
		alert_set(&al->object, "%s %lld at %s", k->role, (long long)k->server_id,
		    component_addr(k));
		alert_set(&al->message, "%s%s %lld at %s %s", standby ? "standby " : "",
		    k->role, (long long)k->server_id, component_addr(k), why);
		if (k->s.stopping)
			alert_set(&al->fix, "nothing if it was stopped on purpose; its session "
			    "goes when it has stopped");
		else if (standby)
			alert_set(&al->fix, "restart %s %lld: it cannot take over as it is",
			    k->role, (long long)k->server_id);
		else if (r != NULL)
			alert_set(&al->fix, "restart %s %lld (%zu of %zu %s instances serve)",
			    k->role, (long long)k->server_id, r->serving, r->total, k->role);
		else
			alert_set(&al->fix, "restart %s %lld", k->role, (long long)k->server_id);
	}
}

/* ---- etcd ---- */

static void
alerts_etcd(struct alerts *a, const struct cluster *c)
{
	size_t i, j, up = 0, leaders = 0;
	struct alert *al;

	if (c->src_etcd.error != NULL) {
		al = alert_add(a, ALERT_WARNING, "etcd-unknown", NULL, 0);
		al->first_seen_ms = c->src_etcd.failing_since_ms;
		alert_set(&al->object, "etcd");
		alert_set(&al->message, "etcd status unknown: %s", c->src_etcd.error);
		alert_set(&al->fix, "check the profile's etcd endpoints (milvusadm etcd)");
		return;
	}
	for (i = 0; i < c->n_etcd; i++) {
		up += c->etcd[i].reachable;
		leaders += c->etcd[i].reachable && c->etcd[i].is_leader;
	}
	for (i = 0; i < c->n_etcd; i++) {
		const struct etcd_member_state *m = &c->etcd[i];
		const char *name = str_or(m->name, str_or(m->client_url, "?"));

		if (!m->reachable) {
			al = alert_add(a, ALERT_CRITICAL, "etcd-member-down", NULL, 0);
			alert_set(&al->object, "etcd member '%s'", name);
			alert_set(&al->message, "etcd member '%s' (%s) is unreachable%s%s", name,
			    str_or(m->client_url, "no client URL"), m->error != NULL ? ": " : "",
			    m->error != NULL ? m->error : "");
			alert_set(&al->fix, "bring member '%s' back or replace it (%zu of %zu up: "
			    "quorum %s)", name, up, c->n_etcd, 2 * up > c->n_etcd ? "kept" :
			    "lost");
			continue;
		}
		for (j = 0; j < m->n_alarms; j++) {
			bool nospace = strcmp(m->alarms[j], "NOSPACE") == 0;

			al = alert_add(a, ALERT_CRITICAL, "etcd-alarm", NULL, 0);
			alert_set(&al->object, "etcd member '%s' %s", name, m->alarms[j]);
			alert_set(&al->message, "etcd member '%s' raised alarm %s%s", name,
			    m->alarms[j], nospace ? ": writes are refused" : "");
			alert_set(&al->fix, nospace ? "compact and defrag etcd, then "
			    "'etcdctl alarm disarm'" : "replace member '%s' (its data cannot be "
			    "trusted), then 'etcdctl alarm disarm'", name);
		}
	}
	if (c->n_etcd > 0 && up > 0 && leaders == 0) {
		al = alert_add(a, ALERT_CRITICAL, "etcd-no-leader", NULL, 0);
		alert_set(&al->object, "etcd");
		alert_set(&al->message, "etcd has no leader (%zu of %zu members up)", up,
		    c->n_etcd);
		alert_set(&al->fix, "check the network between the members and their logs");
	}
}

/* ---- collections ---- */

static int
comp_id_cmp(const void *a, const void *b)
{
	const struct component *x = *(const struct component *const *)a;
	const struct component *y = *(const struct component *const *)b;

	return x->server_id < y->server_id ? -1 : x->server_id > y->server_id;
}

/* The query node serving node id (querynode, or a 2.6 streamingnode). */
static const struct component *
node_find(struct component *const *byid, size_t n, int64_t id)
{
	size_t lo = 0, hi = n, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (byid[mid]->server_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && byid[i]->server_id == id; i++) {
		if (strcmp(byid[i]->role, "querynode") == 0)
			return byid[i];
	}
	return lo < n && byid[lo]->server_id == id ? byid[lo] : NULL;
}

/* The first node of collection cs's replicas that does not serve, said. */
static void
degraded_fix(struct alert *al, const struct cluster *c, const struct collection_state *cs,
    struct component *const *byid, size_t nbyid)
{
	size_t i, j;

	for (i = 0; i < c->n_replicas; i++) {
		const struct replica_state *r = &c->replicas[i];

		if (r->collection_id == NULL || strcmp(r->collection_id, cs->id) != 0)
			continue;
		char rname[300];

		/* Read from REST v2 resource groups, a row has no replica ID. */
		if (r->replica_id >= 0)
			snprintf(rname, sizeof rname, "replica %lld", (long long)r->replica_id);
		else
			snprintf(rname, sizeof rname, "resource group '%s'",
			    str_or(r->resource_group, "?"));
		for (j = 0; j < r->n_rw; j++) {
			const struct component *k = node_find(byid, nbyid, r->rw_nodes[j]);
			char buf[320];

			if (k == NULL) {
				alert_set(&al->fix, "node %lld of %s has no session: "
				    "querycoord moves its segments; if it stays, load '%s.%s' "
				    "again (milvusadm replicas %s.%s)", (long long)r->rw_nodes[j],
				    rname, cs->db, cs->name, cs->db, cs->name);
				return;
			}
			if (k->gone != COMP_PRESENT || component_trouble(k, buf, sizeof buf)) {
				alert_set(&al->fix, "%s %lld at %s (%s) does not serve: "
				    "restart it (milvusadm replicas %s.%s)", k->role,
				    (long long)k->server_id, component_addr(k), rname, cs->db,
				    cs->name);
				return;
			}
		}
	}
	alert_set(&al->fix, "milvusadm replicas %s.%s shows which node", cs->db, cs->name);
}

static void
alerts_collections(struct alerts *a, const struct cluster *c)
{
	struct component **byid;
	struct alert *al;
	size_t i, j, n = 0;

	if (c->src_proxy.error != NULL) {
		al = alert_add(a, ALERT_WARNING, "collections-unknown", NULL, 0);
		al->first_seen_ms = c->src_proxy.failing_since_ms;
		alert_set(&al->object, "collections");
		alert_set(&al->message, "collections unknown: %s", c->src_proxy.error);
		alert_set(&al->fix, "check milvus.uri and the proxies (milvusadm collections)");
	} else if (c->src_replicas.error != NULL) {
		al = alert_add(a, ALERT_WARNING, "replicas-unknown", NULL, 0);
		al->first_seen_ms = c->src_replicas.failing_since_ms;
		alert_set(&al->object, "replicas");
		alert_set(&al->message, "replicas unknown: %s", c->src_replicas.error);
		alert_set(&al->fix, "check the proxies' port 9091 (milvusadm replicas)");
	}
	byid = xcalloc(c->n_components + 1, sizeof *byid);
	for (i = 0; i < c->n_components; i++)
		byid[n++] = &c->components[i];
	if (n > 1)
		qsort(byid, n, sizeof *byid, comp_id_cmp);
	for (i = 0; i < c->n_collections; i++) {
		const struct collection_state *cs = &c->collections[i];
		int64_t serving = 0, nrep = 0;

		if (cs->load_state == NULL || strcmp(cs->load_state, "LoadStateNotLoad") == 0)
			continue;
		if (strcmp(cs->load_state, "LoadStateLoading") == 0) {
			al = alert_add(a, ALERT_INFO, "collection-loading", NULL, 0);
			alert_set(&al->object, "collection '%s.%s'", cs->db, cs->name);
			alert_set(&al->message, "collection '%s.%s' is loading (%lld%%)", cs->db,
			    cs->name, (long long)cs->load_progress);
		}
		if (!cs->degraded || cs->id == NULL)
			continue;
		for (j = 0; j < c->n_replicas; j++) {
			const struct replica_state *r = &c->replicas[j];

			if (r->collection_id == NULL || strcmp(r->collection_id, cs->id) != 0)
				continue;
			nrep++;
			serving += r->n_healthy > 0;
		}
		al = alert_add(a, nrep > 0 && serving == 0 ? ALERT_CRITICAL : ALERT_WARNING,
		    "replica-degraded", NULL, 0);
		alert_set(&al->object, "collection '%s.%s'", cs->db, cs->name);
		alert_set(&al->message, "collection '%s.%s' has a degraded replica (%lld of "
		    "%lld replicas serve)", cs->db, cs->name, (long long)serving,
		    (long long)nrep);
		degraded_fix(al, c, cs, byid, n);
	}
	free(byid);
	for (i = 0; i < c->n_replicas; i++) {
		const struct replica_state *r = &c->replicas[i];
		const struct collection_state *cs = NULL;
		char name[300];

		if (r->n_orphan_shards == 0)
			continue;
		/* Rare (a shard loses its leader for seconds): a scan per replica. */
		for (j = 0; j < c->n_collections && cs == NULL; j++) {
			if (c->collections[j].id != NULL && r->collection_id != NULL &&
			    strcmp(c->collections[j].id, r->collection_id) == 0)
				cs = &c->collections[j];
		}
		if (cs != NULL)
			snprintf(name, sizeof name, "'%s.%s'", str_or(cs->db, "default"),
			    str_or(cs->name, "?"));
		else
			snprintf(name, sizeof name, "%s", str_or(r->collection_id, "?"));
		al = alert_add(a, ALERT_CRITICAL, "shard-no-leader", NULL, 0);
		alert_set(&al->object, "replica %lld", (long long)r->replica_id);
		alert_set(&al->message, "collection %s, replica %lld: shard '%s' has no "
		    "leader%s", name, (long long)r->replica_id, r->orphan_shards[0],
		    r->n_orphan_shards > 1 ? " (and more)" : "");
		alert_set(&al->fix, "querycoord reassigns it within seconds; if it stays, "
		    "restart the replica's querynodes (milvusadm replicas)");
	}
}

/* ---- sources and backups ---- */

/* One per unreadable session key (each keeps its own first-seen time), up to
 * ALERTS_MAX_UNPARSABLE, then one for the rest: a flood of bad keys must not
 * bury the other alerts. Raw key text: whoever prints it escapes it. */
#define ALERTS_MAX_UNPARSABLE	16

static void
alerts_unparsable(struct alerts *a, const struct cluster *c)
{
	struct alert *al;
	size_t i, more;

	for (i = 0; i < c->n_unparsable && i < ALERTS_MAX_UNPARSABLE; i++) {
		al = alert_add(a, ALERT_WARNING, "session-unparsable", NULL, 0);
		alert_set(&al->object, "session key '%s'", c->unparsable[i].key);
		alert_set(&al->message, "session key '%s' cannot be read: %s",
		    c->unparsable[i].key, c->unparsable[i].reason);
		alert_set(&al->fix, "see what wrote it (etcdctl get '%s'); a Milvus "
		    "component writes its own session again when it restarts",
		    c->unparsable[i].key);
	}
	more = c->n_unparsable - i + c->unparsable_more;
	if (more == 0)
		return;
	al = alert_add(a, ALERT_WARNING, "session-unparsable", NULL, 0);
	alert_set(&al->object, "session keys");
	alert_set(&al->message, "%zu more session keys cannot be read", more);
}

static void
alerts_sources(struct alerts *a, const struct cluster *c)
{
	struct alert *al;

	if (c->src_sessions.error != NULL) {
		al = alert_add(a, ALERT_CRITICAL, "sessions-unknown", NULL, 0);
		al->first_seen_ms = c->src_sessions.failing_since_ms;
		alert_set(&al->object, "sessions");
		alert_set(&al->message, "sessions unknown: %s", c->src_sessions.error);
		alert_set(&al->fix, "check the profile's etcd endpoints and credentials");
	} else if (c->sessions_dropped > 0) {
		al = alert_add(a, ALERT_WARNING, "sessions-truncated", NULL, 0);
		alert_set(&al->object, "sessions");
		alert_set(&al->message, "%s", str_or(c->src_sessions.note,
		    "some session keys are not in the model"));
	}
	alerts_unparsable(a, c);
	if (c->src_health.error != NULL) {
		al = alert_add(a, ALERT_WARNING, "health-unknown", NULL, 0);
		al->first_seen_ms = c->src_health.failing_since_ms;
		alert_set(&al->object, "health");
		alert_set(&al->message, "health unknown: %s", c->src_health.error);
		alert_set(&al->fix, "check that port %s of the components is reachable from "
		    "here", "9091 (milvus.metrics_port)");
	}
}

static void
alerts_rpo(struct alerts *a, const struct alert_rpo *rpo)
{
	struct alert *al;

	if (!rpo->breached && !rpo->unknown)
		return;
	al = alert_add(a, ALERT_WARNING, rpo->breached ? "rpo-breached" : "rpo-unknown",
	    NULL, 0);
	alert_set(&al->object, "backups");
	alert_set(&al->message, "%s", str_or(rpo->line, rpo->breached ? "RPO target missed" :
	    "RPO unknown"));
	alert_set(&al->fix, rpo->breached ? "take a backup: milvusadm backup create --wait "
	    "(see rpo)" : "check the backup server (backup.url) and the proxies");
}

/* ---- the list and its first-seen table ---- */

struct order {
	struct alert *al;
	char *key;
	size_t pos;
};

static int
order_key_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r != 0 ? r : x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
order_sev_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->al->severity != y->al->severity)
		return x->al->severity < y->al->severity ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
seen_cmp(const struct seen *s, const char *key)
{
	return strcmp(s->key, key);
}

/* Give each alert its first-seen time from the old table (a merge of two
 * sorted lists), make the new table, and order the list by severity. */
static void
alerts_settle(struct alerts *a)
{
	struct order *o = xcalloc(a->n + 1, sizeof *o);
	struct seen *ns = xcalloc(a->n + 1, sizeof *ns);
	struct alert *v = xcalloc(a->n + 1, sizeof *v);
	size_t i, k = 0, nn = 0;
	int r = 1;	/* set whenever k < n_seen is seen true (gcc cannot tell) */

	for (i = 0; i < a->n; i++) {
		o[i].al = &a->v[i];
		o[i].pos = i;
		o[i].key = xasprintf("%s\037%s", a->v[i].kind, str_or(a->v[i].object, ""));
	}
	qsort(o, a->n, sizeof *o, order_key_cmp);
	for (i = 0; i < a->n; i++) {
		struct alert *al = o[i].al;

		while (k < a->n_seen && (r = seen_cmp(&a->seen[k], o[i].key)) < 0)
			k++;
		if (k < a->n_seen && r == 0)
			al->first_seen_ms = a->seen[k].ms;
		else if (al->first_seen_ms <= 0 || al->first_seen_ms > a->now_ms)
			al->first_seen_ms = a->now_ms;
		if (nn > 0 && strcmp(ns[nn - 1].key, o[i].key) == 0) {
			free(o[i].key);
			continue;
		}
		ns[nn].key = o[i].key;
		ns[nn++].ms = al->first_seen_ms;
	}
	for (i = 0; i < a->n_seen; i++)
		free(a->seen[i].key);
	free(a->seen);
	a->seen = ns;
	a->n_seen = nn;
	qsort(o, a->n, sizeof *o, order_sev_cmp);
	for (i = 0; i < a->n; i++)
		v[i] = *o[i].al;
	free(a->v);
	a->v = v;
	a->cap = a->n + 1;
	free(o);
}

struct alerts *
alerts_new(void)
{
	return xcalloc(1, sizeof(struct alerts));
}

static void
alerts_clear(struct alerts *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		alert_clear(&a->v[i]);
	a->n = 0;
}

void
alerts_free(struct alerts *a)
{
	size_t i;

	if (a == NULL)
		return;
	alerts_clear(a);
	free(a->v);
	for (i = 0; i < a->n_seen; i++)
		free(a->seen[i].key);
	free(a->seen);
	free(a);
}

void
alerts_update(struct alerts *a, const struct cluster *c, const struct alert_rpo *rpo,
    int64_t now_ms)
{
	/* Per-component health is judged only while the sweep answers; when it
	 * fails as a whole, one health-unknown alert says so instead. */
	bool probed = c->src_health.updated_ms != 0 && c->src_health.error == NULL;

	alerts_clear(a);
	a->now_ms = now_ms;
	alerts_sources(a, c);
	alerts_coords(a, c, probed);
	alerts_instances(a, c, probed);
	alerts_etcd(a, c);
	alerts_collections(a, c);
	if (rpo != NULL)
		alerts_rpo(a, rpo);
	alerts_settle(a);
}

size_t
alerts_count(const struct alerts *a)
{
	return a->n;
}

const struct alert *
alerts_get(const struct alerts *a, size_t i)
{
	return i < a->n ? &a->v[i] : NULL;
}

size_t
alerts_count_severity(const struct alerts *a, enum alert_severity s)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += a->v[i].severity == s;
	return n;
}

const struct alert *
alerts_find(const struct alerts *a, const char *kind, const char *role)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].kind, kind) == 0 && (role == NULL ||
		    (a->v[i].role != NULL && strcmp(a->v[i].role, role) == 0)))
			return &a->v[i];
	}
	return NULL;
}

const char *
alert_severity_name(enum alert_severity s)
{
	switch (s) {
	case ALERT_CRITICAL:
		return "critical";
	case ALERT_WARNING:
		return "warning";
	case ALERT_INFO:
		return "info";
	}
	return "unknown";
}
