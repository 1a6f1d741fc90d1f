/* SPDX-License-Identifier: MIT */
/* `milvusadm-labd component --role backup`: the lab's milvus-backup server on
 * IP:8080, its bucket in the lab's directory, its tasks in its memory only. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "milvusadm/etcd.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/http.h"
#include "milvusadm/lab.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "labd-backup.h"
#include "labd-bucket.h"

#define LBK_FAULTS_MAX	4096

bool
labd_backup_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && strcmp(argv[i + 1], "backup") == 0)
			return true;
	}
	return false;
}

void
lbk_faults_now(struct lbk_server *srv, struct lbk_faults *f)
{
	char err[128], *text = NULL;

	/* Read at each use, so a test can flip a switch while the server runs. */
	if (srv->faults_path != NULL)
		text = lbk_read(srv->faults_path, LBK_FAULTS_MAX, NULL, err, sizeof err);
	lbk_faults_parse(text != NULL ? text : "", f);
	free(text);
}

int64_t
lbk_rate(struct lbk_server *srv)
{
	struct lbk_faults f;

	lbk_faults_now(srv, &f);
	return f.copy_rate > 0 ? f.copy_rate : srv->copy_rate;
}

char *
lbk_backup_dir(struct lbk_server *srv, const char *name)
{
	/* Names come from URLs: none of them may leave the backup root. */
	if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strlen(name) > 1024)
		return NULL;
	return xasprintf("%s/%s", srv->backup_root, name);
}

cJSON *
lbk_meta_read(struct lbk_server *srv, const char *name, bool *exists, int64_t *meta_size)
{
	char *dir = lbk_backup_dir(srv, name), *path, *text, err[256];
	cJSON *meta = NULL;
	size_t len;

	*exists = false;
	*meta_size = 0;
	if (dir == NULL)
		return NULL;
	/* backup_meta.json is the "backup exists" test (meta.Exist). */
	path = xasprintf("%s/meta/backup_meta.json", dir);
	*exists = lbk_exists(path);
	free(path);
	if (*exists) {
		path = xasprintf("%s/meta/full_meta.json", dir);
		text = lbk_read(path, LBK_META_MAX, &len, err, sizeof err);
		if (text != NULL)
			meta = lbk_json_parse(text, len);
		free(text);
		free(path);
		path = xasprintf("%s/meta", dir);
		*meta_size = lbk_du(path);
		free(path);
	}
	free(dir);
	return meta;
}

static int
lbk_usage(const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "milvusadm-labd: %s\n", msg);
	fprintf(stderr, "usage: milvusadm-labd component --role backup --ip IP --etcd URL[,URL...] "
	    "--bucket DIR\n"
	    "           --proxy URL[,URL...] [--backup-version 0.5|0.6] [--copy-rate BYTES]\n"
	    "           [--faults FILE] [--root by-dev] [--milvus VERSION] [--log FILE]\n"
	    "           [--event-log FILE] [--member NAME]\n");
	return 2;
}

static void
lbk_on_signal(int signo, void *arg)
{
	struct lbk_server *srv = arg;

	/* Tasks live only in memory: stopping loses them, as it does for
	 * milvus-backup. Nothing is flushed. */
	log_info("signal %d: stopping; %s", signo, srv->tasks != NULL || srv->restores != NULL ?
	    "running and finished tasks are lost" : "no tasks");
	labd_event(&srv->d, "stopping", "signal=%d", signo);
	srv->d.done = 1;
	loop_break(srv->d.loop);
}

static char **
split_list(const char *s)
{
	char *copy = xstrdup(s), *tok, *save, **v = xcalloc(1, sizeof *v);
	size_t n = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && n < 64;
	    tok = strtok_r(NULL, ",", &save)) {
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrdup(tok);
		v[n] = NULL;
	}
	free(copy);
	return v;
}

static void
lbk_release(struct lbk_server *srv, char **eps)
{
	/* The HTTP server first: suspended requests are let go while the tasks
	 * they point at still exist. */
	labd_http_stop(srv->http);
	srv->http = NULL;
	/* etcd and HTTP calls in flight are cancelled before their tasks go. */
	if (srv->d.etcd != NULL)
		etcd_free(srv->d.etcd);
	lrs_tasks_free(srv);
	lbk_tasks_free(srv);
	if (srv->d.loop != NULL)
		loop_free(srv->d.loop);
	lab_strv_free(srv->proxies);
	lab_strv_free(eps);
	free(srv->bucket);
	free(srv->milvus_root);
	free(srv->backup_root);
}

int
labd_backup_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "ip", required_argument, NULL, 'i' },
		{ "etcd", required_argument, NULL, 'e' },
		{ "root", required_argument, NULL, 'R' },
		{ "milvus", required_argument, NULL, 'm' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "log", required_argument, NULL, 'l' },
		{ "event-log", required_argument, NULL, 'E' },
		{ "member", required_argument, NULL, 'M' },
		{ "backup-version", required_argument, NULL, 'V' },
		{ "bucket", required_argument, NULL, 'b' },
		{ "proxy", required_argument, NULL, 'p' },
		{ "copy-rate", required_argument, NULL, 'c' },
		{ "faults", required_argument, NULL, 'f' },
		/* What the supervisor gives every component, meaningless here. */
		{ "ttl", required_argument, NULL, 'x' },
		{ "active-standby", required_argument, NULL, 'x' },
		{ "drain-ms", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	static struct lbk_server srv;
	const char *ip = NULL, *etcd_arg = NULL, *root = "by-dev", *milvus = "2.5";
	const char *logfile = NULL, *member = "backup", *version = "0.6", *bucket = NULL;
	const char *proxy = NULL;
	char **eps = NULL, err[256], *end;
	struct etcd_opts eo;
	int ch, code = 0;

	memset(&srv, 0, sizeof srv);
	srv.copy_rate = LBK_DEFAULT_RATE;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': case 'H': case 'x': break;
		case 'i': ip = optarg; break;
		case 'e': etcd_arg = optarg; break;
		case 'R': root = optarg; break;
		case 'm': milvus = optarg; break;
		case 'l': logfile = optarg; break;
		case 'E': srv.d.event_log = optarg; break;
		case 'M': member = optarg; break;
		case 'V': version = optarg; break;
		case 'b': bucket = optarg; break;
		case 'p': proxy = optarg; break;
		case 'f': srv.faults_path = optarg; break;
		case 'c':
			errno = 0;
			srv.copy_rate = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || srv.copy_rate < 1)
				return lbk_usage("--copy-rate is a number of bytes per second");
			break;
		default:
			return lbk_usage(NULL);
		}
	}
	if (ip == NULL || etcd_arg == NULL || bucket == NULL || proxy == NULL)
		return lbk_usage("--ip, --etcd, --bucket and --proxy are required");
	if (strcmp(version, "0.5") != 0 && strcmp(version, "0.6") != 0)
		return lbk_usage("--backup-version is 0.5 or 0.6");
	if ((srv.d.v = labd_version_find(milvus)) == NULL)
		return lbk_usage("unknown Milvus version");
	if (strlen(ip) >= sizeof srv.d.ip || strlen(root) >= sizeof srv.d.root ||
	    strlen(member) >= sizeof srv.d.member || strpbrk(member, " \t\n") != NULL)
		return lbk_usage("--ip, --root or --member is too long or not one word");
	srv.version = version[2] - '0';
	snprintf(srv.d.ip, sizeof srv.d.ip, "%s", ip);
	snprintf(srv.d.root, sizeof srv.d.root, "%s", root);
	snprintf(srv.d.member, sizeof srv.d.member, "%s", member);
	srv.bucket = xstrdup(bucket);
	srv.milvus_root = xasprintf("%s/%s", bucket, LBK_MILVUS_ROOT);
	srv.backup_root = xasprintf("%s/%s", bucket, LBK_BACKUP_ROOT);
	srv.proxies = split_list(proxy);

	log_set_level(LOG_INFO);
	if (logfile != NULL && log_open(logfile) != 0) {
		fprintf(stderr, "milvusadm-labd: cannot open log '%s'\n", logfile);
		return 1;
	}
	log_set_ident("labd backup");
	signal(SIGPIPE, SIG_IGN);
	http_global_init();
	if (fs_mkdirs(srv.backup_root, err, sizeof err) != 0 ||
	    fs_mkdirs(srv.milvus_root, err, sizeof err) != 0) {
		log_error("%s", err);
		code = 1;
		goto out;
	}
	srv.backup_bytes = lbk_du(srv.backup_root);
	srv.d.loop = loop_new();
	eps = split_list(etcd_arg);
	memset(&eo, 0, sizeof eo);
	eo.endpoints = (const char *const *)eps;
	eo.timeout_ms = 3000;
	if ((srv.d.etcd = etcd_new(srv.d.loop, &eo, err, sizeof err)) == NULL ||
	    (srv.http = labd_http_start_app(&srv.d, LBK_PORT, lbk_serve, &srv, err,
	    sizeof err)) == NULL) {
		log_error("%s", err);
		fprintf(stderr, "milvusadm-labd: %s\n", err);
		code = 1;
		goto out;
	}
	loop_signal(srv.d.loop, SIGTERM, lbk_on_signal, &srv);
	loop_signal(srv.d.loop, SIGINT, lbk_on_signal, &srv);
	log_info("milvus-backup %s server on %s:%d, bucket '%s', milvus %s", version, ip, LBK_PORT,
	    bucket, srv.d.v->semver);
	labd_event(&srv.d, "serving", "version=%s port=%d", version, LBK_PORT);
	loop_run_until(srv.d.loop, &srv.d.done, -1);
	loop_signal(srv.d.loop, SIGTERM, NULL, NULL);
	loop_signal(srv.d.loop, SIGINT, NULL, NULL);
out:
	labd_event(&srv.d, "exit", "status=%d", code);
	lbk_release(&srv, eps);
	http_global_cleanup();
	return code;
}
