import type { QuestionShape } from "./question-shape";
import type { RetrievalSignals } from "./retrieval-signals";

/**
 * The learned router's input: sparse features that every turn already has, at no extra cost and with any
 * embedding model (none of them depends on an embedding's dimensions or on the offline word vectors):
 *
 * - `shape:*`: the question-shape signals (worker/routing/question-shape.ts), one feature each;
 * - `len:*`: the question's length, as a bucket;
 * - `word:*`, `pair:*`, `first:*`: the question's words (lightly stemmed), adjacent word pairs and its first
 *   word, hashed into `HASHED_FEATURE_BUCKETS` buckets, each weighted 1/√n (n: their count) so long questions do not dominate;
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
const SHAPE_KEYS = SHAPE_FLAGS.map(([flag, name]) => [flag, `shape:${name}`] as const);
const RETRIEVAL_KEYS: Record<string, string> = Object.fromEntries(
  ["off", "unrelated", "low-confidence", "confident", "thin", "several-passages"].map((category) => [category, `retrieval:${category}`]),
);

/**
 * Receives each feature of a turn without building it: a named feature (`key` its name, `bucket` -1) or a
 * hashed one (`key` undefined, `bucket` its bucket; its readable name is `prefix + a` or `prefix + a + " " + b`).
 */
export type FeatureVisitor = (key: string | undefined, bucket: number, value: number, prefix: string, a: string, b: string | undefined) => void;

/**
 * Walks the features of one turn, allocating next to nothing: the worker's scoring path
 * (learned-router.ts `probabilityOf`) sums weights as it goes; `routerFeatures` builds the list.
 */
export function visitRouterFeatures(
  question: string,
  shape: QuestionShape,
  conversationDepth: number,
  retrieval: RetrievalSignals,
  calibration: RetrievalCalibration,
  visit: FeatureVisitor,
): void {
  for (const [flag, key] of SHAPE_KEYS) if (shape[flag]) visit(key, -1, 1, "", "", undefined);
  if (shape.questions >= 2) visit("shape:several-questions", -1, 1, "", "", undefined);
  if (shape.planning > 0) visit("shape:planning", -1, 1, "", "", undefined);
  if (shape.figures >= 2) visit("shape:figures", -1, 1, "", "", undefined);
  visit(lengthBucket(shape.words), -1, 1, "", "", undefined);
  if (!question.includes("?")) visit("shape:no-question-mark", -1, 1, "", "", undefined);

  const tokens = wordsOf(question);
  if (tokens.length > 0 && tokens.every((token) => SOCIAL_WORDS.has(token))) visit("shape:small-talk", -1, 1, "", "", undefined);
  // first word, every word, every adjacent pair: 2n hashed features, each weighted 1/√(2n)
  if (tokens.length > 0) {
    const value = 1 / Math.sqrt(2 * tokens.length);
    visit(undefined, bucketOf(fnv(FIRST_HASH, tokens[0]!)), value, "first:", tokens[0]!, undefined);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      visit(undefined, bucketOf(fnv(WORD_HASH, token)), value, "word:", token, undefined);
      const next = tokens[i + 1];
      if (next !== undefined) visit(undefined, bucketOf(fnv(fnv(fnv(PAIR_HASH, token), " "), next)), value, "pair:", token, next);
    }
  }

  visit(RETRIEVAL_KEYS[retrievalCategory(retrieval, calibration)]!, -1, 1, "", "", undefined);
  if (conversationDepth >= 1) visit("depth:follow-up", -1, 1, "", "", undefined);
  if (conversationDepth >= 4) visit("depth:deep", -1, 1, "", "", undefined);
}

/**
 * The features of one turn, each with its readable name (for training and for naming a decision's reasons).
 *
 * @example
 * routerFeatures("my refund never came", analyzeQuestion("my refund never came"), 0, NO_RETRIEVAL, calibration)
 * // [{ name: "shape:reports-a-problem", … }, { name: "len:3-5", … }, { name: "word:refund", key: "hash:…", … }, …]
 */
export function routerFeatures(
  question: string,
  shape: QuestionShape,
  conversationDepth: number,
  retrieval: RetrievalSignals,
  calibration: RetrievalCalibration,
): RouterFeature[] {
  const features: RouterFeature[] = [];
  visitRouterFeatures(question, shape, conversationDepth, retrieval, calibration, (key, bucket, value, prefix, a, b) => {
    if (key !== undefined) features.push({ name: key, key, value });
    else features.push({ name: b === undefined ? `${prefix}${a}` : `${prefix}${a} ${b}`, key: `hash:${bucket}`, value });
  });
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
  if (words <= 2) return "len:1-2";
  if (words <= 5) return "len:3-5";
  if (words <= 10) return "len:6-10";
  if (words <= 20) return "len:11-20";
  if (words <= 40) return "len:21-40";
  return "len:over-40";
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

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a (32 bit) of the feature name, into the bucket table. The same in the worker and the trainer. */
export function hashBucket(name: string): number {
  return bucketOf(fnv(FNV_OFFSET, name));
}

/** Continues an FNV-1a hash over `text`: hashing "word:" then "refund" equals hashing "word:refund". */
function fnv(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

function bucketOf(hash: number): number {
  return (hash >>> 0) % HASHED_FEATURE_BUCKETS;
}

const FIRST_HASH = fnv(FNV_OFFSET, "first:");
const WORD_HASH = fnv(FNV_OFFSET, "word:");
const PAIR_HASH = fnv(FNV_OFFSET, "pair:");
