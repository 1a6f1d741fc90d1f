/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the etcd gateway codec: responses, stream framing, watch messages. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/b64.h"
#include "milvusadm/etcd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct etcd_result r;
	struct etcd_stream *s;
	struct etcd_watch_msg msg;
	struct etcd_event *ev;
	char err[256], *obj, *dec;
	int64_t compact;
	bool canceled;
	size_t off, n, len, step;

	etcd_decode_result(p, size, &r);
	etcd_result_clear(&r);

	dec = b64_decode(p, size, &len);
	free(dec);

	/* Chunk sizes come from the data itself so that splits vary with it. */
	s = etcd_stream_new(4096);
	for (off = 0; off < size; off += n) {
		step = (size_t)data[off] % 17 + 1;
		n = size - off < step ? size - off : step;
		if (etcd_stream_feed(s, p + off, n) != 0)
			break;
		while ((obj = etcd_stream_next(s, &len)) != NULL) {
			/* len, not strlen: objects may hold NUL bytes. */
			if (obj[len] != '\0')
				abort();
			if (etcd_decode_watch(obj, len, &msg, &ev, err, sizeof err, &compact,
			    &canceled) == 0)
				etcd_events_free(ev, msg.n_events);
			free(obj);
		}
	}
	etcd_stream_free(s);
	return 0;
}
