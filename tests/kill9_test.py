#!/usr/bin/env python3
"""kill -9 test of import atomicity (issue 2, sections 4 and 11).

An import commits whole or not at all: a SIGKILLed import leaves the case exactly as before,
and a committed import survives. The test

  1. generates a synthetic case (`casegraph generate --scale N`),
  2. builds a base case (one earlier import: tests/fixtures/cli/graph.ftm.json) and a reference
     case (base + the generated mapping imported fully), timing the full import,
  3. loops: copies the base case, starts `casegraph import --mapping` on it, SIGKILLs it after a
     delay spread over [0, 1.1 x full import time] (with jitter), then checks that
       - `sqlite3 CASE 'PRAGMA integrity_check'` says ok,
       - `casegraph stats --json` equals the base's or the reference's, and
       - `casegraph export --plain` (without the import-time first_seen/last_seen) equals the
         base's or the reference's, and the same one as stats,
     never anything in between.

Usage: kill9_test.py CASEGRAPH [--scale N] [--iterations N] [--seed S]
Environment: CG_KILL9_SCALE, CG_KILL9_ITERATIONS override the defaults (20000 links,
20 iterations; the brief's --scale 200000 takes about a minute per import on this 2-core
machine under load, too slow for 20 kills within ~3 minutes).
Prints one line per iteration and 'N passed, N failed'; exits non-zero on failure.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_INPUT = os.path.join(HERE, "fixtures", "cli", "graph.ftm.json")
SUFFIXES = ("", "-wal", "-shm", "-journal")


def run(binary, *args, check=True):
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise RuntimeError(f"casegraph {' '.join(args)} -> exit {proc.returncode}: {proc.stderr.strip()}")
    return proc


def copy_case(src, dst):
    for s in SUFFIXES:
        if os.path.exists(dst + s):
            os.remove(dst + s)
    for s in SUFFIXES:
        if os.path.exists(src + s):
            shutil.copyfile(src + s, dst + s)


def remove_case(path):
    for s in SUFFIXES:
        try:
            os.remove(path + s)
        except FileNotFoundError:
            pass


def integrity(path):
    proc = subprocess.run(["sqlite3", path, "PRAGMA integrity_check"], capture_output=True, text=True,
                          timeout=300)
    return (proc.stdout + proc.stderr).strip()


def state(binary, case, tmp):
    """(stats JSON without volatile fields, digest of the normalised plain export)."""
    proc = run(binary, "stats", "--case", case, "--json", check=False)
    if proc.returncode != 0:
        return (f"stats failed: exit {proc.returncode}: {proc.stderr.strip()}", None)
    stats = json.loads(proc.stdout)
    out = os.path.join(tmp, "state_export.json")
    proc = run(binary, "export", "--case", case, "--plain", "--out", out, check=False)
    if proc.returncode != 0:
        return (json.dumps(stats, sort_keys=True), f"export failed: exit {proc.returncode}: {proc.stderr.strip()}")
    lines = []
    with open(out, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                e.pop("first_seen", None)
                e.pop("last_seen", None)
                e["properties"] = {k: sorted(v) for k, v in e.get("properties", {}).items()}
                lines.append(json.dumps(e, sort_keys=True, ensure_ascii=False))
    lines.sort()
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    os.remove(out)
    return (json.dumps(stats, sort_keys=True), f"{len(lines)} entities, sha256 {digest[:16]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--scale", type=int, default=int(os.environ.get("CG_KILL9_SCALE", "20000")))
    ap.add_argument("--iterations", type=int, default=int(os.environ.get("CG_KILL9_ITERATIONS", "20")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("CG_KILL9_SEED", "0")) or None)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    print(f"kill9: scale {args.scale}, {args.iterations} iterations, seed {seed}")

    tmp = tempfile.mkdtemp(prefix="cg-kill9-")
    passed = failed = 0
    try:
        gen = os.path.join(tmp, "gen")
        run(binary, "generate", "--scale", str(args.scale), "--seed", "11", "--out", gen)
        mapping = os.path.join(gen, "mapping.yml")

        base = os.path.join(tmp, "base.case")
        run(binary, "init", "--case", base)
        run(binary, "import", "--case", base, BASE_INPUT)
        ref = os.path.join(tmp, "ref.case")
        copy_case(base, ref)
        t0 = time.monotonic()
        run(binary, "import", "--case", ref, "--mapping", mapping)
        full_time = time.monotonic() - t0
        before = state(binary, base, tmp)
        after = state(binary, ref, tmp)
        print(f"base:      {before[1]}\nreference: {after[1]} (full import {full_time:.2f} s)")
        if before == after:
            print("FAIL the reference import changed nothing")
            return 1

        work = os.path.join(tmp, "work.case")
        n = args.iterations
        outcomes = {"before": 0, "after": 0}
        for i in range(n):
            # Spread the kill points evenly over [0, 1.1 T], with jitter inside each slot.
            slot = 1.1 * full_time / n
            delay = slot * i + rng.uniform(0, slot)
            copy_case(base, work)
            proc = subprocess.Popen([binary, "import", "--case", work, "--mapping", mapping],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            killed = False
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                killed = True
            rc = proc.wait()
            ok_text = integrity(work)
            now = state(binary, work, tmp)
            errors = []
            if ok_text != "ok":
                errors.append(f"integrity_check: {ok_text[:300]}")
            if now == before:
                verdict = "before"
            elif now == after:
                verdict = "after"
            else:
                verdict = "IN BETWEEN"
                errors.append(f"stats {now[0][:400]}\n       export {now[1]}")
            if not killed and verdict != "after":
                errors.append(f"import finished with exit {rc} but the case is not fully imported")
            how = f"killed at {delay:6.2f} s" if killed else f"finished (exit {rc}) before {delay:6.2f} s"
            if errors:
                failed += 1
                print(f"FAIL #{i + 1:2d} {how}: {verdict}\n     " + "\n     ".join(errors))
            else:
                passed += 1
                outcomes[verdict] += 1
                print(f"ok   #{i + 1:2d} {how}: case is {verdict}")
            remove_case(work)
        print(f"outcomes: {outcomes['before']} before, {outcomes['after']} after")
    except RuntimeError as e:
        failed += 1
        print(f"FAIL setup: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
