#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scale benchmark of the read commands (issue 12 item 7): start a lab with N
# extra worker sessions and at least H session events in etcd's history, time
# every read command against it, and print one table; exit 1 when a target is
# missed, 2 on a usage or set-up error.
#
# usage: bench/read-bench.sh [--extra-workers N] [--history H] [--subnet CIDR]
#            [--runs R] [--timeout S]
#   N  extra worker sessions (`lab up --extra-workers N`), default 2000, <= 10000
#   H  session events wanted in etcd's history, default 10000: the N
#      registrations plus `lab up --extra-churn C` worker restarts (a delete and
#      a put each), C = ceil((H - N) / 2)
#   CIDR  the lab's 127.A.B.0/24, default 127.150.0.0/24 (extras use the
#      following /24s: 127.150.1-40.x at 10,000)
#   R  runs per command, default 3; the table shows the median and the best
#   S  timeout per run, default 30 s (the table says "timeout")
# Binaries: $MILVUSADM and $MILVUSADM_LABD (default: build/src/...).
#
# Targets (issue 12): every read command <= 1 s at the median; `topology -o
# json` at most 0.8x the median of the floor script (bench/floor-topology.sh:
# etcdctl get of the sessions, then curl --parallel --parallel-max 64 over the
# same /healthz URLs); memory <= 2 KB per component.
#
# Exit codes: 0 is a result; 5 (a check failed: ha check, rpo...) is a result
# too, shown as "exit 5"; 1-4 (failed, usage, refused, unreachable) mean the
# command did not read the cluster and count as a miss ("exit N"); a timeout,
# a signal ("crash") or any other code is a miss.
#
# Memory per component: peak RSS (GNU time %M, else VmHWM sampled from /proc)
# of `topology -o json` on this lab, minus the same on a lab with the same
# plan and no extra workers (started first on the same subnet, then taken
# down), divided by the difference in components (counted in topology's JSON).
# So the fixed cost (binary, libraries, curl, TLS, buffers) is not counted and
# the number is what each further component costs; the best (lowest) peak of
# the R runs is used on each side.
#
# It runs two labs one after the other (names readbase and readbench, its own
# HOME and XDG dirs) and takes each down on any exit.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
MILVUSADM=${MILVUSADM:-$here/build/src/milvusadm}
export MILVUSADM_LABD=${MILVUSADM_LABD:-$(dirname "$MILVUSADM")/lab/milvusadm-labd}
FLOOR=$here/bench/floor-topology.sh
extra=2000 history=10000 subnet=127.150.0.0/24 runs=3 to=30
usage() {
	echo "usage: $0 [--extra-workers N] [--history H] [--subnet 127.A.B.0/24] [--runs R] [--timeout S]" >&2
	exit 2
}
isnum() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--extra-workers) extra=$2 ;;
	--history) history=$2 ;;
	--subnet) subnet=$2 ;;
	--runs) runs=$2 ;;
	--timeout) to=$2 ;;
	*) usage ;;
	esac
	shift 2
done
for v in "$extra" "$history" "$runs" "$to"; do isnum "$v" || usage; done
[ "$extra" -le 10000 ] && [ "$runs" -ge 1 ] && [ "$to" -ge 1 ] || usage
case $subnet in 127.*.*.0/24) ;; *) usage ;; esac
for t in etcdctl curl timeout awk python3; do
	command -v "$t" >/dev/null || { echo "$0: '$t' is needed" >&2; exit 2; }
done
[ -x "$MILVUSADM" ] || { echo "$0: no milvusadm at '$MILVUSADM' (set MILVUSADM)" >&2; exit 2; }
gtime=""
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && gtime=/usr/bin/time
churn=0
[ "$history" -gt "$extra" ] && churn=$(( (history - extra + 1) / 2 ))
net=${subnet%.0/24}
ep=http://$net.2:2379
root=by-dev

tmp=$(mktemp -d "${TMPDIR:-/tmp}/milvusadm-readbench.XXXXXX")
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_STATE_HOME=$tmp/home/.local/state
export XDG_CACHE_HOME=$tmp/home/.cache XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME"
unset MILVUSADM_PROFILE
labs=""
cleanup() {
	for l in $labs; do "$MILVUSADM" lab down --name "$l" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up() {	# lab_up NAME EXTRA CHURN
	labs="$labs $1"
	echo "# lab up $1: subnet $subnet, 1 etcd member, extra workers $2, churn $3"
	"$MILVUSADM" lab up --name "$1" --subnet "$subnet" --etcd 1 --timeout 180s \
		--extra-workers "$2" --extra-churn "$3" >"$tmp/up-$1.out" 2>&1 ||
		{ cat "$tmp/up-$1.out" >&2; echo "$0: lab up $1 failed" >&2; exit 2; }
}
lab_down() { "$MILVUSADM" lab down --name "$1" >/dev/null 2>&1; }

# measure CMD...: one timed run; sets ms, rc, kb (peak RSS, KB; "" unknown).
measure() {
	local s e pid hwm
	kb=""
	rm -f "$tmp/rss"
	s=$(date +%s%N)
	if [ -n "$gtime" ]; then
		timeout -k 2 "$to" "$gtime" -f %M -o "$tmp/rss" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		kb=$(tail -n 1 "$tmp/rss" 2>/dev/null)
		grep -q '^Command terminated by signal' "$tmp/rss" 2>/dev/null && [ "$rc" -lt 128 ] && rc=139
	else
		timeout -k 2 "$to" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null &
		pid=$!
		hwm=0
		while kill -0 "$pid" 2>/dev/null; do
			for c in $(pgrep -P "$pid"); do
				v=$(awk '/^VmHWM/ { print $2 }' "/proc/$c/status" 2>/dev/null)
				[ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
			done
			sleep 0.01
		done
		wait "$pid"
		rc=$?
		[ "$hwm" -gt 0 ] && kb=$hwm
	fi
	e=$(date +%s%N)
	ms=$(( (e - s) / 1000000 ))
	isnum "$kb" || kb=""
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }

# run_cmd LABEL TARGET_MS CMD...: R runs (stop after a timeout); one result
# line in $tmp/results: label median best target verdict note rss_best
run_cmd() {
	local label=$1 target=$2 i times="" note="" bad="" rss=""
	shift 2
	for i in $(seq "$runs"); do
		measure "$@"
		case $rc in
		0) ;;
		5) note="exit 5" ;;
		124 | 137) bad="timeout"; break ;;
		1 | 2 | 3 | 4) bad="exit $rc"; note="exit $rc: $(head -c 80 "$tmp/err" | tr '\n\t' '  ')" ;;
		*) if [ "$rc" -ge 128 ]; then bad="crash (signal $((rc - 128)))"; else bad="exit $rc"; fi ;;
		esac
		times="$times $ms"
		[ -n "$kb" ] && { [ -z "$rss" ] || [ "$kb" -lt "$rss" ]; } && rss=$kb
		[ -n "$bad" ] && [ "$bad" != "exit 5" ] && break
	done
	med=$(printf '%s\n' $times | median)
	best=$(printf '%s\n' $times | sort -n | head -n 1)
	if [ "$bad" = timeout ]; then
		med=timeout best=timeout verdict=MISSED
	elif [ -n "$bad" ]; then
		verdict=MISSED
	elif [ "$target" = - ]; then
		verdict=-
	elif [ "$med" -le "$target" ]; then
		verdict=met
	else
		verdict=MISSED
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$med" "$best" "$target" "$verdict" \
		"${bad:-${note:-ok}}" "${rss:--}" >>"$tmp/results"
	echo "# $label: median $med ms, best $best ms, ${bad:-${note:-ok}}"
}

# The components topology -o json shows ($tmp/out after a run).
components() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(len(d.get("components", [])))' "$tmp/out" 2>/dev/null || echo 0
}
best_rss() {	# best_rss CMD...: the lowest peak RSS of R runs; sets rss_best, comps
	local i
	rss_best=""
	for i in $(seq "$runs"); do
		measure "$@"
		[ -n "$kb" ] && { [ -z "$rss_best" ] || [ "$kb" -lt "$rss_best" ]; } && rss_best=$kb
	done
	comps=$(components)
}

echo "# milvusadm $("$MILVUSADM" version 2>/dev/null | head -n 1); $(nproc) cores;" \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# peak RSS by ${gtime:-sampling VmHWM}; $runs runs per command, timeout $to s"

# 1. The baseline for memory: the same plan, no extra workers.
lab_up readbase 0 0
best_rss "$MILVUSADM" -p lab-readbase topology -o json
base_rss=$rss_best base_comps=$comps
echo "# base lab: topology -o json peak RSS ${base_rss:-?} KB, $base_comps components"
lab_down readbase
labs=""

# 2. The lab under test; wait for the registrations and the restarts.
lab_up readbench "$extra" "$churn"
log=$XDG_STATE_HOME/milvusadm/lab/readbench/logs/extra-workers-1.log
if [ "$extra" -gt 0 ]; then
	limit=$((120 + extra / 20 + churn / 50))
	want="$extra sessions registered"
	[ "$churn" -gt 0 ] && want="$churn restarts done"
	s0=$(date +%s)
	until grep -q "$want" "$log" 2>/dev/null; do
		if [ $(($(date +%s) - s0)) -ge "$limit" ]; then
			echo "$0: the extra workers did not finish ('$want') in $limit s" >&2
			tail -n 5 "$log" >&2
			exit 2
		fi
		sleep 1
	done
	echo "# extra workers: '$want' after $(($(date +%s) - s0)) s"
fi
nkeys=$(ETCDCTL_API=3 etcdctl --endpoints "$ep" get --prefix "$root/meta/session/" --keys-only |
	grep -c -- '-[0-9][0-9]*$')
# Session events in history: every put and delete of a session key (not the
# id counter) since revision 1, read with a watch that ends by timeout.
timeout $((10 + history / 2000)) env ETCDCTL_API=3 etcdctl --endpoints "$ep" watch --rev 1 --prefix \
	"$root/meta/session/" >"$tmp/history" 2>/dev/null
nevents=$(awk '($0 == "PUT" || $0 == "DELETE") { getline key; if (key ~ /-[0-9]+$/) n++ }
	END { print n + 0 }' "$tmp/history")
rm -f "$tmp/history"
echo "# $nkeys sessions live, $nevents session events in history (wanted >= $history)"
[ "$nevents" -ge "$history" ] || echo "# NOTE: fewer session events than --history asked for"

# 3. The read commands, the floor and etcdctl alone.
: >"$tmp/results"
P="-p lab-readbench"
run_cmd "topology -o json" 1000 "$MILVUSADM" $P topology -o json
rss_n=$(awk -F'\t' '$1 == "topology -o json" { print $7 }' "$tmp/results")
comps_n=$(components)
for c in "topology" "status" "leaders" "events" "health" "ha check" "ha estimate" \
	"etcd" "collections" "replicas" "watch --once" "protect list" "rpo" \
	"backup list" "version"; do
	# shellcheck disable=SC2086
	run_cmd "$c" 1000 "$MILVUSADM" $P $c
done
run_cmd "floor-topology.sh" - "$FLOOR" "$ep" "$root"
run_cmd "etcdctl get --prefix" - env ETCDCTL_API=3 etcdctl --endpoints "$ep" get --prefix \
	"$root/meta/session/"
lab_down readbench
labs=""

# 4. The table.
floor=$(awk -F'\t' '$1 == "floor-topology.sh" { print $2 }' "$tmp/results")
topo=$(awk -F'\t' '$1 == "topology -o json" { print $2 }' "$tmp/results")
missed=0
echo
echo "lab: $extra extra workers, $nkeys sessions, $nevents session events in history;" \
	"$(nproc) cores; $(date -u +%Y-%m-%d) $(git -C "$here" rev-parse --short HEAD 2>/dev/null)"
printf '%-22s %9s %9s %10s %-7s %9s  %s\n' command median best target result "peak RSS" note
while IFS=$'\t' read -r label med best target verdict note rss; do
	tt=$([ "$target" = - ] && echo - || echo "<= ${target} ms")
	[ "$verdict" = MISSED ] && missed=1
	printf '%-22s %9s %9s %10s %-7s %9s  %s\n' "$label" \
		"$med$(isnum "$med" && echo ' ms')" "$best$(isnum "$best" && echo ' ms')" \
		"$tt" "$verdict" "$([ "$rss" = - ] && echo - || echo "$((rss / 1024)) MB")" \
		"$([ "$note" = ok ] || echo "$note")"
done <"$tmp/results"
# topology against the floor.
if isnum "$topo" && isnum "$floor"; then
	v=$(awk -v t="$topo" -v f="$floor" 'BEGIN { printf "%.2f", t / f }')
	r=$(awk -v t="$topo" -v f="$floor" 'BEGIN { print (t <= 0.8 * f) ? "met" : "MISSED" }')
	printf '%-22s %9s %9s %10s %-7s\n' "topology/floor" "${v}x" "" "<= 0.80x" "$r"
else
	r=MISSED
	printf '%-22s %9s %9s %10s %-7s\n' "topology/floor" "n/a" "" "<= 0.80x" "$r"
fi
[ "$r" = met ] || missed=1
# Memory per component.
if isnum "${rss_n:-}" && isnum "${base_rss:-}" && [ "$comps_n" -gt "$base_comps" ]; then
	per=$(( (rss_n - base_rss) * 1024 / (comps_n - base_comps) ))
	r=$([ "$per" -le 2048 ] && echo met || echo MISSED)
	printf '%-22s %9s %9s %10s %-7s  %s\n' "memory/component" "$per B" "" "<= 2048 B" "$r" \
		"($rss_n - $base_rss KB) / ($comps_n - $base_comps components)"
else
	r=MISSED
	printf '%-22s %9s %9s %10s %-7s  %s\n' "memory/component" "n/a" "" "<= 2048 B" "$r" \
		"(no RSS or no extra components: $rss_n/$base_rss KB, $comps_n/$base_comps)"
fi
[ "$r" = met ] || missed=1
exit "$missed"
