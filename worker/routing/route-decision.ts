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
}

/** The router's decision and why, recorded with the turn and sent in its metadata. */
export interface RouteDecision {
  tier: Tier;
  /** Short stable codes of the signals that fired, e.g. ["multiple-questions", "troubleshooting"]. */
  reasons: string[];
  /** The summed difficulty score (0 for fixed policies). */
  score: number;
  threshold: number;
}

/**
 * The router's weights. Each signal adds its weight to a difficulty score; the turn goes large when
 * the score reaches the policy's threshold (default 1). One strong signal (several questions, a
 * comparison, code, a request for code) is enough on its own; weaker ones (a "why", a symptom,
 * weak retrieval, length, a long conversation) need company. Exported so the README and tests can refer to them.
 */
export const ROUTING_WEIGHTS = Object.freeze({
  multipleQuestions: 1, // two or more questions (two very short ones: twoShortQuestions)
  twoShortQuestions: 0.5, // "Do you have a CLI? How do I install it?": usually one intent
  comparison: 1,
  code: 1,
  artifactRequest: 1, // "write me a workflow / Dockerfile / query"
  advice: 1, // a recommendation depends on the visitor's situation
  planning: 0.7, // one planning concern
  severalPlanningConcerns: 1, // e.g. a migration and zero downtime
  explanation: 0.5,
  troubleshooting: 0.6,
  symptomReport: 1, // "my app keeps restarting": a diagnosis is needed
  alreadyTried: 0.5,
  constraints: 0.5, // "without downtime", "securely", "so that contractors can't …"
  situation: 0.5, // a first-person story of several sentences around the question
  figures: 0.5, // two specific figures to reason about
  manyFigures: 1, // three or more: a calculation
  longQuestion: 0.4, // over LONG_QUESTION_WORDS
  veryLongQuestion: 1, // over VERY_LONG_QUESTION_WORDS (replaces longQuestion)
  deepConversation: 0.3, // from DEEP_CONVERSATION_TURNS earlier visitor messages
  // Retrieval ran and found related text, but nothing above its threshold: the small model would answer
  // ungrounded. Half a signal: a plain lookup the docs miss is still answered by a short "not in the docs",
  // while anything else that is hard becomes large.
  lowRetrievalConfidence: 0.5,
  thinRetrieval: 0.25, // one passage just above threshold, below the confident score: a partial match
  confidentRetrieval: -0.3, // a clear best passage: the answer is in the docs
});

/** Two questions in fewer words than this count as one intent asked twice (twoShortQuestions). */
export const SHORT_QUESTIONS_WORDS = 12;
export const DEFAULT_ROUTING_THRESHOLD = 1;
export const LONG_QUESTION_WORDS = 30;
export const VERY_LONG_QUESTION_WORDS = 70;
export const DEEP_CONVERSATION_TURNS = 4;
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

/**
 * Decides the tier of one turn from cheap, explainable signals. Deterministic, no I/O, well under a
 * millisecond: it runs on every request.
 *
 * @example
 * decideRoute({ question: "What does the Pro plan cost?", conversationDepth: 0, retrieval: NO_RETRIEVAL, routing: { policy: "auto" } })
 * // { tier: "small", reasons: [], score: 0, threshold: 1 }
 */
export function decideRoute(input: RouteInput, shape: QuestionShape = analyzeQuestion(input.question)): RouteDecision {
  const threshold = validThreshold(input.routing.threshold);
  if (input.routing.policy === "always-small") return { tier: "small", reasons: ["policy-always-small"], score: 0, threshold };
  if (input.routing.policy === "always-large") return { tier: "large", reasons: ["policy-always-large"], score: 0, threshold };

  const reasons: string[] = [];
  let score = 0;
  let strongest = 0;
  const add = (reason: string, weight: number) => {
    reasons.push(reason);
    score += weight;
    strongest = Math.max(strongest, weight);
  };
  if (shape.explicitRequest) add("explicit-request", threshold); // the visitor asked for depth: always honoured
  if (shape.questions >= 3 || (shape.questions === 2 && shape.words >= SHORT_QUESTIONS_WORDS)) {
    add("multiple-questions", ROUTING_WEIGHTS.multipleQuestions);
  } else if (shape.questions === 2) add("two-short-questions", ROUTING_WEIGHTS.twoShortQuestions);
  if (shape.comparison) add("comparison", ROUTING_WEIGHTS.comparison);
  if (shape.code) add("code", ROUTING_WEIGHTS.code);
  if (shape.artifactRequest) add("writes-code", ROUTING_WEIGHTS.artifactRequest);
  if (shape.advice) add("advice", ROUTING_WEIGHTS.advice);
  if (shape.planning >= 2) add("planning", ROUTING_WEIGHTS.severalPlanningConcerns);
  else if (shape.planning === 1) add("planning", ROUTING_WEIGHTS.planning);
  if (shape.explanation) add("explanation", ROUTING_WEIGHTS.explanation);
  if (shape.symptomReport) add("reports-a-problem", ROUTING_WEIGHTS.symptomReport);
  else if (shape.troubleshooting) add("troubleshooting", ROUTING_WEIGHTS.troubleshooting);
  if (shape.alreadyTried) add("already-tried", ROUTING_WEIGHTS.alreadyTried);
  if (shape.constraints) add("constraints", ROUTING_WEIGHTS.constraints);
  if (shape.situation) add("describes-situation", ROUTING_WEIGHTS.situation);
  if (shape.figures >= 3) add("calculation", ROUTING_WEIGHTS.manyFigures);
  else if (shape.figures === 2) add("specific-figures", ROUTING_WEIGHTS.figures);
  if (shape.words > VERY_LONG_QUESTION_WORDS) add("very-long-question", ROUTING_WEIGHTS.veryLongQuestion);
  else if (shape.words > LONG_QUESTION_WORDS) add("long-question", ROUTING_WEIGHTS.longQuestion);
  if (input.conversationDepth >= DEEP_CONVERSATION_TURNS) add("deep-conversation", ROUTING_WEIGHTS.deepConversation);

  const retrieval = input.retrieval;
  if (retrieval.searched) {
    if (retrieval.passagesAboveThreshold === 0) {
      if (retrieval.topScore >= UNRELATED_RETRIEVAL_SCORE) add("low-retrieval-confidence", ROUTING_WEIGHTS.lowRetrievalConfidence);
      else reasons.push("no-related-docs"); // out of scope: a polite refusal needs no large model
    } else if (retrieval.topScore >= CONFIDENT_RETRIEVAL_SCORE && retrieval.topScore - retrieval.secondScore >= CONFIDENT_RETRIEVAL_GAP) {
      // A confident match offsets weak signals only: a signal that goes large on its own (an explicit
      // request, several questions, a comparison, a reported problem…) is about the question, and the
      // docs holding the facts do not make it easy.
      if (strongest < threshold) add("confident-retrieval", ROUTING_WEIGHTS.confidentRetrieval);
      else reasons.push("confident-retrieval-ignored");
    } else if (retrieval.passagesAboveThreshold === 1 && retrieval.topScore < CONFIDENT_RETRIEVAL_SCORE) {
      add("thin-retrieval", ROUTING_WEIGHTS.thinRetrieval);
    }
  }
  score = Math.round(score * 100) / 100;
  return { tier: score >= threshold ? "large" : "small", reasons, score, threshold };
}

function validThreshold(threshold: number | undefined): number {
  return threshold !== undefined && Number.isFinite(threshold) && threshold > 0 ? threshold : DEFAULT_ROUTING_THRESHOLD;
}
