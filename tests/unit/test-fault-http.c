/* SPDX-License-Identifier: MIT */
/* Request-exact tests of the k8s, docker and exec fault backends: a fake
 * Kubernetes API over TLS on 127.90.0.1 and a fake Docker Engine on a unix
 * socket record every request; the tests compare method, path, query, body
 * (as JSON) and Authorization with what contracts/fault-backends.md gives. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cjson/cJSON.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "milvusadm/b64.h"
#include "milvusadm/buf.h"
#include "milvusadm/fault.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#define POD "my-release-milvus-mixcoord-7d9f8b6c4-x2k9p"
#define ID_A "aaaaaaaaaaaa0000000000000000000000000000000000000000000000000001"
#define ID_B "bbbbbbbbbbbb0000000000000000000000000000000000000000000000000002"
#define ID_C "cccccccccccc0000000000000000000000000000000000000000000000000003"

struct rec {
	char method[16];
	char path[512];
	char query[256];
	char auth[256];
	char ctype[64];
	char body[2048];
	bool cert_ok;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct rec recs[32];
static size_t n_recs;

static char dir[64];
static struct MHD_Daemon *k8s_srv, *docker_srv;
static int k8s_port;
static char docker_sock[128];
static struct loop *lp;

/* What the fakes answer; set by each test. */
static char k8s_uid[64] = "uid-1";
static bool k8s_replace_after_get;
static const char *k8s_labels = "\"app.kubernetes.io/name\":\"milvus\","
    "\"app.kubernetes.io/instance\":\"my-release\",\"component\":\"mixcoord\"";
static const char *docker_policy = "no";

struct conn {
	struct buf body;
};

static void
completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *ctx;

	if (cn != NULL) {
		buf_release(&cn->body);
		free(cn);
		*ctx = NULL;
	}
}

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *q = cls;

	if (q->len > 0)
		buf_addc(q, '&');
	buf_printf(q, "%s=%s", key, value != NULL ? value : "");
	return MHD_YES;
}

/* Record the request; returns its index. */
static size_t
record(struct MHD_Connection *c, const char *url, const char *method, struct conn *cn,
    bool tls)
{
	struct buf q = BUF_INIT;
	const char *h;
	struct rec *r;
	size_t i;

	pthread_mutex_lock(&mu);
	i = n_recs < 32 ? n_recs++ : 31;
	r = &recs[i];
	memset(r, 0, sizeof *r);
	snprintf(r->method, sizeof r->method, "%s", method);
	snprintf(r->path, sizeof r->path, "%s", url);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
	snprintf(r->query, sizeof r->query, "%s", q.data != NULL ? q.data : "");
	buf_release(&q);
	if ((h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization")) != NULL)
		snprintf(r->auth, sizeof r->auth, "%s", h);
	if ((h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")) != NULL)
		snprintf(r->ctype, sizeof r->ctype, "%s", h);
	snprintf(r->body, sizeof r->body, "%s", cn->body.data != NULL ? cn->body.data : "");
	if (tls) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		unsigned int n = 0, status = 1;

		if (ci != NULL && gnutls_certificate_get_peers(ci->tls_session, &n) != NULL && n > 0 &&
		    gnutls_certificate_verify_peers2(ci->tls_session, &status) == 0 && status == 0)
			r->cert_ok = true;
	}
	pthread_mutex_unlock(&mu);
	return i;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned code, const char *body)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Accumulate the upload; true when the request is complete. */
static bool
collect(void **ctx, const char *data, size_t *size)
{
	struct conn *cn = *ctx;

	if (cn == NULL) {
		*ctx = xcalloc(1, sizeof *cn);
		return false;
	}
	if (*size > 0) {
		buf_add(&cn->body, data, *size);
		*size = 0;
		return false;
	}
	return true;
}

static char *
pod_json(void)
{
	return xasprintf("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" POD "\","
	    "\"namespace\":\"milvus\",\"uid\":\"%s\",\"labels\":{%s}},\"spec\":{\"nodeName\":\"n1\"},"
	    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.7\",\"containerStatuses\":[{\"name\":"
	    "\"mixcoord\",\"ready\":true,\"restartCount\":2,\"lastState\":{\"terminated\":"
	    "{\"exitCode\":1}}}]}}", k8s_uid, k8s_labels);
}

static enum MHD_Result
k8s_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **ctx)
{
	const char *pfx = "/api/v1/namespaces/milvus/pods/";
	enum MHD_Result ret;
	char *body;

	if (!collect(ctx, data, size))
		return MHD_YES;
	record(c, url, method, *ctx, true);
	if (strncmp(url, pfx, strlen(pfx)) != 0 || strcmp(url + strlen(pfx), POD) != 0)
		return reply(c, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
		    "\"message\":\"pods \\\"x\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
	if (strcmp(method, "DELETE") == 0) {
		struct conn *cn = *ctx;
		cJSON *j = cJSON_Parse(cn->body.data != NULL ? cn->body.data : "");
		const char *uid = cJSON_GetStringValue(cJSON_GetObjectItem(
		    cJSON_GetObjectItem(j, "preconditions"), "uid"));
		bool ok = uid != NULL && strcmp(uid, k8s_uid) == 0;

		cJSON_Delete(j);
		if (!ok)
			return reply(c, 409, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
			    "\"Failure\",\"message\":\"Precondition failed: UID in precondition: uid-1, "
			    "UID in object meta: uid-2\",\"reason\":\"Conflict\",\"code\":409}");
	}
	body = pod_json();
	ret = reply(c, 200, body);
	free(body);
	if (strcmp(method, "GET") == 0 && k8s_replace_after_get)
		snprintf(k8s_uid, sizeof k8s_uid, "uid-2");
	return ret;
}

static enum MHD_Result
docker_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **ctx)
{
	const char *p = url;
	char *body;
	enum MHD_Result ret;

	if (!collect(ctx, data, size))
		return MHD_YES;
	record(c, url, method, *ctx, false);
	if (strcmp(url, "/version") == 0)
		return reply(c, 200, "{\"Version\":\"24.0.7\",\"ApiVersion\":\"1.43\","
		    "\"MinAPIVersion\":\"1.12\"}");
	if (strncmp(p, "/v1.", 4) == 0)
		p = strchr(p + 1, '/');
	if (p == NULL)
		return reply(c, 400, "{\"message\":\"bad\"}");
	if (strcmp(p, "/containers/json") == 0)
		return reply(c, 200, "[{\"Id\":\"" ID_A "\",\"Names\":[\"/milvus-etcd\"],\"State\":\"running\"},"
		    "{\"Id\":\"" ID_B "\",\"Names\":[\"/milvus-standalone\"],\"State\":\"running\"},"
		    "{\"Id\":\"" ID_C "\",\"Names\":[\"/old-standalone\"],\"State\":\"exited\"}]");
	if (strncmp(p, "/containers/", 12) == 0 && strlen(p) > 12 + 64) {
		char id[65];
		const char *what = p + 12 + 64;

		memcpy(id, p + 12, 64);
		id[64] = '\0';
		if (strcmp(what, "/json") == 0) {
			const char *host = strcmp(id, ID_A) == 0 ? "aaaaaaaaaaaa" :
			    strcmp(id, ID_B) == 0 ? "milvus-standalone" : "milvus-standalone";
			const char *st = strcmp(id, ID_C) == 0 ? "exited" : "running";

			body = xasprintf("{\"Id\":\"%s\",\"Name\":\"/n-%.4s\",\"RestartCount\":0,"
			    "\"Config\":{\"Hostname\":\"%s\"},\"State\":{\"Status\":\"%s\",\"Running\":%s,"
			    "\"Pid\":42,\"ExitCode\":0},\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"%s\","
			    "\"MaximumRetryCount\":0}}}", id, id, host, st,
			    strcmp(st, "running") == 0 ? "true" : "false", docker_policy);
			ret = reply(c, 200, body);
			free(body);
			return ret;
		}
		if (strcmp(what, "/kill") == 0 || strcmp(what, "/start") == 0)
			return reply(c, 204, "");
		if (strcmp(what, "/wait") == 0)
			return reply(c, 200, "{\"StatusCode\":137}");
	}
	return reply(c, 404, "{\"message\":\"page not found\"}");
}

static char *
slurp(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), buf[16384];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	free(path);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void
gen_cert(const char *name, const char *subj, const char *san)
{
	char *cmd = xasprintf("cd '%s' && openssl req -x509 -newkey rsa:2048 -nodes -days 1 "
	    "-keyout %s.key -out %s.crt -subj %s %s%s >/dev/null 2>&1", dir, name, name, subj,
	    san != NULL ? "-addext subjectAltName=" : "", san != NULL ? san : "");

	ck_assert_msg(system(cmd) == 0, "openssl failed: %s", cmd);
	free(cmd);
}

static void
servers_start(void)
{
	struct sockaddr_in sa;
	struct sockaddr_un su;
	const union MHD_DaemonInfo *info;
	char *key, *crt, *trust;
	int fd;

	if (lp != NULL)
		return;
	ck_assert_msg(MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES,
	    "libmicrohttpd was built without TLS: the k8s backend cannot be tested");
	snprintf(dir, sizeof dir, "/tmp/tfh-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	gen_cert("srv", "/CN=127.90.0.1", "IP:127.90.0.1");
	gen_cert("wrong", "/CN=127.90.0.1", "IP:127.90.0.1");
	gen_cert("cli", "/CN=drill-user", NULL);
	key = slurp("srv.key");
	crt = slurp("srv.crt");
	trust = slurp("cli.crt");
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, "127.90.0.1", &sa.sin_addr);
	/* A trust list makes the server ask for (not require) a client certificate. */
	k8s_srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS, 0, NULL, NULL,
	    k8s_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_HTTPS_MEM_CERT, crt, MHD_OPTION_HTTPS_MEM_TRUST, trust,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	ck_assert_msg(k8s_srv != NULL, "cannot start the TLS server on 127.90.0.1");
	info = MHD_get_daemon_info(k8s_srv, MHD_DAEMON_INFO_BIND_PORT);
	k8s_port = info->port;
	/* MHD copies the key material. */
	free(key);
	free(crt);
	free(trust);

	snprintf(docker_sock, sizeof docker_sock, "%s/docker.sock", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&su, 0, sizeof su);
	su.sun_family = AF_UNIX;
	ck_assert_int_lt(strlen(docker_sock), sizeof su.sun_path);
	memcpy(su.sun_path, docker_sock, strlen(docker_sock) + 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&su, sizeof su), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	docker_srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
	    docker_handler, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	ck_assert_msg(docker_srv != NULL, "cannot serve on the unix socket");
	http_global_init();
	lp = loop_new();
}

static void
servers_stop(void)
{
	char *cmd;

	if (lp == NULL)
		return;
	MHD_stop_daemon(k8s_srv);
	MHD_stop_daemon(docker_srv);
	loop_free(lp);
	lp = NULL;
	http_global_cleanup();
	if (chdir("/") != 0)
		return;
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
}

static void
reset(void)
{
	servers_start();
	pthread_mutex_lock(&mu);
	n_recs = 0;
	pthread_mutex_unlock(&mu);
	snprintf(k8s_uid, sizeof k8s_uid, "uid-1");
	k8s_replace_after_get = false;
	k8s_labels = "\"app.kubernetes.io/name\":\"milvus\","
	    "\"app.kubernetes.io/instance\":\"my-release\",\"component\":\"mixcoord\"";
	docker_policy = "no";
}

/* Write a kubeconfig; user is the YAML of the user mapping. */
static char *
kubeconfig(const char *name, const char *cluster_extra, const char *user)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "apiVersion: v1\nkind: Config\ncurrent-context: test\n"
	    "clusters:\n- name: fake\n  cluster:\n    server: https://127.90.0.1:%d\n    %s\n"
	    "users:\n- name: drill\n  user:\n    %s\n"
	    "contexts:\n- name: test\n  context: {cluster: fake, user: drill, namespace: other}\n",
	    k8s_port, cluster_extra, user);
	fclose(f);
	return path;
}

static char *
b64_file(const char *name)
{
	char *s = slurp(name), *b = b64_encode(s, strlen(s));

	free(s);
	return b;
}

struct got {
	int done;
	struct fault_result res;
};

static void
on_res(const struct fault_result *res, void *arg)
{
	struct got *g = arg;

	g->res = *res;
	g->done = 1;
}

static const struct fault_target mix_target = {
	.kind = "coordinator", .role = "mixcoord", .server_id = 7, .address = "10.0.0.7:19530",
	.host = "10.0.0.7", .host_name = POD, .metrics_port = 9091,
};

static struct got
run_inject(const struct fault_ops *ops, struct fault_backend *b, const struct fault_target *t,
    bool restore)
{
	struct got g;

	memset(&g, 0, sizeof g);
	if (restore)
		ck_assert_int_eq(ops->restore(b, t, on_res, &g), 0);
	else
		ck_assert_int_eq(ops->inject(b, t, on_res, &g), 0);
	ck_assert_int_eq(g.done, 0);	/* never from inside the call */
	ck_assert_int_eq(loop_run_until(lp, &g.done, 20000), 0);
	return g;
}

static void
assert_json(const char *got, const char *want)
{
	cJSON *a = cJSON_Parse(got), *b = cJSON_Parse(want);

	ck_assert_msg(a != NULL, "not JSON: %s", got);
	ck_assert_msg(cJSON_Compare(a, b, true), "body %s, want %s", got, want);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void
assert_req(size_t i, const char *method, const char *path, const char *query)
{
	ck_assert_msg(i < n_recs, "request %zu missing (%zu recorded)", i, n_recs);
	ck_assert_str_eq(recs[i].method, method);
	ck_assert_str_eq(recs[i].path, path);
	ck_assert_str_eq(recs[i].query, query);
}

static struct fault_backend *
k8s_open(const char *kc, const char *extra)
{
	const char *opts[5] = { NULL };
	char *o1 = xasprintf("kubeconfig=%s", kc), err[256];
	struct fault_backend *b;
	size_t n = 0;

	opts[n++] = o1;
	opts[n++] = "namespace=milvus";
	opts[n++] = "release=my-release";
	if (extra != NULL)
		opts[n++] = extra;
	b = fault_k8s_ops.open(lp, NULL, NULL, opts, err, sizeof err);
	free(o1);
	ck_assert_msg(b != NULL, "%s", err);
	return b;
}

START_TEST(k8s_token_delete)
{
	char *kc, *want, plan[2048];
	struct fault_backend *b;
	struct got g;

	reset();
	kc = kubeconfig("token.yaml", "certificate-authority: srv.crt", "token: tok-123");
	b = k8s_open(kc, NULL);
	g = run_inject(&fault_k8s_ops, b, &mix_target, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 2);
	assert_req(0, "GET", "/api/v1/namespaces/milvus/pods/" POD, "");
	assert_req(1, "DELETE", "/api/v1/namespaces/milvus/pods/" POD, "");
	ck_assert_str_eq(recs[0].auth, "Bearer tok-123");
	ck_assert_str_eq(recs[1].auth, "Bearer tok-123");
	ck_assert_str_eq(recs[1].ctype, "application/json");
	assert_json(recs[1].body, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
	    "\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"uid-1\"}}");
	ck_assert(!recs[1].cert_ok);
	ck_assert(g.res.injected_ms > 0);
	ck_assert_msg(strstr(g.res.detail, "uid-1") != NULL, "%s", g.res.detail);
	/* plan names the exact DELETE, with the uid it just read */
	n_recs = 0;
	ck_assert_int_eq(fault_k8s_ops.plan(b, &mix_target, plan, sizeof plan), 0);
	want = xasprintf("DELETE /api/v1/namespaces/milvus/pods/" POD "\nContent-Type: "
	    "application/json\n{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
	    "\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"uid-1\"}}\n");
	ck_assert_msg(strstr(plan, want) != NULL, "%s", plan);
	ck_assert_msg(strstr(plan, "helm labels") != NULL, "%s", plan);
	ck_assert_int_eq(n_recs, 1);
	assert_req(0, "GET", "/api/v1/namespaces/milvus/pods/" POD, "");
	free(want);
	fault_k8s_ops.close(b);
	free(kc);
}
END_TEST

START_TEST(k8s_grace_and_operator_labels)
{
	char *kc;
	struct fault_backend *b;
	struct got g;

	reset();
	k8s_labels = "\"app.kubernetes.io/instance\":\"my-release\","
	    "\"app.kubernetes.io/component\":\"mixcoord\","
	    "\"app.kubernetes.io/managed-by\":\"milvus-operator\"";
	kc = kubeconfig("grace.yaml", "certificate-authority: srv.crt", "token: tok-123");
	b = k8s_open(kc, "grace=5");
	g = run_inject(&fault_k8s_ops, b, &mix_target, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 2);
	assert_json(recs[1].body, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
	    "\"gracePeriodSeconds\":5,\"preconditions\":{\"uid\":\"uid-1\"}}");
	fault_k8s_ops.close(b);
	free(kc);
}
END_TEST

START_TEST(k8s_client_cert_and_ca_data)
{
	char *ca, *crt, *key, *cl, *us, *kc;
	struct fault_backend *b;
	struct got g;

	reset();
	ca = b64_file("srv.crt");
	crt = b64_file("cli.crt");
	key = b64_file("cli.key");
	cl = xasprintf("certificate-authority-data: %s", ca);
	us = xasprintf("client-certificate-data: %s\n    client-key-data: %s", crt, key);
	kc = kubeconfig("cert.yaml", cl, us);
	b = k8s_open(kc, NULL);
	g = run_inject(&fault_k8s_ops, b, &mix_target, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 2);
	ck_assert_str_eq(recs[0].auth, "");
	ck_assert_str_eq(recs[1].auth, "");
	ck_assert(recs[0].cert_ok);
	ck_assert(recs[1].cert_ok);
	assert_req(1, "DELETE", "/api/v1/namespaces/milvus/pods/" POD, "");
	fault_k8s_ops.close(b);
	free(ca);
	free(crt);
	free(key);
	free(cl);
	free(us);
	free(kc);
}
END_TEST

START_TEST(k8s_wrong_ca_fails_tls)
{
	char *kc;
	struct fault_backend *b;
	struct got g;

	reset();
	kc = kubeconfig("wrong.yaml", "certificate-authority: wrong.crt", "token: tok-123");
	b = k8s_open(kc, NULL);
	g = run_inject(&fault_k8s_ops, b, &mix_target, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_int_eq(n_recs, 0);
	ck_assert_msg(strstr(g.res.errmsg, "certificate") != NULL ||
	    strstr(g.res.errmsg, "SSL") != NULL, "%s", g.res.errmsg);
	fault_k8s_ops.close(b);
	free(kc);
}
END_TEST

START_TEST(k8s_refusals)
{
	struct fault_target t = mix_target;
	char *kc;
	struct fault_backend *b;
	struct got g;

	reset();
	kc = kubeconfig("ref.yaml", "certificate-authority: srv.crt", "token: tok-123");
	b = k8s_open(kc, NULL);
	/* a pod of another component is never deleted */
	k8s_labels = "\"app.kubernetes.io/instance\":\"my-release\",\"component\":\"proxy\"";
	g = run_inject(&fault_k8s_ops, b, &t, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "component 'proxy'") != NULL, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 1);
	/* another release */
	reset();
	k8s_labels = "\"app.kubernetes.io/instance\":\"other\",\"component\":\"mixcoord\"";
	g = run_inject(&fault_k8s_ops, b, &t, false);
	ck_assert_msg(strstr(g.res.errmsg, "not release 'my-release'") != NULL, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 1);
	/* replaced between GET and DELETE: the uid precondition answers 409 */
	reset();
	k8s_replace_after_get = true;
	g = run_inject(&fault_k8s_ops, b, &t, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "uid precondition") != NULL, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 2);
	/* unknown pod */
	reset();
	t.host_name = "gone-pod";
	g = run_inject(&fault_k8s_ops, b, &t, false);
	ck_assert_str_eq(g.res.errmsg, "pod 'gone-pod' not found in namespace 'milvus'");
	/* a HostName that is no pod name never reaches a URL */
	reset();
	t.host_name = "../../etc";
	g = run_inject(&fault_k8s_ops, b, &t, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_int_eq(n_recs, 0);
	fault_k8s_ops.close(b);
	free(kc);
}
END_TEST

static struct fault_backend *
docker_open2(const char *extra, const char *extra2)
{
	const char *opts[4] = { NULL };
	char *o = xasprintf("socket=%s", docker_sock), err[256];
	struct fault_backend *b;

	opts[0] = o;
	opts[1] = extra;
	opts[2] = extra != NULL ? extra2 : NULL;
	b = fault_docker_ops.open(lp, NULL, NULL, opts, err, sizeof err);
	free(o);
	ck_assert_msg(b != NULL, "%s", err);
	return b;
}

static struct fault_backend *
docker_open(const char *extra)
{
	return docker_open2(extra, NULL);
}

static const struct fault_target standalone_target = {
	.kind = "coordinator", .role = "rootcoord", .server_id = 3, .address = "172.18.0.4:19530",
	.host = "172.18.0.4", .host_name = "milvus-standalone", .metrics_port = 9091,
};

START_TEST(docker_kill_then_start_without_policy)
{
	struct fault_backend *b;
	char plan[2048];
	struct got g;
	size_t i;

	reset();
	b = docker_open(NULL);
	g = run_inject(&fault_docker_ops, b, &standalone_target, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 5);
	assert_req(0, "GET", "/version", "");
	assert_req(1, "GET", "/v1.43/containers/json", "all=1");
	assert_req(2, "GET", "/v1.43/containers/" ID_A "/json", "");
	assert_req(3, "GET", "/v1.43/containers/" ID_B "/json", "");
	assert_req(4, "POST", "/v1.43/containers/" ID_B "/kill", "signal=SIGKILL");
	for (i = 0; i < n_recs; i++)
		ck_assert_str_eq(recs[i].body, "");
	ck_assert_msg(strstr(g.res.detail, "SIGKILL") != NULL, "%s", g.res.detail);
	n_recs = 0;
	g = run_inject(&fault_docker_ops, b, &standalone_target, true);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert_int_eq(n_recs, 2);
	assert_req(0, "POST", "/v1.43/containers/" ID_B "/wait", "condition=not-running");
	assert_req(1, "POST", "/v1.43/containers/" ID_B "/start", "");
	/* plan: the version is known now, so list, inspect, and the exact POST */
	n_recs = 0;
	ck_assert_int_eq(fault_docker_ops.plan(b, &standalone_target, plan, sizeof plan), 0);
	ck_assert_msg(strstr(plan, "POST /v1.43/containers/" ID_B "/kill?signal=SIGKILL\n") != NULL,
	    "%s", plan);
	ck_assert_msg(strstr(plan, "POST /v1.43/containers/" ID_B "/start") != NULL, "%s", plan);
	ck_assert_int_eq(n_recs, 3);
	fault_docker_ops.close(b);
}
END_TEST

/* start=auto trusts the restart policy and starts nothing when there is one. */
START_TEST(docker_policy_means_no_start)
{
	struct fault_backend *b;
	struct got g;

	reset();
	docker_policy = "always";
	b = docker_open2("api=1.41", "start=auto");
	g = run_inject(&fault_docker_ops, b, &standalone_target, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	/* api= pins the version: no /version */
	assert_req(0, "GET", "/v1.41/containers/json", "all=1");
	assert_req(3, "POST", "/v1.41/containers/" ID_B "/kill", "signal=SIGKILL");
	ck_assert_int_eq(n_recs, 4);
	n_recs = 0;
	g = run_inject(&fault_docker_ops, b, &standalone_target, true);
	ck_assert_int_eq(g.res.err, 0);
	ck_assert_int_eq(n_recs, 0);
	ck_assert_msg(strstr(g.res.detail, "not started") != NULL, "%s", g.res.detail);
	fault_docker_ops.close(b);
}
END_TEST

START_TEST(docker_default_hostname_is_id)
{
	struct fault_target t = standalone_target;
	struct fault_backend *b;
	struct got g;

	reset();
	t.host_name = "aaaaaaaaaaaa";
	b = docker_open(NULL);
	g = run_inject(&fault_docker_ops, b, &t, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	/* only the container whose ID starts with the hostname is inspected */
	ck_assert_int_eq(n_recs, 4);
	assert_req(2, "GET", "/v1.43/containers/" ID_A "/json", "");
	assert_req(3, "POST", "/v1.43/containers/" ID_A "/kill", "signal=SIGKILL");
	/* no match at all */
	reset();
	t.host_name = "nobody";
	g = run_inject(&fault_docker_ops, b, &t, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "no running container has hostname 'nobody'") != NULL,
	    "%s", g.res.errmsg);
	fault_docker_ops.close(b);
}
END_TEST

static struct fault_backend *
exec_open(const char *const *opts, char *err, size_t errlen)
{
	return fault_exec_ops.open(lp, NULL, NULL, opts, err, errlen);
}

START_TEST(exec_verbatim_argv)
{
	const char *opts[] = {
		"argv=/bin/sh -c 'printf \"<%s>\" \"$@\" >&2; exit 3' sh {host} {pod} "
		    "x{role}y {server_id} {address}",
		NULL,
	};
	struct fault_target t = mix_target;
	struct fault_backend *b;
	char err[256], plan[1024], *flag;
	struct got g;

	reset();
	flag = xasprintf("%s/pwned", dir);
	t.host = "1.2.3.4; touch pwned";
	t.host_name = "a b $(touch pwned) `touch pwned` 'q' \"d\" *";
	b = exec_open(opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	ck_assert_int_eq(fault_exec_ops.plan(b, &t, plan, sizeof plan), 0);
	ck_assert_msg(strstr(plan, "exec: /bin/sh -c ") != NULL, "%s", plan);
	ck_assert_msg(strstr(plan, "'1.2.3.4; touch pwned'") != NULL, "%s", plan);
	ck_assert_int_eq(chdir(dir), 0);
	g = run_inject(&fault_exec_ops, b, &t, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "exited with status 3: <1.2.3.4; touch pwned>"
	    "<a b $(touch pwned) `touch pwned` 'q' \"d\" *><xmixcoordy><7><10.0.0.7:19530>") != NULL,
	    "%s", g.res.errmsg);
	ck_assert_int_ne(access(flag, F_OK), 0);
	fault_exec_ops.close(b);
	free(flag);
}
END_TEST

START_TEST(exec_ok_timeout_missing)
{
	const char *ok[] = { "arg=true", NULL };
	const char *slow[] = { "arg=sleep", "arg=5", "timeout=300ms", NULL };
	const char *missing[] = { "argv=/nonexistent/prog {host}", NULL };
	const char *bad[] = { "argv=kill {pid}", NULL };
	const char *none[] = { "timeout=1s", NULL };
	struct fault_backend *b;
	char err[256];
	struct got g;
	int64_t t0;

	reset();
	b = exec_open(ok, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	g = run_inject(&fault_exec_ops, b, &mix_target, false);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert(g.res.injected_ms > 0);
	fault_exec_ops.close(b);

	b = exec_open(slow, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	t0 = time_mono_ms();
	g = run_inject(&fault_exec_ops, b, &mix_target, false);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "timed out") != NULL, "%s", g.res.errmsg);
	ck_assert(time_mono_ms() - t0 < 3000);
	fault_exec_ops.close(b);

	b = exec_open(missing, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	g = run_inject(&fault_exec_ops, b, &mix_target, false);
	ck_assert_msg(strstr(g.res.errmsg, "exited with status 127: command not found") != NULL,
	    "%s", g.res.errmsg);
	fault_exec_ops.close(b);

	ck_assert_ptr_null(exec_open(bad, err, sizeof err));
	ck_assert_msg(strstr(err, "unknown placeholder '{pid}'") != NULL, "%s", err);
	ck_assert_ptr_null(exec_open(none, err, sizeof err));
	ck_assert_msg(strstr(err, "needs a command") != NULL, "%s", err);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("fault-http");
	TCase *tc = tcase_create("fault-http");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, NULL, servers_stop);
	tcase_add_test(tc, k8s_token_delete);
	tcase_add_test(tc, k8s_grace_and_operator_labels);
	tcase_add_test(tc, k8s_client_cert_and_ca_data);
	tcase_add_test(tc, k8s_wrong_ca_fails_tls);
	tcase_add_test(tc, k8s_refusals);
	tcase_add_test(tc, docker_kill_then_start_without_policy);
	tcase_add_test(tc, docker_policy_means_no_start);
	tcase_add_test(tc, docker_default_hostname_is_id);
	tcase_add_test(tc, exec_verbatim_argv);
	tcase_add_test(tc, exec_ok_timeout_missing);
	suite_add_tcase(s, tc);
	return s;
}
