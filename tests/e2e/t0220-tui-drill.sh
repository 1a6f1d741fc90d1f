#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills from the TUI, driven in tmux on a 2.5 lab: D on the rootcoord line of
# Leaders asks for the target to be typed; a wrong answer runs nothing (exit 3,
# the active unchanged in etcd, no report); the right one runs the drill and
# the Drills view shows its verdict, RTO, phases and probe sparkline as the
# saved report has them, its detect/elect within HOP_MS (lib-drill.sh) of
# etcdctl watch and its INJECT against the watch's DELETE (etcd-lease) or the
# supervisor's exit of the killed member (lab). A
# drill with the lab SIGKILL backend typed at ':' is seen running (phase
# timeline live), q is refused while it runs, and its end is drawn. Ctrl-C
# aborts a running drill and the TUI stays; a second Ctrl-C quits it (the
# TUI's own handler was given back). Ctrl-C during the precheck injects
# nothing.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
e2e_init 127.95.10.0/24
ep=http://127.95.10.2:2379
lab_up tuidrill "$E2E_SUBNET" --milvus 2.5 --etcd 1 --ttl 4 --backoff 1s

tmux_sock="milvusadm-t0220-$$"
. "$E2E_DIR/lib-tmux.sh"
trap 'rc=$?; tm kill-server 2>/dev/null; (exit "$rc"); drill_cleanup' EXIT
reports="$XDG_STATE_HOME/milvusadm/drills"
count_reports() { ls "$reports"/*.json 2>/dev/null | wc -l; }
newest_report() { ls -t "$reports"/*.json | head -1; }

# check_screen SCREEN REPORT: the Drills view says what the saved report says:
# verdict, RTO (as drawn, within rounding), every phase done, and one glyph
# of the sparkline per second of the report's series.
check_screen() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
scr = open(sys.argv[1], encoding="utf-8").read().splitlines()
d = json.load(open(sys.argv[2]))
def ms(s):
    m = re.fullmatch(r"([\d.]+)(ms|s)", s)
    return float(m.group(1)) * (1 if m.group(2) == "ms" else 1000)
bad = []
if not any(l.startswith("LAST DRILL " + d["id"]) for l in scr):
    bad.append("no LAST DRILL " + d["id"])
v = [l for l in scr if l.startswith("verdict ")]
m = re.search(r"verdict\s+(\w+)\s+RTO (\S+) <= target", v[0]) if v else None
if not m or m.group(1) != d["verdict"].upper():
    bad.append("verdict line %r" % v)
elif abs(ms(m.group(2)) - d["rto_ms"]) > max(50, d["rto_ms"] * 0.06):
    bad.append("RTO %s on screen, %d in the report" % (m.group(2), d["rto_ms"]))
for ph in ("inject", "detect", "elect", "recover"):
    if not any(re.match(r"\s+%s\s+\S+\s+\S+\s+done$" % ph, l) for l in scr):
        bad.append("phase %s not done" % ph)
sp = [l for l in scr if l.startswith("per sec ")]
series = d["probes"]["series_permille"]
glyphs = sp[0][len("per sec  "):].rstrip() if sp else ""
want = "".join("\u00b7" if x < 0 else "\u2588" if x == 1000 else
               "\u2581\u2582\u2583\u2584\u2585\u2586\u2587"[x * 7 // 1000] for x in series)
if glyphs != want:
    bad.append("sparkline %r, series %s" % (glyphs, series))
print("# %s: %s rto %s, %d buckets" % (d["id"], d["verdict"], d["rto_ms"], len(series)))
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
PY
}

shell_in tui
tm send-keys -t main:tui "$MILVUSADM -p lab-tuidrill" Enter
wait_screen main:tui "live" 15 || { screen main:tui; e2e_die "the TUI did not start"; }
tm send-keys -t main:tui 2
wait_screen main:tui "IN OFFICE" 10
e2e_wait 10 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q 'standby: [0-9]'"

# D on rootcoord (the filter leaves its two lines; the first is selected).
old=$(active_id "$ep" rootcoord)
tm send-keys -t main:tui / rootcoord Enter
tm send-keys -t main:tui D
e2e_check "D on rootcoord in Leaders asks for the target to be typed" \
	wait_screen main:tui "type 'rootcoord' to confirm:" 5
tm send-keys -t main:tui rootcord Enter
e2e_check "a wrong confirmation runs nothing: exit 3 with the reason" \
	sh -c "sleep 0.2; tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q 'confirmation did not match' &&
	    tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q 'exit 3'"
e2e_check "... the active rootcoord is unchanged in etcd and no report was saved" \
	sh -c "[ '$(active_id "$ep" rootcoord)' = '$old' ] && [ \$(ls '$reports'/*.json 2>/dev/null | wc -l) = 0 ]"

# The right answer: the drill runs (the profile's backend) and the Drills view
# takes over with its end.
tm send-keys -t main:tui Escape
gt_watch "$ep" rootcoord "$E2E_TMP/gt-root.txt"
tm send-keys -t main:tui D
wait_screen main:tui "type 'rootcoord' to confirm:" 5
tm send-keys -t main:tui rootcoord Enter
e2e_check "the drill ends in the Drills view with its verdict on the status line" \
	wait_screen main:tui "drill rootcoord met: RTO" 30
screen main:tui >"$E2E_TMP/root.txt"
sed 's/^/# /' "$E2E_TMP/root.txt"
e2e_check "one report saved" [ "$(count_reports)" = 1 ]
root=$(newest_report)
e2e_check "the Drills view shows the saved report: verdict, RTO, phases, sparkline" \
	check_screen "$E2E_TMP/root.txt" "$root"
e2e_check "detect/elect of the report within $HOP_MS ms of etcdctl watch" \
	drill_check "$root" "$E2E_TMP/gt-root.txt"
e2e_check "INJECT of the report (etcd-lease) agrees with etcdctl watch's DELETE" \
	inject_check "$root" tuidrill - - "$E2E_TMP/gt-root.txt"
e2e_check "a new rootcoord is active in etcd" \
	sh -c "[ -n '$(active_id "$ep" rootcoord)' ] && [ '$(active_id "$ep" rootcoord)' != '$old' ]"

# Typed at ':' with the lab SIGKILL backend: detection takes the session TTL,
# long enough to see the drill running.
e2e_wait_ms 20000 standby_back "$ep" querycoord
qmember=$(member_by_server tuidrill "$ep" querycoord)
qpid=$(member_pid tuidrill "$qmember")
gt_watch "$ep" querycoord "$E2E_TMP/gt-qc.txt"
tm send-keys -t main:tui : "drill run querycoord --backend lab" Enter
wait_screen main:tui "type 'querycoord' to confirm:" 5
tm send-keys -t main:tui querycoord Enter
e2e_check "the running drill is drawn live: DRILL RUNNING, detect running" \
	e2e_wait 5 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q '^DRILL RUNNING' &&
	    tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -Eq '^ +detect +[^ ]+ +[^ ]+ +running'"
tm send-keys -t main:tui q
e2e_check "q is refused while a drill runs" \
	wait_screen main:tui "a drill is running: Ctrl-C stops its probes first" 3
e2e_check "the drill's end is drawn" wait_screen main:tui "drill querycoord met: RTO" 30
screen main:tui >"$E2E_TMP/qc.txt"
sed 's/^/# /' "$E2E_TMP/qc.txt"
qc=$(newest_report)
e2e_check "the Drills view shows the querycoord report" check_screen "$E2E_TMP/qc.txt" "$qc"
e2e_check "... within $HOP_MS ms of etcdctl watch" drill_check "$qc" "$E2E_TMP/gt-qc.txt"
e2e_check "... its INJECT agrees with the supervisor's exit of $qmember (pid $qpid)" \
	inject_check "$qc" tuidrill "$qmember" "$qpid" -
e2e_check "recent drills lists both, newest first" \
	sh -c "grep -A3 '^TIME' '$E2E_TMP/qc.txt' | sed -n 2,3p | awk '{print \$2}' | tr '\n' ' ' |
	    grep -q '^querycoord rootcoord '"

# Ctrl-C during a drill: aborted, the TUI stays; a second one quits it.
e2e_wait_ms 20000 standby_back "$ep" datacoord
tm send-keys -t main:tui : "drill run datacoord --backend lab" Enter
wait_screen main:tui "type 'datacoord' to confirm:" 5
tm send-keys -t main:tui datacoord Enter
wait_screen main:tui "DRILL RUNNING" 5
tm send-keys -t main:tui C-c
e2e_check "Ctrl-C aborts the drill; the TUI stays" \
	wait_screen main:tui "drill datacoord aborted" 10
e2e_check "... and the saved report says aborted, in the phase it was in" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["verdict"] == "aborted" and d["stalled_phase"] in ("detect", "elect", "recover") else 1)' "$(newest_report)"
tm send-keys -t main:tui C-c
e2e_check "a second Ctrl-C quits the TUI (its handler was given back)" \
	e2e_wait 5 sh -c "[ \"\$(tmux -L '$tmux_sock' display -p -t main:tui '#{alternate_on}')\" = 0 ] &&
	    tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q '^tui\\$ *\$'"

# Ctrl-C while the precheck still reads the cluster (the proxies frozen, so
# their answers wait for the timeout): the TUI leaves and nothing is injected.
e2e_wait_ms 20000 standby_back "$ep" rootcoord
old=$(active_id "$ep" rootcoord)
n0=$(count_reports)
lab_log="$(e2e_lab_dir tuidrill)/events.log"
k0=$(grep -c 'killed.*by=drill' "$lab_log")
# (and the supervisor's SIGKILL exits: "killed by=drill" is the tool's line)
x0=$(grep -c ' exited signal=9 ' "$lab_log")
proxies=$("$MILVUSADM" lab status --name tuidrill -o json | python3 -c 'import json,sys
print(" ".join(str(m["pid"]) for m in json.load(sys.stdin)["members"] if m["name"].startswith("proxy")))')
tm send-keys -t main:tui "$MILVUSADM -p lab-tuidrill" Enter
wait_screen main:tui "live" 15
kill -STOP $proxies
tm send-keys -t main:tui : "drill run rootcoord --backend lab --confirm rootcoord" Enter
sleep 0.5
tm send-keys -t main:tui C-c
e2e_check "Ctrl-C during the precheck leaves the TUI" \
	e2e_wait 10 sh -c "[ \"\$(tmux -L '$tmux_sock' display -p -t main:tui '#{alternate_on}')\" = 0 ]"
kill -CONT $proxies
sleep 1
e2e_check "... and no fault was injected: no kill in the lab's log, the same active, no report" \
	sh -c "[ \$(grep -c 'killed.*by=drill' '$lab_log') = $k0 ] &&
	    [ \$(grep -c ' exited signal=9 ' '$lab_log') = $x0 ] &&
	    [ '$(active_id "$ep" rootcoord)' = '$old' ] && [ \$(ls '$reports'/*.json | wc -l) = $n0 ]"
e2e_done
