/* SPDX-License-Identifier: MIT */
/* milvusadm-labd: `component` simulates one Milvus process (its components,
 * sessions, 9091 and 19530 servers); `supervise` runs the lab supervisor. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/etcd.h"
#include "milvusadm/lab.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "supervisor.h"

extern char **environ;

#define SHUTDOWN_GRACE_MS 5000	/* beyond the drain, before giving up on etcd */

static const char usage_text[] =
    "usage: milvusadm-labd component --role ROLE --ip IP --etcd URL[,URL...]\n"
    "           [--root by-dev] [--milvus 2.3|2.4|2.5|2.6|3.0] [--ttl SECONDS]\n"
    "           [--active-standby on|off] [--hostname NAME] [--log FILE] [--drain-ms MS]\n"
    "           [--event-log FILE] [--member NAME] [--storage DIR]\n"
    "           [--admin-auth-file FILE]\n"
    "       milvusadm-labd component --role backup --ip IP --etcd URL[,URL...] --bucket DIR\n"
    "           --proxy URL[,URL...] [--backup-version 0.5|0.6] [--copy-rate BYTES]\n"
    "           [--faults FILE] [--root by-dev] [--milvus VERSION] [--log FILE]\n"
    "           [--event-log FILE] [--member NAME]\n"
    "       milvusadm-labd supervise --dir LABDIR\n";

static void shutdown_step(struct labd *d);

void
labd_event(struct labd *d, const char *event, const char *fmt, ...)
{
	va_list ap;

	if (d->event_log == NULL)
		return;
	va_start(ap, fmt);
	lab_event_vappend(d->event_log, d->member, event, fmt, ap);
	va_end(ap);
}

void
labd_event_active_lost(struct labd_sess *s, const char *reason)
{
	/* Only exclusive roles have an active key; workers' keys are not one. */
	if (!s->active || !labd_role_exclusive(s->role))
		return;
	labd_event(s->d, "active-lost", "role=%s server_id=%lld reason=%s",
	    labd_role_name(s->role), (long long)s->info.server_id, reason);
}

struct labd_comp *
labd_comp_find(struct labd *d, const char *role)
{
	size_t i;

	for (i = 0; i < d->n_comps; i++) {
		if (!d->comps[i]->stopped && strcmp(labd_role_name(d->comps[i]->role), role) == 0)
			return d->comps[i];
	}
	return NULL;
}

static struct labd_sess *
sess_new(struct labd_comp *c, enum labd_role role, bool active_standby)
{
	struct labd_sess *s = xcalloc(1, sizeof *s);

	s->d = c->d;
	s->comp = c;
	s->role = role;
	s->ttl = c->d->ttl;
	s->active_standby = labd_role_exclusive(role) && active_standby;
	s->elects = labd_role_exclusive(role) && role != LABD_INDEXCOORD;
	s->fences = role != LABD_INDEXCOORD;
	c->sess[c->n_sess++] = s;
	return s;
}

static struct labd_comp *
comp_add(struct labd *d, enum labd_role role)
{
	struct labd_comp *c = xcalloc(1, sizeof *c);
	bool as;

	c->d = d;
	c->role = role;
	c->state = LABD_ST_INITIALIZING;
	d->comps[d->n_comps++] = c;
	if (role == LABD_INDEXCOORD) {
		/* The standalone indexcoord indicator is a stub: always Healthy. */
		c->state = LABD_ST_HEALTHY;
		return c;
	}
	if (d->active_standby >= 0)
		as = d->active_standby;
	else
		as = d->role != LABD_STANDALONE;
	/* 2.6.8+ mixcoord ignores mixCoord.enableActiveStandby (§2.1). */
	if (role == LABD_MIXCOORD && d->v->mix_legacy)
		as = true;
	sess_new(c, role, as);
	if (role == LABD_DATACOORD && d->v->indexcoord_session)
		sess_new(c, LABD_INDEXCOORD, as);
	return c;
}

/* The components one process runs, in cmd/roles/roles.go registration order. */
static void
comps_build(struct labd *d)
{
	struct labd_comp *c;

	if (d->role == LABD_STANDALONE) {
		if (d->v->split_coords)
			comp_add(d, LABD_ROOTCOORD);
		else
			comp_add(d, LABD_MIXCOORD);
		comp_add(d, LABD_PROXY);
		if (d->v->split_coords)
			comp_add(d, LABD_QUERYCOORD);
		comp_add(d, LABD_QUERYNODE);
		if (d->v->split_coords)
			comp_add(d, LABD_DATACOORD);
		comp_add(d, LABD_DATANODE);
		if (d->v->split_coords)
			comp_add(d, LABD_INDEXCOORD);
		if (d->v->indexnode)
			comp_add(d, LABD_INDEXNODE);
		if (d->v->streamingnode)
			comp_add(d, LABD_STREAMINGNODE);
		return;
	}
	comp_add(d, d->role);
	if (d->role == LABD_STREAMINGNODE) {
		/* A 2.6 streamingnode also runs an embedded querynode (§1.2). */
		c = comp_add(d, LABD_QUERYNODE);
		c->sess[0]->embedded = true;
	}
}

static bool
comp_has(struct labd *d, enum labd_role role)
{
	size_t i;

	for (i = 0; i < d->n_comps; i++) {
		if (d->comps[i]->role == role)
			return true;
	}
	return false;
}

static void
on_server_id(struct labd *d)
{
	struct labd_sess *s;
	char ident[64];
	size_t i, j;

	snprintf(ident, sizeof ident, "labd %s-%lld", labd_role_name(d->role),
	    (long long)d->server_id);
	log_set_ident(ident);
	if (d->shutting_down)
		return;
	for (i = 0; i < d->n_comps; i++) {
		for (j = 0; j < d->comps[i]->n_sess; j++) {
			s = d->comps[i]->sess[j];
			labd_session_describe(&s->info, d->v, s->role, d->server_id, d->ip,
			    d->host, environ, s->embedded);
			labd_sess_start(s);
		}
	}
}

/* ---- stopping ---- */

static void
comp_finish(struct labd_comp *c)
{
	struct labd *d = c->d;
	void (*cb)(struct labd_comp *) = c->stopped_cb;

	c->stopped = true;
	c->stopped_cb = NULL;
	log_info("%s stopped", labd_role_name(c->role));
	/* A stopped proxy no longer serves its external port. */
	if (c->role == LABD_PROXY && d->http19530 != NULL) {
		labd_http_stop(d->http19530);
		d->http19530 = NULL;
	}
	if (cb != NULL)
		cb(c);
	if (d->shutting_down)
		shutdown_step(d);
}

static void
on_sess_revoked(struct labd_sess *s)
{
	struct labd_comp *c = s->comp;

	if (c->pending_revokes > 0 && --c->pending_revokes == 0)
		comp_finish(c);
}

static void
comp_revoke(struct labd_comp *c)
{
	size_t i, n = c->n_sess;

	c->drain_timer = 0;
	if (n == 0) {
		comp_finish(c);
		return;
	}
	c->pending_revokes = n;
	for (i = 0; i < n; i++)
		labd_sess_revoke(c->sess[i], on_sess_revoked);
}

static void
on_drained(void *arg)
{
	comp_revoke(arg);
}

void
labd_comp_stop(struct labd_comp *c, void (*cb)(struct labd_comp *c))
{
	struct labd *d = c->d;
	bool drain = false;
	size_t i;

	if (c->stop_started)
		return;
	c->stop_started = true;
	c->stopped_cb = cb;
	labd_event(d, "stopping", "role=%s", labd_role_name(c->role));
	labd_duties_stop(c);
	c->counted = false;
	if (c->state != LABD_ST_INITIALIZING || c->n_sess > 0)
		c->state = LABD_ST_STOPPING;
	/* querynode, indexnode (≤2.4), streamingnode: GoingStop, drain, then revoke. */
	if (labd_role_drains(c->role, d->v)) {
		for (i = 0; i < c->n_sess; i++) {
			if (c->sess[i]->registered) {
				labd_sess_going_stop(c->sess[i]);
				drain = true;
			}
		}
	}
	if (drain && d->drain_ms > 0) {
		log_info("%s is stopping; draining for %lld ms", labd_role_name(c->role),
		    (long long)d->drain_ms);
		c->drain_timer = loop_timer_add(d->loop, d->drain_ms, on_drained, c);
		return;
	}
	comp_revoke(c);
}

/* Coordinators first, then nodes, proxy last (cmd/roles/roles.go). */
static void
shutdown_step(struct labd *d)
{
	static bool busy, again;
	struct labd_comp *c;
	bool waiting;
	size_t i;

	if (busy) {
		again = true;
		return;
	}
	busy = true;
	do {
		again = false;
		while (d->stop_phase <= 2 && !d->done) {
			waiting = false;
			for (i = 0; i < d->n_comps; i++) {
				c = d->comps[i];
				if (labd_role_stop_phase(c->role) != d->stop_phase)
					continue;
				if (!c->stop_started)
					labd_comp_stop(c, NULL);
				if (!c->stopped)
					waiting = true;
			}
			if (waiting)
				break;
			d->stop_phase++;
		}
	} while (again);
	busy = false;
	if (d->stop_phase > 2 && !d->done) {
		log_info("stopped");
		d->done = 1;
		loop_break(d->loop);
	}
}

static void
on_shutdown_timeout(void *arg)
{
	struct labd *d = arg;

	d->shutdown_timer = 0;
	log_warn("graceful stop did not finish in time; exiting");
	labd_event(d, "stop-timeout", NULL);
	d->done = 1;
	loop_break(d->loop);
}

static void
on_signal(int signo, void *arg)
{
	struct labd *d = arg;

	if (d->shutting_down)
		return;
	log_info("signal %d: graceful stop", signo);
	labd_event(d, "stopping", "signal=%d", signo);
	d->shutting_down = true;
	d->exit_code = 0;
	d->shutdown_timer = loop_timer_add(d->loop, d->drain_ms + SHUTDOWN_GRACE_MS,
	    on_shutdown_timeout, d);
	shutdown_step(d);
}

/* ---- main ---- */

static void
labd_release(struct labd *d)
{
	struct labd_sess *s;
	size_t i, j;

	labd_http_stop(d->http9091);
	labd_http_stop(d->http19530);
	for (i = 0; i < d->n_comps; i++)
		labd_duties_stop(d->comps[i]);
	for (i = 0; i < d->n_comps; i++) {
		for (j = 0; j < d->comps[i]->n_sess; j++) {
			s = d->comps[i]->sess[j];
			if (s->elect_watch != NULL)
				etcd_watch_stop(s->elect_watch);
			if (s->live_watch != NULL)
				etcd_watch_stop(s->live_watch);
			free(s);
		}
		free(d->comps[i]);
	}
	if (d->etcd != NULL)
		etcd_free(d->etcd);
	/* After etcd_free: no callback can use it any more. */
	free(d->idalloc);
	if (d->loop != NULL)
		loop_free(d->loop);
}

static int
parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
usage(const char *fmt, const char *arg)
{
	if (fmt != NULL) {
		fprintf(stderr, "milvusadm-labd: ");
		fprintf(stderr, fmt, arg);
		fprintf(stderr, "\n");
	}
	fputs(usage_text, stderr);
	return 2;
}

static int
component_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "ip", required_argument, NULL, 'i' },
		{ "etcd", required_argument, NULL, 'e' },
		{ "root", required_argument, NULL, 'R' },
		{ "milvus", required_argument, NULL, 'm' },
		{ "ttl", required_argument, NULL, 't' },
		{ "active-standby", required_argument, NULL, 'a' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "log", required_argument, NULL, 'l' },
		{ "drain-ms", required_argument, NULL, 'D' },
		{ "event-log", required_argument, NULL, 'E' },
		{ "member", required_argument, NULL, 'M' },
		{ "storage", required_argument, NULL, 'S' },
		{ "admin-auth-file", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct labd d;
	const char *role = NULL, *ip = NULL, *etcd_arg = NULL, *root = "by-dev";
	const char *milvus = "2.5", *host = NULL, *logfile = NULL, *member = NULL;
	char *eps_copy, *tok, *save, hostbuf[256], err[256];
	const char *endpoints[16];
	struct etcd_opts eo;
	size_t n_eps = 0;
	int ch, r, code;

	memset(&d, 0, sizeof d);
	d.ttl = 10;
	d.active_standby = -1;
	d.drain_ms = 1000;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': role = optarg; break;
		case 'i': ip = optarg; break;
		case 'e': etcd_arg = optarg; break;
		case 'R': root = optarg; break;
		case 'm': milvus = optarg; break;
		case 'H': host = optarg; break;
		case 'l': logfile = optarg; break;
		case 'E': d.event_log = optarg; break;
		case 'M': member = optarg; break;
		case 'S': d.storage = optarg; break;
		case 'A': d.admin_auth_file = optarg; break;
		case 't':
			if (parse_int(optarg, 1, 3600, &d.ttl) != 0)
				return usage("bad --ttl '%s'", optarg);
			break;
		case 'D':
			if (parse_int(optarg, 0, 3600000, &d.drain_ms) != 0)
				return usage("bad --drain-ms '%s'", optarg);
			break;
		case 'a':
			if (strcmp(optarg, "on") == 0)
				d.active_standby = 1;
			else if (strcmp(optarg, "off") == 0)
				d.active_standby = 0;
			else
				return usage("bad --active-standby '%s'", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			return usage(NULL, NULL);
		}
	}
	if (optind != argc)
		return usage("unexpected argument '%s'", argv[optind]);
	if (role == NULL || ip == NULL || etcd_arg == NULL)
		return usage("%s", "--role, --ip and --etcd are required");
	if ((d.v = labd_version_find(milvus)) == NULL)
		return usage("unknown Milvus version '%s'", milvus);
	if ((r = labd_role_parse(role)) < 0 || !labd_role_valid((enum labd_role)r, d.v))
		return usage("role '%s' does not exist in this Milvus version", role);
	d.role = (enum labd_role)r;
	if (strlen(ip) >= sizeof d.ip || strlen(root) >= sizeof d.root || *root == '\0')
		return usage("%s", "--ip or --root is too long");
	snprintf(d.ip, sizeof d.ip, "%s", ip);
	snprintf(d.root, sizeof d.root, "%s", root);
	snprintf(d.session_root, sizeof d.session_root, "%s/meta/session/", root);
	if (host == NULL) {
		if (gethostname(hostbuf, sizeof hostbuf) != 0)
			snprintf(hostbuf, sizeof hostbuf, "localhost");
		hostbuf[sizeof hostbuf - 1] = '\0';
		host = hostbuf;
	}
	snprintf(d.host, sizeof d.host, "%s", host);
	/* Event lines are split on spaces: a member name must be one token. */
	if (member != NULL && (strlen(member) >= sizeof d.member || *member == '\0' ||
	    strpbrk(member, " \t\n") != NULL))
		return usage("bad --member '%s'", member);
	snprintf(d.member, sizeof d.member, "%s", member != NULL ? member : role);

	log_set_level(LOG_INFO);
	if (logfile != NULL && log_open(logfile) != 0) {
		fprintf(stderr, "milvusadm-labd: cannot open log '%s'\n", logfile);
		return 1;
	}
	snprintf(err, sizeof err, "labd %s", role);
	log_set_ident(err);
	signal(SIGPIPE, SIG_IGN);

	eps_copy = xstrdup(etcd_arg);
	for (tok = strtok_r(eps_copy, ",", &save); tok != NULL && n_eps < 15;
	    tok = strtok_r(NULL, ",", &save))
		endpoints[n_eps++] = tok;
	endpoints[n_eps] = NULL;
	if (n_eps == 0) {
		free(eps_copy);
		return usage("%s", "--etcd needs at least one URL");
	}

	d.loop = loop_new();
	memset(&eo, 0, sizeof eo);
	eo.endpoints = endpoints;
	eo.timeout_ms = 3000;
	if ((d.etcd = etcd_new(d.loop, &eo, err, sizeof err)) == NULL) {
		log_error("etcd: %s", err);
		fprintf(stderr, "milvusadm-labd: etcd: %s\n", err);
		labd_event(&d, "exit", "status=1");
		free(eps_copy);
		labd_release(&d);
		return 1;
	}
	comps_build(&d);
	if ((d.http9091 = labd_http_start_metrics(&d, err, sizeof err)) == NULL ||
	    (comp_has(&d, LABD_PROXY) &&
	    (d.http19530 = labd_http_start_rest(&d, err, sizeof err)) == NULL)) {
		log_error("%s", err);
		fprintf(stderr, "milvusadm-labd: %s\n", err);
		labd_event(&d, "exit", "status=1");
		free(eps_copy);
		labd_release(&d);
		return 1;
	}
	loop_signal(d.loop, SIGTERM, on_signal, &d);
	loop_signal(d.loop, SIGINT, on_signal, &d);
	log_info("starting %s %s on %s (ttl %llds, etcd %s)", role, d.v->semver, d.ip,
	    (long long)d.ttl, etcd_arg);
	labd_alloc_server_id(&d, on_server_id);

	loop_run_until(d.loop, &d.done, -1);

	code = d.exit_code;
	labd_event(&d, "exit", "status=%d", code);
	loop_signal(d.loop, SIGTERM, NULL, NULL);
	loop_signal(d.loop, SIGINT, NULL, NULL);
	labd_release(&d);
	free(eps_copy);
	return code;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "supervise") == 0)
		return supervisor_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "component") == 0 && labd_extra_wanted(argc - 1, argv + 1))
		return labd_extra_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "component") == 0 && labd_backup_wanted(argc - 1, argv + 1))
		return labd_backup_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "component") == 0)
		return component_main(argc - 1, argv + 1);
	return usage(argc > 1 ? "unknown command '%s'" : NULL, argc > 1 ? argv[1] : NULL);
}
