#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one alert list, in the TUI driven in tmux against a lab:
# - SIGKILL of the active rootcoord (the supervisor restarts it at its address
#   with a new session while the old one's lease lives): an alert in the
#   header and an "active-gone" line naming it in the Alerts view ('0'),
#   within the session TTL, with no key pressed but '0';
# - with the cluster stable (a SIGSTOPped datacoord standby whose session has
#   expired: "datacoord has no standby"), the header's count equals
#   `status -o json`'s alert_count at the same moment, and `ha check -o json`
#   carries the same list.
# Ground truth for who is active comes from etcdctl (lib-etcd.sh).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
e2e_init 127.130.0.0/24
ep=http://127.130.0.2:2379
TTL=10
# --no-backup: the TUI judges the RPO only once its Backups view has read the
# catalogue, `status` every time; without a backup server neither raises one.
lab_up al "$E2E_SUBNET" --milvus 2.5 --etcd 1 --ttl "$TTL" --no-backup

tmux_sock="milvusadm-t0470-$$"
. "$E2E_DIR/lib-tmux.sh"
stopped_pid=
trap 'rc=$?; [ -n "$stopped_pid" ] && kill -CONT "$stopped_pid" 2>/dev/null;
	tm kill-server 2>/dev/null; (exit "$rc"); e2e_cleanup' EXIT

# The count in the header (" 3 alerts "), empty when not on screen.
header_count() {
	screen main:live | head -1 | sed -n 's/.* \([0-9][0-9]*\) alerts\{0,1\} .*/\1/p'
}
header_count_is() { [ "$(header_count)" = "$1" ]; }
header_nonzero() { c=$(header_count); [ -n "$c" ] && [ "$c" -gt 0 ]; }

shell_in live
tm send-keys -t main:live "$MILVUSADM -p lab-al" Enter
wait_screen main:live "live" 15 || { screen main:live; e2e_die "the TUI did not start"; }
e2e_check "a healthy lab: the header says 0 alerts" e2e_wait 20 header_count_is 0
"$MILVUSADM" -p lab-al status -o json >"$E2E_TMP/status0.json"
e2e_check "a healthy lab: status -o json has no alert either" \
	[ "$(e2e_json "$E2E_TMP/status0.json" 'd["alert_count"] == 0 and d["alerts"] == [] and d["alert_list"] == []')" = yes ]

# The Alerts view, empty.
tm send-keys -t main:live 0
wait_screen main:live "no alerts" 5
e2e_check "the Alerts view ('0') says there are none" on_screen main:live "no alerts"

# SIGKILL of the active rootcoord.
old=$(active_id "$ep" rootcoord)
member=$(member_by_server al "$ep" "rootcoord-$old")
e2e_check "the active rootcoord is server $old (lab member $member)" test -n "$member"
addr=$(session_json "$ep" "rootcoord-$old" | python3 -c 'import json,sys
print(json.load(sys.stdin)["Address"])')
t0=$(now_ms)
"$MILVUSADM" lab kill --name al "$member" >/dev/null || e2e_fail "lab kill $member"
e2e_wait $((TTL + 2)) header_nonzero
dt=$(( $(now_ms) - t0 ))
# A sweep may see it refuse connections first ("active-unhealthy"); the
# restarted process's session makes it "active-gone".
e2e_wait $((TTL + 2)) on_screen main:live "active-gone"
dt2=$(( $(now_ms) - t0 ))
screen main:live >"$E2E_TMP/killed.txt"
sed 's/^/# /' "$E2E_TMP/killed.txt"
# The supervisor's restart registers a new rootcoord session at the old
# address (etcd says so, not the tool): the old active is gone at once.
newinst=$(etcdctl_ "$ep" get --prefix by-dev/meta/session/rootcoord- --print-value-only |
	python3 -c 'import json,sys
for l in sys.stdin:
    l = l.strip()
    if l:
        s = json.loads(l)
        if s["Address"] == sys.argv[1] and s["ServerID"] != int(sys.argv[2]):
            print(s["ServerID"])' "$addr" "$old")
echo "# alert after ${dt} ms, active-gone after ${dt2} ms; new session at $addr: ${newinst:-none}; TTL ${TTL}s"
e2e_check "the kill raises an alert in the header within the TTL (${dt} ms)" \
	test "$dt" -le $((TTL * 1000))
e2e_check "the supervisor restarted it at its address with a new session ($newinst)" \
	test -n "$newinst"
e2e_check "the Alerts view says active-gone within the TTL (${dt2} ms)" \
	test "$dt2" -le $((TTL * 1000))
e2e_check "the Alerts view names the dead active: active-gone, rootcoord $old at $addr" \
	grep -Eq "critical .*active-gone +active rootcoord $old at $addr is gone" \
	"$E2E_TMP/killed.txt"
e2e_check "its fix is on the next line" grep -q "fix: its lease expires" "$E2E_TMP/killed.txt"

# The standby takes over, the restarted process is a standby: no alert.
new=$(wait_active_change "$ep" rootcoord "$old" $(( (TTL + 5) * 1000 )))
echo "# rootcoord $old -> $new"
e2e_check "the cluster recovers: the header says 0 alerts again" \
	e2e_wait $((TTL + 10)) header_count_is 0

# A stable alert: a datacoord standby SIGSTOPped (no restart: its process is
# still there) loses its session after the TTL.
dc=$(active_id "$ep" datacoord)
standby=$(etcdctl_ "$ep" get --prefix by-dev/meta/session/datacoord- --print-value-only |
	python3 -c 'import json,sys
for l in sys.stdin:
    l = l.strip()
    if l and json.loads(l)["ServerID"] != int(sys.argv[1]):
        print(json.loads(l)["ServerID"]); break' "$dc")
smember=$(member_by_server al "$ep" "datacoord-$standby")
stopped_pid=$(member_pid al "$smember")
"$MILVUSADM" lab kill --name al --signal STOP "$smember" >/dev/null ||
	e2e_fail "lab kill --signal STOP $smember"
e2e_wait $((TTL + 10)) sh -c "[ -z \"\$(ETCDCTL_API=3 etcdctl --endpoints $ep get --print-value-only by-dev/meta/session/datacoord-$standby)\" ]"
e2e_check "the stopped standby's session expired: the header counts an alert" \
	e2e_wait 15 header_nonzero

# The header and status at the same moment: a screen, status, a screen; the
# two screens agree when nothing changed in between.
same=no
for try in 1 2 3 4 5; do
	h1=$(header_count)
	"$MILVUSADM" -p lab-al status -o json >"$E2E_TMP/status.json"
	h2=$(header_count)
	s=$(e2e_json "$E2E_TMP/status.json" 'd["alert_count"]')
	echo "# try $try: header $h1/$h2, status $s"
	if [ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "$h1" = "$s" ]; then
		same=yes
		break
	fi
	sleep 1
done
e2e_check "the header's count equals status -o json's alert_count" [ "$same" = yes ]
e2e_check "status lists 'datacoord has no standby' with kind, severity and fix" \
	[ "$(e2e_json "$E2E_TMP/status.json" 'any(a["kind"] == "no-standby" and a["role"] == "datacoord" and a["severity"] == "warning" and a["message"] == "datacoord has no standby" and "datacoord %s" % '"$dc"' in a["fix"] and a["since_ms"] > 0 for a in d["alert_list"]) and d["alerts"] == [a["message"] for a in d["alert_list"]]')" = yes ]
screen main:live >"$E2E_TMP/stable.txt"
e2e_check "the Alerts view shows the same alert" \
	grep -Eq "warning .*no-standby +datacoord has no standby" "$E2E_TMP/stable.txt"
"$MILVUSADM" -p lab-al ha check -o json >"$E2E_TMP/ha.json"
e2e_check "ha check carries the same list, and its datacoord item reads it" \
	[ "$(e2e_json "$E2E_TMP/ha.json" '[(a["kind"], a["object"]) for a in d["alert_list"]] == [(a["kind"], a["object"]) for a in json.load(open(sys.argv[1].replace("ha.json", "status.json")))["alert_list"]] and [i for i in d["items"] if i["id"] == "coord.datacoord"][0]["status"] == "fail"')" = yes ]

kill -CONT "$stopped_pid" 2>/dev/null
stopped_pid=
tm send-keys -t main:live q
e2e_check "q leaves the TUI" wait_screen main:live 'tui$' 5
e2e_done
