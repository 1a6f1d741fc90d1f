#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills of each coordinator role on a 2.5 lab (rootcoord, querycoord,
# datacoord) with the lab SIGKILL, etcd-lease and stop backends: each one met,
# its detect/elect times within 50 ms of etcdctl watch's DELETE/PUT of the
# active key, RTO not shorter than the election, the saved report valid
# against doc/drill-report.schema.json; then history, show and the guards.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.89.10.0/24
trap drill_cleanup EXIT
M="$MILVUSADM"
EP=http://127.89.10.2:2379

lab_up d25 127.89.10.0/24 --milvus 2.5 --etcd 1 --ttl 4 --backoff 1s
for role in rootcoord querycoord datacoord; do
	gt_watch "$EP" "$role" "$E2E_TMP/gt-d25-$role"
done

# Guards first: no confirmation, a wrong one, --read-only.
"$M" -p lab-d25 drill run rootcoord </dev/null >/dev/null 2>"$E2E_TMP/noconf.err"
e2e_check "drill run without --confirm exits 3 and says how to confirm" \
	test $? = 3 -a -n "$(grep 'nobody to ask: give --confirm rootcoord' "$E2E_TMP/noconf.err")"
"$M" -p lab-d25 drill run rootcoord --confirm querycoord >/dev/null 2>&1
e2e_check "a --confirm that names another target exits 3" test $? = 3
"$M" -p lab-d25 --read-only drill run rootcoord --confirm rootcoord >/dev/null 2>&1
e2e_check "drill run is refused under --read-only (exit 3)" test $? = 3
"$M" -p lab-d25 drill plan rootcoord --backend lab >"$E2E_TMP/plan.out"
e2e_check "drill plan names the lab kill it would send" \
	grep -q 'SIGKILL.*lab kill --name d25' "$E2E_TMP/plan.out"

# Rows of default.archive as the proxy's get_stats reports them (curl).
PROXY=$("$M" lab status --name d25 -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["name"].startswith("proxy")][0])')
archive_rows() {
	curl -s -XPOST "http://$PROXY:19530/v2/vectordb/collections/get_stats" \
		-d '{"collectionName":"archive"}' | python3 -c 'import json,sys
print(json.load(sys.stdin)["data"]["rowCount"])'
}
for role in rootcoord querycoord datacoord; do
	for backend in lab etcd-lease stop; do
		if [ "$role/$backend" != datacoord/lab ]; then
			drill_one d25 "$EP" "$role" "$backend"
			continue
		fi
		# The write path: insert probes into the collection named.
		rows0=$(archive_rows)
		drill_one d25 "$EP" "$role" "$backend" --insert-into archive
		rows1=$(archive_rows)
		e2e_check "datacoord/lab --insert-into archive: the rows the report counts are in archive (get_stats $rows0 -> $rows1)" \
			test "$(e2e_json "$E2E_TMP/drill-d25-datacoord-lab.json" \
			'd["probes"]["inserted"] <= '$((rows1 - rows0))' <= d["probes"]["inserted"] + d["probes"]["insert_unanswered"] and d["probes"]["inserted"] > 0')" = yes
	done
done
"$M" -p lab-d25 drill plan datacoord --insert-into nope >/dev/null 2>"$E2E_TMP/nope.err"
e2e_check "--insert-into a missing collection is refused in precheck (exit 3)" \
	sh -c "[ $? = 3 ] && grep -q 'collection not found' '$E2E_TMP/nope.err'"

"$M" drill history -o json >"$E2E_TMP/hist.json"
e2e_check "drill history lists the 9 drills with their RTO" \
	test "$(e2e_json "$E2E_TMP/hist.json" \
	'len(d["drills"]) == 9 and all(r["rto_ms"] is not None for r in d["drills"])')" = yes
e2e_check "drill history has a trend row per target and backend" \
	test "$(e2e_json "$E2E_TMP/hist.json" \
	'(sorted((t["target"], t["backend"]) for t in d["trend"]) ==
	sorted(set((r["target"], r["backend"]) for r in d["drills"])) and
	sorted(set(t["target"] for t in d["trend"])) == ["datacoord", "querycoord", "rootcoord"])')" = yes
"$M" drill show last --markdown >"$E2E_TMP/last.md"
e2e_check "drill show last --markdown is the saved Markdown report" \
	grep -q '^## Phases' "$E2E_TMP/last.md"
e2e_check "every report is saved as JSON and Markdown" \
	test "$(ls "$XDG_STATE_HOME/milvusadm/drills/"*.md | wc -l)" = 9
e2e_check "no drill lock is left behind" test ! -e "$XDG_STATE_HOME/milvusadm/drills/lock"

# Ctrl-C during DETECT (a SIGKILL waits for the TTL): the measured part is reported.
"$M" -p lab-d25 drill run rootcoord --confirm rootcoord --backend lab -o json \
	>"$E2E_TMP/int.json" 2>"$E2E_TMP/int.err" &
dpid=$!
sleep 1.5
kill -INT "$dpid"
wait "$dpid"
rc=$?
sed 's/^/# /' "$E2E_TMP/int.err"
e2e_check "Ctrl-C ends the drill with exit 1 and an aborted report stalled in 'detect'" \
	test "$rc" = 1 -a "$(e2e_json "$E2E_TMP/int.json" '(d["verdict"] == "aborted" and
	d["stalled_phase"] == "detect" and d["probes"]["sent"] > 0)')" = yes
e2e_check "the interrupted drill was saved and released the lock" \
	test "$(ls "$XDG_STATE_HOME/milvusadm/drills/"*.json | wc -l)" = 10 -a \
	! -e "$XDG_STATE_HOME/milvusadm/drills/lock"
e2e_done
