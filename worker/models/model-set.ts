import type { EmbeddingModelV3, ImageModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { createOpenAI, type OpenAIProvider } from "@ai-sdk/openai";
import type { EdgechatEnv } from "../env";
import { createOfflineEmbeddingModel } from "./offline-embedding-model";
import { createOfflineImageModel } from "../images/offline-image-model";
import { withOfflineImageRequests } from "./offline-image-requests";
import { createOfflineLargeModel, createOfflineSmallModel } from "./offline-tier-models";
import { wordVectorsFromAssets } from "./word-vectors-from-assets";
import type { WordVectorsLoader } from "./word-vectors";
import {
  aiGatewayFromEnv,
  openAIGatewayBaseUrl,
  openAIGatewayHeaders,
  withCallTags,
  withOpenAIGatewayEmbeddingMetadata,
  withOpenAIGatewayImageMetadata,
  withOpenAIGatewayMetadata,
  type AiGatewayConfig,
} from "./ai-gateway";
import { DEFAULT_MODELS, isWorkersAiModelId, modelPlanFor, type ModelPlan, type ModelSource, type PlannedModel } from "./model-plan";
import { workersAiChatModel, workersAiEmbeddingModel, workersAiImageModel, type WorkersAiModelOptions } from "./workers-ai-models";

export { DEFAULT_OPENAI_EMBEDDING_DIMENSIONS, embeddingDimensionsFor, modelPlanFor, type ModelSource } from "./model-plan";

/** Which source and model serve each part of a model set (GET /v1/health, `npm start`). */
export interface ModelSources {
  small: PlannedModel;
  large: PlannedModel;
  embedding?: PlannedModel & { dimensions: number };
  image?: PlannedModel;
}

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
  /**
   * Loads ahead what the models otherwise load on first use (the offline word vectors), so the first
   * turn of an isolate does not wait for it; `createEdgechatWorker` starts it beside every request.
   */
  prepare?: () => Promise<unknown>;
  /** Builds a model by id for per-bot overrides (`bot.models`): a `@cf/` id on Workers AI, else the tier's own source. */
  byId?: (modelId: string, tier?: "small" | "large") => LanguageModelV3;
  /** The source of every part when they agree, "mixed" when they do not, "custom" for a set a test or host built. */
  source: ModelSource | "mixed" | "custom";
  /** Each part's source and model, when the set was built from configuration. */
  sources?: ModelSources;
  /** True when model calls go through Cloudflare AI Gateway (AI_GATEWAY_ID). */
  aiGateway?: boolean;
}

/** Image model used with a key when EDGECHAT_IMAGE_MODEL is unset: OpenAI's cheapest GPT image model. */
export const DEFAULT_OPENAI_IMAGE_MODEL = DEFAULT_MODELS.openai.image;
export const DEFAULT_OPENAI_EMBEDDING_MODEL = DEFAULT_MODELS.openai.embedding;
/** Small tier default for OpenAI (also EDGECHAT_CHAT_MODEL's old default). */
export const DEFAULT_OPENAI_SMALL_MODEL = DEFAULT_MODELS.openai.small;
/** Large tier default for OpenAI. */
export const DEFAULT_OPENAI_LARGE_MODEL = DEFAULT_MODELS.openai.large;
/** @deprecated use DEFAULT_OPENAI_SMALL_MODEL */
export const DEFAULT_OPENAI_CHAT_MODEL = DEFAULT_OPENAI_SMALL_MODEL;

/**
 * Chooses the models by configuration alone (worker/models/model-plan.ts): per tier, embedder and image
 * model, one of the offline models, OpenAI (any OpenAI-compatible server through OPENAI_BASE_URL) or
 * Workers AI (the `AI` binding). EDGECHAT_PROVIDER sets all parts, EDGECHAT_SMALL_PROVIDER (…_LARGE_,
 * …_EMBEDDING_, …_IMAGE_) one part; without any, an AI binding means Workers AI, else OPENAI_API_KEY means
 * OpenAI, else offline. With AI_GATEWAY_ID, OpenAI and Workers AI calls go through AI Gateway, each
 * tagged with its bot and tier.
 *
 * @example
 * const models = modelsFromEnv({ OPENAI_API_KEY: "sk-…", OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" });
 * const cloudflare = modelsFromEnv({ AI: env.AI, EDGECHAT_LARGE_PROVIDER: "openai", OPENAI_API_KEY: "sk-…" });
 */
export function modelsFromEnv(env: EdgechatEnv): ModelSet {
  const plan = modelPlanFor(env);
  const gateway = aiGatewayFromEnv(env);
  let openai: OpenAIProvider | undefined;
  const openaiProvider = () => (openai ??= createOpenAIProvider(env, gateway));
  const workersAi: WorkersAiModelOptions | undefined = env.AI
    ? { binding: env.AI, gatewayId: gateway?.id, toolModels: env.EDGECHAT_WORKERS_AI_TOOL_MODELS }
    : undefined;
  const delayMs = parseDelay(env.OFFLINE_MODEL_DELAY_MS);
  // The offline models' word vectors are a static asset, fetched on first offline use (not in the Worker bundle).
  const wordVectors = wordVectorsFromAssets(env.ASSETS);

  const chatModel = (source: ModelSource, modelId: string, tier: "small" | "large"): LanguageModelV3 => {
    if (source === "workers-ai") return workersAiChatModel(modelId, workersAi!);
    if (source === "openai") {
      const model = env.OPENAI_API_STYLE === "responses" ? openaiProvider().responses(modelId) : openaiProvider().chat(modelId);
      return gateway ? withOpenAIGatewayMetadata(model) : model;
    }
    // Both offline tiers call the image tool when the visitor asks for a picture.
    return withOfflineImageRequests(tier === "small" ? createOfflineSmallModel({ delayMs, wordVectors }) : createOfflineLargeModel({ delayMs, wordVectors }));
  };
  const small = chatModel(plan.small.source, plan.small.model, "small");
  const large = chatModel(plan.large.source, plan.large.model, "large");
  const byId = (modelId: string, tier: "small" | "large" = "small"): LanguageModelV3 => {
    if (isWorkersAiModelId(modelId) && workersAi) return chatModel("workers-ai", modelId, tier);
    const source = plan[tier].source;
    // The offline source has fixed models: a bot's own model ids do not apply to it.
    if (source === "offline") return tier === "small" ? small : large;
    return chatModel(source, modelId, tier);
  };
  const image = imageModel(plan, openaiProvider, workersAi, gateway);
  const embedding = embeddingModel(plan, openaiProvider, workersAi, gateway, wordVectors);
  const usesOffline = [plan.small, plan.large, plan.embedding].some((part) => part.source === "offline");
  return {
    chat: small,
    small,
    large,
    byId,
    image,
    embedding,
    embeddingDimensions: plan.embedding.dimensions,
    ...(usesOffline ? { prepare: () => wordVectors.load() } : {}),
    source: overallSource(plan),
    // The models' own ids (the offline embedder's id names its vector table, e.g. offline-hashing-glove-v3-…).
    sources: { ...plan, embedding: { ...plan.embedding, model: embedding.modelId }, image: { ...plan.image, model: image.modelId } },
    aiGateway: gateway !== undefined,
  };
}

function createOpenAIProvider(env: EdgechatEnv, gateway: AiGatewayConfig | undefined): OpenAIProvider {
  // An explicit OPENAI_BASE_URL (e.g. a local server) wins over the gateway.
  const baseURL = env.OPENAI_BASE_URL || (gateway ? openAIGatewayBaseUrl(gateway) : undefined);
  return createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL, headers: gateway ? openAIGatewayHeaders(gateway) : undefined });
}

function imageModel(plan: ModelPlan, openai: () => OpenAIProvider, workersAi: WorkersAiModelOptions | undefined, gateway: AiGatewayConfig | undefined): ImageModelV3 {
  const { source, model } = plan.image;
  if (source === "workers-ai") return workersAiImageModel(model, workersAi!);
  if (source === "openai") return gateway ? withOpenAIGatewayImageMetadata(openai().image(model)) : openai().image(model);
  return createOfflineImageModel();
}

function embeddingModel(
  plan: ModelPlan,
  openai: () => OpenAIProvider,
  workersAi: WorkersAiModelOptions | undefined,
  gateway: AiGatewayConfig | undefined,
  wordVectors: WordVectorsLoader,
): EmbeddingModelV3 {
  const { source, model, dimensions } = plan.embedding;
  if (source === "workers-ai") return workersAiEmbeddingModel(model, workersAi!);
  if (source === "openai") {
    const embedding = withOpenAIDimensions(openai().embedding(model), dimensions);
    return gateway ? withOpenAIGatewayEmbeddingMetadata(embedding) : embedding;
  }
  return createOfflineEmbeddingModel({ dimensions, wordVectors });
}

function overallSource(plan: ModelPlan): ModelSet["source"] {
  const sources = new Set([plan.small.source, plan.large.source, plan.embedding.source, plan.image.source]);
  return sources.size === 1 ? [...sources][0]! : "mixed";
}

/**
 * Each part's source and model: the plan of a set built from env, else (a set a test or host built)
 * what the models themselves say.
 *
 * @example
 * sourcesOf(modelsFromEnv({})).small // { source: "offline", model: "offline-small" }
 */
export function sourcesOf(models: ModelSet): ModelSources {
  if (models.sources) return models.sources;
  const source = models.source as ModelSource;
  return {
    small: { source, model: (models.small ?? models.chat).modelId },
    large: { source, model: (models.large ?? models.chat).modelId },
    ...(models.embedding ? { embedding: { source, model: models.embedding.modelId, dimensions: models.embeddingDimensions ?? 0 } } : {}),
    ...(models.image ? { image: { source, model: models.image.modelId } } : {}),
  };
}

/** The source of the embedder: what retrieval's score thresholds depend on. */
export function embedderSourceOf(models: ModelSet): ModelSet["source"] {
  return models.sources?.embedding?.source ?? models.source;
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

/**
 * The small and large model of one bot: the bot's own model ids (`bot.models`) when the provider can
 * build models by id, else the deployment's tiers. With `botId` and AI Gateway on, every call is tagged
 * with the bot and the tier.
 *
 * @example
 * const { small, large } = tierModelsFor(models, bot.models, bot.id);
 */
export function tierModelsFor(models: ModelSet, overrides: { small?: string; large?: string } = {}, botId?: string) {
  const small = overrides.small && models.byId ? models.byId(overrides.small, "small") : (models.small ?? models.chat);
  const large = overrides.large && models.byId ? models.byId(overrides.large, "large") : (models.large ?? models.chat);
  // Behind AI Gateway each call carries its bot and tier, recorded as metadata (cost per bot in its analytics).
  if (botId === undefined || !models.aiGateway) return { small, large };
  return { small: withCallTags(small, { bot: botId, tier: "small" }), large: withCallTags(large, { bot: botId, tier: "large" }) };
}

function parseDelay(value: string | undefined): number {
  if (value === undefined || value === "") return 25;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.min(parsed, 5000) : 25;
}
