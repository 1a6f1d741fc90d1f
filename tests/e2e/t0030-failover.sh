#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Coordinator failover in the lab, measured from etcd:
# - SIGKILL of the active rootcoord (2.4) or mixcoord (2.6): the standby owns the
#   active key within TTL + 2 s, and the supervisor brings the killed one back as
#   a standby (a new ServerID under a new instance key);
# - revoking the active's lease: takeover within 1 s and the old process exits.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.72.0.0/24
TTL=4

failover_kill() {	# failover_kill NAME OCTET ROLE MILVUS
	local name=$1 octet=$2 role=$3 milvus=$4
	local ep="http://127.72.$octet.2:2379" old new member t0 dt
	lab_up "$name" "127.72.$octet.0/24" --milvus "$milvus" --etcd 1 --ttl "$TTL" --backoff 8s
	old=$(active_id "$ep" "$role")
	member=$(member_by_server "$name" "$ep" "$role-$old")
	e2e_check "$milvus: active $role is server $old ($member)" test -n "$member"
	t0=$(now_ms)
	"$MILVUSADM" lab kill --name "$name" "$member" >/dev/null
	new=$(wait_active_change "$ep" "$role" "$old" $(( (TTL + 5) * 1000 )))
	dt=$(( $(now_ms) - t0 ))
	echo "# $milvus: SIGKILL $role $old -> active $new after ${dt} ms (TTL ${TTL}s)"
	e2e_check "$milvus: standby took over within TTL+2s (${dt} ms)" \
		test -n "$new" -a "$dt" -le $(( (TTL + 2) * 1000 ))
	# The killed member comes back (new pid) and registers as a standby.
	e2e_check "$milvus: killed $role comes back as a standby" \
		e2e_wait_ms 20000 back_as_new_instance "$ep" "$role" "$old" 2
	e2e_check "$milvus: active unchanged after the restart" \
		test "$(active_id "$ep" "$role")" = "$new"
	lab_down "$name"
}

failover_revoke() {	# failover_revoke NAME OCTET ROLE MILVUS
	local name=$1 octet=$2 role=$3 milvus=$4
	local ep="http://127.72.$octet.2:2379" old new lease member pid t0 dt
	lab_up "$name" "127.72.$octet.0/24" --milvus "$milvus" --etcd 1 --ttl "$TTL" --backoff 2s
	old=$(active_id "$ep" "$role")
	lease=$(key_lease "$ep" "$role")
	member=$(member_by_server "$name" "$ep" "$role-$old")
	pid=$(member_pid "$name" "$member")
	t0=$(now_ms)
	curl -sf -X POST -d "{\"ID\":\"$lease\"}" "$ep/v3/lease/revoke" >/dev/null
	new=$(wait_active_change "$ep" "$role" "$old" 5000)
	dt=$(( $(now_ms) - t0 ))
	echo "# $milvus: revoke lease of $role $old -> active $new after ${dt} ms"
	e2e_check "$milvus: takeover within 1 s of the revoke (${dt} ms)" \
		test -n "$new" -a "$dt" -le 1000
	e2e_check "$milvus: the old active process $pid exits" e2e_wait_ms 5000 pid_gone "$pid"
	lab_down "$name"
}

failover_kill fk24 1 rootcoord 2.4
failover_kill fk26 2 mixcoord 2.6
failover_revoke fr25 3 rootcoord 2.5
failover_revoke fr26 4 mixcoord 2.6
e2e_done
