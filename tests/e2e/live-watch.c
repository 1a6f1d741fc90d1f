/* SPDX-License-Identifier: MIT */
/* Test driver for state_live_*: follows profile PROFILE for SECONDS and prints
 * one JSON line per change of the model (leaders, sources, health counts). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"

struct watch {
	struct state *st;
	struct loop *loop;
	char last[8192];
	int done;
	unsigned changes;
};

static void
src_json(struct buf *b, const char *name, const struct source_state *s)
{
	buf_printf(b, "\"%s\":{\"updated_ms\":%lld,\"failing_since_ms\":%lld,\"error\":", name,
	    (long long)s->updated_ms, (long long)s->failing_since_ms);
	if (s->error != NULL)
		buf_add_json_str(b, s->error);
	else
		buf_adds(b, "null");
	buf_adds(b, "},");
}

static void
changed(void *arg)
{
	struct watch *w = arg;
	struct cluster *c = state_cluster(w->st);
	struct buf b = BUF_INIT;
	size_t i, healthy = 0, probed = 0, ttl_known = 0;

	w->changes++;
	buf_adds(&b, "{\"leaders\":{");
	for (i = 0; i < c->n_leaders; i++)
		buf_printf(&b, "%s\"%s\":%lld", i > 0 ? "," : "", c->leaders[i].role,
		    (long long)c->leaders[i].active_id);
	buf_adds(&b, "},");
	for (i = 0; i < c->n_components; i++) {
		healthy += c->components[i].health == HEALTH_HEALTHY;
		probed += c->components[i].health_ms > 0;
		ttl_known += c->components[i].lease_ttl_s >= 0;
	}
	buf_printf(&b, "\"components\":%zu,\"healthy\":%zu,\"probed\":%zu,\"ttl_known\":%zu,"
	    "\"etcd_members\":%zu,\"collections\":%zu,\"replicas\":%zu,", c->n_components,
	    healthy, probed, ttl_known, c->n_etcd, c->n_collections, c->n_replicas);
	src_json(&b, "sessions", &c->src_sessions);
	src_json(&b, "health", &c->src_health);
	src_json(&b, "etcd", &c->src_etcd);
	src_json(&b, "proxy", &c->src_proxy);
	src_json(&b, "replicas", &c->src_replicas);
	buf_printf(&b, "\"now_ms\":%lld}", (long long)time_wall_ms());
	printf("%s\n", b.data);
	fflush(stdout);
	buf_release(&b);
}

static void
on_end(void *arg)
{
	struct watch *w = arg;

	w->done = 1;
}

static void
on_signal(int signo, void *arg)
{
	(void)signo;
	on_end(arg);
}

int
main(int argc, char **argv)
{
	struct watch w;
	char err[256];
	int64_t refresh_ms = 1000, for_ms = 10000;

	if (argc < 2) {
		fprintf(stderr, "usage: live-watch PROFILE [SECONDS [REFRESH_MS]]\n");
		return 2;
	}
	if (argc > 2)
		for_ms = strtoll(argv[2], NULL, 10) * 1000;
	if (argc > 3)
		refresh_ms = strtoll(argv[3], NULL, 10);
	memset(&w, 0, sizeof w);
	http_global_init();
	w.loop = loop_new();
	w.st = state_open(w.loop, argv[1], err, sizeof err);
	if (w.st == NULL) {
		fprintf(stderr, "live-watch: %s\n", err);
		return 1;
	}
	loop_signal(w.loop, SIGINT, on_signal, &w);
	loop_signal(w.loop, SIGTERM, on_signal, &w);
	state_live_start(w.st, refresh_ms, changed, &w);
	loop_timer_add(w.loop, for_ms, on_end, &w);
	loop_run_until(w.loop, &w.done, -1);
	state_live_stop(w.st);
	state_free(w.st);
	loop_signal(w.loop, SIGINT, NULL, NULL);
	loop_signal(w.loop, SIGTERM, NULL, NULL);
	loop_free(w.loop);
	http_global_cleanup();
	fprintf(stderr, "live-watch: %u changes\n", w.changes);
	return 0;
}
