/* SPDX-License-Identifier: MIT */
/* Command results as a small document (objects, tables, scalars) that renders as
 * a padded table on a terminal, TSV in a pipe, or versioned JSON (-o json).
 * Handlers build a document; they never print. */
#ifndef MILVUSADM_OUTPUT_H
#define MILVUSADM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

/* OUT_PROM: the Prometheus text format of the document's metrics (see
 * out_metric); only commands marked CMD_PROM have any. */
enum out_format { OUT_TABLE, OUT_TSV, OUT_JSON, OUT_PROM };

/* "json", "table", "tsv" or "prom" as a format; -1 if it is none of them. */
int out_format_parse(const char *s);

/* How a column's value is shown in table/TSV form (JSON always gets the raw value:
 * strings, integers, booleans, null). */
enum out_coltype {
	OCOL_STR,
	OCOL_INT,			/* right-aligned */
	OCOL_BOOL,			/* "yes" / "no" */
	OCOL_DURATION_MS,		/* int ms shown as "1.2s", "3m04s" */
	OCOL_TIME_MS,			/* wall-clock ms since epoch shown as RFC 3339 */
	OCOL_BYTES,			/* int shown as "12.3 MiB" */
};

/* Which columns give way when a table is wider than the terminal. */
enum out_colfit {
	OFIT_AUTO,			/* text is cut (widest first) after the OFIT_FIRST ones */
	OFIT_FIRST,			/* free text (hosts, reasons): cut before the others */
	OFIT_KEEP,			/* never cut (status words, names to type back) */
};

struct out_col {
	const char *key;		/* member of each row object */
	const char *header;		/* column title on a terminal */
	enum out_coltype type;
	enum out_colfit fit;		/* only OCOL_STR columns are ever cut */
};

struct out_doc;
struct out_obj;
struct out_tab;

/* A document of the given kind: JSON is {"version":1,"kind":KIND, ...root members}.
 * The JSON shape of every kind is documented in doc/json.md and is stable. */
struct out_doc *out_doc_new(const char *kind);
void out_doc_free(struct out_doc *d);
struct out_obj *out_doc_root(struct out_doc *d);

/* Members of an object, in insertion order. Strings are copied; NULL → null. */
void out_str(struct out_obj *o, const char *key, const char *value);
void out_strf(struct out_obj *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void out_int(struct out_obj *o, const char *key, int64_t value);
void out_bool(struct out_obj *o, const char *key, bool value);
void out_null(struct out_obj *o, const char *key);
/* A nested object (shown as "key.member: value" lines on a terminal). */
struct out_obj *out_obj(struct out_obj *o, const char *key);
/* An array of strings (shown comma-separated in text). */
void out_strv(struct out_obj *o, const char *key, const char *const *v, size_t n);
void out_intv(struct out_obj *o, const char *key, const int64_t *v, size_t n);
/* A table: a JSON array of row objects under key; in text, a titled table with
 * these columns (rows may carry more members than columns: JSON-only detail). */
struct out_tab *out_table(struct out_obj *o, const char *key, const char *title,
    const struct out_col *cols, size_t ncols);
struct out_obj *out_row(struct out_tab *t);

/* A metric family for -o prom (what node_exporter's textfile collector
 * reads): NAME and TYPE ("gauge", "counter") as Prometheus spells them, HELP
 * one line. Families render in the order they were added. */
struct out_metric;
struct out_metric *out_metric(struct out_doc *d, const char *name, const char *type,
    const char *help);
/* One sample: labels are name, value pairs ending with NULL (values are
 * escaped as the text format asks, control characters by out_escape). */
void out_sample(struct out_metric *m, const char *const *labels, double value);

/* Render to f in fmt. color: ANSI styling allowed (terminal, no NO_COLOR).
 * A table on a terminal is fitted to its width (out_term_width). */
void out_doc_render(const struct out_doc *d, FILE *f, enum out_format fmt, bool color);
/* The table form fitted to width columns (0: as wide as it takes): text columns
 * are cut with an ellipsis ("…" when utf8, else "..."), and the rightmost
 * columns are left out (and named in a last line) when that is not enough. */
void out_doc_render_table(const struct out_doc *d, FILE *f, bool color, size_t width,
    bool utf8);
/* The width of the terminal f is: TIOCGWINSZ, else $COLUMNS, else 80; 0 when f
 * is not a terminal (a pipe or file gets every value whole). */
size_t out_term_width(FILE *f);
/* Does the locale (LC_CTYPE, set by main) encode UTF-8? */
bool out_utf8_locale(void);

/* Escape control characters and invalid UTF-8 in untrusted text for a terminal
 * or TSV cell ("\x1b" → "\\x1b", tab/newline → "\\t"/"\\n"). Caller frees. */
char *out_escape(const char *s);

#endif
