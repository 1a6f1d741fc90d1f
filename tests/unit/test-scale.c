/* SPDX-License-Identifier: MIT */
/* The model at scale: a replay of 10,000 session events over 10,000 sessions
 * (cluster_sessions_commit_batch) records the same events as a commit per
 * revision, and takes a fraction of a second where a derive per revision took
 * minutes (issue 12, item 7). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "milvusadm/cluster.h"
#include "milvusadm/events.h"
#include "milvusadm/xalloc.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
put(struct cluster *c, const char *role, int64_t id, bool bare, bool excl, bool stopping,
    int64_t rev)
{
	struct session_key k;
	char key[96], err[256], *json;

	if (bare)
		snprintf(key, sizeof key, "by-dev/meta/session/%s", role);
	else
		snprintf(key, sizeof key, "by-dev/meta/session/%s-%lld", role, (long long)id);
	json = xasprintf("{\"ServerID\":%lld,\"ServerName\":\"%s\",\"Address\":"
	    "\"10.%d.%d.%d:21123\",%s%s\"Version\":\"2.5.27\",\"LeaseID\":%lld,"
	    "\"HostName\":\"%s-%lld\"}", (long long)id, role, (int)(id >> 16) & 255,
	    (int)(id >> 8) & 255, (int)id & 255, excl ? "\"Exclusive\":true," : "",
	    stopping ? "\"Stopping\":true," : "", (long long)(7000 + id / 100), role,
	    (long long)id);
	memset(&k, 0, sizeof k);
	ck_assert_int_eq(session_parse(key, json, strlen(json), &k.s, err, sizeof err), 1);
	k.create_revision = k.mod_revision = rev;
	k.etcd_key = key;
	cluster_session_put(c, &k);
	free(json);
}

static void
del(struct cluster *c, const char *role, int64_t id, bool bare)
{
	char key[96];

	if (bare)
		snprintf(key, sizeof key, "by-dev/meta/session/%s", role);
	else
		snprintf(key, sizeof key, "by-dev/meta/session/%s-%lld", role, (long long)id);
	cluster_session_delete(c, key);
}

/* One step of a scripted history: what changes at revision rev. */
struct step {
	int kind;			/* 0 put, 1 delete, 2 put stopping */
	const char *role;
	int64_t id;
	bool bare, excl;
};

/* Apply steps (one revision each) as the live watch does: batch commits,
 * settled every 'batch' revisions (a watch message); batch 0 = a full
 * commit per revision (the reference). */
static void
replay(struct cluster *c, const struct step *s, size_t n, int64_t rev0, size_t batch)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t rev = rev0 + (int64_t)i;

		if (s[i].kind == 1)
			del(c, s[i].role, s[i].id, s[i].bare);
		else
			put(c, s[i].role, s[i].id, s[i].bare, s[i].excl, s[i].kind == 2, rev);
		if (batch == 0)
			cluster_sessions_commit(c, rev, 0);
		else {
			cluster_sessions_commit_batch(c, rev, 0);
			if ((i + 1) % batch == 0)
				cluster_sessions_settle(c, 0);
		}
	}
	if (batch != 0)
		cluster_sessions_settle(c, 0);
}

/* Events of one revision in a comparable order (the diff records those
 * that left first; a batch commit records them in key order). */
static int
event_cmp(const void *a, const void *b)
{
	const struct event *x = *(const struct event *const *)a;
	const struct event *y = *(const struct event *const *)b;

	if (x->revision != y->revision)
		return x->revision < y->revision ? -1 : 1;
	return strcmp(x->text, y->text);
}

static const struct event **
sorted_events(const struct cluster *c, size_t *n)
{
	const struct event **v;
	size_t i;

	*n = events_count(c->events);
	v = xcalloc(*n + 1, sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = events_get(c->events, i);
	qsort(v, *n, sizeof *v, event_cmp);
	return v;
}

/* Workers join, stop, leave and come back among coordinator takeovers: the
 * batch path and a derive per revision agree on every event and on the
 * components and leaders they end with. */
START_TEST(test_batch_matches_full)
{
	static const char *const workers[] = { "querynode", "datanode", "proxy" };
	struct step s[600];
	struct cluster *a = cluster_new("by-dev"), *b = cluster_new("by-dev");
	const struct event **ea, **eb;
	size_t n = 0, i, na, nb;
	unsigned seed = 12;

	/* Coordinators: active rootcoord 1, standby 2. */
	s[n++] = (struct step){ 0, "rootcoord", 1, false, true };
	s[n++] = (struct step){ 0, "rootcoord", 1, true, true };
	s[n++] = (struct step){ 0, "rootcoord", 2, false, true };
	while (n < 590) {
		int64_t id = 100 + (int64_t)(rand_r(&seed) % 60);
		const char *role = workers[rand_r(&seed) % 3];
		int r = rand_r(&seed) % 10;

		if (r == 0 && n % 7 == 0) {
			/* A takeover: the active key moves to the standby and back. */
			s[n++] = (struct step){ 1, "rootcoord", 1, true, true };
			s[n++] = (struct step){ 0, "rootcoord", n % 2 ? 2 : 1, true, true };
		} else if (r < 5)
			s[n++] = (struct step){ 0, role, id, false, false };
		else if (r < 7)
			s[n++] = (struct step){ 2, role, id, false, false };
		else
			s[n++] = (struct step){ 1, role, id, false, false };
	}
	cluster_sessions_assume_empty(a);
	cluster_sessions_assume_empty(b);
	replay(a, s, n, 10, 0);
	replay(b, s, n, 10, 64);
	ea = sorted_events(a, &na);
	eb = sorted_events(b, &nb);
	ck_assert_uint_gt(na, 200);
	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++) {
		ck_assert_int_eq(ea[i]->revision, eb[i]->revision);
		ck_assert_int_eq(ea[i]->kind, eb[i]->kind);
		ck_assert_str_eq(ea[i]->text, eb[i]->text);
	}
	ck_assert_uint_eq(a->n_components, b->n_components);
	for (i = 0; i < a->n_components; i++) {
		ck_assert_str_eq(a->components[i].role, b->components[i].role);
		ck_assert_int_eq(a->components[i].server_id, b->components[i].server_id);
		ck_assert_int_eq(a->components[i].ha, b->components[i].ha);
		ck_assert_int_eq(a->components[i].s.stopping, b->components[i].s.stopping);
	}
	ck_assert_uint_eq(a->n_leaders, b->n_leaders);
	for (i = 0; i < a->n_leaders; i++)
		ck_assert_int_eq(a->leaders[i].active_id, b->leaders[i].active_id);
	free(ea);
	free(eb);
	cluster_free(a);
	cluster_free(b);
}
END_TEST

/* 10,000 workers registered one put at a time, then 5,000 restarts (a delete
 * and a put under a new ServerID), replayed in watch messages of 1,000
 * events: every event is recorded, and the components end up right. A
 * derive per revision (the model before) took minutes; the bound here is
 * generous for a loaded machine (measured about 0.1 s). */
START_TEST(test_replay_10000)
{
	struct cluster *c = cluster_new("by-dev");
	int64_t t0, rev = 10, id;
	size_t i, joined = 0, left = 0;

	cluster_sessions_assume_empty(c);
	put(c, "mixcoord", 1, false, true, false, rev);
	put(c, "mixcoord", 1, true, true, false, rev);
	cluster_sessions_commit(c, rev++, 0);
	t0 = mono_ms();
	for (id = 100; id < 10100; id++) {
		put(c, id % 2 ? "querynode" : "datanode", id, false, false, false, rev);
		cluster_sessions_commit_batch(c, rev++, 0);
		if (id % 1000 == 0)
			cluster_sessions_settle(c, 0);
	}
	for (i = 0; i < 5000; i++) {
		int64_t old = 100 + (int64_t)i, now = 20000 + (int64_t)i;
		const char *role = old % 2 ? "querynode" : "datanode";

		del(c, role, old, false);
		cluster_sessions_commit_batch(c, rev++, 0);
		put(c, role, now, false, false, false, rev);
		cluster_sessions_commit_batch(c, rev++, 0);
		if (i % 500 == 0)
			cluster_sessions_settle(c, 0);
	}
	cluster_sessions_settle(c, 0);
	ck_assert_int_lt(mono_ms() - t0, 10000);
	ck_assert_uint_eq(c->n_components, 10001);
	ck_assert_uint_eq(c->sessions_dropped, 0);
	ck_assert_ptr_nonnull(cluster_find(c, "querynode", 20001));
	ck_assert_ptr_null(cluster_find(c, "querynode", 101));
	ck_assert_ptr_nonnull(cluster_active(c, "mixcoord"));
	/* The ring keeps the newest; every one of them is a join or a leave. */
	for (i = 0; i < events_count(c->events); i++) {
		const struct event *e = events_get(c->events, i);

		joined += e->kind == EV_NODE_JOINED;
		left += e->kind == EV_NODE_LEFT;
	}
	ck_assert_uint_eq(joined + left, events_count(c->events));
	ck_assert_uint_eq(events_count(c->events) + events_dropped(c->events),
	    2 + 10000 + 2 * 5000);	/* mixcoord joined and took office */
	cluster_free(c);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("scale");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_batch_matches_full);
	tcase_add_test(tc, test_replay_10000);
	suite_add_tcase(s, tc);
	return s;
}
