import type { Bot } from "../bots/bot";
import type { EdgechatEnv } from "../env";
import type { ModelSet } from "../models/model-set";
import type { ImageToolDependencies } from "./generate-image-tool";

/** Everything a chat turn needs to offer image generation, except the stream writer it gets later. */
export type ImageTurnOptions = Omit<ImageToolDependencies, "writer">;

/**
 * Decides whether a turn offers the `generate_image` tool: only when the bot enables images and the
 * worker has an image model, an R2 bucket (`IMAGES`) and D1 (`DB`, for the quotas). The per-session
 * quota counts against `sessionId`; a turn without one gets a fresh id, so it is still held to the
 * per-session limit within the turn and to the bot's daily limit.
 *
 * @example
 * streamChatTurn({ ..., images: imageTurnOptions(bot, env, models, chat.chatId) });
 */
export function imageTurnOptions(
  bot: Bot,
  env: EdgechatEnv,
  models: ModelSet,
  sessionId: string | undefined,
): ImageTurnOptions | undefined {
  if (!bot.images.enabled || !models.image || !env.IMAGES || !env.DB) return undefined;
  return { model: models.image, bucket: env.IMAGES, db: env.DB, bot, sessionId: sessionId ?? `turn:${crypto.randomUUID()}` };
}
