#!/bin/sh
# SPDX-License-Identifier: MIT
# The lab's life cycle: up → ready, status lists live members, up twice is
# harmless, a killed component comes back with a new pid, down leaves nothing.
set -u
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

e2e_init 127.63.0.0/24
e2e_register_lab default
e2e_register_lab other
lab_dir=$(e2e_lab_dir default)
st="$E2E_TMP/status.json"

# Only loopback, ever.
"$MILVUSADM" lab up --subnet 10.1.2.0/24 >"$E2E_TMP/out" 2>&1
rc=$?
e2e_check "lab up refuses a non-loopback subnet (exit 2)" [ "$rc" -eq 2 ]
e2e_check "the refusal says why" grep -q "loopback" "$E2E_TMP/out"

"$MILVUSADM" lab up --subnet "$E2E_SUBNET" --backoff 200ms --timeout 90s \
    >"$E2E_TMP/up.out" 2>&1 || { cat "$E2E_TMP/up.out"; e2e_die "lab up returns once ready"; }
e2e_ok "lab up returns once ready"

"$MILVUSADM" lab status -o json >"$st" || e2e_die "lab status -o json"
e2e_check "status has the version envelope" [ "$(e2e_json "$st" 'd["version"]')" = 1 ]
e2e_check "status lists 3 etcd members, the 14 components of a 2.5 cluster and the backup server" \
    [ "$(e2e_json "$st" 'len(d["members"])')" = 18 ]
e2e_check "every member is running" \
    [ "$(e2e_json "$st" 'all(m["state"] == "running" for m in d["members"])')" = yes ]
pids=$(e2e_json "$st" '" ".join(str(m["pid"]) for m in d["members"])')
alive=yes
for pid in $pids; do
	e2e_alive "$pid" || alive=no
done
e2e_check "every member has a live pid" [ "$alive" = yes ]
e2e_check "members use the test's subnet" \
    [ "$(e2e_json "$st" 'all(m["address"].startswith("127.63.0.") for m in d["members"])')" = yes ]

cfg="$XDG_CONFIG_HOME/milvusadm/config.yaml"
e2e_check "lab up writes the lab profile" grep -q "127.63.0.2:2379" "$cfg"

"$MILVUSADM" lab up --subnet "$E2E_SUBNET" >"$E2E_TMP/up2.out" 2>&1
rc=$?
e2e_check "a second lab up succeeds" [ "$rc" -eq 0 ]
e2e_check "a second lab up says it is already running" grep -q "already running" "$E2E_TMP/up2.out"
"$MILVUSADM" lab status -o json >"$st.2"
pids2=$(e2e_json "$st.2" '" ".join(str(m["pid"]) for m in d["members"])')
e2e_check "a second lab up leaves the members alone" [ "$pids" = "$pids2" ]

old=$(e2e_json "$st" '[m["pid"] for m in d["members"] if m["name"] == "querynode-1"][0]')
oldhost=$(e2e_json "$st" '[m["hostname"] for m in d["members"] if m["name"] == "querynode-1"][0]')
"$MILVUSADM" lab kill querynode-1 >/dev/null || e2e_fail "lab kill querynode-1"
back() {
	"$MILVUSADM" lab status -o json >"$st.3" || return 1
	[ "$(e2e_json "$st.3" '[m for m in d["members"] if m["name"] == "querynode-1"
	    and m["state"] == "running" and m["pid"] not in (0, '"$old"') and m["restarts"] >= 1] != []')" = yes ]
}
e2e_check "a killed querynode comes back with a new pid" e2e_wait 30 back
e2e_check "the old querynode pid is gone" e2e_wait 5 eval '! e2e_alive "$old"'
newhost=$(e2e_json "$st.3" '[m["hostname"] for m in d["members"] if m["name"] == "querynode-1"][0]')
e2e_check "the restarted querynode has a new host name, like a new pod" [ "$oldhost" != "$newhost" ]
e2e_check "the killed one exited by signal 9" \
    [ "$(e2e_json "$st.3" '[m["last_exit"] for m in d["members"] if m["name"] == "querynode-1"][0]')" = "signal 9" ]
"$MILVUSADM" lab restart querynode-2 --timeout 30s >"$E2E_TMP/restart.out" 2>&1
rc=$?
e2e_check "lab restart brings a member back" [ "$rc" -eq 0 ]
e2e_check "lab restart reports the new pid" grep -q "restarted: pid" "$E2E_TMP/restart.out"

"$MILVUSADM" lab up --name other --subnet "$E2E_SUBNET" >"$E2E_TMP/other.out" 2>&1
rc=$?
e2e_check "a second lab on the same subnet is refused" [ "$rc" -ne 0 ]
e2e_check "the refusal names the lab that holds the subnet" grep -q "used by running lab 'default'" "$E2E_TMP/other.out"

"$MILVUSADM" lab status -o json >"$st.3"
pids=$(e2e_json "$st.3" '" ".join(str(m["pid"]) for m in d["members"])')
sup=$(cat "$lab_dir/supervisor.pid")

"$MILVUSADM" lab down >"$E2E_TMP/down.out" 2>&1
rc=$?
e2e_check "lab down succeeds" [ "$rc" -eq 0 ]
left=""
for pid in $pids $sup; do
	e2e_alive "$pid" && left="$left $pid"
done
e2e_check "no member or supervisor pid is left after lab down" [ -z "$left" ]
e2e_check "no process names the lab dir after lab down" [ -z "$(e2e_lab_pids default)" ]
"$MILVUSADM" lab down >/dev/null 2>"$E2E_TMP/down2.err"
rc=$?
e2e_check "lab down again stops nothing and says so (exit 1)" \
    sh -c "[ $rc -eq 1 ] && grep -q 'nothing to stop' '$E2E_TMP/down2.err'"
"$MILVUSADM" lab status >/dev/null 2>&1
rc=$?
e2e_check "lab status of a stopped lab fails" [ "$rc" -eq 1 ]
e2e_check "etcd data stays for the next lab up" [ -d "$lab_dir/etcd-1.etcd" ]

e2e_done
