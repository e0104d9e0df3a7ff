import { describe, expect, it } from "vitest";
import { quantile, rankOf, retrievalMetrics, rocAuc } from "./retrieval-metrics.mjs";

describe("retrieval metrics", () => {
  it("ranks from 1, and a missing document is Infinity", () => {
    expect(rankOf(["a", "b", "c"], "a")).toBe(1);
    expect(rankOf(["a", "b", "c"], "c")).toBe(3);
    expect(rankOf(["a", "b", "c"], "z")).toBe(Infinity);
  });

  it("computes recall@1, recall@5 and MRR on rankings with known answers", () => {
    const rankings = [
      { ranking: ["d1", "d2"], answer: "d1" }, // rank 1
      { ranking: ["d2", "d1"], answer: "d1" }, // rank 2
      { ranking: ["a", "b", "c", "d", "d1"], answer: "d1" }, // rank 5
      { ranking: ["a", "b", "c", "d", "e", "d1"], answer: "d1" }, // rank 6: outside the top 5
      { ranking: ["a"], answer: "d1" }, // not retrieved
    ];
    const metrics = retrievalMetrics(rankings.map(({ ranking, answer }) => rankOf(ranking, answer)));
    expect(metrics.recallAt1).toBeCloseTo(1 / 5, 10);
    expect(metrics.recallAt5).toBeCloseTo(3 / 5, 10);
    expect(metrics.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 5 + 1 / 6 + 0) / 5, 10);
  });

  it("refuses an empty question set instead of dividing by zero", () => {
    expect(() => retrievalMetrics([])).toThrow(/No questions/);
  });

  it("computes ROC AUC (ties half) and nearest-rank quantiles", () => {
    expect(rocAuc([0.9, 0.4], [0.5, 0.1])).toBe(0.75);
    expect(rocAuc([1, 1], [0, 0])).toBe(1);
    expect(rocAuc([0.3], [0.3])).toBe(0.5);
    expect(() => rocAuc([], [1])).toThrow(/positives and negatives/);
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2);
    expect(quantile([3, 1, 2, 4], 0.99)).toBe(4);
    expect(quantile([3, 1, 2, 4], 0)).toBe(1);
  });
});
