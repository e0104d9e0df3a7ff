// The worker on Workers AI, through the whole worker (routes, retrieval, routing, images, usage), with the
// fake AI binding (worker/test-support/fake-ai-binding.ts) in place of Cloudflare's, and the fake
// OpenAI-compatible server (test/support/fake-openai-server.ts) where a tier runs on OpenAI.
import { inject, beforeAll, describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { costUsd, DEFAULT_PRICES } from "../routing/price-table";
import { imageCostUsd } from "../images/image-cost";
import { createLocalVectorize } from "../vector/local-vectorize";
import { namespaceForBot } from "../bots/bot-namespace";
import { fakeVector } from "../test-support/fake-vector";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, testEnv, textOf, userMessage, type Chunk } from "../test-support/bot-fixtures";
import { createFakeAiBinding, FAKE_JPEG_BASE64, FAKE_WORKERS_AI_USAGE, fakeWorkersAiAnswerFor, type FakeAiBinding } from "../test-support/fake-ai-binding";

const fakeUrl = inject("fakeOpenAIUrl");
const fakeRoot = fakeUrl.replace(/\/v1$/, "");
const SMALL = "@cf/meta/llama-3.1-8b-instruct-fp8-fast";
const LARGE = "@cf/openai/gpt-oss-120b";
const EMBEDDER = "@cf/baai/bge-base-en-v1.5";
const FLUX = "@cf/black-forest-labs/flux-1-schnell";

// bge-base-en-v1.5 makes 768-dimension vectors: they live in their own local index (the default one is 384-dimensional).
const index768 = createLocalVectorize(testEnv.VECTOR_INDEX!, {
  name: "workers-ai-768",
  dimensions: 768,
  metric: "cosine",
  metadataIndexes: [{ propertyName: "documentId", indexType: "string" }],
});

/** The env of a worker with an AI binding and nothing else for models. */
function cloudflareEnv(ai: FakeAiBinding, extra: Partial<EdgechatEnv> = {}): EdgechatEnv {
  return { ...testEnv, AI: ai.binding, VECTORIZE: index768, ...extra };
}

const metadataOf = (chunks: Chunk[]) =>
  Object.assign({}, ...chunks.filter((chunk) => chunk.messageMetadata).map((chunk) => chunk.messageMetadata)) as Record<string, unknown>;

async function chat(env: EdgechatEnv, botId: string, question: string) {
  return chunksOf(await callWorker(createEdgechatWorker(), chatPost({ botId, messages: [userMessage(question)] }), env));
}

async function fakeServerCalls() {
  return (await (await fetch(`${fakeRoot}/__calls`)).json()) as { path: string; authorization?: string; gatewayHeaders: Record<string, string>; body: { model?: string } }[];
}

describe("with an AI binding and nothing else, the worker runs on Workers AI", () => {
  const ai = createFakeAiBinding();
  let botId = "";
  const keyRotation = {
    id: "keys",
    title: "Rotating API keys",
    url: "/docs/keys",
    format: "markdown",
    content: "# Rotating API keys\n\nTo rotate your API keys, open Settings, choose API keys and press Rotate. The old key stops working after one hour.",
  };

  beforeAll(async () => {
    botId = (await seedBot({ routing: { policy: "always-small" }, images: { enabled: true, perSession: 3, perDay: 50 } })).bot.id;
    const response = await callWorker(createEdgechatWorker(), adminRequest("POST", `/v1/admin/bots/${botId}/documents`, { documents: [keyRotation] }), cloudflareEnv(ai));
    expect(((await response.json()) as { results: unknown[] }).results).toEqual([expect.objectContaining({ id: "keys", status: "indexed" })]);
  });

  it("ingests with the Workers AI embedder: 768-dimension vectors in the index", async () => {
    const embedCalls = ai.callsOf(EMBEDDER);
    expect(embedCalls.length).toBeGreaterThan(0);
    expect(embedCalls[0]!.inputs).toEqual({ text: [expect.stringContaining("rotate your API keys")] });
    expect((await index768.describe()).dimensions).toBe(768);
    const stored = await index768.query(fakeVector("rotate your API keys", 768), { topK: 1, namespace: namespaceForBot(botId), returnValues: true, returnMetadata: "all" });
    expect(stored.matches).toHaveLength(1);
    expect(stored.matches[0]!.values).toHaveLength(768);
    expect(stored.matches[0]!.metadata).toMatchObject({ documentId: "keys" });
  });

  it("answers a turn on the small Workers AI model, with sources, usage and cost in the metadata", async () => {
    const env = cloudflareEnv(ai, { EDGECHAT_RETRIEVAL_MIN_SCORE: "0.2" });
    const question = "How do I rotate my API keys?";
    const chunks = await chat(env, botId, question);
    expect(textOf(chunks)).toBe(fakeWorkersAiAnswerFor(question));
    expect(chunks.filter((chunk) => chunk.type === "source-url")).toEqual([expect.objectContaining({ sourceId: "doc-1", url: "/docs/keys", title: "Rotating API keys" })]);
    const metadata = metadataOf(chunks);
    const usage = { inputTokens: FAKE_WORKERS_AI_USAGE.prompt_tokens, outputTokens: FAKE_WORKERS_AI_USAGE.completion_tokens };
    expect(metadata).toMatchObject({ source: "workers-ai", model: SMALL, tier: "small", grounded: true, usage });
    // Workers AI's own price ($0.045 / $0.384 per 1M tokens), not a fallback to OpenAI's.
    expect(metadata.costUsd).toBe(costUsd(DEFAULT_PRICES, SMALL, "small", usage));
    expect(metadata.costUsd).toBeCloseTo((13 * 0.045 + 9 * 0.384) / 1e6, 8);
    // The question was embedded by Workers AI and answered by the model with the passage in its prompt, streaming.
    const call = ai.callsOf(SMALL).at(-1)!;
    expect(call.inputs).toMatchObject({ stream: true });
    expect(call.inputs.tools).toBeUndefined(); // llama-3.1-8b has no function calling
    expect(JSON.stringify(call.inputs.messages)).not.toContain("escalate"); // nor instructions about a tool it lacks
    expect(JSON.stringify(call.inputs.messages)).toContain("The old key stops working after one hour.");
    const turns = await env.DB!.prepare("SELECT tier, models, cost_usd FROM turns WHERE bot_id = ?").bind(botId).all<{ tier: string; models: string; cost_usd: number }>();
    expect(turns.results.at(-1)).toMatchObject({ tier: "small", cost_usd: metadata.costUsd });
    expect(JSON.parse(turns.results.at(-1)!.models)).toEqual([expect.objectContaining({ model: SMALL })]);
  });

  it("sends a hard question to the large Workers AI model by the router's decision (the default small model has no tools)", async () => {
    const { bot } = await seedBot({ routing: { policy: "auto" } });
    const question = "Our app returns 502 Bad Gateway randomly, maybe once every 20 requests, since yesterday's deploy. Nothing changed in the config. How do I debug this?";
    const before = ai.callsOf(SMALL).length;
    const chunks = await chat(cloudflareEnv(ai), bot.id, question);
    expect(textOf(chunks)).toBe(fakeWorkersAiAnswerFor(question)); // streamed in gpt-oss's chat completions format
    expect(metadataOf(chunks)).toMatchObject({ source: "workers-ai", tier: "large", model: LARGE, escalated: false });
    expect(ai.callsOf(LARGE).at(-1)!.inputs).toMatchObject({ stream: true });
    expect(ai.callsOf(SMALL).length).toBe(before);
  });

  it("draws an image on Workers AI when the visitor asks for one, stores it and serves it", async () => {
    const env = cloudflareEnv(ai);
    const chunks = await chat(env, botId, "Draw a diagram of the key rotation");
    const done = chunks.filter((chunk) => chunk.type === "data-image").at(-1)!.data as { state: string; url: string; mediaType: string };
    expect(done).toMatchObject({ state: "done", mediaType: "image/jpeg" });
    expect(ai.callsOf(FLUX).at(-1)!.inputs).toMatchObject({ prompt: "a diagram of the key rotation", width: 1024, height: 1024 });
    const image = await callWorker(createEdgechatWorker(), new Request(`http://edgechat.test${done.url}`), env);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(bytes).toEqual(Uint8Array.from(atob(FAKE_JPEG_BASE64), (c) => c.charCodeAt(0)));
    expect(metadataOf(chunks)).toMatchObject({ images: 1, imageCostUsd: imageCostUsd(FLUX) });
    expect(imageCostUsd(FLUX)).toBeCloseTo(0.0006336, 10);
    expect(textOf(chunks)).toContain("Here is the image you asked for.");
  });

  it("GET /v1/health says each part runs on Workers AI, with the embedder's dimensions", async () => {
    const health = (await (await callWorker(createEdgechatWorker(), new Request("http://edgechat.test/v1/health"), cloudflareEnv(ai))).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      ok: true,
      models: "workers-ai",
      aiGateway: false,
      sources: {
        small: { source: "workers-ai", model: SMALL },
        large: { source: "workers-ai", model: LARGE },
        embedding: { source: "workers-ai", model: EMBEDDER, dimensions: 768 },
        image: { source: "workers-ai", model: FLUX },
      },
    });
  });
});

describe("tiers on different providers within one message", () => {
  const ai = createFakeAiBinding();

  function mixedEnv(large: string, extra: Partial<EdgechatEnv> = {}): EdgechatEnv {
    return cloudflareEnv(ai, { OPENAI_API_KEY: "sk-mixed", OPENAI_BASE_URL: fakeUrl, EDGECHAT_LARGE_PROVIDER: "openai", EDGECHAT_LARGE_MODEL: large, ...extra });
  }
  const uniqueLarge = () => `large-${crypto.randomUUID().slice(0, 8)}`;
  const largeCalls = async (model: string) => (await fakeServerCalls()).filter((call) => call.path === "/v1/chat/completions" && call.body.model === model);

  it("escalates from a Workers AI small tier (with tool calling) to the OpenAI large tier", async () => {
    const small = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
    const large = uniqueLarge();
    const { bot } = await seedBot({ routing: { policy: "always-small" } });
    ai.reply(small, { toolCall: { name: "escalate", arguments: { reason: "needs several steps" } } });
    const question = "Compare the three plans and tell me which fits a team of forty";
    const chunks = await chat(mixedEnv(large, { EDGECHAT_SMALL_MODEL: small }), bot.id, question);
    expect(textOf(chunks)).toBe(`Fake OpenAI answer to: ${question}`);
    expect(chunks.filter((chunk) => chunk.type === "start")).toHaveLength(1);
    expect(chunks.filter((chunk) => chunk.type === "finish")).toHaveLength(1);
    const smallCall = ai.callsOf(small).at(-1)!;
    expect((smallCall.inputs.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toContain("escalate");
    expect(await largeCalls(large)).toHaveLength(1);
    const metadata = metadataOf(chunks);
    expect(metadata).toMatchObject({ tier: "large", escalated: true, model: large });
    expect((metadata.models as { model: string }[]).map((call) => call.model)).toEqual([small, large]);
    expect(metadata.reasons).toContain("escalate-tool: needs several steps");
  });

  it.each([
    [3040, "out of capacity"],
    [3036, "daily allocation used up"],
  ])("a %i (%s) from the Workers AI small tier fails over once to the OpenAI large tier", async (code) => {
    const large = uniqueLarge();
    const { bot } = await seedBot({ routing: { policy: "always-small" } });
    const before = ai.callsOf(SMALL).length;
    ai.fail({ model: SMALL, code });
    const chunks = await chat(mixedEnv(large), bot.id, "Where are the invoices?");
    expect(chunks.filter((chunk) => chunk.type === "error")).toEqual([]);
    expect(textOf(chunks)).toBe("Fake OpenAI answer to: Where are the invoices?");
    expect(ai.callsOf(SMALL).length - before).toBe(1); // no retries of the failed call: one failover
    expect(await largeCalls(large)).toHaveLength(1);
    expect(metadataOf(chunks)).toMatchObject({ tier: "large", reasons: expect.arrayContaining(["failover-429-small"]) });
  });
});

describe("AI Gateway", () => {
  const ai = createFakeAiBinding();
  const gatewayEnv = (large: string): EdgechatEnv =>
    cloudflareEnv(ai, {
      OPENAI_API_KEY: "sk-gateway",
      EDGECHAT_LARGE_PROVIDER: "openai",
      EDGECHAT_LARGE_MODEL: large,
      AI_GATEWAY_ID: "edgechat-gw",
      CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
      AI_GATEWAY_TOKEN: "aig-secret-token",
      // The gateway's URL, pointed at the fake server (which answers any path ending in /chat/completions).
      AI_GATEWAY_BASE_URL: fakeUrl,
    });

  it("sends OpenAI calls to the gateway URL with the token and the bot and tier as metadata", async () => {
    const large = `gw-large-${crypto.randomUUID().slice(0, 8)}`;
    const { bot } = await seedBot({ routing: { policy: "always-large" } });
    const chunks = await chat(gatewayEnv(large), bot.id, "What does the gateway see?");
    expect(textOf(chunks)).toBe("Fake OpenAI answer to: What does the gateway see?");
    const calls = (await fakeServerCalls()).filter((call) => call.body?.model === large);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe("/v1/0123456789abcdef0123456789abcdef/edgechat-gw/openai/chat/completions");
    expect(calls[0]!.authorization).toBe("Bearer sk-gateway");
    expect(calls[0]!.gatewayHeaders["cf-aig-authorization"]).toBe("Bearer aig-secret-token");
    expect(JSON.parse(calls[0]!.gatewayHeaders["cf-aig-metadata"]!)).toEqual({ bot: bot.id, tier: "large" });
  });

  it("passes the gateway to the Workers AI binding with the bot and tier as metadata, and never shows the token", async () => {
    const { bot } = await seedBot({ routing: { policy: "always-small" } });
    const env = gatewayEnv("unused-large");
    await chat(env, bot.id, "Hello there");
    expect(ai.callsOf(SMALL).at(-1)!.options.gateway).toEqual({ id: "edgechat-gw", metadata: { bot: bot.id, tier: "small" } });
    // The question's embedding for retrieval goes through the gateway too, tagged with the bot.
    expect(ai.callsOf(EMBEDDER).at(-1)!.options.gateway).toEqual({ id: "edgechat-gw", metadata: { bot: bot.id, tier: "embedding" } });
    const health = await (await callWorker(createEdgechatWorker(), new Request("http://edgechat.test/v1/health"), env)).text();
    expect(JSON.parse(health)).toMatchObject({ aiGateway: true, models: "mixed" });
    expect(health).not.toContain("aig-secret-token");
  });
});
