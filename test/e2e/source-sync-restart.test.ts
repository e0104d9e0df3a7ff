import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { e2eFetchAllowance, freePort } from "../support/e2e-global-setup";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../support/fake-openai-server";
import { DEEP_FACT, PAGE_COUNT } from "../support/fixture-site-server";
import { textPdf } from "../../worker/test-support/pdf-fixtures";
// @ts-expect-error: a plain .mjs script shared with `npm start`
import { startWranglerDev, WRANGLER } from "../../scripts/wrangler-dev.mjs";

// A sync that outlives its worker: a crawl of the fixture website by `wrangler dev` (the offline demo's entry,
// worker/demo-main.ts: real workerd, Miniflare's queue, D1 on disk), stopped midway like a crashed or redeployed
// worker (its process group killed), started again on the same local state. The sync must finish, once, and no
// page may be indexed twice: the local D1 on disk says which pages were done when the worker stopped and how many
// chunks each page has in the end, and the worker embeds through the fake OpenAI-compatible server, which records
// every text it was asked to embed.
const site = inject("fixtureSiteUrl");
const ADMIN_TOKEN = "restart-admin-token";
let openai: FakeOpenAIServer;
let persistTo = "";
let worker: { url: string; stop: () => Promise<void> } | undefined;

beforeAll(async () => {
  openai = await startFakeOpenAIServer();
  persistTo = mkdtempSync(join(tmpdir(), "edgechat-restart-"));
});
afterAll(async () => {
  await worker?.stop();
  await openai?.close();
  rmSync(persistTo, { recursive: true, force: true });
});

async function start() {
  worker = await startWranglerDev({
    port: await freePort(),
    persistTo,
    script: "worker/demo-main.ts",
    testScheduled: true,
    vars: { EDGECHAT_SYNC_STALLED_AFTER_SECONDS: "2", ADMIN_TOKEN, SESSION_SECRET: "restart-session-secret-of-enough-length", OPENAI_API_KEY: "restart-key", OPENAI_BASE_URL: openai.url, ...e2eFetchAllowance() },
  });
  return worker!;
}

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${worker!.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

type Sync = { id: string; status: string; found: number; queued: number; indexed: number; duplicate: number; failed: number; unchanged: number };
type SourceState = { source: { id: string; currentSyncId: string | null; lastSyncId: string | null }; sync: Sync };

/** Rows of a query on the local D1 (on disk in persistTo), read by wrangler itself. */
function d1<T>(sql: string): T[] {
  const output = execFileSync(process.execPath, [WRANGLER, "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql], {
    encoding: "utf8",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" },
  });
  return (JSON.parse(output) as { results: T[] }[])[0]!.results;
}

/** The fixture page number of a docs page URL (`…/docs/page-42.html` → 42). */
const pageNumber = (url: string) => Number(/\/docs\/page-(\d+)\.html$/.exec(url)?.[1] ?? 0);

/** Every text the worker asked the fake server to embed, in order. */
async function embeddedTexts(): Promise<string[]> {
  const calls = (await (await fetch(`${openai.url.replace(/\/v1$/, "")}/__calls`)).json()) as { path: string; body: { input: string | string[] } }[];
  return calls.filter((call) => call.path.endsWith("/embeddings")).flatMap((call) => (Array.isArray(call.body.input) ? call.body.input : [call.body.input]));
}

describe("a source sync across a wrangler dev restart", () => {
  it("finishes once after the worker is stopped midway and started on the same state, indexing no page twice", { timeout: 400_000 }, async () => {
    await start();
    await admin("POST", "/v1/admin/bots", { id: "restart", name: "Restart bot" });
    const { source, sync: first } = await admin<SourceState>("POST", "/v1/admin/bots/restart/sources", { kind: "crawl", url: `${site}/docs/index.html`, limits: { maxDepth: 3 } });

    // Midway: some pages indexed, many still queued.
    let midway: Sync | undefined;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const { sync } = await admin<SourceState>("GET", `/v1/admin/bots/restart/sources/${source.id}`);
      if (sync.status !== "running") throw new Error(`the sync ended (${sync.status}) before the worker could be stopped midway`);
      if (sync.indexed >= 20) {
        midway = sync;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(midway).toBeDefined();
    await worker!.stop();
    worker = undefined;
    expect(midway!.queued).toBeGreaterThan(0);
    const embeddedBeforeStop = (await embeddedTexts()).length;
    // What the stopped worker finished: those pages must never be fetched, embedded or indexed again.
    const doneBeforeStop = new Set(d1<{ url: string }>(`SELECT url FROM source_pages WHERE source_id = '${source.id}' AND state = 'done'`).map((row) => pageNumber(row.url)).filter(Boolean));
    // At least most of the 20 counted as indexed (the start page and the hubs have no page number).
    expect(doneBeforeStop.size).toBeGreaterThanOrEqual(15);

    // The same local state (D1 on disk), a new process. Miniflare's queue lost its messages with the old one
    // (Cloudflare's do not): the Cron Trigger re-sends the pages the sync claimed but nobody processed, as it
    // would every 15 minutes; triggered here once, with "stalled" shortened to 2 s (the restart takes longer).
    await start();
    let state = await admin<SourceState>("GET", `/v1/admin/bots/restart/sources/${source.id}`);
    expect(state.sync.status).toBe("running");
    expect(state.sync.indexed).toBeGreaterThanOrEqual(midway!.indexed);
    expect((await fetch(`${worker!.url}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`)).status).toBe(200);
    const finish = Date.now() + 240_000;
    while (Date.now() < finish) {
      state = await admin<SourceState>("GET", `/v1/admin/bots/restart/sources/${source.id}`);
      if (state.sync.status !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The one sync started before the restart completed: nothing re-started it, nothing is left running.
    expect(state.source).toMatchObject({ currentSyncId: null, lastSyncId: first.id });
    expect(state.sync).toMatchObject({ id: first.id, status: "completed", found: PAGE_COUNT + 2, indexed: PAGE_COUNT + 1, duplicate: 1, failed: 0, queued: 0 });

    // No page indexed twice: each page's own sentence is in exactly one chunk of the index.
    const chunksOf = new Map(
      d1<{ page: string; n: number }>(
        `SELECT substr(body, instr(body, 'Article ') + 8, instr(substr(body, instr(body, 'Article ') + 8), ' ') - 1) AS page, COUNT(*) AS n FROM document_chunks_fts WHERE bot_id = 'restart' AND instr(body, ' (revision ') > 0 GROUP BY page`,
      ).map((row) => [Number(row.page), row.n]),
    );
    chunksOf.set(DEEP_FACT.page, d1<{ n: number }>("SELECT COUNT(*) AS n FROM document_chunks_fts WHERE bot_id = 'restart' AND instr(body, 'seven years') > 0")[0]!.n);
    const pages = Array.from({ length: PAGE_COUNT }, (_, i) => i + 1);
    expect(pages.filter((page) => chunksOf.get(page) !== 1)).toEqual([]);
    // Embedding: a page finished before the stop was not embedded again; the second worker embedded each other page
    // at most once (none at all for a page stored but not yet marked done at the stop: its content hash matched;
    // once for a page whose indexing the stop interrupted before its vectors were stored).
    const texts = await embeddedTexts();
    const marker = (page: number) => (page === DEEP_FACT.page ? "seven years" : `Article ${page} (revision`);
    const timesEmbeddedAfterStop = (page: number) => texts.slice(embeddedBeforeStop).filter((text) => text.includes(marker(page))).length;
    expect(texts.length).toBeGreaterThan(embeddedBeforeStop);
    expect(pages.filter((page) => doneBeforeStop.has(page) && timesEmbeddedAfterStop(page) !== 0)).toEqual([]);
    expect(pages.filter((page) => !doneBeforeStop.has(page) && timesEmbeddedAfterStop(page) > 1)).toEqual([]);
    expect(pages.filter((page) => !doneBeforeStop.has(page) && timesEmbeddedAfterStop(page) === 1).length).toBeGreaterThan(PAGE_COUNT / 2);

    // The demo's entry reads PDFs (worker/demo-main.ts): an upload is indexed page by page.
    const form = new FormData();
    form.append("file", new File([Buffer.from(textPdf([["Restart manual", "Unplug the kettle before you descale it."], ["Page two: descale it every forty days."]]))], "restart.pdf"));
    const uploaded = await fetch(`${worker!.url}/v1/admin/bots/restart/files`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: form });
    expect(((await uploaded.json()) as { results: { status: string }[] }).results[0]!.status).toBe("indexed");
    const documents = (await admin<{ documents: { id: string; url: string }[] }>("GET", "/v1/admin/bots/restart/documents")).documents;
    expect(documents.filter((document) => document.id.startsWith("restart.pdf")).map((document) => document.url)).toEqual(["/docs/restart.pdf#page=1", "/docs/restart.pdf#page=2"]);
  });
});
