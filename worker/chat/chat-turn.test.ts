import { describe, expect, it } from "vitest";
import { MockLanguageModelV3 } from "ai/test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { streamChatTurn } from "./chat-turn";
import type { TurnOutcome } from "./turn-outcome";
import { DEMO_BOT } from "../bots/bot";
import { chunksOf } from "../test-support/bot-fixtures";

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 3, text: 3, reasoning: 0 },
};

/** A model whose stream is driven by the test: it yields the given parts, then waits or fails as told. */
function scriptedModel(parts: LanguageModelV3StreamPart[], end: "finish" | "hang" | "fail") {
  let aborted = false;
  const model = new MockLanguageModelV3({
    modelId: "scripted",
    doStream: async ({ abortSignal }) => {
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            // Like a fetch-based provider: an abort errors the response stream.
            abortSignal?.addEventListener("abort", () => {
              aborted = true;
              controller.error(new DOMException("aborted", "AbortError"));
            });
            for (const part of parts) controller.enqueue(part);
            if (end === "finish") {
              controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
              controller.close();
            } else if (end === "fail") {
              controller.enqueue({ type: "error", error: new Error("upstream 500 with secret body") });
              controller.close();
            }
          },
        }),
      };
    },
  });
  return { model, wasAborted: () => aborted };
}

const text = (...deltas: string[]): LanguageModelV3StreamPart[] => [
  { type: "text-start", id: "t" },
  ...deltas.map((delta) => ({ type: "text-delta" as const, id: "t", delta })),
];

function run(model: MockLanguageModelV3, signal = new AbortController().signal) {
  const outcomes: TurnOutcome[] = [];
  const pending: Promise<unknown>[] = [];
  const response = streamChatTurn({
    bot: DEMO_BOT,
    question: "How?",
    history: [],
    model,
    modelSource: "custom",
    signal,
    maxOutputTokens: 100,
    onEnd: (outcome) => {
      outcomes.push(structuredClone(outcome));
    },
    waitUntil: (promise) => pending.push(promise),
  });
  return { response, outcomes, settled: () => Promise.all(pending) };
}

describe("streamChatTurn", () => {
  it("streams one assistant message with an id, and usage in the finish metadata; reports complete once", async () => {
    const { model } = scriptedModel([...text("Hello ", "world"), { type: "text-end", id: "t" }], "finish");
    const { response, outcomes, settled } = run(model);
    const chunks = await chunksOf(response);
    await settled();
    expect(chunks[0]).toMatchObject({ type: "start", messageId: expect.any(String), messageMetadata: { source: "custom" } });
    expect(chunks.at(-1)).toMatchObject({ type: "finish", messageMetadata: { usage: { inputTokens: 12, outputTokens: 3 } } });
    expect(chunks.filter((chunk) => chunk.type === "start")).toHaveLength(1);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      status: "complete",
      text: "Hello world",
      messageId: chunks[0]!.messageId,
      metadata: { model: "scripted", usage: { inputTokens: 12, outputTokens: 3 } },
    });
  });

  it("keeps the partial text and ends with an error part when the model fails after text; reports failed", async () => {
    const { model } = scriptedModel(text("Partial ", "answer"), "fail");
    const { response, outcomes, settled } = run(model);
    const chunks = await chunksOf(response);
    await settled();
    const error = chunks.find((chunk) => chunk.type === "error");
    expect(error?.errorText).toBe("The assistant could not finish this answer. Please try again.");
    expect(JSON.stringify(chunks)).not.toContain("secret body");
    expect(outcomes).toEqual([expect.objectContaining({ status: "failed", text: "Partial answer" })]);
  });

  it("aborts the model call and reports stopped with the partial text when the visitor cancels", async () => {
    const { model, wasAborted } = scriptedModel(text("Half ", "an "), "hang");
    const { response, outcomes, settled } = run(model);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes("an ")) seen += decoder.decode((await reader.read()).value);
    await reader.cancel();
    await settled();
    expect(outcomes).toEqual([expect.objectContaining({ status: "stopped", text: "Half an " })]);
    expect(wasAborted()).toBe(true);
  });

  it("stops when the request's signal aborts", async () => {
    const { model, wasAborted } = scriptedModel(text("Going "), "hang");
    const request = new AbortController();
    const { response, outcomes, settled } = run(model, request.signal);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes("Going ")) seen += decoder.decode((await reader.read()).value);
    request.abort();
    // The stream ends by itself once the model call is aborted.
    while (!(await reader.read()).done);
    await settled();
    expect(wasAborted()).toBe(true);
    expect(outcomes).toEqual([expect.objectContaining({ status: "stopped", text: "Going " })]);
  });
});
