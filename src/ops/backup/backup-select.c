/* SPDX-License-Identifier: MIT */
/* Pure parsing of what the backup commands name: collection selections
 * (db.c1,db.*,c2), restore renames and suffixes, where a restore puts each
 * collection, and the names `backup create` makes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "milvusadm/backups.h"
#include "milvusadm/xalloc.h"

#define SEL_MAX_NAME	255	/* Milvus's limit on database and collection names */
#define SEL_MAX_ITEMS	1024	/* what the client sends in one request */
#define SEL_MAX_TEXT	65536

/* Milvus names are letters, digits and '_' (some releases also took '$' and
 * '-'); anything else here is a typo or an attempt to smuggle JSON. */
static bool
sel_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > SEL_MAX_NAME)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '$' || c == '-'))
			return false;
	}
	return true;
}

void
backup_sel_release(struct backup_sel *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].db);
		free(s->v[i].coll);
		free(s->specs[i]);
	}
	free(s->v);
	free(s->specs);
	memset(s, 0, sizeof *s);
}

/* One "db.coll", "db.*" or "coll" of length n into it. */
static int
sel_item(const char *p, size_t n, struct backup_sel_item *it, char *err, size_t errlen)
{
	const char *dot = memchr(p, '.', n);

	if (dot == NULL) {
		if (!sel_name_ok(p, n))
			goto bad;
		it->db = xstrdup("default");
		it->coll = xstrndup(p, n);
		return 0;
	}
	if (!sel_name_ok(p, (size_t)(dot - p)))
		goto bad;
	if (!(n - (size_t)(dot - p) - 1 == 1 && dot[1] == '*') &&
	    !sel_name_ok(dot + 1, n - (size_t)(dot - p) - 1))
		goto bad;
	it->db = xstrndup(p, (size_t)(dot - p));
	it->coll = xstrndup(dot + 1, n - (size_t)(dot - p) - 1);
	return 0;
bad:
	snprintf(err, errlen, "invalid collection '%.*s': use db.coll, db.* or coll (letters, "
	    "digits, '_')", (int)(n > 64 ? 64 : n), p);
	return -1;
}

int
backup_sel_parse(const char *text, struct backup_sel *out, char *err, size_t errlen)
{
	const char *p, *comma;
	size_t n, i;

	memset(out, 0, sizeof *out);
	if (text == NULL || *text == '\0' || strlen(text) > SEL_MAX_TEXT) {
		snprintf(err, errlen, "empty or over-long collection list");
		return -1;
	}
	for (n = 1, p = text; (p = strchr(p, ',')) != NULL; p++)
		n++;
	if (n > SEL_MAX_ITEMS) {
		snprintf(err, errlen, "more than %d collections", SEL_MAX_ITEMS);
		return -1;
	}
	out->v = xcalloc(n, sizeof *out->v);
	out->specs = xcalloc(n + 1, sizeof *out->specs);
	for (p = text; ; p = comma + 1) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (sel_item(p, n, &out->v[out->n], err, errlen) != 0) {
			backup_sel_release(out);
			return -1;
		}
		/* The same name twice is harmless: keep one. */
		for (i = 0; i < out->n; i++)
			if (strcmp(out->v[i].db, out->v[out->n].db) == 0 &&
			    strcmp(out->v[i].coll, out->v[out->n].coll) == 0)
				break;
		if (i < out->n) {
			free(out->v[out->n].db);
			free(out->v[out->n].coll);
			memset(&out->v[out->n], 0, sizeof out->v[out->n]);
		} else {
			out->specs[out->n] = xasprintf("%s.%s", out->v[out->n].db,
			    out->v[out->n].coll);
			out->n++;
		}
		if (comma == NULL)
			break;
	}
	return 0;
}

bool
backup_sel_match(const struct backup_sel *s, const char *db, const char *coll)
{
	size_t i;

	if (s == NULL || s->n == 0)
		return true;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].db, db) == 0 && (strcmp(s->v[i].coll, "*") == 0 ||
		    strcmp(s->v[i].coll, coll) == 0))
			return true;
	return false;
}

bool
backup_sel_has_wildcard(const struct backup_sel *s)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (strcmp(s->v[i].coll, "*") == 0)
			return true;
	return false;
}

/* ---- renames and suffixes ---- */

void
backup_renames_release(struct backup_renames *r)
{
	size_t i;

	for (i = 0; r->pairs != NULL && i < 2 * r->n; i++)
		free(r->pairs[i]);
	free(r->pairs);
	memset(r, 0, sizeof *r);
}

/* The kind of one side of a rename: 0 "coll", 1 "db.coll", 2 "db.*" or
 * "db." (the contract lists both for a whole database), -1 invalid. */
static int
rename_kind(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	size_t rest;

	if (dot == NULL)
		return sel_name_ok(s, n) ? 0 : -1;
	if (!sel_name_ok(s, (size_t)(dot - s)))
		return -1;
	rest = n - (size_t)(dot - s) - 1;
	if (rest == 0 || (rest == 1 && dot[1] == '*'))
		return 2;
	return sel_name_ok(dot + 1, rest) ? 1 : -1;
}

int
backup_renames_parse(const char *text, struct backup_renames *out, char *err, size_t errlen)
{
	const char *p, *comma, *colon;
	size_t n, len;
	int ka, kb;

	memset(out, 0, sizeof *out);
	if (text == NULL || *text == '\0' || strlen(text) > SEL_MAX_TEXT) {
		snprintf(err, errlen, "empty or over-long rename list");
		return -1;
	}
	for (n = 1, p = text; (p = strchr(p, ',')) != NULL; p++)
		n++;
	if (n > SEL_MAX_ITEMS) {
		snprintf(err, errlen, "more than %d renames", SEL_MAX_ITEMS);
		return -1;
	}
	out->pairs = xcalloc(2 * n + 1, sizeof *out->pairs);
	for (p = text; ; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		colon = memchr(p, ':', len);
		ka = colon != NULL ? rename_kind(p, (size_t)(colon - p)) : -1;
		kb = colon != NULL ? rename_kind(colon + 1, len - (size_t)(colon - p) - 1) : -1;
		/* A database goes to a database, a collection to a collection:
		 * anything else milvus-backup would read its own way. */
		if (ka < 0 || kb < 0 || (ka == 2) != (kb == 2)) {
			snprintf(err, errlen, "invalid rename '%.*s': use db1.c1:db2.c2, c1:c2 or "
			    "db1.*:db2.*", (int)(len > 64 ? 64 : len), p);
			backup_renames_release(out);
			return -1;
		}
		out->pairs[2 * out->n] = xstrndup(p, (size_t)(colon - p));
		out->pairs[2 * out->n + 1] = xstrndup(colon + 1, len - (size_t)(colon - p) - 1);
		out->n++;
		if (comma == NULL)
			break;
	}
	return 0;
}

int
backup_suffix_check(const char *suffix, char *err, size_t errlen)
{
	size_t n = suffix != NULL ? strlen(suffix) : 0;

	/* '$' and '-' are Milvus name characters, not suffix ones. */
	if (!sel_name_ok(suffix != NULL ? suffix : "", n) || strchr(suffix, '$') != NULL ||
	    strchr(suffix, '-') != NULL) {
		snprintf(err, errlen, "restore suffix '%.64s' may hold only letters, digits and "
		    "'_'", suffix != NULL ? suffix : "");
		return -1;
	}
	return 0;
}

/* Split a rename side into database and collection ("" for a whole database). */
static void
rename_split(const char *s, char *db, size_t dblen, const char **coll)
{
	const char *dot = strchr(s, '.');

	if (dot == NULL) {
		snprintf(db, dblen, "default");
		*coll = s;
		return;
	}
	snprintf(db, dblen, "%.*s", (int)(dot - s), s);
	*coll = dot[1] == '*' ? "" : dot + 1;
}

void
backup_restore_target(const char *db, const char *coll, const char *suffix,
    const struct backup_renames *r, char *out, size_t outlen)
{
	char odb[SEL_MAX_NAME + 1], ndb[SEL_MAX_NAME + 1];
	const char *oc, *nc;
	size_t i;

	/* An exact collection rule wins over a database rule. */
	for (i = 0; r != NULL && i < r->n; i++) {
		rename_split(r->pairs[2 * i], odb, sizeof odb, &oc);
		rename_split(r->pairs[2 * i + 1], ndb, sizeof ndb, &nc);
		if (*oc != '\0' && strcmp(odb, db) == 0 && strcmp(oc, coll) == 0) {
			snprintf(out, outlen, "%s.%s", ndb, nc);
			return;
		}
	}
	for (i = 0; r != NULL && i < r->n; i++) {
		rename_split(r->pairs[2 * i], odb, sizeof odb, &oc);
		rename_split(r->pairs[2 * i + 1], ndb, sizeof ndb, &nc);
		if (*oc == '\0' && strcmp(odb, db) == 0) {
			snprintf(out, outlen, "%s.%s", ndb, coll);
			return;
		}
	}
	snprintf(out, outlen, "%s.%s%s", db, coll, suffix != NULL ? suffix : "");
}

void
backup_auto_name(int64_t wall_ms, char *out, size_t outlen)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, outlen, "milvusadm_%04d%02d%02d_%02d%02d%02d_%03d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    (int)(wall_ms % 1000));
}
