#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Self-test of tests/e2e/check-drill-report.py: a valid report passes, and each
# violation planted into a copy of it, or keyword planted into a copy of the
# schema, is refused with the path in the message. TAP on stdout; exits 1 when
# any check fails, so a planted violation that passes fails the test.
# The valid report (fixtures/drill-report-valid.json) is the full report of
# tests/unit/test-drill.c (report_full) as drill_report_doc() renders it; the
# planted violations are the ones that test plants into the C validator.
# usage: check-drill-report-test.py [SOURCE_ROOT]
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..")
VALIDATOR = os.path.join(ROOT, "tests", "e2e", "check-drill-report.py")
SCHEMA = os.path.join(ROOT, "doc", "drill-report.schema.json")
VALID = os.path.join(HERE, "fixtures", "drill-report-valid.json")

# (object or array at dotted path, member or index, new value as JSON text or
# None to remove it, what the refusal must say)
PLANTED = [
    ("probes.series_permille", "2", "1001",
     "$.probes.series_permille[2]: 1001 above the maximum 1000"),
    ("probes.series_permille", "1", "-2",
     "$.probes.series_permille[1]: -2 below the minimum -1"),
    ("", "rto_ms", "-1", "$.rto_ms: -1 below the minimum 0"),
    ("probes.by_proxy.1", "ok", "-20", "$.probes.by_proxy[1].ok: -20 below the minimum 0"),
    ("", "verdict", '"ok"', '$.verdict: "ok" not in the enum'),
    ("", "stalled_phase", '"nowhere"', '$.stalled_phase: "nowhere" not in the enum'),
    ("", "version", "2", "$.version: 2 is not the const 1"),
    ("", "version", "true", "$.version: true is not the const 1"),
    ("target", "role", None, "$.target: missing 'role'"),
    ("", "notes", None, "$: missing 'notes'"),
    ("", "created_ms", '"1700000000000"', '$.created_ms: "1700000000000" is not integer'),
    ("", "created_ms", "1700000000000.5", "$.created_ms: 1700000000000.5 is not integer"),
    ("probes", "sent", "true", "$.probes.sent: true is not integer"),
    ("target", "name", "null", "$.target.name: null is not string"),
    ("", "rto_ms", '"4690"', '$.rto_ms: "4690" is not integer|null'),
    ("", "election_applicable", "0", "$.election_applicable: 0 is not boolean"),
    ("notes", "0", "{}", "$.notes[0]: {} is not string"),
    ("", "phases", "{}", "$.phases: {} is not array"),
    ("times", "extra_ms", "1", "$.times.extra_ms: not allowed"),
    ("", "extra", "null", "$.extra: not allowed"),
    ("probes.by_proxy.0", "extra", "1", "$.probes.by_proxy[0].extra: not allowed"),
    ("probes", "series_permille", json.dumps([-1] * 3601),
     "$.probes.series_permille: 3601 items, over maxItems 3600"),
]

# Documents that must still pass: the bounds themselves, and 3.0 is an
# integer to JSON Schema (and to the C validator, which cannot tell it from 3).
STILL_VALID = [
    ("probes", "series_permille", json.dumps([-1] * 3599 + [1000])),
    ("", "rto_ms", "0"),
    ("", "rto_ms", "null"),
    ("", "created_ms", "1700000000000.0"),
]

# Keywords the validator does not implement, planted into a copy of the schema.
UNKNOWN = [
    ("properties.id", "pattern", '"^[0-9]"',
     "schema #/properties/id: unknown keyword 'pattern'"),
    ("properties.notes", "uniqueItems", "true",
     "schema #/properties/notes: unknown keyword 'uniqueItems'"),
    ("properties.probes.properties.series_permille.items", "exclusiveMaximum", "1001",
     "schema #/properties/probes/properties/series_permille/items: "
     "unknown keyword 'exclusiveMaximum'"),
    ("properties.probes.properties.series_permille", "minItems", "1",
     "schema #/properties/probes/properties/series_permille: unknown keyword 'minItems'"),
    ("", "if", "{}", "schema #: unknown keyword 'if'"),
    ("properties.times", "additionalProperties", '{"type": "integer"}',
     "schema #/properties/times: unsupported 'additionalProperties' value"),
    ("properties.created_ms", "type", '"int"',
     "schema #/properties/created_ms: unsupported 'type' value"),
]

n = 0
failed = 0


def tap(ok, what, detail=""):
    global n, failed
    n += 1
    failed += not ok
    print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
    if not ok and detail:
        print("".join("# %s\n" % line for line in detail.splitlines()), end="")


def node_at(doc, dotted):
    for part in filter(None, dotted.split(".")):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def what(dotted, key, text):
    where = ".".join(filter(None, [dotted, key]))
    return where + " removed" if text is None else "%s = %.24s" % (where, text)


def plant(doc, dotted, key, text):
    """A copy of doc with key of the node at dotted set to text (None: removed)."""
    doc = copy.deepcopy(doc)
    node = node_at(doc, dotted)
    key = int(key) if isinstance(node, list) else key
    if text is None:
        del node[key]
    else:
        node[key] = json.loads(text)
    return doc


def run(tmp, schema, report):
    """The validator's exit status and output on these two documents."""
    paths = []
    for name, doc in (("schema.json", schema), ("report.json", report)):
        paths.append(os.path.join(tmp, name))
        with open(paths[-1], "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
    p = subprocess.run([sys.executable, VALIDATOR] + paths,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def main():
    with open(SCHEMA) as f:
        schema = json.load(f)
    with open(VALID) as f:
        valid = json.load(f)
    with tempfile.TemporaryDirectory(prefix="check-drill-report-") as tmp:
        rc, out = run(tmp, schema, valid)
        tap(rc == 0 and out == "", "the valid report passes", out)
        for dotted, key, text in STILL_VALID:
            rc, out = run(tmp, schema, plant(valid, dotted, key, text))
            tap(rc == 0 and out == "", "still valid: %s" % what(dotted, key, text), out)
        for dotted, key, text, why in PLANTED:
            bad = plant(valid, dotted, key, text)
            rc, out = run(tmp, schema, bad)
            # Compared as text: in Python, True == 1.
            tap(json.dumps(bad) != json.dumps(valid) and rc == 1 and why in out,
                "refused: %s" % what(dotted, key, text),
                "exit %d, wanted 1 and '%s' in:\n%s" % (rc, why, out))
        # Python reads NaN, which JSON does not have.
        text = json.dumps(valid).replace('"rto_ms": 9600', '"rto_ms": NaN')
        rc, out = run(tmp, schema, text)
        tap("NaN" in text and rc == 1 and "NaN is not JSON" in out, "refused: NaN", out)
        for dotted, key, text, why in UNKNOWN:
            rc, out = run(tmp, plant(schema, dotted, key, text), valid)
            tap(rc == 2 and why in out, "schema refused: %s" % what(dotted, key, text),
                "exit %d, wanted 2 and '%s' in:\n%s" % (rc, why, out))
        # Annotations are ignored; a property named like a keyword is no keyword.
        s = plant(schema, "properties.id", "$comment", '"ignored"')
        s = plant(s, "properties", "pattern", "{}")
        rc, out = run(tmp, s, valid)
        tap(rc == 0 and out == "", "schema: $comment and a property named pattern pass", out)
    print("1..%d" % n)
    return 1 if failed else 0


sys.exit(main())
