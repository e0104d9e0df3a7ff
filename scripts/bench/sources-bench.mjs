// Knowledge sources: a crawl + index of the generated fixture website (test/support/fixture-site-server.ts) by a
// local worker (wrangler dev, real workerd, Miniflare's Queues), the embedding calls of a re-sync of the unchanged
// site (counted by the fake OpenAI-compatible server the second worker embeds with), and what PDF support adds
// to the worker's bundle (wrangler's own dry-run build with and without unpdf).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { startWranglerDev } from "../wrangler-dev.mjs";
import { figure } from "./stats.mjs";

const ADMIN_TOKEN = "bench-admin-token";
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

    // 3. Bundle: wrangler's production build, and the same with unpdf replaced by an empty module.
    const stub = join(dir, "no-unpdf.mjs");
    writeFileSync(stub, "export const getDocumentProxy = undefined, extractText = undefined;\n");
    const withPdf = bundleGzip(join(dir, "with-pdf"));
    const withoutPdf = bundleGzip(join(dir, "without-pdf"), ["--config", configAliasing(dir, { unpdf: resolve(stub) })]);
    figures["sources.bundleGzip"] = { median: withPdf / 1024, p95: withPdf / 1024, unit: "KiB", samples: 1, label: "worker bundle, gzip -9 (wrangler deploy --dry-run)" };
    figures["sources.bundleGzipWithoutPdf"] = { median: withoutPdf / 1024, p95: withoutPdf / 1024, unit: "KiB", samples: 1, label: "the same without unpdf/PDF.js (what PDF support adds: the difference)" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

async function startWorker(dir, site, vars, name) {
  const { freePort } = await loadTestServer("test/support/free-port.ts", dir);
  return startWranglerDev({
    port: await freePort(),
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

/** wrangler.jsonc with absolute paths and `alias` entries, written to dir (wrangler's --alias flag is not applied by deploy). */
function configAliasing(dir, alias) {
  const config = JSON.parse(readFileSync("wrangler.jsonc", "utf8").split("\n").filter((line) => !line.trim().startsWith("//")).join("\n"));
  config.main = resolve(config.main);
  if (config.assets) config.assets.directory = resolve(config.assets.directory);
  delete config.$schema;
  for (const database of config.d1_databases ?? []) database.migrations_dir = resolve(database.migrations_dir);
  const path = join(dir, "wrangler-without-pdf.json");
  writeFileSync(path, JSON.stringify({ ...config, alias }));
  return path;
}

function bundleGzip(outdir, extra = []) {
  execFileSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", outdir, ...extra], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...QUIET_ENV } });
  return gzipSync(readFileSync(join(outdir, "main.js")), { level: 9 }).length;
}
