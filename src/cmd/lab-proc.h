/* SPDX-License-Identifier: MIT */
/* Processes of `milvusadm lab`: its programs, the detached supervisor, leftovers. */
#ifndef MILVUSADM_CMD_LAB_PROC_H
#define MILVUSADM_CMD_LAB_PROC_H

#include <stddef.h>
#include <sys/types.h>

struct lab;

/* milvusadm-labd: $MILVUSADM_LABD, beside this binary (installed or in the build
 * tree), the libexec dir, then PATH. NULL if none; caller frees. */
char *lab_proc_find_labd(void);
/* etcd: $MILVUSADM_ETCD or PATH. NULL if none; caller frees. */
char *lab_proc_find_etcd(void);
/* Fork the supervisor into its own session (double fork) and return at once. */
int lab_proc_spawn_supervisor(const struct lab *lab, char *err, size_t errlen);
/* Fill pids with the lab's live processes: state.json's pids and any lab program
 * whose command line names the lab dir. Returns how many. */
size_t lab_proc_leftovers(const struct lab *lab, pid_t *pids, size_t max);

#endif
