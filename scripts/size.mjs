// npm run size: builds the script-tag bundle and fails when its gzip size is over the budget.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

export const WIDGET_GZIP_BUDGET_BYTES = 20_000;

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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv.includes("--no-build")) {
    const { build } = await import("vite");
    process.env.BUILD_TARGET = "script";
    await build({ configFile: "vite.config.ts", logLevel: "warn" });
  }
  const { raw, gzip, brotli } = widgetBundleSizes();
  const verdict = gzip <= WIDGET_GZIP_BUDGET_BYTES ? "within" : "OVER";
  console.log(
    `widget.js: ${raw} bytes raw, ${gzip} bytes gzip -9, ${brotli} bytes brotli; ` +
      `${verdict} the gzip budget of ${WIDGET_GZIP_BUDGET_BYTES} bytes`,
  );
  if (gzip > WIDGET_GZIP_BUDGET_BYTES) process.exit(1);
}
