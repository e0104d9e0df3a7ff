// Ingest throughput through the product's ingestDocuments (chunk, offline embed, upsert, FTS5,
// registry), in workerd: the example docs copied under distinct ids until there are ~2,000 chunks.
import { collectDocuments } from "../../bin/commands/ingest.mjs";
import { startRagHarness } from "../support/rag-harness.mjs";
import { figure } from "./stats.mjs";

/** Documents per ingest request, as the CLI sends them (bin/commands/ingest.mjs). */
const BATCH = 50;

/**
 * @param {{ runs?: number, copies?: number, log?: (line: string) => void }} [options]
 */
export async function ingestBench({ runs = 3, copies = 20, log = console.error } = {}) {
  const { documents } = collectDocuments(["examples/support-bot/docs"]);
  const harness = await startRagHarness();
  const throughput = [];
  try {
    for (let run = 0; run < runs; run++) {
      const corpus = [];
      for (let copy = 0; copy < copies; copy++) {
        for (const document of documents) corpus.push({ ...document, id: `c${copy}:${document.id}`, content: `${document.content}\n\nCopy ${copy}.` });
      }
      let chunks = 0;
      const started = performance.now();
      for (let start = 0; start < corpus.length; start += BATCH) {
        const { results } = await harness.post("/ingest", { botId: `bench-${run}`, indexName: `bench-ingest-${run}`, dimensions: 384, documents: corpus.slice(start, start + BATCH) });
        for (const result of results) {
          if (result.status !== "indexed") throw new Error(`${result.id}: ${result.error}`);
          chunks += result.chunks;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      throughput.push(chunks / seconds);
      log(`  ingest run ${run + 1}: ${chunks} chunks in ${seconds.toFixed(2)} s`);
    }
  } finally {
    await harness.dispose();
  }
  return { "ingest.throughput": figure(throughput, "chunks/s", { label: "ingest, offline embedder", target: { min: 1000 } }) };
}
