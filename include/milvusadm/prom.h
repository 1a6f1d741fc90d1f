/* SPDX-License-Identifier: MIT */
/* A parser for the Prometheus text exposition format (what /metrics on 9091
 * serves) into flat samples, with lookup helpers. */
#ifndef MILVUSADM_PROM_H
#define MILVUSADM_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on untrusted input: longer lines, names or label values and samples
 * with more labels are skipped (counted in prom_samples.skipped). */
#define PROM_MAX_LINE		65536
#define PROM_MAX_NAME		256
#define PROM_MAX_LABEL_VALUE	4096
#define PROM_MAX_LABELS		64
#define PROM_MAX_SAMPLES	500000

struct prom_label {
	char *name;
	char *value;			/* unescaped (\\ \" \n) */
};

/* One sample line. Histogram and summary series appear as their _bucket,
 * _sum and _count samples, as on the wire. */
struct prom_sample {
	char *name;
	struct prom_label *labels;
	size_t n_labels;
	double value;			/* NaN, +Inf and -Inf are kept as such */
	bool has_timestamp;
	int64_t timestamp_ms;
};

/* Owns every sample and string in it; free with prom_samples_release(). */
struct prom_samples {
	struct prom_sample *v;
	size_t n;
	size_t skipped;			/* malformed or oversized lines */
	bool truncated;			/* PROM_MAX_SAMPLES reached */
};

/* Parse text (need not be NUL-terminated). When keep is non-NULL (a
 * NULL-terminated list of name prefixes), only samples whose name starts with
 * one of them are kept, which keeps big scrapes cheap. Never fails: bad lines
 * are skipped and counted. out must be released even when empty. */
void prom_parse(const char *text, size_t len, const char *const *keep,
    struct prom_samples *out);
void prom_samples_release(struct prom_samples *s);

/* The value of label name in s, or NULL. */
const char *prom_label(const struct prom_sample *s, const char *name);
/* Does s have this name (NULL = any) and, when label is non-NULL, that label
 * equal to value (NULL = any value)? */
bool prom_match(const struct prom_sample *s, const char *name, const char *label,
    const char *value);
/* The first sample matching as prom_match does, or NULL:
 * prom_find(samples, "milvus_num_node", "role_name", "rootcoord"). */
const struct prom_sample *prom_find(const struct prom_samples *s, const char *name,
    const char *label, const char *value);
/* The next match after prev (NULL = from the start), for iterating. */
const struct prom_sample *prom_find_next(const struct prom_samples *s,
    const struct prom_sample *prev, const char *name, const char *label,
    const char *value);
/* The sum of all matching values and, through n when non-NULL, how many matched. */
double prom_sum(const struct prom_samples *s, const char *name, const char *label,
    const char *value, size_t *n);

#endif
