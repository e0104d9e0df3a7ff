import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MockLanguageModelV3 } from "ai/test";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";

const testEnv = env as unknown as EdgechatEnv & { DB: D1Database };
const unused = new MockLanguageModelV3({ modelId: "unused" });
const worker = createEdgechatWorker({ models: { chat: unused, source: "custom" } });

async function get(path: string, token: string | undefined = "test-admin-token", bindings: EdgechatEnv = testEnv) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await worker.fetch!(new Request(`http://edgechat.test${path}`, { headers }) as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function insertTurn(id: string, botId: string, fields: Partial<Record<string, unknown>> = {}) {
  const row = {
    id, bot_id: botId, status: "complete", tier: "small", escalated: 0, route_reasons: "[]",
    models: JSON.stringify([{ model: "gpt-4.1-mini", tier: "small", inputTokens: 100, outputTokens: 10, costUsd: 0.000056, estimated: false }]),
    input_tokens: 100, output_tokens: 10, cost_usd: 0.000056, usage_estimated: 0, created_at: 1_700_000_000_000, ...fields,
  };
  const columns = Object.keys(row);
  await testEnv.DB.prepare(`INSERT INTO turns (${columns.join(",")}) VALUES (${columns.map(() => "?").join(",")})`).bind(...Object.values(row)).run();
}

describe("GET /v1/admin/bots/:id/usage", () => {
  it("needs the admin token", async () => {
    expect((await get("/v1/admin/bots/demo/usage", "")).status).toBe(401);
    expect((await get("/v1/admin/bots/demo/usage", "wrong")).status).toBe(401);
  });

  it("validates the bot id and the period with clear JSON errors", async () => {
    const badId = await get("/v1/admin/bots/Not_A_Bot/usage");
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ error: { code: "invalid_bot_id" } });
    expect(await (await get("/v1/admin/bots/demo/usage?from=yesterday")).json()).toMatchObject({ error: { code: "invalid_period" } });
    expect((await get("/v1/admin/bots/demo/usage?from=20&to=10")).status).toBe(400);
  });

  it("totals one bot's turns in the period: tiers, escalation rate, tokens, cost, estimated turns, per model; never another bot's", async () => {
    await insertTurn("t1", "usage-bot");
    await insertTurn("t2", "usage-bot", {
      tier: "large", escalated: 1, input_tokens: 300, output_tokens: 50, cost_usd: 0.001,
      models: JSON.stringify([
        { model: "gpt-4.1-mini", tier: "small", inputTokens: 100, outputTokens: 5, costUsd: 0.000048, estimated: false },
        { model: "gpt-4.1", tier: "large", inputTokens: 200, outputTokens: 45, costUsd: 0.00076, estimated: false },
      ]),
    });
    await insertTurn("t3", "usage-bot", { status: "stopped", usage_estimated: 1 });
    await insertTurn("t4", "usage-bot", { created_at: 1_600_000_000_000 }); // before the period
    await insertTurn("t5", "other-bot", { cost_usd: 99 });
    const response = await get("/v1/admin/bots/usage-bot/usage?from=1690000000000&to=1710000000000");
    expect(response.status).toBe(200);
    const totals = await response.json();
    expect(totals).toMatchObject({
      botId: "usage-bot",
      turns: 3,
      byStatus: { complete: 2, stopped: 1, failed: 0, refused: 0 },
      byTier: { small: 2, large: 1 },
      escalated: 1,
      escalationRate: 0.3333,
      inputTokens: 500,
      outputTokens: 70,
      estimatedTurns: 1,
    });
    expect((totals as { costUsd: number }).costUsd).toBeCloseTo(0.001112, 8);
    expect((totals as { models: unknown[] }).models).toEqual([
      { model: "gpt-4.1", calls: 1, inputTokens: 200, outputTokens: 45, costUsd: 0.00076 },
      { model: "gpt-4.1-mini", calls: 3, inputTokens: 300, outputTokens: 25, costUsd: 0.00016 },
    ]);
  });

  it("answers zeros for a bot without turns, and 503 without D1", async () => {
    expect(await (await get("/v1/admin/bots/quiet-bot/usage")).json()).toMatchObject({ turns: 0, costUsd: 0, escalationRate: 0, models: [] });
    const { DB: _db, ...withoutDb } = testEnv;
    expect((await get("/v1/admin/bots/demo/usage", "test-admin-token", withoutDb)).status).toBe(503);
  });
});
