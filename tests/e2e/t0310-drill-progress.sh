#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `drill run` in one-command mode is never silent: on a terminal (script(1))
# the live phase line is redrawn in place and the Markdown summary follows
# the result; in a pipe stderr gets one plain line per phase and no escape
# sequence; -o json prints the report alone. The reports say the
# client-visible outage (with probes aimed at a killed proxy's own address)
# apart from convergence, the lab member's last exit,
# and a graceful stop's aftermath; `drill history` trends per target and
# backend with a profile column.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
. "$E2E_DIR/lib-drill.sh"
SCHEMA="$E2E_DIR/../../doc/drill-report.schema.json"
e2e_init 127.140.0.0/24
trap drill_cleanup EXIT
M="$MILVUSADM"

lab_up pg 127.140.0.0/24 --milvus 2.5 --etcd 1 --ttl 4 --backoff 1s

# A terminal: script(1) gives the drill a pty for stdout and stderr.
TERM=xterm script -qec "'$M' -p lab-pg drill run rootcoord --confirm rootcoord \
	--backend etcd-lease" "$E2E_TMP/tty.raw" >/dev/null 2>&1
rc=$?
tr -d '\r' <"$E2E_TMP/tty.raw" | sed 's/\x1b\[K//g; s/^/# /' | tail -40
e2e_check "on a terminal the drill ran (exit 0)" test "$rc" = 0
e2e_check "on a terminal the phase line is redrawn in place (CR, erase line)" \
	grep -q "$(printf '\r\033\\[K')drill rootcoord: detect" "$E2E_TMP/tty.raw"
e2e_check "the live line counts the probes" \
	grep -Eq 'drill rootcoord: (elect|recover) .*probes ok [0-9]+, failed [0-9]+' \
	"$E2E_TMP/tty.raw"
e2e_check "on a terminal the Markdown summary follows (timeline, outage apart from convergence)" \
	sh -c "grep -q '^## Timeline' '$E2E_TMP/tty.raw' &&
	grep -q 'client-visible outage: .*cluster converged: ' '$E2E_TMP/tty.raw'"

# The revoked rootcoord exits and comes back as the standby: the next drill
# waits until its precheck would pass again.
standby() { e2e_wait 60 "$M" -p lab-pg drill plan "$1" >/dev/null 2>&1; }

# A pipe: plain lines on stderr, one per phase, nothing drawn in place.
standby rootcoord
"$M" -p lab-pg drill run rootcoord --confirm rootcoord --backend lab \
	>"$E2E_TMP/pipe.out" 2>"$E2E_TMP/pipe.err"
rc=$?
sed 's/^/# /' "$E2E_TMP/pipe.err"
e2e_check "in a pipe the drill ran (exit 0)" test "$rc" = 0
e2e_check "in a pipe stderr has one line per phase, in order, then the verdict" \
	python3 -c 'import re, sys
ph = [m.group(1) for m in (re.match(r"drill rootcoord: (\w+) ", l)
      for l in open(sys.argv[1])) if m]
print("#", ph)
sys.exit(0 if len(ph) == len(set(ph)) and ph[-1] == "met" and
         [p for p in ph if p in ("detect", "elect", "recover")] ==
         ["detect", "elect", "recover"] else 1)' "$E2E_TMP/pipe.err"
e2e_check "in a pipe no escape sequence and no carriage return reach stderr" \
	sh -c "! grep -q \"\$(printf '[\r\033]')\" '$E2E_TMP/pipe.err'"
e2e_check "in a pipe no Markdown summary is added to the result" \
	sh -c "! grep -q '^## Timeline' '$E2E_TMP/pipe.out'"

# -o json: the report alone on stdout, nothing on stderr.
standby rootcoord
"$M" -p lab-pg drill run rootcoord --confirm rootcoord --backend lab -o json \
	>"$E2E_TMP/j.json" 2>"$E2E_TMP/j.err"
e2e_check "-o json prints no progress" test ! -s "$E2E_TMP/j.err"
e2e_check "-o json is one report that matches the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$E2E_TMP/j.json"
e2e_check "the report separates client-visible outage from convergence" \
	test "$(e2e_json "$E2E_TMP/j.json" '(d["outage"]["converged_ms"] is not None and
	d["outage"]["client_visible_ms"] is not None and
	d["outage"]["converged_ms"] <= d["rto_ms"])')" = yes
# Ground truth from the lab's own state file (the member at the drilled
# address), not from the report.
ip=$(e2e_json "$E2E_TMP/j.json" 'd["target"]["address"].split(":")[0]')
truth=$("$M" lab status --name pg -o json | python3 -c 'import json,sys
d = json.load(sys.stdin)
print([m for m in d["members"] if m["address"] == sys.argv[1]][0]["last_exit"])' "$ip")
echo "# lab says a rootcoord last ended: $truth"
e2e_check "the lab backend reports the member's last exit as the lab recorded it" \
	test -n "$truth" -a "$(e2e_json "$E2E_TMP/j.json" \
	"d['aftermath']['last_exit'] == '$truth' and not d['aftermath']['self_fenced']")" = yes

# A proxy drill: the failover probes move on to the other proxy, the probes
# aimed at the killed proxy's own address (a client pinned to it) fail until
# the supervisor restarts it; that is the client-visible outage.
standby proxy
"$M" -p lab-pg drill run proxy --confirm proxy --backend lab -o json \
	>"$E2E_TMP/px.json" 2>"$E2E_TMP/px.err"
sed 's/^/# /' "$E2E_TMP/px.err"
e2e_json "$E2E_TMP/px.json" 'd["outage"]' | sed 's/^/# /'
e2e_check "a proxy drill probes the proxy's own address and counts its failures in the outage" \
	test "$(e2e_json "$E2E_TMP/px.json" '(d["outage"]["own_address"] == d["target"]["address"]
	and d["outage"]["own_address_failed"] > 0 and d["outage"]["client_visible_ms"] > 0
	and d["verdict"] == "met")')" = yes
e2e_check "the proxy drill's report matches the schema" \
	python3 "$E2E_DIR/check-drill-report.py" "$SCHEMA" "$E2E_TMP/px.json"

# A graceful stop leaves the process up without a session: the report says
# an operator must act.
standby rootcoord
"$M" -p lab-pg drill run rootcoord --confirm rootcoord --backend stop -o json \
	>"$E2E_TMP/stop.json" 2>/dev/null
e2e_check "a stop drill's report says the stopped process still runs without a session" \
	test "$(e2e_json "$E2E_TMP/stop.json" \
	'"still running without a session" in (d["aftermath"]["operator_action"] or "")')" = yes

# History: per target and backend, with the profile.
"$M" drill history -o json >"$E2E_TMP/h.json"
e2e_check "drill history lists each drill's profile" \
	test "$(e2e_json "$E2E_TMP/h.json" \
	'all(x["profile"] == "lab-pg" for x in d["drills"]) and len(d["drills"]) == 5')" = yes
e2e_check "drill history trends per target and backend (rootcoord: etcd-lease, lab, stop)" \
	test "$(e2e_json "$E2E_TMP/h.json" \
	'(sorted((t["target"], t["backend"], t["drills"]) for t in d["trend"]) ==
	[("proxy", "lab", 1), ("rootcoord", "etcd-lease", 1), ("rootcoord", "lab", 2),
	("rootcoord", "stop", 1)])')" = yes
e2e_done
