/* SPDX-License-Identifier: MIT */
/* The drill report as an output document (kind "drill-report"), shared by
 * `drill run`, `drill show` and the saved JSON (doc/drill-report.schema.json). */
#ifndef MILVUSADM_CMD_DRILL_H
#define MILVUSADM_CMD_DRILL_H

#include "milvusadm/drill.h"
#include "milvusadm/output.h"

/* A new "drill-report" document for r. */
struct out_doc *drill_report_doc(const struct drill_report *r);

#endif
