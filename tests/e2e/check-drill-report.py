#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Validate a saved drill report against doc/drill-report.schema.json, with the
# subset of JSON Schema that schema uses: type (one or a list), const, enum,
# minimum, maximum, maxItems, required, properties, additionalProperties
# (true/false), items. A schema using anything else is refused (exit 2), so
# that a keyword added to it cannot pass documents unchecked; the C validator
# in tests/unit/test-drill.c has the same lists.
# usage: check-drill-report.py SCHEMA REPORT...
import json
import sys

KEYWORDS = {"type", "const", "enum", "minimum", "maximum", "maxItems",
            "required", "properties", "additionalProperties", "items"}
ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description"}


def is_number(v):
    # bool is a subclass of int in Python; in JSON true is no number.
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_integer(v):
    # 3 and 3.0 are integers (JSON Schema counts the value), 3.5 is not.
    return is_number(v) and (isinstance(v, int) or v.is_integer())


TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": is_integer,
    "number": is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def same(a, b):
    """JSON equality: true is not 1 (Python says True == 1), 1 is 1.0."""
    if is_number(a) and is_number(b):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def keyword_ok(k, x):
    """The value of keyword k has the shape check() relies on."""
    if k == "type":
        ts = x if isinstance(x, list) else [x]
        return len(ts) > 0 and all(isinstance(t, str) and t in TYPES for t in ts)
    if k == "enum":
        return isinstance(x, list)
    if k in ("minimum", "maximum"):
        return is_number(x)
    if k == "maxItems":
        return is_integer(x) and x >= 0
    if k == "required":
        return isinstance(x, list) and all(isinstance(n, str) for n in x)
    if k == "additionalProperties":
        return isinstance(x, bool)  # a schema here is not implemented
    if k in ("properties", "items"):
        return isinstance(x, dict)
    return True  # const: any value


def check_schema(s, at, errs):
    """Refuse what check() does not implement; at is a JSON Pointer."""
    if not isinstance(s, dict):
        errs.append("schema %s: not an object" % at)
        return
    for k, x in s.items():
        if k in ANNOTATIONS:
            continue
        if k not in KEYWORDS:
            errs.append("schema %s: unknown keyword '%s'" % (at, k))
        elif not keyword_ok(k, x):
            errs.append("schema %s: unsupported '%s' value" % (at, k))
        elif k == "items":
            check_schema(x, at + "/items", errs)
        elif k == "properties":
            for n, p in x.items():
                check_schema(p, "%s/properties/%s" % (at, n), errs)


def check(schema, v, path, errs):
    t = schema.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(TYPES[x](v) for x in ts):
            errs.append("%s: %s is not %s" % (path, json.dumps(v)[:40], "|".join(ts)))
            return
    if "const" in schema and not same(v, schema["const"]):
        errs.append("%s: %s is not the const %s" % (path, json.dumps(v)[:40],
                                                    json.dumps(schema["const"])))
    if "enum" in schema and not any(same(v, e) for e in schema["enum"]):
        errs.append("%s: %s not in the enum" % (path, json.dumps(v)[:40]))
    if "minimum" in schema and is_number(v) and v < schema["minimum"]:
        errs.append("%s: %r below the minimum %r" % (path, v, schema["minimum"]))
    if "maximum" in schema and is_number(v) and v > schema["maximum"]:
        errs.append("%s: %r above the maximum %r" % (path, v, schema["maximum"]))
    if "maxItems" in schema and isinstance(v, list) and len(v) > schema["maxItems"]:
        errs.append("%s: %d items, over maxItems %d" % (path, len(v), schema["maxItems"]))
    if isinstance(v, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in v:
                errs.append("%s: missing '%s'" % (path, k))
        for k, x in v.items():
            if k in props:
                check(props[k], x, path + "." + k, errs)
            elif schema.get("additionalProperties") is False:
                errs.append("%s.%s: not allowed" % (path, k))
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            check(schema["items"], x, "%s[%d]" % (path, i), errs)


def no_constant(name):
    # Python's json reads NaN and Infinity, which JSON does not have.
    raise ValueError("%s is not JSON" % name)


def load(path):
    with open(path) as f:
        return json.load(f, parse_constant=no_constant)


schema = load(sys.argv[1])
errs = []
check_schema(schema, "#", errs)
if errs:
    for e in errs:
        print("%s: %s" % (sys.argv[1], e))
    sys.exit(2)
bad = 0
for f in sys.argv[2:]:
    errs = []
    try:
        check(schema, load(f), "$", errs)
    except ValueError as e:  # json.JSONDecodeError too
        errs.append(str(e))
    for e in errs:
        print("%s: %s" % (f, e))
    bad += len(errs) > 0
sys.exit(1 if bad else 0)
