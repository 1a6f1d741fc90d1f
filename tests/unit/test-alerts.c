/* SPDX-License-Identifier: MIT */
/* Unit tests for the alert model: each kind from a constructed cluster, its
 * wording naming the cause, first-seen times kept across recomputation and
 * dropped when the condition goes, a dead active found by address reuse, and
 * `ha check` reading the same list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/ha.h"
#include "milvusadm/xalloc.h"

static void
put(struct cluster *c, const char *key, const char *role, int64_t id, const char *addr,
    bool excl, int64_t rev)
{
	struct session_key k;
	char err[256], *json;

	json = xasprintf("{\"ServerID\":%lld,\"ServerName\":\"%s\",\"Address\":\"%s\","
	    "%s\"TriggerKill\":true,\"Version\":\"2.5.16\",\"LeaseID\":%lld,"
	    "\"HostName\":\"%s-%lld\"}", (long long)id, role, addr,
	    excl ? "\"Exclusive\":true," : "", (long long)(1000 + id), role, (long long)id);
	memset(&k, 0, sizeof k);
	ck_assert_int_eq(session_parse(key, json, strlen(json), &k.s, err, sizeof err), 1);
	free(json);
	k.create_revision = rev;
	k.mod_revision = rev;
	k.lease = 1000 + id;
	cluster_session_put(c, &k);
}

static size_t
idx(const struct cluster *c, const char *role, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n_components; i++) {
		if (c->components[i].server_id == id && strcmp(c->components[i].role, role) == 0)
			return i;
	}
	ck_abort_msg("no %s %lld", role, (long long)id);
	return 0;
}

/* Every component healthy (standbys StandBy), every source answered. */
static void
all_healthy(struct cluster *c, int64_t now)
{
	size_t i;

	for (i = 0; i < c->n_components; i++)
		cluster_set_health(c, i, c->components[i].ha == HA_STANDBY ? HEALTH_STANDBY :
		    HEALTH_HEALTHY, NULL, now);
	source_ok(&c->src_health, now);
}

/* A 2.5 cluster: 2 instances of each coordinator, 2 proxies, 2 querynodes,
 * 3 etcd members, one collection with 2 replicas. */
static struct cluster *
lab(void)
{
	struct cluster *c = cluster_new("by-dev");
	struct etcd_member_state *m;
	struct replica_state *r;
	size_t i;

	put(c, "by-dev/meta/session/rootcoord-1", "rootcoord", 1, "10.0.0.1:53100", true, 4);
	put(c, "by-dev/meta/session/rootcoord-2", "rootcoord", 2, "10.0.0.2:53100", true, 8);
	put(c, "by-dev/meta/session/rootcoord", "rootcoord", 1, "10.0.0.1:53100", true, 7);
	put(c, "by-dev/meta/session/datacoord-5", "datacoord", 5, "10.0.0.5:13333", true, 15);
	put(c, "by-dev/meta/session/datacoord-7", "datacoord", 7, "10.0.0.7:13333", true, 21);
	put(c, "by-dev/meta/session/datacoord", "datacoord", 5, "10.0.0.5:13333", true, 18);
	put(c, "by-dev/meta/session/querycoord-10", "querycoord", 10, "10.0.0.10:19531", true, 27);
	put(c, "by-dev/meta/session/querycoord-11", "querycoord", 11, "10.0.0.11:19531", true, 31);
	put(c, "by-dev/meta/session/querycoord", "querycoord", 10, "10.0.0.10:19531", true, 29);
	put(c, "by-dev/meta/session/proxy-12", "proxy", 12, "10.0.0.12:19529", false, 33);
	put(c, "by-dev/meta/session/proxy-13", "proxy", 13, "10.0.0.13:19529", false, 34);
	put(c, "by-dev/meta/session/querynode-21", "querynode", 21, "10.0.0.21:21123", false, 35);
	put(c, "by-dev/meta/session/querynode-22", "querynode", 22, "10.0.0.22:21123", false, 36);
	cluster_sessions_commit(c, 40, 1000);
	c->session_ttl_s = 10;
	all_healthy(c, 1000);

	m = xcalloc(3, sizeof *m);
	for (i = 0; i < 3; i++) {
		m[i].id = 100 + i;
		m[i].name = xasprintf("etcd-%zu", i + 1);
		m[i].client_url = xasprintf("http://10.0.1.%zu:2379", i + 1);
		m[i].reachable = true;
		m[i].is_leader = i == 0;
	}
	cluster_set_etcd(c, m, 3, 1000);
	source_ok(&c->src_etcd, 1000);

	c->collections = xcalloc(1, sizeof *c->collections);
	c->n_collections = 1;
	c->collections[0].db = xstrdup("default");
	c->collections[0].name = xstrdup("docs");
	c->collections[0].id = xstrdup("4501");
	c->collections[0].load_state = xstrdup("LoadStateLoaded");
	c->collections[0].n_replicas = 2;
	c->replicas = xcalloc(2, sizeof *c->replicas);
	c->n_replicas = 2;
	for (i = 0; i < 2; i++) {
		r = &c->replicas[i];
		r->replica_id = (int64_t)i + 1;
		r->collection_id = xstrdup("4501");
		r->rw_nodes = xcalloc(1, sizeof *r->rw_nodes);
		r->rw_nodes[0] = 21 + (int64_t)i;
		r->n_rw = 1;
		r->n_healthy = 1;
	}
	source_ok(&c->src_proxy, 1000);
	source_ok(&c->src_replicas, 1000);
	return c;
}

/* The alert of kind (about role when not NULL), failing the test when absent. */
static const struct alert *
must(const struct alerts *a, const char *kind, const char *role)
{
	const struct alert *al = alerts_find(a, kind, role);
	size_t i;

	if (al == NULL) {
		for (i = 0; i < alerts_count(a); i++)
			fprintf(stderr, "# have %s: %s\n", alerts_get(a, i)->kind,
			    alerts_get(a, i)->message);
		ck_abort_msg("no '%s' alert", kind);
	}
	ck_assert_ptr_nonnull(al->message);
	ck_assert_ptr_nonnull(al->object);
	return al;
}

static struct alerts *
compute(const struct cluster *c, int64_t now)
{
	struct alerts *a = alerts_new();

	alerts_update(a, c, NULL, now);
	return a;
}

START_TEST(test_healthy_has_none)
{
	struct cluster *c = lab();
	struct alerts *a = compute(c, 2000);
	size_t i;

	for (i = 0; i < alerts_count(a); i++)
		fprintf(stderr, "# %s: %s\n", alerts_get(a, i)->kind, alerts_get(a, i)->message);
	ck_assert_uint_eq(alerts_count(a), 0);
	alerts_free(a);
	cluster_free(c);
}
END_TEST

START_TEST(test_coordinators)
{
	struct cluster *c = lab();
	const struct alert *al;
	struct alerts *a;

	/* The active key goes (lease expired), the standbys have not taken over. */
	cluster_session_delete(c, "rootcoord");
	/* querycoord's only standby leaves. */
	cluster_session_delete(c, "querycoord-11");
	cluster_sessions_commit(c, 50, 3000);
	a = compute(c, 3000);
	al = must(a, "no-active", "rootcoord");
	ck_assert_int_eq(al->severity, ALERT_CRITICAL);
	ck_assert_str_eq(al->object, "rootcoord");
	ck_assert_ptr_nonnull(strstr(al->message, "no active rootcoord"));
	ck_assert_ptr_nonnull(strstr(al->message, "2 standby"));
	al = must(a, "no-standby", "querycoord");
	ck_assert_int_eq(al->severity, ALERT_WARNING);
	ck_assert_str_eq(al->message, "querycoord has no standby");
	/* The fix names the one instance at risk, not a generic rule. */
	ck_assert_ptr_nonnull(strstr(al->fix, "querycoord 10 at 10.0.0.10:19531"));
	/* Critical first. */
	ck_assert_int_eq(alerts_get(a, 0)->severity, ALERT_CRITICAL);
	ck_assert_ptr_null(alerts_find(a, "no-standby", "datacoord"));
	alerts_free(a);

	/* The active answers Abnormal. */
	cluster_set_health(c, idx(c, "datacoord", 5), HEALTH_ABNORMAL, NULL, 3000);
	a = compute(c, 3000);
	al = must(a, "active-unhealthy", "datacoord");
	ck_assert_str_eq(al->message, "active datacoord 5 at 10.0.0.5:13333 reports Abnormal");
	alerts_free(a);
	cluster_free(c);
}
END_TEST

/* A restarted process registers again at its old address while its old
 * session waits for its lease: the old active is gone at once. */
START_TEST(test_dead_active_by_address_reuse)
{
	struct cluster *c = lab();
	const struct component *k;
	const struct alert *al;
	struct ha_report *r;
	struct alerts *a;
	size_t i;

	put(c, "by-dev/meta/session/rootcoord-30", "rootcoord", 30, "10.0.0.1:53100", true, 60);
	cluster_sessions_commit(c, 60, 4000);
	k = cluster_find(c, "rootcoord", 1);
	ck_assert_int_eq(k->ha, HA_ACTIVE);
	ck_assert_int_eq(k->gone, COMP_SUPERSEDED);
	ck_assert_int_eq(k->superseded_by, 30);
	/* Never shown healthy, even before a health sweep. */
	ck_assert_int_eq(k->health, HEALTH_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(k->health_error, "newer rootcoord session (30)"));
	ck_assert_int_eq(cluster_find(c, "rootcoord", 30)->gone, COMP_PRESENT);
	ck_assert_int_eq(cluster_find(c, "rootcoord", 2)->gone, COMP_PRESENT);
	a = compute(c, 4000);
	al = must(a, "active-gone", "rootcoord");
	ck_assert_int_eq(al->severity, ALERT_CRITICAL);
	ck_assert_int_eq(al->server_id, 1);
	ck_assert_str_eq(al->object, "rootcoord 1 at 10.0.0.1:53100");
	ck_assert_str_eq(al->message, "active rootcoord 1 at 10.0.0.1:53100 is gone: a newer "
	    "rootcoord session (30) registered at its address");
	ck_assert_ptr_nonnull(strstr(al->fix, "within 10 s"));
	ck_assert_ptr_nonnull(strstr(al->fix, "etcdctl lease revoke 3e9"));
	/* ha check reads the same list. */
	r = ha_check_alerts(c, a);
	for (i = 0; i < r->n_items && strcmp(r->items[i].id, "coord.rootcoord") != 0; i++)
		;
	ck_assert_uint_lt(i, r->n_items);
	ck_assert_int_eq(r->items[i].status, HA_CHECK_FAIL);
	ck_assert_str_eq(r->items[i].reason, al->message);
	ha_report_free(r);
	alerts_free(a);

	/* A worker at a reused address: its old session is a warning. */
	put(c, "by-dev/meta/session/querynode-40", "querynode", 40, "10.0.0.21:21123", false, 70);
	cluster_sessions_commit(c, 70, 5000);
	a = compute(c, 5000);
	al = must(a, "session-gone", "querynode");
	ck_assert_int_eq(al->severity, ALERT_WARNING);
	ck_assert_int_eq(al->server_id, 21);
	alerts_free(a);

	/* The newer session goes: the old one is believed again. */
	cluster_session_delete(c, "rootcoord-30");
	cluster_sessions_commit(c, 80, 6000);
	ck_assert_int_eq(cluster_find(c, "rootcoord", 1)->gone, COMP_PRESENT);
	cluster_free(c);
}
END_TEST

/* Roles of one process at one address (standalone, a streamingnode's embedded
 * querynode) are not newer sessions of each other. */
START_TEST(test_same_server_not_superseded)
{
	struct cluster *c = cluster_new("by-dev");

	put(c, "by-dev/meta/session/rootcoord", "rootcoord", 3, "10.0.0.1:53100", false, 5);
	put(c, "by-dev/meta/session/datacoord", "datacoord", 3, "10.0.0.1:53100", false, 6);
	cluster_sessions_commit(c, 10, 1000);
	ck_assert_int_eq(cluster_find(c, "rootcoord", 3)->gone, COMP_PRESENT);
	ck_assert_int_eq(cluster_find(c, "datacoord", 3)->gone, COMP_PRESENT);
	cluster_free(c);
}
END_TEST

START_TEST(test_stopped_in_place)
{
	struct cluster *c = lab();
	const struct alert *al;
	struct alerts *a;

	c->components[idx(c, "datacoord", 5)].gone = COMP_ROLE_STOPPED;
	c->components[idx(c, "querynode", 22)].gone = COMP_ROLE_STOPPED;
	a = compute(c, 2000);
	al = must(a, "active-gone", "datacoord");
	ck_assert_str_eq(al->message, "active datacoord 5 at 10.0.0.5:13333 was stopped in "
	    "place and its process is still up (no datacoord in its /healthz)");
	ck_assert_ptr_nonnull(strstr(al->fix, "restart the process of datacoord 5"));
	al = must(a, "session-gone", "querynode");
	ck_assert_int_eq(al->server_id, 22);
	alerts_free(a);
	/* It is carried across a rebuild of the components. */
	put(c, "by-dev/meta/session/querynode-23", "querynode", 23, "10.0.0.23:21123", false, 90);
	cluster_sessions_commit(c, 90, 3000);
	ck_assert_int_eq(cluster_find(c, "querynode", 22)->gone, COMP_ROLE_STOPPED);
	cluster_free(c);
}
END_TEST

START_TEST(test_workers)
{
	struct cluster *c = lab();
	const struct alert *al;
	struct alerts *a;

	cluster_set_health(c, idx(c, "proxy", 12), HEALTH_UNKNOWN, "connection refused", 2000);
	cluster_set_health(c, idx(c, "querynode", 21), HEALTH_ABNORMAL, NULL, 2000);
	a = compute(c, 2000);
	al = must(a, "proxy-down", "proxy");
	ck_assert_int_eq(al->severity, ALERT_WARNING);
	ck_assert_str_eq(al->message, "proxy 12 at 10.0.0.12:19529 is not answering "
	    "(connection refused)");
	/* The real cause and the count deployed, not "run 2 proxies". */
	ck_assert_str_eq(al->fix, "restart proxy 12 (1 of 2 proxy instances serve)");
	al = must(a, "worker-down", "querynode");
	ck_assert_str_eq(al->message, "querynode 21 at 10.0.0.21:21123 reports Abnormal");
	alerts_free(a);

	/* No proxy serves: critical. */
	cluster_set_health(c, idx(c, "proxy", 13), HEALTH_UNKNOWN, "timeout", 2000);
	a = compute(c, 2000);
	ck_assert_int_eq(must(a, "proxy-down", "proxy")->severity, ALERT_CRITICAL);
	ck_assert_uint_eq(alerts_count_severity(a, ALERT_CRITICAL), 2);
	alerts_free(a);

	/* The sweep failing as a whole is one alert, not one per component. */
	source_fail(&c->src_health, 3000, "no component answered /healthz");
	a = compute(c, 3000);
	must(a, "health-unknown", NULL);
	ck_assert_ptr_null(alerts_find(a, "proxy-down", NULL));
	alerts_free(a);
	cluster_free(c);
}
END_TEST

START_TEST(test_etcd)
{
	struct cluster *c = lab();
	const struct alert *al;
	struct alerts *a;

	c->etcd[1].reachable = false;
	c->etcd[1].error = xstrdup("timeout");
	c->etcd[2].alarms = xcalloc(1, sizeof *c->etcd[2].alarms);
	c->etcd[2].alarms[0] = xstrdup("NOSPACE");
	c->etcd[2].n_alarms = 1;
	a = compute(c, 2000);
	al = must(a, "etcd-member-down", NULL);
	ck_assert_int_eq(al->severity, ALERT_CRITICAL);
	ck_assert_str_eq(al->message, "etcd member 'etcd-2' (http://10.0.1.2:2379) is "
	    "unreachable: timeout");
	ck_assert_ptr_nonnull(strstr(al->fix, "2 of 3 up: quorum kept"));
	al = must(a, "etcd-alarm", NULL);
	ck_assert_ptr_nonnull(strstr(al->message, "'etcd-3' raised alarm NOSPACE"));
	ck_assert_ptr_nonnull(strstr(al->fix, "alarm disarm"));
	ck_assert_ptr_null(alerts_find(a, "etcd-no-leader", NULL));
	alerts_free(a);

	c->etcd[0].is_leader = false;
	a = compute(c, 2000);
	must(a, "etcd-no-leader", NULL);
	alerts_free(a);
	cluster_free(c);
}
END_TEST

START_TEST(test_collections)
{
	struct cluster *c = lab();
	struct replica_state *r = &c->replicas[1];
	struct alert_rpo rpo;
	const struct alert *al;
	struct alerts *a;

	c->collections[0].degraded = true;
	c->replicas[0].n_healthy = 0;
	cluster_set_health(c, idx(c, "querynode", 21), HEALTH_UNKNOWN, "refused", 2000);
	r->orphan_shards = xcalloc(1, sizeof *r->orphan_shards);
	r->orphan_shards[0] = xstrdup("by-dev-rootcoord-dml_0_4501v0");
	r->n_orphan_shards = 1;
	memset(&rpo, 0, sizeof rpo);
	rpo.breached = true;
	rpo.line = "RPO target 1d missed by 1 of 1 collections (first: 'default.docs', "
	    "no backup)";
	a = alerts_new();
	alerts_update(a, c, &rpo, 2000);
	al = must(a, "replica-degraded", NULL);
	ck_assert_int_eq(al->severity, ALERT_WARNING);
	ck_assert_str_eq(al->message, "collection 'default.docs' has a degraded replica "
	    "(1 of 2 replicas serve)");
	ck_assert_ptr_nonnull(strstr(al->fix, "querynode 21 at 10.0.0.21:21123 (replica 1)"));
	al = must(a, "shard-no-leader", NULL);
	ck_assert_int_eq(al->severity, ALERT_CRITICAL);
	ck_assert_ptr_nonnull(strstr(al->message, "by-dev-rootcoord-dml_0_4501v0"));
	al = must(a, "rpo-breached", NULL);
	ck_assert_str_eq(al->message, rpo.line);
	alerts_free(a);

	source_fail(&c->src_proxy, 3000, "proxy 10.0.0.12:19530: connection refused");
	a = compute(c, 3000);
	al = must(a, "collections-unknown", NULL);
	ck_assert_str_eq(al->message, "collections unknown: proxy 10.0.0.12:19530: "
	    "connection refused");
	alerts_free(a);
	cluster_free(c);
}
END_TEST

START_TEST(test_first_seen)
{
	struct cluster *c = lab();
	struct alerts *a = alerts_new();
	size_t p12 = idx(c, "proxy", 12), q21 = idx(c, "querynode", 21);

	cluster_set_health(c, p12, HEALTH_UNKNOWN, "refused", 1000);
	alerts_update(a, c, NULL, 1000);
	ck_assert_uint_eq(alerts_count(a), 1);
	ck_assert_int_eq(alerts_get(a, 0)->first_seen_ms, 1000);

	/* Recomputed later, with a second condition: each keeps its own time. */
	cluster_set_health(c, q21, HEALTH_ABNORMAL, NULL, 5000);
	alerts_update(a, c, NULL, 5000);
	ck_assert_uint_eq(alerts_count(a), 2);
	ck_assert_int_eq(alerts_find(a, "proxy-down", NULL)->first_seen_ms, 1000);
	ck_assert_int_eq(alerts_find(a, "worker-down", NULL)->first_seen_ms, 5000);

	/* The proxy answers again: its alert is cleared, the other stays. */
	cluster_set_health(c, p12, HEALTH_HEALTHY, NULL, 9000);
	alerts_update(a, c, NULL, 9000);
	ck_assert_uint_eq(alerts_count(a), 1);
	ck_assert_ptr_null(alerts_find(a, "proxy-down", NULL));
	ck_assert_int_eq(alerts_find(a, "worker-down", NULL)->first_seen_ms, 5000);

	/* It fails again: a new sighting, not the old time. */
	cluster_set_health(c, p12, HEALTH_UNKNOWN, "refused", 10000);
	alerts_update(a, c, NULL, 10000);
	ck_assert_int_eq(alerts_find(a, "proxy-down", NULL)->first_seen_ms, 10000);

	/* Everything heals. */
	all_healthy(c, 11000);
	alerts_update(a, c, NULL, 11000);
	ck_assert_uint_eq(alerts_count(a), 0);
	alerts_free(a);
	cluster_free(c);
}
END_TEST

/* Many alerts (4,000 dead workers, as many as the model keeps) recompute
 * quickly, and their first-seen times all survive. */
START_TEST(test_many)
{
	struct cluster *c = cluster_new("by-dev");
	struct alerts *a = alerts_new();
	char key[64], addr[64];
	size_t i, n = 4000;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "by-dev/meta/session/querynode-%zu", i + 100);
		snprintf(addr, sizeof addr, "10.%zu.%zu.%zu:21123", i / 65536, i / 256 % 256,
		    i % 256);
		put(c, key, "querynode", (int64_t)i + 100, addr, false, (int64_t)i + 10);
	}
	cluster_sessions_commit(c, 30000, 1000);
	for (i = 0; i < c->n_components; i++)
		cluster_set_health(c, i, HEALTH_UNKNOWN, "refused", 1000);
	source_ok(&c->src_health, 1000);
	alerts_update(a, c, NULL, 1000);
	/* One per querynode, and no active for the three 2.5 coordinator roles. */
	ck_assert_uint_eq(alerts_count(a), c->n_components + 3);
	ck_assert_uint_eq(alerts_count_severity(a, ALERT_CRITICAL), c->n_components + 3);
	alerts_update(a, c, NULL, 2000);
	for (i = 0; i < alerts_count(a); i++)
		ck_assert_int_eq(alerts_get(a, i)->first_seen_ms, 1000);
	alerts_free(a);
	cluster_free(c);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("alerts");
	TCase *tc = tcase_create("alerts");

	tcase_add_test(tc, test_healthy_has_none);
	tcase_add_test(tc, test_coordinators);
	tcase_add_test(tc, test_dead_active_by_address_reuse);
	tcase_add_test(tc, test_same_server_not_superseded);
	tcase_add_test(tc, test_stopped_in_place);
	tcase_add_test(tc, test_workers);
	tcase_add_test(tc, test_etcd);
	tcase_add_test(tc, test_collections);
	tcase_add_test(tc, test_first_seen);
	tcase_add_test(tc, test_many);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
