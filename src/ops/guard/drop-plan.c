/* SPDX-License-Identifier: MIT */
/* The pure parts of the guarded drop: whether a collection is protected by
 * the profile's list, the name of the backup taken before a drop, and the
 * command that undoes it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/protect.h"

bool
guard_protected(const struct profile *p, const char *db, const char *coll)
{
	return p != NULL && protect_list_match(p->guards_protected, p->n_guards_protected, db,
	    coll);
}

/* milvus-backup's names: letters, digits and '_', at most 128. */
static void
name_part(char *out, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		out[i] = isalnum((unsigned char)s[i]) ? s[i] : '_';
	out[i] = '\0';
}

void
guard_predrop_name(const char *db, const char *coll, int64_t wall_ms, char *out, size_t len)
{
	char d[48], c[48];
	struct tm tm;
	time_t t = (time_t)(wall_ms / 1000);

	name_part(d, sizeof d, db);
	name_part(c, sizeof c, coll);
	gmtime_r(&t, &tm);
	/* Milliseconds too: a server never takes a name twice, even after a
	 * failed or interrupted try in the same second. */
	snprintf(out, len, "predrop_%s_%s_%04d%02d%02dT%02d%02d%02d_%03dZ", d, c,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    (int)(wall_ms % 1000));
}

void
guard_undo_command(const char *profile, const char *backup, const char *db, const char *coll,
    char *out, size_t len)
{
	snprintf(out, len, "milvusadm -p %s restore %s --collections %s.%s --rbac --wait "
	    "--verify", profile, backup, db, coll);
}
