import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { UPLOAD_LIMITS } from "../console/document-upload";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import { adminRequest, callWorker, seedBot, testEnv } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";

const worker = createEdgechatWorker();
const call = (request: Request) => callWorker(worker, request);

type FileResult = { file: string; id: string; status: string; chunks: number; error?: { code: string; message: string } };

function form(...files: [string, string | Uint8Array][]): FormData {
  const data = new FormData();
  for (const [name, content] of files) data.append("file", new File([content], name));
  return data;
}

async function documentsOf(botId: string, cookie: string) {
  const response = await call(consoleRequest("GET", `/v1/console/bots/${botId}/documents`, { cookie }));
  return ((await response.json()) as { documents: { id: string; title: string; url: string; status: string; chunks: number }[] }).documents;
}

const vectorCount = async () => (await vectorIndexFromEnv(testEnv, 384)!.describe()).vectorCount;

const REFUNDS = "---\ntitle: Refund policy\n---\n\n# Refunds\n\nRefunds take five working days to reach your account after approval.";
const BACKUPS = "<html><head><title>Backups &amp; restores</title></head><body><p>Databases are backed up every six hours; snapshots are kept thirty days.</p></body></html>";

describe("console documents and file uploads", () => {
  it("indexes several files at once, fails an unsupported type alone (415-coded), lists, re-indexes and deletes", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "editor", bots: [bot.id] });
    const upload = await call(
      consoleRequest("POST", `/v1/console/bots/${bot.id}/files`, {
        cookie,
        body: form(["refunds.md", REFUNDS], ["backups.htm", BACKUPS], ["manual.pdf", "%PDF-1.7 binary"], ["notes.txt", "Support is open from nine to five on weekdays, Central European Time."]),
      }),
    );
    expect(upload.status).toBe(200);
    const { results } = (await upload.json()) as { results: FileResult[] };
    expect(results.map((result) => [result.file, result.status])).toEqual([
      ["refunds.md", "indexed"],
      ["backups.htm", "indexed"],
      ["manual.pdf", "failed"],
      ["notes.txt", "indexed"],
    ]);
    expect(results[2]!.error).toMatchObject({ code: "unsupported_type", message: expect.stringContaining(".md") });
    expect(results.filter((result) => result.status === "indexed").every((result) => result.chunks > 0)).toBe(true);

    const documents = await documentsOf(bot.id, cookie);
    expect(documents.map((document) => [document.id, document.title, document.url, document.status])).toEqual([
      ["backups.htm", "Backups & restores", "/docs/backups", "ready"],
      ["notes.txt", "Notes", "/docs/notes", "ready"],
      ["refunds.md", "Refund policy", "/docs/refunds", "ready"],
    ]);

    const reindexed = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/documents/refunds.md/reindex`, { cookie }));
    expect(await reindexed.json()).toEqual({ result: { id: "refunds.md", status: "unchanged", chunks: results[0]!.chunks } });
    // A failed document is indexed again from its kept text.
    await testEnv.DB!.prepare("UPDATE documents SET status = 'failed' WHERE bot_id = ? AND id = 'notes.txt'").bind(bot.id).run();
    const retried = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/documents/notes.txt/reindex`, { cookie }));
    expect(((await retried.json()) as { result: { status: string } }).result.status).toBe("indexed");

    expect((await call(consoleRequest("DELETE", `/v1/console/bots/${bot.id}/documents/refunds.md`, { cookie }))).status).toBe(204);
    expect((await documentsOf(bot.id, cookie)).map((document) => document.id)).toEqual(["backups.htm", "notes.txt"]);
    expect((await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/documents/refunds.md/reindex`, { cookie }))).status).toBe(404);
    const kept = await testEnv.DB!.prepare("SELECT COUNT(*) AS n FROM document_contents WHERE bot_id = ? AND document_id = 'refunds.md'").bind(bot.id).first<{ n: number }>();
    expect(kept!.n).toBe(0);
  });

  it("answers 413 and stores nothing when a file or the whole upload is over the limit", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "editor", bots: "all" });
    const before = await vectorCount();
    const big = "word ".repeat(Math.ceil(UPLOAD_LIMITS.maxFileBytes / 5) + 10);
    const oneTooBig = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/files`, { cookie, body: form(["small.md", REFUNDS], ["big.txt", big]) }));
    expect(oneTooBig.status).toBe(413);
    expect(((await oneTooBig.json()) as { error: { code: string } }).error.code).toBe("file_too_large");

    const almost = "word ".repeat(Math.floor((UPLOAD_LIMITS.maxFileBytes - 1000) / 5));
    const files = Array.from({ length: Math.ceil(UPLOAD_LIMITS.maxRequestBytes / almost.length) + 1 }, (_, i) => [`part-${i}.txt`, almost] as [string, string]);
    const tooMuch = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/files`, { cookie, body: form(...files) }));
    expect(tooMuch.status).toBe(413);
    expect(((await tooMuch.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");

    expect(await documentsOf(bot.id, cookie)).toEqual([]);
    expect(await vectorCount()).toBe(before);
  });

  it("takes the same upload at POST /v1/admin/bots/:botId/files with the admin token, and re-indexes JSON-ingested documents", async () => {
    const { bot } = await seedBot();
    const upload = new Request(`http://edgechat.test/v1/admin/bots/${bot.id}/files`, {
      method: "POST",
      headers: { authorization: "Bearer test-admin-token" },
      body: form(["faq.markdown", "# FAQ\n\nYou can export invoices as PDF from the billing page."]),
    });
    const response = await call(upload);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: FileResult[] }).results[0]).toMatchObject({ file: "faq.markdown", id: "faq.markdown", status: "indexed" });
    const unauthenticated = await call(new Request(upload.url, { method: "POST", body: form(["a.md", "# A"]) }));
    expect(unauthenticated.status).toBe(401);
    const missing = await call(new Request(`http://edgechat.test/v1/admin/bots/no-such-bot/files`, { method: "POST", headers: { authorization: "Bearer test-admin-token" }, body: form(["a.md", "# A"]) }));
    expect(missing.status).toBe(404);

    await call(adminRequest("POST", `/v1/admin/bots/${bot.id}/documents`, { documents: [{ id: "json-doc", title: "JSON doc", url: "/docs/json", format: "text", content: "Plans can be changed at any time from the account page." }] }));
    const { cookie } = await signedInMember(worker, { role: "admin", bots: "all" });
    const reindexed = await call(consoleRequest("POST", `/v1/console/bots/${bot.id}/documents/json-doc/reindex`, { cookie }));
    expect(((await reindexed.json()) as { result: { status: string } }).result.status).toBe("unchanged");
  });
});
