import { describe, expect, it } from "vitest";
import { embeddingDimensionsFor, modelPlanFor, type ModelConfig } from "./model-plan";
import { modelsFromEnv, sourcesOf, tierModelsFor } from "./model-set";
import { createFakeAiBinding } from "../test-support/fake-ai-binding";

const AI = createFakeAiBinding().binding;
const KEY = "sk-selection";

describe("provider selection: which source and model serve each part", () => {
  // [configuration, small, large, embedding, image] as "source model"
  const table: [string, ModelConfig, string, string, string, string][] = [
    ["nothing: offline", {}, "offline offline-small", "offline offline-large", "offline offline-embedding", "offline offline-image"],
    ["a key: OpenAI as today", { OPENAI_API_KEY: KEY }, "openai gpt-4.1-mini", "openai gpt-4.1", "openai text-embedding-3-small", "openai gpt-image-1-mini"],
    [
      "an AI binding: Workers AI",
      { AI },
      "workers-ai @cf/meta/llama-3.1-8b-instruct-fp8-fast",
      "workers-ai @cf/openai/gpt-oss-120b",
      "workers-ai @cf/baai/bge-base-en-v1.5",
      "workers-ai @cf/black-forest-labs/flux-1-schnell",
    ],
    [
      "binding and key, automatic: the binding wins",
      { AI, OPENAI_API_KEY: KEY },
      "workers-ai @cf/meta/llama-3.1-8b-instruct-fp8-fast",
      "workers-ai @cf/openai/gpt-oss-120b",
      "workers-ai @cf/baai/bge-base-en-v1.5",
      "workers-ai @cf/black-forest-labs/flux-1-schnell",
    ],
    ["EDGECHAT_PROVIDER=openai beside a binding", { AI, OPENAI_API_KEY: KEY, EDGECHAT_PROVIDER: "openai" }, "openai gpt-4.1-mini", "openai gpt-4.1", "openai text-embedding-3-small", "openai gpt-image-1-mini"],
    ["EDGECHAT_PROVIDER=offline beside both", { AI, OPENAI_API_KEY: KEY, EDGECHAT_PROVIDER: "offline" }, "offline offline-small", "offline offline-large", "offline offline-embedding", "offline offline-image"],
    [
      "per tier: Workers AI small, OpenAI large",
      { AI, OPENAI_API_KEY: KEY, EDGECHAT_LARGE_PROVIDER: "openai" },
      "workers-ai @cf/meta/llama-3.1-8b-instruct-fp8-fast",
      "openai gpt-4.1",
      "workers-ai @cf/baai/bge-base-en-v1.5",
      "workers-ai @cf/black-forest-labs/flux-1-schnell",
    ],
    [
      "a @cf/ model id puts that part on Workers AI",
      { AI, OPENAI_API_KEY: KEY, EDGECHAT_PROVIDER: "openai", EDGECHAT_SMALL_MODEL: "@cf/meta/llama-3.3-70b-instruct-fp8-fast", EDGECHAT_EMBEDDING_MODEL: "@cf/baai/bge-small-en-v1.5" },
      "workers-ai @cf/meta/llama-3.3-70b-instruct-fp8-fast",
      "openai gpt-4.1",
      "workers-ai @cf/baai/bge-small-en-v1.5",
      "openai gpt-image-1-mini",
    ],
    [
      "embeddings and images chosen on their own",
      { AI, OPENAI_API_KEY: KEY, EDGECHAT_PROVIDER: "openai", EDGECHAT_EMBEDDING_PROVIDER: "workers-ai", EDGECHAT_IMAGE_PROVIDER: "offline" },
      "openai gpt-4.1-mini",
      "openai gpt-4.1",
      "workers-ai @cf/baai/bge-base-en-v1.5",
      "offline offline-image",
    ],
  ];
  it.each(table)("%s", (_name, config, small, large, embedding, image) => {
    const plan = modelPlanFor(config);
    expect([plan.small, plan.large, plan.embedding, plan.image].map((part) => `${part.source} ${part.model}`)).toEqual([small, large, embedding, image]);
  });

  it("builds the model objects of the plan: Workers AI through workers-ai-provider, OpenAI through @ai-sdk/openai", () => {
    const mixed = modelsFromEnv({ AI, OPENAI_API_KEY: KEY, EDGECHAT_LARGE_PROVIDER: "openai" });
    expect(mixed.small!.provider).toBe("workersai.chat");
    expect(mixed.small!.modelId).toBe("@cf/meta/llama-3.1-8b-instruct-fp8-fast");
    expect(mixed.large!.provider).toBe("openai.chat");
    expect(mixed.embedding!.provider).toBe("workersai.embedding");
    expect(mixed.image!.provider).toBe("workersai.image");
    expect(mixed.embeddingDimensions).toBe(768);
    expect(mixed.source).toBe("mixed");
    expect(sourcesOf(mixed).large).toEqual({ source: "openai", model: "gpt-4.1" });
    const cloudflare = modelsFromEnv({ AI });
    expect([cloudflare.source, cloudflare.large!.provider, cloudflare.large!.modelId]).toEqual(["workers-ai", "workersai.chat", "@cf/openai/gpt-oss-120b"]);
  });

  it("a bot's @cf/ model id runs on Workers AI, another id on its tier's source", () => {
    const models = modelsFromEnv({ AI, OPENAI_API_KEY: KEY, EDGECHAT_PROVIDER: "openai" });
    const tiers = tierModelsFor(models, { small: "@cf/meta/llama-3.2-3b-instruct", large: "o3" });
    expect([tiers.small.provider, tiers.small.modelId]).toEqual(["workersai.chat", "@cf/meta/llama-3.2-3b-instruct"]);
    expect([tiers.large.provider, tiers.large.modelId]).toEqual(["openai.chat", "o3"]);
  });

  it("embedding dimensions follow the embedder, for the index and the deploy command", () => {
    expect(embeddingDimensionsFor({})).toBe(384);
    expect(embeddingDimensionsFor({ OPENAI_API_KEY: KEY })).toBe(1536);
    expect(embeddingDimensionsFor({ OPENAI_API_KEY: KEY, EDGECHAT_EMBEDDING_DIMENSIONS: "512" })).toBe(512);
    expect(embeddingDimensionsFor({ AI: true })).toBe(768);
    expect(embeddingDimensionsFor({ AI: true, EDGECHAT_EMBEDDING_MODEL: "@cf/baai/bge-large-en-v1.5" })).toBe(1024);
    expect(embeddingDimensionsFor({ AI: true, EDGECHAT_EMBEDDING_MODEL: "@cf/baai/bge-small-en-v1.5", EDGECHAT_EMBEDDING_DIMENSIONS: "384" })).toBe(384);
  });

  it.each([
    [{ EDGECHAT_PROVIDER: "workers-ai" }, /no AI binding/],
    [{ EDGECHAT_LARGE_PROVIDER: "openai" }, /OPENAI_API_KEY is not set/],
    [{ EDGECHAT_PROVIDER: "anthropic" }, /EDGECHAT_PROVIDER must be one of offline, openai, workers-ai or auto/],
    [{ AI: true, EDGECHAT_EMBEDDING_DIMENSIONS: "384" }, /produces 768-dimension vectors; EDGECHAT_EMBEDDING_DIMENSIONS is 384/],
    [{ AI: true, EDGECHAT_EMBEDDING_MODEL: "@cf/somebody/new-embedder" }, /Set EDGECHAT_EMBEDDING_DIMENSIONS/],
  ] as [ModelConfig, RegExp][])("refuses a configuration it cannot serve, saying why: %o", (config, message) => {
    expect(() => modelPlanFor(config)).toThrow(message);
  });
});
