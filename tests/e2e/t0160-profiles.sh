#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# collections, replicas, status, ha check, ha estimate and events in -o json
# in the 2.4 and 2.6 profiles and standalone (2.5 is t0120/t0140/t0150),
# compared with ground truth read independently: curl on a proxy's REST v2
# (19530) and 9091 (/api/v1/replicas, and /api/v1/_qc/replica on 2.5+),
# etcdctl for the sessions and leases. One etcd member: etcd HA is not what
# this checks, and every lab is taken down before the next.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.85.20.0/24
M=$MILVUSADM

# Ground truth of the catalog and the replicas, by curl only. REST v2 has no
# databases/ before 2.5 (404): then only "default" can be walked. Replicas
# come from /_qc/replica (2.5+) or, where it is 404, /api/v1/replicas per
# loaded collection.
cat >"$E2E_TMP/truth.py" <<'PY'
import json, sys, urllib.request, urllib.error
proxy = sys.argv[1]
rest = "http://%s:19530/v2/vectordb/" % proxy
def post(path, body):
    r = urllib.request.urlopen(urllib.request.Request(rest + path,
        data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}), timeout=5)
    d = json.load(r)
    assert d.get("code", 0) == 0, (path, d)
    return d["data"]
def get(path, body=None):
    req = urllib.request.Request("http://%s:9091%s" % (proxy, path), method="GET",
        data=json.dumps(body).encode() if body is not None else None)
    return json.load(urllib.request.urlopen(req, timeout=5))
try:
    dbs = post("databases/list", {})
except (urllib.error.HTTPError, AssertionError):
    dbs = ["default"]
coll = {}
for db in dbs:
    for c in post("collections/list", {"dbName": db}):
        b = {"dbName": db, "collectionName": c}
        d = post("collections/describe", b)
        coll[db + "." + c] = {"db": db, "name": c, "id": str(d["collectionID"]),
            "aliases": sorted(d.get("aliases") or []),
            "rows": post("collections/get_stats", b)["rowCount"],
            "load_state": post("collections/get_load_state", b)["loadState"]}
reps = {}
try:
    for r in get("/api/v1/_qc/replica"):
        reps[str(r["ID"])] = {"collection_id": str(r["collectionID"]),
            "rw_nodes": sorted(r["rw_nodes"]), "ro_nodes": sorted(r.get("ro_nodes") or [])}
    source = "_qc"
except urllib.error.HTTPError:
    source = "replicas"
    for k, c in coll.items():
        if c["load_state"] == "LoadStateNotLoad":
            continue
        v1 = get("/api/v1/replicas", {"collection_name": c["name"], "db_name": c["db"],
            "with_shard_nodes": True})
        for r in v1.get("replicas") or []:
            reps[str(r["replicaID"])] = {"collection_id": str(r["collectionID"]),
                "rw_nodes": sorted(r.get("node_ids") or []), "ro_nodes": []}
for c in coll.values():
    c["replicas"] = sum(1 for r in reps.values() if r["collection_id"] == c["id"])
json.dump({"databases": dbs, "collections": coll, "replicas": reps, "source": source}, sys.stdout)
PY

# The sessions as etcdctl sees them: {key: session JSON}, plus the leases.
cat >"$E2E_TMP/sessions.py" <<'PY'
import base64, json, sys
kvs = json.load(open(sys.argv[1])).get("kvs", [])
out = {"sessions": {}, "revision": json.load(open(sys.argv[1]))["header"]["revision"]}
for kv in kvs:
    k = base64.b64decode(kv["key"]).decode().split("/session/", 1)[1]
    try:
        j = json.loads(base64.b64decode(kv.get("value", "")).decode())
    except ValueError:
        continue
    if isinstance(j, dict):
        out["sessions"][k] = j
json.dump(out, sys.stdout)
PY

# What the sessions say, shared by the checks below (a Python prelude).
cat >"$E2E_TMP/prelude.py" <<'PY'
import json, sys, collections
S = json.load(open(sys.argv[1]))
sess, etcd_rev = S["sessions"], S["revision"]
T = json.load(open(sys.argv[2]))
adm = json.load(open(sys.argv[3]))
profile = sys.argv[4]
assert adm["version"] == 1, adm
def role_of(k): return k.rsplit("-", 1)[0] if "-" in k else k
mix = any(k.startswith("mixcoord") for k in sess)
inst = {k: j for k, j in sess.items() if "-" in k}
has_inst = {role_of(k) for k in inst}
legacy = {"rootcoord", "datacoord", "querycoord"}
bare = {k: j for k, j in sess.items() if "-" not in k and not (mix and k in legacy and k not in has_inst)}
components = {(role_of(k), j["ServerID"]) for k, j in inst.items()} | {(k, j["ServerID"]) for k, j in bare.items()}
coord_roles = {"rootcoord", "datacoord", "querycoord", "indexcoord", "mixcoord"}
active = {k: j["ServerID"] for k, j in bare.items() if k in coord_roles}
workers = collections.Counter(role_of(k) for k in inst if role_of(k) not in coord_roles)
version = collections.Counter(j.get("Version") for j in sess.values()).most_common(1)[0][0]
standalone = profile == "standalone"
PY

# check PROFILE WHAT ADM_JSON: run the comparison named WHAT.
check() {
	local profile=$1 what=$2 adm=$3
	cat "$E2E_TMP/prelude.py" "$E2E_TMP/check-$what.py" >"$E2E_TMP/run.py"
	python3 "$E2E_TMP/run.py" "$E2E_TMP/$profile-sess.json" "$E2E_TMP/$profile-truth.json" \
		"$adm" "$profile" "${@:4}"
}

cat >"$E2E_TMP/check-collections.py" <<'PY'
assert adm["kind"] == "collections"
truth = T["collections"]
got = {c["db"] + "." + c["name"]: c for c in adm["collections"]}
assert set(got) == set(truth), (sorted(got), sorted(truth))
assert sorted(adm["databases"]) == sorted(T["databases"]), (adm["databases"], T["databases"])
for k, t in truth.items():
    g = got[k]
    for f in ("id", "rows", "load_state", "replicas"):
        assert g[f] == t[f], (k, f, g[f], t[f])
    assert sorted(g["aliases"]) == t["aliases"], (k, g["aliases"], t["aliases"])
    assert g["load_progress"] == (100 if t["load_state"] == "LoadStateLoaded" else 0 if t["load_state"] == "LoadStateNotLoad" else g["load_progress"]), g
    assert g["degraded"] is False, g
assert adm["replicas_error"] is None
print("ok", len(got), "collections in", adm["databases"], "replicas from", T["source"])
PY

cat >"$E2E_TMP/check-replicas.py" <<'PY'
assert adm["kind"] == "replicas" and adm["collection"] is None
truth = T["replicas"]
got = {str(r["replica_id"]): r for r in adm["replicas"]}
assert set(got) == set(truth), (sorted(got), sorted(truth))
qn = {j["ServerID"]: j["Address"] for k, j in inst.items() if role_of(k) == "querynode"}
names = {c["id"]: k for k, c in T["collections"].items()}
for k, t in truth.items():
    g = got[k]
    assert g["collection_id"] == t["collection_id"], (g, t)
    assert g["collection"] == names[t["collection_id"]], (g, t)
    assert sorted(g["rw_nodes"]) == t["rw_nodes"] and sorted(g["ro_nodes"]) == t["ro_nodes"], (g, t)
    assert g["healthy"] == len(t["rw_nodes"]) and not g["degraded"] and g["orphan_shards"] == [], g
pairs = {(n["replica_id"], n["node_id"]) for n in adm["nodes"]}
assert pairs == {(int(k), n) for k, t in truth.items() for n in t["rw_nodes"] + t["ro_nodes"]}, pairs
for n in adm["nodes"]:
    # Every node is a querynode session (2.6: one may be a streamingnode's
    # embedded querynode), at the address etcd has for it.
    assert n["health"] == "healthy" and n["address"] == qn[n["node_id"]], (n, qn)
print("ok", len(got), "replicas on nodes", sorted({n["node_id"] for n in adm["nodes"]}))
PY

cat >"$E2E_TMP/check-replicas1.py" <<'PY'
v1 = json.load(open(sys.argv[5]))
assert adm["collection"] == "default.docs"
want = {int(r["replicaID"]): sorted(int(n) for n in r.get("node_ids", [])) for r in v1["replicas"]}
got = {r["replica_id"]: sorted(r["rw_nodes"]) for r in adm["replicas"]}
assert got == want and want, (got, want)
assert all(r["collection"] == "default.docs" for r in adm["replicas"])
print("ok default.docs replicas", got)
PY

cat >"$E2E_TMP/check-status.py" <<'PY'
assert adm["kind"] == "status"
assert adm["milvus_version"] == version, (adm["milvus_version"], version)
coords = {(c["role"], c["server_id"]) for c in adm["coordinators"]}
want = {(r, i) for r, i in components if r in coord_roles}
assert coords == want, (sorted(coords), sorted(want))
act = {c["role"]: c["server_id"] for c in adm["coordinators"] if c["state"] == "ACTIVE"}
assert act == active, (act, active)
for c in adm["coordinators"]:
    assert c["state"] in ("ACTIVE", "STANDBY"), c
    assert c["health"] == ("Healthy" if c["state"] == "ACTIVE" else "StandBy"), c
w = {x["role"]: x for x in adm["workers"]}
assert {r: x["total"] for r, x in w.items()} == dict(workers), (w, workers)
assert all(x["healthy"] == x["total"] for x in adm["workers"]), w
assert adm["etcd"] == {"members": 1, "healthy": 1, "leader": "etcd-1", "error": None}, adm["etcd"]
tc = T["collections"].values()
assert adm["collections"]["total"] == len(tc), adm["collections"]
assert adm["collections"]["loaded"] == sum(1 for c in tc if c["load_state"] != "LoadStateNotLoad")
assert adm["collections"]["degraded"] == 0 and adm["degraded"] == [] and adm["collections"]["error"] is None
# Standalone runs every coordinator without a standby: one alert per role
# (indexcoord follows datacoord and raises none of its own).
want_alerts = sorted("%s has no standby" % r for r in active if r != "indexcoord") if standalone else []
assert sorted(adm["alerts"]) == want_alerts, (adm["alerts"], want_alerts)
print("ok status", version, sorted(act.items()), dict(workers))
PY

cat >"$E2E_TMP/check-ha-check.py" <<'PY'
rc = int(sys.argv[5])
assert adm["kind"] == "ha-check"
items = {i["id"]: i for i in adm["items"]}
failed = {k for k, i in items.items() if i["status"] == "fail"}
# The items every profile fails or not, stated per profile: one etcd member
# fails etcd.members everywhere; standalone fails the deployment, every
# coordinator (active-standby off) and every worker role of one process.
want = {
    "2.4": {"etcd.members"},
    "2.6": {"etcd.members", "workers.proxy", "workers.datanode", "workers.streamingnode"},
    "standalone": {"deploy.mode", "coord.rootcoord", "coord.querycoord", "coord.datacoord",
                   "workers.proxy", "workers.querynode", "workers.datanode", "etcd.members"},
}[profile]
# ... and the loaded collections with fewer than 2 replicas (curl).
thin = {"collection." + k for k, c in T["collections"].items()
        if c["load_state"] != "LoadStateNotLoad" and c["replicas"] < 2}
want |= thin
assert failed == want, ("unexpected", sorted(failed - want), "missing", sorted(want - failed))
# The worker items agree with etcdctl's counts: fail below 2 (indexnode warns).
for r, n in workers.items():
    it = items.get("workers." + r)
    assert it is not None, r
    if r == "indexnode":
        assert it["status"] == ("warn" if n < 2 else "pass"), (r, n, it)
    else:
        assert it["status"] == ("fail" if n < 2 else "pass"), (r, n, it)
for r in active:
    if r == "indexcoord":
        continue
    it = items["coord." + r]
    n = sum(1 for k in inst if role_of(k) == r)
    assert it["status"] == ("fail" if n < 2 else "warn" if n == 2 else "pass"), (r, n, it)
assert ("deploy.mode" in items) == standalone
assert items["etcd.health"]["status"] == "pass" and items["session.ttl"]["status"] == "pass"
assert all(items[k]["status"] == "pass" for k in items if k.startswith("collection.") and k not in thin)
assert adm["failures"] == len(failed) and adm["verdict"] == "fail" and rc == 5, (adm["failures"], rc)
print("ok ha check fails", sorted(failed))
PY

cat >"$E2E_TMP/check-ha-estimate.py" <<'PY'
granted = int(sys.argv[5])
assert adm["kind"] == "ha-estimate"
assert adm["milvus_version"] == version
assert adm["session_ttl_s"] == granted and adm["ttl_assumed"] is False, (adm["session_ttl_s"], granted)
assert adm["standby"] is (not standalone), adm["standby"]
l = {(x["settings"], x["fault"]): x for x in adm["lines"]}
assert set(l) == {("current", "crash"), ("tuned", "crash")}, set(l)
v = tuple(int(x) for x in version.split(".")[:3])
# Election: a standby's watch (100 ms), 2.6.8+ standbys poll every 100 ms
# (200 ms), a restart without a standby (10 s); tuned assumes a standby.
elect = 10000 if standalone else 200 if v >= (2, 6, 8) else 100
cur, tuned = l[("current", "crash")], l[("tuned", "crash")]
assert cur["detection_ms"] == granted * 1000 and cur["election_ms"] == elect, cur
assert tuned["election_ms"] == (200 if v >= (2, 6, 8) else 100), tuned
for x in adm["lines"]:
    assert x["total_ms"] == x["detection_ms"] + x["election_ms"] + x["recovery_ms"], x
assert len(adm["phases"]) == 3 * len(adm["lines"]) and adm["assumptions"]
print("ok ha estimate", cur)
PY

cat >"$E2E_TMP/check-events.py" <<'PY'
import base64
# The truth: the sessions' whole history from an etcdctl watch from revision 1.
hist = []
for line in open(sys.argv[5]):
    line = line.strip()
    if line:
        hist += json.loads(line).get("Events") or []
t_joined, t_left, t_leaders = set(), set(), set()
ever = {}
for e in hist:
    k = base64.b64decode(e["kv"]["key"]).decode().split("/session/", 1)[1]
    if e.get("type") == 1:
        if "-" in k and k.rsplit("-", 1)[1].isdigit():
            t_left.add((role_of(k), int(k.rsplit("-", 1)[1])))
        continue
    try:
        j = json.loads(base64.b64decode(e["kv"].get("value", "")).decode())
    except ValueError:
        continue
    if not isinstance(j, dict):
        continue
    ever[k] = j
    if "-" not in k and k in coord_roles and not (mix and k in legacy):
        t_leaders.add((k, j["ServerID"]))
ever_inst = {role_of(k) for k in ever if "-" in k}
for k, j in ever.items():
    if "-" in k:
        t_joined.add((role_of(k), j["ServerID"]))
    elif k not in ever_inst and not (mix and k in legacy):
        t_joined.add((k, j["ServerID"]))
assert adm["kind"] == "events" and adm["history"] == "etcd" and adm["dropped"] == 0
ev = adm["events"]
assert ev, "no events"
revs = [e["revision"] for e in ev]
assert all(r is not None and 0 < r <= etcd_rev for r in revs) and revs == sorted(revs), revs
# etcd keeps no times: a replayed event is dated only by a process's start
# time (t0125 checks which), else its time says "unknown".
assert all((e["time_ms"] is None) == (e["time"] == "unknown") and
           e["time_source"] in ("process_start", "unknown") for e in ev), ev
assert [e["seq"] for e in ev] == list(range(ev[0]["seq"], ev[0]["seq"] + len(ev)))
def kinds(*ks): return {(e["role"], e["server_id"]) for e in ev if e["kind"] in ks}
assert kinds("node_joined") == t_joined, ("joined", sorted(kinds("node_joined") ^ t_joined))
assert kinds("node_left") == t_left, ("left", sorted(kinds("node_left") ^ t_left))
assert kinds("leader_changed") == t_leaders, ("leaders", sorted(kinds("leader_changed") ^ t_leaders))
# Whoever is active now was the last leader change of its role.
last = {}
for e in ev:
    if e["kind"] == "leader_changed":
        last[e["role"]] = e["server_id"]
assert last == active, (last, active)
print("ok events", dict(collections.Counter(e["kind"] for e in ev)), "left:", sorted(t_left))
PY

run_profile() {	# run_profile PROFILE SUBNET_C lab-args...
	local profile=$1 sub=$2; shift 2
	local name="p$sub" ep="http://127.85.$sub.2:2379" px out
	# --no-backup: without backups the RPO alert would join the expected ones.
	lab_up "$name" "127.85.$sub.0/24" --etcd 1 --ttl 10 --no-backup "$@"
	local p="-p lab-$name"
	px=$("$M" lab status --name "$name" -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] in ("proxy", "standalone")][0])')
	etcdctl_ "$ep" get --prefix by-dev/meta/session/ -w json >"$E2E_TMP/etcd.json"
	python3 "$E2E_TMP/sessions.py" "$E2E_TMP/etcd.json" >"$E2E_TMP/$profile-sess.json" ||
		e2e_die "$profile: sessions from etcdctl"
	python3 "$E2E_TMP/truth.py" "$px" >"$E2E_TMP/$profile-truth.json" ||
		e2e_die "$profile: ground truth from the proxy $px"
	out=$E2E_TMP/$profile
	"$M" $p collections -o json >"$out-collections.json"
	e2e_check "$profile: collections -o json matches REST v2 and the proxy's 9091" \
		check "$profile" collections "$out-collections.json"
	"$M" $p replicas -o json >"$out-replicas.json"
	e2e_check "$profile: replicas -o json matches the proxy's 9091 and etcdctl" \
		check "$profile" replicas "$out-replicas.json"
	"$M" $p replicas default.docs -o json >"$out-replicas1.json"
	curl -s -m 5 -XGET "http://$px:9091/api/v1/replicas" \
		-d '{"collection_name":"docs","db_name":"default","with_shard_nodes":true}' >"$out-v1.json"
	e2e_check "$profile: replicas default.docs matches GET /api/v1/replicas" \
		check "$profile" replicas1 "$out-replicas1.json" "$out-v1.json"
	"$M" $p status -o json >"$out-status.json"
	e2e_check "$profile: status -o json matches etcdctl and REST v2" \
		check "$profile" status "$out-status.json"
	"$M" $p ha check -o json >"$out-hacheck.json"
	e2e_check "$profile: ha check fails exactly the expected items (exit 5)" \
		check "$profile" ha-check "$out-hacheck.json" "$?"
	local lease granted
	lease=$(python3 -c 'import json,sys
for kv in json.load(open(sys.argv[1]))["kvs"]:
    if kv.get("lease"): print("%x" % int(kv["lease"])); break' "$E2E_TMP/etcd.json")
	granted=$(etcdctl_ "$ep" lease timetolive "$lease" | sed -n 's/.*granted with TTL(\([0-9]*\)s).*/\1/p')
	"$M" $p ha estimate -o json >"$out-haestimate.json"
	e2e_check "$profile: ha estimate follows the lease TTL (${granted}s) and the version" \
		check "$profile" ha-estimate "$out-haestimate.json" "${granted:-0}"
	"$M" $p events -o json >"$out-events.json"
	# A watch from revision 1 prints the whole history at once, then waits.
	ETCDCTL_API=3 timeout 1 etcdctl --endpoints "$ep" watch --prefix --rev 1 \
		by-dev/meta/session/ -w json >"$out-watch.json" 2>/dev/null
	e2e_check "$profile: events replays the sessions' history (etcdctl watch --rev 1)" \
		check "$profile" events "$out-events.json" "$out-watch.json"
	lab_down "$name"
}

run_profile 2.4 21 --milvus 2.4
run_profile 2.6 22 --milvus 2.6
run_profile standalone 23 --standalone
e2e_done
