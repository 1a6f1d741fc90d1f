#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A drill of the active rootcoord with the docker backend, against a fake
# Docker Engine on a unix socket (fake-dockerd.py) whose containers are the
# members of a 2.5 lab: the plan names the kill and the restore; a target whose
# HostName no container has is refused in precheck (exit 3) before anything is
# killed; the run kills the active's container with SIGKILL, then restores it
# (wait, then start: restart policy "no"), the report says "restore: ...", and
# the killed rootcoord runs again and holds a session as a standby. The lab's
# own back-off is 10 minutes, so only the fake's start brings it back: the fake
# starts a container with `milvusadm lab start`, and the lab's event log shows
# that start request after the drill's kill.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.104.0.0/24
M="$MILVUSADM"
EP=http://127.104.0.2:2379
fake_pid=""

docker_cleanup() {
	local rc=$?
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null || true
		wait "$fake_pid" 2>/dev/null || true
	fi
	(exit "$rc")
	drill_cleanup
}
trap docker_cleanup EXIT

lab_up dk "$E2E_SUBNET" --milvus 2.5 --ttl 4 --backoff 10m

SOCK="$E2E_TMP/docker.sock"
LOG="$E2E_TMP/docker.log"
HIDE="$E2E_TMP/docker.hide"
: >"$HIDE"
python3 "$E2E_DIR/fake-dockerd.py" --socket "$SOCK" --log "$LOG" --lab dk --hide "$HIDE" \
	--milvusadm "$M" 2>"$E2E_TMP/fake.err" &
fake_pid=$!
e2e_wait 20 test -S "$SOCK" || { cat "$E2E_TMP/fake.err"; e2e_die "fake dockerd on $SOCK"; }
sed -n 's/^{"containers": \[\(.*\)\], "event": "inventory".*/# containers: \1/p' "$LOG"

# The active rootcoord, its lab member and that member's container.
OLD=$(active_id "$EP" rootcoord)
MEMBER=$(member_by_server dk "$EP" rootcoord)
CID=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())' \
	"milvus-$MEMBER")
MEMBER_IP=$("$M" lab status --name dk -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["name"] == sys.argv[1]][0])' \
	"$MEMBER")
echo "# active rootcoord: ServerID $OLD on $MEMBER ($MEMBER_IP), container ${CID:0:12}"
OPT="--option socket=$SOCK"

# posts_since N: the POST requests in the fake's log after its line N, one
# "ID-or-name/verb?query" a line.
posts_since() {
	tail -n +"$(($1 + 1))" "$LOG" | python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l)
    if r.get("method") == "POST":
        print(r["path"].split("/containers/", 1)[-1] + ("?" + r["query"] if r["query"] else ""))'
}

# ---- plan: the kill and the restore, as the backend will send them ----
"$M" -p lab-dk drill plan rootcoord --backend docker $OPT -o json >"$E2E_TMP/plan.json" \
	2>"$E2E_TMP/plan.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/plan.err"
e2e_check "drill plan --backend docker exits 0" test "$rc" = 0
e2e_check "drill plan names the kill of container milvus-$MEMBER and the restore (wait, then start)" \
	python3 - "$E2E_TMP/plan.json" "$CID" <<'PY'
import json, sys
d, cid = json.load(open(sys.argv[1])), sys.argv[2]
steps = d["steps"]
text = "\n".join("%s: %s" % (s["step"], s["action"]) for s in steps)
print("\n".join("# " + l for l in text.splitlines() if "docker" in l or "POST" in l))
kill = "/containers/%s/kill?signal=SIGKILL" % cid
restore = [s["action"] for s in steps if s["step"] == "restore"]
ok = d["backend"] == "docker" and kill in text and "'milvus-" in text
ok = ok and len(restore) == 1 and ("/containers/%s/wait?condition=not-running" % cid) in restore[0]
ok = ok and ("/containers/%s/start" % cid) in restore[0]
ok = ok and restore[0].index("wait") < restore[0].index("/start")
sys.exit(0 if ok else 1)
PY

# ---- precheck: no container has the target's HostName ----
echo "$MEMBER" >"$HIDE"
mark=$(wc -l <"$LOG")
"$M" -p lab-dk drill run rootcoord --confirm rootcoord --backend docker $OPT --timeout 30s \
	-o json >"$E2E_TMP/hidden.json" 2>"$E2E_TMP/hidden.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/hidden.err"
e2e_check "a target whose HostName no container has is refused in precheck with exit 3" \
	sh -c "[ $rc = 3 ] && grep -q 'refused in precheck' '$E2E_TMP/hidden.err' &&
	grep -q 'no running container has hostname' '$E2E_TMP/hidden.err'"
nothing_killed() {
	[ -z "$(posts_since "$mark")" ] && [ "$(active_id "$EP" rootcoord)" = "$OLD" ] &&
		e2e_alive "$(member_pid dk "$MEMBER")"
}
e2e_check "nothing was killed: no POST reached the fake, $MEMBER runs, ServerID $OLD is still active" \
	nothing_killed
: >"$HIDE"

# ---- run ----
gt_watch "$EP" rootcoord "$E2E_TMP/gt-rootcoord"
mark=$(wc -l <"$LOG")
EV="$(e2e_lab_dir dk)/events.log"
evmark=$(wc -l <"$EV")
OLDPID=$(member_pid dk "$MEMBER")
out="$E2E_TMP/run.json"
t0=$(now_ms)
"$M" -p lab-dk drill run rootcoord --confirm rootcoord --backend docker $OPT --timeout 30s \
	-o json >"$out" 2>"$out.err"
rc=$?
echo "# drill run took $(($(now_ms) - t0)) ms"
sed 's/^/# /' "$out.err"
e2e_check "drill run rootcoord --backend docker exits 0 (met)" test "$rc" = 0
posts_since "$mark" >"$E2E_TMP/posts"
sed 's/^/# POST /' "$E2E_TMP/posts"
e2e_check "the fake got exactly: kill ${CID:0:12} with SIGKILL, wait not-running, start" \
	test "$(cat "$E2E_TMP/posts")" = "$CID/kill?signal=SIGKILL
$CID/wait?condition=not-running
$CID/start"
e2e_check "the fake killed $MEMBER with lab kill and started it again after it was gone" \
	python3 - "$LOG" "$mark" "$MEMBER" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):]]
ev = [(e["event"], e.get("container")) for e in ev if "event" in e]
print("# fake:", ev)
sys.exit(0 if ev == [("kill", sys.argv[3]), ("gone", sys.argv[3]), ("start", sys.argv[3])] else 1)
PY
e2e_check "phase times agree with etcdctl watch ($HOP_MS ms)" \
	drill_check "$out" "$E2E_TMP/gt-rootcoord"
e2e_check "INJECT agrees with the supervisor's exit of $MEMBER (pid $OLDPID), one hop before the fake's answer" \
	inject_check "$out" dk "$MEMBER" "$OLDPID" -
e2e_check "the report names the docker container, its restarts (RestartCount 0 -> 0)" \
	test "$(e2e_json "$out" '(d["backend"]["name"] == "docker" and
	"milvus-'"$MEMBER"'" in d["backend"]["detail"] and
	d["restarts"]["before"] == 0 and d["restarts"]["after"] == 0)')" = yes
e2e_check "report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
"$M" drill show last -o json >"$E2E_TMP/last.json" 2>&1
e2e_check "drill show last has a note \"restore: started container 'milvus-$MEMBER' ...\"" \
	python3 - "$E2E_TMP/last.json" "$MEMBER" <<'PY'
import json, sys
notes = json.load(open(sys.argv[1]))["notes"]
print("# notes:", notes)
r = [n for n in notes if n.startswith("restore")]
sys.exit(0 if len(r) == 1 and r[0].startswith("restore: started container 'milvus-%s'"
                                             % sys.argv[2]) else 1)
PY

# ---- after: the killed rootcoord runs again, as a standby ----
# standby_at: an instance session of rootcoord at the member's address, not
# the active one (the supervisor, on its 10 min back-off, did not start it).
standby_at() {
	etcdctl_ "$EP" get --prefix by-dev/meta/session/rootcoord --print-value-only |
		python3 -c 'import json,sys
v = [json.loads(l) for l in sys.stdin if l.strip()]
act, ip = v[0], sys.argv[1]     # the active key sorts first
ok = act["Address"].split(":")[0] != ip and any(
    s["Address"].split(":")[0] == ip and s["ServerID"] != act["ServerID"] for s in v[1:])
sys.exit(0 if ok else 1)' "$MEMBER_IP"
}
# started_on_request: lab status shows the member running again with a new pid
# and no restart of the supervisor's own (restarts 0), the fake's container has
# that pid, and events.log has, after the drill's kill and the exit, the start
# request (by lab-start, in back-off) and then the start of that pid with the
# container's host name (a start asked for keeps it, as docker start does).
started_on_request() {
	"$M" lab status --name dk -o json >"$E2E_TMP/after.json" &&
	curl -s --unix-socket "$SOCK" "http://localhost/v1.43/containers/$CID/json" \
		>"$E2E_TMP/after-inspect.json" &&
	tail -n +"$((evmark + 1))" "$EV" >"$E2E_TMP/after-events" &&
	python3 - "$E2E_TMP/after.json" "$E2E_TMP/after-inspect.json" "$E2E_TMP/after-events" \
		"$MEMBER" "$OLDPID" <<'PY'
import json, sys
st, ins, evf, member, old = sys.argv[1:6]
m = [m for m in json.load(open(st))["members"] if m["name"] == member][0]
s = json.load(open(ins))["State"]
ev = [l.split() for l in open(evf) if l.split()[1:2] == [member]]
ev = [(e[2], dict(kv.split("=", 1) for kv in e[3:] if "=" in kv)) for e in ev]
seq = [name for name, kv in ev if name in ("killed", "exited", "start-requested", "started")]
print("# lab status:", m["state"], "pid", m["pid"], "restarts", m["restarts"],
      "| container Running", s["Running"], "Pid", s["Pid"], "| events:", " ".join(seq))
req = [kv for name, kv in ev if name == "start-requested"]
started = [kv for name, kv in ev if name == "started"]
ok = m["state"] == "running" and m["pid"] not in (0, int(old)) and m["restarts"] == 0
ok = ok and s["Running"] and s["Pid"] == m["pid"]
ok = ok and seq == ["killed", "exited", "start-requested", "started"]
ok = ok and req[0].get("by") == "lab-start" and req[0].get("state") == "backoff"
ok = ok and started[0].get("pid") == str(m["pid"])
ok = ok and started[0].get("hostname") == json.load(open(ins))["Config"]["Hostname"]
sys.exit(0 if ok else 1)
PY
}
e2e_check "the killed rootcoord ($MEMBER) holds a session as a standby again" \
	e2e_wait_ms 15000 standby_at
e2e_check "lab status: $MEMBER runs again, started by the fake's lab start after the drill's kill (not the lab's back-off)" \
	started_on_request

e2e_done
