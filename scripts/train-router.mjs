// npm run train:router [-- --questions my.jsonl [--docs my-docs]] [-- --only] [-- --out file] [-- --check]
//
// Trains the learned router (worker/routing/learned-router.ts) on the labelled domains of
// examples/routing-training/ plus any `--questions` files of your own (each one more domain, retrieved
// over its `--docs` folder, in the same order), and writes worker/routing/learned-router-weights.json.
// Deterministic: the same questions and docs give the same file. `--check` retrains and fails when the
// committed file differs (the weights are stale). See docs/learned-router.md.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { exitWithUsage, parseCommandLine } from "./support/command-line.mjs";
import { loadRouter } from "./routing/load-router.mjs";
import { trainRouter } from "./routing/router-training.mjs";
import { domainFromFile, readTrainingDomains, TRAINING_DIR, withRetrieval } from "./routing/training-sets.mjs";

export const WEIGHTS_FILE = "worker/routing/learned-router-weights.json";
const USAGE = `usage: npm run train:router -- [--questions my.jsonl [--docs folder]]... [--only] [--training ${TRAINING_DIR}] [--out ${WEIGHTS_FILE}] [--check]
  --questions  your labelled questions (JSONL: {"question", "label": "small-ok" | "needs-large"}), repeatable
  --docs       the docs folder each --questions file is retrieved over (same order; optional)
  --only       train on your --questions files alone, without the shipped domains
  --check      retrain and exit 1 when ${WEIGHTS_FILE} differs from the result`;

const args = parseCommandLine(USAGE, {
  questions: { type: "string", multiple: true, default: [] },
  docs: { type: "string", multiple: true, default: [] },
  only: { type: "boolean", default: false },
  training: { type: "string", default: TRAINING_DIR },
  out: { type: "string", default: WEIGHTS_FILE },
  check: { type: "boolean", default: false },
});
if (args.docs.length > args.questions.length) exitWithUsage("train:router: more --docs than --questions", USAGE);
if (args.only && args.questions.length === 0) exitWithUsage("train:router: --only needs --questions", USAGE);

try {
  const own = args.questions.map((file, i) => domainFromFile(file, args.docs[i] ? resolve(args.docs[i]) : undefined));
  const domains = [...(args.only ? [] : readTrainingDomains(args.training)), ...own];
  const router = await loadRouter();
  const retrieved = await withRetrieval(domains, { onDomain: (domain) => console.error(`train:router: retrieving ${domain.name} (${domain.questions.length} questions)`) });
  const weights = trainRouter(router, retrieved);
  router.validRouterWeights(weights);
  const text = formatWeights(weights);
  if (args.check) {
    const committed = readFileSync(args.out, "utf8");
    if (committed !== text) {
      console.error(`train:router: ${args.out} differs from a retrain: run npm run train:router and commit the result.`);
      process.exit(1);
    }
    console.log(`train:router: ${args.out} equals a retrain.`);
  } else {
    writeFileSync(args.out, text);
    console.log(`train:router: ${weights.training.questions} questions from ${domains.length} domains → ${args.out} (${Buffer.byteLength(text)} bytes, threshold ${weights.threshold})`);
  }
} catch (error) {
  console.error(`train:router: ${error.message}`);
  process.exit(1);
}

/** The weights file: small sections on their own lines, the hashed table on one line. */
function formatWeights(weights) {
  const lines = Object.entries(weights).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}
