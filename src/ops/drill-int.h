/* SPDX-License-Identifier: MIT */
/* Between drill.c (the phases on the loop) and drill-probe.c (the client
 * probes through the proxies). */
#ifndef MILVUSADM_DRILL_INT_H
#define MILVUSADM_DRILL_INT_H

#include <stddef.h>

#include "milvusadm/drill.h"

struct drill_probes;

/* Probes for a drill of role: calls that exercise it, through every proxy the
 * model knows (the profile's milvus.uri first), rate per second. db/name: a
 * loaded collection for the calls that need one, or NULL (then only lists).
 * sample(s, arg) runs from the loop after each answer. */
struct drill_probes *drill_probes_new(struct loop *l, struct state *st, const char *role,
    const char *db, const char *name, int rate,
    void (*sample)(const struct drill_sample *s, void *arg), void *arg,
    char *err, size_t errlen);
/* The calls made, "collections/list, collections/describe" (static storage of p). */
const char *drill_probes_calls(const struct drill_probes *p);
void drill_probes_start(struct drill_probes *p);
/* Stop sending; answers of calls in flight are dropped. */
void drill_probes_stop(struct drill_probes *p);
const struct drill_sample *drill_probes_samples(const struct drill_probes *p, size_t *n);
void drill_probes_free(struct drill_probes *p);

#endif
