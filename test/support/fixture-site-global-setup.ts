import type { TestProject } from "vitest/node";
import { startFixtureSite } from "./fixture-site-server";

// Serves the generated fixture website (test/support/fixture-site-server.ts) for the knowledge-source tests;
// its origin is handed over with `inject("fixtureSiteUrl")`. The worker and e2e projects each get their own
// site (their tests change and count its pages, and run at the same time).
export default async function setup(project: TestProject) {
  // The port vitest.config.ts chose (and allowed the worker under test to fetch).
  const port = project.name === "e2e" ? process.env.EDGECHAT_E2E_FIXTURE_SITE_PORT : process.env.EDGECHAT_FIXTURE_SITE_PORT;
  const site = await startFixtureSite(Number(port ?? 0));
  (project.provide as (key: string, value: unknown) => void)("fixtureSiteUrl", site.url);
  return () => site.close();
}
