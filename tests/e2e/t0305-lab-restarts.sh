#!/bin/sh
# SPDX-License-Identifier: MIT
# What the lab fault backend's restarts reads (fault-lab.c): the supervisor's
# count of a member in state.json, found by the member's address. A member
# starts at 0; `lab kill` and the supervisor's restart make it exactly 1, and
# the address it is found by stays the same across the restart.
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
e2e_done
