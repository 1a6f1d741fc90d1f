#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The config commands the man page promises (config keys, show, check), the
# drill backends named as drills take them, secrets that never show and a
# secret file too big to be one; and hostile input against a bare etcd: a
# session whose host name carries a one-byte CSI (U+009B) and a bidi override
# (U+202E) reaches the terminal escaped, and an endpoint's user:password@
# never appears in an etcd error.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.135.0.0/24
M=$MILVUSADM
out=$E2E_TMP/out
err=$E2E_TMP/err
cfg=$XDG_CONFIG_HOME/milvusadm/config.yaml
mkdir -p "$(dirname "$cfg")"
run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
ep=http://127.135.0.10:2379

# --- config keys: the table, with the backends' real names -------------------
run config keys -o json
e2e_check "config keys -o json: exit 0, every key of the man page" python3 - "$out" \
    "$(dirname "$E2E_DIR")/../man/milvusadm.conf.5" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "config-keys", d["kind"]
keys = {k["key"]: k for k in d["keys"]}
page = open(sys.argv[2]).read()
# default_profile is the file's own key, not a profile's.
documented = set(re.findall(r"^\.It Cm ([a-z_.]+) Ar", page, re.M)) - {"default_profile"}
assert set(keys) == documented, (set(keys) ^ documented)
b = keys["drill.backend"]
assert b["values"] == "etcd-lease|stop|k8s|docker|exec|lab", b
assert keys["milvus.metrics_port"]["default"] == "9091"
print(len(keys), "keys")
PY
e2e_check "the man page lists the backends drills accept, not 'etcd' or 'command'" \
	eval "grep -A12 '^.It Cm drill.backend' '$(dirname "$E2E_DIR")/../man/milvusadm.conf.5' |
	    grep -q 'etcd-lease' && ! grep -A12 '^.It Cm drill.backend' \
	    '$(dirname "$E2E_DIR")/../man/milvusadm.conf.5' | grep -qE '^.Ql (etcd|command) ,?$'"

# --- config check: the loader's own verdict, located -------------------------
cat >"$E2E_TMP/bad.yaml" <<'EOF'
profiles:
  prod:
    etcd: { endpoints: [http://127.135.0.10:2379] }
    drill: { backend: etcd }
EOF
run config check "$E2E_TMP/bad.yaml"
e2e_check "config check: a backend drills refuse is refused on load, located, exit 1" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -qx \"milvusadm: $E2E_TMP/bad.yaml:4:23: 'drill.backend': 'etcd' is not one of etcd-lease, stop, k8s, docker, exec or lab (did you mean 'etcd-lease'?)\" '$err'"
sed -i 's/backend: etcd/backend: command/' "$E2E_TMP/bad.yaml"
run config check "$E2E_TMP/bad.yaml"
e2e_check "config check: 'command' (an older page's name) is refused too" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q \"'drill.backend': 'command' is not one of\" '$err'"
run config check "$E2E_TMP/missing.yaml"
e2e_check "config check of a file that is not there: exit 1" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q 'missing.yaml' '$err'"

# --- config show: resolved, secrets never shown ------------------------------
printf 'Etcd-Pa55word-5271\n' >"$E2E_TMP/etcd-pw"
chmod 600 "$E2E_TMP/etcd-pw"
cat >"$cfg" <<EOF
default_profile: hostile
profiles:
  hostile:
    etcd: { endpoints: ["$ep"] }
    drill: { backend: exec }
    timeout: 2s
  creds:
    etcd: { endpoints: ["http://ops:Url-Pa55-9134@127.135.0.10:2380"],
            username: ops, password_file: "$E2E_TMP/etcd-pw" }
    timeout: 2s
EOF
run config check
e2e_check "config check of the default file: exit 0, its profiles" \
	eval "cat '$out' '$err'; [ $rc -eq 0 ] && grep -q hostile '$out' && grep -q creds '$out'"
run config show -p creds -o json
e2e_check "config show -p creds: no password of the URL or the file, the path instead" \
	eval "cat '$out' '$err'; [ $rc -eq 0 ] && ! grep -q 'Url-Pa55-9134' '$out' &&
	    ! grep -q 'Etcd-Pa55word' '$out' && grep -q 'ops:\*\*\*@127.135.0.10:2380' '$out' &&
	    grep -q '$E2E_TMP/etcd-pw' '$out'"
e2e_check "config show: set and default are told apart" python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = {r["key"]: r for r in d["keys"]}
assert d["profile"] == "creds"
assert k["timeout"]["source"] == "set" and k["timeout"]["value"] == "2s", k["timeout"]
assert k["etcd.root_path"]["source"] == "default", k["etcd.root_path"]
assert k["drill.backend"]["source"] == "unset", k["drill.backend"]
PY
run config show -p nosuch
e2e_check "config show -p nosuch: exit 2" eval "cat '$err'; [ $rc -eq 2 ]"

# --- a secret file over the limit is refused, not cut short ------------------
head -c 5000 /dev/zero | tr '\0' 'x' >"$E2E_TMP/big-pw"
sed -i "s|$E2E_TMP/etcd-pw|$E2E_TMP/big-pw|" "$cfg"
run -p creds topology
e2e_check "a 5000-byte password file: exit 1, refused with the limit named" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q \"etcd password file '$E2E_TMP/big-pw' is larger than 4096 bytes: refused\" '$err'"
sed -i "s|$E2E_TMP/big-pw|$E2E_TMP/etcd-pw|" "$cfg"

# --- a bare etcd with a hostile session ---------------------------------------
etcd --name h495 --data-dir "$E2E_TMP/etcd" \
	--listen-client-urls "$ep" --advertise-client-urls "$ep" \
	--listen-peer-urls http://127.135.0.10:2380 \
	--initial-advertise-peer-urls http://127.135.0.10:2380 \
	--initial-cluster h495=http://127.135.0.10:2380 >"$E2E_TMP/etcd.log" 2>&1 &
etcd_pid=$!
trap 'r=$?; kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; (exit $r); e2e_cleanup' EXIT
e2e_wait 20 etcdctl_ "$ep" endpoint health || e2e_die "etcd did not start"
# U+009B (C2 9B) is a CSI on terminals that take 8-bit controls; U+202E
# (E2 80 AE) shows the rest of the name backwards.
host=$(printf 'evil\xc2\x9b31mred\xe2\x80\xaetxt.exe')
etcdctl_ "$ep" put by-dev/meta/session/proxy-9 \
	"{\"ServerID\":9,\"ServerName\":\"proxy\",\"Address\":\"127.135.0.11:19529\",\"Version\":\"2.5.4\",\"HostName\":\"$host\"}" \
	>/dev/null || e2e_die "cannot plant the session"

"$M" watch --once >"$out" 2>"$err" </dev/null
rc=$?
e2e_check "watch --once: exit 0, the hostile session listed" \
	eval "cat '$err'; [ $rc -eq 0 ] && grep -q proxy-9 '$out'"
e2e_check "watch --once writes neither U+009B nor U+202E raw" \
	eval "! LC_ALL=C grep -q \"\$(printf '\\xc2\\x9b')\" '$out' &&
	    ! LC_ALL=C grep -q \"\$(printf '\\xe2\\x80\\xae')\" '$out'"
e2e_check "watch --once shows them escaped, as every other command does" \
	grep -qF 'evil\u009b31mred\u202etxt.exe' "$out"
"$M" topology >"$E2E_TMP/topo" 2>/dev/null </dev/null
e2e_check "watch and topology escape the host name the same way" \
	eval "grep -qF 'evil\u009b31mred\u202etxt.exe' '$E2E_TMP/topo'"
run watch --once -o json
e2e_check "watch --once -o json: the raw name, as valid JSON" python3 - "$out" "$host" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [r for r in d["components"] if r["component"] == "proxy-9"]
assert rows and rows[0]["host_name"] == sys.argv[2].encode("utf-8", "surrogateescape").decode("utf-8"), rows
PY

# --- etcd errors name an endpoint without its password ------------------------
# The peer port answers HTTP but is no gateway: the error names the endpoint.
run -p creds topology
e2e_check "an endpoint's user:password@ never appears in an etcd error" \
	eval "cat '$err'; [ $rc -ne 0 ] && grep -q '127.135.0.10:2380' '$err' &&
	    ! grep -q 'Url-Pa55-9134' '$err' && ! grep -q 'Etcd-Pa55word' '$err'"

e2e_done
