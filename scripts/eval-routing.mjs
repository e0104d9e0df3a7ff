// npm run eval:routing [-- --json] [-- --questions <file.jsonl>] [-- --docs <folder>] [-- --retrieval <module.mjs>] [-- --held-out]
//
// Without --questions it also prints the held-out table: leave-one-domain-out cross-validation of the
// learned router over examples/routing-training/ (scripts/routing/held-out.mjs); --held-out adds it to a
// --questions run, --no-held-out leaves it out.
//
// Runs the worker's router (bundled from worker/routing) over a labelled question set and prints the
// confusion matrix, the share kept small, the share of needs-large questions kept small, and the cost
// per 1,000 turns against always-large with the default price table.
//
// Retrieval: the router sees the signals production would see. By default --docs (default
// examples/support-bot/docs when it exists, else no retrieval) is ingested and searched by the
// worker's own retrieval in workerd (scripts/routing/product-retrieval.mjs), and the signals come from
// the same function the chat turn calls. `--retrieval <module.mjs>` plugs in another retriever: the
// module exports `createRetriever({ docsDir })` returning `(question, history) => ({ signals, passages })` (may be async).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseCommandLine } from "./support/command-line.mjs";
import { formatHeldOut, heldOutEvaluation, readBaseline } from "./routing/held-out.mjs";
import { loadRouter } from "./routing/load-router.mjs";
import { createProductRetriever } from "./routing/product-retrieval.mjs";
import { evaluateRouting, formatReport, readLabelledQuestions } from "./routing/routing-eval.mjs";
import { readTrainingDomains, TRAINING_DIR, withRetrieval } from "./routing/training-sets.mjs";

const DEFAULT_QUESTIONS = "examples/support-bot/eval/routing-questions.jsonl";
const DEFAULT_DOCS = "examples/support-bot/docs";

const USAGE = `usage: npm run eval:routing -- [--questions file.jsonl] [--docs folder] [--retrieval module.mjs] [--threshold n] [--held-out | --no-held-out] [--training ${TRAINING_DIR}] [--json] [--verbose]`;
const args = parseCommandLine(USAGE, {
  json: { type: "boolean", default: false },
  questions: { type: "string" },
  docs: { type: "string" },
  retrieval: { type: "string" },
  threshold: { type: "string" },
  "held-out": { type: "boolean" },
  "no-held-out": { type: "boolean", default: false },
  training: { type: "string", default: TRAINING_DIR },
  verbose: { type: "boolean", default: false },
});
const showHeldOut = !args["no-held-out"] && (args["held-out"] ?? args.questions === undefined);

try {
  const questions = readLabelledQuestions(args.questions ?? DEFAULT_QUESTIONS);
  const router = await loadRouter();
  const docsDir = args.docs ?? (existsSync(DEFAULT_DOCS) ? DEFAULT_DOCS : undefined);
  if (args.docs && !existsSync(args.docs)) throw new Error(`No such docs folder: ${args.docs}`);
  let retrieve;
  let product;
  if (args.retrieval) {
    const module = await import(pathToFileURL(resolve(args.retrieval)).href);
    retrieve = await module.createRetriever({ docsDir });
  } else if (docsDir) {
    product = await createProductRetriever({ docsDir });
    retrieve = product.retrieve;
  }
  const threshold = args.threshold === undefined ? undefined : Number(args.threshold);
  let result;
  let workersAi;
  try {
    const remembered = rememberRetrieval(retrieve);
    result = await evaluateRouting({ router, questions, retrieve: remembered, routing: { policy: "auto", threshold } });
    // The same decisions priced with the Workers AI tier pair (worker/routing/price-table.ts WORKERS_AI_TIER_MODELS).
    workersAi = await evaluateRouting({ router, models: router.WORKERS_AI_TIER_MODELS, questions, retrieve: remembered, routing: { policy: "auto", threshold } });
  } finally {
    await product?.dispose();
  }
  result.docs = docsDir ?? null;
  result.workersAi = { models: workersAi.models, costRatioVsAlwaysLarge: workersAi.costRatioVsAlwaysLarge, costPer1000TurnsUsd: workersAi.costPer1000TurnsUsd };
  let heldOut;
  if (showHeldOut) {
    const domains = await withRetrieval(readTrainingDomains(args.training));
    heldOut = await heldOutEvaluation(router, domains);
  }
  if (args.json) console.log(JSON.stringify(heldOut ? { ...result, heldOut } : result, null, 2));
  else {
    console.log(withLineAfter(formatReport(result, { verbose: args.verbose }), "always-large cost / routed cost", workersAiPairLine(result.workersAi)));
    if (heldOut) console.log(`\n${formatHeldOut(heldOut, readBaseline(), { verbose: args.verbose })}`);
  }
} catch (error) {
  console.error(`eval:routing: ${error.message}`);
  process.exit(1);
}

/** The Workers AI price pair's line of the report: same routing decisions, Workers AI prices. */
function workersAiPairLine({ models, costRatioVsAlwaysLarge, costPer1000TurnsUsd }) {
  return (
    `  Workers AI pair (${models.small} / ${models.large}): always-large cost / routed cost ${costRatioVsAlwaysLarge.toFixed(2)}×, ` +
    `$${costPer1000TurnsUsd.router.toFixed(4)} routed vs $${costPer1000TurnsUsd.alwaysLarge.toFixed(4)} always-large per 1,000 turns`
  );
}

/** The report with `line` after the first line containing `marker` (at the end when there is none). */
function withLineAfter(report, marker, line) {
  const lines = report.split("\n");
  const at = lines.findIndex((text) => text.includes(marker));
  lines.splice(at === -1 ? lines.length : at + 1, 0, line);
  return lines.join("\n");
}

/** Retrieval answers remembered per question, so a second pricing of the same decisions does not search again. */
function rememberRetrieval(retrieve) {
  if (!retrieve) return undefined;
  const answers = new Map();
  return (question, history) => {
    const key = JSON.stringify([question, history]);
    if (!answers.has(key)) answers.set(key, retrieve(question, history));
    return answers.get(key);
  };
}
