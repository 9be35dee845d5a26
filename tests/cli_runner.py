#!/usr/bin/env python3
"""Data-driven end-to-end tests of the casegraph CLI (Kuzu-style test files).

Each tests/cli/*.test file is a sequence of blocks:

    -CASE                     start a fresh, empty case file ($CASE)
    -STATEMENT <arguments>    run `casegraph <arguments>` ($CASE, $FIXTURES, $TMP, $SHARED expand)
    ---- ok                   expect exit code 0
    ---- error N              expect exit code N (any non-zero if N omitted)
    ---- json                 expect exit 0 and stdout JSON to contain the JSON that follows
                              (objects: subset; lists: same length, element-wise subset)
    ---- contains             expect every following line to appear in stdout+stderr
    ---- count KEY N          expect exit 0 and len(stdout_json[KEY]) == N
    -SKIP-IF-NO-SHARED        skip the rest of the file when ../shared/data is absent

Expectation bodies run until a blank line, a '#' comment or a line starting with '-'.
Prints one line per failed statement and a final 'N passed, N failed' line.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile


def subset(expected, actual, path="$"):
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected object, got {type(actual).__name__}"
        for k, v in expected.items():
            if k not in actual:
                return f"{path}: missing key {k!r}"
            err = subset(v, actual[k], f"{path}.{k}")
            if err:
                return err
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected list of {len(expected)}, got {json.dumps(actual)[:200]}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            err = subset(e, a, f"{path}[{i}]")
            if err:
                return err
        return None
    if isinstance(expected, float) and isinstance(actual, (int, float)):
        return None if abs(expected - actual) <= 1e-6 * max(1.0, abs(expected)) else f"{path}: {expected} != {actual}"
    return None if expected == actual else f"{path}: expected {expected!r}, got {actual!r}"


def run_file(binary, path, fixtures, shared):
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="cgtest-")
    env = {"CASE": os.path.join(tmp, "test.case"), "FIXTURES": fixtures, "TMP": tmp, "SHARED": shared}
    lines = open(path, encoding="utf-8").read().splitlines()
    i = 0
    last = None
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("-SKIP-IF-NO-SHARED"):
            if not os.path.isdir(os.path.join(shared, "data")):
                print(f"SKIP {os.path.basename(path)}: ../shared/data is absent")
                break
            continue
        if line.startswith("-CASE"):
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.remove(env["CASE"] + suffix)
                except FileNotFoundError:
                    pass
            continue
        if line.startswith("-STATEMENT"):
            text = line[len("-STATEMENT"):].strip()
            for k, v in env.items():
                text = text.replace("$" + k, v)
            args = shlex.split(text)
            proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=600)
            last = (text, proc)
            continue
        if line.startswith("----"):
            words = line[4:].split()
            kind = words[0]
            body = []
            while (i < len(lines) and lines[i].strip() and not lines[i].startswith("-")
                   and not lines[i].startswith("#")):
                body.append(lines[i])
                i += 1
            text, proc = last
            out = proc.stdout
            err = None
            if kind == "ok":
                if proc.returncode != 0:
                    err = f"exit {proc.returncode}: {proc.stderr.strip()}"
            elif kind == "error":
                want = int(words[1]) if len(words) > 1 else None
                if proc.returncode == 0 or (want is not None and proc.returncode != want):
                    err = f"expected exit {want or 'non-zero'}, got {proc.returncode}: {proc.stderr.strip()}"
                for b in body:
                    if b.strip() not in proc.stderr + proc.stdout:
                        err = f"message lacks {b.strip()!r}: {proc.stderr.strip()}"
            elif kind == "contains":
                if proc.returncode != 0:
                    err = f"exit {proc.returncode}: {proc.stderr.strip()}"
                for b in body:
                    if b.strip() not in proc.stdout + proc.stderr:
                        err = f"output lacks {b.strip()!r}"
            elif kind in ("json", "count"):
                if proc.returncode != 0:
                    err = f"exit {proc.returncode}: {proc.stderr.strip()}"
                else:
                    try:
                        actual = json.loads(out)
                    except json.JSONDecodeError as e:
                        actual = None
                        err = f"stdout is not JSON ({e}): {out[:200]}"
                    if actual is not None and kind == "json":
                        for k, v in env.items():
                            body = [b.replace("$" + k, v) for b in body]
                        err = subset(json.loads("\n".join(body)), actual)
                    elif actual is not None:
                        key, n = words[1], int(words[2])
                        got = len(actual.get(key, []))
                        if got != n:
                            err = f"len({key}) = {got}, expected {n}"
            else:
                err = f"unknown expectation {kind}"
            if err:
                failed += 1
                print(f"FAIL {os.path.basename(path)}: casegraph {text}\n     {err}")
            else:
                passed += 1
    shutil.rmtree(tmp, ignore_errors=True)
    return passed, failed


def main():
    binary, test_dir, fixtures, shared = sys.argv[1:5]
    files = sorted(f for f in os.listdir(test_dir) if f.endswith(".test"))
    if len(sys.argv) > 5:
        files = [f for f in files if f in sys.argv[5:]]
    total_p = total_f = 0
    for f in files:
        p, fl = run_file(binary, os.path.join(test_dir, f), fixtures, shared)
        print(f"{f}: {p} passed, {fl} failed")
        total_p += p
        total_f += fl
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main())
