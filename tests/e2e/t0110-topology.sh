#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# topology, leaders, etcd and health in -o json against the lab, compared with
# ground truth read independently (etcdctl, curl), in the 2.4, 2.5 and 2.6
# profiles and standalone.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-truth.sh"
e2e_init 127.82.10.0/24

run_profile() {	# run_profile NAME SUBNET_C lab-args...
	local name=$1 sub=$2; shift 2
	local ep="http://127.82.$sub.2:2379"
	lab_up "$name" "127.82.$sub.0/24" --etcd 1 --ttl 10 "$@"
	local p="lab-$name"
	etcdctl_ "$ep" get --prefix by-dev/meta/session/ -w json >"$E2E_TMP/$name-etcd.json"
	for cmd in topology leaders health; do
		"$MILVUSADM" -p "$p" "$cmd" -o json >"$E2E_TMP/$name-$cmd.json" 2>"$E2E_TMP/$name-$cmd.err"
		e2e_check "$name: $cmd -o json matches etcdctl/curl" \
			check_truth "$cmd" "$E2E_TMP/$name-etcd.json" "$E2E_TMP/$name-$cmd.json"
	done
	"$MILVUSADM" -p "$p" etcd -o json >"$E2E_TMP/$name-etcdcmd.json"
	e2e_check "$name: etcd -o json matches etcdctl endpoint status" \
		check_etcd "$ep" "$E2E_TMP/$name-etcdcmd.json"
	e2e_check "$name: topology --role proxy lists only proxies" \
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["count"]>0 and all(c["role"]=="proxy" for c in d["components"])' \
		<("$MILVUSADM" -p "$p" topology --role proxy -o json) 
	lab_down "$name"
}

run_profile t24 10 --milvus 2.4
run_profile t25 11 --milvus 2.5
run_profile t26 12 --milvus 2.6
run_profile tsa 13 --standalone
run_profile tns 14 --milvus 2.4 --no-standby
e2e_done
