/* SPDX-License-Identifier: MIT */
/* The lab's HTTP servers: 9091 (/healthz, /metrics, /management, §4) and the
 * proxy's 19530 (REST v2 routes table, §5), libmicrohttpd driven by the loop. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>

#include "milvusadm/b64.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/log.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "labd.h"

#define MAX_BODY	(1024 * 1024)	/* larger request bodies end the connection */
#define MAX_PENDING	128		/* suspended requests (the connection limit) */

struct labd_http {
	struct labd *d;
	struct MHD_Daemon *mhd;
	int epfd;
	uint64_t timer;
	bool rest;
	labd_http_app_fn app;		/* a server of its own (labd_http_start_app) */
	void *app_arg;
	struct labd_http_req *pending[MAX_PENDING];	/* suspended stop requests */
};

/* Per-request state, from the first call of the access handler to completion. */
struct labd_http_req {
	struct labd_http *h;
	struct MHD_Connection *conn;
	struct buf body;
	bool suspended;
	bool resumed;
	struct labd_comp *comp;
	struct labd_rest_job *job;	/* a REST call reading etcd */
	bool started;			/* the app callback has seen it */
	void (*gone)(void *arg);	/* the app's: the client left before an answer */
	void *gone_arg;
	bool answered;			/* resp_* hold the answer to send */
	unsigned int resp_status;
	char *resp_ctype;
	char *resp_body;
	size_t resp_len;
};

static void http_run(struct labd_http *h);
static void on_timer(void *arg);

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned int status, const char *ctype,
    const char *body, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (ctype != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
reply_buf(struct MHD_Connection *conn, unsigned int status, const char *ctype, struct buf *b)
{
	enum MHD_Result ret = reply(conn, status, ctype, b->data != NULL ? b->data : "", b->len);

	buf_release(b);
	return ret;
}

static enum MHD_Result
reply_msg(struct MHD_Connection *conn, unsigned int status, const char *fmt, const char *arg)
{
	struct buf b = BUF_INIT, m = BUF_INIT;

	/* Milvus writes these bodies with a space after the colon: {"msg": "OK"}. */
	buf_printf(&m, fmt, arg);
	buf_adds(&b, "{\"msg\": ");
	labd_json_str(&b, m.data);
	buf_addc(&b, '}');
	buf_release(&m);
	return reply_buf(conn, status, "application/json", &b);
}

static enum MHD_Result
not_found(struct MHD_Connection *conn)
{
	static const char body[] = "404 page not found\n";

	return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", body, sizeof body - 1);
}

/* ---- 9091 ---- */

static bool
state_ok(enum labd_state s)
{
	return s == LABD_ST_HEALTHY || s == LABD_ST_STANDBY;
}

/* §4.2: one indicator per running component; StandBy counts as healthy. */
static enum MHD_Result
route_healthz(struct labd_http *h, struct MHD_Connection *conn)
{
	struct labd *d = h->d;
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	struct buf state = BUF_INIT, b = BUF_INIT;
	const struct labd_comp *bad = NULL;
	size_t i, total = 0, healthy = 0;
	const char *sep = "";

	for (i = 0; i < d->n_comps; i++) {
		if (d->comps[i]->stopped)
			continue;
		total++;
		if (state_ok(d->comps[i]->state))
			healthy++;
		else
			bad = d->comps[i];
	}
	if (bad == NULL)
		buf_adds(&state, "OK");
	else if (d->v->healthz == LABD_HEALTHZ_23)
		buf_printf(&state, "component %s state is %s", labd_role_name(bad->role),
		    labd_state_name(bad->state));
	else
		buf_printf(&state, "Not all components are healthy, %zu/%zu", healthy, total);

	if (ct == NULL || strcmp(ct, "application/json") != 0) {
		buf_release(&b);
		return reply_buf(conn, bad == NULL ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "text/plain; charset=utf-8", &state);
	}
	buf_adds(&b, "{\"state\":");
	labd_json_str(&b, state.data);
	buf_adds(&b, ",\"detail\":[");
	for (i = 0; i < d->n_comps; i++) {
		if (d->comps[i]->stopped)
			continue;
		buf_printf(&b, "%s{\"name\":\"%s\",\"code\":%d}", sep,
		    labd_role_name(d->comps[i]->role), (int)d->comps[i]->state);
		sep = ",";
	}
	buf_adds(&b, "]}");
	buf_release(&state);
	return reply_buf(conn, bad == NULL ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR,
	    "application/json", &b);
}

/* When this process started, in seconds since the epoch, the way the Go
 * client's process collector reads it (every Milvus process serves it):
 * the start tick in /proc/self/stat after the boot time in /proc/stat. 0 when
 * /proc cannot say. */
static double
proc_start_seconds(void)
{
	static double cached = -1;
	char buf[1024], *p;
	unsigned long long start = 0, btime = 0;
	long hz = sysconf(_SC_CLK_TCK);
	size_t n;
	FILE *f;
	int k;

	if (cached >= 0)
		return cached;
	cached = 0;
	if ((f = fopen("/proc/self/stat", "r")) == NULL)
		return cached;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces: fields count from its ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return cached;
	for (k = 0; k < 20 && p != NULL; k++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &start) != 1)
		return cached;
	if ((f = fopen("/proc/stat", "r")) == NULL)
		return cached;
	while (fgets(buf, sizeof buf, f) != NULL) {
		if (sscanf(buf, "btime %llu", &btime) == 1)
			break;
	}
	fclose(f);
	if (btime > 0 && hz > 0)
		cached = (double)btime + (double)start / (double)hz;
	return cached;
}

static enum MHD_Result
route_metrics(struct labd_http *h, struct MHD_Connection *conn)
{
	struct labd *d = h->d;
	struct buf b = BUF_INIT;
	size_t i;

	if (proc_start_seconds() > 0)
		buf_printf(&b, "# HELP process_start_time_seconds Start time of the process "
		    "since unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n"
		    "process_start_time_seconds %.12g\n", proc_start_seconds());
	buf_adds(&b, "# HELP milvus_num_node number of nodes and coordinates\n"
	    "# TYPE milvus_num_node gauge\n");
	for (i = 0; i < d->n_comps; i++) {
		if (!d->comps[i]->ever_counted)
			continue;
		buf_printf(&b, "milvus_num_node{node_id=\"%lld\",role_name=\"%s\"} %d\n",
		    (long long)d->server_id, labd_role_name(d->comps[i]->role),
		    d->comps[i]->counted ? 1 : 0);
	}
	return reply_buf(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", &b);
}

static enum MHD_Result
route_ready(struct labd_http *h, struct MHD_Connection *conn)
{
	const char *role = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "role");
	struct labd_comp *c;

	if (role == NULL || *role == '\0')
		return reply_msg(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "failed to to check component ready, %s", "role is empty");
	if ((c = labd_comp_find(h->d, role)) == NULL)
		return reply_msg(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "failed to to check component ready, component %s not found", role);
	if (c->state != LABD_ST_HEALTHY)
		return reply_msg(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "failed to to check component ready, component state is %s",
		    labd_state_name(c->state));
	return reply_msg(conn, MHD_HTTP_OK, "%s", "OK");
}

static void
stop_finished(struct labd_comp *c)
{
	if (c->stop_req != NULL) {
		labd_http_stop_done(c->stop_req);
		c->stop_req = NULL;
	}
}

/* Park a request in pending[] while something on the loop works for it. */
static int
req_suspend(struct labd_http *h, struct labd_http_req *r)
{
	size_t i;

	for (i = 0; i < MAX_PENDING; i++) {
		if (h->pending[i] == NULL)
			break;
	}
	if (i == MAX_PENDING)
		return -1;
	h->pending[i] = r;
	r->suspended = true;
	MHD_suspend_connection(r->conn);
	return 0;
}

/* Take a request out of pending[] and let MHD call its handler again. */
static void
req_resume(struct labd_http_req *r)
{
	struct labd_http *h = r->h;
	size_t i;

	for (i = 0; i < MAX_PENDING; i++) {
		if (h->pending[i] == r)
			h->pending[i] = NULL;
	}
	if (!r->suspended)
		return;
	r->suspended = false;
	r->resumed = true;
	MHD_resume_connection(r->conn);
	/* MHD must run again to call the handler for the resumed connection; not
	 * from here, which may be inside MHD's own access handler. */
	if (h->timer != 0)
		loop_timer_cancel(h->d->loop, h->timer);
	h->timer = loop_timer_add(h->d->loop, 0, on_timer, h);
}

void
labd_http_answer(struct labd_http_req *r, unsigned int status, const char *ctype,
    const char *body, size_t len)
{
	r->job = NULL;
	r->answered = true;
	r->resp_status = status;
	r->gone = NULL;
	/* No Content-Type at all: what a crashed Go handler's 500 carries. */
	r->resp_ctype = ctype != NULL ? xstrdup(ctype) : NULL;
	r->resp_body = xmalloc(len + 1);
	memcpy(r->resp_body, body, len);
	r->resp_body[len] = '\0';
	r->resp_len = len;
	req_resume(r);
}

/* Answer from the catalog in etcd (labd-rest-io.c), suspended meanwhile. */
static enum MHD_Result
serve_job(struct labd_http *h, struct labd_http_req *r, struct MHD_Connection *conn,
    const char *url)
{
	static const char busy[] = "{\"code\":8,\"message\":\"rate limit exceeded\"}";

	if (r->answered)
		return reply(conn, r->resp_status, r->resp_ctype, r->resp_body, r->resp_len);
	if (req_suspend(h, r) == -1)
		return reply(conn, MHD_HTTP_OK, "application/json; charset=utf-8", busy,
		    sizeof busy - 1);
	r->job = labd_rest_start(h->d, r, url, r->body.data, r->body.len,
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "DB-Name"));
	return MHD_YES;
}

/* §2.9: stops one component, answers once it is stopped (the process stays). */
static enum MHD_Result
route_stop(struct labd_http *h, struct labd_http_req *r, struct MHD_Connection *conn)
{
	const char *role = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "role");
	struct labd_comp *c;

	if (r->resumed)
		return reply_msg(conn, MHD_HTTP_OK, "%s", "OK");
	if (role == NULL || *role == '\0')
		return reply_msg(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "failed to trigger component stop, %s", "role is empty");
	if ((c = labd_comp_find(h->d, role)) == NULL)
		return reply_msg(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "failed to trigger component stop, component %s not found", role);
	if (c->stop_started || c->stop_req != NULL)
		return reply_msg(conn, MHD_HTTP_OK, "%s", "OK");
	if (req_suspend(h, r) == -1)
		return reply_msg(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "failed to trigger component stop, %s", "too many stops in progress");
	log_info("/management/stop: stopping %s", role);
	r->comp = c;
	c->stop_req = r;
	labd_comp_stop(c, stop_finished);
	return MHD_YES;
}

void
labd_http_stop_done(struct labd_http_req *r)
{
	req_resume(r);
}

/*
 * common.security.adminAuthEnabled (contract 10). The routes it protects want
 * root's HTTP basic auth; a lab plays it when --admin-auth-file names a file
 * holding "user:password" (that root), read per request so that a lab can
 * turn it on and off: no file or an empty one is adminAuth off. No
 * Authorization, one that is not basic, or a wrong password: 401; another
 * user: 403 (the lab keeps no other passwords, so it takes any user but its
 * root as one who authenticated but is not root). Errors are {"msg": ...}.
 * NULL when the request may go on, else the reason and *status.
 */
static const char *
admin_refused(const struct labd_http *h, struct MHD_Connection *conn, unsigned int *status)
{
	const char *hdr, *colon;
	char *want, *got, why[128];
	const char *reason = NULL;
	size_t len, got_len, n;

	if (h->d->admin_auth_file == NULL || (want = fs_read_all(h->d->admin_auth_file, 1024,
	    &len, why, sizeof why)) == NULL)
		return NULL;
	n = strcspn(want, "\r\n");
	want[n] = '\0';
	if (n == 0 || strchr(want, ':') == NULL) {
		free(want);
		return NULL;
	}
	*status = MHD_HTTP_UNAUTHORIZED;
	hdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (hdr == NULL || strncasecmp(hdr, "Basic ", 6) != 0)
		reason = "the management API requires authentication";
	else if ((got = b64_decode(hdr + 6, strlen(hdr + 6), &got_len)) == NULL ||
	    strlen(got) != got_len || (colon = strchr(got, ':')) == NULL) {
		reason = "invalid basic auth";
		free(got);
	} else {
		n = (size_t)(strchr(want, ':') - want);
		if ((size_t)(colon - got) != n || strncmp(got, want, n) != 0) {
			*status = MHD_HTTP_FORBIDDEN;
			reason = "only the root user may use the management API";
		} else if (strcmp(colon + 1, want + n + 1) != 0)
			reason = "invalid username or password";
		explicit_bzero(got, got_len);
		free(got);
	}
	explicit_bzero(want, len);
	free(want);
	return reason;
}

static enum MHD_Result
serve_9091(struct labd_http *h, struct labd_http_req *r, struct MHD_Connection *conn,
    const char *url)
{
	const struct labd_version *v = h->d->v;
	const char *refused;
	unsigned int status;

	/* Every route adminAuth protects that the lab serves: /management/
	 * (but /check/ready) and the WebUI's /api/v1/_... of a proxy. */
	if (((v->management && strcmp(url, "/management/stop") == 0) ||
	    (v->webui && strncmp(url, "/api/v1/_", 9) == 0 &&
	    labd_comp_find(h->d, "proxy") != NULL)) &&
	    (refused = admin_refused(h, conn, &status)) != NULL)
		return reply_msg(conn, status, "%s", refused);
	if (strcmp(url, "/healthz") == 0)
		return route_healthz(h, conn);
	if (strcmp(url, "/metrics") == 0)
		return route_metrics(h, conn);
	if (v->livez && strcmp(url, "/livez") == 0)
		return reply(conn, MHD_HTTP_OK, "text/plain; charset=utf-8",
		    "Milvus Process Active\n", 22);
	if (v->management && strcmp(url, "/management/check/ready") == 0)
		return route_ready(h, conn);
	if (v->management && strcmp(url, "/management/stop") == 0)
		return route_stop(h, r, conn);
	/* The proxy's gin router on 9091 (§4.5); GETs that carry a JSON body. */
	if (strncmp(url, "/api/v1/", 8) == 0 && labd_comp_find(h->d, "proxy") != NULL) {
		/* 3.0.3+ dropped the legacy proto-JSON routes; the WebUI's stay (§10). */
		if (!v->no_api_v1_legacy && strcmp(url, "/api/v1/health") == 0)
			return reply(conn, MHD_HTTP_OK, "application/json; charset=utf-8",
			    "{\"status\":\"ok\"}", 15);
		if ((!v->no_api_v1_legacy && strcmp(url, "/api/v1/replicas") == 0) ||
		    (v->webui && strcmp(url, "/api/v1/_qc/replica") == 0))
			return serve_job(h, r, conn, url);
	}
	return not_found(conn);
}

/* ---- 19530: REST v2 (§5), every call a POST answered from etcd ---- */

static enum MHD_Result
serve_rest(struct labd_http *h, struct labd_http_req *r, struct MHD_Connection *conn,
    const char *method, const char *url)
{
	/* gin answers a wrong method like an unknown path (404). */
	if (strcmp(method, "POST") != 0 || strncmp(url, "/v2/vectordb/", 13) != 0 ||
	    strlen(url) > 128)
		return not_found(conn);
	return serve_job(h, r, conn, url);
}

/* ---- a server of its own: every request to one callback ---- */

static enum MHD_Result
serve_app(struct labd_http *h, struct labd_http_req *r, struct MHD_Connection *conn,
    const char *method, const char *url)
{
	static const char busy[] = "too many requests in progress\n";

	if (!r->started) {
		r->started = true;
		h->app(r, method, url, h->app_arg);
	}
	if (r->answered)
		return reply(conn, r->resp_status, r->resp_ctype, r->resp_body, r->resp_len);
	/* The callback answers later (labd_http_answer resumes the request). */
	if (!r->suspended && req_suspend(h, r) == -1)
		return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", busy,
		    sizeof busy - 1);
	return MHD_YES;
}

const char *
labd_http_query(struct labd_http_req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	/* gin's c.Query: an absent parameter and an empty one are both "". */
	return v != NULL ? v : "";
}

bool
labd_http_has_query(struct labd_http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name) != NULL;
}

const char *
labd_http_header(struct labd_http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
labd_http_body(struct labd_http_req *r, size_t *len)
{
	*len = r->body.len;
	return r->body.data != NULL ? r->body.data : "";
}

void
labd_http_on_gone(struct labd_http_req *r, void (*gone)(void *arg), void *arg)
{
	r->gone = gone;
	r->gone_arg = arg;
}

/* ---- libmicrohttpd plumbing ---- */

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct labd_http *h = cls;
	struct labd_http_req *r = *con_cls;

	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		r->h = h;
		r->conn = conn;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (r->body.len + *upload_data_size > MAX_BODY)
			return MHD_NO;
		buf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (h->app != NULL)
		return serve_app(h, r, conn, method, url);
	if (h->rest)
		return serve_rest(h, r, conn, method, url);
	return serve_9091(h, r, conn, url);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct labd_http_req *r = *con_cls;
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < MAX_PENDING; i++) {
		if (r->h->pending[i] == r)
			r->h->pending[i] = NULL;
	}
	if (r->comp != NULL && r->comp->stop_req == r)
		r->comp->stop_req = NULL;
	if (r->job != NULL)
		labd_rest_detach(r->job);
	if (r->gone != NULL && !r->answered)
		r->gone(r->gone_arg);
	buf_release(&r->body);
	free(r->resp_ctype);
	free(r->resp_body);
	free(r);
	*con_cls = NULL;
}

static void
on_timer(void *arg)
{
	struct labd_http *h = arg;

	h->timer = 0;
	http_run(h);
}

/* Run MHD once, then re-arm the timer for whatever it wants to do next. */
static void
http_run(struct labd_http *h)
{
	MHD_UNSIGNED_LONG_LONG to;

	MHD_run(h->mhd);
	if (h->timer != 0)
		loop_timer_cancel(h->d->loop, h->timer);
	h->timer = 0;
	if (MHD_get_timeout(h->mhd, &to) == MHD_YES)
		h->timer = loop_timer_add(h->d->loop, to > 60000 ? 60000 : (int64_t)to, on_timer, h);
}

static void
on_epfd(int fd, int revents, void *arg)
{
	http_run(arg);
}

static struct labd_http *
http_start(struct labd *d, int port, bool rest, labd_http_app_fn app, void *app_arg, char *err,
    size_t errlen)
{
	struct labd_http *h = xcalloc(1, sizeof *h);
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *info;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, d->ip, &sin.sin_addr) != 1) {
		snprintf(err, errlen, "address '%s' is not an IPv4 address", d->ip);
		free(h);
		return NULL;
	}
	h->d = d;
	h->rest = rest;
	h->app = app;
	h->app_arg = app_arg;
	errno = 0;
	h->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, (uint16_t)port,
	    NULL, NULL, on_request, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)128,
	    MHD_OPTION_END);
	if (h->mhd == NULL) {
		snprintf(err, errlen, "cannot listen on '%s:%d': %s", d->ip, port,
		    errno != 0 ? strerror(errno) : "libmicrohttpd failed");
		free(h);
		return NULL;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	h->epfd = info != NULL ? info->epoll_fd : -1;
	if (h->epfd < 0 || loop_fd_add(d->loop, h->epfd, LOOP_READ, on_epfd, h) != 0) {
		snprintf(err, errlen, "cannot watch the http server of '%s:%d'", d->ip, port);
		MHD_stop_daemon(h->mhd);
		free(h);
		return NULL;
	}
	log_info("listening on %s:%d", d->ip, port);
	http_run(h);
	return h;
}

struct labd_http *
labd_http_start_metrics(struct labd *d, char *err, size_t errlen)
{
	return http_start(d, 9091, false, NULL, NULL, err, errlen);
}

struct labd_http *
labd_http_start_rest(struct labd *d, char *err, size_t errlen)
{
	return http_start(d, 19530, true, NULL, NULL, err, errlen);
}

struct labd_http *
labd_http_start_app(struct labd *d, int port, labd_http_app_fn fn, void *arg, char *err,
    size_t errlen)
{
	return http_start(d, port, false, fn, arg, err, errlen);
}

void
labd_http_stop(struct labd_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	/* MHD refuses to stop with suspended connections: let them go first. */
	for (i = 0; i < MAX_PENDING; i++) {
		if (h->pending[i] != NULL && h->pending[i]->suspended) {
			h->pending[i]->suspended = false;
			MHD_resume_connection(h->pending[i]->conn);
		}
	}
	if (h->timer != 0)
		loop_timer_cancel(h->d->loop, h->timer);
	loop_fd_del(h->d->loop, h->epfd);
	MHD_stop_daemon(h->mhd);
	free(h);
}
