/* SPDX-License-Identifier: MIT */
/* Unit tests for the HA checklist verdicts and the RTO estimate arithmetic,
 * over hand-built models. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/ha.h"
#include "milvusadm/xalloc.h"

/* A model built from literals: only the arrays are allocated (and freed). */
struct fixture {
	struct cluster c;
	int64_t standby_ids[8][4];
	char *alarms[1];
};

static void
add_comp(struct cluster *c, const char *role, int64_t id, enum health h)
{
	struct component *k;

	c->components = xreallocarray(c->components, c->n_components + 1, sizeof *k);
	k = &c->components[c->n_components++];
	memset(k, 0, sizeof *k);
	k->role = (char *)role;
	k->s.server_name = (char *)role;
	k->server_id = id;
	k->health = h;
	k->lease_ttl_s = -1;
}

/* A coordinator role with 1 active (id) and standbys id+1 .. id+nstandby. */
static void
add_coord(struct fixture *f, const char *role, int64_t id, size_t nstandby, bool as)
{
	struct cluster *c = &f->c;
	struct leader *l;
	size_t i;

	c->leaders = xreallocarray(c->leaders, c->n_leaders + 1, sizeof *l);
	l = &c->leaders[c->n_leaders];
	memset(l, 0, sizeof *l);
	l->role = (char *)role;
	l->active_id = id;
	l->active_standby = as;
	l->standby_ids = f->standby_ids[c->n_leaders];
	l->n_standby = nstandby;
	add_comp(c, role, id, HEALTH_HEALTHY);
	c->components[c->n_components - 1].ha = as ? HA_ACTIVE : HA_NONE;
	for (i = 0; i < nstandby; i++) {
		l->standby_ids[i] = id + 1 + (int64_t)i;
		add_comp(c, role, id + 1 + (int64_t)i, HEALTH_STANDBY);
		c->components[c->n_components - 1].ha = HA_STANDBY;
	}
	c->n_leaders++;
}

static void
set_etcd(struct cluster *c, size_t n)
{
	size_t i;

	free(c->etcd);
	c->etcd = xcalloc(n, sizeof *c->etcd);
	c->n_etcd = n;
	for (i = 0; i < n; i++) {
		c->etcd[i].id = 100 + i;
		c->etcd[i].name = (char *)(i == 0 ? "etcd-1" : i == 1 ? "etcd-2" : "etcd-n");
		c->etcd[i].reachable = true;
		c->etcd[i].is_leader = i == 0;
	}
}

static struct replica_state *
add_replica(struct cluster *c, const char *coll, int64_t id, const int64_t *nodes,
    size_t n, size_t healthy)
{
	struct replica_state *r;

	c->replicas = xreallocarray(c->replicas, c->n_replicas + 1, sizeof *r);
	r = &c->replicas[c->n_replicas++];
	memset(r, 0, sizeof *r);
	r->replica_id = id;
	r->collection_id = (char *)coll;
	r->rw_nodes = (int64_t *)nodes;
	r->n_rw = n;
	r->n_healthy = healthy;
	return r;
}

static struct collection_state *
add_collection(struct cluster *c, const char *db, const char *name, const char *id,
    const char *state, int64_t nrep)
{
	struct collection_state *cs;

	c->collections = xreallocarray(c->collections, c->n_collections + 1, sizeof *cs);
	cs = &c->collections[c->n_collections++];
	memset(cs, 0, sizeof *cs);
	cs->db = (char *)db;
	cs->name = (char *)name;
	cs->id = (char *)id;
	cs->load_state = (char *)state;
	cs->n_replicas = nrep;
	cs->rows = 1000;
	cs->load_progress = 100;
	return cs;
}

static const int64_t nodes_a[] = { 21 };
static const int64_t nodes_b[] = { 22 };
static const int64_t nodes_c[] = { 23 };

/* What a default lab (2.5, standbys, 3 etcd members) looks like. */
static void
lab_like(struct fixture *f, size_t nstandby)
{
	struct cluster *c = &f->c;
	int64_t i;

	memset(f, 0, sizeof *f);
	c->root = (char *)"by-dev";
	c->milvus_version = (char *)"2.5.16";
	c->session_ttl_s = 10;
	add_coord(f, "rootcoord", 1, nstandby, true);
	add_coord(f, "querycoord", 4, nstandby, true);
	add_coord(f, "datacoord", 7, nstandby, true);
	add_comp(c, "proxy", 10, HEALTH_HEALTHY);
	add_comp(c, "proxy", 11, HEALTH_HEALTHY);
	for (i = 21; i <= 23; i++)
		add_comp(c, "querynode", i, HEALTH_HEALTHY);
	add_comp(c, "datanode", 30, HEALTH_HEALTHY);
	add_comp(c, "datanode", 31, HEALTH_HEALTHY);
	add_comp(c, "indexnode", 40, HEALTH_HEALTHY);
	set_etcd(c, 3);
	add_collection(c, "default", "docs", "4501", "LoadStateLoaded", 2);
	add_collection(c, "default", "archive", "4502", "LoadStateNotLoad", 0);
	add_collection(c, "analytics", "events", "4503", "LoadStateLoaded", 2);
	add_replica(c, "4501", 1, nodes_a, 1, 1);
	add_replica(c, "4501", 2, nodes_b, 1, 1);
	add_replica(c, "4503", 3, nodes_b, 1, 1);
	add_replica(c, "4503", 4, nodes_c, 1, 1);
}

static void
fixture_release(struct fixture *f)
{
	free(f->c.components);
	free(f->c.leaders);
	free(f->c.etcd);
	free(f->c.collections);
	free(f->c.replicas);
}

static const struct ha_item *
item(const struct ha_report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n_items; i++) {
		if (strcmp(r->items[i].id, id) == 0)
			return &r->items[i];
	}
	ck_abort_msg("no item '%s'", id);
	return NULL;
}

static enum ha_verdict
verdict(const struct cluster *c, const char *id)
{
	struct ha_report *r = ha_check(c);
	enum ha_verdict v = item(r, id)->status;

	ha_report_free(r);
	return v;
}

START_TEST(test_lab_like_passes)
{
	struct fixture f;
	struct ha_report *r;
	size_t i;

	lab_like(&f, 1);
	r = ha_check(&f.c);
	for (i = 0; i < r->n_items; i++) {
		ck_assert_msg(r->items[i].status != HA_CHECK_FAIL, "%s: %s", r->items[i].id,
		    r->items[i].reason);
		ck_assert_ptr_nonnull(r->items[i].reason);
		ck_assert_ptr_nonnull(r->items[i].title);
	}
	ck_assert_uint_eq(r->n_fail, 0);
	/* 2 instances: pass the standby rule, warn about the third. */
	ck_assert_int_eq(item(r, "coord.rootcoord")->status, HA_CHECK_WARN);
	ck_assert_ptr_nonnull(item(r, "coord.rootcoord")->fix);
	ck_assert_int_eq(item(r, "workers.proxy")->status, HA_CHECK_PASS);
	ck_assert_int_eq(item(r, "workers.querynode")->status, HA_CHECK_PASS);
	/* One indexnode delays index builds only. */
	ck_assert_int_eq(item(r, "workers.indexnode")->status, HA_CHECK_WARN);
	ck_assert_int_eq(item(r, "etcd.members")->status, HA_CHECK_PASS);
	ck_assert_int_eq(item(r, "etcd.health")->status, HA_CHECK_PASS);
	ck_assert_int_eq(item(r, "collection.default.docs")->status, HA_CHECK_PASS);
	ck_assert_int_eq(item(r, "collection.analytics.events")->status, HA_CHECK_PASS);
	ck_assert_int_eq(item(r, "session.ttl")->status, HA_CHECK_PASS);
	for (i = 0; i < r->n_items; i++)
		ck_assert_str_ne(r->items[i].id, "collection.default.archive");
	ha_report_free(r);
	fixture_release(&f);

	lab_like(&f, 2);
	ck_assert_int_eq(verdict(&f.c, "coord.querycoord"), HA_CHECK_PASS);
	fixture_release(&f);
}
END_TEST

START_TEST(test_no_standby_fails)
{
	struct fixture f;
	struct ha_report *r;

	/* lab up --no-standby: bare keys only, active-standby off. */
	lab_like(&f, 0);
	f.c.leaders[0].active_standby = false;
	f.c.leaders[1].active_standby = false;
	f.c.leaders[2].active_standby = false;
	r = ha_check(&f.c);
	ck_assert_int_eq(item(r, "coord.rootcoord")->status, HA_CHECK_FAIL);
	ck_assert_int_eq(item(r, "coord.querycoord")->status, HA_CHECK_FAIL);
	ck_assert_int_eq(item(r, "coord.datacoord")->status, HA_CHECK_FAIL);
	ck_assert_ptr_nonnull(strstr(item(r, "coord.rootcoord")->reason, "active-standby is off"));
	ck_assert_ptr_nonnull(strstr(item(r, "coord.rootcoord")->fix,
	    "rootCoord.enableActiveStandby"));
	ck_assert_uint_ge(r->n_fail, 3);
	ha_report_free(r);
	fixture_release(&f);

	/* Active-standby on but the standby is gone. */
	lab_like(&f, 0);
	ck_assert_int_eq(verdict(&f.c, "coord.datacoord"), HA_CHECK_FAIL);
	fixture_release(&f);

	/* A standby that reports Abnormal will not take over. */
	lab_like(&f, 1);
	f.c.components[1].health = HEALTH_ABNORMAL;
	ck_assert_int_eq(verdict(&f.c, "coord.rootcoord"), HA_CHECK_FAIL);
	fixture_release(&f);

	/* No active at all. */
	lab_like(&f, 1);
	f.c.leaders[0].active_id = 0;
	ck_assert_int_eq(verdict(&f.c, "coord.rootcoord"), HA_CHECK_FAIL);
	fixture_release(&f);
}
END_TEST

START_TEST(test_mixcoord_26)
{
	struct fixture f;
	struct ha_report *r;
	size_t i;

	memset(&f, 0, sizeof f);
	f.c.milvus_version = (char *)"2.6.8";
	f.c.session_ttl_s = 15;
	add_coord(&f, "mixcoord", 1, 2, true);
	add_comp(&f.c, "streamingnode", 5, HEALTH_HEALTHY);
	add_comp(&f.c, "querynode", 6, HEALTH_HEALTHY);
	r = ha_check(&f.c);
	ck_assert_int_eq(item(r, "coord.mixcoord")->status, HA_CHECK_PASS);
	ck_assert_int_eq(item(r, "workers.streamingnode")->status, HA_CHECK_FAIL);
	ck_assert_int_eq(item(r, "workers.proxy")->status, HA_CHECK_FAIL);
	for (i = 0; i < r->n_items; i++) {
		ck_assert_str_ne(r->items[i].id, "coord.rootcoord");
		ck_assert_str_ne(r->items[i].id, "workers.indexnode");
	}
	/* No etcd member list: unknown, not pass. */
	ck_assert_int_eq(item(r, "etcd.members")->status, HA_CHECK_WARN);
	ha_report_free(r);
	fixture_release(&f);
}
END_TEST

START_TEST(test_workers)
{
	struct fixture f;

	lab_like(&f, 1);
	f.c.components[f.c.n_components - 2].health = HEALTH_ABNORMAL;	/* datanode 31 */
	ck_assert_int_eq(verdict(&f.c, "workers.datanode"), HA_CHECK_FAIL);
	f.c.components[f.c.n_components - 2].health = HEALTH_UNKNOWN;
	ck_assert_int_eq(verdict(&f.c, "workers.datanode"), HA_CHECK_WARN);
	f.c.components[f.c.n_components - 2].s.stopping = true;
	ck_assert_int_eq(verdict(&f.c, "workers.datanode"), HA_CHECK_FAIL);
	fixture_release(&f);
}
END_TEST

START_TEST(test_standalone_fails)
{
	struct fixture f;

	memset(&f, 0, sizeof f);
	f.c.milvus_version = (char *)"2.5.16";
	f.c.session_ttl_s = 30;
	add_coord(&f, "rootcoord", 7, 0, false);
	add_coord(&f, "querycoord", 7, 0, false);
	add_comp(&f.c, "proxy", 7, HEALTH_HEALTHY);
	ck_assert_int_eq(verdict(&f.c, "deploy.mode"), HA_CHECK_FAIL);
	fixture_release(&f);
}
END_TEST

START_TEST(test_etcd_members)
{
	struct fixture f;

	lab_like(&f, 1);
	set_etcd(&f.c, 1);
	ck_assert_int_eq(verdict(&f.c, "etcd.members"), HA_CHECK_FAIL);
	set_etcd(&f.c, 2);
	ck_assert_int_eq(verdict(&f.c, "etcd.members"), HA_CHECK_FAIL);
	set_etcd(&f.c, 4);
	ck_assert_int_eq(verdict(&f.c, "etcd.members"), HA_CHECK_WARN);
	set_etcd(&f.c, 5);
	ck_assert_int_eq(verdict(&f.c, "etcd.members"), HA_CHECK_PASS);
	ck_assert_int_eq(verdict(&f.c, "etcd.health"), HA_CHECK_PASS);
	/* A learner does not vote. */
	set_etcd(&f.c, 3);
	f.c.etcd[2].is_learner = true;
	ck_assert_int_eq(verdict(&f.c, "etcd.members"), HA_CHECK_FAIL);
	set_etcd(&f.c, 3);
	f.c.etcd[1].reachable = false;
	ck_assert_int_eq(verdict(&f.c, "etcd.members"), HA_CHECK_PASS);
	ck_assert_int_eq(verdict(&f.c, "etcd.health"), HA_CHECK_FAIL);
	set_etcd(&f.c, 3);
	f.alarms[0] = (char *)"NOSPACE";
	f.c.etcd[2].alarms = f.alarms;
	f.c.etcd[2].n_alarms = 1;
	ck_assert_int_eq(verdict(&f.c, "etcd.health"), HA_CHECK_FAIL);
	set_etcd(&f.c, 3);
	f.c.etcd[0].is_leader = false;
	ck_assert_int_eq(verdict(&f.c, "etcd.health"), HA_CHECK_FAIL);
	fixture_release(&f);
}
END_TEST

START_TEST(test_collection_replicas)
{
	struct fixture f;
	struct ha_report *r;
	static const int64_t two[] = { 22, 23 };
	static char orphan[] = "by-dev-rootcoord-dml_0_4501v0";
	static char *orphans[] = { orphan };

	/* 1 replica fails. */
	lab_like(&f, 1);
	f.c.collections[0].n_replicas = 1;
	f.c.replicas[1].collection_id = (char *)"9999";
	r = ha_check(&f.c);
	ck_assert_int_eq(item(r, "collection.default.docs")->status, HA_CHECK_FAIL);
	ck_assert_ptr_nonnull(item(r, "collection.default.docs")->fix);
	ha_report_free(r);
	fixture_release(&f);

	/* Two replicas sharing a node fail. */
	lab_like(&f, 1);
	f.c.replicas[1].rw_nodes = (int64_t *)two;
	f.c.replicas[1].n_rw = 2;
	f.c.replicas[1].n_healthy = 2;
	f.c.replicas[0].rw_nodes = (int64_t *)nodes_c;
	ck_assert_int_eq(verdict(&f.c, "collection.default.docs"), HA_CHECK_FAIL);
	fixture_release(&f);

	/* A replica whose only node is dead. */
	lab_like(&f, 1);
	f.c.replicas[0].n_healthy = 0;
	ck_assert_int_eq(verdict(&f.c, "collection.default.docs"), HA_CHECK_FAIL);
	fixture_release(&f);

	/* A shard whose leader is gone. */
	lab_like(&f, 1);
	f.c.replicas[0].orphan_shards = orphans;
	f.c.replicas[0].n_orphan_shards = 1;
	ck_assert_int_eq(verdict(&f.c, "collection.default.docs"), HA_CHECK_FAIL);
	fixture_release(&f);

	/* Count known, placement not read: pass on the count. */
	lab_like(&f, 1);
	f.c.n_replicas = 0;
	ck_assert_int_eq(verdict(&f.c, "collection.default.docs"), HA_CHECK_PASS);
	/* Count unknown: warn. */
	f.c.collections[0].n_replicas = -1;
	ck_assert_int_eq(verdict(&f.c, "collection.default.docs"), HA_CHECK_WARN);
	/* Loading counts as loaded. */
	f.c.collections[0].n_replicas = 1;
	f.c.collections[0].load_state = (char *)"LoadStateLoading";
	ck_assert_int_eq(verdict(&f.c, "collection.default.docs"), HA_CHECK_FAIL);
	fixture_release(&f);

	/* Proxy unreachable: unknown is a warning, not a pass. */
	lab_like(&f, 1);
	f.c.n_collections = 0;
	f.c.src_proxy.error = (char *)"proxy 'http://127.0.0.1:19530' unreachable";
	ck_assert_int_eq(verdict(&f.c, "collections"), HA_CHECK_WARN);
	f.c.src_proxy.error = NULL;
	ck_assert_int_eq(verdict(&f.c, "collections"), HA_CHECK_PASS);
	fixture_release(&f);
}
END_TEST

START_TEST(test_ttl)
{
	struct fixture f;

	lab_like(&f, 1);
	f.c.session_ttl_s = -1;
	ck_assert_int_eq(verdict(&f.c, "session.ttl"), HA_CHECK_WARN);
	f.c.session_ttl_s = 60;
	ck_assert_int_eq(verdict(&f.c, "session.ttl"), HA_CHECK_WARN);
	f.c.session_ttl_s = 5;
	ck_assert_int_eq(verdict(&f.c, "session.ttl"), HA_CHECK_WARN);
	f.c.session_ttl_s = 30;
	ck_assert_int_eq(verdict(&f.c, "session.ttl"), HA_CHECK_PASS);
	fixture_release(&f);

	ck_assert_int_eq(ha_default_ttl("2.3.1"), 60);
	ck_assert_int_eq(ha_default_ttl("v2.4.17"), 30);
	ck_assert_int_eq(ha_default_ttl("2.5.16"), 30);
	ck_assert_int_eq(ha_default_ttl("2.6.3"), 10);
	ck_assert_int_eq(ha_default_ttl("2.6.6"), 30);
	ck_assert_int_eq(ha_default_ttl("2.6.18"), 15);
	ck_assert_int_eq(ha_default_ttl("garbage"), -1);
	ck_assert_int_eq(ha_default_ttl(NULL), -1);
}
END_TEST

START_TEST(test_version_parse)
{
	int a, b, c;

	ck_assert_int_eq(ha_version_parse("2.6.8", &a, &b, &c), 0);
	ck_assert(a == 2 && b == 6 && c == 8);
	ck_assert_int_eq(ha_version_parse("v2.5.16-rc1", &a, &b, &c), 0);
	ck_assert(a == 2 && b == 5 && c == 16);
	ck_assert_int_eq(ha_version_parse("2.4", &a, &b, &c), 0);
	ck_assert(a == 2 && b == 4 && c == 0);
	ck_assert_int_eq(ha_version_parse("2", &a, &b, &c), -1);
	ck_assert_int_eq(ha_version_parse("", &a, &b, &c), -1);
	ck_assert_int_eq(ha_version_parse("x.y", &a, &b, &c), -1);
}
END_TEST

static const struct ha_rto *
line(const struct ha_estimate *e, const char *settings, const char *fault)
{
	size_t i;

	for (i = 0; i < e->n_lines; i++) {
		if (strcmp(e->lines[i].settings, settings) == 0 &&
		    strcmp(e->lines[i].fault, fault) == 0)
			return &e->lines[i];
	}
	ck_abort_msg("no line %s/%s", settings, fault);
	return NULL;
}

START_TEST(test_estimate_ttl)
{
	struct ha_estimate_in in;
	struct ha_estimate *e;
	const struct ha_rto *l;

	memset(&in, 0, sizeof in);
	in.session_ttl_s = 30;
	in.milvus_version = "2.5.16";
	in.standby = true;
	e = ha_estimate(&in);
	ck_assert_uint_eq(e->n_lines, 2);
	ck_assert(!e->ttl_assumed);
	l = line(e, "current", "crash");
	ck_assert_int_eq(l->phase[HA_PHASE_DETECT].ms, 30000);
	ck_assert_int_eq(l->phase[HA_PHASE_ELECT].ms, 100);
	ck_assert_int_eq(l->phase[HA_PHASE_RECOVER].ms, 4000);
	ck_assert_int_eq(l->total_ms, 34100);
	ck_assert_ptr_nonnull(strstr(l->phase[HA_PHASE_DETECT].basis, "30 s"));
	l = line(e, "tuned", "crash");
	ck_assert_int_eq(l->phase[HA_PHASE_DETECT].ms, HA_TTL_TUNED_S * 1000);
	ck_assert_int_eq(l->total_ms, HA_TTL_TUNED_S * 1000 + 4100);
	ck_assert_uint_ge(e->n_assumptions, 3);
	ha_estimate_free(e);

	in.session_ttl_s = 10;
	in.init_ms = 1000;
	in.retry_ms = 1000;
	e = ha_estimate(&in);
	l = line(e, "current", "crash");
	ck_assert_int_eq(l->total_ms, 10000 + 100 + 2000);
	/* 10 s already passes: the tuned line keeps it. */
	ck_assert_int_eq(line(e, "tuned", "crash")->total_ms, 12100);
	ha_estimate_free(e);
}
END_TEST

START_TEST(test_estimate_probes)
{
	struct ha_estimate_in in;
	struct ha_estimate *e;
	const struct ha_rto *l;

	/* The seed's untuned probe: period 10, 3 failures. */
	memset(&in, 0, sizeof in);
	in.session_ttl_s = 30;
	in.milvus_version = "2.5.16";
	in.standby = true;
	in.have_probe = true;
	in.liveness.period_s = 10;
	in.liveness.failure_threshold = 3;
	in.liveness.timeout_s = 1;
	e = ha_estimate(&in);
	ck_assert_uint_eq(e->n_lines, 4);
	l = line(e, "current", "hang");
	ck_assert_int_eq(l->phase[HA_PHASE_DETECT].ms, 31000);
	ck_assert_int_eq(l->total_ms, 31000 + 100 + 4000);
	/* Tuned: 3 s x 2 + 1 s. */
	l = line(e, "tuned", "hang");
	ck_assert_int_eq(l->phase[HA_PHASE_DETECT].ms, 7000);
	ck_assert_int_eq(l->total_ms, 11100);
	ha_estimate_free(e);

	/* Zero fields are Kubernetes defaults (10 s, 3, 1 s); Helm's 30 s x 5 + 5. */
	in.liveness.period_s = 0;
	in.liveness.failure_threshold = 0;
	in.liveness.timeout_s = 0;
	e = ha_estimate(&in);
	ck_assert_int_eq(line(e, "current", "hang")->phase[HA_PHASE_DETECT].ms, 31000);
	ha_estimate_free(e);
	in.liveness.period_s = 30;
	in.liveness.failure_threshold = 5;
	in.liveness.timeout_s = 5;
	e = ha_estimate(&in);
	ck_assert_int_eq(line(e, "current", "hang")->phase[HA_PHASE_DETECT].ms, 155000);
	ha_estimate_free(e);
}
END_TEST

START_TEST(test_estimate_modes)
{
	struct ha_estimate_in in;
	struct ha_estimate *e;

	/* Unknown TTL: the version's shipped default; 2.6.8+ polls. */
	memset(&in, 0, sizeof in);
	in.session_ttl_s = -1;
	in.milvus_version = "2.6.8";
	in.standby = true;
	e = ha_estimate(&in);
	ck_assert(e->ttl_assumed);
	ck_assert_int_eq(e->ttl_s, 15);
	ck_assert_int_eq(line(e, "current", "crash")->phase[HA_PHASE_ELECT].ms, 200);
	ha_estimate_free(e);

	/* No standby: a restart instead of an election; tuned assumes one. */
	in.session_ttl_s = 10;
	in.milvus_version = "2.5.16";
	in.standby = false;
	e = ha_estimate(&in);
	ck_assert_int_eq(line(e, "current", "crash")->phase[HA_PHASE_ELECT].ms, 10000);
	ck_assert_int_eq(line(e, "current", "crash")->total_ms, 24000);
	ck_assert_int_eq(line(e, "tuned", "crash")->phase[HA_PHASE_ELECT].ms, 100);
	ha_estimate_free(e);

	/* Neither version nor TTL known. */
	in.session_ttl_s = -1;
	in.milvus_version = NULL;
	e = ha_estimate(&in);
	ck_assert_int_eq(e->ttl_s, 30);
	ha_estimate_free(e);
}
END_TEST

START_TEST(test_estimate_input)
{
	struct fixture f;
	struct ha_estimate_in in;

	lab_like(&f, 1);
	ha_estimate_input(&f.c, &in);
	ck_assert(in.standby);
	ck_assert_int_eq(in.session_ttl_s, 10);
	ck_assert_str_eq(in.milvus_version, "2.5.16");
	f.c.leaders[1].n_standby = 0;
	ha_estimate_input(&f.c, &in);
	ck_assert(!in.standby);
	fixture_release(&f);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("ha");
	TCase *tc = tcase_create("ha");

	tcase_add_test(tc, test_lab_like_passes);
	tcase_add_test(tc, test_no_standby_fails);
	tcase_add_test(tc, test_mixcoord_26);
	tcase_add_test(tc, test_workers);
	tcase_add_test(tc, test_standalone_fails);
	tcase_add_test(tc, test_etcd_members);
	tcase_add_test(tc, test_collection_replicas);
	tcase_add_test(tc, test_ttl);
	tcase_add_test(tc, test_version_parse);
	tcase_add_test(tc, test_estimate_ttl);
	tcase_add_test(tc, test_estimate_probes);
	tcase_add_test(tc, test_estimate_modes);
	tcase_add_test(tc, test_estimate_input);
	suite_add_tcase(s, tc);
	return s;
}
