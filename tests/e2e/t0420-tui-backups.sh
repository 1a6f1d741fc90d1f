#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The TUI's Backups view, driven in tmux against a lab with its milvus-backup
# server, checked against ground truth the tool did not write (the server's
# REST API read with curl, the proxies' REST v2): key 8 and ':view backups'
# show it with no backups and every collection breached; b on a collection
# (in the view's RPO list, and in Collections) starts a backup without a
# question, shown running while the server says it runs, then its success,
# the backup listed with age and size as `backup list -o json` has them, and
# the collection's RPO ok; a backup server that stops answering leaves the
# last catalogue on screen marked stale with the time of the last good read;
# b is refused under --read-only (nothing created); a profile without
# backup.url gets one line saying how to set it.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
e2e_init 127.113.0.0/24
M=$MILVUSADM
lab_up tbk "$E2E_SUBNET" --milvus 2.5 --ttl 10
LAB=$(e2e_lab_dir tbk)
addr_of() {	# addr_of ROLE-PREFIX
	"$M" lab status --name tbk -o json | python3 -c 'import json,sys
print(next((m["address"] for m in json.load(sys.stdin)["members"]
            if m["name"].startswith(sys.argv[1])), ""))' "$1"
}
bk_ip=$(addr_of backup)
[ -n "$bk_ip" ] || { echo "1..0 # SKIP the lab has no backup server"; exit 0; }
BK=http://$bk_ip:8080/api/v1
REST=http://$(addr_of proxy):19530/v2/vectordb

tmux_sock="milvusadm-t0420-$$"
. "$E2E_DIR/lib-tmux.sh"
trap 'rc=$?; tm kill-server 2>/dev/null; (exit "$rc"); e2e_cleanup' EXIT

# Ground truth: curl, never the tool.
server_names() {	# the backup server's /list, one name per line
	curl -s -m 10 "$BK/list" | python3 -c 'import json,sys
for b in json.load(sys.stdin).get("data") or []: print(b["name"])' | sort
}
server_state() {	# state_code of get_backup NAME ("" when none)
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
all=$(collections)
one=$(echo "$all" | grep -v '^default\.' | head -1)
[ -n "$one" ] || one=$(echo "$all" | head -1)
two=$(echo "$all" | grep -vx "$one" | head -1)
echo "# collections: $(echo $all); b on $one (Backups) and $two (Collections)"

# Profiles over the lab's: tbk polls every second and gives up on a silent
# backup server after 2 s; nobk has no backup server.
python3 - "$XDG_CONFIG_HOME/milvusadm/config.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
lines = text.splitlines()
a = next(i for i, l in enumerate(lines) if l.strip().startswith("# >>>"))
b = next(i for i, l in enumerate(lines) if l.strip().startswith("# <<<"))
block = lines[a + 1:b]
ind = " " * (len(block[0]) - len(block[0].lstrip()))
tbk, nobk, in_backup, bind = [], [], False, 0
for l in block:
    lead = len(l) - len(l.lstrip())
    if lead == len(ind):	# the profile's name
        tbk.append(ind + "tbk:"); nobk.append(ind + "nobk:"); continue
    if in_backup and lead <= bind:
        in_backup = False
    tbk.append(l)
    if l.strip() == "backup:":	# every backup.* key stays out of nobk
        in_backup, bind = True, lead
        tbk.append(" " * (lead + 2) + "timeout: 2s")
        continue
    if not in_backup:
        nobk.append(l)
for p in (tbk, nobk):
    p.append(ind + "  ui:"); p.append(ind + "    refresh: 1s")
open(path, "w").write(text.rstrip("\n") + "\n" + "\n".join(tbk + nobk) + "\n")
PY
e2e_check "the test's profiles load: tbk with backup.url, nobk without" \
	sh -c "'$M' -p tbk backup list -o json >/dev/null && '$M' -p nobk backup list >/dev/null 2>&1; [ \$? = 4 ]"
e2e_check "precondition: the backup server lists no backup" [ -z "$(server_names)" ]

# check_view SCREEN LIST_JSON: the BACKUPS rows on screen are the backups of
# `backup list -o json`, with its sizes (as the table prints bytes) and a
# TAKEN and AGE each; prints the names seen.
check_view() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
scr = open(sys.argv[1], encoding="utf-8").read().splitlines()
d = json.load(open(sys.argv[2]))
def fmt(v):
    if -1024 < v < 1024: return "%d B" % v
    u = -1; x = float(v)
    while abs(x) >= 1024 and u < 5: x /= 1024; u += 1
    return "%.1f %s" % (x, ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"][u])
start = next(i for i, l in enumerate(scr) if l.startswith("BACKUPS (newest first"))
row = re.compile(r"^(\S+)\s+(\d\d-\d\d \d\d:\d\d)\s+(\S+)\s+(\d+ B|\d+\.\d [KMGTPE]iB)\s+(\w+)\s+(\S+)$")
seen = {}
for l in scr[start + 2:]:
    m = row.match(l.rstrip())
    if m: seen[m.group(1)] = (m.group(3), m.group(4), m.group(6))
want = {b["name"]: (fmt(b["size"]), ",".join(b["collections"])) for b in d["backups"]}
print("# on screen:", seen)
print("# backup list:", want)
assert set(seen) == set(want), (sorted(seen), sorted(want))
for n, (age, size, colls) in seen.items():
    assert size == want[n][0], (n, size, want[n][0])
    assert colls == want[n][1], (n, colls, want[n][1])
    assert re.fullmatch(r"[\d.]+(ms|s)|\d+m\d\ds", age), (n, age)
PY
}
# rpo_line SCREEN COLL: the RPO row of COLL ("db.coll newest age level ...").
rpo_line() { grep -E "^$(echo "$2" | sed 's/\./\\./g') +" "$1" | head -1; }

# ---- the view by key and by ':view backups': no backups, all breached ----
shell_in tui
tm send-keys -t main:tui "$M -p tbk" Enter
wait_screen main:tui "live" 15 || { screen main:tui; e2e_die "the TUI did not start"; }
# Before the Backups view is ever shown, the header counts the RPO alerts
# status counts: one list, whatever view is on screen.
tui_alerts() { screen main:tui | head -1 | sed -n 's/.* \([0-9][0-9]*\) alerts\{0,1\} .*/\1/p'; }
"$M" -p tbk status -o json >"$E2E_TMP/st0.json" 2>/dev/null
want=$(e2e_json "$E2E_TMP/st0.json" 'd["alert_count"]')
e2e_check "before view 8 is shown the header counts status's $want alerts (RPO included)" \
	e2e_wait 15 eval '[ "$(tui_alerts)" = "$want" ]'
tm send-keys -t main:tui 8
e2e_check "key 8 shows the Backups view: the server, and 'no backups'" \
	e2e_wait 10 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q '^backup server http://$bk_ip:8080  read ' &&
	    tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -qx 'no backups *'"
screen main:tui >"$E2E_TMP/empty.txt"
sed 's/^/# /' "$E2E_TMP/empty.txt"
e2e_check "the tab bar names 8 Backups" grep -q ' 8 Backups' "$E2E_TMP/empty.txt"
narrow_ok() {	# every tab fits 80 columns in its compact form
	screen main:tui >"$E2E_TMP/narrow.txt"
	sed -n 2p "$E2E_TMP/narrow.txt" | grep -q '^1Overview.*7Drills8Backups' &&
		[ "$(wc -L <"$E2E_TMP/narrow.txt")" -le 80 ]
}
tm resize-window -t main:tui -x 80 -y 24
e2e_check "80x24: every tab on the bar, none cut, no line over 80 columns" e2e_wait 5 narrow_ok
sed -n 1,3p "$E2E_TMP/narrow.txt" | sed 's/^/# /'
tm resize-window -t main:tui -x 120 -y 40
e2e_check "every collection of REST v2 is breached (no backup)" python3 - "$E2E_TMP/empty.txt" "$all" <<'PY'
import re, sys
scr = open(sys.argv[1], encoding="utf-8").read().splitlines()
for c in sys.argv[2].split():
    l = [x for x in scr if x.startswith(c + " ")]
    assert l and re.search(r"\s-\s+-\s+breached \(no backup\)$", l[0].rstrip()), (c, l)
PY
e2e_check "no restore drill yet, said with the command that makes one" \
	grep -q '^no restore drill yet (milvusadm restore drill latest)' "$E2E_TMP/empty.txt"
tm send-keys -t main:tui 1
wait_screen main:tui "rootcoord (" 10
tm send-keys -t main:tui : "view backups" Enter
e2e_check ":view backups shows the view" \
	wait_screen main:tui "BACKUPS (newest first" 5

# ---- b on a collection of the RPO list: running, then success ----
# Slow copying (a lab fault switch) keeps the task running long enough to see.
echo "copy_rate 3000" >"$LAB/backup-1.faults"
tm send-keys -t main:tui / "$one" Enter
tm send-keys -t main:tui b
e2e_check "b starts a backup of $one at once (no question)" \
	wait_screen main:tui "of $one started: its progress is in Backups (8)" 5
name=$(screen main:tui | sed -n "s/^backup \(milvusadm_[0-9_]*\) of .*/\1/p" | head -1)
echo "# started: $name"
server_progress() {	# progress of get_backup NAME while the server says it runs
	curl -s -m 5 "$BK/get_backup?backup_name=$1" | python3 -c 'import json,sys
d = (json.load(sys.stdin).get("data") or {})
print(d.get("progress", "") if d.get("state_code") in (0, 1) else "")'
}
seen_pct=""
running_seen() {	# drawn executing with a number no higher than the server's, twice
	local p s
	p=$(screen main:tui | sed -nE "s/^$name +$one +executing +\[[^]]*\] +([0-9]+)%.*/\1/p")
	s=$(server_progress "$name")
	[ -n "$p" ] && [ -n "$s" ] && [ "$p" -le "$s" ] || return 1
	case " $seen_pct " in *" $p "*) ;; *) seen_pct="$seen_pct $p" ;; esac
	echo "# on screen $p%, the server $s%"
	[ "$(echo $seen_pct | wc -w)" -ge 2 ]
}
e2e_check "the task is drawn running, its progress live (two values, never ahead of the server's)" \
	e2e_wait 20 running_seen
echo "# progress seen:$seen_pct"
screen main:tui | sed 's/^/# /'
rm -f "$LAB/backup-1.faults"
e2e_check "then its success, as the server's get_backup says (state 2)" \
	e2e_wait 30 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -Eq '^$name +$one +success +\[[^]]*\] +100%' &&
	    [ \"\$(curl -s -m 5 '$BK/get_backup?backup_name=$name' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"data\"][\"state_code\"])')\" = 2 ]"
rpo_ok() { screen main:tui >"$E2E_TMP/s.txt"; rpo_line "$E2E_TMP/s.txt" "$one" | grep -Eq " $name +[0-9.]+(ms|s) +ok *$"; }
e2e_check "the RPO line of $one turns ok, naming the new backup" e2e_wait 10 rpo_ok
rpo_line "$E2E_TMP/s.txt" "$one" | sed 's/^/# /'
tm send-keys -t main:tui Escape
sleep 0.5
screen main:tui >"$E2E_TMP/one.txt"
"$M" -p tbk backup list -o json >"$E2E_TMP/list1.json"
e2e_check "the BACKUPS rows are backup list -o json's: names, sizes, collections, with ages" \
	check_view "$E2E_TMP/one.txt" "$E2E_TMP/list1.json"
e2e_check "... and the server's /list" [ "$(server_names)" = "$name" ]

# ---- b in Collections ----
tm send-keys -t main:tui 4
tm send-keys -t main:tui / "${two#*.}" Enter
tm send-keys -t main:tui b
e2e_check "b in Collections starts a backup of $two" \
	wait_screen main:tui "of $two started: its progress is in Backups (8)" 5
name2=$(screen main:tui | sed -n "s/^backup \(milvusadm_[0-9_]*\) of .*/\1/p" | head -1)
tm send-keys -t main:tui Escape 8
e2e_check "it succeeds in the Backups view and is listed" \
	e2e_wait 30 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -Eq '^$name2 +$two +success ' &&
	    tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -Eq '^$name2 +[0-9-]+ [0-9:]+ +[^ ]+ +[0-9.]+ [KMG]?i?B '"
screen main:tui >"$E2E_TMP/two.txt"
sed 's/^/# /' "$E2E_TMP/two.txt"
"$M" -p tbk backup list -o json >"$E2E_TMP/list2.json"
newest_first() {	# the second backup above the first
	[ "$(sed -n '/^BACKUPS (newest/,$p' "$E2E_TMP/two.txt" | awk '/^milvusadm_/ {print $1}' |
	    tr '\n' ' ')" = "$name2 $name " ]
}
e2e_check "both backups as backup list -o json has them" \
	check_view "$E2E_TMP/two.txt" "$E2E_TMP/list2.json"
e2e_check "... newest first" newest_first

# ---- the last restore drill's RTO, as its saved report has it ----
if "$M" help "restore drill" >/dev/null 2>&1; then
	# The drill verifies a sample milvusadm records around create --wait.
	"$M" -p tbk backup create --collections "$one" --wait >/dev/null 2>&1
	"$M" -p tbk restore drill latest >"$E2E_TMP/rd.out" 2>&1
	sed 's/^/# /' "$E2E_TMP/rd.out" | tail -3
	rd=$(ls -t "$XDG_STATE_HOME"/milvusadm/restore-drills/*.json 2>/dev/null | head -1)
	tm send-keys -t main:tui r
	drill_shown() {	# RTO, verdict and id of the report on screen
		screen main:tui >"$E2E_TMP/rd.txt"
		python3 - "$E2E_TMP/rd.txt" "$rd" <<'PY'
import json, re, sys
scr = open(sys.argv[1], encoding="utf-8").read().splitlines()
d = json.load(open(sys.argv[2]))
l = [x for x in scr if x.startswith("RTO ")]
m = re.match(r"RTO (not reached|([\d.]+)(ms|s)) +(pass|fail) +\d\d-\d\d \d\d:\d\d \(.* ago\) +(\S+)$",
             l[0].rstrip())
print("# %s: %s, rto_ms %s" % (d["id"], d["result"], d.get("rto_ms")))
assert m.group(5) == d["id"] and m.group(4) == ("pass" if d["result"] == "pass" else "fail"), (l, d["id"])
if d.get("rto_ms") is None or d["rto_ms"] < 0:
    assert m.group(1) == "not reached", l
else:
    ms = float(m.group(2)) * (1 if m.group(3) == "ms" else 1000)
    assert abs(ms - d["rto_ms"]) <= max(50, d["rto_ms"] * 0.06), (ms, d["rto_ms"])
PY
	}
	e2e_check "the last restore drill: its RTO, verdict and id as its saved report has them" \
		e2e_wait 10 drill_shown
	grep -A2 '^LAST RESTORE DRILL' "$E2E_TMP/rd.txt" | sed 's/^/# /'
else
	e2e_ok "the last restore drill's RTO # SKIP this build has no 'restore drill'"
fi

# ---- a backup server that stops answering: stale, last good read kept ----
# No read under way: the time on screen is the last good one.
e2e_wait 15 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -Eq '^backup server .*  read [0-9:]+ \(r reads'"
good=$(screen main:tui | sed -n 's/^backup server .*  read \([0-9:]*\).*/\1/p')
"$M" lab kill backup-1 --name tbk --signal STOP >/dev/null 2>&1
tm send-keys -t main:tui r
stale_seen() {
	screen main:tui >"$E2E_TMP/stale.txt"
	grep -Eq "^stale: backup server does not answer since [0-9:]+, last good read $good: " "$E2E_TMP/stale.txt" &&
		grep -Eq "^$name +[0-9-]+ [0-9:]+ " "$E2E_TMP/stale.txt"
}
e2e_check "the server stopped (SIGSTOP): stale, since when, the last good read, the backups still shown" \
	e2e_wait 20 stale_seen
sed 's/^/# /' "$E2E_TMP/stale.txt"
"$M" lab kill backup-1 --name tbk --signal CONT >/dev/null 2>&1
tm send-keys -t main:tui r
e2e_check "it answers again: the stale line goes" \
	e2e_wait 20 sh -c "! tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q '^stale: backup server'"
tm send-keys -t main:tui q
e2e_check "q leaves the TUI" e2e_wait 5 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q 'tui\\$ *\$'"

# ---- --read-only: b refused, nothing created ----
before=$(server_names | wc -l)
tm send-keys -t main:tui "clear; $M --read-only -p tbk" Enter
wait_screen main:tui "live" 15
# 4 and b in one write: b reads the selection of a view not drawn yet.
tm send-keys -t main:tui 4 b
e2e_check "--read-only: b is refused as backup create is" \
	wait_screen main:tui "'backup create' changes things and is refused under --read-only" 5
sleep 2
e2e_check "... and the server has no new backup" [ "$(server_names | wc -l)" = "$before" ]
tm send-keys -t main:tui q
e2e_wait 5 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:tui | grep -q 'tui\\$ *\$'"

# ---- a profile without backup.url: one line ----
tm send-keys -t main:tui "clear; $M -p nobk" Enter
wait_screen main:tui "live" 15
tm send-keys -t main:tui 8
nobk_line() {
	screen main:tui >"$E2E_TMP/nobk.txt"
	[ "$(sed -n 3p "$E2E_TMP/nobk.txt" | sed 's/ *$//')" = "no backup server in profile 'nobk': set backup.url (backup: { url: http://HOST:8080 }, see milvusadm.conf(5))" ] &&
		[ -z "$(sed -n '4,$p' "$E2E_TMP/nobk.txt" | sed '$d' | tr -d ' \n')" ]
}
e2e_check "no backup.url: the view says so in one line, nothing else" e2e_wait 5 nobk_line
sed 's/^/# /' "$E2E_TMP/nobk.txt"
tm send-keys -t main:tui q
e2e_done
