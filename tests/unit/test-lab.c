/* SPDX-License-Identifier: MIT */
/* Unit tests for the lab plan and state files, and the command table lookup. */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/cmd.h"
#include "milvusadm/fault.h"
#include "milvusadm/lab.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "unit-config.h"

/* cmd.c's table names the handlers; these tests only look commands up. */
#define STUB(fn) int fn(struct cmd_ctx *c, int argc, char **argv) { return 42; }
STUB(cmd_lab_up)
STUB(cmd_lab_down)
STUB(cmd_lab_status)
STUB(cmd_lab_kill)
STUB(cmd_lab_restart)
STUB(cmd_lab_start)
STUB(cmd_watch)
STUB(cmd_backup_create)
STUB(cmd_backup_list)
STUB(cmd_backup_show)
STUB(cmd_backup_delete)
STUB(cmd_restore)
STUB(cmd_restore_status)
STUB(cmd_rpo)
STUB(cmd_backup_verify)
STUB(cmd_restore_drill)
STUB(cmd_restore_drill_history)
STUB(cmd_audit)
STUB(cmd_drop_collection)
STUB(cmd_drop_database) STUB(cmd_protect_add) STUB(cmd_protect_remove) STUB(cmd_protect_list)
STUB(cmd_protect_database) STUB(cmd_protect_who_can_drop)
STUB(cmd_config_keys) STUB(cmd_config_show) STUB(cmd_config_check)

static struct lab_opts
opts_default(void)
{
	struct lab_opts o;

	memset(&o, 0, sizeof o);
	o.name = "default";
	o.subnet = "127.63.0.0/24";
	o.milvus = "2.5";
	o.n_etcd = 1;
	o.ttl = 10;
	o.backoff_ms = 1000;
	return o;
}

static int
count_role(const struct lab *lab, const char *role)
{
	size_t i;
	int n = 0;

	for (i = 0; i < lab->n_members; i++)
		n += strcmp(lab->members[i].role, role) == 0;
	return n;
}

START_TEST(test_subnet)
{
	char net[32], err[256];

	ck_assert_int_eq(lab_parse_subnet("127.63.0.0/24", net, sizeof net, err, sizeof err), 0);
	ck_assert_str_eq(net, "127.63.0");
	ck_assert_int_eq(lab_parse_subnet("10.0.0.0/24", net, sizeof net, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "loopback"));
	ck_assert_int_eq(lab_parse_subnet("127.0.0.0/24", net, sizeof net, err, sizeof err), -1);
	ck_assert_int_eq(lab_parse_subnet("127.1.2.0/16", net, sizeof net, err, sizeof err), -1);
	ck_assert_int_eq(lab_parse_subnet("127.1.2.5/24", net, sizeof net, err, sizeof err), -1);
	ck_assert_int_eq(lab_parse_subnet("127.1.256.0/24", net, sizeof net, err, sizeof err), -1);
	ck_assert_int_eq(lab_parse_subnet("127.1.2.0/24x", net, sizeof net, err, sizeof err), -1);
}
END_TEST

START_TEST(test_plan_25)
{
	struct lab_opts o = opts_default();
	char err[256];
	struct lab *lab;
	bool active;

	lab = lab_plan(&o, err, sizeof err);
	ck_assert_ptr_nonnull(lab);
	ck_assert_int_eq(lab->n_members, 15);
	ck_assert_str_eq(lab->members[0].name, "etcd-1");
	ck_assert_str_eq(lab->members[0].ip, "127.63.0.2");
	ck_assert_str_eq(lab->members[1].name, "rootcoord-1");
	ck_assert_str_eq(lab->members[1].ip, "127.63.0.10");
	ck_assert(lab->members[1].active_standby);
	ck_assert_int_eq(count_role(lab, "querynode"), 3);
	ck_assert_int_eq(count_role(lab, "proxy"), 2);
	ck_assert_int_eq(count_role(lab, "indexnode"), 1);
	ck_assert_int_eq(lab_expected_sessions(lab, "rootcoord", &active), 2);
	ck_assert(active);
	ck_assert_int_eq(lab_expected_sessions(lab, "querynode", &active), 3);
	ck_assert(!active);
	ck_assert_ptr_nonnull(lab_member_find(lab, "querynode-3"));
	ck_assert_ptr_null(lab_member_find(lab, "querynode-4"));
	lab_free(lab);
}
END_TEST

/* 3.0 (contract §10): 2.6's roles; without --ttl the shipped 15 s. */
START_TEST(test_plan_30)
{
	struct lab_opts o = opts_default();
	const char *const *roles;
	char err[256];
	struct lab *lab;

	o.milvus = "3.0";
	o.ttl = 0;
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_msg(lab != NULL, "%s", err);
	ck_assert_int_eq(lab->ttl, 15);
	ck_assert_int_eq(count_role(lab, "mixcoord"), 2);
	ck_assert_int_eq(count_role(lab, "streamingnode"), 1);
	ck_assert_int_eq(count_role(lab, "querynode"), 1);
	ck_assert_int_eq(count_role(lab, "datanode"), 1);
	ck_assert_int_eq(count_role(lab, "proxy"), 1);
	ck_assert_int_eq(count_role(lab, "indexnode"), 0);
	roles = lab_session_roles(lab);
	ck_assert_str_eq(roles[0], "mixcoord");
	lab_free(lab);
	/* The other versions keep the lab's quick 10 s; --ttl wins. */
	o.milvus = "2.6";
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_int_eq(lab->ttl, 10);
	lab_free(lab);
	o.milvus = "3.0";
	o.ttl = 7;
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_int_eq(lab->ttl, 7);
	lab_free(lab);
	o.milvus = "3.1";
	ck_assert_ptr_null(lab_plan(&o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "2.6, 3.0"));
}
END_TEST

START_TEST(test_plan_variants)
{
	struct lab_opts o = opts_default();
	char err[256], **eps;
	struct lab *lab;
	bool active;

	o.milvus = "2.6";
	o.n_etcd = 3;
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_ptr_nonnull(lab);
	ck_assert_int_eq(count_role(lab, "etcd"), 3);
	ck_assert_int_eq(count_role(lab, "mixcoord"), 2);
	ck_assert_int_eq(count_role(lab, "streamingnode"), 1);
	ck_assert_int_eq(count_role(lab, "rootcoord"), 0);
	eps = lab_etcd_endpoints(lab);
	ck_assert_str_eq(eps[2], "http://127.63.0.4:2379");
	ck_assert_ptr_null(eps[3]);
	lab_strv_free(eps);
	lab_free(lab);

	o = opts_default();
	o.no_standby = true;
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_int_eq(count_role(lab, "rootcoord"), 1);
	ck_assert(!lab_member_find(lab, "rootcoord-1")->active_standby);
	ck_assert_int_eq(lab_expected_sessions(lab, "rootcoord", &active), 0);
	ck_assert(active);
	lab_free(lab);

	o = opts_default();
	o.standalone = true;
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_int_eq(lab->n_members, 2);
	ck_assert_str_eq(lab->members[1].role, "standalone");
	ck_assert_int_eq(lab_expected_sessions(lab, "proxy", &active), 1);
	lab_free(lab);

	o = opts_default();
	o.milvus = "2.3";
	ck_assert_ptr_null(lab_plan(&o, err, sizeof err));
	o = opts_default();
	o.name = "../x";
	ck_assert_ptr_null(lab_plan(&o, err, sizeof err));
}
END_TEST

START_TEST(test_files_roundtrip)
{
	char tmpl[] = "/tmp/test-lab.XXXXXX", err[256], *dir;
	struct lab_opts o = opts_default();
	struct lab *lab, *back;
	struct lab_member *m;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	setenv("XDG_STATE_HOME", dir, 1);
	o.labd = "/x/milvusadm-labd";
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_int_eq(fs_mkdirs(lab->dir, err, sizeof err), 0);
	ck_assert_int_eq(lab_write_plan(lab, err, sizeof err), 0);
	m = lab_member_find(lab, "proxy-2");
	m->pid = 4242;
	m->state = LAB_BACKOFF;
	m->restarts = 3;
	m->last_exit = xstrdup("signal 9");
	m->hostname = xstrdup("proxy-2-b7x2k");
	lab->supervisor_pid = 99;
	ck_assert_int_eq(lab_write_state(lab, err, sizeof err), 0);

	back = lab_read_plan(lab->dir, err, sizeof err);
	ck_assert_ptr_nonnull(back);
	ck_assert_int_eq(back->n_members, lab->n_members);
	ck_assert_str_eq(back->labd, "/x/milvusadm-labd");
	ck_assert_str_eq(back->net, "127.63.0");
	ck_assert_int_eq(lab_read_state(back, err, sizeof err), 0);
	ck_assert_int_eq(back->supervisor_pid, 99);
	m = lab_member_find(back, "proxy-2");
	ck_assert_int_eq(m->pid, 4242);
	ck_assert_int_eq(m->state, LAB_BACKOFF);
	ck_assert_int_eq(m->restarts, 3);
	ck_assert_str_eq(m->last_exit, "signal 9");
	ck_assert_str_eq(m->hostname, "proxy-2-b7x2k");
	ck_assert_int_eq(lab_supervisor_pid(lab->dir), 0);
	lab_free(back);
	lab_free(lab);
	{
		char *rm = xasprintf("rm -rf '%s'", dir);
		ck_assert_int_eq(system(rm), 0);
		free(rm);
	}
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
	g->done++;
}

static struct got_restarts
lab_restarts(struct loop *l, struct fault_backend *b, const struct fault_target *t)
{
	struct got_restarts g;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(fault_lab_ops.restarts(b, t, on_restarts, &g), 0);
	ck_assert_int_eq(g.done, 0);	/* from the loop, not inside the call */
	ck_assert_int_eq(loop_run_until(l, &g.done, 5000), 0);
	ck_assert_int_eq(g.done, 1);
	return g;
}

/* The lab backend reports the supervisor's count from state.json, found by
 * the target's address as inject finds the member to signal. */
/* How many entries of dir start with prefix. */
static int
count_prefixed(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* `lab start` leaves one request file per member; the supervisor takes it once. */
START_TEST(test_start_request)
{
	char tmpl[] = "/tmp/test-lab.XXXXXX", err[256], *dir, *path;
	struct lab_opts o = opts_default();
	struct lab *lab;
	FILE *f;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	setenv("XDG_STATE_HOME", dir, 1);
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_int_eq(fs_mkdirs(lab->dir, err, sizeof err), 0);
	ck_assert_int_eq(lab_start_request_take(lab, "proxy-2"), 0);
	ck_assert_int_eq(lab_start_request_write(lab, "proxy-2", err, sizeof err), 0);
	/* Twice is one request, and no temporary file is left behind. */
	ck_assert_int_eq(lab_start_request_write(lab, "proxy-2", err, sizeof err), 0);
	ck_assert_int_eq(count_prefixed(lab->dir, "start."), 1);
	path = lab_start_request_path(lab, "proxy-2");
	ck_assert_ptr_nonnull(strstr(path, "/start.proxy-2"));
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(lab_start_request_take(lab, "proxy-1"), 0);
	ck_assert_int_eq(lab_start_request_take(lab, "proxy-2"), 1);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(lab_start_request_take(lab, "proxy-2"), 0);
	free(path);
	/* A file that names another member (or nothing) starts nothing, and goes. */
	path = lab_start_request_path(lab, "proxy-1");
	f = fopen(path, "w");
	fputs("proxy-12\n", f);
	fclose(f);
	ck_assert_int_eq(lab_start_request_take(lab, "proxy-1"), -1);
	ck_assert_int_eq(access(path, F_OK), -1);
	f = fopen(path, "w");
	fclose(f);
	ck_assert_int_eq(lab_start_request_take(lab, "proxy-1"), -1);
	ck_assert_int_eq(count_prefixed(lab->dir, "start."), 0);
	free(path);
	lab_free(lab);
	{
		char *rm = xasprintf("rm -rf '%s'", dir);
		ck_assert_int_eq(system(rm), 0);
		free(rm);
	}
}
END_TEST

static void
on_usr1(int signo)
{
}

/* A supervisor is woken only when it catches SIGUSR1 (the default ends it). */
START_TEST(test_status_catches)
{
	static const char status[] = "Name:\tmilvusadm-labd\nSigIgn:\t0000000000001000\n"
	    "SigCgt:\t0000000000014203\nCapInh:\t0000000000000000\n";

	ck_assert(lab_status_catches(status, SIGHUP));
	ck_assert(lab_status_catches(status, SIGUSR1));
	ck_assert(lab_status_catches(status, SIGTERM));
	ck_assert(lab_status_catches(status, SIGCHLD));
	ck_assert(!lab_status_catches(status, SIGUSR2));
	ck_assert(!lab_status_catches(status, SIGPIPE));
	ck_assert(!lab_status_catches("SigCgt:\tzz\n", SIGUSR1));
	ck_assert(!lab_status_catches("Name:\tx\n", SIGUSR1));
	ck_assert(!lab_status_catches(NULL, SIGUSR1));
	signal(SIGUSR1, SIG_DFL);
	ck_assert(!lab_pid_catches(getpid(), SIGUSR1));
	signal(SIGUSR1, on_usr1);
	ck_assert(lab_pid_catches(getpid(), SIGUSR1));
	signal(SIGUSR1, SIG_DFL);
	ck_assert(!lab_pid_catches(0, SIGUSR1));
}
END_TEST

START_TEST(test_fault_lab_restarts)
{
	char tmpl[] = "/tmp/test-lab.XXXXXX", err[256], *dir, *rm;
	const char *opts[] = { "lab=ha", NULL };
	struct lab_opts o = opts_default();
	struct fault_target t;
	struct fault_backend *b;
	struct got_restarts g;
	struct lab_member *m;
	struct loop *l;
	struct lab *lab;

	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	setenv("XDG_STATE_HOME", dir, 1);
	o.name = "ha";
	o.subnet = "127.96.0.0/24";
	o.labd = "/x/milvusadm-labd";
	lab = lab_plan(&o, err, sizeof err);
	ck_assert_ptr_nonnull(lab);
	ck_assert_int_eq(fs_mkdirs(lab->dir, err, sizeof err), 0);
	ck_assert_int_eq(lab_write_plan(lab, err, sizeof err), 0);
	ck_assert_int_eq(lab_write_state(lab, err, sizeof err), 0);
	m = lab_member_find(lab, "querynode-1");
	ck_assert_ptr_nonnull(m);
	memset(&t, 0, sizeof t);
	t.kind = "worker";
	t.role = "querynode";
	t.host = m->ip;
	l = loop_new();
	b = fault_lab_ops.open(l, NULL, NULL, opts, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	g = lab_restarts(l, b, &t);
	ck_assert_msg(g.r.err == 0, "%s", g.r.errmsg);
	ck_assert_int_eq(g.r.count, 0);
	ck_assert_str_eq(g.r.what, "lab supervisor restarts of querynode-1");
	/* what the supervisor writes when it starts the member again */
	m->restarts = 1;
	ck_assert_int_eq(lab_write_state(lab, err, sizeof err), 0);
	g = lab_restarts(l, b, &t);
	ck_assert_int_eq(g.r.count, 1);
	/* no member at the address: unknown */
	t.host = "127.96.0.250";
	g = lab_restarts(l, b, &t);
	ck_assert_int_ne(g.r.err, 0);
	ck_assert_int_eq(g.r.count, -1);
	ck_assert_str_eq(g.r.errmsg, "no member of lab 'ha' has address '127.96.0.250'");
	/* close cancels an answer not yet given */
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(fault_lab_ops.restarts(b, &t, on_restarts, &g), 0);
	fault_lab_ops.close(b);
	ck_assert_int_eq(loop_run_until(l, &g.done, 50), -1);
	ck_assert_int_eq(g.done, 0);
	loop_free(l);
	lab_free(lab);
	rm = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(rm), 0);
	free(rm);
}
END_TEST

START_TEST(test_cmd_find)
{
	char *a1[] = { "lab", "up", "--name", "x" };
	char *a2[] = { "la", "stat" };
	char *a3[] = { "lab", "re" };
	char *a4[] = { "lab" };
	char *a5[] = { "nope" };
	char *a6[] = { "v" };
	const struct cmd_entry *e;
	char err[256];
	int n;

	e = cmd_find(4, a1, &n, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->name, "lab up");
	ck_assert_int_eq(n, 2);
	e = cmd_find(2, a2, &n, err, sizeof err);
	ck_assert_str_eq(e->name, "lab status");
	e = cmd_find(2, a3, &n, err, sizeof err);
	ck_assert_str_eq(e->name, "lab restart");
	ck_assert_ptr_null(cmd_find(1, a4, &n, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "up, down, status, kill, restart, start"));
	ck_assert_ptr_null(cmd_find(1, a5, &n, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "unknown command 'nope'"));
	e = cmd_find(1, a6, &n, err, sizeof err);
	ck_assert_str_eq(e->name, "version");
}
END_TEST

START_TEST(test_cmd_ambiguous)
{
	char *a[] = { "lab", "s" };
	char *b[] = { "lab", "st" };
	const struct cmd_entry *e;
	char err[256];
	int n;

	/* "lab s" and "lab st" could be status or start; "lab stat" is status. */
	ck_assert_ptr_null(cmd_find(2, a, &n, err, sizeof err));
	ck_assert_str_eq(err, "ambiguous command 'lab s': could be lab status, lab start");
	ck_assert_ptr_null(cmd_find(2, b, &n, err, sizeof err));
	{
		char *c[] = { "lab", "stat" }, *d[] = { "lab", "star" };
		e = cmd_find(2, c, &n, err, sizeof err);
		ck_assert_str_eq(e->name, "lab status");
		e = cmd_find(2, d, &n, err, sizeof err);
		ck_assert_str_eq(e->name, "lab start");
	}
	{
		char *c[] = { "lab", "" };
		ck_assert_ptr_null(cmd_find(2, c, &n, err, sizeof err));
	}
	{
		/* "w" matches watch only; "lab" + "d" is down. */
		char *d[] = { "lab", "d" };
		e = cmd_find(2, d, &n, err, sizeof err);
		ck_assert_str_eq(e->name, "lab down");
	}
}
END_TEST

/* Run one command line (words split on spaces; "''" is an empty word) and keep stderr. */
static int
run_line(const char *line, char *errbuf, size_t errlen)
{
	char *copy = xstrdup(line), *words[16], *w, *save = NULL, *err = NULL;
	struct cmd_ctx ctx;
	size_t len = 0;
	FILE *fe = open_memstream(&err, &len);
	int n = 0, rc;

	for (w = strtok_r(copy, " ", &save); w != NULL && n < 16; w = strtok_r(NULL, " ", &save))
		words[n++] = strcmp(w, "''") == 0 ? (char *)"" : w;
	/* A real loop: a command that wrongly goes on to connect fails, not crashes. */
	cmd_ctx_init(&ctx, loop_new(), stdout, fe);
	rc = cmd_run(&ctx, n, words);
	loop_free(ctx.loop);
	fclose(fe);
	snprintf(errbuf, errlen, "%s", err);
	free(err);
	free(copy);
	return rc;
}

/* A mistyped role is a usage error before anything is asked (nothing listens there). */
START_TEST(test_cmd_role_typo)
{
	char err[512];

	unit_config_write("profiles:\n  a:\n    etcd: {endpoints: [http://127.63.0.250:1]}\n");
	ck_assert_int_eq(run_line("health --role querynodes", err, sizeof err), CMD_USAGE);
	ck_assert_str_eq(err, "milvusadm: unknown role 'querynodes' (e.g. querynode, "
	    "querycoord, mixcoord, proxy)\n");
	ck_assert_int_eq(run_line("topology --role rootcord", err, sizeof err), CMD_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "unknown role 'rootcord'"));
}
END_TEST

/* The same mistake, the same exit code: a name no theme can have is 2. */
START_TEST(test_cmd_theme_bad_name)
{
	char err[512];

	unit_config_write("");
	ck_assert_int_eq(run_line("theme use ''", err, sizeof err), CMD_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "theme name '' is not valid"));
	ck_assert_int_eq(run_line("theme use ../../etc/passwd", err, sizeof err), CMD_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "theme name '../../etc/passwd' is not valid"));
	ck_assert_int_eq(run_line("theme show .hidden", err, sizeof err), CMD_USAGE);
	/* A good name that is not there is still a failure to find it. */
	ck_assert_int_eq(run_line("theme use nosuchtheme", err, sizeof err), CMD_FAILED);
}
END_TEST

/* The lab verbs load no config: a broken file or a mistyped -p never blocks them. */
START_TEST(test_cmd_lab_without_config)
{
	char err[512];
	char *argv[] = { "lab", "down" };
	struct cmd_ctx ctx;

	unit_config_write("profiles: [\n");
	ck_assert_int_eq(run_line("lab down", err, sizeof err), 42);
	ck_assert_int_eq(run_line("lab kill x", err, sizeof err), 42);
	ck_assert_int_eq(run_line("lab restart x", err, sizeof err), 42);
	ck_assert_int_eq(run_line("lab start x", err, sizeof err), 42);
	ck_assert_int_eq(run_line("lab up", err, sizeof err), 42);
	ck_assert_int_eq(run_line("topology", err, sizeof err), CMD_FAILED);
	unit_config_write("profiles:\n  a: {}\n");
	cmd_ctx_init(&ctx, NULL, stdout, stderr);
	ctx.profile = "nosuch";
	ck_assert_int_eq(cmd_run(&ctx, 2, argv), 42);
}
END_TEST

static int
ask_yes(void *arg, const char *prompt, char *answer, size_t len)
{
	(void)arg;
	(void)prompt;
	snprintf(answer, len, "anything");
	return 0;
}

/*
 * Every entry of the table that changes something is refused under
 * --read-only and in a read-only profile, in each mode (one command, a
 * script, the TUI's asking context): the list is the table itself, not a
 * hand-picked one, so a new command cannot slip past.
 */
START_TEST(test_read_only_whole_table)
{
	const struct cmd_entry *e;
	char *words[12], *copy, *w, *save;
	struct cmd_ctx ctx;
	size_t n_mut = 0;
	int n, mode, ro, rc;

	unit_config_write("default_profile: a\nprofiles:\n  a:\n    etcd: {endpoints: "
	    "[http://127.63.0.250:1]}\n  ro:\n    read_only: true\n    etcd: {endpoints: "
	    "[http://127.63.0.250:1]}\n");
	for (e = cmd_table(); e->name != NULL; e++) {
		if (!(e->flags & (CMD_MUTATES | CMD_DESTRUCTIVE)))
			continue;
		n_mut++;
		for (mode = 0; mode < 3; mode++) {
			for (ro = 0; ro < 2; ro++) {
				/* The lab verbs take no profile: --read-only only. */
				if (ro == 1 && strncmp(e->name, "lab ", 4) == 0)
					continue;
				copy = xstrdup(e->name);
				n = 0;
				save = NULL;
				for (w = strtok_r(copy, " ", &save); w != NULL;
				    w = strtok_r(NULL, " ", &save))
					words[n++] = w;
				if (ro == 0)
					words[n++] = "--read-only";
				cmd_ctx_init(&ctx, NULL, stdout, stderr);
				if (ro == 1)
					ctx.profile = "ro";
				if (mode == 1) {
					ctx.script = "runbook.msh";
					ctx.script_line = 1;
				} else if (mode == 2) {
					ctx.ask = ask_yes;
				}
				rc = cmd_run(&ctx, n, words);
				free(copy);
				if (rc != CMD_REFUSED)
					ck_abort_msg("'%s' (mode %d, %s) gave %d, not 3", e->name,
					    mode, ro ? "read-only profile" : "--read-only", rc);
			}
		}
	}
	ck_assert_uint_ge(n_mut, 10);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("lab");

	tcase_add_test(tc, test_subnet);
	tcase_add_test(tc, test_plan_25);
	tcase_add_test(tc, test_plan_30);
	tcase_add_test(tc, test_plan_variants);
	tcase_add_test(tc, test_files_roundtrip);
	tcase_add_test(tc, test_fault_lab_restarts);
	tcase_add_test(tc, test_start_request);
	tcase_add_test(tc, test_status_catches);
	tcase_add_test(tc, test_cmd_find);
	tcase_add_test(tc, test_cmd_ambiguous);
	tcase_add_test(tc, test_cmd_role_typo);
	tcase_add_test(tc, test_cmd_theme_bad_name);
	tcase_add_test(tc, test_cmd_lab_without_config);
	tcase_add_test(tc, test_read_only_whole_table);
	suite_add_tcase(s, tc);
	return s;
}
