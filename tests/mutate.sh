#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mutation check of the test suite: does it catch the bugs it is meant to?
#
# Each mutant is one deliberate bug (an off-by-one, a swapped state, a check
# turned off, a shifted timestamp), applied by exact text replacement to its
# own copy of the current working tree (uncommitted changes included), built,
# and run against the tests that should catch it. A mutant is killed when at
# least one of those tests fails; a test that times out counts as a kill, and
# the table says so. Not run by CI: run it by hand after changing the tests or
# the code a mutant lives in.
#
#   tests/mutate.sh               every mutant
#   tests/mutate.sh --list        the mutants, and whether each still applies
#   tests/mutate.sh --only 5      one mutant, by number or name (repeatable)
#   tests/mutate.sh --keep        keep the temporary trees, builds and logs
#
# It takes about 7 minutes for all mutants on 2 shared cores: one full build
# (under a minute), the unmutated baseline of all the mutants' tests (about
# 2.5 min), then for each mutant a copy, an incremental build and its tests
# (a few seconds for unit tests; t0110, t0300 and t0303 about 30-55 s each).
# `--only N` for a unit-only mutant takes about a minute, the build included.
#
# Exit status: 0 every mutant killed; 1 at least one SURVIVED; 2 the check
# itself could not be trusted: a mutant's pattern no longer matches the code
# exactly once (update the mutant with the code), a copy does not build, the
# unmutated baseline of the tests fails, or an end-to-end test's subnet is
# taken by another run on this machine.
#
# Builds run under nice -n 10. End-to-end tests use fixed loopback subnets:
# another run of the same test on this machine would collide, so before
# running one the script waits (up to 15 min) while something listens there.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$here/.." && pwd)/shared

# ---- the mutants -------------------------------------------------------
# mutant ID FILE FUNCTION TESTS DESCRIPTION: declares one; its replacements
# follow as "edit OLD NEW" lines (each OLD must occur exactly once in FILE).
M_N=0
declare -a M_ID M_FILE M_FUNC M_TESTS M_DESC M_EDITS
mutant() {
	M_N=$((M_N + 1))
	M_ID[M_N]=$1 M_FILE[M_N]=$2 M_FUNC[M_N]=$3 M_TESTS[M_N]=$4 M_DESC[M_N]=$5
	M_EDITS[M_N]=""
}
# Replacements are kept NUL-free and newline-separated in pairs, base64 so
# that any text fits.
edit() {
	M_EDITS[M_N]+="$(printf '%s' "$1" | base64 -w0) $(printf '%s' "$2" | base64 -w0)"$'\n'
}

mutant session-id src/clients/session.c session_key \
	"session model t0020-sessions t0110-topology" \
	"off-by-one: the server ID of role-<id> is read from the dash (querynode-12 -> -12)"
edit "jsonraw_parse_int64(dash + 1, strlen(dash + 1)," \
     "jsonraw_parse_int64(dash, strlen(dash),"

mutant ha-swap src/model/cluster-diff.c "derive_bare,cluster_sessions_commit" \
	"model ha t0110-topology" \
	"ACTIVE and STANDBY swapped: the bare key's owner is STANDBY, the other instances ACTIVE"
edit "comp->ha = HA_ACTIVE;" "comp->ha = HA_STANDBY;"
edit "ks->v[i].s.exclusive ? HA_STANDBY : HA_NONE;" "ks->v[i].s.exclusive ? HA_ACTIVE : HA_NONE;"

mutant probe-ok src/ops/drill-probe.c probe_answered \
	"drill-probe drill t0300-drill-coord" \
	"a drill probe that failed is recorded as a success"
edit "probes_record(p, r->sent_ms, res->err == MREST_OK, res->uri);" \
     "probes_record(p, r->sent_ms, true, res->uri);"

mutant escape-off src/cmd/output.c out_escape \
	"output cmd t0308-drill-input" \
	"the terminal escaper passes every byte through"
edit $'\tbuf_adds(&b, "");\n\twhile (*p != \'\\0\') {' \
     $'\tbuf_adds(&b, (const char *)p);\n\tp += strlen((const char *)p);\n\twhile (*p != \'\\0\') {'

mutant inject-200 src/ops/drill.c drill_injected \
	"drill t0300-drill-coord" \
	"the INJECT time the drill records (injected_ms) is 200 ms late"
edit "res->injected_ms > 0 ? res->injected_ms :" "res->injected_ms > 0 ? res->injected_ms + 200 :"

mutant escape-c1 src/cmd/output.c out_cp_dangerous \
	"output t0308-drill-input" \
	"off-by-one: U+009F (APC, a C1 control) is no longer escaped"
edit "(cp >= 0x80 && cp <= 0x9f)" "(cp >= 0x80 && cp < 0x9f)"

mutant recover-k src/ops/drill-fsm.c fsm_probe \
	"drill" \
	"off-by-one: RECOVER ends after K-1 good probes in a row, not K"
edit "if (f->streak < f->recover_k)" "if (f->streak < f->recover_k - 1)"

mutant etcd-probe-ok src/ops/drill-etcd.c range_cb \
	"drill-etcd t0303-drill-etcd" \
	"an etcd drill's range probe that failed is recorded as a success"
edit "s.ok = res->err == 0;" "s.ok = true;"

# ---- options -----------------------------------------------------------
usage() {
	echo "usage: tests/mutate.sh [--list] [--keep] [--only N|NAME]..." >&2
	exit 2
}
list=0 keep=0 only=()
while [ $# -gt 0 ]; do
	case $1 in
	--list) list=1 ;;
	--keep) keep=1 ;;
	--only) [ $# -ge 2 ] || usage; only+=("$2"); shift ;;
	--only=*) only+=("${1#--only=}") ;;
	-h|--help) sed -n '3,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) usage ;;
	esac
	shift
done

sel=()
if [ ${#only[@]} -eq 0 ]; then
	for ((i = 1; i <= M_N; i++)); do sel+=("$i"); done
else
	for o in "${only[@]}"; do
		found=0
		for ((i = 1; i <= M_N; i++)); do
			if [ "$o" = "$i" ] || [ "$o" = "${M_ID[i]}" ]; then
				sel+=("$i"); found=1
			fi
		done
		[ $found = 1 ] || { echo "mutate: no mutant '$o' (see --list)" >&2; exit 2; }
	done
	mapfile -t sel < <(printf '%s\n' "${sel[@]}" | sort -n -u)
fi

# apply_edits ROOT N [check]: make mutant N's replacements in ROOT/FILE, or
# with "check" only verify that each OLD occurs exactly once. Says which
# replacement does not match, and exits non-zero.
apply_edits() {
	python3 - "$1/${M_FILE[$2]}" "${3:-apply}" <<PY
import base64, sys
path, mode = sys.argv[1], sys.argv[2]
pairs = [l.split(" ") for l in """${M_EDITS[$2]}""".splitlines() if l]
try:
    text = open(path, encoding="utf-8").read()
except OSError as e:
    sys.exit("%s: %s" % (path, e.strerror))
for old, new in pairs:
    old = base64.b64decode(old).decode()
    new = base64.b64decode(new).decode()
    n = text.count(old)
    if n != 1:
        sys.exit("pattern found %d times (want exactly 1): %r" % (n, old))
    text = text.replace(old, new, 1)
if mode == "apply":
    open(path, "w", encoding="utf-8").write(text)
PY
}

if [ $list = 1 ]; then
	printf '%-3s %-14s %-45s %s\n' "#" mutant "file:function" "applies"
	for i in "${sel[@]}"; do
		if msg=$(apply_edits "$here" "$i" check 2>&1); then a=yes; else a="NO: $msg"; fi
		printf '%-3s %-14s %-45s %s\n' "$i" "${M_ID[i]}" "${M_FILE[i]}:${M_FUNC[i]}" "$a"
		printf '    %s\n    tests: %s\n' "${M_DESC[i]}" "${M_TESTS[i]}"
	done
	exit 0
fi

# Every selected mutant must still match the code before anything is built.
bad=0
for i in "${sel[@]}"; do
	if ! msg=$(apply_edits "$here" "$i" check 2>&1); then
		echo "mutate: mutant $i (${M_ID[i]}) does not apply to ${M_FILE[i]}:${M_FUNC[i]}: $msg" >&2
		bad=1
	fi
done
[ $bad = 0 ] || { echo "mutate: update the mutant to the code (exit 2)" >&2; exit 2; }

# ---- temp dir, child processes, cleanup --------------------------------
T=$(mktemp -d "${TMPDIR:-/tmp}/milvusadm-mutate.XXXXXX")
mkdir -p "$T/tmp"	# TMPDIR of the tests: their labs' dirs name $T
child=""

# reap: take down every lab a test left under $T (meson gives a test 0.5 s
# after its SIGTERM, too little for the test's own `lab down`), then end
# what still runs from $T: the PIDs of processes whose command line names
# $T (our binaries, the labs' data dirs), never a process name.
reap() {
	local st home name pids
	pids=$(ours)
	[ -n "$pids" ] || return 0
	for st in "$T"/tmp/milvusadm-e2e.*/home/.local/state/milvusadm/lab/*/state.json; do
		[ -f "$st" ] && [ -x "$T/tree/build/src/milvusadm" ] || continue
		home=${st%/.local/state/milvusadm/lab/*}
		name=$(basename "$(dirname "$st")")
		HOME=$home XDG_STATE_HOME=$home/.local/state XDG_CONFIG_HOME=$home/.config \
			timeout 60 "$T/tree/build/src/milvusadm" lab down --name "$name" \
			>/dev/null 2>&1 </dev/null
	done
	pids=$(ours)
	if [ -n "$pids" ]; then
		# shellcheck disable=SC2086
		kill -TERM $pids 2>/dev/null
		sleep 2
		pids=$(ours)
		# shellcheck disable=SC2086
		[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	fi
	return 1
}

# ours: PIDs of the processes whose command line names $T.
ours() {
	python3 - "$T/" "$$" <<'PY'
import os, sys
mark, me = sys.argv[1].encode(), sys.argv[2]
for p in os.listdir("/proc"):
    if not p.isdigit() or p in (me, str(os.getpid())):
        continue
    try:
        if mark in open("/proc/%s/cmdline" % p, "rb").read():
            print(p)
    except OSError:
        pass
PY
}

cleanup() {
	local rc=$?
	trap - INT TERM
	if [ -n "$child" ]; then
		# meson test ends its tests (TERM, then KILL their process groups).
		kill -TERM "$child" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$child" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	reap || echo "mutate: ended processes left running under $T" >&2
	if [ $keep = 1 ]; then
		echo "mutate: kept $T" >&2
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run LOG CMD...: run CMD in its own process group (so cleanup can stop all
# of it), output to LOG; returns its exit status.
run() {
	local log=$1 rc
	shift
	setsid -w "$@" >"$log" 2>&1 </dev/null &
	child=$!
	wait "$child"
	rc=$?
	child=""
	return $rc
}

t_start=$(date +%s)
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
say() { echo "mutate: $*" >&2; }

# ---- one pristine build of the working tree ----------------------------
# The tree and its build always live at $T/tree (absolute paths are baked
# into the build), so each mutant gets a fresh copy of the pristine tree and
# build at that same path and rebuilds only what its edit touches.
mkdir -p "$T/tree/main" "$T/logs"
ln -s "$SHARED" "$T/tree/shared"	# the e2e tests read ../shared beside the source
say "copying the working tree of $here (tracked and untracked, not ignored)"
(cd "$here" && git ls-files -z -co --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -C "$T/tree/main" -xf - ||
	{ say "copying the tree failed"; exit 2; }
say "building it (nice -n 10)"
if ! run "$T/logs/setup.log" nice -n 10 meson setup "$T/tree/build" "$T/tree/main" ||
   ! run "$T/logs/build.log" nice -n 10 ninja -C "$T/tree/build" -j 2; then
	cat "$T/logs/setup.log" "$T/logs/build.log" 2>/dev/null | tail -n 30 >&2
	say "the unmutated tree does not build (exit 2)"
	exit 2
fi
cp -a "$T/tree" "$T/pristine"
say "built in $(elapsed "$t_start")"

# ---- tests -------------------------------------------------------------
# A test's subnet (e2e) from its e2e_init line; empty for unit tests.
subnet_of() {
	local f="$T/tree/main/tests/e2e/$1.sh"
	[ -f "$f" ] || return 0
	sed -n 's/^e2e_init \(127\.[0-9]*\.[0-9]*\)\.0\/24.*/\1./p' "$f" | head -n1
}

# wait_subnets TESTS...: wait while another run listens on one of their subnets.
wait_subnets() {
	local t net busy waited=0
	while :; do
		busy=""
		for t in "$@"; do
			net=$(subnet_of "$t")
			[ -n "$net" ] || continue
			if ss -Hltn 2>/dev/null | awk '{print $4}' | grep -q "^${net//./\\.}"; then
				busy="$busy $t(${net}0/24)"
			fi
		done
		[ -z "$busy" ] && return 0
		if [ $waited -ge 900 ]; then
			say "subnet still in use by another run after 15 min:$busy (exit 2)"
			exit 2
		fi
		[ $waited = 0 ] && say "waiting: another run uses the subnet of$busy"
		sleep 10
		waited=$((waited + 10))
	done
}

# run_tests LOG TESTS...: meson test on $T/tree/build; the per-test results
# go to LOG.res as "NAME RESULT first-failing-TAP-line".
run_tests() {
	local log=$1 rc
	shift
	wait_subnets "$@"
	rm -f "$T/tree/build/meson-logs/testlog.json"
	run "$log" env TMPDIR="$T/tmp" meson test -C "$T/tree/build" --no-rebuild --print-errorlogs \
		--num-processes 2 "$@"
	rc=$?
	# A test meson did not run (a name it does not know, a crash) is MISSING:
	# neither a pass nor a kill.
	python3 - "$T/tree/build/meson-logs/testlog.json" "$@" >"$log.res" <<'PY'
import json, os, sys
seen = set()
if os.path.exists(sys.argv[1]):
    for line in open(sys.argv[1]):
        t = json.loads(line)
        # "project:suite / name"
        name = t["name"].split(":", 1)[-1].split(" / ")[-1].strip()
        seen.add(name)
        why = ""
        if t["result"] not in ("OK", "SKIP", "EXPECTEDFAIL"):
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            bad = [l for l in out.splitlines() if l.startswith("not ok") or "Bail out" in l]
            why = bad[0] if bad else "exit %s" % t.get("returncode")
        print(name, t["result"], why[:200])
for name in sys.argv[2:]:
    if name not in seen:
        print(name, "MISSING", "meson did not run it")
PY
	# A test that finished must have taken its lab down itself.
	if ! reap; then
		say "warning: a test left processes running (now ended): $*"
	fi
	if grep -q ' MISSING ' "$log.res"; then
		return 3
	fi
	return $rc
}

# ---- baseline ----------------------------------------------------------
all_tests=()
for i in "${sel[@]}"; do
	for t in ${M_TESTS[i]}; do
		case " ${all_tests[*]} " in *" $t "*) ;; *) all_tests+=("$t") ;; esac
	done
done
t0=$(date +%s)
say "baseline, unmutated: ${all_tests[*]}"
if ! run_tests "$T/logs/baseline.log" "${all_tests[@]}"; then
	grep -v ' OK \| SKIP ' "$T/logs/baseline.log.res" | sed 's/^/  /' >&2
	tail -n 40 "$T/logs/baseline.log" >&2
	say "the unmutated tests fail: no mutant can be judged (exit 2)"
	exit 2
fi
skipped=$(awk '$2 == "SKIP" {print $1}' "$T/logs/baseline.log.res" | tr '\n' ' ')
[ -z "$skipped" ] || say "note: skipped in the baseline (they can kill nothing): $skipped"
say "baseline passed in $(elapsed "$t0")"

# ---- the mutants -------------------------------------------------------
declare -a R_STATUS R_BY R_TIME
status=0
for i in "${sel[@]}"; do
	t0=$(date +%s)
	say "mutant $i (${M_ID[i]}): ${M_DESC[i]}"
	rm -rf "$T/tree"
	cp -a "$T/pristine" "$T/tree"
	log="$T/logs/$i-${M_ID[i]}"
	if ! msg=$(apply_edits "$T/tree/main" "$i" 2>&1); then
		R_STATUS[i]="NOT-APPLIED" R_BY[i]="$msg"
		status=2
	elif ! run "$log.build.log" nice -n 10 ninja -C "$T/tree/build" -j 2; then
		R_STATUS[i]="NO-BUILD" R_BY[i]="$(grep -m1 'error:' "$log.build.log")"
		status=2
	else
		run_tests "$log.log" ${M_TESTS[i]}
		missing=$(awk '$2 == "MISSING" {printf "%s%s", sep, $1; sep = ", "}' "$log.log.res")
		killers=$(awk '$2 != "OK" && $2 != "SKIP" && $2 != "EXPECTEDFAIL" && $2 != "MISSING" {
			printf "%s%s", sep, ($2 == "TIMEOUT" ? $1 " (TIMEOUT)" : $1); sep = ", " }' "$log.log.res")
		if [ -n "$missing" ]; then
			R_STATUS[i]=NOT-RUN R_BY[i]="meson did not run: $missing"
			status=2
		elif [ -n "$killers" ]; then
			R_STATUS[i]=killed R_BY[i]=$killers
		else
			R_STATUS[i]=SURVIVED R_BY[i]="-"
			[ $status = 2 ] || status=1
		fi
	fi
	R_TIME[i]=$(elapsed "$t0")
	say "mutant $i (${M_ID[i]}): ${R_STATUS[i]} ${R_BY[i]} (${R_TIME[i]})"
	# Kept for a look (its build names $T/tree: move it back there to rerun).
	[ $keep = 1 ] && mv "$T/tree" "$T/mutant-$i-${M_ID[i]}"
done

# ---- the table ---------------------------------------------------------
{
	printf '#\tmutant\tchanges (file:function)\ttests run\tresult\tkilled by\n'
	for i in "${sel[@]}"; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "${M_ID[i]}" "${M_FILE[i]}:${M_FUNC[i]}" \
			"${M_TESTS[i]// /,}" "${R_STATUS[i]}" "${R_BY[i]}"
	done
} | column -t -s $'\t'
echo
for i in "${sel[@]}"; do
	echo "$i ${M_ID[i]}: ${M_DESC[i]} [${R_TIME[i]}]"
	if [ -f "$T/logs/$i-${M_ID[i]}.log.res" ]; then
		awk '$2 != "OK" { n = $1; r = $2; $1 = $2 = ""; sub(/^ +/, ""); print "    " n " " r ": " $0 }' \
			"$T/logs/$i-${M_ID[i]}.log.res"
	fi
done
echo
echo "mutate: ${#sel[@]} mutants, total $(elapsed "$t_start")$([ $keep = 1 ] && echo ", trees and logs in $T")"
case $status in
0) echo "mutate: every mutant was killed" ;;
1) echo "mutate: at least one mutant SURVIVED: its tests do not catch that bug" ;;
2) echo "mutate: at least one mutant could not be applied or built: the check is incomplete" ;;
esac
exit $status
