import { describe, expect, inject, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { createApiKey } from "../identity/api-keys";
import type { ConversationSummary, TranscriptMessage } from "../conversations/conversation-types";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, SITE, testEnv, userMessage } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";
import { seedTurns, type SeededTurn } from "../test-support/conversation-fixtures";
import { HANDOFF_RETRY_DELAYS_MS } from "./session-handoff-route";

const services = inject("fakeServicesUrl");
const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
const call = (request: Request) => callWorker(worker, request);
HANDOFF_RETRY_DELAYS_MS.value = [10, 10];
const db = testEnv.DB!;

type Page = { conversations: ConversationSummary[]; nextCursor: string | null };

async function chat(botId: string, text: string, session?: { sessionId: string; token: string }) {
  const body = { botId, messages: [userMessage(text)], ...(session ? { id: session.sessionId, sessionToken: session.token } : {}) };
  const chunks = await chunksOf(await call(chatPost(body)));
  return { session: sessionOf(chunks), messageId: chunks.find((chunk) => chunk.type === "start")!.messageId as string, chunks };
}

function visitorPost(path: string, body: unknown, token: string) {
  return call(
    new Request(`http://edgechat.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: SITE, authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );
}

describe("conversations inbox and transcript", () => {
  it("indexes real turns: count, cost, first question and flags; the transcript joins the session's messages with turns and ratings", async () => {
    const { bot } = await seedBot({ handoffWebhookUrl: `${services}/webhook/inbox-${crypto.randomUUID()}` });
    const { bot: other } = await seedBot();
    const first = await chat(bot.id, "How do refunds work?");
    const second = await chat(bot.id, "Can I talk to a person?", first.session);
    expect(second.chunks.some((chunk) => chunk.type === "data-handoff")).toBe(true);
    expect((await visitorPost("/v1/feedback", { sessionId: first.session.sessionId, messageId: first.messageId, rating: "down" }, first.session.token)).status).toBe(200);
    const { cookie } = await signedInMember(worker, { role: "agent", bots: [bot.id] });

    // Offered a person: flagged, no handoff requested yet.
    let page = (await (await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/conversations`, { cookie }))).json()) as Page;
    expect(page.conversations).toHaveLength(1);
    expect(page.conversations[0]).toMatchObject({
      sessionId: first.session.sessionId,
      botId: bot.id,
      firstQuestion: "How do refunds work?",
      turns: 2,
      flags: { needsPerson: true, thumbsDown: true, noSources: true, escalated: false, failed: false },
      handoff: { state: "none" },
    });
    const { costUsd } = (await db.prepare("SELECT sum(cost_usd) AS costUsd FROM turns WHERE session_id = ?").bind(first.session.sessionId).first<{ costUsd: number }>())!;
    expect(page.conversations[0]!.costUsd).toBeCloseTo(costUsd, 10);

    // The visitor asks for a person; a new rating replaces the old one and clears the flag.
    expect((await visitorPost(`/v1/sessions/${first.session.sessionId}/handoff`, {}, first.session.token)).status).toBe(200);
    expect((await visitorPost("/v1/feedback", { sessionId: first.session.sessionId, messageId: first.messageId, rating: "up" }, first.session.token)).status).toBe(200);
    page = (await (await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations`))).json()) as Page;
    expect(page.conversations[0]!.flags.thumbsDown).toBe(false);
    expect(page.conversations[0]!.handoff).toMatchObject({ state: "requested", requestedAt: expect.any(Number) });

    const read = await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/conversations/${first.session.sessionId}`, { cookie }));
    expect(read.status).toBe(200);
    const { conversation, messages } = (await read.json()) as { conversation: ConversationSummary; messages: TranscriptMessage[] };
    expect(conversation.sessionId).toBe(first.session.sessionId);
    expect(messages.map((message) => [message.role, message.author.kind])).toEqual([
      ["user", "visitor"],
      ["assistant", "ai"],
      ["user", "visitor"],
      ["assistant", "ai"],
    ]);
    expect(messages[0]!.text).toBe("How do refunds work?");
    const answer = messages[1]!;
    expect(answer.id).toBe(first.messageId);
    expect(answer.status).toBe("complete");
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.parts).toContainEqual({ type: "text", text: answer.text });
    expect(answer.metadata).toMatchObject({ tier: "small", model: expect.any(String), escalated: false, feedback: "up", author: { kind: "ai" }, sources: [] });
    expect(answer.metadata!.costUsd).toBeTypeOf("number");
    expect(messages[3]!.metadata!.feedback).toBeUndefined();

    // Another bot's path, an unknown id and a malformed one: the same 404.
    for (const path of [`/v1/admin/bots/${other.id}/conversations/${first.session.sessionId}`, `/v1/admin/bots/${bot.id}/conversations/nope`, `/v1/admin/bots/${bot.id}/conversations/%3Cx%3E`]) {
      const response = await call(adminRequest("GET", path));
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("conversation_not_found");
    }
  });

  it("combines flags, dates and text search, and the cursor pages through every match once, newest first", async () => {
    const { bot } = await seedBot();
    const base = Date.parse("2026-10-01T00:00:00Z");
    const turns: SeededTurn[] = [];
    const expected: { id: string; last: number; flags: ConversationSummary["flags"]; questions: string[] }[] = [];
    for (let i = 0; i < 40; i++) {
      const sessionId = `s-${String(i).padStart(2, "0")}`;
      // Every fourth pair shares its last activity, so the id breaks the tie.
      const last = base + Math.floor(i / 2) * 3_600_000 * (i % 4 === 0 ? 1 : 1.5);
      const flags = { escalated: i % 3 === 0, failed: i % 5 === 0, noSources: i % 2 === 0, thumbsDown: false, needsPerson: false };
      const questions = [i % 4 === 0 ? `Where are my refunds number ${i}?` : `How do I set up domain ${i}?`, "Thanks"];
      turns.push({ botId: bot.id, sessionId, at: last - 60_000, question: questions[0], escalated: flags.escalated, tier: flags.escalated ? "large" : "small", grounded: !flags.noSources, costUsd: 0.01 });
      turns.push({ botId: bot.id, sessionId, at: last, question: questions[1], status: flags.failed ? "failed" : "complete", grounded: null, costUsd: 0.02 });
      expected.push({ id: sessionId, last, flags, questions });
    }
    await seedTurns(db, turns);
    const newestFirst = [...expected].sort((a, b) => b.last - a.last || (a.id < b.id ? 1 : -1));
    const list = async (query: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations?limit=7&${query}${cursor ? `&cursor=${cursor}` : ""}`));
        expect(response.status, query).toBe(200);
        const page = (await response.json()) as Page;
        expect(page.conversations.length).toBeLessThanOrEqual(7);
        ids.push(...page.conversations.map((conversation) => conversation.sessionId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      return ids;
    };
    const want = (keep: (row: (typeof expected)[number]) => boolean) => newestFirst.filter(keep).map((row) => row.id);

    expect(await list("")).toEqual(want(() => true));
    const all = ((await (await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations?limit=100`))).json()) as Page).conversations;
    expect(all.find((row) => row.sessionId === "s-00")).toMatchObject({ turns: 2, costUsd: 0.03, firstQuestion: "Where are my refunds number 0?", startedAt: base - 60_000 });
    expect(await list("flags=escalated")).toEqual(want((row) => row.flags.escalated));
    expect(await list("flags=escalated,failed")).toEqual(want((row) => row.flags.escalated && row.flags.failed));
    expect(await list("flags=noSources,escalated")).toEqual(want((row) => row.flags.noSources && row.flags.escalated));
    expect(await list("flags=thumbsDown")).toEqual([]);
    const from = base + 10 * 3_600_000;
    const to = base + 30 * 3_600_000;
    expect(await list(`from=${from}&to=${to}`)).toEqual(want((row) => row.last >= from && row.last < to));
    expect(await list("q=refun")).toEqual(want((row) => row.questions[0]!.includes("refunds")));
    expect(await list("q=REFUNDS%20number&flags=escalated")).toEqual(want((row) => row.questions[0]!.includes("refunds") && row.flags.escalated));
    expect(await list(`q=domain&flags=failed&from=${from}`)).toEqual(want((row) => row.questions[0]!.includes("domain") && row.flags.failed && row.last >= from));
    expect(await list(`q=${encodeURIComponent('"domain" OR refunds NEAR(')}`)).toEqual([]);
    expect(await list("from=2026-10-01&to=2026-10-01")).toEqual(want((row) => row.last < base + 86_400_000));

    for (const bad of ["flags=angry", "limit=0", "limit=101", "limit=x", "from=yesterday", "from=2026-10-02&to=2026-10-01", "cursor=abc", "q=%21%21", `q=${"a".repeat(201)}`]) {
      const response = await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/conversations?${bad}`));
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code, bad).toBe("invalid_query");
    }
  });

  it("answers 404 to a member or API key outside the bot's scope, for the list and a transcript", async () => {
    const { bot: mine } = await seedBot();
    const { bot: theirs } = await seedBot();
    await seedTurns(db, [{ botId: theirs.id, sessionId: `their-${crypto.randomUUID()}`, at: Date.now(), question: "Secret question" }]);
    const [{ sessionId }] = ((await (await call(adminRequest("GET", `/v1/admin/bots/${theirs.id}/conversations`))).json()) as Page).conversations as [ConversationSummary];
    const { cookie } = await signedInMember(worker, { role: "admin", bots: [mine.id] });
    const { secret } = await createApiKey(db, { name: "scoped", role: "admin", bots: [mine.id] }, "test");
    const requests = [
      consoleRequest("GET", `/v1/console/bots/${theirs.id}/conversations`, { cookie }),
      consoleRequest("GET", `/v1/console/bots/${theirs.id}/conversations/${sessionId}`, { cookie }),
      adminRequest("GET", `/v1/admin/bots/${theirs.id}/conversations`, undefined, secret),
      adminRequest("GET", `/v1/admin/bots/${theirs.id}/conversations/${sessionId}`, undefined, secret),
    ];
    for (const request of requests) {
      const response = await call(request);
      expect(response.status, request.url).toBe(404);
      expect(await response.text()).not.toContain("Secret question");
    }
    expect((await call(consoleRequest("GET", `/v1/console/bots/${mine.id}/conversations`, { cookie }))).status).toBe(200);
    expect((await call(adminRequest("GET", `/v1/admin/bots/${mine.id}/conversations`, undefined, secret))).status).toBe(200);
    expect((await call(consoleRequest("GET", `/v1/console/bots/${mine.id}/conversations`))).status).toBe(401);
    expect((await call(adminRequest("GET", `/v1/admin/bots/${mine.id}/conversations`, undefined, "wrong"))).status).toBe(401);
  });
});
