#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Times on events: the replayed history carries a time or an explicit
# "unknown"; topology's age is the lab processes' start time (ground truth:
# /proc/<pid>/stat and /proc/stat, as ps -o lstart reads them); a leader change
# seen by `events --follow` keeps its time across a restart of the tool and
# etcd's compaction (the leader history in the state directory); --since keeps
# events of unknown time unless a later event is known to be older.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.143.0.0/24
ep=http://127.143.0.2:2379

lab_up et "$E2E_SUBNET" --milvus 2.4 --ttl 10 --backoff 30s
t_up=$(now_ms)

# ---- the replayed history: a time or "unknown", never a blank ----
"$MILVUSADM" -p lab-et events -o json >"$E2E_TMP/hist0.json"
e2e_check "events: every replayed event has a time or says unknown; joins dated by process start" \
	python3 - "$E2E_TMP/hist0.json" "$t_up" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t_up = int(sys.argv[2])
ev = d["events"]
assert d["history"] == "etcd" and ev, d
for e in ev:
    assert e["time_source"] in ("observed", "process_start", "unknown"), e
    if e["time_ms"] is None:
        assert e["time"] == "unknown" and e["time_source"] == "unknown", e
    else:
        assert e["time"].endswith("Z") and e["time_source"] != "unknown", e
        assert 0 < e["time_ms"] <= t_up + 60000, e
assert d["unknown_time"] == sum(e["time_ms"] is None for e in ev)
# A session that has left since (a 2.4 indexcoord standby leaves when its
# datacoord is not the active one) has no process left to ask: its join may
# be unknown; every join of a session still there is dated.
left = {(e["role"], e["server_id"]) for e in ev if e["kind"] == "node_left"}
joins = [e for e in ev if e["kind"] == "node_joined" and (e["role"], e["server_id"]) not in left]
assert joins and all(e["time_source"] == "process_start" for e in joins), joins
PY

# ---- topology: AGE from the processes' start times ----
"$MILVUSADM" -p lab-et topology -o json >"$E2E_TMP/topo.json"
"$MILVUSADM" lab status --name et -o json >"$E2E_TMP/lab.json"
e2e_check "topology: every component's age is its lab process's start time (/proc)" \
	python3 - "$E2E_TMP/topo.json" "$E2E_TMP/lab.json" <<'PY'
import json, os, sys
topo = json.load(open(sys.argv[1])); lab = json.load(open(sys.argv[2]))
hz = os.sysconf("SC_CLK_TCK")
btime = int([l.split()[1] for l in open("/proc/stat") if l.startswith("btime ")][0])
def started_ms(pid):
    stat = open("/proc/%d/stat" % pid).read()
    ticks = int(stat[stat.rindex(")") + 2:].split()[19])
    return (btime + ticks / hz) * 1000
pids = {m["address"]: m["pid"] for m in lab["members"] if m["pid"]}
checked = 0
for c in topo["components"]:
    ip = c["address"].split(":")[0]
    assert c["age_source"] == "process_start" and c["age_ms"] is not None, c
    truth = started_ms(pids[ip])
    assert abs(c["started_ms"] - truth) <= 1000, (c["role"], c["started_ms"], truth)
    checked += 1
assert checked >= 5, checked
print("# %d components checked" % checked)
PY
# ---- a leader change seen live ----
"$MILVUSADM" -p lab-et events --follow -o json >"$E2E_TMP/follow.out" 2>"$E2E_TMP/follow.err" &
fpid=$!
sleep 1
old=$(active_id "$ep" rootcoord)
member=$(member_by_server et "$ep" rootcoord)
echo "# active rootcoord $old is lab member $member"
"$MILVUSADM" lab kill --name et --signal KILL "$member" >/dev/null
e2e_check "a new active rootcoord within 25 s" wait_active_change "$ep" rootcoord "$old" 25000
new=$(active_id "$ep" rootcoord)
e2e_wait 3 grep -q '"leader_changed"' "$E2E_TMP/follow.out"
kill -INT "$fpid"
wait "$fpid"
sed 's/^/# follow: /' "$E2E_TMP/follow.out"
t_change=$(python3 - "$E2E_TMP/follow.out" "$new" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["event"] == "leader_changed" and e["role"] == "rootcoord" and e["server_id"] == int(sys.argv[2]):
        print(e["time_ms"], e["revision"])
PY
)
set -- $t_change
t_ms=${1:-0}
rev=${2:-0}
e2e_check "events --follow dated the change $old -> $new" [ "$t_ms" -gt 0 ]
e2e_check "the leader history file was written in the state directory" \
	[ -s "$XDG_STATE_HOME/milvusadm/leaders/lab-et.tsv" ]

# ---- a new run of the tool: the change keeps its time ----
"$MILVUSADM" -p lab-et leaders -o json >"$E2E_TMP/leaders1.json"
check_leaders() {	# check_leaders FILE HISTORY LOCAL
	python3 - "$1" "$old" "$new" "$t_ms" "$rev" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
old, new, t, rev = (int(x) for x in sys.argv[2:6])
assert d["history"] == sys.argv[6], d["history"]
l = [x for x in d["leaders"] if x["role"] == "rootcoord"][0]
ch = [c for c in l["changes"] if c["kind"] == "leader_changed" and c["new_id"] == new]
assert ch, l
c = ch[-1]
assert c["time_ms"] == t and c["time_source"] == "observed" and c["revision"] == rev, c
assert c["local"] == (sys.argv[7] == "true"), c
assert l["active_id"] == new and l["since_ms"] == t and l["since_source"] == "observed", l
assert l["since"].endswith("Z"), l
PY
}
e2e_check "leaders after a restart of the tool: the change $old -> $new with its time, since then" \
	check_leaders "$E2E_TMP/leaders1.json" etcd false
"$MILVUSADM" -p lab-et leaders >"$E2E_TMP/leaders1.txt"
sed 's/^/# /' "$E2E_TMP/leaders1.txt"

# ---- --since keeps what it cannot place ----
now=$(now_ms)
win=$(( (now - t_ms) / 1000 + 4 ))
"$MILVUSADM" -p lab-et events -o json >"$E2E_TMP/all.json"
t0=$(now_ms)
"$MILVUSADM" -p lab-et events --since "${win}s" -o json >"$E2E_TMP/since.json"
"$MILVUSADM" -p lab-et events --since "${win}s" >/dev/null 2>"$E2E_TMP/since.err"
e2e_check "--since ${win}s: known times in the window, unknown ones kept unless a later event is older" \
	python3 - "$E2E_TMP/all.json" "$E2E_TMP/since.json" "$t0" "$win" "$old" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["events"]; s = json.load(open(sys.argv[2]))
t0, win, old = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cut = t0 - win * 1000
key = lambda e: (e["revision"], e["kind"], e["role"], e["server_id"])
kept = {key(e) for e in s["events"]}
for e in a:
    if e["time_ms"] is not None:
        if e["time_ms"] >= cut + 2000: assert key(e) in kept, e
        if e["time_ms"] < cut - 2000: assert key(e) not in kept, e
    elif key(e) not in kept:
        later = [x for x in a if x["revision"] > e["revision"] and x["time_ms"] is not None]
        assert any(x["time_ms"] < cut + 2000 for x in later), ("dropped unplaced", e)
# The old active's departure has no time (only leader changes are dated live),
# happened in the window, and is kept, counted.
left = [e for e in s["events"] if e["kind"] == "node_left" and e["server_id"] == old]
assert left and left[0]["time"] == "unknown", s["events"]
assert s["since_unknown_kept"] >= 1 and s["since_unknown_kept"] == sum(e["time_ms"] is None for e in s["events"])
assert len(s["events"]) < len(a), "the window dropped nothing"
PY
e2e_check "--since on a terminal or pipe notes the events of unknown time it kept" \
	grep -q 'of unknown time kept' "$E2E_TMP/since.err"

# ---- etcd compacts its history: the tool's own record remains ----
# A write after the change: etcd's resync is then at a later revision and
# cannot stand in for the change.
etcdctl_ "$ep" put e2e/after-change 1 >/dev/null
crev=$(etcdctl_ "$ep" endpoint status -w json | python3 -c 'import json,sys
print(json.load(sys.stdin)[0]["Status"]["header"]["revision"])')
etcdctl_ "$ep" compact "$crev" >/dev/null
"$MILVUSADM" -p lab-et leaders -o json >"$E2E_TMP/leaders2.json"
e2e_check "after etcd's compaction (rev $crev) leaders still shows the change and its time" \
	check_leaders "$E2E_TMP/leaders2.json" compacted true
lab_down et
e2e_done
