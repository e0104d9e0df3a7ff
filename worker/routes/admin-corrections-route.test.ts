import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { adminRequest, callWorker, seedBot, testEnv } from "../test-support/bot-fixtures";
import { correctionVectorId } from "../corrections/correction-store";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";

/** The ids of a correction's vectors (question, phrasings, question + answer) that the index holds. */
async function storedVectors(botId: string, id: string): Promise<string[]> {
  const ids = await Promise.all([0, 1, 2, 3].map((k) => correctionVectorId(botId, id, k)));
  return (await vectorIndexFromEnv(testEnv, 384)!.getByIds(ids)).map((vector) => vector.id);
}

const worker = createEdgechatWorker({
  models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline", embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), embeddingDimensions: 384 },
});

const call = (request: Request) => callWorker(worker, request);
const canada = { question: "Do you ship to Canada?", phrasings: ["Can I order from Canada?"], answer: "Yes, in **5 to 8** days.", sources: [{ title: "Shipping", url: "https://shop.example/shipping" }] };

function jsonlImport(botId: string, body: string, token = "test-admin-token") {
  return new Request(`http://edgechat.test/v1/admin/bots/${botId}/corrections/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body,
  });
}

async function list(botId: string) {
  const response = await call(adminRequest("GET", `/v1/admin/bots/${botId}/corrections`));
  expect(response.status).toBe(200);
  return ((await response.json()) as { corrections: { id: string; question: string; phrasings: string[]; answer: string; sources: unknown[]; usedCount: number }[] }).corrections;
}

describe("corrections admin API", () => {
  it("creates, lists, replaces and deletes a bot's curated answers", async () => {
    const { bot: bot } = await seedBot();
    const created = await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, canada));
    expect(created.status, await created.clone().text()).toBe(201);
    const { correction } = (await created.json()) as { correction: { id: string; usedCount: number } };
    expect(correction).toMatchObject({ ...canada, usedCount: 0, lastUsedAt: null });
    expect(correction.id).toMatch(/^cor_[0-9a-f-]{36}$/);
    expect((await list(bot.id)).map((c) => c.id)).toEqual([correction.id]);
    expect(await storedVectors(bot.id, correction.id)).toHaveLength(3);

    const replaced = await call(adminRequest("PUT", `/v1/admin/bots/${bot.id}/corrections/${correction.id}`, { question: "Do you ship to Canada?", answer: "Yes, in 3 days." }));
    expect(replaced.status).toBe(200);
    expect((await list(bot.id))[0]).toMatchObject({ id: correction.id, answer: "Yes, in 3 days.", phrasings: [], sources: [] });
    expect(await storedVectors(bot.id, correction.id)).toHaveLength(2);

    const deleted = await call(adminRequest("DELETE", `/v1/admin/bots/${bot.id}/corrections/${correction.id}`));
    expect(deleted.status).toBe(200);
    expect(await list(bot.id)).toEqual([]);
    expect(await storedVectors(bot.id, correction.id)).toEqual([]);
    const again = await call(adminRequest("DELETE", `/v1/admin/bots/${bot.id}/corrections/${correction.id}`));
    expect(again.status).toBe(404);
  });

  it("refuses invalid fields with a clear JSON error, and answers 401 without the admin token", async () => {
    const { bot: bot } = await seedBot();
    const cases: [unknown, RegExp][] = [
      [{ question: "Q?" }, /answer must be a non-empty string/],
      [{ question: "", answer: "A" }, /question must be a non-empty string/],
      [{ question: "x".repeat(501), answer: "A" }, /question must be .* at most 500/],
      [{ question: "Q?", answer: "A", phrasings: Array.from({ length: 21 }, (_, i) => `P${i}`) }, /phrasings must be an array of at most 20/],
      [{ question: "Q?", answer: "A", sources: [{ title: "x", url: "javascript:alert(1)" }] }, /sources\[0\]\.url must be an http/],
      [{ question: "Q?", answer: "A", sources: [{ title: "x", url: "/relative" }] }, /sources\[0\]\.url must be an http/],
      [{ question: "Q?", answer: "A", sources: Array.from({ length: 6 }, () => ({ title: "x", url: "https://a.example" })) }, /at most 5/],
      [{ question: "Q?", answer: "A", extra: 1 }, /unknown field "extra"/],
      [["not", "an", "object"], /must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const response = await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, body));
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("invalid_correction");
      expect(error.message).toMatch(message);
    }
    expect(await list(bot.id)).toEqual([]);
    expect((await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, canada, "wrong-token"))).status).toBe(401);
    expect((await call(adminRequest("POST", "/v1/admin/bots/no-such-bot/corrections", canada))).status).toBe(404);
    expect((await call(adminRequest("PUT", `/v1/admin/bots/${bot.id}/corrections/not-an-id`, canada))).status).toBe(404);
  });

  it("never reaches another bot's correction: PUT and DELETE through another bot are 404 and change nothing", async () => {
    const { bot: owner } = await seedBot();
    const { bot: other } = await seedBot();
    const { correction } = (await (await call(adminRequest("POST", `/v1/admin/bots/${owner.id}/corrections`, canada))).json()) as { correction: { id: string } };
    const put = await call(adminRequest("PUT", `/v1/admin/bots/${other.id}/corrections/${correction.id}`, { question: "Hijacked?", answer: "Yes." }));
    expect(put.status).toBe(404);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe("correction_not_found");
    expect((await call(adminRequest("DELETE", `/v1/admin/bots/${other.id}/corrections/${correction.id}`))).status).toBe(404);
    expect(await list(other.id)).toEqual([]);
    expect((await list(owner.id))[0]).toMatchObject({ id: correction.id, answer: canada.answer });
  });

  it("exports JSONL that imports into another bot unchanged, and rejects a bad import whole, with per-line errors", async () => {
    const { bot: source } = await seedBot();
    const { bot: target } = await seedBot();
    const lines = [JSON.stringify(canada), JSON.stringify({ question: "Do you gift wrap?", answer: "Yes, $4 per item." })].join("\n");
    const imported = await call(jsonlImport(source.id, `${lines}\n`));
    expect(imported.status).toBe(201);
    expect(((await imported.json()) as { imported: number }).imported).toBe(2);

    const exported = await call(adminRequest("GET", `/v1/admin/bots/${source.id}/corrections?format=jsonl`));
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const text = await exported.text();
    expect(text.trim().split("\n")).toHaveLength(2);
    expect((await call(jsonlImport(target.id, text))).status).toBe(201);
    const fields = (corrections: Awaited<ReturnType<typeof list>>) =>
      corrections.map(({ question, phrasings, answer, sources }) => ({ question, phrasings, answer, sources })).sort((a, b) => a.question.localeCompare(b.question));
    expect(fields(await list(target.id))).toEqual(fields(await list(source.id)));

    const bad = [JSON.stringify({ question: "Fine?", answer: "Yes." }), "{not json", JSON.stringify({ question: "Link?", answer: "A", sources: [{ title: "t", url: "ftp://x" }] })].join("\n");
    const rejected = await call(jsonlImport(target.id, bad));
    expect(rejected.status).toBe(400);
    const { error } = (await rejected.json()) as { error: { code: string; lines: { line: number; message: string }[] } };
    expect(error.code).toBe("invalid_import");
    expect(error.lines.map((line) => line.line)).toEqual([2, 3]);
    expect(error.lines[1]!.message).toMatch(/line 3\.sources\[0\]\.url/);
    expect(await list(target.id)).toHaveLength(2);
  });
});
