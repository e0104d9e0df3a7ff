// The held-out figures of `npm run eval:routing`: leave-one-domain-out cross-validation of the learned
// router over the training domains. Each domain is decided by a router trained on the other domains
// only, with its threshold chosen on those domains only, and costed like any routing eval.
import { existsSync, readFileSync } from "node:fs";
import { leaveOneDomainOut } from "./router-training.mjs";
import { evaluateRouting } from "./routing-eval.mjs";

/** The keyword router's figures on the same domains, measured before the learned router replaced it. */
export const BASELINE_FILE = "examples/routing-training/keyword-router-baseline.json";

/**
 * @param domains training domains with retrieval (training-sets.mjs withRetrieval)
 * @param pricing `{ prices, models }` pairs to cost with, by name (default: the worker's default table):
 *        each adds its cost columns, so another provider's prices are one more entry.
 */
export async function heldOutEvaluation(router, domains, { pricing = { default: { prices: router.DEFAULT_PRICES, models: router.DEFAULT_TIER_MODELS } }, settings } = {}) {
  const folds = leaveOneDomainOut(router, domains, settings);
  const rows = [];
  for (const fold of folds) {
    const costs = {};
    let first;
    for (const [name, { prices, models }] of Object.entries(pricing)) {
      const result = await evaluateRouting({ router, questions: fold.domain.questions, weights: fold.weights, prices, models });
      first ??= result;
      costs[name] = { routedVsAlwaysLarge: inverse(result.costRatioVsAlwaysLarge), labelPerfectVsAlwaysLarge: inverse(result.costRatioIfRoutedByLabel), models: result.models };
    }
    rows.push({
      domain: fold.domain.name,
      description: fold.domain.domain,
      questions: first.questions,
      needsLarge: first.confusionMatrix["needs-large"].small + first.confusionMatrix["needs-large"].large,
      threshold: fold.weights.threshold,
      smallShare: first.smallShare,
      needsLargeKeptSmall: first.needsLargeKeptSmall,
      costs,
      misses: first.perQuestion.filter((q) => q.label === "needs-large" && q.tier === "small").map((q) => q.question),
    });
  }
  const mean = (pick) => round(rows.reduce((sum, row) => sum + pick(row), 0) / Math.max(rows.length, 1), 4);
  const means = { smallShare: mean((row) => row.smallShare), needsLargeKeptSmall: mean((row) => row.needsLargeKeptSmall), costs: {} };
  for (const name of Object.keys(pricing)) {
    means.costs[name] = {
      routedVsAlwaysLarge: mean((row) => row.costs[name].routedVsAlwaysLarge),
      labelPerfectVsAlwaysLarge: mean((row) => row.costs[name].labelPerfectVsAlwaysLarge),
    };
  }
  return { rows, mean: means };
}

/** The keyword router's committed figures, or undefined. */
export function readBaseline(file = BASELINE_FILE) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/** The table for people: per held-out domain and the mean, next to the keyword router's figures. */
export function formatHeldOut(result, baseline, { verbose = false } = {}) {
  const pct = (value) => `${(value * 100).toFixed(1)}%`.padStart(6);
  const x = (value) => `${value.toFixed(2)}×`.padStart(6);
  const names = Object.keys(result.mean.costs);
  const before = (domain) => baseline?.domains?.[domain];
  const lines = [
    `Held-out domains (leave one domain out: trained on the others, threshold chosen on the others only)`,
    "",
    `  ${"domain".padEnd(16)} ${"n".padStart(4)} ${"large".padStart(5)}  ${"small".padStart(6)}  ${"risk".padStart(6)}  ${names.map((n) => `${`cost ${n}`.padStart(13)} ${"label".padStart(6)}`).join("  ")}   keyword router before: risk  cost`,
  ];
  for (const row of result.rows) {
    const old = before(row.domain);
    lines.push(
      `  ${row.domain.padEnd(16)} ${String(row.questions).padStart(4)} ${String(row.needsLarge).padStart(5)}  ${pct(row.smallShare)}  ${pct(row.needsLargeKeptSmall)}  ` +
        `${names.map((n) => `${x(row.costs[n].routedVsAlwaysLarge).padStart(13)} ${x(row.costs[n].labelPerfectVsAlwaysLarge)}`).join("  ")}   ` +
        `${old ? `${pct(old.needsLargeKeptSmall).padStart(27)} ${x(old.routedVsAlwaysLarge)}` : "".padStart(27)}`,
    );
  }
  const m = result.mean;
  const oldMean = baseline?.mean;
  lines.push(
    `  ${"mean".padEnd(16)} ${"".padStart(4)} ${"".padStart(5)}  ${pct(m.smallShare)}  ${pct(m.needsLargeKeptSmall)}  ` +
      `${names.map((n) => `${x(m.costs[n].routedVsAlwaysLarge).padStart(13)} ${x(m.costs[n].labelPerfectVsAlwaysLarge)}`).join("  ")}   ` +
      `${oldMean ? `${pct(oldMean.needsLargeKeptSmall).padStart(27)} ${x(oldMean.routedVsAlwaysLarge)}` : ""}`,
    "",
    "  small: share kept on the small tier; risk: needs-large questions kept small (target ≤ 5%);",
    "  cost: routed cost / always-large cost (target ≤ 0.60×); label: the same for a router that follows every label.",
  );
  if (baseline) lines.push(`  keyword router before: ${baseline.measuredWith}`);
  if (verbose) for (const row of result.rows) for (const miss of row.misses) lines.push(`  miss [${row.domain}] ${miss.replace(/\s+/g, " ").slice(0, 110)}`);
  return lines.join("\n");
}

function inverse(ratio) {
  return ratio > 0 ? round(1 / ratio, 4) : 0;
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
