#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Proxy fail-over of the reads: with milvus.uri's proxy SIGSTOPped (it still
# accepts connections and never answers, as a hung process does), the TUI's
# Collections view goes on refreshing through the other proxy and names it,
# and `collections -o json` answers in less than one request timeout with
# "via" the other proxy. Ground truth from outside the tool: the proxies'
# addresses and pids from `lab status`, the stop from /proc, the hang from
# curl, the new collection created by curl through proxy 2.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
command -v curl >/dev/null || { echo "1..0 # SKIP curl is not installed"; exit 0; }
e2e_init 127.142.0.0/24
M="$MILVUSADM"
# The profile's request timeout (the default): one wait for the hung proxy
# would cost this much; fail-over must cost less.
TIMEOUT_MS=5000
# The session TTL outlives the test: the stopped proxy stays registered, so
# the tool must get past it, not merely drop it when its session expires.
lab_up fo "$E2E_SUBNET" --milvus 2.5 --etcd 1 --ttl 60 --no-backup

tmux_sock="milvusadm-t0475-$$"
. "$E2E_DIR/lib-tmux.sh"
pid1=
# The stopped proxy gets SIGCONT first, so that the lab's cleanup (by pid)
# finds a process that can exit as any other.
trap 'rc=$?; [ -n "$pid1" ] && kill -CONT "$pid1" 2>/dev/null; tm kill-server 2>/dev/null;
    (exit "$rc"); e2e_cleanup' EXIT

"$M" lab status --name fo -o json >"$E2E_TMP/status.json"
member() {	# member NAME FIELD
	e2e_json "$E2E_TMP/status.json" "[m['$2'] for m in d['members'] if m['name'] == '$1'][0]"
}
p1=$(member proxy-1 address)
p2=$(member proxy-2 address)
pid1=$(member proxy-1 pid)
echo "# proxy-1 $p1 (pid $pid1), proxy-2 $p2"
e2e_check "the lab profile's milvus.uri is proxy-1's" \
	grep -qF "http://$p1:19530" "$XDG_CONFIG_HOME/milvusadm/config.yaml"

rest() {	# rest IP PATH BODY
	curl -s -m 3 -XPOST "http://$1:19530/v2/vectordb/$2" -d "$3"
}
rest "$p2" collections/create '{"dbName":"default","collectionName":"before","dimension":4}' \
	>"$E2E_TMP/create1.out"
e2e_check "created default.before through proxy-2" grep -q '"code":0' "$E2E_TMP/create1.out"

shell_in tui
tm send-keys -t main:tui "$M -p lab-fo" Enter
wait_screen main:tui "live" 15 || { screen main:tui; e2e_die "the TUI did not start"; }
tm send-keys -t main:tui 4
e2e_check "Collections lists default.before through milvus.uri" \
	wait_screen main:tui "before" 20

"$M" lab kill --name fo --signal STOP proxy-1 >"$E2E_TMP/kill.out" 2>&1
state=$(sed 's/.*) //' "/proc/$pid1/stat" 2>/dev/null | cut -d' ' -f1)
e2e_check "proxy-1 (pid $pid1) is stopped (state T)" [ "$state" = T ]
rest "$p1" collections/list '{}' >/dev/null
e2e_check "curl through proxy-1 times out (it accepts, never answers)" [ $? -eq 28 ]

rest "$p2" collections/create '{"dbName":"default","collectionName":"after_stop","dimension":4}' \
	>"$E2E_TMP/create2.out"
e2e_check "created default.after_stop through proxy-2" grep -q '"code":0' "$E2E_TMP/create2.out"
e2e_check "Collections shows default.after_stop within a few refreshes" \
	wait_screen main:tui "after_stop" 40
e2e_check "... and names proxy-2 as the proxy that answered" \
	wait_screen main:tui "read through proxy 'http://$p2:19530'" 10
screen main:tui >"$E2E_TMP/screen.txt"
sed 's/^/# /' "$E2E_TMP/screen.txt"
e2e_check "... and is not stale" sh -c "! grep -q '^stale:' '$E2E_TMP/screen.txt'"
tm send-keys -t main:tui q

# Command mode: a fresh process, no preference learnt yet.
t0=$(date +%s%N)
"$M" -p lab-fo collections -o json >"$E2E_TMP/coll.json" 2>"$E2E_TMP/coll.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
sed 's/^/# stderr: /' "$E2E_TMP/coll.err"
echo "# collections -o json with proxy-1 stopped: rc $rc in $ms ms"
e2e_check "collections -o json succeeds with proxy-1 stopped" [ "$rc" -eq 0 ]
e2e_check "... in less than one request timeout ($ms ms < $TIMEOUT_MS ms)" \
	[ "$ms" -lt "$TIMEOUT_MS" ]
e2e_check "... lists default.after_stop" \
	[ "$(e2e_json "$E2E_TMP/coll.json" "'after_stop' in [c['name'] for c in d['collections']]")" = yes ]
e2e_check "... says via proxy-2" \
	[ "$(e2e_json "$E2E_TMP/coll.json" "d['via']")" = "http://$p2:19530" ]
e2e_check "... and the replica counts too (proxy-2's 9091)" \
	[ "$(e2e_json "$E2E_TMP/coll.json" "d['replicas_via']")" = "http://$p2:9091" ]
e2e_check "... and warns that milvus.uri did not answer" \
	grep -qF "read through proxy 'http://$p2:19530'" "$E2E_TMP/coll.err"

kill -CONT "$pid1"
e2e_done
