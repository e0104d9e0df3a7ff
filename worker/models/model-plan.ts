import { OFFLINE_EMBEDDING_DIMENSIONS } from "./offline-embedding-model";

/** Where a model runs: edgechat's own offline stand-ins, OpenAI (or any OpenAI-compatible server), or Workers AI. */
export type ModelSource = "offline" | "openai" | "workers-ai";

/** The four parts a deployment chooses a source for. */
export type ModelPart = "small" | "large" | "embedding" | "image";

/** The settings model selection reads: the worker's env, or the vars and bindings the deploy command knows of. */
export interface ModelConfig {
  /** offline | openai | workers-ai; unset or "auto": an AI binding → workers-ai, else OPENAI_API_KEY → openai, else offline. */
  EDGECHAT_PROVIDER?: string;
  EDGECHAT_SMALL_PROVIDER?: string;
  EDGECHAT_LARGE_PROVIDER?: string;
  EDGECHAT_EMBEDDING_PROVIDER?: string;
  EDGECHAT_IMAGE_PROVIDER?: string;
  EDGECHAT_CHAT_MODEL?: string;
  EDGECHAT_SMALL_MODEL?: string;
  EDGECHAT_LARGE_MODEL?: string;
  EDGECHAT_EMBEDDING_MODEL?: string;
  EDGECHAT_EMBEDDING_DIMENSIONS?: string;
  EDGECHAT_IMAGE_MODEL?: string;
  OPENAI_API_KEY?: string;
  /** The Workers AI binding; only its presence matters here (the deploy command passes `true` when the config has one). */
  AI?: unknown;
}

/** One part's choice: its source and model id. */
export interface PlannedModel {
  source: ModelSource;
  model: string;
}

/** Which source and model every part uses, decided from configuration alone (no network, no binding call). */
export interface ModelPlan {
  small: PlannedModel;
  large: PlannedModel;
  embedding: PlannedModel & { dimensions: number };
  image: PlannedModel;
}

/** Defaults per source. Workers AI prices and sources: docs/workers-ai.md and worker/routing/price-table.ts. */
export const DEFAULT_MODELS: Readonly<Record<ModelSource, Readonly<Record<ModelPart, string>>>> = Object.freeze({
  offline: { small: "offline-small", large: "offline-large", embedding: "offline-embedding", image: "offline-image" },
  openai: { small: "gpt-4.1-mini", large: "gpt-4.1", embedding: "text-embedding-3-small", image: "gpt-image-1-mini" },
  "workers-ai": {
    small: "@cf/meta/llama-3.1-8b-instruct-fp8-fast",
    large: "@cf/openai/gpt-oss-120b",
    embedding: "@cf/baai/bge-base-en-v1.5",
    image: "@cf/black-forest-labs/flux-1-schnell",
  },
});

/** OpenAI's text-embedding-3 models can shorten their vectors; this is their full length (and the default). */
export const DEFAULT_OPENAI_EMBEDDING_DIMENSIONS = 1536;

/**
 * The vector length of Workers AI's embedding models (fixed by the model: it cannot be changed), from the
 * model catalogue (developers.cloudflare.com/workers-ai/models). Vectorize takes at most 1536 dimensions.
 */
export const WORKERS_AI_EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = Object.freeze({
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-large-en-v1.5": 1024,
  "@cf/baai/bge-m3": 1024,
  "@cf/google/embeddinggemma-300m": 768,
  "@cf/qwen/qwen3-embedding-0.6b": 1024,
});

const SOURCES: readonly ModelSource[] = ["offline", "openai", "workers-ai"];
const PART_PROVIDER: Record<ModelPart, keyof ModelConfig> = {
  small: "EDGECHAT_SMALL_PROVIDER",
  large: "EDGECHAT_LARGE_PROVIDER",
  embedding: "EDGECHAT_EMBEDDING_PROVIDER",
  image: "EDGECHAT_IMAGE_PROVIDER",
};

/** True for a Workers AI model id (`@cf/…` or `@hf/…`). */
export function isWorkersAiModelId(modelId: string | undefined): boolean {
  return modelId !== undefined && /^@(?:cf|hf)\//.test(modelId);
}

/**
 * Decides, for each tier, the embedder and the image model, which source and model serve it:
 *
 * 1. the part's own provider (EDGECHAT_SMALL_PROVIDER, …_LARGE_, …_EMBEDDING_, …_IMAGE_PROVIDER);
 * 2. else a Workers AI model id (`@cf/…`, `@hf/…`) in the part's model setting means workers-ai;
 * 3. else EDGECHAT_PROVIDER;
 * 4. else automatic: an `AI` binding → workers-ai, else OPENAI_API_KEY → openai, else offline.
 *
 * The model is the part's setting (EDGECHAT_SMALL_MODEL, …) or the source's default; the offline source
 * has its own fixed models. Throws a clear Error for an unknown provider, a source whose credentials are
 * missing, or an embedding size that the model cannot produce.
 *
 * @example
 * modelPlanFor({ AI: env.AI, OPENAI_API_KEY: "sk-…", EDGECHAT_LARGE_PROVIDER: "openai" }).large
 * // { source: "openai", model: "gpt-4.1" }
 */
export function modelPlanFor(config: ModelConfig): ModelPlan {
  const fallback = globalSource(config);
  const sourceOf = (part: ModelPart, modelSetting: string | undefined): ModelSource => {
    const explicit = parseSource(config[PART_PROVIDER[part]] as string | undefined, PART_PROVIDER[part]);
    const source = explicit ?? (isWorkersAiModelId(modelSetting) ? "workers-ai" : fallback);
    if (source === "workers-ai" && !config.AI) {
      throw new Error(`The ${part} model is set to Workers AI, but the worker has no AI binding: add "ai": { "binding": "AI" } to wrangler.jsonc (docs/workers-ai.md).`);
    }
    if (source === "openai" && !config.OPENAI_API_KEY) {
      throw new Error(`The ${part} model is set to OpenAI, but OPENAI_API_KEY is not set.`);
    }
    return source;
  };
  const planned = (part: ModelPart, setting: string | undefined): PlannedModel => {
    const source = sourceOf(part, setting);
    return { source, model: source === "offline" ? DEFAULT_MODELS.offline[part] : setting || DEFAULT_MODELS[source][part] };
  };
  const embedding = planned("embedding", config.EDGECHAT_EMBEDDING_MODEL || undefined);
  return {
    small: planned("small", config.EDGECHAT_SMALL_MODEL || config.EDGECHAT_CHAT_MODEL || undefined),
    large: planned("large", config.EDGECHAT_LARGE_MODEL || undefined),
    embedding: { ...embedding, dimensions: dimensionsOf(embedding, config.EDGECHAT_EMBEDDING_DIMENSIONS) },
    image: planned("image", config.EDGECHAT_IMAGE_MODEL || undefined),
  };
}

/**
 * The length of the vectors this configuration's embedder produces: what the Vectorize index must be
 * created with (`wrangler vectorize create … --dimensions=<n>`) and what the dimension check compares
 * against. Pass the worker's vars and secrets, with `AI: true` when wrangler.jsonc binds Workers AI.
 *
 * @example
 * embeddingDimensionsFor({ AI: true })                       // 768 (@cf/baai/bge-base-en-v1.5)
 * embeddingDimensionsFor({ OPENAI_API_KEY: "sk-…" })         // 1536 (text-embedding-3-small)
 * embeddingDimensionsFor({})                                  // 384 (offline)
 */
export function embeddingDimensionsFor(config: ModelConfig): number {
  return modelPlanFor(config).embedding.dimensions;
}

function globalSource(config: ModelConfig): ModelSource {
  const chosen = config.EDGECHAT_PROVIDER === "auto" ? undefined : parseSource(config.EDGECHAT_PROVIDER, "EDGECHAT_PROVIDER");
  if (chosen) return chosen;
  if (config.AI) return "workers-ai";
  if (config.OPENAI_API_KEY) return "openai";
  return "offline";
}

function parseSource(value: string | undefined, name: string): ModelSource | undefined {
  if (value === undefined || value === "") return undefined;
  if ((SOURCES as readonly string[]).includes(value)) return value as ModelSource;
  throw new Error(`${name} must be one of ${SOURCES.join(", ")}${name === "EDGECHAT_PROVIDER" ? " or auto" : ""}, got ${JSON.stringify(value)}.`);
}

function dimensionsOf(embedding: PlannedModel, setting: string | undefined): number {
  const configured = parseDimensions(setting);
  if (embedding.source === "workers-ai") {
    const fixed = WORKERS_AI_EMBEDDING_DIMENSIONS[embedding.model];
    if (fixed !== undefined && configured !== undefined && configured !== fixed) {
      throw new Error(`${embedding.model} produces ${fixed}-dimension vectors; EDGECHAT_EMBEDDING_DIMENSIONS is ${configured}. Unset it or set it to ${fixed}.`);
    }
    const dimensions = fixed ?? configured;
    if (dimensions === undefined) {
      throw new Error(`Set EDGECHAT_EMBEDDING_DIMENSIONS to the vector length of ${embedding.model} (edgechat does not know it).`);
    }
    return dimensions;
  }
  return configured ?? (embedding.source === "openai" ? DEFAULT_OPENAI_EMBEDDING_DIMENSIONS : OFFLINE_EMBEDDING_DIMENSIONS);
}

function parseDimensions(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 8 || parsed > 1536) {
    throw new Error(`EDGECHAT_EMBEDDING_DIMENSIONS must be an integer from 8 to 1536, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}
