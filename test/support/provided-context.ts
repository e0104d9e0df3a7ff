// Values the Node-side global setup hands to the worker tests (see fake-openai-global-setup.ts).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL (ending in /v1) of the fake OpenAI-compatible server on 127.0.0.1. */
    fakeOpenAIUrl: string;
    /** Base URL of the fake Turnstile verifier and webhook receiver (test/support/fake-services-server.ts). */
    fakeServicesUrl: string;
    /** Origin (http://127.0.0.1:PORT) of the generated fixture website (test/support/fixture-site-server.ts). */
    fixtureSiteUrl: string;
    /** Origin of the `wrangler dev` server the end-to-end tests run against. */
    baseUrl: string;
    /** The admin token of that server. */
    adminToken: string;
  }
}
