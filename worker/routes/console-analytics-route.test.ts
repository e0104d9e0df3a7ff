import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { adminRequest, callWorker, seedBot, testEnv } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";

const worker = createEdgechatWorker();
const call = (request: Request) => callWorker(worker, request);
const DAY = 86_400_000;

describe("console analytics", () => {
  it("spreads conversations, answers by tier, cost, grounding and feedback over UTC days, from the stats endpoint's query layer", async () => {
    const { bot } = await seedBot({ limits: { dailyBudgetUsd: 3 } });
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const twoDaysAgo = new Date(now - 2 * DAY).toISOString().slice(0, 10);
    const db = testEnv.DB!;
    const turn = (id: string, at: number, tier: string, escalated: number, status: string, cost: number, grounded: number | null, sources: number, question: string) =>
      db
        .prepare("INSERT INTO turns (id, bot_id, status, tier, escalated, cost_usd, grounded, sources_found, question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(`${bot.id}-${id}`, bot.id, status, tier, escalated, cost, grounded, sources, question, at);
    await db.batch([
      db.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(`${bot.id}-s1`, bot.id, now),
      db.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(`${bot.id}-s2`, bot.id, now),
      db.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(`${bot.id}-s3`, bot.id, now - 2 * DAY),
      db.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(`${bot.id}-old`, bot.id, now - 20 * DAY),
      turn("a", now, "small", 0, "complete", 0.01, 1, 2, "How do refunds work?"),
      turn("b", now, "large", 1, "complete", 0.1, 0, 0, "Where is the <script>alert(1)</script> API?"),
      turn("c", now, "large", 0, "stopped", 0.05, 1, 1, "Explain SSO"),
      turn("d", now, "none", 0, "refused", 0, null, 0, "Over the cap"),
      turn("e", now - 2 * DAY, "small", 0, "complete", 0.02, 0, 0, "Where is the <script>alert(1)</script> API?"),
      turn("f", now - 20 * DAY, "small", 0, "complete", 5, 0, 0, "Old question"),
      db.prepare("INSERT INTO feedback (bot_id, session_id, message_id, rating, created_at) VALUES (?, 's', 'm1', 'up', ?)").bind(bot.id, now),
      db.prepare("INSERT INTO feedback (bot_id, session_id, message_id, rating, created_at) VALUES (?, 's', 'm2', 'down', ?)").bind(bot.id, now - 2 * DAY),
    ]);
    const { cookie } = await signedInMember(worker, { role: "editor", bots: [bot.id] });
    const response = await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/analytics?days=7`, { cookie }));
    expect(response.status).toBe(200);
    const analytics = (await response.json()) as { days: { date: string }[]; dailySpendingCapUsd: number; unansweredQuestions: unknown[] };
    expect(analytics.days).toHaveLength(7);
    expect(analytics.days.at(-1)).toEqual({
      date: today,
      conversations: 2,
      answers: { small: 1, large: 1, escalated: 1 },
      costUsd: 0.16,
      groundedShare: 2 / 3,
      feedback: { up: 1, down: 0 },
    });
    expect(analytics.days.at(-3)).toEqual({ date: twoDaysAgo, conversations: 1, answers: { small: 1, large: 0, escalated: 0 }, costUsd: 0.02, groundedShare: 0, feedback: { up: 0, down: 1 } });
    expect(analytics.days[0]).toMatchObject({ conversations: 0, answers: { small: 0, large: 0, escalated: 0 }, costUsd: 0, groundedShare: 0 });
    expect(analytics.dailySpendingCapUsd).toBe(3);
    expect(analytics.unansweredQuestions).toEqual([{ question: "Where is the <script>alert(1)</script> API?", count: 2 }]);

    // The stats endpoint reads the same layer: its totals over 30 days include the old day the 7-day view leaves out.
    const stats = (await (await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/stats?days=30`))).json()) as { conversations: number; turns: number; costUsd: number };
    expect(stats).toMatchObject({ conversations: 4, turns: 6, costUsd: 5.18 });
    const month = (await (await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/analytics?days=30`, { cookie }))).json()) as { days: { conversations: number }[] };
    expect(month.days).toHaveLength(30);
    expect(month.days.reduce((sum, day) => sum + day.conversations, 0)).toBe(4);

    for (const days of ["5", "abc", "365"]) {
      expect((await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/analytics?days=${days}`, { cookie }))).status, days).toBe(400);
    }
  });
});
