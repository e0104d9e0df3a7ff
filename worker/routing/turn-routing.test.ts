import { describe, expect, it } from "vitest";
import { MockLanguageModelV3 } from "ai/test";
import type { ModelMessage } from "ai";
import { DEMO_BOT } from "../bots/bot";
import { planTurnRouting } from "./turn-routing";
import { DEFAULT_PRICES } from "./price-table";

const small = new MockLanguageModelV3({ modelId: "small" });
const large = new MockLanguageModelV3({ modelId: "large" });
const models = { chat: small, small, large, source: "custom" as const };

describe("planTurnRouting", () => {
  it("counts the visitor's earlier messages as conversation depth", () => {
    const history: ModelMessage[] = [];
    for (let i = 0; i < 4; i++) history.push({ role: "user", content: `q${i}` }, { role: "assistant", content: `a${i}` });
    expect(planTurnRouting({ bot: DEMO_BOT, question: "And then?", history, models }).route.reasons).toContain("deep-conversation");
    expect(planTurnRouting({ bot: DEMO_BOT, question: "And then?", history: history.slice(0, 6), models }).route.reasons).not.toContain("deep-conversation");
  });

  it("uses the bot's policy and threshold, the bot's model ids, and the configured prices", () => {
    const byId = (modelId: string) => new MockLanguageModelV3({ modelId });
    const bot = { ...DEMO_BOT, models: { large: "bot-large" }, routing: { policy: "auto" as const, threshold: 0.5 } };
    const plan = planTurnRouting({ bot, question: "Why do you need my phone number?", history: [], models: { ...models, byId }, prices: '{"bot-large": {"input": 3, "output": 9}}' });
    expect(plan.route).toMatchObject({ tier: "large", threshold: 0.5 });
    expect([plan.models.small.modelId, plan.models.large.modelId]).toEqual(["small", "bot-large"]);
    expect(plan.prices["bot-large"]).toEqual({ input: 3, output: 9 });
    expect(planTurnRouting({ bot: DEMO_BOT, question: "Hi", history: [], models }).prices).toBe(DEFAULT_PRICES);
  });

  it("fails loudly on an invalid price configuration", () => {
    expect(() => planTurnRouting({ bot: DEMO_BOT, question: "Hi", history: [], models, prices: "{broken" })).toThrow(/EDGECHAT_PRICES/);
  });
});
