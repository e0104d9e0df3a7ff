import { embed, embedMany } from "ai";
import { describe, expect, it } from "vitest";
import { createOfflineEmbeddingModel } from "./offline-embedding-model";

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe("offline embedding model (EmbeddingModelV3)", () => {
  const model = createOfflineEmbeddingModel();

  it("works with the AI SDK's embed and embedMany, deterministically, with unit-length 384-d vectors", async () => {
    const { embeddings } = await embedMany({ model, values: ["Rotate your API keys", "Rotate your API keys", ""] });
    expect(embeddings[0]).toHaveLength(384);
    expect(embeddings[0]).toEqual(embeddings[1]);
    expect(cosine(embeddings[0]!, embeddings[0]!)).toBeCloseTo(1, 6);
    expect(embeddings[2]!.every((value) => value === 0)).toBe(true);
    const { embedding } = await embed({ model: createOfflineEmbeddingModel({ dimensions: 64 }), value: "x y z" });
    expect(embedding).toHaveLength(64);
  });

  it("puts texts that share words and word forms closer than unrelated texts", async () => {
    const { embeddings } = await embedMany({
      model,
      values: ["How do I rotate an API key?", "Rotating API keys without downtime", "Databases are backed up every six hours"],
    });
    const [question, related, unrelated] = embeddings as [number[], number[], number[]];
    expect(cosine(question, related)).toBeGreaterThan(0.3);
    expect(cosine(question, related)).toBeGreaterThan(cosine(question, unrelated) + 0.2);
  });

  it("refuses impossible dimensions", () => {
    expect(() => createOfflineEmbeddingModel({ dimensions: 2000 })).toThrow(/1536/);
  });
});
