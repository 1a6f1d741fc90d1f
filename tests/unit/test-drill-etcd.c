/* SPDX-License-Identifier: MIT */
/* Unit tests for the etcd member drill's polls (drill-etcd.c) against three
 * fake etcd gateways on 127.101.0.1-3: a drill freed with status and range
 * calls in flight leaves nothing behind (the ASan build shows a leak
 * otherwise), and answers that come after are not taken for another drill's. */
#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "milvusadm/b64.h"
#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/drill.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#include "../../src/ops/drill-int.h"

#define N_SRV	3

static struct MHD_Daemon *srv[N_SRV];
static int srv_port[N_SRV];
static atomic_int hang_ms;		/* status and range answers wait this long */
static atomic_int n_status, n_range;
static atomic_int range_fail;		/* range answers are an etcd error */

struct conn {
	bool started;
};

static void
srv_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*ctx);
	*ctx = NULL;
}

static enum MHD_Result
srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **ctx)
{
	int me = (int)(intptr_t)cls;
	struct MHD_Response *resp;
	struct buf out = BUF_INIT;
	enum MHD_Result ret;
	int i;

	(void)method;
	(void)version;
	(void)upload;
	if (*ctx == NULL) {
		*ctx = xcalloc(1, sizeof(struct conn));
		return MHD_YES;
	}
	if (*upload_size > 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/v3/cluster/member/list") == 0) {
		buf_adds(&out, "{\"header\":{\"cluster_id\":\"9\",\"member_id\":\"1\","
		    "\"raft_term\":\"3\"},\"members\":[");
		for (i = 0; i < N_SRV; i++)
			buf_printf(&out, "%s{\"ID\":\"%d\",\"name\":\"e%d\",\"peerURLs\":"
			    "[\"http://127.101.0.%d:2380\"],\"clientURLs\":"
			    "[\"http://127.101.0.%d:%d\"]}", i > 0 ? "," : "", i + 1, i + 1,
			    i + 1, i + 1, srv_port[i]);
		buf_adds(&out, "]}");
	} else if (strcmp(url, "/v3/maintenance/status") == 0) {
		atomic_fetch_add(&n_status, 1);
		if (atomic_load(&hang_ms) > 0)
			usleep((useconds_t)atomic_load(&hang_ms) * 1000);
		buf_printf(&out, "{\"header\":{\"cluster_id\":\"9\",\"member_id\":\"%d\","
		    "\"revision\":\"5\",\"raft_term\":\"3\"},\"version\":\"3.5.9\","
		    "\"dbSize\":\"20480\",\"leader\":\"1\",\"raftIndex\":\"10\",\"raftTerm\":\"3\","
		    "\"raftAppliedIndex\":\"10\",\"dbSizeInUse\":\"20480\"}", me + 1);
	} else if (strcmp(url, "/v3/kv/range") == 0) {
		char *k = b64_encode("by-dev/meta/session/proxy-1", 27);
		char *v = b64_encode("{}", 2);

		atomic_fetch_add(&n_range, 1);
		if (atomic_load(&hang_ms) > 0)
			usleep((useconds_t)atomic_load(&hang_ms) * 1000);
		if (atomic_load(&range_fail)) {
			buf_adds(&out, "{\"error\":\"etcdserver: no leader\",\"code\":14,"
			    "\"message\":\"etcdserver: no leader\"}");
		} else {
			buf_printf(&out, "{\"header\":{\"revision\":\"5\",\"raft_term\":\"3\"},"
			    "\"kvs\":[{\"key\":\"%s\",\"create_revision\":\"2\","
			    "\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"%s\","
			    "\"lease\":\"7\"}],\"count\":\"1\"}", k, v);
		}
		free(k);
		free(v);
	} else
		buf_adds(&out, "{\"error\":\"not found\",\"code\":5,\"message\":\"not found\"}");
	resp = MHD_create_response_from_buffer(out.len, out.data, MHD_RESPMEM_MUST_COPY);
	buf_release(&out);
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
srv_start(void)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	char ip[32];
	int i;

	http_global_init();
	for (i = 0; i < N_SRV; i++) {
		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		snprintf(ip, sizeof ip, "127.101.0.%d", i + 1);
		inet_pton(AF_INET, ip, &sa.sin_addr);
		srv[i] = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
		    MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, srv_handler, (void *)(intptr_t)i,
		    MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED, srv_completed, NULL,
		    MHD_OPTION_END);
		ck_assert_msg(srv[i] != NULL, "cannot serve on %s", ip);
		info = MHD_get_daemon_info(srv[i], MHD_DAEMON_INFO_BIND_PORT);
		srv_port[i] = info->port;
	}
	atomic_store(&hang_ms, 0);
	atomic_store(&n_status, 0);
	atomic_store(&n_range, 0);
	atomic_store(&range_fail, 0);
}

static void
srv_stop(void)
{
	int i;

	for (i = 0; i < N_SRV; i++) {
		MHD_stop_daemon(srv[i]);
		srv[i] = NULL;
	}
}

struct env {
	struct loop *l;
	struct state *st;
	char *eps[N_SRV + 1];
};

static void
env_open(struct env *e)
{
	struct profile p;
	char err[256];
	int i;

	memset(e, 0, sizeof *e);
	for (i = 0; i < N_SRV; i++)
		e->eps[i] = xasprintf("http://127.101.0.%d:%d", i + 1, srv_port[i]);
	memset(&p, 0, sizeof p);
	p.name = (char *)"t";
	p.etcd_endpoints = e->eps;
	p.n_etcd_endpoints = N_SRV;
	p.timeout_ms = 3000;
	e->l = loop_new();
	e->st = state_new(e->l, &p, err, sizeof err);
	ck_assert_msg(e->st != NULL, "%s", err);
}

static void
env_close(struct env *e)
{
	int i;

	state_free(e->st);
	loop_free(e->l);
	for (i = 0; i < N_SRV; i++)
		free(e->eps[i]);
}

/* Events per drill: arg is the counter. */
static void
on_ev(enum drill_ev ev, int64_t at, const struct drill_sample *s, void *arg)
{
	(void)ev;
	(void)at;
	(void)s;
	(*(int *)arg)++;
}

static struct drill_etcd *
de_open(struct env *e, struct drill_report *r, int *events)
{
	struct fault_target t;
	struct drill_etcd *de;
	bool refused;
	char err[256];

	memset(&t, 0, sizeof t);
	de = drill_etcd_new(e->st, "etcd-leader", r, &t, on_ev, events, &refused, err,
	    sizeof err);
	ck_assert_msg(de != NULL, "%s", err);
	ck_assert_str_eq(r->etcd_member, "e1");
	return de;
}

/* Ask every status DETECT and ELECT ask, and a range as RECOVER does. */
static void
ask_all(struct drill_etcd *de)
{
	struct drill_fsm f;
	int64_t now = time_wall_ms();

	drill_fsm_init(&f, 0, false, 3, 30000, 0, 0);
	f.phase = DRILL_DETECT;
	drill_etcd_poll(de, &f, now);
	f.phase = DRILL_RECOVER;
	f.ready_ms = now;
	drill_etcd_poll(de, &f, now);
}

static void
run_for(struct loop *l, int64_t ms)
{
	int64_t end = time_mono_ms() + ms;

	while (time_mono_ms() < end)
		loop_once(l, 20);
}

/* Probe samples per drill: how many came, how many were ok. */
struct probes {
	int n, ok;
};

static void
on_probe(enum drill_ev ev, int64_t at, const struct drill_sample *s, void *arg)
{
	struct probes *p = arg;

	(void)at;
	if (ev != DRILL_EV_PROBE || s == NULL)
		return;
	p->n++;
	p->ok += s->ok;
}

START_TEST(test_free_with_calls_in_flight)
{
	struct drill_report *r = xcalloc(1, sizeof *r);
	struct drill_etcd *de;
	struct env e;
	int events = 0;

	srv_start();
	env_open(&e);
	de = de_open(&e, r, &events);
	atomic_store(&hang_ms, 600);
	ask_all(de);
	/* Until the fakes hold all four: three statuses and the range. */
	run_for(e.l, 200);
	ck_assert_int_ge(atomic_load(&n_status), N_SRV + 3);
	ck_assert_int_eq(atomic_load(&n_range), 2);
	ck_assert_int_eq(events, 0);
	/* Freed with the calls in flight, then the client cancels them without
	 * calling back: all of it goes now, or never. */
	drill_etcd_free(de);
	drill_report_free(r);
	env_close(&e);
	srv_stop();
}
END_TEST

START_TEST(test_late_answers_find_no_drill)
{
	struct drill_report *r1 = xcalloc(1, sizeof *r1), *r2 = xcalloc(1, sizeof *r2);
	struct drill_etcd *de1, *de2;
	struct env e;
	int ev1 = 0, ev2 = 0;

	srv_start();
	env_open(&e);
	de1 = de_open(&e, r1, &ev1);
	atomic_store(&hang_ms, 300);
	ask_all(de1);
	run_for(e.l, 100);
	drill_etcd_free(de1);
	/* A new drill, possibly where the old one was, while the old answers are
	 * still to come; the state (and its client) lives on, as in the TUI. */
	atomic_store(&hang_ms, 0);
	de2 = de_open(&e, r2, &ev2);
	run_for(e.l, 700);
	ck_assert_int_eq(ev1, 0);
	ck_assert_int_eq(ev2, 0);
	/* Its own answers reach it: the range is a probe sample. */
	ask_all(de2);
	run_for(e.l, 500);
	ck_assert_int_eq(ev1, 0);
	ck_assert_int_ge(ev2, 1);
	drill_etcd_finish(de2, r2);
	ck_assert_int_eq(r2->sessions_lost, 0);
	drill_etcd_free(de2);
	drill_report_free(r1);
	drill_report_free(r2);
	env_close(&e);
	srv_stop();
}
END_TEST

/* A range that etcd answers with an error is a failed probe, not a good one:
 * the report's probe counts would otherwise hide an outage. */
START_TEST(test_range_error_is_a_failed_probe)
{
	struct drill_report *r = xcalloc(1, sizeof *r);
	struct drill_etcd *de;
	struct fault_target t;
	struct probes pr = { 0, 0 };
	struct env e;
	bool refused;
	char err[256];

	srv_start();
	env_open(&e);
	memset(&t, 0, sizeof t);
	de = drill_etcd_new(e.st, "etcd-leader", r, &t, on_probe, &pr, &refused, err,
	    sizeof err);
	ck_assert_msg(de != NULL, "%s", err);
	atomic_store(&range_fail, 1);
	ask_all(de);
	run_for(e.l, 500);
	ck_assert_int_ge(pr.n, 1);
	ck_assert_int_eq(pr.ok, 0);
	/* And a good answer is a good probe. */
	atomic_store(&range_fail, 0);
	pr.n = pr.ok = 0;
	run_for(e.l, 50);
	ask_all(de);
	run_for(e.l, 500);
	ck_assert_int_ge(pr.n, 1);
	ck_assert_int_eq(pr.ok, pr.n);
	drill_etcd_free(de);
	drill_report_free(r);
	env_close(&e);
	srv_stop();
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill-etcd");
	TCase *tc = tcase_create("etcd");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_free_with_calls_in_flight);
	tcase_add_test(tc, test_late_answers_find_no_drill);
	tcase_add_test(tc, test_range_error_is_a_failed_probe);
	suite_add_tcase(s, tc);
	return s;
}
