# SPDX-License-Identifier: MIT
# Ground truth for the read commands, read independently of milvusadm:
# check_truth compares topology, leaders or health -o json with the session
# keys as etcdctl gives them (and /healthz by curl); check_etcd compares etcd
# -o json with `etcdctl endpoint status`. Sourced after lib-etcd.sh.

# check_truth WHAT ETCD_JSON ADM_JSON: python comparisons of one command.
check_truth() {
	python3 - "$@" <<'PY'
import base64, json, sys, subprocess
what, etcd_file, adm_file = sys.argv[1:4]
kvs = json.load(open(etcd_file)).get("kvs", [])
sess = {}
for kv in kvs:
    k = base64.b64decode(kv["key"]).decode().split("/session/", 1)[1]
    v = base64.b64decode(kv.get("value", "")).decode()
    try:
        j = json.loads(v)
    except ValueError:
        continue
    if isinstance(j, dict):
        sess[k] = j
adm = json.load(open(adm_file))
assert adm["version"] == 1, adm
inst = {k: j for k, j in sess.items() if "-" in k}
bare = {k: j for k, j in sess.items() if "-" not in k}
mix = any(k.startswith("mixcoord") for k in sess)
def role_of(k): return k.rsplit("-", 1)[0] if "-" in k else k
has_inst = {role_of(k) for k in inst}
expect = set()
for k, j in inst.items():
    expect.add((role_of(k), j["ServerID"]))
legacy = {"rootcoord", "datacoord", "querycoord"}
for k, j in bare.items():
    if mix and k in legacy and k not in has_inst:
        continue
    expect.add((k, j["ServerID"]))
active = {k: j["ServerID"] for k, j in bare.items() if not (mix and k in legacy and k not in has_inst)}
if what == "topology":
    got = {(c["role"], c["server_id"]) for c in adm["components"]}
    assert got == expect, ("components", sorted(got ^ expect))
    for c in adm["components"]:
        r = c["role"]
        sa = r in has_inst or (r == "indexcoord" and "datacoord" in has_inst)
        if r in active and sa:
            want = "ACTIVE" if active[r] == c["server_id"] else "STANDBY"
        else:
            want = None
        assert c["ha"] == want, (r, c["server_id"], c["ha"], want)
        key = r + "-" + str(c["server_id"]) if (r, c["server_id"]) in {(role_of(k), j["ServerID"]) for k, j in inst.items()} else r
        assert c["address"] == sess[key]["Address"], (key, c["address"])
        assert c["lease_ttl_s"] is not None and 0 <= c["lease_ttl_s"] <= 60, c
    if mix:
        m = [c for c in adm["components"] if c["role"] == "mixcoord" and c["ha"] == "ACTIVE"]
        assert len(m) == 1 and sorted(m[0]["legacy_keys"]) == ["datacoord", "querycoord", "rootcoord"], m
elif what == "leaders":
    roles = {l["role"]: l for l in adm["leaders"]}
    want_roles = {"mixcoord"} if mix else {"rootcoord", "datacoord", "querycoord", "indexcoord"}
    assert set(roles) == want_roles, (set(roles), want_roles)
    for r, l in roles.items():
        assert l["active_id"] == active.get(r), (r, l["active_id"], active.get(r))
        sb = sorted(j["ServerID"] for k, j in inst.items() if role_of(k) == r and j["ServerID"] != active.get(r))
        assert sorted(l["standby_ids"]) == sb, (r, l["standby_ids"], sb)
        assert l["since_revision"] is not None
elif what == "health":
    for c in adm["components"]:
        ip = c["address"].split(":")[0]
        out = subprocess.run(["curl", "-s", "-m", "3", "-H", "Content-Type: application/json",
            "http://%s:9091/healthz" % ip], capture_output=True, text=True).stdout
        det = {d["name"]: d["code"] for d in json.loads(out)["detail"]}
        want = det.get(c["role"], det.get(c["process"]))
        assert c["health_code"] == want, (c, det)
print("ok", what, len(expect), "components")
PY
}

check_etcd() {	# check_etcd EPS ADM_JSON
	etcdctl_ "$1" endpoint status -w json >"$E2E_TMP/es.json" 2>/dev/null
	python3 - "$E2E_TMP/es.json" "$2" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
adm = json.load(open(sys.argv[2]))
leader = "%x" % st[0]["Status"]["leader"]
assert adm["leader_id"] == leader, (adm["leader_id"], leader)
assert adm["members_total"] == len(adm["members"]) and adm["members_reachable"] == len(st)
for m in adm["members"]:
    assert m["reachable"] and m["raft_term"] >= 1 and m["db_size"] > 0, m
    assert m["leader"] == (m["id"] == leader), m
print("ok etcd leader", leader)
PY
}
