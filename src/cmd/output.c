/* SPDX-License-Identifier: MIT */
/* Command results as a document tree: building it, escaping untrusted text, and
 * the versioned JSON rendering (tables and TSV are in output-render.c). */
#include <inttypes.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "milvusadm/xalloc.h"
#include "output-int.h"

/* Past this depth a document is a bug, not data: stop recursing. */
#define OUT_MAX_DEPTH 32

static void out_obj_clear(struct out_obj *o);

struct out_doc *
out_doc_new(const char *kind)
{
	struct out_doc *d = xcalloc(1, sizeof *d);

	d->kind = xstrdup(kind != NULL ? kind : "");
	return d;
}

struct out_obj *
out_doc_root(struct out_doc *d)
{
	return &d->root;
}

static void
out_tab_free(struct out_tab *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		free((char *)t->cols[i].key);
		free((char *)t->cols[i].header);
	}
	free(t->cols);
	for (i = 0; i < t->nrows; i++) {
		out_obj_clear(t->rows[i]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->title);
	free(t);
}

static void
out_member_free(struct out_member *m)
{
	size_t i;

	switch (m->kind) {
	case OV_OBJ:
		out_obj_clear(m->u.obj);
		free(m->u.obj);
		break;
	case OV_STRV:
		for (i = 0; i < m->u.strv.n; i++)
			free(m->u.strv.v[i]);
		free(m->u.strv.v);
		break;
	case OV_INTV:
		free(m->u.intv.v);
		break;
	case OV_TAB:
		out_tab_free(m->u.tab);
		break;
	default:
		break;
	}
	free(m);	/* its key and string value are in the same allocation */
}

static void
out_obj_clear(struct out_obj *o)
{
	struct out_member *m, *next;

	for (m = o->head; m != NULL; m = next) {
		next = m->next;
		out_member_free(m);
	}
	o->head = o->tail = NULL;
}

void
out_doc_free(struct out_doc *d)
{
	if (d == NULL)
		return;
	out_obj_clear(&d->root);
	out_metrics_free(d);
	free(d->kind);
	free(d);
}

/* Append a member; a repeated key replaces nothing (JSON keeps both, as written). */
/* A member, its key and (extra bytes) its string value in one allocation:
 * a document of 10,000 rows has hundreds of thousands of members. */
static struct out_member *
out_add_sized(struct out_obj *o, const char *key, enum out_vkind kind, size_t extra)
{
	size_t klen;
	struct out_member *m;

	key = key != NULL ? key : "";
	klen = strlen(key);
	m = xcalloc(1, sizeof *m + klen + 1 + extra);
	m->key = (char *)(m + 1);
	memcpy(m->key, key, klen + 1);
	m->kind = kind;
	if (o->tail != NULL)
		o->tail->next = m;
	else
		o->head = m;
	o->tail = m;
	return m;
}

static struct out_member *
out_add(struct out_obj *o, const char *key, enum out_vkind kind)
{
	return out_add_sized(o, key, kind, 0);
}

static void
out_add_str(struct out_obj *o, const char *key, const char *value, size_t len)
{
	struct out_member *m = out_add_sized(o, key, OV_STR, len + 1);

	m->u.s = m->key + strlen(m->key) + 1;
	memcpy(m->u.s, value, len);
	m->u.s[len] = '\0';
}

const struct out_member *
out_obj_get(const struct out_obj *o, const char *key)
{
	const struct out_member *m;

	for (m = o->head; m != NULL; m = m->next) {
		if (strcmp(m->key, key) == 0)
			return m;
	}
	return NULL;
}

void
out_str(struct out_obj *o, const char *key, const char *value)
{
	if (value == NULL) {
		out_null(o, key);
		return;
	}
	out_add_str(o, key, value, strlen(value));
}

void
out_strf(struct out_obj *o, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	out_add_str(o, key, v, strlen(v));
	free(v);
}

void
out_int(struct out_obj *o, const char *key, int64_t value)
{
	out_add(o, key, OV_INT)->u.i = value;
}

void
out_bool(struct out_obj *o, const char *key, bool value)
{
	out_add(o, key, OV_BOOL)->u.b = value;
}

void
out_null(struct out_obj *o, const char *key)
{
	out_add(o, key, OV_NULL);
}

struct out_obj *
out_obj(struct out_obj *o, const char *key)
{
	struct out_member *m = out_add(o, key, OV_OBJ);

	m->u.obj = xcalloc(1, sizeof *m->u.obj);
	return m->u.obj;
}

void
out_strv(struct out_obj *o, const char *key, const char *const *v, size_t n)
{
	struct out_member *m = out_add(o, key, OV_STRV);
	size_t i;

	m->u.strv.v = xcalloc(n + 1, sizeof *m->u.strv.v);
	for (i = 0; i < n; i++)
		m->u.strv.v[i] = xstrdup(v[i] != NULL ? v[i] : "");
	m->u.strv.n = n;
}

void
out_intv(struct out_obj *o, const char *key, const int64_t *v, size_t n)
{
	struct out_member *m = out_add(o, key, OV_INTV);

	m->u.intv.v = xcalloc(n + 1, sizeof *m->u.intv.v);
	if (n > 0)
		memcpy(m->u.intv.v, v, n * sizeof *v);
	m->u.intv.n = n;
}

struct out_tab *
out_table(struct out_obj *o, const char *key, const char *title,
    const struct out_col *cols, size_t ncols)
{
	struct out_member *m = out_add(o, key, OV_TAB);
	struct out_tab *t = xcalloc(1, sizeof *t);
	size_t i;

	t->title = title != NULL ? xstrdup(title) : NULL;
	t->cols = xcalloc(ncols + 1, sizeof *t->cols);
	for (i = 0; i < ncols; i++) {
		t->cols[i].key = xstrdup(cols[i].key);
		t->cols[i].header = xstrdup(cols[i].header != NULL ? cols[i].header :
		    cols[i].key);
		t->cols[i].type = cols[i].type;
		t->cols[i].fit = cols[i].fit;
	}
	t->ncols = ncols;
	m->u.tab = t;
	return t;
}

struct out_obj *
out_row(struct out_tab *t)
{
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	t->rows[t->nrows] = xcalloc(1, sizeof **t->rows);
	return t->rows[t->nrows++];
}

/*
 * Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0 when
 * the bytes are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
 */
static size_t
out_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Code points a terminal acts on or that reorder what is shown: C1 controls
 * (0x9b is a one-byte CSI on some terminals) and the bidirectional overrides
 * that let a name display as something else.
 */
static bool
out_cp_dangerous(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f;
}

char *
out_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	struct buf b = BUF_INIT;
	uint32_t cp;
	size_t n;

	buf_adds(&b, "");
	while (*p != '\0') {
		switch (*p) {
		case '\t': buf_adds(&b, "\\t"); p++; continue;
		case '\n': buf_adds(&b, "\\n"); p++; continue;
		case '\r': buf_adds(&b, "\\r"); p++; continue;
		case '\\': buf_adds(&b, "\\\\"); p++; continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			buf_printf(&b, "\\x%02x", *p);
			p++;
			continue;
		}
		n = out_utf8_decode(p, &cp);
		if (n == 0) {
			buf_printf(&b, "\\x%02x", *p);
			p++;
		} else if (out_cp_dangerous(cp)) {
			buf_printf(&b, "\\u%04" PRIx32, cp);
			p += n;
		} else {
			buf_add(&b, p, n);
			p += n;
		}
	}
	return buf_detach(&b, NULL);
}

/* A JSON string literal that is valid UTF-8 whatever the input: invalid bytes
 * become U+FFFD, so one odd host name cannot make the whole document unparsable. */
static void
out_json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	buf_addc(b, '"');
	while (*p != '\0') {
		switch (*p) {
		case '"': buf_adds(b, "\\\""); p++; continue;
		case '\\': buf_adds(b, "\\\\"); p++; continue;
		case '\n': buf_adds(b, "\\n"); p++; continue;
		case '\r': buf_adds(b, "\\r"); p++; continue;
		case '\t': buf_adds(b, "\\t"); p++; continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\u%04x", *p);
			p++;
			continue;
		}
		n = out_utf8_decode(p, &cp);
		if (n == 0) {
			buf_adds(b, "\\ufffd");
			p++;
		} else if (out_cp_dangerous(cp)) {
			/* Still the same string to a parser, but harmless when cat'ed. */
			buf_printf(b, "\\u%04" PRIx32, cp);
			p += n;
		} else {
			buf_add(b, p, n);
			p += n;
		}
	}
	buf_addc(b, '"');
}

static void out_json_obj(struct buf *b, const struct out_obj *o, int depth);

static void
out_json_value(struct buf *b, const struct out_member *m, int depth)
{
	size_t i;

	switch (m->kind) {
	case OV_STR:
		out_json_str(b, m->u.s);
		break;
	case OV_INT:
		buf_printf(b, "%" PRId64, m->u.i);
		break;
	case OV_BOOL:
		buf_adds(b, m->u.b ? "true" : "false");
		break;
	case OV_NULL:
		buf_adds(b, "null");
		break;
	case OV_OBJ:
		buf_addc(b, '{');
		out_json_obj(b, m->u.obj, depth + 1);
		buf_addc(b, '}');
		break;
	case OV_STRV:
		buf_addc(b, '[');
		for (i = 0; i < m->u.strv.n; i++) {
			if (i > 0)
				buf_addc(b, ',');
			out_json_str(b, m->u.strv.v[i]);
		}
		buf_addc(b, ']');
		break;
	case OV_INTV:
		buf_addc(b, '[');
		for (i = 0; i < m->u.intv.n; i++)
			buf_printf(b, "%s%" PRId64, i > 0 ? "," : "", m->u.intv.v[i]);
		buf_addc(b, ']');
		break;
	case OV_TAB:
		buf_addc(b, '[');
		for (i = 0; i < m->u.tab->nrows; i++) {
			if (i > 0)
				buf_addc(b, ',');
			buf_addc(b, '{');
			out_json_obj(b, m->u.tab->rows[i], depth + 1);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
		break;
	}
}

/* The members of o, without braces (the root shares its braces with version/kind). */
static void
out_json_obj(struct buf *b, const struct out_obj *o, int depth)
{
	const struct out_member *m;
	bool first = true;

	if (depth > OUT_MAX_DEPTH)
		return;
	for (m = o->head; m != NULL; m = m->next) {
		if (!first)
			buf_addc(b, ',');
		first = false;
		out_json_str(b, m->key);
		buf_addc(b, ':');
		out_json_value(b, m, depth);
	}
}

/* One line per document, so several commands' output is a stream of JSON lines. */
static void
out_render_json(const struct out_doc *d, FILE *f)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"version\":1,\"kind\":");
	out_json_str(&b, d->kind);
	if (d->root.head != NULL)
		buf_addc(&b, ',');
	out_json_obj(&b, &d->root, 0);
	buf_adds(&b, "}\n");
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

void
out_doc_render(const struct out_doc *d, FILE *f, enum out_format fmt, bool color)
{
	switch (fmt) {
	case OUT_JSON:
		out_render_json(d, f);
		break;
	case OUT_TSV:
		out_render_tsv(d, f);
		break;
	case OUT_TABLE:
		out_render_table(d, f, color, out_term_width(f), out_utf8_locale());
		break;
	case OUT_PROM:
		out_render_prom(d, f);
		break;
	}
}

void
out_doc_render_table(const struct out_doc *d, FILE *f, bool color, size_t width, bool utf8)
{
	out_render_table(d, f, color, width, utf8);
}

/* The kernel's idea first: $COLUMNS is a shell variable most shells do not
 * export, and a stale one would outlive a resize. */
size_t
out_term_width(FILE *f)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	int fd = fileno(f);
	char *end;
	long v;

	if (fd < 0 || !isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c != NULL && c[0] != '\0') {
		v = strtol(c, &end, 10);
		if (*end == '\0' && v > 0 && v <= 10000)
			return (size_t)v;
	}
	return 80;
}

bool
out_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int
out_format_parse(const char *s)
{
	if (strcmp(s, "json") == 0)
		return OUT_JSON;
	if (strcmp(s, "table") == 0)
		return OUT_TABLE;
	if (strcmp(s, "tsv") == 0)
		return OUT_TSV;
	if (strcmp(s, "prom") == 0)
		return OUT_PROM;
	return -1;
}
