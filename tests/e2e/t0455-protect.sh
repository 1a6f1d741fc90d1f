#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Protection on a 2.5 lab, checked with curl and etcdctl: `protect add` puts
# the collection on the shared list in etcd and makes the guard alias, so a
# drop sent straight to Milvus's REST API with curl is refused with Milvus's
# error and `drop collection` refuses it too; `protect remove` is guarded and
# takes away only the alias this tool made (never a user's alias, not even
# one named like the tool's); `protect database` sets and clears
# database.force.deny.collectionDDL; `protect who-can-drop` names the roles
# whose grants let them drop; `drop database` refuses a database that holds
# collections and drops an empty one. A 2.4 lab has no alias guard.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.120.0.0/24
M=$MILVUSADM
tmux_sock="milvusadm-t0455-$$"
. "$E2E_DIR/lib-tmux.sh"
trap 'rc=$?; tm kill-server 2>/dev/null; (exit "$rc"); e2e_cleanup' EXIT

lab_up pro 127.120.0.0/24 --milvus 2.5 --standalone --etcd 1 --no-backup
EP=http://127.120.0.2:2379
proxy=$("$M" lab status --name pro -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] in ("proxy", "standalone")][0])')
REST=http://$proxy:19530/v2/vectordb
OK='{"code":0,"data":{}}'

rest() { curl -s -m 10 -XPOST "$REST/$1" -H 'Content-Type: application/json' -d "$2"; }
has() { rest collections/has "{\"collectionName\":\"$1\"}" | python3 -c 'import json,sys
print("yes" if json.load(sys.stdin)["data"]["has"] else "no")'; }
aliases() { rest aliases/list "{\"collectionName\":\"$1\"}" | python3 -c 'import json,sys
print(" ".join(sorted(json.load(sys.stdin)["data"])))'; }
mk() { rest collections/create "{\"dbName\":\"${2:-default}\",\"collectionName\":\"$1\",\"dimension\":4}"; }

for c in pc pc2 pc3; do mk $c >/dev/null; done
e2e_check "three collections by curl" [ "$(has pc)$(has pc2)$(has pc3)" = yesyesyes ]

# ---- protect add: the shared list and the guard alias ----
"$M" protect add pc -o json >"$E2E_TMP/a.json" 2>"$E2E_TMP/a.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/a.err"
e2e_check "protect add pc: exit 0, the alias made now" \
	[ "$rc" = 0 -a "$(e2e_json "$E2E_TMP/a.json" 'd["server_guard"]')" = "made now" ]
e2e_check "etcdctl: milvusadm/protect/default/pc is there, naming the alias" \
	eval "etcdctl_ $EP get --print-value-only milvusadm/protect/default/pc | grep -q '\"alias\":\"milvusadm_guard_pc\"'"
e2e_check "curl: pc has the alias milvusadm_guard_pc" [ "$(aliases pc)" = milvusadm_guard_pc ]
rest collections/drop '{"collectionName":"pc"}' >"$E2E_TMP/curl-drop"
echo "# curl drop: $(cat "$E2E_TMP/curl-drop")"
e2e_check "a drop sent with curl is refused by Milvus (its message), pc still there" \
	eval "grep -q 'because it has associated aliases' '$E2E_TMP/curl-drop' && [ \"\$(has pc)\" = yes ]"
"$M" drop collection pc --confirm default.pc >/dev/null 2>"$E2E_TMP/d.err"
e2e_check "drop collection pc --confirm default.pc: exit 3 (the shared list), pc there" \
	[ $? = 3 -a "$(has pc)" = yes ]
e2e_check "it says how to unprotect" grep -q "protect remove default.pc" "$E2E_TMP/d.err"
"$M" protect list -o json >"$E2E_TMP/l.json"
e2e_check "protect list: pc shared, its guard in place" python3 - "$E2E_TMP/l.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = [c for c in d["collections"] if c["collection"] == "default.pc"]
assert len(r) == 1 and r[0]["source"] == "shared" and r[0]["server_guard"] == "in place", d
PY

# ---- protect remove: guarded, and only the tool's own alias ----
"$M" protect remove pc </dev/null >/dev/null 2>&1; r1=$?
"$M" protect remove pc --confirm default.PC >/dev/null 2>&1; r2=$?
"$M" --read-only protect remove pc --confirm default.pc >/dev/null 2>&1; r3=$?
e2e_check "protect remove without --confirm, wrong case, --read-only: exit 3, still guarded" \
	[ "$r1$r2$r3" = 333 -a "$(aliases pc)" = milvusadm_guard_pc ]
rest aliases/create '{"aliasName":"mine","collectionName":"pc2"}' >/dev/null
"$M" protect add pc2 >/dev/null 2>&1
e2e_check "pc2: the user's alias and the tool's" [ "$(aliases pc2)" = "milvusadm_guard_pc2 mine" ]
"$M" protect remove pc2 --confirm default.pc2 >/dev/null 2>"$E2E_TMP/r2.err"
e2e_check "protect remove pc2: exit 0, the tool's alias gone, the user's kept, off the list" \
	eval "[ $? = 0 -a \"\$(aliases pc2)\" = mine ] && [ -z \"\$(etcdctl_ $EP get --keys-only milvusadm/protect/default/pc2)\" ]"
rest aliases/create '{"aliasName":"milvusadm_guard_pc3","collectionName":"pc3"}' >/dev/null
"$M" protect add pc3 -o json >"$E2E_TMP/a3.json" 2>/dev/null
e2e_check "pc3 with an alias named like the tool's but made by curl: said not made by the tool" \
	eval "e2e_json '$E2E_TMP/a3.json' 'd[\"server_guard\"]' | grep -q 'not made by this tool'"
"$M" protect remove pc3 --confirm default.pc3 >/dev/null 2>&1
e2e_check "protect remove pc3: that alias is left alone" \
	[ $? = 0 -a "$(aliases pc3)" = milvusadm_guard_pc3 ]
"$M" protect remove pc --confirm default.pc >/dev/null 2>&1
e2e_check "protect remove pc: the alias gone, a drop by curl now goes through" \
	eval "[ $? = 0 -a -z \"\$(aliases pc)\" ] && [ \"\$(rest collections/drop '{\"collectionName\":\"pc\"}')\" = '$OK' ] && [ \"\$(has pc)\" = no ]"
"$M" protect remove pc --confirm default.pc >/dev/null 2>&1
e2e_check "protect remove of a collection not protected: exit 1" [ $? = 1 ]
"$M" protect add 'p*' >/dev/null 2>&1
e2e_check "protect add of a pattern: exit 2" [ $? = 2 ]

# ---- protect database ----
rest databases/create '{"dbName":"db1"}' >/dev/null
"$M" protect database db1 </dev/null >/dev/null 2>"$E2E_TMP/pd.err"
e2e_check "protect database db1 in a script without --confirm: exit 3, the property unset" \
	eval "[ $? = 3 ] && ! rest databases/describe '{\"dbName\":\"db1\"}' | grep -q collectionDDL"
"$M" protect database db1 --confirm db1 -o json >"$E2E_TMP/pd.json" 2>/dev/null
e2e_check "protect database db1 --confirm db1: the property true (curl), says what else it blocks" \
	eval "rest databases/describe '{\"dbName\":\"db1\"}' | grep -q '\"key\":\"database.force.deny.collectionDDL\",\"value\":\"true\"' &&
	e2e_json '$E2E_TMP/pd.json' 'd[\"blocks\"]' | grep -q 'load, release'"
e2e_check "collections/create in db1 by curl is then refused" e2e_wait 10 \
	eval "mk x db1 | grep -q 1807"
"$M" protect list -o json >"$E2E_TMP/l2.json"
e2e_check "protect list shows db1 with collection DDL denied" python3 -c 'import json,sys
d = json.load(open(sys.argv[1])); assert [x["collection_ddl_denied"] for x in d["databases"] if x["database"] == "db1"] == [True], d' "$E2E_TMP/l2.json"
"$M" protect database db1 --off >/dev/null 2>&1
rc=$?
created() { [ "$(mk "$1" "$2")" = "$OK" ]; }
e2e_check "protect database db1 --off: create in db1 works again" \
	eval "[ $rc = 0 ] && e2e_wait 10 created y db1"

# ---- who can drop ----
rest roles/create '{"roleName":"r_drop"}' >/dev/null
rest roles/grant_privilege '{"roleName":"r_drop","objectType":"Global","objectName":"*","privilege":"DropCollection","dbName":"default"}' >/dev/null
rest roles/create '{"roleName":"r_other"}' >/dev/null
rest roles/grant_privilege '{"roleName":"r_other","objectType":"Global","objectName":"*","privilege":"DropCollection","dbName":"db1"}' >/dev/null
rest roles/create '{"roleName":"r_dba"}' >/dev/null
rest roles/grant_privilege_v2 '{"roleName":"r_dba","privilege":"DatabaseAdmin","dbName":"*","collectionName":"*"}' >/dev/null
rest privilege_groups/create '{"privilegeGroupName":"g_drop"}' >/dev/null
rest privilege_groups/add_privileges_to_group '{"privilegeGroupName":"g_drop","privileges":["DropCollection"]}' >/dev/null
rest roles/create '{"roleName":"r_grp"}' >/dev/null
rest roles/grant_privilege_v2 '{"roleName":"r_grp","privilege":"g_drop","dbName":"default","collectionName":"*"}' >/dev/null
rest roles/create '{"roleName":"r_read"}' >/dev/null
rest roles/grant_privilege_v2 '{"roleName":"r_read","privilege":"CollectionReadOnly","dbName":"*","collectionName":"*"}' >/dev/null
rest users/create '{"userName":"alice","password":"alice-pass-1"}' >/dev/null
rest users/grant_role '{"userName":"alice","roleName":"r_drop"}' >/dev/null
"$M" protect who-can-drop pc2 -o json >"$E2E_TMP/w.json" 2>"$E2E_TMP/w.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/w.err"
e2e_check "who-can-drop pc2: r_drop (alice), r_dba, r_grp, admin; not r_other, not r_read" \
	python3 - "$E2E_TMP/w.json" "$rc" <<'PY'
import json, sys
assert sys.argv[2] == "0"
d = json.load(open(sys.argv[1]))
roles = {r["role"] for r in d["rights"]}
assert {"r_drop", "r_dba", "r_grp", "admin"} <= roles and not roles & {"r_other", "r_read"}, roles
assert [r["user_list"] for r in d["rights"] if r["role"] == "r_drop"] == [["alice"]], d
PY

# ---- drop database ----
rest databases/create '{"dbName":"db2"}' >/dev/null
mk c db2 >/dev/null
"$M" drop database db2 --confirm db2 >/dev/null 2>"$E2E_TMP/dd.err"
e2e_check "drop database db2 while it holds c: exit 3, names c, db2 there" \
	eval "[ $? = 3 ] && grep -q '(c)' '$E2E_TMP/dd.err' && rest databases/list '{}' | grep -q db2"
rest collections/drop '{"dbName":"db2","collectionName":"c"}' >/dev/null
"$M" drop database db2 </dev/null >/dev/null 2>&1
e2e_check "drop database db2 empty, without --confirm in a script: exit 3" [ $? = 3 ]
"$M" drop database db2 --confirm db2 >/dev/null 2>&1
e2e_check "drop database db2 --confirm db2: exit 0, gone (curl)" \
	eval "[ $? = 0 ] && ! rest databases/list '{}' | grep -q db2"
e2e_check "the audit log has protect add, protect remove, drop database" python3 - \
	"$XDG_STATE_HOME/milvusadm/audit.log" <<'PY'
import json, sys
cmds = {l["command"] for l in map(json.loads, open(sys.argv[1])) if l["phase"] == "end"}
assert {"protect add", "protect remove", "protect database", "drop database"} <= cmds, cmds
PY

# ---- the TUI: protection marked in Collections, p protects, p again asks ----
mk tp >/dev/null
shell_in tui
tm send-keys -t main:tui "$M -p lab-pro" Enter
wait_screen main:tui "lab-pro" 10
tm send-keys -t main:tui 4
e2e_check "TUI Collections: a PROTECTED column, pc3 shows its guard alias" \
	eval "wait_screen main:tui PROTECTED 10 && screen main:tui | grep pc3 | grep -q ' guard '"
tm send-keys -t main:tui / tp Enter
tm send-keys -t main:tui p
e2e_check "TUI p on tp: protect add ran (etcd has it, the alias is made)" \
	e2e_wait 10 eval "[ \"\$(aliases tp)\" = milvusadm_guard_tp ] && etcdctl_ $EP get --keys-only milvusadm/protect/default/tp | grep -q tp"
tm send-keys -t main:tui q
tm send-keys -t main:tui r
e2e_check "TUI Collections marks tp yes+guard" \
	e2e_wait 10 eval "screen main:tui | grep ' tp ' | grep -q 'yes+guard'"
tm send-keys -t main:tui p
e2e_check "TUI p on a protected tp asks for its name on the status line" \
	wait_screen main:tui "type 'default.tp' to confirm" 10
tm send-keys -t main:tui default.tp Enter
e2e_check "typed back: tp unprotected, its alias gone" \
	e2e_wait 10 eval "[ -z \"\$(aliases tp)\" ] && [ -z \"\$(etcdctl_ $EP get --keys-only milvusadm/protect/default/tp)\" ]"
tm send-keys -t main:tui q q
lab_down pro

# ---- a 2.4 lab: no alias guard (aliases do not block a drop before 2.5.5) ----
lab_up p24 127.120.0.0/24 --milvus 2.4 --standalone --etcd 1 --no-backup
proxy=$("$M" lab status --name p24 -o json | python3 -c 'import json,sys
print([m["address"] for m in json.load(sys.stdin)["members"] if m["role"] in ("proxy", "standalone")][0])')
REST=http://$proxy:19530/v2/vectordb
mk q >/dev/null
"$M" -p lab-p24 protect add q -o json >"$E2E_TMP/q.json" 2>/dev/null
e2e_check "2.4: protect add says the alias guard is not possible, makes no alias, lists q" \
	eval "e2e_json '$E2E_TMP/q.json' 'd[\"server_guard\"]' | grep -q 'not possible' && [ -z \"\$(aliases q)\" ] &&
	etcdctl_ $EP get --keys-only milvusadm/protect/default/q | grep -q q"
"$M" -p lab-p24 protect database default --confirm default >/dev/null 2>"$E2E_TMP/q.err"
e2e_check "2.4.13: protect database refused (exit 3): no force-deny keys before 2.4.24" \
	eval "[ $? = 3 ] && grep -q '2.4.24' '$E2E_TMP/q.err'"
lab_down p24
e2e_done
