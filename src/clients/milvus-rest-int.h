/* SPDX-License-Identifier: MIT */
/* Internals shared by the REST v2 client's files (milvus_rest.c, its parser,
 * milvus-admin*.c); not part of the API. */
#ifndef MILVUSADM_MILVUS_REST_INT_H
#define MILVUSADM_MILVUS_REST_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "milvusadm/milvus_rest.h"
#include "milvus-json.h"

/* A name the client sends (database, collection, alias, user, role): not
 * empty, at most 1024 bytes. */
bool mrest_name_ok(const char *s);
/* db, or the client's default database when db is NULL (NULL when there is
 * none: the server's "default"). */
const char *mrest_db(const struct milvus_rest *r, const char *db);
/* {"dbName":db,"<name_key>":name,<extra>} with db, name_key and extra (raw
 * JSON members) left out when NULL; NULL when db or a named name is not
 * mrest_name_ok. Caller frees. */
char *mrest_body(const char *db, const char *name_key, const char *name, const char *extra);
/* POST body (a JSON object the caller built; NULL is a bad argument: an
 * MREST_EINVAL result, nothing sent) to /v2/vectordb/<path> as an
 * MREST_OP_RAW call: the envelope is checked as for every call and, when its
 * code is 0, res->body holds the whole answer. read: the call changes
 * nothing, so a timeout, HTTP 502/503/504 or a not-ready proxy moves it on to
 * the next proxy; a call that changes state moves on only when it could not
 * connect. Never NULL; caller frees. */
struct milvus_rest_result *mrest_call_sync(struct milvus_rest *r, const char *path,
    const char *body, bool read);
/* milvus_rest_parse for such a call; path names it in messages. */
void mrest_parse_raw(const char *path, long http_status, const char *body, size_t len,
    struct milvus_rest_result *res);

/* An array of strings (null or absent = empty; each kept to MJ_MAX_STR, at
 * most MJ_MAX_ITEMS); -1 when it is something else. */
int mrest_names(const cJSON *item, char ***out, size_t *n);
/* Free n strings and the array. */
void mrest_free_names(char **v, size_t n);
/* Free what c points to and zero it. */
void mrest_info_release(struct milvus_collection_info *c);
/* [{"key","value"}] (both strings; null or absent = empty) into *out, which
 * is empty on entry; -1 on another shape, with *n counting what was taken
 * so that the caller frees it. */
int mrest_properties(const cJSON *props, struct milvus_property **out, size_t *n);

#endif
