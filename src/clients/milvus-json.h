/* SPDX-License-Identifier: MIT */
/* JSON helpers shared by the Milvus clients (internal to src/clients/): exact
 * int64s through cJSON, bounded copies, one-line server messages, URLs
 * (without their passwords: url.h). */
#ifndef MILVUSADM_MILVUS_JSON_H
#define MILVUSADM_MILVUS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Longest string kept from a Milvus answer (names, messages, addresses). */
#define MJ_MAX_STR	1024
/* Most elements taken from any JSON array (nodes, replicas, names). */
#define MJ_MAX_ITEMS	100000

/* Parse text with cJSON after turning every bare integer of more than 15
 * digits into a string, so that int64 IDs (collectionID, replicaID) survive
 * cJSON's doubles; read them back with mj_int64. NULL when malformed. */
cJSON *mj_parse(const char *text, size_t len);
/* An int64 from a number (exact only up to 2^53, so others are refused) or a
 * decimal string. 0 ok, -1 not an integer. */
int mj_int64(const cJSON *item, int64_t *out);
/* The member's int64, or dflt when absent or not an integer. */
int64_t mj_get_int64(const cJSON *obj, const char *name, int64_t dflt);
/* A copy of the member's string value (truncated to MJ_MAX_STR), or NULL. */
char *mj_get_str(const cJSON *obj, const char *name);
/* The member's boolean, or dflt. */
bool mj_get_bool(const cJSON *obj, const char *name, bool dflt);
/* The int64 elements of an array (strings or numbers); 0 ok, -1 when item is
 * not such an array. A missing item (NULL) is an empty array. */
int mj_int64_array(const cJSON *item, int64_t **out, size_t *n);
/* Copy untrusted text into dst as one line: control characters become '?'. */
void mj_oneline(char *dst, size_t dstlen, const char *src, size_t srclen);
/* base (with or without "http://", trailing '/' dropped) joined with path. */
char *mj_url(const char *base, const char *path);

#endif
