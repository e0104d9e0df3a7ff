import type { ImageModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { createOpenAI } from "@ai-sdk/openai";
import type { EdgechatEnv } from "../env";
import { createOfflineLanguageModel } from "./offline-language-model";
import { createOfflineImageModel } from "../images/offline-image-model";
import { withOfflineImageRequests } from "./offline-image-requests";

/** The models one worker uses. Tests hand in mocks; production builds them from env. */
export interface ModelSet {
  chat: LanguageModelV3;
  /** Image model for the generate_image tool; without one, no image tool is offered. */
  image?: ImageModelV3;
  /** "openai" when a key is configured, "offline" otherwise. */
  source: "openai" | "offline" | "custom";
}

export const DEFAULT_OPENAI_CHAT_MODEL = "gpt-4.1-mini";
/** Image model used with a key when EDGECHAT_IMAGE_MODEL is unset: OpenAI's cheapest GPT image model. */
export const DEFAULT_OPENAI_IMAGE_MODEL = "gpt-image-1-mini";

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
    const image = openai.image(env.EDGECHAT_IMAGE_MODEL || DEFAULT_OPENAI_IMAGE_MODEL);
    return { chat, image, source: "openai" };
  }
  const delayMs = parseDelay(env.OFFLINE_MODEL_DELAY_MS);
  return {
    chat: withOfflineImageRequests(createOfflineLanguageModel({ modelId: "offline", delayMs })),
    image: createOfflineImageModel(),
    source: "offline",
  };
}

function parseDelay(value: string | undefined): number {
  if (value === undefined || value === "") return 25;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.min(parsed, 5000) : 25;
}
