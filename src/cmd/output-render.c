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

size_t
out_text_width(const char *s)
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
	size_t w = out_text_width(text);
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

/* The narrowest a cut column gets: its header, and room for a word and the
 * ellipsis; never wider than its widest value. */
static size_t
out_fit_min(const struct out_fitcol *c)
{
	size_t m = c->header_w > 5 ? c->header_w : 5;

	return c->w < m ? c->w : m;
}

/* The width of the shown columns, each at its narrowest when narrowest. */
static size_t
out_fit_total(const struct out_fitcol *cols, size_t n, size_t sep, bool narrowest)
{
	size_t t = 0, shown = 0, i;

	for (i = 0; i < n; i++) {
		if (cols[i].hidden)
			continue;
		t += narrowest && cols[i].cut ? out_fit_min(&cols[i]) : cols[i].w;
		shown++;
	}
	return t + (shown > 1 ? (shown - 1) * sep : 0);
}

/*
 * Narrow the cuttable columns of one class until excess is gone: always the
 * widest (of equals the rightmost, as tables put what a row is on the left),
 * so a short status word is the last to lose a letter. Returns what is left.
 */
static size_t
out_fit_shrink(struct out_fitcol *cols, size_t n, bool first, size_t excess)
{
	size_t i, best, next, target;

	while (excess > 0) {
		best = n;
		next = 0;
		for (i = 0; i < n; i++) {
			if (!cols[i].cut || cols[i].first != first || cols[i].hidden ||
			    cols[i].w <= out_fit_min(&cols[i]))
				continue;
			if (best == n || cols[i].w >= cols[best].w) {
				if (best != n && cols[best].w > next)
					next = cols[best].w;
				best = i;
			} else if (cols[i].w > next)
				next = cols[i].w;
		}
		if (best == n)
			break;
		target = cols[best].w > excess ? cols[best].w - excess : 0;
		if (target < next)
			target = next;
		if (target < out_fit_min(&cols[best]))
			target = out_fit_min(&cols[best]);
		if (target >= cols[best].w)
			target = cols[best].w - 1;
		excess -= cols[best].w - target;
		cols[best].w = target;
	}
	return excess;
}

size_t
out_fit_columns(struct out_fitcol *cols, size_t n, size_t sep, size_t width)
{
	size_t hidden = 0, total, i;
	int pass;

	if (width == 0 || n == 0 || out_fit_total(cols, n, sep, false) <= width)
		return 0;
	/* Cutting every value to a stub helps nobody: first leave out whole
	 * columns, from the right (kept ones last), until the rest can fit. The
	 * first column, what each row is, always stays. */
	for (pass = 0; pass < 2; pass++) {
		for (i = n; i-- > 1;) {
			if (out_fit_total(cols, n, sep, true) <= width)
				break;
			if (!cols[i].hidden && cols[i].keep == (pass == 1)) {
				cols[i].hidden = true;
				hidden++;
			}
		}
	}
	total = out_fit_total(cols, n, sep, false);
	if (total > width)
		out_fit_shrink(cols, n, false, out_fit_shrink(cols, n, true, total - width));
	return hidden;
}

char *
out_fit_text(const char *s, size_t width, bool utf8)
{
	const char *ell = utf8 ? "\xe2\x80\xa6" : "...", *p;
	size_t ew = utf8 ? 1 : 3, keep, n = 0;

	if (out_text_width(s) <= width)
		return xstrdup(s);
	if (width <= ew)
		ell = "";
	keep = width > ew ? width - ew : width;
	for (p = s; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && n++ == keep)
			break;
	}
	return xasprintf("%.*s%s", (int)(p - s), s, ell);
}

/* A cell at its column's width: cut with the ellipsis when it is wider. */
static void
out_print_fit(FILE *f, const char *text, const struct out_fitcol *fc, bool right,
    bool last, const char *sgr, bool utf8)
{
	char *cut = NULL;

	if (out_text_width(text) > fc->w)
		text = cut = out_fit_text(text, fc->w, utf8);
	out_print_cell(f, text, fc->w, right, last, sgr);
	free(cut);
}

static void
out_table_print(FILE *f, const struct out_tab *t, bool color, size_t width, bool utf8)
{
	struct out_fitcol *fc = xcalloc(t->ncols + 1, sizeof *fc);
	char **cells = xcalloc(t->nrows * t->ncols + 1, sizeof *cells), *h;
	size_t r, c, last = 0, nhidden;
	const char *sep;

	for (c = 0; c < t->ncols; c++) {
		fc[c].w = fc[c].header_w = out_text_width(t->cols[c].header);
		/* Only text: a cut number or time would read as another value. */
		fc[c].cut = t->cols[c].type == OCOL_STR && t->cols[c].fit != OFIT_KEEP;
		fc[c].first = t->cols[c].fit == OFIT_FIRST;
		fc[c].keep = t->cols[c].fit == OFIT_KEEP;
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			char *s = out_cell(out_obj_get(t->rows[r], t->cols[c].key),
			    t->cols[c].type, false);
			if (out_text_width(s) > fc[c].w)
				fc[c].w = out_text_width(s);
			cells[r * t->ncols + c] = s;
		}
	}
	nhidden = out_fit_columns(fc, t->ncols, 2, width);
	for (c = 0; c < t->ncols; c++) {
		if (!fc[c].hidden)
			last = c;
	}
	if (t->title != NULL) {
		h = out_escape(t->title);
		if (color)
			fprintf(f, "%s%s%s\n", SGR_BOLD, h, SGR_RESET);
		else
			fprintf(f, "%s\n", h);
		free(h);
	}
	for (c = 0, sep = ""; c < t->ncols; c++) {
		if (fc[c].hidden)
			continue;
		h = out_escape(t->cols[c].header);
		fputs(sep, f);
		sep = "  ";
		out_print_fit(f, h, &fc[c], out_col_right(t->cols[c].type), c == last,
		    color ? SGR_HEADER : NULL, utf8);
		free(h);
	}
	fputc('\n', f);
	if (t->nrows == 0)
		fputs("(none)\n", f);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0, sep = ""; c < t->ncols; c++) {
			const char *s = cells[r * t->ncols + c];

			if (!fc[c].hidden) {
				fputs(sep, f);
				sep = "  ";
				out_print_fit(f, s, &fc[c], out_col_right(t->cols[c].type),
				    c == last, color ? out_word_color(s) : NULL, utf8);
			}
			free(cells[r * t->ncols + c]);
		}
		fputc('\n', f);
	}
	/* A column left out is said, so nobody reads its absence as no data. */
	if (nhidden > 0) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "(not shown at %zu columns:", width);
		for (c = 0, sep = " "; c < t->ncols; c++) {
			if (!fc[c].hidden)
				continue;
			h = out_escape(t->cols[c].header);
			buf_printf(&b, "%s%s", sep, h);
			sep = ", ";
			free(h);
		}
		buf_adds(&b, "; -o json has every field)");
		h = out_fit_text(b.data, width, utf8);
		fprintf(f, "%s\n", h);
		free(h);
		buf_release(&b);
	}
	free(cells);
	free(fc);
}

void
out_render_table(const struct out_doc *d, FILE *f, bool color, size_t width, bool utf8)
{
	struct out_lines l = { NULL, 0 };
	struct out_tabs t = { NULL, 0 };
	struct out_fitcol vf = { 0 };
	size_t i, lw = 0;

	out_collect_lines(&l, &d->root, NULL, false, 0);
	out_collect_tabs(&t, &d->root, NULL, 0);
	for (i = 0; i < l.n; i++) {
		if (out_text_width(l.v[i].label) > lw)
			lw = out_text_width(l.v[i].label);
	}
	for (i = 0; i < l.n; i++) {
		if (color)
			fprintf(f, "%s%s%s", SGR_BOLD, l.v[i].label, SGR_RESET);
		else
			fputs(l.v[i].label, f);
		out_pad(f, lw - out_text_width(l.v[i].label) + 2);
		/* A long value (a list of paths) is cut like a cell, not wrapped. */
		vf.w = width == 0 ? (size_t)-1 : width > lw + 2 + 5 ? width - lw - 2 : 5;
		out_print_fit(f, l.v[i].value, &vf, false, true,
		    color ? out_word_color(l.v[i].value) : NULL, utf8);
		fputc('\n', f);
	}
	for (i = 0; i < t.n; i++) {
		if (l.n > 0 || i > 0)
			fputc('\n', f);
		out_table_print(f, t.v[i].tab, color, width, utf8);
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
