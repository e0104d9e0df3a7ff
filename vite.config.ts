import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// Two builds from one source (scripts/build.mjs runs both):
//  - BUILD_TARGET=script: the script-tag bundle, one minified IIFE at dist/public/widget.js;
//  - BUILD_TARGET=lib:    ESM for npm users (edgechat, edgechat/client, edgechat/worker, edgechat/worker/pdf), dependencies external.
const target = process.env.BUILD_TARGET ?? "script";

export default defineConfig(
  target === "script"
    ? {
        plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
        publicDir: false,
        build: {
          outDir: "dist/public",
          emptyOutDir: false,
          target: "es2020",
          minify: true,
          sourcemap: false,
          lib: { entry: "widget/script-tag.ts", formats: ["iife"], name: "edgechatWidget", fileName: () => "widget.js" },
        },
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
