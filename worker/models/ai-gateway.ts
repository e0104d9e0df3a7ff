import { wrapLanguageModel } from "ai";
import type { EmbeddingModelV3, ImageModelV3, LanguageModelV3, SharedV3ProviderOptions } from "@ai-sdk/provider";

/** Cloudflare AI Gateway settings (env AI_GATEWAY_ID, CLOUDFLARE_ACCOUNT_ID, secret AI_GATEWAY_TOKEN). */
export interface AiGatewayConfig {
  id: string;
  accountId?: string;
  /** An authenticated gateway's token: sent as `cf-aig-authorization` on OpenAI calls, never logged or returned. */
  token?: string;
  /** https://gateway.ai.cloudflare.com/v1 (AI_GATEWAY_BASE_URL changes it for tests only). */
  baseUrl: string;
}

export const DEFAULT_AI_GATEWAY_BASE_URL = "https://gateway.ai.cloudflare.com/v1";

/** The providerOptions key under which a call carries its tags (bot id, tier) for the gateway's metadata. */
export const CALL_TAGS_KEY = "edgechat";

/** What each model call tells the gateway about itself (AI Gateway keeps up to five metadata entries). */
export interface CallTags {
  bot?: string;
  tier?: string;
}

/**
 * The AI Gateway configuration from env, or undefined when AI_GATEWAY_ID is unset.
 *
 * @example
 * aiGatewayFromEnv({ AI_GATEWAY_ID: "edgechat", CLOUDFLARE_ACCOUNT_ID: "0123…" })
 */
export function aiGatewayFromEnv(env: {
  AI_GATEWAY_ID?: string;
  CLOUDFLARE_ACCOUNT_ID?: string;
  AI_GATEWAY_TOKEN?: string;
  AI_GATEWAY_BASE_URL?: string;
}): AiGatewayConfig | undefined {
  if (!env.AI_GATEWAY_ID) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(env.AI_GATEWAY_ID)) {
    throw new Error(`AI_GATEWAY_ID must be a gateway name (letters, digits, - and _), got ${JSON.stringify(env.AI_GATEWAY_ID)}.`);
  }
  if (env.CLOUDFLARE_ACCOUNT_ID && !/^[A-Za-z0-9]{1,64}$/.test(env.CLOUDFLARE_ACCOUNT_ID)) {
    throw new Error("CLOUDFLARE_ACCOUNT_ID must be the 32-character account id from the Cloudflare dashboard.");
  }
  const baseUrl = (env.AI_GATEWAY_BASE_URL || DEFAULT_AI_GATEWAY_BASE_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) throw new Error("AI_GATEWAY_BASE_URL must be an http(s) URL.");
  return { id: env.AI_GATEWAY_ID, accountId: env.CLOUDFLARE_ACCOUNT_ID || undefined, token: env.AI_GATEWAY_TOKEN || undefined, baseUrl };
}

/**
 * The OpenAI base URL through the gateway: `https://gateway.ai.cloudflare.com/v1/{account_id}/{gateway_id}/openai`.
 *
 * @example
 * openAIGatewayBaseUrl(gateway) // "https://gateway.ai.cloudflare.com/v1/0123…/edgechat/openai"
 */
export function openAIGatewayBaseUrl(gateway: AiGatewayConfig): string {
  if (!gateway.accountId) {
    throw new Error("AI_GATEWAY_ID routes OpenAI calls through AI Gateway, which needs CLOUDFLARE_ACCOUNT_ID as well.");
  }
  return `${gateway.baseUrl}/${encodeURIComponent(gateway.accountId)}/${encodeURIComponent(gateway.id)}/openai`;
}

/** Headers every OpenAI call through the gateway carries: the authenticated gateway's token. */
export function openAIGatewayHeaders(gateway: AiGatewayConfig): Record<string, string> {
  return gateway.token ? { "cf-aig-authorization": `Bearer ${gateway.token}` } : {};
}

/** The gateway metadata of one call, from the tags it carries in providerOptions; undefined when it carries none. */
export function gatewayMetadataOf(providerOptions: SharedV3ProviderOptions | undefined): Record<string, string> | undefined {
  const tags = providerOptions?.[CALL_TAGS_KEY] as Record<string, unknown> | undefined;
  if (!tags) return undefined;
  const metadata: Record<string, string> = {};
  for (const key of ["bot", "tier"] as const) {
    if (typeof tags[key] === "string" && tags[key] !== "") metadata[key] = tags[key] as string;
  }
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}

/**
 * Tags every call of a chat model with the bot and tier it serves (providerOptions.edgechat), so a model
 * behind AI Gateway reports them as metadata; models without a gateway ignore the tags.
 *
 * @example
 * const small = withCallTags(models.small, { bot: bot.id, tier: "small" });
 */
export function withCallTags(model: LanguageModelV3, tags: CallTags): LanguageModelV3 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v3",
      transformParams: async ({ params }) => ({
        ...params,
        providerOptions: { ...params.providerOptions, [CALL_TAGS_KEY]: { ...params.providerOptions?.[CALL_TAGS_KEY], ...tags } },
      }),
    },
  });
}

/** An OpenAI chat model whose calls send their tags as the `cf-aig-metadata` header. */
export function withOpenAIGatewayMetadata(model: LanguageModelV3): LanguageModelV3 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v3",
      transformParams: async ({ params }) => ({ ...params, headers: { ...params.headers, ...metadataHeader(params.providerOptions) } }),
    },
  });
}

/** An OpenAI image model whose calls send their tags as the `cf-aig-metadata` header. */
export function withOpenAIGatewayImageMetadata(model: ImageModelV3): ImageModelV3 {
  return {
    specificationVersion: "v3",
    provider: model.provider,
    modelId: model.modelId,
    maxImagesPerCall: model.maxImagesPerCall,
    doGenerate: (options) => model.doGenerate({ ...options, headers: { ...options.headers, ...metadataHeader(options.providerOptions) } }),
  };
}

/** An OpenAI embedding model whose calls send their tags as the `cf-aig-metadata` header. */
export function withOpenAIGatewayEmbeddingMetadata(model: EmbeddingModelV3): EmbeddingModelV3 {
  return {
    specificationVersion: "v3",
    provider: model.provider,
    modelId: model.modelId,
    maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
    supportsParallelCalls: model.supportsParallelCalls,
    doEmbed: (options) => model.doEmbed({ ...options, headers: { ...options.headers, ...metadataHeader(options.providerOptions) } }),
  };
}

function metadataHeader(providerOptions: SharedV3ProviderOptions | undefined): Record<string, string> {
  const metadata = gatewayMetadataOf(providerOptions);
  return metadata ? { "cf-aig-metadata": JSON.stringify(metadata) } : {};
}
