import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { packedBundledWordVectors } from "../test-support/bundled-word-vectors";
import { SHIPPED_WORD_VECTORS_ASSET } from "./word-vectors-from-assets";

// An isolate's first offline turn should not wait for the word vectors: the worker loads them beside the
// first request it gets, whatever it is, and then never again.
describe("offline word vectors, loaded ahead", () => {
  it("are fetched from ASSETS beside the first request of an isolate, once, and not for a worker with its own models", async () => {
    const requested: string[] = [];
    const ASSETS = {
      fetch: async (input: RequestInfo | URL) => {
        requested.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
        return new Response(JSON.stringify(packedBundledWordVectors()));
      },
    } as unknown as Fetcher;
    const env: EdgechatEnv = { ASSETS };

    const custom = createEdgechatWorker({ models: { chat: {} as never, source: "custom" } });
    let ctx = createExecutionContext();
    expect((await custom.fetch(new Request("https://w.example/v1/health"), env, ctx)).status).toBe(200);
    await waitOnExecutionContext(ctx);
    expect(requested).toEqual([]);

    const offline = createEdgechatWorker();
    for (let i = 0; i < 2; i++) {
      ctx = createExecutionContext();
      expect((await offline.fetch(new Request("https://w.example/v1/health"), env, ctx)).status).toBe(200);
      await waitOnExecutionContext(ctx);
    }
    expect(requested).toEqual([SHIPPED_WORD_VECTORS_ASSET]);
  });
});
