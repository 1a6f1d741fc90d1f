#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# collections, replicas and status in -o json against the lab, compared with
# ground truth read with curl (REST v2, the proxy's /api/v1 on 9091) and
# etcdctl; a proxy that answers garbage or never answers gives one error line,
# the right exit code, and no hang past the profile's timeout.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.84.50.0/24
ep=http://127.84.50.2:2379
M=$MILVUSADM
fakes=""
trap 'for p in $fakes; do kill "$p" 2>/dev/null; done; e2e_cleanup' EXIT

# No backup server: a lab without backups would rightly raise an RPO alert,
# and this test checks that a healthy cluster has none.
lab_up hcol 127.84.50.0/24 --milvus 2.5 --ttl 10 --no-backup
proxy=$("$M" lab status --name hcol -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["name"].startswith("proxy")][0])')

# Ground truth, independently: every collection by curl on REST v2, the
# replicas from /_qc/replica (rest-truth.py).
python3 "$E2E_DIR/rest-truth.py" "$proxy" >"$E2E_TMP/truth.json" ||
	e2e_die "ground truth from the lab's REST API"

"$M" collections -o json >"$E2E_TMP/coll.json"
e2e_check "collections -o json exits 0 with a versioned collections document" \
	[ $? = 0 -a "$(e2e_json "$E2E_TMP/coll.json" 'd["version"] == 1 and d["kind"] == "collections"')" = yes ]
e2e_check "collections match REST v2 (ids, rows, load state, aliases, replica counts)" \
	python3 - "$E2E_TMP/coll.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))["collections"]
got = {c["db"] + "." + c["name"]: c for c in adm["collections"]}
assert set(got) == set(truth), (set(got), set(truth))
for k, t in truth.items():
    g = got[k]
    assert g["id"] == t["id"], (k, g, t)
    assert g["rows"] == t["rows"], (k, g, t)
    assert g["load_state"] == t["load_state"], (k, g, t)
    assert sorted(g["aliases"]) == t["aliases"], (k, g, t)
    assert g["replicas"] == t["replicas"], (k, g, t)
    if t["load_state"] == "LoadStateLoaded":
        assert g["load_progress"] == 100, g
assert sorted(adm["databases"]) == sorted(set(k.split(".")[0] for k in truth))
PY
"$M" collections --db default -o json >"$E2E_TMP/colld.json"
e2e_check "collections --db default lists only that database" \
	[ "$(e2e_json "$E2E_TMP/colld.json" 'set(c["db"] for c in d["collections"]) == {"default"}')" = yes ]
e2e_check "collections --db nosuch: one line, exit 1" eval \
	"\"$M\" collections --db nosuch 2>\"$E2E_TMP/e1\" >/dev/null; [ \$? = 1 ] && [ \$(wc -l <\"$E2E_TMP/e1\") = 1 ]"

"$M" replicas -o json >"$E2E_TMP/rep.json"
e2e_check "replicas -o json matches /api/v1/_qc/replica (ids, RW/RO nodes)" \
	python3 - "$E2E_TMP/rep.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))["replicas"]
assert adm["kind"] == "replicas"
got = {str(r["replica_id"]): r for r in adm["replicas"]}
assert set(got) == set(truth), (set(got), set(truth))
for k, t in truth.items():
    assert got[k]["collection_id"] == t["collection_id"]
    assert sorted(got[k]["rw_nodes"]) == t["rw_nodes"]
    assert sorted(got[k]["ro_nodes"]) == t["ro_nodes"]
    assert got[k]["healthy"] == len(t["rw_nodes"]) and not got[k]["degraded"], got[k]
for n in adm["nodes"]:
    assert n["health"] == "healthy" and n["address"], n
PY
# Node IDs are querynode sessions in etcd.
e2e_check "every replica node is a registered querynode" python3 - "$E2E_TMP/rep.json" \
	"$(etcdctl_ "$ep" get --prefix --keys-only by-dev/meta/session/querynode- | tr '\n' ' ')" <<'PY'
import json, sys
ids = set(int(k.rsplit("-", 1)[1]) for k in sys.argv[2].split())
for r in json.load(open(sys.argv[1]))["replicas"]:
    assert set(r["rw_nodes"]) <= ids, (r, ids)
PY
"$M" replicas default.docs -o json >"$E2E_TMP/rep1.json"
curl -s -XGET "http://$proxy:9091/api/v1/replicas" \
	-d '{"collection_name":"docs","db_name":"default","with_shard_nodes":true}' >"$E2E_TMP/v1.json"
e2e_check "replicas default.docs matches GET /api/v1/replicas" python3 - \
	"$E2E_TMP/rep1.json" "$E2E_TMP/v1.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); v1 = json.load(open(sys.argv[2]))
assert adm["collection"] == "default.docs"
want = {int(r["replicaID"]): sorted(int(n) for n in r.get("node_ids", [])) for r in v1["replicas"]}
got = {r["replica_id"]: sorted(r["rw_nodes"]) for r in adm["replicas"]}
assert got == want, (got, want)
assert all(r["collection"] == "default.docs" for r in adm["replicas"])
PY
e2e_check "replicas nosuch: one line, exit 1" eval \
	"\"$M\" replicas nosuch 2>\"$E2E_TMP/e2\" >/dev/null; [ \$? = 1 ] && [ \$(wc -l <\"$E2E_TMP/e2\") = 1 ]"

"$M" status -o json >"$E2E_TMP/status.json"
e2e_check "status -o json matches etcd and REST" python3 - "$E2E_TMP/status.json" \
	"$E2E_TMP/truth.json" "$(session_json "$ep" rootcoord)" \
	"$(active_id "$ep" querycoord)" "$(active_id "$ep" datacoord)" \
	"$(instance_count "$ep" proxy) $(instance_count "$ep" querynode) $(instance_count "$ep" datanode)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))
root = json.loads(sys.argv[3]); qc, dc = int(sys.argv[4]), int(sys.argv[5])
np, nq, nd = (int(x) for x in sys.argv[6].split())
assert d["kind"] == "status" and d["version"] == 1
assert d["milvus_version"] == root["Version"], d["milvus_version"]
act = {c["role"]: c["server_id"] for c in d["coordinators"] if c["state"] == "ACTIVE"}
assert act["rootcoord"] == root["ServerID"] and act["querycoord"] == qc and act["datacoord"] == dc, act
stby = [c for c in d["coordinators"] if c["state"] == "STANDBY" and c["role"] != "indexcoord"]
assert len(stby) == 3, stby
w = {x["role"]: x for x in d["workers"]}
assert (w["proxy"]["total"], w["querynode"]["total"], w["datanode"]["total"]) == (np, nq, nd), w
assert all(x["healthy"] == x["total"] for x in d["workers"]), w
assert d["etcd"]["members"] == 3 and d["etcd"]["healthy"] == 3 and d["etcd"]["leader"]
loaded = sum(1 for c in truth["collections"].values() if c["load_state"] != "LoadStateNotLoad")
assert d["collections"]["loaded"] == loaded and d["collections"]["degraded"] == 0, d["collections"]
assert d["alerts"] == [], d["alerts"]
PY

# A proxy that answers garbage, and one that never answers: fake servers on
# the test's own addresses, named by profiles that keep the lab's etcd.
cat >"$E2E_TMP/fake.py" <<'PY'
import socket, sys
mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(64)
held = []
while True:
    c, _ = s.accept()
    if mode == "hang":
        held.append(c)
        continue
    c.settimeout(2)
    try:
        c.recv(65536)
        body = b'\x1b[31m{"code":0,"data":[garbage'
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    except OSError:
        pass
    c.close()
PY
python3 "$E2E_TMP/fake.py" garbage 127.84.9.1 19530 & fakes="$fakes $!"
python3 "$E2E_TMP/fake.py" hang 127.84.9.2 19530 & fakes="$fakes $!"
# hang and nothing read sessions under a root with none: reads fail over to
# the sessions' proxies (t0475), and here no other proxy may answer.
cat >>"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<YAML
    garbage:
      etcd: { endpoints: ["$ep"] }
      milvus: { uri: "http://127.84.9.1:19530" }
      timeout: 2s
    hang:
      etcd: { endpoints: ["$ep"], root_path: "no-sessions" }
      milvus: { uri: "http://127.84.9.2:19530" }
      timeout: 2s
    nothing:
      etcd: { endpoints: ["$ep"], root_path: "no-sessions" }
      milvus: { uri: "http://127.84.9.3:19530" }
      timeout: 2s
YAML
listening() { python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], 19530), 1)' "$1"; }
e2e_check "the fake proxies listen" eval "e2e_wait 5 listening 127.84.9.1 && e2e_wait 5 listening 127.84.9.2"

# try PROFILE CMD...: run, record exit code, stderr lines and seconds.
try() {
	local p=$1 t0; shift
	t0=$(now_ms)
	"$M" -p "$p" "$@" >"$E2E_TMP/try.out" 2>"$E2E_TMP/try.err"
	try_rc=$?
	try_ms=$(( $(now_ms) - t0 ))
	try_lines=$(wc -l <"$E2E_TMP/try.err")
	echo "# $p $*: exit $try_rc in ${try_ms} ms: $(head -c 300 "$E2E_TMP/try.err")"
}
for cmd in collections replicas; do
	try garbage $cmd -o json
	e2e_check "garbage proxy: $cmd exits 1 with one error line and no escape codes" \
		eval "[ $try_rc = 1 -a $try_lines = 1 ] && ! grep -q \$'\\x1b' \"$E2E_TMP/try.err\" && [ ! -s \"$E2E_TMP/try.out\" ]"
done
try hang collections -o json
e2e_check "hanging proxy: collections exits 4 with one line within the timeout" \
	[ "$try_rc" = 4 -a "$try_lines" = 1 -a "$try_ms" -lt 6000 ]
try hang replicas -o json
e2e_check "hanging proxy: replicas exits 4 with one line within the timeout" \
	[ "$try_rc" = 4 -a "$try_lines" = 1 -a "$try_ms" -lt 6000 ]
try nothing collections -o json
e2e_check "nothing listening: collections exits 4 with one line" \
	[ "$try_rc" = 4 -a "$try_lines" = 1 -a "$try_ms" -lt 6000 ]
# status keeps going without the proxy: the rest of the screen and an alert.
try garbage status -o json
e2e_check "garbage proxy: status still shows the cluster, with an alert" \
	eval "[ $try_rc = 0 ] && [ \"\$(e2e_json \"$E2E_TMP/try.out\" 'any(\"collections unknown\" in a for a in d[\"alerts\"])')\" = yes ]"
try hang status -o json
e2e_check "hanging proxy: status still shows the cluster, with an alert" \
	eval "[ $try_rc = 0 ] && [ \"\$(e2e_json \"$E2E_TMP/try.out\" 'any(\"collections unknown\" in a for a in d[\"alerts\"])')\" = yes ] && [ $try_ms -lt 8000 ]"

for p in $fakes; do kill "$p" 2>/dev/null; done
fakes=""
lab_down hcol
e2e_done
