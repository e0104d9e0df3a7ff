import { describe, expect, it } from "vitest";
import { CONFIDENT_RETRIEVAL_GAP, CONFIDENT_RETRIEVAL_SCORE, decideRoute, ROUTING_WEIGHTS, type RouteInput } from "./route-decision";
import { NO_RETRIEVAL, retrievalSignalsFromScores, type RetrievalSignals } from "./retrieval-signals";

const confident: RetrievalSignals = { searched: true, topScore: 0.85, secondScore: 0.5, passagesAboveThreshold: 2 };
const weak: RetrievalSignals = { searched: true, topScore: 0.3, secondScore: 0.25, passagesAboveThreshold: 0 };
const unrelated: RetrievalSignals = { searched: true, topScore: 0.05, secondScore: 0, passagesAboveThreshold: 0 };

function route(question: string, overrides: Partial<RouteInput> = {}) {
  return decideRoute({ question, conversationDepth: 0, retrieval: NO_RETRIEVAL, routing: { policy: "auto" }, ...overrides });
}

describe("decideRoute", () => {
  it("keeps plain lookups small, with no reasons", () => {
    for (const question of ["How much does the Pro plan cost?", "How do I reset my password?", "Do you support IPv6?"]) {
      expect(route(question)).toMatchObject({ tier: "small", reasons: [] });
    }
  });

  it("sends several questions, comparisons, code and requests for code to the large tier, each on its own", () => {
    const several = route("How do I add a domain, what DNS records do I need, and how long does it take?");
    expect(several.tier).toBe("large");
    expect(several.reasons).toContain("multiple-questions");
    expect(route("Pro vs Business for a team of five?").reasons).toContain("comparison");
    expect(route("Why does this fail?\n```\nconst x = await db.query();\n```").reasons).toContain("code");
    expect(route("Can you write a GitHub Actions workflow that deploys on push?")).toMatchObject({ tier: "large", reasons: ["writes-code"] });
  });

  it("needs two weak signals before going large", () => {
    expect(route("Why do you need my phone number?")).toMatchObject({ tier: "small", reasons: ["explanation"] });
    expect(route("Why would a build show an error banner?")).toMatchObject({ tier: "large", reasons: ["explanation", "troubleshooting"] });
  });

  it("honours an explicit request for depth whatever the question", () => {
    expect(route("Give me a detailed answer: what is a build minute?")).toMatchObject({ tier: "large", reasons: ["explicit-request"] });
    expect(route("think carefully: can I pay with PayPal?").tier).toBe("large");
  });

  it("uses retrieval: low confidence tips a borderline question to large, a confident match keeps it small", () => {
    const question = "Why is the invoice in euros?"; // one weak signal: an explanation
    expect(route(question, { retrieval: confident })).toMatchObject({ tier: "small", reasons: ["explanation", "confident-retrieval"] });
    expect(route(question, { retrieval: weak })).toMatchObject({ tier: "large", reasons: ["explanation", "low-retrieval-confidence"] });
    // Nothing related at all: out of scope, a short refusal needs no large model.
    expect(route(question, { retrieval: unrelated })).toMatchObject({ tier: "small", reasons: ["explanation", "no-related-docs"] });
    // Without retrieval the signal is simply absent.
    expect(route(question).reasons).toEqual(["explanation"]);
  });

  it("lets a confident match offset weak signals only, never one that goes large on its own", () => {
    expect(route("Pro vs Business for a team of five?", { retrieval: confident })).toMatchObject({ tier: "large", reasons: ["comparison", "confident-retrieval-ignored"] });
    expect(route("Walk me through setting up a custom domain step by step.", { retrieval: confident }).tier).toBe("large");
    // Below the calibrated confident score, or without a clear lead, the match is not confident.
    const top = CONFIDENT_RETRIEVAL_SCORE;
    const close = { ...confident, topScore: top, secondScore: top - CONFIDENT_RETRIEVAL_GAP / 2 };
    expect(route("Why is the invoice in euros?", { retrieval: close }).reasons).toEqual(["explanation"]);
    const clear = { ...close, secondScore: top - CONFIDENT_RETRIEVAL_GAP * 1.5 };
    expect(route("Why is the invoice in euros?", { retrieval: clear }).reasons).toEqual(["explanation", "confident-retrieval"]);
    const lower = { ...clear, topScore: top - 0.01 };
    expect(route("Why is the invoice in euros?", { retrieval: lower }).reasons).toEqual(["explanation"]);
  });

  it("counts conversation depth as a weak signal", () => {
    expect(route("And the EU region?", { conversationDepth: 6 }).reasons).toContain("deep-conversation");
    expect(route("And the EU region?", { conversationDepth: 1 }).reasons).not.toContain("deep-conversation");
  });

  it("obeys fixed policies and the auto threshold", () => {
    expect(route("Compare every plan in detail, step by step?", { routing: { policy: "always-small" } })).toMatchObject({ tier: "small", reasons: ["policy-always-small"] });
    expect(route("Hi", { routing: { policy: "always-large" } })).toMatchObject({ tier: "large", reasons: ["policy-always-large"] });
    const oneWeakSignal = "Why do you need my phone number?";
    expect(route(oneWeakSignal, { routing: { policy: "auto", threshold: ROUTING_WEIGHTS.explanation } }).tier).toBe("large");
    expect(route(oneWeakSignal, { routing: { policy: "auto", threshold: -1 } }).threshold).toBe(1); // invalid: default
  });
});

describe("retrievalSignalsFromScores", () => {
  it("reports the top two scores and how many passages reach the threshold", () => {
    expect(retrievalSignalsFromScores([0.2, 0.82, 0.41], 0.4)).toEqual({ searched: true, topScore: 0.82, secondScore: 0.41, passagesAboveThreshold: 2 });
    expect(retrievalSignalsFromScores([], 0.4)).toEqual({ searched: true, topScore: 0, secondScore: 0, passagesAboveThreshold: 0 });
  });
});
