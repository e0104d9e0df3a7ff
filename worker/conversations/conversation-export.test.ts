import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { createApiKey } from "../identity/api-keys";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import type { ChatSession } from "../sessions/chat-session";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, testEnv, userMessage } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";
import { seedTurns } from "../test-support/conversation-fixtures";
import { csvLine, EXPORT_BATCH, exportConversations, type ExportRow } from "./conversation-export";

const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
const call = (request: Request) => callWorker(worker, request);
const db = testEnv.DB!;

/** A conversation stored straight into its session object (`pairs` questions and answers) and the inbox. */
async function storedConversation(botId: string, sessionId: string, pairs: number, at: number): Promise<void> {
  const namespace = testEnv.CHAT_SESSIONS!;
  await runInDurableObject(namespace.get(namespace.idFromName(`${botId}/${sessionId}`)), (session: ChatSession) => {
    for (let i = 0; i < pairs; i++) {
      session.beginTurn({ messageId: `${sessionId}-q${i}`, text: `Question ${i} of ${sessionId}`, maxUserMessages: 1000, now: at + i });
      session.recordAnswer({ replyTo: `${sessionId}-q${i}`, messageId: `${sessionId}-a${i}`, outcome: { status: "complete", text: `Answer ${i}`, sources: [], files: [], metadata: {} }, now: at + i });
    }
  });
  await db.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(sessionId, botId, at).run();
}

describe("conversation export", () => {
  it("streams 10,000 messages batch by batch: the first rows arrive after one batch of session objects is read, and no chunk holds more than one batch", async () => {
    const { bot } = await seedBot();
    const conversations = 200;
    const pairs = 25; // 200 conversations × 50 messages = 10,000 rows
    const start = Date.now() - 1_000_000;
    for (let i = 0; i < conversations; i++) await storedConversation(bot.id, `exp-${String(i).padStart(3, "0")}`, pairs, start + i * 100);

    // The export's only way to the session objects is the binding it is given: count what it opens.
    const opened: string[] = [];
    const namespace = testEnv.CHAT_SESSIONS!;
    const counting: EdgechatEnv = {
      ...testEnv,
      CHAT_SESSIONS: {
        idFromName: (name: string) => {
          opened.push(name);
          return namespace.idFromName(name);
        },
        get: (id: DurableObjectId) => namespace.get(id),
      } as unknown as EdgechatEnv["CHAT_SESSIONS"],
    };
    const reader = exportConversations(counting, bot.id, { flags: [] }, "jsonl").getReader();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened).toHaveLength(0); // nothing read before the reader asks

    const decoder = new TextDecoder();
    const rows: ExportRow[] = [];
    let largestChunk = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      const lines = decoder.decode(value).split("\n").filter(Boolean);
      largestChunk = Math.max(largestChunk, lines.length);
      rows.push(...lines.map((line) => JSON.parse(line) as ExportRow));
      // After each chunk, only the batches delivered so far have been read.
      expect(opened.length).toBe(Math.min(chunks * EXPORT_BATCH.conversations, conversations));
    }
    expect(rows).toHaveLength(10_000);
    expect(chunks).toBe(conversations / EXPORT_BATCH.conversations);
    expect(largestChunk).toBe(EXPORT_BATCH.conversations * pairs * 2);
    expect(new Set(opened).size).toBe(conversations);
    // Newest conversation first, each in its own order.
    expect(rows[0]).toEqual({ sessionId: "exp-199", time: new Date(start + 199 * 100).toISOString(), role: "user", author: "visitor", text: "Question 0 of exp-199", tier: null, model: null, costUsd: null, sources: [], feedback: null });
    expect(rows[1]).toMatchObject({ sessionId: "exp-199", role: "assistant", author: "ai", text: "Answer 0" });
    expect(rows.at(-1)).toMatchObject({ sessionId: "exp-000", text: `Answer ${pairs - 1}` });
  }, 120_000);

  it("answers CSV (RFC 4180, formula cells neutralised) and JSONL with the inbox's filters, for the console and the admin API", async () => {
    const { bot } = await seedBot();
    const evil = '=HYPERLINK("http://evil.example","click"), then "quotes"\nand a line';
    const first = sessionOf(await chunksOf(await call(chatPost({ botId: bot.id, messages: [userMessage(evil)] }))));
    const second = sessionOf(await chunksOf(await call(chatPost({ botId: bot.id, messages: [userMessage("Plain question")] }))));
    await seedTurns(db, [{ botId: bot.id, sessionId: second.sessionId, at: Date.now() + 1000, escalated: true, question: "+1 more" }]);

    const { cookie } = await signedInMember(worker, { role: "agent", bots: [bot.id] });
    const csv = await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/conversations/export?format=csv`, { cookie }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${bot.id}-conversations.csv"`);
    const text = await csv.text();
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("sessionId,time,role,author,text,tier,model,costUsd,sources,feedback");
    expect(text).toContain(`,user,visitor,"'=HYPERLINK(""http://evil.example"",""click""), then ""quotes""\nand a line",,,,,\r\n`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(csvLine(["-2+3", "@SUM(A1)", "+x", "\tx", "plain", 0.5, null])).toBe("'-2+3,'@SUM(A1),'+x,'\tx,plain,0.5,\r\n");
    const assistant = lines.find((line) => line.startsWith(`${first.sessionId},`) && line.includes(",assistant,ai,"));
    expect(assistant).toMatch(/,(small|large),offline,[\d.e-]+,,$/);

    const jsonl = await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations/export?flags=escalated`));
    expect(jsonl.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const rows = (await jsonl.text()).trim().split("\n").map((line) => JSON.parse(line) as ExportRow);
    expect(new Set(rows.map((row) => row.sessionId))).toEqual(new Set([second.sessionId]));
    expect(rows.map((row) => row.text)).toContain("Plain question");

    const searched = await (await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations/export?q=hyperlink`))).text();
    expect(searched.trim().split("\n").map((line) => (JSON.parse(line) as ExportRow).sessionId)).toEqual([first.sessionId, first.sessionId]);

    for (const bad of ["format=xlsx", "flags=nope", "from=never"]) {
      expect((await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations/export?${bad}`))).status, bad).toBe(400);
    }
    const { bot: other } = await seedBot();
    const { secret } = await createApiKey(db, { name: "other", role: "admin", bots: [other.id] }, "test");
    const outsider = await signedInMember(worker, { role: "admin", bots: [other.id] });
    expect((await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations/export`, undefined, secret))).status).toBe(404);
    expect((await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/conversations/export`, { cookie: outsider.cookie }))).status).toBe(404);
    const erase = await call(consoleRequest("DELETE", `/v1/console/bots/${bot.id}/conversations/${first.sessionId}`, { cookie: outsider.cookie }));
    expect(erase.status).toBe(404);
    expect(((await erase.json()) as { error: { code: string } }).error.code).toBe("bot_not_found");
    expect((await call(adminRequest("DELETE", `/v1/admin/bots/${bot.id}/conversations/${first.sessionId}`, undefined, secret))).status).toBe(404);
    expect((await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations/${first.sessionId}`))).status).toBe(200);
  });
});
