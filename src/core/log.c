/* SPDX-License-Identifier: MIT */
/* Levelled logging to stderr or a file, with every line passed through the
 * secret redactor first. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/buf.h"
#include "milvusadm/log.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"

/* Bounds so that a runaway caller cannot grow the secret list forever. */
#define LOG_MAX_SECRETS 64

static enum log_level	 log_level = LOG_WARN;
static FILE		*log_file;	/* NULL means stderr */
static char		*log_ident;
static char		*log_secrets[LOG_MAX_SECRETS];
static size_t		 log_n_secrets;

static const char *const log_level_names[] = {
	"error", "warn", "info", "debug", "trace"
};

void
log_set_level(enum log_level level)
{
	if (level > LOG_TRACE)
		level = LOG_TRACE;
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

int
log_open(const char *path)
{
	FILE *f;

	if (path == NULL) {
		if (log_file != NULL)
			fclose(log_file);
		log_file = NULL;
		return 0;
	}
	f = fopen(path, "ae");
	if (f == NULL)
		return -1;
	/* Line-buffered so that a crash loses at most the line being written. */
	setvbuf(f, NULL, _IOLBF, 0);
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	return 0;
}

void
log_set_ident(const char *ident)
{
	free(log_ident);
	log_ident = ident != NULL && *ident != '\0' ? xstrdup(ident) : NULL;
}

void
log_add_secret(const char *secret)
{
	size_t i, n;

	if (secret == NULL || *secret == '\0')
		return;
	for (i = 0; i < log_n_secrets; i++) {
		if (strcmp(log_secrets[i], secret) == 0)
			return;
	}
	if (log_n_secrets == LOG_MAX_SECRETS) {
		/* Drop the oldest: a new secret matters more than one from long ago. */
		free(log_secrets[0]);
		memmove(log_secrets, log_secrets + 1,
		    (LOG_MAX_SECRETS - 1) * sizeof log_secrets[0]);
		log_n_secrets--;
	}
	/* Keep longest first, so a secret that contains another is hidden whole. */
	n = strlen(secret);
	for (i = 0; i < log_n_secrets; i++) {
		if (strlen(log_secrets[i]) < n)
			break;
	}
	memmove(log_secrets + i + 1, log_secrets + i,
	    (log_n_secrets - i) * sizeof log_secrets[0]);
	log_secrets[i] = xstrdup(secret);
	log_n_secrets++;
}

void
log_clear_secrets(void)
{
	size_t i;

	for (i = 0; i < log_n_secrets; i++)
		free(log_secrets[i]);
	log_n_secrets = 0;
}

static bool
is_scheme_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

/* At s (just after "Authorization:"): the number of bytes to keep (spaces and a
 * scheme word) and, in *vlen, the length of the credential that follows. */
static size_t
auth_value(const char *s, size_t *vlen)
{
	static const char *const schemes[] = { "Basic ", "Bearer ", "Token ",
	    "Digest ", "Negotiate " };
	size_t keep = 0, n, i;

	while (s[keep] == ' ' || s[keep] == '\t')
		keep++;
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(s + keep, schemes[i], n) == 0) {
			keep += n;
			break;
		}
	}
	n = 0;
	while (s[keep + n] != '\0' && s[keep + n] != '\r' &&
	    s[keep + n] != '\n' && s[keep + n] != '"')
		n++;
	*vlen = n;
	return keep;
}

char *
log_redact(const char *s)
{
	struct buf b = BUF_INIT;
	size_t i = 0, k, n, keep, info, user;

	buf_adds(&b, "");
	if (s == NULL)
		return buf_detach(&b, NULL);
	while (s[i] != '\0') {
		for (k = 0; k < log_n_secrets; k++) {
			n = strlen(log_secrets[k]);
			if (strncmp(s + i, log_secrets[k], n) == 0)
				break;
		}
		if (k < log_n_secrets) {
			buf_adds(&b, "***");
			i += n;
			continue;
		}
		/* "scheme://user:password@": the URL parser says where. */
		if (i > 0 && is_scheme_char(s[i - 1]) && strncmp(s + i, "://", 3) == 0 &&
		    url_userinfo(s + i + 3, &info, &user, &n) && user < info) {
			buf_add(&b, s + i, 3 + user);
			buf_adds(&b, ":***");
			i += 3 + info;
			continue;
		}
		if (strncasecmp(s + i, "authorization:", 14) == 0) {
			buf_add(&b, s + i, 14);
			i += 14;
			keep = auth_value(s + i, &n);
			buf_add(&b, s + i, keep);
			i += keep;
			if (n > 0) {
				buf_adds(&b, "***");
				i += n;
			}
			continue;
		}
		buf_addc(&b, s[i]);
		i++;
	}
	return buf_detach(&b, NULL);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	char *msg, *red, ts[40];
	const char *p;
	va_list ap;
	FILE *f;

	if (level > log_level)
		return;
	if (level > LOG_TRACE)
		level = LOG_TRACE;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	red = log_redact(msg);
	free(msg);

	time_format_rfc3339(time_wall_ms(), ts, sizeof ts);
	buf_printf(&line, "%s ", ts);
	if (log_ident != NULL)
		buf_printf(&line, "%s ", log_ident);
	buf_printf(&line, "%s: ", log_level_names[level]);
	/* One message, one line: escape control characters that may come from the
	 * network so they can neither forge lines nor drive the terminal. */
	for (p = red; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n')
			buf_adds(&line, "\\n");
		else if (c == '\r')
			buf_adds(&line, "\\r");
		else if (c < 0x20 && c != '\t')
			buf_printf(&line, "\\x%02x", c);
		else if (c == 0x7f)
			buf_adds(&line, "\\x7f");
		else
			buf_addc(&line, (char)c);
	}
	buf_addc(&line, '\n');
	free(red);

	f = log_file != NULL ? log_file : stderr;
	fwrite(line.data, 1, line.len, f);
	fflush(f);
	buf_release(&line);
}
