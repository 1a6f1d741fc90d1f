/* SPDX-License-Identifier: MIT */
/* The docker fault backend: over the Engine API unix socket, find the container
 * whose hostname is the target session's HostName, SIGKILL it, and start it
 * again when no restart policy would (contract §2.6, §3). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/docker.h"
#include "milvusadm/fault.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "fault-int.h"

#define DOCKER_DEFAULT_SOCKET	"/var/run/docker.sock"
/* Inspecting more containers than this to find one hostname is not a drill. */
#define DOCKER_MAX_INSPECT	256
#define DOCKER_MAX_BODY		(8u * 1024 * 1024)
/* How long restore waits for the killed container to be down before start. */
#define DOCKER_WAIT_MS		30000
/* plan's whole chain (/version, the list, up to DOCKER_MAX_INSPECT inspects)
 * gets this many request timeouts in all: one each would add up to over 20
 * minutes against a slow daemon. */
#define DOCKER_PLAN_TIMEOUTS	3

enum docker_start { START_AUTO, START_ALWAYS, START_NEVER };

enum docker_step { STEP_VERSION, STEP_LIST, STEP_INSPECT, STEP_KILL, STEP_WAIT, STEP_START };

struct fault_backend {
	struct loop *loop;
	char *socket;
	int api_major, api_minor;	/* 0.0 until negotiated (or pinned with api=) */
	enum docker_start start;
	long timeout_ms;
	struct docker_op *op;
	/* What inject killed, for restore. */
	char *killed_id;
	char *killed_name;
	char *killed_policy;
	struct fault_later later;	/* a result waiting to be reported */
	struct docker_op *rop;		/* the restarts chain, apart from op */
	/* The container a hostname was last found in (restarts, kill): asked
	 * straight by ID next time, as a killed one is found by no list. */
	char *count_host;
	char *count_id;
};

struct docker_op {
	struct fault_backend *b;
	struct docker_op **slot;	/* &b->op or &b->rop */
	struct http_req *req;
	enum docker_step step;
	char *host_name;
	bool do_kill;
	char *plan_out;
	size_t plan_len;
	char **cand;			/* container IDs to inspect */
	size_t n_cand, next;
	struct docker_inspect match;	/* the one found (id NULL until then) */
	size_t n_match;
	fault_cb cb;
	void *arg;
	fault_restarts_cb rcb;		/* set: a restarts lookup, not a kill or plan */
	void *rarg;
	bool direct;			/* the inspect is of count_id, not from a list */
	uint64_t timer;			/* a restarts answer known at once */
	int *done;
	struct fault_result res;
};

static bool
docker_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return n > 0;
}

static void
docker_op_free(struct docker_op *op)
{
	size_t i;

	for (i = 0; i < op->n_cand; i++)
		free(op->cand[i]);
	free(op->cand);
	docker_inspect_release(&op->match);
	free(op->host_name);
	free(op);
}

bool
fault_docker_last_exit(const struct docker_inspect *c, char *out, size_t outlen)
{
	out[0] = '\0';
	/* Docker zeroes ExitCode when the container starts again. */
	if (c == NULL || c->running || c->status == NULL ||
	    (strcmp(c->status, "exited") != 0 && strcmp(c->status, "restarting") != 0 &&
	    strcmp(c->status, "dead") != 0) || c->exit_code < 0 || c->exit_code > 255)
		return false;
	snprintf(out, outlen, "exit %lld", (long long)c->exit_code);
	return true;
}

static void
docker_op_finish(struct docker_op *op)
{
	struct fault_restarts rr;
	fault_restarts_cb rcb = op->rcb;
	void *rarg = op->rarg;

	*op->slot = NULL;
	if (rcb != NULL) {
		/* Freed before rcb, which may ask again or close the backend. */
		memset(&rr, 0, sizeof rr);
		rr.err = op->res.err;
		rr.count = -1;
		if (rr.err != 0)
			snprintf(rr.errmsg, sizeof rr.errmsg, "%s", op->res.errmsg);
		else if (op->match.restart_count < 0) {
			rr.err = -1;
			snprintf(rr.errmsg, sizeof rr.errmsg, "container '%.60s' has a negative "
			    "RestartCount", op->match.name);
		} else {
			rr.count = op->match.restart_count;
			snprintf(rr.what, sizeof rr.what, "RestartCount of container '%.60s' (%.12s)",
			    op->match.name, op->match.id);
			(void)fault_docker_last_exit(&op->match, rr.last_exit, sizeof rr.last_exit);
		}
		docker_op_free(op);
		rcb(&rr, rarg);
		return;
	}
	if (op->done != NULL)
		*op->done = 1;
	if (op->cb != NULL)
		op->cb(&op->res, op->arg);
	docker_op_free(op);
}

static void
docker_fail(struct docker_op *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
docker_fail(struct docker_op *op, const char *fmt, ...)
{
	va_list ap;

	op->res.err = -1;
	va_start(ap, fmt);
	vsnprintf(op->res.errmsg, sizeof op->res.errmsg, fmt, ap);
	va_end(ap);
	docker_op_finish(op);
}

static void docker_done(const struct http_resp *r, void *arg);

/* Send method path (with the version prefix unless raw) on the socket. */
static int
docker_send(struct docker_op *op, enum docker_step step, const char *method, const char *path,
    bool raw, long timeout_ms)
{
	struct fault_backend *b = op->b;
	struct http_opts o;
	char *url;

	url = raw ? xasprintf("http://localhost%s", path) :
	    xasprintf("http://localhost/v%d.%d%s", b->api_major, b->api_minor, path);
	memset(&o, 0, sizeof o);
	o.method = method;
	o.url = url;
	o.unix_socket = b->socket;
	o.timeout_ms = timeout_ms > 0 ? timeout_ms : b->timeout_ms;
	o.max_response = DOCKER_MAX_BODY;
	op->step = step;
	op->req = http_start(b->loop, &o, docker_done, op);
	free(url);
	if (op->req == NULL) {
		docker_fail(op, "cannot start a docker request");
		return -1;
	}
	return 0;
}

static void
docker_send_path(struct docker_op *op, enum docker_step step, const char *method,
    const char *id, const char *what, long timeout_ms)
{
	char *path = xasprintf("/containers/%s%s", id, what);

	docker_send(op, step, method, path, false, timeout_ms);
	free(path);
}

static const char *
docker_policy_shown(const char *p)
{
	return *p != '\0' ? p : "no";
}

static bool
docker_wants_start(struct fault_backend *b, const char *policy)
{
	if (b->start == START_ALWAYS)
		return true;
	if (b->start == START_NEVER)
		return false;
	return *policy == '\0' || strcmp(policy, "no") == 0;
}

static void
docker_plan_text(struct docker_op *op)
{
	struct fault_backend *b = op->b;
	const struct docker_inspect *c = &op->match;
	struct buf t = BUF_INIT;

	buf_printf(&t, "docker: container '%s' id %.12s, hostname %s, %s, restart policy '%s', "
	    "restarts %lld\n", c->name, c->id, c->hostname, c->status,
	    docker_policy_shown(c->restart_policy), (long long)c->restart_count);
	buf_printf(&t, "api unix://%s v%d.%d\n", b->socket, b->api_major, b->api_minor);
	buf_printf(&t, "POST /v%d.%d/containers/%s/kill?signal=SIGKILL\n", b->api_major,
	    b->api_minor, c->id);
	if (docker_wants_start(b, c->restart_policy))
		buf_printf(&t, "restore: POST /v%d.%d/containers/%s/wait?condition=not-running, "
		    "then POST /v%d.%d/containers/%s/start\n", b->api_major, b->api_minor, c->id,
		    b->api_major, b->api_minor, c->id);
	else
		buf_printf(&t, "restore: none (restart policy '%s'); note that an API SIGKILL "
		    "cancels the restart policy, so the container stays down unless started "
		    "(start=always)\n", docker_policy_shown(c->restart_policy));
	snprintf(op->plan_out, op->plan_len, "%s", t.data);
	buf_release(&t);
}

static void
docker_record_kill(struct fault_backend *b, const struct docker_inspect *c)
{
	free(b->killed_id);
	free(b->killed_name);
	free(b->killed_policy);
	b->killed_id = xstrdup(c->id);
	b->killed_name = xstrdup(c->name);
	b->killed_policy = xstrdup(c->restart_policy);
}

static void docker_lookup(struct docker_op *op);

static void
docker_remember(struct fault_backend *b, const char *host, const char *id)
{
	free(b->count_host);
	free(b->count_id);
	b->count_host = xstrdup(host);
	b->count_id = xstrdup(id);
}

/* A restarts lookup is done: the one container with the hostname, running
 * or not (after a kill without start it is down, and still counts). */
static void
docker_counted(struct docker_op *op)
{
	if (op->n_match > 1) {
		docker_fail(op, "%zu running containers have hostname '%.100s': cannot tell "
		    "whose restarts to count", op->n_match, op->host_name);
		return;
	}
	if (op->match.id == NULL) {
		docker_fail(op, "no container has hostname '%.100s' (socket '%.100s')",
		    op->host_name, op->b->socket);
		return;
	}
	docker_remember(op->b, op->host_name, op->match.id);
	op->res.err = 0;
	docker_op_finish(op);
}

/* After every inspect: the next candidate, or decide. */
static void
docker_next(struct docker_op *op)
{
	struct fault_backend *b = op->b;

	if (op->next < op->n_cand) {
		docker_send_path(op, STEP_INSPECT, "GET", op->cand[op->next++], "/json", 0);
		return;
	}
	if (op->rcb != NULL) {
		docker_counted(op);
		return;
	}
	if (op->n_match == 0 && op->match.id != NULL) {
		docker_fail(op, "container '%.100s' (hostname '%.100s') is %.40s, not running",
		    op->match.name, op->host_name, op->match.status);
		return;
	}
	if (op->n_match == 0) {
		docker_fail(op, "no running container has hostname '%.100s' (socket '%.100s')",
		    op->host_name, b->socket);
		return;
	}
	if (op->n_match > 1) {
		docker_fail(op, "%zu running containers have hostname '%.100s' (host network?): "
		    "cannot tell which to kill", op->n_match, op->host_name);
		return;
	}
	if (!op->match.running) {
		docker_fail(op, "container '%.100s' is %.40s, not running", op->match.name,
		    op->match.status);
		return;
	}
	if (!op->do_kill) {
		docker_plan_text(op);
		op->res.err = 0;
		docker_op_finish(op);
		return;
	}
	docker_send_path(op, STEP_KILL, "POST", op->match.id, "/kill?signal=SIGKILL", 0);
}

static void
docker_on_list(struct docker_op *op, const struct http_resp *r)
{
	struct docker_summary *v;
	size_t n, i, len = strlen(op->host_name);
	char err[200];
	bool by_id;

	if (docker_list_parse(r->body, r->len, &v, &n, err, sizeof err) != 0) {
		docker_fail(op, "container list: %s", err);
		return;
	}
	/* The default hostname is the first 12 hex digits of the ID (§2.6): then
	 * only that container needs a look; otherwise every running one does. */
	by_id = len >= 12 && docker_hex(op->host_name, len);
	op->cand = xcalloc(n > 0 ? n : 1, sizeof *op->cand);
	for (i = 0; i < n; i++) {
		bool take = by_id ? strncmp(v[i].id, op->host_name, len) == 0 :
		    strcmp(v[i].state, "running") == 0;

		if (take && docker_id_valid(v[i].id))
			op->cand[op->n_cand++] = xstrdup(v[i].id);
	}
	if (by_id && op->n_cand == 0)	/* a custom hostname that looks like hex */
		for (i = 0; i < n; i++)
			if (strcmp(v[i].state, "running") == 0 && docker_id_valid(v[i].id))
				op->cand[op->n_cand++] = xstrdup(v[i].id);
	docker_list_free(v, n);
	if (op->n_cand > DOCKER_MAX_INSPECT) {
		docker_fail(op, "%zu running containers: too many to search for hostname '%.100s'",
		    op->n_cand, op->host_name);
		return;
	}
	docker_next(op);
}

/* The session's HostName is the container's hostname, or, when none is set,
 * the ID it defaults to (§2.6). */
static bool
docker_host_is(const struct docker_inspect *c, const char *host)
{
	size_t len = strlen(host);

	return strcmp(c->hostname, host) == 0 ||
	    (len >= 12 && *c->hostname == '\0' && strncmp(c->id, host, len) == 0);
}

static void
docker_on_inspect(struct docker_op *op, const struct http_resp *r)
{
	struct docker_inspect c;
	char err[200];
	bool direct = op->direct;

	op->direct = false;
	if (r->status == 404) {		/* removed since the list: not ours */
		if (direct)
			docker_lookup(op);
		else
			docker_next(op);
		return;
	}
	if (docker_inspect_parse(r->body, r->len, &c, err, sizeof err) != 0) {
		docker_fail(op, "container inspect: %s", err);
		return;
	}
	if (direct && !docker_host_is(&c, op->host_name)) {
		/* Not the container it was: search again. */
		docker_inspect_release(&c);
		docker_lookup(op);
		return;
	}
	if (direct) {
		op->match = c;
		docker_counted(op);
		return;
	}
	if (docker_host_is(&c, op->host_name)) {
		if (c.running || op->match.id == NULL) {
			if (c.running)
				op->n_match++;
			docker_inspect_release(&op->match);
			op->match = c;
			docker_next(op);
			return;
		}
	}
	docker_inspect_release(&c);
	docker_next(op);
}

static void
docker_done(const struct http_resp *r, void *arg)
{
	struct docker_op *op = arg;
	struct fault_backend *b = op->b;
	struct docker_version v;
	char *msg, err[200];

	op->req = NULL;
	if (r->err != HTTP_OK) {
		docker_fail(op, "docker at '%.100s': %.140s", b->socket, r->errmsg);
		return;
	}
	msg = docker_error_message(r->body, r->len);
	switch (op->step) {
	case STEP_VERSION:
		if (r->status != 200 || docker_version_parse(r->body, r->len, &v, err, sizeof err) != 0) {
			docker_fail(op, "docker /version: HTTP %ld %.150s", r->status, msg != NULL ? msg : "");
			break;
		}
		if (v.api_major != 1 || v.api_minor < DOCKER_API_MIN_MINOR) {
			docker_fail(op, "docker API %d.%d is older than 1.%d", v.api_major, v.api_minor,
			    DOCKER_API_MIN_MINOR);
			break;
		}
		/* min(daemon, what the tool is tested against), not below the daemon's floor. */
		b->api_major = 1;
		b->api_minor = v.api_minor < DOCKER_API_MAX_MINOR ? v.api_minor : DOCKER_API_MAX_MINOR;
		if (v.min_major == 1 && b->api_minor < v.min_minor)
			b->api_minor = v.min_minor;
		docker_send(op, STEP_LIST, "GET", "/containers/json?all=1", false, 0);
		break;
	case STEP_LIST:
		if (r->status != 200)
			docker_fail(op, "container list: HTTP %ld %.150s", r->status, msg != NULL ? msg : "");
		else
			docker_on_list(op, r);
		break;
	case STEP_INSPECT:
		if (r->status != 200 && r->status != 404)
			docker_fail(op, "container inspect: HTTP %ld %.150s", r->status,
			    msg != NULL ? msg : "");
		else
			docker_on_inspect(op, r);
		break;
	case STEP_KILL:
		if (r->status == 204 || r->status == 200) {
			op->res.err = 0;
			op->res.injected_ms = time_wall_ms();
			docker_record_kill(b, &op->match);
			docker_remember(b, op->host_name, op->match.id);
			snprintf(op->res.detail, sizeof op->res.detail,
			    "killed container '%.60s' (%.12s) with SIGKILL; restart policy '%.20s', "
			    "restarts %lld before", op->match.name, op->match.id,
			    docker_policy_shown(op->match.restart_policy),
			    (long long)op->match.restart_count);
			docker_op_finish(op);
		} else if (r->status == 409) {
			docker_fail(op, "container '%.60s' is not running (409)", op->match.name);
		} else {
			docker_fail(op, "kill container '%.60s': HTTP %ld %.150s", op->match.name,
			    r->status, msg != NULL ? msg : "");
		}
		break;
	case STEP_WAIT:
		if (r->status != 200) {
			docker_fail(op, "wait for container '%.60s': HTTP %ld %.150s", b->killed_name,
			    r->status, msg != NULL ? msg : "");
			break;
		}
		docker_send_path(op, STEP_START, "POST", b->killed_id, "/start", 0);
		break;
	case STEP_START:
		if (r->status == 204 || r->status == 304) {
			op->res.err = 0;
			op->res.injected_ms = time_wall_ms();
			snprintf(op->res.detail, sizeof op->res.detail, "%s container '%.60s' (%.12s)",
			    r->status == 204 ? "started" : "already running:", b->killed_name,
			    b->killed_id);
			docker_op_finish(op);
		} else {
			docker_fail(op, "start container '%.60s': HTTP %ld %.150s", b->killed_name,
			    r->status, msg != NULL ? msg : "");
		}
		break;
	}
	free(msg);
}

static int
docker_begin(struct fault_backend *b, const char *host_name, bool do_kill, fault_cb cb,
    void *arg, char *err, size_t errlen, struct docker_op **out)
{
	struct docker_op *op;

	if (b->op != NULL) {
		snprintf(err, errlen, "a docker request is already in flight");
		return -1;
	}
	if (!do_kill && host_name == NULL && b->killed_id == NULL) {
		snprintf(err, errlen, "nothing to restore: no container was killed");
		return -1;
	}
	if (host_name != NULL && (*host_name == '\0' || strlen(host_name) > 253)) {
		snprintf(err, errlen, "the target has no usable HostName to find its container");
		return -1;
	}
	op = xcalloc(1, sizeof *op);
	op->b = b;
	op->host_name = xstrdup(host_name != NULL ? host_name : "");
	op->do_kill = do_kill;
	op->cb = cb;
	op->arg = arg;
	op->slot = &b->op;
	b->op = op;
	*out = op;
	return 0;
}

/* The lookup chain: /version (once), list, inspect(s), then kill or plan. */
static void
docker_lookup(struct docker_op *op)
{
	if (op->b->api_major == 0)
		docker_send(op, STEP_VERSION, "GET", "/version", true, 0);
	else
		docker_send(op, STEP_LIST, "GET", "/containers/json?all=1", false, 0);
}

static int
docker_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	struct docker_op *op;
	char msg[256];

	if (b->later.timer != 0)
		return -1;
	if (docker_begin(b, t->host_name != NULL ? t->host_name : "", true, cb, arg, msg,
	    sizeof msg, &op) != 0) {
		fault_later_fail(&b->later, b->loop, cb, arg, msg);
		return 0;
	}
	docker_lookup(op);
	return 0;
}

static int
docker_restore(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	struct docker_op *op;
	struct fault_result *res = &b->later.res;
	char msg[256];

	if (b->later.timer != 0)
		return -1;
	if (docker_begin(b, NULL, false, cb, arg, msg, sizeof msg, &op) != 0) {
		fault_later_fail(&b->later, b->loop, cb, arg, msg);
		return 0;
	}
	if (!docker_wants_start(b, b->killed_policy)) {
		b->op = NULL;
		docker_op_free(op);
		/* Nothing to do, said as a success from the loop. */
		memset(res, 0, sizeof *res);
		snprintf(res->detail, sizeof res->detail, "container '%.60s' not started: restart "
		    "policy '%.20s' (an API SIGKILL cancels it; start=always starts it)",
		    b->killed_name, docker_policy_shown(b->killed_policy));
		res->injected_ms = time_wall_ms();
		fault_later_post(&b->later, b->loop, cb, arg);
		return 0;
	}
	/* A start before the kill has landed answers 304 and leaves it down. */
	docker_send_path(op, STEP_WAIT, "POST", b->killed_id, "/wait?condition=not-running",
	    DOCKER_WAIT_MS);
	return 0;
}

static int
docker_plan(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	char *errmsg = NULL;
	struct docker_op *op;
	int done = 0, rc;

	if (outlen > 0)
		out[0] = '\0';
	if (docker_begin(b, t->host_name != NULL ? t->host_name : "", false, fault_keep_error,
	    &errmsg, out, outlen, &op) != 0)
		return -1;
	op->plan_out = out;
	op->plan_len = outlen;
	op->done = &done;
	docker_lookup(op);
	if (loop_run_until(b->loop, &done, DOCKER_PLAN_TIMEOUTS * (int64_t)b->timeout_ms) != 0) {
		/* Still in flight, so op is still b->op and no callback ran. */
		http_cancel(op->req);
		*op->slot = NULL;
		docker_op_free(op);
		snprintf(out, outlen, "docker at '%s' did not answer plan's lookups within %ld ms",
		    b->socket, DOCKER_PLAN_TIMEOUTS * b->timeout_ms);
		return -1;
	}
	rc = errmsg == NULL ? 0 : -1;
	if (errmsg != NULL)
		snprintf(out, outlen, "%s", errmsg);
	free(errmsg);
	return rc;
}

/* The first request goes from the loop too: a failure to send it answers
 * through docker_fail, which must not run inside docker_restarts. */
static void
docker_restarts_start(void *arg)
{
	struct docker_op *op = arg;
	struct fault_backend *b = op->b;

	op->timer = 0;
	if (op->res.err != 0)
		docker_op_finish(op);
	else if (b->count_host != NULL && strcmp(b->count_host, op->host_name) == 0 &&
	    b->api_major != 0) {
		op->direct = true;
		docker_send_path(op, STEP_INSPECT, "GET", b->count_id, "/json", 0);
	} else
		docker_lookup(op);
}

/* Top-level RestartCount (§3.2) of the container with the target's HostName,
 * found as inject finds it; it counts the restart policy's restarts only. */
static int
docker_restarts(struct fault_backend *b, const struct fault_target *t, fault_restarts_cb cb,
    void *arg)
{
	const char *host = t->host_name != NULL ? t->host_name : "";
	struct docker_op *op;

	if (b->rop != NULL)
		return -1;
	op = xcalloc(1, sizeof *op);
	op->b = b;
	op->slot = &b->rop;
	op->host_name = xstrdup(host);
	op->rcb = cb;
	op->rarg = arg;
	b->rop = op;
	if (*host == '\0' || strlen(host) > 253) {
		op->res.err = -1;
		snprintf(op->res.errmsg, sizeof op->res.errmsg, "the target has no usable HostName "
		    "to find its container");
	}
	op->timer = loop_timer_add(b->loop, 0, docker_restarts_start, op);
	return 0;
}

static void
docker_op_cancel(struct fault_backend *b, struct docker_op *op)
{
	if (op == NULL)
		return;
	if (op->timer != 0)
		loop_timer_cancel(b->loop, op->timer);
	http_cancel(op->req);
	docker_op_free(op);
}

static void
docker_close(struct fault_backend *b)
{
	if (b == NULL)
		return;
	fault_later_cancel(&b->later);
	docker_op_cancel(b, b->op);
	docker_op_cancel(b, b->rop);
	free(b->count_host);
	free(b->count_id);
	free(b->socket);
	free(b->killed_id);
	free(b->killed_name);
	free(b->killed_policy);
	free(b);
}

static struct fault_backend *
docker_open(struct loop *l, const struct profile *p, struct etcd *e,
    const char *const *options, char *err, size_t errlen)
{
	const char *sock = fault_option(options, "socket");
	const char *api = fault_option(options, "api");
	const char *start = fault_option(options, "start");
	const char *dh = getenv("DOCKER_HOST");
	struct fault_backend *b;
	size_t i;

	for (i = 0; options != NULL && options[i] != NULL; i++) {
		size_t k = strcspn(options[i], "=");

		if (options[i][k] != '=' || !((k == 6 && strncmp(options[i], "socket", 6) == 0) ||
		    (k == 3 && strncmp(options[i], "api", 3) == 0) ||
		    (k == 5 && strncmp(options[i], "start", 5) == 0))) {
			snprintf(err, errlen, "unknown docker option '%.*s' (socket, api, start)",
			    (int)k, options[i]);
			return NULL;
		}
	}
	if (sock == NULL && dh != NULL && strncmp(dh, "unix://", 7) == 0)
		sock = dh + 7;
	if (sock == NULL || *sock == '\0')
		sock = DOCKER_DEFAULT_SOCKET;
	if (strlen(sock) > 107) {	/* sun_path */
		snprintf(err, errlen, "docker socket path '%.60s...' is longer than 107 bytes", sock);
		return NULL;
	}
	b = xcalloc(1, sizeof *b);
	if (api != NULL) {
		if (*api == 'v')
			api++;
		if (docker_version_parse_str(api, &b->api_major, &b->api_minor) != 0 ||
		    b->api_major != 1 || b->api_minor < DOCKER_API_MIN_MINOR) {
			snprintf(err, errlen, "api '%s' is not a docker API version like 1.43", api);
			free(b);
			return NULL;
		}
	}
	/*
	 * Contract §3.4: a SIGKILL sent through the API cancels the restart
	 * policy, so the container stays down whatever its policy says. The
	 * default therefore starts it again always (a start of a running
	 * container is a harmless 304); start=auto trusts the policy.
	 */
	if (start == NULL || strcmp(start, "always") == 0)
		b->start = START_ALWAYS;
	else if (strcmp(start, "auto") == 0)
		b->start = START_AUTO;
	else if (strcmp(start, "always") == 0)
		b->start = START_ALWAYS;
	else if (strcmp(start, "never") == 0)
		b->start = START_NEVER;
	else {
		snprintf(err, errlen, "start '%s' is not auto, always or never", start);
		free(b);
		return NULL;
	}
	b->loop = l;
	b->socket = xstrdup(sock);
	b->timeout_ms = p != NULL && p->timeout_ms > 0 ? (long)p->timeout_ms : 5000;
	return b;
}

const struct fault_ops fault_docker_ops = {
	"docker", docker_open, docker_close, docker_plan, docker_inject, docker_restore,
	docker_restarts
};
