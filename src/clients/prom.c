/* SPDX-License-Identifier: MIT */
/* Prometheus text exposition format parser: one sample per line, comments and
 * HELP/TYPE lines skipped, every size bounded, bad lines counted not fatal. */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/prom.h"
#include "milvusadm/xalloc.h"

struct prom_cursor {
	const char *p;
	size_t n;
	size_t i;
};

static bool
prom_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
prom_skip_blanks(struct prom_cursor *c)
{
	while (c->i < c->n && prom_is_blank(c->p[c->i]))
		c->i++;
}

static bool
prom_is_name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':')
		return true;
	return !first && c >= '0' && c <= '9';
}

/* A bare metric or label name; NULL when there is none or it is too long. */
static char *
prom_read_name(struct prom_cursor *c)
{
	size_t start = c->i;

	if (c->i >= c->n || !prom_is_name_char(c->p[c->i], true))
		return NULL;
	while (c->i < c->n && prom_is_name_char(c->p[c->i], false))
		c->i++;
	if (c->i - start > PROM_MAX_NAME)
		return NULL;
	return xstrndup(c->p + start, c->i - start);
}

/* A quoted string at c->i (the opening quote), unescaping \\ \" and \n; other
 * escapes are kept verbatim, as the wire had them. */
static char *
prom_read_quoted(struct prom_cursor *c, size_t max)
{
	struct buf b = BUF_INIT;

	if (c->i >= c->n || c->p[c->i] != '"')
		return NULL;
	buf_add(&b, "", 0);
	for (c->i++; c->i < c->n; c->i++) {
		char ch = c->p[c->i];

		if (b.len > max)
			break;
		if (ch == '"') {
			c->i++;
			return buf_detach(&b, NULL);
		}
		if (ch == '\\' && c->i + 1 < c->n) {
			ch = c->p[++c->i];
			if (ch == 'n')
				buf_addc(&b, '\n');
			else if (ch == '\\' || ch == '"')
				buf_addc(&b, ch);
			else {
				buf_addc(&b, '\\');
				buf_addc(&b, ch);
			}
			continue;
		}
		buf_addc(&b, ch);
	}
	buf_release(&b);
	return NULL;
}

static void
prom_sample_clear(struct prom_sample *s)
{
	size_t i;

	for (i = 0; i < s->n_labels; i++) {
		free(s->labels[i].name);
		free(s->labels[i].value);
	}
	free(s->labels);
	free(s->name);
	memset(s, 0, sizeof *s);
}

static bool
prom_keep(const char *name, const char *const *keep)
{
	size_t i;

	if (keep == NULL)
		return true;
	for (i = 0; keep[i] != NULL; i++) {
		if (strncmp(name, keep[i], strlen(keep[i])) == 0)
			return true;
	}
	return false;
}

/* The label set after '{'. The first element may be a quoted metric name
 * (the UTF-8 form of newer Prometheus), which then fills s->name. */
static int
prom_read_labels(struct prom_cursor *c, struct prom_sample *s)
{
	for (;;) {
		struct prom_label *l;
		char *name, *value;

		prom_skip_blanks(c);
		if (c->i >= c->n)
			return -1;
		if (c->p[c->i] == '}') {
			c->i++;
			return 0;
		}
		if (c->p[c->i] == '"')
			name = prom_read_quoted(c, PROM_MAX_NAME);
		else
			name = prom_read_name(c);
		if (name == NULL)
			return -1;
		prom_skip_blanks(c);
		if (c->i < c->n && c->p[c->i] != '=' && s->name == NULL && s->n_labels == 0) {
			s->name = name;		/* {"metric.name", label="v"} */
		} else {
			if (c->i >= c->n || c->p[c->i] != '=') {
				free(name);
				return -1;
			}
			c->i++;
			prom_skip_blanks(c);
			value = prom_read_quoted(c, PROM_MAX_LABEL_VALUE);
			if (value == NULL || s->n_labels >= PROM_MAX_LABELS) {
				free(name);
				free(value);
				return -1;
			}
			s->labels = xreallocarray(s->labels, s->n_labels + 1, sizeof *s->labels);
			l = &s->labels[s->n_labels++];
			l->name = name;
			l->value = value;
		}
		prom_skip_blanks(c);
		if (c->i < c->n && c->p[c->i] == ',')
			c->i++;
		else if (c->i >= c->n || c->p[c->i] != '}')
			return -1;
	}
}

/* The locale-independent strtod: the TUI sets LC_ALL from the environment,
 * and a decimal comma must not change what a scrape means. */
static int
prom_parse_value(const char *p, size_t n, double *out)
{
	static locale_t c_locale;
	char tmp[64], *end;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	if (c_locale == (locale_t)0)
		c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	/* strtod would also take hex floats; Prometheus values are decimal. */
	if (strchr(tmp, 'x') != NULL || strchr(tmp, 'X') != NULL)
		return -1;
	*out = c_locale != (locale_t)0 ? strtod_l(tmp, &end, c_locale) : strtod(tmp, &end);
	return *end == '\0' ? 0 : -1;
}

static size_t
prom_token_end(const struct prom_cursor *c)
{
	size_t i = c->i;

	while (i < c->n && !prom_is_blank(c->p[i]))
		i++;
	return i;
}

/* One sample line (no newline). 1 = kept, 0 = filtered out, -1 = malformed. */
static int
prom_parse_line(const char *p, size_t n, const char *const *keep, struct prom_sample *s)
{
	struct prom_cursor c = { p, n, 0 };
	size_t end;

	memset(s, 0, sizeof *s);
	if (c.i < c.n && c.p[c.i] != '{') {
		if ((s->name = prom_read_name(&c)) == NULL)
			goto bad;
		if (!prom_keep(s->name, keep)) {
			prom_sample_clear(s);
			return 0;
		}
		prom_skip_blanks(&c);
	}
	if (c.i < c.n && c.p[c.i] == '{') {
		c.i++;
		if (prom_read_labels(&c, s) != 0 || s->name == NULL)
			goto bad;
		if (!prom_keep(s->name, keep)) {
			prom_sample_clear(s);
			return 0;
		}
	} else if (c.i == 0 || !prom_is_blank(c.p[c.i - 1]))
		goto bad;
	prom_skip_blanks(&c);
	end = prom_token_end(&c);
	if (prom_parse_value(c.p + c.i, end - c.i, &s->value) != 0)
		goto bad;
	c.i = end;
	prom_skip_blanks(&c);
	if (c.i < c.n && c.p[c.i] != '#') {
		end = prom_token_end(&c);
		if (jsonraw_parse_int64(c.p + c.i, end - c.i, &s->timestamp_ms) != 0)
			goto bad;
		s->has_timestamp = true;
		c.i = end;
		prom_skip_blanks(&c);
	}
	/* What may follow is an OpenMetrics exemplar ("# {...} v"), which we drop. */
	if (c.i < c.n && c.p[c.i] != '#')
		goto bad;
	return 1;
bad:
	prom_sample_clear(s);
	return -1;
}

void
prom_parse(const char *text, size_t len, const char *const *keep, struct prom_samples *out)
{
	size_t pos = 0, cap = 0;

	memset(out, 0, sizeof *out);
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - pos;
		struct prom_sample s;
		int rc;

		pos += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		while (n > 0 && prom_is_blank(*line)) {
			line++;
			n--;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if (n > PROM_MAX_LINE || memchr(line, '\0', n) != NULL) {
			out->skipped++;
			continue;
		}
		rc = prom_parse_line(line, n, keep, &s);
		if (rc < 0)
			out->skipped++;
		if (rc <= 0)
			continue;
		if (out->n >= PROM_MAX_SAMPLES) {
			prom_sample_clear(&s);
			out->truncated = true;
			break;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		out->v[out->n++] = s;
	}
}

void
prom_samples_release(struct prom_samples *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		prom_sample_clear(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

const char *
prom_label(const struct prom_sample *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_labels; i++) {
		if (strcmp(s->labels[i].name, name) == 0)
			return s->labels[i].value;
	}
	return NULL;
}

bool
prom_match(const struct prom_sample *s, const char *name, const char *label,
    const char *value)
{
	const char *v;

	if (name != NULL && strcmp(s->name, name) != 0)
		return false;
	if (label == NULL)
		return true;
	v = prom_label(s, label);
	return v != NULL && (value == NULL || strcmp(v, value) == 0);
}

const struct prom_sample *
prom_find_next(const struct prom_samples *s, const struct prom_sample *prev,
    const char *name, const char *label, const char *value)
{
	size_t i = prev != NULL ? (size_t)(prev - s->v) + 1 : 0;

	for (; i < s->n; i++) {
		if (prom_match(&s->v[i], name, label, value))
			return &s->v[i];
	}
	return NULL;
}

const struct prom_sample *
prom_find(const struct prom_samples *s, const char *name, const char *label,
    const char *value)
{
	return prom_find_next(s, NULL, name, label, value);
}

double
prom_sum(const struct prom_samples *s, const char *name, const char *label,
    const char *value, size_t *n)
{
	const struct prom_sample *p = NULL;
	double sum = 0;
	size_t count = 0;

	while ((p = prom_find_next(s, p, name, label, value)) != NULL) {
		sum += p->value;
		count++;
	}
	if (n != NULL)
		*n = count;
	return sum;
}
