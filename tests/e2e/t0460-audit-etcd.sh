#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The audit trail mirrored into etcd (audit.etcd_mirror), against a bare
# etcd: each line of a mutating command is a key under <prefix>audit/ named
# by its time, the trail is trimmed to audit.etcd_keep, `audit --shared`
# reads it back (a corrupt value planted with etcdctl is skipped with a
# warning, exit 0), and an etcd that is not there or a prefix inside
# Milvus's root path cost one warning, never the action. Ground truth is
# etcdctl's.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.121.0.0/24
M=$MILVUSADM
ep=http://127.121.0.2:2379

etcd --name a460 --data-dir "$E2E_TMP/etcd" \
	--listen-client-urls $ep --advertise-client-urls $ep \
	--listen-peer-urls http://127.121.0.2:2380 \
	--initial-advertise-peer-urls http://127.121.0.2:2380 \
	--initial-cluster a460=http://127.121.0.2:2380 >"$E2E_TMP/etcd.log" 2>&1 &
etcd_pid=$!
# (exit $r): e2e_cleanup takes the script's exit code from $?.
trap 'r=$?; kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; (exit $r); e2e_cleanup' EXIT
e2e_wait 20 etcdctl_ "$ep" endpoint health || e2e_die "etcd did not start"

mkdir -p "$XDG_CONFIG_HOME/milvusadm"
cat >"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<EOF
default_profile: team
profiles:
  team:
    etcd: { endpoints: [$ep] }
    backup: { url: "http://127.121.0.250:8080", timeout: 1s }
    audit: { etcd_mirror: true, etcd_keep: 10 }
  other:
    etcd: { endpoints: [$ep] }
    backup: { url: "http://127.121.0.250:8080", timeout: 1s }
    audit: { etcd_mirror: true, etcd_keep: 10 }
  inside:
    etcd: { endpoints: [$ep] }
    guards: { etcd_prefix: "by-dev/tool/" }
    audit: { etcd_mirror: true }
  gone:
    etcd: { endpoints: [http://127.121.0.9:2379] }
    timeout: 1s
    audit: { etcd_mirror: true }
  quiet:
    etcd: { endpoints: [$ep] }
    guards: { etcd_prefix: "quiet/" }
EOF
LOG=$XDG_STATE_HOME/milvusadm/audit.log
keys() { etcdctl_ "$ep" get --prefix --keys-only "$1" | grep .; }

# Refused by the guard (no --confirm): exit 3, nothing but the audit is touched.
rcs=""
for i in 1 2 3 4 5 6; do
	"$M" backup delete "bk$i" >/dev/null 2>"$E2E_TMP/w$i"; rcs="$rcs$?"
done
"$M" -p other backup delete bk7 >/dev/null 2>"$E2E_TMP/w7"; rcs="$rcs$?"
e2e_check "seven refused deletes: exit 3 each, no warning" \
	eval "[ $rcs = 3333333 ] && ! cat $E2E_TMP/w[1-7] | grep -q warning"
keys milvusadm/audit/ >"$E2E_TMP/keys"
sed 's/^/# /' "$E2E_TMP/keys"
e2e_check "14 lines written, audit.etcd_keep 10 kept in etcd" [ "$(wc -l <"$E2E_TMP/keys")" = 10 ]
e2e_check "the kept keys are the newest 10 lines of the log, named <ms>-<id>-<phase>, in order" \
	python3 - "$LOG" "$E2E_TMP/keys" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 14, len(lines)
want = ["milvusadm/audit/%013d-%s-%s" % (l["time_ms"], l["id"], l["phase"]) for l in lines[-10:]]
got = open(sys.argv[2]).read().split()
assert got == want, (got, want)
PY
k=$(head -1 "$E2E_TMP/keys")
etcdctl_ "$ep" get --print-value-only "$k" >"$E2E_TMP/v1"
e2e_check "a key's value is the log's line itself" \
	eval "grep -qxF -f $E2E_TMP/v1 $LOG && grep -q '\"phase\"' $E2E_TMP/v1"

"$M" audit --shared -o json >"$E2E_TMP/shared.json" 2>"$E2E_TMP/shared.err"
e2e_check "audit --shared -o json: the 10 lines from etcd, oldest first, exit 0" \
	python3 - "$E2E_TMP/shared.json" "$E2E_TMP/keys" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "audit" and d["shared"] is True and d["path"] is None, d
assert d["prefix"] == "milvusadm/audit/" and d["skipped"] == 0, d
got = ["milvusadm/audit/%013d-%s-%s" % (r["time_ms"], r["id"], r["phase"]) for r in d["records"]]
assert got == open(sys.argv[2]).read().split(), got
assert d["records"][-1]["profile"] == "other" and d["records"][-1]["outcome"] == "refused"
PY
e2e_check "--profile filters the shared trail (other's 2 lines)" \
	[ "$("$M" audit --shared --profile other -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))')" = 2 ]
"$M" audit --shared >"$E2E_TMP/shared.txt" 2>&1
e2e_check "in a pipe: TSV rows, as the local log's" \
	eval "[ \$(grep -c 'backup delete' $E2E_TMP/shared.txt) = 10 ] && grep -q \$'\\trefused' $E2E_TMP/shared.txt"

etcdctl_ "$ep" put "milvusadm/audit/0000000000001-planted-end" '{broken' >/dev/null
etcdctl_ "$ep" put "milvusadm/audit/0000000000002-planted-end" \
	"$(printf '{"time_ms":2,"phase":"end","command":"x\033[31m"}')" >/dev/null
"$M" audit --shared -o json >"$E2E_TMP/c.json" 2>"$E2E_TMP/c.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/c.err"
e2e_check "a corrupt value is skipped with a warning naming its key, exit 0" \
	eval "[ $rc = 0 ] && grep -q \"audit trail key 'milvusadm/audit/0000000000001-planted-end' skipped\" $E2E_TMP/c.err &&
	[ \"\$(e2e_json $E2E_TMP/c.json 'd[\"skipped\"]')\" = 1 ] &&
	[ \"\$(e2e_json $E2E_TMP/c.json 'len(d[\"records\"])')\" = 11 ]"
"$M" audit --shared >"$E2E_TMP/c.txt" 2>&1
e2e_check "a value's control characters never reach the terminal" \
	eval "! grep -q \$'\\033' $E2E_TMP/c.txt"
"$M" audit --shared --since 1h -o json >"$E2E_TMP/s.json" 2>/dev/null
e2e_check "--since leaves out the planted lines of 1970" \
	[ "$(e2e_json "$E2E_TMP/s.json" 'len(d["records"])')" = 10 ]
"$M" backup delete bk8 >/dev/null 2>&1
e2e_check "the next write trims the planted keys too: 10 again" \
	[ "$(keys milvusadm/audit/ | wc -l)" = 10 ]

"$M" audit --shared --follow >/dev/null 2>"$E2E_TMP/f.err"
e2e_check "--follow with --shared is refused, exit 2, saying why" \
	eval "[ $? = 2 ] && grep -q -- '--follow reads the local log only' $E2E_TMP/f.err"

"$M" -p inside backup delete bk9 >/dev/null 2>"$E2E_TMP/in.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/in.err"
e2e_check "a prefix inside etcd.root_path: the action goes on (3), one warning line" \
	eval "[ $rc = 3 ] && [ \$(grep -c warning $E2E_TMP/in.err) = 1 ] &&
	grep -q \"warning: audit trail in etcd: guards.etcd_prefix 'by-dev/tool/' is not outside etcd.root_path 'by-dev'\" $E2E_TMP/in.err"
e2e_check "... and nothing was written under Milvus's root path" \
	[ -z "$(etcdctl_ "$ep" get --prefix --keys-only by-dev/ | grep .)" ]
"$M" -p inside audit --shared >/dev/null 2>"$E2E_TMP/in2.err"
e2e_check "audit --shared on that profile: refused, exit 1" \
	eval "[ $? = 1 ] && grep -q 'is not outside etcd.root_path' $E2E_TMP/in2.err"

t0=$(now_ms)
"$M" -p gone backup delete bk10 >/dev/null 2>"$E2E_TMP/gone.err"
rc=$? took=$(( $(now_ms) - t0 ))
sed 's/^/# /' "$E2E_TMP/gone.err"
e2e_check "etcd not there: the action goes on (3) with one warning, in ${took} ms" \
	eval "[ $rc = 3 ] && [ \$(grep -c 'warning: audit trail in etcd' $E2E_TMP/gone.err) = 1 ] && [ $took -lt 5000 ]"
e2e_check "... and its lines are in the local log all the same" \
	eval "[ \$(grep -c '\"profile\":\"gone\"' $LOG) = 2 ]"
"$M" -p gone audit --shared >/dev/null 2>&1
e2e_check "audit --shared with etcd not there: exit 4" [ $? = 4 ]

"$M" -p quiet backup delete bk11 >/dev/null 2>&1
e2e_check "audit.etcd_mirror false (the default): nothing written to etcd" \
	[ -z "$(etcdctl_ "$ep" get --prefix --keys-only quiet/ | grep .)" ]
e2e_done
