/* SPDX-License-Identifier: MIT */
/* The k8s fault backend: delete the pod named by the target session's HostName
 * through the Kubernetes API, with an explicit grace period and a uid
 * precondition, after checking the Helm or Operator labels (contract §1, §2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/http.h"
#include "milvusadm/k8s.h"
#include "milvusadm/kubeconfig.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "fault-k8s-int.h"

#define K8S_MAX_GRACE	3600

struct k8s_op {
	struct fault_backend *b;
	struct http_req *req;
	const struct fault_target *t;
	char *pod_name;
	bool do_delete;
	char *plan_out;			/* plan: where the text goes */
	size_t plan_len;
	struct k8s_pod pod;
	char scheme[160];		/* which labels matched, for the detail line */
	fault_cb cb;
	void *arg;
	int *done;			/* plan's synchronous wait */
	struct fault_result res;
};

static const char *const k8s_coords[] = {
	"rootcoord", "querycoord", "datacoord", "indexcoord", "mixcoord", NULL,
};

static bool
k8s_is_coord(const char *role)
{
	size_t i;

	for (i = 0; k8s_coords[i] != NULL; i++)
		if (strcmp(k8s_coords[i], role) == 0)
			return true;
	return false;
}

/* A component label fits the session role: the same role, a mixcoord pod
 * hosting any coordinator (2.6), or a standalone pod hosting everything. */
static bool
k8s_component_fits(const char *comp, const char *role)
{
	if (strcmp(comp, role) == 0 || strcmp(comp, "standalone") == 0)
		return true;
	return strcmp(comp, "mixcoord") == 0 && k8s_is_coord(role);
}

int
k8s_fault_check_labels(struct fault_backend *b, const struct fault_target *t,
    const struct k8s_pod *pod, char *scheme, size_t slen, char *err, size_t errlen)
{
	const char *inst = k8s_pod_label(pod, "app.kubernetes.io/instance");
	const char *helm = k8s_pod_label(pod, "component");
	const char *oper = k8s_pod_label(pod, "app.kubernetes.io/component");
	const char *name = k8s_pod_label(pod, "app.kubernetes.io/name");
	const char *comp, *which;

	if (t->kind != NULL && strcmp(t->kind, "etcd-member") == 0) {
		bool ok_inst;

		if (name == NULL || strcmp(name, "etcd") != 0) {
			snprintf(err, errlen, "pod '%s' is not labelled app.kubernetes.io/name=etcd",
			    pod->name);
			return -1;
		}
		/* Helm: instance=<release>; the operator installs etcd as <CR>-etcd. */
		ok_inst = b->release == NULL || (inst != NULL && (strcmp(inst, b->release) == 0 ||
		    (strncmp(inst, b->release, strlen(b->release)) == 0 &&
		    strcmp(inst + strlen(b->release), "-etcd") == 0)));
		if (!ok_inst) {
			snprintf(err, errlen, "etcd pod '%s' belongs to instance '%s', not release '%s'",
			    pod->name, inst != NULL ? inst : "", b->release);
			return -1;
		}
		snprintf(scheme, slen, "etcd labels app.kubernetes.io/name=etcd instance=%s",
		    inst != NULL ? inst : "?");
		return 0;
	}
	/* Try the Helm chart's bare component= first, then the operator's (§2.1). */
	if (helm != NULL) {
		comp = helm;
		which = "helm";
	} else if (oper != NULL) {
		comp = oper;
		which = "operator";
	} else {
		snprintf(err, errlen, "pod '%s' has neither the Helm 'component' nor the Operator "
		    "'app.kubernetes.io/component' label", pod->name);
		return -1;
	}
	if (t->role != NULL && !k8s_component_fits(comp, t->role)) {
		snprintf(err, errlen, "pod '%s' is component '%s', not '%s'", pod->name, comp, t->role);
		return -1;
	}
	if (b->release != NULL && (inst == NULL || strcmp(inst, b->release) != 0)) {
		snprintf(err, errlen, "pod '%s' belongs to instance '%s', not release '%s'",
		    pod->name, inst != NULL ? inst : "", b->release);
		return -1;
	}
	snprintf(scheme, slen, "%s labels instance=%s %s=%s", which, inst != NULL ? inst : "?",
	    helm != NULL ? "component" : "app.kubernetes.io/component", comp);
	return 0;
}

static char *
k8s_pod_path(struct fault_backend *b, const char *pod)
{
	return xasprintf("/api/v1/namespaces/%s/pods/%s", b->namespace, pod);
}

void
k8s_fault_http_opts(struct fault_backend *b, struct http_opts *o, const char *url)
{
	static const char *const hdrs[] = { "Accept: application/json", NULL };

	memset(o, 0, sizeof *o);
	o->url = url;
	o->headers = hdrs;
	o->bearer = b->auth->token;
	o->tls.ca_file = b->auth->ca_file;
	o->tls.cert_file = b->auth->cert_file;
	o->tls.key_file = b->auth->key_file;
	o->tls.ca_pem = b->auth->ca_pem.data;
	o->tls.ca_pem_len = b->auth->ca_pem.len;
	o->tls.cert_pem = b->auth->cert_pem.data;
	o->tls.cert_pem_len = b->auth->cert_pem.len;
	o->tls.key_pem = b->auth->key_pem.data;
	o->tls.key_pem_len = b->auth->key_pem.len;
	o->tls.insecure = b->auth->insecure;
	o->timeout_ms = b->timeout_ms;
	o->max_response = K8S_MAX_BODY;
	/* The TLS handshake counts as connecting; API servers may be far away. */
	o->connect_timeout_ms = b->timeout_ms;
}

/* One line for an HTTP failure on pod (NULL: the role's pod list), with the
 * Status message when there is one. */
void
k8s_fault_http_error(struct fault_backend *b, const char *pod, const struct http_resp *r,
    const char *what, char *out, size_t outlen)
{
	char *msg = k8s_status_message(r->body, r->len);
	const char *m = msg != NULL ? msg : "";

	if (r->status == 401)
		snprintf(out, outlen, "kubernetes API refused the credentials of '%s' (401): %s",
		    b->auth->source, m);
	else if (pod == NULL && r->status == 403)
		snprintf(out, outlen, "list pods forbidden (403; the drill needs list on pods "
		    "in '%s'): %s", b->namespace, m);
	else if (pod == NULL)
		snprintf(out, outlen, "list pods in namespace '%s': HTTP %ld: %s", b->namespace,
		    r->status, m);
	else if (r->status == 403)
		snprintf(out, outlen, "%s pod '%s' forbidden (403; the drill needs get and delete "
		    "on pods in '%s'): %s", what, pod, b->namespace, m);
	else if (r->status == 404)
		snprintf(out, outlen, "pod '%s' not found in namespace '%s'", pod, b->namespace);
	else if (r->status == 409)
		snprintf(out, outlen, "pod '%s' was replaced before the delete (uid precondition "
		    "failed): %s", pod, m);
	else
		snprintf(out, outlen, "%s pod '%s': HTTP %ld: %s", what, pod, r->status, m);
	free(msg);
}

static void
k8s_op_finish(struct k8s_op *op)
{
	struct fault_backend *b = op->b;

	b->op = NULL;
	if (op->done != NULL)
		*op->done = 1;
	if (op->cb != NULL)
		op->cb(&op->res, op->arg);
	k8s_pod_release(&op->pod);
	free(op->pod_name);
	free(op);
}

static void
k8s_plan_text(struct k8s_op *op)
{
	struct fault_backend *b = op->b;
	struct buf t = BUF_INIT;
	char *path = k8s_pod_path(b, op->pod_name);
	char *body = k8s_delete_options(b->grace, op->pod.uid);

	buf_printf(&t, "k8s: pod '%s/%s' uid %s, phase %s, restarts %lld, %s\n", b->namespace,
	    op->pod.name, op->pod.uid, op->pod.phase, (long long)op->pod.restarts, op->scheme);
	buf_printf(&t, "api %s (%s%s%s, %s)\n", b->auth->server, b->auth->source,
	    b->auth->context != NULL ? ", context " : "",
	    b->auth->context != NULL ? b->auth->context : "",
	    b->auth->cert_file != NULL || b->auth->cert_pem.data != NULL ? "client certificate" :
	    b->auth->token != NULL ? "bearer token" : "no credentials");
	buf_printf(&t, "GET %s (uid read again just before)\n", path);
	buf_printf(&t, "DELETE %s\nContent-Type: application/json\n%s\n", path, body);
	if (b->grace == 0)
		buf_adds(&t, "grace 0 is a force delete: the object goes at once and the "
		    "replacement may start while the old container still runs\n");
	snprintf(op->plan_out, op->plan_len, "%s", t.data);
	buf_release(&t);
	free(path);
	free(body);
}

static void
k8s_delete_done(const struct http_resp *r, void *arg)
{
	struct k8s_op *op = arg;
	struct fault_backend *b = op->b;

	op->req = NULL;
	if (r->err != HTTP_OK) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "delete pod '%.60s': %.180s", op->pod_name,
		    r->errmsg);
	} else if (r->status != 200 && r->status != 202) {
		op->res.err = -1;
		k8s_fault_http_error(b, op->pod_name, r, "delete", op->res.errmsg, sizeof op->res.errmsg);
	} else {
		op->res.err = 0;
		op->res.injected_ms = time_wall_ms();
		snprintf(op->res.detail, sizeof op->res.detail,
		    "deleted pod '%s/%s' (uid %s, grace %llds, restarts %lld before)", b->namespace,
		    op->pod.name, op->pod.uid, (long long)b->grace, (long long)op->pod.restarts);
	}
	k8s_op_finish(op);
}

static void
k8s_get_done(const struct http_resp *r, void *arg)
{
	struct k8s_op *op = arg;
	struct fault_backend *b = op->b;
	struct http_opts o;
	char *url, *body, err[256];

	op->req = NULL;
	if (r->err != HTTP_OK) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "get pod '%.60s': %.180s", op->pod_name,
		    r->errmsg);
		goto done;
	}
	if (r->status != 200) {
		op->res.err = -1;
		k8s_fault_http_error(b, op->pod_name, r, "get", op->res.errmsg, sizeof op->res.errmsg);
		goto done;
	}
	if (k8s_pod_parse(r->body, r->len, &op->pod, err, sizeof err) != 0) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "pod '%.60s': %.180s", op->pod_name, err);
		goto done;
	}
	if (strcmp(op->pod.name, op->pod_name) != 0) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "asked for pod '%s', got '%s'",
		    op->pod_name, op->pod.name);
		goto done;
	}
	if (b->check_labels && k8s_fault_check_labels(b, op->t, &op->pod, op->scheme,
	    sizeof op->scheme, err, sizeof err) != 0) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "%s", err);
		goto done;
	}
	if (!b->check_labels)
		snprintf(op->scheme, sizeof op->scheme, "labels not checked");
	if (op->pod.deleting || strcmp(op->pod.phase, "Running") != 0) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "pod '%s' is %s, not running",
		    op->pod_name, op->pod.deleting ? "already terminating" :
		    *op->pod.phase != '\0' ? op->pod.phase : "in no phase");
		goto done;
	}
	if (!op->do_delete) {
		k8s_plan_text(op);
		op->res.err = 0;
		goto done;
	}
	url = xasprintf("%s/api/v1/namespaces/%s/pods/%s", b->auth->server, b->namespace,
	    op->pod_name);
	body = k8s_delete_options(b->grace, op->pod.uid);
	k8s_fault_http_opts(b, &o, url);
	o.method = "DELETE";
	o.body = body;
	o.content_type = "application/json";
	op->req = http_start(b->loop, &o, k8s_delete_done, op);
	free(url);
	free(body);
	if (op->req != NULL)
		return;
	op->res.err = -1;
	snprintf(op->res.errmsg, sizeof op->res.errmsg, "cannot start the delete request");
done:
	k8s_op_finish(op);
}

/* The pod a target runs in: an etcd member's name, otherwise the session's
 * HostName (contract §2.4, §2.6). */
const char *
k8s_fault_target_pod(const struct fault_target *t)
{
	if (t->kind != NULL && strcmp(t->kind, "etcd-member") == 0 && t->etcd_member_name != NULL)
		return t->etcd_member_name;
	return t->host_name;
}

/* Start GET pod (then DELETE when do_delete). 0 started, -1 with res filled. */
static int
k8s_op_start(struct fault_backend *b, const struct fault_target *t, bool do_delete,
    fault_cb cb, void *arg, char *err, size_t errlen, struct k8s_op **out)
{
	const char *name;
	struct http_opts o;
	struct k8s_op *op;
	char *url;

	if (b->op != NULL) {
		snprintf(err, errlen, "a k8s request is already in flight");
		return -1;
	}
	name = k8s_fault_target_pod(t);
	if (name == NULL || *name == '\0') {
		snprintf(err, errlen, "the target has no HostName to name its pod");
		return -1;
	}
	if (!k8s_name_valid(name)) {
		snprintf(err, errlen, "HostName '%.100s' is not a valid pod name", name);
		return -1;
	}
	/* Projected service-account tokens rotate: read the file again per drill. */
	if (kube_auth_refresh(b->auth, err, errlen) != 0)
		return -1;
	op = xcalloc(1, sizeof *op);
	op->b = b;
	op->t = t;
	op->pod_name = xstrdup(name);
	op->do_delete = do_delete;
	op->cb = cb;
	op->arg = arg;
	url = xasprintf("%s/api/v1/namespaces/%s/pods/%s", b->auth->server, b->namespace, name);
	k8s_fault_http_opts(b, &o, url);
	op->req = http_start(b->loop, &o, k8s_get_done, op);
	free(url);
	if (op->req == NULL) {
		snprintf(err, errlen, "cannot start the kubernetes request");
		free(op->pod_name);
		free(op);
		return -1;
	}
	b->op = op;
	*out = op;
	return 0;
}

static int
k8s_plan_wrap(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	char *errmsg = NULL;
	struct k8s_op *op;
	int done = 0, rc;

	if (outlen > 0)
		out[0] = '\0';
	if (k8s_op_start(b, t, false, fault_keep_error, &errmsg, out, outlen, &op) != 0)
		return -1;
	op->plan_out = out;
	op->plan_len = outlen;
	op->done = &done;
	if (loop_run_until(b->loop, &done, b->timeout_ms + 2000) != 0) {
		http_cancel(op->req);
		b->op = NULL;
		k8s_pod_release(&op->pod);
		free(op->pod_name);
		free(op);
		snprintf(out, outlen, "kubernetes API did not answer");
		return -1;
	}
	rc = errmsg == NULL ? 0 : -1;
	if (errmsg != NULL)
		snprintf(out, outlen, "%s", errmsg);
	free(errmsg);
	return rc;
}

static int
k8s_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	struct k8s_op *op;
	char msg[256];

	if (b->later.timer != 0)
		return -1;
	/* A failure before any request: still reported through cb, from the loop. */
	if (k8s_op_start(b, t, true, cb, arg, msg, sizeof msg, &op) != 0)
		fault_later_fail(&b->later, b->loop, cb, arg, msg);
	return 0;
}

static void
k8s_close(struct fault_backend *b)
{
	if (b == NULL)
		return;
	fault_later_cancel(&b->later);
	if (b->op != NULL) {
		http_cancel(b->op->req);
		k8s_pod_release(&b->op->pod);
		free(b->op->pod_name);
		free(b->op);
	}
	k8s_fault_count_cancel(b);
	kube_auth_free(b->auth);
	free(b->namespace);
	free(b->release);
	free(b);
}

static const char *const k8s_option_names[] = {
	"grace", "namespace", "context", "kubeconfig", "release", "labels", NULL,
};

static int
k8s_options_check(const char *const *options, char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; options != NULL && options[i] != NULL; i++) {
		size_t klen = strcspn(options[i], "=");
		bool known = false;

		for (j = 0; k8s_option_names[j] != NULL; j++)
			if (strlen(k8s_option_names[j]) == klen &&
			    strncmp(options[i], k8s_option_names[j], klen) == 0)
				known = true;
		if (!known || options[i][klen] != '=') {
			snprintf(err, errlen, "unknown k8s option '%.*s' (grace, namespace, context, "
			    "kubeconfig, release, labels)", (int)klen, options[i]);
			return -1;
		}
	}
	return 0;
}

static const char *
k8s_pick(const char *opt, const char *prof)
{
	if (opt != NULL && *opt != '\0')
		return opt;
	if (prof != NULL && *prof != '\0')
		return prof;
	return NULL;
}

static struct fault_backend *
k8s_open(struct loop *l, const struct profile *p, struct etcd *e,
    const char *const *options, char *err, size_t errlen)
{
	const char *grace = fault_option(options, "grace");
	const char *labels = fault_option(options, "labels");
	const char *ns, *rel;
	struct fault_backend *b;
	struct kube_auth *auth;
	char *end;
	long g = 0;

	if (k8s_options_check(options, err, errlen) != 0)
		return NULL;
	if (grace != NULL) {
		g = strtol(grace, &end, 10);
		if (*grace == '\0' || (*end != '\0' && strcmp(end, "s") != 0) || g < 0 ||
		    g > K8S_MAX_GRACE) {
			snprintf(err, errlen, "grace '%s' is not a number of seconds (0 to %d)", grace,
			    K8S_MAX_GRACE);
			return NULL;
		}
	}
	if (labels != NULL && strcmp(labels, "check") != 0 && strcmp(labels, "off") != 0) {
		snprintf(err, errlen, "labels '%s' is not 'check' or 'off'", labels);
		return NULL;
	}
	auth = kubeconfig_load(k8s_pick(fault_option(options, "kubeconfig"),
	    p != NULL ? p->drill_kubeconfig : NULL),
	    k8s_pick(fault_option(options, "context"), p != NULL ? p->drill_context : NULL),
	    err, errlen);
	if (auth == NULL)
		return NULL;
	ns = k8s_pick(fault_option(options, "namespace"), p != NULL ? p->drill_namespace : NULL);
	if (ns == NULL)
		ns = auth->namespace;
	if (!k8s_name_valid(ns)) {
		snprintf(err, errlen, "namespace '%.100s' is not a valid name", ns);
		kube_auth_free(auth);
		return NULL;
	}
	b = xcalloc(1, sizeof *b);
	b->loop = l;
	b->auth = auth;
	b->namespace = xstrdup(ns);
	rel = k8s_pick(fault_option(options, "release"), p != NULL ? p->drill_release : NULL);
	b->release = rel != NULL ? xstrdup(rel) : NULL;
	b->grace = g;		/* a crash drill: force delete unless told otherwise */
	b->check_labels = labels == NULL || strcmp(labels, "check") == 0;
	b->timeout_ms = p != NULL && p->timeout_ms > 0 ? (long)p->timeout_ms : 5000;
	return b;
}

const struct fault_ops fault_k8s_ops = {
	"k8s", k8s_open, k8s_close, k8s_plan_wrap, k8s_inject, NULL, k8s_fault_restarts
};
