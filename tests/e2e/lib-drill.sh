# SPDX-License-Identifier: MIT
# Helpers for the drill tests: ground truth of the active key from `etcdctl
# watch` (each line stamped with the wall clock on arrival), a drill run, and
# the comparison of its report with that ground truth. Sourced after lib.sh
# and lib-etcd.sh.

drill_watchers=""

# Tolerances of the timing checks below, in ms. Every timestamp is this
# machine's wall clock; what differs is how many processes stand between an
# event and its stamp. Measured: 0-5 ms idle, at most 21 ms with two CPU hogs
# on 2 cores (t0300 and t0301, each comparison below).
# HOP_MS: two processes stamp the same thing, each woken by its own socket
# (the drill's etcd watch and etcdctl watch piped into python; the drill and a
# lab member's log line): one scheduling delay on either side. A timestamp
# taken at the wrong moment by 200 ms still lands 100 ms outside.
HOP_MS=100
# EXIT_MS: the supervisor's "exited" comes after a SIGKILL once the kernel has
# torn the process down and the supervisor, woken by SIGCHLD, has reaped it:
# two scheduling steps after the kill, where the drill reads its clock right
# after kill(2) and one append to events.log.
EXIT_MS=150
# ASK_MS: from the drill asking for a revoke or a graceful stop to etcdctl
# seeing the key's DELETE: an etcd write (a WAL fsync, slow when the disk is
# shared) plus the hops to etcd, the member (stop) and etcdctl. The fault
# must show within it or INJECT was not when the fault was made.
ASK_MS=500

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

# drill_check REPORT GTFILE: the report's detect/elect times agree with the
# watch's DELETE/PUT lines after inject within HOP_MS (two processes woken by
# the same etcd event: catches a detection by polling or a time taken when the
# event was handled rather than when it came), and recovery is not before the
# new active's PUT (RTO >= election).
drill_check() {
	python3 - "$1" "$2" "$HOP_MS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t, hop = d["times"], int(sys.argv[3])
ev = []
for line in open(sys.argv[2]):
    p = line.split(" ", 1)
    if len(p) == 2 and p[1].strip() in ("PUT", "DELETE"):
        ev.append((int(p[0]), p[1].strip()))
start = t["started_ms"] - 20
dele = [ms for ms, k in ev if k == "DELETE" and ms >= start]
put = [ms for ms, k in ev if k == "PUT" and ms >= start]
print("# report detect %s elect %s; watch DELETE %s PUT %s; rto %s (%s ms allowed)" % (
    t["detected_ms"], t["elected_ms"], dele[:1], put[:1], d["rto_ms"], hop))
ok = d["verdict"] == "met" and dele and put
ok = ok and abs(t["detected_ms"] - dele[0]) <= hop and abs(t["elected_ms"] - put[0]) <= hop
ok = ok and d["rto_ms"] >= put[0] - t["injected_ms"] - hop
sys.exit(0 if ok else 1)
PY
}

# inject_check REPORT LAB MEMBER PID GTFILE: the report's INJECT against a
# record the tool did not write (STYLE.md: ground truth from outside the
# tool). MEMBER is the lab member that hosted the target and PID its process,
# both read before the drill (from etcd and `lab status`); GTFILE is the
# gt_watch file of the target's key ("-" where a backend does not need one).
# - lab (SIGKILL): the supervisor's "exited signal=9 pid=PID" for MEMBER, the
#   death as waitpid(2) saw it: injected - exited in [-EXIT_MS, HOP_MS].
# - docker, exec: the same record, but the kill is made by another process
#   (the fake Docker Engine's or the exec'd `lab kill`) whose answer the drill
#   stamps: one more hop after the kill, so [-EXIT_MS, EXIT_MS + HOP_MS].
# - etcd-lease, stop: etcdctl watch's DELETE of the target's key. When the
#   drill's own watch saw the DELETE before the backend answered, INJECT is
#   when the fault was asked (drill-fsm.c), which must come before the DELETE
#   by at most ASK_MS; otherwise INJECT is the answer, stamped like the
#   watch's DELETE after the same etcd commit: within HOP_MS of it.
# - stop, besides: MEMBER's own "stopping role=ROLE" line (the lab member
#   writes it when /management/stop reaches it): at most HOP_MS after the
#   ask, and before the answer (by at most ASK_MS, the stop's own revoke).
# For each: the record is never before the drill asked for the fault.
inject_check() {
	python3 - "$1" "$(e2e_lab_dir "$2")/events.log" "$3" "$4" "$5" \
		"$HOP_MS" "$EXIT_MS" "$ASK_MS" <<'PY'
import calendar, json, sys, time
rep, log, member, pid, gt = sys.argv[1:6]
hop, exit_ms, ask = (int(x) for x in sys.argv[6:9])
d = json.load(open(rep))
t, backend, role = d["times"], d["backend"]["name"], d["target"]["role"]
inj, start = t["injected_ms"], t["started_ms"]
def lab_lines():
    for l in open(log, errors="replace"):
        f = l.split()
        try:
            ms = calendar.timegm(time.strptime(f[0][:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(f[0][20:23])
        except (ValueError, IndexError):
            continue
        if ms >= start - 50:
            yield ms, f[1], f[2], dict(x.split("=", 1) for x in f[3:] if "=" in x)
bad = []
def within(what, ref, lo, hi):
    if inj is None or ref is None:
        bad.append("%s: report injected %s, reference %s" % (what, inj, ref))
        return
    g = inj - ref
    print("# %s: injected %d - reference %d = %+d ms (allowed %+d..%+d); asked at %+d ms" % (
        what, inj, ref, g, lo, hi, start - ref))
    if ref < start:
        bad.append("%s: the reference is before the drill asked for the fault" % what)
    if not lo <= g <= hi:
        bad.append("%s: %+d ms is outside %+d..%+d" % (what, g, lo, hi))
if backend in ("lab", "docker", "exec"):
    ex = next((ms for ms, m, e, kv in lab_lines() if m == member and e == "exited" and
               kv.get("signal") == "9" and kv.get("pid") == pid), None)
    hi = hop if backend == "lab" else exit_ms + hop
    within("supervisor: %s exited signal=9 pid=%s" % (member, pid), ex, -exit_ms, hi)
elif backend in ("etcd-lease", "stop"):
    dele = []
    for line in open(gt):
        p = line.split(" ", 1)
        if len(p) == 2 and p[1].strip() == "DELETE" and int(p[0]) >= start - 20:
            dele.append(int(p[0]))
    w = dele[0] if dele else None
    if inj is not None and inj == start:
        within("etcdctl watch DELETE (INJECT at the ask)", w, -ask, 0)
    else:
        within("etcdctl watch DELETE (INJECT at the answer)", w, -hop, hop)
    if backend == "stop":
        st = next((ms for ms, m, e, kv in lab_lines() if m == member and
                   e == "stopping" and kv.get("role") == role), None)
        # The ask reaches the member one hop later; the answer leaves once
        # the component stopped (its lease revoked: an etcd write).
        if inj is not None and inj == start:
            within("%s stopping role=%s" % (member, role), st, -hop, 0)
        else:
            within("%s stopping role=%s" % (member, role), st, 0, ask)
else:
    bad.append("no independent record of an injection for backend '%s'" % backend)
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
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
# (LABDIR/events.log, written by the components themselves), within HOP_MS
# (the drill and a lab member stamp the same etcd event, each woken by its own
# watch or answer): elected against the new active's active-gained; detected
# against the first component that saw the active key go — on 2.3-2.5 the
# standbys watch it (active-vacated), a graceful stop is logged by the active
# itself (active-lost reason=stopping); a revoke's DELETE can reach a watching
# standby before the revoke's own answer reaches the drill, so lines count
# from when inject was asked. On 2.6 nothing in the lab watches the key
# after a kill or a lease revoke (standbys poll), so those detections are
# checked against etcdctl watch only (drill_check). Workers (no election):
# nothing in the lab watches a worker's key. INJECT is inject_check's: the
# lab backend's own "killed by=drill" line is the tool's, not a witness.
lab_log_check() {
	python3 - "$(e2e_lab_dir "$1")/events.log" "$2" "$3" "$HOP_MS" <<'PY'
import calendar, json, sys, time
log, rep, backend, hop = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
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
    if want is None or got is None or abs(got - want) > hop:
        bad.append("%s: report %s, lab log %s" % (what, got, want))
if d["election_applicable"]:
    near("elect", t["elected_ms"], first(lambda e: e[2] == "active-gained" and
         e[3].get("role") == role and e[3].get("server_id") == str(d["new_active"]["server_id"])))
old = str(d["target"]["server_id"])
if backend == "stop":
    near("detect", t["detected_ms"], first(lambda e: e[2] == "active-lost" and
         e[3].get("server_id") == old and e[3].get("reason") == "stopping"))
elif d["election_applicable"] and not d["milvus_version"].startswith("2.6"):
    near("detect", t["detected_ms"], first(lambda e: e[2] in ("active-vacated", "active-lost")
         and e[3].get("role") == role and e[0] >= t["started_ms"]))
print("# lab log (%d ms allowed): %s" % (hop, ", ".join(seen)))
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
	local lab=$1 ep=$2 role=$3 backend=$4 out rc member pid r0 r1 ref
	shift 4
	out="$E2E_TMP/drill-$lab-$role-$backend.json"
	member=$(member_by_server "$lab" "$ep" "$role")
	pid=$(member_pid "$lab" "$member")
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
	e2e_check "$lab: $role/$backend phase times agree with etcdctl watch ($HOP_MS ms)" \
		drill_check "$out" "$E2E_TMP/gt-$lab-$role"
	e2e_check "$lab: $role/$backend phase times agree with the lab's own log ($HOP_MS ms)" \
		lab_log_check "$lab" "$out" "$backend"
	case $backend in
	lab) ref="the supervisor's exit of $member (pid $pid)" ;;
	stop) ref="etcdctl watch's DELETE and $member's stopping line" ;;
	*) ref="etcdctl watch's DELETE" ;;
	esac
	e2e_check "$lab: $role/$backend INJECT agrees with $ref" \
		inject_check "$out" "$lab" "$member" "$pid" "$E2E_TMP/gt-$lab-$role"
	e2e_check "$lab: $role/$backend report validates against the schema" \
		python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
	if [ "$backend" = stop ]; then
		restore_member "$lab" "$out"
	fi
	e2e_check "$lab: $role has a standby again" e2e_wait_ms 20000 standby_back "$ep" "$role"
}
