// Trains the learned router (worker/routing/learned-router.ts): logistic regression over the features the
// worker computes (worker/routing/router-features.ts, bundled by load-router.mjs, so training and
// production see identical features), with the decision threshold chosen on out-of-fold predictions.
// Deterministic: full-batch gradient descent from zero weights, no randomness, rounded output.

/** The trainer's settings. Fixed defaults; documented in docs/learned-router.md. */
export const TRAINING_DEFAULTS = Object.freeze({
  epochs: 400,
  learningRate: 2,
  /** L2 penalty per weight (the bias is not penalised). */
  l2: 0.002,
  /** Weight of a needs-large example against a small-ok one: missing one costs more than an extra large turn. */
  positiveWeight: 2,
  /** The threshold keeps at most this share of the training folds' needs-large questions small. */
  riskTarget: 0.02,
});

/** The features of one labelled question, as the worker computes them for a turn. */
export function featuresOf(router, item) {
  const calibration = {
    unrelatedScore: router.UNRELATED_RETRIEVAL_SCORE,
    confidentScore: router.CONFIDENT_RETRIEVAL_SCORE,
    confidentGap: router.CONFIDENT_RETRIEVAL_GAP,
  };
  return router.routerFeatures(item.question, router.analyzeQuestion(item.question), item.history.length, item.signals ?? router.NO_RETRIEVAL, calibration);
}

/**
 * Fits the logistic regression. `examples`: `{ features: { key, value }[], label: 0 | 1 }[]`.
 * Returns the weights object the worker reads, without a threshold (set by the caller).
 */
export function fitLogistic(examples, settings = TRAINING_DEFAULTS, buckets) {
  const { epochs, learningRate, l2, positiveWeight } = { ...TRAINING_DEFAULTS, ...settings };
  const keys = new Map();
  const rows = examples.map((example) => ({
    label: example.label,
    weight: example.label === 1 ? positiveWeight : 1,
    features: example.features.map((feature) => {
      if (!keys.has(feature.key)) keys.set(feature.key, keys.size);
      return [keys.get(feature.key), feature.value];
    }),
  }));
  const totalWeight = rows.reduce((sum, row) => sum + row.weight, 0);
  const w = new Float64Array(keys.size);
  let bias = 0;
  const gradient = new Float64Array(keys.size);
  for (let epoch = 0; epoch < epochs; epoch++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (const row of rows) {
      let logit = bias;
      for (const [index, value] of row.features) logit += w[index] * value;
      const error = (1 / (1 + Math.exp(-logit)) - row.label) * row.weight;
      biasGradient += error;
      for (const [index, value] of row.features) gradient[index] += error * value;
    }
    bias -= (learningRate * biasGradient) / totalWeight;
    for (let i = 0; i < w.length; i++) w[i] -= learningRate * (gradient[i] / totalWeight + l2 * w[i]);
  }
  const named = {};
  const hashed = {};
  for (const [key, index] of [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = round(w[index], 3);
    if (value === 0) continue;
    if (key.startsWith("hash:")) hashed[key.slice(5)] = value;
    else named[key] = value;
  }
  const sortedHashed = Object.fromEntries(Object.entries(hashed).sort(([a], [b]) => Number(a) - Number(b)));
  return { version: 1, buckets, bias: round(bias, 4), named, hashed: sortedHashed, threshold: 0.5 };
}

/**
 * The highest probability threshold that keeps at most `riskTarget` of the needs-large questions small
 * (a question goes large when its probability is at or above the threshold).
 */
export function chooseThreshold(predictions, riskTarget) {
  const large = predictions.filter((p) => p.label === "needs-large").map((p) => p.probability).sort((a, b) => a - b);
  if (large.length === 0) return 0.5;
  const allowedMisses = Math.floor(riskTarget * large.length);
  const threshold = large[allowedMisses];
  return Math.min(0.99, Math.max(0.01, round(threshold, 4)));
}

/** Probabilities of the worker's scorer for labelled items under `weights`. */
export function predict(router, weights, items) {
  return items.map((item) => ({ ...item, probability: router.scoreFeatures(weights, featuresOf(router, item)).probability }));
}

/** Trains on `domains` (each `{ name, questions }` with signals): weights with a threshold from leave-one-domain-out predictions. */
export function trainRouter(router, domains, settings = TRAINING_DEFAULTS) {
  const options = { ...TRAINING_DEFAULTS, ...settings };
  const all = domains.flatMap((domain) => domain.questions);
  const weights = fit(router, all, options);
  // The threshold comes from predictions on domains each fold did not train on: it is set the way the
  // router will meet an unseen product, not from its (optimistic) fit on its own training questions.
  const outOfFold = domains.length >= 2 ? domains.flatMap((held) => predict(router, fit(router, domains.filter((d) => d !== held).flatMap((d) => d.questions), options), held.questions)) : predict(router, weights, all);
  weights.threshold = chooseThreshold(outOfFold, options.riskTarget);
  weights.training = {
    command: "npm run train:router",
    questions: all.length,
    needsLarge: all.filter((item) => item.label === "needs-large").length,
    domains: domains.map((domain) => `${domain.name} (${domain.questions.length})`),
    settings: { epochs: options.epochs, learningRate: options.learningRate, l2: options.l2, positiveWeight: options.positiveWeight, riskTarget: options.riskTarget },
    threshold: "lowest out-of-fold needs-large probability allowed by riskTarget (leave one domain out)",
  };
  return weights;
}

/**
 * Leave-one-domain-out evaluation: for each domain, a router trained on all the others (its threshold
 * chosen on those others only) decides the held-out domain's questions.
 * Returns `[{ domain, weights, predictions }]`, predictions with `tier` set.
 */
export function leaveOneDomainOut(router, domains, settings = TRAINING_DEFAULTS) {
  return domains.map((held) => {
    const weights = trainRouter(router, domains.filter((domain) => domain !== held), settings);
    const predictions = predict(router, weights, held.questions).map((p) => ({ ...p, tier: p.probability >= weights.threshold ? "large" : "small" }));
    return { domain: held, weights, predictions };
  });
}

function fit(router, items, options) {
  const examples = items.map((item) => ({ features: featuresOf(router, item), label: item.label === "needs-large" ? 1 : 0 }));
  return fitLogistic(examples, options, router.HASHED_FEATURE_BUCKETS);
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor || 0;
}
