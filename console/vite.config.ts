import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The owner console: its own bundle, never part of widget.js. One entry (console.js + console.css,
// fixed names the worker's HTML shell links to) and lazily loaded chunks, all under dist/public/admin/assets,
// served at /admin/assets/ (worker/routes/console-page-route.ts). `npm run size` checks their gzip budget.
export default defineConfig({
  plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
  publicDir: false,
  base: "/admin/assets/",
  build: {
    outDir: "dist/public/admin/assets",
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    sourcemap: false,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: "console/main.tsx",
      output: { entryFileNames: "console.js", chunkFileNames: "[name]-[hash].js", assetFileNames: "console[extname]" },
    },
  },
});
