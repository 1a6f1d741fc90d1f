/* SPDX-License-Identifier: MIT */
/* Unit tests for times on events: dating a replayed history from process
 * start times, the --since rule for events of unknown time, the merge with
 * the tool's leader history (dedupe by kind, role, server ID and revision),
 * and the history file's format, bounds and path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/leader_history.h"
#include "milvusadm/xalloc.h"

static void
put(struct cluster *c, const char *key, int64_t id, const char *role, bool excl, int64_t rev)
{
	struct session_key k;
	char err[256], *json;

	json = xasprintf("{\"ServerID\":%lld,\"ServerName\":\"%s\",\"Address\":\"10.0.0.%lld:1\","
	    "%s\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},"
	    "\"LeaseID\":%lld}", (long long)id, role, (long long)id,
	    excl ? "\"Exclusive\":true," : "", (long long)(1000 + id));
	memset(&k, 0, sizeof k);
	ck_assert_int_eq(session_parse(key, json, strlen(json), &k.s, err, sizeof err), 1);
	k.create_revision = k.mod_revision = rev;
	k.lease = 1000 + id;
	k.etcd_key = key;
	cluster_session_put(c, &k);
	free(json);
}

static const struct event *
find(const struct cluster *c, enum event_kind kind, const char *role, int64_t id)
{
	size_t i;

	for (i = 0; i < events_count(c->events); i++) {
		const struct event *e = events_get(c->events, i);

		if (e->kind == kind && e->server_id == id && e->role != NULL &&
		    strcmp(e->role, role) == 0)
			return e;
	}
	return NULL;
}

static void
set_start(struct cluster *c, const char *role, int64_t id, int64_t ms)
{
	struct component *comp = cluster_find(c, role, id);

	ck_assert_ptr_nonnull(comp);
	comp->started_ms = ms;
}

/* A replay: rootcoord 1 starts alone and takes office, 2 joins as standby,
 * 1 dies and 2 is promoted; querycoord 3 runs without active-standby. */
static struct cluster *
replay(void)
{
	struct cluster *c = cluster_new("by-dev");

	cluster_sessions_assume_empty(c);
	put(c, "by-dev/meta/session/rootcoord-1", 1, "rootcoord", true, 4);
	cluster_sessions_commit(c, 4, 0);
	put(c, "by-dev/meta/session/rootcoord", 1, "rootcoord", true, 5);
	cluster_sessions_commit(c, 5, 0);
	put(c, "by-dev/meta/session/rootcoord-2", 2, "rootcoord", true, 6);
	cluster_sessions_commit(c, 6, 0);
	put(c, "by-dev/meta/session/querycoord", 3, "querycoord", true, 7);
	cluster_sessions_commit(c, 7, 0);
	cluster_session_delete(c, "by-dev/meta/session/rootcoord");
	cluster_session_delete(c, "by-dev/meta/session/rootcoord-1");
	cluster_sessions_commit(c, 8, 0);
	put(c, "by-dev/meta/session/rootcoord", 2, "rootcoord", true, 9);
	cluster_sessions_commit(c, 9, 0);
	return c;
}

START_TEST(test_date_from_process_start)
{
	struct cluster *c = replay();
	const struct event *e;
	const struct leader *l;

	set_start(c, "rootcoord", 2, 2000);
	set_start(c, "querycoord", 3, 3000);
	cluster_date_events(c);
	/* 2's first join is its process registering as it starts. */
	e = find(c, EV_NODE_JOINED, "rootcoord", 2);
	ck_assert_int_eq(e->wall_ms, 2000);
	ck_assert_int_eq(e->time_source, EVT_PROCESS_START);
	/* ...but it was promoted later, after a loss: no clock says when. */
	e = find(c, EV_LEADER_CHANGED, "rootcoord", 2);
	ck_assert_int_eq(e->wall_ms, 0);
	ck_assert_int_eq(e->time_source, EVT_UNKNOWN);
	l = cluster_leader(c, "rootcoord");
	ck_assert_int_eq(l->active_id, 2);
	ck_assert_int_eq(l->since_ms, 0);
	/* 1 is gone: its process cannot be asked, its events stay unknown. */
	ck_assert_int_eq(find(c, EV_NODE_JOINED, "rootcoord", 1)->wall_ms, 0);
	ck_assert_int_eq(find(c, EV_LEADER_CHANGED, "rootcoord", 1)->wall_ms, 0);
	/* Without active-standby the bare key is written as it registers. */
	e = find(c, EV_LEADER_CHANGED, "querycoord", 3);
	ck_assert_int_eq(e->wall_ms, 3000);
	ck_assert_int_eq(e->time_source, EVT_PROCESS_START);
	ck_assert_int_eq(cluster_leader(c, "querycoord")->since_ms, 3000);
	cluster_free(c);
}
END_TEST

START_TEST(test_date_unopposed_takeover)
{
	struct cluster *c = cluster_new("by-dev");
	const struct event *e;

	/* A standby that joins while the role has no active and takes office
	 * next: its takeover is at its start. */
	cluster_sessions_assume_empty(c);
	put(c, "by-dev/meta/session/datacoord-5", 5, "datacoord", true, 10);
	cluster_sessions_commit(c, 10, 0);
	put(c, "by-dev/meta/session/datacoord", 5, "datacoord", true, 11);
	cluster_sessions_commit(c, 11, 0);
	set_start(c, "datacoord", 5, 5000);
	/* A time already known (seen live) is never replaced. */
	events_set_time(c->events, 0, 4990, EVT_OBSERVED);
	cluster_date_events(c);
	e = find(c, EV_NODE_JOINED, "datacoord", 5);
	ck_assert_int_eq(e->wall_ms, 4990);
	ck_assert_int_eq(e->time_source, EVT_OBSERVED);
	e = find(c, EV_LEADER_CHANGED, "datacoord", 5);
	ck_assert_int_eq(e->wall_ms, 5000);
	ck_assert_int_eq(cluster_leader(c, "datacoord")->since_ms, 5000);
	cluster_free(c);
}
END_TEST

static struct events *
ring(const int64_t *revs, const int64_t *times, size_t n)
{
	struct events *ev = events_new(0);
	size_t i;

	for (i = 0; i < n; i++)
		events_add(ev, times[i], revs[i], EV_NODE_JOINED, "querynode", (int64_t)i + 1, 0,
		    "q %zu", i);
	return ev;
}

START_TEST(test_since_rule)
{
	static const int64_t revs[] = { 1, 2, 3, 4, 4 };
	static const int64_t times[] = { 0, 100, 0, 1000, 0 };
	struct events *ev = ring(revs, times, 5);
	bool keep[5];

	/* Cutoff 500: rev 1 is before rev 2 (known at 100): provably older.
	 * Rev 3 is unknown with nothing later known older: kept. Rev 4's
	 * untimed event shares its revision with a known one: kept. */
	ck_assert_uint_eq(events_since(ev, 500, keep), 2);
	ck_assert(!keep[0]);
	ck_assert(!keep[1]);
	ck_assert(keep[2]);
	ck_assert(keep[3]);
	ck_assert(keep[4]);
	/* Nothing known: nothing can be placed, so nothing is dropped. */
	events_free(ev);
	{
		static const int64_t none[] = { 0, 0, 0 };

		ev = ring(revs, none, 3);
		ck_assert_uint_eq(events_since(ev, 500, keep), 3);
		ck_assert(keep[0] && keep[1] && keep[2]);
		events_free(ev);
	}
}
END_TEST

static struct event
rec(int64_t rev, int64_t ms, enum event_kind kind, const char *role, int64_t id, int64_t old)
{
	struct event e;

	memset(&e, 0, sizeof e);
	e.revision = rev;
	e.wall_ms = ms;
	e.time_source = ms > 0 ? EVT_OBSERVED : EVT_UNKNOWN;
	e.kind = kind;
	e.role = (char *)role;
	e.server_id = id;
	e.old_id = old;
	e.text = (char *)"change";
	return e;
}

static bool
is_local(const struct event *e, void *arg)
{
	(void)arg;
	return e->local;
}

START_TEST(test_merge_dedupe)
{
	struct events *ev = events_new(0);
	struct event extra[4];
	const struct event *e;

	events_add(ev, 0, 5, EV_LEADER_CHANGED, "rootcoord", 1, 0, "none -> 1");
	events_add(ev, 0, 9, EV_LEADER_CHANGED, "rootcoord", 2, 1, "1 -> 2");
	extra[0] = rec(5, 111, EV_LEADER_CHANGED, "rootcoord", 1, 0);	/* same: dates it */
	extra[1] = rec(9, 222, EV_LEADER_CHANGED, "rootcoord", 3, 1);	/* other server */
	extra[2] = rec(3, 33, EV_LEADER_LOST, "rootcoord", 0, 7);	/* compacted away */
	extra[3] = rec(9, 999, EV_LEADER_CHANGED, "datacoord", 2, 0);	/* other role */
	/* Without add_missing only the time of the matching one is taken. */
	ck_assert_uint_eq(events_merge(ev, extra, 4, false), 0);
	ck_assert_uint_eq(events_count(ev), 2);
	ck_assert_int_eq(events_get(ev, 0)->wall_ms, 111);
	ck_assert_int_eq(events_get(ev, 1)->wall_ms, 0);
	/* With add_missing the others come in, in revision order, marked local. */
	ck_assert_uint_eq(events_merge(ev, extra, 4, true), 3);
	ck_assert_uint_eq(events_count(ev), 5);
	e = events_get(ev, 0);
	ck_assert_int_eq(e->revision, 3);
	ck_assert(e->local);
	ck_assert_int_eq(e->seq, 1);
	ck_assert_int_eq(events_get(ev, 1)->wall_ms, 111);
	ck_assert(!events_get(ev, 1)->local);
	/* At revision 9 etcd's own event comes first. */
	ck_assert_int_eq(events_get(ev, 2)->server_id, 2);
	ck_assert(!events_get(ev, 2)->local);
	ck_assert_uint_eq(events_last_seq(ev), 5);
	/* After a compaction only the tool's own record stays. */
	ck_assert_uint_eq(events_retain(ev, is_local, NULL), 2);
	ck_assert_uint_eq(events_count(ev), 3);
	ck_assert(events_get(ev, 0)->local && events_get(ev, 2)->local);
	ck_assert_int_eq(events_get(ev, 2)->seq, 3);
	events_free(ev);
}
END_TEST

START_TEST(test_history_file)
{
	struct event v[3], *back, *keep;
	struct events *ev;
	size_t n, nk, i;
	char *text, *other;

	v[0] = rec(5, 1700000000123, EV_LEADER_CHANGED, "rootcoord", 1, 0);
	v[1] = rec(9, 0, EV_LEADER_LOST, "rootcoord", 0, 1);
	v[2] = rec(12, 1700000000999, EV_LEADER_CHANGED, "rootcoord", 2, 1);
	v[2].time_source = EVT_PROCESS_START;
	v[2].text = (char *)"evil\ttab\nnewline";
	text = leader_history_format("by-dev", v, 3);
	ck_assert_ptr_null(strstr(text, "evil\t"));
	back = leader_history_parse(text, strlen(text), "by-dev", &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(back[0].wall_ms, 1700000000123);
	ck_assert_int_eq(back[1].time_source, EVT_UNKNOWN);
	ck_assert_int_eq(back[1].old_id, 1);
	ck_assert_int_eq(back[2].time_source, EVT_PROCESS_START);
	ck_assert_str_eq(back[2].text, "evil?tab?newline");
	ck_assert(back[0].local);
	leader_history_free(back, n);
	/* Another root's records, a bad line, another format: ignored. */
	back = leader_history_parse(text, strlen(text), "other", &n);
	ck_assert_uint_eq(n, 0);
	free(back);
	other = xasprintf("%sgarbage line\n12\tx\n", text);
	back = leader_history_parse(other, strlen(other), "by-dev", &n);
	ck_assert_uint_eq(n, 3);
	leader_history_free(back, n);
	free(other);
	back = leader_history_parse("not ours\n", 9, "by-dev", &n);
	ck_assert_ptr_null(back);
	free(text);

	/* etcd's complete history holds rev 5 (undated) and 12; the file's rev 9
	 * at a revision etcd covers but does not hold is another cluster's. */
	ev = events_new(0);
	events_add(ev, 0, 5, EV_LEADER_CHANGED, "rootcoord", 1, 0, "none -> 1");
	events_add(ev, 0, 12, EV_LEADER_CHANGED, "rootcoord", 2, 1, "1 -> 2");
	events_merge(ev, v, 3, false);
	keep = leader_history_collect(ev, v, 3, true, &nk);
	ck_assert_uint_eq(nk, 2);
	ck_assert_int_eq(keep[0].revision, 5);
	ck_assert_int_eq(keep[0].wall_ms, 1700000000123);
	ck_assert_int_eq(keep[1].revision, 12);
	ck_assert_int_eq(keep[1].time_source, EVT_PROCESS_START);
	leader_history_free(keep, nk);
	/* Compacted: nothing can be denied, each kept once. */
	keep = leader_history_collect(ev, v, 3, false, &nk);
	ck_assert_uint_eq(nk, 3);
	leader_history_free(keep, nk);
	events_free(ev);

	/* Bounded: the newest LEADER_HISTORY_MAX by revision. */
	ev = events_new(LEADER_HISTORY_MAX + 100);
	for (i = 0; i < LEADER_HISTORY_MAX + 50; i++)
		events_add(ev, 0, (int64_t)i + 1, EV_LEADER_CHANGED, "rootcoord",
		    (int64_t)i + 1, 0, "x");
	keep = leader_history_collect(ev, NULL, 0, true, &nk);
	ck_assert_uint_eq(nk, LEADER_HISTORY_MAX);
	ck_assert_int_eq(keep[0].revision, 51);
	leader_history_free(keep, nk);
	events_free(ev);
}
END_TEST

START_TEST(test_history_path)
{
	char *p;

	setenv("XDG_STATE_HOME", "/tmp/st", 1);
	p = leader_history_path("prod-eu.1");
	ck_assert_str_eq(p, "/tmp/st/milvusadm/leaders/prod-eu.1.tsv");
	free(p);
	p = leader_history_path("../x");
	ck_assert_str_eq(p, "/tmp/st/milvusadm/leaders/%2E.%2Fx.tsv");
	free(p);
	p = leader_history_path(NULL);
	ck_assert_str_eq(p, "/tmp/st/milvusadm/leaders/default.tsv");
	free(p);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("event-times");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_date_from_process_start);
	tcase_add_test(tc, test_date_unopposed_takeover);
	tcase_add_test(tc, test_since_rule);
	tcase_add_test(tc, test_merge_dedupe);
	tcase_add_test(tc, test_history_file);
	tcase_add_test(tc, test_history_path);
	suite_add_tcase(s, tc);
	return s;
}
