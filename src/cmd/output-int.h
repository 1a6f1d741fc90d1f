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

/* Text renderers (output-render.c). */
void out_render_table(const struct out_doc *d, FILE *f, bool color);
void out_render_tsv(const struct out_doc *d, FILE *f);
/* The metrics as Prometheus text; freeing them (output-prom.c). */
void out_render_prom(const struct out_doc *d, FILE *f);
void out_metrics_free(struct out_doc *d);

#endif
