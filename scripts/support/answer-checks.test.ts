import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script
import { containsFact, cutSentences } from "./answer-checks.mjs";

describe("answer checks of eval:rag --answers", () => {
  it("finds the expected fact whatever the case, emphasis and spacing", () => {
    expect(containsFact("Pro costs **$20  per member**. [1]", "$20 per member")).toBe(true);
    expect(containsFact("Pro costs $25 per member.", "$20 per member")).toBe(false);
  });

  it("flags a price cut at its decimal point, not a sentence that really ends in a number", () => {
    const docs = ["Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute.", "The limit is 5. Then it stops."];
    expect(cutSentences("From the documentation: Extra bandwidth costs $0.08 per GB and extra build minutes cost $0. [1]", docs)).toEqual([
      "Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.",
    ]);
    expect(cutSentences("The limit is 5. [2]", docs)).toEqual([]);
  });

  it("flags unbalanced brackets but not citations or table rows", () => {
    expect(cutSentences("Scale to zero (a cold start of one. [1]", [])).toEqual(["Scale to zero (a cold start of one."]);
    expect(cutSentences("Logs are kept 7 days [1]. Rows:\n\n| a (b | c |", [])).toEqual([]);
  });
});
