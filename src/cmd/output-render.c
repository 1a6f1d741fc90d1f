/* SPDX-License-Identifier: MIT */
/* Rendering a document as text: padded, titled tables for a terminal and
 * header-less TSV for pipes, every string from the cluster escaped. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "output-int.h"

#define OUT_MAX_DEPTH 32

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_HEADER	"\033[1;4m"
#define SGR_GOOD	"\033[32m"
#define SGR_WARN	"\033[33m"
#define SGR_BAD		"\033[31m"

/* A label/value line for the scalars of a document ("etcd.leader  etcd-1"). */
struct out_line {
	char *label;
	char *value;
};

struct out_lines {
	struct out_line *v;
	size_t n;
};

/* Cells as shown: the text (escaped) and whether it is right-aligned. */
static size_t
out_width(const char *s)
{
	size_t w = 0;

	/* Escaped text is valid UTF-8: count code points, not bytes. */
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

static void
out_fmt_bytes(int64_t v, char *out, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	int u = -1;

	if (v < 1024 && v > -1024) {
		snprintf(out, len, "%" PRId64 " B", v);
		return;
	}
	while ((d >= 1024 || d <= -1024) && u < 5) {
		d /= 1024;
		u++;
	}
	snprintf(out, len, "%.1f %s", d, units[u]);
}

static void out_cell_value(struct buf *b, const struct out_member *m,
    enum out_coltype type, bool tsv, int depth);

/* An object inside a cell: "k=v k=v" (its full shape is in the JSON). */
static void
out_cell_obj(struct buf *b, const struct out_obj *o, bool tsv, int depth)
{
	const struct out_member *m;

	if (depth > OUT_MAX_DEPTH)
		return;
	for (m = o->head; m != NULL; m = m->next) {
		char *k = out_escape(m->key);

		buf_printf(b, "%s%s=", m == o->head ? "" : " ", k);
		free(k);
		out_cell_value(b, m, OCOL_STR, tsv, depth + 1);
	}
}

/* The text of a value as a cell. Ints get their column's unit in a table; TSV
 * keeps durations and sizes as plain integers so scripts can do arithmetic. */
static void
out_cell_value(struct buf *b, const struct out_member *m, enum out_coltype type,
    bool tsv, int depth)
{
	char tmp[64], *e;
	size_t i;

	if (m == NULL) {
		buf_adds(b, "-");
		return;
	}
	switch (m->kind) {
	case OV_STR:
		e = out_escape(m->u.s);
		buf_adds(b, e[0] != '\0' ? e : (tsv ? "" : "-"));
		free(e);
		break;
	case OV_INT:
		switch (type) {
		case OCOL_BOOL:
			buf_adds(b, m->u.i ? "yes" : "no");
			break;
		case OCOL_DURATION_MS:
			if (tsv)
				buf_printf(b, "%" PRId64, m->u.i);
			else {
				time_format_duration(m->u.i, tmp, sizeof tmp);
				buf_adds(b, tmp);
			}
			break;
		case OCOL_TIME_MS:
			time_format_rfc3339(m->u.i, tmp, sizeof tmp);
			buf_adds(b, tmp);
			break;
		case OCOL_BYTES:
			if (tsv)
				buf_printf(b, "%" PRId64, m->u.i);
			else {
				out_fmt_bytes(m->u.i, tmp, sizeof tmp);
				buf_adds(b, tmp);
			}
			break;
		default:
			buf_printf(b, "%" PRId64, m->u.i);
		}
		break;
	case OV_BOOL:
		buf_adds(b, m->u.b ? "yes" : "no");
		break;
	case OV_NULL:
		buf_adds(b, "-");
		break;
	case OV_OBJ:
		out_cell_obj(b, m->u.obj, tsv, depth);
		break;
	case OV_STRV:
		if (m->u.strv.n == 0 && !tsv)
			buf_adds(b, "-");
		for (i = 0; i < m->u.strv.n; i++) {
			e = out_escape(m->u.strv.v[i]);
			buf_printf(b, "%s%s", i > 0 ? "," : "", e);
			free(e);
		}
		break;
	case OV_INTV:
		if (m->u.intv.n == 0 && !tsv)
			buf_adds(b, "-");
		for (i = 0; i < m->u.intv.n; i++)
			buf_printf(b, "%s%" PRId64, i > 0 ? "," : "", m->u.intv.v[i]);
		break;
	case OV_TAB:
		buf_printf(b, "%zu rows", m->u.tab->nrows);
		break;
	}
}

static char *
out_cell(const struct out_member *m, enum out_coltype type, bool tsv)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "");
	out_cell_value(&b, m, type, tsv, 0);
	return buf_detach(&b, NULL);
}

/* Collect the scalar members of o (recursing into objects) as label/value lines. */
static void
out_collect_lines(struct out_lines *l, const struct out_obj *o, const char *prefix,
    bool tsv, int depth)
{
	const struct out_member *m;
	char *label, *k;

	if (depth > OUT_MAX_DEPTH)
		return;
	for (m = o->head; m != NULL; m = m->next) {
		if (m->kind == OV_TAB)
			continue;
		k = out_escape(m->key);
		label = prefix != NULL ? xasprintf("%s.%s", prefix, k) : xstrdup(k);
		free(k);
		if (m->kind == OV_OBJ) {
			out_collect_lines(l, m->u.obj, label, tsv, depth + 1);
			free(label);
			continue;
		}
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		l->v[l->n].label = label;
		l->v[l->n].value = out_cell(m, OCOL_STR, tsv);
		l->n++;
	}
}

static void
out_lines_free(struct out_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].label);
		free(l->v[i].value);
	}
	free(l->v);
}

/* A table found in the document, with the dotted path of its key. */
struct out_found {
	char *path;
	const struct out_tab *tab;
};

struct out_tabs {
	struct out_found *v;
	size_t n;
};

static void
out_collect_tabs(struct out_tabs *t, const struct out_obj *o, const char *prefix,
    int depth)
{
	const struct out_member *m;
	char *path;

	if (depth > OUT_MAX_DEPTH)
		return;
	for (m = o->head; m != NULL; m = m->next) {
		if (m->kind != OV_TAB && m->kind != OV_OBJ)
			continue;
		path = prefix != NULL ? xasprintf("%s.%s", prefix, m->key) : xstrdup(m->key);
		if (m->kind == OV_OBJ) {
			out_collect_tabs(t, m->u.obj, path, depth + 1);
			free(path);
			continue;
		}
		t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
		t->v[t->n].path = path;
		t->v[t->n].tab = m->u.tab;
		t->n++;
	}
}

static void
out_tabs_free(struct out_tabs *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].path);
	free(t->v);
}

/* Status words get a colour so a failing row stands out; nothing else does. */
static const char *
out_word_color(const char *s)
{
	static const char *const good[] = { "ok", "pass", "healthy", "ACTIVE", "running",
	    "ready", "up", "yes", "Loaded", "LoadStateLoaded", NULL };
	static const char *const warn[] = { "warn", "STANDBY", "stopping", "starting",
	    "degraded", "Loading", "unknown", NULL };
	static const char *const bad[] = { "fail", "failed", "unhealthy", "down", "dead",
	    "unreachable", "error", "missed", "NotLoad", NULL };
	size_t i;

	for (i = 0; good[i] != NULL; i++) {
		if (strcmp(s, good[i]) == 0)
			return SGR_GOOD;
	}
	for (i = 0; warn[i] != NULL; i++) {
		if (strcmp(s, warn[i]) == 0)
			return SGR_WARN;
	}
	for (i = 0; bad[i] != NULL; i++) {
		if (strcmp(s, bad[i]) == 0)
			return SGR_BAD;
	}
	return NULL;
}

static bool
out_col_right(enum out_coltype t)
{
	return t == OCOL_INT || t == OCOL_DURATION_MS || t == OCOL_BYTES;
}

static void
out_pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static void
out_print_cell(FILE *f, const char *text, size_t width, bool right, bool last,
    const char *sgr)
{
	size_t w = out_width(text);
	size_t pad = width > w ? width - w : 0;

	if (right)
		out_pad(f, pad);
	if (sgr != NULL)
		fprintf(f, "%s%s%s", sgr, text, SGR_RESET);
	else
		fputs(text, f);
	if (!right && !last)
		out_pad(f, pad);
}

static void
out_table_print(FILE *f, const struct out_tab *t, bool color)
{
	size_t *w = xcalloc(t->ncols + 1, sizeof *w), r, c;
	char **cells = xcalloc(t->nrows * t->ncols + 1, sizeof *cells), *h;

	for (c = 0; c < t->ncols; c++)
		w[c] = out_width(t->cols[c].header);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			char *s = out_cell(out_obj_get(t->rows[r], t->cols[c].key),
			    t->cols[c].type, false);
			if (out_width(s) > w[c])
				w[c] = out_width(s);
			cells[r * t->ncols + c] = s;
		}
	}
	if (t->title != NULL) {
		h = out_escape(t->title);
		if (color)
			fprintf(f, "%s%s%s\n", SGR_BOLD, h, SGR_RESET);
		else
			fprintf(f, "%s\n", h);
		free(h);
	}
	for (c = 0; c < t->ncols; c++) {
		h = out_escape(t->cols[c].header);
		if (c > 0)
			fputs("  ", f);
		out_print_cell(f, h, w[c], out_col_right(t->cols[c].type),
		    c + 1 == t->ncols, color ? SGR_HEADER : NULL);
		free(h);
	}
	fputc('\n', f);
	if (t->nrows == 0)
		fputs("(none)\n", f);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = cells[r * t->ncols + c];

			if (c > 0)
				fputs("  ", f);
			out_print_cell(f, s, w[c], out_col_right(t->cols[c].type),
			    c + 1 == t->ncols, color ? out_word_color(s) : NULL);
			free(cells[r * t->ncols + c]);
		}
		fputc('\n', f);
	}
	free(cells);
	free(w);
}

void
out_render_table(const struct out_doc *d, FILE *f, bool color)
{
	struct out_lines l = { NULL, 0 };
	struct out_tabs t = { NULL, 0 };
	size_t i, lw = 0;

	out_collect_lines(&l, &d->root, NULL, false, 0);
	out_collect_tabs(&t, &d->root, NULL, 0);
	for (i = 0; i < l.n; i++) {
		if (out_width(l.v[i].label) > lw)
			lw = out_width(l.v[i].label);
	}
	for (i = 0; i < l.n; i++) {
		if (color)
			fprintf(f, "%s%s%s", SGR_BOLD, l.v[i].label, SGR_RESET);
		else
			fputs(l.v[i].label, f);
		out_pad(f, lw - out_width(l.v[i].label) + 2);
		out_print_cell(f, l.v[i].value, 0, false, true,
		    color ? out_word_color(l.v[i].value) : NULL);
		fputc('\n', f);
	}
	for (i = 0; i < t.n; i++) {
		if (l.n > 0 || i > 0)
			fputc('\n', f);
		out_table_print(f, t.v[i].tab, color);
	}
	out_lines_free(&l);
	out_tabs_free(&t);
}

/*
 * TSV: the scalars first as "key TAB value" lines, then one line per row with
 * no header. When a document holds several tables each row starts with its
 * table's key, so `awk '$1 == "members"'` picks one of them.
 */
void
out_render_tsv(const struct out_doc *d, FILE *f)
{
	struct out_lines l = { NULL, 0 };
	struct out_tabs t = { NULL, 0 };
	size_t i, r, c;
	char *s;

	out_collect_lines(&l, &d->root, NULL, true, 0);
	out_collect_tabs(&t, &d->root, NULL, 0);
	for (i = 0; i < l.n; i++)
		fprintf(f, "%s\t%s\n", l.v[i].label, l.v[i].value);
	for (i = 0; i < t.n; i++) {
		const struct out_tab *tab = t.v[i].tab;

		for (r = 0; r < tab->nrows; r++) {
			if (t.n > 1) {
				s = out_escape(t.v[i].path);
				fprintf(f, "%s\t", s);
				free(s);
			}
			for (c = 0; c < tab->ncols; c++) {
				s = out_cell(out_obj_get(tab->rows[r], tab->cols[c].key),
				    tab->cols[c].type, true);
				fprintf(f, "%s%s", c > 0 ? "\t" : "", s);
				free(s);
			}
			fputc('\n', f);
		}
	}
	out_lines_free(&l);
	out_tabs_free(&t);
}
