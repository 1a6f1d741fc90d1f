/* SPDX-License-Identifier: MIT */
/* Verification as run: read the backup's metadata from backup.storage_path
 * and milvusadm's record of its source, then for each restored collection
 * load it, count it and read the sample back; the judgements are
 * backup-verify.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/xalloc.h"

/* Large clusters have large metadata; a file beyond this is refused. */
#define META_MAX_BYTES		((size_t)512 * 1024 * 1024)

void
backup_check_release(struct backup_check_report *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* The backup's full metadata, or NULL with the reason in why. */
static struct backup_meta *
meta_read(const char *storage, const char *name, char *why, size_t whylen)
{
	struct backup_meta *m;
	char *path, *data, err[512];
	size_t len;

	if (storage == NULL || storage[0] == '\0') {
		snprintf(why, whylen, "backup.storage_path is not set (the directory of the "
		    "backups: a local provider's, or the bucket mounted)");
		return NULL;
	}
	path = xasprintf("%s/%s/meta/full_meta.json", storage, name);
	data = fs_read_all(path, META_MAX_BYTES, &len, err, sizeof err);
	free(path);
	if (data == NULL) {
		snprintf(why, whylen, "%s", err);
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	if (backup_parse_full_meta(data, len, m, err, sizeof err) != BACKUP_OK) {
		snprintf(why, whylen, "%s/%s/meta/full_meta.json: %s", storage, name, err);
		backup_meta_release(m);
		free(m);
		m = NULL;
	}
	free(data);
	return m;
}

static const struct backup_meta_coll *
meta_coll(const struct backup_meta *m, const char *db, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n_colls; i++) {
		if (m->colls[i].db != NULL && m->colls[i].name != NULL &&
		    strcmp(m->colls[i].db, db) == 0 && strcmp(m->colls[i].name, name) == 0)
			return &m->colls[i];
	}
	return NULL;
}

/* Split "db.coll" at its first dot (Milvus names have none). */
static void
split_target(const char *full, char *db, size_t dblen, char *coll, size_t colllen)
{
	const char *dot = strchr(full, '.');

	snprintf(db, dblen, "%.*s", dot != NULL ? (int)(dot - full) : 0, full);
	snprintf(coll, colllen, "%.255s", dot != NULL ? dot + 1 : full);
}

static void
check_target(struct loop *l, struct milvus_rest *r, const struct backup_check_opts *o,
    const struct backup_collection *bc, const struct backup_meta_coll *mc,
    const struct backup_source_coll *sc, struct backup_verify_coll *v)
{
	char db[260], coll[260], *why = NULL, **pks = NULL;
	uint64_t *hash = NULL;
	size_t n = 0;
	int64_t count = -1;
	bool loaded = true;

	split_target(v->target, db, sizeof db, coll, sizeof coll);
	if (o->load && backup_load_wait(l, r, db, coll, o->load_timeout_ms, &why) != 0)
		loaded = false;
	if (loaded)
		count = backup_count_rows(r, db, coll, &why);
	backup_verify_rows(mc, bc, sc, count, why, &v->rows);
	if (!loaded || count < 0) {
		backup_verify_sample(sc, NULL, NULL, 0, why, &v->sample);
		free(why);
		return;
	}
	if (sc == NULL || sc->n_sample == 0 || sc->pk == NULL) {
		backup_verify_sample(sc, NULL, NULL, 0, NULL, &v->sample);
		return;
	}
	if (backup_read_rows(r, db, coll, sc->pk, sc->sample_pks, sc->n_sample, &pks, &hash,
	    &n, &why) != 0)
		backup_verify_sample(sc, NULL, NULL, 0, why, &v->sample);
	else
		backup_verify_sample(sc, pks, hash, n, NULL, &v->sample);
	backup_rows_free(pks, hash, n);
	free(why);
}

void
backup_check_run(struct loop *l, struct milvus_rest *r, const struct backup_brief *b,
    const struct backup_check_opts *o, struct backup_check_report *out)
{
	struct backup_source src;
	struct backup_meta *m;
	char why[600], err[512];
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	out->n = b->n_colls;
	out->v = xcalloc(b->n_colls + 1, sizeof *out->v);
	m = meta_read(o->storage_path, b->name, why, sizeof why);
	if (m != NULL)
		snprintf(out->meta_from, sizeof out->meta_from, "%s/%s/meta/full_meta.json",
		    o->storage_path, b->name);
	else
		snprintf(out->meta_from, sizeof out->meta_from, "not read: %s", why);
	rc = backup_source_load(o->profile, b->name, &src, err, sizeof err);
	out->have_source = rc == 0;
	if (rc == 1)
		snprintf(out->source_from, sizeof out->source_from, "none: the backup was not "
		    "taken with milvusadm backup create --wait in profile '%s'", o->profile);
	else if (rc == -1)
		snprintf(out->source_from, sizeof out->source_from, "not read: %.280s", err);
	else
		snprintf(out->source_from, sizeof out->source_from, "milvusadm's record of %zu "
		    "collections", src.n);
	backup_verify_meta(b, m, why, out->v, &out->top);
	out->worst = backup_check_worst(BACKUP_CHECK_SKIPPED, out->top.r);
	for (i = 0; i < b->n_colls; i++) {
		const struct backup_collection *bc = &b->colls[i];
		struct backup_verify_coll *v = &out->v[i];

		snprintf(v->source, sizeof v->source, "%s.%s", bc->db, bc->name);
		out->worst = backup_check_worst(out->worst, v->meta.r);
		if (!o->targets || !backup_sel_match(o->sel, bc->db, bc->name)) {
			v->rows.r = v->sample.r = BACKUP_CHECK_SKIPPED;
			v->rows.expected = v->rows.actual = -1;
			v->sample.expected = v->sample.actual = -1;
			continue;
		}
		backup_restore_target(bc->db, bc->name, o->suffix, o->ren, v->target,
		    sizeof v->target);
		check_target(l, r, o, bc, meta_coll(m, bc->db, bc->name),
		    rc == 0 ? backup_source_find(&src, bc->db, bc->name) : NULL, v);
		out->worst = backup_check_worst(out->worst, v->rows.r);
		out->worst = backup_check_worst(out->worst, v->sample.r);
	}
	if (rc == 0)
		backup_source_release(&src);
	if (m != NULL) {
		backup_meta_release(m);
		free(m);
	}
}
