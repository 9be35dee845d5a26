#!/usr/bin/env python3
# Writes the shared query pairs for the issue 2 benchmarks: N random (a, b) pairs of
# persons and companies from the CSVs of `casegraph generate`, deterministic by seed.
# One pair a line: a_literal<TAB>a_key<TAB>b_literal<TAB>b_key (FtM key_literal + source key);
# casegraph turns them into FtM ids, the SQLite and Kuzu peers use the source keys.
# Usage: make_pairs.py DATA_DIR OUT_FILE [N=1000] [SEED=1]
import csv
import random
import sys


def keys(path, column):
    with open(path, newline="", encoding="utf-8") as f:
        return [row[column] for row in csv.DictReader(f)]


def main():
    data, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    pool = [("person", k) for k in keys(f"{data}/persons.csv", "person_id")]
    pool += [("company", k) for k in keys(f"{data}/companies.csv", "company_id")]
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8") as f:
        for _ in range(n):
            a, b = rng.choice(pool), rng.choice(pool)
            while b == a:
                b = rng.choice(pool)
            f.write(f"{a[0]}\t{a[1]}\t{b[0]}\t{b[1]}\n")


if __name__ == "__main__":
    main()
