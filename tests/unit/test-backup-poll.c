/* SPDX-License-Identifier: MIT */
/* Unit tests for the Backups view's data (backup-poll.c): the RPO levels at
 * their bounds, and the poll against a libmicrohttpd fake milvus-backup on
 * 127.0.0.1: nothing is read while nobody looks, a read never waits (the
 * call returns while it is under way), /list at most once a period unless
 * asked, a failed read keeps the last catalogue and says since when, and a
 * backup started here is polled to its end and shown with its size. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "milvusadm/backups.h"
#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

/* ---- levels --------------------------------------------------------------- */

static enum backup_rpo_level
level(enum backup_rpo_status st, int64_t age, int64_t target)
{
	struct backup_rpo r;

	memset(&r, 0, sizeof r);
	r.status = st;
	r.age_ms = age;
	r.backup = st == BACKUP_RPO_NONE ? -1 : 0;
	return backup_rpo_level(&r, target);
}

START_TEST(test_rpo_level_bounds)
{
	const int64_t h = 3600000, target = 24 * h;

	ck_assert_int_eq(level(BACKUP_RPO_OK, 0, target), BACKUP_RPO_LEVEL_OK);
	/* 80 % exactly is still ok; a millisecond older is near. */
	ck_assert_int_eq(level(BACKUP_RPO_OK, target * 8 / 10, target), BACKUP_RPO_LEVEL_OK);
	ck_assert_int_eq(level(BACKUP_RPO_OK, target * 8 / 10 + 1, target),
	    BACKUP_RPO_LEVEL_NEAR);
	ck_assert_int_eq(level(BACKUP_RPO_OK, 20 * h, target), BACKUP_RPO_LEVEL_NEAR);
	/* At the target backup_rpo still says ok: near, not breached. */
	ck_assert_int_eq(level(BACKUP_RPO_OK, target, target), BACKUP_RPO_LEVEL_NEAR);
	ck_assert_int_eq(level(BACKUP_RPO_OLD, target + 1, target), BACKUP_RPO_LEVEL_BREACHED);
	ck_assert_int_eq(level(BACKUP_RPO_NONE, -1, target), BACKUP_RPO_LEVEL_BREACHED);
	ck_assert_int_eq(level(BACKUP_RPO_UNKNOWN, -1, target), BACKUP_RPO_LEVEL_BREACHED);
	/* A recovery point that cannot be shown is never ok. */
	ck_assert_int_eq(level(BACKUP_RPO_OK, -1, target), BACKUP_RPO_LEVEL_BREACHED);
	ck_assert_str_eq(backup_rpo_level_name(BACKUP_RPO_LEVEL_NEAR), "near");
	ck_assert_str_eq(backup_rpo_level_name(BACKUP_RPO_LEVEL_BREACHED), "breached");
}
END_TEST

/* The levels against backup_rpo's own statuses, from a catalogue. */
START_TEST(test_rpo_level_from_catalogue)
{
	struct backup_collection c1 = { "default", "docs", 10, -1, -1, -1 };
	struct backup_collection c2 = { "default", "old", 10, -1, -1, -1 };
	struct backup_brief v[2];
	struct backup_coll_name names[3] = { { "default", "docs" }, { "default", "old" },
	    { "default", "none" } };
	struct backup_rpo rows[3];
	int64_t now = 1766000000000LL, target = 100000;

	memset(v, 0, sizeof v);
	v[0].name = "a";
	v[0].state = BACKUP_TASK_SUCCESS;
	v[0].taken_ms = now - 10000;
	v[0].colls = &c1;
	v[0].n_colls = 1;
	v[1].name = "b";
	v[1].state = BACKUP_TASK_STORED;
	v[1].taken_ms = now - 90000;
	v[1].colls = &c2;
	v[1].n_colls = 1;
	ck_assert_uint_eq(backup_rpo(names, 3, v, 2, 0, now, target, rows), 1);
	ck_assert_int_eq(backup_rpo_level(&rows[0], target), BACKUP_RPO_LEVEL_OK);
	ck_assert_int_eq(backup_rpo_level(&rows[1], target), BACKUP_RPO_LEVEL_NEAR);
	ck_assert_int_eq(backup_rpo_level(&rows[2], target), BACKUP_RPO_LEVEL_BREACHED);
}
END_TEST

/* ---- the fake server ------------------------------------------------------ */

static struct MHD_Daemon *srv;
static int srv_port;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int hits, lists, task_polls;
static bool failing;
static char created[8][64];
static int n_created;

struct conn {
	struct buf body;
};

static void
srv_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *ctx;

	if (cn != NULL) {
		buf_release(&cn->body);
		free(cn);
		*ctx = NULL;
	}
}

/* A finished backup's record; newer names end later. */
static char *
record(const char *name, int64_t end_s, int64_t size)
{
	return xasprintf("{\"requestId\":\"r\",\"data\":{\"id\":\"t-%s\",\"state_code\":2,"
	    "\"start_time\":%lld,\"end_time\":%lld,\"progress\":100,\"name\":\"%s\",\"size\":%lld,"
	    "\"milvus_version\":\"v2.5.4\",\"collection_backups\":[{\"db_name\":\"default\","
	    "\"collection_name\":\"docs\",\"size\":%lld}]}}", name, (long long)end_s - 5,
	    (long long)end_s, name, (long long)size, (long long)size);
}

static const char not_found[] =
    "{\"requestId\":\"r\",\"code\":3,\"msg\":\"not found\",\"data\":null}";

static char *
srv_answer(struct MHD_Connection *c, const char *path, const char *body, const char *rid,
    unsigned *code)
{
	const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "backup_name");
	const char *id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "backup_id");
	const char *p;
	struct buf b = BUF_INIT;
	int i;

	if (failing) {
		*code = 500;
		return xstrdup("");
	}
	if (strcmp(path, "/api/v1/hello") == 0)
		return xstrdup("Hello, This is backup service");
	if (strcmp(path, "/api/v1/get_backup") == 0 && name != NULL &&
	    strncmp(name, "milvusadm_probe_", 16) == 0)
		return xstrdup(not_found);
	if (strcmp(path, "/api/v1/list") == 0) {
		lists++;
		buf_adds(&b, "{\"requestId\":\"l\",\"data\":[{\"name\":\"nightly_1\"},"
		    "{\"name\":\"nightly_2\"}");
		for (i = 0; i < n_created; i++)
			buf_printf(&b, ",{\"name\":\"%s\"}", created[i]);
		buf_adds(&b, "]}");
		return b.data;
	}
	if (strcmp(path, "/api/v1/get_backup") == 0 && id != NULL) {
		/* Two polls running, then done. */
		if (++task_polls <= 2)
			return xasprintf("{\"requestId\":\"r\",\"data\":{\"id\":\"%s\","
			    "\"state_code\":1,\"start_time\":1766000000,\"progress\":%d,"
			    "\"name\":\"%s\"}}", id, task_polls * 40, created[0]);
		return record(created[0], time_wall_ms() / 1000, 4096);
	}
	if (strcmp(path, "/api/v1/get_backup") == 0 && name != NULL) {
		if (strcmp(name, "nightly_1") == 0)
			return record(name, 1766000000, 1024);
		if (strcmp(name, "nightly_2") == 0)
			return record(name, 1766000100, 2048);
		for (i = 0; i < n_created; i++)
			if (strcmp(name, created[i]) == 0)
				return record(name, time_wall_ms() / 1000, 4096);
		return xstrdup(not_found);
	}
	if (strcmp(path, "/api/v1/create") == 0 && n_created < 8 &&
	    (p = strstr(body, "\"backup_name\":\"")) != NULL) {
		p += strlen("\"backup_name\":\"");
		snprintf(created[n_created], sizeof created[0], "%.*s", (int)strcspn(p, "\""), p);
		return xasprintf("{\"requestId\":\"%s\",\"data\":{\"id\":\"%s\",\"state_code\":0,"
		    "\"progress\":0,\"name\":\"%s\"}}", rid, rid, created[n_created++]);
	}
	*code = 404;
	return xstrdup("404 page not found");
}

static enum MHD_Result
srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	struct conn *cn = *ctx;
	struct MHD_Response *resp;
	const char *rid;
	unsigned code = 200;
	enum MHD_Result ret;
	char *body;

	if (cn == NULL) {
		*ctx = cn = xcalloc(1, sizeof *cn);
		buf_add(&cn->body, "", 0);
		return MHD_YES;
	}
	if (*upload_len > 0) {
		buf_add(&cn->body, upload, *upload_len);
		*upload_len = 0;
		return MHD_YES;
	}
	rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "request_id");
	pthread_mutex_lock(&mu);
	hits++;
	body = srv_answer(c, url, cn->body.data, rid != NULL ? rid : "", &code);
	pthread_mutex_unlock(&mu);
	resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	ret = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
srv_start(void)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	http_global_init();
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, srv_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, srv_completed, NULL, MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	info = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT);
	srv_port = info->port;
}

static void
srv_stop(void)
{
	MHD_stop_daemon(srv);
	srv = NULL;
}

static int
counter(int *v)
{
	int n;

	pthread_mutex_lock(&mu);
	n = *v;
	pthread_mutex_unlock(&mu);
	return n;
}

static void
set_failing(bool on)
{
	pthread_mutex_lock(&mu);
	failing = on;
	pthread_mutex_unlock(&mu);
}

/* ---- the poll ------------------------------------------------------------- */

struct seen {
	struct backup_poll *bp;
	int changes;
	int read_done;			/* a read ended (loading went false) */
	int task_done;			/* the first task ended and its record is in */
	int running_pct;		/* the highest progress seen while it ran */
};

static void
on_changed(void *arg)
{
	struct seen *s = arg;
	const struct backup_poll_state *st = backup_poll_state(s->bp);
	size_t i;

	s->changes++;
	if (!st->loading)
		s->read_done = 1;
	if (st->n_tasks > 0 && st->tasks[0]->end == BACKUP_WAIT_GOING &&
	    st->tasks[0]->progress > s->running_pct)
		s->running_pct = st->tasks[0]->progress;
	if (st->n_tasks > 0 && st->tasks[0]->end != BACKUP_WAIT_GOING) {
		for (i = 0; i < st->cat.n; i++)
			if (strcmp(st->cat.v[i].name, st->tasks[0]->name) == 0)
				s->task_done = 1;
		if (st->tasks[0]->end != BACKUP_WAIT_SUCCESS)
			s->task_done = 1;
	}
}

static void
profile_for(struct profile *p, char *url, size_t len)
{
	snprintf(url, len, "http://127.0.0.1:%d", srv_port);
	memset(p, 0, sizeof *p);
	p->name = "t";
	p->backup_url = url;
	p->backup_timeout_ms = 2000;
	p->guards_rpo_target_ms = 3600000;
}

START_TEST(test_poll_reads_when_watched)
{
	struct loop *l = loop_new();
	const struct backup_poll_state *st;
	struct profile p;
	struct seen s;
	char url[64];
	int64_t t0;
	int h0;

	profile_for(&p, url, sizeof url);
	memset(&s, 0, sizeof s);
	h0 = counter(&hits);
	s.bp = backup_poll_new(l, &p, 60000, 50, on_changed, &s);
	st = backup_poll_state(s.bp);
	ck_assert(st->configured && st->usable);
	ck_assert_str_eq(st->url, url);
	/* Nobody looks: nothing is asked. */
	(void)loop_run_until(l, &s.task_done, 300);
	ck_assert_int_eq(counter(&hits), h0);
	ck_assert(!st->loaded && !st->loading);

	/* Watched: the read starts and the call returns at once. */
	t0 = time_mono_ms();
	backup_poll_watch(s.bp, true);
	ck_assert(time_mono_ms() - t0 < 50);
	ck_assert(st->loading);
	ck_assert_int_eq(counter(&hits), h0);
	s.read_done = 0;
	ck_assert_int_eq(loop_run_until(l, &s.read_done, 5000), 0);
	ck_assert(st->loaded && !st->loading && st->read_ms > 0);
	ck_assert_uint_eq(st->cat.n, 2);
	ck_assert_str_eq(st->cat.v[0].name, "nightly_2");	/* newest first */
	ck_assert_int_eq(st->cat.v[0].size, 2048);
	ck_assert_int_eq(counter(&lists), 1);

	/* Looked away and back within the period: no second /list. */
	backup_poll_watch(s.bp, false);
	backup_poll_watch(s.bp, true);
	(void)loop_run_until(l, &s.task_done, 200);
	ck_assert_int_eq(counter(&lists), 1);
	/* Asked for: read again. */
	backup_poll_refresh(s.bp);
	s.read_done = 0;
	ck_assert_int_eq(loop_run_until(l, &s.read_done, 5000), 0);
	ck_assert_int_eq(counter(&lists), 2);
	/* Asked while nobody looks: nothing now, a read when looked at. */
	backup_poll_watch(s.bp, false);
	backup_poll_refresh(s.bp);
	(void)loop_run_until(l, &s.task_done, 200);
	ck_assert_int_eq(counter(&lists), 2);
	ck_assert(!st->loading);
	backup_poll_watch(s.bp, true);
	ck_assert(st->loading);
	s.read_done = 0;
	ck_assert_int_eq(loop_run_until(l, &s.read_done, 5000), 0);
	ck_assert_int_eq(counter(&lists), 3);
	backup_poll_free(s.bp);
	loop_free(l);
}
END_TEST

START_TEST(test_poll_failure_keeps_last)
{
	struct loop *l = loop_new();
	const struct backup_poll_state *st;
	struct profile p;
	struct seen s;
	char url[64];
	int64_t good;

	profile_for(&p, url, sizeof url);
	memset(&s, 0, sizeof s);
	s.bp = backup_poll_new(l, &p, 60000, 50, on_changed, &s);
	st = backup_poll_state(s.bp);
	backup_poll_watch(s.bp, true);
	ck_assert_int_eq(loop_run_until(l, &s.read_done, 5000), 0);
	good = st->read_ms;
	ck_assert(good > 0 && st->failing_since_ms == 0);

	set_failing(true);
	backup_poll_refresh(s.bp);
	s.read_done = 0;
	ck_assert_int_eq(loop_run_until(l, &s.read_done, 8000), 0);
	set_failing(false);
	/* The last catalogue stays, with when it was good and since when not. */
	ck_assert(st->loaded);
	ck_assert_uint_eq(st->cat.n, 2);
	ck_assert_int_eq(st->read_ms, good);
	ck_assert(st->failing_since_ms >= good);
	ck_assert_int_ne(st->err, BACKUP_OK);
	ck_assert(st->error[0] != '\0');

	backup_poll_refresh(s.bp);
	s.read_done = 0;
	ck_assert_int_eq(loop_run_until(l, &s.read_done, 5000), 0);
	ck_assert(st->failing_since_ms == 0 && st->read_ms >= good && st->err == BACKUP_OK);
	backup_poll_free(s.bp);
	loop_free(l);
}
END_TEST

START_TEST(test_poll_create_followed)
{
	struct loop *l = loop_new();
	const struct backup_poll_state *st;
	const struct backup_poll_task *t;
	struct profile p;
	struct seen s;
	char url[64], name[96], err[256];
	size_t i;
	bool listed = false;
	int lists0;

	profile_for(&p, url, sizeof url);
	memset(&s, 0, sizeof s);
	pthread_mutex_lock(&mu);
	n_created = task_polls = 0;
	lists0 = lists;
	pthread_mutex_unlock(&mu);
	s.bp = backup_poll_new(l, &p, 60000, 50, on_changed, &s);
	st = backup_poll_state(s.bp);
	/* A selection that is not one collection is refused before sending. */
	ck_assert_int_eq(backup_poll_create(s.bp, "default.*", name, sizeof name, err,
	    sizeof err), -1);
	ck_assert_int_eq(backup_poll_create(s.bp, "bad name!", name, sizeof name, err,
	    sizeof err), -1);
	ck_assert_uint_eq(st->n_tasks, 0);

	ck_assert_int_eq(backup_poll_create(s.bp, "default.docs", name, sizeof name, err,
	    sizeof err), 0);
	ck_assert(strncmp(name, "milvusadm_", 10) == 0);
	ck_assert_uint_eq(st->n_tasks, 1);
	t = st->tasks[0];
	ck_assert_str_eq(t->name, name);
	ck_assert_str_eq(t->what, "default.docs");
	ck_assert_int_eq(t->end, BACKUP_WAIT_GOING);
	/* Followed to its end without anyone looking at the catalogue. */
	ck_assert_int_eq(loop_run_until(l, &s.task_done, 8000), 0);
	t = st->tasks[0];
	/* Its progress as the polls said it (40 %, 80 %), then done. */
	ck_assert_int_eq(s.running_pct, 80);
	ck_assert_int_eq(t->end, BACKUP_WAIT_SUCCESS);
	ck_assert_int_eq(t->progress, 100);
	ck_assert(t->ended_ms >= t->started_ms);
	ck_assert_ptr_null(t->message);
	ck_assert_int_ge(counter(&task_polls), 3);
	for (i = 0; i < st->cat.n; i++)
		if (strcmp(st->cat.v[i].name, name) == 0)
			listed = st->cat.v[i].size == 4096 && st->cat.v[i].n_colls == 1;
	ck_assert_msg(listed, "the new backup is not in the catalogue with its size");
	ck_assert_int_eq(counter(&lists), lists0);	/* no /list needed */
	backup_poll_free(s.bp);
	loop_free(l);
}
END_TEST

START_TEST(test_poll_unconfigured)
{
	struct loop *l = loop_new();
	struct backup_poll *bp;
	const struct backup_poll_state *st;
	struct profile p;
	char name[96], err[256];

	memset(&p, 0, sizeof p);
	p.name = "nobk";
	bp = backup_poll_new(l, &p, 60000, 50, NULL, NULL);
	st = backup_poll_state(bp);
	ck_assert(!st->configured && !st->usable);
	ck_assert_ptr_nonnull(strstr(st->why, "backup.url"));
	backup_poll_watch(bp, true);
	backup_poll_refresh(bp);
	ck_assert(!st->loading);
	ck_assert_int_eq(backup_poll_create(bp, "default.docs", name, sizeof name, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "backup.url"));
	backup_poll_free(bp);
	loop_free(l);
}
END_TEST

/* Freed with a read and a create in flight: no callback after, nothing left. */
START_TEST(test_poll_free_in_flight)
{
	struct loop *l = loop_new();
	struct profile p;
	struct seen s;
	char url[64], name[96], err[256];
	int never = 0;

	profile_for(&p, url, sizeof url);
	memset(&s, 0, sizeof s);
	s.bp = backup_poll_new(l, &p, 60000, 50, on_changed, &s);
	backup_poll_watch(s.bp, true);
	ck_assert_int_eq(backup_poll_create(s.bp, "default.docs", name, sizeof name, err,
	    sizeof err), 0);
	(void)loop_run_until(l, &never, 5);
	backup_poll_free(s.bp);
	s.changes = 0;
	(void)loop_run_until(l, &never, 200);
	ck_assert_int_eq(s.changes, 0);
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-poll");
	TCase *tc = tcase_create("levels"), *tn = tcase_create("poll");

	tcase_add_test(tc, test_rpo_level_bounds);
	tcase_add_test(tc, test_rpo_level_from_catalogue);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(tn, srv_start, srv_stop);
	tcase_set_timeout(tn, 30);
	tcase_add_test(tn, test_poll_reads_when_watched);
	tcase_add_test(tn, test_poll_failure_keeps_last);
	tcase_add_test(tn, test_poll_create_followed);
	tcase_add_test(tn, test_poll_unconfigured);
	tcase_add_test(tn, test_poll_free_in_flight);
	suite_add_tcase(s, tn);
	return s;
}
