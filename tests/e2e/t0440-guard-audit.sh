#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one guard and the audit log, in scripts, without a cluster: the guard
# decides before anything is contacted (a backup server that is not there
# is only reached once the guard let the command through). A production
# profile wants PROFILE/NAME; --yes, a pattern and a wrong-case name are
# refused (exit 3); every mutating command leaves a begin and an end line
# with the guard's decision, and planted secrets (token file, password file,
# URL credentials, an option named like a secret) appear in no file the tool
# wrote.
set -u
. "$E2E_LIB"
e2e_init 127.118.0.0/24
M=$MILVUSADM

mkdir -p "$XDG_CONFIG_HOME/milvusadm"
printf 'alice:TOKEN-PLANTED-7731' >"$E2E_TMP/token"
printf 'PASSWORD-PLANTED-4419' >"$E2E_TMP/bkpass"
cat >"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<EOF
default_profile: dev
profiles:
  dev:
    etcd: { endpoints: [http://127.118.0.2:2379] }
    milvus: { uri: "http://root:URI-PLANTED-5520@127.118.0.3:19530", token_file: "$E2E_TMP/token" }
    backup: { url: "http://127.118.0.250:8080", timeout: 1s, username: bob, password_file: "$E2E_TMP/bkpass" }
  prod:
    production: true
    etcd: { endpoints: [http://127.118.0.2:2379] }
    backup: { url: "http://127.118.0.250:8080", timeout: 1s }
EOF
LOG=$XDG_STATE_HOME/milvusadm/audit.log

"$M" backup delete bk1 >/dev/null 2>"$E2E_TMP/e1"; r1=$?
"$M" backup delete bk1 --confirm BK1 >/dev/null 2>"$E2E_TMP/e2"; r2=$?
"$M" backup delete 'bk*' --confirm 'bk*' >/dev/null 2>"$E2E_TMP/e3"; r3=$?
"$M" backup delete bk1 --yes >/dev/null 2>"$E2E_TMP/e4"; r4=$?
e2e_check "no confirmation, wrong case, a pattern, --yes: exit 3 each" [ "$r1$r2$r3$r4" = 3333 ]
e2e_check "each says why" eval "grep -q 'nobody to ask: give --confirm bk1' $E2E_TMP/e1 &&
	grep -q \"does not match 'bk1'\" $E2E_TMP/e2 && grep -q 'not a pattern' $E2E_TMP/e3 &&
	grep -q -- '--yes is not a confirmation' $E2E_TMP/e4"
"$M" backup delete bk1 --confirm bk1 >/dev/null 2>&1
e2e_check "the exact name passes the guard; then the server is not there: exit 4" [ $? = 4 ]

"$M" -p prod backup delete bk1 --confirm bk1 >/dev/null 2>"$E2E_TMP/p1"; r1=$?
"$M" -p prod backup delete bk1 --confirm prod/bk1 >/dev/null 2>&1; r2=$?
e2e_check "production profile: the bare name is refused (3), prod/bk1 passes (4: no server)" \
	[ "$r1$r2" = 34 ]
e2e_check "the refusal names what to give" grep -q "does not match 'prod/bk1'" "$E2E_TMP/p1"
"$M" --read-only backup delete bk1 --confirm bk1 >/dev/null 2>&1
e2e_check "--read-only: exit 3" [ $? = 3 ]

"$M" backup create --name x --password PASSWORD-PLANTED-ARG >/dev/null 2>&1
"$M" restore bk1 --drop-existing --confirm bk1 --rename "default.a:default.b" >/dev/null 2>&1
e2e_check "the audit log: a begin and an end line for each of the 10 mutating commands" \
	python3 - "$LOG" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
begins = [l for l in lines if l["phase"] == "begin"]
ends = {l["id"]: l for l in lines if l["phase"] == "end"}
assert len(begins) == 10 and len(ends) == 10, (len(begins), len(ends))
assert all(b["id"] in ends for b in begins)
e = [ends[b["id"]] for b in begins]
assert [x["outcome"] for x in e[:4]] == ["refused"] * 4, e[:4]
assert e[4]["guard"] == "--confirm" and e[4]["target"] == "bk1" and e[4]["outcome"] == "unreachable", e[4]
assert e[5]["guard"] == "refused" and e[5]["profile"] == "prod", e[5]
assert e[6]["target"] == "prod/bk1" and e[6]["exit_code"] == 4, e[6]
assert e[7]["outcome"] == "refused" and e[7]["guard"] is None, e[7]
assert e[8]["outcome"] == "usage" and "***" in e[8]["args"], e[8]
assert e[9]["guard"] == "--confirm" and e[9]["command"] == "restore", e[9]
assert e[0]["milvus_user"] == "alice" and e[0]["os_user"] and e[0]["host"], e[0]
PY
"$M" audit -o json >"$E2E_TMP/audit.json"
e2e_check "audit -o json lists the 20 lines; --profile prod only prod's 4" \
	[ "$(e2e_json "$E2E_TMP/audit.json" 'len(d["records"])')" = 20 -a \
	  "$("$M" audit --profile prod -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))')" = 4 ]
echo '{broken' >>"$LOG"
"$M" audit >/dev/null 2>"$E2E_TMP/skip.err"
e2e_check "a corrupt line is skipped with a warning, exit 0" \
	eval "[ $? = 0 ] && grep -q 'audit log line 21 skipped' $E2E_TMP/skip.err"
"$M" audit --since 1h --follow -o json >"$E2E_TMP/follow.out" 2>/dev/null &
fpid=$!
sleep 1
"$M" backup delete bk2 --confirm bk2 >/dev/null 2>&1
e2e_check "audit --follow prints the new lines as they are appended" \
	e2e_wait 10 eval "grep -q '\"command\":\"backup delete\".*bk2' $E2E_TMP/follow.out"
kill -INT "$fpid" 2>/dev/null
wait "$fpid"
e2e_check "--follow ends on Ctrl-C with exit 0" [ $? = 0 ]

planted() { grep -rl -e PLANTED "$XDG_STATE_HOME" 2>/dev/null; }
e2e_check "no planted secret in any file the tool wrote (state dir)" [ -z "$(planted)" ]
e2e_check "...nor in its error messages" eval "! grep -q PLANTED $E2E_TMP/e1 $E2E_TMP/e2 $E2E_TMP/e3 $E2E_TMP/e4 $E2E_TMP/p1 $E2E_TMP/skip.err"
e2e_done
