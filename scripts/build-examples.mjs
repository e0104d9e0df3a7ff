// npm run build:examples: builds the SPA, React and headless examples with Vite, importing
// `edgechat` and `edgechat/client` exactly as npm users do, resolved to this package's built
// ESM (dist/lib, from `npm run build`). Output: dist/public/examples/<name>/, so `npm start`
// serves them at /examples/<name>/.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "vite";

if (!existsSync("dist/lib/index.js")) {
  console.error("build:examples needs the library: run `npm run build` first.");
  process.exit(1);
}
const started = Date.now();
for (const name of ["spa", "react", "custom-ui"]) {
  await build({
    configFile: false,
    logLevel: "warn",
    root: resolve("examples", name),
    base: `/examples/${name}/`,
    resolve: {
      alias: [
        { find: /^edgechat\/client$/, replacement: resolve("dist/lib/client.js") },
        { find: /^edgechat$/, replacement: resolve("dist/lib/index.js") },
      ],
    },
    build: { outDir: resolve("dist/public/examples", name), emptyOutDir: true, target: "es2020" },
  });
}
console.log(`edgechat: built the examples in ${((Date.now() - started) / 1000).toFixed(1)} s`);
