/* SPDX-License-Identifier: MIT */
/* Active-standby elections for the lab: 2.3-2.5 watch-and-retry (§2.3), 2.6.8+
 * mixcoord's polled multi-key txn (§2.4), and DataCoord's ForceActiveStandby
 * of the indexcoord session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/log.h"
#include "labd.h"

#define RETRY_MS	100	/* Milvus's sleep between election attempts */

static void sess_elect(struct labd_sess *s);
static void sess_poll26(struct labd_sess *s);

/* ---- election, 2.3-2.5 and 2.6.0-2.6.7 (§2.3) ---- */

static void
on_elect_watch(const struct etcd_watch_msg *m, void *arg)
{
	struct labd_sess *s = arg;
	size_t i;

	if (s->stopping || s->d->done)
		return;
	switch (m->kind) {
	case ETCD_WATCH_CREATED:
		return;
	case ETCD_WATCH_EVENTS:
		/*
		 * Milvus watches from the failed txn's header revision and retries
		 * on any response. An event at that very revision was already seen
		 * by the failed txn; Milvus clusters write TSO keys all the time so
		 * the revision moves on, but an idle lab would spin on it.
		 */
		for (i = 0; i < m->n_events; i++) {
			if (m->events[i].kv.mod_revision > s->elect_rev)
				break;
		}
		if (i == m->n_events)
			return;
		/* What the standby saw is the ground truth of the key going away
		 * (a killed active logs nothing itself). */
		if (m->events[i].type == ETCD_EV_DELETE)
			labd_event(s->d, "active-vacated", "role=%s revision=%lld",
			    labd_role_name(s->role), (long long)m->events[i].kv.mod_revision);
		etcd_watch_stop(s->elect_watch);
		s->elect_watch = NULL;
		sess_elect(s);
		return;
	case ETCD_WATCH_RESYNC:
	case ETCD_WATCH_DOWN:
		etcd_watch_stop(s->elect_watch);
		s->elect_watch = NULL;
		labd_sess_retry(s, RETRY_MS);
		return;
	}
}

static void
on_elect(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err != 0) {
		/* Retried every 100 ms, possibly for ever (a standby whose lease is
		 * gone, §2.7 note): log the first of every 100. */
		if (s->elect_errors++ % 100 == 0)
			log_warn("election for '%s': %s (%u times)", s->active_key, r->errmsg,
			    s->elect_errors);
		labd_sess_retry(s, RETRY_MS);
		return;
	}
	if (r->succeeded) {
		labd_sess_became_active(s, r->header.revision);
		return;
	}
	log_debug("'%s' has an active holder; standing by", s->active_key);
	s->elect_rev = r->header.revision;
	s->elect_watch = etcd_watch_start(s->d->etcd, s->active_key, NULL,
	    r->header.revision, ETCD_WATCH_PREV_KV, on_elect_watch, s);
	if (s->elect_watch == NULL)
		labd_sess_retry(s, RETRY_MS);
}

static void
sess_elect(struct labd_sess *s)
{
	struct etcd_txn *t = etcd_txn_new();
	size_t len;
	char *json = labd_sess_json(s, s->role, &len);

	etcd_txn_cmp_int(t, s->active_key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	etcd_txn_put(t, true, s->active_key, json, len, s->lease);
	free(json);
	etcd_txn_commit(s->d->etcd, t, on_elect, s);
}

/* ---- election, 2.6.8+ mixcoord (§2.4) ---- */

static const enum labd_role legacy_roles[3] = {
	LABD_ROOTCOORD, LABD_DATACOORD, LABD_QUERYCOORD
};

/* Errors abort a 2.6.8+ standby; an unreachable etcd is retried. */
static void
sess_poll26_error(struct labd_sess *s, const struct etcd_result *r)
{
	char why[640];

	if (r->err == ETCD_ESERVER) {
		snprintf(why, sizeof why, "standby of '%s' aborted: %s", s->active_key, r->errmsg);
		labd_fence(s->d, "standby-aborted", why);
		return;
	}
	if (s->elect_errors++ % 100 == 0)
		log_warn("election for '%s': %s (%u times)", s->active_key, r->errmsg,
		    s->elect_errors);
	s->poll_step = 0;
	labd_sess_retry(s, RETRY_MS);
}

static void
on_elect26(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err != 0) {
		sess_poll26_error(s, r);
		return;
	}
	if (r->succeeded) {
		labd_sess_became_active(s, r->header.revision);
		return;
	}
	s->poll_step = 0;
	labd_sess_retry(s, RETRY_MS);
}

static void
sess_txn26(struct labd_sess *s)
{
	struct etcd_txn *t = etcd_txn_new();
	char key[4][256], vkey[256];
	enum labd_role as[4] = { LABD_MIXCOORD, LABD_QUERYCOORD, LABD_DATACOORD, LABD_ROOTCOORD };
	size_t i, len;
	char *json;

	for (i = 0; i < 4; i++) {
		snprintf(key[i], sizeof key[i], "%s%s", s->d->session_root, labd_role_name(as[i]));
		etcd_txn_cmp_int(t, key[i], ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	}
	snprintf(vkey, sizeof vkey, "%sversion", s->d->session_root);
	etcd_txn_cmp_int(t, vkey, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, s->version_ver);
	for (i = 0; i < 4; i++) {
		json = labd_sess_json(s, as[i], &len);
		etcd_txn_put(t, true, key[i], json, len, s->lease);
		free(json);
	}
	etcd_txn_put(t, true, vkey, s->d->v->semver, strlen(s->d->v->semver), 0);
	etcd_txn_commit(s->d->etcd, t, on_elect26, s);
}

static void
on_poll26(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;
	int maj, min;

	if (s->stopping || s->d->done)
		return;
	if (r->err != 0) {
		sess_poll26_error(s, r);
		return;
	}
	if (s->poll_step < 3) {
		if (r->n_kvs > 0) {
			/* An active (or old) coordinator holds legacy keys: poll again. */
			s->poll_step = 0;
			labd_sess_retry(s, RETRY_MS);
			return;
		}
		s->poll_step++;
		sess_poll26(s);
		return;
	}
	s->version_ver = 0;
	if (r->n_kvs == 1) {
		s->version_ver = r->kvs[0].version;
		if (sscanf(r->kvs[0].value, "%d.%d", &maj, &min) == 2 &&
		    (maj > s->d->v->major || (maj == s->d->v->major && min > s->d->v->minor))) {
			labd_fence(s->d, "version-check", "session version check failure");
			return;
		}
	}
	sess_txn26(s);
}

static void
sess_poll26(struct labd_sess *s)
{
	char key[256];

	if (s->poll_step < 3) {
		snprintf(key, sizeof key, "%s%s", s->d->session_root,
		    labd_role_name(legacy_roles[s->poll_step]));
		etcd_range_prefix(s->d->etcd, key, 0, on_poll26, s);
	} else {
		snprintf(key, sizeof key, "%sversion", s->d->session_root);
		etcd_range(s->d->etcd, key, NULL, 0, 0, on_poll26, s);
	}
}

/* ---- DataCoord's ForceActiveStandby on the indexcoord session (§2.3) ---- */

static void
on_force_put(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;

	if (s->stopping || s->d->done)
		return;
	if (r->err == 0 && r->succeeded) {
		s->active = true;
		log_info("'%s' forced active", s->active_key);
		labd_event(s->d, "active-gained", "role=%s server_id=%lld revision=%lld "
		    "lease=%lld", labd_role_name(s->role), (long long)s->info.server_id,
		    (long long)r->header.revision, (long long)s->lease);
		return;
	}
	labd_sess_retry(s, RETRY_MS);
}

static void
force_put(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;
	struct etcd_txn *t;
	size_t len;
	char *json;

	if (s->stopping || s->d->done)
		return;
	t = etcd_txn_new();
	json = labd_sess_json(s, s->role, &len);
	etcd_txn_cmp_int(t, s->active_key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	etcd_txn_put(t, true, s->active_key, json, len, s->lease);
	free(json);
	etcd_txn_commit(s->d->etcd, t, on_force_put, s);
}

static void
on_force_range(const struct etcd_result *r, void *arg)
{
	struct labd_sess *s = arg;
	struct etcd_txn *t;
	int64_t lease = 0, id;
	bool have_active = false;
	size_t i, plen = strlen(s->d->session_root);

	if (s->stopping || s->d->done)
		return;
	if (r->err != 0) {
		labd_sess_retry(s, RETRY_MS);
		return;
	}
	for (i = 0; i < r->n_kvs; i++) {
		if (strcmp(r->kvs[i].key, s->active_key) == 0) {
			have_active = true;
			if (jsonraw_top_int64(r->kvs[i].value, r->kvs[i].value_len,
			    "LeaseID", &lease) != 0)
				lease = 0;
		}
	}
	if (have_active && lease != 0) {
		log_info("revoking lease %lld of the old '%s'", (long long)lease, s->active_key);
		etcd_lease_revoke(s->d->etcd, lease, force_put, s);
		return;
	}
	if (r->n_kvs == 0) {
		force_put(r, s);
		return;
	}
	/* No usable active key: delete it and every other instance's key. */
	t = etcd_txn_new();
	etcd_txn_delete(t, true, s->active_key, NULL);
	for (i = 0; i < r->n_kvs; i++) {
		const char *name = r->kvs[i].key + plen;

		if (strncmp(name, "indexcoord-", 11) != 0 ||
		    jsonraw_parse_int64(name + 11, strlen(name + 11), &id) != 0 ||
		    id == s->info.server_id)
			continue;
		etcd_txn_delete(t, true, r->kvs[i].key, NULL);
	}
	etcd_txn_commit(s->d->etcd, t, force_put, s);
}

void
labd_force_active(struct labd_sess *s)
{
	char prefix[256];

	snprintf(prefix, sizeof prefix, "%s%s", s->d->session_root, labd_role_name(s->role));
	etcd_range_prefix(s->d->etcd, prefix, 0, on_force_range, s);
}

void
labd_elect(struct labd_sess *s)
{
	if (s->d->v->mix_legacy) {
		s->poll_step = 0;
		sess_poll26(s);
	} else
		sess_elect(s);
}
