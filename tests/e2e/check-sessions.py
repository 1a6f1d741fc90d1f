#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-sessions: compare the session keys of a lab, read with etcdctl, with what
../shared/contracts/milvus.md §1 gives for a profile. Independent of milvusadm's
own code: it is the ground truth the e2e tests hold the lab to.

usage: check-sessions.py ENDPOINT PROFILE   (PROFILE: 2.4 | 2.5 | 2.6 | 3.0 | standalone-2.5 | nostandby-2.5)
Prints one line per violation; exit 1 if any.
"""
import base64, json, re, subprocess, sys

VERSIONS = {"2.3": "2.3.4", "2.4": "2.4.13", "2.5": "2.5.27", "2.6": "2.6.18", "3.0": "3.0.4"}
# 3.0 (§10) has 2.6.8+'s keys, roles and fields, less TriggerKill.
MIX = ("2.6", "3.0")
PORTS = {"proxy": 19529, "rootcoord": 53100, "querycoord": 19531, "datacoord": 13333,
         "indexcoord": 13333, "querynode": 21123, "datanode": 21124, "indexnode": 21121,
         "streamingnode": 22222, "mixcoord": 22125}
COORDS = {"rootcoord", "querycoord", "datacoord", "indexcoord", "mixcoord"}


def etcd_sessions(ep):
    out = subprocess.run(["etcdctl", "--endpoints", ep, "get", "--prefix", "by-dev/meta/session/",
                          "-w", "json"], check=True, capture_output=True, text=True,
                         env={"ETCDCTL_API": "3", "PATH": "/usr/bin:/bin"}).stdout
    res = {}
    for kv in json.loads(out).get("kvs", []):
        k = base64.b64decode(kv["key"]).decode()[len("by-dev/meta/session/"):]
        v = base64.b64decode(kv.get("value", "")).decode()
        res[k] = (v, int(kv.get("lease", 0)))
    return res


def expected_fields(role, ver, exclusive):
    f = ["ServerID", "ServerName", "Address"]
    if exclusive:
        f.append("Exclusive")
    if ver != "3.0":
        f.append("TriggerKill")
    f += ["Version", "IndexEngineVersion"]
    if ver in ("2.5",) + MIX:
        f.append("ScalarIndexEngineVersion")
    if role == "querynode" and ver in ("2.5",) + MIX:
        f.append("IndexNonEncoding")
    f += ["LeaseID", "HostName"]
    if role == "indexnode" and ver in ("2.3", "2.4"):
        f.append("EnableDisk")
    return f


def main():
    ep, profile = sys.argv[1], sys.argv[2]
    mode = "cluster"
    if "-" in profile:
        mode, ver = profile.split("-")
    else:
        ver = profile
    kvs = etcd_sessions(ep)
    bad = []
    roles = {}
    for k, (v, lease) in sorted(kvs.items()):
        if k == "id":
            if not re.fullmatch(r"\d+", v) or lease != 0:
                bad.append(f"id: counter {v!r} lease {lease}")
            continue
        if k == "version":
            if ver not in MIX or v != VERSIONS[ver] or lease != 0:
                bad.append(f"version: unexpected {v!r} lease {lease} in {profile}")
            continue
        m = re.fullmatch(r"([a-z]+)(?:-(\d+))?", k)
        if not m:
            bad.append(f"{k}: unexpected key name")
            continue
        role, sid = m.group(1), m.group(2)
        j = json.loads(v)
        sname = j.get("ServerName")
        exclusive = sname in COORDS
        fields = list(j.keys())
        # Labels appear only for the 2.6 embedded querynode.
        want = expected_fields(sname, ver, exclusive)
        if ver in MIX and sname == "querynode" and f"streamingnode-{sid}" in kvs:
            want.append("ServerLabels")	# the querynode embedded in a streamingnode
            if j.get("ServerLabels") != {"STREAMING-EMBEDDED": "1"}:
                bad.append(f"{k}: ServerLabels {j.get('ServerLabels')}")
        if fields != want:
            bad.append(f"{k}: fields {fields} != {want}")
        if j.get("Version") != VERSIONS[ver]:
            bad.append(f"{k}: Version {j.get('Version')}")
        port = PORTS[sname]
        if ver in MIX and sname in ("rootcoord", "datacoord", "querycoord"):
            port = PORTS["mixcoord"]	# legacy keys carry mixcoord's JSON
        if not j.get("Address", "").endswith(f":{port}"):
            bad.append(f"{k}: Address {j.get('Address')} not port {port}")
        raw_lease = re.search(r'"LeaseID":(\d+)', v)
        if not raw_lease or int(raw_lease.group(1)) != lease or lease == 0:
            bad.append(f"{k}: LeaseID {raw_lease and raw_lease.group(1)} != key lease {lease}")
        if sid is not None and int(sid) != j["ServerID"]:
            bad.append(f"{k}: key id {sid} != ServerID {j['ServerID']}")
        if sid is None and role != sname:
            if not (ver in MIX and role in ("rootcoord", "datacoord", "querycoord") and sname == role):
                bad.append(f"{k}: ServerName {sname}")
        roles.setdefault(role, []).append(sid)
    # Key sets per profile.
    def count(role, bare):
        ids = roles.get(role, [])
        return sum(1 for i in ids if (i is None) == bare)
    if mode == "cluster" and ver in ("2.3", "2.4", "2.5"):
        want = {"rootcoord": 2, "querycoord": 2, "datacoord": 2, "proxy": 2, "querynode": 3,
                "datanode": 2, "indexnode": 1}
        for r, n in want.items():
            if count(r, False) != n:
                bad.append(f"{r}: {count(r, False)} instance keys, want {n}")
        for r in ("rootcoord", "querycoord", "datacoord", "indexcoord"):
            if count(r, True) != 1:
                bad.append(f"{r}: no active key")
        if count("indexcoord", False) > 2:
            bad.append("indexcoord: more instance keys than datacoords")
    elif mode == "nostandby":
        for r in ("rootcoord", "querycoord", "datacoord", "indexcoord"):
            if count(r, True) != 1 or count(r, False) != 0:
                bad.append(f"{r}: active-standby off wants one bare key and no -<id> keys")
    elif mode == "standalone":
        ids = {json.loads(v)["ServerID"] for k, (v, _) in kvs.items() if k not in ("id", "version")}
        if len(ids) != 1:
            bad.append(f"standalone: {len(ids)} ServerIDs, want 1")
        for r in ("rootcoord", "querycoord", "datacoord", "indexcoord"):
            if count(r, True) != 1 or count(r, False) != 0:
                bad.append(f"{r}: standalone wants one bare key")
        for r in ("proxy", "querynode", "datanode"):
            if count(r, False) != 1:
                bad.append(f"{r}: standalone wants one instance key")
    elif ver in MIX:
        want = {"mixcoord": 2, "streamingnode": 1, "querynode": 2, "datanode": 1, "proxy": 1}
        for r, n in want.items():
            if count(r, False) != n:
                bad.append(f"{r}: {count(r, False)} instance keys, want {n}")
        for r in ("mixcoord", "rootcoord", "datacoord", "querycoord"):
            if count(r, True) != 1:
                bad.append(f"{r}: no active/legacy key")
        for r in ("indexnode", "indexcoord"):
            if r in roles:
                bad.append(f"{r}: does not exist in {ver}")
        if "version" not in kvs:
            bad.append("version: a 2.6.8+ or 3.x active mixcoord writes session/version")
    for line in bad:
        print(line)
    print(f"check-sessions {profile}: {len(kvs)} keys, {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
