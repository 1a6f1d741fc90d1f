/* SPDX-License-Identifier: MIT */
/* Recorded milvus-backup answers for the unit tests, shaped as the contract
 * (shared/contracts/milvus-backup.md, sections 0, 0.1 and 2) shows them for
 * 0.5.x and 0.6.x. Message texts the contract does not quote are marked. */
#ifndef BACKUP_CANNED_H
#define BACKUP_CANNED_H

/* Hybrid TS of 2025-12-17T19:33:20.123Z with every logical bit set: through a
 * double it would read as ...124 ms (the next physical millisecond). */
#define HYBRID_TS	"462946304032505855"
#define TAKEN_MS	1766000000123LL
#define GO_ZERO		"-62135596800"

/* ---- recorded bodies, shaped as the contract shows them -------------------- */

/* 0.5.x get_backup of a finished backup: no code (omitempty), no format. */
static const char get_ok_05[] =
    "{\"requestId\":\"r-1\",\"data\":{\"id\":\"c0ffee-1\",\"state_code\":2,\"start_time\":"
    "1766000000,\"end_time\":1766000042,\"progress\":100,\"name\":\"nightly_1\","
    "\"backup_timestamp\":" HYBRID_TS ",\"collection_backups\":[{\"id\":\"c0ffee-1\","
    "\"collection_id\":451234567890123456,\"db_name\":\"\",\"collection_name\":\"docs\","
    "\"shards_num\":2,\"backup_timestamp\":" HYBRID_TS ",\"size\":1000,\"has_index\":true,"
    "\"load_state\":\"Loaded\",\"backup_physical_timestamp\":1766000000},{\"db_name\":"
    "\"db2\",\"collection_name\":\"logs\",\"size\":24,\"has_index\":false}],\"size\":1024,"
    "\"milvus_version\":\"v2.5.4\",\"meta_size\":77}}";

/* The same record as a protojson encoder would write it: camelCase, enum
 * names, int64s as strings. */
static const char get_ok_camel[] =
    "{\"requestId\":\"r-1\",\"code\":\"Success\",\"data\":{\"id\":\"c0ffee-1\",\"stateCode\":"
    "\"BACKUP_SUCCESS\",\"startTime\":\"1766000000\",\"endTime\":\"1766000042\",\"progress\":"
    "100,\"name\":\"nightly_1\",\"backupTimestamp\":\"" HYBRID_TS "\",\"collectionBackups\":"
    "[{\"dbName\":\"\",\"collectionName\":\"docs\",\"size\":\"1000\"},{\"dbName\":\"db2\","
    "\"collectionName\":\"logs\",\"size\":\"24\"}],\"size\":\"1024\",\"milvusVersion\":"
    "\"v2.5.4\"}}";

/* Older servers sent whole CollectionBackupInfo records, rows included. */
static const char get_ok_old_full[] =
    "{\"requestId\":\"r-2\",\"data\":{\"id\":\"t\",\"state_code\":2,\"progress\":100,"
    "\"name\":\"old_1\",\"collection_backups\":[{\"db_name\":\"default\",\"collection_name\":"
    "\"docs\",\"partition_backups\":[{\"partition_id\":1,\"segment_backups\":[{\"segment_id\":"
    "11,\"num_of_rows\":700},{\"segment_id\":12,\"num_of_rows\":300}]},{\"partition_id\":2,"
    "\"segment_backups\":[]}]}],\"size\":5}}";

/* Unknown name: 0.5.10+ empty brief; 0.5.0-0.5.9 code 404; 0.6 code 3. */
static const char get_empty_05[] =
    "{\"requestId\":\"r-3\",\"data\":{\"state_code\":0,\"progress\":0,\"size\":0,\"meta_size\":0}}";
static const char get_404_05early[] =
    "{\"requestId\":\"r-4\",\"code\":404,\"msg\":\"not found\",\"data\":null}";
static const char get_3_06[] =
    "{\"requestId\":\"r-5\",\"code\":3,\"msg\":\"server: backup nightly_9 not found\","
    "\"data\":null}";

/* 0.6: a backup known only from storage reads as initial, no id, no times. */
static const char get_stored_06[] =
    "{\"requestId\":\"r-6\",\"data\":{\"state_code\":0,\"progress\":0,\"name\":\"nightly_1\","
    "\"backup_timestamp\":" HYBRID_TS ",\"size\":1024,\"milvus_version\":\"v2.6.1\","
    "\"meta_size\":80,\"format\":\"\",\"collection_backups\":[{\"db_name\":\"default\","
    "\"collection_name\":\"docs\",\"size\":1024,\"has_index\":true}]}}";

/* 0.6 snapshot format on Milvus 3.0. */
static const char get_snapshot_06[] =
    "{\"requestId\":\"r-7\",\"data\":{\"id\":\"t-7\",\"state_code\":2,\"start_time\":1766000000,"
    "\"end_time\":1766000009,\"progress\":100,\"name\":\"snap_1\",\"backup_timestamp\":"
    HYBRID_TS ",\"size\":4096,\"milvus_version\":\"v3.0.1\",\"meta_size\":90,\"format\":"
    "\"snapshot\",\"collection_backups\":[{\"db_name\":\"default\",\"collection_name\":"
    "\"docs\",\"size\":4096,\"has_index\":true}]}}";

/* A running task polled by id: progress 100 before SUCCESS, Go zero end. */
static const char task_running[] =
    "{\"requestId\":\"r-8\",\"data\":{\"id\":\"c0ffee-2\",\"state_code\":1,\"start_time\":"
    "1766000000,\"end_time\":" GO_ZERO ",\"progress\":100,\"name\":\"nightly_2\",\"size\":0,"
    "\"meta_size\":0}}";
static const char task_lost[] =
    "{\"requestId\":\"r-9\",\"code\":3,\"msg\":\"task not found\",\"data\":null}";

/* create: async (id = request_id), sync (no data, no requestId), 503, reuse. */
static const char create_async[] =
    "{\"requestId\":\"c0ffee-3\",\"data\":{\"id\":\"c0ffee-3\",\"state_code\":0,\"start_time\":"
    "1766000000,\"end_time\":" GO_ZERO ",\"progress\":1,\"name\":\"nightly_3\",\"size\":0,"
    "\"meta_size\":0}}";
static const char create_sync[] = "{\"data\":null}";
/* The 503 and 400 texts and the "(...)" of the reuse message are not quoted
 * by the contract: only the codes and the prefixes are. */
static const char create_503[] =
    "{\"requestId\":\"c0ffee-4\",\"code\":503,\"msg\":\"storage not ready: list source bucket: "
    "context deadline exceeded\",\"data\":null}";
static const char create_taken[] =
    "{\"requestId\":\"c0ffee-5\",\"code\":3,\"msg\":\"backup: add backup task to manager: "
    "nightly_1 (task already exists)\",\"data\":null}";
static const char bad_json_400[] =
    "{\"error\":\"invalid character '}' looking for beginning of object key string\"}";

/* restore */
static const char restore_running[] =
    "{\"requestId\":\"rs-1\",\"data\":{\"id\":\"rs-1\",\"state_code\":1,\"start_time\":"
    "1766000100,\"end_time\":" GO_ZERO ",\"progress\":100,\"collection_restore_tasks\":[{"
    "\"state_code\":2,\"start_time\":1766000100,\"end_time\":1766000160,\"progress\":100,"
    "\"target_db_name\":\"default\",\"target_collection_name\":\"docs_r\"},{\"state_code\":1,"
    "\"errorMessage\":\"\",\"start_time\":1766000100,\"end_time\":" GO_ZERO ",\"progress\":70,"
    "\"target_db_name\":\"db2\",\"target_collection_name\":\"logs_r\"}]}}";
static const char restore_missing_05[] =
    "{\"code\":400,\"msg\":\"backup nightly_9 not found\",\"data\":null}";
static const char restore_missing_06[] =
    "{\"code\":400,\"msg\":\"app: backup nightly_9: backup not found\",\"data\":null}";
static const char restore_failed[] =
    "{\"requestId\":\"rs-2\",\"data\":{\"id\":\"rs-2\",\"state_code\":3,\"errorMessage\":"
    "\"import failed: no binlog\",\"start_time\":1766000100,\"end_time\":1766000130,"
    "\"progress\":40,\"collection_restore_tasks\":[]}}";

/* list and delete */
static const char list_two[] =
    "{\"requestId\":\"l-1\",\"data\":[{\"id\":\"a\",\"name\":\"nightly_1\",\"size\":1024,"
    "\"milvus_version\":\"v2.5.4\"},{\"id\":\"b\",\"size\":3},{\"name\":\"nightly_2\","
    "\"size\":0}]}";
static const char list_empty[] = "{\"requestId\":\"l-2\",\"data\":[]}";
static const char delete_ok[] = "{\"requestId\":\"d-1\"}";
/* Code 3 is the contract's; the text is not quoted there. */
static const char delete_missing[] =
    "{\"requestId\":\"d-2\",\"code\":3,\"msg\":\"backup nightly_9 not found\"}";

#endif
