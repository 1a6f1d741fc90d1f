#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills and bad input, without a lab: a malformed target or an option of
# another verb is a usage error (exit 2) before anything is contacted; etcd
# that does not answer is exit 4; a saved report's strings from the cluster
# cannot drive the terminal through `drill show --markdown`.
set -u
. "$E2E_LIB"
e2e_init 127.105.0.0/24
M=$MILVUSADM
out=$E2E_TMP/out
err=$E2E_TMP/err

# run ARGS...: stdout in $out, stderr in $err, exit code in $rc.
run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
lines() { wc -l <"$1" | tr -d ' '; }
# usage DESC ARGS...: exit 2 with one line on stderr.
usage() {
	desc=$1
	shift
	run "$@"
	e2e_check "$desc: exit 2, one line" [ "$rc" -eq 2 -a "$(lines "$err")" -eq 1 ]
}

# Nothing listens on port 1 of the test's own subnet: connections are refused.
mkdir -p "$XDG_CONFIG_HOME/milvusadm"
cat >"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<'EOF'
profiles:
  down:
    etcd: { endpoints: [http://127.105.0.1:1] }
    milvus: { uri: http://127.105.0.1:2 }
EOF

run -p down drill plan rootcoord
e2e_check "drill plan with etcd down: exit 4, one line" \
	[ "$rc" -eq 4 -a "$(lines "$err")" -eq 1 ]
e2e_check "the line says etcd is unreachable, once" \
	[ "$(grep -o 'unreachable' "$err" | wc -l)" -eq 1 ]
run -p down drill run rootcoord --confirm rootcoord
e2e_check "drill run with etcd down: exit 4" [ "$rc" -eq 4 ]

# The target's form is checked before etcd is asked (these would be exit 4).
usage "querynode/12x" -p down drill plan querynode/12x
grep -q "positive decimal ID" "$err" || e2e_fail "querynode/12x: the line says why"
usage "querynode/+12" -p down drill plan querynode/+12
usage "querynode/0" -p down drill plan querynode/0
usage "an unknown role" -p down drill plan foo
grep -q "target 'foo' is not a Milvus role" "$err" || e2e_fail "foo: the line says why"
usage "etcd/ without a member name" -p down drill plan etcd/
usage "drill run of an unknown role, even confirmed" -p down drill run foo --confirm foo

# Options of another verb are not silently ignored.
usage "drill history --rto" drill history --rto 1s
grep -q "option '--rto' does not apply to 'drill history'" "$err" ||
	e2e_fail "history --rto: the line names the option and the verb"
usage "drill show --confirm" drill show last --confirm x
usage "drill run --markdown" -p down drill run rootcoord --markdown
usage "drill plan --confirm" -p down drill plan rootcoord --confirm rootcoord
usage "drill run --target" -p down drill run rootcoord --target rootcoord

# A saved report whose address and note carry terminal escapes (they came
# from a session in etcd): shown escaped, never raw.
dir=$XDG_STATE_HOME/milvusadm/drills
mkdir -p "$dir"
python3 - "$dir/20261127T120000Z-rootcoord.json" <<'EOF'
import json, sys
json.dump({"kind": "drill-report", "version": 1, "id": "20261127T120000Z-rootcoord",
           "created_ms": 1795780800000, "profile": "down",
           "target": {"name": "rootcoord", "kind": "coordinator", "role": "rootcoord",
                      "server_id": 7, "address": "10.0.0.7:53100\u001b]0;owned\u0007",
                      "host_name": "evil\u001b]0;owned\u0007\u001b[2J"},
           "backend": {"name": "etcd-lease", "signal": "lease revoke"},
           "verdict": "met", "rto_ms": 1200, "notes": ["note \u001b[31mred"]},
          open(sys.argv[1], "w"))
EOF
# And half a report, as a crash while writing would have left before reports
# were written whole: history goes on without it.
printf '{"kind": "drill-report", "id": "2026' >"$dir/20261127T110000Z-proxy.json"
run drill show 20261127T120000Z-rootcoord --markdown
e2e_check "drill show --markdown of that report: exit 0" [ "$rc" -eq 0 ]
e2e_check "no raw escape or bell reaches the terminal" \
	sh -c "! grep -q \"\$(printf '\\033')\" '$out' && ! grep -q \"\$(printf '\\007')\" '$out'"
e2e_check "the escapes are shown as \\x1b and \\x07" \
	sh -c "grep -qF '53100\\x1b]0;owned\\x07' '$out' && grep -qF 'note \\x1b[31mred' '$out'"
run drill history
e2e_check "drill history skips the half report and lists the whole one" \
	sh -c "[ $rc -eq 0 ] && grep -q 20261127T120000Z-rootcoord '$out' &&
	    ! grep -q 20261127T110000Z-proxy '$out'"

e2e_done
