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
	}
	etcd_free(e);
	lab_strv_free(endpoints);
	return ok;
}
