/* SPDX-License-Identifier: MIT */
/* Finding and hiding the userinfo ("user:password@") of a URL: one parser for
 * the guard, backups, the audit trail and the log redactor. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/url.h"

static bool
url_auth_end(char c)
{
	return c == '\0' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' ||
	    isspace((unsigned char)c);
}

bool
url_userinfo(const char *auth, size_t *info_len, size_t *user_len, size_t *pass_len)
{
	const char *at = NULL, *colon = NULL, *p;

	for (p = auth; !url_auth_end(*p); p++) {
		if (*p == '@')
			at = p;
	}
	if (at == NULL)
		return false;
	colon = memchr(auth, ':', (size_t)(at - auth));
	*info_len = (size_t)(at - auth);
	*user_len = colon != NULL ? (size_t)(colon - auth) : *info_len;
	*pass_len = colon != NULL ? (size_t)(at - colon - 1) : 0;
	return true;
}

/* Where the authority of url starts: after "scheme://", else url itself. */
static const char *
url_authority(const char *url)
{
	const char *s = strstr(url, "://");

	return s != NULL ? s + 3 : url;
}

void
url_strip_userinfo(const char *url, char *out, size_t len)
{
	const char *auth;
	size_t info, user, pass;

	if (url == NULL)
		url = "";
	auth = url_authority(url);
	if (url_userinfo(auth, &info, &user, &pass))
		snprintf(out, len, "%.*s%s", (int)(auth - url), url, auth + info + 1);
	else
		snprintf(out, len, "%s", url);
}

void
url_origin(const char *url, char *out, size_t len)
{
	const char *auth, *end;
	size_t info, user, pass;

	if (url == NULL)
		url = "";
	auth = url_authority(url);
	if (url_userinfo(auth, &info, &user, &pass))
		auth += info + 1;
	for (end = auth; !url_auth_end(*end); end++)
		;
	snprintf(out, len, "%.*s%.*s", (int)(url_authority(url) - url), url,
	    (int)(end - auth), auth);
}

char *
url_redact_password(const char *url)
{
	struct buf b = BUF_INIT;
	const char *auth;
	size_t info, user, pass;

	if (url == NULL)
		url = "";
	auth = url_authority(url);
	buf_adds(&b, "");
	if (!url_userinfo(auth, &info, &user, &pass) || user == info) {
		buf_adds(&b, url);
		return buf_detach(&b, NULL);
	}
	buf_add(&b, url, (size_t)(auth - url) + user + 1);
	buf_adds(&b, "***");
	buf_adds(&b, auth + info);
	return buf_detach(&b, NULL);
}

bool
url_host_is_ip(const char *url)
{
	const char *h = url != NULL ? strstr(url, "://") : NULL, *end, *at;
	char host[64];
	struct in_addr a4;
	size_t n;

	if (h == NULL)
		return false;
	h += 3;
	end = h + strcspn(h, "/?#");
	if ((at = memchr(h, '@', (size_t)(end - h))) != NULL)
		h = at + 1;
	if (*h == '[')
		return true;
	n = strcspn(h, ":/?#");
	if (n == 0 || n >= sizeof host)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	return inet_pton(AF_INET, host, &a4) == 1;
}
