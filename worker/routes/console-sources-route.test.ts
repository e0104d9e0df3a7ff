import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { modelsFromEnv } from "../models/model-set";
import { callWorker, seedBot } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";
import { drainSyncQueue, RecordingSyncQueue } from "../test-support/source-sync-driver";
import type { SourceRecord, SyncReport } from "../sources/source-types";

const site = inject("fixtureSiteUrl");
const queue = new RecordingSyncQueue();
const bindings = { ...(env as unknown as EdgechatEnv), SOURCE_SYNC_QUEUE: queue as unknown as EdgechatEnv["SOURCE_SYNC_QUEUE"] };
const worker = createEdgechatWorker({ models: modelsFromEnv(bindings) });
const call = (request: Request) => callWorker(worker, request, bindings);

describe("console sources API", () => {
  it("lets an editor add, sync, cancel and remove a bot's sources; the documents list names their source", { timeout: 60_000 }, async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "editor", bots: [bot.id] }, bindings);
    const base = `/v1/console/bots/${bot.id}/sources`;

    const created = await call(consoleRequest("POST", base, { cookie, body: { kind: "crawl", url: `${site}/docs/index.html`, schedule: "weekly", limits: { maxPages: 6 } } }));
    expect(created.status).toBe(201);
    const { source, sync } = (await created.json()) as { source: SourceRecord; sync: SyncReport };
    expect(source).toMatchObject({ kind: "crawl", schedule: "weekly", limits: { maxPages: 6 }, currentSyncId: sync.id });
    expect(sync.status).toBe("running");
    // A second sync while one runs is refused; cancelling ends it.
    expect((await call(consoleRequest("POST", `${base}/${source.id}/sync`, { cookie }))).status).toBe(409);
    expect(await (await call(consoleRequest("POST", `${base}/${source.id}/cancel`, { cookie }))).json()).toEqual({ cancelled: sync.id });
    await drainSyncQueue(worker, bindings, queue);

    const resynced = await call(consoleRequest("POST", `${base}/${source.id}/sync`, { cookie }));
    expect(resynced.status).toBe(202);
    await drainSyncQueue(worker, bindings, queue);
    const listed = (await (await call(consoleRequest("GET", base, { cookie }))).json()) as { sources: (SourceRecord & { sync: SyncReport })[] };
    expect(listed.sources.map((entry) => [entry.id, entry.sync.status, entry.sync.found, entry.sync.indexed])).toEqual([[source.id, "completed", 6, 6]]);
    const one = (await (await call(consoleRequest("GET", `${base}/${source.id}`, { cookie }))).json()) as { source: SourceRecord; sync: SyncReport };
    expect(one.source.lastSyncId).toBe(one.sync.id);

    const documents = (await (await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/documents`, { cookie }))).json()) as { documents: { sourceId: string | null }[] };
    expect(documents.documents).toHaveLength(6);
    expect(documents.documents.every((document) => document.sourceId === source.id)).toBe(true);

    const removed = await call(consoleRequest("DELETE", `${base}/${source.id}`, { cookie }));
    expect(await removed.json()).toEqual({ deleted: source.id, documents: 6 });
    expect(((await (await call(consoleRequest("GET", `/v1/console/bots/${bot.id}/documents`, { cookie }))).json()) as { documents: unknown[] }).documents).toEqual([]);
    expect((await call(consoleRequest("GET", `${base}/${source.id}`, { cookie }))).status).toBe(404);
  });

  it("refuses an agent (no documents access) 403, answers 404 out of scope, and refuses a private address", async () => {
    const { bot } = await seedBot();
    const other = (await seedBot()).bot;
    const editor = await signedInMember(worker, { role: "editor", bots: [bot.id] }, bindings);
    const agent = await signedInMember(worker, { role: "agent", bots: [bot.id] }, bindings);
    const base = `/v1/console/bots/${bot.id}/sources`;
    const created = await call(consoleRequest("POST", base, { cookie: editor.cookie, body: { kind: "url", url: `${site}/docs/page-3.html` } }));
    const { source } = (await created.json()) as { source: SourceRecord };
    await drainSyncQueue(worker, bindings, queue);

    expect((await call(consoleRequest("GET", base, { cookie: editor.cookie }))).status).toBe(200);
    for (const [method, path] of [["GET", base], ["GET", `${base}/${source.id}`], ["POST", base], ["POST", `${base}/${source.id}/sync`], ["POST", `${base}/${source.id}/cancel`], ["DELETE", `${base}/${source.id}`]] as const) {
      const response = await call(consoleRequest(method, path, { cookie: agent.cookie, body: method === "POST" && path === base ? { kind: "url", url: `${site}/docs/page-4.html` } : undefined }));
      expect([method, path, response.status]).toEqual([method, path, 403]);
    }
    // Another bot's sources: the same answer as a bot that does not exist.
    for (const path of [`/v1/console/bots/${other.id}/sources`, `/v1/console/bots/${other.id}/sources/${source.id}`]) {
      const response = await call(consoleRequest("GET", path, { cookie: editor.cookie }));
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bot_not_found");
    }
    // A source id of this bot asked through another bot is not found either.
    const crossed = await call(consoleRequest("POST", `/v1/console/bots/${other.id}/sources/${source.id}/sync`, { cookie: (await signedInMember(worker, { role: "editor", bots: "all" }, bindings)).cookie }));
    expect(crossed.status).toBe(404);
    const refused = await call(consoleRequest("POST", base, { cookie: editor.cookie, body: { kind: "url", url: "http://[::ffff:127.0.0.1]:8080/" } }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("url_not_allowed");
    // Without a session, nothing.
    expect((await call(consoleRequest("GET", base))).status).toBe(401);
  });
});
