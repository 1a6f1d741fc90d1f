# SPDX-License-Identifier: MIT
# Helpers for the drill tests: ground truth of the active key from `etcdctl
# watch` (each line stamped with the wall clock on arrival), a drill run, and
# the comparison of its report with that ground truth. Sourced after lib.sh
# and lib-etcd.sh.

drill_watchers=""

# gt_watch EP ROLE FILE: stamp every line of `etcdctl watch` on the active key
# with the wall clock on arrival (python runs etcdctl and ends it on SIGTERM).
gt_watch() {
	python3 -u -c 'import os, signal, subprocess, sys, time
p = subprocess.Popen(["etcdctl", "--endpoints", sys.argv[1], "watch", sys.argv[2]],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    env=dict(os.environ, ETCDCTL_API="3"))
def stop(*a):
    p.kill()
    os._exit(0)
signal.signal(signal.SIGTERM, stop)
for l in p.stdout:
    print(int(time.time() * 1000), l.rstrip(), flush=True)' \
		"$1" "by-dev/meta/session/$2" >"$3" &
	drill_watchers="$drill_watchers $!"
	sleep 0.3
}

drill_cleanup() {
	local rc=$?
	for p in $drill_watchers; do
		kill "$p" 2>/dev/null || true
	done
	(exit "$rc")
	e2e_cleanup
}

# drill_check REPORT GTFILE DESC: the report's detect/elect times agree with the
# watch's DELETE/PUT lines after inject within 50 ms, and RTO >= election.
drill_check() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["times"]
ev = []
for line in open(sys.argv[2]):
    p = line.split(" ", 1)
    if len(p) == 2 and p[1].strip() in ("PUT", "DELETE"):
        ev.append((int(p[0]), p[1].strip()))
start = t["started_ms"] - 20
dele = [ms for ms, k in ev if k == "DELETE" and ms >= start]
put = [ms for ms, k in ev if k == "PUT" and ms >= start]
print("# report detect %s elect %s; watch DELETE %s PUT %s; rto %s" % (
    t["detected_ms"], t["elected_ms"], dele[:1], put[:1], d["rto_ms"]))
ok = d["verdict"] == "met" and dele and put
ok = ok and abs(t["detected_ms"] - dele[0]) <= 50 and abs(t["elected_ms"] - put[0]) <= 50
ok = ok and d["rto_ms"] >= put[0] - t["injected_ms"] - 50
sys.exit(0 if ok else 1)
PY
}

# standby_back EP ROLE: two instance keys again (the drilled one came back).
standby_back() {
	instance_count_is "$1" "$2" 2
}

# restore_member LAB REPORT: `lab restart` the member that hosted the target
# (after a graceful stop its process stays up without a session).
restore_member() {
	local ip member
	ip=$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["target"]["address"].split(":")[0])' "$2")
	member=$("$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
for m in json.load(sys.stdin)["members"]:
    if m["address"] == sys.argv[1]: print(m["name"])' "$ip")
	"$MILVUSADM" lab restart --name "$1" "$member" >/dev/null 2>&1
}

# lab_log_check LAB REPORT BACKEND: the report against the lab's own log
# (LABDIR/events.log, written by the components themselves): elected within
# 50 ms of the new active's active-gained; with the lab backend, injected
# within 50 ms of the member's "killed by=drill"; detected within 50 ms of the
# first component that saw the active key go — on 2.3-2.5 the standbys watch
# it (active-vacated), a graceful stop is logged by the active itself
# (active-lost reason=stopping); a revoke's DELETE can reach a watching
# standby before the revoke's own answer reaches the drill, so lines count
# from when inject was asked. On 2.6 nothing in the lab watches the key
# after a kill or a lease revoke (standbys poll), so those detections are
# checked against etcdctl watch only (drill_check). Workers (no election):
# only the kill, as nothing in the lab watches a worker's key.
lab_log_check() {
	python3 - "$(e2e_lab_dir "$1")/events.log" "$2" "$3" <<'PY'
import calendar, json, sys, time
log, rep, backend = sys.argv[1:4]
d = json.load(open(rep))
t, role = d["times"], d["target"]["role"]
ev = []
for l in open(log, errors="replace"):
    f = l.split()
    try:
        ms = calendar.timegm(time.strptime(f[0][:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(f[0][20:23])
    except (ValueError, IndexError):
        continue
    if ms >= t["started_ms"] - 50:
        ev.append((ms, f[1], f[2], dict(x.split("=", 1) for x in f[3:] if "=" in x)))
def first(pred):
    m = [e[0] for e in ev if pred(e)]
    return min(m) if m else None
bad, seen = [], []
def near(what, got, want):
    seen.append("%s %s/%s" % (what, got, want))
    if want is None or got is None or abs(got - want) > 50:
        bad.append("%s: report %s, lab log %s" % (what, got, want))
if d["election_applicable"]:
    near("elect", t["elected_ms"], first(lambda e: e[2] == "active-gained" and
         e[3].get("role") == role and e[3].get("server_id") == str(d["new_active"]["server_id"])))
if backend == "lab":
    near("inject", t["injected_ms"], first(lambda e: e[2] == "killed" and e[3].get("by") == "drill"))
old = str(d["target"]["server_id"])
if backend == "stop":
    near("detect", t["detected_ms"], first(lambda e: e[2] == "active-lost" and
         e[3].get("server_id") == old and e[3].get("reason") == "stopping"))
elif d["election_applicable"] and not d["milvus_version"].startswith("2.6"):
    near("detect", t["detected_ms"], first(lambda e: e[2] in ("active-vacated", "active-lost")
         and e[3].get("role") == role and e[0] >= t["started_ms"]))
print("# lab log:", ", ".join(seen))
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
PY
}

# member_restarts LAB MEMBER: how often the supervisor restarted it.
member_restarts() {
	"$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
for m in json.load(sys.stdin)["members"]:
    if m["name"] == sys.argv[1]: print(m["restarts"])' "$2"
}

# restarts_are REPORT BEFORE AFTER: the report's restart counts ("null" when
# the backend cannot count).
restarts_are() {
	python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])).get("restarts", {})
want = [None if a == "null" else int(a) for a in sys.argv[2:4]]
got = [r.get("before"), r.get("after")]
print("# restarts %s (%s), want %s" % (got, r.get("what"), want))
sys.exit(0 if got == want else 1)
PY
}

# drill_one LAB EP ROLE BACKEND [drill args]: run, check against the ground
# truth, and wait until the role has a standby again.
drill_one() {
	local lab=$1 ep=$2 role=$3 backend=$4 out rc member r0 r1
	shift 4
	out="$E2E_TMP/drill-$lab-$role-$backend.json"
	member=$(member_by_server "$lab" "$ep" "$role")
	r0=$(member_restarts "$lab" "$member")
	"$MILVUSADM" -p "lab-$lab" drill run "$role" --confirm "$role" --backend "$backend" \
		--timeout 30s -o json "$@" >"$out" 2>"$out.err"
	rc=$?
	r1=$(member_restarts "$lab" "$member")
	e2e_check "$lab: drill $role --backend $backend exits 0 (met)" test "$rc" = 0
	if [ "$backend" = lab ]; then
		e2e_check "$lab: $role/lab restarts in the report are the supervisor's ($member: $r0 -> $r1)" \
			restarts_are "$out" "$r0" "$r1"
	else
		e2e_check "$lab: $role/$backend cannot count restarts: null" \
			restarts_are "$out" null null
	fi
	e2e_check "$lab: $role/$backend phase times agree with etcdctl watch (50 ms)" \
		drill_check "$out" "$E2E_TMP/gt-$lab-$role"
	e2e_check "$lab: $role/$backend phase times agree with the lab's own log (50 ms)" \
		lab_log_check "$lab" "$out" "$backend"
	e2e_check "$lab: $role/$backend report validates against the schema" \
		python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
	if [ "$backend" = stop ]; then
		restore_member "$lab" "$out"
	fi
	e2e_check "$lab: $role has a standby again" e2e_wait_ms 20000 standby_back "$ep" "$role"
}
