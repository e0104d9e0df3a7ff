import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// Three builds from one source (scripts/build.mjs runs them):
//  - BUILD_TARGET=script: the script-tag bundle, one minified IIFE at dist/public/widget.js;
//  - BUILD_TARGET=script-live: its second file, dist/public/widget-live.js (the live channel of a takeover,
//    loaded on demand: widget/client/live-channel-loader.ts stands in for live-channel.ts in widget.js);
//  - BUILD_TARGET=lib:    ESM for npm users (edgechat, edgechat/client, edgechat/worker, edgechat/worker/pdf), dependencies external.
const target = process.env.BUILD_TARGET ?? "script";

/** A minified IIFE in dist/public, for a site's <script> tag. */
const scriptBuild = (entry: string, name: string, fileName: string) => ({
  outDir: "dist/public",
  emptyOutDir: false,
  target: "es2022",
  minify: true,
  sourcemap: false,
  lib: { entry, formats: ["iife" as const], name, fileName: () => fileName },
});

export default defineConfig(
  target === "script-live"
    ? { publicDir: false, build: scriptBuild("widget/client/live-channel-script.ts", "edgechatLive", "widget-live.js") }
    : target === "script"
    ? {
        plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
        publicDir: false,
        resolve: {
          alias: [{ find: /^\.\/live-channel$/, replacement: fileURLToPath(new URL("./widget/client/live-channel-loader.ts", import.meta.url)) }],
        },
        build: scriptBuild("widget/script-tag.ts", "edgechatWidget", "widget.js"),
      }
    : {
        plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
        publicDir: false,
        build: {
          outDir: "dist/lib",
          emptyOutDir: true,
          target: "es2022",
          minify: false,
          // No maps: the ESM is unminified and readable as shipped, and maps with sources doubled the tarball.
          sourcemap: false,
          lib: {
            // worker-pdf: `edgechat/worker/pdf`, the PDF reader (unpdf stays the user's dependency, external here).
            entry: { index: "widget/index.ts", client: "widget/client/index.ts", worker: "worker/index.ts", "worker-pdf": "worker/pdf.ts" },
            formats: ["es"],
            fileName: (_format, name) => `${name}.js`,
          },
          rollupOptions: {
            external: [/^preact(\/|$)/, /^ai(\/|$)/, /^@ai-sdk\//, /^zod(\/|$)/, /^cloudflare:/, /^unpdf(\/|$)/],
          },
        },
      },
);
