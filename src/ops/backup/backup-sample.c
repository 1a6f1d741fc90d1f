/* SPDX-License-Identifier: MIT */
/* Reading a backup's source and a restore's target through the proxies'
 * REST v2: row counts, a sample of rows by primary key, loading a restored
 * collection so that it can be counted. A sample is read before a backup and
 * again after it succeeded: a row that changed in between has no single
 * backed-up value and is left out, so a busy collection never fails
 * verification for being busy. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"
#include "milvusadm/buf.h"
#include "milvusadm/loop.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

/* Milvus refuses a query limit above 16384. */
#define SAMPLE_MAX		16384
#define LOAD_POLL_MS		500

static char *
rest_why(const struct milvus_rest_result *res)
{
	if (res->err == MREST_ESERVER && res->code == MREST_CODE_COLLECTION_NOT_LOADED)
		return xstrdup("the collection is not loaded (a query needs it loaded)");
	return xasprintf("%s", res->errmsg[0] != '\0' ? res->errmsg : "no answer");
}

/* The primary key field's name from collections/describe. */
static char *
pk_field(struct milvus_rest *r, const char *db, const char *coll, char **why)
{
	struct milvus_rest_result *res = milvus_rest_collection_describe_sync(r, db, coll);
	char *pk = NULL;
	size_t i;

	if (res->err != MREST_OK)
		*why = rest_why(res);
	for (i = 0; res->err == MREST_OK && i < res->info.n_fields; i++) {
		if (res->info.fields[i].primary_key)
			pk = xstrdup(res->info.fields[i].name);
	}
	if (res->err == MREST_OK && pk == NULL)
		*why = xstrdup("the collection has no primary key field");
	milvus_rest_result_free(res);
	return pk;
}

int64_t
backup_count_rows(struct milvus_rest *r, const char *db, const char *coll, char **why)
{
	struct milvus_rest_result *res = milvus_rest_count_sync(r, db, coll, NULL);
	int64_t n = -1;

	if (res->err == MREST_OK)
		n = res->row_count;
	else
		*why = rest_why(res);
	milvus_rest_result_free(res);
	return n;
}

/* "pk in [k1,k2]" from the keys' JSON text: JSON's numbers and quoted strings
 * are also Milvus's expression literals. */
static char *
in_filter(const char *pk, char *const *keys, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_printf(&b, "%s in [", pk);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i > 0 ? "," : "", keys[i]);
	buf_addc(&b, ']');
	return buf_detach(&b, NULL);
}

int
backup_read_rows(struct milvus_rest *r, const char *db, const char *coll, const char *pk,
    char *const *keys, size_t n, char ***got_pks, uint64_t **got_hash, size_t *n_got,
    char **why)
{
	struct milvus_rest_result *res;
	char *filter = in_filter(pk, keys, n);
	size_t i;

	*got_pks = NULL;
	*got_hash = NULL;
	*n_got = 0;
	res = milvus_rest_query_sync(r, db, coll, filter, (long)n, NULL, pk);
	free(filter);
	if (res->err != MREST_OK) {
		*why = rest_why(res);
		milvus_rest_result_free(res);
		return -1;
	}
	*got_pks = xcalloc(res->n_rows + 1, sizeof **got_pks);
	*got_hash = xcalloc(res->n_rows + 1, sizeof **got_hash);
	for (i = 0; i < res->n_rows; i++) {
		(*got_pks)[i] = res->row_pks[i] != NULL ? xstrdup(res->row_pks[i]) : NULL;
		(*got_hash)[i] = backup_row_hash(res->rows[i]);
	}
	*n_got = res->n_rows;
	milvus_rest_result_free(res);
	return 0;
}

void
backup_rows_free(char **pks, uint64_t *hash, size_t n)
{
	size_t i;

	for (i = 0; pks != NULL && i < n; i++)
		free(pks[i]);
	free(pks);
	free(hash);
}

void
backup_source_begin(struct milvus_rest *r, const struct backup_coll_name *colls, size_t n,
    size_t sample, struct backup_source *out)
{
	struct milvus_rest_result *res;
	size_t i, j;

	if (sample > SAMPLE_MAX)
		sample = SAMPLE_MAX;
	out->v = xcalloc(n + 1, sizeof *out->v);
	for (i = 0; i < n; i++) {
		struct backup_source_coll *c = &out->v[out->n++];

		c->db = xstrdup(colls[i].db);
		c->name = xstrdup(colls[i].coll);
		c->rows = backup_count_rows(r, c->db, c->name, &c->rows_why);
		c->pk = pk_field(r, c->db, c->name, &c->sample_why);
		if (c->pk == NULL || sample == 0) {
			if (c->sample_why == NULL)
				c->sample_why = xstrdup("sampling is off (backup.verify_sample 0)");
			continue;
		}
		res = milvus_rest_query_sync(r, c->db, c->name, "", (long)sample, NULL, c->pk);
		if (res->err != MREST_OK) {
			c->sample_why = rest_why(res);
			milvus_rest_result_free(res);
			continue;
		}
		c->sample_pks = xcalloc(res->n_rows + 1, sizeof *c->sample_pks);
		c->sample_hash = xcalloc(res->n_rows + 1, sizeof *c->sample_hash);
		for (j = 0; j < res->n_rows; j++) {
			if (res->row_pks[j] == NULL)
				continue;
			c->sample_pks[c->n_sample] = xstrdup(res->row_pks[j]);
			c->sample_hash[c->n_sample++] = backup_row_hash(res->rows[j]);
		}
		if (c->n_sample == 0)
			c->sample_why = xstrdup(res->n_rows == 0 ? "the collection was empty" :
			    "the rows read had no primary key");
		milvus_rest_result_free(res);
	}
}

/* Keep only the sampled rows read back unchanged; count again. */
static void
finish_one(struct milvus_rest *r, struct backup_source_coll *c)
{
	char **pks = NULL, *why = NULL;
	uint64_t *hash = NULL;
	size_t n = 0, i, j, kept = 0;
	int64_t after;

	if (c->rows >= 0) {
		after = backup_count_rows(r, c->db, c->name, &why);
		if (after != c->rows) {
			free(c->rows_why);
			c->rows_why = after < 0 ? xasprintf("not counted after the backup: %s", why) :
			    xasprintf("rows changed during the backup: %" PRId64 " before, %" PRId64
			    " after", c->rows, after);
			c->rows = -1;
		}
		free(why);
		why = NULL;
	}
	if (c->n_sample == 0)
		return;
	if (backup_read_rows(r, c->db, c->name, c->pk, c->sample_pks, c->n_sample, &pks, &hash,
	    &n, &why) != 0) {
		for (i = 0; i < c->n_sample; i++)
			free(c->sample_pks[i]);
		c->n_sample = 0;
		c->sample_why = xasprintf("not read again after the backup: %s", why);
		free(why);
		return;
	}
	for (i = 0; i < c->n_sample; i++) {
		for (j = 0; j < n; j++) {
			if (pks[j] != NULL && strcmp(pks[j], c->sample_pks[i]) == 0)
				break;
		}
		if (j < n && hash[j] == c->sample_hash[i]) {
			c->sample_pks[kept] = c->sample_pks[i];
			c->sample_hash[kept++] = c->sample_hash[i];
		} else {
			free(c->sample_pks[i]);
			c->changed++;
		}
	}
	c->n_sample = kept;
	if (kept == 0 && c->sample_why == NULL)
		c->sample_why = xasprintf("all %zu sampled rows changed during the backup",
		    c->changed);
	backup_rows_free(pks, hash, n);
}

void
backup_source_finish(struct milvus_rest *r, struct backup_source *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		finish_one(r, &s->v[i]);
}

int
backup_load_wait(struct loop *l, struct milvus_rest *r, const char *db, const char *coll,
    int64_t timeout_ms, char **why)
{
	struct milvus_rest_result *res;
	int64_t t0 = time_mono_ms();
	int never = 0;

	res = milvus_rest_collection_load_sync(r, db, coll);
	if (res->err != MREST_OK) {
		*why = xasprintf("load: %s", res->errmsg);
		milvus_rest_result_free(res);
		return -1;
	}
	milvus_rest_result_free(res);
	for (;;) {
		res = milvus_rest_collection_load_state_sync(r, db, coll);
		if (res->err == MREST_OK && res->load_state != NULL &&
		    strcmp(res->load_state, "LoadStateLoaded") == 0) {
			milvus_rest_result_free(res);
			return 0;
		}
		if (time_mono_ms() - t0 > timeout_ms) {
			*why = xasprintf("not loaded after %" PRId64 " s (%s)", timeout_ms / 1000,
			    res->err != MREST_OK ? res->errmsg : res->load_state != NULL ?
			    res->load_state : "no state");
			milvus_rest_result_free(res);
			return -1;
		}
		milvus_rest_result_free(res);
		(void)loop_run_until(l, &never, LOAD_POLL_MS);
	}
}
