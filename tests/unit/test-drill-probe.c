/* SPDX-License-Identifier: MIT */
/* Unit tests for the drill's client probes (drill-probe.c): the scheme other
 * proxies are reached in (proxy-uri.c, also state_rest), and the baseline
 * before the fault, against a libmicrohttpd REST v2 proxy on 127.102.0.0/24. */
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
#include "milvusadm/milvus_rest.h"
#include "milvusadm/session.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#include "../../src/ops/drill-int.h"
#include "../../src/ops/proxy-uri.h"
#include "../../src/ops/state-int.h"

#define TOKEN		"root:Milvus"
#define PLAIN_IP	"127.102.0.240"	/* a proxy's 19530 speaking plain HTTP */
#define GONE_IP		"127.102.0.241"	/* milvus.uri's proxy, stopped by the drill */
#define REST_IP		"127.102.0.242"	/* the REST v2 fake for the baseline */

static struct MHD_Daemon *srv;
static int srv_port;
static atomic_int hits, hits_bearer;	/* requests; of them with our token */
static atomic_int fail_next;		/* answer this many with HTTP 503 first */
static atomic_int fail_all;		/* every answer is HTTP 503 */

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

/* Milvus as the contract has it: collection "docs" in "default", root's
 * token, code 100 for any other collection, 1800 for another token. */
static const char *
answer(const char *url, const char *body, const char *auth, unsigned *code)
{
	if (atomic_load(&fail_all) || atomic_fetch_sub(&fail_next, 1) > 0) {
		*code = 503;
		return "upstream connect error";
	}
	if (auth == NULL || strcmp(auth, "Bearer " TOKEN) != 0)
		return "{\"code\":1800,\"message\":\"user hasn't authenticated\"}";
	if (strcmp(url, "/v2/vectordb/collections/list") == 0)
		return "{\"code\":0,\"data\":[\"docs\"]}";
	if (strstr(body, "\"collectionName\":\"docs\"") == NULL)
		return "{\"code\":100,\"message\":\"collection not found[database=default]"
		    "[collection=dosc]\"}";
	if (strcmp(url, "/v2/vectordb/collections/describe") == 0)
		return "{\"code\":0,\"data\":{\"collectionName\":\"docs\",\"collectionID\":7,"
		    "\"fields\":[],\"aliases\":[],\"load\":\"LoadStateLoaded\"}}";
	*code = 404;
	return "404 page not found";
}

static enum MHD_Result
srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **ctx)
{
	struct conn *cn = *ctx;
	struct MHD_Response *resp;
	const char *auth, *out;
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
	atomic_fetch_add(&hits, 1);
	auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	if (auth != NULL && strstr(auth, TOKEN) != NULL)
		atomic_fetch_add(&hits_bearer, 1);
	out = answer(url, cn->body.data, auth, &code);
	resp = MHD_create_response_from_buffer(strlen(out), (void *)out,
	    MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
srv_start(const char *ip, int port)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	http_global_init();
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, srv_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, srv_completed, NULL, MHD_OPTION_END);
	ck_assert_msg(srv != NULL, "cannot listen on %s:%d", ip, port);
	info = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT);
	srv_port = info->port;
	atomic_store(&hits, 0);
	atomic_store(&hits_bearer, 0);
	atomic_store(&fail_next, 0);
	atomic_store(&fail_all, 0);
}

static void
srv_stop(void)
{
	MHD_stop_daemon(srv);
	srv = NULL;
}

/* A state with milvus.uri (or none), TLS settings, the token, and a proxy
 * session on each of proxies (NULL-terminated IPs). No etcd is ever asked. */
static struct state *
fixture(struct loop *l, const char *uri, bool insecure, const char *const *proxies)
{
	struct profile p;
	struct state *st;
	struct session_key k[4];
	char *ep[] = { (char *)"http://127.102.0.243:2379", NULL };
	char err[256], json[256], key[64];
	size_t n;

	memset(&p, 0, sizeof p);
	p.name = (char *)"t";
	p.etcd_endpoints = ep;
	p.n_etcd_endpoints = 1;
	p.milvus_uri = (char *)uri;
	p.milvus_insecure = insecure;
	p.milvus_metrics_port = 9091;
	p.timeout_ms = 2000;
	st = state_new(l, &p, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	st->milvus_token = xstrdup(TOKEN);
	memset(k, 0, sizeof k);
	for (n = 0; proxies != NULL && proxies[n] != NULL && n < 4; n++) {
		snprintf(json, sizeof json, "{\"ServerID\":%zu,\"ServerName\":\"proxy\","
		    "\"Address\":\"%s:19529\",\"Version\":\"2.5.27\"}", n + 1, proxies[n]);
		snprintf(key, sizeof key, "by-dev/meta/session/proxy-%zu", n + 1);
		ck_assert_int_eq(session_parse(key, json, strlen(json), &k[n].s, err,
		    sizeof err), 1);
	}
	if (n > 0)
		cluster_sessions_replace(state_cluster(st), k, n, 10, time_wall_ms());
	return st;
}

static int n_sampled;

static void
on_sample(const struct drill_sample *s, void *arg)
{
	(void)s;
	(void)arg;
	n_sampled++;
}

START_TEST(proxy_uri_scheme)
{
	char *u;

	/* https stays https: the token never goes out in plain text. */
	u = proxy_rest_uri("https://milvus.example:19530", false, "10.0.0.5:19529");
	ck_assert_str_eq(u, "https://10.0.0.5:19530");
	free(u);
	u = proxy_rest_uri("HTTPS://milvus.example", false, "10.0.0.5:19529");
	ck_assert_str_eq(u, "https://10.0.0.5:19530");
	free(u);
	/* milvus.uri's scheme wins over the TLS settings, both ways. */
	u = proxy_rest_uri("http://milvus:19530", true, "10.0.0.5:19529");
	ck_assert_str_eq(u, "http://10.0.0.5:19530");
	free(u);
	u = proxy_rest_uri("milvus:19530", false, "10.0.0.5:19529");
	ck_assert_str_eq(u, "http://10.0.0.5:19530");
	free(u);
	/* No milvus.uri: a CA file or insecure means TLS. */
	u = proxy_rest_uri(NULL, true, "10.0.0.5:19529");
	ck_assert_str_eq(u, "https://10.0.0.5:19530");
	free(u);
	u = proxy_rest_uri("", false, "[fd00::5]:19529");
	ck_assert_str_eq(u, "http://[fd00::5]:19530");
	free(u);
	ck_assert_ptr_null(proxy_rest_uri(NULL, false, NULL));
	ck_assert_ptr_null(proxy_rest_uri(NULL, false, "10.0.0.5"));
	ck_assert_ptr_null(proxy_rest_uri(NULL, false, ":19529"));
	ck_assert_ptr_null(proxy_rest_uri(NULL, false, "[fd00::5]"));
}
END_TEST

START_TEST(state_rest_scheme_without_uri)
{
	static const char *const proxies[] = { "10.0.0.5", NULL };
	struct loop *l = loop_new();
	struct state *st;
	char err[256];

	st = fixture(l, NULL, true, proxies);
	ck_assert_ptr_nonnull(state_rest(st, err, sizeof err));
	ck_assert_str_eq(milvus_rest_uri(st->rest), "https://10.0.0.5:19530");
	state_free(st);
	st = fixture(l, NULL, false, proxies);
	ck_assert_ptr_nonnull(state_rest(st, err, sizeof err));
	ck_assert_str_eq(milvus_rest_uri(st->rest), "http://10.0.0.5:19530");
	state_free(st);
	loop_free(l);
}
END_TEST

/* A proxy drill stops the proxy an https milvus.uri names: the probes move
 * on to the other proxies in https, never in plain text with the token. */
START_TEST(probes_keep_https)
{
	static const char *const proxies[] = { GONE_IP, PLAIN_IP, NULL };
	struct loop *l = loop_new();
	struct drill_probes *p;
	const struct drill_sample *s;
	struct state *st;
	char err[256];
	int64_t end;
	size_t n, i;
	int bearer, plain;

	srv_start(PLAIN_IP, 19530);
	st = fixture(l, "https://" GONE_IP ":19530", true, proxies);
	n_sampled = 0;
	p = drill_probes_new(l, st, "proxy", NULL, NULL, NULL, 10, on_sample, NULL, err,
	    sizeof err);
	ck_assert_msg(p != NULL, "%s", err);
	drill_probes_start(p);
	end = time_mono_ms() + 1500;
	while (time_mono_ms() < end)
		loop_once(l, 20);
	drill_probes_stop(p);
	ck_assert_int_gt(n_sampled, 3);
	bearer = atomic_load(&hits_bearer);
	plain = atomic_load(&hits);
	ck_assert_msg(bearer == 0, "the token went out in plain text %d times", bearer);
	ck_assert_msg(plain == 0, "%d plain-text requests", plain);
	s = drill_probes_samples(p, &n);
	for (i = 0; i < n; i++) {
		ck_assert(!s[i].ok);
		if (s[i].uri != NULL)
			ck_assert_msg(strncmp(s[i].uri, "https://", 8) == 0, "%s", s[i].uri);
	}
	drill_probes_free(p);
	state_free(st);
	loop_free(l);
	srv_stop();
}
END_TEST

/* One baseline against the fake on REST_IP: rc, err, the time it took. */
struct base {
	int rc;
	char err[512];
	int64_t took_ms;
	size_t samples;
	int hits;
};

static void
baseline(const char *name, const char *token, int64_t within_ms, struct base *b)
{
	struct loop *l = loop_new();
	struct drill_probes *p;
	struct state *st;
	char uri[64], err[256];
	int64_t t0;

	snprintf(uri, sizeof uri, "http://" REST_IP ":%d", srv_port);
	st = fixture(l, uri, false, NULL);
	free(st->milvus_token);
	st->milvus_token = xstrdup(token);
	n_sampled = 0;
	p = drill_probes_new(l, st, "rootcoord", NULL, name, NULL, 20, on_sample, NULL, err,
	    sizeof err);
	ck_assert_msg(p != NULL, "%s", err);
	b->err[0] = '\0';
	t0 = time_mono_ms();
	b->rc = drill_probes_baseline(p, 3, time_wall_ms() + within_ms, b->err, sizeof b->err);
	b->took_ms = time_mono_ms() - t0;
	(void)drill_probes_samples(p, &b->samples);
	b->hits = atomic_load(&hits);
	/* The baseline is not the drill: nothing sampled, nothing told. */
	ck_assert_uint_eq(b->samples, 0);
	ck_assert_int_eq(n_sampled, 0);
	drill_probes_free(p);
	state_free(st);
	loop_free(l);
}

START_TEST(baseline_ok)
{
	struct base b;

	srv_start(REST_IP, 0);
	baseline("docs", TOKEN, 5000, &b);
	ck_assert_msg(b.rc == 0, "%s", b.err);
	/* Three in a row, list and describe in turn. */
	ck_assert_int_eq(b.hits, 3);
	srv_stop();
}
END_TEST

START_TEST(baseline_typo_fails_fast)
{
	struct base b;
	char want[200];

	srv_start(REST_IP, 0);
	baseline("dosc", TOKEN, 10000, &b);
	ck_assert_int_eq(b.rc, -1);
	snprintf(want, sizeof want, "probe 'collections/describe default.dosc' through "
	    "'http://" REST_IP ":%d' failed: collection not found", srv_port);
	ck_assert_msg(strncmp(b.err, want, strlen(want)) == 0, "%s", b.err);
	ck_assert_msg(strstr(b.err, "(code 100)") != NULL, "%s", b.err);
	/* A missing collection will not come back by waiting. */
	ck_assert_int_lt(b.took_ms, 3000);
	srv_stop();
}
END_TEST

START_TEST(baseline_bad_token)
{
	struct base b;

	srv_start(REST_IP, 0);
	baseline("docs", "root:expired", 10000, &b);
	ck_assert_int_eq(b.rc, -1);
	ck_assert_msg(strncmp(b.err, "probe 'collections/list' through 'http://" REST_IP,
	    strlen("probe 'collections/list' through 'http://" REST_IP)) == 0, "%s", b.err);
	ck_assert_msg(strstr(b.err, "refused the credentials") != NULL, "%s", b.err);
	ck_assert_msg(strstr(b.err, TOKEN) == NULL && strstr(b.err, "expired") == NULL,
	    "%s", b.err);
	ck_assert_int_lt(b.took_ms, 3000);
	srv_stop();
}
END_TEST

START_TEST(baseline_rides_out_a_blip)
{
	struct base b;

	srv_start(REST_IP, 0);
	/* Two failures, then three in a row from the start of the calls. */
	atomic_store(&fail_next, 2);
	baseline("docs", TOKEN, 5000, &b);
	ck_assert_msg(b.rc == 0, "%s", b.err);
	ck_assert_int_eq(b.hits, 5);
	srv_stop();
}
END_TEST

START_TEST(baseline_deadline)
{
	struct base b;

	srv_start(REST_IP, 0);
	atomic_store(&fail_all, 1);
	baseline("docs", TOKEN, 800, &b);
	ck_assert_int_eq(b.rc, -1);
	ck_assert_msg(strstr(b.err, "' through 'http://" REST_IP) != NULL, "%s", b.err);
	ck_assert_msg(strstr(b.err, "failed: proxy '") != NULL, "%s", b.err);
	ck_assert_msg(strstr(b.err, "answered HTTP 503") != NULL, "%s", b.err);
	ck_assert_int_ge(b.took_ms, 700);
	ck_assert_int_lt(b.took_ms, 2500);
	ck_assert_int_ge(b.hits, 3);
	srv_stop();
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("drill-probe");
	TCase *tc = tcase_create("probe");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, proxy_uri_scheme);
	tcase_add_test(tc, state_rest_scheme_without_uri);
	tcase_add_test(tc, probes_keep_https);
	tcase_add_test(tc, baseline_ok);
	tcase_add_test(tc, baseline_typo_fails_fast);
	tcase_add_test(tc, baseline_bad_token);
	tcase_add_test(tc, baseline_rides_out_a_blip);
	tcase_add_test(tc, baseline_deadline);
	suite_add_tcase(s, tc);
	return s;
}
