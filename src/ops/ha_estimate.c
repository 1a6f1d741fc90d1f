/* SPDX-License-Identifier: MIT */
/* The expected failover time of a coordinator, phase by phase (detection +
 * election + recovery), from the session TTL, the Milvus version's election
 * mode and Kubernetes probe settings, with the same lines for tuned settings
 * (the seed's "38 s → 10 s" breakdown, with Milvus's real mechanisms). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cluster.h"
#include "milvusadm/ha.h"
#include "milvusadm/xalloc.h"

#define DEFAULT_INIT_MS		2000
#define DEFAULT_RETRY_MS	2000
#define DEFAULT_RESTART_MS	10000
/* A standby's watch fires on the DELETE of the active key and it wins the
 * next compare-and-swap: one etcd round trip or two. */
#define ELECT_WATCH_MS		100
/* 2.6.8+ mixcoord standbys poll the legacy keys every 100 ms (contract §2.4). */
#define ELECT_POLL_MS		200

/* The seed's tuned liveness probe: period 3 s, 2 failures (timeout 1 s). */
static const struct ha_probe tuned_probe = { 3, 2, 1 };

void
ha_estimate_input(const struct cluster *c, struct ha_estimate_in *in)
{
	bool mix = false, all = true;
	size_t i, n = 0;

	memset(in, 0, sizeof *in);
	in->session_ttl_s = c->session_ttl_s;
	in->milvus_version = c->milvus_version;
	for (i = 0; i < c->n_leaders; i++) {
		if (strcmp(c->leaders[i].role, "mixcoord") == 0)
			mix = true;
	}
	for (i = 0; i < c->n_leaders; i++) {
		const struct leader *l = &c->leaders[i];

		/* indexcoord follows datacoord; 2.6.8+ legacy keys follow mixcoord. */
		if (strcmp(l->role, "indexcoord") == 0 ||
		    (mix && strcmp(l->role, "mixcoord") != 0))
			continue;
		n++;
		if (!l->active_standby || l->n_standby == 0)
			all = false;
	}
	in->standby = n > 0 && all;
}

static void
fmt_ms(char *dst, size_t len, int64_t ms)
{
	if (ms % 1000 == 0)
		snprintf(dst, len, "%lld s", (long long)(ms / 1000));
	else
		snprintf(dst, len, "%lld.%lld s", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
}

static void
assume(struct ha_estimate *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
assume(struct ha_estimate *e, const char *fmt, ...)
{
	va_list ap;

	e->assumptions = xreallocarray(e->assumptions, e->n_assumptions + 1,
	    sizeof *e->assumptions);
	va_start(ap, fmt);
	e->assumptions[e->n_assumptions++] = xvasprintf(fmt, ap);
	va_end(ap);
}

struct line_params {
	const char *settings;
	int64_t ttl_s;
	bool standby;
	bool polling;
	const struct ha_probe *probe;	/* NULL: a crash; else a hang found by it */
	int64_t init_ms, retry_ms, restart_ms;
};

static int64_t
probe_field(int64_t v, int64_t def)
{
	return v > 0 ? v : def;
}

static void
line_fill(struct ha_rto *l, const struct line_params *p)
{
	struct ha_phase *d = &l->phase[HA_PHASE_DETECT];
	struct ha_phase *el = &l->phase[HA_PHASE_ELECT];
	struct ha_phase *rc = &l->phase[HA_PHASE_RECOVER];
	char a[32], b[32];

	l->settings = p->settings;
	d->name = "detection";
	el->name = "election";
	rc->name = "recovery";
	if (p->probe == NULL) {
		l->fault = "crash";
		d->ms = p->ttl_s * 1000;
		d->basis = xasprintf("session TTL %lld s: the dead active's lease expires "
		    "at most TTL after its last keepalive", (long long)p->ttl_s);
	} else {
		int64_t per = probe_field(p->probe->period_s, 10);
		int64_t fail = probe_field(p->probe->failure_threshold, 3);
		int64_t to = probe_field(p->probe->timeout_s, 1);

		l->fault = "hang";
		d->ms = (fail * per + to) * 1000;
		d->basis = xasprintf("liveness probe: failureThreshold %lld x periodSeconds "
		    "%lld s + timeoutSeconds %lld s; the kubelet's SIGTERM then revokes "
		    "the lease", (long long)fail, (long long)per, (long long)to);
	}
	if (!p->standby) {
		el->ms = p->restart_ms;
		fmt_ms(a, sizeof a, p->restart_ms);
		el->basis = xasprintf("no standby: nothing takes over until the process is "
		    "restarted (%s)", a);
	} else if (p->polling) {
		el->ms = ELECT_POLL_MS;
		el->basis = xstrdup("a 2.6.8+ standby polls every 100 ms, then wins one "
		    "etcd txn");
	} else {
		el->ms = ELECT_WATCH_MS;
		el->basis = xstrdup("the standby's watch sees the active key go and it wins "
		    "the next etcd txn");
	}
	rc->ms = p->init_ms + p->retry_ms;
	fmt_ms(a, sizeof a, p->init_ms);
	fmt_ms(b, sizeof b, p->retry_ms);
	rc->basis = xasprintf("coordinator activation %s + one client retry interval %s",
	    a, b);
	l->total_ms = d->ms + el->ms + rc->ms;
}

static bool
version_polls(const char *version)
{
	int ma, mi, pa;

	if (ha_version_parse(version, &ma, &mi, &pa) == -1)
		return false;
	return ma > 2 || (ma == 2 && (mi > 6 || (mi == 6 && pa >= 8)));
}

static struct ha_rto *
line_add(struct ha_estimate *e)
{
	e->lines = xreallocarray(e->lines, e->n_lines + 1, sizeof *e->lines);
	memset(&e->lines[e->n_lines], 0, sizeof *e->lines);
	return &e->lines[e->n_lines++];
}

struct ha_estimate *
ha_estimate(const struct ha_estimate_in *in)
{
	struct ha_estimate *e = xcalloc(1, sizeof *e);
	struct line_params p;
	int64_t ttl = in->session_ttl_s, def;
	char a[32];

	memset(&p, 0, sizeof p);
	if (ttl <= 0) {
		def = ha_default_ttl(in->milvus_version);
		e->ttl_assumed = true;
		if (def > 0) {
			ttl = def;
			assume(e, "session TTL unknown: assumed %lld s, what %s ships",
			    (long long)ttl, in->milvus_version);
		} else {
			ttl = 30;
			assume(e, "session TTL and version unknown: assumed 30 s "
			    "(2.3.3 to 2.5 ship 30 s)");
		}
	}
	e->ttl_s = ttl;
	p.init_ms = in->init_ms > 0 ? in->init_ms : DEFAULT_INIT_MS;
	p.retry_ms = in->retry_ms > 0 ? in->retry_ms : DEFAULT_RETRY_MS;
	p.restart_ms = in->restart_ms > 0 ? in->restart_ms : DEFAULT_RESTART_MS;
	p.polling = version_polls(in->milvus_version);

	fmt_ms(a, sizeof a, p.init_ms);
	assume(e, "the new active coordinator is serving %s after it wins%s", a,
	    in->init_ms > 0 ? "" : " (assumed: measure it with a drill)");
	fmt_ms(a, sizeof a, p.retry_ms);
	assume(e, "clients retry every %s, so the first request after recovery may wait "
	    "that long", a);
	if (!in->standby) {
		fmt_ms(a, sizeof a, p.restart_ms);
		assume(e, "without a standby a supervisor (Kubernetes, systemd) restarts "
		    "the coordinator within %s", a);
	}
	assume(e, "a crash is SIGKILL, OOM or node loss: the lease is not revoked; a "
	    "graceful stop revokes it and skips detection");
	assume(e, "etcd keeps its quorum (an etcd leader change adds its election "
	    "timeout and refreshes every lease)");
	if (in->have_probe)
		assume(e, "a hang keeps the lease alive and only the liveness probe sees "
		    "it (Helm's probe is TCP on 9091: a wedged process that still "
		    "accepts connections is never restarted)");

	p.settings = "current";
	p.ttl_s = ttl;
	p.standby = in->standby;
	line_fill(line_add(e), &p);
	if (in->have_probe) {
		p.probe = &in->liveness;
		line_fill(line_add(e), &p);
		p.probe = NULL;
	}

	/* Tuned: standbys, the recommended TTL (keep a shorter one that still
	 * passes the check), the seed's probe of 3 s x 2. */
	p.settings = "tuned";
	p.standby = true;
	p.ttl_s = ttl >= HA_TTL_MIN_S && ttl <= HA_TTL_TUNED_S ? ttl : HA_TTL_TUNED_S;
	line_fill(line_add(e), &p);
	if (in->have_probe) {
		p.probe = &tuned_probe;
		line_fill(line_add(e), &p);
	}
	return e;
}

void
ha_estimate_free(struct ha_estimate *e)
{
	size_t i, j;

	if (e == NULL)
		return;
	for (i = 0; i < e->n_lines; i++) {
		for (j = 0; j < HA_PHASES; j++)
			free(e->lines[i].phase[j].basis);
	}
	free(e->lines);
	for (i = 0; i < e->n_assumptions; i++)
		free(e->assumptions[i]);
	free(e->assumptions);
	free(e);
}
