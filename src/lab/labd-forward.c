/* SPDX-License-Identifier: MIT */
/* What a lab proxy does before serving a call from the catalog: find the
 * coordinators the call needs in the Milvus version played, and reach the
 * active one of each (its session key, then its 9091 /healthz) as a real
 * proxy's gRPC call to it would, so calls fail while there is none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/log.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rest.h"

/* A coordinator that answered healthy is trusted this long without asking
 * again (only a positive answer is kept: a failure is never cached). */
#define OK_CACHE_MS	100
/* The proxy's call to the coordinator: a refused connection fails at once,
 * a hung process after this. */
#define CALL_TIMEOUT_MS	1000

#define R	(1u << LREST_ROOTCOORD)
#define Q	(1u << LREST_QUERYCOORD)
#define D	(1u << LREST_DATACOORD)

/*
 * Which coordinators each call needs on 2.4/2.5 (2.3 has no REST v2), read in
 * milvus-io/milvus (internal/proxy/..., internal/distributed/proxy/httpserver/
 * handler_v2.go). On 2.6 every bit means mixcoord, the one coordinator client
 * the proxy has (node.mixCoord).
 *
 * Every call that the proxy runs as a task first takes a timestamp from
 * rootcoord: task_scheduler.go baseTaskQueue.Enqueue calls
 * tsoAllocatorIns.AllocOne unless t.CanSkipAllocTimestamp(), and
 * timestamp.go timestampAllocator.alloc sends AllocTimestamp on every call
 * (no cache); proxy.go Proxy.Init builds it with
 * newTimestampAllocator(node.rootCoord, ...) (2.6: node.mixCoord).
 * baseTask.CanSkipAllocTimestamp is false; only queryTask/searchTask skip it
 * when the consistency level is not Strong (task_query.go
 * queryTask.CanSkipAllocTimestamp, since 2.4.2 by PR #29773, REST's legacy
 * guarantee ts since PR #34981). So rootcoord is in every task's set below.
 */
static const struct {
	const char *path;
	unsigned hard;		/* a failure fails the call */
	unsigned soft;		/* a failure only shows in the answer (describe) */
} routes[] = {
	/* handler_v2.go listCollections -> Proxy.ShowCollections; task.go
	 * showCollectionsTask.Execute -> t.rootCoord.ShowCollections. */
	{ "collections/list", R, 0 },
	/* handler_v2.go hasCollection asks proxy.GetCachedCollectionSchema
	 * first and HasCollection (rootcoord) on a miss; the lab proxy keeps
	 * no meta cache, so every call is a miss. */
	{ "collections/has", R, 0 },
	/* handler_v2.go getCollectionDetails: DescribeCollection (task.go
	 * describeCollectionTask -> t.rootCoord.DescribeCollection) fails the
	 * call; GetLoadState (querycoord), DescribeIndex (describeIndexTask ->
	 * datacoord) and ListAliases (rootcoord) run with ignoreErr=true: their
	 * errors go into "message" and leave load "" / indexes []. */
	{ "collections/describe", R, Q | D },
	/* handler_v2.go getCollectionStats -> impl.go
	 * Proxy.GetCollectionStatistics (ddQueue.Enqueue) -> task_statistic.go
	 * getCollectionStatisticsTask.Execute -> g.dataCoord.GetCollectionStatistics. */
	{ "collections/get_stats", R | D, 0 },
	/* impl.go Proxy.GetLoadState is no task: globalMetaCache.GetCollectionID
	 * (cached) then getCollectionProgress(ctx, node.queryCoord, ...);
	 * handler_v2.go getCollectionLoadState then GetLoadingProgress (the
	 * same querycoord). */
	{ "collections/get_load_state", Q, 0 },
	/* handler_v2.go createCollection: CreateCollection (createCollectionTask
	 * -> rootCoord.CreateCollection); with an index also CreateIndex
	 * (createIndexTask -> datacoord) and LoadCollection (querycoord). The
	 * lab fails the whole call up front instead of creating the collection
	 * and then failing (create_indexes adds them). */
	{ "collections/create", R, 0 },
	/* task.go loadCollectionTask.Execute: t.datacoord.DescribeIndex, then
	 * t.queryCoord.LoadCollection (2.6: t.mixCoord.DescribeIndex). */
	{ "collections/load", R | D | Q, 0 },
	/* task.go releaseCollectionTask.Execute -> t.queryCoord.ReleaseCollection. */
	{ "collections/release", R | Q, 0 },
	/* task.go dropCollectionTask.Execute -> t.rootCoord.DropCollection. */
	{ "collections/drop", R, 0 },
	/* task_database.go listDatabaseTask.Execute -> rootCoord.ListDatabases;
	 * create/drop/describe likewise (rootCoord.CreateDatabase, ...). */
	{ "databases/list", R, 0 },
	{ "databases/describe", R, 0 },
	{ "databases/create", R, 0 },
	{ "databases/drop", R, 0 },
	/* AlterDatabase (alter, alter_properties, drop_properties) ->
	 * rootCoord.AlterDatabase. */
	{ "databases/alter", R, 0 },
	{ "databases/alter_properties", R, 0 },
	{ "databases/drop_properties", R, 0 },
	/* task.go / task_alias.go CreateAliasTask.Execute ->
	 * t.rootCoord.CreateAlias; Drop/Alter/Describe/ListAliases likewise. */
	{ "aliases/list", R, 0 },
	{ "aliases/describe", R, 0 },
	{ "aliases/create", R, 0 },
	{ "aliases/drop", R, 0 },
	{ "aliases/alter", R, 0 },
	/* insertTask goes through dmQueue (timestamp from rootcoord); its
	 * segment comes from segment.go SegIDAssigner.syncSegments ->
	 * sa.dataCoord.AssignSegmentID. On 2.6 task_insert_streaming.go
	 * insertTask.Execute appends to the WAL ("segment id is assigned at
	 * streaming node"): only the mixcoord timestamp remains. */
	{ "entities/insert", R | D, 0 },
	/* queryTask skips the timestamp (Bounded by default) and reaches the
	 * querynodes through the shard-leader cache; handler_v2.go query takes
	 * the schema from proxy.GetCachedCollectionSchema. No coordinator while
	 * those caches are warm. */
	{ "entities/query", 0, 0 },
};

static const char *const coord_names[LREST_NCOORDS] = {
	"rootcoord", "querycoord", "datacoord",
};

/* Whether collections/create also creates an index and loads (need_create). */
static bool
create_indexes(const char *body, size_t len)
{
	cJSON *j;
	const cJSON *ip;
	bool yes;

	if (body == NULL || len == 0)
		return false;
	j = cJSON_ParseWithLength(body, len);
	ip = cJSON_GetObjectItemCaseSensitive(j, "indexParams");
	/* Quick setup (a dimension, no schema) always creates an index; a
	 * schema creates one when indexParams has entries. */
	yes = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "dimension")) &&
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "schema"));
	yes = yes || (cJSON_IsArray(ip) && cJSON_GetArraySize(ip) > 0);
	cJSON_Delete(j);
	return yes;
}

const char *
lfwd_name(const struct labd_version *v, enum lrest_coord c)
{
	return v->split_coords ? coord_names[c] : "mixcoord";
}

void
lfwd_need(const struct labd_version *v, const char *url, const char *body, size_t len,
    unsigned *hard, unsigned *soft)
{
	size_t i;

	*hard = *soft = 0;
	if (strncmp(url, "/v2/vectordb/", 13) == 0) {
		for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
			if (strcmp(routes[i].path, url + 13) == 0) {
				*hard = routes[i].hard;
				*soft = routes[i].soft;
			}
		}
		if (strcmp(url + 13, "collections/create") == 0 && create_indexes(body, len))
			*hard |= D | Q;
		/* impl.go: users, roles, grants and privilege groups are all
		 * rootcoord's (CreateCredential, SelectGrant, OperatePrivilege...). */
		if (strncmp(url + 13, "users/", 6) == 0 || strncmp(url + 13, "roles/", 6) == 0 ||
		    strncmp(url + 13, "privilege_groups/", 17) == 0)
			*hard = R;
	} else if (strcmp(url, "/api/v1/replicas") == 0 ||
	    strcmp(url, "/api/v1/_qc/replica") == 0) {
		/* impl.go Proxy.GetReplicas asks querycoord (querycoord's server.go
		 * GetReplicas answers it); the 2.5 WebUI /_qc/replica is the
		 * querycoord's metrics through the proxy. */
		*hard = Q;
	}
	if (!v->split_coords && (*hard | *soft) != 0) {
		/* One mixcoord: whatever is needed, it is needed hard. */
		*hard = *hard != 0 ? *hard : *soft;
		*soft = 0;
	}
}

/* ---- reaching the active coordinators ---- */

/*
 * A real proxy knows the active's address from its session watch and calls it
 * at once. The lab proxy reads the key per call (no stale address), but calls
 * the address it saw last in parallel with that read, so that a call reaches
 * the coordinator when it arrives, not an etcd round trip later; the answer
 * counts only if the key still names that address (else the new one is asked).
 */

struct target {
	struct fwd_call *fc;
	int slot;			/* ok_until / last_ip index */
	unsigned bits;			/* the requested bits it answers for */
	const char *name;		/* role string: key and healthz indicator */
	bool finished;
	bool key_done, key_present;
	char key_ip[64];		/* the active key's Address */
	struct http_req *req;		/* the /healthz call in flight */
	char get_ip[64];		/* whom the last /healthz call asked */
	bool get_done, get_ok;
	char get_why[300];
};

struct fwd_call {
	struct labd *d;
	lfwd_cb cb;
	void *arg;
	struct target t[LREST_NCOORDS];
	size_t n;
	size_t pending;
	unsigned down;
};

/* Positive answers and the last active address, by coordinator (the last
 * slot is 2.6's mixcoord). One labd process plays one proxy, so this is the
 * proxy's own client state. */
static int64_t ok_until[LREST_NCOORDS + 1];
static char last_ip[LREST_NCOORDS + 1][64];

static void
call_done(struct fwd_call *fc)
{
	if (--fc->pending > 0)
		return;
	fc->cb(fc->d, fc->down, fc->arg);
	free(fc);
}

static void
target_finish(struct target *t, const char *why)
{
	t->finished = true;
	if (why != NULL) {
		log_debug("proxy: no available %s: %s", t->name, why);
		t->fc->down |= t->bits;
	} else
		ok_until[t->slot] = time_mono_ms() + OK_CACHE_MS;
	call_done(t->fc);
}

/* The component's own code in /healthz's JSON detail (§4.2); -1 if absent. */
static int
healthz_code(const char *body, size_t len, const char *name)
{
	cJSON *j = cJSON_ParseWithLength(body, len), *e;
	int code = -1;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "detail")) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");

		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0 && cJSON_IsNumber(c))
			code = c->valueint;
	}
	cJSON_Delete(j);
	return code;
}

static void target_resolve(struct target *t);

static void
on_healthz(const struct http_resp *resp, void *arg)
{
	struct target *t = arg;
	int code;

	t->req = NULL;
	t->get_done = true;
	t->get_ok = false;
	if (resp->err != 0) {
		snprintf(t->get_why, sizeof t->get_why, "%s", resp->errmsg);
	} else if ((code = healthz_code(resp->body, resp->len, t->name)) != LABD_ST_HEALTHY) {
		/* Only Healthy serves: a StandBy or Stopping coordinator (or one
		 * stopped through /management/stop, absent from detail) refuses
		 * the call as Milvus's merr.CheckHealthy does. */
		snprintf(t->get_why, sizeof t->get_why, "its /healthz says %s",
		    code < 0 ? "nothing of it" : labd_state_name((enum labd_state)code));
	} else
		t->get_ok = true;
	target_resolve(t);
}

static void
target_get(struct target *t, const char *ip)
{
	struct http_opts o;
	char url[128];

	snprintf(t->get_ip, sizeof t->get_ip, "%s", ip);
	t->get_done = false;
	snprintf(url, sizeof url, "http://%s:9091/healthz", ip);
	memset(&o, 0, sizeof o);
	o.url = url;
	o.content_type = "application/json";	/* asks for the per-component detail */
	o.timeout_ms = CALL_TIMEOUT_MS;
	o.connect_timeout_ms = CALL_TIMEOUT_MS;
	o.max_response = 64 * 1024;
	t->req = http_start(t->fc->d->loop, &o, on_healthz, t);
	if (t->req == NULL) {
		/* Never started: an answer, so the call is not left hanging. */
		t->get_done = true;
		t->get_ok = false;
		snprintf(t->get_why, sizeof t->get_why, "cannot ask %s", url);
		if (t->key_done)
			target_resolve(t);
	}
}

/* Decide once both the key and a /healthz call of the address it names are in. */
static void
target_resolve(struct target *t)
{
	if (t->finished || !t->key_done)
		return;
	if (!t->key_present) {
		if (t->req != NULL)
			http_cancel(t->req);
		t->req = NULL;
		target_finish(t, "no active session key");
		return;
	}
	if (t->get_ip[0] == '\0' || strcmp(t->get_ip, t->key_ip) != 0) {
		/* The active moved (or was never seen): ask the one the key names. */
		if (t->req != NULL)
			http_cancel(t->req);
		t->req = NULL;
		target_get(t, t->key_ip);
		return;
	}
	if (!t->get_done)
		return;
	target_finish(t, t->get_ok ? NULL : t->get_why);
}

/* The Address of a session value ("127.0.0.5:53100") as the bare IP. */
static bool
session_ip(const char *value, size_t len, char *ip, size_t iplen)
{
	cJSON *j = cJSON_ParseWithLength(value, len);
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "Address");
	const char *colon;
	bool ok = false;

	if (cJSON_IsString(a) && (colon = strrchr(a->valuestring, ':')) != NULL &&
	    (size_t)(colon - a->valuestring) < iplen && colon != a->valuestring) {
		memcpy(ip, a->valuestring, (size_t)(colon - a->valuestring));
		ip[colon - a->valuestring] = '\0';
		ok = strspn(ip, "0123456789.") == strlen(ip);
	}
	cJSON_Delete(j);
	return ok;
}

static void
on_keys(const struct etcd_result *r, void *arg)
{
	struct fwd_call *fc = arg;
	size_t i, n = fc->n;

	for (i = 0; i < n; i++) {
		struct target *t = &fc->t[i];
		const struct etcd_txn_resp *tr;

		t->key_done = true;
		if (r->err != 0 || i >= r->n_responses) {
			if (t->req != NULL)
				http_cancel(t->req);
			t->req = NULL;
			target_finish(t, r->err != 0 ? r->errmsg : "unexpected txn answer");
			continue;
		}
		tr = &r->responses[i];
		if (tr->n_kvs > 0 && session_ip(tr->kvs[0].value, tr->kvs[0].value_len,
		    t->key_ip, sizeof t->key_ip)) {
			t->key_present = true;
			snprintf(last_ip[t->slot], sizeof last_ip[t->slot], "%s", t->key_ip);
		}
		target_resolve(t);
	}
}

void
lfwd_check(struct labd *d, unsigned roles, lfwd_cb cb, void *arg)
{
	struct fwd_call *fc;
	struct etcd_txn *txn;
	int64_t now = time_mono_ms();
	char key[320];
	size_t i;
	int c;

	fc = xcalloc(1, sizeof *fc);
	fc->d = d;
	fc->cb = cb;
	fc->arg = arg;
	if (!d->v->split_coords) {
		if (roles != 0 && ok_until[LREST_NCOORDS] <= now) {
			fc->t[0].slot = LREST_NCOORDS;
			fc->t[0].bits = roles;
			fc->t[0].name = "mixcoord";
			fc->n = 1;
		}
	} else {
		for (c = 0; c < LREST_NCOORDS; c++) {
			if ((roles & (1u << c)) == 0 || ok_until[c] > now)
				continue;
			fc->t[fc->n].slot = c;
			fc->t[fc->n].bits = 1u << c;
			fc->t[fc->n].name = coord_names[c];
			fc->n++;
		}
	}
	/* One extra count so that no target can finish the call before all
	 * have started. */
	fc->pending = fc->n + 1;
	if (fc->n > 0) {
		/* Every active key in one read: <root>/meta/session/<role>. */
		txn = etcd_txn_new();
		for (i = 0; i < fc->n; i++) {
			fc->t[i].fc = fc;
			snprintf(key, sizeof key, "%s%s", d->session_root, fc->t[i].name);
			etcd_txn_range(txn, true, key, NULL);
			if (last_ip[fc->t[i].slot][0] != '\0')
				target_get(&fc->t[i], last_ip[fc->t[i].slot]);
		}
		etcd_txn_commit(d->etcd, txn, on_keys, fc);
	}
	call_done(fc);
}
