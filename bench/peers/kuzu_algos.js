// Kuzu peer for the issue 3 graph-kernel benchmarks: loads the simple undirected graph that
// bench/sna_bench.cc writes with CG_SNA_DUMP=PREFIX (PREFIX.und.csv: each edge once, u < v;
// PREFIX.rev.csv: the same edges reversed), then times Kuzu's built-in algorithms from its
// algo extension (statically linked in the npm build): weakly_connected_components and
// louvain on the projection of the edges once (Kuzu treats them as undirected), page_rank
// (20 iterations, tolerance 0, damping 0.85) on the projection of both orientations, which
// is the undirected graph our PageRank and igraph's see. Prints one JSON object with wall
// and process CPU seconds (all of Kuzu's threads run in this process) per algorithm.
//
// Usage: node kuzu_algos.js --prefix PREFIX --nodes N [--db DIR] [--trials 3]
//                           [--buffer-mb 8192] [--threads 2] [--skip-louvain]
// Kuzu 0.11.3 can crash in close() after algorithm calls, so the database is never closed:
// the process exits instead.
"use strict";

const fs = require("fs");
const path = require("path");
const kuzu = require("kuzu");

function parseArgs(argv) {
  const args = {trials: 3, bufferMb: 8192, threads: 2, db: null, skipLouvain: false};
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === "--prefix") args.prefix = next();
    else if (a === "--nodes") args.nodes = parseInt(next(), 10);
    else if (a === "--db") args.db = next();
    else if (a === "--trials") args.trials = parseInt(next(), 10);
    else if (a === "--buffer-mb") args.bufferMb = parseInt(next(), 10);
    else if (a === "--threads") args.threads = parseInt(next(), 10);
    else if (a === "--skip-louvain") args.skipLouvain = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.prefix || !args.nodes) throw new Error("--prefix PREFIX and --nodes N are required");
  if (!args.db) args.db = args.prefix + ".kuzu";
  return args;
}

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function timed(fn) {
  const c0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return {wall_s: Number(process.hrtime.bigint() - t0) / 1e9, cpu_s: cpuSeconds() - c0, value};
}

// Median (by wall time) of `trials` runs.
async function median(trials, fn) {
  const runs = [];
  for (let i = 0; i < trials; i++) runs.push(await timed(fn));
  runs.sort((a, b) => a.wall_s - b.wall_s);
  const m = runs[Math.floor(runs.length / 2)];
  return {wall_s: m.wall_s, cpu_s: m.cpu_s, value: m.value, trials: runs.map((r) => r.wall_s)};
}

async function main() {
  const args = parseArgs(process.argv);
  fs.rmSync(args.db, {recursive: true, force: true});
  fs.rmSync(args.db + ".wal", {force: true});
  const db = new kuzu.Database(args.db, args.bufferMb * 1024 * 1024);
  const conn = new kuzu.Connection(db, args.threads);
  const run = async (q) => (await conn.query(q)).getAll();
  const result = {system: "kuzu", version: kuzu.VERSION, nodes: args.nodes, threads: args.threads};

  // Nodes 0..n-1 from a generated CSV; edges from the two dumps.
  const nodesCsv = args.prefix + ".nodes.csv";
  if (!fs.existsSync(nodesCsv)) {
    const lines = [];
    for (let v = 0; v < args.nodes; v++) lines.push(String(v));
    fs.writeFileSync(nodesCsv, lines.join("\n") + "\n");
  }
  result.load = (await timed(async () => {
    await run("CREATE NODE TABLE N(id INT64, PRIMARY KEY(id))");
    await run("CREATE REL TABLE E(FROM N TO N)");
    await run("CREATE REL TABLE R(FROM N TO N)");
    await run(`COPY N FROM '${path.resolve(nodesCsv)}' (header=false)`);
    await run(`COPY E FROM '${path.resolve(args.prefix + ".und.csv")}' (header=false)`);
    await run(`COPY R FROM '${path.resolve(args.prefix + ".rev.csv")}' (header=false)`);
    const [e] = await run("MATCH ()-[e:E]->() RETURN count(e) AS c");
    return Number(e.c);
  }));
  result.edges = result.load.value;
  await run("CALL project_graph('Und', ['N'], ['E'])");
  await run("CALL project_graph('Both', ['N'], ['E', 'R'])");

  const print = () => console.log(JSON.stringify(result, null, 1));
  result.wcc = await median(args.trials, async () => {
    const [r] = await run(
        "CALL weakly_connected_components('Und') RETURN count(DISTINCT group_id) AS c");
    return Number(r.c);
  });
  print();
  result.pagerank20 = await median(args.trials, async () => {
    const [r] = await run("CALL page_rank('Both', dampingFactor := 0.85, maxIterations := 20, " +
                          "tolerance := 0.0) RETURN sum(rank) AS s");
    return r.s;
  });
  print();
  if (!args.skipLouvain) {
    result.louvain = await median(1, async () => {
      const [r] = await run("CALL louvain('Und') RETURN count(DISTINCT louvain_id) AS c");
      return Number(r.c);
    });
  }
  print();
  process.exit(0);  // never close(): see the header
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
