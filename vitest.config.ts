import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { freePort } from "./test/support/free-port";
import { writeWordVectorsAsset } from "./scripts/support/word-vectors-asset.mjs";

// Three projects, one per place the code runs:
//  - unit:   pure logic of the widget and scripts, in Node;
//  - worker: the Worker in real workerd with real D1/R2/DO bindings (vitest-pool-workers);
//  - e2e:    the built product served by `wrangler dev`, driven in Debian's Chromium.
const d1Migrations = await readD1Migrations("./migrations");
// The knowledge-source tests' fixture website (test/support/fixture-site-server.ts) and the fake webhook receiver
// (test/support/fake-services-server.ts) listen on these ports, and the worker under test may reach exactly these
// two 127.0.0.1:<port> hosts despite the SSRF guard (EDGECHAT_FETCH_ALLOW_HOSTS).
process.env.EDGECHAT_FIXTURE_SITE_PORT ??= String(await freePort());
// The e2e project's own fixture website, which its `wrangler dev` may fetch (test/support/e2e-global-setup.ts).
process.env.EDGECHAT_E2E_FIXTURE_SITE_PORT ??= String(await freePort());
process.env.EDGECHAT_FAKE_SERVICES_PORT ??= String(await freePort());
const allowedTestHosts = [process.env.EDGECHAT_FIXTURE_SITE_PORT, process.env.EDGECHAT_FAKE_SERVICES_PORT].map((port) => `127.0.0.1:${port}`).join(",");
// The worker project's offline models fetch their word vectors through ASSETS (dist/public), built or not.
writeWordVectorsAsset("dist/public");

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["widget/**/*.test.ts", "scripts/**/*.test.ts", "bin/**/*.test.ts", "console/**/*.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                OFFLINE_MODEL_DELAY_MS: "0",
                ADMIN_TOKEN: "test-admin-token",
                SESSION_SECRET: "test-session-secret-of-32-characters",
                TEST_D1_MIGRATIONS: d1Migrations,
                EDGECHAT_FETCH_ALLOW_HOSTS: allowedTestHosts,
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["worker/**/*.test.ts"],
          setupFiles: ["./worker/test-support/apply-d1-migrations.ts"],
          globalSetup: ["./test/support/fake-openai-global-setup.ts", "./test/support/fake-services-global-setup.ts", "./test/support/fixture-site-global-setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/**/*.test.ts"],
          // The fixture website too: the console's Sources page and the restart test sync it through wrangler dev.
          globalSetup: ["./test/support/fixture-site-global-setup.ts", "./test/support/e2e-global-setup.ts"],
          fileParallelism: false,
          // A page in Chromium beside wrangler dev on 2 cores can take seconds to settle; polls wait, assertions are unchanged.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
