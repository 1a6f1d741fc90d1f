/* SPDX-License-Identifier: MIT */
/* Splits a streamed HTTP body into top-level JSON objects, however it is chunked. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/etcd.h"
#include "milvusadm/xalloc.h"

/*
 * The gateway writes one object per line, but nothing here relies on the
 * newlines: objects are found by brace depth, skipping braces inside strings.
 * Bytes between objects (newlines, stray text) are dropped. Complete objects
 * wait in the buffer (their extents in a queue) until etcd_stream_next().
 */
struct etcd_stream {
	struct buf b;
	size_t scan;			/* next byte to scan */
	size_t obj_start;		/* start of the object being scanned (depth > 0) */
	int depth;
	bool in_str;
	bool esc;
	bool failed;			/* an object outgrew max_object; sticky */
	size_t max_object;
	size_t (*q)[2];			/* complete objects: start, end (exclusive) */
	size_t qhead, qlen, qcap;
};

struct etcd_stream *
etcd_stream_new(size_t max_object)
{
	struct etcd_stream *s = xcalloc(1, sizeof *s);

	s->max_object = max_object ? max_object : 16 * 1024 * 1024;
	return s;
}

void
etcd_stream_free(struct etcd_stream *s)
{
	if (s == NULL)
		return;
	buf_release(&s->b);
	free(s->q);
	free(s);
}

static void
stream_push(struct etcd_stream *s, size_t start, size_t end)
{
	if (s->qhead + s->qlen == s->qcap) {
		if (s->qhead > 0) {
			memmove(s->q, s->q + s->qhead, s->qlen * sizeof *s->q);
			s->qhead = 0;
		} else {
			s->qcap = s->qcap ? s->qcap * 2 : 8;
			s->q = xreallocarray(s->q, s->qcap, sizeof *s->q);
		}
	}
	s->q[s->qhead + s->qlen][0] = start;
	s->q[s->qhead + s->qlen][1] = end;
	s->qlen++;
}

/* Once nothing queued refers into the buffer, drop all but the partial object. */
static void
stream_compact(struct etcd_stream *s)
{
	size_t drop = s->depth > 0 ? s->obj_start : s->scan;

	s->qhead = 0;
	buf_consume(&s->b, drop);
	s->scan -= drop;
	if (s->depth > 0)
		s->obj_start = 0;
}

int
etcd_stream_feed(struct etcd_stream *s, const char *p, size_t n)
{
	const char *d;
	char c;

	if (s->failed)
		return -1;
	buf_add(&s->b, p, n);
	d = s->b.data;
	for (; s->scan < s->b.len; s->scan++) {
		c = d[s->scan];
		if (s->depth == 0) {
			if (c == '{') {
				s->obj_start = s->scan;
				s->depth = 1;
			}
			continue;	/* noise between objects */
		}
		if (s->scan + 1 - s->obj_start > s->max_object) {
			s->failed = true;
			return -1;
		}
		if (s->in_str) {
			if (s->esc)
				s->esc = false;
			else if (c == '\\')
				s->esc = true;
			else if (c == '"')
				s->in_str = false;
			continue;
		}
		if (c == '"')
			s->in_str = true;
		else if (c == '{' || c == '[')
			s->depth++;
		else if (c == '}' || c == ']') {
			/* Brackets are counted with braces: only the outer '}' closes. */
			if (--s->depth == 0)
				stream_push(s, s->obj_start, s->scan + 1);
		}
	}
	if (s->qlen == 0)
		stream_compact(s);
	return 0;
}

char *
etcd_stream_next(struct etcd_stream *s, size_t *len)
{
	size_t start, end;
	char *obj;

	if (s->qlen == 0)
		return NULL;
	start = s->q[s->qhead][0];
	end = s->q[s->qhead][1];
	s->qhead++;
	s->qlen--;
	/* Not xstrndup: a NUL inside must not shorten the object behind len. */
	obj = xmalloc(end - start + 1);
	memcpy(obj, s->b.data + start, end - start);
	obj[end - start] = '\0';
	if (len != NULL)
		*len = end - start;
	if (s->qlen == 0)
		stream_compact(s);
	return obj;
}
