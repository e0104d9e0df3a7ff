// Local vector index: query latency of LocalVectorIndex (the Vectorize stand-in) at several sizes,
// 384 dimensions, topK 5, cosine, exact scan; timed in workerd around each Durable Object call.
import { startRagHarness } from "../support/rag-harness.mjs";
import { figure } from "./stats.mjs";

/** The targets the RAG issue set for query latency, by index size. */
const TARGET_MS = { 10_000: 10, 100_000: 100 };

/**
 * @param {{ sizes?: number[], queries?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<Record<string, ReturnType<typeof figure>>>}
 */
export async function vectorIndexBench({ sizes = [1_000, 10_000, 100_000], queries = 50, log = console.error } = {}) {
  const dimensions = 384;
  const figures = {};
  const harness = await startRagHarness();
  try {
    for (const size of sizes) {
      log(`  vector index: seeding ${size} vectors…`);
      const indexName = `bench-${size}`;
      const info = await harness.post("/bench/seed", { indexName, dimensions, count: size });
      if (info.vectorCount !== size) throw new Error(`seeded ${info.vectorCount} vectors, expected ${size}`);
      let seed = 7;
      const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
      const vectors = (n) => Array.from({ length: n }, () => Array.from({ length: dimensions }, random));
      await harness.post("/bench/query", { indexName, dimensions, vectors: vectors(5) }); // warm-up: loads the index into memory
      const { elapsed } = await harness.post("/bench/query", { indexName, dimensions, vectors: vectors(queries) });
      const target = TARGET_MS[size] ? { max: TARGET_MS[size] } : undefined;
      figures[`vectorIndex.query.${size / 1000}k`] = figure(elapsed, "ms", { label: `vector query, ${size.toLocaleString("en-US")} vectors`, target });
    }
  } finally {
    await harness.dispose();
  }
  return figures;
}
