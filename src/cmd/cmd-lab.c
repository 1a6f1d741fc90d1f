/* SPDX-License-Identifier: MIT */
/* `milvusadm lab up|down|status`: a local practice cluster run by the lab
 * supervisor, checked through the same interfaces as a real one (the verbs on
 * one member are in cmd-lab-member.c). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/lab.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "cmd-lab.h"
#include "lab-proc.h"
#include "lab-ready.h"

#define LAB_DOWN_WAIT_MS	20000

enum {
	OPT_NAME = 256, OPT_SUBNET, OPT_MILVUS, OPT_STANDALONE, OPT_NO_STANDBY, OPT_ETCD,
	OPT_TTL, OPT_BACKOFF, OPT_TIMEOUT, OPT_SIGNAL, OPT_EXTRA_WORKERS, OPT_NO_BACKUP,
	OPT_BACKUP_VERSION, OPT_EXTRA_CHURN,
};

static const struct option lab_longopts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "subnet", required_argument, NULL, OPT_SUBNET },
	{ "milvus", required_argument, NULL, OPT_MILVUS },
	{ "standalone", no_argument, NULL, OPT_STANDALONE },
	{ "no-standby", no_argument, NULL, OPT_NO_STANDBY },
	{ "etcd", required_argument, NULL, OPT_ETCD },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "backoff", required_argument, NULL, OPT_BACKOFF },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "extra-workers", required_argument, NULL, OPT_EXTRA_WORKERS },
	{ "extra-churn", required_argument, NULL, OPT_EXTRA_CHURN },
	{ "no-backup", no_argument, NULL, OPT_NO_BACKUP },
	{ "backup-version", required_argument, NULL, OPT_BACKUP_VERSION },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* Which options each verb accepts. */
static bool
lab_opt_allowed(const char *verb, int opt)
{
	switch (opt) {
	case OPT_NAME:
		return true;
	case OPT_SUBNET: case OPT_MILVUS: case OPT_STANDALONE: case OPT_NO_STANDBY:
	case OPT_ETCD: case OPT_TTL: case OPT_BACKOFF: case OPT_EXTRA_WORKERS:
	case OPT_NO_BACKUP: case OPT_BACKUP_VERSION: case OPT_EXTRA_CHURN:
		return strcmp(verb, "lab up") == 0;
	case OPT_TIMEOUT:
		return strcmp(verb, "lab up") == 0 || strcmp(verb, "lab restart") == 0 ||
		    strcmp(verb, "lab start") == 0;
	case OPT_SIGNAL:
		return strcmp(verb, "lab kill") == 0;
	case 'o':
		return strcmp(verb, "lab status") == 0 || strcmp(verb, "lab up") == 0;
	}
	return false;
}

static int
lab_parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/*
 * The option getopt_long refused, as typed: optind does not move past a bad
 * letter inside a cluster ("-zq"), and moves past a refused option's value.
 */
static const char *
lab_bad_option(char **argv, int c, int longindex, char *buf, size_t len)
{
	int v = c == '?' ? optopt : c;
	size_t i;

	if (longindex >= 0) {
		snprintf(buf, len, "--%s", lab_longopts[longindex].name);
		return buf;
	}
	for (i = 0; lab_longopts[i].name != NULL; i++) {
		if (v >= 256 && lab_longopts[i].val == v) {
			snprintf(buf, len, "--%s", lab_longopts[i].name);
			return buf;
		}
	}
	if (v > 0 && v < 256) {
		snprintf(buf, len, "-%c", v);
		return buf;
	}
	return argv[optind - 1];
}

int
lab_parse(struct cmd_ctx *ctx, int argc, char **argv, struct lab_args *a, bool positional)
{
	const struct cmd_entry *e = cmd_entry_by_name(argv[0]);
	char opt[64], err[256];
	int c, longindex;

	memset(a, 0, sizeof *a);
	a->timeout_ms = 60000;
	a->signal = "KILL";
	a->up.subnet = "127.77.0.0/24";
	a->up.milvus = "2.5";
	a->up.n_etcd = 3;	/* a lone etcd member is a single point of failure */
	a->up.ttl = 0;		/* the version's lab default (lab_plan) */
	a->up.backoff_ms = 1000;
	a->up.backup = true;
	a->up.backup_version = "0.6";
	optind = 0;
	opterr = 0;
	for (;;) {
		longindex = -1;
		if ((c = getopt_long(argc, argv, "o:", lab_longopts, &longindex)) == -1)
			break;
		if (c == '?' || c == ':' || !lab_opt_allowed(argv[0], c))
			return cmd_error(ctx, CMD_USAGE, "%s: unknown or incomplete option "
			    "'%s' (see 'milvusadm help %s')", argv[0],
			    lab_bad_option(argv, c, longindex, opt, sizeof opt), argv[0]);
		switch (c) {
		case OPT_NAME:
			a->name = optarg;
			break;
		case OPT_SUBNET:
			a->up.subnet = optarg;
			a->subnet_set = true;
			break;
		case OPT_MILVUS:
			a->up.milvus = optarg;
			break;
		case OPT_STANDALONE:
			a->up.standalone = true;
			break;
		case OPT_NO_STANDBY:
			a->up.no_standby = true;
			break;
		case OPT_ETCD:
			a->etcd_set = true;
			if (lab_parse_int(optarg, &a->up.n_etcd) == -1 ||
			    (a->up.n_etcd != 1 && a->up.n_etcd != 3))
				return cmd_error(ctx, CMD_USAGE, "etcd member count '%s' must be "
				    "1 or 3", optarg);
			break;
		case OPT_TTL:
			if (lab_parse_int(optarg, &a->up.ttl) == -1 || a->up.ttl < 1)
				return cmd_error(ctx, CMD_USAGE, "ttl '%s' is not a number of "
				    "seconds", optarg);
			break;
		case OPT_BACKOFF:
			if (time_parse_duration(optarg, &a->up.backoff_ms) == -1 ||
			    a->up.backoff_ms < 10)
				return cmd_error(ctx, CMD_USAGE, "back-off '%s' is not a duration "
				    "of at least 10ms", optarg);
			break;
		case OPT_TIMEOUT:
			if (time_parse_duration(optarg, &a->timeout_ms) == -1 ||
			    a->timeout_ms <= 0)
				return cmd_error(ctx, CMD_USAGE, "timeout '%s' is not a duration "
				    "greater than 0", optarg);
			break;
		case OPT_SIGNAL:
			a->signal = optarg;
			break;
		case OPT_EXTRA_WORKERS:
			if (lab_parse_int(optarg, &a->up.extra_workers) == -1 ||
			    a->up.extra_workers < 0 || a->up.extra_workers > LAB_EXTRA_MAX)
				return cmd_error(ctx, CMD_USAGE, "extra workers '%s' is not a number "
				    "from 0 to %d", optarg, LAB_EXTRA_MAX);
			break;
		case OPT_EXTRA_CHURN:
			if (lab_parse_int(optarg, &a->up.extra_churn) == -1 ||
			    a->up.extra_churn < 0 || a->up.extra_churn > LAB_EXTRA_CHURN_MAX)
				return cmd_error(ctx, CMD_USAGE, "extra churn '%s' is not a number "
				    "from 0 to %d", optarg, LAB_EXTRA_CHURN_MAX);
			break;
		case OPT_NO_BACKUP:
			a->up.backup = false;
			break;
		case OPT_BACKUP_VERSION:
			if (strcmp(optarg, "0.5") != 0 && strcmp(optarg, "0.6") != 0)
				return cmd_error(ctx, CMD_USAGE, "backup version '%s' is not one of "
				    "0.5, 0.6", optarg);
			a->up.backup_version = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0 &&
			    strcmp(optarg, "tsv") != 0)
				return cmd_error(ctx, CMD_USAGE, "output '%s' is not one of json, "
				    "table, tsv", optarg);
			a->output = optarg;
			break;
		}
	}
	if (positional) {
		if (optind != argc - 1)
			return cmd_usage(ctx, e);
		a->member = argv[optind];
	} else if (optind != argc)
		return cmd_usage(ctx, e);
	/* A bad --name is a mistake in the command, whichever verb it is given to. */
	if (a->name != NULL && lab_check_name(a->name, err, sizeof err) == -1)
		return cmd_error(ctx, CMD_USAGE, "%s", err);
	/* lab up makes a lab, so it has nothing to find: "default" unless named. */
	if (a->name == NULL && strcmp(argv[0], "lab up") == 0)
		a->name = "default";
	if (a->name == NULL)
		return lab_find(ctx, a);
	return CMD_OK;
}

static void
lab_wait_timer(void *arg)
{
	*(int *)arg = 1;
}

void
lab_sleep(struct cmd_ctx *ctx, int64_t ms)
{
	int done = 0;

	loop_timer_add(ctx->loop, ms, lab_wait_timer, &done);
	loop_run_until(ctx->loop, &done, ms + 1000);
}

struct lab *
lab_open(struct cmd_ctx *ctx, const char *name, bool quiet)
{
	char err[512], *dir;
	struct lab *lab;

	if (lab_check_name(name, err, sizeof err) == -1) {
		cmd_error(ctx, CMD_USAGE, "%s", err);
		return NULL;
	}
	dir = lab_dir_path(name);
	lab = lab_read_plan(dir, err, sizeof err);
	free(dir);
	if (lab == NULL) {
		if (!quiet)
			cmd_error(ctx, CMD_FAILED, "lab '%s' does not exist (start it with "
			    "'milvusadm lab up%s%s')", name,
			    strcmp(name, "default") ? " --name " : "",
			    strcmp(name, "default") ? name : "");
		return NULL;
	}
	(void)lab_read_state(lab, err, sizeof err);
	return lab;
}

/* Start the supervisor and wait until it has written its pid file. */
static int
lab_spawn_supervisor(struct cmd_ctx *ctx, struct lab *lab)
{
	int64_t deadline;
	char err[256];

	if (lab_proc_spawn_supervisor(lab, err, sizeof err) == -1) {
		cmd_error(ctx, CMD_FAILED, "%s", err);
		return -1;
	}
	deadline = time_mono_ms() + 5000;
	while (time_mono_ms() < deadline) {
		if (lab_supervisor_pid(lab->dir) != 0)
			return 0;
		lab_sleep(ctx, 50);
	}
	cmd_error(ctx, CMD_FAILED, "the lab supervisor did not start (see '%s/supervisor.log')",
	    lab->dir);
	return -1;
}
static const char *
lab_member_address(const struct lab_member *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s", m->ip);
	return buf;
}

/* The lab's members as a "lab-status" document (doc/json.md). */
static void
lab_print_status(struct cmd_ctx *ctx, const struct lab *lab)
{
	static const struct out_col cols[] = {
		{ "name", "NAME", OCOL_STR, OFIT_KEEP },	/* typed back to kill/start */
		{ "role", "ROLE", OCOL_STR },
		{ "endpoint", "ADDRESS", OCOL_STR },
		{ "pid", "PID", OCOL_INT },
		{ "state", "STATE", OCOL_STR, OFIT_KEEP },
		{ "restarts", "RESTARTS", OCOL_INT },
	};
	struct out_doc *d = out_doc_new("lab-status");
	struct out_obj *root = out_doc_root(d), *r;
	struct out_tab *t;
	char addr[64];
	size_t i;

	/* The scalars are JSON-only: a terminal and a pipe get the table as before. */
	if (ctx->format == OUT_JSON) {
		out_str(root, "lab", lab->name);
		out_str(root, "dir", lab->dir);
		out_str(root, "milvus", lab->milvus);
		out_str(root, "subnet", lab->subnet);
		out_int(root, "supervisor_pid", (int64_t)lab->supervisor_pid);
	}
	t = out_table(root, "members", NULL, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];

		r = out_row(t);
		out_str(r, "name", m->name);
		out_str(r, "role", m->role);
		out_str(r, "address", m->ip);
		out_str(r, "endpoint", lab_member_address(m, addr, sizeof addr));
		if (m->pid > 0)
			out_int(r, "pid", (int64_t)m->pid);
		else
			out_null(r, "pid");
		out_str(r, "state", lab_state_name(m->state));
		out_int(r, "restarts", m->restarts);
		out_str(r, "hostname", m->hostname);
		out_str(r, "last_exit", m->last_exit);
	}
	cmd_emit(ctx, d);
}

/* The supervisor's view: has it seen every member answer on its own interface? */
static bool
lab_all_running(struct lab *lab, struct buf *why)
{
	char err[256];
	bool ok = true;
	size_t i;

	if (lab_read_state(lab, err, sizeof err) == -1) {
		buf_printf(why, "  %s\n", err);
		return false;
	}
	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];

		if (m->state == LAB_RUNNING)
			continue;
		buf_printf(why, "  %s: %s", m->name, lab_state_name(m->state));
		if (m->last_exit != NULL)
			buf_printf(why, " (last %s, %d restarts)", m->last_exit, m->restarts);
		buf_addc(why, '\n');
		ok = false;
	}
	return ok;
}

/* Wait until the lab answers as ready, or say what is missing. */
static int
lab_wait_ready(struct cmd_ctx *ctx, struct lab *lab, int64_t timeout_ms)
{
	int64_t deadline = time_mono_ms() + timeout_ms;
	struct buf why = BUF_INIT;
	char err[256];
	bool ready;

	for (;;) {
		buf_reset(&why);
		if (lab_supervisor_pid(lab->dir) == 0) {
			cmd_error(ctx, CMD_FAILED, "the supervisor of lab '%s' exited (see "
			    "'%s/supervisor.log')", lab->name, lab->dir);
			buf_release(&why);
			return CMD_FAILED;
		}
		/* Both run every time, so a timeout names everything that is missing. */
		ready = lab_ready_check(ctx->loop, lab, &why) == 1;
		if (lab_all_running(lab, &why) && ready)
			break;
		if (time_mono_ms() >= deadline) {
			char d[32];
			time_format_duration(timeout_ms, d, sizeof d);
			/* One located line, then what is missing, one member a line. */
			cmd_error(ctx, CMD_FAILED, "lab '%s' is not ready after %s (logs are "
			    "in '%s/logs'):", lab->name, d, lab->dir);
			fputs(why.data != NULL ? why.data : "", ctx->err);
			buf_release(&why);
			return CMD_FAILED;
		}
		lab_sleep(ctx, 250);
	}
	buf_release(&why);
	(void)lab_read_state(lab, err, sizeof err);
	return CMD_OK;
}

/* The sample collections, made through the lab's own REST v2 (lab-ready.c). */
static int
lab_up_samples(struct cmd_ctx *ctx, const struct lab *lab)
{
	struct buf why = BUF_INIT;

	if (lab_sample_data(ctx->loop, lab, &why) == 0) {
		buf_release(&why);
		return CMD_OK;
	}
	cmd_error(ctx, CMD_FAILED, "lab '%s' could not make its sample data:", lab->name);
	fputs(why.data != NULL ? why.data : "", ctx->err);
	buf_release(&why);
	return CMD_FAILED;
}

static int
lab_write_profile(struct cmd_ctx *ctx, const struct lab *lab)
{
	struct profile_write pw;
	char **endpoints = lab_etcd_endpoints(lab), err[512], *name, *uri = NULL;
	char *backup = NULL, *storage = NULL;
	size_t i;
	int rc;

	for (i = 0; i < lab->n_members; i++) {
		if (uri == NULL && (strcmp(lab->members[i].role, "proxy") == 0 ||
		    strcmp(lab->members[i].role, "standalone") == 0))
			uri = xasprintf("http://%s:%d", lab->members[i].ip, LAB_PROXY_PORT);
		if (backup == NULL && strcmp(lab->members[i].role, LAB_BACKUP_ROLE) == 0)
			backup = xasprintf("http://%s:%d", lab->members[i].ip, LAB_BACKUP_PORT);
	}
	/* The lab's server keeps its backups in a directory, as milvus-backup's
	 * local storage provider does: verification reads their metadata there. */
	if (backup != NULL)
		storage = xasprintf("%s/" LAB_BUCKET_DIR "/backup", lab->dir);
	name = strcmp(lab->name, "default") == 0 ? xstrdup("lab") :
	    xasprintf("lab-%s", lab->name);
	memset(&pw, 0, sizeof pw);
	pw.name = name;
	pw.etcd_endpoints = (const char *const *)endpoints;
	pw.etcd_root_path = lab->root;
	pw.milvus_uri = uri;
	pw.metrics_port = LAB_METRICS_PORT;
	pw.backup_url = backup;
	pw.backup_storage_path = storage;
	rc = config_write_profile(NULL, &pw, err, sizeof err);
	if (rc == -1)
		cmd_error(ctx, CMD_FAILED, "cannot write profile '%s': %s", name, err);
	free(name);
	free(uri);
	free(backup);
	free(storage);
	lab_strv_free(endpoints);
	return rc;
}

static int
lab_count_etcd(const struct lab *lab)
{
	size_t i;
	int n = 0;

	for (i = 0; i < lab->n_members; i++)
		n += strcmp(lab->members[i].role, "etcd") == 0;
	return n;
}

/*
 * A stopped lab keeps its etcd data, which records the members' addresses. Bring
 * it back on the same subnet and member count unless told otherwise, and refuse
 * a change that the stored data could not follow.
 */
static int
lab_reuse_etcd(struct cmd_ctx *ctx, const struct lab *old, struct lab_args *a)
{
	char *data = lab_path(old, "etcd-1.etcd");
	struct stat st;
	int had_data = stat(data, &st) == 0, n = lab_count_etcd(old);

	free(data);
	if (!had_data)
		return 0;
	if (!a->subnet_set) {
		snprintf(a->subnet_buf, sizeof a->subnet_buf, "%s", old->subnet);
		a->up.subnet = a->subnet_buf;
	}
	if (!a->etcd_set)
		a->up.n_etcd = n;
	if (strcmp(a->up.subnet, old->subnet) == 0 && a->up.n_etcd == n)
		return 0;
	cmd_error(ctx, CMD_USAGE, "lab '%s' has etcd data for %d member%s on %s; it cannot "
	    "move to %d on %s (remove '%s' or use another --name)", old->name, n,
	    n == 1 ? "" : "s", old->subnet, a->up.n_etcd, a->up.subnet, old->dir);
	return -1;
}

/* Two running labs on one subnet would fight over the same addresses. */
static int
lab_subnet_free(struct cmd_ctx *ctx, const struct lab *lab)
{
	char **run;
	struct lab *other;
	size_t n, i;
	int rc = 0;

	run = lab_find_names(true, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		if (strcmp(run[i], lab->name) == 0)
			continue;
		other = lab_open(ctx, run[i], true);
		if (other != NULL && strcmp(other->subnet, lab->subnet) == 0) {
			cmd_error(ctx, CMD_FAILED, "subnet %s is used by running lab '%s'; "
			    "pick another --subnet", lab->subnet, other->name);
			rc = -1;
		}
		lab_free(other);
	}
	lab_strv_free(run);
	return rc;
}

int
cmd_lab_up(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct lab_args a;
	struct lab *lab;
	char err[512], *labd = NULL, *etcd = NULL, *logs, *state;
	int rc;

	if ((rc = lab_parse(ctx, argc, argv, &a, false)) != CMD_OK)
		return rc;
	lab = lab_open(ctx, a.name, true);
	if (lab != NULL && lab_supervisor_pid(lab->dir) != 0) {
		fprintf(ctx->err, "lab '%s' is already running\n", lab->name);
		rc = lab_wait_ready(ctx, lab, a.timeout_ms);
		lab_print_status(ctx, lab);
		lab_free(lab);
		return rc;
	}
	if (lab != NULL && lab_reuse_etcd(ctx, lab, &a) == -1) {
		lab_free(lab);
		return CMD_USAGE;
	}
	lab_free(lab);

	a.up.name = a.name;
	lab = lab_plan(&a.up, err, sizeof err);
	if (lab == NULL)
		return cmd_error(ctx, CMD_USAGE, "%s", err);
	if (lab_subnet_free(ctx, lab) == -1) {
		lab_free(lab);
		return CMD_FAILED;
	}
	labd = lab_proc_find_labd();
	etcd = lab_proc_find_etcd();
	if (labd == NULL || etcd == NULL) {
		cmd_error(ctx, CMD_FAILED, "%s", labd == NULL ?
		    "milvusadm-labd not found (set MILVUSADM_LABD)" :
		    "etcd not found (install etcd-server or set MILVUSADM_ETCD)");
		free(labd);
		free(etcd);
		lab_free(lab);
		return CMD_FAILED;
	}
	free(lab->labd);
	free(lab->etcd);
	lab->labd = labd;
	lab->etcd = etcd;
	logs = lab_path(lab, "logs");
	rc = fs_mkdirs(logs, err, sizeof err);
	free(logs);
	if (rc == -1 || lab_write_plan(lab, err, sizeof err) == -1) {
		cmd_error(ctx, CMD_FAILED, "%s", err);
		lab_free(lab);
		return CMD_FAILED;
	}
	state = lab_path(lab, "state.json");
	unlink(state);
	free(state);
	fprintf(ctx->err, "starting lab '%s' (milvus %s, %zu members on %s)\n", lab->name,
	    lab->milvus, lab->n_members, lab->subnet);
	if (lab_spawn_supervisor(ctx, lab) == -1) {
		lab_free(lab);
		return CMD_FAILED;
	}
	rc = lab_wait_ready(ctx, lab, a.timeout_ms);
	if (rc == CMD_OK && lab_write_profile(ctx, lab) == -1)
		rc = CMD_FAILED;
	if (rc == CMD_OK)
		rc = lab_up_samples(ctx, lab);
	if (rc == CMD_OK)
		lab_print_status(ctx, lab);
	lab_free(lab);
	return rc;
}

int
cmd_lab_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct lab_args a;
	struct lab *lab;
	int rc;

	if ((rc = lab_parse(ctx, argc, argv, &a, false)) != CMD_OK)
		return rc;
	lab = lab_open(ctx, a.name, false);
	if (lab == NULL)
		return CMD_FAILED;
	if (lab_supervisor_pid(lab->dir) == 0) {
		cmd_error(ctx, CMD_FAILED, "lab '%s' is not running", lab->name);
		lab_free(lab);
		return CMD_FAILED;
	}
	lab_print_status(ctx, lab);
	lab_free(lab);
	return CMD_OK;
}

int
cmd_lab_down(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct lab_args a;
	struct lab *lab;
	pid_t sup, left[512];
	int64_t deadline;
	char err[256], *pidfile;
	size_t n, i;
	int rc;

	if ((rc = lab_parse(ctx, argc, argv, &a, false)) != CMD_OK)
		return rc;
	lab = lab_open(ctx, a.name, true);
	if (lab == NULL)
		return cmd_error(ctx, CMD_FAILED, "lab '%s' does not exist: nothing to stop",
		    a.name);
	sup = lab_supervisor_pid(lab->dir);
	/* "Stopped" must mean something was: a script that brings down the
	 * wrong lab (or none) hears about it. What a dead supervisor left
	 * behind still counts, and is cleared below. */
	if (sup == 0 && lab_proc_leftovers(lab, left, sizeof left / sizeof left[0]) == 0) {
		lab_free(lab);
		return cmd_error(ctx, CMD_FAILED, "lab '%s' is not running: nothing to stop",
		    a.name);
	}
	if (sup != 0) {
		fprintf(ctx->err, "stopping lab '%s'\n", lab->name);
		kill(sup, SIGTERM);
		deadline = time_mono_ms() + LAB_DOWN_WAIT_MS;
		while (lab_pid_is_ours(sup, lab->dir) && time_mono_ms() < deadline)
			lab_sleep(ctx, 100);
		if (lab_pid_is_ours(sup, lab->dir)) {
			cmd_error(ctx, CMD_FAILED, "supervisor pid %ld did not stop; killing it",
			    (long)sup);
			kill(sup, SIGKILL);
		}
	}
	(void)lab_read_state(lab, err, sizeof err);
	/* Whatever the supervisor could not stop (or a dead supervisor left behind). */
	for (int round = 0; round < 20; round++) {
		n = lab_proc_leftovers(lab, left, sizeof left / sizeof left[0]);
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
			kill(left[i], SIGKILL);
		lab_sleep(ctx, 100);
	}
	n = lab_proc_leftovers(lab, left, sizeof left / sizeof left[0]);
	for (i = 0; i < lab->n_members; i++) {
		lab->members[i].pid = 0;
		lab->members[i].state = LAB_STOPPED;
	}
	lab->supervisor_pid = 0;
	(void)lab_write_state(lab, err, sizeof err);
	pidfile = lab_path(lab, "supervisor.pid");
	if (n == 0)
		unlink(pidfile);
	free(pidfile);
	if (n > 0) {
		cmd_error(ctx, CMD_FAILED, "lab '%s' left %zu process(es) running, e.g. pid %ld",
		    lab->name, n, (long)left[0]);
		lab_free(lab);
		return CMD_FAILED;
	}
	fprintf(ctx->err, "lab '%s' is down\n", lab->name);
	lab_free(lab);
	return CMD_OK;
}
