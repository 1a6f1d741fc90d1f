/* SPDX-License-Identifier: MIT */
/* Request-exact tests of the k8s and docker fault backends (exec's are in
 * test-fault-exec.c): a fake Kubernetes API over TLS on 127.90.0.1 and a
 * fake Docker Engine on a unix socket record every request; the tests compare method, path, query, body
 * (as JSON) and Authorization with what contracts/fault-backends.md gives. */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "fault-fakes.h"
#include "fault-run.h"

/* The fakes' loop, lp, runs every backend call. */
#define run_inject(ops, b, t, restore) fault_run(lp, ops, b, t, restore)

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
	char *ca, *crt, *key, *cl, *us, *kc, *pat;
	struct fault_backend *b;
	struct got g;
	glob_t gl;

	reset();
	ca = b64_file("srv.crt");
	crt = b64_file("cli.crt");
	key = b64_file("cli.key");
	cl = xasprintf("certificate-authority-data: %s", ca);
	us = xasprintf("client-certificate-data: %s\n    client-key-data: %s", crt, key);
	kc = kubeconfig("cert.yaml", cl, us);
	b = k8s_open(kc, NULL);
	g = run_inject(&fault_k8s_ops, b, &mix_target, false);
	/* The keys went to libcurl in memory: no temp dir a kill would leave. */
	pat = xasprintf("%s/milvusadm-kube-*", dir);
	ck_assert_int_eq(glob(pat, 0, NULL, &gl), GLOB_NOMATCH);
	globfree(&gl);
	free(pat);
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

/* A slow daemon: every answer in time, the chain of 22 far over plan's
 * deadline (3 timeouts), which ends it with one line instead of waiting. */
START_TEST(docker_plan_deadline)
{
	const char *opts[2] = { NULL };
	struct fault_backend *b;
	struct profile p;
	char plan[2048], err[256];
	int64_t t0, took;

	reset();
	docker_extra_running = 20;
	docker_delay_ms = 150;
	memset(&p, 0, sizeof p);
	p.timeout_ms = 500;
	opts[0] = xasprintf("socket=%s", docker_sock);
	b = fault_docker_ops.open(lp, &p, NULL, opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	t0 = time_mono_ms();
	ck_assert_int_eq(fault_docker_ops.plan(b, &standalone_target, plan, sizeof plan), -1);
	took = time_mono_ms() - t0;
	ck_assert_msg(strstr(plan, "did not answer plan's lookups within 1500 ms") != NULL,
	    "%s", plan);
	ck_assert_ptr_null(strchr(plan, '\n'));
	ck_assert_msg(took >= 1400 && took < 2500, "plan took %lld ms", (long long)took);
	/* Nothing of the cancelled chain is left: the next plan runs. */
	docker_delay_ms = 0;
	ck_assert_msg(fault_docker_ops.plan(b, &standalone_target, plan, sizeof plan) == 0,
	    "%s", plan);
	ck_assert_msg(strstr(plan, "/containers/" ID_B "/kill") != NULL, "%s", plan);
	fault_docker_ops.close(b);
	free((char *)opts[0]);
}
END_TEST

struct got_restarts {
	int done;
	int calls;
	struct fault_restarts r;
};

static void
on_restarts(const struct fault_restarts *r, void *arg)
{
	struct got_restarts *g = arg;

	g->r = *r;
	g->calls++;
	g->done = 1;
}

static struct got_restarts
run_restarts(const struct fault_ops *ops, struct fault_backend *b, const struct fault_target *t)
{
	struct got_restarts g, other;

	memset(&g, 0, sizeof g);
	memset(&other, 0, sizeof other);
	ck_assert_ptr_nonnull(ops->restarts);
	ck_assert_int_eq(ops->restarts(b, t, on_restarts, &g), 0);
	ck_assert_int_eq(g.done, 0);	/* never from inside the call */
	/* one at a time: a second call while one is pending does not start */
	ck_assert_int_eq(ops->restarts(b, t, on_restarts, &other), -1);
	ck_assert_int_eq(loop_run_until(lp, &g.done, 20000), 0);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(other.calls, 0);
	if (g.r.err != 0) {
		ck_assert_int_eq(g.r.count, -1);
		ck_assert_msg(g.r.errmsg[0] != '\0' && strchr(g.r.errmsg, '\n') == NULL,
		    "errmsg '%s'", g.r.errmsg);
	}
	return g;
}

/* Two mixcoord pods: 1 + 3 in the containers of one, 2 in the other. */
#define POD_LIST "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" \
	"{\"metadata\":{\"name\":\"p1\",\"uid\":\"u1\"},\"status\":{\"phase\":\"Running\"," \
	"\"containerStatuses\":[{\"name\":\"a\",\"restartCount\":1},{\"name\":\"b\"," \
	"\"restartCount\":3}]}},{\"metadata\":{\"name\":\"p2\",\"uid\":\"u2\"},\"status\":" \
	"{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"a\",\"restartCount\":2}]}}]}"

START_TEST(k8s_restarts_helm)
{
	struct fault_backend *b;
	struct got_restarts g;
	char *kc;

	reset();
	k8s_list_body = POD_LIST;
	kc = kubeconfig("rs.yaml", "certificate-authority: srv.crt", "token: tok-123");
	b = k8s_open(kc, NULL);
	g = run_restarts(&fault_k8s_ops, b, &mix_target);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	ck_assert_int_eq(g.r.count, 6);
	ck_assert_str_eq(g.r.what, "restartCount of 2 pods "
	    "app.kubernetes.io/instance=my-release,component=mixcoord");
	ck_assert_int_eq(n_recs, 2);
	/* the target pod, for its labels; then its role's pods */
	assert_req(0, "GET", "/api/v1/namespaces/milvus/pods/" POD, "");
	assert_req(1, "GET", "/api/v1/namespaces/milvus/pods",
	    "labelSelector=app.kubernetes.io/instance=my-release,component=mixcoord");
	ck_assert_str_eq(recs[1].uri, "/api/v1/namespaces/milvus/pods?labelSelector="
	    "app.kubernetes.io%2Finstance%3Dmy-release%2Ccomponent%3Dmixcoord");
	ck_assert_str_eq(recs[0].auth, "Bearer tok-123");
	ck_assert_str_eq(recs[1].auth, "Bearer tok-123");
	/* after the drill the pod is gone and replaced: the selector is kept */
	n_recs = 0;
	k8s_pod_gone = true;
	k8s_list_body = "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"p3\","
	    "\"uid\":\"u3\"},\"status\":{\"containerStatuses\":[{\"name\":\"a\",\"restartCount\":0}]}},"
	    "{\"metadata\":{\"name\":\"p2\",\"uid\":\"u2\"},\"status\":{\"containerStatuses\":"
	    "[{\"name\":\"a\",\"restartCount\":3}]}}]}";
	g = run_restarts(&fault_k8s_ops, b, &mix_target);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	ck_assert_int_eq(g.r.count, 3);
	ck_assert_int_eq(n_recs, 1);
	assert_req(0, "GET", "/api/v1/namespaces/milvus/pods",
	    "labelSelector=app.kubernetes.io/instance=my-release,component=mixcoord");
	/* a request in flight is cancelled by close, without cb */
	{
		struct got_restarts p;

		memset(&p, 0, sizeof p);
		ck_assert_int_eq(fault_k8s_ops.restarts(b, &mix_target, on_restarts, &p), 0);
		fault_k8s_ops.close(b);
		ck_assert_int_eq(p.calls, 0);
	}
	free(kc);
}
END_TEST

START_TEST(k8s_restarts_operator_and_etcd)
{
	struct fault_target t = mix_target;
	struct fault_backend *b;
	struct got_restarts g;
	char *kc;

	reset();
	k8s_list_body = POD_LIST;
	k8s_labels = "\"app.kubernetes.io/instance\":\"my-release\","
	    "\"app.kubernetes.io/component\":\"mixcoord\","
	    "\"app.kubernetes.io/managed-by\":\"milvus-operator\"";
	kc = kubeconfig("rso.yaml", "certificate-authority: srv.crt", "token: tok-123");
	b = k8s_open(kc, NULL);
	/* a 2.6 rootcoord session lives in the mixcoord pods */
	t.role = "rootcoord";
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	ck_assert_int_eq(g.r.count, 6);
	assert_req(1, "GET", "/api/v1/namespaces/milvus/pods", "labelSelector="
	    "app.kubernetes.io/instance=my-release,app.kubernetes.io/component=mixcoord");
	fault_k8s_ops.close(b);
	/* etcd members: the StatefulSet's pods by name=etcd and the instance */
	reset();
	k8s_list_body = POD_LIST;
	k8s_labels = "\"app.kubernetes.io/name\":\"etcd\",\"app.kubernetes.io/instance\":"
	    "\"my-release\"";
	b = k8s_open(kc, NULL);
	memset(&t, 0, sizeof t);
	t.kind = "etcd-member";
	t.role = "etcd";
	t.etcd_member_name = POD;
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	assert_req(1, "GET", "/api/v1/namespaces/milvus/pods",
	    "labelSelector=app.kubernetes.io/name=etcd,app.kubernetes.io/instance=my-release");
	fault_k8s_ops.close(b);
	free(kc);
}
END_TEST

START_TEST(k8s_restarts_errors)
{
	static const char *const garbage[] = {
		"{not json",
		"[1,2,3]",
		"{\"items\":{\"a\":1}}",
		"{\"items\":[{\"metadata\":{}}]}",
		"{\"items\":[{\"metadata\":{\"name\":\"p\",\"uid\":\"u\"},\"status\":"
		    "{\"containerStatuses\":[{\"restartCount\":\"9223372036854775807\"},"
		    "{\"restartCount\":\"9223372036854775807\"}]}}]}",
		"{\"items\":[{\"metadata\":{\"name\":\"p\",\"uid\":\"u\"},\"status\":"
		    "{\"containerStatuses\":[{\"restartCount\":-4}]}}]}",
		"",
	};
	struct fault_target t = mix_target;
	struct fault_backend *b;
	struct got_restarts g;
	char *kc;
	size_t i;

	reset();
	kc = kubeconfig("rse.yaml", "certificate-authority: srv.crt", "token: tok-123");
	b = k8s_open(kc, NULL);
	/* 403 on the list: one line that names the missing verb */
	k8s_list_code = 403;
	k8s_list_body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
	    "\"message\":\"pods is forbidden: User \\\"drill\\\" cannot list resource \\\"pods\\\"\\n"
	    "in API group \\\"\\\"\",\"reason\":\"Forbidden\",\"code\":403}";
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_int_ne(g.r.err, 0);
	ck_assert_msg(strstr(g.r.errmsg, "list pods forbidden (403; the drill needs list on "
	    "pods in 'milvus'): pods is forbidden") != NULL, "%s", g.r.errmsg);
	/* the target's pod unknown, no selector known yet */
	reset();
	t.host_name = "gone-pod";
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_str_eq(g.r.errmsg, "pod 'gone-pod' not found in namespace 'milvus'");
	ck_assert_int_eq(n_recs, 1);
	/* a HostName that is no pod name never reaches a URL, and still answers later */
	reset();
	t.host_name = "../../etc";
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_int_ne(g.r.err, 0);
	ck_assert_int_eq(n_recs, 0);
	/* another release's pod: refused as inject refuses it (a new backend:
	 * the 403 above already learnt this pod's selector) */
	fault_k8s_ops.close(b);
	b = k8s_open(kc, NULL);
	reset();
	t = mix_target;
	k8s_labels = "\"app.kubernetes.io/instance\":\"other\",\"component\":\"mixcoord\"";
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_msg(strstr(g.r.errmsg, "not release 'my-release'") != NULL, "%s", g.r.errmsg);
	ck_assert_int_eq(n_recs, 1);
	/* no pod matches: unknown, not 0 */
	reset();
	g = run_restarts(&fault_k8s_ops, b, &t);
	ck_assert_msg(strstr(g.r.errmsg, "no pod in namespace 'milvus' matches") != NULL, "%s",
	    g.r.errmsg);
	/* garbage answers: an error, no crash */
	for (i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
		reset();
		k8s_list_body = garbage[i];
		g = run_restarts(&fault_k8s_ops, b, &t);
		ck_assert_msg(g.r.err != 0, "garbage %zu counted %lld", i, (long long)g.r.count);
		ck_assert_msg(strncmp(g.r.errmsg, "pods 'app.kubernetes.io/instance=my-release,"
		    "component=mixcoord': ", 64) == 0, "garbage %zu: %s", i, g.r.errmsg);
	}
	fault_k8s_ops.close(b);
	free(kc);
}
END_TEST

START_TEST(docker_restarts_count)
{
	struct fault_target t = standalone_target;
	struct fault_backend *b;
	struct got_restarts g;
	struct got k;

	reset();
	docker_restart_count = 3;
	b = docker_open(NULL);
	g = run_restarts(&fault_docker_ops, b, &t);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	ck_assert_int_eq(g.r.count, 3);
	ck_assert_str_eq(g.r.what, "RestartCount of container 'n-bbbb' (bbbbbbbbbbbb)");
	/* found as inject finds it: version, list, inspects */
	ck_assert_int_eq(n_recs, 4);
	assert_req(0, "GET", "/version", "");
	assert_req(1, "GET", "/v1.43/containers/json", "all=1");
	assert_req(2, "GET", "/v1.43/containers/" ID_A "/json", "");
	assert_req(3, "GET", "/v1.43/containers/" ID_B "/json", "");
	/* then straight by ID, also after a kill (no list shows a killed one) */
	k = run_inject(&fault_docker_ops, b, &t, false);
	ck_assert_msg(k.res.err == 0, "%s", k.res.errmsg);
	n_recs = 0;
	docker_restart_count = 4;
	g = run_restarts(&fault_docker_ops, b, &t);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	ck_assert_int_eq(g.r.count, 4);
	ck_assert_int_eq(n_recs, 1);
	assert_req(0, "GET", "/v1.43/containers/" ID_B "/json", "");
	ck_assert_str_eq(recs[0].uri, "/v1.43/containers/" ID_B "/json");
	ck_assert_str_eq(recs[0].auth, "");
	/* the container went away: searched again, and nobody has the hostname */
	reset();
	docker_inspect_code = 404;
	docker_inspect_body = "{\"message\":\"No such container\"}";
	g = run_restarts(&fault_docker_ops, b, &t);
	ck_assert_msg(strstr(g.r.errmsg, "no container has hostname 'milvus-standalone'") != NULL,
	    "%s", g.r.errmsg);
	assert_req(0, "GET", "/v1.43/containers/" ID_B "/json", "");
	assert_req(1, "GET", "/v1.43/containers/json", "all=1");
	fault_docker_ops.close(b);
}
END_TEST

START_TEST(docker_restarts_errors)
{
	static const char *const garbage[] = {
		"{not json", "[]", "{\"Id\":3}", "", "{\"Id\":\"" ID_B "\",\"RestartCount\":-1,"
		    "\"Config\":{\"Hostname\":\"milvus-standalone\"},\"State\":{\"Status\":\"running\","
		    "\"Running\":true}}",
	};
	struct fault_target t = standalone_target;
	struct fault_backend *b;
	struct got_restarts g;
	size_t i;

	reset();
	b = docker_open("api=1.43");
	/* found once, then asked by ID: the answers below are to that GET */
	g = run_restarts(&fault_docker_ops, b, &t);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	reset();
	docker_inspect_code = 500;
	docker_inspect_body = "{\"message\":\"server error:\\nbroken\"}";
	g = run_restarts(&fault_docker_ops, b, &t);
	ck_assert_int_ne(g.r.err, 0);
	ck_assert_str_eq(g.r.errmsg, "container inspect: HTTP 500 server error:?broken");
	for (i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
		reset();
		docker_inspect_body = garbage[i];
		g = run_restarts(&fault_docker_ops, b, &t);
		ck_assert_msg(g.r.err != 0, "garbage %zu counted %lld", i, (long long)g.r.count);
		ck_assert_msg(strncmp(g.r.errmsg, "container inspect: ", 19) == 0 ||
		    strstr(g.r.errmsg, "negative RestartCount") != NULL, "garbage %zu: %s", i,
		    g.r.errmsg);
		ck_assert_int_eq(n_recs, 1);
	}
	/* no HostName: answered from the loop, nothing sent */
	reset();
	t.host_name = "";
	g = run_restarts(&fault_docker_ops, b, &t);
	ck_assert_int_ne(g.r.err, 0);
	ck_assert_int_eq(n_recs, 0);
	fault_docker_ops.close(b);
}
END_TEST

/* The backends that cannot know say so with NULL. */
START_TEST(restarts_null_where_unknown)
{
	ck_assert_ptr_null(fault_lease_ops.restarts);
	ck_assert_ptr_null(fault_stop_ops.restarts);
	ck_assert_ptr_null(fault_exec_ops.restarts);
	ck_assert_ptr_nonnull(fault_k8s_ops.restarts);
	ck_assert_ptr_nonnull(fault_docker_ops.restarts);
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
	tcase_add_test(tc, docker_plan_deadline);
	tcase_add_test(tc, k8s_restarts_helm);
	tcase_add_test(tc, k8s_restarts_operator_and_etcd);
	tcase_add_test(tc, k8s_restarts_errors);
	tcase_add_test(tc, docker_restarts_count);
	tcase_add_test(tc, docker_restarts_errors);
	tcase_add_test(tc, restarts_null_where_unknown);
	suite_add_tcase(s, tc);
	return s;
}
