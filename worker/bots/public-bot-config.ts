import type { Bot } from "./bot";

/** What the widget may know about a bot: never the prompt, limits, origins, webhook or secrets. */
export interface PublicBotConfig {
  id: string;
  name: string;
  title: string;
  greeting: string;
  starterQuestions: string[];
  theme: { primaryColor?: string; mode: "light" | "dark" | "auto" };
  aiNotice?: string;
  images: boolean;
  showTierBadge: boolean;
  turnstileSiteKey?: string;
  handoff: boolean;
}

/**
 * The public part of a bot's configuration, as `GET /v1/bots/:id/config` serves it.
 *
 * @example
 * publicBotConfig(bot).greeting // "Hi! Ask me anything about Acme Cloud."
 */
export function publicBotConfig(bot: Bot): PublicBotConfig {
  return {
    id: bot.id,
    name: bot.name,
    title: bot.name,
    greeting: bot.greeting,
    starterQuestions: bot.starterQuestions,
    theme: bot.theme,
    ...(bot.aiNotice ? { aiNotice: bot.aiNotice } : {}),
    images: bot.images.enabled,
    showTierBadge: bot.showTierBadge ?? false,
    ...(bot.turnstileSiteKey ? { turnstileSiteKey: bot.turnstileSiteKey } : {}),
    handoff: Boolean(bot.handoffWebhookUrl),
  };
}
