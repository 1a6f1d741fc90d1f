# SPDX-License-Identifier: MIT
# Helpers for the end-to-end tests: an isolated HOME/XDG tree, the test's own
# loopback subnet, TAP-style results and a cleanup trap that takes labs down.
# Source it with: . "$E2E_LIB"; then call e2e_init 127.A.B.0/24.

: "${MILVUSADM:?MILVUSADM must point at the milvusadm binary}"

e2e_n=0
e2e_failed=0
e2e_labs=""

# e2e_init SUBNET: temporary HOME and XDG dirs, the subnet in $E2E_SUBNET.
e2e_init() {
	E2E_SUBNET=$1
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/milvusadm-e2e.XXXXXX")
	export HOME="$E2E_TMP/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_STATE_HOME="$HOME/.local/state"
	export XDG_CACHE_HOME="$HOME/.cache"
	export XDG_DATA_HOME="$HOME/.local/share"
	mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME"
	unset MILVUSADM_PROFILE
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
}

# e2e_lab_dir NAME: where lab NAME keeps its state.
e2e_lab_dir() {
	echo "$XDG_STATE_HOME/milvusadm/lab/$1"
}

# e2e_register_lab NAME: take lab NAME down (and kill what it left) on exit.
e2e_register_lab() {
	e2e_labs="$e2e_labs $1"
}

# e2e_lab_pids NAME: pids of the processes whose command line names the lab dir.
e2e_lab_pids() {
	pgrep -f -- "$(e2e_lab_dir "$1")/" || true
}

e2e_cleanup() {
	rc=$?
	for lab in $e2e_labs; do
		"$MILVUSADM" lab down --name "$lab" >/dev/null 2>&1 || true
		dir=$(e2e_lab_dir "$lab")
		if [ -f "$dir/state.json" ]; then
			for pid in $(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(str(m["pid"]) for m in d["members"] if m["pid"] > 0))
print(d.get("supervisor_pid", 0) or "")' "$dir/state.json" 2>/dev/null); do
				kill -KILL "$pid" 2>/dev/null || true
			done
		fi
		for pid in $(e2e_lab_pids "$lab"); do
			kill -KILL "$pid" 2>/dev/null || true
		done
	done
	if [ "$rc" -eq 0 ] && [ -n "${E2E_TMP:-}" ] && [ -z "${E2E_KEEP:-}" ]; then
		rm -rf "$E2E_TMP"
	elif [ -n "${E2E_TMP:-}" ]; then
		echo "# kept $E2E_TMP" >&2
	fi
	exit "$rc"
}

e2e_ok() {
	e2e_n=$((e2e_n + 1))
	echo "ok $e2e_n - $*"
}

e2e_fail() {
	e2e_n=$((e2e_n + 1))
	e2e_failed=$((e2e_failed + 1))
	echo "not ok $e2e_n - $*"
}

# e2e_check DESCRIPTION CMD...: run CMD, record ok or not ok.
# Its output is kept as TAP comments.
e2e_check() {
	desc=$1
	shift
	if "$@" >"$E2E_TMP/check.out" 2>&1; then
		sed 's/^/# /' "$E2E_TMP/check.out"
		e2e_ok "$desc"
	else
		sed 's/^/# /' "$E2E_TMP/check.out"
		e2e_fail "$desc"
	fi
}

# e2e_die MESSAGE: a failure the rest of the test cannot go on from.
e2e_die() {
	e2e_fail "$*"
	exit 1
}

# e2e_done: print the plan and exit 1 if anything failed.
e2e_done() {
	echo "1..$e2e_n"
	[ "$e2e_failed" -eq 0 ] || exit 1
	exit 0
}

# e2e_json FILE EXPR: evaluate a Python expression over the JSON document d.
e2e_json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
r = eval(sys.argv[2])
print(r if not isinstance(r, bool) else ("yes" if r else "no"))' "$1" "$2"
}

# e2e_wait SECONDS CMD...: retry CMD every 0.2 s until it succeeds or time runs out.
e2e_wait() {
	limit=$(($1 * 5))
	shift
	i=0
	while [ "$i" -lt "$limit" ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# e2e_alive PID: true while PID runs (a zombie waiting to be reaped is not alive).
e2e_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
