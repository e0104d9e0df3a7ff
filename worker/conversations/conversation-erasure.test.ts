import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { callWorker, chatPost, chunksOf, seedBot, sessionOf, sessionRequest, SITE, testEnv, userMessage } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";
import { sessionStub } from "../sessions/session-store";

// The product's own offline models: the image tool draws a real PNG into R2.
const worker = createEdgechatWorker();
const call = (request: Request) => callWorker(worker, request);
const db = testEnv.DB!;
const images = (env as unknown as EdgechatEnv & { IMAGES: R2Bucket }).IMAGES;

async function chat(botId: string, text: string, session?: { sessionId: string; token: string }) {
  const body = { botId, messages: [userMessage(text)], ...(session ? { id: session.sessionId, sessionToken: session.token } : {}) };
  const chunks = await chunksOf(await call(chatPost(body)));
  return { session: sessionOf(chunks), messageId: chunks.find((chunk) => chunk.type === "start")!.messageId as string };
}

/** Every row of every table of a session object (what an erasure must leave empty). */
async function objectRows(botId: string, sessionId: string): Promise<Record<string, number>> {
  const namespace = testEnv.CHAT_SESSIONS!;
  const stub = namespace.get(namespace.idFromName(`${botId}/${sessionId}`));
  return runInDurableObject(stub, (_instance, state) => {
    const counts: Record<string, number> = {};
    for (const { name } of state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray()) {
      counts[name] = state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`).one().n;
    }
    return counts;
  });
}

describe("erasing a conversation", () => {
  it("leaves nothing of it: transcript and session state, images, inbox row, searchable questions, ratings; billing rows keep their cost without text", async () => {
    const { bot } = await seedBot({ images: { enabled: true, perSession: 3, perDay: 50 } });
    const drawn = await chat(bot.id, "Draw a fox in the snow");
    const asked = await chat(bot.id, "How do refunds work for foxes?", drawn.session);
    const { sessionId, token } = drawn.session;
    const feedback = new Request("http://edgechat.test/v1/feedback", {
      method: "POST",
      headers: { "content-type": "application/json", origin: SITE, authorization: `Bearer ${token}` },
      body: JSON.stringify({ sessionId, messageId: asked.messageId, rating: "down" }),
    });
    expect((await call(feedback)).status).toBe(200);
    const kept = await chat(bot.id, "How do refunds work for foxes?");

    const imageIds = (await db.prepare("SELECT image_id FROM image_usage WHERE session_id = ?").bind(sessionId).all<{ image_id: string }>()).results.map((row) => row.image_id);
    expect(imageIds).toHaveLength(1);
    expect(await images.head(`images/${imageIds[0]}`)).not.toBeNull();
    expect((await sessionStub(testEnv, bot.id, sessionId).messages()).map((message) => message.files.length)).toEqual([0, 1, 0, 0]);
    const billing = async () => db.prepare("SELECT id, cost_usd, input_tokens, output_tokens FROM turns WHERE session_id = ? ORDER BY id").bind(sessionId).all();
    const before = (await billing()).results;
    expect(before).toHaveLength(2);
    const spend = async () => (await db.prepare("SELECT cost_usd FROM bot_daily_spend WHERE bot_id = ?").bind(bot.id).all()).results;
    const spendBefore = await spend();

    const admin = await signedInMember(worker, { role: "agent", bots: [bot.id] });
    expect((await call(consoleRequest("DELETE", `/v1/console/bots/${bot.id}/conversations/${sessionId}`, { cookie: admin.cookie }))).status).toBe(403);
    const editor = await signedInMember(worker, { role: "editor", bots: [bot.id] });
    expect((await call(consoleRequest("DELETE", `/v1/console/bots/${bot.id}/conversations/${sessionId}`, { cookie: editor.cookie, origin: "https://evil.example" }))).status).toBe(403);
    const response = await call(consoleRequest("DELETE", `/v1/console/bots/${bot.id}/conversations/${sessionId}`, { cookie: editor.cookie }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ erased: { messages: 4, turns: 2, feedback: 1, images: 1 } });

    // The session object: every table empty (transcript, pending turns, live answer, meta).
    const rows = await objectRows(bot.id, sessionId);
    expect(Object.keys(rows)).toEqual(expect.arrayContaining(["messages", "meta", "pending_turns", "live_chunks"]));
    expect(Object.values(rows).every((count) => count === 0), JSON.stringify(rows)).toBe(true);
    const visitor = await call(sessionRequest(`/v1/sessions/${sessionId}/messages`, token));
    expect(((await visitor.json()) as { messages: unknown[] }).messages).toEqual([]);
    // R2 and D1.
    expect(await images.head(`images/${imageIds[0]}`)).toBeNull();
    const count = async (sql: string) => (await db.prepare(sql).bind(sessionId).first<{ n: number }>())!.n;
    expect(await count("SELECT count(*) AS n FROM sessions WHERE id = ?")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM feedback WHERE session_id = ?")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM conversation_questions WHERE session_id = ?")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM turns WHERE session_id = ? AND question IS NOT NULL")).toBe(0);
    const fts = await db.prepare("SELECT count(*) AS n FROM conversation_questions_fts WHERE conversation_questions_fts MATCH 'snow'").first<{ n: number }>();
    expect(fts!.n).toBe(0);
    expect((await billing()).results).toEqual(before);
    expect(await spend()).toEqual(spendBefore);
    const admins = { authorization: "Bearer test-admin-token" };
    expect((await call(new Request(`http://edgechat.test/v1/admin/bots/${bot.id}/conversations/${sessionId}`, { headers: admins }))).status).toBe(404);
    const search = (await (await call(new Request(`http://edgechat.test/v1/admin/bots/${bot.id}/conversations?q=foxes`, { headers: admins }))).json()) as { conversations: { sessionId: string }[] };
    expect(search.conversations.map((conversation) => conversation.sessionId)).toEqual([kept.session.sessionId]);
    expect((await sessionStub(testEnv, bot.id, kept.session.sessionId).messages())).toHaveLength(2);

    // Erased is gone: a second erasure, an unknown id, another bot's path.
    const { bot: other } = await seedBot();
    for (const path of [`/v1/admin/bots/${bot.id}/conversations/${sessionId}`, `/v1/admin/bots/${bot.id}/conversations/unknown`, `/v1/admin/bots/${other.id}/conversations/${kept.session.sessionId}`]) {
      const again = await call(new Request(`http://edgechat.test${path}`, { method: "DELETE", headers: admins }));
      expect(again.status, path).toBe(404);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe("conversation_not_found");
    }
    expect((await sessionStub(testEnv, bot.id, kept.session.sessionId).messages())).toHaveLength(2);
  });
});
