/* SPDX-License-Identifier: MIT */
/* The REST URI of a proxy known only by its session address. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

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
