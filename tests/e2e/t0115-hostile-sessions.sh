#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No session is ever silently dropped, against a bare etcd with keys planted
# by etcdctl:
# - a session whose host name is 10 kB of control characters (ESC, C1 CSI,
#   a bidi override) and invalid UTF-8 is listed by `topology`, its host name
#   cut to 253 bytes and escaped (no raw control byte reaches the output);
# - keys whose value cannot be read are reported by key and reason: a warning
#   line on stderr, `unparsable[]` and a session-unparsable alert in
#   `status -o json`, and an alert in the TUI (also for a key planted while it
#   runs: the watch path).
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.144.0.0/24
M=$MILVUSADM
out=$E2E_TMP/out
err=$E2E_TMP/err
cfg=$XDG_CONFIG_HOME/milvusadm/config.yaml
mkdir -p "$(dirname "$cfg")"
run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
tab=$(printf '\t')

etcd --name t0115 --data-dir "$E2E_TMP/etcd" \
	--listen-client-urls http://127.144.0.240:2379 \
	--advertise-client-urls http://127.144.0.240:2379 \
	--listen-peer-urls http://127.144.0.240:2380 \
	--initial-advertise-peer-urls http://127.144.0.240:2380 \
	--initial-cluster t0115=http://127.144.0.240:2380 >"$E2E_TMP/etcd.log" 2>&1 &
etcd_pid=$!
tmux_sock="milvusadm-t0115-$$"
have_tmux=false
command -v tmux >/dev/null && have_tmux=true
if $have_tmux; then . "$E2E_DIR/lib-tmux.sh"; fi
# (exit $r): e2e_cleanup takes the script's exit code from $?.
trap 'r=$?; $have_tmux && tm kill-server 2>/dev/null; kill "$etcd_pid" 2>/dev/null;
	wait "$etcd_pid" 2>/dev/null; (exit $r); e2e_cleanup' EXIT
ep=http://127.144.0.240:2379
e2e_wait 20 etcdctl_ "$ep" endpoint health || e2e_die "etcd did not start"
cat >"$cfg" <<EOF
profiles:
  hostile:
    etcd: { endpoints: [$ep] }
    timeout: 1s
EOF

P=by-dev/meta/session
etcdctl_ "$ep" put "$P/rootcoord-1" \
	'{"ServerID":1,"ServerName":"rootcoord","Address":"127.144.0.1:53100","Exclusive":true,"Version":"2.5.4","HostName":"rc"}' >/dev/null
# The host name: JSON escapes for ESC, C1 CSI (U+009B) and U+202E, and raw
# bytes that are not UTF-8, repeated to 10 kB.
python3 - "$E2E_TMP/hostile.json" <<'EOF'
import sys
unit = b'\\u001b[2J\\u009b31m\\u202e\xff\x80x'
host = unit * (10240 // len(unit))
open(sys.argv[1], "wb").write(b'{"ServerID":5,"ServerName":"proxy","Address":"127.144.0.5:19529",'
    b'"Version":"2.5.4","HostName":"' + host + b'"}')
EOF
etcdctl_ "$ep" put "$P/proxy-5" <"$E2E_TMP/hostile.json" >/dev/null ||
	e2e_die "cannot plant the hostile session"
etcdctl_ "$ep" put "$P/querynode-9" '{"ServerID":9,"ServerName":' >/dev/null
e2e_check "ground truth: etcd holds the three keys" \
	[ "$(etcdctl_ "$ep" get --prefix --keys-only "$P/" | grep -c .)" = 3 ]

# topology in a pipe (TSV): exit 0, the hostile session listed, escaped.
run -p hostile topology
e2e_check "topology: exit 0 despite the unreadable key" eval "cat '$err'; [ $rc -eq 0 ]"
e2e_check "topology lists the session with the hostile host name (proxy 5)" \
	grep -q "^proxy${tab}5$tab" "$out"
e2e_check "no raw ESC, C1 CSI, U+202E or invalid UTF-8 byte reaches the output" \
	python3 -c 'import sys
b = open(sys.argv[1], "rb").read()
assert b"\x1b" not in b and b"\xc2\x9b" not in b and b"\xe2\x80\xae" not in b
b.decode("utf-8")' "$out"
e2e_check "the host name is cut: the row stays short" \
	python3 -c 'import sys
rows = [l for l in open(sys.argv[1], "rb").read().split(b"\n") if l.startswith(b"proxy")]
assert len(rows) == 1 and len(rows[0]) < 4 * 253 + 400, len(rows[0])' "$out"
e2e_check "the unreadable key is reported on stderr, with its reason" \
	grep -qF "milvusadm: warning: session key '$P/querynode-9' cannot be read: value is not valid JSON" "$err"

run -p hostile topology -o json
e2e_check "topology -o json: the host name cut to 253 bytes, marked with '…'" \
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
p = [c for c in d["components"] if c["role"] == "proxy"]
assert len(p) == 1 and p[0]["server_id"] == 5, p
h = p[0]["host_name"]
assert h.endswith("\u2026") and h.startswith("\x1b[2J\x9b31m\u202e\ufffd"), repr(h[:20])
assert len(h.replace("\ufffd", "?").encode()) <= 253, len(h)' "$out"
e2e_check "topology -o json lists the unreadable key too" \
	[ "$(e2e_json "$out" 'd["unparsable"] == [{"key": "'"$P"'/querynode-9", "reason": "value is not valid JSON"}]')" = yes ]

run -p hostile status -o json
e2e_check "status -o json lists the key and its reason in unparsable[]" \
	[ "$(e2e_json "$out" 'd["unparsable"] == [{"key": "'"$P"'/querynode-9", "reason": "value is not valid JSON"}] and d["unparsable_more"] == 0')" = yes ]
e2e_check "... and raises a session-unparsable alert naming it" \
	[ "$(e2e_json "$out" '[a["object"] for a in d["alert_list"] if a["kind"] == "session-unparsable"] == ["session key '"'$P/querynode-9'"'"]')" = yes ]

run -p hostile watch --once
sed 's/^/# watch stderr: /' "$err" | head -5
e2e_check "watch --once reports the unreadable key on stderr, with its reason" \
	grep -qF "milvusadm: warning: session key '$P/querynode-9' cannot be read: value is not valid JSON" "$err"
e2e_check "watch --once escapes the host name (no raw ESC, C1 CSI or U+202E)" \
	python3 -c 'import sys
b = open(sys.argv[1], "rb").read()
assert b"\x1b" not in b and b"\xc2\x9b" not in b and b"\xe2\x80\xae" not in b' "$out"

# The TUI: the alert in the Alerts view ('0'), and a key that turns
# unreadable while it runs (the watch) raises one too.
if ! $have_tmux; then
	echo "# tmux is not installed: the TUI checks are skipped"
	e2e_done
fi
shell_in live
tm send-keys -t main:live "$M -p hostile" Enter
wait_screen main:live "live" 15 || { screen main:live; e2e_die "the TUI did not start"; }
tm send-keys -t main:live 0
e2e_check "the TUI's Alerts view names the unreadable key" \
	wait_screen main:live "querynode-9" 15
etcdctl_ "$ep" put "$P/datanode-4" '{"ServerID":4,"ServerName":7}' >/dev/null
e2e_check "a key planted while the TUI runs raises its alert (watch)" \
	wait_screen main:live "datanode-4" 15
on_screen main:live "datanode-4' cannot be read: 'ServerName'" && e2e_ok "... with its reason" ||
	{ screen main:live | sed 's/^/# /'; e2e_fail "... with its reason"; }
tm send-keys -t main:live q
e2e_check "q leaves the TUI" wait_screen main:live 'tui$' 5
e2e_done
