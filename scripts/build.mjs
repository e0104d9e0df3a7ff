// npm run build: the script-tag bundle, the npm library, the owner console, type declarations and the demo pages.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { build } from "vite";
import { writePackageDeclarations } from "./support/package-declarations.mjs";
import { writeWordVectorsAsset } from "./support/word-vectors-asset.mjs";

const started = Date.now();
rmSync("dist/public", { recursive: true, force: true });
mkdirSync("dist/public", { recursive: true });

for (const target of ["script", "script-live", "lib"]) {
  process.env.BUILD_TARGET = target;
  await build({ configFile: "vite.config.ts", logLevel: "warn" });
}
// The owner console (/admin): its own bundle under dist/public/admin/assets, nothing shared with widget.js.
await build({ configFile: "console/vite.config.ts", logLevel: "warn" });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-b"], { stdio: "inherit" });
// The package's types: tsc's declarations with explicit .js imports (NodeNext), without test helpers.
writePackageDeclarations("dist/types", "dist/declarations");

// The offline models' word vectors, fetched through ASSETS when the worker first runs offline.
writeWordVectorsAsset("dist/public");
// The demo site served by the worker's static assets: the script-tag example at /.
cpSync("examples/script-tag", "dist/public", { recursive: true });

console.log(`edgechat: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
