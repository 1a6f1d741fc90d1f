/* SPDX-License-Identifier: MIT */
/* Unit tests for the session parser and the exact JSON integer reader,
 * with every example of contract §1.6 verbatim. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/jsonraw.h"
#include "milvusadm/session.h"

static char err[256];

static int
parse(const char *key, const char *value, struct session *s)
{
	return session_parse(key, value, strlen(value), s, err, sizeof err);
}

START_TEST(test_rootcoord_24)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/rootcoord",
	    "{\"ServerID\":3,\"ServerName\":\"rootcoord\",\"Address\":\"10.244.2.5:53100\",\"Exclusive\":true,\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":7587882340198651390,\"HostName\":\"my-release-milvus-rootcoord-7d6c9f8b5-k2x9p\"}",
	    &s), 1);
	ck_assert_str_eq(s.key, "rootcoord");
	ck_assert(s.active_key);
	ck_assert_int_eq(s.key_server_id, -1);
	ck_assert_int_eq(s.server_id, 3);
	ck_assert_str_eq(s.server_name, "rootcoord");
	ck_assert_str_eq(s.address, "10.244.2.5:53100");
	ck_assert(s.exclusive);
	ck_assert(s.trigger_kill);
	ck_assert(!s.stopping);
	ck_assert_str_eq(s.version, "2.4.13");
	ck_assert(s.has_lease_id);
	ck_assert(s.lease_id == INT64_C(7587882340198651390));
	ck_assert_str_eq(s.host_name, "my-release-milvus-rootcoord-7d6c9f8b5-k2x9p");
	ck_assert_int_eq(s.index_min, 0);
	ck_assert_int_eq(s.index_cur, 0);
	ck_assert(!s.has_scalar_index);
	ck_assert_uint_eq(s.n_labels, 0);
	session_clear(&s);
}
END_TEST

START_TEST(test_querycoord_standby)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/querycoord-14",
	    "{\"ServerID\":14,\"ServerName\":\"querycoord\",\"Address\":\"10.244.3.8:19531\",\"Exclusive\":true,\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":7587882340198651455,\"HostName\":\"my-release-milvus-querycoord-5b8d7c6f4-abcde\"}",
	    &s), 1);
	ck_assert_str_eq(s.key, "querycoord-14");
	ck_assert(!s.active_key);
	ck_assert_int_eq(s.key_server_id, 14);
	ck_assert_int_eq(s.server_id, 14);
	ck_assert(s.lease_id == INT64_C(7587882340198651455));
	session_clear(&s);
}
END_TEST

START_TEST(test_querynode_24)
{
	static const char *v =
	    "{\"ServerID\":12,\"ServerName\":\"querynode\",\"Address\":\"10.244.1.17:21123\",\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":5},\"LeaseID\":7587882340198651402,\"HostName\":\"my-release-milvus-querynode-6b9f7c8d9-x2k4p\"}";
	static const char *stopping =
	    "{\"ServerID\":12,\"ServerName\":\"querynode\",\"Address\":\"10.244.1.17:21123\",\"Stopping\":true,\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":5},\"LeaseID\":7587882340198651402,\"HostName\":\"my-release-milvus-querynode-6b9f7c8d9-x2k4p\"}";
	struct session s;

	ck_assert_int_eq(parse("querynode-12", v, &s), 1);
	ck_assert_int_eq(s.key_server_id, 12);
	ck_assert(!s.exclusive);
	ck_assert_int_eq(s.index_cur, 5);
	ck_assert_int_eq(s.index_min, 0);
	ck_assert(s.lease_id == INT64_C(7587882340198651402));
	ck_assert(!s.stopping);
	session_clear(&s);
	ck_assert_int_eq(parse("by-dev/meta/session/querynode-12", stopping, &s), 1);
	ck_assert(s.stopping);
	session_clear(&s);
}
END_TEST

START_TEST(test_proxy_indexnode_datanode)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/proxy-5",
	    "{\"ServerID\":5,\"ServerName\":\"proxy\",\"Address\":\"10.244.4.2:19529\",\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":7587882340198651377,\"HostName\":\"my-release-milvus-proxy-66f9d8c7b-q8w2e\"}",
	    &s), 1);
	ck_assert_str_eq(s.address, "10.244.4.2:19529");
	ck_assert(s.lease_id == INT64_C(7587882340198651377));
	session_clear(&s);
	ck_assert_int_eq(parse("by-dev/meta/session/indexnode-9",
	    "{\"ServerID\":9,\"ServerName\":\"indexnode\",\"Address\":\"10.244.4.3:21121\",\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":7587882340198651378,\"HostName\":\"in\",\"EnableDisk\":true}",
	    &s), 1);
	ck_assert(s.enable_disk);
	session_clear(&s);
	ck_assert_int_eq(parse("by-dev/meta/session/datanode-7",
	    "{\"ServerID\":7,\"ServerName\":\"datanode\",\"Address\":\"10.244.4.4:21124\",\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{}}",
	    &s), 1);
	ck_assert(!s.has_lease_id);
	ck_assert(s.host_name == NULL);
	session_clear(&s);
}
END_TEST

START_TEST(test_mixcoord_26)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/mixcoord-2",
	    "{\"ServerID\":2,\"ServerName\":\"mixcoord\",\"Address\":\"10.244.0.9:22125\",\"Exclusive\":true,\"TriggerKill\":true,\"Version\":\"2.6.18\",\"IndexEngineVersion\":{},\"ScalarIndexEngineVersion\":{},\"LeaseID\":7587882340198650001,\"HostName\":\"my-release-milvus-mixcoord-6d5b8f7c9-h7j3k\"}",
	    &s), 1);
	ck_assert(s.has_scalar_index);
	ck_assert_int_eq(s.scalar_cur, 0);
	ck_assert(s.lease_id == INT64_C(7587882340198650001));
	ck_assert_str_eq(s.version, "2.6.18");
	session_clear(&s);
}
END_TEST

/* 3.x (§10): no TriggerKill, fields in another order; every field but
 * ServerID, ServerName and Address is optional. */
START_TEST(test_sessions_30)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/mixcoord",
	    "{\"Version\":\"3.0.4\",\"ServerName\":\"mixcoord\",\"LeaseID\":7587882340198650001,"
	    "\"ServerID\":2,\"Exclusive\":true,\"Address\":\"10.244.0.9:22125\"}", &s), 1);
	ck_assert(!s.trigger_kill);
	ck_assert(s.exclusive && s.active_key);
	ck_assert_int_eq(s.server_id, 2);
	ck_assert_str_eq(s.version, "3.0.4");
	ck_assert(s.lease_id == INT64_C(7587882340198650001));
	session_clear(&s);
	/* Exactly what the 3.0 lab writes for a streamingnode's querynode. */
	ck_assert_int_eq(parse("by-dev/meta/session/querynode-21",
	    "{\"ServerID\":21,\"ServerName\":\"querynode\",\"Address\":\"10.244.5.3:21123\","
	    "\"Version\":\"3.0.4\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":7},"
	    "\"LeaseID\":5,\"ServerLabels\":{\"STREAMING-EMBEDDED\":\"1\"}}", &s), 1);
	ck_assert(!s.trigger_kill);
	ck_assert_int_eq(s.index_cur, 7);
	ck_assert_uint_eq(s.n_labels, 1);
	session_clear(&s);
	/* Only the three fields: still a session. */
	ck_assert_int_eq(parse("by-dev/meta/session/proxy-9",
	    "{\"ServerID\":9,\"ServerName\":\"proxy\",\"Address\":\"1.2.3.4:19529\"}", &s), 1);
	ck_assert(s.version == NULL && !s.has_lease_id);
	session_clear(&s);
	/* The session/version key is text, never a session (§1.4). */
	ck_assert_int_eq(parse("by-dev/meta/session/version", "3.0.4", &s), 0);
}
END_TEST

/* session/version against a coordinator's Version (§1.4, §10). */
START_TEST(test_version_ahead)
{
	int ma = -1, mi = -1, pa = -1;

	ck_assert_int_eq(session_semver_parse("3.0.4", &ma, &mi, &pa), 0);
	ck_assert(ma == 3 && mi == 0 && pa == 4);
	ck_assert_int_eq(session_semver_parse("3.0.0-beta", &ma, &mi, &pa), 0);
	ck_assert(ma == 3 && mi == 0 && pa == 0);
	ck_assert_int_eq(session_semver_parse("v2.6.18", &ma, &mi, &pa), 0);
	ck_assert(ma == 2 && mi == 6 && pa == 18);
	ck_assert_int_eq(session_semver_parse("2.6", &ma, &mi, &pa), -1);
	ck_assert_int_eq(session_semver_parse("2.6.x", &ma, &mi, &pa), -1);
	ck_assert_int_eq(session_semver_parse("", &ma, &mi, &pa), -1);
	ck_assert_int_eq(session_semver_parse(NULL, &ma, &mi, &pa), -1);
	ck_assert_int_eq(session_semver_parse("2.6.18junk", &ma, &mi, &pa), -1);
	/* The 2.6 rollback: a 3.0 value panics a 2.6.18 coordinator. */
	ck_assert_int_eq(session_version_ahead("3.0.4", "2.6.18"), 1);
	ck_assert_int_eq(session_version_ahead("3.0.0-beta", "2.6.18"), 1);
	ck_assert_int_eq(session_version_ahead("2.6.18", "2.5.27"), 1);
	/* Patch releases and older values are fine. */
	ck_assert_int_eq(session_version_ahead("3.0.4", "3.0.2"), 0);
	ck_assert_int_eq(session_version_ahead("2.6.18", "3.0.4"), 0);
	ck_assert_int_eq(session_version_ahead("3.0.4", "3.0.4"), 0);
	ck_assert_int_eq(session_version_ahead("garbage", "3.0.4"), -1);
	ck_assert_int_eq(session_version_ahead("3.0.4", NULL), -1);
}
END_TEST

START_TEST(test_streaming_querynode_26)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/querynode-21",
	    "{\"ServerID\":21,\"ServerName\":\"querynode\",\"Address\":\"10.244.5.3:21123\",\"TriggerKill\":true,\"Version\":\"2.6.18\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":7,\"MaximumIndexVersion\":7},\"ScalarIndexEngineVersion\":{\"CurrentIndexVersion\":2,\"MaximumIndexVersion\":2},\"IndexNonEncoding\":true,\"LeaseID\":7587882340198650123,\"HostName\":\"my-release-milvus-streamingnode-0\",\"ServerLabels\":{\"STREAMING-EMBEDDED\":\"1\"}}",
	    &s), 1);
	ck_assert_int_eq(s.index_cur, 7);
	ck_assert_int_eq(s.index_max, 7);
	ck_assert(s.has_scalar_index);
	ck_assert_int_eq(s.scalar_cur, 2);
	ck_assert_int_eq(s.scalar_max, 2);
	ck_assert(s.index_non_encoding);
	ck_assert(s.lease_id == INT64_C(7587882340198650123));
	ck_assert_uint_eq(s.n_labels, 1);
	ck_assert_str_eq(s.labels[0].name, "STREAMING-EMBEDDED");
	ck_assert_str_eq(s.labels[0].value, "1");
	session_clear(&s);
}
END_TEST

START_TEST(test_not_sessions)
{
	struct session s;

	ck_assert_int_eq(parse("by-dev/meta/session/id", "42", &s), 0);
	ck_assert(s.key == NULL);
	ck_assert_int_eq(parse("by-dev/meta/session/version", "2.6.18", &s), 0);
	ck_assert_int_eq(parse("by-dev/meta/session/x", "", &s), 0);
	ck_assert_int_eq(parse("by-dev/meta/session/x", "[1,2]", &s), 0);
	ck_assert_int_eq(parse("by-dev/meta/session/x", "\"{\"", &s), 0);
}
END_TEST

START_TEST(test_malformed)
{
	struct session s;

	ck_assert_int_eq(parse("querynode-1", "{\"ServerID\":1}", &s), -1);
	ck_assert_str_eq(err, "session 'querynode-1': 'ServerName' is missing");
	ck_assert(s.key == NULL);
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":\"1\",\"ServerName\":\"querynode\"}", &s), -1);
	ck_assert_str_eq(err, "session 'querynode-1': 'ServerID' is not a number");
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1.5,\"ServerName\":\"querynode\"}", &s), -1);
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1,\"ServerName\":\"querynode\",\"Exclusive\":1}", &s), -1);
	ck_assert_str_eq(err, "session 'querynode-1': 'Exclusive' is not a boolean");
	/* Truncated in the middle of the lease. */
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1,\"ServerName\":\"querynode\",\"LeaseID\":75878", &s), -1);
	ck_assert_str_eq(err, "session 'querynode-1': value is not valid JSON");
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1,\"ServerName\":\"querynode\"} x", &s), -1);
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1,\"ServerName\":\"querynode\",\"ServerLabels\":{\"a\":1}}",
	    &s), -1);
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1,\"ServerName\":\"querynode\",\"IndexEngineVersion\":[]}",
	    &s), -1);
	ck_assert_int_eq(parse("querynode-1",
	    "{\"ServerID\":1,\"ServerName\":\"querynode\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":4294967296}}",
	    &s), -1);
}
END_TEST

START_TEST(test_key_id_mismatch)
{
	struct session s;

	/* Not an error: the caller decides what a mismatch means. */
	ck_assert_int_eq(parse("by-dev/meta/session/querynode-12",
	    "{\"ServerID\":13,\"ServerName\":\"querynode\"}", &s), 1);
	ck_assert_int_eq(s.key_server_id, 12);
	ck_assert_int_eq(s.server_id, 13);
	session_clear(&s);
}
END_TEST

START_TEST(test_lease_edges)
{
	struct session s;

	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"LeaseID\":9223372036854775807}", &s), 1);
	ck_assert(s.lease_id == INT64_MAX);
	session_clear(&s);
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"LeaseID\":9223372036854775808}", &s), -1);
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"LeaseID\":-5}", &s), -1);
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"LeaseID\":1.5e18}", &s), -1);
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"LeaseID\":\"7587882340198651390\"}", &s), 1);
	ck_assert(s.lease_id == INT64_C(7587882340198651390));
	session_clear(&s);
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"LeaseID\":true}", &s), -1);
	/* A LeaseID inside the labels must not be taken for the session's. */
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"ServerLabels\":{\"LeaseID\":\"1\"},\"HostName\":\"\\\"LeaseID\\\":2\",\"LeaseID\":7587882340198651391}",
	    &s), 1);
	ck_assert(s.lease_id == INT64_C(7587882340198651391));
	ck_assert_uint_eq(s.n_labels, 1);
	ck_assert_str_eq(s.host_name, "\"LeaseID\":2");
	session_clear(&s);
	ck_assert_int_eq(parse("proxy-1",
	    "{\"ServerName\":\"proxy\",\"ServerLabels\":{\"LeaseID\":\"1\"}}", &s), 1);
	ck_assert(!s.has_lease_id);
	session_clear(&s);
}
END_TEST

START_TEST(test_unicode_and_bounds)
{
	static char big[6000];
	struct session s;
	int n;

	ck_assert_int_eq(parse("querynode-3",
	    "{\"ServerName\":\"querynode\",\"HostName\":\"h\\u00e9st\\n\\u2603\"}", &s), 1);
	ck_assert_str_eq(s.host_name, "h\xc3\xa9st\n\xe2\x98\x83");
	ck_assert(!s.truncated);
	session_clear(&s);
	/* Too long is cut, not dropped: the session is still listed. */
	n = snprintf(big, sizeof big, "{\"ServerName\":\"querynode\",\"Address\":\"");
	memset(big + n, 'a', 4200);
	strcpy(big + n + 4200, "\"}");
	ck_assert_int_eq(parse("querynode-3", big, &s), 1);
	ck_assert_uint_eq(strlen(s.address), SESSION_MAX_STRING);
	ck_assert_str_eq(s.address + SESSION_MAX_STRING - 3, SESSION_CUT_MARK);
	ck_assert(s.truncated);
	session_clear(&s);
}
END_TEST

/* A 10 kB host name of control characters and invalid UTF-8 (what a hostile
 * or broken writer puts in etcd): the session is kept, the name cut to a DNS
 * name's length, its bytes as they came for the escaper. */
START_TEST(test_hostile_host_name)
{
	static char v[12000];
	struct session s;
	size_t n, i;

	n = (size_t)snprintf(v, sizeof v, "{\"ServerID\":7,\"ServerName\":\"proxy\","
	    "\"Address\":\"127.0.0.1:19530\",\"HostName\":\"");
	for (i = 0; i < 770; i++) {
		/* ESC [ 2 J, C1 CSI (U+009B), a stray continuation and a lone lead byte. */
		memcpy(v + n, "\\u001b[2J\xc2\x9b\x80\xff", 13);
		n += 13;
	}
	strcpy(v + n, "\"}");
	ck_assert_int_eq(parse("proxy-7", v, &s), 1);
	ck_assert_int_eq(s.server_id, 7);
	ck_assert_str_eq(s.address, "127.0.0.1:19530");
	ck_assert_uint_le(strlen(s.host_name), SESSION_MAX_HOSTNAME);
	ck_assert_uint_ge(strlen(s.host_name), SESSION_MAX_HOSTNAME - 3);
	ck_assert(strncmp(s.host_name, "\033[2J\xc2\x9b\x80\xff", 8) == 0);
	ck_assert_str_eq(s.host_name + strlen(s.host_name) - 3, SESSION_CUT_MARK);
	ck_assert(s.truncated);
	session_clear(&s);
}
END_TEST

START_TEST(test_cut_on_char_boundary)
{
	bool cut;
	char *o;

	o = session_strndup_bounded("abc", 3, 8, &cut);
	ck_assert_str_eq(o, "abc");
	ck_assert(!cut);
	free(o);
	o = session_strndup_bounded("ab\xe2\x98\x83xyz", 8, 8, &cut);
	ck_assert(!cut);
	free(o);
	/* "abc" then U+2603 (3 bytes) then more: the snowman does not fit whole
	 * before the mark, so it is left out, not split. */
	o = session_strndup_bounded("abc\xe2\x98\x83xyz", 9, 8, &cut);
	ck_assert(cut);
	ck_assert_str_eq(o, "abc" SESSION_CUT_MARK);
	free(o);
}
END_TEST

START_TEST(test_many_labels)
{
	char v[4096];
	struct session s;
	size_t n;
	int i;

	n = (size_t)snprintf(v, sizeof v, "{\"ServerName\":\"querynode\",\"ServerLabels\":{");
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(v + n, sizeof v - n, "%s\"l%d\":\"v\"",
		    i ? "," : "", i);
	snprintf(v + n, sizeof v - n, "}}");
	ck_assert_int_eq(parse("querynode-3", v, &s), 1);
	ck_assert_uint_eq(s.n_labels, SESSION_MAX_LABELS);
	ck_assert_str_eq(s.labels[0].name, "l0");
	ck_assert(s.truncated);
	session_clear(&s);
}
END_TEST

/* What cannot be read stays an error with its reason (the model reports it). */
START_TEST(test_unreadable_reasons)
{
	struct session s;

	ck_assert_int_eq(parse("querynode-3", "{\"ServerName\":", &s), -1);
	ck_assert_str_eq(err, "session 'querynode-3': value is not valid JSON");
	ck_assert_int_eq(parse("querynode-3", "{\"ServerName\":7}", &s), -1);
	ck_assert_str_eq(err, "session 'querynode-3': 'ServerName' is not a string");
}
END_TEST

START_TEST(test_jsonraw)
{
	int64_t v;
	uint64_t u;

	ck_assert_int_eq(jsonraw_parse_int64("-9223372036854775808", 20, &v), 0);
	ck_assert(v == INT64_MIN);
	ck_assert_int_eq(jsonraw_parse_int64("-9223372036854775809", 20, &v), -1);
	ck_assert_int_eq(jsonraw_parse_int64("9223372036854775808", 19, &v), -1);
	ck_assert_int_eq(jsonraw_parse_int64("-", 1, &v), -1);
	ck_assert_int_eq(jsonraw_parse_int64("", 0, &v), -1);
	ck_assert_int_eq(jsonraw_parse_int64("+1", 2, &v), -1);
	ck_assert_int_eq(jsonraw_parse_uint64("18446744073709551615", 20, &u), 0);
	ck_assert(u == UINT64_MAX);
	ck_assert_int_eq(jsonraw_parse_uint64("18446744073709551616", 20, &u), -1);

#define TOP(t, n) jsonraw_top_int64(t, strlen(t), n, &v)
	ck_assert_int_eq(TOP(" { \"a\" : 12 , \"b\": 3}", "a"), 0);
	ck_assert_int_eq(v, 12);
	ck_assert_int_eq(TOP("{\"x\":[{\"a\":1}],\"a\":-7}", "a"), 0);
	ck_assert_int_eq(v, -7);
	ck_assert_int_eq(TOP("{\"x\":\"\\\"a\\\":1\"}", "a"), 1);
	ck_assert_int_eq(TOP("{\"a\":1.0}", "a"), -1);
	ck_assert_int_eq(TOP("{\"a\":1e3}", "a"), -1);
	ck_assert_int_eq(TOP("{\"a\":null}", "a"), -1);
	ck_assert_int_eq(TOP("[1]", "a"), -1);
	ck_assert_int_eq(TOP("{\"b\":1", "a"), -1);
	ck_assert_int_eq(TOP("{\"b\":\"1", "a"), -1);
	ck_assert_int_eq(TOP("{}", "a"), 1);
	ck_assert_int_eq(TOP("{\"ab\":1,\"b\":{\"a\":2}}", "a"), 1);
	ck_assert_int_eq(TOP("{\"a\":\"-42\"}", "a"), 0);
	ck_assert_int_eq(v, -42);
#undef TOP
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");

	tcase_add_test(tc, test_rootcoord_24);
	tcase_add_test(tc, test_querycoord_standby);
	tcase_add_test(tc, test_querynode_24);
	tcase_add_test(tc, test_proxy_indexnode_datanode);
	tcase_add_test(tc, test_mixcoord_26);
	tcase_add_test(tc, test_streaming_querynode_26);
	tcase_add_test(tc, test_sessions_30);
	tcase_add_test(tc, test_version_ahead);
	tcase_add_test(tc, test_not_sessions);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_key_id_mismatch);
	tcase_add_test(tc, test_lease_edges);
	tcase_add_test(tc, test_unicode_and_bounds);
	tcase_add_test(tc, test_many_labels);
	tcase_add_test(tc, test_hostile_host_name);
	tcase_add_test(tc, test_cut_on_char_boundary);
	tcase_add_test(tc, test_unreadable_reasons);
	tcase_add_test(tc, test_jsonraw);
	suite_add_tcase(s, tc);
	return s;
}
