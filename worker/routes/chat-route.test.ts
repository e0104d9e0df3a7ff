import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, inject, describe, expect, it } from "vitest";
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { simulateReadableStream } from "ai";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { readServerSentEvents } from "../../widget/client/server-sent-events";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import type { EdgechatEnv } from "../env";
import { createBot } from "../bots/bot-registry";
import { parseBotFields } from "../bots/bot-config";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { createOfflineEmbeddingModel, OFFLINE_EMBEDDING_DIMENSIONS } from "../models/offline-embedding-model";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";

const testEnv = env as unknown as EdgechatEnv;
/** Every chat goes to a registered bot, from a page of one of its allowed origins. */
const BOT_ID = "chat-route-bot";
const SITE = "https://site.example";

beforeAll(async () => {
  await createBot(testEnv.DB, BOT_ID, parseBotFields({ name: "Chat route bot", allowedOrigins: [SITE] })).catch(() => {});
});

function userMessage(text: string, id = "m1"): UIMessage {
  return { id, role: "user", parts: [{ type: "text", text }] };
}

async function call(worker: ExportedHandler<EdgechatEnv>, request: Request, bindings: EdgechatEnv = testEnv) {
  const ctx = createExecutionContext();
  const response = await worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

function chatRequest(body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://edgechat.test/v1/chat", {
    method: "POST",
    headers: { origin: SITE, ...headers },
    body: typeof body === "string" ? body : JSON.stringify({ botId: BOT_ID, ...(body as object) }),
  });
}

function recordingModel(text = "Hello there, visitor.") {
  return new MockLanguageModelV3({
    modelId: "mock-chat",
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: "text-start", id: "t" },
          ...text.split(" ").map((word, i, all) => ({
            type: "text-delta" as const,
            id: "t",
            delta: i < all.length - 1 ? `${word} ` : word,
          })),
          { type: "text-end", id: "t" },
          {
            type: "finish",
            finishReason: { unified: "stop", raw: "stop" },
            usage: {
              inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 },
              outputTokens: { total: 4, text: 4, reasoning: 0 },
            },
          },
        ],
      }),
    }),
  });
}

describe("POST /v1/chat", () => {
  it("streams the UI message stream protocol with streaming-safe headers", async () => {
    const model = recordingModel();
    const worker = createEdgechatWorker({ models: { chat: model, source: "custom" } });
    const response = await call(worker, chatRequest({ id: "chat-1", messages: [userMessage("Hi?")] }));

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    expect(response.headers.get("cache-control")).toContain("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(response.headers.get("content-encoding")).toBeNull();

    const events: string[] = [];
    for await (const data of readServerSentEvents(response.body!)) events.push(data);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { type: string; delta?: string });
    const types = chunks.map((chunk) => chunk.type);
    // The session part (transient) opens every stream, then the one assistant message.
    expect(types[0]).toBe("data-session");
    expect(chunks[0]).toMatchObject({ transient: true, data: { sessionId: expect.stringMatching(/^s_/), token: expect.any(String) } });
    expect(types[1]).toBe("start");
    expect(types.filter((type) => type === "start")).toHaveLength(1);
    expect(types.at(-1)).toBe("finish");
    const textStart = types.indexOf("text-start");
    const textEnd = types.indexOf("text-end");
    expect(textStart).toBeGreaterThan(1);
    expect(textEnd).toBeGreaterThan(textStart);
    const deltas = chunks.filter((chunk) => chunk.type === "text-delta");
    expect(deltas.length).toBe(3);
    expect(deltas.map((chunk) => chunk.delta).join("")).toBe("Hello there, visitor.");
    expect(types.slice(textStart + 1, textEnd).every((type) => type === "text-delta")).toBe(true);

    // The model received the user's question, and only once.
    expect(model.doStreamCalls).toHaveLength(1);
    const prompt = model.doStreamCalls[0]!.prompt;
    expect(JSON.stringify(prompt.at(-1))).toContain("Hi?");
  });

  it("is read by the AI SDK's own DefaultChatTransport and readUIMessageStream, unmodified", async () => {
    const worker = createEdgechatWorker({ models: { chat: recordingModel("Grounded answer here."), source: "custom" } });
    const transport = new DefaultChatTransport<UIMessage>({
      api: "http://edgechat.test/v1/chat",
      body: { botId: BOT_ID },
      headers: { origin: SITE },
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => call(worker, new Request(input, init))) as typeof fetch,
    });
    const stream = await transport.sendMessages({
      chatId: "chat-2",
      messages: [userMessage("What is edgechat?")],
      trigger: "submit-message",
      messageId: undefined,
      abortSignal: undefined,
    });
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({ stream })) last = message;
    expect(last?.role).toBe("assistant");
    const text = last!.parts.filter((part) => part.type === "text").map((part) => part.text).join("");
    expect(text).toBe("Grounded answer here.");
    expect(last!.metadata).toMatchObject({ model: "mock-chat", source: "custom" });
  });

  it("answers offline by default, in many deltas, saying plainly that it is the offline model", async () => {
    const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
    const response = await call(worker, chatRequest({ messages: [userMessage("Where are my keys?")] }));
    const deltas: string[] = [];
    for await (const data of readServerSentEvents(response.body!)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data) as { type: string; delta?: string };
      if (chunk.type === "text-delta") deltas.push(chunk.delta!);
    }
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join("")).toContain("offline model");
    expect(deltas.join("")).toContain("Where are my keys?");
  });

  it("uses the OpenAI provider against an OpenAI-compatible server when OPENAI_API_KEY is set", async () => {
    const baseUrl = inject("fakeOpenAIUrl");
    await fetch(`${baseUrl.replace(/\/v1$/, "")}/__reset`, { method: "POST" });
    const worker = createEdgechatWorker(); // models from env, as in production
    const response = await call(
      worker,
      chatRequest({ messages: [userMessage("Is the fake server there?")] }),
      { ...testEnv, OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: baseUrl, EDGECHAT_CHAT_MODEL: "gpt-test" },
    );
    let text = "";
    for await (const data of readServerSentEvents(response.body!)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data) as { type: string; delta?: string };
      if (chunk.type === "text-delta") text += chunk.delta;
    }
    expect(text).toBe("Fake OpenAI answer to: Is the fake server there?");
    const calls = (await (await fetch(`${baseUrl.replace(/\/v1$/, "")}/__calls`)).json()) as {
      path: string;
      authorization: string;
      body: { model: string; stream: boolean };
    }[];
    // Retrieval embeds the question first (text-embedding-3-small at the configured dimensions), then the chat model answers.
    const chatCalls = calls.filter((call) => call.path === "/v1/chat/completions");
    expect(chatCalls).toHaveLength(1);
    expect(chatCalls[0]).toMatchObject({ authorization: "Bearer sk-test-key" });
    expect(chatCalls[0]!.body).toMatchObject({ model: "gpt-test", stream: true });
    const embeddingCalls = calls.filter((call) => call.path === "/v1/embeddings");
    expect(embeddingCalls).toHaveLength(1);
    expect(embeddingCalls[0]!.body).toMatchObject({ model: "text-embedding-3-small", dimensions: 1536 });
  });
});

describe("tier failover against an OpenAI-compatible server", () => {
  it("moves the turn to the large tier once when the small model answers 429 before the first token, honouring Retry-After", async () => {
    const baseUrl = inject("fakeOpenAIUrl");
    const control = baseUrl.replace(/\/v1$/, "");
    await fetch(`${control}/__faults`, { method: "POST", body: JSON.stringify([{ kind: "status", status: 429, retryAfterSeconds: 1, path: "/v1/chat/completions" }]) });
    const worker = createEdgechatWorker();
    const started = Date.now();
    const response = await call(worker, chatRequest({ messages: [userMessage("Where is the billing page?")] }), {
      ...testEnv,
      OPENAI_API_KEY: "sk-test-key",
      OPENAI_BASE_URL: baseUrl,
      EDGECHAT_SMALL_MODEL: "small-failover-test",
      EDGECHAT_LARGE_MODEL: "large-failover-test",
    });
    let text = "";
    let metadata: Record<string, unknown> = {};
    for await (const data of readServerSentEvents(response.body!)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data) as { type: string; delta?: string; messageMetadata?: object };
      if (chunk.type === "text-delta") text += chunk.delta;
      if (chunk.type === "error") throw new Error("the turn failed instead of failing over");
      if (chunk.messageMetadata) metadata = { ...metadata, ...chunk.messageMetadata };
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited for Retry-After: 1 (within the 2 s cap)
    expect(text).toBe("Fake OpenAI answer to: Where is the billing page?");
    expect(metadata).toMatchObject({ tier: "large", model: "large-failover-test", reasons: expect.arrayContaining(["failover-429-small"]) });
    expect(metadata.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
    const calls = (await (await fetch(`${control}/__calls`)).json()) as { body: { model: string } }[];
    const models = calls.map((recorded) => recorded.body.model).filter((model) => model.endsWith("-failover-test"));
    expect(models).toEqual(["small-failover-test", "large-failover-test"]); // one call each: no SDK retries
  });
});

describe("bad input gets a clear JSON error and no model call", () => {
  const cases: [string, Request, number, string][] = [
    ["invalid JSON", chatRequest("{not json"), 400, "invalid_json"],
    ["wrong content type", chatRequest("{}", { "content-type": "text/plain" }), 415, "unsupported_media_type"],
    ["missing message", chatRequest({ messages: [] }), 400, "missing_message"],
    ["no messages field", chatRequest({ id: "x" }), 400, "missing_message"],
    ["last message not from the user", chatRequest({ messages: [{ id: "a", role: "assistant", parts: [{ type: "text", text: "hi" }] }] }), 400, "missing_message"],
    ["message over 8 KB", chatRequest({ messages: [userMessage("x".repeat(8 * 1024 + 1))] }), 413, "message_too_long"],
    ["body over the cap", chatRequest({ messages: [userMessage("y")], padding: "z".repeat(300 * 1024) }), 413, "body_too_large"],
    ["deeply nested JSON", chatRequest(`${"[".repeat(100)}${"]".repeat(100)}`), 400, "too_deeply_nested"],
    ["a NUL byte", chatRequest({ messages: [userMessage("a\u0000b")] }), 400, "invalid_characters"],
    ["a lone surrogate", chatRequest('{"messages":[{"id":"m","role":"user","parts":[{"type":"text","text":"\\ud800"}]}]}'), 400, "invalid_characters"],
    ["invalid UTF-8", new Request("http://edgechat.test/v1/chat", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), 400, "invalid_utf8"],
    ["a malformed id", chatRequest({ id: "<script>", messages: [userMessage("hi")] }), 400, "invalid_request"],
    ["an unknown route", new Request("http://edgechat.test/v1/nothing-here"), 404, "not_found"],
    ["a wrong method", new Request("http://edgechat.test/v1/chat", { method: "GET" }), 405, "method_not_allowed"],
    ["an unknown bot", chatRequest({ botId: "no-such-bot", messages: [userMessage("hi")] }), 404, "bot_not_found"],
    ["no bot id", chatRequest({ botId: null, messages: [userMessage("hi")] }), 404, "bot_not_found"],
    ["a malformed bot id", chatRequest({ botId: "../demo", messages: [userMessage("hi")] }), 400, "invalid_request"],
    // A 10,000-turn history: refused by count when it is compact, by size when the turns carry text.
    ["a compact 10,000-turn history", chatRequest({ messages: manyTurns(10_000, "") }), 413, "too_many_messages"],
    ["a 10,000-turn history with text", chatRequest({ messages: manyTurns(10_000, "A question about billing?") }), 413, "body_too_large"],
    ["a forged session token", chatRequest({ id: "s_forged", sessionToken: "v1.forged.signature", messages: [userMessage("hi")] }), 401, "invalid_session"],
    ["a session token that is not a string", chatRequest({ sessionToken: { admin: true }, messages: [userMessage("hi")] }), 400, "invalid_request"],
    ["a foreign origin", chatRequest({ messages: [userMessage("hi")] }, { "content-type": "application/json", origin: "https://evil.example" }), 403, "origin_not_allowed"],
    ["an origin that only starts like the bot's", chatRequest({ messages: [userMessage("hi")] }, { "content-type": "application/json", origin: `${SITE}.evil.example` }), 403, "origin_not_allowed"],
    ["no origin at all", new Request("http://edgechat.test/v1/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ botId: BOT_ID, messages: [userMessage("hi")] }) }), 403, "origin_required"],
  ];

  it.each(cases)("%s", async (_name, request, status, code) => {
    const model = recordingModel();
    const embedding = countingEmbeddingModel();
    const worker = createEdgechatWorker({ models: { chat: model, embedding, embeddingDimensions: OFFLINE_EMBEDDING_DIMENSIONS, source: "custom" } });
    const response = await call(worker, request);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(model.doStreamCalls).toHaveLength(0);
    expect(embedding.calls).toBe(0);
    if (status === 405) expect(response.headers.get("allow")).toBe("POST");
  });

  it("while a valid request reaches both the embedder and the model (the counts above can fail)", async () => {
    const model = recordingModel();
    const embedding = countingEmbeddingModel();
    const worker = createEdgechatWorker({ models: { chat: model, embedding, embeddingDimensions: OFFLINE_EMBEDDING_DIMENSIONS, source: "custom" } });
    const response = await call(worker, chatRequest({ messages: [userMessage("How do I rotate my keys?")] }));
    expect(response.status).toBe(200);
    await response.text();
    expect(embedding.calls).toBe(1);
    expect(model.doStreamCalls).toHaveLength(1);
  });
});

/** `count` alternating user and assistant messages ending with the user's: bare roles, or with `text` in each. */
function manyTurns(count: number, text: string) {
  return Array.from({ length: count }, (_, i) => {
    const role = (count - i) % 2 === 1 ? "user" : "assistant";
    if (i === count - 1) return userMessage("And the newest question?", "last");
    return text ? { id: `h${i}`, role, parts: [{ type: "text", text }] } : { role };
  });
}

/** The offline embedder, counting its calls. */
function countingEmbeddingModel(): EmbeddingModelV3 & { calls: number } {
  const inner = createOfflineEmbeddingModel({ dimensions: OFFLINE_EMBEDDING_DIMENSIONS, wordVectors: bundledWordVectors() });
  const counting = {
    specificationVersion: "v3" as const,
    provider: inner.provider,
    modelId: inner.modelId,
    maxEmbeddingsPerCall: inner.maxEmbeddingsPerCall,
    supportsParallelCalls: inner.supportsParallelCalls,
    calls: 0,
    doEmbed: (options: Parameters<EmbeddingModelV3["doEmbed"]>[0]) => {
      counting.calls++;
      return inner.doEmbed(options);
    },
  };
  return counting;
}

describe("errors", () => {
  it("answers an unexpected failure with a generic 500 that reveals nothing", async () => {
    const worker = createEdgechatWorker({
      models: () => {
        throw new Error("secret internal detail");
      },
    });
    const response = await call(worker, chatRequest({ messages: [userMessage("hi")] }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("secret internal detail");
    expect(JSON.parse(text)).toMatchObject({ error: { code: "internal_error" } });
  });

  it("GET /v1/health reports the model source", async () => {
    const response = await call(createEdgechatWorker(), new Request("http://edgechat.test/v1/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, models: "offline" });
  });
});
