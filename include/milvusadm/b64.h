/* SPDX-License-Identifier: MIT */
/* Standard base64 (RFC 4648, with padding), as etcd's gateway uses for bytes. */
#ifndef MILVUSADM_B64_H
#define MILVUSADM_B64_H

#include <stddef.h>

/* Encode n bytes; returns a NUL-terminated string the caller frees. */
char *b64_encode(const void *p, size_t n);
/* Decode; returns a NUL-terminated buffer the caller frees and its length in
 * *out_len, or NULL on malformed input. Whitespace is not accepted. */
char *b64_decode(const char *s, size_t n, size_t *out_len);

#endif
