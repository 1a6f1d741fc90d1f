/* SPDX-License-Identifier: MIT */
/* Reading entities/query rows from an answer's text (internal to
 * src/clients/, used by milvus-rest-parse.c). */
#ifndef MILVUSADM_MILVUS_REST_ROWS_H
#define MILVUSADM_MILVUS_REST_ROWS_H

#include <stddef.h>

struct milvus_rest_result;

/* The rows of the top-level "data" array of body (an envelope already read
 * as a success) into res->rows, res->row_pks (pk's value in each row, NULL
 * when absent or pk NULL) and res->n_rows. -1 when the text is not such an
 * answer; why is then set when the cause is worth naming (too many rows). */
int mrest_rows_parse(const char *body, size_t len, const char *pk,
    struct milvus_rest_result *res, char *why, size_t whylen);

#endif
