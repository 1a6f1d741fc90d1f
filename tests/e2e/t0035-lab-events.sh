#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's event log (LABDIR/events.log), the ground truth drills are checked
# against, compared with an independent etcdctl watch timestamped as each event
# arrives, on the 2.5 (rootcoord) and 2.6 (mixcoord) profiles:
# - SIGKILL of the active through `lab kill`: `killed` and `exited signal=9` for
#   it, `active-gained` by the standby within SLACK (100 ms) of the watch's PUT
#   of the active key (same revision), and on 2.5 the standby's
#   `active-vacated` within SLACK of the watch's DELETE;
# - revoking the active's lease: `active-lost` and `fenced` for the old one
#   within SLACK of the watch's DELETE on 2.5 (LivenessCheck watch); on 2.6 (a
#   2.6.7+ TimeToLive exit) at its next keepalive, within TTL/3 + 300 ms; the
#   standby's `active-gained` within SLACK of the watch's PUT.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-labevents.sh"
e2e_init 127.91.0.0/24
TTL=4
# ms between the lab's clock of an event and the watch's: a lab member and
# etcdctl (piped into python) each stamp the same etcd event when their own
# socket wakes them, one scheduling delay apiece; a few ms idle, about 20 ms
# with two CPU hogs on 2 cores. 100 ms holds on a loaded machine and still
# fails a line stamped at the wrong moment (a member that polls instead of
# watching, or stamps when it handled the event rather than when it came).
SLACK=100

trap 'etcd_watch_stop; e2e_cleanup' EXIT

# The active's member, ServerID and lease, from the lab's log, checked against etcd.
active_from_log() {	# active_from_log LAB EP ROLE -> sets A_MEMBER A_ID A_LEASE
	A_MEMBER=$(lab_event_member "$1" active-gained "$3")
	A_ID=$(lab_event_field "$1" "$A_MEMBER" active-gained server_id "$3")
	A_LEASE=$(lab_event_field "$1" "$A_MEMBER" active-gained lease "$3")
	e2e_check "$1: the log's active $3 is $A_MEMBER, server $A_ID, as in etcd" \
		test -n "$A_ID" -a "$(active_id "$2" "$3")" = "$A_ID"
}

# The standby's active-gained after the fault agrees with the watch's PUT.
check_takeover() {	# check_takeover LAB ROLE OLD_MEMBER WATCH_OUT
	local lab=$1 role=$2 old=$3 out=$4 new rev gained put
	e2e_check "$lab: a standby logs active-gained for $role" \
		lab_event_wait $(( (TTL + 5) * 1000 )) "$lab" '*' active-gained "$role"
	new=$(lab_event_member "$lab" active-gained "$role")
	rev=$(lab_event_field "$lab" "$new" active-gained revision "$role")
	gained=$(lab_event_ms "$lab" "$new" active-gained "$role")
	e2e_check "$lab: the new active $new is not the old $old" test -n "$new" -a "$new" != "$old"
	e2e_wait 2 etcd_watch_event "$out" PUT "by-dev/meta/session/$role" "$rev"
	put=$(etcd_watch_ms "$out" PUT "by-dev/meta/session/$role" "$rev")
	e2e_check "$lab: active-gained (rev $rev) within ${SLACK} ms of the watch's PUT" \
		within_ms "$gained" "$put" "$SLACK"
}

events_kill() {	# events_kill LAB OCTET ROLE MILVUS
	local lab=$1 role=$3 milvus=$4 ep="http://127.91.$2.2:2379" out
	local killed exited del vacated
	out="$E2E_TMP/watch-$lab.out"
	lab_up "$lab" "127.91.$2.0/24" --milvus "$milvus" --etcd 1 --ttl "$TTL" --backoff 30s
	LAB_EVENT_SINCE=0
	e2e_check "$lab: every member was started and registered" \
		test "$(lab_event_count "$lab" '*' started)" -ge 5 -a \
		"$(lab_event_count "$lab" '*' registered)" -ge 5
	e2e_wait 5 lab_event_line "$lab" '*' active-gained "$role"
	active_from_log "$lab" "$ep" "$role"
	etcd_watch_start "$ep" "by-dev/meta/session/$role" "$out"
	LAB_EVENT_SINCE=$(lab_event_mark "$lab")
	"$MILVUSADM" lab kill --name "$lab" "$A_MEMBER" >/dev/null
	e2e_check "$lab: lab kill logs 'killed signal=9 by=lab-kill' for $A_MEMBER" \
		test "$(lab_event_field "$lab" "$A_MEMBER" killed by)" = lab-kill -a \
		"$(lab_event_field "$lab" "$A_MEMBER" killed signal)" = 9
	exited_by_kill() { [ "$(lab_event_field "$lab" "$A_MEMBER" exited signal)" = 9 ]; }
	e2e_check "$lab: the supervisor logs 'exited signal=9' for $A_MEMBER" \
		e2e_wait 5 exited_by_kill
	killed=$(lab_event_ms "$lab" "$A_MEMBER" killed)
	exited=$(lab_event_ms "$lab" "$A_MEMBER" exited)
	# `lab kill` logs before it signals, the supervisor once it reaped: never
	# the other way round (a clock or an order gone wrong). Within 1 s: a
	# supervisor that reaps its children late (on a timer, not on SIGCHLD)
	# would date every death late; a reap is milliseconds even when loaded.
	e2e_check "$lab: killed ($killed) comes before exited ($exited), within 1 s" \
		test "$killed" -le "$exited" -a $(( exited - killed )) -le 1000
	check_takeover "$lab" "$role" "$A_MEMBER" "$out"
	del=$(etcd_watch_ms "$out" DELETE "by-dev/meta/session/$role")
	echo "# $lab: killed $killed, exited $exited, key deleted $del (TTL ${TTL}s)"
	# The lease runs out TTL after the last keepalive, which went at most
	# TTL/3 before the kill: between TTL - TTL/3 and TTL after it (plus
	# etcd's expiry sweep).
	e2e_check "$lab: the key went with the lease, TTL after the kill" \
		test -n "$del" -a $(( del - exited )) -ge $(( TTL * 1000 - TTL * 1000 / 3 - 200 )) -a \
		$(( del - exited )) -le $(( TTL * 1000 + 2000 ))
	if [ "$milvus" != 2.6 ]; then
		# A 2.6.8+ standby polls; a watching one sees the DELETE itself.
		vacated=$(lab_event_ms "$lab" '*' active-vacated "$role")
		e2e_check "$lab: the standby's active-vacated within ${SLACK} ms of the DELETE" \
			within_ms "$vacated" "$del" "$SLACK"
	fi
	etcd_watch_stop
	lab_down "$lab"
}

events_revoke() {	# events_revoke LAB OCTET ROLE MILVUS
	local lab=$1 role=$3 milvus=$4 ep="http://127.91.$2.2:2379" out
	local del lost fenced reason limit
	out="$E2E_TMP/watch-$lab.out"
	lab_up "$lab" "127.91.$2.0/24" --milvus "$milvus" --etcd 1 --ttl "$TTL" --backoff 30s
	LAB_EVENT_SINCE=0
	e2e_wait 5 lab_event_line "$lab" '*' active-gained "$role"
	active_from_log "$lab" "$ep" "$role"
	e2e_check "$lab: the log's lease is the active key's" \
		test "$(key_lease "$ep" "$role")" = "$A_LEASE"
	etcd_watch_start "$ep" "by-dev/meta/session/$role" "$out"
	LAB_EVENT_SINCE=$(lab_event_mark "$lab")
	curl -sf -X POST -d "{\"ID\":\"$A_LEASE\"}" "$ep/v3/lease/revoke" >/dev/null ||
		e2e_die "$lab: revoke lease $A_LEASE"
	e2e_check "$lab: $A_MEMBER logs fenced" \
		lab_event_wait $(( TTL * 1000 )) "$lab" "$A_MEMBER" fenced
	e2e_check "$lab: $A_MEMBER logs active-lost for $role" \
		lab_event_line "$lab" "$A_MEMBER" active-lost "$role"
	exit_1() {
		[ "$(lab_event_field "$lab" "$A_MEMBER" exit status)" = 1 ] &&
			[ "$(lab_event_field "$lab" "$A_MEMBER" exited status)" = 1 ]
	}
	e2e_check "$lab: $A_MEMBER logs 'exit status=1' and the supervisor 'exited status=1'" \
		e2e_wait 5 exit_1
	e2e_wait 2 etcd_watch_event "$out" DELETE "by-dev/meta/session/$role"
	del=$(etcd_watch_ms "$out" DELETE "by-dev/meta/session/$role")
	lost=$(lab_event_ms "$lab" "$A_MEMBER" active-lost "$role")
	fenced=$(lab_event_ms "$lab" "$A_MEMBER" fenced)
	reason=$(lab_event_field "$lab" "$A_MEMBER" active-lost reason "$role")
	echo "# $lab: DELETE seen $del, active-lost $lost ($reason), fenced $fenced"
	if [ "$milvus" = 2.6 ]; then
		# 2.6.7+ has no own-key watch: the next keepalive finds the lease gone.
		limit=$(( TTL * 1000 / 3 + 300 ))
		e2e_check "$lab: active-lost (lease-gone) after the DELETE, within ${limit} ms" \
			test "$reason" = lease-gone -a "$lost" -ge $(( del - SLACK )) -a \
			"$lost" -le $(( del + limit ))
		e2e_check "$lab: fenced with it" within_ms "$fenced" "$lost" "$SLACK"
	else
		e2e_check "$lab: active-lost says reason=key-deleted" test "$reason" = key-deleted
		e2e_check "$lab: active-lost within ${SLACK} ms of the DELETE" \
			within_ms "$lost" "$del" "$SLACK"
		e2e_check "$lab: fenced within ${SLACK} ms of the DELETE" \
			within_ms "$fenced" "$del" "$SLACK"
	fi
	check_takeover "$lab" "$role" "$A_MEMBER" "$out"
	etcd_watch_stop
	# Every line, of every writer, is one well-formed event.
	e2e_check "$lab: every line of events.log is well-formed" python3 -c '
import re, sys
pat = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Za-z0-9_.-]+ [a-z-]+( [a-z_]+=\S+)*$")
bad = [l for l in open(sys.argv[1]).read().splitlines() if not pat.match(l)]
if bad:
    print("\n".join(bad[:5]))
sys.exit(1 if bad else 0)' "$(lab_events "$lab")"
	lab_down "$lab"
	e2e_check "$lab: lab down logs the supervisor's stop and exit" \
		test "$(lab_event_field "$lab" supervisor exit status)" = 0
}

events_kill k25 1 rootcoord 2.5
events_revoke r25 2 rootcoord 2.5
events_kill k26 3 mixcoord 2.6
events_revoke r26 4 mixcoord 2.6
e2e_done
