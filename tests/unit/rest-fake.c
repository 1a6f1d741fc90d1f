/* SPDX-License-Identifier: MIT */
/* A fake Milvus proxy for the REST client tests: libmicrohttpd in its own
 * threads, each request's whole body handed to the test's answer function. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/xalloc.h"
#include "rest-fake.h"

static struct MHD_Daemon *srv;
static rest_fake_fn answer_fn;
/* The request being answered, in the thread answering it. */
static _Thread_local struct MHD_Connection *answering;
static char srv_ip[64];
static int srv_port;

struct conn {
	struct buf body;
};

static void
fake_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *ctx;

	if (cn != NULL) {
		buf_release(&cn->body);
		free(cn);
		*ctx = NULL;
	}
}

static enum MHD_Result
fake_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	struct conn *cn = *ctx;
	struct MHD_Response *resp;
	const char *body;
	unsigned status = 200;
	enum MHD_Result ret;

	if (cn == NULL) {
		*ctx = cn = xcalloc(1, sizeof *cn);
		buf_add(&cn->body, "", 0);
		return MHD_YES;
	}
	if (*upload_len > 0) {
		buf_add(&cn->body, upload, *upload_len);
		*upload_len = 0;
		return MHD_YES;
	}
	answering = c;
	body = answer_fn(url, method, cn->body.data, &status);
	answering = NULL;
	resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

const char *
rest_fake_header(const char *name)
{
	return answering != NULL ? MHD_lookup_connection_value(answering, MHD_HEADER_KIND,
	    name) : NULL;
}

const char *
rest_fake_arg(const char *name)
{
	return answering != NULL ? MHD_lookup_connection_value(answering,
	    MHD_GET_ARGUMENT_KIND, name) : NULL;
}

int
rest_fake_port(void)
{
	return srv_port;
}

int
rest_fake_start(const char *ip, rest_fake_fn fn)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	http_global_init();
	answer_fn = fn;
	snprintf(srv_ip, sizeof srv_ip, "%s", ip);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, ip, &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, fake_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, fake_completed, NULL, MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	info = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT);
	srv_port = info->port;
	return srv_port;
}

void
rest_fake_stop(void)
{
	MHD_stop_daemon(srv);
	srv = NULL;
}

struct milvus_rest *
rest_fake_client(struct loop *l, const char *const *scenarios, const char *db,
    size_t max_response)
{
	struct milvus_rest_opts o;
	char *uris[8], err[256];
	struct milvus_rest *r;
	size_t i;

	for (i = 0; scenarios[i] != NULL && i + 1 < sizeof uris / sizeof uris[0]; i++)
		uris[i] = strcmp(scenarios[i], "down") == 0 ? xasprintf("http://%s:1", srv_ip) :
		    xasprintf("http://%s:%d/%s", srv_ip, srv_port, scenarios[i]);
	uris[i] = NULL;
	memset(&o, 0, sizeof o);
	o.uris = (const char *const *)uris;
	o.db_name = db;
	o.timeout_ms = 2000;
	o.max_response = max_response;
	r = milvus_rest_new(l, &o, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	for (i = 0; uris[i] != NULL; i++)
		free(uris[i]);
	return r;
}
