#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `lab up --extra-churn M`: after registering its N extra worker sessions, the
# extra-workers member restarts workers M times as Milvus does (the old session
# key deleted, a new session under a new ServerID put), so etcd's history holds
# N + 2M events of extra sessions; bad values are usage errors (exit 2).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.145.0.0/24
M=$MILVUSADM
EP=http://127.145.0.2:2379
out=$E2E_TMP/out
err=$E2E_TMP/err

run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
one_line_usage() {	# one_line_usage WORD: exit 2, one line naming WORD, nothing on stdout
	cat "$err"
	[ "$rc" -eq 2 ] && [ "$(wc -l <"$err")" -eq 1 ] && grep -q -- "$1" "$err" && [ ! -s "$out" ]
}

run lab up --name churn --subnet 127.145.0.0/24 --extra-churn 5
e2e_check "--extra-churn without --extra-workers: exit 2, one line" one_line_usage "extra churn"
run lab up --name churn --subnet 127.145.0.0/24 --extra-workers 3 --extra-churn many
e2e_check "--extra-churn many: exit 2, one line" one_line_usage "extra churn 'many'"
run lab up --name churn --subnet 127.145.0.0/24 --extra-workers 3 --extra-churn -1
e2e_check "--extra-churn -1: exit 2" one_line_usage "extra churn"
run lab up --name churn --subnet 127.145.0.0/24 --extra-workers 3 --extra-churn 100001
e2e_check "--extra-churn over the maximum: exit 2" one_line_usage "100000"
run lab status --name churn --extra-churn 3
e2e_check "lab status --extra-churn: exit 2" eval "cat '$err'; [ $rc -eq 2 ]"
e2e_check "no lab was made by a refused lab up" \
	eval "[ ! -e '$(e2e_lab_dir churn)/lab.json' ]"

lab_up churn 127.145.0.0/24 --etcd 1 --no-backup --extra-workers 20 --extra-churn 30
log=$(e2e_lab_dir churn)/logs/extra-workers-1.log
e2e_check "lab.json records extra_churn 30" \
	eval "[ \"\$(e2e_json '$(e2e_lab_dir churn)/lab.json' 'd[\"extra_churn\"]')\" = 30 ]"
e2e_check "the extra-workers member says its 30 restarts are done" \
	e2e_wait 30 grep -q "30 restarts done" "$log"

# Every event of the session prefix since revision 1 (etcdctl's simple watch
# output: the type, the key, the value; a delete's value is empty).
timeout 5 env ETCDCTL_API=3 etcdctl --endpoints "$EP" watch --rev 1 --prefix \
	by-dev/meta/session/ >"$E2E_TMP/history" 2>/dev/null
# Extra workers are the sessions on 127.145.1.x: their puts, the distinct
# ServerIDs they used, and the deletes of their keys.
awk '
	$0 == "PUT" { getline key; getline val
		if (val ~ /127\.145\.1\./) { puts++; extra[key] = 1; ids[key] = 1 } ; next }
	$0 == "DELETE" { getline key; if (key in extra) dels++; next }
	END { n = 0; for (k in ids) n++; printf "%d %d %d\n", puts, dels, n }
' "$E2E_TMP/history" >"$E2E_TMP/counts"
read -r puts dels ids <"$E2E_TMP/counts"
echo "# extra sessions in history: $puts puts, $dels deletes, $ids distinct keys"
e2e_check "history: 20 registrations + 30 restarts = 50 puts of extra sessions" \
	[ "$puts" = 50 ]
e2e_check "history: 30 deletes of extra session keys" [ "$dels" = 30 ]
e2e_check "history: 50 distinct session keys (a new ServerID per restart)" [ "$ids" = 50 ]
live=$(etcdctl_ "$EP" get --prefix by-dev/meta/session/ | grep -c '127\.145\.1\.' || true)
e2e_check "20 extra sessions are live after the churn (got $live)" [ "$live" = 20 ]

run -p lab-churn topology -o json
e2e_check "topology reads the churned lab (exit 0 or 5)" \
	eval "cat '$err'; [ $rc -eq 0 ] || [ $rc -eq 5 ]"

lab_down churn
e2e_check "no process of the lab is left" e2e_wait 10 no_lab_process churn
e2e_done
