#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Verification and the restore drill against the lab's milvus-backup server:
# rows inserted → backup create --wait → the collection dropped through raw
# REST → restore --wait --verify, every level passing, with the row count and
# sampled rows checked against curl's answers and the rows this test wrote; a
# backup whose metadata does not add up and a restored copy with a row too
# many fail with their numbers (exit 1); restore drill latest measures RTO and
# RPO (RPO against the server's own backup timestamp), leaves no scratch
# collection (curl), saves a report that validates against its schema, and
# refuses to start when a scratch name exists (exit 3).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.115.0.0/24
M=$MILVUSADM

lab_up hvf 127.115.0.0/24 --milvus 2.5 --ttl 10
LAB=$(e2e_lab_dir hvf)
BK=http://127.115.0.8:8080/api/v1
proxy=$("$M" lab status --name hvf -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] == "proxy"][0])')
REST=http://$proxy:19530/v2/vectordb
BUCKET=$LAB/minio/a-bucket/backup
N=3000

rest() { curl -s -m 10 -XPOST "$REST/$1" -H 'Content-Type: application/json' -d "$2"; }
coll_id() {	# coll_id NAME: its collectionID in default, "" when it does not exist
	rest collections/describe "{\"collectionName\":\"$1\"}" | python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["data"]["collectionID"] if d.get("code", 0) == 0 else "")'
}
count_of() {	# count(*) by curl, "" on an error
	rest entities/query "{\"collectionName\":\"$1\",\"outputFields\":[\"count(*)\"]}" |
		python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["data"][0]["count(*)"] if d.get("code", 0) == 0 else "")'
}
names() { rest collections/list '{}' | python3 -c 'import json,sys
print(" ".join(sorted(json.load(sys.stdin)["data"])))'; }
# The rows this test writes, one generator for inserting and for checking.
gen_rows() {	# gen_rows FROM TO
	python3 - "$1" "$2" <<'PY'
import json, sys
a, b = int(sys.argv[1]), int(sys.argv[2])
rows = [{"id": i, "vec": [round(((i * 7 + k * 13) % 1000) / 1000.0, 3) for k in range(8)],
         "tag": "t%05d" % i, "shard": i % 7} for i in range(a, b)]
print(json.dumps({"collectionName": "rt", "data": rows}, separators=(",", ":")))
PY
}

rest collections/create '{"collectionName":"rt","schema":{"enableDynamicField":true,"fields":[
 {"fieldName":"id","dataType":"Int64","isPrimary":true},
 {"fieldName":"vec","dataType":"FloatVector","elementTypeParams":{"dim":"8"}},
 {"fieldName":"tag","dataType":"VarChar","elementTypeParams":{"max_length":"64"}}]},
 "indexParams":[{"fieldName":"vec","metricType":"L2","indexName":"vec"}]}' >/dev/null
ok=yes
for b in 0 1000 2000; do
	gen_rows $b $((b + 1000)) >"$E2E_TMP/ins.json"
	curl -s -m 10 -XPOST "$REST/entities/insert" -H 'Content-Type: application/json' \
		-d "@$E2E_TMP/ins.json" | grep -q '"insertCount":1000' || ok=no
done
e2e_check "$N rows inserted into rt, count(*) $N by curl" \
	e2e_wait 10 eval "[ $ok = yes -a \"\$(count_of rt)\" = $N ]"
e2e_check "lab up wrote backup.storage_path into the lab profile" \
	grep -q "storage_path: \"\\?$BUCKET" "$XDG_CONFIG_HOME/milvusadm/config.yaml"

# ---- the backup, with milvusadm's record of its source ----
"$M" backup create --collections default.rt --name rt_b1 --wait >/dev/null 2>"$E2E_TMP/c.err"
rc=$?
REC=$XDG_STATE_HOME/milvusadm/backups/lab-hvf/rt_b1.json
e2e_check "backup create --wait: exit 0 and a record of 100 sampled rows and $N rows" \
	[ "$rc" = 0 -a "$(e2e_json "$REC" '[(c["rows"], len(c["sample"])) for c in d["collections"]]')" = "[($N, 100)]" ]
"$M" backup verify rt_b1 -o json >"$E2E_TMP/v0.json"
rc=$?
e2e_check "backup verify rt_b1 (metadata only): exit 0, meta pass with the bucket's numbers" \
	python3 - "$E2E_TMP/v0.json" "$rc" "$BUCKET/rt_b1/meta/full_meta.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[2]); full = json.load(open(sys.argv[3]))
assert rc == 0 and d["result"] == "pass", (rc, d)
row = d["collections"][0]
assert row["collection"] == "default.rt" and row["meta"] == "pass", row
assert row["rows"] == "skipped" and row["target"] is None, row
size = full["collection_backups"][0]["size"]
assert row["meta_expected"] == size and size > 0, (row, size)
assert d["backup"]["meta"] == "pass" and str(full["size"]) in d["backup"]["detail"], d["backup"]
PY

# A copy whose metadata does not add up: 0.6 reads backups from storage.
cp -r "$BUCKET/rt_b1" "$BUCKET/rt_bad"
python3 - "$BUCKET/rt_bad/meta" <<'PY'
import json, os, sys
d = sys.argv[1]
for f in os.listdir(d):
    p = os.path.join(d, f); t = open(p).read().replace('"rt_b1"', '"rt_bad"'); open(p, "w").write(t)
full = json.load(open(os.path.join(d, "full_meta.json")))
full["collection_backups"][0]["partition_backups"][0]["segment_backups"][0]["size"] += 5
json.dump(full, open(os.path.join(d, "full_meta.json"), "w"))
PY
"$M" backup verify rt_bad -o json >"$E2E_TMP/vbad.json" 2>"$E2E_TMP/vbad.err"
rc=$?
e2e_check "a backup whose segments do not add up: exit 1, meta fail, 5 bytes apart" \
	python3 - "$E2E_TMP/vbad.json" "$rc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[2])
row = d["collections"][0]
assert rc == 1 and d["result"] == "fail" and row["meta"] == "fail", (rc, row)
assert row["meta_actual"] - row["meta_expected"] == 5, row
PY
e2e_check "its error line says verification failed" grep -q "rt_bad: verification failed" "$E2E_TMP/vbad.err"

# ---- the round trip: drop through raw REST, restore --verify ----
id0=$(coll_id rt)
rest collections/drop '{"collectionName":"rt"}' >/dev/null
e2e_check "rt dropped through raw REST" [ -n "$id0" -a -z "$(coll_id rt)" ]
"$M" restore rt_b1 --wait --verify -o json >"$E2E_TMP/r.out" 2>"$E2E_TMP/r.err"
rc=$?
tail -1 "$E2E_TMP/r.out" >"$E2E_TMP/r.json"
sed 's/^/# /' "$E2E_TMP/r.err"
e2e_check "restore --wait --verify: exit 0, every level passes" \
	[ "$rc" = 0 -a "$(e2e_json "$E2E_TMP/r.json" '[(c["meta"], c["rows"], c["sample"]) for c in d["verify"]["collections"]]')" = "[('pass', 'pass', 'pass')]" ]
e2e_check "rows: $N expected and restored, as curl counts" \
	[ "$(e2e_json "$E2E_TMP/r.json" '[(c["rows_expected"], c["rows_actual"]) for c in d["verify"]["collections"]]')" = "[($N, $N)]" -a "$(count_of rt)" = $N ]
e2e_check "sample: 100 of 100 rows match" \
	[ "$(e2e_json "$E2E_TMP/r.json" '[(c["sample_expected"], c["sample_actual"]) for c in d["verify"]["collections"]]')" = "[(100, 100)]" ]
# Ground truth for the sampled keys: curl reads them back and they are the rows written.
keys=$(e2e_json "$REC" '",".join(k for k, h in d["collections"][0]["sample"])')
rest entities/query "{\"collectionName\":\"rt\",\"filter\":\"id in [$keys]\",\"outputFields\":[\"*\"],\"limit\":100}" >"$E2E_TMP/q.json"
gen_rows 0 $N >"$E2E_TMP/all.json"
e2e_check "the sampled rows, read with curl, are the rows this test inserted" python3 - \
	"$E2E_TMP/q.json" "$E2E_TMP/all.json" "$keys" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))["data"]
want = {r["id"]: r for r in json.load(open(sys.argv[2]))["data"]}
keys = [int(k) for k in sys.argv[3].split(",")]
assert len(got) == len(keys) == 100, (len(got), len(keys))
for r in got:
    w = want[r["id"]]
    assert r["tag"] == w["tag"] and r["shard"] == w["shard"], (r, w)
    assert all(abs(a - b) < 1e-6 for a, b in zip(r["vec"], w["vec"])), r
PY

# A restored copy with a row too many: rows fails with its numbers.
"$M" restore rt_b1 --suffix _v --wait >/dev/null 2>&1
gen_rows 5000 5001 | sed 's/"collectionName":"rt"/"collectionName":"rt_v"/' >"$E2E_TMP/one.json"
curl -s -m 10 -XPOST "$REST/entities/insert" -H 'Content-Type: application/json' \
	-d "@$E2E_TMP/one.json" >/dev/null
"$M" backup verify rt_b1 --suffix _v -o json >"$E2E_TMP/vv.json" 2>/dev/null
rc=$?
e2e_check "backup verify --suffix _v after one more row: exit 1, rows $N expected, $((N + 1)) found" \
	[ "$rc" = 1 -a "$(e2e_json "$E2E_TMP/vv.json" '[(c["rows"], c["rows_expected"], c["rows_actual"]) for c in d["collections"]]')" = "[('fail', $N, $((N + 1)))]" ]
rest collections/drop '{"collectionName":"rt_v"}' >/dev/null

# ---- restore drill: of the broken copy (the newest), then of latest ----
before=$(names)
"$M" restore drill latest --collections default.rt -o json >"$E2E_TMP/db.out" 2>/dev/null
rc=$?
tail -1 "$E2E_TMP/db.out" >"$E2E_TMP/db.json"
e2e_check "restore drill latest picks rt_bad: exit 1, fail, no RTO, and no scratch left" \
	[ "$rc" = 1 -a "$(e2e_json "$E2E_TMP/db.json" '(d["backup"], d["result"], d["rto_ms"], [s["dropped"] for s in d["scratch"]])')" = "('rt_bad', 'fail', None, [True])" -a "$(names)" = "$before" ]
curl -s -m 10 -XDELETE "$BK/delete?backup_name=rt_bad" >/dev/null
"$M" restore drill latest --collections default.rt -o json >"$E2E_TMP/d.out" 2>"$E2E_TMP/d.err"
rc=$?
tail -1 "$E2E_TMP/d.out" >"$E2E_TMP/d.json"
sed 's/^/# /' "$E2E_TMP/d.err"
ts=$(curl -s -m 10 "$BK/get_backup?backup_name=rt_b1" | python3 -c 'import re,sys
print(int(re.search(r"\"backup_timestamp\":(\d+)", sys.stdin.read()).group(1)) >> 18)')
e2e_check "restore drill latest: exit 0, pass, of rt_b1, a measured RTO" \
	[ "$rc" = 0 -a "$(e2e_json "$E2E_TMP/d.json" '(d["result"], d["backup"], d["rto_ms"] > 0, d["rows"])')" = "('pass', 'rt_b1', True, $N)" ]
e2e_check "its RPO is the backup's age at the start, by the server's backup_timestamp" \
	[ "$(e2e_json "$E2E_TMP/d.json" 'd["rpo_ms"] == d["started_ms"] - '"$ts")" = yes ]
e2e_check "no scratch collection is left (curl), and the list is as before" \
	[ "$(names)" = "$before" ]
RD=$XDG_STATE_HOME/milvusadm/restore-drills
id=$(e2e_json "$E2E_TMP/d.json" 'd["id"]')
e2e_check "the report is saved as JSON and Markdown and validates against its schema" \
	eval "[ -f $RD/$id.md ] && grep -q RTO $RD/$id.md && python3 $E2E_DIR/check-drill-report.py $(dirname "$E2E_DIR")/../doc/restore-drill-report.schema.json $RD/$id.json"
"$M" restore drill history -o json >"$E2E_TMP/h.json"
e2e_check "restore drill history lists it with its RTO" \
	[ "$(e2e_json "$E2E_TMP/h.json" '[(x["id"], x["result"], (x["rto_ms"] or 0) > 0) for x in d["drills"]][:1]')" = "[('$id', 'pass', True)]" ]

# A scratch name that exists: refused, nothing made, nothing dropped.
rest collections/create '{"collectionName":"rt_x","dimension":4}' >/dev/null
idx=$(coll_id rt_x)
before=$(names)
"$M" restore drill latest --collections default.rt --suffix _x >/dev/null 2>"$E2E_TMP/x.err"
rc=$?
e2e_check "restore drill with an existing scratch name: exit 3, rt_x untouched, nothing new" \
	[ "$rc" = 3 -a -n "$idx" -a "$(coll_id rt_x)" = "$idx" -a "$(names)" = "$before" ]
e2e_check "the refusal names the scratch collection" grep -q "scratch collection 'default.rt_x' exists" "$E2E_TMP/x.err"
e2e_done
