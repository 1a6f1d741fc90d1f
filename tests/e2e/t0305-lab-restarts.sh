#!/bin/sh
# SPDX-License-Identifier: MIT
# What the lab fault backend's restarts reads (fault-lab.c): the supervisor's
# count of a member in state.json, found by the member's address. A member
# starts at 0; `lab kill` and the supervisor's restart make it exactly 1, and
# the address it is found by stays the same across the restart.
# Then `lab start`: with a 10 minute back-off a killed member stays down until
# `lab start` brings it back at once; the event log says who started it, and
# it is neither counted as the supervisor's restart nor given a new host name.
# A running member or a name the lab does not have is refused in one line
# (exit 1, exit 2).
set -u
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

e2e_init 127.96.0.0/24
e2e_register_lab ha
st="$XDG_STATE_HOME/milvusadm/lab/ha/state.json"

"$MILVUSADM" lab up --name ha --subnet "$E2E_SUBNET" --etcd 1 --backoff 200ms \
    --timeout 90s >"$E2E_TMP/up.out" 2>&1 || { cat "$E2E_TMP/up.out"; e2e_die "lab up"; }
e2e_ok "lab up returns once ready"

member() {	# member NAME FIELD: from state.json, as lab_read_state reads it
	e2e_json "$st" '[m["'"$2"'"] for m in d["members"] if m["name"] == "'"$1"'"][0]'
}
ip=$(member querynode-1 ip)
e2e_check "querynode-1 has an address" [ -n "$ip" ]
e2e_check "querynode-1 starts with 0 restarts" [ "$(member querynode-1 restarts)" = 0 ]
old=$(member querynode-1 pid)

"$MILVUSADM" lab kill --name ha querynode-1 >/dev/null || e2e_fail "lab kill querynode-1"
back() {
	[ "$(member querynode-1 state)" = running ] &&
	    [ "$(member querynode-1 pid)" != "$old" ] && [ "$(member querynode-1 pid)" != 0 ]
}
e2e_check "the killed querynode-1 is running again" e2e_wait 30 back
e2e_check "its restart count went from 0 to exactly 1" [ "$(member querynode-1 restarts)" = 1 ]
ip2=$(member querynode-1 ip)
e2e_check "it keeps its address, so the backend finds it again" [ "$ip" = "$ip2" ]
"$MILVUSADM" lab status --name ha -o json >"$E2E_TMP/status.json" 2>&1
e2e_check "lab status shows the same count" [ "$(e2e_json "$E2E_TMP/status.json" \
    '[m["restarts"] for m in d["members"] if m["name"] == "querynode-1"][0]')" = 1 ]
e2e_check "the other members were not restarted" [ "$(e2e_json "$st" \
    'sum(m["restarts"] for m in d["members"] if m["name"] != "querynode-1")')" = 0 ]

"$MILVUSADM" lab down --name ha >/dev/null 2>&1
e2e_check "lab down" [ $? -eq 0 ]

# ---- lab start: the same lab again, with a back-off nothing waits out ----
"$MILVUSADM" lab up --name ha --subnet "$E2E_SUBNET" --etcd 1 --backoff 10m \
    --timeout 90s >"$E2E_TMP/up2.out" 2>&1 || { cat "$E2E_TMP/up2.out"; e2e_die "lab up --backoff 10m"; }
ev="$XDG_STATE_HOME/milvusadm/lab/ha/events.log"
old=$(member querynode-1 pid)
oldhost=$(member querynode-1 hostname)
mark=$(wc -l <"$ev")
"$MILVUSADM" lab kill --name ha querynode-1 >/dev/null || e2e_fail "lab kill querynode-1"
in_backoff() { [ "$(member querynode-1 state)" = backoff ]; }
e2e_check "with a 10m back-off the killed querynode-1 waits in backoff" e2e_wait 10 in_backoff
sleep 1
e2e_check "and is still down a second later" in_backoff
"$MILVUSADM" lab restart --name ha querynode-1 >"$E2E_TMP/restart.out" 2>&1
rc=$?
e2e_check "lab restart refuses it (exit 1) and points to lab start" \
    eval "cat '$E2E_TMP/restart.out'; [ $rc = 1 ] && grep -q \"lab start querynode-1 --name ha\" '$E2E_TMP/restart.out'"
t0=$(date +%s%N)
"$MILVUSADM" lab start --name ha querynode-1 >"$E2E_TMP/start.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# lab start took $ms ms: $(cat "$E2E_TMP/start.out")"
new=$(member querynode-1 pid)
e2e_check "lab start brings it back (exit 0) within 5 s" eval "[ $rc = 0 ] && [ $ms -lt 5000 ]"
e2e_check "lab start prints its new pid" \
    grep -qx "'querynode-1' started: pid $new" "$E2E_TMP/start.out"
e2e_check "the new pid is alive and not the old one" \
    eval "[ '$new' != '$old' ] && [ '$new' != 0 ] && e2e_alive '$new'"
"$MILVUSADM" lab status --name ha -o json >"$E2E_TMP/status2.json" 2>&1
e2e_check "lab status shows it running with that pid" [ "$(e2e_json "$E2E_TMP/status2.json" \
    '[(m["state"], m["pid"]) for m in d["members"] if m["name"] == "querynode-1"][0] == ("running", '"$new"')')" = yes ]
e2e_check "a start asked for is not the supervisor's restart (restarts stay 0)" \
    [ "$(member querynode-1 restarts)" = 0 ]
e2e_check "and it keeps its host name ($oldhost), as docker start does" \
    [ "$(member querynode-1 hostname)" = "$oldhost" ]
# after_kill: querynode-1's killed/exited/start-requested/started lines since the kill.
after_kill() {
	tail -n +"$((mark + 1))" "$ev" | awk '$2 == "querynode-1" && $3 != "registered" &&
	    $3 !~ /^active/ { printf "%s%s", sep, $3; sep = " " } END { print "" }'
}
echo "# events: $(after_kill)"
e2e_check "events.log: killed, exited, start-requested (by lab-start, in backoff), started" \
    eval "[ \"\$(after_kill)\" = 'killed exited start-requested started' ] &&
    grep -q 'querynode-1 start-requested by=lab-start state=backoff\$' '$ev' &&
    grep -q 'querynode-1 started pid=$new ' '$ev'"

"$MILVUSADM" lab start --name ha querynode-1 >"$E2E_TMP/again.out" 2>&1
rc=$?
e2e_check "lab start of a running member exits 1 with one line" \
    eval "cat '$E2E_TMP/again.out'; [ $rc = 1 ] && [ \$(wc -l <'$E2E_TMP/again.out') = 1 ] &&
    grep -q \"member 'querynode-1' is already running (pid $new)\" '$E2E_TMP/again.out'"
"$MILVUSADM" lab start --name ha querynode-9 >"$E2E_TMP/unknown.out" 2>&1
rc=$?
e2e_check "lab start of a member the lab does not have exits 2 with one line" \
    eval "cat '$E2E_TMP/unknown.out'; [ $rc = 2 ] && [ \$(wc -l <'$E2E_TMP/unknown.out') = 1 ] &&
    grep -q \"member 'querynode-9' not found in lab 'ha'\" '$E2E_TMP/unknown.out'"
"$MILVUSADM" lab kill --name ha querynode-9 >"$E2E_TMP/unknown-kill.out" 2>&1
rc=$?
e2e_check "lab kill of a member the lab does not have exits 2 as well" \
    eval "cat '$E2E_TMP/unknown-kill.out'; [ $rc = 2 ] &&
    [ \$(wc -l <'$E2E_TMP/unknown-kill.out') = 1 ]"
e2e_check "no start request is left in the lab dir" \
    eval "[ -z \"\$(ls '$XDG_STATE_HOME/milvusadm/lab/ha' | grep '^start\\.')\" ]"

"$MILVUSADM" lab down --name ha >/dev/null 2>&1
e2e_check "lab down" [ $? -eq 0 ]
e2e_done
