// npm run eval:routing [-- --json] [-- --questions <file.jsonl>] [-- --docs <folder>] [-- --retrieval <module.mjs>]
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
import { parseArgs } from "node:util";
import { loadRouter } from "./routing/load-router.mjs";
import { createProductRetriever } from "./routing/product-retrieval.mjs";
import { evaluateRouting, formatReport, readLabelledQuestions } from "./routing/routing-eval.mjs";

const DEFAULT_QUESTIONS = "examples/support-bot/eval/routing-questions.jsonl";
const DEFAULT_DOCS = "examples/support-bot/docs";

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      questions: { type: "string", default: DEFAULT_QUESTIONS },
      docs: { type: "string" },
      retrieval: { type: "string" },
      threshold: { type: "string" },
      verbose: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  console.error(`eval:routing: ${error.message}`);
  process.exit(2);
}

try {
  const questions = readLabelledQuestions(args.questions);
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
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatReport(result, { verbose: args.verbose }));
} catch (error) {
  console.error(`eval:routing: ${error.message}`);
  process.exit(1);
}
