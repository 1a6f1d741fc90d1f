/* SPDX-License-Identifier: MIT */
/* The milvus-backup client for a profile's backup.* keys: URL, credentials
 * for a proxy in front (read from their files only now, by
 * config_read_secret), TLS and timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/config.h"
#include "milvusadm/xalloc.h"

static void
wipe_free(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

struct backup_api *
backup_open(struct loop *l, const struct profile *p, bool *unset, char *err, size_t errlen)
{
	struct backup_api_opts o;
	struct backup_api *a = NULL;
	char *pass = NULL, *token = NULL;

	*unset = p == NULL || p->backup_url == NULL || p->backup_url[0] == '\0';
	if (*unset) {
		snprintf(err, errlen, "no backup.url in profile '%s'", p != NULL ? p->name :
		    "(none)");
		return NULL;
	}
	if (p->backup_password_file != NULL &&
	    (pass = config_read_secret(p->backup_password_file, "backup password", err,
	    errlen)) == NULL)
		return NULL;
	if (p->backup_token_file != NULL &&
	    (token = config_read_secret(p->backup_token_file, "backup token", err,
	    errlen)) == NULL)
		goto out;
	memset(&o, 0, sizeof o);
	o.url = p->backup_url;
	o.basic_user = pass != NULL ? p->backup_username : NULL;
	o.basic_pass = pass;
	o.bearer = token;
	o.tls.ca_file = p->backup_ca_file;
	o.tls.insecure = p->backup_insecure;
	o.timeout_ms = p->backup_timeout_ms > 0 ? (long)p->backup_timeout_ms : 30000;
	/* Retries (Storage_Not_Ready, a gateway's 502-504) stop where a wait
	 * gives up on a silent server: one bound for both, from one key. */
	o.retry_deadline_ms = 2 * o.timeout_ms;
	a = backup_api_new(l, &o, err, errlen);
out:
	wipe_free(pass);
	wipe_free(token);
	return a;
}
