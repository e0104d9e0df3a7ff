import { z } from "zod";
import { HttpError } from "../http/http-error";
import { DEFAULT_BUDGET_MESSAGE, type Bot } from "./bot";
import { parseOrigin } from "../security/origin-policy";

export const BOT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

const text = (max: number) => z.string().max(max);
const originSchema = z.string().max(200).transform((value, ctx) => {
  const origin = parseOrigin(value);
  if (!origin) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not an origin: use scheme://host[:port], no path, no wildcard.` });
    return z.NEVER;
  }
  return origin;
});
const httpsUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

/** Everything an admin may set on a bot; `id` comes from the path or the create body. */
const botFieldsSchema = z.strictObject({
  name: text(100).min(1),
  systemPrompt: text(8000).default("You are a helpful support assistant. Answer briefly and precisely."),
  greeting: text(500).default("Hi! How can I help?"),
  starterQuestions: z.array(text(200).min(1)).max(6).default([]),
  theme: z
    .strictObject({
      primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a #rrggbb colour").optional(),
      mode: z.enum(["light", "dark", "auto"]).default("auto"),
    })
    .default({ mode: "auto" }),
  allowedOrigins: z.array(originSchema).max(50).default([]),
  models: z.strictObject({ small: text(100).min(1).optional(), large: text(100).min(1).optional() }).default({}),
  routing: z.strictObject({ policy: z.enum(["auto", "always-small", "always-large"]).default("auto") }).default({ policy: "auto" }),
  images: z
    .strictObject({
      enabled: z.boolean().default(false),
      perSession: z.number().int().min(0).max(100).default(3),
      perDay: z.number().int().min(0).max(100000).default(50),
    })
    .default({ enabled: false, perSession: 3, perDay: 50 }),
  limits: z
    .strictObject({
      dailyBudgetUsd: z.number().min(0).max(100000).default(5),
      budgetMessage: text(500).min(1).optional(),
      maxTurnsPerSession: z.number().int().min(1).max(1000).optional(),
    })
    .default({ dailyBudgetUsd: 5 }),
  handoffWebhookUrl: httpsUrl.optional(),
  // Live takeover: seconds a visitor waits for a member before the webhook handoff runs (docs/takeover.md).
  handoff: z.strictObject({ takeoverTimeoutSeconds: z.number().int().min(0).max(3600) }).optional(),
  turnstileSiteKey: z.string().regex(/^[\w-]{1,100}$/, "must be a Turnstile site key").optional(),
  aiNotice: text(300).optional(),
  showTierBadge: z.boolean().optional(),
  // Days a conversation's transcript is kept after its last activity (worker/conversations/retention.ts); unset = 90.
  retentionDays: z.number().int().min(0).max(3650).optional(),
});

export type BotFields = Omit<Bot, "id">;

/**
 * Validates a bot as an admin sends it (create, or the full document on update) and fills defaults.
 * Unknown fields are refused, so a typo never silently does nothing.
 *
 * @example
 * const fields = parseBotFields({ name: "Docs bot", allowedOrigins: ["https://docs.example.com"] });
 */
export function parseBotFields(input: unknown): BotFields {
  const result = botFieldsSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `\`${issue.path.join(".")}\`: ` : "";
    throw new HttpError(400, "invalid_bot", `${where}${issue.message}`);
  }
  return result.data as BotFields;
}

/**
 * The same validation as `parseBotFields`, answering every problem at once, keyed by the field's path
 * ("theme.primaryColor", "allowedOrigins.0", an unknown "limits.dailyCap"), for forms that show each
 * message next to its field.
 *
 * @example
 * const checked = checkBotFields({ name: "", theme: { primaryColor: "red" } });
 * // { errors: { name: "Too small: …", "theme.primaryColor": "must be a #rrggbb colour" } }
 */
export function checkBotFields(input: unknown): { fields: BotFields } | { errors: Record<string, string> } {
  const result = botFieldsSchema.safeParse(input);
  if (result.success) return { fields: result.data as BotFields };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) errors[path.join(".") || "(root)"] ??= issue.code === "unrecognized_keys" ? "is not a setting" : issue.message;
  }
  return { errors };
}

/** Validates a bot id chosen by an admin. */
export function parseBotId(value: unknown): string {
  if (typeof value !== "string" || !BOT_ID_PATTERN.test(value)) {
    throw new HttpError(400, "invalid_bot", "`id` must be 1 to 32 lowercase letters, digits or '-', starting with a letter or digit.");
  }
  return value;
}

/** The budget message the visitor sees over the cap. */
export function budgetMessageOf(bot: Bot): string {
  return bot.limits.budgetMessage ?? DEFAULT_BUDGET_MESSAGE;
}
