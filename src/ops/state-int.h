/* SPDX-License-Identifier: MIT */
/* The state gatherer's insides, shared by state.c (sessions, health, etcd,
 * watch) and state-proxy.c (collections and replicas through the proxies). */
#ifndef MILVUSADM_STATE_INT_H
#define MILVUSADM_STATE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "milvusadm/state.h"

struct loop;
struct etcd;
struct etcd_watch;
struct cluster;
struct milvus_rest;
struct milvus_mgmt;

/* At most this many HTTP/etcd calls of one sweep in flight at once. */
#define STATE_MAX_INFLIGHT	16

struct state {
	struct loop *loop;
	struct cluster *cluster;	/* owned */
	struct etcd *etcd;		/* owned, created by state_new */
	char *profile_name;
	char *root;			/* etcd root path, "by-dev" */
	char *session_prefix;		/* "<root>/meta/session/" */
	/* milvus: from the profile (copies) */
	char *milvus_uri;		/* NULL when the profile names none */
	char *milvus_token;		/* read from token_file, NULL if none; never logged */
	char *milvus_ca_file;
	bool milvus_insecure;
	int64_t metrics_port;		/* 9091 */
	long timeout_ms;		/* per request (the profile's timeout) */
	/* Created on first use by state_rest() / state_mgmt(); owned. */
	struct milvus_rest *rest;
	struct milvus_mgmt *mgmt;
	/* live watch */
	struct etcd_watch *watch;
	void (*changed)(void *);
	void *changed_arg;
};

/* The proxy REST client (lazily created from milvus_uri, or, with no uri, from
 * the proxies in the model's sessions at port 19530). NULL with err when there
 * is none to ask. */
struct milvus_rest *state_rest(struct state *st, char *err, size_t errlen);
/* The 9091 client, created on first use. */
struct milvus_mgmt *state_mgmt(struct state *st);
/* "http://IP:metrics_port" for a session address "IP:port" (IPv6 "[a::b]:p"
 * kept bracketed). Caller frees; NULL when addr has no host part. */
char *state_metrics_base(const struct state *st, const char *addr);

#endif
