/* SPDX-License-Identifier: MIT */
/* The lab's readiness check: etcd status, Milvus session keys and proxy /healthz,
 * read exactly as they would be read on a production cluster. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/lab.h"
#include "milvusadm/session.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "lab-ready.h"

#define READY_MAX_ROLES 16

struct role_count {
	const char *role;
	int sessions;			/* <role>-<id> keys, not stopping */
	bool active;			/* the bare <role> key */
};

static struct role_count *
ready_role(struct role_count *rc, size_t n, const char *role, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strlen(rc[i].role) == len && strncmp(rc[i].role, role, len) == 0)
			return &rc[i];
	}
	return NULL;
}

static int
ready_etcd(struct etcd *e, char **endpoints, struct buf *why)
{
	struct etcd_result *r;
	int ok = 1;
	size_t i;

	for (i = 0; endpoints[i] != NULL; i++) {
		r = etcd_status_sync(e, endpoints[i]);
		if (r->err != ETCD_OK) {
			buf_printf(why, "  etcd %s does not answer status: %s\n", endpoints[i],
			    r->errmsg);
			ok = 0;
		}
		etcd_result_free(r);
	}
	return ok;
}

static int
ready_sessions(struct etcd *e, const struct lab *lab, struct buf *why)
{
	const char *const *roles = lab_session_roles(lab);
	struct role_count rc[READY_MAX_ROLES];
	struct etcd_result *r;
	struct session s;
	char *prefix, err[256];
	size_t n = 0, i;
	int ok = 1;

	for (i = 0; roles[i] != NULL && n < READY_MAX_ROLES; i++)
		rc[n++] = (struct role_count){ roles[i], 0, false };
	prefix = xasprintf("%s/meta/session/", lab->root);
	r = etcd_range_prefix_sync(e, prefix, 0);
	free(prefix);
	if (r->err != ETCD_OK) {
		buf_printf(why, "  cannot read the sessions: %s\n", r->errmsg);
		etcd_result_free(r);
		return 0;
	}
	for (i = 0; i < r->n_kvs; i++) {
		struct role_count *c;
		size_t len;

		if (session_parse(r->kvs[i].key, r->kvs[i].value, r->kvs[i].value_len, &s,
		    err, sizeof err) != 1)
			continue;
		len = strlen(s.key);
		if (!s.active_key) {
			const char *dash = strrchr(s.key, '-');
			len = dash != NULL ? (size_t)(dash - s.key) : len;
		}
		c = ready_role(rc, n, s.key, len);
		if (c != NULL && s.active_key)
			c->active = true;
		else if (c != NULL && !s.stopping)
			c->sessions++;
		session_clear(&s);
	}
	etcd_result_free(r);
	for (i = 0; i < n; i++) {
		bool want_active;
		int want = lab_expected_sessions(lab, rc[i].role, &want_active);

		if (rc[i].sessions < want) {
			buf_printf(why, "  %s: %d of %d sessions registered\n", rc[i].role,
			    rc[i].sessions, want);
			ok = 0;
		}
		if (want_active && !rc[i].active) {
			buf_printf(why, "  %s: no active coordinator (key '%s/meta/session/%s' "
			    "missing)\n", rc[i].role, lab->root, rc[i].role);
			ok = 0;
		}
	}
	return ok;
}

static int
ready_proxies(struct loop *loop, const struct lab *lab, struct buf *why)
{
	char url[128], errmsg[256];
	struct http_opts o;
	long status;
	size_t i;
	int ok = 1, err;

	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];

		if (strcmp(m->role, "proxy") != 0 && strcmp(m->role, "standalone") != 0)
			continue;
		snprintf(url, sizeof url, "http://%s:%d/healthz", m->ip, LAB_METRICS_PORT);
		memset(&o, 0, sizeof o);
		o.url = url;
		o.timeout_ms = 2000;
		o.connect_timeout_ms = 1000;
		o.max_response = 64 * 1024;
		status = 0;
		err = http_sync(loop, &o, &status, NULL, NULL, errmsg, sizeof errmsg);
		if (err != HTTP_OK) {
			buf_printf(why, "  %s: %s: %s\n", m->name, url, errmsg);
			ok = 0;
		} else if (status != 200) {
			buf_printf(why, "  %s: %s answers %ld\n", m->name, url, status);
			ok = 0;
		}
	}
	return ok;
}

/* The backup server answers milvus-backup's greeting, as a client checks it. */
static int
ready_backup(struct loop *loop, const struct lab *lab, struct buf *why)
{
	static const char hello[] = "Hello, This is backup service";
	char url[128], errmsg[256], *body = NULL;
	struct http_opts o;
	long status;
	size_t i;
	int ok = 1, err;

	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];

		if (strcmp(m->role, LAB_BACKUP_ROLE) != 0)
			continue;
		snprintf(url, sizeof url, "http://%s:%d/api/v1/hello", m->ip, LAB_BACKUP_PORT);
		memset(&o, 0, sizeof o);
		o.url = url;
		o.timeout_ms = 2000;
		o.connect_timeout_ms = 1000;
		o.max_response = 64 * 1024;
		status = 0;
		err = http_sync(loop, &o, &status, &body, NULL, errmsg, sizeof errmsg);
		if (err != HTTP_OK || status != 200 || body == NULL ||
		    strncmp(body, hello, sizeof hello - 1) != 0) {
			buf_printf(why, "  %s: %s: %s\n", m->name, url, err != HTTP_OK ? errmsg :
			    "no milvus-backup greeting");
			ok = 0;
		}
		free(body);
		body = NULL;
	}
	return ok;
}

int
lab_ready_check(struct loop *loop, const struct lab *lab, struct buf *why)
{
	char **endpoints = lab_etcd_endpoints(lab), err[256];
	struct etcd_opts eo;
	struct etcd *e;
	int ok;

	memset(&eo, 0, sizeof eo);
	eo.endpoints = (const char *const *)endpoints;
	eo.timeout_ms = 2000;
	e = etcd_new(loop, &eo, err, sizeof err);
	if (e == NULL) {
		buf_printf(why, "  etcd client: %s\n", err);
		lab_strv_free(endpoints);
		return 0;
	}
	ok = ready_etcd(e, endpoints, why);
	/* Sessions and proxies are only worth asking about once etcd answers. */
	if (ok) {
		ok = ready_sessions(e, lab, why);
		ok = ready_proxies(loop, lab, why) && ok;
		ok = ready_backup(loop, lab, why) && ok;
	}
	etcd_free(e);
	lab_strv_free(endpoints);
	return ok;
}

/* ---- sample data: made through the REST v2 API, as a user would ---- */

struct sample_coll {
	const char *db;
	const char *name;
	int rows;
	int replicas;			/* 0 = leave it released */
	const char *alias;		/* NULL = none */
};

static const struct sample_coll sample_colls[] = {
	{ "default", "docs", 1000, 2, "docs_current" },
	{ "default", "images", 500, 2, NULL },
	{ "default", "archive", 200, 0, NULL },
	{ "analytics", "events", 300, 2, NULL },
};

#define SAMPLE_DIM		8
#define SAMPLE_BATCH		250
#define SAMPLE_LOAD_WAIT_MS	15000

/* POST one REST v2 call; 0 when the answer says code 0 (body in *out if asked). */
static int
sample_call(struct loop *loop, const char *base, const char *path, const char *body,
    char **out, struct buf *why)
{
	char url[256], errmsg[256], *resp = NULL;
	struct http_opts o;
	long status = 0;
	int err;

	snprintf(url, sizeof url, "%s/v2/vectordb/%s", base, path);
	memset(&o, 0, sizeof o);
	o.method = "POST";
	o.url = url;
	o.body = body;
	o.content_type = "application/json";
	o.timeout_ms = 5000;
	o.max_response = 1024 * 1024;
	err = http_sync(loop, &o, &status, &resp, NULL, errmsg, sizeof errmsg);
	if (err != HTTP_OK || status != 200 || resp == NULL ||
	    strncmp(resp, "{\"code\":0", 9) != 0) {
		buf_printf(why, "  %s: %s\n", path, err != HTTP_OK ? errmsg :
		    resp != NULL ? resp : "no answer");
		free(resp);
		return -1;
	}
	if (out != NULL)
		*out = resp;
	else
		free(resp);
	return 0;
}

static int
sample_insert(struct loop *loop, const char *base, const struct sample_coll *c,
    struct buf *why)
{
	struct buf b = BUF_INIT;
	int i, j, k, rc = 0;

	for (i = 0; i < c->rows && rc == 0; i += SAMPLE_BATCH) {
		buf_reset(&b);
		buf_printf(&b, "{\"dbName\":\"%s\",\"collectionName\":\"%s\",\"data\":[", c->db,
		    c->name);
		for (j = i; j < c->rows && j < i + SAMPLE_BATCH; j++) {
			buf_printf(&b, "%s{\"id\":%d,\"vector\":[", j > i ? "," : "", j + 1);
			for (k = 0; k < SAMPLE_DIM; k++)
				buf_printf(&b, "%s%.3f", k ? "," : "", (double)((j * 7 + k * 13) % 100) /
				    100.0);
			buf_adds(&b, "]}");
		}
		buf_adds(&b, "]}");
		rc = sample_call(loop, base, "entities/insert", b.data, NULL, why);
	}
	buf_release(&b);
	return rc;
}

static bool
sample_loaded(struct loop *loop, const char *base, const struct sample_coll *c,
    struct buf *why)
{
	char body[512], *resp = NULL;
	bool ok;

	snprintf(body, sizeof body, "{\"dbName\":\"%s\",\"collectionName\":\"%s\"}", c->db,
	    c->name);
	if (sample_call(loop, base, "collections/get_load_state", body, &resp, why) != 0)
		return false;
	ok = strstr(resp, "LoadStateLoaded") != NULL;
	free(resp);
	return ok;
}

/* One collection, made only when it does not exist yet. */
static int
sample_collection(struct loop *loop, const char *base, const struct sample_coll *c,
    int replicas, struct buf *why)
{
	char body[512], *resp = NULL;
	bool has;

	snprintf(body, sizeof body, "{\"dbName\":\"%s\",\"collectionName\":\"%s\"}", c->db,
	    c->name);
	if (sample_call(loop, base, "collections/has", body, &resp, why) != 0)
		return -1;
	has = strstr(resp, "\"has\":true") != NULL;
	free(resp);
	if (has)
		return 0;
	/* Quick setup loads with one replica; release, fill, then load as wanted. */
	snprintf(body, sizeof body, "{\"dbName\":\"%s\",\"collectionName\":\"%s\","
	    "\"dimension\":%d}", c->db, c->name, SAMPLE_DIM);
	if (sample_call(loop, base, "collections/create", body, NULL, why) != 0)
		return -1;
	snprintf(body, sizeof body, "{\"dbName\":\"%s\",\"collectionName\":\"%s\"}", c->db,
	    c->name);
	if (sample_call(loop, base, "collections/release", body, NULL, why) != 0 ||
	    sample_insert(loop, base, c, why) != 0)
		return -1;
	if (c->alias != NULL) {
		snprintf(body, sizeof body, "{\"dbName\":\"%s\",\"collectionName\":\"%s\","
		    "\"aliasName\":\"%s\"}", c->db, c->name, c->alias);
		if (sample_call(loop, base, "aliases/create", body, NULL, why) != 0)
			return -1;
	}
	if (replicas > 0) {
		snprintf(body, sizeof body, "{\"dbName\":\"%s\",\"collectionName\":\"%s\","
		    "\"replicaNumber\":%d}", c->db, c->name, replicas);
		if (sample_call(loop, base, "collections/load", body, NULL, why) != 0)
			return -1;
	}
	return 0;
}

int
lab_sample_data(struct loop *loop, const struct lab *lab, struct buf *why)
{
	bool databases = strcmp(lab->milvus, "2.5") == 0 || strcmp(lab->milvus, "2.6") == 0 ||
	    strcmp(lab->milvus, "3.0") == 0;
	char base[128], *resp = NULL;
	const char *ip = NULL;
	int64_t deadline;
	size_t i;
	int replicas;

	/* 2.3 has no REST v2 to make them with. */
	if (strcmp(lab->milvus, "2.3") == 0)
		return 0;
	for (i = 0; i < lab->n_members && ip == NULL; i++) {
		if (strcmp(lab->members[i].role, "proxy") == 0 ||
		    strcmp(lab->members[i].role, "standalone") == 0)
			ip = lab->members[i].ip;
	}
	if (ip == NULL)
		return 0;
	snprintf(base, sizeof base, "http://%s:%d", ip, LAB_PROXY_PORT);
	if (databases) {
		if (sample_call(loop, base, "databases/list", "{}", &resp, why) != 0)
			return -1;
		if (strstr(resp, "\"analytics\"") == NULL &&
		    sample_call(loop, base, "databases/create", "{\"dbName\":\"analytics\"}", NULL,
		    why) != 0) {
			free(resp);
			return -1;
		}
		free(resp);
	}
	for (i = 0; i < sizeof sample_colls / sizeof sample_colls[0]; i++) {
		if (strcmp(sample_colls[i].db, "default") != 0 && !databases)
			continue;
		/* A standalone lab has one querynode: one replica each. */
		replicas = sample_colls[i].replicas > 0 && lab->standalone ? 1 :
		    sample_colls[i].replicas;
		if (sample_collection(loop, base, &sample_colls[i], replicas, why) != 0)
			return -1;
	}
	/* Wait for the querycoord to have loaded them, so the lab is ready to use. */
	deadline = time_mono_ms() + SAMPLE_LOAD_WAIT_MS;
	for (i = 0; i < sizeof sample_colls / sizeof sample_colls[0]; i++) {
		if (sample_colls[i].replicas == 0 ||
		    (strcmp(sample_colls[i].db, "default") != 0 && !databases))
			continue;
		while (!sample_loaded(loop, base, &sample_colls[i], why)) {
			if (time_mono_ms() >= deadline) {
				buf_printf(why, "  '%s' is not loaded after %d s\n",
				    sample_colls[i].name, SAMPLE_LOAD_WAIT_MS / 1000);
				return -1;
			}
			loop_once(loop, 100);
		}
	}
	return 0;
}
