#!/usr/bin/env python3
# Turns one scale's result folder of bench/run_issue2.sh (import_*.json, casegraph.json,
# sqlite.json, kuzu.json) into the markdown table used in docs/benchmarks.md, with the
# ratios peer/casegraph, the issue 2 targets, and a check that all three systems found the
# same shortest-path lengths and expand sizes. Usage: summarize.py RESULT_DIR
import json
import os
import sys


def load(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path, encoding="utf-8") as f:
        try:
            return json.load(f)
        except json.JSONDecodeError:
            return None


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        s = f"{v:,.3f}" if abs(v) < 10 else f"{v:,.0f}"
    else:
        s = f"{v:,}"
    return s + unit


def ratio(peer, ours, higher_is_better):
    if peer is None or ours is None or peer == 0 or ours == 0:
        return "n/a"
    r = ours / peer if higher_is_better else peer / ours
    return f"{r:,.1f}x"


def dig(d, *keys):
    for k in keys:
        if d is None:
            return None
        d = d.get(k)
    return d


def import_rate(j):
    """links/s from a `casegraph import --json` result, whatever its exact field names."""
    if j is None:
        return None, None, None
    counts = j.get("counts", j)
    links = counts.get("links")
    secs = j.get("seconds") or counts.get("seconds")
    if links is None or not secs:
        return links, secs, None
    return links, secs, links / secs


def main():
    folder = sys.argv[1]
    cg = load(folder, "casegraph.json")
    sq = load(folder, "sqlite.json")
    kz = load(folder, "kuzu.json")
    csv_links, csv_secs, csv_rate = import_rate(load(folder, "import_csv.json"))
    ftm_links, ftm_secs, ftm_rate = import_rate(load(folder, "import_ftm.json"))
    gen = load(folder, "generate.json") or {}
    graph_links = dig(cg, "graph", "links")
    # Rates use the links of the resulting graph (the import counter counts link rows
    # written, with repeats across queries), so all three systems divide the same number.
    if graph_links and csv_secs:
        csv_rate = graph_links / csv_secs
    if graph_links and ftm_secs:
        ftm_rate = graph_links / ftm_secs
    rows = []
    rows.append(("Import CSV+mapping (links/s, end to end)", fmt(csv_rate), fmt(dig(sq, "import", "links_per_second")),
                 fmt(dig(kz, "import", "links_per_second")),
                 ratio(dig(sq, "import", "links_per_second"), csv_rate, True),
                 ratio(dig(kz, "import", "links_per_second"), csv_rate, True), ">= 500 k/s"))
    rows.append(("Import FtM JSON lines (links/s)", fmt(ftm_rate), "-", "-", "-", "-", ">= 500 k/s"))
    g = dig(cg, "graph") or {}
    rows.append(("CSR build (links/s)", fmt(g.get("build_links_per_second")), "-", "-", "-", "-", ">= 20 M/s"))
    rows.append(("CSR bytes per link", fmt(g.get("bytes_per_link")), "-", "-", "-", "-", "<= 40"))
    for label, ck, ek, target in (("Expand depth 2", "expand2", "expand2_e2e", "< 1 ms"),
                                  ("Shortest path", "path", "path_e2e", "< 10 ms")):
        for stat in ("median_ms", "p99_ms"):
            ours = dig(cg, ek, stat)
            rows.append((f"{label} {stat.split('_')[0]} (ms; casegraph incl. id lookup)",
                         f"{fmt(ours)} (kernel {fmt(dig(cg, ck, stat))})",
                         fmt(dig(sq, ck, stat)), fmt(dig(kz, ck, stat)),
                         ratio(dig(sq, ck, stat), ours, False), ratio(dig(kz, ck, stat), ours, False),
                         target if stat == "median_ms" else ""))
    print(f"Scale {gen.get('scale', '?')} (generator links {gen.get('links', '?')}); "
          f"graph: {fmt(g.get('nodes'))} nodes, {fmt(g.get('links'))} links; "
          f"CSV import {fmt(csv_links)} links in {fmt(csv_secs)} s; FtM import {fmt(ftm_links)} links in {fmt(ftm_secs)} s")
    print()
    print("| Measure | casegraph | SQLite alone | Kuzu 0.11.3 | vs SQLite | vs Kuzu | Target |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    qs = [f"casegraph {dig(cg, 'path', 'queries')}", f"SQLite {dig(sq, 'path', 'queries')}",
          f"Kuzu {dig(kz, 'path', 'queries')}"]
    print("Path queries timed: " + ", ".join(qs) + f"; expand queries: casegraph {dig(cg, 'expand2', 'queries')}, "
          f"SQLite {dig(sq, 'expand2', 'queries')}, Kuzu {dig(kz, 'expand2', 'queries')}.")
    # Cross-check: same hop counts on the pairs every system answered.
    base = dig(cg, "path", "hops") or []
    for name, peer in (("SQLite", sq), ("Kuzu", kz)):
        hops = dig(peer, "path", "hops")
        if hops:
            n = min(len(hops), len(base))
            diff = sum(1 for i in range(n) if hops[i] != base[i])
            print(f"Path lengths casegraph vs {name}: {n - diff}/{n} pairs agree.")
    for name, peer in (("SQLite", sq), ("Kuzu", kz)):
        t = dig(peer, "expand2", "total_result_nodes")
        if t is not None and dig(peer, "expand2", "queries") == dig(cg, "expand2", "queries"):
            print(f"Expand-2 result nodes, all queries: casegraph {dig(cg, 'expand2', 'total_result_nodes')}, {name} {t}.")


if __name__ == "__main__":
    main()
