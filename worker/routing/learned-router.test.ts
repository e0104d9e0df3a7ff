import { describe, expect, it } from "vitest";
import committed from "./learned-router-weights.json";
import { probabilityOf, scoreFeatures, topPositiveFeatures, validRouterWeights, type RouterWeights } from "./learned-router";
import { analyzeQuestion } from "./question-shape";
import { HASHED_FEATURE_BUCKETS, routerFeatures } from "./router-features";

const weights: RouterWeights = { version: 1, buckets: HASHED_FEATURE_BUCKETS, bias: -1, named: { "shape:comparison": 2 }, hashed: { "7": 4 }, threshold: 0.4 };

describe("scoreFeatures", () => {
  it("is a logistic regression over named and hashed weights, with each feature's contribution", () => {
    const features = [
      { name: "shape:comparison", key: "shape:comparison", value: 1 },
      { name: "word:vs", key: "hash:7", value: 0.5 },
      { name: "pair:vs a", key: "hash:7", value: 0.25 },
      { name: "word:unknown", key: "hash:9", value: 0.5 },
    ];
    const score = scoreFeatures(weights, features);
    expect(score.probability).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 2 + 2 + 1))), 10);
    expect(score.contributions).toEqual([
      { name: "shape:comparison", contribution: 2 },
      { name: "word:vs", contribution: 2 },
      { name: "pair:vs a", contribution: 1 },
    ]);
    expect(scoreFeatures(weights, features, false)).toEqual({ probability: score.probability, contributions: [] });
    expect(scoreFeatures(weights, []).probability).toBeCloseTo(1 / (1 + Math.E), 10);
  });
});

describe("validRouterWeights", () => {
  it("accepts the committed weights and rejects stale or broken ones", () => {
    expect(validRouterWeights(committed).threshold).toBeGreaterThan(0);
    expect(validRouterWeights(weights)).toBe(weights);
    for (const broken of [null, { ...weights, version: 2 }, { ...weights, buckets: 1024 }, { ...weights, threshold: 1 }, { ...weights, hashed: { "1": "x" } }, { ...weights, bias: Number.NaN }]) {
      expect(() => validRouterWeights(broken)).toThrow(/npm run train:router/);
    }
  });
});

describe("the per-request path", () => {
  it("probabilityOf and topPositiveFeatures agree with scoring the built feature list", () => {
    const calibration = { unrelatedScore: 0.15, confidentScore: 0.5, confidentGap: 0.05 };
    const retrieval = { searched: true, topScore: 0.3, secondScore: 0.2, passagesAboveThreshold: 0 };
    const trained = validRouterWeights(committed);
    for (const question of ["my payment went through twice", "How do I reset my password?", "We're moving from Heroku, how should we plan it and what breaks?", "hi"]) {
      const shape = analyzeQuestion(question);
      const full = scoreFeatures(trained, routerFeatures(question, shape, 2, retrieval, calibration));
      expect(probabilityOf(trained, question, shape, 2, retrieval, calibration)).toBeCloseTo(full.probability, 12);
      const positive = full.contributions.filter((entry) => entry.contribution > 0).slice(0, 3).map((entry) => entry.name);
      expect(topPositiveFeatures(trained, 3, question, shape, 2, retrieval, calibration), question).toEqual(positive);
    }
  });
});
