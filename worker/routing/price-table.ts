import type { Tier } from "./route-decision";

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Model id → price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Default prices (USD per 1M tokens, OpenAI standard tier list prices as published for these models).
 * The offline models are priced like the OpenAI defaults they stand in for, so offline estimates
 * show what the same traffic would cost with the defaults. Override with EDGECHAT_PRICES.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "o3": { input: 2, output: 8 },
  "offline-small": { input: 0.4, output: 1.6 },
  "offline-large": { input: 2, output: 8 },
  // Workers AI, USD per 1M tokens: the pricing page (developers.cloudflare.com/workers-ai/platform/pricing) and
  // the model pages of the catalogue, read 2026-11-30 (docs/workers-ai.md lists the sources).
  "@cf/meta/llama-3.1-8b-instruct-fp8-fast": { input: 0.045, output: 0.384 },
  "@cf/meta/llama-3.2-3b-instruct": { input: 0.051, output: 0.335 },
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { input: 0.293, output: 2.253 },
  "@cf/meta/llama-4-scout-17b-16e-instruct": { input: 0.27, output: 0.85 },
  "@cf/openai/gpt-oss-20b": { input: 0.2, output: 0.3 },
  "@cf/openai/gpt-oss-120b": { input: 0.35, output: 0.75 },
  // Workers AI embeddings (input tokens only).
  "@cf/baai/bge-small-en-v1.5": { input: 0.02, output: 0 },
  "@cf/baai/bge-base-en-v1.5": { input: 0.067, output: 0 },
  "@cf/baai/bge-large-en-v1.5": { input: 0.204, output: 0 },
});

/** The default model id of each tier for OpenAI; also the price used for a model missing from the table. */
export const DEFAULT_TIER_MODELS: Readonly<Record<Tier, string>> = Object.freeze({ small: "gpt-4.1-mini", large: "gpt-4.1" });

/** The default model id of each tier on Workers AI (worker/models/model-plan.ts), for the routing eval's second price pair. */
export const WORKERS_AI_TIER_MODELS: Readonly<Record<Tier, string>> = Object.freeze({
  small: "@cf/meta/llama-3.1-8b-instruct-fp8-fast",
  large: "@cf/openai/gpt-oss-120b",
});

/**
 * The price table: the defaults, overridden or extended by a JSON object of
 * `{ "<model id>": { "input": <USD per 1M>, "output": <USD per 1M> } }` (env EDGECHAT_PRICES).
 * Invalid JSON or entries throw, so a typo in configuration is seen at once rather than mispricing.
 *
 * @example
 * priceTableFrom('{"my-llama": {"input": 0, "output": 0}}')["my-llama"] // { input: 0, output: 0 }
 */
export function priceTableFrom(overrides: string | undefined): PriceTable {
  if (overrides === undefined || overrides.trim() === "") return DEFAULT_PRICES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(overrides);
  } catch {
    throw new Error("EDGECHAT_PRICES is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("EDGECHAT_PRICES must be a JSON object.");
  const table: Record<string, ModelPrice> = { ...DEFAULT_PRICES };
  for (const [model, price] of Object.entries(parsed)) {
    const { input, output } = (price ?? {}) as Partial<ModelPrice>;
    if (!isPrice(input) || !isPrice(output)) {
      throw new Error(`EDGECHAT_PRICES["${model}"] needs non-negative numbers "input" and "output" (USD per million tokens).`);
    }
    table[model] = { input, output };
  }
  return Object.freeze(table);
}

/**
 * The price of a model: its own entry, else (a dated snapshot like "gpt-4.1-2025-04-14") its base
 * name's, else the default model of its tier, so an unknown model is never free.
 */
export function priceOf(table: PriceTable, modelId: string, tier: Tier): ModelPrice {
  const exact = table[modelId];
  if (exact) return exact;
  const base = /^(.*)-\d{4}-\d{2}-\d{2}$/.exec(modelId)?.[1];
  if (base && table[base]) return table[base];
  return table[DEFAULT_TIER_MODELS[tier]] ?? DEFAULT_PRICES[DEFAULT_TIER_MODELS[tier]]!;
}

/**
 * Cost in USD of some tokens on a model, rounded to a millionth of a cent.
 *
 * @example
 * costUsd(DEFAULT_PRICES, "gpt-4.1", "large", { inputTokens: 1000, outputTokens: 200 }) // 0.0036
 */
export function costUsd(
  table: PriceTable,
  modelId: string,
  tier: Tier,
  usage: { inputTokens: number; outputTokens: number },
): number {
  const price = priceOf(table, modelId, tier);
  return roundUsd((usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000);
}

export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

function isPrice(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
