import { describe, expect, it } from "vitest";
import { MockLanguageModelV3 } from "ai/test";
import type { ModelMessage } from "ai";
import { DEMO_BOT } from "../bots/bot";
import { planTurnRouting, routeInputFor } from "./turn-routing";
import { NO_RETRIEVAL } from "./retrieval-signals";
import { DEFAULT_PRICES } from "./price-table";

const small = new MockLanguageModelV3({ modelId: "small" });
const large = new MockLanguageModelV3({ modelId: "large" });
const models = { chat: small, small, large, source: "custom" as const };

describe("planTurnRouting", () => {
  it("gives the router the conversation depth and the previous turn", () => {
    const history: ModelMessage[] = [];
    for (let i = 0; i < 4; i++) history.push({ role: "user", content: `q${i}` }, { role: "assistant", content: [{ type: "text", text: `a${i}` }] });
    expect(routeInputFor({ bot: DEMO_BOT, question: "And then?", history }, NO_RETRIEVAL)).toMatchObject({
      conversationDepth: 4,
      previous: { question: "q3", answer: "a3" },
      routing: DEMO_BOT.routing,
    });
    expect(routeInputFor({ bot: DEMO_BOT, question: "Hi", history: [] }, NO_RETRIEVAL)).toMatchObject({ conversationDepth: 0, previous: undefined });
    // The second chance on the next turn: the visitor says the answer did not help.
    const plan = planTurnRouting({ bot: DEMO_BOT, question: "that did not help at all", history: history.slice(0, 2), models });
    expect(plan.route).toMatchObject({ tier: "large", reasons: ["visitor-not-helped"] });
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
