/* SPDX-License-Identifier: MIT */
/* Unit tests for the lab's pure parts: version table, roles, session JSON (§1.5, §1.6). */
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "../../src/lab/labd.h"

static char *
json_of(const char *ver, enum labd_role role, int64_t id, const char *ip,
    const char *host, int64_t lease, char *const *envp, bool embedded)
{
	struct labd_session_info info;
	struct buf b = BUF_INIT;

	labd_session_describe(&info, labd_version_find(ver), role, id, ip, host, envp, embedded);
	info.lease_id = lease;
	labd_session_json(&b, &info);
	return buf_detach(&b, NULL);
}

#define CHECK_JSON(got, want) do {			\
	char *g_ = (got);				\
	ck_assert_str_eq(g_, want);			\
	free(g_);					\
} while (0)

START_TEST(test_versions)
{
	const struct labd_version *v;
	size_t n;

	labd_version_all(&n);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(labd_version_find("2.3")->semver, "2.3.4");
	ck_assert_str_eq(labd_version_find("2.4")->semver, "2.4.13");
	ck_assert_str_eq(labd_version_find("2.5")->semver, "2.5.27");
	ck_assert_str_eq(labd_version_find("2.6")->semver, "2.6.18");
	ck_assert_ptr_null(labd_version_find("2.7"));
	v = labd_version_find("2.6");
	ck_assert(v->lease_exit && !v->fence_on_delete && v->mix_legacy);
	ck_assert_int_eq(labd_role_port(LABD_MIXCOORD, v), 22125);
	ck_assert(!labd_role_valid(LABD_INDEXNODE, v));
	ck_assert(labd_role_valid(LABD_STREAMINGNODE, v));
	ck_assert(!labd_role_valid(LABD_ROOTCOORD, v));
	v = labd_version_find("2.3");
	ck_assert(v->fence_on_delete && !v->lease_exit && !v->management);
	ck_assert(labd_role_drains(LABD_INDEXNODE, v));
	ck_assert(!labd_role_drains(LABD_INDEXNODE, labd_version_find("2.5")));
	ck_assert(!labd_role_drains(LABD_PROXY, v));
	ck_assert(labd_role_valid(LABD_INDEXNODE, v));
	ck_assert(!labd_role_valid(LABD_STREAMINGNODE, v));
	ck_assert_int_eq(labd_role_parse("querycoord"), LABD_QUERYCOORD);
	ck_assert_int_eq(labd_role_parse("nope"), -1);
	ck_assert_str_eq(labd_state_name(LABD_ST_STANDBY), "StandBy");
}
END_TEST

/* 3.0 (contract §10): 2.6.8+'s roles and election, TTL 15, no TriggerKill,
 * exit 80 on a lost lease, no legacy /api/v1 routes. */
START_TEST(test_version_30)
{
	const struct labd_version *v = labd_version_find("3.0");
	enum labd_role r;

	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_eq(labd_version_find("3.0.4"), v);
	ck_assert_str_eq(v->semver, "3.0.4");
	ck_assert(v->major == 3 && v->minor == 0 && v->patch == 4);
	ck_assert_int_eq(v->real_ttl, 15);
	ck_assert_int_eq(v->lease_lost_exit, 80);
	ck_assert_int_eq(labd_version_find("2.6")->lease_lost_exit, 1);
	ck_assert(v->no_trigger_kill && !labd_version_find("2.6")->no_trigger_kill);
	ck_assert(v->no_api_v1_legacy && v->webui);
	ck_assert(v->mix_legacy && v->lease_exit && !v->fence_on_delete && !v->split_coords);
	ck_assert(v->management && v->livez && v->rest_v2);
	for (r = 0; r < LABD_NROLES; r++) {
		bool want = r == LABD_MIXCOORD || r == LABD_PROXY || r == LABD_QUERYNODE ||
		    r == LABD_DATANODE || r == LABD_STREAMINGNODE || r == LABD_STANDALONE;

		ck_assert_msg(labd_role_valid(r, v) == want, "role %s", labd_role_name(r));
	}
	ck_assert_int_eq(labd_role_port(LABD_MIXCOORD, v), 22125);
	CHECK_JSON(json_of("3.0", LABD_MIXCOORD, 2, "10.244.0.9", "m", 7587882340198650001LL, NULL,
	    false),
	    "{\"ServerID\":2,\"ServerName\":\"mixcoord\",\"Address\":\"10.244.0.9:22125\",\"Exclusive\":true,"
	    "\"Version\":\"3.0.4\",\"IndexEngineVersion\":{},\"ScalarIndexEngineVersion\":{},"
	    "\"LeaseID\":7587882340198650001,\"HostName\":\"m\"}");
	CHECK_JSON(json_of("3.0", LABD_QUERYNODE, 21, "10.244.5.3", "s", 5, NULL, true),
	    "{\"ServerID\":21,\"ServerName\":\"querynode\",\"Address\":\"10.244.5.3:21123\","
	    "\"Version\":\"3.0.4\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":7,\"MaximumIndexVersion\":7},"
	    "\"ScalarIndexEngineVersion\":{\"CurrentIndexVersion\":2,\"MaximumIndexVersion\":2},"
	    "\"IndexNonEncoding\":true,\"LeaseID\":5,\"HostName\":\"s\","
	    "\"ServerLabels\":{\"STREAMING-EMBEDDED\":\"1\"}}");
}
END_TEST

START_TEST(test_json_24)
{
	CHECK_JSON(json_of("2.4", LABD_ROOTCOORD, 3, "10.244.2.5", "my-release-milvus-rootcoord-7d6c9f8b5-k2x9p",
	    7587882340198651390LL, NULL, false),
	    "{\"ServerID\":3,\"ServerName\":\"rootcoord\",\"Address\":\"10.244.2.5:53100\",\"Exclusive\":true,"
	    "\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":7587882340198651390,"
	    "\"HostName\":\"my-release-milvus-rootcoord-7d6c9f8b5-k2x9p\"}");
	CHECK_JSON(json_of("2.4", LABD_QUERYNODE, 12, "10.244.1.17", "h", 7587882340198651402LL, NULL, false),
	    "{\"ServerID\":12,\"ServerName\":\"querynode\",\"Address\":\"10.244.1.17:21123\",\"TriggerKill\":true,"
	    "\"Version\":\"2.4.13\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":5},\"LeaseID\":7587882340198651402,"
	    "\"HostName\":\"h\"}");
	CHECK_JSON(json_of("2.4", LABD_PROXY, 5, "10.244.4.2", "p", 7587882340198651377LL, NULL, false),
	    "{\"ServerID\":5,\"ServerName\":\"proxy\",\"Address\":\"10.244.4.2:19529\",\"TriggerKill\":true,"
	    "\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":7587882340198651377,\"HostName\":\"p\"}");
	CHECK_JSON(json_of("2.4", LABD_INDEXNODE, 9, "10.0.0.1", "i", 1, NULL, false),
	    "{\"ServerID\":9,\"ServerName\":\"indexnode\",\"Address\":\"10.0.0.1:21121\",\"TriggerKill\":true,"
	    "\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":1,\"HostName\":\"i\",\"EnableDisk\":true}");
	CHECK_JSON(json_of("2.4", LABD_INDEXCOORD, 14, "10.0.0.1", "d", 2, NULL, false),
	    "{\"ServerID\":14,\"ServerName\":\"indexcoord\",\"Address\":\"10.0.0.1:13333\",\"Exclusive\":true,"
	    "\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{},\"LeaseID\":2,\"HostName\":\"d\"}");
}
END_TEST

START_TEST(test_json_stopping)
{
	struct labd_session_info info;
	struct buf b = BUF_INIT;

	labd_session_describe(&info, labd_version_find("2.4"), LABD_QUERYNODE, 12, "10.0.0.1", "h", NULL, false);
	info.lease_id = 42;
	info.stopping = true;
	labd_session_json(&b, &info);
	ck_assert_str_eq(b.data,
	    "{\"ServerID\":12,\"ServerName\":\"querynode\",\"Address\":\"10.0.0.1:21123\",\"Stopping\":true,"
	    "\"TriggerKill\":true,\"Version\":\"2.4.13\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":5},"
	    "\"LeaseID\":42,\"HostName\":\"h\"}");
	buf_release(&b);
}
END_TEST

START_TEST(test_json_25_26)
{
	char *env25[] = { "PATH=/bin", "MILVUS_SERVER_LABEL_zone=a", "MILVUS_SERVER_LABEL_RACK=r1", NULL };
	char *env26[] = { "MILVUS_SERVER_LABEL_QN_RESOURCE_GROUP=rg1", "MILVUS_SERVER_LABEL_PROXY_X=y",
	    "MILVUS_SERVER_LABEL_ALL=1", NULL };

	CHECK_JSON(json_of("2.5", LABD_QUERYCOORD, 4, "127.0.0.1", "q", 7, env25, false),
	    "{\"ServerID\":4,\"ServerName\":\"querycoord\",\"Address\":\"127.0.0.1:19531\",\"Exclusive\":true,"
	    "\"TriggerKill\":true,\"Version\":\"2.5.27\",\"IndexEngineVersion\":{},\"ScalarIndexEngineVersion\":{},"
	    "\"LeaseID\":7,\"HostName\":\"q\"}");
	CHECK_JSON(json_of("2.5", LABD_QUERYNODE, 4, "127.0.0.1", "q", 7, env25, false),
	    "{\"ServerID\":4,\"ServerName\":\"querynode\",\"Address\":\"127.0.0.1:21123\",\"TriggerKill\":true,"
	    "\"Version\":\"2.5.27\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":6},"
	    "\"ScalarIndexEngineVersion\":{\"CurrentIndexVersion\":2},\"IndexNonEncoding\":true,"
	    "\"LeaseID\":7,\"HostName\":\"q\",\"ServerLabels\":{\"RACK\":\"r1\",\"zone\":\"a\"}}");
	CHECK_JSON(json_of("2.6", LABD_MIXCOORD, 2, "10.244.0.9", "my-release-milvus-mixcoord-6d5b8f7c9-h7j3k",
	    7587882340198650001LL, NULL, false),
	    "{\"ServerID\":2,\"ServerName\":\"mixcoord\",\"Address\":\"10.244.0.9:22125\",\"Exclusive\":true,"
	    "\"TriggerKill\":true,\"Version\":\"2.6.18\",\"IndexEngineVersion\":{},\"ScalarIndexEngineVersion\":{},"
	    "\"LeaseID\":7587882340198650001,\"HostName\":\"my-release-milvus-mixcoord-6d5b8f7c9-h7j3k\"}");
	CHECK_JSON(json_of("2.6", LABD_QUERYNODE, 21, "10.244.5.3", "my-release-milvus-streamingnode-0",
	    7587882340198650123LL, NULL, true),
	    "{\"ServerID\":21,\"ServerName\":\"querynode\",\"Address\":\"10.244.5.3:21123\",\"TriggerKill\":true,"
	    "\"Version\":\"2.6.18\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":7,\"MaximumIndexVersion\":7},"
	    "\"ScalarIndexEngineVersion\":{\"CurrentIndexVersion\":2,\"MaximumIndexVersion\":2},"
	    "\"IndexNonEncoding\":true,\"LeaseID\":7587882340198650123,"
	    "\"HostName\":\"my-release-milvus-streamingnode-0\",\"ServerLabels\":{\"STREAMING-EMBEDDED\":\"1\"}}");
	CHECK_JSON(json_of("2.6", LABD_STREAMINGNODE, 21, "10.244.5.3", "s", 5, NULL, false),
	    "{\"ServerID\":21,\"ServerName\":\"streamingnode\",\"Address\":\"10.244.5.3:22222\",\"TriggerKill\":true,"
	    "\"Version\":\"2.6.18\",\"IndexEngineVersion\":{},\"ScalarIndexEngineVersion\":{},\"LeaseID\":5,"
	    "\"HostName\":\"s\"}");
	/* 2.6 label rules: role-prefixed variables only for that role. */
	CHECK_JSON(json_of("2.6", LABD_QUERYNODE, 1, "1.2.3.4", "h", 5, env26, false),
	    "{\"ServerID\":1,\"ServerName\":\"querynode\",\"Address\":\"1.2.3.4:21123\",\"TriggerKill\":true,"
	    "\"Version\":\"2.6.18\",\"IndexEngineVersion\":{\"CurrentIndexVersion\":7,\"MaximumIndexVersion\":7},"
	    "\"ScalarIndexEngineVersion\":{\"CurrentIndexVersion\":2,\"MaximumIndexVersion\":2},"
	    "\"IndexNonEncoding\":true,\"LeaseID\":5,\"HostName\":\"h\","
	    "\"ServerLabels\":{\"ALL\":\"1\",\"RESOURCE_GROUP\":\"rg1\"}}");
	CHECK_JSON(json_of("2.6", LABD_PROXY, 1, "1.2.3.4", "h", 5, env26, false),
	    "{\"ServerID\":1,\"ServerName\":\"proxy\",\"Address\":\"1.2.3.4:19529\",\"TriggerKill\":true,"
	    "\"Version\":\"2.6.18\",\"IndexEngineVersion\":{},\"ScalarIndexEngineVersion\":{},\"LeaseID\":5,"
	    "\"HostName\":\"h\",\"ServerLabels\":{\"ALL\":\"1\",\"X\":\"y\"}}");
}
END_TEST

START_TEST(test_json_escape_and_lease)
{
	/* int64 max, and Go's HTML-safe escaping in strings. */
	CHECK_JSON(json_of("2.3", LABD_DATANODE, 9223372036854775807LL, "1.1.1.1", "a<b>&\"c\\\n",
	    9223372036854775807LL, NULL, false),
	    "{\"ServerID\":9223372036854775807,\"ServerName\":\"datanode\",\"Address\":\"1.1.1.1:21124\","
	    "\"TriggerKill\":true,\"Version\":\"2.3.4\",\"IndexEngineVersion\":{},"
	    "\"LeaseID\":9223372036854775807,\"HostName\":\"a\\u003cb\\u003e\\u0026\\\"c\\\\\\n\"}");
	/* No lease, no host: both omitted. */
	CHECK_JSON(json_of("2.3", LABD_DATANODE, 1, "1.1.1.1", "", 0, NULL, false),
	    "{\"ServerID\":1,\"ServerName\":\"datanode\",\"Address\":\"1.1.1.1:21124\","
	    "\"TriggerKill\":true,\"Version\":\"2.3.4\",\"IndexEngineVersion\":{}}");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("labd");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_version_30);
	tcase_add_test(tc, test_json_24);
	tcase_add_test(tc, test_json_stopping);
	tcase_add_test(tc, test_json_25_26);
	tcase_add_test(tc, test_json_escape_and_lease);
	suite_add_tcase(s, tc);
	return s;
}
