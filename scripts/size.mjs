// npm run size: builds the script-tag bundle, the owner console and the Worker as `wrangler deploy` would upload
// it, and fails when any is over its gzip budget. The Worker script is the same in both configurations (a real embedding
// provider, or the offline demo); the offline one also fetches the word-vector asset once per isolate.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

export const WIDGET_GZIP_BUDGET_BYTES = 20_000;
/** widget.js's second file, loaded only when a visitor asks for a person or one takes over (docs/takeover.md). */
export const WIDGET_LIVE_GZIP_BUDGET_BYTES = 2_000;
/** The owner console's JS + CSS (every file under dist/public/admin/assets), gzip -9 each, summed. */
export const CONSOLE_GZIP_BUDGET_BYTES = 60_000;
/** What a Worker using edgechat uploads (gzip, as wrangler reports it): well under the Free plan's 3 MB. */
export const WORKER_GZIP_BUDGET_BYTES = 500_000;
/** The offline models' word vectors, a static asset fetched once per isolate when the worker runs offline. */
export const WORD_VECTORS_ASSET_GZIP_BUDGET_BYTES = 1_900_000;

/**
 * The script-tag bundle's size as a site serves it: raw, gzip -9 and brotli (quality 11) bytes.
 *
 * @example
 * widgetBundleSizes() // { raw: 49352, gzip: 19180, brotli: 17101 }
 */
export function widgetBundleSizes(path = "dist/public/widget.js") {
  const bytes = readFileSync(path);
  return {
    raw: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

/**
 * The owner console's files as a browser loads them: each file's raw and gzip -9 bytes, and the totals.
 *
 * @example
 * consoleBundleSizes().gzip // 31544
 */
export function consoleBundleSizes(directory = "dist/public/admin/assets") {
  const files = readdirSync(directory)
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => {
      const bytes = readFileSync(join(directory, name));
      return { name, raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
    });
  return { files, raw: files.reduce((sum, f) => sum + f.raw, 0), gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
}

/**
 * The Worker's upload as `wrangler deploy --dry-run --outdir` reports it ("Total Upload: X KiB / gzip: Y KiB"), in bytes.
 *
 * @example
 * workerUploadSizes() // { raw: 2195985, gzip: 398244 }
 */
export function workerUploadSizes(config = "wrangler.jsonc") {
  const outdir = mkdtempSync(join(tmpdir(), "edgechat-size-"));
  try {
    const result = spawnSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--config", config, "--outdir", outdir], {
      encoding: "utf8",
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    });
    const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(`${result.stdout}${result.stderr}`);
    if (result.status !== 0 || !match) throw new Error(`wrangler deploy --dry-run failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
    return { raw: Math.round(Number(match[1]) * 1024), gzip: Math.round(Number(match[2]) * 1024) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Gzip -9 bytes of a file. */
export function gzipBytes(path) {
  return gzipSync(readFileSync(path), { level: 9 }).byteLength;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv.includes("--no-build")) {
    const { build } = await import("vite");
    for (const target of ["script", "script-live"]) {
      process.env.BUILD_TARGET = target;
      await build({ configFile: "vite.config.ts", logLevel: "warn" });
    }
    await build({ configFile: "console/vite.config.ts", logLevel: "warn" });
  }
  const { writeWordVectorsAsset } = await import("./support/word-vectors-asset.mjs");
  const verdict = (bytes, budget) => (bytes <= budget ? "within" : "OVER");
  const { raw, gzip, brotli } = widgetBundleSizes();
  console.log(
    `widget.js: ${raw} bytes raw, ${gzip} bytes gzip -9, ${brotli} bytes brotli; ` +
      `${verdict(gzip, WIDGET_GZIP_BUDGET_BYTES)} the gzip budget of ${WIDGET_GZIP_BUDGET_BYTES} bytes`,
  );
  const live = widgetBundleSizes("dist/public/widget-live.js");
  console.log(
    `widget-live.js (loaded on demand in a takeover): ${live.raw} bytes raw, ${live.gzip} bytes gzip -9; ` +
      `${verdict(live.gzip, WIDGET_LIVE_GZIP_BUDGET_BYTES)} its gzip budget of ${WIDGET_LIVE_GZIP_BUDGET_BYTES} bytes`,
  );
  const console_ = consoleBundleSizes();
  console.log(
    `console (/admin, ${console_.files.map((f) => `${f.name} ${f.gzip}`).join(", ")}): ${console_.raw} bytes raw, ` +
      `${console_.gzip} bytes gzip -9; ${verdict(console_.gzip, CONSOLE_GZIP_BUDGET_BYTES)} the gzip budget of ${CONSOLE_GZIP_BUDGET_BYTES} bytes`,
  );
  const worker = workerUploadSizes();
  console.log(
    `worker upload (wrangler deploy --dry-run; with a real embedding provider this is all): ${worker.raw} bytes, ${worker.gzip} bytes gzip; ` +
      `${verdict(worker.gzip, WORKER_GZIP_BUDGET_BYTES)} the gzip budget of ${WORKER_GZIP_BUDGET_BYTES} bytes`,
  );
  const asset = gzipBytes(writeWordVectorsAsset("dist/public"));
  console.log(
    `offline demo: the same upload, plus the word-vector asset fetched once per isolate: ${asset} bytes gzip -9 ` +
      `(${verdict(asset, WORD_VECTORS_ASSET_GZIP_BUDGET_BYTES)} its budget of ${WORD_VECTORS_ASSET_GZIP_BUDGET_BYTES} bytes; a static asset, not part of the script)`,
  );
  if (gzip > WIDGET_GZIP_BUDGET_BYTES || live.gzip > WIDGET_LIVE_GZIP_BUDGET_BYTES || console_.gzip > CONSOLE_GZIP_BUDGET_BYTES || worker.gzip > WORKER_GZIP_BUDGET_BYTES || asset > WORD_VECTORS_ASSET_GZIP_BUDGET_BYTES) process.exit(1);
}
