/* SPDX-License-Identifier: MIT */
/* The one place that knows where a URL's "user:password@" is, so that every
 * path that shows a URL (the guard's banner, backup messages, the audit
 * trail, the log redactor) hides the same secret the same way. Pure. */
#ifndef MILVUSADM_URL_H
#define MILVUSADM_URL_H

#include <stdbool.h>
#include <stddef.h>

/* At auth, the start of a URL's authority (just after "scheme://", or the
 * start of a scheme-less "user:pw@host"): true when it begins with userinfo.
 * *info_len is the length of "user:password" (its '@' is at auth[*info_len]),
 * *user_len that of the user name (== *info_len when there is no ':'),
 * *pass_len that of the password after the ':'. The authority ends at '/',
 * '?', '#', whitespace or a quote; its last '@' ends the userinfo, so a
 * password with a raw '@' is still hidden whole. */
bool url_userinfo(const char *auth, size_t *info_len, size_t *user_len, size_t *pass_len);

/* url without its "user:password@" (the rest kept) into out (cut to len). */
void url_strip_userinfo(const char *url, char *out, size_t len);
/* "scheme://host:port" of url: no userinfo, no path, query or fragment. */
void url_origin(const char *url, char *out, size_t len);
/* url with only the password replaced by "***" ("http://root:***@etcd-0"),
 * for a trail that must say who but never the secret. Caller frees. */
char *url_redact_password(const char *url);

/* Is the host of url an IP address, v4 or bracketed v6 (no name to
 * resolve)? */
bool url_host_is_ip(const char *url);

#endif
