// npm run size: builds the script-tag bundle and the owner console and fails when a gzip size is over its budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

export const WIDGET_GZIP_BUDGET_BYTES = 20_000;
/** The owner console's JS + CSS (every file under dist/public/admin/assets), gzip -9 each, summed. */
export const CONSOLE_GZIP_BUDGET_BYTES = 60_000;

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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv.includes("--no-build")) {
    const { build } = await import("vite");
    process.env.BUILD_TARGET = "script";
    await build({ configFile: "vite.config.ts", logLevel: "warn" });
    await build({ configFile: "console/vite.config.ts", logLevel: "warn" });
  }
  const { raw, gzip, brotli } = widgetBundleSizes();
  const verdict = gzip <= WIDGET_GZIP_BUDGET_BYTES ? "within" : "OVER";
  console.log(
    `widget.js: ${raw} bytes raw, ${gzip} bytes gzip -9, ${brotli} bytes brotli; ` +
      `${verdict} the gzip budget of ${WIDGET_GZIP_BUDGET_BYTES} bytes`,
  );
  const console_ = consoleBundleSizes();
  const consoleVerdict = console_.gzip <= CONSOLE_GZIP_BUDGET_BYTES ? "within" : "OVER";
  console.log(
    `console (/admin, ${console_.files.map((f) => `${f.name} ${f.gzip}`).join(", ")}): ${console_.raw} bytes raw, ` +
      `${console_.gzip} bytes gzip -9; ${consoleVerdict} the gzip budget of ${CONSOLE_GZIP_BUDGET_BYTES} bytes`,
  );
  if (gzip > WIDGET_GZIP_BUDGET_BYTES || console_.gzip > CONSOLE_GZIP_BUDGET_BYTES) process.exit(1);
}
