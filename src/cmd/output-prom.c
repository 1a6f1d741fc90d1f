/* SPDX-License-Identifier: MIT */
/* A document's metrics in the Prometheus text exposition format (-o prom),
 * as node_exporter's textfile collector reads them: HELP and TYPE lines,
 * then the samples of each family. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/xalloc.h"
#include "output-int.h"

/* Names are ours, not the cluster's: a bad one is a bug, caught in tests. */
static bool
prom_name_ok(const char *s, bool label)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		    (!label && c == ':') || (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

struct out_metric *
out_metric(struct out_doc *d, const char *name, const char *type, const char *help)
{
	struct out_metric *m = xcalloc(1, sizeof *m);

	m->name = xstrdup(name);
	m->type = xstrdup(type != NULL ? type : "untyped");
	m->help = xstrdup(help != NULL ? help : "");
	if (d->metrics_tail != NULL)
		d->metrics_tail->next = m;
	else
		d->metrics = m;
	d->metrics_tail = m;
	return m;
}

/* A label value: terminal-safe first (the one escaper), then the text
 * format's own escapes for backslash, quote and newline. */
static void
prom_label_value(struct buf *b, const char *v)
{
	char *e = out_escape(v != NULL ? v : ""), *p;

	for (p = e; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			buf_addc(b, '\\');
		if (*p == '\n') {
			buf_adds(b, "\\n");
			continue;
		}
		buf_addc(b, *p);
	}
	free(e);
}

static void
prom_value(struct buf *b, double v)
{
	if (isnan(v))
		buf_adds(b, "NaN");
	else if (isinf(v))
		buf_adds(b, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else
		buf_printf(b, "%.17g", v);
}

void
out_sample(struct out_metric *m, const char *const *labels, double value)
{
	struct buf b = BUF_INIT;
	size_t i, n = 0;

	buf_adds(&b, m->name);
	for (i = 0; labels != NULL && labels[i] != NULL && labels[i + 1] != NULL; i += 2) {
		if (!prom_name_ok(labels[i], true))
			continue;
		buf_adds(&b, n++ == 0 ? "{" : ",");
		buf_adds(&b, labels[i]);
		buf_adds(&b, "=\"");
		prom_label_value(&b, labels[i + 1]);
		buf_addc(&b, '"');
	}
	if (n > 0)
		buf_addc(&b, '}');
	buf_addc(&b, ' ');
	prom_value(&b, value);
	m->lines = xreallocarray(m->lines, m->n + 1, sizeof *m->lines);
	m->lines[m->n++] = buf_detach(&b, NULL);
}

/* HELP text escapes only backslash and newline. */
static void
prom_help(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void
out_render_prom(const struct out_doc *d, FILE *f)
{
	const struct out_metric *m;
	size_t i;

	for (m = d->metrics; m != NULL; m = m->next) {
		if (!prom_name_ok(m->name, false))
			continue;
		fprintf(f, "# HELP %s ", m->name);
		prom_help(f, m->help);
		fprintf(f, "\n# TYPE %s %s\n", m->name, m->type);
		for (i = 0; i < m->n; i++)
			fprintf(f, "%s\n", m->lines[i]);
	}
}

void
out_metrics_free(struct out_doc *d)
{
	struct out_metric *m, *next;
	size_t i;

	for (m = d->metrics; m != NULL; m = next) {
		next = m->next;
		for (i = 0; i < m->n; i++)
			free(m->lines[i]);
		free(m->lines);
		free(m->name);
		free(m->type);
		free(m->help);
		free(m);
	}
	d->metrics = d->metrics_tail = NULL;
}
