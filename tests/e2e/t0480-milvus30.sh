#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Milvus 3.0 (contract §10): the 3.0 lab's keys against the contract
# (check-sessions.py, session-lint), then every read command against it
# compared with etcdctl and curl ground truth, as t0110 and t0150 do for 2.x:
# topology, leaders, health, etcd, status, collections, replicas, events and
# ha check. 3.0 specifics: no TriggerKill, session/version 3.0.4 shown, TTL
# 15 s, /api/v1/replicas gone (404) so replicas fall back to /api/v1/_qc/replica,
# a session/version ahead of a coordinator warned about, and a lost lease
# ending the process with status 80.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-truth.sh"
e2e_init 127.131.0.0/24
M=$MILVUSADM
eps=http://127.131.0.2:2379,http://127.131.0.3:2379,http://127.131.0.4:2379
ep=http://127.131.0.2:2379
p=lab-m30

# No --ttl: 3.0 plays its shipped 15 s. No backup server: a lab without
# backups would rightly raise an RPO alert, and status is checked for none.
lab_up m30 127.131.0.0/24 --milvus 3.0 --no-backup

# ---- the lab against the contract ----
e2e_check "check-sessions 3.0: keys, fields (no TriggerKill), ports, session/version" \
	python3 "$E2E_DIR/check-sessions.py" "$ep" 3.0
lint=${SHARED_DIR:-}/tools/session-lint
if [ -x "$lint" ]; then
	"$lint" --endpoint "$ep" --version 3.0.4 >"$E2E_TMP/lint.out" 2>&1
	sed 's/^/# session-lint: /' "$E2E_TMP/lint.out" | tail -3
	# session-lint predates 3.0 and 2.6.8: it wants TriggerKill on every key
	# and a legacy coordinator key on its old port, where 2.6.8+ and 3.x
	# write mixcoord's JSON (and port 22125) under the legacy names (§2.4,
	# §10). Those are the violations allowed; any other fails.
	e2e_check "session-lint: no violation but TriggerKill and the legacy keys' port" \
		python3 - "$E2E_TMP/lint.out" <<'PY'
import re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
legacy = re.compile(r"^(rootcoord|datacoord|querycoord): Address port 22125 is not ")
bad = [l for l in lines[:-1] if "field TriggerKill missing" not in l and not legacy.match(l)]
assert not bad and lines and "keys checked" in lines[-1], bad or lines
PY
else
	e2e_ok "session-lint against the 3.0 lab # SKIP no $lint"
fi
mixkey=$(session_json "$ep" mixcoord)
lease=$(key_lease "$ep" mixcoord)
e2e_check "sessions are granted the 3.0 TTL of 15 s" eval \
	"etcdctl_ '$ep' lease timetolive '$(printf %x "$lease")' | grep -q 'granted with TTL(15s)'"
cver=$(etcdctl_ "$ep" get --print-value-only by-dev/meta/session/version)
e2e_check "session/version is 3.0.4 (written by the active mixcoord)" [ "$cver" = 3.0.4 ]

# ---- topology, leaders, health, etcd: as t0110 per version ----
etcdctl_ "$ep" get --prefix by-dev/meta/session/ -w json >"$E2E_TMP/etcd.json"
for cmd in topology leaders health; do
	"$M" -p "$p" "$cmd" -o json >"$E2E_TMP/$cmd.json" 2>"$E2E_TMP/$cmd.err"
	e2e_check "$cmd -o json matches etcdctl/curl" \
		check_truth "$cmd" "$E2E_TMP/etcd.json" "$E2E_TMP/$cmd.json"
	e2e_check "$cmd: no warning on a consistent 3.0 cluster" [ ! -s "$E2E_TMP/$cmd.err" ]
done
e2e_check "topology shows Milvus 3.0.4 and session/version 3.0.4" \
	[ "$(e2e_json "$E2E_TMP/topology.json" \
	'd["milvus_version"] == "3.0.4" and d["cluster_version"] == "3.0.4"')" = yes ]
"$M" -p "$p" topology >"$E2E_TMP/topology.txt" 2>&1
e2e_check "topology's text shows cluster_version" grep -q 'cluster.version.*3\.0\.4' \
	"$E2E_TMP/topology.txt"
"$M" -p "$p" etcd -o json >"$E2E_TMP/etcdcmd.json"
e2e_check "etcd -o json matches etcdctl endpoint status" check_etcd "$eps" "$E2E_TMP/etcdcmd.json"

# ---- collections and replicas: REST v2 and the proxy's 9091 by curl ----
proxy=$("$M" lab status --name m30 -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] == "proxy"][0])')
v1=$(curl -s -o /dev/null -w '%{http_code}' -XGET "http://$proxy:9091/api/v1/replicas" \
	-d '{"collection_name":"docs","db_name":"default","with_shard_nodes":true}')
e2e_check "3.0.3+ has no /api/v1/replicas on 9091 (404)" [ "$v1" = 404 ]
python3 "$E2E_DIR/rest-truth.py" "$proxy" >"$E2E_TMP/truth.json" ||
	e2e_die "ground truth from the 3.0 lab's REST API"
"$M" -p "$p" collections -o json >"$E2E_TMP/coll.json"
e2e_check "collections match REST v2 (ids, rows, load state, replica counts)" \
	python3 - "$E2E_TMP/coll.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))["collections"]
got = {c["db"] + "." + c["name"]: c for c in adm["collections"]}
assert set(got) == set(truth) and "analytics.events" in got, (set(got), set(truth))
for k, t in truth.items():
    g = got[k]
    assert (g["id"], g["rows"], g["load_state"], g["replicas"]) == \
        (t["id"], t["rows"], t["load_state"], t["replicas"]), (k, g, t)
PY
"$M" -p "$p" replicas -o json >"$E2E_TMP/rep.json"
e2e_check "replicas match /api/v1/_qc/replica (ids, RW/RO nodes, healthy)" \
	python3 - "$E2E_TMP/rep.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))["replicas"]
got = {str(r["replica_id"]): r for r in adm["replicas"]}
assert truth and set(got) == set(truth), (set(got), set(truth))
for k, t in truth.items():
    assert got[k]["collection_id"] == t["collection_id"]
    assert sorted(got[k]["rw_nodes"]) == t["rw_nodes"]
    assert sorted(got[k]["ro_nodes"]) == t["ro_nodes"]
    assert got[k]["healthy"] == len(t["rw_nodes"]) and not got[k]["degraded"], got[k]
PY
"$M" -p "$p" replicas default.docs -o json >"$E2E_TMP/rep1.json" 2>"$E2E_TMP/rep1.err"
e2e_check "replicas default.docs: /api/v1/replicas 404 falls back to /_qc/replica" \
	python3 - "$E2E_TMP/rep1.json" "$E2E_TMP/truth.json" <<'PY'
import json, sys
adm = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
cid = t["collections"]["default.docs"]["id"]
want = {k: r["rw_nodes"] for k, r in t["replicas"].items() if r["collection_id"] == cid}
got = {str(r["replica_id"]): sorted(r["rw_nodes"]) for r in adm["replicas"]}
assert want and got == want, (got, want)
PY

# ---- status: etcd, coordinators, workers, collections; no alert ----
"$M" -p "$p" status -o json >"$E2E_TMP/status.json"
e2e_check "status -o json matches etcd and REST" python3 - "$E2E_TMP/status.json" \
	"$E2E_TMP/truth.json" "$mixkey" \
	"$(instance_count "$ep" proxy) $(instance_count "$ep" querynode) $(instance_count "$ep" datanode) $(instance_count "$ep" streamingnode)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))
mix = json.loads(sys.argv[3]); np, nq, nd, ns = (int(x) for x in sys.argv[4].split())
assert d["milvus_version"] == mix["Version"] == "3.0.4", d
act = [c for c in d["coordinators"] if c["state"] == "ACTIVE"]
assert [(c["role"], c["server_id"]) for c in act] == [("mixcoord", mix["ServerID"])], act
w = {x["role"]: x for x in d["workers"]}
assert (w["proxy"]["total"], w["querynode"]["total"], w["datanode"]["total"],
        w["streamingnode"]["total"]) == (np, nq, nd, ns), w
assert all(x["healthy"] == x["total"] for x in d["workers"]), w
assert d["etcd"]["members"] == 3 and d["etcd"]["healthy"] == 3 and d["etcd"]["leader"]
loaded = sum(1 for c in truth["collections"].values() if c["load_state"] != "LoadStateNotLoad")
assert d["collections"]["loaded"] == loaded and d["collections"]["degraded"] == 0, d["collections"]
assert d["session_ttl_s"] == 15, d["session_ttl_s"]
# A 3.0 lab runs one proxy and one datanode: warnings about redundancy
# are fair; nothing critical, and nothing about versions.
bad = [a for a in d["alerts"] if not isinstance(a, dict) or a.get("severity") == "critical"]
assert not bad, d["alerts"]
assert "session/version" not in json.dumps(d["alerts"]), d["alerts"]
PY

# ---- events: the history replay names every session etcd holds ----
"$M" -p "$p" events -o json >"$E2E_TMP/events.json"
e2e_check "events replays a join for every instance key in etcd" python3 - \
	"$E2E_TMP/events.json" "$E2E_TMP/etcd.json" <<'PY'
import base64, json, sys
ev = json.load(open(sys.argv[1]))
assert ev["kind"] == "events" and ev["history"] == "etcd", ev.get("history")
joined = {(e["role"], e["server_id"]) for e in ev["events"] if e["kind"] == "node_joined"}
want = set()
for kv in json.load(open(sys.argv[2]))["kvs"]:
    k = base64.b64decode(kv["key"]).decode().split("/session/", 1)[1]
    if "-" in k:
        want.add((k.rsplit("-", 1)[0], int(k.rsplit("-", 1)[1])))
assert want and want <= joined, sorted(want - joined)
PY

# ---- ha check: TTL and etcd from the sources above ----
"$M" -p "$p" ha check -o json >"$E2E_TMP/ha.json" 2>/dev/null
harc=$?
e2e_check "ha check: 3.0's 15 s TTL, mixcoord, 3 etcd members, exit 5 iff a failure" \
	python3 - "$E2E_TMP/ha.json" "$harc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[2])
items = {i["id"]: i for i in d["items"]}
assert d["kind"] == "ha-check" and "coord.mixcoord" in items, sorted(items)
assert items["session.ttl"]["status"] == "pass", items["session.ttl"]
assert items["etcd.members"]["status"] == "pass" and items["etcd.health"]["status"] == "pass"
fails = [i for i in d["items"] if i["status"] == "fail"]
assert rc == (5 if fails else 0), (rc, fails)
PY

# ---- session/version ahead of a coordinator: the 2.6 rollback panic ----
etcdctl_ "$ep" put by-dev/meta/session/version 3.1.0 >/dev/null
"$M" -p "$p" topology -o json >"$E2E_TMP/ahead.json" 2>"$E2E_TMP/ahead.err"
sed 's/^/# /' "$E2E_TMP/ahead.err"
e2e_check "topology warns when session/version is ahead of a coordinator" \
	grep -q 'warning: session/version is 3.1.0, ahead of mixcoord' "$E2E_TMP/ahead.err"
e2e_check "topology -o json still shows it" \
	[ "$(e2e_json "$E2E_TMP/ahead.json" 'd["cluster_version"] == "3.1.0"')" = yes ]
"$M" -p "$p" status -o json >/dev/null 2>"$E2E_TMP/ahead-status.err"
e2e_check "status warns about it too" \
	grep -q 'warning: session/version is 3.1.0, ahead of mixcoord' "$E2E_TMP/ahead-status.err"
etcdctl_ "$ep" put by-dev/meta/session/version 3.0.4 >/dev/null

# ---- a lost lease ends a 3.0 process with status 80 ----
member=$(member_by_server m30 "$ep" mixcoord)
etcdctl_ "$ep" lease revoke "$(printf %x "$lease")" >/dev/null
last_exit() {
	"$M" lab status --name m30 -o json | python3 -c 'import json,sys
print([m for m in json.load(sys.stdin)["members"] if m["name"] == sys.argv[1]][0]["last_exit"])' "$1"
}
e2e_check "$member (active mixcoord) exits 80 when its lease is revoked" \
	e2e_wait 20 eval '[ "$(last_exit "$member")" = "exit 80" ]'
lab_down m30
e2e_done
