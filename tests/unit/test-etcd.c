/* SPDX-License-Identifier: MIT */
/* Unit tests for the etcd codec: base64, numbers, request bodies, responses, watch
 * framing; and the client against a fake server that is not etcd. */
#include <arpa/inet.h>
#include <check.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/b64.h"
#include "milvusadm/etcd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"

/* Shapes as etcd 3.4.23 sent them (see the comment in etcd-codec.c). */
static const char range_resp[] =
    "{\"header\":{\"cluster_id\":\"14841639068965178418\",\"member_id\":"
    "\"10276657743932975437\",\"revision\":\"4711\",\"raft_term\":\"3\"},"
    "\"kvs\":[{\"key\":\"YnktZGV2L21ldGEvc2Vzc2lvbi9yb290Y29vcmQ=\",\"create_revision\":"
    "\"4100\",\"mod_revision\":\"4100\",\"version\":\"1\",\"value\":\"eyJTZXJ2ZXJJRCI6M30=\","
    "\"lease\":\"7587882340198651390\"}],\"count\":\"9\",\"more\":true}";

START_TEST(test_b64_vectors)
{
	static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
	    "Zm9vYmFy" };
	size_t i, n;
	char *s;

	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		s = b64_encode(plain[i], strlen(plain[i]));
		ck_assert_str_eq(s, enc[i]);
		free(s);
		s = b64_decode(enc[i], strlen(enc[i]), &n);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(n, strlen(plain[i]));
		ck_assert_str_eq(s, plain[i]);
		free(s);
	}
	s = b64_encode("by-dev/meta/session/", 20);
	ck_assert_str_eq(s, "YnktZGV2L21ldGEvc2Vzc2lvbi8=");
	free(s);
	s = b64_encode("by-dev/meta/session/mixcoord", 28);
	ck_assert_str_eq(s, "YnktZGV2L21ldGEvc2Vzc2lvbi9taXhjb29yZA==");
	free(s);
}
END_TEST

START_TEST(test_b64_binary_and_bad)
{
	static const char bin[] = { 0, (char)0xff, 'a', 0, (char)0x80, (char)0xfe, 0 };
	static const char *bad[] = { "Zg=", "Z===", "Zm9v!", "=Zm9", "Zg==Zg==", "Zm9", "Zm=v",
	    "Zm9v\n", "====" };
	size_t i, n;
	char *s, *d;

	s = b64_encode(bin, sizeof bin);
	d = b64_decode(s, strlen(s), &n);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, sizeof bin);
	ck_assert_mem_eq(d, bin, sizeof bin);
	free(s);
	free(d);
	s = b64_encode("", 0);
	ck_assert_str_eq(s, "");
	free(s);
	s = b64_encode("\0", 1);
	ck_assert_str_eq(s, "AA==");
	free(s);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(b64_decode(bad[i], strlen(bad[i]), &n) == NULL, "accepted '%s'",
		    bad[i]);
}
END_TEST

START_TEST(test_decode_range)
{
	struct etcd_result r;

	ck_assert_int_eq(etcd_decode_result(range_resp, strlen(range_resp), &r), 0);
	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.header.cluster_id, 14841639068965178418ull);
	ck_assert_uint_eq(r.header.member_id, 10276657743932975437ull);
	ck_assert_int_eq(r.header.revision, 4711);
	ck_assert_uint_eq(r.header.raft_term, 3);
	ck_assert_uint_eq(r.n_kvs, 1);
	ck_assert_str_eq(r.kvs[0].key, "by-dev/meta/session/rootcoord");
	ck_assert_uint_eq(r.kvs[0].key_len, 29);
	ck_assert_str_eq(r.kvs[0].value, "{\"ServerID\":3}");
	ck_assert_int_eq(r.kvs[0].lease, INT64_C(7587882340198651390));
	ck_assert_int_eq(r.kvs[0].create_revision, 4100);
	ck_assert_int_eq(r.kvs[0].version, 1);
	ck_assert_int_eq(r.count, 9);
	ck_assert(r.more);
	etcd_result_clear(&r);
	ck_assert_ptr_null(r.kvs);
}
END_TEST

START_TEST(test_decode_numbers)
{
	struct etcd_result r;
	const char *bare = "{\"header\":{\"revision\":9223372036854775807,\"member_id\":"
	    "18446744073709551615},\"ID\":7587882340198651390,\"TTL\":-1,\"kvs\":"
	    "[{\"key\":\"YQ==\",\"lease\":7587882340198651391}]}";
	const char *bad[] = {
		"{\"count\":\"abc\"}",
		"{\"count\":\"99999999999999999999\"}",
		"{\"count\":1.5}",
		"{\"header\":{\"member_id\":\"-1\"}}",
		"{\"header\":{\"member_id\":\"18446744073709551616\"}}",
		"{\"kvs\":[{\"key\":\"!!\"}]}",
		"{\"kvs\":{}}",
		"{\"kvs\":[1]}",
		"[1,2]",
		"",
		"{\"header\":",
		"<html>502</html>",
	};
	size_t i;

	ck_assert_int_eq(etcd_decode_result(bare, strlen(bare), &r), 0);
	ck_assert_int_eq(r.header.revision, INT64_MAX);
	ck_assert_uint_eq(r.header.member_id, UINT64_MAX);
	ck_assert_int_eq(r.lease_id, INT64_C(7587882340198651390));
	ck_assert_int_eq(r.ttl, -1);
	ck_assert_int_eq(r.kvs[0].lease, INT64_C(7587882340198651391));
	ck_assert_str_eq(r.kvs[0].value, "");
	ck_assert_uint_eq(r.kvs[0].value_len, 0);
	etcd_result_clear(&r);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(etcd_decode_result(bad[i], strlen(bad[i]), &r) == -1,
		    "accepted '%s'", bad[i]);
		ck_assert_int_eq(r.err, ETCD_EPROTO);
		etcd_result_clear(&r);
	}
}
END_TEST

START_TEST(test_decode_errors)
{
	struct etcd_result r;
	const char *flat = "{\"error\":\"etcdserver: requested lease not found\","
	    "\"message\":\"etcdserver: requested lease not found\",\"code\":5}";
	const char *stream = "{\"error\":{\"grpc_code\":16,\"http_code\":401,\"message\":"
	    "\"etcdserver: invalid auth token\",\"http_status\":\"Unauthorized\"}}";
	const char *ctl = "{\"error\":\"bad\\nthing\\u0007\",\"code\":3}";

	ck_assert_int_eq(etcd_decode_result(flat, strlen(flat), &r), -1);
	ck_assert_int_eq(r.err, ETCD_ESERVER);
	ck_assert_int_eq(r.grpc_code, 5);
	ck_assert_str_eq(r.errmsg, "etcdserver: requested lease not found");
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(stream, strlen(stream), &r), -1);
	ck_assert_int_eq(r.err, ETCD_ESERVER);
	ck_assert_int_eq(r.grpc_code, 16);
	ck_assert_str_eq(r.errmsg, "etcdserver: invalid auth token");
	etcd_result_clear(&r);
	/* Control characters never reach a message. */
	ck_assert_int_eq(etcd_decode_result(ctl, strlen(ctl), &r), -1);
	ck_assert_str_eq(r.errmsg, "bad thing ");
	etcd_result_clear(&r);
}
END_TEST

START_TEST(test_decode_leases)
{
	struct etcd_result r;
	const char *ka = "{\"result\":{\"header\":{\"revision\":\"3\"},\"ID\":"
	    "\"8498470740552176910\",\"TTL\":\"30\"}}\n";
	const char *gone = "{\"result\":{\"header\":{\"revision\":\"3\"},\"ID\":\"999\"}}";
	const char *ttl = "{\"header\":{},\"ID\":\"8498470740552176910\",\"TTL\":\"22\","
	    "\"grantedTTL\":\"30\",\"keys\":[\"YQ==\",\"Yi9j\"]}";
	const char *unknown = "{\"header\":{},\"ID\":\"12345\",\"TTL\":\"-1\"}";

	ck_assert_int_eq(etcd_decode_result(ka, strlen(ka), &r), 0);
	ck_assert_int_eq(r.lease_id, INT64_C(8498470740552176910));
	ck_assert_int_eq(r.ttl, 30);
	ck_assert_int_eq(r.header.revision, 3);
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(gone, strlen(gone), &r), 0);
	ck_assert_int_eq(r.ttl, 0);
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(ttl, strlen(ttl), &r), 0);
	ck_assert_int_eq(r.ttl, 22);
	ck_assert_int_eq(r.granted_ttl, 30);
	ck_assert_uint_eq(r.n_lease_keys, 2);
	ck_assert_str_eq(r.lease_keys[0], "a");
	ck_assert_str_eq(r.lease_keys[1], "b/c");
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(unknown, strlen(unknown), &r), 0);
	ck_assert_int_eq(r.ttl, -1);
	etcd_result_clear(&r);
}
END_TEST

START_TEST(test_decode_txn_delete)
{
	struct etcd_result r;
	const char *ok = "{\"header\":{\"revision\":\"4712\"},\"succeeded\":true,\"responses\":"
	    "[{\"response_put\":{\"header\":{\"revision\":\"4712\"}}}]}";
	const char *fail = "{\"header\":{\"revision\":\"2\"},\"responses\":[{\"response_range\":"
	    "{\"header\":{\"revision\":\"2\"},\"kvs\":[{\"key\":\"YQ==\",\"create_revision\":\"2\","
	    "\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"dg==\"}],\"count\":\"1\"}},"
	    "{\"response_delete_range\":{\"deleted\":\"3\"}},{\"response_txn\":{}}]}";
	const char *del = "{\"header\":{\"revision\":\"3\"},\"deleted\":\"1\",\"prev_kvs\":"
	    "[{\"key\":\"YQ==\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\","
	    "\"value\":\"dg==\"}]}";
	const char *weird = "{\"responses\":[{\"response_nope\":{}}]}";

	ck_assert_int_eq(etcd_decode_result(ok, strlen(ok), &r), 0);
	ck_assert(r.succeeded);
	ck_assert_uint_eq(r.n_responses, 1);
	ck_assert_int_eq(r.responses[0].type, ETCD_TXN_PUT);
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(fail, strlen(fail), &r), 0);
	ck_assert(!r.succeeded);
	ck_assert_uint_eq(r.n_responses, 3);
	ck_assert_int_eq(r.responses[0].type, ETCD_TXN_RANGE);
	ck_assert_uint_eq(r.responses[0].n_kvs, 1);
	ck_assert_str_eq(r.responses[0].kvs[0].value, "v");
	ck_assert_int_eq(r.responses[1].type, ETCD_TXN_DELETE);
	ck_assert_int_eq(r.responses[1].deleted, 3);
	ck_assert_int_eq(r.responses[2].type, ETCD_TXN_TXN);
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(del, strlen(del), &r), 0);
	ck_assert_int_eq(r.deleted, 1);
	ck_assert_uint_eq(r.n_prev_kvs, 1);
	ck_assert_str_eq(r.prev_kvs[0].key, "a");
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(weird, strlen(weird), &r), -1);
	etcd_result_clear(&r);
}
END_TEST

START_TEST(test_decode_cluster)
{
	struct etcd_result r;
	const char *st = "{\"header\":{\"cluster_id\":\"7564657603941478059\",\"member_id\":"
	    "\"14693099913860118000\",\"revision\":\"7\",\"raft_term\":\"2\"},\"version\":"
	    "\"3.4.23\",\"dbSize\":\"20480\",\"leader\":\"14693099913860118000\",\"raftIndex\":"
	    "\"25\",\"raftTerm\":\"2\",\"raftAppliedIndex\":\"25\",\"dbSizeInUse\":\"16384\","
	    "\"errors\":[\"memberID:1 alarm:NOSPACE \"],\"isLearner\":true}";
	const char *ml = "{\"header\":{\"cluster_id\":\"7564657603941478059\"},\"members\":"
	    "[{\"ID\":\"14693099913860118000\",\"name\":\"default\",\"peerURLs\":"
	    "[\"http://127.61.0.2:2380\"],\"clientURLs\":[\"http://127.61.0.2:2379\","
	    "\"http://x:2379\"]},{\"ID\":\"5\",\"peerURLs\":[\"http://p:2380\"],"
	    "\"isLearner\":true}]}";

	ck_assert_int_eq(etcd_decode_result(st, strlen(st), &r), 0);
	ck_assert_str_eq(r.version, "3.4.23");
	ck_assert_int_eq(r.db_size, 20480);
	ck_assert_int_eq(r.db_size_in_use, 16384);
	ck_assert_uint_eq(r.leader, 14693099913860118000ull);
	ck_assert_uint_eq(r.leader, r.header.member_id);
	ck_assert_uint_eq(r.raft_index, 25);
	ck_assert_uint_eq(r.raft_term, 2);
	ck_assert_uint_eq(r.raft_applied_index, 25);
	ck_assert_uint_eq(r.n_errors, 1);
	ck_assert(r.is_learner);
	etcd_result_clear(&r);
	ck_assert_int_eq(etcd_decode_result(ml, strlen(ml), &r), 0);
	ck_assert_uint_eq(r.n_members, 2);
	ck_assert_uint_eq(r.members[0].id, 14693099913860118000ull);
	ck_assert_str_eq(r.members[0].name, "default");
	ck_assert_uint_eq(r.members[0].n_client_urls, 2);
	ck_assert_str_eq(r.members[0].client_urls[1], "http://x:2379");
	ck_assert(!r.members[0].is_learner);
	ck_assert_str_eq(r.members[1].name, "");
	ck_assert_uint_eq(r.members[1].n_client_urls, 0);
	ck_assert(r.members[1].is_learner);
	etcd_result_clear(&r);
}
END_TEST

static void
check_end(const char *prefix, size_t len, const char *want, size_t want_len)
{
	size_t n;
	char *end = etcd_prefix_end(prefix, len, &n);

	ck_assert_uint_eq(n, want_len);
	ck_assert_mem_eq(end, want, want_len);
	free(end);
}

START_TEST(test_prefix_end)
{
	char *s;

	check_end("by-dev/meta/session/", 20, "by-dev/meta/session0", 20);
	check_end("a", 1, "b", 1);
	check_end("a\xff", 2, "b", 1);
	check_end("a\xfe", 2, "a\xff", 2);
	check_end("ab\xff\xff", 4, "ac", 2);
	check_end("\xff", 1, "\0", 1);
	check_end("\xff\xff\xff", 3, "\0", 1);
	check_end("", 0, "\0", 1);
	s = etcd_prefix_end("by-dev/meta/session/", 20, NULL);
	ck_assert_str_eq(s, "by-dev/meta/session0");
	free(s);
}
END_TEST

START_TEST(test_encode)
{
	char *s;
	struct etcd_txn *t;

	s = etcd_encode_range("by-dev/meta/session/", "by-dev/meta/session0", 0, 0);
	ck_assert_str_eq(s, "{\"key\":\"YnktZGV2L21ldGEvc2Vzc2lvbi8=\",\"range_end\":"
	    "\"YnktZGV2L21ldGEvc2Vzc2lvbjA=\"}");
	free(s);
	s = etcd_encode_range("a", NULL, 5, ETCD_RANGE_KEYS_ONLY | ETCD_RANGE_COUNT_ONLY |
	    ETCD_RANGE_SERIALIZABLE);
	ck_assert_str_eq(s, "{\"key\":\"YQ==\",\"limit\":\"5\",\"keys_only\":true,"
	    "\"count_only\":true,\"serializable\":true}");
	free(s);
	/* "" as range_end is "\0"; with it, "" as key is "\0" too: the whole keyspace. */
	s = etcd_encode_range("", "", 0, 0);
	ck_assert_str_eq(s, "{\"key\":\"AA==\",\"range_end\":\"AA==\"}");
	free(s);
	s = etcd_encode_put("k", "v\0w", 3, INT64_C(7587882340198651390));
	ck_assert_str_eq(s, "{\"key\":\"aw==\",\"value\":\"dgB3\",\"lease\":"
	    "\"7587882340198651390\"}");
	free(s);
	s = etcd_encode_delete("a", "b", true);
	ck_assert_str_eq(s, "{\"key\":\"YQ==\",\"range_end\":\"Yg==\",\"prev_kv\":true}");
	free(s);
	s = etcd_encode_watch_create("a", NULL, 4712, true);
	ck_assert_str_eq(s, "{\"create_request\":{\"key\":\"YQ==\",\"start_revision\":\"4712\","
	    "\"prev_kv\":true}}");
	free(s);

	t = etcd_txn_new();
	etcd_txn_cmp_int(t, "k", ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
	etcd_txn_cmp_value(t, "k", ETCD_CMP_NOT_EQUAL, "x", 1);
	etcd_txn_put(t, true, "k", "v", 1, INT64_C(7587882340198651390));
	etcd_txn_range(t, false, "k", NULL);
	etcd_txn_delete(t, false, "a", "b");
	s = etcd_txn_encode(t);
	ck_assert_str_eq(s, "{\"compare\":["
	    "{\"key\":\"aw==\",\"target\":\"VERSION\",\"result\":\"EQUAL\",\"version\":\"0\"},"
	    "{\"key\":\"aw==\",\"target\":\"VALUE\",\"result\":\"NOT_EQUAL\",\"value\":\"eA==\"}],"
	    "\"success\":[{\"request_put\":{\"key\":\"aw==\",\"value\":\"dg==\",\"lease\":"
	    "\"7587882340198651390\"}}],"
	    "\"failure\":[{\"request_range\":{\"key\":\"aw==\"}},"
	    "{\"request_delete_range\":{\"key\":\"YQ==\",\"range_end\":\"Yg==\"}}]}");
	free(s);
	etcd_txn_free(t);
	t = etcd_txn_new();
	etcd_txn_cmp_int(t, "k", ETCD_CMP_MOD, ETCD_CMP_LESS, 9);
	etcd_txn_cmp_int(t, "k", ETCD_CMP_CREATE, ETCD_CMP_GREATER, 1);
	etcd_txn_cmp_int(t, "k", ETCD_CMP_LEASE, ETCD_CMP_EQUAL, 0);
	s = etcd_txn_encode(t);
	ck_assert_str_eq(s, "{\"compare\":["
	    "{\"key\":\"aw==\",\"target\":\"MOD\",\"result\":\"LESS\",\"mod_revision\":\"9\"},"
	    "{\"key\":\"aw==\",\"target\":\"CREATE\",\"result\":\"GREATER\","
	    "\"create_revision\":\"1\"},"
	    "{\"key\":\"aw==\",\"target\":\"LEASE\",\"result\":\"EQUAL\",\"lease\":\"0\"}],"
	    "\"success\":[],\"failure\":[]}");
	free(s);
	etcd_txn_free(t);
}
END_TEST

/* A watch stream as etcd writes it, plus traps: braces and quotes in strings,
 * no newline between two objects, noise between objects. */
static const char watch_stream[] =
    "{\"result\":{\"header\":{\"revision\":\"3\"},\"created\":true}}\n"
    "{\"result\":{\"header\":{\"revision\":\"4\"},\"events\":[{\"kv\":{\"key\":\"dzE=\","
    "\"create_revision\":\"4\",\"mod_revision\":\"4\",\"version\":\"1\",\"value\":\"YQ==\"}}],"
    "\"x\":\"}{\\\"\\\\\"}}\n"
    "{\"result\":{\"header\":{\"revision\":\"6\"},\"events\":[{\"type\":\"DELETE\",\"kv\":"
    "{\"key\":\"dzE=\",\"mod_revision\":\"6\"},\"prev_kv\":{\"key\":\"dzE=\","
    "\"create_revision\":\"4\",\"mod_revision\":\"5\",\"version\":\"2\",\"value\":\"Yg==\"}}]}}"
    " \r\n"
    "{\"result\":{\"header\":{\"raft_term\":\"2\"},\"canceled\":true,\"compact_revision\":\"6\"}}";

static int
drain(struct etcd_stream *s, char **objs, int n)
{
	char *o;
	size_t len;

	while ((o = etcd_stream_next(s, &len)) != NULL) {
		ck_assert_uint_eq(strlen(o), len);
		ck_assert_int_lt(n, 8);
		objs[n++] = o;
	}
	return n;
}

static void
check_objs(char **objs, int n)
{
	struct etcd_watch_msg msg;
	struct etcd_event *ev;
	char err[128];
	int64_t compact;
	bool canceled;

	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(etcd_decode_watch(objs[0], strlen(objs[0]), &msg, &ev, err, sizeof err,
	    &compact, &canceled), 0);
	ck_assert_int_eq(msg.kind, ETCD_WATCH_CREATED);
	ck_assert_int_eq(msg.header.revision, 3);
	ck_assert(!canceled);
	etcd_events_free(ev, msg.n_events);
	ck_assert_int_eq(etcd_decode_watch(objs[1], strlen(objs[1]), &msg, &ev, err, sizeof err,
	    &compact, &canceled), 0);
	ck_assert_int_eq(msg.kind, ETCD_WATCH_EVENTS);
	ck_assert_uint_eq(msg.n_events, 1);
	ck_assert_int_eq(ev[0].type, ETCD_EV_PUT);
	ck_assert_str_eq(ev[0].kv.key, "w1");
	ck_assert_str_eq(ev[0].kv.value, "a");
	ck_assert(!ev[0].has_prev);
	etcd_events_free(ev, msg.n_events);
	ck_assert_int_eq(etcd_decode_watch(objs[2], strlen(objs[2]), &msg, &ev, err, sizeof err,
	    &compact, &canceled), 0);
	ck_assert_uint_eq(msg.n_events, 1);
	ck_assert_ptr_eq(msg.events, ev);
	ck_assert_int_eq(ev[0].type, ETCD_EV_DELETE);
	ck_assert_int_eq(ev[0].kv.mod_revision, 6);
	ck_assert(ev[0].has_prev);
	ck_assert_str_eq(ev[0].prev_kv.value, "b");
	ck_assert_int_eq(ev[0].prev_kv.version, 2);
	etcd_events_free(ev, msg.n_events);
	ck_assert_int_eq(etcd_decode_watch(objs[3], strlen(objs[3]), &msg, &ev, err, sizeof err,
	    &compact, &canceled), 0);
	ck_assert(canceled);
	ck_assert_int_eq(compact, 6);
	etcd_events_free(ev, msg.n_events);
}

START_TEST(test_stream_split_everywhere)
{
	size_t total = strlen(watch_stream), cut, cut2;
	struct etcd_stream *s;
	char *objs[8];
	int n, i;

	/* One cut at every byte position. */
	for (cut = 0; cut <= total; cut++) {
		s = etcd_stream_new(4096);
		n = 0;
		ck_assert_int_eq(etcd_stream_feed(s, watch_stream, cut), 0);
		n = drain(s, objs, n);
		ck_assert_int_eq(etcd_stream_feed(s, watch_stream + cut, total - cut), 0);
		n = drain(s, objs, n);
		check_objs(objs, n);
		for (i = 0; i < n; i++)
			free(objs[i]);
		etcd_stream_free(s);
	}
	/* Two cuts, without draining in between (objects wait in the buffer). */
	for (cut = 0; cut <= total; cut += 7) {
		for (cut2 = cut; cut2 <= total; cut2 += 13) {
			s = etcd_stream_new(4096);
			ck_assert_int_eq(etcd_stream_feed(s, watch_stream, cut), 0);
			ck_assert_int_eq(etcd_stream_feed(s, watch_stream + cut, cut2 - cut), 0);
			ck_assert_int_eq(etcd_stream_feed(s, watch_stream + cut2, total - cut2), 0);
			n = drain(s, objs, 0);
			check_objs(objs, n);
			for (i = 0; i < n; i++)
				free(objs[i]);
			etcd_stream_free(s);
		}
	}
	/* One byte at a time. */
	s = etcd_stream_new(4096);
	n = 0;
	for (cut = 0; cut < total; cut++) {
		ck_assert_int_eq(etcd_stream_feed(s, watch_stream + cut, 1), 0);
		n = drain(s, objs, n);
	}
	check_objs(objs, n);
	for (i = 0; i < n; i++)
		free(objs[i]);
	etcd_stream_free(s);
}
END_TEST

START_TEST(test_stream_bounds)
{
	struct etcd_stream *s = etcd_stream_new(16);
	char *o;

	ck_assert_int_eq(etcd_stream_feed(s, "{\"a\":1}", 7), 0);
	o = etcd_stream_next(s, NULL);
	ck_assert_str_eq(o, "{\"a\":1}");
	free(o);
	ck_assert_ptr_null(etcd_stream_next(s, NULL));
	ck_assert_int_eq(etcd_stream_feed(s, "{\"a\":\"0123456", 13), 0);
	ck_assert_int_eq(etcd_stream_feed(s, "789abcdef\"}", 11), -1);
	/* Failure is sticky: the stream has lost its framing. */
	ck_assert_int_eq(etcd_stream_feed(s, "{}", 2), -1);
	etcd_stream_free(s);

	/* Noise alone never accumulates. */
	s = etcd_stream_new(16);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(etcd_stream_feed(s, "garbage ]}\n", 11), 0);
	ck_assert_int_eq(etcd_stream_feed(s, "{}", 2), 0);
	o = etcd_stream_next(s, NULL);
	ck_assert_str_eq(o, "{}");
	free(o);
	etcd_stream_free(s);
}
END_TEST

START_TEST(test_decode_watch_errors)
{
	struct etcd_watch_msg msg;
	struct etcd_event *ev;
	char err[256];
	int64_t compact;
	bool canceled;
	const char *auth = "{\"result\":{\"header\":{\"revision\":\"7\"},\"watch_id\":\"-1\","
	    "\"created\":true,\"canceled\":true,\"cancel_reason\":\"rpc error: code = "
	    "Unauthenticated desc = etcdserver: invalid auth token\"}}";
	const char *flat = "{\"error\":\"illegal base64 data at input byte 0\",\"message\":"
	    "\"illegal base64 data at input byte 0\",\"code\":2}";
	const char *obj = "{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":"
	    "\"etcdserver: no leader\",\"http_status\":\"Service Unavailable\"}}";
	const char *bad[] = { "{}", "{\"result\":1}", "{\"result\":{\"events\":{}}}",
	    "{\"result\":{\"events\":[{\"type\":\"MOVE\",\"kv\":{}}]}}",
	    "{\"result\":{\"events\":[{\"kv\":{\"key\":\"YQ==\"},\"prev_kv\":{\"key\":\"*\"}}]}}",
	    "{\"result\":{\"events\":[{}]}}", "nope" };
	size_t i;

	ck_assert_int_eq(etcd_decode_watch(auth, strlen(auth), &msg, &ev, err, sizeof err,
	    &compact, &canceled), 0);
	ck_assert(canceled);
	ck_assert_int_eq(compact, 0);
	ck_assert_ptr_nonnull(strstr(err, "invalid auth token"));
	etcd_events_free(ev, msg.n_events);
	ck_assert_int_eq(etcd_decode_watch(flat, strlen(flat), &msg, &ev, err, sizeof err,
	    &compact, &canceled), -1);
	ck_assert_str_eq(err, "etcd watch error: illegal base64 data at input byte 0");
	ck_assert_int_eq(etcd_decode_watch(obj, strlen(obj), &msg, &ev, err, sizeof err,
	    &compact, &canceled), -1);
	ck_assert_str_eq(err, "etcd watch error: etcdserver: no leader");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(etcd_decode_watch(bad[i], strlen(bad[i]), &msg, &ev, err, sizeof err,
		    &compact, &canceled) == -1, "accepted '%s'", bad[i]);
		ck_assert_ptr_null(ev);
	}
}
END_TEST

/* ---- the client against a fake server ----------------------------------- */

/*
 * /e404/...: what a web server that is not etcd says (404, no body);
 * /e400/...: the gateway's own JSON error; /ok/...: a range answer.
 */
static enum MHD_Result
fake_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **ctx)
{
	static int first;
	struct MHD_Response *resp;
	const char *body = "";
	unsigned code = 404;
	enum MHD_Result ret;

	/* Take the whole request body before answering. */
	if (*ctx == NULL) {
		*ctx = &first;
		return MHD_YES;
	}
	if (*upload_len > 0) {
		*upload_len = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/ok/v3/kv/range") == 0) {
		code = 200;
		body = range_resp;
	} else if (strcmp(url, "/e400/v3/kv/range") == 0) {
		code = 400;
		body = "{\"error\":\"etcdserver: bad key\",\"code\":3,"
		    "\"message\":\"etcdserver: bad key\"}";
	}
	resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static struct etcd_result *
fake_range(struct loop *l, int port, const char *first, const char *second)
{
	char a[128], b[128], err[256];
	const char *eps[3] = { a, second != NULL ? b : NULL, NULL };
	struct etcd_result *r;
	struct etcd_opts o;
	struct etcd *e;

	snprintf(a, sizeof a, "http://127.0.0.1:%d/%s", port, first);
	if (second != NULL)
		snprintf(b, sizeof b, "http://127.0.0.1:%d/%s", port, second);
	memset(&o, 0, sizeof o);
	o.endpoints = eps;
	o.timeout_ms = 2000;
	e = etcd_new(l, &o, err, sizeof err);
	ck_assert_msg(e != NULL, "%s", err);
	r = etcd_range_sync(e, "k", NULL, 0, 0);
	etcd_free(e);
	return r;
}

START_TEST(test_client_not_etcd)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *srv;
	struct etcd_result *r;
	struct loop *l;
	char want[128];
	int port;

	http_global_init();
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
	    fake_handler, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
	ck_assert_ptr_nonnull(srv);
	port = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT)->port;
	l = loop_new();

	/* A 404 without a body names the endpoint and the status... */
	r = fake_range(l, port, "e404", NULL);
	snprintf(want, sizeof want, "'http://127.0.0.1:%d/e404' answered http 404", port);
	ck_assert_int_eq(r->err, ETCD_EUNREACHABLE);
	ck_assert_msg(strstr(r->errmsg, want) != NULL, "%s", r->errmsg);
	etcd_result_free(r);
	/* ...and the next endpoint is tried. */
	r = fake_range(l, port, "e404", "ok");
	ck_assert_msg(r->err == ETCD_OK, "%s", r->errmsg);
	ck_assert_uint_eq(r->n_kvs, 1);
	etcd_result_free(r);
	/* An endpoint written with user:password@ is named without the password
	 * (a proxy in front of etcd may take basic auth). */
	{
		char ep[128], e[256];
		const char *eps[] = { ep, NULL };
		struct etcd_opts o;
		struct etcd *cl;

		snprintf(ep, sizeof ep, "http://ops:hunter2@127.0.0.1:%d/e404", port);
		memset(&o, 0, sizeof o);
		o.endpoints = eps;
		o.timeout_ms = 2000;
		cl = etcd_new(l, &o, e, sizeof e);
		ck_assert_msg(cl != NULL, "%s", e);
		r = etcd_range_sync(cl, "k", NULL, 0, 0);
		etcd_free(cl);
		ck_assert_int_eq(r->err, ETCD_EUNREACHABLE);
		ck_assert_msg(strstr(r->errmsg, "'http://ops:***@127.0.0.1:") != NULL &&
		    strstr(r->errmsg, "hunter2") == NULL, "%s", r->errmsg);
		etcd_result_free(r);
		eps[0] = "ftp://ops:hunter2@127.0.0.1:1";
		ck_assert_ptr_null(etcd_new(l, &o, e, sizeof e));
		ck_assert_msg(strstr(e, "hunter2") == NULL, "%s", e);
	}
	/* The gateway's own error is still etcd's answer, not a dead endpoint. */
	r = fake_range(l, port, "e400", "ok");
	ck_assert_int_eq(r->err, ETCD_ESERVER);
	ck_assert_int_eq(r->http_status, 400);
	etcd_result_free(r);

	loop_free(l);
	MHD_stop_daemon(srv);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("etcd");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_b64_vectors);
	tcase_add_test(tc, test_b64_binary_and_bad);
	tcase_add_test(tc, test_decode_range);
	tcase_add_test(tc, test_decode_numbers);
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_decode_leases);
	tcase_add_test(tc, test_decode_txn_delete);
	tcase_add_test(tc, test_decode_cluster);
	tcase_add_test(tc, test_prefix_end);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_stream_split_everywhere);
	tcase_add_test(tc, test_stream_bounds);
	tcase_add_test(tc, test_decode_watch_errors);
	tcase_add_test(tc, test_client_not_etcd);
	suite_add_tcase(s, tc);
	return s;
}
