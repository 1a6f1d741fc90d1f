#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's session keys match the contract in every profile: read with etcdctl
# (independently of milvusadm), checked by check-sessions.py and by
# ../shared/tools/session-lint.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.71.0.0/24

lint_only_legacy_ports() {	# lint_only_legacy_ports EP VERSION
	local out
	out=$(python3 "$SHARED_DIR/tools/session-lint" --endpoint "$1" --root by-dev --version "$2")
	echo "$out"
	[ "$(echo "$out" | grep -v -E "^(rootcoord|datacoord|querycoord): Address port 22125 is not" |
	    grep -v -c "keys checked")" = 0 ]
}

check_profile() {	# check_profile NAME THIRD-OCTET PROFILE lab-up-args...
	local name=$1 octet=$2 profile=$3; shift 3
	local ep="http://127.71.$octet.2:2379" ver
	lab_up "$name" "127.71.$octet.0/24" --etcd 1 "$@"
	e2e_check "check-sessions $profile" python3 "$E2E_DIR/check-sessions.py" "$ep" "$profile"
	ver=$(python3 - "$profile" <<'PY'
import sys
p = sys.argv[1].split("-")[-1]
print({"2.4": "2.4.13", "2.5": "2.5.27", "2.6": "2.6.18"}[p])
PY
)
	if [ "$profile" = 2.6 ]; then
		# session-lint wants each legacy key's Address on that role's own port, but
		# contract §1.6/§2.4 says 2.6.8+ writes the legacy rootcoord/datacoord/
		# querycoord keys with mixcoord's JSON (port 22125) but for ServerName. The
		# contract wins: those three lines, and only those, are expected.
		e2e_check "session-lint $profile (only the legacy-key port lines)" \
			lint_only_legacy_ports "$ep" "$ver"
	else
		e2e_check "session-lint $profile" python3 "$SHARED_DIR/tools/session-lint" \
			--endpoint "$ep" --root by-dev --version "$ver"
	fi
	lab_down "$name"
}

check_profile s24 1 2.4 --milvus 2.4
check_profile s25 2 2.5 --milvus 2.5
check_profile s26 3 2.6 --milvus 2.6
check_profile ssa 4 standalone-2.5 --milvus 2.5 --standalone
check_profile sns 5 nostandby-2.5 --milvus 2.5 --no-standby
e2e_done
