import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, SITE, testEnv, userMessage } from "../test-support/bot-fixtures";

const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });

function feedback(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return callWorker(
    worker,
    new Request("http://edgechat.test/v1/feedback", {
      method: "POST",
      headers: { "content-type": "application/json", origin: SITE, ...headers },
      body: JSON.stringify(body),
    }),
  );
}

async function chatOnce(botId: string, text: string) {
  const chunks = await chunksOf(await callWorker(worker, chatPost({ botId, messages: [userMessage(text)] })));
  return { session: sessionOf(chunks), messageId: chunks.find((chunk) => chunk.type === "start")!.messageId as string };
}

describe("POST /v1/feedback", () => {
  it("rates an assistant message of the visitor's own conversation; a new rating replaces the old", async () => {
    const { bot } = await seedBot();
    const { session, messageId } = await chatOnce(bot.id, "Rate me");
    const base = { botId: bot.id, sessionId: session.sessionId, messageId };
    expect((await feedback({ ...base, rating: "down", sessionToken: session.token })).status).toBe(200);
    expect((await feedback({ ...base, rating: "up" }, { authorization: `Bearer ${session.token}` })).status).toBe(200);
    const rows = await testEnv.DB!.prepare("SELECT rating FROM feedback WHERE bot_id = ?").bind(bot.id).all();
    expect(rows.results).toEqual([{ rating: "up" }]);
  });

  it("refuses bad ratings, unknown messages, missing tokens and other sessions' tokens", async () => {
    const { bot } = await seedBot();
    const mine = await chatOnce(bot.id, "Mine");
    const theirs = await chatOnce(bot.id, "Theirs");
    const base = { botId: bot.id, sessionId: mine.session.sessionId, messageId: mine.messageId };
    expect((await feedback({ ...base, rating: "meh", sessionToken: mine.session.token })).status).toBe(400);
    expect((await feedback({ ...base, rating: "up" })).status).toBe(401);
    expect((await feedback({ ...base, rating: "up", sessionToken: theirs.session.token })).status).toBe(404);
    expect((await feedback({ ...base, messageId: theirs.messageId, rating: "up", sessionToken: mine.session.token })).status).toBe(404);
    expect((await feedback({ ...base, rating: "up", sessionToken: mine.session.token }, { origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("GET /v1/admin/bots/:id/stats", () => {
  it("adds up conversations, turns, escalations, cost, feedback and unanswered questions of this bot only", async () => {
    const { bot } = await seedBot();
    const { bot: other } = await seedBot();
    // Two conversations through the worker, with feedback on both answers.
    const one = await chatOnce(bot.id, "Hello?");
    const two = await chatOnce(bot.id, "Anyone?");
    await feedback({ sessionId: one.session.sessionId, messageId: one.messageId, rating: "up", sessionToken: one.session.token });
    await feedback({ sessionId: two.session.sessionId, messageId: two.messageId, rating: "down", sessionToken: two.session.token });
    await chatOnce(other.id, "Not counted");

    // Usage rows as the routing engineer's recorder writes them.
    const now = Date.now();
    const turns: [string, string, number, number, number, string][] = [
      // bot, status, escalated, cost, sources_found, question
      [bot.id, "complete", 0, 0.01, 2, "How do I log in?"],
      [bot.id, "complete", 1, 0.05, 0, "How do I export invoices?"],
      [bot.id, "complete", 0, 0.01, 0, "how do I export invoices? "],
      [bot.id, "failed", 1, 0.02, 0, "Where is the API key?"],
      [bot.id, "stopped", 0, 0.01, 3, "Pricing?"],
      [other.id, "complete", 1, 9.0, 0, "Other bot question"],
    ];
    for (const [index, [botId, status, escalated, cost, sources, question]] of turns.entries()) {
      await testEnv
        .DB!.prepare(
          "INSERT INTO turns (id, bot_id, status, tier, escalated, cost_usd, sources_found, question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(`${bot.id}-turn-${index}`, botId, status, escalated ? "large" : "small", escalated, cost, sources, question, now - index)
        .run();
    }
    // Older than the window: left out.
    await testEnv.DB!.prepare("INSERT INTO turns (id, bot_id, status, tier, cost_usd, created_at) VALUES (?, ?, 'complete', 'small', 5, ?)")
      .bind(`${bot.id}-old`, bot.id, now - 40 * 86_400_000)
      .run();

    const response = await callWorker(worker, adminRequest("GET", `/v1/admin/bots/${bot.id}/stats`));
    expect(response.status).toBe(200);
    const stats = (await response.json()) as {
      escalationRate: number;
      costUsd: number;
      unansweredQuestions: { question: string; count: number }[];
    };
    // The two chats through the worker are recorded too (complete, no sources: the bot has no docs).
    const live = await testEnv
      .DB!.prepare("SELECT COUNT(*) AS turns, SUM(cost_usd) AS cost FROM turns WHERE bot_id = ? AND question IN ('Hello?', 'Anyone?')")
      .bind(bot.id)
      .first<{ turns: number; cost: number }>();
    expect(live!.turns).toBe(2);
    expect(stats).toMatchObject({
      botId: bot.id,
      conversations: 2,
      turns: 7,
      turnsByStatus: { complete: 5, failed: 1, stopped: 1 },
      escalated: 2,
      feedback: { up: 1, down: 1 },
    });
    expect(stats.escalationRate).toBeCloseTo(2 / 7, 10);
    expect(stats.costUsd).toBeCloseTo(0.1 + live!.cost, 10);
    expect(stats.unansweredQuestions[0]).toEqual({ question: "How do I export invoices?", count: 2 });
    expect(stats.unansweredQuestions).toEqual(
      expect.arrayContaining([
        { question: "Where is the API key?", count: 1 },
        { question: "Hello?", count: 1 },
        { question: "Anyone?", count: 1 },
      ]),
    );
    expect(stats.unansweredQuestions).toHaveLength(4);
    expect((await callWorker(worker, adminRequest("GET", `/v1/admin/bots/${bot.id}/stats?days=0`))).status).toBe(400);
    expect((await callWorker(worker, adminRequest("GET", "/v1/admin/bots/no-such-bot/stats"))).status).toBe(404);
  });
});
