/* SPDX-License-Identifier: MIT */
/* Insert probes (`drill run --insert-into [DB.]NAME`): the write path a
 * datacoord drill should exercise, into a collection the operator names —
 * a drill never writes into a collection nobody chose. Its schema is read in
 * PRECHECK and one harmless row is built per probe. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/milvus_rest.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"
#include "state-int.h"

#define ROW_MAX_DIM		32768	/* a probe row stays small */
#define ROW_MAX_BYTES		(512 * 1024)
#define ROW_TEXT		"milvusadm drill probe"
/* VarChar keys: the prefix and at most 19 digits must fit max_length. */
#define ROW_KEY_PREFIX		"milvusadm-drill-"
#define ROW_KEY_SHORT		"d"

/* A value for a field that is not the primary key; -1 when the type is not
 * one we can fill. */
static int
row_value(struct buf *b, const struct milvus_field *f)
{
	const char *t = f->type;
	int64_t i, len;

	if (strncmp(t, "Int", 3) == 0 && strstr(t, "Vector") == NULL)
		buf_adds(b, "0");
	else if (strcmp(t, "Float") == 0 || strcmp(t, "Double") == 0)
		buf_adds(b, "0.0");
	else if (strcmp(t, "Bool") == 0)
		buf_adds(b, "false");
	else if (strcmp(t, "VarChar") == 0 || strcmp(t, "String") == 0) {
		len = (int64_t)strlen(ROW_TEXT);
		if (f->max_length > 0 && f->max_length < len)
			len = f->max_length;
		buf_printf(b, "\"%.*s\"", (int)len, ROW_TEXT);
	} else if (strcmp(t, "JSON") == 0)
		buf_adds(b, "{\"milvusadm_drill\":true}");
	else if (strcmp(t, "Array") == 0)
		buf_adds(b, "[]");
	else if (strcmp(t, "SparseFloatVector") == 0)
		buf_adds(b, "{\"0\":0.5}");
	else if (strstr(t, "Vector") != NULL) {
		if (f->dim <= 0 || f->dim > ROW_MAX_DIM)
			return -1;
		/* Binary vectors are dim bits, as bytes; the others a number per
		 * dimension (nonzero: a cosine index takes no zero vector). */
		len = strcmp(t, "BinaryVector") == 0 ? (f->dim + 7) / 8 : f->dim;
		buf_addc(b, '[');
		for (i = 0; i < len; i++)
			buf_adds(b, i > 0 ? (strcmp(t, "BinaryVector") == 0 ? ",0" :
			    strcmp(t, "Int8Vector") == 0 ? ",1" : ",0.5") :
			    (strcmp(t, "BinaryVector") == 0 ? "0" :
			    strcmp(t, "Int8Vector") == 0 ? "1" : "0.5"));
		buf_addc(b, ']');
	} else
		return -1;
	return 0;
}

int
drill_row_template(const struct milvus_collection_info *ci, char **head, char **tail,
    char *err, size_t errlen)
{
	struct buf h = BUF_INIT, t = BUF_INIT, *b = &h;
	const struct milvus_field *f;
	bool first = true;
	size_t i;

	*head = *tail = NULL;
	buf_addc(&h, '{');
	for (i = 0; i < ci->n_fields; i++) {
		f = &ci->fields[i];
		/* Filled by Milvus: an auto ID, a function's output; null: omitted. */
		if ((f->primary_key && (f->auto_id || ci->auto_id)) || f->function_output ||
		    (f->nullable && !f->primary_key))
			continue;
		if (f->type == NULL) {
			snprintf(err, errlen, "field '%s' has no type", f->name);
			goto fail;
		}
		buf_adds(b, first ? "" : ",");
		buf_add_json_str(b, f->name);
		buf_addc(b, ':');
		first = false;
		if (f->primary_key) {
			/* The key is the probe's sequence number: head + seq + tail. */
			if (strcmp(f->type, "VarChar") == 0 || strcmp(f->type, "String") == 0) {
				if (f->max_length == 0 || f->max_length >=
				    (int64_t)strlen(ROW_KEY_PREFIX) + 19)
					buf_adds(b, "\"" ROW_KEY_PREFIX);
				else if (f->max_length >= (int64_t)strlen(ROW_KEY_SHORT) + 19)
					buf_adds(b, "\"" ROW_KEY_SHORT);
				else {
					snprintf(err, errlen, "primary key '%s' holds %lld "
					    "characters, too few for a probe key", f->name,
					    (long long)f->max_length);
					goto fail;
				}
			} else if (strcmp(f->type, "Int64") != 0) {
				snprintf(err, errlen, "primary key '%s' is %s, not Int64 or VarChar",
				    f->name, f->type);
				goto fail;
			}
			b = &t;
			if (strcmp(f->type, "Int64") != 0)
				buf_addc(b, '"');
			continue;
		}
		if (row_value(b, f) == -1) {
			snprintf(err, errlen, "cannot make a value for field '%s' of type %s%s",
			    f->name, f->type, strstr(f->type, "Vector") != NULL ?
			    " (no dim, or too large)" : "");
			goto fail;
		}
	}
	buf_addc(b, '}');
	if (first) {
		snprintf(err, errlen, "the collection has no field to insert");
		goto fail;
	}
	*head = buf_detach(&h, NULL);
	*tail = b == &t ? buf_detach(&t, NULL) : NULL;
	buf_release(&t);
	return 0;
fail:
	buf_release(&h);
	buf_release(&t);
	return -1;
}

char *
drill_row(const char *head, const char *tail, int64_t seq)
{
	if (tail == NULL)
		return xasprintf("[%s]", head);
	return xasprintf("[%s%" PRId64 "%s]", head, seq, tail);
}

int
drill_insert_precheck(struct drill *d, const char *spec, bool *refused, char *err,
    size_t errlen)
{
	struct milvus_rest_result *res;
	struct milvus_rest *rest;
	const char *dot = strchr(spec, '.');
	char *db, *name;
	int rc = -1;

	db = dot != NULL ? xstrndup(spec, (size_t)(dot - spec)) : NULL;
	name = xstrdup(dot != NULL ? dot + 1 : spec);
	if ((rest = state_rest(d->st, err, errlen)) == NULL)
		goto out;
	res = milvus_rest_collection_describe_sync(rest, db, name);
	if (res->err != MREST_OK) {
		*refused = res->err == MREST_ESERVER &&
		    (res->code == MREST_CODE_COLLECTION_NOT_FOUND ||
		    res->code == MREST_CODE_DATABASE_NOT_FOUND);
		snprintf(err, errlen, "--insert-into '%s': %s", spec, res->err == MREST_ESERVER &&
		    res->message != NULL ? res->message : res->errmsg);
	} else if (drill_row_template(&res->info, &d->ins.head, &d->ins.tail, err,
	    errlen) == -1) {
		char why[256];

		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "--insert-into '%s': %s", spec, why);
		*refused = true;
	} else if (strlen(d->ins.head) + (d->ins.tail != NULL ? strlen(d->ins.tail) : 0) >
	    ROW_MAX_BYTES) {
		/* Each probe sends a row: a schema of many large vectors is not
		 * one to probe with. */
		snprintf(err, errlen, "--insert-into '%s': a row of its schema is over %d KiB",
		    spec, ROW_MAX_BYTES / 1024);
		*refused = true;
		drill_insert_clear(&d->ins);
	} else {
		d->ins.db = db;
		d->ins.name = name;
		db = name = NULL;
		rc = 0;
	}
	milvus_rest_result_free(res);
out:
	free(db);
	free(name);
	return rc;
}

void
drill_insert_clear(struct drill_insert *ins)
{
	free(ins->db);
	free(ins->name);
	free(ins->head);
	free(ins->tail);
	memset(ins, 0, sizeof *ins);
}
