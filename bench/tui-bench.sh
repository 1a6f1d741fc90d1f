#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The TUI's idle cost (not a test; prints numbers): start a lab, run
# `milvusadm -p lab-NAME` in a 120x40 tmux pane, leave it idle, and report its
# CPU share of one core (utime+stime from /proc/PID/stat over the idle window)
# and its peak RSS (VmHWM). Targets (issue 12, at 10,000 components): < 0.2 %
# of a core and < 30 MB; exit 1 when one is missed (or the process is gone
# before the end), so a script can rely on it. Up to --extra-workers 10000: it
# waits for the registrations (60 s + 1 s per 50 sessions at most).
#
# usage: bench/tui-bench.sh [--extra-workers N] [--seconds S] [--warmup S]
#            [--subnet 127.A.B.0/24] [--refresh MS] [--cmd "events --follow"]
# Binaries: $MILVUSADM and $MILVUSADM_LABD (default: build/src/...).
# --cmd runs that milvusadm command instead of the TUI (a stand-in).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
MILVUSADM=${MILVUSADM:-$here/build/src/milvusadm}
export MILVUSADM_LABD=${MILVUSADM_LABD:-$(dirname "$MILVUSADM")/lab/milvusadm-labd}
extra=0 seconds=60 warmup=15 subnet=127.87.20.0/24 cmd=""
while [ $# -gt 0 ]; do
	case $1 in
	--extra-workers) extra=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--subnet) subnet=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	*) echo "usage: $0 [--extra-workers N] [--seconds S] [--warmup S] [--subnet CIDR] [--cmd CMD]" >&2
	   exit 2 ;;
	esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/milvusadm-bench.XXXXXX")
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_STATE_HOME=$tmp/home/.local/state
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
sock=milvusadm-bench-$$
lab=bench
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	"$MILVUSADM" lab down --name "$lab" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# lab up: subnet $subnet, 1 etcd member, extra workers $extra"
"$MILVUSADM" lab up --name "$lab" --subnet "$subnet" --etcd 1 --timeout 120s \
	--extra-workers "$extra" >"$tmp/up.out" 2>&1 || { cat "$tmp/up.out"; exit 1; }
if [ "$extra" -gt 0 ]; then
	ep=http://${subnet%.0/24}.2:2379
	for _ in $(seq $((60 + extra / 50))); do
		n=$(ETCDCTL_API=3 etcdctl --endpoints "$ep" get --prefix by-dev/meta/session/ \
			--keys-only 2>/dev/null | grep -c -- '-[0-9]' || true)
		[ "$n" -ge "$extra" ] && break
		sleep 1
	done
	echo "# $n session keys registered"
fi

what=${cmd:-TUI}
tmux -L "$sock" new-session -d -s bench -x 120 -y 40 \
	"exec env TERM=tmux-256color '$MILVUSADM' -p lab-$lab $cmd"
sleep 1
ppid_=$(tmux -L "$sock" display -p -t bench '#{pane_pid}')
pid=$ppid_
# The pane runs the command itself (exec); follow a shell if there is one.
if [ "$(cat "/proc/$pid/comm")" != milvusadm ]; then
	pid=$(pgrep -P "$ppid_" -x milvusadm | head -n 1)
fi
[ -n "$pid" ] || { echo "no milvusadm process in the pane" >&2; exit 1; }
echo "# $what: pid $pid; warm-up ${warmup} s, then idle ${seconds} s"
sleep "$warmup"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks "$pid"); s0=$(date +%s%N)
sleep "$seconds"
t1=$(ticks "$pid"); s1=$(date +%s%N)
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
tmux -L "$sock" capture-pane -p -t bench | head -n 6 | sed 's/^/# screen: /'
missed=0
awk -v d=$((t1 - t0)) -v hz="$hz" -v ns=$((s1 - s0)) -v hwm="$hwm" -v rss="$rss" \
    -v what="$what" -v extra="$extra" 'BEGIN {
	cpu = d / hz / (ns / 1e9) * 100
	printf "%s, extra workers %d: cpu %.3f %% of one core over %.1f s (%d ticks), " \
	    "peak RSS %.1f MB (now %.1f MB)\n", what, extra, cpu, ns / 1e9, d, hwm / 1024, rss / 1024
	printf "targets: cpu < 0.2 %% %s, RSS < 30 MB %s\n", cpu < 0.2 ? "met" : "MISSED",
	    hwm / 1024 < 30 ? "met" : "MISSED"
	exit !(cpu < 0.2 && hwm / 1024 < 30)
}' || missed=1
tmux -L "$sock" send-keys -t bench q
sleep 0.5
exit "$missed"
