/* SPDX-License-Identifier: MIT */
/* Asynchronous client for a component's 9091 port: health, readiness, stop,
 * metrics and replicas, each one bounded HTTP call on the loop. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/http_call.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

#define MGMT_TIMEOUT_MS		3000L
#define MGMT_MAX_SMALL		(1u * 1024 * 1024)
#define MGMT_MAX_REPLICAS	(8u * 1024 * 1024)
#define MGMT_MAX_METRICS	(32u * 1024 * 1024)
#define MGMT_MAX_KEEP		64

enum mgmt_kind { MK_HEALTHZ, MK_READY, MK_STOP, MK_METRICS, MK_REPLICAS_V1, MK_REPLICAS_QC };

struct mgmt_call {
	struct http_call hc;		/* first: the shared bookkeeping */
	struct milvus_mgmt *m;
	enum mgmt_kind kind;
	bool admin;			/* a route adminAuthEnabled protects */
	char url[160];			/* without credentials, for messages */
	char **keep;			/* metrics name prefixes, NULL-terminated */
	int64_t collection_id;		/* QC filter */
};

struct milvus_mgmt {
	struct loop *loop;
	char *token;
	char *admin_user, *admin_password;
	struct http_tls tls;
	long timeout_ms;
	size_t max_response;
	struct http_calls calls;
};

static void mgmt_call_release(struct http_call *hc);
static void mgmt_invoke(http_call_fn cb, void *res, void *arg);
static void mgmt_result_free(void *res);

static const struct http_call_ops mgmt_ops = {
	mgmt_call_release, mgmt_invoke, mgmt_result_free,
};

static char *
mgmt_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct milvus_mgmt *
milvus_mgmt_new(struct loop *l, const struct milvus_mgmt_opts *o)
{
	struct milvus_mgmt *m = xcalloc(1, sizeof *m);

	m->loop = l;
	http_calls_init(&m->calls, l, &mgmt_ops);
	if (o != NULL) {
		m->token = mgmt_strdup(o->token);
		if (o->admin_user != NULL && *o->admin_user != '\0') {
			m->admin_user = xstrdup(o->admin_user);
			m->admin_password = xstrdup(o->admin_password != NULL ?
			    o->admin_password : "");
		}
		m->tls.ca_file = mgmt_strdup(o->tls.ca_file);
		m->tls.cert_file = mgmt_strdup(o->tls.cert_file);
		m->tls.key_file = mgmt_strdup(o->tls.key_file);
		m->tls.insecure = o->tls.insecure;
		m->timeout_ms = o->timeout_ms;
		m->max_response = o->max_response;
	}
	if (m->timeout_ms <= 0)
		m->timeout_ms = MGMT_TIMEOUT_MS;
	return m;
}

static void
mgmt_call_release(struct http_call *hc)
{
	struct mgmt_call *c = (struct mgmt_call *)hc;
	size_t i;

	for (i = 0; c->keep != NULL && c->keep[i] != NULL; i++)
		free(c->keep[i]);
	free(c->keep);
	free(c);
}

static void
mgmt_invoke(http_call_fn cb, void *res, void *arg)
{
	((milvus_mgmt_cb)cb)(res, arg);
}

static void
mgmt_result_free(void *res)
{
	milvus_mgmt_result_free(res);
}

static void
mgmt_wipe_free(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

void
milvus_mgmt_free(struct milvus_mgmt *m)
{
	if (m == NULL)
		return;
	http_calls_cancel(&m->calls);
	mgmt_wipe_free(m->token);
	free(m->admin_user);
	mgmt_wipe_free(m->admin_password);
	free((char *)m->tls.ca_file);
	free((char *)m->tls.cert_file);
	free((char *)m->tls.key_file);
	free(m);
}

void
milvus_mgmt_result_free(struct milvus_mgmt_result *r)
{
	if (r == NULL)
		return;
	milvus_healthz_release(&r->healthz);
	prom_samples_release(&r->metrics);
	milvus_replicas_free(r->replicas, r->n_replicas);
	free(r->msg);
	free(r);
}

static void
mgmt_fail(struct milvus_mgmt_result *res, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
mgmt_fail(struct milvus_mgmt_result *res, int err, const char *fmt, ...)
{
	va_list ap;

	res->err = err;
	va_start(ap, fmt);
	vsnprintf(res->errmsg, sizeof res->errmsg, fmt, ap);
	va_end(ap);
}

static void
mgmt_healthz_done(struct mgmt_call *c, const struct http_resp *hr,
    struct milvus_mgmt_result *res)
{
	char why[128];

	if (hr->status != 200 && hr->status != 500) {
		mgmt_fail(res, MGMT_EHTTP, "'%s' answered HTTP %ld", c->url, hr->status);
		return;
	}
	if (milvus_healthz_parse(hr->status, hr->body, hr->len, &res->healthz,
	    why, sizeof why) != 0)
		mgmt_fail(res, MGMT_EPROTO, "malformed healthz body from '%s'", c->url);
}

static void
mgmt_msg_done(struct mgmt_call *c, const struct http_resp *hr,
    struct milvus_mgmt_result *res)
{
	char msg[160];

	res->msg = milvus_mgmt_parse_msg(hr->body, hr->len);
	if (hr->status == 200) {
		if (res->msg == NULL)
			mgmt_fail(res, MGMT_EPROTO, "malformed management body from '%s'", c->url);
		res->ready = res->msg != NULL;
		return;
	}
	if (hr->status != 500 && hr->status != 400) {
		mgmt_fail(res, MGMT_EHTTP, "'%s' answered HTTP %ld", c->url, hr->status);
		return;
	}
	if (c->kind == MK_READY)
		return;		/* not ready is an answer, not an error */
	mj_oneline(msg, sizeof msg, res->msg != NULL ? res->msg : "no reason given",
	    res->msg != NULL ? strlen(res->msg) : 15);
	mgmt_fail(res, MGMT_ESERVER, "'%s' refused: %s", c->url, msg);
}

static void
mgmt_replicas_done(struct mgmt_call *c, const struct http_resp *hr,
    struct milvus_mgmt_result *res)
{
	char why[200], *msg;
	int rc;

	if (hr->status == 200) {
		if (c->kind == MK_REPLICAS_V1)
			rc = milvus_replicas_parse_v1(hr->body, hr->len, &res->replicas,
			    &res->n_replicas, why, sizeof why);
		else
			rc = milvus_replicas_parse_qc(hr->body, hr->len, c->collection_id,
			    &res->replicas, &res->n_replicas, why, sizeof why);
		if (rc == 0)
			return;
		if (strncmp(why, "malformed", 9) == 0)
			mgmt_fail(res, MGMT_EPROTO, "malformed replicas body from '%s'", c->url);
		else
			mgmt_fail(res, MGMT_ESERVER, "'%s': %s", c->url, why);
		return;
	}
	/* Legacy handlers answer 400/500 with a commonpb.Status, the WebUI ones
	 * with {"message": ...}. */
	if (c->kind == MK_REPLICAS_V1 && (hr->status == 400 || hr->status == 500) &&
	    milvus_replicas_parse_v1(hr->body, hr->len, &res->replicas, &res->n_replicas,
	    why, sizeof why) != 0 && strncmp(why, "malformed", 9) != 0) {
		mgmt_fail(res, MGMT_ESERVER, "'%s': %s", c->url, why);
		return;
	}
	milvus_replicas_free(res->replicas, res->n_replicas);
	res->replicas = NULL;
	res->n_replicas = 0;
	if (c->kind == MK_REPLICAS_QC && hr->status == 500) {
		cJSON *root = mj_parse(hr->body, hr->len);

		msg = cJSON_IsObject(root) ? mj_get_str(root, "message") : NULL;
		cJSON_Delete(root);
		if (msg != NULL) {
			mj_oneline(why, sizeof why, msg, strlen(msg));
			free(msg);
			mgmt_fail(res, MGMT_ESERVER, "'%s': %s", c->url, why);
			return;
		}
	}
	mgmt_fail(res, MGMT_EHTTP, "'%s' answered HTTP %ld", c->url, hr->status);
}

/* Statuses that are about who asks, not about the call (contract 4.4, 10):
 * under common.security.adminAuthEnabled the protected routes answer 401
 * without (or with wrong) root credentials, 403 to a user who may not, and
 * 503 while the component cannot reach mixcoord to check the password.
 * True when res now holds that error. */
static bool
mgmt_auth_failed(const struct mgmt_call *c, const struct http_resp *hr,
    struct milvus_mgmt_result *res)
{
	const struct milvus_mgmt *m = c->m;

	if (hr->status != 401 && hr->status != 403 && !(hr->status == 503 && c->admin))
		return false;
	if (!c->admin)
		mgmt_fail(res, MGMT_EAUTH, "'%s' refused the credentials (HTTP %ld)", c->url,
		    hr->status);
	else if (hr->status == 503)
		mgmt_fail(res, MGMT_EUNREACHABLE, "'%s' cannot check the admin credentials now "
		    "(HTTP 503: it cannot reach the coordinator, as during a failover): try again",
		    c->url);
	else if (m->admin_user == NULL)
		mgmt_fail(res, MGMT_EAUTH, "'%s': the management API requires authentication "
		    "(common.security.adminAuthEnabled, HTTP %ld): set milvus.admin_user and "
		    "milvus.admin_password_file", c->url, hr->status);
	else if (hr->status == 401)
		mgmt_fail(res, MGMT_EAUTH, "'%s' refused the credentials of milvus.admin_user "
		    "'%.64s' (HTTP 401): check milvus.admin_password_file", c->url,
		    m->admin_user);
	else
		mgmt_fail(res, MGMT_EAUTH, "'%s': milvus.admin_user '%.64s' may not use the "
		    "management API (HTTP 403): it needs the root user", c->url, m->admin_user);
	return true;
}

static void
mgmt_http_done(const struct http_resp *hr, void *arg)
{
	struct mgmt_call *c = arg;
	struct milvus_mgmt_result *res = xcalloc(1, sizeof *res);
	char why[sizeof hr->errmsg];

	c->hc.req = NULL;
	mj_oneline(why, sizeof why, hr->errmsg, sizeof hr->errmsg);
	res->http_status = hr->status;
	memcpy(res->url, c->url, sizeof res->url);
	if (hr->err == HTTP_ETIMEOUT)
		mgmt_fail(res, MGMT_EUNREACHABLE, "'%s' did not answer within %ld ms", c->url,
		    c->m->timeout_ms);
	else if (hr->err == HTTP_ETOOBIG)
		mgmt_fail(res, MGMT_EPROTO, "%s", why);
	else if (hr->err != HTTP_OK)
		mgmt_fail(res, MGMT_EUNREACHABLE, "cannot reach %.200s", why);
	else if (mgmt_auth_failed(c, hr, res))
		;
	else {
		switch (c->kind) {
		case MK_HEALTHZ:
			mgmt_healthz_done(c, hr, res);
			break;
		case MK_READY:
		case MK_STOP:
			mgmt_msg_done(c, hr, res);
			break;
		case MK_METRICS:
			if (hr->status != 200)
				mgmt_fail(res, MGMT_EHTTP, "'%s' answered HTTP %ld", c->url,
				    hr->status);
			else
				prom_parse(hr->body, hr->len, (const char *const *)c->keep,
				    &res->metrics);
			break;
		case MK_REPLICAS_V1:
		case MK_REPLICAS_QC:
			mgmt_replicas_done(c, hr, res);
			break;
		}
	}
	http_call_deliver(&c->hc, res);
}

/* base comes from etcd sessions, which anyone with etcd access can write:
 * only a plain printable address may become a URL. */
static bool
mgmt_base_ok(const char *base)
{
	size_t i;

	if (base == NULL || *base == '\0' || strlen(base) > 256)
		return false;
	for (i = 0; base[i] != '\0'; i++) {
		if ((unsigned char)base[i] <= ' ' || (unsigned char)base[i] >= 0x7f)
			return false;
	}
	return true;
}

/* Whether common.security.adminAuthEnabled protects path (contract 10):
 * every /management/ route but /check/ready, and the WebUI's /api/v1/_... */
static bool
mgmt_path_admin(const char *path)
{
	return (strncmp(path, "/management/", 12) == 0 &&
	    strncmp(path, "/management/check/ready", 23) != 0) ||
	    strncmp(path, "/api/v1/_", 9) == 0;
}

/* Start one GET; body (JSON) may be NULL. */
static int
mgmt_begin(struct milvus_mgmt *m, enum mgmt_kind kind, const char *base, const char *path,
    const char *body, const char *const *keep, int64_t collection_id, milvus_mgmt_cb cb,
    void *arg, struct http_sync *take)
{
	struct http_opts o;
	struct mgmt_call *c;
	char *url;
	size_t i, n = 0;

	if (m == NULL || !mgmt_base_ok(base))
		return -1;
	while (keep != NULL && keep[n] != NULL)
		n++;
	if (n > MGMT_MAX_KEEP)
		return -1;
	c = xcalloc(1, sizeof *c);
	c->m = m;
	c->kind = kind;
	c->admin = mgmt_path_admin(path);
	c->collection_id = collection_id;
	if (keep != NULL) {
		c->keep = xcalloc(n + 1, sizeof *c->keep);
		for (i = 0; i < n; i++)
			c->keep[i] = xstrdup(keep[i]);
	}
	url = mj_url(base, path);
	url_strip_userinfo(url, c->url, sizeof c->url);
	http_call_add(&m->calls, &c->hc, (http_call_fn)cb, arg, take);

	memset(&o, 0, sizeof o);
	o.method = "GET";
	o.url = url;
	o.body = body;
	o.tls = m->tls;
	o.timeout_ms = m->timeout_ms;
	/* healthz answers JSON only when asked this way (the request's own type). */
	if (kind == MK_HEALTHZ || body != NULL)
		o.content_type = "application/json";
	/* The admin's basic auth where adminAuthEnabled asks for it (the
	 * WebUI's /api/v1/_* too), else the token on /api/v1. */
	if (c->admin && m->admin_user != NULL) {
		o.basic_user = m->admin_user;
		o.basic_pass = m->admin_password;
	} else if (m->token != NULL && strncmp(path, "/api/v1/", 8) == 0)
		o.bearer = m->token;
	if (m->max_response != 0)
		o.max_response = m->max_response;
	else if (kind == MK_METRICS)
		o.max_response = MGMT_MAX_METRICS;
	else if (kind == MK_REPLICAS_V1 || kind == MK_REPLICAS_QC)
		o.max_response = MGMT_MAX_REPLICAS;
	else
		o.max_response = MGMT_MAX_SMALL;
	c->hc.req = http_start(m->loop, &o, mgmt_http_done, c);
	free(url);
	if (c->hc.req == NULL) {
		struct milvus_mgmt_result *res = xcalloc(1, sizeof *res);

		memcpy(res->url, c->url, sizeof res->url);
		mgmt_fail(res, MGMT_EUNREACHABLE, "cannot start a request to '%s'", c->url);
		http_call_deliver_later(&c->hc, res);
	}
	return 0;
}

static bool
mgmt_role_ok(const char *role)
{
	size_t i;

	if (role == NULL || *role == '\0' || strlen(role) > 32)
		return false;
	for (i = 0; role[i] != '\0'; i++) {
		if (!((role[i] >= 'a' && role[i] <= 'z') || (role[i] >= '0' && role[i] <= '9') ||
		    role[i] == '_'))
			return false;
	}
	return true;
}

static int
mgmt_healthz_take(struct milvus_mgmt *m, const char *base, milvus_mgmt_cb cb, void *arg,
    struct http_sync *take)
{
	return mgmt_begin(m, MK_HEALTHZ, base, "/healthz", NULL, NULL, 0, cb, arg, take);
}

static int
mgmt_role_take(struct milvus_mgmt *m, enum mgmt_kind kind, const char *base,
    const char *role, milvus_mgmt_cb cb, void *arg, struct http_sync *take)
{
	char path[96];

	if (!mgmt_role_ok(role))
		return -1;
	snprintf(path, sizeof path, "/management/%s?role=%s",
	    kind == MK_READY ? "check/ready" : "stop", role);
	return mgmt_begin(m, kind, base, path, NULL, NULL, 0, cb, arg, take);
}

static int
mgmt_metrics_take(struct milvus_mgmt *m, const char *base, const char *const *keep,
    milvus_mgmt_cb cb, void *arg, struct http_sync *take)
{
	return mgmt_begin(m, MK_METRICS, base, "/metrics", NULL, keep, 0, cb, arg, take);
}

static int
mgmt_replicas_take(struct milvus_mgmt *m, const char *base,
    const struct milvus_replica_query *q, milvus_mgmt_cb cb, void *arg,
    struct http_sync *take)
{
	static const struct milvus_replica_query all = { MILVUS_REPLICAS_AUTO, 0, NULL, NULL };
	enum milvus_replica_source src;
	struct buf b = BUF_INIT;
	int rc;

	if (q == NULL)
		q = &all;
	src = q->source;
	if (src == MILVUS_REPLICAS_AUTO)
		src = q->collection_id != 0 || q->collection_name != NULL ?
		    MILVUS_REPLICAS_V1 : MILVUS_REPLICAS_QC;
	if (src == MILVUS_REPLICAS_QC)
		return mgmt_begin(m, MK_REPLICAS_QC, base, "/api/v1/_qc/replica", NULL, NULL,
		    q->collection_id, cb, arg, take);
	/* GetReplicas takes its request as a JSON body, even on GET. */
	if (q->collection_id != 0)
		buf_printf(&b, "{\"collectionID\":%lld", (long long)q->collection_id);
	else if (q->collection_name != NULL && *q->collection_name != '\0') {
		buf_adds(&b, "{\"collection_name\":");
		buf_add_json_str(&b, q->collection_name);
		buf_adds(&b, ",\"db_name\":");
		buf_add_json_str(&b, q->db_name != NULL && *q->db_name != '\0' ?
		    q->db_name : "default");
	} else
		return -1;
	buf_adds(&b, ",\"with_shard_nodes\":true}");
	rc = mgmt_begin(m, MK_REPLICAS_V1, base, "/api/v1/replicas", b.data, NULL, 0,
	    cb, arg, take);
	buf_release(&b);
	return rc;
}

int
milvus_mgmt_healthz(struct milvus_mgmt *m, const char *base, milvus_mgmt_cb cb, void *arg)
{
	return mgmt_healthz_take(m, base, cb, arg, NULL);
}

int
milvus_mgmt_check_ready(struct milvus_mgmt *m, const char *base, const char *role,
    milvus_mgmt_cb cb, void *arg)
{
	return mgmt_role_take(m, MK_READY, base, role, cb, arg, NULL);
}

int
milvus_mgmt_stop(struct milvus_mgmt *m, const char *base, const char *role,
    milvus_mgmt_cb cb, void *arg)
{
	return mgmt_role_take(m, MK_STOP, base, role, cb, arg, NULL);
}

int
milvus_mgmt_metrics(struct milvus_mgmt *m, const char *base, const char *const *keep,
    milvus_mgmt_cb cb, void *arg)
{
	return mgmt_metrics_take(m, base, keep, cb, arg, NULL);
}

int
milvus_mgmt_replicas(struct milvus_mgmt *m, const char *base,
    const struct milvus_replica_query *q, milvus_mgmt_cb cb, void *arg)
{
	return mgmt_replicas_take(m, base, q, cb, arg, NULL);
}

/* Synchronous variants: the call hands its result over through take, and the
 * loop runs until it has (the request's own timeout bounds the wait). */
static struct milvus_mgmt_result *
mgmt_wait(struct milvus_mgmt *m, int rc, struct http_sync *s)
{
	struct milvus_mgmt_result *res = http_call_wait(m != NULL ? m->loop : NULL, rc, s);

	if (res == NULL) {
		res = xcalloc(1, sizeof *res);
		mgmt_fail(res, MGMT_EINVAL, "invalid argument to a 9091 call");
	}
	return res;
}

struct milvus_mgmt_result *
milvus_mgmt_healthz_sync(struct milvus_mgmt *m, const char *base)
{
	struct http_sync s = { 0, NULL };

	return mgmt_wait(m, mgmt_healthz_take(m, base, NULL, NULL, &s), &s);
}

struct milvus_mgmt_result *
milvus_mgmt_check_ready_sync(struct milvus_mgmt *m, const char *base, const char *role)
{
	struct http_sync s = { 0, NULL };

	return mgmt_wait(m, mgmt_role_take(m, MK_READY, base, role, NULL, NULL, &s), &s);
}

struct milvus_mgmt_result *
milvus_mgmt_stop_sync(struct milvus_mgmt *m, const char *base, const char *role)
{
	struct http_sync s = { 0, NULL };

	return mgmt_wait(m, mgmt_role_take(m, MK_STOP, base, role, NULL, NULL, &s), &s);
}

struct milvus_mgmt_result *
milvus_mgmt_metrics_sync(struct milvus_mgmt *m, const char *base, const char *const *keep)
{
	struct http_sync s = { 0, NULL };

	return mgmt_wait(m, mgmt_metrics_take(m, base, keep, NULL, NULL, &s), &s);
}

struct milvus_mgmt_result *
milvus_mgmt_replicas_sync(struct milvus_mgmt *m, const char *base,
    const struct milvus_replica_query *q)
{
	struct http_sync s = { 0, NULL };

	return mgmt_wait(m, mgmt_replicas_take(m, base, q, NULL, NULL, &s), &s);
}
