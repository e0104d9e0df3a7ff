import { isRecord } from "../chat/chat-request";
import { BOT_ID_PATTERN, checkBotFields, type BotFields } from "../bots/bot-config";
import type { BotRecord } from "../bots/bot-registry";
import { invalidFields } from "./console-request";

/** A bot as the console shows it: its name, its settings (`config`: every other field) and dates. */
export interface ConsoleBot {
  id: string;
  name: string;
  config: Omit<BotFields, "name">;
  createdAt: number;
  updatedAt: number;
}

export function consoleBotView(record: BotRecord): ConsoleBot {
  const { id, name, ...config } = record.bot;
  return { id, name, config, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/**
 * Validates a console bot body `{ name, config }` (and `id` on create) with the admin API's rules
 * (worker/bots/bot-config.ts), answering 400 `invalid_config` with a message per field path
 * ("name", "theme.primaryColor", "allowedOrigins.0"). With `base` (PATCH), omitted top-level fields keep
 * their current values.
 *
 * @example
 * const fields = parseConsoleBotBody({ name: "Docs", config: { greeting: "Hi" } });
 */
export function parseConsoleBotBody(body: Record<string, unknown>, options: { requireId?: boolean; base?: BotFields } = {}): { id?: string; fields: BotFields } {
  const problems: Record<string, string> = {};
  const { id, name, config = {}, ...unknown } = body;
  for (const key of Object.keys(unknown)) problems[key] = "is not part of a bot (send id, name and config)";
  if (options.requireId && (typeof id !== "string" || !BOT_ID_PATTERN.test(id))) {
    problems.id = "must be 1 to 32 lowercase letters, digits or '-', starting with a letter or digit";
  }
  if (!isRecord(config)) problems.config = "must be an object of settings";
  const input = { ...(options.base ?? {}), ...(isRecord(config) ? config : {}), ...(name !== undefined || !options.base ? { name } : {}) };
  const checked = checkBotFields(input);
  if ("errors" in checked) Object.assign(problems, checked.errors);
  if (Object.keys(problems).length > 0 || "errors" in checked) throw invalidFields("invalid_config", problems);
  return { id: typeof id === "string" ? id : undefined, fields: checked.fields };
}
