import { describe, expect, it } from "vitest";
import { analyzeQuestion } from "./question-shape";
import { NO_RETRIEVAL, type RetrievalSignals } from "./retrieval-signals";
import { hashBucket, HASHED_FEATURE_BUCKETS, MAX_WORDS, retrievalCategory, routerFeatures, wordsOf } from "./router-features";

const calibration = { unrelatedScore: 0.15, confidentScore: 0.5, confidentGap: 0.05 };
const names = (question: string, depth = 0, retrieval: RetrievalSignals = NO_RETRIEVAL) =>
  routerFeatures(question, analyzeQuestion(question), depth, retrieval, calibration).map((feature) => feature.name);

describe("routerFeatures", () => {
  it("names the question's shape, length, words, pairs, first word, retrieval and depth", () => {
    const features = names("My refunds keep failing", 0);
    expect(features).toEqual(expect.arrayContaining(["shape:reports-a-problem", "shape:no-question-mark", "len:3-5", "first:my", "word:refund", "pair:refund keep", "word:fail", "retrieval:off"]));
    expect(features).not.toContain("depth:follow-up");
    expect(names("And in the EU?", 1)).toContain("depth:follow-up");
    expect(names("And in the EU?", 4)).toEqual(expect.arrayContaining(["depth:follow-up", "depth:deep"]));
    expect(names("Do you ship to Norway?")).toEqual(expect.arrayContaining(["shape:lookup"]));
    expect(names("How do I add a user?")).toContain("shape:how-to");
    expect(names("thanks, that worked!")).toContain("shape:small-talk");
    expect(names("thanks, but it still crashes")).not.toContain("shape:small-talk");
  });

  it("weights hashed features 1/√n and keys them by bucket, named ones by name", () => {
    const features = routerFeatures("refund please", analyzeQuestion("refund please"), 0, NO_RETRIEVAL, calibration);
    const hashed = features.filter((feature) => feature.key.startsWith("hash:"));
    expect(hashed.map((feature) => feature.name)).toEqual(["first:refund", "word:refund", "pair:refund please", "word:please"]);
    for (const feature of hashed) {
      expect(feature.value).toBeCloseTo(1 / Math.sqrt(4), 10);
      expect(feature.key).toBe(`hash:${hashBucket(feature.name)}`);
    }
    expect(features.find((feature) => feature.name === "len:1-2")).toEqual({ name: "len:1-2", key: "len:1-2", value: 1 });
  });

  it("reads retrieval as one category", () => {
    const category = (signals: Partial<RetrievalSignals>) => retrievalCategory({ ...NO_RETRIEVAL, searched: true, ...signals }, calibration);
    expect(retrievalCategory(NO_RETRIEVAL, calibration)).toBe("off");
    expect(category({ topScore: 0.05 })).toBe("unrelated");
    expect(category({ topScore: 0.3 })).toBe("low-confidence");
    expect(category({ topScore: 0.8, secondScore: 0.4, passagesAboveThreshold: 2 })).toBe("confident");
    expect(category({ topScore: 0.8, secondScore: 0.78, passagesAboveThreshold: 2 })).toBe("several-passages");
    expect(category({ topScore: 0.4, passagesAboveThreshold: 1 })).toBe("thin");
  });
});

describe("wordsOf and hashBucket", () => {
  it("lower-cases, drops punctuation and apostrophes, stems lightly and caps the count", () => {
    expect(wordsOf("Refunds REFUNDED, refunding; it's 2 policies")).toEqual(["refund", "refund", "refund", "its", "<number>", "policy"]);
    expect(wordsOf("class is pass")).toEqual(["class", "is", "pass"]);
    expect(wordsOf("word ".repeat(1000))).toHaveLength(MAX_WORDS);
  });

  it("hashes deterministically (FNV-1a) into the bucket table", () => {
    expect(hashBucket("word:refund")).toBe(hashBucket("word:refund"));
    expect(hashBucket("")).toBe(0x811c9dc5 % HASHED_FEATURE_BUCKETS);
    const buckets = new Set(["a", "b", "c", "word:x", "word:y"].map(hashBucket));
    expect(buckets.size).toBe(5);
    for (const bucket of buckets) expect(bucket).toBeLessThan(HASHED_FEATURE_BUCKETS);
  });
});
