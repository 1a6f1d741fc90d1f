/* SPDX-License-Identifier: MIT */
/* The document tree behind output.h, shared by the builder and the renderers. */
#ifndef MILVUSADM_OUTPUT_INT_H
#define MILVUSADM_OUTPUT_INT_H

#include "milvusadm/buf.h"
#include "milvusadm/output.h"

enum out_vkind {
	OV_STR,
	OV_INT,
	OV_BOOL,
	OV_NULL,
	OV_OBJ,
	OV_STRV,
	OV_INTV,
	OV_TAB,
};

/* One member of an object; owns its key and value. */
struct out_member {
	char *key;
	enum out_vkind kind;
	union {
		char *s;
		int64_t i;
		bool b;
		struct out_obj *obj;
		struct {
			char **v;
			size_t n;
		} strv;
		struct {
			int64_t *v;
			size_t n;
		} intv;
		struct out_tab *tab;
	} u;
	struct out_member *next;
};

/* Members in insertion order. */
struct out_obj {
	struct out_member *head;
	struct out_member *tail;
};

/* A titled table; owns copies of its columns and its row objects. */
struct out_tab {
	char *title;
	struct out_col *cols;
	size_t ncols;
	struct out_obj **rows;
	size_t nrows;
};

/* A Prometheus metric family and its samples (output-prom.c). */
struct out_metric {
	char *name, *type, *help;
	char **lines;			/* rendered samples: name{labels} value */
	size_t n;
	struct out_metric *next;
};

struct out_doc {
	char *kind;
	struct out_obj root;
	struct out_metric *metrics, *metrics_tail;
};

/* The member called key in o, or NULL. */
const struct out_member *out_obj_get(const struct out_obj *o, const char *key);

/* Text renderers (output-render.c). width 0: no limit. */
void out_render_table(const struct out_doc *d, FILE *f, bool color, size_t width,
    bool utf8);
void out_render_tsv(const struct out_doc *d, FILE *f);
/* The metrics as Prometheus text; freeing them (output-prom.c). */
void out_render_prom(const struct out_doc *d, FILE *f);
void out_metrics_free(struct out_doc *d);

/* Fitting a table into a width (output-render.c), shared with cmd_table. */
/* Display columns of escaped text (code points; escaped text is valid UTF-8). */
size_t out_text_width(const char *s);
/* One column as the fitter sees it: w is its natural width on entry and its
 * width on return; cut: it may be cut (and how eagerly); hidden on return
 * when even cutting could not make room for it. */
struct out_fitcol {
	size_t w, header_w;
	bool cut, first;		/* may be cut; before the others */
	bool keep;			/* left out only after every other column */
	bool hidden;
};
/* Fit cols (separated by sep blanks) into width (0: leave them); returns
 * how many were hidden. */
size_t out_fit_columns(struct out_fitcol *cols, size_t n, size_t sep, size_t width);
/* s cut to width display columns, ending in the ellipsis when cut. Caller frees. */
char *out_fit_text(const char *s, size_t width, bool utf8);

#endif
