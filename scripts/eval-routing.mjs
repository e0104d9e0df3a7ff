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
  try {
    result = await evaluateRouting({ router, questions, retrieve, routing: { policy: "auto", threshold } });
  } finally {
    await product?.dispose();
  }
  result.docs = docsDir ?? null;
  let heldOut;
  if (showHeldOut) {
    const domains = await withRetrieval(readTrainingDomains(args.training));
    heldOut = await heldOutEvaluation(router, domains);
  }
  if (args.json) console.log(JSON.stringify(heldOut ? { ...result, heldOut } : result, null, 2));
  else {
    console.log(formatReport(result, { verbose: args.verbose }));
    if (heldOut) console.log(`\n${formatHeldOut(heldOut, readBaseline(), { verbose: args.verbose })}`);
  }
} catch (error) {
  console.error(`eval:routing: ${error.message}`);
  process.exit(1);
}
