/* SPDX-License-Identifier: MIT */
/* A drill's PRECHECK: the target's form and resolution to one server with
 * someone to take over, etcd's quorum, the probe collection, the estimate to
 * compare with, and the report's ID. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/ha.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"
#include "state-int.h"

int
drill_refuse(bool *refused, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	*refused = true;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
standby_healthy(const struct component *c)
{
	return c->health == HEALTH_STANDBY || c->health == HEALTH_HEALTHY;
}

int
drill_target_check(const char *target, char *err, size_t errlen)
{
	const char *slash = strchr(target, '/'), *p;
	char role[64];
	size_t len = slash != NULL ? (size_t)(slash - target) : strlen(target);

	if (strcmp(target, "etcd-leader") == 0 ||
	    (strncmp(target, "etcd/", 5) == 0 && target[5] != '\0' && strchr(target + 5, '/') ==
	    NULL))
		return 0;
	if (strncmp(target, "etcd", 4) == 0 && len == 4) {
		snprintf(err, errlen, "target '%.64s' names no etcd member: etcd/NAME or "
		    "etcd-leader", target);
		return -1;
	}
	if (len == 0 || len >= sizeof role) {
		snprintf(err, errlen, "target '%.64s' is not ROLE, ROLE/SERVER_ID, etcd-leader or "
		    "etcd/NAME", target);
		return -1;
	}
	snprintf(role, sizeof role, "%.*s", (int)len, target);
	if (!cluster_is_coord_role(role) && !cluster_is_worker_role(role)) {
		snprintf(err, errlen, "target '%.64s' is not a Milvus role: name a role, a server "
		    "as ROLE/SERVER_ID, etcd-leader or etcd/NAME", role);
		return -1;
	}
	if (slash == NULL)
		return 0;
	/* Digits only: sscanf would take "12x", " 12" and "+12" for server 12. */
	for (p = slash + 1; *p >= '0' && *p <= '9'; p++)
		;
	if (p == slash + 1 || *p != '\0' || p - (slash + 1) > 18 || strtoll(slash + 1, NULL,
	    10) <= 0) {
		snprintf(err, errlen, "target '%.64s' is not ROLE/SERVER_ID with a positive "
		    "decimal ID", target);
		return -1;
	}
	return 0;
}

/* Resolve the target to one component and check it has someone to take over. */
int
drill_precheck_target(struct drill *d, const char *target, bool *refused, char *err,
    size_t errlen)
{
	struct cluster *c = state_cluster(d->st);
	const struct component *comp = NULL, *o;
	const struct leader *ld;
	char role[64];
	const char *slash = strchr(target, '/');
	int64_t id = 0;
	size_t i, n_ok = 0, n_other = 0;

	if (drill_target_check(target, err, errlen) == -1)
		return -1;
	if (slash != NULL) {
		id = strtoll(slash + 1, NULL, 10);
		snprintf(role, sizeof role, "%.*s", (int)(slash - target), target);
		comp = cluster_find(c, role, id);
		if (comp == NULL)
			return drill_refuse(refused, err, errlen, "no server '%s' in the cluster", target);
	} else {
		snprintf(role, sizeof role, "%s", target);
		if (cluster_is_worker_role(role) && (comp = drill_pick_worker(d->st, role)) ==
		    NULL)
			return drill_refuse(refused, err, errlen, "no healthy %s in the cluster", role);
		if (comp == NULL && strcmp(role, "mixcoord") != 0 &&
		    cluster_leader(c, "mixcoord") != NULL)
			return drill_refuse(refused, err, errlen, "the coordinators run in mixcoord on "
			    "this cluster: drill 'mixcoord'");
		if (comp == NULL)
			comp = cluster_active(c, role);
		if (comp == NULL)
			return drill_refuse(refused, err, errlen, "no active '%s' in the cluster", role);
	}
	ld = cluster_leader(c, role);
	if (cluster_is_coord_role(role)) {
		if (ld == NULL || ld->active_id != comp->server_id)
			return drill_refuse(refused, err, errlen, "'%s' is a standby of %s (active %"
			    PRId64 "): drill the active", target, role, ld != NULL ? ld->active_id :
			    0);
		if (!ld->active_standby || ld->n_standby == 0)
			return drill_refuse(refused, err, errlen, "%s has no standby: nothing would take "
			    "over from server %" PRId64, role, comp->server_id);
		for (i = 0; i < ld->n_standby; i++) {
			o = cluster_find(c, role, ld->standby_ids[i]);
			if (o != NULL && standby_healthy(o))
				n_ok++;
		}
		if (n_ok == 0)
			return drill_refuse(refused, err, errlen, "%s has %zu standby but none is healthy",
			    role, ld->n_standby);
		d->rep->kind = xstrdup("coordinator");
		d->watch_key = xasprintf("%s%s", d->st->session_prefix, role);
	} else {
		for (i = 0; i < c->n_components; i++) {
			o = &c->components[i];
			if (strcmp(o->role, role) != 0 || o->server_id == comp->server_id)
				continue;
			n_other++;
			if (o->health == HEALTH_HEALTHY)
				n_ok++;
		}
		if (n_ok == 0)
			return drill_refuse(refused, err, errlen, "no other healthy %s (%zu other): "
			    "nothing would serve while server %" PRId64 " is down", role, n_other,
			    comp->server_id);
		d->rep->kind = xstrdup("worker");
		d->watch_key = xasprintf("%s%s", d->st->session_prefix, comp->s.key);
	}
	d->rep->role = xstrdup(role);
	d->rep->server_id = comp->server_id;
	d->rep->address = comp->s.address != NULL ? xstrdup(comp->s.address) : NULL;
	d->rep->host_name = comp->s.host_name != NULL ? xstrdup(comp->s.host_name) : NULL;
	d->tgt.lease_id = comp->lease_id != 0 ? comp->lease_id : comp->s.lease_id;
	return 0;
}

int
drill_precheck_etcd(struct drill *d, bool *refused, char *err, size_t errlen)
{
	struct cluster *c = state_cluster(d->st);
	size_t i, up = 0;
	bool leader = false;

	if (state_load_etcd(d->st) == -1 && c->n_etcd == 0)
		return drill_refuse(refused, err, errlen, "etcd status unknown: %s",
		    c->src_etcd.error != NULL ? c->src_etcd.error : "no answer");
	for (i = 0; i < c->n_etcd; i++) {
		if (c->etcd[i].reachable)
			up++;
		if (c->etcd[i].is_leader)
			leader = true;
	}
	if (up * 2 <= c->n_etcd || !(leader || c->etcd_leader != 0))
		return drill_refuse(refused, err, errlen, "etcd has no quorum (%zu of %zu members "
		    "reachable%s)", up, c->n_etcd, leader ? "" : ", no leader");
	return 0;
}

/* The first loaded collection (or the one asked for) for the probes. */
void
drill_precheck_collection(struct drill *d, const char *want)
{
	struct cluster *c = state_cluster(d->st);
	const char *dot;
	size_t i;

	if (want != NULL) {
		dot = strchr(want, '.');
		d->probe_db = dot != NULL ? xstrndup(want, (size_t)(dot - want)) : NULL;
		d->probe_name = xstrdup(dot != NULL ? dot + 1 : want);
		return;
	}
	if (state_load_collections(d->st, NULL) == -1) {
		drill_report_note(d->rep, "collections unknown (%s): probes list collections only",
		    c->src_proxy.error != NULL ? c->src_proxy.error : "no answer");
		return;
	}
	for (i = 0; i < c->n_collections; i++) {
		if (c->collections[i].load_state != NULL &&
		    strcmp(c->collections[i].load_state, "LoadStateLoaded") == 0) {
			d->probe_db = xstrdup(c->collections[i].db);
			d->probe_name = xstrdup(c->collections[i].name);
			return;
		}
	}
	drill_report_note(d->rep, "no loaded collection: probes list collections only");
}

void
drill_precheck_estimate(struct drill *d)
{
	struct drill_report *r = d->rep;
	struct ha_estimate_in in;
	struct ha_estimate *e;
	int i;

	for (i = 0; i < 3; i++)
		r->est_ms[i] = -1;
	r->est_total_ms = -1;
	/* The ha estimate models Milvus failovers, not etcd elections. */
	if (d->etcd != NULL)
		return;
	ha_estimate_input(state_cluster(d->st), &in);
	e = ha_estimate(&in);
	if (e != NULL && e->n_lines > 0) {
		for (i = 0; i < HA_PHASES && i < 3; i++)
			r->est_ms[i] = e->lines[0].phase[i].ms;
		/* A revoked lease or a graceful stop deletes the key at once: no TTL wait. */
		if (r->signal != NULL && strstr(r->signal, "KILL") == NULL &&
		    strstr(r->signal, "delete") == NULL)
			r->est_ms[0] = 0;
		r->est_total_ms = r->est_ms[0] + r->est_ms[1] + r->est_ms[2];
	}
	ha_estimate_free(e);
}

char *
drill_make_id(const char *target, int64_t now_ms)
{
	char ts[32], *id, *p;
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
	id = xasprintf("%s-%s", ts, target);
	for (p = id; *p != '\0'; p++) {
		if (*p == '/' || *p == '.' || *p == ' ')
			*p = '-';
	}
	return id;
}

/* IDs have one-second resolution: a drill that fails at once can follow
 * another of the same target within that second. Do not overwrite its report. */
void
drill_id_unique(char **id, const char *dir)
{
	char *path, *next;
	int n;

	for (n = 2; n < 100; n++) {
		path = xasprintf("%s/%s.json", dir, *id);
		if (access(path, F_OK) == -1) {
			free(path);
			return;
		}
		free(path);
		next = xasprintf("%.*s-%d", n == 2 ? (int)strlen(*id) : (int)(strrchr(*id,
		    '-') - *id), *id, n);
		free(*id);
		*id = next;
	}
}

const char *
drill_backend_signal(const char *backend, const char *const *options)
{
	const char *sig = fault_option(options, "signal");

	if (strcmp(backend, "etcd-lease") == 0)
		return "lease revoke";
	if (strcmp(backend, "stop") == 0)
		return "graceful stop";
	if (strcmp(backend, "k8s") == 0)
		return "pod delete";
	if (strcmp(backend, "lab") == 0 || strcmp(backend, "docker") == 0) {
		if (sig != NULL && (strcasecmp(sig, "TERM") == 0 || strcasecmp(sig, "SIGTERM") == 0))
			return "SIGTERM";
		return "SIGKILL";
	}
	return backend;
}

