#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cost of `backup create --wait` and `restore --wait` to the tool itself
# (not a test; prints numbers): start a lab with its milvus-backup server,
# create a collection and insert ROWS rows through a proxy's REST v2 with curl
# (timed), then run with the real binary
#   milvusadm backup create --collections default.COLL --wait
#   milvusadm restore BACKUP --suffix _bench --wait
# and report for each its wall time, rows/s, the tool's CPU time (user+sys),
# its share of one core (cpu s / wall s) and its peak RSS while it polls.
# Measured with GNU time (`/usr/bin/time -f '%e %U %S %M'`, Debian package
# `time`) when present, else by sampling /proc/PID/stat and VmHWM every 0.1 s
# (BENCH_MEASURE=proc forces that).
# Targets: CPU < 1 % of one core and peak RSS < 20 MB (BENCH_MAX_CPU_PCT and
# BENCH_MAX_RSS_MB override them). The lab's backup server copies at its
# default bounded rate (no LABDIR/backup-1.faults is written): the wall times
# are the lab's, the CPU and RSS are the tool's.
# Exit 0 when every target is met, 1 when one is missed (or the command
# failed, or the restored collection lacks rows), 2 on a usage or set-up error.
#
# usage: bench/backup-bench.sh [--rows N] [--batch N] [--dim N] [--subnet 127.A.B.0/24]
# Binaries: $MILVUSADM and $MILVUSADM_LABD (default: build/src/...).
set -Eeu
# Anything that fails unexpectedly is a set-up error (exit 2), not a miss.
trap 'echo "backup-bench: failed at line $LINENO" >&2; exit 2' ERR
here=$(cd "$(dirname "$0")/.." && pwd)
MILVUSADM=${MILVUSADM:-$here/build/src/milvusadm}
export MILVUSADM_LABD=${MILVUSADM_LABD:-$(dirname "$MILVUSADM")/lab/milvusadm-labd}
rows=100000 batch=1000 dim=64 subnet=127.114.0.0/24
max_cpu=${BENCH_MAX_CPU_PCT:-1} max_rss=${BENCH_MAX_RSS_MB:-20}
usage() {
	echo "usage: $0 [--rows N] [--batch N] [--dim N] [--subnet CIDR]" >&2
	echo "  env: BENCH_MAX_CPU_PCT (1), BENCH_MAX_RSS_MB (20), BENCH_MEASURE=time|proc," \
	    "MILVUSADM, MILVUSADM_LABD" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--rows) rows=${2:-}; shift 2 || usage ;;
	--batch) batch=${2:-}; shift 2 || usage ;;
	--dim) dim=${2:-}; shift 2 || usage ;;
	--subnet) subnet=${2:-}; shift 2 || usage ;;
	*) usage ;;
	esac
done
isnum() { case $1 in '' | *[!0-9.]* | *.*.*) return 1 ;; esac; }
for v in "$rows" "$batch" "$dim"; do
	case $v in '' | *[!0-9]* | 0*) usage ;; esac
done
if ! isnum "$max_cpu" || ! isnum "$max_rss"; then
	echo "BENCH_MAX_CPU_PCT and BENCH_MAX_RSS_MB are numbers" >&2
	exit 2
fi
[ -x "$MILVUSADM" ] || { echo "no milvusadm binary at $MILVUSADM" >&2; exit 2; }
for t in curl python3; do
	command -v "$t" >/dev/null || { echo "$t is needed" >&2; exit 2; }
done
measure=${BENCH_MEASURE:-}
if [ -z "$measure" ]; then
	if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' true >/dev/null 2>&1; then
		measure="time"
	else
		measure="proc"
	fi
fi
case $measure in time | proc) ;; *) echo "BENCH_MEASURE is time or proc" >&2; exit 2 ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/milvusadm-backup-bench.XXXXXX")
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_STATE_HOME=$tmp/home/.local/state
export XDG_CACHE_HOME=$tmp/home/.cache XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME"
unset MILVUSADM_PROFILE
lab=bbench
labdir=$XDG_STATE_HOME/milvusadm/lab/$lab
runpid=""	# the command being measured (GNU time, or milvusadm itself)
lab_pids() {	# the lab's members and supervisor, from its state file
	[ -f "$labdir/state.json" ] || return 0
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(str(m["pid"]) for m in d["members"] if m.get("pid", 0) > 0),
      d.get("supervisor_pid") or "")' "$labdir/state.json" 2>/dev/null || true
}
cleanup() {
	local pids p
	if [ -n "$runpid" ]; then	# milvusadm under GNU time, then time itself
		for p in $(pgrep -P "$runpid" || true) "$runpid"; do
			kill -TERM "$p" 2>/dev/null || true
		done
	fi
	pids=$(lab_pids)
	"$MILVUSADM" lab down --name "$lab" >/dev/null 2>&1 || true
	# What lab down left (the supervisor exits a moment after it returns):
	# only a pid whose command line still names this lab's directory.
	for p in $pids; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			grep -qsF -- "$tmp/" "/proc/$p/cmdline" || break
			sleep 0.2
		done
		if grep -qsF -- "$tmp/" "/proc/$p/cmdline"; then
			kill -KILL "$p" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
setup_error() { echo "backup-bench: $*" >&2; exit 2; }

echo "# lab up: subnet $subnet, 1 etcd member, milvus 2.5, backup server 0.6 (default copy rate)"
"$MILVUSADM" lab up --name "$lab" --subnet "$subnet" --etcd 1 --milvus 2.5 --timeout 120s \
	>"$tmp/up.out" 2>&1 || { cat "$tmp/up.out" >&2; setup_error "lab up failed"; }
addr_of() {	# addr_of ROLE: the first member's address
	"$MILVUSADM" lab status --name "$lab" -o json | python3 -c 'import json,sys
print(next((m["address"] for m in json.load(sys.stdin)["members"] if m["role"] == sys.argv[1]), ""))' "$1"
}
proxy=$(addr_of proxy) bk=$(addr_of backup)
[ -n "$proxy" ] || setup_error "the lab has no proxy"
[ -n "$bk" ] || setup_error "the lab has no backup server (milvusadm-labd --role backup)"
[ ! -e "$labdir/backup-1.faults" ] || setup_error "$labdir/backup-1.faults exists: not the default behaviour"
REST=http://$proxy:19530/v2/vectordb
rest() {	# rest PATH BODY|@FILE: the answer on stdout
	curl -s -m 60 -XPOST "$REST/$1" -H 'Content-Type: application/json' --data-binary "$2"
}
prof=lab-$lab
coll=bench

# ---- the collection and its rows ----
rest collections/create '{"collectionName":"'$coll'","schema":{"enableDynamicField":true,"fields":[
 {"fieldName":"id","dataType":"Int64","isPrimary":true},
 {"fieldName":"vec","dataType":"FloatVector","elementTypeParams":{"dim":"'$dim'"}},
 {"fieldName":"tag","dataType":"VarChar","elementTypeParams":{"max_length":"64"}}]},
 "indexParams":[{"fieldName":"vec","metricType":"L2","indexName":"vec"}]}' >"$tmp/create.json"
grep -q '^{"code":0' "$tmp/create.json" ||
	{ cat "$tmp/create.json" >&2; setup_error "collections/create failed"; }
# The batches are written first, so that the timed part is the inserts only.
# Rows: id, a dim-float vector (1000 distinct ones, as in t0400), a tag and a
# dynamic key.
mkdir "$tmp/batches"
python3 - "$tmp/batches" "$coll" "$rows" "$batch" "$dim" <<'PY'
import sys
out, coll, rows, batch, dim = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
vecs = ["[" + ",".join("%g" % round(((j * 7 + k * 13) % 1000) / 1000.0, 3) for k in range(dim)) + "]"
        for j in range(1000)]
for n, start in enumerate(range(0, rows, batch)):
    body = ",".join('{"id":%d,"vec":%s,"tag":"t%07d","shard":%d}' % (i, vecs[i % 1000], i, i % 7)
                    for i in range(start, min(start + batch, rows)))
    with open("%s/%06d.json" % (out, n), "w") as f:
        f.write('{"collectionName":"%s","data":[%s]}' % (coll, body))
PY
nb=$(ls "$tmp/batches" | wc -l)
now() { date +%s.%N; }
t0=$(now)
for f in "$tmp/batches"/*.json; do
	rest entities/insert "@$f" >"$tmp/ins.json" || true
	grep -q '^{"code":0,"data":{"insertCount":' "$tmp/ins.json" ||
		{ head -c 300 "$tmp/ins.json" >&2; echo >&2; setup_error "insert of $f failed"; }
done
t1=$(now)
bytes=$(cat "$tmp/batches"/*.json | wc -c)
rm -rf "$tmp/batches"
count=$(rest collections/get_stats '{"collectionName":"'$coll'"}' | python3 -c 'import json,sys
print(json.load(sys.stdin)["data"]["rowCount"])' 2>/dev/null || echo "?")
[ "$count" = "$rows" ] || setup_error "$coll has $count rows after the inserts, not $rows"
ins_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "# inserted $rows rows (dim $dim) in $nb batches of $batch with curl:" \
	"$ins_wall s, $(awk -v r="$rows" -v w="$ins_wall" 'BEGIN { printf "%.0f", r / w }') rows/s," \
	"$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MB of JSON"

# ---- measuring one command ----
# run_measured NAME ARGS...: run milvusadm ARGS with stdout in $tmp/NAME.out and
# stderr in $tmp/NAME.err; sets m_rc, m_wall (s), m_cpu (user+sys s), m_rss (kB).
run_measured() {
	local name=$1 hz t0 t1 ticks hwm v k f
	shift
	m_rc=0 m_wall="" m_cpu="" m_rss=""
	if [ "$measure" = time ]; then
		/usr/bin/time -o "$tmp/$name.time" -f '%e %U %S %M' \
			"$MILVUSADM" -p "$prof" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
		runpid=$!
		wait "$runpid" || m_rc=$?
		runpid=""
		# GNU time writes "Command exited with non-zero status N" first then.
		read -r m_wall u s m_rss < <(tail -n 1 "$tmp/$name.time")
		m_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	else
		hz=$(getconf CLK_TCK)
		rm -f "$tmp/never" && mkfifo "$tmp/never"
		t0=$(now)
		"$MILVUSADM" -p "$prof" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
		runpid=$!
		ticks=0 hwm=0
		# Sample while it runs (with shell builtins only, so the sampler
		# itself does not load the machine); the last sample is at most
		# 0.1 s old at its exit, so up to 0.1 s of CPU may be missed.
		while read -r v 2>/dev/null <"/proc/$runpid/stat"; do
			v=${v##*) }	# fields from the 3rd on: utime and stime are the 12th and 13th
			read -r -a f <<<"$v"
			[ "${#f[@]}" -gt 12 ] && ticks=$((f[11] + f[12]))
			while read -r k v _; do
				[ "$k" = VmHWM: ] && hwm=$v
			done <"/proc/$runpid/status" 2>/dev/null || true
			read -r -t 0.1 <>"$tmp/never" || true	# sleep 0.1 without a fork
		done
		wait "$runpid" || m_rc=$?
		runpid=""
		t1=$(now)
		m_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
		m_cpu=$(awk -v t="$ticks" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
		m_rss=$hwm
	fi
}

failed=0
table=""
# row OP STATUS: a table line from the last measurement; counts a miss.
row() {
	local op=$1 verdict
	verdict=$(awk -v w="$m_wall" -v c="$m_cpu" -v r="$m_rss" -v mc="$max_cpu" -v mr="$max_rss" 'BEGIN {
		pct = w > 0 ? c / w * 100 : 0; m = ""
		if (!(pct < mc)) m = m "cpu"
		if (!(r / 1024 < mr)) m = m (m == "" ? "" : ",") "rss"
		print m == "" ? "ok" : "MISSED(" m ")" }')
	[ "$2" = ok ] || verdict="FAILED($2)"
	[ "$verdict" = ok ] || failed=1
	table=$table$(awk -v op="$op" -v n="$rows" -v w="$m_wall" -v c="$m_cpu" -v r="$m_rss" \
	    -v mc="$max_cpu" -v mr="$max_rss" -v v="$verdict" 'BEGIN {
		printf "%-16s %7d %8.2f %9.0f %11.2f %7.3f %12.1f  %-18s %s\n", op, n, w,
		    (w > 0 ? n / w : 0), c, (w > 0 ? c / w * 100 : 0), r / 1024,
		    sprintf("cpu<%g%% rss<%gMB", mc, mr), v }')$'\n'
}

echo "# measuring with $([ "$measure" = time ] && echo "GNU time" || echo "/proc sampling");" \
	"targets: cpu < $max_cpu % of one core, peak RSS < $max_rss MB"
run_measured create backup create --collections "default.$coll" --wait
sed 's/^/# create: /' "$tmp/create.err" | tail -n 3
bname=$(awk -F '\t' '$1 == "name" { print $2; exit }' "$tmp/create.out")
bsize=$(awk -F '\t' '$1 == "backup.size" { print $2; exit }' "$tmp/create.out")
st=ok
[ "$m_rc" = 0 ] || st="exit $m_rc"
[ "$m_rc" != 0 ] || [ -n "$bname" ] || st="no backup name"
row "backup create" "$st"
if [ -n "$bname" ] && [ "$m_rc" = 0 ]; then
	echo "# backup $bname: ${bsize:-?} bytes, $(awk -v b="${bsize:-0}" -v w="$m_wall" 'BEGIN {
		printf "%.2f", (w > 0 ? b / w / 1048576 : 0) }') MB/s"
	run_measured restore restore "$bname" --suffix _bench --wait
	sed 's/^/# restore: /' "$tmp/restore.err" | tail -n 3
	st=ok
	[ "$m_rc" = 0 ] || st="exit $m_rc"
	if [ "$m_rc" = 0 ]; then
		count=$(rest collections/get_stats '{"collectionName":"'$coll'_bench"}' | python3 -c 'import json,sys
print(json.load(sys.stdin)["data"]["rowCount"])' 2>/dev/null || echo "?")
		[ "$count" = "$rows" ] || st="$count rows"
		echo "# ${coll}_bench has $count rows (REST v2 get_stats)"
	fi
	row "restore" "$st"
fi

echo
printf "%-16s %7s %8s %9s %11s %7s %12s  %-18s %s\n" operation rows "wall s" "rows/s" \
	"tool cpu s" "cpu %" "peak RSS MB" target result
awk -v n="$rows" -v w="$ins_wall" 'BEGIN {
	printf "%-16s %7d %8.2f %9.0f %11s %7s %12s  %-18s %s\n", "insert (curl)", n, w,
	    (w > 0 ? n / w : 0), "-", "-", "-", "-", "-" }'
printf "%s" "$table"
[ "$measure" = time ] && echo "# (GNU time gives CPU time to 0.01 s)"
exit "$failed"
