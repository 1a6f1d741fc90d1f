#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab behaves like Milvus on its proxies (contract §4.5, §5, §7): REST v2
# envelopes and codes, the sample data of `lab up`, the catalog in etcd under
# Milvus's keys surviving `lab down`/`lab up`, replica groups on distinct
# querynodes, and a killed querynode's work moving within TTL + 3 s.
# Checked with curl and etcdctl only.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.83.10.0/24
ep=http://127.83.10.2:2379
TTL=6
lab_up rest25 "$E2E_SUBNET" --milvus 2.5 --ttl $TTL --backoff 60s

proxy_ip() {	# proxy_ip LAB: the first proxy's (or standalone's) address
	"$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"]
       if m["role"] in ("proxy","standalone")][0])'
}
pip=$(proxy_ip rest25)
P=http://$pip:19530/v2/vectordb
post() {	# post PATH [BODY] [curl args]: the answer in $E2E_TMP/r
	local path=$1 body=${2-}
	shift 2 2>/dev/null || shift
	if [ -n "$body" ]; then
		curl -s -o "$E2E_TMP/r" -w '%{http_code}' -X POST "$P/$path" \
			-H 'Content-Type: application/json' -d "$body" "$@"
	else
		curl -s -o "$E2E_TMP/r" -w '%{http_code}' -X POST "$P/$path" "$@"
	fi >"$E2E_TMP/status"
	cat "$E2E_TMP/r"
}
is() { [ "$(post "$1" "$2")" = "$3" ]; }
jq_() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
r = eval(sys.argv[2])
print(r if not isinstance(r, bool) else ("yes" if r else "no"))' "$E2E_TMP/r" "$1"; }

# ---- envelopes and codes (§5.1) ----
e2e_check "empty body: code 1801" is collections/list "" \
	'{"code":1801,"message":"can only accept json format request, the request body should be nil, however {} is valid"}'
e2e_check "missing collectionName: code 1802" is collections/describe '{}' \
	"{\"code\":1802,\"message\":\"missing required parameters, error: Key: 'CollectionNameReq.CollectionName' Error:Field validation for 'CollectionName' failed on the 'required' tag\"}"
e2e_check "unknown collection: code 100 and the contract's message" \
	is collections/describe '{"collectionName":"nope"}' \
	'{"code":100,"message":"collection not found[collection=nope]"}'
e2e_check "get_load_state of an unknown collection: code 100" \
	is collections/get_load_state '{"collectionName":"nope"}' \
	'{"code":100,"message":"collection not found[collection=nope]"}'
e2e_check "unknown database: code 800" is collections/list '{"dbName":"nope"}' \
	'{"code":800,"message":"database not found[database=nope]"}'
e2e_check "a GET is not a route (gin 404)" \
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$P/collections/list")" = 404 ]

# ---- the sample data of lab up ----
e2e_check "collections/list in default" is collections/list '{}' \
	'{"code":0,"data":["docs","images","archive"]}'
e2e_check "databases/list has analytics" is databases/list '{}' \
	'{"code":0,"data":["default","analytics"]}'
e2e_check "dbName from the DB-Name header" \
	eval "[ \"\$(post collections/list '{}' -H 'DB-Name: analytics')\" = '{\"code\":0,\"data\":[\"events\"]}' ]"
e2e_check "has docs" is collections/has '{"collectionName":"docs"}' '{"code":0,"data":{"has":true}}'
post collections/describe '{"collectionName":"docs"}' >/dev/null
docs_id=$(grep -o '"collectionID":[0-9]*' "$E2E_TMP/r" | cut -d: -f2)
echo "# docs is $docs_id"
e2e_check "collectionID is a bare int64 above 2^53" [ "${docs_id:-0}" -gt 9007199254740992 ]
e2e_check "describe: loaded, alias docs_current, message \"\"" \
	eval "[ \"\$(jq_ 'd[\"code\"]==0 and d[\"data\"][\"load\"]==\"LoadStateLoaded\" and d[\"data\"][\"aliases\"]==[\"docs_current\"] and d[\"message\"]==\"\"')\" = yes ]"
e2e_check "docs get_stats rowCount 1000" is collections/get_stats '{"collectionName":"docs"}' \
	'{"code":0,"data":{"rowCount":1000}}'
e2e_check "docs Loaded 100" is collections/get_load_state '{"collectionName":"docs"}' \
	'{"code":0,"data":{"loadProgress":100,"loadState":"LoadStateLoaded","message":""}}'
e2e_check "docs count(*) 1000" is entities/query \
	'{"collectionName":"docs","filter":"","outputFields":["count(*)"]}' \
	'{"code":0,"data":[{"count(*)":1000}]}'
e2e_check "images count(*) 500" is entities/query \
	'{"collectionName":"images","outputFields":["count(*)"]}' '{"code":0,"data":[{"count(*)":500}]}'
e2e_check "archive is not loaded" is collections/get_load_state '{"collectionName":"archive"}' \
	'{"code":0,"data":{"loadState":"LoadStateNotLoad"}}'
e2e_check "archive query: code 101" is entities/query \
	'{"collectionName":"archive","outputFields":["count(*)"]}' \
	'{"code":101,"message":"collection not loaded[collection=archive]"}'
e2e_check "archive rowCount 200" is collections/get_stats '{"collectionName":"archive"}' \
	'{"code":0,"data":{"rowCount":200}}'
e2e_check "aliases/describe docs_current" is aliases/describe '{"aliasName":"docs_current"}' \
	'{"code":0,"data":{"aliasName":"docs_current","collectionName":"docs","dbName":"default"}}'

# ---- writes ----
e2e_check "create (schema form)" is collections/create \
	'{"collectionName":"t1","schema":{"fields":[{"fieldName":"pk","dataType":"Int64","isPrimary":true},{"fieldName":"v","dataType":"FloatVector","elementTypeParams":{"dim":"4"}}]}}' \
	'{"code":0,"data":{}}'
e2e_check "describe stores the fields" \
	eval "post collections/describe '{\"collectionName\":\"t1\"}' | grep -q '\"name\":\"v\",\"nullable\":false,\"params\":\\[{\"key\":\"dim\",\"value\":\"4\"}\\]'"
e2e_check "insert 3 rows" is entities/insert \
	'{"collectionName":"t1","data":[{"pk":1,"v":[1,2,3,4]},{"pk":2,"v":[1,2,3,4]},{"pk":3,"v":[1,2,3,4]}]}' \
	'{"code":0,"data":{"insertCount":3,"insertIds":[1,2,3]}}'
e2e_check "load" is collections/load '{"collectionName":"t1"}' '{"code":0,"data":{}}'
e2e_check "load state goes Loaded" e2e_wait 5 is collections/get_load_state \
	'{"collectionName":"t1"}' '{"code":0,"data":{"loadProgress":100,"loadState":"LoadStateLoaded","message":""}}'
e2e_check "alias create" is aliases/create '{"collectionName":"t1","aliasName":"a1"}' '{"code":0,"data":{}}'
e2e_check "alias create twice: 1602" eval "post aliases/create '{\"collectionName\":\"t1\",\"aliasName\":\"a1\"}' | grep -q '\"code\":1602'"
e2e_check "alias alter to docs" is aliases/alter '{"collectionName":"docs","aliasName":"a1"}' '{"code":0,"data":{}}'
e2e_check "aliases/list" is aliases/list '{}' '{"code":0,"data":["a1","docs_current"]}'
e2e_check "alias drop" is aliases/drop '{"aliasName":"a1"}' '{"code":0,"data":{}}'
e2e_check "release" is collections/release '{"collectionName":"t1"}' '{"code":0,"data":{}}'
e2e_check "drop" is collections/drop '{"collectionName":"t1"}' '{"code":0,"data":{}}'
e2e_check "dropped: has false" is collections/has '{"collectionName":"t1"}' '{"code":0,"data":{"has":false}}'
e2e_check "database create" is databases/create '{"dbName":"tmpdb"}' '{"code":0,"data":{}}'
e2e_check "database describe" eval "post databases/describe '{\"dbName\":\"tmpdb\"}' | grep -q '\"dbName\":\"tmpdb\"'"
e2e_check "database drop" is databases/drop '{"dbName":"tmpdb"}' '{"code":0,"data":{}}'

# ---- the catalog is in etcd under Milvus's keys ----
keys() { etcdctl_ "$ep" get --prefix --keys-only "by-dev/meta/$1" | grep -c . || true; }
e2e_check "etcd: 3 collection-info keys in db 1" [ "$(keys root-coord/database/collection-info/1/)" = 3 ]
e2e_check "etcd: 2 querycoord-replica keys for docs" [ "$(keys "querycoord-replica/$docs_id/")" = 2 ]
e2e_check "etcd: a load info for docs" [ "$(keys "querycoord-collection-loadinfo/$docs_id")" = 1 ]

# ---- replicas on 9091 ----
m=http://$pip:9091/api/v1
e2e_check "/api/v1/health" [ "$(curl -s "$m/health")" = '{"status":"ok"}' ]
curl -s -X GET "$m/replicas" -d "{\"collectionID\":$docs_id,\"with_shard_nodes\":true}" >"$E2E_TMP/r"
{ cat "$E2E_TMP/r"; echo; } | sed 's/^/# /'
e2e_check "/api/v1/replicas: 2 groups on distinct nodes, a shard leader each" \
	eval "[ \"\$(jq_ 'len(d[\"replicas\"])==2 and not set(d[\"replicas\"][0][\"node_ids\"]) & set(d[\"replicas\"][1][\"node_ids\"]) and all(s[\"leaderID\"] in r[\"node_ids\"] for r in d[\"replicas\"] for s in r[\"shard_replicas\"])')\" = yes ]"
e2e_check "/api/v1/replicas by name, with int64 numbers" \
	eval "curl -s -X GET $m/replicas -d '{\"collection_name\":\"docs\",\"db_name\":\"default\"}' | grep -q '\"collectionID\":$docs_id,'"
curl -s "$m/_qc/replica" >"$E2E_TMP/r"
e2e_check "/_qc/replica: IDs as strings, 6 replicas (docs 2, images 2, events 2)" \
	eval "[ \"\$(jq_ 'len(d)==6 and all(isinstance(r[\"ID\"], str) for r in d)')\" = yes ]"

# ---- a querynode dies: its work moves within TTL + 3 s ----
victim=$(jq_ '[r for r in d if r["collectionID"]=="'"$docs_id"'"][0]["rw_nodes"][0]')
vip=$(session_json "$ep" "querynode-$victim" | python3 -c 'import json,sys
print(json.load(sys.stdin)["Address"].split(":")[0])')
vmember=$("$MILVUSADM" lab status --name rest25 -o json | python3 -c 'import json,sys
print([m["name"] for m in json.load(sys.stdin)["members"] if m["address"]==sys.argv[1]][0])' "$vip")
echo "# killing $vmember (querynode $victim)"
"$MILVUSADM" lab kill --name rest25 "$vmember" >/dev/null
not_listed() {
	curl -s "$m/_qc/replica" >"$E2E_TMP/r" &&
	[ "$(jq_ 'not any('"$victim"' in r.get("rw_nodes",[]) + r.get("ro_nodes",[]) for r in d)')" = yes ]
}
e2e_check "querynode $victim leaves every replica within TTL + 3 s" e2e_wait $((TTL + 3)) not_listed
e2e_check "docs keeps 2 groups, each still served" \
	eval "[ \"\$(jq_ 'all(len(r.get(\"rw_nodes\",[]))>=1 for r in d if r[\"collectionID\"]==\"$docs_id\")')\" = yes ]"

# ---- persistence across lab down / lab up ----
lab_down rest25
lab_up rest25 "$E2E_SUBNET" --milvus 2.5 --ttl $TTL --backoff 60s
e2e_check "after down/up: same collections" is collections/list '{}' \
	'{"code":0,"data":["docs","images","archive"]}'
e2e_check "after down/up: same collectionID and rows" \
	eval "post collections/describe '{\"collectionName\":\"docs\"}' | grep -q '\"collectionID\":$docs_id,' && [ \"\$(post collections/get_stats '{\"collectionName\":\"docs\"}')\" = '{\"code\":0,\"data\":{\"rowCount\":1000}}' ]"
e2e_check "after down/up: no sample made twice" [ "$(keys root-coord/database/collection-info/1/)" = 3 ]
e2e_check "after down/up: docs served by 2 groups again" e2e_wait 5 eval \
	"curl -s -X GET $m/replicas -d '{\"collectionID\":$docs_id}' | python3 -c 'import json,sys
d=json.load(sys.stdin); assert len(d[\"replicas\"])==2 and all(r.get(\"node_ids\") for r in d[\"replicas\"])'"
lab_down rest25

# ---- 2.4 standalone: no databases/ routes, one replica each ----
lab_up rest24 127.83.11.0/24 --milvus 2.4 --standalone
pip=$(proxy_ip rest24)
P=http://$pip:19530/v2/vectordb
e2e_check "2.4: databases/list is not a route (404)" \
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$P/databases/list" -d '{}')" = 404 ]
e2e_check "2.4: only default's samples" is collections/list '{}' \
	'{"code":0,"data":["docs","images","archive"]}'
e2e_check "2.4 standalone: docs loaded with 1 replica" \
	eval "curl -s -X GET http://$pip:9091/api/v1/replicas -d '{\"collection_name\":\"docs\"}' | python3 -c 'import json,sys
assert len(json.load(sys.stdin)[\"replicas\"])==1'"
e2e_check "2.4: no /_qc/replica (2.5+)" \
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$pip:9091/api/v1/_qc/replica")" = 404 ]
lab_down rest24
e2e_done
