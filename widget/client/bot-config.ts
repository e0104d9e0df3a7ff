/** What `GET /v1/bots/:id/config` tells the widget about a bot. Every field is optional. */
export interface BotConfig {
  title?: string;
  greeting?: string;
  starterQuestions?: string[];
  theme?: { primaryColor?: string; mode?: "light" | "dark" | "auto" };
  /** The AI transparency notice; false hides it. */
  aiNotice?: string | false;
  avatar?: string;
  showTierBadge?: boolean;
}

/**
 * Loads a bot's public config from the worker. Any failure (no such endpoint, 404, network,
 * malformed JSON) gives an empty config, so the widget falls back to its options and defaults.
 *
 * @example
 * const config = await loadBotConfig("https://chat.example.com", "demo");
 */
export async function loadBotConfig(endpoint: string, botId: string, fetcher: typeof fetch = fetch): Promise<BotConfig> {
  try {
    const response = await fetcher(new URL(`/v1/bots/${encodeURIComponent(botId)}/config`, endpoint).href);
    if (!response.ok) return {};
    const body = (await response.json()) as Record<string, unknown>;
    const config: BotConfig = {};
    if (typeof body.title === "string") config.title = body.title;
    if (typeof body.greeting === "string") config.greeting = body.greeting;
    if (Array.isArray(body.starterQuestions)) config.starterQuestions = body.starterQuestions.filter((q): q is string => typeof q === "string").slice(0, 6);
    if (typeof body.aiNotice === "string" || body.aiNotice === false) config.aiNotice = body.aiNotice;
    if (typeof body.avatar === "string") config.avatar = body.avatar;
    if (typeof body.showTierBadge === "boolean") config.showTierBadge = body.showTierBadge;
    const theme = body.theme as BotConfig["theme"] | undefined;
    if (theme && typeof theme === "object") {
      config.theme = {};
      if (typeof theme.primaryColor === "string") config.theme.primaryColor = theme.primaryColor;
      if (theme.mode === "light" || theme.mode === "dark" || theme.mode === "auto") config.theme.mode = theme.mode;
    }
    return config;
  } catch {
    return {};
  }
}
