#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shell completes live names, driven in tmux against a lab: collections
# ("replicas de<TAB>" → default.…), databases, server IDs (the same set as
# etcdctl's session keys), names gathered again after 10 s; with an unreachable
# cluster there are no candidates, no error output and the prompt stays usable.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.85.5.0/24
ep=http://127.85.5.2:2379
M=$MILVUSADM

lab_up sc "$E2E_SUBNET" --etcd 1
proxy=$("$M" lab status --name sc -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["name"].startswith("proxy")][0])')
rest=http://$proxy:19530/v2/vectordb
cat >>"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<'YAML'
    dead:
      etcd: { endpoints: ["http://127.85.6.9:2379"] }
YAML

sock="sc-$$"
tm() { tmux -L "$sock" "$@"; }
# -J joins lines the terminal wrapped: a long JSON line is one line again.
screen() { tm capture-pane -p -J -t sh; }
screen_has() { screen | grep -qF -- "$1"; }
cleanup_tmux() {
	tm kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
}
# (e2e_cleanup keeps the temporary files when the test failed: pass $? on)
trap 'rc_=$?; cleanup_tmux; (exit $rc_); e2e_cleanup' EXIT
# shell [ARGS...]: a fresh shell in tmux, its stderr kept apart.
shell() {
	cleanup_tmux
	tm new-session -d -s sh -x 160 -y 40 \
		"env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' TERM=xterm '$M' $* shell 2>'$E2E_TMP/shell.err'; sleep 60"
}

# Ground truth: collections by curl on REST v2, server IDs by etcdctl.
truth_collections() {
	python3 - "$rest" <<'PY'
import json, sys, urllib.request
rest = sys.argv[1]
def post(path, body):
    r = urllib.request.urlopen(urllib.request.Request(rest + "/" + path,
        data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}), timeout=5)
    return json.load(r)["data"]
for db in post("databases/list", {}):
    for c in post("collections/list", {"dbName": db}):
        print(db + "." + c)
PY
}
truth_collections >"$E2E_TMP/colls"
ids=$(etcdctl_ "$ep" get --prefix by-dev/meta/session/ --print-value-only |
	python3 -c 'import json,sys
ids=set()
for l in sys.stdin:
    try: ids.add(json.loads(l)["ServerID"])
    except (ValueError, KeyError, TypeError): pass
print(" ".join(str(i) for i in sorted(ids)))')
echo "# collections: $(tr '\n' ' ' <"$E2E_TMP/colls")"
echo "# server IDs: $ids"
e2e_check "the lab has default.* collections" grep -q '^default\.' "$E2E_TMP/colls"

# Lease timetolive calls etcd has served (its gRPC counters count the JSON
# gateway's calls too): completion needs the session names, not one TTL per
# session, which on a large cluster held the prompt for seconds. Counted from
# before the shell starts: it gathers the names then, and again on Tab.
ttl_calls() {
	curl -s "$ep/metrics" | awk '/^grpc_server_started_total\{.*grpc_method="LeaseTimeToLive"/ {
		n += $2 } END { print n + 0 }'
}
ttl0=$(ttl_calls)
shell
e2e_check "shell prompt" e2e_wait 10 screen_has "milvusadm(lab-sc)>"
# The words between the last two prompt lines: what Tab Tab listed.
listed() {
	screen | awk '/^milvusadm\(/ { p = q; q = NR } { l[NR] = $0 }
		END { for (i = p + 1; i < q; i++) print l[i] }' |
		tr -s ' ' '\n' | grep . | sort -u
}
tm send-keys -t sh "replicas de" Tab
e2e_check "'replicas de<TAB>' completes to 'default.'" \
	e2e_wait 5 screen_has "milvusadm(lab-sc)> replicas default."
tm send-keys -t sh Tab Tab
want=$(grep '^default\.' "$E2E_TMP/colls" | sort -u)
same_default() { [ "$(listed | grep '^default\.')" = "$want" ]; }
e2e_check "Tab Tab lists the default database's collections (REST v2)" e2e_wait 5 same_default
listed | sed 's/^/# listed: /'
ttl1=$(ttl_calls)
e2e_check "completion asked etcd for no lease TTL ($ttl0 -> $ttl1 calls)" [ "$ttl1" = "$ttl0" ]
"$M" topology >/dev/null
e2e_check "... where topology asks for them (the counter counts)" [ "$(ttl_calls)" -gt "$ttl1" ]
tm send-keys -t sh "do" Tab
e2e_check "'replicas default.do<TAB>' completes to default.docs" \
	e2e_wait 5 screen_has "milvusadm(lab-sc)> replicas default.docs"
tm send-keys -t sh Enter
e2e_check "the completed command runs" e2e_wait 10 screen_has "__default_resource_group"

tm send-keys -t sh C-l "collections --db " Tab Tab
want_dbs=$(cut -d. -f1 "$E2E_TMP/colls" | sort -u)
same_dbs() { [ "$(listed)" = "$want_dbs" ]; }
e2e_check "'collections --db <TAB><TAB>' lists the databases" e2e_wait 5 same_dbs

tm send-keys -t sh C-u C-l "topology --id " Tab Tab
want_ids=$(echo "$ids" | tr ' ' '\n' | sort -u)
same_ids() { [ "$(listed)" = "$want_ids" ]; }
e2e_check "'topology --id <TAB><TAB>' lists the server IDs (etcdctl)" e2e_wait 5 same_ids
listed | tr '\n' ' ' | sed 's/^/# listed: /'; echo
one=$(echo "$ids" | tr ' ' '\n' | sort -n | tail -n1)
uniq_prefix=""
for p in $(seq 1 ${#one}); do
	pre=${one:0:$p}
	if [ "$(echo "$ids" | tr ' ' '\n' | grep -c "^$pre")" = 1 ] && [ "$pre" != "$one" ]; then
		uniq_prefix=$pre
		break
	fi
done
if [ -n "$uniq_prefix" ]; then
	tm send-keys -t sh C-u "topology --id $uniq_prefix" Tab "-o json"
	e2e_check "'topology --id $uniq_prefix<TAB>' completes to server ID $one" \
		e2e_wait 5 screen_has "topology --id $one -o json"
else
	tm send-keys -t sh C-u "topology --id $one " "-o json"
fi
tm send-keys -t sh Enter
e2e_check "... and the command shows that component" e2e_wait 10 screen_has "\"id_filter\":$one,"

# Drill targets: ROLE/ID of every session, each role with an active key, proxy,
# etcd-leader (etcdctl is the ground truth).
want_targets=$( (etcdctl_ "$ep" get --prefix by-dev/meta/session/ -w json | python3 -c 'import base64,json,sys
for kv in json.load(sys.stdin)["kvs"]:
    key = base64.b64decode(kv["key"]).decode().rsplit("/", 1)[1]
    try: v = json.loads(base64.b64decode(kv["value"]))
    except ValueError: continue
    if not isinstance(v, dict) or "ServerName" not in v: continue
    print(key if "-" not in key else "%s/%d" % (key.rsplit("-", 1)[0], v["ServerID"]))'
	echo proxy; echo etcd-leader) | sort -u)
tm send-keys -t sh C-u C-l "drill plan " Tab Tab
same_targets() { [ "$(listed)" = "$want_targets" ]; }
e2e_check "'drill plan <TAB><TAB>' lists the drill targets (etcdctl)" e2e_wait 5 same_targets
listed | tr '\n' ' ' | sed 's/^/# listed: /'; echo
echo "$want_targets" | tr '\n' ' ' | sed 's/^/# want: /'; echo

# Literal alternatives stay words; a metavariable among them completes
# (no drill was saved here: only "last").
tm send-keys -t sh C-u C-l "drill plan rootcoord --signal " Tab Tab
kill_term() { [ "$(listed | tr '\n' ' ')" = "KILL TERM " ]; }
e2e_check "'--signal <TAB><TAB>' lists KILL and TERM" e2e_wait 5 kill_term
tm send-keys -t sh C-u C-l "drill show l" Tab
e2e_check "'drill show l<TAB>' completes to last" e2e_wait 5 screen_has "> drill show last"

# A collection made now shows up once the names are 10 s old.
curl -s -XPOST "$rest/collections/create" \
	-d '{"dbName":"default","collectionName":"delta","dimension":4}' >"$E2E_TMP/create.out"
e2e_check "created default.delta by REST" grep -q '"code":0' "$E2E_TMP/create.out"
sleep 10
tm send-keys -t sh C-u C-l "replicas default.de" Tab
e2e_check "after 10 s the names are gathered again: default.delta completes" \
	e2e_wait 5 screen_has "> replicas default.delta"
tm send-keys -t sh C-u "exit" Enter
sleep 0.5
# (readline rings the terminal bell on stderr when a completion is ambiguous)
no_stderr() { [ -z "$(tr -d '\a' <"$E2E_TMP/shell.err")" ]; }
e2e_check "the shell wrote nothing on stderr" no_stderr
tr -d '\a' <"$E2E_TMP/shell.err" | sed 's/^/# stderr: /'

# Unreachable cluster: no candidates, no error, and the prompt still works.
shell -p dead
e2e_check "shell on an unreachable cluster shows its prompt" e2e_wait 10 screen_has "milvusadm(dead)>"
t0=$(now_ms)
tm send-keys -t sh "replicas de" Tab Tab "x"
e2e_check "no candidates: the word stays as typed" e2e_wait 5 screen_has "milvusadm(dead)> replicas dex"
dt=$(( $(now_ms) - t0 ))
e2e_check "the Tab did not hold the prompt (${dt} ms)" [ "$dt" -lt 3000 ]
e2e_check "no error on the screen" eval "[ \$(screen | grep -c .) -eq 1 ]"
tm send-keys -t sh C-u "version" Enter
e2e_check "the prompt still runs commands" e2e_wait 5 screen_has "$("$M" version)"
tm send-keys -t sh "exit" Enter
sleep 0.5
e2e_check "nothing on stderr" no_stderr
cleanup_tmux
lab_down sc
e2e_done
