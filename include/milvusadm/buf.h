/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, always NUL-terminated so it can be used as a string. */
#ifndef MILVUSADM_BUF_H
#define MILVUSADM_BUF_H

#include <stddef.h>
#include <stdarg.h>

/* Owns data; len excludes the trailing NUL that is always present once data != NULL. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Remove the first n bytes (for stream parsers that consume from the front). */
void buf_consume(struct buf *b, size_t n);
/* Hand the data to the caller (never NULL) and reset the buffer. */
char *buf_detach(struct buf *b, size_t *len);
/* Append s as a JSON string literal, quotes included, escaping as RFC 8259 asks. */
void buf_add_json_str(struct buf *b, const char *s);

#endif
