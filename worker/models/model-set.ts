import type { EmbeddingModelV3, ImageModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { createOpenAI } from "@ai-sdk/openai";
import type { EdgechatEnv } from "../env";
import { createOfflineEmbeddingModel, OFFLINE_EMBEDDING_DIMENSIONS } from "./offline-embedding-model";
import { createOfflineImageModel } from "../images/offline-image-model";
import { withOfflineImageRequests } from "./offline-image-requests";
import { createOfflineLargeModel, createOfflineSmallModel } from "./offline-tier-models";
import { wordVectorsFromAssets } from "./word-vectors-from-assets";

/** The models one worker uses. Tests hand in mocks; production builds them from env. */
export interface ModelSet {
  /** The default chat model; serves any tier that is not given (and is the small tier from env). */
  chat: LanguageModelV3;
  /** Image model for the generate_image tool; without one, no image tool is offered. */
  image?: ImageModelV3;
  /** Embeds documents and questions for retrieval; without it chat turns are not grounded. */
  embedding?: EmbeddingModelV3;
  /** Length of `embedding`'s vectors: the vector index must have exactly these dimensions. */
  embeddingDimensions?: number;
  /** The cheap first tier. Default: `chat`. */
  small?: LanguageModelV3;
  /** The stronger tier for hard questions and escalations. Default: `chat`. */
  large?: LanguageModelV3;
  /** Builds a model of the configured provider by id, for per-bot overrides (`bot.models`). */
  byId?: (modelId: string) => LanguageModelV3;
  /**
   * Loads ahead what the models otherwise load on first use (the offline word vectors), so the first
   * turn of an isolate does not wait for it; `createEdgechatWorker` starts it beside every request.
   */
  prepare?: () => Promise<unknown>;
  /** "openai" when a key is configured, "offline" otherwise. */
  source: "openai" | "offline" | "custom";
}

/** Image model used with a key when EDGECHAT_IMAGE_MODEL is unset: OpenAI's cheapest GPT image model. */
export const DEFAULT_OPENAI_IMAGE_MODEL = "gpt-image-1-mini";
export const DEFAULT_OPENAI_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_OPENAI_EMBEDDING_DIMENSIONS = 1536;
/** Small tier default for OpenAI (also EDGECHAT_CHAT_MODEL's old default). */
export const DEFAULT_OPENAI_SMALL_MODEL = "gpt-4.1-mini";
/** Large tier default for OpenAI. */
export const DEFAULT_OPENAI_LARGE_MODEL = "gpt-4.1";
/** @deprecated use DEFAULT_OPENAI_SMALL_MODEL */
export const DEFAULT_OPENAI_CHAT_MODEL = DEFAULT_OPENAI_SMALL_MODEL;

/**
 * Chooses the models by configuration alone: with OPENAI_API_KEY the OpenAI provider
 * (any OpenAI-compatible server through OPENAI_BASE_URL), otherwise the offline models.
 * Tiers: EDGECHAT_SMALL_MODEL (or the older EDGECHAT_CHAT_MODEL), default gpt-4.1-mini, and
 * EDGECHAT_LARGE_MODEL, default gpt-4.1. Offline: "offline-small" (terse) and "offline-large" (thorough).
 *
 * @example
 * const models = modelsFromEnv({ OPENAI_API_KEY: "sk-…", OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" });
 */
export function modelsFromEnv(env: EdgechatEnv): ModelSet {
  if (env.OPENAI_API_KEY) {
    const openai = createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined });
    const byId = (modelId: string) => (env.OPENAI_API_STYLE === "responses" ? openai.responses(modelId) : openai.chat(modelId));
    const small = byId(env.EDGECHAT_SMALL_MODEL || env.EDGECHAT_CHAT_MODEL || DEFAULT_OPENAI_SMALL_MODEL);
    const large = byId(env.EDGECHAT_LARGE_MODEL || DEFAULT_OPENAI_LARGE_MODEL);
    const embeddingDimensions = parseDimensions(env.EDGECHAT_EMBEDDING_DIMENSIONS, DEFAULT_OPENAI_EMBEDDING_DIMENSIONS);
    const embedding = withOpenAIDimensions(
      openai.embedding(env.EDGECHAT_EMBEDDING_MODEL || DEFAULT_OPENAI_EMBEDDING_MODEL),
      embeddingDimensions,
    );
    const image = openai.image(env.EDGECHAT_IMAGE_MODEL || DEFAULT_OPENAI_IMAGE_MODEL);
    return { chat: small, small, large, byId, image, embedding, embeddingDimensions, source: "openai" };
  }
  const delayMs = parseDelay(env.OFFLINE_MODEL_DELAY_MS);
  const embeddingDimensions = parseDimensions(env.EDGECHAT_EMBEDDING_DIMENSIONS, OFFLINE_EMBEDDING_DIMENSIONS);
  // The word vectors are a static asset, fetched on the first offline embedding or answer (not in the Worker bundle).
  const wordVectors = wordVectorsFromAssets(env.ASSETS);
  // Both offline tiers call the image tool when the visitor asks for a picture.
  const small = withOfflineImageRequests(createOfflineSmallModel({ delayMs, wordVectors }));
  const large = withOfflineImageRequests(createOfflineLargeModel({ delayMs, wordVectors }));
  return {
    chat: small,
    small,
    large,
    image: createOfflineImageModel(),
    embedding: createOfflineEmbeddingModel({ dimensions: embeddingDimensions, wordVectors }),
    embeddingDimensions,
    prepare: () => wordVectors.load(),
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

/**
 * The small and large model of one bot: the bot's own model ids (`bot.models`) when the provider can
 * build models by id, else the deployment's tiers.
 *
 * @example
 * const { small, large } = tierModelsFor(models, bot.models);
 */
export function tierModelsFor(models: ModelSet, overrides: { small?: string; large?: string } = {}) {
  const small = overrides.small && models.byId ? models.byId(overrides.small) : (models.small ?? models.chat);
  const large = overrides.large && models.byId ? models.byId(overrides.large) : (models.large ?? models.chat);
  return { small, large };
}

function parseDelay(value: string | undefined): number {
  if (value === undefined || value === "") return 25;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.min(parsed, 5000) : 25;
}
