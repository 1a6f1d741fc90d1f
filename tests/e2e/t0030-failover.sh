#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Coordinator failover in the lab, measured from etcd:
# - SIGKILL of the active rootcoord (2.4) or mixcoord (2.6): the standby owns the
#   active key within TTL + 2 s, and the supervisor brings the killed one back as
#   a standby (a new ServerID under a new instance key);
# - revoking the active's lease: takeover well before the lease could have
#   expired (within TTL/2) and the old process exits.
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
	# The killed active's lease ends TTL after its last keepalive (sent every
	# TTL/3, so 2/3 TTL to TTL after the kill, less a keepalive's round trip),
	# etcd sweeps expired leases every 500 ms, then the standby takes over.
	# Not before: a takeover while the lease lives means two actives. Within
	# TTL + 2 s (etcd's sweep, the poll's etcdctl and python on a loaded
	# machine): a standby that needs a second TTL would take 2 TTL.
	e2e_check "$milvus: standby took over after the lease lapsed, within TTL+2s (${dt} ms)" \
		test -n "$new" -a "$dt" -ge $(( TTL * 1000 * 2 / 3 - 200 )) -a \
		"$dt" -le $(( (TTL + 2) * 1000 ))
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
	# A revoke deletes the key at once and the standby takes over on the
	# DELETE (2.5 watches the key, 2.6 polls every 100 ms). Measured through
	# curl, then an etcdctl and a python per 50 ms poll, that is well under
	# a second idle, but a clean-clone CI run on a loaded 2-core machine saw
	# 1008 ms against the old 1 s bound. A takeover that waits for a lease
	# to lapse instead (the revoke missed, or the active key on a lease the
	# revoke did not end) comes at least 2/3 TTL after it (the lease ends
	# TTL after its last keepalive, sent every TTL/3), so TTL/2 still fails
	# it, with a second of room on a loaded machine at TTL 4 s.
	e2e_check "$milvus: takeover within TTL/2 of the revoke (${dt} ms, TTL ${TTL} s)" \
		test -n "$new" -a "$dt" -lt $(( TTL * 1000 / 2 ))
	e2e_check "$milvus: the old active process $pid exits" e2e_wait_ms 5000 pid_gone "$pid"
	lab_down "$name"
}

failover_kill fk24 1 rootcoord 2.4
failover_kill fk26 2 mixcoord 2.6
failover_revoke fr25 3 rootcoord 2.5
failover_revoke fr26 4 mixcoord 2.6
e2e_done
