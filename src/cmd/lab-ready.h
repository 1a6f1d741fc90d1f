/* SPDX-License-Identifier: MIT */
/* Is a lab ready? Checked only through interfaces a real cluster has too. */
#ifndef MILVUSADM_CMD_LAB_READY_H
#define MILVUSADM_CMD_LAB_READY_H

#include "milvusadm/buf.h"

struct loop;
struct lab;

/* 1 when every etcd member answers status, each role has its sessions, every
 * exclusive coordinator role its active key and every proxy's /healthz says 200;
 * otherwise 0 with one line per missing piece appended to why. */
int lab_ready_check(struct loop *loop, const struct lab *lab, struct buf *why);
/* Make the sample databases and collections through a proxy's REST v2, those
 * that do not exist yet, and wait until the loaded ones are Loaded. 0, or -1
 * with what failed appended to why. */
int lab_sample_data(struct loop *loop, const struct lab *lab, struct buf *why);

#endif
