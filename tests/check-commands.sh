#!/bin/sh
# SPDX-License-Identifier: MIT
# Fails when a command of the table (src/cmd/cmd-table.c) is missing from
# `milvusadm help`, from `help -o json`, or from the COMMANDS section of
# man/milvusadm.1 -- or when the page lists a command the table lacks.
# usage: check-commands.sh MILVUSADM SOURCE_ROOT
set -eu
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_STATE_HOME=$tmp "$bin" help >"$tmp/help"
HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_STATE_HOME=$tmp "$bin" help -o json >"$tmp/help.json"
python3 - "$root/src/cmd/cmd-table.c" "$tmp/help" "$tmp/help.json" \
    "$root/man/milvusadm.1" <<'PY'
import json, re, sys
table_src, help_txt, help_json, man = sys.argv[1:5]
src = open(table_src).read()
body = src[src.index("cmd_entries[]"):]
# Each entry starts with '{ "name",'; hidden ones say CMD_HIDDEN before the next entry.
entries = re.split(r'\n\t\{ ', body)
table, hidden = [], set()
for e in entries[1:]:
    m = re.match(r'"([^"]+)"', e)
    if not m:
        continue
    table.append(m.group(1))
    if "CMD_HIDDEN" in e:
        hidden.add(m.group(1))
shown = [n for n in table if n not in hidden]
listed = set()
for line in open(help_txt):
    m = re.match(r'  (\S+(?: \S+){0,2})  ', line)
    if m:
        listed.add(m.group(1).strip())
as_json = {c["name"] for c in json.load(open(help_json))["commands"]}
page = open(man).read()
sect = page[page.index(".Sh COMMANDS"):]
sect = sect[:sect.index("\n.Sh ", 1)]
in_man = set()
for line in sect.splitlines():
    if line.startswith(".It Cm "):
        words = []
        for w in line.split()[2:]:
            if not re.fullmatch(r'[a-z][a-z0-9-]*', w):
                break
            words.append(w)
        in_man.add(" ".join(words))
bad = 0
for n in shown:
    for what, where in (("help", listed), ("help -o json", as_json), ("man/milvusadm.1 COMMANDS", in_man)):
        if n not in where:
            print(f"not ok: '{n}' is in the command table but not in {what}")
            bad = 1
for n in sorted(in_man - set(table)):
    print(f"not ok: man/milvusadm.1 documents '{n}', which is not in the command table")
    bad = 1
print(f"{len(shown)} commands checked against help, help -o json and the man page")
sys.exit(bad)
PY
