/* SPDX-License-Identifier: MIT */
/* The fakes test-fault-http.c drives: a Kubernetes API over TLS on 127.90.0.1
 * and a Docker Engine on a unix socket, both recording every request as sent
 * (method, raw URI, path, decoded query, Authorization, body) and answering
 * what the test set in the knobs of fault-fakes.h. */
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
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "fault-fakes.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
struct rec recs[32];
size_t n_recs;

char dir[64];
static struct MHD_Daemon *k8s_srv, *docker_srv;
int k8s_port;
char docker_sock[128];
struct loop *lp;

/* What the fakes answer; set by each test. */
char k8s_uid[64] = "uid-1";
bool k8s_replace_after_get;
const char *k8s_labels = "\"app.kubernetes.io/name\":\"milvus\","
    "\"app.kubernetes.io/instance\":\"my-release\",\"component\":\"mixcoord\"";
const char *docker_policy = "no";
/* restarts: the pod list, and what the target pod and inspects answer */
unsigned k8s_list_code = 200;
const char *k8s_list_body;
bool k8s_pod_gone;
int docker_restart_count;
unsigned docker_inspect_code = 200;
const char *docker_inspect_body;	/* NULL: the container as built */
unsigned docker_delay_ms;
unsigned docker_extra_running;

/* IDs of the docker_extra_running containers: this, then 56 digits. */
#define EXTRA_PFX	"dddddddd"

struct conn {
	bool started;
	char uri[512];
	struct buf body;
};

/* First sight of a request: keep its URI before MHD decodes the query. */
static void *
uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn *cn = xcalloc(1, sizeof *cn);

	snprintf(cn->uri, sizeof cn->uri, "%s", uri);
	return cn;
}

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
	snprintf(r->uri, sizeof r->uri, "%s", cn->uri);
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

	if (!cn->started) {
		cn->started = true;
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
	if (strcmp(url, "/api/v1/namespaces/milvus/pods") == 0 && strcmp(method, "GET") == 0)
		return reply(c, k8s_list_code, k8s_list_body);
	if (strncmp(url, pfx, strlen(pfx)) != 0 || strcmp(url + strlen(pfx), POD) != 0 ||
	    k8s_pod_gone)
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
	if (docker_delay_ms > 0)
		usleep(docker_delay_ms * 1000);
	if (strcmp(url, "/version") == 0)
		return reply(c, 200, "{\"Version\":\"24.0.7\",\"ApiVersion\":\"1.43\","
		    "\"MinAPIVersion\":\"1.12\"}");
	if (strncmp(p, "/v1.", 4) == 0)
		p = strchr(p + 1, '/');
	if (p == NULL)
		return reply(c, 400, "{\"message\":\"bad\"}");
	if (strcmp(p, "/containers/json") == 0) {
		struct buf l = BUF_INIT;
		unsigned i;

		buf_adds(&l, "[{\"Id\":\"" ID_A "\",\"Names\":[\"/milvus-etcd\"],\"State\":\"running\"},"
		    "{\"Id\":\"" ID_B "\",\"Names\":[\"/milvus-standalone\"],\"State\":\"running\"},"
		    "{\"Id\":\"" ID_C "\",\"Names\":[\"/old-standalone\"],\"State\":\"exited\"}");
		for (i = 0; i < docker_extra_running; i++)
			buf_printf(&l, ",{\"Id\":\"" EXTRA_PFX "%056u\",\"Names\":[\"/extra-%u\"],"
			    "\"State\":\"running\"}", i, i);
		buf_adds(&l, "]");
		ret = reply(c, 200, l.data);
		buf_release(&l);
		return ret;
	}
	if (strncmp(p, "/containers/", 12) == 0 && strlen(p) > 12 + 64) {
		char id[65];
		const char *what = p + 12 + 64;

		memcpy(id, p + 12, 64);
		id[64] = '\0';
		if (strcmp(what, "/json") == 0 && docker_inspect_body != NULL)
			return reply(c, docker_inspect_code, docker_inspect_body);
		if (strcmp(what, "/json") == 0) {
			const char *host = strcmp(id, ID_A) == 0 ? "aaaaaaaaaaaa" :
			    strncmp(id, EXTRA_PFX, 8) == 0 ? "extra" : "milvus-standalone";
			const char *st = strcmp(id, ID_C) == 0 ? "exited" : "running";

			body = xasprintf("{\"Id\":\"%s\",\"Name\":\"/n-%.4s\",\"RestartCount\":%d,"
			    "\"Config\":{\"Hostname\":\"%s\"},\"State\":{\"Status\":\"%s\",\"Running\":%s,"
			    "\"Pid\":42,\"ExitCode\":0},\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"%s\","
			    "\"MaximumRetryCount\":0}}}", id, id,
			    strcmp(id, ID_B) == 0 ? docker_restart_count : 0, host, st,
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

char *
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
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
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
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	ck_assert_msg(docker_srv != NULL, "cannot serve on the unix socket");
	http_global_init();
	lp = loop_new();
}

void
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

void
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
	k8s_list_code = 200;
	k8s_list_body = "{\"kind\":\"PodList\",\"items\":[]}";
	k8s_pod_gone = false;
	docker_restart_count = 0;
	docker_inspect_code = 200;
	docker_inspect_body = NULL;
	docker_delay_ms = 0;
	docker_extra_running = 0;
}

/* Write a kubeconfig; user is the YAML of the user mapping. */
char *
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

char *
b64_file(const char *name)
{
	char *s = slurp(name), *b = b64_encode(s, strlen(s));

	free(s);
	return b;
}
