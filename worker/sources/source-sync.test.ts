import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { modelsFromEnv } from "../models/model-set";
import { callWorker, seedBot, SITE } from "../test-support/bot-fixtures";
import { keywordRows } from "../test-support/keyword-rows";
import { countingEmbeddingModel, deliverBatch, drainSyncQueue, RecordingSyncQueue } from "../test-support/source-sync-driver";
import { readServerSentEvents } from "../../widget/client/server-sent-events";
import { runScheduledSyncs } from "./scheduled-syncs";
import { syncDependenciesFromEnv } from "./sync-dependencies-from-env";
import { extractPdfText } from "./pdf-text";
import type { SourceRecord, SyncMessage, SyncReport } from "./source-types";

const site = inject("fixtureSiteUrl");
const offline = modelsFromEnv(env as unknown as EdgechatEnv);

function harness(options: { failAfterCalls?: number } = {}) {
  const queue = new RecordingSyncQueue();
  const embedding = countingEmbeddingModel(offline.embedding!, options);
  const models = { ...offline, embedding };
  const bindings = { ...(env as unknown as EdgechatEnv), SOURCE_SYNC_QUEUE: queue as unknown as EdgechatEnv["SOURCE_SYNC_QUEUE"] };
  // PDF support is opt-in (it bundles unpdf); these syncs read the fixture site's PDFs.
  const worker = createEdgechatWorker({ models, pdfText: extractPdfText });
  return { queue, embedding, models, bindings, worker };
}
type Harness = ReturnType<typeof harness>;

async function admin(h: Harness, method: string, path: string, body?: unknown): Promise<Response> {
  return callWorker(
    h.worker,
    new Request(`http://edgechat.test${path}`, {
      method,
      headers: { authorization: "Bearer test-admin-token", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    h.bindings,
  );
}

async function sourceState(h: Harness, botId: string, sourceId: string): Promise<{ source: SourceRecord; sync: SyncReport }> {
  return (await (await admin(h, "GET", `/v1/admin/bots/${botId}/sources/${sourceId}`)).json()) as { source: SourceRecord; sync: SyncReport };
}

async function hitsOf(path: string): Promise<number> {
  return ((await (await fetch(`${site}/__control/hits?path=${encodeURIComponent(path)}`)).json()) as { hits: number }).hits;
}

async function control(query: string) {
  await fetch(`${site}/__control?${query}`, { method: "POST" });
}

/** How many indexed chunks of the bot contain `text`. */
async function chunkBodies(botId: string, text: string): Promise<number> {
  const row = await (env as unknown as EdgechatEnv).DB!.prepare(`SELECT COUNT(*) AS n FROM document_chunks_fts WHERE bot_id = ?1 AND instr(body, ?2) > 0`).bind(botId, text).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("a sitemap source over the 200-page fixture site", () => {
  let botId = "";
  let sourceId = "";
  const h = harness();

  beforeAll(async () => {
    await control("reset=1");
    botId = (await seedBot()).bot.id;
  });

  it("finds every page through nested sitemap indexes and counts each case", { timeout: 120_000 }, async () => {
    const created = await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "sitemap", url: `${site}/sitemap.xml`, schedule: "daily", limits: { timeoutMs: 1000 } });
    expect(created.status).toBe(201);
    const { source } = (await created.json()) as { source: SourceRecord };
    sourceId = source.id;
    expect(source).toMatchObject({ kind: "sitemap", schedule: "daily", currentSyncId: expect.stringMatching(/^sync_/) });
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    const { sync, source: after } = await sourceState(h, botId, sourceId);
    const reasons = Object.fromEntries(sync.problems.map((problem) => [new URL(problem.url).pathname, `${problem.outcome}: ${problem.reason}`]));
    expect(reasons).toEqual({
      "/private/secret.html": "skipped: disallowed by robots.txt",
      "/dup/b.html": `duplicate: same content as ${site}/dup/a.html`,
      "/loop/a": expect.stringMatching(/^failed: too_many_redirects/),
      "/to-private": expect.stringMatching(/^failed: refused \(local_name\)/),
      "/big.html": expect.stringMatching(/^failed: too_large/),
      "/binary.html": expect.stringMatching(/^failed: The file is binary/),
      "/slow.html": expect.stringMatching(/^failed: No complete answer within 1000 ms. \(after 4 attempts\)/),
      "/gone.html": "failed: gone: HTTP 404",
      "/files/scan.pdf": expect.stringMatching(/^failed: pdf no_text/),
    });
    // 200 docs pages + 14 special URLs; indexed: the docs, the redirect target, latin, dup/a, flaky, manual.pdf.
    expect(sync).toMatchObject({ status: "completed", found: 214, queued: 0, indexed: 205, unchanged: 0, duplicate: 1, skipped: 1, failed: 7, removed: 0 });
    expect(after.currentSyncId).toBeNull();
    expect(after.nextSyncAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it("keeps the main content only, decodes windows-1252, keeps PDF pages apart and records the source of each document", async () => {
    expect(await chunkBodies(botId, "Topic 57")).toBeGreaterThan(0);
    expect(await chunkBodies(botId, "cookies")).toBe(0);
    expect(await chunkBodies(botId, "Boilerplate footer")).toBe(0);
    expect(await chunkBodies(botId, "Menu entries")).toBe(0);
    expect(await chunkBodies(botId, "Crème brûlée – “smart quotes” cost 5 €")).toBe(1);
    const { documents } = (await (await admin(h, "GET", `/v1/admin/bots/${botId}/documents`)).json()) as { documents: { id: string; url: string; title: string; sourceId: string | null }[] };
    expect(documents).toHaveLength(206); // 205 pages, the manual PDF as two
    expect(documents.every((document) => document.sourceId === sourceId)).toBe(true);
    const pdfPages = documents.filter((document) => document.url.startsWith(`${site}/files/manual.pdf#page=`)).map((document) => document.url);
    expect(pdfPages.sort()).toEqual([`${site}/files/manual.pdf#page=1`, `${site}/files/manual.pdf#page=2`]);
    expect(documents.find((document) => document.url === `${site}/redirect/target.html`)?.title).toBe("Redirect target");
    expect(await chunkBodies(botId, "гарантия семь лет")).toBe(1);
  });

  it("re-syncs the unchanged site with zero embedding calls, then re-indexes exactly three changed pages and removes one", { timeout: 120_000 }, async () => {
    const before = h.embedding.calls;
    expect((await admin(h, "POST", `/v1/admin/bots/${botId}/sources/${sourceId}/sync`)).status).toBe(202);
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    const unchanged = (await sourceState(h, botId, sourceId)).sync;
    expect(h.embedding.calls - before).toBe(0);
    expect(unchanged).toMatchObject({ status: "completed", found: 214, indexed: 0, unchanged: 205, removed: 0 });

    await control("change=7,42,133&remove=199");
    const embeddedBefore = h.embedding.embedded.length;
    await admin(h, "POST", `/v1/admin/bots/${botId}/sources/${sourceId}/sync`);
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    const changed = (await sourceState(h, botId, sourceId)).sync;
    expect(changed).toMatchObject({ status: "completed", found: 213, indexed: 3, unchanged: 201, removed: 1 });
    const embeddedTitles = new Set(h.embedding.embedded.slice(embeddedBefore).map((text) => text.split("\n")[0]));
    expect([...embeddedTitles].sort()).toEqual(["Topic 133 | Fixture Docs", "Topic 42 | Fixture Docs", "Topic 7 | Fixture Docs"]);
    expect(await chunkBodies(botId, "Article 42 (revision 1)")).toBe(1);
    expect(await chunkBodies(botId, "Article 42 (revision 0)")).toBe(0);
    expect(await chunkBodies(botId, "Article 199 ")).toBe(0);
    const { documents } = (await (await admin(h, "GET", `/v1/admin/bots/${botId}/documents`)).json()) as { documents: { url: string }[] };
    expect(documents.some((document) => document.url.endsWith("/docs/page-199.html"))).toBe(false);
    // The keyword index's narrow rows (migration 0011) followed the re-indexed and removed pages.
    const rows = await keywordRows((env as unknown as EdgechatEnv).DB!, botId);
    expect(rows.chunks.fts.length).toBeGreaterThan(200);
    expect(rows.chunks.narrow).toEqual(rows.chunks.fts);
    expect(rows.documents.narrow).toEqual(rows.documents.fts);
  });

  afterAll(() => control("reset=1"));
});

describe("a crawl source", () => {
  it("follows links to the depth limit, honours canonical links, and the bot answers from a deep page with its URL", { timeout: 120_000 }, async () => {
    const h = harness();
    const botId = (await seedBot({ routing: { policy: "always-large" } })).bot.id;
    const created = await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "crawl", url: `${site}/docs/index.html`, limits: { maxDepth: 3 } });
    const { source } = (await created.json()) as { source: SourceRecord };
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    const { sync } = await sourceState(h, botId, source.id);
    // The index, its 200 pages, and page-1.html?ref=nav (canonical: page-1.html) found once each.
    expect(sync).toMatchObject({ status: "completed", found: 202, indexed: 201, duplicate: 1, failed: 0 });
    expect(sync.problems).toEqual([{ url: `${site}/docs/page-1.html?ref=nav`, outcome: "duplicate", reason: `canonical URL is ${site}/docs/page-1.html` }]);

    const response = await callWorker(
      h.worker,
      new Request("http://edgechat.test/v1/chat", {
        method: "POST",
        headers: { "content-type": "application/json", origin: SITE },
        body: JSON.stringify({ botId, messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "How long is the warranty of the Zephyr kettle?" }] }] }),
      }),
      h.bindings,
    );
    const sources: string[] = [];
    let text = "";
    for await (const data of readServerSentEvents(response.body!)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data) as { type: string; url?: string; delta?: string };
      if (chunk.type === "source-url") sources.push(chunk.url!);
      if (chunk.type === "text-delta") text += chunk.delta;
    }
    expect(sources[0]).toBe(`${site}/docs/page-157.html`);
    expect(text).toContain("seven years");
  });

  it("keeps to the page limit", { timeout: 60_000 }, async () => {
    const h = harness();
    const botId = (await seedBot()).bot.id;
    const created = await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "crawl", url: `${site}/docs/index.html`, limits: { maxPages: 25 } });
    const { source } = (await created.json()) as { source: SourceRecord };
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    expect((await sourceState(h, botId, source.id)).sync).toMatchObject({ status: "completed", found: 25 });
  });
});

describe("a sync that outlives its worker", () => {
  it("survives a consumer that dies mid-batch and lost messages: it finishes once and indexes no page twice", { timeout: 120_000 }, async () => {
    const h = harness();
    const botId = (await seedBot()).bot.id;
    const { source } = (await (await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "crawl", url: `${site}/docs/index.html`, limits: { maxDepth: 2 } })).json()) as { source: SourceRecord };
    const delivered: SyncMessage[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = h.queue.take(10);
      delivered.push(...batch.map((message) => message.body));
      await deliverBatch(h.worker, h.bindings, h.queue, batch);
    }
    // Messages already acknowledged arrive again (at-least-once delivery): acknowledged without a fetch or an embedding.
    const again = delivered.slice(0, 5);
    const hitsBefore = await Promise.all(again.map((message) => hitsOf(new URL(message.url).pathname)));
    const callsBefore = h.embedding.calls;
    await deliverBatch(h.worker, h.bindings, h.queue, again.map((body, i) => ({ id: `again-${i}`, body, attempts: 2 })));
    expect(await Promise.all(again.map((message) => hitsOf(new URL(message.url).pathname)))).toEqual(hitsBefore);
    expect(h.embedding.calls).toBe(callsBefore);
    // The worker stops in the middle of a batch (its embedding calls fail from now on): nothing of it is acknowledged.
    const dying = harness({ failAfterCalls: 0 });
    const batch = h.queue.take(10);
    await deliverBatch(dying.worker, h.bindings, h.queue, batch);
    expect(h.queue.pending.slice(-batch.length).map((message) => message.id)).toEqual(batch.map((message) => message.id));
    // A restart loses queued messages.
    h.queue.take(15);
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    expect((await sourceState(h, botId, source.id)).sync.status).toBe("running");
    // The Cron Trigger finds the pages nobody processed and sends them again.
    const deps = syncDependenciesFromEnv(h.bindings, h.models, extractPdfText);
    if ("missing" in deps) throw new Error(deps.missing);
    const { resent } = await runScheduledSyncs(deps, -1);
    expect(resent).toBeGreaterThan(0);
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    const { sync } = await sourceState(h, botId, source.id);
    // The index, pages 1-10 and 11-110, page-1?ref=nav.
    expect(sync).toMatchObject({ status: "completed", found: 112, indexed: 111, duplicate: 1, queued: 0 });
    const titles = h.embedding.embedded.map((text) => text.split("\n")[0]);
    const counts = new Map<string, number>();
    for (const title of titles) counts.set(title!, (counts.get(title!) ?? 0) + 1);
    // Each page's chunks were embedded in one call: no title appears in two different calls' worth of chunks.
    const chunksPerTitle = await (env as unknown as EdgechatEnv).DB!.prepare(`SELECT title, COUNT(*) AS n FROM document_chunks_fts WHERE bot_id = ?1 GROUP BY title`).bind(botId).all<{ title: string; n: number }>();
    expect(chunksPerTitle.results).toHaveLength(111);
    for (const row of chunksPerTitle.results) expect(counts.get(row.title)).toBe(row.n);
  });

  it("runs one sync per source at a time and can be cancelled", { timeout: 60_000 }, async () => {
    const h = harness();
    const botId = (await seedBot()).bot.id;
    const { source } = (await (await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "crawl", url: `${site}/docs/index.html` })).json()) as { source: SourceRecord };
    await drainSyncQueue(h.worker, h.bindings, h.queue, { maxBatches: 1 });
    const second = await admin(h, "POST", `/v1/admin/bots/${botId}/sources/${source.id}/sync`);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("sync_running");
    const running = await sourceState(h, botId, source.id);
    expect(running.sync.status).toBe("running");
    expect(running.sync.queued).toBeGreaterThan(0);
    const cancelled = (await (await admin(h, "POST", `/v1/admin/bots/${botId}/sources/${source.id}/cancel`)).json()) as { cancelled: string };
    expect(cancelled.cancelled).toBe(running.sync.id);
    const calls = h.embedding.calls;
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    expect(h.embedding.calls).toBe(calls);
    expect((await sourceState(h, botId, source.id)).sync.status).toBe("cancelled");
    expect((await admin(h, "POST", `/v1/admin/bots/${botId}/sources/${source.id}/sync`)).status).toBe(202);
  });

  it("DELETE removes the source's documents and vectors, and only its own", { timeout: 60_000 }, async () => {
    const h = harness();
    const botId = (await seedBot()).bot.id;
    const { source } = (await (await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "url", url: `${site}/docs/page-9.html` })).json()) as { source: SourceRecord };
    const other = (await (await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "url", url: `${site}/docs/page-10.html` })).json()) as { source: SourceRecord };
    await drainSyncQueue(h.worker, h.bindings, h.queue);
    expect((await sourceState(h, botId, source.id)).sync).toMatchObject({ found: 1, indexed: 1 });
    const deleted = (await (await admin(h, "DELETE", `/v1/admin/bots/${botId}/sources/${source.id}`)).json()) as { documents: number };
    expect(deleted.documents).toBe(1);
    expect(await chunkBodies(botId, "Topic 9")).toBe(0);
    expect(await chunkBodies(botId, "Topic 10")).toBeGreaterThan(0);
    const rows = await keywordRows((env as unknown as EdgechatEnv).DB!, botId);
    expect(rows.chunks.narrow).toEqual(rows.chunks.fts);
    expect(rows.documents.narrow).toEqual(rows.documents.fts);
    expect(new Set(rows.documents.fts.map((row) => row.documentId)).size).toBe(1);
    expect((await admin(h, "GET", `/v1/admin/bots/${botId}/sources/${source.id}`)).status).toBe(404);
    const { sources } = (await (await admin(h, "GET", `/v1/admin/bots/${botId}/sources`)).json()) as { sources: SourceRecord[] };
    expect(sources.map((entry) => entry.id)).toEqual([other.source.id]);
  });
});

describe("POST /v1/admin/bots/:botId/sources validates its input", () => {
  it.each([
    [{ kind: "ftp", url: "https://example.com/" }, 400, "invalid_request"],
    [{ kind: "url", url: "not a url" }, 400, "invalid_request"],
    [{ kind: "url", url: "http://169.254.169.254/latest/meta-data/" }, 400, "url_not_allowed"],
    [{ kind: "url", url: "http://localhost:8787/" }, 400, "url_not_allowed"],
    [{ kind: "crawl", url: "https://example.com/", schedule: "hourly" }, 400, "invalid_request"],
    [{ kind: "crawl", url: "https://example.com/", limits: { maxPages: 100000 } }, 400, "invalid_request"],
    [{ kind: "file", url: "https://example.com/a.pdf" }, 400, "invalid_request"],
  ])("%j → %i %s", async (body, status, code) => {
    const h = harness();
    const botId = (await seedBot()).bot.id;
    const response = await admin(h, "POST", `/v1/admin/bots/${botId}/sources`, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("answers 404 for an unknown bot or source and 401 without the admin token", async () => {
    const h = harness();
    expect((await admin(h, "GET", "/v1/admin/bots/no-such-bot/sources")).status).toBe(404);
    const botId = (await seedBot()).bot.id;
    expect((await admin(h, "GET", `/v1/admin/bots/${botId}/sources/src_00000000000000000000`)).status).toBe(404);
    const anonymous = await callWorker(h.worker, new Request(`http://edgechat.test/v1/admin/bots/${botId}/sources`), h.bindings);
    expect(anonymous.status).toBe(401);
  });
});

describe("the bound queue (Miniflare's Queues in workerd)", () => {
  it("delivers a sync's messages to the worker's queue handler, which finishes the sync", { timeout: 60_000 }, async () => {
    const bindings = env as unknown as EdgechatEnv;
    expect(bindings.SOURCE_SYNC_QUEUE).toBeDefined();
    const worker = createEdgechatWorker();
    const botId = (await seedBot()).bot.id;
    const request = (method: string, path: string, body?: unknown) =>
      callWorker(
        worker,
        new Request(`http://edgechat.test${path}`, { method, headers: { authorization: "Bearer test-admin-token", "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
        bindings,
      );
    const created = (await (await request("POST", `/v1/admin/bots/${botId}/sources`, { kind: "crawl", url: `${site}/docs/page-3.html`, limits: { maxDepth: 1 } })).json()) as { source: SourceRecord };
    let sync: SyncReport | undefined;
    for (let i = 0; i < 100 && sync?.status !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      sync = ((await (await request("GET", `/v1/admin/bots/${botId}/sources/${created.source.id}`)).json()) as { sync: SyncReport }).sync;
    }
    // page-3 itself, its links to pages 31-40, and the header's index, page-1?ref=nav (a duplicate) and page-2.
    expect(sync).toMatchObject({ status: "completed", found: 14, indexed: 13, duplicate: 1 });
  });
});
