// The routing evaluation: runs the worker's router over labelled questions with the retrieval signals
// production would see, and reports how often it keeps turns small, how often it wrongly keeps a
// `needs-large` question small, and what the traffic would cost against always-large.
import { existsSync, readFileSync } from "node:fs";

/** Output tokens assumed per answer, the same for both tiers (a typical support answer). */
export const ASSUMED_OUTPUT_TOKENS = 250;
/** The escalate tool's JSON schema and description, as the small model sees them (tokens). */
const ESCALATE_TOOL_TOKENS = 60;

/** Reads a JSONL file of `{ "question", "label" }` lines (label `small-ok` or `needs-large`; optional `history`). */
export function readLabelledQuestions(file) {
  if (!existsSync(file)) throw new Error(`No such questions file: ${file}`);
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line, index) => [line.trim(), index + 1])
    .filter(([line]) => line !== "")
    .map(([line, lineNumber]) => {
      let row;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${lineNumber}: not valid JSON`);
      }
      if (typeof row.question !== "string" || row.question.trim() === "") throw new Error(`${file}:${lineNumber}: "question" must be a non-empty string`);
      if (row.label !== "small-ok" && row.label !== "needs-large") throw new Error(`${file}:${lineNumber}: "label" must be "small-ok" or "needs-large"`);
      const history = Array.isArray(row.history) ? row.history.filter((entry) => typeof entry === "string") : [];
      return { question: row.question, label: row.label, history };
    });
}

/**
 * Evaluates the router.
 * @param router the bundled worker/routing module (load-router.mjs)
 * @param questions labelled questions
 * @param retrieve `(question, history) => { signals, passages }` (sync or async): the retrieval production would run.
 *        The router sees only the question, the conversation and these signals, never the label.
 * @param prices, models the price table and the two tiers' model ids the costs are computed with
 * @param weights learned-router weights to decide with (default: the committed ones)
 */
export async function evaluateRouting({ router, questions, retrieve, routing = { policy: "auto" }, prices = router.DEFAULT_PRICES, models = router.DEFAULT_TIER_MODELS, weights }) {
  const smallModel = models.small;
  const largeModel = models.large;
  const system = router.DEMO_BOT.systemPrompt;
  const confusion = { "small-ok": { small: 0, large: 0 }, "needs-large": { small: 0, large: 0 } };
  let ourCost = 0;
  let largeCost = 0;
  let smallCost = 0;
  let labelCost = 0; // each question on the tier its label names: the best ratio this set allows
  const perQuestion = [];
  for (const item of questions) {
    // Items may carry their retrieval already (training domains, retrieved once for every fold).
    const { signals = router.NO_RETRIEVAL, passages = [] } = "signals" in item ? item : retrieve ? await retrieve(item.question, item.history) : {};
    const previous = item.history.length > 0 ? { question: item.history.at(-1) } : undefined;
    const decision = router.decideRoute({ question: item.question, conversationDepth: item.history.length, retrieval: signals, routing, previous }, undefined, weights);
    const promptTokens = router.estimateTokens([system, ...passages, ...item.history, item.question].join("\n"));
    const smallInput = promptTokens + router.estimateTokens(router.ESCALATE_INSTRUCTIONS) + ESCALATE_TOOL_TOKENS;
    const costOfSmall = router.costUsd(prices, smallModel, "small", { inputTokens: smallInput, outputTokens: ASSUMED_OUTPUT_TOKENS });
    const costOfLarge = router.costUsd(prices, largeModel, "large", { inputTokens: promptTokens, outputTokens: ASSUMED_OUTPUT_TOKENS });
    confusion[item.label][decision.tier]++;
    ourCost += decision.tier === "small" ? costOfSmall : costOfLarge;
    largeCost += costOfLarge;
    smallCost += costOfSmall;
    labelCost += item.label === "needs-large" ? costOfLarge : costOfSmall;
    perQuestion.push({ question: item.question, label: item.label, tier: decision.tier, score: decision.score, reasons: decision.reasons, retrieval: signals });
  }
  const total = questions.length;
  const needsLarge = confusion["needs-large"].small + confusion["needs-large"].large;
  const keptSmall = confusion["small-ok"].small + confusion["needs-large"].small;
  const per1000 = (cost) => round((cost / Math.max(total, 1)) * 1000, 4);
  return {
    questions: total,
    smallShare: round(keptSmall / Math.max(total, 1), 4),
    needsLargeKeptSmall: round(needsLarge ? confusion["needs-large"].small / needsLarge : 0, 4),
    costRatioVsAlwaysLarge: round(ourCost > 0 ? largeCost / ourCost : 0, 3),
    costRatioIfRoutedByLabel: round(labelCost > 0 ? largeCost / labelCost : 0, 3),
    costPer1000TurnsUsd: { router: per1000(ourCost), alwaysLarge: per1000(largeCost), alwaysSmall: per1000(smallCost) },
    confusionMatrix: confusion,
    models: { small: smallModel, large: largeModel },
    retrieval: retrieve ? "on" : "off",
    perQuestion,
  };
}

/** The human-readable report. */
export function formatReport(result, { verbose = false } = {}) {
  const c = result.confusionMatrix;
  const pct = (value) => `${(value * 100).toFixed(1)}%`;
  const lines = [
    `Routing eval: ${result.questions} questions, retrieval ${result.retrieval}${result.docs ? ` (${result.docs})` : ""}`,
    "",
    "                      routed small   routed large",
    `  label small-ok      ${String(c["small-ok"].small).padStart(12)}   ${String(c["small-ok"].large).padStart(12)}`,
    `  label needs-large   ${String(c["needs-large"].small).padStart(12)}   ${String(c["needs-large"].large).padStart(12)}`,
    "",
    `  kept on the small tier:           ${pct(result.smallShare)}`,
    `  needs-large kept small (risk):    ${pct(result.needsLargeKeptSmall)}   (target < 5%)`,
    `  cost per 1,000 turns:             $${result.costPer1000TurnsUsd.router.toFixed(4)} routed, $${result.costPer1000TurnsUsd.alwaysLarge.toFixed(4)} always-large (${result.models.large}), $${result.costPer1000TurnsUsd.alwaysSmall.toFixed(4)} always-small (${result.models.small})`,
    `  always-large cost / routed cost:  ${result.costRatioVsAlwaysLarge.toFixed(2)}×   (target ≥ 2×; ${result.costRatioIfRoutedByLabel.toFixed(2)}× if every question went to its labelled tier)`,
  ];
  const line = (q) => `  [${q.label} → ${q.tier}, score ${q.score}] ${q.question.replace(/\s+/g, " ").slice(0, 110)}  {${q.reasons.join(", ")}}`;
  const wrong = result.perQuestion.filter((q) => (q.label === "needs-large") !== (q.tier === "large"));
  if (verbose) lines.push("", "Every decision:", ...result.perQuestion.map(line));
  else if (wrong.length > 0) lines.push("", "Disagreements with the labels:", ...wrong.map(line));
  return lines.join("\n");
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
