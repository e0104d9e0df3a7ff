// npm run calibrate:retrieval [-- --json]: how the retrieval scores the router reads separate questions
// the docs answer from questions they do not, with the configured offline embedder. For every docs
// folder of the eval sets (scripts/support/eval-sets.mjs), its own sets' questions are in scope and
// every other folder's questions are out of scope; each is retrieved as a chat turn retrieves it, by
// the retriever eval:routing uses (scripts/routing/product-retrieval.mjs: the worker's thresholds, in
// workerd), and the router's signals are read with retrievalSignalsFromPassages. Run it whenever the
// embedder changes: the router's retrieval constants (worker/routing/route-decision.ts) are
// calibrated on its output.
import { resolve } from "node:path";
import { parseCommandLine } from "./support/command-line.mjs";
import { knownSets, readQuestions } from "./support/eval-sets.mjs";
import { quantile, rocAuc } from "./support/retrieval-metrics.mjs";
import { loadRouter } from "./routing/load-router.mjs";
import { createProductRetriever } from "./routing/product-retrieval.mjs";

const USAGE = "usage: npm run calibrate:retrieval -- [--json]";
const values = parseCommandLine(USAGE, { json: { type: "boolean", default: false } });

const router = await loadRouter();
const folders = new Map();
for (const set of knownSets()) {
  const docs = resolve(set.docs);
  const questions = readQuestions(set.questions).map((q) => q.question);
  folders.set(docs, [...(folders.get(docs) ?? []), ...questions]);
}

const inScope = [];
const outOfScope = [];
for (const [docs, own] of folders) {
  const others = [...folders.entries()].filter(([other]) => other !== docs).flatMap(([, questions]) => questions);
  // The same ingestion and chat-turn retrieval eval:routing uses (it refuses a docs folder that fails to index).
  const retriever = await createProductRetriever({ docsDir: docs });
  try {
    for (const question of own) inScope.push((await retriever.retrieve(question)).signals);
    for (const question of others) outOfScope.push((await retriever.retrieve(question)).signals);
  } finally {
    await retriever.dispose();
  }
}

const top = (signals) => signals.map((s) => s.topScore);
const share = (signals, test) => signals.filter(test).length / signals.length;
const { UNRELATED_RETRIEVAL_SCORE: unrelated, CONFIDENT_RETRIEVAL_SCORE: confident, CONFIDENT_RETRIEVAL_GAP: gap } = router;
const isConfident = (s) => s.passagesAboveThreshold > 0 && s.topScore >= confident && s.topScore - s.secondScore >= gap;
const candidates = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
const report = {
  inScope: inScope.length,
  outOfScope: outOfScope.length,
  rocAuc: rocAuc(top(inScope), top(outOfScope)),
  inScopeTopScore: { p10: quantile(top(inScope), 0.1), p25: quantile(top(inScope), 0.25), median: quantile(top(inScope), 0.5) },
  outOfScopeTopScore: { median: quantile(top(outOfScope), 0.5), p90: quantile(top(outOfScope), 0.9), p99: quantile(top(outOfScope), 0.99) },
  outOfScopeNothingFound: share(outOfScope, (s) => s.passagesAboveThreshold === 0),
  reachingScore: candidates.map((score) => ({ score, inScope: share(inScope, (s) => s.topScore >= score), outOfScope: share(outOfScope, (s) => s.topScore >= score) })),
  router: {
    unrelatedScore: unrelated,
    confidentScore: confident,
    confidentGap: gap,
    confidentInScope: share(inScope, isConfident),
    confidentOutOfScope: share(outOfScope, isConfident),
    medianLeadOfConfidentInScope: inScope.some(isConfident) ? quantile(inScope.filter(isConfident).map((s) => s.topScore - s.secondScore), 0.5) : null,
  },
};

if (values.json) console.log(JSON.stringify(report));
else {
  const pct = (x) => `${(100 * x).toFixed(1)}%`.padStart(6);
  console.log(`retrieval confidence: ${report.inScope} in-scope and ${report.outOfScope} out-of-scope questions over ${folders.size} docs folders`);
  console.log(`  top similarity ROC AUC: ${report.rocAuc.toFixed(3)}`);
  console.log(`  in scope:     p10 ${report.inScopeTopScore.p10.toFixed(3)}  p25 ${report.inScopeTopScore.p25.toFixed(3)}  median ${report.inScopeTopScore.median.toFixed(3)}`);
  console.log(`  out of scope: median ${report.outOfScopeTopScore.median.toFixed(3)}  p90 ${report.outOfScopeTopScore.p90.toFixed(3)}  p99 ${report.outOfScopeTopScore.p99.toFixed(3)}; nothing found for ${pct(report.outOfScopeNothingFound)}`);
  console.log(`  top similarity ≥   in scope   out of scope`);
  for (const row of report.reachingScore) console.log(`  ${row.score.toFixed(2).padStart(14)}   ${pct(row.inScope)}     ${pct(row.outOfScope)}`);
  console.log(
    `  router (route-decision.ts): unrelated < ${unrelated}, confident ≥ ${confident} with lead ≥ ${gap}: confident for ${pct(report.router.confidentInScope)} in scope, ${pct(report.router.confidentOutOfScope)} out of scope (median lead ${report.router.medianLeadOfConfidentInScope?.toFixed(3) ?? "-"})`,
  );
}
