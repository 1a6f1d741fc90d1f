#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ha check and ha estimate against the lab: the checklist passes on a lab with
# standbys, 3 etcd members and every loaded collection on 2 replicas, fails
# (exit 5) without standbys; the estimate's numbers follow the sessions' TTL.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.84.40.0/24
ep=http://127.84.40.2:2379
M=$MILVUSADM

# The default lab (three etcd members, every sample collection loaded with two
# replicas) is meant to pass.
lab_up hac 127.84.40.0/24 --milvus 2.5 --ttl 10
proxy=$("$M" lab status --name hac -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["name"].startswith("proxy")][0])')
rest=http://$proxy:19530/v2/vectordb

# Ground truth: loaded collections with fewer than 2 replicas (curl on REST v2
# and the proxy's /_qc/replica).
thin_collections() {
	python3 - "$rest" "http://$proxy:9091/api/v1/_qc/replica" <<'PY'
import json, sys, urllib.request
rest, qc = sys.argv[1:3]
def post(path, body):
    r = urllib.request.urlopen(urllib.request.Request(rest + "/" + path,
        data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}), timeout=5)
    return json.load(r)["data"]
reps = json.load(urllib.request.urlopen(qc, timeout=5))
count = {}
for r in reps:
    count[r["collectionID"]] = count.get(r["collectionID"], 0) + 1
for db in post("databases/list", {}):
    for c in post("collections/list", {"dbName": db}):
        st = post("collections/get_load_state", {"dbName": db, "collectionName": c})
        if st["loadState"] == "LoadStateNotLoad":
            continue
        cid = str(post("collections/describe", {"dbName": db, "collectionName": c})["collectionID"])
        if count.get(cid, 0) < 2:
            print(db + "." + c)
PY
}

"$M" ha check -o json >"$E2E_TMP/check1.json" 2>"$E2E_TMP/check1.err"
rc=$?
thin=$(thin_collections)
echo "# collections loaded with fewer than 2 replicas: ${thin:-none}"
e2e_check "the default lab loads every collection with 2 replicas" [ -z "$thin" ]
e2e_check "ha check -o json is a versioned ha-check document" \
	[ "$(e2e_json "$E2E_TMP/check1.json" 'd["version"] == 1 and d["kind"] == "ha-check"')" = yes ]
e2e_check "only the thin collections fail, and exit 5 iff any do" python3 - \
	"$E2E_TMP/check1.json" "$rc" "$thin" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[2])
thin = set("collection." + t for t in sys.argv[3].split())
failed = set(i["id"] for i in d["items"] if i["status"] == "fail")
assert failed == thin, (failed, thin)
assert rc == (5 if thin else 0), rc
assert d["failures"] == len(failed)
PY
e2e_check "coordinators: 1 active + 1 standby each is a warning (3 recommended)" python3 - \
	"$E2E_TMP/check1.json" <<'PY'
import json, sys
d = {i["id"]: i for i in json.load(open(sys.argv[1]))["items"]}
for r in ("rootcoord", "querycoord", "datacoord"):
    assert d["coord." + r]["status"] == "warn", d["coord." + r]
    assert d["coord." + r]["fix"], d["coord." + r]
assert d["etcd.members"]["status"] == "pass"
assert d["etcd.health"]["status"] == "pass"
assert d["workers.proxy"]["status"] == "pass"
assert d["workers.querynode"]["status"] == "pass"
assert d["session.ttl"]["status"] == "pass"
PY

# Load the thin ones with 2 replicas (what the fix column says); then it passes.
for c in $thin; do
	db=${c%%.*} name=${c#*.}
	curl -s -XPOST "$rest/collections/release" -d "{\"dbName\":\"$db\",\"collectionName\":\"$name\"}" >/dev/null
	curl -s -XPOST "$rest/collections/load" \
		-d "{\"dbName\":\"$db\",\"collectionName\":\"$name\",\"replicaNumber\":2}" >/dev/null
done
loaded_all() { [ -z "$(thin_collections)" ]; }
e2e_check "the thin collections are loaded again with 2 replicas" e2e_wait 30 loaded_all
"$M" ha check -o json >"$E2E_TMP/check2.json" 2>&1
rc=$?
e2e_check "ha check passes on the lab (exit 0, no failing item)" \
	[ "$rc" = 0 -a "$(e2e_json "$E2E_TMP/check2.json" 'd["failures"]')" = 0 ]
tab=$(printf '\t')
tsv_items() { [ "$("$M" ha check | awk -F"$tab" 'NF == 5 && $1 ~ /^(pass|warn|fail)$/' | wc -l)" -eq "$1" ]; }
e2e_check "ha check in a pipe: one TSV line per item, its status first" \
	tsv_items "$(e2e_json "$E2E_TMP/check2.json" 'len(d["items"])')"
e2e_check "every ha check item names its object (a role, etcd, a collection)" \
	[ "$(e2e_json "$E2E_TMP/check2.json" '(all(i["object"] for i in d["items"]) and
[i["object"] for i in d["items"] if i["id"] == "etcd.members"] == ["etcd"] and
all(i["object"] == i["id"][6:] for i in d["items"] if i["id"].startswith("coord.")))')" = yes ]

# ha estimate: the numbers follow the TTL the sessions' leases were granted.
lease=$(key_lease "$ep" rootcoord)
granted=$(etcdctl_ "$ep" lease timetolive "$(printf '%x' "$lease")" |
	sed -n 's/.*granted with TTL(\([0-9]*\)s).*/\1/p')
echo "# rootcoord lease $lease granted ${granted}s"
"$M" ha estimate -o json >"$E2E_TMP/est.json"
e2e_check "ha estimate exits 0 with a versioned ha-estimate document" \
	[ $? = 0 -a "$(e2e_json "$E2E_TMP/est.json" 'd["kind"]')" = ha-estimate ]
e2e_check "ha estimate: session_ttl_s is the granted lease TTL (${granted}s), not assumed" \
	[ "$(e2e_json "$E2E_TMP/est.json" 'd["session_ttl_s"]')" = "$granted" -a \
	  "$(e2e_json "$E2E_TMP/est.json" 'd["ttl_assumed"]')" = no ]
e2e_check "ha estimate: detection = TTL, total = detection + election + recovery" python3 - \
	"$E2E_TMP/est.json" "$granted" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); ttl = int(sys.argv[2])
cur = [l for l in d["lines"] if l["settings"] == "current" and l["fault"] == "crash"][0]
assert cur["detection_ms"] == ttl * 1000, cur
assert cur["election_ms"] == 100, cur          # 2.5: the standby's watch
assert cur["total_ms"] == cur["detection_ms"] + cur["election_ms"] + cur["recovery_ms"]
assert d["standby"] is True
assert len(d["phases"]) == 3 * len(d["lines"]) and d["assumptions"]
PY
"$M" ha estimate --probe-period 10 --probe-failures 3 --probe-timeout 1 -o json \
	>"$E2E_TMP/est2.json"
e2e_check "ha estimate with the seed's probe: hang detected in 3 x 10 s + 1 s, tuned 3 x 2 + 1" \
	python3 - "$E2E_TMP/est2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
l = {(x["settings"], x["fault"]): x for x in d["lines"]}
assert l[("current", "hang")]["detection_ms"] == 31000, l
assert l[("tuned", "hang")]["detection_ms"] == 7000, l
PY
e2e_check "ha estimate --ttl 30 overrides what was read" \
	[ "$("$M" ha estimate --ttl 30 -o json | python3 -c 'import json,sys
d=json.load(sys.stdin); print([l["detection_ms"] for l in d["lines"] if l["settings"]=="current"][0])')" = 30000 ]
e2e_check "ha estimate --ttl x is a usage error (exit 2)" \
	eval "\"$M\" ha estimate --ttl x >/dev/null 2>&1; [ \$? = 2 ]"
lab_down hac

# Without standbys the coordinators are single points of failure: exit 5.
lab_up hns 127.84.41.0/24 --milvus 2.5 --etcd 3 --ttl 10 --no-standby
"$M" -p lab-hns ha check -o json >"$E2E_TMP/check3.json" 2>&1
rc=$?
e2e_check "ha check on a lab started with --no-standby exits 5" [ "$rc" = 5 ]
e2e_check "... each coordinator fails: active-standby is off" python3 - \
	"$E2E_TMP/check3.json" <<'PY'
import json, sys
d = {i["id"]: i for i in json.load(open(sys.argv[1]))["items"]}
for r in ("rootcoord", "querycoord", "datacoord"):
    assert d["coord." + r]["status"] == "fail", d["coord." + r]
    assert "active-standby is off" in d["coord." + r]["reason"], d["coord." + r]
PY
"$M" -p lab-hns ha estimate -o json >"$E2E_TMP/est3.json"
e2e_check "ha estimate without standby: the election is a restart; tuned assumes a standby" \
	python3 - "$E2E_TMP/est3.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
l = {(x["settings"], x["fault"]): x for x in d["lines"]}
assert d["standby"] is False
assert l[("current", "crash")]["election_ms"] == 10000, l
assert l[("tuned", "crash")]["election_ms"] == 100, l
PY
lab_down hns
e2e_done
