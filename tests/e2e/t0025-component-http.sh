#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Each lab component's 9091 behaves as contract §2.8/§4 says, checked with curl:
# /healthz JSON by request Content-Type (StandBy = code 3 with HTTP 200),
# /management/check/ready only on the active, milvus_num_node only once active,
# graceful stop (Stopping:true, then the key goes), /management/stop.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.74.1.0/24
ep=http://127.74.1.2:2379
lab_up h25 "$E2E_SUBNET" --milvus 2.5 --ttl 10 --backoff 30s

ip_of() { session_json "$ep" "$1" | python3 -c 'import json,sys
print(json.load(sys.stdin)["Address"].split(":")[0])'; }
act=$(active_id "$ep" rootcoord)
aip=$(ip_of rootcoord)
sby=$(etcdctl_ "$ep" get --prefix --keys-only by-dev/meta/session/rootcoord- |
	grep -v -- "-$act\$" | grep . | head -n1 | sed 's|.*/||')
sip=$(ip_of "$sby")
echo "# active rootcoord $act on $aip, standby $sby on $sip"

hz() { curl -s -o "$E2E_TMP/hz" -w '%{http_code}' "$@"; }
e2e_check "active /healthz JSON: HTTP 200, rootcoord code 1" \
	[ "$(hz -H 'Content-Type: application/json' "http://$aip:9091/healthz")" = 200 -a \
	  "$(cat "$E2E_TMP/hz")" = '{"state":"OK","detail":[{"name":"rootcoord","code":1}]}' ]
e2e_check "standby /healthz JSON: HTTP 200, rootcoord code 3 (StandBy)" \
	[ "$(hz -H 'Content-Type: application/json' "http://$sip:9091/healthz")" = 200 -a \
	  "$(cat "$E2E_TMP/hz")" = '{"state":"OK","detail":[{"name":"rootcoord","code":3}]}' ]
e2e_check "/healthz without the JSON Content-Type is plain text" \
	[ "$(hz "http://$sip:9091/healthz")" = 200 -a "$(cat "$E2E_TMP/hz")" = OK ]
e2e_check "check/ready answers 200 on the active" \
	[ "$(hz "http://$aip:9091/management/check/ready?role=rootcoord")" = 200 ]
e2e_check "check/ready answers 500 on the standby" \
	[ "$(hz "http://$sip:9091/management/check/ready?role=rootcoord")" = 500 ]
e2e_check "milvus_num_node counts the active rootcoord" \
	grep -q "^milvus_num_node{node_id=\"$act\",role_name=\"rootcoord\"} 1" \
	<(curl -s "http://$aip:9091/metrics")
e2e_check "the standby does not count itself yet" \
	eval "! curl -s http://$sip:9091/metrics | grep -q 'role_name=\"rootcoord\"'"

# Graceful stop of a querynode: Stopping:true on the same lease, then the key goes.
qkey=$(etcdctl_ "$ep" get --prefix --keys-only by-dev/meta/session/querynode- | grep . |
	head -n1 | sed 's|.*/||')
qip=$(ip_of "$qkey")
qmember=$("$MILVUSADM" lab status --name h25 -o json | python3 -c 'import json,sys
print([m["name"] for m in json.load(sys.stdin)["members"] if m["address"]==sys.argv[1]][0])' "$qip")
"$MILVUSADM" lab kill --name h25 --signal TERM "$qmember" >/dev/null
stopping() { session_json "$ep" "$qkey" | grep -q '"Stopping":true'; }
e2e_check "SIGTERM: $qkey shows Stopping:true while it drains" e2e_wait_ms 3000 stopping
e2e_check "SIGTERM: then its key is deleted at once (lease revoked)" \
	e2e_wait_ms 5000 eval "[ -z \"\$(session_json $ep $qkey)\" ]"

# /management/stop: only that component stops; the process stays up.
dkey=$(etcdctl_ "$ep" get --prefix --keys-only by-dev/meta/session/datanode- | grep . |
	head -n1 | sed 's|.*/||')
dip=$(ip_of "$dkey")
dpid=$("$MILVUSADM" lab status --name h25 -o json | python3 -c 'import json,sys
print([m["pid"] for m in json.load(sys.stdin)["members"] if m["address"]==sys.argv[1]][0])' "$dip")
e2e_check "/management/stop?role=datanode answers 200" \
	[ "$(hz "http://$dip:9091/management/stop?role=datanode")" = 200 ]
e2e_check "the stopped datanode's key is gone" \
	e2e_wait_ms 3000 eval "[ -z \"\$(session_json $ep $dkey)\" ]"
e2e_check "the datanode process stays up" e2e_alive "$dpid"
e2e_check "its healthz no longer lists datanode" \
	eval "! curl -s -H 'Content-Type: application/json' http://$dip:9091/healthz | grep -q datanode"
lab_down h25
e2e_done
