import { describe, expect, it } from "vitest";
import { seedBot, testEnv } from "../test-support/bot-fixtures";
import { seedTurns } from "../test-support/conversation-fixtures";
import { findConversation, listConversations, markNeedsPerson, recordConversationActivity } from "./conversation-index";

const db = testEnv.DB!;

describe("conversation index writers", () => {
  it("recordConversationActivity moves the last activity and makes a question searchable, without counting a turn", async () => {
    const { bot } = await seedBot();
    const sessionId = `act-${crypto.randomUUID()}`;
    await recordConversationActivity(db, { botId: bot.id, sessionId, at: 1_000, question: "  Is anyone there to help with invoices?  " });
    expect(await findConversation(db, bot.id, sessionId)).toMatchObject({ startedAt: 1_000, lastActivityAt: 1_000, turns: 0, firstQuestion: "Is anyone there to help with invoices?" });
    await seedTurns(db, [{ botId: bot.id, sessionId, at: 2_000, question: "Second question" }]);
    await recordConversationActivity(db, { botId: bot.id, sessionId, at: 3_000, question: "Still waiting for the invoice person" });
    await recordConversationActivity(db, { botId: bot.id, sessionId, at: 2_500 });
    expect(await findConversation(db, bot.id, sessionId)).toMatchObject({ startedAt: 1_000, lastActivityAt: 3_000, turns: 1, firstQuestion: "Is anyone there to help with invoices?" });
    const found = await listConversations(db, bot.id, { flags: [], q: "waiting person", limit: 10 });
    expect(found.conversations.map((row) => row.sessionId)).toEqual([sessionId]);
  });

  it("markNeedsPerson flags an offer, records the first request, and never touches another bot's conversation of the same id", async () => {
    const { bot } = await seedBot();
    const { bot: other } = await seedBot();
    const sessionId = `np-${crypto.randomUUID()}`;
    await markNeedsPerson(db, bot.id, sessionId, 5_000, "offered");
    expect(await findConversation(db, bot.id, sessionId)).toMatchObject({ flags: { needsPerson: true }, handoff: { state: "none" }, lastActivityAt: 5_000 });
    await markNeedsPerson(db, bot.id, sessionId, 6_000);
    await markNeedsPerson(db, bot.id, sessionId, 7_000);
    expect(await findConversation(db, bot.id, sessionId)).toMatchObject({ handoff: { state: "requested", requestedAt: 6_000 }, lastActivityAt: 7_000 });
    await markNeedsPerson(db, other.id, sessionId, 8_000);
    await recordConversationActivity(db, { botId: other.id, sessionId, at: 9_000, question: "cross-bot" });
    expect(await findConversation(db, other.id, sessionId)).toBeUndefined();
    expect(await db.prepare("SELECT count(*) AS n FROM conversation_questions WHERE bot_id = ?").bind(other.id).first()).toEqual({ n: 0 });
    expect(await findConversation(db, bot.id, sessionId)).toMatchObject({ lastActivityAt: 7_000 });
    expect((await listConversations(db, bot.id, { flags: ["needsPerson"], limit: 5 })).conversations.map((row) => row.sessionId)).toEqual([sessionId]);
  });
});
