/* SPDX-License-Identifier: MIT */
/* Kubernetes Pod, PodList and Status JSON to plain structs, and the
 * DeleteOptions body; bounded, for the k8s fault backend. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "milvusadm/buf.h"
#include "milvusadm/k8s.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

void
k8s_pod_release(struct k8s_pod *p)
{
	size_t i;

	for (i = 0; i < p->n_labels; i++) {
		free(p->labels[i].key);
		free(p->labels[i].value);
	}
	for (i = 0; i < p->n_containers; i++)
		free(p->containers[i].name);
	free(p->labels);
	free(p->containers);
	free(p->name);
	free(p->namespace);
	free(p->uid);
	free(p->phase);
	free(p->pod_ip);
	free(p->node_name);
	memset(p, 0, sizeof *p);
}

const char *
k8s_pod_label(const struct k8s_pod *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n_labels; i++)
		if (strcmp(p->labels[i].key, key) == 0)
			return p->labels[i].value;
	return NULL;
}

static int
k8s_pod_from(const cJSON *o, struct k8s_pod *out, char *err, size_t errlen)
{
	const cJSON *meta, *status, *spec, *labels, *cs, *e;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
	status = cJSON_GetObjectItemCaseSensitive(o, "status");
	spec = cJSON_GetObjectItemCaseSensitive(o, "spec");
	if (!cJSON_IsObject(meta) || (out->name = mj_get_str(meta, "name")) == NULL ||
	    (out->uid = mj_get_str(meta, "uid")) == NULL) {
		snprintf(err, errlen, "pod object without metadata.name and metadata.uid");
		goto bad;
	}
	out->namespace = mj_get_str(meta, "namespace");
	e = cJSON_GetObjectItemCaseSensitive(meta, "deletionTimestamp");
	out->deleting = e != NULL && !cJSON_IsNull(e);
	labels = cJSON_GetObjectItemCaseSensitive(meta, "labels");
	cJSON_ArrayForEach(e, labels)
		n++;
	if (n > K8S_MAX_LABELS) {
		snprintf(err, errlen, "pod '%s' has more than %d labels", out->name, K8S_MAX_LABELS);
		goto bad;
	}
	if (n > 0)
		out->labels = xcalloc(n, sizeof *out->labels);
	cJSON_ArrayForEach(e, labels) {
		if (!cJSON_IsString(e) || e->string == NULL)
			continue;
		out->labels[out->n_labels].key = xstrndup(e->string, MJ_MAX_STR);
		out->labels[out->n_labels].value = xstrndup(e->valuestring, MJ_MAX_STR);
		out->n_labels++;
	}
	out->phase = cJSON_IsObject(status) ? mj_get_str(status, "phase") : NULL;
	if (out->phase == NULL)
		out->phase = xstrdup("");
	if (cJSON_IsObject(status))
		out->pod_ip = mj_get_str(status, "podIP");
	if (cJSON_IsObject(spec))
		out->node_name = mj_get_str(spec, "nodeName");
	cs = cJSON_IsObject(status) ? cJSON_GetObjectItemCaseSensitive(status, "containerStatuses") : NULL;
	n = 0;
	cJSON_ArrayForEach(e, cs)
		n++;
	if (n > K8S_MAX_CONTAINERS) {
		snprintf(err, errlen, "pod '%s' has more than %d containers", out->name,
		    K8S_MAX_CONTAINERS);
		goto bad;
	}
	if (n > 0)
		out->containers = xcalloc(n, sizeof *out->containers);
	cJSON_ArrayForEach(e, cs) {
		struct k8s_container_status *c = &out->containers[out->n_containers];
		const cJSON *last, *term;

		if (!cJSON_IsObject(e))
			continue;
		c->name = mj_get_str(e, "name");
		if (c->name == NULL)
			c->name = xstrdup("");
		c->ready = mj_get_bool(e, "ready", false);
		c->restart_count = mj_get_int64(e, "restartCount", 0);
		/* An int32 in the API; bounded, the sums below cannot overflow. */
		if (c->restart_count < 0 || c->restart_count > INT32_MAX) {
			out->n_containers++;
			snprintf(err, errlen, "pod '%s' has a restartCount out of range", out->name);
			goto bad;
		}
		last = cJSON_GetObjectItemCaseSensitive(e, "lastState");
		term = cJSON_IsObject(last) ? cJSON_GetObjectItemCaseSensitive(last, "terminated") : NULL;
		c->last_exit_code = cJSON_IsObject(term) ? mj_get_int64(term, "exitCode", -1) : -1;
		out->restarts += c->restart_count;
		out->n_containers++;
	}
	return 0;
bad:
	k8s_pod_release(out);
	return -1;
}

int
k8s_pod_parse(const char *body, size_t len, struct k8s_pod *out, char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len);
	const char *kind;
	int rc;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "the pod answer is not a JSON object");
		cJSON_Delete(root);
		return -1;
	}
	kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "kind"));
	if (kind != NULL && strcmp(kind, "Pod") != 0) {
		snprintf(err, errlen, "expected a Pod, got a '%.40s'", kind);
		cJSON_Delete(root);
		return -1;
	}
	rc = k8s_pod_from(root, out, err, errlen);
	cJSON_Delete(root);
	return rc;
}

int
k8s_pod_list_parse(const char *body, size_t len, struct k8s_pod **out, size_t *n,
    char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len);
	const cJSON *items, *e;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	items = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "items") : NULL;
	if (items != NULL && !cJSON_IsArray(items) && !cJSON_IsNull(items)) {
		snprintf(err, errlen, "the pod list has no items array");
		cJSON_Delete(root);
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "the pod list is not a JSON object");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(e, items)
		count++;
	if (count > K8S_MAX_ITEMS) {
		snprintf(err, errlen, "more than %d pods in the list", K8S_MAX_ITEMS);
		cJSON_Delete(root);
		return -1;
	}
	if (count > 0)
		*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, items) {
		if (k8s_pod_from(e, &(*out)[*n], err, errlen) != 0) {
			while (*n > 0)
				k8s_pod_release(&(*out)[--*n]);
			free(*out);
			*out = NULL;
			cJSON_Delete(root);
			return -1;
		}
		(*n)++;
	}
	cJSON_Delete(root);
	return 0;
}

char *
k8s_status_message(const char *body, size_t len)
{
	cJSON *root = mj_parse(body, len);
	const char *kind, *msg;
	char line[512];

	kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "kind"));
	msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "message"));
	if (kind == NULL || strcmp(kind, "Status") != 0 || msg == NULL) {
		cJSON_Delete(root);
		return NULL;
	}
	mj_oneline(line, sizeof line, msg, strlen(msg));
	cJSON_Delete(root);
	return xstrdup(line);
}

char *
k8s_delete_options(int64_t grace_seconds, const char *uid)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
	    "\"gracePeriodSeconds\":%lld,\"preconditions\":{\"uid\":", (long long)grace_seconds);
	buf_add_json_str(&b, uid);
	buf_adds(&b, "}}");
	return buf_detach(&b, NULL);
}

bool
k8s_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && c != '-' && c != '.')
			return false;
		if (!alnum && (i == 0 || i == n - 1))
			return false;
	}
	return true;
}
