#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The floor for `milvusadm topology -o json` (issue 12): what a shell pipeline
# does with the same requests. A tool built for this must beat it (read-bench.sh
# wants topology at most 0.8x this script's time).
#
# usage: bench/floor-topology.sh ENDPOINT ROOT      e.g. http://127.150.0.2:2379 by-dev
#
#  1. one range read of ROOT/meta/session/ (etcdctl get --prefix, ETCDCTL_API=3),
#     the same range topology reads;
#  2. each session's Address host (the JSON's "Address", "IP:PORT"), one per
#     host as topology probes one 9091 base per process;
#  3. GET http://HOST:9091/healthz for every host with curl --parallel
#     --parallel-max 64 (connect timeout 1 s, 3 s per transfer: a dead node's
#     refused connect fails at once, as it does for topology);
#  4. one line per session: KEY ADDRESS HTTP-CODE (000 = no answer), then a
#     summary line on stderr.
# What topology does beyond this (so this is a lower bound, not its equal): the
# TTL of each session lease, process_start_time_seconds from each process's
# /metrics, and the JSON document it prints.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 ENDPOINT ROOT" >&2; exit 2; }
ep=$1 root=${2%/}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/floor-topology.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ETCDCTL_API=3 etcdctl --endpoints "$ep" --command-timeout=10s \
	get --prefix "$root/meta/session/" >"$tmp/kv"
# Simple output: the key on one line, its value on the next. Sessions are the
# keys whose value has an Address; the id counter and version keys have none.
awk 'NR % 2 == 1 { key = $0; next }
	match($0, /"Address":"[^"]*"/) {
		a = substr($0, RSTART + 11, RLENGTH - 12); h = a; sub(/:[0-9]+$/, "", h)
		print key, a, h
	}' "$tmp/kv" >"$tmp/sessions"
awk '{ print $3 }' "$tmp/sessions" | sort -u |
	awk '{ printf "url = \"http://%s:9091/healthz\"\noutput = \"/dev/null\"\n", $1 }' >"$tmp/curl.cfg"
if [ -s "$tmp/curl.cfg" ]; then
	curl --parallel --parallel-max 64 --parallel-immediate -s --connect-timeout 1 \
		--max-time 3 -K "$tmp/curl.cfg" -w '%{url_effective} %{http_code}\n' \
		>"$tmp/health" 2>/dev/null || true
else
	: >"$tmp/health"
fi
awk 'FNR == NR { h = $1; sub(/^http:\/\//, "", h); sub(/:9091\/healthz$/, "", h)
		code[h] = $2; next }
	{ c = ($3 in code) ? code[$3] : "000"; print $1, $2, c; n++; if (c == "200") ok++ }
	END { printf "%d sessions, %d answered /healthz with 200\n", n, ok > "/dev/stderr" }' \
	"$tmp/health" "$tmp/sessions"
