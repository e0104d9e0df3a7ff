import { describe, expect, it } from "vitest";
import { followUpEscalation } from "./follow-up-checks";

describe("followUpEscalation", () => {
  const previous = { question: "How do I connect my bank account?", answer: "Go to Banking, then Add account [1]." };

  it("escalates when the visitor says the answer did not help or the problem persists", () => {
    for (const reply of ["that didn't help", "Still not working.", "this does not work", "That's wrong", "you didn't answer my question", "same problem again", "not what I asked"]) {
      expect(followUpEscalation(reply, previous), reply).toBe("visitor-not-helped");
    }
  });

  it("escalates when the visitor asks the same question again", () => {
    expect(followUpEscalation("how do i connect my bank account??", previous)).toBe("visitor-re-asked");
    expect(followUpEscalation("How can I connect the bank account", previous)).toBe("visitor-re-asked");
  });

  it("escalates after an answer that hedged", () => {
    expect(followUpEscalation("ok, and for a savings account?", { question: "Can I link a business account?", answer: "I'm not sure, the documentation doesn't cover that." })).toBe("previous-answer-hedged");
  });

  it("stays quiet for a new question, thanks, or the first message", () => {
    expect(followUpEscalation("And how long does the feed last?", previous)).toBeUndefined();
    expect(followUpEscalation("thanks, that worked!", previous)).toBeUndefined();
    expect(followUpEscalation("that didn't help", undefined)).toBeUndefined();
    expect(followUpEscalation("that didn't help", { question: "  " })).toBeUndefined();
  });
});
