#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A querynode drill on a 2.4 lab, which has no /api/v1/_qc/replica: recover
# must wait on /api/v1/replicas, one call per loaded collection. The lab
# SIGKILL backend kills a querynode that is alone in a replica; the report is
# checked against etcdctl watch of its session key, against curl of a proxy's
# 9091 /api/v1/replicas before, after, and polled (stamped) while the drill
# runs, and against the schema.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.94.0.0/24
trap drill_cleanup EXIT
M="$MILVUSADM"
EP=http://127.94.0.2:2379

# A long back-off: the killed querynode stays down for the whole drill.
lab_up q24 127.94.0.0/24 --milvus 2.4 --ttl 4 --backoff 60s
PROXY=$(etcdctl_ "$EP" get --keys-only --prefix by-dev/meta/session/proxy- |
	sed -n 's|^by-dev/meta/session/||p' | while read -r k; do
	[ -n "$k" ] && session_json "$EP" "$k"; done | python3 -c 'import json,sys
for l in sys.stdin:
    print(json.loads(l)["Address"].split(":")[0]); break')
[ -n "$PROXY" ] || e2e_die "no proxy session"
e2e_check "2.4: the proxy's 9091 has no /api/v1/_qc/replica (404)" \
	test "$(curl -s -o /dev/null -w '%{http_code}' "http://$PROXY:9091/api/v1/_qc/replica")" = 404

# Ground truth: the replicas of every loaded collection by curl-like GETs with a
# JSON body (collections from the proxy's REST v2). With --watch, one line per
# poll: "SENT_MS RECV_MS JSON" (wall clock), every 100 ms until SIGTERM.
cat >"$E2E_TMP/gt-replicas.py" <<'PY'
import json, signal, sys, time, urllib.request
ip = sys.argv[1]
def call(url, body, method):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=3) as f:
        return json.load(f)
def replicas():
    names = call("http://%s:19530/v2/vectordb/collections/list" % ip, {}, "POST")["data"]
    out = []
    for n in sorted(names):
        d = call("http://%s:9091/api/v1/replicas" % ip,
                 {"collection_name": n, "db_name": "default", "with_shard_nodes": True}, "GET")
        if d.get("status", {}).get("code", 0) == 101:
            continue        # not loaded: no replicas
        for r in d.get("replicas", []):
            sh = r.get("shard_replicas", [])
            out.append({"collection": n, "replica": r["replicaID"],
                        "nodes": r.get("node_ids", []),
                        "leaders": [s.get("leaderID", 0) for s in sh],
                        "shard_nodes": sorted({x for s in sh for x in s.get("node_ids", [])})})
    return out
if sys.argv[2:] != ["--watch"]:
    print(json.dumps(replicas()))
    sys.exit(0)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
while True:
    sent = int(time.time() * 1000)
    try:
        now = json.dumps(replicas())
    except Exception as e:
        now = json.dumps({"error": str(e)})
    print(sent, int(time.time() * 1000), now, flush=True)
    time.sleep(0.1)
PY
python3 "$E2E_TMP/gt-replicas.py" "$PROXY" >"$E2E_TMP/rep-before.json" ||
	e2e_die "curl of /api/v1/replicas on $PROXY"
QN=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(next(x["nodes"][0] for x in r if len(x["nodes"]) == 1))' "$E2E_TMP/rep-before.json")
[ -n "$QN" ] || e2e_die "no querynode alone in a replica"
echo "# querynode $QN is alone in a replica; replicas via $PROXY"
gt_watch "$EP" "querynode-$QN" "$E2E_TMP/gt-qn"
python3 -u "$E2E_TMP/gt-replicas.py" "$PROXY" --watch >"$E2E_TMP/rep-during" 2>/dev/null &
drill_watchers="$drill_watchers $!"
sleep 0.3

QMEMBER=$(member_by_server q24 "$EP" "querynode-$QN")
QPID=$(member_pid q24 "$QMEMBER")
out="$E2E_TMP/qn.json"
"$M" -p lab-q24 drill run "querynode/$QN" --confirm "querynode/$QN" --backend lab \
	--timeout 30s -o json >"$out" 2>"$out.err"
rc=$?
sed 's/^/# /' "$out.err"
python3 "$E2E_TMP/gt-replicas.py" "$PROXY" >"$E2E_TMP/rep-after.json"
e2e_check "querynode: drill run querynode/$QN exits 0, verdict met, kind worker" \
	test "$rc" = 0 -a "$(e2e_json "$out" '(d["verdict"] == "met" and
	d["target"]["kind"] == "worker" and d["target"]["server_id"] == '"$QN"' and
	d["election_applicable"] is False and d["times"]["elected_ms"] is None)')" = yes
e2e_check "querynode: curl /api/v1/replicas: $QN was alone in a replica before, in none after, each replica has a node" \
	python3 - "$E2E_TMP/rep-before.json" "$E2E_TMP/rep-after.json" "$QN" <<'PY'
import json, sys
b, a, qn = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
print("# before", [x["nodes"] for x in b], "after", [x["nodes"] for x in a])
ok = any(x["nodes"] == [qn] for x in b) and a
ok = ok and all(qn not in x["nodes"] and qn not in x["leaders"] and
                qn not in x["shard_nodes"] and x["nodes"] for x in a)
sys.exit(0 if ok else 1)
PY
e2e_check "querynode: detect agrees with etcdctl watch's DELETE of querynode-$QN ($HOP_MS ms)" \
	python3 - "$out" "$E2E_TMP/gt-qn" "$HOP_MS" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["times"]
dele = [int(l.split()[0]) for l in open(sys.argv[2])
        if l.split()[1:2] == ["DELETE"] and int(l.split()[0]) >= t["started_ms"] - 20]
print("# detect %s watch DELETE %s" % (t["detected_ms"], dele[:1]))
sys.exit(0 if dele and abs(t["detected_ms"] - dele[0]) <= int(sys.argv[3]) else 1)
PY
e2e_check "querynode: INJECT agrees with the supervisor's exit of $QMEMBER (pid $QPID)" \
	inject_check "$out" q24 "$QMEMBER" "$QPID" -
# The replicas moved between the last stamped poll that still showed QN (sent
# at U) and the first that did not (received at V): served (ready_ms) cannot
# come before U, and at a poll every 250 ms comes soon after V.
e2e_check "querynode: recover began after the replicas moved (per curl polls), then K probes recovered" \
	python3 - "$out" "$E2E_TMP/rep-during" "$QN" <<'PY'
import json, sys
d, qn = json.load(open(sys.argv[1])), int(sys.argv[3])
t = d["times"]
u = v = None
for l in open(sys.argv[2]):
    sent, recv, js = l.split(" ", 2)
    r = json.loads(js)
    if isinstance(r, dict):
        continue
    has = any(qn in x["nodes"] or qn in x["leaders"] or qn in x["shard_nodes"] or
              not x["nodes"] for x in r)
    if has:
        u, v = int(sent), None
    elif v is None and u is not None:
        v = int(recv)
print("# last poll with %d sent %s, first without received %s; detected %s ready %s "
      "recovered %s" % (qn, u, v, t["detected_ms"], t["ready_ms"], t["recovered_ms"]))
ok = u is not None and v is not None and t["ready_ms"] is not None
ok = ok and t["ready_ms"] >= t["detected_ms"] and t["recovered_ms"] >= t["ready_ms"]
ok = ok and u <= t["ready_ms"] <= v + 1500
rec = [p for p in d["phases"] if p["phase"] == "recover"]
ok = ok and rec and rec[0]["end_ms"] == t["recovered_ms"]
sys.exit(0 if ok else 1)
PY
e2e_check "querynode: the report's note names /api/v1/replicas (one call per loaded collection)" \
	test "$(e2e_json "$out" 'any("polls of /api/v1/replicas, one call per loaded collection"
	in n and "/api/v1/_qc/replica answered 404" in n for n in d["notes"])')" = yes
e2e_check "querynode: report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
echo "# drill: $(e2e_json "$out" '"%d ms in all, detect %d ms, recover %d ms, rto %s ms" % (
	d["times"]["ended_ms"] - d["times"]["started_ms"],
	[p["ms"] for p in d["phases"] if p["phase"] == "detect"][0],
	[p["ms"] for p in d["phases"] if p["phase"] == "recover"][0], d["rto_ms"])')"
echo "# notes: $(e2e_json "$out" 'd["notes"]')"

e2e_done
