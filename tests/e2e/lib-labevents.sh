# SPDX-License-Identifier: MIT
# Reading the lab's event log (LABDIR/events.log: "<RFC3339 ms> <member> <event>
# key=value ...") and an independent, timestamped etcdctl watch, for tests that
# check drills and the lab against each other. Sourced after lib.sh and lib-etcd.sh.
# LAB_EVENT_SINCE (epoch ms, 0 = all) limits every lookup to newer lines.

LAB_EVENT_SINCE=0
ETCD_WATCH_PID=

lab_events() { echo "$(e2e_lab_dir "$1")/events.log"; }

# lab_event_mark LAB: the time to pass as LAB_EVENT_SINCE before a fault.
lab_event_mark() { now_ms; }

# Matching lines as "<epoch ms> <line>", oldest first.
lab_event_grep() {	# lab_event_grep LAB MEMBER EVENT [ROLE]
	python3 - "$(lab_events "$1")" "$2" "$3" "${4:-}" "$LAB_EVENT_SINCE" <<'PY'
import calendar, sys, time
path, member, event, role, since = sys.argv[1:6]
try:
    lines = open(path, errors="replace").read().splitlines()
except OSError:
    sys.exit(0)
for l in lines:
    f = l.split(" ")
    if len(f) < 3:
        continue
    try:
        t = time.strptime(f[0][:19], "%Y-%m-%dT%H:%M:%S")
        ms = calendar.timegm(t) * 1000 + int(f[0][20:23])
    except ValueError:
        continue
    if ms < int(since) or f[2] != event or (member != "*" and f[1] != member):
        continue
    kv = dict(x.split("=", 1) for x in f[3:] if "=" in x)
    if role and kv.get("role") != role:
        continue
    print(ms, l)
PY
}

lab_event_line() { local l; l=$(lab_event_grep "$@" | tail -n1); [ -n "$l" ] && echo "${l#* }"; }
lab_event_ms() { lab_event_grep "$@" | tail -n1 | cut -d' ' -f1; }
lab_event_count() { lab_event_grep "$@" | grep -c . || true; }
lab_event_member() {	# lab_event_member LAB EVENT [ROLE]
	lab_event_grep "$1" '*' "$2" "${3:-}" | tail -n1 | cut -d' ' -f3
}
lab_event_field() {	# lab_event_field LAB MEMBER EVENT FIELD [ROLE]
	lab_event_grep "$1" "$2" "$3" "${5:-}" | tail -n1 | tr ' ' '\n' |
		sed -n "s/^$4=//p" | head -n1
}
lab_event_wait() {	# lab_event_wait MS LAB MEMBER EVENT [ROLE]
	local ms=$1; shift
	e2e_wait_ms "$ms" lab_event_line "$@"
}

# A background `etcdctl watch --prefix KEY -w json`, each event written to OUT as
# "<epoch ms when it arrived> <PUT|DELETE> <key> <mod revision>".
etcd_watch_start() {	# etcd_watch_start EP KEY OUT
	python3 -u - "$1" "$2" "$3" <<'PY' &
import base64, json, os, subprocess, sys, time
ep, key, out = sys.argv[1:4]
p = subprocess.Popen(["etcdctl", "--endpoints", ep, "watch", "--prefix", key, "-w", "json"],
                     stdout=subprocess.PIPE, text=True,
                     env=dict(os.environ, ETCDCTL_API="3"))
with open(out, "a") as f:
    try:
        for line in p.stdout:
            now = int(time.time() * 1000)
            try:
                d = json.loads(line)
            except ValueError:
                continue
            for ev in d.get("Events") or []:
                kv = ev.get("kv", {})
                k = base64.b64decode(kv.get("key", "")).decode()
                kind = "DELETE" if ev.get("type") == 1 else "PUT"
                f.write("%d %s %s %s\n" % (now, kind, k, kv.get("mod_revision", 0)))
                f.flush()
    finally:
        p.kill()
PY
	ETCD_WATCH_PID=$!
	sleep 0.5	# let the watch be established before the fault
}
etcd_watch_stop() {
	[ -n "$ETCD_WATCH_PID" ] || return 0
	pkill -P "$ETCD_WATCH_PID" 2>/dev/null
	kill "$ETCD_WATCH_PID" 2>/dev/null
	wait "$ETCD_WATCH_PID" 2>/dev/null
	ETCD_WATCH_PID=
}
# First matching watch line's arrival time; the key must match exactly.
etcd_watch_ms() {	# etcd_watch_ms OUT TYPE KEY [REV]
	awk -v t="$2" -v k="$3" -v r="${4:-}" \
		'$2 == t && $3 == k && (r == "" || $4 == r) { print $1; exit }' "$1" 2>/dev/null
}
etcd_watch_event() { [ -n "$(etcd_watch_ms "$@")" ]; }

within_ms() {	# within_ms A B SLACK: |A - B| <= SLACK
	[ -n "$1" ] && [ -n "$2" ] && [ $(( $1 > $2 ? $1 - $2 : $2 - $1 )) -le "$3" ]
}
