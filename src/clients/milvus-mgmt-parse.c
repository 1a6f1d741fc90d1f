/* SPDX-License-Identifier: MIT */
/* Pure parsers for the 9091 answers: /healthz (JSON or text), /management
 * {"msg"} bodies and both replica shapes, normalised into plain structs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

/* A healthz text is a short sentence; anything longer is not a healthz answer. */
#define HEALTHZ_MAX_TEXT	4096
#define HEALTHZ_MAX_DETAIL	1024

const char *
milvus_state_name(int code)
{
	static const char *const names[] = {
		"Initializing", "Healthy", "Abnormal", "StandBy", "Stopping",
	};

	if (code < 0 || code >= (int)(sizeof names / sizeof names[0]))
		return "Unknown";
	return names[code];
}

void
milvus_healthz_release(struct milvus_healthz *h)
{
	size_t i;

	for (i = 0; i < h->n_detail; i++)
		free(h->detail[i].name);
	free(h->detail);
	free(h->state);
	memset(h, 0, sizeof *h);
}

/*
 * A detail's code: Milvus emits the StateCode as a number (§4.2); Woodpecker
 * pods (3.x) emit its name as a string ("Healthy", §10), and a quoted number
 * is taken as the number. Any other text is not a healthz answer.
 */
static int
health_code(const cJSON *it, int64_t *code)
{
	size_t i;

	if (mj_int64(it, code) == 0)
		return *code < -1000000 || *code > 1000000 ? -1 : 0;
	if (!cJSON_IsString(it) || strlen(it->valuestring) > 64)
		return -1;
	for (i = 0; i <= MILVUS_STATE_STOPPING; i++) {
		if (strcasecmp(it->valuestring, milvus_state_name((int)i)) == 0) {
			*code = (int64_t)i;
			return 0;
		}
	}
	return -1;
}

static int
healthz_parse_json(const char *body, size_t len, struct milvus_healthz *out)
{
	cJSON *root = mj_parse(body, len), *detail, *e;
	size_t count = 0;

	if (!cJSON_IsObject(root))
		goto bad;
	detail = cJSON_GetObjectItemCaseSensitive(root, "detail");
	if (detail != NULL && !cJSON_IsNull(detail) && !cJSON_IsArray(detail))
		goto bad;
	cJSON_ArrayForEach(e, detail)
		count++;
	if (count > HEALTHZ_MAX_DETAIL)
		goto bad;
	if (count > 0)
		out->detail = xcalloc(count, sizeof *out->detail);
	cJSON_ArrayForEach(e, detail) {
		struct milvus_health_detail *d = &out->detail[out->n_detail];
		int64_t code;

		if (!cJSON_IsObject(e) ||
		    health_code(cJSON_GetObjectItemCaseSensitive(e, "code"), &code) != 0 ||
		    (d->name = mj_get_str(e, "name")) == NULL)
			goto bad;
		d->code = (int)code;
		out->n_detail++;
	}
	out->state = mj_get_str(root, "state");
	if (out->state == NULL)
		out->state = xstrdup(out->healthy ? "OK" : "");
	else	/* shown as a one-line status, like the text form */
		mj_oneline(out->state, strlen(out->state) + 1, out->state, strlen(out->state));
	out->json = true;
	cJSON_Delete(root);
	return 0;
bad:
	cJSON_Delete(root);
	return -1;
}

int
milvus_healthz_parse(long http_status, const char *body, size_t len,
    struct milvus_healthz *out, char *err, size_t errlen)
{
	char line[512];

	memset(out, 0, sizeof *out);
	out->http_status = http_status;
	out->healthy = http_status == 200;
	while (len > 0 && (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')) {
		body++;
		len--;
	}
	while (len > 0 && (body[len - 1] == ' ' || body[len - 1] == '\r' || body[len - 1] == '\n'))
		len--;
	if (len == 0 || len > HEALTHZ_MAX_TEXT || memchr(body, '\0', len) != NULL)
		goto bad;
	if (body[0] == '{') {
		if (healthz_parse_json(body, len, out) != 0)
			goto bad;
		return 0;
	}
	/* A text answer is one line ("OK", "Not all components are healthy, 3/4");
	 * HTML or JSON of something else means this is not a Milvus 9091. */
	if (body[0] == '<' || body[0] == '[' || memchr(body, '\n', len) != NULL)
		goto bad;
	mj_oneline(line, sizeof line, body, len);
	out->state = xstrdup(line);
	return 0;
bad:
	milvus_healthz_release(out);
	snprintf(err, errlen, "malformed healthz body");
	return -1;
}

char *
milvus_mgmt_parse_msg(const char *body, size_t len)
{
	cJSON *root = mj_parse(body, len);
	char *msg;

	msg = cJSON_IsObject(root) ? mj_get_str(root, "msg") : NULL;
	cJSON_Delete(root);
	return msg;
}

static void
replica_clear(struct milvus_replica *r)
{
	size_t i;

	for (i = 0; i < r->n_shards; i++) {
		free(r->shards[i].channel);
		free(r->shards[i].leader_addr);
		free(r->shards[i].nodes);
	}
	free(r->shards);
	free(r->rw_nodes);
	free(r->ro_nodes);
	free(r->resource_group);
	memset(r, 0, sizeof *r);
}

void
milvus_replicas_free(struct milvus_replica *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		replica_clear(&v[i]);
	free(v);
}

static size_t
json_count(const cJSON *item)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, item)
		n++;
	return n;
}

/* One element of GetReplicasResponse.replicas (protobuf JSON, omitempty). */
static int
replica_from_v1(const cJSON *o, struct milvus_replica *r)
{
	const cJSON *shards = cJSON_GetObjectItemCaseSensitive(o, "shard_replicas"), *s;
	size_t count;

	r->database_id = -1;
	if (!cJSON_IsObject(o) || mj_int64(cJSON_GetObjectItemCaseSensitive(o, "replicaID"),
	    &r->id) != 0)
		return -1;
	r->collection_id = mj_get_int64(o, "collectionID", 0);
	r->resource_group = mj_get_str(o, "resource_group_name");
	if (mj_int64_array(cJSON_GetObjectItemCaseSensitive(o, "node_ids"),
	    &r->rw_nodes, &r->n_rw_nodes) != 0)
		return -1;
	if (shards != NULL && !cJSON_IsNull(shards) && !cJSON_IsArray(shards))
		return -1;
	count = json_count(shards);
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count > 0)
		r->shards = xcalloc(count, sizeof *r->shards);
	cJSON_ArrayForEach(s, shards) {
		struct milvus_shard *sh = &r->shards[r->n_shards];

		if (!cJSON_IsObject(s))
			return -1;
		r->n_shards++;
		sh->leader_id = mj_get_int64(s, "leaderID", -1);
		sh->leader_addr = mj_get_str(s, "leader_addr");
		sh->channel = mj_get_str(s, "dm_channel_name");
		if (sh->channel == NULL)
			sh->channel = xstrdup("");
		if (mj_int64_array(cJSON_GetObjectItemCaseSensitive(s, "node_ids"),
		    &sh->nodes, &sh->n_nodes) != 0)
			return -1;
	}
	return 0;
}

/* The status of a legacy proto-JSON answer: nonzero error_code or code. */
static int
v1_status_failed(const cJSON *root, char *err, size_t errlen)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
	const cJSON *ec, *code;
	int64_t v;
	char reason[200];
	char *r;

	if (!cJSON_IsObject(st))
		st = root;
	ec = cJSON_GetObjectItemCaseSensitive(st, "error_code");
	code = cJSON_GetObjectItemCaseSensitive(st, "code");
	if ((ec == NULL || (mj_int64(ec, &v) == 0 && v == 0) ||
	    (cJSON_IsString(ec) && strcmp(ec->valuestring, "Success") == 0)) &&
	    (code == NULL || (mj_int64(code, &v) == 0 && v == 0)))
		return 0;
	r = mj_get_str(st, "reason");
	mj_oneline(reason, sizeof reason, r != NULL ? r : "no reason given",
	    r != NULL ? strlen(r) : 15);
	free(r);
	snprintf(err, errlen, "replicas request failed: %s", reason);
	return 1;
}

int
milvus_replicas_parse_v1(const char *body, size_t len, struct milvus_replica **out,
    size_t *n, char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len), *reps, *e;
	size_t count;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsObject(root))
		goto bad;
	if (v1_status_failed(root, err, errlen)) {
		cJSON_Delete(root);
		return -1;
	}
	reps = cJSON_GetObjectItemCaseSensitive(root, "replicas");
	if (reps != NULL && !cJSON_IsNull(reps) && !cJSON_IsArray(reps))
		goto bad;
	count = json_count(reps);
	if (count > MJ_MAX_ITEMS)
		goto bad;
	if (count > 0)
		*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, reps) {
		(*n)++;
		if (replica_from_v1(e, &(*out)[*n - 1]) != 0)
			goto bad;
	}
	cJSON_Delete(root);
	return 0;
bad:
	cJSON_Delete(root);
	milvus_replicas_free(*out, *n);
	*out = NULL;
	*n = 0;
	snprintf(err, errlen, "malformed replicas body");
	return -1;
}

/* One element of the WebUI /_qc/replica array (IDs as strings). */
static int
replica_from_qc(const cJSON *o, struct milvus_replica *r)
{
	const cJSON *chans = cJSON_GetObjectItemCaseSensitive(o, "channel_to_rw_nodes"), *c;
	size_t count;

	if (!cJSON_IsObject(o) || mj_int64(cJSON_GetObjectItemCaseSensitive(o, "ID"), &r->id) != 0)
		return -1;
	r->collection_id = mj_get_int64(o, "collectionID", 0);
	r->database_id = mj_get_int64(o, "database_id", -1);
	r->resource_group = mj_get_str(o, "resource_group");
	if (mj_int64_array(cJSON_GetObjectItemCaseSensitive(o, "rw_nodes"),
	    &r->rw_nodes, &r->n_rw_nodes) != 0 ||
	    mj_int64_array(cJSON_GetObjectItemCaseSensitive(o, "ro_nodes"),
	    &r->ro_nodes, &r->n_ro_nodes) != 0)
		return -1;
	if (chans != NULL && !cJSON_IsNull(chans) && !cJSON_IsObject(chans))
		return -1;
	count = json_count(chans);
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count > 0)
		r->shards = xcalloc(count, sizeof *r->shards);
	cJSON_ArrayForEach(c, chans) {
		struct milvus_shard *sh = &r->shards[r->n_shards++];

		sh->leader_id = -1;
		sh->channel = xstrndup(c->string != NULL ? c->string : "", MJ_MAX_STR);
		if (mj_int64_array(c, &sh->nodes, &sh->n_nodes) != 0)
			return -1;
	}
	return 0;
}

int
milvus_replicas_parse_qc(const char *body, size_t len, int64_t collection_id,
    struct milvus_replica **out, size_t *n, char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len), *e;
	size_t count;

	*out = NULL;
	*n = 0;
	/* An empty list is served as null by some versions. */
	if (cJSON_IsNull(root)) {
		cJSON_Delete(root);
		return 0;
	}
	if (!cJSON_IsArray(root))
		goto bad;
	count = json_count(root);
	if (count > MJ_MAX_ITEMS)
		goto bad;
	if (count > 0)
		*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, root) {
		struct milvus_replica *r = &(*out)[*n];

		(*n)++;
		if (replica_from_qc(e, r) != 0)
			goto bad;
		if (collection_id != 0 && r->collection_id != collection_id) {
			replica_clear(r);
			(*n)--;
		}
	}
	cJSON_Delete(root);
	return 0;
bad:
	cJSON_Delete(root);
	milvus_replicas_free(*out, *n);
	*out = NULL;
	*n = 0;
	snprintf(err, errlen, "malformed replicas body");
	return -1;
}
