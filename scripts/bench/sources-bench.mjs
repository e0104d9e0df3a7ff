// Knowledge sources: a crawl + index of the generated fixture website (test/support/fixture-site-server.ts) by a
// local worker (wrangler dev, real workerd, Miniflare's Queues), the embedding calls of a re-sync of the unchanged
// site (counted by the fake OpenAI-compatible server the second worker embeds with), and what PDF support adds
// to the worker's bundle (wrangler's own dry-run builds of worker/demo-main.ts, which reads PDFs, and of the
// deployable worker/main.ts, which does not). The syncs run the offline demo's entry, demo-main.ts (npm start).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { startWranglerDev } from "../wrangler-dev.mjs";
import { figure } from "./stats.mjs";

const ADMIN_TOKEN = "bench-admin-token";
/** The offline demo's Worker (npm start): the deployable one plus PDF reading. */
const DEMO_ENTRY = "worker/demo-main.ts";
const QUIET_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };

/** The test-support servers are TypeScript: bundle them for Node once. */
async function loadTestServer(entry, dir) {
  const outfile = join(dir, `${entry.split("/").pop().replace(/\.ts$/, "")}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile, logLevel: "error" });
  return import(outfile);
}

/**
 * @param {{ runs?: number, log?: (line: string) => void }} [options]
 */
export async function sourcesBench({ runs = 2, log = console.error } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "edgechat-sources-bench-"));
  const figures = {};
  try {
    const { startFixtureSite } = await loadTestServer("test/support/fixture-site-server.ts", dir);
    const { startFakeOpenAIServer } = await loadTestServer("test/support/fake-openai-server.ts", dir);
    const { freePort } = await loadTestServer("test/support/free-port.ts", dir);
    const site = await startFixtureSite(await freePort());
    try {
      // 1. Pages per minute, offline models (the demo's), one fresh worker per run.
      const rates = [];
      for (let run = 0; run < runs; run++) {
        const worker = await startWorker(dir, site, { OFFLINE_MODEL_DELAY_MS: "0" }, `offline-${run}`);
        try {
          const { seconds, sync } = await crawl(worker.url, site.url, `bench-${run}`);
          rates.push((sync.found / seconds) * 60);
          log(`  sources: crawl of ${sync.found} pages (${sync.indexed} indexed) in ${seconds.toFixed(1)} s`);
        } finally {
          await worker.stop();
        }
      }
      figures["sources.crawlRate"] = figure(rates, "pages/min", { label: "sources: crawl + index of the fixture site (offline models, wrangler dev)" });

      // 2. Embedding calls of a re-sync of the unchanged site: the worker embeds through a local OpenAI-compatible
      //    server that records every call.
      const openai = await startFakeOpenAIServer();
      const worker = await startWorker(dir, site, { OPENAI_API_KEY: "bench-key", OPENAI_BASE_URL: openai.url, OFFLINE_MODEL_DELAY_MS: "0" }, "counted");
      try {
        const { sourceId } = await crawl(worker.url, site.url, "bench-counted");
        const embeddingCalls = async () => (await (await fetch(`${openai.url.replace(/\/v1$/, "")}/__calls`)).json()).filter((call) => call.path.endsWith("/embeddings")).length;
        const first = await embeddingCalls();
        const started = performance.now();
        const resync = await syncAgain(worker.url, "bench-counted", sourceId);
        const seconds = (performance.now() - started) / 1000;
        const calls = (await embeddingCalls()) - first;
        log(`  sources: first sync made ${first} embedding calls; the unchanged re-sync ${calls} (${resync.unchanged} unchanged, ${seconds.toFixed(1)} s)`);
        figures["sources.resyncEmbeddingCalls"] = { median: calls, p95: calls, unit: "calls", samples: 1, label: "sources: embedding calls of a re-sync of the unchanged site", target: { max: 0 } };
        figures["sources.resyncRate"] = figure([(resync.found / seconds) * 60], "pages/min", { label: "sources: re-sync of the unchanged site (conditional requests, lastmod)" });
      } finally {
        await worker.stop();
        await openai.close();
      }
    } finally {
      await site.close();
    }

    // 3. Bundle: wrangler's production build of the demo's entry (PDF reading) and of the deployable one (none).
    const withPdf = bundleGzip(join(dir, "with-pdf"), [DEMO_ENTRY]);
    const withoutPdf = bundleGzip(join(dir, "without-pdf"));
    figures["sources.bundleGzip"] = { median: withPdf / 1024, p95: withPdf / 1024, unit: "KiB", samples: 1, label: "the demo worker, worker/demo-main.ts (reads PDFs), gzip -9 (wrangler deploy --dry-run)" };
    figures["sources.bundleGzipWithoutPdf"] = { median: withoutPdf / 1024, p95: withoutPdf / 1024, unit: "KiB", samples: 1, label: "the deployable worker/main.ts, without unpdf/PDF.js (what PDF support adds: the difference)" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

async function startWorker(dir, site, vars, name) {
  const { freePort } = await loadTestServer("test/support/free-port.ts", dir);
  return startWranglerDev({
    port: await freePort(),
    script: DEMO_ENTRY,
    persistTo: mkdtempSync(join(dir, `state-${name}-`)),
    vars: { ADMIN_TOKEN, SESSION_SECRET: "bench-session-secret-of-enough-length", EDGECHAT_FETCH_ALLOW_HOSTS: `127.0.0.1:${site.port}`, ...vars },
  });
}

async function admin(url, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function crawl(url, siteUrl, botId) {
  await admin(url, "POST", "/v1/admin/bots", { id: botId, name: "Sources bench" });
  const started = performance.now();
  const { source } = await admin(url, "POST", `/v1/admin/bots/${botId}/sources`, { kind: "crawl", url: `${siteUrl}/docs/index.html`, limits: { maxDepth: 3 } });
  const sync = await waitForSync(url, botId, source.id);
  return { seconds: (performance.now() - started) / 1000, sync, sourceId: source.id };
}

async function syncAgain(url, botId, sourceId) {
  await admin(url, "POST", `/v1/admin/bots/${botId}/sources/${sourceId}/sync`);
  return waitForSync(url, botId, sourceId);
}

async function waitForSync(url, botId, sourceId) {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const { sync } = await admin(url, "GET", `/v1/admin/bots/${botId}/sources/${sourceId}`);
    if (sync && sync.status !== "running") {
      if (sync.status !== "completed") throw new Error(`the sync ended ${sync.status}`);
      return sync;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the sync did not finish within 10 minutes");
}

/** gzip -9 bytes of the Worker script `wrangler deploy --dry-run` builds (of `entry`, else wrangler.jsonc's main). */
function bundleGzip(outdir, entry = []) {
  execFileSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", ...entry, "--dry-run", "--outdir", outdir], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...QUIET_ENV } });
  const script = readdirSync(outdir).find((name) => name.endsWith(".js"));
  return gzipSync(readFileSync(join(outdir, script)), { level: 9 }).length;
}
