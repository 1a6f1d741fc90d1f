#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command on this clone: `./run lab` installs nothing more
# (CI's `./run test` already did), builds, starts the lab and shows its status;
# with no terminal the status is one snapshot and the command returns.
set -u
. "$E2E_LIB"
e2e_init 127.70.1.0/24
src=$(cd "$(dirname "$E2E_LIB")/../.." && pwd)
e2e_register_lab readme
grep -q '^\./run lab' "$src/README.md" && grep -q '^\./run test' "$src/README.md"
e2e_check "the README gives the two commands" [ $? -eq 0 ]
( cd "$src" && ./run lab --name readme --subnet "$E2E_SUBNET" --timeout 90s ) \
	</dev/null >"$E2E_TMP/run-lab.out" 2>&1
rc=$?
sed 's/^/# /' "$E2E_TMP/run-lab.out" | tail -n 30
e2e_check "./run lab exits 0" [ "$rc" -eq 0 ]
e2e_check "./run lab shows the active rootcoord" grep -q "rootcoord.*ACTIVE" "$E2E_TMP/run-lab.out"
e2e_check "the lab profile is the default" grep -q "^default_profile: lab" "$XDG_CONFIG_HOME/milvusadm/config.yaml"
"$MILVUSADM" lab down --name readme >/dev/null 2>&1
e2e_check "lab down leaves no process" [ -z "$(e2e_lab_pids readme)" ]
e2e_done
