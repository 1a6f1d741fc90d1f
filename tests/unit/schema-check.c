/* SPDX-License-Identifier: MIT */
/*
 * The subset of JSON Schema that doc/drill-report.schema.json uses, for the
 * unit tests: a keyword it does not implement is refused, never ignored.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "schema-check.h"

/*
 * What check_value() implements, and the annotations it may ignore. Anything
 * else in the schema is refused by schema_check(): a keyword the validator
 * does not know would otherwise pass every document unchecked.
 * tests/e2e/check-drill-report.py has the same lists; keep them alike.
 */
static const char *const schema_keywords[] = { "type", "const", "enum", "minimum",
    "maximum", "maxItems", "required", "properties", "additionalProperties", "items", NULL };
static const char *const schema_annotations[] = { "$schema", "$id", "$comment", "title",
    "description", NULL };
static const char *const schema_types[] = { "object", "array", "string", "integer",
    "number", "boolean", "null", NULL };

static bool
in_list(const char *s, const char *const *list)
{
	while (*list != NULL)
		if (strcmp(s, *list++) == 0)
			return true;
	return false;
}

/* Whole: 3 and 3.0 are integers (JSON Schema counts the value, and cJSON
 * cannot tell them apart), 3.5 is not. Past 2^53 every double is whole, and
 * below it the cast to int64_t is exact and in range. */
static bool
is_integral(double d)
{
	if (d != d || d - d != 0)	/* NaN, infinity */
		return false;
	return d >= 0x1p53 || d <= -0x1p53 || d == (double)(int64_t)d;
}

static bool
type_is(const cJSON *v, const char *t)
{
	if (strcmp(t, "object") == 0)
		return cJSON_IsObject(v);
	if (strcmp(t, "array") == 0)
		return cJSON_IsArray(v);
	if (strcmp(t, "string") == 0)
		return cJSON_IsString(v);
	if (strcmp(t, "integer") == 0)
		return cJSON_IsNumber(v) && is_integral(v->valuedouble);
	if (strcmp(t, "number") == 0)
		return cJSON_IsNumber(v);	/* not true/false: cJSON keeps them apart */
	if (strcmp(t, "boolean") == 0)
		return cJSON_IsBool(v);
	return strcmp(t, "null") == 0 && cJSON_IsNull(v);
}

static bool
type_name_ok(const cJSON *t)
{
	return cJSON_IsString(t) && in_list(t->valuestring, schema_types);
}

/* The value of keyword K has the shape check_value() relies on. */
static bool
keyword_ok(const cJSON *k)
{
	const char *n = k->string;
	const cJSON *x;

	if (strcmp(n, "type") == 0 && cJSON_IsArray(k)) {
		cJSON_ArrayForEach(x, k)
			if (!type_name_ok(x))
				return false;
		return cJSON_GetArraySize(k) > 0;
	}
	if (strcmp(n, "type") == 0)
		return type_name_ok(k);
	if (strcmp(n, "enum") == 0)
		return cJSON_IsArray(k);
	if (strcmp(n, "minimum") == 0 || strcmp(n, "maximum") == 0)
		return cJSON_IsNumber(k);
	if (strcmp(n, "maxItems") == 0)
		return cJSON_IsNumber(k) && k->valuedouble >= 0 && is_integral(k->valuedouble);
	if (strcmp(n, "required") == 0) {
		cJSON_ArrayForEach(x, k)
			if (!cJSON_IsString(x))
				return false;
		return cJSON_IsArray(k);
	}
	/* A schema as additionalProperties is not implemented: refuse it. */
	if (strcmp(n, "additionalProperties") == 0)
		return cJSON_IsBool(k);
	if (strcmp(n, "properties") == 0 || strcmp(n, "items") == 0)
		return cJSON_IsObject(k);
	return true;	/* const: any value */
}

/* Refuse a schema that uses what check_value() does not implement; AT is its
 * JSON Pointer ("#/properties/probes"). */
static int
schema_check(const cJSON *s, const char *at, char *why, size_t len)
{
	const cJSON *k, *x;
	char sub[256];

	if (!cJSON_IsObject(s))
		return snprintf(why, len, "schema %.200s: not an object", at), -1;
	cJSON_ArrayForEach(k, s) {
		if (in_list(k->string, schema_annotations))
			continue;
		if (!in_list(k->string, schema_keywords))
			return snprintf(why, len, "schema %.190s: unknown keyword '%.30s'", at,
			    k->string), -1;
		if (!keyword_ok(k))
			return snprintf(why, len, "schema %.190s: unsupported '%.30s' value", at,
			    k->string), -1;
		if (strcmp(k->string, "items") == 0) {
			snprintf(sub, sizeof sub, "%s/items", at);
			if (schema_check(k, sub, why, len) == -1)
				return -1;
		}
		if (strcmp(k->string, "properties") == 0) {
			cJSON_ArrayForEach(x, k) {
				snprintf(sub, sizeof sub, "%s/properties/%s", at, x->string);
				if (schema_check(x, sub, why, len) == -1)
					return -1;
			}
		}
	}
	return 0;
}

/* Check V at PATH ("$.probes.by_proxy[1]") against a schema that passed
 * schema_check(); the first violation goes to WHY. */
static int
check_value(const cJSON *s, const cJSON *v, const char *path, char *why, size_t len)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type"), *x, *p, *props;
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
	const cJSON *co = cJSON_GetObjectItemCaseSensitive(s, "const");
	const cJSON *ap = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	const cJSON *mi = cJSON_GetObjectItemCaseSensitive(s, "minimum");
	const cJSON *ma = cJSON_GetObjectItemCaseSensitive(s, "maximum");
	const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maxItems");
	char sub[256], types[64] = "";
	bool ok;
	int i;

	if (cJSON_IsString(t)) {
		ok = type_is(v, t->valuestring);
		snprintf(types, sizeof types, "%s", t->valuestring);
	} else {
		ok = t == NULL;
		cJSON_ArrayForEach(x, t) {
			ok = ok || type_is(v, x->valuestring);
			snprintf(types + strlen(types), sizeof types - strlen(types), "%s%s",
			    *types != '\0' ? "|" : "", x->valuestring);
		}
	}
	if (!ok)
		return snprintf(why, len, "%s: not %s", path, types), -1;
	if (co != NULL && !cJSON_Compare(co, v, true)) {
		char *want = cJSON_PrintUnformatted(co);

		snprintf(why, len, "%s: not the const %.40s", path, want);
		free(want);
		return -1;
	}
	if (en != NULL) {
		ok = false;
		cJSON_ArrayForEach(x, en)
			ok = ok || cJSON_Compare(x, v, true);
		if (!ok)
			return snprintf(why, len, "%s: not in the enum", path), -1;
	}
	if (mi != NULL && cJSON_IsNumber(v) && v->valuedouble < mi->valuedouble)
		return snprintf(why, len, "%s: %.17g below the minimum %.17g", path,
		    v->valuedouble, mi->valuedouble), -1;
	if (ma != NULL && cJSON_IsNumber(v) && v->valuedouble > ma->valuedouble)
		return snprintf(why, len, "%s: %.17g above the maximum %.17g", path,
		    v->valuedouble, ma->valuedouble), -1;
	if (mx != NULL && cJSON_IsArray(v) && cJSON_GetArraySize(v) > mx->valuedouble)
		return snprintf(why, len, "%s: %d items, over maxItems %.17g", path,
		    cJSON_GetArraySize(v), mx->valuedouble), -1;
	if (cJSON_IsObject(v)) {
		props = cJSON_GetObjectItemCaseSensitive(s, "properties");
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(s, "required")) {
			if (cJSON_GetObjectItemCaseSensitive(v, x->valuestring) == NULL)
				return snprintf(why, len, "%s: missing '%s'", path, x->valuestring), -1;
		}
		cJSON_ArrayForEach(x, v) {
			p = cJSON_GetObjectItemCaseSensitive(props, x->string);
			snprintf(sub, sizeof sub, "%s.%s", path, x->string);
			if (p == NULL && cJSON_IsFalse(ap))
				return snprintf(why, len, "%.200s: not allowed", sub), -1;
			if (p != NULL && check_value(p, x, sub, why, len) == -1)
				return -1;
		}
	}
	if (cJSON_IsArray(v) && (p = cJSON_GetObjectItemCaseSensitive(s, "items")) != NULL) {
		i = 0;
		cJSON_ArrayForEach(x, v) {
			snprintf(sub, sizeof sub, "%s[%d]", path, i++);
			if (check_value(p, x, sub, why, len) == -1)
				return -1;
		}
	}
	return 0;
}

/* 0 when document V conforms to schema S, else -1 and why (the schema first). */
int
schema_validate(const cJSON *s, const cJSON *v, char *why, size_t len)
{
	if (schema_check(s, "#", why, len) == -1)
		return -1;
	return check_value(s, v, "$", why, len);
}
