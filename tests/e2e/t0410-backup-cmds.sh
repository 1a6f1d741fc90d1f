#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# backup create|list|show|delete, restore, restore status and rpo against the
# lab's milvus-backup server, each checked against ground truth the tool did
# not write: the server's REST API and its bucket directory read with curl and
# ls, the proxies' REST v2 read with curl. Progress in a pipe and as JSON
# lines, --if-older-than, a task lost to a server restart, an unreachable
# server (exit 4), RPO exit codes and Prometheus text, and the refusals of
# backup delete and restore --drop-existing (exit 3).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.111.0.0/24
M=$MILVUSADM

lab_up hbk 127.111.0.0/24 --milvus 2.5 --ttl 10
LAB=$(e2e_lab_dir hbk)
status_json() { "$M" lab status --name hbk -o json; }
addr_of() {	# addr_of ROLE-PREFIX
	status_json | python3 -c 'import json,sys
print(next((m["address"] for m in json.load(sys.stdin)["members"]
            if m["name"].startswith(sys.argv[1])), ""))' "$1"
}
bk_ip=$(addr_of backup)
if [ -z "$bk_ip" ]; then
	# The lab predates its backup server: nothing here can be measured.
	echo "1..0 # SKIP the lab has no backup server (milvusadm-labd --role backup)"
	exit 0
fi
BK=http://$bk_ip:8080/api/v1
proxy=$(addr_of proxy)
REST=http://$proxy:19530/v2/vectordb
BUCKET=$LAB/minio/a-bucket/backup

# Ground truth helpers: curl and the bucket, never the tool.
rest() { curl -s -m 10 -XPOST "$REST/$1" -H 'Content-Type: application/json' -d "$2"; }
server_names() {	# the backup server's /list, one name per line
	curl -s -m 10 "$BK/list" | python3 -c 'import json,sys
for b in json.load(sys.stdin).get("data") or []: print(b["name"])' | sort
}
server_state() {	# the state_code get_backup gives for a name ("" when none)
	curl -s -m 10 "$BK/get_backup?backup_name=$1" | python3 -c 'import json,sys
d = json.load(sys.stdin); print("" if d.get("code") else (d.get("data") or {}).get("state_code", ""))'
}
collections() {	# every db.collection, by REST v2
	python3 - "$REST" <<'PY'
import json, sys, urllib.request
rest = sys.argv[1]
def post(path, body):
    r = urllib.request.urlopen(urllib.request.Request(rest + "/" + path,
        data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}), timeout=10)
    return json.load(r)["data"]
for db in post("databases/list", {}):
    for c in post("collections/list", {"dbName": db}):
        print(db + "." + c)
PY
}
coll_id() {	# coll_id DB NAME: its collectionID, "" when it does not exist
	rest collections/describe "{\"dbName\":\"$1\",\"collectionName\":\"$2\"}" |
		python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["data"]["collectionID"] if d.get("code", 0) == 0 else "")'
}
# Bar characters or terminal controls in a text that went to a pipe.
no_bars() { ! grep -q "$(printf '[\r\033]')" "$1" && ! grep -q '█\|▏\|▎\|▍\|▌\|▋\|▊\|▉\|░\|▒' "$1"; }

no_alias() {	# no_alias DB.NAME...: the first without aliases (a drop needs none)
	for c in "$@"; do
		rest collections/describe "{\"dbName\":\"${c%%.*}\",\"collectionName\":\"${c#*.}\"}" |
			python3 -c 'import json,sys; sys.exit(1 if json.load(sys.stdin)["data"].get("aliases") else 0)' &&
			{ echo "$c"; return; }
	done
}

all=$(collections)
first=$(echo "$all" | head -1)
victim=$(no_alias $all)
vdb=${victim%%.*} vname=${victim#*.}
echo "# collections: $(echo $all); restores use $victim"
e2e_check "the lab has collections and a backup server answering /hello" \
	[ -n "$all" -a -n "$victim" -a "$(curl -s -m 5 "$BK/hello")" = "Hello, This is backup service" ]
e2e_check "lab up wrote backup.url into the lab profile" \
	grep -q "url: \"\\?http://$bk_ip:8080" "$XDG_CONFIG_HOME/milvusadm/config.yaml"

# ---- RPO before any backup: every collection breaches ----
"$M" rpo --target 1h -o json >"$E2E_TMP/rpo0.json" 2>"$E2E_TMP/rpo0.err"
rc=$?
e2e_check "rpo with no backup: exit 5, every collection of REST v2 with status none" \
	python3 - "$E2E_TMP/rpo0.json" "$rc" "$all" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[2]); truth = set(sys.argv[3].split())
assert rc == 5, rc
assert {r["collection"] for r in d["rows"]} == truth, (d["rows"], truth)
assert all(r["status"] == "none" and r["breach"] for r in d["rows"]), d["rows"]
PY

# ---- create --wait in a pipe, then as JSON lines ----
"$M" backup create --name bk_all --wait >"$E2E_TMP/c1.out" 2>"$E2E_TMP/c1.err"
rc=$?
cat "$E2E_TMP/c1.err" | sed 's/^/# /'
e2e_check "backup create --wait: exit 0, the server says success, its meta is in the bucket" \
	[ "$rc" = 0 -a "$(server_state bk_all)" = 2 -a -f "$BUCKET/bk_all/meta/backup_meta.json" ]
e2e_check "progress in a pipe: plain lines, no bar, no escape, no carriage return" \
	no_bars "$E2E_TMP/c1.err"
e2e_check "progress in a pipe is monotonic and says 100% only on success" python3 - \
	"$E2E_TMP/c1.err" <<'PY'
import re, sys
last = -1
for line in open(sys.argv[1]):
    m = re.search(r" (\d+)%", line)
    if not m: continue
    p = int(m.group(1)); assert p >= last, (p, last); last = p
    assert p < 100 or "success" in line, line
assert last == 100, last
PY
"$M" backup create --collections "$first" --name bk_one --wait -o json >"$E2E_TMP/c2.out" \
	2>"$E2E_TMP/c2.err"
rc=$?
e2e_check "backup create --wait -o json: every stdout line parses, progress monotonic, last is the result" \
	python3 - "$E2E_TMP/c2.out" "$rc" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert int(sys.argv[2]) == 0
prog = [l for l in lines if l["kind"] == "progress"]
assert prog and lines[-1]["kind"] == "backup-create" and lines[-1]["result"] == "success"
pcts = [p["percent"] for p in prog if p["percent"] is not None]
assert pcts == sorted(pcts), pcts
assert all(p["percent"] < 100 or p["state"] == "success" for p in prog), prog
PY

# ---- list and show against the server ----
"$M" backup list -o json >"$E2E_TMP/list.json"
e2e_check "backup list: the server's names, newest first, with collections" python3 - \
	"$E2E_TMP/list.json" "$(server_names)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); truth = sorted(sys.argv[2].split())
names = [b["name"] for b in d["backups"]]
assert sorted(names) == truth, (names, truth)
assert names.index("bk_one") < names.index("bk_all"), names
t = [b["taken_ms"] for b in d["backups"]]
assert t == sorted(t, reverse=True), t
assert all(b["collections"] for b in d["backups"])
PY
e2e_check "backup show: the collections the server lists for bk_one" \
	[ "$("$M" backup show bk_one -o json | python3 -c 'import json,sys
print(",".join(json.load(sys.stdin)["collections"]))')" = "$first" ]

# ---- --if-older-than: nothing new while bk_one is young ----
before=$(server_names | wc -l)
"$M" backup create --collections "$first" --if-older-than 1h -o json >"$E2E_TMP/skip.json"
rc=$?
e2e_check "--if-older-than 1h: exit 0, skipped naming a backup that holds $first, none made" \
	[ "$rc" = 0 -a "$(e2e_json "$E2E_TMP/skip.json" 'd["result"] == "skipped" and d["name"] in ("bk_one", "bk_all")')" = yes \
	  -a "$(server_names | wc -l)" = "$before" ]
sleep 2
"$M" backup create --collections "$first" --if-older-than 1s --wait -o json >"$E2E_TMP/new.json" 2>&1
e2e_check "--if-older-than 1s two seconds later: a new backup the server lists" \
	[ "$(server_names | wc -l)" = $((before + 1)) ]

# ---- RPO after the backups ----
"$M" rpo --target 1h >/dev/null 2>&1
e2e_check "rpo --target 1h after backing up everything: exit 0" [ $? = 0 ]
"$M" rpo --target 1s -o prom >"$E2E_TMP/rpo.prom" 2>/dev/null
rc=$?
e2e_check "rpo --target 1s -o prom: exit 5, valid Prometheus text, one breach sample per collection" \
	python3 - "$E2E_TMP/rpo.prom" "$rc" "$all" <<'PY'
import re, sys
text = open(sys.argv[1]).read(); rc = int(sys.argv[2]); truth = set(sys.argv[3].split())
assert rc == 5, rc
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)?\})? (-?[0-9.e+]+|NaN|[+-]Inf)$')
typed, helped, breach = set(), set(), {}
for line in text.splitlines():
    if line.startswith("# HELP "): helped.add(line.split()[2]); continue
    if line.startswith("# TYPE "):
        n, t = line.split()[2:4]; assert t in ("gauge", "counter"), line; typed.add(n); continue
    m = sample.match(line); assert m, line
    assert m.group(1) in typed and m.group(1) in helped, line
    if m.group(1) == "milvusadm_rpo_breach":
        breach[re.search(r'collection="([^"]*)"', line).group(1)] = float(line.rsplit(" ", 1)[1])
assert set(breach) == truth and all(v == 1 for v in breach.values()), breach
assert "milvusadm_backup_last_success_timestamp_seconds" in typed
PY
"$M" status -o json >"$E2E_TMP/status.json" 2>/dev/null
"$M" ha check -o json >"$E2E_TMP/ha.json" 2>/dev/null
e2e_check "status and ha check show the RPO (met within the profile's 24h)" \
	[ "$(e2e_json "$E2E_TMP/status.json" 'd["rpo"]["status"]')" = ok -a \
	  "$(e2e_json "$E2E_TMP/ha.json" '[i["status"] for i in d["items"] if i["id"] == "backup.rpo"]')" = "['pass']" ]

# ---- delete: refused without the exact confirmation (exit 3) ----
"$M" backup delete bk_one >/dev/null 2>&1; r1=$?
"$M" backup delete bk_one --confirm bk_on >/dev/null 2>&1; r2=$?
"$M" --read-only backup delete bk_one --confirm bk_one >/dev/null 2>&1; r3=$?
e2e_check "backup delete without --confirm, with a wrong one, under --read-only: exit 3, still there" \
	[ "$r1$r2$r3" = 333 -a "$(server_state bk_one)" = 2 -a -f "$BUCKET/bk_one/meta/backup_meta.json" ]
"$M" backup delete bk_one --confirm bk_one >/dev/null 2>&1
e2e_check "backup delete --confirm NAME: gone from the server and the bucket" \
	[ $? = 0 -a -z "$(server_names | grep -x bk_one)" -a ! -e "$BUCKET/bk_one/meta/backup_meta.json" ]

# ---- restore: a dropped collection comes back ----
id0=$(coll_id "$vdb" "$vname")
rest collections/drop "{\"dbName\":\"$vdb\",\"collectionName\":\"$vname\"}" >/dev/null
e2e_check "$victim dropped through raw REST" [ -n "$id0" -a -z "$(coll_id "$vdb" "$vname")" ]
"$M" restore bk_all --collections "$victim" --wait -o json >"$E2E_TMP/r1.out" 2>"$E2E_TMP/r1.err"
rc=$?
tail -1 "$E2E_TMP/r1.out" >"$E2E_TMP/r1.json"
e2e_check "restore --wait: exit 0 and $victim exists again (REST v2)" \
	[ "$rc" = 0 -a -n "$(coll_id "$vdb" "$vname")" ]
rid=$(e2e_json "$E2E_TMP/r1.json" 'd["id"]')
e2e_check "restore status ID: success, as the server's get_restore says" \
	[ "$("$M" restore status "$rid" -o json | python3 -c 'import json,sys
print(json.load(sys.stdin)["state"])')" = success -a \
	  "$(curl -s -m 5 "$BK/get_restore?id=$rid" | python3 -c 'import json,sys
print(json.load(sys.stdin)["data"]["state_code"])')" = 2 ]
"$M" restore bk_all --collections "$victim" --suffix _r --wait >/dev/null 2>&1
e2e_check "restore --suffix _r: ${victim}_r exists" [ $? = 0 -a -n "$(coll_id "$vdb" "${vname}_r")" ]

# ---- restore --drop-existing: refused without the exact confirmation ----
id1=$(coll_id "$vdb" "$vname")
"$M" restore bk_all --collections "$victim" --drop-existing </dev/null >/dev/null 2>&1; r1=$?
"$M" restore bk_all --collections "$victim" --drop-existing --confirm bk >/dev/null 2>&1; r2=$?
"$M" --read-only restore bk_all --collections "$victim" --drop-existing --confirm bk_all \
	>/dev/null 2>&1; r3=$?
e2e_check "restore --drop-existing without the exact confirmation, under --read-only: exit 3, $victim untouched" \
	[ "$r1$r2$r3" = 333 -a "$(coll_id "$vdb" "$vname")" = "$id1" ]

# ---- a task lost to a server restart; an unreachable server ----
echo "copy_rate 20000" >"$LAB/backup-1.faults"
"$M" backup create --name bk_slow --wait >"$E2E_TMP/lost.out" 2>"$E2E_TMP/lost.err" &
waiter=$!
sleep 3
"$M" lab restart backup-1 --name hbk >/dev/null 2>&1
t0=$(date +%s)
wait "$waiter"
rc=$?
rm -f "$LAB/backup-1.faults"
sed 's/^/# /' "$E2E_TMP/lost.err"
lost_said() { [ "$rc" = 1 -a $(( $(date +%s) - t0 )) -lt 60 ] && grep -q "task lost" "$E2E_TMP/lost.err"; }
e2e_check "a backup server restarted mid-task: 'task lost', exit 1, within a minute" lost_said
mkdir -p "$E2E_TMP/dead/milvusadm"
cat >"$E2E_TMP/dead/milvusadm/config.yaml" <<EOF
profiles:
  dead:
    etcd: { endpoints: [http://127.111.0.2:2379] }
    backup: { url: "http://127.111.0.250:8080", timeout: 2s }
EOF
XDG_CONFIG_HOME=$E2E_TMP/dead "$M" backup list >/dev/null 2>&1
e2e_check "backup list against a server that is not there: exit 4" [ $? = 4 ]
e2e_done
