#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills of etcd members on a default lab (3 members, session TTL 10 s so that
# the sessions outlive the election): `etcd-leader` with the lab SIGKILL, its
# report checked against etcdctl endpoint status before and after (old leader,
# new leader, raft terms), no Milvus session lost, the schema; then a follower
# by name through the exec backend (no election); and a 1-member lab refused in PRECHECK with exit 3.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.93.10.0/24
trap drill_cleanup EXIT
M="$MILVUSADM"
EPS=http://127.93.10.2:2379,http://127.93.10.3:2379,http://127.93.10.4:2379

# endpoint status of every member as JSON lines: endpoint, member id (hex),
# leader id (hex), raft term; members that do not answer are left out.
ep_status() {
	etcdctl_ "$EPS" endpoint status -w json 2>/dev/null | python3 -c 'import json,sys
for s in json.load(sys.stdin):
    h = s["Status"]["header"]
    print(json.dumps({"ep": s["Endpoint"], "id": "%x" % h["member_id"],
        "leader": "%x" % s["Status"]["leader"], "term": h["raft_term"]}))'
}
# member_names: "hexid name clienturl" per member.
member_names() {
	etcdctl_ "$EPS" member list -w json | python3 -c 'import json,sys
for m in json.load(sys.stdin)["members"]:
    print("%x" % m["ID"], m["name"], m["clientURLs"][0])'
}
sessions() {
	etcdctl_ "$EPS" get --prefix by-dev/meta/session/ -w json | python3 -c 'import json,sys
print(" ".join(sorted("%s@%d" % (k["key"], k.get("lease", 0)) for k in json.load(sys.stdin).get("kvs", []))))'
}
three_healthy() {
	test "$(etcdctl_ "$EPS" endpoint health 2>&1 | grep -c 'is healthy')" = 3
}

# A long back-off: the killed member stays down for the whole drill.
lab_up e3 127.93.10.0/24 --ttl 10 --backoff 30s
ep_status >"$E2E_TMP/st-before"
member_names >"$E2E_TMP/names"
sessions >"$E2E_TMP/sess-before"
sed 's/^/# before: /' "$E2E_TMP/st-before"

"$M" -p lab-e3 drill plan etcd-leader --backend lab >"$E2E_TMP/plan.out" 2>&1
sed 's/^/# /' "$E2E_TMP/plan.out"
e2e_check "drill plan etcd-leader names the lab kill of an etcd member" \
	grep -q "SIGKILL.*lab kill --name e3 etcd-" "$E2E_TMP/plan.out"

# A backend that cannot act on an etcd member is refused in precheck, with its
# own reason, before anything is done: no lease to revoke, no management port.
for b in etcd-lease stop; do
	"$M" -p lab-e3 drill run etcd-leader --confirm etcd-leader --backend $b \
		>/dev/null 2>"$E2E_TMP/refused-$b.err"
	rc=$?
	sed 's/^/# /' "$E2E_TMP/refused-$b.err"
	e2e_check "drill run etcd-leader --backend $b is refused (exit 3), saying why" \
		sh -c "[ $rc = 3 ] && grep -q \"backend '$b' cannot drill etcd-leader\" \
		    '$E2E_TMP/refused-$b.err'"
done
# (the supervisor's exits too: "killed by=drill" is the tool's own line)
e2e_check "nothing was saved or killed by the refused drills" \
	sh -c "[ -z \"\$(ls '$XDG_STATE_HOME/milvusadm/drills/' 2>/dev/null | grep json)\" ] &&
	    ! grep -q 'killed by=drill' '$(e2e_lab_dir e3)/events.log' &&
	    ! grep -q ' exited signal=9 ' '$(e2e_lab_dir e3)/events.log'"

LEADER=$(etcd_leader_member "$EPS")
LPID=$(member_pid e3 "$LEADER")
out="$E2E_TMP/drill-leader.json"
"$M" -p lab-e3 drill run etcd-leader --confirm etcd-leader --backend lab --timeout 40s \
	-o json >"$out" 2>"$out.err"
rc=$?
sed 's/^/# /' "$out.err"
e2e_check "drill run etcd-leader exits 0 (met)" test "$rc" = 0
ep_status >"$E2E_TMP/st-after"
sessions >"$E2E_TMP/sess-after"
sed 's/^/# after: /' "$E2E_TMP/st-after"
e2e_check "the etcd-leader report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
check_leader() {
	python3 - "$out" "$E2E_TMP/st-before" "$E2E_TMP/st-after" "$E2E_TMP/names" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
before = [json.loads(l) for l in open(sys.argv[2])]
after = [json.loads(l) for l in open(sys.argv[3])]
names = {}
urls = {}
for l in open(sys.argv[4]):
    i, n, u = l.split()
    names[i] = n
    urls[n] = u
e = d["etcd"]
old = names[before[0]["leader"]]
new = names[after[0]["leader"]] if after else None
tb = max(s["term"] for s in before)
ta = max(s["term"] for s in after) if after else None
print("# report %s term %s -> %s term %s; etcdctl %s term %s -> %s term %s" % (
    e["leader_before"], e["term_before"], e["leader_after"], e["term_after"],
    old, tb, new, ta))
ok = d["verdict"] == "met" and d["target"]["kind"] == "etcd-member"
ok = ok and e["was_leader"] and e["member"] == old and e["leader_before"] == old
ok = ok and d["target"]["address"] == urls[old]
# The killed member does not answer after; the others agree on the new leader.
ok = ok and len(after) == 2 and all(s["leader"] == after[0]["leader"] for s in after)
ok = ok and e["leader_after"] == new and new != old
ok = ok and e["term_before"] == tb and e["term_after"] == ta and ta > tb
ok = ok and d["new_active"]["address"] == urls[new]
ok = ok and e["sessions_lost"] == 0 and e["sessions_before"] > 0
t = d["times"]
ok = ok and t["injected_ms"] <= t["detected_ms"] <= t["elected_ms"] <= t["recovered_ms"]
sys.exit(0 if ok else 1)
PY
}
e2e_check "report: old/new leader and raft terms match etcdctl endpoint status, 0 sessions lost" \
	check_leader
e2e_check "etcd-leader: INJECT agrees with the supervisor's exit of $LEADER (pid $LPID)" \
	inject_check "$out" e3 "$LEADER" "$LPID" -
e2e_check "etcdctl: the same Milvus sessions (keys and leases) after the drill" \
	test "$(cat "$E2E_TMP/sess-before")" = "$(cat "$E2E_TMP/sess-after")" -a \
	-s "$E2E_TMP/sess-before"
"$M" drill show last --markdown >"$E2E_TMP/last.md"
e2e_check "the Markdown report names the new etcd leader and the sessions lost" \
	grep -q 'Milvus sessions: [0-9]* before, 0 lost' "$E2E_TMP/last.md"

# While the killed member is down, only 2 of 3 are healthy: refused.
"$M" -p lab-e3 drill run etcd-leader --confirm etcd-leader --backend lab \
	>/dev/null 2>"$E2E_TMP/down.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/down.err"
e2e_check "with one member down a second etcd drill is refused (exit 3)" test "$rc" = 3

# A follower by name, once all three are back: no election, the leader stays.
e2e_check "the killed member is back (lab supervisor)" e2e_wait_ms 60000 three_healthy
sleep 1
ep_status >"$E2E_TMP/st-before2"
follower=$(python3 - "$E2E_TMP/st-before2" "$E2E_TMP/names" <<'PY'
import json, sys
st = [json.loads(l) for l in open(sys.argv[1])]
names = dict(l.split()[:2] for l in open(sys.argv[2]))
print(names[[s for s in st if s["id"] != s["leader"]][0]["id"]])
PY
)
FPID=$(member_pid e3 "$follower")
out2="$E2E_TMP/drill-follower.json"
# Through the exec backend: {pod} is the member's name, as the lab names it.
"$M" -p lab-e3 drill run "etcd/$follower" --confirm "etcd/$follower" --backend exec \
	--option "argv=$M lab kill --name e3 {pod}" \
	--timeout 30s -o json >"$out2" 2>"$out2.err"
rc=$?
sed 's/^/# /' "$out2.err"
e2e_check "drill run etcd/$follower (a follower, exec backend) exits 0" test "$rc" = 0
e2e_check "the exec backend's 'lab kill' of the member named {pod} exited 0" \
	test "$(e2e_json "$out2" '"(exit 0)" in d["backend"]["detail"]')" = yes
e2e_check "the follower report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out2"
e2e_check "follower: INJECT agrees with the supervisor's exit of $follower (pid $FPID)" \
	inject_check "$out2" e3 "$follower" "$FPID" -
e2e_check "follower: no election, the leader stays, 0 sessions lost" \
	test "$(e2e_json "$out2" '(not d["election_applicable"] and
	not d["etcd"]["was_leader"] and d["etcd"]["leader_after"] == d["etcd"]["leader_before"]
	and d["etcd"]["member"] == "'"$follower"'" and d["etcd"]["sessions_lost"] == 0)')" = yes
lab_down e3

# One member: losing it loses etcd. Refused in PRECHECK.
lab_up e1 127.93.11.0/24 --etcd 1 --ttl 10 --backoff 30s
"$M" -p lab-e1 drill run etcd-leader --confirm etcd-leader --backend lab \
	>/dev/null 2>"$E2E_TMP/one.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/one.err"
e2e_check "a 1-member etcd is refused in PRECHECK (exit 3, says why)" \
	test "$rc" = 3 -a -n "$(grep 'at least 3' "$E2E_TMP/one.err")"
e2e_check "no drill lock is left behind" test ! -e "$XDG_STATE_HOME/milvusadm/drills/lock"
e2e_done
