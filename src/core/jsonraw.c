/* SPDX-License-Identifier: MIT */
/* Exact integer extraction from raw JSON text, for int64 members (LeaseID) that
 * a double-based parser such as cJSON would round. */
#include <stdbool.h>
#include <string.h>

#include "milvusadm/jsonraw.h"

int
jsonraw_parse_uint64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
jsonraw_parse_int64(const char *s, size_t n, int64_t *out)
{
	uint64_t u;
	bool neg = false;

	if (n > 0 && s[0] == '-') {
		neg = true;
		s++;
		n--;
	}
	if (jsonraw_parse_uint64(s, n, &u) != 0)
		return -1;
	if (neg) {
		/* INT64_MIN has no positive counterpart, hence the unsigned bound. */
		if (u > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)u;
	}
	return 0;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skip a string starting at text[i] == '"'; returns the index after the closing
 * quote, or 0 when it is unterminated (0 can never be that index). */
static size_t
skip_string(const char *text, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (text[i] == '\\')
			i++;
		else if (text[i] == '"')
			return i + 1;
	}
	return 0;
}

/* Parse the member value at text[i]: a bare integer or a quoted decimal. */
static int
parse_value(const char *text, size_t len, size_t i, int64_t *out)
{
	size_t start;

	while (i < len && is_ws(text[i]))
		i++;
	if (i >= len)
		return -1;
	if (text[i] == '"') {
		start = ++i;
		while (i < len && text[i] != '"' && text[i] != '\\')
			i++;
		if (i >= len || text[i] != '"')
			return -1;
		return jsonraw_parse_int64(text + start, i - start, out);
	}
	start = i;
	if (text[i] == '-')
		i++;
	while (i < len && text[i] >= '0' && text[i] <= '9')
		i++;
	/* A fraction or exponent means it is not an integer, even "1.0". */
	if (i < len && !is_ws(text[i]) && text[i] != ',' && text[i] != '}')
		return -1;
	return jsonraw_parse_int64(text + start, i - start, out);
}

int
jsonraw_top_int64(const char *text, size_t len, const char *name, int64_t *out)
{
	size_t namelen = strlen(name);
	size_t i = 0, end;
	int depth = 0;
	bool want_key = false;

	while (i < len && is_ws(text[i]))
		i++;
	if (i >= len || text[i] != '{')
		return -1;
	while (i < len) {
		char c = text[i];

		if (c == '"') {
			end = skip_string(text, len, i);
			if (end == 0)
				return -1;
			if (depth == 1 && want_key) {
				want_key = false;
				if (end - i - 2 == namelen &&
				    memcmp(text + i + 1, name, namelen) == 0) {
					i = end;
					while (i < len && is_ws(text[i]))
						i++;
					if (i >= len || text[i] != ':')
						return -1;
					return parse_value(text, len, i + 1, out);
				}
			}
			i = end;
			continue;
		}
		switch (c) {
		case '{':
		case '[':
			depth++;
			want_key = depth == 1;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return 1;
			if (depth < 0)
				return -1;
			break;
		case ',':
			want_key = depth == 1;
			break;
		default:
			break;
		}
		i++;
	}
	/* Ran off the end inside the object: truncated. */
	return -1;
}
