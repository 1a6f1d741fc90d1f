/* SPDX-License-Identifier: MIT */
/* What the active coordinators do with the catalog: rootcoord writes the
 * default database; the active querycoord (2.6: mixcoord) watches <root>/meta/
 * (sessions, load infos) and keeps the replicas in etcd in line with the
 * live querynodes (plan in labd-replica-plan.c). Only the active one runs. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rest.h"

#define QC_DEBOUNCE_MS	20	/* gather a burst of events into one pass */
#define QC_PERIOD_MS	500	/* also look regularly: loads turn Loaded by time */
#define QC_RETRY_MS	500

struct labd_qc {
	struct labd *d;
	struct labd_comp *comp;
	struct etcd_watch *watch;
	uint64_t timer;
	bool busy;			/* a pass is reading or committing */
	bool again;			/* something changed during the pass */
	bool stopped;			/* freed when the pass in flight ends */
	unsigned int errors;
};

static void qc_pass(void *arg);

static void
qc_schedule(struct labd_qc *qc, int64_t ms)
{
	if (qc->timer != 0)
		loop_timer_cancel(qc->d->loop, qc->timer);
	qc->timer = loop_timer_add(qc->d->loop, ms, qc_pass, qc);
}

static void
qc_pass_done(struct labd_qc *qc, int64_t next_ms)
{
	qc->busy = false;
	if (qc->stopped) {
		free(qc);
		return;
	}
	qc_schedule(qc, qc->again ? 0 : next_ms);
	qc->again = false;
}

static void
on_qc_commit(struct labd *d, int rc, const char *err, void *arg)
{
	struct labd_qc *qc = arg;

	if (rc == -1 && qc->errors++ % 20 == 0)
		log_warn("querycoord: writing replicas: %s", err);
	if (rc == 0)
		log_info("querycoord: replicas updated");
	/* A lost race (rc 1) runs again at once on a fresh snapshot. */
	qc->again = qc->again || rc == 1;
	qc_pass_done(qc, rc == -1 ? QC_RETRY_MS : QC_PERIOD_MS);
}

static void
on_qc_snapshot(struct labd *d, struct lstore *s, const char *err, void *arg)
{
	struct labd_qc *qc = arg;
	struct lstore_ops ops;

	if (qc->stopped || s == NULL) {
		if (s == NULL && !qc->stopped && qc->errors++ % 20 == 0)
			log_warn("querycoord: reading the catalog: %s", err);
		lstore_free(s);
		qc_pass_done(qc, QC_RETRY_MS);
		return;
	}
	memset(&ops, 0, sizeof ops);
	lreplica_plan(s, time_wall_ms(), &ops);
	lstore_free(s);
	if (ops.n == 0) {
		qc_pass_done(qc, QC_PERIOD_MS);
		return;
	}
	labd_commit(d, &ops, on_qc_commit, qc);
	lstore_ops_release(&ops);
}

static void
qc_pass(void *arg)
{
	struct labd_qc *qc = arg;

	qc->timer = 0;
	if (qc->busy) {
		qc->again = true;
		return;
	}
	qc->busy = true;
	labd_snapshot(qc->d, on_qc_snapshot, qc);
}

/* Any change under <root>/meta/ may be a querynode joining, leaving or
 * stopping, or a load or release: plan again soon. Our own writes come back
 * here too; the pass that follows finds nothing to do. */
static void
on_qc_watch(const struct etcd_watch_msg *m, void *arg)
{
	struct labd_qc *qc = arg;

	if (m->kind != ETCD_WATCH_EVENTS && m->kind != ETCD_WATCH_RESYNC)
		return;
	if (qc->busy)
		qc->again = true;
	else
		qc_schedule(qc, QC_DEBOUNCE_MS);
}

static void
qc_start(struct labd_comp *c)
{
	struct labd *d = c->d;
	struct labd_qc *qc;
	char *prefix, *end;

	if (d->qc != NULL)
		return;
	qc = xcalloc(1, sizeof *qc);
	qc->d = d;
	qc->comp = c;
	d->qc = qc;
	prefix = xasprintf("%s/meta/", d->root);
	end = etcd_prefix_end(prefix, strlen(prefix), NULL);
	qc->watch = etcd_watch_start(d->etcd, prefix, end, 0, 0, on_qc_watch, qc);
	free(prefix);
	free(end);
	log_info("querycoord: assigning replicas");
	qc_schedule(qc, 0);
}

static void
on_default_db(const struct etcd_result *r, void *arg)
{
	if (r->err != 0)
		log_warn("rootcoord: writing the default database: %s", r->errmsg);
}

static void
on_rbac_init(struct labd *d, int rc, const char *err, void *arg)
{
	(void)d;
	(void)arg;
	if (rc == -1)
		log_warn("rootcoord: writing the built-in roles: %s", err);
}

/* initCredentials and initRbac: user root, roles admin and public and
 * public's default grants, unless they are there (guarded in the txn). */
static void
rootcoord_rbac(struct labd *d)
{
	struct lstore *s = lstore_new(d->root);
	struct lstore_ops ops;

	lstore_sort(s);
	memset(&ops, 0, sizeof ops);
	lstore_rbac_init_ops(s, &ops);
	labd_commit(d, &ops, on_rbac_init, NULL);
	lstore_ops_release(&ops);
	lstore_free(s);
}

/* InitDefaultDatabase: db-info/1 for "default", unless it is there. */
static void
rootcoord_start(struct labd *d)
{
	struct lstore *s = lstore_new(d->root);
	struct lstore_db db = { LSTORE_DEFAULT_DB_ID, (char *)"default", 0, (char *)"[]" };
	struct etcd_txn *t = etcd_txn_new();
	char *key = lstore_db_key(s, LSTORE_DEFAULT_DB_ID), *val;

	db.created = time_wall_ms();
	val = lstore_db_json(&db);
	etcd_txn_cmp_int(t, key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	etcd_txn_put(t, true, key, val, strlen(val), 0);
	etcd_txn_commit(d->etcd, t, on_default_db, NULL);
	free(key);
	free(val);
	lstore_free(s);
	rootcoord_rbac(d);
}

void
labd_duties_start(struct labd_comp *c)
{
	if (c->role == LABD_ROOTCOORD || c->role == LABD_MIXCOORD)
		rootcoord_start(c->d);
	if (c->role == LABD_QUERYCOORD || c->role == LABD_MIXCOORD)
		qc_start(c);
}

void
labd_duties_stop(struct labd_comp *c)
{
	struct labd_qc *qc = c->d->qc;

	if (qc == NULL || qc->comp != c)
		return;
	c->d->qc = NULL;
	if (qc->watch != NULL)
		etcd_watch_stop(qc->watch);
	if (qc->timer != 0)
		loop_timer_cancel(c->d->loop, qc->timer);
	qc->stopped = true;
	/* A pass in flight owns it until its callback, unless the loop is over
	 * (etcd_free then cancels that callback): else free it now. */
	if (!qc->busy || c->d->done)
		free(qc);
}
