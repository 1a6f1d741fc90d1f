/* SPDX-License-Identifier: MIT */
/* Allocation wrappers that abort on out-of-memory, so callers never check. */
#ifndef MILVUSADM_XALLOC_H
#define MILVUSADM_XALLOC_H

#include <stddef.h>
#include <stdarg.h>

/* malloc/calloc/realloc/strdup that print a message and abort() on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Copy at most n bytes of s and NUL-terminate. */
char *xstrndup(const char *s, size_t n);
/* Grow an array of nmemb elements of size bytes to hold at least want elements. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
/* asprintf that aborts on failure; returns a string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

#endif
