// Kuzu peer for the issue 2 benchmarks: loads the CSVs of `casegraph generate` into a
// Kuzu database (one Entity node table, one Link rel table, COPY FROM LOAD FROM subqueries,
// so Kuzu parses the raw CSVs itself), times the load, then times a depth-2 expand and a
// hop-limited shortest path for every query pair of the shared pairs file, and prints one
// JSON object. The graph is built exactly as graph_spec.json says (same links as the case
// store derives from mapping.yml).
//
// Usage: node kuzu_peer.js --data DIR --pairs FILE [--db DIR] [--max-hops 8] [--warmup 20]
//                          [--buffer-mb 4096] [--skip-expand] [--skip-path]
// The pairs file has one query a line: a_literal<TAB>a_key<TAB>b_literal<TAB>b_key; expand
// starts at a, path goes from a to b (links walked in both directions).
//
// Kuzu 0.11.3 can crash in close() after recursive/algorithm queries, so the database is
// never closed: the process exits instead.
"use strict";

const fs = require("fs");
const path = require("path");
const kuzu = require("kuzu");

function parseArgs(argv) {
  const args = {maxHops: 8, warmup: 20, bufferMb: 4096, db: null, skipExpand: false, skipPath: false};
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === "--data") args.data = next();
    else if (a === "--pairs") args.pairs = next();
    else if (a === "--db") args.db = next();
    else if (a === "--max-hops") args.maxHops = parseInt(next(), 10);
    else if (a === "--warmup") args.warmup = parseInt(next(), 10);
    else if (a === "--buffer-mb") args.bufferMb = parseInt(next(), 10);
    else if (a === "--skip-expand") args.skipExpand = true;
    else if (a === "--skip-path") args.skipPath = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.data || !args.pairs) throw new Error("--data DIR and --pairs FILE are required");
  if (!args.db) args.db = path.join(args.data, "kuzu.db");
  return args;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)];
}

function summary(times_ms) {
  const s = [...times_ms].sort((x, y) => x - y);
  const sum = s.reduce((x, y) => x + y, 0);
  return {queries: s.length, median_ms: percentile(s, 50), p99_ms: percentile(s, 99),
          mean_ms: s.length ? sum / s.length : null, max_ms: s.length ? s[s.length - 1] : null};
}

function cypherString(s) {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

async function main() {
  const args = parseArgs(process.argv);
  const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "graph_spec.json"), "utf8"));
  const pairs = fs.readFileSync(args.pairs, "utf8").split("\n").filter((l) => l.trim() !== "")
      .map((l) => { const f = l.split("\t"); return {a: f[1], b: f[3]}; });

  fs.rmSync(args.db, {recursive: true, force: true});
  fs.rmSync(args.db + ".wal", {force: true});
  const db = new kuzu.Database(args.db, args.bufferMb * 1024 * 1024);
  const conn = new kuzu.Connection(db);
  const run = async (q) => { const r = await conn.query(q); const rows = await r.getAll(); return rows; };

  const result = {system: "kuzu", version: kuzu.VERSION, data: path.resolve(args.data),
                  max_hops: args.maxHops, import: {}, expand2: null, path: null};

  // ---- Import: raw CSVs -> Entity nodes and Link rels.
  const t0 = process.hrtime.bigint();
  await run("CREATE NODE TABLE Entity(id STRING, schema STRING, name STRING, PRIMARY KEY(id))");
  await run("CREATE REL TABLE Link(FROM Entity TO Entity, type STRING)");
  let nodes = 0, links = 0;
  const perFile = {};
  for (const n of spec.nodes) {
    const file = path.resolve(args.data, n.file);
    const ts = process.hrtime.bigint();
    await run(`COPY Entity FROM (LOAD FROM ${cypherString(file)} (header=true, delim=',', quote='"', escape='"', auto_detect=false) ` +
              `RETURN CAST(${n.key} AS STRING), ${cypherString(n.schema)}, CAST(${n.name} AS STRING))`);
    perFile[`nodes:${n.file}`] = Number(process.hrtime.bigint() - ts) / 1e9;
  }
  for (const l of spec.links) {
    const file = path.resolve(args.data, l.file);
    const ts = process.hrtime.bigint();
    await run(`COPY Link FROM (LOAD FROM ${cypherString(file)} (header=true, delim=',', quote='"', escape='"', auto_detect=false) ` +
              `WHERE ${l.src} IS NOT NULL AND ${l.dst} IS NOT NULL ` +
              `RETURN CAST(${l.src} AS STRING), CAST(${l.dst} AS STRING), ${cypherString(l.type)})`);
    perFile[`links:${l.file}`] = Number(process.hrtime.bigint() - ts) / 1e9;
  }
  await run("CHECKPOINT");
  const importSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  nodes = Number((await run("MATCH (n:Entity) RETURN count(n) AS c"))[0].c);
  links = Number((await run("MATCH ()-[l:Link]->() RETURN count(l) AS c"))[0].c);
  result.import = {seconds: importSeconds, nodes, links, links_per_second: links / importSeconds,
                   per_file_seconds: perFile};

  const timeQueries = async (ps, makeParams, count) => {
    for (let i = 0; i < Math.min(args.warmup, pairs.length); i++) {
      const r = await conn.execute(ps, makeParams(pairs[i])); await r.getAll();
    }
    const times = [];
    const sizes = [];
    for (const p of pairs) {
      const ts = process.hrtime.bigint();
      const r = await conn.execute(ps, makeParams(p));
      const rows = await r.getAll();
      times.push(Number(process.hrtime.bigint() - ts) / 1e6);
      sizes.push(count(rows));
    }
    return {times, sizes};
  };

  // ---- Expand depth 2 (both directions): distinct nodes within 2 hops of a.
  if (!args.skipExpand) {
    const ps = await conn.prepare(
        "MATCH (a:Entity {id: $a})-[:Link*1..2]-(b:Entity) RETURN DISTINCT b.id AS id");
    const {times, sizes} = await timeQueries(ps, (p) => ({a: p.a}), (rows) => rows.length);
    result.expand2 = summary(times);
    result.expand2.total_result_nodes = sizes.reduce((x, y) => x + y, 0);
  }

  // ---- Shortest path a -> b (both directions), at most max_hops links.
  if (!args.skipPath) {
    const ps = await conn.prepare(
        `MATCH (a:Entity {id: $a})-[e:Link* SHORTEST 1..${args.maxHops}]-(b:Entity {id: $b}) ` +
        "RETURN length(e) AS hops LIMIT 1");
    const {times, sizes} = await timeQueries(ps, (p) => ({a: p.a, b: p.b}),
                                             (rows) => (rows.length ? Number(rows[0].hops) : -1));
    result.path = summary(times);
    result.path.found = sizes.filter((h) => h >= 0).length;
    result.path.hops = sizes;  // per pair, -1 = no path within max_hops
  }

  process.stdout.write(JSON.stringify(result) + "\n");
  // No db.close(): see the header comment.
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`kuzu_peer: ${err.stack || err}\n`);
  process.exit(1);
});
