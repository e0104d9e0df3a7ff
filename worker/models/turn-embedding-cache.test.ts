import { describe, expect, it } from "vitest";
import { embed, embedMany } from "ai";
import { MockEmbeddingModelV3 } from "ai/test";
import { MockLanguageModelV3 } from "ai/test";
import { withTurnEmbeddingCache } from "./turn-embedding-cache";

function countingEmbedder(failFirst = false) {
  const calls: string[][] = [];
  const model = new MockEmbeddingModelV3({
    doEmbed: async ({ values }) => {
      calls.push(values);
      if (failFirst && calls.length === 1) throw new Error("embedder down");
      return { embeddings: values.map((value) => [value.length, 1]), usage: { tokens: values.length * 3 }, warnings: [] };
    },
  });
  return { model, calls };
}

const chat = new MockLanguageModelV3();

describe("withTurnEmbeddingCache", () => {
  it("calls the provider once per distinct text and answers repeats from memory with no tokens", async () => {
    const { model, calls } = countingEmbedder();
    const embedding = withTurnEmbeddingCache({ chat, embedding: model, source: "custom" }).embedding!;
    const first = await embed({ model: embedding, value: "Do you ship to Canada?" });
    const again = await embed({ model: embedding, value: "Do you ship to Canada?" });
    expect(again.embedding).toEqual(first.embedding);
    expect(again.usage.tokens).toBe(0);
    const many = await embedMany({ model: embedding, values: ["Do you ship to Canada?", "And to Mexico?"] });
    expect(many.embeddings).toEqual([first.embedding, ["And to Mexico?".length, 1]]);
    expect(calls).toEqual([["Do you ship to Canada?"], ["And to Mexico?"]]);
  });

  it("does not remember a failed call", async () => {
    const { model, calls } = countingEmbedder(true);
    const embedding = withTurnEmbeddingCache({ chat, embedding: model, source: "custom" }).embedding!;
    await expect(embed({ model: embedding, value: "q", maxRetries: 0 })).rejects.toThrow(/embedder down/);
    expect((await embed({ model: embedding, value: "q", maxRetries: 0 })).embedding).toEqual([1, 1]);
    expect(calls).toHaveLength(2);
  });
});
