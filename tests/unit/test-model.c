/* SPDX-License-Identifier: MIT */
/* Unit tests for the model: components and leaders derived from session sets
 * of each Milvus layout, diffs into events, health and etcd setters, the ring. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/alerts.h"
#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/xalloc.h"

/* Stage key=json with revisions; a non-JSON value is skipped like the loader does. */
static void
put(struct cluster *c, const char *key, const char *json, int64_t rev)
{
	struct session_key k;
	char err[256];

	memset(&k, 0, sizeof k);
	if (session_parse(key, json, strlen(json), &k.s, err, sizeof err) != 1) {
		session_clear(&k.s);
		return;
	}
	k.create_revision = rev;
	k.mod_revision = rev;
	k.lease = 1000 + k.s.server_id;
	k.etcd_key = key;	/* as the loader passes it */
	cluster_session_put(c, &k);
}

static char *
sess(const char *role, int64_t id, const char *ip, int port, const char *ver, bool excl,
    const char *extra)
{
	return xasprintf("{\"ServerID\":%lld,\"ServerName\":\"%s\",\"Address\":\"%s:%d\","
	    "%s\"TriggerKill\":true,\"Version\":\"%s\",\"IndexEngineVersion\":{},"
	    "\"LeaseID\":%lld,\"HostName\":\"%s-%lld\"%s}", (long long)id, role, ip, port,
	    excl ? "\"Exclusive\":true," : "", ver, (long long)(1000 + id), role,
	    (long long)id, extra != NULL ? extra : "");
}

static void
putf(struct cluster *c, const char *key, char *json, int64_t rev)
{
	put(c, key, json, rev);
	free(json);
}

static const struct component *
comp(struct cluster *c, const char *role, int64_t id)
{
	return cluster_find(c, role, id);
}

static size_t
count_kind(const struct cluster *c, enum event_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < events_count(c->events); i++)
		n += events_get(c->events, i)->kind == k;
	return n;
}

static const struct event *
last_of(const struct cluster *c, enum event_kind k)
{
	const struct event *e = NULL;
	size_t i;

	for (i = 0; i < events_count(c->events); i++) {
		if (events_get(c->events, i)->kind == k)
			e = events_get(c->events, i);
	}
	return e;
}

/* 2.4 with active-standby on: every coordinator has -<id> keys. */
static void
load_24_ha(struct cluster *c)
{
	const char *v = "2.4.13";

	putf(c, "by-dev/meta/session/rootcoord-1", sess("rootcoord", 1, "10.0.0.1", 53100, v, true, NULL), 4);
	putf(c, "by-dev/meta/session/rootcoord-2", sess("rootcoord", 2, "10.0.0.2", 53100, v, true, NULL), 8);
	putf(c, "by-dev/meta/session/rootcoord", sess("rootcoord", 1, "10.0.0.1", 53100, v, true, NULL), 7);
	putf(c, "by-dev/meta/session/datacoord-5", sess("datacoord", 5, "10.0.0.5", 13333, v, true, NULL), 15);
	putf(c, "by-dev/meta/session/datacoord-7", sess("datacoord", 7, "10.0.0.7", 13333, v, true, NULL), 21);
	putf(c, "by-dev/meta/session/datacoord", sess("datacoord", 5, "10.0.0.5", 13333, v, true, NULL), 18);
	putf(c, "by-dev/meta/session/indexcoord-5", sess("indexcoord", 5, "10.0.0.5", 13333, v, true, NULL), 16);
	putf(c, "by-dev/meta/session/indexcoord-7", sess("indexcoord", 7, "10.0.0.7", 13333, v, true, NULL), 20);
	putf(c, "by-dev/meta/session/indexcoord", sess("indexcoord", 5, "10.0.0.5", 13333, v, true, NULL), 22);
	putf(c, "by-dev/meta/session/querycoord-10", sess("querycoord", 10, "10.0.0.10", 19531, v, true, NULL), 27);
	putf(c, "by-dev/meta/session/querycoord-11", sess("querycoord", 11, "10.0.0.11", 19531, v, true, NULL), 31);
	putf(c, "by-dev/meta/session/querycoord", sess("querycoord", 10, "10.0.0.10", 19531, v, true, NULL), 29);
	putf(c, "by-dev/meta/session/querynode-3", sess("querynode", 3, "10.0.0.3", 21123, v, false, NULL), 11);
	putf(c, "by-dev/meta/session/proxy-4", sess("proxy", 4, "10.0.0.4", 19529, v, false, NULL), 13);
	put(c, "by-dev/meta/session/id", "15", 35);
	cluster_sessions_commit(c, 40, 1000);
}

START_TEST(test_24_active_standby)
{
	struct cluster *c = cluster_new("by-dev");
	const struct leader *l;
	const struct component *x;

	load_24_ha(c);
	ck_assert_uint_eq(c->n_components, 10);
	ck_assert_str_eq(c->milvus_version, "2.4.13");
	ck_assert_int_eq(comp(c, "rootcoord", 1)->ha, HA_ACTIVE);
	ck_assert_int_eq(comp(c, "rootcoord", 2)->ha, HA_STANDBY);
	ck_assert_int_eq(comp(c, "querynode", 3)->ha, HA_NONE);
	x = comp(c, "indexcoord", 5);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->process, "datacoord");
	ck_assert_int_eq(x->ha, HA_ACTIVE);
	ck_assert_str_eq(comp(c, "indexcoord", 7)->process, "datacoord");
	ck_assert_str_eq(comp(c, "datacoord", 5)->process, "datacoord");
	ck_assert_uint_eq(c->n_leaders, 4);
	l = cluster_leader(c, "rootcoord");
	ck_assert_ptr_nonnull(l);
	ck_assert(l->active_standby);
	ck_assert_int_eq(l->active_id, 1);
	ck_assert_str_eq(l->active_address, "10.0.0.1:53100");
	ck_assert_uint_eq(l->n_standby, 1);
	ck_assert_int_eq(l->standby_ids[0], 2);
	ck_assert_int_eq(l->active_create_revision, 7);
	ck_assert_ptr_null(cluster_leader(c, "mixcoord"));
	ck_assert_int_eq(cluster_active(c, "querycoord")->server_id, 10);
	/* The first full set is a baseline: no events. */
	ck_assert_uint_eq(events_count(c->events), 0);
	/* Coordinators sort first. */
	ck_assert_str_eq(c->components[0].role, "rootcoord");
	cluster_free(c);
}
END_TEST

START_TEST(test_24_active_standby_off)
{
	struct cluster *c = cluster_new("by-dev");
	const char *v = "2.4.13";
	const struct leader *l;

	putf(c, "by-dev/meta/session/rootcoord", sess("rootcoord", 1, "10.0.0.1", 53100, v, true, NULL), 4);
	putf(c, "by-dev/meta/session/datacoord", sess("datacoord", 2, "10.0.0.2", 13333, v, true, NULL), 5);
	putf(c, "by-dev/meta/session/indexcoord", sess("indexcoord", 2, "10.0.0.2", 13333, v, true, NULL), 6);
	putf(c, "by-dev/meta/session/querycoord", sess("querycoord", 3, "10.0.0.3", 19531, v, true, NULL), 7);
	putf(c, "by-dev/meta/session/querynode-4", sess("querynode", 4, "10.0.0.4", 21123, v, false, NULL), 8);
	cluster_sessions_commit(c, 8, 1000);
	ck_assert_uint_eq(c->n_components, 5);
	ck_assert_int_eq(comp(c, "rootcoord", 1)->ha, HA_NONE);
	ck_assert_str_eq(ha_state_name(comp(c, "rootcoord", 1)->ha), "-");
	ck_assert_int_eq(comp(c, "indexcoord", 2)->ha, HA_NONE);
	ck_assert_str_eq(comp(c, "indexcoord", 2)->process, "datacoord");
	l = cluster_leader(c, "rootcoord");
	ck_assert(!l->active_standby);
	ck_assert_int_eq(l->active_id, 1);
	ck_assert_uint_eq(l->n_standby, 0);
	ck_assert_int_eq(cluster_leader(c, "indexcoord")->active_id, 2);
	cluster_free(c);
}
END_TEST

/* DataCoord's ForceActiveStandby may leave only the bare indexcoord key. */
START_TEST(test_24_indexcoord_bare_follows_datacoord)
{
	struct cluster *c = cluster_new("by-dev");
	const char *v = "2.4.13";

	putf(c, "by-dev/meta/session/datacoord-5", sess("datacoord", 5, "10.0.0.5", 13333, v, true, NULL), 3);
	putf(c, "by-dev/meta/session/datacoord-7", sess("datacoord", 7, "10.0.0.7", 13333, v, true, NULL), 4);
	putf(c, "by-dev/meta/session/datacoord", sess("datacoord", 5, "10.0.0.5", 13333, v, true, NULL), 5);
	putf(c, "by-dev/meta/session/indexcoord", sess("indexcoord", 5, "10.0.0.5", 13333, v, true, NULL), 6);
	cluster_sessions_commit(c, 6, 1000);
	ck_assert_int_eq(comp(c, "indexcoord", 5)->ha, HA_ACTIVE);
	ck_assert(cluster_leader(c, "indexcoord")->active_standby);
	cluster_free(c);
}
END_TEST

static void
load_26(struct cluster *c)
{
	const char *v = "2.6.18";

	putf(c, "by-dev/meta/session/mixcoord-2", sess("mixcoord", 2, "10.0.0.11", 22125, v, true, NULL), 8);
	putf(c, "by-dev/meta/session/mixcoord-6", sess("mixcoord", 6, "10.0.0.10", 22125, v, true, NULL), 16);
	putf(c, "by-dev/meta/session/mixcoord", sess("mixcoord", 2, "10.0.0.11", 22125, v, true, NULL), 15);
	putf(c, "by-dev/meta/session/rootcoord", sess("rootcoord", 2, "10.0.0.11", 22125, v, true, NULL), 15);
	putf(c, "by-dev/meta/session/datacoord", sess("datacoord", 2, "10.0.0.11", 22125, v, true, NULL), 15);
	putf(c, "by-dev/meta/session/querycoord", sess("querycoord", 2, "10.0.0.11", 22125, v, true, NULL), 15);
	putf(c, "by-dev/meta/session/streamingnode-1", sess("streamingnode", 1, "10.0.0.12", 22222, v, false, NULL), 4);
	putf(c, "by-dev/meta/session/querynode-1", sess("querynode", 1, "10.0.0.12", 21123, v, false,
	    ",\"ServerLabels\":{\"STREAMING-EMBEDDED\":\"1\"}"), 5);
	putf(c, "by-dev/meta/session/querynode-5", sess("querynode", 5, "10.0.0.13", 21123, v, false, NULL), 13);
	put(c, "by-dev/meta/session/version", "2.6.18", 15);
	put(c, "by-dev/meta/session/id", "7", 16);
}

START_TEST(test_26_mixcoord_legacy_streaming)
{
	struct cluster *c = cluster_new("by-dev");
	const struct component *m;
	const struct leader *l;

	load_26(c);
	cluster_sessions_commit(c, 16, 1000);
	/* mixcoord 2 and 6, streamingnode 1, querynode 1 and 5: legacy keys are not coordinators. */
	ck_assert_uint_eq(c->n_components, 5);
	ck_assert_ptr_null(comp(c, "rootcoord", 2));
	ck_assert_ptr_null(comp(c, "datacoord", 2));
	m = comp(c, "mixcoord", 2);
	ck_assert_int_eq(m->ha, HA_ACTIVE);
	ck_assert_uint_eq(m->n_legacy_keys, 3);
	ck_assert_int_eq(comp(c, "mixcoord", 6)->ha, HA_STANDBY);
	ck_assert_uint_eq(comp(c, "mixcoord", 6)->n_legacy_keys, 0);
	ck_assert_str_eq(comp(c, "querynode", 1)->process, "streamingnode");
	ck_assert_str_eq(comp(c, "querynode", 1)->label, "STREAMING-EMBEDDED");
	ck_assert_str_eq(comp(c, "querynode", 5)->process, "querynode");
	ck_assert_ptr_null(comp(c, "querynode", 5)->label);
	ck_assert_uint_eq(c->n_leaders, 1);
	l = cluster_leader(c, "mixcoord");
	ck_assert_int_eq(l->active_id, 2);
	ck_assert_uint_eq(l->n_standby, 1);
	ck_assert_int_eq(l->standby_ids[0], 6);
	ck_assert_ptr_null(cluster_leader(c, "rootcoord"));
	cluster_free(c);
}
END_TEST

START_TEST(test_standalone)
{
	struct cluster *c = cluster_new("by-dev");
	const char *v = "2.5.27";
	size_t i;

	putf(c, "by-dev/meta/session/rootcoord", sess("rootcoord", 1, "10.0.0.9", 53100, v, true, NULL), 4);
	putf(c, "by-dev/meta/session/datacoord", sess("datacoord", 1, "10.0.0.9", 13333, v, true, NULL), 6);
	putf(c, "by-dev/meta/session/indexcoord", sess("indexcoord", 1, "10.0.0.9", 13333, v, true, NULL), 7);
	putf(c, "by-dev/meta/session/querycoord", sess("querycoord", 1, "10.0.0.9", 19531, v, true, NULL), 11);
	putf(c, "by-dev/meta/session/proxy-1", sess("proxy", 1, "10.0.0.9", 19529, v, false, NULL), 5);
	putf(c, "by-dev/meta/session/querynode-1", sess("querynode", 1, "10.0.0.9", 21123, v, false, NULL), 9);
	putf(c, "by-dev/meta/session/datanode-1", sess("datanode", 1, "10.0.0.9", 21124, v, false, NULL), 8);
	putf(c, "by-dev/meta/session/indexnode-1", sess("indexnode", 1, "10.0.0.9", 21121, v, false, NULL), 10);
	cluster_sessions_commit(c, 11, 1000);
	ck_assert_uint_eq(c->n_components, 8);
	for (i = 0; i < c->n_components; i++) {
		ck_assert_str_eq(c->components[i].process, "standalone");
		ck_assert_int_eq(c->components[i].ha, HA_NONE);
		ck_assert_int_eq(c->components[i].server_id, 1);
	}
	ck_assert_uint_eq(c->n_leaders, 4);
	ck_assert(!cluster_leader(c, "querycoord")->active_standby);
	cluster_free(c);
}
END_TEST

/* A different root path: only the name after session/ matters. */
START_TEST(test_root_path)
{
	struct cluster *c = cluster_new("prod/milvus");

	putf(c, "prod/milvus/meta/session/querynode-8", sess("querynode", 8, "10.0.0.8", 21123, "2.5.4", false, NULL), 3);
	cluster_sessions_commit(c, 3, 1000);
	ck_assert_uint_eq(c->n_components, 1);
	cluster_session_delete(c, "prod/milvus/meta/session/querynode-8");
	cluster_sessions_commit(c, 4, 2000);
	ck_assert_uint_eq(c->n_components, 0);
	cluster_free(c);
}
END_TEST

/* NW datanode keys (past the 16384 limit) sort before the coordinators in a range: the workers past
 * the limit are dropped and said so, the coordinators all stay. */
#define NW (16384 + 904)

START_TEST(test_keys_cap_keeps_coords)
{
	static const char *const coords[] = { "datacoord", "querycoord", "rootcoord" };
	struct cluster *c = cluster_new("by-dev");
	struct session_key *keys = xcalloc(NW + 6, sizeof *keys);
	char **names = xcalloc(NW + 6, sizeof *names);
	const struct component *before;
	const struct leader *l;
	size_t i, n = 0, joined;
	char err[256], *key, *json;

	for (i = 0; i < NW + 6; i++) {
		const char *role = i < NW ? "datanode" : coords[(i - NW) / 2];
		int64_t id = i < NW ? (int64_t)i + 100 : (int64_t)(i - NW) / 2 + 1;

		key = i >= NW && (i - NW) % 2 == 1 ?
		    xasprintf("by-dev/meta/session/%s", role) :
		    xasprintf("by-dev/meta/session/%s-%lld", role, (long long)id);
		json = sess(role, id, "10.0.0.1", 1000, "2.4.13", i >= NW, NULL);
		ck_assert_int_eq(session_parse(key, json, strlen(json), &keys[n].s, err,
		    sizeof err), 1);
		keys[n].etcd_key = names[n] = key;	/* borrowed until the replace */
		keys[n].create_revision = keys[n].mod_revision = 10;
		n++;
		free(json);
	}
	cluster_sessions_replace(c, keys, n, 10, 1000);
	for (i = 0; i < n; i++)
		session_clear(&keys[i].s);	/* those not taken */
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(keys);
	for (i = 0; i < 3; i++) {
		l = cluster_leader(c, coords[i]);
		ck_assert_ptr_nonnull(l);
		ck_assert_int_eq(l->active_id, (int64_t)i + 1);
		ck_assert_ptr_nonnull(cluster_active(c, coords[i]));
	}
	ck_assert_uint_eq(c->sessions_dropped, NW - 16384);
	ck_assert_ptr_nonnull(c->src_sessions.note);
	ck_assert_str_eq(c->src_sessions.note, "showing 16390 of 17294 session keys (limit 16384)");

	/* A dropped put stores nothing: the commit has nothing to derive. */
	before = c->components;
	joined = count_kind(c, EV_NODE_JOINED);
	putf(c, "by-dev/meta/session/datanode-99999", sess("datanode", 99999, "10.0.0.1", 1000, "2.4.13", false, NULL), 11);
	cluster_sessions_commit(c, 11, 2000);
	ck_assert_ptr_eq(c->components, before);
	ck_assert_uint_eq(count_kind(c, EV_NODE_JOINED), joined);
	ck_assert_uint_eq(c->sessions_dropped, NW - 16384 + 1);
	ck_assert_str_eq(c->src_sessions.note, "showing 16390 of 17295 session keys (limit 16384)");

	/* A full set under the limit clears the note. */
	cluster_sessions_replace(c, NULL, 0, 12, 3000);
	ck_assert_uint_eq(c->sessions_dropped, 0);
	ck_assert_ptr_null(c->src_sessions.note);
	cluster_free(c);
}
END_TEST

/* A root path with "/session/" in it: a delete finds what its put stored, and
 * a key nested below the session prefix neither replaces nor ghosts rootcoord. */
START_TEST(test_session_in_root_and_nested)
{
	struct cluster *c = cluster_new("x/session/y");
	const char *p = "x/session/y/meta/session/";
	char *k1 = xasprintf("%srootcoord-1", p), *k0 = xasprintf("%srootcoord", p);
	char *nested = xasprintf("%sx/rootcoord", p);

	putf(c, k1, sess("rootcoord", 1, "10.0.0.1", 53100, "2.4.13", true, NULL), 3);
	putf(c, k0, sess("rootcoord", 1, "10.0.0.1", 53100, "2.4.13", true, NULL), 3);
	cluster_sessions_commit(c, 3, 1000);
	ck_assert_int_eq(cluster_leader(c, "rootcoord")->active_id, 1);

	putf(c, nested, sess("rootcoord", 9, "10.0.0.9", 53100, "2.4.13", true, NULL), 4);
	cluster_sessions_commit(c, 4, 1100);
	ck_assert_int_eq(cluster_leader(c, "rootcoord")->active_id, 1);
	ck_assert_uint_eq(c->n_components, 1);
	cluster_session_delete(c, nested);
	cluster_sessions_commit(c, 5, 1200);
	ck_assert_int_eq(cluster_leader(c, "rootcoord")->active_id, 1);

	cluster_session_delete(c, k0);
	cluster_session_delete(c, k1);
	cluster_sessions_commit(c, 6, 1300);
	ck_assert_uint_eq(c->n_components, 0);
	ck_assert(cluster_leader(c, "rootcoord") == NULL ||
	    cluster_leader(c, "rootcoord")->active_id == 0);
	free(k0);
	free(k1);
	free(nested);
	cluster_free(c);
}
END_TEST

/* Keys whose value cannot be read are kept by key, sorted, replaced by a
 * later put, removed by a delete, bounded, and never nested ones. */
START_TEST(test_unparsable_keys)
{
	struct cluster *c = cluster_new("by-dev");
	struct alerts *a = alerts_new();
	const struct alert *al;
	char key[64];
	int i;

	cluster_unparsable_put(c, "by-dev/meta/session/querynode-9", "value is not valid JSON");
	cluster_unparsable_put(c, "by-dev/meta/session/datanode-2", "'ServerName' is missing");
	cluster_unparsable_put(c, "by-dev/meta/session/x/nested", "not a session");
	ck_assert_uint_eq(c->n_unparsable, 2);
	ck_assert_str_eq(c->unparsable[0].key, "by-dev/meta/session/datanode-2");
	ck_assert_str_eq(c->unparsable[1].reason, "value is not valid JSON");
	cluster_unparsable_put(c, "by-dev/meta/session/querynode-9", "trailing data");
	ck_assert_uint_eq(c->n_unparsable, 2);
	ck_assert_str_eq(c->unparsable[1].reason, "trailing data");

	/* The one alert model says it, per key. */
	alerts_update(a, c, NULL, 1000);
	al = alerts_find(a, "session-unparsable", NULL);
	ck_assert_ptr_nonnull(al);
	ck_assert_int_eq(al->severity, ALERT_WARNING);
	ck_assert_str_eq(al->object, "session key 'by-dev/meta/session/datanode-2'");
	ck_assert_str_eq(al->message, "session key 'by-dev/meta/session/datanode-2' "
	    "cannot be read: 'ServerName' is missing");

	cluster_unparsable_delete(c, "by-dev/meta/session/datanode-2");
	ck_assert_uint_eq(c->n_unparsable, 1);
	for (i = 0; i < CLUSTER_MAX_UNPARSABLE + 5; i++) {
		snprintf(key, sizeof key, "by-dev/meta/session/proxy-%04d", i);
		cluster_unparsable_put(c, key, "value is not valid JSON");
	}
	ck_assert_uint_eq(c->n_unparsable, CLUSTER_MAX_UNPARSABLE);
	ck_assert_uint_eq(c->unparsable_more, 6);
	cluster_unparsable_reset(c);
	ck_assert_uint_eq(c->n_unparsable, 0);
	alerts_update(a, c, NULL, 2000);
	ck_assert_ptr_null(alerts_find(a, "session-unparsable", NULL));
	alerts_free(a);
	cluster_free(c);
}
END_TEST

/* One load-state word for the CLI and the TUI. */
START_TEST(test_load_word)
{
	ck_assert_str_eq(cluster_load_word("LoadStateLoaded"), "loaded");
	ck_assert_str_eq(cluster_load_word("LoadStateLoading"), "loading");
	ck_assert_str_eq(cluster_load_word("LoadStateNotLoad"), "not loaded");
	ck_assert_str_eq(cluster_load_word("LoadStateNotExist"), "gone");
	ck_assert_str_eq(cluster_load_word(NULL), "unknown");
	ck_assert_str_eq(cluster_load_word("LoadStateOther"), "LoadStateOther");
}
END_TEST

/* A hostile session is listed, cut, never dropped. */
START_TEST(test_truncated_session_listed)
{
	struct cluster *c = cluster_new("by-dev");
	char *big = xmalloc(11000), *json;

	memset(big, 'h', 10999);
	big[10999] = '\0';
	json = xasprintf("{\"ServerID\":5,\"ServerName\":\"proxy\",\"Address\":"
	    "\"10.0.0.5:19530\",\"HostName\":\"%s\"}", big);
	put(c, "by-dev/meta/session/proxy-5", json, 3);
	cluster_sessions_commit(c, 3, 1000);
	ck_assert_uint_eq(c->n_components, 1);
	ck_assert(c->components[0].s.truncated);
	ck_assert_uint_le(strlen(c->components[0].s.host_name), SESSION_MAX_HOSTNAME);
	free(json);
	free(big);
	cluster_free(c);
}
END_TEST

/* SIGKILL of the active rootcoord: its lease expires (both keys go in one
 * revision), then the standby takes the bare key. */
START_TEST(test_diff_failover)
{
	struct cluster *c = cluster_new("by-dev");
	const struct event *e;
	const struct leader *l;

	load_24_ha(c);
	cluster_session_delete(c, "by-dev/meta/session/rootcoord");
	cluster_session_delete(c, "by-dev/meta/session/rootcoord-1");
	cluster_sessions_commit(c, 50, 5000);
	ck_assert_uint_eq(count_kind(c, EV_NODE_LEFT), 1);
	e = last_of(c, EV_LEADER_LOST);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->old_id, 1);
	ck_assert_int_eq(e->revision, 50);
	ck_assert_int_eq(e->wall_ms, 5000);
	ck_assert_int_eq(cluster_leader(c, "rootcoord")->active_id, 0);
	ck_assert_int_eq(comp(c, "rootcoord", 2)->ha, HA_STANDBY);

	putf(c, "by-dev/meta/session/rootcoord", sess("rootcoord", 2, "10.0.0.2", 53100, "2.4.13", true, NULL), 51);
	cluster_sessions_commit(c, 51, 5300);
	e = last_of(c, EV_LEADER_CHANGED);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->old_id, 1);
	ck_assert_int_eq(e->server_id, 2);
	ck_assert_str_eq(e->role, "rootcoord");
	ck_assert_int_eq(e->revision, 51);
	ck_assert(strstr(e->text, "1 -> 2") != NULL);
	l = cluster_leader(c, "rootcoord");
	ck_assert_int_eq(l->active_id, 2);
	ck_assert_int_eq(l->prev_active_id, 1);
	ck_assert_int_eq(l->since_ms, 5300);
	ck_assert_int_eq(l->changed_revision, 51);
	ck_assert_int_eq(comp(c, "rootcoord", 2)->ha, HA_ACTIVE);
	/* The promotion is not a join. */
	ck_assert_uint_eq(count_kind(c, EV_NODE_JOINED), 0);

	/* The supervisor restarts the old one as a new standby. */
	putf(c, "by-dev/meta/session/rootcoord-16", sess("rootcoord", 16, "10.0.0.1", 53100, "2.4.13", true, NULL), 52);
	cluster_sessions_commit(c, 52, 6000);
	e = last_of(c, EV_NODE_JOINED);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->server_id, 16);
	ck_assert(strstr(e->text, "standby") != NULL);
	ck_assert_int_eq(comp(c, "rootcoord", 16)->appeared_ms, 6000);
	ck_assert_int_eq(comp(c, "rootcoord", 2)->appeared_ms, 0);
	cluster_free(c);
}
END_TEST

START_TEST(test_diff_stopping_and_replace)
{
	struct cluster *c = cluster_new("by-dev");
	struct session_key keys[1];
	char *j, err[256];

	load_24_ha(c);
	putf(c, "by-dev/meta/session/querynode-3", sess("querynode", 3, "10.0.0.3", 21123, "2.4.13", false,
	    ",\"Stopping\":true"), 60);
	cluster_sessions_commit(c, 60, 7000);
	ck_assert_uint_eq(count_kind(c, EV_NODE_STOPPING), 1);
	ck_assert(comp(c, "querynode", 3)->s.stopping);
	/* A resync to a smaller set: everything missing has left. */
	memset(keys, 0, sizeof keys);
	j = sess("proxy", 4, "10.0.0.4", 19529, "2.4.13", false, NULL);
	ck_assert_int_eq(session_parse("by-dev/meta/session/proxy-4", j, strlen(j), &keys[0].s,
	    err, sizeof err), 1);
	free(j);
	cluster_sessions_replace(c, keys, 1, 70, 8000);
	ck_assert_uint_eq(c->n_components, 1);
	ck_assert_uint_eq(count_kind(c, EV_NODE_LEFT), 9);
	ck_assert_uint_eq(count_kind(c, EV_LEADER_LOST), 4);
	cluster_free(c);
}
END_TEST

/* History replay: from nothing, joins are recorded, with no wall time. */
START_TEST(test_replay_from_empty)
{
	struct cluster *c = cluster_new("by-dev");
	const struct event *e;

	cluster_sessions_assume_empty(c);
	putf(c, "by-dev/meta/session/rootcoord-1", sess("rootcoord", 1, "10.0.0.1", 53100, "2.4.13", true, NULL), 4);
	cluster_sessions_commit(c, 4, 0);
	putf(c, "by-dev/meta/session/rootcoord", sess("rootcoord", 1, "10.0.0.1", 53100, "2.4.13", true, NULL), 7);
	cluster_sessions_commit(c, 7, 0);
	ck_assert_uint_eq(count_kind(c, EV_NODE_JOINED), 1);
	e = last_of(c, EV_LEADER_CHANGED);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->old_id, 0);
	ck_assert_int_eq(e->wall_ms, 0);
	ck_assert_int_eq(e->revision, 7);
	cluster_free(c);
}
END_TEST

START_TEST(test_health_and_etcd)
{
	struct cluster *c = cluster_new("by-dev");
	struct etcd_member_state *m;
	const struct event *e;

	load_24_ha(c);
	cluster_set_health(c, 0, HEALTH_HEALTHY, NULL, 100);
	ck_assert_uint_eq(count_kind(c, EV_HEALTH_CHANGED), 0);
	cluster_set_health(c, 0, HEALTH_HEALTHY, NULL, 200);
	ck_assert_uint_eq(count_kind(c, EV_HEALTH_CHANGED), 0);
	cluster_set_health(c, 0, HEALTH_UNKNOWN, "connection refused", 300);
	e = last_of(c, EV_HEALTH_CHANGED);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->old_health, HEALTH_HEALTHY);
	ck_assert_int_eq(e->health, HEALTH_UNKNOWN);
	ck_assert_str_eq(c->components[0].health_error, "connection refused");
	/* Health survives a rebuild of the components. */
	putf(c, "by-dev/meta/session/proxy-9", sess("proxy", 9, "10.0.0.9", 19529, "2.4.13", false, NULL), 80);
	cluster_sessions_commit(c, 80, 400);
	ck_assert_int_eq(comp(c, "rootcoord", 1)->health_ms, 300);

	m = xcalloc(2, sizeof *m);
	m[0].id = 0xa;
	m[0].name = xstrdup("etcd-0");
	m[0].is_leader = true;
	m[1].id = 0xb;
	m[1].name = xstrdup("etcd-1");
	cluster_set_etcd(c, m, 2, 500);
	ck_assert_uint_eq(count_kind(c, EV_ETCD_LEADER_CHANGED), 0);
	m = xcalloc(2, sizeof *m);
	m[0].id = 0xa;
	m[0].name = xstrdup("etcd-0");
	m[1].id = 0xb;
	m[1].name = xstrdup("etcd-1");
	m[1].is_leader = true;
	cluster_set_etcd(c, m, 2, 600);
	e = last_of(c, EV_ETCD_LEADER_CHANGED);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->server_id, 0xb);
	ck_assert_int_eq(e->old_id, 0xa);
	ck_assert(strstr(e->text, "etcd-0") != NULL && strstr(e->text, "etcd-1") != NULL);
	cluster_free(c);
}
END_TEST

START_TEST(test_ring)
{
	struct events *ev = events_new(3);
	int i;

	for (i = 0; i < 5; i++)
		events_add(ev, 1000 + i, 0, EV_NODE_JOINED, "proxy", i, 0, "proxy %d joined", i);
	ck_assert_uint_eq(events_count(ev), 3);
	ck_assert_uint_eq(events_dropped(ev), 2);
	ck_assert_uint_eq(events_get(ev, 0)->seq, 3);
	ck_assert_str_eq(events_get(ev, 2)->text, "proxy 4 joined");
	ck_assert_uint_eq(events_last_seq(ev), 5);
	ck_assert_ptr_null(events_get(ev, 3));
	ck_assert_str_eq(event_kind_name(EV_LEADER_CHANGED), "leader_changed");
	ck_assert_str_eq(event_kind_name(EV_KIND_COUNT), "unknown");
	events_free(ev);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, test_24_active_standby);
	tcase_add_test(tc, test_24_active_standby_off);
	tcase_add_test(tc, test_24_indexcoord_bare_follows_datacoord);
	tcase_add_test(tc, test_26_mixcoord_legacy_streaming);
	tcase_add_test(tc, test_standalone);
	tcase_add_test(tc, test_root_path);
	tcase_add_test(tc, test_keys_cap_keeps_coords);
	tcase_add_test(tc, test_session_in_root_and_nested);
	tcase_add_test(tc, test_diff_failover);
	tcase_add_test(tc, test_diff_stopping_and_replace);
	tcase_add_test(tc, test_replay_from_empty);
	tcase_add_test(tc, test_health_and_etcd);
	tcase_add_test(tc, test_ring);
	tcase_add_test(tc, test_unparsable_keys);
	tcase_add_test(tc, test_load_word);
	tcase_add_test(tc, test_truncated_session_listed);
	suite_add_tcase(s, tc);
	return s;
}
