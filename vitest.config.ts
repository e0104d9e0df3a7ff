import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Three projects, one per place the code runs:
//  - unit:   pure logic of the widget and scripts, in Node;
//  - worker: the Worker in real workerd with real D1/R2/DO bindings (vitest-pool-workers);
//  - e2e:    the built product served by `wrangler dev`, driven in Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["widget/**/*.test.ts", "scripts/**/*.test.ts", "bin/**/*.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: { bindings: { OFFLINE_MODEL_DELAY_MS: "0" } },
          }),
        ],
        test: {
          name: "worker",
          include: ["worker/**/*.test.ts"],
          globalSetup: ["./test/support/fake-openai-global-setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/**/*.test.ts"],
          globalSetup: ["./test/support/e2e-global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
