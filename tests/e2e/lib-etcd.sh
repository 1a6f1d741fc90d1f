# SPDX-License-Identifier: MIT
# Ground truth for e2e tests, read from etcd with etcdctl and curl, never through
# milvusadm's own code. Sourced by lib.sh.

now_ms() { date +%s%3N; }

etcdctl_() {	# etcdctl_ ENDPOINTS args...
	local eps=$1; shift
	ETCDCTL_API=3 etcdctl --endpoints "$eps" --command-timeout=3s "$@"
}

# The JSON value of one session key (empty if absent).
session_json() {	# session_json EP KEY
	etcdctl_ "$1" get --print-value-only "by-dev/meta/session/$2" 2>/dev/null
}

# ServerID in the active key of role (empty if none).
active_id() {	# active_id EP ROLE
	session_json "$1" "$2" | python3 -c 'import json,sys
t=sys.stdin.read().strip()
print(json.loads(t)["ServerID"] if t else "")'
}

# The etcd lease (decimal) the key is bound to.
key_lease() {	# key_lease EP KEY
	etcdctl_ "$1" get "by-dev/meta/session/$2" -w json | python3 -c 'import json,sys
kvs=json.load(sys.stdin).get("kvs",[])
print(kvs[0].get("lease",0) if kvs else "")'
}

# Poll every 50 ms until the active ServerID of role is set and differs from OLD;
# prints it, or nothing after TIMEOUT_MS.
wait_active_change() {	# wait_active_change EP ROLE OLD TIMEOUT_MS
	local deadline=$(( $(now_ms) + $4 )) id
	while [ "$(now_ms)" -lt "$deadline" ]; do
		id=$(active_id "$1" "$2")
		if [ -n "$id" ] && [ "$id" != "$3" ]; then
			echo "$id"
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# Number of <role>-<id> instance keys.
instance_count() {	# instance_count EP ROLE
	etcdctl_ "$1" get --prefix --keys-only "by-dev/meta/session/$2-" | grep -c . || true
}
instance_count_is() { [ "$(instance_count "$1" "$2")" = "$3" ]; }

# Sorted session key names (one line each), for before/after comparisons.
session_keys() {	# session_keys EPS
	etcdctl_ "$1" get --prefix --keys-only by-dev/meta/session/ | grep . | sort
}

# The lab member name of the etcd leader ("etcd-2"), from etcdctl endpoint status.
etcd_leader_member() {	# etcd_leader_member EPS
	etcdctl_ "$1" endpoint status -w json 2>/dev/null | python3 -c 'import json,sys
for s in json.load(sys.stdin):
    st=s["Status"]
    if st["header"]["member_id"]==st["leader"]:
        ip=s["Endpoint"].split("//")[1].split(":")[0]
        print("etcd-%d" % (int(ip.split(".")[3]) - 1))
        break'
}

pid_gone() { ! e2e_alive "$1"; }

# The killed instance is back: COUNT instance keys of role, none with ServerID OLD.
back_as_new_instance() {	# back_as_new_instance EP ROLE OLD COUNT
	instance_count_is "$1" "$2" "$4" && [ -z "$(session_json "$1" "$2-$3")" ]
}

# lab_up NAME SUBNET [lab up args...]: start a lab for this test, or end the test.
lab_up() {
	local name=$1 subnet=$2; shift 2
	e2e_register_lab "$name"
	"$MILVUSADM" lab up --name "$name" --subnet "$subnet" --timeout 90s "$@" \
		>"$E2E_TMP/up-$name.out" 2>&1 ||
		{ cat "$E2E_TMP/up-$name.out"; e2e_die "lab up $name $*"; }
}

lab_down() { "$MILVUSADM" lab down --name "$1" >/dev/null 2>&1; }

# The lab member whose address is the IP of the session key's Address.
member_by_server() {	# member_by_server LAB EP KEY
	local ip
	ip=$(session_json "$2" "$3" | python3 -c 'import json,sys
print(json.load(sys.stdin)["Address"].split(":")[0])')
	"$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
for m in json.load(sys.stdin)["members"]:
    if m["address"] == sys.argv[1]: print(m["name"])' "$ip"
}

member_pid() {	# member_pid LAB MEMBER
	"$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
for m in json.load(sys.stdin)["members"]:
    if m["name"] == sys.argv[1]: print(m["pid"])' "$2"
}

# No process of the lab is left (its command lines name the lab dir).
no_lab_process() { [ -z "$(e2e_lab_pids "$1")" ]; }

# e2e_wait_ms MS CMD...: like e2e_wait, with a deadline in milliseconds.
e2e_wait_ms() {
	local deadline=$(( $(now_ms) + $1 )); shift
	while [ "$(now_ms)" -lt "$deadline" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
