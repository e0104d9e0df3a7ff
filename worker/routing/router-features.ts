import type { QuestionShape } from "./question-shape";
import type { RetrievalSignals } from "./retrieval-signals";

/**
 * The learned router's input: sparse features that every turn already has, at no extra cost and with any
 * embedding model (none of them depends on an embedding's dimensions or on the offline word vectors):
 *
 * - `shape:*`: the question-shape signals (worker/routing/question-shape.ts), one feature each;
 * - `len:*`: the question's length, as a bucket;
 * - `word:*`, `pair:*`, `first:*`: the question's words (lightly stemmed), adjacent word pairs and its first
 *   word, hashed into `HASHED_FEATURE_BUCKETS` buckets, each weighted 1/√n so long questions do not dominate;
 * - `retrieval:*`: what the bot's own retrieval found (none related, below threshold, a thin or a confident match);
 * - `depth:*`: how deep into the conversation the turn is.
 *
 * Named features (shape, length, retrieval, depth) keep their own weights; hashed ones share the bucket
 * table. Every feature keeps its readable name, so a decision can say which features drove it.
 */
export interface RouterFeature {
  name: string;
  /** Index into the weights: named features by name, hashed ones as `hash:<bucket>`. */
  key: string;
  value: number;
}

/** Size of the hashed word/pair table. A power of two; changing it needs a retrain (`npm run train:router`). */
export const HASHED_FEATURE_BUCKETS = 4096;

/** Retrieval's categories, with the worker's calibrated scores (see route-decision.ts for the figures). */
export interface RetrievalCalibration {
  unrelatedScore: number;
  confidentScore: number;
  confidentGap: number;
}

const SHAPE_FLAGS = [
  ["advice", "advice"],
  ["explanation", "explanation"],
  ["troubleshooting", "troubleshooting"],
  ["symptomReport", "reports-a-problem"],
  ["alreadyTried", "already-tried"],
  ["code", "code"],
  ["artifactRequest", "writes-code"],
  ["comparison", "comparison"],
  ["situation", "describes-situation"],
  ["constraints", "constraints"],
  ["lookup", "lookup"],
  ["howTo", "how-to"],
] as const satisfies readonly (readonly [keyof QuestionShape, string])[];

/**
 * The features of one turn.
 *
 * @example
 * routerFeatures("my refund never came", analyzeQuestion("my refund never came"), 0, NO_RETRIEVAL, calibration)
 * // [{ name: "shape:reports-a-problem", … }, { name: "len:1-5", … }, { name: "word:refund", key: "hash:…", … }, …]
 */
export function routerFeatures(
  question: string,
  shape: QuestionShape,
  conversationDepth: number,
  retrieval: RetrievalSignals,
  calibration: RetrievalCalibration,
): RouterFeature[] {
  const features: RouterFeature[] = [];
  const named = (name: string, value = 1) => features.push({ name, key: name, value });
  for (const [flag, name] of SHAPE_FLAGS) if (shape[flag]) named(`shape:${name}`);
  if (shape.questions >= 2) named("shape:several-questions");
  if (shape.planning > 0) named("shape:planning");
  if (shape.figures >= 2) named("shape:figures");
  named(`len:${lengthBucket(shape.words)}`);
  if (!question.includes("?")) named("shape:no-question-mark");

  const tokens = wordsOf(question);
  if (tokens.length > 0 && tokens.every((token) => SOCIAL_WORDS.has(token))) named("shape:small-talk");
  const hashed: string[] = [];
  if (tokens.length > 0) hashed.push(`first:${tokens[0]}`);
  for (let i = 0; i < tokens.length; i++) {
    hashed.push(`word:${tokens[i]}`);
    if (i + 1 < tokens.length) hashed.push(`pair:${tokens[i]} ${tokens[i + 1]}`);
  }
  const weight = hashed.length > 0 ? 1 / Math.sqrt(hashed.length) : 0;
  for (const name of hashed) features.push({ name, key: `hash:${hashBucket(name)}`, value: weight });

  named(`retrieval:${retrievalCategory(retrieval, calibration)}`);
  if (conversationDepth >= 1) named("depth:follow-up");
  if (conversationDepth >= 4) named("depth:deep");
  return features;
}

/** The retrieval signals as one category: what the docs can do for this question. */
export function retrievalCategory(retrieval: RetrievalSignals, calibration: RetrievalCalibration): string {
  if (!retrieval.searched) return "off";
  if (retrieval.passagesAboveThreshold === 0) return retrieval.topScore >= calibration.unrelatedScore ? "low-confidence" : "unrelated";
  if (retrieval.topScore >= calibration.confidentScore && retrieval.topScore - retrieval.secondScore >= calibration.confidentGap) return "confident";
  return retrieval.passagesAboveThreshold === 1 ? "thin" : "several-passages";
}

function lengthBucket(words: number): string {
  if (words <= 2) return "1-2";
  if (words <= 5) return "3-5";
  if (words <= 10) return "6-10";
  if (words <= 20) return "11-20";
  if (words <= 40) return "21-40";
  return "over-40";
}

/** Words beyond this many add nothing a router needs and only cost time (8 KB pastes). */
export const MAX_WORDS = 120;

/** Lower-cased words without punctuation, lightly stemmed ("refunds", "refunded" → "refund"); at most MAX_WORDS. */
export function wordsOf(text: string): string[] {
  const words = text.slice(0, MAX_WORDS * 20).toLowerCase().replace(/['’]/g, "").match(/[a-z0-9]+/g) ?? [];
  return words.slice(0, MAX_WORDS).map(stem);
}

function stem(word: string): string {
  if (word.charCodeAt(0) <= 57 && /^\d+$/.test(word)) return "<number>";
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** A message made only of these is small talk: a greeting, thanks, a goodbye. */
const SOCIAL_WORDS = new Set(
  wordsOf("hi hello hey hiya there good morning afternoon evening thank thanks you so much very cheers ok okay bye goodbye great perfect awesome that thats it work was helpful all for the help again have a nice day"),
);

/** FNV-1a (32 bit) of the feature name, into the bucket table. The same in the worker and the trainer. */
export function hashBucket(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % HASHED_FEATURE_BUCKETS;
}
