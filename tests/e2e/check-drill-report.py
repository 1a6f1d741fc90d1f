#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Validate a saved drill report against doc/drill-report.schema.json, with the
# subset of JSON Schema that schema uses: type (one or a list), properties,
# required, additionalProperties: false, items, enum, const, minimum.
# usage: check-drill-report.py SCHEMA REPORT...
import json
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check(schema, v, path, errs):
    t = schema.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(TYPES[x](v) for x in ts):
            errs.append("%s: %r is not %s" % (path, v, "|".join(ts)))
            return
    if "const" in schema and v != schema["const"]:
        errs.append("%s: %r is not %r" % (path, v, schema["const"]))
    if "enum" in schema and v not in schema["enum"]:
        errs.append("%s: %r not in %r" % (path, v, schema["enum"]))
    if "minimum" in schema and isinstance(v, int) and v < schema["minimum"]:
        errs.append("%s: %r < %r" % (path, v, schema["minimum"]))
    if isinstance(v, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in v:
                errs.append("%s: missing %r" % (path, k))
        for k, x in v.items():
            if k in props:
                check(props[k], x, path + "." + k, errs)
            elif schema.get("additionalProperties") is False:
                errs.append("%s: unexpected %r" % (path, k))
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            check(schema["items"], x, "%s[%d]" % (path, i), errs)


schema = json.load(open(sys.argv[1]))
bad = 0
for f in sys.argv[2:]:
    errs = []
    check(schema, json.load(open(f)), "$", errs)
    for e in errs:
        print("%s: %s" % (f, e))
    bad += len(errs) > 0
sys.exit(1 if bad else 0)
