/* SPDX-License-Identifier: MIT */
/* The shared protect list in etcd and the server-side guard alias's rules
 * (see protect.h). One key per protected collection,
 * <prefix>protect/<db>/<coll>, holding who protected it, when, and the alias
 * the tool made: the alias is removed later only if this record says the
 * tool made it, so an alias someone else created is never taken away. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "milvusadm/etcd.h"
#include "milvusadm/protect.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

/* Milvus's limit on a name (proxy.maxNameLength, default 255). */
#define NAME_MAX_LEN	255

bool
protect_name_ok(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > NAME_MAX_LEN)
		return false;
	if (isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

void
protect_alias_name(const char *coll, char *out, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a 64 */
	const char *p;

	if (strlen(PROTECT_ALIAS_PREFIX) + strlen(coll) <= NAME_MAX_LEN) {
		snprintf(out, len, "%s%s", PROTECT_ALIAS_PREFIX, coll);
		return;
	}
	for (p = coll; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	snprintf(out, len, "%s%016" PRIx64, PROTECT_ALIAS_PREFIX, h);
}

/* "2.5.6", "v2.6.1-dev", "2.4.24-gpu" → 2 5 6; -1 when not a version. */
static int
version_parse(const char *v, int *maj, int *min, int *pat)
{
	if (v == NULL)
		return -1;
	if (*v == 'v' || *v == 'V')
		v++;
	*pat = 0;
	if (sscanf(v, "%d.%d.%d", maj, min, pat) < 2)
		return -1;
	return 0;
}

int
protect_alias_guard_works(const char *version)
{
	int maj, min, pat;

	if (version_parse(version, &maj, &min, &pat) != 0)
		return -1;
	if (maj != 2)
		return maj > 2;
	return min > 5 || (min == 5 && pat >= 5);
}

int
protect_force_deny_works(const char *version)
{
	int maj, min, pat;

	if (version_parse(version, &maj, &min, &pat) != 0)
		return -1;
	if (maj != 2)
		return maj > 2;
	return min >= 6 || (min == 5 && pat >= 8) || (min == 4 && pat >= 24);
}

bool
protect_prefix_ok(const char *prefix, const char *root)
{
	size_t n;

	if (prefix == NULL || prefix[0] == '\0')
		return false;
	if (root == NULL || root[0] == '\0')
		return true;
	n = strlen(root);
	/* Milvus owns <root>/...; a prefix equal to it, under it, or one that
	 * its keys fall under ("by", "by-dev") would mix with Milvus's keys. */
	if (strncmp(prefix, root, strlen(prefix)) == 0)
		return false;
	return !(strncmp(prefix, root, n) == 0 && (prefix[n] == '/' || prefix[n] == '\0'));
}

bool
protect_list_match(char *const *list, size_t n, const char *db, const char *coll)
{
	size_t i, dl = strlen(db), gl;

	for (i = 0; i < n; i++) {
		const char *g = list[i];

		gl = strlen(g);
		/* "db.coll", "coll" in the default database, or "db.*". */
		if (strncmp(g, db, dl) == 0 && g[dl] == '.' && strcmp(g + dl + 1, coll) == 0)
			return true;
		if (strcmp(db, "default") == 0 && strcmp(g, coll) == 0)
			return true;
		if (gl == dl + 2 && strncmp(g, db, dl) == 0 && strcmp(g + dl, ".*") == 0)
			return true;
	}
	return false;
}

bool
protect_refusal_is_alias(const char *message)
{
	return message != NULL && strstr(message, "because it has associated aliases") != NULL;
}

char *
protect_key(const char *prefix, const char *db, const char *coll)
{
	return xasprintf("%sprotect/%s/%s", prefix, db, coll);
}

char *
protect_entry_json(const struct protect_entry *e)
{
	cJSON *j = cJSON_CreateObject();
	char at[40], *s;

	time_format_rfc3339(e->at_ms, at, sizeof at);
	cJSON_AddStringToObject(j, "database", e->db);
	cJSON_AddStringToObject(j, "collection", e->coll);
	cJSON_AddStringToObject(j, "by", e->by);
	cJSON_AddStringToObject(j, "at", at);
	cJSON_AddNumberToObject(j, "at_ms", (double)e->at_ms);
	if (e->alias[0] != '\0')
		cJSON_AddStringToObject(j, "alias", e->alias);
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (s == NULL)
		abort();	/* cJSON fails only when out of memory */
	return s;
}

int
protect_entry_parse(const char *prefix, const char *key, const char *value, size_t len,
    struct protect_entry *e)
{
	const char *rest, *slash;
	const cJSON *t;
	cJSON *j;
	size_t pl = strlen(prefix);

	memset(e, 0, sizeof *e);
	if (strncmp(key, prefix, pl) != 0 || strncmp(key + pl, "protect/", 8) != 0)
		return -1;
	rest = key + pl + 8;
	if ((slash = strchr(rest, '/')) == NULL || slash - rest >= (long)sizeof e->db)
		return -1;
	snprintf(e->db, sizeof e->db, "%.*s", (int)(slash - rest), rest);
	snprintf(e->coll, sizeof e->coll, "%s", slash + 1);
	if (!protect_name_ok(e->db) || !protect_name_ok(e->coll))
		return -1;
	/* The key alone protects: a value someone mangled still counts, with
	 * what can be read of it. */
	if ((j = cJSON_ParseWithLength(value, len)) == NULL)
		return 0;
	t = cJSON_GetObjectItemCaseSensitive(j, "by");
	if (cJSON_IsString(t))
		snprintf(e->by, sizeof e->by, "%s", t->valuestring);
	t = cJSON_GetObjectItemCaseSensitive(j, "at_ms");
	if (cJSON_IsNumber(t) && t->valuedouble > 0 && t->valuedouble < 1e15)
		e->at_ms = (int64_t)t->valuedouble;
	t = cJSON_GetObjectItemCaseSensitive(j, "alias");
	/* Only an alias that is this collection's guard name is believed. */
	if (cJSON_IsString(t) && strncmp(t->valuestring, PROTECT_ALIAS_PREFIX,
	    strlen(PROTECT_ALIAS_PREFIX)) == 0 && protect_name_ok(t->valuestring))
		snprintf(e->alias, sizeof e->alias, "%s", t->valuestring);
	cJSON_Delete(j);
	return 0;
}

static int
store_err(struct etcd_result *r, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "etcd: %s: %s", what, r->errmsg);
	etcd_result_free(r);
	return -1;
}

int
protect_store_list(struct etcd *e, const char *prefix, struct protect_entry **out,
    size_t *n, size_t *skipped, char *err, size_t errlen)
{
	char *p = xasprintf("%sprotect/", prefix);
	struct etcd_result *r;
	size_t i, k = 0, bad = 0;

	*out = NULL;
	*n = 0;
	r = etcd_range_prefix_sync(e, p, 0);
	free(p);
	if (r->err != ETCD_OK)
		return store_err(r, "reading the protect list", err, errlen);
	if (r->n_kvs > 0)
		*out = xcalloc(r->n_kvs, sizeof **out);
	for (i = 0; i < r->n_kvs; i++) {
		if (protect_entry_parse(prefix, r->kvs[i].key, r->kvs[i].value,
		    r->kvs[i].value_len, &(*out)[k]) == 0)
			k++;
		else
			bad++;
	}
	*n = k;
	if (skipped != NULL)
		*skipped = bad;
	etcd_result_free(r);
	return 0;
}

int
protect_store_get(struct etcd *e, const char *prefix, const char *db, const char *coll,
    struct protect_entry *out, char *err, size_t errlen)
{
	char *k = protect_key(prefix, db, coll);
	struct etcd_result *r = etcd_range_sync(e, k, NULL, 0, 0);
	int rc;

	free(k);
	if (r->err != ETCD_OK)
		return store_err(r, "reading the protect list", err, errlen);
	rc = r->n_kvs > 0 && protect_entry_parse(prefix, r->kvs[0].key, r->kvs[0].value,
	    r->kvs[0].value_len, out) == 0;
	etcd_result_free(r);
	return rc;
}

int
protect_store_put(struct etcd *e, const char *prefix, const struct protect_entry *en,
    char *err, size_t errlen)
{
	char *k = protect_key(prefix, en->db, en->coll), *v = protect_entry_json(en);
	struct etcd_result *r = etcd_put_sync(e, k, v, strlen(v), 0);

	free(k);
	free(v);
	if (r->err != ETCD_OK)
		return store_err(r, "writing the protect list", err, errlen);
	etcd_result_free(r);
	return 0;
}

int
protect_store_delete(struct etcd *e, const char *prefix, const char *db, const char *coll,
    char *err, size_t errlen)
{
	char *k = protect_key(prefix, db, coll);
	struct etcd_result *r = etcd_delete_sync(e, k, NULL);

	free(k);
	if (r->err != ETCD_OK)
		return store_err(r, "writing the protect list", err, errlen);
	etcd_result_free(r);
	return 0;
}
