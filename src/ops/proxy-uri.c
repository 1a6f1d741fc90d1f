/* SPDX-License-Identifier: MIT */
/* The REST URIs of proxies known only by their session addresses. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/cluster.h"
#include "milvusadm/xalloc.h"
#include "proxy-uri.h"

char *
proxy_rest_uri(const char *milvus_uri, bool tls, const char *address)
{
	const char *colon, *scheme, *bracket;

	if (address == NULL || (colon = strrchr(address, ':')) == NULL || colon == address)
		return NULL;
	/* "[fd00::5]" alone has colons but no port. */
	if (address[0] == '[' && ((bracket = strchr(address, ']')) == NULL || colon < bracket))
		return NULL;
	/* The other proxies are reached as milvus.uri is: a client configured
	 * for TLS does not fall back to plain text with its token. A URI
	 * without a scheme is http to the REST client too. */
	if (milvus_uri != NULL && milvus_uri[0] != '\0')
		tls = strncasecmp(milvus_uri, "https://", 8) == 0;
	scheme = tls ? "https" : "http";
	return xasprintf("%s://%.*s:%d", scheme, (int)(colon - address), address,
	    PROXY_REST_PORT);
}

size_t
proxy_rest_uris(const struct cluster *c, bool tls, char **uris, size_t max)
{
	const struct component *cp;
	size_t i, n = 0;
	int pass;

	/* Healthy proxies first, so that a cap leaves out the doubtful ones. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->n_components && n < max; i++) {
			cp = &c->components[i];
			if (strcmp(cp->role, "proxy") != 0 ||
			    (cp->health == HEALTH_HEALTHY) != (pass == 0))
				continue;
			uris[n] = proxy_rest_uri(NULL, tls, cp->s.address);
			if (uris[n] != NULL && strlen(uris[n]) > PROXY_REST_MAX_URI_LEN) {
				free(uris[n]);
				uris[n] = NULL;
			}
			n += uris[n] != NULL;
		}
	}
	return n;
}
