#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A drop on 2.6 deletes the collection's grants (milvus.md §6.0), so the
# predrop backup takes RBAC ("rbac": true) and the printed undo restores it
# (--rbac): checked with curl, the grant of role reader on default.images is
# gone after the drop and back after the undo, with every row; a second
# restore with RBAC of the same backup leaves out what exists (milvus-backup's
# restoreRBAC filter) instead of failing on the existing role and grant.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.136.0.0/24
M=$MILVUSADM

lab_up drb 127.136.0.0/24 --milvus 2.6 --ttl 10
member() {	# member ROLE...: the address of the first member with one of these roles
	"$M" lab status --name drb -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] in sys.argv[1:]][0])' "$@"
}
REST=http://$(member proxy standalone):19530/v2/vectordb
BK=http://$(member backup):8080/api/v1

rest() { curl -s -m 10 -XPOST "$REST/$1" -H 'Content-Type: application/json' -d "$2"; }
count() { rest entities/query "{\"collectionName\":\"$1\",\"outputFields\":[\"count(*)\"]}" |
	python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["data"][0]["count(*)"] if d.get("code", 0) == 0 else "")'; }
has() { rest collections/has "{\"collectionName\":\"$1\"}" | python3 -c 'import json,sys
print("yes" if json.load(sys.stdin)["data"]["has"] else "no")'; }
# The grants of role reader, one "type db.obj privilege grantor" per line.
grants() { rest roles/describe '{"roleName":"reader"}' | python3 -c 'import json,sys
d = json.load(sys.stdin)
assert d.get("code", 0) == 0, d
for g in d["data"]: print(g["objectType"], g["dbName"] + "." + g["objectName"], g["privilege"], g["grantor"])'; }
GRANT="Collection default.images Query root"

# images is one of the collections lab up makes, with rows.
rows=$(count images)
echo "# images: $rows rows"
e2e_check "images (made by lab up) has rows (count by curl)" [ "${rows:-0}" -gt 0 ]
OK='{"code":0,"data":{}}'
e2e_check "role reader with Query on default.images (curl)" eval "[ \"\$(rest roles/create '{\"roleName\":\"reader\"}')\" = '$OK' ] &&
	[ \"\$(rest roles/grant_privilege '{\"roleName\":\"reader\",\"objectType\":\"Collection\",\"objectName\":\"images\",\"privilege\":\"Query\",\"dbName\":\"default\"}')\" = '$OK' ] &&
	[ \"\$(grants)\" = '$GRANT' ]"

"$M" drop collection images --confirm default.images -o json >"$E2E_TMP/d.out" 2>"$E2E_TMP/d.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/d.err" | tail -3
tail -1 "$E2E_TMP/d.out" >"$E2E_TMP/d.json"
pd=$(e2e_json "$E2E_TMP/d.json" 'd["backup"]')
undo=$(e2e_json "$E2E_TMP/d.json" 'd["undo"]')
echo "# backup $pd; undo: $undo"
e2e_check "drop --confirm: exit 0, images gone, and on 2.6 its grant with it" \
	[ "$rc" = 0 -a "$(has images)" = no -a -z "$(grants)" ]
meta=$(find "$(e2e_lab_dir drb)/minio" -path "*/$pd/meta/backup_meta.json" | head -1)
e2e_check "the predrop backup's meta records role reader and its grant (rbac_meta)" python3 - "$meta" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["rbac_meta"]
assert r["roles"] == [{"name": "reader"}], r
assert r["grants"] == [{"role": {"name": "reader"}, "object": {"name": "Collection"},
    "object_name": "images", "grantor": {"user": {"name": "root"}, "privilege": {"name": "Query"}},
    "db_name": "default"}], r
assert "users" not in r, r	# root is never backed up
PY
case $undo in *--rbac*) ok=yes ;; *) ok=no ;; esac
e2e_check "the printed undo restores RBAC" [ "$ok" = yes ]

${undo/milvusadm/$M} >/dev/null 2>"$E2E_TMP/u.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/u.err" | tail -3
e2e_check "after the printed undo the rows are back (count by curl)" \
	eval "[ $rc = 0 ] && e2e_wait 10 eval '[ \"\$(count images)\" = $rows ]'"
e2e_check "after the printed undo the grant is back (roles/describe by curl)" [ "$(grants)" = "$GRANT" ]

# The same backup again, with RBAC, into images_2: role and grant exist now.
curl -s -m 60 -XPOST "$BK/restore" -H 'Content-Type: application/json' -d "{\"backup_name\":\"$pd\",
 \"id\":\"again-1\",\"collection_suffix\":\"_2\",\"rbac\":true}" >"$E2E_TMP/r2.json"
echo "# $(head -c 300 "$E2E_TMP/r2.json")"
e2e_check "a second restore with rbac of the same backup succeeds (code 0, state 2)" \
	[ "$(e2e_json "$E2E_TMP/r2.json" 'd.get("code", 0) == 0 and d["data"]["state_code"] == 2')" = yes ]
e2e_check "... brings images_2 with its rows, the grant unchanged, reader once" eval \
	"e2e_wait 10 eval '[ \"\$(count images_2)\" = $rows ]' && [ \"\$(grants)\" = '$GRANT' ] &&
	[ \"\$(rest roles/list '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"data\"].count(\"reader\"))')\" = 1 ]"
e2e_done
