#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The modes of milvusadm (one command, -c, -f with and without --keep-going,
# piped stdin, the readline shell in tmux) and the engine's rules in each:
# one-line errors with the right exit code, prerequisites, -o json.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.81.1.0/24
M=$MILVUSADM
out=$E2E_TMP/out
err=$E2E_TMP/err

# run ARGS...: stdout in $out, stderr in $err, exit code in $rc.
run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
lines() { wc -l <"$1" | tr -d ' '; }

# Before any cluster exists: a command that needs etcd says so, exit 4.
run topology
e2e_check "no cluster configured: exit 4, one line" \
	[ "$rc" -eq 4 -a "$(lines "$err")" -eq 1 ]
grep -q "no cluster is configured" "$err" || e2e_fail "the message names the cause"

lab_up m100 "$E2E_SUBNET"
ver=$("$M" version)

run version
e2e_check "one command" [ "$rc" -eq 0 -a "$(cat "$out")" = "$ver" ]

run -c 'version; version -o json'
e2e_check "-c with ';' runs both, -o json for the second only" \
	[ "$rc" -eq 0 -a "$(head -n1 "$out")" = "$ver" -a "$(e2e_json <(tail -n1 "$out") 'd["kind"]')" = version ]

cat >"$E2E_TMP/rb" <<'EOF'
# a runbook
version   # trailing comment
frobnicate --now
version
lab status --name nosuchlab
EOF
run -f "$E2E_TMP/rb"
e2e_check "runbook stops at the first failure, exit 2" \
	[ "$rc" -eq 2 -a "$(lines "$out")" -eq 1 ]
e2e_check "runbook error is 'file:line: message', one line" \
	[ "$(cat "$err")" = "$E2E_TMP/rb:3: unknown command 'frobnicate' (try 'milvusadm help')" ]
run --keep-going -f "$E2E_TMP/rb"
e2e_check "--keep-going runs on and exits with the worst code" \
	[ "$rc" -eq 2 -a "$(lines "$out")" -eq 2 ]
e2e_check "--keep-going names each failing line" \
	eval "grep -q '^$E2E_TMP/rb:3: ' '$err' && grep -q '^$E2E_TMP/rb:5: ' '$err'"

printf 'version\nversion -o json\n' | "$M" >"$out" 2>"$err"; rc=$?
e2e_check "commands piped on stdin" [ "$rc" -eq 0 -a "$(lines "$out")" -eq 2 ]
printf 'version\nlab kill\n' | "$M" >"$out" 2>"$err"; rc=$?
e2e_check "stdin script: '<stdin>:2:' usage error, exit 2" \
	[ "$rc" -eq 2 -a "$(cat "$err")" = "<stdin>:2: usage: milvusadm lab kill NAME [--name LAB] [--signal KILL|TERM|INT|STOP|CONT]" ]
printf 'version "open\n' | "$M" >"$out" 2>"$err"; rc=$?
e2e_check "unterminated quote: one line, exit 2" \
	[ "$rc" -eq 2 -a "$(cat "$err")" = "<stdin>:1: unterminated double quote" ]

run frobnicate
e2e_check "unknown command: exit 2, one line" [ "$rc" -eq 2 -a "$(lines "$err")" -eq 1 ]
run --frobnicate
e2e_check "unknown global option: exit 2, one line" [ "$rc" -eq 2 -a "$(lines "$err")" -eq 1 ]
run version --frobnicate
e2e_check "wrong option of a command: exit 2" [ "$rc" -eq 2 -a "$(lines "$err")" -eq 1 ]
run version -o yaml
e2e_check "bad -o: exit 2, one line" [ "$rc" -eq 2 -a "$(lines "$err")" -eq 1 ]
run e
e2e_check "ambiguous prefix lists the candidates, exit 2" \
	[ "$rc" -eq 2 -a "$(cat "$err")" = "milvusadm: ambiguous command 'e': could be etcd, events" ]
run la stat --name m100
e2e_check "unique prefixes of noun and verb" [ "$rc" -eq 0 -a -s "$out" ]
run la st --name m100
e2e_check "lab st could be status or start: exit 2, one line" \
	[ "$rc" -eq 2 -a "$(cat "$err")" = "milvusadm: ambiguous command 'la st': could be lab status, lab start" ]

pid=$(member_pid m100 querynode-1)
run --read-only lab kill querynode-1 --name m100
e2e_check "--read-only refuses a changing command: exit 3, one line" \
	[ "$rc" -eq 3 -a "$(lines "$err")" -eq 1 ]
run lab kill querynode-1 --name m100 --read-only
e2e_check "--read-only after the command too" [ "$rc" -eq 3 ]
e2e_check "nothing was killed" [ "$(member_pid m100 querynode-1)" = "$pid" ]

run lab status --name m100 -o json
e2e_check "-o json of lab status parses, kind lab-status" \
	[ "$rc" -eq 0 -a "$(e2e_json "$out" 'd["version"] == 1 and d["kind"] == "lab-status"')" = yes ]
n=$("$M" -o tsv lab status --name m100 | wc -l)
e2e_check "JSON and TSV list the same members" \
	[ "$(e2e_json "$out" 'len(d["members"])')" -eq "$n" ]

# The shell, in tmux: a command, completion of a command name, history.
sock="m100-$$"
tm() { tmux -L "$sock" "$@"; }
screen_has() { tm capture-pane -p -t sh | grep -qF -- "$1"; }
tm new-session -d -s sh -x 150 -y 40 \
	"env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' TERM=xterm '$M' shell; sleep 30"
cleanup_tmux() {
	tm kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
}
trap 'rc_=$?; cleanup_tmux; (exit $rc_); e2e_cleanup' EXIT
e2e_check "shell prompt shows the profile" e2e_wait 10 screen_has "milvusadm(lab-m100)>"
tm send-keys -t sh "version" Enter
e2e_check "shell runs a command" e2e_wait 10 screen_has "$ver"
tm send-keys -t sh "vers" Tab
# (capture-pane drops trailing blanks: the space completion adds shows by what follows)
e2e_check "tab completes a command name" e2e_wait 5 screen_has "milvusadm(lab-m100)> version"
tm send-keys -t sh C-u "lab stat" Tab
e2e_check "tab completes a verb" e2e_wait 5 screen_has "> lab status"
tm send-keys -t sh -- "--na" Tab
e2e_check "tab completes an option from the usage" e2e_wait 5 screen_has "> lab status --name"
tm send-keys -t sh "m100" Enter
e2e_check "the completed command runs" e2e_wait 10 screen_has "querynode-1"
roles_listed() { tm capture-pane -p -t sh | grep -qE 'querycoord +querynode'; }
tm send-keys -t sh C-l "topology --role query" Tab Tab
e2e_check "tab lists roles" e2e_wait 5 roles_listed
tm send-keys -t sh C-u "lab status --name m100 --password hunter2" Enter
tm send-keys -t sh "exit" Enter
hist=$XDG_STATE_HOME/milvusadm/history
e2e_check "history file written" e2e_wait 10 [ -s "$hist" ]
e2e_check "history is mode 0600" [ "$(stat -c %a "$hist")" = 600 ]
e2e_check "history has the commands" grep -qx "version" "$hist"
e2e_check "history never holds the secret" eval "! grep -q hunter2 '$hist'"
cleanup_tmux

e2e_done
