#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tables fit the terminal: on a narrow pty (script(1), `stty cols`) no line of
# `theme list` or `topology` is wider than the terminal, cut values end in "…"
# (UTF-8) or "..." (C locale), columns that cannot fit are named; in a pipe
# the TSV holds every value whole. `events --follow` says on a terminal that
# it is following, and keeps a pipe's stderr quiet.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
command -v script >/dev/null || { echo "1..0 # SKIP script(1) is not installed"; exit 0; }
e2e_init 127.134.0.0/24
M=$MILVUSADM
src=$(cd "$E2E_DIR/../.." && pwd)
scr=$E2E_TMP/tty

# on_tty COLS LOCALE ARGS...: milvusadm ARGS on a pty COLS wide; what the
# terminal got (stdout and stderr) in $scr.
on_tty() {
	local cols=$1 loc=$2; shift 2
	NO_COLOR=1 LC_ALL=$loc script -qec "stty cols $cols rows 24; exec $(printf '%q ' "$M" "$@")" \
		/dev/null </dev/null | tr -d '\r' >"$scr"
}
# The widest line of file $1 in characters (UTF-8).
widest() {
	python3 -c 'import sys
print(max((len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")), default=0))' "$1"
}
fits() { w=$(widest "$scr"); echo "widest line: $w"; cat "$scr"; [ "$w" -le "$1" ]; }

# A user theme whose name and path are long.
tdir=$XDG_CONFIG_HOME/milvusadm/themes
mkdir -p "$tdir"
cp "$src/themes/mono.yaml" "$tdir/long-theme-name-for-fit.yaml"
path=$tdir/long-theme-name-for-fit.yaml

"$M" theme list >"$E2E_TMP/themes.tsv" 2>&1
e2e_check "theme list in a pipe: TSV with the whole path" \
	sh -c "grep -qF '$path' '$E2E_TMP/themes.tsv' && ! grep -q '…' '$E2E_TMP/themes.tsv'"
on_tty 250 C.UTF-8 theme list
e2e_check "on a 250-column terminal: nothing cut" \
	sh -c "grep -qF '$path' '$scr' && ! grep -q '…' '$scr'"
on_tty 60 C.UTF-8 theme list
e2e_check "on a 60-column terminal: no line over 60, cut with '…'" \
	bash -c "$(declare -f widest fits); scr='$scr' fits 60 && grep -q '…' '$scr' &&
	    grep -q '^NAME ' '$scr' && grep -q '^long-theme' '$scr'"
on_tty 60 C theme list
e2e_check "in the C locale: cut with '...', never '…'" \
	bash -c "$(declare -f widest fits); scr='$scr' fits 60 && grep -q '\\.\\.\\.' '$scr' &&
	    ! grep -q '…' '$scr'"
on_tty 30 C.UTF-8 theme list
e2e_check "on a 30-column terminal: the columns left out are named" \
	bash -c "$(declare -f widest fits); scr='$scr' fits 30 && grep -q '^(not shown at 30' '$scr'"

# A real table against a lab: every component still has its row.
lab_up fit "$E2E_SUBNET" --etcd 1 --no-backup --milvus 2.5
"$M" -p lab-fit topology >"$E2E_TMP/topo.tsv" 2>&1
rows=$(awk -F'\t' 'NF > 5' "$E2E_TMP/topo.tsv" | wc -l)
e2e_check "topology in a pipe: TSV rows whole (some wider than 60)" \
	sh -c "[ $rows -ge 10 ] && [ \$(awk '{ if (length > m) m = length } END { print m }' \
	    '$E2E_TMP/topo.tsv') -gt 60 ] && ! grep -q '…' '$E2E_TMP/topo.tsv'"
on_tty 60 C.UTF-8 -p lab-fit topology
shown=$(awk '/^ROLE /{t=1; next} t && (/^$/ || /^\(/){t=0} t' "$scr" | wc -l)
e2e_check "topology on 60 columns: no line over 60, one row per component ($rows)" \
	bash -c "$(declare -f widest fits); scr='$scr' fits 60 && [ $shown -eq $rows ]"
while read -r role id _; do
	grep -Eq "^$role +$id " "$scr" || echo "missing $role $id"
done < <(awk -F'\t' 'NF > 5 { print $1, $2 }' "$E2E_TMP/topo.tsv") >"$E2E_TMP/missing"
e2e_check "... each with its role and ID whole" [ ! -s "$E2E_TMP/missing" ]

# events --follow: a line on a terminal's stderr, none in a pipe.
NO_COLOR=1 LC_ALL=C.UTF-8 script -qec "stty cols 100 rows 24; exec timeout -s INT 3 \
	$(printf '%q ' "$M" -p lab-fit events --follow)" /dev/null </dev/null | tr -d '\r' >"$scr"
e2e_check "events --follow on a terminal says it is following" \
	sh -c "cat '$scr'; grep -q 'following events' '$scr'"
timeout -s INT 3 "$M" -p lab-fit events --follow >/dev/null 2>"$E2E_TMP/follow.err"
e2e_check "... and not to a pipe" sh -c "cat '$E2E_TMP/follow.err'; ! grep -q following '$E2E_TMP/follow.err'"

e2e_done
