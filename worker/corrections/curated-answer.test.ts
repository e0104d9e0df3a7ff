import { describe, expect, it } from "vitest";
import { MockLanguageModelV3 } from "ai/test";
import { simulateReadableStream } from "ai";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, sessionRequest, testEnv, textOf, userMessage, type Chunk } from "../test-support/bot-fixtures";

/** A chat model that counts its calls: a curated answer must not call it. */
function countingModel() {
  const model = new MockLanguageModelV3({
    modelId: "counting",
    doStream: async () => ({
      stream: simulateReadableStream<LanguageModelV3StreamPart>({
        chunks: [
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: "A model answer." },
          { type: "text-end", id: "t" },
          {
            type: "finish",
            finishReason: { unified: "stop", raw: "stop" },
            usage: { inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 3, text: 3, reasoning: 0 } },
          },
        ],
      }),
    }),
  });
  return model;
}

const CURATED = "Yes. We ship to Canada with UPS in **5 to 8 business days**; shipping costs $14.";

async function botWithCorrection(
  input: Record<string, unknown> = { question: "Do you ship to Canada?", answer: CURATED, sources: [{ title: "Shipping", url: "https://shop.example/shipping" }] },
  source: "offline" | "openai" = "offline",
) {
  const model = countingModel();
  // source "openai" takes the path of a real embedder (its similarity decides), whatever computes the vectors here.
  const worker = createEdgechatWorker({ models: { chat: model, source, embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), embeddingDimensions: 384 } });
  const { bot } = await seedBot();
  const created = await callWorker(worker, adminRequest("POST", `/v1/admin/bots/${bot.id}/corrections`, input));
  expect(created.status).toBe(201);
  const { correction } = (await created.json()) as { correction: { id: string } };
  return { worker, model, bot, correctionId: correction.id };
}

async function ask(worker: ReturnType<typeof createEdgechatWorker>, botId: string, text: string) {
  const response = await callWorker(worker, chatPost({ id: crypto.randomUUID(), botId, messages: [userMessage(text)] }));
  expect(response.status).toBe(200);
  return chunksOf(response);
}

function metadataOf(chunks: Chunk[]): Record<string, unknown> {
  return (chunks.find((chunk) => chunk.type === "finish")?.messageMetadata ?? {}) as Record<string, unknown>;
}

describe("curated answers in the chat turn", () => {
  it("answers a paraphrase with the curated answer and no model call, marked curated in the stream, transcript, turns row and use count", async () => {
    const { worker, model, bot, correctionId } = await botWithCorrection();
    const chunks = await ask(worker, bot.id, "Is shipping to Canada possible?");
    expect(model.doStreamCalls).toHaveLength(0);
    expect(textOf(chunks)).toBe(CURATED);
    expect(metadataOf(chunks)).toMatchObject({ curated: true, correctionId, model: "none" });
    expect(chunks.filter((chunk) => chunk.type === "source-url")).toEqual([{ type: "source-url", sourceId: "doc-1", url: "https://shop.example/shipping", title: "Shipping" }]);

    const session = sessionOf(chunks);
    const transcript = await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token));
    const { messages } = (await transcript.json()) as { messages: { role: string; metadata?: Record<string, unknown> }[] };
    expect(messages.at(-1)).toMatchObject({ role: "assistant", metadata: { curated: true, correctionId } });

    const turn = await testEnv.DB!.prepare("SELECT tier, status, correction_id, sources_found, cost_usd FROM turns WHERE session_id = ?").bind(session.sessionId).first();
    expect(turn).toEqual({ tier: "none", status: "complete", correction_id: correctionId, sources_found: 2, cost_usd: 0 });
    const list = await callWorker(worker, adminRequest("GET", `/v1/admin/bots/${bot.id}/corrections`));
    const [listed] = ((await list.json()) as { corrections: { usedCount: number; lastUsedAt: number | null }[] }).corrections;
    expect(listed).toMatchObject({ usedCount: 1 });
    expect(listed!.lastUsedAt).toBeTypeOf("number");
  });

  it("calls the model as usual for an unrelated question, and for another bot's visitors", async () => {
    const { worker, model, bot } = await botWithCorrection();
    const unrelated = await ask(worker, bot.id, "How do I reset my password?");
    expect(model.doStreamCalls).toHaveLength(1);
    expect(textOf(unrelated)).toBe("A model answer.");
    expect(metadataOf(unrelated).curated).toBeUndefined();

    const { bot: other } = await seedBot();
    const elsewhere = await ask(worker, other.id, "Do you ship to Canada?");
    expect(model.doStreamCalls).toHaveLength(2);
    expect(textOf(elsewhere)).toBe("A model answer.");
  });

  it("refuses a near miss of the same domain that the offline embedder alone would take: the question matcher decides", async () => {
    const { worker, model, bot } = await botWithCorrection({ question: "How often should my dog be vaccinated?", answer: "Every year, after two puppy injections." });
    // The offline embedder scores these two at 0.83, above its own threshold (0.7); the matcher sees "cat" swapped for "dog".
    const nearMiss = await ask(worker, bot.id, "How often should my cat be vaccinated?");
    expect(model.doStreamCalls).toHaveLength(1);
    expect(metadataOf(nearMiss).curated).toBeUndefined();
    const unrelated = await ask(worker, bot.id, "How do I upgrade my plan?");
    expect(model.doStreamCalls).toHaveLength(2);
    expect(metadataOf(unrelated).curated).toBeUndefined();
    const same = await ask(worker, bot.id, "How often should my dog get vaccinated?");
    expect(model.doStreamCalls).toHaveLength(2);
    expect(metadataOf(same).curated).toBe(true);
  });

  it("with a real embedder, its similarity decides (threshold 0.7) and different numbers are still refused", async () => {
    const { worker, model, bot } = await botWithCorrection({ question: "How often should my dog be vaccinated?", answer: "Every year." }, "openai");
    // Without the matcher, the cat question passes on the embedder's 0.83: what the offline path refuses (test above).
    const nearMiss = await ask(worker, bot.id, "How often should my cat be vaccinated?");
    expect(model.doStreamCalls).toHaveLength(0);
    expect(metadataOf(nearMiss).curated).toBe(true);

    const { worker: planWorker, model: planModel, bot: planBot } = await botWithCorrection({ question: "Is the 1 year plan cheaper?", answer: "Yes, by 20%." }, "openai");
    const otherNumber = await ask(planWorker, planBot.id, "Is the 2 year plan cheaper?");
    expect(planModel.doStreamCalls).toHaveLength(1);
    expect(metadataOf(otherNumber).curated).toBeUndefined();
    const sameNumber = await ask(planWorker, planBot.id, "Is the 1 year plan cheaper?");
    expect(planModel.doStreamCalls).toHaveLength(1);
    expect(metadataOf(sameNumber).curated).toBe(true);
  });

  it("stops using a correction once it is deleted", async () => {
    const { worker, model, bot, correctionId } = await botWithCorrection();
    expect((await callWorker(worker, adminRequest("DELETE", `/v1/admin/bots/${bot.id}/corrections/${correctionId}`))).status).toBe(200);
    const chunks = await ask(worker, bot.id, "Do you ship to Canada?");
    expect(model.doStreamCalls).toHaveLength(1);
    expect(metadataOf(chunks).curated).toBeUndefined();
  });
});
