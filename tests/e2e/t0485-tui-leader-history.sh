#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The TUI keeps the leader history file ($XDG_STATE_HOME/milvusadm/leaders/
# <profile>.tsv) like `leaders` does (issue 12, item 4):
# - a failover recorded by `leaders` before the TUI started is in the Leaders
#   view's "recent leader changes" (the TUI reads no etcd history: without
#   the file it says "none seen since start");
# - a failover while the TUI runs is written to the file, with no other
#   command run.
# Ground truth for who is active comes from etcdctl (lib-etcd.sh).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
e2e_init 127.149.0.0/24
ep=http://127.149.0.2:2379
TTL=4
lab_up lh "$E2E_SUBNET" --milvus 2.5 --etcd 1 --ttl "$TTL" --no-backup

tmux_sock="milvusadm-t0485-$$"
. "$E2E_DIR/lib-tmux.sh"
trap 'rc=$?; tm kill-server 2>/dev/null; (exit "$rc"); e2e_cleanup' EXIT
file=$XDG_STATE_HOME/milvusadm/leaders/lab-lh.tsv

failover() {	# failover: kill the active rootcoord, print "OLD NEW"
	local old member new
	old=$(active_id "$ep" rootcoord)
	member=$(member_by_server lh "$ep" "rootcoord-$old")
	"$MILVUSADM" lab kill --name lh "$member" >/dev/null || e2e_fail "lab kill $member"
	new=$(wait_active_change "$ep" rootcoord "$old" $(( (TTL + 8) * 1000 )))
	echo "$old $new"
}

set -- $(failover)
a=$1 b=$2
e2e_check "a first failover: rootcoord $a -> $b (etcdctl)" test -n "$b"
"$MILVUSADM" -p lab-lh leaders >/dev/null
e2e_check "leaders recorded it in the profile's file" \
	grep -q "rootcoord" "$file"

shell_in live
tm send-keys -t main:live "$MILVUSADM -p lab-lh" Enter
wait_screen main:live "live" 15 || { screen main:live; e2e_die "the TUI did not start"; }
tm send-keys -t main:live 2
e2e_check "the Leaders view shows the change seen before the TUI started" \
	wait_screen main:live "rootcoord: active $a -> $b" 10
screen main:live | sed 's/^/# /'

set -- $(failover)
c=$1 d=$2
e2e_check "a second failover while the TUI runs: rootcoord $c -> $d (etcdctl)" \
	[ "$c" = "$b" ] && [ -n "$d" ]
e2e_check "the TUI shows it" wait_screen main:live "rootcoord: active $c -> $d" 15
tm send-keys -t main:live q
e2e_wait 5 on_screen main:live "tui\$"
sed 's/^/# file: /' "$file"
e2e_check "the TUI wrote the second change to the file (no other command ran)" \
	grep -q "rootcoord: active $c -> $d" "$file"
e2e_check "the first change is still there" grep -q "rootcoord: active $a -> $b" "$file"
e2e_done
