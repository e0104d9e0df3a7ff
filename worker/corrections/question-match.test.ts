import { describe, expect, it } from "vitest";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { MATCHER_MIN_SCORE } from "./curated-answer";
import { createQuestionMatcher, numbersDiffer, type MatchTarget } from "./question-match";

const matcher = createQuestionMatcher(bundledWordVectors());
const canada: MatchTarget = { question: "Do you ship to Canada?", phrasings: [], answer: "Yes. We ship to Canada with UPS in 5 to 8 business days; shipping costs $14." };
const score = (question: string, target = canada) => matcher.score(question, target);

describe("the question matcher (second stage of the curated-answer lookup)", () => {
  it("takes the question as asked and close rewordings", () => {
    expect(score("Do you ship to Canada?").score).toBe(1);
    expect(score("do you SHIP to canada").score).toBe(1);
    expect(score("Is shipping to Canada possible?").score).toBeGreaterThanOrEqual(MATCHER_MIN_SCORE);
    expect(score("What does a checked bag cost?", { question: "How much does a checked bag cost?", phrasings: [], answer: "€35 online." }).score).toBeGreaterThanOrEqual(MATCHER_MIN_SCORE);
  });

  it("matches through a phrasing the editor added", () => {
    const withPhrasing = { ...canada, phrasings: ["Can I order from Toronto?"] };
    expect(score("Could I order from Toronto?", canada).score).toBeLessThan(MATCHER_MIN_SCORE);
    expect(score("Could I order from Toronto?", withPhrasing).score).toBeGreaterThanOrEqual(MATCHER_MIN_SCORE);
  });

  it("refuses same-domain near misses: another country, another action, a content word added", () => {
    expect(score("Do you ship to Australia?").score).toBeLessThan(MATCHER_MIN_SCORE);
    expect(score("How do I upgrade my plan?", { question: "How do I cancel my plan?", phrasings: [], answer: "Under Billing → Cancel." }).score).toBeLessThan(MATCHER_MIN_SCORE);
    expect(score("How do I cancel my direct debit?", { question: "How do I pay by direct debit?", phrasings: [], answer: "Set it up under Payments." }).score).toBeLessThan(MATCHER_MIN_SCORE);
    expect(score("How much does a second checked bag cost?", { question: "How much does a checked bag cost?", phrasings: [], answer: "The first checked bag costs €35." }).score).toBeLessThan(MATCHER_MIN_SCORE);
  });

  it("vetoes a content word swapped for a close alternative, and different numbers", () => {
    const dog = { question: "How often should my dog be vaccinated?", phrasings: [], answer: "Every year." };
    expect(score("How often should my cat be vaccinated?", dog)).toEqual({ score: 0, veto: "contrast" });
    expect(score("How often should my dog be vaccinated?", dog).score).toBe(1);
    const plan = { question: "Is the 1 year plan cheaper?", phrasings: [], answer: "Yes, by 20%." };
    expect(score("Is the 2 year plan cheaper?", plan)).toEqual({ score: 0, veto: "number" });
    expect(numbersDiffer("Is the 2 year plan cheaper?", plan)).toBe(true);
    expect(numbersDiffer("Is the 1 year plan cheaper?", plan)).toBe(false);
    expect(numbersDiffer("Is the yearly plan cheaper?", plan)).toBe(false);
  });

  it("scores a negation on one side lower, and unrelated or empty questions at 0", () => {
    const cancel = { question: "Can I cancel my plan?", phrasings: [], answer: "Yes, any time." };
    expect(score("Can I not cancel my plan?", cancel).score).toBeLessThan(score("Can I cancel my plan?", cancel).score);
    expect(score("How do I reset my password?").score).toBe(0);
    expect(score("?").score).toBe(0);
    expect(score("hello").score).toBeLessThan(MATCHER_MIN_SCORE);
  });
});
