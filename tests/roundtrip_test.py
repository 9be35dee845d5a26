#!/usr/bin/env python3
"""Round-trip test of FtM entity JSON lines (issue 2, sections 5 and 11).

For each input (tests/fixtures/cli/roundtrip.ftm.json, and the real
../shared/data/ftm/party_donations_de/entities.ftm.json when present):

  1. FtM in -> export --plain: the export holds the same entities and values, compared as
     sets of (id, schema, property, value) tuples.
  2. export (with casegraph's provenance) -> import into a new case -> export: identical bytes,
     both for the full export and for --plain.

Usage: roundtrip_test.py CASEGRAPH [SHARED_DIR]
Prints one line per check, then 'N passed, N failed'; exits non-zero on failure.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(binary, *args):
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"casegraph {' '.join(args)} -> exit {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def tuples(path):
    """The (id, schema, prop, value) set and the entity count of an FtM JSON lines file."""
    out = set()
    ids = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            ids.add(e["id"])
            for prop, values in e.get("properties", {}).items():
                for v in values:
                    out.add((e["id"], e["schema"], prop, v))
    return out, ids


def fresh_case(binary, tmp, name):
    path = os.path.join(tmp, name)
    run(binary, "init", "--case", path)
    return path


def check_input(binary, src, tmp, tag):
    results = []

    # 1. FtM in -> export: same entities and values.
    case_a = fresh_case(binary, tmp, f"{tag}_a.case")
    run(binary, "import", "--case", case_a, src)
    plain_a = os.path.join(tmp, f"{tag}_a.plain.json")
    full_a = os.path.join(tmp, f"{tag}_a.full.json")
    run(binary, "export", "--case", case_a, "--plain", "--out", plain_a)
    run(binary, "export", "--case", case_a, "--out", full_a)
    want, want_ids = tuples(src)
    got, got_ids = tuples(plain_a)
    missing = sorted(want - got)
    extra = sorted(got - want)
    msg = []
    if want_ids != got_ids:
        msg.append(f"entity ids differ: missing {sorted(want_ids - got_ids)[:5]}, extra {sorted(got_ids - want_ids)[:5]}")
    if missing:
        msg.append(f"{len(missing)} values lost or changed, e.g. {missing[:5]}")
    if extra:
        msg.append(f"{len(extra)} values added or changed, e.g. {extra[:5]}")
    results.append((f"{tag}: FtM in -> export has the same {len(want_ids)} entities and {len(want)} values",
                    "; ".join(msg)))

    # 2. export -> import into a new case -> export is identical.
    case_b = fresh_case(binary, tmp, f"{tag}_b.case")
    run(binary, "import", "--case", case_b, full_a)
    full_b = os.path.join(tmp, f"{tag}_b.full.json")
    plain_b = os.path.join(tmp, f"{tag}_b.plain.json")
    run(binary, "export", "--case", case_b, "--out", full_b)
    run(binary, "export", "--case", case_b, "--plain", "--out", plain_b)
    for kind, a, b in (("full", full_a, full_b), ("plain", plain_a, plain_b)):
        la = open(a, encoding="utf-8").read().splitlines()
        lb = open(b, encoding="utf-8").read().splitlines()
        err = ""
        if la != lb:
            diff = [(x, y) for x, y in zip(la, lb) if x != y]
            err = f"{len(la)} vs {len(lb)} lines, {len(diff)} differ"
            if diff:
                err += f"; first:\n       A: {diff[0][0][:300]}\n       B: {diff[0][1][:300]}"
        results.append((f"{tag}: export ({kind}) -> import into a new case -> export is identical", err))

    # The stats of the two cases agree as well.
    sa = json.loads(run(binary, "stats", "--case", case_a, "--json"))
    sb = json.loads(run(binary, "stats", "--case", case_b, "--json"))
    err = ""
    for k in ("schemata", "entities", "links", "link_types"):
        if sa.get(k) != sb.get(k):
            err = f"{k}: {sa.get(k)} != {sb.get(k)}"
    results.append((f"{tag}: stats of the original and the re-imported case agree", err))
    return results


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared")
    inputs = [("fixture", os.path.join(HERE, "fixtures", "cli", "roundtrip.ftm.json"))]
    real = os.path.join(shared, "data", "ftm", "party_donations_de", "entities.ftm.json")
    if os.path.exists(real):
        inputs.append(("party_donations_de", real))
    else:
        print(f"SKIP party_donations_de: {real} is absent")
    tmp = tempfile.mkdtemp(prefix="cg-roundtrip-")
    passed = failed = 0
    try:
        for tag, src in inputs:
            try:
                results = check_input(binary, src, tmp, tag)
            except RuntimeError as e:
                results = [(f"{tag}: round trip", str(e))]
            for name, err in results:
                if err:
                    failed += 1
                    print(f"FAIL {name}\n     {err}")
                else:
                    passed += 1
                    print(f"ok   {name}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
