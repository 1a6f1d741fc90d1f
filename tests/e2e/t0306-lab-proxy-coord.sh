#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's proxies reach the active coordinator a call depends on before
# serving it, as a real proxy's gRPC call does: on 2.5, after `lab kill` of the
# active rootcoord, curl's collections/list answers code 2 "service
# unavailable: no available rootcoord" from the kill until the standby's
# active-gained (the lab's events.log, checked against etcdctl watch's PUT),
# then succeeds again, while entities/query count(*) (no coordinator while the
# proxy's caches are warm) succeeds throughout; describe degrades to load ""
# while querycoord is gone. A real rootcoord drill's probes now see the
# failure inside [injected, recovered]. On 2.6 the same for mixcoord.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-labevents.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.98.0.0/24
M="$MILVUSADM"
TTL=4
# A proxy caches a healthy answer for 100 ms: calls sent up to then after the
# kill may still succeed.
CACHE_MS=100
# Slack after active-gained for the last failure: the new active's PUT is
# visible in etcd a loop turn before it logs active-gained and serves as
# Healthy, and the probe stamps a call before sending it; 100 ms covers both
# with room (on an idle machine it is a few ms).
MARGIN=100
# A probe is stamped before it is sent: one sent just before the kill can
# reach the proxy after the coordinator died and fail. A failure counts as
# "before the kill" only when stamped more than this before it (one hop,
# the probe process to the proxy, on a loaded machine).
IN_FLIGHT=100
PROBE_PID=

probe_stop() {
	[ -n "$PROBE_PID" ] || return 0
	kill "$PROBE_PID" 2>/dev/null
	wait "$PROBE_PID" 2>/dev/null
	PROBE_PID=
}
trap 'probe_stop; etcd_watch_stop; drill_cleanup' EXIT

# probe_start PROXY COLL OUT: every 50 ms collections/list then a count(*)
# query through PROXY's REST v2, one line each: "<sent ms> <call> <code> <message>".
probe_start() {
	python3 -u - "$1" "$2" "$3" <<'PY' &
import json, signal, sys, time, urllib.request
proxy, coll, out = sys.argv[1:4]
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
calls = [("list", "collections/list", {}),
         ("count", "entities/query", {"collectionName": coll, "outputFields": ["count(*)"]})]
with open(out, "a") as f:
    while True:
        for name, path, body in calls:
            sent = int(time.time() * 1000)
            try:
                req = urllib.request.Request("http://%s:19530/v2/vectordb/%s" % (proxy, path),
                                             data=json.dumps(body).encode(), method="POST")
                d = json.load(urllib.request.urlopen(req, timeout=2))
                code, msg = d.get("code"), d.get("message", "")
            except Exception as e:
                code, msg = -1, str(e)
            f.write("%d %s %s %s\n" % (sent, name, code, msg))
            f.flush()
        time.sleep(0.05)
PY
	PROBE_PID=$!
}

# check_window LOG KILLED EXITED GAINED ROLE: list failed with code 2 naming
# ROLE from the kill (`lab kill`'s line, written before the signal; the
# supervisor's exit once it was dead, plus the cache) until active-gained
# (+ MARGIN), succeeded before and after; count(*) never failed.
check_window() {
	python3 - "$@" "$CACHE_MS" "$MARGIN" "$IN_FLIGHT" <<'PY'
import sys
log, killed, exited, gained, role = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), sys.argv[5]
cache, margin, in_flight = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
rows = []
for l in open(log):
    p = l.rstrip("\n").split(" ", 3)
    rows.append((int(p[0]), p[1], int(p[2]), p[3] if len(p) > 3 else ""))
lst = [r for r in rows if r[1] == "list"]
cnt = [r for r in rows if r[1] == "count"]
fails = [r for r in lst if r[2] != 0]
want = "service unavailable: no available %s" % role
bad = []
if not fails:
    bad.append("no list call failed")
else:
    first, last = fails[0][0], fails[-1][0]
    print("# killed %d, first list failure %d (+%d ms), last failure %d, active-gained %d "
          "(last failure %+d ms); %d list calls failed, %d count(*) calls, %d failed" % (
          killed, first, first - killed, last, gained, last - gained, len(fails), len(cnt),
          sum(1 for r in cnt if r[2] != 0)))
    if first < killed - in_flight:
        bad.append("a failure before the kill")
    if last > gained + margin:
        bad.append("a failure %d ms after active-gained" % (last - gained))
for r in fails:
    if r[2] != 2 or r[3] != want:
        bad.append("failure %r, want code 2 %r" % (r[2:], want))
        break
# The new active writes its key and answers Healthy a little before it logs
# active-gained (2.6 writes its legacy keys in between): the outage is judged
# up to MARGIN before that line. It starts once the supervisor saw the old
# one dead (a SIGKILL takes effect when the kernel gets to it, later on a
# loaded machine than `lab kill`'s line) and the proxy's cached answer aged.
inside = [r for r in lst if exited + cache + 50 <= r[0] < gained - margin]
ok_inside = [r[0] for r in inside if r[2] == 0]
if not inside or ok_inside:
    bad.append("list succeeded between the kill and active-gained - %d ms (%d calls, "
               "successes at %s)" % (margin, len(inside), [t - gained for t in ok_inside[:5]]))
after = [r for r in lst if r[0] > gained + margin]
if len(after) < 5 or any(r[2] != 0 for r in after):
    bad.append("list after active-gained: %d calls, %d failed" % (
        len(after), sum(1 for r in after if r[2] != 0)))
if any(r[0] < killed - in_flight and r[2] != 0 for r in lst):
    bad.append("list failed before the kill")
during = [r for r in cnt if killed <= r[0] <= gained]
if not during or any(r[2] != 0 for r in cnt):
    bad.append("count(*) failed or was not sent during the window (%d calls)" % len(during))
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
PY
}

# kill_active LAB EP ROLE PROXY COLL: SIGKILL the active ROLE under probes,
# then check the probes against the lab's log and etcdctl watch.
kill_active() {
	local lab=$1 ep=$2 role=$3 proxy=$4 coll=$5 member new killed exited gained rev put
	local log="$E2E_TMP/probe-$lab.log" out="$E2E_TMP/watch-$lab.out"
	LAB_EVENT_SINCE=0
	member=$(lab_event_member "$lab" active-gained "$role")
	e2e_check "$lab: the active $role is $member (lab log) and the key says so" \
		test -n "$member" -a "$(member_by_server "$lab" "$ep" "$role")" = "$member"
	etcd_watch_start "$ep" "by-dev/meta/session/$role" "$out"
	probe_start "$proxy" "$coll" "$log"
	sleep 1
	LAB_EVENT_SINCE=$(lab_event_mark "$lab")
	"$M" lab kill --name "$lab" "$member" >/dev/null || e2e_die "lab kill $member"
	e2e_check "$lab: a standby logs active-gained for $role" \
		lab_event_wait $(( (TTL + 10) * 1000 )) "$lab" '*' active-gained "$role"
	sleep 2
	probe_stop
	new=$(lab_event_member "$lab" active-gained "$role")
	killed=$(lab_event_ms "$lab" "$member" killed)
	exited=$(lab_event_ms "$lab" "$member" exited)
	gained=$(lab_event_ms "$lab" "$new" active-gained "$role")
	rev=$(lab_event_field "$lab" "$new" active-gained revision "$role")
	e2e_wait 2 etcd_watch_event "$out" PUT "by-dev/meta/session/$role" "$rev"
	put=$(etcd_watch_ms "$out" PUT "by-dev/meta/session/$role" "$rev")
	etcd_watch_stop
	echo "# $lab: killed $member at $killed, exited $exited; $new active-gained at $gained, watch PUT at $put"
	# Two processes stamp the same etcd commit (the new active on its CAS
	# answer, etcdctl on its watch): HOP_MS (lib-drill.sh).
	e2e_check "$lab: $new's active-gained is within $HOP_MS ms of etcdctl watch's PUT" \
		within_ms "$gained" "$put" "$HOP_MS"
	e2e_check "$lab: collections/list fails with code 2 naming $role from the kill until active-gained (+${MARGIN} ms), count(*) never" \
		check_window "$log" "$killed" "$exited" "$gained" "$role"
}

# A loaded collection with rows (count(*) needs it loaded).
loaded_coll() {	# loaded_coll PROXY
	python3 - "$1" <<'PY'
import json, sys, urllib.request
def call(path, body):
    req = urllib.request.Request("http://%s:19530/v2/vectordb/%s" % (sys.argv[1], path),
                                 data=json.dumps(body).encode(), method="POST")
    return json.load(urllib.request.urlopen(req, timeout=2))
for c in call("collections/list", {})["data"]:
    if call("collections/get_load_state", {"collectionName": c})["data"]["loadState"] == "LoadStateLoaded":
        print(c)
        break
PY
}

has_loaded() { [ -n "$(loaded_coll "$1")" ]; }
has_active() { [ -n "$(session_json "$1" "$2")" ]; }

proxy_of() {	# proxy_of LAB
	"$M" lab status --name "$1" -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["name"].startswith("proxy")][0])'
}

# ---- 2.5: rootcoord ----
EP=http://127.98.0.2:2379
lab_up hc 127.98.0.0/24 --milvus 2.5 --etcd 1 --ttl "$TTL" --backoff 30s
PROXY=$(proxy_of hc)
e2e_wait 10 has_loaded "$PROXY"
COLL=$(loaded_coll "$PROXY")
e2e_check "hc: $COLL is loaded and count(*) answers through $PROXY" \
	sh -c "curl -s -XPOST http://$PROXY:19530/v2/vectordb/entities/query \
	-d '{\"collectionName\":\"$COLL\",\"outputFields\":[\"count(*)\"]}' | grep -q '\"code\":0'"
kill_active hc "$EP" rootcoord "$PROXY" "$COLL"

# querycoord gone: describe still answers (rootcoord), load "" and the error
# in its message; get_load_state fails.
e2e_wait 5 has_active "$EP" querycoord
QMEMBER=$(member_by_server hc "$EP" querycoord)
QPID=$(member_pid hc "$QMEMBER")
kill -STOP "$QPID"
# A stopped process accepts the connection and never answers: 1 s timeout.
curl -s -XPOST "http://$PROXY:19530/v2/vectordb/collections/describe" \
	-d "{\"collectionName\":\"$COLL\"}" >"$E2E_TMP/desc.json"
curl -s -XPOST "http://$PROXY:19530/v2/vectordb/collections/get_load_state" \
	-d "{\"collectionName\":\"$COLL\"}" >"$E2E_TMP/state.json"
kill -CONT "$QPID"
e2e_check "hc: with querycoord stopped (SIGSTOP), describe is code 0 with load \"\" and the error in message" \
	test "$(e2e_json "$E2E_TMP/desc.json" '(d["code"] == 0 and d["data"]["load"] == "" and
	d["message"] == "service unavailable: no available querycoord;")')" = yes
e2e_check "hc: with querycoord stopped, get_load_state fails with code 2" \
	test "$(e2e_json "$E2E_TMP/state.json" '(d["code"] == 2 and
	d["message"] == "service unavailable: no available querycoord")')" = yes

# ---- a real rootcoord drill: the probes see the failure ----
e2e_check "hc: the killed rootcoord is back as a standby (30 s back-off)" \
	e2e_wait_ms 45000 standby_back "$EP" rootcoord
DMEMBER=$(member_by_server hc "$EP" rootcoord)
DPID=$(member_pid hc "$DMEMBER")
out="$E2E_TMP/drill.json"
"$M" -p lab-hc drill run rootcoord --confirm rootcoord --backend lab -o json \
	>"$out" 2>"$out.err"
rc=$?
sed 's/^/# /' "$out.err"
echo "# drill probes: $(e2e_json "$out" 'd["probes"]')"
echo "# drill times: $(e2e_json "$out" 'd["times"]')"
e2e_check "drill rootcoord exits 0 and its verdict is met" \
	test "$rc" = 0 -a "$(e2e_json "$out" 'd["verdict"]')" = met
e2e_check "drill rootcoord: probes failed, within [injected, recovered]" \
	test "$(e2e_json "$out" '(d["probes"]["failed"] > 0 and
	d["probes"]["first_fail_ms"] >= d["times"]["injected_ms"] and
	d["probes"]["last_fail_ms"] <= d["times"]["recovered_ms"])')" = yes
e2e_check "drill rootcoord: INJECT agrees with the supervisor's exit of $DMEMBER (pid $DPID)" \
	inject_check "$out" hc "$DMEMBER" "$DPID" -
# The kill as the supervisor saw it ("killed by=drill" is the tool's own
# line): no probe failed before it, less one in flight (IN_FLIGHT).
e2e_check "drill rootcoord: the client window lies within the supervisor's exit of $DMEMBER .. active-gained (+${MARGIN} ms)" \
	python3 - "$(e2e_lab_dir hc)/events.log" "$out" "$MARGIN" "$DMEMBER" "$IN_FLIGHT" <<'PY'
import calendar, json, sys, time
d = json.load(open(sys.argv[2]))
p, t, margin, member, in_flight = d["probes"], d["times"], int(sys.argv[3]), sys.argv[4], \
    int(sys.argv[5])
exited = gained = None
for l in open(sys.argv[1]):
    f = l.split()
    ms = calendar.timegm(time.strptime(f[0][:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(f[0][20:23])
    kv = dict(x.split("=", 1) for x in f[3:] if "=" in x)
    if ms < t["started_ms"] - 50:
        continue
    if f[1] == member and f[2] == "exited" and kv.get("signal") == "9" and exited is None:
        exited = ms
    if f[2] == "active-gained" and kv.get("role") == "rootcoord" and gained is None:
        gained = ms
print("# lab: %s exited %s, active-gained %s; probes first fail %s last fail %s window %s ms" % (
    member, exited, gained, p["first_fail_ms"], p["last_fail_ms"], p["window_ms"]))
sys.exit(0 if exited and gained and exited - in_flight <= p["first_fail_ms"] and
         p["last_fail_ms"] <= gained + margin else 1)
PY
e2e_check "drill rootcoord: report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$out"
lab_down hc

# ---- 2.6: mixcoord ----
EP=http://127.98.1.2:2379
lab_up hc2 127.98.1.0/24 --milvus 2.6 --etcd 1 --ttl "$TTL" --backoff 30s
PROXY=$(proxy_of hc2)
e2e_wait 10 has_loaded "$PROXY"
COLL=$(loaded_coll "$PROXY")
kill_active hc2 "$EP" mixcoord "$PROXY" "$COLL"
lab_down hc2

e2e_done
