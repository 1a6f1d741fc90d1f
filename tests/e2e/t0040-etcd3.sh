#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A 3-member etcd lab keeps serving the sessions after its leader is SIGKILLed:
# a new leader is elected and every session survives (components fail over to
# another endpoint and keep their leases alive); lab down leaves no process.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.73.0.0/24
TTL=4
name=e3
lab_up "$name" 127.73.1.0/24 --etcd 3 --ttl "$TTL" --backoff 5s
eps="http://127.73.1.2:2379,http://127.73.1.3:2379,http://127.73.1.4:2379"
before=$(session_keys "$eps")
leader=$(etcd_leader_member "$eps")
e2e_check "the etcd leader is $leader" test -n "$leader"
"$MILVUSADM" lab kill --name "$name" "$leader" >/dev/null
# Longer than a TTL: sessions whose keepalives stopped would have expired.
sleep $(( TTL * 2 + 1 ))
after=$(session_keys "$eps")
e2e_check "a new etcd leader is elected" test -n "$(etcd_leader_member "$eps")"
e2e_check "every session key is still there after the leader died" test "$before" = "$after"
lab_down "$name"
e2e_check "lab down leaves no process" no_lab_process "$name"
e2e_done
