/* SPDX-License-Identifier: MIT */
/* Canned Milvus answers shaped like the contract's (../shared/contracts/milvus.md
 * §4, §5, §7.3), shared by the Milvus client tests. */
#ifndef MILVUSADM_TEST_MILVUS_CANNED_H
#define MILVUSADM_TEST_MILVUS_CANNED_H

#include <string.h>

#define BIG_ID		"449000000000000001"	/* > 2^53: a double would round it */
/* A literal and its length. */
#define S(x)		(x), strlen(x)
#define BIG_ID_NUM	449000000000000001LL

static const char metrics_text[] =
    "# HELP milvus_num_node number of nodes and coordinates\n"
    "# TYPE milvus_num_node gauge\n"
    "milvus_num_node{node_id=\"1\",role_name=\"rootcoord\"} 1\n"
    "milvus_num_node{node_id=\"5\",role_name=\"querynode\"} 1 1700000000000\n"
    "milvus_num_node{node_id=\"6\",role_name=\"querynode\",} 1\n"
    "milvus_escapes{path=\"C:\\\\dir\\\\\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\"} 3.5\n"
    "milvus_nan NaN\n"
    "milvus_inf{x=\"1\"} +Inf\n"
    "milvus_neginf -Inf\n"
    "   milvus_indented\t7\n"
    "milvus_bad{unterminated=\"x} 1\n"
    "milvus_bad2 notanumber\n"
    "milvus_crlf 2\r\n"
    "{\"milvus.utf8.name\",role=\"x\"} 9\n"
    "milvus_exp 1.5e3\n"
    "go_goroutines 42\n"
    "# EOF\n";

static const char replicas_v1[] =
    "{\"status\":{},\"replicas\":[{\"replicaID\":" BIG_ID ",\"collectionID\":" BIG_ID ","
    "\"partition_ids\":[1],\"shard_replicas\":[{\"leaderID\":5,\"leader_addr\":"
    "\"10.0.0.5:21123\",\"dm_channel_name\":\"by-dev-rootcoord-dml_0_" BIG_ID "v0\","
    "\"node_ids\":[5,6]}],\"node_ids\":[5,6],\"resource_group_name\":"
    "\"__default_resource_group\",\"num_outbound_node\":{}},"
    "{\"replicaID\":449000000000000002,\"collectionID\":" BIG_ID ",\"node_ids\":[7]}]}";

static const char replicas_qc[] =
    "[{\"ID\":\"" BIG_ID "\",\"collectionID\":\"" BIG_ID "\",\"database_id\":\"1\","
    "\"rw_nodes\":[5,6],\"resource_group\":\"__default_resource_group\",\"ro_nodes\":[9],"
    "\"channel_to_rw_nodes\":{\"by-dev-rootcoord-dml_0v0\":[5],\"by-dev-rootcoord-dml_1v1\":[6]}},"
    "{\"ID\":\"7\",\"collectionID\":\"8\",\"database_id\":\"1\",\"rw_nodes\":[5],"
    "\"resource_group\":\"rg1\",\"ro_nodes\":[],\"channel_to_rw_nodes\":{}}]";

#endif
