import { describe, expect, it } from "vitest";
import { shouldOfferHandoff, signWebhook } from "./handoff";

const answer = (status: string, grounded?: boolean) => ({ status, metadata: grounded === undefined ? {} : { grounded } });

describe("shouldOfferHandoff", () => {
  it.each(["Can I talk to a human?", "I want a real person", "connect me with a support agent", "Speak to someone please", "representative"])(
    "offers a person when the visitor asks: %s",
    (question) => {
      expect(shouldOfferHandoff(question, [])).toBe(true);
    },
  );

  it("offers a person after two answers in a row that could not help, not after one", () => {
    expect(shouldOfferHandoff("How do I export?", [answer("complete", false)])).toBe(false);
    expect(shouldOfferHandoff("How do I export?", [answer("complete", false), answer("failed")])).toBe(true);
    expect(shouldOfferHandoff("How do I export?", [answer("complete", false), answer("complete", true)])).toBe(false);
    expect(shouldOfferHandoff("How do I export?", [answer("complete"), answer("complete")])).toBe(false);
    expect(shouldOfferHandoff("What is humanity's oldest tool?", [])).toBe(false);
  });
});

describe("signWebhook", () => {
  it("is HMAC-SHA256 over timestamp and body, hex, with a version prefix", async () => {
    // Reference value computed with Node: createHmac("sha256", "whsec_test").update("1700000000.{}").digest("hex")
    expect(await signWebhook("whsec_test", "1700000000", "{}")).toBe(
      "v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91",
    );
    expect(await signWebhook("whsec_test", "1700000001", "{}")).not.toBe(await signWebhook("whsec_test", "1700000000", "{}"));
  });
});

