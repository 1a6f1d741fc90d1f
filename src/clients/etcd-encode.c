/* SPDX-License-Identifier: MIT */
/* etcd gateway request bodies: base64 bytes, 64-bit numbers as strings, txn builder. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/b64.h"
#include "milvusadm/buf.h"
#include "milvusadm/etcd.h"
#include "milvusadm/xalloc.h"
#include "etcd-int.h"

struct etcd_txn {
	struct buf cmp;			/* comma-separated JSON objects */
	struct buf ops[2];		/* [0] failure, [1] success */
};

char *
etcd_prefix_end(const char *prefix, size_t len, size_t *end_len)
{
	unsigned char *end = xmalloc(len + 1);
	size_t n = len;

	memcpy(end, prefix, len);
	/* Drop trailing 0xff bytes, then increment the last one left. */
	while (n > 0 && end[n - 1] == 0xff)
		n--;
	if (n == 0) {
		/* Every key at or after the prefix: the range_end "\0". */
		end[0] = '\0';
		if (end_len != NULL)
			*end_len = 1;
		return (char *)end;
	}
	end[n - 1]++;
	end[n] = '\0';
	if (end_len != NULL)
		*end_len = n;
	return (char *)end;
}

/* ,"name":"<base64 of the bytes>" */
static void
add_b64(struct buf *b, const char *name, const void *p, size_t n)
{
	char *enc = b64_encode(p, n);

	buf_printf(b, ",\"%s\":\"%s\"", name, enc);
	free(enc);
}

/* key and, when given, range_end; "" as range_end is the one byte "\0". */
static void
add_key_range(struct buf *b, const char *key, const char *range_end)
{
	/* etcd has no empty key: with a range, "" stands for "\0" (the start). */
	size_t klen = key[0] == '\0' && range_end != NULL ? 1 : strlen(key);
	char *enc = b64_encode(key, klen);

	buf_printf(b, "\"key\":\"%s\"", enc);
	free(enc);
	if (range_end != NULL)
		add_b64(b, "range_end", range_end, range_end[0] == '\0' ? 1 : strlen(range_end));
}

static void
add_i64(struct buf *b, const char *name, int64_t v)
{
	buf_printf(b, ",\"%s\":\"%" PRId64 "\"", name, v);
}

char *
etcd_encode_range(const char *key, const char *range_end, int64_t limit, int flags)
{
	struct buf b = BUF_INIT;

	buf_addc(&b, '{');
	add_key_range(&b, key, range_end);
	if (limit > 0)
		add_i64(&b, "limit", limit);
	if (flags & ETCD_RANGE_KEYS_ONLY)
		buf_adds(&b, ",\"keys_only\":true");
	if (flags & ETCD_RANGE_COUNT_ONLY)
		buf_adds(&b, ",\"count_only\":true");
	if (flags & ETCD_RANGE_SERIALIZABLE)
		buf_adds(&b, ",\"serializable\":true");
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

static void
add_put(struct buf *b, const char *key, const char *value, size_t value_len, int64_t lease)
{
	buf_addc(b, '{');
	add_key_range(b, key, NULL);
	add_b64(b, "value", value, value_len);
	if (lease != 0)
		add_i64(b, "lease", lease);
	buf_addc(b, '}');
}

char *
etcd_encode_put(const char *key, const char *value, size_t value_len, int64_t lease)
{
	struct buf b = BUF_INIT;

	add_put(&b, key, value, value_len, lease);
	return buf_detach(&b, NULL);
}

char *
etcd_encode_delete(const char *key, const char *range_end, bool prev_kv)
{
	struct buf b = BUF_INIT;

	buf_addc(&b, '{');
	add_key_range(&b, key, range_end);
	if (prev_kv)
		buf_adds(&b, ",\"prev_kv\":true");
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

char *
etcd_encode_watch_create(const char *key, const char *range_end, int64_t start_revision,
    bool prev_kv)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"create_request\":{");
	add_key_range(&b, key, range_end);
	if (start_revision > 0)
		add_i64(&b, "start_revision", start_revision);
	if (prev_kv)
		buf_adds(&b, ",\"prev_kv\":true");
	buf_adds(&b, "}}");
	return buf_detach(&b, NULL);
}

char *
etcd_encode_lease(const char *name, int64_t v, bool keys)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"%s\":\"%" PRId64 "\"", name, v);
	if (keys)
		buf_adds(&b, ",\"keys\":true");
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

char *
etcd_encode_auth(const char *user, const char *password)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"name\":");
	buf_add_json_str(&b, user);
	buf_adds(&b, ",\"password\":");
	buf_add_json_str(&b, password);
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

struct etcd_txn *
etcd_txn_new(void)
{
	return xcalloc(1, sizeof(struct etcd_txn));
}

void
etcd_txn_free(struct etcd_txn *t)
{
	if (t == NULL)
		return;
	buf_release(&t->cmp);
	buf_release(&t->ops[0]);
	buf_release(&t->ops[1]);
	free(t);
}

static const char *
cmp_result_name(enum etcd_cmp_result r)
{
	switch (r) {
	case ETCD_CMP_GREATER:
		return "GREATER";
	case ETCD_CMP_LESS:
		return "LESS";
	case ETCD_CMP_NOT_EQUAL:
		return "NOT_EQUAL";
	case ETCD_CMP_EQUAL:
	default:
		return "EQUAL";
	}
}

static void
cmp_begin(struct etcd_txn *t, const char *key, const char *target, enum etcd_cmp_result r)
{
	if (t->cmp.len > 0)
		buf_addc(&t->cmp, ',');
	buf_addc(&t->cmp, '{');
	add_key_range(&t->cmp, key, NULL);
	buf_printf(&t->cmp, ",\"target\":\"%s\",\"result\":\"%s\"", target,
	    cmp_result_name(r));
}

void
etcd_txn_cmp_int(struct etcd_txn *t, const char *key, enum etcd_cmp_target target,
    enum etcd_cmp_result result, int64_t n)
{
	const char *tname, *field;

	switch (target) {
	case ETCD_CMP_CREATE:
		tname = "CREATE";
		field = "create_revision";
		break;
	case ETCD_CMP_MOD:
		tname = "MOD";
		field = "mod_revision";
		break;
	case ETCD_CMP_LEASE:
		tname = "LEASE";
		field = "lease";
		break;
	case ETCD_CMP_VERSION:
	case ETCD_CMP_VALUE:	/* not an integer target; compare the version instead */
	default:
		tname = "VERSION";
		field = "version";
		break;
	}
	cmp_begin(t, key, tname, result);
	add_i64(&t->cmp, field, n);
	buf_addc(&t->cmp, '}');
}

void
etcd_txn_cmp_value(struct etcd_txn *t, const char *key, enum etcd_cmp_result result,
    const char *value, size_t value_len)
{
	cmp_begin(t, key, "VALUE", result);
	add_b64(&t->cmp, "value", value, value_len);
	buf_addc(&t->cmp, '}');
}

static struct buf *
op_begin(struct etcd_txn *t, bool on_success, const char *kind)
{
	struct buf *b = &t->ops[on_success ? 1 : 0];

	if (b->len > 0)
		buf_addc(b, ',');
	buf_printf(b, "{\"%s\":", kind);
	return b;
}

void
etcd_txn_put(struct etcd_txn *t, bool on_success, const char *key, const char *value,
    size_t value_len, int64_t lease)
{
	struct buf *b = op_begin(t, on_success, "request_put");

	add_put(b, key, value, value_len, lease);
	buf_addc(b, '}');
}

void
etcd_txn_delete(struct etcd_txn *t, bool on_success, const char *key, const char *range_end)
{
	struct buf *b = op_begin(t, on_success, "request_delete_range");

	buf_addc(b, '{');
	add_key_range(b, key, range_end);
	buf_adds(b, "}}");
}

void
etcd_txn_range(struct etcd_txn *t, bool on_success, const char *key, const char *range_end)
{
	struct buf *b = op_begin(t, on_success, "request_range");

	buf_addc(b, '{');
	add_key_range(b, key, range_end);
	buf_adds(b, "}}");
}

char *
etcd_txn_encode(const struct etcd_txn *t)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"compare\":[%s],\"success\":[%s],\"failure\":[%s]}",
	    t->cmp.len ? t->cmp.data : "", t->ops[1].len ? t->ops[1].data : "",
	    t->ops[0].len ? t->ops[0].data : "");
	return buf_detach(&b, NULL);
}
