#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The last replica source (contract §7.3, §10, §5.4): a 3.0 lab under
# common.security.adminAuthEnabled (LABDIR/admin-auth) and a profile without
# milvus.admin_user answers 404 on /api/v1/replicas (gone in 3.0.3) and 401
# on /api/v1/_qc/replica, so `replicas` reads REST v2 resource groups (with
# the normal token): each collection's replica count and the group's nodes,
# replica IDs unknown, said in -o json, in the text and on stderr. Ground
# truth: curl of the proxy's resource_groups/list and /describe, and the
# collections (REST v2) and /_qc/replica read before adminAuth was turned on.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.148.0.0/24
M=$MILVUSADM
p=lab-rg

lab_up rg 127.148.0.0/24 --milvus 3.0 --etcd 1 --no-backup
lab=$(e2e_lab_dir rg)
proxy=$("$M" lab status --name rg -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] == "proxy"][0])')
rest=http://$proxy:19530/v2/vectordb
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# Before adminAuth: the collections and the replicas as /_qc/replica has them.
python3 "$E2E_DIR/rest-truth.py" "$proxy" >"$E2E_TMP/truth.json" ||
	e2e_die "ground truth from the 3.0 lab's REST API"
echo 'root:s3cret' >"$lab/admin-auth"
e2e_check "/api/v1/replicas: 404 (3.0.3+)" \
	test "$(code -XGET "http://$proxy:9091/api/v1/replicas" \
	-d '{"collection_name":"docs","db_name":"default"}')" = 404
e2e_check "/api/v1/_qc/replica without admin credentials: 401" \
	test "$(code "http://$proxy:9091/api/v1/_qc/replica")" = 401

# Ground truth: the resource groups by curl (describe has no envelope code).
curl -s -XPOST "$rest/resource_groups/list" -d '{}' >"$E2E_TMP/rglist.json"
python3 - "$E2E_TMP/rglist.json" "$rest" >"$E2E_TMP/rg.json" <<'PY' ||
import json, sys, urllib.request
names = json.load(open(sys.argv[1]))
assert names["code"] == 0, names
out = {}
for n in names["data"]:
    req = urllib.request.Request(sys.argv[2] + "/resource_groups/describe",
        data=json.dumps({"name": n}).encode(), headers={"Content-Type": "application/json"})
    out[n] = json.load(urllib.request.urlopen(req, timeout=5))
json.dump(out, sys.stdout)
PY
	e2e_die "resource groups by curl"
e2e_check "the lab's resource groups: the default one, describe without an envelope code" \
	python3 - "$E2E_TMP/rg.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
rg = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
g = rg["__default_resource_group"]
assert list(rg) == ["__default_resource_group"] and "code" not in g, rg
g = g["resource_group"]
assert g["num_available_node"] == len(g["nodes"]) > 0, g
loaded = {k.split(".", 1)[1]: c["replicas"] for k, c in t["collections"].items()
          if c["load_state"] != "LoadStateNotLoad"}
assert g["num_loaded_replica"] == loaded, (g["num_loaded_replica"], loaded)
PY
e2e_check "describe of an unknown group: an error envelope" \
	sh -c "curl -s -XPOST '$rest/resource_groups/describe' -d '{\"name\":\"nosuch\"}' |
	grep -q '\"code\":300'"

"$M" -p "$p" replicas -o json >"$E2E_TMP/rep.json" 2>"$E2E_TMP/rep.err"
e2e_check "replicas without admin credentials: exit 0, from resource groups" \
	test "$(e2e_json "$E2E_TMP/rep.json" '(d["source"] == "resource_groups" and
	not d["replica_detail"] and d["via"] == "rest:resource_groups" and
	"not known" in d["note"])')" = yes
e2e_check "replicas -o json matches resource_groups/describe (counts, nodes, health)" \
	python3 - "$E2E_TMP/rep.json" "$E2E_TMP/rg.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); rg = json.load(open(sys.argv[2]))
t = json.load(open(sys.argv[3]))
want = {}
for name, g in rg.items():
    g = g["resource_group"]
    nodes = sorted(n["node_id"] for n in g["nodes"])
    for coll, n in g["num_loaded_replica"].items():
        ids = [c["id"] for k, c in t["collections"].items() if k.split(".", 1)[1] == coll]
        assert len(ids) == 1, (coll, ids)
        want[(ids[0], name)] = (n, nodes)
got = {}
for r in adm["replicas"]:
    assert r["replica_id"] is None and r["ro_nodes"] is None and r["orphan_shards"] is None, r
    assert r["healthy"] == len(r["rw_nodes"]) and not r["degraded"], r
    got[(r["collection_id"], r["resource_group"])] = (r["replicas"], sorted(r["rw_nodes"]))
assert want and got == want, (got, want)
nodes = {(n["node_id"], n["collection"]) for n in adm["nodes"]}
assert all(n["mode"] == "rg" and n["replica_id"] is None and n["health"] == "healthy"
           for n in adm["nodes"]), adm["nodes"]
assert len(nodes) == sum(len(v[1]) for v in want.values()), nodes
# The same nodes /_qc/replica had, before adminAuth.
qc = sorted({n for r in t["replicas"].values() for n in r["rw_nodes"]})
assert qc and set(qc) <= {n for v in want.values() for n in v[1]}, (qc, want)
PY
e2e_check "stderr: the adminAuth refusal and what resource groups cannot tell" \
	sh -c "grep -q 'warning: replicas read from REST v2 resource groups' '$E2E_TMP/rep.err' &&
	grep -q 'requires authentication (common.security.adminAuthEnabled, HTTP 401)' '$E2E_TMP/rep.err'"

"$M" -p "$p" replicas default.docs -o json >"$E2E_TMP/rep1.json" 2>/dev/null
e2e_check "replicas default.docs: 404, 401, then its count from the resource group" \
	python3 - "$E2E_TMP/rep1.json" "$E2E_TMP/rg.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); rg = json.load(open(sys.argv[2]))
t = json.load(open(sys.argv[3]))
g = rg["__default_resource_group"]["resource_group"]
rows = [(r["collection"], r["collection_id"], r["replicas"]) for r in adm["replicas"]]
want = [("default.docs", t["collections"]["default.docs"]["id"],
         g["num_loaded_replica"]["docs"])]
assert adm["source"] == "resource_groups" and rows == want, (rows, want)
PY
"$M" -p "$p" replicas -o table >"$E2E_TMP/rep.txt" 2>/dev/null
e2e_check "the text says the source and shows the group's replica counts" \
	sh -c "grep -q '^source  *resource_groups' '$E2E_TMP/rep.txt' &&
	grep -q 'GROUP NODES' '$E2E_TMP/rep.txt' && grep -q '__default_resource_group' '$E2E_TMP/rep.txt'"
"$M" -p "$p" collections -o json >"$E2E_TMP/coll.json" 2>/dev/null
e2e_check "collections: replica counts from the resource groups match REST v2" \
	python3 - "$E2E_TMP/coll.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))["collections"]
got = {c["db"] + "." + c["name"]: c["replicas"] for c in adm["collections"]}
want = {k: c["replicas"] for k, c in t.items()}
assert got == want and adm["replicas_via"] == "rest:resource_groups", (got, want, adm)
PY

rm -f "$lab/admin-auth"
"$M" -p "$p" replicas -o json >"$E2E_TMP/rep2.json" 2>"$E2E_TMP/rep2.err"
e2e_check "adminAuth off again: replicas from /_qc/replica, with IDs, no warning" \
	python3 - "$E2E_TMP/rep2.json" "$E2E_TMP/rep2.err" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"] == "replicas" and d["replica_detail"] and d["note"] is None, d
assert d["replicas"] and all(r["replica_id"] for r in d["replicas"]), d["replicas"]
assert open(sys.argv[2]).read() == ""
PY
lab_down rg
e2e_done
