// npm run size: builds the script-tag bundle and fails when its gzip size is over the budget.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { build } from "vite";

export const WIDGET_GZIP_BUDGET_BYTES = 20_000;

if (!process.argv.includes("--no-build")) {
  process.env.BUILD_TARGET = "script";
  await build({ configFile: "vite.config.ts", logLevel: "warn" });
}
const bytes = readFileSync("dist/public/widget.js");
const gzip = gzipSync(bytes, { level: 9 }).byteLength;
const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;
const verdict = gzip <= WIDGET_GZIP_BUDGET_BYTES ? "within" : "OVER";
console.log(
  `widget.js: ${bytes.byteLength} bytes raw, ${gzip} bytes gzip -9, ${brotli} bytes brotli; ` +
    `${verdict} the gzip budget of ${WIDGET_GZIP_BUDGET_BYTES} bytes`,
);
if (gzip > WIDGET_GZIP_BUDGET_BYTES) process.exit(1);
