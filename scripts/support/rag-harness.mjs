// Runs the product's RAG code (worker/rag, worker/vector, the offline embedder) in workerd through
// Miniflare, for `npm run eval:rag` and `npm run bench`. The worker code is bundled from source by
// esbuild (installed with wrangler), so the scripts measure exactly the code the Worker runs.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const ENTRY = "worker/test-support/rag-harness-worker.ts";

/**
 * Starts the harness; call `dispose()` when done. `entry` and `miniflare` (extra Miniflare options: more
 * Durable Objects, bindings, rate limits) let the bench run other harness workers the same way.
 *
 * `esbuild` adds bundling options (plugins, nodePaths): the bench bundles an earlier commit's worker beside this one.
 *
 * @param {{ entry?: string, miniflare?: Record<string, unknown>, esbuild?: Record<string, unknown> }} [options]
 */
export async function startRagHarness({ entry = ENTRY, miniflare = {}, esbuild = {} } = {}) {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser", "import"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "error",
    ...esbuild,
  });
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0].text,
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["nodejs_compat"],
    durableObjects: { VECTOR_INDEX: { className: "LocalVectorIndex", useSQLite: true } },
    d1Databases: ["DB"],
    ...miniflare,
  });
  const url = await mf.ready;
  const db = await mf.getD1Database("DB");
  for (const file of readdirSync("migrations").filter((name) => name.endsWith(".sql")).sort()) {
    const sql = readFileSync(join("migrations", file), "utf8").replace(/--.*$/gm, "");
    for (const statement of sqlStatements(sql)) await db.prepare(statement).run();
  }
  return {
    /** The harness worker's address, for plain `fetch` (as a browser would reach it). */
    url: url.origin,
    /** POSTs JSON to a harness route and returns the JSON answer. */
    async post(path, body) {
      const response = await mf.dispatchFetch(`http://harness${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${path} failed (${response.status}): ${text.slice(0, 500)}`);
      return JSON.parse(text);
    },
    dispose: () => mf.dispose(),
  };
}

/** The statements of a migration file: split at `;`, except inside a trigger's BEGIN … END. */
export function sqlStatements(sql) {
  const statements = [];
  let current = "";
  for (const piece of sql.split(";")) {
    current += current ? `;${piece}` : piece;
    const inTrigger = /^\s*CREATE\s+TRIGGER\b/i.test(current) && !/\bEND\s*$/i.test(current.trim());
    if (inTrigger) continue;
    if (current.trim()) statements.push(current.trim());
    current = "";
  }
  return statements;
}
