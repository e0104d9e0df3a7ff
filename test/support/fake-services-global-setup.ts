import type { TestProject } from "vitest/node";
import { startFakeServices } from "./fake-services-server";

// Starts the fake Turnstile verifier and handoff webhook receiver in Node for the worker tests;
// its URL is handed over with `inject("fakeServicesUrl")`.
export default async function setup(project: TestProject) {
  const services = await startFakeServices();
  (project.provide as (key: string, value: unknown) => void)("fakeServicesUrl", services.url);
  return () => services.close();
}
