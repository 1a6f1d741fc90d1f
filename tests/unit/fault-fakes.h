/* SPDX-License-Identifier: MIT */
/* Between test-fault-http.c and fault-fakes.c: what the fake Kubernetes API
 * and Docker Engine recorded, and the knobs that set what they answer. */
#ifndef MILVUSADM_TEST_FAULT_FAKES_H
#define MILVUSADM_TEST_FAULT_FAKES_H

#include <stdbool.h>
#include <stddef.h>

struct loop;

#define POD "my-release-milvus-mixcoord-7d9f8b6c4-x2k9p"
#define ID_A "aaaaaaaaaaaa0000000000000000000000000000000000000000000000000001"
#define ID_B "bbbbbbbbbbbb0000000000000000000000000000000000000000000000000002"
#define ID_C "cccccccccccc0000000000000000000000000000000000000000000000000003"

struct rec {
	char method[16];
	char uri[512];			/* as sent, query still encoded */
	char path[512];
	char query[256];
	char auth[256];
	char ctype[64];
	char body[2048];
	bool cert_ok;
};

/* Requests seen since the last reset (the fakes run in their own threads). */
extern struct rec recs[32];
extern size_t n_recs;

extern char dir[64];			/* scratch dir: certificates, kubeconfigs */
extern int k8s_port;			/* the fake API on https://127.90.0.1:k8s_port */
extern char docker_sock[128];
extern struct loop *lp;			/* the loop the backends run on */

/* What the fakes answer; reset() restores the defaults. */
extern char k8s_uid[64];		/* the pod's uid */
extern bool k8s_replace_after_get;	/* a GET makes the uid change (409 on DELETE) */
extern const char *k8s_labels;		/* the pod's labels, JSON members */
extern const char *docker_policy;	/* restart policy of every container */
extern unsigned k8s_list_code;		/* GET .../pods?labelSelector= */
extern const char *k8s_list_body;
extern bool k8s_pod_gone;		/* the target pod answers 404 */
extern int docker_restart_count;	/* RestartCount of container B */
extern unsigned docker_inspect_code;
extern const char *docker_inspect_body;	/* NULL: each container as built */
extern unsigned docker_delay_ms;	/* a slow daemon: every answer waits this long */
extern unsigned docker_extra_running;	/* more running containers (hostname "extra") */

/* Start the fakes once, forget the requests, restore the knobs. */
void reset(void);
/* Stop the fakes and remove dir (the suite's teardown). */
void servers_stop(void);
/* The contents of file name in dir; caller frees. */
char *slurp(const char *name);
/* Write a kubeconfig into dir for the fake API; user is the YAML of the user
 * mapping. Returns its path; caller frees. */
char *kubeconfig(const char *name, const char *cluster_extra, const char *user);
/* The base64 of file name in dir; caller frees. */
char *b64_file(const char *name);

#endif
