#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lab verbs without --name find the lab: the one behind -p or the default
# profile, else the only one running; with several running and no lab profile
# they name them all (exit 2); with none running they say so (exit 1), and
# `lab down` never reports success for nothing stopped.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.132.0.0/24
NET_A=127.132.0.0/24
NET_B=127.133.0.0/24
M=$MILVUSADM
out=$E2E_TMP/out
err=$E2E_TMP/err
cfg=$XDG_CONFIG_HOME/milvusadm/config.yaml

run() { "$M" "$@" >"$out" 2>"$err" </dev/null; rc=$?; }
# The lab a `lab status -o json` in $out showed, checked against the
# supervisor's own pid file: "NAME" when both agree.
shown_lab() {
	local lab sup
	lab=$(e2e_json "$out" 'd["lab"]') || return 1
	sup=$(cat "$(e2e_lab_dir "$lab")/supervisor.pid") || return 1
	[ "$(e2e_json "$out" 'd["supervisor_pid"]')" = "$sup" ] && echo "$lab"
}
# Run the lab verbs as if no profile were configured (the file set aside).
no_config() { mv "$cfg" "$cfg.off"; "$@"; mv "$cfg.off" "$cfg"; }

# Nothing made yet: no lab, and `lab down` says there was nothing to stop.
run lab down
e2e_check "lab down with no lab: exit 1" eval "cat '$err'; [ $rc -eq 1 ]"
e2e_check "... and says no lab is running" grep -q "no lab is running" "$err"
run lab status
e2e_check "lab status with no lab: exit 1, never about a lab 'default'" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q 'no lab is running' '$err' && ! grep -q default '$err'"

lab_up fa "$NET_A" --etcd 1 --standalone --no-backup
e2e_check "lab up made profile lab-fa the default" grep -q "^default_profile: lab-fa" "$cfg"

run lab status -o json
e2e_check "lab status without --name: the default profile's lab 'fa'" \
	eval "cat '$err'; [ $rc -eq 0 ] && [ \"\$(shown_lab)\" = fa ]"
no_config run lab status -o json
e2e_check "with no profile at all: the only running lab 'fa'" \
	eval "cat '$err'; [ $rc -eq 0 ] && [ \"\$(shown_lab)\" = fa ]"

lab_up fb "$NET_B" --etcd 1 --standalone --no-backup
run -p lab-fb lab status -o json
e2e_check "-p lab-fb lab status: lab 'fb'" \
	eval "cat '$err'; [ $rc -eq 0 ] && [ \"\$(shown_lab)\" = fb ]"
run lab status -o json
e2e_check "two labs: the default profile still picks 'fa'" \
	eval "cat '$err'; [ $rc -eq 0 ] && [ \"\$(shown_lab)\" = fa ]"
no_config run lab status
e2e_check "two labs and no lab profile: exit 2 naming both" \
	eval "cat '$err'; [ $rc -eq 2 ] && grep -q \"'fa' and 'fb'\" '$err' && [ ! -s '$out' ]"
run -p nosuch lab status
e2e_check "two labs and -p naming no lab: exit 2 naming both" \
	eval "cat '$err'; [ $rc -eq 2 ] && grep -q \"'fa' and 'fb'\" '$err'"
no_config run lab kill standalone-1 --signal CONT
e2e_check "lab kill, two labs, no lab profile: exit 2, nothing signalled" \
	eval "cat '$err'; [ $rc -eq 2 ] && [ ! -s '$out' ]"

# The default profile's lab stopped, another running: that one, said so.
lab_down fa
run lab status -o json
e2e_check "profile's lab stopped: the only running lab 'fb', with a note" \
	eval "cat '$err'; [ $rc -eq 0 ] && [ \"\$(shown_lab)\" = fb ] && grep -q \"using lab 'fb'\" '$err'"
sup=$(cat "$(e2e_lab_dir fb)/supervisor.pid")
run lab down
e2e_check "lab down without --name stops 'fb'" \
	eval "cat '$err'; [ $rc -eq 0 ] && grep -q \"lab 'fb' is down\" '$err'"
e2e_check "... whose supervisor is gone" e2e_wait 10 sh -c "! kill -0 $sup"
no_process_left() { no_lab_process fa && no_lab_process fb; }
e2e_check "... and no process of either lab is left" e2e_wait 10 no_process_left

# Nothing running: never a silent success.
run lab down
e2e_check "lab down again: exit 1, the profile's lab 'fa' is not running" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q \"lab 'fa' is not running\" '$err'"
run lab down --name fb
e2e_check "lab down --name of a stopped lab: exit 1" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q 'nothing to stop' '$err'"
no_config run lab down
e2e_check "lab down, no profile, none running: exit 1 listing the stopped labs" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q \"no lab is running (stopped: 'fa' and 'fb'\" '$err'"
run -p lab-fb lab status
e2e_check "-p lab-fb lab status of the stopped lab: exit 1, says so" \
	eval "cat '$err'; [ $rc -eq 1 ] && grep -q \"lab 'fb' is not running\" '$err'"

e2e_done
