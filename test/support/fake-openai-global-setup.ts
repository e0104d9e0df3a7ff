import type { TestProject } from "vitest/node";
import { startFakeOpenAIServer } from "./fake-openai-server";

// Starts the fake OpenAI-compatible server in Node for the worker tests, which run in
// workerd and reach it over 127.0.0.1; its URL is handed over with `inject("fakeOpenAIUrl")`.
export default async function setup(project: TestProject) {
  const server = await startFakeOpenAIServer();
  // The ProvidedContext key is declared in provided-context.ts for the tests that inject it.
  (project.provide as (key: string, value: unknown) => void)("fakeOpenAIUrl", server.url);
  return () => server.close();
}

