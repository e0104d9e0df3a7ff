import { createWorkersAI } from "workers-ai-provider";
import type { EmbeddingModelV3, ImageModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { gatewayMetadataOf } from "./ai-gateway";
import { withoutToolCalling } from "./tool-less-model";

/**
 * Workers AI chat models the model catalogue marks "Function calling: Yes" (developers.cloudflare.com/workers-ai/models,
 * read 2026-11-30), plus the gpt-oss models, whose tool calls work through the chat completions format
 * (Workers AI changelog, "Chat Completions API support for gpt-oss models and tool calling improvements").
 * Other models get no tools (worker/models/tool-less-model.ts). EDGECHAT_WORKERS_AI_TOOL_MODELS adds ids.
 */
export const WORKERS_AI_TOOL_MODELS: ReadonlySet<string> = new Set([
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  "@cf/meta/llama-4-scout-17b-16e-instruct",
  "@hf/nousresearch/hermes-2-pro-mistral-7b",
  "@cf/openai/gpt-oss-120b",
  "@cf/openai/gpt-oss-20b",
]);

export interface WorkersAiModelOptions {
  /** The `AI` binding (or a fake of it in tests). */
  binding: Ai;
  /** AI_GATEWAY_ID: every call then goes through that gateway, with the call's bot and tier as metadata. */
  gatewayId?: string;
  /** Extra model ids that support tool calling (EDGECHAT_WORKERS_AI_TOOL_MODELS, comma-separated). */
  toolModels?: string;
}

/** Whether edgechat offers tools (escalate, generate_image) to this Workers AI model. */
export function workersAiSupportsTools(modelId: string, extra = ""): boolean {
  return WORKERS_AI_TOOL_MODELS.has(modelId) || extra.split(",").map((id) => id.trim()).includes(modelId);
}

/**
 * A Workers AI chat model through `workers-ai-provider` (`env.AI.run(model, { messages, tools?, stream })`).
 * With a gateway, each call is built with `gateway: { id, metadata: { bot, tier } }` from the call's tags.
 * A model without tool calling is wrapped by `withoutToolCalling`.
 *
 * @example
 * const small = workersAiChatModel("@cf/meta/llama-3.1-8b-instruct-fp8-fast", { binding: env.AI });
 */
export function workersAiChatModel(modelId: string, options: WorkersAiModelOptions): LanguageModelV3 {
  const build = (metadata?: Record<string, string>) => providerFor(options, metadata).chat(modelId);
  const base = build();
  const model: LanguageModelV3 = options.gatewayId
    ? {
        specificationVersion: "v3",
        provider: base.provider,
        modelId,
        supportedUrls: base.supportedUrls,
        doGenerate: (call) => build(gatewayMetadataOf(call.providerOptions)).doGenerate(call),
        doStream: (call) => build(gatewayMetadataOf(call.providerOptions)).doStream(call),
      }
    : base;
  return workersAiSupportsTools(modelId, options.toolModels) ? model : withoutToolCalling(model);
}

/** A Workers AI embedding model (`env.AI.run(model, { text: [...] })` → `{ data: number[][] }`). */
export function workersAiEmbeddingModel(modelId: string, options: WorkersAiModelOptions): EmbeddingModelV3 {
  const build = (metadata?: Record<string, string>) => providerFor(options, metadata).textEmbedding(modelId);
  const base = build();
  if (!options.gatewayId) return base;
  return {
    specificationVersion: "v3",
    provider: base.provider,
    modelId,
    maxEmbeddingsPerCall: base.maxEmbeddingsPerCall,
    supportsParallelCalls: base.supportsParallelCalls,
    doEmbed: (call) => build(gatewayMetadataOf(call.providerOptions)).doEmbed(call),
  };
}

/** A Workers AI image model (`env.AI.run(model, { prompt, width, height })` → `{ image: base64 }` or bytes). */
export function workersAiImageModel(modelId: string, options: WorkersAiModelOptions): ImageModelV3 {
  const build = (metadata?: Record<string, string>) => providerFor(options, metadata).image(modelId);
  const base = build();
  if (!options.gatewayId) return base;
  return {
    specificationVersion: "v3",
    provider: base.provider,
    modelId,
    maxImagesPerCall: base.maxImagesPerCall,
    doGenerate: (call) => build(gatewayMetadataOf(call.providerOptions)).doGenerate(call),
  };
}

function providerFor(options: WorkersAiModelOptions, metadata: Record<string, string> | undefined) {
  return createWorkersAI({
    binding: options.binding,
    ...(options.gatewayId ? { gateway: { id: options.gatewayId, ...(metadata ? { metadata } : {}) } } : {}),
  });
}
