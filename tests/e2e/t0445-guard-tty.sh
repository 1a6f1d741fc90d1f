#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The guard's typed confirmation on a terminal, driven in tmux: one-command
# mode, the shell and the TUI's status line ask the same question (the
# profile, its cluster, what cannot be undone) and want the exact name, or
# PROFILE/NAME on a production profile. No cluster: the guard decides before
# the backup server (not there) is contacted, and the audit log records how
# each decision was made.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
e2e_init 127.119.0.0/24
M=$MILVUSADM
tmux_sock="milvusadm-t0445-$$"
. "$E2E_DIR/lib-tmux.sh"
trap 'rc=$?; tm kill-server 2>/dev/null; (exit "$rc"); e2e_cleanup' EXIT

mkdir -p "$XDG_CONFIG_HOME/milvusadm"
cat >"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<EOF
default_profile: dev
profiles:
  dev:
    etcd: { endpoints: [http://127.119.0.2:2379] }
    backup: { url: "http://127.119.0.250:8080", timeout: 1s }
  prod:
    production: true
    etcd: { endpoints: [http://127.119.0.2:2379] }
    backup: { url: "http://127.119.0.250:8080", timeout: 1s }
EOF
LOG=$XDG_STATE_HOME/milvusadm/audit.log
# The guard decisions of the audit's end lines, "target:how" in order.
decisions() { python3 -c 'import json,sys
print(" ".join("%s:%s" % (l["target"], l["guard"]) for l in map(json.loads, open(sys.argv[1]))
               if l["phase"] == "end" and l["guard"]))' "$LOG" 2>/dev/null; }

# ---- one-command mode on a terminal ----
shell_in cmd
tm send-keys -t main:cmd "$M -p prod backup delete bk1; echo rc=\$?" Enter
e2e_check "one command on a tty asks for PROFILE/NAME, naming the production profile" \
	eval "wait_screen main:cmd \"type 'prod/bk1' to confirm:\" 5 && on_screen main:cmd \"PRODUCTION profile 'prod'\""
tm send-keys -t main:cmd bk1 Enter
e2e_check "the bare name typed on production: refused, exit 3" \
	eval "wait_screen main:cmd 'rc=3' 5 && on_screen main:cmd \"did not match 'prod/bk1'\""
tm send-keys -t main:cmd clear Enter
tm send-keys -t main:cmd "$M -p prod backup delete bk1; echo rc=\$?" Enter
wait_screen main:cmd "type 'prod/bk1' to confirm:" 5
tm send-keys -t main:cmd prod/bk1 Enter
e2e_check "prod/bk1 typed: the guard lets it through (exit 4: no backup server)" \
	wait_screen main:cmd 'rc=4' 10

# ---- the shell ----
tm send-keys -t main:cmd clear Enter
tm send-keys -t main:cmd "$M shell" Enter
wait_screen main:cmd "milvusadm" 5
tm send-keys -t main:cmd "backup delete bk2" Enter
e2e_check "the shell asks the same question" wait_screen main:cmd "type 'bk2' to confirm:" 5
tm send-keys -t main:cmd BK2 Enter
e2e_check "a wrong-case answer in the shell is refused" \
	wait_screen main:cmd "did not match 'bk2'" 5
tm send-keys -t main:cmd "backup delete bk2" Enter
e2e_wait 5 sh -c "[ \$(tmux -L '$tmux_sock' capture-pane -p -t main:cmd | grep -c \"type 'bk2' to confirm:\") -ge 2 ]"
tm send-keys -t main:cmd bk2 Enter
e2e_wait 10 sh -c "grep -q '\"target\":\"bk2\",\"guard\":\"typed\"' '$LOG'"
tm send-keys -t main:cmd quit Enter

# ---- the TUI's status line ----
shell_in tui
tm send-keys -t main:tui "$M -p prod" Enter
wait_screen main:tui "prod" 10
tm send-keys -t main:tui ":backup delete bk3" Enter
e2e_check "the TUI asks on its status line for prod/bk3" \
	wait_screen main:tui "type 'prod/bk3' to confirm" 5
tm send-keys -t main:tui prod/bk3 Enter
e2e_wait 10 sh -c "grep -q '\"target\":\"prod/bk3\",\"guard\":\"typed\"' '$LOG'"
tm send-keys -t main:tui q
e2e_check "the audit log: how each was decided, in order" \
	[ "$(decisions)" = "prod/bk1:refused prod/bk1:typed bk2:refused bk2:typed prod/bk3:typed" ]
e2e_done
