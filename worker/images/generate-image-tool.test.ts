import { env } from "cloudflare:test";
import { afterEach, describe, expect, inject, it } from "vitest";
import { simulateReadableStream } from "ai";
import { MockImageModelV3, MockLanguageModelV3 } from "ai/test";
import type { ImageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { callWorker, chatPost, chunksOf, seedBot, textOf } from "../test-support/bot-fixtures";
import type { EdgechatEnv } from "../env";
import { modelsFromEnv, type ModelSet } from "../models/model-set";
import { streamChatTurn } from "../chat/chat-turn";
import { DEMO_BOT, type Bot } from "../bots/bot";
import { createOfflineImageModel } from "./offline-image-model";
import { imageCostUsd } from "./image-cost";
import { imageTurnOptions } from "./image-turn";
import { readPngChunks } from "./png-chunks";
import { MAX_IMAGE_PROMPT_CHARS } from "./image-request-limits";
import { decodePng } from "../test-support/decode-png";

const testEnv = env as unknown as EdgechatEnv & { IMAGES: R2Bucket; DB: D1Database };

type Chunk = { type: string; id?: string; data?: Record<string, unknown>; delta?: string; url?: string; mediaType?: string; messageMetadata?: Record<string, unknown> };

const usage = {
  inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 4, text: 4, reasoning: 0 },
};

function textParts(text: string, id = "t"): LanguageModelV3StreamPart[] {
  return [
    { type: "text-start", id },
    ...(text.match(/\S+\s*/g) ?? []).map((delta): LanguageModelV3StreamPart => ({ type: "text-delta", id, delta })),
    { type: "text-end", id },
  ];
}

let callCounter = 0;

/**
 * A chat model that, like a real one, calls generate_image with `input` and then answers from the
 * tool's result (`answer` gets the result the tool returned to the model).
 */
function toolCallingModel(input: unknown, answer: (output: Record<string, unknown>) => string = echoToolResult) {
  const toolCallId = `call-${++callCounter}`;
  const model = new MockLanguageModelV3({
    modelId: "mock-chat",
    doStream: async (options) => {
      const last = options.prompt.at(-1);
      if (last?.role === "tool") {
        const result = last.content.find((part) => part.type === "tool-result");
        const output = result?.output.type === "json" ? (result.output.value as Record<string, unknown>) : {};
        return {
          stream: simulateReadableStream({
            chunks: [...textParts(answer(output), "t2"), { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage }],
          }),
        };
      }
      return {
        stream: simulateReadableStream({
          chunks: [
            ...textParts("Let me draw that for you. ", "t1"),
            { type: "tool-call", toolCallId, toolName: "generate_image", input: JSON.stringify(input) },
            { type: "finish", finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage },
          ],
        }),
      };
    },
  });
  return { model, toolCallId };
}

function echoToolResult(output: Record<string, unknown>): string {
  return output.status === "done" ? "Here it is." : `Sorry: ${String(output.message)}`;
}

function recordingImageModel(result: Uint8Array | Error, modelId = "mock-image") {
  const calls: ImageModelV3CallOptions[] = [];
  const model = new MockImageModelV3({
    modelId,
    doGenerate: async (options) => {
      calls.push(options);
      if (result instanceof Error) throw result;
      return { images: [result], warnings: [], response: { timestamp: new Date(), modelId, headers: undefined } };
    },
  });
  return { model, calls };
}

const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 7, 42, 99, 0xff, 0xd9]);

const call = callWorker;

// Chats go to a registered bot that has images on (new bots have them off), from a page it allows.
let imageBotId: string | undefined;
async function chatRequest(text: string) {
  imageBotId ??= (await seedBot({ images: { enabled: true, perSession: 3, perDay: 50 } })).bot.id;
  return chatPost({ botId: imageBotId, messages: [{ id: "m1", role: "user", parts: [{ type: "text", text }] }] });
}

const readChunks = (response: Response) => chunksOf<Chunk>(response);
const imageParts = (chunks: Chunk[], id?: string) => chunks.filter((chunk) => chunk.type === "data-image" && (id === undefined || chunk.id === id));
const finishMetadata = (chunks: Chunk[]) => chunks.find((chunk) => chunk.type === "finish")?.messageMetadata;

function turn(bot: Bot, chat: MockLanguageModelV3, image: MockImageModelV3, sessionId: string) {
  return streamChatTurn({
    bot,
    question: "Draw a fox.",
    history: [],
    model: chat,
    modelSource: "custom",
    signal: new AbortController().signal,
    maxOutputTokens: 200,
    waitUntil: () => {},
    images: { model: image, bucket: testEnv.IMAGES, db: testEnv.DB, bot, sessionId },
  });
}

afterEach(async () => {
  await testEnv.DB.prepare("DELETE FROM image_usage").run();
});

describe("generate_image in a chat turn", () => {
  it("streams data-image progress and a file part whose URL serves the exact bytes with the right headers", async () => {
    const { model: chat, toolCallId } = toolCallingModel({ prompt: "a fox in the snow", size: "1024x1024" });
    const { model: image, calls } = recordingImageModel(JPEG_BYTES);
    const worker = createEdgechatWorker({ models: { chat, image, source: "custom" } });
    const chunks = await readChunks(await call(worker, await chatRequest("Draw a fox in the snow")));

    const parts = imageParts(chunks, toolCallId);
    expect(parts.map((part) => part.data?.state)).toEqual(["generating", "done"]);
    expect(parts[0]!.data).toEqual({ state: "generating", prompt: "a fox in the snow" });
    const done = parts[1]!.data as { url: string; mediaType: string; prompt: string };
    expect(done).toMatchObject({ mediaType: "image/jpeg", prompt: "a fox in the snow" });
    expect(done.url).toMatch(/^\/v1\/images\/[0-9a-f]{32}$/);
    const file = chunks.find((chunk) => chunk.type === "file");
    expect(file).toEqual({ type: "file", url: done.url, mediaType: "image/jpeg" });
    // Order: progress, then the image, then the rest of the answer; the text still arrives.
    const types = chunks.map((chunk) => chunk.type);
    expect(types.indexOf("file")).toBeGreaterThan(chunks.indexOf(parts[1]!));
    expect(textOf(chunks)).toBe("Let me draw that for you. Here it is.");
    expect(finishMetadata(chunks)).toMatchObject({ images: 1, imageCostUsd: imageCostUsd("mock-image") });
    expect(calls).toHaveLength(1);

    const served = await call(worker, new Request(`http://edgechat.test${done.url}`));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(JPEG_BYTES);

    // The stored object carries the prompt and provenance as metadata.
    const stored = await testEnv.IMAGES.head(`images/${done.url.split("/").pop()}`);
    expect(stored?.customMetadata).toMatchObject({ provenance: "ai-generated", model: "mock-image", bot: imageBotId, prompt: "a fox in the snow" });
    expect(Date.parse(stored!.customMetadata!.createdAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("stores PNGs with the provenance tEXt chunks and otherwise the model's exact chunks", async () => {
    const offline = createOfflineImageModel();
    const original = (await offline.doGenerate({
      prompt: "a blue square", n: 1, size: "1024x1024", aspectRatio: undefined, seed: undefined, files: undefined, mask: undefined, providerOptions: {},
    })).images[0] as Uint8Array;
    const { model: chat, toolCallId } = toolCallingModel({ prompt: "a blue square" });
    const { model: image } = recordingImageModel(original, "gpt-image-1-mini");
    const worker = createEdgechatWorker({ models: { chat, image, source: "custom" } });
    const chunks = await readChunks(await call(worker, await chatRequest("Draw a blue square")));
    const done = imageParts(chunks, toolCallId).at(-1)!.data as { url: string; mediaType: string };
    expect(done.mediaType).toBe("image/png");

    const served = new Uint8Array(await (await call(worker, new Request(`http://edgechat.test${done.url}`))).arrayBuffer());
    const png = await decodePng(served);
    expect(png.text).toMatchObject({ provenance: "ai-generated", model: "gpt-image-1-mini", bot: imageBotId });
    const withoutText = (bytes: Uint8Array) => readPngChunks(bytes).filter((chunk) => chunk.type !== "tEXt");
    const servedChunks = withoutText(served);
    const originalChunks = withoutText(original);
    expect(servedChunks.map((chunk) => chunk.type)).toEqual(originalChunks.map((chunk) => chunk.type));
    servedChunks.forEach((chunk, i) => expect(sameBytes(chunk.data, originalChunks[i]!.data)).toBe(true));
  });

  it("clamps the prompt, the size and the count, whatever the model asks", async () => {
    const longPrompt = `${"a very detailed castle ".repeat(200)}`;
    const { model: chat, toolCallId } = toolCallingModel({ prompt: longPrompt, size: "4096x2048", n: 8 });
    const { model: image, calls } = recordingImageModel(JPEG_BYTES);
    const worker = createEdgechatWorker({ models: { chat, image, source: "custom" } });
    const chunks = await readChunks(await call(worker, await chatRequest("Draw a castle")));

    expect(calls).toHaveLength(1);
    expect(calls[0]!.n).toBe(1);
    expect(calls[0]!.size).toBe("1536x1024");
    expect(calls[0]!.prompt!.length).toBe(MAX_IMAGE_PROMPT_CHARS);
    expect(longPrompt.trim().startsWith(calls[0]!.prompt!)).toBe(true);
    expect(imageParts(chunks, toolCallId)[0]!.data).toEqual({ state: "generating", prompt: calls[0]!.prompt });
  });

  it("explains a reached per-session quota in text, with no image call and no file part", async () => {
    const bot: Bot = { ...DEMO_BOT, id: "quota-bot", images: { enabled: true, perSession: 1, perDay: 10 } };
    const { model: image, calls } = recordingImageModel(JPEG_BYTES);
    const first = await readChunks(turn(bot, toolCallingModel({ prompt: "fox" }).model, image, "session-a"));
    expect(imageParts(first).at(-1)!.data?.state).toBe("done");
    expect(calls).toHaveLength(1);

    const { model: chat, toolCallId } = toolCallingModel({ prompt: "another fox" });
    const second = await readChunks(turn(bot, chat, image, "session-a"));
    expect(calls).toHaveLength(1); // the image model was not called again
    expect(second.some((chunk) => chunk.type === "file")).toBe(false);
    const failed = imageParts(second, toolCallId).at(-1)!.data as { state: string; message: string };
    expect(failed.state).toBe("failed");
    expect(failed.message).toMatch(/conversation has reached its limit of 1 generated image/);
    expect(textOf(second)).toContain("Sorry: No image was made: this conversation has reached its limit");
    expect(finishMetadata(second)).toMatchObject({ images: 0, imageCostUsd: 0 });

    // Another conversation of the same bot may still make one.
    const other = await readChunks(turn(bot, toolCallingModel({ prompt: "owl" }).model, image, "session-b"));
    expect(imageParts(other).at(-1)!.data?.state).toBe("done");
  });

  it("explains a reached daily quota of the bot, across conversations", async () => {
    const bot: Bot = { ...DEMO_BOT, id: "daily-bot", images: { enabled: true, perSession: 5, perDay: 2 } };
    const { model: image, calls } = recordingImageModel(JPEG_BYTES);
    for (const session of ["s1", "s2"]) await readChunks(turn(bot, toolCallingModel({ prompt: "x" }).model, image, session));
    const third = await readChunks(turn(bot, toolCallingModel({ prompt: "x" }).model, image, "s3"));
    expect(calls).toHaveLength(2);
    expect(textOf(third)).toMatch(/daily limit of 2 generated images\. Please try again tomorrow\./);
  });

  it("keeps the text answer when the image model fails, shows no broken image, and frees the quota", async () => {
    const bot: Bot = { ...DEMO_BOT, id: "failing-bot", images: { enabled: true, perSession: 1, perDay: 1 } };
    const { model: image, calls } = recordingImageModel(new Error("provider exploded: secret-internal-detail"));
    // This model ignores the tool result entirely: the failed data-image part still informs the visitor.
    const { model: chat, toolCallId } = toolCallingModel({ prompt: "a fox" }, () => "Anything else I can help with?");
    const chunks = await readChunks(turn(bot, chat, image, "session-f"));

    expect(calls).toHaveLength(1);
    expect(textOf(chunks)).toBe("Let me draw that for you. Anything else I can help with?");
    expect(chunks.some((chunk) => chunk.type === "file")).toBe(false);
    expect(chunks.some((chunk) => chunk.type === "error")).toBe(false);
    const failed = imageParts(chunks, toolCallId).at(-1)!.data as { state: string; message: string; prompt: string };
    expect(failed).toEqual({ state: "failed", prompt: "a fox", message: "The image could not be generated right now. Please try again later." });
    expect(JSON.stringify(chunks)).not.toContain("secret-internal-detail");
    // The tool told the model too, so a model that listens can say it in its own words.
    expect(JSON.stringify(chat.doStreamCalls[1]!.prompt)).toContain("could not be generated");

    // The failed image did not use up the (single) quota.
    const retry = await readChunks(turn(bot, toolCallingModel({ prompt: "a fox" }).model, recordingImageModel(JPEG_BYTES).model, "session-f"));
    expect(imageParts(retry).at(-1)!.data?.state).toBe("done");
  });

  it("offers no image tool when the bot has images off or the worker has no image model", async () => {
    const textModel = () =>
      new MockLanguageModelV3({
        doStream: async () => ({
          stream: simulateReadableStream({ chunks: [...textParts("Hello."), { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage }] }),
        }),
      });
    const bot: Bot = { ...DEMO_BOT, images: { enabled: false, perSession: 3, perDay: 3 } };
    const chat = textModel();
    const { model: image } = recordingImageModel(JPEG_BYTES);
    const worker = createEdgechatWorker({ models: { chat, image, source: "custom" } });
    // The route builds the turn's image options from the bot; with images off it offers no tool.
    expect(imageTurnOptions(bot, testEnv, { chat, image, source: "custom" }, "s")).toBeUndefined();
    expect(imageTurnOptions(DEMO_BOT, testEnv, { chat, source: "custom" }, "s")).toBeUndefined();
    expect(imageTurnOptions(DEMO_BOT, { ...testEnv, IMAGES: undefined }, { chat, image, source: "custom" }, "s")).toBeUndefined();
    expect(imageTurnOptions(DEMO_BOT, testEnv, { chat, image, source: "custom" }, "s")).toBeDefined();

    const withoutImageModel = textModel();
    // A question the router keeps on the small tier (the one offered `escalate`).
    await readChunks(await call(createEdgechatWorker({ models: { chat: withoutImageModel, source: "custom" } }), await chatRequest("Can you draw a fox?")));
    // The small tier always has the routing `escalate` tool; the image tool comes only with an image model.
    const toolNames = (model: MockLanguageModelV3) => (model.doStreamCalls[0]!.tools ?? []).map((tool) => tool.name).sort();
    expect(toolNames(withoutImageModel)).toEqual(["escalate"]);
    await readChunks(await call(worker, await chatRequest("Can you draw a fox?")));
    expect(toolNames(chat)).toEqual(["escalate", "generate_image"]);
  });
});

describe("offline by default", () => {
  it("the offline chat model calls generate_image when asked to draw, and the PNG appears inline", async () => {
    const worker = createEdgechatWorker(); // models from env: offline
    const chunks = await readChunks(await call(worker, await chatRequest("Please draw a diagram of the request path in green and gold")));
    const parts = imageParts(chunks);
    expect(parts.map((part) => part.data?.state)).toEqual(["generating", "done"]);
    const done = parts[1]!.data as { url: string; prompt: string };
    expect(done.prompt).toBe("a diagram of the request path in green and gold");
    const text = textOf(chunks);
    expect(text).toContain("I'll draw a diagram of the request path in green and gold for you.");
    expect(text).not.toContain("From the documentation"); // no quotes of the docs around an image
    expect(text).toContain("Here is the image");
    const png = await decodePng(new Uint8Array(await (await call(worker, new Request(`http://edgechat.test${done.url}`))).arrayBuffer()));
    expect(png).toMatchObject({ width: 1024, height: 1024 });
    expect(png.text).toMatchObject({ provenance: "ai-generated", model: "offline-image", bot: imageBotId });
  });

  it("answers an ordinary question without any image", async () => {
    const chunks = await readChunks(await call(createEdgechatWorker(), await chatRequest("How do I upload an image to my bucket?")));
    expect(imageParts(chunks)).toEqual([]);
    expect(chunks.some((chunk) => chunk.type === "file")).toBe(false);
    expect(textOf(chunks).length).toBeGreaterThan(20);
  });
});

describe("OpenAI image model", () => {
  it("calls openai.image on an OpenAI-compatible server with the clamped parameters", async () => {
    const baseUrl = inject("fakeOpenAIUrl");
    const control = baseUrl.replace(/\/v1$/, "");
    await fetch(`${control}/__reset`, { method: "POST" });
    const { model: chat, toolCallId } = toolCallingModel({ prompt: `A lighthouse ${"with many windows ".repeat(100)}`, size: "999x3000" });
    const worker = createEdgechatWorker({ models: (bindings): ModelSet => ({ ...modelsFromEnv(bindings), chat, small: chat, large: chat }) });
    const bindings = { ...testEnv, OPENAI_API_KEY: "sk-image-key", OPENAI_BASE_URL: baseUrl, EDGECHAT_IMAGE_MODEL: "gpt-image-test" };
    const chunks = await readChunks(await call(worker, await chatRequest("Draw a lighthouse"), bindings));

    const calls = (await (await fetch(`${control}/__calls`)).json()) as { path: string; authorization: string; body: Record<string, unknown> }[];
    const imageCalls = calls.filter((c) => c.path === "/v1/images/generations");
    expect(imageCalls).toHaveLength(1);
    expect(imageCalls[0]!.authorization).toBe("Bearer sk-image-key");
    expect(imageCalls[0]!.body).toMatchObject({ model: "gpt-image-test", n: 1, size: "1024x1536" });
    expect(String(imageCalls[0]!.body.prompt)).toHaveLength(MAX_IMAGE_PROMPT_CHARS);

    const done = imageParts(chunks, toolCallId).at(-1)!.data as { state: string; url: string; mediaType: string };
    expect(done).toMatchObject({ state: "done", mediaType: "image/png" });
    const png = await decodePng(new Uint8Array(await (await call(worker, new Request(`http://edgechat.test${done.url}`), bindings)).arrayBuffer()));
    expect(png).toMatchObject({ width: 1, height: 1 });
    expect(png.text).toMatchObject({ provenance: "ai-generated", model: "gpt-image-test", bot: imageBotId });
    expect(finishMetadata(chunks)).toMatchObject({ images: 1, imageCostUsd: imageCostUsd("gpt-image-test") });
  });

  it("reports a provider error as a failed image, never the provider's message", async () => {
    const baseUrl = inject("fakeOpenAIUrl");
    const control = baseUrl.replace(/\/v1$/, "");
    await fetch(`${control}/__reset`, { method: "POST" });
    await fetch(`${control}/__faults`, { method: "POST", body: JSON.stringify([{ kind: "status", status: 400, path: "/v1/images/generations" }]) });
    const { model: chat, toolCallId } = toolCallingModel({ prompt: "a lighthouse" });
    const worker = createEdgechatWorker({ models: (bindings): ModelSet => ({ ...modelsFromEnv(bindings), chat, small: chat, large: chat }) });
    const chunks = await readChunks(
      await call(worker, await chatRequest("Draw a lighthouse"), { ...testEnv, OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: baseUrl }),
    );
    expect(imageParts(chunks, toolCallId).at(-1)!.data).toMatchObject({ state: "failed" });
    expect(JSON.stringify(chunks)).not.toContain("fake error 400");
    expect(textOf(chunks)).toContain("Sorry: The image could not be generated");
  });
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
