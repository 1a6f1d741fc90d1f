/* SPDX-License-Identifier: MIT */
/* Reading the secrets the config names (*_file keys): bounded, whole or not
 * at all, and registered with the log redactor before anyone can print them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/log.h"
#include "milvusadm/xalloc.h"

char *
config_read_secret(const char *path, const char *what, char *err, size_t errlen)
{
	char *data, *s, why[512];
	size_t len, n;

	/* One byte over the limit is enough to know the file is too big. */
	if ((data = fs_read_all(path, CONFIG_MAX_SECRET, &len, why, sizeof why)) == NULL) {
		if (strstr(why, "larger than the limit") != NULL)
			snprintf(err, errlen, "%s file '%s' is larger than %d bytes: refused, "
			    "not cut short (it should hold one line)", what, path,
			    CONFIG_MAX_SECRET);
		else
			snprintf(err, errlen, "cannot read %s file '%s'%s", what, path,
			    strchr(why, ':') != NULL ? strrchr(why, ':') : "");
		return NULL;
	}
	n = strcspn(data, "\r\n");
	if (n == 0) {
		explicit_bzero(data, len);
		free(data);
		snprintf(err, errlen, "%s file '%s' is empty", what, path);
		return NULL;
	}
	s = xstrndup(data, n);
	explicit_bzero(data, len);
	free(data);
	log_add_secret(s);
	/* A "user:password" token is sent whole, but a server may quote the
	 * password alone. */
	if (strchr(s, ':') != NULL && strlen(strchr(s, ':') + 1) >= 4)
		log_add_secret(strchr(s, ':') + 1);
	return s;
}
