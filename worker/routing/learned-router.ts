import type { QuestionShape } from "./question-shape";
import type { RetrievalSignals } from "./retrieval-signals";
import { HASHED_FEATURE_BUCKETS, visitRouterFeatures, type RetrievalCalibration, type RouterFeature } from "./router-features";

/**
 * A trained logistic-regression router: `npm run train:router` writes it as
 * worker/routing/learned-router-weights.json. `threshold` is the probability at which a turn goes large,
 * chosen on out-of-fold predictions of the training domains (never on a set it is then measured on).
 */
export interface RouterWeights {
  version: 1;
  buckets: number;
  bias: number;
  /** Weights of named features (shape, length, retrieval, depth). */
  named: Record<string, number>;
  /** Weights of hashed word and pair buckets, sparse: bucket index → weight. */
  hashed: Record<string, number>;
  /** Probability of `needs-large` at which the turn goes large. */
  threshold: number;
  /** How the weights were made (the trainer's settings and data), for people. */
  training?: Record<string, unknown>;
}

export interface RouterScore {
  /** Probability that the question needs the large model. */
  probability: number;
  /** Each feature's contribution to the log-odds, largest magnitude first. */
  contributions: { name: string; contribution: number }[];
}

/**
 * Scores one turn's features: a dot product and a sigmoid, microseconds. `explain: false` skips the
 * per-feature contributions (only needed to name the reasons of a large turn).
 *
 * @example
 * scoreFeatures(LEARNED_ROUTER_WEIGHTS, routerFeatures(question, shape, depth, retrieval, calibration)).probability // 0.83
 */
export function scoreFeatures(weights: RouterWeights, features: readonly RouterFeature[], explain = true): RouterScore {
  let logit = weights.bias;
  for (const feature of features) logit += weightOf(weights, feature.key) * feature.value;
  return { probability: 1 / (1 + Math.exp(-logit)), contributions: explain ? contributionsOf(weights, features) : [] };
}

function contributionsOf(weights: RouterWeights, features: readonly RouterFeature[]): RouterScore["contributions"] {
  const byName = new Map<string, number>();
  for (const feature of features) {
    const contribution = weightOf(weights, feature.key) * feature.value;
    if (contribution !== 0) byName.set(feature.name, (byName.get(feature.name) ?? 0) + contribution);
  }
  const contributions = [...byName].map(([name, contribution]) => ({ name, contribution }));
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.name < b.name ? -1 : 1));
  return contributions;
}

/** Each weights object as lookups built once: by feature key, and the hashed table as a dense array. */
interface CompiledWeights {
  byKey: Map<string, number>;
  hashed: Float64Array;
}
const compiled = new WeakMap<RouterWeights, CompiledWeights>();

function compile(weights: RouterWeights): CompiledWeights {
  let result = compiled.get(weights);
  if (result === undefined) {
    const byKey = new Map(Object.entries(weights.named));
    const hashed = new Float64Array(HASHED_FEATURE_BUCKETS);
    for (const [bucket, weight] of Object.entries(weights.hashed)) {
      byKey.set(`hash:${bucket}`, weight);
      hashed[Number(bucket)] = weight;
    }
    result = { byKey, hashed };
    compiled.set(weights, result);
  }
  return result;
}

function weightOf(weights: RouterWeights, key: string): number {
  return compile(weights).byKey.get(key) ?? 0;
}

/**
 * The probability that a turn needs the large model, straight from the turn (no feature list built):
 * the same sum as `scoreFeatures(weights, routerFeatures(...))`, for the per-request path.
 */
export function probabilityOf(
  weights: RouterWeights,
  question: string,
  shape: QuestionShape,
  conversationDepth: number,
  retrieval: RetrievalSignals,
  calibration: RetrievalCalibration,
): number {
  const { byKey, hashed } = compile(weights);
  let logit = weights.bias;
  visitRouterFeatures(question, shape, conversationDepth, retrieval, calibration, (key, bucket, value) => {
    logit += (key === undefined ? hashed[bucket]! : (byKey.get(key) ?? 0)) * value;
  });
  return 1 / (1 + Math.exp(-logit));
}

/**
 * The names of the `count` features that pushed a turn's log-odds up most, largest first: a large
 * decision's reasons. Names are built for those few only.
 */
export function topPositiveFeatures(
  weights: RouterWeights,
  count: number,
  question: string,
  shape: QuestionShape,
  conversationDepth: number,
  retrieval: RetrievalSignals,
  calibration: RetrievalCalibration,
): string[] {
  const { byKey, hashed } = compile(weights);
  const top: { contribution: number; name: () => string }[] = [];
  visitRouterFeatures(question, shape, conversationDepth, retrieval, calibration, (key, bucket, value, prefix, a, b) => {
    const contribution = (key === undefined ? hashed[bucket]! : (byKey.get(key) ?? 0)) * value;
    if (contribution <= 0 || (top.length === count * 2 && contribution <= top[top.length - 1]!.contribution)) return;
    const name = key !== undefined ? () => key : b === undefined ? () => `${prefix}${a}` : () => `${prefix}${a} ${b}`;
    let at = top.length;
    while (at > 0 && top[at - 1]!.contribution < contribution) at--;
    top.splice(at, 0, { contribution, name });
    if (top.length > count * 2) top.pop(); // room for duplicates of one name (a pair said twice)
  });
  return [...new Set(top.map((entry) => entry.name()))].slice(0, count);
}

/** Checks a weights object's shape (a hand-edited or stale file fails loudly, not silently). */
export function validRouterWeights(value: unknown): RouterWeights {
  const weights = value as RouterWeights;
  const numbers = (record: unknown) =>
    typeof record === "object" && record !== null && Object.values(record).every((n) => typeof n === "number" && Number.isFinite(n));
  if (
    typeof weights !== "object" || weights === null || weights.version !== 1 ||
    weights.buckets !== HASHED_FEATURE_BUCKETS || !Number.isFinite(weights.bias) ||
    !numbers(weights.named) || !numbers(weights.hashed) ||
    !(weights.threshold > 0 && weights.threshold < 1)
  ) {
    throw new Error(`Router weights are not valid for this router (version 1, ${HASHED_FEATURE_BUCKETS} buckets): retrain with npm run train:router.`);
  }
  return weights;
}
