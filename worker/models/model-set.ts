import type { LanguageModelV3 } from "@ai-sdk/provider";
import { createOpenAI } from "@ai-sdk/openai";
import type { EdgechatEnv } from "../env";
import { createOfflineLanguageModel } from "./offline-language-model";

/** The models one worker uses. Tests hand in mocks; production builds them from env. */
export interface ModelSet {
  chat: LanguageModelV3;
  /** "openai" when a key is configured, "offline" otherwise. */
  source: "openai" | "offline" | "custom";
}

export const DEFAULT_OPENAI_CHAT_MODEL = "gpt-4.1-mini";

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
    return { chat, source: "openai" };
  }
  const delayMs = parseDelay(env.OFFLINE_MODEL_DELAY_MS);
  return { chat: createOfflineLanguageModel({ modelId: "offline", delayMs }), source: "offline" };
}

function parseDelay(value: string | undefined): number {
  if (value === undefined || value === "") return 25;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.min(parsed, 5000) : 25;
}
