import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { adminRequest, callWorker, seedBot, testEnv } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";
import { createApiKey } from "../identity/api-keys";

const worker = createEdgechatWorker({
  models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline", embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), embeddingDimensions: 384 },
});
const call = (request: Request) => callWorker(worker, request);
const canada = { question: "Do you ship to Canada?", phrasings: ["Can I order from Canada?"], answer: "Yes, in **5 to 8** days.", sources: [{ title: "Shipping", url: "https://shop.example/shipping" }] };

type Listed = { id: string; question: string; answer: string; usedCount: number };
async function listAs(cookie: string, botId: string): Promise<Listed[]> {
  const response = await call(consoleRequest("GET", `/v1/console/bots/${botId}/corrections`, { cookie }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { corrections: Listed[] }).corrections;
}

function jsonl(botId: string, cookie: string, body: string, origin?: string | null): Request {
  const request = consoleRequest("POST", `/v1/console/bots/${botId}/corrections/import`, { cookie, origin, headers: { "content-type": "application/x-ndjson" } });
  return new Request(request, { body });
}

describe("console corrections API", () => {
  it("lets an editor add, list, replace, export, import and delete a bot's corrections; the admin API sees the same ones", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "editor", bots: [bot.id] });
    const created = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/corrections`, { cookie, body: canada }));
    expect(created.status, await created.clone().text()).toBe(201);
    const { correction } = (await created.json()) as { correction: Listed };
    expect(correction).toMatchObject({ ...canada, usedCount: 0, lastUsedAt: null });
    expect(created.headers.get("cache-control")).toBe("no-store");

    const viaAdmin = (await (await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/corrections`))).json()) as { corrections: Listed[] };
    expect(viaAdmin.corrections.map((c) => c.id)).toEqual([correction.id]);

    const replaced = await call(consoleRequest("PUT", `/v1/console/bots/${bot.id}/corrections/${correction.id}`, { cookie, body: { question: canada.question, answer: "Yes, in 3 days." } }));
    expect(replaced.status).toBe(200);
    expect((await listAs(cookie, bot.id))[0]).toMatchObject({ id: correction.id, answer: "Yes, in 3 days." });

    const exported = await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/corrections?format=jsonl`, { cookie }));
    expect(exported.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const text = await exported.text();
    const imported = await call(jsonl(bot.id, cookie, `${text}${JSON.stringify({ question: "Do you gift wrap?", answer: "Yes, $4 per item." })}\n`));
    expect(imported.status, await imported.clone().text()).toBe(201);
    expect(((await imported.json()) as { imported: number }).imported).toBe(2);
    expect(await listAs(cookie, bot.id)).toHaveLength(3);

    const bad = await call(jsonl(bot.id, cookie, `${JSON.stringify({ question: "Fine?", answer: "Yes." })}\n{oops\n${JSON.stringify({ question: "No answer?" })}`));
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; lines: { line: number; message: string }[] } };
    expect(error.code).toBe("invalid_import");
    expect(error.lines.map((line) => line.line)).toEqual([2, 3]);
    expect(error.lines[1]!.message).toMatch(/line 3\.answer/);
    expect(await listAs(cookie, bot.id)).toHaveLength(3);

    const deleted = await call(consoleRequest("DELETE", `/v1/console/bots/${bot.id}/corrections/${correction.id}`, { cookie }));
    expect(deleted.status).toBe(200);
    expect((await listAs(cookie, bot.id)).map((c) => c.id)).not.toContain(correction.id);
  });

  it("answers 404 for a bot outside the member's scope, exactly as for a missing bot, and changes nothing", async () => {
    const { bot: mine } = await seedBot();
    const { bot: theirs } = await seedBot();
    const created = await call(adminRequest("POST", `/v1/admin/bots/${theirs.id}/corrections`, canada));
    const { correction } = (await created.json()) as { correction: Listed };
    const { cookie } = await signedInMember(worker, { role: "editor", bots: [mine.id] });
    const attempts = [
      consoleRequest("GET", `/v1/console/bots/${theirs.id}/corrections`, { cookie }),
      consoleRequest("GET", `/v1/console/bots/${theirs.id}/corrections?format=jsonl`, { cookie }),
      consoleRequest("POST", `/v1/console/bots/${theirs.id}/corrections`, { cookie, body: canada }),
      consoleRequest("PUT", `/v1/console/bots/${theirs.id}/corrections/${correction.id}`, { cookie, body: { question: "Hijacked?", answer: "Yes." } }),
      consoleRequest("DELETE", `/v1/console/bots/${theirs.id}/corrections/${correction.id}`, { cookie }),
      jsonl(theirs.id, cookie, `${JSON.stringify(canada)}\n`),
    ];
    const missing = await call(consoleRequest("GET", "/v1/console/bots/no-such-bot/corrections", { cookie }));
    const missingBody = await missing.json();
    for (const request of attempts) {
      const response = await call(request);
      expect(response.status, `${request.method} ${request.url}`).toBe(404);
      expect(await response.json()).toEqual(missingBody);
    }
    // Through the member's own bot, the other bot's correction id is not found either.
    const sideways = await call(consoleRequest("DELETE", `/v1/console/bots/${mine.id}/corrections/${correction.id}`, { cookie }));
    expect(sideways.status).toBe(404);
    expect(((await sideways.json()) as { error: { code: string } }).error.code).toBe("correction_not_found");
    const kept = (await (await call(adminRequest("GET", `/v1/admin/bots/${theirs.id}/corrections`))).json()) as { corrections: Listed[] };
    expect(kept.corrections).toEqual([expect.objectContaining({ id: correction.id, answer: canada.answer })]);
  });

  it("lets an agent read corrections but answers 403 to its writes; refuses a foreign Origin and a missing session", async () => {
    const { bot } = await seedBot();
    const created = await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, canada));
    const { correction } = (await created.json()) as { correction: Listed };
    const { cookie } = await signedInMember(worker, { role: "agent", bots: [bot.id] });
    expect((await listAs(cookie, bot.id)).map((c) => c.id)).toEqual([correction.id]);
    const writes = [
      consoleRequest("POST", `/v1/console/bots/${bot.id}/corrections`, { cookie, body: canada }),
      consoleRequest("PUT", `/v1/console/bots/${bot.id}/corrections/${correction.id}`, { cookie, body: { question: "Changed?", answer: "Yes." } }),
      consoleRequest("DELETE", `/v1/console/bots/${bot.id}/corrections/${correction.id}`, { cookie }),
      jsonl(bot.id, cookie, `${JSON.stringify(canada)}\n`),
    ];
    for (const request of writes) {
      const response = await call(request);
      expect(response.status, `${request.method} ${request.url}`).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    const { cookie: editor } = await signedInMember(worker, { role: "editor", bots: "all" });
    const csrf = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/corrections`, { cookie: editor, body: canada, origin: "https://evil.example" }));
    expect(csrf.status).toBe(403);
    expect(((await csrf.json()) as { error: { code: string } }).error.code).toBe("forbidden_origin");
    expect((await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/corrections`))).status).toBe(401);
    expect((await listAs(editor, bot.id)).map((c) => [c.id, c.answer])).toEqual([[correction.id, canada.answer]]);
  });

  it("admin API: an API key is limited by its role and scope like a member", async () => {
    const { bot } = await seedBot();
    const { bot: other } = await seedBot();
    const { secret: agentKey } = await createApiKey(testEnv.DB!, { name: "agent key", role: "agent", bots: [bot.id] }, "test");
    const { secret: editorKey } = await createApiKey(testEnv.DB!, { name: "editor key", role: "editor", bots: [bot.id] }, "test");
    expect((await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, canada, agentKey))).status).toBe(403);
    expect((await call(adminRequest("POST", `/v1/admin/bots/${other.id}/corrections`, canada, editorKey))).status).toBe(404);
    expect((await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, canada, editorKey))).status).toBe(201);
    expect((await call(adminRequest("GET", `/v1/admin/bots/${bot.id}/corrections`, undefined, agentKey))).status).toBe(200);
  });
});
