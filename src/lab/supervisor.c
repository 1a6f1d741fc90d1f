/* SPDX-License-Identifier: MIT */
/* The lab supervisor: runs the lab's etcd members and labd components, restarts
 * what dies with back-off (like a kubelet), starts one at once when `lab start`
 * asks (SIGUSR1), and stops everything on SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/lab.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "supervisor.h"

#define SUP_PROBE_MS	250

struct sup;

/* Supervisor-side bookkeeping for one member (the member itself holds what is saved). */
struct sup_kid {
	struct sup *sup;
	struct lab_member *m;
	bool etcd;
	int64_t backoff_ms;		/* delay before the next restart */
	bool keep_hostname;		/* the next spawn keeps m->hostname */
	int64_t started_mono;
	uint64_t restart_timer;
	uint64_t probe_timer;
	struct http_req *probe;
};

struct sup {
	struct loop *loop;
	struct lab *lab;
	struct sup_kid *kids;		/* parallel to lab->members */
	size_t n_kids;
	char *etcd_urls;		/* "http://a:2379,http://b:2379" */
	char *initial_cluster;		/* "etcd-1=http://a:2380,..." */
	char *events;			/* LABDIR/events.log */
	bool components_started;
	int stopping;			/* 0 no; 1 components; 2 etcd; 3 done */
	uint64_t kill_timer;
	pid_t self;
};

static void sup_spawn(struct sup_kid *k);
static void sup_probe_schedule(struct sup_kid *k);
static void sup_restart_timer(void *arg);

static void
sup_save(struct sup *s)
{
	char err[256];

	if (lab_write_state(s->lab, err, sizeof err) == -1)
		log_error("%s", err);
}

static void
sup_hostname(struct sup_kid *k)
{
	/* The alphabet Kubernetes uses for pod name suffixes. */
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	char suffix[6];
	size_t i;

	free(k->m->hostname);
	if (k->etcd) {
		k->m->hostname = xstrdup(k->m->name);
		return;
	}
	for (i = 0; i < 5; i++)
		suffix[i] = alphabet[(size_t)random() % (sizeof alphabet - 1)];
	suffix[5] = '\0';
	k->m->hostname = xasprintf("%s-%s", k->m->name, suffix);
}

static void
sup_argv_etcd(struct sup *s, struct sup_kid *k, char ***argvp)
{
	struct lab_member *m = k->m;
	char **a = xcalloc(24, sizeof *a);
	int n = 0;

	a[n++] = xstrdup(s->lab->etcd);
	a[n++] = xstrdup("--name");
	a[n++] = xstrdup(m->name);
	a[n++] = xstrdup("--data-dir");
	a[n++] = xasprintf("%s/%s.etcd", s->lab->dir, m->name);
	a[n++] = xstrdup("--listen-client-urls");
	a[n++] = xasprintf("http://%s:%d", m->ip, LAB_ETCD_CLIENT_PORT);
	a[n++] = xstrdup("--advertise-client-urls");
	a[n++] = xasprintf("http://%s:%d", m->ip, LAB_ETCD_CLIENT_PORT);
	a[n++] = xstrdup("--listen-peer-urls");
	a[n++] = xasprintf("http://%s:%d", m->ip, LAB_ETCD_PEER_PORT);
	a[n++] = xstrdup("--initial-advertise-peer-urls");
	a[n++] = xasprintf("http://%s:%d", m->ip, LAB_ETCD_PEER_PORT);
	a[n++] = xstrdup("--initial-cluster");
	a[n++] = xstrdup(s->initial_cluster);
	a[n++] = xstrdup("--initial-cluster-token");
	a[n++] = xasprintf("milvusadm-lab-%s", s->lab->name);
	a[n++] = xstrdup("--initial-cluster-state");
	a[n++] = xstrdup("new");
	a[n] = NULL;
	*argvp = a;
}

/* The lab's proxies as the backup server's Milvus endpoint (milvus.address);
 * several, where a real deployment has one load-balanced service. */
static char *
sup_proxy_urls(struct sup *s)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < s->lab->n_members; i++) {
		const struct lab_member *m = &s->lab->members[i];

		if (strcmp(m->role, "proxy") == 0 || strcmp(m->role, "standalone") == 0)
			buf_printf(&b, "%shttp://%s:%d", b.len ? "," : "", m->ip, LAB_PROXY_PORT);
	}
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

static void
sup_argv_backup(struct sup *s, struct sup_kid *k, char **a, int n)
{
	a[n++] = xstrdup("--backup-version");
	a[n++] = xstrdup(s->lab->backup_version != NULL ? s->lab->backup_version : "0.6");
	a[n++] = xstrdup("--bucket");
	a[n++] = xasprintf("%s/" LAB_BUCKET_DIR, s->lab->dir);
	a[n++] = xstrdup("--proxy");
	a[n++] = sup_proxy_urls(s);
	a[n++] = xstrdup("--faults");
	a[n++] = xasprintf("%s/%s" LAB_FAULTS_SUFFIX, s->lab->dir, k->m->name);
	a[n] = NULL;
}

static void
sup_argv_component(struct sup *s, struct sup_kid *k, char ***argvp)
{
	struct lab_member *m = k->m;
	char **a = xcalloc(40, sizeof *a);
	int n = 0;

	a[n++] = xstrdup(s->lab->labd);
	a[n++] = xstrdup("component");
	a[n++] = xstrdup("--role");
	a[n++] = xstrdup(m->role);
	a[n++] = xstrdup("--ip");
	a[n++] = xstrdup(m->ip);
	a[n++] = xstrdup("--etcd");
	a[n++] = xstrdup(s->etcd_urls);
	a[n++] = xstrdup("--root");
	a[n++] = xstrdup(s->lab->root);
	a[n++] = xstrdup("--milvus");
	a[n++] = xstrdup(s->lab->milvus);
	a[n++] = xstrdup("--ttl");
	a[n++] = xasprintf("%d", s->lab->ttl);
	a[n++] = xstrdup("--active-standby");
	a[n++] = xstrdup(m->active_standby ? "on" : "off");
	a[n++] = xstrdup("--hostname");
	a[n++] = xstrdup(m->hostname);
	a[n++] = xstrdup("--log");
	a[n++] = xasprintf("%s/logs/%s.log", s->lab->dir, m->name);
	if (strcmp(m->role, LAB_EXTRA_ROLE) == 0) {
		a[n++] = xstrdup("--count");
		a[n++] = xasprintf("%d", s->lab->extra_workers);
		if (s->lab->extra_churn > 0) {
			a[n++] = xstrdup("--churn");
			a[n++] = xasprintf("%d", s->lab->extra_churn);
		}
	} else {
		a[n++] = xstrdup("--event-log");
		a[n++] = xstrdup(s->events);
		a[n++] = xstrdup("--member");
		a[n++] = xstrdup(m->name);
	}
	/* adminAuthEnabled while LABDIR/admin-auth holds "user:password". */
	if (strcmp(m->role, LAB_BACKUP_ROLE) != 0 && strcmp(m->role, LAB_EXTRA_ROLE) != 0) {
		a[n++] = xstrdup("--admin-auth-file");
		a[n++] = xasprintf("%s/" LAB_ADMIN_AUTH_FILE, s->lab->dir);
	}
	/* Proxies keep the rows they are given in Milvus's storage ("files"). */
	if (strcmp(m->role, "proxy") == 0 || strcmp(m->role, "standalone") == 0) {
		a[n++] = xstrdup("--storage");
		a[n++] = xasprintf("%s/" LAB_BUCKET_DIR "/files", s->lab->dir);
	}
	a[n] = NULL;
	if (strcmp(m->role, LAB_BACKUP_ROLE) == 0)
		sup_argv_backup(s, k, a, n);
	*argvp = a;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
sup_child_exec(struct sup *s, char **argv, const char *logpath)
{
	sigset_t none;
	int fd;

	int signo;

	/*
	 * Signals are blocked across fork: the loop's handlers would write into the
	 * supervisor's self-pipe, so a SIGTERM meant for this child before exec
	 * would stop the whole lab. Reset them, then unblock.
	 */
	for (signo = 1; signo < NSIG; signo++) {
		if (signo != SIGKILL && signo != SIGSTOP)
			signal(signo, SIG_DFL);
	}
	/* A lab must not outlive its supervisor, even one that was SIGKILLed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != s->self)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	fd = open("/dev/null", O_RDONLY);
	if (fd != -1) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd != -1) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	closefrom(3);
	if (strchr(argv[0], '/') != NULL)
		execv(argv[0], argv);
	else
		execvp(argv[0], argv);
	_exit(127);
}

static void
sup_spawn(struct sup_kid *k)
{
	struct sup *s = k->sup;
	struct lab_member *m = k->m;
	char **argv, *logpath;
	sigset_t all, saved;
	pid_t pid;
	size_t i;

	k->restart_timer = 0;
	if (!k->keep_hostname || k->m->hostname == NULL)
		sup_hostname(k);
	k->keep_hostname = false;
	if (k->etcd)
		sup_argv_etcd(s, k, &argv);
	else
		sup_argv_component(s, k, &argv);
	logpath = xasprintf("%s/logs/%s.log", s->lab->dir, m->name);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &saved);
	pid = fork();
	if (pid == 0)
		sup_child_exec(s, argv, logpath);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	free(logpath);
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	if (pid == -1) {
		log_error("cannot start '%s': %s", m->name, strerror(errno));
		m->pid = 0;
		m->state = LAB_BACKOFF;
		k->restart_timer = loop_timer_add(s->loop, k->backoff_ms,
		    sup_restart_timer, k);
		sup_save(s);
		return;
	}
	m->pid = pid;
	m->state = LAB_STARTING;
	m->started_ms = time_wall_ms();
	k->started_mono = time_mono_ms();
	log_info("started '%s' pid %ld host '%s'", m->name, (long)pid, m->hostname);
	lab_event_append(s->events, m->name, "started", "pid=%ld hostname=%s", (long)pid,
	    m->hostname);
	sup_save(s);
	sup_probe_schedule(k);
}

static void
sup_restart_timer(void *arg)
{
	struct sup_kid *k = arg;

	k->m->restarts++;
	sup_spawn(k);
}

static void
sup_start_components(struct sup *s)
{
	size_t i;

	s->components_started = true;
	log_info("etcd answers; starting components");
	/* A component `lab start` started early is not started twice. */
	for (i = 0; i < s->n_kids; i++) {
		if (!s->kids[i].etcd && s->kids[i].m->state == LAB_STOPPED &&
		    s->kids[i].m->pid <= 0)
			sup_spawn(&s->kids[i]);
	}
}

static bool
sup_etcd_running(struct sup *s)
{
	size_t i;

	for (i = 0; i < s->n_kids; i++) {
		if (s->kids[i].etcd && s->kids[i].m->state != LAB_RUNNING)
			return false;
	}
	return true;
}

/*
 * A member is "running" once it answers on its real interface: etcd on
 * /v3/maintenance/status, a component with any HTTP answer on its 9091 /healthz
 * (a standby coordinator answers 200 too). Until then it stays "starting".
 */
static void
sup_probe_done(const struct http_resp *resp, void *arg)
{
	struct sup_kid *k = arg;
	struct sup *s = k->sup;

	k->probe = NULL;
	if (resp->err == HTTP_OK && resp->status > 0 && k->m->pid > 0 &&
	    (!k->etcd || resp->status == 200)) {
		k->m->state = LAB_RUNNING;
		log_info("'%s' is running", k->m->name);
		sup_save(s);
		if (k->etcd && !s->components_started && s->stopping == 0 &&
		    sup_etcd_running(s))
			sup_start_components(s);
		return;
	}
	sup_probe_schedule(k);
}

static void
sup_probe_timer(void *arg)
{
	struct sup_kid *k = arg;
	struct http_opts o;
	char url[128];

	k->probe_timer = 0;
	if (k->m->pid <= 0 || k->m->state != LAB_STARTING)
		return;
	if (strcmp(k->m->role, LAB_EXTRA_ROLE) == 0) {
		/* Its sessions answer nothing on purpose (labd-extra.c): alive is
		 * running, and readiness never waits for them. */
		k->m->state = LAB_RUNNING;
		log_info("'%s' is running", k->m->name);
		sup_save(k->sup);
		return;
	}
	memset(&o, 0, sizeof o);
	if (k->etcd) {
		snprintf(url, sizeof url, "http://%s:%d/v3/maintenance/status", k->m->ip,
		    LAB_ETCD_CLIENT_PORT);
		o.method = "POST";
		o.body = "{}";
		o.content_type = "application/json";
	} else if (strcmp(k->m->role, LAB_BACKUP_ROLE) == 0)
		/* milvus-backup has no 9091: its greeting is its liveness. */
		snprintf(url, sizeof url, "http://%s:%d/api/v1/hello", k->m->ip, LAB_BACKUP_PORT);
	else
		snprintf(url, sizeof url, "http://%s:%d/healthz", k->m->ip, LAB_METRICS_PORT);
	o.url = url;
	o.timeout_ms = 1000;
	o.connect_timeout_ms = 500;
	o.max_response = 64 * 1024;
	k->probe = http_start(k->sup->loop, &o, sup_probe_done, k);
	if (k->probe == NULL)
		sup_probe_schedule(k);
}

static void
sup_probe_schedule(struct sup_kid *k)
{
	if (k->probe_timer == 0 && k->probe == NULL)
		k->probe_timer = loop_timer_add(k->sup->loop, SUP_PROBE_MS, sup_probe_timer, k);
}

static void
sup_probe_cancel(struct sup_kid *k)
{
	if (k->probe != NULL)
		http_cancel(k->probe);
	k->probe = NULL;
	if (k->probe_timer != 0)
		loop_timer_cancel(k->sup->loop, k->probe_timer);
	k->probe_timer = 0;
}

static size_t
sup_count_alive(struct sup *s, bool etcd)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_kids; i++) {
		if (s->kids[i].etcd == etcd && s->kids[i].m->pid > 0)
			n++;
	}
	return n;
}

static void
sup_signal_all(struct sup *s, bool etcd, int signo)
{
	size_t i;

	for (i = 0; i < s->n_kids; i++) {
		if (s->kids[i].etcd == etcd && s->kids[i].m->pid > 0) {
			lab_event_append(s->events, s->kids[i].m->name, "killed",
			    "signal=%d by=supervisor pid=%ld", signo, (long)s->kids[i].m->pid);
			kill(s->kids[i].m->pid, signo);
		}
	}
}

static void sup_stop_step(struct sup *s);

static void
sup_kill_timer(void *arg)
{
	struct sup *s = arg;

	s->kill_timer = 0;
	log_warn("members still running after %d ms; sending SIGKILL", LAB_STOP_TIMEOUT_MS);
	sup_signal_all(s, s->stopping == 2, SIGKILL);
}

/* Advance the shutdown: components first (their graceful stop revokes leases in
 * etcd, so etcd must still be up), then etcd, then leave the loop. */
static void
sup_stop_step(struct sup *s)
{
	while (s->stopping == 1 || s->stopping == 2) {
		bool etcd = s->stopping == 2;

		if (sup_count_alive(s, etcd) > 0) {
			if (s->kill_timer == 0) {
				sup_signal_all(s, etcd, SIGTERM);
				s->kill_timer = loop_timer_add(s->loop, LAB_STOP_TIMEOUT_MS,
				    sup_kill_timer, s);
			}
			return;
		}
		if (s->kill_timer != 0)
			loop_timer_cancel(s->loop, s->kill_timer);
		s->kill_timer = 0;
		s->stopping++;
	}
	if (s->stopping == 3) {
		log_info("every member stopped");
		loop_break(s->loop);
	}
}

static void
sup_on_term(int signo, void *arg)
{
	struct sup *s = arg;
	size_t i;

	if (s->stopping != 0)
		return;
	log_info("signal %d: stopping the lab", signo);
	lab_event_append(s->events, "supervisor", "stopping", "signal=%d", signo);
	s->stopping = 1;
	for (i = 0; i < s->n_kids; i++) {
		struct sup_kid *k = &s->kids[i];
		if (k->restart_timer != 0)
			loop_timer_cancel(s->loop, k->restart_timer);
		k->restart_timer = 0;
		sup_probe_cancel(k);
		if (k->m->pid <= 0)
			k->m->state = LAB_STOPPED;
	}
	sup_save(s);
	sup_stop_step(s);
}

static struct sup_kid *
sup_kid_by_pid(struct sup *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->n_kids; i++) {
		if (s->kids[i].m->pid == pid)
			return &s->kids[i];
	}
	return NULL;
}

static void
sup_exited(struct sup *s, struct sup_kid *k, int status)
{
	struct lab_member *m = k->m;
	int64_t uptime = time_mono_ms() - k->started_mono, delay;

	/* Logged first: the reap time is the best clock of the death we have. */
	if (WIFSIGNALED(status))
		lab_event_append(s->events, m->name, "exited", "signal=%d pid=%ld",
		    WTERMSIG(status), (long)m->pid);
	else
		lab_event_append(s->events, m->name, "exited", "status=%d pid=%ld",
		    WEXITSTATUS(status), (long)m->pid);
	free(m->last_exit);
	if (WIFSIGNALED(status))
		m->last_exit = xasprintf("signal %d", WTERMSIG(status));
	else
		m->last_exit = xasprintf("exit %d", WEXITSTATUS(status));
	log_info("'%s' pid %ld ended (%s) after %lld ms", m->name, (long)m->pid,
	    m->last_exit, (long long)uptime);
	m->pid = 0;
	sup_probe_cancel(k);
	if (s->stopping != 0) {
		m->state = LAB_STOPPED;
		return;
	}
	/* Kubernetes forgets a crash loop once a container has run for a while. */
	if (uptime >= LAB_BACKOFF_RESET_MS)
		k->backoff_ms = s->lab->backoff_ms;
	delay = k->backoff_ms;
	k->backoff_ms = delay * 2 > LAB_BACKOFF_MAX_MS ? LAB_BACKOFF_MAX_MS : delay * 2;
	m->state = LAB_BACKOFF;
	log_info("restarting '%s' in %lld ms", m->name, (long long)delay);
	k->restart_timer = loop_timer_add(s->loop, delay, sup_restart_timer, k);
}

static void
sup_on_chld(int signo, void *arg)
{
	struct sup *s = arg;
	struct sup_kid *k;
	int status;
	pid_t pid;

	/* Signals coalesce: reap everything that has ended. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		k = sup_kid_by_pid(s, pid);
		if (k != NULL)
			sup_exited(s, k, status);
	}
	sup_save(s);
	if (s->stopping != 0)
		sup_stop_step(s);
}

/*
 * `milvusadm lab start`: a member waiting out its back-off, or not started yet,
 * starts now, down the restart timer's path, with its back-off back to the
 * lab's first delay. Like `docker start` it is the same member again, so it
 * keeps its host name (a restart after back-off is a new pod, with a new one).
 * It is not counted as a restart: restarts are the supervisor's own, which is
 * how a drill tells who brought a member back.
 */
static void
sup_start_now(struct sup *s, struct sup_kid *k)
{
	struct lab_member *m = k->m;
	enum lab_state was = m->state;
	bool now = s->stopping == 0 && m->pid <= 0 &&
	    (was == LAB_BACKOFF || was == LAB_STOPPED);

	lab_event_append(s->events, m->name, "start-requested", "by=lab-start state=%s%s",
	    lab_state_name(was), now ? "" : " ignored=yes");
	if (!now) {
		log_info("start of '%s' requested; it is %s, nothing to do", m->name,
		    s->stopping != 0 ? "stopping with the lab" : lab_state_name(was));
		return;
	}
	if (k->restart_timer != 0)
		loop_timer_cancel(s->loop, k->restart_timer);
	k->restart_timer = 0;
	k->backoff_ms = s->lab->backoff_ms;
	k->keep_hostname = true;
	log_info("start of '%s' requested; starting it now (was %s)", m->name,
	    lab_state_name(was));
	sup_spawn(k);
}

static void
sup_on_usr1(int signo, void *arg)
{
	struct sup *s = arg;
	size_t i;
	int rc;

	/* A member killed just before its start was asked may be a zombie not yet
	 * reaped: reap first, so that it is seen in back-off, not still running. */
	sup_on_chld(SIGCHLD, s);
	/* One file per member, looked up by the plan's names: nothing else in the
	 * directory is ever read, and signals that coalesced lose no request. */
	for (i = 0; i < s->n_kids; i++) {
		rc = lab_start_request_take(s->lab, s->kids[i].m->name);
		if (rc == -1)
			log_warn("ignored a start request for '%s' that names no member",
			    s->kids[i].m->name);
		else if (rc == 1)
			sup_start_now(s, &s->kids[i]);
	}
}

static void
sup_on_ignore(int signo, void *arg)
{
}

static int
sup_write_pidfile(struct sup *s)
{
	char *path = lab_path(s->lab, "supervisor.pid");
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f;
	int rc = -1;

	f = fopen(tmp, "we");
	if (f != NULL) {
		fprintf(f, "%ld\n", (long)s->self);
		if (fclose(f) == 0 && rename(tmp, path) == 0)
			rc = 0;
	}
	if (rc == -1)
		log_error("cannot write '%s': %s", path, strerror(errno));
	free(tmp);
	free(path);
	return rc;
}

static void
sup_setup(struct sup *s)
{
	struct buf urls = BUF_INIT, cluster = BUF_INIT;
	size_t i;

	s->n_kids = s->lab->n_members;
	s->kids = xcalloc(s->n_kids, sizeof *s->kids);
	for (i = 0; i < s->n_kids; i++) {
		struct sup_kid *k = &s->kids[i];
		k->sup = s;
		k->m = &s->lab->members[i];
		k->etcd = strcmp(k->m->role, "etcd") == 0;
		k->backoff_ms = s->lab->backoff_ms;
		k->m->state = LAB_STOPPED;
		if (!k->etcd)
			continue;
		buf_printf(&urls, "%shttp://%s:%d", urls.len ? "," : "", k->m->ip,
		    LAB_ETCD_CLIENT_PORT);
		buf_printf(&cluster, "%s%s=http://%s:%d", cluster.len ? "," : "",
		    k->m->name, k->m->ip, LAB_ETCD_PEER_PORT);
	}
	buf_addc(&urls, '\0');
	buf_addc(&cluster, '\0');
	s->etcd_urls = buf_detach(&urls, NULL);
	s->initial_cluster = buf_detach(&cluster, NULL);
}

int
supervisor_main(int argc, char **argv)
{
	struct sup s;
	const char *dir = NULL;
	char err[512], *logs;
	size_t i;
	pid_t other;
	int c;

	for (c = 1; c < argc; c++) {
		if (strcmp(argv[c], "--dir") == 0 && c + 1 < argc)
			dir = argv[++c];
		else {
			fprintf(stderr, "usage: milvusadm-labd supervise --dir LABDIR\n");
			return 2;
		}
	}
	if (dir == NULL) {
		fprintf(stderr, "usage: milvusadm-labd supervise --dir LABDIR\n");
		return 2;
	}
	log_set_ident("supervisor");
	log_set_level(LOG_INFO);
	memset(&s, 0, sizeof s);
	s.self = getpid();
	s.lab = lab_read_plan(dir, err, sizeof err);
	if (s.lab == NULL) {
		log_error("%s", err);
		return 1;
	}
	other = lab_supervisor_pid(dir);
	if (other != 0 && other != s.self) {
		log_error("lab '%s' already has a supervisor, pid %ld", s.lab->name, (long)other);
		lab_free(s.lab);
		return 1;
	}
	logs = lab_path(s.lab, "logs");
	if (fs_mkdirs(logs, err, sizeof err) == -1) {
		log_error("%s", err);
		free(logs);
		lab_free(s.lab);
		return 1;
	}
	free(logs);
	srandom((unsigned)(time(NULL) ^ (s.self << 16)));
	http_global_init();
	s.loop = loop_new();
	s.lab->supervisor_pid = s.self;
	s.events = lab_path(s.lab, LAB_EVENTS_FILE);
	sup_setup(&s);
	/* Requests left from before this start are stale: everything starts anyway. */
	for (i = 0; i < s.n_kids; i++)
		(void)lab_start_request_take(s.lab, s.kids[i].m->name);
	loop_signal(s.loop, SIGCHLD, sup_on_chld, &s);
	loop_signal(s.loop, SIGUSR1, sup_on_usr1, &s);
	loop_signal(s.loop, SIGTERM, sup_on_term, &s);
	loop_signal(s.loop, SIGINT, sup_on_term, &s);
	loop_signal(s.loop, SIGHUP, sup_on_ignore, &s);
	signal(SIGPIPE, SIG_IGN);
	if (sup_write_pidfile(&s) == -1) {
		loop_free(s.loop);
		free(s.events);
		lab_free(s.lab);
		return 1;
	}
	log_info("supervising lab '%s' in '%s'", s.lab->name, s.lab->dir);
	lab_event_append(s.events, "supervisor", "started", "pid=%ld lab=%s milvus=%s ttl=%d",
	    (long)s.self, s.lab->name, s.lab->milvus, s.lab->ttl);
	for (i = 0; i < s.n_kids; i++) {
		if (s.kids[i].etcd)
			sup_spawn(&s.kids[i]);
	}
	if (sup_count_alive(&s, true) == 0)
		sup_start_components(&s);
	loop_run(s.loop);

	sup_save(&s);
	{
		char *pidfile = lab_path(s.lab, "supervisor.pid");
		unlink(pidfile);
		free(pidfile);
	}
	log_info("supervisor done");
	lab_event_append(s.events, "supervisor", "exit", "status=0");
	for (i = 0; i < s.n_kids; i++)
		sup_probe_cancel(&s.kids[i]);
	loop_free(s.loop);
	http_global_cleanup();
	free(s.kids);
	free(s.etcd_urls);
	free(s.initial_cluster);
	free(s.events);
	lab_free(s.lab);
	return 0;
}
