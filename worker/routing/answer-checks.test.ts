import { describe, expect, it } from "vitest";
import { answerCheck, MIN_WORDS_FOR_CITATION } from "./answer-checks";

describe("answerCheck", () => {
  it("flags hedging and refusals, as a second chance only when sources were given", () => {
    for (const text of [
      "I'm not sure about that.",
      "I don't have information about your plan.",
      "The documentation doesn't cover refunds for annual plans.",
      "I cannot determine why that happened.",
      "That is not mentioned in the sources.",
    ]) {
      expect(answerCheck({ text, grounded: true }), text).toBe("hedged-with-sources");
      expect(answerCheck({ text, grounded: false }), text).toBe("hedged");
    }
  });

  it("flags a grounded answer of some length without any [n] citation", () => {
    const long = "word ".repeat(MIN_WORDS_FOR_CITATION).trim();
    expect(answerCheck({ text: long, grounded: true })).toBe("no-citation");
    expect(answerCheck({ text: `${long} [2]`, grounded: true })).toBeUndefined();
    expect(answerCheck({ text: long, grounded: false })).toBeUndefined();
    expect(answerCheck({ text: "You're welcome!", grounded: true })).toBeUndefined(); // too short to owe a citation
  });

  it("passes a plain, cited answer and empty text", () => {
    expect(answerCheck({ text: "Invoices are sent on the 1st [1].", grounded: true })).toBeUndefined();
    expect(answerCheck({ text: "  ", grounded: true })).toBeUndefined();
  });
});
