import { describe, expect, it } from "vitest";
import { decideRoute, LEARNED_ROUTER_WEIGHTS, REASONS_SHOWN, type RouteInput } from "./route-decision";
import { hashBucket } from "./router-features";
import { NO_RETRIEVAL, retrievalSignalsFromScores, type RetrievalSignals } from "./retrieval-signals";

const confident: RetrievalSignals = { searched: true, topScore: 0.85, secondScore: 0.5, passagesAboveThreshold: 2 };
const weak: RetrievalSignals = { searched: true, topScore: 0.3, secondScore: 0.25, passagesAboveThreshold: 0 };
const unrelated: RetrievalSignals = { searched: true, topScore: 0.05, secondScore: 0, passagesAboveThreshold: 0 };

function route(question: string, overrides: Partial<RouteInput> = {}) {
  return decideRoute({ question, conversationDepth: 0, retrieval: NO_RETRIEVAL, routing: { policy: "auto" }, ...overrides });
}

describe("decideRoute", () => {
  it("keeps plain lookups and small talk small, with no reasons", () => {
    for (const question of ["How much does the Pro plan cost?", "How do I reset my password?", "Do you support IPv6?", "What are your opening hours?", "Hi there"]) {
      for (const retrieval of [NO_RETRIEVAL, confident]) {
        const decision = route(question, { retrieval });
        expect(decision, question).toMatchObject({ tier: "small", reasons: [] });
        expect(decision.score).toBeLessThan(1);
      }
    }
  });

  it("sends vague reports, compliance, migrations and performance worries without trigger words to the large tier", () => {
    // None of these is in the training set (examples/routing-training).
    for (const question of [
      "Our SOC 2 auditor wants access logs, what can you give us?",
      "We're switching over from Zendesk next month, how should we plan it?",
      "it's really slow lately",
      "my payment went through twice",
    ]) {
      for (const retrieval of [NO_RETRIEVAL, confident, weak]) expect(route(question, { retrieval }).tier, question).toBe("large");
    }
    const slow = route("it's really slow lately");
    expect(slow.reasons).toContain("troubleshooting");
    expect(slow.reasons.length).toBeLessThanOrEqual(REASONS_SHOWN);
  });

  it("honours an explicit request for depth whatever the question", () => {
    expect(route("Give me a detailed answer: what is a build minute?")).toMatchObject({ tier: "large", reasons: ["explicit-request"] });
    expect(route("think carefully: can I pay with PayPal?").tier).toBe("large");
  });

  it("gives the visitor a second chance on the next turn: not helped, re-asked", () => {
    const previous = { question: "How do I add a custom domain?" };
    expect(route("that didn't help", { previous, conversationDepth: 1 })).toMatchObject({ tier: "large", reasons: ["visitor-not-helped"] });
    expect(route("how do I add a custom domain", { previous, conversationDepth: 1 })).toMatchObject({ tier: "large", reasons: ["visitor-re-asked"] });
    expect(route("that didn't help").reasons).not.toContain("visitor-not-helped"); // nothing came before
    expect(route("And what does it cost?", { previous, conversationDepth: 1 }).reasons).not.toContain("visitor-re-asked");
  });

  it("scores with the weights it is given: retrieval, depth and words each move the probability", () => {
    const weights = { ...LEARNED_ROUTER_WEIGHTS, bias: -1, named: { "retrieval:low-confidence": 3, "depth:deep": 3 }, hashed: {}, threshold: 0.5 };
    const input = { question: "What is a seat?", conversationDepth: 0, retrieval: NO_RETRIEVAL, routing: { policy: "auto" as const } };
    expect(decideRoute(input, undefined, weights).tier).toBe("small");
    expect(decideRoute({ ...input, retrieval: weak }, undefined, weights)).toMatchObject({ tier: "large", reasons: ["retrieval:low-confidence"] });
    expect(decideRoute({ ...input, retrieval: unrelated }, undefined, weights).tier).toBe("small");
    expect(decideRoute({ ...input, conversationDepth: 4 }, undefined, weights)).toMatchObject({ tier: "large", reasons: ["depth:deep"] });
    const byWord = { ...weights, hashed: { [String(hashBucket("word:seat"))]: 5 } };
    expect(decideRoute(input, undefined, byWord)).toMatchObject({ tier: "large", reasons: ["word:seat"] });
    // score = probability / trained threshold: sigmoid(-1) / 0.5
    expect(decideRoute(input, undefined, weights).score).toBeCloseTo(1 / (1 + Math.E) / 0.5, 2);
  });

  it("obeys fixed policies and the bot's threshold on the score", () => {
    expect(route("Compare every plan in detail, step by step?", { routing: { policy: "always-small" } })).toMatchObject({ tier: "small", reasons: ["policy-always-small"] });
    expect(route("Hi", { routing: { policy: "always-large" } })).toMatchObject({ tier: "large", reasons: ["policy-always-large"] });
    const lookup = route("How much does the Pro plan cost?");
    expect(route("How much does the Pro plan cost?", { routing: { policy: "auto", threshold: lookup.score / 2 } }).tier).toBe("large");
    expect(route("How much does the Pro plan cost?", { routing: { policy: "auto", threshold: -1 } }).threshold).toBe(1); // invalid: default
  });

  it("ships valid weights", () => {
    expect(LEARNED_ROUTER_WEIGHTS.threshold).toBeGreaterThan(0);
    expect(Object.keys(LEARNED_ROUTER_WEIGHTS.hashed).length).toBeGreaterThan(100);
  });
});

describe("retrievalSignalsFromScores", () => {
  it("reports the top two scores and how many passages reach the threshold", () => {
    expect(retrievalSignalsFromScores([0.2, 0.82, 0.41], 0.4)).toEqual({ searched: true, topScore: 0.82, secondScore: 0.41, passagesAboveThreshold: 2 });
    expect(retrievalSignalsFromScores([], 0.4)).toEqual({ searched: true, topScore: 0, secondScore: 0, passagesAboveThreshold: 0 });
  });
});
