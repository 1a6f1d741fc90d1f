/* SPDX-License-Identifier: MIT */
/* Unit tests for the loop and the HTTP client, against a libmicrohttpd server
 * on 127.60.0.1 run in its own thread (threads are fine in a test fixture). */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "milvusadm/loop.h"
#include "milvusadm/http.h"
#include "milvusadm/timeutil.h"

static struct MHD_Daemon *srv;
static int srv_port;

static enum MHD_Result
srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	static char big[70000];
	struct MHD_Response *resp;
	const char *body = "hello";
	size_t len = 5;
	enum MHD_Result ret;
	unsigned code = 200;

	if (*ctx == NULL) {
		*ctx = (void *)1;
		return MHD_YES;
	}
	if (*upload_len > 0) {
		*upload_len = 0;	/* echo tests only look at the method */
		return MHD_YES;
	}
	if (strcmp(url, "/slow") == 0) {
		usleep(1500 * 1000);
	} else if (strcmp(url, "/big") == 0) {
		memset(big, 'x', sizeof big);
		body = big;
		len = sizeof big;
	} else if (strcmp(url, "/method") == 0) {
		body = method;
		len = strlen(method);
	} else if (strcmp(url, "/auth") == 0) {
		body = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
		if (body == NULL)
			body = "none";
		len = strlen(body);
	} else if (strcmp(url, "/404") == 0) {
		code = 404;
	}
	resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
srv_start(void)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = 0;
	inet_pton(AF_INET, "127.60.0.1", &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, srv_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	info = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT);
	srv_port = info->port;
}

static void
srv_stop(void)
{
	MHD_stop_daemon(srv);
	srv = NULL;
}

static int fired[4];

static void
mark_cb(void *arg)
{
	fired[(intptr_t)arg]++;
}

START_TEST(test_timers)
{
	struct loop *l = loop_new();
	uint64_t a, b, c;
	int done = 0;
	int64_t t0 = time_mono_ms();

	memset(fired, 0, sizeof fired);
	a = loop_timer_add(l, 30, mark_cb, (void *)1);
	b = loop_timer_add(l, 10, mark_cb, (void *)2);
	c = loop_timer_add(l, 20, mark_cb, (void *)3);
	loop_timer_cancel(l, c);
	ck_assert_int_eq(loop_run_until(l, &done, 80), -1);
	ck_assert_int_ge(time_mono_ms() - t0, 80);
	ck_assert_int_eq(fired[1], 1);
	ck_assert_int_eq(fired[2], 1);
	ck_assert_int_eq(fired[3], 0);
	loop_timer_cancel(l, a);	/* already fired: harmless */
	loop_timer_cancel(l, b);
	loop_free(l);
}
END_TEST

static int pipe_seen;

static void
pipe_cb(int fd, int revents, void *arg)
{
	struct loop *l = arg;
	char c;

	if ((revents & LOOP_READ) && read(fd, &c, 1) == 1)
		pipe_seen = c;
	else
		pipe_seen = -1;	/* hang-up */
	loop_fd_del(l, fd);
}

START_TEST(test_fd_and_hangup)
{
	struct loop *l = loop_new();
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	loop_fd_add(l, p[0], LOOP_READ, pipe_cb, l);
	ck_assert_int_eq(write(p[1], "z", 1), 1);
	loop_once(l, 100);
	ck_assert_int_eq(pipe_seen, 'z');
	/* A pipe whose writer closed must reach the callback, not spin silently. */
	loop_fd_add(l, p[0], LOOP_READ, pipe_cb, l);
	close(p[1]);
	pipe_seen = 0;
	loop_once(l, 100);
	ck_assert_int_ne(pipe_seen, 0);
	close(p[0]);
	loop_free(l);
}
END_TEST

static int sig_seen;

static void
sig_cb(int signo, void *arg)
{
	int *done = arg;

	sig_seen = signo;
	*done = 1;
}

START_TEST(test_signal)
{
	struct loop *l = loop_new();
	int done = 0;

	loop_signal(l, SIGUSR1, sig_cb, &done);
	raise(SIGUSR1);
	ck_assert_int_eq(loop_run_until(l, &done, 1000), 0);
	ck_assert_int_eq(sig_seen, SIGUSR1);
	loop_signal(l, SIGUSR1, NULL, NULL);
	loop_free(l);
}
END_TEST

static char *
url(const char *path)
{
	static char u[128];

	snprintf(u, sizeof u, "http://127.60.0.1:%d%s", srv_port, path);
	return u;
}

START_TEST(test_http_basic)
{
	struct loop *l = loop_new();
	struct http_opts o = { 0 };
	char *body = NULL, err[256];
	long status = 0;
	int rc;

	srv_start();
	o.url = url("/x");
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_int_eq(rc, HTTP_OK);
	ck_assert_int_eq(status, 200);
	ck_assert_str_eq(body, "hello");
	free(body);

	o.url = url("/method");
	o.method = "POST";
	o.body = "{}";
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_int_eq(rc, HTTP_OK);
	ck_assert_str_eq(body, "POST");
	free(body);

	o.method = "GET";	/* Milvus's /api/v1 GETs carry a JSON body */
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_str_eq(body, "GET");
	free(body);

	memset(&o, 0, sizeof o);
	o.url = url("/auth");
	o.bearer = "root:Milvus";
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_str_eq(body, "Bearer root:Milvus");
	free(body);

	o.url = url("/404");
	o.bearer = NULL;
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_int_eq(rc, HTTP_OK);
	ck_assert_int_eq(status, 404);
	free(body);
	srv_stop();
	loop_free(l);
}
END_TEST

START_TEST(test_http_failures)
{
	struct loop *l = loop_new();
	struct http_opts o = { 0 };
	char *body = NULL, err[256];
	long status = 0;
	int64_t t0;
	int rc;

	srv_start();
	o.url = url("/slow");
	o.timeout_ms = 300;
	t0 = time_mono_ms();
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_int_eq(rc, HTTP_ETIMEOUT);
	ck_assert_int_lt(time_mono_ms() - t0, 1200);
	free(body);

	o.url = url("/big");
	o.timeout_ms = 0;
	o.max_response = 1024;
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_int_eq(rc, HTTP_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(err, "larger than 1024"));
	free(body);

	memset(&o, 0, sizeof o);
	o.url = "http://user:secretpw@127.60.0.9:1/";
	rc = http_sync(l, &o, &status, &body, NULL, err, sizeof err);
	ck_assert_int_eq(rc, HTTP_ECONNECT);
	ck_assert_ptr_null(strstr(err, "secretpw"));
	free(body);
	srv_stop();
	loop_free(l);
}
END_TEST

static size_t streamed;

static int
stream_cb(const char *p, size_t n, void *arg)
{
	streamed += n;
	return 0;
}

START_TEST(test_http_stream)
{
	struct loop *l = loop_new();
	struct http_opts o = { 0 };
	char *body = NULL;
	int rc;

	srv_start();
	o.url = url("/big");
	o.on_data = stream_cb;
	o.max_response = 10;	/* not applied to streams: the callback bounds them */
	rc = http_sync(l, &o, NULL, &body, NULL, NULL, 0);
	ck_assert_int_eq(rc, HTTP_OK);
	ck_assert_int_eq(streamed, 70000);
	ck_assert_str_eq(body, "");
	free(body);
	srv_stop();
	loop_free(l);
}
END_TEST

/* A one-shot HTTP server on a unix socket, as the Docker Engine API is reached. */
static void *
unix_serve(void *arg)
{
	int lfd = *(int *)arg, c;
	char req[1024];
	const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nunixok";

	c = accept(lfd, NULL, NULL);
	if (c >= 0) {
		(void)!read(c, req, sizeof req);
		(void)!write(c, resp, strlen(resp));
		close(c);
	}
	return NULL;
}

START_TEST(test_http_unix_socket)
{
	struct loop *l = loop_new();
	struct http_opts o = { 0 };
	struct sockaddr_un sa;
	char path[] = "/tmp/milvusadm-test-XXXXXX", sock[64], *body = NULL;
	pthread_t th;
	long status = 0;
	int lfd;

	ck_assert_ptr_nonnull(mkdtemp(path));
	snprintf(sock, sizeof sock, "%s/s", path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	pthread_create(&th, NULL, unix_serve, &lfd);
	o.url = "http://localhost/v1.43/containers/json";
	o.unix_socket = sock;
	ck_assert_int_eq(http_sync(l, &o, &status, &body, NULL, NULL, 0), HTTP_OK);
	ck_assert_int_eq(status, 200);
	ck_assert_str_eq(body, "unixok");
	free(body);
	pthread_join(th, NULL);
	close(lfd);
	unlink(sock);
	rmdir(path);
	loop_free(l);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("loop");

	http_global_init();
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_timers);
	tcase_add_test(tc, test_fd_and_hangup);
	tcase_add_test(tc, test_signal);
	tcase_add_test(tc, test_http_basic);
	tcase_add_test(tc, test_http_failures);
	tcase_add_test(tc, test_http_stream);
	tcase_add_test(tc, test_http_unix_socket);
	suite_add_tcase(s, tc);
	return s;
}
