/* SPDX-License-Identifier: MIT */
/* Reading numbers from raw JSON text where a double would lose digits
 * (Milvus's LeaseID is an int64 well above 2^53 written as a bare number). */
#ifndef MILVUSADM_JSONRAW_H
#define MILVUSADM_JSONRAW_H

#include <stddef.h>
#include <stdint.h>

/* Find member name in the top-level object of text and parse its value, a bare
 * integer or a decimal string, exactly into *out. Members of nested objects and
 * names inside strings never match. Returns 0 found, 1 absent, -1 malformed
 * (not an object, not an integer, out of range). */
int jsonraw_top_int64(const char *text, size_t len, const char *name, int64_t *out);
/* Parse a decimal int64 (optional '-') that must fill s exactly. 0 ok, -1 not. */
int jsonraw_parse_int64(const char *s, size_t n, int64_t *out);
int jsonraw_parse_uint64(const char *s, size_t n, uint64_t *out);

#endif
