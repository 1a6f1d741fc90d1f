/* SPDX-License-Identifier: MIT */
/* The exec fault backend: an argv template filled per argument from the
 * target and run without a shell; the cluster's strings that reach it are
 * checked (never an option, never shell syntax), its exit status, stderr
 * and timeout reported. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/fault.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "fault-run.h"

static struct loop *lp;
static char dir[64];

#define run_inject(ops, b, t) fault_run(lp, ops, b, t, false)

/* Each test starts with its loop and an empty scratch directory. */
static void
reset(void)
{
	if (lp == NULL)
		lp = loop_new();
	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "/tmp/milvusadm-exec-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
	}
}

static void
teardown(void)
{
	char *flag;

	if (dir[0] == '\0')
		return;
	flag = xasprintf("%s/pwned", dir);
	unlink(flag);
	free(flag);
	rmdir(dir);
}

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
	char err[256], plan[1024];
	struct got g;

	reset();
	t.address = "[fd00::7]:19530";
	t.host_name = "milvus-mixcoord-7c9d_0.x";
	b = exec_open(opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	ck_assert_int_eq(fault_exec_ops.plan(b, &t, plan, sizeof plan), 0);
	ck_assert_msg(strstr(plan, "exec: /bin/sh -c ") != NULL, "%s", plan);
	g = run_inject(&fault_exec_ops, b, &t);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "exited with status 3: <10.0.0.7>"
	    "<milvus-mixcoord-7c9d_0.x><xmixcoordy><7><[fd00::7]:19530>") != NULL,
	    "%s", g.res.errmsg);
	fault_exec_ops.close(b);
}
END_TEST

/* A session's fields are written by whoever can write etcd: in an argv they
 * are checked as the k8s backend checks pod names, and never start with '-'
 * (an option to the command). Refused in the plan and at inject alike, and
 * nothing is run. */
START_TEST(exec_hostile_values)
{
	const char *opts[] = { "argv=/bin/sh -c 'touch pwned' sh {host} {pod} {server_id}",
	    NULL };
	static const struct {
		const char *host, *pod;
		int64_t id;
		const char *want;
	} bad[] = {
		{ "1.2.3.4; touch pwned", "p", 7, "{host} '1.2.3.4; touch pwned' is not safe" },
		{ "10.0.0.7", "--kubeconfig=/tmp/x", 7, "{pod} '--kubeconfig=/tmp/x' is not safe" },
		{ "10.0.0.7", "-rf", 7, "{pod} '-rf' is not safe" },
		{ "10.0.0.7", "a b $(touch pwned)", 7, "{pod} 'a b $(touch pwned)' is not safe" },
		{ "10.0.0.7", "pod\xc2\x9b" "1", 7, "{pod} 'pod??1' is not safe" },
		{ "10.0.0.7", "p", -5, "{server_id} '-5' is not safe" },
		{ "10.0.0.7", "", 7, "{pod} '' is not safe" },
	};
	struct fault_target t = mix_target;
	struct fault_backend *b;
	char err[256], plan[1024], *flag;
	struct got g;
	size_t i;

	reset();
	flag = xasprintf("%s/pwned", dir);
	ck_assert_int_eq(chdir(dir), 0);
	b = exec_open(opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t.host = bad[i].host;
		t.host_name = bad[i].pod;
		t.server_id = bad[i].id;
		ck_assert_int_eq(fault_exec_ops.plan(b, &t, plan, sizeof plan), -1);
		ck_assert_msg(strstr(plan, bad[i].want) != NULL, "%zu: %s", i, plan);
		g = run_inject(&fault_exec_ops, b, &t);
		ck_assert_int_ne(g.res.err, 0);
		ck_assert_msg(strstr(g.res.errmsg, bad[i].want) != NULL, "%zu: %s", i,
		    g.res.errmsg);
		ck_assert_msg(strstr(g.res.errmsg, "not starting with '-'") != NULL, "%s",
		    g.res.errmsg);
	}
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
	g = run_inject(&fault_exec_ops, b, &mix_target);
	ck_assert_msg(g.res.err == 0, "%s", g.res.errmsg);
	ck_assert(g.res.injected_ms > 0);
	fault_exec_ops.close(b);

	b = exec_open(slow, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	t0 = time_mono_ms();
	g = run_inject(&fault_exec_ops, b, &mix_target);
	ck_assert_int_ne(g.res.err, 0);
	ck_assert_msg(strstr(g.res.errmsg, "timed out") != NULL, "%s", g.res.errmsg);
	ck_assert(time_mono_ms() - t0 < 3000);
	fault_exec_ops.close(b);

	b = exec_open(missing, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	g = run_inject(&fault_exec_ops, b, &mix_target);
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
	Suite *s = suite_create("fault-exec");
	TCase *tc = tcase_create("exec");

	tcase_add_unchecked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, exec_verbatim_argv);
	tcase_add_test(tc, exec_hostile_values);
	tcase_add_test(tc, exec_ok_timeout_missing);
	suite_add_tcase(s, tc);
	return s;
}
