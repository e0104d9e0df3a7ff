import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkBotFields } from "../bots/bot-config";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { sessionStub } from "../sessions/session-store";
import { callWorker, chatPost, chunksOf, seedBot, sessionOf, testEnv, userMessage } from "../test-support/bot-fixtures";
import { retentionCutoff, STRIP_OLD_QUESTIONS } from "./conversation-retention";

const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
const db = testEnv.DB!;
const DAY = 86_400_000;

/** A real conversation (stored in its session object), then moved `daysAgo` into the past in D1. */
async function conversation(botId: string, question: string, daysAgo: number): Promise<string> {
  const { sessionId } = sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId, messages: [userMessage(question)] }))));
  const shift = daysAgo * DAY;
  await db.batch([
    db.prepare("UPDATE sessions SET created_at = created_at - ?, last_activity_at = last_activity_at - ? WHERE id = ?").bind(shift, shift, sessionId),
    db.prepare("UPDATE turns SET created_at = created_at - ? WHERE session_id = ?").bind(shift, sessionId),
    db.prepare("UPDATE conversation_questions SET created_at = created_at - ? WHERE session_id = ?").bind(shift, sessionId),
  ]);
  return sessionId;
}

describe("retention", () => {
  it("the scheduled job deletes conversations older than each bot's retention, keeps recent ones, and leaves billing totals unchanged", async () => {
    const { bot: month } = await seedBot({ retentionDays: 30 });
    const { bot: standard } = await seedBot();
    const { bot: none } = await seedBot({ retentionDays: 0 });
    const sessions = {
      monthOld: await conversation(month.id, "Old month question", 31),
      monthRecent: await conversation(month.id, "Recent month question", 29),
      standardOld: await conversation(standard.id, "Old standard question", 91),
      standardRecent: await conversation(standard.id, "Kept standard question", 40),
      noneEnded: await conversation(none.id, "Ended session question", 2),
      noneLive: await conversation(none.id, "Live session question", 0),
    };
    const bots = [month.id, standard.id, none.id];
    const billing = async () =>
      (await db.prepare(`SELECT bot_id, count(*) AS turns, sum(cost_usd) AS cost, sum(input_tokens) AS tokens FROM turns WHERE bot_id IN (?, ?, ?) GROUP BY bot_id ORDER BY bot_id`).bind(...bots).all()).results;
    const spend = async () => (await db.prepare("SELECT bot_id, day, cost_usd FROM bot_daily_spend WHERE bot_id IN (?, ?, ?) ORDER BY bot_id, day").bind(...bots).all()).results;
    const [billingBefore, spendBefore] = [await billing(), await spend()];

    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "*/15 * * * *", scheduledTime: Date.now() }), testEnv, ctx);
    await waitOnExecutionContext(ctx);

    const gone = [sessions.monthOld, sessions.standardOld, sessions.noneEnded];
    const kept = [sessions.monthRecent, sessions.standardRecent, sessions.noneLive];
    const botOf = (sessionId: string) => (Object.entries(sessions).find(([, id]) => id === sessionId)![0].startsWith("month") ? month.id : sessionId === sessions.standardOld || sessionId === sessions.standardRecent ? standard.id : none.id);
    for (const sessionId of gone) {
      expect(await sessionStub(testEnv, botOf(sessionId), sessionId).messages(), sessionId).toEqual([]);
      expect(await db.prepare("SELECT id FROM sessions WHERE id = ?").bind(sessionId).first()).toBeNull();
      expect(await db.prepare("SELECT rowid FROM conversation_questions WHERE session_id = ?").bind(sessionId).first()).toBeNull();
      expect(await db.prepare("SELECT question FROM turns WHERE session_id = ?").bind(sessionId).first()).toEqual({ question: null });
    }
    for (const sessionId of kept) {
      expect(await sessionStub(testEnv, botOf(sessionId), sessionId).messages(), sessionId).toHaveLength(2);
      expect(await db.prepare("SELECT id FROM sessions WHERE id = ?").bind(sessionId).first()).toEqual({ id: sessionId });
      expect((await db.prepare("SELECT question FROM turns WHERE session_id = ?").bind(sessionId).first<{ question: string }>())!.question).toMatch(/question$/);
    }
    expect(await billing()).toEqual(billingBefore);
    expect(await spend()).toEqual(spendBefore);
    // Each run reads only the turns that still have text, not every old row again.
    const plan = await db.prepare(`EXPLAIN QUERY PLAN ${STRIP_OLD_QUESTIONS}`).bind(month.id, Date.now()).all<{ detail: string }>();
    expect(plan.results.map((row) => row.detail).join(" | ")).toContain("turns_with_question");
  });

  it("cuts at retentionDays before now (default 90), or at the session token's lifetime for 0", () => {
    const now = Date.parse("2026-11-30T00:00:00Z");
    expect(retentionCutoff({ retentionDays: 30 }, now)).toBe(Date.parse("2026-10-31T00:00:00Z"));
    expect(retentionCutoff({}, now)).toBe(now - 90 * DAY);
    expect(retentionCutoff({ retentionDays: 0 }, now)).toBe(now - DAY);
  });

  it("validates retentionDays: a whole number from 0 to 3650", () => {
    for (const retentionDays of [0, 1, 3650]) expect(checkBotFields({ name: "b", retentionDays }), String(retentionDays)).toHaveProperty("fields.retentionDays", retentionDays);
    for (const retentionDays of [-1, 3651, 1.5, "30", null]) {
      expect(checkBotFields({ name: "b", retentionDays }), String(retentionDays)).toHaveProperty(["errors", "retentionDays"]);
    }
  });
});
