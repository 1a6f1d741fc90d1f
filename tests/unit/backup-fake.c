/* SPDX-License-Identifier: MIT */
/* A fake milvus-backup 0.6 server and proxy REST v2 for the command tests
 * (libmicrohttpd, its own threads), and the profiles that point at it. Each
 * backup name's prefix picks its task's script: "fail" fails with a message,
 * "lost" is forgotten after one poll (a restart), "stuck" stays initial,
 * "gone" gets a gateway's 502 for every poll, anything else succeeds after
 * reporting 100 % while still executing. */
#include <check.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "milvusadm/buf.h"
#include "milvusadm/http.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "backup-fake.h"
#include "unit-config.h"

#define GO_ZERO	"-62135596800"

struct fbk {
	char name[64], id[80];
	int state, progress, polls;
	int64_t taken_ms, start_ms;
	bool stored, deleted;
	char mode;			/* 'o' ok, 'f' fails, 'l' lost, 's' stuck at initial */
	const char *colls;
};

struct frs {
	char id[80];
	int polls;
};

static struct MHD_Daemon *srv;
static int srv_port;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fbk bks[32];
static int nbk;
static struct frs rss[16];
static int nrs;
static int n_create, n_delete, n_restore;
static char last_restore[2048];

static const char colls_docs[] = "[{\"db_name\":\"default\",\"collection_name\":\"docs\","
    "\"size\":1024}]";
static const char colls_all[] = "[{\"db_name\":\"default\",\"collection_name\":\"docs\","
    "\"size\":1024},{\"db_name\":\"db2\",\"collection_name\":\"logs\",\"size\":1024}]";

void
fake_reset(void)
{
	int64_t now = time_wall_ms();

	pthread_mutex_lock(&mu);
	memset(bks, 0, sizeof bks);
	/* One known only from storage, 30 hours old (0.6: "initial", no id, no
	 * times), listed first: the list is in no order of time... */
	snprintf(bks[0].name, sizeof bks[0].name, "old_all");
	bks[0].stored = true;
	bks[0].taken_ms = now - 30 * H_MS;
	bks[0].colls = colls_all;
	/* ...and a task of this server process that succeeded an hour ago. */
	snprintf(bks[1].name, sizeof bks[1].name, "fresh_docs");
	snprintf(bks[1].id, sizeof bks[1].id, "id-fresh");
	bks[1].state = 2;
	bks[1].progress = 100;
	bks[1].taken_ms = now - H_MS;
	bks[1].start_ms = now - H_MS;
	bks[1].colls = colls_docs;
	nbk = 2;
	nrs = 0;
	n_create = n_delete = n_restore = 0;
	last_restore[0] = '\0';
	pthread_mutex_unlock(&mu);
}

static void
brief_json(struct buf *b, const struct fbk *k)
{
	uint64_t ts = (uint64_t)k->taken_ms << 18;

	if (k->stored) {
		buf_printf(b, "{\"state_code\":0,\"progress\":0,\"name\":\"%s\",\"backup_timestamp\":"
		    "%" PRIu64 ",\"size\":2048,\"format\":\"\",\"collection_backups\":%s}", k->name,
		    ts, k->colls);
		return;
	}
	buf_printf(b, "{\"id\":\"%s\",\"state_code\":%d,\"progress\":%d,\"name\":\"%s\","
	    "\"start_time\":%" PRId64 ",\"end_time\":%s,\"backup_timestamp\":%" PRIu64 ","
	    "\"size\":2048,\"errorMessage\":\"%s\",\"collection_backups\":%s}", k->id, k->state,
	    k->progress, k->name, k->start_ms / 1000, k->state == 2 || k->state == 3 ?
	    "1800000000" : GO_ZERO, ts, k->state == 3 ? "storage full: copy of segment 7 "
	    "failed" : "", k->state == 2 ? k->colls : "[]");
}

static struct fbk *
find_bk(const char *name, const char *id)
{
	int i;

	for (i = 0; i < nbk; i++) {
		if (bks[i].deleted)
			continue;
		if ((name != NULL && strcmp(bks[i].name, name) == 0) ||
		    (id != NULL && bks[i].id[0] != '\0' && strcmp(bks[i].id, id) == 0))
			return &bks[i];
	}
	return NULL;
}

/* One poll of a task: each mode's script. */
static void
task_step(struct fbk *k)
{
	k->polls++;
	switch (k->mode) {
	case 'o':
		if (k->polls < 3) {
			k->state = 1;
			k->progress = 30 * k->polls;
		} else if (k->polls == 3) {
			k->progress = 100;	/* 100 before the state says success */
		} else {
			k->state = 2;
			k->taken_ms = time_wall_ms();
			k->colls = colls_all;
		}
		break;
	case 'f':
		k->state = k->polls < 2 ? 1 : 3;
		k->progress = k->polls < 2 ? 20 : 0;
		break;
	default:
		break;
	}
}

static const char *
json_field(const char *body, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	if ((p = strstr(body, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	if ((e = strchr(p, '"')) == NULL)
		return NULL;
	snprintf(out, len, "%.*s", (int)(e - p), p);
	return out;
}

static void
srv_answer(struct MHD_Connection *c, const char *path, const char *body, struct buf *out)
{
	const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "backup_name");
	const char *bid = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "backup_id");
	const char *rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "request_id");
	const char *qid = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "id");
	char v[256], v2[80];
	struct fbk *k;
	int i;

	if (strcmp(path, "/api/v1/hello") == 0) {
		buf_adds(out, "Hello, This is backup service");
	} else if (strcmp(path, "/api/v1/get_backup") == 0 && bid != NULL) {
		if ((k = find_bk(NULL, bid)) != NULL && k->mode == 'g') {
			buf_adds(out, "502 bad gateway");	/* a proxy whose server is gone */
			return;
		}
		if (k == NULL || k->mode == 'l') {
			if (k != NULL && k->polls++ == 0) {
				buf_printf(out, "{\"requestId\":\"x\",\"data\":{\"id\":\"%s\","
				    "\"state_code\":1,\"progress\":5,\"name\":\"%s\"}}", k->id, k->name);
				return;
			}
			buf_adds(out, "{\"requestId\":\"x\",\"code\":3,\"msg\":\"backup: task "
			    "not found\",\"data\":null}");
			return;
		}
		task_step(k);
		buf_adds(out, "{\"requestId\":\"x\",\"data\":");
		brief_json(out, k);
		buf_addc(out, '}');
	} else if (strcmp(path, "/api/v1/get_backup") == 0 && name != NULL) {
		if ((k = find_bk(name, NULL)) == NULL) {
			buf_printf(out, "{\"requestId\":\"x\",\"code\":3,\"msg\":\"server: backup %s "
			    "not found\",\"data\":null}", name);
			return;
		}
		buf_adds(out, "{\"requestId\":\"x\",\"data\":");
		brief_json(out, k);
		buf_addc(out, '}');
	} else if (strcmp(path, "/api/v1/create") == 0) {
		n_create++;
		k = &bks[nbk++];
		memset(k, 0, sizeof *k);
		json_field(body, "backup_name", k->name, sizeof k->name);
		snprintf(k->id, sizeof k->id, "%s", rid != NULL ? rid : "none");
		k->mode = strncmp(k->name, "fail", 4) == 0 ? 'f' : strncmp(k->name, "lost", 4) ==
		    0 ? 'l' : strncmp(k->name, "stuck", 5) == 0 ? 's' : strncmp(k->name, "gone", 4)
		    == 0 ? 'g' : 'o';
		k->progress = 1;
		k->start_ms = time_wall_ms();
		k->colls = "[]";
		buf_printf(out, "{\"requestId\":\"%s\",\"data\":{\"id\":\"%s\",\"state_code\":0,"
		    "\"progress\":1,\"name\":\"%s\",\"start_time\":%" PRId64 ",\"end_time\":"
		    GO_ZERO "}}", k->id, k->id, k->name, k->start_ms / 1000);
	} else if (strcmp(path, "/api/v1/list") == 0) {
		buf_adds(out, "{\"requestId\":\"x\",\"data\":[");
		for (i = 0; i < nbk; i++)
			if (!bks[i].deleted && (bks[i].stored || bks[i].state == 2))
				buf_printf(out, "%s{\"id\":\"%s\",\"name\":\"%s\",\"size\":2048}",
				    out->data[out->len - 1] == '[' ? "" : ",", bks[i].id, bks[i].name);
		buf_adds(out, "]}");
	} else if (strcmp(path, "/api/v1/delete") == 0) {
		if ((k = find_bk(name, NULL)) == NULL) {
			buf_adds(out, "{\"requestId\":\"x\",\"code\":3,\"msg\":\"backup not "
			    "found\"}");
			return;
		}
		n_delete++;
		k->deleted = true;
		buf_adds(out, "{\"requestId\":\"x\"}");
	} else if (strcmp(path, "/api/v1/restore") == 0) {
		snprintf(last_restore, sizeof last_restore, "%s", body);
		if (json_field(body, "backup_name", v, sizeof v) == NULL ||
		    find_bk(v, NULL) == NULL) {
			buf_printf(out, "{\"code\":400,\"msg\":\"backup %s not found\"}", v);
			return;
		}
		n_restore++;
		json_field(body, "id", v2, sizeof v2);
		snprintf(rss[nrs].id, sizeof rss[nrs].id, "%s", v2);
		rss[nrs++].polls = 0;
		buf_printf(out, "{\"requestId\":\"%s\",\"data\":{\"id\":\"%s\",\"state_code\":0,"
		    "\"progress\":1,\"collection_restore_tasks\":[]}}", v2, v2);
	} else if (strcmp(path, "/api/v1/get_restore") == 0) {
		for (i = 0; i < nrs && (qid == NULL || strcmp(rss[i].id, qid) != 0); i++)
			;
		if (i == nrs) {
			buf_adds(out, "{\"requestId\":\"x\",\"code\":3,\"msg\":\"restore task not "
			    "found\",\"data\":null}");
			return;
		}
		rss[i].polls++;
		buf_printf(out, "{\"requestId\":\"x\",\"data\":{\"id\":\"%s\",\"state_code\":%d,"
		    "\"progress\":%d,\"start_time\":1800000000,\"end_time\":%s,"
		    "\"collection_restore_tasks\":[{\"state_code\":%d,\"progress\":%d,"
		    "\"target_db_name\":\"default\",\"target_collection_name\":\"docs_r\"}]}}",
		    rss[i].id, rss[i].polls < 3 ? 1 : 2, rss[i].polls < 3 ? 50 : 100,
		    rss[i].polls < 3 ? GO_ZERO : "1800000009", rss[i].polls < 3 ? 1 : 2,
		    rss[i].polls < 3 ? 50 : 100);
	} else if (strcmp(path, "/v2/vectordb/databases/list") == 0) {
		buf_adds(out, "{\"code\":0,\"data\":[\"default\",\"db2\"]}");
	} else if (strcmp(path, "/v2/vectordb/collections/list") == 0) {
		buf_adds(out, strstr(body, "\"db2\"") != NULL ? "{\"code\":0,\"data\":[\"logs\"]}" :
		    "{\"code\":0,\"data\":[\"docs\"]}");
	} else
		buf_adds(out, "404 page not found");
}

struct conn {
	struct buf body;
};

static void
srv_completed(void *cls, struct MHD_Connection *c, void **ctx,
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
srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	struct conn *cn = *ctx;
	struct MHD_Response *resp;
	struct buf out = BUF_INIT;
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
	pthread_mutex_lock(&mu);
	srv_answer(c, url, cn->body.data, &out);
	pthread_mutex_unlock(&mu);
	resp = MHD_create_response_from_buffer(out.len, out.data, MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(c, strncmp(out.data, "404", 3) == 0 ? 404 :
	    strncmp(out.data, "502", 3) == 0 ? 502 : 200, resp);
	MHD_destroy_response(resp);
	buf_release(&out);
	return ret;
}

void
fake_start(void)
{
	struct sockaddr_in sa;
	char cfg[1024];

	http_global_init();
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    0, NULL, NULL, srv_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, srv_completed, NULL, MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	srv_port = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT)->port;
	snprintf(cfg, sizeof cfg,
	    "default_profile: t\n"
	    "profiles:\n"
	    "  t:\n"
	    "    etcd: { endpoints: [http://127.0.0.1:%d] }\n"
	    "    milvus: { uri: http://127.0.0.1:%d }\n"
	    "    backup: { url: http://127.0.0.1:%d, stall_after: 2s, timeout: 2s }\n"
	    "  ro:\n"
	    "    etcd: { endpoints: [http://127.0.0.1:%d] }\n"
	    "    backup: { url: http://127.0.0.1:%d }\n"
	    "    read_only: true\n"
	    "  nobackup:\n"
	    "    etcd: { endpoints: [http://127.0.0.1:%d] }\n"
	    "  down:\n"
	    "    etcd: { endpoints: [http://127.0.0.1:1] }\n"
	    "    backup: { url: http://127.0.0.1:1, timeout: 1s }\n",
	    srv_port, srv_port, srv_port, srv_port, srv_port, srv_port);
	unit_config_write(cfg);
	fake_reset();
}

void
fake_stop(void)
{
	MHD_stop_daemon(srv);
	srv = NULL;
}

int
fake_count(enum fake_counter which)
{
	int n;

	pthread_mutex_lock(&mu);
	n = which == FAKE_CREATE ? n_create : which == FAKE_DELETE ? n_delete : n_restore;
	pthread_mutex_unlock(&mu);
	return n;
}

void
fake_last_restore(char *out, size_t len)
{
	pthread_mutex_lock(&mu);
	snprintf(out, len, "%s", last_restore);
	pthread_mutex_unlock(&mu);
}
