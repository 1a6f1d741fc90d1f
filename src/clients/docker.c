/* SPDX-License-Identifier: MIT */
/* Docker Engine /version, container list and inspect JSON to plain structs,
 * bounded, for the docker fault backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "milvusadm/docker.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

int
docker_version_parse_str(const char *s, int *major, int *minor)
{
	char *end;
	long a, b;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	a = strtol(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtol(end + 1, &end, 10);
	if (*end != '\0' || a > 99 || b > 999)
		return -1;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

int
docker_version_parse(const char *body, size_t len, struct docker_version *out,
    char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len);
	const char *api, *min;

	memset(out, 0, sizeof *out);
	api = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "ApiVersion"));
	min = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "MinAPIVersion"));
	if (docker_version_parse_str(api, &out->api_major, &out->api_minor) != 0) {
		snprintf(err, errlen, "the docker /version answer has no ApiVersion");
		cJSON_Delete(root);
		return -1;
	}
	if (min != NULL)
		docker_version_parse_str(min, &out->min_major, &out->min_minor);
	cJSON_Delete(root);
	return 0;
}

static char *
docker_strip_slash(char *s)
{
	if (s != NULL && s[0] == '/')
		memmove(s, s + 1, strlen(s));
	return s;
}

void
docker_list_free(struct docker_summary *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].state);
	}
	free(v);
}

int
docker_list_parse(const char *body, size_t len, struct docker_summary **out, size_t *n,
    char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len);
	const cJSON *e;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(root)) {
		snprintf(err, errlen, "the container list is not a JSON array");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(e, root)
		count++;
	if (count > DOCKER_MAX_CONTAINERS) {
		snprintf(err, errlen, "more than %d containers", DOCKER_MAX_CONTAINERS);
		cJSON_Delete(root);
		return -1;
	}
	if (count > 0)
		*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, root) {
		struct docker_summary *s = &(*out)[*n];
		const cJSON *names;

		if (!cJSON_IsObject(e) || (s->id = mj_get_str(e, "Id")) == NULL)
			continue;
		names = cJSON_GetObjectItemCaseSensitive(e, "Names");
		if (cJSON_IsArray(names) && cJSON_IsString(cJSON_GetArrayItem(names, 0)))
			s->name = docker_strip_slash(xstrndup(cJSON_GetArrayItem(names, 0)->valuestring,
			    MJ_MAX_STR));
		if (s->name == NULL)
			s->name = xstrdup("");
		if ((s->state = mj_get_str(e, "State")) == NULL)
			s->state = xstrdup("");
		(*n)++;
	}
	cJSON_Delete(root);
	return 0;
}

void
docker_inspect_release(struct docker_inspect *c)
{
	free(c->id);
	free(c->name);
	free(c->hostname);
	free(c->status);
	free(c->restart_policy);
	memset(c, 0, sizeof *c);
}

int
docker_inspect_parse(const char *body, size_t len, struct docker_inspect *out,
    char *err, size_t errlen)
{
	cJSON *root = mj_parse(body, len);
	const cJSON *config, *state, *host, *policy;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(root) || (out->id = mj_get_str(root, "Id")) == NULL) {
		snprintf(err, errlen, "the container inspect answer has no Id");
		cJSON_Delete(root);
		return -1;
	}
	out->name = docker_strip_slash(mj_get_str(root, "Name"));
	if (out->name == NULL)
		out->name = xstrdup("");
	config = cJSON_GetObjectItemCaseSensitive(root, "Config");
	state = cJSON_GetObjectItemCaseSensitive(root, "State");
	host = cJSON_GetObjectItemCaseSensitive(root, "HostConfig");
	policy = cJSON_IsObject(host) ? cJSON_GetObjectItemCaseSensitive(host, "RestartPolicy") : NULL;
	out->hostname = cJSON_IsObject(config) ? mj_get_str(config, "Hostname") : NULL;
	if (out->hostname == NULL)
		out->hostname = xstrdup("");
	if (cJSON_IsObject(state)) {
		out->status = mj_get_str(state, "Status");
		out->running = mj_get_bool(state, "Running", false);
		out->pid = mj_get_int64(state, "Pid", 0);
		out->exit_code = mj_get_int64(state, "ExitCode", 0);
	}
	if (out->status == NULL)
		out->status = xstrdup("");
	out->restart_count = mj_get_int64(root, "RestartCount", 0);
	out->restart_policy = cJSON_IsObject(policy) ? mj_get_str(policy, "Name") : NULL;
	if (out->restart_policy == NULL)
		out->restart_policy = xstrdup("");
	cJSON_Delete(root);
	return 0;
}

char *
docker_error_message(const char *body, size_t len)
{
	cJSON *root = mj_parse(body, len);
	const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "message"));
	char line[512];

	if (msg == NULL) {
		cJSON_Delete(root);
		return NULL;
	}
	mj_oneline(line, sizeof line, msg, strlen(msg));
	cJSON_Delete(root);
	return xstrdup(line);
}

bool
docker_id_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 128)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}
