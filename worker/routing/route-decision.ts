import committedWeights from "./learned-router-weights.json";
import { followUpEscalation, type PreviousTurn } from "./follow-up-checks";
import { probabilityOf, topPositiveFeatures, validRouterWeights, type RouterWeights } from "./learned-router";
import { analyzeQuestion, type QuestionShape } from "./question-shape";
import type { RetrievalSignals } from "./retrieval-signals";

/** The two model tiers of a bot. */
export type Tier = "small" | "large";

/** A bot's routing policy: always one tier, or decide per turn ("auto") against a threshold. */
export interface RoutingPolicy {
  policy: "auto" | "always-small" | "always-large";
  /** For "auto": the difficulty score at which a turn goes to the large tier. Lower means more large turns. Default 1. */
  threshold?: number;
}

/** Everything the router looks at. All of it is known before generation starts. */
export interface RouteInput {
  /** The visitor's new message. */
  question: string;
  /** How many visitor messages came before this one in the conversation. */
  conversationDepth: number;
  retrieval: RetrievalSignals;
  routing: RoutingPolicy;
  /** The previous turn, for the second chance on this one (follow-up-checks.ts). */
  previous?: PreviousTurn;
}

/** The router's decision and why, recorded with the turn and sent in its metadata. */
export interface RouteDecision {
  tier: Tier;
  /** Short codes of what decided: a rule (e.g. "explicit-request", "visitor-not-helped") or the features
   *  that pushed the learned router most (e.g. ["reports-a-problem", "word:refund"]). */
  reasons: string[];
  /** The learned router's probability divided by its trained threshold (0 for fixed policies). */
  score: number;
  threshold: number;
}

export const DEFAULT_ROUTING_THRESHOLD = 1;
// Retrieval scores are the worker's own: the vector similarity of the retrieved passages
// (retrievalSignalsFromPassages). Calibrated with `npm run calibrate:retrieval` (the offline embedder
// with its word-vector half, over the example docs and the eval sets' docs: questions each docs folder
// answers vs. the other folders' questions as out of scope): in-scope top scores have a median of
// 0.43 (p10 0.28), out-of-scope ones a median of 0.24, and reach 0.5 for under 1% of questions.
/** Below this top score retrieval found nothing related at all: most likely out of scope, which a short refusal answers. */
export const UNRELATED_RETRIEVAL_SCORE = 0.15;
/** A top score at or above this (out-of-scope questions reach it under 1% of the time) with a clear gap to the second is a confident match. */
export const CONFIDENT_RETRIEVAL_SCORE = 0.5;
/** The lead over the second passage that makes a confident match "clear" (a tenth of the confident score; the median lead of confident in-scope matches is 0.14). */
export const CONFIDENT_RETRIEVAL_GAP = 0.05;

/** The committed weights (`npm run train:router`), checked once when the module loads. */
export const LEARNED_ROUTER_WEIGHTS: RouterWeights = validRouterWeights(committedWeights);
const CALIBRATION = { unrelatedScore: UNRELATED_RETRIEVAL_SCORE, confidentScore: CONFIDENT_RETRIEVAL_SCORE, confidentGap: CONFIDENT_RETRIEVAL_GAP };
/** How many of the strongest features a decision names as its reasons. */
export const REASONS_SHOWN = 3;

/**
 * Decides the tier of one turn. Deterministic, no I/O, a few microseconds: it runs on every request.
 *
 * 1. A fixed policy wins; an explicit request for depth always goes large (`explicit-request`).
 * 2. Second chance from the previous turn (follow-up-checks.ts): the visitor says the answer did not help,
 *    re-asks, or the previous answer hedged → large.
 * 3. Otherwise the learned router: a logistic regression over the turn's features (router-features.ts)
 *    gives the probability that the question needs the large model. `score` is that probability divided
 *    by the trained threshold, so a score of 1 is the trained cut-off and the bot's `routing.threshold`
 *    (default 1; lower means more large turns) moves it. A large turn's `reasons` name the features that
 *    pushed it most (e.g. `reports-a-problem`, `word:refund`, `retrieval:low-confidence`); a small one has none.
 *
 * @example
 * decideRoute({ question: "What does the Pro plan cost?", conversationDepth: 0, retrieval: NO_RETRIEVAL, routing: { policy: "auto" } })
 * // { tier: "small", reasons: [], score: 0.04, threshold: 1 }
 */
export function decideRoute(
  input: RouteInput,
  shape: QuestionShape = analyzeQuestion(input.question),
  weights: RouterWeights = LEARNED_ROUTER_WEIGHTS,
): RouteDecision {
  const threshold = validThreshold(input.routing.threshold);
  if (input.routing.policy === "always-small") return { tier: "small", reasons: ["policy-always-small"], score: 0, threshold };
  if (input.routing.policy === "always-large") return { tier: "large", reasons: ["policy-always-large"], score: 0, threshold };
  if (shape.explicitRequest) return { tier: "large", reasons: ["explicit-request"], score: threshold, threshold }; // the visitor asked for depth
  const followUp = followUpEscalation(input.question, input.previous);
  if (followUp) return { tier: "large", reasons: [followUp], score: threshold, threshold };

  const probability = probabilityOf(weights, input.question, shape, input.conversationDepth, input.retrieval, CALIBRATION);
  const score = Math.round((probability / weights.threshold) * 100) / 100;
  const tier: Tier = score >= threshold ? "large" : "small";
  // Reasons explain a turn sent large; a small turn has none (nothing reached the threshold; its score says how close it came).
  if (tier === "small") return { tier, reasons: [], score, threshold };
  const reasons = topPositiveFeatures(weights, REASONS_SHOWN, input.question, shape, input.conversationDepth, input.retrieval, CALIBRATION)
    .map((name) => name.replace(/^shape:/, ""));
  return { tier, reasons, score, threshold };
}

function validThreshold(threshold: number | undefined): number {
  return threshold !== undefined && Number.isFinite(threshold) && threshold > 0 ? threshold : DEFAULT_ROUTING_THRESHOLD;
}
