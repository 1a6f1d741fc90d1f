#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# events: after SIGKILL of the active rootcoord, `events --follow -o json`
# prints the leader change within 1 s of the new active key appearing in etcd
# (timed against a concurrent etcdctl watch); the replayed history; an
# unreachable etcd is one line and exit 4, quickly.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.82.20.0/24
ep=http://127.82.20.2:2379

# A profile whose etcd does not exist (nothing listens on that address).
mkdir -p "$XDG_CONFIG_HOME/milvusadm"
cat >"$XDG_CONFIG_HOME/milvusadm/config.yaml" <<'YAML'
profiles:
  dead:
    etcd: { endpoints: ["http://127.82.21.9:2379"] }
YAML
lab_up ev "$E2E_SUBNET" --milvus 2.4 --ttl 10 --backoff 30s

# timestamp each line as it arrives
stamp() { while IFS= read -r l; do echo "$(now_ms) $l"; done; }

"$MILVUSADM" -p lab-ev events --follow -o json 2>"$E2E_TMP/follow.err" \
	> >(stamp >"$E2E_TMP/follow.out") &
fpid=$!
# Not through etcdctl_ (a function, so a subshell): $! must be etcdctl itself.
ETCDCTL_API=3 etcdctl --endpoints "$ep" watch by-dev/meta/session/rootcoord \
	> >(stamp >"$E2E_TMP/watch.out") &
wpid=$!
sleep 1
old=$(active_id "$ep" rootcoord)
member=$(member_by_server ev "$ep" rootcoord)
echo "# active rootcoord $old is lab member $member"
"$MILVUSADM" lab kill --name ev --signal KILL "$member" >/dev/null
e2e_check "a new active rootcoord within 20 s" wait_active_change "$ep" rootcoord "$old" 20000
new=$(active_id "$ep" rootcoord)
e2e_wait 3 grep -q leader_changed "$E2E_TMP/follow.out"
sleep 0.5
# SIGINT ends the follower cleanly (exit 0).
kill -INT "$fpid"
wait "$fpid"
frc=$?
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
sleep 0.2
e2e_check "events --follow ends with exit 0 on SIGINT" [ "$frc" = 0 ]
sed 's/^/# follow: /' "$E2E_TMP/follow.out"
sed 's/^/# watch: /' "$E2E_TMP/watch.out" | cut -c1-120

lc=$(python3 - "$E2E_TMP/follow.out" "$E2E_TMP/watch.out" "$old" "$new" <<'PY'
import json, sys
follow, watch, old, new = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t_ev = None
for line in open(follow):
    ts, js = line.split(" ", 1)
    e = json.loads(js)
    assert e["version"] == 1 and e["kind"] == "event"
    if e["event"] == "leader_changed" and e["role"] == "rootcoord" and e["server_id"] == new:
        assert e["old_id"] == old, e
        t_ev = int(ts)
        break
lines = [l.rstrip("\n").split(" ", 1) for l in open(watch)]
t_put = None
for i, (ts, l) in enumerate(lines):
    if l == "PUT" and i + 2 < len(lines) and ('"ServerID":%d,' % new) in lines[i + 2][1]:
        t_put = int(ts)
print(t_ev, t_put, (t_ev - t_put) if t_ev and t_put else "")
PY
)
echo "# printed, etcdctl saw PUT, delta ms: $lc"
set -- $lc
e2e_check "events --follow printed the leader change $old -> $new" [ "${1:-None}" != None ]
# Two followers of the same etcd watch event, each line stamped by a shell
# loop: a few ms apart even when loaded. 1 s fails an events --follow that
# polls, or that prints the change only with a later refresh.
e2e_check "within 1 s of the new active key appearing (etcdctl watch)" \
	python3 -c 'import sys; d=int(sys.argv[1]); assert -1000 <= d <= 1000, d' "${3:-99999}"

"$MILVUSADM" -p lab-ev events -o json >"$E2E_TMP/hist.json"
e2e_check "events (no --follow) replays the history: joins and both leader changes" \
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); ev=d["events"]; o,n=int(sys.argv[2]),int(sys.argv[3])
assert d["kind"]=="events" and d["history"]=="etcd"
assert any(e["kind"]=="node_joined" for e in ev)
assert any(e["kind"]=="leader_changed" and e["role"]=="rootcoord" and e["old_id"]==o and e["server_id"]==n for e in ev), ev
assert any(e["kind"]=="node_left" and e["role"]=="rootcoord" and e["server_id"]==o for e in ev)' \
	"$E2E_TMP/hist.json" "$old" "$new"
"$MILVUSADM" -p lab-ev leaders -o json >"$E2E_TMP/leaders.json"
e2e_check "leaders shows the new active and the change from the history" \
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); l=[x for x in d["leaders"] if x["role"]=="rootcoord"][0]
assert l["active_id"]==int(sys.argv[3]) and l["changes"][-1]["old_id"]==int(sys.argv[2]), l' \
	"$E2E_TMP/leaders.json" "$old" "$new"

for cmd in topology leaders etcd health events; do
	t0=$(now_ms)
	"$MILVUSADM" -p dead "$cmd" >"$E2E_TMP/dead.out" 2>"$E2E_TMP/dead.err"
	rc=$?
	dt=$(( $(now_ms) - t0 ))
	e2e_check "unreachable etcd: $cmd exits 4 with one line in ${dt} ms" \
		[ "$rc" = 4 -a "$(wc -l <"$E2E_TMP/dead.err")" = 1 -a "$dt" -lt 6000 ]
	sed 's/^/# /' "$E2E_TMP/dead.err"
done
lab_down ev
e2e_done
