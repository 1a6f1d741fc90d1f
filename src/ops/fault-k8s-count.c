/* SPDX-License-Identifier: MIT */
/* The k8s backend's restart count: the restartCount of every pod of the
 * target's role, selected by the labels of the pod the target runs in. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/fault.h"
#include "milvusadm/http.h"
#include "milvusadm/k8s.h"
#include "milvusadm/kubeconfig.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "fault-k8s-int.h"

/* Two labels of at most 63-character values, and their keys. */
#define K8S_MAX_SELECTOR	256

/* One restarts call: GET the target pod for its labels (unless its selector
 * is known), then GET the pods of its role and add up their restarts. */
struct k8s_count {
	struct fault_backend *b;
	struct http_req *req;
	uint64_t timer;			/* an answer known at once */
	char *pod_name;
	char *kind;
	char *role;			/* NULL when the target has none */
	char *selector;
	fault_restarts_cb cb;
	void *arg;
	struct fault_restarts res;
};

static void
k8s_count_free(struct k8s_count *c)
{
	free(c->pod_name);
	free(c->kind);
	free(c->role);
	free(c->selector);
	free(c);
}

/* Report and forget: freed before cb, which may ask again or close. */
static void
k8s_count_finish(struct k8s_count *c)
{
	struct fault_restarts res = c->res;
	fault_restarts_cb cb = c->cb;
	void *arg = c->arg;

	c->b->count = NULL;
	if (res.err != 0)
		res.count = -1;
	k8s_count_free(c);
	cb(&res, arg);
}

static void
k8s_count_fail(struct k8s_count *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
k8s_count_fail(struct k8s_count *c, const char *fmt, ...)
{
	va_list ap;

	c->res.err = -1;
	va_start(ap, fmt);
	vsnprintf(c->res.errmsg, sizeof c->res.errmsg, fmt, ap);
	va_end(ap);
	k8s_count_finish(c);
}

static void
k8s_count_fire(void *arg)
{
	struct k8s_count *c = arg;

	c->timer = 0;
	k8s_count_finish(c);
}

/* A label value as Kubernetes allows it (at most 63 of [A-Za-z0-9._-]), so
 * that what the API answered cannot add terms to the selector. */
static bool
k8s_label_value_ok(const char *v)
{
	size_t i, n = strlen(v);

	if (n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		    (v[i] >= '0' && v[i] <= '9') || v[i] == '.' || v[i] == '_' || v[i] == '-'))
			return false;
	return true;
}

/*
 * The selector of the pods of the target's role, from the labels of the pod
 * it runs in: the same scheme (Helm component= or the Operator's
 * app.kubernetes.io/component=) and the pod's own component, which is
 * mixcoord or standalone when those host the role (§2.1, §2.4).
 */
static int
k8s_role_selector(const struct k8s_pod *pod, bool etcd, char *out, size_t outlen,
    char *err, size_t errlen)
{
	const char *inst = k8s_pod_label(pod, "app.kubernetes.io/instance");
	const char *helm = k8s_pod_label(pod, "component");
	const char *oper = k8s_pod_label(pod, "app.kubernetes.io/component");
	const char *comp = helm != NULL ? helm : oper;

	if (!etcd && comp == NULL) {
		snprintf(err, errlen, "pod '%s' has neither the Helm 'component' nor the Operator "
		    "'app.kubernetes.io/component' label: its role's pods cannot be selected",
		    pod->name);
		return -1;
	}
	if ((inst != NULL && !k8s_label_value_ok(inst)) ||
	    (!etcd && !k8s_label_value_ok(comp))) {
		snprintf(err, errlen, "pod '%s' has a label value Kubernetes does not allow",
		    pod->name);
		return -1;
	}
	if (etcd)
		snprintf(out, outlen, "app.kubernetes.io/name=etcd%s%s",
		    inst != NULL ? ",app.kubernetes.io/instance=" : "", inst != NULL ? inst : "");
	else
		snprintf(out, outlen, "%s%s%s%s=%s", inst != NULL ? "app.kubernetes.io/instance=" : "",
		    inst != NULL ? inst : "", inst != NULL ? "," : "",
		    helm != NULL ? "component" : "app.kubernetes.io/component", comp);
	return 0;
}

/* Percent-encode all but RFC 3986 unreserved characters, as curl_easy_escape. */
static void
k8s_url_escape(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~')
			buf_addc(out, (char)ch);
		else
			buf_printf(out, "%%%02X", ch);
	}
}

bool
fault_k8s_last_exit(const struct k8s_pod *pod, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; pod != NULL && i < pod->n_containers; i++) {
		int64_t code = pod->containers[i].last_exit_code;

		if (code >= 0 && code <= 255) {
			snprintf(out, outlen, "exit %lld", (long long)code);
			return true;
		}
	}
	return false;
}

static void
k8s_count_list_done(const struct http_resp *r, void *arg)
{
	struct k8s_count *c = arg;
	struct fault_backend *b = c->b;
	struct k8s_pod *pods;
	size_t n, i, j;
	int64_t sum = 0;
	char err[200];
	bool bad = false;

	c->req = NULL;
	if (r->err != HTTP_OK) {
		k8s_count_fail(c, "list pods '%.100s': %.140s", c->selector, r->errmsg);
		return;
	}
	if (r->status != 200) {
		c->res.err = -1;
		k8s_fault_http_error(b, NULL, r, "list", c->res.errmsg, sizeof c->res.errmsg);
		k8s_count_finish(c);
		return;
	}
	/* Bounded: the body by K8S_MAX_BODY, the items by K8S_MAX_ITEMS, the
	 * containers of each by K8S_MAX_CONTAINERS. */
	if (k8s_pod_list_parse(r->body, r->len, &pods, &n, err, sizeof err) != 0) {
		k8s_count_fail(c, "pods '%.100s': %.140s", c->selector, err);
		return;
	}
	/* restartCount is an int32: with the bounds above the sum cannot overflow. */
	for (i = 0; i < n; i++) {
		/* The target's own pod says how it last ended (a lost lease: the
		 * same pod, restarted in place). */
		if (c->pod_name != NULL && pods[i].name != NULL &&
		    strcmp(pods[i].name, c->pod_name) == 0)
			(void)fault_k8s_last_exit(&pods[i], c->res.last_exit,
			    sizeof c->res.last_exit);
		for (j = 0; j < pods[i].n_containers; j++) {
			int64_t rc = pods[i].containers[j].restart_count;

			if (rc < 0 || rc > INT32_MAX)
				bad = true;
			else
				sum += rc;
		}
		k8s_pod_release(&pods[i]);
	}
	free(pods);
	if (bad)
		k8s_count_fail(c, "pods '%.100s': a restartCount out of range", c->selector);
	else if (n == 0)
		k8s_count_fail(c, "no pod in namespace '%.60s' matches '%.150s'", b->namespace,
		    c->selector);
	else {
		c->res.count = sum;
		snprintf(c->res.what, sizeof c->res.what, "restartCount of %zu pod%s %s", n,
		    n == 1 ? "" : "s", c->selector);
		k8s_count_finish(c);
	}
}

/* GET the pods of the selector; -1 when the request cannot start. */
static int
k8s_count_list(struct k8s_count *c)
{
	struct fault_backend *b = c->b;
	struct buf url = BUF_INIT;
	struct http_opts o;

	buf_printf(&url, "%s/api/v1/namespaces/%s/pods?labelSelector=", b->auth->server,
	    b->namespace);
	k8s_url_escape(&url, c->selector);
	k8s_fault_http_opts(b, &o, url.data);
	c->req = http_start(b->loop, &o, k8s_count_list_done, c);
	buf_release(&url);
	return c->req != NULL ? 0 : -1;
}

static void
k8s_count_pod_done(const struct http_resp *r, void *arg)
{
	struct k8s_count *c = arg;
	struct fault_backend *b = c->b;
	struct fault_target t;
	struct k8s_pod pod;
	char err[256], scheme[160], sel[K8S_MAX_SELECTOR];
	bool etcd = c->kind != NULL && strcmp(c->kind, "etcd-member") == 0;

	c->req = NULL;
	if (r->err != HTTP_OK) {
		k8s_count_fail(c, "get pod '%.60s': %.180s", c->pod_name, r->errmsg);
		return;
	}
	if (r->status != 200) {
		c->res.err = -1;
		k8s_fault_http_error(b, c->pod_name, r, "get", c->res.errmsg, sizeof c->res.errmsg);
		k8s_count_finish(c);
		return;
	}
	if (k8s_pod_parse(r->body, r->len, &pod, err, sizeof err) != 0) {
		k8s_count_fail(c, "pod '%.60s': %.180s", c->pod_name, err);
		return;
	}
	memset(&t, 0, sizeof t);
	t.kind = c->kind;
	t.role = c->role;
	/* The same refusals as inject: never count another release's pods. */
	if (strcmp(pod.name, c->pod_name) != 0)
		snprintf(err, sizeof err, "asked for pod '%.60s', got '%.60s'", c->pod_name, pod.name);
	if (strcmp(pod.name, c->pod_name) != 0 || (b->check_labels &&
	    k8s_fault_check_labels(b, &t, &pod, scheme, sizeof scheme, err, sizeof err) != 0) ||
	    k8s_role_selector(&pod, etcd, sel, sizeof sel, err, sizeof err) != 0) {
		k8s_pod_release(&pod);
		k8s_count_fail(c, "%s", err);
		return;
	}
	k8s_pod_release(&pod);
	c->selector = xstrdup(sel);
	free(b->count_pod);
	free(b->count_sel);
	b->count_pod = xstrdup(c->pod_name);
	b->count_sel = xstrdup(sel);
	if (k8s_count_list(c) != 0)
		k8s_count_fail(c, "cannot start the kubernetes request");
}

/*
 * Restarts, counted per role: the drill deletes the pod and its replacement
 * starts at restartCount 0, so the target's own pod says nothing after the
 * recovery. The first call for a pod reads its labels; later calls for the
 * same pod (gone by then) reuse the selector.
 */
int
k8s_fault_restarts(struct fault_backend *b, const struct fault_target *t, fault_restarts_cb cb,
    void *arg)
{
	const char *name = k8s_fault_target_pod(t);
	struct k8s_count *c;
	struct http_opts o;
	char *url;

	if (b->count != NULL)
		return -1;
	c = xcalloc(1, sizeof *c);
	c->b = b;
	c->cb = cb;
	c->arg = arg;
	c->res.count = -1;
	c->pod_name = xstrdup(name != NULL ? name : "");
	c->kind = t->kind != NULL ? xstrdup(t->kind) : NULL;
	c->role = t->role != NULL ? xstrdup(t->role) : NULL;
	b->count = c;
	if (*c->pod_name == '\0' || !k8s_name_valid(c->pod_name)) {
		c->res.err = -1;
		snprintf(c->res.errmsg, sizeof c->res.errmsg, "HostName '%.100s' is not a valid pod "
		    "name", c->pod_name);
	} else if (kube_auth_refresh(b->auth, c->res.errmsg, sizeof c->res.errmsg) != 0) {
		c->res.err = -1;
	} else if (b->count_pod != NULL && strcmp(b->count_pod, c->pod_name) == 0) {
		c->selector = xstrdup(b->count_sel);
		if (k8s_count_list(c) == 0)
			return 0;
		c->res.err = -1;
		snprintf(c->res.errmsg, sizeof c->res.errmsg, "cannot start the kubernetes request");
	} else {
		url = xasprintf("%s/api/v1/namespaces/%s/pods/%s", b->auth->server, b->namespace,
		    c->pod_name);
		k8s_fault_http_opts(b, &o, url);
		c->req = http_start(b->loop, &o, k8s_count_pod_done, c);
		free(url);
		if (c->req != NULL)
			return 0;
		c->res.err = -1;
		snprintf(c->res.errmsg, sizeof c->res.errmsg, "cannot start the kubernetes request");
	}
	/* Known at once, still answered from the loop. */
	c->timer = loop_timer_add(b->loop, 0, k8s_count_fire, c);
	return 0;
}

void
k8s_fault_count_cancel(struct fault_backend *b)
{
	if (b->count != NULL) {
		if (b->count->timer != 0)
			loop_timer_cancel(b->loop, b->count->timer);
		http_cancel(b->count->req);
		k8s_count_free(b->count);
		b->count = NULL;
	}
	free(b->count_pod);
	free(b->count_sel);
	b->count_pod = NULL;
	b->count_sel = NULL;
}
