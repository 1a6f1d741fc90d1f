#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Exit 80 end to end: a drill on a 3.0 lab's active mixcoord with the lab
# backend's signal=STOP freezes the member while its lease runs out; the
# standby takes over; once the drill ends the member is thawed, confirms its
# lease lost and exits 80 (contract §10), which the lab's supervisor records.
# The report, through the backend's restarts answer (as State.ExitCode or
# lastState.terminated.exitCode would give it), says "self-fenced (exit 80)".
# The same drill on 2.6 shows exit 1, not taken for self-fencing.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.147.31.0/24
trap e2e_cleanup EXIT
M="$MILVUSADM"

lab_up f30 127.147.31.0/24 --milvus 3.0 --etcd 1 --ttl 4 --backoff 1s
"$M" -p lab-f30 drill plan mixcoord --backend lab --option signal=STOP \
	>"$E2E_TMP/plan.out" 2>&1
sed 's/^/# /' "$E2E_TMP/plan.out"
e2e_check "the plan says the member is frozen, then thawed" \
	grep -q 'SIGSTOP.*frozen.*SIGCONT' "$E2E_TMP/plan.out"
"$M" -p lab-f30 drill run mixcoord --confirm mixcoord --backend lab --option signal=STOP \
	--timeout 60s -o json >"$E2E_TMP/f30.json" 2>"$E2E_TMP/f30.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/f30.err"
echo "# notes: $(e2e_json "$E2E_TMP/f30.json" 'd["notes"]')"
echo "# aftermath: $(e2e_json "$E2E_TMP/f30.json" 'd["aftermath"]')"
e2e_check "the drill recovered (exit 0)" test "$rc" = 0
ip=$(e2e_json "$E2E_TMP/f30.json" 'd["target"]["address"].split(":")[0]')
truth=$("$M" lab status --name f30 -o json | python3 -c 'import json,sys
d = json.load(sys.stdin)
print([m for m in d["members"] if m["address"] == sys.argv[1]][0]["last_exit"])' "$ip")
echo "# lab says the drilled mixcoord last ended: $truth"
e2e_check "the lab's supervisor saw the member exit 80" test "$truth" = "exit 80"
e2e_check "the report says it fenced itself (exit 80)" \
	test "$(e2e_json "$E2E_TMP/f30.json" "(d['aftermath']['last_exit'] == 'exit 80' and
	d['aftermath']['self_fenced'] is True)")" = yes
e2e_check "the report validates against the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$E2E_TMP/f30.json"
id=$(e2e_json "$E2E_TMP/f30.json" 'd["id"]')
md="$XDG_STATE_HOME/milvusadm/drills/$id.md"
grep -i 'last ended' "$md" | sed 's/^/# /'
e2e_check "the human (Markdown) report says 'self-fenced (exit 80)'" \
	grep -q 'self-fenced (exit 80)' "$md"
e2e_check "the lab's events log has the member's fence with status 80" \
	grep -q 'fenced reason=.* status=80' "$XDG_STATE_HOME/milvusadm/lab/f30/events.log"
lab_down f30

lab_up f26 127.147.32.0/24 --milvus 2.6 --etcd 1 --ttl 4 --backoff 1s
"$M" -p lab-f26 drill run mixcoord --confirm mixcoord --backend lab --option signal=STOP \
	--timeout 60s -o json >"$E2E_TMP/f26.json" 2>"$E2E_TMP/f26.err"
echo "# aftermath: $(e2e_json "$E2E_TMP/f26.json" 'd["aftermath"]')"
e2e_check "on 2.6 the thawed member exits 1, not taken for self-fencing" \
	test "$(e2e_json "$E2E_TMP/f26.json" "(d['aftermath']['last_exit'] == 'exit 1' and
	d['aftermath']['self_fenced'] is False)")" = yes
lab_down f26
e2e_done
