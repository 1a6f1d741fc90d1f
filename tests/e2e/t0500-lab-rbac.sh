#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's proxies play Milvus's RBAC, database properties and drop guards per
# version (contract §5.3, §5.5, §6): roles and grants (v1, and v2 with the
# built-in privilege groups on 2.5+) as roles/describe shows them; a dropped
# collection's grants gone on 2.6 and kept on 2.5; database.force.deny.*
# refusing collection DDL in its database one QuotaCenter interval (3 s) after
# it is set, and allowing it as long after it is unset; the alias guard of 2.5.
# Two small labs in sequence (standalone, one etcd). curl only.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.117.0.0/24

OK='{"code":0,"data":{}}'
# REST v2 answers a limiter refusal with 1807 and the limiter's (quota) error.
DENIED='{"code":1807,"message":"request is rejected by limiter, error: quota exceeded[reason=access has been disabled by the administrator]"}'

proxy_ip() {	# proxy_ip LAB: the standalone's address
	"$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"]
       if m["role"] in ("proxy","standalone")][0])'
}
post() {	# post PATH BODY: the answer on stdout and in $E2E_TMP/r
	curl -s -o "$E2E_TMP/r" -X POST "$P/$1" -H 'Content-Type: application/json' -d "$2"
	cat "$E2E_TMP/r"
}
is() { [ "$(post "$1" "$2")" = "$3" ]; }
g() {	# g DB OBJ TYPE PRIVILEGE: one entry of roles/describe
	printf '{"dbName":"%s","grantor":"root","objectName":"%s","objectType":"%s","privilege":"%s"}' \
		"$1" "$2" "$3" "$4"
}
jq_() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
r = eval(sys.argv[2])
print(r if not isinstance(r, bool) else ("yes" if r else "no"))' "$E2E_TMP/r" "$1"; }

# force_deny KEY DB: the key refuses collection DDL in DB from QuotaCenter's
# next pass on, and no longer one pass after it is set to false.
force_deny() {
	local key=$1 db=$2 t0 t1
	e2e_check "$db: database and collection" eval "is databases/create '{\"dbName\":\"$db\"}' '$OK' &&
		is collections/create '{\"dbName\":\"$db\",\"collectionName\":\"c\",\"dimension\":4}' '$OK'"
	t0=$(now_ms)
	e2e_check "$db: alter $key=true" is databases/alter \
		"{\"dbName\":\"$db\",\"properties\":{\"$key\":true}}" "$OK"
	post collections/release "{\"dbName\":\"$db\",\"collectionName\":\"c\"}" >"$E2E_TMP/first"
	t1=$(now_ms)
	echo "# release $((t1 - t0)) ms after the alter: $(cat "$E2E_TMP/first")"
	if [ $((t1 - t0)) -lt 2000 ]; then
		e2e_check "$db: not yet refused right after the alter (QuotaCenter's interval)" \
			[ "$(cat "$E2E_TMP/first")" = "$OK" ]
	fi
	e2e_check "$db: refused within 3 s + 2 s (release polled)" e2e_wait_ms 5000 \
		is collections/release "{\"dbName\":\"$db\",\"collectionName\":\"c\"}" "$DENIED"
	echo "# refused $(( $(now_ms) - t0 )) ms after the alter"
	e2e_check "$db: collections/drop refused: 1807, the quota message" \
		is collections/drop "{\"dbName\":\"$db\",\"collectionName\":\"c\"}" "$DENIED"
	e2e_check "$db: collections/create refused" is collections/create \
		"{\"dbName\":\"$db\",\"collectionName\":\"c2\",\"dimension\":4}" "$DENIED"
	e2e_check "$db: the collection is still there" is collections/has \
		"{\"dbName\":\"$db\",\"collectionName\":\"c\"}" '{"code":0,"data":{"has":true}}'
	e2e_check "$db: describe shows the property" eval "post databases/describe '{\"dbName\":\"$db\"}' |
		grep -qF '{\"key\":\"$key\",\"value\":\"true\"}'"
	e2e_check "$db: collections in default are not refused" is collections/release \
		'{"collectionName":"archive"}' "$OK"
	t0=$(now_ms)
	e2e_check "$db: alter $key=false" is databases/alter \
		"{\"dbName\":\"$db\",\"properties\":{\"$key\":false}}" "$OK"
	e2e_check "$db: allowed again within 3 s + 2 s (release polled)" e2e_wait_ms 5000 \
		is collections/release "{\"dbName\":\"$db\",\"collectionName\":\"c\"}" "$OK"
	echo "# allowed $(( $(now_ms) - t0 )) ms after the alter"
	e2e_check "$db: collections/drop works again" is collections/drop \
		"{\"dbName\":\"$db\",\"collectionName\":\"c\"}" "$OK"
	e2e_check "$db: dropped" is collections/has "{\"dbName\":\"$db\",\"collectionName\":\"c\"}" \
		'{"code":0,"data":{"has":false}}'
}

# ---- 2.6 ----
lab_up rbac26 "$E2E_SUBNET" --milvus 2.6 --standalone --etcd 1 --no-backup
P=http://$(proxy_ip rbac26):19530/v2/vectordb

e2e_check "2.6: built-in roles" is roles/list '{}' '{"code":0,"data":["admin","public"]}'
e2e_check "2.6: user root" is users/list '{}' '{"code":0,"data":["root"]}'
e2e_check "2.6: public's default grants, on every database" is roles/describe '{"roleName":"public"}' \
	"{\"code\":0,\"data\":[$(g '*' '*' Collection IndexDetail),$(g '*' '*' Global DescribeCollection),$(g '*' '*' Global ShowCollections)]}"
e2e_check "2.6: create role ops" is roles/create '{"roleName":"ops"}' "$OK"
e2e_check "2.6: create collection t1" is collections/create '{"collectionName":"t1","dimension":4}' "$OK"
e2e_check "2.6: grant Load on t1 (v1, Collection)" is roles/grant_privilege \
	'{"roleName":"ops","objectType":"Collection","objectName":"t1","privilege":"Load"}' "$OK"
e2e_check "2.6: grant DropCollection on t1 (v1, Global)" is roles/grant_privilege \
	'{"roleName":"ops","objectType":"Global","objectName":"t1","privilege":"DropCollection"}' "$OK"
e2e_check "2.6: grant DropCollection on t1 (v2)" is roles/grant_privilege_v2 \
	'{"roleName":"ops","privilege":"DropCollection","dbName":"default","collectionName":"t1"}' "$OK"
e2e_check "2.6: grant DatabaseAdmin on default (v2)" is roles/grant_privilege_v2 \
	'{"roleName":"ops","privilege":"DatabaseAdmin","dbName":"default","collectionName":"*"}' "$OK"
e2e_check "2.6: describe: v1 Global grants land on *, v2 keeps the collection" is roles/describe \
	'{"roleName":"ops"}' "{\"code\":0,\"data\":[$(g default t1 Collection Load),$(g default '*' Global DropCollection),$(g default '*' Global DatabaseAdmin),$(g default t1 Global DropCollection)]}"
e2e_check "2.6: DatabaseAdmin with a collection name: 1100" is roles/grant_privilege_v2 \
	'{"roleName":"ops","privilege":"DatabaseAdmin","dbName":"default","collectionName":"t1"}' \
	'{"code":1100,"message":"collectionName should be * for the database level privilege: DatabaseAdmin: invalid parameter"}'
groups_ok() {	# DatabaseAdmin's privileges hold DropCollection; ClusterAdmin's do not
	post privilege_groups/list '{}' >/dev/null &&
	[ "$(jq_ '{g["privilegeGroupName"]: g["privileges"].split(",") for g in d["data"]["privilegeGroups"]}')" != "" ] &&
	[ "$(jq_ '[("DropCollection" in g["privileges"].split(",")) for g in d["data"]["privilegeGroups"] if g["privilegeGroupName"] in ("DatabaseAdmin", "ClusterAdmin", "CollectionAdmin")]')" = "[False, True, False]" ]
}
e2e_check "2.6: DatabaseAdmin holds DropCollection, ClusterAdmin and CollectionAdmin do not" groups_ok
e2e_check "2.6: user alice with role ops" eval "is users/create '{\"userName\":\"alice\",\"password\":\"secret12\"}' '$OK' &&
	is users/grant_role '{\"userName\":\"alice\",\"roleName\":\"ops\"}' '$OK' &&
	is users/describe '{\"userName\":\"alice\"}' '{\"code\":0,\"data\":[\"ops\"]}'"
e2e_check "2.6: drop t1" is collections/drop '{"collectionName":"t1"}' "$OK"
e2e_check "2.6: the drop deleted t1's grants, the others stay" is roles/describe '{"roleName":"ops"}' \
	"{\"code\":0,\"data\":[$(g default '*' Global DropCollection),$(g default '*' Global DatabaseAdmin)]}"
force_deny database.force.deny.collectionDDL fd26
lab_down rbac26

# ---- 2.5 ----
lab_up rbac25 "$E2E_SUBNET" --milvus 2.5 --standalone --etcd 1 --no-backup
P=http://$(proxy_ip rbac25):19530/v2/vectordb

e2e_check "2.5: create role ops, collection t2" eval "is roles/create '{\"roleName\":\"ops\"}' '$OK' &&
	is collections/create '{\"collectionName\":\"t2\",\"dimension\":4}' '$OK'"
e2e_check "2.5: grant Load on t2 (v1) and DatabaseAdmin (v2)" eval "is roles/grant_privilege '{\"roleName\":\"ops\",\"objectType\":\"Collection\",\"objectName\":\"t2\",\"privilege\":\"Load\"}' '$OK' &&
	is roles/grant_privilege_v2 '{\"roleName\":\"ops\",\"privilege\":\"DatabaseAdmin\",\"dbName\":\"default\",\"collectionName\":\"*\"}' '$OK'"
e2e_check "2.5: describe shows both" is roles/describe '{"roleName":"ops"}' \
	"{\"code\":0,\"data\":[$(g default t2 Collection Load),$(g default '*' Global DatabaseAdmin)]}"
e2e_check "2.5: drop t2" is collections/drop '{"collectionName":"t2"}' "$OK"
e2e_check "2.5: the grant on t2 stays after its drop" is roles/describe '{"roleName":"ops"}' \
	"{\"code\":0,\"data\":[$(g default t2 Collection Load),$(g default '*' Global DatabaseAdmin)]}"
e2e_check "2.5: collection t3 with alias t3_a" eval "is collections/create '{\"collectionName\":\"t3\",\"dimension\":4}' '$OK' &&
	is aliases/create '{\"collectionName\":\"t3\",\"aliasName\":\"t3_a\"}' '$OK'"
e2e_check "2.5: the alias blocks the drop (65535, the message)" is collections/drop \
	'{"collectionName":"t3"}' \
	'{"code":65535,"message":"unable to drop the collection [t3] because it has associated aliases [t3_a], please remove all aliases before dropping the collection"}'
e2e_check "2.5: t3 is still there" is collections/has '{"collectionName":"t3"}' '{"code":0,"data":{"has":true}}'
e2e_check "2.5: without the alias, the drop works" eval "is aliases/drop '{\"aliasName\":\"t3_a\"}' '$OK' &&
	is collections/drop '{\"collectionName\":\"t3\"}' '$OK'"
force_deny database.force.deny.ddl fd25
lab_down rbac25
e2e_done
