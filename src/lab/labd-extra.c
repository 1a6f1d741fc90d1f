/* SPDX-License-Identifier: MIT */
/* `milvusadm-labd component --role extra-workers --count N [--churn M]`: one
 * process that registers N querynode/datanode sessions for the large-lab
 * benchmark, then restarts M of them (history churn). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/etcd.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/lab.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "labd.h"

/*
 * Each session has the contract's exact JSON (labd_session_describe), its own
 * ServerID from the session/id counter and its own address in the /24s after
 * the lab's subnet (lab_extra_ip). Two lab simplifications, both documented in
 * the README: sessions share leases, one per LAB_EXTRA_PER_LEASE (a real node
 * has one lease of its own), and nothing listens on their 9091 or gRPC port,
 * so a health probe of one fails fast with "connection refused" - the worst
 * case for a sweep, a cluster full of dead nodes whose keys have not expired.
 *
 * Churn (--churn M, `lab up --extra-churn M`): once all N are registered, M
 * worker restarts as Milvus makes them, slot (k mod N) for restart k: the old
 * session key is deleted (what a stopping node's lease revoke does; here the
 * lease is shared, so the key is deleted alone), then the node registers again
 * under a new ServerID, on the same address, with the same lease. The ServerIDs
 * of the restarts come from the same block of the session/id counter as the
 * first N (N + M reserved at once). Each restart adds two events to the
 * session prefix's history (a delete, a put), so N puts + 2M events in all.
 */

#define EXTRA_INFLIGHT		32
#define EXTRA_RETRY_MS		1000

struct extra_lease {
	struct extra *x;
	size_t idx;
	int64_t id;			/* 0 = not granted */
	bool busy;			/* a grant or keepalive is out */
	uint64_t timer;
};

struct extra {
	struct loop *loop;
	struct etcd *etcd;
	const struct labd_version *v;
	char net[32];			/* "127.A.B" of the lab */
	char session_root[192];
	char host[200];
	int64_t ttl;
	int count;
	int churn;			/* restarts after registration */
	int64_t first_id;		/* ServerIDs first_id .. first_id+count+churn-1 */
	int64_t *ids;			/* each slot's current ServerID */
	bool *restarting;		/* a restart of this slot is out */
	char id_value[32];
	struct extra_lease *leases;
	size_t n_leases;
	int next_put;			/* registration cursor */
	int inflight;
	int registered;
	int churn_next;			/* restarts started */
	int churn_inflight;
	int churned;			/* restarts done */
	int done;
	int exit_code;
	bool stopping;
	size_t revokes;
};

static void extra_put_next(struct extra *x);
static void extra_grant(struct extra_lease *el);
static void extra_churn_next(struct extra *x);

static enum labd_role
extra_role(const struct extra *x, int i)
{
	(void)x;
	return i % 2 == 0 ? LABD_QUERYNODE : LABD_DATANODE;
}

/* ---- ServerIDs: one block of count from the session/id counter ---- */

static void extra_id_get(void *arg);

static void
extra_id_incr(const struct etcd_result *r, void *arg)
{
	struct extra *x = arg;
	size_t i;

	if (r->err != ETCD_OK || !r->succeeded) {
		loop_timer_add(x->loop, r->err != ETCD_OK ? EXTRA_RETRY_MS : 0, extra_id_get, x);
		return;
	}
	jsonraw_parse_int64(x->id_value, strlen(x->id_value), &x->first_id);
	for (i = 0; i < (size_t)x->count; i++)
		x->ids[i] = x->first_id + (int64_t)i;
	log_info("server ids %lld..%lld", (long long)x->first_id,
	    (long long)(x->first_id + x->count + x->churn - 1));
	for (i = 0; i < x->n_leases; i++)
		extra_grant(&x->leases[i]);
}

static void
extra_id_got(const struct etcd_result *r, void *arg)
{
	struct extra *x = arg;
	struct etcd_txn *t;
	char next[32], key[256];
	int64_t v;

	if (r->err != ETCD_OK) {
		loop_timer_add(x->loop, EXTRA_RETRY_MS, extra_id_get, x);
		return;
	}
	t = etcd_txn_new();
	if (r->n_kvs == 0) {
		/* checkIDExist: a counter that is not there starts at "1". */
		snprintf(key, sizeof key, "%sid", x->session_root);
		snprintf(x->id_value, sizeof x->id_value, "1");
		snprintf(next, sizeof next, "%d", 1 + x->count + x->churn);
		etcd_txn_cmp_int(t, key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
		etcd_txn_put(t, true, key, next, strlen(next), 0);
		etcd_txn_commit(x->etcd, t, extra_id_incr, x);
		return;
	}
	if (r->kvs[0].value_len >= sizeof x->id_value ||
	    jsonraw_parse_int64(r->kvs[0].value, r->kvs[0].value_len, &v) != 0 || v < 0) {
		etcd_txn_free(t);
		log_warn("server id: the counter holds no number");
		loop_timer_add(x->loop, EXTRA_RETRY_MS, extra_id_get, x);
		return;
	}
	memcpy(x->id_value, r->kvs[0].value, r->kvs[0].value_len);
	x->id_value[r->kvs[0].value_len] = '\0';
	snprintf(next, sizeof next, "%lld", (long long)v + x->count + x->churn);
	etcd_txn_cmp_value(t, r->kvs[0].key, ETCD_CMP_EQUAL, x->id_value, strlen(x->id_value));
	etcd_txn_put(t, true, r->kvs[0].key, next, strlen(next), 0);
	etcd_txn_commit(x->etcd, t, extra_id_incr, x);
}

static void
extra_id_get(void *arg)
{
	struct extra *x = arg;
	char key[256];

	snprintf(key, sizeof key, "%sid", x->session_root);
	if (etcd_range(x->etcd, key, NULL, 0, 0, extra_id_got, x) != 0)
		loop_timer_add(x->loop, EXTRA_RETRY_MS, extra_id_get, x);
}

/* ---- sessions ---- */

struct extra_put {
	struct extra *x;
	int i;
	int64_t new_id;			/* a restart's next ServerID */
};

static void
extra_put_done(const struct etcd_result *r, void *arg)
{
	struct extra_put *p = arg;
	struct extra *x = p->x;

	x->inflight--;
	if (r->err != ETCD_OK) {
		/* Its lease's next keepalive or re-grant registers it again. */
		log_warn("session %d: %s", p->i, r->errmsg);
	} else if (++x->registered == x->count) {
		log_info("%d sessions registered", x->count);
		if (x->churn > 0)
			log_info("restarting workers %d times", x->churn);
		extra_churn_next(x);
	}
	free(p);
	extra_put_next(x);
}

static void
extra_session_key(const struct extra *x, int i, char *key, size_t keylen)
{
	snprintf(key, keylen, "%s%s-%lld", x->session_root,
	    labd_role_name(extra_role(x, i)), (long long)x->ids[i]);
}

/* Put slot i's session under its current ServerID; cb gets p. */
static int
extra_put_session(struct extra *x, int i, etcd_cb cb, struct extra_put *p)
{
	struct labd_session_info info;
	struct extra_lease *el = &x->leases[i / LAB_EXTRA_PER_LEASE];
	enum labd_role role = extra_role(x, i);
	struct buf b;
	char ip[48], host[256], key[320];
	int rc;

	if (lab_extra_ip(x->net, i, ip, sizeof ip) != 0)
		return -1;
	snprintf(host, sizeof host, "%s-%d", x->host, i);
	labd_session_describe(&info, x->v, role, x->ids[i], ip, host, NULL, false);
	info.lease_id = el->id;
	buf_init(&b);
	labd_session_json(&b, &info);
	extra_session_key(x, i, key, sizeof key);
	rc = etcd_put(x->etcd, key, b.data, b.len, el->id, cb, p);
	buf_release(&b);
	return rc;
}

static void
extra_put_one(struct extra *x, int i)
{
	struct extra_put *p = xcalloc(1, sizeof *p);

	p->x = x;
	p->i = i;
	if (extra_put_session(x, i, extra_put_done, p) == 0)
		x->inflight++;
	else
		free(p);
}

/* ---- churn: restart workers, one delete and one put each ---- */

static void
extra_restart_end(struct extra_put *p, const char *what, const struct etcd_result *r)
{
	struct extra *x = p->x;

	if (r != NULL && r->err != ETCD_OK)
		log_warn("restart of worker %d: %s: %s", p->i, what, r->errmsg);
	x->restarting[p->i] = false;
	x->churn_inflight--;
	if (++x->churned == x->churn)
		log_info("%d restarts done", x->churn);
	free(p);
	extra_churn_next(x);
}

static void
extra_restart_put(const struct etcd_result *r, void *arg)
{
	extra_restart_end(arg, "register", r);
}

static void
extra_restart_deleted(const struct etcd_result *r, void *arg)
{
	struct extra_put *p = arg;
	struct extra *x = p->x;

	if (x->stopping) {
		extra_restart_end(p, "delete", NULL);
		return;
	}
	/* The node is back: a new ServerID, whatever became of the old key. */
	if (r->err != ETCD_OK)
		log_warn("restart of worker %d: delete: %s", p->i, r->errmsg);
	x->ids[p->i] = p->new_id;
	if (x->leases[p->i / LAB_EXTRA_PER_LEASE].id == 0 ||
	    extra_put_session(x, p->i, extra_restart_put, p) != 0)
		extra_restart_end(p, "register", NULL);	/* its lease's re-grant puts it */
}

static void
extra_churn_next(struct extra *x)
{
	while (!x->stopping && x->registered >= x->count &&
	    x->churn_inflight < EXTRA_INFLIGHT && x->churn_next < x->churn) {
		int i = x->churn_next % x->count;
		struct extra_put *p;
		char key[320];

		if (x->restarting[i])
			return;		/* its last restart is still out */
		p = xcalloc(1, sizeof *p);
		p->x = x;
		p->i = i;
		p->new_id = x->first_id + x->count + x->churn_next;
		x->churn_next++;
		extra_session_key(x, i, key, sizeof key);
		x->restarting[i] = true;
		x->churn_inflight++;
		if (etcd_delete(x->etcd, key, NULL, false, extra_restart_deleted, p) != 0)
			extra_restart_deleted(&(struct etcd_result){ .err = ETCD_EUNREACHABLE,
			    .errmsg = "not sent" }, p);
	}
}

/* Register the sessions whose lease is granted, EXTRA_INFLIGHT at a time. */
static void
extra_put_next(struct extra *x)
{
	while (!x->stopping && x->inflight < EXTRA_INFLIGHT && x->next_put < x->count) {
		int i = x->next_put;

		if (x->leases[i / LAB_EXTRA_PER_LEASE].id == 0)
			return;
		x->next_put++;
		extra_put_one(x, i);
	}
}

/* ---- leases ---- */

static void extra_keepalive(void *arg);

static void
extra_schedule(struct extra_lease *el, int64_t ms)
{
	if (el->timer != 0)
		loop_timer_cancel(el->x->loop, el->timer);
	el->timer = loop_timer_add(el->x->loop, ms, extra_keepalive, el);
}

static void
extra_granted(const struct etcd_result *r, void *arg)
{
	struct extra_lease *el = arg;
	struct extra *x = el->x;
	int first = (int)el->idx * LAB_EXTRA_PER_LEASE;

	el->busy = false;
	if (x->stopping)
		return;
	if (r->err != ETCD_OK) {
		el->timer = 0;
		extra_schedule(el, EXTRA_RETRY_MS);
		return;
	}
	el->id = r->lease_id;
	/* (Re-)register this lease's sessions: from the start after a re-grant. */
	if (x->next_put > first)
		x->next_put = first;
	extra_schedule(el, x->ttl * 1000 / 3);
	extra_put_next(x);
}

static void
extra_grant(struct extra_lease *el)
{
	el->busy = true;
	if (etcd_lease_grant(el->x->etcd, el->x->ttl, extra_granted, el) != 0) {
		el->busy = false;
		extra_schedule(el, EXTRA_RETRY_MS);
	}
}

static void
extra_kept(const struct etcd_result *r, void *arg)
{
	struct extra_lease *el = arg;
	struct extra *x = el->x;

	el->busy = false;
	if (x->stopping)
		return;
	if (r->err == ETCD_OK && r->ttl == 0) {
		log_warn("lease %lld expired; granting a new one", (long long)el->id);
		el->id = 0;
		extra_grant(el);
		return;
	}
	extra_schedule(el, r->err == ETCD_OK ? x->ttl * 1000 / 3 : EXTRA_RETRY_MS);
}

static void
extra_keepalive(void *arg)
{
	struct extra_lease *el = arg;

	el->timer = 0;
	if (el->busy || el->x->stopping)
		return;
	if (el->id == 0) {
		extra_grant(el);
		return;
	}
	el->busy = true;
	if (etcd_lease_keepalive(el->x->etcd, el->id, extra_kept, el) != 0) {
		el->busy = false;
		extra_schedule(el, EXTRA_RETRY_MS);
	}
}

/* ---- stop: revoke every lease (the keys go with them) ---- */

static void
extra_revoked(const struct etcd_result *r, void *arg)
{
	struct extra *x = arg;

	(void)r;
	if (--x->revokes == 0)
		x->done = 1;
}

static void
extra_signal(int signo, void *arg)
{
	struct extra *x = arg;
	size_t i;

	(void)signo;
	if (x->stopping)
		return;
	x->stopping = true;
	log_info("stopping: revoking %zu leases", x->n_leases);
	for (i = 0; i < x->n_leases; i++) {
		if (x->leases[i].timer != 0)
			loop_timer_cancel(x->loop, x->leases[i].timer);
		x->leases[i].timer = 0;
		if (x->leases[i].id != 0 &&
		    etcd_lease_revoke(x->etcd, x->leases[i].id, extra_revoked, x) == 0)
			x->revokes++;
	}
	if (x->revokes == 0)
		x->done = 1;
}

static int
extra_usage(const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "milvusadm-labd: %s\n", msg);
	fprintf(stderr, "usage: milvusadm-labd component --role extra-workers --count N "
	    "--ip IP --etcd URL[,URL...]\n"
	    "           [--root by-dev] [--milvus 2.4|2.5|2.6|3.0] [--ttl SECONDS] "
	    "[--hostname NAME] [--log FILE]\n"
	    "           [--churn M]\n");
	return 2;
}

bool
labd_extra_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && strcmp(argv[i + 1], LAB_EXTRA_ROLE) == 0)
			return true;
	}
	return false;
}

int
labd_extra_main(int argc, char **argv)
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
		{ "count", required_argument, NULL, 'c' },
		{ "churn", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ip = NULL, *etcd_arg = NULL, *root = "by-dev", *milvus = "2.5";
	const char *host = "extra-worker", *logfile = NULL;
	const char *endpoints[16];
	char *eps_copy, *tok, *save, err[256];
	struct etcd_opts eo;
	struct extra x;
	size_t n_eps = 0, i;
	int ch, a, b, c, d;

	memset(&x, 0, sizeof x);
	x.ttl = 10;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': case 'a': case 'D': break;
		case 'i': ip = optarg; break;
		case 'e': etcd_arg = optarg; break;
		case 'R': root = optarg; break;
		case 'm': milvus = optarg; break;
		case 'H': host = optarg; break;
		case 'l': logfile = optarg; break;
		case 't': x.ttl = strtol(optarg, NULL, 10); break;
		case 'c': x.count = (int)strtol(optarg, NULL, 10); break;
		case 'C': x.churn = (int)strtol(optarg, NULL, 10); break;
		default: return extra_usage(NULL);
		}
	}
	if (ip == NULL || etcd_arg == NULL || x.count < 1 || x.count > LAB_EXTRA_MAX ||
	    x.ttl < 1 || x.ttl > 3600)
		return extra_usage("--ip, --etcd and --count 1..10000 are required");
	if (x.churn < 0 || x.churn > LAB_EXTRA_CHURN_MAX)
		return extra_usage("--churn must be from 0 to 100000");
	if ((x.v = labd_version_find(milvus)) == NULL)
		return extra_usage("unknown Milvus version");
	/* --ip is the first extra address, 127.A.B+1.2: the lab's net is 127.A.B. */
	if (sscanf(ip, "%d.%d.%d.%d", &a, &b, &c, &d) != 4 || a != 127 || c < 1)
		return extra_usage("--ip is not the first extra address");
	snprintf(x.net, sizeof x.net, "127.%d.%d", b, c - 1);
	snprintf(x.session_root, sizeof x.session_root, "%s/meta/session/", root);
	snprintf(x.host, sizeof x.host, "%s", host);

	log_set_level(LOG_INFO);
	if (logfile != NULL && log_open(logfile) != 0) {
		fprintf(stderr, "milvusadm-labd: cannot open log '%s'\n", logfile);
		return 1;
	}
	log_set_ident("labd extra-workers");
	signal(SIGPIPE, SIG_IGN);
	eps_copy = xstrdup(etcd_arg);
	for (tok = strtok_r(eps_copy, ",", &save); tok != NULL && n_eps < 15;
	    tok = strtok_r(NULL, ",", &save))
		endpoints[n_eps++] = tok;
	endpoints[n_eps] = NULL;
	x.loop = loop_new();
	memset(&eo, 0, sizeof eo);
	eo.endpoints = endpoints;
	eo.timeout_ms = 3000;
	if (n_eps == 0 || (x.etcd = etcd_new(x.loop, &eo, err, sizeof err)) == NULL) {
		fprintf(stderr, "milvusadm-labd: etcd: %s\n", n_eps == 0 ? "no URL" : err);
		free(eps_copy);
		loop_free(x.loop);
		return 1;
	}
	x.n_leases = ((size_t)x.count + LAB_EXTRA_PER_LEASE - 1) / LAB_EXTRA_PER_LEASE;
	x.leases = xcalloc(x.n_leases, sizeof *x.leases);
	x.ids = xcalloc((size_t)x.count, sizeof *x.ids);
	x.restarting = xcalloc((size_t)x.count, sizeof *x.restarting);
	for (i = 0; i < x.n_leases; i++) {
		x.leases[i].x = &x;
		x.leases[i].idx = i;
	}
	loop_signal(x.loop, SIGTERM, extra_signal, &x);
	loop_signal(x.loop, SIGINT, extra_signal, &x);
	log_info("registering %d worker sessions from %s on %zu leases (ttl %llds), "
	    "then %d restarts", x.count, ip, x.n_leases, (long long)x.ttl, x.churn);
	extra_id_get(&x);
	loop_run_until(x.loop, &x.done, -1);

	loop_signal(x.loop, SIGTERM, NULL, NULL);
	loop_signal(x.loop, SIGINT, NULL, NULL);
	etcd_free(x.etcd);
	loop_free(x.loop);
	free(x.leases);
	free(x.ids);
	free(x.restarting);
	free(eps_copy);
	return x.exit_code;
}
