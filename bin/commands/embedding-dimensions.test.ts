import { describe, expect, it } from "vitest";
import { modelsFromEnv } from "../../worker/models/model-set";
import { embeddingDimensionsFor as workerDimensionsFor } from "../../worker/models/model-plan";
// @ts-expect-error: plain .mjs CLI modules
import { embeddingDimensionsFor } from "./embedding-dimensions.mjs";

describe("embeddingDimensionsFor", () => {
  it("agrees with the worker's own models, so deploy sizes the index the worker needs", () => {
    expect(embeddingDimensionsFor({ provider: "offline" }).dimensions).toBe(modelsFromEnv({}).embeddingDimensions);
    expect(embeddingDimensionsFor({ provider: "openai" }).dimensions).toBe(modelsFromEnv({ OPENAI_API_KEY: "sk-x" }).embeddingDimensions);
    expect(embeddingDimensionsFor({ provider: "openai", dimensions: "512" }).dimensions).toBe(
      modelsFromEnv({ OPENAI_API_KEY: "sk-x", EDGECHAT_EMBEDDING_DIMENSIONS: "512" }).embeddingDimensions,
    );
  });

  it("agrees with the worker's model plan for Workers AI (a bound AI binding, its default or a named bge model)", () => {
    expect(embeddingDimensionsFor({ provider: "workers-ai" }).dimensions).toBe(workerDimensionsFor({ AI: true }));
    expect(embeddingDimensionsFor({ provider: "workers-ai", model: "@cf/baai/bge-small-en-v1.5" }).dimensions).toBe(
      workerDimensionsFor({ AI: true, EDGECHAT_EMBEDDING_MODEL: "@cf/baai/bge-small-en-v1.5" }),
    );
  });

  it("knows Workers AI's bge models and refuses what Vectorize cannot hold or it does not know", () => {
    expect(embeddingDimensionsFor({ provider: "workers-ai" })).toEqual({ model: "@cf/baai/bge-base-en-v1.5", dimensions: 768 });
    expect(embeddingDimensionsFor({ provider: "workers-ai", model: "@cf/baai/bge-small-en-v1.5" }).dimensions).toBe(384);
    expect(() => embeddingDimensionsFor({ provider: "openai", model: "text-embedding-3-large" })).toThrow(/at most 1536/);
    expect(() => embeddingDimensionsFor({ provider: "openai", model: "my-embedder" })).toThrow(/EDGECHAT_EMBEDDING_DIMENSIONS/);
    expect(() => embeddingDimensionsFor({ provider: "anthropic" })).toThrow(/offline, openai, workers-ai/);
  });
});
