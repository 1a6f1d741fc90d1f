#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input of every kind gets one located line and the exit code of its kind:
# durations, roles, theme and lab names, config mistakes found on load, watch
# against an etcd with authentication, and a lab that can be stopped whatever
# the config or -p says.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.103.0.0/24
M=$MILVUSADM
out=$E2E_TMP/out
err=$E2E_TMP/err
cfg=$XDG_CONFIG_HOME/milvusadm/config.yaml
mkdir -p "$(dirname "$cfg")"

# run ARGS...: stdout in $out, stderr in $err, exit code in $rc.
run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
lines() { wc -l <"$1" | tr -d ' '; }
# expect CODE DESC: the last run exited CODE with exactly one line on stderr.
expect() {
	e2e_check "$2: exit $1, one line" eval "cat '$err'; [ $rc -eq $1 ] && [ \$(lines '$err') -eq 1 ]"
}
has() { e2e_check "$1" grep -qE -- "$2" "$err"; }

# A profile whose etcd is not there: the commands below fail before asking it.
cat >"$cfg" <<'EOF'
profiles:
  dead:
    etcd: { endpoints: [http://127.103.0.250:9] }
    timeout: 500ms
EOF

# Durations: plain decimals only, bounded, and a timeout must be positive.
for v in nan inf 0x10s 1e3s 200000000000d; do
	run events --since "$v"
	expect 2 "events --since $v"
done
has "the duration is named" "^milvusadm: bad duration '200000000000d' for --since$"
e2e_register_lab b107
for v in nan 0 0s; do
	run lab up --name b107 --subnet 127.103.0.0/24 --timeout "$v"
	expect 2 "lab up --timeout $v"
done
has "the timeout is named" "^milvusadm: timeout '0s' is not a duration greater than 0$"
run lab restart x --name b107 --timeout nan
expect 2 "lab restart --timeout nan"
run lab up --name b107 --subnet 127.103.0.0/24 --backoff 0x10s
expect 2 "lab up --backoff 0x10s"

# The lab's messages go through the engine: in a runbook, one located line.
printf 'version\nlab up --name b107 --ttl 10x\n' >"$E2E_TMP/rb1"
run -f "$E2E_TMP/rb1"
e2e_check "runbook: bad --ttl is one 'file:line:' line, exit 2" \
	[ "$rc" -eq 2 -a "$(cat "$err")" = "$E2E_TMP/rb1:2: ttl '10x' is not a number of seconds" ]
run lab status -zq
expect 2 "lab status -zq"
has "the bad letter is named, not the verb" "unknown or incomplete option '-z'"
run lab down --subnet 127.103.0.0/24
expect 2 "lab down --subnet (not its option)"
has "the refused option is named, not its value" "unknown or incomplete option '--subnet'"
run lab up --name b107 --ttl
expect 2 "lab up --ttl without a value"
has "the option missing its value is named" "unknown or incomplete option '--ttl'"

# An option a command does not have is named, with the usage, on one line.
run topology --bogus
expect 2 "topology --bogus"
has "the unknown option is named" "^milvusadm: unknown option '--bogus' for 'topology'; usage: milvusadm topology "
run ha check --bogus=1
expect 2 "ha check --bogus=1"
has "... without its value" "unknown option '--bogus' for 'ha check'"

# A mistyped role is a usage error, not an empty table.
run health --role querynodes
expect 2 "health --role querynodes"
has "the role is named" "unknown role 'querynodes'"
run topology --role rootcord
expect 2 "topology --role rootcord"

# The same mistake, the same code: names no theme or lab can have are 2.
run theme use ''
expect 2 "theme use ''"
run theme use ../../etc/passwd
expect 2 "theme use ../../etc/passwd"
run lab status --name ''
expect 2 "lab status --name ''"
run lab down --name ../x
expect 2 "lab down --name ../x"
# The TUI refuses as command mode does: 2 for a profile that is not there...
tui() { TERM=xterm script -qec "'$M' $*" /dev/null >"$out" 2>&1 </dev/null; rc=$?; }
tui -p nosuch
e2e_check "TUI -p nosuch: exit 2 like 'topology -p nosuch'" \
	eval "cat '$out'; [ $rc -eq 2 ] && grep -q \"profile 'nosuch' not found\" '$out'"
run -p nosuch topology
expect 2 "topology -p nosuch"

# watch: etcd unreachable is one 'milvusadm:' line on stderr, exit 4 ...
run watch --once
expect 4 "watch, etcd unreachable"
has "with the prefix" "^milvusadm: etcd unreachable: '"
e2e_check "'etcd unreachable' is said once, on stderr only" \
	eval "! grep -q 'etcd unreachable: etcd unreachable' '$err' && ! grep -q unreachable '$out'"
printf 'watch\n' >"$E2E_TMP/rb2"
run -f "$E2E_TMP/rb2"
expect 4 "watch in a runbook (no extra \"'watch' failed\" line)"
has "the error itself, located" "^$E2E_TMP/rb2:1: etcd unreachable: '"

# ... and against an etcd with authentication it works, as every command does.
etcd_dir=$E2E_TMP/etcd
etcd --name b107 --data-dir "$etcd_dir" \
	--listen-client-urls http://127.103.0.240:2379 \
	--advertise-client-urls http://127.103.0.240:2379 \
	--listen-peer-urls http://127.103.0.240:2380 \
	--initial-advertise-peer-urls http://127.103.0.240:2380 \
	--initial-cluster b107=http://127.103.0.240:2380 >"$E2E_TMP/etcd.log" 2>&1 &
etcd_pid=$!
# (exit $r): e2e_cleanup takes the script's exit code from $?.
trap 'r=$?; kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; (exit $r); e2e_cleanup' EXIT
ep=http://127.103.0.240:2379
e2e_wait 20 etcdctl_ "$ep" endpoint health || e2e_die "etcd did not start"
etcdctl_ "$ep" user add root:s3cret >/dev/null &&
	etcdctl_ "$ep" auth enable >/dev/null || e2e_die "cannot enable etcd auth"
etcdctl_ "$ep" --user root:s3cret put by-dev/meta/session/proxy-7 \
	'{"ServerID":7,"ServerName":"proxy","Address":"127.103.0.241:19529","Version":"2.5.4","HostName":"h"}' >/dev/null
printf 's3cret\n' >"$E2E_TMP/etcd-pw"
cat >"$cfg" <<EOF
profiles:
  auth:
    etcd: { endpoints: [$ep], username: root, password_file: $E2E_TMP/etcd-pw }
EOF
run watch --once
e2e_check "watch with etcd auth: exit 0, the session shown" \
	eval "cat '$err'; [ $rc -eq 0 ] && grep -q proxy-7 '$out'"
kill "$etcd_pid" 2>/dev/null
wait "$etcd_pid" 2>/dev/null

# Config mistakes are found on load, with file:line:column, exit 1 as every
# config error, before any command connects.
cat >"$cfg" <<'EOF'
profiles:
  a:
    etcd:
      endpoints: [http://127.103.0.250:9, 127.0.0.1:2379]
EOF
run topology
expect 1 "an endpoint without a scheme"
has "... located and named" "^milvusadm: $cfg:4:[0-9]+: 'etcd.endpoints': '127.0.0.1:2379' is not an http:// or https:// URL$"
cat >"$cfg" <<'EOF'
profiles:
  a:
    etcd:
      endpoints: [http://127.103.0.250:9]
      username: root
EOF
run topology
expect 1 "etcd.username without etcd.password_file"
has "... located and named" "^milvusadm: $cfg:5:7: 'etcd.username' needs 'etcd.password_file'"

# No cluster at all: the TUI says so with 4, as command mode does.
: >"$cfg"
tui
e2e_check "TUI without a cluster: exit 4 like 'topology'" \
	eval "cat '$out'; [ $rc -eq 4 ] && grep -q 'no cluster is configured' '$out'"

# The lab verbs load no config: a broken file or a mistyped -p never keeps a
# lab from being looked at, signalled, restarted or stopped.
lab_up b107 127.103.0.0/24 --etcd 1 --standalone
# An ID names one component: no match is a failure, said, not an empty table.
run -p lab-b107 topology --id 99
expect 1 "topology --id 99 with no such component"
has "... and says which ID" "^milvusadm: no component with server ID 99$"
e2e_check "... with nothing on stdout" [ ! -s "$out" ]
printf 'profiles: [\n' >"$cfg"
run topology
expect 1 "the broken config is reported"
run lab status --name b107
e2e_check "lab status with a broken config" [ "$rc" -eq 0 ]
run -p nosuch lab status --name b107
e2e_check "lab status with -p nosuch" [ "$rc" -eq 0 ]
run lab kill standalone-1 --name b107 --signal CONT
e2e_check "lab kill with a broken config" eval "cat '$err'; [ $rc -eq 0 ]"
run -p nosuch lab restart standalone-1 --name b107 --timeout 60s
e2e_check "lab restart with -p nosuch and a broken config" eval "cat '$err'; [ $rc -eq 0 ]"
run lab down --name b107
e2e_check "lab down with a broken config" eval "cat '$err'; [ $rc -eq 0 ]"
e2e_check "no process of the lab is left" e2e_wait 10 no_lab_process b107

e2e_done
