/* SPDX-License-Identifier: MIT */
/* Parser from a Milvus session key and its JSON value to struct session
 * (contract §1.2 – §1.7); the cJSON tree stays in this file. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/session.h"
#include "milvusadm/xalloc.h"

/* Largest integer a double holds exactly; ServerID and index versions are far
 * below it, LeaseID is not and is read from the raw text instead. */
#define SESSION_EXACT_MAX 9007199254740992.0

struct session_ctx {
	const char	*key;
	char		*err;
	size_t		 errlen;
};

static int __attribute__((format(printf, 2, 3)))
session_error(struct session_ctx *ctx, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ctx->err != NULL && ctx->errlen > 0)
		snprintf(ctx->err, ctx->errlen, "session '%.128s': %s", ctx->key, msg);
	return -1;
}

/* The member name, or NULL when absent or JSON null (treated alike). */
static const cJSON *
session_member(const cJSON *obj, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	return it == NULL || cJSON_IsNull(it) ? NULL : it;
}

char *
session_strndup_bounded(const char *s, size_t n, size_t max, bool *cut)
{
	static const char mark[] = SESSION_CUT_MARK;
	size_t keep;
	char *out;

	*cut = n > max;
	if (!*cut)
		return xstrndup(s, n);
	keep = max - (sizeof mark - 1);
	/* Back off over continuation bytes so that the mark never lands inside
	 * a character (at most three: a UTF-8 sequence is four bytes long). */
	while (keep > 0 && max - keep < sizeof mark - 1 + 3 &&
	    ((unsigned char)s[keep] & 0xc0) == 0x80)
		keep--;
	out = xmalloc(keep + sizeof mark);
	memcpy(out, s, keep);
	memcpy(out + keep, mark, sizeof mark);
	return out;
}

/* A string member, cut to max bytes when longer (s->truncated says so). */
static int
session_string(struct session_ctx *ctx, const cJSON *obj, const char *name,
    size_t max, struct session *s, char **out)
{
	const cJSON *it = session_member(obj, name);
	bool cut;

	if (it == NULL)
		return 0;
	if (!cJSON_IsString(it))
		return session_error(ctx, "'%s' is not a string", name);
	*out = session_strndup_bounded(it->valuestring, strlen(it->valuestring), max,
	    &cut);
	s->truncated |= cut;
	return 0;
}

static int
session_bool(struct session_ctx *ctx, const cJSON *obj, const char *name,
    bool *out)
{
	const cJSON *it = session_member(obj, name);

	if (it == NULL)
		return 0;
	if (!cJSON_IsBool(it))
		return session_error(ctx, "'%s' is not a boolean", name);
	*out = cJSON_IsTrue(it);
	return 0;
}

/* A whole, non-negative number no larger than max. */
static int
session_uint(struct session_ctx *ctx, const cJSON *obj, const char *name,
    double max, int64_t *out)
{
	const cJSON *it = session_member(obj, name);
	double v;

	if (it == NULL)
		return 0;
	if (!cJSON_IsNumber(it))
		return session_error(ctx, "'%s' is not a number", name);
	v = it->valuedouble;
	if (!isfinite(v) || v != floor(v) || v < 0 || v > max)
		return session_error(ctx, "'%s' is not a valid integer", name);
	*out = (int64_t)v;
	return 0;
}

/* {"MinimalIndexVersion":…,"CurrentIndexVersion":…,"MaximumIndexVersion":…} */
static int
session_index_version(struct session_ctx *ctx, const cJSON *obj,
    const char *name, bool *present, int32_t *min, int32_t *cur, int32_t *max)
{
	const cJSON *it = session_member(obj, name);
	static const char *const fields[] = { "MinimalIndexVersion",
	    "CurrentIndexVersion", "MaximumIndexVersion" };
	int32_t *outs[] = { min, cur, max };
	int64_t v;
	size_t i;

	if (it == NULL)
		return 0;
	if (!cJSON_IsObject(it))
		return session_error(ctx, "'%s' is not an object", name);
	if (present != NULL)
		*present = true;
	for (i = 0; i < 3; i++) {
		v = 0;
		if (session_uint(ctx, it, fields[i], INT32_MAX, &v) != 0)
			return -1;
		*outs[i] = (int32_t)v;
	}
	return 0;
}

static int
session_labels(struct session_ctx *ctx, const cJSON *obj, struct session *s)
{
	const cJSON *it = session_member(obj, "ServerLabels"), *l;
	size_t n = 0;
	bool cut;

	if (it == NULL)
		return 0;
	if (!cJSON_IsObject(it))
		return session_error(ctx, "'ServerLabels' is not an object");
	cJSON_ArrayForEach(l, it) {
		if (!cJSON_IsString(l))
			return session_error(ctx, "label '%.64s' is not a string",
			    l->string);
		n++;
	}
	if (n > SESSION_MAX_LABELS) {
		/* The first ones are kept: Milvus's own come first. */
		n = SESSION_MAX_LABELS;
		s->truncated = true;
	}
	if (n == 0)
		return 0;
	s->labels = xcalloc(n, sizeof *s->labels);
	cJSON_ArrayForEach(l, it) {
		if (s->n_labels == n)
			break;
		s->labels[s->n_labels].name = session_strndup_bounded(l->string,
		    strlen(l->string), SESSION_MAX_STRING, &cut);
		s->truncated |= cut;
		s->labels[s->n_labels].value = session_strndup_bounded(l->valuestring,
		    strlen(l->valuestring), SESSION_MAX_STRING, &cut);
		s->truncated |= cut;
		s->n_labels++;
	}
	return 0;
}

const char *
session_key_name(const char *key, size_t *len)
{
	const char *name;
	size_t n;

	n = strlen(key);
	while (n > 0 && key[n - 1] == '/')
		n--;
	name = key + n;
	while (name > key && name[-1] != '/')
		name--;
	*len = (size_t)(key + n - name);
	return name;
}

/* The key's last path element, split into role and optional -<id>. */
static int
session_key(struct session_ctx *ctx, const char *key, struct session *s)
{
	const char *name, *dash;
	size_t n;

	name = session_key_name(key, &n);
	if (n == 0)
		return session_error(ctx, "empty key");
	if (n > SESSION_MAX_STRING)
		return session_error(ctx, "key is longer than %d bytes",
		    SESSION_MAX_STRING);
	s->key = xstrndup(name, n);
	ctx->key = s->key;

	dash = strrchr(s->key, '-');
	if (dash != NULL && dash[1] >= '0' && dash[1] <= '9' &&
	    strspn(dash + 1, "0123456789") == strlen(dash + 1)) {
		if (jsonraw_parse_int64(dash + 1, strlen(dash + 1),
		    &s->key_server_id) != 0)
			return session_error(ctx, "server id in the key is too large");
		s->active_key = false;
	} else {
		s->key_server_id = -1;
		s->active_key = true;
	}
	return 0;
}

static int
session_fields(struct session_ctx *ctx, const cJSON *obj, const char *value,
    size_t value_len, struct session *s)
{
	const cJSON *it;
	int rc;

	if (session_uint(ctx, obj, "ServerID", SESSION_EXACT_MAX,
	    &s->server_id) != 0)
		return -1;
	if (session_string(ctx, obj, "ServerName", SESSION_MAX_NAME, s,
	    &s->server_name) != 0)
		return -1;
	if (s->server_name == NULL || *s->server_name == '\0')
		return session_error(ctx, "'ServerName' is missing");
	if (session_string(ctx, obj, "Address", SESSION_MAX_STRING, s,
	    &s->address) != 0 ||
	    session_bool(ctx, obj, "Exclusive", &s->exclusive) != 0 ||
	    session_bool(ctx, obj, "Stopping", &s->stopping) != 0 ||
	    session_bool(ctx, obj, "TriggerKill", &s->trigger_kill) != 0 ||
	    session_string(ctx, obj, "Version", SESSION_MAX_NAME, s,
	    &s->version) != 0 ||
	    session_index_version(ctx, obj, "IndexEngineVersion", NULL,
	    &s->index_min, &s->index_cur, &s->index_max) != 0 ||
	    session_index_version(ctx, obj, "ScalarIndexEngineVersion",
	    &s->has_scalar_index, &s->scalar_min, &s->scalar_cur,
	    &s->scalar_max) != 0 ||
	    session_bool(ctx, obj, "IndexNonEncoding",
	    &s->index_non_encoding) != 0 ||
	    session_string(ctx, obj, "HostName", SESSION_MAX_HOSTNAME, s,
	    &s->host_name) != 0 ||
	    session_bool(ctx, obj, "EnableDisk", &s->enable_disk) != 0 ||
	    session_labels(ctx, obj, s) != 0)
		return -1;

	/* cJSON would round LeaseID to a double: take the digits from the text. */
	it = session_member(obj, "LeaseID");
	if (it == NULL)
		return 0;
	if (!cJSON_IsNumber(it) && !cJSON_IsString(it))
		return session_error(ctx, "'LeaseID' is not a number");
	rc = jsonraw_top_int64(value, value_len, "LeaseID", &s->lease_id);
	if (rc != 0)
		return session_error(ctx, "'LeaseID' is not a valid integer");
	if (s->lease_id <= 0)
		return session_error(ctx, "'LeaseID' %lld is not positive",
		    (long long)s->lease_id);
	s->has_lease_id = true;
	return 0;
}

int
session_semver_parse(const char *s, int *major, int *minor, int *patch)
{
	long v[3];
	char *end;
	int i;

	if (s == NULL)
		return -1;
	if (*s == 'v')
		s++;
	for (i = 0; i < 3; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		v[i] = strtol(s, &end, 10);
		if (v[i] > 100000 || (i < 2 && *end != '.'))
			return -1;
		s = i < 2 ? end + 1 : end;
	}
	/* "-beta", "-rc1", "+build": a pre-release of the same numbers. */
	if (*s != '\0' && *s != '-' && *s != '+')
		return -1;
	*major = (int)v[0];
	*minor = (int)v[1];
	*patch = (int)v[2];
	return 0;
}

int
session_version_ahead(const char *cluster_version, const char *binary)
{
	int cma, cmi, cpa, bma, bmi, bpa;

	if (session_semver_parse(cluster_version, &cma, &cmi, &cpa) != 0 ||
	    session_semver_parse(binary, &bma, &bmi, &bpa) != 0)
		return -1;
	/* Milvus compares major.minor only: a patch ahead is a normal rolling
	 * upgrade, a minor ahead is the rollback that panics (#50694). */
	return cma > bma || (cma == bma && cmi > bmi) ? 1 : 0;
}

int
session_parse(const char *key, const char *value, size_t value_len,
    struct session *out, char *err, size_t errlen)
{
	struct session_ctx ctx = { "?", err, errlen };
	const char *end = NULL;
	cJSON *root;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	out->key_server_id = -1;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (key == NULL)
		key = "";
	if (session_key(&ctx, key, out) != 0)
		goto fail;

	/* Only something that starts like an object is a session; the "id"
	 * counter and 2.6's "version" key are plain text and skipped. */
	for (i = 0; i < value_len && strchr(" \t\r\n", value[i]) != NULL; i++)
		;
	if (i == value_len || value[i] != '{') {
		session_clear(out);
		out->key_server_id = -1;
		return 0;
	}
	if (value_len > SESSION_MAX_VALUE) {
		session_error(&ctx, "value is longer than %d bytes",
		    SESSION_MAX_VALUE);
		goto fail;
	}
	root = cJSON_ParseWithLengthOpts(value, value_len, &end, 0);
	if (root == NULL) {
		session_error(&ctx, "value is not valid JSON");
		goto fail;
	}
	for (i = (size_t)(end - value); i < value_len; i++) {
		if (strchr(" \t\r\n", value[i]) == NULL || value[i] == '\0')
			break;
	}
	if (i < value_len) {
		cJSON_Delete(root);
		session_error(&ctx, "trailing data after the JSON value");
		goto fail;
	}
	rc = session_fields(&ctx, root, value, value_len, out);
	cJSON_Delete(root);
	if (rc != 0)
		goto fail;
	return 1;

fail:
	session_clear(out);
	out->key_server_id = -1;
	return -1;
}

void
session_clear(struct session *s)
{
	size_t i;

	free(s->key);
	free(s->server_name);
	free(s->address);
	free(s->version);
	free(s->host_name);
	for (i = 0; i < s->n_labels; i++) {
		free(s->labels[i].name);
		free(s->labels[i].value);
	}
	free(s->labels);
	memset(s, 0, sizeof *s);
}

/* The model and the warnings keep the key beside the reason. */
const char *
session_parse_reason(const char *key, const char *err)
{
	char prefix[160], *name;
	const char *last;
	size_t n, plen;

	last = session_key_name(key, &n);
	name = xstrndup(last, n);
	plen = (size_t)snprintf(prefix, sizeof prefix, "session '%.128s': ", name);
	free(name);
	if (plen < sizeof prefix && strncmp(err, prefix, plen) == 0)
		return err + plen;
	if (strncmp(err, "session '?': ", 13) == 0)
		return err + 13;
	return err;
}
