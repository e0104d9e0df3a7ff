import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";

export { freePort };
import type { TestProject } from "vitest/node";
// @ts-expect-error: a plain .mjs script shared with `npm start`
import { startWranglerDev } from "../../scripts/wrangler-dev.mjs";
// @ts-expect-error: a plain .mjs script shared with `npm start`
import { seedDemoBot } from "../../scripts/seed-demo-bot.mjs";

const E2E_ADMIN_TOKEN = "e2e-admin-token";

/** The worker under test may fetch the fixture website (fixture-site-global-setup.ts), and nothing else private. */
export function e2eFetchAllowance(): Record<string, string> {
  return { EDGECHAT_FETCH_ALLOW_HOSTS: `127.0.0.1:${process.env.EDGECHAT_E2E_FIXTURE_SITE_PORT}` };
}

// Serves the built product with `wrangler dev` (real workerd, fresh local state) for the
// end-to-end tests; the URL is handed to them with `inject("baseUrl")`.
export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "edgechat-e2e-"));
  const port = await freePort();
  const worker = await startWranglerDev({ port, persistTo, vars: { OFFLINE_MODEL_DELAY_MS: "15", ADMIN_TOKEN: E2E_ADMIN_TOKEN, SESSION_SECRET: "e2e-session-secret-of-enough-length", ...e2eFetchAllowance() } });
  await seedDemoBot({ url: worker.url, adminToken: E2E_ADMIN_TOKEN });
  const provide = project.provide as (key: string, value: unknown) => void;
  provide("baseUrl", worker.url);
  provide("adminToken", E2E_ADMIN_TOKEN);
  return async () => {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
