import { describe, expect, it } from "vitest";
import { streamText } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { createOfflineLargeModel, createOfflineSmallModel } from "./offline-tier-models";
import { firstSentences } from "./split-sentences";
import { modelsFromEnv, tierModelsFor } from "./model-set";

async function answer(model: ReturnType<typeof createOfflineSmallModel>, prompt: string) {
  const result = streamText({ model, prompt });
  return { text: await result.text, usage: await result.totalUsage };
}

describe("offline tier models", () => {
  it("answer visibly differently: the small one terse, the large one thorough, both labelled", async () => {
    const small = await answer(createOfflineSmallModel(), "How do I add a domain?");
    const large = await answer(createOfflineLargeModel(), "How do I add a domain?");
    expect(small.text.startsWith("[small model] ")).toBe(true);
    expect(large.text.startsWith("[large model] ")).toBe(true);
    expect(small.text).toContain("How do I add a domain?");
    expect(large.text.length).toBeGreaterThan(small.text.length * 2);
    expect(large.usage.outputTokens).toBeGreaterThan(small.usage.outputTokens!);
  });

  it("wrap whatever answer the offline model gives (e.g. one grounded in retrieved passages)", async () => {
    const grounded = () => "Add it under App > Domains. Then create a CNAME. Certificates follow. Done.";
    expect((await answer(createOfflineSmallModel({ answer: grounded }), "q")).text).toBe("[small model] Add it under App > Domains. Then create a CNAME.");
    expect((await answer(createOfflineLargeModel({ answer: grounded }), "q")).text).toContain(grounded());
  });

  it("the small tier never cuts a price at its decimal point and keeps a table whole", async () => {
    const prices = () => "From the documentation: Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute. [1] Storage is billed at $0.02 per GB-month. [1] More.";
    expect((await answer(createOfflineSmallModel({ answer: prices }), "q")).text).toBe(
      "[small model] From the documentation: Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute. [1] Storage is billed at $0.02 per GB-month. [1]",
    );
    const table = () => "From the documentation, plans [1]:\n\n| | Free | Pro |\n|---|---|---|\n| Price | $0 | $20 |\n\nUpgrades are immediate. [1]";
    expect((await answer(createOfflineSmallModel({ answer: table }), "q")).text).toBe(
      "[small model] From the documentation, plans [1]:\n\n| | Free | Pro |\n|---|---|---|\n| Price | $0 | $20 |\n\nUpgrades are immediate. [1]",
    );
  });

  it("firstSentences keeps question marks inside quotes with their sentence", () => {
    expect(firstSentences('One. You asked: "Why?". Three.', 2)).toBe('One. You asked: "Why?".');
  });
});

describe("model tiers from configuration", () => {
  it("offline: offline-small and offline-large; chat is the small tier", () => {
    const models = modelsFromEnv({});
    expect([models.small?.modelId, models.large?.modelId, models.chat.modelId, models.source]).toEqual(["offline-small", "offline-large", "offline-small", "offline"]);
  });

  it("OpenAI: EDGECHAT_SMALL_MODEL / EDGECHAT_LARGE_MODEL, defaults gpt-4.1-mini / gpt-4.1, EDGECHAT_CHAT_MODEL still honoured", () => {
    const defaults = modelsFromEnv({ OPENAI_API_KEY: "sk-x" });
    expect([defaults.small?.modelId, defaults.large?.modelId]).toEqual(["gpt-4.1-mini", "gpt-4.1"]);
    const configured = modelsFromEnv({ OPENAI_API_KEY: "sk-x", EDGECHAT_SMALL_MODEL: "gpt-5-nano", EDGECHAT_LARGE_MODEL: "gpt-5" });
    expect([configured.small?.modelId, configured.large?.modelId]).toEqual(["gpt-5-nano", "gpt-5"]);
    expect(modelsFromEnv({ OPENAI_API_KEY: "sk-x", EDGECHAT_CHAT_MODEL: "legacy" }).small?.modelId).toBe("legacy");
  });

  it("a bot's own model ids override the tiers when the provider builds models by id", () => {
    const openai = modelsFromEnv({ OPENAI_API_KEY: "sk-x" });
    const tiers = tierModelsFor(openai, { large: "o3" });
    expect([tiers.small.modelId, tiers.large.modelId]).toEqual(["gpt-4.1-mini", "o3"]);
    // A set without byId (tests, offline) keeps its own models; a set with only `chat` uses it for both tiers.
    const chat = new MockLanguageModelV3({ modelId: "only-one" });
    const single = tierModelsFor({ chat, source: "custom" }, { small: "x", large: "y" });
    expect([single.small, single.large]).toEqual([chat, chat]);
  });
});
