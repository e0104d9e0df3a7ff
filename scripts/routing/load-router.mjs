// Bundles the worker's own routing code (worker/routing) with esbuild and imports it, so the eval and
// the bench run exactly the code the worker runs: nothing here re-implements the router.
import { build } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The router module: decideRoute, analyzeQuestion, retrieval and price helpers, from worker/routing. */
export async function loadRouter() {
  const outfile = join(root, "node_modules/.cache/edgechat", `routing-${process.pid}-${Date.now()}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    stdin: {
      contents: `
        export { decideRoute, LEARNED_ROUTER_WEIGHTS, DEFAULT_ROUTING_THRESHOLD, UNRELATED_RETRIEVAL_SCORE, CONFIDENT_RETRIEVAL_SCORE, CONFIDENT_RETRIEVAL_GAP } from "./worker/routing/route-decision";
        export { analyzeQuestion } from "./worker/routing/question-shape";
        export { routerFeatures, hashBucket, HASHED_FEATURE_BUCKETS } from "./worker/routing/router-features";
        export { scoreFeatures, probabilityOf, validRouterWeights } from "./worker/routing/learned-router";
        export { NO_RETRIEVAL, retrievalSignalsFromScores } from "./worker/routing/retrieval-signals";
        export { DEFAULT_PRICES, DEFAULT_TIER_MODELS, WORKERS_AI_TIER_MODELS, costUsd, priceTableFrom } from "./worker/routing/price-table";
        export { ESCALATE_INSTRUCTIONS } from "./worker/routing/escalate-tool";
        export { estimateTokens } from "./worker/models/offline-language-model";
        export { DEMO_BOT } from "./worker/bots/bot";
      `,
      resolveDir: root,
      loader: "ts",
      sourcefile: "routing-entry.ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external", // ai, zod: imported from node_modules as they are
    target: "es2022",
    outfile,
    logLevel: "error",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}
