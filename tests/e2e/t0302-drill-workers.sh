#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills of workers on a 2.5 lab with the lab SIGKILL backend: a querynode
# that is alone in a replica (recover waits until querycoord moved the
# replica, checked against curl on /api/v1/_qc/replica before and after), and
# a proxy (the one milvus.uri names; the probes fail over to the other proxy
# and recovery comes through it; no election). Each report is checked against
# etcdctl and the schema.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.92.10.0/24
trap drill_cleanup EXIT
M="$MILVUSADM"
EP=http://127.92.10.2:2379

# A long back-off: the killed member stays down for the whole drill.
lab_up w25 127.92.10.0/24 --milvus 2.5 --ttl 4 --backoff 60s
URI=$(python3 -c 'import re,sys
print(re.search(r"uri: \"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' \
	"$XDG_CONFIG_HOME/milvusadm/config.yaml")
PROXY_IP=$(echo "$URI" | sed 's|^http://||; s|:.*||')
proxy_key=$(etcdctl_ "$EP" get --keys-only --prefix by-dev/meta/session/proxy- |
	sed -n 's|^by-dev/meta/session/||p' | while read -r k; do
	[ -n "$k" ] && session_json "$EP" "$k" | grep -q "\"$PROXY_IP:" && echo "$k"; done)
gt_watch "$EP" "$proxy_key" "$E2E_TMP/gt-proxy"

# A worker role without an ID: the healthy one with the lowest ServerID
# (etcdctl's querynode sessions); an unknown role is a usage error (exit 2).
qn_min=$(etcdctl_ "$EP" get --prefix by-dev/meta/session/querynode- --print-value-only |
	python3 -c 'import json,sys
print(min(json.loads(l)["ServerID"] for l in sys.stdin if l.strip()))')
e2e_check "drill plan querynode aims at querynode $qn_min (the lowest ServerID)" \
	sh -c "'$M' -p lab-w25 drill plan querynode -o json | python3 -c 'import json,sys
d = json.load(sys.stdin)
sys.exit(0 if d[\"steps\"][0][\"action\"].startswith(\"querynode = querynode $qn_min at \") else 1)'"
"$M" -p lab-w25 drill plan foo >/dev/null 2>"$E2E_TMP/foo.err"
e2e_check "drill plan foo is a usage error (exit 2) with the reason" \
	sh -c "[ $? = 2 ] && grep -q \"'foo' is not a Milvus role\" '$E2E_TMP/foo.err'"

# Probes that cannot work before the fault (a collection that does not exist)
# refuse the drill before anything is killed, rather than blaming the cluster.
"$M" -p lab-w25 drill run querycoord --confirm querycoord --backend lab \
	--collection nosuch >/dev/null 2>"$E2E_TMP/nosuch.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/nosuch.err"
e2e_check "a drill whose probes fail before the fault is refused (exit 3), naming the call" \
	sh -c "[ $rc = 3 ] && grep -q \"probe '.*nosuch' through '.*' failed\" '$E2E_TMP/nosuch.err'"
# (the supervisor's exits too: "killed by=drill" is the tool's own line)
e2e_check "... and nothing was killed" \
	sh -c "! grep -q 'killed by=drill' '$(e2e_lab_dir w25)/events.log' &&
	    ! grep -q ' exited signal=9 ' '$(e2e_lab_dir w25)/events.log'"

# ---- querynode: one alone in a replica, so querycoord must move it ----
# (first: after the proxy drill milvus.uri is down, and the precheck reads the
# collections through it)
OTHER=$(etcdctl_ "$EP" get --keys-only --prefix by-dev/meta/session/proxy- |
	sed -n 's|^by-dev/meta/session/||p' | while read -r k; do
	[ -n "$k" ] && session_json "$EP" "$k"; done | python3 -c 'import json,sys
for l in sys.stdin:
    a = json.loads(l)["Address"].split(":")[0]
    if a != sys.argv[1]: print(a); break' "$PROXY_IP")
curl -s "http://$OTHER:9091/api/v1/_qc/replica" >"$E2E_TMP/rep-before.json"
QN=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(next(x["rw_nodes"][0] for x in r if len(x["rw_nodes"]) == 1))' "$E2E_TMP/rep-before.json")
echo "# querynode $QN is alone in a replica; replicas via $OTHER"
QMEMBER=$(member_by_server w25 "$EP" "querynode-$QN")
QPID=$(member_pid w25 "$QMEMBER")
out="$E2E_TMP/qn.json"
"$M" -p lab-w25 drill run "querynode/$QN" --confirm "querynode/$QN" --backend lab \
	--timeout 30s -o json >"$out" 2>"$out.err"
rc=$?
sed 's/^/# /' "$out.err"
curl -s "http://$OTHER:9091/api/v1/_qc/replica" >"$E2E_TMP/rep-after.json"
e2e_check "querynode: drill run querynode/$QN exits 0 (met)" test "$rc" = 0
e2e_check "querynode: curl /_qc/replica: $QN was alone in a replica before, in none after, each replica has a RW node" \
	python3 - "$E2E_TMP/rep-before.json" "$E2E_TMP/rep-after.json" "$QN" <<'PY'
import json, sys
b, a, qn = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
print("# before", [x["rw_nodes"] for x in b], "after", [x["rw_nodes"] for x in a])
ok = any(x["rw_nodes"] == [qn] for x in b) and a
ok = ok and all(qn not in x["rw_nodes"] and x["rw_nodes"] for x in a)
sys.exit(0 if ok else 1)
PY
e2e_check "querynode: replicas served again after the session went, then K probes recovered" \
	test "$(e2e_json "$out" '(d["times"]["ready_ms"] >= d["times"]["detected_ms"] and
	d["times"]["recovered_ms"] >= d["times"]["ready_ms"] and
	d["election_applicable"] is False and
	d["probes"]["calls"] == "collections/get_load_state, entities/query count(*)" and
	any("_qc/replica" in n for n in d["notes"]))')" = yes
e2e_check "querynode: report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
e2e_check "querynode: INJECT agrees with the supervisor's exit of $QMEMBER (pid $QPID)" \
	inject_check "$out" w25 "$QMEMBER" "$QPID" -
# ---- proxy ----
PMEMBER=$(member_by_server w25 "$EP" "$proxy_key")
PPID_=$(member_pid w25 "$PMEMBER")
out="$E2E_TMP/proxy.json"
"$M" -p lab-w25 drill run proxy --confirm proxy --backend lab --timeout 30s -o json \
	>"$out" 2>"$out.err"
rc=$?
sed 's/^/# /' "$out.err"
e2e_check "proxy: drill run proxy exits 0 (met)" test "$rc" = 0
e2e_check "proxy: the drilled proxy is the one milvus.uri names ($proxy_key)" \
	test "$(e2e_json "$out" '(d["target"]["role"] == "proxy" and
	d["target"]["address"].split(":")[0] == "'"$PROXY_IP"'" and
	d["target"]["kind"] == "worker")')" = yes
e2e_check "proxy: no election (not applicable, elected_ms null, no new active)" \
	test "$(e2e_json "$out" '(d["election_applicable"] is False and
	d["times"]["elected_ms"] is None and d["new_active"]["server_id"] is None)')" = yes
e2e_check "proxy: detect agrees with etcdctl watch's DELETE of $proxy_key ($HOP_MS ms)" \
	python3 - "$out" "$E2E_TMP/gt-proxy" "$HOP_MS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["times"]
dele = [int(l.split()[0]) for l in open(sys.argv[2])
        if l.split()[1:2] == ["DELETE"] and int(l.split()[0]) >= t["started_ms"] - 20]
print("# detect %s watch DELETE %s" % (t["detected_ms"], dele[:1]))
sys.exit(0 if dele and abs(t["detected_ms"] - dele[0]) <= int(sys.argv[3]) else 1)
PY
e2e_check "proxy: the report has the probe success rate and recovery came through the other proxy" \
	test "$(e2e_json "$out" '(d["probes"]["sent"] > 0 and
	0 <= d["probes"]["success_permille"] <= 1000 and
	d["probes"]["recovered_via"] is not None and
	"'"$PROXY_IP"'" not in d["probes"]["recovered_via"] and
	any(v["uri"] == d["probes"]["recovered_via"] and v["ok"] >= 3
	    for v in d["probes"]["by_proxy"]))')" = yes
echo "# proxy probes: $(e2e_json "$out" 'd["probes"]')"
e2e_check "proxy: report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
e2e_check "proxy: INJECT agrees with the supervisor's exit of $PMEMBER (pid $PPID_)" \
	inject_check "$out" w25 "$PMEMBER" "$PPID_" -
"$M" drill show last --markdown >"$E2E_TMP/proxy.md"
e2e_check "proxy: the Markdown report says the election does not apply and names the proxy" \
	test -n "$(grep 'elect | not applicable' "$E2E_TMP/proxy.md")" -a \
	-n "$(grep 'recovered through http' "$E2E_TMP/proxy.md")"

e2e_done
