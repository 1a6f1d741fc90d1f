/* SPDX-License-Identifier: MIT */
/* The lab supervisor: starts etcd and the labd components of one lab, restarts
 * what dies (like Kubernetes would), and stops everything on SIGTERM. */
#ifndef MILVUSADM_LAB_SUPERVISOR_H
#define MILVUSADM_LAB_SUPERVISOR_H

/* `milvusadm-labd supervise --dir LABDIR`: runs until told to stop. Returns the exit code. */
int supervisor_main(int argc, char **argv);

#endif
