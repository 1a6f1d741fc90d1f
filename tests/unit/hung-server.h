/* SPDX-License-Identifier: MIT */
/* A hung server for the fail-over and timeout tests (hung-server.c): a
 * loopback socket that listens and never answers, as a SIGSTOPped etcd
 * member or proxy does. */
#ifndef MILVUSADM_TEST_HUNG_SERVER_H
#define MILVUSADM_TEST_HUNG_SERVER_H

#include <stddef.h>

/* Listen on 127.0.0.1 (a free port) and never accept: connects succeed
 * (the kernel completes them), requests are never answered. Its URL
 * ("http://127.0.0.1:PORT") into url; returns the fd (the caller closes
 * it). Fails the running Check test when the socket cannot be made. */
int hung_server(char *url, size_t len);

#endif
