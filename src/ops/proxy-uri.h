/* SPDX-License-Identifier: MIT */
/* The REST URI of a proxy known only by its session address, in the scheme
 * the profile asks of the proxies (shared by state.c and drill-probe.c). */
#ifndef MILVUSADM_PROXY_URI_H
#define MILVUSADM_PROXY_URI_H

#include <stdbool.h>

/* REST v2 listens on this port of every proxy (the session has 19529). */
#define PROXY_REST_PORT		19530

/* "SCHEME://HOST:19530" for the proxy whose session address is address
 * ("10.0.0.5:19529", "[fd00::5]:19529"); the scheme is milvus.uri's (https
 * stays https, so that the token never goes out in plain text), or without
 * milvus.uri https when tls (a CA file or insecure is configured), else http.
 * NULL when address has no host and port. Caller frees. Pure. */
char *proxy_rest_uri(const char *milvus_uri, bool tls, const char *address);

#endif
