#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The TUI's Audit view (key 9), driven in tmux, without a cluster: the
# newest action first, one line per action with its guard decision and
# outcome; it reads what the log gained when shown again and on r; a begin
# without its end is "running" while its process lives and "interrupted?"
# once it was killed; a target with an escape sequence is drawn escaped;
# ten tabs fit 80 columns. Ground truth: the audit log the commands wrote
# and the process the test killed.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
e2e_init 127.122.0.0/24
M=$MILVUSADM
tmux_sock="milvusadm-t0465-$$"
. "$E2E_DIR/lib-tmux.sh"
hung_pid="" srv_pid=""
trap 'rc=$?; tm kill-server 2>/dev/null; for p in $hung_pid $srv_pid; do kill -KILL "$p" 2>/dev/null; done; (exit "$rc"); e2e_cleanup' EXIT

# A backup server that accepts and never answers: a delete let through by
# the guard waits on it, its begin line written and no end yet.
python3 -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.122.0.250", 8080)); s.listen(16)
held = []
while True:
    c, _ = s.accept(); held.append(c)' &
srv_pid=$!

mkdir -p "$XDG_CONFIG_HOME/milvusadm"
cat >"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<EOF
default_profile: dev
profiles:
  dev:
    etcd: { endpoints: [http://127.122.0.2:2379] }
    backup: { url: "http://127.122.0.250:8080", timeout: 60s }
EOF
LOG=$XDG_STATE_HOME/milvusadm/audit.log
for b in bk1 bk2 bk3; do "$M" backup delete "$b" >/dev/null 2>&1; done
"$M" backup delete "$(printf 'bk\033[31mX')" >/dev/null 2>&1
e2e_check "four refused deletes planted 8 lines in the log" [ "$(wc -l <"$LOG")" = 8 ]

# rows: the view's action rows (after its heading), top to bottom.
rows() { screen main:tui | sed -n '/^TIME  *PROFILE  *COMMAND/,$p' | sed 1d | grep 'backup delete'; }
first_row_has() { rows | head -1 | grep -qF -- "$1"; }
top_is() { rows | head -1 | grep -q -- "$1"; }	# top_is REGEX

shell_in tui
tm send-keys -t main:tui "$M -p dev" Enter
wait_screen main:tui "dev" 10 || { screen main:tui; e2e_die "the TUI did not start"; }
tm send-keys -t main:tui 9
e2e_check "key 9 shows the Audit view" wait_screen main:tui "TIME           PROFILE" 10
screen main:tui >"$E2E_TMP/audit.txt"
sed 's/^/# /' "$E2E_TMP/audit.txt"
e2e_check "newest first: the escaped one, then bk3, bk2, bk1, each refused (3) by the guard" \
	python3 - "$E2E_TMP/audit.txt" <<'PY'
import re, sys
scr = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = [l for l in scr if "backup delete" in l]
targets = [l.split("backup delete")[1].split()[0] for l in rows]
assert targets == ["bk\\x1b[31mX", "bk3", "bk2", "bk1"], targets
for l in rows:
    assert re.search(r"^\d\d-\d\d \d\d:\d\d:\d\d dev +backup delete +\S+ +refused +refused 3\s*$", l), l
PY
e2e_check "the escape sequence is drawn as text, never sent" \
	eval "! tm capture-pane -p -e -t main:tui | grep -q \$'\\033\\[31mX'"

# A line from elsewhere: shown on r.
"$M" backup delete bk4 >/dev/null 2>&1
tm send-keys -t main:tui r
e2e_check "a new line from another process is shown first after r" \
	e2e_wait 5 first_row_has bk4

# A line from the TUI itself: shown when the view is shown again.
tm send-keys -t main:tui ":backup delete bk5" Enter
wait_screen main:tui "type 'bk5' to confirm" 5
tm send-keys -t main:tui wrong Enter
e2e_wait 5 sh -c "grep -q '\"target\":\"bk5\"' '$LOG'"
tm send-keys -t main:tui 9
e2e_check "a command run at ':' is on top when 9 is pressed again" \
	e2e_wait 5 first_row_has bk5

# A begin without its end: running while its process lives, then interrupted.
"$M" backup delete bk6 --confirm bk6 >/dev/null 2>&1 &
hung_pid=$!
e2e_wait 10 sh -c "grep -q '\"phase\":\"begin\".*\"args\":\"backup delete bk6' '$LOG'"
tm send-keys -t main:tui r
e2e_check "a begin whose process lives is 'running'" \
	e2e_wait 5 top_is 'bk6 .* running *$'
kill -KILL "$hung_pid"
wait "$hung_pid" 2>/dev/null
e2e_check "the process is gone (killed by the test)" eval "! e2e_alive $hung_pid"
hung_pid=""
tm send-keys -t main:tui r
e2e_check "... and once killed, 'interrupted?'" \
	e2e_wait 5 top_is 'bk6 .* interrupted? *$'
e2e_check "the log indeed has bk6's begin and no end" python3 - "$LOG" <<'PY'
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
b = [l for l in ls if l["phase"] == "begin" and l["args"].startswith("backup delete bk6")]
assert len(b) == 1 and not [l for l in ls if l["phase"] == "end" and l["id"] == b[0]["id"]]
PY

narrow_ok() {
	screen main:tui >"$E2E_TMP/narrow.txt"
	sed -n 2p "$E2E_TMP/narrow.txt" | grep -q '^1Overview.*8Backups9Audit0Alerts' &&
		[ "$(wc -L <"$E2E_TMP/narrow.txt")" -le 80 ] && grep -q 'bk6 .*interrupted?' "$E2E_TMP/narrow.txt"
}
tm resize-window -t main:tui -x 80 -y 24
e2e_check "80x24: ten tabs on the bar, the outcome column whole, no line over 80" \
	e2e_wait 5 narrow_ok
sed 's/^/# /' "$E2E_TMP/narrow.txt"
tm send-keys -t main:tui q
e2e_done
