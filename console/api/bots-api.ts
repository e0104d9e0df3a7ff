import { consoleApi } from "./console-api";
import type { BotSettings, BotSummary } from "./console-types";

// The bot endpoints of the console API, and the one place that reads their answers.
const botUrl = (id: string) => `/v1/console/bots/${encodeURIComponent(id)}`;

/** A bot's id and settings, whether the answer nests them under `bot`, `config` or not. */
function readBot(body: unknown): { id: string; settings: BotSettings; handoffSecret?: string } {
  const bot = ((body as { bot?: unknown }).bot ?? body) as Record<string, unknown>;
  const config = (bot.config ?? bot) as BotSettings;
  const secret = (body as { handoffSecret?: unknown }).handoffSecret;
  return { id: String(bot.id ?? ""), settings: { ...config, name: String(bot.name ?? config.name ?? "") }, ...(typeof secret === "string" ? { handoffSecret: secret } : {}) };
}

export async function listBots(): Promise<BotSummary[]> {
  return (await consoleApi<{ bots: BotSummary[] }>("GET", "/v1/console/bots")).bots;
}

export async function getBot(id: string) {
  return readBot(await consoleApi("GET", botUrl(id)));
}

/** The body the console API takes: `{ name, config }` (config: every other setting). */
function botBody(settings: BotSettings) {
  const { name, ...config } = settings;
  return { name, config };
}

export async function createBot(id: string, settings: BotSettings) {
  return readBot(await consoleApi("POST", "/v1/console/bots", { id, ...botBody(settings) }));
}

/** Replaces every setting (PUT); omitted optional settings are removed. */
export async function saveBot(id: string, settings: BotSettings) {
  return readBot(await consoleApi("PUT", botUrl(id), botBody(settings)));
}

export async function deleteBot(id: string): Promise<void> {
  await consoleApi("DELETE", botUrl(id));
}

export { botUrl };
