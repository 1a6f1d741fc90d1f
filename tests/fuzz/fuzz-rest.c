/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the Milvus answer parsers: REST v2 envelopes for every
 * call, /healthz bodies and both replica shapes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/milvus_rest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 401, 403, 500, 502, 404, 400, 0 };
	struct milvus_rest_result res;
	struct milvus_healthz h;
	struct milvus_replica *r;
	const char *body = (const char *)data + 1;
	size_t len, n;
	long status;
	char err[256];
	int op;

	if (size < 1)
		return 0;
	len = size - 1;
	status = statuses[data[0] & 7];
	for (op = 0; op < MREST_OP_COUNT_; op++) {
		memset(&res, 0, sizeof res);
		milvus_rest_parse((enum milvus_rest_op)op, status, body, len, &res);
		milvus_rest_result_release(&res);
	}
	if (milvus_healthz_parse(status, body, len, &h, err, sizeof err) == 0)
		milvus_healthz_release(&h);
	if (milvus_replicas_parse_v1(body, len, &r, &n, err, sizeof err) == 0)
		milvus_replicas_free(r, n);
	if (milvus_replicas_parse_qc(body, len, data[0] & 8 ? 8 : 0, &r, &n, err, sizeof err) == 0)
		milvus_replicas_free(r, n);
	free(milvus_mgmt_parse_msg(body, len));
	return 0;
}
