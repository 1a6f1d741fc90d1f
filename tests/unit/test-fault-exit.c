/* SPDX-License-Identifier: MIT */
/* How a target's process last ended, read the way each real backend exposes
 * it (contracts/fault-backends.md): Docker's State.ExitCode of a container
 * that is not running, Kubernetes's lastState.terminated.exitCode of the
 * target's pod. Canned JSON straight through the parsers, then through the
 * backends' restarts calls against the fakes (fault-fakes.c), so that exit 80
 * (Milvus 3.0 fencing itself) reaches the drill report's last_exit. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/docker.h"
#include "milvusadm/fault.h"
#include "milvusadm/k8s.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "../../src/ops/fault-int.h"
#include "fault-fakes.h"
#include "fault-run.h"

#define DOCKER_EXITED_80 "{\"Id\":\"" ID_B "\",\"Name\":\"/milvus-standalone\"," \
	"\"RestartCount\":0,\"Config\":{\"Hostname\":\"milvus-standalone\"},\"State\":" \
	"{\"Status\":\"exited\",\"Running\":false,\"Pid\":0,\"ExitCode\":80}," \
	"\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"\",\"MaximumRetryCount\":0}}}"
/* Running again (restart policy): Docker zeroed ExitCode on the start. */
#define DOCKER_RUNNING "{\"Id\":\"" ID_B "\",\"Name\":\"/milvus-standalone\"," \
	"\"RestartCount\":1,\"Config\":{\"Hostname\":\"milvus-standalone\"},\"State\":" \
	"{\"Status\":\"running\",\"Running\":true,\"Pid\":42,\"ExitCode\":0}," \
	"\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":0}}}"
/* The target pod restarted in place after exit 80; another mixcoord pod that
 * once exited 1 must not be taken for it. */
#define K8S_LIST_80 "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" \
	"{\"metadata\":{\"name\":\"other\",\"uid\":\"u0\"},\"status\":{\"containerStatuses\":" \
	"[{\"name\":\"mixcoord\",\"restartCount\":4,\"lastState\":{\"terminated\":" \
	"{\"exitCode\":1}}}]}},{\"metadata\":{\"name\":\"" POD "\",\"uid\":\"uid-1\"}," \
	"\"status\":{\"containerStatuses\":[{\"name\":\"mixcoord\",\"restartCount\":1," \
	"\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"exitCode\":80," \
	"\"reason\":\"Error\"}}}]}}]}"

START_TEST(docker_exit_code_parsed)
{
	struct docker_inspect c;
	char err[256], out[32];

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(docker_inspect_parse(DOCKER_EXITED_80, strlen(DOCKER_EXITED_80), &c, err,
	    sizeof err), 0);
	ck_assert(fault_docker_last_exit(&c, out, sizeof out));
	ck_assert_str_eq(out, "exit 80");
	docker_inspect_release(&c);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(docker_inspect_parse(DOCKER_RUNNING, strlen(DOCKER_RUNNING), &c, err,
	    sizeof err), 0);
	ck_assert(!fault_docker_last_exit(&c, out, sizeof out));
	ck_assert_str_eq(out, "");
	docker_inspect_release(&c);
}
END_TEST

START_TEST(k8s_exit_code_parsed)
{
	struct k8s_pod *pods;
	size_t n, i;
	char err[256], out[32];

	ck_assert_int_eq(k8s_pod_list_parse(K8S_LIST_80, strlen(K8S_LIST_80), &pods, &n, err,
	    sizeof err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(fault_k8s_last_exit(&pods[0], out, sizeof out));
	ck_assert_str_eq(out, "exit 1");
	ck_assert(fault_k8s_last_exit(&pods[1], out, sizeof out));
	ck_assert_str_eq(out, "exit 80");
	for (i = 0; i < n; i++)
		k8s_pod_release(&pods[i]);
	free(pods);
}
END_TEST

struct got_restarts {
	int done;
	struct fault_restarts r;
};

static void
on_restarts(const struct fault_restarts *r, void *arg)
{
	struct got_restarts *g = arg;

	g->r = *r;
	g->done = 1;
}

static struct fault_restarts
restarts(const struct fault_ops *ops, struct fault_backend *b, const struct fault_target *t)
{
	struct got_restarts g;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(ops->restarts(b, t, on_restarts, &g), 0);
	ck_assert_int_eq(loop_run_until(lp, &g.done, 20000), 0);
	return g.r;
}

static const struct fault_target standalone = {
	.kind = "coordinator", .role = "rootcoord", .server_id = 3, .address = "172.18.0.4:19530",
	.host = "172.18.0.4", .host_name = "milvus-standalone", .metrics_port = 9091,
};

START_TEST(docker_restarts_say_exit_80)
{
	const char *opts[2] = { NULL };
	char *o, err[256];
	struct fault_backend *b;
	struct fault_restarts r;

	reset();
	o = xasprintf("socket=%s", docker_sock);
	opts[0] = o;
	b = fault_docker_ops.open(lp, NULL, NULL, opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	docker_inspect_code = 200;
	docker_inspect_body = DOCKER_EXITED_80;
	r = restarts(&fault_docker_ops, b, &standalone);
	ck_assert_msg(r.err == 0, "%s", r.errmsg);
	ck_assert_str_eq(r.last_exit, "exit 80");
	docker_inspect_body = DOCKER_RUNNING;
	r = restarts(&fault_docker_ops, b, &standalone);
	ck_assert_msg(r.err == 0, "%s", r.errmsg);
	ck_assert_int_eq(r.count, 1);
	ck_assert_str_eq(r.last_exit, "");
	fault_docker_ops.close(b);
	free(o);
}
END_TEST

START_TEST(k8s_restarts_say_exit_80)
{
	const char *opts[4] = { NULL };
	char *kc, *o, err[256];
	struct fault_backend *b;
	struct fault_restarts r;

	reset();
	kc = kubeconfig("exit.yaml", "certificate-authority: srv.crt", "token: tok-123");
	o = xasprintf("kubeconfig=%s", kc);
	opts[0] = o;
	opts[1] = "namespace=milvus";
	opts[2] = "release=my-release";
	b = fault_k8s_ops.open(lp, NULL, NULL, opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	k8s_list_body = K8S_LIST_80;
	r = restarts(&fault_k8s_ops, b, &mix_target);
	ck_assert_msg(r.err == 0, "%s", r.errmsg);
	ck_assert_int_eq(r.count, 5);
	ck_assert_str_eq(r.last_exit, "exit 80");
	fault_k8s_ops.close(b);
	free(o);
	free(kc);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("fault-exit");
	TCase *tc = tcase_create("fault-exit");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, NULL, servers_stop);
	tcase_add_test(tc, docker_exit_code_parsed);
	tcase_add_test(tc, k8s_exit_code_parsed);
	tcase_add_test(tc, docker_restarts_say_exit_80);
	tcase_add_test(tc, k8s_restarts_say_exit_80);
	suite_add_tcase(s, tc);
	return s;
}
