/* SPDX-License-Identifier: MIT */
/* Unit tests for the querynode drill's "served" poll (drill-worker.c over
 * state_replicas_fetch) against a libmicrohttpd proxy 9091 on 127.94.0.250
 * playing 2.5 (/api/v1/_qc/replica) and 2.4 (404 there, /api/v1/replicas per
 * collection). */
#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/session.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#include "../../src/ops/drill-int.h"
#include "../../src/ops/state-int.h"

#define SRV_IP		"127.94.0.250"
#define DEAD		6
#define SPARE		7

static struct MHD_Daemon *srv;
static int srv_port;
static atomic_int qc_supported;		/* 2.5+: /_qc/replica answers */
static atomic_int moved;		/* querycoord moved DEAD's replica to SPARE */
static atomic_int v1_fails;		/* /api/v1/replicas fails: 1 HTTP 500, 2 a status */
static atomic_int hits_qc, hits_v1;

struct conn {
	struct buf body;
};

static void
srv_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *ctx;

	(void)cls;
	(void)c;
	(void)toe;
	if (cn != NULL) {
		buf_release(&cn->body);
		free(cn);
		*ctx = NULL;
	}
}

/* Collection 100: replica 1 on node 5; collection 200: replica 2 on DEAD
 * until moved, then on SPARE. */
static void
answer_v1(const char *body, struct buf *out, unsigned *code)
{
	int node = atomic_load(&moved) ? SPARE : DEAD;

	if (atomic_load(&v1_fails) == 1) {
		*code = 500;
		buf_adds(out, "{\"error_code\":1,\"reason\":\"proxy not healthy\"}");
	} else if (atomic_load(&v1_fails) == 2)
		/* 2.3/2.4 querycoord while a replica has no node or a shard no
		 * online leader: HTTP 200, the failure in the status. */
		buf_adds(out, "{\"status\":{\"error_code\":1,\"reason\":\"no available nodes "
		    "in replica\",\"code\":401}}");
	else if (strstr(body, "\"collectionID\":100") != NULL)
		buf_adds(out, "{\"status\":{},\"replicas\":[{\"replicaID\":1,\"collectionID\":100,"
		    "\"partition_ids\":[101],\"shard_replicas\":[{\"leaderID\":5,\"leader_addr\":"
		    "\"127.94.0.5:21123\",\"dm_channel_name\":\"dml_0_100v0\",\"node_ids\":[5]}],"
		    "\"node_ids\":[5],\"resource_group_name\":\"__default_resource_group\"}]}");
	else if (strstr(body, "\"collectionID\":200") != NULL)
		buf_printf(out, "{\"status\":{},\"replicas\":[{\"replicaID\":2,\"collectionID\":200,"
		    "\"partition_ids\":[201],\"shard_replicas\":[{\"leaderID\":%d,\"leader_addr\":"
		    "\"127.94.0.%d:21123\",\"dm_channel_name\":\"dml_1_200v0\",\"node_ids\":[%d]}],"
		    "\"node_ids\":[%d],\"resource_group_name\":\"__default_resource_group\"}]}",
		    node, node, node, node);
	else
		buf_adds(out, "{\"status\":{\"error_code\":4,\"reason\":\"collection not found\","
		    "\"code\":100}}");
}

static void
answer_qc(struct buf *out)
{
	int node = atomic_load(&moved) ? SPARE : DEAD;

	buf_printf(out, "[{\"ID\":\"1\",\"collectionID\":\"100\",\"database_id\":\"1\","
	    "\"rw_nodes\":[5],\"resource_group\":\"__default_resource_group\","
	    "\"channel_to_rw_nodes\":{\"dml_0_100v0\":[5]}},"
	    "{\"ID\":\"2\",\"collectionID\":\"200\",\"database_id\":\"1\",\"rw_nodes\":[%d],"
	    "\"resource_group\":\"__default_resource_group\","
	    "\"channel_to_rw_nodes\":{\"dml_1_200v0\":[%d]}}]", node, node);
}

static enum MHD_Result
srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **ctx)
{
	struct conn *cn = *ctx;
	struct MHD_Response *resp;
	struct buf out = BUF_INIT;
	unsigned code = 200;
	enum MHD_Result ret;

	(void)cls;
	(void)method;
	(void)version;
	if (cn == NULL) {
		*ctx = xcalloc(1, sizeof *cn);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		buf_add(&cn->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	buf_addc(&cn->body, '\0');
	if (strcmp(url, "/api/v1/_qc/replica") == 0) {
		atomic_fetch_add(&hits_qc, 1);
		if (atomic_load(&qc_supported))
			answer_qc(&out);
		else {
			code = 404;
			buf_adds(&out, "404 page not found");
		}
	} else if (strcmp(url, "/api/v1/replicas") == 0) {
		atomic_fetch_add(&hits_v1, 1);
		answer_v1(cn->body.data, &out, &code);
	} else {
		code = 404;
		buf_adds(&out, "404 page not found");
	}
	resp = MHD_create_response_from_buffer(out.len, out.data, MHD_RESPMEM_MUST_COPY);
	buf_release(&out);
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
	inet_pton(AF_INET, SRV_IP, &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, srv_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, srv_completed, NULL, MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	info = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT);
	srv_port = info->port;
	atomic_store(&qc_supported, 0);
	atomic_store(&moved, 0);
	atomic_store(&v1_fails, 0);
	atomic_store(&hits_qc, 0);
	atomic_store(&hits_v1, 0);
}

static void
srv_stop(void)
{
	MHD_stop_daemon(srv);
	srv = NULL;
}

/* A state whose model has one proxy on SRV_IP (its 9091 is the server's
 * port) and, when known, two loaded collections. No etcd is ever asked. */
static struct state *
fixture(struct loop *l, bool collections_known)
{
	struct profile p;
	struct state *st;
	struct cluster *c;
	struct session_key k;
	char *ep[] = { (char *)"http://127.94.0.251:2379", NULL };
	char err[256], json[256];
	static const char *const ids[] = { "100", "200" };
	size_t i;

	memset(&p, 0, sizeof p);
	p.name = (char *)"t";
	p.etcd_endpoints = ep;
	p.n_etcd_endpoints = 1;
	p.milvus_metrics_port = srv_port;
	p.timeout_ms = 2000;
	st = state_new(l, &p, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	c = state_cluster(st);
	memset(&k, 0, sizeof k);
	snprintf(json, sizeof json, "{\"ServerID\":1,\"ServerName\":\"proxy\",\"Address\":"
	    "\"%s:19529\",\"Version\":\"2.4.13\"}", SRV_IP);
	ck_assert_int_eq(session_parse("by-dev/meta/session/proxy-1", json, strlen(json), &k.s,
	    err, sizeof err), 1);
	cluster_sessions_replace(c, &k, 1, 10, time_wall_ms());
	ck_assert_uint_eq(c->n_components, 1);
	if (!collections_known)
		return st;
	c->collections = xcalloc(2, sizeof *c->collections);
	for (i = 0; i < 2; i++) {
		c->collections[i].db = xstrdup("default");
		c->collections[i].name = xasprintf("c%zu", i);
		c->collections[i].id = xstrdup(ids[i]);
		c->collections[i].load_state = xstrdup("LoadStateLoaded");
	}
	c->n_collections = 2;
	source_ok(&c->src_proxy, time_wall_ms());
	return st;
}

static int64_t served_at;

static void
on_served(int64_t at, void *arg)
{
	(void)arg;
	served_at = at;
}

/* Poll as the drill's tick does, for ms or until served. */
static void
run_polls(struct loop *l, struct drill_served *sv, int64_t ms)
{
	int64_t end = time_mono_ms() + ms;

	while (served_at == 0 && time_mono_ms() < end) {
		drill_served_poll(sv, time_wall_ms());
		loop_once(l, 20);
	}
}

static const char *
note_of(const struct drill_served *sv, struct drill_report *r)
{
	drill_served_note(sv, r);
	ck_assert_uint_ge(r->n_notes, 1);
	return r->notes[r->n_notes - 1];
}

/* One test's world: the loop, the state, the poller, a report for notes.
 * The fake proxy is started first (the test sets its switches after). */
struct env {
	struct loop *l;
	struct state *st;
	struct drill_served *sv;
	struct drill_report *r;
};

static void
env_open(struct env *e, bool collections_known)
{
	e->l = loop_new();
	e->r = xcalloc(1, sizeof *e->r);
	e->st = fixture(e->l, collections_known);
	served_at = 0;
	e->sv = drill_served_new(e->st, DEAD, on_served, NULL);
}

static void
env_close(struct env *e)
{
	drill_served_free(e->sv);
	drill_report_free(e->r);
	state_free(e->st);
	loop_free(e->l);
	srv_stop();
}

START_TEST(test_served_24_per_collection)
{
	struct env e;
	const char *note;
	int v1;

	srv_start();
	env_open(&e, true);
	/* Still on DEAD: polls go on, nothing served. */
	run_polls(e.l, e.sv, 1200);
	ck_assert_int_eq(served_at, 0);
	/* One 404 taught it the version: /_qc/replica is not asked again. */
	ck_assert_int_eq(atomic_load(&hits_qc), 1);
	v1 = atomic_load(&hits_v1);
	ck_assert_int_ge(v1, 4);
	atomic_store(&moved, 1);
	run_polls(e.l, e.sv, 3000);
	ck_assert_int_ne(served_at, 0);
	ck_assert_int_eq(atomic_load(&hits_qc), 1);
	note = note_of(e.sv, e.r);
	ck_assert_msg(strstr(note, "polls of /api/v1/replicas, one call per loaded collection")
	    != NULL, "%s", note);
	ck_assert_msg(strstr(note, "/api/v1/_qc/replica answered 404") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "; 0 failed)") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "earlier") == NULL, "%s", note);
	/* The model's replicas were not touched. */
	ck_assert_uint_eq(state_cluster(e.st)->n_replicas, 0);
	env_close(&e);
}
END_TEST

START_TEST(test_served_25_qc_unchanged)
{
	struct env e;
	const char *note;
	char want[200];
	int polls;

	srv_start();
	atomic_store(&qc_supported, 1);
	env_open(&e, true);
	run_polls(e.l, e.sv, 800);
	ck_assert_int_eq(served_at, 0);
	atomic_store(&moved, 1);
	run_polls(e.l, e.sv, 3000);
	ck_assert_int_ne(served_at, 0);
	ck_assert_int_eq(atomic_load(&hits_v1), 0);
	polls = atomic_load(&hits_qc);
	ck_assert_int_ge(polls, 3);
	/* The 2.5 note, word for word as before. */
	snprintf(want, sizeof want, "recover waited for the replicas to leave querynode %d (%d "
	    "polls of /api/v1/_qc/replica, 0 failed)", DEAD, polls);
	note = note_of(e.sv, e.r);
	ck_assert_str_eq(note, want);
	env_close(&e);
}
END_TEST

START_TEST(test_served_24_errors_not_served)
{
	struct env e;
	const char *note;

	srv_start();
	atomic_store(&moved, 1);
	atomic_store(&v1_fails, 1);
	env_open(&e, true);
	run_polls(e.l, e.sv, 800);
	/* Failed answers never count as served, even with the node moved. */
	ck_assert_int_eq(served_at, 0);
	note = note_of(e.sv, e.r);
	ck_assert_msg(strstr(note, "/api/v1/replicas") != NULL, "%s", note);
	ck_assert_msg(strstr(note, "failed: ") != NULL, "%s", note);
	atomic_store(&v1_fails, 2);
	run_polls(e.l, e.sv, 800);
	ck_assert_int_eq(served_at, 0);
	note = note_of(e.sv, e.r);
	ck_assert_msg(strstr(note, "no available nodes in replica") != NULL, "%s", note);
	atomic_store(&v1_fails, 0);
	run_polls(e.l, e.sv, 3000);
	ck_assert_int_ne(served_at, 0);
	env_close(&e);
}
END_TEST

START_TEST(test_served_24_collections_unknown)
{
	struct env e;
	const char *note;

	srv_start();
	atomic_store(&moved, 1);
	/* No collection was ever read, and the proxy's 19530 does not answer:
	 * no collection to walk must not read as "no replica left". */
	env_open(&e, false);
	run_polls(e.l, e.sv, 1500);
	ck_assert_int_eq(served_at, 0);
	ck_assert_int_eq(atomic_load(&hits_v1), 0);
	note = note_of(e.sv, e.r);
	ck_assert_msg(strstr(note, "loaded collections unknown") != NULL, "%s", note);
	env_close(&e);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill-served");
	TCase *tc = tcase_create("served");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_served_24_per_collection);
	tcase_add_test(tc, test_served_25_qc_unchanged);
	tcase_add_test(tc, test_served_24_errors_not_served);
	tcase_add_test(tc, test_served_24_collections_unknown);
	suite_add_tcase(s, tc);
	return s;
}
