/* SPDX-License-Identifier: MIT */
/* The drill report as an output document (kind "drill-report"), shared by
 * `drill run`, `drill show` and the saved JSON (doc/drill-report.schema.json). */
#ifndef MILVUSADM_CMD_DRILL_H
#define MILVUSADM_CMD_DRILL_H

#include <stdbool.h>
#include <stdio.h>

#include "milvusadm/drill.h"
#include "milvusadm/output.h"

/* A new "drill-report" document for r. */
struct out_doc *drill_report_doc(const struct drill_report *r);

/* drill run's live phase lines on f (cmd-drill-live.c): redrawn in place on
 * a terminal, one line per phase change otherwise; NULL (nothing shown) for
 * JSON. Polls d from the loop until drill_live_end, which says the last
 * line and frees. */
struct drill_live;
struct loop;
struct drill_live *drill_live_new(struct loop *l, FILE *f, bool json, struct drill *d);
void drill_live_end(struct drill_live *lv);

/* History: one trend row per target and backend (RTOs of a lease revoke
 * and of a SIGKILL do not compare). */
bool drill_trend_same(const struct drill_report *a, const struct drill_report *b);

#endif
