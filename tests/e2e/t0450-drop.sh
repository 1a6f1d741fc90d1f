#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The guarded drop on the lab, checked with curl: without --confirm, with a
# wrong-case one, and for a collection on guards.protected it is refused
# (exit 3) and nothing is made or dropped; with --confirm a predrop backup is
# taken and verified, the collection is gone, and the printed restore
# command brings every row back; a second drop within the window uses that
# backup; the audit log carries the backup and the undo command.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.116.0.0/24
M=$MILVUSADM

lab_up hdr 127.116.0.0/24 --milvus 2.5 --ttl 10
BK=http://127.116.0.8:8080/api/v1
proxy=$("$M" lab status --name hdr -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] == "proxy"][0])')
REST=http://$proxy:19530/v2/vectordb
CFG=$XDG_CONFIG_HOME/milvusadm/config.yaml

rest() { curl -s -m 10 -XPOST "$REST/$1" -H 'Content-Type: application/json' -d "$2"; }
has_dc() { rest collections/has '{"collectionName":"dc"}' | python3 -c 'import json,sys
print("yes" if json.load(sys.stdin)["data"]["has"] else "no")'; }
count_dc() { rest entities/query '{"collectionName":"dc","outputFields":["count(*)"]}' |
	python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["data"][0]["count(*)"] if d.get("code", 0) == 0 else "")'; }
predrops() { curl -s -m 10 "$BK/list" | python3 -c 'import json,sys
print(" ".join(sorted(b["name"] for b in json.load(sys.stdin).get("data") or [] if b["name"].startswith("predrop_"))))'; }

rest collections/create '{"collectionName":"dc","schema":{"fields":[
 {"fieldName":"id","dataType":"Int64","isPrimary":true},
 {"fieldName":"vec","dataType":"FloatVector","elementTypeParams":{"dim":"4"}}]},
 "indexParams":[{"fieldName":"vec","metricType":"L2","indexName":"vec"}]}' >/dev/null
python3 -c 'import json
print(json.dumps({"collectionName": "dc", "data": [{"id": i, "vec": [i % 7, 1, 2, 3]} for i in range(1000)]}))' >"$E2E_TMP/ins.json"
curl -s -m 10 -XPOST "$REST/entities/insert" -H 'Content-Type: application/json' -d "@$E2E_TMP/ins.json" >/dev/null
e2e_check "dc: 1000 rows by curl" e2e_wait 10 eval '[ "$(count_dc)" = 1000 ]'

"$M" drop collection dc </dev/null >/dev/null 2>"$E2E_TMP/e1"; r1=$?
"$M" drop collection dc --confirm default.DC >/dev/null 2>&1; r2=$?
"$M" drop collection 'd*' --confirm 'default.d*' >/dev/null 2>&1; r3=$?
e2e_check "no --confirm in a script, a wrong-case one, a pattern: exit 3, dc there, no backup made" \
	[ "$r1$r2$r3" = 333 -a "$(has_dc)" = yes -a -z "$(predrops)" ]
e2e_check "the refusal says what to give" grep -q 'give --confirm default.dc' "$E2E_TMP/e1"

python3 - "$CFG" <<'PY'
import sys
p = sys.argv[1]; lines = open(p).read().split("\n"); out = []
for l in lines:
    out.append(l)
    if l.strip() == "lab-hdr:":
        out.append(" " * (len(l) - len(l.lstrip()) + 2) + "guards: { protected: [default.dc] }")
open(p, "w").write("\n".join(out))
PY
"$M" drop collection dc --confirm default.dc >/dev/null 2>"$E2E_TMP/p.err"
e2e_check "protected by guards.protected: exit 3 with --confirm, dc there, no backup made" \
	[ $? = 3 -a "$(has_dc)" = yes -a -z "$(predrops)" ]
e2e_check "it says how to unprotect" grep -q 'take it off that list' "$E2E_TMP/p.err"
sed -i '/guards: { protected: \[default.dc\] }/d' "$CFG"

"$M" drop collection dc --confirm default.dc -o json >"$E2E_TMP/d.out" 2>"$E2E_TMP/d.err"
rc=$?
tail -1 "$E2E_TMP/d.out" >"$E2E_TMP/d.json"
sed 's/^/# /' "$E2E_TMP/d.err"
pd=$(predrops)
e2e_check "--confirm default.dc: exit 0, dc gone (curl), one predrop backup on the server" \
	[ "$rc" = 0 -a "$(has_dc)" = no -a -n "$pd" -a "$(e2e_json "$E2E_TMP/d.json" 'd["backup"]')" = "$pd" ]
e2e_check "the predrop backup holds dc with RBAC, as the server says" \
	[ "$(curl -s -m 10 "$BK/get_backup?backup_name=$pd" | python3 -c 'import json,sys
d = json.load(sys.stdin)["data"]; print([c["collection_name"] for c in d["collection_backups"]])')" = "['dc']" ]
undo=$(e2e_json "$E2E_TMP/d.json" 'd["undo"]')
echo "# undo: $undo"
e2e_check "the audit log's end line carries the backup and the undo command" python3 - \
	"$XDG_STATE_HOME/milvusadm/audit.log" "$pd" "$undo" <<'PY'
import json, sys
ends = [l for l in map(json.loads, open(sys.argv[1])) if l["phase"] == "end" and l["command"] == "drop collection"]
assert ends[-1]["outcome"] == "ok" and ends[-1]["backup"] == sys.argv[2] and ends[-1]["undo"] == sys.argv[3], ends[-1]
PY
${undo/milvusadm/$M} >/dev/null 2>"$E2E_TMP/u.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/u.err" | tail -3
e2e_check "the printed restore command brings every row back (count by curl)" \
	eval "[ $rc = 0 ] && e2e_wait 10 eval '[ \"\$(count_dc)\" = 1000 ]'"

"$M" drop collection dc --confirm default.dc -o json >"$E2E_TMP/d2.out" 2>/dev/null
e2e_check "a second drop within guards.drop_backup_within uses that backup, makes none" \
	[ $? = 0 -a "$(has_dc)" = no -a "$(predrops)" = "$pd" -a "$(tail -1 "$E2E_TMP/d2.out" | python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["backup"], d["backup_taken_now"])')" = "$pd False" ]
# ---- crash safety: the flow killed (SIGKILL) after each of its steps ----
${undo/milvusadm/$M} >/dev/null 2>&1
e2e_check "dc restored again for the crash runs" e2e_wait 10 eval '[ "$(count_dc)" = 1000 ]'
python3 - "$CFG" <<'PY'
import sys
p = sys.argv[1]; lines = open(p).read().split("\n"); out = []
for l in lines:
    out.append(l)
    if l.strip() == "lab-hdr:":
        out.append(" " * (len(l) - len(l.lstrip()) + 2) + "guards: { drop_backup_within: 0s }")
open(p, "w").write("\n".join(out))
PY
J=$XDG_STATE_HOME/milvusadm/journal
# dc dropped only ever with a backup on the server that holds it and was verified.
dropped_safely() {
	[ "$(has_dc)" = yes ] && return 0
	step=$(python3 -c 'import json,glob,sys; print(json.load(open(glob.glob(sys.argv[1] + "/*.json")[0]))["step"])' "$J")
	b=$(python3 -c 'import json,glob,sys; print(json.load(open(glob.glob(sys.argv[1] + "/*.json")[0]))["backup"])' "$J")
	[ "$step" = gone ] && curl -s -m 10 "$BK/get_backup?backup_name=$b" | grep -q '"collection_name":"dc"'
}
ok=yes
for step in started backup-started backup-done backup-verified confirmed drop-sent gone; do
	rm -rf "$J"
	MILVUSADM_CRASH_AT=$step "$M" drop collection dc --confirm default.dc >/dev/null 2>&1
	rc=$?
	"$M" version >/dev/null 2>"$E2E_TMP/next.err"
	said=$(grep -c "unfinished drop of default.dc (profile lab-hdr)" "$E2E_TMP/next.err")
	echo "# killed at $step: exit $rc, dc there: $(has_dc), reported: $said"
	sed 's/^/#   /' "$E2E_TMP/next.err"
	[ "$rc" = 137 -a "$said" = 1 ] || ok=no
	dropped_safely || ok=no
	case $step in gone) [ "$(has_dc)" = no ] || ok=no ;; *) [ "$(has_dc)" = yes ] || ok=no ;; esac
done
e2e_check "killed after each of the 7 steps: never dropped without a verified backup, reported by the next command" \
	[ "$ok" = yes ]
e2e_check "the report after 'backup-verified' says the drop was not sent" \
	eval "rm -rf $J; MILVUSADM_CRASH_AT=backup-verified ${undo/milvusadm/$M} >/dev/null 2>&1; e2e_wait 10 eval '[ \"\$(count_dc)\" = 1000 ]' &&
	MILVUSADM_CRASH_AT=backup-verified $M drop collection dc --confirm default.dc >/dev/null 2>&1;
	$M version 2>&1 >/dev/null | grep -q 'backup verified, drop not sent'"
e2e_done
