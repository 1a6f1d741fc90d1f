#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's milvus-backup server (milvus-backup.md §0, §0.1, §2, §3), checked
# with curl only against it and the lab's proxies, and with the files it
# writes: a large collection backed up with progress that moves, the bucket
# layout on disk, a drop and a restore with the same rows, the quirks of 0.6
# and of 0.5 (a second lab), each fault switch of LABDIR/backup-1.faults, and
# a killed backup member that forgets its tasks.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.110.0.0/24
lab_up bk6 "$E2E_SUBNET" --milvus 2.5 --etcd 1 --no-standby --backoff 200ms
LAB=$(e2e_lab_dir bk6)
FAULTS=$LAB/backup-1.faults
BUCKET=$LAB/minio/a-bucket
B=http://127.110.0.8:8080/api/v1

proxy_ip() {	# proxy_ip LAB: the first proxy's address
	"$MILVUSADM" lab status --name "$1" -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] == "proxy"][0])'
}
P=http://$(proxy_ip bk6):19530/v2/vectordb

# req METHOD URL [BODY] [curl args]: the body in $E2E_TMP/r, the status in $E2E_TMP/st.
req() {
	local m=$1 u=$2 body=${3-}
	shift 3 2>/dev/null || shift $#
	if [ -n "$body" ]; then
		curl -s -m 60 -o "$E2E_TMP/r" -w '%{http_code}' -X "$m" "$u" \
			-H 'Content-Type: application/json' --data-binary "$body" "$@"
	else
		curl -s -m 60 -o "$E2E_TMP/r" -w '%{http_code}' -X "$m" "$u" "$@"
	fi >"$E2E_TMP/st"
}
body() { cat "$E2E_TMP/r"; }
# jq_ EXPR: a Python expression over the last answer d.
jq_() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
r = eval(sys.argv[2])
print(r if not isinstance(r, bool) else ("yes" if r else "no"))' "$E2E_TMP/r" "$1"; }
is() { [ "$(jq_ "$1")" = yes ]; }
rest() { req POST "$P/$1" "$2"; }
rows_of() {	# rows_of COLL: rowCount through get_stats
	rest collections/get_stats "{\"collectionName\":\"$1\"}" && jq_ 'd["data"]["rowCount"]'
}
fault() { printf '%s\n' "$@" >"$FAULTS"; }
secs() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }

# watch_task KIND ID OUT: poll get_backup by id (KIND backup) or get_restore
# (KIND restore) every 0.1 s until a final state; "state progress end_time"
# lines in OUT.
watch_task() {
	local kind=$1 id=$2 out=$3 i=0 st
	: >"$out"
	while [ "$i" -lt 900 ]; do
		if [ "$kind" = backup ]; then
			req GET "$B/get_backup?backup_id=$id"
		else
			req GET "$B/get_restore?id=$id"
		fi
		st=$(jq_ '"%s %s %s" % (d["data"]["state_code"], d["data"]["progress"],
		    d["data"].get("end_time"))' 2>/dev/null) || st="? ? ?"
		echo "$st" >>"$out"
		case $st in 2\ *|3\ *) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# Progress only grows, moves through at least N values below 100 while state
# is 1, and ends at 100 with state 2.
progress_ok() {	# progress_ok FILE N
	python3 - "$1" "$2" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ends = [(int(s), e) for s, p, e in rows]
rows = [(int(s), int(p)) for s, p, e in rows]
prog = [p for _, p in rows]
running = sorted({p for s, p in rows if s == 1 and p < 100})
print("samples", len(rows), "running values", running[:12], "last", rows[-1])
assert prog == sorted(prog), "progress went back"
assert len(running) >= int(sys.argv[2]), "too few steps seen"
assert rows[-1] == (2, 100), rows[-1]
assert all(p == 100 for s, p in rows if s == 2)
# A running task's end_time is Go's zero time (contract 0.1), a real one at the end.
assert all(e == "-62135596800" for s, e in ends if s in (0, 1)), ends
assert int(ends[-1][1]) > 1700000000, ends[-1]
PY
}

# ---- the server, its greeting, the profile ----
e2e_check "hello: the greeting, text" eval "req GET $B/hello && [ \"\$(body)\" = 'Hello, This is backup service' ]"
e2e_check "GET / greets too" eval "req GET http://127.110.0.8:8080/ && [ \"\$(body)\" = 'Hello, This is backup service' ]"
e2e_check "an unknown route: gin's 404" eval "req GET $B/nope; [ \"\$(cat $E2E_TMP/st)\" = 404 ]"
e2e_check "the lab profile has backup.url" \
	grep -q 'url: "http://127.110.0.8:8080"' "$XDG_CONFIG_HOME/milvusadm/config.yaml"

# ---- a large collection: 16000 rows, 64-dim vectors, a VarChar, a dynamic key ----
rest collections/create '{"collectionName":"big","schema":{"enableDynamicField":true,"fields":[
 {"fieldName":"id","dataType":"Int64","isPrimary":true},
 {"fieldName":"vec","dataType":"FloatVector","elementTypeParams":{"dim":"64"}},
 {"fieldName":"tag","dataType":"VarChar","elementTypeParams":{"max_length":"64"}}]},
 "indexParams":[{"fieldName":"vec","metricType":"L2","indexName":"vec"}]}'
e2e_check "create the large collection" is 'd == {"code":0,"data":{}}'
ins_ok=yes
for b in $(seq 0 15); do
	python3 - "$b" >"$E2E_TMP/ins.json" <<'PY'
import json, sys
b = int(sys.argv[1])
rows = [{"id": i, "vec": [round(((i * 7 + k * 13) % 1000) / 1000.0, 3) for k in range(64)],
         "tag": "t%05d" % i, "shard": i % 7} for i in range(b * 1000, b * 1000 + 1000)]
print(json.dumps({"collectionName": "big", "data": rows}, separators=(",", ":")))
PY
	rest entities/insert "@$E2E_TMP/ins.json"
	is 'd["code"] == 0 and d["data"]["insertCount"] == 1000' || ins_ok=no
done
e2e_check "insert 16000 rows in 16 batches" [ "$ins_ok" = yes ]
e2e_check "the proxies wrote the rows as binlogs in Milvus's storage" \
	eval "[ \$(find $BUCKET/files/insert_log -type f | wc -l) -ge 96 ]"
e2e_check "big: rowCount 16000" [ "$(rows_of big)" = 16000 ]
e2e_wait 10 eval "rest collections/get_load_state '{\"collectionName\":\"big\"}' && is 'd[\"data\"][\"loadState\"] == \"LoadStateLoaded\"'"

# ---- backup, with progress that moves (copy_rate slows the copy to seconds) ----
fault "copy_rate 2097152"
t0=$(date +%s.%N)
req POST "$B/create" '{"requestId":"not-this","backup_name":"big_b1","async":true,"collection_names":["big"]}' \
	-H 'request_id: e2e-b1'
e2e_check "async create: the header's request_id, no code, data null" \
	eval "[ \"\$(body)\" = '{\"requestId\":\"e2e-b1\",\"msg\":\"create backup is executing asynchronously\",\"data\":null}' ]"
e2e_check "the backup task runs to success" watch_task backup e2e-b1 "$E2E_TMP/b1.prog"
t1=$(date +%s.%N)
bsize=$(find "$BUCKET/backup/big_b1/binlogs" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "# backup of 16000 rows ($bsize bytes of binlogs) took $(secs "$t0" "$t1") s"
e2e_check "progress grows, moves while copying, 100 only with success, end_time set then" \
	progress_ok "$E2E_TMP/b1.prog" 5
req GET "$B/get_backup?backup_name=big_b1" "" -H 'request_id: g1'
e2e_check "get_backup by name: success, its collection, the size on disk" \
	is "d['requestId'] == 'g1' and 'code' not in d and d['msg'] == 'success' and d['data']['state_code'] == 2 and d['data']['size'] == $bsize and [c['collection_name'] for c in d['data']['collection_backups']] == ['big'] and d['data']['id'] == 'e2e-b1'"
e2e_check "backup_timestamp is written as digits past 2^53" \
	eval "grep -Eq '\"backup_timestamp\":[0-9]{18}' $E2E_TMP/r"
req GET "$B/get_backup?backup_name=big_b1"
e2e_check "get_backup without a request_id header answers none" is "'requestId' not in d"
req GET "$B/list"
e2e_check "list: big_b1 with its size and version, no times" \
	is "[(x['name'], x['size'], x['milvus_version']) for x in d['data']] == [('big_b1', $bsize, 'v2.5.27')] and 'start_time' not in d['data'][0]"

# ---- the bucket layout (§3) ----
meta=$BUCKET/backup/big_b1/meta
e2e_check "meta/ holds the five meta files" eval "for f in backup_meta full_meta collection_meta partition_meta segment_meta; do [ -s $meta/\$f.json ] || exit 1; done"
e2e_check "binlogs/insert_log/<coll>/<part>/<seg>/<field>/<log>, fields 0 1 100-103" python3 - "$BUCKET" <<'PY'
import os, sys, json
root = sys.argv[1] + "/backup/big_b1/binlogs/insert_log"
fields, n = set(), 0
for d, _, files in os.walk(root):
    for f in files:
        parts = os.path.relpath(os.path.join(d, f), root).split("/")
        assert len(parts) == 5 and all(p.isdigit() for p in parts), parts
        fields.add(int(parts[3]))
        src = sys.argv[1] + "/files/insert_log/" + "/".join(parts)
        assert open(src, "rb").read() == open(os.path.join(d, f), "rb").read(), src
        n += 1
print(n, "binlogs", sorted(fields))
assert fields == {0, 1, 100, 101, 102, 103} and n >= 96
full = json.load(open(sys.argv[1] + "/backup/big_b1/meta/full_meta.json"))
segs = full["collection_backups"][0]["partition_backups"][0]["segment_backups"]
assert sum(s["num_of_rows"] for s in segs) == 16000
assert "collection_backups" not in json.load(open(sys.argv[1] + "/backup/big_b1/meta/backup_meta.json"))
PY

# ---- drop, restore, the same rows ----
rest collections/drop '{"collectionName":"big"}'
e2e_check "drop big through REST" eval "rest collections/has '{\"collectionName\":\"big\"}' && is 'd[\"data\"][\"has\"] == False'"
t0=$(date +%s.%N)
req POST "$B/restore" '{"requestId":"rq-1","id":"e2e-r1","backup_name":"big_b1","async":true}' \
	-H 'request_id: ignored'
e2e_check "restore: the body's requestId, the id the client set, state initial" \
	is "d['requestId'] == 'rq-1' and d['msg'] == 'restore backup is executing asynchronously' and d['data']['id'] == 'e2e-r1' and d['data']['state_code'] == 0 and d['data']['collection_restore_tasks'][0]['target_collection_name'] == 'big' and 'id' not in d['data']['collection_restore_tasks'][0]"
e2e_check "the restore runs to success" watch_task restore e2e-r1 "$E2E_TMP/r1.prog"
t1=$(date +%s.%N)
echo "# restore of 16000 rows took $(secs "$t0" "$t1") s"
e2e_check "restore progress grows to 100 with success" progress_ok "$E2E_TMP/r1.prog" 3
e2e_check "restored big: rowCount 16000" [ "$(rows_of big)" = 16000 ]
e2e_check "restored big is loaded again, count(*) 16000" e2e_wait 10 eval \
	"rest entities/query '{\"collectionName\":\"big\",\"outputFields\":[\"count(*)\"]}' && is 'd[\"data\"] == [{\"count(*)\": 16000}]'"
rest collections/describe '{"collectionName":"big"}'
e2e_check "same schema: fields, dynamic, index" \
	is "[(f['name'], f['type']) for f in d['data']['fields']] == [('id','Int64'),('vec','FloatVector'),('tag','VarChar')] and d['data']['enableDynamicField'] and d['data']['indexes'][0]['metricType'] == 'L2'"
newid=$(jq_ 'd["data"]["collectionID"]')
e2e_check "the restored binlogs hold the same rows (ids, tags, dynamic keys)" python3 - "$BUCKET" "$newid" <<'PY'
import os, sys, json
def rows(root):
    out = {}
    for seg in sorted(os.listdir(root)):
        cols = {}
        for f in sorted(os.listdir(root + "/" + seg), key=int):
            logs = sorted(os.listdir(root + "/" + seg + "/" + f), key=int)
            cols[int(f)] = sum((json.load(open(root + "/%s/%s/%s" % (seg, f, l))) for l in logs), [])
        for i, pk in enumerate(cols[100]):
            out[pk] = (cols[101][i], cols[102][i], cols[103][i])
    return out
old = os.path.join(sys.argv[1], "backup/big_b1/binlogs/insert_log")
old = os.path.join(old, os.listdir(old)[0]); old = os.path.join(old, os.listdir(old)[0])
new = os.path.join(sys.argv[1], "files/insert_log", sys.argv[2]); new = os.path.join(new, os.listdir(new)[0])
a, b = rows(old), rows(new)
print(len(a), "rows before,", len(b), "after")
assert len(a) == 16000 and a == b
PY
req POST "$B/restore" '{"id":"e2e-r2","backup_name":"big_b1","async":true}'
e2e_check "restore over an existing collection fails" eval "watch_task restore e2e-r2 $E2E_TMP/r2.prog && is \"d['data']['state_code'] == 3 and d['data']['errorMessage'].endswith('collection already exist, database default collection big')\""
req POST "$B/restore" '{"id":"e2e-r3","backup_name":"big_b1","async":true,"dropExistCollection":true}'
e2e_check "dropExistCollection: dropped and restored again" eval "watch_task restore e2e-r3 $E2E_TMP/r3.prog && is \"d['data']['state_code'] == 2\""
e2e_check "and it has 16000 rows" [ "$(rows_of big)" = 16000 ]
req POST "$B/restore" '{"id":"e2e-r4","backup_name":"big_b1","collection_renames":{"big":"big_copy"}}'
e2e_check "a synchronous restore with a rename: success and the task" \
	is "d['msg'] == 'success' and d['data']['state_code'] == 2 and d['data']['collection_restore_tasks'][0]['target_collection_name'] == 'big_copy'"
e2e_check "big_copy has 16000 rows" [ "$(rows_of big_copy)" = 16000 ]

# ---- answers and quirks of 0.6 ----
req POST "$B/restore" '{"backup_name":"nope","async":true}'
e2e_check "restore of a missing backup: code 400, 0.6's words, no requestId" \
	eval "[ \"\$(body)\" = '{\"code\":400,\"msg\":\"app: backup nope: backup not found\",\"data\":null}' ]"
req GET "$B/get_restore?id=nope"
e2e_check "get_restore of an unknown id: code 3, a generated requestId (0.6)" \
	is "d['code'] == 3 and d['msg'] == 'task not found' and len(d['requestId']) == 36"
req GET "$B/get_restore?id=" "" -H 'request_id: e1'
e2e_check "get_restore with an empty id: code 3" \
	eval "[ \"\$(body)\" = '{\"requestId\":\"e1\",\"code\":3,\"msg\":\"empty restore id\",\"data\":null}' ]"
req GET "$B/get_backup?backup_name=nope" "" -H 'request_id: n1'
e2e_check "get_backup of an unknown name: code 3 (0.6)" \
	eval "[ \"\$(body)\" = '{\"requestId\":\"n1\",\"code\":3,\"msg\":\"server: backup nope not found\",\"data\":null}' ]"
req GET "$B/get_backup?backup_id=nope"
e2e_check "get_backup of an unknown id: task not found" \
	is "d['code'] == 3 and d['msg'].endswith('task not found')"
req POST "$B/create" '{"backup_name":"big_b1","async":true}' -H 'request_id: dup1'
e2e_check "async create of a name this process ran: code 3, the task that holds it" \
	eval "[ \"\$(body)\" = '{\"requestId\":\"dup1\",\"code\":3,\"msg\":\"backup: add backup task to manager: big_b1 (existing task e2e-b1)\",\"data\":null}' ]"
req POST "$B/create" '{"backup_name":"s1","collection_names":["docs"]}' -H 'request_id: s1'
e2e_check "sync create: success, no request id, no data" \
	eval "[ \"\$(cat $E2E_TMP/st) \$(body)\" = '200 {\"msg\":\"success\",\"data\":null}' ]"
req POST "$B/create" '{"backup_name":"s1","collection_names":["docs"]}' -H 'request_id: s2'
e2e_check "sync create of the same name on 0.6: code 3, no crash" \
	is "d['code'] == 3 and d['msg'].startswith('backup: add backup task to manager: s1 (')"
req POST "$B/create" '{"async":true}'
e2e_check "create without a name: HTTP 500, empty body (the handler panics)" \
	eval "[ \"\$(cat $E2E_TMP/st)\" = 500 ] && [ ! -s $E2E_TMP/r ]"
req POST "$B/create" '{"backup_name":'
e2e_check "create with a body that does not bind: HTTP 400 {error}" \
	eval "[ \"\$(cat $E2E_TMP/st) \$(body)\" = '400 {\"error\":\"Invalid request body\"}' ]"
req POST "$B/create" '{"backup_name":"a-b","async":true}' -H 'request_id: v1'
e2e_check "a bad name: code 400 and the rule" \
	is "d['code'] == 400 and d['msg'] == 'backup name should only contain numbers, letters and underscores'"
req POST "$B/create" '{"backup_name":"f1","async":true,"collection_names":["nope"]}' -H 'request_id: f1'
e2e_check "a filter naming a missing collection: the task fails" eval "watch_task backup f1 $E2E_TMP/f1.prog && is \"d['data']['state_code'] == 3 and d['data']['progress'] == 0 and d['data']['errorMessage'].endswith('filter collection default.nope not found in milvus')\""

# ---- delete ----
req DELETE "$B/delete?backup_name=s1" "" -H 'request_id: d1'
e2e_check "delete: success, no data member" eval "[ \"\$(body)\" = '{\"requestId\":\"d1\",\"msg\":\"success\"}' ]"
e2e_check "its directory is gone" [ ! -e "$BUCKET/backup/s1" ]
req DELETE "$B/delete?backup_name=s1"
e2e_check "delete again: code 3, not found" is "d['code'] == 3 and 'not found' in d['msg'] and len(d['requestId']) == 36"

# ---- fault: storage not ready (0.6: code 503, nothing registered, retry works) ----
fault "storage_not_ready"
req POST "$B/create" '{"backup_name":"nr1","async":true,"collection_names":["docs"]}' -H 'request_id: nr1'
e2e_check "storage not ready: code 503" is "d['code'] == 503 and d['msg'].startswith('storage not ready')"
req GET "$B/get_backup?backup_id=nr1"
e2e_check "nothing was registered" is "d['code'] == 3"
: >"$FAULTS"
req POST "$B/create" '{"backup_name":"nr1","async":true,"collection_names":["docs"]}' -H 'request_id: nr1'
e2e_check "the same request once storage is back: accepted" is "'code' not in d and d['requestId'] == 'nr1'"
e2e_check "and it succeeds" eval "watch_task backup nr1 $E2E_TMP/nr1.prog && is \"d['data']['state_code'] == 2\""

# ---- fault: storage full mid-copy ----
used=$(find "$BUCKET/backup" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
fault "storage_full_after $((used + bsize / 3))" "copy_rate 4194304"
req POST "$B/create" '{"backup_name":"full1","async":true,"collection_names":["big"]}' -H 'request_id: full1'
e2e_check "storage full: the copy fails with the storage's message" eval "watch_task backup full1 $E2E_TMP/full1.prog && is \"d['data']['state_code'] == 3 and d['data']['progress'] == 0 and 'minimum free drive threshold' in d['data']['errorMessage'] and '/binlogs/insert_log/' in d['data']['errorMessage']\""
e2e_check "it had copied part of the data before failing" \
	eval "grep -Eq '^1 ([2-9][0-9])' $E2E_TMP/full1.prog && [ -d $BUCKET/backup/full1/binlogs ]"
e2e_check "no meta: list does not show it" eval "req GET $B/list && is \"'full1' not in [x['name'] for x in d['data']]\""
: >"$FAULTS"
req POST "$B/create" '{"backup_name":"full1","async":true,"collection_names":["big"]}' -H 'request_id: full2'
e2e_check "the failed name again: its leftovers fail the task at once (0.6)" eval "watch_task backup full2 $E2E_TMP/full2.prog && is \"d['data']['errorMessage'] == 'backup: backup with name full1 already exist'\""

# ---- fault: slow copy, switched while the task runs ----
fault "copy_rate 200000"
req POST "$B/create" '{"backup_name":"slow1","async":true,"collection_names":["big"]}' -H 'request_id: slow1'
sleep 2
req GET "$B/get_backup?backup_id=slow1"
e2e_check "slow copy: after 2 s still executing, under half" \
	is "d['data']['state_code'] == 1 and 15 <= d['data']['progress'] < 50"
fault "copy_rate 50000000"
e2e_check "faster again: it finishes" eval "watch_task backup slow1 $E2E_TMP/slow1.prog && is \"d['data']['state_code'] == 2\""

# ---- a killed backup member forgets its tasks ----
fault "copy_rate 100000"
req POST "$B/create" '{"backup_name":"lost1","async":true,"collection_names":["big"]}' -H 'request_id: e2e-lost'
e2e_wait 10 eval "req GET '$B/get_backup?backup_id=e2e-lost' && is \"d['data']['state_code'] == 1 and d['data']['progress'] > 15\""
old=$(member_pid bk6 backup-1)
"$MILVUSADM" lab kill backup-1 --name bk6 >"$E2E_TMP/kill.out" 2>&1
e2e_check "lab kill backup-1" e2e_wait 10 eval "[ -n \"\$(member_pid bk6 backup-1)\" ] && [ \"\$(member_pid bk6 backup-1)\" != '$old' ] && [ \"\$(member_pid bk6 backup-1)\" != 0 ] && req GET $B/hello"
e2e_check "the supervisor saw it die by the signal" grep -q "backup-1 exited signal=9 pid=$old" "$LAB/events.log"
req GET "$B/get_backup?backup_id=e2e-lost"
e2e_check "after the restart get_backup by request_id: the task is unknown" \
	is "d['code'] == 3 and d['msg'].endswith('task not found')"
req GET "$B/get_restore?id=e2e-r1"
e2e_check "and so is the restore task" is "d['code'] == 3 and d['msg'] == 'task not found'"
req GET "$B/get_backup?backup_name=big_b1"
e2e_check "a finished backup it did not run reads from storage as initial (0.6)" \
	is "d['data']['state_code'] == 0 and d['data']['progress'] == 0 and 'id' not in d['data'] and d['data']['name'] == 'big_b1' and d['data']['size'] == $bsize"
: >"$FAULTS"

# ---- 0.5 (a second lab) ----
lab_up bk5 127.110.1.0/24 --milvus 2.5 --etcd 1 --no-standby --backoff 200ms --backup-version 0.5
LAB5=$(e2e_lab_dir bk5)
B=http://127.110.1.8:8080/api/v1
FAULTS=$LAB5/backup-1.faults
req GET "$B/get_backup?backup_name=nope"
e2e_check "0.5: an unknown name is an empty brief, success" \
	eval "[ \"\$(body)\" = '{\"msg\":\"success\",\"data\":{\"state_code\":0,\"progress\":0,\"size\":0,\"meta_size\":0}}' ]"
req POST "$B/create" '{"backup_name":"s5","collection_names":["docs"]}'
e2e_check "0.5: sync create" eval "[ \"\$(body)\" = '{\"msg\":\"success\",\"data\":null}' ]"
req POST "$B/create" '{"backup_name":"s5","collection_names":["docs"]}'
e2e_check "0.5: sync create of the same name: HTTP 500, empty body" \
	eval "[ \"\$(cat $E2E_TMP/st)\" = 500 ] && [ ! -s $E2E_TMP/r ]"
req GET "$B/get_backup?backup_name=s5"
e2e_check "0.5: get_backup of its own task: success, no format" \
	is "d['data']['state_code'] == 2 and d['data']['collection_backups'][0]['collection_name'] == 'docs' and 'format' not in d['data']"
P5=http://$(proxy_ip bk5):19530/v2/vectordb
req POST "$B/restore" '{"requestId":"q5","id":"r5","backup_name":"s5","collection_suffix":"_r"}'
e2e_check "0.5: a synchronous restore with a suffix: docs_r" \
	is "d['requestId'] == 'q5' and d['data']['id'] == 'r5' and d['data']['state_code'] == 2 and [(c['target_db_name'], c['target_collection_name']) for c in d['data']['collection_restore_tasks']] == [('default', 'docs_r')]"
req POST "$P5/collections/get_stats" '{"collectionName":"docs_r"}'
e2e_check "docs_r has docs's 1000 rows" is "d['data']['rowCount'] == 1000"
req POST "$B/restore" '{"backup_name":"nope","async":true}'
e2e_check "0.5: restore of a missing backup, 0.5's words" \
	eval "[ \"\$(body)\" = '{\"code\":400,\"msg\":\"backup nope not found\",\"data\":null}' ]"
req GET "$B/get_restore?id=nope"
e2e_check "0.5: get_restore without the header: no requestId" \
	eval "[ \"\$(body)\" = '{\"code\":3,\"msg\":\"task not found\",\"data\":null}' ]"
fault "storage_not_ready"
req POST "$B/create" '{"backup_name":"nr5","async":true}' -H 'request_id: nr5'
e2e_check "0.5 storage not ready: no 503, the create is accepted" is "'code' not in d"
sleep 1
req GET "$B/get_backup?backup_id=nr5"
e2e_check "0.5: and the task stays initial, progress 1" \
	is "d['data']['state_code'] == 0 and d['data']['progress'] == 1"
: >"$FAULTS"
fault "copy_rate 20000"
req POST "$B/create" '{"backup_name":"k5","async":true}' -H 'request_id: k5'
e2e_wait 10 eval "req GET '$B/get_backup?backup_id=k5' && is \"d['data']['state_code'] == 1\""
old=$(member_pid bk5 backup-1)
"$MILVUSADM" lab kill backup-1 --name bk5 >/dev/null 2>&1
e2e_wait 10 eval "[ \"\$(member_pid bk5 backup-1)\" != '$old' ] && req GET $B/hello"
: >"$FAULTS"
req GET "$B/get_backup?backup_name=s5"
e2e_check "0.5 after a restart: its finished backup reads as an empty brief" \
	eval "[ \"\$(body)\" = '{\"msg\":\"success\",\"data\":{\"state_code\":0,\"progress\":0,\"size\":0,\"meta_size\":0}}' ]"
e2e_check "while list still has it" eval "req GET $B/list && is \"[x['name'] for x in d['data']] == ['s5']\""
req POST "$B/create" '{"backup_name":"k5","async":true}' -H 'request_id: k5b'
sleep 1
req GET "$B/get_backup?backup_id=k5b"
e2e_check "0.5: a name whose directory is left over: accepted, initial for ever" \
	is "d['data']['state_code'] == 0 and d['data']['progress'] == 1 and 'errorMessage' not in d['data']"

e2e_done
