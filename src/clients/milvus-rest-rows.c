/* SPDX-License-Identifier: MIT */
/* entities/query rows of a REST v2 answer as canonical JSON text: keys
 * sorted by byte order at every level, no whitespace, numbers as cJSON
 * prints them, integers of more than 15 digits kept digit for digit. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/xalloc.h"
#include "milvus-json.h"
#include "milvus-rest-rows.h"

/* Rows are rewritten from the answer's text, not from a cJSON tree: cJSON's
 * doubles would round int64 keys above 2^53, and a tree cannot tell such a
 * number from a string once mj_parse has quoted it. */
#define ROWS_MAX_DEPTH	64
#define ROWS_EXACT	15		/* longer integers are kept digit for digit */

struct canon {
	const char *p, *end;
	int depth;
	const char *pk;			/* the member whose value is wanted, or NULL */
	char *pk_val;			/* its canonical text, top level of a row only */
};

static void
canon_ws(struct canon *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' ||
	    *s->p == '\r'))
		s->p++;
}

static int
canon_hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char ch = p[i];

		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v |= (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			v |= (unsigned)(ch - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
canon_utf8(struct buf *b, unsigned u)
{
	if (u < 0x80)
		buf_addc(b, (char)u);
	else if (u < 0x800) {
		buf_addc(b, (char)(0xc0 | (u >> 6)));
		buf_addc(b, (char)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		buf_addc(b, (char)(0xe0 | (u >> 12)));
		buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (u & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | (u >> 18)));
		buf_addc(b, (char)(0x80 | ((u >> 12) & 0x3f)));
		buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (u & 0x3f)));
	}
}

/* The string at s->p, decoded into raw (escapes and surrogate pairs). */
static int
canon_decode(struct canon *s, struct buf *raw)
{
	unsigned u, lo;

	buf_add(raw, "", 0);
	if (s->p >= s->end || *s->p != '"')
		return -1;
	for (s->p++; s->p < s->end && *s->p != '"'; s->p++) {
		if ((unsigned char)*s->p < 0x20)
			return -1;
		if (*s->p != '\\') {
			buf_addc(raw, *s->p);
			continue;
		}
		if (++s->p >= s->end)
			return -1;
		switch (*s->p) {
		case '"': case '\\': case '/': buf_addc(raw, *s->p); break;
		case 'b': buf_addc(raw, '\b'); break;
		case 'f': buf_addc(raw, '\f'); break;
		case 'n': buf_addc(raw, '\n'); break;
		case 'r': buf_addc(raw, '\r'); break;
		case 't': buf_addc(raw, '\t'); break;
		case 'u':
			if (canon_hex4(s->p + 1, s->end, &u) != 0)
				return -1;
			s->p += 4;
			if (u >= 0xdc00 && u <= 0xdfff)
				return -1;
			if (u >= 0xd800 && u <= 0xdbff) {
				if (s->end - s->p < 7 || s->p[1] != '\\' || s->p[2] != 'u' ||
				    canon_hex4(s->p + 3, s->end, &lo) != 0 || lo < 0xdc00 ||
				    lo > 0xdfff)
					return -1;
				s->p += 6;
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			}
			canon_utf8(raw, u);
			break;
		default:
			return -1;
		}
	}
	if (s->p >= s->end)
		return -1;
	s->p++;
	return 0;
}

/* Bytes as cJSON prints a string: quotes, backslash and controls escaped. */
static void
canon_put_str(struct buf *b, const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		switch (ch) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\b': buf_adds(b, "\\b"); break;
		case '\f': buf_adds(b, "\\f"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default:
			if (ch < 0x20) {
				buf_adds(b, "\\u00");
				buf_addc(b, hex[ch >> 4]);
				buf_addc(b, hex[ch & 15]);
			} else
				buf_addc(b, (char)ch);
		}
	}
	buf_addc(b, '"');
}

static bool
canon_digit(const struct canon *s)
{
	return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

/* A number (JSON's grammar): long integers verbatim, others as cJSON prints. */
static int
canon_number(struct canon *s, struct buf *out)
{
	const char *start = s->p;
	bool integer = true;
	char tmp[400], *txt;
	cJSON *n;

	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (!canon_digit(s))
		return -1;
	if (*s->p == '0')
		s->p++;
	else
		while (canon_digit(s))
			s->p++;
	if (s->p < s->end && *s->p == '.') {
		integer = false;
		s->p++;
		if (!canon_digit(s))
			return -1;
		while (canon_digit(s))
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		integer = false;
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!canon_digit(s))
			return -1;
		while (canon_digit(s))
			s->p++;
	}
	if ((size_t)(s->p - start) >= sizeof tmp)
		return -1;
	if (integer && s->p - start - (*start == '-') > ROWS_EXACT) {
		buf_add(out, start, (size_t)(s->p - start));
		return 0;
	}
	memcpy(tmp, start, (size_t)(s->p - start));
	tmp[s->p - start] = '\0';
	n = cJSON_CreateNumber(strtod(tmp, NULL));
	txt = n != NULL ? cJSON_PrintUnformatted(n) : NULL;
	cJSON_Delete(n);
	if (txt == NULL)
		return -1;
	buf_adds(out, txt);
	free(txt);
	return 0;
}

static int canon_value(struct canon *s, struct buf *out);

struct canon_member {
	struct buf key;			/* decoded */
	struct buf val;			/* canonical */
};

static int
canon_cmp_member(const void *a, const void *b)
{
	const struct canon_member *x = a, *y = b;
	size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
	int c = memcmp(x->key.data, y->key.data, n);

	if (c != 0)
		return c;
	return x->key.len < y->key.len ? -1 : x->key.len > y->key.len;
}

/* An object with its members sorted by key bytes; a repeated key is refused
 * (which one a reader keeps differs between JSON libraries). */
static int
canon_object(struct canon *s, struct buf *out)
{
	struct canon_member *m = NULL;
	size_t n = 0, i;
	bool top = s->depth == 1;
	int rc = -1;

	s->p++;
	canon_ws(s);
	while (s->p < s->end && *s->p != '}') {
		if (n >= MJ_MAX_ITEMS)
			goto out;
		m = xreallocarray(m, n + 1, sizeof *m);
		buf_init(&m[n].key);
		buf_init(&m[n].val);
		n++;
		if (canon_decode(s, &m[n - 1].key) != 0)
			goto out;
		canon_ws(s);
		if (s->p >= s->end || *s->p != ':')
			goto out;
		s->p++;
		if (canon_value(s, &m[n - 1].val) != 0)
			goto out;
		canon_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			canon_ws(s);
			if (s->p < s->end && *s->p == '}')
				goto out;
		} else if (s->p >= s->end || *s->p != '}')
			goto out;
	}
	if (s->p >= s->end)
		goto out;
	s->p++;
	if (n > 1)
		qsort(m, n, sizeof *m, canon_cmp_member);
	buf_addc(out, '{');
	for (i = 0; i < n; i++) {
		if (i > 0 && canon_cmp_member(&m[i - 1], &m[i]) == 0)
			goto out;
		if (i > 0)
			buf_addc(out, ',');
		canon_put_str(out, m[i].key.data, m[i].key.len);
		buf_addc(out, ':');
		buf_add(out, m[i].val.data, m[i].val.len);
		if (top && s->pk != NULL && s->pk_val == NULL &&
		    m[i].key.len == strlen(s->pk) && memcmp(m[i].key.data, s->pk, m[i].key.len) == 0)
			s->pk_val = xstrndup(m[i].val.data, m[i].val.len);
	}
	buf_addc(out, '}');
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		buf_release(&m[i].key);
		buf_release(&m[i].val);
	}
	free(m);
	return rc;
}

static int
canon_array(struct canon *s, struct buf *out)
{
	size_t n = 0;

	s->p++;
	buf_addc(out, '[');
	canon_ws(s);
	while (s->p < s->end && *s->p != ']') {
		if (n++ > 0)
			buf_addc(out, ',');
		if (n > MJ_MAX_ITEMS || canon_value(s, out) != 0)
			return -1;
		canon_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			canon_ws(s);
			if (s->p < s->end && *s->p == ']')
				return -1;
		} else if (s->p >= s->end || *s->p != ']')
			return -1;
	}
	if (s->p >= s->end)
		return -1;
	s->p++;
	buf_addc(out, ']');
	return 0;
}

static int
canon_literal(struct canon *s, struct buf *out, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return -1;
	s->p += n;
	buf_adds(out, word);
	return 0;
}

static int
canon_value(struct canon *s, struct buf *out)
{
	struct buf raw = BUF_INIT;
	int rc;

	canon_ws(s);
	if (s->p >= s->end || s->depth >= ROWS_MAX_DEPTH)
		return -1;
	switch (*s->p) {
	case '{':
	case '[':
		s->depth++;
		rc = *s->p == '{' ? canon_object(s, out) : canon_array(s, out);
		s->depth--;
		return rc;
	case '"':
		rc = canon_decode(s, &raw);
		if (rc == 0)
			canon_put_str(out, raw.data, raw.len);
		buf_release(&raw);
		return rc;
	case 't': return canon_literal(s, out, "true");
	case 'f': return canon_literal(s, out, "false");
	case 'n': return canon_literal(s, out, "null");
	default: return canon_number(s, out);
	}
}

/* The data array of a query answer: its rows canonical, each row's pk value. */
static int
rest_rows_array(struct canon *s, struct milvus_rest_result *res, char *why, size_t whylen)
{
	struct buf row;
	size_t cap = 0;

	canon_ws(s);
	if (s->end - s->p >= 4 && memcmp(s->p, "null", 4) == 0)
		return 0;
	if (s->p >= s->end || *s->p != '[')
		return -1;
	for (s->p++, canon_ws(s); s->p < s->end && *s->p != ']'; canon_ws(s)) {
		if (res->n_rows > 0) {
			if (*s->p != ',')
				return -1;
			s->p++;
			canon_ws(s);
		}
		if (res->n_rows >= MREST_MAX_QUERY_ROWS) {
			snprintf(why, whylen, "more than %d rows", MREST_MAX_QUERY_ROWS);
			return -1;
		}
		if (s->p >= s->end || *s->p != '{')
			return -1;
		buf_init(&row);
		s->pk_val = NULL;
		s->depth = 1;
		if (canon_object(s, &row) != 0) {
			buf_release(&row);
			free(s->pk_val);
			return -1;
		}
		if (res->n_rows == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			res->rows = xreallocarray(res->rows, cap, sizeof *res->rows);
			res->row_pks = xreallocarray(res->row_pks, cap, sizeof *res->row_pks);
		}
		res->rows[res->n_rows] = buf_detach(&row, NULL);
		res->row_pks[res->n_rows++] = s->pk_val;
	}
	if (s->p >= s->end)
		return -1;
	return 0;
}

int
mrest_rows_parse(const char *body, size_t len, const char *pk, struct milvus_rest_result *res,
    char *why, size_t whylen)
{
	struct canon s = { body, body + len, 0, pk, NULL };
	struct buf key = BUF_INIT, skip = BUF_INIT;
	int rc = -1;

	canon_ws(&s);
	if (s.p >= s.end || *s.p != '{')
		return -1;
	for (s.p++, canon_ws(&s); s.p < s.end && *s.p != '}'; canon_ws(&s)) {
		buf_reset(&key);
		if (canon_decode(&s, &key) != 0)
			break;
		canon_ws(&s);
		if (s.p >= s.end || *s.p++ != ':')
			break;
		if (key.len == 4 && memcmp(key.data, "data", 4) == 0) {
			rc = rest_rows_array(&s, res, why, whylen);
			break;
		}
		/* Another member (code, message, cost): checked, then dropped. */
		buf_reset(&skip);
		if (canon_value(&s, &skip) != 0)
			break;
		canon_ws(&s);
		if (s.p < s.end && *s.p == ',')
			s.p++;
	}
	buf_release(&key);
	buf_release(&skip);
	return rc;
}

