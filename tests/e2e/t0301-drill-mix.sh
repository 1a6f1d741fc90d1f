#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills of the 2.6 mixcoord with the lab SIGKILL, etcd-lease and stop
# backends (checked against etcdctl watch), a lab without standbys refused in
# PRECHECK (exit 3), and a drill that never recovers (the only standby frozen
# with SIGSTOP after the precheck) ending at its timeout with the stalled
# phase named (exit 5).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.89.11.0/24
trap drill_cleanup EXIT
M="$MILVUSADM"
EP=http://127.89.11.2:2379

lab_up d26 127.89.11.0/24 --milvus 2.6 --etcd 1 --ttl 4 --backoff 1s
gt_watch "$EP" mixcoord "$E2E_TMP/gt-d26-mixcoord"
for backend in lab etcd-lease stop; do
	drill_one d26 "$EP" mixcoord "$backend"
done

# Never recovers: SIGKILL the active (detection takes the TTL), freeze the
# standby meanwhile, and keep the killed one down (long back-off).
lab_up n26 127.89.12.0/24 --milvus 2.6 --etcd 1 --ttl 4 --backoff 60s
EP2=http://127.89.12.2:2379
old=$(active_id "$EP2" mixcoord)
standby=""
for m in mixcoord-1 mixcoord-2; do
	[ "$(member_by_server n26 "$EP2" "mixcoord-$old")" = "$m" ] || standby=$m
done
"$M" -p lab-n26 drill run mixcoord --confirm mixcoord --backend lab --timeout 8s -o json \
	>"$E2E_TMP/stall.json" 2>"$E2E_TMP/stall.err" &
dpid=$!
sleep 1.5
"$M" lab kill --name n26 "$standby" --signal STOP >/dev/null
wait "$dpid"
rc=$?
"$M" lab kill --name n26 "$standby" --signal CONT >/dev/null
sed 's/^/# /' "$E2E_TMP/stall.err"
e2e_check "a drill that never recovers exits 5" test "$rc" = 5
e2e_check "it failed at its timeout, stalled in 'elect', and says so" \
	test "$(e2e_json "$E2E_TMP/stall.json" '(d["verdict"] == "failed" and
	d["stalled_phase"] == "elect" and "elect" in d["reason"] and d["rto_ms"] is None and
	d["times"]["detected_ms"] is not None)')" = yes
e2e_check "the stalled report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$E2E_TMP/stall.json"
lab_down n26

# No standby: refused in PRECHECK with the reason.
lab_up s26 127.89.13.0/24 --milvus 2.6 --etcd 1 --ttl 4 --no-standby
"$M" -p lab-s26 drill run mixcoord --confirm mixcoord --backend lab >/dev/null \
	2>"$E2E_TMP/nostandby.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/nostandby.err"
e2e_check "a lab without standby is refused in precheck (exit 3) with the reason" \
	test "$rc" = 3 -a -n "$(grep 'no standby' "$E2E_TMP/nostandby.err")"
e2e_check "the refused drill saved no report" \
	test "$(ls "$XDG_STATE_HOME/milvusadm/drills/"*.json | wc -l)" = 4
e2e_done
