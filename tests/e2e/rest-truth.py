#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rest-truth: the collections and replicas of a lab read independently of
milvusadm, by HTTP: every collection of every database on REST v2 (id, rows,
load state, aliases, replica count) and every replica of the proxy's
/api/v1/_qc/replica (2.5+). Prints one JSON document.

usage: rest-truth.py PROXY_IP
"""
import json, sys, urllib.request
proxy = sys.argv[1]
rest = "http://%s:19530/v2/vectordb/" % proxy
def post(path, body):
    r = urllib.request.urlopen(urllib.request.Request(rest + path,
        data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}), timeout=5)
    return json.load(r)["data"]
qc = json.load(urllib.request.urlopen("http://%s:9091/api/v1/_qc/replica" % proxy, timeout=5))
out = {"collections": {}, "replicas": {}}
for db in post("databases/list", {}):
    for c in post("collections/list", {"dbName": db}):
        b = {"dbName": db, "collectionName": c}
        d = post("collections/describe", b)
        st = post("collections/get_load_state", b)
        out["collections"][db + "." + c] = {
            "id": str(d["collectionID"]), "aliases": sorted(d.get("aliases") or []),
            "rows": post("collections/get_stats", b)["rowCount"],
            "load_state": st["loadState"],
            "replicas": sum(1 for r in qc if r["collectionID"] == str(d["collectionID"]))}
for r in qc:
    out["replicas"][r["ID"]] = {"collection_id": r["collectionID"],
        "rw_nodes": sorted(r["rw_nodes"]), "ro_nodes": sorted(r.get("ro_nodes") or [])}
json.dump(out, sys.stdout)
