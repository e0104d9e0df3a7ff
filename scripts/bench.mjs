// npm run bench [-- --only <section>[,<section>]] [-- --sizes 1000,10000,100000]
// Benchmarks, not timed tests: each section measures one part of edgechat in workerd and prints
// its figures. Add a section by adding an entry to SECTIONS (name, what it measures, run()).
import { parseArgs } from "node:util";
import { collectDocuments } from "../bin/commands/ingest.mjs";
import { startRagHarness } from "./support/rag-harness.mjs";
import { formatRoutingBench, runRoutingBench } from "./bench/routing-bench.mjs";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    sizes: { type: "string", default: "1000,10000,100000" },
    queries: { type: "string", default: "50" },
  },
});

/** Documents per ingest request, as the CLI sends them (bin/commands/ingest.mjs). */
const BATCH = Number(process.env.BENCH_BATCH ?? 50);

const SECTIONS = [
  {
    name: "vector-index",
    measures: "LocalVectorIndex query latency (topK 5, 384 dimensions, cosine, exact scan), timed in workerd around each Durable Object call",
    run: benchVectorIndex,
  },
  {
    name: "ingest",
    measures: "ingest throughput through the product's ingestDocuments (chunk, offline embed, upsert, FTS5, registry)",
    run: benchIngest,
  },
  {
    name: "routing",
    measures: "router overhead per turn (the decision before generation)",
    run: async () => console.log(formatRoutingBench(await runRoutingBench())),
  },
];

const selected = values.only ? values.only.split(",") : SECTIONS.map((section) => section.name);
for (const name of selected) if (!SECTIONS.some((section) => section.name === name)) throw new Error(`Unknown bench section "${name}".`);
for (const section of SECTIONS.filter((s) => selected.includes(s.name))) {
  console.log(`\n## ${section.name}: ${section.measures}`);
  await section.run();
}

async function benchVectorIndex() {
  const dimensions = 384;
  const queries = Number(values.queries);
  const harness = await startRagHarness();
  try {
    console.log(`${"vectors".padStart(8)} ${"seed s".padStart(8)} ${"median ms".padStart(10)} ${"p95 ms".padStart(8)} ${"mean ms".padStart(8)}`);
    for (const size of values.sizes.split(",").map(Number)) {
      const indexName = `bench-${size}`;
      const seeded = Date.now();
      const info = await harness.post("/bench/seed", { indexName, dimensions, count: size });
      if (info.vectorCount !== size) throw new Error(`seeded ${info.vectorCount} vectors, expected ${size}`);
      const seedSeconds = (Date.now() - seeded) / 1000;
      let seed = 7;
      const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
      const vectors = (n) => Array.from({ length: n }, () => Array.from({ length: dimensions }, random));
      await harness.post("/bench/query", { indexName, dimensions, vectors: vectors(5) }); // warm-up: loads the index into memory
      const { elapsed, total } = await harness.post("/bench/query", { indexName, dimensions, vectors: vectors(queries) });
      const times = [...elapsed].sort((a, b) => a - b);
      const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
      console.log(`${String(size).padStart(8)} ${seedSeconds.toFixed(1).padStart(8)} ${at(0.5).toFixed(2).padStart(10)} ${at(0.95).toFixed(2).padStart(8)} ${(total / queries).toFixed(2).padStart(8)}`);
    }
  } finally {
    await harness.dispose();
  }
}

async function benchIngest() {
  // The example docs, copied under distinct ids until there are a few thousand chunks.
  const { documents } = collectDocuments(["examples/support-bot/docs"]);
  const copies = 20;
  const corpus = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const document of documents) corpus.push({ ...document, id: `c${copy}:${document.id}`, content: `${document.content}\n\nCopy ${copy}.` });
  }
  const harness = await startRagHarness();
  try {
    let chunks = 0;
    const started = performance.now();
    for (let start = 0; start < corpus.length; start += BATCH) {
      const { results } = await harness.post("/ingest", { botId: "bench", indexName: "bench-ingest", dimensions: 384, documents: corpus.slice(start, start + BATCH) });
      for (const result of results) {
        if (result.status !== "indexed") throw new Error(`${result.id}: ${result.error}`);
        chunks += result.chunks;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`${corpus.length} documents, ${chunks} chunks in ${seconds.toFixed(2)} s: ${Math.round(chunks / seconds)} chunks/s`);
  } finally {
    await harness.dispose();
  }
}
