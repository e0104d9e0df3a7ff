import type { TestProject } from "vitest/node";
import { startFakeServices } from "./fake-services-server";

// Starts the fake Turnstile verifier and handoff webhook receiver in Node for the worker tests;
// its URL is handed over with `inject("fakeServicesUrl")`.
export default async function setup(project: TestProject) {
  // The port vitest.config.ts chose (and allowed the worker's guarded fetcher to reach, for handoff webhooks).
  const services = await startFakeServices(Number(process.env.EDGECHAT_FAKE_SERVICES_PORT ?? 0));
  (project.provide as (key: string, value: unknown) => void)("fakeServicesUrl", services.url);
  return () => services.close();
}
