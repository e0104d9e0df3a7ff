import type { TestProject } from "vitest/node";
import { startFixtureSite } from "./fixture-site-server";

// Serves the generated fixture website (test/support/fixture-site-server.ts) for the knowledge-source tests;
// its origin is handed over with `inject("fixtureSiteUrl")`.
export default async function setup(project: TestProject) {
  // The port vitest.config.ts chose (and allowed the worker to fetch).
  const site = await startFixtureSite(Number(process.env.EDGECHAT_FIXTURE_SITE_PORT ?? 0));
  (project.provide as (key: string, value: unknown) => void)("fixtureSiteUrl", site.url);
  return () => site.close();
}
