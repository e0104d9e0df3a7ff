import type { EmbeddingModelV3, ImageModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { createOpenAI } from "@ai-sdk/openai";
import type { EdgechatEnv } from "../env";
import { createOfflineLanguageModel } from "./offline-language-model";
import { createOfflineEmbeddingModel, OFFLINE_EMBEDDING_DIMENSIONS } from "./offline-embedding-model";
import { createOfflineImageModel } from "../images/offline-image-model";
import { withOfflineImageRequests } from "./offline-image-requests";

/** The models one worker uses. Tests hand in mocks; production builds them from env. */
export interface ModelSet {
  chat: LanguageModelV3;
  /** Image model for the generate_image tool; without one, no image tool is offered. */
  image?: ImageModelV3;
  /** Embeds documents and questions for retrieval; without it chat turns are not grounded. */
  embedding?: EmbeddingModelV3;
  /** Length of `embedding`'s vectors: the vector index must have exactly these dimensions. */
  embeddingDimensions?: number;
  /** "openai" when a key is configured, "offline" otherwise. */
  source: "openai" | "offline" | "custom";
}

export const DEFAULT_OPENAI_CHAT_MODEL = "gpt-4.1-mini";
/** Image model used with a key when EDGECHAT_IMAGE_MODEL is unset: OpenAI's cheapest GPT image model. */
export const DEFAULT_OPENAI_IMAGE_MODEL = "gpt-image-1-mini";
export const DEFAULT_OPENAI_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_OPENAI_EMBEDDING_DIMENSIONS = 1536;

/**
 * Chooses the models by configuration alone: with OPENAI_API_KEY the OpenAI provider
 * (any OpenAI-compatible server through OPENAI_BASE_URL), otherwise the offline models.
 *
 * @example
 * const models = modelsFromEnv({ OPENAI_API_KEY: "sk-…", OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" });
 */
export function modelsFromEnv(env: EdgechatEnv): ModelSet {
  if (env.OPENAI_API_KEY) {
    const openai = createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined });
    const chatModelId = env.EDGECHAT_CHAT_MODEL || DEFAULT_OPENAI_CHAT_MODEL;
    const chat = env.OPENAI_API_STYLE === "responses" ? openai.responses(chatModelId) : openai.chat(chatModelId);
    const embeddingDimensions = parseDimensions(env.EDGECHAT_EMBEDDING_DIMENSIONS, DEFAULT_OPENAI_EMBEDDING_DIMENSIONS);
    const embedding = withOpenAIDimensions(
      openai.embedding(env.EDGECHAT_EMBEDDING_MODEL || DEFAULT_OPENAI_EMBEDDING_MODEL),
      embeddingDimensions,
    );
    const image = openai.image(env.EDGECHAT_IMAGE_MODEL || DEFAULT_OPENAI_IMAGE_MODEL);
    return { chat, image, embedding, embeddingDimensions, source: "openai" };
  }
  const delayMs = parseDelay(env.OFFLINE_MODEL_DELAY_MS);
  const embeddingDimensions = parseDimensions(env.EDGECHAT_EMBEDDING_DIMENSIONS, OFFLINE_EMBEDDING_DIMENSIONS);
  return {
    chat: withOfflineImageRequests(createOfflineLanguageModel({ modelId: "offline", delayMs })),
    image: createOfflineImageModel(),
    embedding: createOfflineEmbeddingModel({ dimensions: embeddingDimensions }),
    embeddingDimensions,
    source: "offline",
  };
}

/** Asks OpenAI's text-embedding-3 models for `dimensions`-long vectors on every call. */
function withOpenAIDimensions(model: EmbeddingModelV3, dimensions: number): EmbeddingModelV3 {
  return {
    specificationVersion: "v3",
    provider: model.provider,
    modelId: model.modelId,
    maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
    supportsParallelCalls: model.supportsParallelCalls,
    doEmbed: (options) =>
      model.doEmbed({
        ...options,
        providerOptions: { ...options.providerOptions, openai: { ...options.providerOptions?.openai, dimensions } },
      }),
  };
}

function parseDimensions(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 8 || parsed > 1536) {
    throw new Error(`EDGECHAT_EMBEDDING_DIMENSIONS must be an integer from 8 to 1536, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

function parseDelay(value: string | undefined): number {
  if (value === undefined || value === "") return 25;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.min(parsed, 5000) : 25;
}
