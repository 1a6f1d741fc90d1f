/* SPDX-License-Identifier: MIT */
/* The etcd client against a real etcd it starts on 127.61.0.x (TAP SKIP without etcd). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"

/* Nothing listens there: the first endpoint of the fail-over tests. */
#define DEAD_ENDPOINT "http://127.61.0.9:2379"

static pid_t etcd_pid = -1;
static char data_dir[64];
static char client_url[64];
static char peer_url[64];
static char ip[32];
static struct loop *lp;

static bool
find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, full[4096];
	bool found = false;

	if (path == NULL)
		path = "/usr/bin:/bin";
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir != NULL && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof full, "%s/%s", dir, name);
		found = access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* POST straight to etcd (for what the client does not offer: compaction, auth admin). */
static long
raw_post(const char *path, const char *body, const char *token, char **out)
{
	struct http_opts o;
	char url[256], err[256];
	long status = 0;
	char *resp = NULL;

	memset(&o, 0, sizeof o);
	snprintf(url, sizeof url, "%s%s", client_url, path);
	o.method = "POST";
	o.url = url;
	o.body = body;
	o.content_type = "application/json";
	o.authorization = token;
	o.timeout_ms = 5000;
	if (http_sync(lp, &o, &status, &resp, NULL, err, sizeof err) != 0)
		status = 0;
	if (out != NULL)
		*out = resp;
	else
		free(resp);
	return status;
}

static void
etcd_spawn(void)
{
	char log[128], data[128];
	int fd, i;

	snprintf(log, sizeof log, "%s/etcd.log", data_dir);
	snprintf(data, sizeof data, "%s/data", data_dir);
	etcd_pid = fork();
	ck_assert_int_ne(etcd_pid, -1);
	if (etcd_pid == 0) {
		char cluster[128];

		/* Never outlive the test, even if it crashes. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		snprintf(cluster, sizeof cluster, "default=%s", peer_url);
		/* Short token TTL so that the re-authentication path gets exercised. */
		execlp("etcd", "etcd", "--data-dir", data, "--name", "default",
		    "--listen-client-urls", client_url, "--advertise-client-urls", client_url,
		    "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls", peer_url,
		    "--initial-cluster", cluster, "--auth-token-ttl", "2", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		char *body = NULL;

		if (raw_post("/v3/maintenance/status", "{}", NULL, &body) == 200 &&
		    strstr(body, "\"leader\"") != NULL) {
			free(body);
			return;
		}
		free(body);
		sleep_ms(100);
	}
	ck_abort_msg("etcd did not come up on %s", client_url);
}

static void
etcd_kill(void)
{
	int status, i;

	if (etcd_pid <= 0)
		return;
	kill(etcd_pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(etcd_pid, &status, WNOHANG) == etcd_pid) {
			etcd_pid = -1;
			return;
		}
		sleep_ms(50);
	}
	kill(etcd_pid, SIGKILL);
	waitpid(etcd_pid, &status, 0);
	etcd_pid = -1;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Without etcd nothing here can run: tap-main says "1..0 # SKIP". */
const char *
test_skip(void)
{
	return find_in_path("etcd") ? NULL : "no 'etcd' binary in PATH";
}

static void
setup(void)
{
	int host;

	http_global_init();
	lp = loop_new();
	/* test_skip() said so before any test ran: here it is a failure. */
	ck_assert_msg(find_in_path("etcd"), "no 'etcd' binary in PATH");
	/* A per-process address, so that two builds running this test do not collide. */
	host = 10 + (int)(getpid() % 240);
	snprintf(ip, sizeof ip, "127.61.0.%d", host);
	snprintf(client_url, sizeof client_url, "http://%s:2379", ip);
	snprintf(peer_url, sizeof peer_url, "http://%s:2380", ip);
	snprintf(data_dir, sizeof data_dir, "/tmp/milvusadm-etcd-live.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(data_dir));
	etcd_spawn();
}

static void
teardown(void)
{
	etcd_kill();
	if (data_dir[0] != '\0')
		nftw(data_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	loop_free(lp);
	http_global_cleanup();
}

static struct etcd *
client(const char *first, const char *user, const char *pass)
{
	const char *eps[3] = { first, client_url, NULL };
	struct etcd_opts o;
	struct etcd *e;
	char err[256];

	memset(&o, 0, sizeof o);
	o.endpoints = first != NULL ? eps : eps + 1;
	o.username = user;
	o.password = pass;
	o.timeout_ms = 2000;
	e = etcd_new(lp, &o, err, sizeof err);
	ck_assert_msg(e != NULL, "%s", err);
	return e;
}

/* Async call helper: keep what the tests look at. */
struct got {
	int done;
	int err;
	int64_t deleted;
	size_t n_prev;
	char prev_value[64];
};

static void
got_cb(const struct etcd_result *r, void *arg)
{
	struct got *g = arg;

	g->err = r->err;
	g->deleted = r->deleted;
	g->n_prev = r->n_prev_kvs;
	if (r->n_prev_kvs > 0)
		snprintf(g->prev_value, sizeof g->prev_value, "%s", r->prev_kvs[0].value);
	g->done = 1;
}

START_TEST(test_kv)
{
	struct etcd *e;
	struct etcd_result *r;
	struct got g = { 0 };

	e = client(NULL, NULL, NULL);
	r = etcd_put_sync(e, "t/kv/a", "1\0x", 3, 0);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	ck_assert_int_gt(r->header.revision, 1);
	etcd_result_free(r);
	r = etcd_put_sync(e, "t/kv/b", "2", 1, 0);
	etcd_result_free(r);
	r = etcd_range_sync(e, "t/kv/a", NULL, 0, 0);
	ck_assert_int_eq(r->err, 0);
	ck_assert_uint_eq(r->n_kvs, 1);
	ck_assert_uint_eq(r->kvs[0].value_len, 3);
	ck_assert_mem_eq(r->kvs[0].value, "1\0x", 3);
	ck_assert_str_eq(r->endpoint, client_url);
	etcd_result_free(r);
	r = etcd_range_prefix_sync(e, "t/kv/", 0);
	ck_assert_uint_eq(r->n_kvs, 2);
	ck_assert_int_eq(r->count, 2);
	ck_assert_str_eq(r->kvs[1].key, "t/kv/b");
	etcd_result_free(r);
	r = etcd_range_prefix_sync(e, "t/kv/", ETCD_RANGE_COUNT_ONLY);
	ck_assert_uint_eq(r->n_kvs, 0);
	ck_assert_int_eq(r->count, 2);
	etcd_result_free(r);
	/* Async delete with prev_kv. */
	ck_assert_int_eq(etcd_delete(e, "t/kv/b", NULL, true, got_cb, &g), 0);
	ck_assert_int_eq(g.done, 0);
	ck_assert_int_eq(loop_run_until(lp, &g.done, 10000), 0);
	ck_assert_int_eq(g.err, 0);
	ck_assert_int_eq(g.deleted, 1);
	ck_assert_uint_eq(g.n_prev, 1);
	ck_assert_str_eq(g.prev_value, "2");
	r = etcd_delete_sync(e, "t/kv/", "t/kv0");
	ck_assert_int_eq(r->deleted, 1);
	etcd_result_free(r);
	r = etcd_range_prefix_sync(e, "t/kv/", 0);
	ck_assert_uint_eq(r->n_kvs, 0);
	etcd_result_free(r);
	etcd_free(e);
}
END_TEST

START_TEST(test_txn)
{
	struct etcd *e = NULL;
	struct etcd_result *r;
	struct etcd_txn *t;
	int i;

	e = client(NULL, NULL, NULL);
	for (i = 0; i < 2; i++) {
		t = etcd_txn_new();
		etcd_txn_cmp_int(t, "t/txn/k", ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
		etcd_txn_put(t, true, "t/txn/k", i == 0 ? "first" : "second", i == 0 ? 5 : 6, 0);
		etcd_txn_range(t, false, "t/txn/k", NULL);
		r = etcd_txn_commit_sync(e, t);
		ck_assert_msg(r->err == 0, "%s", r->errmsg);
		ck_assert_uint_eq(r->n_responses, 1);
		if (i == 0) {
			ck_assert(r->succeeded);
			ck_assert_int_eq(r->responses[0].type, ETCD_TXN_PUT);
		} else {
			ck_assert(!r->succeeded);
			ck_assert_int_eq(r->responses[0].type, ETCD_TXN_RANGE);
			ck_assert_uint_eq(r->responses[0].n_kvs, 1);
			ck_assert_str_eq(r->responses[0].kvs[0].value, "first");
		}
		etcd_result_free(r);
	}
	/* A value compare and a delete in the success branch. */
	t = etcd_txn_new();
	etcd_txn_cmp_value(t, "t/txn/k", ETCD_CMP_EQUAL, "first", 5);
	etcd_txn_delete(t, true, "t/txn/k", NULL);
	r = etcd_txn_commit_sync(e, t);
	ck_assert(r->succeeded);
	ck_assert_int_eq(r->responses[0].type, ETCD_TXN_DELETE);
	ck_assert_int_eq(r->responses[0].deleted, 1);
	etcd_result_free(r);
	etcd_free(e);
}
END_TEST

struct ka {
	int done;
	int err;
	int64_t ttl;
};

static void
ka_cb(const struct etcd_result *r, void *arg)
{
	struct ka *k = arg;

	k->err = r->err;
	k->ttl = r->ttl;
	k->done = 1;
}

START_TEST(test_lease)
{
	struct etcd *e;
	struct etcd_result *r;
	struct ka k = { 0 };
	int64_t id;

	e = client(NULL, NULL, NULL);
	r = etcd_lease_grant_sync(e, 30);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	id = r->lease_id;
	ck_assert_int_ne(id, 0);
	ck_assert_int_eq(r->ttl, 30);
	etcd_result_free(r);
	r = etcd_put_sync(e, "t/lease/k1", "v", 1, id);
	ck_assert_int_eq(r->err, 0);
	etcd_result_free(r);
	r = etcd_range_sync(e, "t/lease/k1", NULL, 0, 0);
	ck_assert_int_eq(r->kvs[0].lease, id);	/* exact, though far above 2^53 */
	etcd_result_free(r);
	ck_assert_int_eq(etcd_lease_keepalive(e, id, ka_cb, &k), 0);
	ck_assert_int_eq(loop_run_until(lp, &k.done, 10000), 0);
	ck_assert_int_eq(k.err, 0);
	ck_assert_int_eq(k.ttl, 30);
	r = etcd_lease_timetolive_sync(e, id, true);
	ck_assert_int_eq(r->err, 0);
	ck_assert_int_eq(r->lease_id, id);
	ck_assert_int_le(r->ttl, 30);
	ck_assert_int_gt(r->ttl, 0);
	ck_assert_int_eq(r->granted_ttl, 30);
	ck_assert_uint_eq(r->n_lease_keys, 1);
	ck_assert_str_eq(r->lease_keys[0], "t/lease/k1");
	etcd_result_free(r);
	r = etcd_lease_revoke_sync(e, id);
	ck_assert_int_eq(r->err, 0);
	etcd_result_free(r);
	r = etcd_range_sync(e, "t/lease/k1", NULL, 0, 0);
	ck_assert_uint_eq(r->n_kvs, 0);
	etcd_result_free(r);
	r = etcd_lease_timetolive_sync(e, id, false);
	ck_assert_int_eq(r->err, 0);
	ck_assert_int_eq(r->ttl, -1);
	etcd_result_free(r);
	r = etcd_lease_keepalive_sync(e, id);
	ck_assert_int_eq(r->err, 0);
	ck_assert_int_eq(r->ttl, 0);
	etcd_result_free(r);
	r = etcd_lease_revoke_sync(e, id);
	ck_assert_int_eq(r->err, ETCD_ESERVER);
	ck_assert_int_eq(r->grpc_code, 5);
	ck_assert_int_eq(r->http_status, 404);
	ck_assert_str_eq(r->errmsg, "etcdserver: requested lease not found");
	etcd_result_free(r);
	etcd_free(e);
}
END_TEST

/* What a watch callback saw. */
struct wlog {
	int created;
	int down;
	int resyncs;
	size_t n_resync_kvs;
	int n;				/* events */
	int type[16];
	char key[16][32];
	char value[16][16];
	bool has_prev[16];
	char prev[16][16];
	int64_t rev[16];
	struct etcd_watch *stop_me;	/* stop from inside the callback at the first event */
};

static void
wlog_cb(const struct etcd_watch_msg *m, void *arg)
{
	struct wlog *w = arg;
	size_t i;

	switch (m->kind) {
	case ETCD_WATCH_CREATED:
		w->created++;
		break;
	case ETCD_WATCH_DOWN:
		w->down++;
		break;
	case ETCD_WATCH_RESYNC:
		w->resyncs++;
		w->n_resync_kvs = m->n_kvs;
		break;
	case ETCD_WATCH_EVENTS:
		for (i = 0; i < m->n_events && w->n < 16; i++, w->n++) {
			w->type[w->n] = m->events[i].type;
			snprintf(w->key[w->n], sizeof w->key[0], "%s", m->events[i].kv.key);
			snprintf(w->value[w->n], sizeof w->value[0], "%s", m->events[i].kv.value);
			w->has_prev[w->n] = m->events[i].has_prev;
			snprintf(w->prev[w->n], sizeof w->prev[0], "%s", m->events[i].prev_kv.value);
			w->rev[w->n] = m->events[i].kv.mod_revision;
		}
		if (w->stop_me != NULL) {
			etcd_watch_stop(w->stop_me);
			w->stop_me = NULL;
		}
		break;
	}
}

/* Run the loop until cond holds or 10 s pass. */
#define WAIT_FOR(cond) do {							\
	int _i;									\
	for (_i = 0; _i < 1000 && !(cond); _i++)				\
		loop_once(lp, 10);						\
	ck_assert_msg((cond), "timed out waiting for " #cond);			\
} while (0)

START_TEST(test_watch)
{
	struct etcd *e;
	struct etcd_result *r;
	struct etcd_watch *w;
	struct wlog log;

	memset(&log, 0, sizeof log);
	e = client(NULL, NULL, NULL);
	w = etcd_watch_start(e, "t/w/", "t/w0", 0, ETCD_WATCH_PREV_KV, wlog_cb, &log);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(log.created, 0);
	WAIT_FOR(log.created == 1);
	etcd_result_free(etcd_put_sync(e, "t/w/a", "1", 1, 0));
	etcd_result_free(etcd_put_sync(e, "t/other", "x", 1, 0));
	etcd_result_free(etcd_put_sync(e, "t/w/a", "2", 1, 0));
	r = etcd_delete_sync(e, "t/w/a", NULL);
	etcd_result_free(r);
	WAIT_FOR(log.n == 3);
	ck_assert_int_eq(log.type[0], ETCD_EV_PUT);
	ck_assert_str_eq(log.key[0], "t/w/a");
	ck_assert_str_eq(log.value[0], "1");
	ck_assert(!log.has_prev[0]);
	ck_assert_int_eq(log.type[1], ETCD_EV_PUT);
	ck_assert(log.has_prev[1]);
	ck_assert_str_eq(log.prev[1], "1");
	ck_assert_int_eq(log.type[2], ETCD_EV_DELETE);
	ck_assert(log.has_prev[2]);
	ck_assert_str_eq(log.prev[2], "2");
	ck_assert_int_eq(etcd_watch_revision(w), log.rev[2]);
	ck_assert_int_eq(log.down, 0);
	etcd_watch_stop(w);

	/* Stop from inside the callback: no callback after that. */
	memset(&log, 0, sizeof log);
	w = etcd_watch_start(e, "t/w/", "t/w0", 0, 0, wlog_cb, &log);
	log.stop_me = w;
	WAIT_FOR(log.created == 1);
	etcd_result_free(etcd_put_sync(e, "t/w/b", "1", 1, 0));
	etcd_result_free(etcd_put_sync(e, "t/w/b", "2", 1, 0));
	WAIT_FOR(log.n >= 1);
	etcd_result_free(etcd_put_sync(e, "t/w/b", "3", 1, 0));
	for (int i = 0; i < 20; i++)
		loop_once(lp, 10);
	ck_assert_int_le(log.n, 2);
	etcd_free(e);
}
END_TEST

START_TEST(test_watch_compaction_and_reconnect)
{
	struct etcd *e;
	struct etcd_result *r;
	struct etcd_watch *w;
	struct wlog log;
	char body[128];
	int64_t rev;

	memset(&log, 0, sizeof log);
	e = client(NULL, NULL, NULL);
	etcd_result_free(etcd_put_sync(e, "t/c/a", "1", 1, 0));
	etcd_result_free(etcd_put_sync(e, "t/c/b", "1", 1, 0));
	r = etcd_put_sync(e, "t/c/a", "2", 1, 0);
	rev = r->header.revision;
	etcd_result_free(r);
	snprintf(body, sizeof body, "{\"revision\":\"%lld\",\"physical\":true}", (long long)rev);
	ck_assert_int_eq(raw_post("/v3/kv/compaction", body, NULL, NULL), 200);
	/* Watching from revision 1, long compacted: etcd cancels, we resync. */
	w = etcd_watch_start(e, "t/c/", "t/c0", 1, ETCD_WATCH_PREV_KV, wlog_cb, &log);
	WAIT_FOR(log.resyncs == 1 && log.created >= 2);
	ck_assert_uint_eq(log.n_resync_kvs, 2);
	ck_assert_int_eq(etcd_watch_revision(w), rev);
	ck_assert_int_eq(log.n, 0);
	etcd_result_free(etcd_put_sync(e, "t/c/b", "2", 1, 0));
	WAIT_FOR(log.n == 1);
	ck_assert_str_eq(log.prev[0], "1");

	/* Restart etcd: the stream breaks, the watch reconnects and resumes from
	 * the last revision + 1, so a change made right after restart arrives. */
	etcd_kill();
	WAIT_FOR(log.down >= 1);
	etcd_spawn();
	etcd_result_free(etcd_put_sync(e, "t/c/a", "3", 1, 0));
	WAIT_FOR(log.n == 2);
	ck_assert_str_eq(log.key[1], "t/c/a");
	ck_assert_str_eq(log.value[1], "3");
	ck_assert_str_eq(log.prev[1], "2");
	etcd_watch_stop(w);
	etcd_free(e);
}
END_TEST

START_TEST(test_cluster)
{
	struct etcd *e;
	struct etcd_result *r;

	e = client(NULL, NULL, NULL);
	r = etcd_member_list_sync(e);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	ck_assert_uint_eq(r->n_members, 1);
	ck_assert_str_eq(r->members[0].name, "default");
	ck_assert_uint_eq(r->members[0].n_client_urls, 1);
	ck_assert_str_eq(r->members[0].client_urls[0], client_url);
	ck_assert_uint_ne(r->members[0].id, 0);
	etcd_result_free(r);
	r = etcd_status_sync(e, NULL);
	ck_assert_int_eq(r->err, 0);
	ck_assert_ptr_nonnull(r->version);
	ck_assert_int_eq(strncmp(r->version, "3.", 2), 0);
	ck_assert_uint_eq(r->leader, r->header.member_id);
	ck_assert_int_gt(r->db_size, 0);
	ck_assert_uint_gt(r->raft_index, 0);
	etcd_result_free(r);
	r = etcd_status_sync(e, client_url);
	ck_assert_int_eq(r->err, 0);
	ck_assert_ptr_eq(r->endpoint, client_url);
	etcd_result_free(r);
	/* An explicit endpoint never fails over. */
	r = etcd_status_sync(e, DEAD_ENDPOINT);
	ck_assert_int_eq(r->err, ETCD_EUNREACHABLE);
	etcd_result_free(r);
	etcd_free(e);
}
END_TEST

START_TEST(test_failover)
{
	struct etcd *e;
	struct etcd_result *r;
	struct etcd_watch *w;
	struct wlog log;
	const char *dead[] = { DEAD_ENDPOINT, "http://127.61.0.9:2381", NULL };
	struct etcd_opts o;
	char err[256];

	e = client(DEAD_ENDPOINT, NULL, NULL);
	ck_assert_str_eq(etcd_endpoint(e), DEAD_ENDPOINT);
	r = etcd_put_sync(e, "t/fo", "1", 1, 0);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	ck_assert_str_eq(r->endpoint, client_url);
	etcd_result_free(r);
	/* The endpoint that answered is remembered. */
	ck_assert_str_eq(etcd_endpoint(e), client_url);
	etcd_free(e);

	/* A watch whose first endpoint is dead gets there too. */
	memset(&log, 0, sizeof log);
	e = client(DEAD_ENDPOINT, NULL, NULL);
	w = etcd_watch_start(e, "t/fo", NULL, 0, 0, wlog_cb, &log);
	WAIT_FOR(log.created == 1);
	ck_assert_int_ge(log.down, 1);
	etcd_watch_stop(w);
	etcd_free(e);

	memset(&o, 0, sizeof o);
	o.endpoints = dead;
	o.timeout_ms = 1000;
	e = etcd_new(lp, &o, err, sizeof err);
	r = etcd_range_sync(e, "t/fo", NULL, 0, 0);
	ck_assert_int_eq(r->err, ETCD_EUNREACHABLE);
	ck_assert_ptr_nonnull(strstr(r->errmsg, "2 tried"));
	etcd_result_free(r);
	etcd_free(e);

	o.endpoints = (const char *[]){ "ftp://x", NULL };
	ck_assert_ptr_null(etcd_new(lp, &o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "ftp://x"));
}
END_TEST

/* Runs last: it turns auth on, and off again at the end. */
START_TEST(test_auth)
{
	struct etcd *e, *anon;
	struct etcd_result *r;
	struct etcd_watch *w;
	struct wlog log;
	char *body = NULL, *tok, *end;
	struct got burst[5];
	int i;

	memset(burst, 0, sizeof burst);
	/* Credentials while auth is off: etcd says so, the client goes on without. */
	e = client(NULL, "root", "s3cret");
	r = etcd_put_sync(e, "t/auth", "1", 1, 0);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	etcd_result_free(r);
	etcd_free(e);

	ck_assert_int_eq(raw_post("/v3/auth/user/add",
	    "{\"name\":\"root\",\"password\":\"s3cret\"}", NULL, NULL), 200);
	ck_assert_int_eq(raw_post("/v3/auth/user/grant",
	    "{\"user\":\"root\",\"role\":\"root\"}", NULL, NULL), 200);
	ck_assert_int_eq(raw_post("/v3/auth/enable", "{}", NULL, NULL), 200);

	anon = client(NULL, NULL, NULL);
	r = etcd_range_sync(anon, "t/auth", NULL, 0, 0);
	ck_assert_int_eq(r->err, ETCD_EAUTH);
	etcd_result_free(r);
	etcd_free(anon);
	e = client(NULL, "root", "wrong");
	r = etcd_range_sync(e, "t/auth", NULL, 0, 0);
	ck_assert_int_eq(r->err, ETCD_EAUTH);
	ck_assert_ptr_null(strstr(r->errmsg, "wrong"));
	etcd_result_free(r);
	etcd_free(e);

	e = client(DEAD_ENDPOINT, "root", "s3cret");
	/* A burst of calls before any token: they share one authenticate. */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(etcd_range(e, "t/auth", NULL, 0, 0, got_cb, &burst[i]), 0);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(loop_run_until(lp, &burst[i].done, 10000), 0);
		ck_assert_int_eq(burst[i].err, 0);
	}
	r = etcd_range_sync(e, "t/auth", NULL, 0, 0);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	ck_assert_uint_eq(r->n_kvs, 1);
	etcd_result_free(r);
	memset(&log, 0, sizeof log);
	w = etcd_watch_start(e, "t/auth", NULL, 0, 0, wlog_cb, &log);
	WAIT_FOR(log.created == 1);
	/* The token expires (--auth-token-ttl 2): the client re-authenticates. */
	sleep_ms(3500);
	r = etcd_put_sync(e, "t/auth", "2", 1, 0);
	ck_assert_msg(r->err == 0, "%s", r->errmsg);
	etcd_result_free(r);
	WAIT_FOR(log.n == 1);
	etcd_watch_stop(w);
	etcd_free(e);

	ck_assert_int_eq(raw_post("/v3/auth/authenticate",
	    "{\"name\":\"root\",\"password\":\"s3cret\"}", NULL, &body), 200);
	tok = strstr(body, "\"token\":\"");
	ck_assert_ptr_nonnull(tok);
	tok += 9;
	end = strchr(tok, '"');
	*end = '\0';
	ck_assert_int_eq(raw_post("/v3/auth/disable", "{}", tok, NULL), 200);
	free(body);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("etcd-live");
	TCase *tc = tcase_create("live");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_kv);
	tcase_add_test(tc, test_txn);
	tcase_add_test(tc, test_lease);
	tcase_add_test(tc, test_watch);
	tcase_add_test(tc, test_cluster);
	tcase_add_test(tc, test_failover);
	tcase_add_test(tc, test_watch_compaction_and_reconnect);
	tcase_add_test(tc, test_auth);
	suite_add_tcase(s, tc);
	return s;
}
