#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The TUI driven in tmux against a lab: every view shows what etcd holds
# (etcdctl is the ground truth), SIGKILL of the active rootcoord shows the new
# leader within TTL + 2 s with no key press, resize to 80x24 stays readable,
# NO_COLOR and the mono theme send no colour, ':' and '/' work, q restores
# the terminal, a HostName with an escape sequence is drawn escaped, and
# TERM=dumb is refused with exit 2.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
e2e_init 127.86.20.0/24
ep=http://127.86.20.2:2379
TTL=4
lab_up tui "$E2E_SUBNET" --milvus 2.4 --etcd 1 --ttl "$TTL" --backoff 60s

tmux_sock="milvusadm-t0200-$$"
. "$E2E_DIR/lib-tmux.sh"
trap 'rc=$?; tm kill-server 2>/dev/null; (exit "$rc"); e2e_cleanup' EXIT

shell_in live
tm send-keys -t main:live "$MILVUSADM -p lab-tui" Enter
wait_screen main:live "live" 15 || { screen main:live; e2e_die "the TUI did not start"; }
e2e_wait 10 sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:live | grep -q 'querynode (3)'"
screen main:live >"$E2E_TMP/overview.txt"
sed 's/^/# /' "$E2E_TMP/overview.txt"

# Overview: every <role>-<id> session of etcd under its role, the active
# coordinators ACTIVE, the rest of the coordinators STANDBY.
etcdctl_ "$ep" get --prefix by-dev/meta/session/ -w json >"$E2E_TMP/sessions.json"
e2e_check "overview: every session under its role, ACTIVE/STANDBY as in etcd" \
	python3 - "$E2E_TMP/overview.txt" "$E2E_TMP/sessions.json" <<'PY'
import base64, json, re, sys
screen = open(sys.argv[1], encoding="utf-8").read().splitlines()
kvs = json.load(open(sys.argv[2]))["kvs"]
shown, role = {}, None
for line in screen:
    m = re.match(r"^([a-z]+) \(\d+\)$", line.strip())
    if m and not line.startswith(" "):
        role = m.group(1)
        continue
    m = re.match(r"^\s+\S+\s+(\d+)\s+(ACTIVE|STANDBY)?\s", line)
    if role and m:
        shown[(role, int(m.group(1)))] = m.group(2) or ""
def sessions():
    # Only session records: the ID counter under session/ is a bare number.
    for kv in kvs:
        key = base64.b64decode(kv["key"]).decode().rsplit("/", 1)[1]
        v = json.loads(base64.b64decode(kv["value"]))
        if isinstance(v, dict) and "ServerName" in v:
            yield key, v
active, bad = {}, 0
for key, v in sessions():
    if "-" not in key:
        active[key] = v["ServerID"]
for key, v in sessions():
    if "-" not in key:
        continue
    r, sid = v["ServerName"], v["ServerID"]
    if (r, sid) not in shown:
        print("missing", r, sid); bad = 1; continue
    want = "" if r not in active else ("ACTIVE" if active[r] == sid else "STANDBY")
    if shown[(r, sid)] != want:
        print("badge", r, sid, shown[(r, sid)], "want", want); bad = 1
print(len(shown), "components on screen")
sys.exit(bad)
PY

# Leaders: the active ServerID of each coordinator role.
tm send-keys -t main:live 2
wait_screen main:live "IN OFFICE" 5
screen main:live >"$E2E_TMP/leaders.txt"
ok=yes
for r in rootcoord datacoord querycoord; do
	id=$(active_id "$ep" "$r")
	grep -Eq "^$r +$id " "$E2E_TMP/leaders.txt" || { ok=no; echo "# $r: want $id"; }
done
e2e_check "leaders: the active of each coordinator role as in etcd" [ "$ok" = yes ]

tm send-keys -t main:live 3
wait_screen main:live "replica" 10
screen main:live >"$E2E_TMP/replicas.txt"
e2e_check "replicas: the two loaded collections with their replica groups" \
	sh -c "grep -q '^default.docs  2 replicas' '$E2E_TMP/replicas.txt' &&
	    grep -q '^default.images  2 replicas' '$E2E_TMP/replicas.txt' &&
	    grep -q 'replica [0-9].*healthy RW:' '$E2E_TMP/replicas.txt' &&
	    ! grep -q archive '$E2E_TMP/replicas.txt'"

tm send-keys -t main:live 4
wait_screen main:live "COLLECTION" 5
screen main:live >"$E2E_TMP/collections.txt"
e2e_check "collections: docs and images loaded, archive not loaded" \
	sh -c "grep -Eq '^default +docs +loaded' '$E2E_TMP/collections.txt' &&
	    grep -Eq '^default +images +loaded' '$E2E_TMP/collections.txt' &&
	    grep -Eq '^default +archive +not loaded' '$E2E_TMP/collections.txt'"

tm send-keys -t main:live 6
wait_screen main:live "CLIENT URL" 5
screen main:live >"$E2E_TMP/etcd.txt"
mid=$(etcdctl_ "$ep" member list -w json | python3 -c 'import json,sys
print("%x" % json.load(sys.stdin)["members"][0]["ID"])')
e2e_check "etcd: the member leads, answers, its URL and ID" \
	grep -Eq "^etcd-1 +leader +ok +http://127.86.20.2:2379 .* $mid\$" "$E2E_TMP/etcd.txt"

# The ':' prompt runs an engine command into the output pane; Esc closes it.
tm send-keys -t main:live : topology Enter
wait_screen main:live ":topology" 10
e2e_check "':topology' shows its output in the pane" on_screen main:live "querynode"
tm send-keys -t main:live Escape
# '/' filters the view.
tm send-keys -t main:live 1 / datanode Enter
sleep 0.5
screen main:live >"$E2E_TMP/filter.txt"
e2e_check "'/datanode' leaves only datanode lines" \
	sh -c "grep -q 'datanode' '$E2E_TMP/filter.txt' && ! grep -q 'querynode-' '$E2E_TMP/filter.txt'"
tm send-keys -t main:live Escape

# SIGKILL of the active rootcoord: the new leader on screen within TTL + 2 s,
# no key pressed.
old=$(active_id "$ep" rootcoord)
member=$(member_by_server tui "$ep" rootcoord)
echo "# active rootcoord $old is lab member $member"
rootcoord_active_on_screen() {
	screen main:live | python3 -c 'import re, sys
role = None
for line in sys.stdin:
    line = line.rstrip("\n")
    m = re.match(r"^([a-z]+) \(\d+\)$", line)
    if m:
        role = m.group(1); continue
    m = re.match(r"^\s+\S+\s+(\d+)\s+ACTIVE\s", line)
    if role == "rootcoord" and m:
        print(m.group(1)); break'
}
sleep 0.5
t0=$(now_ms)
"$MILVUSADM" lab kill --name tui --signal KILL "$member" >/dev/null
seen=""
while [ $(( $(now_ms) - t0 )) -lt 15000 ]; do
	id=$(rootcoord_active_on_screen)
	if [ -n "$id" ] && [ "$id" != "$old" ]; then
		seen=$(( $(now_ms) - t0 ))
		break
	fi
	sleep 0.1
done
new=$(active_id "$ep" rootcoord)
echo "# new active rootcoord $new on screen after ${seen:-never} ms (limit $(( (TTL + 2) * 1000 )))"
e2e_check "the new rootcoord leader is on screen within TTL + 2 s" \
	sh -c "[ -n '$seen' ] && [ '$seen' -le $(( (TTL + 2) * 1000 )) ] &&
	    [ '$(rootcoord_active_on_screen)' = '$new' ]"
tm send-keys -t main:live 5
wait_screen main:live "leader_changed" 5
e2e_check "events: the leader change, newest first" on_screen main:live "leader_changed"
tm send-keys -t main:live 1

# Resize to 80x24: the header and the active coordinator stay, no line wider.
tm resize-window -t main:live -x 80 -y 24
sleep 1
screen main:live >"$E2E_TMP/small.txt"
sed 's/^/# /' "$E2E_TMP/small.txt"
e2e_check "80x24: header and active rootcoord on screen, no line over 80 columns" \
	python3 - "$E2E_TMP/small.txt" "$new" <<'PY'
import re, sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) <= 24, len(lines)
assert "lab-tui" in lines[0] and "Milvus" in lines[0], lines[0]
w = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) for l in lines)
assert w <= 80, w
text = "\n".join(lines)
assert re.search(r"^\s+\S+\s+%s\s+ACTIVE" % sys.argv[2], text, re.M), "no active rootcoord"
PY
# At 80 columns the Overview keeps every component's lease and the etcd view
# each member's health (the columns after them may go off the edge).
e2e_check "80x24: the Overview's LEASE column, a ttl on every component row" \
	python3 - "$E2E_TMP/small.txt" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert any(re.search(r"\bLEASE\b", l) for l in lines), "no LEASE header"
rows = [l for l in lines if re.match(r"^\s+\S+\s+\d+\s", l)]
assert rows, "no component row"
bad = [l for l in rows if not re.search(r"\bttl (\d+s|-)", l)]
assert not bad, bad
print(len(rows), "component rows with a ttl")
PY
tm send-keys -t main:live 6
wait_screen main:live "HEALTH" 5
screen main:live >"$E2E_TMP/etcd-small.txt"
sed 's/^/# /' "$E2E_TMP/etcd-small.txt"
e2e_check "80x24: the etcd view's HEALTH column and the member's health" \
	sh -c "grep -Eq '^NAME +ROLE +HEALTH' '$E2E_TMP/etcd-small.txt' &&
	    grep -Eq '^etcd-1 +leader +ok ' '$E2E_TMP/etcd-small.txt'"
tm send-keys -t main:live 1
tm resize-window -t main:live -x 120 -y 40

# A session whose HostName holds an escape sequence, put through etcd.
lease=$(etcdctl_ "$ep" lease grant 60 | awk '{print $2}')
json=$(session_json "$ep" querynode-$(etcdctl_ "$ep" get --prefix --keys-only by-dev/meta/session/querynode- |
	grep . | head -1 | sed 's/.*querynode-//') | python3 -c 'import json, sys
v = json.load(sys.stdin)
v["ServerID"] = 9999
v["HostName"] = "\x1b]0;pwned\x07"
v["Address"] = "127.86.20.250:21123"
print(json.dumps(v))')
etcdctl_ "$ep" put --lease="$lease" by-dev/meta/session/querynode-9999 "$json" >/dev/null
e2e_check "the hostile HostName is drawn escaped" \
	wait_screen main:live '\x1b]0;pwned\x07' 5
title=$(tm display -p -t main:live '#{pane_title}')
echo "# pane title: $title"
e2e_check "the pane title did not change to 'pwned'" sh -c "! echo '$title' | grep -q pwned"
etcdctl_ "$ep" lease revoke "$lease" >/dev/null

# Colour: the default theme has colour SGRs (sanity); NO_COLOR and mono none.
has_colour() { tm capture-pane -p -e -t "$1" | grep -q $'\033\\[[34][0-9;]*m'; }
# No SGR that sets a colour: 30-37, 40-47, 38;5;N, 48;2;..., 90-97, 100-107.
# (tmux writes 39/49, "default colour", for cells that never had one.)
no_colour() {
	local sgrs
	sgrs=$(tm capture-pane -p -e -t "$1" | grep -o $'\033\\[[0-9;]*m' | sort -u |
		grep -E $'\033\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]' || true)
	[ -z "$sgrs" ] || { printf '%s\n' "$sgrs" | cat -v; return 1; }
}
colour_sgrs() { tm capture-pane -p -e -t "$1" | grep -o $'\033\\[[34][^m]*m' | sort -u | head -5 | cat -v; }
e2e_check "the default theme draws in colour" has_colour main:live

# q leaves: the prompt is back, the alternate screen left.
tm send-keys -t main:live q
e2e_check "q: the shell prompt is back" wait_screen main:live 'tui$' 5
e2e_check "q: the alternate screen is left" \
	sh -c "[ \"\$(tmux -L '$tmux_sock' display -p -t main:live '#{alternate_on}')\" = 0 ]"

shell_in nocolor NO_COLOR=1
tm send-keys -t main:nocolor "$MILVUSADM -p lab-tui" Enter
wait_screen main:nocolor "Overview" 10
sleep 2
colour_sgrs main:nocolor | sed "s/^/# /"
e2e_check "NO_COLOR=1: no colour escapes" no_colour main:nocolor
tm send-keys -t main:nocolor q

shell_in mono
tm send-keys -t main:mono "$MILVUSADM -p lab-tui --theme mono" Enter
wait_screen main:mono "Overview" 10
sleep 2
colour_sgrs main:mono | sed "s/^/# /"
e2e_check "the mono theme: no colour escapes" no_colour main:mono
tm send-keys -t main:mono q

shell_in dumb
tm send-keys -t main:dumb "TERM=dumb $MILVUSADM -p lab-tui; echo rc=\$?" Enter
wait_screen main:dumb "rc=" 15
screen main:dumb | grep . | sed 's/^/# /'
e2e_check "TERM=dumb: refused with a pointer to the shell, exit 2" \
	sh -c "tmux -L '$tmux_sock' capture-pane -p -t main:dumb | grep -q \"milvusadm shell\" &&
	    tmux -L '$tmux_sock' capture-pane -p -t main:dumb | grep -q '^rc=2'"

tm kill-server 2>/dev/null
e2e_done
