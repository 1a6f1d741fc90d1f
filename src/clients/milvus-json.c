/* SPDX-License-Identifier: MIT */
/* JSON helpers shared by the Milvus clients: exact int64s through cJSON,
 * bounded copies, one-line server messages and URL joining. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"

/* Integers of up to 15 digits are exact as doubles; longer ones may not be. */
#define MJ_EXACT_DIGITS	15

static bool
mj_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

cJSON *
mj_parse(const char *text, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i = 0, start;
	cJSON *root;

	buf_add(&b, "", 0);
	while (i < len) {
		char c = text[i];

		if (c == '"') {
			/* Copy the whole string, escapes included, untouched. */
			start = i++;
			while (i < len && text[i] != '"')
				i += text[i] == '\\' ? 2 : 1;
			i = i < len ? i + 1 : len;
			buf_add(&b, text + start, i - start);
		} else if (c == '-' || mj_is_digit(c)) {
			size_t digits;
			bool integer = true;

			start = i++;
			while (i < len && (mj_is_digit(text[i]) || text[i] == '.' ||
			    text[i] == 'e' || text[i] == 'E' || text[i] == '+' || text[i] == '-')) {
				if (!mj_is_digit(text[i]))
					integer = false;
				i++;
			}
			digits = i - start - (text[start] == '-');
			if (integer && digits > MJ_EXACT_DIGITS && digits <= 20) {
				buf_addc(&b, '"');
				buf_add(&b, text + start, i - start);
				buf_addc(&b, '"');
			} else
				buf_add(&b, text + start, i - start);
		} else {
			buf_addc(&b, c);
			i++;
		}
	}
	root = cJSON_ParseWithLength(b.data, b.len);
	buf_release(&b);
	return root;
}

int
mj_int64(const cJSON *item, int64_t *out)
{
	double d;

	if (cJSON_IsString(item))
		return jsonraw_parse_int64(item->valuestring, strlen(item->valuestring), out);
	if (!cJSON_IsNumber(item))
		return -1;
	d = item->valuedouble;
	if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) || floor(d) != d)
		return -1;
	*out = (int64_t)d;
	return 0;
}

int64_t
mj_get_int64(const cJSON *obj, const char *name, int64_t dflt)
{
	int64_t v;

	if (mj_int64(cJSON_GetObjectItemCaseSensitive(obj, name), &v) != 0)
		return dflt;
	return v;
}

char *
mj_get_str(const cJSON *obj, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(it))
		return NULL;
	return xstrndup(it->valuestring, MJ_MAX_STR);
}

bool
mj_get_bool(const cJSON *obj, const char *name, bool dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsBool(it))
		return dflt;
	return cJSON_IsTrue(it);
}

int
mj_int64_array(const cJSON *item, int64_t **out, size_t *n)
{
	const cJSON *e;
	size_t count = 0, i = 0;

	*out = NULL;
	*n = 0;
	if (item == NULL || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsArray(item))
		return -1;
	cJSON_ArrayForEach(e, item)
		count++;
	if (count > MJ_MAX_ITEMS)
		return -1;
	if (count == 0)
		return 0;
	*out = xcalloc(count, sizeof **out);
	cJSON_ArrayForEach(e, item) {
		if (mj_int64(e, &(*out)[i]) != 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
		i++;
	}
	*n = count;
	return 0;
}

void
mj_oneline(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t i, j = 0;

	if (dstlen == 0)
		return;
	for (i = 0; i < srclen && src[i] != '\0' && j + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[j++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[j] = '\0';
}

char *
mj_url(const char *base, const char *path)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	if (strstr(base, "://") != NULL)
		return xasprintf("%.*s%s", (int)n, base, path);
	return xasprintf("http://%.*s%s", (int)n, base, path);
}
