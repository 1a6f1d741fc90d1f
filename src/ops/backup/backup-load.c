/* SPDX-License-Identifier: MIT */
/* Loading a backup catalogue: the server's version once, /list once (it is
 * expensive and carries no times), then a get_backup per backup, a few in
 * flight at a time, on the loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"

/* Each get reads one backup's metadata from the bucket on the server: a few
 * at once is faster than one by one and gentler than all at once. */
#define LOAD_IN_FLIGHT	4

struct load {
	struct backup_api *a;
	struct backup_catalog *c;
	bool *gone;			/* per entry: deleted since the list */
	size_t next, in_flight, ended;
	int done;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
backup_brief_copy(struct backup_brief *dst, const struct backup_brief *src)
{
	size_t i;

	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->id = dup_or_null(src->id);
	dst->error = dup_or_null(src->error);
	dst->milvus_version = dup_or_null(src->milvus_version);
	dst->colls = NULL;
	if (src->n_colls > 0)
		dst->colls = xcalloc(src->n_colls, sizeof *dst->colls);
	for (i = 0; i < src->n_colls; i++) {
		dst->colls[i] = src->colls[i];
		dst->colls[i].db = dup_or_null(src->colls[i].db);
		dst->colls[i].name = dup_or_null(src->colls[i].name);
	}
}

void
backup_brief_clear(struct backup_brief *b)
{
	size_t i;

	free(b->name);
	free(b->id);
	free(b->error);
	free(b->milvus_version);
	for (i = 0; i < b->n_colls; i++) {
		free(b->colls[i].db);
		free(b->colls[i].name);
	}
	free(b->colls);
	memset(b, 0, sizeof *b);
}

void
backup_catalog_release(struct backup_catalog *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		backup_brief_clear(&c->v[i]);
	free(c->v);
	free(c->unreadable_why);
	memset(c, 0, sizeof *c);
}

static void load_next(struct load *ld);

struct load_get {
	struct load *ld;
	size_t i;
};

static void
load_got(const struct backup_result *r, void *arg)
{
	struct load_get *g = arg;
	struct load *ld = g->ld;
	struct backup_brief *b = &ld->c->v[g->i];

	if (r->err == BACKUP_OK && r->brief.name != NULL) {
		backup_brief_clear(b);
		backup_brief_copy(b, &r->brief);
	} else if (r->err == BACKUP_ENOTFOUND && !r->unsure) {
		ld->gone[g->i] = true;	/* deleted between the list and now */
	} else {
		/* Kept as listed (stored, no time, no collections): a 0.5.x
		 * server describes only backups its own process ran. */
		ld->c->unreadable++;
		if (ld->c->unreadable_why == NULL)
			ld->c->unreadable_why = xstrdup(r->errmsg);
	}
	free(g);
	ld->in_flight--;
	ld->ended++;
	load_next(ld);
}

static void
load_next(struct load *ld)
{
	struct load_get *g;

	while (ld->in_flight < LOAD_IN_FLIGHT && ld->next < ld->c->n) {
		g = xcalloc(1, sizeof *g);
		g->ld = ld;
		g->i = ld->next++;
		if (backup_api_get(ld->a, ld->c->v[g->i].name, load_got, g) != 0) {
			/* A listed name the client will not send (bounded, no
			 * control characters): describe it as unreadable. */
			ld->c->unreadable++;
			if (ld->c->unreadable_why == NULL)
				ld->c->unreadable_why = xasprintf("backup name '%.64s' cannot be "
				    "asked for", ld->c->v[g->i].name);
			free(g);
			ld->ended++;
			continue;
		}
		ld->in_flight++;
	}
	if (ld->ended == ld->c->n)
		ld->done = 1;
}

int
backup_catalog_load(struct loop *l, struct backup_api *a, struct backup_catalog *out, int *e,
    char *err, size_t errlen)
{
	struct backup_result *r;
	struct load ld;
	size_t i, k;

	memset(out, 0, sizeof *out);
	*e = BACKUP_OK;
	r = backup_api_detect_sync(a);
	if (r->err != BACKUP_OK) {
		*e = r->err;
		snprintf(err, errlen, "%s", r->errmsg);
		backup_result_free(r);
		return -1;
	}
	out->flavour = r->flavour;
	backup_result_free(r);
	r = backup_api_list_sync(a);
	if (r->err != BACKUP_OK) {
		*e = r->err;
		snprintf(err, errlen, "%s", r->errmsg);
		backup_result_free(r);
		return -1;
	}
	out->skipped = r->list_skipped;
	out->n = r->n_list;
	out->v = xcalloc(out->n + 1, sizeof *out->v);
	for (i = 0; i < out->n; i++)
		backup_brief_copy(&out->v[i], &r->list[i]);
	backup_result_free(r);

	memset(&ld, 0, sizeof ld);
	ld.a = a;
	ld.c = out;
	ld.gone = xcalloc(out->n + 1, sizeof *ld.gone);
	load_next(&ld);
	/* Every get has its own timeout, so this ends. */
	if (!ld.done)
		(void)loop_run_until(l, &ld.done, -1);
	for (i = k = 0; i < out->n; i++) {
		if (ld.gone[i]) {
			backup_brief_clear(&out->v[i]);
			continue;
		}
		out->v[k++] = out->v[i];
	}
	out->n = k;
	free(ld.gone);
	backup_sort_newest(out->v, out->n);
	return 0;
}
