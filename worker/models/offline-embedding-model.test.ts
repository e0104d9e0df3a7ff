import { embed, embedMany } from "ai";
import { describe, expect, it } from "vitest";
import { bundledWordVectors, packedBundledWordVectors } from "../test-support/bundled-word-vectors";
import { createOfflineEmbeddingModel } from "./offline-embedding-model";
import { SHIPPED_WORD_VECTORS_ASSET, wordVectorsFromAssets } from "./word-vectors-from-assets";

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe("offline embedding model (EmbeddingModelV3)", () => {
  const wordVectors = bundledWordVectors();
  const model = createOfflineEmbeddingModel({ wordVectors });

  it("works with the AI SDK's embed and embedMany, deterministically, with unit-length 384-d vectors", async () => {
    const { embeddings } = await embedMany({ model, values: ["Rotate your API keys", "Rotate your API keys", ""] });
    expect(embeddings[0]).toHaveLength(384);
    expect(embeddings[0]).toEqual(embeddings[1]);
    expect(cosine(embeddings[0]!, embeddings[0]!)).toBeCloseTo(1, 6);
    expect(embeddings[2]!.every((value) => value === 0)).toBe(true);
    const { embedding } = await embed({ model: createOfflineEmbeddingModel({ dimensions: 64, wordVectors }), value: "x y z" });
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

  it("puts texts about the same thing in other words closer than unrelated texts, which spelling alone cannot", async () => {
    const values = ["Is there an outage right now?", "Incident updates and downtime are posted on the status page", "Invoices are emailed on the first of the month"];
    const similarities = async (semanticWeight?: number) => {
      const { embeddings } = await embedMany({ model: createOfflineEmbeddingModel({ semanticWeight, wordVectors }), values });
      const [question, related, unrelated] = embeddings as [number[], number[], number[]];
      return { related: cosine(question, related), unrelated: cosine(question, unrelated) };
    };
    const meaningOnly = await similarities(1);
    expect(meaningOnly.related).toBeGreaterThan(meaningOnly.unrelated + 0.12);
    const mixed = await similarities();
    expect(mixed.related).toBeGreaterThan(mixed.unrelated + 0.08);
    // The hashing block alone sees no shared word: both pairs score near zero (hash-bucket noise).
    const spellingOnly = await similarities(0);
    expect(Math.abs(spellingOnly.related - spellingOnly.unrelated)).toBeLessThan(0.07);
  });

  it("keeps unit length when one block is empty, and names its version in the model id", async () => {
    const { embeddings } = await embedMany({ model, values: ["Kubernetes k8s", "the and of"] });
    expect(cosine(embeddings[0]!, embeddings[0]!)).toBeCloseTo(1, 6); // no word in the word-vector table
    expect(embeddings[1]!.every((value) => value === 0)).toBe(true); // stopwords only: nothing to embed
    expect(model.modelId).toBe("offline-hashing-glove-v3-384-0.5-glove6b-50000w-64d-4b");
    expect(createOfflineEmbeddingModel({ semanticWeight: 0 }).modelId).toBe("offline-hashing-v2-384");
  });

  it("refuses impossible dimensions and semantic weights", () => {
    expect(() => createOfflineEmbeddingModel({ dimensions: 2000, wordVectors })).toThrow(/1536/);
    expect(() => createOfflineEmbeddingModel()).toThrow(/needs wordVectors/);
    expect(() => createOfflineEmbeddingModel({ semanticWeight: 1.5 })).toThrow(/semanticWeight must be a number from 0 to 1, got 1.5/);
    expect(() => createOfflineEmbeddingModel({ semanticWeight: Number.NaN })).toThrow(/semanticWeight/);
  });

  it("loads its word vectors from the static assets on the first embedding, not before, and says what is missing", async () => {
    const packed = JSON.stringify(packedBundledWordVectors());
    let present = false;
    const requested: string[] = [];
    const assets = {
      fetch: async (input: RequestInfo | URL) => {
        const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
        requested.push(path);
        return present && path === SHIPPED_WORD_VECTORS_ASSET ? new Response(packed) : new Response("not found", { status: 404 });
      },
    } as unknown as Fetcher;
    const values = ["Is there an outage right now?"];
    const unbound = createOfflineEmbeddingModel({ wordVectors: wordVectorsFromAssets(undefined) });
    await expect(embedMany({ model: unbound, values, maxRetries: 0 })).rejects.toThrow(/ASSETS is not bound/);

    const lazy = createOfflineEmbeddingModel({ wordVectors: wordVectorsFromAssets(assets) });
    expect(lazy.modelId).toBe(model.modelId);
    expect(requested).toEqual([]);
    await expect(embedMany({ model: lazy, values, maxRetries: 0 })).rejects.toThrow(/missing from the static assets: GET \/edgechat\/word-vectors-.*answered 404/);
    present = true; // a failed load is retried
    expect((await embedMany({ model: lazy, values })).embeddings).toEqual((await embedMany({ model, values })).embeddings);
    await embedMany({ model: lazy, values });
    expect(requested).toEqual([SHIPPED_WORD_VECTORS_ASSET, SHIPPED_WORD_VECTORS_ASSET]);
  });
});
