/* SPDX-License-Identifier: MIT */
/* The REST URI of a proxy known only by its session address, in the scheme
 * the profile asks of the proxies (shared by state.c and drill-probe.c). */
#ifndef MILVUSADM_PROXY_URI_H
#define MILVUSADM_PROXY_URI_H

#include <stdbool.h>
#include <stddef.h>

struct cluster;

/* REST v2 listens on this port of every proxy (the session has 19529). */
#define PROXY_REST_PORT		19530

/* "SCHEME://HOST:19530" for the proxy whose session address is address
 * ("10.0.0.5:19529", "[fd00::5]:19529"); the scheme is milvus.uri's (https
 * stays https, so that the token never goes out in plain text), or without
 * milvus.uri https when tls (a CA file or insecure is configured), else http.
 * NULL when address has no host and port. Caller frees. Pure. */
char *proxy_rest_uri(const char *milvus_uri, bool tls, const char *address);

/* The longest URI the REST client takes (milvus_rest_new). */
#define PROXY_REST_MAX_URI_LEN	512
/* Into uris (room for max): the REST URIs of c's proxy sessions, healthy ones
 * first, at most max, leaving out addresses that give no URI or one too long
 * for the REST client. Returns how many; the caller frees each. */
size_t proxy_rest_uris(const struct cluster *c, bool tls, char **uris, size_t max);

#endif
